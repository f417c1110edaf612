/*
 * broker.c: sbx_run(), the parent side of a sandboxed run.
 *
 * Start-up: read the module into a sealed memfd, create the channel and
 * the linear memories' memfds (SBX_NMEM, sbx_proto.h), build the WASI context (preopens, stdio,
 * listeners), open the restricted ring, spawn the jailed child and wait
 * until it is confined.  Then drop everything else: close every other
 * descriptor, restrict ourselves with Landlock to the granted trees, drop
 * every capability and load our own seccomp filter (brk_confine.c).
 * Then one loop: wait on the doorbell (io_uring FUTEX_WAIT), the child's
 * pidfd and the deadline; copy each request out once; execute it against
 * the memory size this process controls; answer.
 *
 * The child is hostile.  What it can make the broker do is exactly a WASI
 * call on the handles the user granted, a resize within --max-memory, or
 * its own end; anything else (a bad sequence number, an unknown outcome)
 * ends it.  The broker never reads beyond the memory size it set itself,
 * never trusts a length it did not check, and does not return before the
 * child is reaped.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif
#include "brk.h"
#include "sandbox.h"
#include "sbx.h"
#include "sbx_proto.h"
#include "uring_io.h"
#include "wasi/wasi.h"
#include "wasi/wasi_io.h"
#include "wrun.h"

#define BRK_MAX_MODULE	(1u << 30)	/* as the CLI: refuse modules above 1 GiB */
#define BRK_SLICE_NS	20000000	/* plain broker: re-check the child this often */
#define BRK_MAX_KEEP	(WASI_MAX_FDS + 24)

/* The plain broker's backstop: the pidfd to act on from a signal handler,
 * and the audit log it records the end in. */
static volatile int brk_sig_pidfd = -1;
static volatile int brk_sig_audit = -1;

/* Nanoseconds on the monotonic clock. */
static int64_t brk_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- start-up ---- */

/*
 * Copy the module file into a memfd and seal it whole: the child maps it
 * read-only and nobody can change it afterwards.  The broker reads the
 * bytes but never parses them; with --audit it hashes them (h not NULL),
 * so the digest is of exactly what the child gets.
 */
int brk_module_memfd(const char *path, struct sha256 *h)
{
	_cleanup_fd_ int in = SBX_RETRY(open(path, O_RDONLY | O_CLOEXEC));
	_cleanup_fd_ int fd = -1;
	char buf[65536];
	uint64_t total = 0;
	ssize_t n;

	if (in < 0)
		return -errno;
	fd = memfd_create("wrun-module", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	while ((n = SBX_RETRY(read(in, buf, sizeof(buf)))) > 0) {
		total += (uint64_t)n;
		if (total > BRK_MAX_MODULE)
			return -EFBIG;
		if (h)
			sha256_update(h, buf, (size_t)n);
		for (ssize_t off = 0, w; off < n; off += w)
			if ((w = SBX_RETRY(write(fd, buf + off, (size_t)(n - off)))) < 0)
				return -errno;
	}
	if (n < 0)
		return -errno;
	if (total == 0)
		return -ENOEXEC;
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW |
		  F_SEAL_SEAL) < 0)
		return -errno;
	return sbx_steal_fd(&fd);
}

/*
 * --invoke: write the call into the channel's text area for the child to
 * copy out (sbx_proto.h).  0, or -E2BIG when it does not fit, -errno.
 */
static int brk_put_invoke(const struct sbx_opts *o, int chan_fd)
{
	char blob[SBX_TEXT_SIZE] = { SBX_INVOKE_TAG };
	uint32_t n = (uint32_t)(o->wasi.argc - 1);
	size_t used = SBX_INVOKE_HEAD;

	memcpy(blob + 1, &n, sizeof(n));
	for (int i = 0; i < o->wasi.argc; i++) {
		const char *str = i == 0 ? o->invoke : o->wasi.argv[i];
		size_t len = strlen(str) + 1;

		if (len > sizeof(blob) - used)
			return -E2BIG;
		memcpy(blob + used, str, len);
		used += len;
	}
	return pwrite(chan_fd, blob, used, SBX_TEXT_OFF) == (ssize_t)used ? 0 : -errno;
}

