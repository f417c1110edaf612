/*
 * brk_req.c: the broker's side of one request: accept it from the
 * channel, check it, execute it, answer it (split from broker.c so that
 * the unit tests drive it without a child).
 *
 * The child is hostile.  What a request can make the broker do is exactly
 * a WASI call on the handles the user granted, a resize within
 * --max-memory, or the end of the run; an unknown function or a wrong
 * argument count is answered with an errno, a sequence number that is
 * neither the last nor the next ends the child.  Every WASI call runs
 * against mem_size[0], which, as every memfd's size, only this file sets.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "brk.h"
#include "sandbox.h"
#include "sbx.h"
#include "sbx_proto.h"
#include "wasi/wasi.h"

/* Set while a guest call runs (the plain broker's SIGCHLD backstop). */
volatile sig_atomic_t brk_in_call;

/* One line on stderr, prefixed like every wrun message. */
void brk_say(const char *fmt, ...)
{
	char line[768];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	fflush(stdout);
	SBX_RETRY(write(STDERR_FILENO, "wrun: ", 6));
	SBX_RETRY(write(STDERR_FILENO, line, (size_t)n));
}

/* Decide how the run ends (the first decision stands) and say why. */
void brk_end(struct brk *b, int status, const char *fmt, ...)
{
	va_list ap;

	if (b->done)
		return;
	b->done = true;
	b->status = status;
	if (!fmt)
		return;
	va_start(ap, fmt);
	vsnprintf(b->end_msg, sizeof(b->end_msg), fmt, ap);
	va_end(ap);
	brk_say("%s", b->end_msg);
}

/* The run ends with the guest's own exit code (proc_exit, or a return). */
void brk_exit(struct brk *b, int code)
{
	if (!b->done)
		b->guest_exit = true;
	brk_end(b, code, NULL);
}

/* What each of wrun's own exit statuses means, for the audit log. */
static const struct {
	int status;
	const char *outcome, *limit;
} brk_outcomes[] = {
	{ SBX_EXIT_TRAP, "trap", NULL },
	{ SBX_EXIT_TIMEOUT, "limit", "timeout" },
	{ SBX_EXIT_FUEL, "limit", "fuel" },
	{ SBX_EXIT_MEMORY, "limit", "memory" },
	{ SBX_EXIT_OPEN, "limit", "open" },
	{ SBX_EXIT_OUTPUT, "limit", "output" },
	{ SBX_EXIT_CRASH, "crash", NULL },
	{ SBX_EXIT_SANDBOX, "violation", NULL },
};

/*
 * The audit log's last record, for a run that ends with status: the
 * guest's exit code when brk_exit() decided it, else what the status
 * means (a set-up failure, which has no entry, is an error).
 */
void brk_log_end(const struct brk *b, int status)
{
	struct brk_audit_end e = { .outcome = "error", .exit_code = status,
				   .signal = b->end_signal, .message = b->end_msg };
	size_t n = sizeof(brk_outcomes) / sizeof(brk_outcomes[0]);

	if (b->audit_fd < 0)
		return;
	if (b->guest_exit)
		e.outcome = "exit";
	for (size_t i = 0; i < n && !b->guest_exit; i++) {
		if (brk_outcomes[i].status == status) {
			e.outcome = brk_outcomes[i].outcome;
			e.limit = brk_outcomes[i].limit;
		}
	}
	brk_audit_end(b->audit_fd, &e);
}

/* The number of arguments each function takes, for chan_recv. */
void brk_proto(struct brk *b)
{
	for (unsigned fn = 0; fn < WASI_FN__COUNT; fn++)
		b->nargs[fn] = (uint8_t)strlen(wasi_fn_sig(fn));
	b->nargs[SBX_FN_MEM_RESIZE] = 2;
	b->nargs[SBX_FN_MEM_SIZE] = 0;
	b->nargs[SBX_FN_DONE] = 2;
	b->proto.nfunc = SBX_FN__COUNT;
	b->proto.nargs = b->nargs;
}

