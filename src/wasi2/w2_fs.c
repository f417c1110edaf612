/*
 * w2_fs.c: wasi:filesystem (preopens, types) over preview1's fd_* and
 * path_* functions: a descriptor is a preview1 handle, every path goes to
 * the preview1 host (and so through its openat2 discipline), and errnos
 * become error-codes.
 */
#include <string.h>

#include "w2.h"

#define FS_TYPES "wasi:filesystem/types" W2_VER

/* preview1 rights (bits of the definition's list) */
#define P1_FD_READ (1ull << 1)
#define P1_FD_WRITE (1ull << 6)
#define P1_FD_ALLOCATE (1ull << 8)
#define P1_FD_READDIR (1ull << 14)
#define P1_FD_SET_SIZE (1ull << 22)

/* error-code cases, in the order of the definition */
enum { EC_ACCESS = 0, EC_IO = 13, EC_NAMETOOLONG = 18, EC_UNSUPPORTED = 27 };

/* preview1 errno -> error-code (-1: none of its own: io) */
static const signed char w2_ec[77] = {
	[2] = 0, [6] = 1, [7] = 2, [8] = 3, [10] = 4, [16] = 5, [19] = 6, [20] = 7, [22] = 8,
	[25] = 9, [26] = 10, [27] = 11, [28] = 12, [29] = 13, [31] = 14, [32] = 15, [34] = 16,
	[35] = 17, [37] = 18, [43] = 19, [44] = 20, [46] = 21, [48] = 22, [51] = 23, [54] = 24,
	[55] = 25, [56] = 26, [58] = 27, [52] = 27, [59] = 28, [60] = 29, [61] = 30, [63] = 31,
	[64] = 32, [69] = 33, [70] = 34, [74] = 35, [75] = 36, [76] = 31,
};

static uint32_t w2_code(int e)
{
	if (e == WASI_EACCES)
		return EC_ACCESS;
	return e > 0 && e < 77 && w2_ec[e] > 0 ? (uint32_t)w2_ec[e] : EC_IO;
}

/* err(error-code) for errno e, or the trap when e < 0. */
static wr_trapkind fs_fail(struct wasi2 *w, wr_ccall *call, wr_cval *res, int e)
{
	wr_cval c;

	if (e < 0)
		return w2_pass(w, call);
	c = cv_u(WR_C_ENUM, 0);
	c.tag = w2_code(e);
	*res = cv_err(&c);
	return WR_OK;
}

/* ok(payload) or err for r (an errno, -1 trapped). */
static wr_trapkind fs_done(struct wasi2 *w, wr_ccall *call, wr_cval *res, int r,
			   const wr_cval *payload)
{
	if (r != 0)
		return fs_fail(w, call, res, r);
	*res = cv_ok(payload);
	return WR_OK;
}

#define DESC(var, h)                                                        \
	struct w2_entry *var = w2_get(w, (h), W2_DESC);                     \
	if (!var)                                                           \
		return wr_ccall_trap(call, "wasi 0.2: not a descriptor")

/* Copy path p into the bridge memory at off: its length, or -1 (too long). */
static int64_t put_path(struct wasi2 *w, uint32_t off, const wr_cval *p)
{
	if (p->kind != WR_C_STRING || p->len > WASI_PATH_MAX - 1)
		return -1;
	memcpy(w2_mem(w, off), p->of.str, p->len);
	return p->len;
}

/* A call taking (fd, path, len) or (fd, flags, path, len), more after. */
static int path_call(struct wasi2 *w, unsigned fn, uint64_t *a, unsigned at, const wr_cval *p)
{
	int64_t n = put_path(w, W2_PATH, p);

	if (n < 0)
		return WASI_ENAMETOOLONG;
	a[at] = W2_PATH;
	a[at + 1] = (uint64_t)n;
	return w2_p1(w, fn, a);
}

/* ---- descriptor operations with no result but ok ---- */

