/*
 * jail.c: the broker's half of the jail.
 *
 * jail_spawn() starts the child with clone (new namespaces at the full
 * level), writes its id maps, and lets it re-execute wrun's own image with
 * an empty environment.  Between clone and execveat the child runs in the
 * broker's memory (see jail_pre_exec), so that stretch uses raw system
 * calls only (no malloc, no locks, no stdio, no errno).  jail_wait_ready() reads the child's
 * setup report and turns it into one line for the user.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jail.h"
#include "jail_proto.h"
#include "sbx.h"

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

#define JAIL_NS_FLAGS (CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET |	\
		       CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS |	\
		       CLONE_NEWCGROUP)

/* Host ids used when the broker runs as root: the overflow id "nobody". */
#define JAIL_NOBODY 65534

/* How long a child may take to confine itself before it counts as hung. */
#define JAIL_SETUP_MS 10000

/* Sync bytes: may the child drop supplementary groups, or were they denied. */
#define JAIL_GO_GROUPS	'g'
#define JAIL_GO_NOGROUPS 'n'

static const char *const jail_step_names[JAIL_STEP_COUNT] = {
#define JAIL_STEP_NAME(id, text) [JAIL_STEP_##id] = text,
	JAIL_STEPS(JAIL_STEP_NAME)
#undef JAIL_STEP_NAME
};

/* The text of a step for messages; never NULL, even for garbage input. */
const char *jail_step_name(enum jail_step step)
{
	if ((unsigned)step >= JAIL_STEP_COUNT)
		return "unknown step";
	return jail_step_names[step];
}

/* The command-line spelling of a level. */
const char *jail_level_name(enum jail_level level)
{
	switch (level) {
	case JAIL_NONE:
		return "none";
	case JAIL_SECCOMP:
		return "seccomp";
	case JAIL_FULL:
		return "full";
	}
	return "?";
}

/* Parse a level as spelled on the command line: 0 or -EINVAL. */
int jail_level_parse(const char *s, enum jail_level *out)
{
	static const enum jail_level all[] = { JAIL_NONE, JAIL_SECCOMP, JAIL_FULL };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (strcmp(s, jail_level_name(all[i])) == 0) {
			*out = all[i];
			return 0;
		}
	}
	return -EINVAL;
}

/*
 * Open wrun's own executable, before anything else can change what
 * /proc/self/exe resolves to (a mount, a chroot, the file being replaced).
 * O_PATH is enough for execveat and grants no read or write.
 */
