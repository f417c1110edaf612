/*
 * validate.c: scopes (a component, a component type, an instance type) and
 * their index spaces; imports, exports, aliases and instances, checked as
 * each is read (Binary.md and Explainer.md, "Validation").
 */
#include "cvalid.h"

#include <stdio.h>
#include <string.h>

static const char *const sort_names[CS__COUNT] = {
	"core func", "core table", "core memory", "core global", "core tag", "core type",
	"core module", "core instance", "func", "value", "type", "component", "instance",
};

const char *csort_name(csort s)
{
	return (unsigned)s < CS__COUNT ? sort_names[s] : "?";
}

void scope_init(cscope *s, sckind kind, cscope *outer, ccomp *comp, cctx *x)
{
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->outer = outer;
	s->comp = comp;
	s->imported_types.a = s->exported_types.a = s->local_res.a = x->a;
	s->rimp.names.a = s->rexp.names.a = x->a;
}

const cresource *cres_new(cctx *x, const char *name)
{
	cresource *r = ctype_alloc(x->a, sizeof(*r));
	char buf[32];
	if (!r)
		return NULL;
	if (!name) {
		snprintf(buf, sizeof(buf), "resource %u", x->nres);
		name = buf;
	}
	x->nres++;
	r->name = ctype_strdup(x->a, name, strlen(name));
	return r->name ? r : NULL;
}

/* ---- index spaces ---- */

citem *scope_item(cctx *x, cscope *s, csort sort, uint32_t idx, size_t off)
{
	static const char *const what[CS__COUNT][2] = {
		{ "core function", "function" }, { "table", "table" }, { "memory", "memory" },
		{ "global", "global" }, { "tag", "tag" }, { "type", "type" }, { "module", "module" },
		{ "core instance", "instance" }, { "function", "function" }, { "value", "value" },
		{ "type", "type" }, { "component", "component" }, { "instance", "instance" },
	};
	if (idx >= s->items[sort].n) {
		cfail(x, off, "unknown %s %u: %s index out of bounds", what[sort][0], idx,
		      what[sort][1]);
		return NULL;
	}
	return &AVEC_AT(s->items[sort], citem, idx);
}

bool scope_push_item(cctx *x, cscope *s, csort sort, const citem *it, cdkind kind, size_t off,
                     cdef **dp)
{
	citem *slot;
	if (dp)
		*dp = NULL;
	if (s->items[sort].n >= C_MAX_ITEMS)
		return cfail(x, off, "%s count exceeds limit of %u", csort_name(sort), C_MAX_ITEMS);
	if (!(slot = avec_push(x->a, &s->items[sort], sizeof(*slot))))
		return coom(x, off);
	*slot = *it;
	if (s->kind != SC_COMPONENT)
		return true;
	cdef *d = avec_push(x->a, &s->defs, sizeof(*d));
	if (!d)
		return coom(x, off);
	d->kind = kind;
	d->sort = sort;
	d->index = s->items[sort].n - 1;
	d->offset = off;
	d->dtor = COPT_NONE;
	slot->def = s->defs.n - 1;
	if (dp)
		*dp = d;
	return true;
}

/* The item an extern declares, for its sort's index space. */
static void item_of_extern(const cextern *e, citem *it)
{
	memset(it, 0, sizeof(*it));
	it->module = e->module;
	it->func = e->func;
	it->value = e->value;
	it->type = e->type;
	it->comp = e->comp;
	it->inst = e->inst;
}

bool scope_entity(cctx *x, cscope *s, csort sort, uint32_t idx, cextern *e, size_t off)
{
	citem *it;
	memset(e, 0, sizeof(*e));
	e->sort = sort;
	if (sort == CS_VALUE)
		return cfail(x, off, "support for component model `value`s is not enabled");
	if (!(it = scope_item(x, s, sort, idx, off)))
		return false;
	e->module = it->module;
	e->func = it->func;
	e->type = it->type;
	e->comp = it->comp;
	e->inst = it->inst;
	return true;
}

/* ---- resources of instance types: freshened on import and export ---- */

/* Give the defined resources of *inst new identities, appended to list. */
static bool freshen_inst(cctx *x, const cinsttype **inst, avec *list, size_t off)
{
	cmap in = { .a = x->a }, memo = { 0 };
	const cinsttype *t = *inst;
	cinsttype *nt;
	bool ok = true;
	if (!t->ndefined)
		return true;
	for (uint32_t i = 0; ok && i < t->ndefined; i++) {
		const cresource *r = cres_new(x, NULL), **slot;
		if (!r || !cmap_put(&in, t->defined[i], r) || !(slot = avec_push(x->a, list, sizeof(*slot))))
			return coom(x, off);
		*slot = r;
	}
	const cinsttype *st = subst_inst(x, &in, &memo, t);
	cmap_free(&memo);
	if (!st || !(nt = ctype_alloc(x->a, sizeof(*nt))))
		return x->failed ? false : coom(x, off);
	*nt = *st;
	nt->ndefined = 0;
	nt->defined = NULL;
	*inst = nt;
	return true;
}

/* ---- imports and exports ---- */

static const char *entity_desc(csort s)
{
	switch (s) {
	case CS_CORE_MODULE: return "module";
	case CS_FUNC: return "func";
	case CS_VALUE: return "value";
	case CS_TYPE: return "type";
	case CS_INSTANCE: return "instance";
	default: return "component";
	}
}

