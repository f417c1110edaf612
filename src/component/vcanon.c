/*
 * vcanon.c: the canon section: lift and lower with their options checked
 * against the flattened core signature (CanonicalABI.md, MAX_FLAT_PARAMS
 * 16, MAX_FLAT_RESULTS 1), the resource built-ins, and the async, thread,
 * stream, future and error-context built-ins, which are decoded and
 * validated but not run.
 */
#include "cvalid.h"

#include <stdio.h>
#include <string.h>

/* ---- flattening ---- */

/* Does t (transitively) hold a string or a list (a pointer into memory)? */
bool vc_contains_ptr(cctx *x, const ctype *t)
{
	bool found, r = false;
	const void *v;
	if (!t)
		return false;
	if (t->kind == WR_C_STRING || t->kind == CK_MAP || (t->kind == WR_C_LIST && !t->fixed_len))
		return true;
	if ((unsigned)t->kind < WR_C_STRING || t->kind == CK_ERRCTX || t->kind == CK_STREAM ||
	    t->kind == CK_FUTURE || t->kind == WR_C_OWN || t->kind == WR_C_BORROW)
		return false;
	if ((v = cmap_get(&x->ptr_memo, t, &found)) && found)
		return v == t;
	r = vc_contains_ptr(x, t->elem) || vc_contains_ptr(x, t->err);
	for (uint32_t i = 0; !r && t->f && i < t->n; i++)
		r = vc_contains_ptr(x, t->f[i].type);
	cmap_put(&x->ptr_memo, t, r ? (const void *)t : (const void *)&x->ptr_memo);
	return r;
}

typedef struct flat {
	uint8_t v[C_MAX_FLAT_PARAMS + 2];
	uint32_t n, max;
	bool over;
} flat;

static void flat_push(flat *f, uint8_t t)
{
	if (f->n >= f->max)
		f->over = true;
	else
		f->v[f->n++] = t;
}

static uint8_t join(uint8_t a, uint8_t b)
{
	if (a == b)
		return a;
	if ((a == WR_I32 && b == WR_F32) || (a == WR_F32 && b == WR_I32))
		return WR_I32;
	return WR_I64;
}

static void flatten(const ctype *t, flat *f);

static const ctype *case_type(const ctype *t, uint32_t i)
{
	if (t->kind == WR_C_OPTION)
		return i ? t->elem : NULL;
	if (t->kind == WR_C_RESULT)
		return i ? t->err : t->elem;
	return t->f[i].type;
}

/* A variant, option or result: a discriminant, then at each position the
 * join of the cases' flattenings. */
static void flatten_cases(const ctype *t, flat *f)
{
	uint32_t start, n = t->kind == WR_C_VARIANT ? t->n : 2;
	flat_push(f, WR_I32);
	start = f->n;
	for (uint32_t i = 0; i < n && !f->over; i++) {
		flat c = { .max = C_MAX_FLAT_PARAMS + 1 };
		const ctype *ct = case_type(t, i);
		if (!ct)
			continue;
		flatten(ct, &c);
		for (uint32_t j = 0; j < c.n && !f->over; j++) {
			if (start + j < f->n)
				f->v[start + j] = join(f->v[start + j], c.v[j]);
			else
				flat_push(f, c.v[j]);
		}
		f->over |= c.over;
	}
}

static void flatten(const ctype *t, flat *f)
{
	if (f->over)
		return;
	switch ((int)t->kind) {
	case WR_C_S64: case WR_C_U64: flat_push(f, WR_I64); return;
	case WR_C_F32: flat_push(f, WR_F32); return;
	case WR_C_F64: flat_push(f, WR_F64); return;
	case WR_C_STRING: case CK_MAP: flat_push(f, WR_I32); flat_push(f, WR_I32); return;
	case WR_C_LIST:
		if (!t->fixed_len) {
			flat_push(f, WR_I32);
			flat_push(f, WR_I32);
		}
		for (uint32_t i = 0; i < t->fixed_len && !f->over; i++)
			flatten(t->elem, f);
		return;
	case WR_C_RECORD: case WR_C_TUPLE:
		for (uint32_t i = 0; i < t->n && !f->over; i++)
			flatten(t->f[i].type, f);
		return;
	case WR_C_VARIANT: case WR_C_OPTION: case WR_C_RESULT:
		flatten_cases(t, f);
		return;
	default: flat_push(f, WR_I32); return;
	}
}

