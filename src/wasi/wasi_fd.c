/*
 * wasi_fd.c: the fd_* functions: reading, writing, seeking, the state and
 * metadata of a handle, and directory listings.
 *
 * Each function first finds the handle with the rights the definition
 * requires for it (wasi_fd_get), then checks every guest pointer, then
 * performs one host operation through the backend.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include "wasi_impl.h"

#define WASI_DIRENT_SIZE 24u

/* Nanoseconds since the epoch of a statx timestamp. */
static uint64_t wasi_ts_ns(const struct statx_timestamp *t)
{
	return (uint64_t)t->tv_sec * 1000000000u + t->tv_nsec;
}

/* Lay out a filestat (64 bytes) at p. */
void wasi_put_filestat(uint8_t *p, const struct statx *st)
{
	memset(p, 0, 64);
	wasi_put_u64(p, makedev(st->stx_dev_major, st->stx_dev_minor));
	wasi_put_u64(p + 8, st->stx_ino);
	p[16] = wasi_filetype(st->stx_mode);
	wasi_put_u64(p + 24, st->stx_nlink);
	wasi_put_u64(p + 32, st->stx_size);
	wasi_put_u64(p + 40, wasi_ts_ns(&st->stx_atime));
	wasi_put_u64(p + 48, wasi_ts_ns(&st->stx_mtime));
	wasi_put_u64(p + 56, wasi_ts_ns(&st->stx_ctime));
}

/* Turn (atim, mtim, fstflags) into utimensat's two timespecs. Setting a
 * time and asking for "now" at once is invalid, as are unknown flags. */
int wasi_make_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2])
{
	uint64_t t[2] = { atim, mtim };

	if (fst & ~0xfu)
		return WASI_EINVAL;
	for (int i = 0; i < 2; i++) {
		uint32_t set = (fst >> (2 * i)) & 1, now = (fst >> (2 * i + 1)) & 1;

		if (set && now)
			return WASI_EINVAL;
		ts[i].tv_sec = (time_t)(t[i] / 1000000000u);
		ts[i].tv_nsec = (long)(t[i] % 1000000000u);
		if (now)
			ts[i].tv_nsec = UTIME_NOW;
		else if (!set)
			ts[i].tv_nsec = UTIME_OMIT;
	}
	return WASI_ESUCCESS;
}

/* A descriptor that can be read as a directory stream (preopened
 * directories are held as O_PATH; open "." beneath them once). */
static int wasi_dir_stream(wasi_ctx *c, wasi_fd *f)
{
	int fd;

	if (f->dirstream >= 0)	/* also a derived entry stream's own */
		return f->dirstream;
	if (!f->preopen)
		return f->host;
	fd = c->io->openat2(c->io, f->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, 0);
	if (fd >= 0)
		f->dirstream = fd;
	return fd;
}

int wasi_p1_fd_advise(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	static const int advice[] = { POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL,
				      POSIX_FADV_RANDOM, POSIX_FADV_WILLNEED,
				      POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE };
	int err;
	wasi_fd *f = wasi_fd_get(c, A32(0), R_FD_ADVISE, &err);

	if (!f)
		return err;
	if ((a[3] & 0xff) > 5 || A64(1) > INT64_MAX || A64(2) > INT64_MAX)
		return WASI_EINVAL;
	return wasi_err(c->io->fadvise(c->io, f->host, (int64_t)A64(1), (int64_t)A64(2),
				       advice[a[3] & 0xff]));
}

int wasi_p1_fd_allocate(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	int err;
	wasi_fd *f = wasi_fd_get(c, A32(0), R_FD_ALLOCATE, &err);

	if (!f)
		return err;
	if (A64(1) > INT64_MAX || A64(2) > INT64_MAX)
		return WASI_EINVAL;
	return wasi_err(c->io->fallocate(c->io, f->host, (int64_t)A64(1), (int64_t)A64(2)));
}

int wasi_p1_fd_close(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	int err;
	wasi_fd *f = wasi_fd_get(c, A32(0), 0, &err);

	if (!f)
		return err;
	if (f->nchild)	/* its streams or pollables act on its descriptor */
		return WASI_EBUSY;
	wasi_fd_release(c, f);
	return WASI_ESUCCESS;
}

/* fd_sync and fd_datasync; a preopened directory is synced through its
 * readable stream, since an O_PATH descriptor cannot be. */
static int wasi_sync(wasi_ctx *c, const uint64_t *a, uint64_t right, bool data)
{
	int err, fd;
	wasi_fd *f = wasi_fd_get(c, A32(0), right, &err);

	if (!f)
		return err;
	fd = wasi_dir_stream(c, f);
	if (fd < 0)
		return wasi_errno(fd);
	return wasi_err(c->io->fsync(c->io, fd, data));
}

