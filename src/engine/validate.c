/*
 * validate.c: type-checks a decoded module (WebAssembly 2.0, SIMD
 * included, and the 3.0 features wrun runs: tail calls, exception
 * handling, typed function references) and produces nothing but
 * m->func_declared and m->type_canon.
 *
 * Function bodies are checked with the algorithm of the spec's validation
 * appendix: a stack of operand types, where VAL_ANY stands for the unknown
 * type of the polymorphic stack after unreachable, br, br_table and return,
 * and a stack of control frames. Instructions with a fixed signature in the
 * opcode table are typed from it in one place (val_sig); the rest have a
 * short helper each. Messages use the spec tests' wording, and the offset is
 * that of the offending instruction.
 *
 * Operand types are mod_vt (module.h) and an operand matches an expected
 * type when it is a subtype of it (vt_sub, through m->type_canon, which
 * val_types fills first). Locals of a type without a default value (a
 * non-null reference) must be set before they are read: a local.set or
 * local.tee counts until the end of its block (f->inits).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"

#define VAL_ANY 0 /* the unknown type */

/* A control frame. A block type of one result keeps it in `one` (results
 * is NULL then); read the types through val_results/val_labels. */
typedef struct val_ctl {
	const mod_vt *params, *results;
	uint32_t nparams, nresults;
	size_t height;       /* operand stack height at entry */
	size_t inits;        /* locals initialised at entry (f->ninits) */
	uint64_t mark;       /* last br_table that checked this label */
	uint16_t op;         /* OP_BLOCK, OP_LOOP, OP_IF, OP_ELSE, OP_TRY_TABLE, OP_TRY,
	                        OP_CATCH, OP_CATCH_ALL; OP_NOP for the function */
	mod_vt one;
	bool unreachable;
} val_ctl;

/* Validation state: the module, and the stacks reused from one function
 * body to the next. */
typedef struct val_fn {
	const wr_module *m;
	wr_diag *diag;
	size_t at;                    /* offset of the instruction being checked */
	const mod_functype *type;     /* of the function being checked */
	const uint32_t *canon;        /* m->type_canon */
	ty_registry *reg;             /* the registry canon's indices are of */
	mod_vt *vals;
	size_t nvals, cap_vals;
	val_ctl *ctls;
	size_t nctls, cap_ctls;
	mod_vt *locals;               /* types of params then locals */
	uint32_t nlocals;
	size_t cap_locals;
	uint8_t *linit;               /* per local: set (or defaultable) */
	size_t cap_linit;
	uint32_t *inits;              /* non-defaultable locals set, innermost last */
	size_t ninits, cap_inits;
	uint64_t marks;               /* br_tables seen, to check each label once */
} val_fn;

/* ---- errors ---- */

static bool val_err(val_fn *f, const char *msg)
{
	return dec_fail_at(f->diag, f->at, msg);
}

/* "unknown <what> <index>", as the spec words a bad index. */
static bool val_unknown(val_fn *f, const char *what, uint64_t idx)
{
	char msg[64];
	snprintf(msg, sizeof(msg), "unknown %s %llu", what, (unsigned long long)idx);
	return val_err(f, msg);
}

/* The type of an address into memory x or an index into table x: i64
 * for a 64-bit one (memory64, table64), else i32. x must exist. */
static uint8_t val_mem_at(const wr_module *m, uint32_t x)
{
	return m->mems[x].limits.addr64 ? WR_I64 : WR_I32;
}

static uint8_t val_tab_at(const wr_module *m, uint32_t x)
{
	return m->tables[x].limits.addr64 ? WR_I64 : WR_I32;
}

/* A type that names a type index must name an existing one (below `ntypes`:
 * in the type section, a type may name those of its own and earlier
 * recursion groups). */
static bool val_vt_ok(val_fn *f, mod_vt t, uint32_t ntypes)
{
	if (vt_is_idx(t) && vt_idx(t) >= ntypes)
		return val_unknown(f, "type", vt_idx(t));
	return true;
}

static bool val_vt(val_fn *f, mod_vt t)
{
	return val_vt_ok(f, t, f->m->ntypes);
}

/* Type index x must name a function type (of a function, a tag, a block,
 * call_indirect and call_ref). */
static bool val_functype(val_fn *f, uint64_t x)
{
	if (x >= f->m->ntypes)
		return val_unknown(f, "type", x);
	if (f->m->types[x].form != FORM_FUNC)
		return val_err(f, "type mismatch: not a function type");
	return true;
}

/* Is a a subtype of b in this module? */
static inline bool val_sub(const val_fn *f, mod_vt a, mod_vt b)
{
	return a == b || vt_sub(f->reg, f->canon, a, b);
}

/* ---- the operand and control stacks ---- */

/* Make room for `need` more entries in a stack of `size`-byte entries. */
static bool val_reserve(val_fn *f, void **arr, size_t *cap, size_t len, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 64;
	void *q;

	if (need <= *cap - len)
		return true;
	while (n - len < need)
		n *= 2;
	if (!(q = realloc(*arr, n * size)))
		return val_err(f, "out of memory");
	*arr = q;
	*cap = n;
	return true;
}

static bool val_push_n(val_fn *f, const mod_vt *types, uint32_t n)
{
	if (!val_reserve(f, (void **)&f->vals, &f->cap_vals, f->nvals, n, sizeof(*f->vals)))
		return false;
	for (uint32_t i = 0; i < n; i++)
		f->vals[f->nvals + i] = types[i];
	f->nvals += n;
	return true;
}

static inline bool val_push(val_fn *f, mod_vt t)
{
	if (f->nvals == f->cap_vals &&
	    !val_reserve(f, (void **)&f->vals, &f->cap_vals, f->nvals, 1, sizeof(*f->vals)))
		return false;
	f->vals[f->nvals++] = t;
	return true;
}

/* Pop one operand that must be a subtype of `want` (VAL_ANY: any type).
 * Below the current frame's base, an unreachable frame yields VAL_ANY. */
static bool val_pop(val_fn *f, mod_vt want, mod_vt *got)
{
	val_ctl *c = &f->ctls[f->nctls - 1];
	mod_vt t = VAL_ANY;

	if (f->nvals > c->height)
		t = f->vals[--f->nvals];
	else if (!c->unreachable)
		return val_err(f, "type mismatch");
	if (!val_sub(f, t, want))
		return val_err(f, "type mismatch");
	if (got)
		*got = t;
	return true;
}

/* Pop an operand of a reference type (or VAL_ANY). */
static bool val_pop_ref(val_fn *f, mod_vt *got)
{
	if (!val_pop(f, VAL_ANY, got))
		return false;
	return *got == VAL_ANY || vt_is_ref(*got) || val_err(f, "type mismatch");
}

/* Append s to buf (size bytes, holding *pos), cutting what does not fit. */
static void val_cat(char *buf, size_t size, size_t *pos, const char *s)
{
	size_t n = strlen(s);
	if (n > size - 1 - *pos)
		n = size - 1 - *pos;
	memcpy(buf + *pos, s, n);
	*pos += n;
	buf[*pos] = 0;
}

/* The text format of a value type, into buf (at least 32 bytes). */
static const char *val_type_name(mod_vt t, char *buf)
{
	static const struct { mod_vt t; const char *name; } names[] = {
		{ WR_I32, "i32" }, { WR_I64, "i64" }, { WR_F32, "f32" }, { WR_F64, "f64" },
		{ WR_V128, "v128" }, { HT_FUNC, "funcref" }, { HT_EXTERN, "externref" },
		{ HT_NOFUNC, "nullfuncref" }, { HT_NOEXTERN, "nullexternref" },
		{ HT_EXN, "exnref" }, { HT_NOEXN, "nullexnref" },
	};
	static const struct { uint8_t ht; const char *name; } hts[] = {
		{ HT_FUNC, "func" }, { HT_EXTERN, "extern" }, { HT_NOFUNC, "nofunc" },
		{ HT_NOEXTERN, "noextern" }, { HT_EXN, "exn" }, { HT_NOEXN, "noexn" },
		{ VT_HT_BOT, "bot" },
	};
	const char *ht = "?";

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].t == t)
			return names[i].name;
	if (!vt_is_ref(t))
		return "?";
	for (size_t i = 0; i < sizeof(hts) / sizeof(hts[0]); i++)
		if (hts[i].ht == vt_ht(t))
			ht = hts[i].name;
	if (vt_ht(t) == VT_HT_IDX)
		snprintf(buf, 32, "(ref %s%u)", vt_nullable(t) ? "null " : "", vt_idx(t));
	else
		snprintf(buf, 32, "(ref %s%s)", vt_nullable(t) ? "null " : "", ht);
	return buf;
}

/* Append "[t1 t2 ...]" for n types to buf. */
static void val_fmt_types(char *buf, size_t size, size_t *pos, const mod_vt *types, size_t n)
{
	char name[32];

	val_cat(buf, size, pos, "[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			val_cat(buf, size, pos, " ");
		val_cat(buf, size, pos, val_type_name(types[i], name));
	}
	val_cat(buf, size, pos, "]");
}

