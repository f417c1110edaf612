/*
 * test_channel.c: the channel against a hostile child.  Well-formed round
 * trips, then garbage: unknown function numbers, wrong argument counts,
 * replayed and skipped sequence numbers, a page full of random bytes, and
 * a thread tearing the request while the broker copies it.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "channel.h"

static const uint8_t t_nargs[] = { 2, 0, 9, CHAN_MAX_ARGS };
static const struct chan_proto t_proto = { 4, t_nargs };

struct pair {
	int fd;
	struct chan child, broker;
};

static int setup(void **state)
{
	struct pair *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	p->fd = chan_create();
	assert_true(p->fd >= 0);
	assert_int_equal(chan_map(p->fd, &p->child), 0);
	assert_int_equal(chan_map(p->fd, &p->broker), 0);
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	struct pair *p = *state;

	chan_unmap(&p->child);
	chan_unmap(&p->broker);
	close(p->fd);
	free(p);
	return 0;
}

/* xorshift: reproducible garbage. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Invariants of any request chan_recv() accepted. */
static void check_accepted(const struct chan_req *r)
{
	assert_true(r->func < t_proto.nfunc);
	assert_int_equal(r->nargs, t_nargs[r->func]);
	for (uint32_t i = r->nargs; i < CHAN_MAX_ARGS; i++)
		assert_true(r->args[i] == 0);
}

static void test_layout(void **state)
{
	(void)state;
	assert_int_equal(offsetof(struct chan_page, req_seq), 0);
	assert_int_equal(offsetof(struct chan_page, ans_seq) % 64, 0);
	assert_int_equal(offsetof(struct chan_page, state) % 64, 0);
	assert_true(offsetof(struct chan_page, ans_seq) >=
		    offsetof(struct chan_page, args) + sizeof(uint64_t) * CHAN_MAX_ARGS);
	assert_true(sizeof(struct chan_page) <= CHAN_SIZE);
}

/* The memfd is one page and can neither shrink, grow nor be unsealed. */
static void test_sealed(void **state)
{
	struct pair *p = *state;
	struct stat st;

	assert_int_equal(fstat(p->fd, &st), 0);
	assert_int_equal(st.st_size, CHAN_SIZE);
	assert_int_equal(ftruncate(p->fd, 0), -1);
	assert_int_equal(errno, EPERM);
	assert_int_equal(ftruncate(p->fd, CHAN_SIZE * 2), -1);
	assert_int_equal(fcntl(p->fd, F_ADD_SEALS, F_SEAL_WRITE), -1);
}

static void test_idle(void **state)
{
	struct pair *p = *state;
	struct chan_req r;

	assert_int_equal(chan_recv(&p->broker, &t_proto, &r), 0);
	assert_int_equal(chan_recv(&p->broker, &t_proto, &r), 0);
}

static void test_roundtrip(void **state)
{
	struct pair *p = *state;
	uint64_t a[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct chan_req r;
	int64_t res = 0;

	chan_send(&p->child, 2, a, 9);
	assert_int_equal(chan_answered(&p->child, &res), 0);
	assert_int_equal(chan_recv(&p->broker, &t_proto, &r), 1);
	check_accepted(&r);
	assert_int_equal(r.func, 2);
	assert_int_equal(r.seq, 1);
	assert_memory_equal(r.args, a, sizeof(a));
	chan_answer(&p->broker, &r, -42);
	assert_int_equal(chan_answered(&p->child, &res), 1);
	assert_int_equal(res, -42);
	/* answered: nothing new until the child sends again */
	assert_int_equal(chan_recv(&p->broker, &t_proto, &r), 0);
}

/* Unknown functions are answerable errors; the broker moves on. */
static void test_bad_function(void **state)
{
	struct pair *p = *state;
	static const uint32_t bad[] = { 4, 5, 1000, 0x7fffffff, 0xffffffff };
	struct chan_req r;
	int64_t res;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		chan_send(&p->child, bad[i], NULL, 0);
		assert_int_equal(chan_recv(&p->broker, &t_proto, &r), -ENOSYS);
		assert_int_equal(r.seq, p->child.seq);
		chan_answer(&p->broker, &r, -ENOSYS);
		assert_int_equal(chan_answered(&p->child, &res), 1);
		assert_int_equal(res, -ENOSYS);
	}
}

