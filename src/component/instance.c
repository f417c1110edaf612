/*
 * instance.c: instantiating a component (Explainer.md, "Instance
 * Definitions"): each ccomp is run in a frame, its definitions in order,
 * each one computing the run-time item it appends to its sort's array:
 * core modules instantiated in the store with imports found by (module,
 * name) in the instances of their `with` arguments, core instances made of
 * exports, aliases (of instance exports, of core instance exports, of an
 * enclosing frame's items), nested components (a component value keeps
 * the frame it was defined in, for its outer aliases) and their
 * instantiations, resource types (a fresh run-time cresource per
 * instantiation, owned by the frame's canonical instance), `canon lift`
 * (a cfunc whose type has this frame's resources), `canon lower` and the
 * resource built-ins (core functions from canon.h), imports (the
 * arguments, or the linker's for the top component) and exports.
 */
#include "clink.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Component instantiations (frames) per top-level instantiation: a small
 * binary can nest instantiations so that their number doubles per level. */
#define CLINK_MAX_FRAMES 20000u
/* Run-time items, exports and copied resource bindings over all the frames
 * of one top-level instantiation: a nested component's items are
 * allocated at each of its instantiations, so a small binary could ask for
 * far more. */
#define CLINK_MAX_WORK (1ull << 23)

static bool vfail(struct wr_cinstance *top, const char *fmt, va_list ap)
{
	wr_trap *t = top->trap;
	if (t->kind == WR_OK) {
		t->kind = WR_TRAP_LINK;
		vsnprintf(t->message, sizeof(t->message), fmt, ap);
	}
	return false;
}

bool clink_fail(struct wr_cinstance *top, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(top, fmt, ap);
	va_end(ap);
	return false;
}

bool clink_oom(struct wr_cinstance *top)
{
	return clink_fail(top, "out of memory");
}

const cresource *clink_res(const cframe *f, const cresource *r)
{
	return csubst_res(f->subst, r);
}

static bool map_add(cframe *f, const cresource *r, const cresource *to)
{
	if (f->nmap == f->capmap) {
		uint32_t cap = f->capmap ? f->capmap * 2 : 8;
		const cresource **a = ctype_alloc(f->top->arena, cap * sizeof(*a));
		const cresource **b = ctype_alloc(f->top->arena, cap * sizeof(*b));
		if (!a || !b)
			return false;
		if (f->nmap) {
			memcpy(a, f->from, f->nmap * sizeof(*a));
			memcpy(b, f->to, f->nmap * sizeof(*b));
		}
		f->from = a;
		f->to = b;
		f->capmap = cap;
	}
	f->from[f->nmap] = r;
	f->to[f->nmap++] = to;
	return csubst_add(f->subst, r, to);
}

bool clink_map(cframe *f, const cresource *r, const cresource *to, const char *what)
{
	const cresource *cur = csubst_res(f->subst, r);
	if (cur == to)
		return true;
	if (cur != r)
		return clink_fail(f->top, "%s: resource type `%s` bound to two different types", what,
		                  r->name ? r->name : "?");
	if (!map_add(f, r, to))
		return clink_oom(f->top);
	return true;
}

static void *alloc(cframe *f, size_t n)
{
	void *p = ctype_alloc(f->top->arena, n ? n : 1);
	if (!p)
		clink_oom(f->top);
	return p;
}

/* ---- core instances ---- */

static const char *coreinst_name(const void *ctx, uint32_t i, uint32_t *len)
{
	const rcoreinst *ci = ctx;
	*len = ci->lens[i];
	return ci->names[i];
}

static bool coreinst_get(const rcoreinst *ci, const char *name, size_t len, wr_extern *out)
{
	if (ci->inst)
		return wr_instance_export_n(ci->inst, name, len, out);
	if (ci->idx.slot) {
		uint32_t i = cnameidx_find(&ci->idx, name, len, coreinst_name, ci);
		if (i != UINT32_MAX)
			*out = ci->ext[i];
		return i != UINT32_MAX;
	}
	for (uint32_t i = 0; i < ci->n; i++)
		if (ci->lens[i] == len && !memcmp(ci->names[i], name, len)) {
			*out = ci->ext[i];
			return true;
		}
	return false;
}

