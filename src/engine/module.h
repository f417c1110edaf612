/*
 * module.h: a decoded WebAssembly module, and the byte reader and
 * instruction decoder shared by the decoder, the validator, the compiler and
 * instantiation.
 *
 * The decoder (decode.c) checks structure only and fills struct wr_module.
 * The validator (validate.c) type-checks it and produces nothing. The
 * compiler (compile.c) turns each validated function into threaded code.
 * Offsets stored here are byte offsets into mod->bytes, the module's own copy
 * of the binary, so every later stage can re-read and report positions.
 */
#ifndef WRUN_MODULE_H
#define WRUN_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wrun.h"
#include "opcodes.h"

/* Limits on what a module may declare, checked by the decoder. */
#define MOD_MAX_LOCALS 50000u        /* per function, params included */
#define MOD_MAX_PAGES 65536u         /* 4 GiB of 64 KiB pages */
#define MOD_MAX_PAGES64 (1ull << 48) /* a 64-bit memory: 2^64 bytes */
#define MOD_MAX_TABLE 10000000u      /* elements a table may ever hold */
#define MOD_MAX_FUNC_PARAMS 1000u
#define MOD_MAX_FUNC_RESULTS 1000u
#define MOD_MAX_FIELDS 10000u        /* fields of a struct type */
#define MOD_MAX_TYPES 1000000u        /* type definitions (a type index fits a mod_vt) */

/* ---- value types ---- */

/*
 * A value type of Wasm 3.0 in 32 bits. Numeric and vector types are their
 * type byte (WR_I32 ... WR_V128). A reference type (ref null? ht) keeps its
 * heap type's code in bits 0-7 and VT_NONNULL (bit 8) when it excludes
 * null. An abstract heap type's code is the byte of its nullable shorthand
 * (HT_*), so the 2.0 types keep their values: WR_FUNCREF is (ref null
 * func). A concrete heap type, a type index, has code VT_HT_IDX and the
 * index in bits 9-31. VT_HT_BOT is the bottom heap type the validator gives
 * a reference it knows nothing of (popped from an unreachable stack). 0 is
 * no type (the validator's unknown operand).
 *
 * Where a value only needs its representation (slots, the public API), the
 * engine uses its kind (mod_kind): the 2.0 type byte of its hierarchy's
 * nullable top, WR_FUNCREF for every function reference.
 */
typedef uint32_t mod_vt;

#define VT_NONNULL 0x100u
#define VT_HT_IDX 0x01u     /* a type index naming a function type */
#define VT_HT_BOT 0x02u
#define VT_HT_SIDX 0x04u    /* a type index naming a struct type (GC) */
#define VT_HT_AIDX 0x05u    /* a type index naming an array type (GC) */
#define VT_IDX_SHIFT 9
#define VT_IDX_MAX ((1u << (32 - VT_IDX_SHIFT)) - 1)

/* Abstract heap types, by the byte of their shorthand: funcref, externref,
 * exnref (exception handling) and their bottoms. The GC proposal adds any,
 * eq, i31, struct, array and none. */
enum {
	HT_FUNC = 0x70, HT_EXTERN = 0x6f, HT_NOFUNC = 0x73, HT_NOEXTERN = 0x72,
	HT_EXN = 0x69, HT_NOEXN = 0x74,
	HT_ANY = 0x6e, HT_EQ = 0x6d, HT_I31 = 0x6c, HT_STRUCT = 0x6b, HT_ARRAY = 0x6a,
	HT_NONE = 0x71,
};

/* Composite type forms (the byte that starts a definition). */
enum { FORM_FUNC = 0x60, FORM_STRUCT = 0x5f, FORM_ARRAY = 0x5e };
/* Packed storage types of struct and array fields, by their byte. */
enum { PT_I8 = 0x78, PT_I16 = 0x77 };
#define TY_NO_SUPER UINT32_MAX

/* A concrete heap type's code, by the form of the type it names. */
static inline uint8_t vt_form_code(uint8_t form)
{
	return form == FORM_STRUCT ? VT_HT_SIDX : form == FORM_ARRAY ? VT_HT_AIDX : VT_HT_IDX;
}

