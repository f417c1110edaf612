/*
 * alloc_fail.c: every allocation a run makes, made to fail in turn.
 *
 *   alloc_fail MODULE.wasm...
 *
 * For each module: one run with a working allocator counts the allocations
 * that the WASI context and wrun's run pipeline (decoding, validation,
 * compilation, binding, instantiation, _initialize and a fuel-bounded
 * _start) make.  Then, for every N up to
 * that count, the same run again with the Nth allocation failing.  Each
 * run must end cleanly: a step refuses (NULL, a link error, a trap, a
 * WASI ENOMEM that the guest reports), nothing crashes, and afterwards no
 * block the run allocated is still live and no descriptor is left open.
 *
 * The allocator is interposed with the linker's --wrap, so only wrun's
 * own calls (the engine and WASI objects) are counted and failed; libc's
 * internal allocations are left alone.  Under ASan the same sweep also
 * checks every access.  Ends with "N passed, N failed, N skipped", one
 * count per module; ALLOC_VERBOSE=1 lists each module swept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"
#include "wasi/wasi.h"
#include "wrun.h"

#define FUEL 2000000u

#include "alloc_wrap.h"

static FILE *report;		/* the real stdout: the guests' goes to /dev/null */
static long sweep_allocs;	/* allocations failed in turn, over all modules */

/* The whole pipeline once, from the bytes: the WASI context, then the
 * run pipeline of wrun itself (load, link, instantiate, run). */
static void run_once(const uint8_t *bytes, size_t len, const char *path)
{
	static struct run_outcome out;
	char *argv[] = { (char *)path, NULL };
	wasi_config wc = { .argc = 1, .argv = argv };
	struct run_job job = { .fuel = FUEL };
	struct run_transport t;
	char err[256];
	wasi_ctx *w = wasi_ctx_new(&wc, err, sizeof(err));

	if (!w)
		return;
	t = run_wasi_transport(w);
	run_module(bytes, len, &job, &t, &out);
	wasi_ctx_free(w);
}

/* Read a file with the real allocator (not part of what is counted). */
static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = __real_malloc(n ? (size_t)n : 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n)
		*len = (size_t)n;
	else if (buf) {
		__real_free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Sweep one module; 0 if every run was clean. */
static int sweep(const char *path)
{
	size_t len;
	uint8_t *bytes = slurp(path, &len);
	long total, live0;
	int fds0, bad = 0;

	if (!bytes) {
		fprintf(report, "FAIL %s: cannot read\n", path);
		return 1;
	}
	run_once(bytes, len, path);	/* one-time set-up (signal stacks) first */
	live0 = alloc_live;
	fds0 = open_fds();
	alloc_count = 0;
	alloc_fail_at = 0;
	run_once(bytes, len, path);
	total = alloc_count;
	for (long n = 1; n <= total + 1 && bad < 5; n++) {
		alloc_count = 0;
		alloc_fail_at = n;
		run_once(bytes, len, path);
		if (alloc_live != live0 || open_fds() != fds0) {
			fprintf(report, "FAIL %s: allocation %ld of %ld failing leaves %ld blocks, %d fds\n",
			       path, n, total, alloc_live - live0, open_fds() - fds0);
			alloc_live = live0;
			bad++;
		}
	}
	alloc_fail_at = 0;
	__real_free(bytes);
	if (!bad && getenv("ALLOC_VERBOSE"))
		fprintf(report, "ok   %s: %ld allocations, each failed in turn\n", path, total);
	sweep_allocs += total;
	return bad != 0;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0, out = dup(1);

	report = out >= 0 ? fdopen(out, "w") : NULL;
	if (!report || !freopen("/dev/null", "w", stdout))
		return 1;
	setvbuf(report, NULL, _IOLBF, 0);
	for (int i = 1; i < argc; i++) {
		int r = sweep(argv[i]);

		passed += !r;
		failed += r;
	}
	fprintf(report, "%d modules, %ld allocations each failed in turn (ALLOC_VERBOSE=1 lists them)\n",
		argc - 1, sweep_allocs);
	fprintf(report, "%d passed, %d failed, 0 skipped\n", passed, failed);
	return failed != 0;
}
