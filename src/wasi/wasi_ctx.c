/*
 * wasi_ctx.c: the WASI context (arguments, environment, handle table) and
 * the dispatch of a call by number. Nothing here depends on the engine:
 * the broker links this code without it.
 */
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi_impl.h"

/* ---- names and signatures, from the one table ---- */

static const struct {
	const char *name, *sig;
} wasi_fns[WASI_FN__COUNT] = {
#define WASI_X(n, s) [WASI_FN_##n] = { #n, s },
#include "wasi/wasi_fns.h"
#undef WASI_X
};

const char *wasi_fn_name(unsigned fn)
{
	return fn < WASI_FN__COUNT ? wasi_fns[fn].name : NULL;
}

const char *wasi_fn_sig(unsigned fn)
{
	return fn < WASI_FN__COUNT ? wasi_fns[fn].sig : NULL;
}

int wasi_fn_lookup(const char *name, size_t len)
{
	for (unsigned i = 0; i < WASI_FN__P1; i++)
		if (strlen(wasi_fns[i].name) == len && memcmp(wasi_fns[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

bool wasi_is_wasi_module(const char *module, size_t len)
{
	static const char want[] = "wasi_snapshot_preview1";

	return len == sizeof(want) - 1 && memcmp(module, want, len) == 0;
}

const char *wasi_fn_module(unsigned fn)
{
	return fn < WASI_FN__P1 ? "wasi_snapshot_preview1" : fn < WASI_FN__RES ? "wrun:net"
										  : "wrun:res";
}

int wasi_fn_find(const char *module, size_t mlen, const char *name, size_t len, bool ext)
{
	if (wasi_is_wasi_module(module, mlen))
		return wasi_fn_lookup(name, len);
	if (!ext)
		return -1;
	for (unsigned i = WASI_FN__P1; i < WASI_FN__COUNT; i++)
		if (strlen(wasi_fns[i].name) == len && memcmp(wasi_fns[i].name, name, len) == 0 &&
		    strlen(wasi_fn_module(i)) == mlen && memcmp(wasi_fn_module(i), module, mlen) == 0)
			return (int)i;
	return -1;
}

/* ---- the handle table ---- */

wasi_fd *wasi_fd_get(wasi_ctx *c, uint32_t fd, uint64_t rights, int *err)
{
	wasi_fd *f;

	if (fd >= c->nfds || c->fds[fd].host < 0) {
		*err = WASI_EBADF;
		return NULL;
	}
	f = &c->fds[fd];
	if ((f->base & rights) != rights) {
		*err = WASI_ENOTCAPABLE;
		return NULL;
	}
	return f;
}

int wasi_fd_slot(wasi_ctx *c, uint32_t *out)
{
	uint32_t i;

	for (i = 0; i < c->nfds && c->fds[i].host >= 0; i++)
		;
	if (i >= WASI_MAX_FDS)
		return WASI_EMFILE;
	if (i == c->nfds)
		c->nfds++;
	*out = i;
	return WASI_ESUCCESS;
}

/* Put host into the lowest free slot. */
int wasi_fd_install(wasi_ctx *c, int host, uint8_t type, uint64_t base, uint64_t inh,
		    uint32_t *out)
{
	if (wasi_fd_slot(c, out) != WASI_ESUCCESS) {
		c->io->close(c->io, host);
		return WASI_EMFILE;
	}
	c->fds[*out] = (wasi_fd){ .host = host, .dirstream = -1, .type = type,
				  .base = base, .inh = inh };
	return WASI_ESUCCESS;
}

void wasi_fd_release(wasi_ctx *c, wasi_fd *f)
{
	if (f->dirstream >= 0)
		c->io->close(c->io, f->dirstream);
	if (f->role == WASI_ROLE_DESC)
		c->io->close(c->io, f->host);
	else if (c->fds[f->parent].nchild)
		c->fds[f->parent].nchild--;
	free(f->preopen);
	*f = (wasi_fd){ .host = -1, .dirstream = -1 };
	while (c->nfds > 0 && c->fds[c->nfds - 1].host < 0)
		c->nfds--;
}

uint8_t wasi_filetype(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return WASI_FT_REG;
	case S_IFDIR: return WASI_FT_DIR;
	case S_IFCHR: return WASI_FT_CHAR;
	case S_IFBLK: return WASI_FT_BLOCK;
	case S_IFLNK: return WASI_FT_SYMLINK;
	case S_IFSOCK: return WASI_FT_STREAM;
	default: return WASI_FT_UNKNOWN;
	}
}

uint64_t wasi_type_rights(uint8_t type)
{
	switch (type) {
	case WASI_FT_REG: return R_FILE;
	case WASI_FT_DIR: return R_DIR;
	case WASI_FT_STREAM: return R_SOCKET;
	default: return R_STREAM;
	}
}

/* ---- setting up ---- */

static void wasi_free_strings(char **v, uint32_t n);

/* Copy a string vector and count the bytes of its strings with NULs.
 * NULL, with nothing left allocated, if memory runs out or the strings
 * would not fit the 32-bit sizes of the ABI. */
static char **wasi_copy_strings(char *const *v, uint32_t n, uint32_t *size)
{
	char **out = calloc(n + 1, sizeof(*out));
	uint64_t total = 0;

	for (uint32_t i = 0; out && i < n; i++) {
		total += strlen(v[i]) + 1;
		if (total > UINT32_MAX || !(out[i] = strdup(v[i]))) {
			wasi_free_strings(out, n);
			return NULL;
		}
	}
	if (out)
		*size = (uint32_t)total;
	return out;
}

/*
 * Describe the host's stdio descriptor 0, 1 or 2 as guest fd n. It is
 * duplicated so that a guest closing it leaves wrun's own stdio alone; the
 * copy shares the caller's open file description, so the entry is marked
 * shared and its status flags stay as the caller set them. Rights: R_STDIO
 * and the one direction. The filetype is the host's, except for a
 * character device that is not a terminal (/dev/null): without the seek
 * and tell rights the guest's libc would take it for one (wasi-libc's
 * isatty is "character device, no seek, no tell"), so it is reported as
 * unknown, as wasmtime reports every standard stream that is not a tty.
 */
static void wasi_setup_stdio(wasi_ctx *c, int n)
{
	struct stat st;
	int fd = fcntl(n, F_DUPFD_CLOEXEC, 3);
	uint8_t type;

	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return;
	}
	type = wasi_filetype(st.st_mode);
	if (type == WASI_FT_CHAR && !isatty(fd))
		type = WASI_FT_UNKNOWN;
	c->fds[n] = (wasi_fd){ .host = fd, .dirstream = -1, .type = type, .shared = true,
			       .base = R_STDIO | (n == 0 ? R_FD_READ : R_FD_WRITE),
			       .quota = n > 0 && c->out_quota.max ? &c->out_quota : NULL,
			       .inh = 0 };
}

/* Open a --dir grant as the next preopened handle. */
static bool wasi_setup_dir(wasi_ctx *c, const wasi_dir *d, char *err, size_t errlen)
{
	int fd = open(d->host, O_PATH | O_DIRECTORY | O_CLOEXEC);
	uint32_t n;

	if (fd < 0) {
		snprintf(err, errlen, "--dir %s: %s", d->host, strerror(errno));
		return false;
	}
	if (wasi_fd_install(c, fd, WASI_FT_DIR, R_DIR, R_DIR | R_FILE, &n) != 0 ||
	    !(c->fds[n].preopen = strdup(d->guest))) {
		snprintf(err, errlen, "--dir %s: too many handles", d->host);
		return false;
	}
	return true;
}

/*
 * The address of --tcplisten HOST:PORT: HOST is an IPv4 address, an IPv6
 * address in brackets, or "localhost" (127.0.0.1); PORT is 0..65535.  No
 * name service is asked: what is bound is exactly what the command says.
 */
static bool wasi_listen_addr(const char *spec, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	const char *colon = strrchr(spec, ':');
	size_t hl = colon ? (size_t)(colon - spec) : 0;
	char host[64], *end;
	unsigned long port;

	if (!colon || hl == 0 || hl >= sizeof(host) || colon[1] < '0' || colon[1] > '9')
		return false;
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || *end || port > 65535)
		return false;
	memset(ss, 0, sizeof(*ss));
	if (spec[0] == '[' && hl > 2 && spec[hl - 1] == ']') {
		snprintf(host, sizeof(host), "%.*s", (int)hl - 2, spec + 1);
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*v6);
		return inet_pton(AF_INET6, host, &v6->sin6_addr) == 1;
	}
	snprintf(host, sizeof(host), "%.*s", (int)hl, spec);
	v4->sin_family = AF_INET;
	v4->sin_port = htons((uint16_t)port);
	*len = sizeof(*v4);
	if (strcmp(host, "localhost") == 0)
		return inet_pton(AF_INET, "127.0.0.1", &v4->sin_addr) == 1;
	return inet_pton(AF_INET, host, &v4->sin_addr) == 1;
}

