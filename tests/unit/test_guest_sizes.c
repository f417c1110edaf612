/*
 * test_guest_sizes.c: in the broker's request path, nothing is allocated
 * from a size the guest chose before that size is checked.
 *
 * malloc, calloc and realloc are wrapped (-Wl,--wrap) to record the largest
 * request made during each WASI call.  The iovec counts of fd_read,
 * fd_write, sock_recv and sock_send and the subscription count of
 * poll_oneoff, set to 2^32 - 1 and to one past their limit, must be refused
 * with EINVAL and no allocation larger than their limits allow; then every
 * function, with each argument in turn set to 2^32 - 1 (the others 0),
 * must stay under one bound.  The context's standard streams are a
 * non-blocking socket, so no call waits and none touches a real file.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "wasi_impl.h"

#define MEMSZ	65536u
#define BIG	0xffffffffull
/* The most one call may allocate: a path buffer, the iovec copies. */
#define BOUND	(64u * 1024)

static uint8_t mem[MEMSZ];
static size_t largest;	/* the largest request since the last reset */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);

static void note(size_t n)
{
	if (n > largest)
		largest = n;
}

void *__wrap_malloc(size_t n)
{
	note(n);
	return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
	note(m && n > SIZE_MAX / m ? SIZE_MAX : n * m);
	return __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
	note(n);
	return __real_realloc(p, n);
}

/* A context whose stdio (guest 0, 1, 2) is one end of a socket pair. */
static int setup(void **state)
{
	char *argv[] = { "prog" };
	wasi_config cfg = { .argc = 1, .argv = argv };
	int sv[2], saved[3];
	char err[128];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	fflush(stdout);
	for (int i = 0; i < 3; i++) {
		saved[i] = dup(i);
		dup2(sv[0], i);
	}
	*state = wasi_ctx_new(&cfg, err, sizeof(err));
	for (int i = 0; i < 3; i++) {
		dup2(saved[i], i);
		close(saved[i]);
	}
	close(sv[0]);
	close(sv[1]);
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	wasi_ctx_free(*state);
	return 0;
}

/* Call fn with args; returns its errno, the largest allocation in *most. */
static int call(wasi_ctx *c, unsigned fn, const uint64_t *args, size_t *most)
{
	int code;
	int r;

	largest = 0;
	r = wasi_call(c, fn, args, mem, MEMSZ, &code);
	*most = largest;
	return r;
}

static void test_iovec_counts(void **state)
{
	static const unsigned fns[] = { WASI_FN_fd_read, WASI_FN_fd_write };
	const uint64_t counts[] = { BIG, WASI_MAX_IOVS + 1, 0x10000000 };
	size_t most;

	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		for (size_t k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
			/* stdin reads, stdout writes: each holds that right */
			uint64_t a[4] = { fns[i] == WASI_FN_fd_write, 0, counts[k], 16 };

			assert_int_equal(call(*state, fns[i], a, &most), WASI_EINVAL);
			assert_true(most <= 16u * WASI_MAX_IOVS);
		}
	}
}

static void test_sock_counts(void **state)
{
	const uint64_t counts[] = { BIG, WASI_MAX_IOVS + 1, 0x10000000 };
	size_t most;

	for (size_t k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
		uint64_t r[6] = { 0, 0, counts[k], 0, 16, 20 };
		uint64_t s[5] = { 1, 0, counts[k], 0, 16 };

		assert_int_equal(call(*state, WASI_FN_sock_recv, r, &most), WASI_EINVAL);
		assert_true(most <= 16u * WASI_MAX_IOVS);
		assert_int_equal(call(*state, WASI_FN_sock_send, s, &most), WASI_EINVAL);
		assert_true(most <= 16u * WASI_MAX_IOVS);
	}
}

static void test_poll_count(void **state)
{
	uint64_t a[4] = { 0, 0, BIG, 16 };
	size_t most;

	assert_int_equal(call(*state, WASI_FN_poll_oneoff, a, &most), WASI_EINVAL);
	assert_true(most <= BOUND);
}

/*
 * Every function, each argument in turn 2^32 - 1.  fd_close and
 * fd_renumber would give up the streams the other calls work on.
 */
static void test_every_function(void **state)
{
	size_t most;

	for (unsigned fn = 0; fn < WASI_FN__COUNT; fn++) {
		size_t n = strlen(wasi_fn_sig(fn));

		if (fn == WASI_FN_fd_close || fn == WASI_FN_fd_renumber)
			continue;
		for (size_t k = 0; k < n; k++) {
			uint64_t a[16] = { 0 };

			a[k] = BIG;
			call(*state, fn, a, &most);
			if (most > BOUND)
				fail_msg("%s, argument %zu = 2^32-1: allocated %zu bytes",
					 wasi_fn_name(fn), k, most);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_iovec_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sock_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_poll_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_function, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
