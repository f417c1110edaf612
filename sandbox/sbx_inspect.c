/*
 * sbx_inspect.c: `wrun inspect` (sbx_inspect.h) on both sides.
 *
 * The module is copied into a sealed memfd, as for a run.  At
 * --sandbox=none this process maps it and describes it.  At the other
 * levels a jailed child (the same jail as a run's, re-executing wrun with
 * SBX_INSPECT_FLAG) maps it and a second, shared memfd, enters the jail,
 * describes the module into the shared area and exits.  This side never
 * parses the module: once the child is reaped it checks the area's header
 * (magic, outcome, length), makes the text printable and writes it out.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "brk.h"
#include "inspect.h"
#include "jail.h"
#include "run.h"
#include "sandbox.h"
#include "sbx.h"
#include "sbx_inspect.h"
#include "wrun.h"

#define INSP_AREA	(64ull << 20)		/* the shared area: header and text */
#define INSP_MAGIC	0x54434e49u		/* "INCT": the child finished */
#define INSP_FD_AREA	(JAIL_FD_FIRST + 0)
#define INSP_FD_MODULE	(JAIL_FD_FIRST + 1)

/* The start of the shared area; the description follows it. */
struct insp_head {
	uint32_t magic;		/* INSP_MAGIC, written last */
	uint32_t end;		/* enum run_end: RUN_EXIT (described), RUN_LOAD, RUN_NOMEM, RUN_ERROR */
	uint64_t detail;	/* RUN_LOAD: the byte offset */
	uint64_t len;		/* RUN_EXIT: bytes of description after the header */
	char text[RUN_TEXT_MAX];	/* the reason of a failure */
};

static const char insp_usage_text[] =
	"usage: wrun inspect FILE [--json] [--sandbox=LEVEL] [--sandbox-fallback] [--timeout=T]\n"
	"\n"
	"Print what a module or component imports and exports, without running it.\n"
	"  --json  machine-readable output (schema: wrun(1), INSPECT)\n";

static void __attribute__((noreturn)) insp_usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "wrun: inspect: %s%s%s\nTry 'wrun inspect --help' for more information.\n",
		what, arg ? " " : "", arg ? arg : "");
	exit(EXIT_USAGE);
}

/* Map a module memfd read-only; NULL on failure. */
static void *insp_map_module(int fd, size_t *len)
{
	struct stat st;
	void *p;

	if (fstat(fd, &st) < 0 || st.st_size <= 0)
		return NULL;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	*len = (size_t)st.st_size;
	return p == MAP_FAILED ? NULL : p;
}

/* Make text from the child printable: control bytes (but newlines) and
 * the C1 controls of UTF-8 become '?'. */
static void insp_printable(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\n') || c == 0x7f)
			s[i] = '?';
		else if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
			 (unsigned char)s[i + 1] < 0xa0)
			s[i] = s[i + 1] = '?';
	}
}

/* Print the description, or report how it failed; wrun's exit status. */
static int insp_finish(struct run_outcome *out, char *text, size_t len, const char *path)
{
	struct run_limits l = { .module = path };

	insp_printable(out->text, strnlen(out->text, sizeof(out->text)));
	if (out->end != RUN_EXIT)
		return run_report(out, &l);
	insp_printable(text, len);
	if (!run_write_all(STDOUT_FILENO, text, len)) {
		fprintf(stderr, "wrun: inspect: cannot write the output: %s\n", strerror(errno));
		return EXIT_WRUN_ERROR;
	}
	return 0;
}

/* --timeout at --sandbox=none: the line and status, formatted before. */
static char insp_timeout_line[256];
static int insp_timeout_code;

static void insp_on_alarm(int sig)
{
	(void)sig;
	if (write(STDERR_FILENO, insp_timeout_line, strlen(insp_timeout_line)) < 0)
		_exit(insp_timeout_code);
	_exit(insp_timeout_code);
}

static void insp_arm_timeout(const struct sbx_opts *o)
{
	struct itimerval it = { .it_value = { (time_t)(o->timeout_ms / 1000),
					      (suseconds_t)(o->timeout_ms % 1000) * 1000 } };
	struct run_limits l = sbx_limits(o);
	struct run_outcome t = { .end = RUN_TIMEOUT };

	insp_timeout_code = run_line(&t, &l, insp_timeout_line, sizeof(insp_timeout_line));
	signal(SIGALRM, insp_on_alarm);
	setitimer(ITIMER_REAL, &it, NULL);
}

