/*
 * gc.c: references of the any hierarchy (Wasm 3.0 GC), and the run-time
 * type test behind ref.test, ref.cast and br_on_cast.
 *
 * An anyref slot holds 0 (null), an i31 as (value << 1) | 1, or the address
 * of a gc_obj (8-aligned, so its low bit is 0). A gc_obj's header names its
 * type: a struct or array type's canonical index in the store, or
 * GC_HOSTBOX, a host externref made an anyref by any.convert_extern.
 * extern.convert_any makes an i31 or object an externref by wrapping it in
 * a GC_ANYBOX, whose address the store records (gc_heap.boxes) so that
 * any.convert_extern can tell it from a host's externref, whose bits are
 * the host's to choose. Converting back unwraps either box.
 *
 * This slice has no collector: objects live on the store's list until the
 * store is freed, and their bytes count against a fixed cap (GC_MAX_BYTES).
 */
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

#define GC_MAX_BYTES (256ull << 20)

struct gc_heap {
	gc_obj *objs;
	uint64_t bytes;
	uint64_t *boxes;   /* open addressing: GC_ANYBOX addresses, 0 empty */
	size_t nboxes, boxcap;
};

static struct gc_heap *gc_heap_of(wr_store *s)
{
	if (!s->gc)
		s->gc = calloc(1, sizeof(*s->gc));
	return s->gc;
}

void gc_free_all(wr_store *s)
{
	struct gc_heap *h = s->gc;

	if (!h)
		return;
	for (gc_obj *o = h->objs, *n; o; o = n) {
		n = o->next;
		free(o);
	}
	free(h->boxes);
	free(h);
	s->gc = NULL;
}

gc_obj *gc_alloc(wr_store *s, uint32_t type, uint32_t len, size_t payload)
{
	struct gc_heap *h = gc_heap_of(s);
	size_t size = sizeof(gc_obj) + payload;
	gc_obj *o;

	if (!h || payload > GC_MAX_BYTES || h->bytes + size > GC_MAX_BYTES)
		return NULL;
	if (!(o = calloc(1, size)))
		return NULL;
	o->type = type;
	o->len = len;
	o->next = h->objs;
	h->objs = o;
	h->bytes += size;
	return o;
}

static size_t gc_box_slot(uint64_t a, size_t cap)
{
	return (size_t)((a >> 3) * 0x9e3779b97f4a7c15ull >> 7) & (cap - 1);
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
	if (gc_is_box(s->gc, e)) {
		*out = ((const gc_obj *)(uintptr_t)e)->val[0];
		return true;
	}
	if (!(o = gc_alloc(s, GC_HOSTBOX, 1, sizeof(uint64_t))))
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
	if (!(o = gc_alloc(s, GC_ANYBOX, 1, sizeof(uint64_t))))
		return false;
	o->val[0] = a;
	if (!gc_box_add(s->gc, (uint64_t)(uintptr_t)o))
		return false; /* o stays on the list, freed with the store */
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
