/*
 * spectest_comp.c: the component commands of the reference scripts that
 * need instances (component-model/test): instantiating a component
 * (`(component ...)`, `(component instance $I $D)`), invoke with component
 * values, assert_return (results compared with cval_equal), assert_trap
 * (the message must contain the script's text, as for core traps; a
 * leading "wasm trap: " of the text is wasmtime's and is not required),
 * assert_unlinkable and assert_uninstantiable on components.
 *
 * Included by spectest.c, whose helpers (st_fail, st_str, st_cload,
 * st_text_match, ...) it uses; its state is per script, and every script
 * runs in its own child process.
 *
 * Component values in the JSON (tests/spec3/wast3json.py): integers
 * {"type": "u32", "value": "5"} (signed decimal for s*), floats as their
 * bit pattern or nan:canonical/nan:arithmetic, {"type": "bool", "value":
 * "true"}, char and string as UTF-8 "value", list and tuple "values",
 * record "fields" [{"name", "value"}], variant "case" and "value", enum
 * "value", flags "values", option and result "case" and "value".
 */

#include "canon.h"
#include "ctype.h"

struct stc_named {
	const char *name; /* points into the JSON tree */
	wr_cinstance *inst;
};

/* The component state of the script being run. */
static struct {
	wr_component **comps;
	size_t ncomps, capcomps;
	wr_cinstance **insts;
	size_t ninsts, capinsts;
	struct stc_named *names;
	size_t nnames, capnames;
	wr_cinstance *cur;
} stc;

static void stc_free(void)
{
	for (size_t i = 0; i < stc.ninsts; i++)
		wr_cinstance_free(stc.insts[i]);
	for (size_t i = 0; i < stc.ncomps; i++)
		wr_component_free(stc.comps[i]);
	free(stc.insts);
	free(stc.comps);
	free(stc.names);
	memset(&stc, 0, sizeof(stc));
}

/* ---- values from JSON ---- */

static bool stc_value(struct st_file *f, const cJSON *j, const ctype *t, wr_cval *out);

static const char *const stc_kind_names[WR_C__COUNT] = {
	"bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "f32", "f64", "char",
	"string", "record", "variant", "list", "tuple", "flags", "enum", "option", "result",
	"own", "borrow",
};

static const char *stc_kind_name(wr_ckind k)
{
	return (unsigned)k < WR_C__COUNT ? stc_kind_names[k] : "?";
}

static bool stc_int(struct st_file *f, const char *s, const ctype *t, wr_cval *out)
{
	char *end;
	errno = 0;
	if (!s || !*s)
		return st_fail(f, "(runner) integer without a value"), false;
	if (t->kind == WR_C_S8 || t->kind == WR_C_S16 || t->kind == WR_C_S32 ||
	    t->kind == WR_C_S64)
		out->of.i = strtoll(s, &end, 10);
	else
		out->of.u = strtoull(s, &end, 10);
	if (*end || errno)
		return st_fail(f, "(runner) bad integer %s", s), false;
	return true;
}

static bool stc_float(struct st_file *f, const char *s, const ctype *t, wr_cval *out)
{
	uint64_t bits;
	if (st_streq(s, "nan:canonical") || st_streq(s, "nan:arithmetic"))
		bits = t->kind == WR_C_F32 ? 0x7fc00000u : 0x7ff8000000000000ull;
	else if (!st_u64(s, &bits))
		return st_fail(f, "(runner) bad float %s", s ? s : ""), false;
	if (t->kind == WR_C_F32) {
		uint32_t b = (uint32_t)bits;
		memcpy(&out->of.f32, &b, 4);
	} else {
		memcpy(&out->of.f64, &bits, 8);
	}
	return true;
}

/* One Unicode scalar value from a UTF-8 string of exactly one. */
static bool stc_char(struct st_file *f, const char *s, wr_cval *out)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp, n = 0;
	if (!p || !*p)
		return st_fail(f, "(runner) empty char"), false;
	if (p[0] < 0x80)
		cp = p[0], n = 1;
	else if ((p[0] & 0xe0) == 0xc0)
		cp = p[0] & 0x1f, n = 2;
	else if ((p[0] & 0xf0) == 0xe0)
		cp = p[0] & 0x0f, n = 3;
	else
		cp = p[0] & 0x07, n = 4;
	for (uint32_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return st_fail(f, "(runner) bad char"), false;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (p[n])
		return st_fail(f, "(runner) char of more than one scalar value"), false;
	out->of.u = cp;
	return true;
}

