/*
 * w2n.c: a native WASI 0.2 command (no preview1 adapter, no libc) for
 * tests/wasi2/native.py.  Its first argument picks a part:
 *
 *   cli [CODE]   arguments, environment, stdin (blocking-read, read,
 *                subscribe, the closed error at its end), stdout and stderr
 *                (check-write, write, flush, blocking-flush,
 *                blocking-write-and-flush, subscribe), then
 *                exit: CODE "ok"/"err" for exit, a number for exit-with-code
 *   skip         skip and blocking-skip on stdin
 *   epipe        stdout closed by the reader: the stream is closed (stderr)
 *   zeroes       write-zeroes, blocking-write-zeroes-and-flush on stdout
 *   term         initial-cwd, get-terminal-stdin/stdout/stderr
 *   poll         poll on several pollables, monotonic and wall clocks
 *   random       random, insecure, insecure-seed
 *   fs           preopens, files: open-at, stat, read, write, the three
 *                streams, set-size, get-flags, metadata-hash(-at)
 *   fsdir        directories: stat and type of the preopen, create-
 *                directory-at, is-same-object, link/symlink/readlink/rename/
 *                unlink/remove-directory-at, read-directory
 *   times        set-times, set-times-at, sync, sync-data, advise
 *   fsro         writes through a descriptor opened for reading
 *   ioerr        stdin a directory: last-operation-failed, its error's
 *                to-debug-string and filesystem-error-code; a directory's
 *                input stream
 *   splice       splice, blocking-splice between two files' streams
 *   escape       paths through the symlink "link" (pointing outside the
 *                preopen), with and without a trailing "/" or "/.", and
 *                ".." and absolute paths: each must be refused
 *
 * It prints one line per fact; the test derives what they must say.
 */
#include "w2n.h"

/* No libc: what the compiler may call, and a bump allocator. */
void *memcpy(void *d, const void *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		((char *)d)[i] = ((const char *)s)[i];
	return d;
}

void *memset(void *d, int c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		((char *)d)[i] = (char)c;
	return d;
}

static size_t slen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static bool seq(const char *a, size_t alen, const char *b)
{
	size_t n = slen(b);

	if (alen != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static _Alignas(16) uint8_t heap[4 << 20];
static size_t heap_used;

/* The host's allocations for results (lists, strings): never freed. */
__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size)
{
	size_t at = (heap_used + align - 1) & ~(align - 1);

	if (new_size > sizeof(heap) - at)
		__builtin_trap();
	heap_used = at + new_size;
	if (old)
		memcpy(heap + at, old, old_size < new_size ? old_size : new_size);
	return heap + at;
}

/* Output: a line buffer flushed with blocking-write-and-flush. */
static h32 out_h = -1;
static char line[4096];
static size_t line_len;

static void flush_line(void)
{
	w2_ret r;

	if (out_h < 0)
		out_h = cli_stdout();
	if (line_len) {
		out_bwrite(out_h, line, line_len, &r);
		if (R8(r, 0))
			__builtin_trap();
	}
	line_len = 0;
}

static void put(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (line_len == sizeof(line))
			flush_line();
		line[line_len++] = s[i];
	}
}

static void puts_(const char *s)
{
	put(s, slen(s));
}

static void putu(uint64_t v)
{
	char b[24];
	int n = 0;

	do
		b[n++] = (char)('0' + v % 10);
	while (v /= 10);
	while (n)
		put(&b[--n], 1);
}

static void nl(void)
{
	put("\n", 1);
	flush_line();
}

static void say(const char *what, bool ok)
{
	puts_(what);
	puts_(ok ? " ok" : " FAIL");
	nl();
}

static const char *const errnames[] = {
	"access", "would-block", "already", "bad-descriptor", "busy", "deadlock", "quota",
	"exist", "file-too-large", "illegal-byte-sequence", "in-progress", "interrupted",
	"invalid", "io", "is-directory", "loop", "too-many-links", "message-size",
	"name-too-long", "no-device", "no-entry", "no-lock", "insufficient-memory",
	"insufficient-space", "not-directory", "not-empty", "not-recoverable", "unsupported",
	"no-tty", "no-such-device", "overflow", "not-permitted", "pipe", "read-only",
	"invalid-seek", "text-file-busy", "cross-device",
};

static const char *const typenames[] = {
	"unknown", "block-device", "character-device", "directory", "fifo",
	"symbolic-link", "regular-file", "socket",
};

static const char *errname(uint8_t e)
{
	return e < sizeof(errnames) / sizeof(errnames[0]) ? errnames[e] : "?";
}

