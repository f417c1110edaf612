/*
 * test_robust.c: wr_module_load never crashes, hangs or leaks on bad input.
 *
 * Every prefix of two real modules, and thousands of random byte flips of
 * them, go through decoding, validation and compilation. A mutant that still
 * loads and has no imports is also instantiated and each of its exports
 * called with zero arguments under a fuel budget, so corrupt code that
 * validates cannot hang the test. The modules are tests/unit/data/api.wat
 * and sink.wat, assembled with wat2wasm.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "wrun.h"

#include "data/api_wasm.h"

static const unsigned char sink_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x17, 0x05, 0x60,
  0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x01, 0x7f, 0x60, 0x00, 0x01, 0x7c,
  0x60, 0x00, 0x01, 0x7e, 0x60, 0x00, 0x02, 0x7f, 0x7e, 0x03, 0x0b, 0x0a,
  0x00, 0x00, 0x01, 0x01, 0x02, 0x03, 0x04, 0x01, 0x01, 0x00, 0x04, 0x04,
  0x01, 0x70, 0x00, 0x04, 0x05, 0x04, 0x01, 0x01, 0x01, 0x04, 0x06, 0x06,
  0x01, 0x7e, 0x01, 0x42, 0x05, 0x0b, 0x07, 0x3f, 0x08, 0x04, 0x6c, 0x6f,
  0x6f, 0x70, 0x00, 0x02, 0x03, 0x6d, 0x65, 0x6d, 0x00, 0x03, 0x05, 0x66,
  0x6c, 0x6f, 0x61, 0x74, 0x00, 0x04, 0x04, 0x63, 0x6f, 0x6e, 0x76, 0x00,
  0x05, 0x05, 0x6d, 0x75, 0x6c, 0x74, 0x69, 0x00, 0x06, 0x03, 0x73, 0x65,
  0x6c, 0x00, 0x07, 0x06, 0x74, 0x61, 0x62, 0x6c, 0x65, 0x73, 0x00, 0x08,
  0x08, 0x62, 0x72, 0x5f, 0x74, 0x61, 0x62, 0x6c, 0x65, 0x00, 0x09, 0x09,
  0x08, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x02, 0x00, 0x01, 0x0c, 0x01, 0x02,
  0x0a, 0xec, 0x01, 0x0a, 0x07, 0x00, 0x20, 0x00, 0x20, 0x00, 0x6c, 0x0b,
  0x07, 0x00, 0x41, 0x00, 0x20, 0x00, 0x6b, 0x0b, 0x2c, 0x01, 0x02, 0x7f,
  0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x41, 0xe4, 0x00, 0x4f, 0x0d, 0x01,
  0x20, 0x01, 0x20, 0x00, 0x20, 0x00, 0x41, 0x01, 0x71, 0x11, 0x00, 0x00,
  0x6a, 0x21, 0x01, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x21, 0x00, 0x0c, 0x00,
  0x0b, 0x0b, 0x20, 0x01, 0x0b, 0x34, 0x00, 0x41, 0xe4, 0x00, 0x41, 0x00,
  0x41, 0x07, 0xfc, 0x08, 0x01, 0x00, 0x41, 0xc8, 0x01, 0x41, 0x08, 0x41,
  0x0c, 0xfc, 0x0a, 0x00, 0x00, 0x41, 0xac, 0x02, 0x41, 0x07, 0x41, 0x0a,
  0xfc, 0x0b, 0x00, 0x41, 0x01, 0x40, 0x00, 0x1a, 0x41, 0xcc, 0x01, 0x2d,
  0x00, 0x00, 0x41, 0xad, 0x02, 0x2e, 0x01, 0x00, 0x6a, 0x0b, 0x1a, 0x01,
  0x01, 0x7d, 0x43, 0x00, 0x00, 0x00, 0x40, 0x91, 0x21, 0x00, 0x20, 0x00,
  0xbb, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x40, 0x9e, 0xa0,
  0x0b, 0x12, 0x00, 0x44, 0xea, 0x8c, 0xa0, 0x39, 0x59, 0x3e, 0x29, 0x46,
  0xfc, 0x06, 0x42, 0xff, 0x01, 0xc2, 0x7c, 0x0b, 0x09, 0x00, 0x02, 0x04,
  0x41, 0x01, 0x42, 0x02, 0x0b, 0x0b, 0x0b, 0x00, 0x41, 0x01, 0x41, 0x02,
  0x23, 0x00, 0xa7, 0x45, 0x1b, 0x0b, 0x19, 0x00, 0x41, 0x03, 0xd2, 0x00,
  0x26, 0x00, 0xd0, 0x70, 0x41, 0x02, 0xfc, 0x0f, 0x00, 0x1a, 0xfc, 0x10,
  0x00, 0x41, 0x02, 0x25, 0x00, 0xd1, 0x6a, 0x0b, 0x1a, 0x00, 0x02, 0x40,
  0x02, 0x40, 0x02, 0x40, 0x20, 0x00, 0x0e, 0x02, 0x02, 0x01, 0x00, 0x0b,
  0x41, 0x1e, 0x0f, 0x0b, 0x41, 0x14, 0x0f, 0x0b, 0x41, 0x0a, 0x0b, 0x0b,
  0x1b, 0x02, 0x00, 0x41, 0x08, 0x0b, 0x0c, 0x68, 0x65, 0x6c, 0x6c, 0x6f,
  0x2c, 0x20, 0x77, 0x6f, 0x72, 0x6c, 0x64, 0x01, 0x07, 0x70, 0x61, 0x73,
  0x73, 0x69, 0x76, 0x65
};
static const unsigned int sink_wasm_len = 412;

/* A small deterministic generator, so a failure can be replayed. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Run every export of a loaded module with zero arguments, if it can be
 * instantiated without imports. Traps are fine; crashes and hangs are not. */
