/*
 * wasi_misc.c: arguments, environment, clocks, randomness, process exit,
 * signals and yielding: the WASI functions that touch no handle.
 */
#include <errno.h>
#include <signal.h>
#include <time.h>

#include "wasi_impl.h"

/* proc_raise of a signal whose default action ends a process: the exit
 * status a shell reports for a native program killed by it (128 + the
 * signal's number; wrun(1) lists it with the other statuses). */
#define WASI_EXIT_SIGNAL_BASE 128

/* Write a string vector: n u32 pointers at vp, the strings at bp. Both
 * areas are checked whole before anything is written. */
static int wasi_put_strings(const wasi_mem *m, char **v, uint32_t n, uint32_t size,
			    uint32_t vp, uint32_t bp)
{
	uint32_t off = 0;

	if (!wasi_mem_ok(m, vp, (uint64_t)n * 4) || !wasi_mem_ok(m, bp, size))
		return WASI_EFAULT;
	for (uint32_t i = 0; i < n; i++) {
		size_t len = strlen(v[i]) + 1;

		wasi_put_u32(m->base + vp + (uint64_t)i * 4, bp + off);
		memcpy(m->base + bp + off, v[i], len);
		off += (uint32_t)len;
	}
	return WASI_ESUCCESS;
}

/* Store two u32 counts. */
static int wasi_put_sizes(const wasi_mem *m, uint32_t p1, uint32_t v1, uint32_t p2, uint32_t v2)
{
	int r = wasi_store_u32(m, p1, v1);

	return r ? r : wasi_store_u32(m, p2, v2);
}

int wasi_p1_args_get(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	return wasi_put_strings(m, c->argv, c->argc, c->argv_size, A32(0), A32(1));
}

int wasi_p1_args_sizes_get(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	return wasi_put_sizes(m, A32(0), c->argc, A32(1), c->argv_size);
}

int wasi_p1_environ_get(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	return wasi_put_strings(m, c->env, c->nenv, c->env_size, A32(0), A32(1));
}

int wasi_p1_environ_sizes_get(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	return wasi_put_sizes(m, A32(0), c->nenv, A32(1), c->env_size);
}

/* The host clock behind a WASI clock id, or -1. */
static clockid_t wasi_clock(uint32_t id)
{
	static const clockid_t map[] = { CLOCK_REALTIME, CLOCK_MONOTONIC,
					 CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID };

	return id < 4 ? map[id] : (clockid_t)-1;
}

/* Nanoseconds on WASI clock `clock` (0 if the host clock fails). */
uint64_t wasi_now_ns(wasi_ctx *c, int clock)
{
	struct timespec ts;

	if (c->io->clock_gettime(c->io, wasi_clock((uint32_t)clock), &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int wasi_p1_clock_res_get(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	clockid_t id = wasi_clock(A32(0));
	struct timespec ts;
	int r;

	if (id == (clockid_t)-1)
		return WASI_EINVAL;
	r = c->io->clock_getres(c->io, id, &ts);
	if (r < 0)
		return wasi_errno(r);
	return wasi_store_u64(m, A32(1), (uint64_t)ts.tv_sec * 1000000000u +
				   (uint64_t)ts.tv_nsec);
}

/* The precision argument is a hint; the host clock is always read at its
 * best resolution. */
int wasi_p1_clock_time_get(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	clockid_t id = wasi_clock(A32(0));
	struct timespec ts;
	int r;

	if (id == (clockid_t)-1)
		return WASI_EINVAL;
	r = c->io->clock_gettime(c->io, id, &ts);
	if (r < 0)
		return wasi_errno(r);
	return wasi_store_u64(m, A32(2), (uint64_t)ts.tv_sec * 1000000000u +
				   (uint64_t)ts.tv_nsec);
}

/* Fill the guest buffer from the host's random source, in chunks. */
int wasi_p1_random_get(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	uint32_t buf = A32(0), len = A32(1), done = 0;

	if (!wasi_mem_ok(m, buf, len))
		return WASI_EFAULT;
	while (done < len) {
		ssize_t r = c->io->getrandom(c->io, m->base + buf + done, len - done);

		if (r < 0)
			return wasi_errno((int)r);
		done += (uint32_t)r;
	}
	return WASI_ESUCCESS;
}

/* proc_exit: end the run with this status (wrun exits with its low 8 bits). */
int wasi_p1_proc_exit(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	c->exit_code = (int)A32(0);
	return WASI_CALL_EXIT;
}

/* proc_raise: a signal whose default action ends a process ends the run,
 * with status 128 + the host number of the signal, as a shell reports a
 * native program killed by it; signals ignored by default (CHLD, CONT,
 * URG, WINCH) and the stop signals do nothing. The WASI numbering follows
 * the definition's enum, 1 (HUP) to 30 (SYS). */
int wasi_p1_proc_raise(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	static const int host[31] = {
		0, SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE,
		SIGKILL, SIGUSR1, SIGSEGV, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, 0 /* CHLD */,
		0 /* CONT */, 0 /* STOP */, 0 /* TSTP */, 0 /* TTIN */, 0 /* TTOU */,
		0 /* URG */, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, 0 /* WINCH */, SIGPOLL,
		SIGPWR, SIGSYS,
	};
	uint32_t sig = A32(0);

	if (sig > 30)
		return WASI_EINVAL;
	if (host[sig] == 0)
		return WASI_ESUCCESS;
	c->exit_code = WASI_EXIT_SIGNAL_BASE + host[sig];
	return WASI_CALL_EXIT;
}

int wasi_p1_sched_yield(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	return wasi_err(c->io->sched_yield(c->io));
}