int wasi_p1_fd_datasync(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	return wasi_sync(c, a, R_FD_DATASYNC, true);
}

int wasi_p1_fd_sync(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	return wasi_sync(c, a, R_FD_SYNC, false);
}

/* The fdflags of a handle from its host status flags. */
static uint16_t wasi_fdflags(int fl)
{
	uint16_t r = 0;

	if (fl & O_APPEND)
		r |= WASI_FDFLAG_APPEND;
	if (fl & O_NONBLOCK)
		r |= WASI_FDFLAG_NONBLOCK;
	if ((fl & O_SYNC) == O_SYNC)
		r |= WASI_FDFLAG_SYNC | WASI_FDFLAG_RSYNC;
	else if (fl & O_DSYNC)
		r |= WASI_FDFLAG_DSYNC;
	return r;
}

int wasi_p1_fd_fdstat_get(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	int err, fl;
	wasi_fd *f = wasi_fd_get(c, A32(0), 0, &err);
	uint8_t *p;

	if (!f)
		return err;
	if (!wasi_mem_ok(m, A32(1), 24))
		return WASI_EFAULT;
	fl = f->preopen ? 0 : c->io->getfl(c->io, f->host);
	if (fl < 0)
		return wasi_errno(fl);
	if (f->shared)	/* the guest's own NONBLOCK, not the caller's */
		fl = (fl & ~O_NONBLOCK) | (f->nonblock ? O_NONBLOCK : 0);
	p = m->base + A32(1);
	memset(p, 0, 24);
	p[0] = f->type;
	wasi_put_u16(p + 2, wasi_fdflags(fl));
	wasi_put_u64(p + 8, f->base);
	wasi_put_u64(p + 16, f->inh);
	return WASI_ESUCCESS;
}

/*
 * A description shared with other processes (stdio) keeps its status
 * flags: O_NONBLOCK set there would outlive the run in the caller's pipe
 * or terminal, and clearing O_APPEND would let the guest overwrite what
 * the caller's file held. NONBLOCK is kept in the entry and emulated
 * (wasi_stream_rw); APPEND cannot be emulated in either direction, so a
 * change of it is refused.
 */
static int wasi_shared_flags(wasi_fd *f, int fl, uint32_t want)
{
	if (!(want & WASI_FDFLAG_APPEND) != !(fl & O_APPEND))
		return WASI_ENOTSUP;
	f->nonblock = want & WASI_FDFLAG_NONBLOCK;
	return WASI_ESUCCESS;
}

/* Only append and nonblock can change on an open Linux descriptor; the
 * synchronous-I/O flags are fixed when a file is opened. */
int wasi_p1_fd_fdstat_set_flags(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	int err, fl;
	uint32_t want = A32(1) & 0xffff;
	wasi_fd *f = wasi_fd_get(c, A32(0), R_FD_FDSTAT_SET_FLAGS, &err);

	if (!f)
		return err;
	if (want & ~0x1fu)
		return WASI_EINVAL;
	fl = c->io->getfl(c->io, f->host);
	if (fl < 0)
		return wasi_errno(fl);
	if ((want ^ wasi_fdflags(fl)) & (WASI_FDFLAG_DSYNC | WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC))
		return WASI_ENOTSUP;
	if (f->shared)
		return wasi_shared_flags(f, fl, want);
	fl &= ~(O_APPEND | O_NONBLOCK);
	fl |= (want & WASI_FDFLAG_APPEND ? O_APPEND : 0) |
	      (want & WASI_FDFLAG_NONBLOCK ? O_NONBLOCK : 0);
	return wasi_err(c->io->setfl(c->io, f->host, fl));
}

/* Rights only ever narrow: asking for one the handle lacks is refused. */
int wasi_p1_fd_fdstat_set_rights(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	int err;
	wasi_fd *f = wasi_fd_get(c, A32(0), 0, &err);

	if (!f)
		return err;
	if ((A64(1) & ~f->base) || (A64(2) & ~f->inh))
		return WASI_ENOTCAPABLE;
	f->base = A64(1);
	f->inh = A64(2);
	return WASI_ESUCCESS;
}

