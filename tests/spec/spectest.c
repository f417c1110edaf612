/*
 * spectest.c: runs the WebAssembly core spec test suite (.wast scripts)
 * against the engine, through the public API (wrun.h) only.
 *
 *   spectest [--work DIR | --json DIR] [--exclude PREFIX]... [--skip NAME:REASON]...
 *            [--verbose] [--wasm2]
 *            [--timeout SECS] FILE.wast|DIR...
 *
 * Each script is converted by wast2json into DIR/<base>/<base>.json, a list
 * of commands, plus the binary modules they name. With --json DIR the
 * scripts were converted already (tests/spec3/wast3json.py writes the same
 * layout): DIR/<base>/<base>.json is read and wast2json is not run. The commands run in order
 * in a forked child, one per script, so that an engine crash or hang costs
 * one script and not the run; the child keeps its counts in shared memory so
 * the parent can still report them. Each script gets one wr_store holding
 * the standard "spectest" host module and every instance the script makes.
 *
 * Every command gets one verdict: passed, failed or skipped. Modules given
 * as text (assert_malformed on .wat) are skipped: wrun loads binaries only.
 *
 * Message matching. The reference interpreter accepts an error when its
 * message starts with the expected text. This runner accepts it when the
 * message contains the text, which also allows an engine to put context
 * before the spec wording ("func 3: type mismatch"). Every expected text in
 * the suite was checked: none occurs inside the wording of a different
 * error, so containment accepts nothing wrong. A few texts end with an index
 * ("unknown global 0", "uninitialized element 2"); the index is optional, but
 * a message that gives a different index does not match.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wrun.h"

/* Character classes, ASCII only. (Not <ctype.h>: the test include path
 * holds src/component, whose ctype.h would be found first.) */
static bool st_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static bool st_isalnum(int c)
{
	return st_isdigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int st_tolower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* ---- options, counts, per-script state ---- */

struct st_opts {
	const char *work;
	bool converted; /* --json: work already holds the converted scripts */
	const char **excl;
	size_t nexcl;
	const char **skip;  /* --skip NAME:REASON: the script NAME.wast counts as one skip */
	size_t nskip;
	bool verbose;
	bool wasm2;     /* --wasm2: skip the assertions Wasm 3.0 reversed (st_superseded) */
	unsigned timeout; /* seconds per script; 0: none */
};

enum st_verdict { ST_PASS, ST_FAIL, ST_SKIP };

/* Counts of one script, in memory shared with the parent. */
struct st_count {
	unsigned long pass, fail, skip;
	unsigned long skip_link; /* of skip: component commands that need instantiation */
	unsigned long pass_text; /* of pass: text components jco's parser refused */
	int line; /* command being executed, for crash reports */
};

/* A name bound to an instance: a module name ("$M") or a registration. */
struct st_named {
	const char *name; /* points into the JSON tree */
	wr_instance *inst;
};

/* The objects of the "spectest" host module. */
struct st_hostobj {
	const char *name;
	wr_extern ext;
};

#define ST_NHOST 14 /* 7 functions, 4 globals, a table and a 64-bit one, a memory */

/* A binary module an earlier assert_invalid or assert_malformed named. */
struct st_bad {
	const char *file, *want;
};

struct st_file {
	const struct st_opts *opt;
	char *dir;                   /* WORK/<base>: where the .wasm files are */
	wr_store *store;
	wr_module **mods;            /* every module instantiated (or tried) */
	size_t nmods, capmods;
	struct st_named *names, *regs;
	size_t nnames, capnames, nregs, capregs;
	wr_instance *cur;            /* the last module instantiated */
	struct st_hostobj host[ST_NHOST];
	size_t nhost;
	struct st_count *n;
	char why[640];               /* reason for the last failure */
	struct st_bad *bad;          /* earlier assert_invalid/malformed binaries */
	size_t nbad, capbad;
};

static bool st_verbose;

/* Report the runner's own running out of memory and stop. */
static void *st_xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p) {
		fprintf(stderr, "spectest: out of memory\n");
		exit(2);
	}
	return p;
}

/* calloc that cannot fail, for arrays of n elements (n may be 0). */
static void *st_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p) {
		fprintf(stderr, "spectest: out of memory\n");
		exit(2);
	}
	return p;
}

/* Make room for one more element in a growable array; returns its index. */
static size_t st_grow(void **arr, size_t *n, size_t *cap, size_t elsize)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*arr = st_xrealloc(*arr, *cap * elsize);
	}
	return (*n)++;
}

/* Record why the current command failed; returns ST_FAIL for convenience. */
static enum st_verdict st_fail(struct st_file *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->why, sizeof(f->why), fmt, ap);
	va_end(ap);
	return ST_FAIL;
}

/* The string member `key` of a JSON object, or NULL. */
static const char *st_str(const cJSON *obj, const char *key)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(j) ? j->valuestring : NULL;
}

static bool st_streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* ---- values: parsing, comparison, formatting ---- */

/* Parse a decimal integer given as a string (negative values wrap). */
static bool st_u64(const char *s, uint64_t *out)
{
	char *end;
	if (!s || !*s)
		return false;
	errno = 0;
	if (*s == '-')
		*out = (uint64_t)strtoll(s, &end, 10);
	else
		*out = strtoull(s, &end, 10);
	return errno == 0 && end != s && *end == '\0';
}

/* The value type named by a JSON "type" field; 0 if unknown. */
static wr_valtype st_valtype(const char *s)
{
	static const struct { const char *name; wr_valtype t; } map[] = {
		{ "i32", WR_I32 }, { "i64", WR_I64 }, { "f32", WR_F32 },
		{ "f64", WR_F64 }, { "v128", WR_V128 }, { "funcref", WR_FUNCREF },
		{ "externref", WR_EXTERNREF }, { "exnref", WR_EXNREF },
		{ "noexnref", WR_NULLEXNREF },
	};
	for (size_t i = 0; s && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(s, map[i].name) == 0)
			return map[i].t;
	return 0;
}

/* Width in bytes of a v128 lane type ("i8".."f64"); 0 if unknown. */
static unsigned st_lane_width(const char *lt)
{
	if (!lt)
		return 0;
	if (strcmp(lt, "i8") == 0)
		return 1;
	if (strcmp(lt, "i16") == 0)
		return 2;
	if (strcmp(lt, "i32") == 0 || strcmp(lt, "f32") == 0)
		return 4;
	if (strcmp(lt, "i64") == 0 || strcmp(lt, "f64") == 0)
		return 8;
	return 0;
}

/* Read or write lane i of width w in a little-endian v128. */
static uint64_t st_lane_get(const uint8_t *v, unsigned w, unsigned i)
{
	uint64_t x = 0;
	for (unsigned b = 0; b < w; b++)
		x |= (uint64_t)v[i * w + b] << (8 * b);
	return x;
}

static void st_lane_set(uint8_t *v, unsigned w, unsigned i, uint64_t x)
{
	for (unsigned b = 0; b < w; b++)
		v[i * w + b] = (uint8_t)(x >> (8 * b));
}

/* The lane array of a v128 value; checks its length against the lane type. */
static const cJSON *st_lanes(const cJSON *j, unsigned *w)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(j, "value");
	*w = st_lane_width(st_str(j, "lane_type"));
	if (!*w || !cJSON_IsArray(arr) || cJSON_GetArraySize(arr) != (int)(16 / *w))
		return NULL;
	return arr;
}

/* Parse a v128 argument given as lanes. */
static bool st_parse_v128(const cJSON *j, uint8_t out[16])
{
	unsigned w, i = 0;
	const cJSON *arr = st_lanes(j, &w), *lane;
	uint64_t x;
	if (!arr)
		return false;
	cJSON_ArrayForEach(lane, arr) {
		if (!st_u64(cJSON_IsString(lane) ? lane->valuestring : NULL, &x))
			return false;
		st_lane_set(out, w, i++, x);
	}
	return true;
}

