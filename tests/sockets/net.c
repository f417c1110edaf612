/*
 * net.c: a native WASI 0.2 command (no preview1 adapter) that uses
 * wasi:sockets through hand-written imports with the canonical ABI's
 * flattened signatures.  Built with clang --target=wasm32-wasi, embedded
 * with jco (tests/sockets/run.py).  It prints one line per step:
 *
 *   tcp create / bind / listen / connect / accept, an echo over loopback
 *   udp bind, a datagram over loopback, then connected: a send may name
 *   the peer and no other address
 *   lookup of "localhost" and of a name wrun does not resolve
 *
 * (with -DV6 only: TCP over [::1], both ends' addresses)
 * each "ok ..." or the error-code's name, so the runner can compare a run
 * with the network granted against one without it.  Built with
 * -DDROP_PARENT it instead drops a connected socket before its streams,
 * with -DDROP_STREAM a stream before its pollable, which the host must
 * refuse with a trap.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define IMPORT(mod, name) __attribute__((import_module(mod), import_name(name)))
#define V "@0.2.12"
#define TCP "wasi:sockets/tcp" V
#define UDP "wasi:sockets/udp" V
#define STREAMS "wasi:io/streams" V
#define POLL "wasi:io/poll" V

/* ---- imports ---- */

IMPORT("wasi:cli/stdout" V, "get-stdout") int32_t get_stdout(void);
IMPORT(STREAMS, "[method]output-stream.blocking-write-and-flush")
void out_write(int32_t s, const void *p, int32_t n, void *ret);
IMPORT(STREAMS, "[method]input-stream.blocking-read")
void in_bread(int32_t s, int64_t n, void *ret);
IMPORT(STREAMS, "[resource-drop]input-stream") void drop_in(int32_t);
IMPORT(STREAMS, "[method]input-stream.subscribe") int32_t in_subscribe(int32_t s);
IMPORT(STREAMS, "[resource-drop]output-stream") void drop_out(int32_t);
IMPORT(POLL, "[method]pollable.block") void block(int32_t);
IMPORT(POLL, "[resource-drop]pollable") void drop_poll(int32_t);
IMPORT("wasi:cli/exit" V, "exit") void wexit(int32_t);

IMPORT("wasi:sockets/instance-network" V, "instance-network") int32_t instance_network(void);
IMPORT("wasi:sockets/network" V, "[resource-drop]network") void drop_net(int32_t);
IMPORT("wasi:sockets/tcp-create-socket" V, "create-tcp-socket")
void tcp_create(int32_t fam, void *ret);
IMPORT("wasi:sockets/udp-create-socket" V, "create-udp-socket")
void udp_create(int32_t fam, void *ret);

/* an ip-socket-address flattened: the case, then 11 joined i32s */
#define ADDR_PARAMS int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, \
	int32_t, int32_t, int32_t, int32_t
IMPORT(TCP, "[method]tcp-socket.start-bind")
void tcp_start_bind(int32_t s, int32_t net, ADDR_PARAMS, void *ret);
IMPORT(TCP, "[method]tcp-socket.finish-bind") void tcp_finish_bind(int32_t s, void *ret);
IMPORT(TCP, "[method]tcp-socket.start-listen") void tcp_start_listen(int32_t s, void *ret);
IMPORT(TCP, "[method]tcp-socket.finish-listen") void tcp_finish_listen(int32_t s, void *ret);
IMPORT(TCP, "[method]tcp-socket.start-connect")
void tcp_start_connect(int32_t s, int32_t net, ADDR_PARAMS, void *ret);
IMPORT(TCP, "[method]tcp-socket.finish-connect") void tcp_finish_connect(int32_t s, void *ret);
IMPORT(TCP, "[method]tcp-socket.accept") void tcp_accept(int32_t s, void *ret);
IMPORT(TCP, "[method]tcp-socket.local-address") void tcp_local(int32_t s, void *ret);
IMPORT(TCP, "[method]tcp-socket.remote-address") void tcp_remote(int32_t s, void *ret);
IMPORT(TCP, "[method]tcp-socket.subscribe") int32_t tcp_subscribe(int32_t s);
IMPORT(TCP, "[method]tcp-socket.is-listening") int32_t tcp_is_listening(int32_t s);
IMPORT(TCP, "[method]tcp-socket.set-keep-alive-enabled")
void tcp_set_keepalive(int32_t s, int32_t on, void *ret);
IMPORT(TCP, "[method]tcp-socket.keep-alive-enabled") void tcp_keepalive(int32_t s, void *ret);
IMPORT(TCP, "[method]tcp-socket.shutdown") void tcp_shutdown(int32_t s, int32_t how, void *ret);
IMPORT(TCP, "[resource-drop]tcp-socket") void drop_tcp(int32_t);

