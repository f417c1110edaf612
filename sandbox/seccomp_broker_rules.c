/*
 * seccomp_broker_rules.c: the broker's own system call filter, as
 * libseccomp rules, compiled to BPF at build time with the child's
 * (gen/sec_gen.c) and loaded by brk_confine() once set-up is done: the
 * child is confined, every descriptor the run does not need is closed,
 * Landlock is on and every capability is gone.
 *
 * The list is what the broker's loop calls from then on: the WASI backends
 * (src/wasi/wasi_io_sys.c, uring_io.c, brk_io.c, ring.c), the channel,
 * the audit log, its messages, the backstop timer and handlers, reaping
 * and killing the child, malloc and exit.  The default action kills the
 * whole process (SIGSYS).  The broker is the wrun process itself, so a
 * violation ends wrun at once with no message of its own (a shell reports
 * status 159, 128 + SIGSYS); the child dies with it through its
 * parent-death signal.
 *
 * Everything a call below can reach is already the broker's: descriptors
 * it holds (the grants, stdio, the memfds, its ring, the child's pidfd,
 * the audit log), names beneath the granted trees (openat2 with
 * RESOLVE_BENEATH from a held directory; Landlock holds every path call to
 * those trees), its own memory and signal state.  Nothing here creates a
 * descriptor from nothing (no pidfd_open, memfd_create, dup, plain
 * open/openat; socket() only as wrun:net's, below), makes code executable,
 * starts a process or changes ids, capabilities, filters or rings.  Not
 * allowed, notably: read (the broker reads only through readv/preadv and
 * the ring), open/openat, other sockets, ioctl, prctl, mprotect,
 * clone/fork/execve, kill/tgkill, ptrace, io_uring_setup,
 * io_uring_register, seccomp, mount; and without -S inherit-network, bind,
 * connect and listen (two programs: sec_build_broker and
 * sec_build_broker_local).
 *
 * Operations submitted through io_uring are not seen here; the ring was
 * restricted to its opcodes when it was made (ring.c), and a new ring
 * cannot be made or re-registered (io_uring_setup, io_uring_register).
 */
#include <errno.h>
#include <stdbool.h>
#include <linux/futex.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/mman.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <sys/uio.h>

#include "seccomp_rules.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

/* Calls allowed whatever their arguments, each with what needs it. */
static const int brk_sec_plain[] = {
	/* data on descriptors the broker holds: the WASI backends' plain calls */
	SCMP_SYS(readv),		/* fd_read (files; everything when plain) */
	SCMP_SYS(preadv),		/* fd_pread */
	SCMP_SYS(writev),		/* fd_write */
	SCMP_SYS(pwritev),		/* fd_pwrite */
	SCMP_SYS(write),		/* messages on stderr, audit lines, --invoke results */
	SCMP_SYS(lseek),		/* fd_seek, fd_tell, readdir cookies */
	SCMP_SYS(getdents64),		/* fd_readdir */
	SCMP_SYS(close),		/* fd_close, the pidfd at the end: drops authority */
	/* names beneath the granted trees (Landlock holds them there) */
	SCMP_SYS(openat2),		/* every open: RESOLVE_BENEATH from a held dir */
	SCMP_SYS(statx),		/* fd_/path_filestat_get */
	SCMP_SYS(newfstatat),		/* fstat of a held fd (uring_is_quiet); no more than statx */
	SCMP_SYS(utimensat),		/* fd_/path_filestat_set_times */
	SCMP_SYS(mkdirat),		/* path_create_directory: one leaf in a held dir */
	SCMP_SYS(unlinkat),		/* path_unlink_file, path_remove_directory */
	SCMP_SYS(renameat),		/* path_rename */
	SCMP_SYS(linkat),		/* path_link */
	SCMP_SYS(symlinkat),		/* path_symlink */
	SCMP_SYS(readlinkat),		/* path_readlink */
	/* file state on held descriptors */
	SCMP_SYS(ftruncate),		/* fd_filestat_set_size; memory.grow on the memfd */
	SCMP_SYS(fsync),		/* fd_sync */
	SCMP_SYS(fdatasync),		/* fd_datasync */
	SCMP_SYS(fallocate),		/* fd_allocate */
	SCMP_SYS(fadvise64),		/* fd_advise */
	/* sockets the grants gave, and those of wrun:net (socket() itself is
	 * narrowed below; bind, connect and listen are in brk_sec_place);
	 * each acts on a descriptor the broker holds, and the grant is checked
	 * before each call (wasi_net.c) */
	SCMP_SYS(accept4),		/* sock_accept on a granted listener */
	SCMP_SYS(shutdown),		/* sock_shutdown */
	SCMP_SYS(getsockname),		/* net_addr: an address the guest made */
	SCMP_SYS(getpeername),		/* net_addr */
	/* waiting */
	SCMP_SYS(io_uring_enter),	/* submit to and wait on its own restricted ring */
	SCMP_SYS(poll),			/* plain broker: the child's pidfd */
	SCMP_SYS(ppoll),		/* poll_oneoff on held descriptors (plain) */
	SCMP_SYS(restart_syscall),	/* resume one of these after a stop (^Z, fg) */
	SCMP_SYS(sched_yield),		/* sched_yield */
	SCMP_SYS(getrandom),		/* random_get */
	SCMP_SYS(clock_gettime),	/* clocks, the deadline; the vDSO's fallback */
	SCMP_SYS(clock_getres),		/* clock_res_get */
	/* own signal state: the backstop handlers */
	SCMP_SYS(rt_sigaction),		/* restore SIGCHLD's default at the end */
	SCMP_SYS(rt_sigreturn),		/* return from the SIGALRM/SIGCHLD handlers */
	/* own memory: malloc (never executable, see brk_sec_add_memory) */
	SCMP_SYS(brk),
	SCMP_SYS(munmap),
	SCMP_SYS(exit),
	SCMP_SYS(exit_group),
#ifdef __SANITIZE_ADDRESS__
	/* make asan's build only: AddressSanitizer's allocator gives hints
	 * (MADV_NOHUGEPAGE, MADV_DONTNEED) about the shadow and quarantine it
	 * maps in the broker's own memory; a release build has no such rule */
	SCMP_SYS(madvise),
	SCMP_SYS(gettid),		/* its per-thread bookkeeping */
#endif
};

