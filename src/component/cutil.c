/*
 * cutil.c: the component decoder's helpers: error messages with their
 * offsets, the bounds-checked reader (LEB128, names), arrays that grow in
 * the arena, and pointer maps.
 */
#include "cvalid.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors ---- */

bool cfail(cctx *x, size_t off, const char *fmt, ...)
{
	va_list ap;
	if (x->failed)
		return false;
	x->failed = true;
	if (x->diag) {
		va_start(ap, fmt);
		vsnprintf(x->diag->message, sizeof(x->diag->message), fmt, ap);
		va_end(ap);
		x->diag->offset = off;
	}
	return false;
}

bool cwrap(cctx *x, const char *fmt, ...)
{
	char ctx[192], old[sizeof(x->diag->message)];
	va_list ap;
	if (!x->diag)
		return false;
	va_start(ap, fmt);
	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	memcpy(old, x->diag->message, sizeof(old));
	size_t n = strlen(ctx), cap = sizeof(x->diag->message) - 1;
	if (n > cap)
		n = cap;
	memcpy(x->diag->message, ctx, n);
	for (const char *q = ": "; *q && n < cap; q++)
		x->diag->message[n++] = *q;
	for (const char *q = old; *q && n < cap; q++)
		x->diag->message[n++] = *q;
	x->diag->message[n] = 0;
	return false;
}

bool coom(cctx *x, size_t off)
{
	return cfail(x, off, "out of memory");
}

/* ---- the reader ---- */

size_t crd_off(const crd *r)
{
	return (size_t)(r->p - r->x->base);
}

static bool crd_eof_fail(crd *r)
{
	return cfail(r->x, crd_off(r), "unexpected end-of-file");
}

bool crd_eof(crd *r)
{
	return r->p >= r->end;
}

bool crd_byte(crd *r, uint8_t *b)
{
	if (r->p >= r->end)
		return crd_eof_fail(r);
	*b = *r->p++;
	return true;
}

bool crd_u32(crd *r, uint32_t *v)
{
	uint64_t acc = 0;
	size_t at = crd_off(r);
	for (unsigned shift = 0;; shift += 7) {
		uint8_t b = 0;
		if (!crd_byte(r, &b))
			return false;
		if (shift == 28 && (b & 0x70))
			return cfail(r->x, at, "invalid var_u32: integer too large");
		acc |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			break;
		if (shift == 28)
			return cfail(r->x, at, "invalid var_u32: integer representation too long");
	}
	*v = (uint32_t)acc;
	return true;
}

bool crd_s33(crd *r, int64_t *v)
{
	int64_t acc = 0;
	unsigned shift = 0;
	size_t at = crd_off(r);
	uint8_t b = 0;
	do {
		if (!crd_byte(r, &b))
			return false;
		if (shift == 28 && (b & 0x80))
			return cfail(r->x, at, "invalid var_s33: integer representation too long");
		acc |= (int64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	if (shift < 64 && (b & 0x40))
		acc |= -((int64_t)1 << shift);
	if (acc < -((int64_t)1 << 32) || acc >= ((int64_t)1 << 32))
		return cfail(r->x, at, "invalid var_s33: integer too large");
	*v = acc;
	return true;
}

bool crd_bytes(crd *r, size_t n, const uint8_t **p)
{
	if ((size_t)(r->end - r->p) < n)
		return crd_eof_fail(r);
	*p = r->p;
	r->p += n;
	return true;
}

/* Is s (n bytes) well-formed UTF-8 (no overlong forms, surrogates or
 * values past U+10FFFF)? */
static bool utf8_ok(const uint8_t *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint8_t c = s[i];
		uint32_t cp, min;
		size_t k;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			k = 1, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return false;
		}
		if (n - i <= k)
			return false;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += k + 1;
	}
	return true;
}

bool crd_name(crd *r, const char **s, uint32_t *len)
{
	uint32_t n;
	const uint8_t *p = NULL;
	size_t at;
	if (!crd_u32(r, &n))
		return false;
	at = crd_off(r);
	if (!crd_bytes(r, n, &p))
		return false;
	if (!utf8_ok(p, n))
		return cfail(r->x, at, "malformed UTF-8 encoding");
	*s = ctype_strdup(r->x->a, (const char *)p, n);
	*len = n;
	return *s ? true : coom(r->x, at);
}

