/*
 * wave.c: WAVE text to component values and back (wave.h says the syntax).
 *
 * The reader is a recursive-descent parser over a small lexer, guided by
 * the type from the first token on: the type says whether `{` opens a
 * record or flags, whether a bare value is an option's or result's
 * payload, and which labels exist. Every value it builds stays
 * consistent while it is built (elems and len always describe what is
 * there), so a failure anywhere frees the partial value with one call.
 */
#include "wave.h"
#include "wave_esc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Free what v holds (wr_cval_free, cval.c) and leave it empty. */
static void cval_release(wr_cval *v)
{
	wr_cval_free(v);
	memset(v, 0, sizeof(*v));
}

/* ---- UTF-8 ---- */

/* The code point at s[i..n) into *cp; its length, or 0 if the bytes there
 * are not well-formed UTF-8 (overlong forms and surrogates included). */
static size_t utf8_next(const unsigned char *s, size_t n, size_t i, uint32_t *cp)
{
	unsigned c = s[i];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		len = 2, v = c & 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, v = c & 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n - i < len)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[i + k] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i + k] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

static size_t utf8_put(char *d, uint32_t cp)
{
	if (cp < 0x80) {
		d[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		d[0] = (char)(0xc0 | cp >> 6);
		d[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	} else if (cp < 0x10000) {
		d[0] = (char)(0xe0 | cp >> 12);
		d[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		d[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	d[0] = (char)(0xf0 | cp >> 18);
	d[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	d[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	d[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* ---- the reader's state and its errors ---- */

typedef enum {
	T_END, T_LBRACE, T_RBRACE, T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK,
	T_COLON, T_COMMA, T_NUMBER, T_LABEL, T_CHAR, T_STRING, T_MSTRING
} tkind;

typedef struct {
	tkind k;
	size_t start, end;   /* bytes of the text */
} token;

typedef struct {
	const char *s;
	size_t len, pos;
	char *err;
	size_t errlen;
	bool failed;
	unsigned depth;
} wp;

/* Record the first error, prefixed with its position; returns false. */
__attribute__((format(printf, 3, 4)))
static bool fail(wp *p, size_t at, const char *fmt, ...)
{
	if (p->failed)
		return false;
	p->failed = true;
	if (!p->err || !p->errlen)
		return false;
	size_t line = 1, col = 1;
	for (size_t i = 0; i < at && i < p->len; i++) {
		unsigned char c = (unsigned char)p->s[i];
		if (c == '\n')
			line++, col = 1;
		else if ((c & 0xc0) != 0x80)
			col++;
	}
	int n = line > 1 ? snprintf(p->err, p->errlen, "line %zu, column %zu: ", line, col)
			 : snprintf(p->err, p->errlen, "column %zu: ", col);
	if (n >= 0 && (size_t)n < p->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return false;
}

static bool check_utf8(wp *p)
{
	uint32_t cp;
	for (size_t i = 0; i < p->len;) {
		size_t n = utf8_next((const unsigned char *)p->s, p->len, i, &cp);
		if (!n)
			return fail(p, i, "the text is not valid UTF-8 (byte 0x%02x)",
				    (unsigned char)p->s[i]);
		i += n;
	}
	return true;
}

/* ---- lexer ---- */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

static void skip_space(wp *p)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			p->pos++;
		} else if (c == '/' && p->pos + 1 < p->len && p->s[p->pos + 1] == '/') {
			while (p->pos < p->len && p->s[p->pos] != '\n')
				p->pos++;
		} else {
			break;
		}
	}
}

/* `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?` or `-inf`, from i. */
static size_t lex_number(const wp *p, size_t i)
{
	const char *s = p->s;
	size_t n = p->len;
	if (s[i] == '-') {
		if (n - i >= 4 && memcmp(s + i, "-inf", 4) == 0)
			return i + 4;
		i++;
	}
	if (s[i] == '0')
		i++;
	else
		while (i < n && is_digit(s[i]))
			i++;
	if (i + 1 < n && s[i] == '.' && is_digit(s[i + 1])) {
		i++;
		while (i < n && is_digit(s[i]))
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1;
		if (j < n && (s[j] == '+' || s[j] == '-'))
			j++;
		if (j < n && is_digit(s[j])) {
			while (j < n && is_digit(s[j]))
				j++;
			i = j;
		}
	}
	return i;
}

/* One word of a label from i: all lowercase and digits, or all uppercase
 * and digits (the longer); first: it must start with a letter. */
static size_t lex_word(const wp *p, size_t i, bool first)
{
	size_t lo = i, up = i;
	if (i >= p->len || (first && !is_lower(p->s[i]) && !is_upper(p->s[i])))
		return i;
	while (lo < p->len && (is_lower(p->s[lo]) || is_digit(p->s[lo])))
		lo++;
	while (up < p->len && (is_upper(p->s[up]) || is_digit(p->s[up])))
		up++;
	return lo > up ? lo : up;
}

static size_t lex_label(const wp *p, size_t i)
{
	if (p->s[i] == '%')
		i++;
	size_t e = lex_word(p, i, true);
	if (e == i)
		return i;
	while (e + 1 < p->len && p->s[e] == '-') {
		size_t w = lex_word(p, e + 1, false);
		if (w == e + 1)
			break;
		e = w;
	}
	return e;
}

static void describe_char(const wp *p, size_t i, char *buf, size_t n)
{
	uint32_t cp = 0;
	utf8_next((const unsigned char *)p->s, p->len, i, &cp);
	if (cp > 0x20 && cp < 0x7f)
		snprintf(buf, n, "`%c`", (char)cp);
	else
		snprintf(buf, n, "U+%04X", (unsigned)cp);
}

/*
 * The escape at s[i] (a backslash): its character into *cp, the index past
 * it into *end. Reports the error (at i) when it is not one.
 */
static bool scan_escape(wp *p, size_t i, uint32_t *cp, size_t *end)
{
	const char *s = p->s;
	char buf[16];
	if (i + 1 >= p->len)
		return fail(p, i, "a backslash ends the text");
	switch (s[i + 1]) {
	case '\'': *cp = '\''; break;
	case '"': *cp = '"'; break;
	case '\\': *cp = '\\'; break;
	case 't': *cp = '\t'; break;
	case 'n': *cp = '\n'; break;
	case 'r': *cp = '\r'; break;
	case 'u': {
		size_t j = i + 2, digits = 0;
		uint32_t v = 0;
		if (j >= p->len || s[j] != '{')
			return fail(p, i, "invalid escape: \\u must be followed by {hex digits}");
		for (j++; j < p->len && s[j] != '}'; j++, digits++) {
			char c = s[j];
			int d = is_digit(c) ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f'
				? (c | 0x20) - 'a' + 10 : -1;
			if (d < 0 || digits == 6)
				return fail(p, i, "invalid escape: \\u{...} takes 1 to 6 hex digits");
			v = v << 4 | (uint32_t)d;
		}
		if (j >= p->len || digits == 0)
			return fail(p, i, "invalid escape: \\u{...} takes 1 to 6 hex digits");
		if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			return fail(p, i, "invalid escape: U+%04X is %s, not a Unicode scalar value",
				    (unsigned)v, v > 0x10ffff ? "beyond U+10FFFF" : "a surrogate");
		*cp = v;
		*end = j + 1;
		return true;
	}
	default:
		describe_char(p, i + 1, buf, sizeof(buf));
		return fail(p, i, "invalid escape: \\ followed by %s (escapes are \\' \\\" \\\\ "
			    "\\t \\n \\r \\u{HEX})", buf);
	}
	*end = i + 2;
	return true;
}

/* 'c' from i: one character or one escape. */
static bool lex_char(wp *p, size_t i, size_t *end)
{
	size_t j = i + 1, e;
	uint32_t cp;
	if (j >= p->len || p->s[j] == '\n')
		return fail(p, i, "unterminated char literal");
	if (p->s[j] == '\'')
		return fail(p, i, "empty char literal ('' holds no character)");
	if (p->s[j] == '\\') {
		if (!scan_escape(p, j, &cp, &e))
			return false;
	} else {
		e = j + utf8_next((const unsigned char *)p->s, p->len, j, &cp);
	}
	if (e < p->len && p->s[e] == '\'') {
		*end = e + 1;
		return true;
	}
	for (; e < p->len && p->s[e] != '\n'; e++)
		if (p->s[e] == '\'')
			return fail(p, i, "a char literal holds one character (use a string for more)");
	return fail(p, i, "unterminated char literal");
}

static bool lex_string(wp *p, size_t i, size_t *end)
{
	uint32_t cp;
	for (size_t j = i + 1; j < p->len;) {
		char c = p->s[j];
		if (c == '"') {
			*end = j + 1;
			return true;
		} else if (c == '\\') {
			if (!scan_escape(p, j, &cp, &j))
				return false;
		} else if (c == '\n') {
			return fail(p, j, "line break in a string: write \\n, or use a \"\"\" string");
		} else {
			j++;
		}
	}
	return fail(p, i, "unterminated string");
}

/* The token at the current position, not consumed. */
static bool lex(wp *p, token *t)
{
	skip_space(p);
	size_t i = p->pos, n = p->len;
	const char *s = p->s;
	char buf[16];
	t->start = i;
	t->end = i + 1;
	if (i >= n) {
		t->k = T_END;
		t->end = i;
		return true;
	}
	switch (s[i]) {
	case '{': t->k = T_LBRACE; return true;
	case '}': t->k = T_RBRACE; return true;
	case '(': t->k = T_LPAREN; return true;
	case ')': t->k = T_RPAREN; return true;
	case '[': t->k = T_LBRACK; return true;
	case ']': t->k = T_RBRACK; return true;
	case ':': t->k = T_COLON; return true;
	case ',': t->k = T_COMMA; return true;
	case '\'':
		t->k = T_CHAR;
		return lex_char(p, i, &t->end);
	case '"':
		if (n - i >= 3 && s[i + 1] == '"' && s[i + 2] == '"') {
			const char *close = memmem(s + i + 3, n - i - 3, "\"\"\"", 3);
			if (!close)
				return fail(p, i, "unterminated \"\"\" string");
			t->k = T_MSTRING;
			t->end = (size_t)(close - s) + 3;
			return true;
		}
		t->k = T_STRING;
		return lex_string(p, i, &t->end);
	default:
		break;
	}
	if (is_digit(s[i]) || (s[i] == '-' && i + 1 < n && (is_digit(s[i + 1]) ||
	    (n - i >= 4 && memcmp(s + i, "-inf", 4) == 0)))) {
		t->k = T_NUMBER;
		t->end = lex_number(p, i);
		return true;
	}
	if ((t->end = lex_label(p, i)) > i + (s[i] == '%')) {
		t->k = T_LABEL;
		return true;
	}
	describe_char(p, i, buf, sizeof(buf));
	return fail(p, i, "unexpected character %s", buf);
}

static bool next(wp *p, token *t)
{
	if (!lex(p, t))
		return false;
	p->pos = t->end;
	return true;
}

static bool peek(wp *p, token *t)
{
	size_t pos = p->pos;
	bool ok = lex(p, t);
	p->pos = pos;
	return ok;
}

/* ---- descriptions for messages ---- */

static const char *const kind_names[WR_C__COUNT] = {
	"a bool", "an s8", "a u8", "an s16", "a u16", "an s32", "a u32", "an s64",
	"a u64", "an f32", "an f64", "a char", "a string", "a record", "a variant",
	"a list", "a tuple", "flags", "an enum", "an option", "a result",
	"an own handle", "a borrow handle",
};

static const char *type_desc(const ctype *t)
{
	return (unsigned)t->kind < WR_C__COUNT ? kind_names[t->kind] : "a value of unknown type";
}

/* The same without its article: "u8", "tuple". */
static const char *type_word(const ctype *t)
{
	const char *d = type_desc(t), *sp = strchr(d, ' ');
	return sp && (d[0] == 'a') && (sp == d + 1 || sp == d + 2) ? sp + 1 : d;
}

static const char *tok_desc(const wp *p, const token *t, char *buf, size_t n)
{
	static const char *const punct[] = {
		"the end of the text", "`{`", "`}`", "`(`", "`)`", "`[`", "`]`", "`:`", "`,`",
	};
	size_t len = t->end - t->start;
	switch (t->k) {
	case T_NUMBER:
	case T_LABEL:
		snprintf(buf, n, "`%.*s%s`", (int)(len > 40 ? 40 : len), p->s + t->start,
			 len > 40 ? "..." : "");
		return buf;
	case T_CHAR:
		return "a char";
	case T_STRING:
	case T_MSTRING:
		return "a string";
	default:
		return punct[t->k];
	}
}

static bool mismatch(wp *p, const ctype *t, const token *tk)
{
	char buf[64];
	return fail(p, tk->start, "expected %s, found %s", type_desc(t),
		    tok_desc(p, tk, buf, sizeof(buf)));
}

static bool expect(wp *p, tkind k, const char *what)
{
	token tk;
	char buf[64];
	if (!next(p, &tk))
		return false;
	if (tk.k != k)
		return fail(p, tk.start, "expected %s, found %s", what, tok_desc(p, &tk, buf, sizeof(buf)));
	return true;
}

/* ---- labels ---- */

/* A label's name: without its %. */
static const char *label_name(const wp *p, const token *t, size_t *len)
{
	const char *s = p->s + t->start;
	*len = t->end - t->start;
	if (*s == '%')
		s++, (*len)--;
	return s;
}

static bool is_keyword(const char *s, size_t n)
{
	static const char *const kw[] = { "true", "false", "some", "none", "ok", "err", "inf", "nan" };
	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (strlen(kw[i]) == n && memcmp(kw[i], s, n) == 0)
			return true;
	return false;
}

/* Whether t is the keyword kw, written without %. */
static bool is_kw(const wp *p, const token *t, const char *kw)
{
	size_t n = strlen(kw);
	return t->k == T_LABEL && t->end - t->start == n && memcmp(p->s + t->start, kw, n) == 0;
}

/* The index of the field/case/label named s in t, or -1. */
static int64_t find_name(const ctype *t, const char *s, size_t n)
{
	for (uint32_t i = 0; i < t->n; i++) {
		const char *name = t->f[i].name;
		if (name && strlen(name) == n && memcmp(name, s, n) == 0)
			return i;
	}
	return -1;
}

/* ---- scalars ---- */

static bool parse_value(wp *p, const ctype *t, wr_cval *out);
static bool parse_with(wp *p, const ctype *t, const token *tk, wr_cval *out);

static bool parse_bool(wp *p, const ctype *t, const token *tk, wr_cval *out)
{
	if (is_kw(p, tk, "true"))
		out->of.u = 1;
	else if (!is_kw(p, tk, "false"))
		return mismatch(p, t, tk);
	return true;
}

static bool parse_int(wp *p, const ctype *t, const token *tk, wr_cval *out)
{
	static const unsigned bits[] = {
		[WR_C_S8] = 8, [WR_C_U8] = 8, [WR_C_S16] = 16, [WR_C_U16] = 16,
		[WR_C_S32] = 32, [WR_C_U32] = 32, [WR_C_S64] = 64, [WR_C_U64] = 64,
	};
	bool is_signed = t->kind == WR_C_S8 || t->kind == WR_C_S16 || t->kind == WR_C_S32 ||
			 t->kind == WR_C_S64;
	const char *s = p->s + tk->start;
	size_t n = tk->end - tk->start, i;
	uint64_t mag = 0, lim;
	bool big = false;
	if (tk->k != T_NUMBER)
		return mismatch(p, t, tk);
	i = s[0] == '-';
	for (size_t k = i; k < n; k++) {
		if (!is_digit(s[k]))
			return fail(p, tk->start, "`%.*s` is not an integer (%s)", (int)(n > 40 ? 40 : n),
				    s, type_desc(t));
		unsigned d = (unsigned)(s[k] - '0');
		big |= mag > (UINT64_MAX - d) / 10;
		mag = mag * 10 + d;
	}
	unsigned b = bits[t->kind];
	if (is_signed)
		lim = (i ? (uint64_t)1 << (b - 1) : ((uint64_t)1 << (b - 1)) - 1);
	else
		lim = b == 64 ? UINT64_MAX : ((uint64_t)1 << b) - 1;
	if (big || mag > lim || (i && !is_signed))
		return fail(p, tk->start, "`%.*s` is out of range for %s", (int)(n > 40 ? 40 : n),
			    s, type_word(t));
	if (is_signed)
		out->of.i = i ? (int64_t)(0 - mag) : (int64_t)mag;
	else
		out->of.u = mag;
	return true;
}

static bool parse_float(wp *p, const ctype *t, const token *tk, wr_cval *out)
{
	bool f32 = t->kind == WR_C_F32;
	double d;
	float f;
	if (is_kw(p, tk, "nan")) {
		d = NAN, f = NAN;
	} else if (is_kw(p, tk, "inf")) {
		d = INFINITY, f = INFINITY;
	} else if (tk->k == T_NUMBER) {
		size_t n = tk->end - tk->start;
		char *buf = malloc(n + 1);
		if (!buf)
			return fail(p, tk->start, "out of memory");
		memcpy(buf, p->s + tk->start, n);
		buf[n] = 0;
		/* the token is a JSON number, which strtod and strtof read (in
		 * the C locale) correctly rounded; too large is inf, too small 0 */
		d = strtod(buf, NULL);
		f = strtof(buf, NULL);
		free(buf);
	} else {
		return mismatch(p, t, tk);
	}
	if (f32)
		out->of.f32 = isnan(f) ? NAN : f;
	else
		out->of.f64 = isnan(d) ? NAN : d;
	return true;
}

static bool parse_char(wp *p, const ctype *t, const token *tk, wr_cval *out)
{
	uint32_t cp;
	size_t end;
	if (tk->k != T_CHAR)
		return mismatch(p, t, tk);
	if (p->s[tk->start + 1] == '\\')
		scan_escape(p, tk->start + 1, &cp, &end);
	else
		utf8_next((const unsigned char *)p->s, p->len, tk->start + 1, &cp);
	out->of.u = cp;
	return true;
}

/* Append s[i..e) to d at *n, escapes decoded (checked by the lexer
 * already, except in multi-line strings, which the lexer does not read). */
static bool decode_run(wp *p, size_t i, size_t e, char *d, size_t *n)
{
	uint32_t cp;
	while (i < e) {
		if (p->s[i] == '\\') {
			size_t end;
			if (!scan_escape(p, i, &cp, &end))
				return false;
			if (end > e)
				return fail(p, i, "invalid escape at the end of a line");
			*n += utf8_put(d + *n, cp);
			i = end;
		} else {
			d[(*n)++] = p->s[i++];
		}
	}
	return true;
}

/*
 * A """ string: the opening """ is followed by a line break and the closing
 * one stands on a line of its own after spaces only; those spaces are the
 * indent every line in between starts with and loses. The lines are joined
 * by \n (a \r before each line break is dropped).
 */
static bool decode_multiline(wp *p, const token *tk, char *d, size_t *n)
{
	size_t i = tk->start + 3, e = tk->end - 3, last = e;
	if (i < e && p->s[i] == '\r')
		i++;
	if (i >= e || p->s[i] != '\n')
		return fail(p, tk->start, "an opening \"\"\" must be followed by a line break");
	while (last > i && p->s[last - 1] != '\n')
		last--;
	for (size_t k = last; k < e; k++)
		if (p->s[k] != ' ')
			return fail(p, e, "a closing \"\"\" must be on a line of its own, after spaces only");
	size_t indent = e - last;
	bool first = true;
	for (size_t line = i + 1; line < last;) {
		size_t eol = line;
		while (p->s[eol] != '\n')
			eol++;
		if (eol - line < indent || memcmp(p->s + line, p->s + last, indent) != 0)
			return fail(p, line, "a line of a \"\"\" string is indented less than its "
				    "closing \"\"\"");
		size_t end = eol > line + indent && p->s[eol - 1] == '\r' ? eol - 1 : eol;
		if (!first)
			d[(*n)++] = '\n';
		first = false;
		if (!decode_run(p, line + indent, end, d, n))
			return false;
		line = eol + 1;
	}
	return true;
}

static bool parse_string(wp *p, const ctype *t, const token *tk, wr_cval *out)
{
	size_t n = 0;
	if (tk->k != T_STRING && tk->k != T_MSTRING)
		return mismatch(p, t, tk);
	char *d = malloc(tk->end - tk->start + 1);
	if (!d)
		return fail(p, tk->start, "out of memory");
	out->of.str = d;
	bool ok = tk->k == T_STRING ? decode_run(p, tk->start + 1, tk->end - 1, d, &n)
				    : decode_multiline(p, tk, d, &n);
	if (!ok)
		return false;
	if (n > UINT32_MAX)
		return fail(p, tk->start, "string too long");
	d[n] = 0;
	out->len = (uint32_t)n;
	return true;
}

/* ---- lists and tuples ---- */

/* The type of element i of a list or tuple; NULL past a tuple's end. */
static const ctype *seq_elem(const ctype *t, uint32_t i)
{
	if (t->kind == WR_C_LIST)
		return t->elem;
	return i < t->n ? t->f[i].type : NULL;
}

/* A tuple needs all its elements, a fixed-length list its length. */
static bool seq_count(wp *p, const ctype *t, const token *open, const token *close, uint32_t n)
{
	uint32_t want = t->kind == WR_C_TUPLE ? t->n : t->fixed_len;
	if (t->kind == WR_C_TUPLE && n == 0)
		return fail(p, open->start, "empty tuple: a tuple has at least one element");
	if ((t->kind == WR_C_TUPLE || t->fixed_len) && n != want)
		return fail(p, close->start, "%s of %u elements, found %u", type_word(t), want, n);
	return true;
}

/* [a, b, ...] or (a, b, ...), the opening token read. */
static bool parse_seq(wp *p, const ctype *t, const token *open, wr_cval *out)
{
	tkind close = open->k == T_LBRACK ? T_RBRACK : T_RPAREN;
	uint32_t cap = 0;
	token tk;
	char buf[64];
	if (!peek(p, &tk))
		return false;
	if (tk.k == close) {
		p->pos = tk.end;
		return seq_count(p, t, open, &tk, 0);
	}
	for (;;) {
		const ctype *et = seq_elem(t, out->len);
		if (!peek(p, &tk))
			return false;
		if (!et)
			return fail(p, tk.start, "too many elements: %s of %u", type_word(t), t->n);
		if (out->len == cap) {
			size_t ncap = cap ? (size_t)cap * 2 : 4;
			wr_cval *e = ncap <= UINT32_MAX ? realloc(out->of.elems, ncap * sizeof(*e)) : NULL;
			if (!e)
				return fail(p, tk.start, "out of memory");
			out->of.elems = e;
			cap = (uint32_t)ncap;
		}
		if (!parse_value(p, et, &out->of.elems[out->len]))
			return false;
		out->len++;
		if (!next(p, &tk))
			return false;
		if (tk.k == T_COMMA) {
			if (!peek(p, &tk))
				return false;
			if (tk.k != close)
				continue;
			p->pos = tk.end;
		} else if (tk.k != close) {
			return fail(p, tk.start, "expected `,` or `%c`, found %s",
				    close == T_RBRACK ? ']' : ')', tok_desc(p, &tk, buf, sizeof(buf)));
		}
		return seq_count(p, t, open, &tk, out->len);
	}
}

/* ---- records and flags ---- */

/* Fields left out must be options: they are none. */
static bool record_fill(wp *p, const ctype *t, const token *open, const bool *seen, wr_cval *out)
{
	for (uint32_t i = 0; i < t->n; i++) {
		if (seen[i])
			continue;
		if (t->f[i].type->kind != WR_C_OPTION)
			return fail(p, open->start, "missing field `%s` (only option fields may be "
				    "left out)", t->f[i].name);
		out->of.elems[i].kind = WR_C_OPTION;
	}
	return true;
}

/* One `name: value` of a record, its name token read. */
static bool record_field(wp *p, const ctype *t, const token *tk, bool *seen, wr_cval *out)
{
	size_t n;
	char buf[64];
	if (tk->k != T_LABEL)
		return fail(p, tk->start, "expected a field name, found %s",
			    tok_desc(p, tk, buf, sizeof(buf)));
	const char *name = label_name(p, tk, &n);
	int64_t i = find_name(t, name, n);
	if (i < 0)
		return fail(p, tk->start, "unknown field `%.*s`", (int)n, name);
	if (seen[i])
		return fail(p, tk->start, "duplicate field `%.*s`", (int)n, name);
	if (!expect(p, T_COLON, "`:` after a field name"))
		return false;
	seen[i] = true;
	return parse_value(p, t->f[i].type, &out->of.elems[i]);
}

/* {name: value, ...} or {:}, the `{` read. */
static bool parse_record(wp *p, const ctype *t, const token *open, wr_cval *out)
{
	token tk;
	char buf[64];
	bool ok = false, *seen = calloc(t->n + 1, sizeof(bool));
	out->of.elems = calloc(t->n + 1, sizeof(wr_cval));
	if (!seen || !out->of.elems) {
		free(seen);
		return fail(p, open->start, "out of memory");
	}
	out->len = t->n;
	if (!next(p, &tk))
		goto out;
	if (tk.k == T_RBRACE) {
		fail(p, open->start, "expected a record, found `{}` (empty flags); a record with "
		     "every field left out is written `{:}`");
		goto out;
	}
	if (tk.k == T_COLON) {
		ok = expect(p, T_RBRACE, "`}` after `{:`") && record_fill(p, t, open, seen, out);
		goto out;
	}
	for (;;) {
		if (!record_field(p, t, &tk, seen, out) || !next(p, &tk))
			goto out;
		if (tk.k == T_RBRACE)
			break;
		if (tk.k != T_COMMA) {
			fail(p, tk.start, "expected `,` or `}`, found %s", tok_desc(p, &tk, buf, sizeof(buf)));
			goto out;
		}
		if (!next(p, &tk))
			goto out;
		if (tk.k == T_RBRACE)
			break;
	}
	ok = record_fill(p, t, open, seen, out);
out:
	free(seen);
	return ok;
}

/* {a, b, ...}, the `{` read. */
static bool parse_flags(wp *p, const ctype *t, const token *open, wr_cval *out)
{
	token tk, after;
	char buf[64];
	size_t n;
	if (t->n > 64)
		return fail(p, open->start, "flags of more than 64 labels are not supported");
	if (!next(p, &tk))
		return false;
	if (tk.k == T_COLON)
		return fail(p, open->start, "expected flags, found a record `{:}`");
	while (tk.k != T_RBRACE) {
		if (tk.k != T_LABEL)
			return fail(p, tk.start, "expected a flag name, found %s",
				    tok_desc(p, &tk, buf, sizeof(buf)));
		if (!next(p, &after))
			return false;
		if (after.k == T_COLON)
			return fail(p, open->start, "expected flags, found a record");
		const char *name = label_name(p, &tk, &n);
		int64_t i = find_name(t, name, n);
		if (i < 0)
			return fail(p, tk.start, "unknown flag `%.*s`", (int)n, name);
		if (out->of.u >> i & 1)
			return fail(p, tk.start, "duplicate flag `%.*s`", (int)n, name);
		out->of.u |= (uint64_t)1 << i;
		if (after.k == T_RBRACE)
			break;
		if (after.k != T_COMMA)
			return fail(p, after.start, "expected `,` or `}`, found %s",
				    tok_desc(p, &after, buf, sizeof(buf)));
		if (!next(p, &tk))
			return false;
	}
	return true;
}

/* ---- variants, enums, options, results ---- */

/* `(payload)` after a case: into out->of.elems[0], of type pt (NULL: the
 * case takes none, so there must be no `(`). */
static bool parse_payload(wp *p, const ctype *pt, const char *name, size_t n, wr_cval *out)
{
	token tk;
	if (!peek(p, &tk))
		return false;
	if (tk.k != T_LPAREN) {
		if (pt)
			return fail(p, tk.start, "case `%.*s` needs a payload: %.*s(...)", (int)n, name,
				    (int)n, name);
		return true;
	}
	if (!pt)
		return fail(p, tk.start, "case `%.*s` takes no payload", (int)n, name);
	p->pos = tk.end;
	if (!(out->of.elems = calloc(1, sizeof(wr_cval))))
		return fail(p, tk.start, "out of memory");
	out->len = 1;
	return parse_value(p, pt, &out->of.elems[0]) && expect(p, T_RPAREN, "`)` after a payload");
}

/* A variant's or an enum's case, its label read. */
static bool parse_case(wp *p, const ctype *t, const token *tk, wr_cval *out)
{
	size_t n;
	if (tk->k != T_LABEL)
		return mismatch(p, t, tk);
	const char *name = label_name(p, tk, &n);
	int64_t i = find_name(t, name, n);
	if (name == p->s + tk->start && is_keyword(name, n)) {
		if (i >= 0)
			return fail(p, tk->start, "`%.*s` is a keyword: write the case as `%%%.*s`",
				    (int)n, name, (int)n, name);
		return mismatch(p, t, tk);
	}
	if (i < 0)
		return fail(p, tk->start, "unknown case `%.*s` of %s", (int)n, name, type_desc(t));
	out->tag = (uint32_t)i;
	return parse_payload(p, t->kind == WR_C_VARIANT ? t->f[i].type : NULL, name, n, out);
}

/* Whether a payload may stand for some(x) / ok(x) by itself. */
static bool flattenable(const ctype *t)
{
	return t && t->kind != WR_C_OPTION && t->kind != WR_C_RESULT;
}

/* x standing for some(x) or ok(x), its first token read. */
static bool parse_flat(wp *p, const ctype *pt, const token *tk, wr_cval *out)
{
	if (!(out->of.elems = calloc(1, sizeof(wr_cval))))
		return fail(p, tk->start, "out of memory");
	out->len = 1;
	return parse_with(p, pt, tk, &out->of.elems[0]);
}

static bool parse_option(wp *p, const ctype *t, const token *tk, wr_cval *out)
{
	char buf[64];
	if (is_kw(p, tk, "none"))
		return parse_payload(p, NULL, "none", 4, out);
	out->tag = 1;
	if (is_kw(p, tk, "some"))
		return parse_payload(p, t->elem, "some", 4, out);
	if (flattenable(t->elem))
		return parse_flat(p, t->elem, tk, out);
	return fail(p, tk->start, "expected an option (some(...) or none), found %s",
		    tok_desc(p, tk, buf, sizeof(buf)));
}

static bool parse_result(wp *p, const ctype *t, const token *tk, wr_cval *out)
{
	char buf[64];
	if (is_kw(p, tk, "ok"))
		return parse_payload(p, t->elem, "ok", 2, out);
	if (is_kw(p, tk, "err")) {
		out->tag = 1;
		return parse_payload(p, t->err, "err", 3, out);
	}
	if (flattenable(t->elem))
		return parse_flat(p, t->elem, tk, out);
	return fail(p, tk->start, "expected a result (ok, ok(...), err or err(...)), found %s",
		    tok_desc(p, tk, buf, sizeof(buf)));
}

/* ---- values ---- */

static bool parse_kind(wp *p, const ctype *t, const token *tk, wr_cval *out)
{
	switch (t->kind) {
	case WR_C_BOOL:
		return parse_bool(p, t, tk, out);
	case WR_C_S8: case WR_C_U8: case WR_C_S16: case WR_C_U16:
	case WR_C_S32: case WR_C_U32: case WR_C_S64: case WR_C_U64:
		return parse_int(p, t, tk, out);
	case WR_C_F32:
	case WR_C_F64:
		return parse_float(p, t, tk, out);
	case WR_C_CHAR:
		return parse_char(p, t, tk, out);
	case WR_C_STRING:
		return parse_string(p, t, tk, out);
	case WR_C_LIST:
		return tk->k == T_LBRACK ? parse_seq(p, t, tk, out) : mismatch(p, t, tk);
	case WR_C_TUPLE:
		return tk->k == T_LPAREN ? parse_seq(p, t, tk, out) : mismatch(p, t, tk);
	case WR_C_RECORD:
		return tk->k == T_LBRACE ? parse_record(p, t, tk, out) : mismatch(p, t, tk);
	case WR_C_FLAGS:
		return tk->k == T_LBRACE ? parse_flags(p, t, tk, out) : mismatch(p, t, tk);
	case WR_C_VARIANT:
	case WR_C_ENUM:
		return parse_case(p, t, tk, out);
	case WR_C_OPTION:
		return parse_option(p, t, tk, out);
	case WR_C_RESULT:
		return parse_result(p, t, tk, out);
	case WR_C_OWN:
	case WR_C_BORROW:
		return fail(p, tk->start, "%s cannot be written in WAVE", type_desc(t));
	default:
		return fail(p, tk->start, "unknown value type %d", (int)t->kind);
	}
}

/* A value of t whose first token is tk (read already); on failure out
 * holds nothing. */
static bool parse_with(wp *p, const ctype *t, const token *tk, wr_cval *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = t->kind;
	if (parse_kind(p, t, tk, out))
		return true;
	cval_release(out);
	return false;
}

/* A value of t, one level deeper. */
static bool parse_value(wp *p, const ctype *t, wr_cval *out)
{
	token tk;
	memset(out, 0, sizeof(*out));
	skip_space(p);
	if (p->depth >= WAVE_MAX_DEPTH)
		return fail(p, p->pos, "values nest deeper than %d levels", WAVE_MAX_DEPTH);
	if (!next(p, &tk))
		return false;
	p->depth++;
	bool ok = parse_with(p, t, &tk, out);
	p->depth--;
	return ok;
}

/* Nothing but spaces and comments may follow. */
static bool finish(wp *p, const char *what)
{
	token tk;
	char buf[64];
	if (!lex(p, &tk))
		return false;
	if (tk.k != T_END)
		return fail(p, tk.start, "unexpected %s after %s", tok_desc(p, &tk, buf, sizeof(buf)),
			    what);
	return true;
}

static void wp_init(wp *p, const char *text, size_t len, char *err, size_t errlen)
{
	memset(p, 0, sizeof(*p));
	p->s = text ? text : "";
	p->len = text ? len : 0;
	p->err = err;
	p->errlen = errlen;
	if (err && errlen)
		err[0] = 0;
}

bool wave_parse(const char *text, size_t len, const ctype *type, wr_cval *out,
		char *err, size_t errlen)
{
	wp p;
	wp_init(&p, text, len, err, errlen);
	memset(out, 0, sizeof(*out));
	if (!type)
		return fail(&p, 0, "no type to read a value of");
	if (!check_utf8(&p) || !parse_value(&p, type, out))
		return false;
	if (!finish(&p, "the value")) {
		cval_release(out);
		return false;
	}
	return true;
}

/* ---- invocations ---- */

static bool is_name_char(char c)
{
	return c > ' ' && c < 0x7f && c != '(' && c != ')' && c != '"' && c != '\'' && c != ',';
}

void wave_call_free(wave_call *c)
{
	if (c->args) {
		for (uint32_t i = 0; i < c->nargs; i++)
			cval_release(&c->args[i]);
		free(c->args);
	}
	free(c->name);
	memset(c, 0, sizeof(*c));
}

/* The arguments after `(`: one per parameter, trailing options optional. */
static bool parse_args(wp *p, const cfunctype *ft, const char *name, wave_call *out)
{
	token tk;
	char buf[64];
	uint32_t i = 0;
	if (!peek(p, &tk))
		return false;
	while (tk.k != T_RPAREN) {
		if (i >= ft->nparams)
			return fail(p, tk.start, "too many arguments: `%s` takes %u", name, ft->nparams);
		if (!parse_value(p, ft->params[i].type, &out->args[i]))
			return false;
		i++;
		if (!next(p, &tk))
			return false;
		if (tk.k == T_RPAREN)
			break;
		if (tk.k != T_COMMA)
			return fail(p, tk.start, "expected `,` or `)`, found %s",
				    tok_desc(p, &tk, buf, sizeof(buf)));
		if (!peek(p, &tk))
			return false;
	}
	p->pos = tk.end;
	for (; i < ft->nparams; i++) {
		if (ft->params[i].type->kind != WR_C_OPTION)
			return fail(p, tk.start, "missing argument `%s` (`%s` takes %u)",
				    ft->params[i].name ? ft->params[i].name : "?", name, ft->nparams);
		out->args[i].kind = WR_C_OPTION;
	}
	return true;
}

static bool parse_call(wp *p, wave_lookup_fn lookup, void *user, wave_call *out)
{
	token tk;
	char buf[64];
	skip_space(p);
	size_t start = p->pos;
	while (p->pos < p->len && is_name_char(p->s[p->pos]))
		p->pos++;
	size_t n = p->pos - start;
	if (!n)
		return fail(p, start, "expected a function name");
	const cfunctype *ft = lookup(user, p->s + start, n);
	if (!ft)
		return fail(p, start, "no function named `%.*s%s`", (int)(n > 80 ? 80 : n),
			    p->s + start, n > 80 ? "..." : "");
	if (!(out->name = strndup(p->s + start, n)) ||
	    !(out->args = calloc(ft->nparams + 1, sizeof(wr_cval))))
		return fail(p, start, "out of memory");
	out->type = ft;
	out->nargs = ft->nparams;
	if (!next(p, &tk))
		return false;
	if (tk.k == T_END)
		return fail(p, tk.start, "expected `(` after `%s`: a call is written %s(...), "
			    "with () for no arguments", out->name, out->name);
	if (tk.k != T_LPAREN)
		return fail(p, tk.start, "expected `(` after `%s`, found %s", out->name,
			    tok_desc(p, &tk, buf, sizeof(buf)));
	return parse_args(p, ft, out->name, out) && finish(p, "the call");
}

bool wave_parse_call(const char *text, size_t len, wave_lookup_fn lookup, void *user,
		     wave_call *out, char *err, size_t errlen)
{
	wp p;
	wp_init(&p, text, len, err, errlen);
	memset(out, 0, sizeof(*out));
	if (!check_utf8(&p))
		return false;
	if (parse_call(&p, lookup, user, out))
		return true;
	wave_call_free(out);
	return false;
}

/* ---- printing ---- */

/* Output: into a fixed buffer (counting what does not fit) or a growing one. */
typedef struct {
	char *buf;
	size_t cap, len;
	bool grow, oom;
} wbuf;

static void put(wbuf *b, const char *s, size_t n)
{
	if (b->grow && !b->oom && b->cap - b->len <= n) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap - b->len <= n)
			cap *= 2;
		char *nb = realloc(b->buf, cap);
		if (!nb) {
			b->oom = true;
			return;
		}
		b->buf = nb;
		b->cap = cap;
	}
	if (b->len < b->cap) {
		size_t room = b->cap - 1 - b->len;
		memcpy(b->buf + b->len, s, n < room ? n : room);
	}
	b->len += n;
}

static void puts_(wbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

static bool needs_escape(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(wave_esc_ranges) / sizeof(wave_esc_ranges[0]);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < wave_esc_ranges[mid][0])
			hi = mid;
		else if (cp > wave_esc_ranges[mid][1])
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

static void put_escaped(wbuf *b, uint32_t cp)
{
	char tmp[16];
	switch (cp) {
	case '\\': puts_(b, "\\\\"); return;
	case '"': puts_(b, "\\\""); return;
	case '\'': puts_(b, "\\'"); return;
	case '\t': puts_(b, "\\t"); return;
	case '\n': puts_(b, "\\n"); return;
	case '\r': puts_(b, "\\r"); return;
	default:
		break;
	}
	if (needs_escape(cp))
		snprintf(tmp, sizeof(tmp), "\\u{%x}", (unsigned)cp);
	else
		tmp[utf8_put(tmp, cp)] = 0;
	puts_(b, tmp);
}

static void put_string(wbuf *b, const char *s, uint32_t len)
{
	uint32_t cp;
	puts_(b, "\"");
	for (uint32_t i = 0; i < len;) {
		size_t n = utf8_next((const unsigned char *)s, len, i, &cp);
		if (!n)
			cp = 0xfffd, n = 1;
		put_escaped(b, cp);
		i += (uint32_t)n;
	}
	puts_(b, "\"");
}

/* Whether text reads back (correctly rounded) as v. */
static bool reads_back(const char *text, double v, bool f32)
{
	return f32 ? strtof(text, NULL) == (float)v : strtod(text, NULL) == v;
}

/*
 * A decimal of prec significant digits that reads back as v (positive,
 * finite), if there is one: *m * 10^*e. The correctly rounded digits are
 * tried, then their neighbour on the far side of v, which is the one that
 * fits when the rounding interval is lopsided (just above a power of two).
 */
static bool try_digits(double v, bool f32, int prec, unsigned long long *m, int *e)
{
	char tmp[64];
	unsigned long long n = 0;
	snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, v);
	for (const char *c = tmp; *c != 'e'; c++)
		if (is_digit(*c))
			n = n * 10 + (unsigned)(*c - '0');
	*e = atoi(strchr(tmp, 'e') + 1) - (prec - 1);
	*m = n;
	if (reads_back(tmp, v, f32))
		return true;
	n = strtod(tmp, NULL) < v ? n + 1 : n - 1;
	snprintf(tmp, sizeof(tmp), "%llue%d", n, *e);
	if (!reads_back(tmp, v, f32))
		return false;
	*m = n;
	return true;
}

/*
 * The shortest decimal digits of v (positive, finite) that read back as v,
 * into digits (no trailing zeros), with *exp such that v ~ 0.DIGITS * 10^exp.
 * A decimal of n digits is one of n + 1 digits too, so the shortest length
 * is found by bisection; 17 digits always do for an f64, 9 for an f32.
 */
static void shortest(double v, bool f32, char *digits, int *exp)
{
	unsigned long long m, best_m = 0;
	int e, best_e = 0, lo = 1, hi = f32 ? 9 : 17;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (try_digits(v, f32, mid, &m, &e))
			best_m = m, best_e = e, hi = mid - 1;
		else
			lo = mid + 1;
	}
	int n = snprintf(digits, 24, "%llu", best_m);
	*exp = best_e + n;
	while (n > 1 && digits[n - 1] == '0')
		digits[--n] = 0;
}

/* As Rust's Display: the shortest digits, never an exponent. */
static void put_float(wbuf *b, double v, bool f32)
{
	char digits[24];
	int exp, n;
	if (isnan(v)) {
		puts_(b, "nan");
		return;
	}
	if (signbit(v))
		puts_(b, "-"), v = -v;
	if (isinf(v) || v == 0) {
		puts_(b, v == 0 ? "0" : "inf");
		return;
	}
	shortest(v, f32, digits, &exp);
	n = (int)strlen(digits);
	if (exp <= 0) {
		puts_(b, "0.");
		for (int i = 0; i < -exp; i++)
			puts_(b, "0");
		put(b, digits, (size_t)n);
	} else if (exp < n) {
		put(b, digits, (size_t)exp);
		puts_(b, ".");
		put(b, digits + exp, (size_t)(n - exp));
	} else {
		put(b, digits, (size_t)n);
		for (int i = n; i < exp; i++)
			puts_(b, "0");
	}
}

static bool print_value(wbuf *b, const wr_cval *v, const ctype *t, unsigned depth);

/* A case or label: with % when it reads as a keyword. */
static void put_label(wbuf *b, const char *name, bool keyword_prefix)
{
	if (keyword_prefix && is_keyword(name, strlen(name)))
		puts_(b, "%");
	puts_(b, name);
}

static void put_int(wbuf *b, const wr_cval *v, wr_ckind k)
{
	char tmp[32];
	switch (k) {
	case WR_C_S8: snprintf(tmp, sizeof(tmp), "%d", (int8_t)v->of.i); break;
	case WR_C_S16: snprintf(tmp, sizeof(tmp), "%d", (int16_t)v->of.i); break;
	case WR_C_S32: snprintf(tmp, sizeof(tmp), "%d", (int32_t)v->of.i); break;
	case WR_C_S64: snprintf(tmp, sizeof(tmp), "%lld", (long long)v->of.i); break;
	case WR_C_U8: snprintf(tmp, sizeof(tmp), "%u", (uint8_t)v->of.u); break;
	case WR_C_U16: snprintf(tmp, sizeof(tmp), "%u", (uint16_t)v->of.u); break;
	case WR_C_U32: snprintf(tmp, sizeof(tmp), "%u", (uint32_t)v->of.u); break;
	default: snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v->of.u); break;
	}
	puts_(b, tmp);
}

/* elems[0..n) of types seq_elem(t, i), between open and close. */
static bool print_seq(wbuf *b, const wr_cval *v, const ctype *t, unsigned depth)
{
	bool tuple = t->kind == WR_C_TUPLE;
	if ((tuple && v->len != t->n) || (t->fixed_len && v->len != t->fixed_len) ||
	    (v->len && !v->of.elems))
		return false;
	puts_(b, tuple ? "(" : "[");
	for (uint32_t i = 0; i < v->len; i++) {
		if (i)
			puts_(b, ", ");
		if (!print_value(b, &v->of.elems[i], seq_elem(t, i), depth))
			return false;
	}
	puts_(b, tuple ? ")" : "]");
	return true;
}

/* Fields that are none are left out; {:} when all are. */
static bool print_record(wbuf *b, const wr_cval *v, const ctype *t, unsigned depth)
{
	bool any = false;
	if (v->len != t->n || (v->len && !v->of.elems))
		return false;
	puts_(b, "{");
	for (uint32_t i = 0; i < t->n; i++) {
		const wr_cval *f = &v->of.elems[i];
		if (f->kind == WR_C_OPTION && t->f[i].type->kind == WR_C_OPTION && f->tag == 0)
			continue;
		puts_(b, any ? ", " : "");
		put_label(b, t->f[i].name, false);
		puts_(b, ": ");
		if (!print_value(b, f, t->f[i].type, depth))
			return false;
		any = true;
	}
	puts_(b, any ? "}" : ":}");
	return true;
}

/* A case name (NULL for an option's or result's) and its payload of type pt. */
static bool print_case(wbuf *b, const wr_cval *v, const char *name, bool kw,
		       const ctype *pt, unsigned depth)
{
	put_label(b, name, kw);
	if (!pt)
		return v->len == 0;
	if (v->len != 1 || !v->of.elems)
		return false;
	puts_(b, "(");
	if (!print_value(b, &v->of.elems[0], pt, depth))
		return false;
	puts_(b, ")");
	return true;
}

static bool print_flags(wbuf *b, const wr_cval *v, const ctype *t)
{
	bool any = false;
	if (t->n > 64 || (t->n < 64 && v->of.u >> t->n))
		return false;
	puts_(b, "{");
	for (uint32_t i = 0; i < t->n; i++) {
		if (!(v->of.u >> i & 1))
			continue;
		puts_(b, any ? ", " : "");
		put_label(b, t->f[i].name, false);
		any = true;
	}
	puts_(b, "}");
	return true;
}

/* <own NAME REP>: no WAVE form exists (wave.h). */
static void print_handle(wbuf *b, const wr_cval *v, const ctype *t)
{
	const cresource *r = t->res ? t->res : v->of.handle.type;
	char tmp[32];
	puts_(b, t->kind == WR_C_OWN ? "<own " : "<borrow ");
	for (const char *c = r && r->name ? r->name : ""; *c; c++)
		put(b, is_name_char(*c) && *c != '<' && *c != '>' ? c : "?", 1);
	snprintf(tmp, sizeof(tmp), "%s%u>", r && r->name && *r->name ? " " : "",
		 (unsigned)v->of.handle.rep);
	puts_(b, tmp);
}

static bool print_kind(wbuf *b, const wr_cval *v, const ctype *t, unsigned depth)
{
	switch (t->kind) {
	case WR_C_BOOL:
		puts_(b, v->of.u ? "true" : "false");
		return true;
	case WR_C_S8: case WR_C_U8: case WR_C_S16: case WR_C_U16:
	case WR_C_S32: case WR_C_U32: case WR_C_S64: case WR_C_U64:
		put_int(b, v, t->kind);
		return true;
	case WR_C_F32:
		put_float(b, v->of.f32, true);
		return true;
	case WR_C_F64:
		put_float(b, v->of.f64, false);
		return true;
	case WR_C_CHAR:
		if (v->of.u > 0x10ffff || (v->of.u >= 0xd800 && v->of.u <= 0xdfff))
			return false;
		puts_(b, "'");
		put_escaped(b, (uint32_t)v->of.u);
		puts_(b, "'");
		return true;
	case WR_C_STRING:
		if (v->len && !v->of.str)
			return false;
		put_string(b, v->of.str, v->len);
		return true;
	case WR_C_LIST:
	case WR_C_TUPLE:
		return print_seq(b, v, t, depth);
	case WR_C_RECORD:
		return print_record(b, v, t, depth);
	default:
		return false;
	}
}

static bool print_value(wbuf *b, const wr_cval *v, const ctype *t, unsigned depth)
{
	if (!t || v->kind != t->kind || depth >= 10 * WAVE_MAX_DEPTH || b->oom)
		return false;
	depth++;
	switch (t->kind) {
	case WR_C_VARIANT:
		return v->tag < t->n && print_case(b, v, t->f[v->tag].name, true,
						   t->f[v->tag].type, depth);
	case WR_C_ENUM:
		return v->tag < t->n && print_case(b, v, t->f[v->tag].name, true, NULL, depth);
	case WR_C_OPTION:
		return v->tag < 2 && print_case(b, v, v->tag ? "some" : "none", false,
						v->tag ? t->elem : NULL, depth);
	case WR_C_RESULT:
		return v->tag < 2 && print_case(b, v, v->tag ? "err" : "ok", false,
						v->tag ? t->err : t->elem, depth);
	case WR_C_FLAGS:
		return print_flags(b, v, t);
	case WR_C_OWN:
	case WR_C_BORROW:
		print_handle(b, v, t);
		return true;
	default:
		return print_kind(b, v, t, depth);
	}
}

size_t wave_print(const wr_cval *v, const ctype *type, char *buf, size_t cap)
{
	wbuf b = { .buf = buf, .cap = cap };
	bool ok = print_value(&b, v, type, 0);
	if (cap)
		buf[ok && b.len < cap ? b.len : ok ? cap - 1 : 0] = 0;
	return ok ? b.len : WAVE_PRINT_ERROR;
}

char *wave_to_string(const wr_cval *v, const ctype *type, size_t *len)
{
	wbuf b = { .grow = true };
	if (!print_value(&b, v, type, 0) || b.oom || !b.buf) {
		free(b.buf);
		return NULL;
	}
	b.buf[b.len] = 0;   /* put keeps room for it */
	if (len)
		*len = b.len;
	return b.buf;
}
