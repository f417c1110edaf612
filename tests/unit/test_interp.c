/*
 * test_interp.c: the compiler and interpreter, through include/wrun.h only.
 *
 * Each test assembles a small module with wat2wasm at run time, so the
 * source of what is being run sits next to what is expected of it. The
 * cases aim at the compiler's peepholes (operands read from locals, results
 * retargeted into locals, compare-and-branch fusion, immediates), at
 * control flow that moves values between slots (block results and
 * parameters, br_if and br_table with values, multi-value returns), and at
 * traps, which must leave the store usable. cmocka installs its own
 * SIGSEGV handler around each test, after the store's: the out-of-bounds
 * tests also check that wr_call takes the signal back. Build the library with
 * -DWR_SWITCH_DISPATCH to run the same tests on the switch dispatcher.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "wrun.h"

/* Assemble WAT text into a module (NULL on failure). */
static wr_module *load_wat(const char *wat)
{
	char src[] = "/tmp/wrun-interp-XXXXXX.wat";
	int fd = mkstemps(src, 4);
	if (fd < 0)
		return NULL;
	size_t len = strlen(wat);
	bool ok = write(fd, wat, len) == (ssize_t)len;
	close(fd);
	char out[sizeof(src) + 8], cmd[256];
	snprintf(out, sizeof(out), "%s.wasm", src);
	snprintf(cmd, sizeof(cmd), "wat2wasm %s -o %s", src, out);
	ok = ok && system(cmd) == 0;
	unlink(src);
	FILE *f = ok ? fopen(out, "rb") : NULL;
	static uint8_t buf[1 << 16];
	size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;
	if (f)
		fclose(f);
	unlink(out);
	if (!n)
		return NULL;
	wr_diag diag;
	wr_module *m = wr_module_load(buf, n, &diag);
	if (!m)
		fprintf(stderr, "load failed: %s at %zu\n", diag.message, diag.offset);
	return m;
}

/* A module instantiated in a fresh store. */
typedef struct inst {
	wr_store *s;
	wr_module *m;
	wr_instance *i;
} inst;

static inst make(const char *wat, const wr_extern *imports, size_t nimports, wr_store *s)
{
	inst t = { s ? s : wr_store_new(), load_wat(wat), NULL };
	assert_non_null(t.m);
	wr_trap trap;
	t.i = wr_instantiate(t.s, t.m, imports, nimports, &trap);
	assert_non_null(t.i);
	return t;
}

static void drop(inst *t)
{
	wr_store_free(t->s);
	wr_module_free(t->m);
}

static wr_func *fn(const inst *t, const char *name)
{
	wr_extern e;
	assert_true(wr_instance_export(t->i, name, &e));
	assert_int_equal(e.kind, WR_EXTERN_FUNC);
	return e.of.func;
}

static wr_value i32(int32_t v) { return (wr_value){ .type = WR_I32, .of.i32 = v }; }
static wr_value i64(int64_t v) { return (wr_value){ .type = WR_I64, .of.i64 = v }; }

/* Call an export taking and returning i32s; traps fail the test. */
static int32_t call_i32(const inst *t, const char *name, int n, ...)
{
	wr_value args[6], res = { .type = WR_I32 };
	va_list ap;
	assert_true(n >= 0 && n <= 6);
	va_start(ap, n);
	for (int k = 0; k < n; k++)
		args[k] = i32(va_arg(ap, int32_t));
	va_end(ap);
	wr_trap trap;
	wr_trapkind r = wr_call(fn(t, name), args, (size_t)n, &res, 1, &trap);
	if (r != WR_OK)
		fprintf(stderr, "%s trapped: %s\n", name, trap.message);
	assert_int_equal(r, WR_OK);
	return res.of.i32;
}

/* Call an export expecting a trap; returns its kind, message in trap. */
static wr_trapkind call_trap(const inst *t, const char *name, int32_t arg, size_t nres,
                             wr_trap *trap)
{
	wr_value a = i32(arg), res[2];
	wr_func *f = fn(t, name);
	wr_functype ft;
	wr_func_type(f, &ft);
	return wr_call(f, &a, ft.nparams, res, nres, trap);
}

static const char *arith_wat =
	"(module\n"
	"  (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)\n"
	"  (func (export \"sub_from_10\") (param i32) (result i32) i32.const 10 local.get 0 i32.sub)\n"
	"  (func (export \"lt_imm\") (param i32) (result i32) i32.const 5 local.get 0 i32.lt_s)\n"
	"  (func (export \"div_s\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)\n"
	"  (func (export \"rem_s\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.rem_s)\n"
	"  (func (export \"rotl\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.rotl)\n"
	"  (func (export \"clz\") (param i32) (result i32) local.get 0 i32.clz)\n"
	"  (func (export \"shr_s_imm\") (param i32) (result i32) local.get 0 i32.const 33 i32.shr_s)\n"
	"  (func (export \"wide\") (param i32) (result i32)\n"
	"    local.get 0 i64.extend_i32_s i64.const 0x100000000 i64.mul\n"
	"    i64.const 32 i64.shr_s i32.wrap_i64)\n"
	"  (func (export \"trunc\") (param i32) (result i32)\n"
	"    local.get 0 f64.convert_i32_s f64.const 1e10 f64.mul i32.trunc_f64_s)\n"
	"  (func (export \"sat\") (param i32) (result i32)\n"
	"    local.get 0 f64.convert_i32_s f64.const 1e10 f64.mul i32.trunc_sat_f64_s)\n"
	"  (func (export \"fmin\") (param i32) (result i32)\n"
	"    f32.const -0 f32.const 0 f32.min i32.reinterpret_f32 local.get 0 i32.add))\n";

/* Integer and float semantics, in register and immediate forms. */
static void test_arith(void **state)
{
	inst t = make(arith_wat, NULL, 0, NULL);
	assert_int_equal(call_i32(&t, "add", 2, 40, 2), 42);
	assert_int_equal(call_i32(&t, "add", 2, INT32_MAX, 1), INT32_MIN);
	assert_int_equal(call_i32(&t, "sub_from_10", 1, 3), 7);
	assert_int_equal(call_i32(&t, "lt_imm", 1, 6), 1);
	assert_int_equal(call_i32(&t, "lt_imm", 1, 5), 0);
	assert_int_equal(call_i32(&t, "div_s", 2, -7, 2), -3);
	assert_int_equal(call_i32(&t, "rem_s", 2, -7, 2), -1);
	assert_int_equal(call_i32(&t, "rem_s", 2, INT32_MIN, -1), 0);
	assert_int_equal(call_i32(&t, "rotl", 2, (int32_t)0x80000001u, 33), 3);
	assert_int_equal(call_i32(&t, "clz", 1, 0), 32);
	assert_int_equal(call_i32(&t, "clz", 1, 1), 31);
	assert_int_equal(call_i32(&t, "shr_s_imm", 1, -8), -4);
	assert_int_equal(call_i32(&t, "wide", 1, -5), -5);
	assert_int_equal(call_i32(&t, "sat", 1, 1), INT32_MAX);
	assert_int_equal(call_i32(&t, "sat", 1, -1), INT32_MIN);
	assert_int_equal(call_i32(&t, "trunc", 1, 0), 0);
	assert_int_equal(call_i32(&t, "fmin", 1, 0), (int32_t)0x80000000u);

	wr_trap trap;
	wr_value a[2] = { i32(1), i32(0) }, r;
	assert_int_equal(wr_call(fn(&t, "div_s"), a, 2, &r, 1, &trap), WR_TRAP_DIV_ZERO);
	assert_string_equal(trap.message, "integer divide by zero");
	a[0] = i32(INT32_MIN);
	a[1] = i32(-1);
	assert_int_equal(wr_call(fn(&t, "div_s"), a, 2, &r, 1, &trap), WR_TRAP_INT_OVERFLOW);
	assert_string_equal(trap.message, "integer overflow");
	assert_string_equal(trap.func, "div_s");
	assert_int_equal(call_trap(&t, "trunc", 1, 1, &trap), WR_TRAP_INT_OVERFLOW);
	drop(&t);
}

static const char *locals_wat =
	"(module\n"
	/* the first operand names local 0, which is overwritten before the add */
	"  (func (export \"alias\") (param i32) (result i32)\n"
	"    local.get 0\n"
	"    local.get 0 i32.const 1 i32.add local.set 0\n"
	"    local.get 0 i32.add)\n"
	/* local.tee retargets the multiply into local 1, which stays on the stack */
	"  (func (export \"tee\") (param i32) (result i32) (local i32)\n"
	"    local.get 0 local.get 0 i32.mul local.tee 1\n"
	"    local.get 1 i32.add)\n"
	/* a stack entry naming local 0 must survive a block that writes it */
	"  (func (export \"block_alias\") (param i32) (result i32)\n"
	"    local.get 0\n"
	"    (block (br_if 0 (i32.eqz (local.get 0))) (local.set 0 (i32.const 100)))\n"
	"    local.get 0 i32.add)\n"
	/* swap through the stack: both reads happen before both writes */
	"  (func (export \"swap\") (param i32 i32) (result i32)\n"
	"    local.get 1 local.get 0 local.set 1 local.set 0\n"
	"    local.get 0 i32.const 16 i32.shl local.get 1 i32.or)\n"
	"  (func (export \"zeroed\") (param i32) (result i32) (local i32 i64 f64)\n"
	"    local.get 1 local.get 2 i32.wrap_i64 i32.or\n"
	"    local.get 3 i32.trunc_f64_s i32.or local.get 0 i32.add\n"
	"    local.get 0 local.set 1))\n";

/* The stack model: entries aliasing locals, retargeting, zeroed locals. */
static void test_locals(void **state)
{
	inst t = make(locals_wat, NULL, 0, NULL);
	assert_int_equal(call_i32(&t, "alias", 1, 10), 21);
	assert_int_equal(call_i32(&t, "tee", 1, 3), 18);
	assert_int_equal(call_i32(&t, "block_alias", 1, 0), 0);
	assert_int_equal(call_i32(&t, "block_alias", 1, 5), 105);
	assert_int_equal(call_i32(&t, "swap", 2, 1, 2), 0x20001);
	assert_int_equal(call_i32(&t, "zeroed", 1, 7), 7);
	assert_int_equal(call_i32(&t, "zeroed", 1, 8), 8);
	drop(&t);
}

static const char *control_wat =
	"(module\n"
	"  (func (export \"sum\") (param i32) (result i32) (local i32 i32)\n"
	"    (block (loop\n"
	"      (br_if 1 (i32.ge_s (local.get 1) (local.get 0)))\n"
	"      (local.set 2 (i32.add (local.get 2) (local.get 1)))\n"
	"      (local.set 1 (i32.add (local.get 1) (i32.const 1)))\n"
	"      (br 0)))\n"
	"    local.get 2)\n"
	"  (func (export \"count_down\") (param i32) (result i32) (local i32)\n"
	"    (loop (local.set 1 (i32.add (local.get 1) (i32.const 2)))\n"
	"      (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))\n"
	"    local.get 1)\n"
	"  (func (export \"table\") (param i32) (result i32)\n"
	"    (block (result i32) (block (result i32) (block (result i32)\n"
	"      i32.const 10 local.get 0 br_table 0 1 2)\n"
	"      i32.const 1 i32.add) i32.const 2 i32.add))\n"
	"  (func (export \"table_loop\") (param i32) (result i32) (local i32)\n"
	"    (block (loop\n"
	"      (local.set 1 (i32.add (local.get 1) (i32.const 1)))\n"
	"      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))\n"
	"      (br_table 0 1 (i32.eqz (local.get 0)))))\n"
	"    local.get 1)\n"
	"  (func (export \"br_if_value\") (param i32) (result i32)\n"
	"    (block (result i32)\n"
	"      i32.const 7 i32.const 99 local.get 0 br_if 0 drop\n"
	"      i32.const 1 i32.add))\n"
	"  (func (export \"if_else\") (param i32) (result i32)\n"
	"    (if (result i32) (i32.gt_u (local.get 0) (i32.const 10))\n"
	"      (then (i32.const 1)) (else (if (result i32) (local.get 0)\n"
	"        (then (i32.const 2)) (else (i32.const 3))))))\n"
	"  (func (export \"params\") (param i32) (result i32)\n"
	"    local.get 0 i32.const 3\n"
	"    (block (param i32 i32) (result i32) i32.mul)\n"
	"    (loop (param i32) (result i32) i32.const 1 i32.add))\n"
	"  (func $pair (param i32) (result i32 i32) local.get 0 i32.const 1 i32.add local.get 0)\n"
	"  (func (export \"multi\") (param i32) (result i32)\n"
	"    local.get 0 call $pair i32.sub)\n"
	"  (func (export \"early\") (param i32) (result i32)\n"
	"    (if (local.get 0) (then (return (i32.const 5))))\n"
	"    (br_if 0 (i32.const 6) (i32.eqz (local.get 0)))\n"
	"    unreachable)\n"
	"  (func (export \"select\") (param i32) (result i32)\n"
	"    i32.const 11 i32.const 22 local.get 0 select))\n";