IMPORT(UDP, "[method]udp-socket.start-bind")
void udp_start_bind(int32_t s, int32_t net, ADDR_PARAMS, void *ret);
IMPORT(UDP, "[method]udp-socket.finish-bind") void udp_finish_bind(int32_t s, void *ret);
IMPORT(UDP, "[method]udp-socket.stream")
void udp_stream(int32_t s, int32_t some, ADDR_PARAMS, void *ret);
IMPORT(UDP, "[method]udp-socket.local-address") void udp_local(int32_t s, void *ret);
IMPORT(UDP, "[method]incoming-datagram-stream.receive")
void udp_receive(int32_t s, int64_t max, void *ret);
IMPORT(UDP, "[method]incoming-datagram-stream.subscribe") int32_t udp_in_subscribe(int32_t s);
IMPORT(UDP, "[method]outgoing-datagram-stream.check-send") void udp_check(int32_t s, void *ret);
IMPORT(UDP, "[method]outgoing-datagram-stream.send")
void udp_send(int32_t s, const void *list, int32_t n, void *ret);
IMPORT(UDP, "[resource-drop]udp-socket") void drop_udp(int32_t);
IMPORT(UDP, "[resource-drop]incoming-datagram-stream") void drop_din(int32_t);
IMPORT(UDP, "[resource-drop]outgoing-datagram-stream") void drop_dout(int32_t);

IMPORT("wasi:sockets/ip-name-lookup" V, "resolve-addresses")
void resolve(int32_t net, const char *name, int32_t len, void *ret);
IMPORT("wasi:sockets/ip-name-lookup" V, "[method]resolve-address-stream.resolve-next-address")
void resolve_next(int32_t s, void *ret);
IMPORT("wasi:sockets/ip-name-lookup" V, "[resource-drop]resolve-address-stream")
void drop_resolve(int32_t);

/* ---- memory: a bump allocator is all the host's lists need ---- */

static uint8_t heap[1 << 20];
static size_t heap_used;

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old, size_t oldn, size_t align, size_t n)
{
	size_t at = (heap_used + align - 1) & ~(align - 1);

	if (at + n > sizeof(heap))
		__builtin_trap();
	if (old && oldn)
		memcpy(heap + at, old, oldn < n ? oldn : n);
	heap_used = at + n;
	return heap + at;
}

/* ---- output ---- */

static int32_t out;

static void say(const char *s)
{
	uint32_t ret[3];

	out_write(out, s, (int32_t)strlen(s), ret);
}

static const char *const codes[] = {
	"unknown", "access-denied", "not-supported", "invalid-argument", "out-of-memory",
	"timeout", "concurrency-conflict", "not-in-progress", "would-block", "invalid-state",
	"new-socket-limit", "address-not-bindable", "address-in-use", "remote-unreachable",
	"connection-refused", "connection-reset", "connection-aborted", "datagram-too-large",
	"name-unresolvable", "temporary-resolver-failure", "permanent-resolver-failure",
};

