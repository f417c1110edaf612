/*
 * test_canon.c: the synchronous canonical ABI (src/component/canon.h).
 *
 * Values of every type go through memory (store, load) and through core
 * values (lower_flat, lift_flat) and must come back equal; strings are
 * transcoded between every pair of encodings and checked byte for byte
 * and realloc call for realloc call against CanonicalABI.md; every trap
 * condition is provoked and its message checked against the wording of
 * the reference tests. Memories come from the engine (wr_memory_new); the
 * realloc is a host function whose results the tests can spoil, or the
 * core module of data/libc.wat.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "wrun.h"
#include "ctype.h"
#include "canon.h"
#include "canon_impl.h"

#include "data/libc_wasm.h"
#include "data/main_wasm.h"

/* ---- a realloc whose answers the tests choose ---- */

enum ra_mode { RA_OK, RA_MISALIGN, RA_OOB, RA_TRAP };

struct ra_call {
	uint32_t old, old_size, align, size, ret;
};

struct ra {
	wr_memory *mem;
	uint32_t next;
	enum ra_mode mode;
	uint32_t n;
	struct ra_call log[32];
};

static wr_trapkind ra_fn(wr_hostcall *hc, uint64_t *slots, void *user)
{
	struct ra *r = user;
	struct ra_call c = { (uint32_t)slots[0], (uint32_t)slots[1], (uint32_t)slots[2],
	                     (uint32_t)slots[3], 0 };
	if (r->mode == RA_TRAP)
		return wr_hostcall_trap(hc, "realloc refused");
	uint32_t p = (r->next + c.align - 1) / c.align * c.align;
	r->next = p + c.size;
	if (c.old && c.old_size)
		memmove(wr_memory_data(r->mem) + p, wr_memory_data(r->mem) + c.old,
		        c.old_size < c.size ? c.old_size : c.size);
	if (r->mode == RA_MISALIGN)
		p |= 1;
	else if (r->mode == RA_OOB)
		p = 0xfffffffcu;
	c.ret = p;
	if (r->n < 32)
		r->log[r->n++] = c;
	slots[0] = p;
	return WR_OK;
}

/* ---- fixture ---- */

struct fx {
	wr_store *s;
	wr_memory *mem;
	struct ra ra;
	wr_func *realloc;
	struct cinstance *inst;
	struct canonopts opts;
	struct ctask task;
	struct csubtask sub;
	wr_trap trap;
	struct ccx cx;
	wr_module *mods[2];     /* freed after the store */
};

static ctype_arena *A;

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	static const uint8_t i32x4[] = { WR_I32, WR_I32, WR_I32, WR_I32 };
	wr_functype rt = { 4, 1, i32x4, i32x4 };
	wr_limits pages = { 1, 4, true, false };
	f->s = wr_store_new();
	f->mem = wr_memory_new(f->s, &pages);
	f->ra.mem = f->mem;
	f->ra.next = 4096;
	f->realloc = wr_func_new_host(f->s, &rt, ra_fn, &f->ra, "realloc");
	f->inst = cinstance_new(NULL);
	f->opts = (struct canonopts){ f->mem, f->realloc, NULL, CSTR_UTF8, f->inst };
	f->task.inst = f->inst;
	f->cx = (struct ccx){ &f->opts, f->inst, &f->task, &f->sub, &f->trap, 0 };
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	free(f->sub.lenders);
	wr_store_free(f->s);
	wr_module_free(f->mods[0]);
	wr_module_free(f->mods[1]);
	cinstance_free(f->inst);
	free(f);
	return 0;
}

static uint8_t *M(struct fx *f, uint32_t at)
{
	return wr_memory_data(f->mem) + at;
}

static void put32(struct fx *f, uint32_t at, uint32_t v)
{
	memcpy(M(f, at), &v, 4);
}

static uint32_t get32(struct fx *f, uint32_t at)
{
	uint32_t v;
	memcpy(&v, M(f, at), 4);
	return v;
}

static void expect_trap(wr_trapkind k, const wr_trap *t, const char *words)
{
	assert_int_not_equal(k, WR_OK);
	if (!strstr(t->message, words))
		fail_msg("trap message \"%s\" lacks \"%s\"", t->message, words);
}

/* ---- types ---- */

static const ctype *P(wr_ckind k)
{
	return ctype_prim(k);
}

static const ctype *mk(ctype proto)
{
	ctype *t = ctype_alloc(A, sizeof(*t));
	*t = proto;
	assert_true(ctype_finish(t));
	return t;
}

/* A record, tuple or variant of n field/case types (NULL: no payload),
 * or an enum or flags of n labels. */
static const ctype *T(wr_ckind kind, uint32_t n, ...)
{
	cfield *f = ctype_alloc(A, sizeof(cfield) * (n ? n : 1));
	va_list ap;
	va_start(ap, n);
	for (uint32_t i = 0; i < n; i++) {
		f[i].name = "x";
		if (kind != WR_C_ENUM && kind != WR_C_FLAGS)
			f[i].type = va_arg(ap, const ctype *);
	}
	va_end(ap);
	return mk((ctype){ .kind = kind, .n = n, .f = f });
}

static const ctype *t_list(const ctype *e, uint32_t fixed)
{
	return mk((ctype){ .kind = WR_C_LIST, .elem = e, .fixed_len = fixed });
}

static const ctype *t_option(const ctype *e)
{
	return mk((ctype){ .kind = WR_C_OPTION, .elem = e });
}

static const ctype *t_result(const ctype *ok, const ctype *err)
{
	return mk((ctype){ .kind = WR_C_RESULT, .elem = ok, .err = err });
}

static const ctype *t_handle(wr_ckind k, const cresource *r)
{
	return mk((ctype){ .kind = k, .res = r });
}

/* ---- values ---- */

static wr_cval U(wr_ckind k, uint64_t u)
{
	return (wr_cval){ .kind = k, .of.u = u };
}

static wr_cval I(wr_ckind k, int64_t i)
{
	return (wr_cval){ .kind = k, .of.i = i };
}

static wr_cval F32(float x)
{
	return (wr_cval){ .kind = WR_C_F32, .of.f32 = x };
}

static wr_cval F64(double x)
{
	return (wr_cval){ .kind = WR_C_F64, .of.f64 = x };
}

static wr_cval S(const char *s)
{
	return (wr_cval){ .kind = WR_C_STRING, .len = (uint32_t)strlen(s), .of.str = strdup(s) };
}

/* An aggregate of n parts given by value. */
static wr_cval AG(wr_ckind k, uint32_t tag, uint32_t n, ...)
{
	wr_cval v = { .kind = k, .tag = tag, .len = n, .of.elems = n ? calloc(n, sizeof(wr_cval)) : NULL };
	va_list ap;
	va_start(ap, n);
	for (uint32_t i = 0; i < n; i++)
		v.of.elems[i] = va_arg(ap, wr_cval);
	va_end(ap);
	return v;
}

static wr_cval H(wr_ckind k, uint32_t rep, const cresource *r)
{
	return (wr_cval){ .kind = k, .of.handle = { rep, r } };
}

/* v through memory and back, then through core values and back. */
static void roundtrip(struct fx *f, const ctype *t, wr_cval v)
{
	wr_cval out;
	uint32_t at = 1024;
	assert_int_equal(canon_store(&f->cx, &v, t, at), WR_OK);
	assert_int_equal(canon_load(&f->cx, at, t, &out), WR_OK);
	assert_true(cval_equal(&v, &out));
	wr_cval_free(&out);

	uint64_t vals[CANON_FLAT_MAX];
	uint8_t types[CANON_FLAT_MAX];
	uint32_t n = canon_flatten_type(t, types, CANON_FLAT_MAX);
	if (n <= CANON_FLAT_MAX) {
		struct cflat w = { vals, NULL, CANON_FLAT_MAX, 0 };
		assert_int_equal(canon_lower_flat(&f->cx, &v, t, &w), WR_OK);
		assert_int_equal(w.i, n);
		struct cflat r = { vals, types, n, 0 };
		assert_int_equal(canon_lift_flat(&f->cx, &r, t, &out), WR_OK);
		assert_int_equal(r.i, n);
		assert_true(cval_equal(&v, &out));
		wr_cval_free(&out);
	}
	wr_cval_free(&v);
}

/* ---- every value type, both ways ---- */

static void test_roundtrip_primitives(void **state)
{
	struct fx *f = *state;
	roundtrip(f, P(WR_C_BOOL), U(WR_C_BOOL, 1));
	roundtrip(f, P(WR_C_BOOL), U(WR_C_BOOL, 0));
	roundtrip(f, P(WR_C_S8), I(WR_C_S8, -128));
	roundtrip(f, P(WR_C_U8), U(WR_C_U8, 255));
	roundtrip(f, P(WR_C_S16), I(WR_C_S16, -32768));
	roundtrip(f, P(WR_C_U16), U(WR_C_U16, 65535));
	roundtrip(f, P(WR_C_S32), I(WR_C_S32, INT32_MIN));
	roundtrip(f, P(WR_C_U32), U(WR_C_U32, UINT32_MAX));
	roundtrip(f, P(WR_C_S64), I(WR_C_S64, INT64_MIN));
	roundtrip(f, P(WR_C_U64), U(WR_C_U64, UINT64_MAX));
	roundtrip(f, P(WR_C_F32), F32(-1.5f));
	roundtrip(f, P(WR_C_F64), F64(1e300));
	roundtrip(f, P(WR_C_F64), F64(-0.0));
	roundtrip(f, P(WR_C_CHAR), U(WR_C_CHAR, 0x10ffff));
	roundtrip(f, P(WR_C_CHAR), U(WR_C_CHAR, 0xd7ff));
	roundtrip(f, P(WR_C_STRING), S(""));
	roundtrip(f, P(WR_C_STRING), S("h\xc3\xa9llo \xf0\x9f\x98\x80"));
}

