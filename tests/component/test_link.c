/*
 * test_link.c: instantiating components against the host linker
 * (include/wrun.h): host functions and their version matching, missing
 * imports, the trap-unknown mode, host resources and their destructors,
 * resource identities per instantiation, one component instance serving
 * another's import, and the checks on that.
 *
 * The components are tests/component/data/link_*.wat, encoded into
 * link_*_wasm.h by data/regen.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ctype.h"
#include "wrun.h"

#include "data/link_async_wasm.h"
#include "data/link_bad_wasm.h"
#include "data/link_deep_wasm.h"
#include "data/link_host_wasm.h"
#include "data/link_many_wasm.h"
#include "data/link_own_wasm.h"
#include "data/link_res_wasm.h"
#include "data/link_user_wasm.h"

static wr_component *load(const unsigned char *b, unsigned n)
{
	wr_diag d;
	wr_component *c = wr_component_load(b, n, &d);
	if (!c)
		print_message("load: %s (offset %zu)\n", d.message, d.offset);
	assert_non_null(c);
	return c;
}

static wr_cval u32v(uint32_t v)
{
	wr_cval x = { .kind = WR_C_U32 };
	x.of.u = v;
	return x;
}

static wr_cval strv(const char *s)
{
	wr_cval x = { .kind = WR_C_STRING, .len = (uint32_t)strlen(s) };
	x.of.str = strdup(s);
	return x;
}

/* ---- host functions ---- */

static int bias100 = 100, bias900 = 900, bias5000 = 5000;
static int add_calls;

static wr_trapkind host_add(wr_ccall *call, const wr_cval *args, size_t nargs, wr_cval *result,
                            void *user)
{
	const cfunctype *ft = wr_ccall_type(call);
	assert_int_equal(nargs, 2);
	assert_int_equal(ft->nparams, 2);
	assert_string_equal(ft->params[0].name, "a");
	assert_non_null(strstr(wr_ccall_name(call), "#add"));
	add_calls++;
	*result = u32v((uint32_t)(args[0].of.u + args[1].of.u + (uint64_t)*(int *)user));
	return WR_OK;
}

static wr_trapkind host_greet(wr_ccall *call, const wr_cval *args, size_t nargs,
                              wr_cval *result, void *user)
{
	char buf[128];
	if (args[0].len > 100)
		return wr_ccall_trap(call, "name too long: %u", args[0].len);
	snprintf(buf, sizeof(buf), "hello, %.*s", (int)args[0].len, args[0].of.str);
	*result = strv(buf);
	return WR_OK;
}

static void define_host(wr_clinker *l, const char *iface, int *bias)
{
	assert_true(wr_clinker_define_func(l, iface, "add", host_add, bias));
	assert_true(wr_clinker_define_func(l, iface, "greet", host_greet, NULL));
}

static uint32_t call_twice_add(wr_cinstance *in, const char *name, uint32_t a, uint32_t b)
{
	wr_cval args[2] = { u32v(a), u32v(b) }, r;
	wr_trap t;
	wr_trapkind k = wr_cinstance_call(in, name, args, 2, &r, &t);
	if (k != WR_OK)
		print_message("trap: %s\n", t.message);
	assert_int_equal(k, WR_OK);
	assert_int_equal(r.kind, WR_C_U32);
	return (uint32_t)r.of.u;
}

