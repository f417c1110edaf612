/*
 * canon_mem.c: what the rest of the canonical ABI stands on: traps, checked
 * access to linear memory, realloc calls, the layout of variants and
 * tuples, and flattening types into core value types (CanonicalABI.md,
 * "Flattening").
 */
#include "canon_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- traps ---- */

wr_trapkind ctrap_to(wr_trap *trap, const char *fmt, ...)
{
	if (trap) {
		memset(trap, 0, sizeof(*trap));
		trap->kind = WR_TRAP_HOST;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(trap->message, sizeof(trap->message), fmt, ap);
		va_end(ap);
	}
	return WR_TRAP_HOST;
}

wr_trapkind cpass_trap(wr_hostcall *hc, wr_trapkind k, const wr_trap *t)
{
	if (k == WR_TRAP_EXIT)
		return wr_hostcall_exit(hc, t->exit_code);
	wr_hostcall_trap(hc, t->message[0] ? t->message : wr_trap_message(k));
	return k;
}

wr_trapkind ctrap_oom(struct ccx *cx)
{
	return ctrap(cx, "out of host memory lifting or lowering a value");
}

wr_trapkind clift_charge(struct ccx *cx, uint64_t n)
{
	if (n > CANON_MAX_LIFT_BYTES - cx->lifted)
		return ctrap(cx, "canonical ABI: the values of one call take more than %llu MiB "
			     "of host memory", CANON_MAX_LIFT_BYTES >> 20);
	cx->lifted += n;
	return WR_OK;
}

/* ---- linear memory ---- */

uint8_t *cmem(struct ccx *cx, uint64_t ptr, uint64_t n)
{
	wr_memory *m = cx->opts ? cx->opts->memory : NULL;
	if (!m)
		return NULL;
	uint64_t size = wr_memory_size(m);
	if (ptr > size || n > size - ptr)
		return NULL;
	return wr_memory_data(m) + ptr;
}

wr_trapkind cmem_check(struct ccx *cx, uint64_t ptr, uint64_t n, uint32_t align,
                       const char *msg_align, const char *msg_oob)
{
	if (!cx->opts || !cx->opts->memory)
		return ctrap(cx, "canonical ABI: no memory option for a value that needs one");
	if (align > 1 && ptr % align != 0)
		return ctrap(cx, "%s", msg_align);
	if (!cmem(cx, ptr, n))
		return ctrap(cx, "%s", msg_oob);
	return WR_OK;
}

