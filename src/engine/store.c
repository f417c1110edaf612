/*
 * store.c: the objects a store owns, below the API, the instances and the
 * interpreter that all use them: construction of memories, tables and
 * globals, table growth, function-type equality and the trap texts.  It
 * calls only memory.c; api.c, instance.c and interp.c call down to it, so
 * the engine's files form no cycle.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime.h"

static const char *const trap_messages[WR_TRAP__COUNT] = {
	[WR_OK] = "no trap",
	[WR_TRAP_UNREACHABLE] = "unreachable",
	[WR_TRAP_MEMORY_OOB] = "out of bounds memory access",
	[WR_TRAP_TABLE_OOB] = "out of bounds table access",
	[WR_TRAP_INDIRECT_NULL] = "uninitialized element",
	[WR_TRAP_INDIRECT_TYPE] = "indirect call type mismatch",
	[WR_TRAP_DIV_ZERO] = "integer divide by zero",
	[WR_TRAP_INT_OVERFLOW] = "integer overflow",
	[WR_TRAP_INVALID_CONV] = "invalid conversion to integer",
	[WR_TRAP_STACK_EXHAUSTED] = "call stack exhausted",
	[WR_TRAP_HOST] = "host function failed",
	[WR_TRAP_EXIT] = "exit",
	[WR_TRAP_FUEL] = "fuel exhausted",
	[WR_TRAP_LINK] = "link error",
	[WR_TRAP_MEMORY_LIMIT] = "initial memory exceeds the memory limit",
	[WR_TRAP_NULL_REFERENCE] = "null reference",
	[WR_TRAP_EXCEPTION] = "uncaught exception",
	[WR_TRAP_CAST] = "cast failure",
	[WR_TRAP_GC_LIMIT] = "out of GC heap memory",
};

const char *wr_trap_message(wr_trapkind kind)
{
	if ((unsigned)kind >= WR_TRAP__COUNT)
		return "unknown trap";
	return trap_messages[kind];
}

bool store_ref_ok(const wr_store *s, mod_vt t, uint64_t bits)
{
	if (vt_top(t) == HT_ANY) /* GC: an i31 or an object of this store */
		return gc_ref_ok(s, t, bits);
	if (!bits)
		return vt_nullable(t);
	switch (vt_ht(t)) {
	case HT_NOFUNC: case HT_NOEXTERN: return false;
	case VT_HT_IDX: return ((const wr_func *)(uintptr_t)bits)->canon == vt_idx(t);
	default: return true;
	}
}

/* ---- ownership ---- */

/* Hand obj to the store, to be released with fn when the store is freed.
 * On allocation failure obj is released at once and false returned. */
bool store_own(wr_store *s, void *obj, void (*fn)(void *))
{
	store_obj *o = malloc(sizeof(*o));
	if (!o) {
		fn(obj);
		return false;
	}
	o->obj = obj;
	o->free = fn;
	o->next = s->objs;
	s->objs = o;
	return true;
}

/* ---- memories ---- */

static void store_memory_free(void *p)
{
	mem_release(p);
	free(p);
}

/* A provider's resize hook, as the memory calls it. */
static bool store_provider_resize(wr_memory *m, uint64_t bytes, void *user)
{
	const wr_store *s = user;

	return s->provider.resize(s->provider.user, m->fd, bytes);
}

uint64_t store_memory_max(const wr_store *s, const wr_limits *pages)
{
	uint64_t max = pages->addr64 ? MEM64_MAX_DEFAULT / MEM_PAGE : MOD_MAX_PAGES;
	if (s->limit_pages && (pages->addr64 || s->max_pages < max))
		max = s->max_pages;
	if (pages->has_max && pages->max < max)
		max = pages->max;
	return max;
}

wr_memory *store_memory_new(wr_store *s, const wr_limits *pages)
{
	wr_memory *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	uint64_t max = store_memory_max(s, pages);
	int fd = s->provider.open ? s->provider.open(s->provider.user, pages) : -1;

	if (fd == WR_MEMORY_REFUSED) {
		free(m);
		return NULL;
	}
	if (fd >= 0 && s->provider.resize) {
		m->resize = store_provider_resize;
		m->resize_user = s;
	}
	if (!mem_init(m, pages, max, fd)) {
		if (fd >= 0)
			close(fd);
		free(m);
		return NULL;
	}
	return store_own(s, m, store_memory_free) ? m : NULL;
}

/* ---- tables ---- */

static void store_table_free(void *p)
{
	wr_table *t = p;
	free(t->elems);
	free(t);
}

int64_t tab_grow(wr_table *t, uint64_t delta, uint64_t init)
{
	uint32_t old = t->size;
	if (delta > t->max - old)
		return -1;
	uint64_t n = old + delta;
	if (n > t->cap) {
		uint64_t cap = n < 16 ? 16 : n;
		if (cap < (uint64_t)t->cap * 2 && (uint64_t)t->cap * 2 <= t->max)
			cap = (uint64_t)t->cap * 2;
		uint64_t *e = realloc(t->elems, cap * sizeof(*e));
		if (!e)
			return -1;
		t->elems = e;
		t->cap = (uint32_t)cap;
	}
	for (uint64_t i = old; i < n; i++)
		t->elems[i] = init;
	t->size = (uint32_t)n;
	return old;
}

wr_table *store_table_new(wr_store *s, const wr_tabletype *type, uint64_t init)
{
	wr_table *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->type = *type;
	t->vt = type->elem;
	t->store = s;
	t->max = type->limits.has_max && type->limits.max < MOD_MAX_TABLE ? type->limits.max
	                                                                   : MOD_MAX_TABLE;
	if (type->limits.min > t->max || tab_grow(t, type->limits.min, init) < 0) {
		store_table_free(t);
		return NULL;
	}
	if (!store_own(s, t, store_table_free))
		return NULL;
	return gc_track_table(s, t) ? t : NULL;
}

/* ---- globals ---- */

wr_global *store_global_new(wr_store *s, uint8_t type, bool mut, const uint64_t val[2])
{
	wr_global *g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->type = type;
	g->vt = type;
	g->store = s;
	g->mut = mut;
	g->val[0] = val[0];
	g->val[1] = val[1];
	if (!store_own(s, g, free))
		return NULL;
	return gc_track_global(s, g) ? g : NULL;
}

/* ---- tags ---- */

wr_tag *store_tag_new(wr_store *s, const mod_functype *type)
{
	wr_tag *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->type = type;
	t->store = s;
	return store_own(s, t, free) ? t : NULL;
}

/* Convert a typed value to its slot representation (two slots for v128). */
