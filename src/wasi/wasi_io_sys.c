/*
 * wasi_io_sys.c: the WASI backend made of plain system calls, used
 * in-process (--sandbox=none) and by a broker without io_uring.
 *
 * Each wrapper returns the call's result or a negative errno, retrying
 * EINTR, so the WASI code sees one convention whatever the backend.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <dirent.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdbool.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "wasi/wasi_io.h"

/* Run a call until it is not interrupted; turn -1/errno into -errno. */
#define SYS_RETRY(expr)                                  \
	do {                                             \
		long r_;                                 \
		do                                       \
			r_ = (long)(expr);               \
		while (r_ < 0 && errno == EINTR);        \
		return r_ < 0 ? -errno : r_;             \
	} while (0)

static ssize_t sys_readv_plain(int fd, const struct iovec *iov, int n)
{
	SYS_RETRY(readv(fd, iov, n));
}

static ssize_t sys_writev_plain(int fd, const struct iovec *iov, int n)
{
	SYS_RETRY(writev(fd, iov, n));
}

/* preadv2/pwritev2 at the current position (offset -1) with RWF_NOWAIT. */
static ssize_t sys_rw_nowait_try(int fd, const struct iovec *iov, int n, bool out)
{
	SYS_RETRY(out ? pwritev2(fd, iov, n, -1, RWF_NOWAIT) :
			preadv2(fd, iov, n, -1, RWF_NOWAIT));
}

int wasi_io_ready_now(int fd, bool out)
{
	struct pollfd p = { .fd = fd, .events = out ? POLLOUT : POLLIN };
	int r;

	do
		r = poll(&p, 1, 0);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r > 0;
}

/* A regular file or a directory: nothing on it waits for a peer. */
static bool sys_is_file(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode));
}

/*
 * A transfer that must not wait for a peer.  RWF_NOWAIT where the file
 * type takes it (pipes, sockets); where it does not (EOPNOTSUPP: a
 * terminal, some devices), a zero-timeout poll first.  On a regular file
 * RWF_NOWAIT would mean "not in the page cache", which the guest did not
 * ask about: a file is always ready, so it gets the plain call.
 */
static ssize_t sys_rw_nowait(int fd, const struct iovec *iov, int n, bool out)
{
	ssize_t r = sys_rw_nowait_try(fd, iov, n, out);
	int ready;

	if (r != -EAGAIN && r != -EOPNOTSUPP)
		return r;
	if (!sys_is_file(fd)) {
		if (r == -EAGAIN)
			return r;
		ready = wasi_io_ready_now(fd, out);
		if (ready <= 0)
			return ready < 0 ? ready : -EAGAIN;
	}
	return out ? sys_writev_plain(fd, iov, n) : sys_readv_plain(fd, iov, n);
}

static ssize_t sys_readv(const wasi_backend *b, int fd, const struct iovec *iov, int n,
			 int flags)
{
	if (flags & WASI_IO_NOWAIT)
		return sys_rw_nowait(fd, iov, n, false);
	return sys_readv_plain(fd, iov, n);
}

static ssize_t sys_writev(const wasi_backend *b, int fd, const struct iovec *iov, int n,
			  int flags)
{
	if (flags & WASI_IO_NOWAIT)
		return sys_rw_nowait(fd, iov, n, true);
	return sys_writev_plain(fd, iov, n);
}

static ssize_t sys_preadv(const wasi_backend *b, int fd, const struct iovec *iov, int n,
			  int64_t off)
{
	SYS_RETRY(preadv(fd, iov, n, off));
}

static ssize_t sys_pwritev(const wasi_backend *b, int fd, const struct iovec *iov, int n,
			   int64_t off)
{
	SYS_RETRY(pwritev(fd, iov, n, off));
}

static int64_t sys_lseek(const wasi_backend *b, int fd, int64_t off, int whence)
{
	SYS_RETRY(lseek(fd, off, whence));
}