/* Open a listening TCP socket for --tcplisten HOST:PORT ([v6]:PORT too). */
static bool wasi_setup_listen(wasi_ctx *c, const char *spec, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = -1, one = 1;
	uint32_t n;

	if (!wasi_listen_addr(spec, &ss, &len)) {
		snprintf(err, errlen, "--tcplisten %s: expected ADDRESS:PORT (an IPv4 address, "
			 "[IPv6] or localhost, and a port)", spec);
		return false;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 128) < 0) {
		snprintf(err, errlen, "--tcplisten %s: %s", spec, strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	if (wasi_fd_install(c, fd, WASI_FT_STREAM, R_LISTENER, R_SOCKET, &n) != 0) {
		snprintf(err, errlen, "--tcplisten %s: too many handles", spec);
		return false;
	}
	return true;
}

/* Fill a new context from the configuration. */
static bool wasi_setup(wasi_ctx *c, const wasi_config *cfg, char *err, size_t errlen)
{
	c->argc = (uint32_t)cfg->argc;
	c->nenv = (uint32_t)cfg->nenv;
	c->argv = wasi_copy_strings(cfg->argv, c->argc, &c->argv_size);
	c->env = wasi_copy_strings(cfg->env, c->nenv, &c->env_size);
	c->fds = calloc(WASI_MAX_FDS, sizeof(*c->fds));
	c->dents = malloc(WASI_DENTS_SIZE);
	if (!c->argv || !c->env || !c->fds || !c->dents) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	/* Only slots below nfds are ever read, and a slot is written whole
	 * before nfds grows past it, so the rest of the table stays untouched
	 * (and unfaulted) until it is used. */
	c->out_quota.max = cfg->max_output;
	c->max_open = cfg->max_open;
	c->net = cfg->net;
	c->nfds = 3;
	for (int i = 0; i < 3; i++) {
		c->fds[i] = (wasi_fd){ .host = -1, .dirstream = -1 };
		wasi_setup_stdio(c, i);
	}
	for (size_t i = 0; i < cfg->ndirs; i++)
		if (!wasi_setup_dir(c, &cfg->dirs[i], err, errlen))
			return false;
	for (size_t i = 0; i < cfg->nlisten; i++)
		if (!wasi_setup_listen(c, cfg->listen[i], err, errlen))
			return false;
	return true;
}

wasi_ctx *wasi_ctx_new(const wasi_config *cfg, char *err, size_t errlen)
{
	wasi_ctx *c = calloc(1, sizeof(*c));

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->io = cfg->io ? cfg->io : &wasi_io_sys;
	if (!wasi_setup(c, cfg, err, errlen)) {
		wasi_ctx_free(c);
		return NULL;
	}
	c->open_base = wasi_open_count(c);
	return c;
}

/* Free a string vector copied by wasi_copy_strings (NULL-terminated, or
 * cut short by a failed copy). */
static void wasi_free_strings(char **v, uint32_t n)
{
	for (uint32_t i = 0; v && i < n && v[i]; i++)
		free(v[i]);
	free(v);
}

void wasi_ctx_free(wasi_ctx *c)
{
	if (!c)
		return;
	/* derived handles first: each leaves its parent open until then */
	for (int pass = 0; pass < 2; pass++)
		for (uint32_t i = 0; c->fds && i < c->nfds; i++)
			if (c->fds[i].host >= 0 && (pass || c->fds[i].role != WASI_ROLE_DESC))
				wasi_fd_release(c, &c->fds[i]);
	free(c->fds);
	wasi_free_strings(c->argv, c->argc);
	wasi_free_strings(c->env, c->nenv);
	free(c->dents);
	free(c);
}

/* ---- calls ---- */

int wasi_call(wasi_ctx *c, unsigned fn, const uint64_t *a, uint8_t *mem, uint64_t memsize,
	      int *exit_code)
{
	wasi_mem m = { mem, mem ? memsize : 0 };
	int r;

	c->moved = 0;
	c->limit = WASI_LIMIT_NONE;
	switch (fn) {
#define WASI_X(n, s)                              \
	case WASI_FN_##n:                         \
		r = wasi_p1_##n(c, &m, a);        \
		break;
#include "wasi/wasi_fns.h"
#undef WASI_X
	default:
		return WASI_ENOSYS;
	}
	if (r == WASI_CALL_EXIT)
		*exit_code = c->exit_code;
	else if (c->max_open && wasi_open_count(c) > c->open_base + c->max_open)
		c->limit = WASI_LIMIT_OPEN;
	return c->limit != WASI_LIMIT_NONE ? WASI_CALL_LIMIT : r;
}

enum wasi_limit wasi_limit_reached(const wasi_ctx *c)
{
	return c->limit;
}

uint64_t wasi_last_moved(const wasi_ctx *c)
{
	return c->moved;
}

uint32_t wasi_open_count(const wasi_ctx *c)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < c->nfds; i++)	/* derived handles hold no descriptor */
		n += c->fds[i].host >= 0 && c->fds[i].role == WASI_ROLE_DESC;
	return n;
}

int wasi_host_fd(const wasi_ctx *c, uint32_t fd)
{
	return fd < c->nfds ? c->fds[fd].host : -1;
}

uint32_t wasi_fd_end(const wasi_ctx *c)
{
	return c->nfds;
}

bool wasi_fd_is_preopen(const wasi_ctx *c, uint32_t fd)
{
	return fd < c->nfds && c->fds[fd].host >= 0 && c->fds[fd].preopen;
}
