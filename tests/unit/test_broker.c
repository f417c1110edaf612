/*
 * test_broker.c: the broker's side of a request (brk_req.c over the
 * channel and the WASI dispatch) against a hostile child, with no child:
 * the test writes requests into the channel page itself, as a child
 * could, and lets brk_take() accept, check, execute and answer them.
 *
 * Bad function numbers, wrong argument counts, replayed, stale and
 * skipped sequence numbers and the wrap of the counter, pointers and
 * lengths past the memory size the broker set (though mapped further) or
 * wrapping at 2^32, handles never opened or already closed, resizes that
 * shrink, misalign or exceed the limit, unknown outcomes, and random
 * requests; after each test the broker holds no more descriptors than
 * before and the scratch directory is gone.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "brk.h"
#include "sandbox.h"
#include "wasi_impl.h"

#include "count_fds.h"

#define PAGE		65536u
#define LIMIT		(4ull * PAGE)	/* --max-memory of these tests */
#define LIMIT_MORE	(SBX_MEM_MAX + 4ull * PAGE)	/* that of memfds 1.. (past 4 GiB) */
#define O_PATHSTR	0x100u		/* where the tests put a path */
#define O_IOV		0x200u		/* an iovec array */
#define O_OUT		0x300u		/* an output word */
#define O_BUF		0x400u		/* a data buffer */

/* One broker, one child's view of its channel, one preopened directory. */
struct fx {
	struct brk b;
	struct sbx_opts o;
	struct chan kid;
	char dir[64];
	wasi_dir dirs[1];
	char *argv[2];
	int nfd_before;
	uint32_t open_base;	/* guest handles open at the start */
};

/* The linear memories' memfds and memfd 0's 4 GiB mapping, as the broker
 * makes them. */
static void fx_memory(struct fx *f)
{
	for (unsigned i = 0; i < SBX_NMEM; i++) {
		f->b.mem_fd[i] = memfd_create("test-memory", MFD_CLOEXEC | MFD_ALLOW_SEALING);
		assert_true(f->b.mem_fd[i] >= 0);
		assert_int_equal(fcntl(f->b.mem_fd[i], F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_SEAL),
				 0);
	}
	f->b.mem = mmap(NULL, SBX_MEM_MAX, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE,
			f->b.mem_fd[0], 0);
	assert_true(f->b.mem != MAP_FAILED);
	f->b.mem_max = LIMIT;
	f->b.mem_max_more = LIMIT_MORE;
}