static inline uint8_t vt_ht(mod_vt t) { return (uint8_t)(t & 0xff); }
static inline uint32_t vt_idx(mod_vt t) { return t >> VT_IDX_SHIFT; }
/* Does t name a type index (of any form)? */
static inline bool vt_is_idx(mod_vt t)
{
	uint8_t h = vt_ht(t);
	return h == VT_HT_IDX || h == VT_HT_SIDX || h == VT_HT_AIDX;
}
static inline bool vt_nullable(mod_vt t) { return !(t & VT_NONNULL); }
static inline bool vt_is_num(mod_vt t)
{
	return t == WR_I32 || t == WR_I64 || t == WR_F32 || t == WR_F64 || t == WR_V128;
}
static inline bool vt_is_ref(mod_vt t) { return t != 0 && !vt_is_num(t); }
/* (ref null? ht): ht an abstract code, or VT_HT_IDX with idx. */
static inline mod_vt vt_ref(uint8_t ht, uint32_t idx, bool nullable)
{
	return (mod_vt)ht | (nullable ? 0 : VT_NONNULL) |
	       (ht == VT_HT_IDX || ht == VT_HT_SIDX || ht == VT_HT_AIDX ? idx << VT_IDX_SHIFT : 0);
}
/* Can a local of type t start out with its default value? */
static inline bool vt_defaultable(mod_vt t) { return !(t & VT_NONNULL); }

/* The top heap type of t's hierarchy (func, extern or exn), for a
 * reference type; 0 for a numeric or vector type. */
uint8_t vt_top(mod_vt t);
/* The kind of a value type: numeric and vector types are themselves, a
 * reference its hierarchy's nullable top (WR_FUNCREF, WR_EXTERNREF,
 * WR_EXNREF). */
static inline uint8_t mod_kind(mod_vt t) { return vt_is_num(t) ? (uint8_t)t : vt_top(t); }
/* Is a a subtype of b? canon maps a module's type indices to canonical ones
 * (equal exactly when the types are equivalent), or is NULL when indices
 * are canonical already (a store's). 0 (unknown) is a subtype of anything. */
typedef struct ty_registry ty_registry;
/* reg is the registry canon's indices (or, canon NULL, the types' own)
 * belong to: it knows each canonical type's declared supertype. */
bool vt_sub(const ty_registry *reg, const uint32_t *canon, mod_vt a, mod_vt b);
/* Are a and b the same type (each a subtype of the other)? */
static inline bool vt_eq(const ty_registry *reg, const uint32_t *canon, mod_vt a, mod_vt b)
{
	return a == b || (vt_sub(reg, canon, a, b) && vt_sub(reg, canon, b, a));
}

/* ---- reading bytes ---- */

/* A bounds-checked cursor over [p, end). base is the start of the whole
 * module so errors can report absolute offsets. On the first error the
 * reader records it in *diag (if not already set) and every later read
 * fails too. */
typedef struct dec_reader {
	const uint8_t *p, *end, *base;
	wr_diag *diag;
	bool failed;
} dec_reader;

void dec_reader_init(dec_reader *r, const uint8_t *base, size_t off, size_t len, wr_diag *diag);
/* Record an error at the reader's current position; returns false. */
bool dec_fail(dec_reader *r, const char *message);
/* Record an error at an explicit offset (first error wins); returns false. */
bool dec_fail_at(wr_diag *diag, size_t offset, const char *message);
size_t dec_offset(const dec_reader *r);
bool dec_u8(dec_reader *r, uint8_t *out);
bool dec_u32(dec_reader *r, uint32_t *out);  /* LEB128 unsigned, 32 bits */
bool dec_s32(dec_reader *r, int32_t *out);
bool dec_s33(dec_reader *r, int64_t *out);
bool dec_s64(dec_reader *r, int64_t *out);
bool dec_u64(dec_reader *r, uint64_t *out);
bool dec_bytes(dec_reader *r, size_t len, const uint8_t **out);

/* ---- one decoded instruction ---- */

/* Block type, as the raw s33: BT_EMPTY (0x40), a negative value standing for
 * one value type (its kind's byte; the full type is in the instruction's vt),
 * or a type index (>= 0). */
#define BT_EMPTY (-64)

typedef struct dec_instr {
	uint16_t op;          /* enum wr_opcode */
	size_t offset;        /* of the opcode's first byte */
	uint32_t a, b;        /* index immediates: local, global, func, type (a) + table (b),
	                         label depth, data/elem (a) + table/mem (b),
	                         memarg align exponent (a), lane index (b) */
	uint32_t mem;         /* memarg memory index (0 unless flag bit 6 gave one) */
	uint64_t imm;         /* i32/i64 constant, f32/f64 bits, memarg offset */
	int64_t blocktype;    /* IMM_BLOCKTYPE: the raw s33, see dec_bt_* */
	uint8_t valtype;      /* IMM_REFTYPE, IMM_SELECT_T, one-type IMM_BLOCKTYPE: the kind */
	mod_vt vt;            /* and the full type (ref.null: the reference type); set only
	                         for those */
	/* IMM_TRY_TABLE: `a` holds the number of catch clauses, read with
	 * dec_catch_next from tbl (as for br_table). */
	uint8_t v128[16];     /* IMM_V128 and IMM_SHUFFLE */
	/* IMM_BR_TABLE: `a` holds the number of labels (excluding the default);
	 * the labels themselves are read with dec_br_table_next from tbl. */
	dec_reader tbl;
} dec_instr;

