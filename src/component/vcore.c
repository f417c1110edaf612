/*
 * vcore.c: the core side of components: core types (function types, the
 * Wasm 3.0 rec/sub forms as far as components use them, module types with
 * their declarations), core extern types and their limits, the type of a
 * nested core module (read from wr_module), core function types.
 */
#include "cvalid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- core function types ---- */

const wr_functype *vt_core_functype(cctx *x, const uint8_t *params, uint32_t np,
                                    const uint8_t *results, uint32_t nr)
{
	wr_functype *f = ctype_alloc(x->a, sizeof(*f));
	uint8_t *p = ctype_alloc(x->a, (size_t)np + nr + 1);
	if (!f || !p)
		return coom(x, 0), NULL;
	if (np)
		memcpy(p, params, np);
	if (nr)
		memcpy(p + np, results, nr);
	f->nparams = np;
	f->nresults = nr;
	f->params = p;
	f->results = p + np;
	return f;
}

bool vt_core_func_equal(const wr_functype *a, const wr_functype *b)
{
	return a == b || (a->nparams == b->nparams && a->nresults == b->nresults &&
	                  memcmp(a->params, b->params, a->nparams) == 0 &&
	                  memcmp(a->results, b->results, a->nresults) == 0);
}

const char *vt_core_valtype_name(uint8_t t)
{
	switch (t) {
	case 0x7f: return "i32";
	case 0x7e: return "i64";
	case 0x7d: return "f32";
	case 0x7c: return "f64";
	case 0x7b: return "v128";
	case 0x70: return "funcref";
	case 0x6f: return "externref";
	case 0x69: return "exnref";
	default: return "ref";
	}
}

