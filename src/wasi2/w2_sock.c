/*
 * w2_sock.c: wasi:sockets (network, instance-network, tcp,
 * tcp-create-socket, udp, udp-create-socket, ip-name-lookup) over wrun:net
 * (src/wasi/wasi_net.c) and preview1's sock_accept, sock_recv, sock_send
 * and sock_shutdown, so the broker opens and operates every socket and
 * checks the grants (-S inherit-network, tcp, udp, allow-ip-name-lookup)
 * on each call.
 *
 * The state machine of the WIT is kept here, per socket entry; the
 * broker's checks do not depend on it (a socket is a handle of its table,
 * of a socket type, acted on only by socket calls).  start-bind and
 * start-connect do the work (the socket is non-blocking); finish-connect
 * asks for the handshake's end once the socket is writable (would-block
 * before).  A connection's streams are input and output streams of mode
 * W2_SOCK (w2_io.c), children of the socket: it cannot be dropped before
 * them, nor anything before its pollables.
 */
#include <stdlib.h>
#include <string.h>

#include "w2.h"

#define SK_VER(x) "wasi:sockets/" x W2_VER

/* Out-parameters of the wrun:net calls in the bridge memory. */
#define SK_N (W2_OUT + 128)		/* a u32 count or handle */
#define SK_V (W2_OUT + 136)		/* a u64 option value */
#define SK_ADDR (W2_OUT + 256)		/* an address given (32 bytes) */
#define SK_ADDR_OUT (W2_OUT + 320)	/* an address returned */
#define SK_RESOLVED (W2_OUT + 1024)	/* up to SK_RESOLVE_MAX addresses */
#define SK_RESOLVE_MAX 16u
#define SK_DGRAMS 16u			/* datagrams one receive or check-send allows */
#define SK_DGRAM_MAX 65535u		/* bytes of one datagram */

/* wrun:net's options (wasi_net.c) */
enum { OPT_ERROR, OPT_KEEPALIVE, OPT_KEEPIDLE, OPT_KEEPINTVL, OPT_KEEPCNT, OPT_HOPS,
       OPT_RCVBUF, OPT_SNDBUF };

/* WASI errnos this file names. */
enum {
	E_ADDRINUSE = 3, E_ADDRNOTAVAIL = 4, E_AFNOSUPPORT = 5, E_AGAIN = 6, E_ALREADY = 7,
	E_CONNABORTED = 13, E_CONNREFUSED = 14, E_CONNRESET = 15, E_DESTADDRREQ = 17,
	E_HOSTUNREACH = 23, E_INPROGRESS = 26, E_ISCONN = 30, E_MSGSIZE = 35,
	E_NETDOWN = 38, E_NETUNREACH = 40, E_NFILE = 41, E_NOBUFS = 42, E_NOPROTOOPT = 50,
	E_NOTCONN = 53, E_PIPE = 64, E_PROTONOSUPPORT = 66, E_TIMEDOUT = 73,
};

/* network.error-code */
enum {
	EC_UNKNOWN, EC_ACCESS, EC_NOTSUP, EC_INVAL, EC_NOMEM, EC_TIMEOUT, EC_CONFLICT,
	EC_NOT_IN_PROGRESS, EC_WOULD_BLOCK, EC_STATE, EC_SOCKET_LIMIT, EC_NOT_BINDABLE,
	EC_IN_USE, EC_UNREACHABLE, EC_REFUSED, EC_RESET, EC_ABORTED, EC_TOO_LARGE,
	EC_UNRESOLVABLE,
};

/* A socket's place in the WIT's state machine. */
enum w2_sstate {
	S_UNBOUND, S_BINDING, S_BOUND, S_LISTEN_START, S_LISTENING, S_CONNECTING, S_CONNECTED,
	S_CLOSED
};

static uint32_t sk_code(int e)
{
	static const struct { uint8_t e, c; } map[] = {
		{ WASI_EACCES, EC_ACCESS }, { WASI_EPERM, EC_ACCESS },
		{ WASI_ENOTCAPABLE, EC_ACCESS }, { WASI_ENOTSUP, EC_NOTSUP },
		{ E_AFNOSUPPORT, EC_NOTSUP }, { E_PROTONOSUPPORT, EC_NOTSUP },
		{ E_NOPROTOOPT, EC_NOTSUP }, { WASI_EINVAL, EC_INVAL }, { WASI_ENOMEM, EC_NOMEM },
		{ E_NOBUFS, EC_NOMEM }, { E_TIMEDOUT, EC_TIMEOUT }, { E_ALREADY, EC_CONFLICT },
		{ E_AGAIN, EC_WOULD_BLOCK }, { E_ISCONN, EC_STATE }, { E_NOTCONN, EC_STATE },
		{ E_DESTADDRREQ, EC_STATE }, { WASI_EMFILE, EC_SOCKET_LIMIT },
		{ E_NFILE, EC_SOCKET_LIMIT }, { E_ADDRNOTAVAIL, EC_NOT_BINDABLE },
		{ E_ADDRINUSE, EC_IN_USE }, { E_HOSTUNREACH, EC_UNREACHABLE },
		{ E_NETUNREACH, EC_UNREACHABLE }, { E_NETDOWN, EC_UNREACHABLE },
		{ E_CONNREFUSED, EC_REFUSED }, { E_CONNRESET, EC_RESET }, { E_PIPE, EC_RESET },
		{ E_CONNABORTED, EC_ABORTED }, { E_MSGSIZE, EC_TOO_LARGE },
		{ WASI_ENOENT, EC_UNRESOLVABLE },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].e == e)
			return map[i].c;
	return EC_UNKNOWN;
}

