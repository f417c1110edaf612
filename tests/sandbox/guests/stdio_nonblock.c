/*
 * stdio_nonblock.c: a guest that makes its standard streams non-blocking,
 * reporting on stderr (on stdout for "blocking").
 *
 *   read      NONBLOCK on fd 0, then a read: EAGAIN at once on an empty pipe
 *   write     NONBLOCK on fd 1, then 64 KiB writes until one is refused:
 *             EAGAIN once the pipe is full, with the bytes that went out
 *   blocking  a plain read of fd 0, which must wait for data even when the
 *             caller's description is non-blocking
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <wasi/api.h>

static const char *E(__wasi_errno_t e)
{
	return e == 0 ? "ok" : e == __WASI_ERRNO_AGAIN ? "EAGAIN" : "other";
}

/* Add NONBLOCK to fd's flags; report what fd_fdstat_get says afterwards. */
static void nonblock(__wasi_fd_t fd)
{
	__wasi_fdstat_t st;

	(void)__wasi_fd_fdstat_get(fd, &st);
	fprintf(stderr, "set nonblock: %s\n",
		E(__wasi_fd_fdstat_set_flags(fd, st.fs_flags | __WASI_FDFLAGS_NONBLOCK)));
	(void)__wasi_fd_fdstat_get(fd, &st);
	fprintf(stderr, "nonblock now: %d\n", !!(st.fs_flags & __WASI_FDFLAGS_NONBLOCK));
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void rd(void)
{
	uint8_t buf[64];
	__wasi_iovec_t v = { buf, sizeof(buf) };
	__wasi_size_t n = 0;
	double t0;
	__wasi_errno_t e;

	nonblock(0);
	t0 = now();
	e = __wasi_fd_read(0, &v, 1, &n);
	fprintf(stderr, "read: %s %s\n", E(e), now() - t0 < 0.3 ? "at once" : "after waiting");
}

static void wr(void)
{
	static uint8_t buf[65536];
	__wasi_ciovec_t v = { buf, sizeof(buf) };
	unsigned long long total = 0;
	__wasi_size_t n;
	__wasi_errno_t e = 0;

	memset(buf, 'w', sizeof(buf));
	nonblock(1);
	while (total < (16u << 20) && (e = __wasi_fd_write(1, &v, 1, &n)) == 0)
		total += n;
	fprintf(stderr, "write: %s after %llu\n", E(e), total);
}

static void blocking(void)
{
	char buf[64];
	size_t n = fread(buf, 1, sizeof(buf) - 1, stdin);

	buf[n] = 0;
	printf("got: %s", n ? buf : ferror(stdin) ? "an error\n" : "nothing\n");
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (strcmp(mode, "read") == 0)
		rd();
	else if (strcmp(mode, "write") == 0)
		wr();
	else if (strcmp(mode, "blocking") == 0)
		blocking();
	else
		return 2;
	return 0;
}