bool crd_count(crd *r, uint32_t *n)
{
	if (!crd_u32(r, n))
		return false;
	if (*n > (size_t)(r->end - r->p))
		return crd_eof_fail(r);
	return true;
}

bool crd_bool(crd *r, bool *v)
{
	uint8_t b = 0;
	if (!crd_byte(r, &b))
		return false;
	if (b > 1)
		return cfail(r->x, crd_off(r) - 1, "invalid boolean value");
	*v = b;
	return true;
}

bool crd_bad_byte(crd *r, size_t at, uint8_t b, const char *what)
{
	return cfail(r->x, at, "invalid leading byte (0x%x) for %s", b, what);
}

/* ---- arrays ---- */

void *avec_push(ctype_arena *a, avec *v, size_t elsize)
{
	if (v->n == v->cap) {
		uint32_t cap = v->cap ? v->cap * 2 : 4;
		void *p = ctype_alloc(a, (size_t)cap * elsize);
		if (!p)
			return NULL;
		if (v->n)
			memcpy(p, v->p, (size_t)v->n * elsize);
		v->p = p;
		v->cap = cap;
	}
	return (char *)v->p + (size_t)v->n++ * elsize;
}

/* ---- pointer maps ---- */

static uint32_t ptr_hash(const void *k)
{
	uint64_t h = (uint64_t)(uintptr_t)k * 0x9e3779b97f4a7c15ull;
	return (uint32_t)(h >> 32);
}

static void *map_alloc(cmap *m, size_t bytes)
{
	return m->a ? ctype_alloc(m->a, bytes) : calloc(1, bytes);
}

static bool cmap_grow(cmap *m)
{
	uint32_t cap = m->cap ? m->cap * 2 : 16;
	const void **keys = map_alloc(m, cap * sizeof(*keys));
	const void **vals = map_alloc(m, cap * sizeof(*vals));
	if (!keys || !vals) {
		if (!m->a) {
			free(keys);
			free(vals);
		}
		return false;
	}
	for (uint32_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		uint32_t j = ptr_hash(m->keys[i]) & (cap - 1);
		while (keys[j])
			j = (j + 1) & (cap - 1);
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	if (!m->a) {
		free(m->keys);
		free(m->vals);
	}
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	return true;
}

bool cmap_put(cmap *m, const void *k, const void *v)
{
	uint32_t j;
	if ((m->n + 1) * 4 > m->cap * 3 && !cmap_grow(m))
		return false;
	j = ptr_hash(k) & (m->cap - 1);
	while (m->keys[j] && m->keys[j] != k)
		j = (j + 1) & (m->cap - 1);
	if (!m->keys[j])
		m->n++;
	m->keys[j] = k;
	m->vals[j] = v;
	return true;
}

const void *cmap_get(const cmap *m, const void *k, bool *found)
{
	if (found)
		*found = false;
	if (!m->cap || !k)
		return NULL;
	for (uint32_t j = ptr_hash(k) & (m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1)) {
		if (m->keys[j] == k) {
			if (found)
				*found = true;
			return m->vals[j];
		}
	}
	return NULL;
}

bool cmap_has(const cmap *m, const void *k)
{
	bool found;
	cmap_get(m, k, &found);
	return found;
}

void cmap_free(cmap *m)
{
	if (!m->a) {
		free(m->keys);
		free(m->vals);
	}
	m->keys = m->vals = NULL;
	m->n = m->cap = 0;
}

/* ---- string sets ---- */

static uint32_t str_hash(const char *s, uint32_t len, bool fold)
{
	uint32_t h = 2166136261u;
	for (uint32_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)s[i];
		if (fold && c >= 'A' && c <= 'Z')
			c = (uint8_t)(c - 'A' + 'a');
		h = (h ^ c) * 16777619u;
	}
	return h;
}

