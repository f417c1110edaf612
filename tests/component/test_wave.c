/*
 * test_wave.c: WAVE (src/component/wave.h): every kind of value read and
 * printed, print(parse(x)) == x for the canonical forms, the other forms
 * each kind accepts, every error with its column, invocations, the
 * printer's own checks, floats against shortest round-trip vectors (made
 * with Python's repr, written positionally as Rust does), and random
 * token soup that must be read or refused cleanly, and, when read, print
 * to a text that reads back to the same print (this test also runs under
 * AddressSanitizer and UBSan, `make asan`).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ctype.h"
#include "wave.h"

/* ---- building types ---- */

static ctype_arena *A;

static int setup(void **state)
{
	A = ctype_arena_new();
	return A ? 0 : -1;
}

static int teardown(void **state)
{
	ctype_arena_free(A);
	A = NULL;
	return 0;
}

static const ctype *P(wr_ckind k) { return ctype_prim(k); }

static const ctype *mk(wr_ckind k, const ctype *elem, const ctype *err, uint32_t n,
		       const cfield *f)
{
	ctype *t = ctype_alloc(A, sizeof(*t));
	assert_non_null(t);
	t->kind = k, t->elem = elem, t->err = err, t->n = n, t->f = f;
	assert_true(ctype_finish(t));
	return t;
}

/* n fields from (name, type) pairs; names NULL for a tuple, types NULL for
 * enums and flags (names only then: flds(n, 0, names...)). */
static cfield *flds(uint32_t n, int typed, ...)
{
	cfield *f = ctype_alloc(A, sizeof(*f) * (n ? n : 1));
	va_list ap;
	va_start(ap, typed);
	for (uint32_t i = 0; i < n; i++) {
		f[i].name = typed != 2 ? va_arg(ap, const char *) : NULL;
		f[i].type = typed ? va_arg(ap, const ctype *) : NULL;
	}
	va_end(ap);
	return f;
}

#define LIST(e) mk(WR_C_LIST, (e), NULL, 0, NULL)
#define OPTION(e) mk(WR_C_OPTION, (e), NULL, 0, NULL)
#define RESULT(o, e) mk(WR_C_RESULT, (o), (e), 0, NULL)
#define TUPLE(n, ...) mk(WR_C_TUPLE, NULL, NULL, (n), flds((n), 2, __VA_ARGS__))
#define RECORD(n, ...) mk(WR_C_RECORD, NULL, NULL, (n), flds((n), 1, __VA_ARGS__))
#define VARIANT(n, ...) mk(WR_C_VARIANT, NULL, NULL, (n), flds((n), 1, __VA_ARGS__))
#define ENUM(n, ...) mk(WR_C_ENUM, NULL, NULL, (n), flds((n), 0, __VA_ARGS__))
#define FLAGS(n, ...) mk(WR_C_FLAGS, NULL, NULL, (n), flds((n), 0, __VA_ARGS__))

static const ctype *fixed_list(const ctype *e, uint32_t len)
{
	ctype *t = ctype_alloc(A, sizeof(*t));
	t->kind = WR_C_LIST, t->elem = e, t->fixed_len = len;
	assert_true(ctype_finish(t));
	return t;
}

/* ---- checking ---- */

static char err[256];

/* An exact-size heap copy of text, so that a read past its end is caught. */
static char *exact(const char *text)
{
	size_t n = strlen(text);
	char *c = malloc(n ? n : 1);
	assert_non_null(c);
	memcpy(c, text, n);
	return c;
}

/* text reads as a value of t that prints as want (NULL: as text). */
static void reads_as(const ctype *t, const char *text, const char *want)
{
	wr_cval v;
	char *copy = exact(text);
	if (!wave_parse(copy, strlen(text), t, &v, err, sizeof(err)))
		fail_msg("reading %s: %s", text, err);
	free(copy);
	char *s = wave_to_string(&v, t, NULL);
	if (!s)
		fail_msg("printing %s failed", text);
	if (strcmp(s, want ? want : text) != 0)
		fail_msg("%s printed as %s, not %s", text, s, want ? want : text);
	free(s);
	wr_cval_free(&v);
}

#define RT(t, text) reads_as((t), (text), NULL)

/* text is refused with a message containing what, at column col. */
static void refused(const ctype *t, const char *text, int col, const char *what)
{
	wr_cval v;
	char at[32];
	char *copy = exact(text);
	memset(&v, 0xab, sizeof(v));
	bool ok = wave_parse(copy, strlen(text), t, &v, err, sizeof(err));
	free(copy);
	if (ok) {
		char *s = wave_to_string(&v, t, NULL);
		fail_msg("%s was read (as %s); expected an error", text, s ? s : "?");
	}
	snprintf(at, sizeof(at), "column %d: ", col);
	if (!strstr(err, at) || !strstr(err, what))
		fail_msg("%s: error \"%s\", expected \"%s...%s\"", text, err, at, what);
	/* nothing is left to free */
	static const wr_cval zero;
	assert_memory_equal(&v, &zero, sizeof(v));
}

/* ---- scalars ---- */

static void test_bools_and_integers(void **state)
{
	RT(P(WR_C_BOOL), "true");
	RT(P(WR_C_BOOL), "false");
	RT(P(WR_C_S8), "-128");
	RT(P(WR_C_S8), "127");
	RT(P(WR_C_U8), "255");
	RT(P(WR_C_S16), "-32768");
	RT(P(WR_C_U16), "65535");
	RT(P(WR_C_S32), "-2147483648");
	RT(P(WR_C_U32), "4294967295");
	RT(P(WR_C_S64), "-9223372036854775808");
	RT(P(WR_C_S64), "9223372036854775807");
	RT(P(WR_C_U64), "18446744073709551615");
	RT(P(WR_C_U64), "0");
	reads_as(P(WR_C_S32), "-0", "0");
	reads_as(P(WR_C_U32), "  7  // seven\n", "7");

	wr_cval v;
	assert_true(wave_parse("-5", 2, P(WR_C_S16), &v, err, sizeof(err)));
	assert_int_equal(v.kind, WR_C_S16);
	assert_int_equal(v.of.i, -5);
	assert_true(wave_parse("40000", 5, P(WR_C_U16), &v, err, sizeof(err)));
	assert_int_equal(v.of.u, 40000);
	assert_true(wave_parse("true", 4, P(WR_C_BOOL), &v, err, sizeof(err)));
	assert_int_equal(v.of.u, 1);

	refused(P(WR_C_S8), "128", 1, "out of range for s8");
	refused(P(WR_C_S8), "-129", 1, "out of range");
	refused(P(WR_C_U8), "256", 1, "out of range for u8");
	refused(P(WR_C_U8), "-1", 1, "out of range");
	refused(P(WR_C_U8), "-0", 1, "out of range");
	refused(P(WR_C_S16), "32768", 1, "out of range");
	refused(P(WR_C_U32), "4294967296", 1, "out of range");
	refused(P(WR_C_S64), "9223372036854775808", 1, "out of range");
	refused(P(WR_C_U64), "18446744073709551616", 1, "out of range");
	refused(P(WR_C_U64), "99999999999999999999999999", 1, "out of range");
	refused(P(WR_C_U32), "1.0", 1, "not an integer");
	refused(P(WR_C_U32), "1e3", 1, "not an integer");
	refused(P(WR_C_S32), "-inf", 1, "not an integer");
	refused(P(WR_C_S32), "nan", 1, "expected an s32, found `nan`");
	refused(P(WR_C_U32), "01", 2, "unexpected `1` after the value");
	refused(P(WR_C_U32), "+1", 1, "unexpected character `+`");
	refused(P(WR_C_U32), "0x10", 2, "unexpected `x10`");
	refused(P(WR_C_U32), "\"1\"", 1, "expected a u32, found a string");
	refused(P(WR_C_BOOL), "1", 1, "expected a bool, found `1`");
	refused(P(WR_C_BOOL), "True", 1, "expected a bool, found `T`");   /* labels are single-case words */
	refused(P(WR_C_BOOL), "%true", 1, "expected a bool, found `%true`");
	refused(P(WR_C_BOOL), "", 1, "expected a bool, found the end of the text");
}

