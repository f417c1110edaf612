/*
 * brk_json.c: JSON for the audit log, built so that a record is either
 * written whole or not at all.
 *
 * Strings.  Bytes that form valid UTF-8 are kept as they are, except
 * that '"' and '\' are escaped with a backslash and the control
 * characters U+0000-U+001F, U+007F and U+0080-U+009F, and the line and
 * paragraph separators U+2028 and U+2029 (which some readers take for a
 * line end) are written as \uXXXX.  A byte that is not part of a valid UTF-8 sequence (a stray
 * continuation byte, a truncated sequence, an overlong form, a surrogate,
 * anything above U+10FFFF) becomes U+FFFD.  The string is then always
 * valid UTF-8 and valid JSON for any parser; jl_field() adds the exact
 * bytes as KEY_hex whenever a replacement happened, so nothing is lost.
 *
 * Why the sizes hold: one input byte becomes at most 6 output bytes in a
 * string (\u00XX; U+FFFD is 3, an escaped quote 2, a two-byte C1 control
 * 6 for 2, U+2028 6 for 3) and 2 in hex, hence JL_FIELD_MAX.  Every store goes through
 * jl_raw(), which checks the room left before copying and counts what did
 * not fit, so a record that would not fit is detected, never cut.
 */
#include <string.h>

#include "brk_json.h"

static const char jl_digits[] = "0123456789abcdef";

void jl_raw(struct jline *l, const char *s, size_t len)
{
	if (len == 0)
		return;
	if (l->p && l->n <= l->cap && len <= l->cap - l->n)
		memcpy(l->p + l->n, s, len);
	l->n += len;
	l->last = s[len - 1];
}

void jl_lit(struct jline *l, const char *s)
{
	jl_raw(l, s, strlen(s));
}

bool jl_fits(const struct jline *l)
{
	return l->p && l->n <= l->cap;
}

/* Decimal, without stdio (signal handlers use this too). */
void jl_u64(struct jline *l, uint64_t v)
{
	char d[20];
	size_t i = sizeof(d);

	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i);
	jl_raw(l, d + i, sizeof(d) - i);
}

/* ,"key": (no comma right after an opening brace). */
void jl_key(struct jline *l, const char *key)
{
	if (l->last != '{' && l->last != '[' && l->n)
		jl_raw(l, ",", 1);
	jl_raw(l, "\"", 1);
	jl_lit(l, key);
	jl_raw(l, "\":", 2);
}

void jl_kv_u64(struct jline *l, const char *key, uint64_t v)
{
	jl_key(l, key);
	jl_u64(l, v);
}

void jl_kv_bool(struct jline *l, const char *key, bool v)
{
	jl_key(l, key);
	jl_lit(l, v ? "true" : "false");
}

/* A string value the caller knows is plain ASCII needing no escape. */
void jl_kv_lit(struct jline *l, const char *key, const char *ascii)
{
	jl_key(l, key);
	jl_raw(l, "\"", 1);
	jl_lit(l, ascii);
	jl_raw(l, "\"", 1);
}

/*
 * Length of the valid UTF-8 sequence at s (at most len bytes), or 0.
 * The second byte's range excludes overlong forms (E0, F0), surrogates
 * (ED) and code points above U+10FFFF (F4); C0, C1 and F5-FF never start
 * a sequence.
 */
static size_t jl_utf8_len(const uint8_t *s, size_t len)
{
	unsigned b = s[0], lo = 0x80, hi = 0xbf;
	size_t need;

	if (b < 0x80)
		return 1;
	if (b < 0xc2 || b > 0xf4)
		return 0;
	need = b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
	if (b == 0xe0)
		lo = 0xa0;
	else if (b == 0xed)
		hi = 0x9f;
	else if (b == 0xf0)
		lo = 0x90;
	else if (b == 0xf4)
		hi = 0x8f;
	if (len < need || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < need; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return need;
}

/* \uXXXX for a code point c below 0x10000. */
static void jl_esc(struct jline *l, unsigned c)
{
	char e[6] = { '\\', 'u', jl_digits[c >> 12 & 15], jl_digits[c >> 8 & 15],
		      jl_digits[c >> 4 & 15], jl_digits[c & 15] };

	jl_raw(l, e, sizeof(e));
}

/* One valid sequence of k bytes at s, escaped where JSON or a terminal needs it. */
static void jl_seq(struct jline *l, const uint8_t *s, size_t k)
{
	if (k == 1 && (s[0] == '"' || s[0] == '\\')) {
		char e[2] = { '\\', (char)s[0] };

		jl_raw(l, e, 2);
	} else if (k == 1 && (s[0] < 0x20 || s[0] == 0x7f)) {
		jl_esc(l, s[0]);
	} else if (k == 2 && s[0] == 0xc2 && s[1] < 0xa0) {
		jl_esc(l, s[1]);	/* U+0080-U+009F */
	} else if (k == 3 && s[0] == 0xe2 && s[1] == 0x80 && (s[2] | 1) == 0xa9) {
		jl_esc(l, 0x2000 | (s[2] & 0x3f));	/* U+2028, U+2029 */
	} else {
		jl_raw(l, (const char *)s, k);
	}
}

/* A quoted JSON string of len bytes; false if a byte had to be replaced. */
bool jl_str(struct jline *l, const uint8_t *s, size_t len)
{
	bool valid = true;

	jl_raw(l, "\"", 1);
	for (size_t i = 0, k; i < len; i += k) {
		k = jl_utf8_len(s + i, len - i);
		if (k == 0) {
			jl_raw(l, "\xef\xbf\xbd", 3);	/* U+FFFD */
			valid = false;
			k = 1;
		} else {
			jl_seq(l, s + i, k);
		}
	}
	jl_raw(l, "\"", 1);
	return valid;
}

/* A quoted string of two lowercase hex digits per byte. */
void jl_hex(struct jline *l, const uint8_t *s, size_t len)
{
	jl_raw(l, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		char h[2] = { jl_digits[s[i] >> 4], jl_digits[s[i] & 15] };

		jl_raw(l, h, 2);
	}
	jl_raw(l, "\"", 1);
}

/* "key":"string", and "key_hex":"..." when the bytes were not valid UTF-8. */
void jl_field(struct jline *l, const char *key, const uint8_t *s, size_t len)
{
	jl_key(l, key);
	if (jl_str(l, s, len))
		return;
	jl_raw(l, ",\"", 2);
	jl_lit(l, key);
	jl_raw(l, "_hex\":", 6);
	jl_hex(l, s, len);
}

void jl_field_c(struct jline *l, const char *key, const char *s)
{
	jl_field(l, key, (const uint8_t *)s, strlen(s));
}
