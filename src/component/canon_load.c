/*
 * canon_load.c: lifting values: `load` from linear memory and `lift_flat`
 * from core values (CanonicalABI.md, "Loading", "Flat Lifting",
 * lift_flat_values). Every value is built into a wr_cval that owns its
 * parts; on a trap what was built is freed.
 */
#include "canon_impl.h"

#include <stdlib.h>
#include <string.h>

static uint32_t canon_nan32(uint32_t bits)
{
	return (bits & 0x7f800000) == 0x7f800000 && (bits & 0x7fffff) ? 0x7fc00000 : bits;
}

static uint64_t canon_nan64(uint64_t bits)
{
	uint64_t e = 0x7ff0000000000000ull;
	return (bits & e) == e && (bits & 0xfffffffffffffull) ? 0x7ff8000000000000ull : bits;
}

/* A primitive of kind t->kind from its integer bits x (bool, integers,
 * floats, char): the conversions load and lift_flat share. */
static wr_trapkind prim_from_bits(struct ccx *cx, const ctype *t, uint64_t x, wr_cval *out)
{
	switch (t->kind) {
	case WR_C_BOOL: out->of.u = x != 0; break;
	case WR_C_S8: out->of.i = (int8_t)x; break;
	case WR_C_U8: out->of.u = (uint8_t)x; break;
	case WR_C_S16: out->of.i = (int16_t)x; break;
	case WR_C_U16: out->of.u = (uint16_t)x; break;
	case WR_C_S32: out->of.i = (int32_t)x; break;
	case WR_C_U32: out->of.u = (uint32_t)x; break;
	case WR_C_S64: out->of.i = (int64_t)x; break;
	case WR_C_U64: out->of.u = x; break;
	case WR_C_F32: {
		uint32_t b = canon_nan32((uint32_t)x);
		memcpy(&out->of.f32, &b, 4);
		break;
	}
	case WR_C_F64: {
		uint64_t b = canon_nan64(x);
		memcpy(&out->of.f64, &b, 8);
		break;
	}
	case WR_C_CHAR:
		x = (uint32_t)x;
		if (x >= 0x110000 || (x >= 0xd800 && x <= 0xdfff))
			return ctrap(cx, "%s", CMSG_CHAR);
		out->of.u = x;
		break;
	default:
		return ctrap(cx, "%s", CMSG_MISMATCH);
	}
	return WR_OK;
}

/* A handle from its index: own moves out of the table, borrow is lent. */
static wr_trapkind handle_from(struct ccx *cx, const ctype *t, uint32_t i, wr_cval *out)
{
	uint32_t rep;
	wr_trapkind k = t->kind == WR_C_OWN ? chandle_lift_own(cx, i, t, &rep)
	                                    : chandle_lift_borrow(cx, i, t, &rep);
	if (k == WR_OK) {
		out->of.handle.rep = rep;
		out->of.handle.type = t->res;
	}
	return k;
}

/* Give out an array of n values for its parts. */
static wr_trapkind parts(struct ccx *cx, wr_cval *out, uint32_t n)
{
	wr_trapkind k = clift_charge(cx, (uint64_t)n * sizeof(wr_cval));
	if (k != WR_OK)
		return k;
	out->len = n;
	out->of.elems = cval_array(n);
	return !out->of.elems && n ? ctrap_oom(cx) : WR_OK;
}

/* ---- load ---- */

static wr_trapkind load_fields(struct ccx *cx, uint64_t ptr, const cfield *f, uint32_t n,
                               wr_cval *out)
{
	wr_trapkind k = WR_OK;
	for (uint32_t i = 0; k == WR_OK && i < n; i++) {
		ptr = calign_to(ptr, f[i].type->align);
		k = canon_load(cx, (uint32_t)ptr, f[i].type, &out[i]);
		ptr += f[i].type->size;
	}
	return k;
}

/* n elements at ptr, their range already checked. */
static wr_trapkind load_elems(struct ccx *cx, uint64_t ptr, uint32_t n, const ctype *elem,
                              wr_cval *out)
{
	wr_trapkind k = parts(cx, out, n);
	for (uint32_t i = 0; k == WR_OK && i < n; i++)
		k = canon_load(cx, (uint32_t)(ptr + (uint64_t)i * elem->size), elem, &out->of.elems[i]);
	return k;
}

