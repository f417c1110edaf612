/*
 * test_ring.c: the broker's restricted io_uring.  Opcodes outside the
 * table and every register operation are refused; the hand-made futex
 * SQEs are read by the kernel as intended; ring_wait() reports the
 * doorbell, the child's end, the deadline and the caller's I/O.
 * Last line: "N passed, N failed, N skipped".
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "channel.h"
#include "ring.h"

static int n_pass, n_fail, n_skip;

#define CHECK(cond, ...) check_one(!!(cond), #cond, __VA_ARGS__)

static void check_one(int ok, const char *expr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void check_one(int ok, const char *expr, const char *fmt, ...)
{
	va_list ap;

	ok ? n_pass++ : n_fail++;
	printf("%s ring/", ok ? "ok  " : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(ok ? "\n" : "  [%s]\n", expr);
	fflush(stdout);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Submit one prepared SQE and return its completion's result. */
static int run_one(struct ring *r, struct io_uring_sqe *sqe)
{
	struct io_uring_cqe *cqe;
	int res;

	io_uring_sqe_set_data64(sqe, 42);
	if (io_uring_submit(&r->uring) < 0 || io_uring_wait_cqe(&r->uring, &cqe) < 0)
		return -9999;
	res = cqe->res;
	io_uring_cqe_seen(&r->uring, cqe);
	return res;
}

