/*
 * probe.c: escape and syscall probe for the jail (test-only binary; it is
 * built by the test rules only and never linked into wrun).
 *
 * Run without arguments it is the runner: for each level it spawns jailed
 * copies of itself (re-executed with --jail-child) that attempt one
 * forbidden call each and must die by SIGSYS, one that makes only allowed
 * calls and must exit 0, and one that stays alive after the jail so that
 * the runner can inspect it from outside (/proc/PID/status, fd, environ,
 * mem, and its network namespace).  The last line is
 * "N passed, N failed, N skipped".
 */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <linux/magic.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jail.h"

#define PROBE_NKEEP	2
#define PROBE_MAGIC_A	0x41414141u
#define PROBE_MAGIC_B	0x42424242u
#define PROBE_CANARY	"WRUN_PROBE_CANARY=host-secret-7c1e"
#define PROBE_EXIT_LIVED 3	/* a forbidden call returned */

/* The page shared with a child, at its fd 3. */
struct probe_page {
	uint32_t magic;
	_Atomic uint32_t ready;		/* child: inside checks written */
	_Atomic uint32_t release;	/* runner: inspection finished */
	uint32_t kept_ok;		/* fds 3 and 4 were the right memfds */
	uint32_t env_empty;		/* environ was empty */
	uint32_t leaked;		/* descriptors open beyond the kept ones */
	uint32_t first_leak;
};

static int n_pass, n_fail, n_skip;

/* Record one result line. */
static void probe_result(int verdict, const char *level, const char *what,
			 const char *detail)
{
	static const char *const tag[] = { "FAIL", "ok  ", "skip" };

	if (verdict == 1)
		n_pass++;
	else if (verdict == 0)
		n_fail++;
	else
		n_skip++;
	printf("%s %s/%s: %s\n", tag[verdict], level, what, detail);
	fflush(stdout);
}

static long probe_futex(_Atomic uint32_t *w, int op, uint32_t val,
			const struct timespec *ts)
{
	return syscall(SYS_futex, w, op, val, ts, NULL, 0);
}

/* ---- child side: forbidden and allowed calls ---- */

static char *const probe_argv[] = { "/bin/true", NULL };

static long try_openat(void) { return syscall(SYS_openat, AT_FDCWD, "/", O_RDONLY); }
static long try_open(void) { return syscall(SYS_open, "/", O_RDONLY); }
static long try_socket(void) { return syscall(SYS_socket, AF_INET, SOCK_STREAM, 0); }
static long try_execve(void) { return syscall(SYS_execve, "/bin/true", probe_argv, probe_argv + 1); }
static long try_execveat(void) { return syscall(SYS_execveat, AT_FDCWD, "/bin/true", probe_argv, probe_argv + 1, 0); }
static long try_ptrace(void) { return syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0); }
static long try_uring_setup(void) { char p[120] = { 0 }; return syscall(SYS_io_uring_setup, 4, p); }
static long try_uring_enter(void) { return syscall(SYS_io_uring_enter, 3, 0, 0, 0, NULL, 0); }
static long try_uring_register(void) { return syscall(SYS_io_uring_register, 3, 0, NULL, 0); }
static long try_clone(void) { return syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0); }
static long try_clone3(void) { uint64_t a[8] = { 0, 0, 0, 0, SIGCHLD }; return syscall(SYS_clone3, a, sizeof(a)); }
static long try_fork(void) { return syscall(SYS_fork); }
static long try_write(void) { return syscall(SYS_write, 3, "x", 1); }
static long try_read(void) { char c; return syscall(SYS_read, 3, &c, 1); }
static long try_kill(void) { return syscall(SYS_kill, 1, 0); }
static long try_prctl(void) { return syscall(SYS_prctl, PR_GET_DUMPABLE, 0, 0, 0, 0); }
static long try_unshare(void) { return syscall(SYS_unshare, CLONE_NEWUSER); }
static long try_memfd(void) { return syscall(SYS_memfd_create, "x", 0); }
static long try_ioctl(void) { char c = 'x'; return syscall(SYS_ioctl, 3, TIOCSTI, &c); }
static long try_nanosleep(void) { struct timespec t = { 0, 1 }; return syscall(SYS_nanosleep, &t, NULL); }
static long try_getpid(void) { return syscall(SYS_getpid); }
static long try_mount(void) { return syscall(SYS_mount, "none", "/", "tmpfs", 0, NULL); }
static long try_bpf(void) { return syscall(SYS_bpf, 0, NULL, 0); }