static bool str_same(const cstrset *set, const cstrent *e, const char *s, uint32_t len,
                     uint32_t h)
{
	if (e->hash != h || e->len != len)
		return false;
	for (uint32_t i = 0; i < len; i++) {
		uint8_t a = (uint8_t)e->s[i], b = (uint8_t)s[i];
		if (set->fold && a >= 'A' && a <= 'Z')
			a = (uint8_t)(a - 'A' + 'a');
		if (set->fold && b >= 'A' && b <= 'Z')
			b = (uint8_t)(b - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

static bool cstrset_grow(cstrset *set)
{
	uint32_t cap = set->cap ? set->cap * 2 : 16;
	cstrent *e = set->a ? ctype_alloc(set->a, cap * sizeof(*e)) : calloc(cap, sizeof(*e));
	if (!e)
		return false;
	for (uint32_t i = 0; i < set->cap; i++) {
		uint32_t j;
		if (!set->e[i].s)
			continue;
		for (j = set->e[i].hash & (cap - 1); e[j].s; j = (j + 1) & (cap - 1))
			;
		e[j] = set->e[i];
	}
	if (!set->a)
		free(set->e);
	set->e = e;
	set->cap = cap;
	return true;
}

uint32_t cstrset_find(const cstrset *set, const char *s, uint32_t len)
{
	uint32_t h = str_hash(s, len, set->fold);
	if (!set->cap)
		return UINT32_MAX;
	for (uint32_t j = h & (set->cap - 1); set->e[j].s; j = (j + 1) & (set->cap - 1))
		if (str_same(set, &set->e[j], s, len, h))
			return set->e[j].idx;
	return UINT32_MAX;
}

uint32_t cstrset_add(cstrset *set, const char *s, uint32_t len, uint32_t idx)
{
	uint32_t h = str_hash(s, len, set->fold), j;
	if ((set->n + 1) * 4 > set->cap * 3 && !cstrset_grow(set))
		return CSTR_OOM;
	for (j = h & (set->cap - 1); set->e[j].s; j = (j + 1) & (set->cap - 1))
		if (str_same(set, &set->e[j], s, len, h))
			return set->e[j].idx;
	set->e[j].s = s ? s : "";
	set->e[j].len = len;
	set->e[j].idx = idx;
	set->e[j].hash = h;
	set->n++;
	return CSTR_ADDED;
}

void cstrset_free(cstrset *set)
{
	if (!set->a)
		free(set->e);
	set->e = NULL;
	set->n = set->cap = 0;
}

/* ---- name lookups in export arrays ---- */

struct name_index {
	cstrset set;
	uint32_t n;
};

/* The index of an array (base, n entries of size stride whose name and
 * length sit at name_off and len_off), built once into the arena. */
static const struct name_index *index_of(cctx *x, const void *base, uint32_t n, size_t stride,
                                         size_t name_off, size_t len_off)
{
	bool found;
	struct name_index *ix = (struct name_index *)cmap_get(&x->name_index, base, &found);
	if (found && ix->n == n)
		return ix;
	if (!(ix = ctype_alloc(x->a, sizeof(*ix))))
		return NULL;
	ix->n = n;
	ix->set.a = x->a;
	for (uint32_t i = 0; i < n; i++) {
		const char *e = (const char *)base + i * stride;
		const char *name = *(const char *const *)(e + name_off);
		uint32_t len = *(const uint32_t *)(e + len_off);
		if (cstrset_add(&ix->set, name, len, i) == CSTR_OOM)
			return NULL;
	}
	return cmap_put(&x->name_index, base, ix) ? ix : NULL;
}

static bool name_is(const char *a, uint32_t al, const char *b, uint32_t bl)
{
	return al == bl && memcmp(a, b, al) == 0;
}

const cextern *cx_find(cctx *x, const cextern *v, uint32_t n, const char *name, uint32_t len)
{
	const struct name_index *ix;
	uint32_t i;
	if (n > 16 && (ix = index_of(x, v, n, sizeof(*v), offsetof(cextern, name),
	                             offsetof(cextern, name_len)))) {
		i = cstrset_find(&ix->set, name, len);
		return i < n ? &v[i] : NULL;
	}
	for (i = 0; i < n; i++)
		if (name_is(v[i].name, v[i].name_len, name, len))
			return &v[i];
	return NULL;
}

const ccore_export *cx_find_core(cctx *x, const ccore_export *v, uint32_t n, const char *name,
                                 uint32_t len)
{
	const struct name_index *ix;
	uint32_t i;
	if (n > 16 && (ix = index_of(x, v, n, sizeof(*v), offsetof(ccore_export, name),
	                             offsetof(ccore_export, name_len)))) {
		i = cstrset_find(&ix->set, name, len);
		return i < n ? &v[i] : NULL;
	}
	for (i = 0; i < n; i++)
		if (name_is(v[i].name, v[i].name_len, name, len))
			return &v[i];
	return NULL;
}