/* openat2 has no glibc wrapper in the versions we build with. */
static int sys_openat2(const wasi_backend *b, int dirfd, const char *path, int flags,
		       unsigned mode, uint64_t resolve)
{
	struct open_how how = {
		.flags = (uint64_t)(unsigned)flags,
		.mode = (flags & O_CREAT) ? mode : 0, /* openat2 refuses a mode otherwise */
		.resolve = resolve,
	};

	SYS_RETRY(syscall(SYS_openat2, dirfd, path, &how, sizeof(how)));
}

/* close is not retried on EINTR: on Linux the descriptor is gone anyway. */
static int sys_close(const wasi_backend *b, int fd)
{
	return close(fd) < 0 && errno != EINTR ? -errno : 0;
}

static int sys_getfl(const wasi_backend *b, int fd)
{
	SYS_RETRY(fcntl(fd, F_GETFL));
}

static int sys_setfl(const wasi_backend *b, int fd, int flags)
{
	SYS_RETRY(fcntl(fd, F_SETFL, flags));
}

static int sys_statx(const wasi_backend *b, int dirfd, const char *path, int flags,
		     struct statx *st)
{
	SYS_RETRY(statx(dirfd, path, flags, STATX_BASIC_STATS, st));
}

static int sys_ftruncate(const wasi_backend *b, int fd, int64_t len)
{
	SYS_RETRY(ftruncate(fd, len));
}

static int sys_fsync(const wasi_backend *b, int fd, bool datasync)
{
	SYS_RETRY(datasync ? fdatasync(fd) : fsync(fd));
}

static int sys_fallocate(const wasi_backend *b, int fd, int64_t off, int64_t len)
{
	SYS_RETRY(fallocate(fd, 0, off, len));
}

/* posix_fadvise returns the error number instead of setting errno. */
static int sys_fadvise(const wasi_backend *b, int fd, int64_t off, int64_t len, int advice)
{
	return -posix_fadvise(fd, off, len, advice);
}

/* The raw system call: glibc's wrapper treats a NULL path specially. */
static int sys_utimensat(const wasi_backend *b, int dirfd, const char *path,
			 const struct timespec ts[2], int flags)
{
	SYS_RETRY(syscall(SYS_utimensat, dirfd, path, ts, flags));
}

static ssize_t sys_getdents64(const wasi_backend *b, int fd, void *buf, size_t len)
{
	SYS_RETRY(getdents64(fd, buf, len));
}

static int sys_mkdirat(const wasi_backend *b, int dirfd, const char *name, unsigned mode)
{
	SYS_RETRY(mkdirat(dirfd, name, mode));
}

static int sys_unlinkat(const wasi_backend *b, int dirfd, const char *name, int flags)
{
	SYS_RETRY(unlinkat(dirfd, name, flags));
}

static int sys_renameat(const wasi_backend *b, int olddir, const char *oldname, int newdir,
			const char *newname)
{
	SYS_RETRY(renameat(olddir, oldname, newdir, newname));
}

static int sys_linkat(const wasi_backend *b, int olddir, const char *oldname, int newdir,
		      const char *newname, int flags)
{
	SYS_RETRY(linkat(olddir, oldname, newdir, newname, flags));
}

static int sys_symlinkat(const wasi_backend *b, const char *target, int dirfd,
			 const char *name)
{
	SYS_RETRY(symlinkat(target, dirfd, name));
}

static ssize_t sys_readlinkat(const wasi_backend *b, int dirfd, const char *name, char *buf,
			      size_t len)
{
	SYS_RETRY(readlinkat(dirfd, name, buf, len));
}

static int sys_accept(const wasi_backend *b, int fd, int flags)
{
	SYS_RETRY(accept4(fd, NULL, NULL, flags));
}

static ssize_t sys_recvmsg(const wasi_backend *b, int fd, struct msghdr *msg, int flags)
{
	SYS_RETRY(recvmsg(fd, msg, flags));
}

static ssize_t sys_sendmsg(const wasi_backend *b, int fd, const struct msghdr *msg, int flags)
{
	SYS_RETRY(sendmsg(fd, msg, flags));
}

static int sys_shutdown(const wasi_backend *b, int fd, int how)
{
	SYS_RETRY(shutdown(fd, how));
}