static long try_futex_pi(void)
{
	static _Atomic uint32_t w;
	return syscall(SYS_futex, &w, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
}

static long try_mmap_exec(void)
{
	return syscall(SYS_mmap, NULL, 4096, PROT_READ | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static long try_mprotect_exec(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	return syscall(SYS_mprotect, p, 4096, PROT_READ | PROT_EXEC);
}

static long try_pkey_mprotect(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	return syscall(SYS_pkey_mprotect, p, 4096, PROT_READ, 0);
}

static const struct probe_call {
	const char *name;
	long (*fn)(void);
} probe_calls[] = {
	{ "openat", try_openat }, { "open", try_open },
	{ "socket", try_socket }, { "execve", try_execve },
	{ "execveat", try_execveat }, { "ptrace", try_ptrace },
	{ "io_uring_setup", try_uring_setup },
	{ "io_uring_enter", try_uring_enter },
	{ "io_uring_register", try_uring_register },
	{ "mmap_exec", try_mmap_exec }, { "mprotect_exec", try_mprotect_exec },
	{ "pkey_mprotect", try_pkey_mprotect },
	{ "clone", try_clone }, { "clone3", try_clone3 }, { "fork", try_fork },
	{ "write", try_write }, { "read", try_read }, { "kill", try_kill },
	{ "prctl", try_prctl }, { "unshare", try_unshare },
	{ "memfd_create", try_memfd }, { "ioctl_tiocsti", try_ioctl },
	{ "nanosleep", try_nanosleep }, { "getpid", try_getpid },
	{ "mount", try_mount }, { "bpf", try_bpf },
	{ "futex_lock_pi", try_futex_pi },
};
#define PROBE_NCALLS (sizeof(probe_calls) / sizeof(probe_calls[0]))

/* Allowed calls only: every one must succeed without killing us. */
static int child_allowed(struct probe_page *pg)
{
	struct timespec ts;
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || mprotect(p, 4096, PROT_READ) ||
	    madvise(p, 8192, MADV_DONTNEED) || munmap(p, 8192))
		return 10;
	if (syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts))
		return 11;
	if (probe_futex(&pg->ready, FUTEX_WAKE, 1, NULL) < 0)
		return 12;
	p = malloc(1 << 20);	/* large: mmap; freed: munmap */
	if (!p)
		return 13;
	free(p);
	if (syscall(SYS_close, 1000) != -1 || errno != EBADF)
		return 14;
	return 0;
}

/* Inside checks, then stay alive until the runner has looked at us. */
static int child_inspect(struct probe_page *pg)
{
	extern char **environ;

	pg->env_empty = !environ || !environ[0];
	for (int fd = 0; fd < 1024; fd++) {
		if (fd >= JAIL_FD_FIRST && fd < JAIL_FD_FIRST + PROBE_NKEEP)
			continue;
		if (syscall(SYS_close, fd) == 0 && !pg->leaked++)
			pg->first_leak = (uint32_t)fd;
	}
	atomic_store(&pg->ready, 1);
	probe_futex(&pg->ready, FUTEX_WAKE, 1, NULL);
	while (!atomic_load(&pg->release))
		probe_futex(&pg->release, FUTEX_WAIT, 0, NULL);
	return 0;
}

/* The re-executed child: check the kept fds, jail, then do one thing. */
static int child_main(const char *level_s, const char *action)
{
	enum jail_level level;
	struct probe_page *pg;
	uint32_t *b;

	if (jail_level_parse(level_s, &level) < 0)
		return 20;
	pg = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, JAIL_FD_FIRST, 0);
	b = mmap(NULL, 4096, PROT_READ, MAP_SHARED, JAIL_FD_FIRST + 1, 0);
	if (pg == MAP_FAILED || b == MAP_FAILED)
		return 21;
	pg->kept_ok = pg->magic == PROBE_MAGIC_A && *b == PROBE_MAGIC_B;
	munmap(b, 4096);
	if (strcmp(action, "garbage") == 0) {
		/* not a report: the broker must show it, not parse it */
		if (write(JAIL_FD_REPORT, "\x01garbage\xff\n", 10) < 0)
			return 23;
		_exit(0);
	}
	/* start-up code may have opened something: jail_enter must close it */
	if (dup(JAIL_FD_FIRST) < 0)
		return 24;
	jail_enter(level, PROBE_NKEEP);
	if (strcmp(action, "allowed") == 0)
		return child_allowed(pg);
	if (strcmp(action, "inspect") == 0)
		return child_inspect(pg);
	for (size_t i = 0; i < PROBE_NCALLS; i++)
		if (strcmp(action, probe_calls[i].name) == 0) {
			probe_calls[i].fn();
			_exit(PROBE_EXIT_LIVED);
		}
	return 22;
}

