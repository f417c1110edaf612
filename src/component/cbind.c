/*
 * cbind.c: matching an import's type with the item that satisfies it.
 * Binding: each resource type the import introduces (a (sub resource)
 * export of an imported instance, an imported type) is bound, in the
 * frame's map, to the run-time resource of the argument, so that the
 * frame's lifted functions and resource built-ins use the argument's
 * identities. Checking (for what the linker offers, which validation has
 * not seen): sorts, the presence of every export an imported instance
 * needs, and function types, equal once the frame's resources are
 * substituted.
 */
#include "clink.h"

#include <stdio.h>
#include <string.h>

#define TYPE_DEPTH_MAX 256 /* beyond validation's limit */
/* cvalid.h's CK_MAP: a kind validation knows beyond wr_ckind. */
#define KIND_MAP ((wr_ckind)(WR_C__COUNT + 2))

/* ---- name indices ---- */

static uint32_t name_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

bool cnameidx_build(ctype_arena *a, cnameidx *x, uint32_t n, cname_at at, const void *ctx)
{
	uint32_t cap = 16;
	while (cap < 2 * (uint64_t)n && cap < (1u << 30))
		cap *= 2;
	x->slot = ctype_alloc(a, cap * sizeof(*x->slot));
	if (!x->slot)
		return false;
	x->mask = cap - 1;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t len;
		const char *name = at(ctx, i, &len);
		uint32_t h = name_hash(name, len) & x->mask;
		while (x->slot[h])
			h = (h + 1) & x->mask;
		x->slot[h] = i + 1;
	}
	return true;
}

uint32_t cnameidx_find(const cnameidx *x, const char *name, size_t len, cname_at at,
                       const void *ctx)
{
	uint32_t best = UINT32_MAX;
	for (uint32_t h = name_hash(name, len) & x->mask; x->slot[h]; h = (h + 1) & x->mask) {
		uint32_t l, i = x->slot[h] - 1;
		const char *s = at(ctx, i, &l);
		if (l == len && !memcmp(s, name, len) && i < best)
			best = i;
	}
	return best;
}

static const char *rinst_name(const void *ctx, uint32_t i, uint32_t *len)
{
	const rinst *in = ctx;
	*len = in->e[i].name_len;
	return in->e[i].name ? in->e[i].name : "";
}

bool rinst_index(ctype_arena *a, rinst *in)
{
	if (in->n < CNAMEIDX_MIN || in->idx.slot)
		return true;
	return cnameidx_build(a, &in->idx, in->n, rinst_name, in);
}

const rexport *rinst_find(const rinst *in, const char *name, size_t len)
{
	if (in && in->idx.slot) {
		uint32_t i = cnameidx_find(&in->idx, name, len, rinst_name, in);
		return i == UINT32_MAX ? NULL : &in->e[i];
	}
	for (uint32_t i = 0; in && i < in->n; i++)
		if (in->e[i].name && in->e[i].name_len == len && !memcmp(in->e[i].name, name, len))
			return &in->e[i];
	return NULL;
}

/* ---- binding ---- */

bool ritem_has(const ritem *it, csort s)
{
	switch (s) {
	case CS_CORE_MODULE: return it->module != NULL;
	case CS_FUNC: return it->func != NULL;
	case CS_COMPONENT: return it->comp != NULL;
	case CS_INSTANCE: return it->inst != NULL;
	case CS_TYPE: return true;
	default: return false;
	}
}

static bool name_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool type_runnable(const ctype *t, unsigned depth)
{
	if (!t)
		return true;
	if ((unsigned)t->kind >= WR_C__COUNT || depth > TYPE_DEPTH_MAX)
		return false;
	for (uint32_t i = 0; t->f && i < t->n; i++)
		if (!type_runnable(t->f[i].type, depth + 1))
			return false;
	return type_runnable(t->elem, depth + 1) && type_runnable(t->err, depth + 1);
}

bool clink_func_runnable(const cfunctype *ft)
{
	for (uint32_t i = 0; i < ft->nparams; i++)
		if (!type_runnable(ft->params[i].type, 0))
			return false;
	return type_runnable(ft->result, 0);
}

/* A copy of t with fields, elem and err given (and a map made a list of
 * pairs); NULL when out of memory. */
static const ctype *rebuild(ctype_arena *a, const ctype *t, cfield *f, const ctype *elem,
                            const ctype *err)
{
	ctype *c = ctype_alloc(a, sizeof(*c));
	if (!c)
		return NULL;
	*c = *t;
	c->f = f ? f : t->f;
	c->elem = elem;
	c->err = err;
	if (t->kind == KIND_MAP) {
		ctype *pair = ctype_alloc(a, sizeof(*pair));
		cfield *kv = ctype_alloc(a, 2 * sizeof(*kv));
		if (!pair || !kv)
			return NULL;
		kv[0].type = elem;
		kv[1].type = err;
		*pair = (ctype){ .kind = WR_C_TUPLE, .n = 2, .f = kv };
		if (!ctype_finish(pair))
			return NULL;
		*c = (ctype){ .kind = WR_C_LIST, .elem = pair };
	}
	return ctype_finish(c) ? c : NULL;
}

