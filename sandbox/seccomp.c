/*
 * seccomp.c: load the jailed child's system call filter.
 *
 * The rules, and why each allowed call is safe, are in seccomp_rules.c;
 * the build compiles them to the BPF program in sec_filter.h (see
 * gen/sec_gen.c), so that loading it is one system call.
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