/* The WASI context: one preopen (a fresh directory holding "f"), stdio. */
static void fx_context(struct fx *f)
{
	wasi_config cfg = { .argc = 1, .argv = f->argv, .ndirs = 1, .dirs = f->dirs,
			    .io = &wasi_io_sys };
	char err[256];
	int fd;

	strcpy(f->dir, "/tmp/wrun-test-broker.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	fd = openat(AT_FDCWD, f->dir, O_DIRECTORY | O_PATH);
	assert_true(fd >= 0);
	assert_int_equal(mkdirat(fd, "sub", 0755), 0);
	close(fd);
	f->dirs[0] = (wasi_dir){ f->dir, "." };
	f->argv[0] = "test.wasm";
	f->b.be = &wasi_io_sys;
	f->b.ctx = wasi_ctx_new(&cfg, err, sizeof(err));
	assert_non_null(f->b.ctx);
	f->open_base = wasi_open_count(f->b.ctx);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->nfd_before = count_fds();
	sbx_opts_init(&f->o);
	f->b.o = &f->o;
	f->b.audit_fd = f->b.mod_fd = f->b.exe_fd = -1;
	f->b.child = (struct jail_child){ .pid = -1, .pidfd = -1, .report_fd = -1 };
	f->b.chan_fd = chan_create();
	assert_true(f->b.chan_fd >= 0);
	assert_int_equal(chan_map(f->b.chan_fd, &f->b.chan), 0);
	assert_int_equal(chan_map(f->b.chan_fd, &f->kid), 0);
	brk_proto(&f->b);
	fx_memory(f);
	fx_context(f);
	*state = f;
	return 0;
}

/* Remove one entry of the scratch tree (children first). */
static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int teardown(void **state)
{
	struct fx *f = *state;

	wasi_ctx_free(f->b.ctx);
	chan_unmap(&f->b.chan);
	chan_unmap(&f->kid);
	munmap(f->b.mem, SBX_MEM_MAX);
	for (unsigned i = 0; i < SBX_NMEM; i++)
		close(f->b.mem_fd[i]);
	close(f->b.chan_fd);
	assert_int_equal(nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
	assert_int_equal(access(f->dir, F_OK), -1);
	assert_int_equal(count_fds(), f->nfd_before);
	free(f);
	return 0;
}

/* Publish whatever the page holds with sequence number seq, as a child. */
static void publish(struct fx *f, uint32_t seq)
{
	atomic_store(&f->kid.page->req_seq, seq);
}

/* One well-formed round trip: the answer, which must have been given. */
static int64_t call(struct fx *f, uint32_t fn, uint32_t nargs, const uint64_t *args)
{
	int64_t res = 0;

	chan_send(&f->kid, fn, args, nargs);
	assert_int_equal(brk_take(&f->b), 1);
	assert_true(chan_answered(&f->kid, &res));
	return res;
}

#define CALL(f, fn, ...) call((f), (fn), sizeof((uint64_t[]){ __VA_ARGS__ }) / 8, \
			      (uint64_t[]){ __VA_ARGS__ })

/* Grant bytes of memory i through the channel; the answer. */
static int64_t resize_at(struct fx *f, uint64_t i, uint64_t bytes)
{
	return CALL(f, SBX_FN_MEM_RESIZE, bytes, i);
}

/* The same for memory 0, the one WASI calls see. */
static int64_t resize(struct fx *f, uint64_t bytes)
{
	return resize_at(f, 0, bytes);
}

/* A memfd's real size: what the child could touch. */
static uint64_t memfd_size_at(const struct fx *f, unsigned i)
{
	struct stat st;

	assert_int_equal(fstat(f->b.mem_fd[i], &st), 0);
	return (uint64_t)st.st_size;
}

static uint64_t memfd_size(const struct fx *f)
{
	return memfd_size_at(f, 0);
}

/* Put a string into guest memory at off. */
static void put_str(struct fx *f, uint32_t off, const char *s)
{
	memcpy(f->b.mem + off, s, strlen(s));
}

/* Put one iovec {ptr, len} into guest memory at off. */
static void put_iov(struct fx *f, uint32_t off, uint32_t ptr, uint32_t len)
{
	memcpy(f->b.mem + off, &ptr, 4);
	memcpy(f->b.mem + off + 4, &len, 4);
}

/* Open "name" under the preopen with O_CREAT: the new handle. */
static uint32_t open_file(struct fx *f, const char *name)
{
	uint32_t fd;

	put_str(f, O_PATHSTR, name);
	assert_int_equal(CALL(f, WASI_FN_path_open, 3, 0, O_PATHSTR, strlen(name), WASI_O_CREAT,
			      R_FD_READ | R_FD_WRITE, 0, 0, O_OUT), 0);
	memcpy(&fd, f->b.mem + O_OUT, 4);
	return fd;
}

/* ---- function numbers and argument counts ---- */

static void test_bad_function(void **state)
{
	struct fx *f = *state;
	const uint32_t bad[] = { SBX_FN__COUNT, SBX_FN__COUNT + 1, 9999, 0x80000000u,
				 UINT32_MAX };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(call(f, bad[i], 0, NULL), WASI_ENOSYS);
	assert_false(f->b.done);
	assert_int_equal(call(f, WASI_FN_sched_yield, 0, NULL), 0);
}

/* A known function with another argument count is refused, not run. */
static void test_wrong_nargs(void **state)
{
	struct fx *f = *state;
	struct chan_page *pg = f->kid.page;

	assert_int_equal(resize(f, PAGE), 0);
	assert_int_equal(call(f, WASI_FN_fd_write, 3, (uint64_t[]){ 1, 0, 0 }), WASI_EINVAL);
	assert_int_equal(call(f, WASI_FN_fd_write, 0, NULL), WASI_EINVAL);
	assert_int_equal(call(f, WASI_FN_sched_yield, 1, (uint64_t[]){ 0 }), WASI_EINVAL);
	assert_int_equal(call(f, WASI_FN_proc_exit, 0, NULL), WASI_EINVAL);
	assert_int_equal(call(f, SBX_FN_MEM_RESIZE, 1, (uint64_t[]){ 2 * PAGE }), WASI_EINVAL);
	assert_int_equal(call(f, SBX_FN_DONE, 0, NULL), WASI_EINVAL);
	/* More arguments than the page has room for. */
	pg->func = WASI_FN_fd_write;
	pg->nargs = CHAN_MAX_ARGS + 1;
	publish(f, ++f->kid.seq);
	assert_int_equal(brk_take(&f->b), 1);
	assert_int_equal(pg->result, WASI_EINVAL);
	pg->nargs = UINT32_MAX;
	publish(f, ++f->kid.seq);
	assert_int_equal(brk_take(&f->b), 1);
	assert_int_equal(pg->result, WASI_EINVAL);
	assert_false(f->b.done);
	assert_int_equal(f->b.mem_size[0], PAGE);
}

/* ---- sequence numbers ---- */

/* The same number again is nothing new: the call is not executed twice. */
static void test_replay(void **state)
{
	struct fx *f = *state;
	char made[96];

	assert_int_equal(resize(f, PAGE), 0);
	put_str(f, O_PATHSTR, "made");
	assert_int_equal(CALL(f, WASI_FN_path_create_directory, 3, O_PATHSTR, 4), 0);
	for (int i = 0; i < 3; i++) {
		f->kid.page->result = 12345;
		publish(f, f->kid.seq);
		assert_int_equal(brk_take(&f->b), 0);
		assert_int_equal(f->kid.page->result, 12345);
	}
	assert_false(f->b.done);
	assert_int_equal(CALL(f, WASI_FN_path_create_directory, 3, O_PATHSTR, 4), WASI_EEXIST);
	snprintf(made, sizeof(made), "%s/made", f->dir);
	assert_int_equal(access(made, F_OK), 0);
}

/* An older number than the last one ends the child. */
static void test_stale(void **state)
{
	struct fx *f = *state;

	assert_int_equal(call(f, WASI_FN_sched_yield, 0, NULL), 0);
	assert_int_equal(call(f, WASI_FN_sched_yield, 0, NULL), 0);
	publish(f, f->kid.seq - 1);
	assert_int_equal(brk_take(&f->b), 1);
	assert_true(f->b.done);
	assert_int_equal(f->b.status, SBX_EXIT_SANDBOX);
}

/* Skipping ahead, by a little or by half the counter, ends the child. */
static void test_skipped(void **state)
{
	struct fx *f = *state;
	const uint32_t jumps[] = { 2, 3, 1000, 0x80000000u, UINT32_MAX };

	for (size_t i = 0; i < sizeof(jumps) / sizeof(jumps[0]); i++) {
		f->b.done = false;
		f->b.status = 0;
		publish(f, f->b.chan.seq + jumps[i]);
		assert_int_equal(brk_take(&f->b), 1);
		assert_true(f->b.done);
		assert_int_equal(f->b.status, SBX_EXIT_SANDBOX);
		assert_int_not_equal(atomic_load(&f->kid.page->ans_seq),
				     f->b.chan.seq + jumps[i]);
	}
}

/* The counter wraps from 2^32-1 to 0 like any other step. */
static void test_seq_wrap(void **state)
{
	struct fx *f = *state;

	f->b.chan.seq = f->kid.seq = UINT32_MAX - 2;
	publish(f, f->kid.seq);
	for (int i = 0; i < 5; i++)
		assert_int_equal(call(f, WASI_FN_sched_yield, 0, NULL), 0);
	assert_int_equal(f->b.chan.seq, 2);
	publish(f, UINT32_MAX);
	assert_int_equal(brk_take(&f->b), 1);
	assert_int_equal(f->b.status, SBX_EXIT_SANDBOX);
}

/* ---- memory bounds ---- */

/*
 * Everything past the granted size fails with EFAULT, though the mapping
 * and even the limit reach further: the broker checks the size it set.
 */
static void test_past_memory(void **state)
{
	struct fx *f = *state;
	const uint32_t top = PAGE;
	uint32_t fd;

	assert_int_equal(resize(f, PAGE), 0);
	fd = open_file(f, "f");
	put_iov(f, O_IOV, O_BUF, 4);
	assert_int_equal(CALL(f, WASI_FN_fd_write, fd, top - 4, 1, O_OUT), WASI_EFAULT);
	assert_int_equal(CALL(f, WASI_FN_fd_write, fd, top, 1, O_OUT), WASI_EFAULT);
	assert_int_equal(CALL(f, WASI_FN_fd_write, fd, O_IOV, 1, top), WASI_EFAULT);
	assert_int_equal(CALL(f, WASI_FN_fd_write, fd, O_IOV, 1, top - 2), WASI_EFAULT);
	put_iov(f, O_IOV, top - 4, 8);
	assert_int_equal(CALL(f, WASI_FN_fd_write, fd, O_IOV, 1, O_OUT), WASI_EFAULT);
	assert_int_equal(CALL(f, WASI_FN_fd_read, fd, O_IOV, 1, O_OUT), WASI_EFAULT);
	put_iov(f, O_IOV, top + PAGE, 16);	/* mapped, within the limit, not granted */
	assert_int_equal(CALL(f, WASI_FN_fd_write, fd, O_IOV, 1, O_OUT), WASI_EFAULT);
	assert_int_equal(CALL(f, WASI_FN_path_create_directory, 3, top - 2, 8), WASI_EFAULT);
	assert_int_equal(CALL(f, WASI_FN_path_create_directory, 3, top, 1), WASI_EFAULT);
	put_str(f, O_PATHSTR, "g");
	assert_int_equal(CALL(f, WASI_FN_path_open, 3, 0, O_PATHSTR, 1, WASI_O_CREAT,
			      R_FD_READ, 0, 0, top - 3), WASI_EFAULT);
	assert_int_equal(CALL(f, WASI_FN_args_sizes_get, top, O_OUT), WASI_EFAULT);
	assert_int_equal(CALL(f, WASI_FN_random_get, top - 8, 16), WASI_EFAULT);
	assert_int_equal(CALL(f, WASI_FN_clock_time_get, 0, 0, top - 4), WASI_EFAULT);
	/* The upper half of a 64-bit argument slot never extends the reach. */
	assert_int_equal(CALL(f, WASI_FN_random_get, (1ull << 32) | (top - 8), 16), WASI_EFAULT);
	assert_int_equal(CALL(f, WASI_FN_fd_write, fd, (1ull << 32) | top, 1, O_OUT),
			 WASI_EFAULT);
	assert_int_equal(memfd_size(f), PAGE);
	assert_false(f->b.done);
}

/* Pointer plus length wrapping at 2^32, in every place a length goes. */
static void test_wrap(void **state)
{
	struct fx *f = *state;
	uint32_t fd;

	assert_int_equal(resize(f, PAGE), 0);
	fd = open_file(f, "f");
	assert_int_equal(CALL(f, WASI_FN_fd_write, fd, 0xfffffff8u, 2, O_OUT), WASI_EFAULT);
	assert_int_equal(CALL(f, WASI_FN_fd_write, fd, 0xfffffff8u, 0x10, O_OUT), WASI_EFAULT);
	/* n * 8 wraps to 0 in 32 bits: refused for its count before any bound. */
	assert_int_equal(CALL(f, WASI_FN_fd_write, fd, 0xfffffff8u, 0x20000000u, O_OUT),
			 WASI_EINVAL);
	put_iov(f, O_IOV, 0xfffffff0u, 0x20);
	assert_int_equal(CALL(f, WASI_FN_fd_write, fd, O_IOV, 1, O_OUT), WASI_EFAULT);
	assert_int_equal(CALL(f, WASI_FN_fd_read, fd, O_IOV, 1, O_OUT), WASI_EFAULT);
	put_iov(f, O_IOV, O_BUF, 0xffffffffu);
	assert_int_equal(CALL(f, WASI_FN_fd_write, fd, O_IOV, 1, O_OUT), WASI_EFAULT);
	assert_int_equal(CALL(f, WASI_FN_path_create_directory, 3, 0xfffffffcu, 8), WASI_EFAULT);
	assert_int_equal(CALL(f, WASI_FN_path_create_directory, 3, O_PATHSTR, 0xffffffffu),
			 WASI_EFAULT);
	assert_int_equal(CALL(f, WASI_FN_random_get, 0xfffffff0u, 0x20), WASI_EFAULT);
	assert_int_equal(CALL(f, WASI_FN_fd_write, fd, O_IOV, 1, 0xfffffffeu), WASI_EFAULT);
	assert_false(f->b.done);
}

/* ---- handles ---- */

static void test_handles(void **state)
{
	struct fx *f = *state;
	const uint64_t never[] = { 4, 77, 4095, 4096, 9999, 0x7fffffff, 0xffffffffu,
				   (1ull << 32) | 77 };
	uint32_t fd;

	assert_int_equal(resize(f, PAGE), 0);
	put_iov(f, O_IOV, O_BUF, 1);
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++) {
		assert_int_equal(CALL(f, WASI_FN_fd_write, never[i], O_IOV, 1, O_OUT), WASI_EBADF);
		assert_int_equal(CALL(f, WASI_FN_fd_close, never[i]), WASI_EBADF);
		assert_int_equal(CALL(f, WASI_FN_path_create_directory, never[i], O_PATHSTR, 1),
				 WASI_EBADF);
	}
	fd = open_file(f, "f");
	assert_int_equal(CALL(f, WASI_FN_fd_write, fd, O_IOV, 1, O_OUT), 0);
	assert_int_equal(CALL(f, WASI_FN_fd_close, fd), 0);
	assert_int_equal(CALL(f, WASI_FN_fd_write, fd, O_IOV, 1, O_OUT), WASI_EBADF);
	assert_int_equal(CALL(f, WASI_FN_fd_read, fd, O_IOV, 1, O_OUT), WASI_EBADF);
	assert_int_equal(CALL(f, WASI_FN_fd_close, fd), WASI_EBADF);
	assert_int_equal(CALL(f, WASI_FN_fd_renumber, fd, 3), WASI_EBADF);
	assert_int_equal(CALL(f, WASI_FN_fd_close, 3), 0);
	put_str(f, O_PATHSTR, "sub");
	assert_int_equal(CALL(f, WASI_FN_path_create_directory, 3, O_PATHSTR, 3), WASI_EBADF);
	assert_int_equal(wasi_open_count(f->b.ctx), f->open_base - 1);
}

