/*
 * w2_cli.c: wasi:cli (environment, exit, stdin/stdout/stderr, terminals),
 * wasi:clocks and wasi:random over preview1 args_*, environ_*, proc_exit,
 * clock_*_get and random_get.
 */
#include <string.h>

#include "w2.h"

#define CLI(x) "wasi:cli/" x W2_VER

/* ---- environment ---- */

/*
 * Fetch the argument (env false) or environment strings with preview1's
 * sizes_get and get: pointers at W2_BUF, strings after them. The count, or
 * -1 when trapped, -2 when they do not fit the bridge memory.
 */
static int strings_get(struct wasi2 *w, bool env, uint32_t *count)
{
	uint64_t a[2] = { W2_OUT, W2_OUT + 4 };
	uint64_t room = (uint64_t)W2_PAGES * 65536 - W2_BUF;
	uint32_t n, size;
	int r = w2_p1(w, env ? WASI_FN_environ_sizes_get : WASI_FN_args_sizes_get, a);

	if (r < 0)
		return -1;
	n = w2_u32(w, W2_OUT);
	size = w2_u32(w, W2_OUT + 4);
	if (r > 0 || (uint64_t)n * 4 + size > room)
		return -2;
	a[0] = W2_BUF;
	a[1] = W2_BUF + (uint64_t)n * 4;
	r = w2_p1(w, env ? WASI_FN_environ_get : WASI_FN_args_get, a);
	if (r < 0)
		return -1;
	*count = n;
	return r == 0 ? 0 : -2;
}

/* String i of strings_get (NUL-terminated in the bridge memory). */
static const char *string_at(struct wasi2 *w, uint32_t i)
{
	uint32_t p = w2_u32(w, W2_BUF + i * 4);

	return p < W2_PAGES * 65536u ? (const char *)w2_mem(w, p) : "";
}

static wr_trapkind get_strings(wr_ccall *call, wr_cval *res, struct wasi2 *w, bool env)
{
	uint32_t n = 0;
	int r = strings_get(w, env, &n);

	if (r == -1)
		return w2_pass(w, call);
	if (r < 0)
		return wr_ccall_trap(call, "wasi 0.2: the %s do not fit the host's buffer",
				     env ? "environment variables" : "arguments");
	*res = cv_agg(WR_C_LIST, 0, n);
	if (cv_oom(res))
		return w2_nomem(call);
	for (uint32_t i = 0; i < n; i++) {
		const char *s = string_at(w, i), *eq = strchr(s, '=');
		wr_cval *e = &res->of.elems[i];

		if (!env) {
			*e = cv_str(s, strlen(s));
			continue;
		}
		*e = cv_agg(WR_C_TUPLE, 0, 2);
		if (cv_oom(e))
			return w2_nomem(call);
		e->of.elems[0] = cv_str(s, eq ? (size_t)(eq - s) : strlen(s));
		e->of.elems[1] = eq ? cv_str(eq + 1, strlen(eq + 1)) : cv_str("", 0);
	}
	return WR_OK;
}

static wr_trapkind env_get(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	(void)a;
	(void)n;
	return get_strings(call, res, u, true);
}

static wr_trapkind args_get(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	(void)a;
	(void)n;
	return get_strings(call, res, u, false);
}

static wr_trapkind none(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	(void)call;
	(void)a;
	(void)n;
	(void)u;
	*res = cv_agg(WR_C_OPTION, 0, 0);
	return WR_OK;
}

/* ---- exit ---- */

static wr_trapkind do_exit(wr_ccall *call, struct wasi2 *w, uint64_t code)
{
	uint64_t a[1] = { code };

	w2_p1(w, WASI_FN_proc_exit, a);
	if (w->trap.kind == WR_TRAP_EXIT)
		return w2_pass(w, call);
	return w->trap.kind ? w2_pass(w, call) : wr_ccall_exit(call, (int)code);
}

static wr_trapkind exit_res(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	(void)n;
	(void)res;
	return do_exit(call, u, a[0].tag == 0 ? 0 : 1);
}

static wr_trapkind exit_code(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	(void)n;
	(void)res;
	return do_exit(call, u, a[0].of.u & 0xff);
}