/* A result<_, error-code> (or <enum/flags, error-code>): "ok" or the code. */
static void put_res(const w2_ret *r)
{
	puts_(r->b[0] ? errname(r->b[1]) : "ok");
}

/* The arguments: args[0] is the program name. */
static struct {
	const char *p;
	size_t n;
} *args;
static size_t nargs;

static bool arg_is(size_t i, const char *s)
{
	return i < nargs && seq(args[i].p, args[i].n, s);
}

/* ---- cli ---- */

/* Reads stdin to its end: the first 5 bytes with blocking-read, the rest
 * with read after waiting on its pollable; prints what it read. */
static void cli_stdin_part(void)
{
	h32 in = cli_stdin(), p = in_subscribe(in);
	w2_ret r;

	in_bread(in, 5, &r);
	puts_("stdin head ");
	if (R8(r, 0) == 0)
		put((const char *)(uintptr_t)R32(r, 4), R32(r, 8));
	nl();
	puts_("stdin rest ");
	for (;;) {
		poll_block(p);
		in_read(in, 7, &r);
		if (R8(r, 0)) {
			/* stream-error: 1 closed at the end of input */
			nl();
			puts_("stdin end ");
			puts_(R8(r, 4) == 1 ? "closed" : "failed");
			nl();
			break;
		}
		put((const char *)(uintptr_t)R32(r, 4), R32(r, 8));
	}
	in_read(in, 1, &r);
	puts_("stdin read after end ");
	puts_(R8(r, 0) && R8(r, 4) == 1 ? "closed" : "not closed");
	nl();
	poll_drop(p);
	in_drop(in);
}

/* skip and blocking-skip on stdin: 3 bytes skipped of the first 8, then
 * the rest skipped in steps of 4. */
static void skip_part(void)
{
	h32 in = cli_stdin();
	w2_ret r;
	uint64_t total = 0;

	in_bread(in, 5, &r);
	puts_("stdin head ");
	if (R8(r, 0) == 0)
		put((const char *)(uintptr_t)R32(r, 4), R32(r, 8));
	nl();
	in_bskip(in, 3, &r);
	puts_("blocking-skip 3 ");
	putu(R8(r, 0) ? 0 : R64(r, 8));
	nl();
	in_bread(in, 2, &r);
	puts_("then ");
	if (R8(r, 0) == 0)
		put((const char *)(uintptr_t)R32(r, 4), R32(r, 8));
	nl();
	for (;;) {
		in_bskip(in, 4, &r);
		if (R8(r, 0))
			break;
		total += R64(r, 8);
	}
	puts_("skipped to the end ");
	putu(total);
	puts_(R8(r, 8) == 1 ? " closed" : " failed");
	nl();
	in_skip(in, 1, &r);
	puts_("skip after end ");
	puts_(R8(r, 0) && R8(r, 8) == 1 ? "closed" : "not closed");
	nl();
	in_drop(in);
}

static void cli_out_part(void)
{
	h32 o = cli_stdout(), e = cli_stderr(), p;
	w2_ret r;
	uint64_t budget;

	flush_line();
	out_check(o, &r);
	budget = R8(r, 0) ? 0 : R64(r, 8);
	say("check-write budget", budget > 0);
	out_write(o, "write ", budget < 6 ? budget : 6, &r);
	say("write", R8(r, 0) == 0);
	out_flush(o, &r);
	say("flush", R8(r, 0) == 0);
	out_bflush(o, &r);
	say("blocking-flush", R8(r, 0) == 0);
	p = out_subscribe(o);
	poll_block(p);
	say("stdout pollable ready", poll_ready(p) != 0);
	poll_drop(p);
	out_bwrite(e, "to stderr\n", 10, &r);
	say("stderr blocking-write-and-flush", R8(r, 0) == 0);
	out_drop(e);
}

/* write-zeroes and blocking-write-zeroes-and-flush on stdout. */
static void zeroes_part(void)
{
	h32 o = cli_stdout();
	w2_ret r;

	out_zeroes(o, 3, &r);
	out_bflush(o, &r);
	puts_("after zeroes");
	nl();
	out_bzeroes(o, 2, &r);
	say(" blocking-write-zeroes-and-flush", R8(r, 0) == 0);
}

/* stderr only: stdout is a pipe nobody reads (the test closed it): the
 * write ends with closed (as wasmtime reports a broken pipe), and so does
 * the next write. */
