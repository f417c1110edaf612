/*
 * uring_io.c: the WASI backend on io_uring (see uring_io.h).
 *
 * Every operation is synchronous for its caller: prepare, submit, wait
 * for its completion.  Buffers, iovecs, paths and result structures live
 * in the caller's frame or in the shared linear memory, so a batch never
 * returns before every one of its completions has arrived (a cancelled
 * operation still completes, with -ECANCELED).  Operations that io_uring
 * does not offer (lseek, fcntl flags, utimensat, getdents64, readlinkat,
 * clocks, randomness) are plain calls that never block for long.  Only
 * the opcodes of ring.c's table are used; the ring refuses any other.
 *
 * Work on regular files, and the metadata and name operations, also run as
 * plain calls in the broker (uring_ops, uring_is_quiet).  io_uring
 * cannot issue them without blocking (buffered writes on most file systems,
 * STATX, FTRUNCATE, FSYNC, FALLOCATE, MKDIRAT, UNLINKAT, RENAMEAT, LINKAT,
 * SYMLINKAT), so it hands each to a kernel worker thread, and on this
 * machine that hand-off costs more than the call itself (measured: about
 * 3.5 us per small file write).  A plain call is the same operation the
 * worker would make: the broker's credentials, its Landlock domain, a
 * descriptor or a single leaf name the WASI layer has already checked.  It
 * waits only on the host's file system, never on a pipe, a socket, a FIFO
 * or a terminal, so nothing the guest controls can hold the broker in it;
 * those stay on the ring, where the child's end and the deadline cancel
 * them.  So does every open but those of directories and O_PATH handles:
 * opening a FIFO waits for its peer.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "sbx.h"
#include "uring_io.h"

#define URING_ENTRIES	256
#define URING_UD_DROP	0	/* completions of cancel requests */

/* The operations a batch waits for: user_data base .. base + n - 1. */
struct uring_batch {
	uint64_t base;
	unsigned n, left;
	int32_t *res;
	bool first_ends;	/* poll: the first completion cancels the rest */
	bool cancelled;
};

/* The backend is the first member, so a backend pointer is its uring_io. */
static struct uring_io *uring_of(const wasi_backend *b)
{
	return (struct uring_io *)(uintptr_t)b;
}

/* An SQE, submitting what is queued when the submission ring is full. */
static struct io_uring_sqe *uring_sqe(struct uring_io *u)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring.uring);

	if (!sqe && io_uring_submit(&u->ring.uring) >= 0)
		sqe = io_uring_get_sqe(&u->ring.uring);
	return sqe;
}

/* Queue the child's pidfd poll and the deadline if they are not queued. */
static void uring_arm_watches(struct uring_io *u)
{
	struct io_uring_sqe *sqe;

	if (u->pidfd >= 0 && !u->ring.child_armed && (sqe = uring_sqe(u))) {
		io_uring_prep_poll_add(sqe, u->pidfd, POLLIN);
		io_uring_sqe_set_data64(sqe, RING_UD_CHILD);
		u->ring.child_armed = true;
	}
	if (u->deadline_ns >= 0 && !u->ring.timeout_armed && (sqe = uring_sqe(u))) {
		u->ring.deadline.tv_sec = u->deadline_ns / 1000000000;
		u->ring.deadline.tv_nsec = u->deadline_ns % 1000000000;
		io_uring_prep_timeout(sqe, &u->ring.deadline, 0, IORING_TIMEOUT_ABS);
		io_uring_sqe_set_data64(sqe, RING_UD_TIMEOUT);
		u->ring.timeout_armed = true;
	}
}

/* One completion of the broker's own watches becomes an event bit. */
static void uring_watch_cqe(struct uring_io *u, const struct io_uring_cqe *cqe)
{
	switch (cqe->user_data) {
	case RING_UD_FUTEX:
		u->ring.futex_armed = false;
		u->events |= RING_EV_FUTEX;
		break;
	case RING_UD_CHILD:
		u->ring.child_armed = false;
		if (cqe->res >= 0)
			u->events |= RING_EV_CHILD;
		break;
	case RING_UD_TIMEOUT:
		u->ring.timeout_armed = false;
		if (cqe->res == -ETIME)
			u->events |= RING_EV_TIMEOUT;
		break;
	}
}

