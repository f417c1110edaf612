/*
 * oci_main.c: wrun-oci's command line: the global options, messages and
 * the --log file, handing other containers to runc or crun, and every
 * command but create (oci_create.c).
 *
 *   wrun-oci [--root DIR] [--log FILE] [--log-format json|text]
 *            [--systemd-cgroup] COMMAND [OPTIONS] ID ...
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "oci.h"
#include "wrun.h"

struct oci_global oci_g = { .root = OCI_DEFAULT_ROOT };

static void oci_vlog(const char *level, const char *fmt, va_list ap)
{
	char msg[2048], when[64];
	struct timespec ts;
	struct tm tm;
	bool err = strcmp(level, "error") == 0;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (err || !oci_g.log)
		fprintf(stderr, "wrun-oci: %s%s\n", err ? "" : "warning: ", msg);
	if (!oci_g.log)
		return;
	FILE *f = fopen(oci_g.log, "ae");

	if (!f)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (oci_g.log_json) {
		cJSON *o = cJSON_CreateObject();
		char *line;

		cJSON_AddStringToObject(o, "level", level);
		cJSON_AddStringToObject(o, "msg", msg);
		cJSON_AddStringToObject(o, "time", when);
		line = cJSON_PrintUnformatted(o);
		if (line)
			fprintf(f, "%s\n", line);
		free(line);
		cJSON_Delete(o);
	} else {
		fprintf(f, "time=\"%s\" level=%s msg=\"%s\"\n", when, level, msg);
	}
	fclose(f);
}

void oci_log(const char *level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	oci_vlog(level, fmt, ap);
	va_end(ap);
}

void oci_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	oci_vlog("error", fmt, ap);
	va_end(ap);
	exit(1);
}

void oci_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	oci_vlog("error", fmt, ap);
	va_end(ap);
	fputs("Try 'wrun-oci --help' for more information.\n", stderr);
	exit(2);
}

/* ---- other containers: runc or crun ---- */

/* The runtime that runs what is not wasm: WRUN_OCI_DELEGATE (a path, or
 * "none"), else runc or crun on PATH; never wrun-oci itself. */
static bool oci_find_delegate(char *out, size_t len)
{
	const char *env = getenv("WRUN_OCI_DELEGATE"), *path = getenv("PATH");
	static const char *const names[] = { "runc", "crun" };
	struct stat self, st;

	if (env)
		return strcmp(env, "none") != 0 && snprintf(out, len, "%s", env) < (int)len &&
		       access(out, X_OK) == 0;
	if (stat("/proc/self/exe", &self) < 0)
		return false;
	for (size_t k = 0; k < 2; k++) {
		const char *p = path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

		while (*p) {
			size_t n = strcspn(p, ":");

			snprintf(out, len, "%.*s/%s", (int)n, p, names[k]);
			if (n && access(out, X_OK) == 0 && stat(out, &st) == 0 &&
			    (st.st_dev != self.st_dev || st.st_ino != self.st_ino))
				return true;
			p += n + (p[n] == ':');
		}
	}
	return false;
}

bool oci_have_delegate(void)
{
	char path[PATH_MAX];

	return oci_find_delegate(path, sizeof(path));
}

void oci_delegate(void)
{
	char path[PATH_MAX];

	if (!oci_find_delegate(path, sizeof(path)))
		return;
	oci_g.argv[0] = path;
	execv(path, oci_g.argv);
	oci_die("%s: %s", path, strerror(errno));
}

/* Load ID's state, or hand the command to runc/crun when ID is not ours. */
static void oci_load(struct oci_state *st, const char *id)
{
	int r = oci_state_load(st, id);

	if (r == -ENOENT || r == -ENOTDIR) {
		oci_delegate();
		oci_die("container %s does not exist", id);
	}
	if (r < 0)
		oci_die("container %s: %s", id, strerror(-r));
}

/* ---- commands ---- */

/* The one ID argument of a command that takes no other options but flags[]. */
static const char *oci_id_arg(int argc, char **argv, const char *const *flags, bool *set)
{
	const char *id = NULL;

	for (int i = 1; i < argc; i++) {
		bool known = false;

		for (size_t k = 0; flags && flags[k]; k++)
			if (strcmp(argv[i], flags[k]) == 0)
				known = set[k / 2] = true;
		if (known)
			continue;
		if (argv[i][0] == '-' && argv[i][1])
			oci_usage("%s: unknown option '%s'", argv[0], argv[i]);
		if (id)
			break;
		id = argv[i];
	}
	if (!id)
		oci_usage("%s: no container id given", argv[0]);
	return id;
}

