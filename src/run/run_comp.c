/*
 * run_comp.c: the run pipeline for a component: load (decode and
 * validate), instantiate in a store with the job's limits, its imports
 * served by the WASI 0.2 host (src/wasi2, over the job's preview1
 * transport), and call its wasi:cli/run export (the result's err is exit
 * status 1) or the --invoke function given in WAVE ('f(1, "x")'), its
 * result printed in WAVE. An import wrun does not serve refuses the run,
 * naming it, unless job->unknown_trap (-W unknown-imports-trap) or
 * --invoke: it then traps when called.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "wasi2.h"

/* Call the component's wasi:cli/run@0.2.x#run. */
static void run_crun(wr_cinstance *in, struct run_outcome *out)
{
	char name[160];
	const wr_cfunc *f = NULL;
	wr_cextern_info e;
	wr_cval result;
	wr_trap trap = { 0 };

	for (size_t i = 0; !f && wr_cinstance_export(in, i, &e); i++) {
		if (e.sort != WR_CSORT_INSTANCE || strncmp(e.name, "wasi:cli/run@0.2.", 17) ||
		    e.name_len > sizeof(name) - 8)
			continue;
		snprintf(name, sizeof(name), "%s#run", e.name);
		f = wr_cinstance_func(in, name);
	}
	if (!f)
		return run_set(out, RUN_NOSTART, "the component exports no wasi:cli/run@0.2 "
			       "(run it with --invoke 'NAME(ARGS)')");
	memset(&result, 0, sizeof(result));
	if (wr_cfunc_call(f, NULL, 0, &result, &trap) != WR_OK)
		return run_trapped(&trap, out);
	run_set(out, RUN_EXIT, NULL);
	out->code = result.kind == WR_C_RESULT && result.tag == 0 ? 0 : 1;
	wr_cval_free(&result);
}

static void run_cinvoke(wr_cinstance *in, const struct run_job *job, struct run_outcome *out)
{
	char err[256];
	wr_trap trap = { 0 };

	switch (wr_cinstance_invoke(in, job->invoke, out->text, RUN_TEXT_MAX, &trap, err,
				    sizeof(err))) {
	case WR_CINVOKE_OK:
		out->end = RUN_RESULTS;
		return;
	case WR_CINVOKE_TRAP:
		return run_trapped(&trap, out);
	case WR_CINVOKE_NOFUNC:
		return run_set(out, RUN_LINK, "%s", err);
	case WR_CINVOKE_NOMEM:
		return run_set(out, RUN_NOMEM, NULL);
	case WR_CINVOKE_USAGE:
		return run_set(out, RUN_USAGE, "--invoke %s: %s", job->invoke, err);
	default:
		return run_set(out, RUN_ERROR, "--invoke: %s", err);
	}
}

/* Instantiate c and run it (its wasi:cli/run, or --invoke). */
static void run_cstart(wr_store *s, const wr_component *c, wr_clinker *l,
		       const struct run_job *job, struct run_outcome *out, wr_cinstance **in,
		       wr_trap *trap)
{
	(void)s;
	wr_clinker_trap_unknown(l, job->invoke || job->unknown_trap);
	*in = wr_component_instantiate(s, c, l, trap);
	if (!*in)
		run_trapped(trap, out);
	else if (job->invoke)
		run_cinvoke(*in, job, out);
	else
		run_crun(*in, out);
}

/* Instantiate c in a store set up for the job, and run it. */
static void run_cinstance(const wr_component *c, const struct run_job *job,
			  const struct run_transport *t, struct run_outcome *out)
{
	wr_store *s = wr_store_new();
	wr_clinker *l = wr_clinker_new();
	wr_cinstance *in = NULL;
	struct wasi2 *w = NULL;
	wr_trap trap = { 0 };

	if (!s || !l) {
		run_set(out, RUN_NOMEM, NULL);
	} else {
		if (t->memory)
			wr_store_set_memory_provider(s, t->memory);
		if (job->max_memory)
			wr_store_set_memory_limit(s, job->max_memory);
		wr_store_set_fuel(s, job->fuel);
		/* the bridge first: its memory is the one preview1 calls see */
		if (wasi2_new(s, t, out, &w)) {
			if (wasi2_define(w, l))
				run_cstart(s, c, l, job, out, &in, &trap);
			else
				run_set(out, RUN_NOMEM, NULL);
		}
		if (t->ended)
			t->ended(t->self, out);
	}
	fflush(stdout);
	if (s)
		wr_store_free(s);
	wr_cinstance_free(in);
	wasi2_free(w);
	wr_clinker_free(l);
}

void run_component(const uint8_t *bytes, size_t len, const struct run_job *job,
		   const struct run_transport *t, struct run_outcome *out)
{
	wr_diag diag = { { 0 }, 0 };
	wr_component *c;

	if (job->invoke && job->nargs > 0)
		return run_set(out, RUN_USAGE, "--invoke %s: a component function takes its "
			       "arguments in the call, in WAVE: --invoke 'f(1, \"x\")'",
			       job->invoke);
	c = wr_component_load(bytes, len, &diag);
	if (!c) {
		run_set(out, diag.message[0] ? RUN_LOAD : RUN_NOMEM, "%s", diag.message);
		out->detail = diag.offset;
		return;
	}
	run_cinstance(c, job, t, out);
	wr_component_free(c);
}
