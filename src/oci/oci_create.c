/*
 * oci_create.c: wrun-oci create.
 *
 *   create [--bundle B] [--pid-file F] [--console-socket S] [--preserve-fds N] ID
 *
 * Reads the bundle; a container that is not wasm goes to runc or crun.
 * For a wasm one: ROOT/ID/ with its fifo, the cgroup with its limits, the
 * module opened inside the rootfs, then one fork.  The child
 * (oci_init.c) sets itself up and says so through a pipe, then waits for
 * start; this process writes the state record and the pid file and exits,
 * so the child is reparented to the engine's subreaper, which gets its
 * exit status: after start the child is wrun, the broker.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "oci.h"

struct oci_create_opts {
	const char *bundle, *pid_file, *console, *id;
};

static void oci_create_args(struct oci_create_opts *o, int argc, char **argv)
{
	static const char *const ignored[] = { "--no-pivot", "--no-new-keyring", NULL };

	o->bundle = ".";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq = strchr(a, '=');
		size_t n = eq ? (size_t)(eq - a) : strlen(a);
		bool skip = false;
		const char **dst = NULL;

		for (size_t k = 0; ignored[k]; k++)
			skip = skip || strcmp(a, ignored[k]) == 0;
		if (skip)
			continue;
		if (a[0] != '-') {
			if (o->id)
				oci_usage("create: more than one container id");
			o->id = a;
			continue;
		}
		if ((n == 8 && strncmp(a, "--bundle", n) == 0) || strcmp(a, "-b") == 0)
			dst = &o->bundle;
		else if (n == 10 && strncmp(a, "--pid-file", n) == 0)
			dst = &o->pid_file;
		else if (n == 16 && strncmp(a, "--console-socket", n) == 0)
			dst = &o->console;
		else if (!(n == 14 && strncmp(a, "--preserve-fds", n) == 0))
			oci_usage("create: unknown option '%s'", a);
		if (!eq && i + 1 >= argc)
			oci_usage("create: option '%s' needs a value", a);
		const char *v = eq ? eq + 1 : argv[++i];

		if (dst)
			*dst = v;
	}
	if (!o->id)
		oci_usage("create: no container id given");
}

/* mkdir -p */
static int oci_mkdirs(const char *path, mode_t mode)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			if (mkdir(buf, mode) < 0 && errno != EEXIST)
				return -errno;
			*p = '/';
		}
	return mkdir(buf, mode) < 0 && errno != EEXIST ? -errno : 0;
}

/*
 * ROOT/ID/, new.  An ID left by an engine that died (its process gone, or
 * a create that stopped half-way) is cleaned up and reused; a live one, or
 * a directory of runc's (state.json), is refused.
 */
static char *oci_state_prepare(const char *id)
{
	char *dir = oci_state_dir(id), path[4096];
	int r = oci_mkdirs(oci_g.root, 0700);

	if (r < 0)
		oci_die("--root %s: %s", oci_g.root, strerror(-r));
	if (mkdir(dir, 0711) < 0) {
		struct oci_state st;

		if (errno != EEXIST)
			oci_die("%s: %s", dir, strerror(errno));
		snprintf(path, sizeof(path), "%s/state.json", dir);
		r = oci_state_load(&st, id);
		if ((r == 0 && oci_status(&st) != OCI_STOPPED) ||
		    (r == -ENOENT && access(path, F_OK) == 0))
			oci_die("container %s exists", id);
		oci_log("warning", "container %s: removing what a dead engine left", id);
		if ((r == 0 ? oci_state_remove(&st) : oci_rmtree(dir)) < 0 || mkdir(dir, 0711) < 0)
			oci_die("%s: cannot clean up: %s", dir, strerror(errno));
		oci_state_free(&st);
	}
	snprintf(path, sizeof(path), "%s/%s", dir, OCI_FIFO_FILE);
	if (mkfifo(path, 0600) < 0)
		oci_die("%s: %s", path, strerror(errno));
	snprintf(path, sizeof(path), "%s/%s", dir, OCI_MNT_DIR);
	if (mkdir(path, 0755) < 0)
		oci_die("%s: %s", path, strerror(errno));
	return dir;
}

