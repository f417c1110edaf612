/*
 * wasi_impl.h: what the files of src/wasi/ share: the constants of the
 * preview1 definition, the handle table, the view of guest memory and its
 * checked accessors, and the prototypes of the 46 functions.
 */
#ifndef WRUN_WASI_IMPL_H
#define WRUN_WASI_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wasi/wasi.h"
#include "wasi/wasi_io.h"

/* filetype */
enum {
	WASI_FT_UNKNOWN = 0, WASI_FT_BLOCK = 1, WASI_FT_CHAR = 2, WASI_FT_DIR = 3,
	WASI_FT_REG = 4, WASI_FT_DGRAM = 5, WASI_FT_STREAM = 6, WASI_FT_SYMLINK = 7,
};

/* rights: bit n of the definition's list */
#define WASI_R(n) (1ull << (n))
#define R_FD_DATASYNC WASI_R(0)
#define R_FD_READ WASI_R(1)
#define R_FD_SEEK WASI_R(2)
#define R_FD_FDSTAT_SET_FLAGS WASI_R(3)
#define R_FD_SYNC WASI_R(4)
#define R_FD_TELL WASI_R(5)
#define R_FD_WRITE WASI_R(6)
#define R_FD_ADVISE WASI_R(7)
#define R_FD_ALLOCATE WASI_R(8)
#define R_PATH_CREATE_DIRECTORY WASI_R(9)
#define R_PATH_CREATE_FILE WASI_R(10)
#define R_PATH_LINK_SOURCE WASI_R(11)
#define R_PATH_LINK_TARGET WASI_R(12)
#define R_PATH_OPEN WASI_R(13)
#define R_FD_READDIR WASI_R(14)
#define R_PATH_READLINK WASI_R(15)
#define R_PATH_RENAME_SOURCE WASI_R(16)
#define R_PATH_RENAME_TARGET WASI_R(17)
#define R_PATH_FILESTAT_GET WASI_R(18)
#define R_PATH_FILESTAT_SET_SIZE WASI_R(19)
#define R_PATH_FILESTAT_SET_TIMES WASI_R(20)
#define R_FD_FILESTAT_GET WASI_R(21)
#define R_FD_FILESTAT_SET_SIZE WASI_R(22)
#define R_FD_FILESTAT_SET_TIMES WASI_R(23)
#define R_PATH_SYMLINK WASI_R(24)
#define R_PATH_REMOVE_DIRECTORY WASI_R(25)
#define R_PATH_UNLINK_FILE WASI_R(26)
#define R_POLL_FD_READWRITE WASI_R(27)
#define R_SOCK_SHUTDOWN WASI_R(28)
#define R_SOCK_ACCEPT WASI_R(29)
#define R_ALL (WASI_R(30) - 1)

/* What applies to each kind of handle. */
#define R_FILE (R_FD_DATASYNC | R_FD_READ | R_FD_SEEK | R_FD_FDSTAT_SET_FLAGS | R_FD_SYNC | \
		R_FD_TELL | R_FD_WRITE | R_FD_ADVISE | R_FD_ALLOCATE | R_FD_FILESTAT_GET |  \
		R_FD_FILESTAT_SET_SIZE | R_FD_FILESTAT_SET_TIMES | R_POLL_FD_READWRITE)
#define R_DIR (R_FD_FDSTAT_SET_FLAGS | R_FD_SYNC | R_FD_DATASYNC | R_FD_ADVISE |          \
	       R_PATH_CREATE_DIRECTORY | R_PATH_CREATE_FILE | R_PATH_LINK_SOURCE |         \
	       R_PATH_LINK_TARGET | R_PATH_OPEN | R_FD_READDIR | R_PATH_READLINK |         \
	       R_PATH_RENAME_SOURCE | R_PATH_RENAME_TARGET | R_PATH_FILESTAT_GET |         \
	       R_PATH_FILESTAT_SET_SIZE | R_PATH_FILESTAT_SET_TIMES | R_FD_FILESTAT_GET |  \
	       R_FD_FILESTAT_SET_TIMES | R_PATH_SYMLINK | R_PATH_REMOVE_DIRECTORY |        \
	       R_PATH_UNLINK_FILE)
#define R_STREAM (R_FD_READ | R_FD_WRITE | R_FD_FDSTAT_SET_FLAGS | R_FD_FILESTAT_GET |    \
		  R_POLL_FD_READWRITE | R_FD_SEEK | R_FD_TELL)
#define R_SOCKET (R_FD_READ | R_FD_WRITE | R_FD_FDSTAT_SET_FLAGS | R_FD_FILESTAT_GET |    \
		  R_POLL_FD_READWRITE | R_SOCK_SHUTDOWN)
