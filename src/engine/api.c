/*
 * api.c: the public embedding API (include/wrun.h) over the engine's
 * internal structures: module loading, stores and the objects they own,
 * host functions, and typed calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime.h"

/* ---- modules ---- */

wr_module *wr_module_load(const uint8_t *bytes, size_t len, wr_diag *diag)
{
	wr_diag local;
	if (!diag)
		diag = &local;
	memset(diag, 0, sizeof(*diag));
	wr_module *m = calloc(1, sizeof(*m));
	if (!m || !(m->bytes = malloc(len ? len : 1))) {
		free(m);
		snprintf(diag->message, sizeof(diag->message), "out of memory");
		return NULL;
	}
	memcpy(m->bytes, bytes, len);
	m->len = len;
	if (dec_module(m, diag) && val_module(m, diag) && vm_compile_module(m, diag))
		return m;
	wr_module_free(m);
	return NULL;
}

void wr_module_free(wr_module *m)
{
	if (!m)
		return;
	vm_free_module_code(m);
	mod_free(m);
	free(m->bytes);
	free(m);
}

size_t wr_module_import_count(const wr_module *m) { return m->nimports; }
size_t wr_module_export_count(const wr_module *m) { return m->nexports; }

static void api_functype(const mod_functype *t, wr_functype *out)
{
	out->nparams = t->nparams;
	out->nresults = t->nresults;
	out->params = t->types;
	out->results = t->types + t->nparams;
}

/* Describe entry idx of the index space of `kind`. */
static void api_externtype(const wr_module *m, uint8_t kind, uint32_t idx, wr_externtype *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = kind;
	switch (kind) {
	case WR_EXTERN_FUNC: api_functype(&m->types[m->func_types[idx]], &out->of.func); break;
	case WR_EXTERN_TABLE:
		out->of.table.elem = m->tables[idx].elem;
		out->of.table.limits = m->tables[idx].limits;
		break;
	case WR_EXTERN_MEMORY: out->of.memory = m->mems[idx].limits; break;
	case WR_EXTERN_GLOBAL:
		out->of.global.type = m->globals[idx].type;
		out->of.global.mut = m->globals[idx].mut;
		break;
	case WR_EXTERN_TAG: api_functype(&m->types[m->tags[idx].type], &out->of.tag); break;
	}
}

void wr_module_import(const wr_module *m, size_t i, wr_import *out)
{
	const mod_import *imp = &m->imports[i];
	out->module = imp->module;
	out->module_len = imp->module_len;
	out->name = imp->name;
	out->name_len = imp->name_len;
	api_externtype(m, imp->kind, imp->index, &out->type);
}

void wr_module_export(const wr_module *m, size_t i, wr_export *out)
{
	const mod_export *e = &m->exports[i];
	out->name = e->name;
	out->name_len = e->name_len;
	api_externtype(m, e->kind, e->index, &out->type);
}

/* ---- stores ---- */

wr_store *wr_store_new(void)
{
	vm_signals_init();
	wr_store *s = calloc(1, sizeof(wr_store));
	if (s && !(s->types = ty_registry_new())) {
		free(s);
		return NULL;
	}
	return s;
}

void wr_store_free(wr_store *s)
{
	if (!s)
		return;
	for (wr_instance *i = s->instances, *n; i; i = n) {
		n = i->next;
		inst_free(i);
	}
	for (store_obj *o = s->objs, *n; o; o = n) {
		n = o->next;
		o->free(o->obj);
		free(o);
	}
	if (s->stack)
		vm_stack_free(s->stack);
	exn_free_all(s);
	gc_free_all(s);
	ty_registry_free(s->types);
	free(s);
}

void wr_store_set_fuel(wr_store *s, uint64_t fuel)
{
	s->fuel = fuel;
	s->fuel_on = fuel != 0;
}

uint64_t wr_store_fuel_left(const wr_store *s) { return s->fuel; }

void wr_store_set_memory_limit(wr_store *s, uint64_t bytes)
{
	s->max_pages = bytes / MEM_PAGE;
	s->limit_pages = bytes != 0;
}

/* ---- host functions ---- */

typedef struct api_hostfunc {
	wr_func f;          /* first: a host wr_func is an api_hostfunc */
	mod_functype type;
	char *name;
	wr_store *store;
} api_hostfunc;

static void api_hostfunc_free(void *p)
{
	api_hostfunc *h = p;
	free(h->type.types);
	free(h->name);
	free(h);
}

/* Slots a sequence of value types occupies. */
static uint32_t api_slots(const uint8_t *types, uint32_t n)
{
	uint32_t s = 0;
	for (uint32_t i = 0; i < n; i++)
		s += mod_slots(types[i]);
	return s;
}