/* The wrun executable installed beside this one. */
static int oci_open_wrun(void)
{
	char self[PATH_MAX], path[PATH_MAX + 8];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int fd;

	if (n <= 0)
		oci_die("cannot find wrun-oci's own executable: %s", strerror(errno));
	self[n] = 0;
	*strrchr(self, '/') = 0;
	snprintf(path, sizeof(path), "%s/wrun", self);
	if ((fd = open(path, O_PATH | O_CLOEXEC)) < 0)
		oci_die("%s: %s (wrun is run from beside wrun-oci)", path, strerror(errno));
	return fd;
}

/* The pid file, written whole (the engine may read it at any time). */
static void oci_write_pid_file(const char *file, pid_t pid)
{
	char tmp[PATH_MAX], text[32];
	int fd, n = snprintf(text, sizeof(text), "%d", (int)pid);

	if (snprintf(tmp, sizeof(tmp), "%s.wrun-tmp", file) >= (int)sizeof(tmp))
		oci_die("--pid-file %s: name too long", file);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0 ||
	    write(fd, text, (size_t)n) != n || close(fd) < 0 || rename(tmp, file) < 0)
		oci_die("--pid-file %s: %s", file, strerror(errno));
}

/* The child's word: "+" when it is ready, "-" and why it failed. */
static void oci_wait_child(int fd, pid_t pid, char *msg, size_t len)
{
	size_t used = 0;
	ssize_t n;

	while (used < len - 1 && (n = read(fd, msg + used, len - 1 - used)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		used += (size_t)n;
	}
	msg[used] = 0;
	if (used > 0 && msg[0] == '+') {
		msg[0] = 0;
	} else if (used > 0) {
		memmove(msg, msg + 1, used);
	} else {
		int st = 0;

		waitpid(pid, &st, 0);
		snprintf(msg, len, "the container's process ended while it was set up (status %d)",
			 st);
	}
}

/* Undo a create that failed, and say why. */
static void __attribute__((noreturn)) oci_create_fail(const char *dir, struct oci_cg *cg,
						       pid_t pid, const char *msg)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	if (cg->n)
		oci_cg_destroy(cg);
	oci_rmtree(dir);
	oci_die("%s", msg);
}

int oci_cmd_create(int argc, char **argv)
{
	struct oci_create_opts o = { 0 };
	struct oci_spec s;
	struct oci_cg cg = { .freezer = -1 };
	int sync[2], r;
	char msg[1024], *cgpath;

	oci_create_args(&o, argc, argv);
	oci_spec_load(&s, o.bundle);
	if (!s.wasm) {
		oci_delegate();
		oci_die("%s is not a WebAssembly module, and neither runc nor crun is installed "
			"to run other containers", s.args[0]);
	}
	if (s.terminal && !o.console)
		oci_usage("create: process.terminal is set but no --console-socket was given");
	struct oci_init in = { .s = &s, .cg = &cg, .console = o.console,
			       .wrun_fd = oci_open_wrun() };

	if ((r = oci_open_beneath(s.rootfs, s.cwd, true)) < 0)
		oci_die("process.cwd %s: %s in the container", s.cwd, strerror(-r));
	close(r);
	in.dir = oci_state_prepare(o.id);
	if (!(cgpath = oci_cg_path(s.cgroups_path, o.id)))
		oci_create_fail(in.dir, &cg, 0, "linux.cgroupsPath: not a usable cgroup path");
	if ((r = oci_cg_open(&cg, cgpath)) < 0 || (r = oci_cg_create(&cg, &s)) < 0) {
		snprintf(msg, sizeof(msg), "cgroup %s: %s", cgpath, strerror(-r));
		oci_create_fail(in.dir, &cg, 0, msg);
	}
	if (pipe2(sync, O_CLOEXEC) < 0)
		oci_create_fail(in.dir, &cg, 0, "cannot make a pipe");
	fflush(NULL);
	pid_t pid = fork();

	if (pid == 0) {
		close(sync[0]);
		in.sync_fd = sync[1];
		oci_init_main(&in);
	}
	close(sync[1]);
	if (pid < 0)
		oci_create_fail(in.dir, &cg, 0, "cannot fork");
	oci_wait_child(sync[0], pid, msg, sizeof(msg));
	if (msg[0])
		oci_create_fail(in.dir, &cg, pid, msg);
	if ((r = oci_state_save(in.dir, &s, o.id, pid, cgpath)) < 0) {
		snprintf(msg, sizeof(msg), "%s: cannot save the state: %s", in.dir, strerror(-r));
		oci_create_fail(in.dir, &cg, pid, msg);
	}
	if (o.pid_file)
		oci_write_pid_file(o.pid_file, pid);
	return 0;
}