static int epipe_part(void)
{
	h32 o = cli_stdout(), e = cli_stderr();
	w2_ret r, d;
	static const char msg[] = "into a closed pipe\n";
	int i;

	for (i = 0; i < 1000; i++) {
		out_bwrite(o, msg, sizeof(msg) - 1, &r);
		if (R8(r, 0))
			break;
	}
	if (!R8(r, 0))
		out_bwrite(e, "no error\n", 9, &d);
	else if (R8(r, 4) == 1)
		out_bwrite(e, "closed\n", 7, &d);
	else
		out_bwrite(e, "last-operation-failed\n", 22, &d);
	out_bwrite(o, msg, sizeof(msg) - 1, &r);
	out_bwrite(e, R8(r, 0) && R8(r, 4) == 1 ? "then closed\n" : "then open\n",
		   R8(r, 0) && R8(r, 4) == 1 ? 12 : 10, &d);
	return 0;
}

static int cli_part(void)
{
	w2_ret r;
	uint32_t n, base;

	puts_("args");
	for (size_t i = 1; i < nargs; i++) {
		puts_(" ");
		put(args[i].p, args[i].n);
	}
	nl();
	cli_env(&r);
	n = R32(r, 4);
	base = R32(r, 0);
	puts_("env count ");
	putu(n);
	nl();
	for (uint32_t i = 0; i < n; i++) {
		const uint32_t *t = (const uint32_t *)(uintptr_t)(base + 16 * i);

		puts_("env ");
		put((const char *)(uintptr_t)t[0], t[1]);
		puts_("=");
		put((const char *)(uintptr_t)t[2], t[3]);
		nl();
	}
	cli_stdin_part();
	cli_out_part();
	if (arg_is(2, "ok") || arg_is(2, "err")) {
		cli_exit(arg_is(2, "err"));
		return 99; /* not reached */
	}
	if (nargs > 2) {
		int32_t code = 0;

		for (size_t i = 0; i < args[2].n; i++)
			code = code * 10 + (args[2].p[i] - '0');
		cli_exit_code(code);
		return 99;
	}
	return 0;
}

static void term_part(void)
{
	w2_ret r;

	cli_cwd(&r);
	puts_("initial-cwd ");
	if (R8(r, 0))
		put((const char *)(uintptr_t)R32(r, 4), R32(r, 8));
	else
		puts_("none");
	nl();

	cli_term_in(&r);
	puts_(R8(r, 0) ? "terminal-stdin some" : "terminal-stdin none");
	nl();
	if (R8(r, 0))
		term_in_drop((h32)R32(r, 4));
	cli_term_out(&r);
	puts_(R8(r, 0) ? "terminal-stdout some" : "terminal-stdout none");
	nl();
	if (R8(r, 0))
		term_out_drop((h32)R32(r, 4));
	cli_term_err(&r);
	puts_(R8(r, 0) ? "terminal-stderr some" : "terminal-stderr none");
	nl();
	if (R8(r, 0))
		term_out_drop((h32)R32(r, 4));
}

/* ---- poll and clocks ---- */

static void poll_part(void)
{
	uint64_t t0 = mono_now(), t1;
	h32 ps[3], o = cli_stdout();
	w2_ret r;
	const uint32_t *idx;

	say("monotonic resolution", mono_res() > 0);
	ps[0] = mono_after(10ull * 1000000000);	/* 10 s: never ready here */
	ps[1] = mono_after(30 * 1000000);	/* 30 ms */
	ps[2] = mono_at(t0 + 20ull * 1000000000);	/* 20 s after t0 */
	say("long pollable not ready", poll_ready(ps[0]) == 0);
	poll_list(ps, 3, &r);
	t1 = mono_now();
	idx = (const uint32_t *)(uintptr_t)R32(r, 0);
	puts_("poll 3 ->");
	for (uint32_t i = 0; i < R32(r, 4); i++) {
		puts_(" ");
		putu(idx[i]);
	}
	nl();
	say("poll waited 30 ms", t1 - t0 >= 30 * 1000000);
	poll_drop(ps[1]);
	t0 = mono_now();
	ps[1] = mono_at(t0 + 60 * 1000000);	/* 60 ms from now */
	poll_block(ps[1]);
	say("subscribe-instant block waited 60 ms", mono_now() - t0 >= 60 * 1000000);
	say("instant pollable ready", poll_ready(ps[1]) != 0);
	poll_drop(ps[1]);
	ps[1] = out_subscribe(o);
	poll_list(ps, 2, &r);
	idx = (const uint32_t *)(uintptr_t)R32(r, 0);
	puts_("poll long+stdout ->");
	for (uint32_t i = 0; i < R32(r, 4); i++) {
		puts_(" ");
		putu(idx[i]);
	}
	nl();
	for (int i = 0; i < 3; i++)
		poll_drop(ps[i]);
	say("monotonic now increases", mono_now() > t1);
	wall_now(&r);
	puts_("wall-clock seconds ");
	putu(R64(r, 0));
	nl();
	say("wall-clock nanoseconds < 1e9", R32(r, 8) < 1000000000);
	wall_res(&r);
	say("wall-clock resolution", R64(r, 0) > 0 || R32(r, 8) > 0);
}

