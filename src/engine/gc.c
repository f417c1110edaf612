/*
 * gc.c: references of the any hierarchy (Wasm 3.0 GC), their heap and its
 * collector, and the run-time type test behind ref.test, ref.cast and
 * br_on_cast.
 *
 * An anyref slot holds 0 (null), an i31 as (value << 1) | 1, or the address
 * of a gc_obj (8-aligned, so its low bit is 0). A gc_obj's header names its
 * type: a struct or array type's canonical index in the store, or
 * GC_HOSTBOX, a host externref made an anyref by any.convert_extern.
 * extern.convert_any makes an i31 or object an externref by wrapping it in
 * a GC_ANYBOX. The store records every object's address (gc_heap.boxes),
 * so any.convert_extern can tell a box from a host's externref, whose bits
 * are the host's to choose, and an anyref the embedder passes in is
 * checked to be an object of the store (gc_ref_ok). Converting back
 * unwraps either box.
 *
 * The collector is a non-moving mark-sweep. Non-moving because an object's
 * address is its identity everywhere: in the address set, in frame slots
 * (below), and in the hands of the embedder. Objects are malloc'd one by one and kept on one list; the
 * low two bits of a header's list link (8-aligned) are the mark and the
 * pin.
 *
 * Roots:
 *  - the frames of the store's calls in progress, nested ones (through
 *    host functions calling back) included: PRECISE. The compiler gives
 *    every GC point of a function (an instruction that allocates, a call:
 *    vm.h, struct vm_gcmap) a stack map: its locals of a traced kind and
 *    the operand-stack entries of a traced kind in their home slots.
 *    interp.c's vm_stack_roots walks the frames (each stands at a call
 *    but the innermost, at the allocation or host call running) and
 *    gives only the slots the maps name, so a dead slot or a number in a
 *    slot keeps nothing alive. Locals are all live (no liveness analysis):
 *    a reference left in a local keeps its object until overwritten.
 *    Still scanned whole: the slots of a host function's arguments and
 *    results while it runs (it may hold references there; they are its
 *    own, typed by its signature, but scanning them whole needs no type),
 *    and, as a safety net, a frame whose point has no map (a point the
 *    compiler missed: counted in the stats as conservative_frames, which
 *    the tests require to be 0). Every candidate counts only if it is
 *    exactly the address of an object of the heap (the address set says
 *    so, so nothing else is ever followed): a map's slot may hold a
 *    host's externref bits, and a local not yet written may hold what an
 *    earlier frame left (an object's address at worst, kept alive);
 *  - the store's globals and tables whose kind can hold an object
 *    (anyref, externref: registered by store.c as they are made), the
 *    element segments of its instances, and the payloads of its live
 *    exceptions (exn_payloads); these are scanned slot by slot through the
 *    same address-set filter;
 *  - pinned objects (h->pinned): those handed to the embedder by wr_call's
 *    results and wr_anyref_from_extern (kept for the store's lifetime, as
 *    exceptions are).
 * Tracing is PRECISE: each canonical type's layout (gc_layout, made from
 * the module type at the first allocation of the type) lists the slots
 * that hold references of the any or extern hierarchy; only those are
 * followed (still through the address set: an externref field may hold a
 * host's bits). The mark stack holds at most one entry per object, so it
 * is allocated to the object count before marking starts: a collection
 * that cannot get it frees nothing. Cycles end because an object is marked
 * before it is pushed and never pushed twice.
 *
 * When: an allocation that may collect (one made by a GC instruction or
 * by the embedder, not during instantiation: s->gc_hold) collects once the
 * bytes allocated since the last collection reach the threshold, which is
 * twice the live bytes the last collection left, at least GC_FLOOR (so
 * marking costs at most about half an object's tracing per object
 * allocated); and, before it fails for the limit or for malloc, it
 * collects and retries once.
 *
 * Limit: the heap's bytes (payload, header and 16 bytes for its entry in
 * the address set) may not exceed what the store's memory limit
 * (--max-memory) leaves after the current size of its instances' own
 * linear memories, nor GC_MAX_BYTES. The linear memories' sizes are read
 * when the limit is refreshed (at every collection, and before an
 * allocation that cannot collect fails). A failed allocation traps with
 * WR_TRAP_GC_LIMIT. Under the sandbox all of this is the jailed child's
 * malloc memory: no object or reference ever goes to the broker.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "runtime.h"
#include "vm.h"

#define GC_MAX_BYTES (256ull << 20)
/* The least the heap may grow between two collections. */
#ifndef GC_FLOOR
#define GC_FLOOR (4ull << 20)
#endif
/* Test builds (-DGC_EVERY): every allocation that may collect does. */
#ifdef GC_EVERY
#define GC_GROWS(live) 0
#else
#define GC_GROWS(live) (2 * (live) > GC_FLOOR ? 2 * (live) : GC_FLOOR)
#endif
#define GC_MARK 1u
#define GC_PIN 2u
#define GC_MAX_PAUSES (1u << 20) /* pause times kept for the median */