static void test_roundtrip_aggregates(void **state)
{
	struct fx *f = *state;
	const ctype *rec = T(WR_C_RECORD, 3, P(WR_C_U8), P(WR_C_STRING), P(WR_C_F64));
	roundtrip(f, rec, AG(WR_C_RECORD, 0, 3, U(WR_C_U8, 7), S("abc"), F64(2.5)));
	const ctype *tup = T(WR_C_TUPLE, 2, P(WR_C_S16), P(WR_C_CHAR));
	roundtrip(f, tup, AG(WR_C_TUPLE, 0, 2, I(WR_C_S16, -2), U(WR_C_CHAR, 0x1f600)));
	const ctype *lu8 = t_list(P(WR_C_U8), 0);
	roundtrip(f, lu8, AG(WR_C_LIST, 0, 3, U(WR_C_U8, 1), U(WR_C_U8, 2), U(WR_C_U8, 3)));
	roundtrip(f, lu8, AG(WR_C_LIST, 0, 0));
	const ctype *lstr = t_list(P(WR_C_STRING), 0);
	roundtrip(f, lstr, AG(WR_C_LIST, 0, 2, S("foo"), S("\xe2\x82\xac")));
	const ctype *fixed = t_list(P(WR_C_U16), 3);
	roundtrip(f, fixed, AG(WR_C_LIST, 0, 3, U(WR_C_U16, 1), U(WR_C_U16, 2), U(WR_C_U16, 3)));
	const ctype *nested = t_list(t_list(P(WR_C_U32), 0), 0);
	roundtrip(f, nested, AG(WR_C_LIST, 0, 2, AG(WR_C_LIST, 0, 1, U(WR_C_U32, 9)),
	                        AG(WR_C_LIST, 0, 0)));
	const ctype *fixrec = t_list(T(WR_C_TUPLE, 2, P(WR_C_U8), P(WR_C_U64)), 2);
	roundtrip(f, fixrec, AG(WR_C_LIST, 0, 2, AG(WR_C_TUPLE, 0, 2, U(WR_C_U8, 1), U(WR_C_U64, 2)),
	                        AG(WR_C_TUPLE, 0, 2, U(WR_C_U8, 3), U(WR_C_U64, 4))));
}

static void test_roundtrip_variants(void **state)
{
	struct fx *f = *state;
	const ctype *v = T(WR_C_VARIANT, 5, P(WR_C_U32), P(WR_C_F32), P(WR_C_U64), P(WR_C_F64), NULL);
	roundtrip(f, v, AG(WR_C_VARIANT, 0, 1, U(WR_C_U32, 42)));
	roundtrip(f, v, AG(WR_C_VARIANT, 1, 1, F32(5.0f)));
	roundtrip(f, v, AG(WR_C_VARIANT, 2, 1, U(WR_C_U64, UINT64_MAX)));
	roundtrip(f, v, AG(WR_C_VARIANT, 3, 1, F64(-9.25)));
	roundtrip(f, v, AG(WR_C_VARIANT, 4, 0));
	const ctype *e = T(WR_C_ENUM, 300);
	roundtrip(f, e, (wr_cval){ .kind = WR_C_ENUM, .tag = 299 });
	const ctype *o = t_option(P(WR_C_STRING));
	roundtrip(f, o, AG(WR_C_OPTION, 1, 1, S("some")));
	roundtrip(f, o, AG(WR_C_OPTION, 0, 0));
	const ctype *r = t_result(P(WR_C_STRING), P(WR_C_U32));
	roundtrip(f, r, AG(WR_C_RESULT, 0, 1, S("ok")));
	roundtrip(f, r, AG(WR_C_RESULT, 1, 1, U(WR_C_U32, 404)));
	const ctype *r0 = t_result(NULL, NULL);
	roundtrip(f, r0, AG(WR_C_RESULT, 1, 0));
	const ctype *pad = T(WR_C_VARIANT, 2, T(WR_C_TUPLE, 2, P(WR_C_F32), P(WR_C_F32)), P(WR_C_U32));
	roundtrip(f, pad, AG(WR_C_VARIANT, 0, 1, AG(WR_C_TUPLE, 0, 2, F32(2), F32(3))));
	roundtrip(f, pad, AG(WR_C_VARIANT, 1, 1, U(WR_C_U32, 42)));
	const ctype *fl1 = T(WR_C_FLAGS, 1), *fl9 = T(WR_C_FLAGS, 9), *fl32 = T(WR_C_FLAGS, 32);
	roundtrip(f, fl1, U(WR_C_FLAGS, 1));
	roundtrip(f, fl9, U(WR_C_FLAGS, 0x111));
	roundtrip(f, fl32, U(WR_C_FLAGS, 0x80000001u));
}

static void test_roundtrip_handles(void **state)
{
	struct fx *f = *state;
	cresource host_r = { "r", NULL, NULL, NULL, NULL };
	cresource mine = { "m", f->inst, NULL, NULL, NULL };
	roundtrip(f, t_handle(WR_C_OWN, &host_r), H(WR_C_OWN, 77, &host_r));
	assert_int_equal(cinstance_live_handles(f->inst), 0);
	roundtrip(f, t_handle(WR_C_BORROW, &host_r), H(WR_C_BORROW, 78, &host_r));
	assert_int_equal(f->task.num_borrows, 2); /* memory, then flat */
	/* a borrow lowered into the resource's own instance is its rep */
	const ctype *bm = t_handle(WR_C_BORROW, &mine);
	uint64_t val;
	struct cflat w = { &val, NULL, 1, 0 };
	wr_cval b = H(WR_C_BORROW, 1234, &mine);
	assert_int_equal(canon_lower_flat(&f->cx, &b, bm, &w), WR_OK);
	assert_int_equal(val, 1234);
	assert_int_equal(f->task.num_borrows, 2);
}

/* ---- flattening ---- */

static void test_flatten(void **state)
{
	(void)state;
	uint8_t t[CANON_FLAT_MAX];
	const ctype *v = T(WR_C_VARIANT, 4, P(WR_C_U32), P(WR_C_F32), P(WR_C_U64), P(WR_C_F64));
	assert_int_equal(canon_flatten_type(v, t, CANON_FLAT_MAX), 2);
	assert_int_equal(t[0], WR_I32);
	assert_int_equal(t[1], WR_I64);
	const ctype *v2 = T(WR_C_VARIANT, 2, P(WR_C_F32), P(WR_C_U8));
	assert_int_equal(canon_flatten_type(v2, t, CANON_FLAT_MAX), 2);
	assert_int_equal(t[1], WR_I32);
	const ctype *v3 = T(WR_C_VARIANT, 2, P(WR_C_F64), P(WR_C_F64));
	canon_flatten_type(v3, t, CANON_FLAT_MAX);
	assert_int_equal(t[1], WR_F64);
	const ctype *pad = T(WR_C_VARIANT, 2, T(WR_C_TUPLE, 2, P(WR_C_F32), P(WR_C_F32)), P(WR_C_U64));
	assert_int_equal(canon_flatten_type(pad, t, CANON_FLAT_MAX), 3);
	assert_int_equal(t[1], WR_I64);
	assert_int_equal(t[2], WR_F32);

	/* 16 flat parameters stay flat, 17 spill to one pointer */
	cfield p[17];
	for (int i = 0; i < 17; i++)
		p[i] = (cfield){ "p", P(WR_C_U32) };
	struct cflatsig sig;
	cfunctype ft = { 16, p, P(WR_C_STRING), false };
	canon_flatten_functype(&ft, false, &sig);
	assert_int_equal(sig.nparams, 16);
	assert_int_equal(sig.nresults, 1);
	canon_flatten_functype(&ft, true, &sig);
	assert_int_equal(sig.nparams, 17); /* the return pointer */
	assert_int_equal(sig.nresults, 0);
	ft.nparams = 17;
	canon_flatten_functype(&ft, true, &sig);
	assert_int_equal(sig.nparams, 2);
	ft.result = P(WR_C_F64);
	canon_flatten_functype(&ft, false, &sig);
	assert_int_equal(sig.nparams, 1);
	assert_int_equal(sig.nresults, 1);
	assert_int_equal(sig.results[0], WR_F64);
}

/* ---- scalar conversions and their traps ---- */

/* Lift a value of type t from one core value of type ct. */
static wr_trapkind lift1(struct fx *f, const ctype *t, uint8_t ct, uint64_t x, wr_cval *out)
{
	struct cflat r = { &x, &ct, 1, 0 };
	return canon_lift_flat(&f->cx, &r, t, out);
}