static uint64_t dbits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

static void print_f64(double d, char *buf, size_t n)
{
	wr_cval v = { .kind = WR_C_F64, .of.f64 = d };
	assert_true(wave_print(&v, P(WR_C_F64), buf, n) < n);
}

/* Shortest round-trip digits, from Python's repr, positional as Rust's Display. */
static const struct { uint64_t bits; const char *text; } f64_vectors[] = {
	{ 0x3c30000000000000ull, "0.0000000000000000008673617379884035" },
	{ 0x3d9c172411e20b8full, "0.000000000006387016158513563" },
	{ 0x3e7ad7f29abcaf48ull, "0.0000001" },
	{ 0x3eb0c6f7a0b5ed8dull, "0.000001" },
	{ 0x3fb999999999999aull, "0.1" },
	{ 0x3fd3333333333333ull, "0.3" },
	{ 0x3fd5555555555555ull, "0.3333333333333333" },
	{ 0x3fe5555555555555ull, "0.6666666666666666" },
	{ 0x4011666666666666ull, "4.35" },
	{ 0x4340000000000000ull, "9007199254740992" },
	{ 0x4340000000000001ull, "9007199254740994" },
	{ 0x437b69b4ba630f35ull, "123456789012345680" },
	{ 0x43b0000000000000ull, "1152921504606847000" },
	{ 0x444b1ae4d6e2ef50ull, "1000000000000000000000" },
	{ 0x4480f0cf064dd592ull, "10000000000000000000000" },
	{ 0x44b52d02c7e14af6ull, "100000000000000000000000" },
	{ 0x3ad59343b7d070aaull, "0.00000000000000000000000027885359691576746" },
	{ 0x3dca8f0ac8fe9feeull, "0.000000000048310099951966583" },
	{ 0xc472c1873ef39c80ull, "-5535785237023545000000" },
	{ 0xc47aef9c080061e8ull, "-7950096476569850000000" },
	{ 0x3bc28528f93fba28ull, "0.000000000000000000007843591354096908" },
	{ 0xbd708b35cb627d12ull, "-0.0000000000009404055611238593" },
	{ 0xc293739432df64d5ull, "-5346782132185.208" },
	{ 0x43cdfa8eef2f9289ull, "4320392258448069000" },
	{ 0xbe11739e99e4e90eull, "-0.0000000010158190743229279" },
	{ 0x3cc2a6273c6dfe14ull, "0.0000000000000005176147342595346" },
	{ 0x3cb0000000000000ull, "0.0000000000000002220446049250313" },
	{ 0x43e0000000000000ull, "9223372036854776000" },
	{ 0x430c6bf526340002ull, "1000000000000000.2" },
	{ 0x3e012e0be826d695ull, "0.0000000005" },
	{ 0x420bf08eb0000001ull, "15000000000.000002" },
	{ 0xc2ce6f447ed4d57bull, "-66926478731690.96" },
	/* powers of two, where the shortest digits lie on the far side of the
	 * lopsided rounding interval: the correctly rounded ones do not read back */
	{ 0x3e70000000000000ull, "0.00000005960464477539063" },
	{ 0x4580000000000000ull, "618970019642690200000000000" },
};

static void test_floats(void **state)
{
	char buf[400], want[400];
	RT(P(WR_C_F64), "1.5");
	RT(P(WR_C_F64), "-1.5");
	RT(P(WR_C_F64), "0");
	RT(P(WR_C_F64), "-0");
	RT(P(WR_C_F64), "nan");
	RT(P(WR_C_F64), "inf");
	RT(P(WR_C_F64), "-inf");
	RT(P(WR_C_F32), "3.14");
	RT(P(WR_C_F32), "nan");
	RT(P(WR_C_F32), "-inf");
	reads_as(P(WR_C_F64), "6.022e+23", "602200000000000000000000");
	reads_as(P(WR_C_F64), "-1.5e-10", "-0.00000000015");
	reads_as(P(WR_C_F64), "1E2", "100");
	reads_as(P(WR_C_F64), "1.0", "1");
	reads_as(P(WR_C_F64), "1e400", "inf");
	reads_as(P(WR_C_F64), "-1e400", "-inf");
	reads_as(P(WR_C_F64), "1e-400", "0");
	reads_as(P(WR_C_F32), "0.1", "0.1");
	reads_as(P(WR_C_F32), "0.333333333333", "0.33333334");
	reads_as(P(WR_C_F32), "16777217", "16777216");
	reads_as(P(WR_C_F32), "3.4028235e38", "340282350000000000000000000000000000000");
	reads_as(P(WR_C_F32), "1.1754944e-38", "0.000000000000000000000000000000000000011754944");
	reads_as(P(WR_C_F32), "1e-45", "0.000000000000000000000000000000000000000000001");
	reads_as(P(WR_C_F32), "1.1920929e-7", "0.00000011920929");
	reads_as(P(WR_C_F32), "1e39", "inf");
	reads_as(P(WR_C_F32), "1.5474251e26", "154742510000000000000000000");   /* 2^87 */
	reads_as(P(WR_C_F32), "1.2621775e-29", "0.000000000000000000000000000012621775"); /* 2^-96 */

	/* NaNs read as the canonical NaN; any NaN prints as nan */
	wr_cval v;
	assert_true(wave_parse("nan", 3, P(WR_C_F32), &v, err, sizeof(err)));
	assert_int_equal(fbits(v.of.f32), 0x7fc00000);
	assert_true(wave_parse("nan", 3, P(WR_C_F64), &v, err, sizeof(err)));
	assert_true(dbits(v.of.f64) == 0x7ff8000000000000ull);
	uint64_t snan = 0xfff0000000000001ull;
	memcpy(&v.of.f64, &snan, 8);
	assert_int_equal(wave_print(&v, P(WR_C_F64), buf, sizeof(buf)), 3);
	assert_string_equal(buf, "nan");

	for (size_t i = 0; i < sizeof(f64_vectors) / sizeof(f64_vectors[0]); i++) {
		double d;
		memcpy(&d, &f64_vectors[i].bits, 8);
		print_f64(d, buf, sizeof(buf));
		if (strcmp(buf, f64_vectors[i].text) != 0)
			fail_msg("%016llx printed as %s, not %s",
				 (unsigned long long)f64_vectors[i].bits, buf, f64_vectors[i].text);
		RT(P(WR_C_F64), f64_vectors[i].text);
	}
	/* the extremes: 2^-1074 and the largest double */
	print_f64(5e-324, buf, sizeof(buf));
	snprintf(want, sizeof(want), "0.%0323d5", 0);
	assert_string_equal(buf, want);
	print_f64(1.7976931348623157e308, buf, sizeof(buf));
	memset(want, '0', 309);
	memcpy(want, "17976931348623157", 17);
	want[309] = 0;
	assert_string_equal(buf, want);
	RT(P(WR_C_F64), want);

	refused(P(WR_C_F64), "1.", 2, "unexpected character `.`");
	refused(P(WR_C_F64), ".5", 1, "unexpected character `.`");
	refused(P(WR_C_F64), "-nan", 1, "unexpected character `-`");
	refused(P(WR_C_F64), "Infinity", 1, "expected an f64, found `I`");
	refused(P(WR_C_F64), "%inf", 1, "expected an f64, found `%inf`");
	refused(P(WR_C_F32), "1e", 2, "unexpected `e` after the value");
}