_Static_assert(_Alignof(max_align_t) >= 4, "a header's link has two low bits free");

/* What of a canonical type's object the collector follows. */
enum { GL_UNKNOWN, GL_STRUCT, GL_ARRAY };
struct gc_layout {
	uint8_t kind;
	bool ref_elems;   /* GL_ARRAY: its elements are references */
	uint32_t slots;   /* GL_STRUCT: its slots; GL_ARRAY: an element's */
	uint32_t nrefs;   /* GL_STRUCT: the slots holding references */
	uint32_t *refs;
};

struct gc_heap {
	gc_obj *objs;
	uint64_t bytes;      /* all objects' bytes, as counted against the limit */
	uint64_t since;      /* bytes allocated since the last collection */
	uint64_t threshold;  /* collect when since reaches it */
	uint64_t limit;      /* the most bytes may be (gc_limit, refreshed) */
	uint64_t *boxes;     /* open addressing: every object's address, 0 empty */
	size_t nboxes, boxcap;
	struct gc_layout *layouts; /* by canonical type index */
	size_t nlayouts;
	gc_obj **work;       /* the mark stack */
	size_t workcap;
	wr_global **globals; /* roots: registered globals and tables */
	size_t nglobals, globcap;
	wr_table **tables;
	size_t ntables, tabcap;
	gc_obj **pinned;     /* roots: the pinned objects (GC_PIN) */
	size_t npinned, pincap;
	bool pin_lost;       /* one could not be listed: find them on the list */
	wr_gc_stats stats;
	uint32_t *pauses;    /* microseconds, the first GC_MAX_PAUSES collections */
	size_t npauses, pausecap;
};

static size_t gc_box_slot(uint64_t a, size_t cap)
{
	return (size_t)((a >> 3) * 0x9e3779b97f4a7c15ull >> 7) & (cap - 1);
}

static bool gc_box_add(struct gc_heap *h, uint64_t a);
static uint64_t gc_limit(const wr_store *s);
static bool gc_is_box(const struct gc_heap *h, uint64_t a);

static struct gc_heap *gc_heap_of(wr_store *s)
{
	if (!s->gc && (s->gc = calloc(1, sizeof(*s->gc)))) {
		s->gc->threshold = GC_GROWS(0);
		s->gc->limit = gc_limit(s);
		s->gc_slots = gc_slots;
	}
	return s->gc;
}

static gc_obj *gc_link(const gc_obj *o) { return (gc_obj *)((uintptr_t)o->next & ~(uintptr_t)3); }
static uintptr_t gc_bits(const gc_obj *o) { return (uintptr_t)o->next & 3; }
static void gc_set_bits(gc_obj *o, uintptr_t b)
{
	o->next = (gc_obj *)(((uintptr_t)o->next & ~(uintptr_t)3) | b);
}

void gc_free_all(wr_store *s)
{
	struct gc_heap *h = s->gc;

	if (!h)
		return;
	for (gc_obj *o = h->objs, *n; o; o = n) {
		n = gc_link(o);
		free(o);
	}
	for (size_t i = 0; i < h->nlayouts; i++)
		free(h->layouts[i].refs);
	free(h->layouts);
	free(h->boxes);
	free(h->work);
	free(h->globals);
	free(h->tables);
	free(h->pinned);
	free(h->pauses);
	free(h);
	s->gc = NULL;
}

/* ---- roots the store registers ---- */

/* Can a slot of kind k hold an object? anyref and externref (a box). */
static bool gc_kind_traced(uint8_t k) { return k == WR_ANYREF || k == WR_EXTERNREF; }

static bool gc_push_ptr(void ***v, size_t *n, size_t *cap, void *p)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		void **q = realloc(*v, c * sizeof(*q));
		if (!q)
			return false;
		*v = q;
		*cap = c;
	}
	(*v)[(*n)++] = p;
	return true;
}

bool gc_track_global(wr_store *s, wr_global *g)
{
	struct gc_heap *h;
	if (!gc_kind_traced(g->type))
		return true;
	return (h = gc_heap_of(s)) && gc_push_ptr((void ***)&h->globals, &h->nglobals, &h->globcap, g);
}