/* A wrong argument count, including absurd ones, is -EINVAL, copies nothing. */
static void test_wrong_nargs(void **state)
{
	struct pair *p = *state;
	uint64_t a[CHAN_MAX_ARGS] = { 1, 2, 3 };
	static const uint32_t counts[] = { 1, 3, CHAN_MAX_ARGS + 1, 0x80000000u, 0xffffffffu };
	struct chan_req r;

	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		chan_send(&p->child, 0, a, 3);
		p->child.page->nargs = counts[i];	/* hostile rewrite */
		assert_int_equal(chan_recv(&p->broker, &t_proto, &r), -EINVAL);
		for (int j = 0; j < CHAN_MAX_ARGS; j++)
			assert_true(r.args[j] == 0);
		chan_answer(&p->broker, &r, -EINVAL);
	}
}

/* A replayed number is never executed twice; a skipped one is a violation. */
static void test_replay(void **state)
{
	struct pair *p = *state;
	uint64_t a[2] = { 5, 6 };
	struct chan_page *pg = p->child.page;
	struct chan_req r;

	chan_send(&p->child, 0, a, 2);
	assert_int_equal(chan_recv(&p->broker, &t_proto, &r), 1);
	chan_answer(&p->broker, &r, 11);
	/* replay seq 1 with another function: looks idle, runs nothing */
	pg->func = 2;
	atomic_store(&pg->req_seq, 1);
	assert_int_equal(chan_recv(&p->broker, &t_proto, &r), 0);
	/* going back or jumping ahead is a protocol violation */
	static const uint32_t wrong[] = { 0, 3, 100, 0xffffffff };
	for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		atomic_store(&pg->req_seq, wrong[i]);
		assert_int_equal(chan_recv(&p->broker, &t_proto, &r), -EPROTO);
		assert_int_equal(p->broker.seq, 1);
	}
	/* an honest child continues where it was */
	chan_send(&p->child, 0, a, 2);
	assert_int_equal(chan_recv(&p->broker, &t_proto, &r), 1);
	assert_int_equal(r.seq, 2);
}

/* Sequence numbers wrap through zero. */
static void test_wrap(void **state)
{
	struct pair *p = *state;
	uint64_t a[2] = { 1, 1 };
	struct chan_req r;
	int64_t res;

	p->child.seq = p->broker.seq = 0xfffffffe;
	atomic_store(&p->child.page->req_seq, 0xfffffffe);
	for (int i = 0; i < 3; i++) {
		chan_send(&p->child, 0, a, 2);
		assert_int_equal(chan_recv(&p->broker, &t_proto, &r), 1);
		chan_answer(&p->broker, &r, i);
		assert_int_equal(chan_answered(&p->child, &res), 1);
		assert_int_equal(res, i);
	}
	assert_int_equal(p->broker.seq, 1);
}

/* A lying state word only costs spurious wake-ups. */
static void test_state_garbage(void **state)
{
	struct pair *p = *state;
	uint64_t a[2] = { 1, 2 };
	struct chan_req r;
	int64_t res;

	atomic_store(&p->child.page->state, 0xffffffff);
	chan_send(&p->child, 0, a, 2);
	assert_int_equal(chan_recv(&p->broker, &t_proto, &r), 1);
	chan_answer(&p->broker, &r, 3);
	assert_int_equal(chan_answered(&p->child, &res), 1);
	atomic_store(&p->child.page->state, 0);
	assert_int_equal(chan_broker_sleep(&p->broker), 0);
	chan_broker_awake(&p->broker);
	assert_int_equal(atomic_load(&p->child.page->state), 0);
}

/* A page of random bytes, many times over: only the documented answers. */
static void test_random_page(void **state)
{
	struct pair *p = *state;
	unsigned char *raw = (unsigned char *)p->child.page;
	uint64_t s = 0x9e3779b97f4a7c15ull;
	struct chan_req r;
	uint32_t before;
	int ret;

	for (int it = 0; it < 200000; it++) {
		for (size_t i = 0; i < 256; i += 8) {
			uint64_t v = rnd(&s);
			memcpy(raw + i, &v, 8);
		}
		if (it & 1)	/* half the time, a plausible next number */
			atomic_store(&p->child.page->req_seq, p->broker.seq + 1);
		if (it % 7 == 0)	/* and sometimes a plausible shape */
			p->child.page->nargs = t_nargs[p->child.page->func & 3];
		before = p->broker.seq;
		ret = chan_recv(&p->broker, &t_proto, &r);
		switch (ret) {
		case 1:
			check_accepted(&r);
			break;
		case 0:
		case -EPROTO:
			assert_int_equal(p->broker.seq, before);
			break;
		case -ENOSYS:
		case -EINVAL:
			assert_int_equal(r.seq, before + 1);
			break;
		default:
			fail_msg("unexpected %d", ret);
		}
	}
}