static wr_trapkind sk_err(wr_cval *res, uint32_t code)
{
	wr_cval c = cv_u(WR_C_ENUM, 0);

	c.tag = code;
	*res = cv_err(&c);
	return WR_OK;
}

/* err(error-code) for errno e, or pass the trap (e < 0). */
static wr_trapkind sk_fail(struct wasi2 *w, wr_ccall *call, wr_cval *res, int e)
{
	return e < 0 ? w2_pass(w, call) : sk_err(res, sk_code(e));
}

/* ok(payload) or the failure of r. */
static wr_trapkind sk_done(struct wasi2 *w, wr_ccall *call, wr_cval *res, int r,
			   const wr_cval *payload)
{
	if (r != 0)
		return sk_fail(w, call, res, r);
	*res = cv_ok(payload);
	return WR_OK;
}

static int sk_p1(struct wasi2 *w, unsigned fn, uint64_t a0, uint64_t a1, uint64_t a2,
		 uint64_t a3, uint64_t a4)
{
	uint64_t a[5] = { a0, a1, a2, a3, a4 };

	return w2_p1(w, fn, a);
}

/* The end of a start-*: on success socket entry i moves to state to. */
static wr_trapkind sk_started(struct wasi2 *w, wr_ccall *call, wr_cval *res, uint32_t i, int r,
			      enum w2_sstate to)
{
	if (r == 0)
		w->tab[i].state = (uint8_t)to;
	return sk_done(w, call, res, r, NULL);
}

/* A finish-* that only moves the state machine: from, to. */
static wr_trapkind sk_finish(struct w2_entry *e, wr_cval *res, enum w2_sstate from,
			     enum w2_sstate to)
{
	if (e->state != from)
		return sk_err(res, EC_NOT_IN_PROGRESS);
	e->state = (uint8_t)to;
	*res = cv_ok(NULL);
	return WR_OK;
}

/* ---- addresses ---- */

/* Is v an aggregate of kind k with n parts? */
static bool sk_is(const wr_cval *v, wr_ckind k, uint32_t n)
{
	return v->kind == k && v->len == n && v->of.elems;
}

/* An ip-socket-address into the 32 bytes at SK_ADDR; its family (4, 6),
 * or 0 when the value is malformed. */
static unsigned sk_addr_in(struct wasi2 *w, const wr_cval *v)
{
	uint8_t *p = w2_mem(w, SK_ADDR);
	const wr_cval *r, *t;

	memset(p, 0, 32);
	if (v->kind != WR_C_VARIANT || v->len != 1 || !v->of.elems || v->tag > 1)
		return 0;
	r = &v->of.elems[0];
	if (!sk_is(r, WR_C_RECORD, v->tag ? 4 : 2))
		return 0;
	t = &r->of.elems[v->tag ? 2 : 1];
	if (!sk_is(t, WR_C_TUPLE, v->tag ? 8 : 4))
		return 0;
	p[0] = v->tag ? 6 : 4;
	p[2] = (uint8_t)r->of.elems[0].of.u;
	p[3] = (uint8_t)(r->of.elems[0].of.u >> 8);
	if (!v->tag) {
		for (int i = 0; i < 4; i++)
			p[8 + i] = (uint8_t)t->of.elems[i].of.u;
		return 4;
	}
	memcpy(p + 4, &(uint32_t){ (uint32_t)r->of.elems[1].of.u }, 4);
	for (int i = 0; i < 8; i++) {	/* network order */
		p[8 + 2 * i] = (uint8_t)(t->of.elems[i].of.u >> 8);
		p[9 + 2 * i] = (uint8_t)t->of.elems[i].of.u;
	}
	memcpy(p + 24, &(uint32_t){ (uint32_t)r->of.elems[3].of.u }, 4);
	return 6;
}

/* The address part of an address at off: tuple<u8 x 4> or tuple<u16 x 8>. */
static wr_cval sk_ip_tuple(struct wasi2 *w, uint32_t off, bool v6)
{
	const uint8_t *p = w2_mem(w, off);
	wr_cval t = cv_agg(WR_C_TUPLE, 0, v6 ? 8 : 4);

	for (uint32_t i = 0; t.of.elems && i < t.len; i++)
		t.of.elems[i] = v6 ? cv_u(WR_C_U16, (uint64_t)p[8 + 2 * i] << 8 | p[9 + 2 * i])
				   : cv_u(WR_C_U8, p[8 + i]);
	return t;
}

/* The ip-socket-address at off (32 bytes, as wasi_net.c writes it). */
static wr_cval sk_addr_out(struct wasi2 *w, uint32_t off)
{
	const uint8_t *p = w2_mem(w, off);
	bool v6 = p[0] == 6;
	wr_cval v = cv_agg(WR_C_VARIANT, v6, 1);
	wr_cval *r;

	if (!v.of.elems)
		return v;
	r = &v.of.elems[0];
	*r = cv_agg(WR_C_RECORD, 0, v6 ? 4 : 2);
	if (!r->of.elems)
		return v;
	r->of.elems[0] = cv_u(WR_C_U16, (uint64_t)(p[2] | p[3] << 8));
	r->of.elems[v6 ? 2 : 1] = sk_ip_tuple(w, off, v6);
	if (v6) {
		r->of.elems[1] = cv_u(WR_C_U32, w2_u32(w, off + 4));
		r->of.elems[3] = cv_u(WR_C_U32, w2_u32(w, off + 24));
	}
	return v;
}

