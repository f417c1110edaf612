/*
 * test_brk_filter.c: the broker's own seccomp filter (the program wrun
 * carries, from seccomp_broker_rules.c), installed in a forked process.
 *
 * Every call off the list, and every listed call with an argument outside
 * what the rules allow, must end that process with SIGSYS; every class of
 * call the broker's loop makes (data, names, file state, sockets, waiting,
 * time, randomness, signals, memory, the child, exit) must leave it alive.
 * The allowed calls are made with arguments that fail harmlessly (a bad
 * descriptor): the filter decides before the kernel looks at them.  Two
 * whole scenarios too: killing and reaping a child through its pidfd, and
 * a timed futex wait interrupted by a stop and a continue (^Z, fg), which
 * the kernel resumes with restart_syscall.
 *
 * The filtered process makes raw system calls only and ends with
 * exit_group, so nothing of the C library or a sanitizer runs under it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/io_uring.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "jail.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

/* One raw call: its name for messages, its number, its arguments. */
struct call {
	const char *name;
	long nr;
	long a[6];
};

static char buf[256];
static struct iovec iov = { buf, sizeof(buf) };
static struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
static struct open_how how = { .flags = O_RDONLY };
static struct timespec ts0;
static struct pollfd pfd = { .fd = -1 };
static struct io_uring_params up;
static struct itimerval itv;
static struct sigaction sa_query;
static siginfo_t si;
static uint32_t word;

#define C(nr, ...) { #nr, nr, { __VA_ARGS__ } }

/* The program under test: with -S inherit-network (bind, connect and
 * listen allowed) or without. */
static bool network = true;

/* In the forked process: no_new_privs and the filter, or exit 100. */
static void filter_on(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || sec_install_broker(network) < 0)
		syscall(SYS_exit_group, 100);
}

static long raw(const struct call *c)
{
	return syscall(c->nr, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4], c->a[5]);
}

/* Fork, filter, make the call, exit 0; the wait status. */
static int status_of(const struct call *c)
{
	int st = 0;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		filter_on();
		raw(c);
		syscall(SYS_exit_group, 0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

/* Off the list, or on it with an argument the rules refuse. */
static void test_forbidden_calls_kill(void **state)
{
	const struct call forbidden[] = {
		C(SYS_socket, AF_INET, SOCK_STREAM, 0),
		C(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (long)buf),
		/* wrun:net's socket(): IPv4/IPv6 TCP/UDP, non-blocking, only */
		C(SYS_socket, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0),
		C(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0),
		C(SYS_socket, AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0),
		C(SYS_socket, AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0),
		C(SYS_socket, AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP),
		C(SYS_socket, AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP),
		C(SYS_setsockopt, -1, SOL_PACKET, 1, (long)buf, 4),
		C(SYS_getsockopt, -1, SOL_RAW, 1, (long)buf, (long)buf),
		C(SYS_openat, AT_FDCWD, (long)"/etc/passwd", O_RDONLY),
		C(SYS_read, -1, (long)buf, 1),
		C(SYS_pread64, -1, (long)buf, 1, 0),
		C(SYS_ioctl, 1, 0x541B /* FIONREAD */, (long)buf),
		C(SYS_prctl, PR_SET_DUMPABLE, 1, 0, 0, 0),
		C(SYS_mprotect, (long)buf & ~4095L, 4096, PROT_READ),
		C(SYS_mmap, 0, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		C(SYS_mremap, (long)buf & ~4095L, 4096, 8192, 0),
		C(SYS_io_uring_setup, 1, (long)&up),
		C(SYS_io_uring_register, -1, 0, 0, 0),
		C(SYS_execve, (long)"/bin/true", 0, 0),
		C(SYS_clone, SIGCHLD, 0, 0, 0, 0),
		C(SYS_kill, 1, 0),
		C(SYS_tgkill, 1, 1, 0),
		C(SYS_ptrace, 0 /* PTRACE_TRACEME */, 0, 0, 0),
		C(SYS_setresuid, 0, 0, 0),
		C(SYS_capset, 0, 0),
		C(SYS_seccomp, 0, 0, 0),
		C(SYS_memfd_create, (long)"x", 0),
		C(SYS_pidfd_open, 1, 0),
		C(SYS_dup3, 1, 100, 0),
		C(SYS_getpid, 0),
		C(SYS_nanosleep, (long)&ts0, 0),
		C(SYS_fcntl, 1, F_DUPFD, 100),
		C(SYS_fcntl, 1, F_SETLEASE, F_RDLCK),
		C(SYS_pidfd_send_signal, -1, SIGTERM, 0, 0),
		C(SYS_waitid, P_ALL, 0, (long)&si, WEXITED, 0),
		C(SYS_sendmsg, -1, (long)&msg, 0),
		C(SYS_recvmsg, -1, (long)&msg, MSG_ERRQUEUE),
		C(SYS_preadv2, -1, (long)&iov, 1, -1, -1, RWF_HIPRI),
		C(SYS_pwritev2, -1, (long)&iov, 1, -1, -1, RWF_APPEND),
		C(SYS_renameat2, -1, (long)"a", -1, (long)"b", 2 /* RENAME_EXCHANGE */),
		C(SYS_setitimer, ITIMER_VIRTUAL, (long)&itv, 0),
		C(SYS_futex, (long)&word, FUTEX_LOCK_PI, 0, 0, 0, 0),
	};

	(void)state;
	for (size_t i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]); i++) {
		int st = status_of(&forbidden[i]);

		if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGSYS)
			fail_msg("%s (#%zu): status %#x, want death by SIGSYS",
				 forbidden[i].name, i, st);
	}
}