static bool stc_string(struct st_file *f, const char *s, wr_cval *out)
{
	size_t n = s ? strlen(s) : 0;
	out->of.str = st_xcalloc(n + 1, 1);
	memcpy(out->of.str, s ? s : "", n);
	out->len = (uint32_t)n;
	return true;
}

/* elems[0..n) of out, from the JSON values of the array vals, typed by
 * elem (every one) or by the fields of t (tuple). */
static bool stc_elems(struct st_file *f, const cJSON *vals, const ctype *elem, const ctype *t,
                      wr_cval *out)
{
	int n = cJSON_GetArraySize(vals), i = 0;
	const cJSON *v;
	if (!elem && (uint32_t)n != t->n)
		return st_fail(f, "(runner) %d values for %u elements", n, t->n), false;
	if (t->fixed_len && (uint32_t)n != t->fixed_len)
		return st_fail(f, "(runner) %d values for a list of %u", n, t->fixed_len), false;
	out->of.elems = n ? st_xcalloc((size_t)n, sizeof(wr_cval)) : NULL;
	cJSON_ArrayForEach(v, vals) {
		if (!stc_value(f, v, elem ? elem : t->f[i].type, &out->of.elems[i]))
			return false;
		out->len = (uint32_t)++i;
	}
	return true;
}

static bool stc_record(struct st_file *f, const cJSON *fields, const ctype *t, wr_cval *out)
{
	const cJSON *fj;
	if ((uint32_t)cJSON_GetArraySize(fields) != t->n)
		return st_fail(f, "(runner) record needs %u fields", t->n), false;
	out->of.elems = t->n ? st_xcalloc(t->n, sizeof(wr_cval)) : NULL;
	for (uint32_t i = 0; i < t->n; i++) {
		const cJSON *val = NULL;
		cJSON_ArrayForEach(fj, fields)
			if (st_streq(st_str(fj, "name"), t->f[i].name))
				val = cJSON_GetObjectItemCaseSensitive(fj, "value");
		if (!val)
			return st_fail(f, "(runner) no field %s", t->f[i].name), false;
		if (!stc_value(f, val, t->f[i].type, &out->of.elems[i]))
			return false;
		out->len = i + 1;
	}
	return true;
}

/* A case by name: a variant's, or option's none/some, result's ok/err;
 * then its payload, if it has one. */
static bool stc_case(struct st_file *f, const cJSON *j, const ctype *t, wr_cval *out)
{
	const char *name = st_str(j, "case");
	const cJSON *val = cJSON_GetObjectItemCaseSensitive(j, "value");
	const ctype *pt = NULL;
	uint32_t tag = UINT32_MAX;
	if (t->kind == WR_C_VARIANT) {
		for (uint32_t i = 0; i < t->n && tag == UINT32_MAX; i++)
			if (st_streq(name, t->f[i].name))
				tag = i, pt = t->f[i].type;
	} else if (t->kind == WR_C_OPTION) {
		tag = st_streq(name, "none") ? 0 : st_streq(name, "some") ? 1 : UINT32_MAX;
		pt = tag == 1 ? t->elem : NULL;
	} else {
		tag = st_streq(name, "ok") ? 0 : st_streq(name, "err") ? 1 : UINT32_MAX;
		pt = tag == 0 ? t->elem : t->err;
	}
	if (tag == UINT32_MAX)
		return st_fail(f, "(runner) no case %s", name ? name : "?"), false;
	if ((pt != NULL) != (val != NULL))
		return st_fail(f, "(runner) case %s: payload mismatch", name), false;
	out->tag = tag;
	if (!pt)
		return true;
	out->of.elems = st_xcalloc(1, sizeof(wr_cval));
	out->len = 1;
	return stc_value(f, val, pt, &out->of.elems[0]);
}

static bool stc_label(struct st_file *f, const char *name, const ctype *t, uint32_t *idx)
{
	for (uint32_t i = 0; i < t->n; i++)
		if (st_streq(name, t->f[i].name)) {
			*idx = i;
			return true;
		}
	return st_fail(f, "(runner) no label %s", name ? name : "?"), false;
}

