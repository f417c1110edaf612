/*
 * validate.c: type-checks a decoded module (WebAssembly 2.0, SIMD
 * included, and the 3.0 features wrun runs: tail calls, exception
 * handling) and produces nothing but m->func_declared.
 *
 * Function bodies are checked with the algorithm of the spec's validation
 * appendix: a stack of operand types, where VAL_ANY stands for the unknown
 * type of the polymorphic stack after unreachable, br, br_table and return,
 * and a stack of control frames. Instructions with a fixed signature in the
 * opcode table are typed from it in one place (val_sig); the rest have a
 * short helper each. Messages use the spec tests' wording, and the offset is
 * that of the offending instruction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"

#define VAL_ANY 0 /* the unknown type */

/* A control frame. A block type of one result keeps it in `one` (results
 * is NULL then); read the types through val_results/val_labels. */
typedef struct val_ctl {
	const uint8_t *params, *results;
	uint32_t nparams, nresults;
	size_t height;       /* operand stack height at entry */
	uint64_t mark;       /* last br_table that checked this label */
	uint16_t op;         /* OP_BLOCK, OP_LOOP, OP_IF, OP_ELSE, OP_TRY_TABLE, OP_TRY,
	                        OP_CATCH, OP_CATCH_ALL; OP_NOP for the function */
	uint8_t one;
	bool unreachable;
} val_ctl;

/* Validation state: the module, and the stacks reused from one function
 * body to the next. */
