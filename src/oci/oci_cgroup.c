/*
 * oci_cgroup.c: the container's cgroup, through the cgroup filesystems
 * (cgroupfs), version 1 (one hierarchy per controller, and the "unified"
 * tree of a hybrid host) and version 2.  wrun-oci creates the container's
 * directory in every mounted hierarchy, writes the limits the engine asked
 * for, and puts the process that becomes the broker there before it
 * executes wrun: the jailed child, cloned by the broker, inherits it.  So
 * the engine's memory limit, pids limit, statistics and OOM handling see
 * every wrun process of the container, and the freezer stops all of them.
 *
 * With --systemd-cgroup the path comes as slice:prefix:name and is turned
 * into the directory systemd would use; it is still created through the
 * filesystem (no D-Bus), which is what a host without systemd has.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "oci.h"

#define OCI_CG_WAIT_MS 5000	/* freezing, emptying, removing: at most this long */

static void oci_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* "a-b.slice" -> "/a.slice/a-b.slice" (systemd's nesting of slices). */
static int oci_slice_dir(const char *slice, char *out, size_t len)
{
	size_t used = 0, n = strlen(slice);

	if (n < 7 || strcmp(slice + n - 6, ".slice") != 0 || strchr(slice, '/'))
		return -1;
	for (size_t i = 0; i + 6 <= n; i++) {
		if (i + 6 != n && slice[i] != '-')
			continue;
		int w = snprintf(out + used, len - used, "/%.*s.slice", (int)i, slice);

		if (w < 0 || (size_t)w >= len - used)
			return -1;
		used += (size_t)w;
	}
	return 0;
}

/* slice:prefix:name -> /slice.../prefix-name.scope */
static char *oci_cg_systemd(const char *p)
{
	char slice[256], dir[1024], *out;
	const char *c1 = strchr(p, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

	if (!c2 || (size_t)(c1 - p) >= sizeof(slice))
		return NULL;
	snprintf(slice, sizeof(slice), "%.*s", (int)(c1 - p), p);
	if (!*slice)
		strcpy(slice, "system.slice");
	if (oci_slice_dir(slice, dir, sizeof(dir)) < 0)
		return NULL;
	if (asprintf(&out, "%s/%.*s%s%s.scope", dir, (int)(c2 - c1 - 1), c1 + 1,
		     c2 > c1 + 1 ? "-" : "", c2 + 1) < 0)
		return NULL;
	return out;
}

char *oci_cg_path(const char *cgroups_path, const char *id)
{
	char *out;

	if (!cgroups_path) {
		if (asprintf(&out, "/wrun-oci/%s", id) < 0)
			return NULL;
	} else if (oci_g.systemd_cgroup && strchr(cgroups_path, ':')) {
		out = oci_cg_systemd(cgroups_path);
	} else if (asprintf(&out, "%s%s", cgroups_path[0] == '/' ? "" : "/", cgroups_path) < 0) {
		return NULL;
	}
	/* No step out of the hierarchy: the path is joined to its mount point. */
	if (out && (strstr(out, "/../") || strstr(out, "/./") ||
		    (strlen(out) >= 3 && strcmp(out + strlen(out) - 3, "/..") == 0))) {
		free(out);
		return NULL;
	}
	return out;
}

/* Is word a comma-separated member of list? */
static bool oci_has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p; p = strchr(p, ',')) {
		p += *p == ',';
		if (strncmp(p, word, n) == 0 && (p[n] == ',' || p[n] == 0))
			return true;
	}
	return false;
}

/* One line of /proc/self/mountinfo: a cgroup hierarchy mounted at its root. */
static void oci_cg_line(struct oci_cg *cg, char *line, char seen[][256])
{
	char root[4096], mnt[4096], type[32], src[256], opts[256];
	char *dash = strstr(line, " - ");

	if (!dash || sscanf(line, "%*s %*s %*s %4095s %4095s", root, mnt) != 2 ||
	    sscanf(dash + 3, "%31s %255s %255s", type, src, opts) != 3)
		return;
	if (strcmp(root, "/") != 0 || cg->n == OCI_CG_MAX || strchr(mnt, '\\') ||
	    (strcmp(type, "cgroup") != 0 && strcmp(type, "cgroup2") != 0))
		return;
	bool v2 = strcmp(type, "cgroup2") == 0;

	if (v2)
		strcpy(opts, "cgroup2");
	for (size_t i = 0; i < cg->n; i++)
		if (strcmp(seen[i], opts) == 0)
			return;	/* the same hierarchy mounted twice */
	snprintf(seen[cg->n], 256, "%s", opts);
	if (asprintf(&cg->dirs[cg->n], "%s%s", mnt, cg->path) < 0)
		return;
	cg->v2[cg->n] = v2;
	if (!v2 && oci_has_word(opts, "freezer"))
		cg->freezer = (int)cg->n;
	cg->n++;
}