/* ---- options ---- */

static const char *const enc_names[] = { "utf8", "utf16", "latin1-utf16" };

/* The realloc option's function: (i32 i32 i32 i32) -> i32. */
static bool check_realloc(cctx *x, cscope *s, const copts *o, size_t off)
{
	static const uint8_t want[4] = { WR_I32, WR_I32, WR_I32, WR_I32 };
	citem *f;
	if (o->realloc == COPT_NONE)
		return true;
	if (o->memory == COPT_NONE)
		return cfail(x, off, "canonical option `realloc` requires `memory` to also be specified");
	if (!(f = scope_item(x, s, CS_CORE_FUNC, o->realloc, off)))
		return false;
	if (f->core_func->nparams != 4 || memcmp(f->core_func->params, want, 4) != 0 ||
	    f->core_func->nresults != 1 || f->core_func->results[0] != WR_I32)
		return cfail(x, off, "canonical option `realloc` uses a core function with an "
		                     "incorrect signature");
	return true;
}

/* One option: opcode b. */
static bool rd_option(crd *r, cscope *s, copts *o, bool *has_enc, size_t off)
{
	static const char *const names[] = { "", "", "", "memory", "realloc", "post-return",
	                                     "async", "callback" };
	uint32_t *slot[] = { NULL, NULL, NULL, &o->memory, &o->realloc, &o->post_return, NULL,
	                     &o->callback };
	size_t at = crd_off(r);
	uint8_t b;
	if (!crd_byte(r, &b))
		return false;
	if (b > 7)
		return crd_bad_byte(r, at, b, "canonical option");
	if (b <= 2) {
		if (*has_enc)
			return cfail(r->x, off, "canonical encoding option `%s` conflicts with option `%s`",
			             enc_names[o->encoding], enc_names[b]);
		*has_enc = true;
		o->encoding = (cstrenc)b;
		return true;
	}
	if (b == 6) {
		if (o->async)
			return cfail(r->x, off, "canonical option `async` is specified more than once");
		o->async = true;
		return true;
	}
	if (*slot[b] != COPT_NONE)
		return cfail(r->x, off, "canonical option `%s` is specified more than once", names[b]);
	if (!crd_u32(r, slot[b]))
		return false;
	if (b == 3) {
		citem *m = scope_item(r->x, s, CS_CORE_MEMORY, o->memory, off);
		if (!m)
			return false;
		if (m->core.shared || m->core.is64)
			return cfail(r->x, off, "canonical option `memory` must be a 32-bit, unshared "
			                        "memory");
	}
	return true;
}

static bool rd_options(crd *r, cscope *s, copts *o, size_t off)
{
	bool has_enc = false;
	uint32_t n;
	memset(o, 0, sizeof(*o));
	o->memory = o->realloc = o->post_return = o->callback = COPT_NONE;
	if (!crd_count(r, &n))
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (!rd_option(r, s, o, &has_enc, off))
			return false;
	if (!o->async && o->callback != COPT_NONE)
		return cfail(r->x, off, "cannot specify callback without async");
	if (o->async && o->post_return != COPT_NONE)
		return cfail(r->x, off, "cannot specify post-return function in async");
	return check_realloc(r->x, s, o, off);
}

/* ---- lift and lower ---- */

static bool need_memory(cctx *x, const copts *o, size_t off)
{
	return o->memory != COPT_NONE ? true : cfail(x, off, "canonical option `memory` is required");
}

static bool need_realloc(cctx *x, const copts *o, size_t off)
{
	if (!need_memory(x, o, off))
		return false;
	return o->realloc != COPT_NONE ? true
	                               : cfail(x, off, "canonical option `realloc` is required");
}

/* The core signature of f lifted (lift) or lowered, with the options it
 * requires; into params/results. */