static bool register_resource_name(cctx *x, crctx *rc, const cextern *e, const char *name,
                                   size_t off)
{
	const char **slot;
	if (e->sort != CS_TYPE || e->type.kind != CT_RESOURCE)
		return true;
	if (!cmap_put(&rc->names, e->type.res, name) || !(slot = avec_push(x->a, &rc->all, sizeof(*slot))))
		return coom(x, off);
	*slot = name;
	return true;
}

static bool add_extern(cctx *x, cscope *s, cext_dir dir, const cname_attr *na, cextern *e,
                       size_t off)
{
	bool imp = dir == CX_IMPORT;
	crctx *rc = imp ? &s->rimp : &s->rexp;
	avec *res = imp ? &s->imported_res : &s->defined_res;
	citem it;
	cdef *d;
	cextern *slot;
	e->name = na->name;
	e->name_len = na->len;
	if (e->sort == CS_INSTANCE && !freshen_inst(x, &e->inst, res, off))
		return false;
	if (e->sort == CS_TYPE && e->fresh) {
		const cresource **r = avec_push(x->a, res, sizeof(*r));
		if (!r)
			return coom(x, off);
		*r = e->type.res->res;
	}
	item_of_extern(e, &it);
	if (!scope_push_item(x, s, e->sort, &it, imp ? CD_IMPORT : CD_EXPORT, off, &d))
		return false;
	if (!(slot = avec_push(x->a, imp ? &s->imports : &s->exports, sizeof(*slot))))
		return coom(x, off);
	*slot = *e;
	if (d) {
		uint32_t *di = avec_push(x->a, imp ? &s->import_defs : &s->export_defs, sizeof(*di));
		if (!di)
			return coom(x, off);
		*di = s->defs.n - 1;
		d->ext = slot;
		d->name = na->name;
		d->name_len = na->len;
	}
	if (!register_resource_name(x, rc, e, na->name, off))
		return false;
	if (!named_entity(x, s, dir, e, true))
		return x->failed ? false
		                 : cfail(x, off, "%s not valid to be used as %s", entity_desc(e->sort),
		                         imp ? "import" : "export");
	return name_check_extern(x, s, rc, dir, na, e, off) &&
	       names_add(x, imp ? &s->import_names : &s->export_names, dir, na->name, na->len, off);
}

bool scope_add_import(cctx *x, cscope *s, const cname_attr *na, cextern *e, size_t off)
{
	return add_extern(x, s, CX_IMPORT, na, e, off);
}

bool scope_add_export(cctx *x, cscope *s, const cname_attr *na, cextern *e, size_t off)
{
	return add_extern(x, s, CX_EXPORT, na, e, off);
}

/* ---- the types of scopes ---- */

static uint32_t extern_depth(const cextern *e)
{
	if (e->sort == CS_INSTANCE)
		return e->inst->depth;
	if (e->sort == CS_COMPONENT)
		return e->comp->depth;
	if (e->sort == CS_TYPE && e->type.kind == CT_INSTANCE)
		return e->type.inst->depth;
	if (e->sort == CS_TYPE && e->type.kind == CT_COMPONENT)
		return e->type.comp->depth;
	return 0;
}

static uint32_t externs_depth(const avec *v)
{
	uint32_t d = 0;
	for (uint32_t i = 0; i < v->n; i++) {
		uint32_t e = extern_depth(&AVEC_AT(*v, cextern, i));
		if (e > d)
			d = e;
	}
	return d;
}

const ccomptype *scope_comptype(cctx *x, cscope *s)
{
	ccomptype *t = ctype_alloc(x->a, sizeof(*t));
	uint32_t di = externs_depth(&s->imports), de = externs_depth(&s->exports);
	if (!t)
		return coom(x, 0), NULL;
	t->nimports = s->imports.n;
	t->imports = s->imports.p;
	t->nexports = s->exports.n;
	t->exports = s->exports.p;
	t->nimported = s->imported_res.n;
	t->imported = s->imported_res.p;
	t->ndefined = s->defined_res.n;
	t->defined = s->defined_res.p;
	t->depth = 1 + (di > de ? di : de);
	if (t->depth > 100)
		return cfail(x, 0, "type nesting is too deep"), NULL;
	return t;
}

const cinsttype *scope_insttype(cctx *x, cscope *s)
{
	cinsttype *t = ctype_alloc(x->a, sizeof(*t));
	if (!t)
		return coom(x, 0), NULL;
	t->nexports = s->exports.n;
	t->exports = s->exports.p;
	t->ndefined = s->defined_res.n;
	t->defined = s->defined_res.p;
	t->depth = 1 + externs_depth(&s->exports);
	if (t->depth > 100)
		return cfail(x, 0, "type nesting is too deep"), NULL;
	return t;
}

/* ---- outer aliases ---- */

bool scope_alias_outer(cctx *x, cscope *s, csort sort, uint32_t count, uint32_t idx, size_t off,
                       citem *out)
{
	cscope *t = s, *inner = NULL;
	citem *it;
	for (uint32_t i = 0; i < count; i++) {
		inner = t;
		if (!(t = t->outer))
			return cfail(x, off, "invalid outer alias count of %u", count);
	}
	if (!(it = scope_item(x, t, sort, idx, off)))
		return false;
	*out = *it;
	out->def = 0;
	if (sort == CS_TYPE && inner && inner->kind == SC_COMPONENT) {
		cmap fv = { 0 };
		bool ok = free_res_any(x, &it->type, &fv);
		bool any = fv.n > 0;
		cmap_free(&fv);
		if (!ok)
			return false;
		if (any)
			return cfail(x, off, "cannot alias outer type which transitively refers to "
			                     "resources not defined in the current component");
	}
	return true;
}
