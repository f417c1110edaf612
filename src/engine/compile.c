/*
 * compile.c: validated function bodies to threaded code (see vm.h).
 *
 * The compiler walks each body once, keeping a model of the operand stack.
 * An entry of the model says where the value is now: in its home slot (the
 * frame slot of its stack position), in a local's slot (after local.get,
 * which emits nothing), or nowhere yet because it is a constant. Each
 * instruction reads its operands where they are and writes its result to
 * the home slot of the result's position. Three rules keep this correct:
 *
 *  - before a local is written, stack entries still naming it are copied
 *    to their home slots ("materialised");
 *  - when control flow joins (block entry, a branch, the end of a block) the
 *    values crossing the edge sit in the home slots the target expects, and
 *    entries naming locals are materialised on entry to a block, so every
 *    path into a label agrees on where the stack lives;
 *  - calls take their arguments in consecutive home slots, which become the
 *    callee's first frame slots.
 *
 * Peepholes: a local.set/tee right after the instruction that produced the
 * value retargets that instruction's destination to the local; an integer
 * comparison or eqz followed by br_if or if becomes one compare-and-branch;
 * arithmetic with a constant operand takes it as an immediate, and the
 * constant 0 is read from a zero slot every frame has; a load or store
 * whose address the i32.add just before it computed absorbs the add; a
 * float add or subtract of a product just computed absorbs the multiply.
 * Loop bodies (issue 16): an add (f64 too: sub, mul) of a value just
 * loaded absorbs the load; a forward compare-and-branch on a value just
 * loaded absorbs the load; an f64 operation with a constant absorbs the
 * store of its result (and a local.tee between them); two copies in a row
 * are one operation, and so are two locals bumped by constants in a row;
 * a local.tee of a local leaves the stack entry naming the copy; a br_if
 * back to a loop on a sum just computed absorbs the add. zlib and sqlite
 * (issue 16): a forward branch on an i32.and with a constant (a flag test,
 * a masked byte compared), or on a value just loaded being zero, absorbs
 * it; a load at an address just loaded, at a masked scaled index or at a
 * sum of a sum absorbs those; an add of a product by a constant absorbs
 * the multiply; an f64 add of the product of a value just loaded absorbs
 * the multiply, and the store of that sum the add (matmul's c[j] += a *
 * b[j]). Dispatch loops and hashes (issue 16, minivm and sha256):
 * `x <s 0` and `x >s K` to one label are one unsigned test, and two
 * unsigned tests with constants to one label one instruction; a copy
 * before a backward branch is part of it; two i32.adds in a row (the
 * second of a slot or a constant) are one operation, and an i32.add of an
 * and, xor or and-not result just computed is one, as is the xor of three
 * rotations; a constant copied to a local right before a br_table on a
 * scaled load goes with it. Code after br, br_table, return and
 * unreachable is skipped.
 *
 * Exception handling costs nothing until something is thrown: try_table
 * and the legacy try emit no instruction. Each records the cells of its
 * body and its catch clauses in the function's handler tables (vm.h):
 * where a clause's values go (the home slots of its label, as a branch
 * there would place them) and where to continue. A legacy catch block
 * starts at a landing point right after its try body, and keeps the
 * exception it caught in a hidden slot for rethrow: one slot per level of
 * legacy try nesting, between the declared locals and the zero slot (the
 * decoder counts the deepest nesting of each body).
 */
#include <stdlib.h>
#include <string.h>

#include "runtime.h"
#include "vm.h"

#define CC_NONE ((size_t)-1)

enum { CV_HOME, CV_LOCAL, CV_CONST };

/* A value on the modelled operand stack. */
struct cc_val {
	uint8_t kind;
	uint8_t type;
	uint32_t slot; /* CV_HOME: == home; CV_LOCAL: the local's slot */
	uint32_t home; /* home slot of this stack position */
	uint64_t imm;  /* CV_CONST */
};

enum { CC_FUNC, CC_BLOCK, CC_LOOP, CC_IF, CC_TRY /* legacy try */ };

#define CC_NO_TRY UINT32_MAX

/* An enclosing block, loop, if or the function body. */
struct cc_ctrl {
	uint8_t kind;
	bool unreachable;  /* the rest of the block cannot run */
	bool targeted;     /* some branch goes to its end */
	bool has_else;
	uint8_t one;       /* storage for a single-value block type */
	uint32_t height;   /* stack entries below the block's parameters */
	uint32_t home;     /* home slot of position `height` */
	uint32_t nparams, nresults;
	const uint8_t *params, *results;
	size_t start;      /* loop: cell index of its head */
	uint64_t start_count;
	size_t patch;      /* forward branches to the end: chain head (index + 1) */
	size_t else_patch; /* if: the branch to its else arm (index + 1) */
	uint32_t try;      /* try_table or legacy try: its vm_try, else CC_NO_TRY */
	uint32_t hpatch;   /* catch clauses landing at its end: chain head (index + 1) */
	uint32_t exn_slot; /* legacy try: the hidden slot of the exception caught */
	bool in_catch;     /* legacy try: past its first catch */
	uint32_t astart;   /* the write count when it began (see struct cc) */
	uint32_t amark;    /* every path into its end so far came after the
	                    * writes up to this count (see struct cc) */
};

/* A branch condition, for fusing comparisons into branches. */
enum { COND_NZ, COND_Z, COND_NZ64, COND_Z64, COND_CMP, COND_CMP_RI };

struct cc_cond {
	uint8_t kind;
	uint16_t cmp;  /* COND_CMP*: the comparison opcode */
	uint32_t a, b; /* slots */
	uint64_t k;    /* COND_CMP_RI: the constant */
	size_t add;    /* an i32.add just before the comparison: its index + 1, or 0 */
	size_t load;   /* an i32.load (or _ADDI) just before it, of its operand b (a if
	                * load_first) into a temporary: its index + 1, or 0 */
	bool load_first;
	bool andi_first;
	size_t andi;   /* an i32.and with a constant just before it, into a temporary
	                * that is its operand (COND_Z, COND_NZ) or its operand b (a
	                * if andi_first): its index + 1, or 0 (cc_fuse_andi_br) */
};

struct cc {
	wr_module *m;
	const mod_functype *ft;
	uint8_t *ltype;       /* per local (params included) */
	uint32_t *lslot;
	uint32_t nlocals, local_slots;
	uint32_t zero_slot;   /* a hidden local: zeroed on entry, never written */
	/* Locals certainly written by now, for zeroing only those that may be
	 * read first. aset holds the locals so covered in the order of their
	 * writes, each stamped with the count of writes so far (astamp,
	 * rising from the bottom; 0: not covered). A write covers the code
	 * after it up to the else or catch of its block, or its end, and past
	 * the end too when every branch to it came after the write: a block's
	 * amark is the count at the earliest such branch (an if's: at its
	 * start, for the path that skips the arm). So at the end, the locals
	 * of aset stamped at most amark were written on every path in; a
	 * local uncovered since that branch and written again has a later
	 * stamp. */
	uint32_t *astamp;     /* per local */
	uint32_t *aset;
	uint32_t naset, acount;
	uint32_t zero_from;   /* the slots some path may read unwritten lie in */
	uint32_t zero_to;     /* [zero_from, zero_to) (empty: zero_from >= zero_to) */

	vm_cell *code;
	size_t n, cap;
	size_t *relocs;       /* cells holding a target as a cell index */
	size_t nrelocs, relcap;

	/* Exception handlers (vm.h), and the hidden slots of legacy tries. */
	struct vm_try *tries;
	struct vm_catch *catches;
	uint32_t ntries, trycap, ncatches, catchcap;
	uint32_t try_base, try_level, try_max;

	/* Stack maps (vm.h): the points so far, and their stack slots. */
	struct vm_gcmap *maps;
	uint32_t nmaps, mapcap;
	uint32_t *mslots;
	uint32_t nmslots, mslotcap;

	struct cc_val *st;
	uint32_t sp, stcap;
	struct cc_ctrl *ctl;
	uint32_t nctl, ctlcap;
	uint32_t max_slot;
	uint32_t local_refs;  /* CV_LOCAL entries on the stack */
	uint32_t skip;        /* nesting depth inside unreachable code */
	uint64_t count;       /* instructions compiled so far */

	/* Peephole state: the last instruction, if it produced a value and
	 * nothing was emitted (and no label placed) since: where it starts,
	 * what it is, the cell whose low half names its destination, and the
	 * stack position of its result while that entry is still unchanged
	 * (UINT32_MAX once it is not). */
	size_t last_pos;
	uint16_t last_op;
	size_t last_dcell;
	uint32_t last_sp;
	bool last_cmp;
	struct cc_cond cmp;   /* its condition, when it was a fusable compare */
	size_t shl_pos;       /* the last instruction is an i32.add of the temporary
	                       * result of the i32.shl by a constant at shl_pos,
	                       * emitted right before it; else CC_NONE */
	size_t bin_prev;      /* the last instruction before the binary operator
	                       * emitted last (its last_pos then: CC_NONE if none) */
	size_t and_shl;       /* the i32.shl by a constant right after the i32.and at
	                       * and_shl - 1 shifts that and's temporary result (and,
	                       * if shl_pos is that shl, the add at last_pos adds it);
	                       * else 0 (cc_arith sets it, cc_fuse_scaled checks it) */
	size_t add_pos;       /* the last instruction is an i32.add of a constant to
	                       * the temporary sum of the i32.add at add_pos, emitted
	                       * right before it; else CC_NONE */
	size_t ri_pos;        /* the last instruction is an i32.add of a constant
	                       * emitted right after the one at ri_pos; else CC_NONE */
	size_t rot_pos;       /* the last instruction is an i32.rotl by a constant
	                       * emitted right after the one at rot_pos, whose result
	                       * is a temporary; else CC_NONE */
	size_t xr2_pos;       /* the last instruction is an i32.rotl by a constant
	                       * emitted right after the I32_XOR_ROTL2 at xr2_pos;
	                       * else CC_NONE */
	size_t mov_pos;       /* a MOV64 after which no label (branch target, catch
	                       * landing, try boundary) was placed: the last
	                       * instruction if the code ends where it does (see
	                       * brk_pos); else CC_NONE */
	size_t const_pos;     /* a CONST32 or CONST64 after which no label was placed
	                       * (the code may have grown since); else CC_NONE */
	size_t brk_prev;      /* a forward branch on a comparison with a constant
	                       * right before the one at brk_pos; else CC_NONE */
	size_t brk_pos;       /* a forward branch on a comparison with a constant,
	                       * after which no label was placed; the last instruction
	                       * if the code ends where it does (an instruction
	                       * emitted after it and taken back, the comparison
	                       * a br_if fuses, leaves it the last); else CC_NONE */

	bool oom;             /* allocation failed, or see why */
	const char *why;      /* a reason other than memory, at offset where */
	size_t where;
	struct cc_val dummy;
	const void *const *handlers; /* vm_op_handlers(), for cc_opc */
};

/* ---- operations: the rows of VM_OPS (vm_ops.h) ---- */

/* What the compiler knows of an operation, from its row. */
struct vm_op_info {
	uint16_t from;     /* enum wr_opcode */
	uint8_t family;    /* enum vm_family */
	uint8_t cells;     /* its length, op cell included */
};

static const struct vm_op_info vm_ops[VM__COUNT] = {
#define X(name, layout, family, from) [VM_##name] = { OP_##from, VF_##family, VM_CELLS_##name },
	VM_OPS(X)
#undef X
};

/* The names and layouts, for vm_disasm: arrays of characters rather than
 * pointers, which would each need relocating at start-up. */
#define VM_NAME_MAX 32
#define VM_LAYOUT_MAX 16 /* four operand cells at most (cc_emit) */
static const char vm_names[VM__COUNT][VM_NAME_MAX] = {
#define X(name, layout, family, from) [VM_##name] = #name,
	VM_OPS(X)
#undef X
};
static const char vm_layouts[VM__COUNT][VM_LAYOUT_MAX] = {
#define X(name, layout, family, from) [VM_##name] = layout,
	VM_OPS(X)
#undef X
};

/* A layout pictures whole cells, three characters each and a space
 * between (see vm_ops.h), or is empty; names and layouts fit the arrays. */
