/*
 * brk_confine.c: the broker gives up the authority it does not use, once
 * the jail is built (the child is confined, the descriptors the run does
 * not need are closed, Landlock is on).
 *
 * From then on the broker's loop needs no privilege at all: it works on
 * descriptors it already holds and on names beneath the granted trees as
 * the invoking user's uid, grows a memfd it made, and waits for and kills
 * its child through the pidfd.  So it drops every capability (effective,
 * permitted, inheritable, bounding, ambient; securebits locked), sets
 * no_new_privs, stops being dumpable, and loads its own seccomp filter
 * (seccomp_broker_rules.c).  A root broker then keeps uid 0 but none of
 * root's powers: files in the granted trees are reached by their
 * permission bits as uid 0, no longer over them (CAP_DAC_OVERRIDE).
 */
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "brk.h"
#include "sandbox.h"

/*
 * Keep the right to kill the child without CAP_KILL.  The kernel lets a
 * process signal another whose real or saved uid equals its own real or
 * effective uid, or one in a user namespace it owns.  At the full level the
 * child lives in a user namespace this process created, so that holds
 * (measured as root: pidfd_send_signal works with every capability gone).
 * At the seccomp level a root broker's child runs as 65534 in no namespace
 * of ours: without CAP_KILL, SIGKILL fails with EPERM (measured).  So the
 * broker takes the child's uid as its real uid, keeping root as its
 * effective and saved uid, which decide its file access.  What that opens:
 * processes of the child's uid may signal the broker, as they may already
 * signal the child, which ends the run the same way.  0 or -errno.
 */
static int brk_keep_kill(const struct brk *b)
{
	uid_t uid = b->child.uid;

	if (b->child.level != JAIL_SECCOMP || geteuid() != 0 || uid == getuid() ||
	    uid == (uid_t)-1)
		return 0;
	return setresuid(uid, (uid_t)-1, (uid_t)-1) < 0 ? -errno : 0;
}

/*
 * Drop everything and load the filter; 0, or -1 after saying what failed
 * (the caller ends the run: a broker that keeps more than it should does
 * not serve).  Not dumpable: another process of the same user cannot
 * trace it, and one killed by its filter (SIGSYS) leaves no core file with
 * the guest's memory in it.
 */
int brk_confine(struct brk *b)
{
	enum jail_step step = JAIL_STEP_SETID;
	const char *what = "set the real uid to the child's";
	int r = brk_keep_kill(b);

	if (r == 0 && (r = jail_caps_drop(true, &step)) < 0)
		what = jail_step_name(step);
	if (r == 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		r = -errno, what = jail_step_name(JAIL_STEP_NNP);
	if (r == 0 && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		r = -errno, what = jail_step_name(JAIL_STEP_DUMPABLE);
	if (r == 0 && (r = sec_install_broker((b->o->wasi.net & WASI_NET_INHERIT) != 0)) < 0)
		what = jail_step_name(JAIL_STEP_FILTER);
	if (r == 0)
		return 0;
	brk_say("sandbox: cannot confine the broker: %s failed: %s", what, strerror(-r));
	return -1;
}