bool gc_track_table(wr_store *s, wr_table *t)
{
	struct gc_heap *h;
	if (!gc_kind_traced(t->type.elem))
		return true;
	return (h = gc_heap_of(s)) && gc_push_ptr((void ***)&h->tables, &h->ntables, &h->tabcap, t);
}

/* ---- layouts ---- */

/* Record what the objects of canonical type c (module type t) hold:
 * false if out of memory. */
static bool gc_layout_of(struct gc_heap *h, uint32_t c, const mod_functype *t)
{
	if (c >= h->nlayouts) {
		size_t n = h->nlayouts ? h->nlayouts : 16;
		while (n <= c)
			n *= 2;
		struct gc_layout *q = realloc(h->layouts, n * sizeof(*q));
		if (!q)
			return false;
		memset(q + h->nlayouts, 0, (n - h->nlayouts) * sizeof(*q));
		h->layouts = q;
		h->nlayouts = n;
	}
	struct gc_layout *l = &h->layouts[c];
	if (l->kind != GL_UNKNOWN)
		return true;
	if (t->form == FORM_ARRAY) {
		l->ref_elems = gc_kind_traced(t->types[0]);
		l->slots = mod_slots(t->types[0]);
		l->kind = GL_ARRAY;
		return true;
	}
	uint32_t n = 0, k = 0;
	for (uint32_t i = 0; i < t->nparams; i++)
		n += gc_kind_traced(t->types[i]);
	if (n && !(l->refs = malloc(n * sizeof(*l->refs))))
		return false;
	for (uint32_t i = 0; i < t->nparams; k += mod_slots(t->types[i]), i++)
		if (gc_kind_traced(t->types[i]))
			l->refs[l->nrefs++] = k;
	l->slots = k;
	l->kind = GL_STRUCT;
	return true;
}

/* ---- the collector ---- */

/* Remove address a (present) from the set: linear probing's deletion,
 * moving back each later entry of the run whose home is not between the
 * hole and it. */
static void gc_box_del(struct gc_heap *h, uint64_t a)
{
	size_t mask = h->boxcap - 1, i = gc_box_slot(a, h->boxcap), j;
	while (h->boxes[i] != a)
		i = (i + 1) & mask;
	h->boxes[i] = 0;
	for (j = i;;) {
		j = (j + 1) & mask;
		if (!h->boxes[j])
			break;
		size_t k = gc_box_slot(h->boxes[j], h->boxcap);
		bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
		if (!stays) {
			h->boxes[i] = h->boxes[j];
			h->boxes[j] = 0;
			i = j;
		}
	}
	h->nboxes--;
}

/* Mark v if it is an unmarked object of the heap. */
static void gc_mark(struct gc_heap *h, uint64_t v, size_t *nwork)
{
	gc_obj *o = (gc_obj *)(uintptr_t)v;
	if (!v || (v & 7) || !gc_is_box(h, v) || (gc_bits(o) & GC_MARK))
		return;
	gc_set_bits(o, gc_bits(o) | GC_MARK);
	h->work[(*nwork)++] = o;
}

static void gc_mark_range(struct gc_heap *h, const uint64_t *p, size_t n, size_t *nwork)
{
	for (size_t i = 0; i < n; i++)
		gc_mark(h, p[i], nwork);
}

static void gc_mark_payload(void *u, const uint64_t *p, size_t n)
{
	struct { struct gc_heap *h; size_t *nwork; } *c = u;
	gc_mark_range(c->h, p, n, c->nwork);
}

/* The bytes object o counts for: header, payload, its address's entry. */
static uint64_t gc_size(const struct gc_heap *h, const gc_obj *o)
{
	uint64_t n = 1;
	if (o->type != GC_ANYBOX && o->type != GC_HOSTBOX) {
		const struct gc_layout *l = &h->layouts[o->type];
		n = l->kind == GL_ARRAY ? (uint64_t)o->len * l->slots : l->slots;
	}
	return sizeof(gc_obj) + n * 8 + 16;
}

/* Follow what object o holds. */
static void gc_trace(struct gc_heap *h, const gc_obj *o, size_t *nwork)
{
	if (o->type == GC_ANYBOX) {
		gc_mark(h, o->val[0], nwork);
		return;
	}
	if (o->type == GC_HOSTBOX || o->type >= h->nlayouts)
		return;
	const struct gc_layout *l = &h->layouts[o->type];
	if (l->kind == GL_ARRAY && l->ref_elems)
		gc_mark_range(h, o->val, o->len, nwork);
	else if (l->kind == GL_STRUCT)
		for (uint32_t i = 0; i < l->nrefs; i++)
			gc_mark(h, o->val[l->refs[i]], nwork);
}