static void test_scalars(void **state)
{
	struct fx *f = *state;
	wr_cval v;
	assert_int_equal(lift1(f, P(WR_C_BOOL), WR_I32, 2, &v), WR_OK);
	assert_int_equal(v.of.u, 1);
	assert_int_equal(lift1(f, P(WR_C_U8), WR_I32, 0x1ff, &v), WR_OK);
	assert_int_equal(v.of.u, 0xff);
	assert_int_equal(lift1(f, P(WR_C_S8), WR_I32, 0xff, &v), WR_OK);
	assert_int_equal(v.of.i, -1);
	assert_int_equal(lift1(f, P(WR_C_S16), WR_I32, 0x18000, &v), WR_OK);
	assert_int_equal(v.of.i, -32768);
	assert_int_equal(lift1(f, T(WR_C_FLAGS, 9), WR_I32, 0xfffffe01, &v), WR_OK);
	assert_int_equal(v.of.u, 0x1);
	assert_int_equal(lift1(f, P(WR_C_F32), WR_F32, 0x7fa00001, &v), WR_OK);
	uint32_t bits;
	memcpy(&bits, &v.of.f32, 4);
	assert_int_equal(bits, 0x7fc00000); /* NaN canonicalised */
	assert_int_equal(lift1(f, P(WR_C_F64), WR_F64, 0xfff0000000000001ull, &v), WR_OK);
	uint64_t b64;
	memcpy(&b64, &v.of.f64, 8);
	assert_true(b64 == 0x7ff8000000000000ull);
	/* a lowered NaN is the canonical NaN too */
	wr_cval nan = F32(0);
	bits = 0xffc00123;
	memcpy(&nan.of.f32, &bits, 4);
	uint64_t out;
	struct cflat w = { &out, NULL, 1, 0 };
	assert_int_equal(canon_lower_flat(&f->cx, &nan, P(WR_C_F32), &w), WR_OK);
	assert_int_equal(out, 0x7fc00000);
	/* memory: a nonzero byte is true, undefined flag bits are dropped */
	*M(f, 100) = 0x80;
	assert_int_equal(canon_load(&f->cx, 100, P(WR_C_BOOL), &v), WR_OK);
	assert_int_equal(v.of.u, 1);
	put32(f, 104, 0xffffffff);
	assert_int_equal(canon_load(&f->cx, 104, T(WR_C_FLAGS, 17), &v), WR_OK);
	assert_int_equal(v.of.u, 0x1ffff);
}

static void test_trap_char(void **state)
{
	struct fx *f = *state;
	wr_cval v;
	expect_trap(lift1(f, P(WR_C_CHAR), WR_I32, 0xd800, &v), &f->trap, "invalid `char` bit pattern");
	expect_trap(lift1(f, P(WR_C_CHAR), WR_I32, 0xdfff, &v), &f->trap, "invalid `char` bit pattern");
	expect_trap(lift1(f, P(WR_C_CHAR), WR_I32, 0x110000, &v), &f->trap,
	            "invalid `char` bit pattern");
	put32(f, 100, 0xdc00);
	expect_trap(canon_load(&f->cx, 100, P(WR_C_CHAR), &v), &f->trap, "invalid `char` bit pattern");
	wr_cval bad = U(WR_C_CHAR, 0xd900);
	expect_trap(canon_store(&f->cx, &bad, P(WR_C_CHAR), 100), &f->trap, "invalid `char`");
}

static void test_trap_discriminant(void **state)
{
	struct fx *f = *state;
	wr_cval v;
	const ctype *var = T(WR_C_VARIANT, 2, P(WR_C_U32), NULL);
	const ctype *types[] = { var, T(WR_C_ENUM, 3), t_option(P(WR_C_U8)),
	                         t_result(P(WR_C_U8), NULL) };
	uint32_t bad[] = { 2, 3, 2, 2 };
	for (int i = 0; i < 4; i++) {
		uint64_t x[2] = { bad[i], 0 };
		uint8_t ty[2] = { WR_I32, WR_I32 };
		struct cflat r = { x, ty, types[i]->nflat, 0 };
		expect_trap(canon_lift_flat(&f->cx, &r, types[i], &v), &f->trap,
		            "invalid variant discriminant");
		put32(f, 200, bad[i]);
		expect_trap(canon_load(&f->cx, 200, types[i], &v), &f->trap,
		            "invalid variant discriminant");
	}
	/* 300 cases: a two-byte discriminant */
	const ctype *e = T(WR_C_ENUM, 300);
	put32(f, 200, 300);
	expect_trap(canon_load(&f->cx, 200, e, &v), &f->trap, "invalid variant discriminant");
	wr_cval hv = { .kind = WR_C_ENUM, .tag = 300 };
	expect_trap(canon_store(&f->cx, &hv, e, 200), &f->trap, "invalid variant discriminant");
	wr_cval wrong = U(WR_C_U32, 1);
	expect_trap(canon_store(&f->cx, &wrong, e, 200), &f->trap, "does not match");
}

/* ---- lists and strings in memory: bounds, alignment, limits ---- */

static wr_trapkind lift_pair(struct fx *f, const ctype *t, uint32_t ptr, uint32_t len,
                             wr_cval *out)
{
	uint64_t x[2] = { ptr, len };
	uint8_t ty[2] = { WR_I32, WR_I32 };
	struct cflat r = { x, ty, 2, 0 };
	return canon_lift_flat(&f->cx, &r, t, out);
}

static void test_trap_list_bounds(void **state)
{
	struct fx *f = *state;
	wr_cval v;
	const ctype *lu32 = t_list(P(WR_C_U32), 0);
	expect_trap(lift_pair(f, lu32, 2, 1, &v), &f->trap, "unaligned pointer");
	expect_trap(lift_pair(f, lu32, 65532, 2, &v), &f->trap, "list content out-of-bounds");
	expect_trap(lift_pair(f, lu32, 0x80000000u, 1, &v), &f->trap, "list content out-of-bounds");
	expect_trap(lift_pair(f, lu32, 0, 0x40000000u, &v), &f->trap, "out-of-bounds"); /* no wrap */
	expect_trap(lift_pair(f, lu32, 0, 0xffffffffu, &v), &f->trap, "out-of-bounds");
	assert_int_equal(lift_pair(f, lu32, 65532, 1, &v), WR_OK); /* the last word */
	wr_cval_free(&v);
	assert_int_equal(lift_pair(f, lu32, 65536, 0, &v), WR_OK); /* empty, at the end */
	wr_cval_free(&v);
	/* a list pointer in memory: the pair itself must be aligned */
	put32(f, 300, 8);
	put32(f, 304, 0xffff);
	expect_trap(canon_load(&f->cx, 300, lu32, &v), &f->trap, "list content out-of-bounds");
	const ctype *s = P(WR_C_STRING);
	expect_trap(lift_pair(f, s, 65535, 2, &v), &f->trap, "string content out-of-bounds");
	expect_trap(lift_pair(f, s, 0x80000000u, 1, &v), &f->trap,
	            "string pointer/length out of bounds of memory");
	expect_trap(lift_pair(f, s, 0, 1u << 28, &v), &f->trap, "out-of-bounds"); /* over the max */
	f->opts.string_encoding = CSTR_UTF16;
	expect_trap(lift_pair(f, s, 1, 0, &v), &f->trap, "unaligned pointer");
	expect_trap(lift_pair(f, s, 0, 0x7fffffffu, &v), &f->trap, "out-of-bounds");
	f->opts.string_encoding = CSTR_LATIN1_UTF16;
	expect_trap(lift_pair(f, s, 1, 0, &v), &f->trap, "unaligned pointer");
	expect_trap(lift_pair(f, s, 1, 0x80000000u, &v), &f->trap, "unaligned pointer");
	expect_trap(lift_pair(f, s, 0, 0x80000000u | 32769, &v), &f->trap, "out-of-bounds");
}

/* Lists and strings that all point at the same guest bytes: the host
 * memory their lifted values take is capped per call (CANON_MAX_LIFT_BYTES),
 * however little guest memory they use. */
static void test_trap_lift_budget(void **state)
{
	struct fx *f = *state;
	wr_cval v;
	const ctype *lu8 = t_list(P(WR_C_U8), 0);
	const ctype *llu8 = t_list(lu8, 0);
	const ctype *ls = t_list(P(WR_C_STRING), 0);
	/* 8000 (ptr, len) pairs at 1024, each naming bytes 0..60000: 8000 lists
	 * of 60000 elements, 11 GB of cells for 64 KiB of memory */
	for (uint32_t i = 0; i < 8000; i++) {
		put32(f, 1024 + 8 * i, 0);
		put32(f, 1028 + 8 * i, 60000);
	}
	f->cx.lifted = 0;
	expect_trap(lift_pair(f, llu8, 1024, 8000, &v), &f->trap,
	            "values of one call take more than 512 MiB");
	/* strings: 4000 of the zero bytes 0..1000 lift (4 MB of UTF-8, counted) */
	for (uint32_t i = 0; i < 4000; i++)
		put32(f, 1028 + 8 * i, 1000);
	f->cx.lifted = 0;
	assert_int_equal(lift_pair(f, ls, 1024, 4000, &v), WR_OK);
	assert_true(f->cx.lifted > 4000ull * 1000);
	wr_cval_free(&v);
	/* 8000 latin1 strings of the bytes 0..60000, 2 bytes each in UTF-8:
	 * 960 MB */
	for (uint32_t i = 0; i < 8000; i++)
		put32(f, 1028 + 8 * i, 60000);
	f->opts.string_encoding = CSTR_LATIN1_UTF16;
	f->cx.lifted = 0;
	expect_trap(lift_pair(f, ls, 1024, 8000, &v), &f->trap,
	            "values of one call take more than 512 MiB");
	f->opts.string_encoding = CSTR_UTF8;
	/* what is under the cap still lifts, and is counted */
	f->cx.lifted = 0;
	assert_int_equal(lift_pair(f, lu8, 0, 60000, &v), WR_OK);
	assert_int_equal(v.len, 60000);
	assert_true(f->cx.lifted >= 60000 * sizeof(wr_cval));
	wr_cval_free(&v);
	f->cx.lifted = 0;
}