/*
 * What puts a socket on the host network: net_bind, net_connect and
 * net_listen, which wasi_net.c makes only with -S inherit-network (the
 * --tcplisten listeners are bound and listening before the filter).  The
 * program of a run without that grant leaves them out, so that a broker
 * that lost its grant check still could not bind, connect or listen
 * (Landlock refuses TCP bind and connect then too; it has no rule for UDP,
 * which this covers but for a datagram sent to an address, see the man
 * page's NETWORK).
 */
static const int brk_sec_place[] = {
	SCMP_SYS(bind),
	SCMP_SYS(connect),
	SCMP_SYS(listen),
};

/* futex operations of the channel doorbell, without private/clock bits. */
static const int brk_sec_futex_ops[] = {
	FUTEX_WAIT, FUTEX_WAKE, FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET,
};

#define BRK_SEC_N(a) (sizeof(a) / sizeof((a)[0]))

/* One rule; a call this architecture lacks (a negative pseudo number) is
 * skipped: nothing can make it. */
static int brk_sec_rule(scmp_filter_ctx ctx, int nr, unsigned n, const struct scmp_arg_cmp *c)
{
	if (nr < 0)
		return 0;
	return seccomp_rule_add_exact_array(ctx, SCMP_ACT_ALLOW, nr, n, c);
}

/*
 * mmap for malloc's large blocks, never with PROT_EXEC: no new code.  The
 * memfds are mapped before the filter; mprotect, mremap and madvise are not
 * needed afterwards (one thread, one malloc arena, no realloc).
 */
static int brk_sec_add_memory(scmp_filter_ctx ctx)
{
	struct scmp_arg_cmp c = SCMP_A2_64(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0);

	return brk_sec_rule(ctx, SCMP_SYS(mmap), 1, &c);
}

