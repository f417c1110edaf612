/*
 * test_gc.c: garbage-collected objects (Wasm 3.0) through include/wrun.h.
 *
 * The module is tests/unit/data/gc.wat (see gc_wasm.h). Beyond what the
 * spec scripts run: a linked list of structs built and walked, a GC heap
 * exhausted by one huge array (a trap, not a crash), and the embedder's
 * anyrefs: objects and i31s it got back pass, a forged address does not,
 * and host references go in and come back out through
 * wr_anyref_from_extern and wr_anyref_extern. And the collector: what the
 * embedder holds survives collections (wr_store_gc_stats counts them), and
 * the garbage is freed. And the frame roots (stack maps): references in a
 * frame below a host function that calls back into wasm survive the
 * collections of the nested call, and no frame lacks a map.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "wrun.h"

#include "data/gc_nest_wasm.h"
#include "data/gc_wasm.h"

typedef struct fixture {
	wr_store *store;
	wr_module *mod;
	wr_instance *inst;
} fixture;

static int setup(void **state)
{
	static fixture fx;
	wr_diag diag;
	wr_trap trap;

	memset(&fx, 0, sizeof(fx));
	if (!(fx.mod = wr_module_load(gc_wasm, sizeof(gc_wasm), &diag)))
		return -1;
	fx.store = wr_store_new();
	if (!(fx.inst = wr_instantiate(fx.store, fx.mod, NULL, 0, &trap)))
		return -1;
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	if (!fx)
		return 0;
	wr_store_free(fx->store);
	wr_module_free(fx->mod);
	return 0;
}

static wr_func *fn(const fixture *fx, const char *name)
{
	wr_extern e;
	assert_true(wr_instance_export(fx->inst, name, &e));
	return e.of.func;
}

static wr_trapkind call1(const fixture *fx, const char *name, wr_value arg, wr_value *res,
                         wr_trap *trap)
{
	return wr_call(fn(fx, name), &arg, 1, res, 1, trap);
}

static wr_value i32v(int32_t x) { return (wr_value){ .type = WR_I32, .of.i32 = x }; }
static wr_value anyv(uint64_t x) { return (wr_value){ .type = WR_ANYREF, .of.any = x }; }

static void test_objects(void **state)
{
	fixture *fx = *state;
	wr_value res;
	wr_trap trap;

	assert_int_equal(call1(fx, "list_sum", i32v(1000), &res, &trap), WR_OK);
	assert_int_equal(res.of.i32, 500500);
	assert_int_equal(call1(fx, "bytes_len", i32v(100), &res, &trap), WR_OK);
	assert_int_equal(res.of.i32, 100);
	/* 2^31 - 1 elements: more than the GC heap may hold */
	assert_int_equal(call1(fx, "bytes_len", i32v(0x7fffffff), &res, &trap), WR_TRAP_GC_LIMIT);
}

static void test_embedder_refs(void **state)
{
	fixture *fx = *state;
	wr_value p, res, h;
	wr_trap trap;
	uintptr_t ext;

	assert_int_equal(call1(fx, "point", i32v(7), &p, &trap), WR_OK);
	assert_int_equal(p.type, WR_ANYREF);
	assert_int_equal(call1(fx, "point_x", p, &res, &trap), WR_OK);
	assert_int_equal(res.of.i32, 7);
	assert_int_equal(call1(fx, "is_point", p, &res, &trap), WR_OK);
	assert_int_equal(res.of.i32, 1);
	assert_false(wr_anyref_extern(fx->store, &p, &ext));

	/* an i31 is an anyref, but no point */
	assert_int_equal(call1(fx, "is_point", anyv((5u << 1) | 1), &res, &trap), WR_OK);
	assert_int_equal(res.of.i32, 0);
	assert_int_equal(call1(fx, "point_x", anyv((5u << 1) | 1), &res, &trap), WR_TRAP_CAST);

	/* an address the store never handed out is refused, not followed */
	uint64_t fake[4] = { 0, 0, 0, 0 };
	assert_int_equal(call1(fx, "point_x", anyv((uint64_t)(uintptr_t)fake), &res, &trap),
	                 WR_TRAP_HOST);
	assert_string_equal(trap.message, "argument type mismatch");

	/* a host reference in and out */
	assert_true(wr_anyref_from_extern(fx->store, 42, &h));
	assert_int_equal(call1(fx, "is_point", h, &res, &trap), WR_OK);
	assert_int_equal(res.of.i32, 0);
	assert_true(wr_anyref_extern(fx->store, &h, &ext));
	assert_int_equal(ext, 42);
	assert_true(wr_anyref_from_extern(fx->store, 0, &h));
	assert_int_equal(h.of.any, 0);
}

