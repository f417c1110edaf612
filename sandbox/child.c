/*
 * child.c: the jailed child's main.
 *
 * It maps the channel and the module bytes the broker passed, enters the
 * jail, and only then runs the run pipeline (src/run/run.h), the same one
 * --sandbox=none runs in-process, over the channel transport: every WASI
 * import is bound to a host function that forwards the call's raw
 * arguments over the channel and returns the broker's errno; linear
 * memories live in the broker's memfds and grow by asking the broker.  The
 * child has no way to print: the outcome, with any message, is the last
 * request it makes, and the broker words it with run_message().  Under the filter only memory, futex, signal-return,
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
#include "run.h"
#include "sandbox.h"
#include "sbx_proto.h"
#include "wasi/wasi.h"
#include "wrun.h"

/* Everything the child needs; one per process. */
struct sbx_child {
	struct chan chan;
	const char *hook;	/* test builds only */
	unsigned mems_given;	/* memfds handed to memories so far (sbx_mem_open) */
	char *invoke;		/* --invoke NAME, or NULL for _start */
	char **args;		/* its arguments */
	int nargs;
	bool unknown_trap;	/* -W unknown-imports-trap */
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

/*
 * Report the outcome and end at once: the broker does not answer it, and
 * the child's exit then overlaps the broker's own wind-down.  A broker that
 * sees the exit first still reads these last words from the channel.
 */
static _Noreturn void sbx_done(const struct run_outcome *o)
{
	char *t = (char *)sbx_c.chan.page + SBX_TEXT_OFF;
	uint64_t args[2] = { o->end, o->end == RUN_EXIT ? (uint64_t)o->code : o->detail };

	size_t n = strnlen(o->text, SBX_TEXT_SIZE - 1);

	memcpy(t, o->text, n);	/* cut to the text area */
	t[n] = '\0';
	chan_send(&sbx_c.chan, SBX_FN_DONE, args, 2);
	sbx_child_exit(0);
}

/* The host function behind every forwarded WASI import: forward, wait,
 * answer. */
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

/* The channel transport: a clock read is answered here (it grants
 * nothing, see wasi_local_fn), every other call goes to the broker. */
static bool sbx_bind(void *self, unsigned fn, wr_host_fn *host, void **user)
{
	(void)self;
	if (wasi_local_fn(fn, host, user))
		return true;
	sbx_fn_ids[fn] = fn;
	*host = sbx_forward;
	*user = &sbx_fn_ids[fn];
	return true;
}

/*
 * Give each memory the module defines one of the broker's memfds, in
 * order: memfd 0, the one WASI calls see, to memory 0 if it is a 32-bit
 * memory (else to none), the next ones to the rest.  A module with more
 * memories than memfds is refused: no memory here is private.
 */
static int sbx_mem_open(void *user, const wr_limits *decl)
{
	unsigned i = sbx_c.mems_given;

	(void)user;
	if (i == 0 && decl->addr64)
		i = 1;
	if (i >= SBX_NMEM)
		return WR_MEMORY_REFUSED;
	sbx_c.mems_given = i + 1;
	return SBX_FD_MEM + (int)i;
}

/*
 * A memory's resize hook: the broker ftruncates its memfd (and so
 * enforces --max-memory); the engine then maps the new pages itself.
 */
static bool sbx_mem_resize(void *user, int fd, uint64_t bytes)
{
	uint64_t args[2] = { bytes, (uint64_t)(fd - SBX_FD_MEM) };

	(void)user;
	return chan_call(&sbx_c.chan, SBX_FN_MEM_RESIZE, args, 2) == 0;
}

static const wr_memory_provider sbx_memory = { .open = sbx_mem_open,
					       .resize = sbx_mem_resize };

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

/* The run pipeline over the channel transport; never returns. */
static _Noreturn void sbx_run_module(const uint8_t *bytes, size_t len, uint64_t fuel)
{
	static struct run_outcome out;
	struct run_job job = { .invoke = sbx_c.invoke, .args = sbx_c.args,
			       .nargs = sbx_c.nargs, .fuel = fuel,
			       .unknown_trap = sbx_c.unknown_trap };
	struct run_transport t = { .bind = sbx_bind, .memory = &sbx_memory };

	run_module(bytes, len, &job, &t, &out);
	sbx_done(&out);
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
 * argv: { label, SBX_CHILD_FLAG, level, fuel, imports ("trap-unknown" for
 * -W unknown-imports-trap, else "-"), [hook] }.  The kept
 * descriptors are at SBX_FD_CHAN, SBX_FD_MEM + 0..SBX_NMEM-1 and
 * SBX_FD_MODULE; the last is closed once mapped, so the jailed child holds
 * only the channel and the memfds.  Setup
 * failures go to the report pipe (jail_enter); after the jail, only the
 * channel speaks.
 */
int sbx_child_main(int argc, char **argv)
{
	enum jail_level level;
	struct stat st;
	void *bytes;
	uint64_t fuel;

	if (argc < 5 || strcmp(argv[1], SBX_CHILD_FLAG) != 0 ||
	    jail_level_parse(argv[2], &level) < 0 || level == JAIL_NONE)
		return JAIL_EXIT_SETUP;
	fuel = sbx_arg_u64(argv[3]);
	sbx_c.unknown_trap = strcmp(argv[4], "trap-unknown") == 0;
	sbx_c.hook = argc > 5 ? argv[5] : NULL;
	if (chan_map(SBX_FD_CHAN, &sbx_c.chan) < 0 || !sbx_take_invoke() ||
	    fstat(SBX_FD_MODULE, &st) < 0 || st.st_size <= 0)
		return JAIL_EXIT_SETUP;
	bytes = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, SBX_FD_MODULE, 0);
	if (bytes == MAP_FAILED)
		return JAIL_EXIT_SETUP;
	close(SBX_FD_MODULE);	/* the mapping is all we need */
	wr_runtime_init();
	jail_enter(level, SBX_NKEEP - 1);
	sbx_child_hook(SBX_HOOK_READY, &sbx_c.chan, sbx_c.hook);
	sbx_run_module(bytes, (size_t)st.st_size, fuel);
}