/* Wait for the waiting process to take the start, a byte through the fifo. */
static int oci_cmd_start(int argc, char **argv)
{
	struct oci_state st;
	char path[4096], b;
	int fd;

	oci_load(&st, oci_id_arg(argc, argv, NULL, NULL));
	enum oci_status s = oci_status(&st);

	if (s != OCI_CREATED)
		oci_die("cannot start container %s: it is %s", st.id, oci_status_name(s));
	snprintf(path, sizeof(path), "%s/%s", st.dir, OCI_FIFO_FILE);
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		oci_die("cannot start container %s: %s", st.id, strerror(errno));
	for (int t = 0;; t++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, 100) > 0 && read(fd, &b, 1) == 1)
			break;
		if (!oci_pid_alive(st.pid, st.start))
			oci_die("container %s: its process exited before start", st.id);
		if (t == 300)
			oci_die("container %s: its process does not take the start", st.id);
	}
	close(fd);
	unlink(path);
	oci_state_free(&st);
	return 0;
}

static int oci_cmd_state(int argc, char **argv)
{
	struct oci_state st;
	cJSON *o = cJSON_CreateObject(), *ann;
	char *text;

	oci_load(&st, oci_id_arg(argc, argv, NULL, NULL));
	enum oci_status s = oci_status(&st);

	ann = cJSON_GetObjectItemCaseSensitive(st.doc, "annotations");
	cJSON_AddStringToObject(o, "ociVersion", OCI_VERSION);
	cJSON_AddStringToObject(o, "id", st.id);
	cJSON_AddNumberToObject(o, "pid", s == OCI_STOPPED ? 0 : st.pid);
	cJSON_AddStringToObject(o, "status", oci_status_name(s));
	cJSON_AddStringToObject(o, "bundle", st.bundle);
	cJSON_AddStringToObject(o, "rootfs", st.rootfs);
	cJSON_AddStringToObject(o, "created", st.created);
	cJSON_AddStringToObject(o, "owner", "");
	cJSON_AddItemToObject(o, "annotations", ann ? cJSON_Duplicate(ann, true) :
			      cJSON_CreateObject());
	text = cJSON_Print(o);
	if (!text)
		oci_die("out of memory");
	printf("%s\n", text);
	free(text);
	cJSON_Delete(o);
	oci_state_free(&st);
	return 0;
}

static int oci_cmd_kill(int argc, char **argv)
{
	static const char *const flags[] = { "--all", "-a", NULL };
	bool all = false;
	struct oci_state st;
	const char *id = oci_id_arg(argc, argv, flags, &all), *signame = "SIGTERM";
	int sig;

	for (int i = 1; i < argc; i++)
		if (argv[i] == id && i + 1 < argc)
			signame = argv[i + 1];
	if ((sig = oci_signal_parse(signame)) < 0)
		oci_usage("kill: unknown signal '%s'", signame);
	oci_load(&st, id);
	if (oci_status(&st) == OCI_STOPPED)
		oci_die("container %s is not running", id);
	/* The broker is the container's first process; the jailed child dies
	 * with it (its parent-death signal).  --all reaches every process. */
	if (all && st.cg.n) {
		int r = oci_cg_kill(&st.cg, sig);

		if (r < 0)
			oci_die("kill %s: %s", id, strerror(-r));
	} else if (kill(st.pid, sig) < 0) {
		oci_die("kill %s: %s", id, strerror(errno));
	}
	/* A frozen process takes SIGKILL only once thawed (cgroup v1). */
	if (sig == SIGKILL && st.cg.n && oci_cg_frozen(&st.cg))
		oci_cg_freeze(&st.cg, false);
	oci_state_free(&st);
	return 0;
}

/* Kill what is left, wait for the first process to be gone. */
static void oci_stop_all(struct oci_state *st)
{
	if (st->cg.n)
		oci_cg_kill(&st->cg, SIGKILL);
	if (oci_pid_alive(st->pid, st->start))
		kill(st->pid, SIGKILL);
	for (int t = 0; t < 500 && oci_pid_alive(st->pid, st->start); t++)
		usleep(10000);
}

static int oci_cmd_delete(int argc, char **argv)
{
	static const char *const flags[] = { "--force", "-f", NULL };
	bool force = false;
	struct oci_state st;
	const char *id = oci_id_arg(argc, argv, flags, &force);
	int r = oci_state_load(&st, id);

	if (r == -ENOENT || r == -ENOTDIR) {
		oci_delegate();
		if (force)
			return 0;
		oci_die("container %s does not exist", id);
	}
	if (r < 0)
		oci_die("container %s: %s", id, strerror(-r));
	enum oci_status s = oci_status(&st);

	if (s != OCI_STOPPED && s != OCI_CREATED && !force)
		oci_die("cannot delete container %s: it is %s (use --force)", id,
			oci_status_name(s));
	oci_stop_all(&st);
	if (oci_pid_alive(st.pid, st.start))
		oci_die("container %s: its process does not die", id);
	if ((r = oci_state_remove(&st)) < 0)
		oci_die("delete %s: %s", id, strerror(-r));
	oci_state_free(&st);
	return 0;
}