/* ---- network, instance-network ---- */

static wr_trapkind inst_network(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				void *u)
{
	struct wasi2 *w = u;
	uint32_t rep = w2_new(w, W2_NETWORK, 0);

	(void)a;
	(void)n;
	if (rep == UINT32_MAX)
		return wr_ccall_trap(call, "wasi 0.2: too many host resources");
	*res = cv_own(w, W2_NETWORK, rep);
	return WR_OK;
}

/* network-error-code(err: borrow<error>) -> option<error-code> */
static wr_trapkind net_error_code(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				  void *u)
{
	struct w2_entry *e = w2_get(u, &a[0], W2_ERROR);

	(void)n;
	if (!e)
		return wr_ccall_trap(call, "wasi 0.2: not an error");
	*res = cv_agg(WR_C_OPTION, 1, 1);
	if (cv_oom(res))
		return w2_nomem(call);
	res->of.elems[0] = cv_u(WR_C_ENUM, 0);
	res->of.elems[0].tag = sk_code((int)e->off);
	return WR_OK;
}

/* ---- sockets ---- */

/* create-tcp-socket and create-udp-socket (told apart by the name). */
static wr_trapkind sk_create(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	struct wasi2 *w = u;
	enum w2_kind kind = strstr(wr_ccall_name(call), "create-udp-socket") ? W2_UDP : W2_TCP;
	unsigned fam = a[0].tag ? 6 : 4;
	uint32_t rep;
	int r = sk_p1(w, WASI_FN_net_socket, fam, kind == W2_UDP, SK_N, 0, 0);
	wr_cval v;

	(void)n;
	if (r != 0)
		return sk_fail(w, call, res, r);
	rep = w2_new(w, kind, w2_u32(w, SK_N));
	if (rep == UINT32_MAX) {
		sk_p1(w, WASI_FN_fd_close, w2_u32(w, SK_N), 0, 0, 0, 0);
		return sk_err(res, EC_SOCKET_LIMIT);
	}
	w->tab[rep].fam = (uint8_t)fam;
	v = cv_own(w, kind, rep);
	*res = cv_ok(&v);
	return WR_OK;
}

/* The socket (TCP or UDP) a method is called on; NULL: trap. */
static struct w2_entry *sk_self(struct wasi2 *w, const wr_cval *h)
{
	struct w2_entry *e = w2_get(w, h, W2_TCP);

	return e ? e : w2_get(w, h, W2_UDP);
}

#define SELF(e)                                                                   \
	struct wasi2 *w = u;                                                      \
	struct w2_entry *e = sk_self(w, &a[0]);                                   \
	(void)n, (void)w;                                                         \
	if (!e)                                                                   \
		return wr_ccall_trap(call, "wasi 0.2: not a socket")

/* start-bind(network, local-address) */
static wr_trapkind sk_start_bind(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				 void *u)
{
	unsigned fam;
	uint32_t i;
	int r;
	SELF(e);

	if (!w2_get(w, &a[1], W2_NETWORK))
		return wr_ccall_trap(call, "wasi 0.2: not a network");
	if (e->state != S_UNBOUND)
		return sk_err(res, EC_STATE);
	if (!(fam = sk_addr_in(w, &a[2])))
		return wr_ccall_trap(call, "wasi 0.2: malformed ip-socket-address");
	if (fam != e->fam)
		return sk_err(res, EC_INVAL);
	i = (uint32_t)(e - w->tab);
	r = sk_p1(w, WASI_FN_net_bind, e->fd, SK_ADDR, 0, 0, 0);
	return sk_started(w, call, res, i, r, S_BINDING);
}

static wr_trapkind sk_finish_bind(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				  void *u)
{
	SELF(e);

	return sk_finish(e, res, S_BINDING, S_BOUND);
}

/* Two streams of socket entry s (kinds ik and ok), each with its broker
 * handle: 0 with their entries, or w2_derive's error. */
static int sk_pair(struct wasi2 *w, uint32_t s, enum w2_kind ik, enum w2_kind ok, uint32_t *in,
		   uint32_t *out)
{
	int err;

	*in = w2_derive(w, ik, w->tab[s].fd, WASI_ROLE_IN, s, &err);
	if (*in == UINT32_MAX)
		return err;
	*out = w2_derive(w, ok, w->tab[s].fd, WASI_ROLE_OUT, s, &err);
	if (*out == UINT32_MAX) {
		w2_drop(w, *in);
		return err;
	}
	return 0;
}

/* A connection's two streams, children of socket entry s, as a tuple's
 * elements from t[0]: 0, or w2_derive's error. */
static int sk_streams(struct wasi2 *w, uint32_t s, wr_cval *t)
{
	uint32_t in, out;
	int err = sk_pair(w, s, W2_INPUT, W2_OUTPUT, &in, &out);

	if (err)
		return err;
	w->tab[in].mode = w->tab[out].mode = W2_SOCK;
	t[0] = cv_own(w, W2_INPUT, in);
	t[1] = cv_own(w, W2_OUTPUT, out);
	return 0;
}

