/*
 * oci_init.c: the container's first process, between create's fork and
 * the exec of wrun.  Its pid is the one create wrote, and after start it
 * is the wrun broker.  In order:
 *
 *   1. signals back to their defaults, a session of its own, the
 *      container's cgroup (so the jailed child wrun clones is in it too);
 *   2. the terminal from --console-socket, when the engine asked for one;
 *   3. a mount namespace of its own, where ROOT/ID/mnt becomes a small
 *      tmpfs holding the grants: the rootfs (root), each directory bind
 *      mount (v0, v1, ...) and the module (module.wasm);
 *   4. rlimits and umask, then every descriptor closed but stdio;
 *   5. "ready" to create, then a wait for start on ROOT/ID/wrun.fifo;
 *   6. the user and groups of process.user, and exec of wrun with an
 *      empty environment: everything the guest may have is on wrun's
 *      command line.
 *
 * Why the grants are mounts and not just paths: the kernel then enforces
 * what config.json says on every access the broker makes for the guest.
 * Each grant is mounted nodev, nosuid and noexec: an image is untrusted
 * and may carry device nodes (a block device of the host's disk, made when
 * the image was unpacked as root); on a nodev mount opening one fails, so
 * a broker running as root never reads a device for a guest.  A grant
 * mounted "ro", and the rootfs when root.readonly is set, is a read-only
 * mount: writes fail with EROFS whatever wrun's own checks do.  The
 * module is opened inside the rootfs with RESOLVE_IN_ROOT (a symbolic
 * link in the image cannot name a host file) and that very file is
 * bind-mounted, so wrun reads a file of the image and nothing else.  The mounts exist in this
 * process's namespace only (propagation to the host is cut first) and
 * vanish with its last process; on the host ROOT/ID/mnt stays empty.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "oci.h"

static int oci_sync_fd = -1;

/* Tell create what failed (it undoes the rest and reports it), and end. */
static void __attribute__((noreturn, format(printf, 1, 2))) oci_fail(const char *fmt, ...)
{
	char msg[1024] = "-";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg + 1, sizeof(msg) - 1, fmt, ap);
	va_end(ap);
	if (oci_sync_fd < 0 || write(oci_sync_fd, msg, strlen(msg)) < 0)
		fprintf(stderr, "wrun-oci: %s\n", msg + 1);
	_exit(127);
}

/* The engine's dispositions and mask would survive exec: wrun and the
 * guest start from the defaults, and kill works while waiting for start. */
static void oci_reset_signals(void)
{
	sigset_t all;

	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
}

/* A pseudo-terminal: the master goes to the engine through the socket,
 * the slave becomes stdio and the controlling terminal. */