#define X(name, layout, family, from) \
	_Static_assert((sizeof(layout) % 4 == 0 || sizeof(layout) == 1) && \
	               sizeof(layout) <= VM_LAYOUT_MAX && sizeof(#name) <= VM_NAME_MAX, \
	               "the row of " #name " is malformed");
VM_OPS(X)
#undef X

/*
 * The operation of family f made from WebAssembly instruction op, or
 * VM_NONE if there is none. No two rows of VM_OPS share both: a duplicate
 * would be a duplicate case here.
 */
/* cc_op's table: the operation of each family and instruction, plus one
 * (0: none). One load per lookup, where a switch over the rows was a
 * search that grew with every row added. */
static const uint16_t cc_op_table[VF__COUNT][OP__COUNT] = {
#define X(name, layout, family, from) [VF_##family][OP_##from] = VM_##name + 1,
	VM_OPS(X)
#undef X
};

static enum vm_op cc_op(uint16_t op, enum vm_family f)
{
	uint16_t v = op < OP__COUNT ? cc_op_table[f][op] : 0;
	return v ? (enum vm_op)(v - 1) : VM_NONE;
}

/* The integer comparisons, each with its negation (true exactly when it is
 * false) and its mirror (the same answer with the operands exchanged). */
struct cc_cmp_fact {
	uint16_t op, neg, mirror;
};

static const struct cc_cmp_fact cc_cmps[] = {
	{ OP_I32_EQ, OP_I32_NE, OP_I32_EQ },       { OP_I32_NE, OP_I32_EQ, OP_I32_NE },
	{ OP_I32_LT_S, OP_I32_GE_S, OP_I32_GT_S }, { OP_I32_LT_U, OP_I32_GE_U, OP_I32_GT_U },
	{ OP_I32_GT_S, OP_I32_LE_S, OP_I32_LT_S }, { OP_I32_GT_U, OP_I32_LE_U, OP_I32_LT_U },
	{ OP_I32_LE_S, OP_I32_GT_S, OP_I32_GE_S }, { OP_I32_LE_U, OP_I32_GT_U, OP_I32_GE_U },
	{ OP_I32_GE_S, OP_I32_LT_S, OP_I32_LE_S }, { OP_I32_GE_U, OP_I32_LT_U, OP_I32_LE_U },
	{ OP_I64_EQ, OP_I64_NE, OP_I64_EQ },       { OP_I64_NE, OP_I64_EQ, OP_I64_NE },
	{ OP_I64_LT_S, OP_I64_GE_S, OP_I64_GT_S }, { OP_I64_LT_U, OP_I64_GE_U, OP_I64_GT_U },
	{ OP_I64_GT_S, OP_I64_LE_S, OP_I64_LT_S }, { OP_I64_GT_U, OP_I64_LE_U, OP_I64_LT_U },
	{ OP_I64_LE_S, OP_I64_GT_S, OP_I64_GE_S }, { OP_I64_LE_U, OP_I64_GT_U, OP_I64_GE_U },
	{ OP_I64_GE_S, OP_I64_LT_S, OP_I64_LE_S }, { OP_I64_GE_U, OP_I64_LT_U, OP_I64_LE_U },
};

/* The facts of comparison op, or NULL if op is not one. */
static const struct cc_cmp_fact *cc_cmp(uint16_t op)
{
	if (op < OP_I32_EQ || op > OP_I64_GE_U) /* (they are all in this range) */
		return NULL;
	for (size_t i = 0; i < sizeof(cc_cmps) / sizeof(cc_cmps[0]); i++)
		if (cc_cmps[i].op == op)
			return &cc_cmps[i];
	return NULL;
}

/* Whether binary operator op gives the same result with its operands
 * exchanged (the comparisons aside: they have their mirrors). */
static bool cc_commutes(uint16_t op)
{
	switch (op) {
	case OP_I32_ADD: case OP_I32_MUL: case OP_I32_AND: case OP_I32_OR: case OP_I32_XOR:
	case OP_I64_ADD: case OP_I64_MUL: case OP_I64_AND: case OP_I64_OR: case OP_I64_XOR:
	case OP_F32_ADD: case OP_F32_MUL: case OP_F64_ADD: case OP_F64_MUL:
		return true;
	default:
		return false;
	}
}

/* Value type of a signature letter (see opcodes.h). */
static uint8_t cc_sig_type(char c)
{
	switch (c) {
	case 'i': return WR_I32;
	case 'I': return WR_I64;
	case 'f': return WR_F32;
	case 'F': return WR_F64;
	default: return WR_V128;
	}
}

/* ---- emitting cells ---- */

/* The cell of operation op (vm_op_cell's, without a call). */
static inline vm_cell cc_opc(const struct cc *c, enum vm_op op)
{
	vm_cell x;
	if (c->handlers)
		x.op = c->handlers[op];
	else
		x.opn = op;
	return x;
}

/* Make room for n more cells (n is small: at most 5 for one instruction).
 * On failure the buffer is reused from the start so callers can keep
 * writing; the compilation fails and the result is thrown away. */
static void cc_grow_code(struct cc *c);

static inline void cc_reserve(struct cc *c, size_t n)
{
	if (n > c->cap - c->n)
		cc_grow_code(c);
}

/* Out of line, so that emitting (every instruction) saves no registers. */
__attribute__((noinline, cold))
static void cc_grow_code(struct cc *c)
{
	size_t cap = c->cap * 2;
	vm_cell *p = cap > c->cap ? realloc(c->code, cap * sizeof(*p)) : NULL;
	if (!p) {
		c->oom = true;
		c->n = 0;
		return;
	}
	c->code = p;
	c->cap = cap;
}

/* Append an instruction (op cell, then its operand cells zeroed) and
 * return the index of its op cell. Forgets the peephole state. */
static size_t cc_emit(struct cc *c, enum vm_op op)
{
	/* An operation has at most four operand cells (VM_LAYOUT_MAX): zero
	 * four, whatever its length, rather than loop (past its end they are
	 * room the next instruction overwrites). */
	cc_reserve(c, 5);
	size_t at = c->n;
	c->code[at] = cc_opc(c, op);
	c->code[at + 1].u64 = c->code[at + 2].u64 = c->code[at + 3].u64 = c->code[at + 4].u64 = 0;
	c->n += vm_ops[op].cells;
	c->last_pos = CC_NONE;
	c->last_cmp = false;
	return at;
}

/*
 * Turn the last instruction emitted, at `at`, into operation op (a fused
 * form of it): the op cell changes and the code ends where op's cells do,
 * any it gains zeroed. Returns where the instruction now is: on a failed
 * allocation, the start of the buffer, which is thrown away.
 */
static size_t cc_rewrite(struct cc *c, size_t at, enum vm_op op)
{
	size_t ncells = vm_ops[op].cells;
	if (at + ncells > c->n)
		cc_reserve(c, at + ncells - c->n);
	if (c->oom)
		at = c->n = 0;
	for (size_t i = c->n; i < at + ncells; i++)
		c->code[i].u64 = 0;
	c->code[at] = cc_opc(c, op);
	c->n = at + ncells;
	return at;
}

static void cc_pair(struct cc *c, size_t at, uint32_t lo, uint32_t hi)
{
	c->code[at].u32[0] = lo;
	c->code[at].u32[1] = hi;
}

/* Remember that cell `at` holds a target (a cell index until the end). */
static void cc_reloc(struct cc *c, size_t at)
{
	if (c->nrelocs == c->relcap) {
		size_t cap = c->relcap ? c->relcap * 2 : 64;
		size_t *p = realloc(c->relocs, cap * sizeof(*p));
		if (!p) {
			c->oom = true;
			return;
		}
		c->relocs = p;
		c->relcap = cap;
	}
	c->relocs[c->nrelocs++] = at;
}

/* Point target cell `at` at cell index `to`. */
static void cc_target(struct cc *c, size_t at, size_t to)
{
	c->code[at].u64 = to;
	cc_reloc(c, at);
}

/* Add target cell `at` to a chain of forward branches. */
static void cc_chain(struct cc *c, size_t at, size_t *chain)
{
	c->code[at].u64 = *chain;
	*chain = at + 1;
	cc_reloc(c, at);
}

/* Resolve a chain of forward branches to the current position, which is a
 * join point, so the peephole state is forgotten too. */
static void cc_resolve(struct cc *c, size_t *chain)
{
	size_t p = *chain;
	while (p && !c->oom) {
		size_t at = p - 1;
		p = (size_t)c->code[at].u64;
		c->code[at].u64 = c->n;
	}
	*chain = 0;
	c->last_pos = c->mov_pos = c->brk_pos = c->brk_prev = c->const_pos = CC_NONE;
	c->last_cmp = false;
}

/* ---- the modelled stack ---- */

/* Home slot of stack position pos (pos <= sp). */
static uint32_t cc_home_at(const struct cc *c, uint32_t pos)
{
	if (pos < c->sp)
		return c->st[pos].home;
	if (c->sp == 0)
		return c->local_slots;
	const struct cc_val *t = &c->st[c->sp - 1];
	return t->home + mod_slots(t->type);
}

/* Double the modelled stack; false if out of memory. Out of line, so that
 * a push (every instruction) saves no registers. */
__attribute__((noinline, cold))
static bool cc_grow_stack(struct cc *c)
{
	uint32_t cap = c->stcap ? c->stcap * 2 : 64;
	struct cc_val *p = realloc(c->st, cap * sizeof(*p));
	if (!p) {
		c->oom = true;
		return false;
	}
	c->st = p;
	c->stcap = cap;
	return true;
}

/* Push a value that lives in its home slot; returns the entry. */
static struct cc_val *cc_push(struct cc *c, uint8_t type)
{
	if (c->sp == c->stcap && !cc_grow_stack(c))
		return &c->dummy;
	uint32_t home = cc_home_at(c, c->sp);
	struct cc_val *v = &c->st[c->sp++];
	v->kind = CV_HOME;
	v->type = type;
	v->slot = v->home = home;
	v->imm = 0;
	if (home + mod_slots(type) > c->max_slot)
		c->max_slot = home + mod_slots(type);
	return v;
}

static void cc_push_const(struct cc *c, uint8_t type, uint64_t imm)
{
	struct cc_val *v = cc_push(c, type);
	v->kind = CV_CONST;
	v->imm = imm;
}

/* Local x is to be zeroed on entry. */
static void cc_zero_local(struct cc *c, uint32_t x)
{
	uint32_t lo = c->lslot[x], hi = lo + mod_slots(c->ltype[x]);
	if (lo < c->zero_from)
		c->zero_from = lo;
	if (hi > c->zero_to)
		c->zero_to = hi;
}

static void cc_push_local(struct cc *c, uint32_t x)
{
	if (!c->astamp[x])
		cc_zero_local(c, x);
	struct cc_val *v = cc_push(c, c->ltype[x]);
	v->kind = CV_LOCAL;
	v->slot = c->lslot[x];
	c->local_refs++;
}

static struct cc_val cc_pop(struct cc *c)
{
	if (c->sp == 0)
		return c->dummy;
	struct cc_val v = c->st[--c->sp];
	if (v.kind == CV_LOCAL)
		c->local_refs--;
	return v;
}

static void cc_pop_to(struct cc *c, uint32_t height)
{
	while (c->sp > height)
		cc_pop(c);
}

/* Copy value v to slot dst. */
static void cc_move(struct cc *c, const struct cc_val *v, uint32_t dst)
{
	size_t at;
	if (v->kind == CV_CONST) {
		if (v->imm <= UINT32_MAX) {
			at = cc_emit(c, VM_CONST32);
			cc_pair(c, at + 1, dst, (uint32_t)v->imm);
		} else {
			at = cc_emit(c, VM_CONST64);
			cc_pair(c, at + 1, dst, 0);
			c->code[at + 2].u64 = v->imm;
		}
		c->const_pos = at;
		return;
	}
	if (v->slot == dst)
		return;
	_Static_assert(VM_CELLS_MOV64_2 == VM_CELLS_MOV64 + 1, "MOV64_2 is MOV64 and a cell");
	if (v->type != WR_V128 && c->mov_pos != CC_NONE && c->n == c->mov_pos + VM_CELLS_MOV64 &&
	    c->n < c->cap) {
		/* a second copy right after one: both in one operation, in order */
		c->code[c->mov_pos] = cc_opc(c, VM_MOV64_2);
		cc_pair(c, c->n++, dst, v->slot);
		c->mov_pos = c->brk_pos = c->brk_prev = c->const_pos = CC_NONE;
		return;
	}
	at = cc_emit(c, v->type == WR_V128 ? VM_MOV128 : VM_MOV64);
	cc_pair(c, at + 1, dst, v->slot);
	if (v->type != WR_V128)
		c->mov_pos = at;
}

/* Put the value at stack position i into its home slot. */
static void cc_materialize(struct cc *c, uint32_t i)
{
	struct cc_val *v = &c->st[i];
	if (v->kind == CV_HOME)
		return;
	cc_move(c, v, v->home);
	if (v->kind == CV_LOCAL)
		c->local_refs--;
	v->kind = CV_HOME;
	v->slot = v->home;
}

static void cc_materialize_top(struct cc *c, uint32_t n)
{
	for (uint32_t i = c->sp - n; i < c->sp; i++)
		cc_materialize(c, i);
}

/* Materialise every entry that names a local (all of them if slot is
 * UINT32_MAX, else those naming that slot), below position `below`. */
static void cc_unalias(struct cc *c, uint32_t slot, uint32_t below)
{
	for (uint32_t i = 0; i < below && c->local_refs; i++)
		if (c->st[i].kind == CV_LOCAL && (slot == UINT32_MAX || c->st[i].slot == slot))
			cc_materialize(c, i);
}

/* The slot holding a popped operand: zero is read from the frame's zero
 * slot, other constants are written to their home slot. */
static uint32_t cc_slot(struct cc *c, struct cc_val *v)
{
	if (v->kind == CV_CONST && v->imm == 0)
		return c->zero_slot;
	if (v->kind == CV_CONST) {
		cc_move(c, v, v->home);
		v->kind = CV_HOME;
		v->slot = v->home;
	}
	return v->slot;
}

/* ---- stack maps (vm.h) ---- */

/* Can a value of kind t be a GC object (or an externref box)? */
static bool cc_traced(uint8_t t) { return t == WR_ANYREF || t == WR_EXTERNREF; }

static bool cc_grow(void **v, uint32_t *cap, uint32_t n, size_t size)
{
	if (n < *cap)
		return true;
	uint32_t c = *cap ? *cap * 2 : 16;
	void *p = c > *cap ? realloc(*v, (size_t)c * size) : NULL;
	if (!p)
		return false;
	*v = p;
	*cap = c;
	return true;
}

/* A GC point at cell `cell`: the stack entries below position `live` of
 * a traced kind that sit in their home slots (CV_LOCAL entries are the
 * locals', which every map has; constants are null). A point recorded at
 * or after `cell` before is code dropped since (a peephole), and goes. */
static void cc_gc_point(struct cc *c, size_t cell, uint32_t live)
{
	while (c->nmaps && c->maps[c->nmaps - 1].cell >= cell)
		c->nmslots = c->maps[--c->nmaps].first;
	if (cell > UINT32_MAX || !cc_grow((void **)&c->maps, &c->mapcap, c->nmaps, sizeof(*c->maps))) {
		c->oom = true;
		return;
	}
	struct vm_gcmap *g = &c->maps[c->nmaps++];
	g->cell = (uint32_t)cell;
	g->first = c->nmslots;
	for (uint32_t i = 0; i < live && i < c->sp; i++) {
		if (c->st[i].kind != CV_HOME || !cc_traced(c->st[i].type))
			continue;
		if (!cc_grow((void **)&c->mslots, &c->mslotcap, c->nmslots, sizeof(*c->mslots))) {
			c->oom = true;
			return;
		}
		c->mslots[c->nmslots++] = c->st[i].home;
	}
	g->n = c->nmslots - g->first;
}

/* The GC point of a call about to be emitted as op, with n arguments on
 * top of the stack: the call's last cell, where its frame record points. */
static void cc_call_point(struct cc *c, enum vm_op op, uint32_t n)
{
	cc_gc_point(c, c->n + vm_ops[op].cells - 1, c->sp - n);
}

/* Record that the instruction `op` at `at` just produced the stack top,
 * naming its destination in the low half of cell at + 1. */
static void cc_produced(struct cc *c, size_t at, enum vm_op op)
{
	c->last_pos = at;
	c->last_op = op;
	c->last_dcell = at + 1;
	c->last_sp = c->sp - 1;
}

/* ---- straight-line instructions ---- */

/* An instruction [op][d|a] (unary, conversion) with result type rt. */
static void cc_unop(struct cc *c, enum vm_op op, uint8_t rt)
{
	struct cc_val a = cc_pop(c);
	uint32_t as = cc_slot(c, &a);
	struct cc_val *r = cc_push(c, rt);
	size_t at = cc_emit(c, op);
	cc_pair(c, at + 1, r->home, as);
	cc_produced(c, at, op);
	if (op == VM_I32_EQZ || op == VM_I64_EQZ) {
		c->last_cmp = true;
		c->cmp = (struct cc_cond){ op == VM_I32_EQZ ? COND_Z : COND_Z64, 0, as, 0, 0, 0, 0, false, false, 0 };
	}
}

/*
 * An add or subtract one of whose operands is the product the last
 * instruction just computed becomes one multiply-add instruction, written
 * over the multiply: [op][d|a][b|x] for x + a*b, x - a*b or a*b - x. The
 * other operand x must already sit in a slot, since nothing may be emitted
 * between the two.
 */
/* The last instruction's result is a temporary that is one operand of the
 * binary operator being compiled, the other one already in a slot (the
 * constant 0 is the zero slot's): *first says which. */
static bool cc_fusable_tmp(const struct cc *c, bool *first)
{
	const struct cc_val *p = &c->st[c->sp - 1], *x = &c->st[c->sp - 2];
	*first = c->last_sp == c->sp - 2;
	if (*first) {
		p = x;
		x = &c->st[c->sp - 1];
	} else if (c->last_sp != c->sp - 1) {
		return false;
	}
	return p->kind == CV_HOME && (x->kind != CV_CONST || x->imm == 0);
}

/* Rewrite the last instruction [op][d|a]..[..|-] into fop of the same
 * length, [op][d|a]..[..|x]: x the other operand (cc_fusable_tmp) in the
 * high half of the last cell, the result d of type rt, the cells between
 * kept. */
static void cc_fuse_tmp(struct cc *c, enum vm_op fop, bool first, uint8_t rt)
{
	size_t at = c->last_pos;
	struct cc_val xv = c->st[c->sp - (first ? 1 : 2)];
	uint32_t xs = cc_slot(c, &xv);
	cc_pop(c);
	cc_pop(c);
	struct cc_val *r = cc_push(c, rt);
	at = cc_rewrite(c, at, fop);
	c->code[at + 1].u32[0] = r->home;
	c->code[at + vm_ops[fop].cells - 1].u32[1] = xs;
	cc_produced(c, at, fop);
}

static bool cc_fuse_mul(struct cc *c, uint16_t op)
{
	bool f64 = op == OP_F64_ADD || op == OP_F64_SUB, sub = op == OP_F64_SUB || op == OP_F32_SUB, first;
	bool mai = c->last_op == VM_F64_MUL_MAI;
	if (op == OP_F64_ADD && c->last_pos != CC_NONE && (mai || c->last_op == VM_F64_MUL_M) && c->sp >= 2 &&
	    c->n == c->last_pos + VM_CELLS_F64_MUL_M && cc_fusable_tmp(c, &first)) {
		/* the product of a value just loaded: F64_MULADD_M [op][d|p][off][b|x]
		 * over the F64_MUL_M [op][d|p][off][b|-], F64_MULADD_MAI
		 * [op][d|a][k|o][e|x] over the F64_MUL_MAI [op][d|a][k|o][e|-] */
		_Static_assert(VM_CELLS_F64_MULADD_M == VM_CELLS_F64_MUL_M && VM_CELLS_F64_MUL_MAI == VM_CELLS_F64_MUL_M &&
		               VM_CELLS_F64_MULADD_MAI == VM_CELLS_F64_MUL_M, "one length");
		cc_fuse_tmp(c, mai ? VM_F64_MULADD_MAI : VM_F64_MULADD_M, first, WR_F64);
		return true;
	}
	if ((!f64 && op != OP_F32_ADD && op != OP_F32_SUB) || c->last_pos == CC_NONE ||
	    c->last_op != (f64 ? VM_F64_MUL : VM_F32_MUL) || c->sp < 2 || !cc_fusable_tmp(c, &first))
		return false;
	cc_fuse_tmp(c, cc_op(op, first && sub ? VF_MUL_R : VF_MUL), first, f64 ? WR_F64 : WR_F32);
	return true;
}

/*
 * An f64 add, subtract or multiply one of whose operands is the value the
 * last instruction, a plain f64.load, just loaded becomes one F64_*_M
 * instruction written over the load: [op][d|addr][offset][o|-]. The other
 * operand o must already sit in a slot. A load fused with the i32.add of
 * its address (F64_LOAD_ADD, _ADDI) becomes F64_*_MA(I) the same way:
 * [op][d|a][y|o][o|-], when the sum was only a temporary. An i32.add of
 * what an i32.load loaded does the same (I32_ADD_M, _MA, _MAI): a row
 * relaxed against a value read from a table (floyd), a sum of elements.
 */
_Static_assert(VM_I32_LOAD_ADD == VM_I32_LOAD + 1 && VM_I32_LOAD_ADDI == VM_I32_LOAD + 2 &&
               VM_F64_LOAD_ADD == VM_F64_LOAD + 1 && VM_F64_LOAD_ADDI == VM_F64_LOAD + 2,
               "a load's fused forms follow it in VM_OPS");
static bool cc_fuse_load(struct cc *c, uint16_t op)
{
	bool i32 = op == OP_I32_ADD;
	if ((!i32 && op != OP_F64_ADD && op != OP_F64_SUB && op != OP_F64_MUL) || c->last_pos == CC_NONE)
		return false;
	enum vm_op ld = i32 ? VM_I32_LOAD : VM_F64_LOAD;
	if ((unsigned)c->last_op - ld > 2 || c->sp < 2 || c->n != c->last_pos + vm_ops[c->last_op].cells)
		return false;
	/* A load that absorbed an i32.add writes the sum to slot s as well; the
	 * fused form drops that write, so s must be a temporary (a home slot,
	 * at or above local_slots), which the load's result replaced. */
	bool addi = c->last_op == ld + 2, add = addi || c->last_op == ld + 1;
	if (add && c->code[c->last_pos + 1].u32[0] < c->local_slots)
		return false;
	bool second = c->last_sp == c->sp - 1; /* the loaded value is the second operand */
	if (!second && c->last_sp != c->sp - 2)
		return false;
	struct cc_val *m = &c->st[c->sp - (second ? 1 : 2)], ov = c->st[c->sp - (second ? 2 : 1)];
	if (m->kind != CV_HOME || (ov.kind == CV_CONST && ov.imm != 0))
		return false;
	uint32_t os = cc_slot(c, &ov);
	bool rev = !second && op == OP_F64_SUB;
	size_t ap = c->add_pos;
	if (addi && op == OP_F64_ADD && ap != CC_NONE && ap + VM_CELLS_I32_ADD == c->last_pos &&
	    c->code[ap + 1].u32[0] == c->code[c->last_pos + 1].u32[1]) {
		/* the load's address is (a + b) + k, a + b the temporary sum of the
		 * i32.add just before: F64_ADD_MAAI [op][d|a][b|k][o|e] over it */
		uint32_t a = c->code[ap + 1].u32[1], b = c->code[ap + 2].u32[0];
		uint32_t k = c->code[c->last_pos + 2].u32[0], o = c->code[c->last_pos + 2].u32[1];
		cc_pop(c);
		cc_pop(c);
		struct cc_val *r = cc_push(c, WR_F64);
		size_t at = cc_rewrite(c, ap, VM_F64_ADD_MAAI);
		cc_pair(c, at + 1, r->home, a);
		cc_pair(c, at + 2, b, k);
		cc_pair(c, at + 3, o, os);
		c->add_pos = CC_NONE;
		cc_produced(c, at, VM_F64_ADD_MAAI);
		return true;
	}
	enum vm_op fop = cc_op(op, !add ? (rev ? VF_M_R : VF_M) : addi ? (rev ? VF_M_ADDI_R : VF_M_ADDI)
	                                                          : (rev ? VF_M_ADD_R : VF_M_ADD));
	cc_pop(c);
	cc_pop(c);
	struct cc_val *r = cc_push(c, i32 ? WR_I32 : WR_F64);
	size_t at = cc_rewrite(c, c->last_pos, fop);
	c->code[at + 1].u32[0] = r->home;
	cc_pair(c, at + 3, os, 0);
	cc_produced(c, at, fop);
	return true;
}

/*
 * An i32.xor one of whose operands is the result of the i32.rotl by a
 * constant just before it becomes one I32_XOR_ROTL written over the rotate:
 * [op][d|a][x|l] for a ^ rotl(x, l), the rotated value being a temporary
 * (nothing reads it after the xor). The other operand a must already sit
 * in a slot. Hashes and ciphers are made of these; a sigma's first two
 * rotations, both temporaries, become one I32_XOR_ROTL2.
 */
static bool cc_fuse_rot(struct cc *c, uint16_t op)
{
	if (op != OP_I32_XOR || c->last_pos == CC_NONE || c->last_op != VM_I32_ROTL_RI || c->sp < 2 ||
	    c->n != c->last_pos + VM_CELLS_I32_ROTL_RI)
		return false;
	bool second = c->last_sp == c->sp - 1;
	if (!second && c->last_sp != c->sp - 2)
		return false;
	struct cc_val *r = &c->st[c->sp - (second ? 1 : 2)], ov = c->st[c->sp - (second ? 2 : 1)];
	if (r->kind != CV_HOME || (ov.kind == CV_CONST && ov.imm != 0))
		return false;
	/* The other operand may be the temporary result of the rotl just
	 * before: I32_XOR_ROTL2 [op][d|a][x|l][k|-], written over that one. */
	bool two = second && ov.kind == CV_HOME && c->rot_pos != CC_NONE &&
	           c->rot_pos + VM_CELLS_I32_ROTL_RI == c->last_pos && c->code[c->rot_pos + 1].u32[0] == ov.slot;
	/* Or the temporary result of the I32_XOR_ROTL2 just before that
	 * rotl (sha256's Sigma, three rotations of one value): I32_XOR_ROTL3
	 * [op][d|a][x|l][k|y][m|-] over that one. */
	size_t x2 = c->xr2_pos;
	if (!two && ov.kind == CV_HOME && x2 != CC_NONE && x2 + VM_CELLS_I32_XOR_ROTL2 == c->last_pos &&
	    c->code[x2 + 1].u32[0] == ov.slot) {
		uint32_t y = c->code[c->last_pos + 1].u32[1], m = (uint32_t)c->code[c->last_pos + 2].u64 & 31;
		cc_pop(c);
		cc_pop(c);
		struct cc_val *d = cc_push(c, WR_I32);
		size_t at = cc_rewrite(c, x2, VM_I32_XOR_ROTL3);
		c->code[at + 1].u32[0] = d->home;
		cc_pair(c, at + 3, c->code[at + 3].u32[0], y);
		cc_pair(c, at + 4, m, 0);
		c->rot_pos = c->xr2_pos = CC_NONE;
		cc_produced(c, at, VM_I32_XOR_ROTL3);
		return true;
	}
	size_t at = c->last_pos;
	enum vm_op fop = two ? VM_I32_XOR_ROTL2 : VM_I32_XOR_ROTL;
	uint32_t x = c->code[at + 1].u32[1], l = (uint32_t)c->code[at + 2].u64 & 31, a, k = 0;
	if (two) {
		at = c->rot_pos;
		a = c->code[at + 1].u32[1];
		k = (uint32_t)c->code[at + 2].u64 & 31;
	} else {
		a = cc_slot(c, &ov);
	}
	cc_pop(c);
	cc_pop(c);
	struct cc_val *d = cc_push(c, WR_I32);
	at = cc_rewrite(c, at, fop);
	cc_pair(c, at + 1, d->home, a);
	cc_pair(c, at + 2, x, l);
	if (two)
		cc_pair(c, at + 3, k, 0);
	c->rot_pos = CC_NONE;
	cc_produced(c, at, fop);
	return true;
}

/*
 * An i32.add one of whose operands is the temporary product the last
 * instruction, an i32.mul by a constant, just computed becomes one
 * I32_MULADD_RI [op][d|a][k][x|-] written over the multiply (an element
 * of an array of structs). The other operand x must already sit in a slot.
 */
__attribute__((noinline))
static bool cc_fuse_muli(struct cc *c)
{
	size_t p = c->last_pos;
	if (p == CC_NONE || c->n != p + VM_CELLS_I32_MUL_RI || c->sp < 2 || c->code[p + 1].u32[0] < c->local_slots)
		return false;
	bool first; /* the product is the first operand */
	if (!cc_fusable_tmp(c, &first))
		return false;
	struct cc_val x = c->st[c->sp - (first ? 1 : 2)];
	uint32_t xs = cc_slot(c, &x), a = c->code[p + 1].u32[1];
	uint64_t k = c->code[p + 2].u64;
	cc_pop(c);
	cc_pop(c);
	struct cc_val *r = cc_push(c, WR_I32);
	size_t at = cc_rewrite(c, p, VM_I32_MULADD_RI);
	cc_pair(c, at + 1, r->home, a);
	c->code[at + 2].u64 = k;
	cc_pair(c, at + 3, xs, 0);
	cc_produced(c, at, VM_I32_MULADD_RI);
	return true;
}

/*
 * A bitwise operation on the temporary result the last instruction just
 * computed (the product of cc_fuse_mul, for integers): an i32.add of an
 * i32.and, i32.xor or I32_ANDN result becomes I32_ADD_AND, _XOR, _ANDN
 * [op][d|a][b|c] (d = c + (a OP b)), and an i32.and of the result of an
 * i32.xor with -1 becomes I32_ANDN [op][d|a][b|-] (d = ~a & b), each
 * written over the first instruction, whose result is not written.
 */
static bool cc_fuse_bit(struct cc *c, uint16_t op)
{
	if ((op != OP_I32_ADD && op != OP_I32_AND) || c->last_pos == CC_NONE || c->sp < 2 ||
	    c->n != c->last_pos + 3)
		return false;
	enum vm_op fop;
	_Static_assert(VM_CELLS_I32_AND == 3 && VM_CELLS_I32_XOR == 3 && VM_CELLS_I32_ANDN == 3 &&
	               VM_CELLS_I32_XOR_RI == 3, "three cells");
	if (op == OP_I32_AND)
		fop = c->last_op == VM_I32_XOR_RI && (uint32_t)c->code[c->last_pos + 2].u64 == UINT32_MAX
		      ? VM_I32_ANDN : VM_NONE;
	else
		fop = c->last_op == VM_I32_AND ? VM_I32_ADD_AND : c->last_op == VM_I32_XOR ? VM_I32_ADD_XOR
		      : c->last_op == VM_I32_ANDN ? VM_I32_ADD_ANDN : VM_NONE;
	bool first;
	if (fop == VM_NONE || !cc_fusable_tmp(c, &first))
		return false;
	cc_fuse_tmp(c, fop, first, WR_I32);
	if (fop == VM_I32_ANDN) /* [d|a][x|-]: the xor's constant dropped */
		cc_pair(c, c->last_pos + 2, c->code[c->last_pos + 2].u32[1], 0);
	return true;
}

/*
 * An i32.add right after another: I32_ADD2 [op][d|a][b|c][e|x] (sha256's
 * sums of three and its sums side by side) or, for an add of a constant,
 * I32_ADD_ADDI [op][d|a][b|c][e|k] (jacobi2d's row offset and the address
 * of the element it stores), written over the first, which they keep in
 * order (e = c + x may read d). The second sum's destination is the last
 * cell's low half, so a local.set may retarget it. An add of a constant
 * fuses only when the first sum went to a local: a temporary one is the
 * address sum that F64_ADD_MAAI takes with it.
 */
__attribute__((noinline))
static bool cc_fuse_add2(struct cc *c, size_t prev, uint32_t d, uint32_t as, uint32_t bs, const uint64_t *k)
{
	if (c->n != prev + VM_CELLS_I32_ADD || c->code[prev].u64 != cc_opc(c, VM_I32_ADD).u64 ||
	    (k && c->code[prev + 1].u32[0] >= c->local_slots))
		return false;
	_Static_assert(VM_CELLS_I32_ADD2 == VM_CELLS_I32_ADD + 1 && VM_CELLS_I32_ADD_ADDI == VM_CELLS_I32_ADD2,
	               "a cell longer");
	enum vm_op op = k ? VM_I32_ADD_ADDI : VM_I32_ADD2;
	prev = cc_rewrite(c, prev, op);
	c->code[prev + 2].u32[1] = as;
	cc_pair(c, prev + 3, d, k ? (uint32_t)*k : bs);
	c->shl_pos = c->rot_pos = c->ri_pos = c->add_pos = CC_NONE;
	cc_produced(c, prev, op);
	c->last_dcell = prev + 3;
	return true;
}

/* A binary operator, in immediate form when the second operand (or, for
 * commutative ones and comparisons, the first) is a constant. */
__attribute__((noinline)) /* (where it was when the fusions of an i32.and came) */
static void cc_binop(struct cc *c, uint16_t op, uint8_t rt)
{
	if (cc_fuse_mul(c, op) || cc_fuse_load(c, op) || cc_fuse_rot(c, op) || cc_fuse_bit(c, op) ||
	    (op == OP_I32_ADD && c->last_op == VM_I32_MUL_RI && cc_fuse_muli(c)))
		return;
	struct cc_val b = cc_pop(c), a = cc_pop(c);
	const struct cc_cmp_fact *cmp = cc_cmp(op);
	bool ri = cc_op(op, VF_RI) != VM_NONE;
	if (ri && a.kind == CV_CONST && b.kind != CV_CONST && (cmp || cc_commutes(op))) {
		struct cc_val t = a;
		a = b;
		b = t;
		op = cmp ? cmp->mirror : op;
	}
	uint32_t d, as = cc_slot(c, &a), bs = 0;
	bool imm = ri && b.kind == CV_CONST;
	if (!imm)
		bs = cc_slot(c, &b);
	struct cc_val *r = cc_push(c, rt);
	d = r->home;
	enum vm_op vop = cc_op(op, imm ? VF_RI : VF_WASM);
	size_t prev = c->last_pos;
	bool add = prev != CC_NONE && (c->last_op == VM_I32_ADD || c->last_op == VM_I32_ADD_RI);
	/* or the pair I32_ADD_ADDI, a cell longer, split if the branch fuses */
	size_t addlen = prev != CC_NONE && c->last_op == VM_I32_ADD_ADDI ? VM_CELLS_I32_ADD_ADDI : 3;
	add |= addlen != 3;
	/* an i32 comparison of a value an i32.load just loaded into a temporary */
	uint32_t ld = prev != CC_NONE && cmp && !imm && c->n == prev + vm_ops[c->last_op].cells &&
	              (c->last_op == VM_I32_LOAD || c->last_op == VM_I32_LOAD_ADDI)
	              ? c->code[c->last_dcell].u32[0] : UINT32_MAX;
	bool ld_ok = ld >= c->local_slots && ld != UINT32_MAX && (ld == bs) != (ld == as);
	bool shl = prev != CC_NONE && c->last_op == VM_I32_SHL_RI && c->n == prev + VM_CELLS_I32_SHL_RI &&
	           c->code[prev + 1].u32[0] >= c->local_slots &&
	           (c->code[prev + 1].u32[0] == as || (!imm && c->code[prev + 1].u32[0] == bs));
	bool rot = vop == VM_I32_ROTL_RI && prev != CC_NONE && c->last_op == VM_I32_ROTL_RI &&
	           c->n == prev + VM_CELLS_I32_ROTL_RI && c->code[prev + 1].u32[0] >= c->local_slots;
	bool add2 = vop == VM_I32_ADD_RI && prev != CC_NONE && c->last_op == VM_I32_ADD &&
	            c->n == prev + VM_CELLS_I32_ADD && c->code[prev + 1].u32[0] >= c->local_slots &&
	            c->code[prev + 1].u32[0] == as;
	if ((vop == VM_I32_ADD || vop == VM_I32_ADD_RI) && prev != CC_NONE && c->last_op == VM_I32_ADD &&
	    cc_fuse_add2(c, prev, d, as, bs, imm ? &b.imm : NULL))
		return;
	bool xr2 = vop == VM_I32_ROTL_RI && prev != CC_NONE && c->last_op == VM_I32_XOR_ROTL2 &&
	           c->n == prev + VM_CELLS_I32_XOR_ROTL2;
	size_t at = cc_emit(c, vop);
	c->bin_prev = prev;
	c->shl_pos = shl && (vop == VM_I32_ADD || vop == VM_I32_ADD_RI) ? prev : CC_NONE;
	c->rot_pos = rot ? prev : CC_NONE;
	c->xr2_pos = xr2 ? prev : CC_NONE;
	c->ri_pos = vop == VM_I32_ADD_RI && prev != CC_NONE && c->last_op == VM_I32_ADD_RI &&
	            at == prev + VM_CELLS_I32_ADD_RI ? prev : CC_NONE;
	c->add_pos = add2 ? prev : CC_NONE;
	cc_pair(c, at + 1, d, as);
	if (imm)
		c->code[at + 2].u64 = b.imm;
	else
		cc_pair(c, at + 2, bs, 0);
	cc_produced(c, at, vop);
	if (cmp) {
		c->last_cmp = true;
		c->cmp = (struct cc_cond){ imm ? COND_CMP_RI : COND_CMP, op, as, bs, b.imm,
		                           add && prev + addlen == at ? prev + 1 : 0,
		                           ld_ok ? prev + 1 : 0, ld_ok && ld == as, false, 0 };
	}
}

/*
 * The fusions of an i32.and, marked after the instruction that follows it
 * (out of line, and cc_binop as it was: the compiler's own cost). The and
 * at p (I32_AND or I32_AND_RI) was the last instruction before it; if the
 * one emitted right after it reads the and's temporary result (a home
 * slot: nothing reads it after the instruction that pops it), as
 *  - an operand of a comparison (eqz, eq, ne, ...; the and with a
 *    constant): the condition records it (cc_fuse_andi_br);
 *  - the operand of a shift by a constant (the and of two slots): and_shl
 *    records it (cc_fuse_scaled, SXA).
 */
__attribute__((noinline))
static void cc_after_and(struct cc *c, size_t p)
{
	size_t at = c->last_pos;
	uint32_t d = c->code[p + 1].u32[0];
	c->and_shl = 0;
	if (at != p + VM_CELLS_I32_AND || d < c->local_slots)
		return;
	bool ri = c->code[p].u64 == cc_opc(c, VM_I32_AND_RI).u64;
	if (c->last_cmp && ri && ((c->cmp.kind == COND_Z && c->last_op == VM_I32_EQZ && d == c->cmp.a) ||
	                          (c->cmp.kind == COND_CMP && (d == c->cmp.a) != (d == c->cmp.b)))) {
		c->cmp.andi = p + 1;
		c->cmp.andi_first = d == c->cmp.a && c->cmp.kind == COND_CMP;
	} else if (c->last_op == VM_I32_SHL_RI && !ri && d == c->code[at + 1].u32[1]) {
		c->and_shl = p + 1;
	}
}

/* A unary (one) or binary operator, and the marks for the fusions of an
 * i32.and just before it. and_shl names the and of the latest shift by a
 * constant, if it shifts an and's result (kept for the add of the shift). */
static inline void cc_arith(struct cc *c, uint16_t wop, enum vm_op op, bool one, uint8_t rt)
{
	size_t p = c->last_pos != CC_NONE && (unsigned)c->last_op - VM_I32_AND <= 1 ? c->last_pos : CC_NONE;
	if (one)
		cc_unop(c, op, rt);
	else
		cc_binop(c, wop, rt);
	if (p != CC_NONE)
		cc_after_and(c, p);
	else if (c->last_op == VM_I32_SHL_RI)
		c->and_shl = 0;
}

/* local.set and local.tee. */
static void cc_local_set(struct cc *c, uint32_t x, bool tee)
{
	uint32_t xs = c->lslot[x];
	if (!c->astamp[x]) {
		c->astamp[x] = ++c->acount;
		c->aset[c->naset++] = x;
	}
	cc_unalias(c, xs, c->sp - 1);
	struct cc_val *top = &c->st[c->sp - 1];
	if (top->kind == CV_HOME && c->last_pos != CC_NONE && c->last_sp == c->sp - 1) {
		/* retarget the producer; the value now lives in the local */
		c->code[c->last_dcell].u32[0] = xs;
		size_t p = c->ri_pos;
		if (!tee && c->last_op == VM_I32_ADD_RI && p != CC_NONE && p + VM_CELLS_I32_ADD_RI == c->last_pos &&
		    c->code[p + 1].u32[0] < c->local_slots) {
			/* two locals bumped by constants in a row (a loop's
			 * pointers): one I32_ADD_RI2 [op][d|a][e|b][k|k'], in order */
			_Static_assert(VM_CELLS_I32_ADD_RI2 == VM_CELLS_I32_ADD_RI + 1, "I32_ADD_RI2 is a cell longer");
			uint32_t k0 = (uint32_t)c->code[p + 2].u64, k1 = (uint32_t)c->code[c->last_pos + 2].u64;
			uint32_t b = c->code[c->last_pos + 1].u32[1];
			p = cc_rewrite(c, p, VM_I32_ADD_RI2);
			cc_pair(c, p + 2, xs, b);
			cc_pair(c, p + 3, k0, k1);
			c->last_pos = c->ri_pos = CC_NONE;
			c->last_cmp = false;
			cc_pop(c);
			return;
		}
		c->last_sp = UINT32_MAX;
		c->last_cmp = false;
		if (tee) {
			top->kind = CV_LOCAL;
			top->slot = xs;
			c->local_refs++;
		} else {
			cc_pop(c);
		}
		return;
	}
	cc_move(c, top, xs);
	if (!tee)
		cc_pop(c);
	else if (top->kind == CV_LOCAL)
		top->slot = xs; /* a copy of another local: name the copy, so a
		                 * later write of the original need not save it */
}

/* A load, store or br_table at the second sum of the I32_ADD2 or
 * I32_ADD_ADDI just made, or a backward branch on it: make the two adds
 * again (the second at the returned index), so that the access or branch
 * absorbs the second (cc_fusable_add, cc_br_table_fused, cc_fuse_add_br),
 * as it would have without the pair (one dispatch either way, and the
 * fused forms may go further: a load and compare-and-branch, a scaled
 * index; an add-and-branch is cheaper than a branch after the pair). */
__attribute__((noinline))
static size_t cc_split_pair(struct cc *c, size_t p)
{
	bool ri = c->code[p].u64 == cc_opc(c, VM_I32_ADD_ADDI).u64;
	enum vm_op op = ri ? VM_I32_ADD_RI : VM_I32_ADD;
	uint32_t e = c->code[p + 3].u32[0], x = c->code[p + 3].u32[1], y = c->code[p + 2].u32[1];
	c->code[p] = cc_opc(c, VM_I32_ADD);
	c->code[p + 2].u32[1] = 0;
	_Static_assert(VM_CELLS_I32_ADD_RI == VM_CELLS_I32_ADD, "one length");
	size_t at = cc_rewrite(c, p + VM_CELLS_I32_ADD, op);
	cc_pair(c, at + 1, e, y);
	if (ri)
		c->code[at + 2].u64 = x;
	else
		cc_pair(c, at + 2, x, 0);
	return at;
}

static void cc_split_add2(struct cc *c, const struct cc_val *a)
{
	size_t p = c->last_pos;
	if (a->kind == CV_CONST || c->n != p + VM_CELLS_I32_ADD2 || c->code[p + 3].u32[0] != a->slot)
		return;
	uint32_t sp = c->last_sp;
	enum vm_op op = c->last_op == VM_I32_ADD_ADDI ? VM_I32_ADD_RI : VM_I32_ADD;
	cc_produced(c, cc_split_pair(c, p), op);
	c->last_sp = sp;
	c->bin_prev = p; /* the first add, for cc_fuse_load_add2 */
}

/* The fused form of a load or store, if the last instruction is an i32.add
 * whose destination is the address operand a; else VM_NONE. */
static enum vm_op cc_fusable_add(const struct cc *c, const struct cc_val *a, uint16_t op)
{
	if (a->kind == CV_CONST || c->last_pos == CC_NONE ||
	    c->code[c->last_dcell].u32[0] != a->slot)
		return VM_NONE;
	bool ri = c->last_op == VM_I32_ADD_RI;
	if (c->last_op != VM_I32_ADD && !ri)
		return VM_NONE;
	return cc_op(op, ri ? VF_ADDI : VF_ADD);
}

/* Turn the last instruction, an i32.add, into fused operation op with
 * memory offset off and final operand slot last (see vm_ops.h). */
static size_t cc_fuse_add(struct cc *c, enum vm_op op, uint64_t off, uint32_t last)
{
	size_t at = cc_rewrite(c, c->last_pos, op);
	c->code[at + 2].u32[1] = (uint32_t)off;
	cc_pair(c, at + 3, last, 0);
	c->last_pos = CC_NONE;
	c->last_cmp = false;
	return at;
}

/* A constant address joins the static offset (the sum of two 32-bit values
 * stays inside the reservation) and the address is read from the zero
 * slot. Returns the offset to encode. */
static uint64_t cc_address(struct cc *c, struct cc_val *a, uint64_t offset)
{
	if (a->kind != CV_CONST)
		return (uint32_t)offset;
	uint64_t off = (uint64_t)(uint32_t)offset + (uint32_t)a->imm;
	a->imm = 0;
	return off;
}

/* Is the access of in to a 32-bit memory 0, whose base the interpreter
 * keeps in a register? The others take the MEM operations, which name the
 * memory (vm_ops.h). */
static bool cc_guarded(const struct cc *c, const dec_instr *in)
{
	return in->mem == 0 && !c->m->mems[0].limits.addr64;
}

/* The [mem|w] cell of a MEM access: its memory and address width. */
static void cc_mem_cell(struct cc *c, size_t at, const dec_instr *in)
{
	cc_pair(c, at, in->mem, c->m->mems[in->mem].limits.addr64);
}

static void cc_operands(struct cc *c, uint32_t n, uint32_t *slots);

/* A load [op][d|addr][offset][mem|w] (result type rt) or store
 * [op][val|addr][offset][mem|w] of a memory the instruction names: no
 * fusion, no constant folded into the offset (the sum of a 64-bit address
 * and offset may wrap, and must trap). */
static void cc_mem_access(struct cc *c, const dec_instr *in, uint8_t rt)
{
	enum vm_op op = cc_op(in->op, VF_MEM);
	uint32_t o[2] = { 0, 0 }, d;

	cc_operands(c, rt ? 1 : 2, o);
	d = rt ? cc_push(c, rt)->home : o[1];
	size_t at = cc_emit(c, op);
	cc_pair(c, at + 1, d, o[0]);
	c->code[at + 2].u64 = in->imm;
	cc_mem_cell(c, at + 3, in);
	if (rt)
		cc_produced(c, at, op);
}

/*
 * A load whose address the last instruction, an i32.add, computed from the
 * result of the i32.shl by a constant right before it (a scaled index: a
 * table or array element) becomes one instruction written over the shift,
 * [op][d|x][y|o][l|-], when the shift's result and the sum are both
 * temporaries (home slots: nothing reads them after the load), since
 * neither is written. y is the add's other operand, a slot (SX) or a
 * constant (SXI); l the shift count. A shift of the temporary result of an
 * i32.and just before it folds the and too (SXA, a masked index).
 */
static bool cc_fuse_scaled(struct cc *c, const dec_instr *in, uint32_t d)
{
	size_t sp = c->shl_pos, ap = c->last_pos, an = c->and_shl - 1;
	bool ri = c->last_op == VM_I32_ADD_RI;
	/* the shift's operand the temporary result of an i32.and right before
	 * it (cc_after_and): SXA [op][d|x][y|o][l|m] for x & m, over the and */
	bool masked = !ri && c->and_shl && an + VM_CELLS_I32_AND == sp && cc_op(in->op, VF_SXA) != VM_NONE;
	enum vm_op op = cc_op(in->op, ri ? VF_SXI : masked ? VF_SXA : VF_SX);
	if (op == VM_NONE || sp == CC_NONE || ap != sp + VM_CELLS_I32_SHL_RI ||
	    c->n != ap + vm_ops[c->last_op].cells || c->code[ap + 1].u32[0] < c->local_slots ||
	    in->imm > UINT32_MAX)
		return false;
	uint32_t t = c->code[sp + 1].u32[0], x = c->code[sp + 1].u32[1];
	uint32_t l = (uint32_t)c->code[sp + 2].u64 & 31, y;
	if (ri)
		y = (uint32_t)c->code[ap + 2].u64;
	else
		y = c->code[ap + 1].u32[1] == t ? c->code[ap + 2].u32[0] : c->code[ap + 1].u32[1];
	uint32_t m = 0;
	if (masked) {
		x = c->code[an + 1].u32[1];
		m = c->code[an + 2].u32[0];
		sp = an;
	}
	size_t at = cc_rewrite(c, sp, op);
	cc_pair(c, at + 1, d, x);
	cc_pair(c, at + 2, y, (uint32_t)in->imm);
	cc_pair(c, at + 3, l, m);
	c->shl_pos = CC_NONE;
	c->and_shl = 0;
	cc_produced(c, at, op);
	return true;
}

/*
 * A load whose address the last instruction, a plain i32.load, just
 * loaded into a temporary (a home slot: nothing reads it after this load,
 * which takes it off the stack) becomes one instruction written over that
 * load, [op][d|p][o|o'] (a pointer followed: p->q->field). The address
 * operand is in slot as and goes to d; off is this load's offset.
 */
__attribute__((noinline))
static bool cc_fuse_ld(struct cc *c, const dec_instr *in, uint32_t as, uint64_t off, uint32_t d)
{
	size_t p = c->last_pos;
	enum vm_op op = cc_op(in->op, VF_LD);
	if (op == VM_NONE || c->n != p + VM_CELLS_I32_LOAD ||
	    c->code[p + 1].u32[0] != as || as < c->local_slots || c->last_sp != c->sp - 1 ||
	    off > UINT32_MAX || c->code[p + 2].u64 > UINT32_MAX)
		return false;
	uint32_t src = c->code[p + 1].u32[1], o = (uint32_t)c->code[p + 2].u64;
	size_t at = cc_rewrite(c, p, op);
	cc_pair(c, at + 1, d, src);
	cc_pair(c, at + 2, o, (uint32_t)off);
	cc_produced(c, at, op);
	return true;
}

/*
 * A load whose address the last instruction, an i32.add, computed from the
 * sum of the i32.add right before it (and another operand) becomes one
 * instruction written over the first add, [op][s|a][b|e][c|o][d|-]: both
 * sums are written (they may be locals: a pointer and a pointer plus an
 * index, zlib's match[best_len]), then the load into d.
 */
__attribute__((noinline))
static bool cc_fuse_load_add2(struct cc *c, const dec_instr *in, uint32_t d)
{
	size_t ap = c->last_pos, p = c->bin_prev;
	enum vm_op op = cc_op(in->op, VF_ADD2);
	if (op == VM_NONE || c->last_op != VM_I32_ADD || p == CC_NONE || p + VM_CELLS_I32_ADD != ap ||
	    c->n != ap + VM_CELLS_I32_ADD || c->code[p].u64 != cc_opc(c, VM_I32_ADD).u64 ||
	    in->imm > UINT32_MAX)
		return false;
	uint32_t s = c->code[p + 1].u32[0], a = c->code[p + 1].u32[1], b = c->code[p + 2].u32[0];
	uint32_t e = c->code[ap + 1].u32[0], x = c->code[ap + 1].u32[1], y = c->code[ap + 2].u32[0];
	if (x != s && y != s)
		return false;
	size_t at = cc_rewrite(c, p, op);
	cc_pair(c, at + 1, s, a);
	cc_pair(c, at + 2, b, e);
	cc_pair(c, at + 3, x == s ? y : x, (uint32_t)in->imm);
	cc_pair(c, at + 4, d, 0);
	c->shl_pos = CC_NONE;
	cc_produced(c, at, op);
	c->last_dcell = at + 4;
	return true;
}

/* Loads [op][d|addr][offset], or fused with the add before them. */
__attribute__((noinline))
static void cc_load(struct cc *c, const dec_instr *in, uint8_t rt)
{
	if (!cc_guarded(c, in)) {
		cc_mem_access(c, in, rt);
		return;
	}
	struct cc_val a = cc_pop(c);
	if (c->last_pos != CC_NONE && (c->last_op == VM_I32_ADD2 || c->last_op == VM_I32_ADD_ADDI))
		cc_split_add2(c, &a);
	enum vm_op fused = cc_fusable_add(c, &a, in->op);
	uint64_t off = cc_address(c, &a, in->imm);
	uint32_t as = cc_slot(c, &a);
	struct cc_val *r = cc_push(c, rt);
	if (fused != VM_NONE && (cc_fuse_scaled(c, in, r->home) || cc_fuse_load_add2(c, in, r->home)))
		return;
	if (fused != VM_NONE) {
		size_t at = cc_fuse_add(c, fused, in->imm, r->home);
		cc_produced(c, at, fused);
		c->last_dcell = at + 3;
		return;
	}
	if (c->last_pos != CC_NONE && c->last_op == VM_I32_LOAD && cc_fuse_ld(c, in, as, off, r->home))
		return;
	enum vm_op op = cc_op(in->op, VF_WASM);
	size_t at = cc_emit(c, op);
	cc_pair(c, at + 1, r->home, as);
	c->code[at + 2].u64 = off;
	cc_produced(c, at, op);
}

/* The immediate-value forms of a store: alone, or fused with an add. */
static enum vm_op cc_store_imm(uint16_t op, enum vm_op fused)
{
	if (fused == VM_NONE)
		return cc_op(op, VF_I);
	return cc_op(op, vm_ops[fused].family == VF_ADD ? VF_IADD : VF_IADDI);
}

/* The form of the f64 operation that, as the last instruction, just
 * computed the value v of an f64.store, fused with the store; else
 * VM_NONE. */
static enum vm_op cc_fusable_st(const struct cc *c, uint16_t op, const struct cc_val *v)
{
	if (op == OP_F64_STORE && c->last_pos != CC_NONE &&
	    (c->last_op == VM_F64_MULADD_M || c->last_op == VM_F64_MULADD_MAI) &&
	    c->n == c->last_pos + VM_CELLS_F64_MULADD_M && v->kind == CV_HOME && c->last_sp == c->sp + 1)
		/* [s|p][off][b|x][off'], [s|a][k|o][e|x][off']: the store's offset last */
		return c->last_op == VM_F64_MULADD_M ? VM_F64_MULADD_M_ST : VM_F64_MULADD_MAI_ST;
	if (op != OP_F64_STORE || c->last_pos == CC_NONE || c->n != c->last_pos + 3)
		return VM_NONE;
	const struct vm_op_info *last = &vm_ops[c->last_op];
	/* The value a local.tee just gave a local (the operation writes it):
	 * the form that writes the local as well. */
	if (v->kind == CV_LOCAL && c->code[c->last_dcell].u32[0] == v->slot)
		return last->family == VF_RI ? cc_op(last->from, VF_ST_RI_L) : VM_NONE;
	if (v->kind != CV_HOME || c->last_sp != c->sp + 1)
		return VM_NONE;
	switch (last->family) {
	case VF_WASM: return cc_op(last->from, VF_ST);
	case VF_RI: return cc_op(last->from, VF_ST_RI);
	case VF_MUL: return cc_op(last->from, VF_MUL_ST);
	case VF_MUL_R: return cc_op(last->from, VF_MUL_R_ST);
	default: return VM_NONE;
	}
}

/* Stores [op][val|addr][offset], with a constant value [op][imm32|addr],
 * fused with the add before them, or (f64) folded into the operation that
 * computed the value: its destination becomes the address. */
static void cc_store(struct cc *c, const dec_instr *in)
{
	if (!cc_guarded(c, in)) {
		cc_mem_access(c, in, 0);
		return;
	}
	struct cc_val v = cc_pop(c), a = cc_pop(c);
	enum vm_op st = cc_fusable_st(c, in->op, &v);
	if (st != VM_NONE) {
		uint64_t off = cc_address(c, &a, in->imm);
		uint32_t as = cc_slot(c, &a);
		size_t at = cc_rewrite(c, c->last_pos, st);
		c->code[at + 1].u32[0] = as;
		c->code[at + (st == VM_F64_MULADD_M_ST || st == VM_F64_MULADD_MAI_ST ? 4 : 3)].u64 = off;
		if (vm_ops[st].family == VF_ST_RI_L)
			c->code[at + 4].u32[0] = v.slot;
		c->last_pos = CC_NONE;
		c->last_cmp = false;
		return;
	}
	if (c->last_pos != CC_NONE && (c->last_op == VM_I32_ADD2 || c->last_op == VM_I32_ADD_ADDI))
		cc_split_add2(c, &a);
	enum vm_op op = cc_op(in->op, VF_WASM), fused = cc_fusable_add(c, &a, in->op);
	bool imm = v.kind == CV_CONST && v.imm <= UINT32_MAX;
	uint32_t vs;
	if (fused != VM_NONE && (imm || v.kind != CV_CONST)) {
		op = imm ? cc_store_imm(in->op, fused) : fused;
		cc_fuse_add(c, op, in->imm, imm ? (uint32_t)v.imm : v.slot);
		return;
	}
	if (imm) {
		op = cc_store_imm(in->op, VM_NONE);
		vs = (uint32_t)v.imm;
	} else {
		vs = cc_slot(c, &v);
	}
	uint64_t off = cc_address(c, &a, in->imm);
	uint32_t as = cc_slot(c, &a);
	size_t at = cc_emit(c, op);
	cc_pair(c, at + 1, vs, as);
	c->code[at + 2].u64 = off;
}

/* Pop n operands into slots[] (first operand first). */
static void cc_operands(struct cc *c, uint32_t n, uint32_t *slots)
{
	struct cc_val v[4];
	for (uint32_t i = n; i-- > 0;)
		v[i] = cc_pop(c);
	for (uint32_t i = 0; i < n; i++)
		slots[i] = cc_slot(c, &v[i]);
}

/* An instruction taking n operands into cell pairs, with optional result
 * type rt (0: none) in the first half; extra immediates follow. Layouts as
 * in vm_ops.h: [op][r|o0][o1|x]... */
static size_t cc_generic(struct cc *c, enum vm_op op, uint32_t n, uint8_t rt)
{
	uint32_t o[4] = { 0, 0, 0, 0 };
	cc_operands(c, n, o);
	uint32_t d = 0;
	if (rt)
		d = cc_push(c, rt)->home;
	size_t at = cc_emit(c, op), ncells = vm_ops[op].cells;
	uint32_t h[6] = { 0 }, k = 0;
	if (rt)
		h[k++] = d;
	for (uint32_t i = 0; i < n; i++)
		h[k++] = o[i];
	for (uint32_t i = 0; i < 6 && 1 + i / 2 < ncells; i++)
		c->code[at + 1 + i / 2].u32[i % 2] = h[i];
	if (rt)
		cc_produced(c, at, op);
	return at;
}

/* select: [op][d|a][b|cond] */
static void cc_select(struct cc *c)
{
	uint32_t o[3];
	uint8_t type = c->sp >= 3 ? c->st[c->sp - 3].type : WR_I32;
	cc_operands(c, 3, o);
	uint32_t d = cc_push(c, type)->home;
	enum vm_op op = type == WR_V128 ? VM_SELECT128 : VM_SELECT;
	size_t at = cc_emit(c, op);
	cc_pair(c, at + 1, d, o[0]);
	cc_pair(c, at + 2, o[1], o[2]);
	cc_produced(c, at, op);
}

static void cc_global_get(struct cc *c, uint32_t g)
{
	uint8_t type = c->m->globals[g].type;
	uint32_t d = cc_push(c, type)->home;
	enum vm_op op = type == WR_V128 ? VM_GLOBAL_GET128 : VM_GLOBAL_GET;
	size_t at = cc_emit(c, op);
	cc_pair(c, at + 1, d, g);
	cc_produced(c, at, op);
}

static void cc_global_set(struct cc *c, uint32_t g)
{
	struct cc_val v = cc_pop(c);
	uint32_t s = cc_slot(c, &v);
	uint8_t type = c->m->globals[g].type;
	size_t at = cc_emit(c, type == WR_V128 ? VM_GLOBAL_SET128 : VM_GLOBAL_SET);
	cc_pair(c, at + 1, s, g);
}

/* ---- control ---- */

static struct cc_ctrl *cc_label(struct cc *c, uint32_t depth)
{
	return &c->ctl[c->nctl - 1 - depth];
}

static uint32_t cc_arity(const struct cc_ctrl *t)
{
	return t->kind == CC_LOOP ? t->nparams : t->nresults;
}

static const uint8_t *cc_results(const struct cc_ctrl *t)
{
	return t->results ? t->results : &t->one;
}

static void cc_unreachable(struct cc *c)
{
	c->ctl[c->nctl - 1].unreachable = true;
}

/*
 * A backward branch on an i32 comparison that was just taken back, right
 * after the i32.add before it, whose sum the comparison reads: rewrite the
 * add into one add-and-branch instruction (see vm_ops.h). Returns false if the
 * pattern does not hold.
 */
static bool cc_fuse_add_br(struct cc *c, const struct cc_cond *k, const struct cc_ctrl *t)
{
	if (!k->add || (k->kind != COND_CMP && k->kind != COND_CMP_RI))
		return false;
	size_t at = k->add - 1;
	bool pair = c->n == at + VM_CELLS_I32_ADD_ADDI && c->code[at].u64 == cc_opc(c, VM_I32_ADD_ADDI).u64;
	if (c->n != at + (pair ? VM_CELLS_I32_ADD_ADDI : 3))
		return false;
	uint32_t s = c->code[at + (pair ? 3 : 1)].u32[0], other = k->kind == COND_CMP_RI ? (uint32_t)k->k : k->b;
	uint16_t cmp = k->cmp;
	if (k->a != s) {
		if (k->kind != COND_CMP || k->b != s)
			return false;
		cmp = cc_cmp(cmp)->mirror;
		other = k->a;
	}
	bool addi = pair || cc_opc(c, VM_I32_ADD_RI).u64 == c->code[at].u64, ri = k->kind == COND_CMP_RI;
	enum vm_op op = cc_op(cmp, addi ? (ri ? VF_ADDI_BR_RI_BK : VF_ADDI_BR_BK)
	                                : (ri ? VF_ADD_BR_RI_BK : VF_ADD_BR_BK));
	if (op == VM_NONE)
		return false;
	if (pair)
		at = cc_split_pair(c, at);
	at = cc_rewrite(c, at, op);
	if (c->oom)
		return true;
	c->code[at + 2].u32[1] = other;
	cc_target(c, at + 3, t->start);
	c->code[at + 4].u64 = c->count - t->start_count + 1;
	c->last_pos = CC_NONE;
	c->last_cmp = false;
	return true;
}

/* A branch to the end of t from here (or a catch clause landing there). */
static void cc_targeted(struct cc *c, struct cc_ctrl *t)
{
	t->targeted = true;
	if (t->amark > c->acount)
		t->amark = c->acount;
}

/* A forward branch fused at `at` into operation op: its target (the last
 * cell) joins t's chain of branches to its end, or *chain if t is NULL. */
static void cc_fused_target(struct cc *c, size_t at, enum vm_op op, struct cc_ctrl *t, size_t *chain)
{
	size_t tc = at + vm_ops[op].cells - 1;
	if (t) {
		cc_chain(c, tc, &t->patch);
		cc_targeted(c, t);
	} else {
		cc_chain(c, tc, chain);
	}
	c->last_pos = CC_NONE;
	c->last_cmp = false;
}

/*
 * A forward branch on an i32 comparison that was just taken back, right
 * after the i32.load (or I32_LOAD_ADDI) of one of its operands into a
 * temporary: rewrite the load into one load-compare-and-branch
 * (BR_I32_*_M, _MAI), comparing the other operand with the value loaded.
 * A branch on a plain i32.load or i32.load8_u into a temporary being zero
 * or not likewise becomes BR_Z_M, BR_NZ_M(8).
 */
static bool cc_fuse_load_br(struct cc *c, const struct cc_cond *k, struct cc_ctrl *t, size_t *chain)
{
	if (!k->load || (k->kind != COND_CMP && k->kind != COND_Z && k->kind != COND_NZ))
		return false;
	size_t at = k->load - 1;
	bool addi = cc_opc(c, VM_I32_LOAD_ADDI).u64 == c->code[at].u64;
	if (c->n != at + (addi ? VM_CELLS_I32_LOAD_ADDI : VM_CELLS_I32_LOAD))
		return false;
	enum vm_op op;
	uint32_t other = 0;
	if (k->kind != COND_CMP) {
		/* a plain i32.load or i32.load8_u tested (cc_pop_cond): BR_Z_M,
		 * BR_NZ_M(8) [-|p][off][tgt], the load's cells and a target */
		_Static_assert(VM_CELLS_I32_LOAD8_U == VM_CELLS_I32_LOAD, "the tested loads are as long");
		bool b8 = cc_opc(c, VM_I32_LOAD8_U).u64 == c->code[at].u64;
		op = k->kind == COND_Z ? (b8 ? VM_BR_Z_M8 : VM_BR_Z_M) : (b8 ? VM_BR_NZ_M8 : VM_BR_NZ_M);
	} else {
		op = cc_op(k->load_first ? cc_cmp(k->cmp)->mirror : k->cmp, addi ? VF_BR_MAI : VF_BR_M);
		other = k->load_first ? k->b : k->a;
	}
	if (op == VM_NONE)
		return false;
	at = cc_rewrite(c, at, op);
	if (c->oom)
		return true;
	if (addi)
		c->code[at + 3].u32[0] = other;
	else
		c->code[at + 1].u32[0] = other;
	cc_fused_target(c, at, op, t, chain);
	return true;
}

/*
 * A forward branch on a test or an equality of the temporary result of
 * the i32.and with a constant just before it (flag tests, a byte masked
 * and compared): rewrite the and into one BR_ANDI_Z, _NZ [-|a][k][tgt] or
 * BR_I32_EQ/NE_ANDI [b|a][k][tgt], comparing b with a & k. The and's
 * result is not written: it was a temporary the condition consumed.
 */
static bool cc_fuse_andi_br(struct cc *c, const struct cc_cond *k, struct cc_ctrl *t, size_t *chain)
{
	if (!k->andi || c->n != k->andi - 1 + VM_CELLS_I32_AND_RI)
		return false;
	enum vm_op op;
	if (k->kind == COND_Z || k->kind == COND_NZ)
		op = k->kind == COND_Z ? VM_BR_ANDI_Z : VM_BR_ANDI_NZ;
	else if (k->kind == COND_CMP)
		op = cc_op(k->andi_first ? cc_cmp(k->cmp)->mirror : k->cmp, VF_ANDI_BR);
	else
		return false;
	if (op == VM_NONE)
		return false;
	size_t at = cc_rewrite(c, k->andi - 1, op);
	if (c->oom)
		return true;
	c->code[at + 1].u32[0] = k->kind != COND_CMP ? 0 : k->andi_first ? k->b : k->a;
	cc_fused_target(c, at, op, t, chain);
	return true;
}

/*
 * Two forward branches on `x >u K` and `y >u L` in a row to one label, no
 * label between (brk_prev, brk_pos): one BR_I32_GT_U_RI2 [x|y][K|L][tgt]
 * written over the first, whose target cell stays where it was; the
 * second's target cell leaves the chain and the relocations (it was the
 * last linked to both). minivm's checks of its two stack pointers.
 */
static void cc_fuse_or(struct cc *c, struct cc_ctrl *t)
{
	size_t q = c->brk_pos, p = c->brk_prev, n = c->nrelocs;
	uint64_t gt = cc_opc(c, VM_BR_I32_GT_U_RI).u64;
	_Static_assert(VM_CELLS_BR_I32_GT_U_RI2 == VM_CELLS_BR_I32_GT_U_RI, "one length");
	if (q == CC_NONE || p == CC_NONE || p + VM_CELLS_BR_I32_GT_U_RI != q ||
	    c->n != q + VM_CELLS_BR_I32_GT_U_RI || c->code[p].u64 != gt || c->code[q].u64 != gt ||
	    t->patch != q + 4 || c->code[q + 3].u64 != p + 4 || !n || c->relocs[n - 1] != q + 3)
		return;
	c->code[p] = cc_opc(c, VM_BR_I32_GT_U_RI2);
	cc_pair(c, p + 1, c->code[p + 1].u32[0], c->code[q + 1].u32[0]);
	cc_pair(c, p + 2, (uint32_t)c->code[p + 2].u64, (uint32_t)c->code[q + 2].u64);
	t->patch = p + 4;
	c->nrelocs--;
	c->n = q;
	c->brk_pos = c->brk_prev = CC_NONE;
}

/*
 * A range check: a forward branch on `x <s 0` right after one on `x >s K`
 * (or `x >=s K`) to the same label, K >= 0, or the same two the other way
 * round. Either is taken exactly when x, unsigned, is above K (at least
 * K): the first branch becomes BR_I32_GT_U_RI (GE_U) and the second is not
 * emitted. Both targets are the same chain's, the first the last linked,
 * and no label lies between them (brk_pos), so no path enters between the
 * two tests.
 */
static bool cc_fuse_range(struct cc *c, const struct cc_cond *k, struct cc_ctrl *t)
{
	size_t p = c->brk_pos;
	_Static_assert(VM_CELLS_BR_I32_LT_S_RI == VM_CELLS_BR_I32_GT_U_RI &&
	               VM_CELLS_BR_I32_GT_S_RI == VM_CELLS_BR_I32_GE_U_RI, "one length");
	if (p == CC_NONE || c->n != p + VM_CELLS_BR_I32_LT_S_RI || t->patch != p + VM_CELLS_BR_I32_LT_S_RI ||
	    c->code[p + 1].u32[0] != k->a)
		return false;
	uint64_t prev = c->code[p].u64;
	uint32_t pk = (uint32_t)c->code[p + 2].u64, nk = (uint32_t)k->k, bound;
	uint16_t other;
	if (prev == cc_opc(c, VM_BR_I32_LT_S_RI).u64 && pk == 0) {
		other = k->cmp;
		bound = nk;
	} else if ((prev == cc_opc(c, VM_BR_I32_GT_S_RI).u64 || prev == cc_opc(c, VM_BR_I32_GE_S_RI).u64) &&
	           k->cmp == OP_I32_LT_S && nk == 0) {
		other = prev == cc_opc(c, VM_BR_I32_GT_S_RI).u64 ? OP_I32_GT_S : OP_I32_GE_S;
		bound = pk;
	} else {
		return false;
	}
	if ((other != OP_I32_GT_S && other != OP_I32_GE_S) || (int32_t)bound < 0)
		return false;
	c->code[p] = cc_opc(c, other == OP_I32_GT_S ? VM_BR_I32_GT_U_RI : VM_BR_I32_GE_U_RI);
	c->code[p + 2].u64 = bound;
	cc_targeted(c, t);
	cc_fuse_or(c, t);
	return true;
}

/*
 * A backward branch (always, or on an i32 comparison of two slots) right
 * after a MOV64: one MOV64_BR_BK or MOV_BR_I32_*_BK written over the copy
 * [op][d|a]([b|c])[tgt][cst], which copies first and then compares (the
 * comparison was compiled after the copy, so it may read the slot written).
 */
static bool cc_fuse_mov_br(struct cc *c, const struct cc_cond *k, const struct cc_ctrl *t)
{
	size_t at = c->mov_pos;
	if (at == CC_NONE || c->n != at + VM_CELLS_MOV64 || (k && k->kind != COND_CMP))
		return false;
	enum vm_op op = k ? cc_op(k->cmp, VF_MOV_BR_BK) : VM_MOV64_BR_BK;
	if (op == VM_NONE)
		return false;
	at = cc_rewrite(c, at, op);
	if (c->oom)
		return true;
	if (k)
		cc_pair(c, at + 2, k->a, k->b);
	size_t tc = at + vm_ops[op].cells - 2;
	cc_target(c, tc, t->start);
	c->code[tc + 1].u64 = c->count - t->start_count + 1;
	c->mov_pos = CC_NONE;
	return true;
}

/* Emit a branch on condition k (NULL: always) to label t, or, if t is
 * NULL, to the chain *chain. */
static void cc_branch(struct cc *c, const struct cc_cond *k, struct cc_ctrl *t, size_t *chain)
{
	bool back = t && t->kind == CC_LOOP;
	enum vm_op op;
	if (back && k && cc_fuse_add_br(c, k, t))
		return;
	if (back && cc_fuse_mov_br(c, k, t))
		return;
	if (!back && k && (cc_fuse_load_br(c, k, t, chain) || cc_fuse_andi_br(c, k, t, chain)))
		return;
	if (!back && t && k && k->kind == COND_CMP_RI && cc_fuse_range(c, k, t))
		return;
	if (back && k && k->kind == COND_NZ && k->add) {
		/* the sum != 0: the add-and-branch form with the constant 0 */
		struct cc_cond ne = { COND_CMP_RI, OP_I32_NE, k->a, 0, 0, k->add, 0, false, false, 0 };
		if (cc_fuse_add_br(c, &ne, t))
			return;
	}
	if (!k) {
		op = back ? VM_BR_BK : VM_BR;
	} else if (k->kind == COND_CMP || k->kind == COND_CMP_RI) {
		bool ri = k->kind == COND_CMP_RI;
		op = cc_op(k->cmp, ri ? (back ? VF_BR_RI_BK : VF_BR_RI) : (back ? VF_BR_BK : VF_BR));
	} else {
		static const enum vm_op fw[] = { VM_BR_NZ, VM_BR_Z, VM_BR_NZ64, VM_BR_Z64 };
		static const enum vm_op bk[] = { VM_BR_NZ_BK, VM_BR_Z_BK, VM_BR_NZ64_BK, VM_BR_Z64_BK };
		op = back ? bk[k->kind] : fw[k->kind];
	}
	size_t at = cc_emit(c, op);
	if (k) {
		cc_pair(c, at + 1, k->a, k->kind == COND_CMP ? k->b : 0);
		if (k->kind == COND_CMP_RI)
			c->code[at + 2].u64 = k->k;
	}
	/* the target is the last cell, or the one before the cost */
	size_t tc = at + vm_ops[op].cells - 1 - back;
	if (back) {
		cc_target(c, tc, t->start);
		c->code[tc + 1].u64 = c->count - t->start_count + 1;
	} else if (t) {
		cc_chain(c, tc, &t->patch);
		cc_targeted(c, t);
		if (k && k->kind == COND_CMP_RI) {
			c->brk_prev = c->brk_pos != CC_NONE && c->brk_pos + VM_CELLS_BR_I32_GT_U_RI == at
			              ? c->brk_pos : CC_NONE;
			c->brk_pos = at;
			if (op == VM_BR_I32_GT_U_RI)
				cc_fuse_or(c, t);
		}
	} else {
		cc_chain(c, tc, chain);
	}
}

/* The condition that holds exactly when k does not. */
static struct cc_cond cc_negate(struct cc_cond k)
{
	static const uint8_t neg[] = { COND_Z, COND_NZ, COND_Z64, COND_NZ64 };
	if (k.kind == COND_CMP || k.kind == COND_CMP_RI)
		k.cmp = cc_cmp(k.cmp)->neg;
	else
		k.kind = neg[k.kind];
	return k;
}

/* Pop a branch condition. If the comparison that produced it is the last
 * instruction, take it back and branch on the comparison itself. */
static struct cc_cond cc_pop_cond(struct cc *c)
{
	struct cc_val *top = &c->st[c->sp - 1];
	struct cc_cond k;
	if (top->kind == CV_HOME && c->last_cmp && c->last_sp == c->sp - 1) {
		k = c->cmp;
		c->n = c->last_pos;
		c->last_pos = CC_NONE;
		c->last_cmp = false;
		cc_pop(c);
		return k;
	}
	struct cc_val v = cc_pop(c);
	k = (struct cc_cond){ COND_NZ, 0, cc_slot(c, &v), 0, 0, 0, 0, false, false, 0 };
	/* br_if on a sum the i32.add just before computed (a count down to
	 * zero): the add may fuse with a backward branch (cc_branch); on the
	 * temporary result of an i32.and with a constant, a forward one */
	if (v.type == WR_I32 && c->last_pos != CC_NONE && c->n == c->last_pos + 3 &&
	    c->code[c->last_pos + 1].u32[0] == k.a) {
		if (c->last_op == VM_I32_ADD || c->last_op == VM_I32_ADD_RI)
			k.add = c->last_pos + 1;
		else if (c->last_op == VM_I32_AND_RI && k.a >= c->local_slots && c->last_sp == c->sp)
			k.andi = c->last_pos + 1;
		else if ((c->last_op == VM_I32_LOAD || c->last_op == VM_I32_LOAD8_U) && k.a >= c->local_slots &&
		         c->last_sp == c->sp)
			k.load = c->last_pos + 1; /* a value loaded, tested: cc_fuse_load_br */
	}
	if (v.type == WR_I32 && c->last_pos != CC_NONE && c->last_op == VM_I32_ADD_ADDI &&
	    c->n == c->last_pos + VM_CELLS_I32_ADD_ADDI && c->code[c->last_pos + 3].u32[0] == k.a)
		k.add = c->last_pos + 1;
	return k;
}

/* Place the top n values into the home slots of t's label values. */
static void cc_place(struct cc *c, const struct cc_ctrl *t, uint32_t n)
{
	uint32_t dst = t->home;
	for (uint32_t i = c->sp - n; i < c->sp; i++) {
		cc_move(c, &c->st[i], dst);
		dst += mod_slots(c->st[i].type);
	}
}

/* return: results to slots 0.., then RETURN (RET1 for one slot). */
static void cc_return(struct cc *c)
{
	uint32_t n = c->ft->nresults;
	if (n == 1 && c->ft->result_slots == 1 && c->st[c->sp - 1].kind != CV_CONST) {
		size_t at = cc_emit(c, VM_RET1);
		cc_pair(c, at + 1, c->st[c->sp - 1].slot, 0);
		return;
	}
	if (n > 1)
		for (uint32_t i = c->sp - n; i < c->sp; i++)
			if (c->st[i].kind == CV_LOCAL)
				cc_materialize(c, i);
	uint32_t dst = 0;
	for (uint32_t i = c->sp - n; i < c->sp; i++) {
		cc_move(c, &c->st[i], dst);
		dst += mod_slots(c->st[i].type);
	}
	cc_emit(c, VM_RETURN);
}

/* br to label depth: values to the label's slots, then jump. */
static void cc_br(struct cc *c, uint32_t depth)
{
	struct cc_ctrl *t = cc_label(c, depth);
	if (t->kind == CC_FUNC) {
		cc_return(c);
	} else {
		cc_place(c, t, cc_arity(t));
		cc_branch(c, NULL, t, NULL);
	}
	cc_unreachable(c);
}

/* A branch to label depth on condition k (br_if once its condition is
 * popped): a direct conditional branch when the values are already where
 * the label wants them, else a skip over the moves and an unconditional br. */
static inline void cc_br_cond(struct cc *c, uint32_t depth, struct cc_cond k)
{
	struct cc_ctrl *t = cc_label(c, depth);
	uint32_t n = cc_arity(t);
	if (t->kind != CC_FUNC && c->sp - n == t->height) {
		cc_materialize_top(c, n);
		cc_branch(c, &k, t, NULL);
		return;
	}
	size_t skip = 0;
	struct cc_cond nk = cc_negate(k);
	cc_branch(c, &nk, NULL, &skip);
	if (t->kind == CC_FUNC) {
		cc_return(c);
	} else {
		cc_place(c, t, n);
		cc_branch(c, NULL, t, NULL);
	}
	cc_resolve(c, &skip);
}

static void cc_br_if(struct cc *c, uint32_t depth)
{
	cc_br_cond(c, depth, cc_pop_cond(c));
}

/* Read the labels of a br_table (n + 1 of them, the default last). */
static uint32_t *cc_table_labels(struct cc *c, dec_instr *in)
{
	uint32_t *l = malloc(((size_t)in->a + 1) * sizeof(*l));
	if (!l) {
		c->oom = true;
		return NULL;
	}
	for (uint32_t i = 0; i <= in->a; i++)
		if (!dec_br_table_next(in, &l[i]))
			l[i] = 0;
	return l;
}

/*
 * A constant copied to a slot (CONST32, CONST64) right before the
 * instruction at p, with no label between them: its slot and value. (The
 * copy of a constant into a local at minivm's dispatch, before its
 * br_table, which then writes it: BR_TABLE_LOAD_SXI_K.)
 */
static bool cc_const_before(const struct cc *c, size_t p, uint32_t *d, uint64_t *v)
{
	size_t q = c->const_pos;
	if (q == CC_NONE)
		return false;
	if (q + VM_CELLS_CONST32 == p && c->code[q].u64 == cc_opc(c, VM_CONST32).u64) {
		*d = c->code[q + 1].u32[0];
		*v = c->code[q + 1].u32[1];
		return true;
	}
	if (q + VM_CELLS_CONST64 == p && c->code[q].u64 == cc_opc(c, VM_CONST64).u64) {
		*d = c->code[q + 1].u32[0];
		*v = c->code[q + 2].u64;
		return true;
	}
	return false;
}

/*
 * br_table on the index the last instruction just computed into its home
 * slot, with nothing emitted since: that instruction, if it has a form
 * fused with br_table (vm_ops.h), becomes one, its result not written
 * (the index is popped: nothing reads it again). Returns where the fused
 * instruction is, or CC_NONE. (A form that writes the result too, for an
 * index kept in a local, saved sqlite 0.1% and cost minivm 2.3%: the
 * write is three instructions.)
 */
static size_t cc_br_table_fused(struct cc *c, const struct cc_val *idx, uint32_t n)
{
	size_t p = c->last_pos;
	if (idx->kind != CV_HOME || p == CC_NONE || c->last_sp != c->sp ||
	    c->n != p + vm_ops[c->last_op].cells || c->code[c->last_dcell].u32[0] != idx->slot)
		return CC_NONE;
	const vm_cell *k = c->code + p;
	uint32_t x = k[1].u32[1], y = k[2].u32[0], o = k[2].u32[1], l = k[3].u32[0];
	uint32_t kd = 0;
	uint64_t kv = 0;
	enum vm_op op;
	switch (c->last_op) {
	case VM_I32_ADD_RI: /* [d|a][imm] */
		op = VM_BR_TABLE_ADD_RI;
		y = (uint32_t)k[2].u64;
		break;
	case VM_I32_LOAD8_U: /* [d|p][off] */
		if (k[2].u64 > UINT32_MAX)
			return CC_NONE;
		op = VM_BR_TABLE_LOAD8_U;
		y = (uint32_t)k[2].u64;
		break;
	case VM_I32_LOAD8_U_ADDI: /* [s|a][y|o][d|-]: only if the sum s is not a local's */
		if (k[1].u32[0] < c->local_slots)
			return CC_NONE;
		op = VM_BR_TABLE_LOAD8_U_ADDI;
		break;
	case VM_I32_LOAD_SXI: /* [d|x][k|o][l|-] */
		op = VM_BR_TABLE_LOAD_SXI;
		if (cc_const_before(c, p, &kd, &kv)) {
			op = VM_BR_TABLE_LOAD_SXI_K;
			p = c->const_pos;
		}
		break;
	default:
		return CC_NONE;
	}
	p = cc_rewrite(c, p, op);
	switch (op) {
	case VM_BR_TABLE_LOAD8_U_ADDI: /* [a|k][o|n] */
		cc_pair(c, p + 1, x, y);
		cc_pair(c, p + 2, o, n);
		break;
	case VM_BR_TABLE_LOAD_SXI: /* [a|l][k|o][-|n] */
		cc_pair(c, p + 1, x, l);
		cc_pair(c, p + 2, y, o);
		cc_pair(c, p + 3, 0, n);
		break;	case VM_BR_TABLE_LOAD_SXI_K: /* [a|l][k|o][d|v][w|n] */
		cc_pair(c, p + 1, x, l);
		cc_pair(c, p + 2, y, o);
		cc_pair(c, p + 3, kd, (uint32_t)kv);
		cc_pair(c, p + 4, (uint32_t)(kv >> 32), n);
		break;
	default: /* [a|k][-|n], [p|o][-|n] */
		cc_pair(c, p + 1, x, y);
		cc_pair(c, p + 2, 0, n);
		break;
	}
	c->last_pos = CC_NONE;
	return p;
}

/* br_table [op][a|n][target 0..n]. Labels whose values are already in
 * place are targeted directly; the others (and loops, whose back edges
 * charge fuel) go through a stub that moves the values and branches. */
static void cc_br_table(struct cc *c, dec_instr *in)
{
	uint32_t n = in->a, *l = cc_table_labels(c, in);
	size_t *stub = calloc(c->nctl, sizeof(*stub));
	struct cc_val idx = cc_pop(c);
	if (!l || !stub) {
		c->oom = true;
	} else if (idx.kind == CV_CONST) {
		cc_br(c, l[idx.imm < n ? idx.imm : n]);
	} else {
		uint32_t a = idx.slot, arity = cc_arity(cc_label(c, l[n]));
		cc_materialize_top(c, arity);
		if (c->last_pos != CC_NONE && c->last_op == VM_I32_ADD_ADDI)
			cc_split_add2(c, &idx);
		if (cc_br_table_fused(c, &idx, n) == CC_NONE) {
			size_t at = cc_emit(c, VM_BR_TABLE);
			cc_pair(c, at + 1, a, n);
		}
		for (uint32_t i = 0; i <= n && !c->oom; i++) {
			cc_reserve(c, 1);
			size_t tc = c->n++;
			struct cc_ctrl *t = cc_label(c, l[i]);
			if (t->kind == CC_BLOCK || t->kind == CC_IF || t->kind == CC_TRY) {
				if (c->sp - arity == t->height) {
					cc_chain(c, tc, &t->patch);
					cc_targeted(c, t);
					continue;
				}
			}
			cc_chain(c, tc, &stub[l[i]]);
		}
		for (uint32_t d = 0; d < c->nctl; d++) {
			if (stub[d]) {
				cc_resolve(c, &stub[d]);
				cc_br(c, d);
			}
		}
	}
	free(l);
	free(stub);
	cc_unreachable(c);
}

/* Enter a block, loop or if. Entries naming locals are materialised, so
 * that every path into the block's labels sees the stack in the same
 * place, and so are the block's parameters. */
static void cc_enter(struct cc *c, uint8_t kind, int64_t bt)
{
	struct cc_cond k = { 0 };
	if (kind == CC_IF)
		k = cc_pop_cond(c);
	if (c->nctl == c->ctlcap) {
		uint32_t cap = c->ctlcap * 2;
		struct cc_ctrl *p = realloc(c->ctl, cap * sizeof(*p));
		if (!p) {
			c->oom = true;
			return;
		}
		c->ctl = p;
		c->ctlcap = cap;
	}
	/* an if's end may be reached past its arm: as it is now */
	struct cc_ctrl t = { .kind = kind, .try = CC_NO_TRY,
	                     .astart = c->acount, .amark = kind == CC_IF ? c->acount : UINT32_MAX };
	if (dec_bt_is_index(bt)) {
		const mod_functype *ft = &c->m->types[bt];
		t.nparams = ft->nparams;
		t.params = ft->types;
		t.nresults = ft->nresults;
		t.results = ft->types + ft->nparams;
	} else if (bt != BT_EMPTY) {
		t.nresults = 1;
		t.one = dec_bt_valtype(bt);
	}
	cc_unalias(c, UINT32_MAX, c->sp);
	cc_materialize_top(c, t.nparams);
	t.height = c->sp - t.nparams;
	t.home = cc_home_at(c, t.height);
	if (kind == CC_IF) {
		struct cc_cond nk = cc_negate(k);
		cc_branch(c, &nk, NULL, &t.else_patch);
	}
	t.start = c->n;
	t.start_count = c->count;
	c->last_pos = c->mov_pos = c->brk_pos = CC_NONE;
	if (kind != CC_BLOCK) /* a block's label is at its end: none here */
		c->const_pos = CC_NONE;
	c->last_cmp = false;
	c->ctl[c->nctl++] = t;
}

/* Uncover the locals written after the count n. */
static void cc_uncover(struct cc *c, uint32_t n)
{
	while (c->naset && c->astamp[c->aset[c->naset - 1]] > n)
		c->astamp[c->aset[--c->naset]] = 0;
}

/* Reset the stack to a label's height plus its values, in home slots. */
static void cc_reset(struct cc *c, const struct cc_ctrl *t, uint32_t n, const uint8_t *types)
{
	cc_pop_to(c, t->height);
	for (uint32_t i = 0; i < n; i++)
		cc_push(c, types[i]);
}

static void cc_else(struct cc *c)
{
	struct cc_ctrl *t = &c->ctl[c->nctl - 1];
	if (!t->unreachable) {
		cc_materialize_top(c, t->nresults);
		cc_branch(c, NULL, t, NULL);
	}
	cc_uncover(c, t->astart);
	cc_resolve(c, &t->else_patch);
	t->has_else = true;
	t->unreachable = false;
	cc_reset(c, t, t->nparams, t->params);
}

/* Point the catch clauses that land at the end of t here (see cc_clause). */
static void cc_resolve_clauses(struct cc *c, struct cc_ctrl *t)
{
	for (uint32_t p = t->hpatch; p && !c->oom;) {
		struct vm_catch *k = &c->catches[p - 1];
		p = k->target;
		k->target = (uint32_t)c->n;
	}
	t->hpatch = 0;
	c->mov_pos = c->brk_pos = c->brk_prev = c->const_pos = CC_NONE;
}

/* end: the block's results to their home slots; the end label is
 * reachable if control falls into it or some branch targets it. */
static void cc_end(struct cc *c)
{
	struct cc_ctrl *t = &c->ctl[c->nctl - 1];
	bool reach = !t->unreachable;
	if (t->try != CC_NO_TRY && !t->in_catch)
		c->tries[t->try].end = (uint32_t)c->n;
	if (t->kind == CC_TRY)
		c->try_level--;
	if (t->kind == CC_FUNC) {
		if (reach)
			cc_return(c);
		c->nctl--;
		return;
	}
	if (reach)
		cc_materialize_top(c, t->nresults);
	if (t->kind == CC_IF && !t->has_else) {
		cc_resolve(c, &t->else_patch);
		reach = true;
	}
	reach |= t->targeted;
	cc_resolve(c, &t->patch);
	cc_resolve_clauses(c, t);
	cc_uncover(c, t->amark);
	struct cc_ctrl done = *t;
	c->nctl--;
	cc_reset(c, &done, done.nresults, cc_results(&done));
	if (!reach)
		cc_unreachable(c);
}

/* ---- calls ---- */

/* Arguments to consecutive home slots; returns the first one. */
static uint32_t cc_args(struct cc *c, uint32_t n)
{
	cc_materialize_top(c, n);
	return cc_home_at(c, c->sp - n);
}

/* Pop the arguments and push the results, which arrive at argbase. */
static void cc_call_results(struct cc *c, const mod_functype *ft)
{
	cc_pop_to(c, c->sp - ft->nparams);
	for (uint32_t i = 0; i < ft->nresults; i++)
		cc_push(c, ft->types[ft->nparams + i]);
}

/* CALL_LOCAL's and RETURN_CALL_LOCAL's operand for function f: the byte
 * offset of its wr_func in an instance's `defined` array; UINT32_MAX for
 * an import (or an offset too large), which CALL and RETURN_CALL take. */
static uint32_t cc_defined_off(const wr_module *m, uint32_t f)
{
	uint64_t off = (uint64_t)(f - m->nfunc_imports) * sizeof(wr_func);
	return f >= m->nfunc_imports && off < UINT32_MAX ? (uint32_t)off : UINT32_MAX;
}

static void cc_call(struct cc *c, uint32_t f)
{
	const wr_module *m = c->m;
	const mod_functype *ft = &m->types[m->func_types[f]];
	uint32_t base = cc_args(c, ft->nparams), off = cc_defined_off(m, f);
	cc_call_point(c, off != UINT32_MAX ? VM_CALL_LOCAL : VM_CALL, ft->nparams);
	if (off != UINT32_MAX) {
		size_t at = cc_emit(c, VM_CALL_LOCAL);
		c->code[at + 1].ptr = m->code[f - m->nfunc_imports];
		cc_pair(c, at + 2, base, off);
	} else {
		size_t at = cc_emit(c, VM_CALL);
		cc_pair(c, at + 1, f, base);
	}
	cc_call_results(c, ft);
}

static void cc_call_indirect(struct cc *c, uint32_t type, uint32_t table)
{
	const mod_functype *ft = &c->m->types[type];
	struct cc_val i = cc_pop(c);
	uint32_t is = cc_slot(c, &i);
	uint32_t base = cc_args(c, ft->nparams);
	bool t64 = c->m->tables[table].limits.addr64;
	cc_call_point(c, t64 ? VM_CALL_INDIRECT64 : VM_CALL_INDIRECT, ft->nparams);
	size_t at = cc_emit(c, t64 ? VM_CALL_INDIRECT64 : VM_CALL_INDIRECT);
	cc_pair(c, at + 1, type, table);
	cc_pair(c, at + 2, base, is);
	cc_call_results(c, ft);
}

/* return_call: the arguments to consecutive home slots, as for a call; the
 * interpreter moves them down to slot 0 and reuses the frame. Nothing
 * after it is reachable. */
static void cc_return_call(struct cc *c, uint32_t f)
{
	const wr_module *m = c->m;
	const mod_functype *ft = &m->types[m->func_types[f]];
	uint32_t base = cc_args(c, ft->nparams), off = cc_defined_off(m, f);
	if (off != UINT32_MAX) {
		size_t at = cc_emit(c, VM_RETURN_CALL_LOCAL);
		c->code[at + 1].ptr = m->code[f - m->nfunc_imports];
		cc_pair(c, at + 2, base, off);
	} else {
		size_t at = cc_emit(c, VM_RETURN_CALL);
		cc_pair(c, at + 1, f, base);
	}
	cc_unreachable(c);
}

static void cc_return_call_indirect(struct cc *c, uint32_t type, uint32_t table)
{
	const mod_functype *ft = &c->m->types[type];
	struct cc_val i = cc_pop(c);
	uint32_t is = cc_slot(c, &i);
	uint32_t base = cc_args(c, ft->nparams);
	bool t64 = c->m->tables[table].limits.addr64;
	size_t at = cc_emit(c, t64 ? VM_RETURN_CALL_INDIRECT64 : VM_RETURN_CALL_INDIRECT);
	cc_pair(c, at + 1, type, table);
	cc_pair(c, at + 2, base, is);
	cc_unreachable(c);
}

/* call_ref and return_call_ref [f|a]: the reference in slot a, the
 * arguments from f, as for call_indirect. */
static void cc_call_ref(struct cc *c, uint32_t type, bool tail)
{
	const mod_functype *ft = &c->m->types[type];
	struct cc_val r = cc_pop(c);
	uint32_t rs = cc_slot(c, &r);
	uint32_t base = cc_args(c, ft->nparams);
	if (!tail)
		cc_call_point(c, VM_CALL_REF, ft->nparams);
	size_t at = cc_emit(c, tail ? VM_RETURN_CALL_REF : VM_CALL_REF);
	cc_pair(c, at + 1, base, rs);
	if (tail)
		cc_unreachable(c);
	else
		cc_call_results(c, ft);
}

/* ref.as_non_null: a check of the reference where it is; it stays there. */
static void cc_ref_as_non_null(struct cc *c)
{
	struct cc_val *v = &c->st[c->sp - 1];
	uint32_t s = v->kind == CV_CONST ? c->zero_slot : v->slot; /* a constant ref is null */
	size_t at = cc_emit(c, VM_REF_AS_NON_NULL);
	cc_pair(c, at + 1, s, 0);
}

/* ref.cast: a test of the reference where it is; it stays there. */
static void cc_ref_cast(struct cc *c, mod_vt t)
{
	struct cc_val *v = &c->st[c->sp - 1];
	uint32_t s = v->kind == CV_CONST ? c->zero_slot : v->slot; /* a constant ref is null */
	size_t at = cc_emit(c, VM_REF_CAST);
	cc_pair(c, at + 1, s, t);
}

/* br_on_cast (br_on_cast_fail): ref.test of the reference where it is,
 * into a scratch slot above the stack, then a branch on its result (its
 * negation); the reference stays for the branch and after it. */
static void cc_br_on_cast(struct cc *c, const dec_instr *in)
{
	struct cc_val v = c->st[c->sp - 1];
	uint32_t s = v.kind == CV_CONST ? c->zero_slot : v.slot;
	uint32_t tmp = cc_push(c, WR_I32)->home;
	cc_pop(c);
	size_t at = cc_emit(c, VM_REF_TEST);
	cc_pair(c, at + 1, tmp, s);
	cc_pair(c, at + 2, in->vt, 0);
	struct cc_cond k = { in->op == OP_BR_ON_CAST ? COND_NZ : COND_Z, 0, tmp, 0, 0, 0, 0, false, false, 0 };
	cc_br_cond(c, in->a, k);
}

/* ---- GC: structs and arrays ---- */

/* any.convert_extern, extern.convert_any: they may allocate a box, so the
 * operand goes to its home slot first, where the point's map names it. */
static void cc_convert(struct cc *c, enum vm_op op, uint8_t rt)
{
	if (c->sp)
		cc_materialize(c, c->sp - 1);
	cc_gc_point(c, c->n, c->sp);
	cc_unop(c, op, rt);
}

/* A GC instruction whose n operands are put in their home slots, which
 * are consecutive from f: [op][d|f] with a result of kind rt, else
 * [op][f|-]. Returns where it starts. */
static size_t cc_gc_op(struct cc *c, enum vm_op op, uint32_t n, uint8_t rt)
{
	uint32_t f = n && n <= c->sp ? c->st[c->sp - n].home : 0;
	size_t at;

	cc_materialize_top(c, n <= c->sp ? n : c->sp);
	if (rt == WR_ANYREF && op != VM_ARRAY_GET) /* a *.new: its operands are live while it allocates */
		cc_gc_point(c, c->n, c->sp);
	for (uint32_t i = 0; i < n; i++)
		cc_pop(c);
	if (!rt) {
		at = cc_emit(c, op);
		cc_pair(c, at + 1, f, 0);
		return at;
	}
	uint32_t d = cc_push(c, rt)->home;
	at = cc_emit(c, op);
	cc_pair(c, at + 1, d, f);
	cc_produced(c, at, op);
	return at;
}

/* The bytes a storage type takes in a data segment. */
static uint32_t cc_gc_bytes(mod_vt t)
{
	switch (t) {
	case PT_I8: return 1;
	case PT_I16: return 2;
	case WR_I32: case WR_F32: return 4;
	case WR_V128: return 16;
	default: return 8;
	}
}

/* How a read extends a field of storage type t: 0 not at all, 1/2 an i8
 * signed/unsigned, 3/4 an i16, 5 a v128 (two slots). */
static uint32_t cc_gc_ext(mod_vt t, uint16_t op)
{
	bool s = op == OP_STRUCT_GET_S || op == OP_ARRAY_GET_S;
	if (t == PT_I8)
		return s ? 1 : 2;
	if (t == PT_I16)
		return s ? 3 : 4;
	return t == WR_V128 ? 5 : 0;
}

/* struct.*: fields sit in consecutive slots (a v128 in two), as on the
 * stack, so struct.new copies its operands. */
static void cc_struct(struct cc *c, const dec_instr *in)
{
	const mod_functype *t = &c->m->types[in->a];
	uint32_t off = 0, k = 0;
	size_t at;

	for (uint32_t i = 0; i < t->nparams; i++) {
		if (i == in->b)
			off = k;
		k += mod_slots(t->types[i]);
	}
	switch (in->op) {
	case OP_STRUCT_NEW: case OP_STRUCT_NEW_DEFAULT:
		at = cc_gc_op(c, in->op == OP_STRUCT_NEW ? VM_STRUCT_NEW : VM_STRUCT_NEW_DEFAULT,
		              in->op == OP_STRUCT_NEW ? t->nparams : 0, WR_ANYREF);
		cc_pair(c, at + 2, in->a, k);
		break;
	case OP_STRUCT_SET:
		at = cc_generic(c, VM_STRUCT_SET, 2, 0);
		cc_pair(c, at + 2, off, t->vts[in->b] == WR_V128);
		break;
	default:
		at = cc_generic(c, VM_STRUCT_GET, 1, t->types[in->b]);
		cc_pair(c, at + 2, off, cc_gc_ext(t->vts[in->b], in->op));
		break;
	}
}

/* array.new*: [d|f][t|w]... */
static void cc_array_new(struct cc *c, const dec_instr *in, mod_vt et, uint32_t w)
{
	size_t at;

	switch (in->op) {
	case OP_ARRAY_NEW: case OP_ARRAY_NEW_DEFAULT:
		at = cc_gc_op(c, in->op == OP_ARRAY_NEW ? VM_ARRAY_NEW : VM_ARRAY_NEW_DEFAULT,
		              in->op == OP_ARRAY_NEW ? 2 : 1, WR_ANYREF);
		cc_pair(c, at + 2, in->a, w);
		break;
	case OP_ARRAY_NEW_FIXED:
		at = cc_gc_op(c, VM_ARRAY_NEW_FIXED, in->b, WR_ANYREF);
		cc_pair(c, at + 2, in->a, w);
		cc_pair(c, at + 3, in->b, 0);
		break;
	case OP_ARRAY_NEW_DATA:
		at = cc_gc_op(c, VM_ARRAY_NEW_DATA, 2, WR_ANYREF);
		cc_pair(c, at + 2, in->a, cc_gc_bytes(et));
		cc_pair(c, at + 3, in->b, w);
		break;
	default: /* OP_ARRAY_NEW_ELEM */
		at = cc_gc_op(c, VM_ARRAY_NEW_ELEM, 2, WR_ANYREF);
		cc_pair(c, at + 2, in->a, in->b);
		break;
	}
}

/* array.*: operands in consecutive slots from f, w slots an element. */
static void cc_array(struct cc *c, const dec_instr *in)
{
	const mod_functype *t = &c->m->types[in->a];
	mod_vt et = t->vts[0];
	uint32_t w = mod_slots(t->types[0]);
	size_t at;

	switch (in->op) {
	case OP_ARRAY_GET: case OP_ARRAY_GET_S: case OP_ARRAY_GET_U:
		at = cc_gc_op(c, VM_ARRAY_GET, 2, t->types[0]);
		cc_pair(c, at + 2, cc_gc_ext(et, in->op) == 5 ? 0 : cc_gc_ext(et, in->op), w);
		break;
	case OP_ARRAY_SET: case OP_ARRAY_FILL: case OP_ARRAY_COPY:
		at = cc_gc_op(c, in->op == OP_ARRAY_SET ? VM_ARRAY_SET :
		                 in->op == OP_ARRAY_FILL ? VM_ARRAY_FILL : VM_ARRAY_COPY,
		              in->op == OP_ARRAY_SET ? 3 : in->op == OP_ARRAY_FILL ? 4 : 5, 0);
		c->code[at + 1].u32[1] = w;
		break;
	case OP_ARRAY_INIT_DATA:
		at = cc_gc_op(c, VM_ARRAY_INIT_DATA, 4, 0);
		c->code[at + 1].u32[1] = cc_gc_bytes(et);
		cc_pair(c, at + 2, in->b, w);
		break;
	case OP_ARRAY_INIT_ELEM:
		at = cc_gc_op(c, VM_ARRAY_INIT_ELEM, 4, 0);
		c->code[at + 1].u32[1] = in->b;
		break;
	default:
		cc_array_new(c, in, et, w);
		break;
	}
}

/* Out of line: GC code is rare, and cc_instr stays small enough for its
 * common cases to be inlined. */
__attribute__((noinline))
static bool cc_gc(struct cc *c, const dec_instr *in)
{
	switch (in->op) {
	case OP_STRUCT_NEW: case OP_STRUCT_NEW_DEFAULT: case OP_STRUCT_GET: case OP_STRUCT_GET_S:
	case OP_STRUCT_GET_U: case OP_STRUCT_SET: cc_struct(c, in); return true;
	case OP_ARRAY_LEN: cc_unop(c, VM_ARRAY_LEN, WR_I32); return true;
	case OP_REF_EQ: cc_generic(c, VM_I64_EQ, 2, WR_I32); return true;
	case OP_ARRAY_NEW: case OP_ARRAY_NEW_DEFAULT: case OP_ARRAY_NEW_FIXED:
	case OP_ARRAY_NEW_DATA: case OP_ARRAY_NEW_ELEM: case OP_ARRAY_GET: case OP_ARRAY_GET_S:
	case OP_ARRAY_GET_U: case OP_ARRAY_SET: case OP_ARRAY_FILL: case OP_ARRAY_COPY:
	case OP_ARRAY_INIT_DATA: case OP_ARRAY_INIT_ELEM: cc_array(c, in); return true;
	default: return false;
	}
}

/* br_on_null: branch when the reference on top is null, without it; else
 * it stays. br_on_non_null: branch with it when it is not null; else it is
 * dropped. The test reads the reference where it is. */
static void cc_br_on_null(struct cc *c, uint32_t depth, bool on_null)
{
	struct cc_val v = c->st[c->sp - 1];
	struct cc_cond k = { on_null ? COND_Z64 : COND_NZ64, 0,
	                     v.kind == CV_CONST ? c->zero_slot : v.slot, 0, 0, 0, 0, false, false, 0 };
	if (on_null)
		cc_pop(c);
	cc_br_cond(c, depth, k);
	if (!on_null) {
		cc_pop(c);
		return;
	}
	struct cc_val *r = cc_push(c, v.type);
	r->kind = v.kind;
	r->slot = v.slot;
	r->imm = v.imm;
	if (v.kind == CV_LOCAL)
		c->local_refs++;
}

/* ---- exception handling ---- */

/* A new vm_try for the block about to be entered (its start is set once
 * it is); CC_NO_TRY when out of memory. */
static uint32_t cc_try_new(struct cc *c)
{
	if (c->ntries == c->trycap) {
		uint32_t cap = c->trycap ? c->trycap * 2 : 16;
		struct vm_try *p = cap > c->trycap ? realloc(c->tries, cap * sizeof(*p)) : NULL;
		if (!p) {
			c->oom = true;
			return CC_NO_TRY;
		}
		c->tries = p;
		c->trycap = cap;
	}
	if (c->n >= UINT32_MAX) {
		c->oom = true;
		c->why = "function too large";
		return CC_NO_TRY;
	}
	c->tries[c->ntries] = (struct vm_try){ 0, 0, c->nctl, VM_NO_CLAUSE };
	return c->ntries++;
}

/* Start the body of try ti, the block just entered. */
static void cc_try_start(struct cc *c, uint32_t ti)
{
	c->ctl[c->nctl - 1].try = ti;
	c->tries[ti].start = c->tries[ti].end = (uint32_t)c->n;
	c->mov_pos = c->brk_pos = c->brk_prev = c->const_pos = CC_NONE;
}

/* A new catch clause of kind, added at the end of try ti's list; returns
 * its index, or VM_NO_CLAUSE when out of memory. */
static uint32_t cc_clause(struct cc *c, uint32_t ti, uint8_t kind)
{
	if (c->ncatches == c->catchcap) {
		uint32_t cap = c->catchcap ? c->catchcap * 2 : 16;
		struct vm_catch *p = cap > c->catchcap ? realloc(c->catches, cap * sizeof(*p)) : NULL;
		if (!p) {
			c->oom = true;
			return VM_NO_CLAUSE;
		}
		c->catches = p;
		c->catchcap = cap;
	}
	uint32_t i = c->ncatches++, *link = &c->tries[ti].first;
	c->catches[i] = (struct vm_catch){ .kind = kind, .ref = VM_NO_CLAUSE, .next = VM_NO_CLAUSE };
	while (*link != VM_NO_CLAUSE)
		link = &c->catches[*link].next;
	*link = i;
	return i;
}

/* A catch clause of try_table ti: its values go where a branch to its
 * label puts them, and it continues there. A block's end is not known yet:
 * the clause joins the block's chain (through `target`), resolved by
 * cc_resolve_clauses. A clause to the function's label returns. */
static void cc_catch_clause(struct cc *c, uint32_t ti, const dec_catch *d)
{
	bool all = d->kind == CATCH_ALL || d->kind == CATCH_ALL_REF;
	bool ref = d->kind == CATCH_TAG_REF || d->kind == CATCH_ALL_REF;
	uint32_t i = cc_clause(c, ti, all ? VH_CATCH_ALL : VH_CATCH);
	if (i == VM_NO_CLAUSE)
		return;
	struct vm_catch *k = &c->catches[i];
	struct cc_ctrl *t = cc_label(c, d->label);
	uint32_t nslots = all ? 0 : c->m->types[c->m->tags[d->tag].type].param_slots;
	k->tag = d->tag;
	k->ret = t->kind == CC_FUNC;
	k->dst = k->ret ? 0 : t->home;
	if (ref)
		k->ref = k->dst + nslots;
	if (t->kind == CC_LOOP) {
		k->target = (uint32_t)t->start;
	} else if (!k->ret) {
		k->target = t->hpatch;
		t->hpatch = i + 1;
		cc_targeted(c, t); /* from anywhere in the try's body: aset is as at its start */
	}
}

/* try_table: the clauses name labels outside it, so they are read before
 * the block is entered. */
static void cc_try_table(struct cc *c, dec_instr *in)
{
	dec_catch d;
	uint32_t ti = cc_try_new(c);
	for (uint32_t i = 0; i < in->a && ti != CC_NO_TRY; i++)
		if (dec_catch_next(in, &d))
			cc_catch_clause(c, ti, &d);
	cc_enter(c, CC_BLOCK, in->blocktype);
	if (!c->oom)
		cc_try_start(c, ti);
}

/* Legacy try: a block whose catch blocks follow its body; it gets the
 * hidden slot of its nesting level. */
static void cc_try(struct cc *c, int64_t bt)
{
	uint32_t ti = cc_try_new(c);
	cc_enter(c, CC_TRY, bt);
	if (c->oom)
		return;
	if (c->try_level >= c->try_max) {
		c->oom = true;
		c->why = "internal error: try nesting";
		return;
	}
	c->ctl[c->nctl - 1].exn_slot = c->try_base + c->try_level++;
	cc_try_start(c, ti);
}

/* Legacy catch and catch_all: the body (or the catch block before) ends
 * with a branch to the end, as before else; the catch block starts at a
 * landing point with the tag's payload in the home slots of the try's
 * values, and the exception in the hidden slot. */
static void cc_catch(struct cc *c, const dec_instr *in)
{
	struct cc_ctrl *t = &c->ctl[c->nctl - 1];
	const mod_functype *ft = in->op == OP_CATCH ? &c->m->types[c->m->tags[in->a].type] : NULL;
	if (!t->in_catch)
		c->tries[t->try].end = (uint32_t)c->n;
	if (!t->unreachable) {
		cc_materialize_top(c, t->nresults);
		cc_branch(c, NULL, t, NULL);
	}
	cc_uncover(c, t->astart);
	uint32_t i = cc_clause(c, t->try, ft ? VH_CATCH : VH_CATCH_ALL);
	if (i == VM_NO_CLAUSE)
		return;
	struct vm_catch *k = &c->catches[i];
	k->tag = in->a;
	k->dst = t->home;
	k->ref = t->exn_slot;
	k->target = (uint32_t)c->n;
	c->last_pos = c->mov_pos = c->brk_pos = c->brk_prev = c->const_pos = CC_NONE;
	c->last_cmp = false;
	t->in_catch = true;
	t->unreachable = false;
	cc_reset(c, t, ft ? ft->nparams : 0, ft ? ft->types : NULL);
}

/* Legacy delegate l: ends the try like `end`; an exception from its body
 * goes on to the tries around label l (counted outside the try). */
static void cc_delegate(struct cc *c, uint32_t label)
{
	uint32_t ti = c->ctl[c->nctl - 1].try;
	cc_end(c);
	uint32_t i = cc_clause(c, ti, VH_DELEGATE);
	if (i != VM_NO_CLAUSE)
		c->catches[i].target = c->nctl - 1 - label;
}

/* throw: the payload in consecutive home slots, as a call's arguments. */
static void cc_throw(struct cc *c, uint32_t tag)
{
	const mod_functype *ft = &c->m->types[c->m->tags[tag].type];
	uint32_t base = cc_args(c, ft->nparams);
	size_t at = cc_emit(c, VM_THROW);
	cc_pair(c, at + 1, tag, base);
	cc_unreachable(c);
}

/* throw_ref of the operand, or (rethrow) of a legacy try's hidden slot. */
static void cc_throw_ref(struct cc *c, const dec_instr *in)
{
	uint32_t slot;
	if (in->op == OP_RETHROW) {
		slot = cc_label(c, in->a)->exn_slot;
	} else {
		struct cc_val v = cc_pop(c);
		slot = cc_slot(c, &v);
	}
	size_t at = cc_emit(c, VM_THROW_REF);
	cc_pair(c, at + 1, slot, 0);
	cc_unreachable(c);
}

/* ---- one instruction ---- */

/* Instructions with no fixed signature, and those needing care. */
static bool cc_special(struct cc *c, dec_instr *in)
{
	size_t at;
	switch (in->op) {
	case OP_UNREACHABLE: cc_emit(c, VM_UNREACHABLE); cc_unreachable(c); break;
	case OP_NOP: break;
	case OP_BLOCK: cc_enter(c, CC_BLOCK, in->blocktype); break;
	case OP_LOOP: cc_enter(c, CC_LOOP, in->blocktype); break;
	case OP_IF: cc_enter(c, CC_IF, in->blocktype); break;
	case OP_ELSE: cc_else(c); break;
	case OP_END: cc_end(c); break;
	case OP_BR: cc_br(c, in->a); break;
	case OP_BR_IF: cc_br_if(c, in->a); break;
	case OP_BR_TABLE: cc_br_table(c, in); break;
	case OP_RETURN: cc_return(c); cc_unreachable(c); break;
	case OP_CALL: cc_call(c, in->a); break;
	case OP_CALL_INDIRECT: cc_call_indirect(c, in->a, in->b); break;
	case OP_RETURN_CALL: cc_return_call(c, in->a); break;
	case OP_RETURN_CALL_INDIRECT: cc_return_call_indirect(c, in->a, in->b); break;
	case OP_CALL_REF: cc_call_ref(c, in->a, false); break;
	case OP_RETURN_CALL_REF: cc_call_ref(c, in->a, true); break;
	case OP_REF_AS_NON_NULL: cc_ref_as_non_null(c); break;
	case OP_BR_ON_NULL: cc_br_on_null(c, in->a, true); break;
	case OP_BR_ON_NON_NULL: cc_br_on_null(c, in->a, false); break;
	case OP_DROP: cc_pop(c); break;
	case OP_SELECT: case OP_SELECT_T: cc_select(c); break;
	case OP_LOCAL_GET: cc_push_local(c, in->a); break;
	case OP_LOCAL_SET: cc_local_set(c, in->a, false); break;
	case OP_LOCAL_TEE: cc_local_set(c, in->a, true); break;
	case OP_GLOBAL_GET: cc_global_get(c, in->a); break;
	case OP_GLOBAL_SET: cc_global_set(c, in->a); break;
	case OP_I32_CONST: cc_push_const(c, WR_I32, (uint32_t)in->imm); break;
	case OP_I64_CONST: cc_push_const(c, WR_I64, in->imm); break;
	case OP_F32_CONST: cc_push_const(c, WR_F32, (uint32_t)in->imm); break;
	case OP_F64_CONST: cc_push_const(c, WR_F64, in->imm); break;
	case OP_REF_NULL: cc_push_const(c, in->valtype, 0); break;
	case OP_REF_FUNC:
		at = cc_generic(c, VM_REF_FUNC, 0, WR_FUNCREF);
		c->code[at + 1].u32[1] = in->a;
		break;
	case OP_REF_IS_NULL: cc_unop(c, VM_REF_IS_NULL, WR_I32); break;
	case OP_REF_I31: cc_unop(c, VM_REF_I31, WR_ANYREF); break;
	case OP_I31_GET_S: cc_unop(c, VM_I31_GET_S, WR_I32); break;
	case OP_I31_GET_U: cc_unop(c, VM_I31_GET_U, WR_I32); break;
	case OP_ANY_CONVERT_EXTERN: cc_convert(c, VM_ANY_CONVERT_EXTERN, WR_ANYREF); break;
	case OP_EXTERN_CONVERT_ANY: cc_convert(c, VM_EXTERN_CONVERT_ANY, WR_EXTERNREF); break;
	case OP_REF_TEST: case OP_REF_TEST_NULL:
		cc_unop(c, VM_REF_TEST, WR_I32);
		c->code[c->n - 1].u32[0] = in->vt;
		break;
	case OP_REF_CAST: case OP_REF_CAST_NULL: cc_ref_cast(c, in->vt); break;
	case OP_BR_ON_CAST: case OP_BR_ON_CAST_FAIL: cc_br_on_cast(c, in); break;
	case OP_THROW: cc_throw(c, in->a); break;
	case OP_THROW_REF: case OP_RETHROW: cc_throw_ref(c, in); break;
	case OP_TRY_TABLE: cc_try_table(c, in); break;
	case OP_TRY: cc_try(c, in->blocktype); break;
	case OP_CATCH: case OP_CATCH_ALL: cc_catch(c, in); break;
	case OP_DELEGATE: cc_delegate(c, in->a); break;
	default: return false;
	}
	return true;
}

/* memory.size, grow, fill, copy and init: the memory index (two for copy)
 * in the instruction; the interpreter reads operands of a 64-bit memory
 * as i64, and size and grow give one. */
static bool cc_memory(struct cc *c, const dec_instr *in)
{
	uint8_t imm = op_infos[in->op].imm, at_type;
	size_t at;
	if (imm != IMM_MEMIDX && imm != IMM_MEMORY_COPY && imm != IMM_MEMORY_INIT)
		return false;
	at_type = c->m->mems[in->mem].limits.addr64 ? WR_I64 : WR_I32;
	switch (in->op) {
	case OP_MEMORY_SIZE:
		at = cc_generic(c, VM_MEMORY_SIZE, 0, at_type);
		c->code[at + 1].u32[1] = in->mem;
		break;
	case OP_MEMORY_GROW:
		at = cc_generic(c, VM_MEMORY_GROW, 1, at_type);
		c->code[at + 2].u32[0] = in->mem;
		break;
	case OP_MEMORY_FILL:
		at = cc_generic(c, VM_MEMORY_FILL, 3, 0);
		c->code[at + 2].u32[1] = in->mem;
		break;
	case OP_MEMORY_COPY:
		at = cc_generic(c, VM_MEMORY_COPY, 3, 0);
		c->code[at + 2].u32[1] = in->mem;
		c->code[at + 3].u32[0] = in->b;
		break;
	case OP_MEMORY_INIT:
		at = cc_generic(c, VM_MEMORY_INIT, 3, 0);
		c->code[at + 2].u32[1] = in->a;
		c->code[at + 3].u32[0] = in->mem;
		break;
	default: return false;
	}
	return true;
}

/* Table and segment instructions; sizes and grow's result are i64 for a
 * 64-bit table. */
static bool cc_memtab(struct cc *c, dec_instr *in)
{
	size_t at;
	uint8_t elem = in->op == OP_TABLE_GET ? c->m->tables[in->a].elem : 0;
	uint8_t at_type = (in->op == OP_TABLE_SIZE || in->op == OP_TABLE_GROW) &&
	                  c->m->tables[in->a].limits.addr64 ? WR_I64 : WR_I32;
	if (cc_memory(c, in))
		return true;
	switch (in->op) {
	case OP_DATA_DROP: at = cc_emit(c, VM_DATA_DROP); c->code[at + 1].u32[0] = in->a; break;
	case OP_ELEM_DROP: at = cc_emit(c, VM_ELEM_DROP); c->code[at + 1].u32[0] = in->a; break;
	case OP_TABLE_GET:
		at = cc_generic(c, VM_TABLE_GET, 1, elem);
		c->code[at + 2].u32[0] = in->a;
		break;
	case OP_TABLE_SET:
		at = cc_generic(c, VM_TABLE_SET, 2, 0);
		c->code[at + 2].u32[0] = in->a;
		break;
	case OP_TABLE_SIZE:
		at = cc_generic(c, VM_TABLE_SIZE, 0, at_type);
		c->code[at + 1].u32[1] = in->a;
		break;
	case OP_TABLE_GROW:
		at = cc_generic(c, VM_TABLE_GROW, 2, at_type);
		c->code[at + 2].u32[1] = in->a;
		break;
	case OP_TABLE_FILL:
		at = cc_generic(c, VM_TABLE_FILL, 3, 0);
		c->code[at + 2].u32[1] = in->a;
		break;
	case OP_TABLE_COPY:
		at = cc_generic(c, VM_TABLE_COPY, 3, 0);
		c->code[at + 2].u32[1] = in->a;
		c->code[at + 3].u32[0] = in->b;
		break;
	case OP_TABLE_INIT:
		at = cc_generic(c, VM_TABLE_INIT, 3, 0);
		c->code[at + 2].u32[1] = in->b;
		c->code[at + 3].u32[0] = in->a;
		break;
	default: return false;
	}
	return true;
}

/* ---- SIMD instructions with immediates or three operands ----
 *
 * The rest (unary, binary, shifts, whole-vector loads and stores) take the
 * generic paths below, typed by their signature. Layouts: vm_ops.h. */

/* v128.const: written to its home slot; the stack model keeps 64-bit
 * constants only, so a v128 is never CV_CONST. */
static void cc_v128_const(struct cc *c, const dec_instr *in)
{
	uint32_t d = cc_push(c, WR_V128)->home;
	size_t at = cc_emit(c, VM_V128_CONST);
	cc_pair(c, at + 1, d, 0);
	memcpy(&c->code[at + 2], in->v128, 16);
	cc_produced(c, at, VM_V128_CONST);
}

/* Lane loads and stores: memarg offset in the last cell (but for the
 * [mem|w] cell of a MEM one), lane beside the vector operand (load) or
 * alone (store). */
static void cc_lane_mem(struct cc *c, const dec_instr *in, bool load)
{
	bool named = !cc_guarded(c, in);
	size_t at = cc_generic(c, cc_op(in->op, named ? VF_MEM : VF_WASM), 2, load ? WR_V128 : 0);
	if (load)
		c->code[at + 2].u32[1] = in->b;
	else
		c->code[at + 2].u32[0] = in->b;
	c->code[at + 3].u64 = in->imm;
	if (named)
		cc_mem_cell(c, at + 4, in);
}

/*
 * Relaxed SIMD (Wasm 3.0): the spec allows each of these a set of results;
 * wrun is deterministic and gives, always, those of the SIMD 2.0
 * instruction returned here, which is one of the set, so they share its
 * VM operation:
 *
 *   i8x16.relaxed_swizzle              i8x16.swizzle (out of range: 0)
 *   i32x4.relaxed_trunc_*              i32x4.trunc_sat_* (NaN: 0, saturating)
 *   iNxM.relaxed_laneselect            v128.bitselect (bit by bit)
 *   f32x4/f64x2.relaxed_min/max        f32x4/f64x2.min/max (NaN, -0 < +0)
 *   i16x8.relaxed_q15mulr_s            i16x8.q15mulr_sat_s
 *
 * The rest (madd, nmadd and the two dot products) have VM operations of
 * their own; interp_simd.h says what they choose. Any other op is itself.
 */
static uint16_t cc_relaxed(uint16_t op)
{
	switch (op) {
	case OP_I8X16_RELAXED_SWIZZLE:            return OP_I8X16_SWIZZLE;
	case OP_I32X4_RELAXED_TRUNC_F32X4_S:      return OP_I32X4_TRUNC_SAT_F32X4_S;
	case OP_I32X4_RELAXED_TRUNC_F32X4_U:      return OP_I32X4_TRUNC_SAT_F32X4_U;
	case OP_I32X4_RELAXED_TRUNC_F64X2_S_ZERO: return OP_I32X4_TRUNC_SAT_F64X2_S_ZERO;
	case OP_I32X4_RELAXED_TRUNC_F64X2_U_ZERO: return OP_I32X4_TRUNC_SAT_F64X2_U_ZERO;
	case OP_I8X16_RELAXED_LANESELECT:
	case OP_I16X8_RELAXED_LANESELECT:
	case OP_I32X4_RELAXED_LANESELECT:
	case OP_I64X2_RELAXED_LANESELECT:         return OP_V128_BITSELECT;
	case OP_F32X4_RELAXED_MIN:                return OP_F32X4_MIN;
	case OP_F32X4_RELAXED_MAX:                return OP_F32X4_MAX;
	case OP_F64X2_RELAXED_MIN:                return OP_F64X2_MIN;
	case OP_F64X2_RELAXED_MAX:                return OP_F64X2_MAX;
	case OP_I16X8_RELAXED_Q15MULR_S:          return OP_I16X8_Q15MULR_SAT_S;
	default:                                  return op;
	}
}

static bool cc_simd(struct cc *c, dec_instr *in)
{
	const op_info *oi = &op_infos[in->op];
	const char *sig = oi->sig;
	size_t at;

	if (oi->prefix != 0xfd)
		return false;
	switch (oi->imm) {
	case IMM_V128:
		cc_v128_const(c, in);
		return true;
	case IMM_SHUFFLE:
		at = cc_generic(c, VM_I8X16_SHUFFLE, 2, WR_V128);
		memcpy(&c->code[at + 3], in->v128, 16);
		return true;
	case IMM_LANE: /* extract [op][d|a][lane], replace [op][d|a][x|lane] */
		at = cc_generic(c, cc_op(in->op, VF_WASM), sig[1] == ':' ? 1 : 2,
				cc_sig_type(strchr(sig, ':')[1]));
		c->code[at + 2].u32[sig[1] == ':' ? 0 : 1] = in->b;
		return true;
	case IMM_MEMARG_LANE:
		cc_lane_mem(c, in, sig[3] != 0);
		return true;
	}
	if (sig && !strcmp(sig, "VVV:V")) { /* bitselect, madd, nmadd, dot_add */
		cc_generic(c, cc_op(in->op, VF_WASM), 3, WR_V128);
		return true;
	}
	return false;
}

/* Compile one reachable instruction. */
static void cc_instr(struct cc *c, dec_instr *in)
{
	c->count++;
	in->op = cc_relaxed(in->op);
	if (cc_special(c, in) || cc_memtab(c, in) || cc_simd(c, in) ||
	    ((op_infos[in->op].prefix == 0xfb || in->op == OP_REF_EQ) && cc_gc(c, in)))
		return;
	const op_info *oi = &op_infos[in->op];
	const char *colon = oi->sig ? strchr(oi->sig, ':') : NULL;
	enum vm_op op = cc_op(in->op, VF_WASM);
	if (!colon || op == VM_NONE) {
		c->oom = true;
		c->why = "unsupported instruction";
		c->where = in->offset;
		return;
	}
	uint8_t rt = colon[1] ? cc_sig_type(colon[1]) : 0;
	if (oi->imm == IMM_MEMARG && rt)
		cc_load(c, in, rt);
	else if (oi->imm == IMM_MEMARG)
		cc_store(c, in);
	else
		cc_arith(c, in->op, op, colon - oi->sig == 1, rt);
}

/* In unreachable code only the nesting matters. */
static void cc_skip(struct cc *c, const dec_instr *in, bool *handle)
{
	*handle = false;
	switch (in->op) {
	case OP_BLOCK: case OP_LOOP: case OP_IF: case OP_TRY_TABLE: case OP_TRY: c->skip++; break;
	case OP_ELSE: case OP_CATCH: case OP_CATCH_ALL: *handle = c->skip == 0; break;
	case OP_END: case OP_DELEGATE:
		if (c->skip)
			c->skip--;
		else
			*handle = true;
		break;
	default: break;
	}
}

/* ---- functions ---- */

/* Lay out the locals: params, declared locals (v128 taking two slots),
 * then the zero slot. */
static bool cc_locals(struct cc *c, const mod_code *code)
{
	const mod_functype *ft = c->ft;
	c->nlocals = ft->nparams + code->nlocals;
	c->ltype = malloc((size_t)c->nlocals + 1);
	c->lslot = malloc(((size_t)c->nlocals + 1) * sizeof(uint32_t));
	c->astamp = calloc((size_t)c->nlocals + 1, sizeof(uint32_t));
	c->aset = malloc(((size_t)c->nlocals + 1) * sizeof(uint32_t));
	c->naset = c->acount = 0;
	if (!c->ltype || !c->lslot || !c->astamp || !c->aset)
		return false;
	uint32_t x = 0, slot = 0;
	for (uint32_t i = 0; i < ft->nparams; i++, x++) {
		c->astamp[x] = 1; /* written by the caller: never in aset */
		c->ltype[x] = ft->types[i];
		c->lslot[x] = slot;
		slot += mod_slots(ft->types[i]);
	}
	for (uint32_t r = 0; r < code->nruns; r++) {
		for (uint32_t i = 0; i < code->runs[r].count && x < c->nlocals; i++, x++) {
			c->ltype[x] = code->runs[r].type;
			c->lslot[x] = slot;
			slot += mod_slots(code->runs[r].type);
		}
	}
	if (x != c->nlocals)
		return false;
	c->try_base = slot;
	c->try_max = code->try_depth;
	c->try_level = 0;
	slot += code->try_depth; /* legacy try's hidden slots */
	c->zero_slot = slot++;
	c->local_slots = slot;
	c->zero_from = UINT32_MAX;
	c->zero_to = 0;
	/* references are zeroed whatever the code does: the collector reads
	 * every traced local as a root at every point (cc_finish_maps) */
	for (x = ft->nparams; x < c->nlocals; x++)
		if (cc_traced(c->ltype[x]))
			cc_zero_local(c, x);
	c->max_slot = slot > ft->result_slots ? slot : ft->result_slots;
	return true;
}

/* Copy the exception handlers out (none: NULL). */
static bool cc_finish_handlers(struct cc *c, struct vm_code *vc)
{
	if (!c->ntries)
		return true;
	vc->tries = malloc(c->ntries * sizeof(*vc->tries));
	vc->catches = malloc((c->ncatches ? c->ncatches : 1) * sizeof(*vc->catches));
	if (!vc->tries || !vc->catches)
		return false;
	memcpy(vc->tries, c->tries, c->ntries * sizeof(*vc->tries));
	if (c->ncatches)
		memcpy(vc->catches, c->catches, c->ncatches * sizeof(*vc->catches));
	vc->ntries = c->ntries;
	vc->ncatches = c->ncatches;
	return true;
}

/* Copy the stack maps out: the traced locals' slots, then the points'. */
static bool cc_finish_maps(struct cc *c, struct vm_code *vc)
{
	uint32_t nloc = 0;
	for (uint32_t x = 0; x < c->nlocals; x++)
		nloc += cc_traced(c->ltype[x]);
	vc->gcmaps = malloc((c->nmaps ? c->nmaps : 1) * sizeof(*vc->gcmaps));
	vc->gcslots = malloc(((size_t)nloc + c->nmslots + 1) * sizeof(*vc->gcslots));
	if (!vc->gcmaps || !vc->gcslots)
		return false;
	nloc = 0;
	for (uint32_t x = 0; x < c->nlocals; x++)
		if (cc_traced(c->ltype[x]))
			vc->gcslots[nloc++] = c->lslot[x];
	if (c->nmslots)
		memcpy(vc->gcslots + nloc, c->mslots, c->nmslots * sizeof(*vc->gcslots));
	for (uint32_t i = 0; i < c->nmaps; i++) {
		vc->gcmaps[i] = c->maps[i];
		vc->gcmaps[i].first += nloc;
	}
	vc->ngcmaps = c->nmaps;
	vc->gc_locals = nloc;
	return true;
}

/* Copy the cells out and turn target indices into addresses. */
static bool cc_finish(struct cc *c, struct vm_code *vc, uint32_t func)
{
	vm_cell *cells = malloc(c->n * sizeof(*cells));
	if (!cells)
		return false;
	memcpy(cells, c->code, c->n * sizeof(*cells));
	for (size_t i = 0; i < c->nrelocs; i++) {
		size_t at = c->relocs[i];
		cells[at].target = cells + cells[at].u64;
	}
	vc->cells = cells;
	vc->ncells = c->n;
	vc->param_slots = c->ft->param_slots;
	vc->local_slots = c->local_slots;
	vc->zero_from = c->zero_from < c->zero_to ? c->zero_from : 0;
	vc->zero_to = c->zero_from < c->zero_to ? c->zero_to : 0;
	vc->frame_slots = c->max_slot;
	vc->result_slots = c->ft->result_slots;
	vc->func = func;
	return cc_finish_handlers(c, vc) && cc_finish_maps(c, vc);
}

/* Compile the body of function `func` (in the function index space). */
static bool cc_function(struct cc *c, uint32_t func, wr_diag *diag)
{
	wr_module *m = c->m;
	const mod_code *code = &m->codes[func - m->nfunc_imports];
	c->ft = &m->types[m->func_types[func]];
	if (!cc_locals(c, code))
		return false;
	struct cc_ctrl *f = &c->ctl[c->nctl++];
	memset(f, 0, sizeof(*f));
	f->kind = CC_FUNC;
	f->try = CC_NO_TRY;
	f->nresults = c->ft->nresults;
	f->results = c->ft->types + c->ft->nparams;
	f->home = c->local_slots;
	dec_reader r;
	dec_instr in;
	dec_reader_init(&r, m->bytes, code->body_off, code->body_len, diag);
	while (c->nctl && !c->oom) {
		if (!dec_instr_next(&r, &in))
			return false;
		mod_instr_forms(m, &in);
		bool handle = true;
		if (c->ctl[c->nctl - 1].unreachable)
			cc_skip(c, &in, &handle);
		if (handle)
			cc_instr(c, &in);
	}
	return !c->oom && cc_finish(c, m->code[func - m->nfunc_imports], func);
}

/* Release one function's scratch state, keeping the buffers' capacity. */
static void cc_reset_function(struct cc *c)
{
	free(c->ltype);
	free(c->lslot);
	free(c->astamp);
	free(c->aset);
	c->ltype = NULL;
	c->lslot = NULL;
	c->astamp = c->aset = NULL;
	c->n = c->nrelocs = 0;
	c->ntries = c->ncatches = 0;
	c->nmaps = c->nmslots = 0;
	c->sp = c->nctl = 0;
	c->local_refs = c->skip = 0;
	c->count = 0;
	c->last_pos = c->shl_pos = c->add_pos = c->ri_pos = c->rot_pos = c->xr2_pos = c->mov_pos = c->bin_prev = c->brk_pos =
		c->brk_prev = c->const_pos = CC_NONE;
	c->and_shl = 0;
	c->last_cmp = false;
}

static bool cc_init(struct cc *c, wr_module *m)
{
	memset(c, 0, sizeof(*c));
	c->m = m;
	c->cap = 1024;
	c->ctlcap = 16;
	c->code = malloc(c->cap * sizeof(*c->code));
	c->ctl = malloc(c->ctlcap * sizeof(*c->ctl));
	c->last_pos = c->shl_pos = c->add_pos = c->ri_pos = c->rot_pos = c->xr2_pos = c->mov_pos = c->bin_prev = c->brk_pos =
		c->brk_prev = c->const_pos = CC_NONE;
	c->dummy.type = WR_I32;
	c->handlers = vm_op_handlers();
	return c->code && c->ctl;
}

static void cc_release(struct cc *c)
{
	free(c->ltype);
	free(c->lslot);
	free(c->astamp);
	free(c->aset);
	free(c->code);
	free(c->relocs);
	free(c->st);
	free(c->ctl);
	free(c->tries);
	free(c->catches);
	free(c->maps);
	free(c->mslots);
}

bool vm_compile_module(wr_module *m, wr_diag *diag)
{
	uint32_t ndef = m->nfuncs - m->nfunc_imports;
	struct cc c;
	bool ok = false;
	m->code = calloc((size_t)ndef + 1, sizeof(*m->code));
	if (!m->code || !cc_init(&c, m))
		goto out;
	for (uint32_t i = 0; i < ndef; i++)
		if (!(m->code[i] = calloc(1, sizeof(struct vm_code))))
			goto out;
	for (uint32_t i = 0; i < ndef; i++) {
		bool done = cc_function(&c, m->nfunc_imports + i, diag);
		cc_reset_function(&c);
		if (!done) {
			if (c.why)
				dec_fail_at(diag, c.where, c.why);
			else
				dec_fail_at(diag, m->codes[i].pos, "out of memory compiling function");
			goto out;
		}
	}
	ok = true;
out:
	if (m->code)
		cc_release(&c);
	return ok;
}

void vm_free_module_code(wr_module *m)
{
	if (!m->code)
		return;
	for (uint32_t i = 0; i < m->nfuncs - m->nfunc_imports; i++) {
		if (m->code[i]) {
			free(m->code[i]->cells);
			free(m->code[i]->tries);
			free(m->code[i]->catches);
			free(m->code[i]->gcmaps);
			free(m->code[i]->gcslots);
		}
		free(m->code[i]);
	}
	free(m->code);
	m->code = NULL;
}

/* ---- disassembly, for debugging ---- */

static const char *const cc_family_text[VF__COUNT] = {
#define X(family, text) text,
	VM_FAMILIES(X)
#undef X
};

/* Print the operand cells of the instruction at cells[i] as its layout
 * pictures them: a|b halves as numbers, targets as cell indices. */
static void cc_dump_cells(FILE *out, const struct vm_code *cd, size_t i, const char *layout)
{
	for (size_t k = 1; *layout && i + k < cd->ncells; k++, layout += 4) {
		vm_cell x = cd->cells[i + k];
		if (layout[1] == '|')
			fprintf(out, " %u|%u", x.u32[0], x.u32[1]);
		else if (!strncmp(layout, "tgt", 3))
			fprintf(out, " @%td", x.target - cd->cells);
		else
			fprintf(out, " %#llx", (unsigned long long)x.u64);
		if (!layout[3])
			break;
	}
}

const char *vm_op_name(enum vm_op op)
{
	return op < VM__COUNT ? vm_names[op] : "?";
}

void vm_disasm(FILE *out, const struct vm_code *cd)
{
	fprintf(out, "func[%u]: %u param slots, %u local slots, frame of %u\n", cd->func,
		cd->param_slots, cd->local_slots, cd->frame_slots);
	for (size_t i = 0; i < cd->ncells;) {
		enum vm_op op = vm_cell_op(cd->cells[i]);
		if (op == VM_NONE) {
			fprintf(out, "%6zu  (not an operation)\n", i++);
			continue;
		}
		const struct vm_op_info *o = &vm_ops[op];
		const char *text = cc_family_text[o->family], *at = strstr(text, "%s");
		fprintf(out, "%6zu  %-24s", i, vm_names[op]);
		cc_dump_cells(out, cd, i, vm_layouts[op]);
		fprintf(out, "    ; %.*s%s%s\n", (int)(at - text), text, op_infos[o->from].text, at + 2);
		i += o->cells;
		if (o->from == OP_BR_TABLE) { /* n in the last operand cell's high half */
			for (uint32_t t = 0; t <= cd->cells[i - 1].u32[1] && i < cd->ncells; t++, i++)
				fprintf(out, "%6zu    @%td\n", i, cd->cells[i].target - cd->cells);
		}
	}
}