static const char *core_arg_name(const void *ctx, uint32_t i, uint32_t *len)
{
	const cdef *d = ctx;
	*len = d->core_args[i].name_len;
	return d->core_args[i].name;
}

static const ccore_arg *core_arg(const cdef *d, const cnameidx *idx, const char *name,
                                 size_t len)
{
	if (idx->slot) {
		uint32_t i = cnameidx_find(idx, name, len, core_arg_name, d);
		return i == UINT32_MAX ? NULL : &d->core_args[i];
	}
	for (uint32_t i = 0; i < d->nargs; i++)
		if (d->core_args[i].name_len == len && !memcmp(d->core_args[i].name, name, len))
			return &d->core_args[i];
	return NULL;
}

/* The imports of core module m, from the instances of d's arguments. */
static bool core_imports(cframe *f, const cdef *d, const wr_module *m, wr_extern *imp)
{
	size_t n = wr_module_import_count(m);
	cnameidx idx = { NULL, 0 };
	if (d->nargs >= CNAMEIDX_MIN && !cnameidx_build(f->top->arena, &idx, d->nargs,
	                                                core_arg_name, d))
		return clink_oom(f->top);
	for (size_t i = 0; i < n; i++) {
		wr_import im;
		wr_module_import(m, i, &im);
		const ccore_arg *a = core_arg(d, &idx, im.module, im.module_len);
		if (!a || a->instance >= f->c->count[CS_CORE_INSTANCE])
			return clink_fail(f->top, "core module import `%s`: no instance argument",
			                  im.module);
		const rcoreinst *ci = f->items[CS_CORE_INSTANCE][a->instance].coreinst;
		if (!ci || !coreinst_get(ci, im.name, im.name_len, &imp[i]))
			return clink_fail(f->top, "core module import `%s` `%s`: not exported by the argument",
			                  im.module, im.name);
		if (imp[i].kind != im.type.kind)
			return clink_fail(f->top, "core module import `%s` `%s`: incompatible import type",
			                  im.module, im.name);
	}
	return true;
}

static bool core_instantiate(cframe *f, const cdef *d, ritem *it)
{
	wr_module *m = f->items[CS_CORE_MODULE][d->index0].module;
	if (!m)
		return clink_fail(f->top, "core module %u is not available", d->index0);
	size_t n = wr_module_import_count(m);
	wr_extern *imp = calloc(n ? n : 1, sizeof(*imp));
	if (!imp)
		return clink_oom(f->top);
	bool ok = core_imports(f, d, m, imp);
	wr_instance *inst = NULL;
	if (ok)
		inst = wr_instantiate(f->top->store, m, imp, n, f->top->trap);
	free(imp);
	if (!inst) {
		if (ok && f->top->trap->kind == WR_OK)
			clink_fail(f->top, "core instantiation failed");
		return false;
	}
	rcoreinst *ci = alloc(f, sizeof(*ci));
	if (!ci)
		return false;
	ci->inst = inst;
	it->coreinst = ci;
	return true;
}

