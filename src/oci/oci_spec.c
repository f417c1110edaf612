/*
 * oci_spec.c: the bundle's config.json, read into what a wasm container
 * needs.  Only what wrun can honour is kept: the module and its arguments,
 * the environment, the working directory, the rootfs and the directory
 * bind mounts (the grants), rlimits, the user, and the cgroup with its
 * memory, pids and cpu limits.  The rest (namespaces, capabilities,
 * seccomp, devices, hooks) describes a Linux process; wrun's jail replaces
 * it for a wasm guest (wrun-oci(8) lists what is ignored).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "oci.h"

static const struct { const char *name; int res; } oci_rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS }, { "RLIMIT_CORE", RLIMIT_CORE },
	{ "RLIMIT_CPU", RLIMIT_CPU }, { "RLIMIT_DATA", RLIMIT_DATA },
	{ "RLIMIT_FSIZE", RLIMIT_FSIZE }, { "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "RLIMIT_NICE", RLIMIT_NICE }, { "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_NPROC", RLIMIT_NPROC }, { "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO }, { "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING }, { "RLIMIT_STACK", RLIMIT_STACK },
};

/* A JSON number as an unsigned 64-bit value: negatives are 0, anything at
 * or above 2^64 (a double cannot say UINT64_MAX exactly) is UINT64_MAX. */
static uint64_t oci_json_u64(const cJSON *n)
{
	if (!cJSON_IsNumber(n) || n->valuedouble <= 0)
		return 0;
	if (n->valuedouble >= 18446744073709551615.0)
		return UINT64_MAX;
	return (uint64_t)n->valuedouble;
}

/* The same, signed: -1 and other negatives (unlimited) are 0. */
static int64_t oci_json_i64(const cJSON *n)
{
	if (!cJSON_IsNumber(n) || n->valuedouble <= 0)
		return 0;
	if (n->valuedouble >= 9223372036854775807.0)
		return INT64_MAX;
	return (int64_t)n->valuedouble;
}

static const char *oci_json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *oci_json_path(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);

	return b ? cJSON_GetObjectItemCaseSensitive(v, b) : v;
}

/* An array of strings as a NULL-terminated vector pointing into the doc. */
static char **oci_json_strv(const cJSON *arr, size_t *n, const char *what)
{
	size_t len = (size_t)cJSON_GetArraySize(arr), i = 0;
	char **v = calloc(len + 1, sizeof(*v));
	const cJSON *e;

	if (!v)
		oci_die("out of memory");
	cJSON_ArrayForEach(e, arr) {
		if (!cJSON_IsString(e))
			oci_die("config.json: %s: every entry must be a string", what);
		v[i++] = e->valuestring;
	}
	*n = i;
	return v;
}

static void oci_spec_rlimits(struct oci_spec *s, const cJSON *arr)
{
	const cJSON *e;

	s->rlimits = calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*s->rlimits));
	if (!s->rlimits)
		oci_die("out of memory");
	cJSON_ArrayForEach(e, arr) {
		const char *type = oci_json_str(e, "type");
		size_t k;

		for (k = 0; type && k < sizeof(oci_rlimit_names) / sizeof(oci_rlimit_names[0]); k++)
			if (strcmp(type, oci_rlimit_names[k].name) == 0)
				break;
		if (!type || k == sizeof(oci_rlimit_names) / sizeof(oci_rlimit_names[0]))
			oci_die("config.json: process.rlimits: unknown type '%s'", type ? type : "");
		s->rlimits[s->nrlimits++] = (struct oci_rlimit){
			oci_rlimit_names[k].res, oci_json_u64(oci_json_path(e, "soft", NULL)),
			oci_json_u64(oci_json_path(e, "hard", NULL)) };
	}
}

