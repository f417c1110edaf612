/*
 * test_wasi_res.c: wrun:res (src/wasi/wasi_res.c), the derived handles of
 * WASI 0.2's streams and pollables, called as the broker calls it, with a
 * caller that does not follow the rules: what may be derived from what,
 * the rights a derived handle keeps and the operations it is refused, the
 * parent that cannot be closed or renumbered under its children, polling
 * for the wrong direction, the shared output budget, a full table, and no
 * host descriptor gained or lost.
 */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "wasi_impl.h"

#include "count_fds.h"

#define MEMSZ 16384u
#define OUT 64u		/* out-parameters */
#define PATH 256u	/* a path */
#define IOV 512u	/* one iovec */
#define BUF 1024u	/* data */
#define SUBS 4096u	/* poll subscriptions (48 bytes each) */
#define EVS 8192u	/* poll events (32 bytes each) */

static uint8_t mem[MEMSZ];
static char dir[64];

static int call(wasi_ctx *c, unsigned fn, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		uint64_t a4)
{
	uint64_t a[16] = { a0, a1, a2, a3, a4 };
	int code = 0;

	return wasi_call(c, fn, a, mem, MEMSZ, &code);
}

static wasi_ctx *ctx_new(uint64_t max_output, unsigned net)
{
	wasi_dir d = { dir, "/" };
	char *argv[] = { "t", NULL };
	wasi_config cfg = { .argc = 1, .argv = argv, .ndirs = 1, .dirs = &d,
			    .max_output = max_output, .net = net };
	char err[128];
	wasi_ctx *c = wasi_ctx_new(&cfg, err, sizeof(err));

	assert_non_null(c);
	return c;
}

/* Open name in the preopen (3) with rights; the new handle. */
static uint32_t open_at(wasi_ctx *c, const char *name, uint32_t oflags, uint64_t rights)
{
	size_t n = strlen(name);

	memcpy(mem + PATH, name, n);
	assert_int_equal(wasi_call(c, WASI_FN_path_open,
				   (uint64_t[16]){ 3, 0, PATH, n, oflags, rights, 0, 0, OUT }, mem,
				   MEMSZ, &(int){ 0 }), 0);
	return wasi_get_u32(mem + OUT);
}

/* A derived handle of role from fd: the errno, the handle in *out. */
static int derive(wasi_ctx *c, uint32_t fd, unsigned role, uint32_t *out)
{
	int r = call(c, WASI_FN_res_derive, fd, role, OUT, 0, 0);

	*out = r == 0 ? wasi_get_u32(mem + OUT) : UINT32_MAX;
	return r;
}

/* One iovec at IOV for len bytes at BUF. */
static void iov(uint32_t len)
{
	wasi_put_u32(mem + IOV, BUF);
	wasi_put_u32(mem + IOV + 4, len);
}

/* Rights of handle fd (fd_fdstat_get). */
static uint64_t rights_of(wasi_ctx *c, uint32_t fd)
{
	assert_int_equal(call(c, WASI_FN_fd_fdstat_get, fd, OUT, 0, 0, 0), 0);
	return wasi_get_u64(mem + OUT + 8);
}

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/wasi-res-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char p[128];

	(void)state;
	snprintf(p, sizeof(p), "%s/f", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/d", dir);
	rmdir(p);
	return rmdir(dir);
}