/* Parse a reference argument: "null", or N for externref N. */
static bool st_parse_ref(wr_valtype t, const char *s, wr_value *v)
{
	uint64_t x;
	if (st_streq(s, "null")) {
		if (t == WR_FUNCREF)
			v->of.func = NULL;
		else if (t == WR_EXTERNREF)
			v->of.ext = 0;
		else
			v->of.exn = 0;
		return true;
	}
	/* externref N is N+1, so that ref.extern 0 is not null. */
	if (t != WR_EXTERNREF || !st_u64(s, &x))
		return false;
	v->of.ext = (uintptr_t)x + 1;
	return true;
}

/* Parse an argument value from its JSON form. */
static bool st_parse_value(const cJSON *j, wr_value *v)
{
	const char *s = st_str(j, "value");
	uint64_t x = 0;
	memset(v, 0, sizeof(*v));
	v->type = st_valtype(st_str(j, "type"));
	switch (v->type) {
	case WR_V128:
		return st_parse_v128(j, v->of.v128);
	case WR_FUNCREF:
	case WR_EXTERNREF:
	case WR_EXNREF:
	case WR_NULLEXNREF:
		return st_parse_ref(v->type, s, v);
	case WR_I32:
	case WR_F32:
		if (!st_u64(s, &x))
			return false;
		v->of.f32 = (uint32_t)x; /* shares bits with i32 */
		return true;
	case WR_I64:
	case WR_F64:
		if (!st_u64(s, &x))
			return false;
		v->of.f64 = x; /* shares bits with i64 */
		return true;
	}
	return false;
}

/* Does float bits (width 32 or 64) match an expected value or NaN pattern?
 * Canonical NaN: only the quiet bit set in the payload, either sign.
 * Arithmetic NaN: quiet bit set, any payload, either sign. */
static bool st_match_float(const char *s, uint64_t bits, unsigned width)
{
	uint64_t sign = 1ull << (width - 1);
	uint64_t quiet = width == 32 ? 0x7fc00000ull : 0x7ff8000000000000ull;
	uint64_t x;
	if (width == 32)
		bits &= 0xffffffffull;
	if (st_streq(s, "nan:canonical"))
		return (bits & ~sign) == quiet;
	if (st_streq(s, "nan:arithmetic"))
		return (bits & quiet) == quiet;
	if (!st_u64(s, &x))
		return false;
	return (width == 32 ? (x & 0xffffffffull) : x) == bits;
}

/* Compare a v128 result lane by lane with its expected lanes. */
static bool st_match_v128(const cJSON *j, const uint8_t *got)
{
	unsigned w, i = 0;
	const cJSON *arr = st_lanes(j, &w), *lane;
	const char *lt = st_str(j, "lane_type");
	uint64_t mask, x;
	if (!arr)
		return false;
	mask = w == 8 ? ~0ull : (1ull << (8 * w)) - 1;
	cJSON_ArrayForEach(lane, arr) {
		const char *s = cJSON_IsString(lane) ? lane->valuestring : NULL;
		uint64_t bits = st_lane_get(got, w, i++);
		if (lt[0] == 'f') {
			if (!st_match_float(s, bits, 8 * w))
				return false;
		} else if (!st_u64(s, &x) || (x & mask) != bits) {
			return false;
		}
	}
	return true;
}

/* Compare a result with its expected JSON form, bit-exactly. A funcref
 * expected without "null" (ref.func) accepts any non-null reference; a
 * "ref" null (ref.null of a type index, or of no heap type) any null. */
static bool st_match(const cJSON *j, const wr_value *got)
{
	const char *s = st_str(j, "value");
	wr_valtype t = st_valtype(st_str(j, "type"));
	uint64_t x;
	if (st_streq(st_str(j, "type"), "either")) {
		/* (either V...) of the 3.0 scripts: any one of the values */
		const cJSON *alt;
		cJSON_ArrayForEach(alt, cJSON_GetObjectItemCaseSensitive(j, "values")) {
			if (st_match(alt, got))
				return true;
		}
		return false;
	}
	if (st_streq(st_str(j, "type"), "ref") && st_streq(s, "null"))
		return (got->type == WR_FUNCREF && !got->of.func) ||
		       (got->type == WR_EXTERNREF && !got->of.ext) ||
		       ((got->type == WR_EXNREF || got->type == WR_NULLEXNREF) && !got->of.exn);
	/* a null of exnref or its bottom type matches either (ref.null exn, noexn) */
	if ((t == WR_EXNREF || t == WR_NULLEXNREF) &&
	    (got->type == WR_EXNREF || got->type == WR_NULLEXNREF))
		return st_streq(s, "null") ? got->of.exn == 0 : got->of.exn != 0;
	if (!t || got->type != t)
		return false;
	switch (t) {
	case WR_I32:
		return st_u64(s, &x) && (uint32_t)x == (uint32_t)got->of.i32;
	case WR_I64:
		return st_u64(s, &x) && x == (uint64_t)got->of.i64;
	case WR_F32:
		return st_match_float(s, got->of.f32, 32);
	case WR_F64:
		return st_match_float(s, got->of.f64, 64);
	case WR_V128:
		return st_match_v128(j, got->of.v128);
	case WR_FUNCREF:
		return st_streq(s, "null") ? got->of.func == NULL : got->of.func != NULL;
	case WR_EXTERNREF:
		if (st_streq(s, "null"))
			return got->of.ext == 0;
		return st_u64(s, &x) && got->of.ext == (uintptr_t)x + 1;
	case WR_EXNREF:
	case WR_NULLEXNREF:
		break; /* matched above */
	}
	return false;
}

/* Append printf output to buf (of size n) at *pos, never overflowing. */
static void st_cat(char *buf, size_t n, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int k;
	if (*pos >= n)
		return;
	va_start(ap, fmt);
	k = vsnprintf(buf + *pos, n - *pos, fmt, ap);
	va_end(ap);
	if (k > 0)
		*pos += (size_t)k;
}

/* Format float bits with their decimal reading, for failure reports. */
static void st_fmt_float(char *buf, size_t n, size_t *pos, uint64_t bits, unsigned width)
{
	if (width == 32) {
		uint32_t b = (uint32_t)bits;
		float fl;
		memcpy(&fl, &b, sizeof(fl));
		st_cat(buf, n, pos, "%" PRIu32 " (%.9g)", b, (double)fl);
	} else {
		double d;
		memcpy(&d, &bits, sizeof(d));
		st_cat(buf, n, pos, "%" PRIu64 " (%.17g)", bits, d);
	}
}

/* Format a v128 as lanes of the given lane type (i32 lanes if unknown). */
static void st_fmt_v128(char *buf, size_t n, size_t *pos, const uint8_t *v, const char *lt)
{
	unsigned w = st_lane_width(lt);
	if (!w) {
		w = 4;
		lt = "i32";
	}
	st_cat(buf, n, pos, "v128:%s[", lt);
	for (unsigned i = 0; i < 16 / w; i++) {
		uint64_t x = st_lane_get(v, w, i);
		st_cat(buf, n, pos, i ? " " : "");
		if (lt[0] == 'f')
			st_fmt_float(buf, n, pos, x, 8 * w);
		else
			st_cat(buf, n, pos, "%" PRIu64, x);
	}
	st_cat(buf, n, pos, "]");
}