/* "type mismatch: <what> requires [want] but stack has [got]", the
 * reference interpreter's wording; got is the top of the current frame,
 * from position `from`. */
static bool val_mismatch(val_fn *f, const char *what, const mod_vt *want, uint32_t n,
                         size_t from)
{
	char msg[160];
	size_t pos = 0;
	msg[0] = 0;
	val_cat(msg, sizeof(msg), &pos, "type mismatch: ");
	val_cat(msg, sizeof(msg), &pos, what);
	val_cat(msg, sizeof(msg), &pos, " requires ");
	val_fmt_types(msg, sizeof(msg), &pos, want, n);
	val_cat(msg, sizeof(msg), &pos, " but stack has ");
	if (f->nvals > from)
		val_fmt_types(msg, sizeof(msg), &pos, f->vals + from, f->nvals - from);
	else
		val_cat(msg, sizeof(msg), &pos, "[]");
	return val_err(f, msg);
}

/* Pop operands of types[0..n), the last on top. */
static bool val_pop_n(val_fn *f, const mod_vt *types, uint32_t n)
{
	const val_ctl *c = &f->ctls[f->nctls - 1];
	size_t avail = f->nvals - c->height;
	for (uint32_t i = 0; i < n; i++) {
		mod_vt want = types[n - 1 - i];
		if (i >= avail ? !c->unreachable : !val_sub(f, f->vals[f->nvals - 1 - i], want))
			return val_mismatch(f, "instruction", types, n,
			                    f->nvals - (avail < n ? avail : n));
	}
	f->nvals -= avail < n ? avail : n;
	return true;
}

/* Check that the top of the stack matches types[0..n) without popping
 * (br_table checks one operand sequence against several labels). */
static bool val_peek_n(val_fn *f, const mod_vt *types, uint32_t n)
{
	const val_ctl *c = &f->ctls[f->nctls - 1];
	size_t avail = f->nvals - c->height;
	mod_vt t;

	for (uint32_t i = 0; i < n; i++) {
		if (i >= avail) {
			if (!c->unreachable)
				return val_err(f, "type mismatch");
			return true;
		}
		t = f->vals[f->nvals - 1 - i];
		if (!val_sub(f, t, types[n - 1 - i]))
			return val_err(f, "type mismatch");
	}
	return true;
}

static const mod_vt *val_results(const val_ctl *c)
{
	return c->results ? c->results : &c->one;
}

/* The types a branch to frame c carries: a loop's params, else its results. */
static const mod_vt *val_labels(const val_ctl *c, uint32_t *n)
{
	*n = c->op == OP_LOOP ? c->nparams : c->nresults;
	return c->op == OP_LOOP ? c->params : val_results(c);
}

/* Enter a frame shaped like *tmpl; its params are on the stack already
 * popped by the caller and are pushed again inside. */
static bool val_push_ctl(val_fn *f, const val_ctl *tmpl, uint16_t op)
{
	val_ctl *c;

	if (!val_reserve(f, (void **)&f->ctls, &f->cap_ctls, f->nctls, 1, sizeof(*c)))
		return false;
	c = &f->ctls[f->nctls++];
	*c = *tmpl;
	c->op = op;
	c->height = f->nvals;
	c->inits = f->ninits;
	c->mark = 0;
	c->unreachable = false;
	return val_push_n(f, c->params, c->nparams);
}

/* Leave the innermost frame: its results must be exactly what is left.
 * Locals set inside it are no longer known to be set. */
static bool val_pop_ctl(val_fn *f, val_ctl *out)
{
	val_ctl *c = &f->ctls[f->nctls - 1];

	if (!val_pop_n(f, val_results(c), c->nresults))
		return false;
	if (f->nvals != c->height) {
		f->nvals += c->nresults; /* show what the block left */
		return val_mismatch(f, "block", val_results(c), c->nresults, c->height);
	}
	while (f->ninits > c->inits)
		f->linit[f->inits[--f->ninits]] = 0;
	*out = *c;
	f->nctls--;
	return true;
}

/* The rest of the current block is unreachable: the stack is polymorphic. */
static bool val_unreachable(val_fn *f)
{
	val_ctl *c = &f->ctls[f->nctls - 1];
	f->nvals = c->height;
	c->unreachable = true;
	return true;
}

/* ---- control instructions ---- */

/* Fill a frame template from a block type. */
static bool val_blocktype(val_fn *f, const dec_instr *in, val_ctl *c)
{
	int64_t bt = in->blocktype;
	const mod_functype *t;

	memset(c, 0, sizeof(*c));
	if (dec_bt_is_index(bt)) {
		if (!val_functype(f, bt))
			return false;
		t = &f->m->types[bt];
		c->params = t->vts;
		c->nparams = t->nparams;
		c->results = t->vts + t->nparams;
		c->nresults = t->nresults;
	} else if (bt != BT_EMPTY) {
		c->one = in->vt;
		c->nresults = 1;
		return val_vt(f, in->vt);
	}
	return true;
}

/* block, loop, if: pop the condition (if) and the params, open a frame. */
static bool val_block(val_fn *f, const dec_instr *in)
{
	val_ctl t;

	if (!val_blocktype(f, in, &t))
		return false;
	if (in->op == OP_IF && !val_pop(f, WR_I32, NULL))
		return false;
	return val_pop_n(f, t.params, t.nparams) && val_push_ctl(f, &t, in->op);
}

static bool val_else(val_fn *f)
{
	val_ctl c;

	if (f->ctls[f->nctls - 1].op != OP_IF)
		return val_err(f, "END opcode expected");
	return val_pop_ctl(f, &c) && val_push_ctl(f, &c, OP_ELSE);
}

/* Is each of a[0..n) a subtype of the same b? */
static bool val_sub_n(const val_fn *f, const mod_vt *a, const mod_vt *b, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (!val_sub(f, a[i], b[i]))
			return false;
	return true;
}

/* end: close the frame. An if without else passes its params through the
 * missing branch, so they must match its results. */
static bool val_end(val_fn *f)
{
	val_ctl c;

	if (!val_pop_ctl(f, &c))
		return false;
	if (c.op == OP_IF && (c.nparams != c.nresults ||
			      !val_sub_n(f, c.params, val_results(&c), c.nparams)))
		return val_err(f, "type mismatch");
	if (f->nctls == 0)
		return true; /* the function's own end */
	return val_push_n(f, val_results(&c), c.nresults);
}

static val_ctl *val_label(val_fn *f, uint32_t depth)
{
	if (depth >= f->nctls) {
		val_unknown(f, "label", depth);
		return NULL;
	}
	return &f->ctls[f->nctls - 1 - depth];
}

/* br and br_if: the label's types leave with the branch. */
static bool val_br(val_fn *f, const dec_instr *in)
{
	val_ctl *c = val_label(f, in->a);
	const mod_vt *types;
	uint32_t n;

	if (!c)
		return false;
	types = val_labels(c, &n);
	if (in->op == OP_BR)
		return val_pop_n(f, types, n) && val_unreachable(f);
	return val_pop(f, WR_I32, NULL) && val_pop_n(f, types, n) && val_push_n(f, types, n);
}

/* br_table: every target takes the same number of values, each matching
 * the operands; the default's types are then popped. A frame named by
 * several labels is checked once. */
static bool val_br_table(val_fn *f, dec_instr *in)
{
	uint64_t mark = ++f->marks;
	const mod_vt *types;
	uint32_t label, n, arity = 0;
	val_ctl *c;

	if (!val_pop(f, WR_I32, NULL))
		return false;
	for (uint64_t i = 0; i <= in->a; i++) {
		if (!dec_br_table_next(in, &label) || !(c = val_label(f, label)))
			return false;
		types = val_labels(c, &n);
		if (i == 0)
			arity = n;
		if (n != arity)
			return val_err(f, "type mismatch");
		if (i == in->a)
			return val_pop_n(f, types, n) && val_unreachable(f);
		if (c->mark != mark && !val_peek_n(f, types, n))
			return false;
		c->mark = mark;
	}
	return false;
}

static bool val_return(val_fn *f)
{
	const mod_functype *t = f->type;
	return val_pop_n(f, t->vts + t->nparams, t->nresults) && val_unreachable(f);
}

/* Pop a function type's params and push its results. */
static bool val_apply(val_fn *f, const mod_functype *t)
{
	return val_pop_n(f, t->vts, t->nparams) &&
	       val_push_n(f, t->vts + t->nparams, t->nresults);
}

static bool val_call(val_fn *f, uint32_t func)
{
	const wr_module *m = f->m;
	if (func >= m->nfuncs)
		return val_unknown(f, "function", func);
	return val_apply(f, &m->types[m->func_types[func]]);
}

static bool val_call_indirect(val_fn *f, const dec_instr *in)
{
	const wr_module *m = f->m;

	if (in->b >= m->ntables)
		return val_unknown(f, "table", in->b);
	if (!val_functype(f, in->a))
		return false;
	if (m->tables[in->b].elem != WR_FUNCREF)
		return val_err(f, "type mismatch: call_indirect needs a table of funcref");
	return val_pop(f, val_tab_at(m, in->b), NULL) && val_apply(f, &m->types[in->a]);
}