/* Loops, fused branches, br_table, block parameters, multi-value. */
static void test_control(void **state)
{
	inst t = make(control_wat, NULL, 0, NULL);
	assert_int_equal(call_i32(&t, "sum", 1, 100), 4950);
	assert_int_equal(call_i32(&t, "sum", 1, 0), 0);
	assert_int_equal(call_i32(&t, "count_down", 1, 10), 20);
	assert_int_equal(call_i32(&t, "table", 1, 0), 13);
	assert_int_equal(call_i32(&t, "table", 1, 1), 12);
	assert_int_equal(call_i32(&t, "table", 1, 2), 10);
	assert_int_equal(call_i32(&t, "table", 1, 1000), 10);
	assert_int_equal(call_i32(&t, "table_loop", 1, 5), 5);
	assert_int_equal(call_i32(&t, "br_if_value", 1, 1), 99);
	assert_int_equal(call_i32(&t, "br_if_value", 1, 0), 8);
	assert_int_equal(call_i32(&t, "if_else", 1, 11), 1);
	assert_int_equal(call_i32(&t, "if_else", 1, 4), 2);
	assert_int_equal(call_i32(&t, "if_else", 1, 0), 3);
	assert_int_equal(call_i32(&t, "params", 1, 5), 16);
	assert_int_equal(call_i32(&t, "multi", 1, 5), 1);
	assert_int_equal(call_i32(&t, "early", 1, 1), 5);
	assert_int_equal(call_i32(&t, "early", 1, 0), 6);
	assert_int_equal(call_i32(&t, "select", 1, 1), 11);
	assert_int_equal(call_i32(&t, "select", 1, 0), 22);
	drop(&t);
}

static const char *trap_wat =
	"(module\n"
	"  (memory 1)\n"
	"  (table 2 funcref)\n"
	"  (elem (i32.const 0) $id)\n"
	"  (type $v (func (result i32)))\n"
	"  (func $id (param i32) (result i32) local.get 0)\n"
	"  (func (export \"load\") (param i32) (result i32) local.get 0 i32.load offset=4)\n"
	"  (func (export \"store\") (param i32) (result i32)\n"
	"    local.get 0 i32.const 0x01020304 i32.store i32.const 0 i32.load)\n"
	"  (func $rec (export \"rec\") (param i32) (result i32)\n"
	"    local.get 0 i32.const 1 i32.add call $rec)\n"
	"  (func (export \"unreachable\") (param i32) (result i32) unreachable)\n"
	"  (func (export \"indirect\") (param i32) (result i32)\n"
	"    i32.const 9 local.get 0 call_indirect (param i32) (result i32))\n"
	"  (func (export \"indirect_type\") (param i32) (result i32)\n"
	"    local.get 0 call_indirect (type $v))\n"
	"  (func (export \"fill\") (param i32) (result i32)\n"
	"    (memory.fill (local.get 0) (i32.const 0xff) (i32.const 16))\n"
	"    i32.const 65535 i32.load8_u)\n"
	"  (func (export \"grow\") (param i32) (result i32)\n"
	"    local.get 0 memory.grow drop memory.size))\n";

/* Traps of every kind, each followed by a successful call on the same
 * store to show the trap unwound the stacks. */
static void test_traps(void **state)
{
	inst t = make(trap_wat, NULL, 0, NULL);
	wr_trap trap;
	assert_int_equal(call_trap(&t, "load", 65532, 1, &trap), WR_TRAP_MEMORY_OOB);
	assert_string_equal(trap.message, "out of bounds memory access");
	assert_string_equal(trap.func, "load");
	assert_int_equal(call_trap(&t, "load", -1, 1, &trap), WR_TRAP_MEMORY_OOB);
	assert_int_equal(call_i32(&t, "load", 1, 65528), 0);
	assert_int_equal(call_trap(&t, "store", 65534, 1, &trap), WR_TRAP_MEMORY_OOB);
	assert_int_equal(call_i32(&t, "store", 1, 0), 0x01020304);
	assert_int_equal(call_trap(&t, "rec", 0, 1, &trap), WR_TRAP_STACK_EXHAUSTED);
	assert_string_equal(trap.message, "call stack exhausted");
	assert_int_equal(call_trap(&t, "unreachable", 0, 1, &trap), WR_TRAP_UNREACHABLE);
	assert_int_equal(call_i32(&t, "indirect", 1, 0), 9);
	assert_int_equal(call_trap(&t, "indirect", 1, 1, &trap), WR_TRAP_INDIRECT_NULL);
	assert_string_equal(trap.message, "uninitialized element");
	assert_int_equal(call_trap(&t, "indirect", 2, 1, &trap), WR_TRAP_TABLE_OOB);
	assert_string_equal(trap.message, "undefined element");
	assert_int_equal(call_trap(&t, "indirect_type", 0, 1, &trap), WR_TRAP_INDIRECT_TYPE);
	assert_string_equal(trap.message, "indirect call type mismatch");
	assert_int_equal(call_trap(&t, "fill", 65530, 1, &trap), WR_TRAP_MEMORY_OOB);
	assert_int_equal(call_i32(&t, "fill", 1, 65520), 255);
	assert_int_equal(call_i32(&t, "grow", 1, 1), 2);
	assert_int_equal(call_i32(&t, "load", 1, 65532), 0);
	assert_int_equal(call_i32(&t, "grow", 1, 70000), 2);
	drop(&t);
}

/* A host function that calls back into wasm (re-entrancy), or traps. */
static wr_trapkind host_back(wr_hostcall *hc, uint64_t *slots, void *user)
{
	int32_t n = (int32_t)slots[0];
	if (n < 0)
		return wr_hostcall_trap(hc, "negative");
	if (n == 99)
		return wr_hostcall_exit(hc, 3);
	wr_value a = i32(n), r;
	wr_trap trap;
	wr_trapkind k = wr_call(*(wr_func **)user, &a, 1, &r, 1, &trap);
	if (k != WR_OK)
		return wr_hostcall_trap(hc, trap.message);
	slots[0] = (uint32_t)(r.of.i32 + 1000);
	return WR_OK;
}

static const char *host_wat =
	"(module\n"
	"  (import \"env\" \"back\" (func $back (param i32) (result i32)))\n"
	/* down(n) = n <= 0 ? 0 : back(n - 1) + 1, and back(k) = down(k) + 1000 */
	"  (func $down (export \"down\") (param i32) (result i32)\n"
	"    (if (result i32) (i32.le_s (local.get 0) (i32.const 0))\n"
	"      (then (i32.const 0))\n"
	"      (else (i32.add (call $back (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))\n"
	"  (func (export \"direct\") (param i32) (result i32) (call $back (local.get 0)))\n"
	"  (func (export \"spin\") (param i32) (result i32) (loop (br 0)) i32.const 0))\n";

static void test_host(void **state)
{
	static const uint8_t one[] = { WR_I32 };
	wr_functype ft = { 1, 1, one, one };
	wr_store *s = wr_store_new();
	static wr_func *down;
	wr_extern imp = { WR_EXTERN_FUNC, { .func = wr_func_new_host(s, &ft, host_back, &down, "back") } };
	inst t = make(host_wat, &imp, 1, s);
	down = fn(&t, "down");
	assert_int_equal(call_i32(&t, "down", 1, 3), 3003);
	wr_trap trap;
	assert_int_equal(call_trap(&t, "direct", -1, 1, &trap), WR_TRAP_HOST);
	assert_string_equal(trap.message, "negative");
	assert_string_equal(trap.func, "back");
	assert_int_equal(call_trap(&t, "direct", 99, 1, &trap), WR_TRAP_EXIT);
	assert_int_equal(trap.exit_code, 3);
	assert_int_equal(call_i32(&t, "direct", 1, 2), 3002);
	/* re-entry without end: a trap, not a C stack overflow */
	assert_int_equal(call_trap(&t, "down", 1000000, 1, &trap), WR_TRAP_HOST);
	assert_string_equal(trap.message, "call stack exhausted");
	assert_int_equal(call_i32(&t, "down", 1, 2), 2002);

	/* fuel stops an endless loop, and the store runs again with more */
	wr_store_set_fuel(s, 10000);
	assert_int_equal(call_trap(&t, "spin", 0, 1, &trap), WR_TRAP_FUEL);
	assert_int_equal(wr_store_fuel_left(s), 0);
	wr_store_set_fuel(s, 0);
	assert_int_equal(call_i32(&t, "down", 1, 1), 1001);
	drop(&t);
}

static const char *i64_wat =
	"(module\n"
	"  (func (export \"fac\") (param i64) (result i64)\n"
	"    (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))\n"
	"      (else (i64.mul (local.get 0) (call 0 (i64.sub (local.get 0) (i64.const 1)))))))\n"
	"  (func (export \"big_imm\") (param i64) (result i64)\n"
	"    (block (br_if 0 (i64.gt_u (local.get 0) (i64.const 0x123456789)))\n"
	"      (return (i64.const -1)))\n"
	"    local.get 0 i64.const 0x7fffffffffffffff i64.and))\n";

static void test_i64(void **state)
{
	inst t = make(i64_wat, NULL, 0, NULL);
	wr_value a = i64(20), r = { .type = WR_I64 };
	assert_int_equal(wr_call(fn(&t, "fac"), &a, 1, &r, 1, NULL), WR_OK);
	assert_int_equal(r.of.i64, 2432902008176640000LL);
	a = i64(5);
	assert_int_equal(wr_call(fn(&t, "big_imm"), &a, 1, &r, 1, NULL), WR_OK);
	assert_int_equal(r.of.i64, -1);
	a = i64(-2);
	assert_int_equal(wr_call(fn(&t, "big_imm"), &a, 1, &r, 1, NULL), WR_OK);
	assert_int_equal(r.of.i64, INT64_MAX - 1);
	drop(&t);
}

static const char *fused_wat =
	"(module\n"
	"  (memory 1)\n"
	"  (data (i32.const 0) \"\\01\\00\\00\\00\\02\\00\\00\\00\\03\\00\\00\\00\")\n"
	/* the address add wraps: -1 + 5 is address 4, not 2^32 + 4 */
	"  (func (export \"wrap_load\") (param i32) (result i32)\n"
	"    (i32.load (i32.add (local.get 0) (i32.const 5))))\n"
	"  (func (export \"wrap_store\") (param i32) (result i32)\n"
	"    (i32.store (i32.add (local.get 0) (i32.const 9)) (i32.const 77))\n"
	"    (i32.load (i32.const 8)))\n"
	/* the sum is kept in a local and used again after the load */
	"  (func (export \"kept_sum\") (param i32) (result i32) (local i32)\n"
	"    (i32.load (local.tee 1 (i32.add (local.get 0) (i32.const 4))))\n"
	"    local.get 1 i32.add)\n"
	"  (func (export \"const_addr\") (param i32) (result i32)\n"
	"    (i32.store offset=4 (i32.const 8) (local.get 0))\n"
	"    (i32.load (i32.const 12)))\n"
	"  (func (export \"neg\") (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0)))\n"
	/* separately rounded: (1+e)(1-e) rounds to 1, so the sum is 0, not -e*e */
	"  (func (export \"no_fma\") (param i32) (result i32) (local f64 f64 f64)\n"
	"    (local.set 1 (f64.const -1))\n"
	"    (local.set 2 (f64.const 0x1.00000004p+0))\n"
	"    (local.set 3 (f64.const 0x1.fffffff8p-1))\n"
	"    (f64.add (local.get 1) (f64.mul (local.get 2) (local.get 3)))\n"
	"    f64.const 0 f64.eq)\n"
	"  (func (export \"mul_sub\") (param i32) (result i32) (local f64 f64)\n"
	"    (local.set 1 (f64.convert_i32_s (local.get 0)))\n"
	"    (local.set 2 (f64.const 1))\n"
	"    (f64.sub (f64.mul (local.get 1) (local.get 1)) (local.get 2))\n"
	"    (f64.sub (local.get 1) (f64.mul (local.get 1) (local.get 1)))\n"
	"    f64.add i32.trunc_f64_s))\n";

/* Loads and stores fused with the add that computes their address, constant
 * addresses, the zero slot and multiply-add fusion. */
