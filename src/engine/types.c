/*
 * types.c: Wasm 3.0 value types: subtyping, and the registry that gives
 * equivalent type definitions one canonical index.
 *
 * Types are equivalent when their recursion groups are structurally equal
 * (iso-recursive equivalence): the same definitions in the same order, where
 * a reference into the group itself counts by its position in the group and
 * a reference to an earlier type by that type's canonical index. So a group
 * is interned under a key that spells exactly that, and two groups share
 * canonical indices exactly when their keys are equal. The validator keeps a
 * registry for one module (m->type_canon), each store one for every module
 * instantiated in it and its host functions (a function's canonical index is
 * what call_indirect and import matching compare).
 *
 * A key also spells each type's form (func, struct, array), finality and
 * declared supertype, and the registry keeps every canonical type's
 * supertype, so subtyping between concrete types walks that chain
 * (vt_idx_sub); the abstract any/eq/i31/struct/array/none hierarchy is in
 * vt_abs_sub.
 */
#include <stdlib.h>
#include <string.h>

#include "module.h"

/* A key's reference into the group being interned: its position there. */
#define VT_HT_REC 0x03u

/* ---- subtyping ---- */

uint8_t vt_top(mod_vt t)
{
	switch (vt_ht(t)) {
	case HT_FUNC: case HT_NOFUNC: case VT_HT_IDX: case VT_HT_BOT: return HT_FUNC;
	case HT_EXTERN: case HT_NOEXTERN: return HT_EXTERN;
	case HT_EXN: case HT_NOEXN: return HT_EXN;
	case HT_ANY: case HT_EQ: case HT_I31: case HT_STRUCT: case HT_ARRAY: case HT_NONE:
	case VT_HT_SIDX: case VT_HT_AIDX: return HT_ANY;
	default: return 0;
	}
}

/* The bottom heap type of top's hierarchy. */
static uint8_t vt_bottom(uint8_t top)
{
	switch (top) {
	case HT_FUNC: return HT_NOFUNC;
	case HT_EXTERN: return HT_NOEXTERN;
	case HT_ANY: return HT_NONE;
	default: return HT_NOEXN;
	}
}

static uint32_t ty_super_of(const ty_registry *r, uint32_t c);
bool ty_canon_sub(const ty_registry *r, uint32_t a, uint32_t b);

/* Is concrete a below concrete b: equal canonical indices, or b on a's
 * chain of declared supertypes. */
static bool vt_idx_sub(const ty_registry *reg, const uint32_t *canon, mod_vt a, mod_vt b)
{
	uint32_t ca = canon ? canon[vt_idx(a)] : vt_idx(a);
	uint32_t cb = canon ? canon[vt_idx(b)] : vt_idx(b);

	return reg ? ty_canon_sub(reg, ca, cb) : ca == cb;
}

bool ty_canon_sub(const ty_registry *r, uint32_t a, uint32_t b)
{
	for (uint32_t steps = 0; a != TY_NO_SUPER && steps <= MOD_MAX_TYPES; steps++) {
		if (a == b)
			return true;
		a = ty_super_of(r, a);
	}
	return false;
}

/* Abstract heap type subtyping inside one hierarchy (a != b). */
static bool vt_abs_sub(uint8_t ha, uint8_t hb, uint8_t top)
{
	if (hb == top || ha == vt_bottom(top))
		return true;
	switch (hb) {
	case HT_EQ:
		return ha == HT_I31 || ha == HT_STRUCT || ha == HT_ARRAY || ha == VT_HT_SIDX ||
		       ha == VT_HT_AIDX;
	case HT_STRUCT: return ha == VT_HT_SIDX;
	case HT_ARRAY: return ha == VT_HT_AIDX;
	default: return false;
	}
}

/* Heap type subtyping: within one hierarchy, the bottom below everything
 * and everything below the top, any/eq/struct/array/i31 as declared by the
 * GC proposal; concrete types by canonical index and declared supertypes. */
static bool vt_ht_sub(const ty_registry *reg, const uint32_t *canon, mod_vt a, mod_vt b)
{
	uint8_t ha = vt_ht(a), hb = vt_ht(b), top = vt_top(a);

	if (ha == VT_HT_BOT || hb == VT_HT_BOT)
		return ha == VT_HT_BOT;
	if (!top || top != vt_top(b))
		return false;
	if (vt_is_idx(a) && vt_is_idx(b))
		return vt_idx_sub(reg, canon, a, b);
	if (ha == hb)
		return !vt_is_idx(a);
	return vt_abs_sub(ha, hb, top);
}