/* load_list_from_range: a list's (ptr, length), checked. */
static wr_trapkind load_list_range(struct ccx *cx, uint32_t ptr, uint32_t n, const ctype *elem,
                                   wr_cval *out)
{
	uint64_t bytes = (uint64_t)n * elem->size;
	if (bytes > CANON_MAX_LIST_BYTES || (n && !elem->size))
		return ctrap(cx, "%s (length over the maximum)", CMSG_LIST_OOB);
	wr_trapkind k = cmem_check(cx, ptr, bytes, elem->align, CMSG_UNALIGNED, CMSG_LIST_OOB);
	if (k != WR_OK)
		return k;
	return load_elems(cx, ptr, n, elem, out);
}

static wr_trapkind load_variant(struct ccx *cx, uint32_t ptr, const ctype *t, wr_cval *out)
{
	uint32_t n = cncases(t), ds = cdisc_size(n);
	const uint8_t *p = cmem(cx, ptr, ds);
	if (!p)
		return ctrap(cx, "%s", CMSG_PTR_OOB);
	uint64_t c = cld(p, ds);
	if (c >= n)
		return ctrap(cx, "%s", CMSG_DISC);
	out->tag = (uint32_t)c;
	const ctype *ct = ccase_type(t, out->tag);
	if (!ct)
		return WR_OK;
	wr_trapkind k = parts(cx, out, 1);
	if (k != WR_OK)
		return k;
	uint64_t at = calign_to((uint64_t)ptr + ds, cmax_case_align(t));
	return canon_load(cx, (uint32_t)at, ct, &out->of.elems[0]);
}

/* The kinds held in a few bytes at p (already in bounds). */
static wr_trapkind load_scalar(struct ccx *cx, const uint8_t *p, const ctype *t, wr_cval *out)
{
	switch (t->kind) {
	case WR_C_STRING:
		return canon_load_string(cx, (uint32_t)cld(p, 4), (uint32_t)cld(p + 4, 4), out);
	case WR_C_FLAGS:
		out->of.u = cld(p, t->size) & (t->n >= 32 ? 0xffffffffu : (1u << t->n) - 1);
		return WR_OK;
	case WR_C_OWN:
	case WR_C_BORROW:
		return handle_from(cx, t, (uint32_t)cld(p, 4), out);
	default:
		return prim_from_bits(cx, t, cld(p, t->size), out);
	}
}

wr_trapkind canon_load(struct ccx *cx, uint32_t ptr, const ctype *t, wr_cval *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = t->kind;
	const uint8_t *p = cmem(cx, ptr, t->size);
	if (!p)
		return ctrap(cx, "%s", CMSG_PTR_OOB);
	wr_trapkind k;
	switch (t->kind) {
	case WR_C_LIST:
		if (t->fixed_len)
			k = load_elems(cx, ptr, t->fixed_len, t->elem, out);
		else
			k = load_list_range(cx, (uint32_t)cld(p, 4), (uint32_t)cld(p + 4, 4), t->elem, out);
		break;
	case WR_C_RECORD:
	case WR_C_TUPLE:
		k = parts(cx, out, t->n);
		if (k == WR_OK)
			k = load_fields(cx, ptr, t->f, t->n, out->of.elems);
		break;
	case WR_C_VARIANT:
	case WR_C_ENUM:
	case WR_C_OPTION:
	case WR_C_RESULT:
		k = load_variant(cx, ptr, t, out);
		break;
	default:
		k = load_scalar(cx, p, t, out);
		break;
	}
	if (k != WR_OK)
		wr_cval_free(out);
	return k;
}

/* ---- lift_flat ---- */

/* The next core value, read as type want (the spec's CoerceValueIter: an
 * i64 slot read as i32 or f32 wraps; every other coercion keeps the bits). */
static wr_trapkind flat_next(struct ccx *cx, struct cflat *fl, uint8_t want, uint64_t *x)
{
	if (fl->i >= fl->n)
		return ctrap(cx, "canonical ABI: too few core values");
	*x = fl->val[fl->i++];
	if (want == WR_I32 || want == WR_F32)
		*x = (uint32_t)*x;
	return WR_OK;
}

static wr_trapkind lift_flat_variant(struct ccx *cx, struct cflat *fl, const ctype *t,
                                     wr_cval *out)
{
	uint64_t c = 0;
	wr_trapkind k = flat_next(cx, fl, WR_I32, &c);
	if (k != WR_OK)
		return k;
	if (c >= cncases(t))
		return ctrap(cx, "%s", CMSG_DISC);
	out->tag = (uint32_t)c;
	uint32_t end = fl->i + (t->nflat - 1);
	const ctype *ct = ccase_type(t, out->tag);
	if (ct) {
		if ((k = parts(cx, out, 1)) != WR_OK)
			return k;
		if ((k = canon_lift_flat(cx, fl, ct, &out->of.elems[0])) != WR_OK)
			return k;
	}
	if (end > fl->n || fl->i > end)
		return ctrap(cx, "canonical ABI: too few core values");
	fl->i = end;
	return WR_OK;
}

