/*
 * gc.c: references of the any hierarchy (Wasm 3.0 GC), and the run-time
 * type test behind ref.test, ref.cast and br_on_cast.
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
 * This slice has no collector: objects live on the store's list until the
 * store is freed, and their bytes count against a fixed cap (GC_MAX_BYTES).
 */
#include <stdlib.h>
#include <string.h>

#include "runtime.h"
#include "vm.h"

#define GC_MAX_BYTES (256ull << 20)

struct gc_heap {
	gc_obj *objs;
	uint64_t bytes;
	uint64_t *boxes;   /* open addressing: every object's address, 0 empty */
	size_t nboxes, boxcap;
};

static bool gc_box_add(struct gc_heap *h, uint64_t a);

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

	/* counted with 16 bytes for its entry in the address set (at most
	 * half full) */
	if (!h || payload > GC_MAX_BYTES || h->bytes + size + 16 > GC_MAX_BYTES)
		return NULL;
	if (!(o = calloc(1, size)))
		return NULL;
	if (!gc_box_add(h, (uint64_t)(uintptr_t)o)) {
		free(o);
		return NULL;
	}
	o->type = type;
	o->len = len;
	o->next = h->objs;
	h->objs = o;
	h->bytes += size + 16;
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
	if (gc_is_box(s->gc, e) && ((const gc_obj *)(uintptr_t)e)->type == GC_ANYBOX) {
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
	return gc_alloc(inst->store, inst->type_ids[x], len, (size_t)n * 8);
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
