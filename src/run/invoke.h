/*
 * invoke.h: calling one export by name with arguments given as text
 * (--invoke), its results formatted the way wrun prints them.
 */
#ifndef WRUN_INVOKE_H
#define WRUN_INVOKE_H

#include <stddef.h>

#include "wrun.h"

/* The most text the results may take (the sandbox's text area holds it). */
#define INV_OUT_MAX 1024

enum inv_status {
	INV_OK,		/* called; out holds the results, one per line */
	INV_NOEXPORT,	/* no exported function of that name (err says so) */
	INV_USAGE,	/* wrong number or form of arguments (err) */
	INV_TRAP,	/* the call trapped or exited: see trap */
	INV_NOMEM,	/* out of memory */
	INV_TOOLONG,	/* the formatted results exceed outsize (err) */
};

/* Call export name of inst with nargs text arguments. */
enum inv_status inv_call(wr_instance *inst, const char *name, int nargs, char *const *args,
			 char *out, size_t outsize, wr_trap *trap, char *err, size_t errlen);

#endif