static int sys_socket(const wasi_backend *b, int family, int type)
{
	SYS_RETRY(socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
}

static int sys_bind(const wasi_backend *b, int fd, const struct sockaddr *sa, socklen_t len)
{
	SYS_RETRY(bind(fd, sa, len));
}

/* Non-blocking: EINPROGRESS until the handshake ends (net_getopt's
 * SO_ERROR then says how). */
static int sys_connect(const wasi_backend *b, int fd, const struct sockaddr *sa, socklen_t len)
{
	SYS_RETRY(connect(fd, sa, len));
}

static int sys_listen(const wasi_backend *b, int fd, int backlog)
{
	SYS_RETRY(listen(fd, backlog));
}

static int sys_sockname(const wasi_backend *b, int fd, bool peer, struct sockaddr *sa,
			socklen_t *len)
{
	SYS_RETRY(peer ? getpeername(fd, sa, len) : getsockname(fd, sa, len));
}

static int sys_getsockopt(const wasi_backend *b, int fd, int level, int name, int *v)
{
	socklen_t len = sizeof(*v);

	SYS_RETRY(getsockopt(fd, level, name, v, &len));
}

static int sys_setsockopt(const wasi_backend *b, int fd, int level, int name, int v)
{
	SYS_RETRY(setsockopt(fd, level, name, &v, sizeof(v)));
}

/* Wait with nanosecond precision; a negative timeout waits for ever.
 * EINTR is returned as 0 events: the caller recomputes its deadlines. */
static int sys_poll(const wasi_backend *b, struct pollfd *fds, unsigned n, int64_t timeout_ns)
{
	struct timespec ts = {
		.tv_sec = timeout_ns / 1000000000,
		.tv_nsec = timeout_ns % 1000000000,
	};
	int r = ppoll(fds, n, timeout_ns < 0 ? NULL : &ts, NULL);

	if (r < 0)
		return errno == EINTR ? 0 : -errno;
	return r;
}

static int sys_clock_gettime(const wasi_backend *b, clockid_t id, struct timespec *ts)
{
	return clock_gettime(id, ts) < 0 ? -errno : 0;
}

static int sys_clock_getres(const wasi_backend *b, clockid_t id, struct timespec *ts)
{
	return clock_getres(id, ts) < 0 ? -errno : 0;
}

static ssize_t sys_getrandom(const wasi_backend *b, void *buf, size_t len)
{
	SYS_RETRY(getrandom(buf, len, 0));
}

static int sys_sched_yield(const wasi_backend *b)
{
	return sched_yield() < 0 ? -errno : 0;
}

const wasi_backend wasi_io_sys = {
	.readv = sys_readv,
	.writev = sys_writev,
	.preadv = sys_preadv,
	.pwritev = sys_pwritev,
	.lseek = sys_lseek,
	.openat2 = sys_openat2,
	.close = sys_close,
	.getfl = sys_getfl,
	.setfl = sys_setfl,
	.statx = sys_statx,
	.ftruncate = sys_ftruncate,
	.fsync = sys_fsync,
	.fallocate = sys_fallocate,
	.fadvise = sys_fadvise,
	.utimensat = sys_utimensat,
	.getdents64 = sys_getdents64,
	.mkdirat = sys_mkdirat,
	.unlinkat = sys_unlinkat,
	.renameat = sys_renameat,
	.linkat = sys_linkat,
	.symlinkat = sys_symlinkat,
	.readlinkat = sys_readlinkat,
	.accept = sys_accept,
	.recvmsg = sys_recvmsg,
	.sendmsg = sys_sendmsg,
	.shutdown = sys_shutdown,
	.socket = sys_socket,
	.bind = sys_bind,
	.connect = sys_connect,
	.listen = sys_listen,
	.sockname = sys_sockname,
	.getsockopt = sys_getsockopt,
	.setsockopt = sys_setsockopt,
	.poll = sys_poll,
	.clock_gettime = sys_clock_gettime,
	.clock_getres = sys_clock_getres,
	.getrandom = sys_getrandom,
	.sched_yield = sys_sched_yield,
};
