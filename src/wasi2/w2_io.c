/*
 * w2_io.c: wasi:io (error, poll, streams) over preview1 fd_read, fd_write,
 * fd_pread, fd_pwrite, fd_seek and poll_oneoff.
 */
#include <stdio.h>
#include <string.h>

#include "w2.h"

#define IO_VER(x) "wasi:io/" x W2_VER
#define WASI_EPIPE_ 64

static const char *const w2_rname[W2__KINDS][2] = {
	[W2_INPUT] = { IO_VER("streams"), "input-stream" },
	[W2_OUTPUT] = { IO_VER("streams"), "output-stream" },
	[W2_DESC] = { "wasi:filesystem/types" W2_VER, "descriptor" },
	[W2_POLL] = { IO_VER("poll"), "pollable" },
	[W2_ERROR] = { IO_VER("error"), "error" },
	[W2_DIRSTREAM] = { "wasi:filesystem/types" W2_VER, "directory-entry-stream" },
	[W2_TERM_IN] = { "wasi:cli/terminal-input" W2_VER, "terminal-input" },
	[W2_TERM_OUT] = { "wasi:cli/terminal-output" W2_VER, "terminal-output" },
	[W2_NETWORK] = { "wasi:sockets/network" W2_VER, "network" },
	[W2_TCP] = { "wasi:sockets/tcp" W2_VER, "tcp-socket" },
	[W2_UDP] = { "wasi:sockets/udp" W2_VER, "udp-socket" },
	[W2_INDGRAM] = { "wasi:sockets/udp" W2_VER, "incoming-datagram-stream" },
	[W2_OUTDGRAM] = { "wasi:sockets/udp" W2_VER, "outgoing-datagram-stream" },
	[W2_RESOLVE] = { "wasi:sockets/ip-name-lookup" W2_VER, "resolve-address-stream" },
};

static const char *w2_dtor(uint32_t rep, void *user)
{
	return w2_drop(user, rep);
}

wr_cval w2_stream_error(struct wasi2 *w, int e)
{
	wr_cval v;
	uint32_t rep;

	/* a stream's descriptor lacking the right: bad-descriptor, as for a
	 * write to a descriptor opened read-only */
	if (e == WASI_ENOTCAPABLE)
		e = WASI_EBADF;
	if (e == WASI_EPIPE_ || (rep = w2_new(w, W2_ERROR, 0)) == UINT32_MAX)
		return cv_agg(WR_C_VARIANT, 1, 0);
	w->tab[rep].off = (uint64_t)e;
	v = cv_agg(WR_C_VARIANT, 0, 1);
	if (v.of.elems)
		v.of.elems[0] = cv_own(w, W2_ERROR, rep);
	return v;
}

/* Return err(stream-error) for errno e (negative e: closed). */
static wr_trapkind st_fail(struct wasi2 *w, wr_cval *res, int e)
{
	wr_cval se = e < 0 ? cv_agg(WR_C_VARIANT, 1, 0) : w2_stream_error(w, e);

	*res = cv_err(&se);
	return WR_OK;
}

/* ---- error ---- */

static wr_trapkind err_debug(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	struct w2_entry *e = w2_get(u, &a[0], W2_ERROR);
	char text[48];

	(void)n;
	if (!e)
		return wr_ccall_trap(call, "wasi 0.2: not an error");
	snprintf(text, sizeof(text), "wasi errno %u", (unsigned)e->off);
	*res = cv_str(text, strlen(text));
	return res->kind == WR_C_STRING ? WR_OK : w2_nomem(call);
}

/* ---- poll ---- */

#define W2_POLL_MAX 512u	/* pollables in one poll call */

/* Subscription slot j of a poll_oneoff call for pollable e, number i
 * (preview1 layout: userdata, tag, then clock or fd fields). */
static void poll_sub(struct wasi2 *w, uint32_t j, uint64_t i, const struct w2_entry *e)
{
	uint8_t *sub = w2_mem(w, W2_BUF + j * 48);
	uint32_t clk = 1;
	uint16_t abst = 1;

	memset(sub, 0, 48);
	memcpy(sub, &i, 8);
	if (e->mode == W2_DEADLINE) {
		memcpy(sub + 16, &clk, 4);
		memcpy(sub + 24, &e->off, 8);
		memcpy(sub + 40, &abst, 2);
	} else {
		sub[8] = e->mode == W2_FD_READ ? 1 : 2;
		memcpy(sub + 16, &e->fd, 4);
	}
}