/* start-connect(network, remote-address) */
static wr_trapkind tcp_start_connect(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				     void *u)
{
	unsigned fam;
	uint32_t i;
	int r;
	SELF(e);

	if (!w2_get(w, &a[1], W2_NETWORK))
		return wr_ccall_trap(call, "wasi 0.2: not a network");
	if (e->state != S_UNBOUND && e->state != S_BOUND)
		return sk_err(res, EC_STATE);
	if (!(fam = sk_addr_in(w, &a[2])))
		return wr_ccall_trap(call, "wasi 0.2: malformed ip-socket-address");
	if (fam != e->fam || w2_u32(w, SK_ADDR) >> 16 == 0)	/* port 0 */
		return sk_err(res, EC_INVAL);
	i = (uint32_t)(e - w->tab);
	r = sk_p1(w, WASI_FN_net_connect, e->fd, SK_ADDR, 0, 0, 0);
	return sk_started(w, call, res, i, r == E_INPROGRESS ? 0 : r, S_CONNECTING);
}

static wr_trapkind tcp_finish_connect(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				      void *u)
{
	uint32_t i;
	int r;
	wr_cval t;
	SELF(e);

	if (e->state != S_CONNECTING)
		return sk_err(res, EC_NOT_IN_PROGRESS);
	i = (uint32_t)(e - w->tab);
	/* the handshake is over once the socket is writable */
	if ((r = sk_p1(w, WASI_FN_net_getopt, e->fd, OPT_ERROR, SK_V, 0, 0)) != 0)
		return sk_fail(w, call, res, r);
	if ((r = (int)w2_u64(w, SK_V)) != 0) {
		w->tab[i].state = S_CLOSED;
		return sk_fail(w, call, res, r);
	}
	if ((r = sk_p1(w, WASI_FN_net_addr, w->tab[i].fd, 1, SK_ADDR_OUT, 0, 0)) != 0)
		return r == 53 ? sk_err(res, EC_WOULD_BLOCK) : sk_fail(w, call, res, r);
	t = cv_agg(WR_C_TUPLE, 0, 2);
	if (cv_oom(&t))
		return w2_nomem(call);
	if ((r = sk_streams(w, i, t.of.elems)) != 0) {
		wr_cval_free(&t);
		return w2_derive_fail(w, call, r);
	}
	w->tab[i].state = S_CONNECTED;
	*res = cv_ok(&t);
	return WR_OK;
}

static wr_trapkind tcp_start_listen(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				    void *u)
{
	uint32_t i;
	int r;
	SELF(e);

	if (e->state != S_BOUND)
		return sk_err(res, EC_STATE);
	i = (uint32_t)(e - w->tab);
	r = sk_p1(w, WASI_FN_net_listen, e->fd, e->off ? e->off : 128, 0, 0, 0);
	return sk_started(w, call, res, i, r, S_LISTEN_START);
}

static wr_trapkind tcp_finish_listen(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				     void *u)
{
	SELF(e);

	return sk_finish(e, res, S_LISTEN_START, S_LISTENING);
}

/* accept() -> (tcp-socket, input-stream, output-stream) */
static wr_trapkind tcp_accept(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	uint32_t c;
	uint8_t fam;
	int r;
	wr_cval t;
	SELF(e);

	if (e->state != S_LISTENING)
		return sk_err(res, EC_STATE);
	fam = e->fam;
	r = sk_p1(w, WASI_FN_sock_accept, e->fd, 4 /* fdflags nonblock */, SK_N, 0, 0);
	if (r != 0)
		return sk_fail(w, call, res, r);
	c = w2_new(w, W2_TCP, w2_u32(w, SK_N));
	t = cv_agg(WR_C_TUPLE, 0, 3);
	if (c == UINT32_MAX || cv_oom(&t) || (r = sk_streams(w, c, t.of.elems + 1)) != 0) {
		if (c != UINT32_MAX)
			w2_drop(w, c);
		else
			sk_p1(w, WASI_FN_fd_close, w2_u32(w, SK_N), 0, 0, 0, 0);
		wr_cval_free(&t);
		return r < 0 ? w2_pass(w, call) : sk_err(res, EC_SOCKET_LIMIT);
	}
	w->tab[c].fam = fam;
	w->tab[c].state = S_CONNECTED;
	t.of.elems[0] = cv_own(w, W2_TCP, c);
	*res = cv_ok(&t);
	return WR_OK;
}

/* local-address and remote-address (told apart by the name) */
static wr_trapkind sk_address(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	bool peer = strstr(wr_ccall_name(call), "remote-address") != NULL;
	wr_cval v;
	int r;
	SELF(e);

	if (e->state == S_UNBOUND || e->state == S_CLOSED ||
	    (peer && e->state != S_CONNECTED && !(e->kind == W2_UDP && e->mode)))
		return sk_err(res, EC_STATE);
	if ((r = sk_p1(w, WASI_FN_net_addr, e->fd, peer, SK_ADDR_OUT, 0, 0)) != 0)
		return sk_fail(w, call, res, r);
	v = sk_addr_out(w, SK_ADDR_OUT);
	*res = cv_ok(&v);
	return WR_OK;
}

static wr_trapkind tcp_is_listening(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				    void *u)
{
	SELF(e);

	*res = cv_u(WR_C_BOOL, e->state == S_LISTENING);
	return WR_OK;
}

