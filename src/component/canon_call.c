/*
 * canon_call.c: calls across the component boundary (CanonicalABI.md,
 * `canon lift`, `canon lower`, Store.lift and Store.lower), synchronous
 * only. A lifted function is entered under the may_enter checks, gets its
 * arguments lowered into its own memory, runs, has its result lifted and
 * handed to the caller, then runs post-return with may_leave cleared. A
 * lowered import is a core host function that lifts its core arguments
 * from the caller's memory and lowers the callee's result back.
 */
#include "canon_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMSG_BORROWS "borrow handles still remain at the end of the call"

static void to_values(const uint64_t *v, const uint8_t *types, uint32_t n, wr_value *out)
{
	for (uint32_t i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].type = types[i];
		switch (types[i]) {
		case WR_I32: out[i].of.i32 = (int32_t)(uint32_t)v[i]; break;
		case WR_F32: out[i].of.f32 = (uint32_t)v[i]; break;
		case WR_F64: out[i].of.f64 = v[i]; break;
		default: out[i].of.i64 = (int64_t)v[i]; break;
		}
	}
}

static uint64_t from_value(const wr_value *v)
{
	switch (v->type) {
	case WR_I32: return (uint32_t)v->of.i32;
	case WR_F32: return v->of.f32;
	case WR_F64: return v->of.f64;
	default: return (uint64_t)v->of.i64;
	}
}

/* post-return, given the core results, with may_leave cleared. */
static wr_trapkind post_return(const struct cfunc *f, wr_value *res, uint32_t nres,
                               wr_trap *trap)
{
	struct cinstance *inst = f->opts.inst;
	if (!f->opts.post_return)
		return WR_OK;
	if (inst)
		inst->may_leave = false;
	wr_trapkind k = wr_call(f->opts.post_return, res, nres, NULL, 0, trap);
	if (inst)
		inst->may_leave = true;
	return k;
}

/* Lift the core result, check the borrows, resolve, post-return. */
static wr_trapkind lifted_return(const struct cfunc *f, struct ccx *cx,
                                 const struct cflatsig *sig, wr_value *res, struct ccall *c)
{
	uint64_t rv[CANON_MAX_FLAT_RESULTS] = { 0 };
	for (uint32_t i = 0; i < sig->nresults; i++)
		rv[i] = from_value(&res[i]);
	struct cflat fl = { rv, sig->results, sig->nresults, 0 };
	cfield rf = { NULL, f->type->result };
	wr_cval result;
	wr_trapkind k = WR_OK;
	if (rf.type)
		k = canon_lift_values(cx, CANON_MAX_FLAT_RESULTS, &fl, &rf, 1, &result);
	if (k != WR_OK)
		return k;
	if (cx->task->num_borrows) {
		if (rf.type)
			wr_cval_free(&result);
		return ctrap(cx, CMSG_BORROWS);
	}
	if ((k = c->resolve(c, rf.type ? &result : NULL, cx->trap)) != WR_OK)
		return k;
	return post_return(f, res, sig->nresults, cx->trap);
}

/* canon_lift's synchronous body, inside the instance. */
static wr_trapkind lifted_body(const struct cfunc *f, struct ctask *task, struct ccall *c,
                               wr_trap *trap)
{
	struct ccx cx = { &f->opts, f->opts.inst, task, NULL, trap, 0 };
	struct cflatsig sig;
	canon_flatten_functype(f->type, false, &sig);
	const wr_cval *args;
	wr_trapkind k = c->start(c, &args, trap);
	if (k != WR_OK)
		return k;
	uint64_t vals[CANON_MAX_FLAT_PARAMS] = { 0 };
	struct cflat fl = { vals, NULL, CANON_MAX_FLAT_PARAMS, 0 };
	k = canon_lower_values(&cx, CANON_MAX_FLAT_PARAMS, args, f->type->params,
	                       f->type->nparams, &fl, NULL);
	if (k != WR_OK)
		return k;
	if (fl.i != sig.nparams)
		return ctrap(&cx, "canonical ABI: wrong number of core arguments");
	wr_value cargs[CANON_MAX_FLAT_PARAMS], res[CANON_MAX_FLAT_RESULTS];
	to_values(vals, sig.params, sig.nparams, cargs);
	k = wr_call(f->core, cargs, sig.nparams, res, sig.nresults, trap);
	if (k != WR_OK)
		return k;
	return lifted_return(f, &cx, &sig, res, c);
}

/* Store.lift: enter (or trap), run, leave. A trap leaves the instance
 * unenterable and forgets the borrows still scoped to this call. */
static wr_trapkind lifted_invoke(const struct cfunc *f, struct cinstance *caller,
                                 struct ccall *c, wr_trap *trap)
{
	struct cinstance *inst = f->opts.inst;
	if (!cinstance_may_enter(inst, caller))
		return ctrap_to(trap, CMSG_ENTER);
	cinstance_enter(inst, caller);
	struct ctask task = { inst, 0 };
	wr_trapkind k = lifted_body(f, &task, c, trap);
	if (k == WR_OK)
		cinstance_leave(inst, caller);
	else
		ctask_scrub(&task);
	return k;
}

static wr_trapkind host_invoke(const struct cfunc *f, struct ccall *c, wr_trap *trap)
{
	const wr_cval *args;
	wr_trapkind k = c->start(c, &args, trap);
	if (k != WR_OK)
		return k;
	wr_cval result;
	memset(&result, 0, sizeof(result));
	memset(trap, 0, sizeof(*trap));
	k = f->host(f->user, args, f->type->nparams, f->type->result ? &result : NULL, trap);
	if (k != WR_OK) {
		wr_cval_free(&result);
		trap->kind = k;
		if (!trap->message[0])
			snprintf(trap->message, sizeof(trap->message), "%s", wr_trap_message(k));
		return k;
	}
	return c->resolve(c, f->type->result ? &result : NULL, trap);
}

