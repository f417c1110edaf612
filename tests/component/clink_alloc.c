/*
 * clink_alloc.c: every allocation of a component's instantiation failed in
 * turn.
 *
 *   clink_alloc [COMPONENT.wasm...]
 *
 * For each component (test_link.c's, built in, and the files given): one
 * instantiation counts the allocations (those of libwrun: the allocator is
 * interposed with --wrap, tests/alloc/alloc_wrap.h), then for every N up
 * to that count an instantiation with the Nth allocation failing. Each
 * must end cleanly: an instance, or NULL with a message; and once the
 * instance, the store and the linker are freed no block is left. The
 * linker serves every import (trap-unknown), so components with imports
 * instantiate too. Ends with "N passed, N failed, N skipped", one count
 * per component.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wrun.h"

#include "alloc_wrap.h"

#include "data/link_async_wasm.h"
#include "data/link_bad_wasm.h"
#include "data/link_host_wasm.h"
#include "data/link_many_wasm.h"
#include "data/link_own_wasm.h"
#include "data/link_res_wasm.h"
#include "data/link_user_wasm.h"

/* Instantiate c once with allocation fail_at failing (0: none); the
 * number of allocations it made in *count. False if it ended uncleanly. */
static bool one(const wr_component *c, long fail_at, long *count, const char *name)
{
	long live = alloc_live;
	wr_store *s = wr_store_new();
	wr_clinker *l = wr_clinker_new();
	wr_trap t;
	bool ok = true;
	if (!s || !l) {
		printf("%s: no store or linker\n", name);
		return false;
	}
	wr_clinker_trap_unknown(l, true);
	alloc_count = 0;
	alloc_fail_at = fail_at;
	wr_cinstance *in = wr_component_instantiate(s, c, l, &t);
	alloc_fail_at = 0;
	*count = alloc_count;
	if (!in && !t.message[0]) {
		printf("%s: allocation %ld failed: no message\n", name, fail_at);
		ok = false;
	}
	if (!in && fail_at == 0) {
		printf("%s: does not instantiate: %s\n", name, t.message);
		ok = false;
	}
	wr_store_free(s);
	wr_cinstance_free(in);
	wr_clinker_free(l);
	if (alloc_live != live) {
		printf("%s: allocation %ld failed: %ld blocks left\n", name, fail_at,
		       alloc_live - live);
		ok = false;
	}
	return ok;
}

static bool sweep(const uint8_t *b, size_t n, const char *name)
{
	wr_diag d;
	long count, k;
	wr_component *c = wr_component_load(b, n, &d);
	bool ok;
	if (!c) {
		printf("%s: does not load: %s\n", name, d.message);
		return false;
	}
	ok = one(c, 0, &count, name);
	for (k = 1; ok && k <= count; k++) {
		long spare;
		ok = one(c, k, &spare, name);
	}
	wr_component_free(c);
	printf("%s: %s (%ld allocations)\n", name, ok ? "ok" : "FAILED", count);
	return ok;
}

int main(int argc, char **argv)
{
	static const struct {
		const unsigned char *b;
		unsigned n;
		const char *name;
	} builtin[] = {
		{ link_async_wasm, sizeof(link_async_wasm), "link_async" },
		{ link_bad_wasm, sizeof(link_bad_wasm), "link_bad" },
		{ link_host_wasm, sizeof(link_host_wasm), "link_host" },
		{ link_many_wasm, sizeof(link_many_wasm), "link_many" },
		{ link_own_wasm, sizeof(link_own_wasm), "link_own" },
		{ link_res_wasm, sizeof(link_res_wasm), "link_res" },
		{ link_user_wasm, sizeof(link_user_wasm), "link_user" },
	};
	static uint8_t buf[1 << 22];
	long pass = 0, fail = 0, skip = 0;
	for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
		sweep(builtin[i].b, builtin[i].n, builtin[i].name) ? pass++ : fail++;
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		size_t n;
		if (!f) {
			printf("%s: cannot open\n", argv[i]);
			fail++;
			continue;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		if (n == sizeof(buf) || !wr_is_component(buf, n)) {
			skip++;
			continue;
		}
		sweep(buf, n, argv[i]) ? pass++ : fail++;
	}
	if (open_fds() < 0) /* (the header's descriptor count; instantiating opens none) */
		skip++;
	printf("%ld passed, %ld failed, %ld skipped\n", pass, fail, skip);
	return fail != 0;
}
