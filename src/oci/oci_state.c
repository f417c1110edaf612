/*
 * oci_state.c: what wrun-oci keeps about a container, in ROOT/ID/:
 *   wrun.json   the record written at create (pid and its start time,
 *               bundle, rootfs, creation time, cgroup, annotations)
 *   wrun.fifo   exists from create until start; the waiting process
 *               blocks opening it for writing
 *   mnt/        where the grants are mounted, in the container's own
 *               mount namespace only (empty on the host)
 * The status is never stored: it is read from the world each time (is the
 * pid alive and the same process, is the fifo there, is the cgroup frozen),
 * so it stays true when the engine or wrun-oci dies at any point.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "oci.h"

char *oci_state_dir(const char *id)
{
	size_t n = strlen(id);
	char *dir;

	if (n == 0 || n > OCI_MAX_ID || id[0] == '.')
		oci_usage("invalid container id '%s'", id);
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-.",
			    id[i]))
			oci_usage("invalid container id '%s': letters, digits and _+-. only", id);
	if (asprintf(&dir, "%s/%s", oci_g.root, id) < 0)
		oci_die("out of memory");
	return dir;
}

/* Field 22 of /proc/PID/stat (start time in clock ticks), 0 if the
 * process is gone or a zombie: a zombie has exited. */
unsigned long long oci_pid_start(pid_t pid)
{
	char path[64], buf[1024], state = 0;
	unsigned long long start = 0;
	ssize_t n;
	int fd;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	char *p = strrchr(buf, ')');

	if (!p || sscanf(p + 1, " %c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s "
			 "%*s %*s %*s %*s %llu", &state, &start) != 2)
		return 0;
	return state == 'Z' || state == 'X' ? 0 : start;
}

bool oci_pid_alive(pid_t pid, unsigned long long start)
{
	return start != 0 && oci_pid_start(pid) == start;
}

static char *oci_now_rfc3339(void)
{
	struct timespec ts;
	struct tm tm;
	char buf[64], *out;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	if (asprintf(&out, "%s.%09ldZ", buf, ts.tv_nsec) < 0)
		oci_die("out of memory");
	return out;
}

/* Write the file whole or not at all: a reader sees the old one or the new. */
static int oci_write_atomic(const char *path, const char *text)
{
	char tmp[4096 + 8];
	size_t len = strlen(text);
	int fd, r = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		return -errno;
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) < 0)
		r = -(errno ? errno : EIO);
	close(fd);
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0)
		unlink(tmp);
	return r;
}

int oci_state_save(const char *dir, const struct oci_spec *s, const char *id, pid_t pid,
		   const char *cgroup)
{
	cJSON *o = cJSON_CreateObject();
	char *created = oci_now_rfc3339(), *text, path[4096];
	int r;

	cJSON_AddStringToObject(o, "ociVersion", OCI_VERSION);
	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddNumberToObject(o, "pid", pid);
	cJSON_AddNumberToObject(o, "pidStart", (double)oci_pid_start(pid));
	cJSON_AddStringToObject(o, "bundle", s->bundle);
	cJSON_AddStringToObject(o, "rootfs", s->rootfs);
	cJSON_AddStringToObject(o, "created", created);
	cJSON_AddStringToObject(o, "cgroup", cgroup);
	cJSON_AddItemToObject(o, "annotations", s->annotations ?
			      cJSON_Duplicate(s->annotations, true) : cJSON_CreateObject());
	text = cJSON_PrintUnformatted(o);
	if (!text)
		oci_die("out of memory");
	snprintf(path, sizeof(path), "%s/%s", dir, OCI_STATE_FILE);
	r = oci_write_atomic(path, text);
	free(text);
	free(created);
	cJSON_Delete(o);
	return r;
}

static const char *oci_state_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : "";
}

int oci_state_load(struct oci_state *st, const char *id)
{
	char path[4096], buf[1 << 16];
	ssize_t n;
	int fd;

	memset(st, 0, sizeof(*st));
	st->cg.freezer = -1;
	st->id = strdup(id);
	st->dir = oci_state_dir(id);
	snprintf(path, sizeof(path), "%s/%s", st->dir, OCI_STATE_FILE);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	st->doc = cJSON_Parse(buf);
	if (!cJSON_IsObject(st->doc))
		oci_die("%s: damaged state record", path);
	st->pid = (pid_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(st->doc, "pid"));
	st->start = (unsigned long long)cJSON_GetNumberValue(
		cJSON_GetObjectItemCaseSensitive(st->doc, "pidStart"));
	st->bundle = oci_state_str(st->doc, "bundle");
	st->rootfs = oci_state_str(st->doc, "rootfs");
	st->created = oci_state_str(st->doc, "created");
	st->cgroup = oci_state_str(st->doc, "cgroup");
	if (*st->cgroup && oci_cg_open(&st->cg, st->cgroup) < 0)
		oci_log("warning", "%s: cannot find the cgroup hierarchies", st->cgroup);
	return 0;
}

void oci_state_free(struct oci_state *st)
{
	oci_cg_close(&st->cg);
	cJSON_Delete(st->doc);
	free(st->id);
	free(st->dir);
	memset(st, 0, sizeof(*st));
}

enum oci_status oci_status(struct oci_state *st)
{
	char path[4096];

	if (!oci_pid_alive(st->pid, st->start))
		return OCI_STOPPED;
	snprintf(path, sizeof(path), "%s/%s", st->dir, OCI_FIFO_FILE);
	if (access(path, F_OK) == 0)
		return OCI_CREATED;
	return oci_cg_frozen(&st->cg) ? OCI_PAUSED : OCI_RUNNING;
}

const char *oci_status_name(enum oci_status s)
{
	static const char *const names[] = { "created", "running", "paused", "stopped" };

	return names[s];
}

static int oci_rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT ? -1 : 0;
}

/* Remove a tree without crossing into another filesystem mounted in it. */
int oci_rmtree(const char *path)
{
	if (nftw(path, oci_rm_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

int oci_state_remove(struct oci_state *st)
{
	int r = st->cg.n ? oci_cg_destroy(&st->cg) : 0;

	if (r < 0)
		oci_log("warning", "cgroup %s: %s", st->cgroup, strerror(-r));
	return oci_rmtree(st->dir);
}
