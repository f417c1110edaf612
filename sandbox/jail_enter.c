/*
 * jail_enter.c: the child's half of the jail, run by the freshly
 * re-executed image before it reads a byte of the module.
 *
 * Order (each step needs what the previous ones still allow):
 *   parent-death signal; [full] private mounts, an empty tmpfs as root,
 *   the old root unmounted, the new root read-only; every descriptor but
 *   the kept ones closed; securebits locked, bounding, ambient and all
 *   other capabilities dropped; no_new_privs, not dumpable, core size 0,
 *   a new session; and last the seccomp filter.
 * A failed step writes a report record at JAIL_FD_REPORT and exits with
 * JAIL_EXIT_SETUP: the broker turns it into a message.
 */
#include <errno.h>
#include <linux/securebits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "jail.h"
#include "jail_proto.h"
#include "sbx.h"

/* Bits that keep uid 0 from meaning anything, each locked. */
#define JAIL_SECBITS (SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |			\
		      SECBIT_NO_SETUID_FIXUP | SECBIT_NO_SETUID_FIXUP_LOCKED |	\
		      SECBIT_KEEP_CAPS_LOCKED |					\
		      SECBIT_NO_CAP_AMBIENT_RAISE |				\
		      SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED)

/* Report a failed step to the broker and end this process. */
static _Noreturn void jail_die(enum jail_step step, int err)
{
	jail_report_write(JAIL_FD_REPORT, step, err);
	_exit(JAIL_EXIT_SETUP);
}

/* Die with errno unless r is 0 (the usual -1/errno convention). */
static void jail_check(int r, enum jail_step step)
{
	if (r != 0)
		jail_die(step, errno ? errno : EIO);
}

/*
 * Mount an empty tmpfs over some directory that exists in every mount
 * namespace we may inherit.  The mount is private to our namespace, so
 * the host never sees it.  Returns the mount point.
 */
static const char *jail_mount_tmpfs(void)
{
	static const char *const points[] = { "/tmp", "/mnt", "/proc" };
	int err = ENOENT;

	for (size_t i = 0; i < sizeof(points) / sizeof(points[0]); i++) {
		if (mount("wrun", points[i], "tmpfs",
			  MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  "size=4k,nr_inodes=16,mode=0555") == 0)
			return points[i];
		err = errno;
		if (err != ENOENT && err != ENOTDIR)
			break;
	}
	jail_die(JAIL_STEP_MOUNT_TMPFS, err);
}

/*
 * Full level: leave the host's files behind.  pivot_root(".", ".") stacks
 * the old root on top of the new one, so it is detached before the new
 * root is made read-only (the remount would otherwise hit the old root).
 * Safe: all of this acts on our own mount namespace only.
 */
static void jail_fs(void)
{
	const char *mp;

	jail_check(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL),
		   JAIL_STEP_MOUNT_PRIVATE);
	mp = jail_mount_tmpfs();
	jail_check(chdir(mp), JAIL_STEP_PIVOT);
	jail_check(syscall(SYS_pivot_root, ".", ".") ? -1 : 0, JAIL_STEP_PIVOT);
	jail_check(umount2(".", MNT_DETACH), JAIL_STEP_UMOUNT_OLD);
	jail_check(chdir("/"), JAIL_STEP_UMOUNT_OLD);
	jail_check(mount(NULL, "/", NULL,
			 MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID |
			 MS_NODEV | MS_NOEXEC, NULL), JAIL_STEP_RDONLY);
}

/* Close everything but the report pipe and the kept descriptors. */
static void jail_close_fds(int nkeep)
{
	jail_check(close_range(0, JAIL_FD_REPORT - 1, 0), JAIL_STEP_CLOSE);
	jail_check(close_range(JAIL_FD_FIRST + nkeep, ~0U, 0), JAIL_STEP_CLOSE);
}

/* Is CAP_SETPCAP in our effective set (needed to touch bounding/secbits)? */
static bool jail_have_setpcap(void)
{
	cap_t now = cap_get_proc();
	cap_flag_value_t v = CAP_CLEAR;

	if (now)
		cap_get_flag(now, CAP_SETPCAP, CAP_EFFECTIVE, &v);
	cap_free(now);
	return v == CAP_SET;
}

/*
 * Empty the bounding set, every capability the kernel knows.  Without
 * CAP_SETPCAP it cannot be touched; then a capability still in it is
 * -EPERM unless bound_optional (the caller explains why that is
 * acceptable).  0 or -errno.
 */