/* What may be made from what, and with which rights. */
static void test_derive_rules(void **state)
{
	int before = count_fds();
	wasi_ctx *c = ctx_new(0, 0);
	uint32_t ro, rw, in, out, p, x;

	(void)state;
	rw = open_at(c, "f", WASI_O_CREAT, R_FD_READ | R_FD_WRITE | R_FD_SEEK | R_FD_FILESTAT_GET |
				      R_POLL_FD_READWRITE);
	ro = open_at(c, "f", 0, R_FD_READ | R_FD_SEEK);
	/* the role must be one of the derived ones */
	assert_int_equal(derive(c, rw, WASI_ROLE_DESC, &x), WASI_EINVAL);
	assert_int_equal(derive(c, rw, WASI_ROLE__COUNT, &x), WASI_EINVAL);
	assert_int_equal(derive(c, rw, 0xffffffffu, &x), WASI_EINVAL);
	/* handles never opened */
	assert_int_equal(derive(c, 77, WASI_ROLE_IN, &x), WASI_EBADF);
	assert_int_equal(derive(c, 0xffffffffu, WASI_ROLE_IN, &x), WASI_EBADF);
	/* the parent needs the right the role uses */
	assert_int_equal(derive(c, ro, WASI_ROLE_OUT, &x), WASI_ENOTCAPABLE);
	assert_int_equal(derive(c, rw, WASI_ROLE_DIRS, &x), WASI_ENOTCAPABLE);
	assert_int_equal(derive(c, 3, WASI_ROLE_IN, &x), WASI_ENOTCAPABLE);	/* a directory */
	assert_int_equal(derive(c, 0, WASI_ROLE_OUT, &x), WASI_ENOTCAPABLE);	/* stdin */
	/* a bad out-pointer makes nothing */
	assert_int_equal(call(c, WASI_FN_res_derive, rw, WASI_ROLE_IN, MEMSZ - 2, 0, 0),
			 WASI_EFAULT);
	/* streams: a subset of the parent's rights, nothing to inherit */
	assert_int_equal(derive(c, rw, WASI_ROLE_IN, &in), 0);
	assert_int_equal(rights_of(c, in), R_FD_READ | R_FD_SEEK | R_POLL_FD_READWRITE);
	assert_int_equal(wasi_get_u64(mem + OUT + 16), 0);
	assert_int_equal(derive(c, rw, WASI_ROLE_OUT, &out), 0);
	assert_int_equal(rights_of(c, out), R_FD_WRITE | R_FD_SEEK | R_POLL_FD_READWRITE);
	assert_int_equal(derive(c, ro, WASI_ROLE_IN, &x), 0);
	assert_int_equal(rights_of(c, x), R_FD_READ | R_FD_SEEK);
	/* nothing is made of a stream but a pollable of its direction */
	assert_int_equal(derive(c, in, WASI_ROLE_IN, &p), WASI_EBADF);
	assert_int_equal(derive(c, in, WASI_ROLE_POLL_OUT, &p), WASI_EBADF);
	assert_int_equal(derive(c, out, WASI_ROLE_POLL_IN, &p), WASI_EBADF);
	assert_int_equal(derive(c, in, WASI_ROLE_POLL_IN, &p), 0);
	assert_int_equal(rights_of(c, p), R_POLL_FD_READWRITE);
	/* nor anything of a pollable */
	assert_int_equal(derive(c, p, WASI_ROLE_POLL_IN, &x), WASI_EBADF);
	assert_int_equal(derive(c, p, WASI_ROLE_IN, &x), WASI_EBADF);
	/* rights only narrow on a derived handle too */
	assert_int_equal(call(c, WASI_FN_fd_fdstat_set_rights, in, R_FD_READ | R_FD_WRITE, 0, 0, 0),
			 WASI_ENOTCAPABLE);
	/* derived handles hold no descriptor: the count and the process say so */
	assert_int_equal(wasi_open_count(c), 3 + 1 + 2);
	assert_int_equal(count_fds(), before + 3 + 1 + 2);
	wasi_ctx_free(c);	/* with every child still open */
	assert_int_equal(count_fds(), before);
}

