/*
 * wasi_path.c: the path_* functions, and the path resolution that keeps
 * each of them inside the directory handle it starts from.
 *
 * Why this is safe: the kernel resolves every guest path, with openat2's
 * RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS, from the handle's own directory
 * descriptor. That refuses absolute paths, "..", and symlinks (absolute or
 * relative, chained) that lead out, even temporarily, and /proc magic
 * links; the answer is EXDEV, which the guest sees as ENOTCAPABLE.
 * Operations that have no such flag (mkdir, unlink, rename, link, symlink)
 * first open the parent directory that way, then act on one leaf name that
 * is never empty, "." or "..", and holds no '/': a name the kernel looks
 * up inside that directory only, without following it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "wasi_impl.h"

#define WASI_RESOLVE (RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)

/* WASI errno for a failed resolution: stepping out is a capability error. */
static int wasi_resolve_errno(int r)
{
	return r == -EXDEV ? WASI_ENOTCAPABLE : wasi_errno(r);
}

/* Copy a guest path into a fresh heap buffer (*out, freed by the caller
 * even on failure). Empty paths name nothing; absolute ones are refused
 * before reaching the host at all. */
static int wasi_path_get(const wasi_mem *m, uint32_t ptr, uint32_t len, char **out)
{
	int err;

	*out = malloc(WASI_PATH_MAX + 1);
	if (!*out)
		return WASI_ENOMEM;
	err = wasi_path_copy(m, ptr, len, *out);
	if (err)
		return err;
	if ((*out)[0] == '\0')
		return WASI_ENOENT;
	if ((*out)[0] == '/')
		return WASI_ENOTCAPABLE;
	return WASI_ESUCCESS;
}

/* Open path beneath dirfd; *fd gets the host descriptor. */
static int wasi_open_beneath(wasi_ctx *c, int dirfd, const char *path, int flags,
			     unsigned mode, int *fd)
{
	int r = c->io->openat2(c->io, dirfd, path, flags | O_CLOEXEC, mode, WASI_RESOLVE);

	*fd = -1;
	if (r < 0)
		return wasi_resolve_errno(r);
	*fd = r;
	return WASI_ESUCCESS;
}

/* A parent directory (opened beneath the handle) and one name in it. */
typedef struct wasi_leaf {
	int dirfd;
	const char *name;
} wasi_leaf;

