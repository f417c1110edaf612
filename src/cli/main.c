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
	"  -S inherit-network     grant the host network to wasi:sockets (bind,\n"
	"                         connect, send to any address; default: none)\n"
	"  -S tcp[=y|n], -S udp[=y|n]  TCP, UDP sockets (default: y; nothing is\n"
	"                         reachable without -S inherit-network)\n"
	"  -S allow-ip-name-lookup  wasi:sockets/ip-name-lookup (address literals\n"
	"                         and localhost only: see wrun(1))\n"
	"  -S tcplisten=HOST:PORT  the same as --tcplisten\n"
	"  --argv0 NAME           the guest's argv[0] (default: MODULE.wasm as given)\n"
	"  -W unknown-imports-trap  function imports wrun does not provide trap\n"
	"                         when called (default: the run is refused)\n"
	"  -W fuel=N, -W max-memory-size=BYTES, -W timeout=T (N s, or 10s, 500ms...)\n"
	"                         wasmtime's spelling of --fuel, --max-memory, --timeout\n"
	"  -S inherit-env         the whole host environment to the guest\n"
	"                         (-W help, -S help: the keys wrun honours; others\n"
	"                         are refused)\n"
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

/*
 * -W and -S, wasmtime's option groups: "-W KEY[=VALUE][,KEY[=VALUE]...]"
 * (also -WKEY, --wasm KEY, --wasi KEY). Each row of cli_groups is one key
 * wrun honours: how its value is read and what it sets. Any other key is
 * refused by name: a limit or grant the user asked for is never ignored.
 */
enum cli_kind {
	CLI_BOOL,	/* absent, y, yes, true: 1; n, no, false: 0 */
	CLI_COUNT,	/* decimal or 0x hexadecimal */
	CLI_DURATION,	/* a plain number of seconds, or 10s, 500ms, 1m30s...: in ms */
	CLI_TEXT,	/* any text, to set_text */
	CLI_NET,	/* a boolean that sets or clears the network grant bit net */
};

/* Sets what the key stands for; returns NULL or why the value is refused. */
typedef const char *(*cli_group_fn)(cli_opts *o, uint64_t v);

struct cli_group_opt {
	char group;		/* 'W' or 'S' */
	const char *key;
	enum cli_kind kind;
	cli_group_fn set;
	const char *help;
	void (*set_text)(cli_opts *o, const char *v);	/* CLI_TEXT */
	unsigned net;					/* CLI_NET: a WASI_NET_* bit */
};

/* --tcplisten HOST:PORT, -S tcplisten=HOST:PORT */
static void cli_add_listen(cli_opts *o, const char *v)
{
	const char **l = cli_push((void *)o->wasi.listen, &o->wasi.nlisten, sizeof(*l));

	l[o->wasi.nlisten - 1] = v;
	o->wasi.listen = l;
}

/* -S inherit-env: the whole host environment goes to the guest (merged
 * with --env in cli_parse). */
static bool cli_inherit_env;

static const char *cli_set_unknown_trap(cli_opts *o, uint64_t v)
{
	o->unknown_trap = v != 0;
	return NULL;
}

/* The limits: wrun's 0 means "none", so a zero limit is refused rather
 * than silently read as no limit at all. */
static const char *cli_set_fuel(cli_opts *o, uint64_t v)
{
	o->fuel = v;
	return v ? NULL : "wrun needs a budget of at least 1";
}

static const char *cli_set_max_memory(cli_opts *o, uint64_t v)
{
	o->max_memory = v;
	return v ? NULL : "wrun needs a limit of at least 1 byte";
}

static const char *cli_set_timeout(cli_opts *o, uint64_t v)
{
	o->timeout_ms = v;
	return v ? NULL : "wrun needs a timeout of at least 1 ms";
}

static const char *cli_set_inherit_env(cli_opts *o, uint64_t v)
{
	(void)o;
	cli_inherit_env = v != 0;
	return NULL;
}

