/*
 * test_wasi_net.c: wrun:net (src/wasi/wasi_net.c) called as the broker
 * calls it: the grants (EACCES without them), the handle types (its
 * operations act on its own sockets only, and a socket is no file), the
 * literal-only name lookup, and the guest's sizes and values checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cmocka.h>

#include "wasi_impl.h"

#define MEMSZ 8192u
#define OUT 64u		/* out-parameters */
#define ADDR 128u	/* an address (32 bytes) */
#define NAME 256u
#define RES 512u	/* resolved addresses */

static uint8_t mem[MEMSZ];
static char dir[64];

static wasi_ctx *ctx_with(unsigned net)
{
	wasi_dir d = { dir, "/" };
	char *argv[] = { "t", NULL };
	wasi_config cfg = { .argc = 1, .argv = argv, .ndirs = 1, .dirs = &d, .net = net };
	char err[128];
	wasi_ctx *c = wasi_ctx_new(&cfg, err, sizeof(err));

	assert_non_null(c);
	return c;
}

static int call(wasi_ctx *c, unsigned fn, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		uint64_t a4)
{
	uint64_t a[16] = { a0, a1, a2, a3, a4 };	/* every function's arguments */
	int code = 0;

	return wasi_call(c, fn, a, mem, MEMSZ, &code);
}

/* 127.0.0.1:port at ADDR */
static void loop4(uint16_t port)
{
	memset(mem + ADDR, 0, 32);
	mem[ADDR] = 4;
	wasi_put_u16(mem + ADDR + 2, port);
	mem[ADDR + 8] = 127;
	mem[ADDR + 11] = 1;
}

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/wasi-net-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(dir);
}

/* Nothing without the grants, and every refusal is EACCES. */
static void test_refused_without_grants(void **state)
{
	wasi_ctx *c = ctx_with(0);
	uint32_t fd;

	(void)state;
	assert_int_equal(call(c, WASI_FN_net_socket, 4, 0, OUT, 0, 0), WASI_EACCES);
	assert_int_equal(call(c, WASI_FN_net_socket, 4, 1, OUT, 0, 0), WASI_EACCES);
	memcpy(mem + NAME, "localhost", 9);
	assert_int_equal(call(c, WASI_FN_net_resolve, NAME, 9, RES, 4, OUT), WASI_EACCES);
	wasi_ctx_free(c);

	c = ctx_with(WASI_NET_TCP | WASI_NET_UDP);	/* sockets, no network */
	assert_int_equal(call(c, WASI_FN_net_socket, 4, 1, OUT, 0, 0), 0);
	fd = wasi_get_u32(mem + OUT);
	loop4(0);
	assert_int_equal(call(c, WASI_FN_net_bind, fd, ADDR, 0, 0, 0), WASI_EACCES);
	assert_int_equal(call(c, WASI_FN_net_connect, fd, ADDR, 0, 0, 0), WASI_EACCES);
	assert_int_equal(call(c, WASI_FN_net_listen, fd, 1, 0, 0, 0), WASI_EACCES);
	assert_int_equal(call(c, WASI_FN_net_sendto, fd, NAME, 4, ADDR, OUT), WASI_EACCES);
	wasi_ctx_free(c);
}

/* wrun:net acts on its own sockets only; its sockets are not files. */
static void test_handle_types(void **state)
{
	wasi_ctx *c = ctx_with(WASI_NET_INHERIT | WASI_NET_TCP | WASI_NET_UDP);
	uint32_t fd;

	(void)state;
	loop4(0);
	/* the preopen (3) and the standard streams are not wrun:net sockets */
	for (uint32_t h = 0; h <= 3; h++) {
		assert_int_equal(call(c, WASI_FN_net_bind, h, ADDR, 0, 0, 0), WASI_EBADF);
		assert_int_equal(call(c, WASI_FN_net_addr, h, 0, OUT, 0, 0), WASI_EBADF);
		assert_int_equal(call(c, WASI_FN_net_setopt, h, 1, 1, 0, 0), WASI_EBADF);
	}
	assert_int_equal(call(c, WASI_FN_net_bind, 99, ADDR, 0, 0, 0), WASI_EBADF);
	assert_int_equal(call(c, WASI_FN_net_socket, 4, 0, OUT, 0, 0), 0);
	fd = wasi_get_u32(mem + OUT);
	/* a socket opens no path and has no size, position or times */
	memcpy(mem + NAME, "x", 1);
	assert_int_equal(call(c, WASI_FN_path_open, fd, 0, NAME, 1, 0), WASI_ENOTCAPABLE);
	assert_int_equal(call(c, WASI_FN_fd_filestat_set_size, fd, 0, 0, 0, 0),
			 WASI_ENOTCAPABLE);
	assert_int_equal(call(c, WASI_FN_fd_tell, fd, OUT, 0, 0, 0), WASI_ENOTCAPABLE);
	/* granted: bind to loopback, the port is read back */
	assert_int_equal(call(c, WASI_FN_net_bind, fd, ADDR, 0, 0, 0), 0);
	assert_int_equal(call(c, WASI_FN_net_addr, fd, 0, ADDR, 0, 0), 0);
	assert_int_equal(mem[ADDR], 4);
	assert_int_not_equal(wasi_get_u16(mem + ADDR + 2), 0);
	assert_int_equal(call(c, WASI_FN_net_listen, fd, 0xffffffffu, 0, 0, 0), 0);
	/* nothing waits: accept answers EAGAIN */
	assert_int_equal(call(c, WASI_FN_sock_accept, fd, 4, OUT, 0, 0), WASI_EAGAIN);
	wasi_ctx_free(c);
}