static bool core_exports(cframe *f, const cdef *d, ritem *it)
{
	rcoreinst *ci = alloc(f, sizeof(*ci));
	if (!ci)
		return false;
	ci->n = d->nargs;
	ci->names = alloc(f, d->nargs * sizeof(*ci->names));
	ci->lens = alloc(f, d->nargs * sizeof(*ci->lens));
	ci->ext = alloc(f, d->nargs * sizeof(*ci->ext));
	if (!ci->names || !ci->lens || !ci->ext)
		return false;
	for (uint32_t i = 0; i < d->nargs; i++) {
		const carg *a = &d->args[i];
		if (a->sort > CS_CORE_TAG || a->index >= f->c->count[a->sort])
			return clink_fail(f->top, "core instance export `%s`: bad item", a->name);
		ci->names[i] = a->name;
		ci->lens[i] = a->name_len;
		ci->ext[i] = f->items[a->sort][a->index].core;
	}
	if (ci->n >= CNAMEIDX_MIN &&
	    !cnameidx_build(f->top->arena, &ci->idx, ci->n, coreinst_name, ci))
		return clink_oom(f->top);
	it->coreinst = ci;
	return true;
}

static bool alias_core_export(cframe *f, const cdef *d, ritem *it)
{
	const rcoreinst *ci = f->items[CS_CORE_INSTANCE][d->index0].coreinst;
	if (!ci || !coreinst_get(ci, d->name, d->name_len, &it->core))
		return clink_fail(f->top, "core instance %u has no export `%s`", d->index0, d->name);
	if ((int)it->core.kind != (int)d->sort)
		return clink_fail(f->top, "core export `%s` is not a %s", d->name, csort_name(d->sort));
	return true;
}

/* ---- component-level items ---- */

static bool alias_export(cframe *f, const cdef *d, ritem *it)
{
	const rinst *in = f->items[CS_INSTANCE][d->index0].inst;
	const rexport *e = rinst_find(in, d->name, d->name_len);
	if (!e || e->sort != d->sort || !ritem_has(&e->item, d->sort))
		return clink_fail(f->top, "instance %u has no %s export `%s`", d->index0,
		                  csort_name(d->sort), d->name);
	*it = e->item;
	return true;
}

static bool alias_outer(cframe *f, const cdef *d, ritem *it)
{
	const cframe *g = f;
	for (uint32_t i = 0; i < d->count && g; i++)
		g = g->outer;
	if (!g || d->index0 >= g->c->count[d->sort])
		return clink_fail(f->top, "outer alias out of reach");
	*it = g->items[d->sort][d->index0];
	return true;
}

static bool resource_def(cframe *f, const cdef *d, ritem *it)
{
	cresource *r = alloc(f, sizeof(*r));
	if (!r)
		return false;
	r->name = d->res && d->res->name ? d->res->name : "resource";
	r->owner = f->ci;
	if (d->dtor != COPT_NONE)
		r->dtor = f->items[CS_CORE_FUNC][d->dtor].core.of.func;
	it->res = r;
	return true;
}

static bool exports_def(cframe *f, const cdef *d, ritem *it)
{
	rinst *in = alloc(f, sizeof(*in));
	if (!in || !(in->e = alloc(f, d->nargs * sizeof(*in->e))))
		return false;
	in->n = d->nargs;
	for (uint32_t i = 0; i < d->nargs; i++) {
		const carg *a = &d->args[i];
		if (a->sort >= CS__COUNT || a->index >= f->c->count[a->sort])
			return clink_fail(f->top, "instance export `%s`: bad item", a->name);
		in->e[i] = (rexport){ a->name, a->name_len, a->sort, f->items[a->sort][a->index] };
	}
	if (!rinst_index(f->top->arena, in))
		return clink_oom(f->top);
	it->inst = in;
	return true;
}

static bool export_def(cframe *f, const cdef *d, ritem *it)
{
	*it = f->items[d->sort][d->index0];
	rinst *ex = f->exports;
	if (ex->n >= f->c->nexports)
		return clink_fail(f->top, "too many exports");
	ex->e[ex->n++] = (rexport){ d->name, d->name_len, d->sort, *it };
	return true;
}

static bool frame_run(struct wr_cinstance *top, const rcomp *rc, const rinst *args,
                      struct cinstance *parent, uint32_t depth, rinst **out);