static wr_trapkind sk_family(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	SELF(e);

	*res = cv_u(WR_C_ENUM, 0);
	res->tag = e->fam == 6;
	return WR_OK;
}

/* set-listen-backlog-size: kept for start-listen, applied at once to a
 * listening socket (listen again: Linux changes the backlog). */
static wr_trapkind tcp_set_backlog(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				   void *u)
{
	uint64_t v = a[1].of.u;
	int r = 0;
	SELF(e);

	if (v == 0)
		return sk_err(res, EC_INVAL);
	if (e->state == S_CONNECTING || e->state == S_CONNECTED)
		return sk_err(res, EC_STATE);
	e->off = v > 4096 ? 4096 : v;
	if (e->state == S_LISTENING || e->state == S_LISTEN_START)
		r = sk_p1(w, WASI_FN_net_listen, e->fd, e->off, 0, 0, 0);
	return sk_done(w, call, res, r, NULL);
}

/* The options: one getter and one setter each, through a table. */
struct sk_opt {
	const char *get, *set;
	uint8_t opt;
	wr_ckind kind;		/* of the value */
	uint64_t scale;		/* WIT value = host value * scale (durations: seconds) */
};

static const struct sk_opt sk_opts[] = {
	{ "keep-alive-enabled", "set-keep-alive-enabled", OPT_KEEPALIVE, WR_C_BOOL, 1 },
	{ "keep-alive-idle-time", "set-keep-alive-idle-time", OPT_KEEPIDLE, WR_C_U64,
	  1000000000u },
	{ "keep-alive-interval", "set-keep-alive-interval", OPT_KEEPINTVL, WR_C_U64,
	  1000000000u },
	{ "keep-alive-count", "set-keep-alive-count", OPT_KEEPCNT, WR_C_U32, 1 },
	{ "hop-limit", "set-hop-limit", OPT_HOPS, WR_C_U8, 1 },
	{ "receive-buffer-size", "set-receive-buffer-size", OPT_RCVBUF, WR_C_U64, 1 },
	{ "send-buffer-size", "set-send-buffer-size", OPT_SNDBUF, WR_C_U64, 1 },
};

/* Which option a call is: its name from the import (wr_ccall_name). */
static const struct sk_opt *sk_opt_of(wr_ccall *call, bool *set)
{
	const char *name = wr_ccall_name(call), *dot = strrchr(name, '.');

	dot = dot ? dot + 1 : name;
	if (strcmp(dot, "unicast-hop-limit") == 0)
		dot = "hop-limit";
	else if (strcmp(dot, "set-unicast-hop-limit") == 0)
		dot = "set-hop-limit";
	for (size_t i = 0; i < sizeof(sk_opts) / sizeof(sk_opts[0]); i++) {
		if (strcmp(dot, sk_opts[i].get) == 0 || strcmp(dot, sk_opts[i].set) == 0) {
			*set = strcmp(dot, sk_opts[i].set) == 0;
			return &sk_opts[i];
		}
	}
	return NULL;
}

static wr_trapkind sk_option(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	bool set = false;
	const struct sk_opt *o = sk_opt_of(call, &set);
	uint64_t v;
	int r;
	wr_cval val;
	SELF(e);

	if (!o)
		return wr_ccall_trap(call, "wasi 0.2: unknown socket option");
	if (!set) {
		if ((r = sk_p1(w, WASI_FN_net_getopt, e->fd, o->opt, SK_V, 0, 0)) != 0)
			return sk_fail(w, call, res, r);
		v = w2_u64(w, SK_V) * o->scale;
		if (o->kind == WR_C_U8 && v > 255)
			v = 255;
		val = cv_u(o->kind, v);
		*res = cv_ok(&val);
		return WR_OK;
	}
	v = a[1].of.u;
	if (o->kind != WR_C_BOOL && v == 0)
		return sk_err(res, EC_INVAL);
	v = o->scale > 1 ? (v + o->scale - 1) / o->scale : v;	/* whole seconds, up */
	r = sk_p1(w, WASI_FN_net_setopt, e->fd, o->opt, v, 0, 0);
	return sk_done(w, call, res, r, NULL);
}

/* subscribe: a connecting socket's pollable waits until it is writable, a
 * listening one's until a connection waits; others are ready. */
static wr_trapkind sk_subscribe(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				void *u)
{
	uint32_t rep;
	enum w2_pkind k;
	SELF(e);

	rep = (uint32_t)(e - w->tab);
	k = e->state == S_CONNECTING ? W2_FD_WRITE : e->state == S_LISTENING ? W2_FD_READ : W2_READY;
	return w2_pollable(w, call, k, e->fd, rep, res);
}

/* shutdown(receive | send | both) */
static wr_trapkind tcp_shutdown(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				void *u)
{
	int r;
	SELF(e);

	if (e->state != S_CONNECTED)
		return sk_err(res, EC_STATE);
	r = sk_p1(w, WASI_FN_sock_shutdown, e->fd, a[1].tag + 1, 0, 0, 0);
	return sk_done(w, call, res, r, NULL);
}

/* ---- udp ---- */

/* stream(remote-address: option<ip-socket-address>): connect (or
 * disconnect) and make the two datagram streams. */
