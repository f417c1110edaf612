/*
 * test_wasi_limits.c: the limits WASI itself enforces, whatever the
 * transport (in-process or the broker): --max-output as a byte budget
 * that stdout and stderr share, charged with what each write returned,
 * and --max-open counted after every call.
 *
 * A fake backend stands in for a pipe whose reader is slow: each write
 * takes at most fake_chunk bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "wasi_impl.h"

#define MEMSZ 65536u
#define O_IOV 0x100u	/* one iovec */
#define O_OUT 0x200u	/* the count written */
#define O_BUF 0x1000u	/* the data */

static uint8_t mem[MEMSZ];
static size_t fake_chunk;
static uint64_t fake_taken;

static ssize_t fake_writev(const wasi_backend *b, int fd, const struct iovec *iov, int n,
			   int flags)
{
	size_t want = 0;

	for (int i = 0; i < n; i++)
		want += iov[i].iov_len;
	want = want < fake_chunk ? want : fake_chunk;
	fake_taken += want;
	return (ssize_t)want;
}

static wasi_backend fake;

static wasi_ctx *new_ctx(uint64_t max_output, uint32_t max_open)
{
	static char *argv[] = { "t.wasm", NULL };
	wasi_config cfg = { .argc = 1, .argv = argv, .io = &fake, .max_output = max_output,
			    .max_open = max_open };
	char err[256];
	wasi_ctx *c;

	fake = wasi_io_sys;
	fake.writev = fake_writev;
	c = wasi_ctx_new(&cfg, err, sizeof(err));
	assert_non_null(c);
	return c;
}

/* fd_write(fd, one iovec of len bytes): the WASI answer. */
static int write_once(wasi_ctx *c, uint32_t fd, uint32_t len)
{
	uint64_t a[4] = { fd, O_IOV, 1, O_OUT };
	int code;

	memcpy(mem + O_IOV, &(uint32_t){ O_BUF }, 4);
	memcpy(mem + O_IOV + 4, &len, 4);
	return wasi_call(c, WASI_FN_fd_write, a, mem, MEMSZ, &code);
}

/* Write len bytes as a guest's libc would, one call per short write,
 * until all went out, an error, or the limit. */
static uint64_t write_all(wasi_ctx *c, uint32_t fd, uint64_t len)
{
	uint64_t done = 0;

	while (done < len) {
		uint32_t n = len - done < 4096 ? (uint32_t)(len - done) : 4096, got;
		int r = write_once(c, fd, n);

		if (r == WASI_CALL_LIMIT || r != 0)
			break;
		memcpy(&got, mem + O_OUT, 4);
		done += got;
	}
	return done;
}

/* Short writes to a slow pipe pass exactly the budget; the limit is
 * reached only when it is spent and the guest asked for more. */
static void test_output_budget(void **state)
{
	(void)state;
	fake_chunk = 64;
	for (uint64_t want = 999; want <= 1001; want++) {
		wasi_ctx *c = new_ctx(1000, 0);

		fake_taken = 0;
		/* the call that reaches the limit ends the run: its bytes went
		 * out (fake_taken) but the guest never hears of them */
		if (want <= 1000)
			assert_int_equal(write_all(c, 1, want), want);
		else
			write_all(c, 1, want);
		assert_int_equal(fake_taken, want < 1000 ? want : 1000);
		assert_int_equal(wasi_limit_reached(c),
				 want > 1000 ? WASI_LIMIT_OUTPUT : WASI_LIMIT_NONE);
		wasi_ctx_free(c);
	}
}

/* At the limit an empty write is no more output; a byte is. stdout and
 * stderr share one budget. */
static void test_output_edges(void **state)
{
	wasi_ctx *c = new_ctx(1000, 0);

	(void)state;
	fake_chunk = 4096;
	assert_int_equal(write_all(c, 1, 600), 600);
	assert_int_equal(write_all(c, 2, 400), 400);
	assert_int_equal(write_once(c, 1, 0), 0);
	assert_int_equal(wasi_limit_reached(c), WASI_LIMIT_NONE);
	assert_int_equal(write_once(c, 2, 1), WASI_CALL_LIMIT);
	assert_int_equal(wasi_limit_reached(c), WASI_LIMIT_OUTPUT);
	wasi_ctx_free(c);
}

/* Without --max-output nothing is held back or counted as a limit; the
 * bytes each call moved are reported for the audit log either way. */
static void test_no_budget(void **state)
{
	wasi_ctx *c = new_ctx(0, 0);

	(void)state;
	fake_chunk = 1 << 20;
	assert_int_equal(write_once(c, 1, 50000), 0);
	assert_int_equal(wasi_last_moved(c), 50000);
	assert_int_equal(wasi_limit_reached(c), WASI_LIMIT_NONE);
	wasi_ctx_free(c);
}

/* path_open(3, ".", name, O_CREAT) under the preopen: the WASI answer. */
static int open_new(wasi_ctx *c, const char *name)
{
	uint64_t a[9] = { 3, 0, O_BUF, strlen(name), WASI_O_CREAT, R_FD_WRITE, 0, 0, O_OUT };
	int code;

	memcpy(mem + O_BUF, name, strlen(name));
	return wasi_call(c, WASI_FN_path_open, a, mem, MEMSZ, &code);
}

/* --max-open: the call that opens one handle too many ends the run;
 * closing one makes room again. */
static void test_open_limit(void **state)
{
	static char *argv[] = { "t.wasm", NULL };
	char dir[] = "/tmp/wrun-test-limits.XXXXXX", err[256], path[64];
	wasi_dir d = { dir, "." };
	wasi_config cfg = { .argc = 1, .argv = argv, .ndirs = 1, .dirs = &d, .max_open = 1 };
	wasi_ctx *c;
	uint64_t close_a[1] = { 4 };
	int code;

	(void)state;
	assert_non_null(mkdtemp(dir));
	c = wasi_ctx_new(&cfg, err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(wasi_open_count(c), 4);
	assert_int_equal(open_new(c, "a"), 0);
	assert_int_equal(wasi_limit_reached(c), WASI_LIMIT_NONE);
	assert_int_equal(open_new(c, "b"), WASI_CALL_LIMIT);
	assert_int_equal(wasi_limit_reached(c), WASI_LIMIT_OPEN);
	close_a[0] = 5;
	assert_int_equal(wasi_call(c, WASI_FN_fd_close, close_a, mem, MEMSZ, &code), 0);
	close_a[0] = 4;
	assert_int_equal(wasi_call(c, WASI_FN_fd_close, close_a, mem, MEMSZ, &code), 0);
	assert_int_equal(open_new(c, "c"), 0);
	wasi_ctx_free(c);
	for (const char *n = "abc"; *n; n++) {
		snprintf(path, sizeof(path), "%s/%c", dir, *n);
		unlink(path);
	}
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output_budget),
		cmocka_unit_test(test_output_edges),
		cmocka_unit_test(test_no_budget),
		cmocka_unit_test(test_open_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