/* A linear memory's memfd: empty, and sealed so it can never shrink. */
static int brk_mem_memfd(void)
{
	_cleanup_fd_ int fd = memfd_create("wrun-memory", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return -errno;
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_SEAL) < 0)
		return -errno;
	return sbx_steal_fd(&fd);
}

/*
 * io_uring if the host allows it, else plain calls with a notice.  Tests
 * force the plain path (SBX_ENV_NO_URING=1 or force_plain) silently, so
 * that the same expected output serves both.
 */
static void brk_backend(struct brk *b)
{
	const char *env = getenv(SBX_ENV_NO_URING);
	int r = -EPERM;

	if (b->o->force_plain || (env && strcmp(env, "1") == 0)) {
		r = -EPERM;
	} else if ((r = uring_io_open(&b->uio, -1, -1)) < 0) {
		brk_say("notice: io_uring unavailable (%s); the broker uses plain system calls",
			strerror(-r));
	}
	b->uring = r >= 0;
	b->be = b->uring ? &b->uio.be : &wasi_io_sys;
}

/* The WASI context: arguments, environment, stdio, preopens, listeners. */
static int brk_context(struct brk *b)
{
	wasi_config cfg = b->o->wasi;
	char err[256];

	cfg.io = b->be;

	b->ctx = wasi_ctx_new(&cfg, err, sizeof(err));
	if (!b->ctx) {
		brk_say("%s", err);
		return -1;
	}
	return 0;
}

/*
 * Spawn once at `level`; fills e on failure.  The ring and the WASI
 * context are made while the child re-executes and confines itself, so
 * that the two start-ups overlap (the child never sees either: it is
 * already a separate process).  -1 after brk_say when those fail.
 */
static int brk_spawn_at(struct brk *b, enum jail_level level, struct jail_err *e)
{
	char fuel[24];
	char *argv[7] = { "wrun", SBX_CHILD_FLAG, (char *)jail_level_name(level), fuel,
			  b->o->unknown_trap ? "trap-unknown" : "-", (char *)b->o->test_hook,
			  NULL };
	int keep[SBX_NKEEP];
	struct jail_opts jo = { .level = level, .exe_fd = b->exe_fd, .argv = argv,
				.outside_uid = (uid_t)-1, .outside_gid = (gid_t)-1 };
	int r;

	keep[0] = b->chan_fd;	/* the order of sbx_proto.h */
	for (unsigned i = 0; i < SBX_NMEM; i++)
		keep[1 + i] = b->mem_fd[i];
	keep[SBX_NKEEP - 1] = b->mod_fd;
	snprintf(fuel, sizeof(fuel), "%llu", (unsigned long long)b->o->fuel);
	r = jail_spawn(&jo, keep, SBX_NKEEP, &b->child, e);
	if (r < 0)
		return r;
	if (!b->ctx) {
		brk_backend(b);
		if (brk_context(b) < 0) {
			jail_release(&b->child);
			e->msg[0] = '\0';	/* already said */
			return -1;
		}
	}
	r = jail_wait_ready(&b->child, e);
	if (r < 0)
		jail_release(&b->child);
	return r;
}

/*
 * Start the jailed child at the level asked for.  A host that refuses
 * user namespaces gets the seccomp level only if the user allowed the
 * fallback, and then with a notice; never silently less.
 */
static int brk_spawn(struct brk *b)
{
	struct jail_err e = { 0 };
	int r = brk_spawn_at(b, b->o->level, &e);

	if (r < 0 && e.userns_refused && b->o->allow_fallback) {
		brk_say("notice: %s; falling back to --sandbox=seccomp", e.msg + 9);
		r = brk_spawn_at(b, JAIL_SECCOMP, &e);
	} else if (r < 0 && e.userns_refused) {
		brk_say("%s", e.msg);
		brk_say("--sandbox=full is not available on this host; use --sandbox=seccomp "
			"or allow the fallback with --sandbox-fallback");
		return r;
	}
	if (r < 0 && e.msg[0])
		brk_say("%s", e.msg);
	return r;
}