static void oci_spec_process(struct oci_spec *s, const cJSON *p)
{
	const cJSON *user = oci_json_path(p, "user", NULL), *g, *um;

	if (!cJSON_IsObject(p))
		oci_die("config.json: no process");
	s->args = oci_json_strv(oci_json_path(p, "args", NULL), &s->nargs, "process.args");
	if (s->nargs == 0 || !*s->args[0])
		oci_die("config.json: process.args is empty");
	s->env = oci_json_strv(oci_json_path(p, "env", NULL), &s->nenv, "process.env");
	s->cwd = oci_json_str(p, "cwd");
	if (!s->cwd || !*s->cwd)
		s->cwd = "/";
	if (s->cwd[0] != '/')
		oci_die("config.json: process.cwd '%s' is not absolute", s->cwd);
	s->terminal = cJSON_IsTrue(oci_json_path(p, "terminal", NULL));
	s->uid = (uid_t)oci_json_u64(oci_json_path(user, "uid", NULL));
	s->gid = (gid_t)oci_json_u64(oci_json_path(user, "gid", NULL));
	um = oci_json_path(user, "umask", NULL);
	s->umask = cJSON_IsNumber(um) ? (int)(oci_json_u64(um) & 0777) : -1;
	s->gids = calloc((size_t)cJSON_GetArraySize(oci_json_path(user, "additionalGids", NULL)) + 1,
			 sizeof(*s->gids));
	if (!s->gids)
		oci_die("out of memory");
	cJSON_ArrayForEach(g, oci_json_path(user, "additionalGids", NULL))
		s->gids[s->ngids++] = (gid_t)oci_json_u64(g);
	oci_spec_rlimits(s, oci_json_path(p, "rlimits", NULL));
}

static bool oci_has_option(const cJSON *m, const char *opt)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, oci_json_path(m, "options", NULL))
		if (cJSON_IsString(o) && strcmp(o->valuestring, opt) == 0)
			return true;
	return false;
}

/*
 * The bind mounts of directories become grants.  Sources are host paths
 * the engine chose (a volume, a secret): the engine is trusted with them
 * as it is with runc.  Files (/etc/hosts, /etc/resolv.conf) and the
 * kernel's filesystems (proc, sysfs, devpts...) have no WASI equivalent.
 */
static void oci_spec_mounts(struct oci_spec *s, const cJSON *arr)
{
	const cJSON *m;

	s->mounts = calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*s->mounts));
	if (!s->mounts)
		oci_die("out of memory");
	cJSON_ArrayForEach(m, arr) {
		const char *type = oci_json_str(m, "type"), *src = oci_json_str(m, "source");
		const char *dst = oci_json_str(m, "destination");
		bool bind = (type && strcmp(type, "bind") == 0) || oci_has_option(m, "bind") ||
			    oci_has_option(m, "rbind");
		struct stat st;

		if (!bind || !src || !dst || src[0] != '/' || dst[0] != '/')
			continue;
		if (stat(src, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		s->mounts[s->nmounts++] = (struct oci_mount){ src, dst, oci_has_option(m, "ro") };
	}
}

static void oci_spec_linux(struct oci_spec *s, const cJSON *lx)
{
	const cJSON *res = oci_json_path(lx, "resources", NULL);

	s->mem_limit = oci_json_i64(oci_json_path(oci_json_path(res, "memory", NULL), "limit", NULL));
	s->pids_limit = oci_json_i64(oci_json_path(oci_json_path(res, "pids", NULL), "limit", NULL));
	s->cpu_quota = oci_json_i64(oci_json_path(oci_json_path(res, "cpu", NULL), "quota", NULL));
	s->cpu_period = oci_json_u64(oci_json_path(oci_json_path(res, "cpu", NULL), "period", NULL));
	s->cpu_shares = oci_json_u64(oci_json_path(oci_json_path(res, "cpu", NULL), "shares", NULL));
	s->cgroups_path = oci_json_str(lx, "cgroupsPath");
	if (s->cgroups_path && !*s->cgroups_path)
		s->cgroups_path = NULL;
}

/*
 * The image is untrusted: a path in it is resolved as if its root were /
 * (no symbolic link leads out), first as an O_PATH descriptor, which opens
 * nothing.  Only a regular file is then opened for reading, through that
 * descriptor (the same inode, not the path again): a device node, which
 * an image can carry and whose open alone can act (a watchdog, a tape),
 * and a FIFO, which would block, are never opened.
 */
int oci_open_beneath(const char *root, const char *path, bool dir)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC | (dir ? O_DIRECTORY : 0),
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC), fd, r;
	char self[64];
	struct stat st;

	if (rootfd < 0)
		return -errno;
	fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	r = fd < 0 ? -errno : 0;
	close(rootfd);
	if (r < 0 || dir)
		return r < 0 ? r : fd;
	if (fstat(fd, &st) < 0)
		r = -errno;
	else if (!S_ISREG(st.st_mode))
		r = -EINVAL;
	if (r < 0) {
		close(fd);
		return r;
	}
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	r = open(self, O_RDONLY | O_CLOEXEC);
	r = r < 0 ? -errno : r;
	close(fd);
	return r;
}

