/*
 * subtype.c: type checking between component types: subtyping of entities
 * (instantiation arguments, export ascriptions), with the messages the
 * reference validator gives. Value and function types must be equal;
 * instances may export more, components import less and export more; core
 * modules likewise with core subtyping of limits.
 */
#include "cvalid.h"

#include <string.h>

/* ---- value types ---- */

static const char *prim_name(wr_ckind k)
{
	static const char *const n[] = {
		"bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64",
		"f32", "f64", "char", "string",
	};
	if ((unsigned)k <= WR_C_STRING)
		return n[k];
	return k == CK_ERRCTX ? "error-context" : "?";
}

static bool is_prim_kind(wr_ckind k)
{
	return (unsigned)k <= WR_C_STRING || k == CK_ERRCTX;
}

/* A primitive written directly (not a defined type of its own). */
static bool is_direct_prim(const ctype *t)
{
	return t == vt_errctx() || ((unsigned)t->kind <= WR_C_STRING && t == ctype_prim(t->kind));
}

static const char *defined_desc(const ctype *t)
{
	switch ((int)t->kind) {
	case WR_C_RECORD: return "record";
	case WR_C_VARIANT: return "variant";
	case WR_C_LIST: return "list";
	case WR_C_TUPLE: return "tuple";
	case WR_C_FLAGS: return "flags";
	case WR_C_ENUM: return "enum";
	case WR_C_OPTION: return "option";
	case WR_C_RESULT: return "result";
	case WR_C_OWN: return "own";
	case WR_C_BORROW: return "borrow";
	case CK_STREAM: return "stream";
	case CK_FUTURE: return "future";
	case CK_MAP: return "map";
	default: return "primitive";
	}
}

static bool same_label(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (n != strlen(b))
		return false;
	for (size_t i = 0; i < n; i++) {
		char ca = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] + 32) : a[i];
		char cb = b[i] >= 'A' && b[i] <= 'Z' ? (char)(b[i] + 32) : b[i];
		if (ca != cb)
			return false;
	}
	return true;
}

static bool sub_prim(cctx *x, wr_ckind a, wr_ckind b, size_t off)
{
	if (a == b)
		return true;
	return cfail(x, off, "expected primitive `%s` found primitive `%s`", prim_name(b),
	             prim_name(a));
}

/* An optional part (variant case, result ok/err, stream/future element). */
static bool sub_opt(cctx *x, const ctype *a, const ctype *b, const char *what, const char *ctx,
                    size_t off)
{
	if (!a && !b)
		return true;
	if (a && b)
		return sub_val(x, a, b, off) || cwrap(x, "%s", ctx);
	if (b)
		return cfail(x, off, "expected %s type, but found none", what);
	return cfail(x, off, "expected %s type to not be present", what);
}

static bool sub_fields(cctx *x, const ctype *a, const ctype *b, size_t off)
{
	bool rec = a->kind == WR_C_RECORD;
	if (a->n != b->n)
		return cfail(x, off, "expected %u %s, found %u", b->n, rec ? "fields" : "cases", a->n);
	for (uint32_t i = 0; i < a->n; i++) {
		const cfield *fa = &a->f[i], *fb = &b->f[i];
		if (!same_label(fa->name, fb->name))
			return cfail(x, off, rec ? "expected field name `%s`, found `%s`"
			                         : "expected case named `%s`, found `%s`", fb->name, fa->name);
		if (rec) {
			if (!sub_val(x, fa->type, fb->type, off))
				return cwrap(x, "type mismatch in record field `%s`", fa->name);
		} else if (fa->type && fb->type) {
			if (!sub_val(x, fa->type, fb->type, off))
				return cwrap(x, "type mismatch in variant case `%s`", fa->name);
		} else if (fb->type) {
			return cfail(x, off, "expected case `%s` to have a type, found none", fa->name);
		} else if (fa->type) {
			return cfail(x, off, "expected case `%s` to have no type", fa->name);
		}
	}
	return true;
}

