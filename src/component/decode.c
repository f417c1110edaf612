/*
 * decode.c: the component binary format (Binary.md): the preamble and the
 * sections of a component, each definition read and handed to validation
 * as it comes; nested components recursively (to C_MAX_DEPTH), nested core
 * modules through wr_module_load.
 */
#include "cvalid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- preambles ---- */

static const uint8_t magic[4] = { 0x00, 0x61, 0x73, 0x6d };

/* Check the preamble of a component (component) or core module; at is the
 * offset of p. */
static bool preamble(cctx *x, const uint8_t *p, size_t len, bool component, size_t at)
{
	static const uint8_t cver[4] = { 0x0d, 0x00, 0x01, 0x00 };
	static const uint8_t mver[4] = { 0x01, 0x00, 0x00, 0x00 };
	if (len < 4 || memcmp(p, magic, 4) != 0)
		return len < 4 ? cfail(x, at, "unexpected end-of-file")
		               : cfail(x, at, "magic header not detected");
	if (len < 8)
		return cfail(x, at + 4, "unexpected end-of-file");
	if (component && memcmp(p + 4, mver, 4) == 0)
		return cfail(x, at + 4, "expected a version header for a component");
	if (!component && memcmp(p + 4, cver, 4) == 0)
		return cfail(x, at + 4, "expected a version header for a module");
	if (memcmp(p + 4, component ? cver : mver, 4) != 0)
		return cfail(x, at + 4, "unknown binary version");
	return true;
}

/* ---- core modules ---- */

/* A u32 LEB128 at *p (before end), without reporting errors. */
static bool scan_u32(const uint8_t **p, const uint8_t *end, uint32_t *v)
{
	uint64_t acc = 0;
	for (unsigned shift = 0; shift < 35; shift += 7) {
		if (*p >= end)
			return false;
		acc |= (uint64_t)(**p & 0x7f) << shift;
		if (!(*(*p)++ & 0x80)) {
			*v = (uint32_t)acc;
			return acc <= UINT32_MAX;
		}
	}
	return false;
}

/* Core sections must come in order (custom sections anywhere); the rest of
 * a malformed module is left to wr_module_load to report. */
static bool module_section_order(cctx *x, const uint8_t *p, size_t len)
{
	static const uint8_t rank[14] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6 };
	const uint8_t *q = p + 8, *end = p + len;
	uint8_t last = 0;
	while (q < end) {
		const uint8_t *sec = q;
		uint8_t id = *q++;
		uint32_t size;
		if (!scan_u32(&q, end, &size) || size > (size_t)(end - q))
			return true;
		q += size;
		if (id == 0 || id >= sizeof(rank))
			continue;
		if (rank[id] <= last)
			return cfail(x, (size_t)(sec - x->base), "section out of order");
		last = rank[id];
	}
	return true;
}

static bool dec_core_module(cctx *x, cscope *s, const uint8_t *p, size_t len)
{
	size_t at = (size_t)(p - x->base);
	wr_diag d = { { 0 }, 0 };
	wr_module *m;
	cdef *def;
	citem it = { 0 };
	if (!preamble(x, p, len, false, at) || !module_section_order(x, p, len))
		return false;
	if (!(m = wr_module_load(p, len, &d)))
		return cfail(x, at + (d.offset <= len ? d.offset : 0), "%s",
		             d.message[0] ? d.message : "core module not loaded (no reason given)");
	if (x->c->nmodules == x->c->capmodules) {
		size_t cap = x->c->capmodules ? x->c->capmodules * 2 : 8;
		wr_module **v = realloc(x->c->modules, cap * sizeof(*v));
		if (!v) {
			wr_module_free(m);
			return coom(x, at);
		}
		x->c->modules = v;
		x->c->capmodules = cap;
	}
	x->c->modules[x->c->nmodules++] = m;
	if (!(it.module = vt_module_type(x, m, at)))
		return false;
	if (!scope_push_item(x, s, CS_CORE_MODULE, &it, CD_CORE_MODULE, at, &def))
		return false;
	def->module = m;
	return true;
}

/* ---- sorts ---- */