/* The most bytes the heap may take now (see the top). */
static uint64_t gc_limit(const wr_store *s)
{
	if (!s->limit_pages)
		return GC_MAX_BYTES;
	uint64_t lim = s->max_pages * MEM_PAGE, used = 0;
	for (const wr_instance *inst = s->instances; inst; inst = inst->next)
		for (uint32_t i = inst->mod->nmem_imports; inst->mems && i < inst->mod->nmems; i++)
			if (inst->mems[i])
				used += inst->mems[i]->size;
	lim = used < lim ? lim - used : 0;
	return lim < GC_MAX_BYTES ? lim : GC_MAX_BYTES;
}

static uint64_t gc_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void gc_note_pause(struct gc_heap *h, uint64_t ns)
{
	h->stats.collections++;
	h->stats.pause_total_ns += ns;
	if (ns > h->stats.pause_max_ns)
		h->stats.pause_max_ns = ns;
	if (h->npauses == h->pausecap && h->pausecap < GC_MAX_PAUSES) {
		size_t c = h->pausecap ? h->pausecap * 2 : 256;
		uint32_t *q = realloc(h->pauses, c * sizeof(*q));
		if (q) {
			h->pauses = q;
			h->pausecap = c;
		}
	}
	if (h->npauses < h->pausecap)
		h->pauses[h->npauses++] = ns / 1000 > UINT32_MAX ? UINT32_MAX : (uint32_t)(ns / 1000);
}

void gc_collect(wr_store *s)
{
	struct gc_heap *h = s->gc;
	size_t nwork = 0;

	if (!h)
		return;
	uint64_t t0 = gc_now_ns();
	if (h->workcap < h->nboxes) {
		gc_obj **w = malloc(h->nboxes * sizeof(*w));
		if (!w)
			return; /* nothing is freed without a whole mark */
		free(h->work);
		h->work = w;
		h->workcap = h->nboxes;
	}
	for (size_t i = 0; i < h->npinned; i++)
		gc_mark(h, (uint64_t)(uintptr_t)h->pinned[i], &nwork);
	for (gc_obj *o = h->pin_lost ? h->objs : NULL; o; o = gc_link(o))
		if ((gc_bits(o) & (GC_PIN | GC_MARK)) == GC_PIN) {
			gc_set_bits(o, GC_PIN | GC_MARK);
			h->work[nwork++] = o;
		}
	struct { struct gc_heap *h; size_t *nwork; } cb = { h, &nwork };
	if (s->stack_roots)
		h->stats.conservative_frames += s->stack_roots(s, gc_mark_payload, &cb);
	for (size_t i = 0; i < h->nglobals; i++)
		gc_mark(h, h->globals[i]->val[0], &nwork);
	for (size_t i = 0; i < h->ntables; i++)
		gc_mark_range(h, h->tables[i]->elems, h->tables[i]->size, &nwork);
	for (const wr_instance *inst = s->instances; inst; inst = inst->next)
		for (uint32_t i = 0; inst->elem_refs && inst->elem_len && i < inst->mod->nelems; i++)
			if (inst->elem_refs[i])
				gc_mark_range(h, inst->elem_refs[i], inst->elem_len[i], &nwork);
	exn_payloads(s, gc_mark_payload, &cb);
	while (nwork)
		gc_trace(h, h->work[--nwork], &nwork);
	/* sweep */
	gc_obj **link = &h->objs;
	for (gc_obj *o = h->objs, *n; o; o = n) {
		n = gc_link(o);
		if (gc_bits(o) & GC_MARK) {
			gc_set_bits(o, gc_bits(o) & ~(uintptr_t)GC_MARK);
			link = &o->next;
			continue;
		}
		*link = (gc_obj *)(((uintptr_t)n) | ((uintptr_t)*link & 3));
		gc_box_del(h, (uint64_t)(uintptr_t)o);
		h->bytes -= gc_size(h, o);
		h->stats.freed_objects++;
		free(o);
	}
	h->since = 0;
	h->threshold = GC_GROWS(h->bytes);
	h->limit = gc_limit(s);
	gc_note_pause(h, gc_now_ns() - t0);
}

/* ---- allocation ---- */

/* A new object of payload bytes (zeroed), of canonical type `type` whose
 * module type is t (NULL for a box); NULL when the heap is full or memory
 * runs out. */