static bool instantiate_def(cframe *f, const cdef *d, ritem *it)
{
	const rcomp *rc = f->items[CS_COMPONENT][d->index0].comp;
	if (!rc)
		return clink_fail(f->top, "component %u is not available", d->index0);
	rinst *args = alloc(f, sizeof(*args));
	if (!args || !(args->e = alloc(f, d->nargs * sizeof(*args->e))))
		return false;
	args->n = d->nargs;
	for (uint32_t i = 0; i < d->nargs; i++) {
		const carg *a = &d->args[i];
		if (a->sort >= CS__COUNT || a->index >= f->c->count[a->sort])
			return clink_fail(f->top, "instantiation argument `%s`: bad item", a->name);
		args->e[i] = (rexport){ a->name, a->name_len, a->sort, f->items[a->sort][a->index] };
	}
	if (!rinst_index(f->top->arena, args))
		return clink_oom(f->top);
	return frame_run(f->top, rc, args, f->ci, f->depth + 1, &it->inst);
}

static bool import_def(cframe *f, const cdef *d, ritem *it)
{
	const cextern *e = d->ext;
	if (!f->args)
		return clinker_resolve(f, e, it);
	const rexport *a = rinst_find(f->args, e->name, e->name_len);
	if (!a)
		return clink_fail(f->top, "import `%s`: no argument", e->name);
	*it = a->item;
	return clink_bind(f, e, it, e->name, false);
}

/* ---- canonical definitions ---- */

static bool core_func_index(cframe *f, uint32_t i, wr_func **out)
{
	*out = NULL;
	if (i == COPT_NONE)
		return true;
	if (i >= f->c->count[CS_CORE_FUNC])
		return clink_fail(f->top, "core func %u out of range", i);
	*out = f->items[CS_CORE_FUNC][i].core.of.func;
	return true;
}

static bool canon_opts(cframe *f, const copts *o, struct canonopts *out)
{
	memset(out, 0, sizeof(*out));
	if (o->memory != COPT_NONE) {
		if (o->memory >= f->c->count[CS_CORE_MEMORY])
			return clink_fail(f->top, "core memory %u out of range", o->memory);
		out->memory = f->items[CS_CORE_MEMORY][o->memory].core.of.memory;
	}
	out->string_encoding = o->encoding;
	out->inst = f->ci;
	return core_func_index(f, o->realloc, &out->realloc) &&
	       core_func_index(f, o->post_return, &out->post_return);
}

static bool lift_def(cframe *f, const cdef *d, ritem *it)
{
	const cfunctype *ft = clink_func_type(f, d->func);
	if (!ft)
		return false;
	bool stackful = d->opts.async && d->opts.callback == COPT_NONE;
	if ((d->opts.async && !stackful) || !clink_func_runnable(ft)) {
		it->func = clink_trap_func(f->top, ft, "function not supported (an async callback, "
		                                       "or a stream, future or error-context type)");
		return it->func != NULL;
	}
	struct canonopts o;
	if (!canon_opts(f, &d->opts, &o))
		return false;
	wr_func *core = f->items[CS_CORE_FUNC][d->index0].core.of.func;
	if (stackful)
		return (it->func = clink_async_lift(f, ft, core, &o)) != NULL;
	struct wr_cfunc *fn = alloc(f, sizeof(*fn));
	if (!fn)
		return false;
	fn->f = (struct cfunc){ .type = ft, .core = core, .opts = o };
	it->func = fn;
	return true;
}

/* A core built-in wrun does not run (async, threads, streams): it traps;
 * first with may_leave's message, as the spec checks that first. */
static wr_trapkind unsupported_builtin(wr_hostcall *hc, uint64_t *slots, void *user)
{
	const struct cinstance *ci = user;
	if (!ci->may_leave)
		return wr_hostcall_trap(hc, "cannot leave component instance");
	return wr_hostcall_trap(hc, "canonical built-in not supported (async, threads, streams)");
}