/* A sort: 0x00 and a core sort, or a component sort. For a component-level
 * sortidx (comp), the only core sort allowed is module. */
static bool rd_sort(crd *r, csort *out, bool comp, const char *what)
{
	static const csort csorts[] = { CS_FUNC, CS_VALUE, CS_TYPE, CS_COMPONENT, CS_INSTANCE };
	size_t at = crd_off(r);
	uint8_t b, c;
	if (!crd_byte(r, &b))
		return false;
	if (b >= 1 && b <= 5) {
		*out = csorts[b - 1];
		return true;
	}
	if (b != 0)
		return crd_bad_byte(r, at, b, what);
	if (!crd_byte(r, &c))
		return false;
	if (c <= 0x04 && !comp) {
		*out = (csort)(CS_CORE_FUNC + c);
		return true;
	}
	if (c >= 0x10 && c <= 0x12 && (!comp || c == 0x11)) {
		*out = c == 0x10 ? CS_CORE_TYPE : c == 0x11 ? CS_CORE_MODULE : CS_CORE_INSTANCE;
		return true;
	}
	return crd_bad_byte(r, comp ? at : at + 1, comp ? b : c, what);
}

/* ---- core instances ---- */

static bool dec_core_instance(cctx *x, crd *r, cscope *s)
{
	size_t at = crd_off(r);
	uint32_t idx, n;
	uint8_t b;
	if (!crd_byte(r, &b))
		return false;
	if (b == 0x00) {
		ccore_arg *args;
		if (!crd_u32(r, &idx) || !crd_count(r, &n))
			return false;
		if (!(args = ctype_alloc(x->a, (n + 1) * sizeof(*args))))
			return coom(x, at);
		for (uint32_t i = 0; i < n; i++) {
			size_t kat;
			uint8_t k;
			if (!crd_name(r, &args[i].name, &args[i].name_len))
				return false;
			kat = crd_off(r);
			if (!crd_byte(r, &k))
				return false;
			if (k != 0x12)
				return crd_bad_byte(r, kat, k, "instantiation arg kind");
			if (!crd_u32(r, &args[i].instance))
				return false;
		}
		return v_core_instantiate(x, s, idx, args, n, at);
	}
	if (b == 0x01) {
		carg *args;
		if (!crd_count(r, &n))
			return false;
		if (!(args = ctype_alloc(x->a, (n + 1) * sizeof(*args))))
			return coom(x, at);
		for (uint32_t i = 0; i < n; i++) {
			size_t kat;
			uint8_t k;
			if (!crd_name(r, &args[i].name, &args[i].name_len))
				return false;
			kat = crd_off(r);
			if (!crd_byte(r, &k))
				return false;
			if (k > 0x04)
				return crd_bad_byte(r, kat, k, "external kind");
			args[i].sort = (csort)(CS_CORE_FUNC + k);
			if (!crd_u32(r, &args[i].index))
				return false;
		}
		return v_core_exports(x, s, args, n, at);
	}
	return crd_bad_byte(r, at, b, "core instance");
}

/* ---- names with attributes ---- */

bool dec_name_attr(cctx *x, crd *r, cname_attr *na)
{
	size_t at = crd_off(r);
	uint32_t n, len;
	const char *v;
	uint8_t b;
	memset(na, 0, sizeof(*na));
	if (!crd_byte(r, &b))
		return false;
	if (b > 2)
		return crd_bad_byte(r, at, b, "component name");
	if (!crd_name(r, &na->name, &na->len))
		return false;
	if (b < 2)
		return true;
	if (!crd_count(r, &n))
		return false;
	for (uint32_t i = 0; i < n; i++) {
		size_t aat = crd_off(r);
		static const char *const opt[] = { "implements", "versionsuffix", "external-id" };
		bool *seen[] = { NULL, &na->has_version_suffix, &na->has_external_id };
		if (!crd_byte(r, &b))
			return false;
		if (b > 2)
			return crd_bad_byte(r, aat, b, "name option");
		if (!crd_name(r, &v, &len))
			return false;
		if ((b == 0 && na->implements) || (b && *seen[b]))
			return cfail(x, aat, "duplicate '%s' option in name", opt[b]);
		if (b == 0)
			na->implements = v, na->implements_len = len;
		else
			*seen[b] = true;
	}
	return true;
}

