/*
 * brk_io.c: the broker's accounting layer over the WASI backend.
 *
 * It wraps the data operations of whichever backend runs the calls
 * (io_uring or plain system calls): every byte moved is counted for the
 * audit log, and writes that reach the guest's stdout or stderr are held
 * to --max-output (the broker ends the run once the bytes written fill it
 * and the guest asks for more).  The iovecs it sees are
 * the host copies the WASI code already checked, so a cut copy of them is
 * safe to hand on.  Every other operation is forwarded with the inner
 * backend as its own argument, so an inner backend that keeps state next
 * to its table (io_uring) finds it.
 */
#include <errno.h>
#include <string.h>

#include "brk.h"

#define BRK_MAX_IOVS 1024	/* as the WASI code's own cap (IOV_MAX) */

/* The wrapper is the first member: a backend pointer is its brk_io. */
static struct brk_io *brk_io_of(const wasi_backend *b)
{
	return (struct brk_io *)(uintptr_t)b;
}

/* Is fd one of the guest's output streams while a limit applies? */
static bool brk_io_is_out(const struct brk_io *io, int fd)
{
	return io->out_max && (fd == io->out_fd[0] || fd == io->out_fd[1]);
}

/*
 * Copy iov[0..n) into cut[], keeping at most `room` bytes; returns the
 * number of iovecs kept.  Sets *cut_short when bytes were dropped (the
 * guest asked for more than the room).
 */
static int brk_io_cut(const struct iovec *iov, int n, uint64_t room,
		      struct iovec *cut, bool *cut_short)
{
	int k = 0;

	*cut_short = false;
	for (int i = 0; i < n && i < BRK_MAX_IOVS; i++) {
		if (room == 0) {
			*cut_short |= iov[i].iov_len != 0;
			continue;
		}
		cut[k] = iov[i];
		if (cut[k].iov_len > room) {
			cut[k].iov_len = room;
			*cut_short = true;
		}
		room -= cut[k].iov_len;
		k++;
	}
	return k;
}

/* Count a transfer's result. */
static ssize_t brk_io_count(struct brk_io *io, ssize_t r)
{
	if (r > 0)
		io->bytes += (uint64_t)r;
	return r;
}

/* Hand a write on to the inner backend. */
static ssize_t brk_io_put(struct brk_io *io, int fd, const struct iovec *iov, int n,
			  int64_t off, int flags, bool pos)
{
	return pos ? io->in->pwritev(io->in, fd, iov, n, off) :
		     io->in->writev(io->in, fd, iov, n, flags);
}

/*
 * A write.  To stdout or stderr under --max-output it is cut to the room
 * left, and the budget is charged with what the write returned, not what
 * was asked: a short write to a pipe leaves the rest for the guest's next
 * try.  The limit is reached (out_hit: the broker ends the run) only once
 * the bytes written fill the budget and the guest asked for more.
 */
static ssize_t brk_io_write(const wasi_backend *b, int fd, const struct iovec *iov, int n,
			    int64_t off, int flags, bool pos)
{
	struct brk_io *io = brk_io_of(b);
	struct iovec cut[BRK_MAX_IOVS];
	bool more;
	ssize_t r;
	int k;

	if (!brk_io_is_out(io, fd))
		return brk_io_count(io, brk_io_put(io, fd, iov, n, off, flags, pos));
	k = brk_io_cut(iov, n, io->out_max - io->out_used, cut, &more);
	if (k == 0) {
		io->out_hit |= more;
		return more ? -EFBIG : 0;
	}
	r = brk_io_put(io, fd, cut, k, off, flags, pos);
	if (r > 0)
		io->out_used += (uint64_t)r;
	if (more && io->out_used == io->out_max)
		io->out_hit = true;
	return brk_io_count(io, r);
}

static ssize_t brk_io_writev(const wasi_backend *b, int fd, const struct iovec *iov, int n,
			     int flags)
{
	return brk_io_write(b, fd, iov, n, 0, flags, false);
}

