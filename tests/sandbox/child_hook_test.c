/*
 * child_hook_test.c: misbehaviour on demand in the jailed child, linked
 * only into the test driver (the release build links the no-op
 * sandbox/child_hook.c).  The hook name arrives as the child's last
 * argument (--test-hook NAME).  Hooks that expect a particular answer
 * from the broker end the child with SIGILL when they get another, so
 * the run's exit status shows the failure.
 *
 *   garbage   fill the channel page with junk: the broker must end us
 *   badseq    skip sequence numbers: the broker must end us
 *   replay    publish an answered request again: it must not re-run
 *   badfn     an unknown function number: ENOSYS
 *   badargs   a known function with a wrong argument count: EINVAL
 *   badfd     fd_write on a handle never opened: EBADF
 *   badmem    fd_write with iovecs past memory: EFAULT
 *   wrapmem   fd_write with iovecs that wrap at 2^32: EFAULT
 *   shrink    ask the broker to shrink or misalign memory: EINVAL
 *   syscall   a forbidden system call (openat): SIGSYS
 *   segv      crash during the first WASI call: SIGSEGV
 *   quit      exit without reporting an outcome
 *   results   report --invoke results (with a terminal escape) that were
 *             never asked for: a violation, and nothing of them printed
 *
 * and one in the broker, run once it has loaded its own filter:
 *   broker-syscall  a call off the broker's list (socket): the broker
 *             dies by SIGSYS, and its child with it
 */
#include <fcntl.h>
#include <linux/futex.h>
#include <sys/socket.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "run.h"
#include "sbx_proto.h"

/* Fail visibly unless the answer is the expected one. */
static void hk_expect(int64_t got, int64_t want)
{
	if (got != want)
		__builtin_trap();
}

static int64_t hk_call(struct chan *c, uint32_t fn, uint64_t a0, uint64_t a1,
		       uint64_t a2, uint64_t a3, uint32_t nargs)
{
	uint64_t a[4] = { a0, a1, a2, a3 };

	return chan_call(c, fn, a, nargs);
}

/* Junk everywhere in the page, with a sequence number that cannot fit. */
static void hk_garbage(struct chan *c)
{
	uint32_t x = 0x12345678u;
	uint8_t *p = (uint8_t *)c->page;

	for (size_t i = 0; i < CHAN_SIZE; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (uint8_t)(x >> 16);
	}
	atomic_store(&c->page->req_seq, c->seq + 1000);
	syscall(SYS_futex, &c->page->req_seq, FUTEX_WAKE, 1, NULL, NULL, 0);
	for (;;)
		syscall(SYS_futex, &c->page->ans_seq, FUTEX_WAIT, atomic_load(&c->page->ans_seq),
			NULL, NULL, 0);
}

/* Publish the last request's number again, then go on normally. */
static void hk_replay(struct chan *c)
{
	hk_expect(hk_call(c, WASI_FN_sched_yield, 0, 0, 0, 0, 0), 0);
	atomic_store(&c->page->req_seq, c->seq);
	syscall(SYS_futex, &c->page->req_seq, FUTEX_WAKE, 1, NULL, NULL, 0);
	hk_expect(hk_call(c, WASI_FN_sched_yield, 0, 0, 0, 0, 0), 0);
}

/* Fault outside any linear memory: the engine re-raises, SIGSEGV ends us. */
static void hk_segv(void)
{
	static volatile int *volatile nowhere;

	*nowhere = 1;
}

/* Hooks run once, after the jail and before the module is loaded. */
static void hk_ready(struct chan *c, const char *h)
{
	if (!strcmp(h, "garbage"))
		hk_garbage(c);
	else if (!strcmp(h, "badseq")) {
		c->seq += 5;
		hk_call(c, WASI_FN_sched_yield, 0, 0, 0, 0, 0);
	} else if (!strcmp(h, "replay"))
		hk_replay(c);
	else if (!strcmp(h, "badfn"))
		hk_expect(hk_call(c, 9999, 0, 0, 0, 0, 0), 52);
	else if (!strcmp(h, "badargs"))
		hk_expect(hk_call(c, WASI_FN_fd_write, 1, 0, 0, 0, 2), 28);
	else if (!strcmp(h, "badfd"))
		hk_expect(hk_call(c, WASI_FN_fd_write, 9999, 0, 0, 0, 4), 8);
	else if (!strcmp(h, "badmem"))
		hk_expect(hk_call(c, WASI_FN_fd_write, 1, 0xfffffff0u, 1, 0, 4), 21);
	else if (!strcmp(h, "wrapmem"))
		hk_expect(hk_call(c, WASI_FN_fd_write, 1, 0xfffffff8u, 0x20000000u, 0, 4), 21);
	else if (!strcmp(h, "shrink")) {
		hk_expect(hk_call(c, SBX_FN_MEM_RESIZE, 65536 + 1, 0, 0, 0, 2), -22);
		hk_expect(hk_call(c, SBX_FN_MEM_RESIZE, 1ull << 33, 0, 0, 0, 2), -22);
		hk_expect(hk_call(c, SBX_FN_MEM_RESIZE, 65536, SBX_NMEM, 0, 0, 2), -22);
		hk_expect(hk_call(c, SBX_FN_MEM_RESIZE, 65536, 0, 0, 0, 1), 28);
		hk_expect(hk_call(c, SBX_FN_MEM_SIZE, 0, 0, 0, 0, 0), 0);
	} else if (!strcmp(h, "syscall"))
		syscall(SYS_openat, AT_FDCWD, "/etc/passwd", 0);
	else if (!strcmp(h, "quit"))
		syscall(SYS_exit_group, 0);
	else if (!strcmp(h, "results")) {
		strcpy((char *)c->page + SBX_TEXT_OFF, "\033]0;owned\a42\n");
		hk_call(c, SBX_FN_DONE, RUN_RESULTS, 0, 0, 0, 2);
		__builtin_trap();
	}
}

void sbx_child_hook(enum sbx_hook_point where, struct chan *c, const char *hook)
{
	if (!hook)
		return;
	if (where == SBX_HOOK_READY)
		hk_ready(c, hook);
	else if (where == SBX_HOOK_CALL && !strcmp(hook, "segv"))
		hk_segv();
}

void sbx_broker_hook(const char *hook)
{
	if (hook && !strcmp(hook, "broker-syscall"))
		syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
}
