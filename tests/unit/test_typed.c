/*
 * test_typed.c: typed function references (Wasm 3.0) through include/wrun.h.
 *
 * The modules are tests/unit/data/typed.wat and typed_link.wat (see
 * typed_wasm.h). Beyond what the spec scripts run, these check what keeps a
 * typed reference honest when it comes from outside the module: the
 * embedder cannot pass null for a non-null parameter nor a function of
 * another type for a concrete one, nor store either in a typed table or
 * global; imports of typed functions, tables and globals match by
 * canonical type, across modules and against host functions, and never
 * across stores. Then the instructions: call_ref and ref.as_non_null trap
 * on null, br_on_null and br_on_non_null branch, return_call_ref runs a
 * million tail calls in constant stack, and the validator's local
 * initialisation and subtyping rules reject what they must.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "wrun.h"

#include "data/typed_wasm.h"

typedef struct fixture {
	wr_store *store;
	wr_module *mod, *link;
	wr_instance *inst;
	wr_func *host;
} fixture;

static wr_trapkind host_neg(wr_hostcall *hc, uint64_t *slots, void *user)
{
	(void)hc;
	(void)user;
	slots[0] = (uint32_t)-(int32_t)slots[0];
	return WR_OK;
}

static const uint8_t i32s[] = { WR_I32 };
static const wr_functype ii = { 1, 1, i32s, i32s };

static int setup(void **state)
{
	static fixture fx;
	wr_diag diag;
	wr_trap trap;

	memset(&fx, 0, sizeof(fx));
	fx.mod = wr_module_load(typed_wasm, sizeof(typed_wasm), &diag);
	fx.link = wr_module_load(typed_link_wasm, sizeof(typed_link_wasm), &diag);
	if (!fx.mod || !fx.link)
		return -1;
	fx.store = wr_store_new();
	fx.host = wr_func_new_host(fx.store, &ii, host_neg, NULL, "neg");
	wr_extern imp = { WR_EXTERN_FUNC, { .func = fx.host } };
	fx.inst = wr_instantiate(fx.store, fx.mod, &imp, 1, &trap);
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
	wr_module_free(fx->link);
	return 0;
}

static wr_extern ex(const fixture *fx, const char *name)
{
	wr_extern e;
	assert_true(wr_instance_export(fx->inst, name, &e));
	return e;
}

static wr_func *fn(const fixture *fx, const char *name)
{
	wr_extern e = ex(fx, name);
	assert_int_equal(e.kind, WR_EXTERN_FUNC);
	return e.of.func;
}

static wr_value i32v(int32_t v) { return (wr_value){ .type = WR_I32, .of.i32 = v }; }
static wr_value funcv(wr_func *f) { return (wr_value){ .type = WR_FUNCREF, .of.func = f }; }

/* Call export name(f, x) or name(x) (f NULL means a null reference when
 * with_ref); return the trap kind, the i32 result in *r. */
static wr_trapkind call_ref(fixture *fx, const char *name, bool with_ref, wr_func *f, int32_t x,
                            int32_t *r, wr_trap *trap)
{
	wr_value args[2] = { funcv(f), i32v(x) }, res;
	wr_trapkind k = wr_call(fn(fx, name), with_ref ? args : args + 1, with_ref ? 2 : 1, &res,
	                        1, trap);
	if (k == WR_OK)
		*r = res.of.i32;
	return k;
}

static void test_call_ref(void **state)
{
	fixture *fx = *state;
	wr_trap trap;
	int32_t r = 0;

	assert_int_equal(call_ref(fx, "call", true, fn(fx, "inc"), 41, &r, &trap), WR_OK);
	assert_int_equal(r, 42);
	assert_int_equal(call_ref(fx, "call", true, NULL, 41, &r, &trap), WR_TRAP_NULL_REFERENCE);
	assert_string_equal(trap.message, "null function reference");
	assert_int_equal(call_ref(fx, "call", true, fx->host, 5, &r, &trap), WR_OK);
	assert_int_equal(r, -5);
	assert_int_equal(call_ref(fx, "call_host", false, NULL, 6, &r, &trap), WR_OK);
	assert_int_equal(r, -6);
	wr_value args[2] = { i32v(1), i32v(9) }, res;
	assert_int_equal(wr_call(fn(fx, "call_table"), args, 2, &res, 1, &trap), WR_OK);
	assert_int_equal(res.of.i32, 10); /* the initialiser's $inc */
	wr_value one = funcv(fn(fx, "inc"));
	assert_int_equal(wr_call(fn(fx, "local_init"), &one, 1, &res, 1, &trap), WR_OK);
	assert_int_equal(res.of.i32, 6);
}