/* ---- instances ---- */

/* vec of (name, sortidx) or, for inline exports, (nameattributes, sortidx). */
static bool rd_args(crd *r, carg **out, cname_attr **attrs, uint32_t *n)
{
	size_t at = crd_off(r);
	carg *args;
	if (!crd_count(r, n))
		return false;
	if (!(args = ctype_alloc(r->x->a, (*n + 1) * sizeof(*args))))
		return coom(r->x, at);
	if (attrs && !(*attrs = ctype_alloc(r->x->a, (*n + 1) * sizeof(**attrs))))
		return coom(r->x, at);
	for (uint32_t i = 0; i < *n; i++) {
		if (attrs) {
			if (!dec_name_attr(r->x, r, &(*attrs)[i]))
				return false;
			args[i].name = (*attrs)[i].name;
			args[i].name_len = (*attrs)[i].len;
		} else if (!crd_name(r, &args[i].name, &args[i].name_len)) {
			return false;
		}
		if (!rd_sort(r, &args[i].sort, true, "component external kind") ||
		    !crd_u32(r, &args[i].index))
			return false;
	}
	*out = args;
	return true;
}

static bool dec_instance(cctx *x, crd *r, cscope *s)
{
	size_t at = crd_off(r);
	cname_attr *attrs;
	carg *args;
	uint32_t idx, n;
	uint8_t b;
	if (!crd_byte(r, &b))
		return false;
	if (b == 0x00)
		return crd_u32(r, &idx) && rd_args(r, &args, NULL, &n) &&
		       v_instantiate(x, s, idx, args, n, at);
	if (b == 0x01)
		return rd_args(r, &args, &attrs, &n) && v_exports(x, s, args, attrs, n, at);
	return crd_bad_byte(r, at, b, "instance");
}

/* ---- aliases ---- */

bool dec_alias(cctx *x, crd *r, cscope *s)
{
	size_t at = crd_off(r);
	uint8_t b, core = 0, target;
	uint32_t idx, ct;
	const char *name;
	uint32_t len;
	csort sort;
	if (!crd_byte(r, &b) || (b == 0 && !crd_byte(r, &core)) || !crd_byte(r, &target))
		return false;
	r->p -= b == 0 ? 3 : 2;
	if (target == 0x02) {
		bool ok = (b == 0 && (core == 0x10 || core == 0x11)) || b == 0x03 || b == 0x04;
		if (!ok)
			return crd_bad_byte(r, at, b ? b : core, "component outer alias kind");
	}
	if (target > 0x02)
		return crd_bad_byte(r, at + (b ? 1 : 2), target, "alias");
	if (!rd_sort(r, &sort, target == 0x00, target == 0x01 ? "core external kind"
	                                                       : "component external kind"))
		return false;
	r->p++;
	if (target == 0x01 && sort > CS_CORE_TAG)
		return crd_bad_byte(r, at + 1, core, "core external kind");
	if (target == 0x02)
		return crd_u32(r, &ct) && crd_u32(r, &idx) && v_alias_outer(x, s, sort, ct, idx, at);
	if (!crd_u32(r, &idx) || !crd_name(r, &name, &len))
		return false;
	if (target == 0x00)
		return v_alias_export(x, s, sort, idx, name, len, at);
	return v_alias_core_export(x, s, sort, idx, name, len, at);
}

/* ---- imports and exports ---- */

bool dec_externtype(cctx *x, crd *r, cscope *s, cextern *e)
{
	size_t at = crd_off(r);
	uint32_t idx;
	uint8_t b, c;
	memset(e, 0, sizeof(*e));
	if (!crd_byte(r, &b))
		return false;
	if (b == 0x00) {
		if (!crd_byte(r, &c))
			return false;
		if (c != 0x11)
			return crd_bad_byte(r, at, b, "component external kind");
	} else if (b > 0x05) {
		return crd_bad_byte(r, at, b, "component external kind");
	}
	if (b == 0x02)
		return cfail(x, at, "support for component model `value`s is not enabled");
	if (b == 0x03)
		return v_type_bound(x, r, s, e, at);
	if (!crd_u32(r, &idx))
		return false;
	return v_externtype(x, s, b, idx, e, at);
}

