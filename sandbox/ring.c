/*
 * ring.c: the broker's io_uring (see ring.h).
 *
 * The ring is created with IORING_SETUP_R_DISABLED, so nothing can be
 * submitted before the restrictions are registered; then only the opcodes
 * in ring_ops, only the SQE flags in RING_SQE_FLAGS, and no register
 * operation at all are accepted; anything else completes with -EACCES.
 * Seccomp cannot see operations submitted through a ring, so this table is
 * the broker's own allow-list: keep it to what the WASI backend submits.
 * Plain OPENAT is absent on purpose: every open goes through OPENAT2 with
 * RESOLVE_BENEATH.  No socket creation, connect, MSG_RING or URING_CMD.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ring.h"

/*
 * Opcodes the broker may submit, each with what it serves.  Work on
 * regular files and the metadata and name operations run as plain calls
 * (uring_io.c says why), so their opcodes are refused here.
 */
static const uint8_t ring_ops[] = {
	IORING_OP_READ,			/* fd_read, fd_pread on pipes, sockets, ttys */
	IORING_OP_WRITE,		/* fd_write, fd_pwrite on the same */
	IORING_OP_READV,
	IORING_OP_WRITEV,
	IORING_OP_OPENAT2,		/* path_open, parents of path ops */
	IORING_OP_CLOSE,		/* fd_close */
	IORING_OP_ACCEPT,		/* sock_accept on a granted listener */
	IORING_OP_RECVMSG,		/* sock_recv (no control buffer) */
	IORING_OP_SENDMSG,		/* sock_send (no control buffer) */
	IORING_OP_SHUTDOWN,		/* sock_shutdown */
	IORING_OP_POLL_ADD,		/* poll_oneoff, the child's pidfd */
	IORING_OP_POLL_REMOVE,
	IORING_OP_TIMEOUT,		/* poll_oneoff clocks, --timeout */
	IORING_OP_TIMEOUT_REMOVE,
	IORING_OP_ASYNC_CANCEL,		/* abandon work for a dead child */
	RING_OP_FUTEX_WAIT,		/* the channel doorbell */
	RING_OP_FUTEX_WAKE,		/* wake the child */
};

/* SQE flags allowed: linking (a timeout bound to a read), nothing else. */
#define RING_SQE_FLAGS IOSQE_IO_LINK

#define RING_NOPS (sizeof(ring_ops) / sizeof(ring_ops[0]))

/* Is op in the table (what the kernel will accept once enabled)? */
bool ring_op_allowed(uint8_t op)
{
	for (size_t i = 0; i < RING_NOPS; i++)
		if (ring_ops[i] == op)
			return true;
	return false;
}

static int ring_register(int fd, unsigned op, void *arg, unsigned nr)
{
	long r = syscall(__NR_io_uring_register, fd, op, arg, nr);

	return r < 0 ? -errno : (int)r;
}

/*
 * Register the restrictions: one SQE_OP entry per table row, the allowed
 * SQE flags, and no REGISTER_OP entry, so that every register operation
 * is refused once the ring is enabled.
 */
static int ring_restrict(int fd)
{
	struct io_uring_restriction res[RING_NOPS + 1];

	memset(res, 0, sizeof(res));
	for (size_t i = 0; i < RING_NOPS; i++) {
		res[i].opcode = IORING_RESTRICTION_SQE_OP;
		res[i].sqe_op = ring_ops[i];
	}
	res[RING_NOPS].opcode = IORING_RESTRICTION_SQE_FLAGS_ALLOWED;
	res[RING_NOPS].sqe_flags = RING_SQE_FLAGS;
	return ring_register(fd, IORING_REGISTER_RESTRICTIONS, res, RING_NOPS + 1);
}

/*
 * Create, restrict and enable the ring.  Returns 0, or -errno: -EPERM or
 * -ENOSYS mean io_uring is disabled on this host (sysctl, container
 * profile, kernel config), and the caller uses the plain-syscall backend.
 */
int ring_open(struct ring *r, unsigned entries)
{
	struct io_uring_params p;
	int err;

	memset(r, 0, sizeof(*r));
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_R_DISABLED | IORING_SETUP_SUBMIT_ALL |
		  IORING_SETUP_COOP_TASKRUN;
	err = io_uring_queue_init_params(entries, &r->uring, &p);
	if (err == -EINVAL) {
		memset(&p, 0, sizeof(p));
		p.flags = IORING_SETUP_R_DISABLED;
		err = io_uring_queue_init_params(entries, &r->uring, &p);
	}
	if (err < 0)
		return err;
	err = ring_restrict(r->uring.ring_fd);
	if (err >= 0)
		err = ring_register(r->uring.ring_fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0);
	if (err < 0) {
		io_uring_queue_exit(&r->uring);
		return err;
	}
	return 0;
}

void ring_close(struct ring *r)
{
	io_uring_queue_exit(&r->uring);
}

/*
 * FUTEX_WAIT (opcode 51), filled by hand.  The kernel's prep reads: addr =
 * the futex address, addr2 (the off field) = the expected value, addr3 =
 * the wake bitset mask, fd = futex2 flags; len, the op-flags word,
 * buf_index and file_index must be 0.  Leave RING_FUTEX2_PRIVATE out for
 * a word shared with another process.
 */