/* The embedder's values are checked against the full parameter type. */
static void test_api_checks(void **state)
{
	fixture *fx = *state;
	wr_value arg = { .type = WR_EXTERNREF, .of.ext = 0 }, res;
	wr_trap trap;
	int32_t r;

	assert_int_equal(wr_call(fn(fx, "id_extern"), &arg, 1, &res, 1, &trap), WR_TRAP_HOST);
	assert_string_equal(trap.message, "argument type mismatch");
	arg.of.ext = 7;
	assert_int_equal(wr_call(fn(fx, "id_extern"), &arg, 1, &res, 1, &trap), WR_OK);
	assert_int_equal(res.of.ext, 7);
	/* a function of another type for (ref null $ii) */
	assert_int_equal(call_ref(fx, "call", true, fn(fx, "nop"), 1, &r, &trap), WR_TRAP_HOST);
	assert_string_equal(trap.message, "argument type mismatch");

	wr_table *t = ex(fx, "t").of.table;
	wr_value v = funcv(NULL);
	assert_false(wr_table_set(t, 0, &v));
	v = funcv(fn(fx, "nop"));
	assert_false(wr_table_set(t, 0, &v));
	v = funcv(fx->host);
	assert_true(wr_table_set(t, 0, &v));
	wr_value args[2] = { i32v(0), i32v(3) };
	assert_int_equal(wr_call(fn(fx, "call_table"), args, 2, &res, 1, &trap), WR_OK);
	assert_int_equal(res.of.i32, -3);

	wr_global *g = ex(fx, "g").of.global;
	v = funcv(fn(fx, "nop"));
	assert_false(wr_global_set(g, &v));
	v = funcv(fn(fx, "inc"));
	assert_true(wr_global_set(g, &v));
	assert_int_equal(call_ref(fx, "call_global", false, NULL, 1, &r, &trap), WR_OK);
	assert_int_equal(r, 2);
	v = funcv(NULL);
	assert_true(wr_global_set(g, &v)); /* (ref null $ii) */
	assert_int_equal(call_ref(fx, "call_global", false, NULL, 1, &r, &trap),
	                 WR_TRAP_NULL_REFERENCE);
}

static void test_ref_instrs(void **state)
{
	fixture *fx = *state;
	wr_trap trap;

	wr_value arg = funcv(NULL), res;
	assert_int_equal(wr_call(fn(fx, "as_non_null"), &arg, 1, &res, 1, &trap),
	                 WR_TRAP_NULL_REFERENCE);
	assert_string_equal(trap.message, "null reference");
	arg = funcv(fn(fx, "nop"));
	assert_int_equal(wr_call(fn(fx, "as_non_null"), &arg, 1, &res, 1, &trap), WR_OK);
	assert_int_equal(res.of.i32, 0);

	arg = funcv(NULL);
	assert_int_equal(wr_call(fn(fx, "on_null"), &arg, 1, &res, 1, &trap), WR_OK);
	assert_int_equal(res.of.i32, -1);
	arg = funcv(fn(fx, "inc"));
	assert_int_equal(wr_call(fn(fx, "on_null"), &arg, 1, &res, 1, &trap), WR_OK);
	assert_int_equal(res.of.i32, 11);
	arg = funcv(NULL);
	assert_int_equal(wr_call(fn(fx, "on_non_null"), &arg, 1, &res, 1, &trap), WR_OK);
	assert_int_equal(res.of.i32, -2);
	arg = funcv(fn(fx, "inc"));
	assert_int_equal(wr_call(fn(fx, "on_non_null"), &arg, 1, &res, 1, &trap), WR_OK);
	assert_int_equal(res.of.i32, 21);
}

/* A million return_call_refs in constant stack (the depth limit is far
 * below a million frames). */