static ssize_t brk_io_pwritev(const wasi_backend *b, int fd, const struct iovec *iov, int n,
			      int64_t off)
{
	return brk_io_write(b, fd, iov, n, off, 0, true);
}

static ssize_t brk_io_readv(const wasi_backend *b, int fd, const struct iovec *iov, int n,
			    int flags)
{
	struct brk_io *io = brk_io_of(b);

	return brk_io_count(io, io->in->readv(io->in, fd, iov, n, flags));
}

static ssize_t brk_io_preadv(const wasi_backend *b, int fd, const struct iovec *iov, int n,
			     int64_t off)
{
	struct brk_io *io = brk_io_of(b);

	return brk_io_count(io, io->in->preadv(io->in, fd, iov, n, off));
}

static ssize_t brk_io_recvmsg(const wasi_backend *b, int fd, struct msghdr *msg, int flags)
{
	struct brk_io *io = brk_io_of(b);

	return brk_io_count(io, io->in->recvmsg(io->in, fd, msg, flags));
}

/* A socket is never stdout or stderr's description here: counted only. */
static ssize_t brk_io_sendmsg(const wasi_backend *b, int fd, const struct msghdr *msg,
			      int flags)
{
	struct brk_io *io = brk_io_of(b);

	return brk_io_count(io, io->in->sendmsg(io->in, fd, msg, flags));
}

/* A closed output stream stops being one: its number may be reused. */
static int brk_io_close(const wasi_backend *b, int fd)
{
	struct brk_io *io = brk_io_of(b);

	for (int i = 0; i < 2; i++)
		if (io->out_fd[i] == fd)
			io->out_fd[i] = -1;
	return io->in->close(io->in, fd);
}

/* ---- the rest is handed on unchanged (to `in`, as its own backend) ---- */

static int64_t brk_fw_lseek(const wasi_backend *b, int fd, int64_t off, int whence)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->lseek(io->in, fd, off, whence);
}

static int brk_fw_openat2(const wasi_backend *b, int dirfd, const char *path,
			  int flags, unsigned mode, uint64_t resolve)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->openat2(io->in, dirfd, path, flags, mode, resolve);
}

static int brk_fw_getfl(const wasi_backend *b, int fd)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->getfl(io->in, fd);
}

static int brk_fw_setfl(const wasi_backend *b, int fd, int flags)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->setfl(io->in, fd, flags);
}

static int brk_fw_statx(const wasi_backend *b, int dirfd, const char *path,
			int flags, struct statx *st)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->statx(io->in, dirfd, path, flags, st);
}

static int brk_fw_ftruncate(const wasi_backend *b, int fd, int64_t len)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->ftruncate(io->in, fd, len);
}

static int brk_fw_fsync(const wasi_backend *b, int fd, bool datasync)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->fsync(io->in, fd, datasync);
}

static int brk_fw_fallocate(const wasi_backend *b, int fd, int64_t off, int64_t len)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->fallocate(io->in, fd, off, len);
}

static int brk_fw_fadvise(const wasi_backend *b, int fd, int64_t off, int64_t len,
			  int advice)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->fadvise(io->in, fd, off, len, advice);
}

static int brk_fw_utimensat(const wasi_backend *b, int dirfd, const char *path,
			    const struct timespec ts[2], int flags)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->utimensat(io->in, dirfd, path, ts, flags);
}

static ssize_t brk_fw_getdents64(const wasi_backend *b, int fd, void *buf, size_t len)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->getdents64(io->in, fd, buf, len);
}

static int brk_fw_mkdirat(const wasi_backend *b, int dirfd, const char *name,
			  unsigned mode)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->mkdirat(io->in, dirfd, name, mode);
}

static int brk_fw_unlinkat(const wasi_backend *b, int dirfd, const char *name, int flags)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->unlinkat(io->in, dirfd, name, flags);
}