static void exercise(wr_module *m)
{
	if (wr_module_import_count(m) != 0)
		return;
	wr_store *s = wr_store_new();
	wr_trap trap;
	wr_store_set_fuel(s, 200000);
	wr_instance *inst = wr_instantiate(s, m, NULL, 0, &trap);
	for (size_t i = 0; inst && i < wr_module_export_count(m); i++) {
		wr_export ex;
		wr_extern e;
		wr_module_export(m, i, &ex);
		if (ex.type.kind != WR_EXTERN_FUNC || !wr_instance_export(inst, ex.name, &e))
			continue;
		wr_value args[8], res[8];
		wr_functype ft = ex.type.of.func;
		if (ft.nparams > 8 || ft.nresults > 8)
			continue;
		memset(args, 0, sizeof(args));
		for (uint32_t j = 0; j < ft.nparams; j++)
			args[j].type = ft.params[j];
		wr_store_set_fuel(s, 200000);
		wr_call(e.of.func, args, ft.nparams, res, ft.nresults, &trap);
	}
	wr_store_free(s);
}

/* Load buf, check the diagnostic when it fails, exercise it when it loads. */
static void try_load(const uint8_t *buf, size_t len)
{
	wr_diag diag;
	memset(&diag, 0, sizeof(diag));
	wr_module *m = wr_module_load(buf, len, &diag);
	if (!m) {
		assert_true(diag.message[0] != 0);
		assert_true(diag.offset <= len);
		return;
	}
	exercise(m);
	wr_module_free(m);
}

static void check_prefixes(const uint8_t *mod, size_t len)
{
	for (size_t n = 0; n < len; n++) {
		/* A prefix that ends between sections is a valid module. */
		try_load(mod, n);
	}
	try_load(mod, len);
}

static void check_flips(const uint8_t *mod, size_t len, int rounds)
{
	uint8_t *buf = malloc(len);
	assert_non_null(buf);
	for (int r = 0; r < rounds; r++) {
		memcpy(buf, mod, len);
		int nflips = 1 + (int)(rng() % 4);
		for (int k = 0; k < nflips; k++) {
			size_t at = 8 + rng() % (len - 8);
			buf[at] = (rng() & 1) ? (uint8_t)rng() : (uint8_t)(buf[at] ^ (1u << (rng() % 8)));
		}
		try_load(buf, len);
	}
	free(buf);
}

static void test_prefixes(void **state)
{
	check_prefixes(api_wasm, api_wasm_len);
	check_prefixes(sink_wasm, sink_wasm_len);
}

static void test_flips(void **state)
{
	check_flips(api_wasm, api_wasm_len, 3000);
	check_flips(sink_wasm, sink_wasm_len, 3000);
}

static void test_sink_runs(void **state)
{
	wr_diag diag;
	wr_module *m = wr_module_load(sink_wasm, sink_wasm_len, &diag);
	assert_non_null(m);
	wr_store *s = wr_store_new();
	wr_trap trap;
	wr_instance *inst = wr_instantiate(s, m, NULL, 0, &trap);
	assert_non_null(inst);
	wr_extern e;
	wr_value res[2], arg = { .type = WR_I32, .of.i32 = 1 };
	assert_true(wr_instance_export(inst, "loop", &e));
	assert_int_equal(wr_call(e.of.func, NULL, 0, res, 1, &trap), WR_OK);
	/* sum over i < 100 of (i odd ? -i : i*i) */
	int32_t want = 0;
	for (int i = 0; i < 100; i++)
		want += (i & 1) ? -i : i * i;
	assert_int_equal(res[0].of.i32, want);
	assert_true(wr_instance_export(inst, "mem", &e));
	assert_int_equal(wr_call(e.of.func, NULL, 0, res, 1, &trap), WR_OK);
	assert_int_equal(res[0].of.i32, 'o' + 0x0707);
	assert_true(wr_instance_export(inst, "br_table", &e));
	assert_int_equal(wr_call(e.of.func, &arg, 1, res, 1, &trap), WR_OK);
	assert_int_equal(res[0].of.i32, 20);
	assert_true(wr_instance_export(inst, "multi", &e));
	assert_int_equal(wr_call(e.of.func, NULL, 0, res, 2, &trap), WR_OK);
	assert_int_equal(res[0].of.i32, 1);
	assert_int_equal(res[1].of.i64, 2);
	assert_true(wr_instance_export(inst, "tables", &e));
	assert_int_equal(wr_call(e.of.func, NULL, 0, res, 1, &trap), WR_OK);
	assert_int_equal(res[0].of.i32, 7);
	wr_store_free(s);
	wr_module_free(m);
}