static bool sub_labels(cctx *x, const ctype *a, const ctype *b, size_t off)
{
	bool ok = a->n == b->n;
	for (uint32_t i = 0; ok && i < a->n; i++)
		ok = same_label(a->f[i].name, b->f[i].name);
	return ok ? true : cfail(x, off, "mismatch in %s elements",
	                         a->kind == WR_C_FLAGS ? "flags" : "enum");
}

static bool sub_tuple(cctx *x, const ctype *a, const ctype *b, size_t off)
{
	if (a->n != b->n)
		return cfail(x, off, "expected %u types, found %u", b->n, a->n);
	for (uint32_t i = 0; i < a->n; i++)
		if (!sub_val(x, a->f[i].type, b->f[i].type, off))
			return cwrap(x, "type mismatch in tuple field %u", i);
	return true;
}

/* Two defined types of the same kind. */
static bool sub_same_kind(cctx *x, const ctype *a, const ctype *b, size_t off)
{
	switch ((int)a->kind) {
	case WR_C_RECORD: case WR_C_VARIANT: return sub_fields(x, a, b, off);
	case WR_C_FLAGS: case WR_C_ENUM: return sub_labels(x, a, b, off);
	case WR_C_TUPLE: return sub_tuple(x, a, b, off);
	case WR_C_LIST:
		if (a->fixed_len != b->fixed_len)
			return cfail(x, off, "expected fixed size %u, found size %u", b->fixed_len,
			             a->fixed_len);
		return sub_val(x, a->elem, b->elem, off);
	case WR_C_OPTION: return sub_val(x, a->elem, b->elem, off);
	case WR_C_RESULT:
		return sub_opt(x, a->elem, b->elem, "ok", "type mismatch in ok variant", off) &&
		       sub_opt(x, a->err, b->err, "err", "type mismatch in err variant", off);
	case WR_C_OWN: case WR_C_BORROW:
		return a->res == b->res ? true : cfail(x, off, "resource types are not the same");
	case CK_STREAM: case CK_FUTURE:
		return sub_opt(x, a->elem, b->elem, a->kind == CK_STREAM ? "stream" : "future",
		               a->kind == CK_STREAM ? "type mismatch in stream"
		                                    : "type mismatch in future", off);
	case CK_MAP:
		return sub_val(x, a->elem, b->elem, off) && sub_val(x, a->err, b->err, off);
	default:
		return sub_prim(x, a->kind, b->kind, off);
	}
}

/* Is value type a a subtype of b (equal, in this implementation)? */
bool sub_val(cctx *x, const ctype *a, const ctype *b, size_t off)
{
	bool pa, pb, found;
	if (a == b || cmap_get(&x->eq_memo, a, &found) == b)
		return true;
	pa = is_prim_kind(a->kind);
	pb = is_prim_kind(b->kind);
	if (pa && pb)
		return sub_prim(x, a->kind, b->kind, off);
	if (pa)
		return cfail(x, off, "expected %s, found %s", defined_desc(b), prim_name(a->kind));
	if (pb)
		return cfail(x, off, "expected %s, found %s",
		             is_direct_prim(b) ? prim_name(b->kind) : "primitive", defined_desc(a));
	if (a->kind != b->kind)
		return cfail(x, off, "expected %s, found %s", defined_desc(b), defined_desc(a));
	if (!sub_same_kind(x, a, b, off))
		return false;
	if (!cmap_put(&x->eq_memo, a, b))
		return coom(x, off);
	return true;
}

/* ---- functions, instances, components, modules ---- */

bool sub_func(cctx *x, const cfunctype *a, const cfunctype *b, size_t off)
{
	if (a == b)
		return true;
	if (a->nparams != b->nparams)
		return cfail(x, off, "expected %u parameters, found %u", b->nparams, a->nparams);
	for (uint32_t i = 0; i < a->nparams; i++) {
		if (!same_label(a->params[i].name, b->params[i].name))
			return cfail(x, off, "expected parameter named `%s`, found `%s`", b->params[i].name,
			             a->params[i].name);
		if (!sub_val(x, a->params[i].type, b->params[i].type, off))
			return cwrap(x, "type mismatch in function parameter `%s`", a->params[i].name);
	}
	if (a->result && b->result)
		return sub_val(x, a->result, b->result, off) || cwrap(x, "type mismatch with result type");
	if (a->result && !b->result)
		return cfail(x, off, "expected a result, found none");
	if (!a->result && b->result)
		return cfail(x, off, "expected no result, found one");
	return true;
}