int wasi_p1_fd_filestat_get(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	int err, r;
	wasi_fd *f = wasi_fd_get(c, A32(0), R_FD_FILESTAT_GET, &err);
	struct statx st;

	if (!f)
		return err;
	if (!wasi_mem_ok(m, A32(1), 64))
		return WASI_EFAULT;
	r = c->io->statx(c->io, f->host, "", AT_EMPTY_PATH, &st);
	if (r < 0)
		return wasi_errno(r);
	wasi_put_filestat(m->base + A32(1), &st);
	/* the handle's own type, as fd_fdstat_get reports it: it differs from
	 * the host's for a standard stream that is a character device but no
	 * terminal ("unknown"); elsewhere it is the same */
	m->base[A32(1) + 16] = f->type;
	return WASI_ESUCCESS;
}

int wasi_p1_fd_filestat_set_size(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	int err;
	wasi_fd *f = wasi_fd_get(c, A32(0), R_FD_FILESTAT_SET_SIZE, &err);

	if (!f)
		return err;
	if (A64(1) > INT64_MAX)
		return WASI_EINVAL;
	return wasi_err(c->io->ftruncate(c->io, f->host, (int64_t)A64(1)));
}

int wasi_p1_fd_filestat_set_times(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	int err;
	wasi_fd *f = wasi_fd_get(c, A32(0), R_FD_FILESTAT_SET_TIMES, &err);
	struct timespec ts[2];

	if (!f)
		return err;
	err = wasi_make_times(A64(1), A64(2), A32(3) & 0xffff, ts);
	if (err)
		return err;
	return wasi_err(c->io->utimensat(c->io, f->host, "", ts, AT_EMPTY_PATH));
}

/* The four data transfers share their shape: handle, iovecs, optional
 * offset, count stored at the end. */
enum { WASI_READ, WASI_WRITE, WASI_PREAD, WASI_PWRITE };

/*
 * fd_read and fd_write. On a shared description (stdio) the guest's
 * NONBLOCK is emulated: a non-blocking handle's call is made with
 * WASI_IO_NOWAIT, and a blocking handle that meets -EAGAIN (someone else
 * made the description non-blocking) waits until it is ready and tries
 * again, as the guest, which never asked for non-blocking, expects.
 */
/*
 * Copy iov[0..n) into cut[], keeping at most `room` bytes; returns the
 * number of iovecs kept.  Sets *more when bytes were dropped (the guest
 * asked for more than the room).
 */
static int wasi_iov_cut(const struct iovec *iov, int n, uint64_t room, struct iovec *cut,
			bool *more)
{
	int k = 0;

	*more = false;
	for (int i = 0; i < n; i++) {
		if (room == 0) {
			*more |= iov[i].iov_len != 0;
			continue;
		}
		cut[k] = iov[i];
		if (cut[k].iov_len > room) {
			cut[k].iov_len = room;
			*more = true;
		}
		room -= cut[k].iov_len;
		k++;
	}
	return k;
}

static ssize_t wasi_stream_rw(wasi_ctx *c, wasi_fd *f, const struct iovec *iov, int n,
			      bool out);

/*
 * A write to a handle with a byte budget (--max-output): cut to the room
 * left, charged with what the write returned, not what was asked, so a
 * short write to a pipe leaves the rest for the guest's next try.  The
 * limit is reached only once the bytes written fill the budget and the
 * guest asked for more: the call then ends the run (WASI_CALL_LIMIT).
 */
ssize_t wasi_quota_write(wasi_ctx *c, wasi_fd *f, const struct iovec *iov, int n)
{
	struct iovec cut[WASI_MAX_IOVS];
	wasi_quota *q = f->quota;
	bool more;
	int k = wasi_iov_cut(iov, n, q->max - q->used, cut, &more);
	ssize_t r;

	if (k == 0) {
		if (more)
			c->limit = WASI_LIMIT_OUTPUT;
		return 0;
	}
	r = wasi_stream_rw(c, f, cut, k, true);
	if (r > 0)
		q->used += (uint64_t)r;
	if (more && q->used == q->max)
		c->limit = WASI_LIMIT_OUTPUT;
	return r;
}

static ssize_t wasi_stream_rw(wasi_ctx *c, wasi_fd *f, const struct iovec *iov, int n,
			      bool out)
{
	int flags = f->shared && f->nonblock ? WASI_IO_NOWAIT : 0;
	struct pollfd p = { .fd = f->host, .events = out ? POLLOUT : POLLIN };
	ssize_t r;

	for (;;) {
		r = out ? c->io->writev(c->io, f->host, iov, n, flags) :
			  c->io->readv(c->io, f->host, iov, n, flags);
		if (r != -EAGAIN || !f->shared || f->nonblock)
			return r;
		r = c->io->poll(c->io, &p, 1, -1);
		if (r < 0)
			return r;
	}
}