/* True if name is "." or "..". */
static bool wasi_is_dots(const char *name)
{
	return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

/* A path whose last component is "." or ".." names a directory that
 * already exists (or lies outside): report the escape, else dot_err. */
static int wasi_dots_errno(wasi_ctx *c, const wasi_fd *f, const char *path, int dot_err)
{
	int fd, err = wasi_open_beneath(c, f->host, path, O_PATH, 0, &fd);

	if (err)
		return err;
	c->io->close(c->io, fd);
	return dot_err;
}

/* What a trailing slash on the leaf means to an operation. */
enum wasi_slash {
	WASI_SLASH_DIR,		/* the leaf must be a directory if it exists */
	WASI_SLASH_OK,		/* the operation makes a directory (mkdir) */
	WASI_SLASH_NEW,		/* the operation makes a non-directory (link,
				 * symlink): a missing leaf is ENOENT, as on Linux */
};

/* A trailing slash asks for a directory: if the leaf exists and is not
 * one, that is ENOTDIR, as the host would say. The leaf is not followed. */
static int wasi_slash_check(wasi_ctx *c, const wasi_leaf *l, enum wasi_slash how)
{
	struct statx st;
	int r = c->io->statx(c->io, l->dirfd, l->name, AT_SYMLINK_NOFOLLOW, &st);

	if (r == 0 && !S_ISDIR(st.stx_mode))
		return WASI_ENOTDIR;
	if (r == -ENOENT && how == WASI_SLASH_NEW)
		return WASI_ENOENT;
	return WASI_ESUCCESS;
}

/* Split path (modified in place) into its parent, opened beneath f, and
 * its leaf. dot_err is the answer when the leaf is "." or ".." and the
 * path stays inside; how says what a trailing slash means. */
static int wasi_parent(wasi_ctx *c, const wasi_fd *f, char *path, int dot_err,
		       enum wasi_slash how, wasi_leaf *out)
{
	size_t len = strlen(path);
	bool slash = false;
	char *sep;
	int err;

	while (len > 1 && path[len - 1] == '/') {
		path[--len] = '\0';
		slash = true;
	}
	sep = strrchr(path, '/');
	out->name = sep ? sep + 1 : path;
	if (wasi_is_dots(out->name))
		return wasi_dots_errno(c, f, path, dot_err);
	if (sep)
		*sep = '\0';
	err = wasi_open_beneath(c, f->host, sep ? path : ".", O_PATH | O_DIRECTORY, 0,
				&out->dirfd);
	if (err || !slash || how == WASI_SLASH_OK)
		return err;
	err = wasi_slash_check(c, out, how);
	if (err)
		c->io->close(c->io, out->dirfd);
	return err;
}

/* The common start of a one-leaf operation: handle with `rights`, path
 * copied and split. On success the caller closes leaf->dirfd. */
static int wasi_leaf_op(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint64_t rights,
			uint32_t ptr, uint32_t len, int dot_err, enum wasi_slash how,
			char **buf, wasi_leaf *leaf)
{
	int err;
	const wasi_fd *f = wasi_fd_get(c, fd, rights, &err);

	*buf = NULL;
	if (!f)
		return err;
	err = wasi_path_get(m, ptr, len, buf);
	if (err)
		return err;
	return wasi_parent(c, f, *buf, dot_err, how, leaf);
}

int wasi_p1_path_create_directory(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	wasi_leaf l;
	char *buf;
	int err = wasi_leaf_op(c, m, A32(0), R_PATH_CREATE_DIRECTORY, A32(1), A32(2),
			       WASI_EEXIST, WASI_SLASH_OK, &buf, &l);

	if (!err) {
		err = wasi_err(c->io->mkdirat(c->io, l.dirfd, l.name, 0777));
		c->io->close(c->io, l.dirfd);
	}
	free(buf);
	return err;
}

int wasi_p1_path_remove_directory(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	wasi_leaf l;
	char *buf;
	int err = wasi_leaf_op(c, m, A32(0), R_PATH_REMOVE_DIRECTORY, A32(1), A32(2),
			       WASI_EINVAL, WASI_SLASH_DIR, &buf, &l);

	if (!err) {
		err = wasi_err(c->io->unlinkat(c->io, l.dirfd, l.name, AT_REMOVEDIR));
		c->io->close(c->io, l.dirfd);
	}
	free(buf);
	return err;
}

int wasi_p1_path_unlink_file(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	wasi_leaf l;
	char *buf;
	int err = wasi_leaf_op(c, m, A32(0), R_PATH_UNLINK_FILE, A32(1), A32(2),
			       WASI_EISDIR, WASI_SLASH_DIR, &buf, &l);

	if (!err) {
		err = wasi_err(c->io->unlinkat(c->io, l.dirfd, l.name, 0));
		c->io->close(c->io, l.dirfd);
	}
	free(buf);
	return err;
}

/* path_symlink: the link's text is stored as given, except that an
 * absolute target is refused (the definition: "not permitted"). Relative
 * targets are checked when a path through them is resolved. */
int wasi_p1_path_symlink(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	wasi_leaf l;
	char *target = NULL, *buf = NULL;
	int err = wasi_path_get(m, A32(0), A32(1), &target);

	if (err == WASI_ENOTCAPABLE)
		err = WASI_EPERM;
	if (!err)
		err = wasi_leaf_op(c, m, A32(2), R_PATH_SYMLINK, A32(3), A32(4), WASI_EEXIST,
				   WASI_SLASH_NEW, &buf, &l);
	if (!err) {
		err = wasi_err(c->io->symlinkat(c->io, target, l.dirfd, l.name));
		c->io->close(c->io, l.dirfd);
	}
	free(target);
	free(buf);
	return err;
}

int wasi_p1_path_rename(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	wasi_leaf from, to;
	char *b1, *b2 = NULL;
	int err = wasi_leaf_op(c, m, A32(0), R_PATH_RENAME_SOURCE, A32(1), A32(2), WASI_EBUSY,
			       WASI_SLASH_DIR, &b1, &from);

	if (err)
		goto out;
	err = wasi_leaf_op(c, m, A32(3), R_PATH_RENAME_TARGET, A32(4), A32(5), WASI_EBUSY,
			   WASI_SLASH_DIR, &b2, &to);
	if (!err) {
		err = wasi_err(c->io->renameat(c->io, from.dirfd, from.name, to.dirfd, to.name));
		c->io->close(c->io, to.dirfd);
	}
	c->io->close(c->io, from.dirfd);
out:
	free(b1);
	free(b2);
	return err;
}

/* Hard-link the object that a followed path resolves to: open it beneath
 * the handle, then link the open file through the kernel's descriptor
 * name (a lookup wrun makes, not the guest). */
static int wasi_link_followed(wasi_ctx *c, const wasi_fd *f, const char *path,
			      const wasi_leaf *to)
{
	char proc[64];
	int fd, err = wasi_open_beneath(c, f->host, path, O_PATH, 0, &fd);

	if (err)
		return err;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	err = wasi_err(c->io->linkat(c->io, AT_FDCWD, proc, to->dirfd, to->name,
				     AT_SYMLINK_FOLLOW));
	c->io->close(c->io, fd);
	return err;
}

/* path_link(old_fd, old_flags, old_path, new_fd, new_path). */
int wasi_p1_path_link(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	wasi_leaf from, to;
	char *b1 = NULL, *b2 = NULL;
	int err;
	const wasi_fd *f = wasi_fd_get(c, A32(0), R_PATH_LINK_SOURCE, &err);

	if (!f)
		return err;
	err = wasi_leaf_op(c, m, A32(4), R_PATH_LINK_TARGET, A32(5), A32(6), WASI_EEXIST,
			   WASI_SLASH_NEW, &b2, &to);
	if (err)
		goto out;
	err = wasi_path_get(m, A32(2), A32(3), &b1);
	if (!err && (A32(1) & WASI_LOOKUP_SYMLINK_FOLLOW)) {
		err = wasi_link_followed(c, f, b1, &to);
	} else if (!err) {
		err = wasi_parent(c, f, b1, WASI_EPERM, WASI_SLASH_DIR, &from);
		if (!err) {
			err = wasi_err(c->io->linkat(c->io, from.dirfd, from.name, to.dirfd,
						     to.name, 0));
			c->io->close(c->io, from.dirfd);
		}
	}
	c->io->close(c->io, to.dirfd);
out:
	free(b1);
	free(b2);
	return err;
}

/* Open the object a path names, as O_PATH, following the last component
 * only if asked: the base of path_filestat_* and path_readlink. */
static int wasi_path_object(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint64_t rights,
			    uint32_t ptr, uint32_t len, bool follow, int *out)
{
	char *buf;
	int err;
	const wasi_fd *f = wasi_fd_get(c, fd, rights, &err);

	if (!f)
		return err;
	err = wasi_path_get(m, ptr, len, &buf);
	if (!err)
		err = wasi_open_beneath(c, f->host, buf, O_PATH | (follow ? 0 : O_NOFOLLOW), 0,
					out);
	free(buf);
	return err;
}

int wasi_p1_path_filestat_get(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	struct statx st;
	int fd, r, err;

	if (!wasi_mem_ok(m, A32(4), 64))
		return WASI_EFAULT;
	err = wasi_path_object(c, m, A32(0), R_PATH_FILESTAT_GET, A32(2), A32(3),
			       A32(1) & WASI_LOOKUP_SYMLINK_FOLLOW, &fd);
	if (err)
		return err;
	r = c->io->statx(c->io, fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, &st);
	c->io->close(c->io, fd);
	if (r < 0)
		return wasi_errno(r);
	wasi_put_filestat(m->base + A32(4), &st);
	return WASI_ESUCCESS;
}

/* path_filestat_set_times(fd, flags, path, len, atim, mtim, fstflags). */
int wasi_p1_path_filestat_set_times(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	struct timespec ts[2];
	int fd, err = wasi_make_times(A64(4), A64(5), A32(6) & 0xffff, ts);

	if (err)
		return err;
	err = wasi_path_object(c, m, A32(0), R_PATH_FILESTAT_SET_TIMES, A32(2), A32(3),
			       A32(1) & WASI_LOOKUP_SYMLINK_FOLLOW, &fd);
	if (err)
		return err;
	err = wasi_err(c->io->utimensat(c->io, fd, "", ts, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW));
	c->io->close(c->io, fd);
	return err;
}

/* path_readlink(fd, path, len, buf, buf_len, bufused): the link's text,
 * cut to the buffer. Reading a non-link is EINVAL, as on the host. */
int wasi_p1_path_readlink(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	ssize_t r;
	int fd, err;

	if (!wasi_mem_ok(m, A32(3), A32(4)) || !wasi_mem_ok(m, A32(5), 4))
		return WASI_EFAULT;
	err = wasi_path_object(c, m, A32(0), R_PATH_READLINK, A32(1), A32(2), false, &fd);
	if (err)
		return err;
	r = c->io->readlinkat(c->io, fd, "", (char *)m->base + A32(3), A32(4));
	c->io->close(c->io, fd);
	if (r == -ENOENT)
		return WASI_EINVAL; /* "" names the open object: it is not a link */
	if (r < 0)
		return wasi_errno((int)r);
	return wasi_store_u32(m, A32(5), (uint32_t)r);
}

/* Host open flags for path_open's oflags, fdflags and requested rights.
 * fd_datasync is not a write right: fdatasync works on a descriptor opened
 * for reading, and a directory (which Linux never opens for writing)
 * carries it among its base rights. */
static int wasi_open_flags(uint32_t oflags, uint32_t fdflags, uint64_t base, bool follow)
{
	bool rd = base & (R_FD_READ | R_FD_READDIR);
	bool wr = base & (R_FD_WRITE | R_FD_ALLOCATE | R_FD_FILESTAT_SET_SIZE);
	int fl = (rd && wr) ? O_RDWR : wr ? O_WRONLY : O_RDONLY;

	fl |= O_NOCTTY | (follow ? 0 : O_NOFOLLOW);
	fl |= (oflags & WASI_O_CREAT ? O_CREAT : 0) | (oflags & WASI_O_DIRECTORY ? O_DIRECTORY : 0) |
	      (oflags & WASI_O_EXCL ? O_EXCL : 0) | (oflags & WASI_O_TRUNC ? O_TRUNC : 0);
	fl |= (fdflags & WASI_FDFLAG_APPEND ? O_APPEND : 0) |
	      (fdflags & WASI_FDFLAG_NONBLOCK ? O_NONBLOCK : 0) |
	      (fdflags & WASI_FDFLAG_DSYNC ? O_DSYNC : 0) |
	      (fdflags & WASI_FDFLAG_RSYNC ? O_RSYNC : 0) |
	      (fdflags & WASI_FDFLAG_SYNC ? O_SYNC : 0);
	return fl;
}

/* Open the path and install it; rights are the requested ones cut to
 * what applies to the type of the object opened. */
static int wasi_open_install(wasi_ctx *c, const wasi_mem *m, const wasi_fd *dir,
			     const char *path, int flags, uint64_t base, uint64_t inh,
			     uint32_t outp)
{
	struct statx st;
	uint32_t n;
	uint8_t type;
	int fd, r, err = wasi_open_beneath(c, dir->host, path, flags, 0666, &fd);

	if (err)
		return err;
	r = c->io->statx(c->io, fd, "", AT_EMPTY_PATH, &st);
	if (r < 0) {
		c->io->close(c->io, fd);
		return wasi_errno(r);
	}
	type = wasi_filetype(st.stx_mode);
	err = wasi_fd_install(c, fd, type, base & wasi_type_rights(type),
			      type == WASI_FT_DIR ? inh : 0, &n);
	if (err)
		return err;
	wasi_put_u32(m->base + outp, n);
	return WASI_ESUCCESS;
}

/* path_open(fd, dirflags, path, len, oflags, base, inheriting, fdflags,
 * out). Rights asked for must all be inheritable from the directory. */
int wasi_p1_path_open(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	uint32_t oflags = A32(4) & 0xffff, fdflags = A32(7) & 0xffff;
	uint64_t need = R_PATH_OPEN | (oflags & WASI_O_CREAT ? R_PATH_CREATE_FILE : 0) |
			(oflags & WASI_O_TRUNC ? R_PATH_FILESTAT_SET_SIZE : 0);
	char *buf = NULL;
	int err;
	const wasi_fd *f = wasi_fd_get(c, A32(0), need, &err);

	if (!f)
		return err;
	if (oflags & ~0xfu || fdflags & ~0x1fu)
		return WASI_EINVAL;
	if ((A64(5) & ~f->inh) || (A64(6) & ~f->inh))
		return WASI_ENOTCAPABLE;
	if (!wasi_mem_ok(m, A32(8), 4))
		return WASI_EFAULT;
	err = wasi_path_get(m, A32(2), A32(3), &buf);
	if (!err)
		err = wasi_open_install(c, m, f, buf,
					wasi_open_flags(oflags, fdflags, A64(5),
							A32(1) & WASI_LOOKUP_SYMLINK_FOLLOW),
					A64(5), A64(6), A32(8));
	free(buf);
	return err;
}
