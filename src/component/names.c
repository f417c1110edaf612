/*
 * names.c: import and export names of components (Explainer.md, "Import and
 * Export Definitions"): kebab-case labels, the annotated forms
 * [constructor]r, [method]r.f and [static]r.f, interface names
 * ns:pkg/iface@semver, strong uniqueness, and the rules that tie annotated
 * names to the function types and resources they name.
 */
#include "cvalid.h"

#include <stdio.h>
#include <string.h>

static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* label ::= fragment ('-' fragment)*: the first fragment starts with a
 * letter; each fragment is all lowercase-or-digits or all uppercase-or-
 * digits. */
bool name_kebab(const char *s, uint32_t len)
{
	bool lower = false, upper = false, start = true, first = true;
	if (len == 0 || s[len - 1] == '-')
		return false;
	for (uint32_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '-') {
			if (start)
				return false;
			start = true, first = false, lower = upper = false;
			continue;
		}
		if (is_digit(c)) {
			if (start && first)
				return false;
		} else if (is_lower(c)) {
			if (upper)
				return false;
			lower = true;
		} else if (is_upper(c)) {
			if (lower)
				return false;
			upper = true;
		} else {
			return false;
		}
		start = false;
	}
	return true;
}

/* words ::= first-word ('-' word)*: lowercase letters and digits. */
static bool name_words(const char *s, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++)
		if (is_upper(s[i]))
			return false;
	return name_kebab(s, len);
}

static void msg_not_kebab(char *msg, size_t msize, const char *s, uint32_t len)
{
	snprintf(msg, msize, "`%.*s` is not in kebab case", (int)len, s);
}

/* ---- semantic versions (semver.org) ---- */

/* A numeric part at *i of v (n bytes); what names it in messages. */
static bool semver_num(const char *v, uint32_t n, uint32_t *i, const char *what, char *msg,
                       size_t msize)
{
	uint32_t start = *i;
	if (*i >= n) {
		snprintf(msg, msize, "unexpected end of input while parsing %s version number", what);
		return false;
	}
	if (!is_digit(v[*i])) {
		snprintf(msg, msize, "unexpected character '%c' while parsing %s version number",
		         v[*i], what);
		return false;
	}
	while (*i < n && is_digit(v[*i]))
		(*i)++;
	if (v[start] == '0' && *i - start > 1) {
		snprintf(msg, msize, "invalid leading zero in %s version number", what);
		return false;
	}
	if (*i - start > 19) {
		snprintf(msg, msize, "value of %s version number exceeds u64::MAX", what);
		return false;
	}
	return true;
}

/* A dot after a numeric part. */
static bool semver_dot(const char *v, uint32_t n, uint32_t *i, const char *after, char *msg,
                       size_t msize)
{
	if (*i >= n) {
		snprintf(msg, msize, "unexpected end of input after %s version number", after);
		return false;
	}
	if (v[*i] != '.') {
		snprintf(msg, msize, "unexpected character '%c' after %s version number, expected '.'",
		         v[*i], after);
		return false;
	}
	(*i)++;
	return true;
}

/* Dot-separated identifiers of a pre-release or build part. */
static bool semver_idents(const char *v, uint32_t n, uint32_t *i, bool pre, char *msg,
                          size_t msize)
{
	const char *what = pre ? "pre-release identifier" : "build metadata";
	for (;;) {
		uint32_t start = *i;
		bool digits = true;
		while (*i < n && (is_digit(v[*i]) || is_lower(v[*i]) || is_upper(v[*i]) || v[*i] == '-')) {
			digits &= is_digit(v[*i]);
			(*i)++;
		}
		if (*i == start) {
			snprintf(msg, msize, "empty identifier segment in %s", what);
			return false;
		}
		if (pre && digits && v[start] == '0' && *i - start > 1) {
			snprintf(msg, msize, "invalid leading zero in %s", what);
			return false;
		}
		if (*i >= n || v[*i] != '.')
			return true;
		(*i)++;
	}
}

static bool semver_parse(const char *v, uint32_t n, char *msg, size_t msize)
{
	uint32_t i = 0;
	if (n == 0) {
		snprintf(msg, msize, "empty string, expected a semver version");
		return false;
	}
	if (!semver_num(v, n, &i, "major", msg, msize) || !semver_dot(v, n, &i, "major", msg, msize) ||
	    !semver_num(v, n, &i, "minor", msg, msize) || !semver_dot(v, n, &i, "minor", msg, msize) ||
	    !semver_num(v, n, &i, "patch", msg, msize))
		return false;
	if (i < n && v[i] == '-') {
		i++;
		if (!semver_idents(v, n, &i, true, msg, msize))
			return false;
	}
	if (i < n && v[i] == '+') {
		i++;
		if (!semver_idents(v, n, &i, false, msg, msize))
			return false;
	}
	if (i < n) {
		snprintf(msg, msize, "unexpected character '%c' after patch version number", v[i]);
		return false;
	}
	return true;
}