static void test_trap_utf8(void **state)
{
	struct fx *f = *state;
	wr_cval v;
	const ctype *s = P(WR_C_STRING);
	memcpy(M(f, 400), "a\xff", 2);
	expect_trap(lift_pair(f, s, 400, 2, &v), &f->trap, "invalid utf-8");
	memcpy(M(f, 400), "\xc3", 1);
	expect_trap(lift_pair(f, s, 400, 1, &v), &f->trap, "incomplete utf-8 byte sequence");
	memcpy(M(f, 400), "\xc3\x41", 2);
	expect_trap(lift_pair(f, s, 400, 2, &v), &f->trap, "invalid utf-8");
	memcpy(M(f, 400), "\xed\xa0\x80", 3); /* an encoded surrogate */
	expect_trap(lift_pair(f, s, 400, 3, &v), &f->trap, "invalid utf-8");
	memcpy(M(f, 400), "\xf4\x90\x80\x80", 4); /* above U+10FFFF */
	expect_trap(lift_pair(f, s, 400, 4, &v), &f->trap, "invalid utf-8");
	memcpy(M(f, 400), "\xc0\xaf", 2); /* overlong */
	expect_trap(lift_pair(f, s, 400, 2, &v), &f->trap, "invalid utf-8");
	memcpy(M(f, 400), "\xf0\x9f\x98", 3);
	expect_trap(lift_pair(f, s, 400, 3, &v), &f->trap, "incomplete utf-8 byte sequence");
	/* the host's strings are checked too */
	wr_cval bad = { .kind = WR_C_STRING, .len = 1, .of.str = "\x80" };
	uint32_t p, n;
	expect_trap(canon_store_string(&f->cx, &bad, &p, &n), &f->trap, "invalid utf-8");
}

static void test_trap_utf16(void **state)
{
	struct fx *f = *state;
	wr_cval v;
	const ctype *s = P(WR_C_STRING);
	uint16_t lone_hi[] = { 'a', 0xd800, 'b' }, lone_lo[] = { 0xdc00 }, end_hi[] = { 'x', 0xdbff };
	f->opts.string_encoding = CSTR_UTF16;
	memcpy(M(f, 400), lone_hi, sizeof(lone_hi));
	expect_trap(lift_pair(f, s, 400, 3, &v), &f->trap, "invalid utf-16");
	memcpy(M(f, 400), lone_lo, sizeof(lone_lo));
	expect_trap(lift_pair(f, s, 400, 1, &v), &f->trap, "invalid utf-16");
	memcpy(M(f, 400), end_hi, sizeof(end_hi));
	expect_trap(lift_pair(f, s, 400, 2, &v), &f->trap, "invalid utf-16");
	f->opts.string_encoding = CSTR_LATIN1_UTF16;
	expect_trap(lift_pair(f, s, 400, 0x80000002u, &v), &f->trap, "invalid utf-16");
	uint16_t pair[] = { 0xd83d, 0xde00 };
	memcpy(M(f, 400), pair, 4);
	assert_int_equal(lift_pair(f, s, 400, 0x80000002u, &v), WR_OK);
	assert_string_equal(v.of.str, "\xf0\x9f\x98\x80");
	assert_int_equal(v.tag, CSTR_HINT_LATIN1_UTF16);
	wr_cval_free(&v);
}

/* ---- transcoding between every pair of encodings ---- */

/* The expected bytes of s (UTF-8) in enc; *units the (tagged) length.
 * latin1+utf16 is Latin-1 when every code point fits, unless utf16_form. */
static size_t encode(const char *s, enum cstrenc enc, bool utf16_form, uint8_t *out,
                     uint32_t *units)
{
	uint32_t cps[64], n = 0;
	bool latin1 = true;
	for (const uint8_t *p = (const uint8_t *)s; *p;) {
		uint32_t c = *p++, k = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
		c &= k ? 0x3f >> k : 0x7f;
		while (k--)
			c = c << 6 | (*p++ & 0x3f);
		latin1 &= c < 0x100;
		cps[n++] = c;
	}
	if (enc == CSTR_UTF8) {
		*units = (uint32_t)strlen(s);
		memcpy(out, s, *units);
		return *units;
	}
	if (enc == CSTR_LATIN1_UTF16 && latin1 && !utf16_form) {
		for (uint32_t i = 0; i < n; i++)
			out[i] = (uint8_t)cps[i];
		*units = n;
		return n;
	}
	uint32_t u = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t c = cps[i];
		if (c >= 0x10000) {
			c -= 0x10000;
			uint16_t hi = (uint16_t)(0xd800 | c >> 10);
			memcpy(out + 2 * u++, &hi, 2);
			c = 0xdc00 | (c & 0x3ff);
		}
		uint16_t lo = (uint16_t)c;
		memcpy(out + 2 * u++, &lo, 2);
	}
	*units = u | (enc == CSTR_LATIN1_UTF16 ? CANON_UTF16_TAG : 0);
	return 2 * (size_t)u;
}

static void transcode_one(struct fx *f, const char *s, enum cstrenc from, bool utf16_form,
                          enum cstrenc to)
{
	uint8_t want[256];
	uint32_t units, got_units, ptr;
	size_t n = encode(s, from, utf16_form, want, &units);
	memcpy(M(f, 512), want, n);
	f->opts.string_encoding = from;
	wr_cval v;
	assert_int_equal(canon_load_string(&f->cx, 512, units, &v), WR_OK);
	assert_string_equal(v.of.str, s);
	f->opts.string_encoding = to;
	assert_int_equal(canon_store_string(&f->cx, &v, &ptr, &got_units), WR_OK);
	n = encode(s, to, false, want, &units);
	assert_int_equal(got_units, units);
	if (n)
		assert_memory_equal(M(f, ptr), want, n);
	wr_cval back;
	assert_int_equal(canon_load_string(&f->cx, ptr, got_units, &back), WR_OK);
	assert_true(cval_equal(&v, &back));
	wr_cval_free(&v);
	wr_cval_free(&back);
}

static void test_transcode_all_pairs(void **state)
{
	struct fx *f = *state;
	static const char *strs[] = { "", "hello", "h\xc3\xa9llo", "\xc3\xbf\xc3\xbf",
	                              "h\xe2\x82\xacllo", "a\xf0\x9f\x98\x80\x62",
	                              "\xc3\xa9\xe2\x82\xac\xc3\xa9" };
	static const enum cstrenc encs[] = { CSTR_UTF8, CSTR_UTF16, CSTR_LATIN1_UTF16 };
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		for (int a = 0; a < 3; a++)
			for (int b = 0; b < 3; b++) {
				transcode_one(f, strs[i], encs[a], false, encs[b]);
				if (a == 2)
					transcode_one(f, strs[i], encs[a], true, encs[b]);
			}
}

/* The realloc calls of one lowering of s, lifted from `from`. */
static void expect_reallocs(struct fx *f, const char *s, enum cstrenc from, bool utf16_form,
                            enum cstrenc to, uint32_t n, const uint32_t (*calls)[4])
{
	uint8_t raw[128];
	uint32_t units, ptr, out;
	size_t len = encode(s, from, utf16_form, raw, &units);
	memcpy(M(f, 512), raw, len);
	f->opts.string_encoding = from;
	wr_cval v;
	assert_int_equal(canon_load_string(&f->cx, 512, units, &v), WR_OK);
	f->opts.string_encoding = to;
	f->ra.n = 0;
	assert_int_equal(canon_store_string(&f->cx, &v, &ptr, &out), WR_OK);
	wr_cval_free(&v);
	assert_int_equal(f->ra.n, n);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t old = i ? f->ra.log[i - 1].ret : 0;
		assert_int_equal(f->ra.log[i].old, calls[i][0] ? old : 0);
		assert_int_equal(f->ra.log[i].old_size, calls[i][1]);
		assert_int_equal(f->ra.log[i].align, calls[i][2]);
		assert_int_equal(f->ra.log[i].size, calls[i][3]);
	}
}

static void test_transcode_reallocs(void **state)
{
	struct fx *f = *state;
	/* { reallocates the previous block?, old_size, align, new_size } */
	static const uint32_t empty[][4] = { { 0, 0, 1, 0 } };
	expect_reallocs(f, "", CSTR_UTF8, false, CSTR_UTF8, 1, empty);
	static const uint32_t u16_u8[][4] = { { 0, 0, 1, 5 }, { 1, 5, 1, 15 }, { 1, 15, 1, 7 } };
	expect_reallocs(f, "h\xe2\x82\xacllo", CSTR_UTF16, false, CSTR_UTF8, 3, u16_u8);
	static const uint32_t u16_ascii[][4] = { { 0, 0, 1, 5 } };
	expect_reallocs(f, "hello", CSTR_UTF16, false, CSTR_UTF8, 1, u16_ascii);
	static const uint32_t l1_u8[][4] = { { 0, 0, 1, 5 }, { 1, 5, 1, 10 }, { 1, 10, 1, 6 } };
	expect_reallocs(f, "h\xc3\xa9llo", CSTR_LATIN1_UTF16, false, CSTR_UTF8, 3, l1_u8);
	static const uint32_t u8_u16[][4] = { { 0, 0, 2, 12 }, { 1, 12, 2, 10 } };
	expect_reallocs(f, "h\xc3\xa9llo", CSTR_UTF8, false, CSTR_UTF16, 2, u8_u16);
	static const uint32_t u8_u16_ascii[][4] = { { 0, 0, 2, 10 } };
	expect_reallocs(f, "hello", CSTR_UTF8, false, CSTR_UTF16, 1, u8_u16_ascii);
	static const uint32_t u8_l1[][4] = { { 0, 0, 2, 6 }, { 1, 6, 2, 5 } };
	expect_reallocs(f, "h\xc3\xa9llo", CSTR_UTF8, false, CSTR_LATIN1_UTF16, 2, u8_l1);
	static const uint32_t u8_l1u16[][4] = { { 0, 0, 2, 7 }, { 1, 7, 2, 14 }, { 1, 14, 2, 10 } };
	expect_reallocs(f, "h\xe2\x82\xacllo", CSTR_UTF8, false, CSTR_LATIN1_UTF16, 3, u8_l1u16);
	static const uint32_t prob[][4] = { { 0, 0, 2, 10 }, { 1, 10, 1, 5 } };
	expect_reallocs(f, "hello", CSTR_LATIN1_UTF16, true, CSTR_LATIN1_UTF16, 2, prob);
	static const uint32_t prob16[][4] = { { 0, 0, 2, 10 } };
	expect_reallocs(f, "h\xe2\x82\xacllo", CSTR_LATIN1_UTF16, true, CSTR_LATIN1_UTF16, 1, prob16);
	static const uint32_t l1copy[][4] = { { 0, 0, 2, 5 } };
	expect_reallocs(f, "h\xc3\xa9llo", CSTR_LATIN1_UTF16, false, CSTR_LATIN1_UTF16, 1, l1copy);
	static const uint32_t l1_u16[][4] = { { 0, 0, 2, 10 } };
	expect_reallocs(f, "h\xc3\xa9llo", CSTR_LATIN1_UTF16, false, CSTR_UTF16, 1, l1_u16);
}