static int oci_console(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC), s = -1, sock;
	char name[128], cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0 || ptsname_r(m, name, sizeof(name)))
		return -errno;
	if ((s = open(name, O_RDWR | O_NOCTTY)) < 0)
		return -errno;
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	if ((sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(sock, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	iov = (struct iovec){ name, strlen(name) };
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &m, sizeof(int));
	if (sendmsg(sock, &mh, 0) < 0)
		return -errno;
	close(sock);
	close(m);
	if (ioctl(s, TIOCSCTTY, 0) < 0 || dup2(s, 0) < 0 || dup2(s, 1) < 0 || dup2(s, 2) < 0)
		return -errno;
	if (s > 2)
		close(s);
	return 0;
}

/* nodev, nosuid, noexec (and read-only) on the mount at path, and on the
 * mounts below it when rec. */
static int oci_lock_mount(const char *path, bool ro, bool rec)
{
	struct mount_attr a = { .attr_set = MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID |
					    MOUNT_ATTR_NOEXEC | (ro ? MOUNT_ATTR_RDONLY : 0) };
	unsigned long fl = MS_REMOUNT | MS_BIND | MS_NODEV | MS_NOSUID | MS_NOEXEC;

	if (syscall(SYS_mount_setattr, AT_FDCWD, path, rec ? AT_RECURSIVE : 0, &a,
		    sizeof(a)) == 0)
		return 0;
	if (errno != ENOSYS)
		return -errno;
	/* Before Linux 5.12: the top mount only. */
	return mount(NULL, path, NULL, fl | (ro ? MS_RDONLY : 0), NULL) < 0 ? -errno : 0;
}

/* Bind src at mnt/name, recursively: what the engine mounted below it
 * (none for podman's or containerd's rootfs) comes along, locked too. */
static void oci_grant(const char *mnt, const char *name, const char *src, bool ro)
{
	char path[4096];
	int r;

	snprintf(path, sizeof(path), "%s/%s", mnt, name);
	if (mkdir(path, 0755) < 0)
		oci_fail("%s: %s", path, strerror(errno));
	if (mount(src, path, NULL, MS_BIND | MS_REC, NULL) < 0)
		oci_fail("bind mount of %s: %s", src, strerror(errno));
	if ((r = oci_lock_mount(path, ro, true)) < 0)
		oci_fail("locking the mount of %s: %s", src, strerror(-r));
}

static void oci_stage(const struct oci_init *in, const char *mnt)
{
	const struct oci_spec *s = in->s;
	char name[32], fdpath[64], path[4096 + 16];
	int fd, r;

	if (unshare(CLONE_NEWNS) < 0)
		oci_fail("cannot make a mount namespace: %s", strerror(errno));
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		oci_fail("cannot cut mount propagation: %s", strerror(errno));
	if (mount("wrun-oci", mnt, "tmpfs", MS_NODEV | MS_NOSUID | MS_NOEXEC,
		  "mode=0755,size=64k") < 0)
		oci_fail("tmpfs on %s: %s", mnt, strerror(errno));
	oci_grant(mnt, "root", s->rootfs, s->root_ro);
	for (size_t i = 0; i < s->nmounts; i++) {
		snprintf(name, sizeof(name), "v%zu", i);
		oci_grant(mnt, name, s->mounts[i].source, s->mounts[i].ro);
	}
	/* The module again, now through this namespace's mount of the rootfs
	 * (a mount of the old namespace cannot be bound here). */
	snprintf(path, sizeof(path), "%s/root", mnt);
	if ((fd = oci_open_beneath(path, s->module, false)) < 0)
		oci_fail("%s: %s in the container", s->args[0], oci_open_error(fd));
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	snprintf(path, sizeof(path), "%s/module.wasm", mnt);
	if ((r = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0 || close(r) < 0 ||
	    mount(fdpath, path, NULL, MS_BIND, NULL) < 0 || oci_lock_mount(path, true, false) < 0)
		oci_fail("cannot place the module: %s", strerror(errno));
	close(fd);
	if (mount(NULL, mnt, NULL, MS_REMOUNT | MS_RDONLY | MS_NODEV | MS_NOSUID | MS_NOEXEC,
		  "mode=0755,size=64k") < 0)
		oci_fail("cannot seal %s: %s", mnt, strerror(errno));
}

static void oci_limits(const struct oci_spec *s)
{
	for (size_t i = 0; i < s->nrlimits; i++) {
		struct rlimit rl = { s->rlimits[i].soft, s->rlimits[i].hard };

		if (setrlimit(s->rlimits[i].resource, &rl) < 0)
			oci_fail("process.rlimits: cannot set resource %d to %llu/%llu: %s",
				 s->rlimits[i].resource, (unsigned long long)rl.rlim_cur,
				 (unsigned long long)rl.rlim_max, strerror(errno));
	}
	umask(s->umask >= 0 ? (mode_t)s->umask : 022);
}

/* Close every descriptor but stdio and the two still needed (a, b >= 3). */
static void oci_close_fds(int a, int b)
{
	unsigned lo = (unsigned)(a < b ? a : b), hi = (unsigned)(a < b ? b : a);

	if (lo > 3)
		syscall(SYS_close_range, 3u, lo - 1, 0);
	if (hi > lo + 1)
		syscall(SYS_close_range, lo + 1, hi - 1, 0);
	syscall(SYS_close_range, hi + 1, ~0U, 0);
}

/* Block until start opens the fifo, and give it a byte. */
static void oci_wait_start(const char *dir)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, OCI_FIFO_FILE);
	while ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0 && errno == EINTR)
		;
	if (fd < 0 || write(fd, "0", 1) != 1)
		oci_fail("waiting for start: %s", strerror(errno));
	close(fd);
}

/* process.user: only root may change who it is (a rootless engine's
 * runtime stays the user it is). */
static void oci_drop_user(const struct oci_spec *s)
{
	if (geteuid() != 0)
		return;
	if (setgroups(s->ngids, s->gids) < 0 || setgid(s->gid) < 0 || setuid(s->uid) < 0)
		oci_fail("process.user %u:%u: %s", (unsigned)s->uid, (unsigned)s->gid,
			 strerror(errno));
}

