/*
 * cdecode_alloc.c: every allocation of wr_component_load failed in turn.
 *
 *   cdecode_alloc COMPONENT.wasm...
 *
 * For each component: one load counts the allocations (those of libwrun:
 * the allocator is interposed with --wrap, tests/alloc/alloc_wrap.h), then
 * for every N up to that count a load with the Nth allocation failing. Each
 * must end cleanly: a component, or NULL with a message; and after
 * wr_component_free no block is left. A small component built in is swept
 * too, so the program tests something without arguments. Ends with
 * "N passed, N failed, N skipped", one count per component.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wrun.h"

#include "alloc_wrap.h"

/* A core module exporting "f", its instance, an alias, a lift and an export. */
static const uint8_t builtin[] = {
	0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00,
	0x01, 0x1f, 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
	0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
	0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
	0x02, 0x04, 0x01, 0x00, 0x00, 0x00,
	0x06, 0x07, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 'f',
	0x07, 0x05, 0x01, 0x40, 0x00, 0x01, 0x00,
	0x08, 0x06, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x0b, 0x08, 0x01, 0x00, 0x02, 'e', '1', 0x01, 0x00, 0x00,
};

/* Sweep one component; true if every load ended cleanly. */
static bool sweep(const uint8_t *b, size_t n, const char *name)
{
	wr_diag d;
	wr_component *c;
	long count, live;
	alloc_count = 0;
	alloc_fail_at = 0;
	live = alloc_live;
	c = wr_component_load(b, n, &d);
	count = alloc_count;
	wr_component_free(c);
	if (alloc_live != live) {
		printf("%s: %ld blocks left after a load that did not fail\n", name, alloc_live - live);
		return false;
	}
	for (long k = 1; k <= count; k++) {
		alloc_count = 0;
		alloc_fail_at = k;
		live = alloc_live;
		c = wr_component_load(b, n, &d);
		alloc_fail_at = 0;
		if (!c && !d.message[0]) {
			printf("%s: allocation %ld of %ld failed: no message\n", name, k, count);
			return false;
		}
		wr_component_free(c);
		if (alloc_live != live) {
			printf("%s: allocation %ld of %ld failed: %ld blocks left\n", name, k, count,
			       alloc_live - live);
			return false;
		}
	}
	return true;
}

int main(int argc, char **argv)
{
	static uint8_t buf[1 << 22];
	long pass = 0, fail = 0, skip = 0;
	if (sweep(builtin, sizeof(builtin), "(built in)"))
		pass++;
	else
		fail++;
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
		if (sweep(buf, n, argv[i]))
			pass++;
		else
			fail++;
	}
	if (open_fds() < 0) /* (the header's descriptor count; loading opens none) */
		skip++;
	printf("%ld passed, %ld failed, %ld skipped\n", pass, fail, skip);
	return fail != 0;
}
