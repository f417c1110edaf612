/*
 * test_api.c: embeds the engine through include/wrun.h only.
 *
 * The module below is tests/unit/data/api.wat, assembled with wat2wasm. It
 * imports a host function, a memory, a table and a mutable global, and
 * exports functions that exercise calls, traps and state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "wrun.h"

#include "data/api_wasm.h"

typedef struct fixture {
	wr_store *store;
	wr_module *mod;
	wr_instance *inst;
	wr_memory *mem;
	wr_global *g;
	int host_calls;
} fixture;

static wr_trapkind host_add1(wr_hostcall *hc, uint64_t *slots, void *user)
{
	fixture *fx = user;
	fx->host_calls++;
	if ((int32_t)slots[0] == -1)
		return wr_hostcall_trap(hc, "host refused -1");
	slots[0] = (uint32_t)((int32_t)slots[0] + 1);
	return WR_OK;
}

static int setup(void **state)
{
	static fixture fx;
	memset(&fx, 0, sizeof(fx));
	wr_diag diag;
	fx.mod = wr_module_load(api_wasm, api_wasm_len, &diag);
	if (!fx.mod)
		return -1;
	fx.store = wr_store_new();
	static const uint8_t i32[] = { WR_I32 };
	wr_functype ft = { 1, 1, i32, i32 };
	wr_limits pages = { 1, 2, true, false };
	wr_tabletype tt = { WR_FUNCREF, { 2, 0, false, false } };
	wr_globaltype gt = { WR_I64, true };
	wr_value g0 = { .type = WR_I64, .of.i64 = 40 };
	fx.mem = wr_memory_new(fx.store, &pages);
	fx.g = wr_global_new(fx.store, &gt, &g0);
	wr_extern imports[4] = {
		{ WR_EXTERN_FUNC, { .func = wr_func_new_host(fx.store, &ft, host_add1, &fx, "add1") } },
		{ WR_EXTERN_MEMORY, { .memory = fx.mem } },
		{ WR_EXTERN_TABLE, { .table = wr_table_new(fx.store, &tt, NULL) } },
		{ WR_EXTERN_GLOBAL, { .global = fx.g } },
	};
	wr_trap trap;
	fx.inst = wr_instantiate(fx.store, fx.mod, imports, 4, &trap);
	if (!fx.inst)
		return -1;
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	wr_store_free(fx->store);
	wr_module_free(fx->mod);
	return 0;
}

/* Call export `name` with i32 arguments; return the trap kind. */
static wr_trapkind call(fixture *fx, const char *name, const wr_value *args, size_t nargs,
                        wr_value *res, size_t nres, wr_trap *trap)
{
	wr_extern e;
	assert_true(wr_instance_export(fx->inst, name, &e));
	assert_int_equal(e.kind, WR_EXTERN_FUNC);
	return wr_call(e.of.func, args, nargs, res, nres, trap);
}

static wr_value i32v(int32_t v) { return (wr_value){ .type = WR_I32, .of.i32 = v }; }

static void test_imports_exports(void **state)
{
	fixture *fx = *state;
	assert_int_equal(wr_module_import_count(fx->mod), 4);
	wr_import imp;
	wr_module_import(fx->mod, 0, &imp);
	assert_string_equal(imp.module, "host");
	assert_string_equal(imp.name, "add1");
	assert_int_equal(imp.type.kind, WR_EXTERN_FUNC);
	assert_int_equal(imp.type.of.func.nparams, 1);
	wr_module_import(fx->mod, 1, &imp);
	assert_int_equal(imp.type.kind, WR_EXTERN_MEMORY);
	assert_int_equal(imp.type.of.memory.min, 1);
	assert_int_equal(imp.type.of.memory.max, 2);
	size_t n = wr_module_export_count(fx->mod);
	assert_int_equal(n, 9);
	wr_export ex;
	wr_module_export(fx->mod, 0, &ex);
	assert_string_equal(ex.name, "counter");
	assert_int_equal(ex.type.kind, WR_EXTERN_GLOBAL);
	assert_true(ex.type.of.global.mut);
	wr_extern e;
	assert_false(wr_instance_export(fx->inst, "no-such-export", &e));
}