/* A derived handle does what its role is for, and nothing else. */
static void test_operations(void **state)
{
	wasi_ctx *c = ctx_new(0, 0);
	uint32_t fd, in, out, p;

	(void)state;
	fd = open_at(c, "f", WASI_O_CREAT | WASI_O_TRUNC,
		     R_FD_READ | R_FD_WRITE | R_FD_SEEK | R_FD_FILESTAT_GET |
		     R_FD_FILESTAT_SET_SIZE | R_POLL_FD_READWRITE);
	assert_int_equal(derive(c, fd, WASI_ROLE_IN, &in), 0);
	assert_int_equal(derive(c, fd, WASI_ROLE_OUT, &out), 0);
	assert_int_equal(derive(c, in, WASI_ROLE_POLL_IN, &p), 0);
	memcpy(mem + BUF, "hello", 5);
	iov(5);
	assert_int_equal(call(c, WASI_FN_fd_pwrite, out, IOV, 1, 0, OUT), 0);
	assert_int_equal(wasi_get_u32(mem + OUT), 5);
	memset(mem + BUF, 0, 5);
	assert_int_equal(call(c, WASI_FN_fd_pread, in, IOV, 1, 0, OUT), 0);
	assert_int_equal(wasi_get_u32(mem + OUT), 5);
	assert_memory_equal(mem + BUF, "hello", 5);
	/* the wrong direction, and what no stream does */
	assert_int_equal(call(c, WASI_FN_fd_pwrite, in, IOV, 1, 0, OUT), WASI_ENOTCAPABLE);
	assert_int_equal(call(c, WASI_FN_fd_pread, out, IOV, 1, 0, OUT), WASI_ENOTCAPABLE);
	assert_int_equal(call(c, WASI_FN_fd_read, p, IOV, 1, OUT, 0), WASI_ENOTCAPABLE);
	assert_int_equal(call(c, WASI_FN_fd_write, p, IOV, 1, OUT, 0), WASI_ENOTCAPABLE);
	assert_int_equal(call(c, WASI_FN_fd_filestat_set_size, out, 0, 0, 0, 0), WASI_ENOTCAPABLE);
	assert_int_equal(call(c, WASI_FN_fd_filestat_get, in, OUT, 0, 0, 0), WASI_ENOTCAPABLE);
	assert_int_equal(call(c, WASI_FN_fd_readdir, in, BUF, 64, 0, OUT), WASI_ENOTCAPABLE);
	memcpy(mem + PATH, "g", 1);
	assert_int_equal(wasi_call(c, WASI_FN_path_open,
				   (uint64_t[16]){ in, 0, PATH, 1, WASI_O_CREAT, R_FD_READ, 0, 0, OUT },
				   mem, MEMSZ, &(int){ 0 }), WASI_ENOTCAPABLE);
	assert_int_equal(call(c, WASI_FN_fd_prestat_get, in, OUT, 0, 0, 0), WASI_EBADF);
	assert_int_equal(call(c, WASI_FN_sock_accept, in, 0, OUT, 0, 0), WASI_ENOTSOCK);
	/* the file is untouched by the refused calls */
	assert_int_equal(call(c, WASI_FN_fd_filestat_get, fd, BUF, 0, 0, 0), 0);
	assert_int_equal(wasi_get_u64(mem + BUF + 32), 5);
	wasi_ctx_free(c);
}

/* The parent outlives its children: close and renumber are refused. */
static void test_parent_outlives(void **state)
{
	int before = count_fds();
	wasi_ctx *c = ctx_new(0, 0);
	uint32_t fd, other, in, p, ds;

	(void)state;
	fd = open_at(c, "f", WASI_O_CREAT, R_FD_READ | R_FD_SEEK | R_POLL_FD_READWRITE);
	other = open_at(c, "f", 0, R_FD_READ);
	assert_int_equal(derive(c, fd, WASI_ROLE_IN, &in), 0);
	assert_int_equal(derive(c, in, WASI_ROLE_POLL_IN, &p), 0);
	assert_int_equal(call(c, WASI_FN_fd_close, fd, 0, 0, 0, 0), WASI_EBUSY);
	assert_int_equal(call(c, WASI_FN_fd_close, in, 0, 0, 0, 0), WASI_EBUSY);
	assert_int_equal(call(c, WASI_FN_fd_renumber, fd, other, 0, 0, 0), WASI_EBUSY);
	assert_int_equal(call(c, WASI_FN_fd_renumber, other, fd, 0, 0, 0), WASI_EBUSY);
	/* a derived handle is never renumbered, nor over */
	assert_int_equal(call(c, WASI_FN_fd_renumber, p, other, 0, 0, 0), WASI_EBADF);
	assert_int_equal(call(c, WASI_FN_fd_renumber, other, in, 0, 0, 0), WASI_EBADF);
	/* still open, still reading the same file */
	iov(1);
	assert_int_equal(call(c, WASI_FN_fd_pread, in, IOV, 1, 0, OUT), 0);
	/* children first, then the parent */
	assert_int_equal(call(c, WASI_FN_fd_close, p, 0, 0, 0, 0), 0);
	assert_int_equal(call(c, WASI_FN_fd_close, p, 0, 0, 0, 0), WASI_EBADF);
	assert_int_equal(call(c, WASI_FN_fd_close, in, 0, 0, 0, 0), 0);
	assert_int_equal(call(c, WASI_FN_fd_close, fd, 0, 0, 0, 0), 0);
	assert_int_equal(call(c, WASI_FN_fd_renumber, other, 0, 0, 0, 0), 0);
	/* an entry stream of the preopen (an O_PATH descriptor) reads the
	 * directory through a descriptor of its own, closed with it */
	assert_int_equal(derive(c, 3, WASI_ROLE_DIRS, &ds), 0);
	/* stdout, stderr, `other` as 0, the preopen, the entry stream's own */
	assert_int_equal(count_fds(), before + 5);
	assert_int_equal(call(c, WASI_FN_fd_readdir, ds, BUF, 4096, 0, OUT), 0);
	assert_true(wasi_get_u32(mem + OUT) > 24);
	assert_int_equal(call(c, WASI_FN_fd_close, 3, 0, 0, 0, 0), WASI_EBUSY);
	assert_int_equal(call(c, WASI_FN_fd_close, ds, 0, 0, 0, 0), 0);
	assert_int_equal(count_fds(), before + 4);
	assert_int_equal(call(c, WASI_FN_fd_close, 3, 0, 0, 0, 0), 0);
	wasi_ctx_free(c);
	assert_int_equal(count_fds(), before);
}