/* A child that breaks WASI 0.2's drop rule: the broker keeps it.  A
 * stream's handle (res_derive) outlives nothing it was made from; the
 * refused close is answered EBUSY and audited as a refusal. */
static void test_derived(void **state)
{
	struct fx *f = *state;
	char log[4096];
	ssize_t n;
	uint32_t fd, in;

	assert_int_equal(resize(f, PAGE), 0);
	f->b.audit_fd = memfd_create("audit", MFD_CLOEXEC);
	assert_true(f->b.audit_fd >= 0);
	fd = open_file(f, "f");
	assert_int_equal(CALL(f, WASI_FN_res_derive, 77, WASI_ROLE_IN, O_OUT), WASI_EBADF);
	assert_int_equal(CALL(f, WASI_FN_res_derive, fd, WASI_ROLE_IN, O_OUT), 0);
	memcpy(&in, f->b.mem + O_OUT, 4);
	assert_int_equal(CALL(f, WASI_FN_fd_close, fd), WASI_EBUSY);
	assert_int_equal(CALL(f, WASI_FN_fd_renumber, fd, 3), WASI_EBUSY);
	put_iov(f, O_IOV, O_BUF, 1);
	assert_int_equal(CALL(f, WASI_FN_fd_write, in, O_IOV, 1, O_OUT), WASI_ENOTCAPABLE);
	assert_int_equal(CALL(f, WASI_FN_fd_read, in, O_IOV, 1, O_OUT), 0);
	assert_int_equal(CALL(f, WASI_FN_fd_close, in), 0);
	assert_int_equal(CALL(f, WASI_FN_fd_close, fd), 0);
	assert_false(f->b.done);
	n = pread(f->b.audit_fd, log, sizeof(log) - 1, 0);
	assert_true(n > 0);
	log[n] = 0;
	assert_non_null(strstr(log, "\"fn\":\"res_derive\",\"fd\":77,\"bytes\":0,"
				    "\"errno\":\"EBADF\",\"denied\":true"));
	assert_non_null(strstr(log, "\"fn\":\"fd_close\",\"fd\":4,\"bytes\":0,"
				    "\"errno\":\"EBUSY\",\"denied\":true"));
	assert_non_null(strstr(log, "\"fn\":\"fd_renumber\",\"fd\":4,\"bytes\":0,"
				    "\"errno\":\"EBUSY\",\"denied\":true"));
	close(f->b.audit_fd);
	f->b.audit_fd = -1;
}