static gc_obj *gc_make(wr_store *s, uint32_t type, const mod_functype *t, uint32_t len,
                       size_t payload)
{
	struct gc_heap *h = gc_heap_of(s);
	bool may = !s->gc_hold, collected = false;
	gc_obj *o = NULL;

	if (!h || payload > GC_MAX_BYTES || (t && !gc_layout_of(h, type, t)))
		return NULL;
	uint64_t size = sizeof(gc_obj) + payload + 16;
	gc_obj shape = { .type = type, .len = len };
	if (gc_size(h, &shape) != size) /* what the sweep will give back */
		return NULL;
	if (may && (h->since + size > h->threshold || h->bytes + size > h->limit)) {
		gc_collect(s);
		collected = true;
	} else if (h->bytes + size > h->limit) {
		h->limit = gc_limit(s);
	}
	/* at most one collection before failing (none when !may) */
	for (;;) {
		if (h->bytes + size <= h->limit && (o = calloc(1, sizeof(gc_obj) + payload))) {
			if (gc_box_add(h, (uint64_t)(uintptr_t)o))
				break;
			free(o);
			o = NULL;
		}
		if (collected || !may)
			return NULL;
		gc_collect(s);
		collected = true;
	}
	o->type = type;
	o->len = len;
	o->next = h->objs;
	h->objs = o;
	h->bytes += size;
	h->since += size;
	if (h->bytes > h->stats.heap_peak)
		h->stats.heap_peak = h->bytes;
	h->stats.allocated_objects++;
	return o;
}

gc_obj *gc_alloc(const wr_instance *inst, uint32_t x, uint32_t len, size_t payload)
{
	return gc_make(inst->store, inst->type_ids[x], &inst->mod->types[x], len, payload);
}

void gc_slots(wr_store *s, void (*fn)(void *u, const uint64_t *p, size_t n), void *u)
{
	const struct gc_heap *h = s->gc;
	for (const gc_obj *o = h ? h->objs : NULL; o; o = gc_link(o))
		fn(u, o->val, (gc_size(h, o) - sizeof(gc_obj) - 16) / 8);
}

void gc_pin(wr_store *s, uint64_t v)
{
	struct gc_heap *h = s->gc;
	if (v && !(v & 7) && gc_is_box(h, v) && !(gc_bits((gc_obj *)(uintptr_t)v) & GC_PIN)) {
		gc_obj *o = (gc_obj *)(uintptr_t)v;
		gc_set_bits(o, gc_bits(o) | GC_PIN);
		if (!gc_push_ptr((void ***)&h->pinned, &h->npinned, &h->pincap, o))
			h->pin_lost = true;
	}
}

static int gc_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

void gc_stats(const wr_store *s, wr_gc_stats *out)
{
	const struct gc_heap *h = s->gc;
	memset(out, 0, sizeof(*out));
	if (!h)
		return;
	*out = h->stats;
	out->heap_bytes = h->bytes;
	if (h->npauses) {
		uint32_t *v = malloc(h->npauses * sizeof(*v));
		if (v) {
			memcpy(v, h->pauses, h->npauses * sizeof(*v));
			/* the median by selection would do; the sort is simpler */
			qsort(v, h->npauses, sizeof(*v), gc_cmp_u32);
			out->pause_median_ns = (uint64_t)v[h->npauses / 2] * 1000;
			free(v);
		}
	}
}

static bool gc_box_add(struct gc_heap *h, uint64_t a)
{
	if (2 * (h->nboxes + 1) > h->boxcap) {
		size_t cap = h->boxcap ? h->boxcap * 2 : 64;
		uint64_t *q = calloc(cap, sizeof(*q));
		if (!q)
			return false;
		for (size_t i = 0; i < h->boxcap; i++) {
			if (!h->boxes[i])
				continue;
			size_t k = gc_box_slot(h->boxes[i], cap);
			while (q[k])
				k = (k + 1) & (cap - 1);
			q[k] = h->boxes[i];
		}
		free(h->boxes);
		h->boxes = q;
		h->boxcap = cap;
	}
	size_t k = gc_box_slot(a, h->boxcap);
	while (h->boxes[k])
		k = (k + 1) & (h->boxcap - 1);
	h->boxes[k] = a;
	h->nboxes++;
	return true;
}

static bool gc_is_box(const struct gc_heap *h, uint64_t a)
{
	if (!h || !h->boxcap)
		return false;
	for (size_t k = gc_box_slot(a, h->boxcap); h->boxes[k]; k = (k + 1) & (h->boxcap - 1))
		if (h->boxes[k] == a)
			return true;
	return false;
}