/* futex: WAIT/WAKE on the doorbell (plain broker, chan_answer). */
static int brk_sec_add_futex(scmp_filter_ctx ctx)
{
	const uint32_t mask = ~(uint32_t)(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	int r = 0;

	for (size_t i = 0; i < BRK_SEC_N(brk_sec_futex_ops) && r == 0; i++) {
		struct scmp_arg_cmp c = SCMP_A1_32(SCMP_CMP_MASKED_EQ, mask,
						   brk_sec_futex_ops[i]);

		r = brk_sec_rule(ctx, SCMP_SYS(futex), 1, &c);
	}
	return r;
}

/*
 * The child: reaped through its pidfd only (P_PIDFD, so no other process
 * can be waited for), and killed only with SIGKILL, through the one pidfd
 * the broker holds (it cannot get another: no pidfd_open, no clone).
 */
static int brk_sec_add_child(scmp_filter_ctx ctx)
{
	struct scmp_arg_cmp w = SCMP_A0_32(SCMP_CMP_EQ, P_PIDFD);
	struct scmp_arg_cmp k = SCMP_A1_32(SCMP_CMP_EQ, SIGKILL);
	int r = brk_sec_rule(ctx, SCMP_SYS(waitid), 1, &w);

	return r ? r : brk_sec_rule(ctx, SCMP_SYS(pidfd_send_signal), 1, &k);
}

/*
 * Calls allowed with one argument narrowed to what the code passes:
 *   fcntl F_GETFL/F_SETFL (fd_fdstat_get, fd_fdstat_set_flags): no
 *     F_DUPFD, locks, leases, owners, seals or pipe sizes;
 *   recvmsg with MSG_PEEK/MSG_WAITALL/MSG_DONTWAIT only, sendmsg with
 *     MSG_NOSIGNAL (and MSG_DONTWAIT) only (sock_recv, sock_send; the
 *     msghdr never carries a control buffer; MSG_DONTWAIT is the guest's
 *     NONBLOCK on a standard stream that is a socket);
 *   preadv2/pwritev2 with RWF_NOWAIT only, at the current position: the
 *     same NONBLOCK on a standard stream that is a pipe (plain broker);
 *   renameat2 without flags (glibc's renameat where the kernel lacks it);
 *   setitimer ITIMER_REAL (the --timeout backstop).
 */
static int brk_sec_add_narrow(scmp_filter_ctx ctx)
{
	const struct { int nr; struct scmp_arg_cmp c; } rules[] = {
		{ SCMP_SYS(fcntl), SCMP_A1_32(SCMP_CMP_EQ, F_GETFL) },
		{ SCMP_SYS(fcntl), SCMP_A1_32(SCMP_CMP_EQ, F_SETFL) },
		{ SCMP_SYS(recvmsg), SCMP_A2_32(SCMP_CMP_MASKED_EQ,
						~(uint32_t)(MSG_PEEK | MSG_WAITALL | MSG_DONTWAIT),
						0) },
		{ SCMP_SYS(sendmsg), SCMP_A2_32(SCMP_CMP_EQ, MSG_NOSIGNAL) },
		{ SCMP_SYS(sendmsg), SCMP_A2_32(SCMP_CMP_EQ, MSG_NOSIGNAL | MSG_DONTWAIT) },
		{ SCMP_SYS(preadv2), SCMP_A5_32(SCMP_CMP_EQ, RWF_NOWAIT) },
		{ SCMP_SYS(pwritev2), SCMP_A5_32(SCMP_CMP_EQ, RWF_NOWAIT) },
		{ SCMP_SYS(renameat2), SCMP_A4_32(SCMP_CMP_EQ, 0) },
		{ SCMP_SYS(setitimer), SCMP_A0_32(SCMP_CMP_EQ, ITIMER_REAL) },
	};
	int r = 0;

	for (size_t i = 0; i < BRK_SEC_N(rules) && r == 0; i++)
		r = brk_sec_rule(ctx, rules[i].nr, 1, &rules[i].c);
	return r;
}

/*
 * socket(): IPv4 or IPv6, TCP or UDP, non-blocking and close-on-exec,
 * protocol 0, for net_socket: no raw, packet, netlink or unix sockets, so
 * nothing below IP, nothing of the host's own services.  getsockopt and
 * setsockopt: the socket, TCP, IP and IPv6 levels that net_getopt and
 * net_setopt map their ten options onto (no filters, no other layers).
 */
static int brk_sec_add_net(scmp_filter_ctx ctx)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	static const int types[] = { SOCK_STREAM, SOCK_DGRAM };
	static const int levels[] = { SOL_SOCKET, IPPROTO_TCP, IPPROTO_IP, IPPROTO_IPV6 };
	int r = 0;

	for (size_t f = 0; f < BRK_SEC_N(fams) && r == 0; f++)
		for (size_t t = 0; t < BRK_SEC_N(types) && r == 0; t++) {
			struct scmp_arg_cmp c[3] = {
				SCMP_A0_32(SCMP_CMP_EQ, (uint32_t)fams[f]),
				SCMP_A1_32(SCMP_CMP_EQ, (uint32_t)(types[t] | SOCK_NONBLOCK |
								    SOCK_CLOEXEC)),
				SCMP_A2_32(SCMP_CMP_EQ, 0),
			};

			r = brk_sec_rule(ctx, SCMP_SYS(socket), 3, c);
		}
	for (size_t i = 0; i < BRK_SEC_N(levels) && r == 0; i++) {
		struct scmp_arg_cmp c = SCMP_A1_32(SCMP_CMP_EQ, (uint32_t)levels[i]);

		r = brk_sec_rule(ctx, SCMP_SYS(getsockopt), 1, &c);
		if (r == 0)
			r = brk_sec_rule(ctx, SCMP_SYS(setsockopt), 1, &c);
	}
	return r;
}

/* Build the broker's filter into ctx (made with SCMP_ACT_KILL_PROCESS);
 * network: with bind, connect and listen (-S inherit-network). */
static int sec_build_broker_as(scmp_filter_ctx ctx, bool network)
{
	int r;

	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	/* A binary search over the numbers instead of a chain: every broker
	 * call passes this filter (those allowed whatever their arguments are
	 * then cached by the kernel; futex and the narrowed ones are not). */
	if (r == 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (size_t i = 0; i < BRK_SEC_N(brk_sec_plain) && r == 0; i++)
		r = brk_sec_rule(ctx, brk_sec_plain[i], 0, NULL);
	for (size_t i = 0; network && i < BRK_SEC_N(brk_sec_place) && r == 0; i++)
		r = brk_sec_rule(ctx, brk_sec_place[i], 0, NULL);
	if (r == 0)
		r = brk_sec_add_memory(ctx);
	if (r == 0)
		r = brk_sec_add_futex(ctx);
	if (r == 0)
		r = brk_sec_add_child(ctx);
	if (r == 0)
		r = brk_sec_add_net(ctx);
	return r == 0 ? brk_sec_add_narrow(ctx) : r;
}

int sec_build_broker(scmp_filter_ctx ctx)
{
	return sec_build_broker_as(ctx, true);
}

int sec_build_broker_local(scmp_filter_ctx ctx)
{
	return sec_build_broker_as(ctx, false);
}