/* Map the channel and the whole 4 GiB range of memfd 0, the memory WASI
 * calls see; the other memfds are never mapped here. */
static int brk_map(struct brk *b)
{
	void *p;

	if (chan_map(b->chan_fd, &b->chan) < 0)
		return -errno;
	p = mmap(NULL, SBX_MEM_MAX, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE,
		 b->mem_fd[0], 0);
	if (p == MAP_FAILED)
		return -errno;
	b->mem = p;
	return 0;
}

static int brk_cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Close every descriptor not in keep[0..n) (sorted here). */
static void brk_close_others(int *keep, unsigned n)
{
	unsigned lo = 0;

	qsort(keep, n, sizeof(*keep), brk_cmp_int);
	for (unsigned i = 0; i < n; i++) {
		if (keep[i] < 0 || (unsigned)keep[i] < lo)
			continue;
		if ((unsigned)keep[i] > lo)
			close_range(lo, (unsigned)keep[i] - 1, 0);
		lo = (unsigned)keep[i] + 1;
	}
	close_range(lo, ~0U, 0);
}

/*
 * Hold only what the run needs: stdio, the guest's handles (preopens,
 * stdio copies, listeners), the memfds, the ring, the pidfd, the audit
 * log.  Then Landlock to the preopened trees where the kernel has it.
 */
static void brk_lockdown(struct brk *b)
{
	static int keep[BRK_MAX_KEEP];
	int dirs[WASI_MAX_FDS];
	unsigned n = 0, nd = 0;
	const char *why = NULL;
	int abi;

	keep[n++] = 0, keep[n++] = 1, keep[n++] = 2;
	keep[n++] = b->chan_fd, keep[n++] = b->audit_fd;
	for (unsigned i = 0; i < SBX_NMEM; i++)
		keep[n++] = b->mem_fd[i];
	keep[n++] = b->child.pidfd;
	keep[n++] = b->uring ? b->uio.ring.uring.ring_fd : -1;
	for (uint32_t i = 0; i < wasi_fd_end(b->ctx) && n < BRK_MAX_KEEP; i++) {
		keep[n++] = wasi_host_fd(b->ctx, i);
		if (wasi_fd_is_preopen(b->ctx, i))
			dirs[nd++] = wasi_host_fd(b->ctx, i);
	}
	brk_close_others(keep, n);
#ifdef __SANITIZE_ADDRESS__
	/* make asan's build: LeakSanitizer's end-of-process pass reads /proc
	 * and stops the process with clone and ptrace, which Landlock and the
	 * broker's filter refuse; run it now, which turns the later one off. */
	__lsan_do_leak_check();
#endif
	abi = brk_landlock(dirs, nd, (b->o->wasi.net & WASI_NET_INHERIT) != 0, &why);
	if (abi == 0)
		brk_say("notice: %s; the broker relies on RESOLVE_BENEATH alone", why);
	else if (abi < 0)
		brk_say("notice: Landlock failed (%s); the broker relies on RESOLVE_BENEATH "
			"alone", strerror(-abi));
}

/* ---- the loop ---- */

/* Plain broker: wait on the doorbell in slices, checking child and clock. */
static unsigned brk_plain_wait(struct brk *b)
{
	struct pollfd pfd = { .fd = b->child.pidfd, .events = POLLIN };
	int64_t slice = BRK_SLICE_NS;
	unsigned ev = 0;

	if (b->deadline >= 0 && b->deadline - brk_now() < slice)
		slice = b->deadline - brk_now() > 0 ? b->deadline - brk_now() : 0;
	if (chan_wait(&b->chan, slice))
		ev |= RING_EV_FUTEX;
	if (SBX_RETRY(poll(&pfd, 1, 0)) > 0)
		ev |= RING_EV_CHILD;
	if (b->deadline >= 0 && brk_now() >= b->deadline)
		ev |= RING_EV_TIMEOUT;
	return ev;
}

