/*
 * exn.c: the exceptions of a store (Wasm 3.0 exception handling), named
 * by checked handles, and their collector. runtime.h says what keeps an
 * exception alive; the interpreter (interp.c) does the throwing and
 * catching, and calls down to this file only.
 *
 * Why a collector: an exnref can be copied anywhere a reference goes
 * (locals, operand slots, globals, tables, other exceptions' payloads), so
 * no single place knows when the last copy dies. The common path needs
 * none of it: `throw` followed by a `catch` or `catch_all` that keeps no
 * reference frees the exception at once (exn_drop), so a loop that throws
 * and catches runs in constant memory without collecting. Only exceptions
 * whose handle reached wasm code or the embedder wait for a collection,
 * which runs when the live count reaches a limit that doubles with what
 * survives (amortised cost per exception: a constant times the stack
 * scanned).
 */
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

#define EXN_MIN_LIMIT 1024u
#define EXN_MAX 0x7fffffffu /* entries a table may hold */

struct exn_table {
	exn *v;
	uint32_t n, cap;     /* entries in use (live or free), allocated */
	uint32_t *free;      /* indices of free entries */
	uint32_t nfree;
	uint32_t *work;      /* the collector's mark stack (cap entries) */
	uint32_t live, limit;
};

static uint64_t exn_handle(const struct exn_table *t, uint32_t i)
{
	return (uint64_t)t->v[i].gen << 32 | (uint64_t)(i + 1);
}

exn *exn_get(const wr_store *s, uint64_t h)
{
	const struct exn_table *t = s->exns;
	uint32_t i = (uint32_t)h - 1;
	if (!t || (uint32_t)h == 0 || i >= t->n)
		return NULL;
	exn *e = &t->v[i];
	return e->live && e->gen == (uint32_t)(h >> 32) ? e : NULL;
}

/* Give the entry back to the free list. */
static void exn_release(struct exn_table *t, uint32_t i)
{
	exn *e = &t->v[i];
	free(e->heap);
	e->heap = NULL;
	e->live = false;
	if (++e->gen == 0) /* never 0: see exn_new */
		e->gen = 1;
	t->free[t->nfree++] = i;
	t->live--;
}

void exn_drop(wr_store *s, uint64_t h)
{
	exn *e = exn_get(s, h);
	if (e && !e->exposed && !e->pinned)
		exn_release(s->exns, (uint32_t)h - 1);
}

void exn_pin(wr_store *s, uint64_t h)
{
	exn *e = exn_get(s, h);
	if (e)
		e->pinned = e->exposed = true;
}

/* ---- the collector ---- */

/* Mark the exception h names, if it is one, for its payload to be scanned. */
static void exn_mark(struct exn_table *t, uint64_t h, uint32_t *nwork)
{
	uint32_t i = (uint32_t)h - 1;
	if ((uint32_t)h == 0 || i >= t->n)
		return;
	exn *e = &t->v[i];
	if (e->live && !e->mark && e->gen == (uint32_t)(h >> 32)) {
		e->mark = true;
		t->work[(*nwork)++] = i;
	}
}

static void exn_mark_range(struct exn_table *t, const uint64_t *p, const uint64_t *end,
                           uint32_t *nwork)
{
	for (; p < end; p++)
		exn_mark(t, *p, nwork);
}

/* Roots held by the store's instances: exnref globals and tables. */
static void exn_mark_instances(wr_store *s, uint32_t *nwork)
{
	for (const wr_instance *inst = s->instances; inst; inst = inst->next) {
		const wr_module *m = inst->mod;
		for (uint32_t i = 0; inst->globals && i < m->nglobals; i++) {
			const wr_global *g = inst->globals[i];
			if (g && (g->type == WR_EXNREF || g->type == WR_NULLEXNREF))
				exn_mark(s->exns, g->val[0], nwork);
		}
		for (uint32_t i = 0; inst->tables && i < m->ntables; i++) {
			const wr_table *tb = inst->tables[i];
			if (tb && tb->type.elem == WR_EXNREF)
				exn_mark_range(s->exns, tb->elems, tb->elems + tb->size, nwork);
		}
	}
}

struct exn_marking {
	struct exn_table *t;
	uint32_t *nwork;
};

/* The slots of a GC object (s->gc_slots): any may be an exnref field. */
static void exn_mark_object(void *u, const uint64_t *p, size_t n)
{
	struct exn_marking *m = u;
	exn_mark_range(m->t, p, p + n, m->nwork);
}

