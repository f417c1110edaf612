/*
 * cinvoke.c: calling a component instance's export from a text call in
 * WAVE, its result printed in WAVE (wr_cinstance_invoke, include/wrun.h;
 * `wrun --invoke 'f(1, "x")' component.wasm`).
 */
#include "clink.h"
#include "wave.h"

#include <stdio.h>
#include <string.h>

struct invoke_lookup {
	const wr_cinstance *inst;
	const wr_cfunc *fn;
	bool missing;
	char name[128];
};

static const cfunctype *lookup(void *user, const char *name, size_t len)
{
	struct invoke_lookup *lk = user;
	char buf[512];
	lk->fn = NULL;
	if (len < sizeof(buf)) {
		memcpy(buf, name, len);
		buf[len] = 0;
		lk->fn = wr_cinstance_func(lk->inst, buf);
	}
	if (!lk->fn) {
		lk->missing = true;
		snprintf(lk->name, sizeof(lk->name), "%.*s", (int)(len < 100 ? len : 100), name);
		return NULL;
	}
	return wr_cfunc_type(lk->fn);
}

/* Print r (of type t) and a newline into out. */
static wr_cinvoke_status print_result(const wr_cval *r, const ctype *t, char *out,
                                      size_t outsize, char *err, size_t errlen)
{
	size_t n = wave_print(r, t, out, outsize);
	if (n == WAVE_PRINT_ERROR) {
		snprintf(err, errlen, "the result cannot be printed");
		out[0] = 0;
		return WR_CINVOKE_USAGE;
	}
	if (n + 2 > outsize) {
		snprintf(err, errlen, "the result does not fit in %zu bytes", outsize);
		out[0] = 0;
		return WR_CINVOKE_TOOLONG;
	}
	out[n] = '\n';
	out[n + 1] = 0;
	return WR_CINVOKE_OK;
}

wr_cinvoke_status wr_cinstance_invoke(wr_cinstance *inst, const char *call, char *out,
                                      size_t outsize, wr_trap *trap, char *err, size_t errlen)
{
	struct invoke_lookup lk = { .inst = inst };
	wave_call c;
	wr_trap spare;
	if (!trap)
		trap = &spare;
	memset(trap, 0, sizeof(*trap));
	if (outsize)
		out[0] = 0;
	if (!inst || !call || outsize < 2) {
		snprintf(err, errlen, "no instance, call or room for the result");
		return WR_CINVOKE_USAGE;
	}
	if (!wave_parse_call(call, strlen(call), lookup, &lk, &c, err, errlen)) {
		if (!lk.missing)
			return WR_CINVOKE_USAGE;
		snprintf(err, errlen, "no exported function `%s`", lk.name);
		return WR_CINVOKE_NOFUNC;
	}
	wr_cval r;
	wr_trapkind k = wr_cfunc_call(lk.fn, c.args, c.nargs, &r, trap);
	wave_call_free(&c);
	if (k != WR_OK)
		return WR_CINVOKE_TRAP;
	const ctype *rt = wr_cfunc_type(lk.fn)->result;
	if (!rt)
		return WR_CINVOKE_OK;
	wr_cinvoke_status st = print_result(&r, rt, out, outsize, err, errlen);
	wr_cval_free(&r);
	return st;
}