static void test_host_call(void **state)
{
	fixture *fx = *state;
	wr_value arg = i32v(41), res;
	wr_trap trap;
	assert_int_equal(call(fx, "call_host", &arg, 1, &res, 1, &trap), WR_OK);
	assert_int_equal(res.type, WR_I32);
	assert_int_equal(res.of.i32, 42);
	assert_int_equal(fx->host_calls, 1);
	arg = i32v(-1);
	assert_int_equal(call(fx, "call_host", &arg, 1, &res, 1, &trap), WR_TRAP_HOST);
	assert_string_equal(trap.message, "host refused -1");
}

static void test_traps(void **state)
{
	fixture *fx = *state;
	wr_value args[2] = { i32v(7), i32v(0) }, res;
	wr_trap trap;
	assert_int_equal(call(fx, "div", args, 2, &res, 1, &trap), WR_TRAP_DIV_ZERO);
	assert_string_equal(trap.message, "integer divide by zero");
	assert_string_equal(wr_trap_message(trap.kind), "integer divide by zero");
	args[0] = i32v(INT32_MIN);
	args[1] = i32v(-1);
	assert_int_equal(call(fx, "div", args, 2, &res, 1, &trap), WR_TRAP_INT_OVERFLOW);
	args[0] = i32v(65534);
	assert_int_equal(call(fx, "load", args, 1, &res, 1, &trap), WR_TRAP_MEMORY_OOB);
	assert_string_equal(trap.message, "out of bounds memory access");
	args[0] = i32v(0);
	assert_int_equal(call(fx, "rec", args, 1, &res, 1, &trap), WR_TRAP_STACK_EXHAUSTED);
	assert_string_equal(trap.message, "call stack exhausted");
	/* The store stays usable after traps. */
	args[0] = i32v(9);
	args[1] = i32v(2);
	assert_int_equal(call(fx, "div", args, 2, &res, 1, &trap), WR_OK);
	assert_int_equal(res.of.i32, 4);
	/* Wrong argument types are refused before the call. */
	wr_value f = { .type = WR_F64 };
	assert_int_not_equal(call(fx, "load", &f, 1, &res, 1, &trap), WR_OK);
}

static void test_memory_and_globals(void **state)
{
	fixture *fx = *state;
	wr_value args[2] = { i32v(16), i32v(0x12345678) }, res;
	assert_int_equal(call(fx, "store", args, 2, NULL, 0, NULL), WR_OK);
	uint8_t *data = wr_memory_data(fx->mem);
	assert_int_equal(data[16], 0x78);
	data[100] = 0xab;
	args[0] = i32v(100);
	assert_int_equal(call(fx, "load", args, 1, &res, 1, NULL), WR_OK);
	assert_int_equal(res.of.i32, 0xab);
	assert_int_equal(wr_memory_size(fx->mem), 65536);
	assert_int_equal(wr_memory_grow(fx->mem, 1), 1);
	assert_int_equal(wr_memory_grow(fx->mem, 1), -1);
	args[0] = i32v(65534 + 65536 - 4);
	assert_int_equal(call(fx, "load", args, 1, &res, 1, NULL), WR_OK);

	assert_int_equal(call(fx, "bump_g", NULL, 0, &res, 1, NULL), WR_OK);
	assert_int_equal(res.of.i64, 41);
	wr_value gv;
	wr_global_get(fx->g, &gv);
	assert_int_equal(gv.of.i64, 41);
	wr_extern e;
	assert_true(wr_instance_export(fx->inst, "counter", &e));
	wr_global_get(e.of.global, &gv);
	assert_int_equal(gv.of.i32, 7);
	gv.of.i32 = 8;
	assert_true(wr_global_set(e.of.global, &gv));
	gv.type = WR_I64;
	assert_false(wr_global_set(e.of.global, &gv));
}

static void test_multi_value(void **state)
{
	fixture *fx = *state;
	wr_value args[2] = { i32v(3), { .type = WR_F64, .of.f64 = 0x4000000000000000ull } }, res[2];
	assert_int_equal(call(fx, "swap", args, 2, res, 2, NULL), WR_OK);
	assert_int_equal(res[0].type, WR_F64);
	assert_int_equal(res[0].of.f64, 0x4000000000000000ull);
	assert_int_equal(res[1].of.i32, 3);
}