/* One call of every kind the broker's loop makes, arguments harmless. */
static void test_allowed_calls_survive(void **state)
{
	const struct call allowed[] = {
		C(SYS_readv, -1, (long)&iov, 1),
		C(SYS_preadv, -1, (long)&iov, 1, 0),
		C(SYS_writev, -1, (long)&iov, 1),
		C(SYS_pwritev, -1, (long)&iov, 1, 0),
		C(SYS_write, -1, (long)buf, 1),
		C(SYS_lseek, -1, 0, SEEK_SET),
		C(SYS_getdents64, -1, (long)buf, sizeof(buf)),
		C(SYS_close, -1),
		C(SYS_openat2, -1, (long)"x", (long)&how, sizeof(how)),
		C(SYS_statx, -1, (long)"", AT_EMPTY_PATH, 0, (long)buf),
		C(SYS_newfstatat, -1, (long)"", (long)buf, AT_EMPTY_PATH),
		C(SYS_utimensat, -1, (long)"", 0, AT_EMPTY_PATH),
		C(SYS_mkdirat, -1, (long)"x", 0700),
		C(SYS_unlinkat, -1, (long)"x", 0),
		C(SYS_renameat, -1, (long)"a", -1, (long)"b"),
		C(SYS_renameat2, -1, (long)"a", -1, (long)"b", 0),
		C(SYS_linkat, -1, (long)"a", -1, (long)"b", 0),
		C(SYS_symlinkat, (long)"a", -1, (long)"b"),
		C(SYS_readlinkat, -1, (long)"", (long)buf, sizeof(buf)),
		C(SYS_ftruncate, -1, 0),
		C(SYS_fsync, -1),
		C(SYS_fdatasync, -1),
		C(SYS_fallocate, -1, 0, 0, 1),
		C(SYS_fadvise64, -1, 0, 0, 0),
		C(SYS_fcntl, -1, F_GETFL),
		C(SYS_fcntl, -1, F_SETFL, O_NONBLOCK),
		C(SYS_accept4, -1, 0, 0, SOCK_CLOEXEC),
		C(SYS_recvmsg, -1, (long)&msg, MSG_PEEK | MSG_WAITALL),
		C(SYS_sendmsg, -1, (long)&msg, MSG_NOSIGNAL),
		C(SYS_recvmsg, -1, (long)&msg, MSG_DONTWAIT),
		C(SYS_sendmsg, -1, (long)&msg, MSG_NOSIGNAL | MSG_DONTWAIT),
		C(SYS_preadv2, -1, (long)&iov, 1, -1, -1, RWF_NOWAIT),
		C(SYS_pwritev2, -1, (long)&iov, 1, -1, -1, RWF_NOWAIT),
		C(SYS_shutdown, -1, SHUT_RDWR),
		C(SYS_socket, AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0),
		C(SYS_socket, AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0),
		C(SYS_bind, -1, (long)buf, 16),
		C(SYS_connect, -1, (long)buf, 16),
		C(SYS_listen, -1, 1),
		C(SYS_getsockname, -1, (long)buf, (long)buf),
		C(SYS_getpeername, -1, (long)buf, (long)buf),
		C(SYS_setsockopt, -1, SOL_SOCKET, SO_KEEPALIVE, (long)buf, 4),
		C(SYS_getsockopt, -1, IPPROTO_TCP, 4, (long)buf, (long)buf),
		C(SYS_io_uring_enter, -1, 0, 0, 0, 0, 0),
		C(SYS_poll, (long)&pfd, 1, 0),
		C(SYS_ppoll, (long)&pfd, 1, (long)&ts0, 0, 8),
		C(SYS_restart_syscall, 0),
		C(SYS_sched_yield, 0),
		C(SYS_getrandom, (long)buf, 16, 0),
		C(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts0),
		C(SYS_clock_getres, CLOCK_MONOTONIC, (long)&ts0),
		C(SYS_rt_sigaction, SIGCHLD, 0, (long)&sa_query, 8),
		C(SYS_setitimer, ITIMER_REAL, (long)&itv, 0),
		C(SYS_futex, (long)&word, FUTEX_WAKE, 1, 0, 0, 0),
		C(SYS_futex, (long)&word, FUTEX_WAIT_PRIVATE, 1, (long)&ts0, 0, 0),
		C(SYS_waitid, P_PIDFD, -1, (long)&si, WEXITED | WNOHANG, 0),
		C(SYS_pidfd_send_signal, -1, SIGKILL, 0, 0),
		C(SYS_brk, 0),
		C(SYS_munmap, 0, 0),
		C(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
	};

	(void)state;
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
		int st = status_of(&allowed[i]);

		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			fail_msg("%s (#%zu): status %#x, want exit 0", allowed[i].name, i, st);
	}
}