static void say_num(unsigned v)
{
	char b[12];
	int i = 11;

	b[i] = 0;
	do
		b[--i] = (char)('0' + v % 10);
	while ((v /= 10) && i > 0);
	say(b + i);
}

/* "what: " and the error-code name, for a result whose error is at off;
 * returns 1 if it is ok. */
static int check(const char *what, const uint8_t *ret, int off)
{
	if (!ret[0])
		return 1;
	say(what);
	say(": ");
	say(ret[off] < sizeof(codes) / sizeof(codes[0]) ? codes[ret[off]] : "?");
	say("\n");
	return 0;
}

/* ---- the steps ---- */

#define LOOP4(port) 0, port, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0	/* ipv4 127.0.0.1:port */
#define LOOP6(port) 1, port, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0	/* ipv6 [::1]:port */

static _Alignas(8) uint8_t r[64];

static int32_t u32at(int off)
{
	int32_t v;

	memcpy(&v, r + off, 4);
	return v;
}

static void wait_on(int32_t p)
{
	block(p);
	drop_poll(p);
}

static void tcp_echo(int32_t net)
{
	int32_t srv, cli, conn, cin, cout, sin, sout, p;
	unsigned port;
	uint32_t stream_ret[3];

	tcp_create(0, r);
	if (!check("tcp create", r, 4))
		return;
	srv = u32at(4);
	tcp_start_bind(srv, net, LOOP4(0), r);
	if (!check("tcp bind", r, 1))
		goto out_srv;
	tcp_finish_bind(srv, r);
	tcp_start_listen(srv, r);
	if (!check("tcp listen", r, 1))
		goto out_srv;
	tcp_finish_listen(srv, r);
	tcp_local(srv, r);
	if (!check("tcp local-address", r, 4))
		goto out_srv;
	port = (unsigned)(r[8] | r[9] << 8);
	say(tcp_is_listening(srv) && port ? "ok tcp listening\n" : "tcp: not listening\n");

	tcp_create(0, r);
	cli = u32at(4);
	tcp_set_keepalive(cli, 1, r);
	tcp_keepalive(cli, r);
	say(!r[0] && r[1] == 1 ? "ok tcp keep-alive\n" : "tcp: keep-alive not set\n");
	tcp_start_connect(cli, net, LOOP4((int32_t)port), r);
	if (!check("tcp connect", r, 1))
		goto out_cli;
	for (;;) {	/* would-block until the handshake ends */
		p = tcp_subscribe(cli);
		wait_on(p);
		tcp_finish_connect(cli, r);
		if (!r[0] || r[4] != 8)
			break;
	}
	if (!check("tcp finish-connect", r, 4))
		goto out_cli;
	cin = u32at(4);
	cout = u32at(8);
	p = tcp_subscribe(srv);
	wait_on(p);
	tcp_accept(srv, r);
	if (!check("tcp accept", r, 4))
		goto out_conn0;
	conn = u32at(4);
	sin = u32at(8);
	sout = u32at(12);
	tcp_remote(conn, r);
	say(!r[0] && r[4] == 0 && r[10] == 127 ? "ok tcp accepted from 127.0.0.1\n"
						: "tcp: bad remote-address\n");

	out_write(cout, "hello", 5, stream_ret);
	in_bread(sin, 64, r);		/* the server reads ... */
	if (!r[0]) {
		uint8_t *data = (uint8_t *)(uintptr_t)u32at(4);
		int32_t n = u32at(8);

		out_write(sout, data, n, stream_ret);	/* ... and echoes */
	}
	in_bread(cin, 64, r);
	if (!r[0] && u32at(8) == 5 && memcmp((void *)(uintptr_t)u32at(4), "hello", 5) == 0)
		say("ok tcp echo hello\n");
	else
		say("tcp: echo failed\n");
	tcp_shutdown(cli, 1, r);	/* send: the server reads the end */
	in_bread(sin, 64, r);
	say(r[0] && r[4] == 1 ? "ok tcp end of stream after shutdown\n" : "tcp: no end\n");
#ifdef DROP_PARENT
	say("dropping a socket before its streams\n");
	drop_tcp(conn);		/* the host must trap here */
	say("the drop was allowed\n");
#endif
#ifdef DROP_STREAM
	p = in_subscribe(sin);
	say("dropping a stream before its pollable\n");
	drop_in(sin);		/* the host must trap here */
	say("the drop was allowed\n");
	drop_poll(p);
#endif
	drop_in(sin);
	drop_out(sout);
	drop_tcp(conn);
out_conn0:
	drop_in(cin);
	drop_out(cout);
out_cli:
	drop_tcp(cli);
out_srv:
	drop_tcp(srv);
}