static int oci_cmd_pause(int argc, char **argv, bool pause)
{
	struct oci_state st;
	int r;

	oci_load(&st, oci_id_arg(argc, argv, NULL, NULL));
	enum oci_status s = oci_status(&st);

	if (s != (pause ? OCI_RUNNING : OCI_PAUSED))
		oci_die("cannot %s container %s: it is %s", argv[0], st.id, oci_status_name(s));
	if (!st.cg.n)
		oci_die("container %s has no cgroup to freeze", st.id);
	if ((r = oci_cg_freeze(&st.cg, pause)) < 0)
		oci_die("%s %s: %s", argv[0], st.id, strerror(-r));
	oci_state_free(&st);
	return 0;
}

/* ps [--format table|json] ID: the container's processes (its cgroup). */
static int oci_cmd_ps(int argc, char **argv)
{
	bool json = false;
	const char *id = NULL;
	struct oci_state st;
	pid_t *pids = NULL;
	int n;

	for (int i = 1; i < argc && !id; i++) {
		if (strcmp(argv[i], "--format") == 0 || strcmp(argv[i], "-f") == 0)
			json = i + 1 < argc && strcmp(argv[++i], "json") == 0;
		else if (strcmp(argv[i], "--format=json") == 0)
			json = true;
		else if (argv[i][0] != '-')
			id = argv[i];
	}
	if (!id)
		oci_usage("ps: no container id given");
	oci_load(&st, id);
	if ((n = st.cg.n ? oci_cg_pids(&st.cg, &pids) : 0) < 0)
		oci_die("ps %s: %s", id, strerror(-n));
	fputs(json ? "[" : "PID\n", stdout);
	for (int i = 0; i < n; i++) {
		if (json)
			printf("%s%d", i ? "," : "", (int)pids[i]);
		else
			printf("%d\n", (int)pids[i]);
	}
	if (json)
		puts("]");
	free(pids);
	oci_state_free(&st);
	return 0;
}

/* What this runtime does, in the runtime-spec's features document. */
static int oci_cmd_features(void)
{
	static const char text[] =
		"{\n"
		"  \"ociVersionMin\": \"1.0.0\",\n"
		"  \"ociVersionMax\": \"" OCI_VERSION "\",\n"
		"  \"hooks\": [],\n"
		"  \"mountOptions\": [\"bind\", \"rbind\", \"ro\", \"rw\"],\n"
		"  \"linux\": {\n"
		"    \"namespaces\": [\"cgroup\", \"ipc\", \"mount\", \"network\", \"pid\", \"user\", \"uts\"],\n"
		"    \"capabilities\": [],\n"
		"    \"cgroup\": { \"v1\": true, \"v2\": true, \"systemd\": false, \"systemdUser\": false },\n"
		"    \"seccomp\": { \"enabled\": false },\n"
		"    \"apparmor\": { \"enabled\": false },\n"
		"    \"selinux\": { \"enabled\": false }\n"
		"  },\n"
		"  \"annotations\": {\n"
		"    \"run.oci.handler\": \"wasm\",\n"
		"    \"module.wasm.image/variant\": \"compat\",\n"
		"    \"org.wrun.oci.delegate\": \"runc or crun, for containers that are not wasm\"\n"
		"  }\n"
		"}\n";

	fputs(text, stdout);
	return 0;
}

static void oci_version(void)
{
	printf("wrun-oci version %s\nspec: %s\n", WRUN_VERSION, OCI_VERSION);
	exit(0);
}

static void oci_help(void)
{
	fputs("usage: wrun-oci [GLOBAL OPTIONS] COMMAND [OPTIONS] ID ...\n"
	      "\n"
	      "An OCI runtime: runs WebAssembly containers under wrun's jail and broker,\n"
	      "and hands the others to runc or crun.\n"
	      "\n"
	      "commands:\n"
	      "  create [--bundle B] [--pid-file F] [--console-socket S] [--preserve-fds N] ID\n"
	      "  start ID | state ID | pause ID | resume ID | ps [--format json] ID\n"
	      "  kill [--all] ID [SIGNAL] | delete [--force] ID | features\n"
	      "\n"
	      "global options:\n"
	      "  --root DIR            container state (default " OCI_DEFAULT_ROOT ")\n"
	      "  --log FILE            append messages to FILE\n"
	      "  --log-format FORMAT   text (default) or json\n"
	      "  --systemd-cgroup      linux.cgroupsPath is slice:prefix:name\n"
	      "  -v, --version         show the version\n"
	      "\n"
	      "See wrun-oci(8).\n", stdout);
	exit(0);
}