static void test_fused(void **state)
{
	inst t = make(fused_wat, NULL, 0, NULL);
	assert_int_equal(call_i32(&t, "wrap_load", 1, -1), 2);
	assert_int_equal(call_i32(&t, "wrap_load", 1, 3), 3);
	assert_int_equal(call_i32(&t, "wrap_store", 1, -1), 77);
	assert_int_equal(call_i32(&t, "kept_sum", 1, 0), 2 + 4);
	assert_int_equal(call_i32(&t, "const_addr", 1, 1234), 1234);
	assert_int_equal(call_i32(&t, "neg", 1, 5), -5);
	assert_int_equal(call_i32(&t, "no_fma", 1, 0), 1);
	assert_int_equal(call_i32(&t, "mul_sub", 1, 7), (49 - 1) + (7 - 49));
	wr_trap trap;
	assert_int_equal(call_trap(&t, "wrap_load", 65533, 1, &trap), WR_TRAP_MEMORY_OOB);
	drop(&t);
}

static const char *fused2_wat =
	"(module\n"
	"  (memory 1)\n"
	/* leaves its locals' slots dirty for the next call at the same base */
	"  (func (export \"dirty\") (param i32) (result i32) (local i32 i32 i32)\n"
	"    (local.set 1 (i32.const 99)) (local.set 2 (i32.const 99))\n"
	"    (local.set 3 (i32.const 99)) (local.get 0))\n"
	/* a write inside an if does not cover the read after it */
	"  (func (export \"cond_local\") (param i32) (result i32) (local i32)\n"
	"    (if (local.get 0) (then (local.set 1 (i32.const 5))))\n"
	"    (local.get 1))\n"
	/* branches to a block's end before the write: local 1 unwritten there */
	"  (func (export \"br_before\") (param i32) (result i32) (local i32 i32)\n"
	"    (block $b (br_if $b (local.get 0)) (local.set 1 (i32.const 5)))\n"
	"    (local.get 1))\n"
	"  (func (export \"table_before\") (param i32) (result i32) (local i32 i32)\n"
	"    (block $b (block $c (br_table $c $b (local.get 0)))\n"
	"      (local.set 1 (i32.const 5)))\n"
	"    (local.get 1))\n"
	/* written before every branch to the end, and at a loop's level: covered */
	"  (func (export \"br_after\") (param i32) (result i32) (local i32 i32)\n"
	"    (block $b (local.set 1 (i32.const 5)) (br_if $b (local.get 0))\n"
	"      (local.set 1 (i32.const 6)))\n"
	"    (loop $l (local.set 2 (i32.const 10)))\n"
	"    (i32.add (local.get 1) (local.get 2)))\n"
	/* the branch to $a comes after local 1's write but inside the if, which
	 * a path skips; local 2 is written after the if, past that branch */
	"  (func (export \"br_in_if\") (param i32) (result i32) (local i32 i32)\n"
	"    (block $a\n"
	"      (if (i32.and (local.get 0) (i32.const 1))\n"
	"        (then (local.set 1 (i32.const 5)) (br_if $a (i32.and (local.get 0) (i32.const 2)))))\n"
	"      (local.set 2 (i32.const 7)))\n"
	"    (i32.add (i32.mul (local.get 1) (i32.const 100)) (local.get 2)))\n"
	/* local 2 is read at the loop head before the body first writes it;
	 * the counter's add fuses with the branch (immediate comparison) */
	"  (func (export \"loop_local\") (param i32) (result i32) (local i32 i32)\n"
	"    (loop $l\n"
	"      (local.set 1 (i32.add (local.get 1) (local.get 2)))\n"
	"      (local.set 2 (i32.const 1))\n"
	"      (br_if $l (i32.gt_s (local.tee 0 (i32.add (local.get 0) (i32.const -1)))\n"
	"                          (i32.const 0))))\n"
	"    (local.get 1))\n"
	/* the sum is the second operand of the comparison; register add */
	"  (func (export \"count_up\") (param i32) (result i32) (local i32 i32 i32)\n"
	"    (local.set 3 (i32.const 1))\n"
	"    (loop $l\n"
	"      (local.set 2 (i32.add (local.get 2) (i32.const 3)))\n"
	"      (br_if $l (i32.gt_u (local.get 0)\n"
	"                          (local.tee 1 (i32.add (local.get 1) (local.get 3))))))\n"
	"    (local.get 2))\n"
	/* f64 loads fused into arithmetic, arithmetic fused into stores */
	"  (func (export \"f64_ops\") (param i32) (result i32) (local f64)\n"
	"    (f64.store (i32.const 0) (f64.const 10))\n"
	"    (f64.store (i32.const 8) (f64.convert_i32_s (local.get 0)))\n"
	"    (local.set 1 (f64.const 2))\n"
	"    (f64.store (i32.const 16) (f64.sub (local.get 1) (f64.load (i32.const 8))))\n"
	"    (f64.store (i32.const 24) (f64.sub (f64.load (i32.const 0)) (local.get 1)))\n"
	"    (f64.store (i32.const 32) (f64.add (f64.mul (local.get 1) (local.get 1)) (local.get 1)))\n"
	"    (f64.store (i32.const 56) (f64.mul (local.get 1) (f64.load (i32.const 24))))\n"
	"    (f64.store offset=48 (local.get 0) (f64.add (local.get 1) (local.get 1)))\n"
	"    (f64.add (f64.load (i32.const 16)) (f64.mul (f64.load (i32.const 24)) (f64.const 10)))\n"
	"    (f64.add (f64.mul (f64.load (i32.const 32)) (f64.const 100)))\n"
	"    (f64.add (f64.mul (f64.load offset=48 (local.get 0)) (f64.const 1000)))\n"
	"    (f64.add (f64.mul (f64.load (i32.const 56)) (f64.const 10000)))\n"
	"    i32.trunc_f64_s))\n";

/* Only locals some path reads before writing are zeroed on entry; add and
 * backward branch fusion; f64 load-operate and operate-store fusion. */
static void test_fused2(void **state)
{
	inst t = make(fused2_wat, NULL, 0, NULL);
	assert_int_equal(call_i32(&t, "dirty", 1, 7), 7);
	assert_int_equal(call_i32(&t, "cond_local", 1, 0), 0);
	assert_int_equal(call_i32(&t, "cond_local", 1, 1), 5);
	assert_int_equal(call_i32(&t, "dirty", 1, 7), 7);
	assert_int_equal(call_i32(&t, "dirty", 1, 7), 7);
	assert_int_equal(call_i32(&t, "br_before", 1, 1), 0);
	assert_int_equal(call_i32(&t, "br_before", 1, 0), 5);
	assert_int_equal(call_i32(&t, "dirty", 1, 7), 7);
	assert_int_equal(call_i32(&t, "table_before", 1, 1), 0);
	assert_int_equal(call_i32(&t, "table_before", 1, 0), 5);
	assert_int_equal(call_i32(&t, "dirty", 1, 7), 7);
	assert_int_equal(call_i32(&t, "br_after", 1, 1), 15);
	assert_int_equal(call_i32(&t, "br_after", 1, 0), 16);
	for (int32_t x = 0; x < 4; x++) {
		assert_int_equal(call_i32(&t, "dirty", 1, 7), 7);
		assert_int_equal(call_i32(&t, "br_in_if", 1, x), x == 3 ? 500 : x == 1 ? 507 : 7);
	}
	assert_int_equal(call_i32(&t, "loop_local", 1, 5), 4);
	assert_int_equal(call_i32(&t, "count_up", 1, 6), 18);
	assert_int_equal(call_i32(&t, "count_up", 1, 0), 3);
	assert_int_equal(call_i32(&t, "f64_ops", 1, 0), 164682);
	assert_int_equal(call_i32(&t, "f64_ops", 1, 3), 164679);
	wr_trap trap;
	assert_int_equal(call_trap(&t, "f64_ops", 65481, 1, &trap), WR_TRAP_MEMORY_OOB);
	drop(&t);
}

static const char *fused3_wat =
	"(module\n"
	"  (memory 1)\n"
	"  (data (i32.const 0) \"\\01\\00\\00\\00\\02\\00\\00\\00\\03\\00\\00\\00\\04\\00\\00\\00\")\n"
	"  (data (i32.const 64) \"\\00\\00\\00\\00\\00\\00\\24\\40\\00\\00\\00\\00\\00\\00\\10\\40\")\n"
	/* scaled-index loads: base + (x << k), the add of a slot or a constant */
	"  (func (export \"sx\") (param i32 i32) (result i32)\n"
	"    (i32.load (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 2)))))\n"
	"  (func (export \"sxi\") (param i32) (result i32)\n"
	"    (i32.load offset=4 (i32.add (i32.shl (local.get 0) (i32.const 34)) (i32.const 4))))\n"
	"  (func (export \"sx8\") (param i32) (result i32)\n"
	"    (i32.load8_u (i32.add (i32.const 4) (i32.shl (local.get 0) (i32.const 2)))))\n"
	"  (func (export \"sx16\") (param i32) (result i32)\n"
	"    (i32.load16_u (i32.add (i32.shl (local.get 0) (i32.const 1)) (local.get 0))))\n"
	/* the sum, then the shift, kept in a local: no fusion drops them */
	"  (func (export \"sum_kept\") (param i32) (result i32) (local i32)\n"
	"    (i32.add (i32.load (local.tee 1 (i32.add (i32.shl (local.get 0) (i32.const 2))\n"
	"      (i32.const 4)))) (local.get 1)))\n"
	"  (func (export \"shl_kept\") (param i32) (result i32) (local i32)\n"
	"    (i32.add (i32.load (i32.add (local.tee 1 (i32.shl (local.get 0) (i32.const 2)))\n"
	"      (i32.const 4))) (local.get 1)))\n"
	/* f64 arithmetic on a value loaded from p + 64, p + 72, p + x */
	"  (func (export \"ma\") (param i32 i32) (result i32) (local f64)\n"
	"    (local.set 2 (f64.convert_i32_s (local.get 1)))\n"
	"    (i32.trunc_f64_s (f64.add\n"
	"      (f64.mul (f64.add (local.get 2) (f64.load (i32.add (local.get 0) (i32.const 64))))\n"
	"        (f64.const 1000))\n"
	"      (f64.add\n"
	"        (f64.mul (f64.sub (f64.load (i32.add (local.get 0) (i32.const 72))) (local.get 2))\n"
	"          (f64.const 100))\n"
	"        (f64.add (f64.sub (local.get 2) (f64.load (i32.add (i32.const 72) (local.get 0))))\n"
	"          (f64.mul (local.get 2) (f64.load (i32.add (local.get 0) (local.get 1)))))))))\n"
	/* xor with a value rotated by a constant, either operand order */
	"  (func (export \"xr\") (param i32 i32) (result i32)\n"
	"    (i32.xor (local.get 1) (i32.rotl (local.get 0) (i32.const 7))))\n"
	"  (func (export \"xr2\") (param i32 i32) (result i32)\n"
	"    (i32.xor (i32.rotl (local.get 0) (i32.const 37)) (local.get 1)))\n"
	"  (func (export \"xr0\") (param i32) (result i32)\n"
	"    (i32.xor (i32.rotl (local.get 0) (i32.const 0)) (i32.const 0))))\n";

static uint32_t rotl32(uint32_t x, unsigned n)
{
	return n % 32 ? x << (n % 32) | x >> (32 - n % 32) : x;
}

/* Scaled-index loads (addresses wrap at 32 bits, shift counts are taken
 * mod 32, a kept shift or sum is still written), f64 load-operate on a
 * computed address, xor of a rotated value. */
static void test_fused3(void **state)
{
	inst t = make(fused3_wat, NULL, 0, NULL);
	assert_int_equal(call_i32(&t, "sx", 2, 0, 2), 3);
	assert_int_equal(call_i32(&t, "sx", 2, -4, 1), 1);
	assert_int_equal(call_i32(&t, "sx", 2, 0, 0x40000001), 2);
	assert_int_equal(call_i32(&t, "sxi", 1, 0), 3);
	assert_int_equal(call_i32(&t, "sxi", 1, 1), 4);
	assert_int_equal(call_i32(&t, "sxi", 1, 0x3fffffff), 2);
	assert_int_equal(call_i32(&t, "sx8", 1, 1), 3);
	assert_int_equal(call_i32(&t, "sx16", 1, 0), 0x0001);
	assert_int_equal(call_i32(&t, "sx16", 1, 4), 0x0004);
	assert_int_equal(call_i32(&t, "sum_kept", 1, 1), 3 + 8);
	assert_int_equal(call_i32(&t, "shl_kept", 1, 1), 3 + 4);
	assert_int_equal(call_i32(&t, "ma", 2, 0, 64), 68700);
	assert_int_equal(call_i32(&t, "ma", 2, 8, 64), 61920);
	assert_int_equal(call_i32(&t, "ma", 2, -8, 72), 66582);
	assert_int_equal(call_i32(&t, "xr", 2, 0x80000001, 0x55), (int32_t)(rotl32(0x80000001u, 7) ^ 0x55));
	assert_int_equal(call_i32(&t, "xr2", 2, 0x12345678, 0xff), (int32_t)(rotl32(0x12345678u, 5) ^ 0xff));
	assert_int_equal(call_i32(&t, "xr0", 1, 0x12345678), 0x12345678);
	wr_trap trap;
	assert_int_equal(call_trap(&t, "sxi", 20000, 1, &trap), WR_TRAP_MEMORY_OOB);
	wr_value a[2] = { i32(65530), i32(64) }, res;
	assert_int_equal(wr_call(fn(&t, "ma"), a, 2, &res, 1, &trap), WR_TRAP_MEMORY_OOB);
	drop(&t);
}