void ring_prep_futex_wait(struct io_uring_sqe *sqe, const void *addr,
			  uint32_t val, uint64_t mask, uint32_t futex2_flags)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = RING_OP_FUTEX_WAIT;
	sqe->fd = (int32_t)futex2_flags;
	sqe->addr = (uint64_t)(uintptr_t)addr;
	sqe->off = val;
	sqe->addr3 = mask;
}

/* FUTEX_WAKE (opcode 52): the same fields, addr2 = how many to wake. */
void ring_prep_futex_wake(struct io_uring_sqe *sqe, const void *addr,
			  uint32_t nr, uint64_t mask, uint32_t futex2_flags)
{
	ring_prep_futex_wait(sqe, addr, nr, mask, futex2_flags);
	sqe->opcode = RING_OP_FUTEX_WAKE;
}

/* Get an SQE, submitting what is queued if the ring is full. */
static struct io_uring_sqe *ring_sqe(struct ring *r)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&r->uring);

	if (!sqe && io_uring_submit(&r->uring) >= 0)
		sqe = io_uring_get_sqe(&r->uring);
	return sqe;
}

/* Queue the doorbell wait, the pidfd poll and the deadline not yet queued. */
static int ring_arm(struct ring *r, const struct ring_wait_args *a)
{
	struct io_uring_sqe *sqe;

	if (a->futex && !r->futex_armed) {
		if (!(sqe = ring_sqe(r)))
			return -EBUSY;
		ring_prep_futex_wait(sqe, (const void *)a->futex, a->futex_val,
				     RING_FUTEX_MATCH_ANY, RING_FUTEX2_SIZE_U32);
		io_uring_sqe_set_data64(sqe, RING_UD_FUTEX);
		r->futex_armed = true;
	}
	if (a->pidfd >= 0 && !r->child_armed) {
		if (!(sqe = ring_sqe(r)))
			return -EBUSY;
		io_uring_prep_poll_add(sqe, a->pidfd, POLLIN);
		io_uring_sqe_set_data64(sqe, RING_UD_CHILD);
		r->child_armed = true;
	}
	if (a->deadline_ns >= 0 && !r->timeout_armed) {
		if (!(sqe = ring_sqe(r)))
			return -EBUSY;
		r->deadline.tv_sec = a->deadline_ns / 1000000000;
		r->deadline.tv_nsec = a->deadline_ns % 1000000000;
		io_uring_prep_timeout(sqe, &r->deadline, 0, IORING_TIMEOUT_ABS);
		io_uring_sqe_set_data64(sqe, RING_UD_TIMEOUT);
		r->timeout_armed = true;
	}
	return 0;
}

/* Turn one of our own completions into an event bit, or an error. */
static int ring_own_cqe(struct ring *r, const struct io_uring_cqe *cqe, unsigned *ev)
{
	switch (cqe->user_data) {
	case RING_UD_FUTEX:
		r->futex_armed = false;
		if (cqe->res < 0 && cqe->res != -EAGAIN && cqe->res != -EINTR)
			return cqe->res;
		*ev |= RING_EV_FUTEX;
		return 0;
	case RING_UD_CHILD:
		r->child_armed = false;
		if (cqe->res < 0)
			return cqe->res;
		*ev |= RING_EV_CHILD;
		return 0;
	default:
		r->timeout_armed = false;
		if (cqe->res != -ETIME)
			return cqe->res < 0 ? cqe->res : -EIO;
		*ev |= RING_EV_TIMEOUT;
		return 0;
	}
}

/* Consume every completion ready now. */
static int ring_reap(struct ring *r, const struct ring_wait_args *a, unsigned *ev)
{
	struct io_uring_cqe *cqe;
	int err = 0, e;

	while (io_uring_peek_cqe(&r->uring, &cqe) == 0) {
		if (cqe->user_data >= RING_UD_FUTEX && cqe->user_data <= RING_UD_TIMEOUT) {
			e = ring_own_cqe(r, cqe, ev);
			if (e < 0 && !err)
				err = e;
		} else {
			if (a->on_cqe)
				a->on_cqe(a->ctx, cqe);
			*ev |= RING_EV_IO;
		}
		io_uring_cqe_seen(&r->uring, cqe);
	}
	return err;
}

/*
 * Sleep until the doorbell is woken, the child ends, the deadline passes
 * or one of the caller's operations completes; *events says which (more
 * than one may be set).  What is already queued stays queued across calls:
 * the doorbell wait until it fires, the child poll until the child ends,
 * the first deadline given until it passes.  For the channel, call
 * chan_broker_sleep() before and chan_broker_awake() after.  0 or -errno.
 */
int ring_wait(struct ring *r, const struct ring_wait_args *a, unsigned *events)
{
	int err;

	*events = 0;
	err = ring_arm(r, a);
	if (err < 0)
		return err;
	do
		err = io_uring_submit_and_wait(&r->uring, 1);
	while (err == -EINTR);
	if (err < 0)
		return err;
	return ring_reap(r, a, events);
}