/* A global option with a value: "--name V" or "--name=V". */
static const char *oci_gval(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != 0)
		return NULL;
	if (*i + 1 >= argc)
		oci_usage("option '%s' needs a value", name);
	return argv[++*i];
}

/* Options engines pass that wrun-oci accepts and ignores (wrun-oci(8)). */
static bool oci_ignored(int argc, char **argv, int *i)
{
	static const char *const with_value[] = { "--criu", "--rootless", "--log-level", NULL };

	if (strcmp(argv[*i], "--debug") == 0)
		return true;
	for (size_t k = 0; with_value[k]; k++)
		if (oci_gval(argc, argv, i, with_value[k]))
			return true;
	return false;
}

static bool oci_global(int argc, char **argv, int *i)
{
	const char *v;

	if ((v = oci_gval(argc, argv, i, "--root"))) {
		oci_g.root = v;
		oci_g.root_given = true;
	} else if ((v = oci_gval(argc, argv, i, "--log-format"))) {
		if (strcmp(v, "json") != 0 && strcmp(v, "text") != 0)
			oci_usage("--log-format: json or text, not '%s'", v);
		oci_g.log_json = strcmp(v, "json") == 0;
	} else if ((v = oci_gval(argc, argv, i, "--log"))) {
		oci_g.log = v;
	} else if (strcmp(argv[*i], "--systemd-cgroup") == 0) {
		oci_g.systemd_cgroup = true;
	} else if ((v = oci_gval(argc, argv, i, "--cgroup-manager"))) {
		oci_g.systemd_cgroup = strcmp(v, "systemd") == 0;
	} else if (strcmp(argv[*i], "-v") == 0 || strcmp(argv[*i], "--version") == 0) {
		oci_version();
	} else if (strcmp(argv[*i], "-h") == 0 || strcmp(argv[*i], "--help") == 0) {
		oci_help();
	} else {
		return oci_ignored(argc, argv, i);
	}
	return true;
}

/* Is any argument the id of one of our containers? */
static bool oci_names_ours(int argc, char **argv)
{
	char path[4096];

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' || argv[i][0] == '.' || strchr(argv[i], '/'))
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", oci_g.root, argv[i], OCI_STATE_FILE);
		if (access(path, F_OK) == 0)
			return true;
	}
	return false;
}

/* exec, update, checkpoint...: refused for ours, runc's business otherwise. */
static int oci_cmd_other(int argc, char **argv)
{
	if (oci_names_ours(argc, argv))
		oci_die("%s: not supported for wasm containers", argv[0]);
	oci_delegate();
	oci_die("%s: not supported for wasm containers (and no runc or crun for others)",
		argv[0]);
}

int main(int argc, char **argv)
{
	int i = 1;

	oci_g.argc = argc;
	oci_g.argv = argv;
	/* Descriptors 0-2 are always something: a closed one would be reused
	 * by the first pipe or file opened here, and the container's stdio. */
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			oci_die("cannot open /dev/null");
	for (; i < argc && argv[i][0] == '-'; i++)
		if (!oci_global(argc, argv, &i))
			oci_usage("unknown global option '%s'", argv[i]);
	if (i >= argc)
		oci_usage("no command given");
	argc -= i;
	argv += i;
	if (strcmp(argv[0], "create") == 0)
		return oci_cmd_create(argc, argv);
	if (strcmp(argv[0], "start") == 0)
		return oci_cmd_start(argc, argv);
	if (strcmp(argv[0], "state") == 0)
		return oci_cmd_state(argc, argv);
	if (strcmp(argv[0], "kill") == 0)
		return oci_cmd_kill(argc, argv);
	if (strcmp(argv[0], "delete") == 0)
		return oci_cmd_delete(argc, argv);
	if (strcmp(argv[0], "pause") == 0 || strcmp(argv[0], "resume") == 0)
		return oci_cmd_pause(argc, argv, argv[0][0] == 'p');
	if (strcmp(argv[0], "ps") == 0)
		return oci_cmd_ps(argc, argv);
	if (strcmp(argv[0], "features") == 0)
		return oci_cmd_features();
	return oci_cmd_other(argc, argv);
}