/* ---- runner side ---- */

struct probe_run {
	enum jail_level level;
	int exe_fd;
	int memfd[PROBE_NKEEP];
	struct probe_page *pg;
};

/* Two memfds, the first shared with the child as a probe_page. */
static int runner_setup(struct probe_run *r)
{
	uint32_t *b;

	for (int i = 0; i < PROBE_NKEEP; i++) {
		r->memfd[i] = memfd_create("probe", MFD_CLOEXEC);
		if (r->memfd[i] < 0 || ftruncate(r->memfd[i], 4096) < 0)
			return -errno;
	}
	r->pg = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, r->memfd[0], 0);
	b = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, r->memfd[1], 0);
	if (r->pg == MAP_FAILED || b == MAP_FAILED)
		return -errno;
	*b = PROBE_MAGIC_B;
	munmap(b, 4096);
	return 0;
}

/* Spawn one jailed child doing action; 0, or -errno with e filled. */
static int runner_spawn(struct probe_run *r, const char *action,
			struct jail_child *c, struct jail_err *e)
{
	char *argv[] = { "wrun-probe", "--jail-child",
			 (char *)jail_level_name(r->level), (char *)action, NULL };
	struct jail_opts o = {
		.level = r->level, .exe_fd = r->exe_fd, .argv = argv,
		.outside_uid = (uid_t)-1, .outside_gid = (gid_t)-1,
	};
	int err;

	memset(r->pg, 0, 4096);
	r->pg->magic = PROBE_MAGIC_A;
	err = jail_spawn(&o, r->memfd, PROBE_NKEEP, c, e);
	if (err < 0)
		return err;
	err = jail_wait_ready(c, e);
	if (err < 0)
		jail_release(c);
	return err;
}

/* Reap with a deadline: a child that outlives it is killed and counted so. */
static int runner_reap(struct jail_child *c, int ms)
{
	struct pollfd p = { .fd = c->pidfd, .events = POLLIN };
	int st;

	if (poll(&p, 1, ms) == 0) {
		jail_release(c);
		return -ETIMEDOUT;
	}
	st = jail_reap(c);
	jail_release(c);
	return st;
}