static bool sub_inst(cctx *x, const cinsttype *a, const cinsttype *b, size_t off)
{
	if (a == b)
		return true;
	for (uint32_t i = 0; i < b->nexports; i++)
		if (!cx_find(x, a->exports, a->nexports, b->exports[i].name, b->exports[i].name_len))
			return cfail(x, off, "missing expected export `%s`", b->exports[i].name);
	for (uint32_t i = 0; i < b->nexports; i++) {
		const cextern *be = &b->exports[i];
		const cextern *ae = cx_find(x, a->exports, a->nexports, be->name, be->name_len);
		if (!sub_entity(x, ae, be, off))
			return cwrap(x, "type mismatch in instance export `%s`", be->name);
	}
	return true;
}

/* a <: b for components: b's imports satisfy a's, then a's exports (with
 * the resources those bound) satisfy b's. */
static bool sub_comp(cctx *x, const ccomptype *a, const ccomptype *b, size_t off)
{
	cmap res = { 0 }, ren = { 0 }, memo = { 0 }, res2 = { 0 }, ren2 = { 0 };
	cextern *ax = NULL;
	bool ok;
	if (a == b)
		return true;
	ok = sub_open(x, b->imports, b->nimports, a->imports, a->nimports, a->imported,
	              a->nimported, CX_IMPORT, &res, &ren, off);
	for (uint32_t i = 0; ok && i < ren.cap; i++)
		if (ren.keys[i])
			ok = cmap_put(&res, ren.keys[i], ren.vals[i]) || coom(x, off);
	if (ok && a->nexports && !(ax = ctype_alloc(x->a, a->nexports * sizeof(*ax))))
		ok = coom(x, off);
	for (uint32_t i = 0; ok && i < a->nexports; i++)
		ok = subst_extern(x, &res, &memo, &a->exports[i], &ax[i]);
	if (ok)
		ok = sub_open(x, ax, a->nexports, b->exports, b->nexports, b->defined, b->ndefined,
		              CX_EXPORT, &res2, &ren2, off);
	cmap_free(&res);
	cmap_free(&ren);
	cmap_free(&memo);
	cmap_free(&res2);
	cmap_free(&ren2);
	return ok;
}

static const char *core_desc(ccext_kind k)
{
	static const char *const n[] = { "func", "table", "memory", "global", "tag" };
	return (unsigned)k <= CX_TAG ? n[k] : "?";
}

static bool limits_match(const wr_limits *a, const wr_limits *b)
{
	return a->min >= b->min && (!b->has_max || (a->has_max && a->max <= b->max));
}

bool sub_core_ext(cctx *x, const ccext *a, const ccext *b, size_t off)
{
	char da[96], db[96];
	if (a->kind != b->kind)
		return cfail(x, off, "expected %s, found %s", core_desc(b->kind), core_desc(a->kind));
	switch (a->kind) {
	case CX_FUNC:
	case CX_TAG:
		if (vt_core_func_equal(a->func, b->func))
			return true;
		vt_core_func_desc(b->func, db, sizeof(db));
		vt_core_func_desc(a->func, da, sizeof(da));
		return cfail(x, off, "type mismatch: expected: %s, found: %s", db, da);
	case CX_TABLE:
		if (a->table.elem != b->table.elem)
			return cfail(x, off, "expected table element type %s, found %s",
			             vt_core_valtype_name(b->table.elem), vt_core_valtype_name(a->table.elem));
		return limits_match(&a->table.limits, &b->table.limits)
		               ? true : cfail(x, off, "mismatch in table limits");
	case CX_MEMORY:
		if (a->shared != b->shared)
			return cfail(x, off, "mismatch in the shared flag for memories");
		if (a->is64 != b->is64)
			return cfail(x, off, "mismatch in index type used for memories");
		return limits_match(&a->memory, &b->memory) ? true
		                                            : cfail(x, off, "mismatch in memory limits");
	default:
		if (a->global.mut != b->global.mut)
			return cfail(x, off, "global types differ in mutability");
		if (a->global.type != b->global.type)
			return cfail(x, off, "expected global type %s, found %s",
			             vt_core_valtype_name(b->global.type), vt_core_valtype_name(a->global.type));
		return true;
	}
}

