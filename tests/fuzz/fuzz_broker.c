/*
 * fuzz_broker.c: a libFuzzer target for the broker's request path, the
 * code most exposed in the threat model: a hostile child controls the
 * channel page and every byte of linear memory.
 *
 *   make fuzz-broker    (FUZZ_SECONDS bounds the run)
 *
 * Each input is one request as a child would send it, with the memory it
 * points into:
 *   byte 0        the function number (WASI functions and the sandbox's
 *                 own: resize, size, done), taken modulo their count
 *   byte 1        how many arguments the request claims (0..15)
 *   bytes 2..9    the memory size the broker granted, in pages (mod 5)
 *   then 8 bytes per argument, then the memory image
 * The broker (one preopened scratch directory, stdio on /dev/null, no
 * child) accepts, checks, executes and answers it with brk_take(), as in
 * a real run.  Beyond sanitizer findings it checks that the broker never
 * grants memory past its limit and that a request ends with an answer or
 * with the run ended.  poll_oneoff is left out: a subscription may wait
 * for as long as the input says, which only makes the fuzzer slow.
 */
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "brk.h"
#include "sandbox.h"
#include "wasi/wasi.h"

#define FZ_PAGE 65536u
#define FZ_LIMIT (4ull * FZ_PAGE)	/* --max-memory of the fuzzed broker */

static struct brk fz_b;
static struct sbx_opts fz_o;
static struct chan fz_kid;
static char fz_dir[64] = "/tmp/wrun-fuzz-broker.XXXXXX";
static char *fz_argv[] = { "fuzz.wasm", NULL };
static wasi_dir fz_dirs[1];

/* A fresh WASI context whose stdio is /dev/null (the fuzzer owns ours). */
static void fz_context(void)
{
	wasi_config cfg = { .argc = 1, .argv = fz_argv, .ndirs = 1, .dirs = fz_dirs,
			    .io = &wasi_io_sys };
	int saved[3], null = open("/dev/null", O_RDWR | O_CLOEXEC);
	char err[256];

	for (int i = 0; i < 3; i++) {
		saved[i] = dup(i);
		dup2(null, i);
	}
	fz_b.ctx = wasi_ctx_new(&cfg, err, sizeof(err));
	for (int i = 0; i < 3; i++) {
		dup2(saved[i], i);
		close(saved[i]);
	}
	close(null);
	if (!fz_b.ctx)
		abort();
	
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!mkdtemp(fz_dir))
		abort();
	fz_dirs[0] = (wasi_dir){ fz_dir, "." };
	sbx_opts_init(&fz_o);
	fz_b.o = &fz_o;
	fz_b.audit_fd = fz_b.mod_fd = fz_b.exe_fd = -1;
	fz_b.child = (struct jail_child){ .pid = -1, .pidfd = -1, .report_fd = -1 };
	fz_b.chan_fd = chan_create();
	if (fz_b.chan_fd < 0 || chan_map(fz_b.chan_fd, &fz_b.chan) < 0 ||
	    chan_map(fz_b.chan_fd, &fz_kid) < 0)
		abort();
	brk_proto(&fz_b);
	fz_b.mem_fd = memfd_create("fuzz-memory", MFD_CLOEXEC);
	fz_b.mem = mmap(NULL, SBX_MEM_MAX, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE,
			fz_b.mem_fd, 0);
	if (fz_b.mem_fd < 0 || fz_b.mem == MAP_FAILED ||
	    ftruncate(fz_b.mem_fd, (off_t)FZ_LIMIT) < 0)
		abort();
	fz_b.mem_max = FZ_LIMIT;
	fz_b.be = &wasi_io_sys;
	return 0;
}

/* Remove one entry of the scratch tree (children first). */
static int fz_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	return ftw->level > 0 ? remove(path) : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t args[16] = { 0 };
	unsigned fn, nargs;
	int64_t ans;

	if (size < 10)
		return 0;
	fn = data[0] % SBX_FN__COUNT;
	nargs = data[1] % 16;
	if (fn == WASI_FN_poll_oneoff || size < 10 + 8u * nargs)
		return 0;
	fz_context();
	fz_b.mem_size = (data[2] % 5) * (uint64_t)FZ_PAGE;
	fz_b.done = false;
	memcpy(args, data + 10, 8u * nargs);
	memset(fz_b.mem, 0, FZ_LIMIT);
	memcpy(fz_b.mem, data + 10 + 8u * nargs,
	       size - 10 - 8u * nargs < FZ_LIMIT ? size - 10 - 8u * nargs : FZ_LIMIT);
	chan_send(&fz_kid, fn, args, nargs);
	if (brk_take(&fz_b) != 1)
		abort();
	if (!fz_b.done && !chan_answered(&fz_kid, &ans))
		abort();
	if (fz_b.mem_size > fz_b.mem_max)
		abort();
	if (ftruncate(fz_b.mem_fd, (off_t)FZ_LIMIT) < 0)	/* a resize may have cut it */
		abort();
	wasi_ctx_free(fz_b.ctx);
	fz_b.ctx = NULL;
	nftw(fz_dir, fz_rm, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