static const char *fused4_wat =
	"(module\n"
	"  (memory 1)\n"
	"  (data (i32.const 0) \"\\05\\00\\00\\00\\07\\00\\00\\00\\fe\\ff\\ff\\ff\\00\\00\\00\\80\\10\")\n"
	/* i32.add of a value loaded (either operand order), at p, p + q, p + 4 */
	"  (func (export \"add_m\") (param i32 i32) (result i32)\n"
	"    (i32.add (i32.add (i32.load (local.get 0)) (local.get 1))\n"
	"      (i32.add (local.get 1) (i32.load offset=4 (local.get 0)))))\n"
	"  (func (export \"add_ma\") (param i32 i32) (result i32)\n"
	"    (i32.add (local.get 1) (i32.load (i32.add (local.get 0) (local.get 1)))))\n"
	"  (func (export \"add_mai\") (param i32 i32) (result i32)\n"
	"    (i32.add (i32.load offset=4 (i32.add (local.get 0) (i32.const 4))) (local.get 1)))\n"
	/* the same sum kept in a local: the load keeps writing it */
	"  (func (export \"add_kept\") (param i32) (result i32) (local i32)\n"
	"    (i32.add (i32.add (i32.load (local.tee 1 (i32.add (local.get 0) (i32.const 4))))\n"
	"      (local.get 0)) (local.get 1)))\n"
	/* f64.add of a value loaded from (p + q) + 8 (two temporary sums) */
	"  (func (export \"add_maai\") (param i32 i32) (result i32)\n"
	"    (f64.store (i32.const 64) (f64.const 2.25)) (f64.store (i32.const 72) (f64.const 0.5))\n"
	"    (i32.trunc_f64_s (f64.mul (f64.add (f64.convert_i32_s (local.get 1))\n"
	"      (f64.load offset=56 (i32.add (i32.add (local.get 0) (local.get 1)) (i32.const 8))))\n"
	"      (f64.const 100))))\n"
	/* f64 arithmetic with a constant stored, and kept by a local.tee */
	"  (func (export \"st_ri\") (param i32) (result i32) (local f64)\n"
	"    (f64.store (i32.const 64) (f64.convert_i32_s (local.get 0)))\n"
	"    (f64.store (i32.const 72) (f64.mul (f64.load (i32.const 64)) (f64.const 2.5)))\n"
	"    (f64.store (i32.const 80) (local.tee 1 (f64.div (f64.load (i32.const 72)) (f64.const 4))))\n"
	"    (f64.store (i32.const 88) (f64.sub (local.get 1) (f64.const 1)))\n"
	"    (f64.store (i32.const 96) (local.tee 1 (f64.add (local.get 1) (f64.const 0.5))))\n"
	"    (i32.trunc_f64_s (f64.add (f64.add (f64.mul (f64.load (i32.const 72)) (f64.const 1000))\n"
	"      (f64.mul (f64.load (i32.const 80)) (f64.const 100)))\n"
	"      (f64.add (f64.mul (f64.load (i32.const 88)) (f64.const 10))\n"
	"        (f64.add (f64.load (i32.const 96)) (local.get 1))))))\n"
	/* locals rotated in a loop (two copies in a row, in order), and a
	 * local.tee of a local: the copy keeps the old value */
	"  (func (export \"rotate\") (param i32) (result i32) (local i32 i32 i32)\n"
	"    (local.set 1 (i32.const 1)) (local.set 2 (i32.const 2)) (local.set 3 (i32.const 3))\n"
	"    (loop $l\n"
	"      (local.set 3 (i32.add (i32.mul (local.get 3) (i32.const 10)) (local.get 1)))\n"
	"      (local.get 2) (local.set 1) (local.get 3) (local.set 2) (local.get 1) (local.set 3)\n"
	"      (br_if $l (local.tee 0 (i32.add (local.get 0) (i32.const -1)))))\n"
	"    (i32.add (i32.mul (local.get 1) (i32.const 1000))\n"
	"      (i32.add (i32.mul (local.get 2) (i32.const 100)) (local.get 3))))\n"
	/* two locals bumped by constants in a row, the second from the first */
	"  (func (export \"bumps\") (param i32) (result i32) (local i32 i32)\n"
	"    (loop $l\n"
	"      (local.set 1 (i32.add (local.get 1) (i32.const 3)))\n"
	"      (local.set 2 (i32.add (local.get 1) (i32.const 5)))\n"
	"      (br_if $l (local.tee 0 (i32.add (local.get 0) (i32.const -1)))))\n"
	"    (i32.add (i32.mul (local.get 1) (i32.const 1000)) (local.get 2)))\n"
	"  (func (export \"tee_copy\") (param i32 i32) (result i32) (local i32)\n"
	"    (i32.sub (local.tee 2 (local.get 0)) (local.tee 0 (local.get 1)))\n"
	"    (i32.mul (i32.const 1000)) (i32.add (local.get 2)) (i32.mul (i32.const 100))\n"
	"    (i32.add (local.get 0)))\n"
	/* compare-and-branch on a loaded value: a relaxed row, both orders;
	 * a search (the load's sum kept in a local); a load that traps */
	"  (func (export \"relax\") (param i32 i32) (result i32) (local i32 i32)\n"
	"    (i32.store (local.get 0) (i32.const 40)) (i32.store offset=4 (local.get 0) (i32.const 3))\n"
	"    (i32.store offset=8 (local.get 0) (i32.const 0))\n"
	"    (loop $l\n"
	"      (if (i32.lt_s (local.tee 2 (i32.add (local.get 1) (local.get 3)))\n"
	"                    (i32.load (local.get 0)))\n"
	"        (then (i32.store (local.get 0) (local.get 2))))\n"
	"      (if (i32.gt_u (i32.load (local.tee 3 (i32.add (local.get 0) (i32.const 4))))\n"
	"                    (local.get 1))\n"
	"        (then (i32.store offset=8 (local.get 0) (local.get 3))))\n"
	"      (br_if $l (i32.eqz (local.get 3))))\n"
	"    (i32.add (i32.load (local.get 0)) (i32.load offset=8 (local.get 0))))\n"
	"  (func (export \"find\") (param i32) (result i32) (local i32)\n"
	"    (block $out\n"
	"      (loop $l\n"
	"        (br_if $out (i32.eq (i32.load (i32.add (local.get 1) (i32.const 0))) (local.get 0)))\n"
	"        (br_if $l (i32.lt_u (local.tee 1 (i32.add (local.get 1) (i32.const 4)))\n"
	"                            (i32.const 16)))))\n"
	"    (i32.shr_u (local.get 1) (i32.const 2)))\n"
	/* the load's sum given to a local by a local.tee, the local then
	 * compared with the value loaded: it is read after the tee */
	"  (func (export \"tee_cmp\") (param i32) (result i32) (local i32)\n"
	"    (local.set 1 (i32.const 1000))\n"
	"    (if (i32.lt_s (i32.load (local.tee 1 (i32.add (local.get 0) (i32.const 4))))\n"
	"                  (local.get 1))\n"
	"      (then (return (i32.const 1))))\n"
	"    (i32.const 0))\n"
	"  (func (export \"ld_cmp\") (param i32) (result i32)\n"
	"    (if (i32.lt_s (local.get 0) (i32.load (local.get 0))) (then (return (i32.const 1))))\n"
	"    (i32.const 0))\n"
	/* xors of two rotations (a hash's sigma) */
	"  (func (export \"sigma\") (param i32 i32) (result i32)\n"
	"    (i32.add (i32.xor (i32.xor (i32.rotl (local.get 0) (i32.const 30))\n"
	"                               (i32.rotl (local.get 0) (i32.const 19)))\n"
	"                      (i32.rotl (local.get 0) (i32.const 10)))\n"
	"      (i32.xor (i32.rotl (local.get 0) (i32.const 35)) (i32.rotl (local.get 1) (i32.const 7))))))\n";

/* i32.add of a loaded value, f64 arithmetic with a constant stored (and
 * kept), an f64.add of a value loaded from a sum of three, rotated
 * locals, compare-and-branch on a loaded value, xors of two rotations:
 * each against C's answer. */
static void test_fused4(void **state)
{
	inst t = make(fused4_wat, NULL, 0, NULL);
	wr_trap trap;
	assert_int_equal(call_i32(&t, "add_m", 2, 0, 100), 5 + 100 + 100 + 7);
	assert_int_equal(call_i32(&t, "add_m", 2, 4, -3), 7 - 3 - 3 - 2);
	assert_int_equal(call_i32(&t, "add_ma", 2, 0, 8), 8 - 2);
	assert_int_equal(call_i32(&t, "add_ma", 2, 12, 0), INT32_MIN);
	assert_int_equal(call_i32(&t, "add_mai", 2, 0, 1), 1 - 2);
	assert_int_equal(call_i32(&t, "add_mai", 2, -4, 1), 1 + 7);
	assert_int_equal(call_i32(&t, "add_kept", 1, 0), 7 + 0 + 4);
	assert_int_equal(call_i32(&t, "add_kept", 1, 4), -2 + 4 + 8);
	assert_int_equal(call_i32(&t, "add_maai", 2, 0, 0), 225);
	assert_int_equal(call_i32(&t, "add_maai", 2, 4, 4), 450);
	assert_int_equal(call_i32(&t, "add_maai", 2, -8, 16), 1650); /* the sums wrap */
	wr_value oob[2] = { i32(65472), i32(0) }, res;
	assert_int_equal(wr_call(fn(&t, "add_maai"), oob, 2, &res, 1, &trap), WR_TRAP_MEMORY_OOB);
	/* x = 8: 20, 5, 4, 5.5 (and the local 5.5) */
	assert_int_equal(call_i32(&t, "st_ri", 1, 8), 20000 + 500 + 40 + 11);
	assert_int_equal(call_i32(&t, "st_ri", 1, -4), -10000 - 250 - 35 - 4);
	for (int32_t n = 1; n <= 3; n++) {
		int32_t l1 = 1, l2 = 2, l3 = 3;
		for (int32_t k = 0; k < n; k++) {
			l3 = l3 * 10 + l1;
			l1 = l2;
			l2 = l3;
			l3 = l1;
		}
		assert_int_equal(call_i32(&t, "rotate", 1, n), l1 * 1000 + l2 * 100 + l3);
	}
	assert_int_equal(call_i32(&t, "tee_copy", 2, 9, 4), ((9 - 4) * 1000 + 9) * 100 + 4);
	assert_int_equal(call_i32(&t, "bumps", 1, 1), 3 * 1000 + 3 + 5);
	assert_int_equal(call_i32(&t, "bumps", 1, 4), 12 * 1000 + 12 + 5);
	/* the row [40, 3, 0] at 32, relaxed with d: min(d, 40) + (3 >u d ? 36 : 0) */
	assert_int_equal(call_i32(&t, "relax", 2, 32, 35), 35);
	assert_int_equal(call_i32(&t, "relax", 2, 32, 50), 40);
	assert_int_equal(call_i32(&t, "relax", 2, 32, 2), 2 + 36);
	assert_int_equal(call_i32(&t, "relax", 2, 32, -1), -1);
	assert_int_equal(call_i32(&t, "relax", 2, 32, 3), 3);
	assert_int_equal(call_i32(&t, "find", 1, 5), 0);
	assert_int_equal(call_i32(&t, "find", 1, 7), 1);
	assert_int_equal(call_i32(&t, "find", 1, (int32_t)0x80000000), 3);
	assert_int_equal(call_i32(&t, "find", 1, 9), 4);
	assert_int_equal(call_i32(&t, "tee_cmp", 1, 0), 0);  /* 7 < 4 */
	assert_int_equal(call_i32(&t, "tee_cmp", 1, 4), 1);  /* -2 < 8 */
	assert_int_equal(call_i32(&t, "tee_cmp", 1, 12), 0); /* 16 < 16 */
	assert_int_equal(call_i32(&t, "ld_cmp", 1, 0), 1);
	assert_int_equal(call_i32(&t, "ld_cmp", 1, 8), 0);
	assert_int_equal(call_i32(&t, "ld_cmp", 1, 12), 0);
	assert_int_equal(call_i32(&t, "ld_cmp", 1, 16), 0); /* 16 < 16: equal is not less */
	assert_int_equal(call_i32(&t, "ld_cmp", 1, 15), 1);
	uint32_t x = 0x6a09e667u, y = 0xbb67ae85u;
	assert_int_equal(call_i32(&t, "sigma", 2, (int32_t)x, (int32_t)y),
	                 (int32_t)((rotl32(x, 30) ^ rotl32(x, 19) ^ rotl32(x, 10)) +
	                           (rotl32(x, 35) ^ rotl32(y, 7))));
	assert_int_equal(call_trap(&t, "ld_cmp", 65534, 1, &trap), WR_TRAP_MEMORY_OOB);
	drop(&t);
}

