/*
 * child.c: the jailed child's main.
 *
 * It maps the channel and the module bytes the broker passed, enters the
 * jail, and only then decodes, validates and instantiates the module.
 * Every WASI import is bound to a host function that forwards the call's
 * raw arguments over the channel and returns the broker's errno; linear
 * memory lives in the broker's memfd and grows by asking the broker.  The
 * child has no way to print: the outcome, with any message, is the last
 * request it makes.  Under the filter only memory, futex, signal-return,
 * clock and exit calls are allowed, so nothing here may open, write or
 * read a descriptor after jail_enter().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "invoke.h"
#include "runtime.h"
#include "sandbox.h"
#include "sbx_proto.h"
#include "wasi/wasi_impl.h"
#include "wrun.h"

/* Everything the child needs; one per process. */
struct sbx_child {
	struct chan chan;
	const char *hook;	/* test builds only */
	bool mem_given;		/* the memfd went to the first memory */
	char *invoke;		/* --invoke NAME, or NULL for _start */
	char **args;		/* its arguments */
	int nargs;
};

_Static_assert(SBX_TEXT_SIZE >= INV_OUT_MAX, "--invoke results need the text area");

static struct sbx_child sbx_c;

/* Bindings: one per WASI function, pointing at its number. */
static unsigned sbx_fn_ids[WASI_FN__COUNT];

/* End the child at once; the broker already knows why. */
static _Noreturn void sbx_child_exit(int code)
{
	syscall(SYS_exit_group, code);
	__builtin_unreachable();
}

/* Copy text into the channel's text area, NUL-terminated. */
static void sbx_put_text(const char *a, const char *b)
{
	char *t = (char *)sbx_c.chan.page + SBX_TEXT_OFF;

	snprintf(t, SBX_TEXT_SIZE, "%s%s", a ? a : "", b ? b : "");
}

/*
 * Report the outcome and end at once: the broker does not answer it, and
 * the child's exit then overlaps the broker's own wind-down.  A broker that
 * sees the exit first still reads these last words from the channel.
 */
static _Noreturn void sbx_done(enum sbx_outcome out, uint64_t detail)
{
	uint64_t args[2] = { out, detail };

	chan_send(&sbx_c.chan, SBX_FN_DONE, args, 2);
	sbx_child_exit(0);
}

/* The host function behind every WASI import: forward, wait, answer. */
static wr_trapkind sbx_forward(wr_hostcall *hc, uint64_t *slots, void *user)
{
	unsigned fn = *(const unsigned *)user;
	int64_t r;

	sbx_child_hook(SBX_HOOK_CALL, &sbx_c.chan, sbx_c.hook);
	r = chan_call(&sbx_c.chan, fn, slots, (uint32_t)strlen(wasi_fn_sig(fn)));
	if (r & SBX_ANS_EXIT)
		return wr_hostcall_exit(hc, (int)(r & 0xff));
	if (r < 0 || r > 0xffff)
		return wr_hostcall_trap(hc, "sandbox: bad answer from the broker");
	slots[0] = (uint32_t)r;
	return WR_OK;
}

/*
 * The memory's resize hook: the broker ftruncates the memfd (and so
 * enforces --max-memory); the engine then maps the new pages itself.
 */
static bool sbx_resize(wr_memory *m, uint64_t bytes, void *user)
{
	uint64_t arg = bytes;

	return chan_call(&sbx_c.chan, SBX_FN_MEM_RESIZE, &arg, 1) == 0;
}

/* Give the broker's memfd to the module's first memory; others are private. */
static int sbx_provide(wr_memory *m, const wr_limits *decl, void *user)
{
	if (sbx_c.mem_given)
		return -1;
	sbx_c.mem_given = true;
	m->resize = sbx_resize;
	m->resize_user = NULL;
	return SBX_FD_MEM;
}

/*
 * clock_time_get is answered in the child instead of over the channel. It
 * grants nothing the child lacks: reading a clock is already allowed here
 * (the vDSO, and clock_gettime in the filter for the CPU-time clocks), and
 * the CPU-time clocks then measure the guest rather than the broker. Only
 * the backend of the context is used, and only its clock read.
 */
static wasi_ctx sbx_clock_ctx = { .io = &wasi_io_sys };