/*
 * The async built-ins a synchronous component can use and wrun runs:
 * context.get/set (task-local storage; kept per instance here, since
 * every call wrun makes is synchronous, and slot 0 only: the decoder does
 * not record the slot) and backpressure.inc/dec (a counter, which only
 * async calls would wait on).
 */
static wr_trapkind context_get(wr_hostcall *hc, uint64_t *slots, void *user)
{
	slots[0] = ((cframe *)user)->context;
	return WR_OK;
}

static wr_trapkind context_set(wr_hostcall *hc, uint64_t *slots, void *user)
{
	((cframe *)user)->context = (uint32_t)slots[0];
	return WR_OK;
}

static wr_trapkind backpressure_inc(wr_hostcall *hc, uint64_t *slots, void *user)
{
	cframe *f = user;
	if (++f->backpressure >= 1u << 16)
		return wr_hostcall_trap(hc, "backpressure counter overflow");
	return WR_OK;
}

static wr_trapkind backpressure_dec(wr_hostcall *hc, uint64_t *slots, void *user)
{
	cframe *f = user;
	if (f->backpressure == 0)
		return wr_hostcall_trap(hc, "backpressure counter underflow");
	f->backpressure--;
	return WR_OK;
}

static wr_host_fn sync_builtin(uint8_t opcode)
{
	switch (opcode) {
	case 0x0a: return context_get;
	case 0x0b: return context_set;
	case 0x24: return backpressure_inc;
	case 0x25: return backpressure_dec;
	default: return NULL;
	}
}

static bool builtin_def(cframe *f, const cdef *d, ritem *it)
{
	wr_func *fn = NULL;
	bool unsupported = d->kind == CD_CANON_OTHER;
	if (unsupported && d->opcode == 0x09 && d->core_func) { /* task.return */
		fn = clink_task_return(f, d->core_func);
		unsupported = false;
	} else if (unsupported && sync_builtin(d->opcode) && d->core_func) {
		fn = wr_func_new_host(f->top->store, d->core_func, sync_builtin(d->opcode), f,
		                      "canon built-in");
		unsupported = false;
	}
	if (d->kind == CD_CANON_LOWER) {
		struct canonopts o;
		const struct wr_cfunc *callee = f->items[CS_FUNC][d->index0].func;
		if (!callee || !canon_opts(f, &d->opts, &o))
			return clink_fail(f->top, "canon lower: bad function or options");
		unsupported = !clink_func_runnable(callee->f.type);
		if (!unsupported && d->opts.async)
			fn = d->core_func ? clink_async_lower(f, callee, &o, d->core_func) : NULL;
		else if (!unsupported)
			fn = canon_lower(f->top->store, &callee->f, &o);
	} else if (d->kind != CD_CANON_OTHER) {
		if (!d->res)
			return clink_fail(f->top, "resource built-in without a resource type");
		const cresource *r = clink_res(f, d->res);
		struct wr_store *s = f->top->store;
		if (d->kind == CD_CANON_RESOURCE_NEW)
			fn = canon_resource_new(s, r, f->ci);
		else if (d->kind == CD_CANON_RESOURCE_DROP)
			fn = canon_resource_drop(s, r, f->ci);
		else
			fn = canon_resource_rep(s, r, f->ci);
	}
	if (unsupported) {
		if (!d->core_func)
			return clink_fail(f->top, "canon built-in without a core type");
		fn = wr_func_new_host(f->top->store, d->core_func, unsupported_builtin, f->ci,
		                      "canon built-in");
	}
	if (!fn)
		return clink_oom(f->top);
	it->core = (wr_extern){ .kind = WR_EXTERN_FUNC, .of.func = fn };
	return true;
}

/* ---- the walk ---- */

