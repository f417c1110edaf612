/*
 * oci.h: wrun-oci, the OCI runtime command line over wrun (src/oci/).
 *
 * An engine (conmon for podman, containerd's runc shim, CRI-O) runs
 *   wrun-oci [GLOBAL] create --bundle B --pid-file F ID
 * then start, state, kill, pause, resume, delete on ID.  create reads the
 * bundle's config.json (oci_spec.c); a wasm container gets a process that
 * joins the container's cgroup (oci_cgroup.c), stages its grants in a
 * private mount namespace, waits for start, then executes wrun there
 * (oci_init.c): the pid create writes is the wrun broker's.  Its state
 * lives in ROOT/ID/ (oci_state.c).  A container that is not wasm is handed
 * to runc or crun with the same arguments (oci_main.c).
 */
#ifndef WRUN_OCI_H
#define WRUN_OCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

#define OCI_VERSION "1.0.2"		/* the runtime-spec version we speak */
#define OCI_DEFAULT_ROOT "/run/wrun-oci"
#define OCI_STATE_FILE "wrun.json"	/* ROOT/ID/: runc's names are state.json, exec.fifo */
#define OCI_FIFO_FILE "wrun.fifo"	/* exists from create until start */
#define OCI_MNT_DIR "mnt"		/* the grants, mounted in the container's namespace */
#define OCI_MAX_ID 1024

/* The global options, and the command line as given (for delegation). */
struct oci_global {
	const char *root;		/* --root: where ROOT/ID/ lives */
	const char *log;		/* --log FILE, or NULL */
	bool log_json;			/* --log-format json */
	bool systemd_cgroup;		/* --systemd-cgroup (cgroupsPath slice:prefix:name) */
	bool root_given;		/* --root was on the command line */
	int argc;
	char **argv;			/* the whole original command line */
};

extern struct oci_global oci_g;