#define R_LISTENER (R_FD_FDSTAT_SET_FLAGS | R_FD_FILESTAT_GET | R_POLL_FD_READWRITE |     \
		    R_SOCK_ACCEPT)
/* The standard streams, with R_FD_READ (0) or R_FD_WRITE (1, 2) added: a
 * stream, whatever the host descriptor is.  The file behind `>> app.log`
 * belongs to the caller: no seek or tell (writes go where the caller's
 * description says), no size, times, allocation, advice or sync.  What is
 * left reads nothing the caller did not hand over (fd_filestat_get) and
 * changes nothing outside the run (fd_fdstat_set_flags is emulated). */
#define R_STDIO (R_FD_FDSTAT_SET_FLAGS | R_FD_FILESTAT_GET | R_POLL_FD_READWRITE)

/* fdflags, oflags, lookupflags, fstflags */
#define WASI_FDFLAG_APPEND 1u
#define WASI_FDFLAG_DSYNC 2u
#define WASI_FDFLAG_NONBLOCK 4u
#define WASI_FDFLAG_RSYNC 8u
#define WASI_FDFLAG_SYNC 16u
#define WASI_O_CREAT 1u
#define WASI_O_DIRECTORY 2u
#define WASI_O_EXCL 4u
#define WASI_O_TRUNC 8u
#define WASI_LOOKUP_SYMLINK_FOLLOW 1u
#define WASI_FST_ATIM 1u
#define WASI_FST_ATIM_NOW 2u
#define WASI_FST_MTIM 4u
#define WASI_FST_MTIM_NOW 8u

/* ---- the handle table ---- */

#define WASI_MAX_IOVS 1024u   /* iovecs in one call (IOV_MAX) */
#define WASI_DENTS_SIZE 32768u /* host buffer for one getdents64 */

/* One guest handle. A free slot has host < 0. */
typedef struct wasi_fd {
	int host;          /* the host descriptor (O_PATH for preopened dirs);
			      a derived handle's is its parent's, not its own */
	int dirstream;     /* readable descriptor for fd_readdir on an O_PATH dir, or -1 */
	uint8_t type;      /* WASI filetype */
	bool shared;       /* the host's open file description is shared with
			      other processes (stdio): its status flags are
			      never changed, the guest's are kept here */
	bool nonblock;     /* shared: the guest set NONBLOCK (see wasi_io.h) */
	bool net;          /* a socket of wrun:net (net_socket, or accepted from
			      one): non-blocking, and the only kind the net_*
			      functions act on */
	struct wasi_quota *quota; /* writes are charged to it (stdout, stderr), or NULL */
	uint64_t base, inh;
	char *preopen;     /* guest name of a preopened directory, else NULL */
	uint8_t role;      /* enum wasi_role: a descriptor, or a derived handle */
	uint32_t parent;   /* a derived handle: the handle it was made from */
	uint32_t nchild;   /* derived handles made from this one and open */
} wasi_fd;

/* A byte budget the handles that point at it share (--max-output: the
 * guest's stdout and stderr together).  max 0: no budget. */
typedef struct wasi_quota {
	uint64_t used, max;
} wasi_quota;

/* What an in-process host function needs to find its call. */
typedef struct wasi_binding {
	struct wasi_ctx *ctx;
	unsigned fn;
} wasi_binding;

struct wasi_ctx {
	const wasi_backend *io;
	wasi_fd *fds;
	uint32_t nfds;          /* slots in use or free below this index */
	char **argv, **env;     /* copies, NUL-terminated strings */
	uint32_t argc, nenv;
	uint32_t argv_size, env_size; /* bytes of all strings with their NULs */
	uint8_t *dents;         /* getdents64 buffer */
	int exit_code;          /* set by proc_exit / proc_raise */
	uint64_t moved;         /* bytes the current call read or wrote */
	wasi_quota out_quota;   /* --max-output, drawn on by fds 1 and 2 */
	uint32_t max_open;      /* --max-open: handles beyond open_base; 0: none */
	uint32_t open_base;     /* handles open when the run began */
	enum wasi_limit limit;  /* a limit the current call reached */
	unsigned net;           /* network grants, WASI_NET_* */
	wasi_binding binds[WASI_FN__COUNT];
};

/* A view of the guest's linear memory for one call. Never kept across
 * calls: the memory can grow (move, in another process) between them. */
typedef struct wasi_mem {
	uint8_t *base;
	uint64_t size;
} wasi_mem;

/* Raw arguments: i32 values sit in the low 32 bits of their slot. */
#define A32(i) ((uint32_t)a[i])
#define A64(i) (a[i])

