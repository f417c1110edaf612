/*
 * vdefs.c: validation of the definitions that connect index spaces: core
 * and component instances (instantiation with arguments checked against
 * the imports, or bags of exports), aliases (export, core export, outer),
 * extern types of imports, and exports with their ascribed types.
 */
#include "cvalid.h"

#include <string.h>

/* ---- core instances ---- */

/* The first index i whose name repeats an earlier one, or n; *prev that
 * earlier index. False when out of memory. */
static bool first_dup(cctx *x, const char *const *names, const uint32_t *lens, size_t stride,
                      uint32_t n, uint32_t *dup, uint32_t *prev, size_t off)
{
	cstrset set = { 0 };
	*dup = n;
	for (uint32_t i = 0; i < n; i++) {
		const char *name = *(const char *const *)((const char *)names + i * stride);
		uint32_t len = *(const uint32_t *)((const char *)lens + i * stride);
		uint32_t j = cstrset_add(&set, name, len, i);
		if (j == CSTR_OOM) {
			cstrset_free(&set);
			return coom(x, off);
		}
		if (j != CSTR_ADDED) {
			*dup = i, *prev = j;
			break;
		}
	}
	cstrset_free(&set);
	return true;
}

#define FIRST_DUP(x, v, n, dup, prev, off) \
	first_dup((x), &(v)[0].name, &(v)[0].name_len, sizeof((v)[0]), (n), (dup), (prev), (off))

/* Each import of the module must be found in the argument named by its
 * module name, with a subtype. */
static bool core_args_check(cctx *x, cscope *s, const cmodtype *mt, const ccore_arg *args,
                            uint32_t n, const cstrset *argset, size_t off)
{
	for (uint32_t i = 0; i < mt->nimports; i++) {
		const ccore_import *im = &mt->imports[i];
		const ccore_arg *arg = NULL;
		const ccore_export *ex;
		citem *it;
		uint32_t j = cstrset_find(argset, im->module, im->module_len);
		if (j < n)
			arg = &args[j];
		if (!arg)
			return cfail(x, off, "missing module instantiation argument named `%s`",
			             im->module);
		if (!(it = scope_item(x, s, CS_CORE_INSTANCE, arg->instance, off)))
			return false;
		if (!(ex = cx_find_core(x, it->core_inst->exports, it->core_inst->nexports, im->name, im->name_len)))
			return cfail(x, off, "module instantiation argument `%s` does not export an "
			             "item named `%s`", im->module, im->name);
		if (!sub_core_ext(x, &ex->type, &im->type, off))
			return cwrap(x, "type mismatch for export `%s` of module instantiation argument "
			             "`%s`", im->name, im->module);
	}
	return true;
}

bool v_core_instantiate(cctx *x, cscope *s, uint32_t module, const ccore_arg *args, uint32_t n,
                        size_t off)
{
	citem *m = scope_item(x, s, CS_CORE_MODULE, module, off);
	ccoreinst *t;
	cdef *d;
	if (!m)
		return false;
	const cmodtype *mt = m->module;
	cstrset argset = { 0 };
	bool ok = true;
	for (uint32_t i = 0; ok && i < n; i++) {
		uint32_t j;
		if (!scope_item(x, s, CS_CORE_INSTANCE, args[i].instance, off))
			ok = false;
		else if ((j = cstrset_add(&argset, args[i].name, args[i].name_len, i)) == CSTR_OOM)
			ok = coom(x, off);
		else if (j != CSTR_ADDED)
			ok = cfail(x, off, "duplicate module instantiation argument named `%s`",
			           args[i].name);
	}
	ok = ok && core_args_check(x, s, mt, args, n, &argset, off);
	cstrset_free(&argset);
	if (!ok)
		return false;
	if (!(t = ctype_alloc(x->a, sizeof(*t))))
		return coom(x, off);
	t->nexports = mt->nexports;
	t->exports = mt->exports;
	citem it = { .core_inst = t };
	if (!scope_push_item(x, s, CS_CORE_INSTANCE, &it, CD_CORE_INSTANTIATE, off, &d))
		return false;
	if (d) {
		d->index0 = module;
		d->nargs = n;
		d->core_args = args;
	}
	return true;
}