/* Log one call (no-op without --audit). */
static void brk_log(struct brk *b, const struct chan_req *q, int err)
{
	uint8_t p1[WASI_PATH_MAX], p2[WASI_PATH_MAX];
	struct brk_audit_rec r = { .handle = -1, .err = err,
				   .bytes = wasi_last_moved(b->ctx) };

	if (b->audit_fd < 0)
		return;
	if (q->func < WASI_FN__COUNT) {
		r.fn = wasi_fn_name(q->func);
		brk_audit_args(q->func, q->args, b->mem, b->mem_size[0], &r, p1, p2);
		r.denied = err >= 0 && brk_audit_denial(q->func, err);
	} else {
		r.fn = q->func == SBX_FN_MEM_RESIZE ? "memory.resize" :
		       q->func == SBX_FN_MEM_SIZE ? "memory.size" : "done";
		r.bytes = q->func == SBX_FN_MEM_RESIZE ? q->args[0] : 0;
		r.has_memory = q->func == SBX_FN_MEM_RESIZE;
		r.memory = (uint32_t)(r.has_memory ? q->args[1] : 0);
		r.err = -1;
		r.denied = err == -2;
	}
	brk_audit_write(b->audit_fd, &r);
}

/* Has the child ended already?  (It cannot answer-wait then: skip work.) */
static bool brk_child_gone(const struct brk *b)
{
	struct pollfd pfd = { .fd = b->child.pidfd, .events = POLLIN };

	return !b->uring && SBX_RETRY(poll(&pfd, 1, 0)) > 0;
}

/*
 * A WASI call: executed on the shared memory with the size this process
 * set (never one the child wrote), the answer published only if no limit
 * was crossed.  proc_exit answers SBX_ANS_EXIT and ends the run with the
 * guest's code.
 */
static void brk_wasi(struct brk *b, const struct chan_req *q)
{
	int code = 0, r;

	brk_in_call = 1;
	r = brk_child_gone(b) ? WASI_EIO : wasi_call(b->ctx, q->func, q->args, b->mem,
						      b->mem_size[0], &code);
	brk_in_call = 0;
	brk_log(b, q, r == WASI_CALL_EXIT ? 0 : r == WASI_CALL_LIMIT ? -1 : r);
	if (r == WASI_CALL_EXIT) {
		chan_answer(&b->chan, q, SBX_ANS_EXIT | (code & 0xff));
		brk_exit(b, code & 0xff);
		return;
	}
	if (r == WASI_CALL_LIMIT) {	/* no answer: the run ends here */
		brk_finish_as(b, wasi_limit_reached(b->ctx) == WASI_LIMIT_OPEN ? RUN_OPEN :
								   RUN_OUTPUT, NULL);
		return;
	}
	chan_answer(&b->chan, q, r);
}

/*
 * memory.grow (and the initial size): the child asks for a new size in
 * bytes of memfd i.  Only growth by whole pages up to the limit is
 * granted: --max-memory, and 4 GiB for memfd 0, the one this process maps
 * (the others it never maps); the broker grows the memfd itself and only
 * then lets WASI calls see the new bytes.  Answers 0 or -errno.
 */
static int64_t brk_resize(struct brk *b, uint64_t bytes, uint64_t i)
{
	uint64_t *size, max;
	int r;

	if (i >= SBX_NMEM)
		return -EINVAL;
	size = &b->mem_size[i];
	max = i == 0 ? b->mem_max : b->mem_max_more;
	if (bytes % SBX_PAGE || (i == 0 && bytes > SBX_MEM_MAX) || bytes < *size)
		return -EINVAL;
	if (bytes > max) {
		if (*size == 0)
			b->mem_refused_init = true;
		return -ENOMEM;
	}
	if (bytes == *size)
		return 0;
	r = b->be->ftruncate(b->be, b->mem_fd[i], (int64_t)bytes);
	if (r < 0)
		return r;
	*size = bytes;
	return 0;
}

/* Copy the child's text out of the page once, NUL-terminated, printable. */
static void brk_text(const struct brk *b, char *out, size_t size, bool lines)
{
	const volatile char *t = (const volatile char *)b->chan.page + SBX_TEXT_OFF;
	size_t i;

	for (i = 0; i + 1 < size && i < SBX_TEXT_SIZE - 1; i++) {
		char ch = t[i];

		if (!ch)
			break;
		out[i] = (ch >= 0x20 && ch < 0x7f) || (lines && ch == '\n') ? ch : '?';
	}
	out[i] = 0;
}

