/*
 * stdio_guard.c: a guest that goes after the file behind its stdout (a
 * caller's `>> app.log`), reporting each WASI result on stderr.
 *
 *   attack   truncate, grow, allocate, set times, advise, sync, seek, tell,
 *            pwrite: every one must be refused (the handle has no right)
 *   append   clear APPEND, seek to 0, then write "NEW": the flag change and
 *            the seek are refused, the write lands at the end of the file
 *   isatty   what the C library's isatty says of 0, 1 and 2, and fd 1's type
 *            (and whether fd_filestat_get reports another one)
 *   flags    the rights, filetype and flags fd_fdstat_get reports for 0..2
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

static const char *E(__wasi_errno_t e)
{
	switch (e) {
	case __WASI_ERRNO_SUCCESS: return "ok";
	case __WASI_ERRNO_NOTCAPABLE: return "ENOTCAPABLE";
	case __WASI_ERRNO_NOTSUP: return "ENOTSUP";
	case __WASI_ERRNO_SPIPE: return "ESPIPE";
	case __WASI_ERRNO_BADF: return "EBADF";
	case __WASI_ERRNO_INVAL: return "EINVAL";
	default: return "other";
	}
}

static void attack(void)
{
	__wasi_filesize_t pos = 0;
	__wasi_size_t n = 0;
	__wasi_ciovec_t x = { (const uint8_t *)"X", 1 };

	fprintf(stderr, "truncate: %s\n", E(__wasi_fd_filestat_set_size(1, 0)));
	fprintf(stderr, "grow 1TiB: %s\n", E(__wasi_fd_filestat_set_size(1, 1ull << 40)));
	fprintf(stderr, "allocate: %s\n", E(__wasi_fd_allocate(1, 0, 1 << 20)));
	fprintf(stderr, "set times 1970: %s\n",
		E(__wasi_fd_filestat_set_times(1, 0, 0, __WASI_FSTFLAGS_ATIM |
					       __WASI_FSTFLAGS_MTIM)));
	fprintf(stderr, "advise: %s\n", E(__wasi_fd_advise(1, 0, 0, __WASI_ADVICE_DONTNEED)));
	fprintf(stderr, "sync: %s\n", E(__wasi_fd_sync(1)));
	fprintf(stderr, "datasync: %s\n", E(__wasi_fd_datasync(1)));
	fprintf(stderr, "seek: %s\n", E(__wasi_fd_seek(1, 0, __WASI_WHENCE_SET, &pos)));
	fprintf(stderr, "tell: %s\n", E(__wasi_fd_tell(1, &pos)));
	fprintf(stderr, "pwrite: %s\n", E(__wasi_fd_pwrite(1, &x, 1, 0, &n)));
	fprintf(stderr, "read stdout: %s\n",
		E(__wasi_fd_read(1, (const __wasi_iovec_t *)&x, 1, &n)));
	fprintf(stderr, "regain seek: %s\n",
		E(__wasi_fd_fdstat_set_rights(1, __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK,
					      0)));
}

static void append(void)
{
	__wasi_fdstat_t st;
	__wasi_filesize_t pos = 0;
	__wasi_size_t n = 0;
	__wasi_ciovec_t v = { (const uint8_t *)"NEW\n", 4 };

	(void)__wasi_fd_fdstat_get(1, &st);
	fprintf(stderr, "append before: %d\n", !!(st.fs_flags & __WASI_FDFLAGS_APPEND));
	fprintf(stderr, "clear append: %s\n", E(__wasi_fd_fdstat_set_flags(1, 0)));
	(void)__wasi_fd_fdstat_get(1, &st);
	fprintf(stderr, "append after: %d\n", !!(st.fs_flags & __WASI_FDFLAGS_APPEND));
	fprintf(stderr, "seek 0: %s\n", E(__wasi_fd_seek(1, 0, __WASI_WHENCE_SET, &pos)));
	fprintf(stderr, "write: %s %u\n", E(__wasi_fd_write(1, &v, 1, &n)), (unsigned)n);
}

static void tty(void)
{
	__wasi_fdstat_t st = { 0 };
	__wasi_filestat_t fst = { 0 };

	(void)__wasi_fd_fdstat_get(1, &st);
	(void)__wasi_fd_filestat_get(1, &fst);
	fprintf(stderr, "isatty %d %d %d, fd 1 type %u%s\n", isatty(0), isatty(1), isatty(2),
		st.fs_filetype, fst.filetype == st.fs_filetype ? "" : " (filestat differs)");
}

static void flags(void)
{
	for (__wasi_fd_t fd = 0; fd < 3; fd++) {
		__wasi_fdstat_t st;
		__wasi_errno_t e = __wasi_fd_fdstat_get(fd, &st);

		printf("fd %u: %s type %u flags %u rights %llx\n", fd, E(e), st.fs_filetype,
		       st.fs_flags, (unsigned long long)st.fs_rights_base);
	}
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (strcmp(mode, "attack") == 0)
		attack();
	else if (strcmp(mode, "append") == 0)
		append();
	else if (strcmp(mode, "isatty") == 0)
		tty();
	else if (strcmp(mode, "flags") == 0)
		flags();
	else
		return 2;
	return 0;
}