/* A flag test or an equality of a value masked by i32.and with a constant,
 * then a forward branch (BR_ANDI_Z, _NZ, BR_I32_EQ/NE_ANDI): by br_if,
 * eqz + br_if, if, both operand orders; with a load (zlib's match test);
 * a branch carrying a value (the skip over the moves); the masked value
 * kept by a local.tee and a backward branch, which do not fuse. */
static const char *andi_wat =
	"(module\n"
	"  (memory 1)\n"
	"  (data (i32.const 16) \"\\41\\c2\\43\")\n"
	"  (func (export \"brz\") (param i32) (result i32)\n"
	"    (block $b (br_if $b (i32.eqz (i32.and (local.get 0) (i32.const 12)))) (return (i32.const 1)))\n"
	"    (i32.const 0))\n"
	"  (func (export \"brnz\") (param i32) (result i32)\n"
	"    (block $b (br_if $b (i32.and (local.get 0) (i32.const 12))) (return (i32.const 0)))\n"
	"    (i32.const 1))\n"
	"  (func (export \"if_nz\") (param i32) (result i32)\n"
	"    (if (result i32) (i32.and (local.get 0) (i32.const 0x80000001))\n"
	"      (then (i32.const 1)) (else (i32.const 0))))\n"
	"  (func (export \"if_z\") (param i32) (result i32)\n"
	"    (if (result i32) (i32.eqz (i32.and (local.get 0) (i32.const 0x80000001)))\n"
	"      (then (i32.const 0)) (else (i32.const 1))))\n"
	/* 1 if b == a & 0xff, by four forms; each form answers in its own digit */
	"  (func (export \"eq\") (param i32 i32) (result i32) (local i32)\n"
	"    (block $b (br_if $b (i32.ne (local.get 1) (i32.and (local.get 0) (i32.const 255))))\n"
	"      (local.set 2 (i32.const 1)))\n"
	"    (block $b (br_if $b (i32.ne (i32.and (local.get 0) (i32.const 255)) (local.get 1)))\n"
	"      (local.set 2 (i32.add (local.get 2) (i32.const 10))))\n"
	"    (block $b (br_if $b (i32.eq (i32.and (local.get 0) (i32.const 255)) (local.get 1)))\n"
	"      (local.set 2 (i32.add (local.get 2) (i32.const 100))))\n"
	"    (if (i32.eq (local.get 1) (i32.and (local.get 0) (i32.const 255)))\n"
	"      (then (local.set 2 (i32.add (local.get 2) (i32.const 1000)))))\n"
	"    (local.get 2))\n"
	/* the byte at p compared with c & 0xff, both temporaries */
	"  (func (export \"match\") (param i32 i32 i32) (result i32)\n"
	"    (block $b (br_if $b (i32.ne (i32.load8_u (i32.add (local.get 0) (local.get 1)))\n"
	"                               (i32.and (local.get 2) (i32.const 255))))\n"
	"      (return (i32.const 1)))\n"
	"    (i32.const 0))\n"
	"  (func (export \"carry\") (param i32) (result i32)\n"
	"    (block (result i32) (i32.const 1) (i32.const 7)\n"
	"      (br_if 0 (i32.and (local.get 0) (i32.const 1))) (i32.add)))\n"
	"  (func (export \"kept\") (param i32) (result i32) (local i32)\n"
	"    (block $b (br_if $b (i32.eqz (local.tee 1 (i32.and (local.get 0) (i32.const 6)))))\n"
	"      (return (i32.add (local.get 1) (i32.const 100))))\n"
	"    (local.get 1))\n"
	"  (func (export \"back\") (param i32) (result i32) (local i32)\n"
	"    (loop $l (local.set 1 (i32.add (local.get 1) (i32.const 1)))\n"
	"      (br_if $l (i32.and (local.tee 0 (i32.shr_u (local.get 0) (i32.const 1))) (i32.const 1))))\n"
	"    (local.get 1)))\n";

static void test_andi(void **state)
{
	inst t = make(andi_wat, NULL, 0, NULL);
	assert_int_equal(call_i32(&t, "brz", 1, 0), 0);
	assert_int_equal(call_i32(&t, "brz", 1, 3), 0);
	assert_int_equal(call_i32(&t, "brz", 1, 4), 1);
	assert_int_equal(call_i32(&t, "brz", 1, 8), 1);
	assert_int_equal(call_i32(&t, "brnz", 1, 0x13), 0);
	assert_int_equal(call_i32(&t, "brnz", 1, 0x1c), 1);
	assert_int_equal(call_i32(&t, "if_nz", 1, 2), 0);
	assert_int_equal(call_i32(&t, "if_nz", 1, 3), 1);
	assert_int_equal(call_i32(&t, "if_nz", 1, INT32_MIN), 1);
	assert_int_equal(call_i32(&t, "if_z", 1, 2), 0);
	assert_int_equal(call_i32(&t, "if_z", 1, 3), 1);
	assert_int_equal(call_i32(&t, "if_z", 1, INT32_MIN), 1);
	assert_int_equal(call_i32(&t, "eq", 2, 0x1234, 0x34), 1011);
	assert_int_equal(call_i32(&t, "eq", 2, 0x1234, 0x1234), 100);
	assert_int_equal(call_i32(&t, "eq", 2, -1, 255), 1011);
	assert_int_equal(call_i32(&t, "eq", 2, 0x35, 0x34), 100);
	assert_int_equal(call_i32(&t, "match", 3, 16, 1, 0x7c2), 1);
	assert_int_equal(call_i32(&t, "match", 3, 16, 1, 0xc3), 0);
	assert_int_equal(call_i32(&t, "match", 3, 17, 1, 0x43), 1);
	assert_int_equal(call_i32(&t, "match", 3, 16, 0, 0x141), 1);
	assert_int_equal(call_i32(&t, "match", 3, 16, 0, 0x42), 0);
	assert_int_equal(call_i32(&t, "carry", 1, 3), 7);
	assert_int_equal(call_i32(&t, "carry", 1, 2), 8);
	assert_int_equal(call_i32(&t, "kept", 1, 9), 0);
	assert_int_equal(call_i32(&t, "kept", 1, 13), 104);
	assert_int_equal(call_i32(&t, "kept", 1, 6), 106);
	assert_int_equal(call_i32(&t, "back", 1, 0x1e), 5); /* 15, 7, 3, 1, 0 */
	assert_int_equal(call_i32(&t, "back", 1, 0x1d), 1);
	drop(&t);
}

/* A load at an address an i32.load just loaded (I32_LOAD_LD, I64_, the
 * byte and halfword forms): p->q->field with offsets on both loads, from
 * a constant address, kept by a local.tee (not fused), and a pointer that
 * leads out of memory. */
static const char *ld_wat =
	"(module\n"
	"  (memory 1)\n"
	/* at 8: a pointer to 32; at 12: a pointer to 40; at 32: bytes 1..8; at
	 * 40: 0x1234 then 0x8000 */
	"  (data (i32.const 8) \"\\20\\00\\00\\00\\28\\00\\00\\00\")\n"
	"  (data (i32.const 32) \"\\01\\02\\03\\04\\05\\06\\07\\08\\34\\12\\00\\80\")\n"
	"  (data (i32.const 60) \"\\fc\\ff\\00\\00\")\n"
	"  (func (export \"w\") (param i32) (result i32)\n"
	"    (i32.load offset=1 (i32.load offset=4 (local.get 0))))\n"
	"  (func (export \"b\") (param i32) (result i32)\n"
	"    (i32.add (i32.load8_u offset=3 (i32.load (local.get 0)))\n"
	"      (i32.mul (i32.load16_u offset=2 (i32.load offset=4 (local.get 0))) (i32.const 1000))))\n"
	"  (func (export \"c\") (result i32)\n"
	"    (i32.wrap_i64 (i64.shr_u (i64.load offset=2 (i32.load (i32.const 8))) (i64.const 8))))\n"
	"  (func (export \"kept\") (param i32) (result i32) (local i32)\n"
	"    (i32.add (i32.load8_u (local.tee 1 (i32.load (local.get 0)))) (local.get 1)))\n"
	"  (func (export \"far\") (param i32) (result i32)\n"
	"    (i32.load16_u offset=8 (i32.load (local.get 0)))))\n";

static void test_ld(void **state)
{
	inst t = make(ld_wat, NULL, 0, NULL);
	wr_trap trap;
	assert_int_equal(call_i32(&t, "w", 1, 4), 0x05040302);
	assert_int_equal(call_i32(&t, "w", 1, 8), 0x00800012);
	assert_int_equal(call_i32(&t, "b", 1, 8), 4 + 0x8000 * 1000);
	assert_int_equal(call_i32(&t, "b", 1, 4), 0 + 0x0403 * 1000);
	assert_int_equal(call_i32(&t, "c", 0), 0x07060504);
	assert_int_equal(call_i32(&t, "kept", 1, 12), 0x34 + 40);
	assert_int_equal(call_i32(&t, "far", 1, 8), 0x1234);
	assert_int_equal(call_trap(&t, "far", 60, 1, &trap), WR_TRAP_MEMORY_OOB);
	drop(&t);
}

/* A load at a masked, scaled index (I32_LOAD_SXA, I32_LOAD16_U_SXA:
 * base + ((h & mask) << k)), the scaled index either operand of the add,
 * the masked value kept by a local.tee (not fused), and an index whose
 * shift wraps. */
static const char *sxa_wat =
	"(module\n"
	"  (memory 1)\n"
	"  (data (i32.const 64) \"\\01\\00\\02\\00\\03\\00\\04\\00\\05\\00\\06\\00\\07\\00\\08\\80\")\n"
	"  (func (export \"h16\") (param i32 i32) (result i32)\n"
	"    (i32.load16_u (i32.add (local.get 1) (i32.shl (i32.and (local.get 0) (i32.const 7)) (i32.const 1)))))\n"
	"  (func (export \"h16m\") (param i32 i32 i32) (result i32)\n"
	"    (i32.load16_u offset=2 (i32.add (i32.shl (i32.and (local.get 2) (local.get 0)) (i32.const 1))\n"
	"                                     (local.get 1))))\n"
	"  (func (export \"h32\") (param i32 i32 i32) (result i32)\n"
	"    (i32.load (i32.add (local.get 1) (i32.shl (i32.and (local.get 0) (local.get 2)) (i32.const 2)))))\n"
	"  (func (export \"kept\") (param i32 i32) (result i32) (local i32)\n"
	"    (i32.add (i32.load16_u (i32.add (i32.const 64)\n"
	"      (i32.shl (local.tee 2 (i32.and (local.get 0) (local.get 1))) (i32.const 1))))\n"
	"      (i32.mul (local.get 2) (i32.const 1000)))))\n";

static void test_sxa(void **state)
{
	inst t = make(sxa_wat, NULL, 0, NULL);
	assert_int_equal(call_i32(&t, "h16", 2, 3, 64), 4);
	assert_int_equal(call_i32(&t, "h16", 2, 15, 64), 0x8008);
	assert_int_equal(call_i32(&t, "h16", 2, 0x7ff8, 64), 1);
	assert_int_equal(call_i32(&t, "h16m", 3, 6, 64, 13), 6); /* 13 & 6 = 4: 64 + 8 + 2 */
	assert_int_equal(call_i32(&t, "h16m", 3, 3, 64, -1), 5); /* 64 + 6 + 2 */
	/* (0x80000010 & -1) << 1 wraps to 32: 44 + 32 + 2 */
	assert_int_equal(call_i32(&t, "h16m", 3, -1, 44, (int32_t)0x80000010), 0x8008);
	assert_int_equal(call_i32(&t, "h32", 3, 5, 64, 3), 0x00040003);
	assert_int_equal(call_i32(&t, "h32", 3, 6, 64, 3), 0x00060005);
	assert_int_equal(call_i32(&t, "kept", 2, 6, 3), 3 + 2000);
	drop(&t);
}