static int jail_drop_bound(bool setpcap, bool bound_optional)
{
	for (cap_value_t cap = 0; cap < (cap_value_t)cap_max_bits(); cap++) {
		int in = cap_get_bound(cap);

		if (in < 0)
			return -(errno ? errno : EIO);
		if (in == 0)
			continue;
		if (!setpcap)
			return bound_optional ? 0 : -EPERM;
		if (cap_drop_bound(cap) < 0)
			return -(errno ? errno : EIO);
	}
	return 0;
}

/* Zero the effective, permitted and inheritable sets. */
static int jail_clear_sets(void)
{
	cap_t none = cap_init();
	int r;

	if (!none)
		return -ENOMEM;
	r = cap_set_proc(none);
	cap_free(none);
	return r < 0 ? -(errno ? errno : EIO) : 0;
}

/*
 * Drop every capability of the calling process, all through libcap:
 * securebits locked (when it may), the bounding set emptied, the ambient
 * set cleared, and the effective, permitted and inheritable sets zeroed.
 * Used by the child (jail_drop_caps below) and by the broker once its
 * set-up is done.  Returns 0, or -errno with *step the step that failed.
 * (The broker's pre-exec child, which shares the broker's memory, drops
 * the bounding set with raw system calls instead: see jail.c.)
 */
int jail_caps_drop(bool bound_optional, enum jail_step *step)
{
	bool setpcap = jail_have_setpcap();
	int r;

	*step = JAIL_STEP_SECBITS;
	if (setpcap && cap_set_secbits(JAIL_SECBITS) < 0)
		return -errno;
	*step = JAIL_STEP_CAPBOUND;
	if ((r = jail_drop_bound(setpcap, bound_optional)) < 0)
		return r;
	*step = JAIL_STEP_CAPAMBIENT;
	if (cap_reset_ambient() < 0)
		return -errno;
	*step = JAIL_STEP_CAPS;
	return jail_clear_sets();
}

/*
 * The child's drop.  Without CAP_SETPCAP the bounding set stays full only
 * at the seccomp level under an unprivileged broker, where no_new_privs and
 * the filter (no execve) make it unreachable anyway; elsewhere a capability
 * still in it is an error.
 */
static void jail_drop_caps(enum jail_level level)
{
	enum jail_step step;
	int r = jail_caps_drop(level == JAIL_SECCOMP, &step);

	if (r < 0)
		jail_die(step, -r);
}

/* The process-wide switches that need no privilege. */
static void jail_lockdown(void)
{
	struct rlimit zero = { 0, 0 };

	jail_check(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), JAIL_STEP_NNP);
	jail_check(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), JAIL_STEP_DUMPABLE);
	jail_check(setrlimit(RLIMIT_CORE, &zero), JAIL_STEP_RLIMIT);
	jail_check(setsid() < 0 ? -1 : 0, JAIL_STEP_SETSID);
}

/*
 * Confine this process (see the top of the file for the order).  Kept
 * descriptors are at JAIL_FD_FIRST .. JAIL_FD_FIRST + nkeep - 1; map what
 * you need from them before or after this call, but decode nothing from
 * the module before it returns.  Returns only when every step succeeded;
 * the filter is then in force and JAIL_FD_REPORT is closed.
 */
void jail_enter(enum jail_level level, int nkeep)
{
	void *volatile warm;
	int r;

	if ((level != JAIL_SECCOMP && level != JAIL_FULL) ||
	    nkeep < 0 || nkeep > JAIL_MAX_KEEP)
		jail_die(JAIL_STEP_DONE, EINVAL);
	jail_check(prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0), JAIL_STEP_PDEATHSIG);
	if (level == JAIL_FULL)
		jail_fs();
	jail_close_fds(nkeep);
	jail_drop_caps(level);
	jail_lockdown();
	/* A broker that died meanwhile closed the pipe: EPIPE ends us here. */
	if (jail_report_write(JAIL_FD_REPORT, JAIL_STEP_DONE, 0) < 0)
		_exit(JAIL_EXIT_SETUP);
	/* glibc's malloc draws a random key (getrandom) on its first use;
	 * make that use now, while getrandom is still allowed (through a
	 * volatile, or the compiler drops the pair). */
	warm = malloc(1);
	free(warm);
	r = sec_install();
	if (r < 0)
		jail_die(JAIL_STEP_FILTER, -r);
	close(JAIL_FD_REPORT);
}