/* Subscription i at SUBS: fd_read (type 1) or fd_write (2) on fd. */
static void sub(uint32_t i, uint8_t type, uint32_t fd)
{
	uint8_t *s = mem + SUBS + i * 48;

	memset(s, 0, 48);
	wasi_put_u64(s, i);
	s[8] = type;
	wasi_put_u32(s + 16, fd);
}

/* A pollable polls for what it was made for; a stream for its direction. */
static void test_poll_direction(void **state)
{
	wasi_ctx *c = ctx_new(0, 0);
	uint32_t fd, in, out, pin, pout, n;
	const struct {
		uint8_t type;
		uint32_t *fd;
		uint16_t err;
	} want[] = {
		{ 1, &pin, 0 }, { 2, &pin, WASI_EBADF }, { 2, &pout, 0 }, { 1, &pout, WASI_EBADF },
		{ 1, &in, 0 }, { 2, &in, WASI_EBADF }, { 2, &out, 0 }, { 1, &out, WASI_EBADF },
		{ 1, &fd, 0 }, { 2, &fd, 0 },
	};
	const uint32_t nw = sizeof(want) / sizeof(want[0]);

	(void)state;
	fd = open_at(c, "f", WASI_O_CREAT, R_FD_READ | R_FD_WRITE | R_POLL_FD_READWRITE);
	assert_int_equal(derive(c, fd, WASI_ROLE_IN, &in), 0);
	assert_int_equal(derive(c, fd, WASI_ROLE_OUT, &out), 0);
	assert_int_equal(derive(c, in, WASI_ROLE_POLL_IN, &pin), 0);
	assert_int_equal(derive(c, out, WASI_ROLE_POLL_OUT, &pout), 0);
	for (uint32_t i = 0; i < nw; i++)
		sub(i, want[i].type, *want[i].fd);
	assert_int_equal(call(c, WASI_FN_poll_oneoff, SUBS, EVS, nw, OUT, 0), 0);
	n = wasi_get_u32(mem + OUT);
	assert_int_equal(n, nw);	/* a file is always ready; errors are events */
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = mem + EVS + i * 32;
		uint64_t u = wasi_get_u64(e);

		assert_true(u < nw);
		assert_int_equal(wasi_get_u16(e + 8), want[u].err);
	}
	wasi_ctx_free(c);
}