/* return_call, return_call_indirect and return_call_ref (the tail calls):
 * the callee's results must match the caller's; its params are popped and,
 * as after return, the rest of the block is unreachable. */
static bool val_return_call(val_fn *f, const mod_functype *t)
{
	const mod_functype *me = f->type;
	if (t->nresults != me->nresults ||
	    !val_sub_n(f, t->vts + t->nparams, me->vts + me->nparams, t->nresults))
		return val_err(f, "type mismatch");
	return val_pop_n(f, t->vts, t->nparams) && val_unreachable(f);
}

/* call_ref and return_call_ref: a (ref null $t) operand, then the call. */
static bool val_call_ref(val_fn *f, const dec_instr *in)
{
	const mod_functype *t;

	if (!val_functype(f, in->a))
		return false;
	t = &f->m->types[in->a];
	if (!val_pop(f, vt_ref(VT_HT_IDX, in->a, true), NULL))
		return false;
	return in->op == OP_CALL_REF ? val_apply(f, t) : val_return_call(f, t);
}

static bool val_tail_call(val_fn *f, const dec_instr *in)
{
	const wr_module *m = f->m;

	if (in->op == OP_RETURN_CALL) {
		if (in->a >= m->nfuncs)
			return val_unknown(f, "function", in->a);
		return val_return_call(f, &m->types[m->func_types[in->a]]);
	}
	if (in->b >= m->ntables)
		return val_unknown(f, "table", in->b);
	if (!val_functype(f, in->a))
		return false;
	if (m->tables[in->b].elem != WR_FUNCREF)
		return val_err(f, "type mismatch: return_call_indirect needs a table of funcref");
	return val_pop(f, val_tab_at(m, in->b), NULL) && val_return_call(f, &m->types[in->a]);
}

/* ---- exception handling ---- */

/* The payload type of tag x, or NULL after reporting an unknown tag. */
static const mod_functype *val_tag(val_fn *f, uint32_t x)
{
	if (x >= f->m->ntags) {
		val_unknown(f, "tag", x);
		return NULL;
	}
	return &f->m->types[f->m->tags[x].type];
}

/* throw x: the tag's payload leaves; the rest of the block is unreachable. */
static bool val_throw(val_fn *f, uint32_t x)
{
	const mod_functype *t = val_tag(f, x);
	return t && val_pop_n(f, t->vts, t->nparams) && val_unreachable(f);
}

/* Do the values a catch clause delivers (the tag's payload, then the
 * exnref for the _ref forms) match what label c takes? */
static bool val_catch_types(val_fn *f, const dec_catch *k, const val_ctl *c)
{
	const mod_functype *t = NULL;
	uint32_t n, have = 0;
	const mod_vt *want = val_labels(c, &n);

	if (k->kind <= CATCH_TAG_REF) {
		if (!(t = val_tag(f, k->tag)))
			return false;
		have = t->nparams;
	}
	bool ref = k->kind == CATCH_TAG_REF || k->kind == CATCH_ALL_REF;
	if (n != have + ref)
		return val_err(f, "type mismatch");
	for (uint32_t i = 0; i < have; i++)
		if (!val_sub(f, t->vts[i], want[i]))
			return val_err(f, "type mismatch");
	if (ref && !val_sub(f, vt_ref(HT_EXN, 0, false), want[have]))
		return val_err(f, "type mismatch");
	return true;
}

/* try_table: each catch clause names a label outside the try_table; then
 * the body is a block. */
static bool val_try_table(val_fn *f, dec_instr *in)
{
	dec_catch k;
	val_ctl t, *c;

	for (uint32_t i = 0; i < in->a; i++) {
		if (!dec_catch_next(in, &k) || !(c = val_label(f, k.label)) ||
		    !val_catch_types(f, &k, c))
			return false;
	}
	if (!val_blocktype(f, in, &t))
		return false;
	return val_pop_n(f, t.params, t.nparams) && val_push_ctl(f, &t, OP_TRY_TABLE);
}

/* Legacy catch x and catch_all: close the try body (or the previous catch)
 * and open a catch block, which starts with the tag's payload. */
static bool val_catch(val_fn *f, const dec_instr *in)
{
	val_ctl c;
	const mod_functype *t = NULL;
	uint16_t top = f->ctls[f->nctls - 1].op;

	if (top != OP_TRY && top != OP_CATCH)
		return val_err(f, "catch without a matching try");
	if (in->op == OP_CATCH && !(t = val_tag(f, in->a)))
		return false;
	if (!val_pop_ctl(f, &c))
		return false;
	c.params = t ? t->vts : NULL;
	c.nparams = t ? t->nparams : 0;
	return val_push_ctl(f, &c, in->op);
}

/* Legacy delegate l: ends a try that has no catch; l names a label
 * outside it. */
static bool val_delegate(val_fn *f, const dec_instr *in)
{
	val_ctl c;

	if (f->ctls[f->nctls - 1].op != OP_TRY)
		return val_err(f, "delegate without a matching try");
	if (!val_pop_ctl(f, &c) || !val_label(f, in->a))
		return false;
	return val_push_n(f, val_results(&c), c.nresults);
}

/* Legacy rethrow l: l must be a catch block. */
static bool val_rethrow(val_fn *f, const dec_instr *in)
{
	val_ctl *c = val_label(f, in->a);

	if (!c)
		return false;
	if (c->op != OP_CATCH && c->op != OP_CATCH_ALL)
		return val_err(f, "invalid rethrow label");
	return val_unreachable(f);
}

/* ---- parametric, variable and reference instructions ---- */

/* select: two operands of one type, numeric or vector unless typed. */
static bool val_select(val_fn *f, const dec_instr *in)
{
	mod_vt t1, t2;

	if (in->op == OP_SELECT_T) {
		if (in->a != 1)
			return val_err(f, "invalid result arity");
		return val_vt(f, in->vt) && val_pop(f, WR_I32, NULL) && val_pop(f, in->vt, NULL) &&
		       val_pop(f, in->vt, NULL) && val_push(f, in->vt);
	}
	if (!val_pop(f, WR_I32, NULL) || !val_pop(f, VAL_ANY, &t1) || !val_pop(f, VAL_ANY, &t2))
		return false;
	if (vt_is_ref(t1) || vt_is_ref(t2))
		return val_err(f, "type mismatch");
	if (t1 != t2 && t1 != VAL_ANY && t2 != VAL_ANY)
		return val_err(f, "type mismatch");
	return val_push(f, t1 == VAL_ANY ? t2 : t1);
}

/* local.get reads only a set (or defaultable) local; local.set and
 * local.tee set it until the end of the block. */
static bool val_local(val_fn *f, const dec_instr *in)
{
	mod_vt t;

	if (in->a >= f->nlocals)
		return val_unknown(f, "local", in->a);
	t = f->locals[in->a];
	if (in->op == OP_LOCAL_GET)
		return f->linit[in->a] ? val_push(f, t) : val_err(f, "uninitialized local");
	if (!val_pop(f, t, NULL))
		return false;
	if (!f->linit[in->a]) {
		if (!val_reserve(f, (void **)&f->inits, &f->cap_inits, f->ninits, 1, sizeof(*f->inits)))
			return false;
		f->inits[f->ninits++] = in->a;
		f->linit[in->a] = 1;
	}
	return in->op == OP_LOCAL_SET || val_push(f, t);
}

static bool val_global(val_fn *f, const dec_instr *in)
{
	const mod_global *g;

	if (in->a >= f->m->nglobals)
		return val_unknown(f, "global", in->a);
	g = &f->m->globals[in->a];
	if (in->op == OP_GLOBAL_GET)
		return val_push(f, g->vt);
	if (!g->mut)
		return val_err(f, "immutable global");
	return val_pop(f, g->vt, NULL);
}

/* The element type of table x, or 0 after reporting an unknown table. */
static mod_vt val_table(val_fn *f, uint32_t x)
{
	if (x >= f->m->ntables) {
		val_unknown(f, "table", x);
		return 0;
	}
	return f->m->tables[x].vt;
}

/* table.get/set/size/grow/fill; t is the table's element type, x the
 * type of its indices and sizes (i64 for a 64-bit table). */
static bool val_table_op(val_fn *f, const dec_instr *in)
{
	mod_vt t = val_table(f, in->b), x;

	if (!t)
		return false;
	x = val_tab_at(f->m, in->b);
	switch (in->op) {
	case OP_TABLE_GET:
		return val_pop(f, x, NULL) && val_push(f, t);
	case OP_TABLE_SET:
		return val_pop(f, t, NULL) && val_pop(f, x, NULL);
	case OP_TABLE_SIZE:
		return val_push(f, x);
	case OP_TABLE_GROW:
		return val_pop(f, x, NULL) && val_pop(f, t, NULL) && val_push(f, x);
	default: /* OP_TABLE_FILL */
		return val_pop(f, x, NULL) && val_pop(f, t, NULL) && val_pop(f, x, NULL);
	}
}

