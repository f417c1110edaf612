/*
 * cval.c: component values (wr_cval, include/wrun.h): freeing, deep
 * copies and structural equality. Which kinds own parts: a string its
 * bytes; list, record, tuple, variant, option and result their elems.
 */
#include "canon_impl.h"

#include <stdlib.h>
#include <string.h>

/* Does a value of kind k own an elems array? */
static bool has_elems(wr_ckind k)
{
	switch (k) {
	case WR_C_LIST:
	case WR_C_RECORD:
	case WR_C_TUPLE:
	case WR_C_VARIANT:
	case WR_C_OPTION:
	case WR_C_RESULT:
		return true;
	default:
		return false;
	}
}

void wr_cval_free(wr_cval *v)
{
	if (!v)
		return;
	if (v->kind == WR_C_STRING) {
		free(v->of.str);
		v->of.str = NULL;
	} else if (has_elems(v->kind)) {
		for (uint32_t i = 0; v->of.elems && i < v->len; i++)
			wr_cval_free(&v->of.elems[i]);
		free(v->of.elems);
		v->of.elems = NULL;
	}
	v->len = 0;
}

wr_cval *cval_array(uint32_t n)
{
	return n ? calloc(n, sizeof(wr_cval)) : NULL;
}

bool cval_copy(wr_cval *dst, const wr_cval *src)
{
	*dst = *src;
	if (src->kind == WR_C_STRING) {
		dst->of.str = malloc((size_t)src->len + 1);
		if (!dst->of.str) {
			dst->len = 0;
			return false;
		}
		if (src->len)
			memcpy(dst->of.str, src->of.str, src->len);
		dst->of.str[src->len] = 0;
	} else if (has_elems(src->kind) && src->len) {
		dst->of.elems = cval_array(src->len);
		if (!dst->of.elems) {
			dst->len = 0;
			return false;
		}
		for (uint32_t i = 0; i < src->len; i++) {
			if (!cval_copy(&dst->of.elems[i], &src->of.elems[i])) {
				dst->len = i;
				wr_cval_free(dst);
				return false;
			}
		}
	} else if (has_elems(src->kind)) {
		dst->of.elems = NULL;
	}
	return true;
}

static bool float_equal(uint64_t a, uint64_t b, bool nan_a, bool nan_b)
{
	return (nan_a && nan_b) || a == b;
}

static bool scalar_equal(const wr_cval *a, const wr_cval *b)
{
	uint32_t x, y;
	uint64_t p, q;
	switch (a->kind) {
	case WR_C_F32:
		memcpy(&x, &a->of.f32, 4);
		memcpy(&y, &b->of.f32, 4);
		return float_equal(x, y, a->of.f32 != a->of.f32, b->of.f32 != b->of.f32);
	case WR_C_F64:
		memcpy(&p, &a->of.f64, 8);
		memcpy(&q, &b->of.f64, 8);
		return float_equal(p, q, a->of.f64 != a->of.f64, b->of.f64 != b->of.f64);
	case WR_C_STRING:
		return a->len == b->len && (!a->len || memcmp(a->of.str, b->of.str, a->len) == 0);
	case WR_C_OWN:
	case WR_C_BORROW:
		return a->of.handle.rep == b->of.handle.rep && a->of.handle.type == b->of.handle.type;
	case WR_C_ENUM:
		return a->tag == b->tag;
	default:
		return a->of.u == b->of.u;
	}
}

bool cval_equal(const wr_cval *a, const wr_cval *b)
{
	if (a->kind != b->kind)
		return false;
	if (!has_elems(a->kind))
		return scalar_equal(a, b);
	if (a->tag != b->tag || a->len != b->len)
		return false;
	for (uint32_t i = 0; i < a->len; i++)
		if (!cval_equal(&a->of.elems[i], &b->of.elems[i]))
			return false;
	return true;
}
