/*
 * casync.c: the synchronous subset of async calls. wrun runs every call to
 * completion before returning, so an async call is one that happens to
 * finish before its caller looks: an async-lifted function without a
 * callback (stackful) runs its core function, which hands its result over
 * with `task.return`; an async-lowered import calls its callee to the end
 * and reports the subtask RETURNED, its result stored at the out-pointer.
 * What would need a second task to make progress (waiting, yielding,
 * streams, futures, callbacks) is not here: those built-ins trap.
 */
#include "clink.h"

#include <stdlib.h>
#include <string.h>

#define MAX_FLAT_ASYNC_PARAMS 4
#define SUBTASK_RETURNED 2u
#define MSG_ENTER "cannot enter component instance"
#define MSG_LEAVE "cannot leave component instance"

/* A call of an async-lifted function in progress (a frame's stack). */
struct casync_task {
	const cfunctype *type;
	const struct canonopts *opts;
	wr_cval result;
	bool returned;
	struct casync_task *prev;
};

struct async_lift {
	struct cfunc f;       /* core function and options */
	cframe *frame;
};

static wr_trapkind trap_msg(wr_trap *t, const char *msg)
{
	memset(t, 0, sizeof(*t));
	strncpy(t->message, msg, sizeof(t->message) - 1);
	return t->kind = WR_TRAP_HOST;
}

static void to_values(const uint64_t *v, const uint8_t *types, uint32_t n, wr_value *out)
{
	for (uint32_t i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].type = types[i];
		if (types[i] == WR_I32 || types[i] == WR_F32)
			out[i].of.i32 = (int32_t)(uint32_t)v[i];
		else
			out[i].of.i64 = (int64_t)v[i];
	}
}

/* Lower the arguments into the callee and run its core function, the task
 * on the frame's stack. */
static wr_trapkind lift_run(const struct async_lift *al, struct casync_task *task,
                            struct ctask *ct, const wr_cval *args, wr_trap *trap)
{
	const cfunctype *ft = al->f.type;
	struct ccx cx = { &al->f.opts, al->f.opts.inst, ct, NULL, trap, 0 };
	struct cflatsig sig;
	uint64_t vals[CANON_MAX_FLAT_PARAMS] = { 0 };
	struct cflat fl = { vals, NULL, CANON_MAX_FLAT_PARAMS, 0 };
	wr_value cargs[CANON_MAX_FLAT_PARAMS];
	canon_flatten_functype(ft, false, &sig);
	wr_trapkind k = canon_lower_values(&cx, CANON_MAX_FLAT_PARAMS, args, ft->params,
	                                   ft->nparams, &fl, NULL);
	if (k != WR_OK)
		return k;
	to_values(vals, sig.params, sig.nparams, cargs);
	task->prev = al->frame->task;
	al->frame->task = task;
	k = wr_call(al->f.core, cargs, sig.nparams, NULL, 0, trap);
	al->frame->task = task->prev;
	return k;
}

/* The cfunc host function of an async-lifted export: enter, run, take
 * what task.return gave. */
static wr_trapkind async_lift_call(void *user, const wr_cval *args, size_t nargs,
                                   wr_cval *result, wr_trap *trap)
{
	const struct async_lift *al = user;
	struct cinstance *ci = al->f.opts.inst;
	struct casync_task task = { .type = al->f.type, .opts = &al->f.opts };
	struct ctask ct = { ci, 0 };
	if (!ci->may_enter)
		return trap_msg(trap, MSG_ENTER);
	ci->may_enter = false;
	wr_trapkind k = lift_run(al, &task, &ct, args, trap);
	if (k == WR_OK && !task.returned)
		k = trap_msg(trap, "async-lifted function returned without calling task.return");
	if (k == WR_OK && ct.num_borrows)
		k = trap_msg(trap, "borrow handles still remain at the end of the call");
	if (k != WR_OK) {
		if (task.returned)
			wr_cval_free(&task.result);
		return k; /* the instance stays unenterable, as after any trap */
	}
	ci->may_enter = true;
	if (result)
		*result = task.result;
	else if (al->f.type->result)
		wr_cval_free(&task.result);
	return WR_OK;
}

struct wr_cfunc *clink_async_lift(cframe *f, const cfunctype *ft, wr_func *core,
                                  const struct canonopts *opts)
{
	struct async_lift *al = ctype_alloc(f->top->arena, sizeof(*al));
	struct wr_cfunc *fn = ctype_alloc(f->top->arena, sizeof(*fn));
	if (!al || !fn) {
		clink_oom(f->top);
		return NULL;
	}
	al->f = (struct cfunc){ .type = ft, .core = core, .opts = *opts };
	al->frame = f;
	fn->f = (struct cfunc){ .type = ft, .host = async_lift_call, .user = al };
	return fn;
}

/* ---- task.return ---- */

