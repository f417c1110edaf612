/*
 * vtypes.c: type definitions of components (Binary.md, "Type Definitions"):
 * value types built as ctype, function types, resource types, and
 * component and instance types with their own scopes. Each is decoded and
 * validated as it is read.
 */
#include "cvalid.h"

#include <string.h>

#define C_MAX_TYPE_DEPTH 100

static const ctype errctx_type = { .kind = CK_ERRCTX, .size = 4, .align = 4, .nflat = 1 };

const ctype *vt_errctx(void)
{
	return &errctx_type;
}

/* Primitive value types are negative s33 codes: 0x7f bool (-1) .. 0x73
 * string (-13), 0x64 error-context (-28). */
bool vt_is_prim_code(int64_t code)
{
	return (code <= -1 && code >= -13) || code == -28;
}

const ctype *vt_valtype(cctx *x, cscope *s, int64_t code, size_t off)
{
	citem *it;
	if (code < 0) {
		if (!vt_is_prim_code(code)) {
			cfail(x, off, "invalid leading byte (0x%x) for component value type",
			      (unsigned)(code & 0x7f));
			return NULL;
		}
		return code == -28 ? &errctx_type : ctype_prim((wr_ckind)(-code - 1));
	}
	if (!(it = scope_item(x, s, CS_TYPE, (uint32_t)code, off)))
		return NULL;
	if (it->type.kind != CT_VAL) {
		cfail(x, off, "type index %u is not a defined type", (unsigned)code);
		return NULL;
	}
	return it->type.val;
}

static bool rd_valtype(crd *r, cscope *s, const ctype **t)
{
	int64_t code;
	size_t at = crd_off(r);
	if (!crd_s33(r, &code))
		return false;
	*t = vt_valtype(r->x, s, code, at);
	return *t != NULL;
}

/* <T>?: 0x00 absent, 0x01 present. */
static bool rd_opt_valtype(crd *r, cscope *s, const ctype **t, const char *what)
{
	uint8_t b;
	size_t at = crd_off(r);
	*t = NULL;
	if (!crd_byte(r, &b))
		return false;
	if (b == 1)
		return rd_valtype(r, s, t);
	return b == 0 ? true : crd_bad_byte(r, at, b, what);
}

const ctype *vt_copy(cctx *x, const ctype *t)
{
	ctype *c = ctype_alloc(x->a, sizeof(*c));
	if (!c)
		return coom(x, 0), NULL;
	*c = *t;
	return c;
}

const crestype *vt_res_copy(cctx *x, const crestype *r)
{
	crestype *c = ctype_alloc(x->a, sizeof(*c));
	if (!c)
		return coom(x, 0), NULL;
	*c = *r;
	return c;
}

bool vt_label(cctx *x, const char *what, const char *name, uint32_t len, size_t off)
{
	if (len == 0)
		return cfail(x, off, "%s name cannot be empty", what);
	if (!name_kebab(name, len))
		return cfail(x, off, "%s name `%s` is not in kebab case", what, name);
	return true;
}

/* Labels f[0..n) are unique (case-insensitively); names the conflict. */
static bool unique_labels(cctx *x, const cfield *f, uint32_t n, const char *what,
                          const char *prev, size_t off)
{
	cstrset set = { .fold = true };
	bool ok = true;
	for (uint32_t i = 0; ok && i < n; i++) {
		uint32_t j = cstrset_add(&set, f[i].name, (uint32_t)strlen(f[i].name), i);
		if (j == CSTR_OOM)
			ok = coom(x, off);
		else if (j != CSTR_ADDED)
			ok = cfail(x, off, "%s name `%s` conflicts with previous %s name `%s`", what,
			           f[i].name, prev, f[j].name);
	}
	cstrset_free(&set);
	return ok;
}

static void join_flags(ctype *t, const ctype *part)
{
	if (!part)
		return;
	t->has_res |= part->has_res;
	t->has_borrow |= part->has_borrow;
	if (part->depth + 1 > t->depth)
		t->depth = part->depth + 1;
}

/* ---- elem_size with 64-bit pointers ----
 *
 * Validation bounds elem_size(t, i64) (CanonicalABI.md): the layout with
 * 64-bit pointers, where a string or list is two i64s. Types without
 * pointers have the layout ctype_finish computed. Sizes saturate at 2^28;
 * results are kept in x->size_memo (size * 16 + alignment). */