int jail_open_self(void)
{
	int fd = open("/proc/self/exe", O_PATH | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/*
 * Did this failure come from the host refusing user namespaces?  clone
 * says so with EPERM (a sysctl or LSM), ENOSPC or EUSERS (a zero limit) or
 * EINVAL (no CONFIG_USER_NS); a namespace without the usual powers (an LSM
 * profile) shows up as EPERM/EACCES when writing maps or mounting.
 */
static bool jail_userns_refused(enum jail_level level, enum jail_step step, int err)
{
	if (level != JAIL_FULL)
		return false;
	if (step == JAIL_STEP_CLONE)
		return err == EPERM || err == ENOSPC || err == EUSERS || err == EINVAL;
	if (step == JAIL_STEP_IDMAP ||
	    (step >= JAIL_STEP_MOUNT_PRIVATE && step <= JAIL_STEP_RDONLY))
		return err == EPERM || err == EACCES;
	return false;
}

/* Fill e and return -err: the one place that words every failure. */
static int jail_fail(struct jail_err *e, enum jail_level level,
		     enum jail_step step, int err)
{
	e->step = step;
	e->err = err;
	e->userns_refused = jail_userns_refused(level, step, err);
	snprintf(e->msg, sizeof(e->msg), "sandbox: %s failed: %s%s",
		 jail_step_name(step), err ? strerror(err) : "child died",
		 e->userns_refused ? " (user namespaces refused by this host)" : "");
	return err ? -err : -ECHILD;
}

/* What the child becomes before it re-executes (chosen by the broker). */
struct jail_ids {
	uid_t uid;		/* full: host id mapped to 0; seccomp: id to take */
	gid_t gid;
	bool change;		/* seccomp: switch to uid/gid at all */
	bool groups;		/* may (and so must) drop supplementary groups */
};

/*
 * Is id inside one of the ranges of /proc/self/uid_map or gid_map (file)?
 * Each line is "inside outside count"; a short or odd file means no.
 */
static bool jail_id_mapped(const char *file, unsigned long id)
{
	char path[32], buf[4096];
	_cleanup_fd_ int fd = -1;
	unsigned long in, out, count;
	ssize_t n;
	int used;

	snprintf(path, sizeof(path), "/proc/self/%s", file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || (n = SBX_RETRY(read(fd, buf, sizeof(buf) - 1))) <= 0)
		return false;
	buf[n] = 0;
	for (char *p = buf; sscanf(p, "%lu %lu %lu%n", &in, &out, &count, &used) == 3;
	     p += used)
		if (id >= in && id - in < count)
			return true;
	return false;
}

/*
 * May this process drop its supplementary groups?  Only with CAP_SETGID
 * (root here), and only if its user namespace did not deny setgroups
 * (a nested namespace made by an unprivileged user does); no file means
 * the initial namespace, where it is always allowed.
 */
static bool jail_may_setgroups(void)
{
	_cleanup_fd_ int fd = -1;
	char buf[8] = { 0 };

	if (geteuid() != 0)
		return false;
	fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;
	return SBX_RETRY(read(fd, buf, sizeof(buf) - 1)) > 0 && strncmp(buf, "allow", 5) == 0;
}

/*
 * The ids the child runs as on the host.  An unprivileged broker can map
 * only its own ids.  A root broker maps the child to the overflow id
 * 65534 instead, so that a child escaping every other layer would still
 * hold no file or process owned by root; it is not dumpable, so other
 * processes running as 65534 cannot trace it.  Root inside a namespace
 * that does not map 65534 (unshare --map-root-user) has no other id to
 * give: the child keeps that root id, loses every capability all the same
 * and may open nothing under its filter, so the id buys it nothing a
 * filter escape would not already give.  Switching to an unmapped id
 * would only fail.
 */
static void jail_pick_ids(const struct jail_opts *o, struct jail_ids *ids)
{
	bool nobody = geteuid() == 0 && jail_id_mapped("uid_map", JAIL_NOBODY) &&
		      jail_id_mapped("gid_map", JAIL_NOBODY);

	ids->uid = o->outside_uid;
	ids->gid = o->outside_gid;
	ids->change = o->outside_uid != (uid_t)-1 || nobody;
	ids->groups = jail_may_setgroups();
	if (ids->uid == (uid_t)-1)
		ids->uid = nobody ? JAIL_NOBODY : geteuid();
	if (ids->gid == (gid_t)-1)
		ids->gid = nobody ? JAIL_NOBODY : getegid();
}

/* Write text into /proc/PID/name; 0 or -errno. */
static int jail_write_proc(pid_t pid, const char *name, const char *text)
{
	char path[64];
	_cleanup_fd_ int fd = -1;
	size_t len = strlen(text);
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = SBX_RETRY(write(fd, text, len));
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

/*
 * Map id 0 inside the new user namespace to one host id, for both uid
 * and gid.  Only a broker that may drop groups itself leaves setgroups
 * allowed (and then the child drops its supplementary groups); any other
 * must deny it first.  The child is blocked on the sync pipe, so pid
 * cannot be reused here.  Returns the sync byte to send, or -errno.
 */
static int jail_write_maps(pid_t pid, const struct jail_ids *ids)
{
	char map[64];
	int r;

	if (!ids->groups) {
		r = jail_write_proc(pid, "setgroups", "deny");
		if (r < 0 && r != -ENOENT)
			return r;
	}
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)ids->uid);
	r = jail_write_proc(pid, "uid_map", map);
	if (r < 0)
		return r;
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)ids->gid);
	r = jail_write_proc(pid, "gid_map", map);
	return r < 0 ? r : ids->groups ? JAIL_GO_GROUPS : JAIL_GO_NOGROUPS;
}

/*
 * The stretch between clone and execveat.  On x86-64 and arm64 the child
 * shares the broker's memory then (CLONE_VM, as posix_spawn does): nothing
 * is copied, so neither side pays a copy-on-write fault for every page it
 * touches afterwards, which on the measured machine cost about 2 ms per
 * start-up.  The price is discipline: the child runs on its own stack,
 * reads only its own boot block (struct jail_boot, copied before clone),
 * makes raw system calls that leave errno (the broker's) alone, and runs
 * with every signal blocked until the exec.  Elsewhere the child gets the
 * usual copy, and the same code runs.
 */
