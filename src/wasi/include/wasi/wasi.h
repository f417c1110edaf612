/*
 * wasi.h: WASI preview1 (wasi_snapshot_preview1), as seen by the rest of
 * wrun.
 *
 * The implementation is transport-agnostic: wasi_call() takes a function
 * number, the raw 64-bit arguments and a view of linear memory, and returns
 * a WASI errno. In-process (--sandbox=none) the host functions of
 * wasi_host_fn() call it directly; the broker calls it for requests it
 * reads from the channel. Every host I/O operation goes through a
 * wasi_backend (wasi_io.h), so the same code runs on plain system calls or
 * on io_uring.
 */
#ifndef WRUN_WASI_H
#define WRUN_WASI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wrun.h"

struct wasi_backend;

/* A --dir grant: host directory and the name the guest sees it under. */
typedef struct wasi_dir {
	const char *host;
	const char *guest;
} wasi_dir;

typedef struct wasi_config {
	int argc;
	char *const *argv;        /* argv[0] is the module path as given */
	size_t nenv;
	char *const *env;         /* "NAME=VALUE" strings: all the guest sees */
	size_t ndirs;
	const wasi_dir *dirs;     /* preopened as fd 3, 4, ... in this order */
	size_t nlisten;
	const char *const *listen; /* "HOST:PORT": listening sockets after the dirs */
	const struct wasi_backend *io; /* NULL: plain system calls */
	uint64_t max_output;      /* bytes to stdout and stderr together; 0: no limit */
	uint32_t max_open;        /* handles beyond those open at start; 0: no limit */
	unsigned net;             /* network grants, WASI_NET_* (wrun:net, WASI 0.2) */
} wasi_config;

/* Network grants, with the meanings of wasmtime's -S options: the host
 * network (every address: bind, connect, send to), TCP and UDP sockets
 * (on by default on the command line, nothing without the network), and
 * name lookup. */
#define WASI_NET_INHERIT 1u	/* -S inherit-network */
#define WASI_NET_TCP 2u		/* -S tcp */
#define WASI_NET_UDP 4u		/* -S udp */
#define WASI_NET_LOOKUP 8u	/* -S allow-ip-name-lookup */

typedef struct wasi_ctx wasi_ctx;

#define WASI_MAX_FDS 4096u    /* guest handles open at once */
#define WASI_PATH_MAX 4096u   /* bytes in a guest path */

/* errno values of the definition (the ones wrun names) */
enum {
	WASI_ESUCCESS = 0, WASI_E2BIG = 1, WASI_EACCES = 2, WASI_EAGAIN = 6,
	WASI_EBADF = 8, WASI_EBUSY = 10, WASI_EEXIST = 20, WASI_EFAULT = 21,
	WASI_EINVAL = 28, WASI_EIO = 29, WASI_EISDIR = 31, WASI_ELOOP = 32,
	WASI_EMFILE = 33, WASI_ENAMETOOLONG = 37, WASI_ENOENT = 44, WASI_ENOMEM = 48,
	WASI_ENOSYS = 52, WASI_ENOTDIR = 54, WASI_ENOTEMPTY = 55, WASI_ENOTSOCK = 57,
	WASI_ENOTSUP = 58, WASI_EOVERFLOW = 61, WASI_EPERM = 63, WASI_ESPIPE = 70,
	WASI_EXDEV = 75, WASI_ENOTCAPABLE = 76,
};


/* Function numbers, in the order of the definition. */
enum wasi_fn {
#define WASI_X(name, sig) WASI_FN_##name,
#include "wasi/wasi_fns.h"
#undef WASI_X
	WASI_FN__COUNT
};

/* The first of wrun's own functions (modules "wrun:net", then "wrun:res"
 * from WASI_FN__RES): below it, the 46 of wasi_snapshot_preview1. */
#define WASI_FN__P1 WASI_FN_net_socket
#define WASI_FN__RES WASI_FN_res_derive

/*
 * What a handle is (res_derive, src/wasi/wasi_res.c).  A descriptor has a
 * host descriptor of its own: a file, directory, socket or standard
 * stream.  The others are derived handles, made from another handle (their
 * parent) for WASI 0.2's streams and pollables: they act on the parent's
 * host descriptor with a subset of its rights, and the parent cannot be
 * closed while they are open.
 */