/* Copy an API function type into t (t->types is allocated). */
static bool api_copy_type(mod_functype *t, const wr_functype *type)
{
	size_t n = (size_t)type->nparams + type->nresults;
	if (!(t->types = malloc(n ? n : 1)))
		return false;
	if (type->nparams)
		memcpy(t->types, type->params, type->nparams);
	if (type->nresults)
		memcpy(t->types + type->nparams, type->results, type->nresults);
	t->nparams = type->nparams;
	t->nresults = type->nresults;
	t->param_slots = api_slots(type->params, type->nparams);
	t->result_slots = api_slots(type->results, type->nresults);
	return true;
}

wr_func *wr_func_new_host(wr_store *s, const wr_functype *type, wr_host_fn fn, void *user,
                          const char *name)
{
	api_hostfunc *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->name = strdup(name ? name : "host");
	if (!api_copy_type(&h->type, type) || !h->name) {
		api_hostfunc_free(h);
		return NULL;
	}
	h->store = s;
	h->type.rec_len = 1;
	h->f.store = s;
	if (!ty_intern_func(s->types, &h->type, &h->f.canon)) {
		api_hostfunc_free(h);
		return NULL;
	}
	h->f.type = &h->type;
	h->f.host = fn;
	h->f.user = user;
	h->f.name = h->name;
	return store_own(s, h, api_hostfunc_free) ? &h->f : NULL;
}

wr_memory *wr_hostcall_memory(wr_hostcall *hc)
{
	if (!hc->caller || hc->caller->mod->nmems == 0)
		return NULL;
	return hc->caller->mems[0];
}

wr_trapkind wr_hostcall_trap(wr_hostcall *hc, const char *message)
{
	if (hc->trap)
		snprintf(hc->trap->message, sizeof(hc->trap->message), "%s", message);
	return WR_TRAP_HOST;
}

wr_trapkind wr_hostcall_exit(wr_hostcall *hc, int code)
{
	if (hc->trap) {
		hc->trap->exit_code = code;
		snprintf(hc->trap->message, sizeof(hc->trap->message), "exit with code %d", code);
	}
	return WR_TRAP_EXIT;
}

void wr_func_type(const wr_func *f, wr_functype *out) { api_functype(f->type, out); }

/* ---- tags and exceptions ---- */

static void api_tag_free(void *p)
{
	wr_tag *t = p;
	free(t->own.types);
	free(t);
}

wr_tag *wr_tag_new(wr_store *s, const wr_functype *type)
{
	if (type->nresults)
		return NULL;
	for (uint32_t i = 0; i < type->nparams; i++)
		if (!mod_is_valtype(type->params[i]))
			return NULL;
	wr_tag *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	if (!api_copy_type(&t->own, type)) {
		free(t);
		return NULL;
	}
	t->type = &t->own;
	t->own.rec_len = 1;
	t->store = s;
	if (!ty_intern_func(s->types, &t->own, &t->canon)) {
		api_tag_free(t);
		return NULL;
	}
	return store_own(s, t, api_tag_free) ? t : NULL;
}

void wr_tag_type(const wr_tag *t, wr_functype *out) { api_functype(t->type, out); }

/* Is a payload the host gives for tag t of its type? A module's tag may
 * carry non-null or concrete references, whose values are checked (a
 * host tag's types are kinds, which the slots cannot contradict). */
static bool api_payload_ok(const wr_tag *t, const uint64_t *slots)
{
	const mod_functype *ft = t->type;
	uint32_t s = 0;

	for (uint32_t i = 0; t->inst && ft->vts && i < ft->nparams; s += mod_slots(ft->types[i++]))
		if (vt_is_ref(ft->vts[i]) && !store_ref_ok(t->inst->store, inst_vt(t->inst, ft->vts[i]), slots[s]))
			return false;
	return true;
}

wr_trapkind wr_hostcall_throw(wr_hostcall *hc, wr_tag *t, const uint64_t *slots)
{
	if (!api_payload_ok(t, slots))
		return wr_hostcall_trap(hc, "exception payload type mismatch");
	uint64_t h = vm_exn_new(hc->store, t, slots);
	if (!h)
		return wr_hostcall_trap(hc, "out of memory creating an exception");
	hc->store->exn_pending = h;
	return WR_TRAP_EXCEPTION;
}

bool wr_store_exception(wr_store *s, uint64_t *exn)
{
	if (!exn_get(s, s->exn_pending))
		return false;
	exn_pin(s, s->exn_pending);
	*exn = s->exn_pending;
	return true;
}