/* ---- the standard streams ---- */

static wr_trapkind stdio(wr_ccall *call, wr_cval *res, struct wasi2 *w, enum w2_kind k,
			 uint32_t fd)
{
	int err;
	uint32_t rep = w2_derive(w, k, fd, k == W2_INPUT ? WASI_ROLE_IN : WASI_ROLE_OUT,
				 UINT32_MAX, &err);

	/* a standard stream wrun was started without: a stream all of whose
	 * operations fail, as before the broker made streams */
	if (rep == UINT32_MAX && err == WASI_EBADF)
		rep = w2_new(w, k, fd), err = WASI_EMFILE;
	if (rep == UINT32_MAX)
		return w2_derive_fail(w, call, err);
	w->tab[rep].mode = W2_STDIO;
	*res = cv_own(w, k, rep);
	return WR_OK;
}

static wr_trapkind get_stdin(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	(void)a;
	(void)n;
	return stdio(call, res, u, W2_INPUT, 0);
}

static wr_trapkind get_stdout(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	(void)a;
	(void)n;
	return stdio(call, res, u, W2_OUTPUT, 1);
}

static wr_trapkind get_stderr(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	(void)a;
	(void)n;
	return stdio(call, res, u, W2_OUTPUT, 2);
}

/* ---- clocks ---- */

/* Clock id's time (res false) or resolution into *v; -1 when trapped. */
static int w2_clock(struct wasi2 *w, uint32_t id, bool res, uint64_t *v)
{
	uint64_t a[3] = { id, 1, W2_OUT };
	int r;

	if (res)
		a[1] = W2_OUT;
	r = w2_p1(w, res ? WASI_FN_clock_res_get : WASI_FN_clock_time_get, a);
	*v = r == 0 ? w2_u64(w, W2_OUT) : 0;
	return r < 0 ? -1 : 0;
}

static wr_trapkind mono(wr_ccall *call, wr_cval *res, struct wasi2 *w, bool resol)
{
	uint64_t v;

	if (w2_clock(w, 1, resol, &v) < 0)
		return w2_pass(w, call);
	*res = cv_u(WR_C_U64, v);
	return WR_OK;
}

static wr_trapkind mono_now(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	(void)a;
	(void)n;
	return mono(call, res, u, false);
}

static wr_trapkind mono_res(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	(void)a;
	(void)n;
	return mono(call, res, u, true);
}

static wr_trapkind mono_instant(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				void *u)
{
	(void)n;
	return w2_pollable(u, call, W2_DEADLINE, a[0].of.u, UINT32_MAX, res);
}

static wr_trapkind mono_duration(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				 void *u)
{
	uint64_t now;

	(void)n;
	if (w2_clock(u, 1, false, &now) < 0)
		return w2_pass(u, call);
	return w2_pollable(u, call, W2_DEADLINE,
			   now + a[0].of.u < now ? UINT64_MAX : now + a[0].of.u,
			   UINT32_MAX, res);
}

static wr_trapkind wall(wr_ccall *call, wr_cval *res, struct wasi2 *w, bool resol)
{
	uint64_t v;

	if (w2_clock(w, 0, resol, &v) < 0)
		return w2_pass(w, call);
	*res = cv_agg(WR_C_RECORD, 0, 2);
	if (cv_oom(res))
		return w2_nomem(call);
	res->of.elems[0] = cv_u(WR_C_U64, v / 1000000000u);
	res->of.elems[1] = cv_u(WR_C_U32, v % 1000000000u);
	return WR_OK;
}

static wr_trapkind wall_now(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	(void)a;
	(void)n;
	return wall(call, res, u, false);
}

static wr_trapkind wall_res(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	(void)a;
	(void)n;
	return wall(call, res, u, true);
}

/* ---- random ---- */

/* len random bytes into W2_BUF; -1 when trapped, else the errno. */
static int random_fill(struct wasi2 *w, uint32_t len)
{
	uint64_t a[2] = { W2_BUF, len };

	return w2_p1(w, WASI_FN_random_get, a);
}

/* The most get-random-bytes returns in one call (a list of that many
 * values is built on the host side). */
