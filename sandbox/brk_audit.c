/*
 * brk_audit.c: --audit FILE, one JSON object per line (man wrun-sandbox(7),
 * AUDIT LOG, is the reference for the format).
 *
 *   {"time":...,"event":"start","module":"m.wasm","sha256":"...",...}
 *   {"time":...,"event":"call","fn":"path_open","fd":3,"path":"../x",
 *    "bytes":0,"errno":"ENOTCAPABLE","denied":true}
 *   {"time":...,"event":"end","outcome":"exit","exit_code":0,...}
 *
 * Every record carries "denied" and is written whole or not at all: it is
 * built in a buffer known to hold it (call records: a static buffer sized
 * for two paths of WASI_PATH_MAX bytes at the worst expansion; the start
 * record: a buffer of its measured size), and when it still does not fit
 * a short record that keeps "event", "fn" and "denied" is written instead.
 * Each line goes out with one write() (looping only on a short write), so
 * the log stays whole up to the last call even if the broker is killed;
 * the file is opened O_APPEND.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "brk.h"
#include "brk_json.h"
#include "sandbox.h"
#include "sbx.h"
#include "wasi/wasi.h"

/* The errno names of the preview1 definition, in its order (0 to 76). */
static const char *const brk_errno_names[] = {
	"ESUCCESS", "E2BIG", "EACCES", "EADDRINUSE", "EADDRNOTAVAIL", "EAFNOSUPPORT",
	"EAGAIN", "EALREADY", "EBADF", "EBADMSG", "EBUSY", "ECANCELED", "ECHILD",
	"ECONNABORTED", "ECONNREFUSED", "ECONNRESET", "EDEADLK", "EDESTADDRREQ", "EDOM",
	"EDQUOT", "EEXIST", "EFAULT", "EFBIG", "EHOSTUNREACH", "EIDRM", "EILSEQ",
	"EINPROGRESS", "EINTR", "EINVAL", "EIO", "EISCONN", "EISDIR", "ELOOP", "EMFILE",
	"EMLINK", "EMSGSIZE", "EMULTIHOP", "ENAMETOOLONG", "ENETDOWN", "ENETRESET",
	"ENETUNREACH", "ENFILE", "ENOBUFS", "ENODEV", "ENOENT", "ENOEXEC", "ENOLCK",
	"ENOLINK", "ENOMEM", "ENOMSG", "ENOPROTOOPT", "ENOSPC", "ENOSYS", "ENOTCONN",
	"ENOTDIR", "ENOTEMPTY", "ENOTRECOVERABLE", "ENOTSOCK", "ENOTSUP", "ENOTTY",
	"ENXIO", "EOVERFLOW", "EOWNERDEAD", "EPERM", "EPIPE", "EPROTO",
	"EPROTONOSUPPORT", "EPROTOTYPE", "ERANGE", "EROFS", "ESPIPE", "ESRCH", "ESTALE",
	"ETIMEDOUT", "ETXTBSY", "EXDEV", "ENOTCAPABLE",
};
_Static_assert(sizeof(brk_errno_names) / sizeof(brk_errno_names[0]) == BRK_WASI_NERRNO,
	       "one name per errno of the definition");

const char *brk_errno_name(int err)
{
	return err >= 0 && err < BRK_WASI_NERRNO ? brk_errno_names[err] : NULL;
}

/* Where a function's handle and paths sit among its arguments. */
struct brk_argmap {
	int8_t fd;		/* handle argument, or -1 */
	int8_t path, path2;	/* (ptr, len) pairs start here, or -1 */
};

/* Handle in argument 0 unless listed; paths for the path_* functions. */
static struct brk_argmap brk_audit_map(unsigned fn)
{
	switch (fn) {
	case WASI_FN_args_get: case WASI_FN_args_sizes_get:
	case WASI_FN_environ_get: case WASI_FN_environ_sizes_get:
	case WASI_FN_clock_res_get: case WASI_FN_clock_time_get:
	case WASI_FN_poll_oneoff: case WASI_FN_proc_exit: case WASI_FN_proc_raise:
	case WASI_FN_sched_yield: case WASI_FN_random_get: case WASI_FN_net_socket:
		return (struct brk_argmap){ -1, -1, -1 };
	case WASI_FN_net_resolve:	/* the name looked up */
		return (struct brk_argmap){ -1, 0, -1 };
	case WASI_FN_path_create_directory: case WASI_FN_path_readlink:
	case WASI_FN_path_remove_directory: case WASI_FN_path_unlink_file:
		return (struct brk_argmap){ 0, 1, -1 };
	case WASI_FN_path_filestat_get: case WASI_FN_path_filestat_set_times:
	case WASI_FN_path_open:
		return (struct brk_argmap){ 0, 2, -1 };
	case WASI_FN_path_link:
		return (struct brk_argmap){ 0, 2, 5 };
	case WASI_FN_path_rename:
		return (struct brk_argmap){ 0, 1, 4 };
	case WASI_FN_path_symlink:
		return (struct brk_argmap){ 2, 0, 3 };
	default:
		return (struct brk_argmap){ 0, -1, -1 };
	}
}