struct scribbler {
	struct chan_page *pg;
	atomic_int stop;
	atomic_long writes;
};

/* The hostile child's other thread: rewrite the request all the time. */
static void *scribble(void *arg)
{
	struct scribbler *sc = arg;
	uint64_t s = 12345;

	while (!atomic_load_explicit(&sc->stop, memory_order_relaxed)) {
		volatile struct chan_page *v = sc->pg;
		uint64_t x = rnd(&s);

		v->func = (uint32_t)x & 7;
		v->nargs = (uint32_t)(x >> 8) % 12;
		v->args[(x >> 16) % CHAN_MAX_ARGS] = x;
		atomic_fetch_add_explicit(&sc->writes, 1, memory_order_relaxed);
	}
	return NULL;
}

/*
 * Torn writes while the broker copies: whatever mix of old and new values
 * it copied, the copy it validated is the one it returns.  Runs until the
 * scribbler has been active and some requests passed validation (5 s at
 * most).
 */
static void test_torn(void **state)
{
	struct pair *p = *state;
	struct scribbler sc = { .pg = p->child.page };
	time_t end = time(NULL) + 5;
	pthread_t th;
	struct chan_req r;
	long it = 0, accepted = 0;
	int ret;

	assert_int_equal(pthread_create(&th, NULL, scribble, &sc), 0);
	while (atomic_load(&sc.writes) == 0)
		;
	while ((it < 200000 || accepted < 100) && time(NULL) < end) {
		atomic_store(&p->child.page->req_seq, p->broker.seq + 1);
		ret = chan_recv(&p->broker, &t_proto, &r);
		assert_true(ret == 1 || ret == -ENOSYS || ret == -EINVAL);
		if (ret == 1) {
			check_accepted(&r);
			accepted++;
		}
		chan_answer(&p->broker, &r, ret);
		it++;
	}
	atomic_store(&sc.stop, 1);
	pthread_join(th, NULL);
	assert_true(accepted >= 100);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* chan_wait honours its timeout and sees a pending request at once. */
static void test_wait(void **state)
{
	struct pair *p = *state;
	int64_t t0 = now_ns();

	p->broker.spin = 100;
	assert_int_equal(chan_wait(&p->broker, 20000000), 0);
	assert_true(now_ns() - t0 >= 20000000);
	assert_int_equal(atomic_load(&p->broker.page->state) & CHAN_BROKER_SLEEPS, 0);
	chan_send(&p->child, 1, NULL, 0);
	assert_int_equal(chan_wait(&p->broker, 0), 1);
}

/*
 * Two processes, both sleeping (spin 0) and both spinning: every answer
 * arrives, none is lost, bad calls get their errno.
 */
static void run_cross(struct pair *p, uint32_t spin, int calls)
{
	struct chan_req r;
	int st, ret, served = 0;
	pid_t pid;

	p->child.spin = p->broker.spin = spin;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		for (int i = 0; i < calls; i++) {
			uint64_t a[2] = { (uint64_t)i, 1 };
			int64_t want = i % 10 == 0 ? -ENOSYS : i + 1;

			if (chan_call(&p->child, i % 10 == 0 ? 77 : 0, a, 2) != want)
				_exit(1);
		}
		_exit(0);
	}
	while (served < calls) {
		assert_int_equal(chan_wait(&p->broker, 5000000000LL), 1);
		ret = chan_recv(&p->broker, &t_proto, &r);
		assert_true(ret == 1 || ret == -ENOSYS);
		chan_answer(&p->broker, &r, ret == 1 ? (int64_t)(r.args[0] + r.args[1]) : ret);
		served++;
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void test_cross_sleep(void **state)
{
	run_cross(*state, 0, 2000);
}

static void test_cross_spin(void **state)
{
	run_cross(*state, CHAN_SPIN_DEFAULT, 100000);
}

/* A child that dies mid-request leaves a page the broker still handles. */
static void test_child_dies(void **state)
{
	struct pair *p = *state;
	struct chan_req r;
	int st;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		uint64_t a[2] = { 1, 2 };

		chan_send(&p->child, 0, a, 2);
		raise(SIGKILL);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(chan_wait(&p->broker, 1000000000), 1);
	assert_int_equal(chan_recv(&p->broker, &t_proto, &r), 1);
	chan_answer(&p->broker, &r, 0);
	assert_int_equal(chan_wait(&p->broker, 1000000), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test_setup_teardown(test_sealed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_function, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_nargs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cross_sleep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cross_spin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_child_dies, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
