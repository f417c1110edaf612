/*
 * run.c: the run pipeline (load, link, instantiate, _initialize, then
 * _start or --invoke) and the one WASI import binder, for every
 * transport.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invoke.h"
#include "run.h"
#include "wasi/wasi.h"

_Static_assert(RUN_TEXT_MAX >= INV_OUT_MAX, "--invoke results must fit an outcome");

void run_trapped(const wr_trap *t, struct run_outcome *out)
{
	const char *msg = t->message[0] ? t->message : wr_trap_message(t->kind);

	switch (t->kind) {
	case WR_TRAP_EXIT:
		run_set(out, RUN_EXIT, NULL);
		out->code = t->exit_code & 0xff;
		return;
	case WR_TRAP_FUEL:
		return run_set(out, RUN_FUEL, "%s", t->func);
	case WR_TRAP_MEMORY_LIMIT:
		return run_set(out, RUN_MEMORY, NULL);
	case WR_TRAP_GC_LIMIT:
		return run_set(out, RUN_MEMORY, "%s", RUN_GC_FULL);
	case WR_TRAP_LINK:
		return run_set(out, RUN_LINK, "%s", msg);
	default:
		if (t->func[0])
			return run_set(out, RUN_TRAP, "%s (in function %s)", msg, t->func);
		return run_set(out, RUN_TRAP, "%s", msg);
	}
}

/* ---- linking ---- */

/* An import nothing provides, with -W unknown-imports-trap. */
static wr_trapkind run_unknown_call(wr_hostcall *hc, uint64_t *slots, void *user)
{
	(void)slots;
	(void)user;
	return wr_hostcall_trap(hc, "unknown import called");
}

/* A function import nothing provides, linked to one that traps. */
static bool run_bind_trap(wr_store *s, const wr_import *imp, wr_extern *ext,
			  struct run_outcome *out)
{
	char name[160];

	if (imp->type.kind != WR_EXTERN_FUNC) {
		run_set(out, RUN_LINK, "unknown import \"%s\" \"%s\"", imp->module, imp->name);
		return false;
	}
	snprintf(name, sizeof(name), "%s.%s", imp->module, imp->name);
	ext->kind = WR_EXTERN_FUNC;
	ext->of.func = wr_func_new_host(s, &imp->type.of.func, run_unknown_call, NULL, name);
	if (!ext->of.func)
		run_set(out, RUN_NOMEM, NULL);
	return ext->of.func != NULL;
}

/* Bind one import: WASI functions through the transport (wrun:net's and
 * wrun:res's too with net), nothing else (unknown_trap: other functions
 * trap when called). */
static bool run_bind(wr_store *s, const wr_import *imp, const struct run_transport *t,
		     bool unknown_trap, bool net, wr_extern *ext, struct run_outcome *out)
{
	uint8_t params[16], result = WR_I32;
	wr_functype ft = { .params = params, .results = &result };
	int fn = -1;
	wr_host_fn host;
	void *user;

	fn = wasi_fn_find(imp->module, imp->module_len, imp->name, imp->name_len, net);
	if (fn < 0 && unknown_trap)
		return run_bind_trap(s, imp, ext, out);
	if (fn < 0) {
		run_set(out, RUN_LINK, "unknown import \"%s\" \"%s\"", imp->module, imp->name);
		return false;
	}
	if (!wasi_import_type_ok(imp, (unsigned)fn)) {
		run_set(out, RUN_LINK, "import \"%s\" \"%s\": incompatible import type",
			imp->module, imp->name);
		return false;
	}
	wasi_fn_type((unsigned)fn, params, &ft);
	ext->kind = WR_EXTERN_FUNC;
	ext->of.func = NULL;
	if (t->bind(t->self, (unsigned)fn, &host, &user))
		ext->of.func = wr_func_new_host(s, &ft, host, user, wasi_fn_name((unsigned)fn));
	if (!ext->of.func)
		run_set(out, RUN_NOMEM, NULL);
	return ext->of.func != NULL;
}

bool run_link(wr_store *s, const wr_module *m, const struct run_transport *t,
	      bool unknown_trap, bool net, wr_extern *imports, struct run_outcome *out)
{
	for (size_t i = 0; i < wr_module_import_count(m); i++) {
		wr_import imp;

		wr_module_import(m, i, &imp);
		if (!run_bind(s, &imp, t, unknown_trap, net, &imports[i], out))
			return false;
	}
	return true;
}

/* ---- running ---- */

/* Call a () -> () export if there is one; false if it trapped. */
static bool run_void(wr_instance *inst, const char *name, bool *found,
		     struct run_outcome *out)
{
	wr_trap trap = { 0 };
	wr_extern ex;