/* The core extern type of item idx of a core sort. */
static bool core_item_ext(cctx *x, cscope *s, csort sort, uint32_t idx, ccext *e, size_t off)
{
	citem *it = scope_item(x, s, sort, idx, off);
	if (!it)
		return false;
	*e = it->core;
	e->kind = sort == CS_CORE_FUNC ? CX_FUNC : sort == CS_CORE_TABLE ? CX_TABLE
	        : sort == CS_CORE_MEMORY ? CX_MEMORY : sort == CS_CORE_GLOBAL ? CX_GLOBAL : CX_TAG;
	if (sort == CS_CORE_FUNC || sort == CS_CORE_TAG)
		e->func = it->core_func;
	return true;
}

bool v_core_exports(cctx *x, cscope *s, const carg *args, uint32_t n, size_t off)
{
	ccore_export *ex = ctype_alloc(x->a, (n + 1) * sizeof(*ex));
	ccoreinst *t = ctype_alloc(x->a, sizeof(*t));
	cdef *d;
	if (!ex || !t)
		return coom(x, off);
	uint32_t dup, prev;
	if (!FIRST_DUP(x, args, n, &dup, &prev, off))
		return false;
	if (dup < n)
		return cfail(x, off, "duplicate instantiation export name `%s` already defined",
		             args[dup].name);
	for (uint32_t i = 0; i < n; i++) {
		ex[i].name = args[i].name;
		ex[i].name_len = args[i].name_len;
		if (!core_item_ext(x, s, args[i].sort, args[i].index, &ex[i].type, off))
			return false;
	}
	t->nexports = n;
	t->exports = ex;
	citem it = { .core_inst = t };
	if (!scope_push_item(x, s, CS_CORE_INSTANCE, &it, CD_CORE_EXPORTS, off, &d))
		return false;
	if (d) {
		d->nargs = n;
		d->args = args;
	}
	return true;
}

/* ---- component instances ---- */

/* The externs an argument list supplies (types keep their identity). */
static bool arg_externs(cctx *x, cscope *s, const carg *args, uint32_t n, cextern **out,
                        size_t off)
{
	cextern *v = ctype_alloc(x->a, (n + 1) * sizeof(*v));
	if (!v)
		return coom(x, off);
	for (uint32_t i = 0; i < n; i++) {
		if (!scope_entity(x, s, args[i].sort, args[i].index, &v[i], off))
			return false;
		v[i].name = args[i].name;
		v[i].name_len = args[i].name_len;
	}
	*out = v;
	return true;
}

/* The instance type of instantiating ct with args: its exports, with the
 * imported resources bound to the arguments', the types it imports renamed
 * to the arguments', and the resources it defines fresh. */
static const cinsttype *instance_type(cctx *x, cscope *s, const ccomptype *ct,
                                      const cextern *args, uint32_t n, size_t off)
{
	cmap res = { 0 }, ren = { 0 }, memo = { 0 };
	cinsttype *t = ctype_alloc(x->a, sizeof(*t));
	cextern *ex = ctype_alloc(x->a, (ct->nexports + 1) * sizeof(*ex));
	bool ok = t && ex ? true : coom(x, off);
	if (ok)
		ok = sub_open(x, args, n, ct->imports, ct->nimports, ct->imported, ct->nimported,
		              CX_IMPORT, &res, &ren, off);
	for (uint32_t i = 0; ok && i < ren.cap; i++)
		if (ren.keys[i] && !cmap_put(&res, ren.keys[i], ren.vals[i]))
			ok = coom(x, off);
	for (uint32_t i = 0; ok && i < ct->ndefined; i++) {
		const cresource *r = cres_new(x, NULL), **slot;
		if (!r || !cmap_put(&res, ct->defined[i], r) ||
		    !(slot = avec_push(x->a, &s->defined_res, sizeof(*slot))))
			ok = coom(x, off);
		else
			*slot = r;
	}
	for (uint32_t i = 0; ok && i < ct->nexports; i++)
		ok = subst_extern(x, &res, &memo, &ct->exports[i], &ex[i]);
	cmap_free(&res);
	cmap_free(&ren);
	cmap_free(&memo);
	if (!ok)
		return NULL;
	t->nexports = ct->nexports;
	t->exports = ex;
	t->depth = ct->depth;
	return t;
}

