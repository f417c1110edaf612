/*
 * canon_store.c: lowering values: `store` into linear memory and
 * `lower_flat` into core values (CanonicalABI.md, "Storing", "Flat
 * Lowering", lower_flat_values). Values may come from the host, so each is
 * checked against its type before it is written. Memory is looked up again
 * after every realloc call (it may have grown and moved).
 */
#include "canon_impl.h"

#include <string.h>

wr_trapkind ccheck_kind(struct ccx *cx, const wr_cval *v, const ctype *t)
{
	bool ok = v->kind == t->kind;
	switch (ok ? t->kind : WR_C__COUNT) {
	case WR_C_RECORD:
	case WR_C_TUPLE:
		ok = v->len == t->n && (v->of.elems || !t->n);
		break;
	case WR_C_LIST:
		ok = (!t->fixed_len || v->len == t->fixed_len) && (v->of.elems || !v->len);
		break;
	case WR_C_VARIANT:
	case WR_C_ENUM:
	case WR_C_OPTION:
	case WR_C_RESULT:
		if (v->tag >= cncases(t))
			return ctrap(cx, "%s", CMSG_DISC);
		ok = ccase_type(t, v->tag) ? v->len == 1 && v->of.elems : v->len == 0;
		break;
	default:
		break;
	}
	return ok ? WR_OK : ctrap(cx, "%s", CMSG_MISMATCH);
}