static bool run_def(cframe *f, const cdef *d, ritem *it)
{
	switch (d->kind) {
	case CD_CORE_MODULE: it->module = d->module; return true;
	case CD_CORE_INSTANTIATE: return core_instantiate(f, d, it);
	case CD_CORE_EXPORTS: return core_exports(f, d, it);
	case CD_CORE_TYPE: return true;
	case CD_COMPONENT:
		if (!(it->comp = alloc(f, sizeof(*it->comp))))
			return false;
		*it->comp = (rcomp){ d->comp, f };
		return true;
	case CD_INSTANTIATE: return instantiate_def(f, d, it);
	case CD_EXPORTS: return exports_def(f, d, it);
	case CD_ALIAS_EXPORT: return alias_export(f, d, it);
	case CD_ALIAS_CORE_EXPORT: return alias_core_export(f, d, it);
	case CD_ALIAS_OUTER: return alias_outer(f, d, it);
	case CD_TYPE: return d->res_def ? resource_def(f, d, it) : true;
	case CD_CANON_LIFT: return lift_def(f, d, it);
	case CD_CANON_LOWER:
	case CD_CANON_RESOURCE_NEW:
	case CD_CANON_RESOURCE_DROP:
	case CD_CANON_RESOURCE_REP:
	case CD_CANON_OTHER: return builtin_def(f, d, it);
	case CD_IMPORT: return import_def(f, d, it);
	case CD_EXPORT: return export_def(f, d, it);
	}
	return clink_fail(f->top, "unknown definition kind %d", (int)d->kind);
}

/* The index space d->index0 refers to (CS__COUNT: none, or checked
 * elsewhere). */
static csort index0_sort(const cdef *d)
{
	switch (d->kind) {
	case CD_CORE_INSTANTIATE: return CS_CORE_MODULE;
	case CD_INSTANTIATE: return CS_COMPONENT;
	case CD_ALIAS_EXPORT: return CS_INSTANCE;
	case CD_ALIAS_CORE_EXPORT: return CS_CORE_INSTANCE;
	case CD_CANON_LIFT: return CS_CORE_FUNC;
	case CD_CANON_LOWER: return CS_FUNC;
	case CD_EXPORT: return d->sort;
	default: return CS__COUNT;
	}
}

/* Are the indices d names in range? (Validation has checked them; this
 * keeps a mistake there from reading out of the arrays.) */
static bool def_in_range(const cframe *f, const cdef *d)
{
	csort s = index0_sort(d);
	if (d->sort >= CS__COUNT || d->index >= f->c->count[d->sort])
		return false;
	if (s != CS__COUNT && d->index0 >= f->c->count[s])
		return false;
	if (d->kind == CD_TYPE && d->res_def && d->dtor != COPT_NONE &&
	    d->dtor >= f->c->count[CS_CORE_FUNC])
		return false;
	return true;
}

/* Run definition i of f and store its item; a resource type item also
 * binds the static identity validation gave it. */
static bool frame_step(cframe *f, uint32_t i)
{
	const cdef *d = &f->c->defs[i];
	ritem it;
	memset(&it, 0, sizeof(it));
	if (!def_in_range(f, d))
		return clink_fail(f->top, "definition %u: index out of range", i);
	if (!run_def(f, d, &it))
		return false;
	if (d->sort == CS_TYPE && it.res && d->item.type.kind == CT_RESOURCE && d->item.type.res &&
	    d->item.type.res->res && !clink_map(f, d->item.type.res->res, it.res, "type"))
		return false;
	f->items[d->sort][d->index] = it;
	return true;
}

static bool track_ci(struct wr_cinstance *top, struct cinstance *ci)
{
	if (top->ncis == top->capcis) {
		uint32_t cap = top->capcis ? top->capcis * 2 : 8;
		struct cinstance **p = realloc(top->cis, cap * sizeof(*p));
		if (!p)
			return false;
		top->cis = p;
		top->capcis = cap;
	}
	top->cis[top->ncis++] = ci;
	return true;
}