/* Describe a wait status in a few words. */
static const char *runner_status(int st, char *buf, size_t n)
{
	if (st == -ETIMEDOUT)
		snprintf(buf, n, "still running after the deadline");
	else if (st < 0)
		snprintf(buf, n, "reap failed: %s", strerror(-st));
	else if (WIFSIGNALED(st))
		snprintf(buf, n, "killed by %s", strsignal(WTERMSIG(st)));
	else
		snprintf(buf, n, "exited %d", WEXITSTATUS(st));
	return buf;
}

/* Each forbidden call must end the child by SIGSYS. */
static void runner_forbidden(struct probe_run *r, const char *lv)
{
	struct jail_child c;
	struct jail_err e;
	char buf[128];
	int st;

	for (size_t i = 0; i < PROBE_NCALLS; i++) {
		if (runner_spawn(r, probe_calls[i].name, &c, &e) < 0) {
			probe_result(0, lv, probe_calls[i].name, e.msg);
			continue;
		}
		st = runner_reap(&c, 5000);
		probe_result(st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS,
			     lv, probe_calls[i].name, runner_status(st, buf, sizeof(buf)));
	}
}

/* The allowed calls must not kill the child: it must exit 0. */
static void runner_allowed(struct probe_run *r, const char *lv)
{
	struct jail_child c;
	struct jail_err e;
	char buf[128];
	int st;

	if (runner_spawn(r, "allowed", &c, &e) < 0) {
		probe_result(0, lv, "allowed-calls", e.msg);
		return;
	}
	st = runner_reap(&c, 5000);
	probe_result(st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0, lv,
		     "allowed-calls", runner_status(st, buf, sizeof(buf)));
}

/* Read /proc/PID/NAME into buf (NUL-terminated); length or -errno. */
static ssize_t runner_proc_read(pid_t pid, const char *name, char *buf, size_t n)
{
	char path[64];
	ssize_t len, got = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((size_t)got + 1 < n && (len = read(fd, buf + got, n - 1 - got)) > 0)
		got += len;
	if (len < 0 && got == 0)
		got = -errno;
	close(fd);
	if (got >= 0)
		buf[got] = 0;
	return got;
}

/* The value of "Key:" in a status file, or "" if absent. */
static const char *runner_field(const char *status, const char *key, char *out, size_t n)
{
	const char *p = strstr(status, key);
	size_t i = 0;

	out[0] = 0;
	if (!p)
		return out;
	p += strlen(key);
	while (*p == ' ' || *p == '\t')
		p++;
	while (*p && *p != '\n' && i + 1 < n)
		out[i++] = *p++;
	out[i] = 0;
	return out;
}

/* Capabilities, no_new_privs, seccomp mode and ids from /proc/PID/status. */
static void runner_check_status(struct probe_run *r, const char *lv, pid_t pid)
{
	static const char *const caps[] = { "CapInh:", "CapPrm:", "CapEff:", "CapAmb:" };
	char st[4096], v[64], msg[160];

	if (runner_proc_read(pid, "status", st, sizeof(st)) < 0) {
		probe_result(0, lv, "status", "cannot read /proc/PID/status");
		return;
	}
	for (size_t i = 0; i < 4; i++) {
		runner_field(st, caps[i], v, sizeof(v));
		snprintf(msg, sizeof(msg), "%s %s", caps[i], v);
		probe_result(strcmp(v, "0000000000000000") == 0, lv, caps[i], msg);
	}
	runner_field(st, "CapBnd:", v, sizeof(v));
	snprintf(msg, sizeof(msg), "CapBnd: %s", v);
	if (strcmp(v, "0000000000000000") == 0)
		probe_result(1, lv, "CapBnd:", msg);
	else if (r->level == JAIL_SECCOMP && geteuid() != 0)
		probe_result(2, lv, "CapBnd:", "unprivileged without namespaces: "
			     "bounding set cannot be dropped (no_new_privs covers it)");
	else
		probe_result(0, lv, "CapBnd:", msg);
	runner_field(st, "NoNewPrivs:", v, sizeof(v));
	probe_result(strcmp(v, "1") == 0, lv, "NoNewPrivs", v);
	runner_field(st, "Seccomp:", v, sizeof(v));
	probe_result(strcmp(v, "2") == 0, lv, "Seccomp", v);
	runner_field(st, "Groups:", v, sizeof(v));
	snprintf(msg, sizeof(msg), "Groups: '%s'", v);
	if (v[0] == 0)
		probe_result(1, lv, "no-groups", msg);
	else if (geteuid() != 0)
		probe_result(2, lv, "no-groups", "an unprivileged broker cannot "
			     "drop its own supplementary groups");
	else
		probe_result(0, lv, "no-groups", msg);
	runner_field(st, "Uid:", v, sizeof(v));
	snprintf(msg, sizeof(msg), "Uid: %s", v);
	probe_result(atoi(v) != 0, lv, "not-host-root", msg);
}

