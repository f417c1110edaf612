/*
 * test_wasi_checks.c: unit tests of src/wasi/ against a fake linear
 * memory: pointer and length checks at the edges, iovec and path copies,
 * the errno table, and path resolution refusing every way out of a
 * preopened directory.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cmocka.h>

#include "wasi_impl.h"

#define MEMSZ 8192u

static uint8_t mem[MEMSZ];
static const wasi_mem view = { mem, MEMSZ };

/* Put a string into fake memory at off; returns off. */
static uint32_t put_str(uint32_t off, const char *s)
{
	memcpy(mem + off, s, strlen(s));
	return off;
}

static void test_errno_table(void **state)
{
	(void)state;
	assert_int_equal(wasi_errno(0), WASI_ESUCCESS);
	assert_int_equal(wasi_errno(ENOENT), WASI_ENOENT);
	assert_int_equal(wasi_errno(-EACCES), WASI_EACCES);
	assert_int_equal(wasi_errno(EXDEV), WASI_EXDEV);
	assert_int_equal(wasi_errno(EAGAIN), WASI_EAGAIN);
	assert_int_equal(wasi_errno(EOPNOTSUPP), WASI_ENOTSUP);
	assert_int_equal(wasi_errno(ENOTEMPTY), WASI_ENOTEMPTY);
	assert_int_equal(wasi_errno(E2BIG), WASI_E2BIG);
	assert_int_equal(wasi_errno(ETIMEDOUT), 73);
	assert_int_equal(wasi_errno(EHWPOISON), WASI_EIO); /* no WASI counterpart */
	assert_int_equal(wasi_errno(100000), WASI_EIO);
	assert_int_equal(wasi_err(5), WASI_ESUCCESS);
	assert_int_equal(wasi_err(-ENOTDIR), WASI_ENOTDIR);
}

static void test_mem_ok_edges(void **state)
{
	(void)state;
	assert_true(wasi_mem_ok(&view, 0, MEMSZ));
	assert_true(wasi_mem_ok(&view, MEMSZ, 0));
	assert_false(wasi_mem_ok(&view, MEMSZ, 1));
	assert_false(wasi_mem_ok(&view, MEMSZ - 1, 2));
	assert_false(wasi_mem_ok(&view, 0xffffffffu, 2));
	assert_false(wasi_mem_ok(&view, 1, UINT64_MAX));
	assert_false(wasi_mem_ok(&view, UINT64_MAX, 1));
	assert_int_equal(wasi_store_u32(&view, MEMSZ - 4, 7), 0);
	assert_int_equal(wasi_store_u32(&view, MEMSZ - 3, 7), WASI_EFAULT);
	assert_int_equal(wasi_store_u64(&view, MEMSZ - 7, 7), WASI_EFAULT);
}

static void test_iovecs(void **state)
{
	struct iovec iov[WASI_MAX_IOVS];

	(void)state;
	wasi_put_u32(mem + 0, 100);
	wasi_put_u32(mem + 4, 10);
	wasi_put_u32(mem + 8, MEMSZ - 5);
	wasi_put_u32(mem + 12, 5);
	assert_int_equal(wasi_iovecs(&view, 0, 2, iov), 0);
	assert_ptr_equal(iov[0].iov_base, mem + 100);
	assert_int_equal(iov[1].iov_len, 5);
	wasi_put_u32(mem + 12, 6); /* one byte past the end */
	assert_int_equal(wasi_iovecs(&view, 0, 2, iov), WASI_EFAULT);
	wasi_put_u32(mem + 8, 0xfffffff0u);
	wasi_put_u32(mem + 12, 0x20);  /* would wrap in 32 bits */
	assert_int_equal(wasi_iovecs(&view, 0, 2, iov), WASI_EFAULT);
	assert_int_equal(wasi_iovecs(&view, MEMSZ - 4, 1, iov), WASI_EFAULT);
	assert_int_equal(wasi_iovecs(&view, 0, WASI_MAX_IOVS + 1, iov), WASI_EINVAL);
	assert_int_equal(wasi_iovecs(&view, 0, 0x20000000u, iov), WASI_EINVAL);
}