static const char *cli_set_gc_stats(cli_opts *o, uint64_t v)
{
	o->gc_stats = v != 0;
	return NULL;
}

static const struct cli_group_opt cli_groups[] = {
	{ 'W', "unknown-imports-trap", CLI_BOOL, cli_set_unknown_trap,
	  "imports wrun does not provide trap when called", NULL, 0 },
	{ 'W', "fuel", CLI_COUNT, cli_set_fuel, "instruction budget (as --fuel)", NULL, 0 },
	{ 'W', "max-memory-size", CLI_COUNT, cli_set_max_memory,
	  "bytes a linear memory may reach (as --max-memory)", NULL, 0 },
	{ 'W', "timeout", CLI_DURATION, cli_set_timeout,
	  "wall-clock limit: N seconds, or Ns, Nms, Nm... (as --timeout)", NULL, 0 },
	{ 'W', "gc-stats", CLI_BOOL, cli_set_gc_stats,
	  "the GC's collections and pauses to stderr at the end (--sandbox=none)", NULL, 0 },
	{ 'S', "inherit-env", CLI_BOOL, cli_set_inherit_env,
	  "the whole host environment to the guest", NULL, 0 },
	{ 'S', "inherit-network", CLI_NET, NULL,
	  "the host network to wasi:sockets (bind, connect, send to any address)",
	  NULL, WASI_NET_INHERIT },
	{ 'S', "tcp", CLI_NET, NULL, "TCP sockets (default: y)", NULL, WASI_NET_TCP },
	{ 'S', "udp", CLI_NET, NULL, "UDP sockets (default: y)", NULL, WASI_NET_UDP },
	{ 'S', "allow-ip-name-lookup", CLI_NET, NULL,
	  "wasi:sockets/ip-name-lookup (address literals and localhost)", NULL,
	  WASI_NET_LOOKUP },
	{ 'S', "tcplisten", CLI_TEXT, NULL, "a listening TCP socket (as --tcplisten)",
	  cli_add_listen, 0 },
};
#define CLI_NGROUPS (sizeof(cli_groups) / sizeof(cli_groups[0]))

/* A u64 from the whole of s: decimal, or hexadecimal after "0x". */
static bool cli_parse_u64(const char *s, size_t len, uint64_t *out)
{
	int base = 10;
	uint64_t v = 0;

	if (len > 2 && s[0] == '0' && s[1] == 'x') {
		base = 16;
		s += 2;
		len -= 2;
	}
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		int d = s[i] >= '0' && s[i] <= '9' ? s[i] - '0'
			: base == 16 && s[i] >= 'a' && s[i] <= 'f' ? s[i] - 'a' + 10
			: base == 16 && s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 10 : -1;

		if (d < 0 || v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = v;
	return true;
}

/* A duration in ms, rounded up: a plain number is seconds (as wasmtime
 * reads it); otherwise number-unit pairs, optionally spaced, added up:
 * "1m 30s", "1500ms", "2h". */
static bool cli_parse_duration(const char *s, uint64_t *ms)
{
	static const struct {
		const char *unit;
		uint64_t ns;
	} units[] = {
		{ "ns", 1 }, { "nsec", 1 }, { "us", 1000 }, { "usec", 1000 },
		{ "ms", 1000000 }, { "msec", 1000000 }, { "s", 1000000000 },
		{ "sec", 1000000000 }, { "secs", 1000000000 }, { "second", 1000000000 },
		{ "seconds", 1000000000 }, { "m", 60000000000 }, { "min", 60000000000 },
		{ "mins", 60000000000 }, { "minute", 60000000000 }, { "minutes", 60000000000 },
		{ "h", 3600000000000 }, { "hr", 3600000000000 }, { "hour", 3600000000000 },
		{ "hours", 3600000000000 }, { "d", 86400000000000 }, { "day", 86400000000000 },
		{ "days", 86400000000000 },
	};
	uint64_t total = 0, n;
	size_t len = strlen(s), i = 0;

	if (cli_parse_u64(s, len, &n)) {
		if (n > UINT64_MAX / 1000)
			return false;
		*ms = n * 1000;
		return true;
	}
	while (i < len) {
		size_t d = i, u;
		bool found = false;

		while (d < len && s[d] >= '0' && s[d] <= '9')
			d++;
		for (u = d; u < len && s[u] >= 'a' && s[u] <= 'z'; u++)
			;
		if (d == i || u == d || !cli_parse_u64(s + i, d - i, &n))
			return false;
		for (size_t k = 0; k < sizeof(units) / sizeof(units[0]); k++)
			if (strlen(units[k].unit) == u - d && memcmp(units[k].unit, s + d, u - d) == 0) {
				if (n > UINT64_MAX / units[k].ns ||
				    total > UINT64_MAX - n * units[k].ns)
					return false;
				total += n * units[k].ns;
				found = true;
				break;
			}
		if (!found)
			return false;
		for (i = u; i < len && s[i] == ' '; i++)
			;
	}
	if (total == 0 && len == 0)
		return false;
	*ms = total / 1000000 + (total % 1000000 != 0);
	return true;
}

/* The keys of a group, for messages: "fuel, max-memory-size, ...". */
static void cli_group_keys(char group, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < CLI_NGROUPS; k++)
		if (cli_groups[k].group == group && at < len)
			at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? ", " : "",
					       cli_groups[k].key);
}