/*
 * Copy a guest path (ptr, len) for the log: checked against the memory
 * size the broker set, at most WASI_PATH_MAX bytes (out holds that many),
 * read once so that the record is built from bytes the guest can no
 * longer change.
 */
static void brk_audit_path(const uint64_t *a, int at, const uint8_t *mem, uint64_t size,
			   uint8_t *out, struct brk_audit_str *s)
{
	uint64_t ptr, len;

	*s = (struct brk_audit_str){ .set = at >= 0 };
	if (at < 0)
		return;
	ptr = (uint32_t)a[at];
	len = (uint32_t)a[at + 1];
	s->full = (uint32_t)len;
	if (!mem || ptr > size || len > size - ptr) {
		s->outside = true;
		return;
	}
	s->len = len < WASI_PATH_MAX ? (uint32_t)len : WASI_PATH_MAX;
	memcpy(out, mem + ptr, s->len);
	s->p = out;
}

/*
 * Fill the handle and paths of r for WASI call fn with raw arguments a.
 * p1 and p2 (WASI_PATH_MAX bytes each) receive the paths.
 */
void brk_audit_args(unsigned fn, const uint64_t *a, const uint8_t *mem, uint64_t size,
		    struct brk_audit_rec *r, uint8_t *p1, uint8_t *p2)
{
	struct brk_argmap m = brk_audit_map(fn);

	r->handle = m.fd < 0 ? -1 : (int64_t)(uint32_t)a[m.fd];
	brk_audit_path(a, m.path, mem, size, p1, &r->path);
	brk_audit_path(a, m.path2, mem, size, p2, &r->path2);
}

/*
 * Is this answer a refusal of authority?  ENOTCAPABLE, EPERM and EACCES
 * are; so is EBADF, a handle the guest was never given or has closed,
 * except from fd_prestat_get: there EBADF is the definition's way of
 * saying "not a preopen", and every guest's libc asks handle after handle
 * until it gets it.  EBUSY from fd_close and fd_renumber is a refusal too:
 * a handle whose WASI 0.2 streams or pollables are open (wasi_res.c).
 */
bool brk_audit_denial(unsigned fn, int wasi_err)
{
	if (wasi_err == WASI_EBADF)
		return fn != WASI_FN_fd_prestat_get;
	if (wasi_err == WASI_EBUSY)
		return fn == WASI_FN_fd_close || fn == WASI_FN_fd_renumber;
	return wasi_err == WASI_ENOTCAPABLE || wasi_err == WASI_EPERM ||
	       wasi_err == WASI_EACCES;
}

/* ---- writing lines ---- */

/* What every record shares; body adds the rest between "event" and "denied". */
struct brk_line {
	struct timespec ts;
	const char *event, *fn;
	bool denied;
	void (*body)(struct jline *l, const void *rec);
	const void *rec;
};

/* "time":SECONDS.MICROSECONDS (no stdio: signal handlers write records too). */
static void brk_time(struct jline *l, const struct timespec *ts)
{
	char us[6];
	long v = ts->tv_nsec / 1000;

	for (int i = 5; i >= 0; i--, v /= 10)
		us[i] = (char)('0' + v % 10);
	jl_key(l, "time");
	jl_u64(l, ts->tv_sec > 0 ? (uint64_t)ts->tv_sec : 0);
	jl_raw(l, ".", 1);
	jl_raw(l, us, sizeof(us));
}

static void brk_build(struct jline *l, const struct brk_line *c)
{
	jl_raw(l, "{", 1);
	brk_time(l, &c->ts);
	jl_kv_lit(l, "event", c->event);
	if (c->body) {
		c->body(l, c->rec);
	} else {
		if (c->fn)
			jl_kv_lit(l, "fn", c->fn);
		jl_kv_bool(l, "incomplete", true);
	}
	jl_kv_bool(l, "denied", c->denied);
	jl_raw(l, "}\n", 2);
}