/* /proc/PID/fd must list exactly the kept descriptors. */
static void runner_check_fds(const char *lv, pid_t pid)
{
	char path[64], link[64], msg[160];
	int extra = 0, kept = 0;

	for (int fd = 0; fd < 1024; fd++) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
		if (readlink(path, link, sizeof(link)) < 0) {
			if (errno == EACCES || errno == EPERM) {
				probe_result(2, lv, "proc-fd", "not readable by this user "
					     "(the inside check covers it)");
				return;
			}
			continue;
		}
		if (fd >= JAIL_FD_FIRST && fd < JAIL_FD_FIRST + PROBE_NKEEP)
			kept++;
		else
			extra++;
	}
	snprintf(msg, sizeof(msg), "%d kept, %d others", kept, extra);
	probe_result(kept == PROBE_NKEEP && extra == 0, lv, "proc-fd", msg);
}

/* /proc/PID/environ must be empty and the canary absent from the stack. */
static void runner_check_env(const char *lv, pid_t pid)
{
	char buf[4096], maps[16384], path[64];
	unsigned long lo, hi;
	const char *s;
	ssize_t n = runner_proc_read(pid, "environ", buf, sizeof(buf));
	int fd, found = 0;

	if (n < 0) {
		probe_result(2, lv, "proc-environ", "not readable by this user");
		return;
	}
	probe_result(n == 0, lv, "proc-environ", n == 0 ? "empty" : buf);
	if (runner_proc_read(pid, "maps", maps, sizeof(maps)) <= 0 ||
	    !(s = strstr(maps, "[stack]")))
		return probe_result(2, lv, "stack-canary", "no [stack] in maps");
	while (s > maps && s[-1] != '\n')
		s--;
	if (sscanf(s, "%lx-%lx", &lo, &hi) != 2)
		return probe_result(0, lv, "stack-canary", "bad maps line");
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return probe_result(2, lv, "stack-canary", "mem not readable");
	for (unsigned long a = lo; a < hi && !found; a += sizeof(buf) - 64) {
		n = pread(fd, buf, sizeof(buf), (off_t)a);
		if (n > 0 && memmem(buf, (size_t)n, PROBE_CANARY + 18, 16))
			found = 1;
	}
	close(fd);
	probe_result(!found, lv, "stack-canary",
		     found ? "host environment found in the child's stack" :
			     "host environment absent from the child's stack");
}

/* Core size 0 and a session of its own (/proc/PID/limits, status). */
static void runner_check_misc(const char *lv, pid_t pid)
{
	char buf[4096], v[64], msg[96];
	const char *p;

	if (runner_proc_read(pid, "limits", buf, sizeof(buf)) < 0 ||
	    !(p = strstr(buf, "Max core file size")))
		return probe_result(0, lv, "core-limit", "cannot read limits");
	p += strlen("Max core file size");
	while (*p == ' ')
		p++;
	probe_result(strncmp(p, "0 ", 2) == 0, lv, "core-limit",
		     strncmp(p, "0 ", 2) == 0 ? "0" : "not 0");
	runner_proc_read(pid, "status", buf, sizeof(buf));
	runner_field(buf, "NSsid:", v, sizeof(v));
	snprintf(msg, sizeof(msg), "session %d, pid %d", atoi(v), (int)pid);
	probe_result(atoi(v) == (int)pid, lv, "setsid", msg);
}

