/*
 * main.c: the wrun command.
 *
 *   wrun [run] [OPTIONS] MODULE.wasm [ARGS...]
 *   wrun inspect FILE [--json] [--sandbox=LEVEL]   (sandbox/sbx_inspect.c)
 *
 * Parses the command line into the one options structure, then runs the
 * module: at --sandbox=none through the run pipeline in this process, at
 * the other levels through the broker and its jailed child (which runs the
 * same pipeline). The exit status is the guest's proc_exit code or one of
 * the codes of exitcode.h, chosen by run_message() at every level.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <unistd.h>

#include "exitcode.h"
#include "run.h"
#include "sandbox.h"
#include "sbx_inspect.h"
#include "wasi/wasi.h"
#include "wrun.h"

#define CLI_MAX_MODULE (1u << 30) /* refuse module files above 1 GiB */

/* Everything the command line says: the one options structure of a run
 * (sandbox/sandbox.h); arrays point into argv or into strings the parser
 * allocated (environment values from the host). */
typedef struct sbx_opts cli_opts;

static const char *cli_prog = "wrun";
/* --argv0 NAME: what the guest sees as argv[0] instead of the module path. */
static char *cli_argv0;

static const char cli_usage_text[] =
	"usage: wrun [run] [OPTIONS] MODULE.wasm [ARGS...]\n"
	"       wrun inspect FILE [--json] [--sandbox=LEVEL]\n"
	"\n"
	"Run a WebAssembly module (a WASI command, or one exported function), or a\n"
	"component (a wasi:cli/command of WASI 0.2, or one function with --invoke).\n"
	"\n"
	"options:\n"
	"  --invoke NAME          call export NAME with ARGS parsed by its parameter\n"
	"                         types and print each result on its own line\n"
	"  --dir HOST[::GUEST]    grant the directory HOST, seen by the guest as GUEST\n"
	"                         (default: HOST); may be repeated\n"
	"  --env NAME=VALUE       set a variable in the guest's environment\n"
	"  --env NAME             pass the host's value of NAME (if set)\n"
	"  --tcplisten HOST:PORT  grant a listening TCP socket (for sock_accept)\n"
	"  --argv0 NAME           the guest's argv[0] (default: MODULE.wasm as given)\n"
	"  -W unknown-imports-trap  function imports wrun does not provide trap\n"
	"                         when called (default: the run is refused)\n"
	"  -W gc-stats            print the GC's collections and pause times to\n"
	"                         stderr at the end (--sandbox=none only)\n"
	"  --                     end of options\n"
	"  -h, --help             show this help\n"
	"  -V, --version          show the version\n"
	"\n"
	"isolation and limits:\n";

static const char cli_usage_tail[] =
	"\n"
	"exit status: the guest's proc_exit code; 1 wrun error; 2 bad usage; 134 trap;\n"
	"124 timeout; 137 fuel; 151-153 memory/handle/output limits; 158 the jailed\n"
	"child crashed; 159 sandbox violation. See wrun(1).\n";

/* Report a usage error and exit 2. */
static void __attribute__((noreturn, format(printf, 1, 2))) cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'wrun --help' for more information.\n");
	exit(EXIT_USAGE);
}

/* Report a wrun error and exit 1. */
static void __attribute__((noreturn, format(printf, 1, 2))) cli_die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_WRUN_ERROR);
}

/* Grow-on-demand arrays for the repeatable options. */
static void *cli_push(void *arr, size_t *n, size_t elem)
{
	char *p = realloc(arr, (*n + 1) * elem);

	if (!p)
		cli_die("out of memory");
	(*n)++;
	return p;
}

/* --dir HOST[::GUEST] */
static void cli_add_dir(cli_opts *o, char *spec)
{
	char *sep = strstr(spec, "::");
	wasi_dir d = { spec, spec };

	if (sep) {
		*sep = '\0';
		d.guest = sep + 2;
	}
	if (!*d.host || !*d.guest)
		cli_usage_error("--dir: empty directory name in '%s'", spec);
	wasi_dir *dirs = cli_push((void *)o->wasi.dirs, &o->wasi.ndirs, sizeof(*dirs));

	dirs[o->wasi.ndirs - 1] = d;
	o->wasi.dirs = dirs;
}