/* ---- wasi_mem.c ---- */

/* True if [ptr, ptr + len) lies inside memory (no wrapping possible). */
static inline bool wasi_mem_ok(const wasi_mem *m, uint64_t ptr, uint64_t len)
{
	return ptr <= m->size && len <= m->size - ptr;
}

/* Little-endian stores and loads at a checked guest address. */
static inline void wasi_put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void wasi_put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void wasi_put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint16_t wasi_get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t wasi_get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t wasi_get_u64(const uint8_t *p)
{
	return (uint64_t)wasi_get_u32(p) | (uint64_t)wasi_get_u32(p + 4) << 32;
}

/* Store a u32/u64 result at a guest address; WASI_EFAULT if out of range. */
int wasi_store_u32(const wasi_mem *m, uint32_t ptr, uint32_t v);
int wasi_store_u64(const wasi_mem *m, uint32_t ptr, uint64_t v);
/* Copy an iovec array out of guest memory once, check every buffer and
 * build host iovecs into out[] (room for WASI_MAX_IOVS). */
int wasi_iovecs(const wasi_mem *m, uint32_t ptr, uint32_t n, struct iovec *out);
/* Copy a path out of guest memory into buf (WASI_PATH_MAX + 1 bytes),
 * NUL-terminated; refuses embedded NULs and over-long paths. */
int wasi_path_copy(const wasi_mem *m, uint32_t ptr, uint32_t len, char *buf);

/* ---- wasi_fd.c ---- */

/* Write iov to f, a handle with a byte budget (f->quota): cut to the room
 * left and charged with what was written; sets c->limit when the budget
 * is full and the guest wanted more. */
ssize_t wasi_quota_write(wasi_ctx *c, wasi_fd *f, const struct iovec *iov, int n);

/* ---- wasi_sock.c ---- */

/* sock_recv and sock_send, and wrun:net's recvfrom and sendto: one
 * message on socket handle fd (with `rights`) through the iovecs at
 * (iovs, n); addr/alen the peer's address (to send to, or room for the
 * sender's), or NULL.  Bytes moved, or -(WASI errno). */
struct sockaddr;
int64_t wasi_sock_msg(wasi_ctx *c, const wasi_mem *m, uint32_t fd, bool recv,
		      const struct iovec *iov, uint32_t n, int flags, struct sockaddr *addr,
		      uint32_t *alen, uint16_t *roflags);

/* ---- wasi_errno.c ---- */

/* WASI errno for a negative (or positive) host errno. */
int wasi_errno(int host_err);
/* Same, for a result that is >= 0 on success: 0 or the WASI errno. */
static inline int wasi_err(long r)
{
	return r < 0 ? wasi_errno((int)-r) : WASI_ESUCCESS;
}

/* ---- wasi_ctx.c: the handle table ---- */

/* The entry for guest fd `fd` if it is open and holds all of `rights`;
 * else NULL with WASI_EBADF or WASI_ENOTCAPABLE in *err. */
wasi_fd *wasi_fd_get(wasi_ctx *c, uint32_t fd, uint64_t rights, int *err);
/* The lowest free slot, counted in nfds: it must be written whole before
 * the next call.  WASI_EMFILE when the table is full. */
int wasi_fd_slot(wasi_ctx *c, uint32_t *out);
/* Install a host descriptor as a new guest handle (lowest free number).
 * On failure closes host and returns WASI_EMFILE/ENOMEM. */
int wasi_fd_install(wasi_ctx *c, int host, uint8_t type, uint64_t base, uint64_t inh,
		    uint32_t *out);
/* Close the host side of an entry and free the slot (a derived handle
 * closes only what is its own and leaves its parent one child less). */
void wasi_fd_release(wasi_ctx *c, wasi_fd *f);
/* WASI filetype of a host stat mode. */
uint8_t wasi_filetype(unsigned mode);
/* Rights that make sense for a handle of this type. */
uint64_t wasi_type_rights(uint8_t type);
/* Convert a statx into a WASI filestat at a checked 64-byte guest area. */
struct statx;
void wasi_put_filestat(uint8_t *p, const struct statx *st);
/* utimensat times from WASI (atim, mtim, fstflags); WASI_EINVAL if bad. */
struct timespec;
int wasi_make_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2]);
/* Now on WASI clock `clock` (0 realtime, 1 monotonic, ...), in nanoseconds. */
uint64_t wasi_now_ns(wasi_ctx *c, int clock);

/* ---- the 46 functions ---- */
#define WASI_X(name, sig) int wasi_p1_##name(wasi_ctx *c, const wasi_mem *m, const uint64_t *a);
#include "wasi/wasi_fns.h"
#undef WASI_X

#endif