static bool lower_sig(cctx *x, const cfunctype *f, const copts *o, bool lift, flat *p, flat *res,
                      size_t off)
{
	p->max = C_MAX_FLAT_PARAMS;
	res->max = C_MAX_FLAT_RESULTS;
	if (!lift && o->async) {
		/* Async lowering: at most 4 flat parameters, results by pointer. */
		p->max = 4;
		for (uint32_t i = 0; i < f->nparams && !p->over; i++) {
			if (vc_contains_ptr(x, f->params[i].type) && !need_memory(x, o, off))
				return false;
			flatten(f->params[i].type, p);
		}
		if (p->over) {
			p->n = 0, p->over = false;
			flat_push(p, WR_I32);
			if (!need_memory(x, o, off))
				return false;
		}
		p->max = C_MAX_FLAT_PARAMS;
		if (f->result) {
			if (!need_memory(x, o, off) ||
			    (vc_contains_ptr(x, f->result) && !need_realloc(x, o, off)))
				return false;
			flat_push(p, WR_I32);
		}
		flat_push(res, WR_I32);
		return true;
	}
	for (uint32_t i = 0; i < f->nparams; i++) {
		bool ptr = vc_contains_ptr(x, f->params[i].type);
		if (ptr && !(lift ? need_realloc(x, o, off) : need_memory(x, o, off)))
			return false;
		flatten(f->params[i].type, p);
		if (p->over) {
			p->n = 0, p->over = false;
			flat_push(p, WR_I32);
			if (!need_memory(x, o, off) || (lift && !need_realloc(x, o, off)))
				return false;
			break;
		}
	}
	if (lift && o->async) {
		if (o->callback != COPT_NONE)
			flat_push(res, WR_I32);
		return true;
	}
	if (!f->result)
		return true;
	if (!lift && vc_contains_ptr(x, f->result) && !need_realloc(x, o, off))
		return false;
	flatten(f->result, res);
	if (res->over) {
		res->n = 0, res->over = false;
		if (!need_memory(x, o, off))
			return false;
		if (lift) {
			flat_push(res, WR_I32);
		} else {
			p->max = C_MAX_FLAT_PARAMS + 1;
			flat_push(p, WR_I32);
		}
	}
	return true;
}

static void fmt_types(const uint8_t *v, uint32_t n, char *buf, size_t size)
{
	size_t k = (size_t)snprintf(buf, size, "[");
	for (uint32_t i = 0; i < n && k < size; i++) {
		const char *t = vt_core_valtype_name(v[i]);
		char up[16];
		size_t j = 0;
		for (; t[j] && j < sizeof(up) - 1; j++)
			up[j] = (char)(t[j] >= 'a' && t[j] <= 'z' ? t[j] - 32 : t[j]);
		up[j] = 0;
		k += (size_t)snprintf(buf + k, size - k, "%s%s", i ? ", " : "", up);
	}
	if (k < size)
		snprintf(buf + k, size - k, "]");
}

static bool compare_sig(cctx *x, const flat *p, const flat *res, const wr_functype *core,
                        uint32_t idx, size_t off)
{
	char a[80], b[80];
	if (p->n != core->nparams || memcmp(p->v, core->params, p->n) != 0) {
		fmt_types(p->v, p->n, a, sizeof(a));
		fmt_types(core->params, core->nparams, b, sizeof(b));
		return cfail(x, off, "lowered parameter types `%s` do not match parameter types `%s` "
		             "of core function %u", a, b, idx);
	}
	if (res->n != core->nresults || memcmp(res->v, core->results, res->n) != 0) {
		fmt_types(res->v, res->n, a, sizeof(a));
		fmt_types(core->results, core->nresults, b, sizeof(b));
		return cfail(x, off, "lowered result types `%s` do not match result types `%s` of "
		             "core function %u", a, b, idx);
	}
	return true;
}

/* post-return takes the core function's results; callback (i32 i32 i32)
 * or (i32). */