/* "(func (param i32) (result i32))", as core text writes it. */
void vt_core_func_desc(const wr_functype *f, char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "(func");
	for (uint32_t i = 0; i < f->nparams && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s%s", i ? " " : " (param ",
		                      vt_core_valtype_name(f->params[i]),
		                      i + 1 == f->nparams ? ")" : "");
	for (uint32_t i = 0; i < f->nresults && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s%s", i ? " " : " (result ",
		                      vt_core_valtype_name(f->results[i]),
		                      i + 1 == f->nresults ? ")" : "");
	if (n < size)
		snprintf(buf + n, size - n, ")");
}

/* ---- core value types ---- */

/* A core value type: numbers, v128, references (kept as one byte: funcref
 * and externref for nullable func and extern, the abstract heap type's
 * byte otherwise). */
static bool rd_core_valtype(crd *r, uint8_t *t)
{
	size_t at = crd_off(r);
	int64_t ht;
	uint8_t b;
	if (!crd_byte(r, &b))
		return false;
	if ((b >= 0x7b && b <= 0x7f) || (b >= 0x69 && b <= 0x74)) {
		*t = b;
		return true;
	}
	if (b != 0x63 && b != 0x64)
		return crd_bad_byte(r, at, b, "value type");
	if (!crd_s33(r, &ht))
		return false;
	if (ht < 0)
		*t = (uint8_t)(ht + 0x80);
	else
		*t = b;
	if (b == 0x64 && (*t == 0x70 || *t == 0x6f))
		*t = (uint8_t)(*t | 0x80); /* non-null: a different type */
	return true;
}

static bool rd_core_valtypes(crd *r, uint8_t **out, uint32_t *n)
{
	size_t at = crd_off(r);
	if (!crd_count(r, n))
		return false;
	if (!(*out = ctype_alloc(r->x->a, (size_t)*n + 1)))
		return coom(r->x, at);
	for (uint32_t i = 0; i < *n; i++)
		if (!rd_core_valtype(r, &(*out)[i]))
			return false;
	return true;
}

/* comptype: func, struct or array (the last two kept as CCT_OTHER). */
static bool rd_comptype(crd *r, ccoretype *t)
{
	size_t at = crd_off(r);
	uint8_t b, *p, *res, st, mut;
	uint32_t np, nr;
	if (!crd_byte(r, &b))
		return false;
	if (b == 0x60) {
		if (!rd_core_valtypes(r, &p, &np) || !rd_core_valtypes(r, &res, &nr))
			return false;
		t->kind = CCT_FUNC;
		t->func = vt_core_functype(r->x, p, np, res, nr);
		return t->func != NULL;
	}
	if (b == 0x5e || b == 0x5f) {
		uint32_t nf = 1;
		if (b == 0x5f && !crd_count(r, &nf))
			return false;
		for (uint32_t i = 0; i < nf; i++) {
			size_t sat = crd_off(r);
			if (!crd_byte(r, &st))
				return false;
			if (st != 0x78 && st != 0x77) {
				r->p--;
				if (!rd_core_valtype(r, &st))
					return false;
			}
			if (!crd_byte(r, &mut))
				return false;
			if (mut > 1)
				return crd_bad_byte(r, sat, mut, "mutability");
		}
		t->kind = CCT_OTHER;
		return true;
	}
	return crd_bad_byte(r, at, b, "type definition");
}

/* subtype: 0x50 (non-final; 0x00 0x50 at the top level of a component) or
 * 0x4f (final) with supertypes, or a bare comptype. */
static bool rd_subtype(crd *r, uint32_t ntypes, ccoretype *t)
{
	uint8_t b = r->p < r->end ? *r->p : 0;
	uint32_t n, idx;
	if (b == 0x50 || b == 0x4f) {
		r->p++;
		if (!crd_count(r, &n))
			return false;
		for (uint32_t i = 0; i < n; i++) {
			size_t at = crd_off(r);
			if (!crd_u32(r, &idx))
				return false;
			if (idx >= ntypes)
				return cfail(r->x, at, "unknown type %u: type index out of bounds", idx);
		}
	}
	return rd_comptype(r, t);
}

/* ---- limits and extern types ---- */

static bool rd_limits(crd *r, wr_limits *l, bool *shared, bool *is64, bool memory)
{
	uint8_t flags;
	uint32_t v;
	size_t at = crd_off(r);
	if (!crd_byte(r, &flags))
		return false;
	if (flags > (memory ? 0x07 : 0x05) || (!memory && (flags & 2)))
		return crd_bad_byte(r, at, flags, memory ? "memory limits" : "table limits");
	*shared = flags & 2;
	*is64 = flags & 4;
	if (!crd_u32(r, &v))
		return false;
	l->min = v;
	l->has_max = flags & 1;
	if (l->has_max && !crd_u32(r, &v))
		return false;
	l->max = l->has_max ? v : 0;
	if (l->has_max && l->max < l->min)
		return cfail(r->x, at, "size minimum must not be greater than maximum");
	if (memory && !*is64 && (l->min > 65536 || (l->has_max && l->max > 65536)))
		return cfail(r->x, at, "memory size must be at most 65536 pages (4GiB)");
	if (memory && *shared && !l->has_max)
		return cfail(r->x, at, "shared memory must have maximum size");
	return true;
}

/* A core type index naming a function type in space (the module type's or
 * the component's core types). */
static bool func_type_at(crd *r, avec *space, uint32_t idx, size_t at, const wr_functype **f)
{
	const ccoretype *t;
	if (idx >= space->n)
		return cfail(r->x, at, "unknown type %u: type index out of bounds", idx);
	t = &AVEC_AT(*space, ccoretype, idx);
	if (t->kind != CCT_FUNC)
		return cfail(r->x, at, "type index %u is not a function type", idx);
	*f = t->func;
	return true;
}

/* A core extern type (import description) with type indices in space. */
static bool rd_core_ext(crd *r, avec *space, ccext *e)
{
	size_t at = crd_off(r);
	uint32_t idx;
	uint8_t b, z;
	memset(e, 0, sizeof(*e));
	if (!crd_byte(r, &b))
		return false;
	switch (b) {
	case 0x00:
	case 0x04:
		e->kind = b ? CX_TAG : CX_FUNC;
		if (b && !crd_byte(r, &z))
			return false;
		if (b && z != 0)
			return crd_bad_byte(r, at + 1, z, "tag attribute");
		at = crd_off(r);
		return crd_u32(r, &idx) && func_type_at(r, space, idx, at, &e->func);
	case 0x01:
		e->kind = CX_TABLE;
		if (!rd_core_valtype(r, &b))
			return false;
		e->table.elem = b;
		return rd_limits(r, &e->table.limits, &e->shared, &e->is64, false);
	case 0x02:
		e->kind = CX_MEMORY;
		return rd_limits(r, &e->memory, &e->shared, &e->is64, true);
	case 0x03:
		e->kind = CX_GLOBAL;
		if (!rd_core_valtype(r, &b) || !crd_byte(r, &z))
			return false;
		if (z > 1)
			return crd_bad_byte(r, at, z, "global mutability");
		e->global.type = b;
		e->global.mut = z;
		return true;
	}
	return crd_bad_byte(r, at, b, "external kind");
}

/* ---- module types ---- */

typedef struct mtstate {
	avec types;    /* ccoretype: the module type's own type index space */
	avec imports;  /* ccore_import */
	avec exports;  /* ccore_export */
	cstrset names; /* export names (in the arena) */
} mtstate;

/* Imports of a module must mangle to distinct names `module:name`. */
static int import_cmp(const void *pa, const void *pb)
{
	const ccore_import *a = *(const ccore_import *const *)pa, *b = *(const ccore_import *const *)pb;
	uint32_t n = a->module_len < b->module_len ? a->module_len : b->module_len;
	int c = memcmp(a->module, b->module, n);
	if (c || a->module_len != b->module_len)
		return c ? c : (a->module_len < b->module_len ? -1 : 1);
	n = a->name_len < b->name_len ? a->name_len : b->name_len;
	c = memcmp(a->name, b->name, n);
	if (c || a->name_len != b->name_len)
		return c ? c : (a->name_len < b->name_len ? -1 : 1);
	return 0;
}

static bool unique_imports(cctx *x, const ccore_import *imp, uint32_t n, size_t off)
{
	const ccore_import **v;
	bool ok = true;
	if (n < 2)
		return true;
	if (!(v = malloc(n * sizeof(*v))))
		return coom(x, off);
	for (uint32_t i = 0; i < n; i++)
		v[i] = &imp[i];
	qsort(v, n, sizeof(*v), import_cmp);
	for (uint32_t i = 1; ok && i < n; i++)
		if (import_cmp(&v[i - 1], &v[i]) == 0)
			ok = cfail(x, off, "duplicate import name `%.*s:%.*s`", (int)v[i]->module_len,
			           v[i]->module, (int)v[i]->name_len, v[i]->name);
	free(v);
	return ok;
}

static bool mt_import(crd *r, mtstate *mt)
{
	ccore_import *im = avec_push(r->x->a, &mt->imports, sizeof(*im));
	if (!im)
		return coom(r->x, crd_off(r));
	return crd_name(r, &im->module, &im->module_len) && crd_name(r, &im->name, &im->name_len) &&
	       rd_core_ext(r, &mt->types, &im->type);
}

static bool mt_export(crd *r, mtstate *mt)
{
	size_t at = crd_off(r);
	ccore_export e;
	if (!crd_name(r, &e.name, &e.name_len) || !rd_core_ext(r, &mt->types, &e.type))
		return false;
	uint32_t prev = cstrset_add(&mt->names, e.name, e.name_len, mt->exports.n);
	if (prev == CSTR_OOM)
		return coom(r->x, at);
	if (prev != CSTR_ADDED)
		return cfail(r->x, at, "duplicate export name `%s` already defined", e.name);
	ccore_export *slot = avec_push(r->x->a, &mt->exports, sizeof(*slot));
	if (!slot)
		return coom(r->x, at);
	*slot = e;
	return true;
}

/* A rec group or one subtype, appended to space; known: the types of the
 * index space before space's first. */
static bool rd_rectype(crd *r, avec *space, uint32_t known)
{
	uint32_t n = 1;
	size_t at = crd_off(r);
	bool group = r->p < r->end && *r->p == 0x4e;
	if (group) {
		r->p++;
		if (!crd_count(r, &n))
			return false;
	}
	for (uint32_t i = 0; i < n; i++) {
		ccoretype t = { 0 }, *slot;
		if (!rd_subtype(r, known + space->n + n, &t))
			return false;
		if (!(slot = avec_push(r->x->a, space, sizeof(*slot))))
			return coom(r->x, at);
		*slot = t;
	}
	return true;
}

/* alias: 0x10 (type) 0x01 (outer) count index. */
static bool mt_alias(crd *r, cscope *s, mtstate *mt)
{
	size_t at = crd_off(r);
	uint8_t sort, target;
	uint32_t ct, idx;
	ccoretype t, *slot;
	if (!crd_byte(r, &sort))
		return false;
	if (sort != 0x10)
		return crd_bad_byte(r, at, sort, "outer alias kind");
	if (!crd_byte(r, &target))
		return false;
	if (target != 0x01)
		return crd_bad_byte(r, at + 1, target, "outer alias target");
	if (!crd_u32(r, &ct) || !crd_u32(r, &idx))
		return false;
	if (ct == 0) {
		if (idx >= mt->types.n)
			return cfail(r->x, at, "unknown type %u: type index out of bounds", idx);
		t = AVEC_AT(mt->types, ccoretype, idx);
	} else {
		citem it;
		if (!scope_alias_outer(r->x, s, CS_CORE_TYPE, ct - 1, idx, at, &it))
			return false;
		t = it.core_type;
		if (t.kind == CCT_MODULE)
			return cfail(r->x, at, "not implemented: aliasing core module types into a "
			                       "core module's types index space");
	}
	if (!(slot = avec_push(r->x->a, &mt->types, sizeof(*slot))))
		return coom(r->x, at);
	*slot = t;
	return true;
}

static bool rd_moduletype(crd *r, cscope *s, const cmodtype **out)
{
	mtstate mt = { .names = { .a = r->x->a } };
	cmodtype *m = ctype_alloc(r->x->a, sizeof(*m));
	size_t at = crd_off(r);
	uint32_t n;
	if (!m)
		return coom(r->x, at);
	if (!crd_count(r, &n))
		return false;
	for (uint32_t i = 0; i < n; i++) {
		size_t dat = crd_off(r);
		uint8_t b;
		bool ok;
		if (!crd_byte(r, &b))
			return false;
		switch (b) {
		case 0x00: ok = mt_import(r, &mt); break;
		case 0x01: ok = rd_rectype(r, &mt.types, 0); break;
		case 0x02: ok = mt_alias(r, s, &mt); break;
		case 0x03: ok = mt_export(r, &mt); break;
		default: return crd_bad_byte(r, dat, b, "type definition");
		}
		if (!ok)
			return false;
	}
	m->nimports = mt.imports.n;
	m->imports = mt.imports.p;
	m->nexports = mt.exports.n;
	m->exports = mt.exports.p;
	*out = m;
	return unique_imports(r->x, m->imports, m->nimports, at);
}

/* A core type: the core type section's entries and core type declarators
 * of component and instance types. 0x50 is a module type here; a
 * non-final sub type is 0x00 0x50. */
bool dec_core_type(cctx *x, crd *r, cscope *s)
{
	size_t at = crd_off(r);
	avec tmp = { 0 };
	uint8_t b = r->p < r->end ? *r->p : 0;
	if (b == 0x50) {
		citem it = { .core_type = { .kind = CCT_MODULE } };
		r->p++;
		if (s->kind != SC_COMPONENT && s->outer && x->depth > C_MAX_DEPTH)
			return cfail(x, at, "type nesting is too deep");
		return rd_moduletype(r, s, &it.core_type.module) &&
		       scope_push_item(x, s, CS_CORE_TYPE, &it, CD_CORE_TYPE, at, NULL);
	}
	if (b == 0x00) {
		r->p++;
		if (r->p >= r->end || *r->p != 0x50)
			return crd_bad_byte(r, at, 0, "core type");
	}
	if (!rd_rectype(r, &tmp, s->items[CS_CORE_TYPE].n))
		return false;
	for (uint32_t i = 0; i < tmp.n; i++) {
		citem it = { .core_type = AVEC_AT(tmp, ccoretype, i) };
		if (!scope_push_item(x, s, CS_CORE_TYPE, &it, CD_CORE_TYPE, at, NULL))
			return false;
	}
	return true;
}

/* ---- the type of a nested core module ---- */

static void ext_from_wr(const wr_externtype *w, ccext *e)
{
	memset(e, 0, sizeof(*e));
	e->kind = (ccext_kind)w->kind;
	switch (w->kind) {
	case WR_EXTERN_FUNC: break;
	case WR_EXTERN_TABLE: e->table = w->of.table; break;
	case WR_EXTERN_MEMORY: e->memory = w->of.memory; break;
	case WR_EXTERN_GLOBAL: e->global = w->of.global; break;
	default: break; /* a tag: its type is set by the caller, as a function's */
	}
}

const cmodtype *vt_module_type(cctx *x, const wr_module *m, size_t off)
{
	cmodtype *t = ctype_alloc(x->a, sizeof(*t));
	ccore_import *im;
	ccore_export *ex;
	if (!t)
		return coom(x, off), NULL;
	t->nimports = (uint32_t)wr_module_import_count(m);
	t->nexports = (uint32_t)wr_module_export_count(m);
	im = ctype_alloc(x->a, (t->nimports + 1) * sizeof(*im));
	ex = ctype_alloc(x->a, (t->nexports + 1) * sizeof(*ex));
	if (!im || !ex)
		return coom(x, off), NULL;
	for (uint32_t i = 0; i < t->nimports; i++) {
		wr_import w;
		wr_module_import(m, i, &w);
		im[i].module = w.module;
		im[i].module_len = (uint32_t)w.module_len;
		im[i].name = w.name;
		im[i].name_len = (uint32_t)w.name_len;
		ext_from_wr(&w.type, &im[i].type);
		if (w.type.kind == WR_EXTERN_FUNC)
			im[i].type.func = vt_core_functype(x, w.type.of.func.params, w.type.of.func.nparams,
			                                   w.type.of.func.results, w.type.of.func.nresults);
		else if (w.type.kind == WR_EXTERN_TAG)
			im[i].type.func = vt_core_functype(x, w.type.of.tag.params, w.type.of.tag.nparams,
			                                   w.type.of.tag.results, w.type.of.tag.nresults);
	}
	for (uint32_t i = 0; i < t->nexports; i++) {
		wr_export w;
		wr_module_export(m, i, &w);
		ex[i].name = w.name;
		ex[i].name_len = (uint32_t)w.name_len;
		ext_from_wr(&w.type, &ex[i].type);
		if (w.type.kind == WR_EXTERN_FUNC)
			ex[i].type.func = vt_core_functype(x, w.type.of.func.params, w.type.of.func.nparams,
			                                   w.type.of.func.results, w.type.of.func.nresults);
		else if (w.type.kind == WR_EXTERN_TAG)
			ex[i].type.func = vt_core_functype(x, w.type.of.tag.params, w.type.of.tag.nparams,
			                                   w.type.of.tag.results, w.type.of.tag.nresults);
	}
	t->imports = im;
	t->exports = ex;
	if (x->failed || !unique_imports(x, im, t->nimports, off))
		return NULL;
	return t;
}
