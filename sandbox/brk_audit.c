/*
 * brk_audit.c: --audit FILE, one JSON line per brokered call.
 *
 *   {"time":1732400000.123456,"fn":"path_open","fd":3,"path":"../x",
 *    "bytes":0,"errno":76,"denied":true}
 *
 * "time" is seconds since the epoch (CLOCK_REALTIME), "fd" the guest
 * handle the call names (absent when it names none), "path"/"path2" the
 * guest's path arguments as they were in its memory after the call
 * (escaped; cut at 255 bytes), "bytes" what the call moved, "errno" the
 * WASI errno answered (absent for the sandbox's own requests), "denied"
 * whether the answer was a refusal of authority.  Lines are written with
 * one write() each, so the log stays whole up to the last call even if
 * the broker is killed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "brk.h"
#include "sbx.h"
#include "wasi/wasi.h"

/* WASI errnos that mean "not allowed" rather than "went wrong". */
#define BRK_WASI_EACCES		2
#define BRK_WASI_EBADF		8
#define BRK_WASI_EPERM		63
#define BRK_WASI_ENOTCAPABLE	76

/* Where a function's handle and paths sit among its arguments. */
struct brk_argmap {
	int8_t fd;		/* handle argument, or -1 */
	int8_t path, path2;	/* (ptr, len) pairs start here, or -1 */
};

/* Handle in argument 0 unless listed; paths for the path_* functions. */
static struct brk_argmap brk_audit_map(unsigned fn)
{
	switch (fn) {
	case WASI_FN_args_get: case WASI_FN_args_sizes_get:
	case WASI_FN_environ_get: case WASI_FN_environ_sizes_get:
	case WASI_FN_clock_res_get: case WASI_FN_clock_time_get:
	case WASI_FN_poll_oneoff: case WASI_FN_proc_exit: case WASI_FN_proc_raise:
	case WASI_FN_sched_yield: case WASI_FN_random_get:
		return (struct brk_argmap){ -1, -1, -1 };
	case WASI_FN_path_create_directory: case WASI_FN_path_readlink:
	case WASI_FN_path_remove_directory: case WASI_FN_path_unlink_file:
		return (struct brk_argmap){ 0, 1, -1 };
	case WASI_FN_path_filestat_get: case WASI_FN_path_filestat_set_times:
	case WASI_FN_path_open:
		return (struct brk_argmap){ 0, 2, -1 };
	case WASI_FN_path_link:
		return (struct brk_argmap){ 0, 2, 5 };
	case WASI_FN_path_rename:
		return (struct brk_argmap){ 0, 1, 4 };
	case WASI_FN_path_symlink:
		return (struct brk_argmap){ 2, 0, 3 };
	default:
		return (struct brk_argmap){ 0, -1, -1 };
	}
}

/* Copy a guest path (ptr, len) for the log, bounded and checked. */
static const char *brk_audit_path(const uint64_t *a, int at, const uint8_t *mem,
				  uint64_t size, char *out, size_t outlen)
{
	uint64_t ptr, len;

	if (at < 0)
		return NULL;
	ptr = (uint32_t)a[at];
	len = (uint32_t)a[at + 1];
	if (!mem || ptr > size || len > size - ptr)
		return "<outside memory>";
	if (len >= outlen)
		len = outlen - 1;
	memcpy(out, mem + ptr, len);
	out[len] = 0;
	return out;
}

/*
 * Fill the handle and paths of r for WASI call fn with raw arguments a.
 * p1 and p2 (plen bytes each) receive the paths.
 */
void brk_audit_args(unsigned fn, const uint64_t *a, const uint8_t *mem, uint64_t size,
		    struct brk_audit_rec *r, char *p1, char *p2, size_t plen)
{
	struct brk_argmap m = brk_audit_map(fn);

	r->handle = m.fd < 0 ? -1 : (int64_t)(uint32_t)a[m.fd];
	r->path = brk_audit_path(a, m.path, mem, size, p1, plen);
	r->path2 = brk_audit_path(a, m.path2, mem, size, p2, plen);
}

bool brk_audit_denial(int wasi_err)
{
	return wasi_err == BRK_WASI_ENOTCAPABLE || wasi_err == BRK_WASI_EPERM ||
	       wasi_err == BRK_WASI_EACCES || wasi_err == BRK_WASI_EBADF;
}

/* Append s to buf[*n..] as a JSON string, escaping everything unusual. */
static void brk_json_str(char *buf, size_t size, size_t *n, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	for (; *s && *n + 8 < size; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\') {
			buf[(*n)++] = '\\';
			buf[(*n)++] = (char)ch;
		} else if (ch < 0x20 || ch >= 0x7f) {
			*n += (size_t)snprintf(buf + *n, size - *n, "\\u00%c%c",
					       hex[ch >> 4], hex[ch & 15]);
		} else {
			buf[(*n)++] = (char)ch;
		}
	}
}

/* Append a formatted piece, never past the buffer. */
#define BRK_PUT(buf, n, ...) do {						\
	int k_ = snprintf((buf) + (n), sizeof(buf) - (n), __VA_ARGS__);	\
	if (k_ > 0)								\
		(n) = (n) + (size_t)k_ < sizeof(buf) ? (n) + (size_t)k_ : sizeof(buf) - 1; \
} while (0)

/* Append ,"key":"escaped" when s is set. */
static void brk_json_field(char *buf, size_t size, size_t *n, const char *key, const char *s)
{
	if (!s || *n + 16 + strlen(key) >= size)
		return;
	*n += (size_t)snprintf(buf + *n, size - *n, ",\"%s\":\"", key);
	brk_json_str(buf, size, n, s);
	if (*n + 2 < size)
		buf[(*n)++] = '"';
}

/* Write one record as one line. */
void brk_audit_write(int fd, const struct brk_audit_rec *r)
{
	char buf[1024];
	struct timespec ts;
	size_t n = 0;

	if (fd < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	BRK_PUT(buf, n, "{\"time\":%lld.%06ld,\"fn\":\"%s\"", (long long)ts.tv_sec,
		ts.tv_nsec / 1000, r->fn);
	if (r->handle >= 0)
		BRK_PUT(buf, n, ",\"fd\":%lld", (long long)r->handle);
	brk_json_field(buf, sizeof(buf), &n, "path", r->path);
	brk_json_field(buf, sizeof(buf), &n, "path2", r->path2);
	BRK_PUT(buf, n, ",\"bytes\":%llu", (unsigned long long)r->bytes);
	if (r->err >= 0)
		BRK_PUT(buf, n, ",\"errno\":%d", r->err);
	BRK_PUT(buf, n, ",\"denied\":%s}\n", r->denied ? "true" : "false");
	if (buf[n - 1] != '\n') {	/* cut short: keep the line valid-ish */
		buf[n - 1] = '\n';
	}
	SBX_RETRY(write(fd, buf, n));
}

/* Open (create or truncate) the log; -errno on failure. */
int brk_audit_open(const char *path)
{
	int fd = SBX_RETRY(open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC,
				0600));

	return fd < 0 ? -errno : fd;
}
