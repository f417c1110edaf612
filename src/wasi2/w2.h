/*
 * w2.h: private to src/wasi2, the WASI 0.2 host (wasi2.h).
 *
 * Every 0.2 function is a thin adapter over a preview1 call: the call goes
 * through a small core module (the "bridge", built in w2_core.c) whose
 * imports are the preview1 functions bound by the run pipeline's transport
 * (run_link), so a call made here reaches the same preview1 host as a
 * preview1 module's: in-process at --sandbox=none, the broker otherwise.
 * The bridge's memory is the one those calls see (the first memory of the
 * store, memfd 0 under the sandbox); arguments and results pass through it.
 *
 * Host resources (streams, descriptors, pollables, errors, directory entry
 * streams, terminals) are entries of one table here: the rep of a handle is
 * the entry's index, and every call checks both the handle's resource type
 * and the entry's kind.
 */
#ifndef WRUN_W2_H
#define WRUN_W2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wasi/wasi.h"
#include "wasi2.h"
#include "wrun.h"

/* The bridge memory's layout: small out-parameters below W2_BUF, a data
 * buffer of W2_BUF_MAX bytes from W2_BUF. */
#define W2_PAGES 3u
#define W2_OUT 0u		/* 4096 bytes of out-parameters */
#define W2_PATH 4096u		/* a path (WASI_PATH_MAX) */
#define W2_PATH2 8192u		/* a second path */
#define W2_BUF 16384u
#define W2_BUF_MAX 65536u	/* the most one read, write or random call moves */
#define W2_MAX_ENTRIES 4096u	/* host resources alive at once */

/* Kinds of host resources. */
enum w2_kind {
	W2_FREE, W2_INPUT, W2_OUTPUT, W2_DESC, W2_POLL, W2_ERROR, W2_DIRSTREAM,
	W2_TERM_IN, W2_TERM_OUT,
	W2_NETWORK, W2_TCP, W2_UDP, W2_INDGRAM, W2_OUTDGRAM, W2_RESOLVE,	/* w2_sock.c */
	W2__KINDS
};

/* How a stream reaches its preview1 descriptor: a standard stream, a file
 * at an offset or appended to, a TCP connection (sock_recv, sock_send,
 * never waiting). */
enum w2_mode { W2_STDIO, W2_AT, W2_APPEND, W2_SOCK };

/* What a pollable waits for: nothing, monotonic time off, its descriptor
 * fd readable or writable. */
enum w2_pkind { W2_READY, W2_DEADLINE, W2_FD_READ, W2_FD_WRITE };

struct w2_entry {
	uint8_t kind;		/* enum w2_kind */
	uint8_t mode;		/* streams: enum w2_mode; pollables: enum w2_pkind */
	uint8_t state;		/* sockets: enum w2_sstate (w2_sock.c) */
	uint8_t fam;		/* sockets: 4 or 6 */
	bool keep;		/* a preopen: its descriptor is never closed */
	bool tok;		/* fd is a derived handle of its own (a stream or
				 * pollable the broker made, wasi_res.c): closed
				 * when the entry is dropped */
	uint32_t fd;		/* the preview1 descriptor */
	uint32_t parent;	/* the entry this one was made from, or UINT32_MAX */
	uint32_t nchild;	/* entries made from this one and alive */
	uint64_t off;		/* file streams: the position; deadline; errno; dir cookie */
	bool closed;		/* input streams: end of stream seen */
	uint8_t *data;		/* owned: resolved addresses (w2_sock.c), or NULL */
};

struct wasi2 {
	wr_store *s;
	wr_module *module;
	wr_instance *bridge;
	wr_memory *mem;
	wr_func *fn[WASI_FN__COUNT];
	wr_trap trap;		/* the last bridge call's, when it trapped */
	const void *rtype[W2__KINDS];	/* the resource identities */
	struct w2_entry *tab;
	uint32_t ntab, cap;
};

/* Call preview1 function fn with args (one per letter of its signature).
 * Returns the errno (>= 0), or -1 when the call trapped (w->trap: the
 * guest exited, or a limit was reached). */