/* table.init (elem a into table b: the destination an index of the table,
 * source and size i32) and table.copy (table b into table a: each index of
 * its table, the size i64 only when both tables are 64-bit): the element
 * source's element type must match the destination's. */
static bool val_table_bulk(val_fn *f, const dec_instr *in)
{
	mod_vt dst, src, ops[3] = { WR_I32, WR_I32, WR_I32 };

	if (in->op == OP_TABLE_INIT) {
		if (!(dst = val_table(f, in->b)))
			return false;
		if (in->a >= f->m->nelems)
			return val_unknown(f, "elem segment", in->a);
		src = f->m->elems[in->a].vt;
		ops[0] = val_tab_at(f->m, in->b);
	} else if (!(dst = val_table(f, in->a)) || !(src = val_table(f, in->b))) {
		return false;
	} else {
		ops[0] = val_tab_at(f->m, in->a);
		ops[1] = val_tab_at(f->m, in->b);
		ops[2] = ops[0] == WR_I64 && ops[1] == WR_I64 ? WR_I64 : WR_I32;
	}
	if (!val_sub(f, src, dst))
		return val_err(f, "type mismatch");
	return val_pop_n(f, ops, 3);
}

/* The type of ref.func x: (ref $t), t the function's type. */
static mod_vt val_func_ref(const wr_module *m, uint32_t x)
{
	return vt_ref(VT_HT_IDX, m->func_types[x], false);
}

static bool val_ref(val_fn *f, const dec_instr *in)
{
	mod_vt t;

	switch (in->op) {
	case OP_REF_NULL:
		return val_vt(f, in->vt) && val_push(f, in->vt);
	case OP_REF_IS_NULL:
		return val_pop_ref(f, &t) && val_push(f, WR_I32);
	case OP_REF_AS_NON_NULL:
		if (!val_pop_ref(f, &t))
			return false;
		return val_push(f, t == VAL_ANY ? vt_ref(VT_HT_BOT, 0, false) : t | VT_NONNULL);
	default: /* OP_REF_FUNC */
		if (in->a >= f->m->nfuncs)
			return val_unknown(f, "function", in->a);
		if (!f->m->func_declared[in->a])
			return val_err(f, "undeclared function reference");
		return val_push(f, val_func_ref(f->m, in->a));
	}
}

/* br_on_null: a null reference branches (with the label's values below
 * it), any other stays, non-null. br_on_non_null: a non-null reference
 * branches with it, the label's last value; a null one is dropped. */
static bool val_br_on_null(val_fn *f, const dec_instr *in)
{
	val_ctl *c = val_label(f, in->a);
	const mod_vt *types;
	uint32_t n;
	mod_vt t, nn;

	if (!c || !val_pop_ref(f, &t))
		return false;
	nn = t == VAL_ANY ? vt_ref(VT_HT_BOT, 0, false) : t | VT_NONNULL;
	types = val_labels(c, &n);
	if (in->op == OP_BR_ON_NULL)
		return val_pop_n(f, types, n) && val_push_n(f, types, n) && val_push(f, nn);
	if (n == 0 || !val_push(f, nn))
		return val_err(f, "type mismatch");
	return val_pop_n(f, types, n) && val_push_n(f, types, n - 1);
}

/* ---- GC: references of the any hierarchy, casts ---- */

/* The type a cast's target t leaves when it fails on a source of type src:
 * src, non-null when t admits null. */
static mod_vt val_cast_diff(mod_vt src, mod_vt t)
{
	return vt_nullable(t) ? src | VT_NONNULL : src;
}

/* ref.eq, ref.i31, i31.get_s/u, any.convert_extern, extern.convert_any. */
static bool val_gc_ref(val_fn *f, const dec_instr *in)
{
	mod_vt t;

	switch (in->op) {
	case OP_REF_EQ:
		return val_pop(f, vt_ref(HT_EQ, 0, true), NULL) &&
		       val_pop(f, vt_ref(HT_EQ, 0, true), NULL) && val_push(f, WR_I32);
	case OP_REF_I31:
		return val_pop(f, WR_I32, NULL) && val_push(f, vt_ref(HT_I31, 0, false));
	case OP_I31_GET_S: case OP_I31_GET_U:
		return val_pop(f, vt_ref(HT_I31, 0, true), NULL) && val_push(f, WR_I32);
	case OP_ANY_CONVERT_EXTERN:
		return val_pop(f, vt_ref(HT_EXTERN, 0, true), &t) &&
		       val_push(f, vt_ref(HT_ANY, 0, t != VAL_ANY && vt_nullable(t)));
	default: /* OP_EXTERN_CONVERT_ANY */
		return val_pop(f, vt_ref(HT_ANY, 0, true), &t) &&
		       val_push(f, vt_ref(HT_EXTERN, 0, t != VAL_ANY && vt_nullable(t)));
	}
}

/* ref.test and ref.cast: the operand is of the target's hierarchy. */
static bool val_cast(val_fn *f, const dec_instr *in)
{
	mod_vt t = in->vt;

	if (!val_vt(f, t) || !val_pop(f, vt_ref(vt_top(t), 0, true), NULL))
		return false;
	if (in->op == OP_REF_TEST || in->op == OP_REF_TEST_NULL)
		return val_push(f, WR_I32);
	return val_push(f, t);
}

/* br_on_cast (br_on_cast_fail): the operand, of the source type, branches
 * when it is (is not) of the target type, which must be below the source;
 * else it stays, with the type the cast leaves (the target's). */
static bool val_br_on_cast(val_fn *f, const dec_instr *in)
{
	val_ctl *c = val_label(f, in->a);
	mod_vt src = (mod_vt)in->imm, t = in->vt, diff = val_cast_diff(src, t);
	bool on_cast = in->op == OP_BR_ON_CAST;
	const mod_vt *types;
	uint32_t n;

	if (!c || !val_vt(f, src) || !val_vt(f, t))
		return false;
	if (!val_sub(f, t, src))
		return val_err(f, "type mismatch");
	if (!val_pop(f, src, NULL))
		return false;
	types = val_labels(c, &n);
	if (n == 0 || !val_push(f, on_cast ? t : diff))
		return val_err(f, "type mismatch");
	return val_pop_n(f, types, n) && val_push_n(f, types, n - 1) &&
	       val_push(f, on_cast ? diff : t);
}

/* ---- GC: structs and arrays ---- */

static bool vt_packed(mod_vt t) { return t == PT_I8 || t == PT_I16; }
/* A storage type as an operand: a packed one is an i32. */
static mod_vt val_unpacked(mod_vt t) { return vt_packed(t) ? WR_I32 : t; }

/* Type index x must name a type of the given form; *t gets it. */
static bool val_gc_type(val_fn *f, uint32_t x, uint8_t form, const mod_functype **t)
{
	if (x >= f->m->ntypes)
		return val_unknown(f, "type", x);
	*t = &f->m->types[x];
	return (*t)->form == form || val_err(f, "type mismatch");
}

/* (ref null? x) for type index x of a struct or array type. */
static mod_vt val_obj_ref(const val_fn *f, uint32_t x, bool nullable)
{
	return vt_ref(vt_form_code(f->m->types[x].form), 0, nullable) | x << VT_IDX_SHIFT;
}

/* struct.new, struct.new_default, struct.get(_s/_u), struct.set. */
static bool val_struct(val_fn *f, const dec_instr *in)
{
	const mod_functype *t;
	mod_vt ft;

	if (!val_gc_type(f, in->a, FORM_STRUCT, &t))
		return false;
	if (in->op == OP_STRUCT_NEW || in->op == OP_STRUCT_NEW_DEFAULT) {
		for (uint32_t i = t->nparams; i-- > 0;) {
			if (in->op == OP_STRUCT_NEW ? !val_pop(f, val_unpacked(t->vts[i]), NULL)
			                            : !vt_defaultable(t->vts[i]))
				return in->op == OP_STRUCT_NEW ? false : val_err(f, "type mismatch");
		}
		return val_push(f, val_obj_ref(f, in->a, false));
	}
	if (in->b >= t->nparams)
		return val_unknown(f, "field", in->b);
	ft = t->vts[in->b];
	if (in->op == OP_STRUCT_SET) {
		if (!t->muts[in->b])
			return val_err(f, "field is immutable");
		return val_pop(f, val_unpacked(ft), NULL) &&
		       val_pop(f, val_obj_ref(f, in->a, true), NULL);
	}
	if (vt_packed(ft) != (in->op != OP_STRUCT_GET))
		return val_err(f, "type mismatch");
	return val_pop(f, val_obj_ref(f, in->a, true), NULL) && val_push(f, val_unpacked(ft));
}

/* The checks of a segment an array instruction reads: a data segment for
 * a numeric or vector element type, an element segment of a subtype. */
