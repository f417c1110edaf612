/*
 * wasi2.h: the WASI 0.2 host (wasi:cli/command) for components, over the
 * preview1 host (see w2.h for how).  Used by the run pipeline
 * (src/run/run_comp.c).
 */
#ifndef WRUN_WASI2_H
#define WRUN_WASI2_H

#include <stdbool.h>

#include "run.h"
#include "wrun.h"

struct wasi2;

/* Build the bridge in store s, its preview1 imports bound through t (this
 * must come before any other memory of s: its memory is the one preview1
 * calls see). False with out filled on failure. *wp is set whenever the
 * host was allocated, even on failure: free it (wasi2_free) after the
 * store, which may hold an instance of its bridge. */
bool wasi2_new(wr_store *s, const struct run_transport *t, struct run_outcome *out,
	       struct wasi2 **wp);
/* Define every WASI 0.2 function and resource type wrun serves in l. */
bool wasi2_define(struct wasi2 *w, wr_clinker *l);
void wasi2_free(struct wasi2 *w);

#endif