int w2_p1(struct wasi2 *w, unsigned fn, const uint64_t *args);
/* Pass the trap of a failed w2_p1 to the component's caller. */
wr_trapkind w2_pass(struct wasi2 *w, wr_ccall *call);
/* The bridge memory at offset off (n bytes, checked by construction). */
uint8_t *w2_mem(struct wasi2 *w, uint32_t off);
uint32_t w2_u32(struct wasi2 *w, uint32_t off);
uint64_t w2_u64(struct wasi2 *w, uint32_t off);

/* Resource table. */
uint32_t w2_new(struct wasi2 *w, enum w2_kind kind, uint32_t fd);	/* UINT32_MAX: full */
/* A new entry made from entry parent (UINT32_MAX: none), which cannot be
 * dropped before it: kept in this table only, for what stands for no
 * broker handle (a pollable of a name lookup). */
uint32_t w2_child(struct wasi2 *w, enum w2_kind kind, uint32_t fd, uint32_t parent);
/* The same for a stream or pollable of broker handle fd: the broker makes
 * a derived handle of role for it (res_derive, src/wasi/wasi_res.c), which
 * the entry holds and its drop closes.  UINT32_MAX with *err: the broker's
 * errno (EMFILE: a table is full), or -1 when the call trapped. */
uint32_t w2_derive(struct wasi2 *w, enum w2_kind kind, uint32_t fd, enum wasi_role role,
		   uint32_t parent, int *err);
/* Trap for a w2_derive that failed with err. */
wr_trapkind w2_derive_fail(struct wasi2 *w, wr_ccall *call, int err);
/* Does the entry stand for a handle of the broker's table? */
bool w2_brokered(const struct w2_entry *e);
struct w2_entry *w2_get(struct wasi2 *w, const wr_cval *h, enum w2_kind kind);
/* The destructor of every host resource: NULL, or why the drop is refused. */
const char *w2_drop(struct wasi2 *w, uint32_t rep);

/* Values. */
wr_cval cv_u(wr_ckind k, uint64_t v);
wr_cval cv_str(const char *s, size_t n);	/* kind 0 (bool) when out of memory */
wr_cval cv_agg(wr_ckind k, uint32_t tag, uint32_t n);	/* elems zeroed; NULL-safe */
wr_cval cv_own(struct wasi2 *w, enum w2_kind kind, uint32_t rep);
wr_cval cv_ok(const wr_cval *payload);	/* NULL: none */
wr_cval cv_err(const wr_cval *payload);
bool cv_oom(const wr_cval *v);		/* an aggregate whose elements are missing */
wr_cval cv_buf(struct wasi2 *w, uint32_t n);	/* list<u8>: the first n bytes of W2_BUF */
wr_trapkind w2_nomem(wr_ccall *call);

/* Definitions, per file. */
bool w2_define_cli(struct wasi2 *w, wr_clinker *l);
bool w2_define_io(struct wasi2 *w, wr_clinker *l);
bool w2_define_fs(struct wasi2 *w, wr_clinker *l);
bool w2_define_sock(struct wasi2 *w, wr_clinker *l);

/* A stream-error (wasi:io/streams) for preview1 errno e: closed for
 * EPIPE-like ends, else last-operation-failed with a new error. */
wr_cval w2_stream_error(struct wasi2 *w, int e);
/* A new pollable of kind kind: at is the deadline or the descriptor;
 * parent the entry it watches (UINT32_MAX: none). */
wr_trapkind w2_pollable(struct wasi2 *w, wr_ccall *call, enum w2_pkind kind, uint64_t at,
			uint32_t parent, wr_cval *res);

/* Wait until preview1 handle fd is readable (write: writable); -1 when
 * the call trapped. */
int w2_wait_fd(struct wasi2 *w, uint32_t fd, bool write);

/* Define each entry of a table of functions of one interface. */
struct w2_def {
	const char *name;
	wr_chost_fn fn;
};
bool w2_define(wr_clinker *l, const char *iface, const struct w2_def *d, size_t n,
	       struct wasi2 *w);

#define W2_VER "@0.2.12"

#endif