/* Every i/j for i, j < 100, as f32 and f64, prints and reads back bit for bit. */
static void test_float_round_trips(void **state)
{
	char buf[400];
	wr_cval v, back;
	for (int i = 0; i < 100; i++) {
		for (int j = 0; j < 100; j++) {
			if (i == 0 && j == 0)
				continue;   /* NaN: reads back as the canonical NaN */
			v = (wr_cval){ .kind = WR_C_F32, .of.f32 = (float)i / (float)j };
			size_t n = wave_print(&v, P(WR_C_F32), buf, sizeof(buf));
			assert_true(wave_parse(buf, n, P(WR_C_F32), &back, err, sizeof(err)));
			assert_int_equal(fbits(back.of.f32), fbits(v.of.f32));
			v = (wr_cval){ .kind = WR_C_F64, .of.f64 = (double)i / j };
			n = wave_print(&v, P(WR_C_F64), buf, sizeof(buf));
			assert_true(wave_parse(buf, n, P(WR_C_F64), &back, err, sizeof(err)));
			assert_true(dbits(back.of.f64) == dbits(v.of.f64));
		}
	}
	/* and random bit patterns (NaNs aside) */
	uint64_t x = 88172645463325252ull;
	for (int k = 0; k < 20000; k++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		double d;
		float f;
		uint32_t lo = (uint32_t)x;
		memcpy(&d, &x, 8);
		memcpy(&f, &lo, 4);
		if (!isnan(d)) {
			v = (wr_cval){ .kind = WR_C_F64, .of.f64 = d };
			size_t n = wave_print(&v, P(WR_C_F64), buf, sizeof(buf));
			assert_true(wave_parse(buf, n, P(WR_C_F64), &back, err, sizeof(err)));
			assert_true(dbits(back.of.f64) == dbits(d));
		}
		if (!isnan(f)) {
			v = (wr_cval){ .kind = WR_C_F32, .of.f32 = f };
			size_t n = wave_print(&v, P(WR_C_F32), buf, sizeof(buf));
			assert_true(wave_parse(buf, n, P(WR_C_F32), &back, err, sizeof(err)));
			assert_int_equal(fbits(back.of.f32), fbits(f));
		}
	}
}

static void test_chars(void **state)
{
	const ctype *c = P(WR_C_CHAR);
	RT(c, "'x'");
	RT(c, "'☃'");
	RT(c, "'😂'");
	RT(c, "'\\''");
	RT(c, "'\\\"'");
	RT(c, "'\\\\'");
	RT(c, "'\\t'");
	RT(c, "'\\n'");
	RT(c, "'\\r'");
	RT(c, "'\\u{0}'");
	RT(c, "'\\u{1b}'");
	RT(c, "'\\u{7f}'");
	RT(c, "'\\u{301}'");     /* combining acute accent: Grapheme_Extend */
	RT(c, "'\\u{200d}'");    /* zero-width joiner: Cf */
	RT(c, "'\\u{a0}'");      /* no-break space: Zs */
	RT(c, "'\\u{202e}'");    /* right-to-left override: Cf */
	RT(c, "'\\u{e000}'");    /* private use */
	RT(c, "'\\u{378}'");     /* unassigned */
	RT(c, "' '");
	reads_as(c, "'\"'", "'\\\"'");
	reads_as(c, "'\\u{1F44B}'", "'👋'");
	reads_as(c, "'\\u{00041}'", "'A'");
	reads_as(c, "'\\u{10FFFF}'", "'\\u{10ffff}'");
	reads_as(c, "'\t'", "'\\t'");

	wr_cval v;
	assert_true(wave_parse("'é'", strlen("'é'"), c, &v, err, sizeof(err)));
	assert_int_equal(v.of.u, 0xe9);

	refused(c, "''", 1, "empty char literal");
	refused(c, "'ab'", 1, "holds one character");
	refused(c, "'a", 1, "unterminated char literal");
	refused(c, "'\n'", 1, "unterminated char literal");
	refused(c, "'''", 1, "empty char literal");
	refused(c, "'\\x'", 2, "invalid escape: \\ followed by `x`");
	refused(c, "'\\u{D800}'", 2, "U+D800 is a surrogate");
	refused(c, "'\\u{dfff}'", 2, "surrogate");
	refused(c, "'\\u{110000}'", 2, "beyond U+10FFFF");
	refused(c, "'\\u{}'", 2, "1 to 6 hex digits");
	refused(c, "'\\u{1234567}'", 2, "1 to 6 hex digits");
	refused(c, "'\\u{12g}'", 2, "1 to 6 hex digits");
	refused(c, "'\\u41'", 2, "\\u must be followed by {hex digits}");
	refused(c, "'\\u{41'", 2, "1 to 6 hex digits");
	refused(c, "\"a\"", 1, "expected a char, found a string");
}