/* Format a result value; v128 lanes follow the expected lane type. */
static void st_fmt_value(char *buf, size_t n, size_t *pos, const wr_value *v, const char *lt)
{
	switch (v->type) {
	case WR_I32:
		st_cat(buf, n, pos, "i32:%" PRIu32, (uint32_t)v->of.i32);
		break;
	case WR_I64:
		st_cat(buf, n, pos, "i64:%" PRIu64, (uint64_t)v->of.i64);
		break;
	case WR_F32:
		st_cat(buf, n, pos, "f32:");
		st_fmt_float(buf, n, pos, v->of.f32, 32);
		break;
	case WR_F64:
		st_cat(buf, n, pos, "f64:");
		st_fmt_float(buf, n, pos, v->of.f64, 64);
		break;
	case WR_V128:
		st_fmt_v128(buf, n, pos, v->of.v128, lt);
		break;
	case WR_FUNCREF:
		st_cat(buf, n, pos, "funcref:%s", v->of.func ? "non-null" : "null");
		break;
	case WR_EXTERNREF:
		if (v->of.ext)
			st_cat(buf, n, pos, "externref:%" PRIuPTR, v->of.ext - 1);
		else
			st_cat(buf, n, pos, "externref:null");
		break;
	case WR_EXNREF:
	case WR_NULLEXNREF:
		st_cat(buf, n, pos, "exnref:%s", v->of.exn ? "non-null" : "null");
		break;
	default:
		st_cat(buf, n, pos, "type 0x%x", (unsigned)v->type);
	}
}

/* Format an expected value as written in the JSON. */
static void st_fmt_expected(char *buf, size_t n, size_t *pos, const cJSON *j)
{
	const cJSON *val = cJSON_GetObjectItemCaseSensitive(j, "value"), *lane;
	const char *lt = st_str(j, "lane_type");
	st_cat(buf, n, pos, "%s", st_str(j, "type") ? st_str(j, "type") : "?");
	if (st_streq(st_str(j, "type"), "either")) {
		const char *sep = "";
		st_cat(buf, n, pos, "(");
		cJSON_ArrayForEach(lane, cJSON_GetObjectItemCaseSensitive(j, "values")) {
			st_cat(buf, n, pos, "%s", sep);
			st_fmt_expected(buf, n, pos, lane);
			sep = " | ";
		}
		st_cat(buf, n, pos, ")");
	} else if (cJSON_IsString(val)) {
		st_cat(buf, n, pos, ":%s", val->valuestring);
	} else if (cJSON_IsArray(val)) {
		const char *sep = "";
		st_cat(buf, n, pos, ":%s[", lt ? lt : "?");
		cJSON_ArrayForEach(lane, val) {
			st_cat(buf, n, pos, "%s%s", sep, cJSON_IsString(lane) ? lane->valuestring : "?");
			sep = " ";
		}
		st_cat(buf, n, pos, "]");
	}
}

/* Does an engine message match an expected text? See the top of the file. */
static bool st_text_match(const char *got, const char *want)
{
	size_t len = strlen(want), stem = len;
	const char *p;
	if (strstr(got, want))
		return true;
	while (stem > 0 && st_isdigit((unsigned char)want[stem - 1]))
		stem--;
	if (stem == len || stem < 2 || want[stem - 1] != ' ')
		return false;
	stem--; /* the text without " <index>" */
	for (p = got; (p = memmem(p, strlen(p), want, stem)) != NULL; p++)
		if (!(p[stem] == ' ' && st_isdigit((unsigned char)p[stem + 1])))
			return true;
	return false;
}

/* ---- the spectest host module ---- */

struct st_hostfn {
	const char *name;
	uint32_t nparams;
	uint8_t params[2];
};

static const struct st_hostfn st_hostfns[] = {
	{ "print", 0, { 0 } },
	{ "print_i32", 1, { WR_I32 } },
	{ "print_i64", 1, { WR_I64 } },
	{ "print_f32", 1, { WR_F32 } },
	{ "print_f64", 1, { WR_F64 } },
	{ "print_i32_f32", 2, { WR_I32, WR_F32 } },
	{ "print_f64_f64", 2, { WR_F64, WR_F64 } },
};

/* The spectest print functions: silent unless --verbose. */
static wr_trapkind st_print(wr_hostcall *hc, uint64_t *slots, void *user)
{
	const struct st_hostfn *h = user;
	char buf[160];
	size_t pos = 0;
	if (!st_verbose)
		return WR_OK;
	for (uint32_t i = 0; i < h->nparams; i++) {
		wr_value v = { .type = h->params[i] };
		v.of.f64 = slots[i];
		if (v.type == WR_I32 || v.type == WR_F32)
			v.of.f32 = (uint32_t)slots[i];
		st_cat(buf, sizeof(buf), &pos, i ? ", " : "");
		st_fmt_value(buf, sizeof(buf), &pos, &v, NULL);
	}
	printf("    spectest.%s(%s)\n", h->name, pos ? buf : "");
	return WR_OK;
}

/* Add one object to the host module, if it was created. */
static bool st_host_add(struct st_file *f, const char *name, wr_externkind kind, void *obj)
{
	struct st_hostobj *h;
	if (f->nhost == ST_NHOST)
		return false;
	h = &f->host[f->nhost++];
	h->name = name;
	h->ext.kind = kind;
	switch (kind) {
	case WR_EXTERN_FUNC: h->ext.of.func = obj; break;
	case WR_EXTERN_TABLE: h->ext.of.table = obj; break;
	case WR_EXTERN_MEMORY: h->ext.of.memory = obj; break;
	case WR_EXTERN_GLOBAL: h->ext.of.global = obj; break;
	case WR_EXTERN_TAG: h->ext.of.tag = obj; break;
	}
	return obj != NULL;
}

/* An immutable spectest global holding the given bits. */
static wr_global *st_host_global(wr_store *s, wr_valtype t, uint64_t bits)
{
	wr_globaltype gt = { .type = t, .mut = false };
	wr_value v = { .type = t };
	v.of.f64 = bits;
	if (t == WR_I32 || t == WR_F32)
		v.of.f32 = (uint32_t)bits;
	return wr_global_new(s, &gt, &v);
}

/* Create the spectest functions, globals, table and memory in f's store. */
static bool st_host_init(struct st_file *f)
{
	static const wr_tabletype tt = { WR_FUNCREF, { 10, 20, true, false } };
	static const wr_tabletype tt64 = { WR_FUNCREF, { 10, 20, true, true } };
	static const wr_limits ml = { 1, 2, true, false };
	const wr_value null = { .type = WR_FUNCREF };
	float f32 = 666.6f;
	double f64 = 666.6;
	uint32_t b32;
	uint64_t b64;
	bool ok = true;
	memcpy(&b32, &f32, sizeof(b32));
	memcpy(&b64, &f64, sizeof(b64));
	for (size_t i = 0; i < sizeof(st_hostfns) / sizeof(st_hostfns[0]); i++) {
		const struct st_hostfn *h = &st_hostfns[i];
		wr_functype ft = { h->nparams, 0, h->params, h->params }; /* no results */
		ok &= st_host_add(f, h->name, WR_EXTERN_FUNC,
		                  wr_func_new_host(f->store, &ft, st_print, (void *)h, h->name));
	}
	ok &= st_host_add(f, "global_i32", WR_EXTERN_GLOBAL, st_host_global(f->store, WR_I32, 666));
	ok &= st_host_add(f, "global_i64", WR_EXTERN_GLOBAL, st_host_global(f->store, WR_I64, 666));
	ok &= st_host_add(f, "global_f32", WR_EXTERN_GLOBAL, st_host_global(f->store, WR_F32, b32));
	ok &= st_host_add(f, "global_f64", WR_EXTERN_GLOBAL, st_host_global(f->store, WR_F64, b64));
	ok &= st_host_add(f, "table", WR_EXTERN_TABLE, wr_table_new(f->store, &tt, &null));
	ok &= st_host_add(f, "table64", WR_EXTERN_TABLE, wr_table_new(f->store, &tt64, &null));
	ok &= st_host_add(f, "memory", WR_EXTERN_MEMORY, wr_memory_new(f->store, &ml));
	return ok;
}