static bool val_array_seg(val_fn *f, const dec_instr *in, mod_vt et)
{
	bool data = in->op == OP_ARRAY_NEW_DATA || in->op == OP_ARRAY_INIT_DATA;

	if (data) {
		if (vt_is_ref(et) && !vt_packed(et))
			return val_err(f, "array type is not numeric or vector");
		return in->b < f->m->ndatas || val_unknown(f, "data segment", in->b);
	}
	if (in->b >= f->m->nelems)
		return val_unknown(f, "elem segment", in->b);
	return (!vt_packed(et) && val_sub(f, f->m->elems[in->b].vt, et)) ||
	       val_err(f, "type mismatch");
}

static bool val_pop_i32s(val_fn *f, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (!val_pop(f, WR_I32, NULL))
			return false;
	return true;
}

/* array.new*, which make an array of type a. */
static bool val_array_new(val_fn *f, const dec_instr *in, const mod_functype *t)
{
	mod_vt et = t->vts[0];

	switch (in->op) {
	case OP_ARRAY_NEW:
		if (!val_pop(f, WR_I32, NULL) || !val_pop(f, val_unpacked(et), NULL))
			return false;
		break;
	case OP_ARRAY_NEW_DEFAULT:
		if (!vt_defaultable(et))
			return val_err(f, "type mismatch");
		if (!val_pop(f, WR_I32, NULL))
			return false;
		break;
	case OP_ARRAY_NEW_FIXED:
		for (uint32_t i = 0; i < in->b; i++)
			if (!val_pop(f, val_unpacked(et), NULL))
				return false;
		break;
	default: /* new_data, new_elem */
		if (!val_array_seg(f, in, et) || !val_pop_i32s(f, 2))
			return false;
	}
	return val_push(f, val_obj_ref(f, in->a, false));
}

/* array.copy: a mutable destination, a source whose elements fit. */
static bool val_array_copy(val_fn *f, const dec_instr *in, const mod_functype *t)
{
	const mod_functype *u;

	if (!val_gc_type(f, in->b, FORM_ARRAY, &u))
		return false;
	if (!t->muts[0])
		return val_err(f, "array is immutable");
	if (vt_packed(t->vts[0]) || vt_packed(u->vts[0]) ? t->vts[0] != u->vts[0]
	                                                 : !val_sub(f, u->vts[0], t->vts[0]))
		return val_err(f, "array types do not match");
	return val_pop_i32s(f, 1) && val_pop(f, WR_I32, NULL) &&
	       val_pop(f, val_obj_ref(f, in->b, true), NULL) && val_pop(f, WR_I32, NULL) &&
	       val_pop(f, val_obj_ref(f, in->a, true), NULL);
}

/* The array instructions but array.len. */
static bool val_array(val_fn *f, const dec_instr *in)
{
	const mod_functype *t;
	mod_vt et, ref;

	if (!val_gc_type(f, in->a, FORM_ARRAY, &t))
		return false;
	et = t->vts[0];
	ref = val_obj_ref(f, in->a, true);
	switch (in->op) {
	case OP_ARRAY_GET: case OP_ARRAY_GET_S: case OP_ARRAY_GET_U:
		if (vt_packed(et) != (in->op != OP_ARRAY_GET))
			return val_err(f, "type mismatch");
		return val_pop(f, WR_I32, NULL) && val_pop(f, ref, NULL) &&
		       val_push(f, val_unpacked(et));
	case OP_ARRAY_COPY:
		return val_array_copy(f, in, t);
	case OP_ARRAY_SET: case OP_ARRAY_FILL: case OP_ARRAY_INIT_DATA: case OP_ARRAY_INIT_ELEM:
		if (!t->muts[0])
			return val_err(f, "array is immutable");
		break;
	default:
		return val_array_new(f, in, t);
	}
	switch (in->op) {
	case OP_ARRAY_SET:
		return val_pop(f, val_unpacked(et), NULL) && val_pop(f, WR_I32, NULL) &&
		       val_pop(f, ref, NULL);
	case OP_ARRAY_FILL:
		return val_pop(f, WR_I32, NULL) && val_pop(f, val_unpacked(et), NULL) &&
		       val_pop(f, WR_I32, NULL) && val_pop(f, ref, NULL);
	default: /* init_data, init_elem */
		return val_array_seg(f, in, et) && val_pop_i32s(f, 3) && val_pop(f, ref, NULL);
	}
}

/* ---- instructions with a fixed signature ---- */

static mod_vt val_sigtype(char c)
{
	switch (c) {
	case 'i': return WR_I32;
	case 'I': return WR_I64;
	case 'f': return WR_F32;
	case 'F': return WR_F64;
	default: return WR_V128; /* 'V' */
	}
}

/* Apply a "params:results" signature from the opcode table. */
static bool val_sig(val_fn *f, const char *sig)
{
	const char *colon = strchr(sig, ':');

	for (const char *p = colon; p > sig;)
		if (!val_pop(f, val_sigtype(*--p), NULL))
			return false;
	for (const char *p = colon + 1; *p; p++)
		if (!val_push(f, val_sigtype(*p)))
			return false;
	return true;
}

/* SIMD lane immediates: a lane index below the lane count (16 >> align,
 * see opcodes.h), and shuffle indices below 32 (lanes of both operands). */
static bool val_lanes(val_fn *f, const dec_instr *in, const op_info *oi)
{
	if ((oi->imm == IMM_LANE || oi->imm == IMM_MEMARG_LANE) && in->b >= (16u >> oi->align))
		return val_err(f, "invalid lane index");
	if (oi->imm == IMM_SHUFFLE)
		for (int i = 0; i < 16; i++)
			if (in->v128[i] >= 32)
				return val_err(f, "invalid lane index");
	return true;
}

/* Does instruction kind imm name a memory (in mem, and memory.copy's
 * source in b)? */
static bool val_is_memop(uint8_t imm)
{
	return imm == IMM_MEMARG || imm == IMM_MEMARG_LANE || imm == IMM_MEMIDX ||
	       imm == IMM_MEMORY_COPY || imm == IMM_MEMORY_INIT;
}

/* The index immediates every instruction of a kind shares: data and elem
 * segments, lanes (memories: val_mem_imm). */
static bool val_imm(val_fn *f, const dec_instr *in, const op_info *oi)
{
	const wr_module *m = f->m;
	uint8_t imm = oi->imm;

	if ((imm == IMM_MEMORY_INIT || imm == IMM_DATA) && in->a >= m->ndatas)
		return val_unknown(f, "data segment", in->a);
	if (imm == IMM_ELEM && in->a >= m->nelems)
		return val_unknown(f, "elem segment", in->a);
	return val_lanes(f, in, oi);
}

/*
 * The signature of memory instruction in, its memory's address type put
 * in (i64 for memory64): the address of a load or store, memory.size's
 * result, grow's operand and result, fill's destination and size, init's
 * destination; copy's destination and source each take their memory's,
 * its size i64 only when both are 64-bit. buf holds a rewritten one.
 */
static const char *val_mem_sig(const wr_module *m, const dec_instr *in, const char *sig,
			       char buf[8])
{
	bool d64 = m->mems[in->mem].limits.addr64;
	bool s64 = in->op == OP_MEMORY_COPY && m->mems[in->b].limits.addr64;

	if (!d64 && !s64)
		return sig;
	snprintf(buf, 8, "%s", sig);
	switch (in->op) {
	case OP_MEMORY_SIZE: buf[1] = 'I'; break;
	case OP_MEMORY_GROW: case OP_MEMORY_FILL: buf[0] = buf[2] = 'I'; break;
	case OP_MEMORY_COPY:
		buf[0] = d64 ? 'I' : 'i';
		buf[1] = s64 ? 'I' : 'i';
		buf[2] = d64 && s64 ? 'I' : 'i';
		break;
	default: buf[0] = 'I'; break; /* loads, stores and memory.init */
	}
	return buf;
}

/* A memory instruction's memories (two for memory.copy), a memarg's
 * natural alignment and offset range (below 2^32 for a 32-bit memory);
 * *sig becomes its signature with the memory's address type put in (in
 * buf). Out of line, so that the path of every other instruction stays as
 * short as it was. */
__attribute__((noinline))
static bool val_mem_imm(val_fn *f, const dec_instr *in, const op_info *oi, const char **sig,
			char buf[8])
{
	const wr_module *m = f->m;
	bool memarg = oi->imm == IMM_MEMARG || oi->imm == IMM_MEMARG_LANE;

	if (in->mem >= m->nmems)
		return val_unknown(f, "memory", in->mem);
	if (oi->imm == IMM_MEMORY_COPY && in->b >= m->nmems)
		return val_unknown(f, "memory", in->b);
	if (memarg && in->a > oi->align)
		return val_err(f, "alignment must not be larger than natural");
	if (memarg && !m->mems[in->mem].limits.addr64 && in->imm > UINT32_MAX)
		return val_err(f, "offset out of range");
	*sig = val_mem_sig(m, in, *sig, buf);
	return true;
}