/*
 * Wait with poll_oneoff on the pollables ps[0..n) that are not always
 * ready, or only look (wait false: a clock that has passed already is
 * added). Marks ready[i] (all of them when poll_oneoff fails: the guest's
 * next operation reports it); -1 when the call trapped.
 */
static int poll_wait(struct wasi2 *w, struct w2_entry *const *ps, uint32_t n, bool wait,
		     bool *ready)
{
	uint32_t m = 0, evs = W2_BUF + (W2_POLL_MAX + 1) * 48;
	uint64_t a[4] = { W2_BUF, evs, 0, W2_OUT };
	int r;

	for (uint32_t i = 0; i < n; i++)
		if (ps[i]->mode != W2_READY)
			poll_sub(w, m++, i, ps[i]);
	if (!wait) {
		struct w2_entry now = { .mode = W2_DEADLINE, .off = 0 };

		poll_sub(w, m++, UINT64_MAX, &now);
	}
	a[2] = m;
	if ((r = w2_p1(w, WASI_FN_poll_oneoff, a)) < 0)
		return -1;
	for (uint32_t j = 0; r > 0 && j < n; j++)
		ready[j] = true;
	for (uint32_t j = 0; r == 0 && j < w2_u32(w, W2_OUT) && j < m; j++) {
		uint64_t ud = w2_u64(w, evs + j * 32);

		if (ud < n)
			ready[ud] = true;
	}
	return 0;
}

/* The ready indices of the n pollables ps (res: a list<u32> of room n);
 * waits until one is when wait. -1 when a call trapped. */
static int poll_list(struct wasi2 *w, struct w2_entry *const *ps, uint32_t n, bool wait,
		     wr_cval *res)
{
	bool ready[W2_POLL_MAX] = { false };
	uint32_t k = 0;
	int r;

	for (uint32_t i = 0; i < n; i++)
		if (ps[i]->mode == W2_READY)
			ready[i] = true, k++;
	r = k == n ? 0 : poll_wait(w, ps, n, wait && k == 0, ready);
	if (r < 0)
		return -1;
	k = 0;
	for (uint32_t i = 0; i < n; i++)
		if (ready[i] && res)
			res->of.elems[k++] = cv_u(WR_C_U32, i);
		else if (ready[i])
			k++;
	if (res)
		res->len = k;
	return (int)k;
}

static wr_trapkind poll_ready(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	struct w2_entry *e = w2_get(u, &a[0], W2_POLL);
	int r;

	(void)n;
	if (!e)
		return wr_ccall_trap(call, "wasi 0.2: not a pollable");
	if ((r = poll_list(u, &e, 1, false, NULL)) < 0)
		return w2_pass(u, call);
	*res = cv_u(WR_C_BOOL, r > 0);
	return WR_OK;
}

static wr_trapkind poll_block(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	struct w2_entry *e = w2_get(u, &a[0], W2_POLL);

	(void)n;
	(void)res;
	if (!e)
		return wr_ccall_trap(call, "wasi 0.2: not a pollable");
	if (poll_list(u, &e, 1, true, NULL) < 0)
		return w2_pass(u, call);
	return WR_OK;
}

static wr_trapkind poll_poll(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	struct wasi2 *w = u;
	struct w2_entry *ps[W2_POLL_MAX];
	int k = 0;

	(void)n;
	if (a[0].len == 0 || a[0].len > W2_POLL_MAX)
		return wr_ccall_trap(call, "wasi 0.2: poll of %u pollables (1 to %u)", a[0].len,
				     W2_POLL_MAX);
	for (uint32_t i = 0; i < a[0].len; i++)
		if (!(ps[i] = w2_get(w, &a[0].of.elems[i], W2_POLL)))
			return wr_ccall_trap(call, "wasi 0.2: not a pollable");
	*res = cv_agg(WR_C_LIST, 0, a[0].len);
	if (cv_oom(res))
		return w2_nomem(call);
	while (k == 0)
		if ((k = poll_list(w, ps, a[0].len, true, res)) < 0)
			return w2_pass(w, call);
	return WR_OK;
}

/*
 * A new pollable; as a result value.  One that waits for a descriptor, or
 * is made from a resource the broker holds (a descriptor, socket or
 * stream), has a broker handle of its own, a pollable derived from its
 * parent's (res_derive), so that the broker knows the link; a deadline or
 * a name lookup's is this table's only.
 */
