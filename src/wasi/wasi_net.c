/*
 * wasi_net.c: wrun's own network operations (module "wrun:net"), the host
 * side of WASI 0.2's wasi:sockets (src/wasi2/w2_sock.c).  Preview1 cannot
 * create a socket; these can, and so each checks the grant first:
 *
 *   net_socket(family, proto, out_fd)      TCP needs WASI_NET_TCP, UDP
 *                                           WASI_NET_UDP
 *   net_bind(fd, addr)                      WASI_NET_INHERIT: an address
 *   net_connect(fd, addr)                   of the host network; without
 *   net_listen(fd, backlog)                 it EACCES (the audit log marks
 *   net_sendto(fd, buf, len, addr, out_n)   the refusal).  listen and an
 *                                           addressed send would bind an
 *                                           unbound socket to a port
 *   net_addr(fd, peer, out_addr)            the local or remote address
 *   net_getopt(fd, opt, out_u64), net_setopt(fd, opt, value)
 *   net_recvfrom(fd, buf, len, out_n, out_addr)
 *   net_resolve(name, len, out, max, out_n) WASI_NET_LOOKUP
 *
 * The sockets are handles of the one table, of type STREAM (TCP) or DGRAM
 * (UDP), marked net: only those are acted on here, so a file, a directory,
 * a standard stream or a --tcplisten listener is never bound, connected or
 * reconfigured (EBADF), and a socket is never a file: it holds no path or
 * file rights.  They are non-blocking: WASI 0.2 waits in poll_oneoff.
 * Accept, receive, send and shutdown on them are preview1's own functions
 * (wasi_sock.c).
 *
 * Name lookup: wrun asks no name service.  The broker runs confined
 * (Landlock, its own seccomp filter): the resolver would need the host's
 * files (/etc/hosts, resolv.conf, nsswitch.conf and the modules it loads)
 * and sockets to name servers, none of which it should hold.  So a lookup
 * answers an address literal with itself and "localhost" with the
 * loopback addresses (127.0.0.1, ::1, as RFC 6761 reserves the name), and
 * every other name with ENOENT (name-unresolvable).
 *
 * An address in guest memory (WASI_NET_ADDR bytes): u16 family (4 or 6;
 * 0: none), u16 port, u32 flow info, 16 address bytes (IPv4: the first 4),
 * u32 scope id, 4 bytes of padding.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <sys/socket.h>

#include "wasi_impl.h"

#define WASI_NET_ADDR 32u
#define WASI_NET_BACKLOG 4096	/* the most a guest's listen asks for */
#define WASI_NET_RESOLVE_MAX 16u	/* addresses one lookup returns at most */
#define WASI_NET_NAME_MAX 255u	/* a DNS name's length */

enum { WASI_EAFNOSUPPORT_ = 5, WASI_ENOPROTOOPT_ = 50 };

/* The options of net_getopt/net_setopt. */
enum wasi_net_opt {
	NET_OPT_ERROR,		/* SO_ERROR (get): how a connect ended */
	NET_OPT_KEEPALIVE,	/* SO_KEEPALIVE, 0 or 1 */
	NET_OPT_KEEPIDLE,	/* TCP_KEEPIDLE, seconds */
	NET_OPT_KEEPINTVL,	/* TCP_KEEPINTVL, seconds */
	NET_OPT_KEEPCNT,	/* TCP_KEEPCNT */
	NET_OPT_HOPS,		/* IP_TTL or IPV6_UNICAST_HOPS, 1 to 255 */
	NET_OPT_RCVBUF,		/* SO_RCVBUF, bytes */
	NET_OPT_SNDBUF,		/* SO_SNDBUF, bytes */
	NET_OPT_LISTENING,	/* SO_ACCEPTCONN (get) */
	NET_OPT_FAMILY,		/* SO_DOMAIN (get): 4 or 6 */
	NET_OPT__COUNT
};

/* A wrun:net socket; EBADF for any other handle, whatever it is.  A
 * stream derived from one (wasi_res.c) is one too where role allows it:
 * an input stream for recvfrom, an output stream for sendto. */