/* ---- memory.resize ---- */

static void test_resize(void **state)
{
	struct fx *f = *state;

	assert_int_equal(resize(f, 2 * PAGE), 0);
	assert_int_equal(memfd_size(f), 2 * PAGE);
	assert_int_equal(resize(f, PAGE), -EINVAL);		/* shrink */
	assert_int_equal(resize(f, 0), -EINVAL);
	assert_int_equal(resize(f, 2 * PAGE + 1), -EINVAL);	/* not whole pages */
	assert_int_equal(resize(f, 3 * PAGE - 1), -EINVAL);
	assert_int_equal(resize(f, LIMIT + PAGE), -ENOMEM);	/* over --max-memory */
	assert_int_equal(resize(f, SBX_MEM_MAX), -ENOMEM);
	assert_int_equal(resize(f, SBX_MEM_MAX + PAGE), -EINVAL);	/* over 4 GiB */
	assert_int_equal(resize(f, 1ull << 33), -EINVAL);
	assert_int_equal(resize(f, UINT64_MAX - PAGE + 1), -EINVAL);
	assert_int_equal(resize(f, UINT64_MAX), -EINVAL);
	assert_int_equal(CALL(f, SBX_FN_MEM_SIZE), 2 * PAGE);
	assert_int_equal(f->b.mem_size[0], 2 * PAGE);
	assert_int_equal(memfd_size(f), 2 * PAGE);
	assert_int_equal(resize(f, 2 * PAGE), 0);		/* same size */
	assert_int_equal(resize(f, LIMIT), 0);			/* exactly the limit */
	assert_int_equal(memfd_size(f), LIMIT);
	assert_int_equal(resize(f, 2 * PAGE), -EINVAL);
	assert_false(f->b.done);
	assert_false(f->b.mem_refused_init);
}