static void test_strings(void **state)
{
	const ctype *s = P(WR_C_STRING);
	RT(s, "\"\"");
	RT(s, "\"abc\\t123\"");
	RT(s, "\"👋 Hello, world! 👋\"");
	RT(s, "\"\\\\☃\\\"\"");
	RT(s, "\"\\t\\r\\n\\u{0}\"");
	RT(s, "\"it\\'s\"");
	RT(s, "\"e\\u{301}\"");
	RT(s, "\"\\u{1b}[31mred\"");
	RT(s, "\"a\\u{2028}b\"");
	reads_as(s, "\"it's\"", "\"it\\'s\"");
	reads_as(s, "\"tab\there\"", "\"tab\\there\"");
	reads_as(s, "\"\\u{48}\\u{49}\"", "\"HI\"");
	reads_as(s, "\"a\\\"b\"", "\"a\\\"b\"");
	/* multi-line strings (the WAVE README's examples) */
	reads_as(s, "\"\"\"\nA single line\n\"\"\"", "\"A single line\"");
	reads_as(s, "\"\"\"\n    Indentation determined\n      by ending delimiter\n  \"\"\"",
		 "\"  Indentation determined\\n    by ending delimiter\"");
	reads_as(s, "\"\"\"\n  Must escape carriage return at end of line: \\r\n"
		 "  Must break up double quote triplets: \"\"\\\"\"\n  \"\"\"",
		 "\"Must escape carriage return at end of line: \\r\\n"
		 "Must break up double quote triplets: \\\"\\\"\\\"\\\"\"");
	reads_as(s, "\"\"\"\r\n  a\r\n  b\r\n  \"\"\"", "\"a\\nb\"");
	reads_as(s, "\"\"\"\n\"\"\"", "\"\"");
	reads_as(s, "\"\"\"\n  'quoted' \"x\"\n  \"\"\"", "\"\\'quoted\\' \\\"x\\\"\"");

	wr_cval v;
	assert_true(wave_parse("\"a\\u{0}b\"", 9, s, &v, err, sizeof(err)));
	assert_int_equal(v.len, 3);
	assert_memory_equal(v.of.str, "a\0b", 4);
	wr_cval_free(&v);

	refused(s, "\"abc", 1, "unterminated string");
	refused(s, "\"ab\ncd\"", 4, "line break in a string");
	refused(s, "\"a\\qb\"", 3, "invalid escape: \\ followed by `q`");
	refused(s, "\"\\u{d800}\"", 2, "surrogate");
	refused(s, "\"x\\", 3, "a backslash ends the text");
	refused(s, "\"\"\"abc\"\"\"", 1, "must be followed by a line break");
	refused(s, "\"\"\"\nabc\"\"\"", 4, "line of its own");
	refused(s, "\"\"\"\nabc\n  x\"\"\"", 4, "line of its own");
	refused(s, "\"\"\"\n a\n  \"\"\"", 1, "indented less than its closing");
	refused(s, "\"\"\"\n  a\\\n  \"\"\"", 4, "invalid escape");
	refused(s, "\"\"\"\n  a\n", 1, "unterminated \"\"\" string");
	refused(s, "'a'", 1, "expected a string, found a char");
	refused(s, "abc", 1, "expected a string, found `abc`");
	/* not UTF-8: refused wherever it is */
	refused(s, "\"a\xff\"", 3, "not valid UTF-8 (byte 0xff)");
	refused(s, "\"\xed\xa0\x80\"", 2, "not valid UTF-8");   /* an encoded surrogate */
	refused(s, "\"\xc0\xaf\"", 2, "not valid UTF-8");       /* overlong */
	refused(s, "\"ok\" // \xfe", 9, "not valid UTF-8");
}

/* ---- aggregates ---- */

static void test_lists_and_tuples(void **state)
{
	const ctype *lu8 = LIST(P(WR_C_U8));
	RT(lu8, "[]");
	RT(lu8, "[1, 2, 3]");
	reads_as(lu8, "[ 1 ,2,3, ]", "[1, 2, 3]");
	reads_as(lu8, "[\n  1, // one\n  2,\n]", "[1, 2]");
	RT(LIST(LIST(P(WR_C_STRING))), "[[], [\"a\"], [\"b\", \"c\"]]");
	RT(LIST(P(WR_C_CHAR)), "['a', 'b', 'c']");
	const ctype *f3 = fixed_list(P(WR_C_S32), 3);
	RT(f3, "[1, -2, 3]");
	const ctype *tup = TUPLE(2, P(WR_C_STRING), P(WR_C_U8));
	RT(tup, "(\"abc\", 123)");
	reads_as(tup, "(\"abc\",123,)", "(\"abc\", 123)");
	RT(TUPLE(1, P(WR_C_BOOL)), "(true)");
	RT(LIST(TUPLE(2, P(WR_C_U8), LIST(P(WR_C_U8)))), "[(1, []), (2, [3])]");

	wr_cval v;
	assert_true(wave_parse("[7, 8]", 6, lu8, &v, err, sizeof(err)));
	assert_int_equal(v.kind, WR_C_LIST);
	assert_int_equal(v.len, 2);
	assert_int_equal(v.of.elems[1].kind, WR_C_U8);
	assert_int_equal(v.of.elems[1].of.u, 8);
	wr_cval_free(&v);

	refused(lu8, "[1, 2", 6, "expected `,` or `]`, found the end of the text");
	refused(lu8, "[1 2]", 4, "expected `,` or `]`, found `2`");
	refused(lu8, "[,]", 2, "expected a u8, found `,`");
	refused(lu8, "[1,,]", 4, "expected a u8, found `,`");
	refused(lu8, "[1, 300]", 5, "out of range for u8");
	refused(lu8, "(1, 2)", 1, "expected a list, found `(`");
	refused(lu8, "[1]]", 4, "unexpected `]` after the value");
	refused(f3, "[1, 2]", 6, "list of 3 elements, found 2");
	refused(f3, "[1, 2, 3, 4]", 12, "list of 3 elements, found 4");
	refused(tup, "(\"a\")", 5, "tuple of 2 elements, found 1");
	refused(tup, "(\"a\", 1, 2)", 10, "too many elements: tuple of 2");
	refused(tup, "()", 1, "empty tuple");
	refused(tup, "(1, \"a\")", 2, "expected a string, found `1`");
	refused(tup, "[\"a\", 1]", 1, "expected a tuple, found `[`");
}

static const ctype *rec_type(void)
{
	return RECORD(3, "must-have", P(WR_C_U8), "optional", OPTION(P(WR_C_U8)),
		      "name", P(WR_C_STRING));
}

static void test_records(void **state)
{
	const ctype *r = rec_type();
	RT(r, "{must-have: 1, optional: some(2), name: \"x\"}");
	RT(r, "{must-have: 1, name: \"x\"}");
	reads_as(r, "{name: \"x\", must-have: 1}", "{must-have: 1, name: \"x\"}");
	reads_as(r, "{must-have: 1, optional: none, name: \"x\",}", "{must-have: 1, name: \"x\"}");
	reads_as(r, "{must-have: 1, optional: 2, name: \"x\"}",
		 "{must-have: 1, optional: some(2), name: \"x\"}");
	reads_as(r, "{ %must-have : 1 , %name: \"x\" }", "{must-have: 1, name: \"x\"}");
	const ctype *opt = RECORD(2, "a", OPTION(P(WR_C_U8)), "b", OPTION(P(WR_C_BOOL)));
	RT(opt, "{:}");
	reads_as(opt, "{ : }", "{:}");
	reads_as(opt, "{a: none}", "{:}");
	RT(opt, "{b: some(false)}");
	/* keywords need no % as field names */
	const ctype *kw = RECORD(3, "true", P(WR_C_U8), "none", P(WR_C_U8), "ok", P(WR_C_U8));
	RT(kw, "{true: 1, none: 2, ok: 3}");
	RT(RECORD(1, "HTTP3", P(WR_C_U8)), "{HTTP3: 1}");
	RT(RECORD(1, "method-GET", P(WR_C_U8)), "{method-GET: 1}");
	RT(RECORD(1, "color-42-2A-5d", P(WR_C_BOOL)), "{color-42-2A-5d: true}");

	wr_cval v;
	const char *t = "{name: \"n\", must-have: 9}";
	assert_true(wave_parse(t, strlen(t), r, &v, err, sizeof(err)));
	assert_int_equal(v.len, 3);
	assert_int_equal(v.of.elems[0].of.u, 9);
	assert_int_equal(v.of.elems[1].kind, WR_C_OPTION);
	assert_int_equal(v.of.elems[1].tag, 0);
	assert_string_equal(v.of.elems[2].of.str, "n");
	wr_cval_free(&v);

	refused(r, "{must-have: 1}", 1, "missing field `name`");
	refused(r, "{:}", 1, "missing field `must-have`");
	refused(r, "{}", 1, "found `{}` (empty flags)");
	refused(r, "{must-have: 1, nam: \"x\"}", 16, "unknown field `nam`");
	refused(r, "{must-have: 1, must-have: 2, name: \"\"}", 16, "duplicate field `must-have`");
	refused(r, "{must-have: 1, %must-have: 2}", 16, "duplicate field `must-have`");
	refused(r, "{must-have 1}", 12, "expected `:` after a field name, found `1`");
	refused(r, "{must-have: 1 name: \"x\"}", 15, "expected `,` or `}`, found `name`");
	refused(r, "{must-have: 1, name: \"x\"", 25, "found the end of the text");
	refused(r, "{must-have, name}", 11, "expected `:` after a field name");
	refused(r, "{1: 2}", 2, "expected a field name, found `1`");
	refused(r, "{,}", 2, "expected a field name, found `,`");
	refused(r, "{must-have: \"1\", name: \"x\"}", 13, "expected a u8, found a string");
	refused(r, "{must-Have: 1}", 2, "unknown field `must-H`");
	refused(r, "{must-: 1}", 2, "unknown field `must`");
	refused(RECORD(1, "must", P(WR_C_U8)), "{must-: 1}", 6, "unexpected character `-`");
	refused(opt, "{:,}", 3, "expected `}` after `{:`");
	refused(r, "[1]", 1, "expected a record, found `[`");
}