static wasi_fd *net_get_as(wasi_ctx *c, uint32_t fd, enum wasi_role role, int *err)
{
	wasi_fd *f = wasi_fd_get(c, fd, 0, err);

	if (f && (!f->net || (f->role != WASI_ROLE_DESC && f->role != role))) {
		*err = WASI_EBADF;
		return NULL;
	}
	return f;
}

static wasi_fd *net_get(wasi_ctx *c, uint32_t fd, int *err)
{
	return net_get_as(c, fd, WASI_ROLE_DESC, err);
}

/* Is the grant there?  EACCES (a refusal, audited) if not. */
static int net_granted(const wasi_ctx *c, unsigned grant)
{
	return (c->net & grant) == grant ? WASI_ESUCCESS : WASI_EACCES;
}

/* Read the address at guest pointer p into ss: 0, EFAULT or EINVAL. */
static int net_addr_in(const wasi_mem *m, uint32_t p, struct sockaddr_storage *ss,
		       socklen_t *len)
{
	uint8_t raw[WASI_NET_ADDR];
	uint16_t fam, port;

	if (!wasi_mem_ok(m, p, WASI_NET_ADDR))
		return WASI_EFAULT;
	memcpy(raw, m->base + p, sizeof(raw));	/* read once */
	fam = wasi_get_u16(raw);
	port = wasi_get_u16(raw + 2);
	memset(ss, 0, sizeof(*ss));
	if (fam == 4) {
		struct sockaddr_in *v4 = (struct sockaddr_in *)ss;

		v4->sin_family = AF_INET;
		v4->sin_port = htons(port);
		memcpy(&v4->sin_addr, raw + 8, 4);
		*len = sizeof(*v4);
	} else if (fam == 6) {
		struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;

		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(port);
		v6->sin6_flowinfo = htonl(wasi_get_u32(raw + 4));
		memcpy(&v6->sin6_addr, raw + 8, 16);
		v6->sin6_scope_id = wasi_get_u32(raw + 24);
		*len = sizeof(*v6);
	} else if (fam == 0) {
		ss->ss_family = AF_UNSPEC;
		*len = sizeof(sa_family_t);
	} else {
		return WASI_EINVAL;
	}
	return WASI_ESUCCESS;
}

/* Encode ss into 32 bytes at out (checked by the caller). */
static void net_addr_out(uint8_t *out, const struct sockaddr_storage *ss)
{
	uint8_t raw[WASI_NET_ADDR] = { 0 };

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *v4 = (const struct sockaddr_in *)ss;

		wasi_put_u16(raw, 4);
		wasi_put_u16(raw + 2, ntohs(v4->sin_port));
		memcpy(raw + 8, &v4->sin_addr, 4);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)ss;

		wasi_put_u16(raw, 6);
		wasi_put_u16(raw + 2, ntohs(v6->sin6_port));
		wasi_put_u32(raw + 4, ntohl(v6->sin6_flowinfo));
		memcpy(raw + 8, &v6->sin6_addr, 16);
		wasi_put_u32(raw + 24, v6->sin6_scope_id);
	}
	memcpy(out, raw, sizeof(raw));
}

/* net_socket(family 4|6, proto 0 tcp | 1 udp, out_fd) */
int wasi_p1_net_socket(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	uint32_t fam = A32(0), proto = A32(1), n;
	int err, fd, one = 1;

	if ((fam != 4 && fam != 6) || proto > 1)
		return WASI_EINVAL;
	if ((err = net_granted(c, proto ? WASI_NET_UDP : WASI_NET_TCP)))
		return err;
	if (!wasi_mem_ok(m, A32(2), 4))
		return WASI_EFAULT;
	fd = c->io->socket(c->io, fam == 4 ? AF_INET : AF_INET6, proto ? SOCK_DGRAM : SOCK_STREAM);
	if (fd < 0)
		return wasi_errno(fd);
	/* an IPv6 socket speaks IPv6 only, as WASI 0.2 hosts do */
	if (fam == 6 && (err = c->io->setsockopt(c->io, fd, IPPROTO_IPV6, IPV6_V6ONLY, one)) < 0) {
		c->io->close(c->io, fd);
		return wasi_errno(err);
	}
	err = wasi_fd_install(c, fd, proto ? WASI_FT_DGRAM : WASI_FT_STREAM,
			      R_SOCKET | (proto ? 0 : R_SOCK_ACCEPT), R_SOCKET, &n);
	if (err)
		return err;
	c->fds[n].net = true;
	wasi_put_u32(m->base + A32(2), n);
	return WASI_ESUCCESS;
}