static void test_fuel(void **state)
{
	fixture *fx = *state;
	wr_trap trap;
	wr_store_set_fuel(fx->store, 100000);
	assert_int_equal(call(fx, "spin", NULL, 0, NULL, 0, &trap), WR_TRAP_FUEL);
	wr_store_set_fuel(fx->store, 0);
}

static void test_load_errors(void **state)
{
	wr_diag diag;
	static const uint8_t bad_magic[] = { 0, 'a', 's', 'x', 1, 0, 0, 0 };
	assert_null(wr_module_load(bad_magic, sizeof(bad_magic), &diag));
	assert_string_equal(diag.message, "magic header not detected");
	/* Truncated inside the type section: an error with an offset in range. */
	assert_null(wr_module_load(api_wasm, 12, &diag));
	assert_true(diag.message[0] != 0);
	assert_true(diag.offset <= 12);
	/* Incompatible import: a memory that is too small for the declaration. */
	fixture *fx = *state;
	wr_limits small = { 0, 1, true, false };
	wr_extern fn;
	assert_true(wr_instance_export(fx->inst, "call_host", &fn));
	wr_extern bad[4] = {
		fn,
		{ WR_EXTERN_MEMORY, { .memory = wr_memory_new(fx->store, &small) } },
	};
	wr_trap trap;
	assert_null(wr_instantiate(fx->store, fx->mod, bad, 4, &trap));
	assert_int_equal(trap.kind, WR_TRAP_LINK);
	assert_string_equal(trap.message, "incompatible import type");
}

/* A provider that refuses every memory. */
static int refuse_memory(void *user, const wr_limits *decl)
{
	(void)user;
	(void)decl;
	return WR_MEMORY_REFUSED;
}

/* A 64-bit memory made through the API: its type says so and the store's
 * limit bounds it; it cannot stand for a 32-bit memory import. A provider
 * that refuses a memory fails the instantiation, naming the memory. */
static void test_memory64(void **state)
{
	fixture *fx = *state;
	wr_store *s = wr_store_new();
	wr_limits l64 = { 1, 2, true, true }, t;
	wr_memory_provider refuse = { .open = refuse_memory };
	wr_memory *m;
	wr_extern fn;
	wr_trap trap;

	assert_non_null(s);
	wr_store_set_memory_limit(s, 4 * 65536);
	l64.has_max = false;
	m = wr_memory_new(s, &l64);
	assert_non_null(m);
	wr_memory_type(m, &t);
	assert_true(t.addr64);
	assert_int_equal(wr_memory_grow(m, 3), 1);
	assert_int_equal(wr_memory_grow(m, 1), -1);
	assert_int_equal(wr_memory_size(m), 4 * 65536);
	wr_memory_data(m)[4 * 65536 - 1] = 1;
	l64.min = 5;
	assert_null(wr_memory_new(s, &l64));

	l64 = (wr_limits){ 1, 2, true, true };
	assert_true(wr_instance_export(fx->inst, "call_host", &fn));
	wr_extern bad[4] = {
		fn,
		{ WR_EXTERN_MEMORY, { .memory = wr_memory_new(fx->store, &l64) } },
	};
	assert_non_null(bad[1].of.memory);
	assert_null(wr_instantiate(fx->store, fx->mod, bad, 4, &trap));
	assert_string_equal(trap.message, "incompatible import type");

	static const uint8_t one_memory[] = { 0, 'a', 's', 'm', 1, 0, 0, 0, 5, 3, 1, 0, 1 };
	wr_module *mod = wr_module_load(one_memory, sizeof(one_memory), NULL);
	assert_non_null(mod);
	wr_store_set_memory_provider(s, &refuse);
	assert_null(wr_instantiate(s, mod, NULL, 0, &trap));
	assert_int_equal(trap.kind, WR_TRAP_LINK);
	assert_string_equal(trap.message, "cannot create memory 0");
	wr_store_free(s); /* first: the failed instance stays in the store, naming mod */
	wr_module_free(mod);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_imports_exports),
		cmocka_unit_test(test_host_call),
		cmocka_unit_test(test_traps),
		cmocka_unit_test(test_memory_and_globals),
		cmocka_unit_test(test_multi_value),
		cmocka_unit_test(test_fuel),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_memory64),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