/* Decode the instruction at r into *in. Checks only encoding (opcode known,
 * immediates well formed); returns false with a diagnostic otherwise. */
bool dec_instr_next(dec_reader *r, dec_instr *in);
/* For a br_table, read the next label (the default comes last). */
bool dec_br_table_next(dec_instr *in, uint32_t *label);

/* A catch clause of try_table: its kind, tag (catch, catch_ref) and label. */
enum { CATCH_TAG, CATCH_TAG_REF, CATCH_ALL, CATCH_ALL_REF };
typedef struct dec_catch {
	uint8_t kind;
	uint32_t tag, label;
} dec_catch;
/* For a try_table, read the next catch clause. */
bool dec_catch_next(dec_instr *in, dec_catch *out);

/* Block type helpers: a block type is empty, one value type, or a type index. */
static inline bool dec_bt_is_index(int64_t bt) { return bt >= 0; }
static inline uint8_t dec_bt_valtype(int64_t bt) { return (uint8_t)(bt & 0x7f); }

/* Per-opcode facts from the table in opcodes.h. */
typedef struct op_info {
	const char *text;
	uint16_t prefix, code, imm, align;
	const char *sig; /* NULL or "params:results" */
} op_info;
extern const op_info op_infos[OP__COUNT];

/* ---- the decoded module ---- */

typedef struct mod_functype {
	uint32_t nparams, nresults;
	uint8_t *types; /* params then results: their kinds (mod_kind) */
	mod_vt *vts;    /* the same, full types (NULL for a host function's: its kinds) */
	uint32_t param_slots, result_slots; /* in 8-byte slots: v128 counts 2 */
	uint32_t rec, rec_len; /* its recursion group: the first type's index, the count */
	/* GC (Wasm 3.0): the form (FORM_*); a struct's fields, an array's one
	 * element, are nparams storage types in vts (PT_I8, PT_I16 or a value
	 * type; their kinds in types, i32 for the packed ones) with muts[i]
	 * their mutability. final, and the declared supertype or TY_NO_SUPER. */
	uint8_t form;
	bool final;
	uint8_t *muts;
	uint32_t super;
} mod_functype;

typedef struct mod_expr {
	size_t off, len; /* a constant expression including its final `end` */
} mod_expr;

typedef struct mod_import {
	char *module, *name;
	size_t module_len, name_len;
	uint8_t kind; /* wr_externkind */
	uint32_t index; /* the index it takes in its kind's index space */
} mod_import;

typedef struct mod_global {
	uint8_t type; /* kind */
	mod_vt vt;
	bool mut;
	bool imported;
	mod_expr init; /* defined globals only */
} mod_global;

typedef struct mod_table {
	uint8_t elem; /* kind: WR_FUNCREF or WR_EXTERNREF */
	mod_vt vt;    /* the element type */
	bool has_init;
	mod_expr init; /* defined tables with an initialiser (Wasm 3.0) */
	wr_limits limits;
	bool imported;
} mod_table;

typedef struct mod_memory {
	wr_limits limits; /* pages */
	bool imported;
} mod_memory;

typedef struct mod_tag {
	uint32_t type;        /* a function type with no results: the payload */
	bool imported;
} mod_tag;

typedef struct mod_export {
	char *name;
	size_t name_len;
	uint8_t kind;
	uint32_t index;
} mod_export;

enum { SEG_ACTIVE, SEG_PASSIVE, SEG_DECLARATIVE };

typedef struct mod_elem {
	uint8_t mode;
	uint8_t type;         /* kind: WR_FUNCREF or WR_EXTERNREF */
	mod_vt vt;            /* the element type */
	uint32_t table;       /* active only */
	mod_expr offset;      /* active only */
	uint32_t count;
	uint32_t *funcs;      /* when given as function indices (else NULL) */
	mod_expr *exprs;      /* when given as expressions (else NULL) */
	size_t pos;           /* offset of the segment, for diagnostics */
} mod_elem;

typedef struct mod_data {
	uint8_t mode;
	uint32_t memory;
	mod_expr offset;
	size_t off, len;      /* the bytes, inside mod->bytes */
	size_t pos;
} mod_data;

typedef struct mod_localrun {
	uint32_t count;
	uint8_t type; /* kind */
	mod_vt vt;
} mod_localrun;

typedef struct mod_code {
	uint32_t nruns;
	mod_localrun *runs;
	uint32_t nlocals;     /* declared locals, params excluded */
	size_t body_off, body_len; /* instructions up to and including the final end */
	size_t pos;           /* offset of the entry (its size field) */
	uint32_t try_depth;   /* deepest nesting of legacy `try` blocks */
} mod_code;