#if defined(__x86_64__)
#define JAIL_SHARE_VM CLONE_VM
static inline long jail_sys(long n, long a, long b, long c, long d, long e)
{
	register long r10 __asm__("r10") = d, r8 __asm__("r8") = e;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}
#elif defined(__aarch64__)
#define JAIL_SHARE_VM CLONE_VM
static inline long jail_sys(long n, long a, long b, long c, long d, long e)
{
	register long x8 __asm__("x8") = n, x0 __asm__("x0") = a, x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c, x3 __asm__("x3") = d, x4 __asm__("x4") = e;

	__asm__ volatile("svc 0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4)
			 : "memory");
	return x0;
}
#else
#define JAIL_SHARE_VM 0
static inline long jail_sys(long n, long a, long b, long c, long d, long e)
{
	long r = syscall(n, a, b, c, d, e);

	return r < 0 ? -errno : r;
}
#endif

#define JAIL_SYS(n, a, b, c, d, e) \
	jail_sys((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e))

/* Bounds of what the boot block carries. */
#define JAIL_MAX_ARGV	8
#define JAIL_ARGV_BYTES	512
#define JAIL_STACK_SIZE	(64 * 1024)

/* Everything the pre-exec child reads, in memory only it uses. */
struct jail_boot {
	enum jail_level level;
	struct jail_ids ids;
	int sync_rd, rep, exe;
	int nkeep, keep[JAIL_MAX_KEEP];
	sigset_t mask;			/* the broker's, restored for the exec */
	char *argv[JAIL_MAX_ARGV + 1];
	char *envp[1];
	char strings[JAIL_ARGV_BYTES];
};

/* Pre-exec: report a failed step on fd and end this process. */
static _Noreturn void jail_die_early(int fd, enum jail_step step, int err)
{
	struct jail_report r = { JAIL_REPORT_MAGIC, step, err, 0 };

	JAIL_SYS(SYS_write, fd, &r, sizeof(r), 0, 0);
	for (;;)
		JAIL_SYS(SYS_exit, JAIL_EXIT_SETUP, 0, 0, 0, 0);
}

/*
 * Pre-exec: become the ids the broker chose.  At the full level the maps
 * are written, so id 0 here is the mapped host id.  At the seccomp level a
 * root broker's child becomes the overflow id when this namespace maps it,
 * so that it never runs as host root; its bounding set is emptied first
 * while it still may.  The supplementary groups are dropped where the
 * broker may (root's); elsewhere setgroups was denied and they stay.
 * Returns 0 or -errno.
 */
static long jail_set_ids(enum jail_level level, int go, const struct jail_ids *ids)
{
	uid_t uid = ids->uid;
	gid_t gid = ids->gid;
	long r;

	if (level == JAIL_FULL) {
		uid = 0;
		gid = 0;
	} else if (JAIL_SYS(SYS_geteuid, 0, 0, 0, 0, 0) != 0) {
		return 0;
	} else {
		/* Raw calls, not libcap: this child shares the broker's memory
		 * and must not allocate or touch libc state (jail_caps_drop is
		 * the libcap path, for whole processes). */
		for (long cap = 0; cap < 64; cap++) {
			r = JAIL_SYS(SYS_prctl, PR_CAPBSET_DROP, cap, 0, 0, 0);
			if (r < 0 && r != -EINVAL)
				return r;
		}
		if (!ids->change)
			return 0;
	}
	if (go == JAIL_GO_GROUPS && (r = JAIL_SYS(SYS_setgroups, 0, NULL, 0, 0, 0)) < 0)
		return r;
	if ((r = JAIL_SYS(SYS_setresgid, gid, gid, gid, 0, 0)) < 0)
		return r;
	r = JAIL_SYS(SYS_setresuid, uid, uid, uid, 0, 0);
	return r < 0 ? r : 0;
}

/*
 * Pre-exec: put the report pipe at JAIL_FD_REPORT and the kept descriptors
 * at JAIL_FD_FIRST.. .  All sources are first copied above the target
 * range, so that no dup3 overwrites a source not yet moved (and none is
 * its own target); every other descriptor is closed on exec, fds 0 and 1
 * right now.  Returns the new number of the executable's descriptor, or
 * -errno.
 */