static cframe *frame_new(struct wr_cinstance *top, const rcomp *rc, const rinst *args,
                         struct cinstance *parent, uint32_t depth)
{
	cframe *f = ctype_alloc(top->arena, sizeof(*f));
	if (!f)
		return NULL;
	*f = (cframe){ .c = rc->c, .outer = rc->outer, .args = args, .top = top, .depth = depth };
	for (int s = 0; s < CS__COUNT; s++)
		if (rc->c->count[s] &&
		    !(f->items[s] = ctype_alloc(top->arena, rc->c->count[s] * sizeof(ritem))))
			return NULL;
	if (!(f->subst = csubst_new()))
		return NULL;
	f->next = top->frames;
	top->frames = f;
	for (uint32_t i = 0; rc->outer && i < rc->outer->nmap; i++)
		if (!map_add(f, rc->outer->from[i], rc->outer->to[i]))
			return NULL;
	f->exports = ctype_alloc(top->arena, sizeof(*f->exports));
	if (!f->exports ||
	    !(f->exports->e = ctype_alloc(top->arena, (rc->c->nexports + 1) * sizeof(rexport))))
		return NULL;
	f->ci = cinstance_new(parent);
	if (!f->ci)
		return NULL;
	if (!track_ci(top, f->ci)) {
		cinstance_free(f->ci);
		return NULL;
	}
	return f;
}

static bool frame_run(struct wr_cinstance *top, const rcomp *rc, const rinst *args,
                      struct cinstance *parent, uint32_t depth, rinst **out)
{
	if (depth > CLINK_MAX_DEPTH)
		return clink_fail(top, "component instantiations nest too deep");
	if (++top->nframes > CLINK_MAX_FRAMES)
		return clink_fail(top, "too many component instantiations (over %u)", CLINK_MAX_FRAMES);
	uint64_t work = (uint64_t)rc->c->ndefs + rc->c->nexports + (rc->outer ? rc->outer->nmap : 0);
	for (int s = 0; s < CS__COUNT; s++)
		work += rc->c->count[s];
	if ((top->work += work) > CLINK_MAX_WORK)
		return clink_fail(top, "component too large to instantiate (over %llu items over "
		                  "its instantiations)", (unsigned long long)CLINK_MAX_WORK);
	cframe *f = frame_new(top, rc, args, parent, depth);
	if (!f)
		return clink_oom(top);
	for (uint32_t i = 0; i < rc->c->ndefs; i++)
		if (!frame_step(f, i))
			return false;
	if (!rinst_index(top->arena, f->exports))
		return clink_oom(top);
	*out = f->exports;
	return true;
}

/* ---- the API ---- */

wr_cinstance *wr_component_instantiate(wr_store *s, const wr_component *c, const wr_clinker *l,
                                       wr_trap *trap)
{
	wr_trap spare;
	if (!trap)
		trap = &spare;
	memset(trap, 0, sizeof(*trap));
	struct wr_cinstance *top = calloc(1, sizeof(*top));
	if (!top || !(top->arena = ctype_arena_new())) {
		free(top);
		trap->kind = WR_TRAP_LINK;
		snprintf(trap->message, sizeof(trap->message), "out of memory");
		return NULL;
	}
	*top = (struct wr_cinstance){ .arena = top->arena, .store = s, .comp = c, .linker = l,
	                              .trap = trap };
	rcomp root = { c ? c->root : NULL, NULL };
	if (!root.c) {
		clink_fail(top, "no component");
		wr_cinstance_free(top);
		return NULL;
	}
	if (!frame_run(top, &root, NULL, NULL, 0, &top->exports)) {
		wr_cinstance_free(top);
		return NULL;
	}
	top->trap = NULL;
	return top;
}

void wr_cinstance_free(wr_cinstance *inst)
{
	if (!inst)
		return;
	for (uint32_t i = 0; i < inst->ncis; i++)
		cinstance_free(inst->cis[i]);
	for (cframe *f = inst->frames; f; f = f->next)
		csubst_free(f->subst);
	free(inst->cis);
	ctype_arena_free(inst->arena);
	free(inst);
}