static void test_return_call_ref(void **state)
{
	fixture *fx = *state;
	wr_value arg = i32v(1000000), res;
	wr_trap trap;

	assert_int_equal(wr_call(fn(fx, "even"), &arg, 1, &res, 1, &trap), WR_OK);
	assert_int_equal(res.of.i32, 1);
	arg = i32v(999999);
	assert_int_equal(wr_call(fn(fx, "even"), &arg, 1, &res, 1, &trap), WR_OK);
	assert_int_equal(res.of.i32, 0);
}

/* Imports match by canonical type: another module's equivalent type, a
 * host function of that type; not another type, not another store's. */
static void test_link(void **state)
{
	fixture *fx = *state;
	wr_extern imps[3] = { ex(fx, "inc"), ex(fx, "t"), ex(fx, "g") };
	wr_trap trap;
	wr_instance *i = wr_instantiate(fx->store, fx->link, imps, 3, &trap);
	wr_value arg = i32v(4), res;
	wr_extern run;

	assert_non_null(i);
	assert_true(wr_instance_export(i, "run", &run));
	assert_int_equal(wr_call(run.of.func, &arg, 1, &res, 1, &trap), WR_OK);
	assert_int_equal(res.of.i32, 5);
	imps[0].of.func = fx->host;
	assert_non_null(wr_instantiate(fx->store, fx->link, imps, 3, &trap));
	imps[0] = ex(fx, "nop");
	assert_null(wr_instantiate(fx->store, fx->link, imps, 3, &trap));
	assert_string_equal(trap.message, "incompatible import type");

	/* the same objects through another store are not the same types */
	wr_store *other = wr_store_new();
	wr_func *h = wr_func_new_host(other, &ii, host_neg, NULL, "neg");
	imps[0].kind = WR_EXTERN_FUNC;
	imps[0].of.func = h;
	assert_null(wr_instantiate(fx->store, fx->link, imps, 3, &trap));
	imps[0] = ex(fx, "inc");
	assert_null(wr_instantiate(other, fx->link, imps, 3, &trap));
	wr_store_free(other);
}

/* The validator: locals without a default, subtyping, table initialisers. */
static void test_invalid(void **state)
{
	(void)state;
	/* (func (param (ref extern)) (local (ref extern)) (drop (local.get 1))) */
	static const uint8_t uninit[] = {
		0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
		0x01, 0x06, 0x01, 0x60, 0x01, 0x64, 0x6f, 0x00,
		0x03, 0x02, 0x01, 0x00,
		0x0a, 0x0a, 0x01, 0x08, 0x01, 0x01, 0x64, 0x6f, 0x20, 0x01, 0x1a, 0x0b,
	};
	/* (func (param externref) (result (ref extern)) (local.get 0)) */
	static const uint8_t nullable[] = {
		0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
		0x01, 0x07, 0x01, 0x60, 0x01, 0x6f, 0x01, 0x64, 0x6f,
		0x03, 0x02, 0x01, 0x00,
		0x0a, 0x06, 0x01, 0x04, 0x00, 0x20, 0x00, 0x0b,
	};
	/* (table 1 (ref func)): a non-null table without an initialiser */
	static const uint8_t table[] = {
		0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
		0x04, 0x05, 0x01, 0x64, 0x70, 0x00, 0x01,
	};
	/* (type (func (param (ref 1)))): a type index past the types */
	static const uint8_t unknown[] = {
		0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
		0x01, 0x06, 0x01, 0x60, 0x01, 0x64, 0x01, 0x00,
	};
	wr_diag d;

	assert_null(wr_module_load(uninit, sizeof(uninit), &d));
	assert_string_equal(d.message, "uninitialized local");
	assert_null(wr_module_load(nullable, sizeof(nullable), &d));
	assert_true(strncmp(d.message, "type mismatch", 13) == 0);
	assert_null(wr_module_load(table, sizeof(table), &d));
	assert_true(strncmp(d.message, "type mismatch", 13) == 0);
	assert_null(wr_module_load(unknown, sizeof(unknown), &d));
	assert_string_equal(d.message, "unknown type 1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_call_ref),
		cmocka_unit_test(test_api_checks),
		cmocka_unit_test(test_ref_instrs),
		cmocka_unit_test(test_return_call_ref),
		cmocka_unit_test(test_link),
		cmocka_unit_test(test_invalid),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