/* The other memories' memfds: each its own size and the limit of memories
 * the broker never maps (past 4 GiB), an index past them refused, and
 * WASI calls see memfd 0 alone. */
static void test_resize_more(void **state)
{
	struct fx *f = *state;

	assert_int_equal(resize(f, PAGE), 0);
	assert_int_equal(resize_at(f, 1, 3 * PAGE), 0);
	assert_int_equal(resize_at(f, SBX_NMEM - 1, SBX_MEM_MAX + PAGE), 0);	/* past 4 GiB */
	assert_int_equal(resize_at(f, SBX_NMEM - 1, LIMIT_MORE), 0);
	assert_int_equal(resize_at(f, SBX_NMEM - 1, LIMIT_MORE + PAGE), -ENOMEM);
	assert_int_equal(resize_at(f, 1, 2 * PAGE), -EINVAL);			/* shrink */
	assert_int_equal(resize_at(f, 1, 4 * PAGE + 1), -EINVAL);
	assert_int_equal(resize_at(f, SBX_NMEM, PAGE), -EINVAL);
	assert_int_equal(resize_at(f, UINT64_MAX, PAGE), -EINVAL);
	assert_int_equal(f->b.mem_size[0], PAGE);
	assert_int_equal(memfd_size_at(f, 1), 3 * PAGE);
	assert_int_equal(memfd_size_at(f, SBX_NMEM - 1), LIMIT_MORE);
	assert_int_equal(CALL(f, SBX_FN_MEM_SIZE), PAGE);
	assert_int_equal(CALL(f, WASI_FN_random_get, PAGE - 8, 16), WASI_EFAULT);
	assert_int_equal(CALL(f, WASI_FN_random_get, PAGE - 16, 16), 0);
	assert_false(f->b.mem_refused_init);
	assert_int_equal(resize_at(f, 2, LIMIT_MORE + PAGE), -ENOMEM);	/* an initial one */
	assert_true(f->b.mem_refused_init);
}