static bool same_str(const char *a, uint32_t al, const char *b, uint32_t bl)
{
	return al == bl && memcmp(a, b, al) == 0;
}

/* The import of b with ai's two names (module types hold few imports of a
 * kind that differ: linear). */
static const ccore_import *find_import(const cmodtype *b, const ccore_import *ai)
{
	for (uint32_t j = 0; j < b->nimports; j++)
		if (same_str(ai->module, ai->module_len, b->imports[j].module, b->imports[j].module_len) &&
		    same_str(ai->name, ai->name_len, b->imports[j].name, b->imports[j].name_len))
			return &b->imports[j];
	return NULL;
}

bool sub_module(cctx *x, const cmodtype *a, const cmodtype *b, size_t off)
{
	if (a == b)
		return true;
	for (uint32_t i = 0; i < a->nimports; i++) {
		const ccore_import *ai = &a->imports[i], *bi = find_import(b, ai);
		if (!bi)
			return cfail(x, off, "missing expected import `%s::%s`", ai->module, ai->name);
		if (!sub_core_ext(x, &bi->type, &ai->type, off))
			return cwrap(x, "type mismatch in import `%s::%s`", ai->module, ai->name);
	}
	for (uint32_t i = 0; i < b->nexports; i++) {
		const ccore_export *be = &b->exports[i];
		const ccore_export *ae = cx_find_core(x, a->exports, a->nexports, be->name, be->name_len);
		if (!ae)
			return cfail(x, off, "missing expected export `%s`", be->name);
		if (!sub_core_ext(x, &ae->type, &be->type, off))
			return cwrap(x, "type mismatch in export `%s`", be->name);
	}
	return true;
}

/* ---- types and entities ---- */

static const char *any_desc(ctkind k)
{
	switch (k) {
	case CT_RESOURCE: return "resource";
	case CT_VAL: return "defined type";
	case CT_FUNC: return "func";
	case CT_INSTANCE: return "instance";
	default: return "component";
	}
}

static bool sub_any(cctx *x, const cany *a, const cany *b, size_t off)
{
	static const char *const found[] = {
		[CT_VAL] = "defined type", [CT_FUNC] = "func type", [CT_COMPONENT] = "component type",
		[CT_INSTANCE] = "instance type", [CT_RESOURCE] = "resource",
	};
	if (a->kind != b->kind)
		return cfail(x, off, "expected %s, found %s", any_desc(b->kind), found[a->kind]);
	switch (a->kind) {
	case CT_RESOURCE:
		return a->res->res == b->res->res ? true
		                                  : cfail(x, off, "resource types are not the same");
	case CT_VAL: return sub_val(x, a->val, b->val, off);
	case CT_FUNC: return sub_func(x, a->func, b->func, off);
	case CT_INSTANCE: return sub_inst(x, a->inst, b->inst, off);
	default: return sub_comp(x, a->comp, b->comp, off);
	}
}

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

bool sub_entity(cctx *x, const cextern *a, const cextern *b, size_t off)
{
	if (a->sort != b->sort)
		return cfail(x, off, "expected %s, found %s", entity_desc(b->sort), entity_desc(a->sort));
	switch (a->sort) {
	case CS_CORE_MODULE: return sub_module(x, a->module, b->module, off);
	case CS_FUNC: return sub_func(x, a->func, b->func, off);
	case CS_VALUE: return sub_val(x, a->value, b->value, off);
	case CS_TYPE: return sub_any(x, &a->type, &b->type, off);
	case CS_INSTANCE: return sub_inst(x, a->inst, b->inst, off);
	default: return sub_comp(x, a->comp, b->comp, off);
	}
}

/* ---- instantiation: binding resources, then checking ---- */

/* The path of resource r among v (indices through instance exports), into
 * path[0..*depth); false if r is not declared there. */