/* Mark from every root, then free what is unmarked. Every payload slot is
 * scanned, whatever its type: a number equal to a live handle only keeps
 * that exception a little longer. The same for every slot of every GC
 * object, live or not yet collected (exnref fields). */
static void exn_collect(wr_store *s, const uint64_t *lo, const uint64_t *hi)
{
	struct exn_table *t = s->exns;
	uint32_t nwork = 0;
	for (uint32_t i = 0; i < t->n; i++) {
		t->v[i].mark = false;
		if (t->v[i].live && t->v[i].pinned) {
			t->v[i].mark = true;
			t->work[nwork++] = i;
		}
	}
	exn_mark(t, s->exn_pending, &nwork);
	if (lo)
		exn_mark_range(t, lo, hi, &nwork);
	exn_mark_instances(s, &nwork);
	struct exn_marking m = { t, &nwork };
	if (s->gc_slots)
		s->gc_slots(s, exn_mark_object, &m);
	while (nwork) {
		exn *e = &t->v[t->work[--nwork]];
		const uint64_t *p = exn_payload(e);
		exn_mark_range(t, p, p + e->tag->type->param_slots, &nwork);
	}
	for (uint32_t i = 0; i < t->n; i++)
		if (t->v[i].live && !t->v[i].mark)
			exn_release(t, i);
	t->limit = t->live * 2 > EXN_MIN_LIMIT ? t->live * 2 : EXN_MIN_LIMIT;
}

/* ---- allocation ---- */

/* Make room for one more entry; false if out of memory. */
static bool exn_grow(struct exn_table *t)
{
	if (t->nfree || t->n < t->cap)
		return true;
	uint32_t cap = t->cap ? t->cap * 2 : 64;
	if (t->cap >= EXN_MAX / 2)
		return false;
	exn *v = realloc(t->v, cap * sizeof(*v));
	if (v)
		t->v = v;
	uint32_t *f = realloc(t->free, cap * sizeof(*f));
	if (f)
		t->free = f;
	uint32_t *w = realloc(t->work, cap * sizeof(*w));
	if (w)
		t->work = w;
	if (!v || !f || !w)
		return false;
	t->cap = cap;
	return true;
}

static struct exn_table *exn_table_get(wr_store *s)
{
	if (!s->exns && (s->exns = calloc(1, sizeof(*s->exns))))
		s->exns->limit = EXN_MIN_LIMIT;
	return s->exns;
}

uint64_t exn_new(wr_store *s, wr_tag *tag, const uint64_t *payload, const uint64_t *lo,
                 const uint64_t *hi)
{
	struct exn_table *t = exn_table_get(s);
	if (!t)
		return 0;
	if (t->live >= t->limit)
		exn_collect(s, lo, hi);
	if (!exn_grow(t))
		return 0;
	uint32_t n = tag->type->param_slots, i = t->nfree ? t->free[t->nfree - 1] : t->n;
	exn *e = &t->v[i];
	if (i == t->n) {
		/* generation 0 is never used, so a handle's high half is never
		 * 0 and no small number in a slot passes for one */
		memset(e, 0, sizeof(*e));
		e->gen = 1;
	}
	e->heap = n > 2 ? malloc(n * sizeof(uint64_t)) : NULL;
	if (n > 2 && !e->heap)
		return 0;
	if (n)
		memcpy(exn_payload(e), payload, n * sizeof(uint64_t));
	if (t->nfree)
		t->nfree--;
	else
		t->n++;
	e->tag = tag;
	e->live = true;
	e->exposed = e->pinned = e->mark = false;
	t->live++;
	return exn_handle(t, i);
}

void exn_free_all(wr_store *s)
{
	struct exn_table *t = s->exns;
	if (!t)
		return;
	for (uint32_t i = 0; i < t->n; i++)
		free(t->v[i].heap);
	free(t->v);
	free(t->free);
	free(t->work);
	free(t);
	s->exns = NULL;
}

void exn_payloads(wr_store *s, void (*fn)(void *u, const uint64_t *p, size_t n), void *u)
{
	struct exn_table *t = s->exns;
	for (uint32_t i = 0; t && i < t->n; i++)
		if (t->v[i].live)
			fn(u, exn_payload(&t->v[i]), t->v[i].tag->type->param_slots);
}