/* ---- modules, instances, linking ---- */

/* Read a whole file into a NUL-terminated heap buffer. */
static char *st_slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, k;
	if (!fp)
		return NULL;
	do {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 65536;
			buf = st_xrealloc(buf, cap + 1);
		}
		k = fread(buf + n, 1, cap - n, fp);
		n += k;
	} while (k > 0);
	if (ferror(fp)) {
		free(buf);
		buf = NULL;
	} else {
		buf[n] = '\0';
		*len = n;
	}
	fclose(fp);
	return buf;
}

/* Load the binary module named by a command's "filename". */
static wr_module *st_load(struct st_file *f, const cJSON *c, wr_diag *diag)
{
	const char *name = st_str(c, "filename");
	char *path = NULL, *bytes = NULL;
	size_t len = 0;
	wr_module *m = NULL;
	memset(diag, 0, sizeof(*diag));
	if (!name || asprintf(&path, "%s/%s", f->dir, name) < 0) {
		snprintf(diag->message, sizeof(diag->message), "(runner) no module file");
		return NULL;
	}
	bytes = st_slurp(path, &len);
	if (!bytes)
		snprintf(diag->message, sizeof(diag->message), "(runner) cannot read %s", name);
	else
		m = wr_module_load((const uint8_t *)bytes, len, diag);
	free(bytes);
	free(path);
	return m;
}

/* Keep a module until the store is gone: instances (even ones that failed
 * half way, whose functions may sit in imported tables) refer to it. */
static void st_keep(struct st_file *f, wr_module *m)
{
	size_t i = st_grow((void **)&f->mods, &f->nmods, &f->capmods, sizeof(*f->mods));
	f->mods[i] = m;
}

/* Bind a name to an instance in a name list (later bindings win). */
static void st_bind(struct st_named **arr, size_t *n, size_t *cap, const char *name,
                    wr_instance *inst)
{
	size_t i = st_grow((void **)arr, n, cap, sizeof(**arr));
	(*arr)[i].name = name;
	(*arr)[i].inst = inst;
}

/* Look a name up in a name list, latest binding first. */
static wr_instance *st_lookup(const struct st_named *arr, size_t n, const char *name)
{
	while (n-- > 0)
		if (st_streq(arr[n].name, name))
			return arr[n].inst;
	return NULL;
}

/* Resolve an import against the spectest module and the registrations.
 * Kinds and types are not checked here: wr_instantiate does that. */
static bool st_resolve(struct st_file *f, const wr_import *imp, wr_extern *out)
{
	wr_instance *inst = st_lookup(f->regs, f->nregs, imp->module);
	if (inst)
		return wr_instance_export_n(inst, imp->name, imp->name_len, out);
	if (!st_streq(imp->module, "spectest"))
		return false;
	for (size_t i = 0; i < f->nhost; i++) {
		if (st_streq(f->host[i].name, imp->name)) {
			*out = f->host[i].ext;
			return true;
		}
	}
	return false;
}

/* Resolve m's imports and instantiate it. A missing import is reported as
 * the link error "unknown import". */
static wr_instance *st_instantiate(struct st_file *f, const wr_module *m, wr_trap *trap)
{
	size_t n = wr_module_import_count(m);
	wr_extern *ext = st_xcalloc(n, sizeof(*ext));
	wr_instance *inst = NULL;
	wr_import imp;
	memset(trap, 0, sizeof(*trap));
	for (size_t i = 0; i < n; i++) {
		wr_module_import(m, i, &imp);
		if (!st_resolve(f, &imp, &ext[i])) {
			trap->kind = WR_TRAP_LINK;
			snprintf(trap->message, sizeof(trap->message), "unknown import \"%s\".\"%s\"",
			         imp.module, imp.name);
			goto out;
		}
	}
	inst = wr_instantiate(f->store, m, ext, n, trap);
out:
	free(ext);
	return inst;
}

/* The message of a trap, falling back to the spec wording of its kind. */
static const char *st_trap_text(const wr_trap *t)
{
	const char *s;
	if (t->message[0])
		return t->message;
	s = wr_trap_message(t->kind);
	return s ? s : "(no message)";
}

/* ---- actions ---- */

enum st_act { ACT_DONE, ACT_TRAPPED, ACT_ERROR };

/* The outcome of an action: its results, or the trap. */
struct st_result {
	wr_value *vals;
	size_t n;
	wr_trap trap;
};

/* Convert the JSON arguments of an invoke, checking them against ft. */
static bool st_args(struct st_file *f, const cJSON *args, const wr_functype *ft, wr_value *argv)
{
	const cJSON *a;
	uint32_t i = 0;
	if (cJSON_GetArraySize(args) != (int)ft->nparams) {
		st_fail(f, "(runner) %d arguments given, function takes %" PRIu32,
		        cJSON_GetArraySize(args), ft->nparams);
		return false;
	}
	cJSON_ArrayForEach(a, args) {
		if (!st_parse_value(a, &argv[i]) || argv[i].type != ft->params[i]) {
			st_fail(f, "(runner) bad argument %" PRIu32, i);
			return false;
		}
		i++;
	}
	return true;
}

/* Invoke an exported function with the action's arguments. */
static enum st_act st_invoke(struct st_file *f, const wr_extern *ext, const cJSON *a,
                             struct st_result *r)
{
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(a, "args");
	wr_functype ft;
	wr_value *argv;
	wr_trapkind k;
	if (ext->kind != WR_EXTERN_FUNC) {
		st_fail(f, "(runner) export \"%s\" is not a function", st_str(a, "field"));
		return ACT_ERROR;
	}
	wr_func_type(ext->of.func, &ft);
	argv = st_xcalloc(ft.nparams, sizeof(*argv));
	if (!st_args(f, args, &ft, argv)) {
		free(argv);
		return ACT_ERROR;
	}
	r->n = ft.nresults;
	r->vals = st_xcalloc(r->n, sizeof(*r->vals));
	k = wr_call(ext->of.func, argv, ft.nparams, r->vals, r->n, &r->trap);
	free(argv);
	if (k == WR_OK)
		return ACT_DONE;
	r->trap.kind = k;
	return ACT_TRAPPED;
}

/* Read an exported global. */
static enum st_act st_get(struct st_file *f, const wr_extern *ext, const cJSON *a,
                          struct st_result *r)
{
	if (ext->kind != WR_EXTERN_GLOBAL) {
		st_fail(f, "(runner) export \"%s\" is not a global", st_str(a, "field"));
		return ACT_ERROR;
	}
	r->n = 1;
	r->vals = st_xcalloc(1, sizeof(*r->vals));
	wr_global_get(ext->of.global, &r->vals[0]);
	return ACT_DONE;
}

/* cJSON strings end at the first NUL, but export names may hold NUL bytes
 * (names.wast). st_script rewrites the JSON escape \u0000 as the byte 0xff,
 * which never occurs in a name (names are valid UTF-8) and which cJSON
 * passes through; this turns it back into NUL and returns the real length.
 * out must hold strlen(s) + 1 bytes. */
static const char st_nul_mark[] = "\xff";

static size_t st_unmark_nul(const char *s, char *out)
{
	size_t n = 0;
	while (*s) {
		if (*s == st_nul_mark[0]) {
			out[n++] = 0;
			s++;
		} else {
			out[n++] = *s++;
		}
	}
	out[n] = 0;
	return n;
}