static wr_trapkind sbx_local_clock(wr_hostcall *hc, uint64_t *slots, void *user)
{
	wr_memory *mem = wr_hostcall_memory(hc);
	int code = 0;

	(void)user;
	slots[0] = (uint32_t)wasi_call(&sbx_clock_ctx, WASI_FN_clock_time_get, slots,
				       mem ? wr_memory_data(mem) : NULL,
				       mem ? wr_memory_size(mem) : 0, &code);
	return WR_OK;
}

/* Bind import i to a forwarding host function, or report a link error. */
static void sbx_bind(wr_store *s, const wr_import *imp, wr_extern *out)
{
	uint8_t params[CHAN_MAX_ARGS], result = WR_I32;
	wr_functype ft = { 0 };
	int fn = -1;

	if (wasi_is_wasi_module(imp->module, imp->module_len))
		fn = wasi_fn_lookup(imp->name, imp->name_len);
	if (fn < 0) {
		sbx_put_text("unknown import ", imp->name);
		sbx_done(SBX_OUT_LINK, 0);
	}
	if (!wasi_import_type_ok(imp, (unsigned)fn)) {
		sbx_put_text("incompatible import type for ", imp->name);
		sbx_done(SBX_OUT_LINK, 0);
	}
	ft.nparams = (uint32_t)strlen(wasi_fn_sig(fn));
	ft.nresults = fn == WASI_FN_proc_exit ? 0 : 1;
	for (uint32_t i = 0; i < ft.nparams; i++)
		params[i] = wasi_fn_sig(fn)[i] == 'l' ? WR_I64 : WR_I32;
	ft.params = params;
	ft.results = &result;
	sbx_fn_ids[fn] = (unsigned)fn;
	out->kind = WR_EXTERN_FUNC;
	out->of.func = wr_func_new_host(s, &ft,
					fn == WASI_FN_clock_time_get ? sbx_local_clock : sbx_forward,
					&sbx_fn_ids[fn], wasi_fn_name(fn));
	if (!out->of.func)
		sbx_done(SBX_OUT_NOMEM, 0);
}

/* Report a trap (or the guest's exit) as the outcome. */
static _Noreturn void sbx_trapped(const wr_trap *t)
{
	if (t->kind == WR_TRAP_EXIT)
		sbx_child_exit(0);	/* the broker holds the code already */
	if (t->func[0]) {
		char line[SBX_TEXT_SIZE];

		snprintf(line, sizeof(line), "%s (in function %s)",
			 t->message[0] ? t->message : wr_trap_message(t->kind), t->func);
		sbx_put_text(line, NULL);
	} else {
		sbx_put_text(t->message[0] ? t->message : wr_trap_message(t->kind), NULL);
	}
	sbx_done(t->kind == WR_TRAP_LINK ? SBX_OUT_LINK : SBX_OUT_TRAP, t->kind);
}

/* Call a () -> () export if it exists; a trap ends the child. */
static bool sbx_call_void(wr_instance *inst, const char *name)
{
	wr_trap trap = { 0 };
	wr_extern ex;

	if (!wr_instance_export(inst, name, &ex) || ex.kind != WR_EXTERN_FUNC)
		return false;
	if (wr_call(ex.of.func, NULL, 0, NULL, 0, &trap) != WR_OK)
		sbx_trapped(&trap);
	return true;
}

/* --invoke: call the export and report its results or what went wrong. */
static _Noreturn void sbx_invoke(wr_instance *inst)
{
	char out[INV_OUT_MAX], err[256];
	wr_trap trap = { 0 };

	switch (inv_call(inst, sbx_c.invoke, sbx_c.nargs, sbx_c.args, out, sizeof(out), &trap,
			 err, sizeof(err))) {
	case INV_OK:
		sbx_put_text(out, NULL);
		sbx_done(SBX_OUT_RESULTS, 0);
	case INV_TRAP:
		sbx_trapped(&trap);
	case INV_USAGE:
		sbx_put_text(err, NULL);
		sbx_done(SBX_OUT_USAGE, 0);
	case INV_NOMEM:
		sbx_done(SBX_OUT_NOMEM, 0);
	default:
		sbx_put_text(err, NULL);
		sbx_done(SBX_OUT_LINK, 0);
	}
}

/*
 * Copy a --invoke call out of the text area (sbx_proto.h), before the
 * jail; nothing is taken when the area does not start with the tag.  The
 * broker wrote it, and the child trusts the broker: only the bounds are
 * checked.  false when it is cut short or memory runs out.
 */