bool v_instantiate(cctx *x, cscope *s, uint32_t comp, const carg *args, uint32_t n, size_t off)
{
	citem *c = scope_item(x, s, CS_COMPONENT, comp, off);
	cextern *v;
	cdef *d;
	if (!c)
		return false;
	const ccomptype *ct = c->comp;
	uint32_t dup, prev;
	if (!FIRST_DUP(x, args, n, &dup, &prev, off))
		return false;
	if (dup < n)
		return cfail(x, off, "instantiation argument `%s` conflicts with previous argument "
		             "`%s`", args[dup].name, args[prev].name);
	if (!arg_externs(x, s, args, n, &v, off))
		return false;
	citem it = { .inst = instance_type(x, s, ct, v, n, off) };
	if (!it.inst)
		return false;
	if (!scope_push_item(x, s, CS_INSTANCE, &it, CD_INSTANTIATE, off, &d))
		return false;
	if (d) {
		d->index0 = comp;
		d->nargs = n;
		d->args = args;
	}
	return true;
}

bool v_exports(cctx *x, cscope *s, const carg *args, const cname_attr *attrs, uint32_t n,
               size_t off)
{
	cinsttype *t = ctype_alloc(x->a, sizeof(*t));
	cnames names = { 0 };
	crctx rc = { .names = { .a = x->a } };
	uint32_t depth = 0;
	cextern *v;
	cdef *d;
	if (!t)
		return coom(x, off);
	if (!arg_externs(x, s, args, n, &v, off))
		return false;
	for (uint32_t i = 0; i < n; i++) {
		if (!name_check_extern(x, s, &rc, CX_EXPORT, &attrs[i], &v[i], off) ||
		    !names_add(x, &names, CX_EXPORT, attrs[i].name, attrs[i].len, off))
			return false;
		if (v[i].sort == CS_INSTANCE && v[i].inst->depth > depth)
			depth = v[i].inst->depth;
		if (v[i].sort == CS_COMPONENT && v[i].comp->depth > depth)
			depth = v[i].comp->depth;
	}
	t->nexports = n;
	t->exports = v;
	t->depth = depth + 1;
	if (t->depth > 100)
		return cfail(x, off, "type nesting is too deep");
	citem it = { .inst = t };
	if (!scope_push_item(x, s, CS_INSTANCE, &it, CD_EXPORTS, off, &d))
		return false;
	if (d) {
		d->nargs = n;
		d->args = args;
	}
	return true;
}

/* ---- aliases ---- */

static bool alias_allowed(cctx *x, cscope *s, csort sort, bool outer, size_t off)
{
	if (s->kind == SC_COMPONENT)
		return true;
	if (outer ? (sort == CS_TYPE || sort == CS_CORE_TYPE) : (sort == CS_TYPE || sort == CS_INSTANCE))
		return true;
	return cfail(x, off, "aliases in a component or instance type may only refer to types or "
	             "instances");
}

bool v_alias_outer(cctx *x, cscope *s, csort sort, uint32_t count, uint32_t idx, size_t off)
{
	citem it;
	cdef *d;
	if (!alias_allowed(x, s, sort, true, off) ||
	    !scope_alias_outer(x, s, sort, count, idx, off, &it) ||
	    !scope_push_item(x, s, sort, &it, CD_ALIAS_OUTER, off, &d))
		return false;
	if (d) {
		d->count = count;
		d->index0 = idx;
	}
	return true;
}

static const char *sort_desc(csort s)
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

bool v_alias_export(cctx *x, cscope *s, csort sort, uint32_t inst, const char *name,
                    uint32_t len, size_t off)
{
	citem *i, it;
	const cextern *e = NULL;
	cdef *d;
	if (!alias_allowed(x, s, sort, false, off) || !(i = scope_item(x, s, CS_INSTANCE, inst, off)))
		return false;
	e = cx_find(x, i->inst->exports, i->inst->nexports, name, len);
	if (!e)
		return cfail(x, off, "instance %u has no export named `%s`", inst, name);
	if (e->sort != sort)
		return cfail(x, off, "export `%s` for instance %u is not a %s", name, inst,
		             sort_desc(sort));
	memset(&it, 0, sizeof(it));
	it.module = e->module;
	it.func = e->func;
	it.value = e->value;
	it.type = e->type;
	it.comp = e->comp;
	it.inst = e->inst;
	if (!scope_push_item(x, s, sort, &it, CD_ALIAS_EXPORT, off, &d))
		return false;
	if (d) {
		d->index0 = inst;
		d->name = name;
		d->name_len = len;
	}
	return true;
}