/* Find export `field` (with NUL marks) of inst. */
static bool st_export(wr_instance *inst, const char *field, wr_extern *ext)
{
	char *name = malloc(strlen(field) + 1);
	if (!name)
		return false;
	size_t len = st_unmark_nul(field, name);
	bool ok = wr_instance_export_n(inst, name, len, ext);
	free(name);
	return ok;
}

/* Rewrite every JSON escape \u0000 in text as the mark st_unmark_nul undoes
 * (both are six bytes or fewer, so it is done in place: \u0000 -> mark). */
static void st_mark_nul(char *text, size_t *len)
{
	char *w = text;
	for (size_t i = 0; i < *len;) {
		if (*len - i >= 6 && memcmp(text + i, "\\u0000", 6) == 0 &&
		    (i == 0 || text[i - 1] != '\\')) {
			*w++ = st_nul_mark[0];
			i += 6;
		} else {
			*w++ = text[i++];
		}
	}
	*len = (size_t)(w - text);
}

/* Run the "action" of a command (invoke or get) on the current or a named
 * module. r->vals must be freed by the caller. */
static enum st_act st_action(struct st_file *f, const cJSON *c, struct st_result *r)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(c, "action");
	const char *mod = st_str(a, "module"), *field = st_str(a, "field");
	const char *type = st_str(a, "type");
	wr_instance *inst = mod ? st_lookup(f->names, f->nnames, mod) : f->cur;
	wr_extern ext;
	memset(r, 0, sizeof(*r));
	if (!inst) {
		st_fail(f, "(runner) no module %s", mod ? mod : "instantiated");
		return ACT_ERROR;
	}
	if (!field || !st_export(inst, field, &ext)) {
		st_fail(f, "(runner) no export \"%s\"", field ? field : "");
		return ACT_ERROR;
	}
	if (st_streq(type, "invoke"))
		return st_invoke(f, &ext, a, r);
	if (st_streq(type, "get"))
		return st_get(f, &ext, a, r);
	st_fail(f, "(runner) unknown action type %s", type ? type : "");
	return ACT_ERROR;
}

/* ---- commands ---- */

/* module: load, instantiate, make it current (and named, if it has a name). */
static enum st_verdict st_cmd_module(struct st_file *f, const cJSON *c)
{
	const char *name = st_str(c, "name");
	wr_diag diag;
	wr_trap trap;
	wr_module *m = st_load(f, c, &diag);
	f->cur = NULL;
	if (!m)
		return st_fail(f, "load failed: %s (offset %zu)", diag.message, diag.offset);
	st_keep(f, m);
	f->cur = st_instantiate(f, m, &trap);
	if (!f->cur)
		return st_fail(f, "instantiation failed: %s", st_trap_text(&trap));
	if (name)
		st_bind(&f->names, &f->nnames, &f->capnames, name, f->cur);
	return ST_PASS;
}

/* register: make a module's exports importable under another name. */
static enum st_verdict st_cmd_register(struct st_file *f, const cJSON *c)
{
	const char *name = st_str(c, "name"), *as = st_str(c, "as");
	wr_instance *inst = name ? st_lookup(f->names, f->nnames, name) : f->cur;
	if (!inst || !as)
		return st_fail(f, "(runner) no module %s to register", name ? name : "instantiated");
	st_bind(&f->regs, &f->nregs, &f->capregs, as, inst);
	return ST_PASS;
}

/* action: run it; it must not trap. */
static enum st_verdict st_cmd_action(struct st_file *f, const cJSON *c)
{
	struct st_result r;
	enum st_act a = st_action(f, c, &r);
	free(r.vals);
	if (a == ACT_TRAPPED)
		return st_fail(f, "trapped: %s", st_trap_text(&r.trap));
	return a == ACT_DONE ? ST_PASS : ST_FAIL;
}

/* Compare the results of an action with the expected values. */
static enum st_verdict st_check_results(struct st_file *f, const cJSON *exp,
                                        const struct st_result *r)
{
	char buf[sizeof(f->why) - 64];
	size_t i = 0, pos = 0;
	const cJSON *e;
	if (cJSON_GetArraySize(exp) != (int)r->n)
		return st_fail(f, "%zu results, expected %d", r->n, cJSON_GetArraySize(exp));
	cJSON_ArrayForEach(e, exp) {
		if (!st_match(e, &r->vals[i])) {
			st_cat(buf, sizeof(buf), &pos, "result %zu: expected ", i);
			st_fmt_expected(buf, sizeof(buf), &pos, e);
			st_cat(buf, sizeof(buf), &pos, ", got ");
			st_fmt_value(buf, sizeof(buf), &pos, &r->vals[i], st_str(e, "lane_type"));
			return st_fail(f, "%s", buf);
		}
		i++;
	}
	return ST_PASS;
}

/* assert_return: the action returns exactly the expected values. */
static enum st_verdict st_cmd_return(struct st_file *f, const cJSON *c)
{
	struct st_result r;
	enum st_act a = st_action(f, c, &r);
	enum st_verdict v = ST_FAIL;
	if (a == ACT_TRAPPED)
		st_fail(f, "trapped: %s", st_trap_text(&r.trap));
	else if (a == ACT_DONE)
		v = st_check_results(f, cJSON_GetObjectItemCaseSensitive(c, "expected"), &r);
	free(r.vals);
	return v;
}

/* Check a trap's message against a command's "text". */
static enum st_verdict st_check_trap(struct st_file *f, const cJSON *c, const wr_trap *t)
{
	const char *want = st_str(c, "text"), *got = st_trap_text(t);
	if (want && st_text_match(got, want))
		return ST_PASS;
	return st_fail(f, "trap \"%s\", expected \"%s\"", got, want ? want : "");
}

/* assert_uninstantiable and assert_unlinkable: the module loads but does not
 * instantiate, failing with a link error (want_link) or with a trap, whose
 * text must match. */
static enum st_verdict st_no_instance(struct st_file *f, const cJSON *c, bool want_link)
{
	wr_diag diag;
	wr_trap trap;
	wr_module *m = st_load(f, c, &diag);
	if (!m)
		return st_fail(f, "load failed: %s (offset %zu)", diag.message, diag.offset);
	st_keep(f, m);
	if (st_instantiate(f, m, &trap))
		return st_fail(f, "instantiated, expected \"%s\"", st_str(c, "text"));
	if ((trap.kind == WR_TRAP_LINK) != want_link)
		return st_fail(f, "%s \"%s\", expected %s", want_link ? "trap" : "link error",
		               st_trap_text(&trap), want_link ? "a link error" : "a trap");
	return st_check_trap(f, c, &trap);
}

/* assert_uninstantiable (and assert_trap on a module): instantiation traps. */
static enum st_verdict st_cmd_uninstantiable(struct st_file *f, const cJSON *c)
{
	return st_no_instance(f, c, false);
}

/* assert_trap and assert_exhaustion: the action traps with the text. */
static enum st_verdict st_cmd_trap(struct st_file *f, const cJSON *c)
{
	struct st_result r;
	enum st_act a;
	if (!cJSON_GetObjectItemCaseSensitive(c, "action"))
		return st_cmd_uninstantiable(f, c);
	a = st_action(f, c, &r);
	free(r.vals);
	if (a == ACT_ERROR)
		return ST_FAIL;
	if (a == ACT_DONE)
		return st_fail(f, "returned, expected trap \"%s\"", st_str(c, "text"));
	return st_check_trap(f, c, &r.trap);
}

/* assert_exception: the action ends with an exception no one caught. */
static enum st_verdict st_cmd_exception(struct st_file *f, const cJSON *c)
{
	struct st_result r;
	enum st_act a = st_action(f, c, &r);
	free(r.vals);
	if (a == ACT_ERROR)
		return ST_FAIL;
	if (a == ACT_DONE)
		return st_fail(f, "returned, expected an exception");
	if (r.trap.kind != WR_TRAP_EXCEPTION)
		return st_fail(f, "trapped \"%s\", expected an exception", st_trap_text(&r.trap));
	return ST_PASS;
}