bool wr_exn_read(wr_store *s, uint64_t h, wr_tag **tag, uint64_t *payload, size_t nslots)
{
	exn *e = exn_get(s, h);
	if (!e)
		return false;
	if (tag)
		*tag = e->tag;
	if (payload && nslots > e->tag->type->param_slots)
		nslots = e->tag->type->param_slots;
	if (payload && nslots)
		memcpy(payload, exn_payload(e), nslots * sizeof(uint64_t));
	return true;
}

/* ---- memories ---- */

void wr_store_set_memory_provider(wr_store *s, const wr_memory_provider *p)
{
	s->provider = *p;
}

void wr_runtime_init(void)
{
	vm_signals_init();
}

wr_memory *wr_memory_new(wr_store *s, const wr_limits *pages) { return store_memory_new(s, pages); }
uint8_t *wr_memory_data(wr_memory *m) { return m->base; }
uint64_t wr_memory_size(const wr_memory *m) { return m->size; }
int64_t wr_memory_grow(wr_memory *m, uint64_t delta) { return mem_grow(m, delta); }

void wr_memory_type(const wr_memory *m, wr_limits *out)
{
	*out = m->decl;
	out->min = m->size / MEM_PAGE;
}

/* ---- tables ---- */

/* The slot representation of a reference value. */
static uint64_t api_ref_bits(const wr_value *v)
{
	if (v->type == WR_EXNREF || v->type == WR_NULLEXNREF)
		return v->of.exn;
	if (v->type == WR_ANYREF)
		return v->of.any;
	return v->type == WR_FUNCREF ? (uint64_t)(uintptr_t)v->of.func : (uint64_t)v->of.ext;
}

wr_table *wr_table_new(wr_store *s, const wr_tabletype *type, const wr_value *init)
{
	return store_table_new(s, type, init ? api_ref_bits(init) : 0);
}

uint32_t wr_table_size(const wr_table *t) { return t->size; }

void wr_table_type(const wr_table *t, wr_tabletype *out)
{
	*out = t->type;
	out->limits.min = t->size;
}

bool wr_table_get(const wr_table *t, uint32_t i, wr_value *out)
{
	if (i >= t->size)
		return false;
	out->type = t->type.elem;
	if (t->type.elem == WR_FUNCREF)
		out->of.func = (wr_func *)(uintptr_t)t->elems[i];
	else if (t->type.elem == WR_EXTERNREF)
		out->of.ext = (uintptr_t)t->elems[i];
	else
		out->of.exn = t->elems[i];
	return true;
}

bool wr_table_set(wr_table *t, uint32_t i, const wr_value *v)
{
	if (i >= t->size || v->type != t->type.elem || !store_ref_ok(t->store, t->vt, api_ref_bits(v)))
		return false;
	t->elems[i] = api_ref_bits(v);
	return true;
}

/* ---- globals ---- */

static void api_to_slots(const wr_value *v, uint64_t *slots)
{
	switch (v->type) {
	case WR_I32: slots[0] = (uint32_t)v->of.i32; break;
	case WR_I64: slots[0] = (uint64_t)v->of.i64; break;
	case WR_F32: slots[0] = v->of.f32; break;
	case WR_F64: slots[0] = v->of.f64; break;
	case WR_V128: memcpy(slots, v->of.v128, 16); break;
	default: slots[0] = api_ref_bits(v); break;
	}
}

static void api_from_slots(uint8_t type, const uint64_t *slots, wr_value *v)
{
	memset(v, 0, sizeof(*v));
	v->type = type;
	switch (type) {
	case WR_I32: v->of.i32 = (int32_t)(uint32_t)slots[0]; break;
	case WR_I64: v->of.i64 = (int64_t)slots[0]; break;
	case WR_F32: v->of.f32 = (uint32_t)slots[0]; break;
	case WR_F64: v->of.f64 = slots[0]; break;
	case WR_V128: memcpy(v->of.v128, slots, 16); break;
	case WR_FUNCREF: v->of.func = (wr_func *)(uintptr_t)slots[0]; break;
	case WR_EXNREF: case WR_NULLEXNREF: v->of.exn = slots[0]; break;
	case WR_ANYREF: v->of.any = slots[0]; break;
	default: v->of.ext = (uintptr_t)slots[0]; break;
	}
}

wr_global *wr_global_new(wr_store *s, const wr_globaltype *type, const wr_value *init)
{
	uint64_t v[2] = { 0, 0 };
	if (init)
		api_to_slots(init, v);
	return store_global_new(s, type->type, type->mut, v);
}

void wr_global_get(const wr_global *g, wr_value *out) { api_from_slots(g->type, g->val, out); }