/* ---- extern names ---- */

/* Length of the run of s (from i) up to one of the stop characters. */
static uint32_t run_until(const char *s, uint32_t len, uint32_t i, const char *stop)
{
	uint32_t j = i;
	while (j < len && (!s[j] || !strchr(stop, s[j])))
		j++;
	return j - i;
}

/* interfacename ::= words ':' words '/' label ('@' semver)? */
static bool parse_interface(const char *s, uint32_t len, char *msg, size_t msize)
{
	uint32_t i = 0, n = run_until(s, len, 0, ":");
	if (!name_words(s, n)) {
		msg_not_kebab(msg, msize, s, n);
		return false;
	}
	i = n + 1;
	n = run_until(s, len, i, ":/@");
	if (!name_words(s + i, n)) {
		msg_not_kebab(msg, msize, s + i, n);
		return false;
	}
	i += n;
	if (i >= len || s[i] != '/') {
		snprintf(msg, msize, "expected `/` after package name");
		return false;
	}
	i++;
	n = run_until(s, len, i, "/@");
	if (!name_kebab(s + i, n)) {
		msg_not_kebab(msg, msize, s + i, n);
		return false;
	}
	i += n;
	if (i < len && s[i] == '/') {
		snprintf(msg, msize, "trailing characters found: `%.*s`", (int)(len - i), s + i);
		return false;
	}
	if (i < len && s[i] == '@')
		return semver_parse(s + i + 1, len - i - 1, msg, msize);
	return true;
}

/* [method]r.f or [static]r.f after the prefix. */
static bool parse_dotted(const char *s, uint32_t len, cparsed *out, char *msg, size_t msize)
{
	const char *dot = memchr(s, '.', len);
	uint32_t a;
	if (!dot) {
		snprintf(msg, msize, "failed to find `.` character");
		return false;
	}
	a = (uint32_t)(dot - s);
	if (!name_kebab(s, a)) {
		msg_not_kebab(msg, msize, s, a);
		return false;
	}
	if (!name_kebab(dot + 1, len - a - 1)) {
		msg_not_kebab(msg, msize, dot + 1, len - a - 1);
		return false;
	}
	out->res = s;
	out->res_len = a;
	return true;
}

static bool has_prefix(const char *s, uint32_t len, const char *p)
{
	size_t n = strlen(p);
	return len >= n && memcmp(s, p, n) == 0;
}

bool name_parse(const char *s, uint32_t len, cparsed *out, char *msg, size_t msize)
{
	memset(out, 0, sizeof(*out));
	if (has_prefix(s, len, "[constructor]")) {
		out->kind = CP_CONSTRUCTOR;
		out->res = s + 13;
		out->res_len = len - 13;
		if (!name_kebab(out->res, out->res_len)) {
			msg_not_kebab(msg, msize, out->res, out->res_len);
			return false;
		}
		return true;
	}
	if (has_prefix(s, len, "[method]")) {
		out->kind = CP_METHOD;
		return parse_dotted(s + 8, len - 8, out, msg, msize);
	}
	if (has_prefix(s, len, "[static]")) {
		out->kind = CP_STATIC;
		return parse_dotted(s + 8, len - 8, out, msg, msize);
	}
	if (memchr(s, ':', len)) {
		out->kind = CP_INTERFACE;
		return parse_interface(s, len, msg, msize);
	}
	out->kind = CP_LABEL;
	if (!name_kebab(s, len)) {
		msg_not_kebab(msg, msize, s, len);
		return false;
	}
	return true;
}

/* ---- strong uniqueness ---- */

/* The canonical form: lowercase; [method]l.l and [static]l.l become l; other
 * annotations than [constructor] are dropped. */
static char *canonical(cctx *x, const char *s, uint32_t len)
{
	char *c = ctype_strdup(x->a, s, len);
	uint32_t n = len;
	if (!c)
		return NULL;
	for (uint32_t i = 0; i < n; i++)
		if (is_upper(c[i]))
			c[i] = (char)(c[i] - 'A' + 'a');
	if (has_prefix(c, n, "[method]") || has_prefix(c, n, "[static]")) {
		char *rest = c + 8, *dot = strchr(rest, '.');
		if (dot && strlen(dot + 1) == (size_t)(dot - rest) &&
		    memcmp(rest, dot + 1, (size_t)(dot - rest)) == 0)
			*dot = 0;
		memmove(c, rest, strlen(rest) + 1);
	}
	return c;
}