/* Messages: to stderr, and to --log in its format. */
void oci_log(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void oci_die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void oci_usage(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* ---- config.json (oci_spec.c) ---- */

struct oci_mount {
	const char *source;		/* host directory */
	const char *dest;		/* where the guest sees it */
	bool ro;
};

struct oci_rlimit {
	int resource;
	uint64_t soft, hard;
};

struct oci_spec {
	cJSON *doc;			/* owns every string below */
	char *bundle;			/* absolute */
	char *rootfs;			/* absolute host path */
	bool root_ro;
	char *module;			/* process.args[0] as a path inside the rootfs */
	uint64_t module_size;
	char **args;			/* process.args, NULL-terminated */
	size_t nargs;
	char **env;			/* process.env entries NAME=VALUE */
	size_t nenv;
	const char *cwd;		/* process.cwd, absolute */
	bool terminal;
	uid_t uid;
	gid_t gid;
	gid_t *gids;			/* additionalGids */
	size_t ngids;
	int umask;			/* -1: not given */
	struct oci_mount *mounts;	/* directory bind mounts only */
	size_t nmounts;
	struct oci_rlimit *rlimits;
	size_t nrlimits;
	int64_t mem_limit;		/* linux.resources.memory.limit; 0: none */
	int64_t pids_limit;		/* 0: none */
	int64_t cpu_quota;		/* 0: none */
	uint64_t cpu_period, cpu_shares;
	const char *cgroups_path;	/* linux.cgroupsPath, or NULL */
	cJSON *annotations;		/* object, or NULL */
	bool wasm;			/* a module wrun runs (else: runc/crun) */
};

/* Read B/config.json; dies with a message on anything malformed. */
void oci_spec_load(struct oci_spec *s, const char *bundle);
void oci_spec_free(struct oci_spec *s);
/* Open path inside the directory root, never leaving it (symbolic links
 * resolve as if root were /): a directory as O_PATH when dir, else a
 * regular file for reading (anything else: -EINVAL); fd or -errno. */
int oci_open_beneath(const char *root, const char *path, bool dir);
/* Its error as words. */
const char *oci_open_error(int r);

/* ---- cgroups (oci_cgroup.c) ---- */

#define OCI_CG_MAX 16

/* The container's directory in every mounted hierarchy (v1 controllers and
 * the v2 tree). */
struct oci_cg {
	char *dirs[OCI_CG_MAX];
	bool v2[OCI_CG_MAX];
	size_t n;
	int freezer;			/* index of the v1 freezer, or -1: v2's cgroup.freeze */
	int procs;			/* index whose cgroup.procs lists the container */
	char *path;			/* the cgroup path below each hierarchy's root */
};

/* The cgroup path for a container: cgroupsPath (cgroupfs form, or
 * slice:prefix:name with --systemd-cgroup), or /wrun-oci/ID. */
char *oci_cg_path(const char *cgroups_path, const char *id);
int oci_cg_open(struct oci_cg *cg, const char *path);
void oci_cg_close(struct oci_cg *cg);
int oci_cg_create(struct oci_cg *cg, const struct oci_spec *s);
int oci_cg_join(const struct oci_cg *cg, pid_t pid);
int oci_cg_freeze(const struct oci_cg *cg, bool freeze);
bool oci_cg_frozen(const struct oci_cg *cg);
/* The processes in the container's cgroup; count, or -errno. */
int oci_cg_pids(const struct oci_cg *cg, pid_t **pids);
/* Signal every process in it; with SIGKILL, until none is left. */
int oci_cg_kill(const struct oci_cg *cg, int sig);
/* Remove the directories (waiting briefly for exiting processes). */
int oci_cg_destroy(const struct oci_cg *cg);

/* ---- state (oci_state.c) ---- */

enum oci_status { OCI_CREATED, OCI_RUNNING, OCI_PAUSED, OCI_STOPPED };

struct oci_state {
	char *id;
	char *dir;			/* ROOT/ID */
	cJSON *doc;			/* the saved record */
	pid_t pid;
	unsigned long long start;	/* the pid's start time, against reuse */
	const char *bundle, *rootfs, *created, *cgroup;
	struct oci_cg cg;
};

/* ROOT/ID; the id is checked (no '/', no leading '.', at most OCI_MAX_ID). */
char *oci_state_dir(const char *id);
/* Load ROOT/ID/wrun.json: 0, -ENOENT if there is no such container. */
int oci_state_load(struct oci_state *st, const char *id);
void oci_state_free(struct oci_state *st);
int oci_state_save(const char *dir, const struct oci_spec *s, const char *id, pid_t pid,
		   const char *cgroup);
enum oci_status oci_status(struct oci_state *st);
const char *oci_status_name(enum oci_status s);
/* Is pid alive (not a zombie) and started at start? */
bool oci_pid_alive(pid_t pid, unsigned long long start);
unsigned long long oci_pid_start(pid_t pid);
/* Remove ROOT/ID and the cgroup; the processes must be gone. */
int oci_state_remove(struct oci_state *st);
int oci_rmtree(const char *path);

/* ---- commands ---- */

int oci_cmd_create(int argc, char **argv);
/* The container's first process, after fork (oci_init.c); never returns. */
struct oci_init {
	const struct oci_spec *s;
	const struct oci_cg *cg;
	const char *dir;		/* ROOT/ID */
	const char *console;		/* --console-socket, or NULL */
	int wrun_fd;			/* the wrun executable beside wrun-oci */
	int sync_fd;			/* write end: "" on success, else the error */
};
void oci_init_main(const struct oci_init *in) __attribute__((noreturn));
/* wrun's command line for a spec (oci_init.c); NULL-terminated, heap. */
char **oci_wrun_argv(const struct oci_spec *s);

/* Hand the whole command line to runc or crun (oci_main.c); returns only
 * when neither is installed. */
void oci_delegate(void);
bool oci_have_delegate(void);

/* Signal names and numbers: "TERM", "SIGTERM", "15"; -1 if unknown. */
int oci_signal_parse(const char *s);

#endif