/*
 * Full level: the child's root is an empty read-only tmpfs and it is the
 * only mount in its namespace.
 */
static void runner_check_root(const char *lv, pid_t pid)
{
	char path[64], buf[4096];
	struct statfs sf;
	struct dirent *d;
	DIR *dir;
	int entries = 0, lines = 0;

	snprintf(path, sizeof(path), "/proc/%d/root/", (int)pid);
	dir = opendir(path);
	if (!dir || fstatfs(dirfd(dir), &sf) < 0) {
		if (dir)
			closedir(dir);
		return probe_result(errno == EACCES ? 2 : 0, lv, "root",
				    "cannot open /proc/PID/root");
	}
	while ((d = readdir(dir)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			entries++;
	closedir(dir);
	probe_result(entries == 0, lv, "root-empty",
		     entries ? "root has entries" : "no entries");
	probe_result(sf.f_type == TMPFS_MAGIC && (sf.f_flags & ST_RDONLY), lv,
		     "root-readonly-tmpfs", (sf.f_flags & ST_RDONLY) ? "read-only" : "writable");
	if (runner_proc_read(pid, "mountinfo", buf, sizeof(buf)) < 0)
		return probe_result(0, lv, "single-mount", "cannot read mountinfo");
	for (const char *p = buf; *p; p++)
		lines += *p == '\n';
	probe_result(lines == 1, lv, "single-mount", lines == 1 ? "one mount" : buf);
}

/*
 * In a helper process: join the child's user and network namespaces and
 * list interfaces.  Exit 0: only lo, and down; 1: other interfaces;
 * 2: lo up; 3: could not join.
 */
static int runner_net_helper(pid_t pid)
{
	char path[64];
	struct if_nameindex *ifs, *i;
	struct ifreq ifr = { 0 };
	int ufd, nfd, s;

	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	ufd = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	nfd = open(path, O_RDONLY | O_CLOEXEC);
	if (ufd < 0 || nfd < 0 || setns(ufd, CLONE_NEWUSER) < 0 ||
	    setns(nfd, CLONE_NEWNET) < 0)
		return 3;
	ifs = if_nameindex();
	if (!ifs)
		return 3;
	for (i = ifs; i->if_index; i++)
		if (strcmp(i->if_name, "lo") != 0)
			return 1;
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	strcpy(ifr.ifr_name, "lo");
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return 3;
	return (ifr.ifr_flags & IFF_UP) ? 2 : 0;
}

/* Network namespace: only lo, and down (full level only). */
static void runner_check_net(const char *lv, pid_t pid)
{
	static const char *const what[] = {
		"only lo, and it is down", "other interfaces present",
		"lo is up", "could not join the child's namespaces",
	};
	int st = 0;
	pid_t h = fork();

	if (h == 0)
		_exit(runner_net_helper(pid));
	if (h < 0 || waitpid(h, &st, 0) < 0 || !WIFEXITED(st))
		return probe_result(0, lv, "netns", "helper failed");
	st = WEXITSTATUS(st);
	probe_result(st == 0 ? 1 : st == 3 ? 2 : 0, lv, "netns", what[st & 3]);
}

/* A child that stays alive inside the jail, looked at from both sides. */
static void runner_inspect(struct probe_run *r, const char *lv)
{
	struct timespec ts = { 5, 0 };
	struct jail_child c;
	struct jail_err e;
	char buf[128];
	int st;

	if (runner_spawn(r, "inspect", &c, &e) < 0)
		return probe_result(0, lv, "inspect", e.msg);
	while (!atomic_load(&r->pg->ready))
		if (probe_futex(&r->pg->ready, FUTEX_WAIT, 0, &ts) < 0 &&
		    errno == ETIMEDOUT)
			break;
	if (!atomic_load(&r->pg->ready)) {
		jail_release(&c);
		return probe_result(0, lv, "inspect", "child never reported");
	}
	probe_result(r->pg->kept_ok, lv, "kept-fds-numbered", "fd 3 and 4 are the memfds, in order");
	probe_result(r->pg->env_empty, lv, "environ-inside", r->pg->env_empty ? "empty" : "not empty");
	snprintf(buf, sizeof(buf), "%u open beyond the kept ones (first %u)",
		 r->pg->leaked, r->pg->first_leak);
	probe_result(r->pg->leaked == 0, lv, "fds-inside", buf);
	runner_check_status(r, lv, c.pid);
	runner_check_fds(lv, c.pid);
	runner_check_env(lv, c.pid);
	runner_check_misc(lv, c.pid);
	if (r->level == JAIL_FULL) {
		runner_check_net(lv, c.pid);
		runner_check_root(lv, c.pid);
	}
	atomic_store(&r->pg->release, 1);
	probe_futex(&r->pg->release, FUTEX_WAKE, 1, NULL);
	st = runner_reap(&c, 5000);
	probe_result(st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0, lv,
		     "inspect-exit", runner_status(st, buf, sizeof(buf)));
}

/* A failing step is reported by name, with its errno text. */
static void runner_bad_exe(struct probe_run *r, const char *lv)
{
	struct jail_child c;
	struct jail_err e;
	int saved = r->exe_fd, err;

	r->exe_fd = open("/dev/null", O_PATH | O_CLOEXEC);
	err = runner_spawn(r, "allowed", &c, &e);
	close(r->exe_fd);
	r->exe_fd = saved;
	probe_result(err < 0 && e.step == JAIL_STEP_EXEC && strstr(e.msg, "re-execute"),
		     lv, "report-failed-step", err < 0 ? e.msg : "spawn succeeded?");
}

/*
 * With user namespaces refused (a zero limit, set inside a throw-away
 * user namespace so the host is untouched), the full level must fail at
 * clone3 and say that user namespaces were refused.
 */
static int runner_refused_helper(struct probe_run *r)
{
	char map[32];
	struct jail_child c;
	struct jail_err e;
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int fd;

	if (unshare(CLONE_NEWUSER) < 0)
		return 3;
	fd = open("/proc/self/setgroups", O_WRONLY);
	if (fd >= 0 && (write(fd, "deny", 4) < 0 || close(fd) < 0))
		return 3;
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)uid);
	fd = open("/proc/self/uid_map", O_WRONLY);
	if (fd < 0 || write(fd, map, strlen(map)) < 0 || close(fd) < 0)
		return 3;
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)gid);
	fd = open("/proc/self/gid_map", O_WRONLY);
	if (fd < 0 || write(fd, map, strlen(map)) < 0 || close(fd) < 0)
		return 3;
	fd = open("/proc/sys/user/max_user_namespaces", O_WRONLY);
	if (fd < 0 || write(fd, "0", 1) < 0 || close(fd) < 0)
		return 3;
	if (runner_spawn(r, "allowed", &c, &e) == 0) {
		jail_release(&c);
		return 1;
	}
	printf("     (message: %s)\n", e.msg);
	fflush(stdout);
	return e.userns_refused && e.step == JAIL_STEP_CLONE ? 0 : 2;
}