/* The store's memory limit: an initial memory above it refuses to
 * instantiate, and growth past it fails with -1. */
static void test_memory_limit(void **state)
{
	wr_diag diag;
	wr_trap trap;
	wr_module *m = wr_module_load(sink_wasm, sink_wasm_len, &diag);
	assert_non_null(m);
	wr_store *s = wr_store_new();
	wr_store_set_memory_limit(s, 1000);
	assert_null(wr_instantiate(s, m, NULL, 0, &trap));
	assert_int_equal(trap.kind, WR_TRAP_MEMORY_LIMIT);
	wr_store_free(s);

	s = wr_store_new();
	wr_store_set_memory_limit(s, 2 * 65536 + 100);
	wr_limits one = { 1, 0, false, false };
	wr_memory *mem = wr_memory_new(s, &one);
	assert_non_null(mem);
	assert_int_equal(wr_memory_grow(mem, 1), 1);
	assert_int_equal(wr_memory_grow(mem, 1), -1);
	assert_int_equal(wr_memory_size(mem), 2 * 65536);
	wr_store_free(s);
	wr_module_free(m);
}

/* A module whose global 0 is an extended constant expression `depth`
 * operands deep: i32.const 1 .. depth, then depth-1 i32.add (or one add
 * too many); global 1 = global.get 0, exported as "g". */
static unsigned char *deep_const_module(uint32_t depth, bool extra_add, size_t *len)
{
	size_t cap = 64 + (size_t)depth * 7, n = 0;
	unsigned char *b = malloc(cap), *glen;
	static const unsigned char head[] = { 0, 'a', 's', 'm', 1, 0, 0, 0, 6 };
	assert_non_null(b);
	memcpy(b, head, sizeof(head));
	n = sizeof(head) + 5; /* section size: a padded 5-byte LEB, below */
	glen = b + sizeof(head);
	b[n++] = 2;
	b[n++] = 0x7f, b[n++] = 0;
	for (uint32_t i = 1; i <= depth; i++) {
		b[n++] = 0x41;
		for (uint32_t v = i;; v >>= 7) {
			b[n++] = (v & 0x7f) | (v >= 0x40 ? 0x80 : 0);
			if (v < 0x40)
				break;
		}
	}
	for (uint32_t i = 1; i < depth + extra_add; i++)
		b[n++] = 0x6a;
	b[n++] = 0x0b;
	b[n++] = 0x7f, b[n++] = 0, b[n++] = 0x23, b[n++] = 0, b[n++] = 0x0b;
	size_t sz = n - sizeof(head) - 5;
	for (int i = 0; i < 5; i++)
		glen[i] = ((sz >> (7 * i)) & 0x7f) | (i < 4 ? 0x80 : 0);
	static const unsigned char exp[] = { 7, 5, 1, 1, 'g', 3, 1 };
	memcpy(b + n, exp, sizeof(exp));
	*len = n + sizeof(exp);
	return b;
}

/* Constant expressions of any depth evaluate (the evaluator's stack grows
 * on the heap, not by a length the module gives); a stack left with the
 * wrong number of values is "type mismatch". */
static void test_deep_const(void **state)
{
	wr_diag diag;
	wr_trap trap;
	wr_extern ext;
	wr_value v;
	size_t len;
	uint32_t depth = 200000;
	unsigned char *b = deep_const_module(depth, false, &len);
	wr_module *m = wr_module_load(b, len, &diag);
	assert_non_null(m);
	wr_store *s = wr_store_new();
	wr_instance *inst = wr_instantiate(s, m, NULL, 0, &trap);
	assert_non_null(inst);
	assert_true(wr_instance_export(inst, "g", &ext));
	assert_int_equal(ext.kind, WR_EXTERN_GLOBAL);
	wr_global_get(ext.of.global, &v);
	assert_int_equal((uint32_t)v.of.i32, (uint32_t)((uint64_t)depth * (depth + 1) / 2));
	wr_store_free(s);
	wr_module_free(m);
	free(b);

	b = deep_const_module(3, true, &len);
	assert_null(wr_module_load(b, len, &diag));
	assert_string_equal(diag.message, "type mismatch");
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sink_runs),
		cmocka_unit_test(test_memory_limit),
		cmocka_unit_test(test_deep_const),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_flips),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