wr_trapkind w2_pollable(struct wasi2 *w, wr_ccall *call, enum w2_pkind kind, uint64_t at,
			uint32_t parent, wr_cval *res)
{
	const struct w2_entry *p = parent < w->ntab ? &w->tab[parent] : NULL;
	bool out = kind == W2_FD_WRITE ||
		   (p && (p->kind == W2_OUTPUT || p->kind == W2_OUTDGRAM));
	uint32_t rep;
	int err = WASI_EMFILE;

	if (kind == W2_FD_READ || kind == W2_FD_WRITE || (p && w2_brokered(p)))
		rep = w2_derive(w, W2_POLL,
				kind == W2_FD_READ || kind == W2_FD_WRITE ? (uint32_t)at : p->fd,
				out ? WASI_ROLE_POLL_OUT : WASI_ROLE_POLL_IN, parent, &err);
	else
		rep = w2_child(w, W2_POLL, (uint32_t)at, parent);
	if (rep == UINT32_MAX)
		return w2_derive_fail(w, call, err);
	if (kind == W2_FD_READ || kind == W2_FD_WRITE)
		at = w->tab[rep].fd;	/* what poll_oneoff waits on */
	w->tab[rep].mode = (uint8_t)kind;
	w->tab[rep].off = at;
	*res = cv_own(w, W2_POLL, rep);
	return WR_OK;
}

/* ---- streams ---- */

/* Read up to len bytes of stream e into W2_BUF: bytes read, 0 at the end,
 * or -(errno) - 1; -1 - W2_TRAP... when trapped (w->trap). */
static int64_t st_read(struct wasi2 *w, struct w2_entry *e, uint64_t len, int *err)
{
	uint32_t iov[2] = { W2_BUF, len > W2_BUF_MAX ? W2_BUF_MAX : (uint32_t)len };
	uint64_t a[5] = { e->fd, W2_OUT, 1, e->off, W2_OUT + 16 };
	int r;

	memcpy(w2_mem(w, W2_OUT), iov, sizeof(iov));
	if (e->mode == W2_SOCK) {	/* sock_recv(fd, iovs, 1, 0, &n, &roflags) */
		uint64_t s[6] = { e->fd, W2_OUT, 1, 0, W2_OUT + 16, W2_OUT + 24 };

		r = w2_p1(w, WASI_FN_sock_recv, s);
	} else if (e->mode == W2_STDIO) {
		a[3] = W2_OUT + 16;
		r = w2_p1(w, WASI_FN_fd_read, a);
	} else {
		r = w2_p1(w, WASI_FN_fd_pread, a);
	}
	*err = r;
	if (r != 0)
		return -1;
	return w2_u32(w, W2_OUT + 16);
}

/* Wait until preview1 handle fd is readable (or writable); -1 trapped. */
int w2_wait_fd(struct wasi2 *w, uint32_t fd, bool write)
{
	struct w2_entry p = { .mode = write ? W2_FD_WRITE : W2_FD_READ, .fd = fd };
	struct w2_entry *ps = &p;

	return poll_list(w, &ps, 1, true, NULL) < 0 ? -1 : 0;
}

/* The step read, skip and splice share: up to len bytes of input stream e
 * into W2_BUF. Returns WR_OK with *got set (*res untouched) when bytes came
 * (none from a connection with nothing to read, unless block: it then
 * waits), or a finished call (*done true: *res holds the stream-error, or
 * a trap). */
static wr_trapkind in_take(wr_ccall *call, struct wasi2 *w, struct w2_entry *e, uint64_t len,
                           bool block, wr_cval *res, int64_t *got, bool *done)
{
	int err;

	*done = true;
	if (e->closed)
		return st_fail(w, res, -1);
	*got = len ? st_read(w, e, len, &err) : 0;
	while (*got < 0 && err == WASI_EAGAIN && e->mode == W2_SOCK) {
		if (!block) {
			*got = 0;
			*done = false;
			return WR_OK;
		}
		if (w2_wait_fd(w, e->fd, false) < 0)
			return w2_pass(w, call);
		*got = st_read(w, e, len, &err);
	}
	if (*got < 0)
		return err < 0 ? w2_pass(w, call) : st_fail(w, res, err);
	if (*got == 0 && len) {
		e->closed = true;
		return st_fail(w, res, -1);
	}
	e->off += (uint64_t)*got;
	*done = false;
	return WR_OK;
}

static wr_trapkind in_read_(wr_ccall *call, const wr_cval *a, bool block, wr_cval *res,
			    struct wasi2 *w)
{
	struct w2_entry *e = w2_get(w, &a[0], W2_INPUT);
	wr_cval list;
	int64_t got = 0;
	bool done;
	wr_trapkind k;