/* A stream of stdout writes within --max-output, as stdout does. */
static void test_shared_budget(void **state)
{
	int saved = dup(1), null = open("/dev/null", O_WRONLY);
	wasi_ctx *c;
	uint32_t out;

	(void)state;
	assert_true(saved >= 0 && null >= 0 && dup2(null, 1) == 1);	/* what the guest writes */
	c = ctx_new(4, 0);
	assert_true(dup2(saved, 1) == 1);
	close(saved);
	close(null);
	assert_int_equal(derive(c, 1, WASI_ROLE_OUT, &out), 0);
	memcpy(mem + BUF, "0123456789", 10);
	iov(10);
	assert_int_equal(call(c, WASI_FN_fd_write, out, IOV, 1, OUT, 0), WASI_CALL_LIMIT);
	assert_int_equal(wasi_limit_reached(c), WASI_LIMIT_OUTPUT);
	wasi_ctx_free(c);
}

/* Of a wrun:net socket, a stream receives or sends; it binds nothing. */
static void test_socket_streams(void **state)
{
	wasi_ctx *c = ctx_new(0, WASI_NET_INHERIT | WASI_NET_UDP);
	uint32_t s, in, out;

	(void)state;
	assert_int_equal(call(c, WASI_FN_net_socket, 4, 1, OUT, 0, 0), 0);
	s = wasi_get_u32(mem + OUT);
	assert_int_equal(derive(c, s, WASI_ROLE_IN, &in), 0);
	assert_int_equal(derive(c, s, WASI_ROLE_OUT, &out), 0);
	memset(mem + PATH, 0, 32);
	mem[PATH] = 4;
	mem[PATH + 8] = 127;
	mem[PATH + 11] = 1;
	assert_int_equal(call(c, WASI_FN_net_bind, in, PATH, 0, 0, 0), WASI_EBADF);
	assert_int_equal(call(c, WASI_FN_net_connect, out, PATH, 0, 0, 0), WASI_EBADF);
	assert_int_equal(call(c, WASI_FN_net_setopt, in, 5, 9, 0, 0), WASI_EBADF);
	assert_int_equal(call(c, WASI_FN_net_listen, out, 1, 0, 0, 0), WASI_EBADF);
	assert_int_equal(call(c, WASI_FN_net_recvfrom, out, BUF, 16, OUT, PATH + 64), WASI_EBADF);
	assert_int_equal(call(c, WASI_FN_net_sendto, in, BUF, 1, PATH, OUT), WASI_EBADF);
	assert_int_equal(call(c, WASI_FN_sock_shutdown, in, 3, 0, 0, 0), WASI_ENOTCAPABLE);
	/* the socket itself binds; its input stream then receives (nothing yet) */
	assert_int_equal(call(c, WASI_FN_net_bind, s, PATH, 0, 0, 0), 0);
	assert_int_equal(call(c, WASI_FN_net_recvfrom, in, BUF, 16, OUT, PATH + 64), WASI_EAGAIN);
	assert_int_equal(call(c, WASI_FN_fd_close, s, 0, 0, 0, 0), WASI_EBUSY);
	wasi_ctx_free(c);
}

/* Derived handles share the table's bound; a full table refuses cleanly. */
static void test_table_full(void **state)
{
	int before = count_fds();
	wasi_ctx *c = ctx_new(0, 0);
	uint32_t made = 0, h;
	int r;

	(void)state;
	while ((r = derive(c, 1, WASI_ROLE_OUT, &h)) == 0)
		made++;
	assert_int_equal(r, WASI_EMFILE);
	assert_int_equal(made, WASI_MAX_FDS - 4);	/* 0, 1, 2 and the preopen */
	assert_int_equal(count_fds(), before + 4);
	assert_int_equal(call(c, WASI_FN_fd_close, 1, 0, 0, 0, 0), WASI_EBUSY);
	assert_int_equal(call(c, WASI_FN_fd_close, 4, 0, 0, 0, 0), 0);
	assert_int_equal(derive(c, 1, WASI_ROLE_OUT, &h), 0);
	assert_int_equal(h, 4);
	wasi_ctx_free(c);
	assert_int_equal(count_fds(), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_derive_rules),
		cmocka_unit_test(test_operations),
		cmocka_unit_test(test_parent_outlives),
		cmocka_unit_test(test_poll_direction),
		cmocka_unit_test(test_shared_budget),
		cmocka_unit_test(test_socket_streams),
		cmocka_unit_test(test_table_full),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