/* One KEY[=VALUE] of group -W or -S. */
static void cli_group_item(cli_opts *o, char group, const char *item, size_t len)
{
	const char *eq = memchr(item, '=', len);
	size_t klen = eq ? (size_t)(eq - item) : len, vlen = eq ? len - klen - 1 : 0;
	char val[64] = "";
	uint64_t v = 0;
	bool ok;

	for (size_t k = 0; k < CLI_NGROUPS; k++) {
		const struct cli_group_opt *g = &cli_groups[k];
		const char *why = NULL;

		if (g->group != group || strlen(g->key) != klen || memcmp(g->key, item, klen))
			continue;
		if (g->kind == CLI_TEXT) {
			char *t;

			if (!vlen)
				cli_usage_error("-%c %s needs a value (-%c %s=...)", group, g->key,
						group, g->key);
			if (!(t = strndup(eq + 1, vlen)))
				cli_die("out of memory");
			g->set_text(o, t); /* kept for the run, as argv is */
			return;
		}
		if (vlen >= sizeof(val))
			cli_usage_error("-%c %.*s: value too long", group, (int)len, item);
		if (eq)
			memcpy(val, eq + 1, vlen);
		switch (g->kind) {
		case CLI_BOOL:
		case CLI_NET:
			ok = !eq || strcmp(val, "y") == 0 || strcmp(val, "yes") == 0 ||
			     strcmp(val, "true") == 0;
			v = ok;
			ok = ok || strcmp(val, "n") == 0 || strcmp(val, "no") == 0 ||
			     strcmp(val, "false") == 0;
			break;
		case CLI_COUNT:
			ok = eq && cli_parse_u64(val, strlen(val), &v);
			break;
		default:
			ok = eq && cli_parse_duration(val, &v);
			break;
		}
		if (!ok)
			cli_usage_error("-%c %.*s: bad value (%s)", group, (int)len, item,
					g->kind == CLI_BOOL || g->kind == CLI_NET
					? "y, yes, true, n, no or false"
					: g->kind == CLI_COUNT ? "a number"
					: "N seconds, or a duration such as 10s, 500ms, 1m30s");
		if (g->kind == CLI_NET)
			o->wasi.net = v ? o->wasi.net | g->net : o->wasi.net & ~g->net;
		else
			why = g->set(o, v);
		if (why)
			cli_usage_error("-%c %.*s: %s", group, (int)len, item, why);
		return;
	}
	char keys[256];

	cli_group_keys(group, keys, sizeof(keys));
	cli_usage_error("-%c %.*s: not supported by wrun (-%c takes %s)", group, (int)klen, item,
			group, keys);
}

