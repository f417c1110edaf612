/*
 * seccomp.c: load the jailed child's system call filter, or the broker's.
 *
 * The rules, and why each allowed call is safe, are in seccomp_rules.c
 * (the child's) and seccomp_broker_rules.c (the broker's); the build
 * compiles them to the BPF programs in sec_filter.h (see gen/sec_gen.c),
 * so that loading one is one system call.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "jail.h"
#include "sec_filter.h"

/*
 * Install the filter on the calling process (single-threaded: the jailed
 * child is).  no_new_privs is already set by the jail, as the kernel
 * requires of an unprivileged caller.  Returns 0 or -errno.
 */
int sec_install(void)
{
	struct sock_fprog fp = {
		.len = (unsigned short)(sizeof(sec_prog) / sizeof(sec_prog[0])),
		.filter = (struct sock_filter *)sec_prog,
	};

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0)
		return -errno;
	return 0;
}

/*
 * Install the broker's own filter (seccomp_broker_rules.c) on the calling
 * process, once its set-up is done: with network (-S inherit-network) the
 * program that may bind, connect and listen, else the one that may not.
 * The caller sets no_new_privs first (it holds no CAP_SYS_ADMIN by then).
 * Returns 0 or -errno.
 */
int sec_install_broker(bool network)
{
	struct sock_fprog fp = {
		.len = (unsigned short)(network ? sizeof(sec_broker_prog) / sizeof(sec_broker_prog[0])
					: sizeof(sec_broker_local_prog) /
					  sizeof(sec_broker_local_prog[0])),
		.filter = (struct sock_filter *)(network ? sec_broker_prog : sec_broker_local_prog),
	};

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0)
		return -errno;
	return 0;
}