/* Run the refused-namespaces check in a child process. */
static void runner_refused(struct probe_run *r, const char *lv)
{
	int st = 0;
	pid_t h;

	fflush(stdout);
	h = fork();
	if (h == 0)
		_exit(runner_refused_helper(r));
	if (h < 0 || waitpid(h, &st, 0) < 0 || !WIFEXITED(st))
		return probe_result(0, lv, "userns-refused", "helper crashed");
	st = WEXITSTATUS(st);
	if (st == 3)
		return probe_result(2, lv, "userns-refused",
				    "cannot set up a namespace with a zero limit here");
	probe_result(st == 0, lv, "userns-refused",
		     st == 0 ? "clone3 refused and reported as such" :
		     st == 1 ? "jail started although namespaces were refused" :
			       "failure not reported as refused namespaces");
}

/* Text on the report pipe is a failure, shown printable. */
static void runner_garbage(struct probe_run *r, const char *lv)
{
	struct jail_child c;
	struct jail_err e;
	int err = runner_spawn(r, "garbage", &c, &e);

	probe_result(err < 0 && strstr(e.msg, "garbage") && !strchr(e.msg, '\n'),
		     lv, "report-garbage", err < 0 ? e.msg : "spawn succeeded?");
}

/*
 * The broker dies: its jailed child must die too (parent-death signal).
 * An intermediate process spawns the child, hands back its pid and exits
 * without cleaning up.
 */