static bool check_lift_opts(cctx *x, cscope *s, const copts *o, const wr_functype *core,
                            size_t off)
{
	citem *f;
	if (o->post_return != COPT_NONE) {
		if (!(f = scope_item(x, s, CS_CORE_FUNC, o->post_return, off)))
			return false;
		if (f->core_func->nresults != 0 || f->core_func->nparams != core->nresults ||
		    memcmp(f->core_func->params, core->results, core->nresults) != 0)
			return cfail(x, off, "canonical option `post-return` uses a core function with "
			                     "an incorrect signature");
	}
	if (o->callback != COPT_NONE) {
		if (!(f = scope_item(x, s, CS_CORE_FUNC, o->callback, off)))
			return false;
		const wr_functype *c = f->core_func;
		bool ok = (c->nparams == 3 || c->nparams == 1);
		for (uint32_t i = 0; ok && i < c->nparams; i++)
			ok = c->params[i] == WR_I32;
		if (!ok)
			return cfail(x, off, "canonical option `callback` uses a core function with an "
			                     "incorrect signature");
	}
	return true;
}

static bool dec_lift(cctx *x, crd *r, cscope *s, size_t off)
{
	uint32_t cidx, tidx;
	copts o;
	citem *core, *ft;
	flat p = { 0 }, res = { 0 };
	cdef *d;
	if (!crd_u32(r, &cidx) || !rd_options(r, s, &o, off) || !crd_u32(r, &tidx))
		return false;
	if (!(ft = scope_item(x, s, CS_TYPE, tidx, off)))
		return false;
	if (ft->type.kind != CT_FUNC)
		return cfail(x, off, "type index %u is not a function type", tidx);
	if (!(core = scope_item(x, s, CS_CORE_FUNC, cidx, off)))
		return false;
	const cfunctype *f = ft->type.func;
	const wr_functype *cf = core->core_func;
	if (!check_lift_opts(x, s, &o, cf, off))
		return false;
	if (o.async && !f->async)
		return cfail(x, off, "the `async` canonical option requires an async function type");
	if (!lower_sig(x, f, &o, true, &p, &res, off) || !compare_sig(x, &p, &res, cf, cidx, off))
		return false;
	citem it = { .func = f };
	if (!scope_push_item(x, s, CS_FUNC, &it, CD_CANON_LIFT, off, &d))
		return false;
	if (d) {
		d->index0 = cidx;
		d->func = f;
		d->core_func = cf;
		d->opts = o;
	}
	return true;
}

static bool dec_lower(cctx *x, crd *r, cscope *s, size_t off)
{
	uint32_t fidx;
	copts o;
	citem *fi;
	flat p = { 0 }, res = { 0 };
	cdef *d;
	if (!crd_u32(r, &fidx) || !rd_options(r, s, &o, off))
		return false;
	if (!(fi = scope_item(x, s, CS_FUNC, fidx, off)))
		return false;
	if (o.post_return != COPT_NONE)
		return cfail(x, off, "canonical option `post-return` cannot be specified for lowerings");
	if (o.callback != COPT_NONE)
		return cfail(x, off, "canonical option `callback` cannot be specified for lowerings");
	if (o.async && !fi->func->async)
		return cfail(x, off, "the `async` canonical option requires an async function type");
	if (!lower_sig(x, fi->func, &o, false, &p, &res, off))
		return false;
	citem it = { .core_func = vt_core_functype(x, p.v, p.n, res.v, res.n) };
	if (!it.core_func)
		return false;
	if (!scope_push_item(x, s, CS_CORE_FUNC, &it, CD_CANON_LOWER, off, &d))
		return false;
	if (d) {
		d->index0 = fidx;
		d->func = fi->func;
		d->core_func = it.core_func;
		d->opts = o;
	}
	return true;
}

/* ---- built-ins ---- */

/* Push a core function of the signature params -> results (strings of
 * 'i' i32, 'I' i64), made by definition kind. */