static bool res_path(const cextern *v, uint32_t n, const cresource *r, uint32_t *path,
                     uint32_t *depth, uint32_t max)
{
	if (*depth >= max)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		const cextern *e = &v[i];
		path[*depth] = i;
		if (e->sort == CS_TYPE && e->type.kind == CT_RESOURCE && e->type.res->res == r) {
			(*depth)++;
			return true;
		}
		if (e->sort == CS_INSTANCE) {
			uint32_t d = *depth + 1;
			if (res_path(e->inst->exports, e->inst->nexports, r, path, &d, max)) {
				*depth = d;
				return true;
			}
		}
	}
	return false;
}

/* Follow path (names from exp) through args; the resource found, or NULL. */
static const cresource *follow_path(cctx *x, const cextern *args, uint32_t nargs,
                                    const cextern *exp, const uint32_t *path, uint32_t depth)
{
	const cextern *e = &exp[path[0]];
	const cextern *a = cx_find(x, args, nargs, e->name, e->name_len);
	for (uint32_t i = 1; a && i < depth; i++) {
		if (a->sort != CS_INSTANCE || e->sort != CS_INSTANCE)
			return NULL;
		e = &e->inst->exports[path[i]];
		a = cx_find(x, a->inst->exports, a->inst->nexports, e->name, e->name_len);
	}
	if (a && a->sort == CS_TYPE && a->type.kind == CT_RESOURCE)
		return a->type.res->res;
	return NULL;
}

/* Record that the type declarations of expected are satisfied by actual's. */
static bool renamings(cctx *x, const cextern *actual, const cextern *expected, cmap *ren,
                      size_t off)
{
	if (expected->sort == CS_TYPE && actual->sort == CS_TYPE) {
		const void *from = expected->type.kind == CT_VAL ? (const void *)expected->type.val
		                 : expected->type.kind == CT_RESOURCE ? (const void *)expected->type.res
		                 : NULL;
		const void *to = actual->type.kind == CT_VAL ? (const void *)actual->type.val
		               : actual->type.kind == CT_RESOURCE ? (const void *)actual->type.res : NULL;
		if (from && to && from != to && !cmap_put(ren, from, to))
			return coom(x, off);
		return true;
	}
	if (expected->sort == CS_INSTANCE && actual->sort == CS_INSTANCE) {
		const cinsttype *ei = expected->inst, *ai = actual->inst;
		for (uint32_t i = 0; i < ei->nexports; i++) {
			const cextern *a = cx_find(x, ai->exports, ai->nexports, ei->exports[i].name,
			                               ei->exports[i].name_len);
			if (a && !renamings(x, a, &ei->exports[i], ren, off))
				return false;
		}
	}
	return true;
}

bool sub_open(cctx *x, const cextern *args, uint32_t nargs, const cextern *exp, uint32_t nexp,
              const cresource *const *res, uint32_t nres, cext_dir dir, cmap *resmap,
              cmap *renames, size_t off)
{
	const char *what = dir == CX_IMPORT ? "import" : "export";
	uint32_t path[64];
	for (uint32_t i = 0; i < nres; i++) {
		uint32_t depth = 0;
		const cresource *to;
		if (!res_path(exp, nexp, res[i], path, &depth, 64))
			continue;
		to = follow_path(x, args, nargs, exp, path, depth);
		if (to && !cmap_put(resmap, res[i], to))
			return coom(x, off);
	}
	for (uint32_t i = 0; i < nexp; i++)
		if (!cx_find(x, args, nargs, exp[i].name, exp[i].name_len))
			return cfail(x, off, "missing %s named `%s`", what, exp[i].name);
	for (uint32_t i = 0; i < nexp; i++) {
		const cextern *a = cx_find(x, args, nargs, exp[i].name, exp[i].name_len);
		cmap memo = { 0 };
		cextern e;
		bool ok = subst_extern(x, resmap, &memo, &exp[i], &e);
		cmap_free(&memo);
		if (!ok)
			return false;
		if (!sub_entity(x, a, &e, off))
			return cwrap(x, "type mismatch for %s `%s`", what, exp[i].name);
		if (!renamings(x, a, &exp[i], renames, off))
			return false;
	}
	return true;
}