struct vm_code; /* compiled function, see vm.h */

struct wr_module {
	uint8_t *bytes;
	size_t len;

	uint32_t ntypes;
	mod_functype *types;

	uint32_t nimports;
	mod_import *imports;

	/* Index spaces: imported entries first, then defined ones. */
	uint32_t nfuncs, nfunc_imports;
	uint32_t *func_types;  /* type index of every function */
	uint32_t ntables, ntable_imports;
	mod_table *tables;
	uint32_t nmems, nmem_imports;
	mod_memory *mems;
	uint32_t nglobals, nglobal_imports;
	mod_global *globals;
	uint32_t ntags, ntag_imports;
	mod_tag *tags;

	uint32_t nexports;
	mod_export *exports;

	bool has_start;
	uint32_t start;

	uint32_t nelems;
	mod_elem *elems;

	bool has_datacount;
	uint32_t datacount;
	uint32_t ndatas;
	mod_data *datas;

	mod_code *codes;       /* nfuncs - nfunc_imports entries */

	char **func_names;     /* from the "name" custom section; NULL or per function (may be NULL) */

	/* Filled by validation: functions that may be referenced by ref.func, and
	 * per type its canonical index (equal for equivalent types), see vt_sub. */
	bool *func_declared;
	uint32_t *type_canon;

	/* Filled by compilation: one per defined function. */
	struct vm_code **code;
};

typedef struct wr_module wr_module;

/* t with its concrete heap type's code set by the form of the type it
 * names (VT_HT_IDX, VT_HT_SIDX, VT_HT_AIDX); an unknown index is left for
 * the validator to report. */
static inline mod_vt mod_vt_form(const wr_module *m, mod_vt t)
{
	if (!vt_is_idx(t) || vt_idx(t) >= m->ntypes)
		return t;
	return (t & ~0xffu) | vt_form_code(m->types[vt_idx(t)].form);
}

/* The same for an instruction's type immediate (in->vt, and its kind in
 * in->valtype): the decoder of instructions does not know the module. */
static inline void mod_instr_forms(const wr_module *m, dec_instr *in)
{
	if (__builtin_expect(!in->valtype, 1))
		return; /* set for every instruction with a type immediate */
	if (vt_is_idx(in->vt)) {
		in->vt = mod_vt_form(m, in->vt);
		in->valtype = mod_kind(in->vt);
	}
	if (in->op == OP_BR_ON_CAST || in->op == OP_BR_ON_CAST_FAIL)
		in->imm = mod_vt_form(m, (mod_vt)in->imm);
}

/* decode.c: parse bytes into m (which must be zeroed). Structure only. */
bool dec_module(wr_module *m, wr_diag *diag);
/* validate.c: type-check a decoded module. */
bool val_module(wr_module *m, wr_diag *diag);
/* compile.c: compile every defined function; frees nothing on failure. */
bool vm_compile_module(wr_module *m, wr_diag *diag);
void vm_free_module_code(wr_module *m);
/* module.c: free everything a module owns. */
void mod_free(wr_module *m);

/* Value type helpers (kinds). */
static inline bool mod_is_reftype(uint8_t t)
{
	return t == WR_FUNCREF || t == WR_EXTERNREF || t == WR_EXNREF || t == WR_NULLEXNREF ||
	       t == WR_ANYREF;
}
static inline bool mod_is_valtype(uint8_t t)
{
	return t == WR_I32 || t == WR_I64 || t == WR_F32 || t == WR_F64 || t == WR_V128 ||
	       mod_is_reftype(t);
}
static inline uint32_t mod_slots(uint8_t t) { return t == WR_V128 ? 2 : 1; }

/* types.c: canonical type indices. Each recursion group of m's type section
 * is interned in a registry: a group is entered once, the types of an
 * equivalent group get the same indices. A module's validator and a store
 * each keep one. */
ty_registry *ty_registry_new(void);
void ty_registry_free(ty_registry *r);
/* The canonical indices of the types of group [first, first + n) of m, into
 * out[first..]: references to earlier types are mapped through out[], those
 * inside the group kept relative. False when memory runs out. */
bool ty_intern_group(ty_registry *r, const wr_module *m, uint32_t first, uint32_t n,
                     uint32_t *out);
/* Is canonical type a a subtype of canonical type b (equal, or b on a's
 * chain of declared supertypes)? */
bool ty_canon_sub(const ty_registry *r, uint32_t a, uint32_t b);
/* The form (FORM_*) of canonical type c. */
uint8_t ty_form_of(const ty_registry *r, uint32_t c);
/* The same for a host function's type (no type references): one index. */
bool ty_intern_func(ty_registry *r, const mod_functype *t, uint32_t *out);

#endif