struct task_return {
	cframe *frame;
	const wr_functype *core;
};

static wr_trapkind task_return(wr_hostcall *hc, uint64_t *slots, void *user)
{
	const struct task_return *tr = user;
	struct casync_task *task = tr->frame->task;
	wr_trap t;
	memset(&t, 0, sizeof(t));
	if (!tr->frame->ci->may_leave)
		return wr_hostcall_trap(hc, MSG_LEAVE);
	if (!task || task->returned)
		return wr_hostcall_trap(hc, "task.return: no async task awaits a result");
	uint8_t want[CANON_FLAT_MAX];
	cfield rf = { NULL, task->type->result };
	uint32_t n = rf.type ? canon_flatten_fields(&rf, 1, want, CANON_FLAT_MAX) : 0;
	if (n > CANON_MAX_FLAT_PARAMS) /* (UINT32_MAX too: past the buffer) */
		n = 1, want[0] = WR_I32;
	if (n != tr->core->nparams || memcmp(want, tr->core->params, n))
		return wr_hostcall_trap(hc, "task.return: the result type differs from the task's");
	struct csubtask sub = { NULL, 0, 0 };
	struct ccx cx = { task->opts, tr->frame->ci, NULL, &sub, &t, 0 };
	struct cflat fl = { slots, tr->core->params, tr->core->nparams, 0 };
	wr_trapkind k = WR_OK;
	if (rf.type)
		k = canon_lift_values(&cx, CANON_MAX_FLAT_PARAMS, &fl, &rf, 1, &task->result);
	csubtask_deliver(&sub, tr->frame->ci);
	if (k != WR_OK)
		return wr_hostcall_trap(hc, t.message[0] ? t.message : wr_trap_message(k));
	task->returned = true;
	return WR_OK;
}

wr_func *clink_task_return(cframe *f, const wr_functype *core)
{
	struct task_return *tr = ctype_alloc(f->top->arena, sizeof(*tr));
	if (!tr)
		return NULL;
	*tr = (struct task_return){ f, core };
	return wr_func_new_host(f->top->store, core, task_return, tr, "task.return");
}

/* ---- async lower ---- */

struct async_lower {
	struct cfunc callee;
	struct canonopts opts;   /* the caller's */
	const wr_functype *core;
};

/* Store the callee's result at the out-pointer, the last core argument. */
static wr_trapkind store_result(const struct async_lower *lc, struct ccx *cx, uint64_t *slots,
                                wr_cval *res)
{
	uint32_t ptr = (uint32_t)slots[lc->core->nparams - 1];
	return canon_store(cx, res, lc->callee.type->result, ptr);
}

static wr_trapkind async_lower_call(wr_hostcall *hc, uint64_t *slots, void *user)
{
	const struct async_lower *lc = user;
	const cfunctype *ft = lc->callee.type;
	struct cinstance *ci = lc->opts.inst;
	wr_trap t;
	memset(&t, 0, sizeof(t));
	if (!ci->may_leave)
		return wr_hostcall_trap(hc, MSG_LEAVE);
	struct csubtask sub = { NULL, 0, 0 };
	struct ccx cx = { &lc->opts, ci, NULL, &sub, &t, 0 };
	uint32_t nflat = lc->core->nparams - (ft->result ? 1 : 0);
	struct cflat fl = { slots, lc->core->params, nflat, 0 };
	wr_cval *args = ft->nparams ? calloc(ft->nparams, sizeof(*args)) : NULL, res;
	wr_trapkind k = ft->nparams && !args ? WR_TRAP_HOST : WR_OK;
	if (k == WR_OK)
		k = canon_lift_values(&cx, MAX_FLAT_ASYNC_PARAMS, &fl, ft->params, ft->nparams, args);
	if (k == WR_OK)
		k = cfunc_call(&lc->callee, ci, args, ft->nparams, ft->result ? &res : NULL, &t);
	csubtask_deliver(&sub, ci);
	for (uint32_t i = 0; args && i < ft->nparams; i++)
		wr_cval_free(&args[i]);
	free(args);
	if (k == WR_OK && ft->result) {
		k = store_result(lc, &cx, slots, &res);
		wr_cval_free(&res);
	}
	if (k != WR_OK)
		return wr_hostcall_trap(hc, t.message[0] ? t.message : "out of memory");
	slots[0] = SUBTASK_RETURNED;
	return WR_OK;
}

wr_func *clink_async_lower(cframe *f, const struct wr_cfunc *callee,
                           const struct canonopts *opts, const wr_functype *core)
{
	struct async_lower *lc = ctype_alloc(f->top->arena, sizeof(*lc));
	if (!lc || core->nresults != 1 || (callee->f.type->result && core->nparams == 0))
		return NULL;
	*lc = (struct async_lower){ callee->f, *opts, core };
	return wr_func_new_host(f->top->store, core, async_lower_call, lc, "canon.lower async");
}