static int wasi_rw(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t iovp, uint32_t n,
		   uint64_t off, uint32_t outp, int kind)
{
	static const uint64_t rights[] = { R_FD_READ, R_FD_WRITE, R_FD_READ | R_FD_SEEK,
					   R_FD_WRITE | R_FD_SEEK };
	struct iovec *iov;
	ssize_t r;
	int err;
	wasi_fd *f = wasi_fd_get(c, fd, rights[kind], &err);

	if (!f)
		return err;
	if (off > INT64_MAX)
		return WASI_EINVAL;
	if (!wasi_mem_ok(m, outp, 4))
		return WASI_EFAULT;
	if (n > WASI_MAX_IOVS)	/* before sizing anything by it */
		return WASI_EINVAL;
	iov = malloc(sizeof(*iov) * (n ? n : 1));
	if (!iov)
		return WASI_ENOMEM;
	err = wasi_iovecs(m, iovp, n, iov);
	if (err)
		goto out;
	if (kind == WASI_WRITE && f->quota)
		r = wasi_quota_write(c, f, iov, (int)n);
	else if (kind == WASI_READ || kind == WASI_WRITE)
		r = wasi_stream_rw(c, f, iov, (int)n, kind == WASI_WRITE);
	else if (kind == WASI_PREAD)
		r = c->io->preadv(c->io, f->host, iov, (int)n, (int64_t)off);
	else
		r = c->io->pwritev(c->io, f->host, iov, (int)n, (int64_t)off);
	c->moved += r > 0 ? (uint64_t)r : 0;
	err = r < 0 ? wasi_errno((int)r) : wasi_store_u32(m, outp, (uint32_t)r);
out:
	free(iov);
	return err;
}

int wasi_p1_fd_read(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	return wasi_rw(c, m, A32(0), A32(1), A32(2), 0, A32(3), WASI_READ);
}

int wasi_p1_fd_write(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	return wasi_rw(c, m, A32(0), A32(1), A32(2), 0, A32(3), WASI_WRITE);
}

int wasi_p1_fd_pread(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	return wasi_rw(c, m, A32(0), A32(1), A32(2), A64(3), A32(4), WASI_PREAD);
}

int wasi_p1_fd_pwrite(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	return wasi_rw(c, m, A32(0), A32(1), A32(2), A64(3), A32(4), WASI_PWRITE);
}

int wasi_p1_fd_prestat_get(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	int err;
	wasi_fd *f = wasi_fd_get(c, A32(0), 0, &err);
	uint8_t *p;

	if (!f)
		return err;
	if (!f->preopen)
		return WASI_EBADF;
	if (!wasi_mem_ok(m, A32(1), 8))
		return WASI_EFAULT;
	p = m->base + A32(1);
	memset(p, 0, 8);
	wasi_put_u32(p + 4, (uint32_t)strlen(f->preopen));
	return WASI_ESUCCESS;
}

/* Copy the preopen's name (not NUL-terminated); the buffer must hold it. */
int wasi_p1_fd_prestat_dir_name(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	int err;
	wasi_fd *f = wasi_fd_get(c, A32(0), 0, &err);
	size_t len;

	if (!f)
		return err;
	if (!f->preopen)
		return WASI_EBADF;
	len = strlen(f->preopen);
	if (A32(2) < len)
		return WASI_ENAMETOOLONG;
	if (!wasi_mem_ok(m, A32(1), len))
		return WASI_EFAULT;
	memcpy(m->base + A32(1), f->preopen, len);
	return WASI_ESUCCESS;
}

/* fd_renumber: `to` must be open too; it is closed and replaced. */
int wasi_p1_fd_renumber(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	int err;
	wasi_fd *from = wasi_fd_get(c, A32(0), 0, &err), *to, moved;

	if (!from)
		return err;
	to = wasi_fd_get(c, A32(1), 0, &err);
	if (!to)
		return err;
	/* a derived handle names its parent by number: neither moves */
	if (from->role != WASI_ROLE_DESC || to->role != WASI_ROLE_DESC)
		return WASI_EBADF;
	if (from->nchild || to->nchild)
		return WASI_EBUSY;
	if (from == to)
		return WASI_ESUCCESS;
	moved = *from;
	*from = (wasi_fd){ .host = -1, .dirstream = -1 };
	wasi_fd_release(c, to); /* also trims free slots off the end of the table */
	*to = moved;
	if (c->nfds <= A32(1))
		c->nfds = A32(1) + 1;
	return WASI_ESUCCESS;
}

/* fd_seek; a zero move from the current position is fd_tell and needs
 * only that right. */