static const ctype *demap_val(ctype_arena *a, const ctype *t, unsigned depth, bool *oom)
{
	if (!t || *oom || depth > TYPE_DEPTH_MAX)
		return t;
	const ctype *elem = demap_val(a, t->elem, depth + 1, oom);
	const ctype *err = demap_val(a, t->err, depth + 1, oom);
	cfield *f = NULL;
	for (uint32_t i = 0; t->f && i < t->n && !*oom; i++) {
		const ctype *ft = demap_val(a, t->f[i].type, depth + 1, oom);
		if (ft == t->f[i].type)
			continue;
		if (!f) {
			if (!(f = ctype_alloc(a, t->n * sizeof(*f))))
				return *oom = true, t;
			memcpy(f, t->f, t->n * sizeof(*f));
		}
		f[i].type = ft;
	}
	if (*oom || (!f && elem == t->elem && err == t->err && t->kind != KIND_MAP))
		return t;
	const ctype *c = rebuild(a, t, f, elem, err);
	if (!c)
		*oom = true;
	return c ? c : t;
}

const cfunctype *clink_demap(ctype_arena *a, const cfunctype *ft)
{
	bool oom = false, changed = false;
	const ctype *res = demap_val(a, ft->result, 0, &oom);
	cfield *p = ctype_alloc(a, (ft->nparams + 1) * sizeof(*p));
	cfunctype *out = ctype_alloc(a, sizeof(*out));
	if (!p || !out)
		return NULL;
	for (uint32_t i = 0; i < ft->nparams; i++) {
		p[i] = ft->params[i];
		p[i].type = demap_val(a, ft->params[i].type, 0, &oom);
		changed |= p[i].type != ft->params[i].type;
	}
	if (oom)
		return NULL;
	if (!changed && res == ft->result)
		return ft;
	*out = *ft;
	out->params = p;
	out->result = res;
	return out;
}

static bool opt_type_eq(const ctype *a, const ctype *b)
{
	return a && b ? ctype_equal(a, b) : a == b;
}

/* Two run-time function types are equal: names and types. */
static bool func_eq(const cfunctype *a, const cfunctype *b)
{
	if (a->nparams != b->nparams || a->async != b->async)
		return false;
	for (uint32_t i = 0; i < a->nparams; i++)
		if (!name_eq(a->params[i].name, b->params[i].name) ||
		    !opt_type_eq(a->params[i].type, b->params[i].type))
			return false;
	return opt_type_eq(a->result, b->result);
}

const cfunctype *clink_func_type(cframe *f, const cfunctype *ft)
{
	const cfunctype *r = csubst_func(f->top->arena, f->subst, ft);
	if (r)
		r = clink_demap(f->top->arena, r);
	if (!r)
		clink_oom(f->top);
	return r;
}

static bool bind_inst(cframe *f, const cinsttype *t, const rinst *in, const char *what,
                      bool check)
{
	for (uint32_t i = 0; t && i < t->nexports; i++) {
		const cextern *x = &t->exports[i];
		const rexport *r = rinst_find(in, x->name, x->name_len);
		if (!r)
			return clink_fail(f->top, "import `%s`: instance has no export `%s`", what,
			                  x->name);
		if (r->sort != x->sort)
			return clink_fail(f->top, "import `%s`: export `%s` is a %s, expected a %s",
			                  what, x->name, csort_name(r->sort), csort_name(x->sort));
		char sub[256];
		snprintf(sub, sizeof(sub), "%s#%s", what, x->name);
		if (!clink_bind(f, x, &r->item, sub, check))
			return false;
	}
	return true;
}

bool clink_bind(cframe *f, const cextern *e, const ritem *it, const char *what, bool check)
{
	if (!ritem_has(it, e->sort))
		return clink_fail(f->top, "import `%s`: expected a %s", what, csort_name(e->sort));
	switch (e->sort) {
	case CS_TYPE:
		if (e->type.kind != CT_RESOURCE || !e->type.res || !e->type.res->res)
			return true;
		if (!it->res)
			return clink_fail(f->top, "import `%s`: expected a resource type", what);
		return clink_map(f, e->type.res->res, it->res, what);
	case CS_INSTANCE:
		return bind_inst(f, e->inst, it->inst, what, check);
	case CS_FUNC: {
		if (!check)
			return true;
		const cfunctype *want = clink_func_type(f, e->func);
		if (!want)
			return false;
		if (!func_eq(want, it->func->f.type))
			return clink_fail(f->top, "import `%s`: function type mismatch", what);
		return true;
	}
	case CS_VALUE:
		return clink_fail(f->top, "import `%s`: value imports are not supported", what);
	default:
		return true;
	}
}