/* Write the line whole (a short write to a regular file: the rest). */
static void brk_put(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = SBX_RETRY(write(fd, p, n));

		if (w <= 0)
			return;
		p += w, n -= (size_t)w;
	}
}

/*
 * Build the record into buf; if it does not fit and may_alloc, into a
 * buffer of its measured size.  When neither holds it, the short form
 * (time, event, fn, "incomplete":true, denied: under 128 bytes, and every
 * caller's buf is larger) goes out instead: never a cut line.
 */
static void brk_emit(int fd, struct brk_line *c, char *buf, size_t cap, bool may_alloc)
{
	struct jline l = { .p = buf, .cap = cap };
	char *big = NULL;

	brk_build(&l, c);
	if (!jl_fits(&l) && may_alloc && (big = malloc(l.n))) {
		l = (struct jline){ .p = big, .cap = l.n };
		brk_build(&l, c);
	}
	if (!jl_fits(&l)) {
		c->body = NULL;
		l = (struct jline){ .p = buf, .cap = cap };
		brk_build(&l, c);
	}
	if (jl_fits(&l))
		brk_put(fd, l.p, l.n);
	if (big)		/* never in a signal handler: may_alloc is false there */
		free(big);
}

/* ---- call records ---- */

/* "path":..., with "path_hex" and "path_len" when needed (man page). */
static void brk_path_field(struct jline *l, const char *key, const struct brk_audit_str *s)
{
	char k[16];

	if (!s->set)
		return;
	if (s->outside) {
		jl_key(l, key);
		jl_lit(l, "null");
	} else {
		jl_field(l, key, s->p, s->len);
	}
	if (s->outside || s->len < s->full) {
		strcpy(k, key);
		strcat(k, "_len");
		jl_kv_u64(l, k, s->full);
	}
}

static void brk_call_body(struct jline *l, const void *rec)
{
	const struct brk_audit_rec *r = rec;
	const char *name = r->err >= 0 ? brk_errno_name(r->err) : NULL;

	jl_kv_lit(l, "fn", r->fn);
	if (r->handle >= 0)
		jl_kv_u64(l, "fd", (uint64_t)r->handle);
	brk_path_field(l, "path", &r->path);
	brk_path_field(l, "path2", &r->path2);
	jl_kv_u64(l, "bytes", r->bytes);
	if (r->has_memory)
		jl_kv_u64(l, "memory", r->memory);
	if (r->err >= 0 && name) {
		jl_kv_lit(l, "errno", name);
	} else if (r->err >= 0) {	/* outside the definition: its digits */
		jl_key(l, "errno");
		jl_raw(l, "\"", 1);
		jl_u64(l, (uint64_t)r->err);
		jl_raw(l, "\"", 1);
	}
}

/*
 * Room for any call record: two paths of WASI_PATH_MAX bytes at the worst
 * expansion with their _len fields, and the fixed fields (time, event,
 * fn, fd, bytes, errno, denied: under 256 bytes) with margin.
 */
#define BRK_CALL_MAX	(2 * JL_FIELD_MAX(WASI_PATH_MAX, 5) + 2 * 32 + 512)

/* Write one call record as one line. */
void brk_audit_write(int fd, const struct brk_audit_rec *r)
{
	static char buf[BRK_CALL_MAX];	/* the broker is one thread */
	struct brk_line c = { .event = "call", .fn = r->fn, .denied = r->denied,
			      .body = brk_call_body, .rec = r };

	if (fd < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &c.ts);
	brk_emit(fd, &c, buf, sizeof(buf), false);
}

/* ---- the first and the last record ---- */

/* "key":N, or null for 0 (no limit). */
static void brk_limit(struct jline *l, const char *key, uint64_t v)
{
	jl_key(l, key);
	if (v)
		jl_u64(l, v);
	else
		jl_lit(l, "null");
}

/* Open element i of a list of objects. */
static void brk_elem(struct jline *l, size_t i)
{
	jl_raw(l, i ? ",{" : "{", i ? 2 : 1);
}