/* --sandbox=none: describe the module in this process. */
static int insp_inprocess(const struct sbx_opts *o, int mod, bool json)
{
	static struct run_outcome out;
	const char *path = o->module;
	struct inspect_buf b = { 0 };
	size_t len = 0;
	void *bytes = insp_map_module(mod, &len);
	int rc;

	if (o->timeout_ms)
		insp_arm_timeout(o);
	if (!bytes) {
		fprintf(stderr, "wrun: %s: cannot map the module: %s\n", path, strerror(errno));
		return EXIT_WRUN_ERROR;
	}
	inspect_describe(bytes, len, path, json, &b, &out);
	if (o->timeout_ms)
		setitimer(ITIMER_REAL, &(struct itimerval){ { 0, 0 }, { 0, 0 } }, NULL);
	rc = insp_finish(&out, b.p, b.len, path);
	inspect_buf_free(&b);
	munmap(bytes, len);
	return rc;
}

/* ---- the jailed child ---- */

/* Write the outcome and the description into the shared area. */
static void insp_put_result(struct insp_head *h, struct run_outcome *out,
			    const struct inspect_buf *b)
{
	if (out->end == RUN_EXIT && b->len > INSP_AREA - sizeof(*h))
		run_set(out, RUN_ERROR, "the description is larger than %llu MiB",
			(unsigned long long)(INSP_AREA >> 20));
	if (out->end == RUN_EXIT) {
		memcpy(h + 1, b->p, b->len);
		h->len = b->len;
	}
	h->end = (uint32_t)out->end;
	h->detail = out->detail;
	memcpy(h->text, out->text, sizeof(h->text));
	h->text[sizeof(h->text) - 1] = '\0';
	__atomic_store_n(&h->magic, INSP_MAGIC, __ATOMIC_RELEASE);
}

/*
 * argv: { label, SBX_INSPECT_FLAG, level, "json" or "text", path }, with
 * the shared area at INSP_FD_AREA and the module at INSP_FD_MODULE.  Both
 * are mapped and closed before the jail; after it, nothing but memory.
 */
int sbx_inspect_child(int argc, char **argv)
{
	static struct run_outcome out;
	struct inspect_buf b = { 0 };
	enum jail_level level;
	size_t len = 0;
	void *bytes, *area;

	if (argc != 5 || strcmp(argv[1], SBX_INSPECT_FLAG) != 0 ||
	    jail_level_parse(argv[2], &level) < 0 || level == JAIL_NONE)
		return JAIL_EXIT_SETUP;
	bytes = insp_map_module(INSP_FD_MODULE, &len);
	area = mmap(NULL, INSP_AREA, PROT_READ | PROT_WRITE, MAP_SHARED, INSP_FD_AREA, 0);
	if (!bytes || area == MAP_FAILED)
		return JAIL_EXIT_SETUP;
	close(INSP_FD_MODULE);
	close(INSP_FD_AREA);
	wr_runtime_init();
	jail_enter(level, 0);
	inspect_describe(bytes, len, argv[4], strcmp(argv[3], "json") == 0, &b, &out);
	insp_put_result(area, &out, &b);
	syscall(SYS_exit_group, 0);
	__builtin_unreachable();
}

/* ---- this side of a jailed inspect ---- */

/* Start the child at the level asked for, with the fallback a run has. */
static int insp_spawn(const struct sbx_opts *o, int exe_fd, const int keep[2], bool json,
		      const char *path, struct jail_child *c)
{
	enum jail_level level = o->level;
	struct jail_err e = { 0 };
	int r;

	for (;;) {
		char *argv[6] = { "wrun", SBX_INSPECT_FLAG, (char *)jail_level_name(level),
				  json ? "json" : "text", (char *)path, NULL };
		struct jail_opts jo = { .level = level, .exe_fd = exe_fd, .argv = argv,
					.outside_uid = (uid_t)-1, .outside_gid = (gid_t)-1 };

		*c = (struct jail_child){ .pid = -1, .pidfd = -1, .report_fd = -1 };
		r = jail_spawn(&jo, keep, 2, c, &e);
		if (r == 0 && (r = jail_wait_ready(c, &e)) < 0)
			jail_release(c);
		if (r == 0 || !e.userns_refused || level != JAIL_FULL || !o->allow_fallback)
			break;
		fprintf(stderr, "wrun: notice: %s; falling back to --sandbox=seccomp\n", e.msg);
		level = JAIL_SECCOMP;
	}
	if (r < 0 && e.msg[0])
		fprintf(stderr, "wrun: %s\n", e.msg);
	if (r < 0 && e.userns_refused)
		fprintf(stderr, "wrun: --sandbox=full is not available on this host; use "
			"--sandbox=seccomp or allow the fallback with --sandbox-fallback\n");
	return r;
}

/* Wait for the child (up to timeout_ms, 0: no limit); false on timeout. */
static bool insp_wait(struct jail_child *c, uint64_t timeout_ms)
{
	struct pollfd p = { .fd = c->pidfd, .events = POLLIN };
	int ms = timeout_ms == 0 ? -1 : timeout_ms > 1u << 30 ? 1 << 30 : (int)timeout_ms;

	if (SBX_RETRY(poll(&p, 1, ms)) == 0) {
		syscall(SYS_pidfd_send_signal, c->pidfd, SIGKILL, NULL, 0);
		return false;
	}
	return true;
}

