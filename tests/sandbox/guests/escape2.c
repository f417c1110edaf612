/*
 * escape2.c: escapes that the WASI suite does not already try, run with
 * --dir box::. --dir other::other (see broker.sh for the tree).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../wasi/common.h"

#define RAW(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))

RAW(fd_write) int raw_fd_write(int fd, uint32_t iovs, uint32_t n, uint32_t nw);
RAW(fd_read) int raw_fd_read(int fd, uint32_t iovs, uint32_t n, uint32_t nr);
RAW(path_open) int raw_path_open(int fd, int dirflags, uint32_t path, uint32_t len,
				 int oflags, uint64_t base, uint64_t inh, int fdflags,
				 uint32_t out);
RAW(path_create_directory) int raw_mkdir(int fd, uint32_t path, uint32_t len);

/* A WASI errno as a name (the raw calls return it directly). */
static const char *werr(int e)
{
	switch (e) {
	case 0: return "OK";
	case 8: return "EBADF";
	case 21: return "EFAULT";
	case 28: return "EINVAL";
	case 37: return "ENAMETOOLONG";
	case 44: return "ENOENT";
	case 76: return "ENOTCAPABLE";
	default: return "E?";
	}
}

/* Raw calls with pointers and lengths past memory or wrapping at 2^32. */
static void raw_bounds(void)
{
	static uint32_t iov[2];
	static uint32_t out;
	uint32_t top = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;

	iov[0] = top - 4;
	iov[1] = 8;
	printf("write iovec array past memory: %s\n", werr(raw_fd_write(1, top - 4, 1, (uint32_t)&out)));
	printf("write iovec array wrapping: %s\n", werr(raw_fd_write(1, 0xfffffff8u, 2, (uint32_t)&out)));
	printf("write buffer past memory: %s\n", werr(raw_fd_write(1, (uint32_t)iov, 1, (uint32_t)&out)));
	iov[0] = 0xfffffff0u;
	iov[1] = 0x20;
	printf("write buffer wrapping: %s\n", werr(raw_fd_write(1, (uint32_t)iov, 1, (uint32_t)&out)));
	printf("read into wrapping buffer: %s\n", werr(raw_fd_read(0, (uint32_t)iov, 1, (uint32_t)&out)));
	printf("nwritten past memory: %s\n", werr(raw_fd_write(1, (uint32_t)iov, 0, top)));
	printf("path past memory: %s\n", werr(raw_mkdir(3, top - 2, 8)));
	printf("path wrapping: %s\n", werr(raw_mkdir(3, 0xfffffffcu, 8)));
	printf("path_open out past memory: %s\n",
	       werr(raw_path_open(3, 0, (uint32_t)"sub", 3, 0, 0, 0, 0, top)));
	printf("path_open bad handle: %s\n",
	       werr(raw_path_open(77, 0, (uint32_t)"sub", 3, 0, 0, 0, 0, (uint32_t)&out)));
}

int main(void)
{
	int fd;

	TRY("open /proc/self/root/etc/passwd", open("proc_root/etc/passwd", O_RDONLY));
	TRY("open loop", open("loop_a", O_RDONLY));
	TRY("creat through dangling abs", open("dangle_abs", O_CREAT | O_WRONLY, 0644));
	TRY("creat through dangling rel", open("dangle_rel", O_CREAT | O_WRONLY, 0644));
	TRY("hard link to outside via link", link("rel_out/secret", "stolen"));
	TRY("rename out with ../x", rename("sub/inside", "../x"));
	TRY("rename to other preopen", rename("sub/inside", "/other/moved"));
	TRY("moved file is there", access("/other/moved", F_OK));
	fd = open("sub/inside2", O_RDONLY);
	TRY("close", close(fd));
	TRY("read closed handle", read(fd, &fd, 1));
	TRY("write on read-only open", write(open("sub/inside2", O_RDONLY), "x", 1));
	fflush(stdout);
	raw_bounds();
	return 0;
}