/* The socket and the address of a bind, connect or send: after the grant. */
static wasi_fd *net_target(wasi_ctx *c, const wasi_mem *m, uint32_t fd, enum wasi_role role,
			   uint32_t p, struct sockaddr_storage *ss, socklen_t *len, int *err)
{
	wasi_fd *f = net_get_as(c, fd, role, err);

	if (!f)
		return NULL;
	if ((*err = net_addr_in(m, p, ss, len)))
		return NULL;
	/* UDP's disconnect (connect to AF_UNSPEC) reaches no one */
	if (ss->ss_family != AF_UNSPEC && (*err = net_granted(c, WASI_NET_INHERIT)))
		return NULL;
	return f;
}

/* net_bind and net_connect (EINPROGRESS for a TCP handshake under way:
 * net_getopt NET_OPT_ERROR gives its end once the socket is writable). */
static int net_place(wasi_ctx *c, const wasi_mem *m, const uint64_t *a, bool bind)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int err;
	wasi_fd *f = net_target(c, m, A32(0), WASI_ROLE_DESC, A32(1), &ss, &len, &err);

	if (!f)
		return err;
	if (!bind) {
		/* never a connect that waits in the broker, whatever
		 * fd_fdstat_set_flags made of the socket's flags */
		int fl = c->io->getfl(c->io, f->host);

		if (fl < 0 || (!(fl & O_NONBLOCK) && (fl = c->io->setfl(c->io, f->host,
									  fl | O_NONBLOCK)) < 0))
			return wasi_errno(fl);
		return wasi_err(c->io->connect(c->io, f->host, (struct sockaddr *)&ss, len));
	}
	if (ss.ss_family == AF_UNSPEC)
		return WASI_EINVAL;
	/* a TCP port in TIME_WAIT can be bound again, as WASI 0.2 hosts allow */
	if (f->type == WASI_FT_STREAM)
		c->io->setsockopt(c->io, f->host, SOL_SOCKET, SO_REUSEADDR, 1);
	return wasi_err(c->io->bind(c->io, f->host, (struct sockaddr *)&ss, len));
}

int wasi_p1_net_bind(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	return net_place(c, m, a, true);
}

int wasi_p1_net_connect(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	return net_place(c, m, a, false);
}

int wasi_p1_net_listen(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	uint32_t backlog = A32(1);
	int err;
	wasi_fd *f = net_get(c, A32(0), &err);

	(void)m;
	if (!f)
		return err;
	if ((err = net_granted(c, WASI_NET_INHERIT)))
		return err;
	if (f->type != WASI_FT_STREAM)
		return WASI_ENOTSUP;
	if (backlog == 0 || backlog > WASI_NET_BACKLOG)
		backlog = WASI_NET_BACKLOG;
	return wasi_err(c->io->listen(c->io, f->host, (int)backlog));
}

/* net_addr(fd, peer, out): the local (0) or remote (1) address. */
int wasi_p1_net_addr(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int err, r;
	wasi_fd *f = net_get(c, A32(0), &err);

	if (!f)
		return err;
	if (A32(1) > 1)
		return WASI_EINVAL;
	if (!wasi_mem_ok(m, A32(2), WASI_NET_ADDR))
		return WASI_EFAULT;
	memset(&ss, 0, sizeof(ss));
	r = c->io->sockname(c->io, f->host, A32(1) == 1, (struct sockaddr *)&ss, &len);
	if (r < 0)
		return wasi_errno(r);
	net_addr_out(m->base + A32(2), &ss);
	return WASI_ESUCCESS;
}