	*found = wr_instance_export(inst, name, &ex) && ex.kind == WR_EXTERN_FUNC;
	if (*found && wr_call(ex.of.func, NULL, 0, NULL, 0, &trap) != WR_OK) {
		run_trapped(&trap, out);
		return false;
	}
	return true;
}

/* --invoke: call the export with the job's arguments. */
static void run_invoke(wr_instance *inst, const struct run_job *job, struct run_outcome *out)
{
	char err[256];
	wr_trap trap = { 0 };

	switch (inv_call(inst, job->invoke, job->nargs, job->args, out->text, INV_OUT_MAX,
			 &trap, err, sizeof(err))) {
	case INV_OK:
		out->end = RUN_RESULTS;
		return;
	case INV_TRAP:
		return run_trapped(&trap, out);
	case INV_USAGE:
		return run_set(out, RUN_USAGE, "%s", err);
	case INV_NOMEM:
		return run_set(out, RUN_NOMEM, NULL);
	case INV_NOEXPORT:
		return run_set(out, RUN_LINK, "%s", err);
	default:
		return run_set(out, RUN_ERROR, "--invoke: %s", err);
	}
}

/* Instantiate with the imports and run; the store is the caller's. */
static void run_instance(wr_store *s, const wr_module *m, const wr_extern *imports,
			 const struct run_job *job, struct run_outcome *out)
{
	wr_trap trap = { 0 };
	wr_instance *inst = wr_instantiate(s, m, imports, wr_module_import_count(m), &trap);
	bool found;

	if (!inst)
		return run_trapped(&trap, out);
	if (!run_void(inst, "_initialize", &found, out))
		return;
	if (job->invoke)
		return run_invoke(inst, job, out);
	if (!run_void(inst, "_start", &found, out))
		return;
	if (!found)
		return run_set(out, RUN_NOSTART, NULL);
	run_set(out, RUN_EXIT, NULL);
	out->code = 0;
}

/* -W gc-stats: one line, key=value, for scripts (bench/run.sh). */
static void run_gc_stats(const wr_store *s)
{
	wr_gc_stats g;

	wr_store_gc_stats(s, &g);
	fprintf(stderr, "gc-stats: collections=%llu pause_total_us=%llu pause_max_us=%llu "
		"pause_median_us=%llu allocated=%llu freed=%llu heap_peak_bytes=%llu "
		"conservative_frames=%llu\n",
		(unsigned long long)g.collections, (unsigned long long)(g.pause_total_ns / 1000),
		(unsigned long long)(g.pause_max_ns / 1000),
		(unsigned long long)(g.pause_median_ns / 1000),
		(unsigned long long)g.allocated_objects, (unsigned long long)g.freed_objects,
		(unsigned long long)g.heap_peak, (unsigned long long)g.conservative_frames);
}

void run_module(const uint8_t *bytes, size_t len, const struct run_job *job,
		const struct run_transport *t, struct run_outcome *out)
{
	wr_diag diag = { { 0 }, 0 };
	wr_module *m;
	wr_store *s = NULL;
	wr_extern *imports = NULL;

	if (wr_is_component(bytes, len))
		return run_component(bytes, len, job, t, out);
	m = wr_module_load(bytes, len, &diag);
	if (!m) {
		run_set(out, diag.message[0] ? RUN_LOAD : RUN_NOMEM, "%s", diag.message);
		out->detail = diag.offset;
		return;
	}
	s = wr_store_new();
	imports = calloc(wr_module_import_count(m) + 1, sizeof(*imports));
	if (!s || !imports) {
		run_set(out, RUN_NOMEM, NULL);
	} else {
		if (t->memory)
			wr_store_set_memory_provider(s, t->memory);
		if (job->max_memory)
			wr_store_set_memory_limit(s, job->max_memory);
		wr_store_set_fuel(s, job->fuel);
		if (run_link(s, m, t, job->unknown_trap, false, imports, out))
			run_instance(s, m, imports, job, out);
		if (t->ended)
			t->ended(t->self, out);
	}
	fflush(stdout);
	if (s && job->gc_stats)
		run_gc_stats(s);
	free(imports);
	if (s)
		wr_store_free(s);
	wr_module_free(m);
}

/* ---- the in-process transport ---- */

static bool run_wasi_bind(void *self, unsigned fn, wr_host_fn *host, void **user)
{
	return wasi_host_fn(self, fn, host, user);
}

static bool run_wasi_ended(void *self, struct run_outcome *out)
{
	switch (wasi_limit_reached(self)) {
	case WASI_LIMIT_OUTPUT:
		run_set(out, RUN_OUTPUT, NULL);
		return true;
	case WASI_LIMIT_OPEN:
		run_set(out, RUN_OPEN, NULL);
		return true;
	default:
		return false;
	}
}

struct run_transport run_wasi_transport(struct wasi_ctx *w)
{
	return (struct run_transport){ .bind = run_wasi_bind, .ended = run_wasi_ended, .self = w };
}