/* --env NAME=VALUE or --env NAME (value from the host, skipped if unset). */
static void cli_add_env(cli_opts *o, char *spec)
{
	const char *eq = strchr(spec, '=');
	size_t namelen = eq ? (size_t)(eq - spec) : strlen(spec);
	char *s = spec;

	if (namelen == 0)
		cli_usage_error("--env: empty variable name in '%s'", spec);
	if (!eq) {
		const char *v = getenv(spec);

		if (!v)
			return;
		if (asprintf(&s, "%s=%s", spec, v) < 0)
			cli_die("out of memory");
	}
	char **env = cli_push((void *)o->wasi.env, &o->wasi.nenv, sizeof(*env));

	env[o->wasi.nenv - 1] = s;
	o->wasi.env = env;
}

/* The value of option `name` given as "--name=V" or "--name V". Returns
 * NULL if argv[*i] is not this option. */
static char *cli_optval(int argc, char **argv, int *i, const char *name)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return argv[*i] + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc)
		cli_usage_error("option '%s' needs a value", name);
	return argv[++*i];
}

/* -W NAME[=VALUE], wasmtime's group of WebAssembly options: the ones wrun
 * honours; any other is refused by name. */
static void cli_wasm_opt(cli_opts *o, const char *v)
{
	static const char *const yes[] = { "unknown-imports-trap", "unknown-imports-trap=y",
					   "unknown-imports-trap=yes",
					   "unknown-imports-trap=true" };
	static const char *const no[] = { "unknown-imports-trap=n", "unknown-imports-trap=no",
					  "unknown-imports-trap=false" };

	for (size_t k = 0; k < sizeof(yes) / sizeof(yes[0]); k++)
		if (strcmp(v, yes[k]) == 0) {
			o->unknown_trap = true;
			return;
		}
	for (size_t k = 0; k < sizeof(no) / sizeof(no[0]); k++)
		if (strcmp(v, no[k]) == 0) {
			o->unknown_trap = false;
			return;
		}
	if (strcmp(v, "gc-stats") == 0) {
		o->gc_stats = true;
		return;
	}
	cli_usage_error("-W %s: not supported by wrun (-W unknown-imports-trap and "
			"-W gc-stats are)", v);
}

/* Handle one option at argv[*i]; false if it is not a known option. */
static bool cli_option(cli_opts *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	char *v;

	if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
		fputs(cli_usage_text, stdout);
		fputs(sbx_usage_text, stdout);
		fputs(cli_usage_tail, stdout);
		exit(0);
	}
	if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
		printf("wrun %s\n", WRUN_VERSION);
		exit(0);
	}
	if ((v = cli_optval(argc, argv, i, "--invoke")))
		o->invoke = v;
	else if ((v = cli_optval(argc, argv, i, "-W")))
		cli_wasm_opt(o, v);
	else if ((v = cli_optval(argc, argv, i, "--argv0")))
		cli_argv0 = v;
	else if ((v = cli_optval(argc, argv, i, "--dir")))
		cli_add_dir(o, v);
	else if ((v = cli_optval(argc, argv, i, "--env")))
		cli_add_env(o, v);
	else if ((v = cli_optval(argc, argv, i, "--tcplisten"))) {
		const char **l = cli_push((void *)o->wasi.listen, &o->wasi.nlisten, sizeof(*l));

		l[o->wasi.nlisten - 1] = v;
		o->wasi.listen = l;
	} else {
		char err[256];
		int n = sbx_parse_opt(o, argc, argv, *i, err, sizeof(err));

		if (n < 0)
			cli_usage_error("%s", err);
		if (n == 0)
			return false;
		*i += n - 1;
	}
	return true;
}

/* Parse the whole command line. Options come before the module path;
 * everything after it belongs to the guest. */
static void cli_parse(cli_opts *o, int argc, char **argv)
{
	int i = 1;

	if (i < argc && strcmp(argv[i], "run") == 0)
		i++;
	for (; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (!cli_option(o, argc, argv, &i))
			cli_usage_error("unknown option '%s'", a);
	}
	if (i >= argc)
		cli_usage_error("no module given");
	if (o->audit_truncate && !o->audit)
		cli_usage_error("--audit-truncate needs --audit FILE");
	o->module = argv[i];
	if (cli_argv0)
		argv[i] = cli_argv0; /* the module stays o->module */
	o->wasi.argv = argv + i; /* argv[0]: the module path as given, or --argv0 */
	o->wasi.argc = argc - i;
}

