/*
 * canon_string.c: strings in linear memory (CanonicalABI.md,
 * load_string_from_range and store_string_into_range): UTF-8, UTF-16 and
 * latin1+utf16, lifted into UTF-8 wr_cvals and lowered from them with the
 * spec's transcoding algorithms, so the realloc calls (sizes, order,
 * shrinking) are the spec's. Guest bytes are read once: decoding works on
 * a private copy or in one pass.
 */
#include "canon_impl.h"

#include <stdlib.h>
#include <string.h>

/* ---- UTF-8 ---- */

/* The valid range of the second byte after lead byte b (Unicode 3-7);
 * returns the sequence length, 0 for a byte that cannot lead. */
static uint32_t utf8_lead(uint8_t b, uint8_t *lo, uint8_t *hi)
{
	*lo = 0x80, *hi = 0xbf;
	if (b < 0x80)
		return 1;
	if (b < 0xc2 || b > 0xf4)
		return 0;
	if (b < 0xe0)
		return 2;
	if (b == 0xe0)
		*lo = 0xa0;
	else if (b == 0xed)
		*hi = 0x9f;
	if (b < 0xf0)
		return 3;
	if (b == 0xf0)
		*lo = 0x90;
	else if (b == 0xf4)
		*hi = 0x8f;
	return 4;
}

int cutf8_check(const uint8_t *s, size_t n, size_t *at, uint32_t *bad)
{
	for (size_t i = 0; i < n;) {
		uint8_t lo, hi;
		uint32_t k = utf8_lead(s[i], &lo, &hi);
		*at = i;
		*bad = 1;
		if (k == 0)
			return -1;
		for (uint32_t j = 1; j < k; j++) {
			if (i + j >= n) {
				*bad = 0;
				return -1;
			}
			uint8_t c = s[i + j];
			if (c < (j == 1 ? lo : 0x80) || c > (j == 1 ? hi : 0xbf))
				return -1;
			*bad = j + 1;
		}
		i += k;
	}
	return 0;
}

uint32_t cutf8_next(const uint8_t *s, size_t *i)
{
	uint32_t c = s[(*i)++];
	if (c < 0x80)
		return c;
	uint32_t k = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
	c &= 0x3f >> k;
	while (k--)
		c = c << 6 | (s[(*i)++] & 0x3f);
	return c;
}

