/*
 * jail.h: the confinement of the interpreter child.
 *
 * The broker calls jail_open_self() first thing, then jail_spawn() to start
 * a child that re-executes wrun's own image with an empty environment and
 * only the descriptors it is given, at fixed numbers.  The new image calls
 * jail_enter() before it touches the module; jail_wait_ready() tells the
 * broker whether every step succeeded, and if not which one and why.
 */
#ifndef WRUN_JAIL_H
#define WRUN_JAIL_H

#include <stdbool.h>
#include <sys/types.h>

enum jail_level {
	JAIL_NONE,	/* no child at all: the baseline */
	JAIL_SECCOMP,	/* fresh image, no caps, no_new_privs, filter */
	JAIL_FULL,	/* the same inside new namespaces on an empty root */
};

/* Descriptor numbers in the child. */
#define JAIL_FD_REPORT	2	/* setup report pipe, closed once the filter is on */
#define JAIL_FD_FIRST	3	/* kept descriptors arrive at 3, 4, ... */
#define JAIL_MAX_KEEP	16

/* Exit status of a child that failed before running anything. */
#define JAIL_EXIT_SETUP	125

/* Every step of the jail, in order, with the name used in messages. */
#define JAIL_STEPS(X)						\
	X(CLONE,	"clone into new namespaces")		\
	X(IDMAP,	"write uid/gid maps")			\
	X(SYNC,		"wait for the parent")			\
	X(SETID,	"switch to the mapped ids")		\
	X(FDS,		"move kept descriptors")		\
	X(EXEC,		"re-execute wrun")			\
	X(PDEATHSIG,	"set parent-death signal")		\
	X(MOUNT_PRIVATE, "make mounts private")		\
	X(MOUNT_TMPFS,	"mount the empty root")			\
	X(PIVOT,	"pivot_root into the empty root")	\
	X(UMOUNT_OLD,	"unmount the old root")			\
	X(RDONLY,	"make the root read-only")		\
	X(CLOSE,	"close other descriptors")		\
	X(SECBITS,	"lock securebits")			\
	X(CAPBOUND,	"drop the bounding set")		\
	X(CAPAMBIENT,	"clear the ambient set")		\
	X(CAPS,		"drop capabilities")			\
	X(NNP,		"set no_new_privs")			\
	X(DUMPABLE,	"clear dumpable")			\
	X(RLIMIT,	"set core size 0")			\
	X(SETSID,	"start a new session")			\
	X(FILTER,	"load the seccomp filter")		\
	X(DONE,		"finish setup")

enum jail_step {
#define JAIL_STEP_ENUM(id, text) JAIL_STEP_##id,
	JAIL_STEPS(JAIL_STEP_ENUM)
#undef JAIL_STEP_ENUM
	JAIL_STEP_COUNT
};

struct jail_opts {
	enum jail_level level;	/* JAIL_SECCOMP or JAIL_FULL */
	int exe_fd;		/* from jail_open_self() */
	char *const *argv;	/* argv of the new image; argv[0] is a label */
	uid_t outside_uid;	/* host id the child runs as (full level); */
	gid_t outside_gid;	/* (uid_t)-1: see jail_pick_ids() */
};

struct jail_child {
	pid_t pid;
	int pidfd;		/* CLONE_PIDFD: poll it, signal through it */
	int report_fd;		/* read end of the setup report pipe */
	uid_t uid;		/* the host uid it runs as */
	enum jail_level level;
	struct jail_boot *boot;	/* the pre-exec child's stack, until it is done */
};

struct jail_err {
	enum jail_step step;	/* the step that failed */
	int err;		/* its errno (0 if it was a crash or text) */
	bool userns_refused;	/* the host refused user namespaces */
	char msg[256];		/* one line for the user */
};

int jail_open_self(void);
int jail_spawn(const struct jail_opts *o, const int keep_fds[], int nkeep,
	       struct jail_child *c, struct jail_err *e);
int jail_wait_ready(struct jail_child *c, struct jail_err *e);
int jail_reap(struct jail_child *c);
void jail_release(struct jail_child *c);
void jail_enter(enum jail_level level, int nkeep);
int jail_caps_drop(bool bound_optional, enum jail_step *step);
const char *jail_step_name(enum jail_step step);
const char *jail_level_name(enum jail_level level);
int jail_level_parse(const char *s, enum jail_level *out);

/* The seccomp filters (seccomp.c): the child's, and the broker's own. */
int sec_install(void);
int sec_install_broker(bool network);

#endif