static wr_trapkind udp_stream(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
			      void *u)
{
	uint32_t i, in, out;
	int r;
	wr_cval t;
	SELF(e);

	if (e->kind != W2_UDP || e->state != S_BOUND)
		return sk_err(res, EC_STATE);
	i = (uint32_t)(e - w->tab);
	if (a[1].tag == 1) {
		unsigned fam = sk_addr_in(w, &a[1].of.elems[0]);

		if (!fam)
			return wr_ccall_trap(call, "wasi 0.2: malformed ip-socket-address");
		if (fam != e->fam || w2_u32(w, SK_ADDR) >> 16 == 0)
			return sk_err(res, EC_INVAL);
	} else {
		memset(w2_mem(w, SK_ADDR), 0, 32);	/* family 0: disconnect */
	}
	/* a disconnect only of a connected socket: Linux forgets the port an
	 * unconnected socket was bound to with port 0 */
	if ((a[1].tag == 1 || e->mode) &&
	    (r = sk_p1(w, WASI_FN_net_connect, e->fd, SK_ADDR, 0, 0, 0)) != 0)
		return sk_fail(w, call, res, r);
	w->tab[i].mode = a[1].tag == 1;		/* connected */
	t = cv_agg(WR_C_TUPLE, 0, 2);
	if (cv_oom(&t))
		return w2_nomem(call);
	if ((r = sk_pair(w, i, W2_INDGRAM, W2_OUTDGRAM, &in, &out)) != 0) {
		wr_cval_free(&t);
		return w2_derive_fail(w, call, r);
	}
	t.of.elems[0] = cv_own(w, W2_INDGRAM, in);
	t.of.elems[1] = cv_own(w, W2_OUTDGRAM, out);
	*res = cv_ok(&t);
	return WR_OK;
}

/* One received datagram as an incoming-datagram record (W2_BUF, got). */
static wr_cval udp_dgram(struct wasi2 *w, uint32_t got)
{
	wr_cval r = cv_agg(WR_C_RECORD, 0, 2);

	if (!r.of.elems)
		return r;
	r.of.elems[0] = cv_buf(w, got);
	r.of.elems[1] = sk_addr_out(w, SK_ADDR_OUT);
	return r;
}

/* receive(max-results): what is there now, at most SK_DGRAMS. */
static wr_trapkind udp_receive(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
			       void *u)
{
	struct wasi2 *w = u;
	struct w2_entry *e = w2_get(w, &a[0], W2_INDGRAM);
	uint64_t max = a[1].of.u;
	wr_cval list;
	int r = 0;

	(void)n;
	if (!e)
		return wr_ccall_trap(call, "wasi 0.2: not an incoming-datagram-stream");
	list = cv_agg(WR_C_LIST, 0, max < SK_DGRAMS ? (uint32_t)max : SK_DGRAMS);
	if (cv_oom(&list))
		return w2_nomem(call);
	max = list.len;
	list.len = 0;
	while (list.len < max) {
		uint32_t fd = w2_get(w, &a[0], W2_INDGRAM)->fd;

		r = sk_p1(w, WASI_FN_net_recvfrom, fd, W2_BUF, SK_DGRAM_MAX, SK_N, SK_ADDR_OUT);
		if (r != 0)
			break;
		list.of.elems[list.len] = udp_dgram(w, w2_u32(w, SK_N));
		list.len++;
	}
	if (r < 0 || (r != 0 && r != E_AGAIN && list.len == 0)) {
		list.len = (uint32_t)max;
		wr_cval_free(&list);
		return sk_fail(w, call, res, r);
	}
	*res = cv_ok(&list);
	return WR_OK;
}

/* check-send: SK_DGRAMS when the socket can take one now, else 0; the
 * permit is what the next send may carry. */
static wr_trapkind udp_check_send(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				  void *u)
{
	struct wasi2 *w = u;
	struct w2_entry *e = w2_get(w, &a[0], W2_OUTDGRAM);
	wr_cval v;

	(void)n;
	if (!e)
		return wr_ccall_trap(call, "wasi 0.2: not an outgoing-datagram-stream");
	e->off = SK_DGRAMS;
	v = cv_u(WR_C_U64, e->off);
	*res = cv_ok(&v);
	return WR_OK;
}

/* Is the address at SK_ADDR the peer socket entry sock is connected to?
 * (Family, port and address; 1 yes, 0 no, -1 when the call trapped.) */
static int udp_is_peer(struct wasi2 *w, uint32_t sock)
{
	const uint8_t *a = w2_mem(w, SK_ADDR), *p = w2_mem(w, SK_ADDR_OUT);
	int r = sk_p1(w, WASI_FN_net_addr, w->tab[sock].fd, 1, SK_ADDR_OUT, 0, 0);

	if (r != 0)
		return r < 0 ? -1 : 0;
	return a[0] == p[0] && !memcmp(a + 2, p + 2, 2) &&
	       !memcmp(a + 8, p + 8, a[0] == 6 ? 16 : 4);
}

/* send(datagrams): each to its address, or to the connected peer (which
 * an address may also name). */
