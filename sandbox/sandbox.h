/*
 * sandbox.h: what the command line calls to run a module under the
 * sandbox (levels full and seccomp; level none stays in-process).
 *
 * The CLI calls jail_open_self() first thing in main(), and
 * sbx_child_main() when argv[1] is SBX_CHILD_FLAG (the re-executed,
 * jailed child).  Otherwise, after parsing, it fills a struct sbx_opts
 * and calls sbx_run(), whose result is wrun's exit status.
 */
#ifndef WRUN_SANDBOX_H
#define WRUN_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exitcode.h"
#include "jail.h"
#include "run.h"
#include "wasi/wasi.h"

/* argv[1] of the re-executed child. */
#define SBX_CHILD_FLAG "--jail-child"

/* Exit statuses of a sandboxed run besides the guest's own proc_exit code:
 * the table lives in src/exitcode.h. */
#define SBX_EXIT_ERROR		EXIT_WRUN_ERROR
#define SBX_EXIT_USAGE		EXIT_USAGE
#define SBX_EXIT_TIMEOUT	EXIT_TIMEOUT
#define SBX_EXIT_TRAP		EXIT_TRAP
#define SBX_EXIT_FUEL		EXIT_FUEL
#define SBX_EXIT_MEMORY		EXIT_MEMORY
#define SBX_EXIT_OPEN		EXIT_OPEN
#define SBX_EXIT_OUTPUT		EXIT_OUTPUT
#define SBX_EXIT_CRASH		EXIT_CRASH
#define SBX_EXIT_SANDBOX	EXIT_SANDBOX

/* Environment variable that forces the plain-syscall broker (for tests). */
#define SBX_ENV_NO_URING "WRUN_SANDBOX_NO_URING"

/* The whole command line of a run, at every level: the CLI fills it,
 * the in-process path and the broker read it. */
struct sbx_opts {
	const char *module;		/* module file, as given */
	const char *invoke;		/* --invoke NAME (wasi.argv[1..] its arguments), or NULL */
	wasi_config wasi;		/* the guest's arguments (argv[0] = module),
					 * --env, --dir and --tcplisten grants,
					 * --max-output and --max-open */
	enum jail_level level;		/* JAIL_FULL or JAIL_SECCOMP */
	bool allow_fallback;		/* full may become seccomp, with a notice */
	bool force_plain;		/* no io_uring (also SBX_ENV_NO_URING=1) */
	uint64_t max_memory;		/* bytes of linear memory; 0: 4 GiB */
	uint64_t timeout_ms;		/* wall clock; 0: none */
	uint64_t fuel;			/* instructions; 0: unlimited */
	bool unknown_trap;		/* -W unknown-imports-trap: a component's imports
					 * wrun does not serve trap when called */
	bool gc_stats;			/* -W gc-stats (--sandbox=none only) */
	const char *audit;		/* JSON lines file (appended to), or NULL */
	bool audit_truncate;		/* --audit-truncate: empty it first */
	int exe_fd;			/* jail_open_self(), or -1 to open it here */
	const char *test_hook;		/* test builds only: passed to the child */
};

/* Run the module; returns wrun's exit status.  Call it last and exit with
 * its result: the broker's descriptors and mappings are left to the exit. */
int sbx_run(const struct sbx_opts *o);
int sbx_child_main(int argc, char **argv);

/* Defaults: level full, no limits, exe_fd -1. */
void sbx_opts_init(struct sbx_opts *o);
/* The limits o gives, as the outcome messages name them (run_message). */
struct run_limits sbx_limits(const struct sbx_opts *o);
/*
 * Parse the sandbox option at argv[i] ("--name=VALUE" or "--name VALUE"):
 * returns how many entries it used (1 or 2), 0 if argv[i] is not one of
 * them, or -1 with a message in err for a bad value.
 */
int sbx_parse_opt(struct sbx_opts *o, int argc, char **argv, int i, char *err,
		  size_t errlen);
/* The help text of those options, for the CLI's usage message. */
extern const char sbx_usage_text[];

#endif