/* ---- random ---- */

static bool bytes_same(const w2_ret *a, const w2_ret *b)
{
	const uint8_t *x = (const uint8_t *)(uintptr_t)R32(*a, 0);
	const uint8_t *y = (const uint8_t *)(uintptr_t)R32(*b, 0);

	for (uint32_t i = 0; i < R32(*a, 4); i++)
		if (x[i] != y[i])
			return false;
	return true;
}

static void random_part(void)
{
	w2_ret a, b;

	rnd_bytes(32, &a);
	rnd_bytes(32, &b);
	say("get-random-bytes 32", R32(a, 4) == 32 && R32(b, 4) == 32);
	say("get-random-bytes differ", !bytes_same(&a, &b));
	rnd_bytes(0, &a);
	say("get-random-bytes 0", R32(a, 4) == 0);
	say("get-random-u64 differ", rnd_u64() != rnd_u64());
	ins_bytes(16, &a);
	ins_bytes(16, &b);
	say("get-insecure-random-bytes 16", R32(a, 4) == 16 && R32(b, 4) == 16);
	say("get-insecure-random-bytes differ", !bytes_same(&a, &b));
	say("get-insecure-random-u64 differ", ins_u64() != ins_u64());
	ins_seed(&a);
	ins_seed(&b);
	say("insecure-seed", R64(a, 0) != 0 || R64(a, 8) != 0);
}

/* ---- filesystem ---- */

static h32 root = -1;

static void path_res(const char *what, const char *path, const w2_ret *r)
{
	puts_(what);
	puts_(" ");
	puts_(path);
	puts_(" ");
	put_res(r);
	nl();
}

static h32 open_at(h32 d, int32_t pf, const char *path, int32_t of, int32_t df)
{
	w2_ret r;

	fs_open(d, pf, path, slen(path), of, df, &r);
	puts_("open-at ");
	puts_(path);
	puts_(" ");
	puts_(R8(r, 0) ? errname(R8(r, 4)) : "ok");
	nl();
	return R8(r, 0) ? -1 : (h32)R32(r, 4);
}

/* Prints type, size and link count (stat or stat-at). */
static void put_stat(const char *what, const w2_ret *r)
{
	puts_(what);
	if (r->b[0]) {
		puts_(" ");
		puts_(errname(r->b[8]));
	} else {
		puts_(" type ");
		puts_(r->b[8] < 8 ? typenames[r->b[8]] : "?");
		if (r->b[8] == 6) { /* directories' sizes and links vary */
			puts_(" links ");
			putu(R64(*r, 16));
			puts_(" size ");
			putu(R64(*r, 24));
		}
		/* the three timestamps (option<datetime>, 24 bytes each from
		 * offset 32): present, nanoseconds in range */
		for (int t = 0; t < 3; t++)
			if (!r->b[32 + 24 * t] || R32(*r, 48 + 24 * t) >= 1000000000)
				puts_(" bad-timestamp");
	}
	nl();
}

static void stat_at(h32 d, int32_t pf, const char *path)
{
	w2_ret r;

	fs_stat_at(d, pf, path, slen(path), &r);
	puts_("stat-at ");
	puts_(pf ? "follow " : "");
	put_stat(path, &r);
}

/* Reads an input stream to its end with blocking-read. */
static void drain(const char *what, h32 in)
{
	w2_ret r;

	puts_(what);
	puts_(" ");
	for (;;) {
		in_bread(in, 1000, &r);
		if (R8(r, 0))
			break;
		put((const char *)(uintptr_t)R32(r, 4), R32(r, 8));
	}
	puts_(" | ");
	puts_(R8(r, 4) == 1 ? "closed" : "failed");
	nl();
}

static h32 stream_of(const w2_ret *r)
{
	return r->b[0] ? -1 : (h32)R32(*r, 4);
}

static void hash_of(h32 d, int32_t pf, const char *path, uint64_t h[2])
{
	w2_ret r;

	if (path)
		fs_hash_at(d, pf, path, slen(path), &r);
	else
		fs_hash(d, &r);
	h[0] = R8(r, 0) ? 0 : R64(r, 8);
	h[1] = R8(r, 0) ? 0 : R64(r, 16);
}