static bool push_builtin(cctx *x, cscope *s, cdkind kind, const char *params,
                         const char *results, uint8_t t, size_t off, cdef **dp)
{
	uint8_t p[C_MAX_FLAT_PARAMS + 2], r[8];
	uint32_t np = 0, nr = 0;
	for (; params[np]; np++)
		p[np] = params[np] == 'I' ? WR_I64 : params[np] == 't' ? t : params[np] == 'f' ? WR_F32
		      : params[np] == 'F' ? WR_F64 : WR_I32;
	for (; results[nr]; nr++)
		r[nr] = results[nr] == 'I' ? WR_I64 : results[nr] == 't' ? t : WR_I32;
	citem it = { .core_func = vt_core_functype(x, p, np, r, nr) };
	if (!it.core_func)
		return false;
	if (!scope_push_item(x, s, CS_CORE_FUNC, &it, kind, off, dp))
		return false;
	if (*dp)
		(*dp)->core_func = it.core_func;
	return true;
}

/* resource.new (op 2), resource.drop (3), resource.rep (4). */
static bool dec_resource_builtin(cctx *x, crd *r, cscope *s, uint8_t op, size_t off)
{
	static const cdkind kinds[] = { CD_CANON_RESOURCE_NEW, CD_CANON_RESOURCE_DROP,
	                                CD_CANON_RESOURCE_REP };
	static const char *const sig[3][2] = { { "i", "i" }, { "i", "" }, { "i", "i" } };
	uint32_t idx;
	citem *t;
	cdef *d;
	if (!crd_u32(r, &idx) || !(t = scope_item(x, s, CS_TYPE, idx, off)))
		return false;
	if (t->type.kind != CT_RESOURCE)
		return cfail(x, off, "type index %u is not a resource type", idx);
	if (op != 3 && !cmap_has(&s->local_res, t->type.res->res))
		return cfail(x, off, "type %u is not a local resource", idx);
	if (!push_builtin(x, s, kinds[op - 2], sig[op - 2][0], sig[op - 2][1], WR_I32, off, &d))
		return false;
	if (d) {
		d->index0 = idx;
		d->res = t->type.res->res;
	}
	return true;
}

/* Immediates of the other built-ins. */
enum { IM_NONE, IM_RESULT_OPTS, IM_CTX, IM_BOOL, IM_TYPE, IM_TYPE_OPTS, IM_TYPE_BOOL, IM_OPTS,
       IM_BOOL_MEM, IM_CTYPE_TABLE, IM_SH_CTYPE, IM_SH_CTYPE_TABLE, IM_SH };