#define SIZE64_LIMIT (1ull << 28)

static uint64_t align_up(uint64_t v, uint32_t a)
{
	return (v + a - 1) / a * a;
}

static void size64(cctx *x, const ctype *t, uint64_t *size, uint32_t *align);

static void size64_cases(cctx *x, const ctype *t, uint64_t *size, uint32_t *align)
{
	uint32_t n = t->kind == WR_C_VARIANT ? t->n : 2, al = 1;
	uint32_t ds = n <= 256 ? 1 : n <= 65536 ? 2 : 4;
	uint64_t max = 0;
	for (uint32_t i = 0; i < n; i++) {
		const ctype *c = t->kind == WR_C_OPTION ? (i ? t->elem : NULL)
		               : t->kind == WR_C_RESULT ? (i ? t->err : t->elem) : t->f[i].type;
		uint64_t cs;
		uint32_t ca;
		if (!c)
			continue;
		size64(x, c, &cs, &ca);
		max = cs > max ? cs : max;
		al = ca > al ? ca : al;
	}
	*align = ds > al ? ds : al;
	*size = align_up(align_up(ds, al) + max, *align);
}

static void size64(cctx *x, const ctype *t, uint64_t *size, uint32_t *align)
{
	bool found;
	const void *v;
	*size = t->size, *align = t->align;
	if (!vc_contains_ptr(x, t))
		return;
	if ((v = cmap_get(&x->size_memo, t, &found)) && found) {
		*size = (uintptr_t)v / 16, *align = (uint32_t)((uintptr_t)v % 16);
		return;
	}
	if (t->kind == WR_C_STRING || t->kind == CK_MAP || (t->kind == WR_C_LIST && !t->fixed_len)) {
		*size = 16, *align = 8;
	} else if (t->kind == WR_C_LIST) {
		size64(x, t->elem, size, align);
		*size *= t->fixed_len;
	} else if (t->kind == WR_C_RECORD || t->kind == WR_C_TUPLE) {
		uint64_t s = 0, fs;
		uint32_t al = 1, fa;
		for (uint32_t i = 0; i < t->n && s < SIZE64_LIMIT; i++) {
			size64(x, t->f[i].type, &fs, &fa);
			s = align_up(s, fa) + fs;
			al = fa > al ? fa : al;
		}
		*size = align_up(s, al), *align = al;
	} else {
		size64_cases(x, t, size, align);
	}
	if (*size > SIZE64_LIMIT)
		*size = SIZE64_LIMIT;
	cmap_put(&x->size_memo, t, (const void *)(uintptr_t)(*size * 16 + *align));
}

bool vt_finish(cctx *x, ctype *t, size_t off)
{
	uint64_t s64;
	uint32_t a64;
	if (t->kind == CK_STREAM || t->kind == CK_FUTURE || t->kind == CK_MAP) {
		t->depth = 1;
		join_flags(t, t->elem);
		join_flags(t, t->err);
		t->size = t->kind == CK_MAP ? 8 : 4;
		t->align = 4;
		t->nflat = t->kind == CK_MAP ? 2 : 1;
	} else if (!ctype_finish(t)) {
		return cfail(x, off, "value type exceeds maximum byte size (2^28)");
	}
	size64(x, t, &s64, &a64);
	if (s64 >= SIZE64_LIMIT)
		return cfail(x, off, "value type exceeds maximum byte size (2^28) with 64-bit "
		                     "pointers");
	if (t->depth > C_MAX_TYPE_DEPTH)
		return cfail(x, off, "type nesting is too deep");
	return true;
}

/* ---- defined value types ---- */

/* record, variant: vec of (label, type); a variant case's type is optional
 * and followed by a zero byte. */