/* Without -S inherit-network: no bind, connect or listen, the rest of
 * wrun:net's calls (a socket with its options, its addresses) still. */
static void test_local_program(void **state)
{
	const struct call killed[] = {
		C(SYS_bind, -1, (long)buf, 16),
		C(SYS_connect, -1, (long)buf, 16),
		C(SYS_listen, -1, 1),
	};
	const struct call alive[] = {
		C(SYS_socket, AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0),
		C(SYS_setsockopt, -1, SOL_SOCKET, SO_KEEPALIVE, (long)buf, 4),
		C(SYS_getsockname, -1, (long)buf, (long)buf),
		C(SYS_accept4, -1, 0, 0, SOCK_CLOEXEC),
		C(SYS_sendmsg, -1, (long)&msg, MSG_NOSIGNAL),
		C(SYS_readv, -1, (long)&iov, 1),
	};

	(void)state;
	network = false;
	for (size_t i = 0; i < sizeof(killed) / sizeof(killed[0]); i++) {
		int st = status_of(&killed[i]);

		if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGSYS)
			fail_msg("%s: status %#x, want death by SIGSYS", killed[i].name, st);
	}
	for (size_t i = 0; i < sizeof(alive) / sizeof(alive[0]); i++) {
		int st = status_of(&alive[i]);

		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			fail_msg("%s: status %#x, want exit 0", alive[i].name, st);
	}
	network = true;
}

/* Under the filter: kill a child through its pidfd and reap it; exit 0 if
 * it died of SIGKILL, 1 if not, 2 if the calls failed. */
static void kill_and_reap(void)
{
	pid_t kid = fork();
	long pidfd;

	if (kid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		for (;;)
			pause();
	}
	pidfd = syscall(SYS_pidfd_open, kid, 0);
	filter_on();
	if (pidfd < 0 || syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, 0, 0) < 0 ||
	    syscall(SYS_waitid, P_PIDFD, pidfd, &si, WEXITED, 0) < 0)
		syscall(SYS_exit_group, 2);
	syscall(SYS_exit_group, si.si_code == CLD_KILLED && si.si_status == SIGKILL ? 0 : 1);
}

static void test_child_killed_and_reaped(void **state)
{
	int st = 0;
	pid_t pid = fork();

	(void)state;
	assert_true(pid >= 0);
	if (pid == 0)
		kill_and_reap();
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void on_alarm(int sig)
{
	(void)sig;
	word = 2;
}

/*
 * Under the filter: a SIGALRM handler runs and returns (rt_sigreturn); then,
 * once it has said so on `ready`, a futex wait with a timeout that the
 * parent stops and continues (the kernel resumes it through
 * restart_syscall).  Exit 0 when all that survived.
 */
static void timed_waits(int ready)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval one = { .it_value = { 0, 1000 } };
	struct timespec t = { 0, 500000000 };

	sigaction(SIGALRM, &sa, NULL);
	filter_on();
	syscall(SYS_setitimer, ITIMER_REAL, &one, NULL);
	while (word != 2)
		syscall(SYS_futex, &word, FUTEX_WAIT, 0, &t, NULL, 0);
	syscall(SYS_write, ready, "r", 1);
	syscall(SYS_futex, &word, FUTEX_WAIT, 2, &t, NULL, 0);
	syscall(SYS_exit_group, 0);
}

static void test_signals_and_restart(void **state)
{
	struct timespec pause_ = { 0, 100000000 };
	int st = 0, p[2];
	char c;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		timed_waits(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	nanosleep(&pause_, NULL);
	kill(pid, SIGSTOP);
	nanosleep(&pause_, NULL);
	kill(pid, SIGCONT);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	close(p[0]);
	close(p[1]);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("status %#x, want exit 0", st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forbidden_calls_kill),
		cmocka_unit_test(test_allowed_calls_survive),
		cmocka_unit_test(test_local_program),
		cmocka_unit_test(test_child_killed_and_reaped),
		cmocka_unit_test(test_signals_and_restart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