wr_trapkind cfunc_invoke(const struct cfunc *f, struct cinstance *caller, struct ccall *c,
                         wr_trap *trap)
{
	wr_trap spare;
	if (!trap)
		trap = &spare;
	if (f->core)
		return lifted_invoke(f, caller, c, trap);
	if (f->host)
		return host_invoke(f, c, trap);
	return ctrap_to(trap, "canonical ABI: a function with neither core code nor host code");
}

/* ---- calls with arguments from an array ---- */

struct array_call {
	struct ccall base;
	const wr_cval *args;
	size_t nargs, nparams;
	wr_cval *result;
};

static wr_trapkind array_start(struct ccall *c, const wr_cval **args, wr_trap *trap)
{
	struct array_call *a = (struct array_call *)c;
	if (a->nargs != a->nparams)
		return ctrap_to(trap, "wrong number of arguments: %zu for %zu parameters", a->nargs,
		                a->nparams);
	*args = a->args;
	return WR_OK;
}

static wr_trapkind array_resolve(struct ccall *c, wr_cval *result, wr_trap *trap)
{
	struct array_call *a = (struct array_call *)c;
	if (result && a->result)
		*a->result = *result;
	else if (result)
		wr_cval_free(result);
	return WR_OK;
}

wr_trapkind cfunc_call(const struct cfunc *f, struct cinstance *caller, const wr_cval *args,
                       size_t nargs, wr_cval *result, wr_trap *trap)
{
	struct array_call a = { { array_start, array_resolve }, args, nargs, f->type->nparams,
	                        result };
	if (result)
		memset(result, 0, sizeof(*result));
	return cfunc_invoke(f, caller, &a.base, trap);
}

/* ---- canon lower ---- */

struct lower_closure {
	struct cfunc callee;
	struct canonopts opts;
	struct cflatsig sig;
};

/* One call of a lowered function: its core arguments, lifted values, result. */
struct lower_call {
	struct ccall base;
	const struct lower_closure *lc;
	struct ccx cx;
	struct cflat args;
	wr_cval *vals;
	uint64_t res[CANON_MAX_FLAT_RESULTS];
	uint32_t nres;
};

static wr_trapkind lower_start(struct ccall *c, const wr_cval **args, wr_trap *trap)
{
	struct lower_call *l = (struct lower_call *)c;
	const cfunctype *ft = l->lc->callee.type;
	l->cx.trap = trap;
	l->vals = cval_array(ft->nparams);
	if (!l->vals && ft->nparams)
		return ctrap_oom(&l->cx);
	wr_trapkind k = canon_lift_values(&l->cx, CANON_MAX_FLAT_PARAMS, &l->args, ft->params,
	                                  ft->nparams, l->vals);
	*args = l->vals;
	return k;
}

static wr_trapkind lower_resolve(struct ccall *c, wr_cval *result, wr_trap *trap)
{
	struct lower_call *l = (struct lower_call *)c;
	cfield rf = { NULL, l->lc->callee.type->result };
	l->cx.trap = trap;
	if (!result || !rf.type) {
		if (result)
			wr_cval_free(result);
		return rf.type ? ctrap(&l->cx, "%s", CMSG_MISMATCH) : WR_OK;
	}
	struct cflat out = { l->res, NULL, CANON_MAX_FLAT_RESULTS, 0 };
	wr_trapkind k = canon_lower_values(&l->cx, CANON_MAX_FLAT_RESULTS, result, &rf, 1, &out,
	                                   &l->args);
	wr_cval_free(result);
	l->nres = out.i;
	return k;
}

/* The core function of `canon lower` (Store.lower and canon_lower). */
static wr_trapkind lowered(wr_hostcall *hc, uint64_t *slots, void *user)
{
	const struct lower_closure *lc = user;
	struct cinstance *inst = lc->opts.inst;
	if (!inst->may_leave)
		return wr_hostcall_trap(hc, CMSG_LEAVE);
	struct csubtask sub = { NULL, 0, 0 };
	wr_trap t;
	memset(&t, 0, sizeof(t));
	struct lower_call l = { { lower_start, lower_resolve }, lc, { &lc->opts, inst, NULL, &sub, &t, 0 },
	                        { slots, lc->sig.params, lc->sig.nparams, 0 }, NULL, { 0 }, 0 };
	wr_trapkind k = cfunc_invoke(&lc->callee, inst, &l.base, &t);
	csubtask_deliver(&sub, inst);
	for (uint32_t i = 0; l.vals && i < lc->callee.type->nparams; i++)
		wr_cval_free(&l.vals[i]);
	free(l.vals);
	if (k != WR_OK)
		return cpass_trap(hc, k, &t);
	for (uint32_t i = 0; i < l.nres && i < lc->sig.nresults; i++)
		slots[i] = l.res[i];
	return WR_OK;
}

wr_func *canon_lower(wr_store *s, const struct cfunc *callee, const struct canonopts *opts)
{
	if (!opts->inst)
		return NULL;
	struct lower_closure *lc = cinstance_alloc(opts->inst, sizeof(*lc));
	if (!lc)
		return NULL;
	lc->callee = *callee;
	lc->opts = *opts;
	canon_flatten_functype(callee->type, true, &lc->sig);
	wr_functype ft = { lc->sig.nparams, lc->sig.nresults, lc->sig.params, lc->sig.results };
	return wr_func_new_host(s, &ft, lowered, lc, "canon.lower");
}