/* An initial memory over the limit is remembered for the message. */
static void test_resize_initial(void **state)
{
	struct fx *f = *state;

	assert_int_equal(resize(f, LIMIT + PAGE), -ENOMEM);
	assert_true(f->b.mem_refused_init);
	assert_int_equal(f->b.mem_size[0], 0);
	assert_int_equal(CALL(f, WASI_FN_random_get, 0, 1), WASI_EFAULT);
}

/* ---- the end of a run ---- */

static void test_outcomes(void **state)
{
	struct fx *f = *state;

	memset((char *)f->kid.page + SBX_TEXT_OFF, 0x07, SBX_TEXT_SIZE);	/* no NUL */
	chan_send(&f->kid, SBX_FN_DONE, (uint64_t[]){ RUN_TRAP, 0 }, 2);
	assert_int_equal(brk_take(&f->b), 1);
	assert_true(f->b.done);
	assert_int_equal(f->b.status, SBX_EXIT_TRAP);
	f->b.done = false;
	chan_send(&f->kid, SBX_FN_DONE, (uint64_t[]){ RUN__COUNT, 0 }, 2);
	assert_int_equal(brk_take(&f->b), 1);
	assert_int_equal(f->b.status, SBX_EXIT_SANDBOX);
	f->b.done = false;
	chan_send(&f->kid, SBX_FN_DONE, (uint64_t[]){ UINT64_MAX, UINT64_MAX }, 2);
	assert_int_equal(brk_take(&f->b), 1);
	assert_int_equal(f->b.status, SBX_EXIT_SANDBOX);
	f->b.done = false;
	assert_int_equal(CALL(f, WASI_FN_proc_exit, 0x1234507), SBX_ANS_EXIT | 7);
	assert_int_equal(f->b.status, 7);
}