static bool dec_import(cctx *x, crd *r, cscope *s)
{
	size_t at = crd_off(r);
	cname_attr na;
	cextern e;
	return dec_name_attr(x, r, &na) && dec_externtype(x, r, s, &e) &&
	       scope_add_import(x, s, &na, &e, at);
}

static bool dec_export(cctx *x, crd *r, cscope *s)
{
	size_t at = crd_off(r), tat;
	cname_attr na;
	cextern asc;
	csort sort;
	uint32_t idx;
	uint8_t b;
	if (!dec_name_attr(x, r, &na) || !rd_sort(r, &sort, true, "component external kind") ||
	    !crd_u32(r, &idx))
		return false;
	tat = crd_off(r);
	if (!crd_byte(r, &b))
		return false;
	if (b > 1)
		return crd_bad_byte(r, tat, b, "optional component export type");
	if (b && !dec_externtype(x, r, s, &asc))
		return false;
	return v_export(x, s, &na, sort, idx, b ? &asc : NULL, at);
}

/* ---- sections ---- */

typedef bool (*entry_fn)(cctx *x, crd *r, cscope *s);

/* A section that is a vector of entries; it must end where its entries do. */
static bool dec_vec_section(cctx *x, crd *r, cscope *s, entry_fn fn)
{
	uint32_t n;
	if (!crd_count(r, &n))
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (!fn(x, r, s))
			return false;
	if (!crd_eof(r))
		return cfail(x, crd_off(r), "unexpected content at the end of the section");
	return true;
}

static bool dec_nested(cctx *x, cscope *s, const uint8_t *p, size_t len)
{
	size_t at = (size_t)(p - x->base);
	ccomp *child;
	cdef *d;
	citem it = { 0 };
	if (x->depth >= C_MAX_DEPTH)
		return cfail(x, at, "components nested too deeply (limit %d)", C_MAX_DEPTH);
	x->depth++;
	if (!dec_component(x, p, len, s, &child))
		return false;
	x->depth--;
	it.comp = child->type;
	if (!scope_push_item(x, s, CS_COMPONENT, &it, CD_COMPONENT, at, &d))
		return false;
	d->comp = child;
	return true;
}

static bool dec_section(cctx *x, cscope *s, uint8_t id, crd *r)
{
	static const entry_fn vec_fns[13] = {
		[2] = dec_core_instance, [3] = dec_core_type, [5] = dec_instance, [6] = dec_alias,
		[7] = dec_type, [8] = dec_canon, [10] = dec_import, [11] = dec_export,
	};
	const char *name;
	uint32_t len;
	switch (id) {
	case 0:
		return crd_name(r, &name, &len);
	case 1:
		return dec_core_module(x, s, r->p, (size_t)(r->end - r->p));
	case 4:
		return dec_nested(x, s, r->p, (size_t)(r->end - r->p));
	case 9:
	case 12:
		return cfail(x, crd_off(r), "%s: support for component model `value`s is not enabled",
		             id == 9 ? "start section" : "value section");
	}
	return dec_vec_section(x, r, s, vec_fns[id]);
}

/* Fill c from the scope s that validated it. */
static bool finish_component(cctx *x, cscope *s, ccomp *c)
{
	c->ndefs = s->defs.n;
	c->defs = s->defs.p;
	for (int i = 0; i < CS__COUNT; i++) {
		c->count[i] = s->items[i].n;
		c->space[i] = s->items[i].p;
	}
	for (uint32_t i = 0; i < c->ndefs; i++) {
		cdef *d = &c->defs[i];
		d->item = c->space[d->sort][d->index];
	}
	c->nimports = s->import_defs.n;
	c->imports = s->import_defs.p;
	c->nexports = s->export_defs.n;
	c->exports = s->export_defs.p;
	c->type = scope_comptype(x, s);
	return c->type != NULL;
}

