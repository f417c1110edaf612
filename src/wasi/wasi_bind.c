/*
 * wasi_bind.c: what binding an import of module "wasi_snapshot_preview1"
 * needs from WASI: its type, and (in-process, --sandbox=none) the host
 * function that calls wasi_call() here.  The binder itself is the run
 * pipeline's (src/run/run.c), for every transport.
 */
#include <stdio.h>

#include "wasi_impl.h"

/* The memory WASI calls see: the caller's memory 0 if it is a 32-bit
 * memory (preview1's pointers are i32), else none, so that every pointer
 * is EFAULT; the sandbox's broker, which maps only the memfd it gives a
 * 32-bit memory 0, sees the same. */
static wr_memory *wasi_memory(wr_hostcall *hc)
{
	wr_memory *mem = wr_hostcall_memory(hc);
	wr_limits type;

	if (!mem)
		return NULL;
	wr_memory_type(mem, &type);
	return type.addr64 ? NULL : mem;
}

/* The host function behind every bound import: one call, one errno. */
static wr_trapkind wasi_host_call(wr_hostcall *hc, uint64_t *slots, void *user)
{
	const wasi_binding *b = user;
	wr_memory *mem = wasi_memory(hc);
	int code = 0;
	int r = wasi_call(b->ctx, b->fn, slots, mem ? wr_memory_data(mem) : NULL,
			  mem ? wr_memory_size(mem) : 0, &code);

	if (r == WASI_CALL_EXIT)
		return wr_hostcall_exit(hc, code);
	if (r == WASI_CALL_LIMIT)	/* the transport says which (run_transport.ended) */
		return wr_hostcall_trap(hc, "limit reached");
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

void wasi_fn_type(unsigned fn, uint8_t params[16], wr_functype *out)
{
	const char *sig = wasi_fn_sig(fn);

	out->nparams = (uint32_t)strlen(sig);
	out->nresults = fn == WASI_FN_proc_exit ? 0 : 1;
	for (uint32_t i = 0; i < out->nparams; i++)
		params[i] = sig[i] == 'l' ? WR_I64 : WR_I32;
	out->params = params;
}

bool wasi_host_fn(wasi_ctx *c, unsigned fn, wr_host_fn *host, void **user)
{
	if (fn >= WASI_FN__COUNT)
		return false;
	c->binds[fn] = (wasi_binding){ .ctx = c, .fn = fn };
	*host = wasi_host_call;
	*user = &c->binds[fn];
	return true;
}

/*
 * clock_time_get needs no authority: reading a clock is allowed wherever
 * the engine runs (the vDSO, and clock_gettime for the CPU-time clocks),
 * and in the jailed child the CPU-time clocks then measure the guest
 * rather than the broker.  This context has no handles, only the plain
 * backend's clock.
 */
static wasi_ctx wasi_local_ctx = { .io = &wasi_io_sys };

bool wasi_local_fn(unsigned fn, wr_host_fn *host, void **user)
{
	if (fn != WASI_FN_clock_time_get)
		return false;
	wasi_local_ctx.binds[fn] = (wasi_binding){ .ctx = &wasi_local_ctx, .fn = fn };
	*host = wasi_host_call;
	*user = &wasi_local_ctx.binds[fn];
	return true;
}
