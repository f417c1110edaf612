/* The WASI functions called directly: rights, bad handles, renumbering,
 * preopen names, listings with small buffers, flags, clocks, randomness,
 * poll_oneoff with several subscriptions, and the errors of each.
 *! flags: --dir .::/work --dir .::second
 *! setup: echo hello > f && mkdir d && for i in 1 2 3 4 5 6 7 8 9 10 11 12; do : > d/entry-$i; done
 */
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#include "common.h"

#define E(x) errname(x)

/* proc_raise is deprecated and left out of the C library's headers. */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise")))
int raw_proc_raise(int sig);

/* Open path under preopen 3 with the given rights. */
static __wasi_fd_t open_rights(const char *path, __wasi_oflags_t of, __wasi_rights_t r)
{
	__wasi_fd_t fd = (__wasi_fd_t)-1;
	__wasi_errno_t e = __wasi_path_open(3, 0, path, of, r, r, 0, &fd);

	if (e)
		printf("path_open %s: %s\n", path, E(e));
	return fd;
}

static void prestats(void)
{
	__wasi_prestat_t ps;
	char name[32];

	for (__wasi_fd_t fd = 3; fd < 6; fd++) {
		__wasi_errno_t e = __wasi_fd_prestat_get(fd, &ps);

		if (e) {
			printf("prestat %u: %s\n", fd, E(e));
			continue;
		}
		memset(name, 0, sizeof(name));
		printf("prestat %u: len %zu", fd, ps.u.dir.pr_name_len);
		printf(" name %s", E(__wasi_fd_prestat_dir_name(fd, (uint8_t *)name, 32)));
		printf(" [%s]", name);
		printf(" short buffer: %s\n", E(__wasi_fd_prestat_dir_name(fd, (uint8_t *)name, 1)));
	}
	printf("prestat of stdout: %s\n", E(__wasi_fd_prestat_get(1, &ps)));
}

static void rights(void)
{
	__wasi_fd_t fd = open_rights("f", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
				     __WASI_RIGHTS_FD_SEEK);
	__wasi_fdstat_t st;
	__wasi_ciovec_t iov = { (const uint8_t *)"x", 1 };
	__wasi_size_t n;
	__wasi_filesize_t pos;

	(void)__wasi_fd_fdstat_get(fd, &st);
	printf("fdstat: type %u base %llx\n", st.fs_filetype, (unsigned long long)st.fs_rights_base);
	printf("drop write: %s\n", E(__wasi_fd_fdstat_set_rights(fd, __WASI_RIGHTS_FD_READ |
								  __WASI_RIGHTS_FD_SEEK, 0)));
	printf("write without right: %s\n", E(__wasi_fd_write(fd, &iov, 1, &n)));
	printf("regain write: %s\n", E(__wasi_fd_fdstat_set_rights(fd, __WASI_RIGHTS_FD_READ |
								    __WASI_RIGHTS_FD_WRITE, 0)));
	printf("tell without right: %s\n", E(__wasi_fd_tell(fd, &pos)));
	printf("filestat without right: %s\n", E(__wasi_fd_filestat_set_size(fd, 0)));
	printf("readdir on file: %s\n", E(__wasi_fd_readdir(fd, (uint8_t *)&st, 8, 0, &n)));
	printf("more rights than the dir grants: %s\n",
	       E(__wasi_path_open(3, 0, "f", 0, __WASI_RIGHTS_SOCK_ACCEPT << 1, 0, 0, &fd)));
	printf("renumber to closed: %s\n", E(__wasi_fd_renumber(fd, 77)));
	printf("renumber onto 4: %s\n", E(__wasi_fd_renumber(fd, 4)));
	printf("old number closed: %s\n", E(__wasi_fd_close(fd)));
	printf("prestat of 4 after renumber: %s\n", E(__wasi_fd_prestat_get(4, &(__wasi_prestat_t){ 0 })));
	printf("close 4: %s\n", E(__wasi_fd_close(4)));
	printf("close again: %s\n", E(__wasi_fd_close(4)));
}

static void bad_handles(void)
{
	__wasi_fdstat_t st;
	__wasi_size_t n;
	__wasi_filesize_t pos;
	__wasi_iovec_t iov = { (uint8_t *)&st, 1 };

	printf("fdstat 99: %s\n", E(__wasi_fd_fdstat_get(99, &st)));
	printf("read 99: %s\n", E(__wasi_fd_read(99, &iov, 1, &n)));
	printf("seek 1000000: %s\n", E(__wasi_fd_seek(1000000, 0, 0, &pos)));
	printf("close -1: %s\n", E(__wasi_fd_close((__wasi_fd_t)-1)));
	printf("path_open on stdout: %s\n",
	       E(__wasi_path_open(1, 0, "f", 0, 0, 0, 0, (__wasi_fd_t *)&n)));
	printf("sock_accept on a dir: %s\n", E(__wasi_sock_accept(3, 0, (__wasi_fd_t *)&n)));
	printf("sock_shutdown on a file fd: %s\n", E(__wasi_sock_shutdown(1, __WASI_SDFLAGS_WR)));
	n = open_rights("f", 0, __WASI_RIGHTS_FD_SEEK); /* stdio cannot seek at all */
	printf("seek bad whence: %s\n", E(__wasi_fd_seek(n, 1, 7, &pos)));
	(void)__wasi_fd_close(n);
	printf("advise bad: %s\n", E(__wasi_fd_advise(3, 0, 0, 9)));
}

