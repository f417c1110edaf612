/*
 * seccomp_rules.c: the jailed child's system call filter, as libseccomp
 * rules.  They are compiled to BPF when wrun is built (gen/sec_gen.c writes
 * sec_filter.h), and seccomp.c loads that program at run time.
 *
 * Loaded last by jail_enter(), after everything that needs a wider set of
 * calls and before the first byte of the module is decoded.  The default
 * action kills the whole process (SIGSYS), so anything not listed here is
 * fatal: in particular open*, socket, execve*, ptrace, clone*, fork,
 * io_uring_*, write and read.  The child talks to the world only through
 * the shared channel page, and the broker decides what that means.
 *
 * What stays allowed, and why each is safe:
 *   memory   mmap, mprotect (never with PROT_EXEC), munmap, mremap, madvise,
 *            brk: they change only this process's address space; without
 *            PROT_EXEC no new code can be created, and the descriptors a
 *            mapping could name are only the ones the broker handed over.
 *   futex    WAIT/WAKE (and their BITSET forms): the channel doorbell.  A
 *            futex names memory the child already maps; the PI and requeue
 *            operations, a historic source of kernel bugs, stay killed.
 *   signals  rt_sigreturn (return from the SIGSEGV trap handler),
 *            rt_sigprocmask (siglongjmp restores the mask), rt_sigaction
 *            and sigaltstack (reset to the default to re-raise a fault):
 *            they touch only this process's own signal state.
 *   clock    clock_gettime: the vDSO already gives the same answer without
 *            a system call; this is its fallback for clocks it lacks.
 *   close    to drop the setup report pipe once the filter is on; closing
 *            can only remove authority.
 *   exit, exit_group.
 * clock_nanosleep and nanosleep are not allowed: the child waits only on the
 * channel (futex), and timeouts belong to the broker.
 */
#include <errno.h>
#include <linux/futex.h>
#include <seccomp.h>
#include <sys/mman.h>

#include "seccomp_rules.h"

/* Calls allowed whatever their arguments (see the top of the file). */
static const int sec_plain[] = {
	SCMP_SYS(munmap),		/* removes own mappings only */
	SCMP_SYS(mremap),		/* keeps the protection it had */
	SCMP_SYS(madvise),		/* hints about own memory */
	SCMP_SYS(brk),			/* malloc's heap; never executable */
	SCMP_SYS(rt_sigreturn),		/* leave a signal handler */
	SCMP_SYS(rt_sigprocmask),	/* siglongjmp out of a trap */
	SCMP_SYS(rt_sigaction),		/* own dispositions only */
	SCMP_SYS(sigaltstack),		/* own alternate stack only */
	SCMP_SYS(clock_gettime),	/* same as the vDSO */
	SCMP_SYS(close),		/* can only drop authority */
	SCMP_SYS(exit),
	SCMP_SYS(exit_group),
};

/* futex operations allowed, compared without the private and clock bits. */
static const int sec_futex_ops[] = {
	FUTEX_WAIT, FUTEX_WAKE, FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET,
};

/* mmap and mprotect, only when the protection lacks PROT_EXEC. */
static int sec_add_memory(scmp_filter_ctx ctx)
{
	int r;

	r = seccomp_rule_add_exact(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
				   SCMP_A2_64(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (r < 0)
		return r;
	return seccomp_rule_add_exact(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
				      SCMP_A2_64(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
}

/*
 * futex with one of sec_futex_ops.  The kernel reads the operation as an
 * int, so only its low 32 bits are compared.
 */
static int sec_add_futex(scmp_filter_ctx ctx)
{
	const uint32_t mask = ~(uint32_t)(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	int r;

	for (size_t i = 0; i < sizeof(sec_futex_ops) / sizeof(sec_futex_ops[0]); i++) {
		r = seccomp_rule_add_exact(ctx, SCMP_ACT_ALLOW, SCMP_SYS(futex), 1,
					   SCMP_A1_32(SCMP_CMP_MASKED_EQ, mask,
						      sec_futex_ops[i]));
		if (r < 0)
			return r;
	}
	return 0;
}

/* Build the whole filter into ctx (made with SCMP_ACT_KILL_PROCESS). */
int sec_build(scmp_filter_ctx ctx)
{
	int r;

	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (r < 0)
		return r;
	for (size_t i = 0; i < sizeof(sec_plain) / sizeof(sec_plain[0]); i++) {
		r = seccomp_rule_add_exact(ctx, SCMP_ACT_ALLOW, sec_plain[i], 0);
		if (r < 0)
			return r;
	}
	r = sec_add_memory(ctx);
	if (r < 0)
		return r;
	return sec_add_futex(ctx);
}