static void list_dir(h32 d)
{
	w2_ret r;
	h32 s;
	/* names, sorted by insertion */
	static char names[64][64];
	static uint8_t types[64];
	int n = 0;

	fs_readdir(d, &r);
	if (R8(r, 0)) {
		puts_("read-directory ");
		puts_(errname(R8(r, 4)));
		nl();
		return;
	}
	s = (h32)R32(r, 4);
	for (;;) {
		fs_next_entry(s, &r);
		if (R8(r, 0) || !R8(r, 4))
			break;
		uint32_t len = R32(r, 16);
		const char *p = (const char *)(uintptr_t)R32(r, 12);
		int at = n;

		if (n == 64 || len >= 64)
			break;
		while (at > 0) {
			const char *q = names[at - 1];
			uint32_t k = 0;

			while (k < len && q[k] == p[k])
				k++;
			if (k < len && (q[k] == 0 || (uint8_t)q[k] < (uint8_t)p[k]))
				break;
			memcpy(names[at], names[at - 1], 64);
			types[at] = types[at - 1];
			at--;
		}
		memcpy(names[at], p, len);
		names[at][len] = 0;
		types[at] = R8(r, 8);
		n++;
	}
	fs_dir_drop(s);
	puts_("read-directory");
	for (int i = 0; i < n; i++) {
		puts_(" ");
		puts_(names[i]);
		puts_(":");
		puts_(types[i] < 8 ? typenames[types[i]] : "?");
	}
	nl();
}

static void fs_part(void)
{
	w2_ret r;
	h32 f, g, s, in, out;
	uint64_t h1[2], h2[2], h3[2];

	/* reading: in.txt holds the test's text */
	f = open_at(root, 0, "in.txt", 0, DF_READ);
	fs_stat(f, &r);
	put_stat("stat in.txt", &r);
	fs_read_stream(f, 0, &r);
	in = stream_of(&r);
	drain("read-via-stream 0", in);
	in_drop(in);
	fs_read_stream(f, 6, &r);
	in = stream_of(&r);
	drain("read-via-stream 6", in);
	in_drop(in);
	fs_read(f, 5, 2, &r);
	puts_("read 5 at 2 ");
	if (!R8(r, 0))
		put((const char *)(uintptr_t)R32(r, 4), R32(r, 8));
	puts_(R8(r, 0) ? "error" : R8(r, 12) ? " eof" : " more");
	nl();
	fs_read(f, 100, 0, &r);
	puts_("read 100 at 0 ends with ");
	puts_(R8(r, 0) ? "error" : R8(r, 12) ? "eof" : "more");
	nl();

	/* writing: write-via-stream, write at an offset, append-via-stream */
	g = open_at(root, 0, "out.txt", OF_CREATE | OF_TRUNCATE, DF_READ | DF_WRITE);
	fs_write_stream(g, 0, &r);
	out = stream_of(&r);
	out_check(out, &r);
	say("file check-write", R8(r, 0) == 0 && R64(r, 8) >= 3);
	out_write(out, "abc", 3, &r);
	out_bflush(out, &r);
	say("file write+blocking-flush", R8(r, 0) == 0);
	out_drop(out);
	fs_write(g, "XY", 2, 1, &r);
	puts_("write XY at 1 ");
	putu(R8(r, 0) ? 0 : R64(r, 8));
	nl();
	fs_append_stream(g, &r);
	out = stream_of(&r);
	out_bwrite(out, "END", 3, &r);
	out_bzeroes(out, 2, &r);
	out_drop(out);
	fs_read(g, 100, 0, &r);
	puts_("out.txt now ");
	for (uint32_t i = 0; !R8(r, 0) && i < R32(r, 8); i++) {
		char c = ((const char *)(uintptr_t)R32(r, 4))[i];

		put(c ? &c : "0", 1);
	}
	nl();
	fs_set_size(g, 4, &r);
	puts_("set-size 4 ");
	put_res(&r);
	nl();
	fs_sync(g, &r);
	fs_stat(g, &r);
	put_stat("stat out.txt", &r);
	fs_get_flags(g, &r);
	puts_("get-flags out.txt ");
	putu(R8(r, 0) ? 999 : (R8(r, 1) & (DF_READ | DF_WRITE)));
	nl();

	s = open_at(root, 0, "copy.txt", OF_CREATE | OF_EXCLUSIVE, DF_WRITE);
	fs_drop(s);
	open_at(root, 0, "copy.txt", OF_CREATE | OF_EXCLUSIVE, DF_WRITE);

	hash_of(f, 0, NULL, h1);
	hash_of(root, 0, "in.txt", h2);
	hash_of(root, 0, "copy.txt", h3);
	say("metadata-hash in.txt = metadata-hash-at in.txt", h1[0] == h2[0] && h1[1] == h2[1]);
	say("metadata-hash in.txt != copy.txt", h1[0] != h3[0] || h1[1] != h3[1]);
	open_at(root, 0, "nothing-here", 0, DF_READ);
	open_at(root, 0, "in.txt", OF_DIRECTORY, DF_READ);
	fs_drop(g);
	fs_drop(f);
}