/* List d with a buffer of `size` bytes, resuming from the last whole
 * entry's cookie each time; count the entries seen. */
static int list_small(size_t size)
{
	static uint8_t buf[4096];
	__wasi_fd_t fd = open_rights("d", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR);
	__wasi_dircookie_t cookie = 0;
	int count = 0, calls = 0;

	for (;;) {
		__wasi_size_t used = 0, off = 0;
		__wasi_errno_t e = __wasi_fd_readdir(fd, buf, size, cookie, &used);

		calls++;
		if (e || calls > 1000) {
			printf("readdir: %s\n", E(e));
			break;
		}
		while (off + sizeof(__wasi_dirent_t) <= used) {
			__wasi_dirent_t d;

			memcpy(&d, buf + off, sizeof(d));
			if (off + sizeof(d) + d.d_namlen > used)
				break; /* cut: ask again from cookie */
			count++;
			cookie = d.d_next;
			off += sizeof(d) + d.d_namlen;
		}
		if (used < size)
			break;
	}
	(void)__wasi_fd_close(fd);
	return count;
}

static void misc(void)
{
	__wasi_timestamp_t t1 = 0, t2 = 0, res = 0;
	uint8_t rnd[64] = { 0 };
	int nonzero = 0;
	__wasi_fd_t fd;

	printf("clock res monotonic: %s %d\n", E(__wasi_clock_res_get(1, &res)), res > 0);
	printf("clock bad id: %s\n", E(__wasi_clock_res_get(9, &res)));
	(void)__wasi_clock_time_get(1, 1, &t1);
	(void)__wasi_clock_time_get(1, 1, &t2);
	printf("monotonic: %d\n", t2 >= t1 && t1 > 0);
	(void)__wasi_clock_time_get(0, 1, &t1);
	printf("realtime after 2020: %d\n", t1 > 1577836800ull * 1000000000ull);
	for (int id = 2; id < 4; id++)
		printf("cputime %d: %s\n", id, E(__wasi_clock_time_get(id, 1, &t1)));
	printf("random_get: %s\n", E(__wasi_random_get(rnd, sizeof(rnd))));
	for (size_t i = 0; i < sizeof(rnd); i++)
		nonzero += rnd[i] != 0;
	printf("random bytes look random: %d\n", nonzero > 32);
	printf("sched_yield: %s\n", E(__wasi_sched_yield()));
	printf("proc_raise(0): %s\n", E(raw_proc_raise(0)));
	printf("proc_raise(CHLD) ignored: %s\n", E(raw_proc_raise(16 /* CHLD */)));
	printf("proc_raise(99): %s\n", E(raw_proc_raise(99)));
	fd = open_rights("f", 0, __WASI_RIGHTS_FD_FILESTAT_SET_TIMES | __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS |
			 __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_GET);
	printf("set times now: %s\n", E(__wasi_fd_filestat_set_times(fd, 0, 0,
			__WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW)));
	printf("set time and now: %s\n", E(__wasi_fd_filestat_set_times(fd, 5, 0,
			__WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW)));
	printf("set flags append: %s\n", E(__wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND)));
	printf("set flags sync: %s\n", E(__wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_SYNC)));
	printf("allocate: %s\n", E(__wasi_fd_allocate(fd, 0, 4096)));
	__wasi_filestat_t fs;
	(void)__wasi_fd_filestat_get(fd, &fs);
	printf("size after allocate: %llu type %u\n", (unsigned long long)fs.size, fs.filetype);
	(void)__wasi_fd_close(fd);
}

/* Several subscriptions at once: two clocks and a write-ready stdout. */
static void poll_many(void)
{
	__wasi_subscription_t s[3];
	__wasi_event_t ev[3];
	__wasi_size_t n = 0;

	memset(s, 0, sizeof(s));
	s[0].userdata = 10;
	s[0].u.tag = __WASI_EVENTTYPE_CLOCK;
	s[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
	s[0].u.u.clock.timeout = 20000000;
	s[1].userdata = 11;
	s[1].u.tag = __WASI_EVENTTYPE_CLOCK;
	s[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
	s[1].u.u.clock.timeout = 5000000000ull;
	s[2].userdata = 12;
	s[2].u.tag = __WASI_EVENTTYPE_FD_WRITE;
	s[2].u.u.fd_write.file_descriptor = 1;
	printf("poll: %s", E(__wasi_poll_oneoff(s, ev, 3, &n)));
	printf(" events %u first %llu type %u\n", (unsigned)n, (unsigned long long)ev[0].userdata, ev[0].type);
	printf("poll clocks only: %s", E(__wasi_poll_oneoff(s, ev, 2, &n)));
	printf(" events %u first %llu\n", (unsigned)n, (unsigned long long)ev[0].userdata);
	s[2].u.u.fd_write.file_descriptor = 55;
	printf("poll bad fd: %s", E(__wasi_poll_oneoff(s + 2, ev, 1, &n)));
	printf(" events %u error %s\n", (unsigned)n, E(ev[0].error));
	printf("poll none: %s\n", E(__wasi_poll_oneoff(s, ev, 0, &n)));
}

int main(void)
{
	prestats();
	rights();
	bad_handles();
	printf("entries, big buffer: %d\n", list_small(4096));
	printf("entries, 40-byte buffer: %d\n", list_small(40));
	printf("entries, 32-byte buffer: %d\n", list_small(32));
	misc();
	poll_many();
	return 0;
}