static const ctype *var_type(void)
{
	return VARIANT(4, "empty", NULL, "body", LIST(P(WR_C_U8)), "err", P(WR_C_STRING),
		       "days", P(WR_C_U32));
}

static void test_variants_and_enums(void **state)
{
	const ctype *v = var_type();
	RT(v, "empty");
	RT(v, "body([79, 75])");
	RT(v, "%err(\"oops\")");
	RT(v, "days(30)");
	reads_as(v, "%empty", "empty");
	reads_as(v, "days (30)", "days(30)");
	reads_as(v, "days(\n30 // a month\n)", "days(30)");
	const ctype *kwv = VARIANT(8, "true", P(WR_C_U8), "false", NULL, "inf", P(WR_C_U8), "nan", NULL,
				   "some", P(WR_C_U8), "none", NULL, "ok", P(WR_C_U8), "err", NULL);
	RT(LIST(kwv), "[%true(1), %false, %inf(1), %nan, %some(1), %none, %ok(1), %err]");
	const ctype *e = ENUM(3, "south", "not-found", "ok");
	RT(e, "south");
	RT(e, "not-found");
	RT(e, "%ok");
	reads_as(e, "%south", "south");

	wr_cval x;
	assert_true(wave_parse("days(5)", 7, v, &x, err, sizeof(err)));
	assert_int_equal(x.kind, WR_C_VARIANT);
	assert_int_equal(x.tag, 3);
	assert_int_equal(x.len, 1);
	assert_int_equal(x.of.elems[0].of.u, 5);
	wr_cval_free(&x);
	assert_true(wave_parse("not-found", 9, e, &x, err, sizeof(err)));
	assert_int_equal(x.kind, WR_C_ENUM);
	assert_int_equal(x.tag, 1);

	refused(v, "weeks(2)", 1, "unknown case `weeks` of a variant");
	refused(v, "body", 5, "case `body` needs a payload: body(...)");
	refused(v, "empty(1)", 6, "case `empty` takes no payload");
	refused(v, "err(\"x\")", 1, "`err` is a keyword: write the case as `%err`");
	refused(v, "days(30", 8, "expected `)` after a payload, found the end of the text");
	refused(v, "days(1, 2)", 7, "expected `)` after a payload, found `,`");
	refused(v, "days(\"x\")", 6, "expected a u32, found a string");
	refused(v, "Days(1)", 1, "unknown case `D`");
	refused(v, "dAys(1)", 1, "unknown case `d`");
	refused(v, "true", 1, "expected a variant, found `true`");
	refused(v, "1", 1, "expected a variant, found `1`");
	refused(e, "north", 1, "unknown case `north` of an enum");
	refused(e, "ok", 1, "`ok` is a keyword: write the case as `%ok`");
	refused(e, "south(1)", 6, "case `south` takes no payload");
	refused(e, "\"south\"", 1, "expected an enum, found a string");
	refused(kwv, "some(1)", 1, "`some` is a keyword");
	refused(ENUM(7, "true", "false", "inf", "nan", "none", "ok", "err"), "nan", 1, "keyword");
}

static void test_options_and_results(void **state)
{
	const ctype *o = OPTION(P(WR_C_U8));
	RT(o, "some(123)");
	RT(o, "none");
	reads_as(o, "123", "some(123)");
	reads_as(o, "some (123)", "some(123)");
	const ctype *oo = OPTION(OPTION(P(WR_C_U8)));
	RT(oo, "some(some(1))");
	RT(oo, "some(none)");
	RT(oo, "none");
	const ctype *os = OPTION(P(WR_C_STRING));
	reads_as(os, "\"flat some\"", "some(\"flat some\")");
	const ctype *ol = OPTION(LIST(OPTION(P(WR_C_BOOL))));
	reads_as(ol, "[true, none, some(false)]", "some([some(true), none, some(false)])");
	/* a case named like a keyword stays a case behind % */
	const ctype *oe = OPTION(ENUM(2, "none", "some"));
	reads_as(oe, "%none", "some(%none)");
	RT(oe, "none");

	const ctype *r = RESULT(P(WR_C_U8), P(WR_C_STRING));
	RT(r, "ok(1)");
	RT(r, "err(\"oops\")");
	reads_as(r, "1", "ok(1)");
	const ctype *r_err = RESULT(NULL, P(WR_C_STRING));
	RT(r_err, "ok");
	RT(r_err, "err(\"oops\")");
	const ctype *r_ok = RESULT(P(WR_C_U8), NULL);
	RT(r_ok, "ok(2)");
	RT(r_ok, "err");
	const ctype *r0 = RESULT(NULL, NULL);
	RT(r0, "ok");
	RT(r0, "err");
	const ctype *ro = RESULT(OPTION(P(WR_C_U8)), NULL);
	RT(ro, "ok(none)");
	RT(ro, "ok(some(1))");

	wr_cval x;
	assert_true(wave_parse("err", 3, r_ok, &x, err, sizeof(err)));
	assert_int_equal(x.kind, WR_C_RESULT);
	assert_int_equal(x.tag, 1);
	assert_int_equal(x.len, 0);

	refused(o, "some", 5, "case `some` needs a payload: some(...)");
	refused(o, "some()", 6, "expected a u8, found `)`");
	refused(o, "none(1)", 5, "case `none` takes no payload");
	refused(o, "some(1", 7, "expected `)` after a payload");
	refused(o, "\"x\"", 1, "expected a u8, found a string");
	refused(oo, "1", 1, "expected an option (some(...) or none), found `1`");
	refused(o, "", 1, "expected a u8, found the end of the text");
	refused(LIST(RESULT(P(WR_C_S16), NULL)), "\n\n[", 2, "expected an s16, found the end");
	refused(ro, "1", 1, "expected a result (ok, ok(...), err or err(...)), found `1`");
	refused(r_err, "\"x\"", 1, "expected a result");
	refused(r_err, "ok(1)", 3, "case `ok` takes no payload");
	refused(r_ok, "err(\"x\")", 4, "case `err` takes no payload");
	refused(r, "err", 4, "case `err` needs a payload: err(...)");
	refused(r, "ok", 3, "case `ok` needs a payload: ok(...)");
	refused(r, "%ok(1)", 1, "expected a u8, found `%ok`");
}