/* What the reaped child left (st: jail_reap's status), checked. */
static void insp_take(const struct insp_head *h, int st, struct run_outcome *out)
{
	uint32_t end = h->end;

	if (st < 0)
		run_set(out, RUN_ERROR, "cannot wait for the jailed child: %s", strerror(-st));
	else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS)
		run_set(out, RUN_VIOLATION, "the jailed child made a forbidden system call "
			"(killed by SIGSYS)");
	else if (WIFSIGNALED(st))
		run_set(out, RUN_CRASH, "the jailed child died by signal %d (%s)",
			WTERMSIG(st), strsignal(WTERMSIG(st)));
	else if (h->magic != INSP_MAGIC || WEXITSTATUS(st) != 0)
		run_set(out, RUN_CRASH, "the jailed child exited (status %d) without a result",
			WEXITSTATUS(st));
	else if ((end != RUN_EXIT && end != RUN_LOAD && end != RUN_NOMEM && end != RUN_ERROR) ||
		 (end == RUN_EXIT && h->len > INSP_AREA - sizeof(*h)))
		run_set(out, RUN_VIOLATION, "the jailed child gave a malformed result");
	else {
		run_set(out, (enum run_end)end, "%.*s", (int)strnlen(h->text, sizeof(h->text)),
			h->text);
		out->detail = h->detail;
		out->code = 0;
	}
}

/* Describe the module in a jailed child; wrun's exit status. */
static int insp_jailed(const struct sbx_opts *o, int exe_fd, int mod, bool json)
{
	static struct run_outcome out;
	_cleanup_fd_ int area = memfd_create("wrun-inspect", MFD_CLOEXEC);
	struct run_limits l = sbx_limits(o);
	struct jail_child c;
	struct insp_head *h;
	int keep[2] = { area, mod };

	if (area < 0 || ftruncate(area, (off_t)INSP_AREA) < 0 ||
	    (h = mmap(NULL, INSP_AREA, PROT_READ, MAP_SHARED, area, 0)) == MAP_FAILED) {
		fprintf(stderr, "wrun: inspect: cannot make the shared area: %s\n", strerror(errno));
		return EXIT_WRUN_ERROR;
	}
	if (insp_spawn(o, exe_fd, keep, json, o->module, &c) < 0)
		return EXIT_WRUN_ERROR;
	if (!insp_wait(&c, o->timeout_ms)) {
		jail_release(&c);
		run_set(&out, RUN_TIMEOUT, "%s", "");
		return run_report(&out, &l);
	}
	insp_take(h, jail_reap(&c), &out);
	jail_release(&c);
	return insp_finish(&out, (char *)(h + 1), out.end == RUN_EXIT ? h->len : 0, o->module);
}

/* The file operand: the first, and the only one. */
static void insp_set_file(struct sbx_opts *o, const char *path)
{
	if (o->module)
		insp_usage_error("one file only", NULL);
	o->module = path;
}

/* Parse the options of `wrun inspect` (before or after FILE; after "--",
 * FILE only) into o (o->module: FILE); returns whether --json was given. */
static bool insp_parse(struct sbx_opts *o, int argc, char **argv)
{
	bool json = false, opts = true;
	char err[256];
	int n;

	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];

		if (!opts || a[0] != '-' || a[1] == '\0') {
			insp_set_file(o, a);
		} else if (strcmp(a, "--") == 0) {
			opts = false;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(insp_usage_text, stdout);
			exit(0);
		} else if (strcmp(a, "--json") == 0) {
			json = true;
		} else {
			if (strncmp(a, "--sandbox", 9) != 0 && strncmp(a, "--timeout", 9) != 0)
				insp_usage_error("unknown option", a);
			n = sbx_parse_opt(o, argc, argv, i, err, sizeof(err));
			if (n <= 0)
				insp_usage_error(n < 0 ? err : "unknown option", n < 0 ? NULL : a);
			i += n - 1;
		}
	}
	if (!o->module)
		insp_usage_error("no file given", NULL);
	return json;
}

int sbx_inspect_main(int argc, char **argv, int exe_fd)
{
	struct sbx_opts o;
	bool json;
	int mod;

	sbx_opts_init(&o);
	json = insp_parse(&o, argc, argv);
	mod = brk_module_memfd(o.module, NULL);
	if (mod < 0) {
		fprintf(stderr, "wrun: %s: %s\n", o.module,
			mod == -ENOEXEC ? "empty file" : strerror(-mod));
		return EXIT_WRUN_ERROR;
	}
	if (o.level == JAIL_NONE)
		return insp_inprocess(&o, mod, json);
	if (exe_fd < 0 && (exe_fd = jail_open_self()) < 0) {
		fprintf(stderr, "wrun: sandbox: cannot open wrun's own executable: %s\n",
			strerror(-exe_fd));
		return EXIT_WRUN_ERROR;
	}
	return insp_jailed(&o, exe_fd, mod, json);
}