/* Ring broker: spin briefly, then sleep in the ring on the doorbell. */
static unsigned brk_ring_wait(struct brk *b)
{
	if (chan_spin(&b->chan))
		return RING_EV_FUTEX | uring_io_take(&b->uio);
	if (chan_broker_sleep(&b->chan) < 0)
		return RING_EV_FUTEX | uring_io_take(&b->uio);
	if (!b->uio.events)
		uring_io_wait(&b->uio, &b->chan.page->req_seq, b->chan.seq);
	chan_broker_awake(&b->chan);
	return uring_io_take(&b->uio);
}

/* How the child ended, when it ended before saying how the guest did. */
static void brk_child_ended(struct brk *b)
{
	int st = jail_reap(&b->child);

	if (st < 0 || b->done)
		return;
	if (WIFSIGNALED(st))
		b->end_signal = WTERMSIG(st);
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS)
		brk_finish_as(b, RUN_VIOLATION, "the jailed child made a forbidden system "
			      "call (killed by SIGSYS)");
	else if (WIFSIGNALED(st))
		brk_finish_as(b, RUN_CRASH, "the jailed child died by signal %d (%s)",
			WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		brk_finish_as(b, RUN_CRASH, "the jailed child exited (status %d) without a "
			"result", WEXITSTATUS(st));
}

/* Serve requests until the run ends one way or another. */
static void brk_loop(struct brk *b)
{
	unsigned ev = 0;

	while (!b->done) {
		if (brk_take(b))
			ev |= b->uring ? uring_io_take(&b->uio) : 0;
		else
			ev |= b->uring ? brk_ring_wait(b) : brk_plain_wait(b);
		if (b->done)
			break;
		if (ev & RING_EV_TIMEOUT)
			brk_finish_as(b, RUN_TIMEOUT, NULL);
		else if (ev & RING_EV_CHILD) {
			while (!b->done && brk_take(b))	/* its last words */
				;
			brk_child_ended(b);
		}
		ev = 0;
	}
}

/*
 * A guest call that blocks where the deadline cannot reach it (any call of
 * the plain broker, a file call of the ring broker) is ended by an interval
 * timer from the signal handler: kill and reap the child, one line, exit.  Only
 * async-signal-safe calls; the memfds vanish with this process.
 */
/* The timeout's line and audit message, worded by run_message() before
 * the timer is armed: the handler only writes them. */
static char brk_timeout_msg[256];
static char brk_timeout_line[264];
static size_t brk_timeout_len;

static void brk_alarm(int sig)
{
	const struct brk_audit_end e = { .outcome = "limit", .limit = "timeout",
					 .exit_code = SBX_EXIT_TIMEOUT,
					 .message = brk_timeout_msg };
	siginfo_t si;

	brk_in_call = 0;	/* the child's death is ours now, not brk_sigchld's */
	syscall(SYS_pidfd_send_signal, brk_sig_pidfd, SIGKILL, NULL, 0);
	waitid((idtype_t)P_PIDFD, (id_t)brk_sig_pidfd, &si, WEXITED);
	brk_audit_end(brk_sig_audit, &e);
	if (write(STDERR_FILENO, brk_timeout_line, brk_timeout_len) < 0)
		_exit(SBX_EXIT_TIMEOUT);
	_exit(SBX_EXIT_TIMEOUT);
}

/* Word the timeout for brk_alarm. */
static void brk_timeout_words(const struct brk *b)
{
	struct run_limits l = sbx_limits(b->o);
	static struct run_outcome o = { .end = RUN_TIMEOUT };

	run_message(&o, &l, brk_timeout_msg, sizeof(brk_timeout_msg));
	run_line(&o, &l, brk_timeout_line, sizeof(brk_timeout_line));
	brk_timeout_len = strlen(brk_timeout_line);
}