static void test_flags(void **state)
{
	const ctype *f = FLAGS(3, "read", "write", "exec");
	RT(f, "{}");
	RT(f, "{read}");
	RT(f, "{read, write, exec}");
	reads_as(f, "{write, read,}", "{read, write}");
	reads_as(f, "{ %exec , read }", "{read, exec}");
	RT(FLAGS(3, "true", "none", "ok"), "{true, none, ok}");

	wr_cval x;
	assert_true(wave_parse("{exec, read}", 12, f, &x, err, sizeof(err)));
	assert_int_equal(x.kind, WR_C_FLAGS);
	assert_int_equal(x.of.u, 5);

	refused(f, "{read, read}", 8, "duplicate flag `read`");
	refused(f, "{read, %read}", 8, "duplicate flag `read`");
	refused(f, "{delete}", 2, "unknown flag `delete`");
	refused(f, "{read write}", 7, "expected `,` or `}`, found `write`");
	refused(f, "{read,,}", 7, "expected a flag name, found `,`");
	refused(f, "{:}", 1, "expected flags, found a record `{:}`");
	refused(f, "{read: true}", 1, "expected flags, found a record");
	refused(f, "{read", 6, "expected `,` or `}`, found the end of the text");
	refused(f, "[read]", 1, "expected flags, found `[`");
	refused(f, "read", 1, "expected flags, found `read`");
}

static void test_handles(void **state)
{
	cresource res = { .name = "wasi:io/streams.output-stream" };
	ctype *own = ctype_alloc(A, sizeof(*own)), *bor = ctype_alloc(A, sizeof(*bor));
	own->kind = WR_C_OWN, own->res = &res;
	bor->kind = WR_C_BORROW, bor->res = &res;
	assert_true(ctype_finish(own) && ctype_finish(bor));
	char buf[128];
	wr_cval v = { .kind = WR_C_OWN, .of.handle = { .rep = 3, .type = &res } };
	assert_int_not_equal(wave_print(&v, own, buf, sizeof(buf)), WAVE_PRINT_ERROR);
	assert_string_equal(buf, "<own wasi:io/streams.output-stream 3>");
	v.kind = WR_C_BORROW;
	wave_print(&v, bor, buf, sizeof(buf));
	assert_string_equal(buf, "<borrow wasi:io/streams.output-stream 3>");
	cresource odd = { .name = "a b(c)" }, anon = { 0 };
	bor->res = &odd;
	wave_print(&v, bor, buf, sizeof(buf));
	assert_string_equal(buf, "<borrow a?b?c? 3>");
	bor->res = &anon;
	wave_print(&v, bor, buf, sizeof(buf));
	assert_string_equal(buf, "<borrow 3>");

	refused(own, "3", 1, "an own handle cannot be written in WAVE");
	refused(LIST(bor), "[3]", 2, "a borrow handle cannot be written in WAVE");
}

/* ---- errors that are not about one kind ---- */

static void test_nesting_and_positions(void **state)
{
	char deep[1024];
	const ctype *t = P(WR_C_U8);
	for (int i = 0; i < WAVE_MAX_DEPTH + 1; i++)
		t = LIST(t);
	/* WAVE_MAX_DEPTH levels are fine, one more is not */
	memset(deep, '[', WAVE_MAX_DEPTH);
	memset(deep + WAVE_MAX_DEPTH, ']', WAVE_MAX_DEPTH);
	deep[2 * WAVE_MAX_DEPTH] = 0;
	reads_as(t, deep, deep);
	memset(deep, '[', WAVE_MAX_DEPTH + 1);
	memset(deep + WAVE_MAX_DEPTH + 1, ']', WAVE_MAX_DEPTH + 1);
	deep[2 * WAVE_MAX_DEPTH + 2] = 0;
	refused(t, deep, WAVE_MAX_DEPTH + 1, "values nest deeper than 100 levels");
	/* the same through options, variants and records */
	const ctype *o = P(WR_C_U8), *v = P(WR_C_U8), *r = P(WR_C_U8);
	for (int i = 0; i < WAVE_MAX_DEPTH + 1; i++) {
		o = OPTION(o);
		v = VARIANT(1, "v", v);
		r = RECORD(1, "a", r);
	}
	size_t n = 0;
	for (int i = 0; i < WAVE_MAX_DEPTH + 1; i++)
		n += (size_t)sprintf(deep + n, "some(");
	deep[n] = '0';
	memset(deep + n + 1, ')', WAVE_MAX_DEPTH + 1);
	deep[n + WAVE_MAX_DEPTH + 2] = 0;
	refused(o, deep, 5 * WAVE_MAX_DEPTH + 1, "nest deeper");
	n = 0;
	for (int i = 0; i < WAVE_MAX_DEPTH + 1; i++)
		n += (size_t)sprintf(deep + n, "{a:");
	deep[n] = 0;
	refused(r, deep, 3 * WAVE_MAX_DEPTH + 1, "nest deeper");
	n = 0;
	for (int i = 0; i < WAVE_MAX_DEPTH + 1; i++)
		n += (size_t)sprintf(deep + n, "v(");
	deep[n] = 0;
	refused(v, deep, 2 * WAVE_MAX_DEPTH + 1, "nest deeper");

	/* positions: characters, not bytes, and lines */
	const ctype *ls = LIST(P(WR_C_STRING));
	refused(ls, "[\"☃☃\", 1]", 8, "expected a string, found `1`");
	wr_cval x;
	const char *ml = "[\n  \"a\",\n  7,\n]";
	assert_false(wave_parse(ml, strlen(ml), ls, &x, err, sizeof(err)));
	assert_string_equal(err, "line 3, column 3: expected a string, found `7`");
	refused(ls, "[\"a\"] x", 7, "unexpected `x` after the value");
	refused(ls, "[\"a\"] []", 7, "unexpected `[` after the value");
	refused(ls, "[\"a\"] \"", 7, "unterminated string");
	refused(ls, "[\"a\"] # note", 7, "unexpected character `#`");
	refused(ls, "[\"a\"] / x", 7, "unexpected character `/`");
	refused(ls, "\x01", 1, "unexpected character U+0001");
	refused(ls, "[\"a\"]\xc2\xa0", 6, "unexpected character U+00A0");
	reads_as(ls, "// a list\n[\"a\"] // of one\n// done", "[\"a\"]");

	/* a short error buffer is cut, NUL-terminated; none at all is fine */
	char small[12];
	assert_false(wave_parse("x", 1, ls, &x, small, sizeof(small)));
	assert_string_equal(small, "column 1: e");
	assert_false(wave_parse("x", 1, ls, &x, NULL, 0));
	assert_false(wave_parse("[]", 2, NULL, &x, err, sizeof(err)));
	assert_true(wave_parse(NULL, 0, OPTION(P(WR_C_U8)), &x, err, sizeof(err)) == false);
	assert_true(strstr(err, "found the end of the text") != NULL);
}

/* ---- invocations ---- */

static cfunctype fn_add, fn_none, fn_opts, fn_greet;
static const char *looked_up;

