/*
 * subst.c: rebuilding types with resources (and renamed types) replaced,
 * the free resources of a type, and the rule that the types named by an
 * import or export are themselves imported or exported ("external
 * visibility", Explainer.md).
 */
#include "cvalid.h"

#include <stdlib.h>
#include <string.h>

/* ---- substitution ---- */

static const crestype *subst_res(cctx *x, const cmap *in, cmap *memo, const crestype *r)
{
	bool found;
	const void *v = cmap_get(memo, r, &found);
	const cresource *to;
	crestype *n;
	if (found)
		return v;
	if ((v = cmap_get(in, r, &found)) && found)
		return v;
	to = cmap_get(in, r->res, &found);
	if (!found)
		return r;
	if (!(n = ctype_alloc(x->a, sizeof(*n))) || !cmap_put(memo, r, n))
		return coom(x, 0), NULL;
	*n = *r;
	n->res = to;
	n->local = false;
	return n;
}

/* Substitute the parts of t (a copy, c) ; true if any changed. */
static bool subst_parts(cctx *x, const cmap *in, cmap *memo, const ctype *t, ctype *c,
                        bool *changed)
{
	cfield *f = NULL;
	if (t->elem && !(c->elem = subst_val(x, in, memo, t->elem)))
		return false;
	if (t->err && !(c->err = subst_val(x, in, memo, t->err)))
		return false;
	*changed = c->elem != t->elem || c->err != t->err;
	for (uint32_t i = 0; t->f && i < t->n; i++) {
		const ctype *ft = t->f[i].type ? subst_val(x, in, memo, t->f[i].type) : NULL;
		if (t->f[i].type && !ft)
			return false;
		if (ft == t->f[i].type)
			continue;
		if (!f && !(f = ctype_alloc(x->a, t->n * sizeof(*f))))
			return coom(x, 0);
		if (f != c->f)
			memcpy(f, t->f, t->n * sizeof(*f));
		c->f = f;
		f[i].type = ft;
		*changed = true;
	}
	if (c->named) {
		const crestype *r = subst_res(x, in, memo, c->named);
		if (!r)
			return false;
		*changed |= r != c->named;
		c->named = r;
		c->res = r->res;
	} else if (c->res) {
		bool found;
		const cresource *to = cmap_get(in, c->res, &found);
		if (found)
			c->res = to, *changed = true;
	}
	return true;
}

const ctype *subst_val(cctx *x, const cmap *in, cmap *memo, const ctype *t)
{
	bool found, changed;
	const void *v;
	const ctype *out = t;
	ctype c;
	if (!t || (unsigned)t->kind <= WR_C_STRING || t->kind == CK_ERRCTX)
		return t;
	if ((v = cmap_get(memo, t, &found)) && found)
		return v;
	if ((v = cmap_get(in, t, &found)) && found)
		return v;
	c = *t;
	if (!subst_parts(x, in, memo, t, &c, &changed))
		return NULL;
	if (changed) {
		ctype *n = ctype_alloc(x->a, sizeof(*n));
		if (!n)
			return coom(x, 0), NULL;
		*n = c;
		out = n;
	}
	if (!cmap_put(memo, t, out))
		return coom(x, 0), NULL;
	return out;
}

const cfunctype *subst_func(cctx *x, const cmap *in, cmap *memo, const cfunctype *f)
{
	const ctype *res = subst_val(x, in, memo, f->result);
	cfield *p = NULL;
	cfunctype *n;
	if (f->result && !res)
		return NULL;
	for (uint32_t i = 0; i < f->nparams; i++) {
		const ctype *t = subst_val(x, in, memo, f->params[i].type);
		if (!t)
			return NULL;
		if (t == f->params[i].type)
			continue;
		if (!p && !(p = ctype_alloc(x->a, f->nparams * sizeof(*p))))
			return coom(x, 0), NULL;
		if (p[0].name == NULL)
			memcpy(p, f->params, f->nparams * sizeof(*p));
		p[i].type = t;
	}
	if (!p && res == f->result)
		return f;
	if (!(n = ctype_alloc(x->a, sizeof(*n))))
		return coom(x, 0), NULL;
	*n = *f;
	if (p)
		n->params = p;
	n->result = res;
	return n;
}

/* Substitute a list of externs; *out is v itself when nothing changed. */
static bool subst_externs(cctx *x, const cmap *in, cmap *memo, const cextern *v, uint32_t n,
                          const cextern **out)
{
	cextern *nv = NULL;
	*out = v;
	for (uint32_t i = 0; i < n; i++) {
		cextern e;
		if (!subst_extern(x, in, memo, &v[i], &e))
			return false;
		if (!memcmp(&e, &v[i], sizeof(e)))
			continue;
		if (!nv) {
			if (!(nv = ctype_alloc(x->a, n * sizeof(*nv))))
				return coom(x, 0);
			memcpy(nv, v, n * sizeof(*nv));
		}
		nv[i] = e;
	}
	if (nv)
		*out = nv;
	return true;
}