/* Is the ip-socket-address at r + 4 (in a result) [::1]:port != 0? */
static __attribute__((unused)) int is_loop6(void)
{
	uint16_t g[8];

	memcpy(g, r + 16, sizeof(g));
	for (int i = 0; i < 7; i++)
		if (g[i])
			return 0;
	return r[4] == 1 && (r[8] | r[9]) && g[7] == 1;
}

/* IPv6: a listener on [::1], a connection to it, both ends' addresses. */
static __attribute__((unused)) void tcp6(int32_t net)
{
	int32_t srv, cli, p;
	unsigned port;

	tcp_create(1, r);
	if (!check("tcp6 create", r, 4))
		return;
	srv = u32at(4);
	tcp_start_bind(srv, net, LOOP6(0), r);
	if (!check("tcp6 bind", r, 1))
		goto out_srv;
	tcp_finish_bind(srv, r);
	tcp_start_listen(srv, r);
	tcp_finish_listen(srv, r);
	tcp_local(srv, r);
	if (!check("tcp6 local-address", r, 4))
		goto out_srv;
	say(is_loop6() ? "ok tcp6 bound to [::1]\n" : "tcp6: bad local-address\n");
	port = (unsigned)(r[8] | r[9] << 8);
	tcp_create(1, r);
	cli = u32at(4);
	tcp_start_connect(cli, net, LOOP6((int32_t)port), r);
	if (!check("tcp6 connect", r, 1))
		goto out_cli;
	do {
		wait_on(tcp_subscribe(cli));
		tcp_finish_connect(cli, r);
	} while (r[0] && r[4] == 8);
	if (!check("tcp6 finish-connect", r, 4))
		goto out_cli;
	drop_in(u32at(4));
	drop_out(u32at(8));
	tcp_remote(cli, r);
	say(!r[0] && is_loop6() ? "ok tcp6 connected to [::1]\n" : "tcp6: bad remote-address\n");
	p = tcp_subscribe(srv);
	wait_on(p);
	tcp_accept(srv, r);
	if (check("tcp6 accept", r, 4)) {
		drop_in(u32at(8));
		drop_out(u32at(12));
		drop_tcp(u32at(4));
		say("ok tcp6 accepted\n");
	}
out_cli:
	drop_tcp(cli);
out_srv:
	drop_tcp(srv);
}

/* One outgoing-datagram: data (ptr, len), some(ipv4 127.0.0.1:port). */
struct dgram {
	const void *data;
	int32_t len;
	uint8_t some, pad[3];
	uint8_t tag, pad2[3];
	uint16_t port;
	uint8_t addr[4];
	uint8_t rest[22];
};
_Static_assert(sizeof(struct dgram) == 44, "outgoing-datagram is 44 bytes");

static int32_t udp_bound(int32_t net, unsigned *port)
{
	int32_t s;

	udp_create(0, r);
	if (!check("udp create", r, 4))
		return -1;
	s = u32at(4);
	udp_start_bind(s, net, LOOP4(0), r);
	if (!check("udp bind", r, 1)) {
		drop_udp(s);
		return -1;
	}
	udp_finish_bind(s, r);
	udp_local(s, r);
	*port = (unsigned)(r[8] | r[9] << 8);
	return s;
}