bool wr_global_set(wr_global *g, const wr_value *v)
{
	if (!g->mut || v->type != (wr_valtype)g->type ||
	    (vt_is_ref(g->vt) && !store_ref_ok(g->store, g->vt, api_ref_bits(v))))
		return false;
	api_to_slots(v, g->val);
	return true;
}

void wr_global_type(const wr_global *g, wr_globaltype *out)
{
	out->type = g->type;
	out->mut = g->mut;
}

/* ---- calls ---- */

/* Record a failure that happens before the call starts. */
static wr_trapkind api_call_error(wr_trap *trap, const char *message)
{
	if (trap) {
		memset(trap, 0, sizeof(*trap));
		trap->kind = WR_TRAP_HOST;
		snprintf(trap->message, sizeof(trap->message), "%s", message);
	}
	return WR_TRAP_HOST;
}

/* Is argument v of the type of f's parameter i? Its kind is checked; a
 * reference must also be of the parameter's full type: not null for a
 * non-null one, a function of the right type for a concrete one. */
static bool api_arg_ok(const wr_func *f, size_t i, const wr_value *v)
{
	const mod_functype *t = f->type;
	if (v->type != (wr_valtype)t->types[i])
		return false;
	if (!t->vts || !vt_is_ref(t->vts[i]))
		return true;
	return store_ref_ok(f->store, f->inst ? inst_vt(f->inst, t->vts[i]) : t->vts[i], api_ref_bits(v));
}

wr_trapkind wr_call(wr_func *f, const wr_value *args, size_t nargs, wr_value *results,
                    size_t nresults, wr_trap *trap)
{
	const mod_functype *t = f->type;
	if (nargs != t->nparams || nresults != t->nresults)
		return api_call_error(trap, "wrong number of arguments or results");
	for (size_t i = 0; i < nargs; i++)
		if (!api_arg_ok(f, i, &args[i]))
			return api_call_error(trap, "argument type mismatch");
	size_t n = t->param_slots > t->result_slots ? t->param_slots : t->result_slots;
	uint64_t small[16], *slots = n <= 16 ? small : calloc(n, sizeof(uint64_t));
	if (!slots)
		return api_call_error(trap, "out of memory");
	for (size_t i = 0, s = 0; i < nargs; s += mod_slots(t->types[i]), i++)
		api_to_slots(&args[i], slots + s);
	wr_trap local;
	wr_trap *tp = trap ? trap : &local;
	memset(tp, 0, sizeof(*tp));
	wr_store *store = f->inst ? f->inst->store : ((api_hostfunc *)f)->store;
	wr_trapkind k = vm_call(store, f, slots, tp);
	for (size_t i = 0, s = 0; k == WR_OK && i < nresults; s += mod_slots(t->types[t->nparams + i]), i++) {
		api_from_slots(t->types[t->nparams + i], slots + s, &results[i]);
		if (results[i].type == WR_EXNREF)
			exn_pin(store, results[i].of.exn);
		else if (results[i].type == WR_ANYREF || results[i].type == WR_EXTERNREF)
			gc_pin(store, slots[s]); /* the embedder holds it now */
	}
	if (slots != small)
		free(slots);
	return k;
}

bool wr_anyref_from_extern(wr_store *s, uintptr_t ext, wr_value *out)
{
	memset(out, 0, sizeof(*out));
	out->type = WR_ANYREF;
	if (!gc_extern_to_any(s, ext, &out->of.any))
		return false;
	gc_pin(s, out->of.any);
	return true;
}

bool wr_anyref_extern(const wr_store *s, const wr_value *any, uintptr_t *ext)
{
	uint64_t v = any->of.any;
	if (any->type != WR_ANYREF || !gc_ref_ok(s, vt_ref(HT_ANY, 0, true), v) || !v || (v & 1) ||
	    ((const gc_obj *)(uintptr_t)v)->type != GC_HOSTBOX)
		return false;
	*ext = (uintptr_t)((const gc_obj *)(uintptr_t)v)->val[0];
	return true;
}

wr_anykind wr_anyref_kind(const wr_store *s, const wr_value *any)
{
	uint64_t v = any->of.any;
	if (any->type != WR_ANYREF || !gc_ref_ok(s, vt_ref(HT_ANY, 0, true), v))
		return WR_ANY_INVALID;
	if (!v || (v & 1))
		return v ? WR_ANY_I31 : WR_ANY_NULL;
	uint32_t t = ((const gc_obj *)(uintptr_t)v)->type;
	if (t == GC_HOSTBOX)
		return WR_ANY_HOST;
	return ty_form_of(s->types, t) == FORM_STRUCT ? WR_ANY_STRUCT : WR_ANY_ARRAY;
}

void wr_store_gc_stats(const wr_store *s, wr_gc_stats *out) { gc_stats(s, out); }