/* Fixed-length list elements or record fields, one after another. */
static wr_trapkind lift_flat_parts(struct ccx *cx, struct cflat *fl, const ctype *t,
                                   wr_cval *out)
{
	uint32_t n = t->kind == WR_C_LIST ? t->fixed_len : t->n;
	wr_trapkind k = parts(cx, out, n);
	for (uint32_t i = 0; k == WR_OK && i < n; i++)
		k = canon_lift_flat(cx, fl, t->kind == WR_C_LIST ? t->elem : t->f[i].type,
		                    &out->of.elems[i]);
	return k;
}

/* Lifts whose core values are pairs (ptr, length) or one i32. */
static wr_trapkind lift_flat_scalar(struct ccx *cx, struct cflat *fl, const ctype *t,
                                    wr_cval *out)
{
	uint64_t x = 0, y = 0;
	wr_trapkind k;
	switch (t->kind) {
	case WR_C_STRING:
	case WR_C_LIST:
		if ((k = flat_next(cx, fl, WR_I32, &x)) || (k = flat_next(cx, fl, WR_I32, &y)))
			return k;
		if (t->kind == WR_C_STRING)
			return canon_load_string(cx, (uint32_t)x, (uint32_t)y, out);
		return load_list_range(cx, (uint32_t)x, (uint32_t)y, t->elem, out);
	case WR_C_FLAGS:
		if ((k = flat_next(cx, fl, WR_I32, &x)) == WR_OK)
			out->of.u = x & (t->n >= 32 ? 0xffffffffu : (1u << t->n) - 1);
		return k;
	case WR_C_OWN:
	case WR_C_BORROW:
		if ((k = flat_next(cx, fl, WR_I32, &x)) == WR_OK)
			k = handle_from(cx, t, (uint32_t)x, out);
		return k;
	default: {
		uint8_t want = WR_I32;
		canon_flatten_type(t, &want, 1);
		if ((k = flat_next(cx, fl, want, &x)) == WR_OK)
			k = prim_from_bits(cx, t, x, out);
		return k;
	}
	}
}

wr_trapkind canon_lift_flat(struct ccx *cx, struct cflat *fl, const ctype *t, wr_cval *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = t->kind;
	wr_trapkind k;
	switch (t->kind) {
	case WR_C_RECORD:
	case WR_C_TUPLE:
		k = lift_flat_parts(cx, fl, t, out);
		break;
	case WR_C_LIST:
		k = t->fixed_len ? lift_flat_parts(cx, fl, t, out) : lift_flat_scalar(cx, fl, t, out);
		break;
	case WR_C_VARIANT:
	case WR_C_ENUM:
	case WR_C_OPTION:
	case WR_C_RESULT:
		k = lift_flat_variant(cx, fl, t, out);
		break;
	default:
		k = lift_flat_scalar(cx, fl, t, out);
		break;
	}
	if (k != WR_OK)
		wr_cval_free(out);
	return k;
}

/* ---- lift_flat_values ---- */

wr_trapkind canon_lift_values(struct ccx *cx, uint32_t max_flat, struct cflat *fl,
                              const cfield *f, uint32_t n, wr_cval *out)
{
	uint64_t total = 0;
	wr_trapkind k = WR_OK;
	for (uint32_t i = 0; i < n; i++)
		total += f[i].type->nflat;
	if (n)
		memset(out, 0, n * sizeof(*out));
	if (total > max_flat) {
		uint64_t ptr = 0, size;
		uint32_t align;
		ctuple_layout(f, n, &align, &size);
		if ((k = flat_next(cx, fl, WR_I32, &ptr)) == WR_OK)
			k = cmem_check(cx, ptr, size, align, CMSG_UNALIGNED, CMSG_PTR_OOB);
		if (k == WR_OK)
			k = load_fields(cx, ptr, f, n, out);
	} else {
		for (uint32_t i = 0; k == WR_OK && i < n; i++)
			k = canon_lift_flat(cx, fl, f[i].type, &out[i]);
	}
	if (k != WR_OK)
		for (uint32_t i = 0; i < n; i++)
			wr_cval_free(&out[i]);
	return k;
}