static wr_trapkind fs_simple(wr_ccall *call, const wr_cval *a, wr_cval *res, struct wasi2 *w,
			     unsigned fn)
{
	uint64_t args[8];
	int r;
	DESC(d, &a[0]);

	args[0] = d->fd;
	switch (fn) {
	case WASI_FN_path_create_directory:
	case WASI_FN_path_remove_directory:
	case WASI_FN_path_unlink_file:
		r = path_call(w, fn, args, 1, &a[1]);
		break;
	case WASI_FN_fd_filestat_set_size:
		args[1] = a[1].of.u;
		r = w2_p1(w, fn, args);
		break;
	case WASI_FN_fd_advise:
		args[1] = a[1].of.u;
		args[2] = a[2].of.u;
		args[3] = a[3].tag;
		r = w2_p1(w, fn, args);
		break;
	default:
		r = w2_p1(w, fn, args);
	}
	return fs_done(w, call, res, r, NULL);
}

#define SIMPLE(name, fn)                                                                   \
	static wr_trapkind name(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,  \
				void *u)                                                   \
	{                                                                                  \
		(void)n;                                                                   \
		return fs_simple(call, a, res, u, WASI_FN_##fn);                           \
	}
SIMPLE(fs_mkdir, path_create_directory)
SIMPLE(fs_rmdir, path_remove_directory)
SIMPLE(fs_unlink, path_unlink_file)
SIMPLE(fs_set_size, fd_filestat_set_size)
SIMPLE(fs_advise, fd_advise)
SIMPLE(fs_sync, fd_sync)
SIMPLE(fs_sync_data, fd_datasync)

/* ---- types and stats ---- */

static const uint8_t w2_dtype[8] = { 0, 1, 2, 3, 6, 7, 7, 5 };

static wr_cval fs_type(uint8_t p1type)
{
	wr_cval v = cv_u(WR_C_ENUM, 0);

	v.tag = p1type < 8 ? w2_dtype[p1type] : 0;
	return v;
}

static wr_cval fs_time(uint64_t ns)
{
	wr_cval o = cv_agg(WR_C_OPTION, 1, 1);

	if (cv_oom(&o))
		return cv_agg(WR_C_OPTION, 0, 0);
	o.of.elems[0] = cv_agg(WR_C_RECORD, 0, 2);
	if (!cv_oom(&o.of.elems[0])) {
		o.of.elems[0].of.elems[0] = cv_u(WR_C_U64, ns / 1000000000u);
		o.of.elems[0].of.elems[1] = cv_u(WR_C_U32, ns % 1000000000u);
	}
	return o;
}

/* descriptor-stat from a preview1 filestat at W2_OUT. */
static wr_cval fs_stat_val(struct wasi2 *w)
{
	wr_cval s = cv_agg(WR_C_RECORD, 0, 6);

	if (cv_oom(&s))
		return s;
	s.of.elems[0] = fs_type(*w2_mem(w, W2_OUT + 16));
	s.of.elems[1] = cv_u(WR_C_U64, w2_u64(w, W2_OUT + 24));
	s.of.elems[2] = cv_u(WR_C_U64, w2_u64(w, W2_OUT + 32));
	for (int i = 0; i < 3; i++)
		s.of.elems[3 + i] = fs_time(w2_u64(w, W2_OUT + 40 + 8 * (uint32_t)i));
	return s;
}

/* What a filestat at W2_OUT becomes: stat, type or metadata hash. */
enum stat_as { AS_STAT, AS_TYPE, AS_HASH };

static wr_cval fs_stat_as(struct wasi2 *w, enum stat_as as)
{
	wr_cval v;

	if (as == AS_STAT)
		return fs_stat_val(w);
	if (as == AS_TYPE)
		return fs_type(*w2_mem(w, W2_OUT + 16));
	v = cv_agg(WR_C_RECORD, 0, 2);
	if (!cv_oom(&v)) {
		uint64_t dev = w2_u64(w, W2_OUT), ino = w2_u64(w, W2_OUT + 8);

		v.of.elems[0] = cv_u(WR_C_U64, ino ^ (dev * 0x9e3779b97f4a7c15ull));
		v.of.elems[1] = cv_u(WR_C_U64, dev);
	}
	return v;
}

/* stat, get-type, metadata-hash (at false) and stat-at, metadata-hash-at
 * (at: a[1] path-flags, a[2] path). */
static wr_trapkind fs_stat_common(wr_ccall *call, const wr_cval *a, wr_cval *res,
				  struct wasi2 *w, bool at, enum stat_as as)
{
	uint64_t args[5];
	wr_cval v;
	int r;
	DESC(d, &a[0]);

	args[0] = d->fd;
	if (at) {
		args[1] = a[1].of.u & 1;
		args[4] = W2_OUT;
		r = path_call(w, WASI_FN_path_filestat_get, args, 2, &a[2]);
	} else {
		args[1] = W2_OUT;
		r = w2_p1(w, WASI_FN_fd_filestat_get, args);
	}
	if (r != 0)
		return fs_fail(w, call, res, r);
	v = fs_stat_as(w, as);
	if (cv_oom(&v))
		return w2_nomem(call);
	*res = cv_ok(&v);
	return WR_OK;
}

#define STAT(name, at, as)                                                                 \
	static wr_trapkind name(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,  \
				void *u)                                                   \
	{                                                                                  \
		(void)n;                                                                   \
		return fs_stat_common(call, a, res, u, at, as);                            \
	}
STAT(fs_stat, false, AS_STAT)
STAT(fs_stat_at, true, AS_STAT)
STAT(fs_get_type, false, AS_TYPE)
STAT(fs_hash, false, AS_HASH)
STAT(fs_hash_at, true, AS_HASH)

static wr_trapkind fs_same(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	struct wasi2 *w = u;
	uint64_t args[2] = { 0, W2_OUT }, id[2];
	DESC(d, &a[0]);
	DESC(o, &a[1]);

	(void)n;
	args[0] = d->fd;
	if (w2_p1(w, WASI_FN_fd_filestat_get, args) < 0)
		return w2_pass(w, call);
	id[0] = w2_u64(w, W2_OUT);
	id[1] = w2_u64(w, W2_OUT + 8);
	args[0] = o->fd;
	if (w2_p1(w, WASI_FN_fd_filestat_get, args) < 0)
		return w2_pass(w, call);
	*res = cv_u(WR_C_BOOL, id[0] == w2_u64(w, W2_OUT) && id[1] == w2_u64(w, W2_OUT + 8));
	return WR_OK;
}

/* descriptor-flags from the preview1 fdstat of d. */
static wr_trapkind fs_get_flags(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				void *u)
{
	struct wasi2 *w = u;
	uint64_t args[2] = { 0, W2_OUT }, rights, f = 0;
	uint16_t fl;
	wr_cval v;
	int r;
	DESC(d, &a[0]);

	(void)n;
	args[0] = d->fd;
	if ((r = w2_p1(w, WASI_FN_fd_fdstat_get, args)) != 0)
		return fs_fail(w, call, res, r);
	memcpy(&fl, w2_mem(w, W2_OUT + 2), 2);
	rights = w2_u64(w, W2_OUT + 8);
	f |= rights & (P1_FD_READ | P1_FD_READDIR) ? 1 : 0;
	f |= rights & P1_FD_WRITE ? 2 : 0;
	f |= fl & 16 ? 4 : 0;
	f |= fl & 2 ? 8 : 0;
	f |= fl & 8 ? 16 : 0;
	f |= rights & (1ull << 9) ? 32 : 0;
	v = cv_u(WR_C_FLAGS, f);
	*res = cv_ok(&v);
	return WR_OK;
}

/* ---- opening ---- */

/* A new descriptor entry for preview1 handle fd; keep: a preopen, never
 * closed here. */
static uint32_t fs_new_desc(struct wasi2 *w, uint32_t fd, bool keep)
{
	uint32_t rep = w2_new(w, W2_DESC, fd);

	if (rep != UINT32_MAX)
		w->tab[rep].keep = keep;
	return rep;
}

/* Rights for open-at: the directory's inheritable ones, cut to the
 * descriptor-flags asked for (bit 0 read, bit 1 write). */
static int open_rights(struct wasi2 *w, uint32_t dirfd, uint64_t dflags, uint64_t *base,
		       uint64_t *inh)
{
	uint64_t a[2] = { dirfd, W2_OUT };
	int r = w2_p1(w, WASI_FN_fd_fdstat_get, a);

	if (r != 0)
		return r;
	*inh = w2_u64(w, W2_OUT + 16);
	*base = *inh;
	if (!(dflags & 1))
		*base &= ~P1_FD_READ;
	if (!(dflags & 2))
		*base &= ~(P1_FD_WRITE | P1_FD_ALLOCATE | P1_FD_SET_SIZE);
	return 0;
}

/* open-at(self, path-flags, path, open-flags, descriptor-flags) */
static wr_trapkind fs_open_at(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
			      void *u)
{
	struct wasi2 *w = u;
	uint64_t args[9], base, inh, df = a[4].of.u, fdflags = 0;
	uint32_t rep;
	wr_cval v;
	int r;
	DESC(d, &a[0]);

	(void)n;
	if ((r = open_rights(w, d->fd, df, &base, &inh)) != 0)
		return fs_fail(w, call, res, r);
	fdflags |= df & 4 ? 16 : 0;
	fdflags |= df & 8 ? 2 : 0;
	fdflags |= df & 16 ? 8 : 0;
	args[0] = d->fd;
	args[1] = a[1].of.u & 1;
	args[4] = a[3].of.u & 0xf;
	args[5] = base;
	args[6] = inh;
	args[7] = fdflags;
	args[8] = W2_OUT + 64;
	if ((r = path_call(w, WASI_FN_path_open, args, 2, &a[2])) != 0)
		return fs_fail(w, call, res, r);
	rep = fs_new_desc(w, w2_u32(w, W2_OUT + 64), false);
	if (rep == UINT32_MAX) {
		uint64_t c[1] = { w2_u32(w, W2_OUT + 64) };

		w2_p1(w, WASI_FN_fd_close, c);
		return fs_fail(w, call, res, WASI_EMFILE);
	}
	v = cv_own(w, W2_DESC, rep);
	*res = cv_ok(&v);
	return WR_OK;
}

/* A stream of descriptor d (index di): kind, mode, offset.  The broker
 * makes its handle, with the read, write or readdir right of d; a
 * descriptor without it (the broker's ENOTCAPABLE) gets bad-descriptor
 * here, as for read and write, instead of a stream whose every operation
 * fails. */
static wr_trapkind fs_stream(wr_ccall *call, const wr_cval *a, wr_cval *res, struct wasi2 *w,
			     enum w2_kind kind, enum w2_mode mode, uint64_t off)
{
	enum wasi_role role = kind == W2_INPUT ? WASI_ROLE_IN
			      : kind == W2_OUTPUT ? WASI_ROLE_OUT : WASI_ROLE_DIRS;
	uint32_t rep;
	wr_cval v;
	int err;
	DESC(d, &a[0]);

	rep = w2_derive(w, kind, d->fd, role, (uint32_t)(d - w->tab), &err);
	if (rep == UINT32_MAX && err == WASI_EMFILE)
		return w2_derive_fail(w, call, err);
	if (rep == UINT32_MAX)
		return fs_fail(w, call, res, err == WASI_ENOTCAPABLE ? WASI_EBADF : err);
	w->tab[rep].mode = (uint8_t)mode;
	w->tab[rep].off = off;
	v = cv_own(w, kind, rep);
	*res = cv_ok(&v);
	return WR_OK;
}

static wr_trapkind fs_read_stream(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				  void *u)
{
	(void)n;
	return fs_stream(call, a, res, u, W2_INPUT, W2_AT, a[1].of.u);
}

static wr_trapkind fs_write_stream(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				   void *u)
{
	(void)n;
	return fs_stream(call, a, res, u, W2_OUTPUT, W2_AT, a[1].of.u);
}

static wr_trapkind fs_append_stream(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				    void *u)
{
	(void)n;
	return fs_stream(call, a, res, u, W2_OUTPUT, W2_APPEND, 0);
}

/* ---- read, write ---- */

/* read(self, length, offset) -> result<tuple<list<u8>, bool>> */
static wr_trapkind fs_read(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	struct wasi2 *w = u;
	uint32_t len = a[1].of.u > W2_BUF_MAX ? W2_BUF_MAX : (uint32_t)a[1].of.u, got;
	uint32_t iov[2] = { W2_BUF, len };
	uint64_t args[5] = { 0, W2_OUT, 1, a[2].of.u, W2_OUT + 16 };
	wr_cval t;
	int r;
	DESC(d, &a[0]);

	(void)n;
	args[0] = d->fd;
	memcpy(w2_mem(w, W2_OUT), iov, sizeof(iov));
	if ((r = w2_p1(w, WASI_FN_fd_pread, args)) != 0)
		return fs_fail(w, call, res, r);
	got = w2_u32(w, W2_OUT + 16);
	t = cv_agg(WR_C_TUPLE, 0, 2);
	if (cv_oom(&t))
		return w2_nomem(call);
	t.of.elems[0] = cv_buf(w, got);
	if (cv_oom(&t.of.elems[0])) {
		wr_cval_free(&t);
		return w2_nomem(call);
	}
	t.of.elems[1] = cv_u(WR_C_BOOL, got == 0 && len > 0);
	*res = cv_ok(&t);
	return WR_OK;
}

/* write(self, buffer, offset) -> result<filesize> */
static wr_trapkind fs_write(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	struct wasi2 *w = u;
	uint32_t len = a[1].len > W2_BUF_MAX ? W2_BUF_MAX : a[1].len;
	uint32_t iov[2] = { W2_BUF, len };
	uint64_t args[5] = { 0, W2_OUT, 1, a[2].of.u, W2_OUT + 16 };
	wr_cval v;
	int r;
	DESC(d, &a[0]);

	(void)n;
	args[0] = d->fd;
	for (uint32_t i = 0; i < len; i++)
		w2_mem(w, W2_BUF)[i] = (uint8_t)a[1].of.elems[i].of.u;
	memcpy(w2_mem(w, W2_OUT), iov, sizeof(iov));
	if ((r = w2_p1(w, WASI_FN_fd_pwrite, args)) != 0)
		return fs_fail(w, call, res, r);
	v = cv_u(WR_C_U64, w2_u32(w, W2_OUT + 16));
	*res = cv_ok(&v);
	return WR_OK;
}

/* ---- names ---- */

/* readlink-at(self, path) -> result<string> */
static wr_trapkind fs_readlink(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
			       void *u)
{
	struct wasi2 *w = u;
	uint64_t args[6] = { 0, 0, 0, W2_BUF, WASI_PATH_MAX, W2_OUT };
	wr_cval v;
	int r;
	DESC(d, &a[0]);

	(void)n;
	args[0] = d->fd;
	if ((r = path_call(w, WASI_FN_path_readlink, args, 1, &a[1])) != 0)
		return fs_fail(w, call, res, r);
	v = cv_str((const char *)w2_mem(w, W2_BUF), w2_u32(w, W2_OUT));
	if (v.kind != WR_C_STRING)
		return w2_nomem(call);
	*res = cv_ok(&v);
	return WR_OK;
}

/* Two paths: p1 at W2_PATH, p2 at W2_PATH2; false if one is too long. */
static bool two_paths(struct wasi2 *w, const wr_cval *p1, const wr_cval *p2, uint64_t *l1,
		      uint64_t *l2)
{
	int64_t n1 = put_path(w, W2_PATH, p1), n2 = put_path(w, W2_PATH2, p2);

	*l1 = (uint64_t)n1;
	*l2 = (uint64_t)n2;
	return n1 >= 0 && n2 >= 0;
}

/* rename-at(self, old-path, new-descriptor, new-path) */
static wr_trapkind fs_rename(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	struct wasi2 *w = u;
	uint64_t args[6] = { 0, W2_PATH, 0, 0, W2_PATH2, 0 };
	DESC(d, &a[0]);
	DESC(nd, &a[2]);

	(void)n;
	args[0] = d->fd;
	args[3] = nd->fd;
	if (!two_paths(w, &a[1], &a[3], &args[2], &args[5]))
		return fs_fail(w, call, res, WASI_ENAMETOOLONG);
	return fs_done(w, call, res, w2_p1(w, WASI_FN_path_rename, args), NULL);
}

/* link-at(self, old-path-flags, old-path, new-descriptor, new-path) */
static wr_trapkind fs_link(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	struct wasi2 *w = u;
	uint64_t args[7] = { 0, 0, W2_PATH, 0, 0, W2_PATH2, 0 };
	DESC(d, &a[0]);
	DESC(nd, &a[3]);

	(void)n;
	args[0] = d->fd;
	args[1] = a[1].of.u & 1;
	args[4] = nd->fd;
	if (!two_paths(w, &a[2], &a[4], &args[3], &args[6]))
		return fs_fail(w, call, res, WASI_ENAMETOOLONG);
	return fs_done(w, call, res, w2_p1(w, WASI_FN_path_link, args), NULL);
}

/* symlink-at(self, old-path, new-path) */
static wr_trapkind fs_symlink(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
			      void *u)
{
	struct wasi2 *w = u;
	uint64_t args[5] = { W2_PATH, 0, 0, W2_PATH2, 0 };
	DESC(d, &a[0]);

	(void)n;
	args[2] = d->fd;
	if (!two_paths(w, &a[1], &a[2], &args[1], &args[4]))
		return fs_fail(w, call, res, WASI_ENAMETOOLONG);
	return fs_done(w, call, res, w2_p1(w, WASI_FN_path_symlink, args), NULL);
}

/* ---- times ---- */

/* new-timestamp t into a preview1 time and fstflags (bits for atime:
 * set, now; shift 2 for mtime). */
static uint64_t new_time(const wr_cval *t, uint64_t *flags, unsigned shift)
{
	const wr_cval *dt;

	if (t->tag == 1)
		*flags |= 2u << shift;
	if (t->tag != 2 || !t->len)
		return 0;
	*flags |= 1u << shift;
	dt = &t->of.elems[0];
	return dt->of.elems[0].of.u * 1000000000u + dt->of.elems[1].of.u;
}

/* set-times(self, atime, mtime), set-times-at(self, path-flags, path, ...) */
static wr_trapkind fs_times(wr_ccall *call, const wr_cval *a, wr_cval *res, struct wasi2 *w,
			    bool at)
{
	uint64_t args[7], fl = 0;
	const wr_cval *t = at ? &a[3] : &a[1];
	DESC(d, &a[0]);

	args[0] = d->fd;
	if (!at) {
		args[1] = new_time(&t[0], &fl, 0);
		args[2] = new_time(&t[1], &fl, 2);
		args[3] = fl;
		return fs_done(w, call, res, w2_p1(w, WASI_FN_fd_filestat_set_times, args), NULL);
	}
	args[1] = a[1].of.u & 1;
	args[4] = new_time(&t[0], &fl, 0);
	args[5] = new_time(&t[1], &fl, 2);
	args[6] = fl;
	return fs_done(w, call, res, path_call(w, WASI_FN_path_filestat_set_times, args, 2, &a[2]),
		       NULL);
}

static wr_trapkind fs_set_times(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				void *u)
{
	(void)n;
	return fs_times(call, a, res, u, false);
}

static wr_trapkind fs_set_times_at(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				   void *u)
{
	(void)n;
	return fs_times(call, a, res, u, true);
}

/* ---- directories ---- */

static wr_trapkind fs_readdir(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
			      void *u)
{
	struct wasi2 *w = u;
	(void)n;
	return fs_stream(call, a, res, w, W2_DIRSTREAM, W2_AT, 0);
}

/* The next entry other than "." and ".." from cookie *cookie: 1 with the
 * dirent at W2_BUF, 0 at the end, or an errno (-1 trapped). */
static int dir_next(struct wasi2 *w, struct w2_entry *e, uint32_t *namlen)
{
	for (;;) {
		uint64_t args[5] = { e->fd, W2_BUF, W2_BUF_MAX, e->off, W2_OUT };
		int r = w2_p1(w, WASI_FN_fd_readdir, args);
		const char *name = (const char *)w2_mem(w, W2_BUF + 24);

		if (r != 0)
			return r < 0 ? -1 : -2 - r;
		if (w2_u32(w, W2_OUT) < 24)
			return 0;
		*namlen = w2_u32(w, W2_BUF + 16);
		if (*namlen > W2_BUF_MAX - 24 || 24 + *namlen > w2_u32(w, W2_OUT))
			return -2 - WASI_EIO;
		e->off = w2_u64(w, W2_BUF);
		if ((*namlen == 1 && name[0] == '.') ||
		    (*namlen == 2 && name[0] == '.' && name[1] == '.'))
			continue;
		return 1;
	}
}

static wr_trapkind fs_dir_entry(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				void *u)
{
	struct wasi2 *w = u;
	struct w2_entry *e = w2_get(w, &a[0], W2_DIRSTREAM);
	uint32_t len = 0;
	wr_cval opt;
	int r;

	(void)n;
	if (!e)
		return wr_ccall_trap(call, "wasi 0.2: not a directory-entry-stream");
	r = dir_next(w, e, &len);
	if (r < 0)
		return fs_fail(w, call, res, r == -1 ? -1 : -2 - r);
	opt = cv_agg(WR_C_OPTION, r, (uint32_t)r);
	if (r) {
		if (cv_oom(&opt))
			return w2_nomem(call);
		opt.of.elems[0] = cv_agg(WR_C_RECORD, 0, 2);
		if (cv_oom(&opt.of.elems[0])) {
			wr_cval_free(&opt);
			return w2_nomem(call);
		}
		opt.of.elems[0].of.elems[0] = fs_type(*w2_mem(w, W2_BUF + 20));
		opt.of.elems[0].of.elems[1] = cv_str((const char *)w2_mem(w, W2_BUF + 24), len);
	}
	*res = cv_ok(&opt);
	return WR_OK;
}

/* ---- errors, preopens ---- */

static wr_trapkind fs_error_code(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res,
				 void *u)
{
	struct w2_entry *e = w2_get(u, &a[0], W2_ERROR);
	wr_cval c = cv_u(WR_C_ENUM, 0);

	(void)n;
	if (!e)
		return wr_ccall_trap(call, "wasi 0.2: not an error");
	c.tag = w2_code((int)e->off);
	*res = cv_agg(WR_C_OPTION, 1, 1);
	if (cv_oom(res))
		return w2_nomem(call);
	res->of.elems[0] = c;
	return WR_OK;
}

/* One preopen (fd) as tuple<own<descriptor>, string>; 0, 1 none, or -1. */
static int preopen(struct wasi2 *w, uint32_t fd, wr_cval *t)
{
	uint64_t a[3] = { fd, W2_OUT, 0 };
	uint32_t len, rep;
	int r = w2_p1(w, WASI_FN_fd_prestat_get, a);

	if (r < 0)
		return -1;
	if (r > 0)
		return 1;
	len = w2_u32(w, W2_OUT + 4);
	if (len > WASI_PATH_MAX)
		return 1;
	a[1] = W2_BUF;
	a[2] = len;
	if ((r = w2_p1(w, WASI_FN_fd_prestat_dir_name, a)) != 0)
		return r < 0 ? -1 : 1;
	if ((rep = fs_new_desc(w, fd, true)) == UINT32_MAX)
		return 1;
	*t = cv_agg(WR_C_TUPLE, 0, 2);
	if (cv_oom(t))
		return -2;
	t->of.elems[0] = cv_own(w, W2_DESC, rep);
	t->of.elems[1] = cv_str((const char *)w2_mem(w, W2_BUF), len);
	return 0;
}

static wr_trapkind get_dirs(wr_ccall *call, const wr_cval *a, size_t n, wr_cval *res, void *u)
{
	struct wasi2 *w = u;
	wr_cval t;
	int r;

	(void)a;
	(void)n;
	*res = cv_agg(WR_C_LIST, 0, 64);
	if (cv_oom(res))
		return w2_nomem(call);
	res->len = 0;
	for (uint32_t fd = 3; fd < 3 + 64; fd++) {
		r = preopen(w, fd, &t);
		if (r == -1)
			return w2_pass(w, call);
		if (r == -2)
			return w2_nomem(call);
		if (r == 1)
			break;
		res->of.elems[res->len++] = t;
	}
	return WR_OK;
}

static const struct w2_def w2_fs[] = {
	{ "[method]descriptor.read-via-stream", fs_read_stream },
	{ "[method]descriptor.write-via-stream", fs_write_stream },
	{ "[method]descriptor.append-via-stream", fs_append_stream },
	{ "[method]descriptor.advise", fs_advise },
	{ "[method]descriptor.sync-data", fs_sync_data },
	{ "[method]descriptor.get-flags", fs_get_flags },
	{ "[method]descriptor.get-type", fs_get_type },
	{ "[method]descriptor.set-size", fs_set_size },
	{ "[method]descriptor.set-times", fs_set_times },
	{ "[method]descriptor.read", fs_read },
	{ "[method]descriptor.write", fs_write },
	{ "[method]descriptor.read-directory", fs_readdir },
	{ "[method]descriptor.sync", fs_sync },
	{ "[method]descriptor.create-directory-at", fs_mkdir },
	{ "[method]descriptor.stat", fs_stat },
	{ "[method]descriptor.stat-at", fs_stat_at },
	{ "[method]descriptor.set-times-at", fs_set_times_at },
	{ "[method]descriptor.link-at", fs_link },
	{ "[method]descriptor.open-at", fs_open_at },
	{ "[method]descriptor.readlink-at", fs_readlink },
	{ "[method]descriptor.remove-directory-at", fs_rmdir },
	{ "[method]descriptor.rename-at", fs_rename },
	{ "[method]descriptor.symlink-at", fs_symlink },
	{ "[method]descriptor.unlink-file-at", fs_unlink },
	{ "[method]descriptor.is-same-object", fs_same },
	{ "[method]descriptor.metadata-hash", fs_hash },
	{ "[method]descriptor.metadata-hash-at", fs_hash_at },
	{ "[method]directory-entry-stream.read-directory-entry", fs_dir_entry },
	{ "filesystem-error-code", fs_error_code },
};

bool w2_define_fs(struct wasi2 *w, wr_clinker *l)
{
	static const struct w2_def pre[] = { { "get-directories", get_dirs } };

	return w2_define(l, FS_TYPES, w2_fs, sizeof(w2_fs) / sizeof(w2_fs[0]), w) &&
	       w2_define(l, "wasi:filesystem/preopens" W2_VER, pre, 1, w);
}