static const cfunctype *lookup(void *user, const char *name, size_t len)
{
	static char last[128];
	snprintf(last, sizeof(last), "%.*s", (int)len, name);
	looked_up = last;
	if (strcmp(last, "add") == 0)
		return &fn_add;
	if (strcmp(last, "get-answer") == 0 || strcmp(last, "ns:pkg/iface.run@0.2.0") == 0)
		return &fn_none;
	if (strcmp(last, "opts") == 0)
		return &fn_opts;
	if (strcmp(last, "greet") == 0)
		return &fn_greet;
	return NULL;
}

static void call_setup(void)
{
	fn_add = (cfunctype){ .nparams = 2, .result = P(WR_C_S32),
			      .params = flds(2, 1, "a", P(WR_C_S32), "b", P(WR_C_S32)) };
	fn_none = (cfunctype){ .result = P(WR_C_U32) };
	fn_opts = (cfunctype){ .nparams = 3, .params = flds(3, 1, "x", P(WR_C_U8),
			       "y", OPTION(P(WR_C_U8)), "z", OPTION(P(WR_C_STRING))) };
	fn_greet = (cfunctype){ .nparams = 1, .result = P(WR_C_STRING),
				.params = flds(1, 1, "who", rec_type()) };
}

static void call_refused(const char *text, int col, const char *what)
{
	wave_call c;
	char at[32];
	char *copy = exact(text);
	bool ok = wave_parse_call(copy, strlen(text), lookup, NULL, &c, err, sizeof(err));
	free(copy);
	if (ok)
		fail_msg("%s was read as a call", text);
	snprintf(at, sizeof(at), "column %d: ", col);
	if (!strstr(err, at) || !strstr(err, what))
		fail_msg("%s: error \"%s\", expected \"%s...%s\"", text, err, at, what);
	assert_null(c.name);
	assert_null(c.args);
}

static void test_calls(void **state)
{
	wave_call c;
	char buf[64];
	call_setup();
	const char *t = "add(1, -2)";
	assert_true(wave_parse_call(t, strlen(t), lookup, NULL, &c, err, sizeof(err)));
	assert_string_equal(c.name, "add");
	assert_ptr_equal(c.type, &fn_add);
	assert_int_equal(c.nargs, 2);
	assert_int_equal(c.args[0].of.i, 1);
	assert_int_equal(c.args[1].of.i, -2);
	wave_call_free(&c);
	assert_null(c.args);

	t = "  get-answer( )  ";
	assert_true(wave_parse_call(t, strlen(t), lookup, NULL, &c, err, sizeof(err)));
	assert_int_equal(c.nargs, 0);
	wave_call_free(&c);
	t = "ns:pkg/iface.run@0.2.0()";
	assert_true(wave_parse_call(t, strlen(t), lookup, NULL, &c, err, sizeof(err)));
	assert_string_equal(c.name, "ns:pkg/iface.run@0.2.0");
	wave_call_free(&c);

	/* trailing options may be left out */
	t = "opts(1)";
	assert_true(wave_parse_call(t, strlen(t), lookup, NULL, &c, err, sizeof(err)));
	assert_int_equal(c.nargs, 3);
	assert_int_equal(c.args[1].kind, WR_C_OPTION);
	assert_int_equal(c.args[1].tag, 0);
	assert_int_equal(c.args[2].kind, WR_C_OPTION);
	wave_print(&c.args[2], fn_opts.params[2].type, buf, sizeof(buf));
	assert_string_equal(buf, "none");
	wave_call_free(&c);
	t = "opts(1, 2, \"z\",)";
	assert_true(wave_parse_call(t, strlen(t), lookup, NULL, &c, err, sizeof(err)));
	wave_print(&c.args[2], fn_opts.params[2].type, buf, sizeof(buf));
	assert_string_equal(buf, "some(\"z\")");
	wave_call_free(&c);
	t = "greet({name: \"World\", must-have: 1})";
	assert_true(wave_parse_call(t, strlen(t), lookup, NULL, &c, err, sizeof(err)));
	wave_print(&c.args[0], fn_greet.params[0].type, buf, sizeof(buf));
	assert_string_equal(buf, "{must-have: 1, name: \"World\"}");
	wave_call_free(&c);

	call_refused("get-answer", 11, "expected `(` after `get-answer`: a call is written "
		     "get-answer(...), with () for no arguments");
	call_refused("add", 4, "expected `(` after `add`");
	call_refused("add 1", 5, "expected `(` after `add`, found `1`");
	call_refused("add[1, 2]", 1, "no function named `add[1`");
	call_refused("sub(1, 2)", 1, "no function named `sub`");
	call_refused("(1, 2)", 1, "expected a function name");
	call_refused("", 1, "expected a function name");
	call_refused("add(1)", 6, "missing argument `b` (`add` takes 2)");
	call_refused("add()", 5, "missing argument `a`");
	call_refused("opts()", 6, "missing argument `x`");
	call_refused("add(1, 2, 3)", 11, "too many arguments: `add` takes 2");
	call_refused("get-answer(1)", 12, "too many arguments: `get-answer` takes 0");
	call_refused("add(1, \"2\")", 8, "expected an s32, found a string");
	call_refused("add(1 2)", 7, "expected `,` or `)`, found `2`");
	call_refused("add(1, 2", 9, "expected `,` or `)`, found the end of the text");
	call_refused("add(1, 2) x", 11, "unexpected `x` after the call");
	call_refused("add(1, 2)()", 10, "unexpected `(` after the call");
	call_refused("add(1,,2)", 7, "expected an s32, found `,`");
	call_refused("add(\xff)", 5, "not valid UTF-8");
	assert_string_equal(looked_up, "add");
}

/* ---- the printer's own checks ---- */