static wr_trapkind udp_send(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	struct wasi2 *w = u;
	struct w2_entry *e = w2_get(w, &a[0], W2_OUTDGRAM);
	const wr_cval *l = &a[1];
	uint32_t sent = 0, sock, fd;
	bool connected;
	int r = 0;
	wr_cval v;

	(void)n;
	if (!e)
		return wr_ccall_trap(call, "wasi 0.2: not an outgoing-datagram-stream");
	if (l->len > e->off)
		return wr_ccall_trap(call, "wasi 0.2: send of more datagrams than check-send "
				     "permitted");
	e->off -= l->len;
	sock = e->parent;
	fd = e->fd;
	connected = sock < w->ntab && w->tab[sock].mode;
	for (; sent < l->len; sent++) {
		const wr_cval *d = &l->of.elems[sent], *data, *addr;

		if (!sk_is(d, WR_C_RECORD, 2))
			return wr_ccall_trap(call, "wasi 0.2: malformed outgoing-datagram");
		data = &d->of.elems[0];
		addr = &d->of.elems[1];
		if (data->len > SK_DGRAM_MAX) {
			r = E_MSGSIZE;
			break;
		}
		for (uint32_t i = 0; i < data->len; i++)
			w2_mem(w, W2_BUF)[i] = (uint8_t)data->of.elems[i].of.u;
		if (addr->tag == 1 && addr->len == 1 && addr->of.elems) {
			unsigned fam = sk_addr_in(w, &addr->of.elems[0]);

			if (!fam)
				return wr_ccall_trap(call, "wasi 0.2: malformed ip-socket-address");
			if (fam != w->tab[sock].fam) {
				r = WASI_EINVAL;
				break;
			}
			/* a connected stream sends to its peer only */
			if (connected && (r = udp_is_peer(w, sock)) != 1) {
				if (r < 0)
					return w2_pass(w, call);
				r = WASI_EINVAL;
				break;
			}
			if (connected)	/* to the peer, as without an address */
				memset(w2_mem(w, SK_ADDR), 0, 32);
		} else if (!connected) {
			r = WASI_EINVAL;
			break;
		} else {
			memset(w2_mem(w, SK_ADDR), 0, 32);
		}
		r = sk_p1(w, WASI_FN_net_sendto, fd, W2_BUF, data->len, SK_ADDR, SK_N);
		if (r != 0)
			break;
	}
	if (r < 0 || (r != 0 && sent == 0))
		return sk_fail(w, call, res, r);
	v = cv_u(WR_C_U64, sent);
	*res = cv_ok(&v);
	return WR_OK;
}

/* The datagram streams' pollables: readable, writable. */
static wr_trapkind dg_subscribe(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				void *u)
{
	struct wasi2 *w = u;
	struct w2_entry *in = w2_get(w, &a[0], W2_INDGRAM), *e = in ? in : w2_get(w, &a[0], W2_OUTDGRAM);

	(void)n;
	if (!e)
		return wr_ccall_trap(call, "wasi 0.2: not a datagram stream");
	return w2_pollable(w, call, in ? W2_FD_READ : W2_FD_WRITE, e->fd, (uint32_t)(e - w->tab),
			   res);
}

/* ---- ip-name-lookup ---- */

/* resolve-addresses(network, name): the lookup is made here (the broker
 * answers at once: see wasi_net.c); its addresses, or its error, are
 * what resolve-next-address returns. */
static wr_trapkind resolve(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	struct wasi2 *w = u;
	uint32_t rep, cnt = 0;
	int r;
	wr_cval v;

	(void)n;
	if (!w2_get(w, &a[0], W2_NETWORK))
		return wr_ccall_trap(call, "wasi 0.2: not a network");
	if (a[1].len == 0 || a[1].len > 255)
		return sk_err(res, EC_INVAL);
	memcpy(w2_mem(w, W2_PATH), a[1].of.str, a[1].len);
	r = sk_p1(w, WASI_FN_net_resolve, W2_PATH, a[1].len, SK_RESOLVED, SK_RESOLVE_MAX, SK_N);
	if (r < 0)
		return w2_pass(w, call);
	if (r == WASI_EINVAL)
		return sk_err(res, EC_INVAL);
	if (r == 0)
		cnt = w2_u32(w, SK_N);
	rep = w2_new(w, W2_RESOLVE, 0);
	if (rep == UINT32_MAX)
		return wr_ccall_trap(call, "wasi 0.2: too many host resources");
	if (cnt && !(w->tab[rep].data = malloc((size_t)cnt * 32))) {
		w2_drop(w, rep);
		return w2_nomem(call);
	}
	if (cnt)
		memcpy(w->tab[rep].data, w2_mem(w, SK_RESOLVED), (size_t)cnt * 32);
	w->tab[rep].off = cnt;
	w->tab[rep].fd = 0;		/* the next one */
	w->tab[rep].state = (uint8_t)r;	/* the lookup's errno */
	v = cv_own(w, W2_RESOLVE, rep);
	*res = cv_ok(&v);
	return WR_OK;
}

static wr_trapkind resolve_next(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				void *u)
{
	struct wasi2 *w = u;
	struct w2_entry *e = w2_get(w, &a[0], W2_RESOLVE);
	wr_cval o;
	bool v6;

	(void)n;
	if (!e)
		return wr_ccall_trap(call, "wasi 0.2: not a resolve-address-stream");
	if (e->state) {
		int r = e->state;

		e->state = 0;	/* once */
		e->off = 0;
		return sk_err(res, sk_code(r));
	}
	if (e->fd >= e->off) {
		o = cv_agg(WR_C_OPTION, 0, 0);
		*res = cv_ok(&o);
		return WR_OK;
	}
	memcpy(w2_mem(w, SK_ADDR_OUT), e->data + (size_t)e->fd * 32, 32);
	e->fd++;
	v6 = w2_mem(w, SK_ADDR_OUT)[0] == 6;
	o = cv_agg(WR_C_OPTION, 1, 1);
	if (cv_oom(&o))
		return w2_nomem(call);
	o.of.elems[0] = cv_agg(WR_C_VARIANT, v6, 1);
	if (o.of.elems[0].of.elems)
		o.of.elems[0].of.elems[0] = sk_ip_tuple(w, SK_ADDR_OUT, v6);
	*res = cv_ok(&o);
	return WR_OK;
}