static void test_path_copy(void **state)
{
	char *buf = malloc(WASI_PATH_MAX + 1);

	(void)state;
	put_str(200, "a/b");
	assert_int_equal(wasi_path_copy(&view, 200, 3, buf), 0);
	assert_string_equal(buf, "a/b");
	mem[201] = '\0';
	assert_int_equal(wasi_path_copy(&view, 200, 3, buf), WASI_EINVAL);
	assert_int_equal(wasi_path_copy(&view, MEMSZ - 2, 3, buf), WASI_EFAULT);
	assert_int_equal(wasi_path_copy(&view, 0, WASI_PATH_MAX + 1, buf), WASI_ENAMETOOLONG);
	free(buf);
}

/* A context with one preopen (fd 3) on a fresh temporary directory. */
static char tmpdir[64];

static int setup_ctx(void **state)
{
	wasi_dir d = { tmpdir, "." };
	char *argv[] = { "prog", "arg" };
	char *env[] = { "A=1" };
	wasi_config cfg = { .argc = 2, .argv = argv, .nenv = 1, .env = env, .ndirs = 1,
			    .dirs = &d };
	char err[128];

	strcpy(tmpdir, "/tmp/wasi-unit-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	*state = wasi_ctx_new(&cfg, err, sizeof(err));
	return *state ? 0 : -1;
}

static int teardown_ctx(void **state)
{
	char cmd[128];

	wasi_ctx_free(*state);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd);
}

/* Call a path function taking (fd, path, len) on preopen 3. */
static int path_call(wasi_ctx *c, unsigned fn, const char *path)
{
	uint64_t a[3] = { 3, put_str(1000, path), strlen(path) };
	int code;

	return wasi_call(c, fn, a, mem, MEMSZ, &code);
}

static void test_paths(void **state)
{
	wasi_ctx *c = *state;
	int code;

	assert_int_equal(path_call(c, WASI_FN_path_create_directory, "ok"), 0);
	assert_int_equal(path_call(c, WASI_FN_path_create_directory, "ok"), WASI_EEXIST);
	assert_int_equal(path_call(c, WASI_FN_path_create_directory, "ok/sub/"), 0);
	assert_int_equal(path_call(c, WASI_FN_path_create_directory, "../x"), WASI_ENOTCAPABLE);
	assert_int_equal(path_call(c, WASI_FN_path_create_directory, "ok/../../x"),
			 WASI_ENOTCAPABLE);
	assert_int_equal(path_call(c, WASI_FN_path_create_directory, "/x"), WASI_ENOTCAPABLE);
	assert_int_equal(path_call(c, WASI_FN_path_create_directory, ""), WASI_ENOENT);
	assert_int_equal(path_call(c, WASI_FN_path_create_directory, "."), WASI_EEXIST);
	assert_int_equal(path_call(c, WASI_FN_path_create_directory, ".."), WASI_ENOTCAPABLE);
	assert_int_equal(path_call(c, WASI_FN_path_remove_directory, "ok"), WASI_ENOTEMPTY);
	assert_int_equal(path_call(c, WASI_FN_path_remove_directory, "ok/sub"), 0);
	assert_int_equal(path_call(c, WASI_FN_path_unlink_file, "../etc"), WASI_ENOTCAPABLE);
	assert_int_equal(path_call(c, WASI_FN_path_unlink_file, "ok"), WASI_EISDIR);

	/* path_symlink(old, old_len, fd, new, new_len): absolute targets refused */
	uint64_t s1[5] = { put_str(1100, "/etc"), 4, 3, put_str(1200, "l"), 1 };
	assert_int_equal(wasi_call(c, WASI_FN_path_symlink, s1, mem, MEMSZ, &code), WASI_EPERM);
	uint64_t s2[5] = { put_str(1100, "../.."), 5, 3, put_str(1200, "l"), 1 };
	assert_int_equal(wasi_call(c, WASI_FN_path_symlink, s2, mem, MEMSZ, &code), 0);

	/* path_open through the link that leads out */
	uint64_t o[9] = { 3, 1, put_str(1300, "l/x"), 3, 0, R_FD_READ, 0, 0, 2000 };
	assert_int_equal(wasi_call(c, WASI_FN_path_open, o, mem, MEMSZ, &code), WASI_ENOTCAPABLE);
	/* a path pointer past the end of memory */
	uint64_t bad[3] = { 3, MEMSZ - 1, 2 };
	assert_int_equal(wasi_call(c, WASI_FN_path_create_directory, bad, mem, MEMSZ, &code),
			 WASI_EFAULT);
	/* a bad handle and a handle without the right */
	uint64_t h[3] = { 9, 1000, 1 };
	assert_int_equal(wasi_call(c, WASI_FN_path_create_directory, h, mem, MEMSZ, &code),
			 WASI_EBADF);
}

