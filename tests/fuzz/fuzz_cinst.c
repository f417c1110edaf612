/*
 * fuzz_cinst.c: a libFuzzer target for component instantiation and calls.
 *
 *   make fuzz-cinst     (FUZZ_SECONDS bounds the run; seeds: the component
 *                        scripts' binaries, from make spec WAST=...)
 *
 * Each input that loads as a component (decode and validate) is
 * instantiated with a linker in trap-unknown mode (every import served,
 * every imported function trapping), under fuel and a memory limit; then
 * every top-level exported function (the first 64) is called with zero
 * values of its parameter types (handles: rep 0 of no resource
 * type, which must be refused, not followed). Beyond "no crash and no
 * sanitizer report", it checks that a failed instantiation or call reports
 * a trap kind in range with a message.
 */
#include <stdlib.h>
#include <string.h>

#include "ctype.h"
#include "wrun.h"

#define FZ_FUEL 20000u
#define FZ_MEMORY (16u << 20)
#define FZ_DEPTH 8

/* A zero value of t (NULL type: bool false). */
static void fz_zero(const ctype *t, wr_cval *v, int depth)
{
	memset(v, 0, sizeof(*v));
	if (!t)
		return;
	v->kind = t->kind;
	if (depth > FZ_DEPTH)
		return;
	switch (t->kind) {
	case WR_C_STRING:
		v->of.str = calloc(1, 1);
		return;
	case WR_C_RECORD:
	case WR_C_TUPLE:
		if (!t->n || !(v->of.elems = calloc(t->n, sizeof(wr_cval))))
			return;
		v->len = t->n;
		for (uint32_t i = 0; i < t->n; i++)
			fz_zero(t->f[i].type, &v->of.elems[i], depth + 1);
		return;
	case WR_C_VARIANT:
		if (t->n && t->f[0].type && (v->of.elems = calloc(1, sizeof(wr_cval)))) {
			v->len = 1;
			fz_zero(t->f[0].type, &v->of.elems[0], depth + 1);
		}
		return;
	case WR_C_RESULT:
		if (t->elem && (v->of.elems = calloc(1, sizeof(wr_cval)))) {
			v->len = 1;
			fz_zero(t->elem, &v->of.elems[0], depth + 1);
		}
		return;
	default:
		return;
	}
}

static void fz_check(wr_trapkind k, const wr_trap *t)
{
	if (k != WR_OK && ((unsigned)k >= WR_TRAP__COUNT || !t->message[0]))
		abort();
}

static void fz_call(const wr_cfunc *f)
{
	const cfunctype *ft = wr_cfunc_type(f);
	wr_cval args[16], r;
	wr_trap t;
	uint32_t n = ft->nparams < 16 ? ft->nparams : 16;
	for (uint32_t i = 0; i < n; i++)
		fz_zero(ft->params[i].type, &args[i], 0);
	wr_trapkind k = wr_cfunc_call(f, args, n, &r, &t);
	fz_check(k, &t);
	if (k == WR_OK && ft->result)
		wr_cval_free(&r);
	for (uint32_t i = 0; i < n; i++)
		wr_cval_free(&args[i]);
}

/* Call the top-level function exports. */
static void fz_calls(wr_cinstance *in)
{
	for (size_t i = 0; i < wr_cinstance_export_count(in) && i < 64; i++) {
		wr_cextern_info e;
		if (!wr_cinstance_export(in, i, &e))
			abort();
		const char *path[2] = { e.name, NULL };
		if (e.sort == WR_CSORT_FUNC)
			fz_call(wr_cinstance_func_path(in, path, 1));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wr_diag d;
	wr_trap t;
	if (!wr_is_component(data, size))
		return 0;
	wr_component *c = wr_component_load(data, size, &d);
	if (!c)
		return 0;
	wr_store *s = wr_store_new();
	wr_clinker *l = wr_clinker_new();
	wr_clinker_trap_unknown(l, true);
	wr_store_set_fuel(s, FZ_FUEL);
	wr_store_set_memory_limit(s, FZ_MEMORY);
	wr_cinstance *in = wr_component_instantiate(s, c, l, &t);
	if (!in)
		fz_check(t.kind == WR_OK ? WR_TRAP__COUNT : t.kind, &t);
	else
		fz_calls(in);
	wr_store_free(s);
	wr_cinstance_free(in);
	wr_clinker_free(l);
	wr_component_free(c);
	return 0;
}