static void test_printer(void **state)
{
	char buf[64];
	const ctype *lu8 = LIST(P(WR_C_U8));
	wr_cval e[3] = { { .kind = WR_C_U8, .of.u = 1 }, { .kind = WR_C_U8, .of.u = 22 },
			 { .kind = WR_C_U8, .of.u = 3 } };
	wr_cval l = { .kind = WR_C_LIST, .len = 3, .of.elems = e };
	/* like snprintf: the whole length back, what fits written, NUL-terminated */
	assert_int_equal(wave_print(&l, lu8, buf, sizeof(buf)), 10);
	assert_string_equal(buf, "[1, 22, 3]");
	assert_int_equal(wave_print(&l, lu8, buf, 5), 10);
	assert_string_equal(buf, "[1, ");
	assert_int_equal(wave_print(&l, lu8, NULL, 0), 10);
	size_t n;
	char *s = wave_to_string(&l, lu8, &n);
	assert_string_equal(s, "[1, 22, 3]");
	assert_int_equal(n, 10);
	free(s);

	/* values that are not of the type are refused, not printed */
	e[1].kind = WR_C_S8;
	assert_true(wave_print(&l, lu8, buf, sizeof(buf)) == WAVE_PRINT_ERROR);
	assert_string_equal(buf, "");
	assert_null(wave_to_string(&l, lu8, NULL));
	e[1].kind = WR_C_U8;
	const ctype *f3 = fixed_list(P(WR_C_U8), 2);
	assert_true(wave_print(&l, f3, buf, sizeof(buf)) == WAVE_PRINT_ERROR);
	l.of.elems = NULL;
	assert_true(wave_print(&l, lu8, buf, sizeof(buf)) == WAVE_PRINT_ERROR);
	wr_cval en = { .kind = WR_C_ENUM, .tag = 2 };
	assert_true(wave_print(&en, ENUM(2, "a", "b"), buf, sizeof(buf)) == WAVE_PRINT_ERROR);
	en.tag = 1;
	assert_int_equal(wave_print(&en, ENUM(2, "a", "b"), buf, sizeof(buf)), 1);
	wr_cval fl = { .kind = WR_C_FLAGS, .of.u = 4 };
	assert_true(wave_print(&fl, FLAGS(2, "a", "b"), buf, sizeof(buf)) == WAVE_PRINT_ERROR);
	wr_cval ch = { .kind = WR_C_CHAR, .of.u = 0xd800 };
	assert_true(wave_print(&ch, P(WR_C_CHAR), buf, sizeof(buf)) == WAVE_PRINT_ERROR);
	wr_cval op = { .kind = WR_C_OPTION, .tag = 1 };   /* some without its payload */
	assert_true(wave_print(&op, OPTION(P(WR_C_U8)), buf, sizeof(buf)) == WAVE_PRINT_ERROR);
	op.tag = 2;
	assert_true(wave_print(&op, OPTION(P(WR_C_U8)), buf, sizeof(buf)) == WAVE_PRINT_ERROR);
	wr_cval rec = { .kind = WR_C_RECORD, .len = 1, .of.elems = e };
	assert_true(wave_print(&rec, rec_type(), buf, sizeof(buf)) == WAVE_PRINT_ERROR);
	wr_cval var = { .kind = WR_C_VARIANT, .tag = 0, .len = 1, .of.elems = e };
	assert_true(wave_print(&var, var_type(), buf, sizeof(buf)) == WAVE_PRINT_ERROR);
	wr_cval u8 = { .kind = WR_C_U8, .of.u = 1 };
	assert_true(wave_print(&u8, NULL, buf, sizeof(buf)) == WAVE_PRINT_ERROR);

	/* a string that is not UTF-8 shows U+FFFD per bad byte */
	wr_cval str = { .kind = WR_C_STRING, .len = 4, .of.str = "a\xff\xc3z" };
	wave_print(&str, P(WR_C_STRING), buf, sizeof(buf));
	assert_string_equal(buf, "\"a\xef\xbf\xbd\xef\xbf\xbdz\"");
	/* integers print from their own width */
	wr_cval s8 = { .kind = WR_C_S8, .of.i = -1 };
	wave_print(&s8, P(WR_C_S8), buf, sizeof(buf));
	assert_string_equal(buf, "-1");
	wr_cval u64 = { .kind = WR_C_U64, .of.u = UINT64_MAX };
	wave_print(&u64, P(WR_C_U64), buf, sizeof(buf));
	assert_string_equal(buf, "18446744073709551615");
}

/* ---- token soup ---- */

/* A type with a bit of everything. */
static const ctype *soup_type(void)
{
	const ctype *inner = VARIANT(3, "a", NULL, "b", LIST(OPTION(P(WR_C_S16))),
				     "c", TUPLE(2, P(WR_C_CHAR), P(WR_C_F32)));
	const ctype *rec = RECORD(4, "x", P(WR_C_U8), "y", OPTION(P(WR_C_STRING)),
				  "z", FLAGS(3, "p", "q", "r"), "w", ENUM(2, "e1", "e2"));
	return LIST(TUPLE(3, RESULT(inner, P(WR_C_STRING)), OPTION(rec), P(WR_C_BOOL)));
}

static const char *const soup_tokens[] = {
	"[", "]", "(", ")", "{", "}", ":", ",", ", ", " ", "\n", "// c\n", "%",
	"a", "b", "c", "x", "y", "z", "w", "p", "q", "r", "e1", "e2", "ok", "err", "some", "none",
	"true", "false", "nan", "inf", "-inf", "0", "1", "-1", "300", "1.5", "-0", "1e3",
	"'a'", "'\\n'", "'\\u{1F600}'", "''", "'\\u{d800}'", "\"s\"", "\"\\t\"", "\"\\q\"", "\"",
	"\"\"\"\n  m\n  \"\"\"", "\"\"\"", "\\", "'", "\xe2\x98\x83", "\xff", "#", "-", ".",
};

static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
	return *x;
}

/* Random token strings, and mutations of a valid value: each read or
 * refused with a positioned message; each read one prints, and its print
 * reads back and prints the same. */
static void test_soup(void **state)
{
	const ctype *t = soup_type();
	const char *valid = "[(ok(b([1, none, some(-2)])), {x: 1, z: {p, r}, w: e2}, true), "
			    "(err(\"e\"), none, false), (c(('\\n', 1.5)), some({x: 2, y: \"s\", "
			    "z: {}, w: e1}), true), (a, none, true)]";
	const size_t ntok = sizeof(soup_tokens) / sizeof(soup_tokens[0]);
	uint64_t x = 0x9e3779b97f4a7c15ull;
	char text[512];
	int read = 0, refused_n = 0;
	reads_as(t, valid, "[(ok(b([some(1), none, some(-2)])), some({x: 1, z: {p, r}, w: e2}), "
		 "true), (err(\"e\"), none, false), (ok(c(('\\n', 1.5))), some({x: 2, y: some(\"s\"), "
		 "z: {}, w: e1}), true), (ok(a), none, true)]");
	for (int k = 0; k < 60000; k++) {
		size_t n = 0;
		if (k & 1) {
			/* a valid value with one span replaced by a token */
			size_t len = strlen(valid), at = rnd(&x) % len, cut = rnd(&x) % 4;
			const char *tok = soup_tokens[rnd(&x) % ntok];
			n = (size_t)snprintf(text, sizeof(text), "%.*s%s%s", (int)at, valid, tok,
					     valid + (at + cut < len ? at + cut : len));
		} else {
			size_t count = rnd(&x) % 24;
			text[0] = 0;
			for (size_t i = 0; i < count && n < 400; i++)
				n += (size_t)snprintf(text + n, sizeof(text) - n, "%s",
						      soup_tokens[rnd(&x) % ntok]);
		}
		/* an exact-size copy, so a read past the end is caught */
		char *copy = malloc(n ? n : 1);
		memcpy(copy, text, n);
		wr_cval v;
		if (wave_parse(copy, n, t, &v, err, sizeof(err))) {
			char *p1 = wave_to_string(&v, t, NULL), *p2;
			wr_cval w;
			assert_non_null(p1);
			if (!wave_parse(p1, strlen(p1), t, &w, err, sizeof(err)))
				fail_msg("%s printed as %s, which reads as: %s", text, p1, err);
			p2 = wave_to_string(&w, t, NULL);
			assert_string_equal(p1, p2);
			free(p1);
			free(p2);
			wr_cval_free(&w);
			wr_cval_free(&v);
			read++;
		} else {
			if (strncmp(err, "column ", 7) != 0 && strncmp(err, "line ", 5) != 0)
				fail_msg("%s: unpositioned error \"%s\"", text, err);
			refused_n++;
		}
		free(copy);
	}
	print_message("token soup: %d read, %d refused\n", read, refused_n);
	assert_true(read > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bools_and_integers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_floats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_float_round_trips, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chars, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lists_and_tuples, setup, teardown),
		cmocka_unit_test_setup_teardown(test_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_variants_and_enums, setup, teardown),
		cmocka_unit_test_setup_teardown(test_options_and_results, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nesting_and_positions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_calls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_printer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_soup, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
