/*
 * wasi_res.c: wrun:res, the derived handles WASI 0.2's streams and
 * pollables are made of.
 *
 *   res_derive(fd, role, out_fd)   a new handle of role (enum wasi_role)
 *                                  made from handle fd
 *
 * A WASI 0.2 stream or pollable is a resource of its own, child of the
 * descriptor, socket or stream it was made from; the spec forbids dropping
 * a parent before its children.  Here each is a handle of the table like
 * any other, so that the broker, not the jailed child, holds what it is
 * (its role, its rights, the host descriptor it acts on, its parent) and
 * checks it on every call:
 *
 *  - A derived handle acts on its parent's host descriptor with a subset
 *    of the parent's rights (role_rights below): an input stream reads, an
 *    output stream writes, a directory-entry stream reads entries, a
 *    pollable is polled, and nothing else.  No operation widens rights,
 *    so a derived handle can do nothing its parent could not.
 *  - What may be derived from what: streams of a descriptor only, a
 *    pollable of a descriptor or of a stream of the same direction; never
 *    anything of a pollable or of a directory-entry stream.
 *  - The parent's host descriptor is borrowed, not duplicated: the parent
 *    cannot be closed (fd_close answers EBUSY, and the audit log marks the
 *    refusal) or renumbered while a derived handle is open, so the
 *    descriptor a derived handle names is always the one it was made from.
 *  - Derived handles share the table's size (WASI_MAX_FDS) with every
 *    other handle: a guest cannot make more than that many resources.
 *
 * Only the WASI 0.2 bridge imports res_derive; a preview1 module cannot,
 * and never meets a derived handle.
 */
#include <fcntl.h>

#include "wasi_impl.h"

/* For each role: the rights the parent must hold, those the new handle
 * keeps (of the parent's), and the parents' roles it may be made from. */
static const struct {
	uint64_t need, keep;
	unsigned from;	/* bit r: a handle of role r */
} role_rights[WASI_ROLE__COUNT] = {
	[WASI_ROLE_IN] = { R_FD_READ, R_FD_READ | R_FD_SEEK | R_FD_TELL | R_POLL_FD_READWRITE,
			   1u << WASI_ROLE_DESC },
	[WASI_ROLE_OUT] = { R_FD_WRITE,
			    R_FD_WRITE | R_FD_SEEK | R_FD_TELL | R_POLL_FD_READWRITE,
			    1u << WASI_ROLE_DESC },
	[WASI_ROLE_DIRS] = { R_FD_READDIR, R_FD_READDIR, 1u << WASI_ROLE_DESC },
	[WASI_ROLE_POLL_IN] = { 0, R_POLL_FD_READWRITE,
				1u << WASI_ROLE_DESC | 1u << WASI_ROLE_IN },
	[WASI_ROLE_POLL_OUT] = { 0, R_POLL_FD_READWRITE,
				 1u << WASI_ROLE_DESC | 1u << WASI_ROLE_OUT },
};

int wasi_p1_res_derive(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	uint32_t role = A32(1), n, p = A32(0);
	int err, dirs = -1;
	wasi_fd *f;

	if (role == WASI_ROLE_DESC || role >= WASI_ROLE__COUNT)
		return WASI_EINVAL;
	if (!(f = wasi_fd_get(c, p, 0, &err)))
		return err;
	if (!(role_rights[role].from & 1u << f->role))
		return WASI_EBADF;	/* not a handle this role is made from */
	if (!wasi_fd_get(c, p, role_rights[role].need, &err))
		return err;
	if (!wasi_mem_ok(m, A32(2), 4))
		return WASI_EFAULT;
	/* A preopened directory is an O_PATH descriptor, which getdents cannot
	 * read: its entry stream reads a readable copy of its own. */
	if (role == WASI_ROLE_DIRS && f->preopen) {
		dirs = c->io->openat2(c->io, f->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, 0);
		if (dirs < 0)
			return wasi_errno(dirs);
	}
	if ((err = wasi_fd_slot(c, &n))) {
		if (dirs >= 0)
			c->io->close(c->io, dirs);
		return err;
	}
	f = &c->fds[p];
	c->fds[n] = (wasi_fd){ .host = f->host, .dirstream = dirs, .type = f->type,
			       .shared = f->shared, .nonblock = f->nonblock, .net = f->net,
			       .quota = f->quota, .base = f->base & role_rights[role].keep,
			       .role = (uint8_t)role, .parent = p };
	f->nchild++;
	wasi_put_u32(m->base + A32(2), n);
	return WASI_ESUCCESS;
}
