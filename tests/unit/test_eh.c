/*
 * test_eh.c: exception handling through include/wrun.h only: tags and
 * their identity, exceptions across host functions, uncaught exceptions
 * as an outcome, traps that are not exceptions, exnref handles given to
 * the embedder, and many exceptions kept and dropped (the collector).
 *
 * The module is tests/unit/data/eh.wat (see its head for how eh_wasm.h is
 * made).
 */
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "wrun.h"

#include "data/eh_wasm.h"

typedef struct fixture {
	wr_store *store;
	wr_module *mod;
	wr_instance *inst;
	wr_tag *host_tag;
	wr_func *inner;       /* the export "inner", which host_call calls */
	bool swallow;         /* host_call drops the inner call's exception */
	wr_trapkind inner_kind;
} fixture;

static const uint8_t i32s[] = { WR_I32 };

/* host.call: call "inner" back; pass its exception on unless told not to. */
static wr_trapkind host_call(wr_hostcall *hc, uint64_t *slots, void *user)
{
	fixture *fx = user;
	wr_value arg = { .type = WR_I32, .of.i32 = (int32_t)slots[0] }, res;
	wr_trap trap;
	fx->inner_kind = wr_call(fx->inner, &arg, 1, &res, 1, &trap);
	if (fx->inner_kind == WR_OK) {
		slots[0] = (uint32_t)res.of.i32;
		return WR_OK;
	}
	if (fx->swallow) {
		slots[0] = 99;
		return WR_OK;
	}
	(void)hc;
	return fx->inner_kind;
}

/* host.throw: throw the host tag with the argument as payload. */
static wr_trapkind host_throw(wr_hostcall *hc, uint64_t *slots, void *user)
{
	fixture *fx = user;
	uint64_t payload[1] = { slots[0] + 100 };
	return wr_hostcall_throw(hc, fx->host_tag, payload);
}

/* Instantiate eh.wasm in fx->store with the host objects. */
static wr_instance *instantiate(fixture *fx, wr_trap *trap)
{
	wr_functype tt = { 1, 0, i32s, NULL }, callt = { 1, 1, i32s, i32s }, throwt = { 1, 0, i32s, NULL };
	wr_extern imports[3] = {
		{ WR_EXTERN_TAG, { .tag = fx->host_tag } },
		{ WR_EXTERN_FUNC, { .func = wr_func_new_host(fx->store, &callt, host_call, fx, "call") } },
		{ WR_EXTERN_FUNC, { .func = wr_func_new_host(fx->store, &throwt, host_throw, fx, "throw") } },
	};
	(void)tt;
	return wr_instantiate(fx->store, fx->mod, imports, 3, trap);
}