/* ---- realloc results ---- */

static void test_trap_realloc(void **state)
{
	struct fx *f = *state;
	const ctype *lu32 = t_list(P(WR_C_U32), 0);
	wr_cval l = AG(WR_C_LIST, 0, 2, U(WR_C_U32, 1), U(WR_C_U32, 2)), empty = AG(WR_C_LIST, 0, 0);
	uint64_t x[2];
	struct cflat w = { x, NULL, 2, 0 };
	f->ra.mode = RA_MISALIGN;
	expect_trap(canon_lower_flat(&f->cx, &l, lu32, &w), &f->trap,
	            "realloc return: result not aligned");
	expect_trap(canon_lower_flat(&f->cx, &l, lu32, &w), &f->trap, "unaligned pointer");
	f->ra.mode = RA_OOB;
	w.i = 0;
	expect_trap(canon_lower_flat(&f->cx, &l, lu32, &w), &f->trap,
	            "realloc return: beyond end of memory");
	expect_trap(canon_lower_flat(&f->cx, &l, lu32, &w), &f->trap, "list content out-of-bounds");
	w.i = 0;
	expect_trap(canon_lower_flat(&f->cx, &empty, lu32, &w), &f->trap,
	            "realloc return: beyond end of memory");
	wr_cval s = S("abc");
	uint32_t p, n;
	expect_trap(canon_store_string(&f->cx, &s, &p, &n), &f->trap, "string content out-of-bounds");
	f->opts.string_encoding = CSTR_UTF16;
	f->ra.mode = RA_MISALIGN;
	expect_trap(canon_store_string(&f->cx, &s, &p, &n), &f->trap, "unaligned pointer");
	f->ra.mode = RA_TRAP;
	wr_trapkind k = canon_store_string(&f->cx, &s, &p, &n);
	expect_trap(k, &f->trap, "realloc refused");
	f->opts.realloc = NULL;
	expect_trap(canon_store_string(&f->cx, &s, &p, &n), &f->trap, "realloc");
	/* realloc runs with may_leave cleared, and restores it */
	assert_true(f->inst->may_leave);
	wr_cval_free(&l);
	wr_cval_free(&s);
}

/* ---- handle tables and the resource built-ins ---- */

static int dtor_calls;
static uint32_t dtor_rep;

static const char *host_dtor(uint32_t rep, void *user)
{
	dtor_calls++;
	dtor_rep = rep;
	(void)user;
	return NULL;
}

static wr_trapkind call1(wr_func *fn, uint32_t arg, uint32_t *res, wr_trap *t)
{
	wr_value a = { .type = WR_I32, .of.i32 = (int32_t)arg }, r;
	wr_functype ft;
	wr_func_type(fn, &ft);
	wr_trapkind k = wr_call(fn, &a, 1, &r, ft.nresults, t);
	if (k == WR_OK && res && ft.nresults)
		*res = (uint32_t)r.of.i32;
	return k;
}

static void test_handles(void **state)
{
	struct fx *f = *state;
	cresource r1 = { "r1", f->inst, NULL, host_dtor, NULL };
	cresource r2 = { "r2", f->inst, NULL, NULL, NULL };
	wr_func *new1 = canon_resource_new(f->s, &r1, f->inst);
	wr_func *drop1 = canon_resource_drop(f->s, &r1, f->inst);
	wr_func *rep1 = canon_resource_rep(f->s, &r1, f->inst);
	wr_func *drop2 = canon_resource_drop(f->s, &r2, f->inst);
	wr_trap t;
	uint32_t h1, h2, h3, rep;
	assert_int_equal(call1(new1, 100, &h1, &t), WR_OK);
	assert_int_equal(call1(new1, 200, &h2, &t), WR_OK);
	assert_int_equal(h1, 1);
	assert_int_equal(h2, 2);
	assert_int_equal(call1(rep1, h2, &rep, &t), WR_OK);
	assert_int_equal(rep, 200);
	dtor_calls = 0;
	assert_int_equal(call1(drop1, h2, NULL, &t), WR_OK);
	assert_int_equal(dtor_calls, 1);
	assert_int_equal(dtor_rep, 200);
	expect_trap(call1(rep1, h2, &rep, &t), &t, "unknown handle index 2");
	expect_trap(call1(drop1, h2, NULL, &t), &t, "unknown handle index 2");
	assert_int_equal(call1(new1, 300, &h3, &t), WR_OK);
	assert_int_equal(h3, 2); /* the freed index, reused */
	expect_trap(call1(drop1, 0, NULL, &t), &t, "unknown handle index 0");
	expect_trap(call1(drop1, 5, NULL, &t), &t, "unknown handle index 5");
	expect_trap(call1(drop1, 0xffffffffu, NULL, &t), &t, "unknown handle index 4294967295");
	expect_trap(call1(drop2, 1, NULL, &t), &t,
	            "handle index 1 used with the wrong type, expected guest-defined resource "
	            "but found a different guest-defined resource");
	/* lent: neither dropped nor moved out until the call returns */
	const ctype *b1 = t_handle(WR_C_BORROW, &r1), *o1 = t_handle(WR_C_OWN, &r1);
	wr_cval v;
	uint64_t x = 1;
	uint8_t ty = WR_I32;
	struct cflat r = { &x, &ty, 1, 0 };
	assert_int_equal(canon_lift_flat(&f->cx, &r, b1, &v), WR_OK);
	assert_int_equal(v.of.handle.rep, 100);
	expect_trap(call1(drop1, 1, NULL, &t), &t, "cannot remove owned resource while borrowed");
	r.i = 0;
	expect_trap(canon_lift_flat(&f->cx, &r, o1, &v), &f->trap,
	            "cannot remove owned resource while borrowed");
	csubtask_deliver(&f->sub, f->inst);
	r.i = 0;
	assert_int_equal(canon_lift_flat(&f->cx, &r, o1, &v), WR_OK); /* moved out */
	assert_int_equal(v.of.handle.rep, 100);
	expect_trap(call1(rep1, 1, &rep, &t), &t, "unknown handle index 1");
	assert_int_equal(call1(drop1, 2, NULL, &t), WR_OK);
	assert_int_equal(cinstance_live_handles(f->inst), 0);
	/* may_leave guards new and drop, not rep */
	assert_int_equal(call1(new1, 9, &h1, &t), WR_OK);
	f->inst->may_leave = false;
	expect_trap(call1(new1, 1, &h2, &t), &t, "cannot leave component instance");
	expect_trap(call1(drop1, h1, NULL, &t), &t, "cannot leave component instance");
	assert_int_equal(call1(rep1, h1, &rep, &t), WR_OK);
	f->inst->may_leave = true;
}

static void test_handle_borrow_drop(void **state)
{
	struct fx *f = *state;
	cresource hr = { "host", NULL, NULL, host_dtor, NULL };
	wr_func *drop = canon_resource_drop(f->s, &hr, f->inst);
	const ctype *b = t_handle(WR_C_BORROW, &hr);
	wr_cval v = H(WR_C_BORROW, 55, &hr);
	uint64_t x;
	struct cflat w = { &x, NULL, 1, 0 };
	assert_int_equal(canon_lower_flat(&f->cx, &v, b, &w), WR_OK);
	assert_int_equal(f->task.num_borrows, 1);
	wr_trap t;
	dtor_calls = 0;
	assert_int_equal(call1(drop, (uint32_t)x, NULL, &t), WR_OK);
	assert_int_equal(f->task.num_borrows, 0);
	assert_int_equal(dtor_calls, 0); /* a borrow's drop runs no destructor */
}

/* A core destructor (a host wr_func standing in for core code). */
static wr_trapkind core_dtor(wr_hostcall *hc, uint64_t *slots, void *user)
{
	dtor_calls++;
	dtor_rep = (uint32_t)slots[0];
	return (uint32_t)slots[0] == 666 ? wr_hostcall_trap(hc, "dtor refused") : WR_OK;
}