bool v_alias_core_export(cctx *x, cscope *s, csort sort, uint32_t inst, const char *name,
                         uint32_t len, size_t off)
{
	static const char *const what[] = { "function", "table", "memory", "global", "tag" };
	const ccore_export *e;
	citem *i, it = { 0 };
	cdef *d;
	if (!alias_allowed(x, s, sort, false, off) ||
	    !(i = scope_item(x, s, CS_CORE_INSTANCE, inst, off)))
		return false;
	if (!(e = cx_find_core(x, i->core_inst->exports, i->core_inst->nexports, name, len)))
		return cfail(x, off, "core instance %u has no export named `%s`", inst, name);
	if ((int)e->type.kind != (int)(sort - CS_CORE_FUNC))
		return cfail(x, off, "export `%s` for core instance %u is not a %s", name, inst,
		             what[sort - CS_CORE_FUNC]);
	it.core = e->type;
	it.core_func = e->type.func;
	if (!scope_push_item(x, s, sort, &it, CD_ALIAS_CORE_EXPORT, off, &d))
		return false;
	if (d) {
		d->index0 = inst;
		d->name = name;
		d->name_len = len;
	}
	return true;
}

/* ---- extern types ---- */

bool v_externtype(cctx *x, cscope *s, uint8_t b, uint32_t idx, cextern *e, size_t off)
{
	citem *it;
	if (b == 0x00) {
		if (!(it = scope_item(x, s, CS_CORE_TYPE, idx, off)))
			return false;
		if (it->core_type.kind != CCT_MODULE)
			return cfail(x, off, "core type index %u is not a module type", idx);
		e->sort = CS_CORE_MODULE;
		e->module = it->core_type.module;
		return true;
	}
	if (!(it = scope_item(x, s, CS_TYPE, idx, off)))
		return false;
	switch (b) {
	case 0x01:
		if (it->type.kind != CT_FUNC)
			return cfail(x, off, "type index %u is not a function type", idx);
		e->sort = CS_FUNC;
		e->func = it->type.func;
		return true;
	case 0x04:
		if (it->type.kind != CT_COMPONENT)
			return cfail(x, off, "type index %u is not a component type", idx);
		e->sort = CS_COMPONENT;
		e->comp = it->type.comp;
		return true;
	default:
		if (it->type.kind != CT_INSTANCE)
			return cfail(x, off, "type index %u is not an instance type", idx);
		e->sort = CS_INSTANCE;
		e->inst = it->type.inst;
		return true;
	}
}

/* A new identity for a type that is imported, exported or aliased. */
static bool type_copy(cctx *x, cany *t)
{
	if (t->kind == CT_VAL)
		return (t->val = vt_copy(x, t->val)) != NULL;
	if (t->kind == CT_RESOURCE)
		return (t->res = vt_res_copy(x, t->res)) != NULL;
	return true;
}

bool v_type_bound(cctx *x, crd *r, cscope *s, cextern *e, size_t off)
{
	uint32_t idx;
	size_t at = crd_off(r);
	uint8_t b;
	citem *it;
	e->sort = CS_TYPE;
	if (!crd_byte(r, &b))
		return false;
	if (b == 0x01) {
		crestype *rt = ctype_alloc(x->a, sizeof(*rt));
		if (!rt || !(rt->res = cres_new(x, NULL)))
			return coom(x, off);
		e->type.kind = CT_RESOURCE;
		e->type.res = rt;
		e->fresh = true;
		return true;
	}
	if (b != 0x00)
		return crd_bad_byte(r, at, b, "type bound");
	if (!crd_u32(r, &idx) || !(it = scope_item(x, s, CS_TYPE, idx, off)))
		return false;
	e->type = it->type;
	return type_copy(x, &e->type);
}

bool v_export(cctx *x, cscope *s, const cname_attr *na, csort sort, uint32_t idx,
              const cextern *ascribed, size_t off)
{
	cextern e;
	if (!scope_entity(x, s, sort, idx, &e, off))
		return false;
	if (sort == CS_TYPE && !type_copy(x, &e.type))
		return false;
	if (ascribed) {
		if (!sub_entity(x, &e, ascribed, off))
			return cwrap(x, "ascribed type of export is not compatible with item's type");
		e = *ascribed;
	}
	if (!scope_add_export(x, s, na, &e, off))
		return false;
	AVEC_AT(s->defs, cdef, s->defs.n - 1).index0 = idx;
	return true;
}