static bool rd_fields(crd *r, cscope *s, ctype *t, bool variant)
{
	const char *what = variant ? "variant case" : "record field";
	size_t at = crd_off(r);
	cfield *f;
	if (!crd_count(r, &t->n))
		return false;
	if (!t->n)
		return cfail(r->x, at, variant ? "variant type must have at least one case"
		                                : "record type must have at least one field");
	if (!(f = ctype_alloc(r->x->a, t->n * sizeof(*f))))
		return coom(r->x, at);
	t->f = f;
	for (uint32_t i = 0; i < t->n; i++) {
		uint32_t len;
		uint8_t z;
		size_t zat;
		if (!crd_name(r, &f[i].name, &len) || !vt_label(r->x, what, f[i].name, len, at))
			return false;
		if (!variant && !rd_valtype(r, s, &f[i].type))
			return false;
		if (variant && !rd_opt_valtype(r, s, &f[i].type, "optional component value type"))
			return false;
		zat = crd_off(r);
		if (variant && !crd_byte(r, &z))
			return false;
		if (variant && z != 0)
			return crd_bad_byte(r, zat, z, "zero byte required");
	}
	return unique_labels(r->x, f, t->n, what, variant ? "case" : "field", at);
}

/* flags, enum: vec of labels. */
static bool rd_labels(crd *r, ctype *t, bool flags)
{
	const char *what = flags ? "flag" : "enum tag";
	size_t at = crd_off(r);
	cfield *f;
	if (!crd_count(r, &t->n))
		return false;
	if (!t->n)
		return cfail(r->x, at, flags ? "flags must have at least one entry"
		                             : "enum type must have at least one variant");
	if (flags && t->n > 32)
		return cfail(r->x, at, "cannot have more than 32 flags");
	if (!(f = ctype_alloc(r->x->a, t->n * sizeof(*f))))
		return coom(r->x, at);
	t->f = f;
	for (uint32_t i = 0; i < t->n; i++) {
		uint32_t len;
		if (!crd_name(r, &f[i].name, &len) || !vt_label(r->x, what, f[i].name, len, at))
			return false;
	}
	return unique_labels(r->x, f, t->n, what, flags ? "flag" : "tag", at);
}

static bool rd_tuple(crd *r, cscope *s, ctype *t)
{
	size_t at = crd_off(r);
	cfield *f;
	if (!crd_count(r, &t->n))
		return false;
	if (!t->n)
		return cfail(r->x, at, "tuple type must have at least one type");
	if (!(f = ctype_alloc(r->x->a, t->n * sizeof(*f))))
		return coom(r->x, at);
	t->f = f;
	for (uint32_t i = 0; i < t->n; i++)
		if (!rd_valtype(r, s, &f[i].type))
			return false;
	return true;
}

/* own, borrow: a type index naming a resource type. */
static bool rd_handle(crd *r, cscope *s, ctype *t)
{
	uint32_t idx;
	size_t at = crd_off(r);
	citem *it;
	if (!crd_u32(r, &idx) || !(it = scope_item(r->x, s, CS_TYPE, idx, at)))
		return false;
	if (it->type.kind != CT_RESOURCE)
		return cfail(r->x, at, "type index %u is not a resource type", idx);
	t->res = it->type.res->res;
	t->named = it->type.res;
	return true;
}

static bool rd_list(crd *r, cscope *s, ctype *t, bool fixed)
{
	size_t at = crd_off(r);
	if (!rd_valtype(r, s, &t->elem))
		return false;
	if (!fixed)
		return true;
	if (!crd_u32(r, &t->fixed_len))
		return false;
	return t->fixed_len ? true
	                    : cfail(r->x, at, "Fixed-length lists must have more than zero elements");
}

/* stream, future: an optional element type; no stream of char. */
static bool rd_async_handle(crd *r, cscope *s, ctype *t)
{
	size_t at = crd_off(r);
	if (!rd_opt_valtype(r, s, &t->elem, "optional component value type"))
		return false;
	if (t->kind == CK_STREAM && t->elem && t->elem->kind == WR_C_CHAR)
		return cfail(r->x, at, "`stream<char>` is not valid at this time, use `stream<u8>` "
		                       "with a defined by encoding instead for now");
	if (t->elem && t->elem->has_borrow)
		return cfail(r->x, at, "stream and future element types cannot contain a `borrow`");
	return true;
}

static bool rd_map(crd *r, cscope *s, ctype *t)
{
	size_t at = crd_off(r);
	if (!rd_valtype(r, s, &t->elem) || !rd_valtype(r, s, &t->err))
		return false;
	if (t->elem->kind > WR_C_STRING || t->elem->kind == WR_C_F32 || t->elem->kind == WR_C_F64)
		return cfail(r->x, at, "invalid map key type");
	return true;
}