/* The highest compatible version serves the import; strings cross. */
static void test_host_funcs(void **state)
{
	wr_store *s = wr_store_new();
	wr_component *c = load(link_host_wasm, link_host_wasm_len);
	wr_clinker *l = wr_clinker_new();
	define_host(l, "test:demo/host@0.2.0", &bias100);
	define_host(l, "test:demo/host@0.2.9", &bias900);
	define_host(l, "test:demo/host@0.3.0", &bias5000);
	define_host(l, "test:demo/hostess@0.2.9", &bias5000);
	wr_trap t;
	wr_cinstance *in = wr_component_instantiate(s, c, l, &t);
	if (!in)
		print_message("instantiate: %s\n", t.message);
	assert_non_null(in);
	assert_int_equal(call_twice_add(in, "twice-add", 1, 2), 2 * (3 + 900));
	assert_int_equal(call_twice_add(in, "api#twice-add", 2, 2), 2 * (4 + 900));
	const char *path[] = { "api", "twice-add" };
	assert_non_null(wr_cinstance_func_path(in, path, 2));
	assert_null(wr_cinstance_func(in, "api#nope"));
	assert_null(wr_cinstance_func(in, "api"));

	wr_cval arg = strv("wasm"), r;
	assert_int_equal(wr_cinstance_call(in, "greet", &arg, 1, &r, &t), WR_OK);
	assert_int_equal(r.kind, WR_C_STRING);
	assert_string_equal(r.of.str, "hello, wasm");
	wr_cval_free(&r);
	wr_cval_free(&arg);

	wr_cextern_info info;
	int seen = 0;
	assert_int_equal(wr_cinstance_export_count(in), 3);
	for (size_t i = 0; i < 3; i++) {
		assert_true(wr_cinstance_export(in, i, &info));
		if (!strcmp(info.name, "api"))
			seen++, assert_int_equal(info.sort, WR_CSORT_INSTANCE);
		else
			assert_int_equal(info.sort, WR_CSORT_FUNC);
	}
	assert_int_equal(seen, 1);
	assert_false(wr_cinstance_export(in, 3, &info));
	assert_int_equal(wr_cinstance_call(in, "nothing", NULL, 0, NULL, &t), WR_TRAP_LINK);
	assert_non_null(strstr(t.message, "nothing"));
	wr_cinstance_free(in);
	wr_clinker_free(l);
	wr_store_free(s);
	wr_component_free(c);
}

/* A host trap reaches the caller with its message. */
static void test_host_trap(void **state)
{
	wr_store *s = wr_store_new();
	wr_component *c = load(link_host_wasm, link_host_wasm_len);
	wr_clinker *l = wr_clinker_new();
	define_host(l, "test:demo/host@0.2.4", &bias100);
	wr_trap t;
	wr_cinstance *in = wr_component_instantiate(s, c, l, &t);
	assert_non_null(in);
	char big[200];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	wr_cval arg = strv(big), r;
	assert_int_equal(wr_cinstance_call(in, "greet", &arg, 1, &r, &t), WR_TRAP_HOST);
	assert_non_null(strstr(t.message, "name too long: 199"));
	wr_cval_free(&arg);
	wr_cinstance_free(in);
	wr_clinker_free(l);
	wr_store_free(s);
	wr_component_free(c);
}

/* Link errors name the import: no compatible version (0.3 for 0.2, 1.x
 * for 0.2), a missing function, no linker at all. */
static void test_unlinkable(void **state)
{
	wr_store *s = wr_store_new();
	wr_component *c = load(link_host_wasm, link_host_wasm_len);
	wr_clinker *l = wr_clinker_new();
	define_host(l, "test:demo/host@0.3.0", &bias100);
	define_host(l, "test:demo/host@1.2.4", &bias100);
	define_host(l, "test:demo/host", &bias100);
	wr_trap t;
	assert_null(wr_component_instantiate(s, c, l, &t));
	assert_int_equal(t.kind, WR_TRAP_LINK);
	assert_non_null(strstr(t.message, "`test:demo/host@0.2.4` is not defined"));
	wr_clinker_free(l);

	l = wr_clinker_new();
	assert_true(wr_clinker_define_func(l, "test:demo/host@0.2.4", "add", host_add, &bias100));
	assert_false(wr_clinker_define_func(l, "test:demo/host@0.2.4", "add", host_add, &bias100));
	assert_null(wr_component_instantiate(s, c, l, &t));
	assert_int_equal(t.kind, WR_TRAP_LINK);
	assert_non_null(strstr(t.message, "test:demo/host@0.2.4#greet"));
	wr_clinker_free(l);

	assert_null(wr_component_instantiate(s, c, NULL, &t));
	assert_int_equal(t.kind, WR_TRAP_LINK);
	assert_null(wr_component_instantiate(s, NULL, NULL, &t));
	wr_store_free(s);
	wr_component_free(c);
}