uint32_t cutf8_put(uint32_t cp, uint8_t *out)
{
	if (cp < 0x80) {
		out[0] = (uint8_t)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (uint8_t)(0xc0 | cp >> 6);
		out[1] = (uint8_t)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (uint8_t)(0xe0 | cp >> 12);
		out[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (uint8_t)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (uint8_t)(0xf0 | cp >> 18);
	out[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (uint8_t)(0x80 | (cp & 0x3f));
	return 4;
}

/* The trap for invalid UTF-8, worded as the reference tests expect. */
static wr_trapkind utf8_trap(wr_trap *trap, size_t at, uint32_t bad)
{
	if (bad == 0)
		return ctrap_to(trap, "incomplete utf-8 byte sequence from index %zu", at);
	return ctrap_to(trap, "invalid utf-8 sequence of %u bytes from index %zu", bad, at);
}

/* ---- lifting ---- */

/* Finish out as a string of len bytes in buf (grown by one NUL). */
static wr_trapkind string_out(struct ccx *cx, uint8_t *buf, size_t len, uint32_t hint,
                              wr_cval *out)
{
	uint8_t *s = realloc(buf, len + 1);
	if (!s) {
		free(buf);
		return ctrap_oom(cx);
	}
	s[len] = 0;
	memset(out, 0, sizeof(*out));
	out->kind = WR_C_STRING;
	out->of.str = (char *)s;
	out->len = (uint32_t)len;
	out->tag = hint;
	return WR_OK;
}

/* UTF-16LE units at p into UTF-8, in one pass (3 bytes per unit at most). */
static wr_trapkind lift_utf16(struct ccx *cx, const uint8_t *p, size_t units, uint32_t hint,
                              wr_cval *out)
{
	uint8_t *buf = malloc(units * 3 + 1);
	if (!buf)
		return ctrap_oom(cx);
	size_t o = 0;
	for (size_t i = 0; i < units; i++) {
		uint32_t u = (uint32_t)cld(p + 2 * i, 2);
		if (u >= 0xd800 && u <= 0xdbff && i + 1 < units) {
			uint32_t v = (uint32_t)cld(p + 2 * i + 2, 2);
			if (v >= 0xdc00 && v <= 0xdfff) {
				u = 0x10000 + ((u - 0xd800) << 10) + (v - 0xdc00);
				i++;
			}
		}
		if (u >= 0xd800 && u <= 0xdfff) {
			free(buf);
			return ctrap(cx, "invalid utf-16: lone surrogate found at unit %zu", i);
		}
		o += cutf8_put(u, buf + o);
	}
	return string_out(cx, buf, o, hint, out);
}

/* Latin-1 bytes into UTF-8, in one pass. */
static wr_trapkind lift_latin1(struct ccx *cx, const uint8_t *p, size_t n, wr_cval *out)
{
	uint8_t *buf = malloc(n * 2 + 1);
	if (!buf)
		return ctrap_oom(cx);
	size_t o = 0;
	for (size_t i = 0; i < n; i++)
		o += cutf8_put(p[i], buf + o);
	return string_out(cx, buf, o, CSTR_HINT_LATIN1, out);
}

/* UTF-8: copied out first, then checked, so the bytes are read once. */
static wr_trapkind lift_utf8(struct ccx *cx, const uint8_t *p, size_t n, wr_cval *out)
{
	uint8_t *buf = malloc(n + 1);
	if (!buf)
		return ctrap_oom(cx);
	memcpy(buf, p, n);
	size_t at;
	uint32_t bad;
	if (cutf8_check(buf, n, &at, &bad) != 0) {
		free(buf);
		return utf8_trap(cx->trap, at, bad);
	}
	return string_out(cx, buf, n, CSTR_HINT_UTF8, out);
}

wr_trapkind canon_load_string(struct ccx *cx, uint32_t ptr, uint32_t tagged, wr_cval *out)
{
	uint32_t align = 2, hint;
	uint64_t bytes;
	switch (cx->opts ? cx->opts->string_encoding : CSTR_UTF8) {
	case CSTR_UTF16:
		bytes = 2 * (uint64_t)tagged, hint = CSTR_HINT_UTF16;
		break;
	case CSTR_LATIN1_UTF16:
		if (tagged & CANON_UTF16_TAG)
			bytes = 2 * (uint64_t)(tagged ^ CANON_UTF16_TAG), hint = CSTR_HINT_LATIN1_UTF16;
		else
			bytes = tagged, hint = CSTR_HINT_LATIN1;
		break;
	default:
		bytes = tagged, hint = CSTR_HINT_UTF8, align = 1;
		break;
	}
	if (bytes > CANON_MAX_STRING_BYTES)
		return ctrap(cx, "%s (length over the maximum)", CMSG_STRING_OOB);
	wr_trapkind k = cmem_check(cx, ptr, bytes, align, CMSG_UNALIGNED, CMSG_STRING_OOB);
	if (k != WR_OK)
		return k;
	/* what the lifting below allocates at most */
	k = clift_charge(cx, hint == CSTR_HINT_UTF8 ? bytes + 1 : hint == CSTR_HINT_LATIN1
	                                                  ? 2 * bytes + 1 : bytes / 2 * 3 + 1);
	if (k != WR_OK)
		return k;
	const uint8_t *p = cmem(cx, ptr, bytes);
	if (hint == CSTR_HINT_UTF8)
		return lift_utf8(cx, p, bytes, out);
	if (hint == CSTR_HINT_LATIN1)
		return lift_latin1(cx, p, bytes, out);
	return lift_utf16(cx, p, bytes / 2, hint, out);
}

/* ---- lowering ---- */

/* A string to store: its UTF-8 bytes and the spec's source hint. */
struct src {
	const uint8_t *s;
	size_t len;
	uint32_t units;      /* code units in the source encoding */
	enum cstrenc enc;    /* the source's encoding option */
	bool latin1;         /* latin1+utf16 in its Latin-1 form */
	bool utf16;          /* the simple encoding is UTF-16 */
};

static uint32_t count_utf16(const uint8_t *s, size_t n)
{
	uint32_t c = 0;
	for (size_t i = 0; i < n;)
		c += cutf8_next(s, &i) >= 0x10000 ? 2 : 1;
	return c;
}

/* True if every code point fits Latin-1; *count gets the code points. */
static bool all_latin1(const uint8_t *s, size_t n, uint32_t *count)
{
	bool ok = true;
	*count = 0;
	for (size_t i = 0; i < n; (*count)++)
		ok &= cutf8_next(s, &i) < 0x100;
	return ok;
}

/* The hint of v (a string wr_cval, checked here: hosts make them too). */
static wr_trapkind src_of(struct ccx *cx, const wr_cval *v, struct src *src)
{
	if (v->kind != WR_C_STRING || (!v->of.str && v->len))
		return ctrap(cx, "%s", CMSG_MISMATCH);
	if (v->len > CANON_MAX_STRING_BYTES)
		return ctrap(cx, "string too long to lower (%u bytes)", v->len);
	memset(src, 0, sizeof(*src));
	src->s = (const uint8_t *)(v->of.str ? v->of.str : "");
	src->len = v->len;
	size_t at;
	uint32_t bad;
	if (cutf8_check(src->s, src->len, &at, &bad) != 0)
		return utf8_trap(cx->trap, at, bad);
	src->enc = CSTR_UTF8;
	src->units = v->len;
	uint32_t ncp;
	if (v->tag == CSTR_HINT_UTF16 || v->tag == CSTR_HINT_LATIN1_UTF16) {
		src->enc = v->tag == CSTR_HINT_UTF16 ? CSTR_UTF16 : CSTR_LATIN1_UTF16;
		src->utf16 = true;
		src->units = count_utf16(src->s, src->len);
	} else if (v->tag == CSTR_HINT_LATIN1 && all_latin1(src->s, src->len, &ncp)) {
		src->enc = CSTR_LATIN1_UTF16;
		src->latin1 = true;
		src->units = ncp;
	}
	return WR_OK;
}

/* Write the UTF-16LE of s[0, n) at m; returns the units written. */
static uint32_t put_utf16(uint8_t *m, const uint8_t *s, size_t n)
{
	uint32_t u = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp = cutf8_next(s, &i);
		if (cp >= 0x10000) {
			cp -= 0x10000;
			cst(m + 2 * u++, 0xd800 | cp >> 10, 2);
			cp = 0xdc00 | (cp & 0x3ff);
		}
		cst(m + 2 * u++, cp, 2);
	}
	return u;
}

/* Allocate or reallocate for a string and check the result. */
static wr_trapkind str_alloc(struct ccx *cx, uint32_t old, uint32_t old_size, uint32_t align,
                             uint32_t size, uint32_t *ptr)
{
	wr_trapkind k = crealloc(cx, old, old_size, align, size, ptr);
	if (k == WR_OK)
		k = cmem_check(cx, *ptr, size, align, CMSG_REALLOC_UNALIGNED, CMSG_STRING_REALLOC_OOB);
	return k;
}

enum dst { DST_UTF8, DST_UTF16, DST_LATIN1 };

/* store_string_copy: the exact size known up front. */
static wr_trapkind store_copy(struct ccx *cx, const struct src *s, uint32_t unit, uint32_t align,
                              enum dst dst, uint32_t *ptr, uint32_t *out)
{
	uint32_t bytes = unit * s->units, p;
	wr_trapkind k = str_alloc(cx, 0, 0, align, bytes, &p);
	if (k != WR_OK)
		return k;
	uint8_t *m = cmem(cx, p, bytes);
	if (dst == DST_UTF8)
		memcpy(m, s->s, s->len);
	else if (dst == DST_UTF16)
		put_utf16(m, s->s, s->len);
	else
		for (size_t i = 0, j = 0; i < s->len;)
			m[j++] = (uint8_t)cutf8_next(s->s, &i);
	*ptr = p;
	*out = s->units;
	return WR_OK;
}

/* store_string_to_utf8: optimistic one byte per code unit, then the worst
 * case at the first non-ASCII code point, then shrink. */
static wr_trapkind store_to_utf8(struct ccx *cx, const struct src *s, uint32_t worst,
                                 uint32_t *ptr, uint32_t *out)
{
	uint32_t p, n = s->units, len = (uint32_t)s->len;
	wr_trapkind k = str_alloc(cx, 0, 0, 1, n, &p);
	if (k != WR_OK)
		return k;
	for (size_t i = 0, cp = 0; i < s->len; cp++) {
		size_t at = i;
		if (cutf8_next(s->s, &i) < 0x80) {
			cmem(cx, p, n)[cp] = s->s[at];
			continue;
		}
		if ((k = str_alloc(cx, p, n, 1, worst, &p)) != WR_OK)
			return k;
		memcpy(cmem(cx, p, worst) + at, s->s + at, s->len - at);
		if (worst > len && (k = str_alloc(cx, p, worst, 1, len, &p)) != WR_OK)
			return k;
		*ptr = p;
		*out = len;
		return WR_OK;
	}
	*ptr = p;
	*out = n;
	return WR_OK;
}

/* store_utf8_to_utf16: worst case two bytes per UTF-8 byte, then shrink. */
static wr_trapkind store_utf8_to_utf16(struct ccx *cx, const struct src *s, uint32_t *ptr,
                                       uint32_t *out)
{
	uint32_t worst = 2 * s->units, p;
	wr_trapkind k = str_alloc(cx, 0, 0, 2, worst, &p);
	if (k != WR_OK)
		return k;
	uint32_t units = put_utf16(cmem(cx, p, worst), s->s, s->len);
	if (2 * units < worst && (k = str_alloc(cx, p, worst, 2, 2 * units, &p)) != WR_OK)
		return k;
	*ptr = p;
	*out = units;
	return WR_OK;
}

/* The rest of store_string_to_latin1_or_utf16 from the first code point
 * outside Latin-1 (at byte `at` of the source, after `done` Latin-1 bytes):
 * grow to the worst case, inflate what was written, write UTF-16, shrink. */
static wr_trapkind latin1_to_utf16(struct ccx *cx, const struct src *s, size_t at,
                                   uint32_t done, uint32_t *ptr, uint32_t *out)
{
	uint32_t worst = 2 * s->units, p = *ptr;
	uint32_t total = done + count_utf16(s->s + at, s->len - at);
	if (2 * (uint64_t)total > worst)
		return ctrap(cx, "%s", CMSG_MISMATCH);
	wr_trapkind k = str_alloc(cx, p, s->units, 2, worst, &p);
	if (k != WR_OK)
		return k;
	uint8_t *m = cmem(cx, p, worst);
	for (uint32_t j = done; j-- > 0;) {
		m[2 * j] = m[j];
		m[2 * j + 1] = 0;
	}
	put_utf16(m + 2 * done, s->s + at, s->len - at);
	if (worst > 2 * total && (k = str_alloc(cx, p, worst, 2, 2 * total, &p)) != WR_OK)
		return k;
	*ptr = p;
	*out = total | CANON_UTF16_TAG;
	return WR_OK;
}

/* store_string_to_latin1_or_utf16: Latin-1 until a code point says no. */
static wr_trapkind store_to_latin1_or_utf16(struct ccx *cx, const struct src *s, uint32_t *ptr,
                                            uint32_t *out)
{
	uint32_t p, n = s->units, done = 0;
	wr_trapkind k = str_alloc(cx, 0, 0, 2, n, &p);
	if (k != WR_OK)
		return k;
	for (size_t i = 0; i < s->len;) {
		size_t at = i;
		uint32_t cp = cutf8_next(s->s, &i);
		if (cp >= 0x100) {
			*ptr = p;
			return latin1_to_utf16(cx, s, at, done, ptr, out);
		}
		cmem(cx, p, n)[done++] = (uint8_t)cp;
	}
	if (done < n && (k = str_alloc(cx, p, n, 2, done, &p)) != WR_OK)
		return k;
	*ptr = p;
	*out = done;
	return WR_OK;
}

/* store_probably_utf16_to_latin1_or_utf16: UTF-16 first, deflated to
 * Latin-1 when every code point fits. */
static wr_trapkind store_probably_utf16(struct ccx *cx, const struct src *s, uint32_t *ptr,
                                        uint32_t *out)
{
	uint32_t bytes = 2 * s->units, p, ncp;
	wr_trapkind k = str_alloc(cx, 0, 0, 2, bytes, &p);
	if (k != WR_OK)
		return k;
	uint8_t *m = cmem(cx, p, bytes);
	uint32_t units = put_utf16(m, s->s, s->len);
	if (!all_latin1(s->s, s->len, &ncp)) {
		*ptr = p;
		*out = units | CANON_UTF16_TAG;
		return WR_OK;
	}
	for (uint32_t i = 0; i < units; i++)
		m[i] = m[2 * i];
	if ((k = crealloc(cx, p, bytes, 1, units, &p)) != WR_OK)
		return k;
	if ((k = cmem_check(cx, p, units, 1, CMSG_REALLOC_UNALIGNED, CMSG_STRING_REALLOC_OOB)))
		return k;
	*ptr = p;
	*out = units;
	return WR_OK;
}

wr_trapkind canon_store_string(struct ccx *cx, const wr_cval *v, uint32_t *ptr, uint32_t *out)
{
	struct src s;
	wr_trapkind k = src_of(cx, v, &s);
	if (k != WR_OK)
		return k;
	switch (cx->opts ? cx->opts->string_encoding : CSTR_UTF8) {
	case CSTR_UTF16:
		if (!s.utf16 && !s.latin1)
			return store_utf8_to_utf16(cx, &s, ptr, out);
		return store_copy(cx, &s, 2, 2, DST_UTF16, ptr, out);
	case CSTR_LATIN1_UTF16:
		if (s.latin1)
			return store_copy(cx, &s, 1, 2, DST_LATIN1, ptr, out);
		if (s.enc == CSTR_LATIN1_UTF16)
			return store_probably_utf16(cx, &s, ptr, out);
		return store_to_latin1_or_utf16(cx, &s, ptr, out);
	default:
		if (s.utf16)
			return store_to_utf8(cx, &s, 3 * s.units, ptr, out);
		if (s.latin1)
			return store_to_utf8(cx, &s, 2 * s.units, ptr, out);
		return store_copy(cx, &s, 1, 1, DST_UTF8, ptr, out);
	}
}