/* The body of a defined value type whose opcode b was read. */
static bool rd_defval_body(crd *r, cscope *s, uint8_t b, ctype *t, size_t at)
{
	static const struct { uint8_t op; wr_ckind kind; } ops[] = {
		{ 0x72, WR_C_RECORD }, { 0x71, WR_C_VARIANT }, { 0x70, WR_C_LIST },
		{ 0x67, WR_C_LIST }, { 0x6f, WR_C_TUPLE }, { 0x6e, WR_C_FLAGS },
		{ 0x6d, WR_C_ENUM }, { 0x6b, WR_C_OPTION }, { 0x6a, WR_C_RESULT },
		{ 0x69, WR_C_OWN }, { 0x68, WR_C_BORROW }, { 0x66, CK_STREAM },
		{ 0x65, CK_FUTURE }, { 0x63, CK_MAP },
	};
	size_t i = 0;
	while (i < sizeof(ops) / sizeof(ops[0]) && ops[i].op != b)
		i++;
	if (i == sizeof(ops) / sizeof(ops[0]))
		return crd_bad_byte(r, at, b, "component defined type");
	t->kind = ops[i].kind;
	switch (b) {
	case 0x72: case 0x71: return rd_fields(r, s, t, b == 0x71);
	case 0x70: case 0x67: return rd_list(r, s, t, b == 0x67);
	case 0x6f: return rd_tuple(r, s, t);
	case 0x6e: case 0x6d: return rd_labels(r, t, b == 0x6e);
	case 0x6b: return rd_valtype(r, s, &t->elem);
	case 0x6a:
		return rd_opt_valtype(r, s, &t->elem, "optional component value type") &&
		       rd_opt_valtype(r, s, &t->err, "optional component value type");
	case 0x69: case 0x68: return rd_handle(r, s, t);
	case 0x66: case 0x65: return rd_async_handle(r, s, t);
	default: return rd_map(r, s, t);
	}
}

/* A defined value type starting with byte b (already read). */
static const ctype *rd_defvaltype(crd *r, cscope *s, uint8_t b, size_t at)
{
	ctype *t = ctype_alloc(r->x->a, sizeof(*t));
	if (!t)
		return coom(r->x, at), NULL;
	if ((b >= 0x73 && b <= 0x7f) || b == 0x64) {
		*t = *vt_valtype(r->x, s, (int64_t)b - 0x80, at);
		return t;
	}
	if (!rd_defval_body(r, s, b, t, at) || !vt_finish(r->x, t, at))
		return NULL;
	return t;
}

/* ---- function types ---- */

static bool rd_functype(crd *r, cscope *s, bool async, const cfunctype **out)
{
	cfunctype *f = ctype_alloc(r->x->a, sizeof(*f));
	size_t at = crd_off(r);
	cfield *p;
	uint8_t b;
	if (!f)
		return coom(r->x, at);
	f->async = async;
	if (!crd_count(r, &f->nparams))
		return false;
	if (!(p = ctype_alloc(r->x->a, (f->nparams + 1) * sizeof(*p))))
		return coom(r->x, at);
	f->params = p;
	for (uint32_t i = 0; i < f->nparams; i++) {
		uint32_t len;
		if (!crd_name(r, &p[i].name, &len) ||
		    !vt_label(r->x, "function parameter", p[i].name, len, at) ||
		    !rd_valtype(r, s, &p[i].type))
			return false;
	}
	if (!unique_labels(r->x, p, f->nparams, "function parameter", "parameter", at))
		return false;
	at = crd_off(r);
	if (!crd_byte(r, &b))
		return false;
	if (b == 0x00) {
		if (!rd_valtype(r, s, &f->result))
			return false;
		if (f->result->has_borrow)
			return cfail(r->x, at, "function result cannot contain a `borrow` type");
	} else if (b == 0x01) {
		if (!crd_byte(r, &b))
			return false;
		if (b != 0)
			return crd_bad_byte(r, at + 1, b, "number of results");
	} else {
		return crd_bad_byte(r, at, b, "component function results");
	}
	*out = f;
	return true;
}

/* ---- resource types ---- */

