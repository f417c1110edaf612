/*
 * wasi_io.h: every host operation the WASI functions perform, behind one
 * table of function pointers.
 *
 * wasi_io_sys.c implements it with plain system calls; the broker supplies
 * one that submits the same operations to io_uring. Conventions, for every
 * entry: the result is >= 0 on success or a negative host errno (never -1
 * with errno set); EINTR is retried inside; descriptors are host fds owned
 * by the WASI fd table; buffers and iovecs may point into guest linear
 * memory, valid only for the duration of the call. Each function receives
 * the backend itself so an implementation can keep state next to it.
 *
 * readv and writev take WASI_IO_NOWAIT for a handle the guest made
 * non-blocking: the call then never waits for a peer (a pipe, a socket, a
 * terminal) and returns -EAGAIN where it would have.  wrun emulates the
 * guest's O_NONBLOCK this way instead of setting it on a description it
 * may share with other processes (the standard streams).  On a regular
 * file or a directory, where nothing waits for a peer, the flag changes
 * nothing.
 */
#ifndef WRUN_WASI_IO_H
#define WRUN_WASI_IO_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>

struct statx;

typedef struct wasi_backend wasi_backend;

/* Flags of readv and writev. */
#define WASI_IO_NOWAIT 1

struct wasi_backend {
	/* data */
	ssize_t (*readv)(const wasi_backend *b, int fd, const struct iovec *iov, int n,
			 int flags);
	ssize_t (*writev)(const wasi_backend *b, int fd, const struct iovec *iov, int n,
			  int flags);
	ssize_t (*preadv)(const wasi_backend *b, int fd, const struct iovec *iov, int n,
			  int64_t off);
	ssize_t (*pwritev)(const wasi_backend *b, int fd, const struct iovec *iov, int n,
			   int64_t off);
	int64_t (*lseek)(const wasi_backend *b, int fd, int64_t off, int whence);
	/* descriptors and their state */
	int (*openat2)(const wasi_backend *b, int dirfd, const char *path, int flags,
		       unsigned mode, uint64_t resolve);
	int (*close)(const wasi_backend *b, int fd);
	int (*getfl)(const wasi_backend *b, int fd);
	int (*setfl)(const wasi_backend *b, int fd, int flags);
	int (*statx)(const wasi_backend *b, int dirfd, const char *path, int flags,
		     struct statx *st);
	int (*ftruncate)(const wasi_backend *b, int fd, int64_t len);
	int (*fsync)(const wasi_backend *b, int fd, bool datasync);
	int (*fallocate)(const wasi_backend *b, int fd, int64_t off, int64_t len);
	int (*fadvise)(const wasi_backend *b, int fd, int64_t off, int64_t len, int advice);
	int (*utimensat)(const wasi_backend *b, int dirfd, const char *path,
			 const struct timespec ts[2], int flags);
	ssize_t (*getdents64)(const wasi_backend *b, int fd, void *buf, size_t len);
	/* names inside a directory (one leaf each) */
	int (*mkdirat)(const wasi_backend *b, int dirfd, const char *name, unsigned mode);
	int (*unlinkat)(const wasi_backend *b, int dirfd, const char *name, int flags);
	int (*renameat)(const wasi_backend *b, int olddir, const char *oldname, int newdir,
			const char *newname);
	int (*linkat)(const wasi_backend *b, int olddir, const char *oldname, int newdir,
		      const char *newname, int flags);
	int (*symlinkat)(const wasi_backend *b, const char *target, int dirfd,
			 const char *name);
	ssize_t (*readlinkat)(const wasi_backend *b, int dirfd, const char *name, char *buf,
			      size_t len);
	/* sockets */
	int (*accept)(const wasi_backend *b, int fd, int flags);
	ssize_t (*recvmsg)(const wasi_backend *b, int fd, struct msghdr *msg, int flags);
	ssize_t (*sendmsg)(const wasi_backend *b, int fd, const struct msghdr *msg, int flags);
	int (*shutdown)(const wasi_backend *b, int fd, int how);
	/* wrun:net: a non-blocking socket and its set-up (plain calls on every
	 * backend: none waits, the socket being non-blocking) */
	int (*socket)(const wasi_backend *b, int family, int type);
	int (*bind)(const wasi_backend *b, int fd, const struct sockaddr *sa, socklen_t len);
	int (*connect)(const wasi_backend *b, int fd, const struct sockaddr *sa, socklen_t len);
	int (*listen)(const wasi_backend *b, int fd, int backlog);
	int (*sockname)(const wasi_backend *b, int fd, bool peer, struct sockaddr *sa,
			socklen_t *len);
	int (*getsockopt)(const wasi_backend *b, int fd, int level, int name, int *v);
	int (*setsockopt)(const wasi_backend *b, int fd, int level, int name, int v);
	/* waiting, time, randomness */
	int (*poll)(const wasi_backend *b, struct pollfd *fds, unsigned n, int64_t timeout_ns);
	int (*clock_gettime)(const wasi_backend *b, clockid_t id, struct timespec *ts);
	int (*clock_getres)(const wasi_backend *b, clockid_t id, struct timespec *ts);
	ssize_t (*getrandom)(const wasi_backend *b, void *buf, size_t len);
	int (*sched_yield)(const wasi_backend *b);
};

/* The plain system call backend (wasi_io_sys.c). */
extern const wasi_backend wasi_io_sys;

/*
 * Is fd ready for reading (write false) or writing, right now?  1 yes, 0
 * no, or -errno.  A plain poll(2) with a zero timeout: it never waits, so
 * every backend may call it, the broker's included.
 */
int wasi_io_ready_now(int fd, bool write);

#endif