bool gc_extern_to_any(wr_store *s, uint64_t e, uint64_t *out)
{
	gc_obj *o;

	if (!e) {
		*out = 0;
		return true;
	}
	if (gc_is_box(s->gc, e) && ((const gc_obj *)(uintptr_t)e)->type == GC_ANYBOX) {
		*out = ((const gc_obj *)(uintptr_t)e)->val[0];
		return true;
	}
	if (!(o = gc_make(s, GC_HOSTBOX, NULL, 1, sizeof(uint64_t))))
		return false;
	o->val[0] = e;
	*out = (uint64_t)(uintptr_t)o;
	return true;
}

bool gc_any_to_extern(wr_store *s, uint64_t a, uint64_t *out)
{
	gc_obj *o;

	if (!a) {
		*out = 0;
		return true;
	}
	if (!(a & 1) && ((const gc_obj *)(uintptr_t)a)->type == GC_HOSTBOX) {
		*out = ((const gc_obj *)(uintptr_t)a)->val[0];
		return true;
	}
	if (!(o = gc_make(s, GC_ANYBOX, NULL, 1, sizeof(uint64_t))))
		return false;
	o->val[0] = a;
	*out = (uint64_t)(uintptr_t)o;
	return true;
}

/* Is non-null anyref v of abstract heap type ht? */
static bool gc_test_any(const wr_store *s, uint64_t v, uint8_t ht)
{
	const gc_obj *o = (const gc_obj *)(uintptr_t)v;
	uint8_t form;

	if (ht == HT_ANY)
		return true;
	if (v & 1)
		return ht == HT_EQ || ht == HT_I31;
	if (o->type == GC_HOSTBOX || ht == HT_I31 || ht == HT_NONE)
		return false;
	form = ty_form_of(s->types, o->type);
	return ht == HT_EQ || (ht == HT_STRUCT && form == FORM_STRUCT) ||
	       (ht == HT_ARRAY && form == FORM_ARRAY);
}

bool gc_ref_ok(const wr_store *s, mod_vt t, uint64_t v)
{
	const gc_obj *o = (const gc_obj *)(uintptr_t)v;

	if (!v)
		return vt_nullable(t);
	if (!(v & 1) && (!gc_is_box(s->gc, v) || o->type == GC_ANYBOX))
		return false;
	if (vt_ht(t) == VT_HT_SIDX || vt_ht(t) == VT_HT_AIDX)
		return !(v & 1) && o->type != GC_HOSTBOX && ty_canon_sub(s->types, o->type, vt_idx(t));
	return gc_test_any(s, v, vt_ht(t));
}

bool gc_ref_test(const wr_instance *inst, uint64_t v, mod_vt t)
{
	const wr_store *s = inst->store;
	uint8_t ht = vt_ht(t);

	if (!v)
		return vt_nullable(t);
	switch (ht) {
	case HT_NOFUNC: case HT_NOEXTERN: case HT_NOEXN: case HT_NONE: return false;
	case HT_FUNC: case HT_EXTERN: case HT_EXN: return true;
	case VT_HT_IDX:
		return ty_canon_sub(s->types, ((const wr_func *)(uintptr_t)v)->canon,
		                    inst->type_ids[vt_idx(t)]);
	case VT_HT_SIDX: case VT_HT_AIDX: {
		const gc_obj *o = (const gc_obj *)(uintptr_t)v;
		if ((v & 1) || o->type == GC_HOSTBOX)
			return false;
		return ty_canon_sub(s->types, o->type, inst->type_ids[vt_idx(t)]);
	}
	default:
		return gc_test_any(s, v, ht);
	}
}

/* ---- structs and arrays (the instructions' layouts: vm_ops.h) ---- */

#define LO(k) ip[k].u32[0]
#define HI(k) ip[k].u32[1]

/* The object a non-null reference names. */
static gc_obj *gc_ref(uint64_t v) { return (gc_obj *)(uintptr_t)v; }

/* A new object of type x (a module type of inst), n 8-byte slots. */
static gc_obj *gc_new(wr_instance *inst, uint32_t x, uint32_t len, uint64_t n)
{
	if (n > GC_MAX_BYTES / 8)
		return NULL;
	return gc_alloc(inst, x, len, (size_t)n * 8);
}

/* Is [i, i + n) outside [0, len)? */
static bool gc_out(uint64_t i, uint64_t n, uint64_t len)
{
	return i > len || n > len - i;
}