/* Objects the embedder holds (wr_call results, wr_anyref_from_extern)
 * outlive collections that free everything else. */
static void test_collections(void **state)
{
	fixture *fx = *state;
	wr_value p, h, res;
	wr_trap trap;
	wr_gc_stats before, after;
	uintptr_t ext;

	assert_int_equal(call1(fx, "point", i32v(1234), &p, &trap), WR_OK);
	assert_true(wr_anyref_from_extern(fx->store, 99, &h));
	wr_store_gc_stats(fx->store, &before);
	/* 20 lists of 100000 cells (48 bytes each): 96 MB in all, far past
	 * the 4 MiB the heap may grow by before it collects */
	for (int i = 0; i < 20; i++) {
		assert_int_equal(call1(fx, "list_sum", i32v(100000), &res, &trap), WR_OK);
		assert_int_equal((uint32_t)res.of.i32, (uint32_t)(100000ull * 100001 / 2));
	}
	wr_store_gc_stats(fx->store, &after);
	assert_true(after.collections >= before.collections + 5);
	assert_true(after.freed_objects >= before.freed_objects + 1000000);
	assert_true(after.heap_bytes < 64u << 20);
	assert_true(after.pause_max_ns >= after.pause_median_ns);
	assert_int_equal(call1(fx, "point_x", p, &res, &trap), WR_OK);
	assert_int_equal(res.of.i32, 1234);
	assert_true(wr_anyref_extern(fx->store, &h, &ext));
	assert_int_equal(ext, 99);
}

/* host.cb (anyref, i32) -> anyref: run "churn" ten times in a nested
 * call, then give back the reference it got. */
static wr_trapkind host_cb(wr_hostcall *hc, uint64_t *slots, void *user)
{
	wr_value arg = { .type = WR_I32, .of.i32 = (int32_t)slots[1] }, res;
	wr_trap trap;
	wr_func *churn = *(wr_func **)user;
	(void)hc;
	for (int i = 0; i < 10; i++)
		if (wr_call(churn, &arg, 1, &res, 1, &trap) != WR_OK)
			return WR_TRAP_HOST;
	return WR_OK; /* slots[0] holds the reference still */
}

/* References in the frame of a call to a host function survive the
 * collections of the wasm it calls back; every frame has a stack map. */
static void test_nested_roots(void **state)
{
	static const uint8_t cbp[] = { WR_ANYREF, WR_I32 }, cbr[] = { WR_ANYREF };
	wr_functype cbt = { 2, 1, cbp, cbr };
	wr_diag diag;
	wr_trap trap;
	wr_extern e, churn;
	wr_value arg = { .type = WR_I32, .of.i32 = 100000 }, res;
	wr_gc_stats st;
	(void)state;

	wr_module *m = wr_module_load(gc_nest_wasm, sizeof(gc_nest_wasm), &diag);
	assert_non_null(m);
	wr_store *s = wr_store_new();
	assert_non_null(s);
	/* the host function's user pointer is churn, known after instantiation */
	static wr_func *churn_fn;
	e.kind = WR_EXTERN_FUNC;
	e.of.func = wr_func_new_host(s, &cbt, host_cb, &churn_fn, "cb");
	assert_non_null(e.of.func);
	wr_instance *inst = wr_instantiate(s, m, &e, 1, &trap);
	assert_non_null(inst);
	assert_true(wr_instance_export(inst, "churn", &churn));
	churn_fn = churn.of.func;
	assert_true(wr_instance_export(inst, "outer", &e));
	assert_int_equal(wr_call(e.of.func, &arg, 1, &res, 1, &trap), WR_OK);
	assert_int_equal(res.of.i32, 71113);
	wr_store_gc_stats(s, &st);
	/* 10 x 100000 cells of 48 bytes: 48 MB, past the 4 MiB the heap may
	 * grow by before it collects */
	assert_true(st.collections >= 5);
	assert_int_equal(st.conservative_frames, 0);
	wr_store_free(s);
	wr_module_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_objects),
		cmocka_unit_test(test_embedder_refs),
		cmocka_unit_test(test_collections),
		cmocka_unit_test(test_nested_roots),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