/* Unknown imports trap when called, not when instantiating. */
static void test_trap_unknown(void **state)
{
	wr_store *s = wr_store_new();
	wr_component *c = load(link_host_wasm, link_host_wasm_len);
	wr_clinker *l = wr_clinker_new();
	assert_true(wr_clinker_define_func(l, "test:demo/host@0.2.4", "greet", host_greet, NULL));
	wr_clinker_trap_unknown(l, true);
	wr_trap t;
	wr_cinstance *in = wr_component_instantiate(s, c, l, &t);
	assert_non_null(in);
	wr_cval arg = strv("x"), r;
	assert_int_equal(wr_cinstance_call(in, "greet", &arg, 1, &r, &t), WR_OK);
	assert_string_equal(r.of.str, "hello, x");
	wr_cval_free(&r);
	wr_cval_free(&arg);
	wr_cval args[2] = { u32v(1), u32v(2) };
	assert_int_equal(wr_cinstance_call(in, "twice-add", args, 2, &r, &t), WR_TRAP_HOST);
	assert_non_null(strstr(t.message, "unknown import `test:demo/host@0.2.4#add` called"));
	wr_cinstance_free(in);
	wr_clinker_free(l);
	wr_store_free(s);
	wr_component_free(c);
}

/* ---- host resources ---- */

static const void *thing_type;
static uint32_t dropped[8];
static int ndropped;

static const char *thing_dtor(uint32_t rep, void *user)
{
	assert_ptr_equal(user, &ndropped);
	if (ndropped < 8)
		dropped[ndropped] = rep;
	ndropped++;
	return NULL;
}

static wr_trapkind thing_new(wr_ccall *call, const wr_cval *args, size_t nargs, wr_cval *result,
                             void *user)
{
	result->kind = WR_C_OWN;
	result->of.handle.rep = (uint32_t)args[0].of.u * 10;
	result->of.handle.type = thing_type;
	return WR_OK;
}

static wr_trapkind thing_value(wr_ccall *call, const wr_cval *args, size_t nargs,
                               wr_cval *result, void *user)
{
	assert_int_equal(args[0].kind, WR_C_BORROW);
	assert_ptr_equal(args[0].of.handle.type, thing_type);
	*result = u32v(args[0].of.handle.rep + 1);
	return WR_OK;
}

static void test_host_resource(void **state)
{
	wr_store *s = wr_store_new();
	wr_component *c = load(link_res_wasm, link_res_wasm_len);
	wr_clinker *l = wr_clinker_new();
	thing_type = wr_clinker_define_resource(l, "test:demo/res", "thing", thing_dtor, &ndropped);
	assert_non_null(thing_type);
	assert_null(wr_clinker_define_resource(l, "test:demo/res", "thing", NULL, NULL));
	assert_true(wr_clinker_define_func(l, "test:demo/res", "[constructor]thing", thing_new, NULL));
	assert_true(wr_clinker_define_func(l, "test:demo/res", "[method]thing.value", thing_value,
	                                   NULL));
	wr_trap t;
	wr_cinstance *in = wr_component_instantiate(s, c, l, &t);
	if (!in)
		print_message("instantiate: %s\n", t.message);
	assert_non_null(in);
	wr_cval arg = u32v(7), r;
	ndropped = 0;
	assert_int_equal(wr_cinstance_call(in, "roundtrip", &arg, 1, &r, &t), WR_OK);
	assert_int_equal(r.of.u, 71);
	assert_int_equal(ndropped, 1);
	assert_int_equal(dropped[0], 70);
	wr_cinstance_free(in);
	wr_clinker_free(l);
	wr_store_free(s);
	wr_component_free(c);
}