const char *oci_open_error(int r)
{
	return r == -EINVAL ? "not a regular file" : strerror(-r);
}

/* process.args[0] inside the rootfs: absolute, or relative to cwd. */
static char *oci_module_path(const struct oci_spec *s)
{
	char *p;

	if (s->args[0][0] == '/')
		p = strdup(s->args[0]);
	else if (asprintf(&p, "%s/%s", s->cwd, s->args[0]) < 0)
		p = NULL;
	if (!p)
		oci_die("out of memory");
	return p;
}

/*
 * Is this a wasm container?  The annotations crun reads say so
 * (run.oci.handler: wasm; module.wasm.image/variant: compat, or
 * compat-smart when the file is wasm), and so does a module file: a
 * ".wasm" name or the magic bytes.  A container that asked for wasm must
 * have a module; one that did not is left to runc or crun.
 */
static void oci_spec_kind(struct oci_spec *s)
{
	const char *h = oci_json_str(s->annotations, "run.oci.handler");
	const char *v = oci_json_str(s->annotations, "module.wasm.image/variant");
	bool asked = (h && strcmp(h, "wasm") == 0) || (v && strcmp(v, "compat") == 0);
	size_t n = strlen(s->args[0]);
	char magic[4];
	int fd = oci_open_beneath(s->rootfs, s->module = oci_module_path(s), false);
	bool is_wasm = fd >= 0 && pread(fd, magic, 4, 0) == 4 && memcmp(magic, "\0asm", 4) == 0;
	struct stat st;

	if (is_wasm && fstat(fd, &st) == 0)
		s->module_size = (uint64_t)st.st_size;

	asked = asked || (n > 5 && strcmp(s->args[0] + n - 5, ".wasm") == 0);
	if (fd >= 0)
		close(fd);
	if (asked && !is_wasm)
		oci_die("%s: %s in the container", s->args[0],
			fd < 0 ? oci_open_error(fd) : "not a WebAssembly module");
	s->wasm = is_wasm;
}

static char *oci_read_all(const char *path, size_t max)
{
	FILE *f = fopen(path, "re");
	char *buf = malloc(max + 1);
	size_t n;

	if (!f || !buf)
		oci_die("%s: %s", path, strerror(errno));
	n = fread(buf, 1, max + 1, f);
	if (ferror(f) || n > max)
		oci_die("%s: %s", path, ferror(f) ? strerror(errno) : "too large");
	fclose(f);
	buf[n] = 0;
	return buf;
}

void oci_spec_load(struct oci_spec *s, const char *bundle)
{
	char *path, *text, rp[PATH_MAX];
	const char *root;

	memset(s, 0, sizeof(*s));
	if (!realpath(bundle, rp))
		oci_die("bundle %s: %s", bundle, strerror(errno));
	if (!(s->bundle = strdup(rp)) || asprintf(&path, "%s/config.json", rp) < 0)
		oci_die("out of memory");
	text = oci_read_all(path, 16u << 20);
	s->doc = cJSON_Parse(text);
	free(text);
	if (!cJSON_IsObject(s->doc))
		oci_die("%s: not a JSON object", path);
	free(path);
	root = oci_json_str(oci_json_path(s->doc, "root", NULL), "path");
	if (!root)
		oci_die("config.json: no root.path");
	if (asprintf(&path, "%s/%s", root[0] == '/' ? "" : s->bundle, root) < 0)
		oci_die("out of memory");
	if (!realpath(path, rp) || !(s->rootfs = strdup(rp)))
		oci_die("rootfs %s: %s", path, strerror(errno));
	free(path);
	s->root_ro = cJSON_IsTrue(oci_json_path(s->doc, "root", "readonly"));
	s->annotations = (cJSON *)oci_json_path(s->doc, "annotations", NULL);
	oci_spec_process(s, oci_json_path(s->doc, "process", NULL));
	oci_spec_mounts(s, oci_json_path(s->doc, "mounts", NULL));
	oci_spec_linux(s, oci_json_path(s->doc, "linux", NULL));
	oci_spec_kind(s);
}

void oci_spec_free(struct oci_spec *s)
{
	free(s->args);
	free(s->env);
	free(s->gids);
	free(s->mounts);
	free(s->rlimits);
	free(s->bundle);
	free(s->rootfs);
	free(s->module);
	cJSON_Delete(s->doc);
	memset(s, 0, sizeof(*s));
}