/* Type one instruction: the opcode table's signature, else by hand. */
static bool val_instr(val_fn *f, dec_instr *in)
{
	const op_info *oi = &op_infos[in->op];
	const char *sig = oi->sig;
	char buf[8];

	if (val_is_memop(oi->imm) && !val_mem_imm(f, in, oi, &sig, buf))
		return false;
	if (!val_imm(f, in, oi))
		return false;
	if (sig)
		return val_sig(f, sig);
	switch (in->op) {
	case OP_UNREACHABLE: return val_unreachable(f);
	case OP_NOP: return true;
	case OP_BLOCK: case OP_LOOP: case OP_IF: return val_block(f, in);
	case OP_ELSE: return val_else(f);
	case OP_END: return val_end(f);
	case OP_BR: case OP_BR_IF: return val_br(f, in);
	case OP_BR_TABLE: return val_br_table(f, in);
	case OP_RETURN: return val_return(f);
	case OP_CALL: return val_call(f, in->a);
	case OP_CALL_INDIRECT: return val_call_indirect(f, in);
	case OP_CALL_REF: case OP_RETURN_CALL_REF: return val_call_ref(f, in);
	case OP_RETURN_CALL: case OP_RETURN_CALL_INDIRECT: return val_tail_call(f, in);
	case OP_DROP: return val_pop(f, VAL_ANY, NULL);
	case OP_SELECT: case OP_SELECT_T: return val_select(f, in);
	case OP_LOCAL_GET: case OP_LOCAL_SET: case OP_LOCAL_TEE: return val_local(f, in);
	case OP_GLOBAL_GET: case OP_GLOBAL_SET: return val_global(f, in);
	case OP_TABLE_GET: case OP_TABLE_SET: case OP_TABLE_SIZE:
	case OP_TABLE_GROW: case OP_TABLE_FILL: return val_table_op(f, in);
	case OP_TABLE_INIT: case OP_TABLE_COPY: return val_table_bulk(f, in);
	case OP_REF_NULL: case OP_REF_IS_NULL: case OP_REF_FUNC:
	case OP_REF_AS_NON_NULL: return val_ref(f, in);
	case OP_BR_ON_NULL: case OP_BR_ON_NON_NULL: return val_br_on_null(f, in);
	case OP_REF_EQ: case OP_REF_I31: case OP_I31_GET_S: case OP_I31_GET_U:
	case OP_ANY_CONVERT_EXTERN: case OP_EXTERN_CONVERT_ANY: return val_gc_ref(f, in);
	case OP_REF_TEST: case OP_REF_TEST_NULL: case OP_REF_CAST: case OP_REF_CAST_NULL:
		return val_cast(f, in);
	case OP_BR_ON_CAST: case OP_BR_ON_CAST_FAIL: return val_br_on_cast(f, in);
	case OP_STRUCT_NEW: case OP_STRUCT_NEW_DEFAULT: case OP_STRUCT_GET: case OP_STRUCT_GET_S:
	case OP_STRUCT_GET_U: case OP_STRUCT_SET: return val_struct(f, in);
	case OP_ARRAY_LEN:
		return val_pop(f, vt_ref(HT_ARRAY, 0, true), NULL) && val_push(f, WR_I32);
	case OP_ARRAY_NEW: case OP_ARRAY_NEW_DEFAULT: case OP_ARRAY_NEW_FIXED:
	case OP_ARRAY_NEW_DATA: case OP_ARRAY_NEW_ELEM: case OP_ARRAY_GET: case OP_ARRAY_GET_S:
	case OP_ARRAY_GET_U: case OP_ARRAY_SET: case OP_ARRAY_FILL: case OP_ARRAY_COPY:
	case OP_ARRAY_INIT_DATA: case OP_ARRAY_INIT_ELEM: return val_array(f, in);
	case OP_THROW: return val_throw(f, in->a);
	case OP_THROW_REF: return val_pop(f, WR_EXNREF, NULL) && val_unreachable(f);
	case OP_TRY_TABLE: return val_try_table(f, in);
	case OP_TRY: return val_block(f, in);
	case OP_CATCH: case OP_CATCH_ALL: return val_catch(f, in);
	case OP_DELEGATE: return val_delegate(f, in);
	case OP_RETHROW: return val_rethrow(f, in);
	default: return val_err(f, "internal error: instruction without a type rule");
	}
}

/* ---- function bodies ---- */

/* Expand the types of params and declared locals into f->locals. */
/* Expand the types of params and declared locals into f->locals; the
 * params and the defaultable locals start out set (f->linit). */
static bool val_locals(val_fn *f, const mod_functype *t, const mod_code *code)
{
	size_t n = (size_t)t->nparams + code->nlocals, k = t->nparams;
	const mod_localrun *run;

	if (!val_reserve(f, (void **)&f->locals, &f->cap_locals, 0, n + 1, sizeof(*f->locals)) ||
	    !val_reserve(f, (void **)&f->linit, &f->cap_linit, 0, n + 1, 1))
		return false;
	memcpy(f->locals, t->vts, t->nparams * sizeof(*f->locals));
	memset(f->linit, 1, t->nparams);
	for (uint32_t i = 0; i < code->nruns; i++) {
		run = &code->runs[i];
		if (!val_vt(f, run->vt))
			return false;
		for (uint32_t j = 0; j < run->count; j++)
			f->locals[k + j] = run->vt;
		memset(f->linit + k, vt_defaultable(run->vt), run->count);
		k += run->count;
	}
	f->nlocals = (uint32_t)n;
	f->ninits = 0;
	return true;
}

/* Check defined function i (its type index is already known valid). */
static bool val_func(val_fn *f, uint32_t i)
{
	const wr_module *m = f->m;
	const mod_code *code = &m->codes[i];
	val_ctl frame = { 0 };
	dec_reader r;
	dec_instr in;

	f->type = &m->types[m->func_types[m->nfunc_imports + i]];
	f->at = code->body_off;
	f->nvals = f->nctls = 0;
	if (!val_locals(f, f->type, code))
		return false;
	frame.results = f->type->vts + f->type->nparams;
	frame.nresults = f->type->nresults;
	if (!val_push_ctl(f, &frame, OP_NOP))
		return false;
	dec_reader_init(&r, m->bytes, code->body_off, code->body_len, f->diag);
	while (f->nctls > 0) {
		if (!dec_instr_next(&r, &in))
			return false;
		mod_instr_forms(m, &in);
		f->at = in.offset;
		if (!val_instr(f, &in))
			return false;
	}
	return r.p == r.end || val_err(f, "section size mismatch");
}

/* Check every function body (val_module frees the stacks). */
static bool val_codes(val_fn *f)
{
	bool ok = true;

	for (uint32_t i = 0; ok && i < f->m->nfuncs - f->m->nfunc_imports; i++)
		ok = val_func(f, i);
	return ok;
}

/* ---- constant expressions ---- */

/* The type an extended-constant arithmetic instruction works on (i32/i64
 * add, sub, mul), or 0 for any other instruction. */
static uint8_t val_const_arith(uint16_t op)
{
	switch (op) {
	case OP_I32_ADD: case OP_I32_SUB: case OP_I32_MUL: return WR_I32;
	case OP_I64_ADD: case OP_I64_SUB: case OP_I64_MUL: return WR_I64;
	default: return 0;
	}
}

/* One instruction of a constant expression that pushes a value, giving its
 * type. global.get may read an immutable global below `nglobals` (a global
 * initialiser sees the imports and the globals defined before it). */
static bool val_const_instr(val_fn *f, const dec_instr *in, uint32_t nglobals, mod_vt *t)
{
	const wr_module *m = f->m;

	switch (in->op) {
	case OP_I32_CONST: *t = WR_I32; return true;
	case OP_I64_CONST: *t = WR_I64; return true;
	case OP_F32_CONST: *t = WR_F32; return true;
	case OP_F64_CONST: *t = WR_F64; return true;
	case OP_REF_NULL: *t = in->vt; return val_vt(f, in->vt);
	case OP_REF_FUNC:
		if (in->a >= m->nfuncs)
			return val_unknown(f, "function", in->a);
		*t = val_func_ref(m, in->a);
		return true;
	case OP_GLOBAL_GET:
		if (in->a >= nglobals)
			return val_unknown(f, "global", in->a);
		if (m->globals[in->a].mut)
			return val_err(f, "constant expression required");
		*t = m->globals[in->a].vt;
		return true;
	default:
		if (op_infos[in->op].imm == IMM_V128) { /* v128.const */
			*t = WR_V128;
			return true;
		}
		return val_err(f, "constant expression required");
	}
}

/* Pop n operands of types ts[0..n) (unpacked; one type for all when
 * same) from the constant expression stack. */
static bool val_const_pop(val_fn *f, const mod_vt *ts, uint32_t n, bool same)
{
	if (f->nvals < n)
		return val_err(f, "type mismatch");
	for (uint32_t i = 0; i < n; i++)
		if (!val_sub(f, f->vals[f->nvals - n + i], val_unpacked(ts[same ? 0 : i])))
			return val_err(f, "type mismatch");
	f->nvals -= n;
	return true;
}