enum wasi_role {
	WASI_ROLE_DESC,		/* a descriptor of its own */
	WASI_ROLE_IN,		/* an input stream of a descriptor: reads */
	WASI_ROLE_OUT,		/* an output stream of a descriptor: writes */
	WASI_ROLE_DIRS,		/* a directory-entry stream: readdir */
	WASI_ROLE_POLL_IN,	/* a pollable: readiness to read */
	WASI_ROLE_POLL_OUT,	/* a pollable: readiness to write */
	WASI_ROLE__COUNT
};

/* What wasi_call returns when the guest called proc_exit or raised a
 * signal that ends it (not a WASI errno: those are 0..76). */
#define WASI_CALL_EXIT (-1)
/* What wasi_call returns when the call reached a limit of the
 * configuration: the run ends there; wasi_limit_reached() says which. */
#define WASI_CALL_LIMIT (-2)

enum wasi_limit {
	WASI_LIMIT_NONE,
	WASI_LIMIT_OUTPUT,	/* the bytes written to stdout and stderr filled
				 * max_output and the guest asked for more */
	WASI_LIMIT_OPEN,	/* more than max_open handles beyond the first */
};

/* Create the context: copy args and environment, open the --dir grants and
 * the --tcplisten sockets. NULL with a message in err on failure. */
wasi_ctx *wasi_ctx_new(const wasi_config *cfg, char *err, size_t errlen);
void wasi_ctx_free(wasi_ctx *ctx);

/* Execute function fn with its raw arguments on linear memory
 * [mem, mem + memsize). Returns a WASI errno, or WASI_CALL_EXIT with the
 * exit status in *exit_code. */
int wasi_call(wasi_ctx *ctx, unsigned fn, const uint64_t *args, uint8_t *mem,
              uint64_t memsize, int *exit_code);

/* After WASI_CALL_LIMIT: the limit reached (else WASI_LIMIT_NONE). */
enum wasi_limit wasi_limit_reached(const wasi_ctx *ctx);
/* Bytes the last call read or wrote (data, not metadata). */
uint64_t wasi_last_moved(const wasi_ctx *ctx);
/* Guest handles open now that hold a host descriptor of their own (the
 * derived handles of WASI 0.2's streams and pollables do not count). */
uint32_t wasi_open_count(const wasi_ctx *ctx);
/* The host descriptor behind guest handle fd, or -1 if it is not open. */
int wasi_host_fd(const wasi_ctx *ctx, uint32_t fd);
/* Every open guest handle number is below this. */
uint32_t wasi_fd_end(const wasi_ctx *ctx);
/* True if guest handle fd is an open preopened directory (--dir). */
bool wasi_fd_is_preopen(const wasi_ctx *ctx, uint32_t fd);

/* Number of a wasi_snapshot_preview1 function by name, or -1. */
int wasi_fn_lookup(const char *name, size_t len);
/* Number of the function module.name: a preview1 one, or with ext one of
 * wrun's own too; -1 if there is none. */
int wasi_fn_find(const char *module, size_t mlen, const char *name, size_t len, bool ext);
/* Name and parameter signature ("iiil": one letter per i32/i64 argument). */
const char *wasi_fn_name(unsigned fn);
const char *wasi_fn_sig(unsigned fn);
/* The import module function fn belongs to. */
const char *wasi_fn_module(unsigned fn);

/* True for the import module name this code implements. */
bool wasi_is_wasi_module(const char *module, size_t len);

/* Does an import's type match the definition's signature for fn? Used by
 * every binding: in-process here, forwarding in the jailed child. */
bool wasi_import_type_ok(const wr_import *imp, unsigned fn);

/* The type an import of WASI function fn must have; params needs room
 * for 16 entries.  out->results, if the function has one, is the caller's
 * to point at an i32. */
void wasi_fn_type(unsigned fn, uint8_t params[16], wr_functype *out);

/* In-process transport: the host function (and its user pointer) that
 * calls WASI function fn of ctx directly.  False for an unknown fn. */
bool wasi_host_fn(wasi_ctx *ctx, unsigned fn, wr_host_fn *host, void **user);

/* A host function for WASI function fn that needs no context and grants
 * nothing (a clock read), so a jailed child may answer it itself; false
 * for every function that must go to the holder of the handles. */
bool wasi_local_fn(unsigned fn, wr_host_fn *host, void **user);

#endif
