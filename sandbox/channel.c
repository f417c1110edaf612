/*
 * channel.c: both ends of the request/answer channel (see channel.h).
 *
 * Ordering: publishing a sequence number and reading the peer's sleep bit
 * are both sequentially consistent, and so are setting one's own sleep bit
 * and re-reading the peer's sequence number.  Of two sides racing to
 * sleep and to publish, at least one sees the other, so a wake-up is
 * never lost.  The futexes are shared (no FUTEX_PRIVATE_FLAG): the two
 * sides are different processes mapping the same memfd.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "channel.h"
#include "sbx.h"

/* A polite busy-wait step for the sibling hyperthread. */
static inline void chan_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#else
	atomic_signal_fence(memory_order_seq_cst);
#endif
}

/* Sleep while *w == val (or until timeout_ns if >= 0). */
static void chan_futex_wait(_Atomic uint32_t *w, uint32_t val, int64_t timeout_ns)
{
	struct timespec ts, *tp = NULL;

	if (timeout_ns >= 0) {
		ts.tv_sec = timeout_ns / 1000000000;
		ts.tv_nsec = timeout_ns % 1000000000;
		tp = &ts;
	}
	syscall(SYS_futex, w, FUTEX_WAIT, val, tp, NULL, 0);
}

/* Wake the one waiter on w. */
static void chan_futex_wake(_Atomic uint32_t *w)
{
	syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/*
 * Create the channel's memfd: one zeroed page, sealed so that neither side
 * can shrink it (a shrunk memfd would SIGBUS the other side) or grow it.
 */
int chan_create(void)
{
	_cleanup_fd_ int fd = memfd_create("wrun-channel", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, CHAN_SIZE) < 0)
		return -errno;
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)
		return -errno;
	return sbx_steal_fd(&fd);
}