static long jail_place_fds(const struct jail_boot *bt)
{
	const long high = JAIL_FD_FIRST + JAIL_MAX_KEEP;
	long rep, exe, tmp[JAIL_MAX_KEEP], r;

	rep = JAIL_SYS(SYS_fcntl, bt->rep, F_DUPFD_CLOEXEC, high, 0, 0);
	exe = JAIL_SYS(SYS_fcntl, bt->exe, F_DUPFD_CLOEXEC, high, 0, 0);
	if (rep < 0 || exe < 0)
		return rep < 0 ? rep : exe;
	for (int i = 0; i < bt->nkeep; i++) {
		tmp[i] = JAIL_SYS(SYS_fcntl, bt->keep[i], F_DUPFD_CLOEXEC, high, 0, 0);
		if (tmp[i] < 0)
			return tmp[i];
	}
	if ((r = JAIL_SYS(SYS_dup3, rep, JAIL_FD_REPORT, 0, 0, 0)) < 0)
		return r;
	for (int i = 0; i < bt->nkeep; i++)
		if ((r = JAIL_SYS(SYS_dup3, tmp[i], JAIL_FD_FIRST + i, 0, 0, 0)) < 0)
			return r;
	if ((r = JAIL_SYS(SYS_close_range, 0, 1, 0, 0, 0)) < 0 ||
	    (r = JAIL_SYS(SYS_close_range, JAIL_FD_FIRST + bt->nkeep, ~0U,
			  CLOSE_RANGE_CLOEXEC, 0, 0)) < 0)
		return r;
	return exe;
}

/*
 * The child between clone and execveat (see above: raw calls only, boot
 * block only).  It waits until the broker has written its id maps, takes
 * those ids, arranges its descriptors, restores the signal mask and
 * re-executes wrun with an empty environment.
 */
static int jail_pre_exec(void *arg)
{
	const struct jail_boot *bt = arg;
	char go = 0;
	long r, exe;

	do
		r = JAIL_SYS(SYS_read, bt->sync_rd, &go, 1, 0, 0);
	while (r == -EINTR);
	if (r != 1)
		jail_die_early(bt->rep, JAIL_STEP_SYNC, r < 0 ? (int)-r : EPIPE);
	r = jail_set_ids(bt->level, go, &bt->ids);
	if (r < 0)
		jail_die_early(bt->rep, JAIL_STEP_SETID, (int)-r);
	exe = jail_place_fds(bt);
	if (exe < 0)
		jail_die_early(bt->rep, JAIL_STEP_FDS, (int)-exe);
	JAIL_SYS(SYS_rt_sigprocmask, SIG_SETMASK, &bt->mask, NULL, _NSIG / 8, 0);
	r = jail_sys(SYS_execveat, exe, (long)"", (long)bt->argv, (long)bt->envp,
		     AT_EMPTY_PATH);
	jail_die_early(JAIL_FD_REPORT, JAIL_STEP_EXEC, (int)-r);
}

/* Unmap a boot block and the child's stack with it. */
static void jail_boot_unmap(struct jail_boot *bt)
{
	munmap(bt, sizeof(*bt) + JAIL_STACK_SIZE);
}

/*
 * Map a boot block with the child's stack above it and fill it from o;
 * NULL (errno set) if it cannot be mapped or o does not fit.
 */
static struct jail_boot *jail_boot_new(const struct jail_opts *o, const struct jail_ids *ids,
				       const int keep[], int nkeep, int sync_rd, int rep)
{
	struct jail_boot *bt = mmap(NULL, sizeof(*bt) + JAIL_STACK_SIZE,
				    PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	size_t used = 0;
	int i;

	if (bt == MAP_FAILED)
		return NULL;
	*bt = (struct jail_boot){ .level = o->level, .ids = *ids, .sync_rd = sync_rd,
				  .rep = rep, .exe = o->exe_fd, .nkeep = nkeep };
	memcpy(bt->keep, keep, (size_t)nkeep * sizeof(keep[0]));
	for (i = 0; o->argv[i]; i++) {
		size_t len = strlen(o->argv[i]) + 1;

		if (i == JAIL_MAX_ARGV || len > sizeof(bt->strings) - used) {
			jail_boot_unmap(bt);
			errno = E2BIG;
			return NULL;
		}
		bt->argv[i] = memcpy(bt->strings + used, o->argv[i], len);
		used += len;
	}
	bt->argv[i] = NULL;
	bt->envp[0] = NULL;
	return bt;
}

static void jail_boot_free(struct jail_child *c)
{
	if (c->boot)
		jail_boot_unmap(c->boot);
	c->boot = NULL;
}

/* Check what the caller asked for before starting anything. */
static int jail_check_opts(const struct jail_opts *o, const int keep[], int nkeep)
{
	if (o->level != JAIL_SECCOMP && o->level != JAIL_FULL)
		return -EINVAL;
	if (o->exe_fd < 0 || !o->argv || !o->argv[0])
		return -EINVAL;
	if (nkeep < 0 || nkeep > JAIL_MAX_KEEP || (nkeep && !keep))
		return -EINVAL;
	for (int i = 0; i < nkeep; i++)
		if (keep[i] < 0)
			return -EBADF;
	return 0;
}

/*
 * Start jail_pre_exec on the boot block's stack, with a pidfd, every
 * signal blocked meanwhile (the child restores the mask itself).  Returns
 * the pid or -errno.
 */
static pid_t jail_clone(struct jail_boot *bt, int *pidfd)
{
	int flags = JAIL_SHARE_VM | CLONE_PIDFD | SIGCHLD |
		    (bt->level == JAIL_FULL ? JAIL_NS_FLAGS : 0);
	sigset_t all;
	pid_t pid;
	int err;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &bt->mask);
	pid = clone(jail_pre_exec, (char *)(bt + 1) + JAIL_STACK_SIZE, flags, bt, pidfd);
	err = errno;
	sigprocmask(SIG_SETMASK, &bt->mask, NULL);
	return pid < 0 ? -err : pid;
}