static bool stc_flags(struct st_file *f, const cJSON *vals, const ctype *t, wr_cval *out)
{
	const cJSON *v;
	uint32_t i;
	cJSON_ArrayForEach(v, vals) {
		if (!stc_label(f, cJSON_IsString(v) ? v->valuestring : NULL, t, &i))
			return false;
		if (i >= 64)
			return st_fail(f, "(runner) more than 64 flags"), false;
		out->of.u |= 1ull << i;
	}
	return true;
}

static bool stc_value(struct st_file *f, const cJSON *j, const ctype *t, wr_cval *out)
{
	const char *type = st_str(j, "type"), *val = st_str(j, "value");
	memset(out, 0, sizeof(*out));
	if (!t)
		return st_fail(f, "(runner) a value for no type"), false;
	out->kind = t->kind;
	if (!st_streq(type, stc_kind_name(t->kind)))
		return st_fail(f, "(runner) a %s value for a %s", type ? type : "?",
		               stc_kind_name(t->kind)), false;
	switch (t->kind) {
	case WR_C_BOOL:
		out->of.u = st_streq(val, "true");
		return true;
	case WR_C_F32:
	case WR_C_F64: return stc_float(f, val, t, out);
	case WR_C_CHAR: return stc_char(f, val, out);
	case WR_C_STRING: return stc_string(f, val, out);
	case WR_C_LIST:
		return stc_elems(f, cJSON_GetObjectItemCaseSensitive(j, "values"), t->elem, t, out);
	case WR_C_TUPLE:
		return stc_elems(f, cJSON_GetObjectItemCaseSensitive(j, "values"), NULL, t, out);
	case WR_C_RECORD:
		return stc_record(f, cJSON_GetObjectItemCaseSensitive(j, "fields"), t, out);
	case WR_C_VARIANT:
	case WR_C_OPTION:
	case WR_C_RESULT: return stc_case(f, j, t, out);
	case WR_C_ENUM: return stc_label(f, val, t, &out->tag);
	case WR_C_FLAGS:
		return stc_flags(f, cJSON_GetObjectItemCaseSensitive(j, "values"), t, out);
	case WR_C_OWN:
	case WR_C_BORROW: return st_fail(f, "(runner) handles have no script form"), false;
	default: return stc_int(f, val, t, out);
	}
}

/* ---- printing values (for failures) ---- */

static void stc_fmt(char *buf, size_t n, size_t *pos, const wr_cval *v)
{
	const char *k = stc_kind_name(v->kind);
	switch (v->kind) {
	case WR_C_S8:
	case WR_C_S16:
	case WR_C_S32:
	case WR_C_S64: st_cat(buf, n, pos, "%s:%" PRId64, k, v->of.i); return;
	case WR_C_F32: st_cat(buf, n, pos, "f32:%g", (double)v->of.f32); return;
	case WR_C_F64: st_cat(buf, n, pos, "f64:%g", v->of.f64); return;
	case WR_C_STRING: st_cat(buf, n, pos, "\"%.*s\"", (int)v->len, v->of.str); return;
	case WR_C_ENUM: st_cat(buf, n, pos, "enum:%u", v->tag); return;
	case WR_C_FLAGS: st_cat(buf, n, pos, "flags:%#" PRIx64, v->of.u); return;
	case WR_C_OWN:
	case WR_C_BORROW: st_cat(buf, n, pos, "%s:%u", k, v->of.handle.rep); return;
	case WR_C_LIST:
	case WR_C_RECORD:
	case WR_C_TUPLE:
	case WR_C_VARIANT:
	case WR_C_OPTION:
	case WR_C_RESULT:
		st_cat(buf, n, pos, "%s", k);
		if (v->kind == WR_C_VARIANT || v->kind == WR_C_OPTION || v->kind == WR_C_RESULT)
			st_cat(buf, n, pos, "#%u", v->tag);
		st_cat(buf, n, pos, "(");
		for (uint32_t i = 0; i < v->len; i++) {
			st_cat(buf, n, pos, "%s", i ? " " : "");
			stc_fmt(buf, n, pos, &v->of.elems[i]);
		}
		st_cat(buf, n, pos, ")");
		return;
	default: st_cat(buf, n, pos, "%s:%" PRIu64, k, v->of.u); return;
	}
}