int oci_cg_open(struct oci_cg *cg, const char *path)
{
	static char seen[OCI_CG_MAX][256];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;

	memset(cg, 0, sizeof(*cg));
	cg->freezer = -1;
	if (!f || !(cg->path = strdup(path))) {
		if (f)
			fclose(f);
		return -errno;
	}
	while (getline(&line, &cap, f) > 0)
		oci_cg_line(cg, line, seen);
	free(line);
	fclose(f);
	if (cg->n == 0)
		return -ENOENT;
	cg->procs = cg->freezer >= 0 ? cg->freezer : 0;
	for (size_t i = 0; i < cg->n; i++)
		if (cg->v2[i] && cg->n == 1)
			cg->procs = (int)i;
	return 0;
}

void oci_cg_close(struct oci_cg *cg)
{
	for (size_t i = 0; i < cg->n; i++)
		free(cg->dirs[i]);
	free(cg->path);
	memset(cg, 0, sizeof(*cg));
	cg->freezer = -1;
}

static int oci_write_file(const char *dir, const char *file, const char *val)
{
	char path[4096];
	int fd, r = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		r = -errno;
	close(fd);
	return r;
}

static int oci_read_file(const char *dir, const char *file, char *buf, size_t len)
{
	char path[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return (int)n;
}

/* A new v2 level: the parent's memory, pids and cpu controllers enabled
 * for it where the parent allows (a parent with processes of its own
 * refuses; that controller's limits are then not applied, and said so). */
static void oci_v2_enable(const char *parent)
{
	static const char *const want[] = { "memory", "pids", "cpu" };
	char val[4096];

	if (oci_read_file(parent, "cgroup.controllers", val, sizeof(val)) <= 0)
		return;
	for (char *w = strtok(val, " \n"); w; w = strtok(NULL, " \n"))
		for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++)
			if (strcmp(w, want[k]) == 0) {
				char add[32];

				snprintf(add, sizeof(add), "+%s", w);
				oci_write_file(parent, "cgroup.subtree_control", add);
			}
}

/* A new v1 cpuset starts with no CPUs and no memory nodes, and nothing
 * could join it: it gets its parent's. */
static void oci_cpuset_copy(const char *parent, const char *dir)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	char val[4096];

	for (size_t k = 0; k < 2; k++)
		if (oci_read_file(parent, files[k], val, sizeof(val)) > 0)
			oci_write_file(dir, files[k], val);
}

/* Make dir and its missing parents below the mount point (dir[0..base)). */
static int oci_mkdir_cg(const char *dir, size_t base, bool v2)
{
	char cur[4096], parent[4096];
	size_t n = strlen(dir);

	if (n >= sizeof(cur))
		return -ENAMETOOLONG;
	for (size_t i = base + 1; i <= n; i++) {
		if (dir[i] != '/' && dir[i] != 0)
			continue;
		snprintf(cur, sizeof(cur), "%.*s", (int)i, dir);
		snprintf(parent, sizeof(parent), "%.*s", (int)(strrchr(cur, '/') - cur), cur);
		if (v2)
			oci_v2_enable(parent);
		if (mkdir(cur, 0755) == 0) {
			if (!v2)
				oci_cpuset_copy(parent, cur);
		} else if (errno != EEXIST) {
			return -errno;
		}
	}
	return 0;
}

/* Write one limit in every hierarchy that has its file; false if none has. */
static bool oci_cg_limit(const struct oci_cg *cg, const char *v1file, const char *v2file,
			 const char *val, int *err)
{
	bool done = false;

	for (size_t i = 0; i < cg->n; i++) {
		const char *file = cg->v2[i] ? v2file : v1file;
		int r = *file ? oci_write_file(cg->dirs[i], file, val) : -ENOENT;

		if (r == 0)
			done = true;
		else if (r != -ENOENT && !*err)
			*err = r;
	}
	return done;
}

static int oci_cg_limits(const struct oci_cg *cg, const struct oci_spec *s)
{
	char v[64];
	int err = 0;

	if (s->mem_limit) {
		snprintf(v, sizeof(v), "%lld", (long long)s->mem_limit);
		if (!oci_cg_limit(cg, "memory.limit_in_bytes", "memory.max", v, &err))
			oci_log("warning", "no memory controller: memory limit left to wrun");
	}
	if (s->pids_limit) {
		snprintf(v, sizeof(v), "%lld", (long long)s->pids_limit);
		if (!oci_cg_limit(cg, "pids.max", "pids.max", v, &err))
			oci_log("warning", "no pids controller: pids limit not applied");
	}
	if (s->cpu_period) {
		snprintf(v, sizeof(v), "%llu", (unsigned long long)s->cpu_period);
		oci_cg_limit(cg, "cpu.cfs_period_us", "", v, &err);
	}
	if (s->cpu_quota) {
		snprintf(v, sizeof(v), "%lld", (long long)s->cpu_quota);
		oci_cg_limit(cg, "cpu.cfs_quota_us", "", v, &err);
		snprintf(v, sizeof(v), "%lld %llu", (long long)s->cpu_quota,
			 (unsigned long long)(s->cpu_period ? s->cpu_period : 100000));
		oci_cg_limit(cg, "", "cpu.max", v, &err);
	}
	if (s->cpu_shares >= 2) {
		snprintf(v, sizeof(v), "%llu", (unsigned long long)s->cpu_shares);
		oci_cg_limit(cg, "cpu.shares", "", v, &err);
		snprintf(v, sizeof(v), "%llu",
			 (unsigned long long)(1 + ((s->cpu_shares - 2) * 9999) / 262142));
		oci_cg_limit(cg, "", "cpu.weight", v, &err);
	}
	return err;
}