/* A packed or full field's value as read: ext 1-4 i8/i16 signed/unsigned. */
static uint64_t gc_extend(uint64_t v, uint32_t ext)
{
	switch (ext) {
	case 1: return (uint32_t)(int32_t)(int8_t)v;
	case 2: return (uint8_t)v;
	case 3: return (uint32_t)(int32_t)(int16_t)v;
	case 4: return (uint16_t)v;
	default: return v;
	}
}

/* struct.new [d|f][t|k], struct.new_default [d|-][t|k] */
int gc_struct_new(wr_instance *inst, const vm_cell *ip, vm_slot *fp, bool dflt)
{
	gc_obj *o = gc_new(inst, LO(2), 0, HI(2));
	if (!o)
		return GC_E_OOM;
	if (!dflt)
		memcpy(o->val, &fp[HI(1)], (size_t)HI(2) * 8);
	fp[LO(1)].u64 = (uint64_t)(uintptr_t)o;
	return 0;
}

/* struct.get [d|a][off|ext] (ext 5: a v128, two slots) */
int gc_struct_get(wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	uint64_t r = fp[HI(1)].u64;
	if (!r)
		return GC_E_NULL_STRUCT;
	const gc_obj *o = gc_ref(r);
	if (HI(2) == 5)
		memcpy(&fp[LO(1)], &o->val[LO(2)], 16);
	else
		fp[LO(1)].u64 = gc_extend(o->val[LO(2)], HI(2));
	return 0;
}

/* struct.set [a|v][off|w] */
int gc_struct_set(wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	uint64_t r = fp[LO(1)].u64;
	if (!r)
		return GC_E_NULL_STRUCT;
	memcpy(&gc_ref(r)->val[LO(2)], &fp[HI(1)], HI(2) ? 16 : 8);
	return 0;
}

/* Fill n elements of w slots from i with the value at src. */
static void gc_fill(gc_obj *o, uint64_t i, uint64_t n, uint32_t w, const vm_slot *src)
{
	for (uint64_t k = 0; k < n; k++)
		memcpy(&o->val[(i + k) * w], src, (size_t)w * 8);
}

/* array.new [d|f][t|w] (value, length), array.new_default [d|f][t|w]
 * (length), array.new_fixed [d|f][t|w][n|-] (n values) */
int gc_array_new(wr_instance *inst, const vm_cell *ip, vm_slot *fp, int how)
{
	uint32_t f = HI(1), w = HI(2);
	uint64_t len = how == 0 ? fp[f + w].u32 : how == 1 ? fp[f].u32 : LO(3);
	gc_obj *o = gc_new(inst, LO(2), (uint32_t)len, len * w);
	if (!o)
		return GC_E_OOM;
	if (how == 0)
		gc_fill(o, 0, len, w, &fp[f]);
	else if (how == 2)
		memcpy(o->val, &fp[f], (size_t)(len * w) * 8);
	fp[LO(1)].u64 = (uint64_t)(uintptr_t)o;
	return 0;
}

/* Copy n elements of x bytes (w slots) from data segment seg at s into
 * o from d; checked. */
static int gc_from_data(wr_instance *inst, gc_obj *o, uint64_t d, uint64_t s, uint64_t n,
                        uint32_t seg, uint32_t x, uint32_t w)
{
	const uint8_t *p = inst->mod->bytes + inst->mod->datas[seg].off;
	if (gc_out(s, n * x, inst->data_len[seg]))
		return GC_E_MEM_OOB;
	for (uint64_t k = 0; k < n; k++) {
		uint64_t v[2] = { 0, 0 };
		memcpy(v, p + s + k * x, x);
		memcpy(&o->val[(d + k) * w], v, (size_t)w * 8);
	}
	return 0;
}

/* array.new_data [d|f][t|x][seg|w] (offset, length) */
int gc_array_new_data(wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	uint32_t f = HI(1), x = HI(2), w = HI(3), seg = LO(3);
	uint64_t s = fp[f].u32, n = fp[f + 1].u32;
	if (gc_out(s, n * x, inst->data_len[seg]))
		return GC_E_MEM_OOB;
	gc_obj *o = gc_new(inst, LO(2), (uint32_t)n, n * w);
	if (!o)
		return GC_E_OOM;
	fp[LO(1)].u64 = (uint64_t)(uintptr_t)o;
	return gc_from_data(inst, o, 0, s, n, seg, x, w);
}