/* Are the module files a and b (in the file's work directory) identical? */
static bool st_same_bytes(struct st_file *f, const char *a, const char *b)
{
	char *pa = NULL, *pb = NULL, *ba = NULL, *bb = NULL;
	size_t la = 0, lb = 0;
	bool same = false;
	if (asprintf(&pa, "%s/%s", f->dir, a) >= 0 && asprintf(&pb, "%s/%s", f->dir, b) >= 0 &&
	    (ba = st_slurp(pa, &la)) && (bb = st_slurp(pb, &lb)))
		same = la == lb && memcmp(ba, bb, la) == 0;
	free(pa);
	free(pb);
	free(ba);
	free(bb);
	return same;
}

/* The converter can encode two different text modules as the same bytes
 * (wast2json 1.0.32 writes `select (result)` as an untyped select). When an
 * earlier command gave the very same binary another expected text, and our
 * message is that text, the command cannot be decided from the binary: it is
 * reported and counted as skipped, never as passed. */
static bool st_ambiguous(struct st_file *f, const cJSON *c, const char *msg)
{
	const char *file = st_str(c, "filename");
	for (size_t i = 0; file && i < f->nbad; i++) {
		if (st_text_match(msg, f->bad[i].want) && st_same_bytes(f, f->bad[i].file, file)) {
			const cJSON *line = cJSON_GetObjectItemCaseSensitive(c, "line");
			printf("  line %d: skipped: %s has the same bytes as %s, which expects \"%s\"\n",
			       cJSON_IsNumber(line) ? line->valueint : 0, file, f->bad[i].file,
			       f->bad[i].want);
			return true;
		}
	}
	return false;
}

/* (module definition $M ...): the module must decode and validate; it is
 * instantiated later by (module instance $I $M), a module command. */
static enum st_verdict st_cmd_definition(struct st_file *f, const cJSON *c)
{
	wr_diag diag;
	wr_module *m;
	if (!st_streq(st_str(c, "module_type"), "binary"))
		return st_fail(f, "a text-format module (wrun reads binaries only)"), ST_SKIP;
	if (!(m = st_load(f, c, &diag)))
		return st_fail(f, "module definition failed to load: %s (offset %zu)", diag.message,
		               diag.offset);
	wr_module_free(m);
	return ST_PASS;
}

/* assert_invalid and assert_malformed: loading the binary fails with the
 * text. Text-format modules are skipped. */
static enum st_verdict st_cmd_invalid(struct st_file *f, const cJSON *c)
{
	const char *want = st_str(c, "text");
	wr_diag diag;
	wr_module *m;
	if (!st_streq(st_str(c, "module_type"), "binary"))
		return st_fail(f, "a text-format module (wrun reads binaries only)"), ST_SKIP;
	m = st_load(f, c, &diag);
	if (m) {
		wr_module_free(m);
		return st_fail(f, "module loaded, expected \"%s\"", want ? want : "");
	}
	if (want && st_text_match(diag.message, want)) {
		size_t i = st_grow((void **)&f->bad, &f->nbad, &f->capbad, sizeof(*f->bad));
		f->bad[i].file = st_str(c, "filename");
		f->bad[i].want = want;
		return ST_PASS;
	}
	if (st_ambiguous(f, c, diag.message))
		return ST_SKIP;
	return st_fail(f, "error \"%s\" (offset %zu), expected \"%s\"", diag.message, diag.offset,
	               want ? want : "");
}

/* assert_unlinkable: loads, but linking fails with the text. */
static enum st_verdict st_cmd_unlinkable(struct st_file *f, const cJSON *c)
{
	return st_no_instance(f, c, true);
}

/* ---- components ----
 *
 * Commands the converter marks "component": true (tests/spec3/README.md).
 * Module commands and assert_invalid/assert_malformed are decided by
 * wr_component_load (decoding and validation). Everything that needs a
 * component instance (component instance, invoke, assert_return,
 * assert_trap, assert_unlinkable) is skipped with ST_NO_LINKER, counted
 * apart so the summary line says how many.
 */

#define ST_NO_LINKER "component instantiation: not implemented yet"

/* Load the component named by a command's "filename". */
static wr_component *st_cload(struct st_file *f, const cJSON *c, wr_diag *diag)
{
	const char *name = st_str(c, "filename");
	char *path = NULL, *bytes = NULL;
	size_t len = 0;
	wr_component *comp = NULL;
	memset(diag, 0, sizeof(*diag));
	if (!name || asprintf(&path, "%s/%s", f->dir, name) < 0) {
		snprintf(diag->message, sizeof(diag->message), "(runner) no component file");
		return NULL;
	}
	bytes = st_slurp(path, &len);
	if (!bytes)
		snprintf(diag->message, sizeof(diag->message), "(runner) cannot read %s", name);
	else
		comp = wr_component_load((const uint8_t *)bytes, len, diag);
	free(bytes);
	free(path);
	return comp;
}

/* Does want occur in got once both are reduced to lowercase letters and
 * digits? (jco reports "InvalidStringEscape('z')" for "invalid string
 * escape".) */
static bool st_loose_match(const char *got, const char *want)
{
	char *g = st_xcalloc(strlen(got) + 1, 1), *w = st_xcalloc(strlen(want) + 1, 1);
	size_t n = 0, m = 0;
	bool ok;
	for (; *got; got++)
		if (st_isalnum((unsigned char)*got))
			g[n++] = (char)st_tolower((unsigned char)*got);
	for (; *want; want++)
		if (st_isalnum((unsigned char)*want))
			w[m++] = (char)st_tolower((unsigned char)*want);
	ok = strstr(g, w) != NULL;
	free(g);
	free(w);
	return ok;
}

/* A component module or definition: it must decode and validate. */
static enum st_verdict st_cmd_cmodule(struct st_file *f, const cJSON *c)
{
	wr_diag diag;
	wr_component *comp;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "instance"))) {
		f->n->skip_link++;
		return st_fail(f, "%s", ST_NO_LINKER), ST_SKIP;
	}
	if (!st_streq(st_str(c, "module_type"), "binary"))
		return st_fail(f, "jco could not encode the component: %s", st_str(c, "jco_error"));
	if (!(comp = st_cload(f, c, &diag)))
		return st_fail(f, "component load failed: %s (offset %zu)", diag.message, diag.offset);
	wr_component_free(comp);
	return ST_PASS;
}

/* assert_invalid, assert_malformed on a component. A text component that
 * jco's parser refused passes only when its message carries the expected
 * text: the text format is what must reject it. */
static enum st_verdict st_cmd_cinvalid(struct st_file *f, const cJSON *c)
{
	const char *want = st_str(c, "text"), *jerr = st_str(c, "jco_error");
	wr_diag diag;
	wr_component *comp;
	if (!want)
		want = "";
	if (!st_streq(st_str(c, "module_type"), "binary")) {
		if (jerr && st_loose_match(jerr, want)) {
			f->n->pass_text++;
			return ST_PASS;
		}
		return st_fail(f, "text component: jco said \"%s\", expected \"%s\"",
		               jerr ? jerr : "(nothing)", want);
	}
	if ((comp = st_cload(f, c, &diag))) {
		wr_component_free(comp);
		return st_fail(f, "component loaded, expected \"%s\"", want);
	}
	if (st_text_match(diag.message, want))
		return ST_PASS;
	if (strstr(diag.message, "(threads proposal) not supported"))
		return st_fail(f, "threads: %s, expected \"%s\"", diag.message, want), ST_SKIP;
	return st_fail(f, "error \"%s\" (offset %zu), expected \"%s\"", diag.message, diag.offset,
	               want);
}