/* End the run the way run_message() words outcome o, at every level. */
void brk_finish(struct brk *b, const struct run_outcome *o)
{
	struct run_limits l = sbx_limits(b->o);
	char msg[RUN_TEXT_MAX + 256];
	int code = run_message(o, &l, msg, sizeof(msg));

	if (o->end == RUN_EXIT || o->end == RUN_RESULTS)
		return brk_exit(b, code);
	brk_end(b, code, "%s", msg);
}

/* End the run with outcome `end`, its text formatted from fmt. */
void brk_finish_as(struct brk *b, enum run_end end, const char *fmt, ...)
{
	static struct run_outcome o;	/* 4 KiB of text: not on the stack */
	va_list ap;

	memset(&o, 0, sizeof(o));
	va_start(ap, fmt);
	run_vset(&o, end, fmt, ap);
	va_end(ap);
	brk_finish(b, &o);
}

/* Print the results of --invoke on wrun's own standard output. */
static void brk_print_results(struct brk *b, const char *text)
{
	if (!run_write_all(STDOUT_FILENO, text, strlen(text)))
		brk_finish_as(b, RUN_ERROR, "--invoke: cannot print the results: %s",
			      strerror(errno));
	else
		brk_exit(b, 0);
}

/* Ends the child may report: what the pipeline itself produces (results
 * and usage only for --invoke).  Limits, timeouts and crashes are the
 * broker's own findings, never the child's word. */
static bool brk_child_may_end(const struct brk *b, uint64_t end)
{
	switch (end) {
	case RUN_EXIT: case RUN_TRAP: case RUN_FUEL: case RUN_MEMORY: case RUN_LOAD:
	case RUN_LINK: case RUN_NOSTART: case RUN_NOMEM: case RUN_ERROR:
		return true;
	case RUN_RESULTS: case RUN_USAGE:
		return b->o->invoke != NULL;
	default:
		return false;
	}
}

/* The child's last word: how the guest ended. */
static void brk_outcome(struct brk *b, uint64_t end, uint64_t detail)
{
	static struct run_outcome o;

	if (!brk_child_may_end(b, end))
		return brk_finish_as(b, RUN_VIOLATION, "the jailed child sent an unknown outcome");
	memset(&o, 0, sizeof(o));
	o.end = (enum run_end)end;
	o.detail = detail;
	o.code = (int)(detail & 0xff);
	brk_text(b, o.text, sizeof(o.text), end == RUN_RESULTS);
	/* The broker refused the initial memory: whatever the child made of
	 * that, the run ended on the memory limit. */
	if (b->mem_refused_init && (end == RUN_TRAP || end == RUN_LINK || end == RUN_NOMEM))
		o.end = RUN_MEMORY;
	if (o.end == RUN_RESULTS)
		return brk_print_results(b, o.text);
	brk_finish(b, &o);
}

/* Execute one accepted request. */
static void brk_request(struct brk *b, const struct chan_req *q)
{
	int64_t r;

	if (q->func < WASI_FN__COUNT)
		return brk_wasi(b, q);
	switch (q->func) {
	case SBX_FN_MEM_RESIZE:
		r = brk_resize(b, q->args[0], q->args[1]);
		brk_log(b, q, r == -ENOMEM ? -2 : -1);
		chan_answer(&b->chan, q, r);
		return;
	case SBX_FN_MEM_SIZE:
		chan_answer(&b->chan, q, (int64_t)b->mem_size[0]);
		return;
	default:
		brk_log(b, q, -1);
		brk_outcome(b, q->args[0], q->args[1]);
	}
}

/* Take what the channel holds: 1 if something was done, 0 if idle. */
int brk_take(struct brk *b)
{
	struct chan_req q;
	int r = chan_recv(&b->chan, &b->proto, &q);

	if (r == 1)
		brk_request(b, &q);
	else if (r == -ENOSYS)
		chan_answer(&b->chan, &q, WASI_ENOSYS);
	else if (r == -EINVAL)
		chan_answer(&b->chan, &q, WASI_EINVAL);
	else if (r == -EPROTO)
		brk_finish_as(b, RUN_VIOLATION, "the jailed child broke the "
			"channel protocol");
	return r != 0;
}
