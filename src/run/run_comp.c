/*
 * run_comp.c: the run pipeline for a component: load (decode and
 * validate), instantiate in a store with the job's limits, and call the
 * --invoke function given in WAVE ('f(1, "x")'), its result printed in
 * WAVE. Imports are not served yet (the WASI 0.2 host comes later): each
 * imported function traps when called, naming itself, and instantiation
 * still succeeds.
 */
#include <stdio.h>
#include <stdlib.h>

#include "run.h"

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

/* Instantiate c in a store set up for the job, and invoke. */
static void run_cinstance(const wr_component *c, const struct run_job *job,
			  const struct run_transport *t, struct run_outcome *out)
{
	wr_store *s = wr_store_new();
	wr_clinker *l = wr_clinker_new();
	wr_cinstance *in = NULL;
	wr_trap trap = { 0 };

	if (!s || !l) {
		run_set(out, RUN_NOMEM, NULL);
	} else {
		if (t->memory)
			wr_store_set_memory_provider(s, t->memory);
		if (job->max_memory)
			wr_store_set_memory_limit(s, job->max_memory);
		wr_store_set_fuel(s, job->fuel);
		wr_clinker_trap_unknown(l, true);
		in = wr_component_instantiate(s, c, l, &trap);
		if (!in)
			run_trapped(&trap, out);
		else
			run_cinvoke(in, job, out);
		if (t->ended)
			t->ended(t->self, out);
	}
	fflush(stdout);
	if (s)
		wr_store_free(s);
	wr_cinstance_free(in);
	wr_clinker_free(l);
}

void run_component(const uint8_t *bytes, size_t len, const struct run_job *job,
		   const struct run_transport *t, struct run_outcome *out)
{
	wr_diag diag = { { 0 }, 0 };
	wr_component *c;

	if (!job->invoke)
		return run_set(out, RUN_ERROR, "a component runs with --invoke 'NAME(ARGS)' for "
			       "now: running its wasi:cli/run needs the WASI 0.2 host");
	if (job->nargs > 0)
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