/* A resource type is not defined by the linker: unlinkable, naming it. */
static void test_missing_resource(void **state)
{
	wr_store *s = wr_store_new();
	wr_component *c = load(link_res_wasm, link_res_wasm_len);
	wr_clinker *l = wr_clinker_new();
	assert_true(wr_clinker_define_func(l, "test:demo/res", "[constructor]thing", thing_new, NULL));
	wr_trap t;
	assert_null(wr_component_instantiate(s, c, l, &t));
	assert_non_null(strstr(t.message, "test:demo/res#thing"));
	wr_clinker_free(l);
	wr_store_free(s);
	wr_component_free(c);
}

/* ---- guest resources: one type per instantiation ---- */

static void test_resource_identity(void **state)
{
	wr_store *s = wr_store_new();
	wr_component *c = load(link_own_wasm, link_own_wasm_len);
	wr_trap t;
	wr_cinstance *a = wr_component_instantiate(s, c, NULL, &t);
	wr_cinstance *b = wr_component_instantiate(s, c, NULL, &t);
	assert_non_null(a);
	assert_non_null(b);
	wr_cval arg = u32v(5), ha, hb, r;
	assert_int_equal(wr_cinstance_call(a, "make", &arg, 1, &ha, &t), WR_OK);
	assert_int_equal(wr_cinstance_call(b, "make", &arg, 1, &hb, &t), WR_OK);
	assert_int_equal(ha.kind, WR_C_OWN);
	assert_int_equal(ha.of.handle.rep, 5);
	assert_ptr_not_equal(ha.of.handle.type, hb.of.handle.type);
	wr_cval borrow = ha;
	borrow.kind = WR_C_BORROW;
	assert_int_equal(wr_cinstance_call(a, "peek", &borrow, 1, &r, &t), WR_OK);
	assert_int_equal(r.of.u, 5);
	assert_int_not_equal(wr_cinstance_call(b, "peek", &borrow, 1, &r, &t), WR_OK);
	wr_cinstance_free(a);
	wr_cinstance_free(b);
	wr_store_free(s);
	wr_component_free(c);
}

/* ---- a component instance serving an import ---- */

static void test_define_instance(void **state)
{
	wr_store *s = wr_store_new();
	wr_component *host = load(link_host_wasm, link_host_wasm_len);
	wr_component *user = load(link_user_wasm, link_user_wasm_len);
	wr_component *bad = load(link_bad_wasm, link_bad_wasm_len);
	wr_clinker *l = wr_clinker_new(), *l2 = wr_clinker_new();
	define_host(l, "test:demo/host@0.2.9", &bias900);
	wr_trap t;
	wr_cinstance *h = wr_component_instantiate(s, host, l, &t);
	assert_non_null(h);
	assert_false(wr_clinker_define_instance(l2, "test:demo/api@1.1.0", h, "greet"));
	assert_false(wr_clinker_define_instance(l2, "test:demo/api@1.1.0", h, "nope"));
	assert_true(wr_clinker_define_instance(l2, "test:demo/api@1.1.0", h, "api"));
	wr_cinstance *u = wr_component_instantiate(s, user, l2, &t);
	if (!u)
		print_message("instantiate: %s\n", t.message);
	assert_non_null(u);
	wr_cval r;
	assert_int_equal(wr_cinstance_call(u, "run", NULL, 0, &r, &t), WR_OK);
	assert_int_equal(r.of.u, 2 * (20 + 900) + 2);
	assert_null(wr_component_instantiate(s, bad, l2, &t));
	assert_int_equal(t.kind, WR_TRAP_LINK);
	assert_non_null(strstr(t.message, "type mismatch"));
	wr_cinstance_free(u);
	wr_cinstance_free(h);
	wr_clinker_free(l2);
	wr_clinker_free(l);
	wr_store_free(s);
	wr_component_free(bad);
	wr_component_free(user);
	wr_component_free(host);
}