/* ---- random requests ---- */

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* An argument a hostile child might pick: edges more often than chance. */
static uint64_t pick_arg(uint64_t *s)
{
	static const uint64_t edges[] = { 0, 3, 5, PAGE - 1, PAGE, PAGE + 1, 0x7fffffff,
					  0x80000000u, 0xfffffff0u, 0xffffffffu,
					  (1ull << 32) | 3, UINT64_MAX };
	uint64_t r = rnd(s);

	return r & 1 ? edges[(r >> 1) % (sizeof(edges) / sizeof(edges[0]))] : rnd(s);
}

/* Functions that would block, end the run, fill the disk or touch stdio. */
static bool fuzz_skip(uint32_t fn, const uint64_t *a)
{
	if (fn == WASI_FN_poll_oneoff || fn == WASI_FN_proc_exit || fn == WASI_FN_proc_raise ||
	    fn == WASI_FN_sock_accept || fn == WASI_FN_fd_allocate || fn == SBX_FN_DONE)
		return true;
	return fn < WASI_FN__COUNT && (uint32_t)a[0] <= 2;
}

/*
 * Thousands of random requests (right argument counts, hostile values):
 * every one is answered, with a WASI errno or a resize result, and the
 * broker goes on.
 */
static void test_random(void **state)
{
	struct fx *f = *state;
	uint64_t seed = 0x9e3779b97f4a7c15ull, a[CHAN_MAX_ARGS];
	int64_t res;

	assert_int_equal(resize(f, PAGE), 0);
	for (int i = 0; i < 20000; i++) {
		uint32_t fn = (uint32_t)(rnd(&seed) % SBX_FN__COUNT);

		for (int k = 0; k < CHAN_MAX_ARGS; k++)
			a[k] = pick_arg(&seed);
		if (fuzz_skip(fn, a))
			continue;
		res = call(f, fn, f->b.nargs[fn], a);
		if (fn < WASI_FN__COUNT)
			assert_in_range(res, 0, 76);
		else if (fn == SBX_FN_MEM_RESIZE)
			assert_true(res == 0 || res == -EINVAL || res == -ENOMEM);
		assert_false(f->b.done);
		for (unsigned m = 0; m < SBX_NMEM; m++) {
			assert_true(f->b.mem_size[m] <= (m ? LIMIT_MORE : LIMIT));
			assert_int_equal(memfd_size_at(f, m), f->b.mem_size[m]);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_bad_function), T(test_wrong_nargs), T(test_replay), T(test_stale),
		T(test_skipped), T(test_seq_wrap), T(test_past_memory), T(test_wrap),
		T(test_handles), T(test_derived), T(test_resize), T(test_resize_more), T(test_resize_initial),
		T(test_outcomes),
		T(test_random),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