/* struct.new(_default), array.new(_default, _fixed) in a constant
 * expression; false with no diagnostic for other instructions. */
static bool val_const_gc(val_fn *f, const dec_instr *in, bool *done)
{
	const mod_functype *t;
	static const mod_vt i32 = WR_I32;
	bool arr = in->op != OP_STRUCT_NEW && in->op != OP_STRUCT_NEW_DEFAULT;

	*done = true;
	if (!val_gc_type(f, in->a, arr ? FORM_ARRAY : FORM_STRUCT, &t))
		return false;
	switch (in->op) {
	case OP_STRUCT_NEW:
		if (!val_const_pop(f, t->vts, t->nparams, false))
			return false;
		break;
	case OP_ARRAY_NEW:
		if (!val_const_pop(f, &i32, 1, true) || !val_const_pop(f, t->vts, 1, true))
			return false;
		break;
	case OP_ARRAY_NEW_DEFAULT:
		if (!val_const_pop(f, &i32, 1, true))
			return false;
		break;
	case OP_ARRAY_NEW_FIXED:
		if (!val_const_pop(f, t->vts, in->b, true))
			return false;
		break;
	default:
		break;
	}
	for (uint32_t i = 0; (in->op == OP_STRUCT_NEW_DEFAULT || in->op == OP_ARRAY_NEW_DEFAULT) &&
	                     i < t->nparams; i++)
		if (!vt_defaultable(t->vts[i]))
			return val_err(f, "type mismatch");
	return val_push(f, val_obj_ref(f, in->a, false));
}

/* One instruction of a constant expression, on the type stack f->vals
 * (heap-grown; a constant expression has no control frames). */
static bool val_const_step(val_fn *f, const dec_instr *in, uint32_t nglobals)
{
	mod_vt t = val_const_arith(in->op);
	bool done = false;

	switch (in->op) {
	case OP_STRUCT_NEW: case OP_STRUCT_NEW_DEFAULT: case OP_ARRAY_NEW:
	case OP_ARRAY_NEW_DEFAULT: case OP_ARRAY_NEW_FIXED: {
		bool ok = val_const_gc(f, in, &done);
		if (done)
			return ok;
		break;
	}
	default:
		break;
	}

	if (in->op == OP_REF_I31 || in->op == OP_ANY_CONVERT_EXTERN ||
	    in->op == OP_EXTERN_CONVERT_ANY) { /* GC: constant conversions */
		mod_vt want = in->op == OP_REF_I31 ? WR_I32 :
		              vt_ref(in->op == OP_ANY_CONVERT_EXTERN ? HT_EXTERN : HT_ANY, 0, true);
		if (f->nvals < 1 || !val_sub(f, f->vals[f->nvals - 1], want))
			return val_err(f, "type mismatch");
		t = f->vals[--f->nvals];
		if (in->op == OP_REF_I31)
			return val_push(f, vt_ref(HT_I31, 0, false));
		return val_push(f, vt_ref(in->op == OP_ANY_CONVERT_EXTERN ? HT_ANY : HT_EXTERN, 0,
		                          vt_nullable(t)));
	}

	if (t) { /* [t t] -> [t] */
		if (f->nvals < 2 || f->vals[f->nvals - 1] != t || f->vals[f->nvals - 2] != t)
			return val_err(f, "type mismatch");
		f->nvals--;
		return true;
	}
	return val_const_instr(f, in, nglobals, &t) && val_push(f, t);
}

/* A constant expression must leave exactly one value, of a subtype of want. */
static bool val_const(val_fn *f, const mod_expr *e, mod_vt want, uint32_t nglobals)
{
	dec_reader r;
	dec_instr in;
	bool ok = true;

	f->nvals = 0;
	dec_reader_init(&r, f->m->bytes, e->off, e->len, f->diag);
	while (ok && dec_instr_next(&r, &in) && in.op != OP_END) {
		mod_instr_forms(f->m, &in);
		f->at = in.offset;
		ok = val_const_step(f, &in, nglobals);
	}
	if (ok && !r.failed) {
		f->at = in.offset;
		if (f->nvals != 1 || !val_sub(f, f->vals[0], want))
			ok = val_err(f, "type mismatch");
	} else {
		ok = false;
	}
	f->nvals = 0;
	return ok;
}

/* ---- module-level checks ---- */

/* Limits: min <= max, and both within `range` (a 32-bit memory: 65536
 * pages; a 64-bit one: 2^48, 2^64 bytes). */
static bool val_limits(val_fn *f, const wr_limits *l, uint64_t range, const char *msg)
{
	if (l->min > range || (l->has_max && l->max > range))
		return val_err(f, msg);
	if (l->has_max && l->min > l->max)
		return val_err(f, "size minimum must not be greater than maximum");
	return true;
}

static bool val_table_limits(val_fn *f, const mod_table *t)
{
	if (t->limits.addr64)
		return val_limits(f, &t->limits, UINT64_MAX, "table size must be at most 2^64-1");
	return val_limits(f, &t->limits, UINT32_MAX, "table size must be at most 2^32-1");
}

static bool val_mem_limits(val_fn *f, const mod_memory *mem)
{
	if (mem->limits.addr64)
		return val_limits(f, &mem->limits, MOD_MAX_PAGES64,
				  "memory size must be at most 2^48 pages (16EiB)");
	return val_limits(f, &mem->limits, MOD_MAX_PAGES,
			  "memory size must be at most 65536 pages (4GiB)");
}

/* Is storage type a (field of a subtype) compatible with b (the same field
 * of its supertype): the same mutability, then for an immutable field a
 * subtype, for a mutable one the same type. */
static bool val_field_sub(const val_fn *f, mod_vt a, bool ma, mod_vt b, bool mb)
{
	bool pa = a == PT_I8 || a == PT_I16, pb = b == PT_I8 || b == PT_I16;

	if (ma != mb || pa != pb)
		return false;
	if (pa)
		return a == b;
	return ma ? vt_eq(f->reg, f->canon, a, b) : val_sub(f, a, b);
}

/* Does type t match its declared supertype u (same form, u not final, the
 * definitions related as the GC proposal's subtyping rules say)? */
static bool val_super_ok(const val_fn *f, const mod_functype *t, const mod_functype *u)
{
	if (u->final || t->form != u->form)
		return false;
	if (t->form == FORM_FUNC) {
		if (t->nparams != u->nparams || t->nresults != u->nresults)
			return false;
		for (uint32_t i = 0; i < t->nparams; i++)
			if (!val_sub(f, u->vts[i], t->vts[i]))
				return false;
		for (uint32_t i = t->nparams; i < t->nparams + t->nresults; i++)
			if (!val_sub(f, t->vts[i], u->vts[i]))
				return false;
		return true;
	}
	if (t->nparams < u->nparams || (t->form == FORM_ARRAY && t->nparams != u->nparams))
		return false;
	for (uint32_t i = 0; i < u->nparams; i++)
		if (!val_field_sub(f, t->vts[i], t->muts[i], u->vts[i], u->muts[i]))
			return false;
	return true;
}

/* Type i cannot have type s for its supertype. */
static bool val_sub_type(val_fn *f, uint32_t i, uint32_t s)
{
	char msg[80];
	snprintf(msg, sizeof(msg), "sub type %u does not match super type %u", i, s);
	return val_err(f, msg);
}

/* Every type index a type names is one of its own or an earlier recursion
 * group's, and its declared supertype an earlier type. */
static bool val_type_refs(val_fn *f, const wr_module *m)
{
	const mod_functype *t;

	for (uint32_t i = 0; i < m->ntypes; i++) {
		t = &m->types[i];
		uint32_t all = t->form == FORM_FUNC ? t->nparams + t->nresults : t->nparams;
		for (uint32_t k = 0; k < all; k++)
			if (!val_vt_ok(f, t->vts[k], t->rec + t->rec_len))
				return false;
		if (t->super != TY_NO_SUPER && t->super >= i)
			return t->super >= m->ntypes ? val_unknown(f, "type", t->super)
			                             : val_sub_type(f, i, t->super);
	}
	return true;
}

/* The type section: references checked (val_type_refs); then each group
 * gets its canonical indices (m->type_canon), in order, so a group's
 * references to earlier types are canonical already when it is interned;
 * then each type is checked against its declared supertype. The registry
 * stays for the functions' subtyping (f->reg). */
static bool val_types(val_fn *f, wr_module *m)
{
	bool ok = true;

	f->at = 0;
	if (!val_type_refs(f, m))
		return false;
	free(m->type_canon);
	m->type_canon = malloc((m->ntypes ? m->ntypes : 1) * sizeof(*m->type_canon));
	if (!m->type_canon || !(f->reg = ty_registry_new()))
		return val_err(f, "out of memory");
	for (uint32_t i = 0; ok && i < m->ntypes; i += m->types[i].rec_len)
		ok = ty_intern_group(f->reg, m, i, m->types[i].rec_len, m->type_canon);
	f->canon = m->type_canon;
	if (!ok)
		return val_err(f, "out of memory");
	for (uint32_t i = 0; i < m->ntypes; i++) {
		const mod_functype *t = &m->types[i];
		if (t->super != TY_NO_SUPER && !val_super_ok(f, t, &m->types[t->super]))
			return val_sub_type(f, i, t->super);
	}
	return true;
}