static int setup(void **state)
{
	static fixture fx;
	memset(&fx, 0, sizeof(fx));
	wr_diag diag;
	fx.mod = wr_module_load(eh_wasm, eh_wasm_len, &diag);
	if (!fx.mod) {
		print_error("eh.wasm: %s at %zu\n", diag.message, diag.offset);
		return -1;
	}
	fx.store = wr_store_new();
	wr_functype tt = { 1, 0, i32s, NULL };
	fx.host_tag = wr_tag_new(fx.store, &tt);
	wr_trap trap;
	if (!fx.host_tag || !(fx.inst = instantiate(&fx, &trap)))
		return -1;
	wr_extern e;
	if (!wr_instance_export(fx.inst, "inner", &e))
		return -1;
	fx.inner = e.of.func;
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

static wr_func *fn(fixture *fx, const char *name)
{
	wr_extern e;
	assert_true(wr_instance_export(fx->inst, name, &e));
	assert_int_equal(e.kind, WR_EXTERN_FUNC);
	return e.of.func;
}

/* Call an export taking and returning at most one i32. */
static wr_trapkind call_i32(fixture *fx, const char *name, int nargs, int32_t arg, int nres,
                            int32_t *res, wr_trap *trap)
{
	wr_value a = { .type = WR_I32, .of.i32 = arg }, r = { 0 };
	wr_trapkind k = wr_call(fn(fx, name), &a, (size_t)nargs, &r, (size_t)nres, trap);
	if (res)
		*res = r.of.i32;
	return k;
}

static void test_tag_types(void **state)
{
	fixture *fx = *state;
	wr_export ex;
	bool found = false;
	for (size_t i = 0; i < wr_module_export_count(fx->mod); i++) {
		wr_module_export(fx->mod, i, &ex);
		if (strcmp(ex.name, "big") != 0)
			continue;
		found = true;
		assert_int_equal(ex.type.kind, WR_EXTERN_TAG);
		assert_int_equal(ex.type.of.tag.nparams, 3);
		assert_int_equal(ex.type.of.tag.nresults, 0);
		assert_int_equal(ex.type.of.tag.params[0], WR_I64);
		assert_int_equal(ex.type.of.tag.params[1], WR_F64);
	}
	assert_true(found);
	wr_import imp;
	wr_module_import(fx->mod, 0, &imp);
	assert_int_equal(imp.type.kind, WR_EXTERN_TAG);
	assert_int_equal(imp.type.of.tag.nparams, 1);
	/* a tag type has no results */
	wr_functype bad = { 0, 1, NULL, i32s };
	assert_null(wr_tag_new(fx->store, &bad));
}

/* Each instance has its own tags; importing a tag is sharing it. */
static void test_tag_identity(void **state)
{
	fixture *fx = *state;
	wr_trap trap;
	wr_instance *other = instantiate(fx, &trap);
	assert_non_null(other);
	wr_extern a, b;
	assert_true(wr_instance_export(fx->inst, "e", &a));
	assert_true(wr_instance_export(other, "e", &b));
	assert_int_equal(a.kind, WR_EXTERN_TAG);
	assert_ptr_not_equal(a.of.tag, b.of.tag);
	wr_extern again;
	assert_true(wr_instance_export(fx->inst, "e", &again));
	assert_ptr_equal(a.of.tag, again.of.tag);

	/* a tag of another type does not satisfy the import */
	static const uint8_t i64s[] = { WR_I64 };
	wr_functype t64 = { 1, 0, i64s, NULL };
	wr_tag *saved = fx->host_tag;
	fx->host_tag = wr_tag_new(fx->store, &t64);
	assert_null(instantiate(fx, &trap));
	assert_int_equal(trap.kind, WR_TRAP_LINK);
	/* nor does a function */
	fx->host_tag = saved;
	wr_extern imports[3];
	memset(imports, 0, sizeof(imports));
	imports[0].kind = WR_EXTERN_FUNC;
	imports[0].of.func = fx->inner;
	imports[1] = (wr_extern){ WR_EXTERN_FUNC, { .func = fx->inner } };
	imports[2] = (wr_extern){ WR_EXTERN_FUNC, { .func = fx->inner } };
	assert_null(wr_instantiate(fx->store, fx->mod, imports, 3, &trap));
	assert_int_equal(trap.kind, WR_TRAP_LINK);
}

/* wasm -> host -> wasm: the inner exception returns through the host
 * function, which passes it on, and the outer wasm catches it. */
static void test_through_host(void **state)
{
	fixture *fx = *state;
	int32_t r;
	wr_trap trap;
	fx->swallow = false;
	assert_int_equal(call_i32(fx, "through_host", 1, 5, 1, &r, &trap), WR_OK);
	assert_int_equal(fx->inner_kind, WR_TRAP_EXCEPTION);
	assert_int_equal(r, 1005);
	assert_int_equal(call_i32(fx, "through_host", 1, 0, 1, &r, &trap), WR_OK);
	assert_int_equal(r, 7);
	/* a host function that drops the exception returns normally */
	fx->swallow = true;
	assert_int_equal(call_i32(fx, "through_host", 1, 3, 1, &r, &trap), WR_OK);
	assert_int_equal(fx->inner_kind, WR_TRAP_EXCEPTION);
	assert_int_equal(r, 99);
	fx->swallow = false;
}

static void test_host_throw(void **state)
{
	fixture *fx = *state;
	int32_t r;
	wr_trap trap;
	assert_int_equal(call_i32(fx, "host_throw_caught", 1, 3, 1, &r, &trap), WR_OK);
	assert_int_equal(r, 103);
}

static void test_uncaught(void **state)
{
	fixture *fx = *state;
	wr_trap trap;
	uint64_t exn = 0, payload[3] = { 0 };
	wr_tag *tag = NULL;
	wr_extern e;
	assert_int_equal(call_i32(fx, "uncaught", 0, 0, 0, NULL, &trap), WR_TRAP_EXCEPTION);
	assert_int_equal(trap.kind, WR_TRAP_EXCEPTION);
	assert_string_equal(trap.message, "uncaught exception");
	assert_string_equal(trap.func, "uncaught");
	assert_true(wr_store_exception(fx->store, &exn));
	assert_true(wr_exn_read(fx->store, exn, &tag, payload, 1));
	assert_true(wr_instance_export(fx->inst, "e", &e));
	assert_ptr_equal(tag, e.of.tag);
	assert_int_equal(payload[0], 42);

	assert_int_equal(call_i32(fx, "uncaught_big", 0, 0, 0, NULL, &trap), WR_TRAP_EXCEPTION);
	assert_true(wr_store_exception(fx->store, &exn));
	assert_true(wr_exn_read(fx->store, exn, &tag, payload, 3));
	assert_true(wr_instance_export(fx->inst, "big", &e));
	assert_ptr_equal(tag, e.of.tag);
	assert_int_equal((int64_t)payload[0], -2);
	assert_int_equal(payload[2], 9);
	/* a call that ends normally leaves no exception */
	int32_t r;
	assert_int_equal(call_i32(fx, "inner", 1, 0, 1, &r, &trap), WR_OK);
	assert_false(wr_store_exception(fx->store, &exn));
	/* null and forged handles are refused */
	assert_false(wr_exn_read(fx->store, 0, &tag, NULL, 0));
	assert_false(wr_exn_read(fx->store, 0x123456789abcull, &tag, NULL, 0));
}

static void test_traps_not_caught(void **state)
{
	fixture *fx = *state;
	int32_t r;
	wr_trap trap;
	assert_int_equal(call_i32(fx, "trap_in_try", 0, 0, 1, &r, &trap), WR_TRAP_UNREACHABLE);
	assert_int_equal(call_i32(fx, "throw_null", 0, 0, 0, NULL, &trap), WR_TRAP_UNREACHABLE);
	assert_non_null(strstr(trap.message, "null exception reference"));
}

/* Many exceptions, most dropped at once, those kept in a local reclaimed
 * by the collector; the one kept in a global survives and can be thrown
 * again, from wasm or passed in by the embedder. */
static void test_churn(void **state)
{
	fixture *fx = *state;
	int32_t r;
	wr_trap trap;
	assert_int_equal(call_i32(fx, "churn", 1, 200000, 1, &r, &trap), WR_OK);
	assert_int_equal(r, 200000);
	assert_int_equal(call_i32(fx, "rethrow_kept", 0, 0, 1, &r, &trap), WR_OK);
	assert_int_equal(r, 199997); /* the last multiple of 7 below 200000 */

	wr_value kept;
	assert_int_equal(wr_call(fn(fx, "get_kept"), NULL, 0, &kept, 1, &trap), WR_OK);
	assert_int_equal(kept.type, WR_EXNREF);
	assert_true(kept.of.exn != 0);
	/* kept.of.exn came from wr_call: valid while the store lives, even
	 * after the global lets go of it and more collections run */
	assert_int_equal(call_i32(fx, "churn", 1, 50000, 1, &r, &trap), WR_OK);
	assert_int_equal(wr_call(fn(fx, "throw_this"), &kept, 1, NULL, 0, &trap), WR_TRAP_EXCEPTION);
	uint64_t exn, payload[1];
	assert_true(wr_store_exception(fx->store, &exn));
	assert_int_equal(exn, kept.of.exn);
	assert_true(wr_exn_read(fx->store, exn, NULL, payload, 1));
	assert_int_equal(payload[0], 199997);
	/* a forged handle is not followed */
	wr_value forged = { .type = WR_EXNREF, .of.exn = kept.of.exn + (1ull << 32) };
	assert_int_equal(wr_call(fn(fx, "throw_this"), &forged, 1, NULL, 0, &trap),
	                 WR_TRAP_UNREACHABLE);
}

/* In a store of its own: the table of exceptions stays small, about two
 * live at any time, far below the 300000 x ~50 bytes of keeping them all.
 * (Under ASan mallinfo2 sees nothing and this proves nothing.) */
static void test_collector_bounded(void **state)
{
	fixture *fx = *state, saved = *fx;
	wr_trap trap;
	int32_t r;
	wr_functype tt = { 1, 0, i32s, NULL };
	fx->store = wr_store_new();
	fx->host_tag = wr_tag_new(fx->store, &tt);
	assert_non_null(fx->inst = instantiate(fx, &trap));
	struct mallinfo2 mi = mallinfo2();
	size_t before = mi.uordblks + mi.hblkhd;
	assert_int_equal(call_i32(fx, "churn", 1, 300000, 1, &r, &trap), WR_OK);
	mi = mallinfo2();
	size_t after = mi.uordblks + mi.hblkhd;
	wr_store_free(fx->store);
	*fx = saved;
	assert_int_equal(r, 300000);
	assert_true(after < before + 1000000);
}

static void test_deep_unwind(void **state)
{
	fixture *fx = *state;
	int32_t r;
	wr_trap trap;
	assert_int_equal(call_i32(fx, "deep", 1, 10000, 1, &r, &trap), WR_OK);
	assert_int_equal(r, 5);
}

/* A local read where a catch lands before its write is zero, however dirty
 * its slot was left (locals zeroed on entry: only those read unwritten). */
static void test_catch_zeroes(void **state)
{
	fixture *fx = *state;
	static const char *const names[] = { "catch_before", "legacy_before" };
	int32_t r;
	wr_trap trap;
	for (int i = 0; i < 2; i++) {
		for (int32_t x = 0; x < 2; x++) {
			assert_int_equal(call_i32(fx, "dirty", 1, 3, 1, &r, &trap), WR_OK);
			assert_int_equal(call_i32(fx, names[i], 1, x, 1, &r, &trap), WR_OK);
			assert_int_equal(r, x ? 0 : 5);
		}
	}
}

static void test_fuel(void **state)
{
	fixture *fx = *state;
	wr_trap trap;
	wr_store_set_fuel(fx->store, 100000);
	assert_int_equal(call_i32(fx, "spin", 0, 0, 0, NULL, &trap), WR_TRAP_FUEL);
	wr_store_set_fuel(fx->store, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tag_types),
		cmocka_unit_test(test_tag_identity),
		cmocka_unit_test(test_through_host),
		cmocka_unit_test(test_host_throw),
		cmocka_unit_test(test_uncaught),
		cmocka_unit_test(test_traps_not_caught),
		cmocka_unit_test(test_churn),
		cmocka_unit_test(test_collector_bounded),
		cmocka_unit_test(test_deep_unwind),
		cmocka_unit_test(test_catch_zeroes),
		cmocka_unit_test(test_fuel),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