/* array.new_elem [d|f][t|seg] (offset, length) */
int gc_array_new_elem(wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	uint32_t f = HI(1), seg = HI(2);
	uint64_t s = fp[f].u32, n = fp[f + 1].u32;
	if (gc_out(s, n, inst->elem_len[seg]))
		return GC_E_TABLE_OOB;
	gc_obj *o = gc_new(inst, LO(2), (uint32_t)n, n);
	if (!o)
		return GC_E_OOM;
	memcpy(o->val, inst->elem_refs[seg] + s, (size_t)n * 8);
	fp[LO(1)].u64 = (uint64_t)(uintptr_t)o;
	return 0;
}

/* The array a reference names and an element index into it, checked. */
static int gc_elem(const vm_slot *fp, uint32_t f, gc_obj **o)
{
	uint64_t r = fp[f].u64;
	if (!r)
		return GC_E_NULL_ARRAY;
	*o = gc_ref(r);
	return fp[f + 1].u32 < (*o)->len ? 0 : GC_E_ARRAY_OOB;
}

/* array.get [d|f][ext|w] (array, index) */
int gc_array_get(wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	gc_obj *o;
	int e = gc_elem(fp, HI(1), &o);
	if (e)
		return e;
	uint64_t i = fp[HI(1) + 1].u32;
	if (HI(2) == 2)
		memcpy(&fp[LO(1)], &o->val[i * 2], 16);
	else
		fp[LO(1)].u64 = gc_extend(o->val[i], LO(2));
	return 0;
}

/* array.set [f|w] (array, index, value) */
int gc_array_set(wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	gc_obj *o;
	uint32_t f = LO(1), w = HI(1);
	int e = gc_elem(fp, f, &o);
	if (e)
		return e;
	memcpy(&o->val[(uint64_t)fp[f + 1].u32 * w], &fp[f + 2], (size_t)w * 8);
	return 0;
}

/* array.len [d|a] */
int gc_array_len(wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	uint64_t r = fp[HI(1)].u64;
	if (!r)
		return GC_E_NULL_ARRAY;
	fp[LO(1)].u64 = gc_ref(r)->len;
	return 0;
}

/* array.fill [f|w] (array, offset, value, count) */
int gc_array_fill(wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	uint32_t f = LO(1), w = HI(1);
	uint64_t r = fp[f].u64, i = fp[f + 1].u32, n = fp[f + 2 + w].u32;
	if (!r)
		return GC_E_NULL_ARRAY;
	if (gc_out(i, n, gc_ref(r)->len))
		return GC_E_ARRAY_OOB;
	gc_fill(gc_ref(r), i, n, w, &fp[f + 2]);
	return 0;
}

/* array.copy [f|w] (dst, dst offset, src, src offset, count) */
int gc_array_copy(wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	uint32_t f = LO(1), w = HI(1);
	uint64_t dr = fp[f].u64, d = fp[f + 1].u32, sr = fp[f + 2].u64, s = fp[f + 3].u32;
	uint64_t n = fp[f + 4].u32;
	if (!dr || !sr)
		return GC_E_NULL_ARRAY;
	if (gc_out(d, n, gc_ref(dr)->len) || gc_out(s, n, gc_ref(sr)->len))
		return GC_E_ARRAY_OOB;
	memmove(&gc_ref(dr)->val[d * w], &gc_ref(sr)->val[s * w], (size_t)(n * w) * 8);
	return 0;
}

/* array.init_data [f|x][seg|w] (array, offset, segment offset, count) */
int gc_array_init_data(wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	uint32_t f = LO(1);
	uint64_t r = fp[f].u64, d = fp[f + 1].u32, s = fp[f + 2].u32, n = fp[f + 3].u32;
	if (!r)
		return GC_E_NULL_ARRAY;
	if (gc_out(d, n, gc_ref(r)->len))
		return GC_E_ARRAY_OOB;
	return gc_from_data(inst, gc_ref(r), d, s, n, LO(2), HI(1), HI(2));
}

/* array.init_elem [f|seg] (array, offset, segment offset, count) */
int gc_array_init_elem(wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	uint32_t f = LO(1), seg = HI(1);
	uint64_t r = fp[f].u64, d = fp[f + 1].u32, s = fp[f + 2].u32, n = fp[f + 3].u32;
	if (!r)
		return GC_E_NULL_ARRAY;
	if (gc_out(d, n, gc_ref(r)->len))
		return GC_E_ARRAY_OOB;
	if (gc_out(s, n, inst->elem_len[seg]))
		return GC_E_TABLE_OOB;
	memcpy(&gc_ref(r)->val[d], inst->elem_refs[seg] + s, (size_t)n * 8);
	return 0;
}