/* The integer bits of a primitive (bool, integers, floats, char). */
static wr_trapkind prim_bits(struct ccx *cx, const wr_cval *v, const ctype *t, uint64_t *x)
{
	uint32_t b32;
	switch (t->kind) {
	case WR_C_BOOL: *x = v->of.u != 0; break;
	case WR_C_S8: *x = (uint32_t)(int32_t)(int8_t)v->of.i; break;
	case WR_C_S16: *x = (uint32_t)(int32_t)(int16_t)v->of.i; break;
	case WR_C_S32: *x = (uint32_t)(int32_t)v->of.i; break;
	case WR_C_U8: *x = (uint8_t)v->of.u; break;
	case WR_C_U16: *x = (uint16_t)v->of.u; break;
	case WR_C_U32: *x = (uint32_t)v->of.u; break;
	case WR_C_F32:
		memcpy(&b32, &v->of.f32, 4);
		*x = (b32 & 0x7f800000) == 0x7f800000 && (b32 & 0x7fffff) ? 0x7fc00000 : b32;
		break;
	case WR_C_F64:
		memcpy(x, &v->of.f64, 8);
		if ((*x & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (*x & 0xfffffffffffffull))
			*x = 0x7ff8000000000000ull;
		break;
	case WR_C_CHAR:
		if (v->of.u >= 0x110000 || (v->of.u >= 0xd800 && v->of.u <= 0xdfff))
			return ctrap(cx, "%s", CMSG_CHAR);
		*x = v->of.u;
		break;
	default: /* s64, u64 */
		*x = v->of.u;
		break;
	}
	return WR_OK;
}

/* The index of a handle value, added to the table. */
static wr_trapkind handle_index(struct ccx *cx, const wr_cval *v, const ctype *t, uint32_t *i)
{
	if (v->of.handle.type != t->res)
		return ctrap(cx, "handle of the wrong resource type (%s expected)",
		             t->res && t->res->name ? t->res->name : "another");
	if (t->kind == WR_C_OWN)
		return chandle_lower_own(cx, v->of.handle.rep, t, i);
	return chandle_lower_borrow(cx, v->of.handle.rep, t, i);
}

/* Write n bytes of x at ptr (in bounds: checked before, memory never shrinks). */
static wr_trapkind put_mem(struct ccx *cx, uint64_t ptr, uint64_t x, unsigned n)
{
	uint8_t *p = cmem(cx, ptr, n);
	if (!p)
		return ctrap(cx, "%s", CMSG_PTR_OOB);
	cst(p, x, n);
	return WR_OK;
}

/* ---- store ---- */

static wr_trapkind store_fields(struct ccx *cx, const wr_cval *v, const cfield *f, uint32_t n,
                                uint64_t ptr)
{
	wr_trapkind k = WR_OK;
	for (uint32_t i = 0; k == WR_OK && i < n; i++) {
		ptr = calign_to(ptr, f[i].type->align);
		k = canon_store(cx, &v[i], f[i].type, (uint32_t)ptr);
		ptr += f[i].type->size;
	}
	return k;
}

static wr_trapkind store_elems(struct ccx *cx, const wr_cval *v, const ctype *elem, uint64_t ptr)
{
	wr_trapkind k = WR_OK;
	for (uint32_t i = 0; k == WR_OK && i < v->len; i++)
		k = canon_store(cx, &v->of.elems[i], elem, (uint32_t)(ptr + (uint64_t)i * elem->size));
	return k;
}

/* store_list_into_range: allocate with realloc (even for no bytes), check,
 * store the elements. */
static wr_trapkind store_list_range(struct ccx *cx, const wr_cval *v, const ctype *elem,
                                    uint32_t *begin)
{
	uint64_t bytes = (uint64_t)v->len * elem->size;
	if (bytes > CANON_MAX_LIST_BYTES)
		return ctrap(cx, "list too long to lower (%u elements)", v->len);
	wr_trapkind k = crealloc(cx, 0, 0, elem->align, (uint32_t)bytes, begin);
	if (k == WR_OK)
		k = cmem_check(cx, *begin, bytes, elem->align, CMSG_REALLOC_UNALIGNED,
		               CMSG_LIST_REALLOC_OOB);
	return k == WR_OK ? store_elems(cx, v, elem, *begin) : k;
}

static wr_trapkind store_variant(struct ccx *cx, const wr_cval *v, const ctype *t, uint32_t ptr)
{
	uint32_t ds = cdisc_size(cncases(t));
	wr_trapkind k = put_mem(cx, ptr, v->tag, ds);
	const ctype *ct = ccase_type(t, v->tag);
	if (k != WR_OK || !ct)
		return k;
	uint64_t at = calign_to((uint64_t)ptr + ds, cmax_case_align(t));
	return canon_store(cx, &v->of.elems[0], ct, (uint32_t)at);
}

/* Strings and variable-length lists: a (pointer, length) pair. */
static wr_trapkind store_pair(struct ccx *cx, const wr_cval *v, const ctype *t, uint32_t ptr)
{
	uint32_t begin, len = v->len;
	wr_trapkind k = t->kind == WR_C_STRING ? canon_store_string(cx, v, &begin, &len)
	                                       : store_list_range(cx, v, t->elem, &begin);
	if (k == WR_OK)
		k = put_mem(cx, ptr, begin, 4);
	if (k == WR_OK)
		k = put_mem(cx, (uint64_t)ptr + 4, len, 4);
	return k;
}

wr_trapkind canon_store(struct ccx *cx, const wr_cval *v, const ctype *t, uint32_t ptr)
{
	wr_trapkind k = ccheck_kind(cx, v, t);
	if (k != WR_OK)
		return k;
	if (!cmem(cx, ptr, t->size))
		return ctrap(cx, "%s", CMSG_PTR_OOB);
	uint64_t x;
	uint32_t i;
	switch (t->kind) {
	case WR_C_STRING:
		return store_pair(cx, v, t, ptr);
	case WR_C_LIST:
		return t->fixed_len ? store_elems(cx, v, t->elem, ptr) : store_pair(cx, v, t, ptr);
	case WR_C_RECORD:
	case WR_C_TUPLE:
		return store_fields(cx, v->of.elems, t->f, t->n, ptr);
	case WR_C_VARIANT:
	case WR_C_ENUM:
	case WR_C_OPTION:
	case WR_C_RESULT:
		return store_variant(cx, v, t, ptr);
	case WR_C_FLAGS:
		return put_mem(cx, ptr, v->of.u & (t->n >= 32 ? 0xffffffffu : (1u << t->n) - 1),
		               t->size);
	case WR_C_OWN:
	case WR_C_BORROW:
		k = handle_index(cx, v, t, &i);
		return k == WR_OK ? put_mem(cx, ptr, i, 4) : k;
	default:
		k = prim_bits(cx, v, t, &x);
		return k == WR_OK ? put_mem(cx, ptr, x, t->size) : k;
	}
}

/* ---- lower_flat ---- */

static wr_trapkind flat_put(struct ccx *cx, struct cflat *fl, uint64_t x)
{
	if (fl->i >= fl->n)
		return ctrap(cx, "canonical ABI: too many core values");
	fl->val[fl->i++] = x;
	return WR_OK;
}

/* A variant: the case index, the payload, zeros for the rest of the
 * joined slots (coercions keep the bits: values are already zero-extended). */
static wr_trapkind lower_flat_variant(struct ccx *cx, const wr_cval *v, const ctype *t,
                                      struct cflat *fl)
{
	wr_trapkind k = flat_put(cx, fl, v->tag);
	uint32_t end = fl->i + (t->nflat - 1);
	const ctype *ct = ccase_type(t, v->tag);
	if (k == WR_OK && ct)
		k = canon_lower_flat(cx, &v->of.elems[0], ct, fl);
	while (k == WR_OK && fl->i < end)
		k = flat_put(cx, fl, 0);
	return k;
}

static wr_trapkind lower_flat_pair(struct ccx *cx, const wr_cval *v, const ctype *t,
                                   struct cflat *fl)
{
	uint32_t begin, len = v->len;
	wr_trapkind k = t->kind == WR_C_STRING ? canon_store_string(cx, v, &begin, &len)
	                                       : store_list_range(cx, v, t->elem, &begin);
	if (k == WR_OK)
		k = flat_put(cx, fl, begin);
	return k == WR_OK ? flat_put(cx, fl, len) : k;
}

wr_trapkind canon_lower_flat(struct ccx *cx, const wr_cval *v, const ctype *t, struct cflat *fl)
{
	wr_trapkind k = ccheck_kind(cx, v, t);
	uint64_t x;
	uint32_t i;
	if (k != WR_OK)
		return k;
	switch (t->kind) {
	case WR_C_STRING:
		return lower_flat_pair(cx, v, t, fl);
	case WR_C_LIST:
		if (!t->fixed_len)
			return lower_flat_pair(cx, v, t, fl);
		for (i = 0; k == WR_OK && i < v->len; i++)
			k = canon_lower_flat(cx, &v->of.elems[i], t->elem, fl);
		return k;
	case WR_C_RECORD:
	case WR_C_TUPLE:
		for (i = 0; k == WR_OK && i < t->n; i++)
			k = canon_lower_flat(cx, &v->of.elems[i], t->f[i].type, fl);
		return k;
	case WR_C_VARIANT:
	case WR_C_ENUM:
	case WR_C_OPTION:
	case WR_C_RESULT:
		return lower_flat_variant(cx, v, t, fl);
	case WR_C_FLAGS:
		return flat_put(cx, fl, v->of.u & (t->n >= 32 ? 0xffffffffu : (1u << t->n) - 1));
	case WR_C_OWN:
	case WR_C_BORROW:
		k = handle_index(cx, v, t, &i);
		return k == WR_OK ? flat_put(cx, fl, i) : k;
	default:
		k = prim_bits(cx, v, t, &x);
		return k == WR_OK ? flat_put(cx, fl, x) : k;
	}
}

/* ---- lower_flat_values ---- */

/* Where spilled values go: allocated with realloc (the pointer becomes a
 * core value) or the caller's return pointer; checked either way. */
static wr_trapkind spill_ptr(struct ccx *cx, uint32_t align, uint64_t size, struct cflat *fl,
                             struct cflat *out_param, uint32_t *ptr)
{
	wr_trapkind k;
	if (out_param) {
		if (out_param->i >= out_param->n)
			return ctrap(cx, "canonical ABI: too few core values");
		*ptr = (uint32_t)out_param->val[out_param->i++];
		return cmem_check(cx, *ptr, size, align, CMSG_UNALIGNED, CMSG_PTR_OOB);
	}
	if ((k = crealloc(cx, 0, 0, align, (uint32_t)size, ptr)) != WR_OK)
		return k;
	if ((k = flat_put(cx, fl, *ptr)) != WR_OK)
		return k;
	return cmem_check(cx, *ptr, size, align, CMSG_REALLOC_UNALIGNED, CMSG_REALLOC_OOB);
}

wr_trapkind canon_lower_values(struct ccx *cx, uint32_t max_flat, const wr_cval *v,
                               const cfield *f, uint32_t n, struct cflat *fl,
                               struct cflat *out_param)
{
	uint64_t total = 0;
	wr_trapkind k = WR_OK;
	for (uint32_t i = 0; i < n; i++)
		total += f[i].type->nflat;
	if (total <= max_flat) {
		for (uint32_t i = 0; k == WR_OK && i < n; i++)
			k = canon_lower_flat(cx, &v[i], f[i].type, fl);
		return k;
	}
	uint64_t size;
	uint32_t align, ptr;
	ctuple_layout(f, n, &align, &size);
	if (size > UINT32_MAX)
		return ctrap(cx, "%s", CMSG_PTR_OOB);
	if ((k = spill_ptr(cx, align, size, fl, out_param, &ptr)) != WR_OK)
		return k;
	return store_fields(cx, v, f, n, ptr);
}
