/*
 * decode.c: the binary decoder. It reads a module's bytes into struct
 * wr_module and checks structure only: encodings, section order and sizes,
 * instruction immediates and block nesting. Typing is validate.c's job.
 *
 * Every read goes through dec_reader, which compares a length with the bytes
 * left (`len > (size_t)(end - p)`) before it moves, so no pointer past the
 * end is ever formed. The module is read as one stream, the way the spec's
 * decoder reads it: a section or a function body that overruns its declared
 * size is reported as "section size mismatch" once it has been read, and the
 * error messages are worded as the spec tests expect them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"

#define DEC_EOF "unexpected end of section or function"

/* ---- the opcode table ---- */

const op_info op_infos[OP__COUNT] = {
#define X(name, text, prefix, code, imm, sig, align) \
	[OP_##name] = { text, prefix, code, IMM_##imm, align, sig },
	WR_OPCODES(X)
#undef X
};

/* The opcode map: one-byte opcodes at [0, 256), 0xFC sub-opcodes at
 * [256, 512), 0xFD sub-opcodes at [512, 1024), 0xFB (GC) ones at [1024,
 * 1280). Entries hold op + 1, so 0 means "no such instruction". */
#define DEC_SLOT(prefix, code) \
	((prefix) == 0 ? (code) : (prefix) == 0xfc ? 256 + (code) : \
	 (prefix) == 0xfb ? 1024 + (code) : 512 + (code))
#define DEC_OPMAP_LEN 1280

#define X(name, text, prefix, code, imm, sig, align) \
	_Static_assert((prefix) == 0 || (prefix) == 0xfb || (prefix) == 0xfc || (prefix) == 0xfd, \
		       "opcodes.h: unknown prefix for " text); \
	_Static_assert((code) < ((prefix) == 0xfd ? 512 : 256), \
		       "opcodes.h: opcode out of range for " text);
WR_OPCODES(X)
#undef X

static const uint16_t dec_opmap[DEC_OPMAP_LEN] = {
#define X(name, text, prefix, code, imm, sig, align) [DEC_SLOT(prefix, code)] = OP_##name + 1,
	WR_OPCODES(X)
#undef X
};

/* ---- the reader ---- */

void dec_reader_init(dec_reader *r, const uint8_t *base, size_t off, size_t len, wr_diag *diag)
{
	r->base = base;
	r->p = base + off;
	r->end = r->p + len;
	r->diag = diag;
	r->failed = false;
}

/* Record the first error of a load; later ones are consequences. */
bool dec_fail_at(wr_diag *diag, size_t offset, const char *message)
{
	if (diag && !diag->message[0]) {
		snprintf(diag->message, sizeof(diag->message), "%s", message);
		diag->offset = offset;
	}
	return false;
}

size_t dec_offset(const dec_reader *r)
{
	return (size_t)(r->p - r->base);
}

bool dec_fail(dec_reader *r, const char *message)
{
	r->failed = true;
	return dec_fail_at(r->diag, dec_offset(r), message);
}

/* Fail at an explicit position of r's buffer (the offending byte). */
static bool dec_fail_p(dec_reader *r, const uint8_t *p, const char *message)
{
	r->failed = true;
	return dec_fail_at(r->diag, (size_t)(p - r->base), message);
}

/* Running out of bytes is reported at the end, where the byte is missing. */
static bool dec_eof(dec_reader *r)
{
	return dec_fail_p(r, r->end, DEC_EOF);
}

bool dec_u8(dec_reader *r, uint8_t *out)
{
	if (r->failed)
		return false;
	if (r->p == r->end)
		return dec_eof(r);
	*out = *r->p++;
	return true;
}

bool dec_bytes(dec_reader *r, size_t len, const uint8_t **out)
{
	if (r->failed)
		return false;
	if (len > (size_t)(r->end - r->p))
		return dec_eof(r);
	*out = r->p;
	r->p += len;
	return true;
}

/* Unsigned LEB128 of at most `bits` bits. A byte past ceil(bits/7) is "too
 * long"; in the last byte, bits beyond `bits` must be zero ("too large"). */
static bool dec_uleb(dec_reader *r, int bits, uint64_t *out)
{
	uint64_t v = 0;
	uint8_t b;

	/* One byte, the usual index or length (bits is at least 7): no loop. */
	if (!r->failed && r->p != r->end && *r->p < 0x80) {
		*out = *r->p++;
		return true;
	}

	for (int n = bits, shift = 0;; n -= 7, shift += 7) {
		if (n <= 0)
			return dec_fail(r, "integer representation too long");
		if (!dec_u8(r, &b))
			return false;
		if (n < 7 && (b & 0x7f) >= (1u << n))
			return dec_fail_p(r, r->p - 1, "integer too large");
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*out = v;
			return true;
		}
	}
}

/* Signed LEB128 of at most `bits` bits, sign-extended. In the last byte the
 * unused bits must all equal the sign bit. */
static bool dec_sleb(dec_reader *r, int bits, int64_t *out)
{
	uint64_t v = 0;
	uint8_t b, mask;

	for (int n = bits, shift = 0;; n -= 7, shift += 7) {
		if (n <= 0)
			return dec_fail(r, "integer representation too long");
		if (!dec_u8(r, &b))
			return false;
		mask = n < 7 ? (uint8_t)((0x7fu << (n - 1)) & 0x7f) : 0;
		if ((b & mask) != 0 && (b & mask) != mask)
			return dec_fail_p(r, r->p - 1, "integer too large");
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			if (shift + 7 < 64 && (b & 0x40))
				v |= ~(uint64_t)0 << (shift + 7);
			*out = (int64_t)v;
			return true;
		}
	}
}