int oci_cg_create(struct oci_cg *cg, const struct oci_spec *s)
{
	for (size_t i = 0; i < cg->n; i++) {
		size_t base = strlen(cg->dirs[i]) - strlen(cg->path);
		int r = oci_mkdir_cg(cg->dirs[i], base, cg->v2[i]);

		if (r < 0)
			return r;
	}
	return oci_cg_limits(cg, s);
}

int oci_cg_join(const struct oci_cg *cg, pid_t pid)
{
	char v[32];

	snprintf(v, sizeof(v), "%d", (int)pid);
	for (size_t i = 0; i < cg->n; i++) {
		int r = oci_write_file(cg->dirs[i], "cgroup.procs", v);

		if (r < 0)
			return r;
	}
	return 0;
}

/* The v2 directory that has cgroup.freeze, when there is no v1 freezer. */
static int oci_cg_v2(const struct oci_cg *cg)
{
	for (size_t i = 0; i < cg->n; i++)
		if (cg->v2[i])
			return (int)i;
	return -1;
}

bool oci_cg_frozen(const struct oci_cg *cg)
{
	char v[64];
	int i = cg->freezer >= 0 ? cg->freezer : oci_cg_v2(cg);

	if (i < 0)
		return false;
	if (cg->freezer >= 0)
		return oci_read_file(cg->dirs[i], "freezer.state", v, sizeof(v)) > 0 &&
		       strncmp(v, "THAWED", 6) != 0;
	return oci_read_file(cg->dirs[i], "cgroup.freeze", v, sizeof(v)) > 0 && v[0] == '1';
}

/* Freeze (or thaw) and wait until the kernel says every task is. */
int oci_cg_freeze(const struct oci_cg *cg, bool freeze)
{
	bool v1 = cg->freezer >= 0;
	int i = v1 ? cg->freezer : oci_cg_v2(cg), r;
	const char *want = v1 ? (freeze ? "FROZEN" : "THAWED") : (freeze ? "frozen 1" : "frozen 0");
	char v[512];

	if (i < 0)
		return -ENOTSUP;
	r = oci_write_file(cg->dirs[i], v1 ? "freezer.state" : "cgroup.freeze",
			   v1 ? want : (freeze ? "1" : "0"));
	if (r < 0)
		return r;
	for (int t = 0; t < OCI_CG_WAIT_MS; t++) {
		if (oci_read_file(cg->dirs[i], v1 ? "freezer.state" : "cgroup.events", v,
				  sizeof(v)) > 0 && strstr(v, want))
			return 0;
		if (v1 && freeze && t % 50 == 49)	/* a task that was busy: ask again */
			oci_write_file(cg->dirs[i], "freezer.state", want);
		oci_sleep_ms(1);
	}
	return -ETIMEDOUT;
}

int oci_cg_pids(const struct oci_cg *cg, pid_t **pids)
{
	char path[4096];
	FILE *f;
	size_t n = 0, cap = 16;
	int pid;

	if (cg->n == 0)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg->dirs[cg->procs]);
	if (!(f = fopen(path, "re")))
		return -errno;
	*pids = malloc(cap * sizeof(**pids));
	while (*pids && fscanf(f, "%d", &pid) == 1) {
		if (n == cap) {
			pid_t *p = realloc(*pids, (cap *= 2) * sizeof(**pids));

			if (!p)
				free(*pids);
			*pids = p;
			if (!p)
				break;
		}
		(*pids)[n++] = pid;
	}
	fclose(f);
	return *pids ? (int)n : -ENOMEM;
}

int oci_cg_kill(const struct oci_cg *cg, int sig)
{
	for (int t = 0; t < OCI_CG_WAIT_MS / 10; t++) {
		pid_t *pids = NULL;
		int n = oci_cg_pids(cg, &pids);

		if (n < 0)
			return n == -ENOENT ? 0 : n;
		for (int i = 0; i < n; i++)
			kill(pids[i], sig);
		free(pids);
		if (sig != SIGKILL || n == 0)
			return 0;
		/* A frozen task takes SIGKILL only once thawed (cgroup v1). */
		if (t == 0 && oci_cg_frozen(cg))
			oci_cg_freeze(cg, false);
		oci_sleep_ms(10);
	}
	return -ETIMEDOUT;
}

int oci_cg_destroy(const struct oci_cg *cg)
{
	int err = 0;

	for (size_t i = 0; i < cg->n; i++) {
		int t = 0;

		while (rmdir(cg->dirs[i]) < 0 && errno == EBUSY && t++ < OCI_CG_WAIT_MS / 10)
			oci_sleep_ms(10);
		if (access(cg->dirs[i], F_OK) == 0 && !err)
			err = -EBUSY;
	}
	return err;
}