static void test_handle_core_dtor(void **state)
{
	struct fx *f = *state;
	static const uint8_t i32[] = { WR_I32 };
	wr_functype dt = { 1, 0, i32, NULL };
	struct cinstance *c = cinstance_new(NULL), *d = f->inst;
	cresource r = { "r", c, wr_func_new_host(f->s, &dt, core_dtor, NULL, "dtor"), NULL, NULL };
	/* d holds own handles of c's resource (lowered into d's table) */
	const ctype *o = t_handle(WR_C_OWN, &r);
	wr_cval h1 = H(WR_C_OWN, 5, &r), h2 = H(WR_C_OWN, 666, &r), h3 = H(WR_C_OWN, 7, &r);
	uint64_t x[3];
	struct cflat w = { x, NULL, 3, 0 };
	assert_int_equal(canon_lower_flat(&f->cx, &h1, o, &w), WR_OK);
	assert_int_equal(canon_lower_flat(&f->cx, &h2, o, &w), WR_OK);
	assert_int_equal(canon_lower_flat(&f->cx, &h3, o, &w), WR_OK);
	wr_func *drop = canon_resource_drop(f->s, &r, d);
	wr_trap t;
	dtor_calls = 0;
	assert_int_equal(call1(drop, (uint32_t)x[0], NULL, &t), WR_OK);
	assert_int_equal(dtor_calls, 1);
	assert_int_equal(dtor_rep, 5);
	assert_true(c->may_enter);
	expect_trap(call1(drop, (uint32_t)x[1], NULL, &t), &t, "dtor refused");
	/* the destructor enters c: not while c is on the stack */
	c->may_enter = false;
	expect_trap(call1(drop, (uint32_t)x[2], NULL, &t), &t, "cannot enter component instance");
	assert_int_equal(dtor_calls, 2);
	/* own and borrow mismatches */
	wr_cval v;
	const ctype *b = t_handle(WR_C_BORROW, &r);
	wr_cval bv = H(WR_C_BORROW, 9, &r);
	w.i = 0;
	assert_int_equal(canon_lower_flat(&f->cx, &bv, b, &w), WR_OK);
	uint8_t ty = WR_I32;
	struct cflat rd = { x, &ty, 1, 0 };
	expect_trap(canon_lift_flat(&f->cx, &rd, o, &v), &f->trap, "borrow");
	cresource other = { "other", c, NULL, NULL, NULL };
	wr_cval wrong = H(WR_C_OWN, 1, &other);
	w.i = 0;
	expect_trap(canon_lower_flat(&f->cx, &wrong, o, &w), &f->trap, "wrong resource type");
	/* a host string over the maximum length is refused before it is read */
	wr_cval huge = { .kind = WR_C_STRING, .len = 1u << 28, .of.str = "" };
	uint32_t p, n;
	expect_trap(canon_store_string(&f->cx, &huge, &p, &n), &f->trap, "too long");
	cinstance_free(c);
}

/* ---- calls ---- */

/* A core function written in C: what it does is chosen per test. */
struct core {
	struct fx *f;
	int what;
	wr_func *drop, *resnew, *inner;
	uint32_t seen[20];
	int events[8], nev;
};

static wr_trapkind core_fn(wr_hostcall *hc, uint64_t *slots, void *user)
{
	struct core *c = user;
	struct fx *f = c->f;
	wr_trap t;
	c->events[c->nev++ & 7] = 1;
	switch (c->what) {
	case 0: /* (borrow) -> u32: keeps the borrow */
		c->seen[0] = (uint32_t)slots[0];
		slots[0] = 7;
		return WR_OK;
	case 1: /* (borrow) -> u32: drops it */
		if (call1(c->drop, (uint32_t)slots[0], NULL, &t) != WR_OK)
			return wr_hostcall_trap(hc, t.message);
		slots[0] = 7;
		return WR_OK;
	case 2: /* 17 x u32 spilled -> u32: their sum */
		c->seen[0] = (uint32_t)slots[0];
		slots[0] = 0;
		for (int i = 0; i < 17; i++)
			slots[0] = (uint32_t)(slots[0] + get32(f, c->seen[0] + 4 * (uint32_t)i));
		return WR_OK;
	case 3: /* () -> tuple<u32, string>: through a return area */
		memcpy(M(f, 800), "spilled", 7);
		put32(f, 700, 33);
		put32(f, 704, 800);
		put32(f, 708, 7);
		slots[0] = 700;
		return WR_OK;
	case 4: /* () -> (): calls c->inner (a lowered import) */
		if (wr_call(c->inner, NULL, 0, NULL, 0, &t) != WR_OK)
			return wr_hostcall_trap(hc, t.message);
		return WR_OK;
	case 6: /* () -> i32: a misaligned return area */
		slots[0] = 702;
		return WR_OK;
	default: /* () -> (): nothing */
		return WR_OK;
	}
}

static wr_func *core_func(struct fx *f, struct core *c, uint32_t np, uint32_t nr)
{
	static const uint8_t i32s[17] = { WR_I32, WR_I32, WR_I32, WR_I32, WR_I32, WR_I32, WR_I32,
	                                  WR_I32, WR_I32, WR_I32, WR_I32, WR_I32, WR_I32, WR_I32,
	                                  WR_I32, WR_I32, WR_I32 };
	wr_functype ft = { np, nr, i32s, i32s };
	return wr_func_new_host(f->s, &ft, core_fn, c, "core");
}

static void test_call_borrow_scope(void **state)
{
	struct fx *f = *state;
	struct cinstance *callee = cinstance_new(NULL);
	cresource hr = { "host", NULL, NULL, NULL, NULL };
	cfield p = { "b", t_handle(WR_C_BORROW, &hr) };
	cfunctype ft = { 1, &p, P(WR_C_U32), false };
	struct core c = { .f = f, .what = 1 };
	c.drop = canon_resource_drop(f->s, &hr, callee);
	struct cfunc fn = { &ft, core_func(f, &c, 1, 1), { f->mem, f->realloc, NULL, CSTR_UTF8,
	                                                    callee }, NULL, NULL };
	wr_cval arg = H(WR_C_BORROW, 42, &hr), res;
	wr_trap t;
	assert_int_equal(cfunc_call(&fn, NULL, &arg, 1, &res, &t), WR_OK);
	assert_int_equal(res.of.u, 7);
	assert_true(callee->may_enter);
	c.what = 0;
	expect_trap(cfunc_call(&fn, NULL, &arg, 1, &res, &t), &t,
	            "borrow handles still remain at the end of the call");
	assert_int_equal(cinstance_live_handles(callee), 0); /* scrubbed */
	/* the trap leaves the instance unenterable */
	c.what = 1;
	expect_trap(cfunc_call(&fn, NULL, &arg, 1, &res, &t), &t, "cannot enter component instance");
	cinstance_free(callee);
}

static void test_call_borrow_to_owner(void **state)
{
	struct fx *f = *state;
	struct cinstance *callee = cinstance_new(NULL);
	cresource mine = { "mine", callee, NULL, NULL, NULL };
	cfield p = { "b", t_handle(WR_C_BORROW, &mine) };
	cfunctype ft = { 1, &p, P(WR_C_U32), false };
	struct core c = { .f = f, .what = 0 };
	struct cfunc fn = { &ft, core_func(f, &c, 1, 1), { NULL, NULL, NULL, CSTR_UTF8, callee },
	                    NULL, NULL };
	wr_cval arg = H(WR_C_BORROW, 4321, &mine), res;
	wr_trap t;
	assert_int_equal(cfunc_call(&fn, NULL, &arg, 1, &res, &t), WR_OK);
	assert_int_equal(c.seen[0], 4321); /* the rep itself, no handle */
	assert_int_equal(cinstance_live_handles(callee), 0);
	cinstance_free(callee);
}

static void test_call_spilled(void **state)
{
	struct fx *f = *state;
	cfield p[17];
	wr_cval args[17];
	for (uint32_t i = 0; i < 17; i++) {
		p[i] = (cfield){ "p", P(WR_C_U32) };
		args[i] = U(WR_C_U32, i + 1);
	}
	cfunctype ft = { 17, p, P(WR_C_U32), false };
	struct core c = { .f = f, .what = 2 };
	struct cfunc fn = { &ft, core_func(f, &c, 1, 1), f->opts, NULL, NULL };
	wr_cval res;
	wr_trap t;
	f->ra.n = 0;
	assert_int_equal(cfunc_call(&fn, NULL, args, 17, &res, &t), WR_OK);
	assert_int_equal(res.of.u, 17 * 18 / 2);
	assert_int_equal(f->ra.n, 1);
	assert_int_equal(f->ra.log[0].align, 4);
	assert_int_equal(f->ra.log[0].size, 68);
	f->ra.mode = RA_MISALIGN;
	expect_trap(cfunc_call(&fn, NULL, args, 17, &res, &t), &t, "unaligned pointer");
	f->ra.mode = RA_OK;
	expect_trap(cfunc_call(&fn, NULL, args, 17, &res, &t), &t, "cannot enter component instance");
	f->inst->may_enter = true;
	expect_trap(cfunc_call(&fn, NULL, args, 16, &res, &t), &t, "wrong number of arguments");
}

/* post-return: records its argument; calls resource.new when told to. */
static wr_trapkind post_fn(wr_hostcall *hc, uint64_t *slots, void *user)
{
	struct core *c = user;
	wr_trap t;
	c->events[c->nev++ & 7] = 3;
	c->seen[1] = (uint32_t)slots[0];
	if (c->resnew && call1(c->resnew, 1, NULL, &t) != WR_OK)
		return wr_hostcall_trap(hc, t.message);
	return WR_OK;
}

struct result_sink {
	struct ccall base;
	struct core *c;
	const wr_cval *args;
	wr_cval got;
};

static wr_trapkind sink_start(struct ccall *cc, const wr_cval **args, wr_trap *trap)
{
	struct result_sink *s = (struct result_sink *)cc;
	s->c->events[s->c->nev++ & 7] = 0;
	*args = s->args;
	return WR_OK;
}

static wr_trapkind sink_resolve(struct ccall *cc, wr_cval *result, wr_trap *trap)
{
	struct result_sink *s = (struct result_sink *)cc;
	s->c->events[s->c->nev++ & 7] = 2;
	s->got = *result;
	return WR_OK;
}

