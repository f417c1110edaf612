/*
 * wasi_mem.c: reading and writing guest linear memory.
 *
 * Every guest pointer and length is checked with wasi_mem_ok(), which
 * compares against the size without ever forming ptr + len. Arrays the
 * host acts on (iovecs, paths) are copied out once and checked on the copy,
 * so a guest (or another thread of one, or a compromised child sharing the
 * memory with the broker) cannot change them between check and use.
 */
#include <sys/uio.h>

#include "wasi_impl.h"

/* Store a u32 result at ptr. */
int wasi_store_u32(const wasi_mem *m, uint32_t ptr, uint32_t v)
{
	if (!wasi_mem_ok(m, ptr, 4))
		return WASI_EFAULT;
	wasi_put_u32(m->base + ptr, v);
	return WASI_ESUCCESS;
}

/* Store a u64 result at ptr. */
int wasi_store_u64(const wasi_mem *m, uint32_t ptr, uint64_t v)
{
	if (!wasi_mem_ok(m, ptr, 8))
		return WASI_EFAULT;
	wasi_put_u64(m->base + ptr, v);
	return WASI_ESUCCESS;
}

/* Copy the n (buf, len) pairs at ptr, then check each buffer on the copy
 * and turn it into a host iovec into linear memory. */
int wasi_iovecs(const wasi_mem *m, uint32_t ptr, uint32_t n, struct iovec *out)
{
	uint8_t raw[8];

	if (n > WASI_MAX_IOVS)
		return WASI_EINVAL;
	if (!wasi_mem_ok(m, ptr, (uint64_t)n * 8))
		return WASI_EFAULT;
	for (uint32_t i = 0; i < n; i++) {
		memcpy(raw, m->base + ptr + (uint64_t)i * 8, 8);
		uint32_t buf = wasi_get_u32(raw), len = wasi_get_u32(raw + 4);

		if (!wasi_mem_ok(m, buf, len))
			return WASI_EFAULT;
		out[i].iov_base = m->base + buf;
		out[i].iov_len = len;
	}
	return WASI_ESUCCESS;
}

/* Copy a path of len bytes at ptr into buf and terminate it. A path with a
 * NUL inside could never be spelled to the host: refuse it. */
int wasi_path_copy(const wasi_mem *m, uint32_t ptr, uint32_t len, char *buf)
{
	if (!wasi_mem_ok(m, ptr, len))
		return WASI_EFAULT;
	if (len > WASI_PATH_MAX)
		return WASI_ENAMETOOLONG;
	memcpy(buf, m->base + ptr, len);
	buf[len] = '\0';
	if (memchr(buf, '\0', len))
		return WASI_EINVAL;
	return WASI_ESUCCESS;
}