/* Map the channel read-write and shared; 0 or -errno. */
int chan_map(int fd, struct chan *c)
{
	void *p = mmap(NULL, CHAN_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		return -errno;
	c->page = p;
	c->seq = 0;
	c->spin = CHAN_SPIN_DEFAULT;
	return 0;
}

void chan_unmap(struct chan *c)
{
	if (c->page)
		munmap(c->page, CHAN_SIZE);
	c->page = NULL;
}

/* ---- child side ---- */

/* Write a request and publish it; wake the broker if it said it sleeps. */
void chan_send(struct chan *c, uint32_t func, const uint64_t *args, uint32_t nargs)
{
	struct chan_page *pg = c->page;

	if (nargs > CHAN_MAX_ARGS)
		nargs = CHAN_MAX_ARGS;
	pg->func = func;
	pg->nargs = nargs;
	for (uint32_t i = 0; i < CHAN_MAX_ARGS; i++)
		pg->args[i] = i < nargs ? args[i] : 0;
	c->seq++;
	atomic_store(&pg->req_seq, c->seq);
	if (atomic_load(&pg->state) & CHAN_BROKER_SLEEPS)
		chan_futex_wake(&pg->req_seq);
}

/* Has the last request been answered?  Then 1 and its result. */
int chan_answered(struct chan *c, int64_t *result)
{
	if (atomic_load_explicit(&c->page->ans_seq, memory_order_acquire) != c->seq)
		return 0;
	*result = c->page->result;
	return 1;
}

/*
 * Make one call: send, then spin for the answer, then sleep on ans_seq
 * with the sleep bit set.  The broker is trusted by the child.
 */
int64_t chan_call(struct chan *c, uint32_t func, const uint64_t *args, uint32_t nargs)
{
	struct chan_page *pg = c->page;
	int64_t result = -EIO;
	uint32_t seen;

	chan_send(c, func, args, nargs);
	for (uint32_t i = 0; i < c->spin; i++) {
		if (chan_answered(c, &result))
			return result;
		chan_relax();
	}
	for (;;) {
		atomic_fetch_or(&pg->state, CHAN_CHILD_SLEEPS);
		seen = atomic_load(&pg->ans_seq);
		if (seen == c->seq)
			break;
		chan_futex_wait(&pg->ans_seq, seen, -1);
	}
	atomic_fetch_and(&pg->state, ~CHAN_CHILD_SLEEPS);
	chan_answered(c, &result);
	return result;
}

/* ---- broker side ---- */

/*
 * Copy the request out of shared memory, each field read exactly once
 * through a volatile view so that the compiler cannot fetch it again
 * after validation.  Only the arguments the function takes are copied.
 */
static void chan_copy_req(const struct chan_page *pg, const struct chan_proto *p,
			  struct chan_req *out)
{
	const volatile struct chan_page *v = pg;
	uint32_t want;

	memset(out->args, 0, sizeof(out->args));
	out->func = v->func;
	out->nargs = v->nargs;
	if (out->func >= p->nfunc)
		return;
	want = p->nargs[out->func];
	if (out->nargs != want || want > CHAN_MAX_ARGS)
		return;
	for (uint32_t i = 0; i < want; i++)
		out->args[i] = v->args[i];
}

/*
 * Look for a new request.  Returns 0 when none is pending (req_seq still
 * equals the last accepted one: an idle channel or a replayed number);
 * 1 with a valid request in out; -ENOSYS (unknown function) or -EINVAL
 * (wrong argument count) with out->seq set, to be answered with that
 * errno; -EPROTO when the sequence number is neither the last nor the
 * next one, which only a broken or hostile child does: end it.
 */
int chan_recv(struct chan *c, const struct chan_proto *p, struct chan_req *out)
{
	uint32_t seq = atomic_load_explicit(&c->page->req_seq, memory_order_acquire);

	if (seq == c->seq)
		return 0;
	if (seq != c->seq + 1)
		return -EPROTO;
	c->seq = seq;
	out->seq = seq;
	chan_copy_req(c->page, p, out);
	if (out->func >= p->nfunc)
		return -ENOSYS;
	if (out->nargs != p->nargs[out->func] || out->nargs > CHAN_MAX_ARGS)
		return -EINVAL;
	return 1;
}

/*
 * Announce that the broker is about to sleep on req_seq.  Returns the value
 * to wait on (the last accepted sequence number), or -EAGAIN if a request
 * arrived meanwhile and the broker must not sleep.  The ring loop calls
 * this before it arms its FUTEX_WAIT, and chan_broker_awake() after.
 */
int chan_broker_sleep(struct chan *c)
{
	atomic_fetch_or(&c->page->state, CHAN_BROKER_SLEEPS);
	if (atomic_load(&c->page->req_seq) != c->seq) {
		atomic_fetch_and(&c->page->state, ~CHAN_BROKER_SLEEPS);
		return -EAGAIN;
	}
	return 0;
}

void chan_broker_awake(struct chan *c)
{
	atomic_fetch_and(&c->page->state, ~CHAN_BROKER_SLEEPS);
}

/*
 * Poll req_seq up to c->spin times: 1 as soon as it moved, else 0.  The
 * broker spins here before it goes to sleep (in chan_wait or its ring).
 */
int chan_spin(struct chan *c)
{
	for (uint32_t i = 0; i < c->spin; i++) {
		if (atomic_load_explicit(&c->page->req_seq, memory_order_acquire) != c->seq)
			return 1;
		chan_relax();
	}
	return 0;
}

/* Nanoseconds on the monotonic clock. */
static int64_t chan_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * Wait for req_seq to move, spinning first, then sleeping on the futex; a
 * negative timeout waits forever.  Returns 1 when it moved, 0 on timeout.
 * (The real broker waits in its io_uring loop instead; this serves tests
 * and the plain-syscall backend.)
 */
int chan_wait(struct chan *c, int64_t timeout_ns)
{
	int64_t deadline = timeout_ns < 0 ? -1 : chan_now() + timeout_ns, left;

	if (chan_spin(c))
		return 1;
	for (;;) {
		if (chan_broker_sleep(c) < 0)
			return 1;
		left = deadline < 0 ? -1 : deadline - chan_now();
		if (deadline >= 0 && left <= 0) {
			chan_broker_awake(c);
			return 0;
		}
		chan_futex_wait(&c->page->req_seq, c->seq, left);
		chan_broker_awake(c);
		if (atomic_load(&c->page->req_seq) != c->seq)
			return 1;
	}
}

/* Publish the answer to req and wake the child if it sleeps. */
void chan_answer(struct chan *c, const struct chan_req *req, int64_t result)
{
	struct chan_page *pg = c->page;

	pg->result = result;
	atomic_store(&pg->ans_seq, req->seq);
	if (atomic_load(&pg->state) & CHAN_CHILD_SLEEPS)
		chan_futex_wake(&pg->ans_seq);
}