/* ---- instances and actions ---- */

static wr_cinstance *stc_lookup(const char *name)
{
	for (size_t i = stc.nnames; i-- > 0;)
		if (st_streq(stc.names[i].name, name))
			return stc.names[i].inst;
	return NULL;
}

/* Load and instantiate the command's component; NULL with *trap (or a
 * load failure in f->why). */
static wr_cinstance *stc_instantiate(struct st_file *f, const cJSON *c, wr_trap *trap, bool *loaded)
{
	wr_diag diag;
	wr_component *comp = st_cload(f, c, &diag);
	*loaded = comp != NULL;
	memset(trap, 0, sizeof(*trap));
	if (!comp) {
		st_fail(f, "component load failed: %s (offset %zu)", diag.message, diag.offset);
		return NULL;
	}
	size_t i = st_grow((void **)&stc.comps, &stc.ncomps, &stc.capcomps, sizeof(*stc.comps));
	stc.comps[i] = comp;
	wr_cinstance *inst = wr_component_instantiate(f->store, comp, NULL, trap);
	if (inst) {
		i = st_grow((void **)&stc.insts, &stc.ninsts, &stc.capinsts, sizeof(*stc.insts));
		stc.insts[i] = inst;
	}
	return inst;
}

/* (component ...) and (component instance $I $D): instantiate, make it
 * current, name it. */
static enum st_verdict stc_cmd_module(struct st_file *f, const cJSON *c)
{
	const char *name = st_str(c, "name");
	wr_trap trap;
	bool loaded;
	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "instance")) &&
	    !st_streq(st_str(c, "module_type"), "binary"))
		return st_fail(f, "jco could not encode the component: %s", st_str(c, "jco_error"));
	stc.cur = stc_instantiate(f, c, &trap, &loaded);
	if (!stc.cur)
		return loaded ? st_fail(f, "instantiation failed: %s", st_trap_text(&trap)) : ST_FAIL;
	if (name) {
		size_t i = st_grow((void **)&stc.names, &stc.nnames, &stc.capnames,
		                   sizeof(*stc.names));
		stc.names[i] = (struct stc_named){ name, stc.cur };
	}
	return ST_PASS;
}

/* The outcome of a component action. */
struct stc_result {
	const cfunctype *type;
	wr_cval result;
	bool has_result;
	wr_trap trap;
};

static enum st_act stc_action(struct st_file *f, const cJSON *c, struct stc_result *r)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(c, "action"), *aj;
	const char *mod = st_str(a, "module"), *field = st_str(a, "field");
	wr_cinstance *inst = mod ? stc_lookup(mod) : stc.cur;
	const wr_cfunc *fn = inst && field ? wr_cinstance_func(inst, field) : NULL;
	memset(r, 0, sizeof(*r));
	if (!fn) {
		st_fail(f, "(runner) no component %s with a function \"%s\"",
		        mod ? mod : "instantiated", field ? field : "");
		return ACT_ERROR;
	}
	if (!st_streq(st_str(a, "type"), "invoke"))
		return st_fail(f, "(runner) unknown component action"), ACT_ERROR;
	r->type = wr_cfunc_type(fn);
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(a, "args");
	uint32_t n = (uint32_t)cJSON_GetArraySize(args), i = 0;
	if (n != r->type->nparams)
		return st_fail(f, "(runner) %u arguments for %u parameters", n, r->type->nparams),
		       ACT_ERROR;
	wr_cval *argv = n ? st_xcalloc(n, sizeof(*argv)) : NULL;
	bool ok = true;
	cJSON_ArrayForEach(aj, args) {
		if (ok)
			ok = stc_value(f, aj, r->type->params[i].type, &argv[i]);
		i++;
	}
	wr_trapkind k = WR_OK;
	if (ok)
		k = wr_cfunc_call(fn, argv, n, &r->result, &r->trap);
	for (i = 0; i < n; i++)
		wr_cval_free(&argv[i]);
	free(argv);
	if (!ok)
		return ACT_ERROR;
	r->has_result = k == WR_OK && r->type->result;
	return k == WR_OK ? ACT_DONE : ACT_TRAPPED;
}