	if (!e)
		return wr_ccall_trap(call, "wasi 0.2: not an input-stream");
	k = in_take(call, w, e, a[1].of.u, block, res, &got, &done);
	if (done)
		return k;
	list = cv_buf(w, (uint32_t)got);
	if (cv_oom(&list))
		return w2_nomem(call);
	*res = cv_ok(&list);
	return WR_OK;
}

static wr_trapkind in_read(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	(void)n;
	return in_read_(call, a, false, res, u);
}

static wr_trapkind in_bread(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	(void)n;
	return in_read_(call, a, true, res, u);
}

static wr_trapkind in_skip_(wr_ccall *call, const wr_cval *a, bool block, wr_cval *res,
			    struct wasi2 *w)
{
	struct w2_entry *e = w2_get(w, &a[0], W2_INPUT);
	wr_cval v;
	int64_t got = 0;
	bool done;
	wr_trapkind k;

	if (!e)
		return wr_ccall_trap(call, "wasi 0.2: not an input-stream");
	k = in_take(call, w, e, a[1].of.u, block, res, &got, &done);
	if (done)
		return k;
	v = cv_u(WR_C_U64, (uint64_t)got);
	*res = cv_ok(&v);
	return WR_OK;
}

static wr_trapkind in_skip(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	(void)n;
	return in_skip_(call, a, false, res, u);
}

static wr_trapkind in_bskip(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	(void)n;
	return in_skip_(call, a, true, res, u);
}

/* A stream's pollable (its child): a standard stream's or a connection's
 * waits for its descriptor (as preview1's poll_oneoff does); a file's is
 * always ready. */
static wr_trapkind st_subscribe(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				void *u)
{
	struct wasi2 *w = u;
	struct w2_entry *in = w2_get(w, &a[0], W2_INPUT), *e = in ? in : w2_get(w, &a[0], W2_OUTPUT);
	uint32_t rep;

	(void)n;
	if (!e)
		return wr_ccall_trap(call, "wasi 0.2: not a stream");
	rep = (uint32_t)(e - w->tab);

	if (e->mode != W2_STDIO && e->mode != W2_SOCK)
		return w2_pollable(w, call, W2_READY, 0, rep, res);
	return w2_pollable(w, call, in ? W2_FD_READ : W2_FD_WRITE, e->fd, rep, res);
}

/* Write len bytes from W2_BUF to stream e, all of them: 0 or the errno;
 * -1 when trapped. */
static int st_write(struct wasi2 *w, struct w2_entry *e, uint32_t len)
{
	uint32_t done = 0;

	if (e->mode == W2_APPEND) {
		uint64_t s[4] = { e->fd, 0, 2, W2_OUT + 32 };
		int r = w2_p1(w, WASI_FN_fd_seek, s);

		if (r != 0)
			return r;
	}
	while (done < len) {
		uint32_t iov[2] = { W2_BUF + done, len - done };
		uint64_t a[5] = { e->fd, W2_OUT, 1, e->off, W2_OUT + 16 };
		int r;

		memcpy(w2_mem(w, W2_OUT), iov, sizeof(iov));
		if (e->mode == W2_SOCK) {	/* sock_send(fd, iovs, 1, 0, &n) */
			a[3] = 0;
			a[4] = W2_OUT + 16;
			r = w2_p1(w, WASI_FN_sock_send, a);
			/* the connection's buffer is full: wait for room */
			if (r == WASI_EAGAIN && (r = w2_wait_fd(w, e->fd, true)) == 0)
				continue;
		} else if (e->mode == W2_AT) {
			r = w2_p1(w, WASI_FN_fd_pwrite, a);
		} else {
			a[3] = W2_OUT + 16;
			r = w2_p1(w, WASI_FN_fd_write, a);
		}
		if (r != 0)
			return r;
		done += w2_u32(w, W2_OUT + 16);
		if (e->mode == W2_AT)
			e->off += w2_u32(w, W2_OUT + 16);
	}
	return 0;
}

static wr_trapkind out_check(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	wr_cval v = cv_u(WR_C_U64, W2_BUF_MAX);

	(void)n;
	if (!w2_get(u, &a[0], W2_OUTPUT))
		return wr_ccall_trap(call, "wasi 0.2: not an output-stream");
	*res = cv_ok(&v);
	return WR_OK;
}

