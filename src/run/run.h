/*
 * run.h: the one run pipeline, and how a run ends.
 *
 * run_module() loads a module, links its imports, instantiates it, calls
 * _initialize and then _start or the --invoke export, and describes how
 * that ended in a run_outcome.  It runs in-process at --sandbox=none and
 * in the jailed child at the other levels; what differs is the transport
 * its WASI imports use (run_transport): the WASI code in this process, or
 * a forward over the channel to the broker.
 *
 * run_report() turns any outcome (the pipeline's own, or one the broker
 * decides: a timeout, an output limit, a crash) into the one message and
 * exit status wrun gives for it, whatever the level.
 *
 * This layer uses the public interfaces only: include/wrun.h and the WASI
 * binding table of wasi/wasi.h.
 */
#ifndef WRUN_RUN_H
#define WRUN_RUN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exitcode.h"
#include "wrun.h"

#define RUN_TEXT_MAX 4096	/* message or --invoke results of an outcome */

/* How a run ended. */
enum run_end {
	RUN_EXIT,		/* the guest ended: code (0 when _start returned) */
	RUN_RESULTS,		/* --invoke returned; text: its results, a line each */
	RUN_TRAP,		/* text: the trap message, with its function */
	RUN_FUEL,		/* --fuel ran out; text: the function, if known */
	RUN_MEMORY,		/* the initial memory exceeds --max-memory; text
				 * RUN_GC_FULL: the GC heap is full */
	RUN_TIMEOUT,		/* --timeout passed */
	RUN_OPEN,		/* --max-open reached */
	RUN_OUTPUT,		/* --max-output reached */
	RUN_LOAD,		/* a malformed or invalid module; detail: byte offset */
	RUN_LINK,		/* an import cannot be satisfied; text: which and why */
	RUN_NOSTART,		/* neither _start nor --invoke */
	RUN_USAGE,		/* --invoke arguments do not fit; text: why */
	RUN_NOMEM,		/* wrun ran out of memory */
	RUN_CRASH,		/* the jailed child died; text: how */
	RUN_VIOLATION,		/* the jailed child broke the rules; text: how */
	RUN_ERROR,		/* any other failure of wrun itself; text: what */
	RUN__COUNT
};

struct run_outcome {
	enum run_end end;
	int code;		/* RUN_EXIT: the guest's exit code */
	uint64_t detail;	/* RUN_LOAD: the byte offset */
	char text[RUN_TEXT_MAX];
};

/* RUN_MEMORY's text when the GC heap is full (WR_TRAP_GC_LIMIT), and the
 * heap's own cap (gc.c's GC_MAX_BYTES) for its message. */
#define RUN_GC_FULL "gc"
#define RUN_GC_MAX_MIB 256u

/* The limits a message names (what the user asked for). */
struct run_limits {
	const char *module;	/* the module path as given */
	uint64_t fuel, max_memory, timeout_ms, max_output;
	uint32_t max_open;
};

/* How WASI imports reach the host: bind gives the host function and its
 * user pointer for WASI function fn (numbers of wasi/wasi.h). */
struct run_transport {
	bool (*bind)(void *self, unsigned fn, wr_host_fn *host, void **user);
	/* After the run: true, with out filled, if the host side ended it (a
	 * limit a WASI call reached); NULL when the host side decides
	 * elsewhere (the broker). */
	bool (*ended)(void *self, struct run_outcome *out);
	void *self;
	const wr_memory_provider *memory;	/* NULL: private memories */
};

/* What to run. */
struct run_job {
	const char *invoke;	/* export to call, or NULL for _start */
	char *const *args;	/* its arguments, parsed by its parameter types */
	int nargs;
	uint64_t fuel;		/* 0: unlimited */
	uint64_t max_memory;	/* bytes; 0: the format's 4 GiB */
	bool unknown_trap;	/* function imports not served trap when called
				 * (-W unknown-imports-trap) instead of refusing */
	bool gc_stats;		/* -W gc-stats: the collector's work to stderr at the end */
};

/* Load bytes, link, instantiate and run; *out says how it ended. */
void run_module(const uint8_t *bytes, size_t len, const struct run_job *job,
		const struct run_transport *t, struct run_outcome *out);

/* The same for a component (run_comp.c): load, instantiate, and call the
 * --invoke function, written in WAVE ('f(1, "x")'), its result in WAVE;
 * run_module hands components to it. */
void run_component(const uint8_t *bytes, size_t len, const struct run_job *job,
		   const struct run_transport *t, struct run_outcome *out);

/* Bind every import of m in store s through t into imports[]; false with
 * out filled (RUN_LINK or RUN_NOMEM) if one cannot be. unknown_trap: a
 * function import that is not WASI's traps when called instead.  net: the
 * importer may also import wrun:net and wrun:res (WASI 0.2's bridge; no
 * module may). */
bool run_link(wr_store *s, const wr_module *m, const struct run_transport *t,
	      bool unknown_trap, bool net, wr_extern *imports, struct run_outcome *out);

/* Fill an outcome (its text formatted from fmt, or empty). */
void run_set(struct run_outcome *out, enum run_end end, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void run_vset(struct run_outcome *out, enum run_end end, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* The outcome of a trap (including the guest's own exit). */
void run_trapped(const wr_trap *t, struct run_outcome *out);

/* The message (without the "wrun: " prefix; empty when there is none to
 * print) and the exit status of an outcome. */
int run_message(const struct run_outcome *o, const struct run_limits *l, char *msg,
		size_t size);

/* The line wrun prints for an outcome ("wrun: MESSAGE\n", or "" when
 * there is none), and its exit status: what run_report writes, for a
 * caller that must write it later from a signal handler. */
int run_line(const struct run_outcome *o, const struct run_limits *l, char *line,
	     size_t size);

/* Write all of s to fd, retrying short writes; false if it could not be. */
bool run_write_all(int fd, const char *s, size_t len);

/* Print an outcome's message to stderr (and --invoke results to stdout);
 * returns wrun's exit status. */
int run_report(const struct run_outcome *o, const struct run_limits *l);

/* The in-process transport over WASI context w (wasi/wasi.h): each import
 * calls w directly, and a limit a call reached ends the run as the broker
 * ends it (RUN_OUTPUT, RUN_OPEN). */
struct wasi_ctx;
struct run_transport run_wasi_transport(struct wasi_ctx *w);

#endif