static void test_call_result_and_post_return(void **state)
{
	struct fx *f = *state;
	const ctype *rt = T(WR_C_TUPLE, 2, P(WR_C_U32), P(WR_C_STRING));
	cfunctype ft = { 0, NULL, rt, false };
	struct core c = { .f = f, .what = 3 };
	static const uint8_t i32[] = { WR_I32 };
	wr_functype pft = { 1, 0, i32, NULL };
	struct cfunc fn = { &ft, core_func(f, &c, 0, 1), f->opts, NULL, NULL };
	fn.opts.post_return = wr_func_new_host(f->s, &pft, post_fn, &c, "post");
	struct result_sink sink = { { sink_start, sink_resolve }, &c, NULL, { 0 } };
	wr_trap t;
	assert_int_equal(cfunc_invoke(&fn, NULL, &sink.base, &t), WR_OK);
	/* start, the core call, resolve, then post-return with the core result */
	assert_int_equal(c.nev, 4);
	int order[] = { 0, 1, 2, 3 };
	assert_memory_equal(c.events, order, sizeof(order));
	assert_int_equal(c.seen[1], 700);
	assert_int_equal(sink.got.of.elems[0].of.u, 33);
	assert_string_equal(sink.got.of.elems[1].of.str, "spilled");
	wr_cval_free(&sink.got);
	/* post-return may not leave the instance */
	c.resnew = canon_resource_new(f->s, &(cresource){ "r", f->inst, NULL, NULL, NULL }, f->inst);
	expect_trap(cfunc_call(&fn, NULL, NULL, 0, NULL, &t), &t, "cannot leave component instance");
	/* a misaligned return area */
	assert_true(f->inst->may_leave);
	f->inst->may_enter = true;
	c.resnew = NULL;
	c.what = 6;
	wr_cval res;
	expect_trap(cfunc_call(&fn, NULL, NULL, 0, &res, &t), &t, "unaligned pointer");
}

/* A host component function: concatenation of two strings. */
static wr_trapkind host_concat(void *user, const wr_cval *args, size_t n, wr_cval *result,
                               wr_trap *trap)
{
	int *calls = user;
	(*calls)++;
	if (n != 2 || args[0].kind != WR_C_STRING)
		return WR_TRAP_HOST;
	size_t a = args[0].len, b = args[1].len;
	char *s = malloc(a + b + 1);
	memcpy(s, args[0].of.str, a);
	memcpy(s + a, args[1].of.str, b + 1);
	*result = (wr_cval){ .kind = WR_C_STRING, .len = (uint32_t)(a + b), .of.str = s };
	return WR_OK;
}

static void test_lower_host(void **state)
{
	struct fx *f = *state;
	cfield p[2] = { { "a", P(WR_C_STRING) }, { "b", P(WR_C_STRING) } };
	cfunctype ft = { 2, p, P(WR_C_STRING), false };
	int calls = 0;
	struct cfunc host = { &ft, NULL, { 0 }, host_concat, &calls };
	wr_func *low = canon_lower(f->s, &host, &f->opts);
	wr_functype cft;
	wr_func_type(low, &cft);
	assert_int_equal(cft.nparams, 5); /* two (ptr, len) pairs and the return pointer */
	assert_int_equal(cft.nresults, 0);
	memcpy(M(f, 100), "foobar", 6);
	wr_value a[5] = { { WR_I32, { .i32 = 100 } }, { WR_I32, { .i32 = 3 } },
	                  { WR_I32, { .i32 = 103 } }, { WR_I32, { .i32 = 3 } },
	                  { WR_I32, { .i32 = 200 } } };
	wr_trap t;
	assert_int_equal(wr_call(low, a, 5, NULL, 0, &t), WR_OK);
	assert_int_equal(calls, 1);
	assert_int_equal(get32(f, 204), 6);
	assert_memory_equal(M(f, get32(f, 200)), "foobar", 6);
	a[4].of.i32 = 202; /* a misaligned return pointer */
	expect_trap(wr_call(low, a, 5, NULL, 0, &t), &t, "unaligned pointer");
	a[4].of.i32 = 65532;
	expect_trap(wr_call(low, a, 5, NULL, 0, &t), &t, "out of bounds");
	a[4].of.i32 = 200;
	a[1].of.i32 = 70000;
	expect_trap(wr_call(low, a, 5, NULL, 0, &t), &t, "string content out-of-bounds");
	f->inst->may_leave = false;
	expect_trap(wr_call(low, a, 5, NULL, 0, &t), &t, "cannot leave component instance");
	f->inst->may_leave = true;
	host.host = NULL;
	low = canon_lower(f->s, &(struct cfunc){ &ft, NULL, { 0 }, host_concat, &calls }, &f->opts);
	a[1].of.i32 = 3;
	a[0].of.i32 = 1 << 20; /* out of bounds in the caller's memory */
	expect_trap(wr_call(low, a, 5, NULL, 0, &t), &t, "string content out-of-bounds");
}

/* B's core function: echo its string argument through a return area at 64. */
static wr_trapkind echo_fn(wr_hostcall *hc, uint64_t *slots, void *user)
{
	uint8_t *m = wr_memory_data(user);
	uint32_t p = (uint32_t)slots[0], n = (uint32_t)slots[1];
	memcpy(m + 64, &p, 4);
	memcpy(m + 68, &n, 4);
	slots[0] = 64;
	return WR_OK;
}

/* A component-to-component call: lowered in A (UTF-16), lifted in B (UTF-8). */
static void test_component_to_component(void **state)
{
	struct fx *f = *state;
	wr_limits pages = { 1, 1, true, false };
	wr_memory *mb = wr_memory_new(f->s, &pages);
	struct ra rb = { mb, 2048, RA_OK, 0, { { 0 } } };
	static const uint8_t i32x4[] = { WR_I32, WR_I32, WR_I32, WR_I32 };
	wr_functype rt = { 4, 1, i32x4, i32x4 }, et = { 2, 1, i32x4, i32x4 };
	struct cinstance *b = cinstance_new(NULL);
	struct canonopts ob = { mb, wr_func_new_host(f->s, &rt, ra_fn, &rb, "realloc-b"), NULL,
	                        CSTR_UTF8, b };
	cfield p = { "s", P(WR_C_STRING) };
	cfunctype ft = { 1, &p, P(WR_C_STRING), false };
	struct cfunc fb = { &ft, wr_func_new_host(f->s, &et, echo_fn, mb, "echo"), ob, NULL, NULL };
	struct canonopts oa = f->opts;
	oa.string_encoding = CSTR_UTF16;
	wr_func *low = canon_lower(f->s, &fb, &oa);
	uint8_t want[32];
	uint32_t units;
	size_t n = encode("h\xe2\x82\xacllo", CSTR_UTF16, false, want, &units);
	memcpy(M(f, 100), want, n);
	wr_value a[3] = { { WR_I32, { .i32 = 100 } }, { WR_I32, { .i32 = 5 } },
	                  { WR_I32, { .i32 = 200 } } };
	wr_trap t;
	f->ra.n = 0;
	assert_int_equal(wr_call(low, a, 3, NULL, 0, &t), WR_OK);
	assert_int_equal(get32(f, 204), 5);
	assert_memory_equal(M(f, get32(f, 200)), want, n);
	/* into B as UTF-8: optimistic 5, worst case 15, shrunk to 7 */
	assert_int_equal(rb.n, 3);
	assert_int_equal(rb.log[1].size, 15);
	assert_int_equal(rb.log[2].size, 7);
	assert_memory_equal(wr_memory_data(mb) + rb.log[2].ret, "h\xe2\x82\xacllo", 7);
	/* back into A as UTF-16: worst case 14, shrunk to 10 */
	assert_int_equal(f->ra.n, 2);
	assert_int_equal(f->ra.log[0].size, 14);
	assert_int_equal(f->ra.log[1].old_size, 14);
	assert_int_equal(f->ra.log[1].size, 10);
	assert_true(b->may_enter && f->inst->may_leave);
	cinstance_free(b);
}

/* C's core functions for the resource flow below. */
struct cside {
	wr_func *resnew;
	uint32_t made;
};

static wr_trapkind c_make(wr_hostcall *hc, uint64_t *slots, void *user)
{
	struct cside *c = user;
	wr_trap t;
	uint32_t h;
	if (call1(c->resnew, 0x41 + c->made++, &h, &t) != WR_OK)
		return wr_hostcall_trap(hc, t.message);
	slots[0] = h;
	return WR_OK;
}

static wr_trapkind c_get_rep(wr_hostcall *hc, uint64_t *slots, void *user)
{
	return WR_OK; /* (param rep) (result rep): a borrow arrives as the rep itself */
}

/* D uses C's resource R as borrows.wast does: make, lend, drop. */
static void test_component_resources(void **state)
{
	struct fx *f = *state;
	static const uint8_t i32[] = { WR_I32 };
	wr_functype ft0 = { 0, 1, i32, i32 }, ft1 = { 1, 1, i32, i32 }, dt = { 1, 0, i32, NULL };
	struct cinstance *c = cinstance_new(NULL), *d = f->inst;
	cresource r = { "R", c, wr_func_new_host(f->s, &dt, core_dtor, NULL, "R-dtor"), NULL, NULL };
	struct cside cs = { canon_resource_new(f->s, &r, c), 0 };
	const ctype *own = t_handle(WR_C_OWN, &r), *bor = t_handle(WR_C_BORROW, &r);
	cfield bp = { "r", bor };
	cfunctype make_t = { 0, NULL, own, false }, rep_t = { 1, &bp, P(WR_C_U32), false };
	struct canonopts oc = { NULL, NULL, NULL, CSTR_UTF8, c }, od = { NULL, NULL, NULL, CSTR_UTF8, d };
	struct cfunc make = { &make_t, wr_func_new_host(f->s, &ft0, c_make, &cs, "make"), oc, NULL, NULL };
	struct cfunc get_rep = { &rep_t, wr_func_new_host(f->s, &ft1, c_get_rep, NULL, "get-rep"), oc,
	                         NULL, NULL };
	wr_func *make_d = canon_lower(f->s, &make, &od), *rep_d = canon_lower(f->s, &get_rep, &od);
	wr_func *drop_d = canon_resource_drop(f->s, &r, d);
	wr_trap t;
	uint32_t h1, h2, v;
	wr_value res;
	assert_int_equal(wr_call(make_d, NULL, 0, &res, 1, &t), WR_OK);
	h1 = (uint32_t)res.of.i32;
	assert_int_equal(h1, 1);
	assert_int_equal(cinstance_live_handles(c), 0); /* moved from C's table to D's */
	assert_int_equal(call1(rep_d, h1, &v, &t), WR_OK);
	assert_int_equal(v, 0x41);
	assert_int_equal(wr_call(make_d, NULL, 0, &res, 1, &t), WR_OK);
	h2 = (uint32_t)res.of.i32;
	assert_int_equal(h2, 2);
	dtor_calls = 0;
	assert_int_equal(call1(drop_d, h1, NULL, &t), WR_OK); /* no lend left after the call */
	assert_int_equal(dtor_calls, 1);
	assert_int_equal(dtor_rep, 0x41);
	assert_true(c->may_enter);
	assert_int_equal(call1(rep_d, h2, &v, &t), WR_OK);
	assert_int_equal(v, 0x42);
	assert_int_equal(cinstance_live_handles(d), 1);
	expect_trap(call1(rep_d, h1, &v, &t), &t, "unknown handle index 1");
	/* a trap while C was entered leaves it unenterable */
	expect_trap(call1(rep_d, h2, &v, &t), &t, "cannot enter component instance");
	cinstance_free(c);
}