/* A word in memory shared with forked children. */
static _Atomic uint32_t *shared_word(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void futex_wake_sys(_Atomic uint32_t *w)
{
	syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* Opcodes outside the table complete with -EACCES and do nothing. */
static void test_restricted_ops(struct ring *r)
{
	char path[] = "/tmp/wrun-ring-XXXXXX";
	struct io_uring_sqe *sqe;
	int res;

	close(mkstemp(path));
	unlink(path);
	sqe = io_uring_get_sqe(&r->uring);
	io_uring_prep_openat(sqe, AT_FDCWD, path, O_CREAT | O_RDWR, 0600);
	res = run_one(r, sqe);
	CHECK(res == -EACCES, "OPENAT refused: %d", res);
	CHECK(access(path, F_OK) < 0, "OPENAT created nothing");
	unlink(path);

	sqe = io_uring_get_sqe(&r->uring);
	io_uring_prep_nop(sqe);
	res = run_one(r, sqe);
	CHECK(res == -EACCES, "NOP refused: %d", res);

	sqe = io_uring_get_sqe(&r->uring);
	io_uring_prep_socket(sqe, AF_INET, SOCK_STREAM, 0, 0);
	res = run_one(r, sqe);
	CHECK(res == -EACCES, "SOCKET refused: %d", res);

	sqe = io_uring_get_sqe(&r->uring);
	io_uring_prep_msg_ring(sqe, r->uring.ring_fd, 0, 0, 0);
	res = run_one(r, sqe);
	CHECK(res == -EACCES, "MSG_RING refused: %d", res);
	CHECK(!ring_op_allowed(IORING_OP_OPENAT) && ring_op_allowed(IORING_OP_OPENAT2),
	      "table: OPENAT out, OPENAT2 in");
}

/* An allowed opcode works; a disallowed SQE flag is refused. */
static void test_allowed_and_flags(struct ring *r)
{
	struct io_uring_sqe *sqe;
	int p[2], res;
	char buf[8] = { 0 };

	if (pipe(p) < 0)
		return;
	sqe = io_uring_get_sqe(&r->uring);
	io_uring_prep_write(sqe, p[1], "hi", 2, 0);
	res = run_one(r, sqe);
	CHECK(res == 2 && read(p[0], buf, 2) == 2 && !memcmp(buf, "hi", 2),
	      "WRITE allowed: %d", res);

	sqe = io_uring_get_sqe(&r->uring);
	io_uring_prep_write(sqe, p[1], "hi", 2, 0);
	sqe->flags |= IOSQE_ASYNC;
	res = run_one(r, sqe);
	CHECK(res == -EACCES, "IOSQE_ASYNC refused: %d", res);

	sqe = io_uring_get_sqe(&r->uring);
	io_uring_prep_write(sqe, p[1], "hi", 2, 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	res = run_one(r, sqe);
	CHECK(res == -EACCES, "IOSQE_FIXED_FILE refused: %d", res);
	close(p[0]);
	close(p[1]);
}

/* Every register operation is refused once the ring is enabled. */
static void test_register_refused(struct ring *r)
{
	struct io_uring_restriction res = { .opcode = IORING_RESTRICTION_SQE_OP,
					    .sqe_op = IORING_OP_OPENAT };
	char probe[4096] = { 0 };
	int fd = 0;
	long e;

	e = syscall(__NR_io_uring_register, r->uring.ring_fd, IORING_REGISTER_PROBE, probe, 256);
	CHECK(e < 0 && errno == EACCES, "REGISTER_PROBE refused: %ld/%d", e, errno);
	e = syscall(__NR_io_uring_register, r->uring.ring_fd, IORING_REGISTER_FILES, &fd, 1);
	CHECK(e < 0 && errno == EACCES, "REGISTER_FILES refused: %ld/%d", e, errno);
	e = syscall(__NR_io_uring_register, r->uring.ring_fd, IORING_REGISTER_RESTRICTIONS, &res, 1);
	CHECK(e < 0, "second REGISTER_RESTRICTIONS refused: errno %d", errno);
	e = syscall(__NR_io_uring_register, r->uring.ring_fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0);
	CHECK(e < 0 && errno == EACCES, "ENABLE_RINGS again refused: errno %d", errno);
}

/*
 * The futex SQE layout: a wrong value gives -EAGAIN (addr and addr2 are
 * where the kernel reads them); a nonzero len or a bad size flag gives
 * -EINVAL (len and fd are checked as described).
 */
static void test_futex_layout(struct ring *r)
{
	static _Atomic uint32_t word = 7;
	struct io_uring_sqe *sqe;
	int res;

	sqe = io_uring_get_sqe(&r->uring);
	ring_prep_futex_wait(sqe, &word, 8, RING_FUTEX_MATCH_ANY,
			     RING_FUTEX2_SIZE_U32 | RING_FUTEX2_PRIVATE);
	res = run_one(r, sqe);
	CHECK(res == -EAGAIN, "FUTEX_WAIT on a moved word: %d (want -EAGAIN)", res);

	sqe = io_uring_get_sqe(&r->uring);
	ring_prep_futex_wait(sqe, &word, 7, RING_FUTEX_MATCH_ANY, RING_FUTEX2_SIZE_U32);
	sqe->len = 1;
	res = run_one(r, sqe);
	CHECK(res == -EINVAL, "FUTEX_WAIT with len set: %d (want -EINVAL)", res);

	sqe = io_uring_get_sqe(&r->uring);
	ring_prep_futex_wait(sqe, &word, 7, RING_FUTEX_MATCH_ANY, 0x0);
	res = run_one(r, sqe);
	CHECK(res == -EINVAL, "FUTEX_WAIT with size U8: %d (want -EINVAL)", res);

	sqe = io_uring_get_sqe(&r->uring);
	ring_prep_futex_wake(sqe, &word, 1, RING_FUTEX_MATCH_ANY,
			     RING_FUTEX2_SIZE_U32 | RING_FUTEX2_PRIVATE);
	res = run_one(r, sqe);
	CHECK(res == 0, "FUTEX_WAKE with no waiter: %d (want 0)", res);
}

/* A ring FUTEX_WAKE wakes a waiter in another process (shared futex). */
static void test_futex_wake_cross(struct ring *r)
{
	_Atomic uint32_t *w = shared_word();
	struct io_uring_sqe *sqe;
	int st = -1, res = 0;
	pid_t pid;

	if (!w)
		return;
	pid = fork();
	if (pid == 0) {
		struct timespec ts = { 5, 0 };

		atomic_store(&w[1], 1);
		_exit(syscall(SYS_futex, w, FUTEX_WAIT, 0, &ts, NULL, 0) == 0 ? 0 : 1);
	}
	for (int i = 0; i < 500 && res != 1; i++) {
		usleep(10000);
		sqe = io_uring_get_sqe(&r->uring);
		ring_prep_futex_wake(sqe, w, 1, RING_FUTEX_MATCH_ANY, RING_FUTEX2_SIZE_U32);
		res = run_one(r, sqe);
	}
	waitpid(pid, &st, 0);
	CHECK(res == 1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "FUTEX_WAKE woke a waiter in another process (res %d)", res);
	munmap(w, 4096);
}

/* Forked helper: after ms, store 1 in *w and wake; then after ms2, exit. */
static pid_t helper(_Atomic uint32_t *w, int ms, int ms2)
{
	pid_t pid = fork();

	if (pid == 0) {
		usleep((useconds_t)ms * 1000);
		if (w) {
			atomic_store(w, 1);
			futex_wake_sys(w);
		}
		usleep((useconds_t)ms2 * 1000);
		_exit(0);
	}
	return pid;
}

/* Doorbell, then child end, then deadline: one event each, in order. */
static void test_wait_loop(void)
{
	_Atomic uint32_t *w = shared_word();
	struct ring r;
	struct ring_wait_args a = { .futex = w, .futex_val = 0 };
	int64_t t0 = now_ns();
	unsigned ev = 0;
	pid_t pid;
	int err;

	if (!w || ring_open(&r, 8) < 0)
		return (void)CHECK(0, "setup for the wait loop");
	pid = helper(w, 50, 100);
	a.pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	a.deadline_ns = t0 + 400000000;
	err = ring_wait(&r, &a, &ev);
	CHECK(err == 0 && ev == RING_EV_FUTEX && now_ns() - t0 >= 40000000,
	      "doorbell first, after %lld ms (ev %u, err %d)",
	      (long long)(now_ns() - t0) / 1000000, ev, err);
	a.futex = NULL;		/* the broker would now serve the request */
	err = ring_wait(&r, &a, &ev);
	CHECK(err == 0 && ev == RING_EV_CHILD && now_ns() - t0 >= 140000000,
	      "then the child's end, after %lld ms (ev %u)",
	      (long long)(now_ns() - t0) / 1000000, ev);
	waitpid(pid, NULL, 0);
	a.pidfd = -1;
	err = ring_wait(&r, &a, &ev);
	CHECK(err == 0 && ev == RING_EV_TIMEOUT && now_ns() - t0 >= 400000000,
	      "then the deadline, after %lld ms (ev %u)",
	      (long long)(now_ns() - t0) / 1000000, ev);
	ring_close(&r);
	munmap(w, 4096);
}

static void count_cqe(void *ctx, const struct io_uring_cqe *cqe)
{
	if (cqe->user_data == 77 && cqe->res == 3)
		++*(int *)ctx;
}

/* A caller's completion is handed on while the doorbell stays armed. */
static void test_wait_io(void)
{
	_Atomic uint32_t *w = shared_word();
	struct ring r;
	int seen = 0, p[2];
	struct ring_wait_args a = { .futex = w, .pidfd = -1, .deadline_ns = -1,
				    .on_cqe = count_cqe, .ctx = &seen };
	struct io_uring_sqe *sqe;
	unsigned ev = 0;
	int err;

	if (!w || pipe(p) < 0 || ring_open(&r, 8) < 0)
		return (void)CHECK(0, "setup for the I/O wait");
	sqe = io_uring_get_sqe(&r.uring);
	io_uring_prep_write(sqe, p[1], "abc", 3, 0);
	io_uring_sqe_set_data64(sqe, 77);
	err = ring_wait(&r, &a, &ev);
	CHECK(err == 0 && ev == RING_EV_IO && seen == 1 && r.futex_armed,
	      "I/O completion handed on (ev %u, seen %d)", ev, seen);
	atomic_store(w, 1);	/* the doorbell still works after that */
	futex_wake_sys(w);
	err = ring_wait(&r, &a, &ev);
	CHECK(err == 0 && ev == RING_EV_FUTEX, "doorbell after I/O (ev %u)", ev);
	ring_close(&r);
	close(p[0]);
	close(p[1]);
	munmap(w, 4096);
}

static const uint8_t loop_nargs[] = { 2 };
static const struct chan_proto loop_proto = { 1, loop_nargs };

/* Serve one channel request if there is one; -1 on a protocol violation. */
static int serve(struct chan *b)
{
	struct chan_req req;
	int r = chan_recv(b, &loop_proto, &req);

	if (r == 1)
		chan_answer(b, &req, (int64_t)(req.args[0] * req.args[1]));
	else if (r == -ENOSYS || r == -EINVAL)
		chan_answer(b, &req, r);
	return r == -EPROTO ? -1 : r;
}

/*
 * The channel served by a broker that sleeps in ring_wait() (FUTEX_WAIT on
 * req_seq, the child's pidfd, a deadline), as the real broker will: every
 * call of a forked child is answered, and the child's end is seen.
 */
static void test_chan_over_ring(uint32_t spin, int calls)
{
	struct chan child, b;
	struct ring r;
	struct ring_wait_args a = { .deadline_ns = now_ns() + 20000000000LL };
	unsigned ev = 0;
	int fd = chan_create(), bad = 0, st = -1, sleeps = 0;
	int64_t t0;
	pid_t pid;

	if (fd < 0 || chan_map(fd, &child) < 0 || chan_map(fd, &b) < 0 || ring_open(&r, 8) < 0)
		return (void)CHECK(0, "setup for channel over ring");
	child.spin = b.spin = spin;
	t0 = now_ns();
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < calls; i++) {
			uint64_t args[2] = { (uint64_t)i, 3 };

			if (chan_call(&child, 0, args, 2) != 3 * i)
				_exit(1);
		}
		_exit(0);
	}
	a.pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	a.futex = &b.page->req_seq;
	for (;;) {
		int s = serve(&b);

		if (s < 0)
			bad++;
		if (s != 0 || chan_spin(&b))
			continue;
		if (chan_broker_sleep(&b) < 0)
			continue;
		a.futex_val = b.seq;
		sleeps++;
		if (ring_wait(&r, &a, &ev) < 0)
			break;
		chan_broker_awake(&b);
		if (ev & (RING_EV_CHILD | RING_EV_TIMEOUT))
			break;
	}
	while (serve(&b) > 0)
		;
	waitpid(pid, &st, 0);
	CHECK((ev & RING_EV_CHILD) && !bad && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "channel over ring, spin %u: %d calls answered, %.1f us per call, "
	      "%d broker sleeps", spin, calls,
	      (double)(now_ns() - t0) / calls / 1000.0, sleeps);
	ring_close(&r);
	chan_unmap(&child);
	chan_unmap(&b);
	close(fd);
}

int main(void)
{
	struct ring r;
	int err = ring_open(&r, 8);

	if (err == -EPERM || err == -ENOSYS) {
		printf("skip ring/all: io_uring unavailable here (%s)\n", strerror(-err));
		printf("0 passed, 0 failed, 1 skipped\n");
		return 0;
	}
	CHECK(err == 0, "ring_open: %d", err);
	if (err == 0) {
		test_restricted_ops(&r);
		test_allowed_and_flags(&r);
		test_register_refused(&r);
		test_futex_layout(&r);
		test_futex_wake_cross(&r);
		ring_close(&r);
	}
	test_wait_loop();
	test_wait_io();
	test_chan_over_ring(0, 5000);
	test_chan_over_ring(CHAN_SPIN_DEFAULT, 100000);
	printf("%d passed, %d failed, %d skipped\n", n_pass, n_fail, n_skip);
	return n_fail ? 1 : 0;
}
