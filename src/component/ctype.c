/*
 * ctype.c: arenas of component types, the primitive singletons, and the
 * canonical ABI layout of a value type (alignment, elem_size, flat count),
 * as CanonicalABI.md defines them for 32-bit memories.
 */
#include "ctype.h"

#include <stdlib.h>
#include <string.h>

/* ---- arenas ---- */

struct chunk {
	struct chunk *next;
	size_t used, cap;
	max_align_t data[];
};

struct ctype_arena {
	struct chunk *head;
};

ctype_arena *ctype_arena_new(void)
{
	return calloc(1, sizeof(ctype_arena));
}

void ctype_arena_free(ctype_arena *a)
{
	if (!a)
		return;
	for (struct chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

void *ctype_alloc(ctype_arena *a, size_t bytes)
{
	size_t al = sizeof(max_align_t);
	bytes = (bytes + al - 1) / al * al;
	if (bytes == 0)
		bytes = al;
	struct chunk *c = a->head;
	if (!c || c->cap - c->used < bytes) {
		size_t cap = bytes > 16384 ? bytes : 16384;
		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = a->head;
		a->head = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += bytes;
	memset(p, 0, bytes);
	return p;
}

char *ctype_strdup(ctype_arena *a, const char *s, size_t len)
{
	char *d = ctype_alloc(a, len + 1);
	if (d) {
		memcpy(d, s, len);
		d[len] = 0;
	}
	return d;
}

/* ---- primitives ---- */

#define PRIM(K, SZ, FL) { .kind = (K), .size = (SZ), .align = (SZ), .nflat = (FL) }
static const ctype prims[] = {
	PRIM(WR_C_BOOL, 1, 1), PRIM(WR_C_S8, 1, 1),  PRIM(WR_C_U8, 1, 1),
	PRIM(WR_C_S16, 2, 1),  PRIM(WR_C_U16, 2, 1), PRIM(WR_C_S32, 4, 1),
	PRIM(WR_C_U32, 4, 1),  PRIM(WR_C_S64, 8, 1), PRIM(WR_C_U64, 8, 1),
	PRIM(WR_C_F32, 4, 1),  PRIM(WR_C_F64, 8, 1), PRIM(WR_C_CHAR, 4, 1),
	{ .kind = WR_C_STRING, .size = 8, .align = 4, .nflat = 2 },
};

const ctype *ctype_prim(wr_ckind kind)
{
	return (unsigned)kind <= WR_C_STRING ? &prims[kind] : NULL;
}

/* ---- layout ---- */

#define SIZE_LIMIT (1u << 28)

static uint64_t align_to(uint64_t x, uint32_t a)
{
	return (x + a - 1) / a * a;
}

static uint32_t disc_size(uint32_t ncases)
{
	return ncases <= 256 ? 1 : ncases <= 65536 ? 2 : 4;
}

/* Case i's payload type of a variant, option or result (NULL: none). */
static const ctype *case_type(const ctype *t, uint32_t i)
{
	switch (t->kind) {
	case WR_C_OPTION:
		return i ? t->elem : NULL;
	case WR_C_RESULT:
		return i ? t->err : t->elem;
	default:
		return t->f[i].type;
	}
}

/* A variant's layout from its case types. */
static bool layout_variant(ctype *t, uint32_t n)
{
	uint32_t ds = disc_size(n), calign = 1, flat = 0;
	uint64_t csize = 0;
	for (uint32_t i = 0; i < n; i++) {
		const ctype *c = case_type(t, i);
		if (!c)
			continue;
		if (c->align > calign)
			calign = c->align;
		if (c->size > csize)
			csize = c->size;
		if (c->nflat > flat)
			flat = c->nflat;
		t->has_borrow |= c->has_borrow;
		t->has_res |= c->has_res;
	}
	t->align = ds > calign ? ds : calign;
	uint64_t s = align_to(ds, calign) + csize;
	s = align_to(s, t->align);
	t->size = s < SIZE_LIMIT ? (uint32_t)s : SIZE_LIMIT;
	t->nflat = 1 + flat;
	return s < SIZE_LIMIT;
}

static bool layout_record(ctype *t)
{
	uint64_t s = 0;
	uint32_t al = 1, flat = 0;
	for (uint32_t i = 0; i < t->n; i++) {
		const ctype *f = t->f[i].type;
		s = align_to(s, f->align) + f->size;
		if (f->align > al)
			al = f->align;
		flat += f->nflat;
		t->has_borrow |= f->has_borrow;
		t->has_res |= f->has_res;
		if (s >= SIZE_LIMIT)
			break;
	}
	t->align = al;
	s = align_to(s, al);
	t->size = s < SIZE_LIMIT ? (uint32_t)s : SIZE_LIMIT;
	t->nflat = flat;
	return s < SIZE_LIMIT;
}

/* 1 + the depth of the deepest part of t. */
static uint32_t type_depth(const ctype *t)
{
	uint32_t d = 0;
	if (t->elem && t->elem->depth > d)
		d = t->elem->depth;
	if (t->err && t->err->depth > d)
		d = t->err->depth;
	for (uint32_t i = 0; t->f && i < t->n; i++)
		if (t->f[i].type && t->f[i].type->depth > d)
			d = t->f[i].type->depth;
	return d + 1;
}

bool ctype_finish(ctype *t)
{
	t->depth = type_depth(t);
	t->has_borrow = t->kind == WR_C_BORROW;
	t->has_res = t->kind == WR_C_BORROW || t->kind == WR_C_OWN;
	switch (t->kind) {
	case WR_C_RECORD:
	case WR_C_TUPLE:
		return layout_record(t);
	case WR_C_LIST:
		t->has_borrow = t->elem->has_borrow;
		t->has_res = t->elem->has_res;
		if (!t->fixed_len) {
			t->size = 8, t->align = 4, t->nflat = 2;
			return true;
		} else {
			uint64_t s = (uint64_t)t->fixed_len * t->elem->size;
			uint64_t fl = (uint64_t)t->fixed_len * t->elem->nflat;
			t->align = t->elem->align;
			t->size = s < SIZE_LIMIT ? (uint32_t)s : SIZE_LIMIT;
			t->nflat = fl < SIZE_LIMIT ? (uint32_t)fl : SIZE_LIMIT;
			return s < SIZE_LIMIT;
		}
	case WR_C_FLAGS:
		t->size = t->align = t->n <= 8 ? 1 : t->n <= 16 ? 2 : 4;
		t->nflat = 1;
		return true;
	case WR_C_ENUM:
		t->size = t->align = disc_size(t->n);
		t->nflat = 1;
		return true;
	case WR_C_OWN:
	case WR_C_BORROW:
		t->size = t->align = 4;
		t->nflat = 1;
		return true;
	case WR_C_VARIANT:
		return layout_variant(t, t->n);
	case WR_C_OPTION:
	case WR_C_RESULT:
		return layout_variant(t, 2);
	default: {
		const ctype *p = ctype_prim(t->kind);
		t->size = p->size, t->align = p->align, t->nflat = p->nflat;
		return true;
	}
	}
}

static bool opt_equal(const ctype *a, const ctype *b)
{
	return (!a && !b) || (a && b && ctype_equal(a, b));
}

static bool names_equal(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

bool ctype_equal(const ctype *a, const ctype *b)
{
	if (a == b)
		return true;
	if (a->kind != b->kind || a->n != b->n || a->fixed_len != b->fixed_len)
		return false;
	switch (a->kind) {
	case WR_C_OWN:
	case WR_C_BORROW:
		return a->res == b->res;
	case WR_C_LIST:
	case WR_C_OPTION:
		return ctype_equal(a->elem, b->elem);
	case WR_C_RESULT:
		return opt_equal(a->elem, b->elem) && opt_equal(a->err, b->err);
	default:
		for (uint32_t i = 0; i < a->n; i++)
			if (!names_equal(a->f[i].name, b->f[i].name) ||
			    !opt_equal(a->f[i].type, b->f[i].type))
				return false;
		return true;
	}
}