/* Write bytes (a list<u8>, or len zeroes when list is NULL). */
static wr_trapkind out_put(wr_ccall *call, const wr_cval *h, const wr_cval *list, uint64_t len,
			   wr_cval *res, struct wasi2 *w)
{
	struct w2_entry *e = w2_get(w, h, W2_OUTPUT);
	uint8_t *buf = w2_mem(w, W2_BUF);
	int r;

	if (!e)
		return wr_ccall_trap(call, "wasi 0.2: not an output-stream");
	if (list)
		len = list->len;
	if (len > W2_BUF_MAX)
		return wr_ccall_trap(call, "wasi 0.2: write of more than check-write allowed");
	for (uint32_t i = 0; i < len; i++)
		buf[i] = list ? (uint8_t)list->of.elems[i].of.u : 0;
	r = st_write(w, e, (uint32_t)len);
	if (r < 0)
		return w2_pass(w, call);
	if (r > 0)
		return st_fail(w, res, r);
	*res = cv_ok(NULL);
	return WR_OK;
}

static wr_trapkind out_write(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	(void)n;
	return out_put(call, &a[0], &a[1], 0, res, u);
}

static wr_trapkind out_zeroes(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	(void)n;
	return out_put(call, &a[0], NULL, a[1].of.u, res, u);
}

static wr_trapkind out_flush(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	(void)n;
	if (!w2_get(u, &a[0], W2_OUTPUT))
		return wr_ccall_trap(call, "wasi 0.2: not an output-stream");
	*res = cv_ok(NULL);
	return WR_OK;
}

/* splice(self: output-stream, src: input-stream, len) */
static wr_trapkind out_splice_(wr_ccall *call, const wr_cval *a, bool blocking, wr_cval *res,
			       struct wasi2 *w)
{
	struct w2_entry *o = w2_get(w, &a[0], W2_OUTPUT), *i = w2_get(w, &a[1], W2_INPUT);
	int64_t got = 0;
	int r;
	bool done;
	wr_trapkind k;
	wr_cval v;

	if (!o || !i)
		return wr_ccall_trap(call, "wasi 0.2: not a stream");
	k = in_take(call, w, i, a[2].of.u, blocking, res, &got, &done);
	if (done)
		return k;
	if ((r = st_write(w, o, (uint32_t)got)) != 0)
		return r < 0 ? w2_pass(w, call) : st_fail(w, res, r);
	v = cv_u(WR_C_U64, (uint64_t)got);
	*res = cv_ok(&v);
	return WR_OK;
}

static wr_trapkind out_splice(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	(void)n;
	return out_splice_(call, a, false, res, u);
}

static wr_trapkind out_bsplice(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
			       void *u)
{
	(void)n;
	return out_splice_(call, a, true, res, u);
}

static const struct w2_def w2_streams[] = {
	{ "[method]input-stream.read", in_read },
	{ "[method]input-stream.blocking-read", in_bread },
	{ "[method]input-stream.skip", in_skip },
	{ "[method]input-stream.blocking-skip", in_bskip },
	{ "[method]input-stream.subscribe", st_subscribe },
	{ "[method]output-stream.check-write", out_check },
	{ "[method]output-stream.write", out_write },
	{ "[method]output-stream.blocking-write-and-flush", out_write },
	{ "[method]output-stream.flush", out_flush },
	{ "[method]output-stream.blocking-flush", out_flush },
	{ "[method]output-stream.subscribe", st_subscribe },
	{ "[method]output-stream.write-zeroes", out_zeroes },
	{ "[method]output-stream.blocking-write-zeroes-and-flush", out_zeroes },
	{ "[method]output-stream.splice", out_splice },
	{ "[method]output-stream.blocking-splice", out_bsplice },
};

static const struct w2_def w2_poll[] = {
	{ "[method]pollable.ready", poll_ready },
	{ "[method]pollable.block", poll_block },
	{ "poll", poll_poll },
};

bool w2_define_io(struct wasi2 *w, wr_clinker *l)
{
	static const struct w2_def err[] = { { "[method]error.to-debug-string", err_debug } };

	for (unsigned k = 1; k < W2__KINDS; k++) {
		w->rtype[k] = wr_clinker_define_resource(l, w2_rname[k][0], w2_rname[k][1],
							  w2_dtor, w);
		if (!w->rtype[k])
			return false;
	}
	return w2_define(l, IO_VER("streams"), w2_streams,
			 sizeof(w2_streams) / sizeof(w2_streams[0]), w) &&
	       w2_define(l, IO_VER("poll"), w2_poll, 3, w) &&
	       w2_define(l, IO_VER("error"), err, 1, w);
}