/* The grants: directories, environment names, listeners, the network. */
static void brk_grants(struct jline *l, const struct sbx_opts *o)
{
	jl_key(l, "dirs");
	jl_raw(l, "[", 1);
	for (size_t i = 0; i < o->wasi.ndirs; i++) {
		brk_elem(l, i);
		jl_field_c(l, "host", o->wasi.dirs[i].host);
		jl_field_c(l, "guest", o->wasi.dirs[i].guest);
		jl_raw(l, "}", 1);
	}
	jl_raw(l, "]", 1);
	jl_key(l, "env");
	jl_raw(l, "[", 1);
	for (size_t i = 0; i < o->wasi.nenv; i++) {	/* the names only: values may be secrets */
		brk_elem(l, i);
		jl_field(l, "name", (const uint8_t *)o->wasi.env[i], strcspn(o->wasi.env[i], "="));
		jl_raw(l, "}", 1);
	}
	jl_raw(l, "]", 1);
	jl_key(l, "tcplisten");
	jl_raw(l, "[", 1);
	for (size_t i = 0; i < o->wasi.nlisten; i++) {
		brk_elem(l, i);
		jl_field_c(l, "addr", o->wasi.listen[i]);
		jl_raw(l, "}", 1);
	}
	jl_raw(l, "]", 1);
	jl_key(l, "network");
	jl_raw(l, "{", 1);
	jl_kv_bool(l, "inherit", o->wasi.net & WASI_NET_INHERIT);
	jl_kv_bool(l, "tcp", o->wasi.net & WASI_NET_TCP);
	jl_kv_bool(l, "udp", o->wasi.net & WASI_NET_UDP);
	jl_kv_bool(l, "ip_name_lookup", o->wasi.net & WASI_NET_LOOKUP);
	jl_raw(l, "}", 1);
}

static void brk_start_body(struct jline *l, const void *rec)
{
	const struct brk_audit_start *s = rec;
	const struct sbx_opts *o = s->o;

	jl_field_c(l, "module", o->module);
	jl_key(l, "sha256");
	jl_hex(l, s->sha256, sizeof(s->sha256));
	jl_kv_u64(l, "size", s->size);
	jl_kv_lit(l, "level", jail_level_name(s->level));
	jl_kv_bool(l, "fallback", s->level != o->level);
	jl_kv_lit(l, "broker", s->uring ? "io_uring" : "plain");
	if (o->invoke)
		jl_field_c(l, "invoke", o->invoke);
	brk_grants(l, o);
	jl_key(l, "limits");
	jl_raw(l, "{", 1);
	brk_limit(l, "max_memory", o->max_memory);
	brk_limit(l, "timeout_ms", o->timeout_ms);
	brk_limit(l, "fuel", o->fuel);
	brk_limit(l, "max_open", o->wasi.max_open);
	brk_limit(l, "max_output", o->wasi.max_output);
	jl_raw(l, "}", 1);
}

/* The first record: what runs, how isolated, with what authority. */
void brk_audit_start(int fd, const struct brk_audit_start *s)
{
	char buf[4096];
	struct brk_line c = { .event = "start", .body = brk_start_body, .rec = s };

	if (fd < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &c.ts);
	brk_emit(fd, &c, buf, sizeof(buf), true);
}

static void brk_end_body(struct jline *l, const void *rec)
{
	const struct brk_audit_end *e = rec;

	jl_kv_lit(l, "outcome", e->outcome);
	if (e->limit)
		jl_kv_lit(l, "limit", e->limit);
	if (e->signal > 0)
		jl_kv_u64(l, "signal", (uint64_t)e->signal);
	jl_kv_u64(l, "exit_code", (uint64_t)(e->exit_code & 0xff));
	if (e->message && e->message[0])
		jl_field_c(l, "message", e->message);
}

/*
 * The last record: how the run ended.  Async-signal-safe (the broker's
 * signal handlers call it as they end the run): a stack buffer, no
 * allocation, no stdio; a message longer than the buffer allows yields
 * the short form.
 */
void brk_audit_end(int fd, const struct brk_audit_end *e)
{
	char buf[BRK_END_MSG_MAX * 8 + 512];
	struct brk_line c = { .event = "end", .body = brk_end_body, .rec = e,
			      .denied = strcmp(e->outcome, "violation") == 0 };

	if (fd < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &c.ts);
	brk_emit(fd, &c, buf, sizeof(buf), false);
}

/* Open the log for appending (emptied first with truncate); -errno on failure. */
int brk_audit_open(const char *path, bool truncate)
{
	int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0);
	int fd = SBX_RETRY(open(path, flags, 0600));

	return fd < 0 ? -errno : fd;
}
