/*
 * inspect_alloc.c: every allocation of `wrun inspect` made to fail in turn.
 *
 *   inspect_alloc FILE...
 *
 * For each file and each format (text, --json): one inspect_describe()
 * with a working allocator gives the description and counts its
 * allocations; then, for every N up to that count, the same again with
 * the Nth allocation failing.  Each must either give the very same
 * description or refuse (RUN_NOMEM; or RUN_LOAD, where the component
 * loader words a nested module's failure as a load error) and never pass
 * a shortened description off as whole, and leave no block and no
 * descriptor behind.  The allocator is
 * interposed with --wrap (tests/alloc/alloc_wrap.h).  Ends with
 * "N passed, N failed, N skipped", one count per file and format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspect.h"
#include "wrun.h"

#include "../alloc/alloc_wrap.h"

/* Read a file with the real allocator (not counted). */
static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) < 0 ||
	    !(buf = __real_malloc((size_t)n)) || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		if (f)
			fclose(f);
		return NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* One sweep; 0 when every failure was clean. */
static int sweep(const uint8_t *bytes, size_t len, const char *path, bool json)
{
	static struct run_outcome out;
	struct inspect_buf want = { 0 }, b = { 0 };
	long total, live0;
	int bad = 0, fds0;

	inspect_describe(bytes, len, path, json, &b, &out);	/* one-time set-up first */
	inspect_buf_free(&b);
	live0 = alloc_live;
	fds0 = open_fds();
	alloc_count = 0;
	alloc_fail_at = 0;
	inspect_describe(bytes, len, path, json, &want, &out);
	total = alloc_count;
	if (out.end != RUN_EXIT) {
		printf("FAIL %s: %s\n", path, out.text);
		return 1;
	}
	for (long n = 1; n <= total + 1 && bad < 5; n++) {
		b = (struct inspect_buf){ 0 };
		alloc_count = 0;
		alloc_fail_at = n;
		inspect_describe(bytes, len, path, json, &b, &out);
		alloc_fail_at = 0;
		if (out.end == RUN_EXIT ? b.len != want.len || memcmp(b.p, want.p, b.len) != 0 :
		    out.end != RUN_NOMEM && out.end != RUN_LOAD) {
			printf("FAIL %s%s: allocation %ld of %ld failing: end %d (%s), %zu bytes\n", path,
			       json ? " --json" : "", n, total, (int)out.end, out.text, b.len);
			bad++;
		}
		inspect_buf_free(&b);
		if (alloc_live != live0 + 1 - !want.p || open_fds() != fds0) {	/* want's block is live */
			printf("FAIL %s: allocation %ld of %ld failing leaves %ld blocks, %d fds\n",
			       path, n, total, alloc_live - live0 - 1, open_fds() - fds0);
			alloc_live = live0 + 1;
			bad++;
		}
	}
	inspect_buf_free(&want);
	return bad != 0;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	wr_runtime_init();
	for (int i = 1; i < argc; i++) {
		size_t len = 0;
		uint8_t *bytes = slurp(argv[i], &len);

		for (int json = 0; json < 2; json++) {
			int r = bytes ? sweep(bytes, len, argv[i], json) : 1;

			passed += !r;
			failed += r;
		}
		__real_free(bytes);
	}
	printf("%d passed, %d failed, 0 skipped\n", passed, failed);
	return failed != 0;
}
