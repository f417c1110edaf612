/*
 * capi_test.c: the API behind `wrun inspect` (include/wrun.h:
 * wr_component_item_count, wr_component_item, wr_component_module_count,
 * wr_component_module) on tests/component/data/hello.component.wasm, with
 * its bounds and a NULL component.  Ends with
 * "N passed, N failed, N skipped".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wrun.h"

static int passed, failed;

static void expect(const char *what, bool ok)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		printf("FAIL %s\n", what);
	}
}

/* The index of the import or export named name, or -1. */
static long find(const wr_component *c, bool exported, const char *name)
{
	size_t n = exported ? wr_component_export_count(c) : wr_component_import_count(c);
	wr_cextern_info e;

	for (size_t i = 0; i < n; i++)
		if ((exported ? wr_component_export : wr_component_import)(c, i, &e) &&
		    strcmp(e.name, name) == 0)
			return (long)i;
	return -1;
}

/* Does instance i hold an item name of that sort (resource: fresh)? */
static bool holds(const wr_component *c, bool exported, long i, const char *name, wr_csort sort,
		  bool resource, bool fresh)
{
	wr_citem_info it;

	for (size_t j = 0; i >= 0 && j < wr_component_item_count(c, exported, (size_t)i); j++)
		if (wr_component_item(c, exported, (size_t)i, j, &it) && strcmp(it.name, name) == 0)
			return it.sort == sort && it.resource == resource && it.fresh == fresh &&
			       it.name_len == strlen(name);
	return false;
}

static void test_items(const wr_component *c)
{
	long env = find(c, false, "wasi:cli/environment@0.2.12");
	long streams = find(c, false, "wasi:io/streams@0.2.12");
	long run = find(c, true, "wasi:cli/run@0.2.12");
	wr_citem_info it;

	expect("imports found", env >= 0 && streams >= 0 && run >= 0);
	expect("environment: get-arguments",
	       holds(c, false, env, "get-arguments", WR_CSORT_FUNC, false, false));
	expect("streams: output-stream declared",
	       holds(c, false, streams, "output-stream", WR_CSORT_TYPE, true, true));
	expect("streams: error used", holds(c, false, streams, "error", WR_CSORT_TYPE, true, false));
	expect("streams: a method", holds(c, false, streams, "[method]output-stream.write",
					  WR_CSORT_FUNC, false, false));
	expect("run: run", holds(c, true, run, "run", WR_CSORT_FUNC, false, false));
	expect("item past the end", env >= 0 && !wr_component_item(c, false, (size_t)env,
		wr_component_item_count(c, false, (size_t)env), &it));
	expect("import past the end",
	       wr_component_item_count(c, false, wr_component_import_count(c)) == 0 &&
	       !wr_component_item(c, false, wr_component_import_count(c), 0, &it));
	expect("export past the end",
	       wr_component_item_count(c, true, wr_component_export_count(c)) == 0);
}

static void test_modules(const wr_component *c)
{
	size_t n = wr_component_module_count(c);
	bool all = n > 0;

	for (size_t i = 0; i < n; i++)
		all &= wr_component_module(c, i) != NULL;
	expect("core modules", n == 4 && all);
	expect("module past the end", wr_component_module(c, n) == NULL);
	expect("NULL component", wr_component_module_count(NULL) == 0 &&
	       !wr_component_module(NULL, 0) && wr_component_item_count(NULL, false, 0) == 0);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "tests/component/data/hello.component.wasm";
	FILE *f = fopen(path, "rb");
	static uint8_t buf[1 << 20];
	size_t len = f ? fread(buf, 1, sizeof(buf), f) : 0;
	wr_diag d;
	wr_component *c;

	if (f)
		fclose(f);
	c = len ? wr_component_load(buf, len, &d) : NULL;
	expect("loads", c != NULL);
	if (c) {
		test_items(c);
		test_modules(c);
	}
	wr_component_free(c);
	printf("%d passed, %d failed, 0 skipped\n", passed, failed);
	return failed != 0;
}