#define W2_RANDOM_MAX (1u << 20)

static wr_trapkind rand_bytes(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	struct wasi2 *w = u;
	uint32_t len, done = 0;
	int r;

	(void)n;
	if (a[0].of.u > W2_RANDOM_MAX)
		return wr_ccall_trap(call, "wasi 0.2: get-random-bytes of more than %u bytes",
				     W2_RANDOM_MAX);
	len = (uint32_t)a[0].of.u;
	*res = cv_agg(WR_C_LIST, 0, len);
	if (cv_oom(res))
		return w2_nomem(call);
	while (done < len) {
		uint32_t k = len - done > W2_BUF_MAX ? W2_BUF_MAX : len - done;

		if ((r = random_fill(w, k)) != 0)
			return r < 0 ? w2_pass(w, call)
				     : wr_ccall_trap(call, "wasi 0.2: no randomness");
		for (uint32_t i = 0; i < k; i++)
			res->of.elems[done + i] = cv_u(WR_C_U8, w2_mem(w, W2_BUF)[i]);
		done += k;
	}
	return WR_OK;
}

static wr_trapkind rand_u64(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	int r = random_fill(u, 8);

	(void)a;
	(void)n;
	if (r != 0)
		return r < 0 ? w2_pass(u, call) : wr_ccall_trap(call, "wasi 0.2: no randomness");
	*res = cv_u(WR_C_U64, w2_u64(u, W2_BUF));
	return WR_OK;
}

static wr_trapkind rand_seed(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	int r = random_fill(u, 16);

	(void)a;
	(void)n;
	if (r != 0)
		return r < 0 ? w2_pass(u, call) : wr_ccall_trap(call, "wasi 0.2: no randomness");
	*res = cv_agg(WR_C_TUPLE, 0, 2);
	if (cv_oom(res))
		return w2_nomem(call);
	res->of.elems[0] = cv_u(WR_C_U64, w2_u64(u, W2_BUF));
	res->of.elems[1] = cv_u(WR_C_U64, w2_u64(u, W2_BUF + 8));
	return WR_OK;
}

/* ---- the table ---- */

struct w2_iface {
	const char *name;
	struct w2_def defs[4];
};

static const struct w2_iface w2_cli[] = {
	{ CLI("environment"), { { "get-environment", env_get }, { "get-arguments", args_get },
				{ "initial-cwd", none } } },
	{ CLI("exit"), { { "exit", exit_res }, { "exit-with-code", exit_code } } },
	{ CLI("stdin"), { { "get-stdin", get_stdin } } },
	{ CLI("stdout"), { { "get-stdout", get_stdout } } },
	{ CLI("stderr"), { { "get-stderr", get_stderr } } },
	{ CLI("terminal-stdin"), { { "get-terminal-stdin", none } } },
	{ CLI("terminal-stdout"), { { "get-terminal-stdout", none } } },
	{ CLI("terminal-stderr"), { { "get-terminal-stderr", none } } },
	{ "wasi:clocks/monotonic-clock" W2_VER,
	  { { "now", mono_now }, { "resolution", mono_res },
	    { "subscribe-instant", mono_instant }, { "subscribe-duration", mono_duration } } },
	{ "wasi:clocks/wall-clock" W2_VER, { { "now", wall_now }, { "resolution", wall_res } } },
	{ "wasi:random/random" W2_VER,
	  { { "get-random-bytes", rand_bytes }, { "get-random-u64", rand_u64 } } },
	{ "wasi:random/insecure" W2_VER,
	  { { "get-insecure-random-bytes", rand_bytes },
	    { "get-insecure-random-u64", rand_u64 } } },
	{ "wasi:random/insecure-seed" W2_VER, { { "insecure-seed", rand_seed } } },
};

bool w2_define_cli(struct wasi2 *w, wr_clinker *l)
{
	for (size_t i = 0; i < sizeof(w2_cli) / sizeof(w2_cli[0]); i++) {
		size_t n = 0;

		while (n < 4 && w2_cli[i].defs[n].name)
			n++;
		if (!w2_define(l, w2_cli[i].name, w2_cli[i].defs, n, w))
			return false;
	}
	return true;
}
