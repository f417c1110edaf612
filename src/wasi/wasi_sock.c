/*
 * wasi_sock.c: sock_accept, sock_recv, sock_send, sock_shutdown.
 *
 * Preview1 has no way to create or bind a socket: the guest only accepts
 * on listening sockets granted with --tcplisten and talks over what it
 * accepted.  WASI 0.2's sockets (wrun:net, wasi_net.c) accept, send,
 * receive and shut down through these same functions.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "wasi_impl.h"

#define WASI_RI_PEEK 1u
#define WASI_RI_WAITALL 2u
#define WASI_RO_TRUNCATED 1u

/* A socket handle holding `rights`. The type is checked before the
 * rights: a file or directory is not a socket (ENOTSOCK, as Linux says),
 * whatever rights it holds. */
static wasi_fd *wasi_sock_get(wasi_ctx *c, uint32_t fd, uint64_t rights, int *err)
{
	wasi_fd *f = wasi_fd_get(c, fd, 0, err);

	if (!f)
		return NULL;
	if (f->type != WASI_FT_STREAM && f->type != WASI_FT_DGRAM) {
		*err = WASI_ENOTSOCK;
		return NULL;
	}
	return wasi_fd_get(c, fd, rights, err);
}

/* sock_accept(fd, flags, out): only the nonblock fdflag is allowed. */
int wasi_p1_sock_accept(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	uint32_t flags = A32(1) & 0xffff, n;
	int err, r;
	wasi_fd *f = wasi_sock_get(c, A32(0), R_SOCK_ACCEPT, &err);

	if (!f)
		return err;
	if (flags & ~WASI_FDFLAG_NONBLOCK)
		return WASI_EINVAL;
	if (!wasi_mem_ok(m, A32(2), 4))
		return WASI_EFAULT;
	r = c->io->accept(c->io, f->host,
			  SOCK_CLOEXEC | (flags & WASI_FDFLAG_NONBLOCK ? SOCK_NONBLOCK : 0));
	if (r < 0)
		return wasi_errno(r);
	err = wasi_fd_install(c, r, WASI_FT_STREAM, R_SOCKET & f->inh, 0, &n);
	if (err)
		return err;
	c->fds[n].net = f->net;	/* a wrun:net connection: no blocking call */
	wasi_put_u32(m->base + A32(2), n);
	return WASI_ESUCCESS;
}

int64_t wasi_sock_msg(wasi_ctx *c, const wasi_mem *m, uint32_t fd, bool recv,
		      const struct iovec *iov, uint32_t n, int flags, struct sockaddr *addr,
		      uint32_t *alen, uint16_t *roflags)
{
	struct msghdr msg = { .msg_name = addr, .msg_namelen = addr ? *alen : 0,
			      .msg_iov = (struct iovec *)iov, .msg_iovlen = n };
	ssize_t r;
	int err, dontwait;
	wasi_fd *f = wasi_sock_get(c, fd, recv ? R_FD_READ : R_FD_WRITE, &err);

	(void)m;
	if (!f)
		return -err;
	/* a standard stream that is a socket: the guest's NONBLOCK, emulated;
	 * a wrun:net socket never waits (WASI 0.2 waits in poll) */
	dontwait = (f->shared && f->nonblock) || f->net ? MSG_DONTWAIT : 0;
	if (recv)
		r = c->io->recvmsg(c->io, f->host, &msg, flags | dontwait);
	else if (f->quota)	/* a standard stream: the same budget as fd_write */
		r = wasi_quota_write(c, f, iov, (int)n);
	else
		r = c->io->sendmsg(c->io, f->host, &msg, MSG_NOSIGNAL | dontwait);
	if (r < 0)
		return -wasi_errno((int)r);
	c->moved += (uint64_t)r;
	if (addr)
		*alen = msg.msg_namelen;
	if (roflags)
		*roflags = msg.msg_flags & MSG_TRUNC ? WASI_RO_TRUNCATED : 0;
	return r;
}

/* sock_recv and sock_send: the flags and the iovecs, then one message. */
static int wasi_sockmsg(wasi_ctx *c, const wasi_mem *m, const uint64_t *a, bool recv)
{
	uint32_t fl = A32(3) & 0xffff, outp = A32(4);
	struct iovec *iov;
	int64_t r;
	int err;
	uint16_t ro = 0;
	wasi_fd *f = wasi_sock_get(c, A32(0), recv ? R_FD_READ : R_FD_WRITE, &err);

	if (!f)
		return err;
	if ((recv && (fl & ~(WASI_RI_PEEK | WASI_RI_WAITALL))) || (!recv && fl))
		return WASI_EINVAL;
	if (!wasi_mem_ok(m, outp, 4) || (recv && !wasi_mem_ok(m, A32(5), 2)))
		return WASI_EFAULT;
	if (A32(2) > WASI_MAX_IOVS)	/* before sizing anything by it */
		return WASI_EINVAL;
	iov = malloc(sizeof(*iov) * (A32(2) ? A32(2) : 1));
	if (!iov)
		return WASI_ENOMEM;
	err = wasi_iovecs(m, A32(1), A32(2), iov);
	if (err)
		goto out;
	r = wasi_sock_msg(c, m, A32(0), recv, iov, A32(2),
			  recv ? (fl & WASI_RI_PEEK ? MSG_PEEK : 0) |
				 (fl & WASI_RI_WAITALL ? MSG_WAITALL : 0) : 0,
			  NULL, NULL, &ro);
	if (r < 0) {
		err = (int)-r;
		goto out;
	}
	wasi_put_u32(m->base + outp, (uint32_t)r);
	if (recv)
		wasi_put_u16(m->base + A32(5), ro);
out:
	free(iov);
	return err;
}

/* sock_recv(fd, ri_data, ri_data_len, ri_flags, ro_datalen, ro_flags). */
int wasi_p1_sock_recv(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	return wasi_sockmsg(c, m, a, true);
}

/* sock_send(fd, si_data, si_data_len, si_flags, so_datalen). */
int wasi_p1_sock_send(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	return wasi_sockmsg(c, m, a, false);
}

/* sock_shutdown(fd, how): how is sdflags, rd (1) and/or wr (2). */
int wasi_p1_sock_shutdown(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	static const int how[] = { -1, SHUT_RD, SHUT_WR, SHUT_RDWR };
	uint32_t h = A32(1) & 0xff;
	int err;
	wasi_fd *f = wasi_sock_get(c, A32(0), R_SOCK_SHUTDOWN, &err);

	if (!f)
		return err;
	if (h == 0 || h > 3)
		return WASI_EINVAL;
	return wasi_err(c->io->shutdown(c->io, f->host, how[h]));
}