/* The host level and name of option opt on a socket of family fam. */
static bool net_opt(uint32_t opt, int fam, int *level, int *name)
{
	static const int map[NET_OPT__COUNT][2] = {
		[NET_OPT_ERROR] = { SOL_SOCKET, SO_ERROR },
		[NET_OPT_KEEPALIVE] = { SOL_SOCKET, SO_KEEPALIVE },
		[NET_OPT_KEEPIDLE] = { IPPROTO_TCP, TCP_KEEPIDLE },
		[NET_OPT_KEEPINTVL] = { IPPROTO_TCP, TCP_KEEPINTVL },
		[NET_OPT_KEEPCNT] = { IPPROTO_TCP, TCP_KEEPCNT },
		[NET_OPT_HOPS] = { IPPROTO_IP, IP_TTL },
		[NET_OPT_RCVBUF] = { SOL_SOCKET, SO_RCVBUF },
		[NET_OPT_SNDBUF] = { SOL_SOCKET, SO_SNDBUF },
		[NET_OPT_LISTENING] = { SOL_SOCKET, SO_ACCEPTCONN },
		[NET_OPT_FAMILY] = { SOL_SOCKET, SO_DOMAIN },
	};

	if (opt >= NET_OPT__COUNT)
		return false;
	*level = map[opt][0];
	*name = map[opt][1];
	if (opt == NET_OPT_HOPS && fam == AF_INET6) {
		*level = IPPROTO_IPV6;
		*name = IPV6_UNICAST_HOPS;
	}
	return true;
}

/* The socket of an option call, its family and the option's host names. */
static wasi_fd *net_optget(wasi_ctx *c, const uint64_t *a, int *level, int *name, int *err)
{
	wasi_fd *f = net_get(c, A32(0), err);
	int fam = 0, r;

	if (!f)
		return NULL;
	if ((r = c->io->getsockopt(c->io, f->host, SOL_SOCKET, SO_DOMAIN, &fam)) < 0) {
		*err = wasi_errno(r);
		return NULL;
	}
	if (!net_opt(A32(1), fam, level, name)) {
		*err = WASI_EINVAL;
		return NULL;
	}
	/* the TCP options of a UDP socket */
	if (*level == IPPROTO_TCP && f->type != WASI_FT_STREAM) {
		*err = WASI_ENOPROTOOPT_;
		return NULL;
	}
	return f;
}

int wasi_p1_net_getopt(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	int level, name, v = 0, r, err;
	wasi_fd *f = net_optget(c, a, &level, &name, &err);

	if (!f)
		return err;
	if (!wasi_mem_ok(m, A32(2), 8))
		return WASI_EFAULT;
	if ((r = c->io->getsockopt(c->io, f->host, level, name, &v)) < 0)
		return wasi_errno(r);
	if (A32(1) == NET_OPT_ERROR)	/* a host errno: the WASI one */
		v = v ? wasi_errno(v) : 0;
	else if (A32(1) == NET_OPT_FAMILY)
		v = v == AF_INET6 ? 6 : 4;
	wasi_put_u64(m->base + A32(2), (uint64_t)(uint32_t)v);
	return WASI_ESUCCESS;
}

int wasi_p1_net_setopt(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	uint64_t v = A64(2);
	int level, name, err;
	wasi_fd *f = net_optget(c, a, &level, &name, &err);

	(void)m;
	if (!f)
		return err;
	switch (A32(1)) {
	case NET_OPT_ERROR: case NET_OPT_LISTENING: case NET_OPT_FAMILY:
		return WASI_EINVAL;	/* read-only */
	case NET_OPT_KEEPALIVE:
		v = v != 0;
		break;
	case NET_OPT_HOPS:
		if (v == 0 || v > 255)
			return WASI_EINVAL;
		break;
	default:	/* counts, seconds, bytes: the kernel caps them further */
		if (v == 0)
			return WASI_EINVAL;
		if (v > INT32_MAX)
			v = INT32_MAX;
	}
	return wasi_err(c->io->setsockopt(c->io, f->host, level, name, (int)v));
}