/* A branch on a value loaded being zero or not (BR_Z_M, BR_NZ_M and the
 * byte forms): br_if and if on an i32.load and an i32.load8_u, taken and
 * not, a value whose low byte alone is zero, the loaded value kept by a
 * local.tee (not fused), and a load that traps. */
static const char *ldz_wat =
	"(module\n"
	"  (memory 1)\n"
	"  (data (i32.const 16) \"\\00\\01\\00\\00\\00\\00\\00\\00\\07\")\n"
	"  (func (export \"nz\") (param i32) (result i32)\n"
	"    (block $b (br_if $b (i32.load offset=1 (local.get 0))) (return (i32.const 0)))\n"
	"    (i32.const 1))\n"
	"  (func (export \"nz8\") (param i32) (result i32)\n"
	"    (block $b (br_if $b (i32.load8_u (local.get 0))) (return (i32.const 0)))\n"
	"    (i32.const 1))\n"
	"  (func (export \"if\") (param i32) (result i32)\n"
	"    (if (result i32) (i32.load (local.get 0)) (then (i32.const 1)) (else (i32.const 0))))\n"
	"  (func (export \"if8\") (param i32) (result i32)\n"
	"    (if (result i32) (i32.load8_u offset=2 (local.get 0)) (then (i32.const 1)) (else (i32.const 0))))\n"
	"  (func (export \"kept\") (param i32) (result i32) (local i32)\n"
	"    (if (local.tee 1 (i32.load8_u (local.get 0))) (then (return (i32.add (local.get 1) (i32.const 100)))))\n"
	"    (local.get 1)))\n";

static void test_ldz(void **state)
{
	inst t = make(ldz_wat, NULL, 0, NULL);
	wr_trap trap;
	assert_int_equal(call_i32(&t, "nz", 1, 15), 1);  /* 0x00000100 at 16 */
	assert_int_equal(call_i32(&t, "nz", 1, 17), 0);
	assert_int_equal(call_i32(&t, "nz", 1, 21), 1);  /* 0x00070000 at 22 */
	assert_int_equal(call_i32(&t, "nz8", 1, 16), 0);
	assert_int_equal(call_i32(&t, "nz8", 1, 17), 1);
	assert_int_equal(call_i32(&t, "if", 1, 16), 1);  /* 0x100: its low byte is zero */
	assert_int_equal(call_i32(&t, "if", 1, 18), 0);
	assert_int_equal(call_i32(&t, "if8", 1, 15), 1);
	assert_int_equal(call_i32(&t, "if8", 1, 16), 0);
	assert_int_equal(call_i32(&t, "kept", 1, 24), 107);
	assert_int_equal(call_i32(&t, "kept", 1, 23), 0);
	assert_int_equal(call_trap(&t, "nz", 65533, 1, &trap), WR_TRAP_MEMORY_OOB);
	assert_int_equal(call_trap(&t, "if8", 65534, 1, &trap), WR_TRAP_MEMORY_OOB);
	drop(&t);
}

/* A byte loaded at the sum of a sum (I32_LOAD8_U_ADD2: s = a + b, e = s +
 * c, both written): the two sums kept by local.tee and returned, the
 * first sum either operand of the second, the second add reading the
 * first sum's local again (read after it is written), a temporary first
 * sum, an offset, and sums that wrap. */
static const char *add2_wat =
	"(module\n"
	"  (memory 1)\n"
	"  (data (i32.const 32) \"\\0a\\0b\\0c\\0d\\0e\\0f\\10\\11\\12\")\n"
	"  (func (export \"both\") (param i32 i32 i32) (result i32) (local i32 i32)\n"
	"    (i32.add (i32.mul (i32.load8_u (local.tee 4 (i32.add (local.tee 3 (i32.add (local.get 0) (local.get 1)))\n"
	"                                                         (local.get 2))))\n"
	"                      (i32.const 10000))\n"
	"      (i32.add (i32.mul (local.get 3) (i32.const 100)) (local.get 4))))\n"
	"  (func (export \"swap\") (param i32 i32 i32) (result i32) (local i32)\n"
	"    (i32.load8_u offset=1 (i32.add (local.get 2) (local.tee 3 (i32.add (local.get 0) (local.get 1))))))\n"
	"  (func (export \"again\") (param i32 i32) (result i32) (local i32)\n"
	"    (i32.load8_u (i32.add (local.tee 2 (i32.add (local.get 0) (local.get 1))) (local.get 2))))\n"
	"  (func (export \"temp\") (param i32 i32 i32) (result i32)\n"
	"    (i32.load8_u (i32.add (i32.add (local.get 0) (local.get 1)) (local.get 2)))))\n";

static void test_add2(void **state)
{
	inst t = make(add2_wat, NULL, 0, NULL);
	wr_trap trap;
	/* 30 + 2 = 32, + 3 = 35: the byte 0x0d */
	assert_int_equal(call_i32(&t, "both", 3, 30, 2, 3), 13 * 10000 + 32 * 100 + 35);
	assert_int_equal(call_i32(&t, "both", 3, -1, 33, 5), 15 * 10000 + 32 * 100 + 37); /* wraps */
	assert_int_equal(call_i32(&t, "swap", 3, 30, 2, 4), 0x0f);  /* 32 + 4 + 1 */
	assert_int_equal(call_i32(&t, "swap", 3, 1, 1, 36), 0x11);
	assert_int_equal(call_i32(&t, "again", 2, 10, 6), 0x0a);    /* 2 * 16 */
	assert_int_equal(call_i32(&t, "again", 2, 17, 0), 0x0c);    /* 2 * 17 */
	assert_int_equal(call_i32(&t, "temp", 3, 40, -8, 8), 0x12);
	wr_value oob[3] = { i32(65535), i32(1), i32(0) }, res;
	assert_int_equal(wr_call(fn(&t, "temp"), oob, 3, &res, 1, &trap), WR_TRAP_MEMORY_OOB);
	drop(&t);
}

/* An i32.add of a product by a constant (I32_MULADD_RI: base + i * size),
 * the product either operand, added to the constant 0 (the zero slot),
 * wrapping, and the product kept by a local.tee (not fused). */
static const char *muli_wat =
	"(module\n"
	"  (func (export \"ma\") (param i32 i32) (result i32)\n"
	"    (i32.add (local.get 1) (i32.mul (local.get 0) (i32.const 12))))\n"
	"  (func (export \"am\") (param i32 i32) (result i32)\n"
	"    (i32.add (i32.mul (local.get 0) (i32.const -3)) (local.get 1)))\n"
	"  (func (export \"zero\") (param i32) (result i32)\n"
	"    (i32.add (i32.mul (local.get 0) (i32.const 7)) (i32.const 0)))\n"
	"  (func (export \"kept\") (param i32 i32) (result i32) (local i32)\n"
	"    (i32.add (i32.add (local.tee 2 (i32.mul (local.get 0) (i32.const 5))) (local.get 1))\n"
	"      (i32.mul (local.get 2) (i32.const 100)))))\n";

static void test_muli(void **state)
{
	inst t = make(muli_wat, NULL, 0, NULL);
	assert_int_equal(call_i32(&t, "ma", 2, 3, 1000), 1036);
	assert_int_equal(call_i32(&t, "ma", 2, -2, 5), -19);
	assert_int_equal(call_i32(&t, "ma", 2, 0x40000000, 1), 1); /* 12 << 30 wraps to 0 */
	assert_int_equal(call_i32(&t, "am", 2, 4, 100), 88);
	assert_int_equal(call_i32(&t, "am", 2, -5, 0), 15);
	assert_int_equal(call_i32(&t, "zero", 1, 6), 42);
	assert_int_equal(call_i32(&t, "kept", 2, 2, 1), 10 + 1 + 1000);
	drop(&t);
}

/* A multiply-add of a value just loaded (F64_MULADD_M, _MAI), and the same
 * stored (_ST): c[j] += a * b[j]. Addresses, offsets, the order of the add,
 * a store over the value loaded, a result a local.tee keeps, rounding
 * twice (no fused multiply-add) and each access's own trap. */
static const char *axpy_wat =
	"(module (memory 1)\n"
	"  (func $set (param i32 f64) (f64.store (local.get 0) (local.get 1)))\n"
	/* [c] = cv, [q + 8] = bv, then [c] += a * [q + 8] */
	"  (func (export \"m_st\") (param $c i32) (param $q i32) (param $a i32) (param $cv i32) (param $bv i32)\n"
	"    (result i32) (local $af f64)\n"
	"    (local.set $af (f64.convert_i32_s (local.get $a)))\n"
	"    (call $set (local.get $c) (f64.convert_i32_s (local.get $cv)))\n"
	"    (call $set (i32.add (local.get $q) (i32.const 8)) (f64.convert_i32_s (local.get $bv)))\n"
	"    (f64.store (local.get $c) (f64.add (f64.load (local.get $c))\n"
	"      (f64.mul (local.get $af) (f64.load offset=8 (local.get $q)))))\n"
	"    (i32.trunc_f64_s (f64.load (local.get $c))))\n"
	/* the same with [(q + 16) + 8] */
	"  (func (export \"mai_st\") (param $c i32) (param $q i32) (param $a i32) (param $cv i32) (param $bv i32)\n"
	"    (result i32) (local $af f64)\n"
	"    (local.set $af (f64.convert_i32_s (local.get $a)))\n"
	"    (call $set (i32.add (local.get $c) (i32.const 4)) (f64.convert_i32_s (local.get $cv)))\n"
	"    (call $set (i32.add (local.get $q) (i32.const 24)) (f64.convert_i32_s (local.get $bv)))\n"
	"    (f64.store offset=4 (local.get $c) (f64.add (f64.load offset=4 (local.get $c))\n"
	"      (f64.mul (local.get $af) (f64.load offset=8 (i32.add (local.get $q) (i32.const 16))))))\n"
	"    (i32.trunc_f64_s (f64.load offset=4 (local.get $c))))\n"
	/* the sum not stored: x + a * [q], x + a * [(q + 16) + 8] */
	"  (func (export \"m\") (param $q i32) (param $a i32) (param $x i32) (param $bv i32) (result i32)\n"
	"    (local $af f64) (local $xf f64)\n"
	"    (local.set $af (f64.convert_i32_s (local.get $a)))\n"
	"    (local.set $xf (f64.convert_i32_s (local.get $x)))\n"
	"    (call $set (local.get $q) (f64.convert_i32_s (local.get $bv)))\n"
	"    (i32.trunc_f64_s (f64.add (local.get $xf) (f64.mul (local.get $af) (f64.load (local.get $q))))))\n"
	"  (func (export \"mai\") (param $q i32) (param $a i32) (param $x i32) (param $bv i32) (result i32)\n"
	"    (local $af f64) (local $xf f64)\n"
	"    (local.set $af (f64.convert_i32_s (local.get $a)))\n"
	"    (local.set $xf (f64.convert_i32_s (local.get $x)))\n"
	"    (call $set (i32.add (local.get $q) (i32.const 24)) (f64.convert_i32_s (local.get $bv)))\n"
	"    (i32.trunc_f64_s (f64.add (f64.mul (local.get $af)\n"
	"      (f64.load offset=8 (i32.add (local.get $q) (i32.const 16)))) (local.get $xf))))\n"
	/* the sum kept by a local.tee, then stored: not the store form */
	"  (func (export \"kept\") (param $q i32) (param $a i32) (param $x i32) (param $bv i32) (result i32)\n"
	"    (local $t f64) (local $af f64) (local $xf f64)\n"
	"    (local.set $af (f64.convert_i32_s (local.get $a)))\n"
	"    (local.set $xf (f64.convert_i32_s (local.get $x)))\n"
	"    (call $set (local.get $q) (f64.convert_i32_s (local.get $bv)))\n"
	"    (f64.store (i32.const 800) (local.tee $t (f64.add (local.get $xf)\n"
	"      (f64.mul (local.get $af) (f64.load (local.get $q))))))\n"
	"    (i32.trunc_f64_s (f64.add (local.get $t) (f64.load (i32.const 800)))))\n"
	/* -1 + (1 + 2^-30)(1 - 2^-31 ... ) is 0 rounded twice, not once */
	"  (func (export \"no_fma\") (param i32) (result i32) (local f64)\n"
	"    (call $set (i32.const 0) (f64.const -1))\n"
	"    (call $set (i32.const 8) (f64.const 0x1.fffffff8p-1))\n"
	"    (local.set 1 (f64.const 0x1.00000004p+0))\n"
	"    (f64.store (i32.const 0) (f64.add (f64.load (i32.const 0))\n"
	"      (f64.mul (local.get 1) (f64.load (i32.const 8)))))\n"
	"    (f64.eq (f64.load (i32.const 0)) (f64.const 0)))\n"
	"  (func (export \"ld_oob\") (param i32) (result i32)\n"
	"    (f64.store (i32.const 0) (f64.add (f64.load (i32.const 0))\n"
	"      (f64.mul (f64.const 2) (f64.load (local.get 0)))))\n"
	"    (i32.const 7))\n"
	"  (func (export \"st_oob\") (param i32) (result i32)\n"
	"    (f64.store (local.get 0) (f64.add (f64.load (i32.const 0))\n"
	"      (f64.mul (f64.const 2) (f64.load (i32.const 8)))))\n"
	"    (i32.const 7)))\n";