typedef struct val_fn {
	const wr_module *m;
	wr_diag *diag;
	size_t at;                    /* offset of the instruction being checked */
	const mod_functype *type;     /* of the function being checked */
	uint8_t *vals;
	size_t nvals, cap_vals;
	val_ctl *ctls;
	size_t nctls, cap_ctls;
	uint8_t *locals;              /* types of params then locals */
	uint32_t nlocals;
	size_t cap_locals;
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

static bool val_push_n(val_fn *f, const uint8_t *types, uint32_t n)
{
	if (n == 0)
		return true;
	if (!val_reserve(f, (void **)&f->vals, &f->cap_vals, f->nvals, n, 1))
		return false;
	memcpy(f->vals + f->nvals, types, n);
	f->nvals += n;
	return true;
}

static bool val_push(val_fn *f, uint8_t t)
{
	return val_push_n(f, &t, 1);
}

/* Pop one operand that must have type `want` (VAL_ANY: any type). Below the
 * current frame's base, an unreachable frame yields VAL_ANY. */
static bool val_pop(val_fn *f, uint8_t want, uint8_t *got)
{
	val_ctl *c = &f->ctls[f->nctls - 1];
	uint8_t t = VAL_ANY;

	if (f->nvals > c->height)
		t = f->vals[--f->nvals];
	else if (!c->unreachable)
		return val_err(f, "type mismatch");
	if (!mod_subtype(t, want) && t != VAL_ANY && want != VAL_ANY)
		return val_err(f, "type mismatch");
	if (got)
		*got = t;
	return true;
}

/* The text-format name of a value type. */
static const char *val_type_name(uint8_t t)
{
	switch (t) {
	case WR_I32: return "i32";
	case WR_I64: return "i64";
	case WR_F32: return "f32";
	case WR_F64: return "f64";
	case WR_V128: return "v128";
	case WR_FUNCREF: return "funcref";
	case WR_EXTERNREF: return "externref";
	case WR_EXNREF: return "exnref";
	case WR_NULLEXNREF: return "nullexnref";
	default: return "?";
	}
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

/* Append "[t1 t2 ...]" for n types to buf. */
static void val_fmt_types(char *buf, size_t size, size_t *pos, const uint8_t *types, size_t n)
{
	val_cat(buf, size, pos, "[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			val_cat(buf, size, pos, " ");
		val_cat(buf, size, pos, val_type_name(types[i]));
	}
	val_cat(buf, size, pos, "]");
}

/* "type mismatch: <what> requires [want] but stack has [got]", the
 * reference interpreter's wording; got is the top of the current frame,
 * from position `from`. */
static bool val_mismatch(val_fn *f, const char *what, const uint8_t *want, uint32_t n,
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
static bool val_pop_n(val_fn *f, const uint8_t *types, uint32_t n)
{
	const val_ctl *c = &f->ctls[f->nctls - 1];
	size_t avail = f->nvals - c->height;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t want = types[n - 1 - i];
		if (i >= avail ? !c->unreachable
		               : !mod_subtype(f->vals[f->nvals - 1 - i], want) &&
		                 f->vals[f->nvals - 1 - i] != VAL_ANY)
			return val_mismatch(f, "instruction", types, n,
			                    f->nvals - (avail < n ? avail : n));
	}
	f->nvals -= avail < n ? avail : n;
	return true;
}

/* Check that the top of the stack matches types[0..n) without popping
 * (br_table checks one operand sequence against several labels). */
static bool val_peek_n(val_fn *f, const uint8_t *types, uint32_t n)
{
	const val_ctl *c = &f->ctls[f->nctls - 1];
	size_t avail = f->nvals - c->height;
	uint8_t t;

	for (uint32_t i = 0; i < n; i++) {
		if (i >= avail) {
			if (!c->unreachable)
				return val_err(f, "type mismatch");
			return true;
		}
		t = f->vals[f->nvals - 1 - i];
		if (!mod_subtype(t, types[n - 1 - i]) && t != VAL_ANY)
			return val_err(f, "type mismatch");
	}
	return true;
}

static const uint8_t *val_results(const val_ctl *c)
{
	return c->results ? c->results : &c->one;
}

/* The types a branch to frame c carries: a loop's params, else its results. */
static const uint8_t *val_labels(const val_ctl *c, uint32_t *n)
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
	c->mark = 0;
	c->unreachable = false;
	return val_push_n(f, c->params, c->nparams);
}

/* Leave the innermost frame: its results must be exactly what is left. */
static bool val_pop_ctl(val_fn *f, val_ctl *out)
{
	val_ctl *c = &f->ctls[f->nctls - 1];

	if (!val_pop_n(f, val_results(c), c->nresults))
		return false;
	if (f->nvals != c->height) {
		f->nvals += c->nresults; /* show what the block left */
		return val_mismatch(f, "block", val_results(c), c->nresults, c->height);
	}
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
static bool val_blocktype(val_fn *f, int64_t bt, val_ctl *c)
{
	const mod_functype *t;

	memset(c, 0, sizeof(*c));
	if (dec_bt_is_index(bt)) {
		if ((uint64_t)bt >= f->m->ntypes)
			return val_unknown(f, "type", (uint64_t)bt);
		t = &f->m->types[bt];
		c->params = t->types;
		c->nparams = t->nparams;
		c->results = t->types + t->nparams;
		c->nresults = t->nresults;
	} else if (bt != BT_EMPTY) {
		c->one = dec_bt_valtype(bt);
		c->nresults = 1;
	}
	return true;
}

/* block, loop, if: pop the condition (if) and the params, open a frame. */
static bool val_block(val_fn *f, const dec_instr *in)
{
	val_ctl t;

	if (!val_blocktype(f, in->blocktype, &t))
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

/* end: close the frame. An if without else passes its params through the
 * missing branch, so they must equal its results. */
static bool val_end(val_fn *f)
{
	val_ctl c;

	if (!val_pop_ctl(f, &c))
		return false;
	if (c.op == OP_IF && (c.nparams != c.nresults ||
			      (c.nparams && memcmp(c.params, val_results(&c), c.nparams))))
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
	const uint8_t *types;
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
	const uint8_t *types;
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
	return val_pop_n(f, t->types + t->nparams, t->nresults) && val_unreachable(f);
}

/* Pop a function type's params and push its results. */
static bool val_apply(val_fn *f, const mod_functype *t)
{
	return val_pop_n(f, t->types, t->nparams) &&
	       val_push_n(f, t->types + t->nparams, t->nresults);
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
	if (in->a >= m->ntypes)
		return val_unknown(f, "type", in->a);
	if (m->tables[in->b].elem != WR_FUNCREF)
		return val_err(f, "type mismatch: call_indirect needs a table of funcref");
	return val_pop(f, WR_I32, NULL) && val_apply(f, &m->types[in->a]);
}

/* return_call and return_call_indirect (the tail calls): the callee's
 * results must be exactly the caller's; its params are popped and, as
 * after return, the rest of the block is unreachable. */
static bool val_return_call(val_fn *f, const mod_functype *t)
{
	const mod_functype *me = f->type;
	if (t->nresults != me->nresults ||
	    (t->nresults && memcmp(t->types + t->nparams, me->types + me->nparams, t->nresults)))
		return val_err(f, "type mismatch");
	return val_pop_n(f, t->types, t->nparams) && val_unreachable(f);
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
	if (in->a >= m->ntypes)
		return val_unknown(f, "type", in->a);
	if (m->tables[in->b].elem != WR_FUNCREF)
		return val_err(f, "type mismatch: return_call_indirect needs a table of funcref");
	return val_pop(f, WR_I32, NULL) && val_return_call(f, &m->types[in->a]);
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
	return t && val_pop_n(f, t->types, t->nparams) && val_unreachable(f);
}

/* Do the values a catch clause delivers (the tag's payload, then the
 * exnref for the _ref forms) match what label c takes? */
static bool val_catch_types(val_fn *f, const dec_catch *k, const val_ctl *c)
{
	const mod_functype *t = NULL;
	uint32_t n, have = 0;
	const uint8_t *want = val_labels(c, &n);

	if (k->kind <= CATCH_TAG_REF) {
		if (!(t = val_tag(f, k->tag)))
			return false;
		have = t->nparams;
	}
	bool ref = k->kind == CATCH_TAG_REF || k->kind == CATCH_ALL_REF;
	if (n != have + ref)
		return val_err(f, "type mismatch");
	for (uint32_t i = 0; i < have; i++)
		if (!mod_subtype(t->types[i], want[i]))
			return val_err(f, "type mismatch");
	if (ref && !mod_subtype(WR_EXNREF, want[have]))
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
	if (!val_blocktype(f, in->blocktype, &t))
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
	c.params = t ? t->types : NULL;
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
	uint8_t t1, t2;

	if (in->op == OP_SELECT_T) {
		if (in->a != 1)
			return val_err(f, "invalid result arity");
		return val_pop(f, WR_I32, NULL) && val_pop(f, in->valtype, NULL) &&
		       val_pop(f, in->valtype, NULL) && val_push(f, in->valtype);
	}
	if (!val_pop(f, WR_I32, NULL) || !val_pop(f, VAL_ANY, &t1) || !val_pop(f, VAL_ANY, &t2))
		return false;
	if (mod_is_reftype(t1) || mod_is_reftype(t2))
		return val_err(f, "type mismatch");
	if (t1 != t2 && t1 != VAL_ANY && t2 != VAL_ANY)
		return val_err(f, "type mismatch");
	return val_push(f, t1 == VAL_ANY ? t2 : t1);
}

static bool val_local(val_fn *f, const dec_instr *in)
{
	uint8_t t;

	if (in->a >= f->nlocals)
		return val_unknown(f, "local", in->a);
	t = f->locals[in->a];
	if (in->op == OP_LOCAL_GET)
		return val_push(f, t);
	if (!val_pop(f, t, NULL))
		return false;
	return in->op == OP_LOCAL_SET || val_push(f, t);
}

static bool val_global(val_fn *f, const dec_instr *in)
{
	const mod_global *g;

	if (in->a >= f->m->nglobals)
		return val_unknown(f, "global", in->a);
	g = &f->m->globals[in->a];
	if (in->op == OP_GLOBAL_GET)
		return val_push(f, g->type);
	if (!g->mut)
		return val_err(f, "global is immutable");
	return val_pop(f, g->type, NULL);
}

/* The element type of table x, or 0 after reporting an unknown table. */
static uint8_t val_table(val_fn *f, uint32_t x)
{
	if (x >= f->m->ntables) {
		val_unknown(f, "table", x);
		return 0;
	}
	return f->m->tables[x].elem;
}

/* table.get/set/size/grow/fill; t is the table's element type. */
static bool val_table_op(val_fn *f, const dec_instr *in)
{
	uint8_t t = val_table(f, in->b);

	if (!t)
		return false;
	switch (in->op) {
	case OP_TABLE_GET:
		return val_pop(f, WR_I32, NULL) && val_push(f, t);
	case OP_TABLE_SET:
		return val_pop(f, t, NULL) && val_pop(f, WR_I32, NULL);
	case OP_TABLE_SIZE:
		return val_push(f, WR_I32);
	case OP_TABLE_GROW:
		return val_pop(f, WR_I32, NULL) && val_pop(f, t, NULL) && val_push(f, WR_I32);
	default: /* OP_TABLE_FILL */
		return val_pop(f, WR_I32, NULL) && val_pop(f, t, NULL) && val_pop(f, WR_I32, NULL);
	}
}

/* table.init (elem a into table b) and table.copy (table b into table a):
 * the element types must agree. */
static bool val_table_bulk(val_fn *f, const dec_instr *in)
{
	static const uint8_t three[3] = { WR_I32, WR_I32, WR_I32 };
	uint8_t dst, src;

	if (in->op == OP_TABLE_INIT) {
		if (!(dst = val_table(f, in->b)))
			return false;
		if (in->a >= f->m->nelems)
			return val_unknown(f, "elem segment", in->a);
		src = f->m->elems[in->a].type;
	} else if (!(dst = val_table(f, in->a)) || !(src = val_table(f, in->b))) {
		return false;
	}
	if (dst != src)
		return val_err(f, "type mismatch");
	return val_pop_n(f, three, 3);
}

static bool val_ref(val_fn *f, const dec_instr *in)
{
	uint8_t t;

	switch (in->op) {
	case OP_REF_NULL:
		return val_push(f, in->valtype);
	case OP_REF_IS_NULL:
		if (!val_pop(f, VAL_ANY, &t))
			return false;
		if (t != VAL_ANY && !mod_is_reftype(t))
			return val_err(f, "type mismatch");
		return val_push(f, WR_I32);
	default: /* OP_REF_FUNC */
		if (in->a >= f->m->nfuncs)
			return val_unknown(f, "function", in->a);
		if (!f->m->func_declared[in->a])
			return val_err(f, "undeclared function reference");
		return val_push(f, WR_FUNCREF);
	}
}

/* ---- instructions with a fixed signature ---- */

static uint8_t val_sigtype(char c)
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

/* The index immediates every instruction of a kind shares: memory 0 for
 * memory instructions (and natural alignment), data and elem segments. */
static bool val_imm(val_fn *f, const dec_instr *in, const op_info *oi)
{
	const wr_module *m = f->m;
	uint8_t imm = oi->imm;

	/* A memarg's memory index (Wasm 3.0) must name one of the module's memories. */
	if ((imm == IMM_MEMARG || imm == IMM_MEMARG_LANE) && in->mem >= m->nmems)
		return val_unknown(f, "memory", in->mem);
	if ((imm == IMM_MEMARG || imm == IMM_MEMARG_LANE || imm == IMM_MEMIDX ||
	     imm == IMM_MEMORY_COPY || imm == IMM_MEMORY_INIT) && m->nmems == 0)
		return val_unknown(f, "memory", 0);
	if ((imm == IMM_MEMARG || imm == IMM_MEMARG_LANE) && in->a > oi->align)
		return val_err(f, "alignment must not be larger than natural");
	if ((imm == IMM_MEMORY_INIT || imm == IMM_DATA) && in->a >= m->ndatas)
		return val_unknown(f, "data segment", in->a);
	if (imm == IMM_ELEM && in->a >= m->nelems)
		return val_unknown(f, "elem segment", in->a);
	return val_lanes(f, in, oi);
}

/* Type one instruction: the opcode table's signature, else by hand. */
static bool val_instr(val_fn *f, dec_instr *in)
{
	const op_info *oi = &op_infos[in->op];

	if (!val_imm(f, in, oi))
		return false;
	if (oi->sig)
		return val_sig(f, oi->sig);
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
	case OP_RETURN_CALL: case OP_RETURN_CALL_INDIRECT: return val_tail_call(f, in);
	case OP_DROP: return val_pop(f, VAL_ANY, NULL);
	case OP_SELECT: case OP_SELECT_T: return val_select(f, in);
	case OP_LOCAL_GET: case OP_LOCAL_SET: case OP_LOCAL_TEE: return val_local(f, in);
	case OP_GLOBAL_GET: case OP_GLOBAL_SET: return val_global(f, in);
	case OP_TABLE_GET: case OP_TABLE_SET: case OP_TABLE_SIZE:
	case OP_TABLE_GROW: case OP_TABLE_FILL: return val_table_op(f, in);
	case OP_TABLE_INIT: case OP_TABLE_COPY: return val_table_bulk(f, in);
	case OP_REF_NULL: case OP_REF_IS_NULL: case OP_REF_FUNC: return val_ref(f, in);
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
static bool val_locals(val_fn *f, const mod_functype *t, const mod_code *code)
{
	size_t n = (size_t)t->nparams + code->nlocals, k = t->nparams;

	if (!val_reserve(f, (void **)&f->locals, &f->cap_locals, 0, n + 1, 1))
		return false;
	memcpy(f->locals, t->types, t->nparams);
	for (uint32_t i = 0; i < code->nruns; i++) {
		memset(f->locals + k, code->runs[i].type, code->runs[i].count);
		k += code->runs[i].count;
	}
	f->nlocals = (uint32_t)n;
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
	frame.results = f->type->types + f->type->nparams;
	frame.nresults = f->type->nresults;
	if (!val_push_ctl(f, &frame, OP_NOP))
		return false;
	dec_reader_init(&r, m->bytes, code->body_off, code->body_len, f->diag);
	while (f->nctls > 0) {
		if (!dec_instr_next(&r, &in))
			return false;
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
static bool val_const_instr(val_fn *f, const dec_instr *in, uint32_t nglobals, uint8_t *t)
{
	const wr_module *m = f->m;

	switch (in->op) {
	case OP_I32_CONST: *t = WR_I32; return true;
	case OP_I64_CONST: *t = WR_I64; return true;
	case OP_F32_CONST: *t = WR_F32; return true;
	case OP_F64_CONST: *t = WR_F64; return true;
	case OP_REF_NULL: *t = in->valtype; return true;
	case OP_REF_FUNC:
		*t = WR_FUNCREF;
		return in->a < m->nfuncs || val_unknown(f, "function", in->a);
	case OP_GLOBAL_GET:
		if (in->a >= nglobals)
			return val_unknown(f, "global", in->a);
		if (m->globals[in->a].mut)
			return val_err(f, "constant expression required");
		*t = m->globals[in->a].type;
		return true;
	default:
		if (op_infos[in->op].imm == IMM_V128) { /* v128.const */
			*t = WR_V128;
			return true;
		}
		return val_err(f, "constant expression required");
	}
}

/* One instruction of a constant expression, on the type stack f->vals
 * (heap-grown; a constant expression has no control frames). */
static bool val_const_step(val_fn *f, const dec_instr *in, uint32_t nglobals)
{
	uint8_t t = val_const_arith(in->op);

	if (t) { /* [t t] -> [t] */
		if (f->nvals < 2 || f->vals[f->nvals - 1] != t || f->vals[f->nvals - 2] != t)
			return val_err(f, "type mismatch");
		f->nvals--;
		return true;
	}
	return val_const_instr(f, in, nglobals, &t) && val_push(f, t);
}

/* A constant expression must leave exactly one value of type want. */
static bool val_const(val_fn *f, const mod_expr *e, uint8_t want, uint32_t nglobals)
{
	dec_reader r;
	dec_instr in;
	bool ok = true;

	f->nvals = 0;
	dec_reader_init(&r, f->m->bytes, e->off, e->len, f->diag);
	while (ok && dec_instr_next(&r, &in) && in.op != OP_END) {
		f->at = in.offset;
		ok = val_const_step(f, &in, nglobals);
	}
	if (ok && !r.failed) {
		f->at = in.offset;
		if (f->nvals != 1 || !mod_subtype(f->vals[0], want))
			ok = val_err(f, "type mismatch");
	} else {
		ok = false;
	}
	f->nvals = 0;
	return ok;
}

/* ---- module-level checks ---- */

/* Limits: min <= max, and both within `range` (memory: 65536 pages). */
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
	return val_limits(f, &t->limits, UINT32_MAX, "table size must be at most 2^32-1");
}

static bool val_mem_limits(val_fn *f, const mod_memory *mem)
{
	return val_limits(f, &mem->limits, MOD_MAX_PAGES,
			  "memory size must be at most 65536 pages (4GiB)");
}

/* A tag's type: a function type with no results. */
static bool val_tag_type(val_fn *f, const mod_tag *t)
{
	if (t->type >= f->m->ntypes)
		return val_unknown(f, "type", t->type);
	if (f->m->types[t->type].nresults)
		return val_err(f, "non-empty tag result type");
	return true;
}

/* Imports, in order: function types, table and memory limits, tag types. */
static bool val_imports(val_fn *f)
{
	const wr_module *m = f->m;
	const mod_import *im;

	for (uint32_t i = 0; i < m->nimports; i++) {
		im = &m->imports[i];
		f->at = 0;
		if (im->kind == WR_EXTERN_FUNC && m->func_types[im->index] >= m->ntypes)
			return val_unknown(f, "type", m->func_types[im->index]);
		if (im->kind == WR_EXTERN_TABLE && !val_table_limits(f, &m->tables[im->index]))
			return false;
		if (im->kind == WR_EXTERN_MEMORY && !val_mem_limits(f, &m->mems[im->index]))
			return false;
		if (im->kind == WR_EXTERN_TAG && !val_tag_type(f, &m->tags[im->index]))
			return false;
	}
	return true;
}

/* Definitions: function types, global initialisers, table and memory
 * limits. */
static bool val_defs(val_fn *f)
{
	const wr_module *m = f->m;

	for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
		f->at = m->codes[i - m->nfunc_imports].pos;
		if (m->func_types[i] >= m->ntypes)
			return val_unknown(f, "type", m->func_types[i]);
	}
	for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++)
		if (!val_const(f, &m->globals[i].init, m->globals[i].type, i))
			return false;
	for (uint32_t i = m->ntable_imports; i < m->ntables; i++)
		if (!val_table_limits(f, &m->tables[i]))
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
	for (uint32_t i = 0; e->funcs && i < e->count; i++)
		if (e->funcs[i] >= m->nfuncs)
			return val_unknown(f, "function", e->funcs[i]);
	for (uint32_t i = 0; e->exprs && i < e->count; i++)
		if (!val_const(f, &e->exprs[i], e->type, m->nglobals))
			return false;
	if (e->mode != SEG_ACTIVE)
		return true;
	f->at = e->pos;
	if (e->table >= m->ntables)
		return val_unknown(f, "table", e->table);
	if (m->tables[e->table].elem != e->type)
		return val_err(f, "type mismatch");
	return val_const(f, &e->offset, WR_I32, m->nglobals);
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
		if (!val_const(f, &d->offset, WR_I32, m->nglobals))
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
	bool ok = val_declare(&f, m) && val_imports(&f) && val_defs(&f) && val_segments(&f) &&
		  val_codes(&f) && val_start(&f) && val_exports(&f);

	free(f.vals); /* the stacks serve constant expressions and function bodies */
	free(f.ctls);
	free(f.locals);
	if (!ok)
		return false;
	f.at = 0;
	if (m->nmems > 1)
		return val_err(&f, "multiple memories");
	return true;
}
