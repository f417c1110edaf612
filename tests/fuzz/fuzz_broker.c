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
 *   byte 1        with its top bit set, how many arguments the request
 *                 claims (0..15); clear, the count the function takes
 *   bytes 2..9    the memory size the broker granted, in pages (mod 5)
 *   then 8 bytes per argument, then the memory image
 * The broker (one preopened scratch directory holding a directory "d" and
 * a file "f" open as handle 4, stdio on /dev/null, no child) accepts,
 * checks, executes and answers it with brk_take(), as in a real run.  Beyond sanitizer findings it checks that the broker never
 * grants memory past its limit and that a request ends with an answer or
 * with the run ended.  poll_oneoff is left out: a subscription may wait
 * for as long as the input says, which only makes the fuzzer slow.
 */
#include <string.h>

#include "brk_fixture.h"

static struct brkfx fz;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!brkfx_init(&fz, "fuzz-broker"))
		abort();
	return 0;
}

/* Before each request: a directory "d" and a file "f", open read-write as
 * handle 4, so requests on files and paths get past their first check. */
static void fz_furnish(void)
{
	uint64_t mk[3] = { 3, 0, 1 };
	uint64_t op[9] = { 3, 0, 0, 1, 1 /* O_CREAT */, 0x3fffffff, 0x3fffffff, 0, 16 };
	int code;

	fz.b.mem[0] = 'd';
	wasi_call(fz.b.ctx, WASI_FN_path_create_directory, mk, fz.b.mem, BRKFX_PAGE, &code);
	fz.b.mem[0] = 'f';
	wasi_call(fz.b.ctx, WASI_FN_path_open, op, fz.b.mem, BRKFX_PAGE, &code);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t args[16] = { 0 };
	unsigned fn, nargs;
	int64_t ans;

	if (size < 10)
		return 0;
	fn = data[0] % SBX_FN__COUNT;
	/* the count the function takes, unless the top bit asks for a wrong one */
	nargs = data[1] & 0x80 ? data[1] % 16 : fz.b.nargs[fn];
	if (fn == WASI_FN_poll_oneoff || size < 10 + 8u * nargs)
		return 0;
	if (!brkfx_context(&fz))
		abort();
	fz_furnish();
	fz.b.mem_size[0] = (data[2] % 5) * (uint64_t)BRKFX_PAGE;
	for (unsigned i = 1; i < SBX_NMEM; i++) {	/* the other memories: empty */
		if (ftruncate(fz.b.mem_fd[i], 0) < 0)
			abort();
		fz.b.mem_size[i] = 0;
	}
	fz.b.done = false;
	memcpy(args, data + 10, 8u * nargs);
	memset(fz.b.mem, 0, BRKFX_LIMIT);
	memcpy(fz.b.mem, data + 10 + 8u * nargs,
	       size - 10 - 8u * nargs < BRKFX_LIMIT ? size - 10 - 8u * nargs : BRKFX_LIMIT);
	chan_send(&fz.kid, fn, args, nargs);
	if (brk_take(&fz.b) != 1)
		abort();
	if (!fz.b.done && !chan_answered(&fz.kid, &ans))
		abort();
	if (fz.b.mem_size[0] > fz.b.mem_max)
		abort();
	for (unsigned i = 1; i < SBX_NMEM; i++)
		if (fz.b.mem_size[i] > fz.b.mem_max_more)
			abort();
	if (ftruncate(fz.b.mem_fd[0], (off_t)BRKFX_LIMIT) < 0)	/* a resize may have cut it */
		abort();
	wasi_ctx_free(fz.b.ctx);
	fz.b.ctx = NULL;
	brkfx_clean(&fz);
	return 0;
}
