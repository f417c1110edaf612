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

#define TYPE_DEPTH_MAX 256

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

/* Static type a (resources through f's map) equals run-time type b. */
static bool type_eq(const cframe *f, const ctype *a, const ctype *b, unsigned depth)
{
	if (!a || !b)
		return a == b;
	if (a == b && !a->has_res)
		return true;
	if (depth > TYPE_DEPTH_MAX || a->kind != b->kind || a->n != b->n ||
	    a->fixed_len != b->fixed_len)
		return false;
	if (a->kind == WR_C_OWN || a->kind == WR_C_BORROW)
		return clink_res(f, a->res) == b->res;
	for (uint32_t i = 0; a->f && b->f && i < a->n; i++)
		if (!name_eq(a->f[i].name, b->f[i].name) ||
		    !type_eq(f, a->f[i].type, b->f[i].type, depth + 1))
			return false;
	if ((a->f == NULL) != (b->f == NULL))
		return false;
	return type_eq(f, a->elem, b->elem, depth + 1) && type_eq(f, a->err, b->err, depth + 1);
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
	if (ft->async)
		return false;
	for (uint32_t i = 0; i < ft->nparams; i++)
		if (!type_runnable(ft->params[i].type, 0))
			return false;
	return type_runnable(ft->result, 0);
}

static bool func_eq(const cframe *f, const cfunctype *a, const cfunctype *b)
{
	if (a->nparams != b->nparams || a->async != b->async)
		return false;
	for (uint32_t i = 0; i < a->nparams; i++)
		if (!name_eq(a->params[i].name, b->params[i].name) ||
		    !type_eq(f, a->params[i].type, b->params[i].type, 0))
			return false;
	return type_eq(f, a->result, b->result, 0);
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
	case CS_FUNC:
		if (check && !func_eq(f, e->func, it->func->f.type))
			return clink_fail(f->top, "import `%s`: function type mismatch", what);
		return true;
	case CS_VALUE:
		return clink_fail(f->top, "import `%s`: value imports are not supported", what);
	default:
		return true;
	}
}