/* Kill and reap a child that never became ready; then free its boot block. */
static void jail_abort_child(pid_t pid, int pidfd, struct jail_boot *bt)
{
	syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
	SBX_RETRY(waitpid(pid, NULL, 0));
	close(pidfd);
	jail_boot_unmap(bt);
}

/*
 * Start the jailed child.  On success c holds its pid, a pidfd and the read
 * end of its setup report; call jail_wait_ready() next.  On failure nothing
 * is left behind and e says which step failed and whether the host refused
 * user namespaces (so the caller may fall back to JAIL_SECCOMP if allowed).
 */
int jail_spawn(const struct jail_opts *o, const int keep_fds[], int nkeep,
	       struct jail_child *c, struct jail_err *e)
{
	_cleanup_fd_ int sync_rd = -1, sync_wr = -1, rep_rd = -1, rep_wr = -1;
	int p[2], pidfd = -1, r, go;
	struct jail_boot *bt;
	struct jail_ids ids;
	pid_t pid;

	r = jail_check_opts(o, keep_fds, nkeep);
	if (r < 0)
		return jail_fail(e, JAIL_NONE, JAIL_STEP_CLONE, -r);
	if (pipe2(p, O_CLOEXEC) < 0)
		return jail_fail(e, JAIL_NONE, JAIL_STEP_CLONE, errno);
	sync_rd = p[0], sync_wr = p[1];
	if (pipe2(p, O_CLOEXEC) < 0)
		return jail_fail(e, JAIL_NONE, JAIL_STEP_CLONE, errno);
	rep_rd = p[0], rep_wr = p[1];
	jail_pick_ids(o, &ids);
	go = ids.groups ? JAIL_GO_GROUPS : JAIL_GO_NOGROUPS;
	bt = jail_boot_new(o, &ids, keep_fds, nkeep, sync_rd, rep_wr);
	if (!bt)
		return jail_fail(e, JAIL_NONE, JAIL_STEP_CLONE, errno);

	pid = jail_clone(bt, &pidfd);
	if (pid < 0) {
		jail_boot_unmap(bt);
		return jail_fail(e, o->level, JAIL_STEP_CLONE, -pid);
	}

	if (o->level == JAIL_FULL) {
		go = jail_write_maps(pid, &ids);
		if (go < 0) {
			jail_abort_child(pid, pidfd, bt);
			return jail_fail(e, o->level, JAIL_STEP_IDMAP, -go);
		}
	}
	if (SBX_RETRY(write(sync_wr, &(char){ (char)go }, 1)) != 1) {
		r = errno;
		jail_abort_child(pid, pidfd, bt);
		return jail_fail(e, o->level, JAIL_STEP_SYNC, r);
	}
	*c = (struct jail_child){ .pid = pid, .pidfd = pidfd, .level = o->level,
				  .uid = ids.uid, .report_fd = sbx_steal_fd(&rep_rd),
				  .boot = bt };
	return 0;
}

/*
 * Read the whole report (up to end of file, at most size bytes kept; the
 * rest is drained and dropped).  A child that neither finishes nor fails
 * within JAIL_SETUP_MS is treated as failed.  Returns the bytes kept, or
 * -ETIMEDOUT.
 */