/* brk_sigchld's audit record: msg without "wrun: " and the newline. */
static void brk_sigchld_log(int code, int sig, const char *msg)
{
	char text[64];
	size_t n = strlen(msg + 6);
	struct brk_audit_end e = { .outcome = code == SBX_EXIT_SANDBOX ? "violation" : "crash",
				   .signal = sig, .exit_code = code, .message = text };

	if (n == 0 || n > sizeof(text))
		return;
	memcpy(text, msg + 6, n - 1);
	text[n - 1] = '\0';
	brk_audit_end(brk_sig_audit, &e);
}

/*
 * Plain broker only: the child died while a call blocks.  Outside a call
 * the loop notices within one slice; inside, end the run from here, as
 * brk_child_ended() would (async-signal-safe: a fixed text, a digit pair).
 */
static void brk_sigchld(int sig)
{
	static char msg[] = "wrun: the jailed child died by signal NN during a call\n";
	siginfo_t si = { 0 };
	int code;

	if (!brk_in_call ||
	    waitid((idtype_t)P_PIDFD, (id_t)brk_sig_pidfd, &si, WEXITED | WNOHANG) < 0 ||
	    si.si_pid == 0)
		return;
	if (si.si_code == CLD_EXITED)
		code = SBX_EXIT_CRASH, si.si_status = 0;
	else
		code = si.si_status == SIGSYS ? SBX_EXIT_SANDBOX : SBX_EXIT_CRASH;
	msg[38] = (char)('0' + si.si_status / 10 % 10);
	msg[39] = (char)('0' + si.si_status % 10);
	brk_sigchld_log(code, si.si_status, msg);
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(code);
	_exit(code);
}

/*
 * Arm the backstops: the timer a little after the deadline, at both kinds
 * of broker (the ring broker's own calls on files cannot be cancelled from
 * its ring, so the timer covers one that hangs on a stuck file system), and
 * for the plain broker the SIGCHLD handler too.
 */
static void brk_arm_backstops(struct brk *b)
{
	struct sigaction sa = { .sa_handler = brk_alarm };
	uint64_t ms = b->o->timeout_ms + 250;
	struct itimerval it = { .it_value = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000 } };

	brk_sig_pidfd = b->child.pidfd;
	brk_sig_audit = b->audit_fd;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGCHLD);
	sigaddset(&sa.sa_mask, SIGALRM);
	sa.sa_flags = SA_RESTART;
	if (b->o->timeout_ms) {
		brk_timeout_words(b);
		sigaction(SIGALRM, &sa, NULL);
		setitimer(ITIMER_REAL, &it, NULL);
	}
	if (b->uring)
		return;
	sa.sa_handler = brk_sigchld;
	sigaction(SIGCHLD, &sa, NULL);
}

/* Disarm them before the child is reaped the usual way. */
static void brk_disarm_backstops(struct brk *b)
{
	struct itimerval off = { 0 };

	setitimer(ITIMER_REAL, &off, NULL);
	if (b->uring)
		return;
	signal(SIGCHLD, SIG_DFL);
	brk_in_call = 0;
}

/* ---- the run ---- */

/* The audit log's first record, once the level the child runs at is known. */
static void brk_log_start(const struct brk *b, bool spawned)
{
	struct brk_audit_start s = { .o = b->o, .size = b->mod_size, .uring = b->uring,
				     .level = spawned ? b->child.level : b->o->level };

	memcpy(s.sha256, b->mod_sha256, sizeof(s.sha256));
	brk_audit_start(b->audit_fd, &s);
}