static void test_args_bounds(void **state)
{
	wasi_ctx *c = *state;
	int code;
	uint64_t a[2] = { MEMSZ - 4, MEMSZ - 8 };

	/* argc, then the size of "prog\0arg\0" */
	assert_int_equal(wasi_call(c, WASI_FN_args_sizes_get, a, mem, MEMSZ, &code), 0);
	assert_int_equal(wasi_get_u32(mem + MEMSZ - 4), 2);
	assert_int_equal(wasi_get_u32(mem + MEMSZ - 8), 9);
	uint64_t g[2] = { 0, MEMSZ - 8 };
	assert_int_equal(wasi_call(c, WASI_FN_args_get, g, mem, MEMSZ, &code), WASI_EFAULT);
	uint64_t ok[2] = { 0, MEMSZ - 9 };
	assert_int_equal(wasi_call(c, WASI_FN_args_get, ok, mem, MEMSZ, &code), 0);
	assert_string_equal((char *)mem + MEMSZ - 9, "prog");
	/* no memory at all */
	assert_int_equal(wasi_call(c, WASI_FN_args_sizes_get, a, NULL, 0, &code), WASI_EFAULT);
	/* proc_exit reports its code */
	uint64_t e[1] = { 300 };
	assert_int_equal(wasi_call(c, WASI_FN_proc_exit, e, mem, MEMSZ, &code), WASI_CALL_EXIT);
	assert_int_equal(code, 300);
}

static void test_table(void **state)
{
	(void)state;
	assert_int_equal(WASI_FN__P1, 46);
	assert_int_equal(wasi_fn_lookup("fd_write", 8), WASI_FN_fd_write);
	assert_int_equal(wasi_fn_lookup("fd_writ", 7), -1);
	/* wrun:net: never a preview1 name, and only for the bridge (ext) */
	assert_int_equal(wasi_fn_lookup("net_socket", 10), -1);
	assert_int_equal(wasi_fn_find("wasi_snapshot_preview1", 22, "net_socket", 10, true), -1);
	assert_int_equal(wasi_fn_find("wrun:net", 8, "net_socket", 10, false), -1);
	assert_int_equal(wasi_fn_find("wrun:net", 8, "net_socket", 10, true), WASI_FN_net_socket);
	assert_int_equal(wasi_fn_find("wrun:net", 8, "fd_write", 8, true), -1);
	assert_string_equal(wasi_fn_sig(WASI_FN_path_open), "iiiiillii");
	assert_true(wasi_is_wasi_module("wasi_snapshot_preview1", 22));
	assert_false(wasi_is_wasi_module("wasi_unstable", 13));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errno_table),
		cmocka_unit_test(test_mem_ok_edges),
		cmocka_unit_test(test_iovecs),
		cmocka_unit_test(test_path_copy),
		cmocka_unit_test(test_table),
		cmocka_unit_test_setup_teardown(test_paths, setup_ctx, teardown_ctx),
		cmocka_unit_test_setup_teardown(test_args_bounds, setup_ctx, teardown_ctx),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