/* Guest values: families, protocols, options, addresses. */
static void test_values(void **state)
{
	wasi_ctx *c = ctx_with(WASI_NET_INHERIT | WASI_NET_TCP | WASI_NET_UDP);
	uint32_t fd;

	(void)state;
	assert_int_equal(call(c, WASI_FN_net_socket, 5, 0, OUT, 0, 0), WASI_EINVAL);
	assert_int_equal(call(c, WASI_FN_net_socket, 4, 2, OUT, 0, 0), WASI_EINVAL);
	assert_int_equal(call(c, WASI_FN_net_socket, 4, 0, MEMSZ - 2, 0, 0), WASI_EFAULT);
	assert_int_equal(call(c, WASI_FN_net_socket, 4, 1, OUT, 0, 0), 0);
	fd = wasi_get_u32(mem + OUT);
	assert_int_equal(call(c, WASI_FN_net_setopt, fd, 5, 0, 0, 0), WASI_EINVAL);	/* hops 0 */
	assert_int_equal(call(c, WASI_FN_net_setopt, fd, 5, 256, 0, 0), WASI_EINVAL);
	assert_int_equal(call(c, WASI_FN_net_setopt, fd, 5, 9, 0, 0), 0);
	assert_int_equal(call(c, WASI_FN_net_getopt, fd, 5, OUT, 0, 0), 0);
	assert_int_equal(wasi_get_u64(mem + OUT), 9);
	assert_int_equal(call(c, WASI_FN_net_getopt, fd, 2, OUT, 0, 0), 50);	/* TCP opt, UDP */
	assert_int_equal(call(c, WASI_FN_net_setopt, fd, 0, 1, 0, 0), WASI_EINVAL);	/* read-only */
	assert_int_equal(call(c, WASI_FN_net_getopt, fd, 99, OUT, 0, 0), WASI_EINVAL);
	loop4(0);
	mem[ADDR] = 5;	/* no such family */
	assert_int_equal(call(c, WASI_FN_net_bind, fd, ADDR, 0, 0, 0), WASI_EINVAL);
	assert_int_equal(call(c, WASI_FN_net_bind, fd, MEMSZ - 16, 0, 0, 0), WASI_EFAULT);
	assert_int_equal(call(c, WASI_FN_net_recvfrom, fd, 0, MEMSZ + 1, OUT, ADDR),
			 WASI_EFAULT);
	wasi_ctx_free(c);
}

/* Lookup: literals and localhost, nothing else; the guest's max capped. */
static void test_resolve(void **state)
{
	wasi_ctx *c = ctx_with(WASI_NET_LOOKUP);

	(void)state;
	memcpy(mem + NAME, "localhost", 9);
	assert_int_equal(call(c, WASI_FN_net_resolve, NAME, 9, RES, 1000000, OUT), 0);
	assert_int_equal(wasi_get_u32(mem + OUT), 2);
	assert_int_equal(mem[RES], 4);
	assert_int_equal(mem[RES + 8], 127);
	assert_int_equal(mem[RES + 32], 6);
	assert_int_equal(mem[RES + 32 + 23], 1);
	assert_int_equal(call(c, WASI_FN_net_resolve, NAME, 9, RES, 1, OUT), 0);
	assert_int_equal(wasi_get_u32(mem + OUT), 1);
	memcpy(mem + NAME, "10.1.2.3", 8);
	assert_int_equal(call(c, WASI_FN_net_resolve, NAME, 8, RES, 4, OUT), 0);
	assert_int_equal(mem[RES + 8], 10);
	assert_int_equal(mem[RES + 11], 3);
	memcpy(mem + NAME, "example.com", 11);
	assert_int_equal(call(c, WASI_FN_net_resolve, NAME, 11, RES, 4, OUT), WASI_ENOENT);
	memcpy(mem + NAME, "a\0b", 3);
	assert_int_equal(call(c, WASI_FN_net_resolve, NAME, 3, RES, 4, OUT), WASI_EINVAL);
	assert_int_equal(call(c, WASI_FN_net_resolve, NAME, 0, RES, 4, OUT), WASI_EINVAL);
	assert_int_equal(call(c, WASI_FN_net_resolve, NAME, 256, RES, 4, OUT), WASI_EINVAL);
	assert_int_equal(call(c, WASI_FN_net_resolve, NAME, 9, MEMSZ - 32, 2, OUT), WASI_EFAULT);
	wasi_ctx_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused_without_grants),
		cmocka_unit_test(test_handle_types),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_resolve),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
