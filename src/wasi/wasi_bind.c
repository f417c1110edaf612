/*
 * wasi_bind.c: binding the imports of module "wasi_snapshot_preview1" to
 * host functions that call wasi_call() in this process (--sandbox=none,
 * and inside the jail the proxy takes this place).
 */
#include <stdio.h>

#include "wasi/wasi_impl.h"

/* The host function behind every bound import: one call, one errno. */
static wr_trapkind wasi_host_call(wr_hostcall *hc, uint64_t *slots, void *user)
{
	const wasi_binding *b = user;
	wr_memory *mem = wr_hostcall_memory(hc);
	int code = 0;
	int r = wasi_call(b->ctx, b->fn, slots, mem ? wr_memory_data(mem) : NULL,
			  mem ? wr_memory_size(mem) : 0, &code);

	if (r == WASI_CALL_EXIT)
		return wr_hostcall_exit(hc, code);
	slots[0] = (uint32_t)r;
	return WR_OK;
}

bool wasi_import_type_ok(const wr_import *imp, unsigned fn)
{
	const char *sig = wasi_fn_sig(fn);
	const wr_functype *ft = &imp->type.of.func;
	uint32_t want_results = fn == WASI_FN_proc_exit ? 0 : 1;

	if (imp->type.kind != WR_EXTERN_FUNC || ft->nparams != strlen(sig) ||
	    ft->nresults != want_results)
		return false;
	for (uint32_t i = 0; i < ft->nparams; i++)
		if (ft->params[i] != (sig[i] == 'l' ? WR_I64 : WR_I32))
			return false;
	return want_results == 0 || ft->results[0] == WR_I32;
}

bool wasi_bind_import(wasi_ctx *c, wr_store *s, const wr_import *imp, wr_extern *out,
		      char *err, size_t errlen)
{
	int fn = wasi_fn_lookup(imp->name, imp->name_len);
	uint8_t params[16], result = WR_I32;
	wasi_binding *b;
	wr_functype ft;

	if (fn < 0) {
		snprintf(err, errlen, "unknown import \"%s\" \"%s\": not a WASI preview1 function",
			 imp->module, imp->name);
		return false;
	}
	if (!wasi_import_type_ok(imp, (unsigned)fn)) {
		snprintf(err, errlen, "import \"%s\" \"%s\": incompatible import type",
			 imp->module, imp->name);
		return false;
	}
	b = &c->binds[fn];
	b->ctx = c;
	b->fn = (unsigned)fn;
	ft.nparams = (uint32_t)strlen(wasi_fn_sig(fn));
	ft.nresults = fn == WASI_FN_proc_exit ? 0 : 1;
	for (uint32_t i = 0; i < ft.nparams; i++)
		params[i] = wasi_fn_sig(fn)[i] == 'l' ? WR_I64 : WR_I32;
	ft.params = params;
	ft.results = &result;
	out->kind = WR_EXTERN_FUNC;
	out->of.func = wr_func_new_host(s, &ft, wasi_host_call, b, wasi_fn_name(fn));
	if (!out->of.func) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	return true;
}