uint64_t cld(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

void cst(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

wr_trapkind crealloc(struct ccx *cx, uint32_t old, uint32_t old_size, uint32_t align,
                     uint32_t new_size, uint32_t *out)
{
	if (!cx->opts || !cx->opts->realloc || !cx->opts->memory)
		return ctrap(cx, "canonical ABI: no realloc option for a value that needs one");
	wr_value args[4] = {
		{ .type = WR_I32, .of.i32 = (int32_t)old },
		{ .type = WR_I32, .of.i32 = (int32_t)old_size },
		{ .type = WR_I32, .of.i32 = (int32_t)align },
		{ .type = WR_I32, .of.i32 = (int32_t)new_size },
	};
	wr_value res;
	struct cinstance *inst = cx->inst;
	bool leave = inst ? inst->may_leave : false;
	if (inst)
		inst->may_leave = false;
	wr_trapkind k = wr_call(cx->opts->realloc, args, 4, &res, 1, cx->trap);
	if (inst)
		inst->may_leave = leave;
	if (k != WR_OK)
		return k;
	*out = (uint32_t)res.of.i32;
	return WR_OK;
}

/* ---- layout ---- */

uint32_t cncases(const ctype *t)
{
	return t->kind == WR_C_OPTION || t->kind == WR_C_RESULT ? 2 : t->n;
}

const ctype *ccase_type(const ctype *t, uint32_t i)
{
	switch (t->kind) {
	case WR_C_OPTION:
		return i ? t->elem : NULL;
	case WR_C_RESULT:
		return i ? t->err : t->elem;
	case WR_C_VARIANT:
		return t->f[i].type;
	default:
		return NULL; /* enum */
	}
}

uint32_t cdisc_size(uint32_t ncases)
{
	return ncases <= 256 ? 1 : ncases <= 65536 ? 2 : 4;
}

uint32_t cmax_case_align(const ctype *t)
{
	uint32_t a = 1, n = cncases(t);
	for (uint32_t i = 0; i < n; i++) {
		const ctype *c = ccase_type(t, i);
		if (c && c->align > a)
			a = c->align;
	}
	return a;
}

void ctuple_layout(const cfield *f, uint32_t n, uint32_t *align, uint64_t *size)
{
	uint64_t s = 0;
	uint32_t a = 1;
	for (uint32_t i = 0; i < n; i++) {
		s = calign_to(s, f[i].type->align) + f[i].type->size;
		if (f[i].type->align > a)
			a = f[i].type->align;
	}
	*align = a;
	*size = calign_to(s, a);
}

/* ---- flattening ---- */

/* join of two flat types: the same type, i32 for i32/f32, else i64. */
static uint8_t flat_join(uint8_t a, uint8_t b)
{
	if (a == b)
		return a;
	if ((a == WR_I32 && b == WR_F32) || (a == WR_F32 && b == WR_I32))
		return WR_I32;
	return WR_I64;
}

/* flatten_variant: the discriminant, then each position's join over the
 * cases. out has room for t->nflat entries. */
static void flatten_variant(const ctype *t, uint8_t *out)
{
	uint32_t n = cncases(t), have = 0;
	out[0] = WR_I32;
	for (uint32_t i = 0; i < n; i++) {
		const ctype *c = ccase_type(t, i);
		if (!c)
			continue;
		uint8_t tmp[CANON_FLAT_MAX];
		uint32_t k = canon_flatten_type(c, tmp, CANON_FLAT_MAX);
		for (uint32_t j = 0; j < k; j++) {
			if (j < have)
				out[1 + j] = flat_join(out[1 + j], tmp[j]);
			else
				out[1 + j] = tmp[j];
		}
		if (k > have)
			have = k;
	}
}

static uint8_t flat_prim(wr_ckind k)
{
	switch (k) {
	case WR_C_S64:
	case WR_C_U64:
		return WR_I64;
	case WR_C_F32:
		return WR_F32;
	case WR_C_F64:
		return WR_F64;
	default:
		return WR_I32;
	}
}

uint32_t canon_flatten_type(const ctype *t, uint8_t *out, uint32_t cap)
{
	if (t->nflat > cap || t->nflat > CANON_FLAT_MAX)
		return t->nflat;
	switch (t->kind) {
	case WR_C_STRING:
		out[0] = out[1] = WR_I32;
		break;
	case WR_C_LIST:
		if (!t->fixed_len)
			out[0] = out[1] = WR_I32;
		for (uint32_t i = 0, k = t->elem->nflat; t->fixed_len && i < t->fixed_len; i++)
			canon_flatten_type(t->elem, out + (size_t)i * k, k);
		break;
	case WR_C_RECORD:
	case WR_C_TUPLE:
		canon_flatten_fields(t->f, t->n, out, t->nflat);
		break;
	case WR_C_VARIANT:
	case WR_C_OPTION:
	case WR_C_RESULT:
		flatten_variant(t, out);
		break;
	default: /* primitives, enum, flags, own, borrow: one value */
		out[0] = flat_prim(t->kind);
		break;
	}
	return t->nflat;
}

uint32_t canon_flatten_fields(const cfield *f, uint32_t n, uint8_t *out, uint32_t cap)
{
	uint64_t total = 0;
	for (uint32_t i = 0; i < n; i++)
		total += f[i].type->nflat;
	if (total > cap || total > CANON_FLAT_MAX)
		return UINT32_MAX;
	for (uint32_t i = 0, at = 0; i < n; i++)
		at += canon_flatten_type(f[i].type, out + at, cap - at);
	return (uint32_t)total;
}

void canon_flatten_functype(const cfunctype *ft, bool lower, struct cflatsig *out)
{
	memset(out, 0, sizeof(*out));
	uint32_t np = canon_flatten_fields(ft->params, ft->nparams, out->params,
	                                   CANON_MAX_FLAT_PARAMS);
	if (np == UINT32_MAX) {
		out->params[0] = WR_I32;
		np = 1;
	}
	out->nparams = np;
	if (!ft->result)
		return;
	if (ft->result->nflat <= CANON_MAX_FLAT_RESULTS) {
		out->nresults = canon_flatten_type(ft->result, out->results, CANON_MAX_FLAT_RESULTS);
	} else if (lower) {
		out->params[out->nparams++] = WR_I32;
	} else {
		out->results[0] = WR_I32;
		out->nresults = 1;
	}
}