/* Reentrance: host -> A -> B -> A traps; a parent reentered by its child
 * does not. */
static void test_reentrance(void **state)
{
	struct fx *f = *state;
	struct cinstance *a = f->inst, *b = cinstance_new(NULL);
	cfunctype ft = { 0, NULL, NULL, false };
	struct core ca = { .f = f, .what = 4 }, cb = { .f = f, .what = 4 }, ca2 = { .f = f, .what = 5 };
	struct cfunc fa = { &ft, core_func(f, &ca, 0, 0), f->opts, NULL, NULL };
	struct cfunc fa2 = { &ft, core_func(f, &ca2, 0, 0), f->opts, NULL, NULL };
	struct cfunc fb = { &ft, core_func(f, &cb, 0, 0), f->opts, NULL, NULL };
	fb.opts.inst = b;
	struct canonopts in_a = f->opts, in_b = f->opts;
	in_b.inst = b;
	ca.inner = canon_lower(f->s, &fb, &in_a);
	cb.inner = canon_lower(f->s, &fa2, &in_b);
	wr_trap t;
	expect_trap(cfunc_call(&fa, NULL, NULL, 0, NULL, &t), &t, "cannot enter component instance");
	assert_int_equal(ca2.nev, 0);
	/* B called A's other export directly: fine once A is not on the stack */
	struct cinstance *b2 = cinstance_new(NULL);
	struct cfunc fa3 = fa2;
	fa3.opts.inst = cinstance_new(NULL);
	assert_int_equal(cfunc_call(&fa3, b2, NULL, 0, NULL, &t), WR_OK);
	assert_int_equal(ca2.nev, 1);
	/* a child calling back into its parent (donut wrapping) may enter */
	struct cinstance *parent = cinstance_new(NULL), *child = cinstance_new(parent);
	cinstance_enter(parent, NULL);
	assert_false(cinstance_may_enter(parent, NULL));
	assert_true(cinstance_may_enter(child, parent));
	cinstance_enter(child, parent);
	assert_true(cinstance_may_enter(parent, child));
	assert_false(cinstance_may_enter(child, parent));
	cinstance_leave(child, parent);
	cinstance_leave(parent, NULL);
	assert_true(parent->may_enter && child->may_enter);
	cinstance_enter(parent, NULL);
	assert_false(cinstance_may_enter(child, NULL)); /* entering the child enters the parent */
	for (struct cinstance *i[] = { b, b2, fa3.opts.inst, parent, child }, **p = i; p < i + 5; p++)
		cinstance_free(*p);
	(void)a;
}

/* ---- with real core wasm: data/libc.wat and data/main.wat ---- */

static wr_trapkind host_upper(void *user, const wr_cval *args, size_t n, wr_cval *result,
                              wr_trap *trap)
{
	char *s = strdup(args[0].of.str);
	for (char *p = s; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 32);
	*result = (wr_cval){ .kind = WR_C_STRING, .len = args[0].len, .of.str = s };
	return WR_OK;
}

static void test_wasm(void **state)
{
	struct fx *f = *state;
	wr_diag d;
	wr_trap t;
	wr_module *libc = f->mods[0] = wr_module_load(libc_wasm, libc_wasm_len, &d);
	wr_module *mainm = f->mods[1] = wr_module_load(main_wasm, main_wasm_len, &d);
	assert_non_null(libc);
	assert_non_null(mainm);
	wr_instance *li = wr_instantiate(f->s, libc, NULL, 0, &t);
	assert_non_null(li);
	wr_extern mem, ra, calls;
	assert_true(wr_instance_export(li, "mem", &mem));
	assert_true(wr_instance_export(li, "realloc", &ra));
	assert_true(wr_instance_export(li, "calls", &calls));
	struct cinstance *ci = cinstance_new(NULL);
	struct canonopts o = { mem.of.memory, ra.of.func, NULL, CSTR_UTF8, ci };
	cfield p = { "s", P(WR_C_STRING) };
	cfunctype ft = { 1, &p, P(WR_C_STRING), false };
	struct cfunc up = { &ft, NULL, { 0 }, host_upper, NULL };
	cresource r = { "r", ci, NULL, host_dtor, NULL };
	wr_extern imps[5] = {
		mem,
		{ WR_EXTERN_FUNC, { .func = canon_lower(f->s, &up, &o) } },
		{ WR_EXTERN_FUNC, { .func = canon_resource_new(f->s, &r, ci) } },
		{ WR_EXTERN_FUNC, { .func = canon_resource_drop(f->s, &r, ci) } },
		{ WR_EXTERN_FUNC, { .func = canon_resource_rep(f->s, &r, ci) } },
	};
	wr_instance *mi = wr_instantiate(f->s, mainm, imps, 5, &t);
	assert_non_null(mi);
	wr_extern run, count, make, rep, kill;
	assert_true(wr_instance_export(mi, "run", &run));
	assert_true(wr_instance_export(mi, "count", &count));
	assert_true(wr_instance_export(mi, "make", &make));
	assert_true(wr_instance_export(mi, "rep", &rep));
	assert_true(wr_instance_export(mi, "kill", &kill));
	wr_value res;
	assert_int_equal(wr_call(run.of.func, NULL, 0, &res, 1, &t), WR_OK);
	uint8_t *m = wr_memory_data(mem.of.memory);
	assert_memory_equal(m + res.of.i32, "HELLO, WORLD", 12);
	assert_int_equal(m[36], 12);
	/* lift the core export "count" and call it with a string */
	cfunctype cft = { 1, &p, P(WR_C_U32), false };
	struct cfunc cf = { &cft, count.of.func, o, NULL, NULL };
	wr_cval arg = S("h\xc3\xa9llo"), out;
	assert_int_equal(cfunc_call(&cf, NULL, &arg, 1, &out, &t), WR_OK);
	assert_int_equal(out.of.u, 6);
	wr_cval_free(&arg);
	assert_int_equal(wr_call(calls.of.func, NULL, 0, &res, 1, &t), WR_OK);
	assert_int_equal(res.of.i32, 2); /* the upper result, then count's argument */
	/* resources from core code */
	uint32_t h, v;
	assert_int_equal(call1(make.of.func, 77, &h, &t), WR_OK);
	assert_int_equal(call1(rep.of.func, h, &v, &t), WR_OK);
	assert_int_equal(v, 77);
	dtor_calls = 0;
	assert_int_equal(call1(kill.of.func, h, NULL, &t), WR_OK);
	assert_int_equal(dtor_calls, 1);
	expect_trap(call1(kill.of.func, h, NULL, &t), &t, "unknown handle index 1");
	cinstance_free(ci);
}

/* ---- values ---- */

static void test_cval_copy_equal(void **state)
{
	(void)state;
	wr_cval v = AG(WR_C_RECORD, 0, 3, S("x"), AG(WR_C_LIST, 0, 2, F64(0.0 / 0.0), U(WR_C_U8, 3)),
	               AG(WR_C_OPTION, 1, 1, S("y")));
	wr_cval c;
	assert_true(cval_copy(&c, &v));
	assert_true(cval_equal(&v, &c));
	assert_ptr_not_equal(c.of.elems, v.of.elems);
	c.of.elems[2].of.elems[0].of.str[0] = 'z';
	assert_false(cval_equal(&v, &c));
	wr_cval z1 = F64(0.0), z2 = F64(-0.0);
	assert_false(cval_equal(&z1, &z2));
	wr_cval_free(&v);
	wr_cval_free(&c);
	wr_cval_free(&c); /* twice is harmless */
}

int main(void)
{
	A = ctype_arena_new();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip_primitives, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roundtrip_aggregates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roundtrip_variants, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roundtrip_handles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flatten, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scalars, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trap_char, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trap_discriminant, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trap_list_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trap_lift_budget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trap_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trap_utf16, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transcode_all_pairs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transcode_reallocs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trap_realloc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handle_borrow_drop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handle_core_dtor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_call_borrow_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(test_call_borrow_to_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_call_spilled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_call_result_and_post_return, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lower_host, setup, teardown),
		cmocka_unit_test_setup_teardown(test_component_to_component, setup, teardown),
		cmocka_unit_test_setup_teardown(test_component_resources, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reentrance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wasm, setup, teardown),
		cmocka_unit_test(test_cval_copy_equal),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	ctype_arena_free(A);
	return r;
}