static const struct builtin {
	uint8_t op, imm;
	const char *name, *params, *results;
	int8_t stream; /* 1: requires a stream type, 2: a future type */
} builtins[] = {
	{ 0x24, IM_NONE, "backpressure.inc", "", "", 0 },
	{ 0x25, IM_NONE, "backpressure.dec", "", "", 0 },
	{ 0x09, IM_RESULT_OPTS, "task.return", "", "", 0 },
	{ 0x05, IM_NONE, "task.cancel", "", "", 0 },
	{ 0x0a, IM_CTX, "context.get", "", "t", 0 },
	{ 0x0b, IM_CTX, "context.set", "t", "", 0 },
	{ 0x06, IM_BOOL, "subtask.cancel", "i", "i", 0 },
	{ 0x0d, IM_NONE, "subtask.drop", "i", "", 0 },
	{ 0x0e, IM_TYPE, "stream.new", "", "I", 1 },
	{ 0x0f, IM_TYPE_OPTS, "stream.read", "iii", "i", 1 },
	{ 0x10, IM_TYPE_OPTS, "stream.write", "iii", "i", 1 },
	{ 0x11, IM_TYPE_BOOL, "stream.cancel-read", "i", "i", 1 },
	{ 0x12, IM_TYPE_BOOL, "stream.cancel-write", "i", "i", 1 },
	{ 0x13, IM_TYPE, "stream.drop-readable", "i", "", 1 },
	{ 0x14, IM_TYPE, "stream.drop-writable", "i", "", 1 },
	{ 0x15, IM_TYPE, "future.new", "", "I", 2 },
	{ 0x16, IM_TYPE_OPTS, "future.read", "ii", "i", 2 },
	{ 0x17, IM_TYPE_OPTS, "future.write", "ii", "i", 2 },
	{ 0x18, IM_TYPE_BOOL, "future.cancel-read", "i", "i", 2 },
	{ 0x19, IM_TYPE_BOOL, "future.cancel-write", "i", "i", 2 },
	{ 0x1a, IM_TYPE, "future.drop-readable", "i", "", 2 },
	{ 0x1b, IM_TYPE, "future.drop-writable", "i", "", 2 },
	{ 0x1c, IM_OPTS, "error-context.new", "ii", "i", 0 },
	{ 0x1d, IM_OPTS, "error-context.debug-message", "ii", "", 0 },
	{ 0x1e, IM_NONE, "error-context.drop", "i", "", 0 },
	{ 0x1f, IM_NONE, "waitable-set.new", "", "i", 0 },
	{ 0x20, IM_BOOL_MEM, "waitable-set.wait", "ii", "i", 0 },
	{ 0x21, IM_BOOL_MEM, "waitable-set.poll", "ii", "i", 0 },
	{ 0x22, IM_NONE, "waitable-set.drop", "i", "", 0 },
	{ 0x23, IM_NONE, "waitable.join", "ii", "", 0 },
	{ 0x26, IM_NONE, "thread.index", "", "i", 0 },
	{ 0x27, IM_CTYPE_TABLE, "thread.new-indirect", "ii", "i", 0 },
	{ 0x28, IM_NONE, "thread.resume-later", "i", "", 0 },
	{ 0x29, IM_BOOL, "thread.suspend", "", "i", 0 },
	{ 0x0c, IM_BOOL, "thread.yield", "", "i", 0 },
	{ 0x2a, IM_BOOL, "thread.suspend-then-resume", "i", "i", 0 },
	{ 0x2b, IM_BOOL, "thread.yield-then-resume", "i", "i", 0 },
	{ 0x2c, IM_BOOL, "thread.suspend-then-promote", "i", "i", 0 },
	{ 0x2d, IM_BOOL, "thread.yield-then-promote", "i", "i", 0 },
	{ 0x40, IM_SH_CTYPE, "thread.spawn-ref", "i", "i", 0 },
	{ 0x41, IM_SH_CTYPE_TABLE, "thread.spawn-indirect", "ii", "i", 0 },
	{ 0x42, IM_SH, "thread.available-parallelism", "", "i", 0 },
};

/* A stream or future type index, as the built-in requires. */
static bool builtin_type(cctx *x, crd *r, cscope *s, const struct builtin *b, size_t off)
{
	uint32_t idx;
	citem *t;
	wr_ckind want = b->stream == 1 ? CK_STREAM : CK_FUTURE;
	if (!crd_u32(r, &idx) || !(t = scope_item(x, s, CS_TYPE, idx, off)))
		return false;
	if (t->type.kind != CT_VAL || t->type.val->kind != want)
		return cfail(x, off, "`%s` requires a %s type", b->name,
		             b->stream == 1 ? "stream" : "future");
	return true;
}

static bool builtin_index(cctx *x, crd *r, cscope *s, csort sort, size_t off)
{
	uint32_t idx;
	return crd_u32(r, &idx) && scope_item(x, s, sort, idx, off) != NULL;
}

/* task.return: a result list and options; the core function takes the
 * result's flattening as parameters (lowered: more than 16 go by pointer). */
static bool builtin_task_return(cctx *x, crd *r, cscope *s, flat *p, size_t off)
{
	copts o;
	int64_t code;
	size_t at = crd_off(r);
	const ctype *t = NULL;
	uint8_t b, z;
	if (!crd_byte(r, &b))
		return false;
	if (b == 0x00) {
		if (!crd_s33(r, &code) || !(t = vt_valtype(x, s, code, at)))
			return false;
	} else if (b != 0x01 || !crd_byte(r, &z) || z != 0) {
		return x->failed ? false : crd_bad_byte(r, at, b, "component function results");
	}
	if (!rd_options(r, s, &o, off))
		return false;
	if (o.realloc != COPT_NONE)
		return cfail(x, off, "cannot specify `realloc` option on `task.return`");
	if (o.post_return != COPT_NONE)
		return cfail(x, off, "cannot specify `post-return` option on `task.return`");
	p->max = C_MAX_FLAT_PARAMS;
	if (t && vc_contains_ptr(x, t) && !need_memory(x, &o, off))
		return false;
	if (t)
		flatten(t, p);
	if (p->over) {
		p->n = 0, p->over = false;
		flat_push(p, WR_I32);
		return need_memory(x, &o, off);
	}
	return true;
}