/* Route one completion: to the batch, to the watches, or nowhere. */
static void uring_route(struct uring_io *u, const struct io_uring_cqe *cqe,
			struct uring_batch *bt)
{
	uint64_t ud = cqe->user_data;

	if (bt && ud >= bt->base && ud - bt->base < bt->n) {
		bt->res[ud - bt->base] = cqe->res;
		bt->left--;
	} else if (ud >= RING_UD_FUTEX && ud <= RING_UD_TIMEOUT) {
		uring_watch_cqe(u, cqe);
	}
}

/* Ask the kernel to cancel every operation of the batch still pending. */
static void uring_cancel(struct uring_io *u, struct uring_batch *bt)
{
	struct io_uring_sqe *sqe;

	bt->cancelled = true;
	for (unsigned i = 0; i < bt->n; i++) {
		if (bt->res[i] != INT32_MIN || !(sqe = uring_sqe(u)))
			continue;
		io_uring_prep_cancel64(sqe, bt->base + i, 0);
		io_uring_sqe_set_data64(sqe, URING_UD_DROP);
	}
}

/*
 * Submit what is queued and wait until bt (if any) has all its
 * completions, or, without a batch, until one event arrived.  The child
 * ending or the deadline passing cancels the batch's pending operations.
 */
static void uring_drive(struct uring_io *u, struct uring_batch *bt)
{
	struct io_uring_cqe *cqe;
	int r;

	uring_arm_watches(u);
	for (;;) {
		if (bt ? bt->left == 0 : u->events != 0)
			return;
		if (bt && !bt->cancelled &&
		    ((u->events & (RING_EV_CHILD | RING_EV_TIMEOUT)) ||
		     (bt->first_ends && bt->left < bt->n)))
			uring_cancel(u, bt);
		r = io_uring_submit_and_wait(&u->ring.uring, 1);
		if (r < 0 && r != -EINTR && r != -EBUSY && r != -EAGAIN)
			u->events |= RING_EV_CHILD;	/* a broken ring: end the run */
		while (io_uring_peek_cqe(&u->ring.uring, &cqe) == 0) {
			uring_route(u, cqe, bt);
			io_uring_cqe_seen(&u->ring.uring, cqe);
		}
	}
}

/* Give a batch of n operations its user_data range and result slots. */
static void uring_batch_init(struct uring_io *u, struct uring_batch *bt,
			     int32_t *res, unsigned n)
{
	*bt = (struct uring_batch){ .base = u->next, .n = n, .left = n, .res = res };
	u->next += n;
	for (unsigned i = 0; i < n; i++)
		res[i] = INT32_MIN;
}

/* Run one prepared operation (sqe from uring_sqe) and return its result. */
static long uring_one(struct uring_io *u, struct io_uring_sqe *sqe)
{
	struct uring_batch bt;
	int32_t res;

	if (!sqe)
		return -EBUSY;
	uring_batch_init(u, &bt, &res, 1);
	io_uring_sqe_set_data64(sqe, bt.base);
	uring_drive(u, &bt);
	return res;
}

/* Shorthand: get an SQE into `sqe` or fail the operation with -EBUSY. */
#define URING_SQE(u, sqe)				\
	struct io_uring_sqe *sqe = uring_sqe(u);	\
	if (!sqe)					\
		return -EBUSY

/* ---- data ---- */

/* What the table says of fd (URING_KIND_UNKNOWN past its end). */
static uint8_t uring_kind(const struct uring_io *u, int fd)
{
	return fd >= 0 && fd < URING_KIND_FDS ? u->kind[fd] : URING_KIND_UNKNOWN;
}

/* Record what a descriptor number now is (closed, or a new file under it). */
static void uring_set_kind(struct uring_io *u, int fd, uint8_t kind)
{
	if (fd >= 0 && fd < URING_KIND_FDS)
		u->kind[fd] = kind;
}

/*
 * Is fd a regular file or a directory, on which no call can wait for a
 * peer?  The answer is kept per descriptor number and forgotten when the
 * number is closed or handed out again by an open or an accept, the only
 * ways a number the guest can name changes its file.  A descriptor that
 * cannot be examined counts as neither (the ring).
 */