bool dec_component(cctx *x, const uint8_t *p, size_t len, cscope *outer, ccomp **out)
{
	size_t at = (size_t)(p - x->base);
	ccomp *c = ctype_alloc(x->a, sizeof(*c));
	crd r = { p + 8, p + len, x };
	cscope s;
	if (!c)
		return coom(x, at);
	if (!preamble(x, p, len, true, at))
		return false;
	c->parent = outer ? outer->comp : NULL;
	scope_init(&s, SC_COMPONENT, outer, c, x);
	while (!crd_eof(&r)) {
		size_t sat = crd_off(&r);
		const uint8_t *body;
		uint32_t size;
		uint8_t id;
		if (!crd_byte(&r, &id))
			return false;
		if (id > 12)
			return cfail(x, sat, "malformed section id: %u", id);
		if (!crd_u32(&r, &size) || !crd_bytes(&r, size, &body))
			return false;
		crd sr = { body, body + size, x };
		if (!dec_section(x, &s, id, &sr))
			return false;
	}
	*out = c;
	return finish_component(x, &s, c);
}

/* ---- the public API ---- */

bool wr_is_component(const uint8_t *b, size_t n)
{
	return b && n >= 8 && memcmp(b, magic, 4) == 0 && b[4] == 0x0d && b[5] == 0 && b[6] == 1 &&
	       b[7] == 0;
}

wr_component *wr_component_load(const uint8_t *bytes, size_t len, wr_diag *diag)
{
	wr_component *c = calloc(1, sizeof(*c));
	cctx x = { .c = c, .diag = diag, .base = bytes };
	bool ok;
	if (diag)
		memset(diag, 0, sizeof(*diag));
	if (!c || !(c->arena = x.a = ctype_arena_new())) {
		free(c);
		if (diag)
			snprintf(diag->message, sizeof(diag->message), "out of memory");
		return NULL;
	}
	static const uint8_t none[1];
	if (!bytes)
		x.base = bytes = none, len = 0;
	ok = dec_component(&x, bytes, len, NULL, &c->root);
	cmap_free(&x.eq_memo);
	cmap_free(&x.ptr_memo);
	cmap_free(&x.size_memo);
	cmap_free(&x.name_index);
	if (!ok) {
		if (!x.failed)
			cfail(&x, 0, "invalid component");
		wr_component_free(c);
		return NULL;
	}
	return c;
}

void wr_component_free(wr_component *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nmodules; i++)
		wr_module_free(c->modules[i]);
	free(c->modules);
	ctype_arena_free(c->arena);
	free(c);
}

static wr_csort public_sort(csort s)
{
	switch (s) {
	case CS_CORE_MODULE: return WR_CSORT_CORE_MODULE;
	case CS_FUNC: return WR_CSORT_FUNC;
	case CS_VALUE: return WR_CSORT_VALUE;
	case CS_TYPE: return WR_CSORT_TYPE;
	case CS_COMPONENT: return WR_CSORT_COMPONENT;
	default: return WR_CSORT_INSTANCE;
	}
}

size_t wr_component_import_count(const wr_component *c)
{
	return c ? c->root->type->nimports : 0;
}

size_t wr_component_export_count(const wr_component *c)
{
	return c ? c->root->type->nexports : 0;
}

static bool describe(const cextern *e, wr_cextern_info *out)
{
	out->name = e->name;
	out->name_len = e->name_len;
	out->sort = public_sort(e->sort);
	return true;
}

bool wr_component_import(const wr_component *c, size_t i, wr_cextern_info *out)
{
	if (!c || i >= c->root->type->nimports)
		return false;
	return describe(&c->root->type->imports[i], out);
}

bool wr_component_export(const wr_component *c, size_t i, wr_cextern_info *out)
{
	if (!c || i >= c->root->type->nexports)
		return false;
	return describe(&c->root->type->exports[i], out);
}

const char *wr_csort_name(wr_csort s)
{
	static const char *const n[] = { "core module", "func", "value", "type", "component",
	                                 "instance" };
	return (unsigned)s <= WR_CSORT_INSTANCE ? n[s] : "?";
}