static void udp_ping(int32_t net)
{
	unsigned pa, pb;
	int32_t a, b, ain, aout, bin, bout;
	struct dgram d = { "ping", 4, 1, { 0 }, 0, { 0 }, 0, { 127, 0, 0, 1 }, { 0 } };

	if ((a = udp_bound(net, &pa)) < 0)
		return;
	if ((b = udp_bound(net, &pb)) < 0) {
		drop_udp(a);
		return;
	}
	udp_stream(a, 0, LOOP4(0), r);
	ain = u32at(4), aout = u32at(8);
	udp_stream(b, 0, LOOP4(0), r);
	bin = u32at(4), bout = u32at(8);
	d.port = (uint16_t)pb;
	udp_check(aout, r);
	if (check("udp check-send", r, 8)) {
		udp_send(aout, &d, 1, r);
		if (check("udp send", r, 8)) {
			wait_on(udp_in_subscribe(bin));
			udp_receive(bin, 4, r);
			if (check("udp receive", r, 4) && u32at(8) == 1) {
				uint8_t *dg = (uint8_t *)(uintptr_t)u32at(4);
				int32_t dptr, dlen;

				memcpy(&dptr, dg, 4);
				memcpy(&dlen, dg + 4, 4);
				if (dlen == 4 && memcmp((void *)(uintptr_t)dptr, "ping", 4) == 0 &&
				    dg[8] == 0 && (unsigned)(dg[12] | dg[13] << 8) == pa &&
				    dg[14] == 127)
					say("ok udp ping from 127.0.0.1\n");
				else
					say("udp: wrong datagram\n");
			}
		}
	}
	/* connected to b: a send may name b, and no other address */
	drop_din(ain), drop_dout(aout);
	udp_stream(a, 1, LOOP4((int32_t)pb), r);
	if (!check("udp connect", r, 4)) {
		drop_din(bin), drop_dout(bout), drop_udp(a), drop_udp(b);
		return;
	}
	ain = u32at(4), aout = u32at(8);
	udp_check(aout, r);
	udp_send(aout, &d, 1, r);
	if (check("udp connected send to the peer", r, 8))
		say("ok udp connected send to the peer\n");
	d.port = (uint16_t)pa;
	udp_check(aout, r);
	udp_send(aout, &d, 1, r);
	check("udp connected send elsewhere", r, 8);
	drop_din(ain), drop_dout(aout), drop_din(bin), drop_dout(bout);
	drop_udp(a), drop_udp(b);
}

static void lookup(int32_t net, const char *name)
{
	int32_t s;

	resolve(net, name, (int32_t)strlen(name), r);
	if (!check("lookup", r, 4))
		return;
	s = u32at(4);
	say("lookup ");
	say(name);
	say(":");
	for (;;) {
		resolve_next(s, r);
		if (r[0]) {
			say(" ");
			say(r[2] < sizeof(codes) / sizeof(codes[0]) ? codes[r[2]] : "?");
			break;
		}
		if (!r[2])
			break;
		if (r[4] == 0) {
			say(" ");
			for (int i = 0; i < 4; i++) {
				say_num(r[6 + i]);
				if (i < 3)
					say(".");
			}
		} else {
			say(" ipv6");
		}
	}
	say("\n");
	drop_resolve(s);
}

__attribute__((export_name("wasi:cli/run@0.2.12#run")))
int32_t run(void)
{
	int32_t net;

	out = get_stdout();
	net = instance_network();
#ifdef V6
	tcp6(net);
	drop_net(net);
	return 0;
#endif
	tcp_echo(net);
	udp_ping(net);
	lookup(net, "localhost");
	lookup(net, "wrun.invalid");
	drop_net(net);
	return 0;
}