static bool uring_is_quiet(struct uring_io *u, int fd)
{
	struct stat st;
	bool quiet;

	if (uring_kind(u, fd) != URING_KIND_UNKNOWN)
		return uring_kind(u, fd) == URING_KIND_QUIET;
	quiet = fstat(fd, &st) == 0 && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode));
	uring_set_kind(u, fd, quiet ? URING_KIND_QUIET : URING_KIND_OTHER);
	return quiet;
}

/* A read or write at the current position on the ring, with rw_flags. */
static ssize_t uring_rw_ring(struct uring_io *u, int fd, const struct iovec *iov, int n,
			     int rwf, bool out)
{
	URING_SQE(u, sqe);
	if (out)
		io_uring_prep_writev(sqe, fd, iov, (unsigned)n, (uint64_t)-1);
	else
		io_uring_prep_readv(sqe, fd, iov, (unsigned)n, (uint64_t)-1);
	sqe->rw_flags = rwf;
	return uring_one(u, sqe);
}

/*
 * fd_read and fd_write.  WASI_IO_NOWAIT becomes RWF_NOWAIT: the ring then
 * completes with -EAGAIN instead of arming a poll.  A file type that does
 * not take the flag (EOPNOTSUPP: a terminal, some devices) is asked first
 * with a zero-timeout poll, a plain call that cannot wait.  Regular files
 * and directories are never waited on: plain calls, the flag moot.
 */
static ssize_t uring_rw(const wasi_backend *b, int fd, const struct iovec *iov, int n,
			int flags, bool out)
{
	struct uring_io *u = uring_of(b);
	bool nowait = flags & WASI_IO_NOWAIT;
	ssize_t r;
	int ready;

	if (uring_is_quiet(u, fd))
		return out ? wasi_io_sys.writev(b, fd, iov, n, 0) :
			     wasi_io_sys.readv(b, fd, iov, n, 0);
	r = uring_rw_ring(u, fd, iov, n, nowait ? RWF_NOWAIT : 0, out);
	if (r != -EOPNOTSUPP || !nowait)
		return r;
	ready = wasi_io_ready_now(fd, out);
	if (ready <= 0)
		return ready < 0 ? ready : -EAGAIN;
	return uring_rw_ring(u, fd, iov, n, 0, out);
}

static ssize_t uring_readv(const wasi_backend *b, int fd, const struct iovec *iov, int n,
			   int flags)
{
	return uring_rw(b, fd, iov, n, flags, false);
}

static ssize_t uring_writev(const wasi_backend *b, int fd, const struct iovec *iov, int n,
			    int flags)
{
	return uring_rw(b, fd, iov, n, flags, true);
}

/* A negative offset would mean "the current position" to io_uring. */
static ssize_t uring_preadv(const wasi_backend *b, int fd, const struct iovec *iov, int n,
			    int64_t off)
{
	if (off < 0)
		return -EINVAL;
	if (uring_is_quiet(uring_of(b), fd))
		return wasi_io_sys.preadv(b, fd, iov, n, off);
	URING_SQE(uring_of(b), sqe);
	io_uring_prep_readv(sqe, fd, iov, (unsigned)n, (uint64_t)off);
	return uring_one(uring_of(b), sqe);
}

static ssize_t uring_pwritev(const wasi_backend *b, int fd, const struct iovec *iov, int n,
			     int64_t off)
{
	if (off < 0)
		return -EINVAL;
	if (uring_is_quiet(uring_of(b), fd))
		return wasi_io_sys.pwritev(b, fd, iov, n, off);
	URING_SQE(uring_of(b), sqe);
	io_uring_prep_writev(sqe, fd, iov, (unsigned)n, (uint64_t)off);
	return uring_one(uring_of(b), sqe);
}

/* ---- descriptors ---- */

/*
 * An O_PATH or O_DIRECTORY open never opens a FIFO or a device (O_PATH
 * opens nothing, O_DIRECTORY fails on anything but a directory first), so
 * it cannot wait for a peer: a plain call.  Nothing on what it returns can
 * wait either (an O_PATH descriptor refuses reads and writes at once).
 * Other opens go to the ring.
 */
