/*
 * brk.h: the broker's internal pieces (broker.c, brk_req.c,
 * brk_audit.c with brk_json.c and brk_sha256.c, brk_landlock.c, brk_confine.c).
 */
#ifndef WRUN_BRK_H
#define WRUN_BRK_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "brk_sha256.h"
#include "channel.h"
#include "jail.h"
#include "run.h"
#include "sbx_proto.h"
#include "uring_io.h"
#include "wasi/wasi_io.h"

/* Audit log (brk_audit.c; the format: wrun-sandbox(7), AUDIT LOG). */
#define BRK_WASI_NERRNO		77	/* errnos of the preview1 definition */
#define BRK_END_MSG_MAX		640	/* bytes of brk_end()'s line */

/* A guest path argument, as the audit log records it. */
struct brk_audit_str {
	const uint8_t *p;	/* its first len bytes, copied out of guest memory */
	uint32_t len;		/* at most WASI_PATH_MAX */
	uint32_t full;		/* the length the guest gave */
	bool set;		/* the function takes this path */
	bool outside;		/* (ptr, len) is not inside guest memory */
};

/* One brokered call. */
struct brk_audit_rec {
	const char *fn;			/* function name */
	int64_t handle;			/* guest handle, or -1 */
	struct brk_audit_str path, path2;
	uint64_t bytes;
	bool has_memory;		/* memory.resize: which memfd (sbx_proto.h) */
	uint32_t memory;
	int err;			/* WASI errno, or -1 for none */
	bool denied;
};

/* The first record: the module, the isolation, the grants. */
struct brk_audit_start {
	const struct sbx_opts *o;
	uint8_t sha256[SHA256_LEN];
	uint64_t size;			/* bytes of the module */
	enum jail_level level;		/* the level the child runs at */
	bool uring;			/* the broker uses io_uring */
};

/* The last record: how the run ended. */
struct brk_audit_end {
	const char *outcome;	/* exit, trap, limit, violation, crash, error */
	const char *limit;	/* which limit, or NULL */
	int signal;		/* the signal that ended the child, or 0 */
	int exit_code;		/* wrun's exit status */
	const char *message;	/* the line wrun printed, or NULL */
};

/* Copy a module file (at most 1 GiB) into a memfd sealed whole, hashing it
 * into h when h is not NULL: the descriptor, or -errno (-EFBIG too large,
 * -ENOEXEC empty). broker.c; wrun inspect uses it too. */
int brk_module_memfd(const char *path, struct sha256 *h);

int brk_audit_open(const char *path, bool truncate);
void brk_audit_write(int fd, const struct brk_audit_rec *r);
void brk_audit_start(int fd, const struct brk_audit_start *s);
void brk_audit_end(int fd, const struct brk_audit_end *e);
bool brk_audit_denial(unsigned fn, int wasi_err);
const char *brk_errno_name(int err);
void brk_audit_args(unsigned fn, const uint64_t *a, const uint8_t *mem, uint64_t size,
		    struct brk_audit_rec *r, uint8_t *p1, uint8_t *p2);

int brk_landlock(const int *dirfds, unsigned n, bool net, const char **why);

/* One sandboxed run, as the broker holds it. */
struct brk {
	const struct sbx_opts *o;
	struct jail_child child;
	struct chan chan;
	struct chan_proto proto;
	uint8_t nargs[SBX_FN__COUNT];
	int chan_fd, mod_fd, audit_fd, exe_fd;
	int mem_fd[SBX_NMEM];		/* the memories' memfds (sbx_proto.h) */
	uint8_t *mem;			/* memfd 0 mapped: SBX_MEM_MAX bytes of address space */
	uint64_t mem_size[SBX_NMEM];	/* what the child may use of each: set here only;
					   WASI calls see mem_size[0] bytes of mem */
	uint64_t mem_max;		/* memfd 0's limit: --max-memory, at most 4 GiB */
	uint64_t mem_max_more;		/* the others': --max-memory, else
					   WR_MEMORY64_MAX_DEFAULT */
	bool mem_refused_init;		/* an initial memory did not fit */
	wasi_ctx *ctx;
	struct uring_io uio;
	bool uring;
	const wasi_backend *be;		/* the ring's, or plain system calls */
	int64_t deadline;		/* CLOCK_MONOTONIC ns, or -1 */
	uint8_t mod_sha256[SHA256_LEN];	/* of the bytes the child was given */
	uint64_t mod_size;
	bool done;
	int status;
	bool guest_exit;		/* status is the guest's own exit code */
	int end_signal;			/* the signal that ended the child, or 0 */
	char end_msg[BRK_END_MSG_MAX];	/* the line brk_end() printed, or "" */
};

/* The broker's own confinement once set-up is done (brk_confine.c). */
int brk_confine(struct brk *b);

/* Requests (brk_req.c). */
extern volatile sig_atomic_t brk_in_call;
void brk_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void brk_end(struct brk *b, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* End the run as run_message() (src/run/run.h) words the outcome: the
 * same message and status as at every other level. */
void brk_finish(struct brk *b, const struct run_outcome *o);
void brk_finish_as(struct brk *b, enum run_end end, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void brk_exit(struct brk *b, int code);
void brk_log_end(const struct brk *b, int status);
void brk_proto(struct brk *b);
int brk_take(struct brk *b);

#endif