/* net_recvfrom(fd, buf, len, out_n, out_addr): one datagram (or bytes). */
int wasi_p1_net_recvfrom(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	struct sockaddr_storage ss;
	uint32_t alen = sizeof(ss);
	struct iovec iov;
	int64_t r;
	int err;

	if (!net_get_as(c, A32(0), WASI_ROLE_IN, &err))
		return err;
	if (!wasi_mem_ok(m, A32(1), A32(2)) || !wasi_mem_ok(m, A32(3), 4) ||
	    !wasi_mem_ok(m, A32(4), WASI_NET_ADDR))
		return WASI_EFAULT;
	iov = (struct iovec){ m->base + A32(1), A32(2) };
	memset(&ss, 0, sizeof(ss));
	r = wasi_sock_msg(c, m, A32(0), true, &iov, 1, 0, (struct sockaddr *)&ss, &alen, NULL);
	if (r < 0)
		return (int)-r;
	wasi_put_u32(m->base + A32(3), (uint32_t)r);
	net_addr_out(m->base + A32(4), &ss);
	return WASI_ESUCCESS;
}

/* net_sendto(fd, buf, len, addr, out_n): to addr, or (family 0) to the
 * connected peer. */
int wasi_p1_net_sendto(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	struct sockaddr_storage ss;
	socklen_t len;
	uint32_t alen;
	struct iovec iov;
	int64_t r;
	int err;

	if (!net_target(c, m, A32(0), WASI_ROLE_OUT, A32(3), &ss, &len, &err))
		return err;
	if (!wasi_mem_ok(m, A32(1), A32(2)) || !wasi_mem_ok(m, A32(4), 4))
		return WASI_EFAULT;
	iov = (struct iovec){ m->base + A32(1), A32(2) };
	alen = (uint32_t)len;
	r = wasi_sock_msg(c, m, A32(0), false, &iov, 1, 0,
			  ss.ss_family == AF_UNSPEC ? NULL : (struct sockaddr *)&ss, &alen, NULL);
	if (r < 0)
		return (int)-r;
	wasi_put_u32(m->base + A32(4), (uint32_t)r);
	return WASI_ESUCCESS;
}

/* Add one address literal to the answer; false when it is not one. */
static bool net_literal(const char *name, struct sockaddr_storage *out, uint32_t *n)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)&out[*n];
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&out[*n];

	memset(&out[*n], 0, sizeof(out[*n]));
	if (inet_pton(AF_INET, name, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		++*n;
		return true;
	}
	if (inet_pton(AF_INET6, name, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		++*n;
		return true;
	}
	return false;
}

/* net_resolve(name, len, out, max, out_n): up to max addresses (of 32
 * bytes) at out; ENOENT for a name wrun does not resolve (see the top). */
int wasi_p1_net_resolve(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	struct sockaddr_storage addrs[2];
	char name[WASI_NET_NAME_MAX + 1];
	uint32_t len = A32(1), max = A32(3), n = 0;
	int err;

	if ((err = net_granted(c, WASI_NET_LOOKUP)))
		return err;
	if (len == 0 || len > WASI_NET_NAME_MAX)
		return WASI_EINVAL;
	if (max > WASI_NET_RESOLVE_MAX)
		max = WASI_NET_RESOLVE_MAX;
	if (!wasi_mem_ok(m, A32(0), len) || !wasi_mem_ok(m, A32(2), (uint64_t)max * WASI_NET_ADDR) ||
	    !wasi_mem_ok(m, A32(4), 4))
		return WASI_EFAULT;
	memcpy(name, m->base + A32(0), len);	/* read once */
	name[len] = '\0';
	if (strlen(name) != len)
		return WASI_EINVAL;
	if (strcasecmp(name, "localhost") == 0) {
		net_literal("127.0.0.1", addrs, &n);
		net_literal("::1", addrs, &n);
	} else if (!net_literal(name, addrs, &n)) {
		return WASI_ENOENT;
	}
	if (n > max)
		n = max;
	for (uint32_t i = 0; i < n; i++)
		net_addr_out(m->base + A32(2) + i * WASI_NET_ADDR, &addrs[i]);
	wasi_put_u32(m->base + A32(4), n);
	return WASI_ESUCCESS;
}
