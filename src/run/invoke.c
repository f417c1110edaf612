/*
 * invoke.c: --invoke NAME ARGS...: parse the arguments by the export's
 * parameter types, call it, and format its results one per line.  Shared
 * by the in-process run (main.c) and the jailed child (sandbox/child.c).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invoke.h"

/* Parse an integer argument: optional sign, decimal or 0x hex. Values are
 * accepted from the signed minimum to the unsigned maximum of the width. */
static bool inv_parse_int(const char *s, int bits, uint64_t *out)
{
	bool neg = (*s == '-');
	const char *p = (*s == '-' || *s == '+') ? s + 1 : s;
	int base = 10;
	unsigned long long v;
	char *end;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (base == 16 ? !isxdigit((unsigned char)*p) : !isdigit((unsigned char)*p))
		return false;
	errno = 0;
	v = strtoull(p, &end, base);
	if (errno || *end || end == p)
		return false;
	if (bits == 32 && (neg ? v > 0x80000000ull : v > 0xffffffffull))
		return false;
	if (bits == 64 && neg && v > 0x8000000000000000ull)
		return false;
	*out = neg ? (uint64_t)0 - v : v;
	return true;
}

/* Parse a v128 argument: 0x followed by up to 32 hex digits, the value of
 * the whole vector as one little-endian 128-bit number. */
static bool inv_parse_v128(const char *s, uint8_t out[16])
{
	size_t n;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return false;
	s += 2;
	n = strlen(s);
	if (n == 0 || n > 32)
		return false;
	memset(out, 0, 16);
	for (size_t i = 0; i < n; i++) {
		char c = s[n - 1 - i];
		int d = (c >= '0' && c <= '9') ? c - '0' :
			(c >= 'a' && c <= 'f') ? c - 'a' + 10 :
			(c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;

		if (d < 0)
			return false;
		out[i / 2] |= (uint8_t)(d << (4 * (i % 2)));
	}
	return true;
}

/* Parse one --invoke argument as a value of type t. */
static bool inv_parse_value(const char *s, uint8_t t, wr_value *v)
{
	uint64_t u;
	char *end;

	v->type = (wr_valtype)t;
	switch (t) {
	case WR_I32:
		if (!inv_parse_int(s, 32, &u))
			return false;
		v->of.i32 = (int32_t)(uint32_t)u;
		return true;
	case WR_I64:
		if (!inv_parse_int(s, 64, &u))
			return false;
		v->of.i64 = (int64_t)u;
		return true;
	case WR_F32: {
		float f = strtof(s, &end);

		memcpy(&v->of.f32, &f, 4);
		return *s && !*end;
	}
	case WR_F64: {
		double d = strtod(s, &end);

		memcpy(&v->of.f64, &d, 8);
		return *s && !*end;
	}
	case WR_V128:
		return inv_parse_v128(s, v->of.v128);
	case WR_FUNCREF:
		v->of.func = NULL;
		return strcmp(s, "null") == 0;
	case WR_EXTERNREF:
		v->of.ext = 0;
		if (strcmp(s, "null") == 0)
			return true;
		if (!inv_parse_int(s, 64, &u) || u == 0)
			return false;
		v->of.ext = (uintptr_t)u;
		return true;
	case WR_EXNREF:
	case WR_NULLEXNREF:
		v->of.exn = 0;
		return strcmp(s, "null") == 0;
	case WR_ANYREF:
		v->of.any = 0;
		return strcmp(s, "null") == 0;
	}
	return false;
}

/* Format a float in the given precision, spelling NaN and infinity the
 * same way on every libc. */
static int inv_format_float(char *buf, size_t n, double d, int prec)
{
	if (isnan(d))
		return snprintf(buf, n, "%s\n", signbit(d) ? "-nan" : "nan");
	if (isinf(d))
		return snprintf(buf, n, "%s\n", d < 0 ? "-inf" : "inf");
	return snprintf(buf, n, "%.*g\n", prec, d);
}

/* Format one value and a newline into buf, snprintf-style. */
static int inv_format_value(const wr_value *v, char *buf, size_t n)
{
	float f;
	double d;
	uint32_t lane[4];

	switch (v->type) {
	case WR_I32:
		return snprintf(buf, n, "%" PRId32 "\n", v->of.i32);
	case WR_I64:
		return snprintf(buf, n, "%" PRId64 "\n", v->of.i64);
	case WR_F32:
		memcpy(&f, &v->of.f32, 4);
		return inv_format_float(buf, n, f, 9);
	case WR_F64:
		memcpy(&d, &v->of.f64, 8);
		return inv_format_float(buf, n, d, 17);
	case WR_V128:
		memcpy(lane, v->of.v128, 16);
		return snprintf(buf, n, "0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32
				" 0x%08" PRIx32 "\n", lane[0], lane[1], lane[2], lane[3]);
	case WR_FUNCREF:
		return snprintf(buf, n, "%s\n", v->of.func ? "ref.func" : "null");
	case WR_EXTERNREF:
		return snprintf(buf, n, "%s\n", v->of.ext ? "ref.extern" : "null");
	case WR_EXNREF:
	case WR_NULLEXNREF:
		return snprintf(buf, n, "%s\n", v->of.exn ? "ref.exn" : "null");
	case WR_ANYREF:
		return snprintf(buf, n, "%s\n", v->of.any ? "ref.any" : "null");
	}
	return snprintf(buf, n, "?\n");
}

/* Append one result line to out (size n, used *len); false if it does not fit. */
static bool inv_append(const wr_value *v, char *out, size_t n, size_t *len)
{
	int k = inv_format_value(v, out + *len, n - *len);

	if (k < 0 || (size_t)k >= n - *len)
		return false;
	*len += (size_t)k;
	return true;
}

enum inv_status inv_call(wr_instance *inst, const char *name, int nargs, char *const *args,
			 char *out, size_t outsize, wr_trap *trap, char *err, size_t errlen)
{
	enum inv_status st = INV_OK;
	wr_extern ex;
	wr_functype ft;
	wr_value *vals, *res;
	size_t len = 0;

	out[0] = '\0';
	if (!wr_instance_export(inst, name, &ex) || ex.kind != WR_EXTERN_FUNC) {
		snprintf(err, errlen, "no exported function \"%s\"", name);
		return INV_NOEXPORT;
	}
	wr_func_type(ex.of.func, &ft);
	if ((uint32_t)nargs != ft.nparams) {
		snprintf(err, errlen, "--invoke %s: expected %" PRIu32 " argument(s), got %d",
			 name, ft.nparams, nargs);
		return INV_USAGE;
	}
	vals = calloc(ft.nparams + 1, sizeof(*vals));
	res = calloc(ft.nresults + 1, sizeof(*res));
	if (!vals || !res) {
		snprintf(err, errlen, "out of memory");
		st = INV_NOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < ft.nparams; i++)
		if (!inv_parse_value(args[i], ft.params[i], &vals[i])) {
			snprintf(err, errlen, "--invoke %s: bad argument %" PRIu32 " '%s'", name,
				 i + 1, args[i]);
			st = INV_USAGE;
			goto out;
		}
	if (wr_call(ex.of.func, vals, ft.nparams, res, ft.nresults, trap) != WR_OK) {
		st = INV_TRAP;
		goto out;
	}
	for (uint32_t i = 0; i < ft.nresults; i++)
		if (!inv_append(&res[i], out, outsize, &len)) {
			snprintf(err, errlen, "--invoke %s: the results do not fit in %zu bytes",
				 name, outsize);
			st = INV_TOOLONG;
			goto out;
		}
out:
	free(vals);
	free(res);
	return st;
}