bool names_add(cctx *x, cnames *set, cext_dir dir, const char *name, uint32_t len, size_t off)
{
	char *c = canonical(x, name, len);
	const char **slot;
	uint32_t prev;
	if (!c)
		return coom(x, off);
	set->canon.a = x->a;
	prev = cstrset_add(&set->canon, c, (uint32_t)strlen(c), set->raw.n);
	if (prev == CSTR_OOM)
		return coom(x, off);
	if (prev != CSTR_ADDED)
		return cfail(x, off, "%s name `%s` conflicts with previous name `%s`",
		             dir == CX_IMPORT ? "import" : "export", name,
		             AVEC_AT(set->raw, const char *, prev));
	if (!(slot = avec_push(x->a, &set->raw, sizeof(*slot))))
		return coom(x, off);
	*slot = name;
	return true;
}

/* ---- annotated names and their resources ---- */

/* The resource r (a crestype) must be known in rc under the name res. */
static bool resource_name(cctx *x, crctx *rc, const void *r, const cparsed *p, size_t off)
{
	bool found;
	const char *want = cmap_get(&rc->names, r, &found);
	if (!found || !r)
		return cfail(x, off, "resource used in function does not have a name in this context");
	if (strlen(want) != p->res_len || memcmp(want, p->res, p->res_len) != 0)
		return cfail(x, off, "function does not match expected resource name `%s`", want);
	return true;
}

static bool check_constructor(cctx *x, crctx *rc, const cfunctype *f, const cparsed *p,
                              size_t off)
{
	const ctype *t = f->result;
	if (f->async)
		return cfail(x, off, "constructor function cannot be async");
	if (!t)
		return cfail(x, off, "function should return one value");
	if (t->kind == WR_C_RESULT && t->elem && t->elem->kind == WR_C_OWN)
		t = t->elem;
	if (t->kind != WR_C_OWN)
		return cfail(x, off, "function should return `(own $T)` or `(result (own $T))`");
	return resource_name(x, rc, t->named, p, off);
}

static bool check_method(cctx *x, crctx *rc, const cfunctype *f, const cparsed *p, size_t off)
{
	if (f->nparams == 0)
		return cfail(x, off, "function should have at least one argument");
	if (strcmp(f->params[0].name, "self") != 0)
		return cfail(x, off, "function should have a first argument called `self`");
	if (f->params[0].type->kind != WR_C_BORROW)
		return cfail(x, off, "function should take a first argument of `(borrow $T)`");
	return resource_name(x, rc, f->params[0].type->named, p, off);
}

static bool check_static(cctx *x, crctx *rc, const cparsed *p, size_t off)
{
	for (uint32_t i = 0; i < rc->all.n; i++) {
		const char *n = AVEC_AT(rc->all, const char *, i);
		if (strlen(n) == p->res_len && memcmp(n, p->res, p->res_len) == 0)
			return true;
	}
	return cfail(x, off, "static resource name is not known in this context");
}

/* The rules of an annotated plain name for the item e. */
static bool check_annotated(cctx *x, crctx *rc, const cparsed *p, const cextern *e, size_t off)
{
	if (p->kind != CP_CONSTRUCTOR && p->kind != CP_METHOD && p->kind != CP_STATIC)
		return true;
	if (e->sort != CS_FUNC)
		return cfail(x, off, "item is not a func");
	if (p->kind == CP_CONSTRUCTOR)
		return check_constructor(x, rc, e->func, p, off);
	if (p->kind == CP_METHOD)
		return check_method(x, rc, e->func, p, off);
	return check_static(x, rc, p, off);
}

/* The `implements` attribute: a plain label's instance implementing an
 * interface name. */
static bool check_implements(cctx *x, const cname_attr *na, const cparsed *p, const cextern *e,
                             size_t off)
{
	cparsed ip;
	char msg[160];
	if (p->kind != CP_LABEL)
		return cfail(x, off, "name `%s` is not valid with `implements`", na->name);
	if (e->sort != CS_INSTANCE)
		return cfail(x, off, "only instances can have an `implements`");
	if (!name_parse(na->implements, na->implements_len, &ip, msg, sizeof(msg)))
		return cfail(x, off, "`%s` is not a valid name: %s", na->implements, msg);
	if (ip.kind != CP_INTERFACE)
		return cfail(x, off, "name `%s` must be an interface", na->implements);
	return true;
}

bool name_check_extern(cctx *x, cscope *s, crctx *rc, cext_dir dir, const cname_attr *na,
                       const cextern *e, size_t off)
{
	const char *what = dir == CX_IMPORT ? "import" : "export";
	cparsed p;
	char msg[160];
	if (!name_parse(na->name, na->len, &p, msg, sizeof(msg)))
		return cfail(x, off, "%s name `%s` is not a valid extern name: %s", what, na->name, msg);
	if (na->implements && !check_implements(x, na, &p, e, off))
		return false;
	if (!check_annotated(x, rc, &p, e, off))
		return cwrap(x, "%s name `%s` is not valid", what, na->name);
	return true;
}
