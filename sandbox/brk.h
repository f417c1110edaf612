/*
 * brk.h: the broker's internal pieces (broker.c, brk_req.c, brk_io.c,
 * brk_audit.c, brk_landlock.c, brk_confine.c).
 */
#ifndef WRUN_BRK_H
#define WRUN_BRK_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "channel.h"
#include "jail.h"
#include "sbx_proto.h"
#include "uring_io.h"
#include "wasi/wasi_io.h"

/*
 * The accounting layer between the WASI code and the real backend
 * (io_uring or plain calls): it counts the bytes each call moves, and
 * holds writes to the guest's stdout and stderr to --max-output.
 */
struct brk_io {
	wasi_backend be;		/* what the WASI context calls */
	const wasi_backend *in;		/* the backend that does the work */
	uint64_t bytes;			/* moved by the current call */
	int out_fd[2];			/* host fds of guest stdout/stderr, or -1 */
	uint64_t out_used, out_max;	/* out_max 0: no limit */
	bool out_hit;			/* a write was cut at the limit */
};

void brk_io_init(struct brk_io *io, const wasi_backend *in, uint64_t max_output);

/* One brokered call, as the audit log records it. */
struct brk_audit_rec {
	const char *fn;			/* function name */
	int64_t handle;			/* guest handle, or -1 */
	const char *path, *path2;	/* copied out of guest memory, or NULL */
	uint64_t bytes;
	int err;			/* WASI errno, or -1 for none */
	bool denied;
};

int brk_audit_open(const char *path);
void brk_audit_write(int fd, const struct brk_audit_rec *r);
bool brk_audit_denial(int wasi_err);
void brk_audit_args(unsigned fn, const uint64_t *a, const uint8_t *mem, uint64_t size,
		    struct brk_audit_rec *r, char *p1, char *p2, size_t plen);

int brk_landlock(const int *dirfds, unsigned n, const char **why);

/* One sandboxed run, as the broker holds it. */
struct brk {
	const struct sbx_opts *o;
	struct jail_child child;
	struct chan chan;
	struct chan_proto proto;
	uint8_t nargs[SBX_FN__COUNT];
	int chan_fd, mem_fd, mod_fd, audit_fd, exe_fd;
	uint8_t *mem;			/* SBX_MEM_MAX bytes of address space */
	uint64_t mem_size;		/* what the child may use: set here only */
	uint64_t mem_max;
	bool mem_refused_init;		/* the initial memory did not fit */
	wasi_ctx *ctx;
	struct uring_io uio;
	bool uring;
	struct brk_io io;
	uint32_t open_base;		/* guest handles open at start */
	int64_t deadline;		/* CLOCK_MONOTONIC ns, or -1 */
	bool done;
	int status;
};

/* The broker's own confinement once set-up is done (brk_confine.c). */
int brk_confine(struct brk *b);

/* Requests (brk_req.c). */
extern volatile sig_atomic_t brk_in_call;
void brk_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void brk_end(struct brk *b, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void brk_proto(struct brk *b);
uint32_t brk_open_count(const struct brk *b);
int brk_take(struct brk *b);

#endif