static void test_axpy(void **state)
{
	inst t = make(axpy_wat, NULL, 0, NULL);
	wr_trap trap;
	assert_int_equal(call_i32(&t, "m_st", 5, 0, 100, 3, 5, 7), 26);
	assert_int_equal(call_i32(&t, "m_st", 5, 16, 8, 3, 5, 7), 28); /* [q + 8] is [c] */
	assert_int_equal(call_i32(&t, "m_st", 5, 40, 200, -2, 100, 9), 82);
	assert_int_equal(call_i32(&t, "mai_st", 5, 0, 100, 3, 5, 7), 26);
	assert_int_equal(call_i32(&t, "mai_st", 5, 36, 4, -3, 1, 10), -29);
	assert_int_equal(call_i32(&t, "m", 4, 64, 3, 10, 7), 3 * 7 + 10);
	assert_int_equal(call_i32(&t, "m", 4, 72, -4, 1, 5), -19);
	assert_int_equal(call_i32(&t, "mai", 4, 64, 3, 10, 7), 3 * 7 + 10);
	assert_int_equal(call_i32(&t, "mai", 4, 80, -4, 1, 5), -19);
	assert_int_equal(call_i32(&t, "kept", 4, 64, 3, 10, 7), 2 * (3 * 7 + 10));
	assert_int_equal(call_i32(&t, "no_fma", 1, 0), 1);
	assert_int_equal(call_i32(&t, "ld_oob", 1, 65528), 7);
	assert_int_equal(call_trap(&t, "ld_oob", 65529, 1, &trap), WR_TRAP_MEMORY_OOB);
	assert_int_equal(call_i32(&t, "st_oob", 1, 65528), 7);
	assert_int_equal(call_trap(&t, "st_oob", 65529, 1, &trap), WR_TRAP_MEMORY_OOB);
	assert_int_equal(call_i32(&t, "m_st", 5, 0, 100, 3, 5, 7), 26); /* the store still works */
	drop(&t);
}

/* Calls into another instance switch memories, and back on return. */
static void test_cross_instance(void **state)
{
	static const char *lib =
		"(module (memory (export \"mem\") 1)\n"
		"  (data (i32.const 0) \"\\2a\")\n"
		"  (func (export \"peek\") (param i32) (result i32) (i32.load8_u (local.get 0))))\n";
	static const char *app =
		"(module (import \"lib\" \"peek\" (func $peek (param i32) (result i32)))\n"
		"  (memory 1) (data (i32.const 0) \"\\07\")\n"
		"  (table 1 funcref) (elem (i32.const 0) $peek)\n"
		"  (func (export \"both\") (param i32) (result i32)\n"
		"    (i32.add (i32.mul (call $peek (local.get 0)) (i32.const 100))\n"
		"      (i32.add (i32.load8_u (local.get 0))\n"
		"        (call_indirect (param i32) (result i32) (local.get 0) (i32.const 0))))))\n";
	inst l = make(lib, NULL, 0, NULL);
	wr_extern imp = { WR_EXTERN_FUNC, { .func = fn(&l, "peek") } };
	inst a = make(app, &imp, 1, l.s);
	assert_int_equal(call_i32(&a, "both", 1, 0), 42 * 100 + 7 + 42);
	drop(&l); /* the store holds both instances */
	wr_module_free(a.m);
}

/* An export NAME returning the label br_table takes on index EXPR: 0-2, or
 * 3 for the default. */
#define BR_SWITCH(name, expr) \
	"  (func (export \"" name "\") (param i32) (result i32)\n" \
	"    (block $d (block $2 (block $1 (block $0 (br_table $0 $1 $2 $d " expr "))\n" \
	"      (return (i32.const 0))) (return (i32.const 1))) (return (i32.const 2)))\n" \
	"    (i32.const 3))\n"

static const char *br_table_wat =
	"(module\n"
	"  (memory 1)\n"
	"  (data (i32.const 0) \"\\00\\00\\00\\00\\02\\00\\00\\00\\00\\00\\00\\00\\01\\00\\00\\00\\07\")\n"
	"  (data (i32.const 64) \"\\00\\01\\02\\09\")\n"
	BR_SWITCH("addi", "(i32.add (local.get 0) (i32.const -5))")
	BR_SWITCH("ld8", "(i32.load8_u offset=64 (local.get 0))")
	BR_SWITCH("ld8_addi", "(i32.load8_u offset=64 (i32.add (local.get 0) (i32.const 1)))")
	BR_SWITCH("sxi", "(i32.load (i32.add (i32.shl (local.get 0) (i32.const 2)) (i32.const 4)))")
	/* the index kept in a local: not fused, the local written */
	"  (func (export \"kept\") (param i32) (result i32) (local i32)\n"
	"    (block $d (block $1 (block $0\n"
	"      (br_table $0 $1 $d (local.tee 1 (i32.load8_u offset=64 (local.get 0)))))\n"
	"      (return (local.get 1))) (return (i32.add (local.get 1) (i32.const 10))))\n"
	"    (i32.add (local.get 1) (i32.const 20))))\n";

/* br_table fused with the instruction computing its index: in range, the
 * default, sums that wrap in 32 bits, an access out of bounds. */
static void test_br_table(void **state)
{
	inst t = make(br_table_wat, NULL, 0, NULL);
	static const int32_t addi[][2] = { { 5, 0 }, { 6, 1 }, { 7, 2 }, { 8, 3 }, { 4, 3 },
	                                   { INT32_MIN, 3 } };
	for (size_t i = 0; i < sizeof(addi) / sizeof(addi[0]); i++)
		assert_int_equal(call_i32(&t, "addi", 1, addi[i][0]), addi[i][1]);
	for (int32_t x = 0; x < 4; x++) {
		assert_int_equal(call_i32(&t, "ld8", 1, x), x);
		assert_int_equal(call_i32(&t, "ld8_addi", 1, x - 1), x);
		assert_int_equal(call_i32(&t, "kept", 1, x), x < 2 ? x * 11 : x == 2 ? 2 + 20 : 9 + 20);
	}
	assert_int_equal(call_i32(&t, "ld8", 1, 4), 0); /* memory past the data is 0 */
	assert_int_equal(call_i32(&t, "sxi", 1, 0), 2);
	assert_int_equal(call_i32(&t, "sxi", 1, 1), 0);
	assert_int_equal(call_i32(&t, "sxi", 1, 2), 1);
	assert_int_equal(call_i32(&t, "sxi", 1, 3), 3);
	assert_int_equal(call_i32(&t, "sxi", 1, 0x3fffffff), 0); /* (x << 2) + 4 wraps to 0 */
	wr_trap trap;
	assert_int_equal(call_trap(&t, "ld8", 65472, 1, &trap), WR_TRAP_MEMORY_OOB);
	assert_int_equal(call_trap(&t, "ld8_addi", 65471, 1, &trap), WR_TRAP_MEMORY_OOB);
	assert_int_equal(call_trap(&t, "sxi", 16383, 1, &trap), WR_TRAP_MEMORY_OOB);
	drop(&t);
}