static enum st_verdict stc_check_result(struct st_file *f, const cJSON *exp, struct stc_result *r)
{
	int n = cJSON_GetArraySize(exp);
	if (n != (r->has_result ? 1 : 0))
		return st_fail(f, "%d results expected, %d returned", n, r->has_result ? 1 : 0);
	if (!n)
		return ST_PASS;
	wr_cval want;
	enum st_verdict v = ST_PASS;
	if (!stc_value(f, cJSON_GetArrayItem(exp, 0), r->type->result, &want)) {
		v = ST_FAIL;
	} else if (!cval_equal(&want, &r->result)) {
		char buf[512];
		size_t pos = 0;
		st_cat(buf, sizeof(buf), &pos, "got ");
		stc_fmt(buf, sizeof(buf), &pos, &r->result);
		st_cat(buf, sizeof(buf), &pos, ", expected ");
		stc_fmt(buf, sizeof(buf), &pos, &want);
		v = st_fail(f, "%s", buf);
	}
	wr_cval_free(&want);
	return v;
}

static enum st_verdict stc_cmd_action(struct st_file *f, const cJSON *c, bool check)
{
	struct stc_result r;
	enum st_act a = stc_action(f, c, &r);
	enum st_verdict v = ST_FAIL;
	if (a == ACT_TRAPPED)
		st_fail(f, "trapped: %s", st_trap_text(&r.trap));
	else if (a == ACT_DONE)
		v = check ? stc_check_result(f, cJSON_GetObjectItemCaseSensitive(c, "expected"), &r)
		          : ST_PASS;
	if (r.has_result)
		wr_cval_free(&r.result);
	return v;
}

/* A trap's message against the command's text (without "wasm trap: "). */
static enum st_verdict stc_check_trap(struct st_file *f, const cJSON *c, const wr_trap *t)
{
	const char *want = st_str(c, "text"), *got = st_trap_text(t);
	if (want && !strncmp(want, "wasm trap: ", 11))
		want += 11;
	if (want && st_text_match(got, want))
		return ST_PASS;
	return st_fail(f, "trap \"%s\", expected \"%s\"", got, want ? want : "");
}

static enum st_verdict stc_cmd_trap(struct st_file *f, const cJSON *c)
{
	struct stc_result r;
	enum st_act a = stc_action(f, c, &r);
	if (r.has_result)
		wr_cval_free(&r.result);
	if (a == ACT_ERROR)
		return ST_FAIL;
	if (a == ACT_DONE)
		return st_fail(f, "returned, expected trap \"%s\"", st_str(c, "text"));
	return stc_check_trap(f, c, &r.trap);
}

/* assert_unlinkable, assert_uninstantiable: loads, does not instantiate,
 * with a link error (want_link) or a trap whose text matches. */
static enum st_verdict stc_cmd_no_instance(struct st_file *f, const cJSON *c, bool want_link)
{
	wr_trap trap;
	bool loaded;
	if (!st_streq(st_str(c, "module_type"), "binary"))
		return st_fail(f, "jco could not encode the component: %s", st_str(c, "jco_error"));
	if (stc_instantiate(f, c, &trap, &loaded))
		return st_fail(f, "instantiated, expected \"%s\"", st_str(c, "text"));
	if (!loaded)
		return ST_FAIL;
	if ((trap.kind == WR_TRAP_LINK) != want_link)
		return st_fail(f, "%s \"%s\", expected %s", want_link ? "trap" : "link error",
		               st_trap_text(&trap), want_link ? "a link error" : "a trap");
	return stc_check_trap(f, c, &trap);
}

/* The component commands that need instances; ST_SKIP with no reason for
 * the others (spectest.c decides them). */
static enum st_verdict stc_command(struct st_file *f, const cJSON *c, bool *handled)
{
	const char *type = st_str(c, "type");
	*handled = true;
	if (st_streq(type, "module"))
		return stc_cmd_module(f, c);
	if (st_streq(type, "action"))
		return stc_cmd_action(f, c, false);
	if (st_streq(type, "assert_return"))
		return stc_cmd_action(f, c, true);
	if (st_streq(type, "assert_trap"))
		return stc_cmd_trap(f, c);
	if (st_streq(type, "assert_unlinkable"))
		return stc_cmd_no_instance(f, c, true);
	if (st_streq(type, "assert_uninstantiable"))
		return stc_cmd_no_instance(f, c, false);
	*handled = false;
	return ST_SKIP;
}