bool vt_sub(const ty_registry *reg, const uint32_t *canon, mod_vt a, mod_vt b)
{
	if (a == b || a == 0 || b == 0)
		return true;
	if (!vt_is_ref(a) || !vt_is_ref(b))
		return false;
	if (vt_nullable(a) && !vt_nullable(b))
		return false;
	return vt_ht_sub(reg, canon, a, b);
}

/* ---- the registry ---- */

typedef struct ty_group {
	uint32_t *key;
	size_t nkey;
	uint64_t hash;
	uint32_t first; /* canonical index of the group's first type */
} ty_group;

struct ty_registry {
	ty_group *groups;
	size_t ngroups, cap;
	uint32_t *slots;   /* open addressing: group index + 1, 0 empty */
	size_t nslots;     /* a power of two, at least twice ngroups */
	uint32_t next;     /* the next canonical index to give */
	uint32_t *key;     /* scratch: the key being built */
	size_t nkey, keycap;
	uint32_t *supers;  /* per canonical index: its declared supertype's, or TY_NO_SUPER */
	uint8_t *forms;    /* per canonical index: its form (FORM_*) */
	size_t supcap;
};

uint8_t ty_form_of(const ty_registry *r, uint32_t c)
{
	return c < r->next && c < r->supcap ? r->forms[c] : 0;
}

static uint32_t ty_super_of(const ty_registry *r, uint32_t c)
{
	return c < r->next && c < r->supcap ? r->supers[c] : TY_NO_SUPER;
}

ty_registry *ty_registry_new(void)
{
	return calloc(1, sizeof(ty_registry));
}

void ty_registry_free(ty_registry *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ngroups; i++)
		free(r->groups[i].key);
	free(r->groups);
	free(r->slots);
	free(r->key);
	free(r->supers);
	free(r->forms);
	free(r);
}

static bool ty_key_push(ty_registry *r, uint32_t w)
{
	if (r->nkey == r->keycap) {
		size_t cap = r->keycap ? r->keycap * 2 : 64;
		uint32_t *q = realloc(r->key, cap * sizeof(*q));
		if (!q)
			return false;
		r->key = q;
		r->keycap = cap;
	}
	r->key[r->nkey++] = w;
	return true;
}

/* A value type as a key word: a reference into the group by position
 * (VT_HT_REC), one to an earlier type by its canonical index. */
static uint32_t ty_key_vt(mod_vt t, uint32_t first, uint32_t n, const uint32_t *out)
{
	uint32_t x;

	if (!vt_is_idx(t))
		return t;
	x = vt_idx(t);
	if (x >= first && x - first < n)
		return (t & VT_NONNULL) | VT_HT_REC | (x - first) << VT_IDX_SHIFT;
	return (t & (VT_NONNULL | 0xffu)) | out[x] << VT_IDX_SHIFT;
}

/* A declared supertype as two key words: none, a position in the group,
 * or an earlier type's canonical index. */
static bool ty_key_super(ty_registry *r, uint32_t s, uint32_t first, uint32_t n,
                         const uint32_t *out)
{
	if (s == TY_NO_SUPER)
		return ty_key_push(r, 0) && ty_key_push(r, 0);
	if (s >= first && s - first < n)
		return ty_key_push(r, 1) && ty_key_push(r, s - first);
	return ty_key_push(r, 2) && ty_key_push(r, out[s]);
}

/* Append one type definition to the key: its form, finality and
 * supertype, then a function's parameter and result types or a struct's
 * (an array's) fields with their mutability. vts NULL (a host function's
 * type, form 0): the kinds are the types, final with no supertype. */
static bool ty_key_func(ty_registry *r, const mod_functype *t, uint32_t first, uint32_t n,
                        const uint32_t *out)
{
	uint8_t form = t->form ? t->form : FORM_FUNC;
	bool fin = t->form ? t->final : true;
	uint32_t all = form == FORM_FUNC ? t->nparams + t->nresults : t->nparams;

	if (!ty_key_push(r, form) || !ty_key_push(r, fin) ||
	    !ty_key_super(r, t->form ? t->super : TY_NO_SUPER, first, n, out) ||
	    !ty_key_push(r, t->nparams) || !ty_key_push(r, form == FORM_FUNC ? t->nresults : 0))
		return false;
	for (uint32_t i = 0; i < all; i++) {
		if (!ty_key_push(r, t->vts ? ty_key_vt(t->vts[i], first, n, out) : t->types[i]))
			return false;
		if (form != FORM_FUNC && !ty_key_push(r, t->muts[i]))
			return false;
	}
	return true;
}