static bool sbx_take_invoke(void)
{
	const char *t = (const char *)sbx_c.chan.page + SBX_TEXT_OFF;
	const char *p = t + SBX_INVOKE_HEAD, *end = t + SBX_TEXT_SIZE;
	uint32_t n;

	if (t[0] != SBX_INVOKE_TAG)
		return true;
	memcpy(&n, t + 1, sizeof(n));
	if (n > SBX_TEXT_SIZE || !(sbx_c.args = calloc(n + 1, sizeof(char *))))
		return false;
	for (uint32_t i = 0; i <= n; i++) {
		size_t len = strnlen(p, (size_t)(end - p));
		char *copy;

		if (p + len == end || !(copy = strdup(p)))
			return false;
		if (i == 0)
			sbx_c.invoke = copy;
		else
			sbx_c.args[i - 1] = copy;
		p += len + 1;
	}
	sbx_c.nargs = (int)n;
	return true;
}

/* Decode, link, instantiate and run the module; never returns. */
static _Noreturn void sbx_run_module(const uint8_t *bytes, size_t len, uint64_t fuel)
{
	wr_diag diag = { 0 };
	wr_trap trap = { 0 };
	wr_module *m = wr_module_load(bytes, len, &diag);
	wr_store *s;
	wr_extern *imports;
	wr_instance *inst;
	size_t n;

	if (!m) {
		sbx_put_text(diag.message, NULL);
		sbx_done(SBX_OUT_LOAD, diag.offset);
	}
	s = wr_store_new();
	n = wr_module_import_count(m);
	imports = calloc(n ? n : 1, sizeof(*imports));
	if (!s || !imports)
		sbx_done(SBX_OUT_NOMEM, 0);
	s->mem_provider = sbx_provide;
	for (size_t i = 0; i < n; i++) {
		wr_import imp;

		wr_module_import(m, i, &imp);
		sbx_bind(s, &imp, &imports[i]);
	}
	wr_store_set_fuel(s, fuel);
	inst = wr_instantiate(s, m, imports, n, &trap);
	if (!inst)
		sbx_trapped(&trap);
	sbx_call_void(inst, "_initialize");
	if (sbx_c.invoke)
		sbx_invoke(inst);
	if (!sbx_call_void(inst, "_start"))
		sbx_done(SBX_OUT_NOSTART, 0);
	sbx_done(SBX_OUT_OK, 0);
}

/* Parse a decimal argument the broker wrote; 0 if absent or bad. */
static uint64_t sbx_arg_u64(const char *s)
{
	char *end;
	unsigned long long v;

	if (!s)
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	return errno || *end ? 0 : v;
}

/*
 * argv: { label, SBX_CHILD_FLAG, level, fuel, [hook] }.  The kept
 * descriptors are at SBX_FD_CHAN, SBX_FD_MEM and SBX_FD_MODULE; the last
 * is closed once mapped, so the jailed child holds only the first two.  Setup
 * failures go to the report pipe (jail_enter); after the jail, only the
 * channel speaks.
 */
int sbx_child_main(int argc, char **argv)
{
	enum jail_level level;
	struct stat st;
	void *bytes;
	uint64_t fuel;

	if (argc < 4 || strcmp(argv[1], SBX_CHILD_FLAG) != 0 ||
	    jail_level_parse(argv[2], &level) < 0 || level == JAIL_NONE)
		return JAIL_EXIT_SETUP;
	fuel = sbx_arg_u64(argv[3]);
	sbx_c.hook = argc > 4 ? argv[4] : NULL;
	if (chan_map(SBX_FD_CHAN, &sbx_c.chan) < 0 || !sbx_take_invoke() ||
	    fstat(SBX_FD_MODULE, &st) < 0 || st.st_size <= 0)
		return JAIL_EXIT_SETUP;
	bytes = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, SBX_FD_MODULE, 0);
	if (bytes == MAP_FAILED)
		return JAIL_EXIT_SETUP;
	close(SBX_FD_MODULE);	/* the mapping is all we need: hold only two fds */
	vm_signals_init();
	jail_enter(level, SBX_NKEEP - 1);
	sbx_child_hook(SBX_HOOK_READY, &sbx_c.chan, sbx_c.hook);
	sbx_run_module(bytes, (size_t)st.st_size, fuel);
}