void oci_init_main(const struct oci_init *in)
{
	char mnt[4096], **argv;
	char *envp[] = { NULL };
	int r;

	oci_sync_fd = in->sync_fd;
	oci_reset_signals();
	if (setsid() < 0)
		oci_fail("setsid: %s", strerror(errno));
	if ((r = oci_cg_join(in->cg, getpid())) < 0)
		oci_fail("joining cgroup %s: %s", in->cg->path, strerror(-r));
	if (in->console && (r = oci_console(in->console)) < 0)
		oci_fail("--console-socket %s: %s", in->console, strerror(-r));
	snprintf(mnt, sizeof(mnt), "%s/%s", in->dir, OCI_MNT_DIR);
	oci_stage(in, mnt);
	oci_limits(in->s);
	argv = oci_wrun_argv(in->s);
	if (chdir(mnt) < 0)
		oci_fail("%s: %s", mnt, strerror(errno));
	oci_close_fds(in->sync_fd, in->wrun_fd);
	if (write(in->sync_fd, "+", 1) != 1)
		_exit(127);
	close(in->sync_fd);
	oci_sync_fd = -1;
	oci_wait_start(in->dir);
	oci_drop_user(in->s);
	syscall(SYS_execveat, in->wrun_fd, "", argv, envp, AT_EMPTY_PATH);
	oci_fail("cannot run wrun: %s", strerror(errno));
}

/* Append one string to a NULL-terminated heap vector. */
static void oci_push(char ***v, size_t *n, char *s)
{
	char **p = realloc(*v, (*n + 2) * sizeof(**v));

	if (!p || !s)
		oci_fail("out of memory");
	p[(*n)++] = s;
	p[*n] = NULL;
	*v = p;
}

static char *oci_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *oci_fmt(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	return r < 0 ? NULL : s;
}

/*
 * Linear memory under linux.resources.memory.limit.  The cgroup's limit
 * covers the broker and the jailed child too (about 1.3 MiB for a small
 * module, measured; the module's bytes and its compiled code grow with
 * it), so linear memory gets the limit less 8 MiB and four times the
 * module's size, and never less than half the limit: a guest that wants
 * more sees memory.grow fail (malloc returns NULL) instead of the kernel
 * killing the container for memory.
 */
static uint64_t oci_linear_max(const struct oci_spec *s)
{
	uint64_t limit = (uint64_t)s->mem_limit, reserve = (8u << 20) + 4 * s->module_size;

	if (reserve > limit / 2)
		reserve = limit / 2;
	return limit - reserve;
}

/*
 * wrun's command line, run from ROOT/ID/mnt: the grants by their names
 * there, the environment (only NAME=VALUE entries: a bare NAME would ask
 * wrun for its own value, and wrun's environment is empty anyway), PWD for
 * the working directory (WASI preview1 has none; wasi-libc starts at "/",
 * and programs and language runtimes that honour a working directory read
 * PWD), and the memory limit.
 */
char **oci_wrun_argv(const struct oci_spec *s)
{
	char **v = NULL;
	size_t n = 0;
	bool pwd = false;

	oci_push(&v, &n, "wrun");
	oci_push(&v, &n, "--sandbox=full");
	oci_push(&v, &n, oci_fmt("--argv0=%s", s->args[0]));
	oci_push(&v, &n, "--dir=root::/");
	for (size_t i = 0; i < s->nmounts; i++)
		if (strcmp(s->mounts[i].dest, "/") != 0)
			oci_push(&v, &n, oci_fmt("--dir=v%zu::%s", i, s->mounts[i].dest));
	for (size_t i = 0; i < s->nenv; i++) {
		if (!strchr(s->env[i], '=') || s->env[i][0] == '=')
			continue;
		pwd = pwd || strncmp(s->env[i], "PWD=", 4) == 0;
		oci_push(&v, &n, oci_fmt("--env=%s", s->env[i]));
	}
	if (!pwd)
		oci_push(&v, &n, oci_fmt("--env=PWD=%s", s->cwd));
	if (s->mem_limit > 0)
		oci_push(&v, &n, oci_fmt("--max-memory=%llu", (unsigned long long)oci_linear_max(s)));
	oci_push(&v, &n, "--");
	oci_push(&v, &n, "module.wasm");
	for (size_t i = 1; i < s->nargs; i++)
		oci_push(&v, &n, s->args[i]);
	return v;
}