static int uring_openat2(const wasi_backend *b, int dirfd, const char *path, int flags,
			 unsigned mode, uint64_t resolve)
{
	struct open_how how = {
		.flags = (uint64_t)(unsigned)flags,
		.mode = (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? mode : 0,
		.resolve = resolve,
	};
	struct uring_io *u = uring_of(b);
	int fd;

	if (flags & (O_PATH | O_DIRECTORY)) {
		fd = wasi_io_sys.openat2(b, dirfd, path, flags, mode, resolve);
		uring_set_kind(u, fd, URING_KIND_QUIET);
		return fd;
	}
	URING_SQE(u, sqe);
	io_uring_prep_openat2(sqe, dirfd, path, &how);
	fd = (int)uring_one(u, sqe);
	uring_set_kind(u, fd, URING_KIND_UNKNOWN);
	return fd;
}

/*
 * Closing a file, a directory or an O_PATH descriptor cannot wait (a
 * socket's close may linger): a plain call for those known to be quiet.
 */
static int uring_close(const wasi_backend *b, int fd)
{
	struct uring_io *u = uring_of(b);
	bool quiet = uring_kind(u, fd) == URING_KIND_QUIET;

	uring_set_kind(u, fd, URING_KIND_UNKNOWN);
	if (quiet)
		return wasi_io_sys.close(b, fd);
	URING_SQE(u, sqe);
	io_uring_prep_close(sqe, fd);
	return (int)uring_one(u, sqe);
}

/* ---- sockets ---- */

static int uring_accept(const wasi_backend *b, int fd, int flags)
{
	int conn;

	URING_SQE(uring_of(b), sqe);
	io_uring_prep_accept(sqe, fd, NULL, NULL, flags);
	conn = (int)uring_one(uring_of(b), sqe);
	uring_set_kind(uring_of(b), conn, URING_KIND_UNKNOWN);
	return conn;
}

/*
 * Whole messages, every iovec: the msghdr holds no control buffer (the
 * WASI layer never sets one), so no descriptor can arrive with the data.
 */
static ssize_t uring_recvmsg(const wasi_backend *b, int fd, struct msghdr *msg, int flags)
{
	msg->msg_flags = 0;
	URING_SQE(uring_of(b), sqe);
	io_uring_prep_recvmsg(sqe, fd, msg, (unsigned)flags);
	return uring_one(uring_of(b), sqe);
}

static ssize_t uring_sendmsg(const wasi_backend *b, int fd, const struct msghdr *msg,
			     int flags)
{
	URING_SQE(uring_of(b), sqe);
	io_uring_prep_sendmsg(sqe, fd, msg, (unsigned)flags);
	return uring_one(uring_of(b), sqe);
}

static int uring_shutdown(const wasi_backend *b, int fd, int how)
{
	URING_SQE(uring_of(b), sqe);
	io_uring_prep_shutdown(sqe, fd, how);
	return (int)uring_one(uring_of(b), sqe);
}

/* ---- waiting ---- */

/* Queue poll_oneoff's operations: one POLL_ADD per descriptor, a timeout. */
static void uring_poll_prep(struct uring_io *u, struct uring_batch *bt,
			    const struct pollfd *fds, unsigned n,
			    struct __kernel_timespec *ts)
{
	struct io_uring_sqe *sqe;

	for (unsigned i = 0; i <= n; i++) {
		if ((i < n && fds[i].fd < 0) || (i == n && !ts) || !(sqe = uring_sqe(u))) {
			bt->res[i] = 0;		/* nothing to wait for */
			bt->left--;
			continue;
		}
		if (i < n)
			io_uring_prep_poll_add(sqe, fds[i].fd, (unsigned)fds[i].events);
		else
			io_uring_prep_timeout(sqe, ts, 0, 0);
		io_uring_sqe_set_data64(sqe, bt->base + i);
	}
}

/*
 * poll: wait until one descriptor is ready or the timeout passes, then
 * cancel the rest.  Returns the number of ready descriptors (0 on
 * timeout), or -EINTR when the child ended or time ran out meanwhile.
 */
static int uring_poll(const wasi_backend *b, struct pollfd *fds, unsigned n, int64_t timeout_ns)
{
	struct uring_io *u = uring_of(b);
	struct __kernel_timespec ts = { timeout_ns / 1000000000, timeout_ns % 1000000000 };
	_cleanup_free_ int32_t *res = malloc(sizeof(*res) * ((size_t)n + 1));
	struct uring_batch bt;
	int ready = 0;

	if (!res)
		return -ENOMEM;
	uring_batch_init(u, &bt, res, n + 1);
	bt.first_ends = true;
	uring_poll_prep(u, &bt, fds, n, timeout_ns >= 0 ? &ts : NULL);
	if (bt.left == 0)
		return 0;
	uring_drive(u, &bt);
	for (unsigned i = 0; i < n; i++) {
		fds[i].revents = (short)(res[i] > 0 ? res[i] :
					 res[i] == -ECANCELED || res[i] == 0 ? 0 : POLLNVAL);
		ready += fds[i].revents != 0;
	}
	if (!ready && (u->events & (RING_EV_CHILD | RING_EV_TIMEOUT)))
		return -EINTR;
	return ready;
}

/*
 * Fill the function table: the plain calls of wasi_io_sys, then the ring
 * wherever a call can wait on something outside the host's file system.
 * What stays plain, and why each is safe:
 *   - what io_uring lacks: lseek, the status flags, utimensat, getdents64,
 *     readlinkat, clocks, randomness, sched_yield; none waits on anything
 *     the guest controls (a listing, a link's text, a clock, the pool);
 *   - the zero-timeout poll before a non-blocking read or write on a
 *     descriptor that refuses RWF_NOWAIT (uring_rw), which cannot wait;
 *   - what io_uring would hand to a worker thread (see the top of the
 *     file): statx, ftruncate, fsync, fallocate, fadvise, which fail at once
 *     (EINVAL, ESPIPE) on a pipe or a socket, and mkdirat, unlinkat,
 *     renameat, linkat, symlinkat, each on one checked leaf inside an
 *     opened directory;
 *   - reads, writes, opens and closes on regular files and directories,
 *     decided per call below (uring_is_quiet, uring_openat2, uring_close).
 */
static void uring_ops(wasi_backend *be)
{
	*be = wasi_io_sys;
	be->readv = uring_readv;
	be->writev = uring_writev;
	be->preadv = uring_preadv;
	be->pwritev = uring_pwritev;
	be->openat2 = uring_openat2;
	be->close = uring_close;
	be->accept = uring_accept;
	be->recvmsg = uring_recvmsg;
	be->sendmsg = uring_sendmsg;
	be->shutdown = uring_shutdown;
	be->poll = uring_poll;
}

/*
 * Create the restricted ring and the backend around it; pidfd and the
 * deadline (CLOCK_MONOTONIC ns, or < 0) are watched from now on.  0 or
 * -errno (-EPERM, -ENOSYS: io_uring is disabled on this host).
 */
int uring_io_open(struct uring_io *u, int pidfd, int64_t deadline_ns)
{
	int r;

	memset(u, 0, sizeof(*u));
	r = ring_open(&u->ring, URING_ENTRIES);
	if (r < 0)
		return r;
	uring_ops(&u->be);
	u->pidfd = pidfd;
	u->deadline_ns = deadline_ns;
	u->next = 1;
	uring_arm_watches(u);
	return 0;
}

/*
 * Sleep until the doorbell word moves from val (FUTEX_WAIT on the shared
 * page), the child ends or the deadline passes.  Returns the events seen
 * (also kept for uring_io_take).
 */
int uring_io_wait(struct uring_io *u, const _Atomic uint32_t *futex, uint32_t val)
{
	struct io_uring_sqe *sqe;

	if (futex && !u->ring.futex_armed && (sqe = uring_sqe(u))) {
		ring_prep_futex_wait(sqe, (const void *)futex, val, RING_FUTEX_MATCH_ANY,
				     RING_FUTEX2_SIZE_U32);
		io_uring_sqe_set_data64(sqe, RING_UD_FUTEX);
		u->ring.futex_armed = true;
	}
	uring_drive(u, NULL);
	return (int)u->events;
}

/* Take the events collected so far (by waits and by operations). */
unsigned uring_io_take(struct uring_io *u)
{
	unsigned ev = u->events;

	u->events = 0;
	return ev;
}