static int brk_fw_renameat(const wasi_backend *b, int olddir, const char *oldname,
			   int newdir, const char *newname)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->renameat(io->in, olddir, oldname, newdir, newname);
}

static int brk_fw_linkat(const wasi_backend *b, int olddir, const char *oldname,
			 int newdir, const char *newname, int flags)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->linkat(io->in, olddir, oldname, newdir, newname, flags);
}

static int brk_fw_symlinkat(const wasi_backend *b, const char *target, int dirfd,
			    const char *name)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->symlinkat(io->in, target, dirfd, name);
}

static ssize_t brk_fw_readlinkat(const wasi_backend *b, int dirfd, const char *name,
				 char *buf, size_t len)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->readlinkat(io->in, dirfd, name, buf, len);
}

static int brk_fw_accept(const wasi_backend *b, int fd, int flags)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->accept(io->in, fd, flags);
}

static int brk_fw_shutdown(const wasi_backend *b, int fd, int how)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->shutdown(io->in, fd, how);
}

static int brk_fw_poll(const wasi_backend *b, struct pollfd *fds, unsigned n,
		       int64_t timeout_ns)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->poll(io->in, fds, n, timeout_ns);
}

static int brk_fw_clock_gettime(const wasi_backend *b, clockid_t id, struct timespec *ts)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->clock_gettime(io->in, id, ts);
}

static int brk_fw_clock_getres(const wasi_backend *b, clockid_t id, struct timespec *ts)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->clock_getres(io->in, id, ts);
}

static ssize_t brk_fw_getrandom(const wasi_backend *b, void *buf, size_t len)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->getrandom(io->in, buf, len);
}

static int brk_fw_sched_yield(const wasi_backend *b)
{
	const struct brk_io *io = brk_io_of(b);

	return io->in->sched_yield(io->in);
}

/* Hand every operation not accounted for straight to the inner backend. */
static void brk_io_forward(struct brk_io *io)
{
	io->be.lseek = brk_fw_lseek;
	io->be.openat2 = brk_fw_openat2;
	io->be.getfl = brk_fw_getfl;
	io->be.setfl = brk_fw_setfl;
	io->be.statx = brk_fw_statx;
	io->be.ftruncate = brk_fw_ftruncate;
	io->be.fsync = brk_fw_fsync;
	io->be.fallocate = brk_fw_fallocate;
	io->be.fadvise = brk_fw_fadvise;
	io->be.utimensat = brk_fw_utimensat;
	io->be.getdents64 = brk_fw_getdents64;
	io->be.mkdirat = brk_fw_mkdirat;
	io->be.unlinkat = brk_fw_unlinkat;
	io->be.renameat = brk_fw_renameat;
	io->be.linkat = brk_fw_linkat;
	io->be.symlinkat = brk_fw_symlinkat;
	io->be.readlinkat = brk_fw_readlinkat;
	io->be.accept = brk_fw_accept;
	io->be.shutdown = brk_fw_shutdown;
	io->be.poll = brk_fw_poll;
	io->be.clock_gettime = brk_fw_clock_gettime;
	io->be.clock_getres = brk_fw_clock_getres;
	io->be.getrandom = brk_fw_getrandom;
	io->be.sched_yield = brk_fw_sched_yield;
}

/* Wrap `in`; out_fd is filled by the caller once the context exists. */
void brk_io_init(struct brk_io *io, const wasi_backend *in, uint64_t max_output)
{
	memset(io, 0, sizeof(*io));
	io->in = in;
	brk_io_forward(io);
	io->out_fd[0] = io->out_fd[1] = -1;
	io->out_max = max_output;
	io->be.readv = brk_io_readv;
	io->be.writev = brk_io_writev;
	io->be.preadv = brk_io_preadv;
	io->be.pwritev = brk_io_pwritev;
	io->be.recvmsg = brk_io_recvmsg;
	io->be.sendmsg = brk_io_sendmsg;
	io->be.close = brk_io_close;
}