/* Map a list of resources; *out is v itself when none is mapped. */
static bool subst_reslist(cctx *x, const cmap *in, const cresource *const *v, uint32_t n,
                          const cresource *const **out)
{
	const cresource **nv = NULL;
	*out = v;
	for (uint32_t i = 0; i < n; i++) {
		bool found;
		const cresource *r = cmap_get(in, v[i], &found);
		if (!found)
			continue;
		if (!nv) {
			if (!(nv = ctype_alloc(x->a, n * sizeof(*nv))))
				return coom(x, 0);
			memcpy(nv, v, n * sizeof(*nv));
		}
		nv[i] = r;
	}
	if (nv)
		*out = nv;
	return true;
}

const cinsttype *subst_inst(cctx *x, const cmap *in, cmap *memo, const cinsttype *t)
{
	bool found;
	const void *v = cmap_get(memo, t, &found);
	cinsttype c = *t, *n;
	if (found)
		return v;
	if (!subst_externs(x, in, memo, t->exports, t->nexports, &c.exports) ||
	    !subst_reslist(x, in, t->defined, t->ndefined, &c.defined))
		return NULL;
	if (c.exports != t->exports || c.defined != t->defined) {
		if (!(n = ctype_alloc(x->a, sizeof(*n))))
			return coom(x, 0), NULL;
		*n = c;
		v = n;
	} else {
		v = t;
	}
	return cmap_put(memo, t, v) ? v : (coom(x, 0), NULL);
}

const ccomptype *subst_comp(cctx *x, const cmap *in, cmap *memo, const ccomptype *t)
{
	bool found;
	const void *v = cmap_get(memo, t, &found);
	ccomptype c = *t, *n;
	if (found)
		return v;
	if (!subst_externs(x, in, memo, t->imports, t->nimports, &c.imports) ||
	    !subst_externs(x, in, memo, t->exports, t->nexports, &c.exports) ||
	    !subst_reslist(x, in, t->imported, t->nimported, &c.imported) ||
	    !subst_reslist(x, in, t->defined, t->ndefined, &c.defined))
		return NULL;
	if (memcmp(&c, t, sizeof(c))) {
		if (!(n = ctype_alloc(x->a, sizeof(*n))))
			return coom(x, 0), NULL;
		*n = c;
		v = n;
	} else {
		v = t;
	}
	return cmap_put(memo, t, v) ? v : (coom(x, 0), NULL);
}

static bool subst_any(cctx *x, const cmap *in, cmap *memo, const cany *t, cany *out)
{
	*out = *t;
	switch (t->kind) {
	case CT_VAL: return (out->val = subst_val(x, in, memo, t->val)) != NULL;
	case CT_FUNC: return (out->func = subst_func(x, in, memo, t->func)) != NULL;
	case CT_INSTANCE: return (out->inst = subst_inst(x, in, memo, t->inst)) != NULL;
	case CT_COMPONENT: return (out->comp = subst_comp(x, in, memo, t->comp)) != NULL;
	default: return (out->res = subst_res(x, in, memo, t->res)) != NULL;
	}
}

bool subst_extern(cctx *x, const cmap *in, cmap *memo, const cextern *e, cextern *out)
{
	*out = *e;
	switch (e->sort) {
	case CS_FUNC: return (out->func = subst_func(x, in, memo, e->func)) != NULL;
	case CS_VALUE: return (out->value = subst_val(x, in, memo, e->value)) != NULL;
	case CS_TYPE: return subst_any(x, in, memo, &e->type, &out->type);
	case CS_INSTANCE: return (out->inst = subst_inst(x, in, memo, e->inst)) != NULL;
	case CS_COMPONENT: return (out->comp = subst_comp(x, in, memo, e->comp)) != NULL;
	default: return true;
	}
}

/* ---- free resources ---- */

static bool free_val(cctx *x, const ctype *t, cmap *set, cmap *seen)
{
	if (!t || !t->has_res || cmap_has(seen, t))
		return true;
	if (!cmap_put(seen, t, t))
		return coom(x, 0);
	if (t->kind == WR_C_OWN || t->kind == WR_C_BORROW)
		return cmap_put(set, t->res, t) || coom(x, 0);
	if (!free_val(x, t->elem, set, seen) || !free_val(x, t->err, set, seen))
		return false;
	for (uint32_t i = 0; t->f && i < t->n; i++)
		if (!free_val(x, t->f[i].type, set, seen))
			return false;
	return true;
}