/* -W help, -S help: the keys wrun honours. */
static void __attribute__((noreturn)) cli_group_help(char group)
{
	printf("-%c options wrun honours:\n", group);
	for (size_t k = 0; k < CLI_NGROUPS; k++)
		if (cli_groups[k].group == group)
			printf("  -%c %s%s\n      %s\n", group, cli_groups[k].key,
			       cli_groups[k].kind == CLI_BOOL || cli_groups[k].kind == CLI_NET
			       ? "[=y|n]" : cli_groups[k].kind == CLI_COUNT ? "=N"
			       : cli_groups[k].kind == CLI_TEXT ? "=HOST:PORT" : "=N|Ns|Nms|..",
			       cli_groups[k].help);
	exit(0);
}

/* The whole value of -W or -S: comma-separated items. */
static void cli_group(cli_opts *o, char group, const char *v)
{
	if (strcmp(v, "help") == 0 || strcmp(v, "help-long") == 0)
		cli_group_help(group);
	for (;;) {
		size_t n = strcspn(v, ",");

		if (n == 0)
			cli_usage_error("-%c: empty option in '%s'", group, v);
		cli_group_item(o, group, v, n);
		if (!v[n])
			return;
		v += n + 1;
	}
}

/* The value of group option -G given as "-G V", "-GV", "-G=V" or as its
 * long name; NULL if argv[*i] is not it. */
static char *cli_group_val(int argc, char **argv, int *i, char g, const char *lname)
{
	const char *a = argv[*i];
	char *v;

	if (a[0] == '-' && a[1] == g && a[2] != '\0')
		return argv[*i] + (a[2] == '=' ? 3 : 2);
	if ((v = cli_optval(argc, argv, i, (char[]){ '-', g, 0 })))
		return v;
	return cli_optval(argc, argv, i, lname);
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
	else if ((v = cli_group_val(argc, argv, i, 'W', "--wasm")))
		cli_group(o, 'W', v);
	else if ((v = cli_group_val(argc, argv, i, 'S', "--wasi")))
		cli_group(o, 'S', v);
	else if ((v = cli_optval(argc, argv, i, "--argv0")))
		cli_argv0 = v;
	else if ((v = cli_optval(argc, argv, i, "--dir")))
		cli_add_dir(o, v);
	else if ((v = cli_optval(argc, argv, i, "--env")))
		cli_add_env(o, v);
	else if ((v = cli_optval(argc, argv, i, "--tcplisten")))
		cli_add_listen(o, v);
	else {
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

extern char **environ;

/* -S inherit-env: every host variable goes first, then the --env ones; a
 * host variable that --env also names is left out (--env wins). */
static void cli_inherit_environ(cli_opts *o)
{
	size_t nown = o->wasi.nenv, nhost = 0, n = 0;
	char *const *own = o->wasi.env;
	char **all;

	while (environ[nhost])
		nhost++;
	all = calloc(nhost + nown + 1, sizeof(*all));
	if (!all)
		cli_die("out of memory");
	for (size_t h = 0; h < nhost; h++) {
		size_t len = strcspn(environ[h], "=");
		bool named = false;

		if (!environ[h][len] || len == 0)
			continue; /* not NAME=VALUE */
		for (size_t k = 0; k < nown && !named; k++)
			named = strncmp(own[k], environ[h], len) == 0 &&
				(own[k][len] == '=' || own[k][len] == '\0');
		if (!named)
			all[n++] = environ[h];
	}
	for (size_t k = 0; k < nown; k++)
		all[n++] = own[k];
	free((void *)own);
	o->wasi.env = all;
	o->wasi.nenv = n;
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
	if (cli_inherit_env)
		cli_inherit_environ(o);
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
	if (n == 0) /* as the broker says it at the other levels */
		cli_die("%s: empty file", path);
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
	/* The options and what they point to last as long as the process. */
	static cli_opts o;
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
	o.wasi.net = WASI_NET_TCP | WASI_NET_UDP;	/* as wasmtime: -S tcp, -S udp */
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