/* Read the whole module file into a heap buffer. */
static uint8_t *cli_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		cli_die("%s: %s", path, strerror(errno));
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > CLI_MAX_MODULE)
				cli_die("%s: file too large", path);
			buf = realloc(buf, cap);
			if (!buf)
				cli_die("out of memory");
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f))
		cli_die("%s: %s", path, strerror(errno));
	fclose(f);
	*len = n;
	return buf;
}

/* The message and status of a timeout, formatted before the run: the
 * alarm handler only writes them. */
static char cli_timeout_msg[256];
static size_t cli_timeout_len;
static int cli_timeout_code;

/* --timeout at --sandbox=none: there is no broker to stop the guest, so an
 * alarm ends the whole process. */
static void cli_on_alarm(int sig)
{
	(void)sig;
	if (write(STDERR_FILENO, cli_timeout_msg, cli_timeout_len) < 0)
		_exit(cli_timeout_code);
	_exit(cli_timeout_code);
}

/* Arm --timeout for an in-process run. */
static void cli_arm_timeout(const cli_opts *o)
{
	struct itimerval it = { .it_value = { (time_t)(o->timeout_ms / 1000),
					      (suseconds_t)(o->timeout_ms % 1000) * 1000 } };
	struct run_limits l = sbx_limits(o);
	struct run_outcome t = { .end = RUN_TIMEOUT };

	cli_timeout_code = run_line(&t, &l, cli_timeout_msg, sizeof(cli_timeout_msg));
	cli_timeout_len = strlen(cli_timeout_msg);
	signal(SIGALRM, cli_on_alarm);
	setitimer(ITIMER_REAL, &it, NULL);
}

/* --sandbox=none: the pipeline in this process; returns the exit status. */
static int cli_run_inprocess(cli_opts *o)
{
	struct run_limits l = sbx_limits(o);
	struct run_outcome *out = calloc(1, sizeof(*out));
	struct run_job job = { .invoke = o->invoke, .args = o->wasi.argv + 1,
			       .nargs = o->wasi.argc - 1, .fuel = o->fuel,
			       .max_memory = o->max_memory, .unknown_trap = o->unknown_trap,
			       .gc_stats = o->gc_stats };
	struct run_transport t;
	char err[256];
	size_t len;
	uint8_t *bytes;
	wasi_ctx *w;
	int rc;

	if (o->audit)
		cli_usage_error("--audit logs the broker's calls: use --sandbox=full or seccomp");
	if (!out)
		cli_die("out of memory");
	/* A guest writing to a closed pipe or socket gets EPIPE, not our death. */
	signal(SIGPIPE, SIG_IGN);
	bytes = cli_read_file(o->module, &len);
	w = wasi_ctx_new(&o->wasi, err, sizeof(err));
	if (!w)
		cli_die("%s", err);
	if (o->timeout_ms)
		cli_arm_timeout(o);
	t = run_wasi_transport(w);
	run_module(bytes, len, &job, &t, out);
	free(bytes);
	rc = run_report(out, &l);
	wasi_ctx_free(w);
	free(out);
	return rc;
}

int main(int argc, char **argv)
{
	cli_opts o;
	/* Opened before anything else, while /proc/self/exe is still this
	 * image: the sandbox re-executes it for the jailed child. */
	int exe = jail_open_self();

	if (argc > 1 && strcmp(argv[1], SBX_CHILD_FLAG) == 0)
		return sbx_child_main(argc, argv);
	if (argc > 1 && strcmp(argv[1], SBX_INSPECT_FLAG) == 0)
		return sbx_inspect_child(argc, argv);
	if (argc > 1 && strcmp(argv[1], "inspect") == 0)
		return sbx_inspect_main(argc, argv, exe);
	sbx_opts_init(&o);
	o.exe_fd = exe;
	cli_parse(&o, argc, argv);
	if (o.gc_stats && o.level != JAIL_NONE)
		cli_usage_error("-W gc-stats: only with --sandbox=none (the jailed child "
				"reports nothing but the run's outcome)");
	if (o.level != JAIL_NONE)
		return sbx_run(&o);
	if (exe >= 0)
		close(exe);
	return cli_run_inprocess(&o);
}