static bool free_externs(cctx *x, const cextern *v, uint32_t n, cmap *set, cmap *seen);

/* Resources of a list of externs, less those bound in it (bound). */
static bool free_bound(cctx *x, const cextern *v, uint32_t n, const cextern *v2, uint32_t n2,
                       const cresource *const *b1, uint32_t nb1, const cresource *const *b2,
                       uint32_t nb2, cmap *set, cmap *seen)
{
	cmap inner = { 0 };
	bool ok = free_externs(x, v, n, &inner, seen) && free_externs(x, v2, n2, &inner, seen);
	for (uint32_t i = 0; ok && i < inner.cap; i++) {
		bool bound = false;
		if (!inner.keys[i])
			continue;
		for (uint32_t j = 0; j < nb1; j++)
			bound |= b1[j] == inner.keys[i];
		for (uint32_t j = 0; j < nb2; j++)
			bound |= b2[j] == inner.keys[i];
		if (!bound && !cmap_put(set, inner.keys[i], inner.keys[i]))
			ok = coom(x, 0);
	}
	cmap_free(&inner);
	return ok;
}

static bool free_any(cctx *x, const cany *t, cmap *set, cmap *seen)
{
	switch (t->kind) {
	case CT_VAL: return free_val(x, t->val, set, seen);
	case CT_RESOURCE: return cmap_put(set, t->res->res, t->res) || coom(x, 0);
	case CT_FUNC:
		for (uint32_t i = 0; i < t->func->nparams; i++)
			if (!free_val(x, t->func->params[i].type, set, seen))
				return false;
		return free_val(x, t->func->result, set, seen);
	case CT_INSTANCE:
		return free_bound(x, t->inst->exports, t->inst->nexports, NULL, 0, t->inst->defined,
		                  t->inst->ndefined, NULL, 0, set, seen);
	default:
		return free_bound(x, t->comp->imports, t->comp->nimports, t->comp->exports,
		                  t->comp->nexports, t->comp->imported, t->comp->nimported,
		                  t->comp->defined, t->comp->ndefined, set, seen);
	}
}

static bool free_extern(cctx *x, const cextern *e, cmap *set, cmap *seen)
{
	cany t = { 0 };
	switch (e->sort) {
	case CS_FUNC: t.kind = CT_FUNC, t.func = e->func; break;
	case CS_VALUE: return free_val(x, e->value, set, seen);
	case CS_TYPE: t = e->type; break;
	case CS_INSTANCE: t.kind = CT_INSTANCE, t.inst = e->inst; break;
	case CS_COMPONENT: t.kind = CT_COMPONENT, t.comp = e->comp; break;
	default: return true;
	}
	return free_any(x, &t, set, seen);
}

static bool free_externs(cctx *x, const cextern *v, uint32_t n, cmap *set, cmap *seen)
{
	for (uint32_t i = 0; i < n; i++)
		if (!free_extern(x, &v[i], set, seen))
			return false;
	return true;
}

bool free_res_any(cctx *x, const cany *t, cmap *set)
{
	cmap seen = { 0 };
	bool ok = free_any(x, t, set, &seen);
	cmap_free(&seen);
	return ok;
}

bool free_res_extern(cctx *x, const cextern *e, cmap *set)
{
	cmap seen = { 0 };
	bool ok = free_extern(x, e, set, &seen);
	cmap_free(&seen);
	return ok;
}

/* ---- external visibility ---- */

static bool is_nameable(wr_ckind k)
{
	return k == WR_C_RECORD || k == WR_C_VARIANT || k == WR_C_ENUM || k == WR_C_FLAGS;
}

static bool named_defined(const ctype *t, const cmap *set, cmap *seen);

/* A value type used by an import or export is named: a record, variant,
 * enum or flags only if it is in set; own and borrow if their resource's
 * name is; anonymous aggregates if their parts are. */
static bool named_valtype(const ctype *t, const cmap *set, cmap *seen)
{
	if (!t || (unsigned)t->kind <= WR_C_STRING || t->kind == CK_ERRCTX)
		return true;
	if (is_nameable(t->kind))
		return cmap_has(set, t);
	return named_defined(t, set, seen);
}

static bool named_defined(const ctype *t, const cmap *set, cmap *seen)
{
	if (cmap_has(seen, t))
		return true;
	if (t->kind == WR_C_OWN || t->kind == WR_C_BORROW)
		return cmap_has(set, t->named);
	if (!named_valtype(t->elem, set, seen) || !named_valtype(t->err, set, seen))
		return false;
	for (uint32_t i = 0; t->f && i < t->n; i++)
		if (!named_valtype(t->f[i].type, set, seen))
			return false;
	cmap_put(seen, t, t);
	return true;
}

