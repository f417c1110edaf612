/*
 * brk_landlock.c: the broker restricts itself to the granted trees.
 *
 * After start-up the broker only ever works beneath its preopened
 * directories (and on descriptors it already holds), so it asks Landlock
 * to deny every filesystem access outside them, and, where the kernel
 * offers it, TCP bind/connect and abstract UNIX sockets.  Operations
 * submitted through io_uring run with the broker's credentials and are
 * checked too.  Signals are not scoped: the broker must still be able to
 * kill its child, which was started before the ruleset.
 */
#include <errno.h>
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "brk.h"
#include "sbx.h"

#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#endif

/* Filesystem rights by ABI version (each adds to the previous). */
#define BRK_LL_FS_V1	((1ULL << 13) - 1)	/* EXECUTE .. MAKE_SYM */
#define BRK_LL_REFER	(1ULL << 13)		/* ABI 2 */
#define BRK_LL_TRUNCATE	(1ULL << 14)		/* ABI 3 */
#define BRK_LL_IOCTL	(1ULL << 15)		/* ABI 5 */
#define BRK_LL_NET_BIND	(1ULL << 0)		/* ABI 4 */
#define BRK_LL_NET_CONN	(1ULL << 1)
#define BRK_LL_SCOPE_UNIX (1ULL << 0)		/* ABI 6 */

/* The ruleset attribute as of ABI 6 (older kernels read a prefix). */
struct brk_ll_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

struct brk_ll_beneath {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

/* The filesystem rights this kernel knows. */
static uint64_t brk_ll_fs(int abi)
{
	uint64_t fs = BRK_LL_FS_V1;

	if (abi >= 2)
		fs |= BRK_LL_REFER;
	if (abi >= 3)
		fs |= BRK_LL_TRUNCATE;
	if (abi >= 5)
		fs |= BRK_LL_IOCTL;
	return fs;
}

/* Size of the attribute this ABI reads. */
static size_t brk_ll_attr_size(int abi)
{
	if (abi >= 6)
		return sizeof(struct brk_ll_attr);
	if (abi >= 4)
		return 2 * sizeof(uint64_t);
	return sizeof(uint64_t);
}

/*
 * Allow everything beneath each of dirfds (O_PATH directories) and
 * nothing else.  Returns the ABI used (> 0), 0 when the kernel has no
 * Landlock (with *why saying so), or -errno.
 */
int brk_landlock(const int *dirfds, unsigned n, bool net, const char **why)
{
	int abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0,
			       LANDLOCK_CREATE_RULESET_VERSION);
	struct brk_ll_attr attr = { 0 };
	_cleanup_fd_ int rs = -1;

	if (abi <= 0) {
		*why = errno == EOPNOTSUPP ? "Landlock is disabled at boot" :
					     "this kernel has no Landlock";
		return 0;
	}
	attr.handled_access_fs = brk_ll_fs(abi);
	/* TCP bind and connect: refused unless the network is granted (-S
	 * inherit-network, every address: Landlock's rules are per port, so
	 * the grant leaves TCP unhandled; wasi_net.c checks each call) */
	attr.handled_access_net = abi >= 4 && !net ? BRK_LL_NET_BIND | BRK_LL_NET_CONN : 0;
	attr.scoped = abi >= 6 ? BRK_LL_SCOPE_UNIX : 0;
	rs = (int)syscall(SYS_landlock_create_ruleset, &attr, brk_ll_attr_size(abi), 0);
	if (rs < 0)
		return -errno;
	for (unsigned i = 0; i < n; i++) {
		struct brk_ll_beneath pb = { attr.handled_access_fs, dirfds[i] };

		if (syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) < 0)
			return -errno;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_landlock_restrict_self, rs, 0) < 0)
		return -errno;
	return abi;
}