static wr_trapkind resolve_subscribe(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				     void *u)
{
	struct wasi2 *w = u;
	struct w2_entry *e = w2_get(w, &a[0], W2_RESOLVE);

	(void)n;
	if (!e)
		return wr_ccall_trap(call, "wasi 0.2: not a resolve-address-stream");
	return w2_pollable(w, call, W2_READY, 0, (uint32_t)(e - w->tab), res);
}

/* ---- definitions ---- */

#define TCP(m) "[method]tcp-socket." m
#define UDP(m) "[method]udp-socket." m

static const struct w2_def w2_tcp[] = {
	{ TCP("start-bind"), sk_start_bind },
	{ TCP("finish-bind"), sk_finish_bind },
	{ TCP("start-connect"), tcp_start_connect },
	{ TCP("finish-connect"), tcp_finish_connect },
	{ TCP("start-listen"), tcp_start_listen },
	{ TCP("finish-listen"), tcp_finish_listen },
	{ TCP("accept"), tcp_accept },
	{ TCP("local-address"), sk_address },
	{ TCP("remote-address"), sk_address },
	{ TCP("is-listening"), tcp_is_listening },
	{ TCP("address-family"), sk_family },
	{ TCP("set-listen-backlog-size"), tcp_set_backlog },
	{ TCP("keep-alive-enabled"), sk_option },
	{ TCP("set-keep-alive-enabled"), sk_option },
	{ TCP("keep-alive-idle-time"), sk_option },
	{ TCP("set-keep-alive-idle-time"), sk_option },
	{ TCP("keep-alive-interval"), sk_option },
	{ TCP("set-keep-alive-interval"), sk_option },
	{ TCP("keep-alive-count"), sk_option },
	{ TCP("set-keep-alive-count"), sk_option },
	{ TCP("hop-limit"), sk_option },
	{ TCP("set-hop-limit"), sk_option },
	{ TCP("receive-buffer-size"), sk_option },
	{ TCP("set-receive-buffer-size"), sk_option },
	{ TCP("send-buffer-size"), sk_option },
	{ TCP("set-send-buffer-size"), sk_option },
	{ TCP("subscribe"), sk_subscribe },
	{ TCP("shutdown"), tcp_shutdown },
};

static const struct w2_def w2_udp[] = {
	{ UDP("start-bind"), sk_start_bind },
	{ UDP("finish-bind"), sk_finish_bind },
	{ UDP("stream"), udp_stream },
	{ UDP("local-address"), sk_address },
	{ UDP("remote-address"), sk_address },
	{ UDP("address-family"), sk_family },
	{ UDP("unicast-hop-limit"), sk_option },
	{ UDP("set-unicast-hop-limit"), sk_option },
	{ UDP("receive-buffer-size"), sk_option },
	{ UDP("set-receive-buffer-size"), sk_option },
	{ UDP("send-buffer-size"), sk_option },
	{ UDP("set-send-buffer-size"), sk_option },
	{ UDP("subscribe"), sk_subscribe },
	{ "[method]incoming-datagram-stream.receive", udp_receive },
	{ "[method]incoming-datagram-stream.subscribe", dg_subscribe },
	{ "[method]outgoing-datagram-stream.check-send", udp_check_send },
	{ "[method]outgoing-datagram-stream.send", udp_send },
	{ "[method]outgoing-datagram-stream.subscribe", dg_subscribe },
};

static const struct w2_def w2_lookup[] = {
	{ "resolve-addresses", resolve },
	{ "[method]resolve-address-stream.resolve-next-address", resolve_next },
	{ "[method]resolve-address-stream.subscribe", resolve_subscribe },
};

#define N(t) (sizeof(t) / sizeof((t)[0]))

bool w2_define_sock(struct wasi2 *w, wr_clinker *l)
{
	static const struct w2_def inst[] = { { "instance-network", inst_network } };
	static const struct w2_def net[] = { { "network-error-code", net_error_code } };
	static const struct w2_def tcpc[] = { { "create-tcp-socket", sk_create } };
	static const struct w2_def udpc[] = { { "create-udp-socket", sk_create } };

	return w2_define(l, SK_VER("instance-network"), inst, 1, w) &&
	       w2_define(l, SK_VER("network"), net, 1, w) &&
	       w2_define(l, SK_VER("tcp-create-socket"), tcpc, 1, w) &&
	       w2_define(l, SK_VER("udp-create-socket"), udpc, 1, w) &&
	       w2_define(l, SK_VER("tcp"), w2_tcp, N(w2_tcp), w) &&
	       w2_define(l, SK_VER("udp"), w2_udp, N(w2_udp), w) &&
	       w2_define(l, SK_VER("ip-name-lookup"), w2_lookup, N(w2_lookup), w);
}