/* Record the supertypes of a newly entered group. */
static bool ty_set_supers(ty_registry *r, const wr_module *m, uint32_t first, uint32_t n,
                          const uint32_t *out)
{
	uint32_t need = out[first] + n;

	if (need > r->supcap) {
		size_t cap = r->supcap ? r->supcap : 64;
		while (cap < need)
			cap *= 2;
		uint32_t *q = realloc(r->supers, cap * sizeof(*q));
		if (!q)
			return false;
		r->supers = q;
		uint8_t *fq = realloc(r->forms, cap);
		if (!fq)
			return false;
		r->forms = fq;
		r->supcap = cap;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t s = m ? m->types[first + i].super : TY_NO_SUPER;
		r->supers[out[first + i]] = s == TY_NO_SUPER ? TY_NO_SUPER : out[s];
		r->forms[out[first + i]] = m ? m->types[first + i].form : FORM_FUNC;
	}
	return true;
}

static uint64_t ty_hash(const uint32_t *key, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ key[i]) * 0x100000001b3ull;
	return h;
}

/* Make room for one more group, rehashing at half load. */
static bool ty_grow(ty_registry *r)
{
	if (r->ngroups == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		ty_group *q = realloc(r->groups, cap * sizeof(*q));
		if (!q)
			return false;
		r->groups = q;
		r->cap = cap;
	}
	if (2 * (r->ngroups + 1) <= r->nslots)
		return true;
	size_t ns = r->nslots ? r->nslots * 2 : 32;
	uint32_t *sl = calloc(ns, sizeof(*sl));
	if (!sl)
		return false;
	for (size_t i = 0; i < r->ngroups; i++) {
		size_t k = (size_t)r->groups[i].hash & (ns - 1);
		while (sl[k])
			k = (k + 1) & (ns - 1);
		sl[k] = (uint32_t)i + 1;
	}
	free(r->slots);
	r->slots = sl;
	r->nslots = ns;
	return true;
}

/* Find the key built in r->key, or enter it as a group of n types. */
static bool ty_lookup(ty_registry *r, uint32_t n, uint32_t *first)
{
	uint64_t h = ty_hash(r->key, r->nkey);
	size_t k;
	ty_group *g;

	if (!ty_grow(r))
		return false;
	for (k = (size_t)h & (r->nslots - 1); r->slots[k]; k = (k + 1) & (r->nslots - 1)) {
		g = &r->groups[r->slots[k] - 1];
		if (g->hash == h && g->nkey == r->nkey &&
		    !memcmp(g->key, r->key, r->nkey * sizeof(*r->key))) {
			*first = g->first;
			return true;
		}
	}
	if (n > VT_IDX_MAX - r->next)
		return false;
	g = &r->groups[r->ngroups];
	if (!(g->key = malloc(r->nkey * sizeof(*g->key))))
		return false;
	memcpy(g->key, r->key, r->nkey * sizeof(*g->key));
	g->nkey = r->nkey;
	g->hash = h;
	g->first = *first = r->next;
	r->next += n;
	r->slots[k] = (uint32_t)r->ngroups++ + 1;
	return true;
}

bool ty_intern_group(ty_registry *r, const wr_module *m, uint32_t first, uint32_t n,
                     uint32_t *out)
{
	uint32_t base;

	r->nkey = 0;
	if (!ty_key_push(r, n))
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (!ty_key_func(r, &m->types[first + i], first, n, out))
			return false;
	if (!ty_lookup(r, n, &base))
		return false;
	for (uint32_t i = 0; i < n; i++)
		out[first + i] = base + i;
	return ty_set_supers(r, m, first, n, out);
}

bool ty_intern_func(ty_registry *r, const mod_functype *t, uint32_t *out)
{
	r->nkey = 0;
	if (!ty_key_push(r, 1) || !ty_key_func(r, t, 0, 0, NULL) || !ty_lookup(r, 1, out))
		return false;
	return ty_set_supers(r, NULL, 0, 1, out);
}