/* Instances, invoke and the assertions on them (spectest_comp.c). */
#include "spectest_comp.c"

static enum st_verdict st_cmd_component(struct st_file *f, const cJSON *c)
{
	const char *type = st_str(c, "type");
	bool handled;
	enum st_verdict v = stc_command(f, c, &handled);
	if (handled)
		return v;
	if (st_streq(type, "module") || st_streq(type, "module_definition"))
		return st_cmd_cmodule(f, c);
	if (st_streq(type, "assert_invalid") || st_streq(type, "assert_malformed"))
		return st_cmd_cinvalid(f, c);
	f->n->skip_link++;
	st_fail(f, "%s", ST_NO_LINKER);
	return ST_SKIP;
}

/* Execute one command and count its verdict. */
/*
 * Assertions of the Wasm 2.0 suite that Wasm 3.0 reversed, and wrun follows
 * 3.0: a constant expression may read an immutable global the module
 * defines (data.wast, elem.wast, global.wast expect "unknown global"), and
 * may use i32.add (elem.wast line 517 expects "constant expression
 * required"; the 3.0 versions of these scripts load the same modules).
 * Multiple memories and memory64 (the second group): a module may have
 * several memories (imports.wast, memory.wast expect "multiple
 * memories"); memory.size, grow, fill, copy and init name memories with
 * u32 indices where 2.0 had zero bytes ("zero byte expected"); limits are
 * a flags byte (0, 1, 4, 5: else "malformed limits flags") and u64
 * minimum and maximum, and a memarg offset is a u64, whose range the
 * validator checks ("memory size must be at most...", "offset out of
 * range"), where 2.0 read u32s ("integer too large", "integer
 * representation too long"). The third: global.set of an immutable
 * global is "immutable global" in 3.0 (global.wast), "global is
 * immutable" in 2.0. The fourth: section id 13 is the tag section and
 * import kind 4 a tag (exception handling): binary.wast lines 48, 1383 and
 * 1393 expect "malformed section id" and "malformed import kind" for them
 * (3.0's binary.wast uses 14 and 5).
 * With --wasm2 (make spec) they count as skipped, with this reason when
 * --verbose; never as passed.
 */
static const struct {
	const char *script;
	int line;
} st_superseded[] = {
	{ "data", 85 }, { "data", 89 }, { "elem", 152 }, { "elem", 156 }, { "elem", 517 },
	{ "global", 273 }, { "global", 278 }, { "global", 352 }, { "global", 356 },
	{ "imports", 483 }, { "imports", 487 }, { "imports", 491 },
	{ "memory", 10 }, { "memory", 11 },
	{ "binary", 223 }, { "binary", 276 }, { "binary", 284 }, { "binary", 475 },
	{ "binary", 483 }, { "binary", 540 }, { "binary", 604 }, { "binary", 612 },
	{ "binary", 620 }, { "binary", 639 }, { "binary", 733 }, { "binary", 752 },
	{ "binary", 857 }, { "binary", 877 }, { "binary", 897 }, { "binary", 916 },
	{ "binary", 935 }, { "binary", 955 }, { "binary", 974 }, { "binary", 993 },
	{ "binary", 1011 }, { "binary", 1029 }, { "binary", 1508 }, { "binary", 1517 },
	{ "binary", 1527 }, { "binary", 1555 }, { "binary", 1563 }, { "binary", 1572 },
	{ "binary", 1581 }, { "binary", 48 }, { "binary", 1383 }, { "binary", 1393 },
	{ "binary-leb128", 218 }, { "binary-leb128", 226 }, { "binary-leb128", 405 },
	{ "binary-leb128", 462 }, { "binary-leb128", 526 }, { "binary-leb128", 534 },
	{ "binary-leb128", 542 }, { "binary-leb128", 551 }, { "binary-leb128", 731 },
	{ "binary-leb128", 750 }, { "binary-leb128", 844 }, { "binary-leb128", 863 },
};

/* Is this command one of st_superseded (2.0 suite only)? */
static bool st_is_superseded(const struct st_file *f, int line)
{
	const char *base = strrchr(f->dir, '/') ? strrchr(f->dir, '/') + 1 : f->dir;

	for (size_t i = 0; f->opt->wasm2 && i < sizeof(st_superseded) / sizeof(st_superseded[0]);
	     i++)
		if (st_superseded[i].line == line && strcmp(st_superseded[i].script, base) == 0)
			return true;
	return false;
}

static void st_command(struct st_file *f, const cJSON *c)
{
	static const struct {
		const char *type;
		enum st_verdict (*fn)(struct st_file *, const cJSON *);
	} cmds[] = {
		{ "module", st_cmd_module },
		{ "module_definition", st_cmd_definition },
		{ "register", st_cmd_register },
		{ "action", st_cmd_action },
		{ "assert_return", st_cmd_return },
		{ "assert_trap", st_cmd_trap },
		{ "assert_exhaustion", st_cmd_trap },
		{ "assert_exception", st_cmd_exception },
		{ "assert_invalid", st_cmd_invalid },
		{ "assert_malformed", st_cmd_invalid },
		{ "assert_unlinkable", st_cmd_unlinkable },
		{ "assert_uninstantiable", st_cmd_uninstantiable },
	};
	const char *type = st_str(c, "type");
	const cJSON *line = cJSON_GetObjectItemCaseSensitive(c, "line");
	enum st_verdict v = ST_SKIP;
	f->n->line = cJSON_IsNumber(line) ? line->valueint : 0;
	f->why[0] = '\0';
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "component")))
		v = st_cmd_component(f, c);
	for (size_t i = 0; v == ST_SKIP && !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c,
	                   "component")) && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (st_streq(type, cmds[i].type) && !st_is_superseded(f, f->n->line))
			v = cmds[i].fn(f, c);
	if (st_is_superseded(f, f->n->line) && f->opt->verbose)
		printf("  line %d: %s: skipped: reversed by Wasm 3.0 (st_superseded)\n",
		       f->n->line, type ? type : "?");
	if (v == ST_SKIP && !f->why[0] && !st_is_superseded(f, f->n->line))
		snprintf(f->why, sizeof(f->why), "command %s not run", type ? type : "?");
	if (v == ST_PASS)
		f->n->pass++;
	else if (v == ST_SKIP)
		f->n->skip++;
	else
		f->n->fail++;
	if ((v == ST_FAIL || (v == ST_SKIP && f->why[0])) && f->opt->verbose)
		printf("  line %d: %s: %s%s\n", f->n->line, type ? type : "?",
		       v == ST_SKIP ? "skipped: " : "", f->why);
}

/* ---- scripts ---- */

/* Create a directory and its parents. */
static bool st_mkdirs(const char *path)
{
	char *p = strdup(path), *s;
	bool ok = p != NULL;
	for (s = p ? p + 1 : NULL; ok && s && *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		ok = mkdir(p, 0777) == 0 || errno == EEXIST;
		*s = '/';
	}
	ok = ok && (mkdir(p, 0777) == 0 || errno == EEXIST);
	free(p);
	return ok;
}