/* A tag's type: a function type with no results. */
static bool val_tag_type(val_fn *f, const mod_tag *t)
{
	if (!val_functype(f, t->type))
		return false;
	if (f->m->types[t->type].nresults)
		return val_err(f, "non-empty tag result type");
	return true;
}

/* Imports, in order: function types, table and memory limits, global
 * and tag types. */
static bool val_imports(val_fn *f)
{
	const wr_module *m = f->m;
	const mod_import *im;

	for (uint32_t i = 0; i < m->nimports; i++) {
		im = &m->imports[i];
		f->at = 0;
		if (im->kind == WR_EXTERN_FUNC && !val_functype(f, m->func_types[im->index]))
			return false;
		if (im->kind == WR_EXTERN_TABLE && (!val_vt(f, m->tables[im->index].vt) ||
		                                    !val_table_limits(f, &m->tables[im->index])))
			return false;
		if (im->kind == WR_EXTERN_MEMORY && !val_mem_limits(f, &m->mems[im->index]))
			return false;
		if (im->kind == WR_EXTERN_GLOBAL && !val_vt(f, m->globals[im->index].vt))
			return false;
		if (im->kind == WR_EXTERN_TAG && !val_tag_type(f, &m->tags[im->index]))
			return false;
	}
	return true;
}

/* A defined table: its element type, limits, and initialiser, which sees
 * the imported globals; without one the element type must have null as
 * its default. */
static bool val_table_def(val_fn *f, const mod_table *t)
{
	if (!val_vt(f, t->vt) || !val_table_limits(f, t))
		return false;
	if (t->has_init)
		return val_const(f, &t->init, t->vt, f->m->nglobal_imports);
	return vt_nullable(t->vt) || val_err(f, "type mismatch");
}

/* Definitions: function types, global initialisers, tables and memory
 * limits. */
static bool val_defs(val_fn *f)
{
	const wr_module *m = f->m;

	for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
		f->at = m->codes[i - m->nfunc_imports].pos;
		if (!val_functype(f, m->func_types[i]))
			return false;
	}
	f->at = 0;
	for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++)
		if (!val_vt(f, m->globals[i].vt) || !val_const(f, &m->globals[i].init, m->globals[i].vt, i))
			return false;
	for (uint32_t i = m->ntable_imports; i < m->ntables; i++)
		if (!val_table_def(f, &m->tables[i]))
			return false;
	for (uint32_t i = m->nmem_imports; i < m->nmems; i++)
		if (!val_mem_limits(f, &m->mems[i]))
			return false;
	for (uint32_t i = m->ntag_imports; i < m->ntags; i++)
		if (!val_tag_type(f, &m->tags[i]))
			return false;
	return true;
}

/* An element segment: its elements, then (active) its table and offset. */
static bool val_elem(val_fn *f, const mod_elem *e)
{
	const wr_module *m = f->m;

	f->at = e->pos;
	if (!val_vt(f, e->vt))
		return false;
	for (uint32_t i = 0; e->funcs && i < e->count; i++)
		if (e->funcs[i] >= m->nfuncs)
			return val_unknown(f, "function", e->funcs[i]);
	for (uint32_t i = 0; e->exprs && i < e->count; i++)
		if (!val_const(f, &e->exprs[i], e->vt, m->nglobals))
			return false;
	if (e->mode != SEG_ACTIVE)
		return true;
	f->at = e->pos;
	if (e->table >= m->ntables)
		return val_unknown(f, "table", e->table);
	if (!val_sub(f, e->vt, m->tables[e->table].vt))
		return val_err(f, "type mismatch");
	return val_const(f, &e->offset, val_tab_at(m, e->table), m->nglobals);
}

static bool val_segments(val_fn *f)
{
	const wr_module *m = f->m;
	const mod_data *d;

	for (uint32_t i = 0; i < m->nelems; i++)
		if (!val_elem(f, &m->elems[i]))
			return false;
	for (uint32_t i = 0; i < m->ndatas; i++) {
		d = &m->datas[i];
		f->at = d->pos;
		if (d->mode != SEG_ACTIVE)
			continue;
		if (d->memory >= m->nmems)
			return val_unknown(f, "memory", d->memory);
		if (!val_const(f, &d->offset, val_mem_at(m, d->memory), m->nglobals))
			return false;
	}
	return true;
}

static bool val_start(val_fn *f)
{
	const wr_module *m = f->m;
	const mod_functype *t;

	if (!m->has_start)
		return true;
	f->at = 0;
	if (m->start >= m->nfuncs)
		return val_unknown(f, "function", m->start);
	t = &m->types[m->func_types[m->start]];
	if (t->nparams || t->nresults)
		return val_err(f, "start function must have type [] -> []");
	return true;
}

/* Order exports by name, for the duplicate check. */
static int val_cmp_export(const void *a, const void *b)
{
	const mod_export *x = *(const mod_export *const *)a, *y = *(const mod_export *const *)b;
	if (x->name_len != y->name_len)
		return x->name_len < y->name_len ? -1 : 1;
	return memcmp(x->name, y->name, x->name_len);
}

/* Export names must be unique: sort pointers to them and compare
 * neighbours. */
static bool val_export_names(val_fn *f)
{
	const wr_module *m = f->m;
	const mod_export **v;
	bool ok = true;

	if (m->nexports < 2)
		return true;
	if (!(v = malloc(m->nexports * sizeof(*v))))
		return val_err(f, "out of memory");
	for (uint32_t i = 0; i < m->nexports; i++)
		v[i] = &m->exports[i];
	qsort(v, m->nexports, sizeof(*v), val_cmp_export);
	for (uint32_t i = 1; ok && i < m->nexports; i++)
		if (!val_cmp_export(&v[i - 1], &v[i]))
			ok = val_err(f, "duplicate export name");
	free(v);
	return ok;
}

static bool val_exports(val_fn *f)
{
	static const char *const what[5] = { "function", "table", "memory", "global", "tag" };
	const uint32_t limits[5] = { f->m->nfuncs, f->m->ntables, f->m->nmems, f->m->nglobals,
	                             f->m->ntags };
	const wr_module *m = f->m;
	const mod_export *e;

	f->at = 0;
	for (uint32_t i = 0; i < m->nexports; i++) {
		e = &m->exports[i];
		if (e->index >= limits[e->kind])
			return val_unknown(f, what[e->kind], e->index);
	}
	return val_export_names(f);
}

/* ---- declared function references ---- */

/* Mark the functions a constant expression names with ref.func. */
static void val_declare_expr(wr_module *m, const mod_expr *e)
{
	dec_reader r;
	dec_instr in;

	dec_reader_init(&r, m->bytes, e->off, e->len, NULL);
	while (dec_instr_next(&r, &in) && in.op != OP_END)
		if (in.op == OP_REF_FUNC && in.a < m->nfuncs)
			m->func_declared[in.a] = true;
}

/* m->func_declared: the functions named outside function bodies (globals,
 * element segments, exports), the only ones ref.func may take in a body. */
static bool val_declare(val_fn *f, wr_module *m)
{
	const mod_elem *e;

	free(m->func_declared);
	if (!(m->func_declared = calloc(m->nfuncs ? m->nfuncs : 1, sizeof(bool))))
		return val_err(f, "out of memory");
	for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++)
		val_declare_expr(m, &m->globals[i].init);
	for (uint32_t i = m->ntable_imports; i < m->ntables; i++)
		if (m->tables[i].has_init)
			val_declare_expr(m, &m->tables[i].init);
	for (uint32_t i = 0; i < m->nelems; i++) {
		e = &m->elems[i];
		for (uint32_t k = 0; k < e->count; k++) {
			if (e->funcs && e->funcs[k] < m->nfuncs)
				m->func_declared[e->funcs[k]] = true;
			if (e->exprs)
				val_declare_expr(m, &e->exprs[k]);
		}
	}
	for (uint32_t i = 0; i < m->nexports; i++)
		if (m->exports[i].kind == WR_EXTERN_FUNC && m->exports[i].index < m->nfuncs)
			m->func_declared[m->exports[i].index] = true;
	return true;
}

/* Validate the module, in the order the spec's validator checks it. */
bool val_module(wr_module *m, wr_diag *diag)
{
	val_fn f = { .m = m, .diag = diag };

	if (diag) {
		diag->message[0] = 0;
		diag->offset = 0;
	}
	bool ok = val_declare(&f, m) && val_types(&f, m) && val_imports(&f) && val_defs(&f) &&
		  val_segments(&f) && val_codes(&f) && val_start(&f) && val_exports(&f);

	free(f.vals); /* the stacks serve constant expressions and function bodies */
	free(f.ctls);
	free(f.locals);
	free(f.linit);
	free(f.inits);
	ty_registry_free(f.reg);
	return ok;
}