static const char *fused5_wat =
	"(module\n"
	"  (memory 1)\n"
	"  (data (i32.const 4) \"\\01\\00\\00\\00\\00\\00\\00\\00\\05\\00\\00\\00\")\n"
	/* a constant copied to a local right before a br_table on a scaled
	 * load: written first (the index may read it), 64 bits of it */
	"  (func (export \"sxi_k\") (param i32) (result i32) (local i64)\n"
	"    (local.set 1 (i64.const 0x123456789))\n"
	"    (block $d (block $1 (block $0\n"
	"      (br_table $0 $1 $d (i32.load (i32.add (i32.shl (local.get 0) (i32.const 2)) (i32.const 4)))))\n"
	"      (return (i32.wrap_i64 (i64.rotl (local.get 1) (i64.const 16)))))\n"
	"      (return (i32.add (i32.wrap_i64 (local.get 1)) (i32.const 1000))))\n"
	"    (i32.wrap_i64 (i64.shr_u (local.get 1) (i64.const 28))))\n"
	"  (func (export \"sxi_k32\") (param i32) (result i32)\n"
	"    (local.set 0 (i32.const 2))\n"
	"    (block $d (block $1 (block $0\n"
	"      (br_table $0 $1 $d (i32.load (i32.add (i32.shl (local.get 0) (i32.const 2)) (i32.const 4)))))\n"
	"      (return (i32.const 10))) (return (i32.const 11)))\n"
	"    (local.get 0))\n"
	/* a sum to a local, then a constant added to it (in order); the same
	 * sum as a load's address and a br_table's index (not paired) */
	"  (func (export \"add_addi\") (param i32 i32) (result i32) (local i32)\n"
	"    (local.set 2 (i32.add (local.get 0) (local.get 1)))\n"
	"    (i32.add (i32.mul (i32.add (local.get 2) (i32.const 7)) (i32.const 1000)) (local.get 2)))\n"
	"  (func (export \"add_addi_ld\") (param i32 i32) (result i32) (local i32)\n"
	"    (local.set 2 (i32.add (local.get 0) (local.get 1)))\n"
	"    (i32.add (i32.load (i32.add (local.get 2) (i32.const 4))) (local.get 2)))\n"
	"  (func (export \"add_addi_tbl\") (param i32 i32) (result i32) (local i32)\n"
	"    (local.set 2 (i32.add (local.get 0) (local.get 1)))\n"
	"    (block $d (block $1 (block $0\n"
	"      (br_table $0 $1 $d (i32.add (local.get 2) (i32.const -2))))\n"
	"      (return (i32.const 10))) (return (i32.add (local.get 2) (i32.const 20))))\n"
	"    (local.get 2))\n"
	/* range checks: x <s 0 then x >s K (or x >=s K, or the other order)
	 * to one label are x >u K; not when K < 0, the slots differ or a
	 * label lies between the two */
	"  (func (export \"range_gt\") (param i32) (result i32)\n"
	"    (block $out\n"
	"      (br_if $out (i32.lt_s (local.get 0) (i32.const 0)))\n"
	"      (br_if $out (i32.gt_s (local.get 0) (i32.const 10)))\n"
	"      (return (i32.const 1)))\n"
	"    (i32.const 0))\n"
	"  (func (export \"range_ge\") (param i32) (result i32)\n"
	"    (block $out\n"
	"      (br_if $out (i32.ge_s (local.get 0) (i32.const 10)))\n"
	"      (br_if $out (i32.lt_s (local.get 0) (i32.const 0)))\n"
	"      (return (i32.const 1)))\n"
	"    (i32.const 0))\n"
	"  (func (export \"range_neg\") (param i32) (result i32)\n"
	"    (block $out\n"
	"      (br_if $out (i32.lt_s (local.get 0) (i32.const 0)))\n"
	"      (br_if $out (i32.gt_s (local.get 0) (i32.const -5)))\n"
	"      (return (i32.const 1)))\n"
	"    (i32.const 0))\n"
	"  (func (export \"range_two\") (param i32 i32) (result i32)\n"
	"    (block $out\n"
	"      (br_if $out (i32.lt_s (local.get 0) (i32.const 0)))\n"
	"      (br_if $out (i32.gt_s (local.get 1) (i32.const 10)))\n"
	"      (return (i32.const 1)))\n"
	"    (i32.const 0))\n"
	/* two unsigned range checks to one label (the second made by the
	 * fusion above, or not), other branches to it before and after; and
	 * to two labels, not fused */
	"  (func (export \"or2\") (param i32 i32) (result i32)\n"
	"    (block $out\n"
	"      (br_if $out (i32.eq (local.get 0) (i32.const 7)))\n"
	"      (br_if $out (i32.gt_u (local.get 0) (i32.const 10)))\n"
	"      (br_if $out (i32.gt_u (local.get 1) (i32.const 20)))\n"
	"      (br_if $out (i32.eq (local.get 1) (i32.const 5)))\n"
	"      (return (i32.const 1)))\n"
	"    (i32.const 0))\n"
	"  (func (export \"or2_range\") (param i32 i32) (result i32)\n"
	"    (block $out\n"
	"      (br_if $out (i32.gt_u (local.get 0) (i32.const 10)))\n"
	"      (br_if $out (i32.lt_s (local.get 1) (i32.const 0)))\n"
	"      (br_if $out (i32.gt_s (local.get 1) (i32.const 20)))\n"
	"      (return (i32.const 1)))\n"
	"    (i32.const 0))\n"
	"  (func (export \"or2_labels\") (param i32 i32) (result i32)\n"
	"    (block $a\n"
	"      (block $b\n"
	"        (br_if $b (i32.gt_u (local.get 0) (i32.const 10)))\n"
	"        (br_if $a (i32.gt_u (local.get 1) (i32.const 20)))\n"
	"        (return (i32.const 1)))\n"
	"      (return (i32.const 2)))\n"
	"    (i32.const 0))\n"
	"  (func (export \"range_label\") (param i32 i32) (result i32)\n"
	"    (block $out\n"
	"      (block $mid\n"
	"        (br_if $mid (local.get 1))\n"
	"        (br_if $out (i32.lt_s (local.get 0) (i32.const 0))))\n"
	"      (br_if $out (i32.gt_s (local.get 0) (i32.const 10)))\n"
	"      (return (i32.const 1)))\n"
	"    (i32.const 0))\n"
	/* two i32.adds in a row: a sum of three, two sums side by side, the
	 * first kept by a local.tee and the second set to a local */
	"  (func (export \"add3\") (param i32 i32 i32) (result i32)\n"
	"    (i32.add (i32.add (local.get 0) (local.get 1)) (local.get 2)))\n"
	"  (func (export \"add_side\") (param i32 i32 i32) (result i32)\n"
	"    (i32.sub (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (local.get 0))))\n"
	"  (func (export \"add_tee\") (param i32 i32 i32) (result i32) (local i32 i32)\n"
	"    (local.set 3 (i32.add (local.get 2) (local.tee 4 (i32.add (local.get 0) (local.get 1)))))\n"
	"    (i32.add (i32.mul (local.get 3) (i32.const 1000)) (local.get 4)))\n"
	/* a copy, then a backward branch on a comparison reading the copy
	 * (either operand order), and a copy then an unconditional one */
	"  (func (export \"mov_br\") (param i32) (result i32) (local i32 i32)\n"
	"    (loop $l\n"
	"      (local.set 1 (i32.add (local.get 2) (i32.const 3)))\n"
	"      (local.set 2 (local.get 1))\n"
	"      (br_if $l (i32.lt_s (local.get 2) (local.get 0))))\n"
	"    (local.get 2))\n"
	"  (func (export \"mov_br_gt\") (param i32) (result i32) (local i32 i32)\n"
	"    (loop $l\n"
	"      (local.set 1 (i32.add (local.get 2) (i32.const 3)))\n"
	"      (local.set 2 (local.get 1))\n"
	"      (br_if $l (i32.gt_u (local.get 0) (local.get 2))))\n"
	"    (local.get 2))\n"
	/* the xor of three rotations (of three values), and the same with the
	 * first two kept by a local.tee */
	"  (func (export \"rot3\") (param i32 i32 i32) (result i32)\n"
	"    (i32.xor (i32.xor (i32.rotl (local.get 0) (i32.const 5)) (i32.rotl (local.get 1) (i32.const 11)))\n"
	"      (i32.rotl (local.get 2) (i32.const 27))))\n"
	"  (func (export \"rot3_tee\") (param i32 i32 i32) (result i32) (local i32)\n"
	"    (i32.xor (local.tee 3 (i32.xor (i32.rotl (local.get 0) (i32.const 5))\n"
	"                                   (i32.rotl (local.get 1) (i32.const 11))))\n"
	"      (i32.rotl (local.get 2) (i32.const 27)))\n"
	"    (i32.sub (local.get 3)))\n"
	"  (func (export \"rot3_set\") (param i32 i32 i32) (result i32) (local i32)\n"
	"    (i32.mul (local.get 0) (i32.const 3))\n"
	"    (local.set 3 (i32.xor (i32.rotl (local.get 0) (i32.const 5)) (i32.rotl (local.get 1) (i32.const 11))))\n"
	"    (i32.xor (i32.rotl (local.get 2) (i32.const 27)))\n"
	"    (i32.add (local.get 3)))\n"
	/* sums of an and, xor or and-not result (either operand order), an
	 * and-not alone, and an and whose result a local.tee keeps */
	"  (func (export \"add_bit\") (param i32 i32 i32) (result i32)\n"
	"    (i32.add (i32.and (local.get 0) (local.get 1)) (local.get 2)))\n"
	"  (func (export \"add_bit2\") (param i32 i32 i32) (result i32)\n"
	"    (i32.sub (i32.add (local.get 2) (i32.xor (local.get 0) (local.get 1)))\n"
	"      (i32.add (i32.and (local.get 2) (i32.xor (local.get 0) (i32.const -1))) (local.get 1))))\n"
	"  (func (export \"andn\") (param i32 i32) (result i32)\n"
	"    (i32.and (i32.xor (local.get 0) (i32.const -1)) (local.get 1)))\n"
	"  (func (export \"andn_not\") (param i32 i32) (result i32)\n"
	"    (i32.and (local.get 1) (i32.xor (local.get 0) (i32.const -2))))\n"
	"  (func (export \"add_bit_tee\") (param i32 i32) (result i32) (local i32)\n"
	"    (i32.add (local.tee 2 (i32.and (local.get 0) (local.get 1))) (local.get 0))\n"
	"    (i32.mul (i32.const 1000)) (i32.add (local.get 2)))\n"
	"  (func (export \"mov_br_always\") (param i32) (result i32) (local i32 i32)\n"
	"    (loop $l\n"
	"      (local.set 1 (i32.add (local.get 1) (i32.const 1)))\n"
	"      (if (i32.ge_s (local.get 1) (local.get 0)) (then (return (local.get 2))))\n"
	"      (local.set 2 (local.get 1))\n"
	"      (br $l))\n"
	"    (i32.const -1)))\n";

/* Range checks made one unsigned comparison, two sums in a row, sums of
 * bitwise operations and and-not, a copy fused into a backward branch:
 * each against C's answer, branches taken and not. */
static void test_fused5(void **state)
{
	inst t = make(fused5_wat, NULL, 0, NULL);
	static const int32_t xs[] = { INT32_MIN, -11, -1, 0, 1, 5, 7, 9, 10, 11, 20, 21, INT32_MAX };
	for (size_t i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
		int32_t x = xs[i];
		assert_int_equal(call_i32(&t, "range_gt", 1, x), x >= 0 && x <= 10);
		assert_int_equal(call_i32(&t, "range_ge", 1, x), x >= 0 && x < 10);
		assert_int_equal(call_i32(&t, "range_neg", 1, x), 0);
		assert_int_equal(call_i32(&t, "range_two", 2, x, 5), x >= 0);
		assert_int_equal(call_i32(&t, "range_two", 2, 5, x), x <= 10);
		assert_int_equal(call_i32(&t, "range_label", 2, x, 0), x >= 0 && x <= 10);
		for (size_t j = 0; j < sizeof(xs) / sizeof(xs[0]); j++) {
			int32_t y = xs[j];
			uint32_t ux = (uint32_t)x, uy = (uint32_t)y;
			assert_int_equal(call_i32(&t, "or2", 2, x, y), !(x == 7 || ux > 10 || uy > 20 || y == 5));
			assert_int_equal(call_i32(&t, "or2_range", 2, x, y), !(ux > 10 || y < 0 || y > 20));
			assert_int_equal(call_i32(&t, "or2_labels", 2, x, y), ux > 10 ? 2 : uy > 20 ? 0 : 1);
		}
		assert_int_equal(call_i32(&t, "range_label", 2, x, 1), x <= 10);
	}
	assert_int_equal(call_i32(&t, "add3", 3, 1, 20, 300), 321);
	assert_int_equal(call_i32(&t, "add3", 3, INT32_MAX, 1, 5), INT32_MIN + 5);
	assert_int_equal(call_i32(&t, "add_side", 3, 1, 20, 300), 21 - 301);
	assert_int_equal(call_i32(&t, "add_side", 3, 7, 2, 0), 9 - 7);
	assert_int_equal(call_i32(&t, "add_tee", 3, 1, 2, 30), 33 * 1000 + 3);
	assert_int_equal(call_i32(&t, "add_tee", 3, -5, 2, 0), -3 * 1000 - 3);
	uint64_t k = 0x123456789u;
	assert_int_equal(call_i32(&t, "sxi_k", 1, 0), 1000 + (int32_t)(uint32_t)k);
	assert_int_equal(call_i32(&t, "sxi_k", 1, 1), (int32_t)(uint32_t)(k << 16 | k >> 48));
	assert_int_equal(call_i32(&t, "sxi_k", 1, 2), (int32_t)(k >> 28));
	assert_int_equal(call_i32(&t, "sxi_k", 1, 3), (int32_t)(uint32_t)(k << 16 | k >> 48));
	assert_int_equal(call_i32(&t, "sxi_k32", 1, 1), 2); /* the load reads the 2 written */
	assert_int_equal(call_i32(&t, "add_addi", 2, 5, 6), 18 * 1000 + 11);
	assert_int_equal(call_i32(&t, "add_addi", 2, INT32_MAX, 0), (int32_t)(((uint32_t)INT32_MAX + 7u) * 1000u + (uint32_t)INT32_MAX));
	assert_int_equal(call_i32(&t, "add_addi_ld", 2, 4, 4), 5 + 8);
	assert_int_equal(call_i32(&t, "add_addi_ld", 2, -1, 1), 1 + 0);
	assert_int_equal(call_i32(&t, "add_addi_tbl", 2, 1, 1), 10);
	assert_int_equal(call_i32(&t, "add_addi_tbl", 2, 1, 2), 3 + 20);
	assert_int_equal(call_i32(&t, "add_addi_tbl", 2, 2, 2), 4);
	assert_int_equal(call_i32(&t, "add_addi_tbl", 2, 0, 1), 1); /* -1: the default */
	static const uint32_t bs[] = { 0, 1, 0x0f0f0f0fu, 0x80000001u, 0xffffffffu, 0x12345678u };
	for (size_t i = 0; i < sizeof(bs) / sizeof(bs[0]); i++) {
		uint32_t a = bs[i], b = bs[(i + 2) % 6], c = bs[(i + 3) % 6] * 3u;
		assert_int_equal(call_i32(&t, "add_bit", 3, a, b, c), (int32_t)((a & b) + c));
		assert_int_equal(call_i32(&t, "add_bit2", 3, a, b, c),
		                 (int32_t)((c + (a ^ b)) - ((c & ~a) + b)));
		assert_int_equal(call_i32(&t, "andn", 2, a, b), (int32_t)(~a & b));
		assert_int_equal(call_i32(&t, "rot3", 3, a, b, c),
		                 (int32_t)(rotl32(a, 5) ^ rotl32(b, 11) ^ rotl32(c, 27)));
		assert_int_equal(call_i32(&t, "rot3_tee", 3, a, b, c),
		                 (int32_t)((rotl32(a, 5) ^ rotl32(b, 11) ^ rotl32(c, 27)) -
		                           (rotl32(a, 5) ^ rotl32(b, 11))));
		assert_int_equal(call_i32(&t, "rot3_set", 3, a, b, c),
		                 (int32_t)(((a * 3u) ^ rotl32(c, 27)) + (rotl32(a, 5) ^ rotl32(b, 11))));
		assert_int_equal(call_i32(&t, "andn_not", 2, a, b), (int32_t)(b & (a ^ 0xfffffffeu)));
		assert_int_equal(call_i32(&t, "add_bit_tee", 2, a, b & 0xfff),
		                 (int32_t)((((a & b & 0xfff) + a) * 1000u) + (a & b & 0xfff)));
	}
	for (int32_t n = -2; n <= 10; n++) {
		int32_t m = n <= 3 ? 3 : (n + 2) / 3 * 3;
		assert_int_equal(call_i32(&t, "mov_br", 1, n), m);
		if (n >= 0)
			assert_int_equal(call_i32(&t, "mov_br_gt", 1, n), m);
		assert_int_equal(call_i32(&t, "mov_br_always", 1, n), n <= 1 ? 0 : n - 1);
	}
	drop(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arith),
		cmocka_unit_test(test_locals),
		cmocka_unit_test(test_control),
		cmocka_unit_test(test_traps),
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_i64),
		cmocka_unit_test(test_fused),
		cmocka_unit_test(test_fused2),
		cmocka_unit_test(test_fused3),
		cmocka_unit_test(test_br_table),
		cmocka_unit_test(test_fused4),
		cmocka_unit_test(test_andi),
		cmocka_unit_test(test_ld),
		cmocka_unit_test(test_sxa),
		cmocka_unit_test(test_ldz),
		cmocka_unit_test(test_add2),
		cmocka_unit_test(test_muli),
		cmocka_unit_test(test_axpy),
		cmocka_unit_test(test_fused5),
		cmocka_unit_test(test_cross_instance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