int wasi_p1_fd_seek(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	static const int whence[] = { SEEK_SET, SEEK_CUR, SEEK_END };
	uint32_t w = A32(2) & 0xff;
	int64_t off = (int64_t)A64(1), r;
	int err;
	wasi_fd *f = wasi_fd_get(c, A32(0), off == 0 && w == 1 ? R_FD_TELL : R_FD_SEEK, &err);

	if (!f)
		return err;
	if (w > 2)
		return WASI_EINVAL;
	if (!wasi_mem_ok(m, A32(3), 8))
		return WASI_EFAULT;
	r = c->io->lseek(c->io, f->host, off, whence[w]);
	if (r < 0)
		return wasi_errno((int)r);
	return wasi_store_u64(m, A32(3), (uint64_t)r);
}

int wasi_p1_fd_tell(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	int err;
	int64_t r;
	wasi_fd *f = wasi_fd_get(c, A32(0), R_FD_TELL, &err);

	if (!f)
		return err;
	if (!wasi_mem_ok(m, A32(1), 8))
		return WASI_EFAULT;
	r = c->io->lseek(c->io, f->host, 0, SEEK_CUR);
	if (r < 0)
		return wasi_errno((int)r);
	return wasi_store_u64(m, A32(1), (uint64_t)r);
}

/* WASI filetype of a getdents64 d_type. */
static uint8_t wasi_dtype(uint8_t t)
{
	switch (t) {
	case DT_REG: return WASI_FT_REG;
	case DT_DIR: return WASI_FT_DIR;
	case DT_LNK: return WASI_FT_SYMLINK;
	case DT_CHR: return WASI_FT_CHAR;
	case DT_BLK: return WASI_FT_BLOCK;
	case DT_SOCK: return WASI_FT_STREAM;
	default: return WASI_FT_UNKNOWN;
	}
}

/* Append as much of one entry (header, then name) as fits in
 * [out + *used, out + len). Returns false once the buffer is full. */
static bool wasi_put_dirent(uint8_t *out, uint32_t len, uint32_t *used,
			    const struct dirent64 *d)
{
	uint8_t hdr[WASI_DIRENT_SIZE] = { 0 };
	uint32_t namlen = (uint32_t)strlen(d->d_name), room, n;

	wasi_put_u64(hdr, (uint64_t)d->d_off);
	wasi_put_u64(hdr + 8, d->d_ino);
	wasi_put_u32(hdr + 16, namlen);
	hdr[20] = wasi_dtype(d->d_type);
	room = len - *used;
	n = room < WASI_DIRENT_SIZE ? room : WASI_DIRENT_SIZE;
	memcpy(out + *used, hdr, n);
	*used += n;
	room = len - *used;
	n = room < namlen ? room : namlen;
	memcpy(out + *used, d->d_name, n);
	*used += n;
	return *used < len;
}

/* Fill the buffer with entries from position `cookie` on. A cookie is the
 * host's d_off of the previous entry, stable for the directory's life; an
 * entry that does not fit is cut, and the guest asks again from the last
 * whole entry's cookie, as the definition says. */
static int wasi_readdir_fill(wasi_ctx *c, int fd, uint8_t *out, uint32_t len, uint32_t *used)
{
	for (;;) {
		ssize_t n = c->io->getdents64(c->io, fd, c->dents, WASI_DENTS_SIZE);

		if (n < 0)
			return wasi_errno((int)n);
		if (n == 0)
			return WASI_ESUCCESS;
		for (size_t off = 0; off < (size_t)n;) {
			const struct dirent64 *d = (const void *)(c->dents + off);

			if (!wasi_put_dirent(out, len, used, d))
				return WASI_ESUCCESS;
			off += d->d_reclen;
		}
	}
}

int wasi_p1_fd_readdir(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	uint32_t buf = A32(1), len = A32(2), used = 0;
	int64_t r;
	int err, fd;
	wasi_fd *f = wasi_fd_get(c, A32(0), R_FD_READDIR, &err);

	if (!f)
		return err;
	if (!wasi_mem_ok(m, buf, len) || !wasi_mem_ok(m, A32(4), 4))
		return WASI_EFAULT;
	if (A64(3) > INT64_MAX)
		return WASI_EINVAL;
	fd = wasi_dir_stream(c, f);
	if (fd < 0)
		return wasi_errno(fd);
	r = c->io->lseek(c->io, fd, (int64_t)A64(3), SEEK_SET);
	if (r < 0)
		return wasi_errno((int)r);
	if (len > 0) {
		err = wasi_readdir_fill(c, fd, m->base + buf, len, &used);
		if (err)
			return err;
	}
	return wasi_store_u32(m, A32(4), used);
}