/* Directories: the preopen's stat, create-directory-at, is-same-object,
 * metadata-hash, link-at, symlink-at, readlink-at, rename-at,
 * read-directory, unlink-file-at, remove-directory-at. */
static void fsdir_part(void)
{
	w2_ret r;
	h32 s, dot;
	uint64_t h1[2], h2[2], h3[2];

	fs_stat(root, &r);
	put_stat("stat preopen", &r);
	fs_get_type(root, &r);
	puts_("get-type preopen ");
	puts_(R8(r, 0) ? errname(R8(r, 1)) : typenames[R8(r, 1) & 7]);
	nl();
	s = open_at(root, 0, "out.txt", OF_CREATE, DF_WRITE);
	fs_write(s, "four", 4, 0, &r);
	fs_drop(s);

	fs_mkdir(root, "sub", 3, &r);
	path_res("create-directory-at", "sub", &r);
	fs_mkdir(root, "sub", 3, &r);
	path_res("create-directory-at", "sub", &r);
	s = open_at(root, 0, "sub", OF_DIRECTORY, DF_READ | DF_MUTATE_DIR);
	dot = open_at(root, 0, ".", OF_DIRECTORY, DF_READ);
	say("is-same-object sub preopen is false", !fs_same(s, root));
	say("is-same-object . preopen", fs_same(dot, root) != 0);
	hash_of(root, 0, NULL, h1);
	hash_of(root, 0, ".", h2);
	hash_of(root, 0, "in.txt", h3);
	say("metadata-hash preopen = metadata-hash-at .", h1[0] == h2[0] && h1[1] == h2[1]);
	say("metadata-hash preopen != in.txt", h1[0] != h3[0] || h1[1] != h3[1]);
	fs_drop(dot);
	fs_link(root, 0, "in.txt", 6, s, "hard", 4, &r);
	path_res("link-at", "in.txt sub/hard", &r);
	stat_at(root, 0, "sub/hard");
	fs_symlink(s, "../in.txt", 9, "sym", 3, &r);
	path_res("symlink-at", "../in.txt sub/sym", &r);
	fs_readlink(root, "sub/sym", 7, &r);
	puts_("readlink-at sub/sym ");
	if (!R8(r, 0))
		put((const char *)(uintptr_t)R32(r, 4), R32(r, 8));
	else
		puts_(errname(R8(r, 4)));
	nl();
	stat_at(root, 0, "sub/sym");
	stat_at(root, PF_FOLLOW, "sub/sym");
	fs_rename(root, "out.txt", 7, s, "moved", 5, &r);
	path_res("rename-at", "out.txt sub/moved", &r);
	stat_at(root, 0, "out.txt");
	stat_at(s, 0, "moved");
	list_dir(s);
	fs_rmdir(root, "sub", 3, &r);
	path_res("remove-directory-at", "sub", &r);
	fs_unlink(root, "sub", 3, &r);
	path_res("unlink-file-at", "sub", &r);
	fs_unlink(s, "hard", 4, &r);
	path_res("unlink-file-at", "sub/hard", &r);
	fs_unlink(s, "sym", 3, &r);
	path_res("unlink-file-at", "sub/sym", &r);
	fs_unlink(s, "moved", 5, &r);
	path_res("unlink-file-at", "sub/moved", &r);
	fs_drop(s);
	fs_rmdir(root, "sub", 3, &r);
	path_res("remove-directory-at", "sub", &r);
	list_dir(root);
}

/* splice and blocking-splice: in.txt into spliced.txt through their
 * streams. */
static void splice_part(void)
{
	w2_ret r;
	h32 f = open_at(root, 0, "in.txt", 0, DF_READ), s, in, out;
	uint64_t spliced = 0;

	fs_read_stream(f, 0, &r);
	in = stream_of(&r);
	s = open_at(root, 0, "spliced.txt", OF_CREATE | OF_EXCLUSIVE, DF_WRITE);
	fs_write_stream(s, 0, &r);
	out = stream_of(&r);
	out_splice(out, in, 4, &r);
	puts_("splice 4 ");
	putu(R8(r, 0) ? 0 : R64(r, 8));
	nl();
	for (;;) {
		out_bsplice(out, in, 5, &r);
		if (R8(r, 0))
			break;
		spliced += R64(r, 8);
	}
	puts_("blocking-splice rest ");
	putu(spliced);
	puts_(R8(r, 8) == 1 ? " closed" : " failed");
	nl();
	out_drop(out);
	in_drop(in);
	fs_drop(s);
	fs_drop(f);
}