static ssize_t jail_read_report(int fd, char *buf, size_t size)
{
	struct timespec start, now;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t have = 0;
	char sink[256];
	long left;
	ssize_t n;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = JAIL_SETUP_MS - (now.tv_sec - start.tv_sec) * 1000 -
		       (now.tv_nsec - start.tv_nsec) / 1000000;
		if (left <= 0 || SBX_RETRY(poll(&pfd, 1, (int)left)) == 0)
			return -ETIMEDOUT;
		if (have < size)
			n = SBX_RETRY(read(fd, buf + have, size - have));
		else
			n = SBX_RETRY(read(fd, sink, sizeof(sink)));
		if (n <= 0)
			return (ssize_t)have;
		if (have < size)
			have += (size_t)n;
	}
}

/* Is buf a whole number of well-formed records?  Then return the last. */
static const struct jail_report *jail_last_record(const char *buf, size_t len,
						  struct jail_report *r)
{
	if (len == 0 || len % sizeof(*r))
		return NULL;
	for (size_t off = 0; off < len; off += sizeof(*r)) {
		memcpy(r, buf + off, sizeof(*r));
		if (r->magic != JAIL_REPORT_MAGIC || r->zero ||
		    r->step >= JAIL_STEP_COUNT || r->err < 0 || r->err > 4095)
			return NULL;
	}
	return r;
}

/* The child wrote something that is not a report: show it, made printable. */
static int jail_fail_text(struct jail_err *e, const char *buf, size_t len)
{
	size_t j = 0;
	char text[160];

	for (size_t i = 0; i < len && j + 1 < sizeof(text); i++)
		text[j++] = (buf[i] >= 0x20 && buf[i] < 0x7f) ? buf[i] : ' ';
	text[j] = 0;
	e->step = JAIL_STEP_EXEC;
	e->err = 0;
	e->userns_refused = false;
	snprintf(e->msg, sizeof(e->msg), "sandbox: child failed during setup: %s",
		 j ? text : "it died without a report");
	return -ECHILD;
}

/*
 * Wait until the child has finished jail_enter() (its report pipe reaches
 * end of file) and judge the report: 0 when the last record is DONE, or
 * -errno with e filled.  On failure the child is killed; jail_release()
 * still has to reap it.
 */
int jail_wait_ready(struct jail_child *c, struct jail_err *e)
{
	char buf[512];
	struct jail_report rec;
	const struct jail_report *last;
	ssize_t len = jail_read_report(c->report_fd, buf, sizeof(buf));
	int r;

	close(c->report_fd);
	c->report_fd = -1;
	last = len < 0 ? NULL : jail_last_record(buf, (size_t)len, &rec);
	if (last && last->step == JAIL_STEP_DONE && last->err == 0) {
		jail_boot_free(c);	/* the new image reported: it is done with it */
		return 0;
	}
	if (len < 0)
		r = jail_fail(e, JAIL_NONE, JAIL_STEP_DONE, ETIMEDOUT);
	else if (last && last->step != JAIL_STEP_DONE)
		r = jail_fail(e, c->level, (enum jail_step)last->step, last->err);
	else
		r = jail_fail_text(e, buf, (size_t)len);
	syscall(SYS_pidfd_send_signal, c->pidfd, SIGKILL, NULL, 0);
	return r;
}

/*
 * Wait for the child to end and return its status as waitpid() would
 * encode it, or -errno.  Waiting through the pidfd cannot reap an
 * unrelated process that reused the pid.
 */
int jail_reap(struct jail_child *c)
{
	siginfo_t si = { 0 };

	if (c->pid <= 0)
		return -ECHILD;
	if (SBX_RETRY(waitid((idtype_t)P_PIDFD, (id_t)c->pidfd, &si, WEXITED)) < 0)
		return -errno;
	c->pid = -1;
	if (si.si_code == CLD_EXITED)
		return (si.si_status & 0xff) << 8;
	return si.si_status & 0x7f;
}

/* Kill the child if it still runs, reap it and close what c holds. */
void jail_release(struct jail_child *c)
{
	if (c->pid > 0 && c->pidfd >= 0) {
		syscall(SYS_pidfd_send_signal, c->pidfd, SIGKILL, NULL, 0);
		jail_reap(c);
	}
	if (c->pidfd >= 0)
		close(c->pidfd);
	if (c->report_fd >= 0)
		close(c->report_fd);
	jail_boot_free(c);
	c->pid = -1;
	c->pidfd = -1;
	c->report_fd = -1;
}