bool dec_u32(dec_reader *r, uint32_t *out)
{
	uint64_t v;
	if (!dec_uleb(r, 32, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

bool dec_u64(dec_reader *r, uint64_t *out)
{
	return dec_uleb(r, 64, out);
}

bool dec_s32(dec_reader *r, int32_t *out)
{
	int64_t v;
	if (!dec_sleb(r, 32, &v))
		return false;
	*out = (int32_t)v;
	return true;
}

bool dec_s33(dec_reader *r, int64_t *out)
{
	return dec_sleb(r, 33, out);
}

bool dec_s64(dec_reader *r, int64_t *out)
{
	return dec_sleb(r, 64, out);
}

/* A vector length or byte count: it may not exceed the bytes left, counted
 * from the length field itself, since every element takes a byte. */
static bool dec_len(dec_reader *r, uint32_t *out)
{
	const uint8_t *at = r->p;
	if (!dec_u32(r, out))
		return false;
	if (*out > (size_t)(r->end - at))
		return dec_fail_p(r, at, "length out of bounds");
	return true;
}

/* A one-byte type code. Type codes are 7-bit signed LEBs in the binary
 * format, so a byte with the continuation bit makes an overlong one. */
static bool dec_typebyte(dec_reader *r, uint8_t *out)
{
	if (!dec_u8(r, out))
		return false;
	if (*out & 0x80)
		return dec_fail(r, "integer representation too long");
	return true;
}

/* The abstract heap types wrun knows (the byte of each one's shorthand). */
static bool dec_ht_known(uint8_t b)
{
	return b == HT_FUNC || b == HT_EXTERN || b == HT_NOFUNC || b == HT_NOEXTERN ||
	       b == HT_EXN || b == HT_NOEXN || b == HT_ANY || b == HT_EQ || b == HT_I31 ||
	       b == HT_STRUCT || b == HT_ARRAY || b == HT_NONE;
}

/* A heap type (s33): an abstract one's byte, or a type index. An index too
 * large for a mod_vt is kept as VT_IDX_MAX, past any module's types, for
 * the validator to report unknown. */
static bool dec_heaptype(dec_reader *r, bool nullable, mod_vt *out)
{
	const uint8_t *at = r->p;
	int64_t v;

	if (!dec_s33(r, &v))
		return false;
	if (v >= 0) {
		*out = vt_ref(VT_HT_IDX, v > VT_IDX_MAX ? VT_IDX_MAX : (uint32_t)v, nullable);
		return true;
	}
	if (v < -0x40 || !dec_ht_known((uint8_t)(v + 0x80)))
		return dec_fail_p(r, at, "malformed heap type");
	*out = vt_ref((uint8_t)(v + 0x80), 0, nullable);
	return true;
}

/* A reference type, or (num) any value type: a shorthand byte, or 0x63
 * (ref null ht) / 0x64 (ref ht) and a heap type. */
static bool dec_anytype(dec_reader *r, bool num, mod_vt *vt, uint8_t *kind)
{
	uint8_t b;

	if (!dec_typebyte(r, &b))
		return false;
	if (b == 0x63 || b == 0x64) {
		if (!dec_heaptype(r, b == 0x63, vt))
			return false;
	} else if (dec_ht_known(b) || (num && vt_is_num(b))) {
		*vt = b;
	} else {
		return dec_fail_p(r, r->p - 1, num ? "malformed value type" : "malformed reference type");
	}
	if (kind)
		*kind = mod_kind(*vt);
	return true;
}

static bool dec_valtype(dec_reader *r, mod_vt *vt, uint8_t *kind)
{
	return dec_anytype(r, true, vt, kind);
}

static bool dec_reftype(dec_reader *r, mod_vt *vt, uint8_t *kind)
{
	return dec_anytype(r, false, vt, kind);
}

/* Is s[0..n) well-formed UTF-8 (no overlong forms, surrogates or code points
 * past U+10FFFF)? */
static bool dec_utf8_ok(const uint8_t *s, size_t n)
{
	static const uint32_t min[4] = { 0, 0x80, 0x800, 0x10000 };
	size_t i = 0, k, j;
	uint32_t cp;

	while (i < n) {
		uint8_t b = s[i];
		if (b < 0x80) {
			i++;
			continue;
		}
		if ((b & 0xe0) == 0xc0)
			k = 1, cp = b & 0x1f;
		else if ((b & 0xf0) == 0xe0)
			k = 2, cp = b & 0x0f;
		else if ((b & 0xf8) == 0xf0)
			k = 3, cp = b & 0x07;
		else
			return false;
		if (k > n - i - 1)
			return false;
		for (j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if (cp < min[k] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += k + 1;
	}
	return true;
}

/* A name: a length, then that many bytes of UTF-8. */
static bool dec_name_ref(dec_reader *r, const uint8_t **p, uint32_t *n)
{
	const uint8_t *at = r->p;
	if (!dec_len(r, n) || !dec_bytes(r, *n, p))
		return false;
	return dec_utf8_ok(*p, *n) || dec_fail_p(r, at, "malformed UTF-8 encoding");
}

/* ---- instructions ---- */

static bool dec_blocktype(dec_reader *r, dec_instr *in)
{
	uint8_t b;
	int64_t v;

	if (r->failed)
		return false;
	if (r->p < r->end && (*r->p & 0xc0) == 0x40) {
		if (*r->p == 0x40) {
			r->p++;
			in->blocktype = BT_EMPTY;
			return true;
		}
		if (!dec_valtype(r, &in->vt, &b))
			return false;
		in->valtype = b;
		in->blocktype = (int64_t)b - 0x80;
		return true;
	}
	if (!dec_s33(r, &v))
		return false;
	if (v < 0)
		return dec_fail_p(r, r->p - 1, "unknown type");
	in->blocktype = v;
	return true;
}

/* memarg: the flags (u32), a memory index (u32) if flag bit 6 is set, then
 * the offset (u64: memory64). Bits 0-5 of the flags are the alignment
 * exponent; flags of 0x80 or more are malformed (Wasm 3.0, multiple
 * memories). The index is kept in mem and checked by the validator, as is
 * the offset's range (below 2^32 for a 32-bit memory); without bit 6 the
 * index is 0. */
static bool dec_memarg(dec_reader *r, dec_instr *in)
{
	const uint8_t *at = r->p;
	uint32_t flags;
	if (!dec_u32(r, &flags))
		return false;
	if (flags >= 0x80)
		return dec_fail_p(r, at, "malformed memop flags");
	in->a = flags & 0x3f;
	if ((flags & 0x40) && !dec_u32(r, &in->mem))
		return false;
	return dec_u64(r, &in->imm);
}

/* Raw little-endian bytes of a float constant, kept as bits. */
static bool dec_fixed(dec_reader *r, size_t n, uint64_t *out)
{
	const uint8_t *p;
	uint64_t v = 0;
	if (!dec_bytes(r, n, &p))
		return false;
	for (size_t i = n; i-- > 0;)
		v = v << 8 | p[i];
	*out = v;
	return true;
}

/* select's type vector. Any length decodes; the validator wants one. */
static bool dec_select_t(dec_reader *r, dec_instr *in)
{
	mod_vt vt;
	uint8_t t;
	if (!dec_len(r, &in->a))
		return false;
	for (uint32_t i = 0; i < in->a; i++) {
		if (!dec_valtype(r, &vt, &t))
			return false;
		if (i == 0) {
			in->valtype = t;
			in->vt = vt;
		}
	}
	return true;
}

/* br_table: check every label now, and leave tbl positioned at the first
 * so later stages can read them again with dec_br_table_next. */
static bool dec_br_table(dec_reader *r, dec_instr *in)
{
	uint32_t label;
	if (!dec_len(r, &in->a))
		return false;
	in->tbl = *r;
	for (uint64_t i = 0; i <= in->a; i++)
		if (!dec_u32(r, &label))
			return false;
	in->tbl.end = r->p;
	return true;
}

bool dec_br_table_next(dec_instr *in, uint32_t *label)
{
	return dec_u32(&in->tbl, label);
}

/* One catch clause: a kind byte (0 catch, 1 catch_ref, 2 catch_all,
 * 3 catch_all_ref), a tag index for the first two, then a label. */
static bool dec_catch_clause(dec_reader *r, dec_catch *out)
{
	uint8_t kind;
	out->tag = 0;
	if (!dec_u8(r, &kind))
		return false;
	if (kind > CATCH_ALL_REF)
		return dec_fail_p(r, r->p - 1, "malformed catch clause");
	out->kind = kind;
	if (kind <= CATCH_TAG_REF && !dec_u32(r, &out->tag))
		return false;
	return dec_u32(r, &out->label);
}

/* try_table: the block type, then the catch clauses, checked now and read
 * again later with dec_catch_next (tbl is left at the first). */
static bool dec_try_table(dec_reader *r, dec_instr *in)
{
	dec_catch k;
	if (!dec_blocktype(r, in) || !dec_len(r, &in->a))
		return false;
	in->tbl = *r;
	for (uint32_t i = 0; i < in->a; i++)
		if (!dec_catch_clause(r, &k))
			return false;
	in->tbl.end = r->p;
	return true;
}

bool dec_catch_next(dec_instr *in, dec_catch *out)
{
	return dec_catch_clause(&in->tbl, out);
}

/* Immediates that are one or two indices. A lone table index goes in b
 * (and a copy in a); pairs are stored in encoding order. */
static bool dec_indices(dec_reader *r, dec_instr *in, uint8_t imm)
{
	switch (imm) {
	case IMM_TABLE:
		if (!dec_u32(r, &in->b))
			return false;
		in->a = in->b;
		return true;
	case IMM_CALL_INDIRECT:
	case IMM_TABLE_INIT:
	case IMM_TABLE_COPY:
	case IMM_TYPE2:
		return dec_u32(r, &in->a) && dec_u32(r, &in->b);
	case IMM_MEMORY_INIT: /* data segment, memory (in mem) */
		return dec_u32(r, &in->a) && dec_u32(r, &in->mem);
	default: /* label, function, local, global, data, elem */
		return dec_u32(r, &in->a);
	}
}

/* SIMD immediates: 16 bytes, a lane index, or a memarg and a lane. */
static bool dec_simd_imm(dec_reader *r, dec_instr *in, uint8_t imm)
{
	const uint8_t *p;
	uint8_t lane;

	if (imm == IMM_V128 || imm == IMM_SHUFFLE) {
		if (!dec_bytes(r, 16, &p))
			return false;
		memcpy(in->v128, p, 16);
		return true;
	}
	if (imm == IMM_MEMARG_LANE && !dec_memarg(r, in))
		return false;
	if (!dec_u8(r, &lane))
		return false;
	in->b = lane;
	return true;
}

/* An integer constant, kept as bits: an i32 zero-extended to 64. */
static bool dec_int_const(dec_reader *r, dec_instr *in, bool wide)
{
	int32_t i32;
	int64_t i64;

	if (wide) {
		if (!dec_s64(r, &i64))
			return false;
		in->imm = (uint64_t)i64;
		return true;
	}
	if (!dec_s32(r, &i32))
		return false;
	in->imm = (uint32_t)i32;
	return true;
}

/* The immediates of one instruction, by the kind its table row names. */
/* br_on_cast's immediates: flags (bit 0: the source type nullable, bit 1:
 * the target), label, source heap type (into imm), target (into vt). */
static bool dec_br_on_cast(dec_reader *r, dec_instr *in)
{
	uint8_t flags;
	mod_vt src;

	if (!dec_u8(r, &flags))
		return false;
	if (flags > 3)
		return dec_fail_p(r, r->p - 1, "malformed br_on_cast flags");
	if (!dec_u32(r, &in->a) || !dec_heaptype(r, flags & 1, &src) ||
	    !dec_heaptype(r, (flags & 2) != 0, &in->vt))
		return false;
	in->imm = src;
	in->valtype = mod_kind(in->vt);
	return true;
}

static bool dec_imm(dec_reader *r, dec_instr *in, uint8_t imm)
{
	switch (imm) {
	case IMM_NONE:
		return true;
	case IMM_BLOCKTYPE:
		return dec_blocktype(r, in);
	case IMM_BR_TABLE:
		return dec_br_table(r, in);
	case IMM_TRY_TABLE:
		return dec_try_table(r, in);
	case IMM_MEMARG:
		return dec_memarg(r, in);
	case IMM_MEMIDX: /* a memory index (Wasm 3.0; 2.0 had a zero byte) */
		return dec_u32(r, &in->mem);
	case IMM_MEMORY_COPY: /* destination memory (in mem), source memory (in b) */
		return dec_u32(r, &in->mem) && dec_u32(r, &in->b);
	case IMM_I32:
	case IMM_I64:
		return dec_int_const(r, in, imm == IMM_I64);
	case IMM_F32:
		return dec_fixed(r, 4, &in->imm);
	case IMM_F64:
		return dec_fixed(r, 8, &in->imm);
	case IMM_SELECT_T:
		return dec_select_t(r, in);
	case IMM_REFTYPE: /* ref.null: a heap type */
		if (!dec_heaptype(r, true, &in->vt))
			return false;
		in->valtype = mod_kind(in->vt);
		return true;
	case IMM_CAST:
		if (!dec_heaptype(r, in->op == OP_REF_TEST_NULL || in->op == OP_REF_CAST_NULL, &in->vt))
			return false;
		in->valtype = mod_kind(in->vt);
		return true;
	case IMM_BR_ON_CAST:
		return dec_br_on_cast(r, in);
	case IMM_V128:
	case IMM_LANE:
	case IMM_MEMARG_LANE:
	case IMM_SHUFFLE:
		return dec_simd_imm(r, in, imm);
	default:
		return dec_indices(r, in, imm);
	}
}

/* Read an opcode (one byte, or a prefix and a LEB sub-opcode) into in->op. */
static bool dec_opcode(dec_reader *r, dec_instr *in)
{
	const uint8_t *at = r->p;
	char msg[48];
	uint8_t b;
	uint32_t sub = 0;
	size_t slot;

	if (!dec_u8(r, &b))
		return false;
	slot = b;
	if (b == 0xfb || b == 0xfc || b == 0xfd) {
		if (!dec_u32(r, &sub))
			return false;
		slot = sub < (b == 0xfd ? 512u : 256u) ? (size_t)DEC_SLOT(b, sub) : DEC_OPMAP_LEN;
	}
	if (slot < DEC_OPMAP_LEN && dec_opmap[slot]) {
		in->op = (uint16_t)(dec_opmap[slot] - 1);
		return true;
	}
	if (b == 0xfb || b == 0xfc || b == 0xfd)
		snprintf(msg, sizeof(msg), "illegal opcode %02x %u", b, sub);
	else
		snprintf(msg, sizeof(msg), "illegal opcode %02x", b);
	return dec_fail_p(r, at, msg);
}

/* One instruction and its immediates; fields that do not apply are zero. */
bool dec_instr_next(dec_reader *r, dec_instr *in)
{
	in->offset = dec_offset(r);
	in->a = in->b = in->mem = 0;
	in->imm = 0;
	in->blocktype = 0;
	in->valtype = 0;
	if (!dec_opcode(r, in))
		return false;
	return dec_imm(r, in, op_infos[in->op].imm);
}

/* ---- the module ---- */

typedef struct dec_ctx {
	wr_module *m;
	dec_reader r;          /* the whole module */
	uint8_t *ctl;          /* kinds of the open blocks while scanning code */
	size_t ctl_cap;
	uint32_t ncodes;       /* entries in the code section */
	size_t data_use;       /* 1 + offset of the first memory.init/data.drop, or 0 */
	size_t names_off, names_len; /* the "name" custom section's payload */
	bool has_names;
	uint32_t try_depth;    /* deepest legacy `try` nesting of the last body scanned */
} dec_ctx;

/* CTL_TRY: a legacy try before its first catch; CTL_CATCH: after one. */
enum { CTL_BLOCK, CTL_IF, CTL_ELSE, CTL_TRY, CTL_CATCH };

static void *dec_calloc(dec_ctx *c, size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		dec_fail(&c->r, "out of memory");
	return p;
}

/* Grow an index-space array from `have` to `have + more` entries (zeroed). On
 * failure the old array stays owned by the module. */
static bool dec_extend(dec_ctx *c, void **arr, uint32_t have, uint32_t more, size_t size)
{
	uint64_t n = (uint64_t)have + more;
	void *q;

	if (n > UINT32_MAX)
		return dec_fail(&c->r, "too many definitions");
	q = realloc(*arr, (size_t)(n ? n : 1) * size);
	if (!q)
		return dec_fail(&c->r, "out of memory");
	memset((char *)q + (size_t)have * size, 0, (size_t)more * size);
	*arr = q;
	return true;
}

/* A name copied out NUL-terminated (a name holding NUL reads as cut there). */
static bool dec_name(dec_ctx *c, char **out, size_t *len)
{
	const uint8_t *p;
	uint32_t n;

	if (!dec_name_ref(&c->r, &p, &n))
		return false;
	if (!(*out = malloc((size_t)n + 1)))
		return dec_fail(&c->r, "out of memory");
	memcpy(*out, p, n);
	(*out)[n] = 0;
	*len = n;
	return true;
}

/* Open one more block while scanning; ctl[depth] records its kind. */
static bool dec_push_ctl(dec_ctx *c, size_t depth, uint8_t kind)
{
	if (depth == c->ctl_cap) {
		size_t cap = c->ctl_cap ? c->ctl_cap * 2 : 64;
		uint8_t *q = realloc(c->ctl, cap);
		if (!q)
			return dec_fail(&c->r, "out of memory");
		c->ctl = q;
		c->ctl_cap = cap;
	}
	c->ctl[depth] = kind;
	return true;
}

/* Open a block while scanning; a legacy try counts towards try_depth. */
static bool dec_open(dec_ctx *c, size_t *depth, uint8_t kind, uint32_t *tries)
{
	if (kind == CTL_TRY && ++*tries > c->try_depth)
		c->try_depth = *tries;
	return dec_push_ctl(c, (*depth)++, kind);
}

/* Close the innermost block (end, or delegate for a legacy try). */
static void dec_close(dec_ctx *c, size_t *depth, uint32_t *tries)
{
	uint8_t kind = c->ctl[--*depth];
	if (kind == CTL_TRY || kind == CTL_CATCH)
		--*tries;
}

/* The structure of else, catch, catch_all and delegate: each continues or
 * closes a block of the right kind. */
static bool dec_midblock(dec_ctx *c, const dec_instr *in, size_t *depth, uint32_t *tries)
{
	uint8_t *top = *depth ? &c->ctl[*depth - 1] : NULL;
	bool ok = top && (in->op == OP_ELSE ? *top == CTL_IF
	                  : in->op == OP_DELEGATE ? *top == CTL_TRY
	                                          : (*top == CTL_TRY || *top == CTL_CATCH));
	if (!ok)
		return dec_fail_p(&c->r, c->r.base + in->offset, "END opcode expected");
	if (in->op == OP_DELEGATE)
		dec_close(c, depth, tries);
	else
		*top = in->op == OP_ELSE ? CTL_ELSE : CTL_CATCH;
	return true;
}

/* Scan instructions up to the `end` that closes depth 0, checking encodings
 * and nesting only. Used for function bodies and constant expressions. */
static bool dec_scan(dec_ctx *c, bool body)
{
	dec_instr in;
	size_t depth = 0;
	uint32_t tries = 0;

	c->try_depth = 0;
	while (dec_instr_next(&c->r, &in)) {
		switch (in.op) {
		case OP_BLOCK:
		case OP_LOOP:
		case OP_IF:
		case OP_TRY_TABLE:
		case OP_TRY:
			if (!dec_open(c, &depth, in.op == OP_IF ? CTL_IF : in.op == OP_TRY ? CTL_TRY
			                                                                   : CTL_BLOCK, &tries))
				return false;
			break;
		case OP_ELSE:
		case OP_CATCH:
		case OP_CATCH_ALL:
		case OP_DELEGATE:
			if (!dec_midblock(c, &in, &depth, &tries))
				return false;
			break;
		case OP_END:
			if (depth == 0)
				return true;
			dec_close(c, &depth, &tries);
			break;
		case OP_MEMORY_INIT:
		case OP_DATA_DROP: case OP_ARRAY_NEW_DATA: case OP_ARRAY_INIT_DATA:
			if (body && !c->data_use)
				c->data_use = in.offset + 1;
			break;
		default:
			break;
		}
	}
	return false;
}

static bool dec_expr(dec_ctx *c, mod_expr *e)
{
	e->off = dec_offset(&c->r);
	if (!dec_scan(c, false))
		return false;
	e->len = dec_offset(&c->r) - e->off;
	return true;
}

/* ---- types, imports and the index spaces ---- */

/* A vector of value types, appended to t->vts after `have` types; *at is
 * where its first type starts. */
static bool dec_valtypes(dec_ctx *c, mod_functype *t, uint32_t have, uint32_t *n,
                         uint32_t *slots, const uint8_t **at)
{
	mod_vt *q;

	if (!dec_len(&c->r, n))
		return false;
	*at = c->r.p;
	if (!(q = realloc(t->vts, ((size_t)have + *n + 1) * sizeof(*q))))
		return dec_fail(&c->r, "out of memory");
	t->vts = q;
	*slots = 0;
	for (uint32_t i = 0; i < *n; i++) {
		if (!dec_valtype(&c->r, &q[have + i], NULL))
			return false;
		*slots += mod_slots(mod_kind(q[have + i]));
	}
	return true;
}

/* A function type's parameter and result types (after its 0x60). t->types
 * holds their kinds, t->vts the types themselves. */
static bool dec_functype(dec_ctx *c, mod_functype *t)
{
	const uint8_t *params, *results;

	if (!dec_valtypes(c, t, 0, &t->nparams, &t->param_slots, &params))
		return false;
	if (t->nparams > MOD_MAX_FUNC_PARAMS)
		return dec_fail_p(&c->r, params, "too many parameters");
	if (!dec_valtypes(c, t, t->nparams, &t->nresults, &t->result_slots, &results))
		return false;
	if (t->nresults > MOD_MAX_FUNC_RESULTS)
		return dec_fail_p(&c->r, results, "too many results");
	if (!(t->types = malloc((size_t)t->nparams + t->nresults + 1)))
		return dec_fail(&c->r, "out of memory");
	for (uint32_t i = 0; i < t->nparams + t->nresults; i++)
		t->types[i] = mod_kind(t->vts[i]);
	return true;
}

/* Field i of a struct or array type: a storage type (a packed i8 or i16,
 * or a value type) and its mutability. */
static bool dec_fieldtype(dec_ctx *c, mod_functype *t, uint32_t i)
{
	uint8_t b;

	if (c->r.p < c->r.end && (*c->r.p == PT_I8 || *c->r.p == PT_I16)) {
		t->vts[i] = *c->r.p++;
		t->types[i] = WR_I32;
	} else if (dec_valtype(&c->r, &t->vts[i], &t->types[i])) {
		/* a value type */
	} else {
		return false;
	}
	if (!dec_u8(&c->r, &b))
		return false;
	if (b > 1)
		return dec_fail_p(&c->r, c->r.p - 1, "malformed mutability");
	t->muts[i] = b;
	return true;
}

/* A struct type's fields (after its 0x5f), or an array's one (0x5e). */
static bool dec_fields(dec_ctx *c, mod_functype *t, bool array)
{
	uint32_t n = 1;

	if (!array && !dec_len(&c->r, &n))
		return false;
	if (n > MOD_MAX_FIELDS)
		return dec_fail(&c->r, "too many fields");
	t->nparams = n;
	if (!(t->vts = calloc((size_t)n + 1, sizeof(*t->vts))) || !(t->types = calloc((size_t)n + 1, 1)) ||
	    !(t->muts = calloc((size_t)n + 1, 1)))
		return dec_fail(&c->r, "out of memory");
	for (uint32_t i = 0; i < n; i++)
		if (!dec_fieldtype(c, t, i))
			return false;
	return true;
}

/* A subtype: `sub` (0x50) or `sub final` (0x4f) with its supertypes (at
 * most one), or a bare composite type (final, no supertype); then the
 * composite type: func (0x60), struct (0x5f) or array (0x5e). */
static bool dec_subtype(dec_ctx *c, mod_functype *t)
{
	uint8_t b;
	uint32_t n = 0;

	t->final = true;
	t->super = TY_NO_SUPER;
	if (c->r.p < c->r.end && (*c->r.p == 0x50 || *c->r.p == 0x4f)) {
		t->final = *c->r.p++ == 0x4f;
		if (!dec_len(&c->r, &n))
			return false;
		if (n > 1)
			return dec_fail(&c->r, "multiple supertypes");
		if (n && !dec_u32(&c->r, &t->super))
			return false;
		if (n && t->super == TY_NO_SUPER)
			return dec_fail(&c->r, "unknown type");
	}
	if (!dec_typebyte(&c->r, &b))
		return false;
	t->form = b;
	if (b == FORM_FUNC)
		return dec_functype(c, t);
	if (b == FORM_STRUCT || b == FORM_ARRAY)
		return dec_fields(c, t, b == FORM_ARRAY);
	return dec_fail_p(&c->r, c->r.p - 1, "malformed function type");
}

/* Give every type index inside the type section its form's code. */
static void dec_type_forms(wr_module *m)
{
	for (uint32_t i = 0; i < m->ntypes; i++) {
		mod_functype *t = &m->types[i];
		uint32_t all = t->form == FORM_FUNC ? t->nparams + t->nresults : t->nparams;
		for (uint32_t k = 0; t->vts && k < all; k++) {
			t->vts[k] = mod_vt_form(m, t->vts[k]);
			if (t->vts[k] != PT_I8 && t->vts[k] != PT_I16)
				t->types[k] = mod_kind(t->vts[k]);
		}
	}
}

/* The same for the types of globals, tables, element segments and locals,
 * once the whole module is read (their kinds follow). */
static void dec_other_forms(wr_module *m)
{
	for (uint32_t i = 0; i < m->nglobals; i++) {
		m->globals[i].vt = mod_vt_form(m, m->globals[i].vt);
		m->globals[i].type = mod_kind(m->globals[i].vt);
	}
	for (uint32_t i = 0; i < m->ntables; i++) {
		m->tables[i].vt = mod_vt_form(m, m->tables[i].vt);
		m->tables[i].elem = mod_kind(m->tables[i].vt);
	}
	for (uint32_t i = 0; i < m->nelems; i++) {
		m->elems[i].vt = mod_vt_form(m, m->elems[i].vt);
		m->elems[i].type = mod_kind(m->elems[i].vt);
	}
	for (uint32_t i = 0; m->codes && i < m->nfuncs - m->nfunc_imports; i++)
		for (uint32_t k = 0; k < m->codes[i].nruns; k++) {
			mod_localrun *r = &m->codes[i].runs[k];
			r->vt = mod_vt_form(m, r->vt);
			r->type = mod_kind(r->vt);
		}
}

/* The type section: a vector of recursion groups, each a subtype (a group
 * of one) or 0x4e and a vector of them. Each type records its group (rec,
 * rec_len). */
static bool dec_type_section(dec_ctx *c)
{
	wr_module *m = c->m;
	uint32_t n, k, first, cap;

	if (!dec_len(&c->r, &n) || !(m->types = dec_calloc(c, n, sizeof(*m->types))))
		return false;
	cap = n;
	for (uint32_t g = 0; g < n; g++) {
		k = 1;
		if (c->r.p < c->r.end && *c->r.p == 0x4e) {
			c->r.p++;
			if (!dec_len(&c->r, &k))
				return false;
		}
		if (k > MOD_MAX_TYPES - m->ntypes)
			return dec_fail(&c->r, "too many types");
		first = m->ntypes;
		if (first + k > cap) {
			uint32_t more = (first + k > 2 * cap ? first + k : 2 * cap) - cap;
			if (!dec_extend(c, (void **)&m->types, cap, more, sizeof(*m->types)))
				return false;
			cap += more;
		}
		m->ntypes = first + k;
		for (uint32_t i = first; i < first + k; i++) {
			m->types[i].rec = first;
			m->types[i].rec_len = k;
			if (!dec_subtype(c, &m->types[i]))
				return false;
		}
	}
	dec_type_forms(m);
	return true;
}

/* Limits (Wasm 3.0): a flags byte, bit 0 a maximum present, bit 2 64-bit
 * addresses (memory64, table64), then min and max as u64 whatever the
 * address type: the validator checks their range. Other flags are
 * malformed, except that a memory's bit 1 (shared, from the threads
 * proposal, which wrun does not implement) is named as unsupported. */
static bool dec_limits(dec_ctx *c, wr_limits *l, bool memory)
{
	const uint8_t *at = c->r.p;
	uint8_t flags;
	uint64_t max = 0;

	if (!dec_u8(&c->r, &flags))
		return false;
	if (memory && (flags & ~7u) == 0 && (flags & 2))
		return dec_fail_p(&c->r, at, "shared memory (threads proposal) not supported");
	if (flags & ~5u)
		return dec_fail_p(&c->r, at, "malformed limits flags");
	if (!dec_u64(&c->r, &l->min) || ((flags & 1) && !dec_u64(&c->r, &max)))
		return false;
	l->max = max;
	l->has_max = flags & 1;
	l->addr64 = (flags & 4) != 0;
	return true;
}

static bool dec_tabletype(dec_ctx *c, mod_table *t)
{
	return dec_reftype(&c->r, &t->vt, &t->elem) && dec_limits(c, &t->limits, false);
}

/* A tag type: an attribute byte (0, exception) and a type index. */
static bool dec_tagtype(dec_ctx *c, mod_tag *t)
{
	uint8_t attr;
	if (!dec_u8(&c->r, &attr))
		return false;
	if (attr != 0)
		return dec_fail_p(&c->r, c->r.p - 1, "malformed tag attribute");
	return dec_u32(&c->r, &t->type);
}

static bool dec_globaltype(dec_ctx *c, mod_global *g)
{
	uint8_t mut;
	if (!dec_valtype(&c->r, &g->vt, &g->type) || !dec_u8(&c->r, &mut))
		return false;
	if (mut > 1)
		return dec_fail_p(&c->r, c->r.p - 1, "malformed mutability");
	g->mut = mut;
	return true;
}

/* The description of one import, entered in its kind's index space. The
 * arrays were sized for every import being of that kind. */
static bool dec_import_desc(dec_ctx *c, mod_import *im)
{
	wr_module *m = c->m;

	switch (im->kind) {
	case WR_EXTERN_FUNC:
		im->index = m->nfunc_imports;
		m->nfuncs = ++m->nfunc_imports;
		return dec_u32(&c->r, &m->func_types[im->index]);
	case WR_EXTERN_TABLE:
		im->index = m->ntable_imports;
		m->ntables = ++m->ntable_imports;
		m->tables[im->index].imported = true;
		return dec_tabletype(c, &m->tables[im->index]);
	case WR_EXTERN_MEMORY:
		im->index = m->nmem_imports;
		m->nmems = ++m->nmem_imports;
		m->mems[im->index].imported = true;
		return dec_limits(c, &m->mems[im->index].limits, true);
	case WR_EXTERN_GLOBAL:
		im->index = m->nglobal_imports;
		m->nglobals = ++m->nglobal_imports;
		m->globals[im->index].imported = true;
		return dec_globaltype(c, &m->globals[im->index]);
	case WR_EXTERN_TAG:
		im->index = m->ntag_imports;
		m->ntags = ++m->ntag_imports;
		m->tags[im->index].imported = true;
		return dec_tagtype(c, &m->tags[im->index]);
	default:
		return dec_fail_p(&c->r, c->r.p - 1, "malformed import kind");
	}
}

static bool dec_import_section(dec_ctx *c)
{
	wr_module *m = c->m;
	mod_import *im;
	uint32_t n;

	if (!dec_len(&c->r, &n))
		return false;
	if (!(m->imports = dec_calloc(c, n, sizeof(*m->imports))) ||
	    !(m->func_types = dec_calloc(c, n, sizeof(*m->func_types))) ||
	    !(m->tables = dec_calloc(c, n, sizeof(*m->tables))) ||
	    !(m->mems = dec_calloc(c, n, sizeof(*m->mems))) ||
	    !(m->globals = dec_calloc(c, n, sizeof(*m->globals))) ||
	    !(m->tags = dec_calloc(c, n, sizeof(*m->tags))))
		return false;
	m->nimports = n;
	for (uint32_t i = 0; i < n; i++) {
		im = &m->imports[i];
		if (!dec_name(c, &im->module, &im->module_len) ||
		    !dec_name(c, &im->name, &im->name_len) || !dec_u8(&c->r, &im->kind) ||
		    !dec_import_desc(c, im))
			return false;
	}
	return true;
}

static bool dec_function_section(dec_ctx *c)
{
	wr_module *m = c->m;
	uint32_t n;

	if (!dec_len(&c->r, &n) ||
	    !dec_extend(c, (void **)&m->func_types, m->nfunc_imports, n, sizeof(*m->func_types)))
		return false;
	m->nfuncs = m->nfunc_imports + n;
	for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++)
		if (!dec_u32(&c->r, &m->func_types[i]))
			return false;
	return true;
}

/* A defined table: its type, or (Wasm 3.0) 0x40 0x00, its type and an
 * initialiser expression. */
static bool dec_table_def(dec_ctx *c, mod_table *t)
{
	uint8_t b;

	if (c->r.p < c->r.end && *c->r.p == 0x40) {
		c->r.p++;
		if (!dec_u8(&c->r, &b))
			return false;
		if (b != 0)
			return dec_fail_p(&c->r, c->r.p - 1, "zero byte expected");
		t->has_init = true;
		return dec_tabletype(c, t) && dec_expr(c, &t->init);
	}
	return dec_tabletype(c, t);
}

static bool dec_table_section(dec_ctx *c)
{
	wr_module *m = c->m;
	uint32_t n;

	if (!dec_len(&c->r, &n) ||
	    !dec_extend(c, (void **)&m->tables, m->ntable_imports, n, sizeof(*m->tables)))
		return false;
	m->ntables = m->ntable_imports + n;
	for (uint32_t i = m->ntable_imports; i < m->ntables; i++)
		if (!dec_table_def(c, &m->tables[i]))
			return false;
	return true;
}

static bool dec_memory_section(dec_ctx *c)
{
	wr_module *m = c->m;
	uint32_t n;

	if (!dec_len(&c->r, &n) ||
	    !dec_extend(c, (void **)&m->mems, m->nmem_imports, n, sizeof(*m->mems)))
		return false;
	m->nmems = m->nmem_imports + n;
	for (uint32_t i = m->nmem_imports; i < m->nmems; i++)
		if (!dec_limits(c, &m->mems[i].limits, true))
			return false;
	return true;
}

static bool dec_tag_section(dec_ctx *c)
{
	wr_module *m = c->m;
	uint32_t n;

	if (!dec_len(&c->r, &n) ||
	    !dec_extend(c, (void **)&m->tags, m->ntag_imports, n, sizeof(*m->tags)))
		return false;
	m->ntags = m->ntag_imports + n;
	for (uint32_t i = m->ntag_imports; i < m->ntags; i++)
		if (!dec_tagtype(c, &m->tags[i]))
			return false;
	return true;
}

static bool dec_global_section(dec_ctx *c)
{
	wr_module *m = c->m;
	uint32_t n;

	if (!dec_len(&c->r, &n) ||
	    !dec_extend(c, (void **)&m->globals, m->nglobal_imports, n, sizeof(*m->globals)))
		return false;
	m->nglobals = m->nglobal_imports + n;
	for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++)
		if (!dec_globaltype(c, &m->globals[i]) || !dec_expr(c, &m->globals[i].init))
			return false;
	return true;
}

static bool dec_export_section(dec_ctx *c)
{
	wr_module *m = c->m;
	mod_export *e;
	uint32_t n;

	if (!dec_len(&c->r, &n) || !(m->exports = dec_calloc(c, n, sizeof(*m->exports))))
		return false;
	m->nexports = n;
	for (uint32_t i = 0; i < n; i++) {
		e = &m->exports[i];
		if (!dec_name(c, &e->name, &e->name_len) || !dec_u8(&c->r, &e->kind))
			return false;
		if (e->kind > WR_EXTERN_TAG)
			return dec_fail_p(&c->r, c->r.p - 1, "malformed export kind");
		if (!dec_u32(&c->r, &e->index))
			return false;
	}
	return true;
}

static bool dec_start_section(dec_ctx *c)
{
	c->m->has_start = true;
	return dec_u32(&c->r, &c->m->start);
}

/* ---- element and data segments ---- */

/* Elements given as function indices (encodings 0-3). */
static bool dec_elem_funcs(dec_ctx *c, mod_elem *e)
{
	if (!dec_len(&c->r, &e->count) || !(e->funcs = dec_calloc(c, e->count, sizeof(*e->funcs))))
		return false;
	for (uint32_t i = 0; i < e->count; i++)
		if (!dec_u32(&c->r, &e->funcs[i]))
			return false;
	return true;
}

/* Elements given as constant expressions (encodings 4-7). */
static bool dec_elem_exprs(dec_ctx *c, mod_elem *e)
{
	if (!dec_len(&c->r, &e->count) || !(e->exprs = dec_calloc(c, e->count, sizeof(*e->exprs))))
		return false;
	for (uint32_t i = 0; i < e->count; i++)
		if (!dec_expr(c, &e->exprs[i]))
			return false;
	return true;
}

/* An element segment. The flags' bits: 1 passive or declarative, 2 an
 * explicit table (active) or declarative, 4 expressions instead of indices. */
static bool dec_elem(dec_ctx *c, mod_elem *e)
{
	uint32_t flags;
	uint8_t kind;

	e->pos = dec_offset(&c->r);
	if (!dec_u32(&c->r, &flags))
		return false;
	if (flags > 7)
		return dec_fail_p(&c->r, c->r.base + e->pos, "malformed elements segment kind");
	e->mode = !(flags & 1) ? SEG_ACTIVE : (flags & 2) ? SEG_DECLARATIVE : SEG_PASSIVE;
	/* function indices make (ref func) elements, expressions without a
	 * type funcref ones (Wasm 3.0) */
	e->type = WR_FUNCREF;
	e->vt = (flags & 4) ? WR_FUNCREF : vt_ref(HT_FUNC, 0, false);
	if ((flags & 3) == 2 && !dec_u32(&c->r, &e->table))
		return false;
	if (!(flags & 1) && !dec_expr(c, &e->offset))
		return false;
	if ((flags & 3) && (flags & 4) && !dec_reftype(&c->r, &e->vt, &e->type))
		return false;
	if ((flags & 3) && !(flags & 4)) {
		if (!dec_u8(&c->r, &kind))
			return false;
		if (kind != 0)
			return dec_fail_p(&c->r, c->r.p - 1, "malformed element kind");
	}
	return (flags & 4) ? dec_elem_exprs(c, e) : dec_elem_funcs(c, e);
}

static bool dec_elem_section(dec_ctx *c)
{
	wr_module *m = c->m;
	uint32_t n;

	if (!dec_len(&c->r, &n) || !(m->elems = dec_calloc(c, n, sizeof(*m->elems))))
		return false;
	m->nelems = n;
	for (uint32_t i = 0; i < n; i++)
		if (!dec_elem(c, &m->elems[i]))
			return false;
	return true;
}

static bool dec_datacount_section(dec_ctx *c)
{
	c->m->has_datacount = true;
	return dec_u32(&c->r, &c->m->datacount);
}

/* A data segment: flags 0 active in memory 0, 1 passive, 2 active in an
 * explicit memory. */
static bool dec_data(dec_ctx *c, mod_data *d)
{
	const uint8_t *p;
	uint32_t flags, len;

	d->pos = dec_offset(&c->r);
	if (!dec_u32(&c->r, &flags))
		return false;
	if (flags > 2)
		return dec_fail_p(&c->r, c->r.base + d->pos, "malformed data segment kind");
	d->mode = flags == 1 ? SEG_PASSIVE : SEG_ACTIVE;
	if (flags == 2 && !dec_u32(&c->r, &d->memory))
		return false;
	if (flags != 1 && !dec_expr(c, &d->offset))
		return false;
	if (!dec_len(&c->r, &len))
		return false;
	d->off = dec_offset(&c->r);
	d->len = len;
	return dec_bytes(&c->r, len, &p);
}

static bool dec_data_section(dec_ctx *c)
{
	wr_module *m = c->m;
	uint32_t n;

	if (!dec_len(&c->r, &n) || !(m->datas = dec_calloc(c, n, sizeof(*m->datas))))
		return false;
	m->ndatas = n;
	for (uint32_t i = 0; i < n; i++)
		if (!dec_data(c, &m->datas[i]))
			return false;
	return true;
}

/* ---- code ---- */

/* Parameters of defined function i, when its type index is valid (the
 * validator reports it otherwise). */
static uint32_t dec_nparams(const wr_module *m, uint32_t i)
{
	uint32_t t;
	if (i >= m->nfuncs - m->nfunc_imports)
		return 0;
	t = m->func_types[m->nfunc_imports + i];
	return t < m->ntypes ? m->types[t].nparams : 0;
}

/* Local declarations: runs of (count, type), at most MOD_MAX_LOCALS locals
 * counting the parameters. */
static bool dec_locals(dec_ctx *c, uint32_t i, mod_code *code)
{
	const uint8_t *at = c->r.p;
	uint64_t params = dec_nparams(c->m, i), total = params;
	uint32_t n;

	if (!dec_len(&c->r, &n) || !(code->runs = dec_calloc(c, n, sizeof(*code->runs))))
		return false;
	code->nruns = n;
	for (uint32_t k = 0; k < n; k++) {
		if (!dec_u32(&c->r, &code->runs[k].count) || !dec_valtype(&c->r, &code->runs[k].vt, &code->runs[k].type))
			return false;
		total += code->runs[k].count;
	}
	if (total > MOD_MAX_LOCALS)
		return dec_fail_p(&c->r, at, "too many locals");
	code->nlocals = (uint32_t)(total - params);
	return true;
}

/* One entry of the code section: size, locals, body. The body is read past
 * its declared size if it runs on; the size check then reports it. */
static bool dec_code(dec_ctx *c, uint32_t i, mod_code *code)
{
	uint32_t size;
	size_t start;

	code->pos = dec_offset(&c->r);
	if (!dec_len(&c->r, &size))
		return false;
	start = dec_offset(&c->r);
	if (!dec_locals(c, i, code))
		return false;
	code->body_off = dec_offset(&c->r);
	if (!dec_scan(c, true))
		return false;
	code->body_len = dec_offset(&c->r) - code->body_off;
	code->try_depth = c->try_depth;
	if (dec_offset(&c->r) != start + size)
		return dec_fail_p(&c->r, c->r.base + start, "section size mismatch");
	return true;
}

/* Entries past the function section's count are still decoded (the count
 * mismatch is reported after the last section, as the spec orders it). */
static bool dec_code_section(dec_ctx *c)
{
	wr_module *m = c->m;
	uint32_t ndef = m->nfuncs - m->nfunc_imports;
	mod_code spare, *code;
	bool ok;

	if (!dec_len(&c->r, &c->ncodes))
		return false;
	if (ndef && !(m->codes = dec_calloc(c, ndef, sizeof(*m->codes))))
		return false;
	for (uint32_t i = 0; i < c->ncodes; i++) {
		memset(&spare, 0, sizeof(spare));
		code = i < ndef ? &m->codes[i] : &spare;
		ok = dec_code(c, i, code);
		if (code == &spare)
			free(spare.runs);
		if (!ok)
			return false;
	}
	return true;
}

/* ---- sections ---- */

/* A custom section: a UTF-8 name, then bytes skipped. The "name" section is
 * remembered and read at the end, when the function count is known. */
static bool dec_custom_section(dec_ctx *c, size_t start, uint32_t size)
{
	const uint8_t *name, *payload;
	uint32_t n;
	size_t used;

	if (!dec_name_ref(&c->r, &name, &n))
		return false;
	used = dec_offset(&c->r) - start;
	if (used > size)
		return dec_eof(&c->r);
	if (!dec_bytes(&c->r, size - used, &payload))
		return false;
	if (n == 4 && !memcmp(name, "name", 4) && !c->has_names) {
		c->has_names = true;
		c->names_off = (size_t)(payload - c->r.base);
		c->names_len = size - used;
	}
	return true;
}

typedef bool (*dec_section_fn)(dec_ctx *c);

/* Known sections by id: their place in the required order, and the reader.
 * The tag section (13) comes between memories and globals. */
static const struct {
	uint8_t order;
	dec_section_fn fn;
} dec_sections[14] = {
	[1] = { 1, dec_type_section },     [2] = { 2, dec_import_section },
	[3] = { 3, dec_function_section }, [4] = { 4, dec_table_section },
	[5] = { 5, dec_memory_section },   [13] = { 6, dec_tag_section },
	[6] = { 7, dec_global_section },
	[7] = { 8, dec_export_section },   [8] = { 9, dec_start_section },
	[9] = { 10, dec_elem_section },    [12] = { 11, dec_datacount_section },
	[10] = { 12, dec_code_section },   [11] = { 13, dec_data_section },
};

/* One section: id, size, contents, and the check that the contents filled
 * exactly the declared size. */
static bool dec_section(dec_ctx *c, uint8_t *last)
{
	const uint8_t *at = c->r.p;
	uint8_t id;
	uint32_t size;
	size_t start;

	if (!dec_u8(&c->r, &id))
		return false;
	if (id >= sizeof(dec_sections) / sizeof(dec_sections[0]))
		return dec_fail_p(&c->r, at, "malformed section id");
	if (id != 0 && dec_sections[id].order <= *last)
		return dec_fail_p(&c->r, at, "unexpected content after last section");
	if (!dec_len(&c->r, &size))
		return false;
	start = dec_offset(&c->r);
	if (id == 0)
		return dec_custom_section(c, start, size);
	*last = dec_sections[id].order;
	if (!dec_sections[id].fn(c))
		return false;
	if (dec_offset(&c->r) != start + size)
		return dec_fail_p(&c->r, c->r.base + start, "section size mismatch");
	return true;
}

static bool dec_header(dec_ctx *c)
{
	static const uint8_t magic[4] = { 0x00, 'a', 's', 'm' }, version[4] = { 1, 0, 0, 0 };
	const uint8_t *p;

	if (!dec_bytes(&c->r, 4, &p))
		return false;
	if (memcmp(p, magic, 4))
		return dec_fail_p(&c->r, p, "magic header not detected");
	if (!dec_bytes(&c->r, 4, &p))
		return false;
	if (memcmp(p, version, 4))
		return dec_fail_p(&c->r, p, "unknown binary version");
	return true;
}

/* Checks that span sections, in the order the spec's decoder makes them.
 * Without data segments a data index is simply unknown, and the validator
 * says so; the data count section is required only when there are some. */
static bool dec_finish(dec_ctx *c)
{
	const wr_module *m = c->m;
	wr_diag *d = c->r.diag;

	if (c->ncodes != m->nfuncs - m->nfunc_imports)
		return dec_fail_at(d, m->len, "function and code section have inconsistent lengths");
	if (m->has_datacount && m->datacount != m->ndatas)
		return dec_fail_at(d, m->len, "data count and data section have inconsistent lengths");
	if (!m->has_datacount && m->ndatas && c->data_use)
		return dec_fail_at(d, c->data_use - 1, "data count section required");
	return true;
}

/* ---- the "name" custom section (optional, never an error) ---- */

/* A copy of a debug name safe to print: control bytes become '?'. */
static char *dec_name_copy(const uint8_t *p, uint32_t n)
{
	char *s = malloc((size_t)n + 1);
	if (!s)
		return NULL;
	for (uint32_t i = 0; i < n; i++)
		s[i] = (char)(p[i] < 0x20 || p[i] == 0x7f ? '?' : p[i]);
	s[n] = 0;
	return s;
}

/* The function-names subsection: vec((funcidx, name)). */
static bool dec_func_names(dec_reader *r, char **names, uint32_t nfuncs)
{
	const uint8_t *p;
	uint32_t n, idx, len;

	if (!dec_len(r, &n))
		return false;
	for (uint32_t i = 0; i < n; i++) {
		if (!dec_u32(r, &idx) || !dec_name_ref(r, &p, &len))
			return false;
		if (idx >= nfuncs || names[idx])
			return false;
		if (!(names[idx] = dec_name_copy(p, len)))
			return false;
	}
	return r->p == r->end;
}

static void dec_free_names(char **names, uint32_t n)
{
	for (uint32_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

/* Read function names into m->func_names; anything malformed drops them. */
static void dec_names(dec_ctx *c)
{
	wr_module *m = c->m;
	dec_reader r, sub;
	char **names;
	uint8_t id;
	uint32_t size;

	if (!c->has_names || !(names = calloc(m->nfuncs ? m->nfuncs : 1, sizeof(*names))))
		return;
	dec_reader_init(&r, m->bytes, c->names_off, c->names_len, NULL);
	while (r.p < r.end) {
		if (!dec_u8(&r, &id) || !dec_len(&r, &size) || size > (size_t)(r.end - r.p))
			goto bad;
		sub = r;
		sub.end = r.p + size;
		r.p += size;
		if (id == 1 && !dec_func_names(&sub, names, m->nfuncs))
			goto bad;
	}
	m->func_names = names;
	return;
bad:
	dec_free_names(names, m->nfuncs);
}

bool dec_module(wr_module *m, wr_diag *diag)
{
	dec_ctx c = { .m = m };
	uint8_t last = 0;
	bool ok;

	if (diag) {
		diag->message[0] = 0;
		diag->offset = 0;
	}
	dec_reader_init(&c.r, m->bytes, 0, m->len, diag);
	ok = dec_header(&c);
	while (ok && c.r.p < c.r.end)
		ok = dec_section(&c, &last);
	ok = ok && dec_finish(&c);
	if (ok)
		dec_other_forms(m);
	free(c.ctl);
	if (ok)
		dec_names(&c);
	return ok;
}

/* Free everything the decoder and the validator allocated. The bytes and the
 * compiled code belong to the caller. Safe to call twice. */
void mod_free(wr_module *m)
{
	for (uint32_t i = 0; m->types && i < m->ntypes; i++) {
		free(m->types[i].types);
		free(m->types[i].vts);
		free(m->types[i].muts);
	}
	for (uint32_t i = 0; m->imports && i < m->nimports; i++) {
		free(m->imports[i].module);
		free(m->imports[i].name);
	}
	for (uint32_t i = 0; m->exports && i < m->nexports; i++)
		free(m->exports[i].name);
	for (uint32_t i = 0; m->elems && i < m->nelems; i++) {
		free(m->elems[i].funcs);
		free(m->elems[i].exprs);
	}
	for (uint32_t i = 0; m->codes && i < m->nfuncs - m->nfunc_imports; i++)
		free(m->codes[i].runs);
	dec_free_names(m->func_names, m->nfuncs);
	free(m->types);
	free(m->imports);
	free(m->exports);
	free(m->elems);
	free(m->codes);
	free(m->func_types);
	free(m->tables);
	free(m->mems);
	free(m->globals);
	free(m->tags);
	free(m->datas);
	free(m->func_declared);
	free(m->type_canon);
	m->type_canon = NULL;
	m->types = NULL, m->imports = NULL, m->exports = NULL, m->elems = NULL;
	m->codes = NULL, m->func_types = NULL, m->tables = NULL, m->mems = NULL;
	m->globals = NULL, m->datas = NULL, m->func_declared = NULL, m->func_names = NULL;
	m->tags = NULL, m->ntags = m->ntag_imports = 0;
	m->ntypes = m->nimports = m->nexports = m->nelems = m->ndatas = 0;
	m->nfuncs = m->nfunc_imports = m->ntables = m->ntable_imports = 0;
	m->nmems = m->nmem_imports = m->nglobals = m->nglobal_imports = 0;
}