/* Stream errors: stdin is a directory (the test opens one), so its read
 * fails with last-operation-failed, whose error describes itself and
 * names is-directory (filesystem-error-code); a directory descriptor's
 * input stream is refused (bad-descriptor, as wasmtime has it). */
static void ioerr_part(void)
{
	w2_ret r, d;
	h32 in = cli_stdin(), dir, err;

	in_bread(in, 10, &r);
	puts_("blocking-read of stdin ");
	puts_(!R8(r, 0) ? "read" : R8(r, 4) == 1 ? "closed" : "last-operation-failed");
	nl();
	if (R8(r, 0) && R8(r, 4) == 0) {
		err = (h32)R32(r, 8);
		io_err_debug(err, &d);
		say("to-debug-string", R32(d, 4) > 0);
		fs_error_code(err, &d);
		puts_("filesystem-error-code ");
		puts_(R8(d, 0) ? errname(R8(d, 1)) : "none");
		nl();
		io_err_drop(err);
	}
	in_drop(in);
	dir = open_at(root, 0, "dir", OF_DIRECTORY, DF_READ);
	fs_read_stream(dir, 0, &r);
	puts_("read-via-stream of a directory ");
	puts_(R8(r, 0) ? errname(R8(r, 4)) : "given");
	nl();
	if (!R8(r, 0))
		in_drop((h32)R32(r, 4));
	fs_drop(dir);
}

/* Prints a stat's access and modification times: seconds nanoseconds. */
static void put_times(const char *what, const w2_ret *r)
{
	puts_(what);
	if (r->b[0]) {
		puts_(" ");
		puts_(errname(r->b[8]));
	} else {
		puts_(" atime ");
		putu(R64(*r, 40));
		puts_(" ");
		putu(R32(*r, 48));
		puts_(" mtime ");
		putu(R64(*r, 64));
		puts_(" ");
		putu(R32(*r, 72));
	}
	nl();
}

/* set-times, set-times-at (no-change, now, a given time), sync,
 * sync-data, advise on a file. */
static void times_part(void)
{
	w2_ret r;
	h32 f = open_at(root, 0, "in.txt", 0, DF_READ | DF_WRITE);

	fs_set_times(f, TS_AT, 1000000000, 5, TS_AT, 1200000000, 123456789, &r);
	puts_("set-times ");
	put_res(&r);
	nl();
	fs_stat(f, &r);
	put_times("stat", &r);
	fs_set_times(f, TS_NO_CHANGE, 0, 0, TS_AT, 1300000000, 7, &r);
	fs_stat(f, &r);
	put_times("after mtime only", &r);
	fs_set_times_at(root, 0, "in.txt", 6, TS_AT, 1100000000, 0, TS_NO_CHANGE, 0, 0, &r);
	puts_("set-times-at ");
	put_res(&r);
	nl();
	fs_stat_at(root, 0, "in.txt", 6, &r);
	put_times("stat-at", &r);
	fs_set_times(f, TS_NOW, 0, 0, TS_NOW, 0, 0, &r);
	fs_stat(f, &r);
	say("set-times now", !r.b[0] && R64(r, 64) > 1700000000);
	fs_set_times(f, TS_AT, 0, 1000000000, TS_NO_CHANGE, 0, 0, &r);
	puts_("set-times nanoseconds 1e9 ");
	put_res(&r);
	nl();
	fs_sync(f, &r);
	puts_("sync ");
	put_res(&r);
	nl();
	fs_sync_data(f, &r);
	puts_("sync-data ");
	put_res(&r);
	nl();
	fs_advise(f, 0, 10, 1, &r);	/* sequential */
	puts_("advise ");
	put_res(&r);
	nl();
	fs_drop(f);
}

/* Writing through a descriptor opened for reading only must fail. */
static void fsro_part(void)
{
	w2_ret r;
	h32 f = open_at(root, 0, "in.txt", 0, DF_READ);

	fs_write(f, "x", 1, 0, &r);
	puts_("write to a read-only descriptor ");
	puts_(R8(r, 0) ? "refused" : "WRITTEN");
	nl();
	fs_write_stream(f, 0, &r);
	puts_("write-via-stream of a read-only descriptor ");
	puts_(R8(r, 0) ? "refused" : "given");
	nl();
	fs_drop(f);
}

