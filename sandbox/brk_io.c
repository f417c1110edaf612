/*
 * brk_io.c: the broker's accounting layer over the WASI backend.
 *
 * It wraps the data operations of whichever backend runs the calls
 * (io_uring or plain system calls): every byte moved is counted for the
 * audit log, and writes that reach the guest's stdout or stderr are cut
 * at --max-output (the broker then ends the run).  The iovecs it sees are
 * the host copies the WASI code already checked, so a cut copy of them is
 * safe to hand on.
 */
#include <errno.h>
#include <string.h>

#include "brk.h"

#define BRK_MAX_IOVS 1024	/* as the WASI code's own cap (IOV_MAX) */

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
 * number of iovecs kept.  Sets *cut_short when bytes were dropped.
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

/* A write: cut at the output limit when it goes to stdout/stderr. */
static ssize_t brk_io_write(const wasi_backend *b, int fd, const struct iovec *iov, int n,
			    int64_t off, bool pos)
{
	struct brk_io *io = brk_io_of(b);
	struct iovec cut[BRK_MAX_IOVS];
	bool short_;
	ssize_t r;
	int k;

	if (!brk_io_is_out(io, fd))
		return brk_io_count(io, pos ? io->in->pwritev(io->in, fd, iov, n, off) :
					     io->in->writev(io->in, fd, iov, n));
	k = brk_io_cut(iov, n, io->out_max - io->out_used, cut, &short_);
	if (short_)
		io->out_hit = true;
	if (k == 0)
		return short_ ? -EFBIG : 0;
	r = pos ? io->in->pwritev(io->in, fd, cut, k, off) : io->in->writev(io->in, fd, cut, k);
	if (r > 0)
		io->out_used += (uint64_t)r;
	return brk_io_count(io, r);
}

static ssize_t brk_io_writev(const wasi_backend *b, int fd, const struct iovec *iov, int n)
{
	return brk_io_write(b, fd, iov, n, 0, false);
}

static ssize_t brk_io_pwritev(const wasi_backend *b, int fd, const struct iovec *iov, int n,
			      int64_t off)
{
	return brk_io_write(b, fd, iov, n, off, true);
}

static ssize_t brk_io_readv(const wasi_backend *b, int fd, const struct iovec *iov, int n)
{
	struct brk_io *io = brk_io_of(b);

	return brk_io_count(io, io->in->readv(io->in, fd, iov, n));
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

/* Wrap `in`; out_fd is filled by the caller once the context exists. */
void brk_io_init(struct brk_io *io, const wasi_backend *in, uint64_t max_output)
{
	memset(io, 0, sizeof(*io));
	io->be = *in;
	io->in = in;
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