static bool rd_resource(crd *r, cscope *s, cany *t, uint32_t *dtor_out, size_t at)
{
	uint8_t rep, has;
	uint32_t dtor = COPT_NONE;
	crestype *rt;
	const cresource **slot;
	if (!crd_byte(r, &rep) || !crd_byte(r, &has))
		return false;
	if (has > 1)
		return crd_bad_byte(r, crd_off(r) - 1, has, "optional destructor");
	if (has && !crd_u32(r, &dtor))
		return false;
	if (s->kind != SC_COMPONENT)
		return cfail(r->x, at, "resources can only be defined within a concrete component");
	if (rep != WR_I32)
		return cfail(r->x, at, "resources can only be represented by `i32`");
	if (has) {
		citem *f = scope_item(r->x, s, CS_CORE_FUNC, dtor, at);
		if (!f)
			return false;
		if (f->core_func->nparams != 1 || f->core_func->params[0] != WR_I32 ||
		    f->core_func->nresults != 0)
			return cfail(r->x, at, "core function %u has wrong signature for a destructor",
			             dtor);
	}
	if (!(rt = ctype_alloc(r->x->a, sizeof(*rt))) || !(rt->res = cres_new(r->x, NULL)))
		return coom(r->x, at);
	rt->local = true;
	rt->rep = rep;
	t->kind = CT_RESOURCE;
	t->res = rt;
	*dtor_out = dtor;
	if (!(slot = avec_push(r->x->a, &s->defined_res, sizeof(*slot))) ||
	    !cmap_put(&s->local_res, rt->res, rt))
		return coom(r->x, at);
	*slot = rt->res;
	return true;
}

/* ---- component and instance types ---- */

/* One declarator of a component type (comp) or instance type. */
static bool rd_decl(crd *r, cscope *s, bool comp)
{
	cname_attr na;
	cextern e;
	size_t at = crd_off(r);
	uint8_t b;
	if (!crd_byte(r, &b))
		return false;
	switch (b) {
	case 0x00:
		return dec_core_type(r->x, r, s);
	case 0x01:
		return dec_type(r->x, r, s);
	case 0x02:
		return dec_alias(r->x, r, s);
	case 0x03:
		if (!comp)
			break;
		return dec_name_attr(r->x, r, &na) && dec_externtype(r->x, r, s, &e) &&
		       scope_add_import(r->x, s, &na, &e, at);
	case 0x04:
		return dec_name_attr(r->x, r, &na) && dec_externtype(r->x, r, s, &e) &&
		       scope_add_export(r->x, s, &na, &e, at);
	}
	return crd_bad_byte(r, at, b, "component or instance type declaration");
}

static bool rd_decls(crd *r, cscope *s, cany *t, bool comp, size_t at)
{
	cscope inner;
	uint32_t n;
	if (r->x->depth >= C_MAX_DEPTH)
		return cfail(r->x, at, "type nesting is too deep");
	if (!crd_count(r, &n))
		return false;
	scope_init(&inner, comp ? SC_COMPTYPE : SC_INSTTYPE, s, NULL, r->x);
	r->x->depth++;
	for (uint32_t i = 0; i < n; i++)
		if (!rd_decl(r, &inner, comp))
			return false;
	r->x->depth--;
	if (comp) {
		t->kind = CT_COMPONENT;
		t->comp = scope_comptype(r->x, &inner);
		return t->comp != NULL;
	}
	t->kind = CT_INSTANCE;
	t->inst = scope_insttype(r->x, &inner);
	return t->inst != NULL;
}

/* A deftype: the type section's entries and type declarators. */
bool dec_type(cctx *x, crd *r, cscope *s)
{
	size_t at = crd_off(r);
	cany t = { 0 };
	uint32_t dtor = COPT_NONE;
	cdef *d;
	uint8_t b;
	if (!crd_byte(r, &b))
		return false;
	if (b == 0x40 || b == 0x43) {
		t.kind = CT_FUNC;
		if (!rd_functype(r, s, b == 0x43, &t.func))
			return false;
	} else if (b == 0x41 || b == 0x42) {
		if (!rd_decls(r, s, &t, b == 0x41, at))
			return false;
	} else if (b == 0x3f) {
		if (!rd_resource(r, s, &t, &dtor, at))
			return false;
	} else {
		t.kind = CT_VAL;
		if (!(t.val = rd_defvaltype(r, s, b, at)))
			return false;
	}
	citem it = { .type = t };
	if (!scope_push_item(x, s, CS_TYPE, &it, CD_TYPE, at, &d))
		return false;
	if (d && t.kind == CT_RESOURCE) {
		d->res_def = true;
		d->res = t.res->res;
		d->dtor = dtor;
	}
	return true;
}