/* Paths that leave the preopen through "link" (a symlink to a directory
 * outside), "..", or an absolute name: each must fail. */
static void escape_part(void)
{
	static const char *const opens[] = {
		"link", "link/", "link/.", "link/./", "link/secret.txt", "link/../link/secret.txt",
		"..", "../", "/", "/etc/passwd", "dir/../../", "dir/../link/",
	};
	static const char *const dirs[] = { "link/", "link/.", "link/new", "link/./new", "../new" };
	w2_ret r;

	for (size_t i = 0; i < sizeof(opens) / sizeof(opens[0]); i++) {
		for (int pf = 0; pf <= PF_FOLLOW; pf++) {
			fs_open(root, pf, opens[i], slen(opens[i]), 0, DF_READ, &r);
			puts_(pf ? "open-at follow " : "open-at ");
			puts_(opens[i]);
			puts_(R8(r, 0) ? " refused" : " OPENED");
			nl();
			if (!R8(r, 0))
				fs_drop((h32)R32(r, 4));
			fs_open(root, pf, opens[i], slen(opens[i]), OF_DIRECTORY, DF_READ, &r);
			puts_(pf ? "open-at dir follow " : "open-at dir ");
			puts_(opens[i]);
			puts_(R8(r, 0) ? " refused" : " OPENED");
			nl();
			if (!R8(r, 0))
				fs_drop((h32)R32(r, 4));
			fs_stat_at(root, pf, opens[i], slen(opens[i]), &r);
			puts_(pf ? "stat-at follow " : "stat-at ");
			puts_(opens[i]);
			/* without follow, "link" itself is the symlink in the preopen */
			puts_(R8(r, 0) ? " refused"
			      : (!pf && seq(opens[i], slen(opens[i]), "link") ? " (the link)"
				 : " STATTED"));
			nl();
		}
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		fs_mkdir(root, dirs[i], slen(dirs[i]), &r);
		puts_("create-directory-at ");
		puts_(dirs[i]);
		puts_(R8(r, 0) ? " refused" : " CREATED");
		nl();
	}
	fs_symlink(root, "x", 1, "link/made", 9, &r);
	puts_(R8(r, 0) ? "symlink-at link/made refused" : "symlink-at link/made CREATED");
	nl();
	fs_unlink(root, "link/secret.txt", 15, &r);
	puts_(R8(r, 0) ? "unlink-file-at link/secret.txt refused"
	      : "unlink-file-at link/secret.txt REMOVED");
	nl();
}

__attribute__((export_name("wasi:cli/run@" WV "#run")))
int32_t run(void)
{
	w2_ret r;

	cli_args(&r);
	args = (void *)(uintptr_t)R32(r, 0);
	nargs = R32(r, 4);
	if (arg_is(1, "cli"))
		return cli_part();
	if (arg_is(1, "epipe"))
		return epipe_part();
	if (arg_is(1, "term"))
		term_part();
	else if (arg_is(1, "skip"))
		skip_part();
	else if (arg_is(1, "zeroes"))
		zeroes_part();
	else if (arg_is(1, "poll"))
		poll_part();
	else if (arg_is(1, "random"))
		random_part();
	else if (arg_is(1, "fs") || arg_is(1, "fsdir") || arg_is(1, "fsro") || arg_is(1, "ioerr") || arg_is(1, "times") ||
		 arg_is(1, "splice") ||
		 arg_is(1, "escape")) {
		fs_preopens(&r);
		puts_("preopens");
		for (uint32_t i = 0; i < R32(r, 4); i++) {
			const uint32_t *t = (const uint32_t *)(uintptr_t)(R32(r, 0) + 12 * i);

			puts_(" ");
			put((const char *)(uintptr_t)t[1], t[2]);
			if (i == 0)
				root = (h32)t[0];
		}
		nl();
		if (root < 0)
			return 1;
		if (arg_is(1, "fs"))
			fs_part();
		else if (arg_is(1, "fsdir"))
			fsdir_part();
		else if (arg_is(1, "fsro"))
			fsro_part();
		else if (arg_is(1, "ioerr"))
			ioerr_part();
		else if (arg_is(1, "times"))
			times_part();
		else if (arg_is(1, "splice"))
			splice_part();
		else
			escape_part();
	} else {
		puts_("usage: w2n cli|epipe|skip|zeroes|term|poll|random|fs|fsdir|times|fsro|ioerr|splice|escape");
		nl();
		return 1;
	}
	return 0;
}