/* Everything up to the loop; 0, or -1 after saying what failed. */
static int brk_start(struct brk *b)
{
	const struct sbx_opts *o = b->o;
	struct sha256 h;
	int r;

	sha256_init(&h);
	if ((r = brk_module_memfd(o->module, o->audit ? &h : NULL)) < 0) {
		brk_say("%s: %s", o->module, r == -ENOEXEC ? "empty file" : strerror(-r));
		return -1;
	}
	b->mod_fd = r;
	if (o->audit) {
		b->mod_size = h.len;
		sha256_final(&h, b->mod_sha256);
	}
	b->chan_fd = r = chan_create();
	for (unsigned i = 0; i < SBX_NMEM && r >= 0; i++)
		b->mem_fd[i] = r = brk_mem_memfd();
	if (r < 0) {
		brk_say("sandbox: cannot create memfds: %s", strerror(-r));
		return -1;
	}
	if (o->invoke && (r = brk_put_invoke(o, b->chan_fd)) < 0) {
		brk_say(r == -E2BIG ? "--invoke %s: the name and arguments take more than %u "
			"bytes, the most the sandbox passes; use --sandbox=none" :
			"--invoke %s: cannot pass the call to the child", o->invoke,
			SBX_TEXT_SIZE - SBX_INVOKE_HEAD);
		b->status = r == -E2BIG ? SBX_EXIT_USAGE : SBX_EXIT_ERROR;
		return -1;
	}
	if (o->audit && (b->audit_fd = brk_audit_open(o->audit, o->audit_truncate)) < 0) {
		brk_say("--audit %s: %s", o->audit, strerror(-b->audit_fd));
		return -1;
	}
	brk_proto(b);
	r = brk_spawn(b);
	brk_log_start(b, r >= 0);
	if (r < 0)
		return -1;
	if ((r = brk_map(b)) < 0) {
		brk_say("sandbox: cannot map shared memory: %s", strerror(-r));
		return -1;
	}
	return 0;
}

/*
 * End the run: kill the child if it still runs and reap it, so that nothing
 * of it outlives wrun.  The ring, the mappings, the memfds and the WASI
 * context are left to the process's exit, which follows sbx_run() at once
 * and releases them in one pass; unmapping and closing them one by one
 * first cost about 1 ms per run on the measured machine.
 */
static void brk_stop(struct brk *b)
{
	jail_release(&b->child);
}

int sbx_run(const struct sbx_opts *o)
{
	struct brk b = { .o = o, .chan_fd = -1, .mod_fd = -1,
			 .audit_fd = -1, .exe_fd = o->exe_fd, .deadline = -1,
			 .child = { .pid = -1, .pidfd = -1, .report_fd = -1 } };

	for (unsigned i = 0; i < SBX_NMEM; i++)
		b.mem_fd[i] = -1;
	b.mem_max = o->max_memory && o->max_memory < SBX_MEM_MAX ? o->max_memory : SBX_MEM_MAX;
	b.mem_max_more = o->max_memory ? o->max_memory : WR_MEMORY64_MAX_DEFAULT;
	if (o->level != JAIL_FULL && o->level != JAIL_SECCOMP) {
		brk_say("sandbox: level %s is not run by the broker", jail_level_name(o->level));
		return SBX_EXIT_ERROR;
	}
	if (b.exe_fd < 0 && (b.exe_fd = jail_open_self()) < 0) {
		brk_say("sandbox: cannot open wrun's own executable: %s", strerror(-b.exe_fd));
		return SBX_EXIT_ERROR;
	}
	signal(SIGPIPE, SIG_IGN);
	if (brk_start(&b) < 0) {
		brk_stop(&b);
		b.status = b.status ? b.status : SBX_EXIT_ERROR;
		brk_log_end(&b, b.status);
		return b.status;
	}
	sbx_closep(&b.mod_fd);
	sbx_closep(&b.exe_fd);
	if (o->timeout_ms)
		b.deadline = brk_now() + (int64_t)o->timeout_ms * 1000000;
	b.uio.pidfd = b.child.pidfd;
	b.uio.deadline_ns = b.deadline;
	brk_lockdown(&b);
	if (brk_confine(&b) < 0) {
		brk_stop(&b);
		return SBX_EXIT_ERROR;
	}
	sbx_broker_hook(o->test_hook);
	brk_arm_backstops(&b);
	brk_loop(&b);
	brk_disarm_backstops(&b);
	brk_stop(&b);
	brk_log_end(&b, b.status);
	return b.status;
}
