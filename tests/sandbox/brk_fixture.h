/*
 * brk_fixture.h: a broker without a child, for the tests that drive its
 * request path directly (tests/fuzz/fuzz_broker.c, tests/alloc/brk_alloc_fail.c):
 * the channel mapped twice (the broker's side and a child's), a linear
 * memory memfd of BRKFX_LIMIT bytes, one preopened scratch directory, and
 * a WASI context whose stdio is /dev/null, on plain system calls.
 *
 * Header-only: each test is one program.
 */
#ifndef WRUN_BRK_FIXTURE_H
#define WRUN_BRK_FIXTURE_H

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "brk.h"
#include "sandbox.h"
#include "wasi/wasi.h"

#define BRKFX_PAGE 65536u
#define BRKFX_LIMIT (4ull * BRKFX_PAGE)	/* --max-memory of the broker */

struct brkfx {
	struct brk b;
	struct sbx_opts o;
	struct chan kid;		/* the child's view of the channel */
	char dir[64];
	wasi_dir dirs[1];
	char *argv[2];
};

/* A fresh WASI context whose stdio is /dev/null; false on failure. */
static inline bool brkfx_context(struct brkfx *f)
{
	/* TCP and UDP sockets (wrun:net) but not the network: sockets are
	 * made and configured, never bound, connected or sent from */
	wasi_config cfg = { .argc = 1, .argv = f->argv, .ndirs = 1, .dirs = f->dirs,
			    .io = &wasi_io_sys, .net = WASI_NET_TCP | WASI_NET_UDP };
	int saved[3], null = open("/dev/null", O_RDWR | O_CLOEXEC);
	char err[256];

	for (int i = 0; i < 3; i++) {
		saved[i] = dup(i);
		dup2(null, i);
	}
	f->b.ctx = wasi_ctx_new(&cfg, err, sizeof(err));
	for (int i = 0; i < 3; i++) {
		dup2(saved[i], i);
		close(saved[i]);
	}
	close(null);
	return f->b.ctx != NULL;
}

/* Everything but the context; false on failure. */
static inline bool brkfx_init(struct brkfx *f, const char *name)
{
	snprintf(f->dir, sizeof(f->dir), "/tmp/wrun-%s.XXXXXX", name);
	f->argv[0] = "test.wasm";
	f->argv[1] = NULL;
	if (!mkdtemp(f->dir))
		return false;
	f->dirs[0] = (wasi_dir){ f->dir, "." };
	sbx_opts_init(&f->o);
	f->b.o = &f->o;
	f->b.audit_fd = f->b.mod_fd = f->b.exe_fd = -1;
	f->b.child = (struct jail_child){ .pid = -1, .pidfd = -1, .report_fd = -1 };
	f->b.chan_fd = chan_create();
	if (f->b.chan_fd < 0 || chan_map(f->b.chan_fd, &f->b.chan) < 0 ||
	    chan_map(f->b.chan_fd, &f->kid) < 0)
		return false;
	brk_proto(&f->b);
	for (unsigned i = 0; i < SBX_NMEM; i++)
		if ((f->b.mem_fd[i] = memfd_create("test-memory", MFD_CLOEXEC)) < 0)
			return false;
	f->b.mem = mmap(NULL, SBX_MEM_MAX, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE,
			f->b.mem_fd[0], 0);
	f->b.mem_max = f->b.mem_max_more = BRKFX_LIMIT;
	f->b.be = &wasi_io_sys;
	return f->b.mem != MAP_FAILED && ftruncate(f->b.mem_fd[0], (off_t)BRKFX_LIMIT) == 0;
}

/* Remove one entry of the scratch tree (children first, not the top). */
static inline int brkfx_rm(const char *path, const struct stat *st, int flag,
			   struct FTW *ftw)
{
	(void)st;
	(void)flag;
	return ftw->level > 0 ? remove(path) : 0;
}

/* Empty the scratch directory (it stays). */
static inline void brkfx_clean(struct brkfx *f)
{
	nftw(f->dir, brkfx_rm, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