static void runner_parent_death(struct probe_run *r, const char *lv)
{
	struct pollfd p = { .events = POLLIN };
	int fds[2], st;
	pid_t mid, pid = -1;

	if (pipe(fds) < 0)
		return probe_result(0, lv, "parent-death", "pipe");
	fflush(stdout);
	mid = fork();
	if (mid == 0) {
		struct jail_child c;
		struct jail_err e;

		if (runner_spawn(r, "inspect", &c, &e) < 0)
			_exit(1);
		if (write(fds[1], &c.pid, sizeof(c.pid)) < 0)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &pid, sizeof(pid)) != sizeof(pid) || pid <= 0) {
		close(fds[0]);
		waitpid(mid, &st, 0);
		return probe_result(0, lv, "parent-death", "could not spawn");
	}
	close(fds[0]);
	waitpid(mid, &st, 0);
	p.fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (p.fd < 0)	/* already gone (and reaped by init) */
		return probe_result(errno == ESRCH, lv, "parent-death", "child gone");
	st = poll(&p, 1, 5000);
	if (st == 0)
		kill(pid, SIGKILL);
	close(p.fd);
	probe_result(st == 1, lv, "parent-death",
		     st == 1 ? "child died with its broker" : "child outlived its broker");
}

/* All checks at one level. */
static void runner_level(struct probe_run *r, enum jail_level level)
{
	const char *lv = jail_level_name(level);

	r->level = level;
	runner_allowed(r, lv);
	runner_forbidden(r, lv);
	runner_inspect(r, lv);
	runner_bad_exe(r, lv);
	runner_garbage(r, lv);
	runner_parent_death(r, lv);
	if (level == JAIL_FULL)
		runner_refused(r, lv);
}

int main(int argc, char **argv)
{
	struct probe_run r = { 0 };
	int only = -1;

	if (argc == 4 && strcmp(argv[1], "--jail-child") == 0)
		return child_main(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "--level") == 0) {
		enum jail_level l;

		if (jail_level_parse(argv[2], &l) < 0)
			return 2;
		only = (int)l;
	}
	r.exe_fd = jail_open_self();
	if (r.exe_fd < 0 || runner_setup(&r) < 0) {
		perror("probe: setup");
		return 2;
	}
	putenv(PROBE_CANARY);
	/* give a root runner a supplementary group the child must not keep */
	if (geteuid() == 0 && setgroups(1, &(gid_t){ 12345 }) < 0)
		perror("probe: setgroups");
	printf("probe: euid %u\n", (unsigned)geteuid());
	if (only < 0 || only == JAIL_SECCOMP)
		runner_level(&r, JAIL_SECCOMP);
	if (only < 0 || only == JAIL_FULL)
		runner_level(&r, JAIL_FULL);
	printf("%d passed, %d failed, %d skipped\n", n_pass, n_fail, n_skip);
	return n_fail ? 1 : 0;
}
