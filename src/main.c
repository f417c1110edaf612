/*
 * main.c: the wrun command.
 *
 *   wrun [run] [OPTIONS] MODULE.wasm [ARGS...]
 *
 * Parses the command line, loads the module, binds its WASI imports and
 * runs _start (a command) or the function named by --invoke. The exit
 * status is the guest's proc_exit code or one of the codes of exitcode.h.
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
#include "invoke.h"
#include "sandbox.h"
#include "wasi/wasi.h"
#include "wrun.h"

#define CLI_MAX_MODULE (1u << 30) /* refuse module files above 1 GiB */

/* Everything the command line says. Arrays point into argv or into
 * strings the parser allocated (environment values from the host). */
typedef struct cli_opts {
	const char *module;
	const char *invoke;
	char **args;      /* guest arguments after the module path */
	int nargs;
	wasi_dir *dirs;
	size_t ndirs;
	char **env;
	size_t nenv;
	const char **listen;
	size_t nlisten;
	struct sbx_opts sbx; /* isolation level and limits (sandbox/sbx_cli.c) */
} cli_opts;

static const char *cli_prog = "wrun";

static const char cli_usage_text[] =
	"usage: wrun [run] [OPTIONS] MODULE.wasm [ARGS...]\n"
	"\n"
	"Run a WebAssembly module (a WASI command, or one exported function).\n"
	"\n"
	"options:\n"
	"  --invoke NAME          call export NAME with ARGS parsed by its parameter\n"
	"                         types and print each result on its own line\n"
	"  --dir HOST[::GUEST]    grant the directory HOST, seen by the guest as GUEST\n"
	"                         (default: HOST); may be repeated\n"
	"  --env NAME=VALUE       set a variable in the guest's environment\n"
	"  --env NAME             pass the host's value of NAME (if set)\n"
	"  --tcplisten HOST:PORT  grant a listening TCP socket (for sock_accept)\n"
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
	o->dirs = cli_push(o->dirs, &o->ndirs, sizeof(*o->dirs));
	o->dirs[o->ndirs - 1] = d;
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
	o->env = cli_push(o->env, &o->nenv, sizeof(*o->env));
	o->env[o->nenv - 1] = s;
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
	else if ((v = cli_optval(argc, argv, i, "--dir")))
		cli_add_dir(o, v);
	else if ((v = cli_optval(argc, argv, i, "--env")))
		cli_add_env(o, v);
	else if ((v = cli_optval(argc, argv, i, "--tcplisten"))) {
		o->listen = cli_push(o->listen, &o->nlisten, sizeof(*o->listen));
		o->listen[o->nlisten - 1] = v;
	} else {
		char err[256];
		int n = sbx_parse_opt(&o->sbx, argc, argv, *i, err, sizeof(err));

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
	if (o->sbx.audit_truncate && !o->sbx.audit)
		cli_usage_error("--audit-truncate needs --audit FILE");
	o->module = argv[i];
	o->args = argv + i + 1;
	o->nargs = argc - i - 1;
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

/* Resolve every import: WASI functions are bound, anything else is a link
 * error naming the import. */
static wr_extern *cli_link(const cli_opts *o, wr_store *s, const wr_module *m, wasi_ctx *w)
{
	size_t n = wr_module_import_count(m);
	wr_extern *imports = calloc(n ? n : 1, sizeof(*imports));
	char err[256];

	if (!imports)
		cli_die("out of memory");
	for (size_t i = 0; i < n; i++) {
		wr_import imp;

		wr_module_import(m, i, &imp);
		if (!wasi_is_wasi_module(imp.module, imp.module_len))
			cli_die("%s: unknown import \"%s\" \"%s\"", o->module, imp.module,
				imp.name);
		if (!wasi_bind_import(w, s, &imp, &imports[i], err, sizeof(err)))
			cli_die("%s: %s", o->module, err);
	}
	return imports;
}

/* Turn a trap into wrun's exit status, printing a message unless the guest
 * simply exited. */
static int cli_trap_status(const wr_trap *t)
{
	bool limit = t->kind == WR_TRAP_FUEL || t->kind == WR_TRAP_MEMORY_LIMIT;

	if (t->kind == WR_TRAP_EXIT)
		return t->exit_code & 0xff;
	fprintf(stderr, "%s: %s: %s", cli_prog, limit ? "limit" : "trap",
		t->message[0] ? t->message : wr_trap_message(t->kind));
	if (t->func[0])
		fprintf(stderr, " (in function %s)", t->func);
	fputc('\n', stderr);
	if (t->kind == WR_TRAP_MEMORY_LIMIT)
		return EXIT_MEMORY;
	return t->kind == WR_TRAP_FUEL ? EXIT_FUEL : EXIT_TRAP;
}

/* --invoke: call the export with ARGS and print its results. */
static int cli_invoke(const cli_opts *o, wr_instance *inst)
{
	char out[INV_OUT_MAX], err[256];
	wr_trap trap = { 0 };

	switch (inv_call(inst, o->invoke, o->nargs, o->args, out, sizeof(out), &trap, err,
			 sizeof(err))) {
	case INV_OK:
		fputs(out, stdout);
		return 0;
	case INV_TRAP:
		fflush(stdout);
		return cli_trap_status(&trap);
	case INV_USAGE:
		cli_usage_error("%s", err);
		break;
	case INV_NOEXPORT:
		cli_die("%s: %s", o->module, err);
		break;
	default:
		cli_die("%s", err);
	}
	return EXIT_WRUN_ERROR;
}

/* Call a () -> () export if present (the reactor's _initialize). */
static int cli_call_void(wr_instance *inst, const char *name, bool *found)
{
	wr_extern ex;
	wr_trap trap = { 0 };

	*found = wr_instance_export(inst, name, &ex) && ex.kind == WR_EXTERN_FUNC;
	if (!*found)
		return 0;
	if (wr_call(ex.of.func, NULL, 0, NULL, 0, &trap) != WR_OK)
		return cli_trap_status(&trap);
	return 0;
}

/* --timeout at --sandbox=none: there is no broker to stop the guest, so an
 * alarm ends the whole process. */
static void cli_on_alarm(int sig)
{
	static const char msg[] = "wrun: limit: timeout reached\n";

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(EXIT_TIMEOUT);
	_exit(EXIT_TIMEOUT);
}

/* Apply the limits that make sense in-process; refuse those only the
 * broker can enforce rather than pretend. */
static void cli_limits_none(const cli_opts *o, wr_store *s)
{
	if (o->sbx.max_open || o->sbx.max_output || o->sbx.audit)
		cli_usage_error("--max-open, --max-output and --audit are enforced by the broker: "
				"use --sandbox=full or seccomp");
	if (o->sbx.fuel)
		wr_store_set_fuel(s, o->sbx.fuel);
	if (o->sbx.max_memory)
		wr_store_set_memory_limit(s, o->sbx.max_memory);
	if (o->sbx.timeout_ms) {
		struct itimerval it = { .it_value = { (time_t)(o->sbx.timeout_ms / 1000),
						      (suseconds_t)(o->sbx.timeout_ms % 1000) * 1000 } };

		signal(SIGALRM, cli_on_alarm);
		setitimer(ITIMER_REAL, &it, NULL);
	}
}

/* Instantiate the module and run it; returns the exit status. */
static int cli_run(const cli_opts *o, wr_module *m, wasi_ctx *w)
{
	wr_store *s = wr_store_new();
	wr_extern *imports;
	wr_instance *inst;
	wr_trap trap = { 0 };
	bool found;
	int rc;

	if (!s)
		cli_die("out of memory");
	cli_limits_none(o, s);
	imports = cli_link(o, s, m, w);
	inst = wr_instantiate(s, m, imports, wr_module_import_count(m), &trap);
	if (!inst) {
		if (trap.kind == WR_TRAP_LINK)
			cli_die("%s: %s", o->module, trap.message);
		rc = cli_trap_status(&trap);
		goto out;
	}
	rc = cli_call_void(inst, "_initialize", &found);
	if (rc)
		goto out;
	if (o->invoke) {
		rc = cli_invoke(o, inst);
		goto out;
	}
	rc = cli_call_void(inst, "_start", &found);
	if (!found)
		cli_die("%s: not a command (no _start export); use --invoke NAME", o->module);
out:
	fflush(stdout);
	free(imports);
	wr_store_free(s);
	return rc;
}

/* Hand the parsed command line to the broker (levels full and seccomp). */
static int cli_run_sandboxed(cli_opts *o)
{
	o->sbx.invoke = o->invoke;
	o->sbx.module = o->module;
	o->sbx.argc = o->nargs + 1;
	o->sbx.argv = o->args - 1;
	o->sbx.nenv = o->nenv;
	o->sbx.env = o->env;
	o->sbx.ndirs = o->ndirs;
	o->sbx.dirs = o->dirs;
	o->sbx.nlisten = o->nlisten;
	o->sbx.listen = o->listen;
	return sbx_run(&o->sbx);
}

int main(int argc, char **argv)
{
	cli_opts o = { 0 };
	wasi_config wc = { 0 };
	wasi_ctx *w;
	wr_module *m;
	wr_diag diag = { 0 };
	uint8_t *bytes;
	size_t len;
	char err[256];
	int rc;
	/* Opened before anything else, while /proc/self/exe is still this
	 * image: the sandbox re-executes it for the jailed child. */
	int exe = jail_open_self();

	if (argc > 1 && strcmp(argv[1], SBX_CHILD_FLAG) == 0)
		return sbx_child_main(argc, argv);
	sbx_opts_init(&o.sbx);
	o.sbx.exe_fd = exe;
	cli_parse(&o, argc, argv);
	if (o.sbx.level != JAIL_NONE)
		return cli_run_sandboxed(&o);
	if (exe >= 0)
		close(exe);
	/* A guest writing to a closed pipe or socket gets EPIPE, not our death. */
	signal(SIGPIPE, SIG_IGN);
	bytes = cli_read_file(o.module, &len);
	m = wr_module_load(bytes, len, &diag);
	free(bytes);
	if (!m)
		cli_die("%s: %s at offset %zu", o.module, diag.message, diag.offset);
	wc.argc = o.nargs + 1;
	wc.argv = o.args - 1; /* argv[0]: the module path as given */
	wc.nenv = o.nenv;
	wc.env = o.env;
	wc.ndirs = o.ndirs;
	wc.dirs = o.dirs;
	wc.nlisten = o.nlisten;
	wc.listen = o.listen;
	w = wasi_ctx_new(&wc, err, sizeof(err));
	if (!w)
		cli_die("%s", err);
	rc = cli_run(&o, m, w);
	wasi_ctx_free(w);
	wr_module_free(m);
	return rc;
}