/* Run wast2json on a script (no shell); true if it exited with status 0. */
static bool st_convert(const char *wast, const char *json)
{
	int status;
	pid_t pid;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		execlp("wast2json", "wast2json", wast, "-o", json, (char *)NULL);
		fprintf(stderr, "spectest: cannot run wast2json: %s\n", strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Convert a script (unless already converted) and parse its JSON; NULL
 * (with a message) on failure. */
static cJSON *st_script(const char *wast, const char *dir, const char *base, bool converted)
{
	char *json = NULL, *text = NULL;
	cJSON *root = NULL;
	size_t len;
	if (!st_mkdirs(dir) || asprintf(&json, "%s/%s.json", dir, base) < 0) {
		fprintf(stderr, "spectest: cannot create %s\n", dir);
		return NULL;
	}
	if (!converted && !st_convert(wast, json))
		fprintf(stderr, "spectest: wast2json failed on %s\n", wast);
	else if (!(text = st_slurp(json, &len)))
		fprintf(stderr, "spectest: cannot read %s\n", json);
	else if (st_mark_nul(text, &len), !(root = cJSON_ParseWithLength(text, len)))
		fprintf(stderr, "spectest: bad JSON in %s\n", json);
	free(text);
	free(json);
	return root;
}

/* Execute every command of a parsed script in a fresh store. */
static void st_execute(struct st_file *f, const cJSON *root)
{
	const cJSON *cmds = cJSON_GetObjectItemCaseSensitive(root, "commands"), *c;
	f->store = wr_store_new();
	if (!f->store || !st_host_init(f)) {
		fprintf(stderr, "spectest: cannot create the spectest host module\n");
		f->n->fail++;
	} else {
		cJSON_ArrayForEach(c, cmds)
			st_command(f, c);
	}
	if (f->store)
		wr_store_free(f->store);
	stc_free();
	for (size_t i = 0; i < f->nmods; i++)
		wr_module_free(f->mods[i]);
	free(f->mods);
	free(f->bad);
	free(f->names);
	free(f->regs);
}

/* The child's work for one script: convert, execute, count into n. */
static void st_child(const struct st_opts *o, const char *wast, const char *base,
                     struct st_count *n)
{
	struct st_file f = { .opt = o, .n = n };
	cJSON *root;
	if (asprintf(&f.dir, "%s/%s", o->work, base) < 0) {
		n->fail++;
		return;
	}
	root = st_script(wast, f.dir, base, o->converted);
	if (root)
		st_execute(&f, root);
	else
		n->fail++;
	cJSON_Delete(root);
	free(f.dir);
}

/* Wait for a script's child; report how it ended if not normally. */
static void st_reap(pid_t pid, struct st_count *n, char *note, size_t size)
{
	int status;
	note[0] = '\0';
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(note, size, " (lost the child: %s)", strerror(errno));
			n->fail++;
			return;
		}
	}
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		snprintf(note, size, " (%s at line %d)",
		         sig == SIGALRM ? "timed out" : strsignal(sig), n->line);
		n->fail++;
	} else if (WEXITSTATUS(status) != 0) {
		snprintf(note, size, " (exit status %d, after line %d)", WEXITSTATUS(status), n->line);
		n->fail++;
	}
}

/* Is a script excluded by one of the --exclude prefixes? */
static bool st_excluded(const struct st_opts *o, const char *name)
{
	for (size_t i = 0; i < o->nexcl; i++)
		if (strncmp(name, o->excl[i], strlen(o->excl[i])) == 0)
			return true;
	return false;
}

/* The reason given with --skip for a script, or NULL. */
static const char *st_skipped(const struct st_opts *o, const char *name)
{
	for (size_t i = 0; i < o->nskip; i++) {
		const char *colon = strchr(o->skip[i], ':');
		size_t len = colon ? (size_t)(colon - o->skip[i]) : strlen(o->skip[i]);
		if (strncmp(name, o->skip[i], len) == 0 && strcmp(name + len, ".wast") == 0)
			return colon ? colon + 1 : "skipped by name";
	}
	return NULL;
}

/* Run one script in a child process and print its summary line. */
static void st_run_file(const struct st_opts *o, const char *path, struct st_count *tot)
{
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t blen = strlen(name);
	char *base, note[128];
	struct st_count *n;
	pid_t pid;
	if (st_excluded(o, name)) {
		printf("%s: not run (excluded)\n", name);
		return;
	}
	if (st_skipped(o, name)) {
		printf("%s: 0 passed, 0 failed, 1 skipped (not run: %s)\n", name, st_skipped(o, name));
		tot->skip++;
		return;
	}
	if (blen > 5 && strcmp(name + blen - 5, ".wast") == 0)
		blen -= 5;
	base = strndup(name, blen);
	n = mmap(NULL, sizeof(*n), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!base || n == MAP_FAILED) {
		fprintf(stderr, "spectest: out of memory\n");
		exit(2);
	}
	memset(n, 0, sizeof(*n));
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		alarm(o->timeout);
		st_child(o, path, base, n);
		free(base);
		exit(0);
	}
	if (pid < 0) {
		snprintf(note, sizeof(note), " (fork: %s)", strerror(errno));
		n->fail++;
	} else {
		st_reap(pid, n, note, sizeof(note));
	}
	printf("%s: %lu passed, %lu failed, %lu skipped", name, n->pass, n->fail, n->skip);
	if (n->pass_text)
		printf(" (%lu passed as text jco's parser refused)", n->pass_text);
	if (n->skip_link)
		printf(" (%lu: %s)", n->skip_link, ST_NO_LINKER);
	printf("%s\n", note);
	tot->pass += n->pass;
	tot->fail += n->fail;
	tot->skip += n->skip;
	munmap(n, sizeof(*n));
	free(base);
}

/* scandir filter: *.wast files. */
static int st_is_wast(const struct dirent *d)
{
	size_t len = strlen(d->d_name);
	return len > 5 && strcmp(d->d_name + len - 5, ".wast") == 0;
}

/* Run a script, or every *.wast in a directory in sorted order. */
static void st_run_path(const struct st_opts *o, const char *path, struct st_count *tot)
{
	struct dirent **list;
	struct stat st;
	int k;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		st_run_file(o, path, tot);
		return;
	}
	k = scandir(path, &list, st_is_wast, alphasort);
	if (k < 0) {
		fprintf(stderr, "spectest: cannot list %s: %s\n", path, strerror(errno));
		tot->fail++;
		return;
	}
	for (int i = 0; i < k; i++) {
		char *p;
		if (asprintf(&p, "%s/%s", path, list[i]->d_name) >= 0) {
			st_run_file(o, p, tot);
			free(p);
		}
		free(list[i]);
	}
	free(list);
}

static void st_usage(void)
{
	fprintf(stderr, "usage: spectest [--work DIR | --json DIR] [--exclude PREFIX]... [--skip NAME:REASON]... [--verbose] [--wasm2]"
	                " [--timeout SECS] FILE.wast|DIR...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct st_opts o = { .work = "build/spec-json", .timeout = 600 };
	struct st_count tot = { 0 };
	int i, nfiles = 0;
	o.excl = st_xcalloc((size_t)argc, sizeof(*o.excl));
	o.skip = st_xcalloc((size_t)argc, sizeof(*o.skip));
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--work") == 0 && i + 1 < argc)
			o.work = argv[++i];
		else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc)
			o.work = argv[++i], o.converted = true;
		else if (strcmp(argv[i], "--exclude") == 0 && i + 1 < argc)
			o.excl[o.nexcl++] = argv[++i];
		else if (strcmp(argv[i], "--skip") == 0 && i + 1 < argc)
			o.skip[o.nskip++] = argv[++i];
		else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
			o.timeout = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--verbose") == 0)
			o.verbose = st_verbose = true;
		else if (strcmp(argv[i], "--wasm2") == 0)
			o.wasm2 = true;
		else if (argv[i][0] == '-' && argv[i][1] == '-')
			st_usage();
		else
			argv[nfiles++] = argv[i];
	}
	if (nfiles == 0)
		st_usage();
	for (i = 0; i < nfiles; i++)
		st_run_path(&o, argv[i], &tot);
	printf("%lu passed, %lu failed, %lu skipped\n", tot.pass, tot.fail, tot.skip);
	free(o.excl);
	free(o.skip);
	return tot.fail ? 1 : 0;
}