static bool named_func(const cfunctype *f, const cmap *set, cmap *seen)
{
	for (uint32_t i = 0; i < f->nparams; i++)
		if (!named_valtype(f->params[i].type, set, seen))
			return false;
	return named_valtype(f->result, set, seen);
}

static bool named_any(const cany *t, const cmap *set, cmap *seen);

static bool named_inst(const cinsttype *t, const cmap *set, cmap *seen)
{
	for (uint32_t i = 0; i < t->nexports; i++) {
		const cextern *e = &t->exports[i];
		bool ok = true;
		if (e->sort == CS_FUNC)
			ok = named_func(e->func, set, seen);
		else if (e->sort == CS_TYPE)
			ok = named_any(&e->type, set, seen);
		else if (e->sort == CS_VALUE)
			ok = named_valtype(e->value, set, seen);
		else if (e->sort == CS_INSTANCE)
			ok = named_inst(e->inst, set, seen);
		if (!ok)
			return false;
	}
	return true;
}

static bool named_any(const cany *t, const cmap *set, cmap *seen)
{
	switch (t->kind) {
	case CT_VAL: return named_defined(t->val, set, seen);
	case CT_FUNC: return named_func(t->func, set, seen);
	case CT_INSTANCE: return named_inst(t->inst, set, seen);
	default: return true;
	}
}

/* The identity an imported or exported type adds to the named sets. */
static const void *type_identity(const cany *t)
{
	switch (t->kind) {
	case CT_VAL: return t->val;
	case CT_RESOURCE: return t->res;
	case CT_FUNC: return t->func;
	case CT_INSTANCE: return t->inst;
	default: return t->comp;
	}
}

static bool named_check(cctx *x, cscope *s, cext_dir dir, const cextern *e, cmap *seen)
{
	cmap *set = dir == CX_IMPORT ? &s->imported_types : &s->exported_types;
	switch (e->sort) {
	case CS_TYPE: {
		const void *id = type_identity(&e->type);
		if (!named_any(&e->type, set, seen))
			return false;
		if (dir == CX_IMPORT && !cmap_put(&s->imported_types, id, id))
			return coom(x, 0);
		return cmap_put(&s->exported_types, id, id) || coom(x, 0);
	}
	case CS_INSTANCE:
		for (uint32_t i = 0; i < e->inst->nexports; i++)
			if (!named_check(x, s, dir, &e->inst->exports[i], seen))
				return false;
		return true;
	case CS_FUNC: return named_func(e->func, set, seen);
	case CS_VALUE: return named_valtype(e->value, set, seen);
	default: return true;
	}
}

bool named_entity(cctx *x, cscope *s, cext_dir dir, const cextern *e, bool top)
{
	cmap seen = { 0 };
	bool ok;
	if (s->kind == SC_INSTTYPE)
		return true;
	ok = named_check(x, s, dir, e, &seen);
	cmap_free(&seen);
	return ok;
}

/* ---- the public form (component.h) ---- */

struct csubst {
	cmap in, memo;
};

csubst *csubst_new(void)
{
	return calloc(1, sizeof(csubst));
}

void csubst_free(csubst *m)
{
	if (!m)
		return;
	cmap_free(&m->in);
	cmap_free(&m->memo);
	free(m);
}

bool csubst_add(csubst *m, const cresource *from, const cresource *to)
{
	return cmap_put(&m->in, from, to);
}

const cresource *csubst_res(const csubst *m, const cresource *r)
{
	bool found;
	const cresource *to = cmap_get(&m->in, r, &found);
	return found ? to : r;
}

#define CSUBST_CTX(a) cctx x = { .a = (a) }

const ctype *csubst_val(ctype_arena *a, csubst *m, const ctype *t)
{
	CSUBST_CTX(a);
	return subst_val(&x, &m->in, &m->memo, t);
}

const cfunctype *csubst_func(ctype_arena *a, csubst *m, const cfunctype *f)
{
	CSUBST_CTX(a);
	return subst_func(&x, &m->in, &m->memo, f);
}

const cinsttype *csubst_inst(ctype_arena *a, csubst *m, const cinsttype *t)
{
	CSUBST_CTX(a);
	return subst_inst(&x, &m->in, &m->memo, t);
}

const ccomptype *csubst_comp(ctype_arena *a, csubst *m, const ccomptype *t)
{
	CSUBST_CTX(a);
	return subst_comp(&x, &m->in, &m->memo, t);
}
