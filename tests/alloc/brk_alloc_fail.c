/*
 * brk_alloc_fail.c: the broker's request path with every allocation failed
 * in turn.
 *
 * Each scenario is a short sequence of requests a child could send (open
 * and create files, write and read them, list and stat the directory,
 * make, rename, link and remove entries, read the arguments...), run
 * against a broker without a child (tests/sandbox/brk_fixture.h) from a
 * fresh WASI context.  One run with a working allocator counts the
 * allocations the scenario makes, context set-up included; then, for
 * every N up to that count, the scenario again with the Nth allocation
 * failing.  Each request must still be answered (an errno such as ENOMEM
 * is fine) or end the run cleanly, and afterwards no block is live and no
 * descriptor is left open.  Ends with "N passed, N failed, N skipped", one
 * count per scenario.
 */
#include <string.h>

#include "alloc_wrap.h"
#include "brk_fixture.h"

#define O_PATH1 0x100u
#define O_PATH2 0x200u
#define O_IOV 0x300u
#define O_OUT 0x400u
#define O_BUF 0x1000u

static struct brkfx fx;

/* One request; false if the broker neither answered nor ended the run. */
static bool req(unsigned fn, unsigned n, const uint64_t *a)
{
	int64_t ans;

	fx.b.done = false;
	chan_send(&fx.kid, fn, a, n);
	return brk_take(&fx.b) == 1 && (fx.b.done || chan_answered(&fx.kid, &ans));
}

#define REQ(fn, ...) req(fn, sizeof((uint64_t[]){ __VA_ARGS__ }) / 8, (uint64_t[]){ __VA_ARGS__ })

static void put(uint32_t off, const char *s)
{
	memcpy(fx.b.mem + off, s, strlen(s) + 1);
}

static void put_iov(uint32_t len)
{
	uint32_t v[2] = { O_BUF, len };

	memcpy(fx.b.mem + O_IOV, v, 8);
}

/* Files: create, write, seek, read, stat, sync, close. */
static bool sc_files(void)
{
	bool ok = true;

	put(O_PATH1, "f");
	put(O_BUF, "hello, broker");
	put_iov(13);
	ok &= REQ(WASI_FN_path_open, 3, 0, O_PATH1, 1, 1, 0xfff, 0, 0, O_OUT);
	ok &= REQ(WASI_FN_fd_write, 4, O_IOV, 1, O_OUT);
	ok &= REQ(WASI_FN_fd_seek, 4, 0, 0, O_OUT);
	ok &= REQ(WASI_FN_fd_read, 4, O_IOV, 1, O_OUT);
	ok &= REQ(WASI_FN_fd_pread, 4, O_IOV, 1, 2, O_OUT);
	ok &= REQ(WASI_FN_fd_filestat_get, 4, O_BUF);
	ok &= REQ(WASI_FN_fd_datasync, 4);
	ok &= REQ(WASI_FN_fd_close, 4);
	return ok;
}

/* Directories: make, list, stat, rename, link, symlink, readlink, remove. */
static bool sc_dirs(void)
{
	bool ok = true;

	put(O_PATH1, "d");
	put(O_PATH2, "e");
	ok &= REQ(WASI_FN_path_create_directory, 3, O_PATH1, 1);
	ok &= REQ(WASI_FN_fd_readdir, 3, O_BUF, 512, 0, O_OUT);
	ok &= REQ(WASI_FN_path_filestat_get, 3, 1, O_PATH1, 1, O_BUF);
	ok &= REQ(WASI_FN_path_rename, 3, O_PATH1, 1, 3, O_PATH2, 1);
	ok &= REQ(WASI_FN_path_symlink, O_PATH2, 1, 3, O_PATH1, 1);
	ok &= REQ(WASI_FN_path_readlink, 3, O_PATH1, 1, O_BUF, 64, O_OUT);
	ok &= REQ(WASI_FN_path_unlink_file, 3, O_PATH1, 1);
	ok &= REQ(WASI_FN_path_remove_directory, 3, O_PATH2, 1);
	return ok;
}

/* Everything else a start-up makes: arguments, environment, preopens,
 * stdio state, clocks, randomness, memory growth, the end. */
static bool sc_misc(void)
{
	bool ok = true;

	ok &= REQ(WASI_FN_args_sizes_get, O_OUT, O_OUT + 4);
	ok &= REQ(WASI_FN_args_get, O_BUF, O_BUF + 64);
	ok &= REQ(WASI_FN_environ_sizes_get, O_OUT, O_OUT + 4);
	ok &= REQ(WASI_FN_fd_prestat_get, 3, O_OUT);
	ok &= REQ(WASI_FN_fd_prestat_dir_name, 3, O_BUF, 1);
	ok &= REQ(WASI_FN_fd_prestat_get, 4, O_OUT);
	ok &= REQ(WASI_FN_fd_fdstat_get, 1, O_BUF);
	ok &= REQ(WASI_FN_fd_fdstat_set_flags, 1, 4);
	ok &= REQ(WASI_FN_clock_time_get, 1, 1, O_OUT);
	ok &= REQ(WASI_FN_random_get, O_BUF, 64);
	ok &= REQ(SBX_FN_MEM_RESIZE, 2 * BRKFX_PAGE, 0);
	ok &= REQ(SBX_FN_MEM_RESIZE, BRKFX_PAGE, 1);
	ok &= REQ(SBX_FN_DONE, RUN_EXIT, 0);
	return ok;
}

/* The scenario from a fresh context; false if a request went unanswered. */
static bool run(bool (*sc)(void))
{
	bool ok;

	if (!brkfx_context(&fx))
		return true;	/* the set-up itself refused: clean */
	fx.b.mem_size[0] = BRKFX_PAGE;
	ok = sc();
	wasi_ctx_free(fx.b.ctx);
	fx.b.ctx = NULL;
	brkfx_clean(&fx);
	return ok;
}

static int sweep(const char *name, bool (*sc)(void))
{
	long total, live0;
	int fds0, bad = 0;

	run(sc);
	live0 = alloc_live;
	fds0 = open_fds();
	alloc_count = alloc_fail_at = 0;
	if (!run(sc)) {
		printf("FAIL %s: a request went unanswered with a working allocator\n", name);
		return 1;
	}
	total = alloc_count;
	for (long n = 1; n <= total + 1 && bad < 5; n++) {
		bool answered;

		alloc_count = 0;
		alloc_fail_at = n;
		answered = run(sc);
		if (!answered || alloc_live != live0 || open_fds() != fds0) {
			printf("FAIL %s: allocation %ld of %ld failing: %s, %ld blocks, %d fds left\n",
			       name, n, total, answered ? "answered" : "a request unanswered",
			       alloc_live - live0, open_fds() - fds0);
			alloc_live = live0;
			bad++;
		}
	}
	alloc_fail_at = 0;
	if (!bad)
		printf("ok   %s: %ld allocations, each failed in turn\n", name, total);
	return bad != 0;
}

int main(void)
{
	static const struct { const char *name; bool (*sc)(void); } scenarios[] = {
		{ "files", sc_files }, { "directories", sc_dirs }, { "start-up", sc_misc },
	};
	int passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!brkfx_init(&fx, "brk-alloc")) {
		printf("FAIL cannot set up the broker\n0 passed, 1 failed, 0 skipped\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		int r = sweep(scenarios[i].name, scenarios[i].sc);

		passed += !r;
		failed += r;
	}
	rmdir(fx.dir);
	printf("%d passed, %d failed, 0 skipped\n", passed, failed);
	return failed != 0;
}