/* ---- async calls that complete synchronously ---- */

static wr_trapkind call_u32(wr_cinstance *in, const char *name, uint32_t x, wr_cval *r,
                            wr_trap *t)
{
	wr_cval arg = u32v(x);
	return wr_cinstance_call(in, name, &arg, 1, r, t);
}

static void test_async(void **state)
{
	wr_store *s = wr_store_new();
	wr_component *c = load(link_async_wasm, link_async_wasm_len);
	wr_trap t;
	wr_cval r;
	wr_cinstance *in = wr_component_instantiate(s, c, NULL, &t);
	if (!in)
		print_message("instantiate: %s\n", t.message);
	assert_non_null(in);
	assert_int_equal(call_u32(in, "good", 41, &r, &t), WR_OK);
	assert_int_equal(r.of.u, 42);
	assert_int_equal(call_u32(in, "run", 5, &r, &t), WR_OK);
	assert_int_equal(r.of.u, 6);
	assert_int_equal(call_u32(in, "none", 1, &r, &t), WR_TRAP_HOST);
	assert_non_null(strstr(t.message, "without calling task.return"));
	assert_int_equal(call_u32(in, "good", 1, &r, &t), WR_TRAP_HOST);
	assert_non_null(strstr(t.message, "cannot enter component instance"));
	wr_cinstance_free(in);
	in = wr_component_instantiate(s, c, NULL, &t);
	assert_non_null(in);
	assert_int_equal(call_u32(in, "twice", 1, &r, &t), WR_TRAP_HOST);
	assert_non_null(strstr(t.message, "no async task awaits a result"));
	wr_cinstance_free(in);
	wr_store_free(s);
	wr_component_free(c);
}

/* ---- sizes ---- */

/* Names looked up through indices: a core instance of 20 exports, 20
 * `with` arguments, an instance of 21 exports. */
static void test_many_names(void **state)
{
	wr_store *s = wr_store_new();
	wr_component *c = load(link_many_wasm, link_many_wasm_len);
	wr_trap t;
	wr_cinstance *in = wr_component_instantiate(s, c, NULL, &t);
	if (!in)
		print_message("instantiate: %s\n", t.message);
	assert_non_null(in);
	wr_cval r;
	assert_int_equal(wr_cinstance_call(in, "all#sum", NULL, 0, &r, &t), WR_OK);
	assert_int_equal(r.of.u, 1900);
	assert_int_equal(wr_cinstance_call(in, "all#h17", NULL, 0, &r, &t), WR_OK);
	assert_int_equal(r.of.u, 170);
	assert_null(wr_cinstance_func(in, "all#h20"));
	wr_cinstance_free(in);
	wr_store_free(s);
	wr_component_free(c);
}

/* Instantiations that double at each of 22 levels are refused, quickly. */
static void test_too_deep(void **state)
{
	wr_store *s = wr_store_new();
	wr_component *c = load(link_deep_wasm, link_deep_wasm_len);
	wr_trap t;
	assert_null(wr_component_instantiate(s, c, NULL, &t));
	assert_int_equal(t.kind, WR_TRAP_LINK);
	assert_non_null(strstr(t.message, "too many component instantiations"));
	wr_store_free(s);
	wr_component_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_funcs),
		cmocka_unit_test(test_host_trap),
		cmocka_unit_test(test_unlinkable),
		cmocka_unit_test(test_trap_unknown),
		cmocka_unit_test(test_host_resource),
		cmocka_unit_test(test_missing_resource),
		cmocka_unit_test(test_resource_identity),
		cmocka_unit_test(test_define_instance),
		cmocka_unit_test(test_async),
		cmocka_unit_test(test_many_names),
		cmocka_unit_test(test_too_deep),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