static bool builtin_imm(cctx *x, crd *r, cscope *s, const struct builtin *b, uint8_t *t,
                        flat *p, size_t off)
{
	copts o;
	bool flag;
	uint32_t v;
	switch (b->imm) {
	case IM_RESULT_OPTS: return builtin_task_return(x, r, s, p, off);
	case IM_CTX:
		if (!crd_byte(r, t) || !crd_u32(r, &v))
			return false;
		if (*t != WR_I32)
			return cfail(x, off, "`%s` only supports `i32`", b->name);
		return v <= 1 ? true : cfail(x, off, "`%s` immediate must be zero or one: %u",
		                             b->name, v);
	case IM_BOOL: case IM_SH: return crd_bool(r, &flag);
	case IM_TYPE: return builtin_type(x, r, s, b, off);
	case IM_TYPE_OPTS: return builtin_type(x, r, s, b, off) && rd_options(r, s, &o, off);
	case IM_TYPE_BOOL: return builtin_type(x, r, s, b, off) && crd_bool(r, &flag);
	case IM_OPTS: return rd_options(r, s, &o, off);
	case IM_BOOL_MEM: return crd_bool(r, &flag) && builtin_index(x, r, s, CS_CORE_MEMORY, off);
	case IM_CTYPE_TABLE:
		return builtin_index(x, r, s, CS_CORE_TYPE, off) &&
		       builtin_index(x, r, s, CS_CORE_TABLE, off);
	case IM_SH_CTYPE: return crd_bool(r, &flag) && builtin_index(x, r, s, CS_CORE_TYPE, off);
	case IM_SH_CTYPE_TABLE:
		return crd_bool(r, &flag) && builtin_index(x, r, s, CS_CORE_TYPE, off) &&
		       builtin_index(x, r, s, CS_CORE_TABLE, off);
	default: return true;
	}
}

static bool dec_other_builtin(cctx *x, crd *r, cscope *s, uint8_t op, size_t off)
{
	const struct builtin *b = NULL;
	uint8_t t = WR_I32;
	cdef *d;
	for (size_t i = 0; !b && i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (builtins[i].op == op)
			b = &builtins[i];
	if (!b)
		return crd_bad_byte(r, off, op, "canonical function");
	flat p = { 0 };
	char params[C_MAX_FLAT_PARAMS + 2];
	if (!builtin_imm(x, r, s, b, &t, &p, off))
		return false;
	if (b->imm == IM_RESULT_OPTS) {
		for (uint32_t i = 0; i < p.n; i++)
			params[i] = p.v[i] == WR_I64 ? 'I' : p.v[i] == WR_I32 ? 'i' : p.v[i] == WR_F32 ? 'f' : 'F';
		params[p.n] = 0;
	}
	if (!push_builtin(x, s, CD_CANON_OTHER, b->imm == IM_RESULT_OPTS ? params : b->params,
	                  b->results, t, off, &d))
		return false;
	if (d)
		d->opcode = op;
	return true;
}

bool dec_canon(cctx *x, crd *r, cscope *s)
{
	size_t at = crd_off(r);
	uint8_t op, sort;
	if (!crd_byte(r, &op))
		return false;
	if (op == 0x00 || op == 0x01) {
		if (!crd_byte(r, &sort))
			return false;
		if (sort != 0x00)
			return crd_bad_byte(r, at + 1, sort, op ? "canonical function lower"
			                                        : "canonical function lift");
		return op ? dec_lower(x, r, s, at) : dec_lift(x, r, s, at);
	}
	if (op >= 0x02 && op <= 0x04)
		return dec_resource_builtin(x, r, s, op, at);
	return dec_other_builtin(x, r, s, op, at);
}
