/*
 * interp.c: the interpreter for threaded code (see vm.h), its call stack,
 * and traps.
 *
 * One function, vm_run, executes threaded code. Dispatch is a computed goto
 * through the handler address in each instruction's first cell; built with
 * -DWR_SWITCH_DISPATCH the same handlers become the cases of a switch on an
 * opcode number. The hot state (instruction pointer, frame pointer, base of
 * linear memory, current instance) lives in local variables.
 *
 * Calls between wasm functions never recurse in C: a call pushes a record
 * (return address, caller's frame and instance, the callee) on the store's
 * frame stack and continues in the same loop. Frames live on the store's
 * value stack and overlap: a callee's frame starts where the caller keeps
 * the arguments, and its results come back in the same slots. Depth and
 * value-stack space are checked on every call.
 *
 * Traps leave through siglongjmp to the innermost vm_call, which restores
 * the stacks to their state at entry so the store can be used again. Loads
 * and stores carry no bounds check: linear memory is a large reservation
 * whose inaccessible part faults, and the SIGSEGV/SIGBUS handler turns a
 * fault inside a guest memory into the trap "out of bounds memory access".
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "runtime.h"
#include "vm.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* One activation: what returning needs, and the function it runs. */
struct vm_frame {
	const vm_cell *ret_ip;  /* vm_exit for the first frame of a vm_call */
	vm_slot *ret_fp;
	wr_instance *ret_inst;
	wr_func *func;
};

/* A store's stacks, shared by nested vm_calls (a host function calling
 * back into wasm continues above its caller's frames). */
struct vm_stack {
	vm_slot *slots, *slot_end;
	vm_slot *slot_top;         /* first slot free for a nested call */
	struct vm_frame *frames;
	size_t depth;              /* frames in use below a nested call */
};

/* One vm_call in progress: where traps land and what they report. */
struct vm_ctx {
	sigjmp_buf jb;
	wr_store *s;
	struct vm_stack *st;
	wr_trap *trap;
	struct vm_frame *fr;       /* innermost frame, kept current on call and return */
	struct vm_frame *fr_base;  /* this call's first frame */
	struct vm_frame *fr_end;   /* last frame the depth limit allows */
	struct vm_ctx *prev;       /* the vm_call this one is nested in */
	wr_trapkind kind;
	const char *msg;           /* message, when not the kind's usual one */
	wr_func *where;            /* host function that trapped, if any */
};

/* The innermost vm_call of this thread while it runs guest code; NULL
 * while a host function runs, so a fault there is not mistaken for the
 * guest's. */
static __thread struct vm_ctx *vm_cur;
/* vm_calls in progress on this thread, nested through host functions. */
static __thread unsigned vm_nest;

/* Leave the interpreter with a trap. */
__attribute__((noreturn, noinline, cold))
static void vm_trap(struct vm_ctx *cx, wr_trapkind kind, const char *msg)
{
	cx->kind = kind;
	cx->msg = msg;
	siglongjmp(cx->jb, 1);
}

#include "interp_num.h"
#include "interp_simd.h"

/* Charge fuel; trap when the budget is spent. */
__attribute__((noinline, cold))
static void vm_fuel(struct vm_ctx *cx, uint64_t cost)
{
	wr_store *s = cx->s;
	if (s->fuel < cost) {
		s->fuel = 0;
		vm_trap(cx, WR_TRAP_FUEL, NULL);
	}
	s->fuel -= cost;
}

/* Base of an instance's linear memory (NULL if it has none). */
static inline uint8_t *vm_membase(const wr_instance *inst)
{
	return inst->mems[0] ? inst->mems[0]->base : NULL;
}

/* Zero the declared locals of a new frame that the function may read
 * before writing, and its zero slot (see vm.h): usually the zero slot
 * alone, so this stays a plain loop; the empty asm keeps the compiler from
 * calling memset. */
static inline void vm_zero_locals(vm_slot *fp, const struct vm_code *cd)
{
	uint32_t z = cd->local_slots - 1;
	fp[z].u64 = 0;
	for (uint32_t i = cd->zero_from; i < z; i++) {
		fp[i].u64 = 0;
		__asm__("" : "+r"(i));
	}
}

/* ---- slow paths, out of line ---- */

/* Operand accessors for the helpers below: halves of cell k. */
#define LO(k) ip[k].u32[0]
#define HI(k) ip[k].u32[1]

/* Call a host function with its arguments at nfp; results come back there.
 * Nested vm_calls it makes start above nfp's slots and fr. */
__attribute__((noinline))
static void vm_host_call(struct vm_ctx *cx, wr_func *f, vm_slot *nfp, wr_instance *inst,
                         struct vm_frame *fr)
{
	struct vm_stack *st = cx->st;
	uint32_t need = f->type->param_slots > f->type->result_slots ? f->type->param_slots
	                                                             : f->type->result_slots;
	if ((size_t)(st->slot_end - nfp) < need)
		vm_trap(cx, WR_TRAP_STACK_EXHAUSTED, NULL);
	vm_slot *top = st->slot_top;
	size_t depth = st->depth;
	st->slot_top = nfp + need;
	st->depth = (size_t)(fr - st->frames) + 1;
	wr_hostcall hc = { inst, cx->trap };
	cx->trap->message[0] = 0;
	vm_cur = NULL;
	wr_trapkind k = f->host(&hc, &nfp->u64, f->user);
	vm_cur = cx;
	st->slot_top = top;
	st->depth = depth;
	if (k != WR_OK) {
		cx->where = f;
		vm_trap(cx, k, NULL);
	}
}

/* call_indirect: find the callee and check its type. */
static inline wr_func *vm_indirect(struct vm_ctx *cx, const wr_instance *inst, const vm_cell *ip,
                                   const vm_slot *fp)
{
	const wr_table *t = inst->tables[HI(1)];
	uint32_t i = fp[HI(2)].u32;
	if (unlikely(i >= t->size))
		vm_trap(cx, WR_TRAP_TABLE_OOB, "undefined element");
	wr_func *f = (wr_func *)(uintptr_t)t->elems[i];
	if (unlikely(!f))
		vm_trap(cx, WR_TRAP_INDIRECT_NULL, NULL);
	const mod_functype *want = &inst->mod->types[LO(1)];
	if (unlikely(f->type != want && !inst_functype_equal(f->type, want)))
		vm_trap(cx, WR_TRAP_INDIRECT_TYPE, NULL);
	return f;
}

/* True if [off, off + n) does not fit in size bytes or elements. */
static inline bool vm_out(uint64_t off, uint64_t n, uint64_t size)
{
	return off > size || n > size - off;
}

/* memory.fill [d|val][n]: bounds checked before any byte is written. */
__attribute__((noinline))
static void vm_memory_fill(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	wr_memory *m = inst->mems[0];
	uint32_t d = fp[LO(1)].u32, n = fp[LO(2)].u32;
	if (vm_out(d, n, m->size))
		vm_trap(cx, WR_TRAP_MEMORY_OOB, NULL);
	memset(m->base + d, (int)(fp[HI(1)].u32 & 0xff), n);
}

/* memory.copy [d|s][n]: overlapping ranges copy as if through a buffer. */
__attribute__((noinline))
static void vm_memory_copy(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	wr_memory *m = inst->mems[0];
	uint32_t d = fp[LO(1)].u32, s = fp[HI(1)].u32, n = fp[LO(2)].u32;
	if (vm_out(d, n, m->size) || vm_out(s, n, m->size))
		vm_trap(cx, WR_TRAP_MEMORY_OOB, NULL);
	memmove(m->base + d, m->base + s, n);
}

/* memory.init [d|s][n|segment]: a dropped segment has length 0. */
__attribute__((noinline))
static void vm_memory_init(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	wr_memory *m = inst->mems[0];
	uint32_t d = fp[LO(1)].u32, s = fp[HI(1)].u32, n = fp[LO(2)].u32, seg = HI(2);
	if (vm_out(d, n, m->size) || vm_out(s, n, inst->data_len[seg]))
		vm_trap(cx, WR_TRAP_MEMORY_OOB, NULL);
	memcpy(m->base + d, inst->mod->bytes + inst->mod->datas[seg].off + s, n);
}

/* memory.grow [d|delta]: -1 on failure. The base does not move. */
__attribute__((noinline))
static void vm_memory_grow(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	int64_t r = mem_grow(inst->mems[0], fp[HI(1)].u32);
	fp[LO(1)].u64 = (uint32_t)r;
}

/* table.get [d|i][table] */
__attribute__((noinline))
static void vm_table_get(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	const wr_table *t = inst->tables[LO(2)];
	uint32_t i = fp[HI(1)].u32;
	if (i >= t->size)
		vm_trap(cx, WR_TRAP_TABLE_OOB, NULL);
	fp[LO(1)].u64 = t->elems[i];
}

/* table.set [i|v][table] */
__attribute__((noinline))
static void vm_table_set(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	wr_table *t = inst->tables[LO(2)];
	uint32_t i = fp[LO(1)].u32;
	if (i >= t->size)
		vm_trap(cx, WR_TRAP_TABLE_OOB, NULL);
	t->elems[i] = fp[HI(1)].u64;
}

/* table.grow [d|init][n|table]: -1 on failure. */
__attribute__((noinline))
static void vm_table_grow(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	int64_t r = tab_grow(inst->tables[HI(2)], fp[LO(2)].u32, fp[HI(1)].u64);
	fp[LO(1)].u64 = (uint32_t)r;
}

/* table.fill [i|v][n|table] */
__attribute__((noinline))
static void vm_table_fill(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	wr_table *t = inst->tables[HI(2)];
	uint32_t i = fp[LO(1)].u32, n = fp[LO(2)].u32;
	uint64_t v = fp[HI(1)].u64;
	if (vm_out(i, n, t->size))
		vm_trap(cx, WR_TRAP_TABLE_OOB, NULL);
	for (uint32_t k = 0; k < n; k++)
		t->elems[i + k] = v;
}

/* table.copy [d|s][n|dst table][src table] */
__attribute__((noinline))
static void vm_table_copy(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	wr_table *dt = inst->tables[HI(2)];
	const wr_table *tsrc = inst->tables[LO(3)];
	uint32_t d = fp[LO(1)].u32, s = fp[HI(1)].u32, n = fp[LO(2)].u32;
	if (vm_out(d, n, dt->size) || vm_out(s, n, tsrc->size))
		vm_trap(cx, WR_TRAP_TABLE_OOB, NULL);
	memmove(dt->elems + d, tsrc->elems + s, (size_t)n * sizeof(uint64_t));
}

/* table.init [d|s][n|table][segment] */
__attribute__((noinline))
static void vm_table_init(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	wr_table *t = inst->tables[HI(2)];
	uint32_t d = fp[LO(1)].u32, s = fp[HI(1)].u32, n = fp[LO(2)].u32, seg = LO(3);
	if (vm_out(d, n, t->size) || vm_out(s, n, inst->elem_len[seg]))
		vm_trap(cx, WR_TRAP_TABLE_OOB, NULL);
	memcpy(t->elems + d, inst->elem_refs[seg] + s, (size_t)n * sizeof(uint64_t));
}

#undef LO
#undef HI

/* ---- the operation tables behind the handlers ---- */

/* Writers: every slot write stores 64 bits (see vm_slot). */
#define W32(d, v) (fp[d].u64 = (uint32_t)(v))
#define W64(d, v) (fp[d].u64 = (uint64_t)(v))
#define WF32(d, v) (fp[d].u64 = vm_f32_bits(v))
#define WF64(d, v) (fp[d].f64 = (v))

/* Integer binary operators, with register and immediate forms:
 * X(NAME, slot field, writer, expression of a and b). The names must match
 * VM_INT_BINOPS in vm.h. */
#define VM_INT_BINOP_IMPL(X) \
	X(I32_ADD, u32, W32, a + b) \
	X(I32_SUB, u32, W32, a - b) \
	X(I32_MUL, u32, W32, a * b) \
	X(I32_DIV_S, u32, W32, vm_i32_div_s(cx, a, b)) \
	X(I32_DIV_U, u32, W32, vm_i32_div_u(cx, a, b)) \
	X(I32_REM_S, u32, W32, vm_i32_rem_s(cx, a, b)) \
	X(I32_REM_U, u32, W32, vm_i32_rem_u(cx, a, b)) \
	X(I32_AND, u32, W32, a & b) \
	X(I32_OR, u32, W32, a | b) \
	X(I32_XOR, u32, W32, a ^ b) \
	X(I32_SHL, u32, W32, a << (b & 31)) \
	X(I32_SHR_S, u32, W32, (uint32_t)((int32_t)a >> (b & 31))) \
	X(I32_SHR_U, u32, W32, a >> (b & 31)) \
	X(I32_ROTL, u32, W32, vm_rotl32(a, b)) \
	X(I32_ROTR, u32, W32, vm_rotr32(a, b)) \
	X(I64_ADD, u64, W64, a + b) \
	X(I64_SUB, u64, W64, a - b) \
	X(I64_MUL, u64, W64, a * b) \
	X(I64_DIV_S, u64, W64, vm_i64_div_s(cx, a, b)) \
	X(I64_DIV_U, u64, W64, vm_i64_div_u(cx, a, b)) \
	X(I64_REM_S, u64, W64, vm_i64_rem_s(cx, a, b)) \
	X(I64_REM_U, u64, W64, vm_i64_rem_u(cx, a, b)) \
	X(I64_AND, u64, W64, a & b) \
	X(I64_OR, u64, W64, a | b) \
	X(I64_XOR, u64, W64, a ^ b) \
	X(I64_SHL, u64, W64, a << (b & 63)) \
	X(I64_SHR_S, u64, W64, (uint64_t)((int64_t)a >> (b & 63))) \
	X(I64_SHR_U, u64, W64, a >> (b & 63)) \
	X(I64_ROTL, u64, W64, vm_rotl64(a, b)) \
	X(I64_ROTR, u64, W64, vm_rotr64(a, b))

/* Integer comparisons: register and immediate forms and the fused
 * compare-and-branch forms. X(NAME, slot field, condition on a and b);
 * names as VM_INT_CMPS in vm.h. */
#define VM_INT_CMP_IMPL(X) VM_I32_CMP_IMPL(X) VM_I64_CMP_IMPL(X)
#define VM_I32_CMP_IMPL(X) \
	X(I32_EQ, u32, a == b) \
	X(I32_NE, u32, a != b) \
	X(I32_LT_S, u32, (int32_t)a < (int32_t)b) \
	X(I32_LT_U, u32, a < b) \
	X(I32_GT_S, u32, (int32_t)a > (int32_t)b) \
	X(I32_GT_U, u32, a > b) \
	X(I32_LE_S, u32, (int32_t)a <= (int32_t)b) \
	X(I32_LE_U, u32, a <= b) \
	X(I32_GE_S, u32, (int32_t)a >= (int32_t)b) \
	X(I32_GE_U, u32, a >= b)
#define VM_I64_CMP_IMPL(X) \
	X(I64_EQ, u64, a == b) \
	X(I64_NE, u64, a != b) \
	X(I64_LT_S, u64, (int64_t)a < (int64_t)b) \
	X(I64_LT_U, u64, a < b) \
	X(I64_GT_S, u64, (int64_t)a > (int64_t)b) \
	X(I64_GT_U, u64, a > b) \
	X(I64_LE_S, u64, (int64_t)a <= (int64_t)b) \
	X(I64_LE_U, u64, a <= b) \
	X(I64_GE_S, u64, (int64_t)a >= (int64_t)b) \
	X(I64_GE_U, u64, a >= b)

/* Other binary operators, register form only. */
#define VM_FLOAT_BINOP_IMPL(X) \
	X(F32_EQ, f32, W32, a == b) \
	X(F32_NE, f32, W32, a != b) \
	X(F32_LT, f32, W32, a < b) \
	X(F32_GT, f32, W32, a > b) \
	X(F32_LE, f32, W32, a <= b) \
	X(F32_GE, f32, W32, a >= b) \
	X(F64_EQ, f64, W32, a == b) \
	X(F64_NE, f64, W32, a != b) \
	X(F64_LT, f64, W32, a < b) \
	X(F64_GT, f64, W32, a > b) \
	X(F64_LE, f64, W32, a <= b) \
	X(F64_GE, f64, W32, a >= b) \
	X(F32_MIN, f32, WF32, vm_f32_min(a, b)) \
	X(F32_MAX, f32, WF32, vm_f32_max(a, b)) \
	X(F32_COPYSIGN, u32, W32, (a & 0x7fffffffu) | (b & 0x80000000u)) \
	X(F64_MIN, f64, WF64, vm_f64_min(a, b)) \
	X(F64_MAX, f64, WF64, vm_f64_max(a, b)) \
	X(F64_COPYSIGN, u64, W64, (a & 0x7fffffffffffffffull) | (b & 0x8000000000000000ull))

/* Float arithmetic, with register and immediate forms; names as
 * VM_FLOAT_BINOPS in vm.h. */
#define VM_FLOAT_ARITH_IMPL(X) \
	X(F32_ADD, f32, WF32, a + b) \
	X(F32_SUB, f32, WF32, a - b) \
	X(F32_MUL, f32, WF32, a * b) \
	X(F32_DIV, f32, WF32, a / b) \
	X(F64_ADD, f64, WF64, a + b) \
	X(F64_SUB, f64, WF64, a - b) \
	X(F64_MUL, f64, WF64, a * b) \
	X(F64_DIV, f64, WF64, a / b)

/* Unary operators and conversions: X(NAME, slot field, writer, expression of a). */
#define VM_UNOP_IMPL(X) \
	X(I32_EQZ, u32, W32, a == 0) \
	X(I64_EQZ, u64, W32, a == 0) \
	X(I32_CLZ, u32, W32, vm_clz32(a)) \
	X(I32_CTZ, u32, W32, vm_ctz32(a)) \
	X(I32_POPCNT, u32, W32, __builtin_popcount(a)) \
	X(I64_CLZ, u64, W64, vm_clz64(a)) \
	X(I64_CTZ, u64, W64, vm_ctz64(a)) \
	X(I64_POPCNT, u64, W64, __builtin_popcountll(a)) \
	X(F32_ABS, u32, W32, a & 0x7fffffffu) \
	X(F32_NEG, u32, W32, a ^ 0x80000000u) \
	X(F32_CEIL, f32, WF32, vm_f32_round(a, ceilf)) \
	X(F32_FLOOR, f32, WF32, vm_f32_round(a, floorf)) \
	X(F32_TRUNC, f32, WF32, vm_f32_round(a, truncf)) \
	X(F32_NEAREST, f32, WF32, vm_f32_round(a, rintf)) \
	X(F32_SQRT, f32, WF32, sqrtf(a)) \
	X(F64_ABS, u64, W64, a & 0x7fffffffffffffffull) \
	X(F64_NEG, u64, W64, a ^ 0x8000000000000000ull) \
	X(F64_CEIL, f64, WF64, vm_f64_round(a, ceil)) \
	X(F64_FLOOR, f64, WF64, vm_f64_round(a, floor)) \
	X(F64_TRUNC, f64, WF64, vm_f64_round(a, trunc)) \
	X(F64_NEAREST, f64, WF64, vm_f64_round(a, rint)) \
	X(F64_SQRT, f64, WF64, sqrt(a)) \
	X(I32_WRAP_I64, u64, W32, a) \
	X(I32_TRUNC_F32_S, f32, W32, vm_trunc_i32_s(cx, a)) \
	X(I32_TRUNC_F32_U, f32, W32, vm_trunc_i32_u(cx, a)) \
	X(I32_TRUNC_F64_S, f64, W32, vm_trunc_i32_s(cx, a)) \
	X(I32_TRUNC_F64_U, f64, W32, vm_trunc_i32_u(cx, a)) \
	X(I64_EXTEND_I32_S, u32, W64, (int64_t)(int32_t)a) \
	X(I64_EXTEND_I32_U, u32, W64, a) \
	X(I64_TRUNC_F32_S, f32, W64, vm_trunc_i64_s(cx, a)) \
	X(I64_TRUNC_F32_U, f32, W64, vm_trunc_i64_u(cx, a)) \
	X(I64_TRUNC_F64_S, f64, W64, vm_trunc_i64_s(cx, a)) \
	X(I64_TRUNC_F64_U, f64, W64, vm_trunc_i64_u(cx, a)) \
	X(F32_CONVERT_I32_S, u32, WF32, (float)(int32_t)a) \
	X(F32_CONVERT_I32_U, u32, WF32, (float)a) \
	X(F32_CONVERT_I64_S, u64, WF32, (float)(int64_t)a) \
	X(F32_CONVERT_I64_U, u64, WF32, (float)a) \
	X(F32_DEMOTE_F64, f64, WF32, (float)a) \
	X(F64_CONVERT_I32_S, u32, WF64, (double)(int32_t)a) \
	X(F64_CONVERT_I32_U, u32, WF64, (double)a) \
	X(F64_CONVERT_I64_S, u64, WF64, (double)(int64_t)a) \
	X(F64_CONVERT_I64_U, u64, WF64, (double)a) \
	X(F64_PROMOTE_F32, f32, WF64, (double)a) \
	X(I32_REINTERPRET_F32, u32, W32, a) \
	X(I64_REINTERPRET_F64, u64, W64, a) \
	X(F32_REINTERPRET_I32, u32, W32, a) \
	X(F64_REINTERPRET_I64, u64, W64, a) \
	X(I32_EXTEND8_S, u32, W32, (int32_t)(int8_t)a) \
	X(I32_EXTEND16_S, u32, W32, (int32_t)(int16_t)a) \
	X(I64_EXTEND8_S, u64, W64, (int64_t)(int8_t)a) \
	X(I64_EXTEND16_S, u64, W64, (int64_t)(int16_t)a) \
	X(I64_EXTEND32_S, u64, W64, (int64_t)(int32_t)a) \
	X(I32_TRUNC_SAT_F32_S, f32, W32, vm_sat_i32_s(a)) \
	X(I32_TRUNC_SAT_F32_U, f32, W32, vm_sat_i32_u(a)) \
	X(I32_TRUNC_SAT_F64_S, f64, W32, vm_sat_i32_s(a)) \
	X(I32_TRUNC_SAT_F64_U, f64, W32, vm_sat_i32_u(a)) \
	X(I64_TRUNC_SAT_F32_S, f32, W64, vm_sat_i64_s(a)) \
	X(I64_TRUNC_SAT_F32_U, f32, W64, vm_sat_i64_u(a)) \
	X(I64_TRUNC_SAT_F64_S, f64, W64, vm_sat_i64_s(a)) \
	X(I64_TRUNC_SAT_F64_U, f64, W64, vm_sat_i64_u(a)) \
	X(REF_IS_NULL, u64, W32, a == 0)

/* f64 arithmetic whose result goes straight to memory: X(NAME, value). */
#define VM_F64_ST_IMPL(X) \
	X(F64_ADD, fp[A].f64 + fp[B].f64) \
	X(F64_SUB, fp[A].f64 - fp[B].f64) \
	X(F64_MUL, fp[A].f64 * fp[B].f64) \
	X(F64_MULADD, fp[C].f64 + vm_f64_keep(fp[A].f64 * fp[B].f64)) \
	X(F64_MULSUB, fp[C].f64 - vm_f64_keep(fp[A].f64 * fp[B].f64)) \
	X(F64_MULRSUB, vm_f64_keep(fp[A].f64 * fp[B].f64) - fp[C].f64)

/* f64 arithmetic on a value just loaded, m, and another operand, o:
 * X(NAME, expression of o and m). */
#define VM_F64_M_IMPL(X) \
	X(F64_ADD_M, o + m) \
	X(F64_SUB_M, o - m) \
	X(F64_RSUB_M, m - o) \
	X(F64_MUL_M, o * m)

/* Loads: X(NAME, memory type, writer). */
#define VM_LOAD_IMPL(X) \
	X(I32_LOAD, uint32_t, W32) \
	X(I64_LOAD, uint64_t, W64) \
	X(F32_LOAD, uint32_t, W32) \
	X(F64_LOAD, uint64_t, W64) \
	X(I32_LOAD8_S, int8_t, W32) \
	X(I32_LOAD8_U, uint8_t, W32) \
	X(I32_LOAD16_S, int16_t, W32) \
	X(I32_LOAD16_U, uint16_t, W32) \
	X(I64_LOAD8_S, int8_t, W64) \
	X(I64_LOAD8_U, uint8_t, W64) \
	X(I64_LOAD16_S, int16_t, W64) \
	X(I64_LOAD16_U, uint16_t, W64) \
	X(I64_LOAD32_S, int32_t, W64) \
	X(I64_LOAD32_U, uint32_t, W64)

/* Stores: X(NAME, memory type, slot field). */
#define VM_STORE_IMPL(X) \
	X(I32_STORE, uint32_t, u32) \
	X(I64_STORE, uint64_t, u64) \
	X(F32_STORE, uint32_t, u32) \
	X(F64_STORE, uint64_t, u64) \
	X(I32_STORE8, uint8_t, u32) \
	X(I32_STORE16, uint16_t, u32) \
	X(I64_STORE8, uint8_t, u64) \
	X(I64_STORE16, uint16_t, u64) \
	X(I64_STORE32, uint32_t, u64)

/* Operations handled out of line: X(NAME, helper, cells). */
#define VM_SLOW_IMPL(X) \
	X(MEMORY_GROW, vm_memory_grow, 2) \
	X(MEMORY_FILL, vm_memory_fill, 3) \
	X(MEMORY_COPY, vm_memory_copy, 3) \
	X(MEMORY_INIT, vm_memory_init, 3) \
	X(TABLE_GET, vm_table_get, 3) \
	X(TABLE_SET, vm_table_set, 3) \
	X(TABLE_GROW, vm_table_grow, 3) \
	X(TABLE_FILL, vm_table_fill, 3) \
	X(TABLE_COPY, vm_table_copy, 4) \
	X(TABLE_INIT, vm_table_init, 4)

/* WebAssembly opcodes the compiler never emits: structure, locals,
 * constants and drop become slot numbering, not code. */
#define VM_NOT_EMITTED(X) \
	X(NOP) X(BLOCK) X(LOOP) X(IF) X(ELSE) X(END) X(BR_IF) X(DROP) X(SELECT_T) \
	X(LOCAL_GET) X(LOCAL_SET) X(LOCAL_TEE) X(I32_CONST) X(I64_CONST) X(F32_CONST) \
	X(F64_CONST) X(REF_NULL)

/* ---- dispatch ---- */

#ifdef WR_SWITCH_DISPATCH
#define HANDLER(name) case VM_##name:
#define DISPATCH() goto dispatch
#define LOOP_BEGIN dispatch: switch (ip->opn) {
#define LOOP_END default: goto bad_op; }
#define LABEL_TABLE static const void *const *const labels = NULL
#else
#define HANDLER(name) L_##name:
#define DISPATCH() goto *ip->op
#define LOOP_BEGIN DISPATCH(); {
#define LOOP_END }
#define LABEL_TABLE static const void *const labels[VM__COUNT] = { VM_LABELS }
#define LBL(name, ...) [VM_##name] = &&L_##name,
#define LBL_RI(name, ...) [VM_##name##_RI] = &&L_##name##_RI,
#define LBL_CMP(name, ...) [VM_##name##_RI] = &&L_##name##_RI, \
	[VM_BR_##name] = &&L_BR_##name, [VM_BR_##name##_RI] = &&L_BR_##name##_RI, \
	[VM_BR_##name##_BK] = &&L_BR_##name##_BK, [VM_BR_##name##_RI_BK] = &&L_BR_##name##_RI_BK,
#define LBL_MEM(name) [VM_##name##_ADD] = &&L_##name##_ADD, [VM_##name##_ADDI] = &&L_##name##_ADDI,
#define LBL_IMM(name) [VM_##name##_I] = &&L_##name##_I, [VM_##name##_IADD] = &&L_##name##_IADD, \
	[VM_##name##_IADDI] = &&L_##name##_IADDI,
#define LBL_ST(name) [VM_##name##_ST] = &&L_##name##_ST,
#define LBL_ADDBR(name) [VM_ADD_BR_##name##_BK] = &&L_ADD_BR_##name##_BK, \
	[VM_ADD_BR_##name##_RI_BK] = &&L_ADD_BR_##name##_RI_BK, \
	[VM_ADDI_BR_##name##_BK] = &&L_ADDI_BR_##name##_BK, \
	[VM_ADDI_BR_##name##_RI_BK] = &&L_ADDI_BR_##name##_RI_BK,
#define VM_LABELS WR_OPCODES(LBL) VM_EXTRA_OPS(LBL) VM_INT_BINOPS(LBL_RI) VM_FLOAT_BINOPS(LBL_RI) \
	VM_INT_CMPS(LBL_CMP) VM_LOADS(LBL_MEM) VM_STORES(LBL_MEM) VM_STORES(LBL_IMM) \
	VM_F64_ST_OPS(LBL_ST) VM_I32_CMPS(LBL_ADDBR)
#endif

#define NEXT(n) do { ip += (n); DISPATCH(); } while (0)
#define JUMP(t) do { ip = (t); DISPATCH(); } while (0)
/* A backward branch: the one place besides calls where fuel is charged. */
#define JUMP_BK(t, cost) do { \
	if (unlikely(s->fuel_on)) \
		vm_fuel(cx, (cost)); \
	ip = (t); \
	DISPATCH(); \
} while (0)
/* Conditional branches of n cells, forward and backward. */
#define JUMP_IF(cond, t, n) do { \
	if (cond) \
		ip = (t); \
	else \
		ip += (n); \
	DISPATCH(); \
} while (0)
#define JUMP_BK_IF(cond, t, n) do { \
	if (cond) \
		JUMP_BK((t), ip[(n) - 1].u64); \
	NEXT(n); \
} while (0)

/* Operand cell halves of the current instruction. */
#define D ip[1].u32[0]
#define A ip[1].u32[1]
#define B ip[2].u32[0]
#define C ip[2].u32[1]
#define T(field) __typeof__(fp->field)

#define GEN_BINOP(name, F, W, expr) \
	HANDLER(name) { T(F) a = fp[A].F, b = fp[B].F; W(D, (expr)); NEXT(3); }
#define GEN_BINOP_RI(name, F, W, expr) \
	HANDLER(name##_RI) { T(F) a = fp[A].F, b = (T(F))ip[2].u64; W(D, (expr)); NEXT(3); }
#define GEN_CMP(name, F, cond) \
	GEN_BINOP(name, F, W32, cond) \
	GEN_BINOP_RI(name, F, W32, cond) \
	HANDLER(BR_##name) { T(F) a = fp[D].F, b = fp[A].F; \
		JUMP_IF(cond, ip[2].target, 3); } \
	HANDLER(BR_##name##_BK) { T(F) a = fp[D].F, b = fp[A].F; \
		JUMP_BK_IF(cond, ip[2].target, 4); } \
	HANDLER(BR_##name##_RI) { T(F) a = fp[D].F, b = (T(F))ip[2].u64; \
		JUMP_IF(cond, ip[3].target, 4); } \
	HANDLER(BR_##name##_RI_BK) { T(F) a = fp[D].F, b = (T(F))ip[2].u64; \
		JUMP_BK_IF(cond, ip[3].target, 5); }
#define GEN_UNOP(name, F, W, expr) \
	HANDLER(name) { T(F) a = fp[A].F; W(D, (expr)); NEXT(2); }
#define GEN_LOAD(name, MT, W) \
	HANDLER(name) { MT v; memcpy(&v, mem + (ip[2].u64 + fp[A].u32), sizeof(v)); \
		W(D, v); NEXT(3); } \
	HANDLER(name##_ADD) { uint32_t s_ = fp[A].u32 + fp[B].u32; MT v; fp[D].u64 = s_; \
		memcpy(&v, mem + ((uint64_t)s_ + C), sizeof(v)); W(ip[3].u32[0], v); NEXT(4); } \
	HANDLER(name##_ADDI) { uint32_t s_ = fp[A].u32 + B; MT v; fp[D].u64 = s_; \
		memcpy(&v, mem + ((uint64_t)s_ + C), sizeof(v)); W(ip[3].u32[0], v); NEXT(4); }
#define GEN_STORE(name, MT, F) \
	HANDLER(name) { MT v = (MT)fp[D].F; memcpy(mem + (ip[2].u64 + fp[A].u32), &v, sizeof(v)); \
		NEXT(3); } \
	HANDLER(name##_I) { MT v = (MT)D; memcpy(mem + (ip[2].u64 + fp[A].u32), &v, sizeof(v)); \
		NEXT(3); } \
	HANDLER(name##_ADD) { uint32_t s_ = fp[A].u32 + fp[B].u32; fp[D].u64 = s_; \
		MT v = (MT)fp[ip[3].u32[0]].F; memcpy(mem + ((uint64_t)s_ + C), &v, sizeof(v)); \
		NEXT(4); } \
	HANDLER(name##_ADDI) { uint32_t s_ = fp[A].u32 + B; fp[D].u64 = s_; \
		MT v = (MT)fp[ip[3].u32[0]].F; memcpy(mem + ((uint64_t)s_ + C), &v, sizeof(v)); \
		NEXT(4); } \
	HANDLER(name##_IADD) { uint32_t s_ = fp[A].u32 + fp[B].u32; fp[D].u64 = s_; \
		MT v = (MT)ip[3].u32[0]; memcpy(mem + ((uint64_t)s_ + C), &v, sizeof(v)); \
		NEXT(4); } \
	HANDLER(name##_IADDI) { uint32_t s_ = fp[A].u32 + B; fp[D].u64 = s_; \
		MT v = (MT)ip[3].u32[0]; memcpy(mem + ((uint64_t)s_ + C), &v, sizeof(v)); \
		NEXT(4); }
#define GEN_F64_ST(name, expr) \
	HANDLER(name##_ST) { double v = (expr); memcpy(mem + (ip[3].u64 + fp[D].u32), &v, 8); \
		NEXT(4); }
#define GEN_F64_M(name, expr) \
	HANDLER(name) { double m, o = fp[ip[3].u32[0]].f64; \
		memcpy(&m, mem + (ip[2].u64 + fp[A].u32), 8); WF64(D, (expr)); NEXT(4); }
/* i32.add then a backward compare-and-branch on the sum (see vm.h). */
#define GEN_ADD_BR(name, F, cond) \
	HANDLER(ADD_BR_##name##_BK) { uint32_t a = fp[A].u32 + fp[B].u32; fp[D].u64 = a; \
		uint32_t b = fp[C].u32; JUMP_BK_IF(cond, ip[3].target, 5); } \
	HANDLER(ADD_BR_##name##_RI_BK) { uint32_t a = fp[A].u32 + fp[B].u32; fp[D].u64 = a; \
		uint32_t b = C; JUMP_BK_IF(cond, ip[3].target, 5); } \
	HANDLER(ADDI_BR_##name##_BK) { uint32_t a = fp[A].u32 + B; fp[D].u64 = a; \
		uint32_t b = fp[C].u32; JUMP_BK_IF(cond, ip[3].target, 5); } \
	HANDLER(ADDI_BR_##name##_RI_BK) { uint32_t a = fp[A].u32 + B; fp[D].u64 = a; \
		uint32_t b = C; JUMP_BK_IF(cond, ip[3].target, 5); }
#define GEN_SLOW(name, fn, n) \
	HANDLER(name) { fn(cx, inst, ip, fp); NEXT(n); }
#define GEN_NOT_EMITTED(name) HANDLER(name)
#define GEN_INT_BINOP(name, F, W, expr) GEN_BINOP(name, F, W, expr) GEN_BINOP_RI(name, F, W, expr)
#define BITS_f32(u) vm_bits_f32((uint32_t)(u))
#define BITS_f64(u) vm_bits_f64(u)
#define GEN_FLOAT_BINOP(name, F, W, expr) \
	GEN_BINOP(name, F, W, expr) \
	HANDLER(name##_RI) { T(F) a = fp[A].F, b = BITS_##F(ip[2].u64); W(D, (expr)); NEXT(3); }

static const void *const *vm_table;
/* Where the first frame of a vm_call returns to: an EXIT instruction. */
static vm_cell vm_exit[1];

/*
 * Run threaded code from f's first instruction with the frame at fp, until
 * the frame cx->fr_base returns. Called with cx == NULL once, to publish the
 * dispatch table.
 */
__attribute__((noinline, noclone))
static wr_trapkind vm_run(struct vm_ctx *cx, wr_func *f, vm_slot *fp)
{
	LABEL_TABLE;
	if (!cx) {
		__atomic_store_n(&vm_table, labels, __ATOMIC_RELEASE);
		return WR_OK;
	}
	wr_store *s = cx->s;
	struct vm_frame *fr; /* scratch: the innermost frame lives in cx->fr */
	struct vm_frame *const fr_end = cx->fr_end;
	vm_slot *const slot_end = cx->st->slot_end;
	wr_instance *inst = f->inst;
	uint8_t *mem = vm_membase(inst);
	const vm_cell *ip = f->code->cells;
	const struct vm_code *cd;
	wr_func *callee;
	vm_slot *nfp;

	LOOP_BEGIN

	VM_INT_BINOP_IMPL(GEN_INT_BINOP)
	VM_INT_CMP_IMPL(GEN_CMP)
	VM_FLOAT_BINOP_IMPL(GEN_BINOP)
	VM_FLOAT_ARITH_IMPL(GEN_FLOAT_BINOP)
	VM_UNOP_IMPL(GEN_UNOP)
	VM_LOAD_IMPL(GEN_LOAD)
	VM_STORE_IMPL(GEN_STORE)
	VM_SLOW_IMPL(GEN_SLOW)
	VM_F64_ST_IMPL(GEN_F64_ST)
	VM_F64_M_IMPL(GEN_F64_M)
	VM_I32_CMP_IMPL(GEN_ADD_BR)
	VM_SIMD_HANDLERS

	HANDLER(MOV64) { fp[D] = fp[A]; NEXT(2); }
	HANDLER(MOV128) { fp[D] = fp[A]; fp[D + 1] = fp[A + 1]; NEXT(2); }
	HANDLER(CONST32) { fp[D].u64 = A; NEXT(2); }
	HANDLER(CONST64) { fp[D].u64 = ip[2].u64; NEXT(3); }

	HANDLER(F32_MULADD) { WF32(D, fp[C].f32 + vm_f32_keep(fp[A].f32 * fp[B].f32)); NEXT(3); }
	HANDLER(F32_MULSUB) { WF32(D, fp[C].f32 - vm_f32_keep(fp[A].f32 * fp[B].f32)); NEXT(3); }
	HANDLER(F32_MULRSUB) { WF32(D, vm_f32_keep(fp[A].f32 * fp[B].f32) - fp[C].f32); NEXT(3); }
	HANDLER(F64_MULADD) { WF64(D, fp[C].f64 + vm_f64_keep(fp[A].f64 * fp[B].f64)); NEXT(3); }
	HANDLER(F64_MULSUB) { WF64(D, fp[C].f64 - vm_f64_keep(fp[A].f64 * fp[B].f64)); NEXT(3); }
	HANDLER(F64_MULRSUB) { WF64(D, vm_f64_keep(fp[A].f64 * fp[B].f64) - fp[C].f64); NEXT(3); }

	HANDLER(SELECT) { fp[D] = fp[C].u32 ? fp[A] : fp[B]; NEXT(3); }
	HANDLER(SELECT128) {
		uint32_t src = fp[C].u32 ? A : B;
		fp[D] = fp[src];
		fp[D + 1] = fp[src + 1];
		NEXT(3);
	}

	HANDLER(GLOBAL_GET) { fp[D].u64 = inst->globals[A]->val[0]; NEXT(2); }
	HANDLER(GLOBAL_SET) { inst->globals[A]->val[0] = fp[D].u64; NEXT(2); }
	HANDLER(GLOBAL_GET128) {
		const wr_global *g = inst->globals[A];
		fp[D].u64 = g->val[0];
		fp[D + 1].u64 = g->val[1];
		NEXT(2);
	}
	HANDLER(GLOBAL_SET128) {
		wr_global *g = inst->globals[A];
		g->val[0] = fp[D].u64;
		g->val[1] = fp[D + 1].u64;
		NEXT(2);
	}

	HANDLER(MEMORY_SIZE) { fp[D].u64 = inst->mems[0]->size / MEM_PAGE; NEXT(2); }
	HANDLER(DATA_DROP) { inst->data_len[ip[1].u32[0]] = 0; NEXT(2); }
	HANDLER(ELEM_DROP) { inst->elem_len[ip[1].u32[0]] = 0; NEXT(2); }
	HANDLER(TABLE_SIZE) { fp[D].u64 = inst->tables[A]->size; NEXT(2); }
	HANDLER(REF_FUNC) { fp[D].u64 = (uintptr_t)inst->funcs[A]; NEXT(2); }

	HANDLER(BR) { JUMP(ip[1].target); }
	HANDLER(BR_BK) { JUMP_BK(ip[1].target, ip[2].u64); }
	HANDLER(BR_NZ) { JUMP_IF(fp[D].u32, ip[2].target, 3); }
	HANDLER(BR_NZ_BK) { JUMP_BK_IF(fp[D].u32, ip[2].target, 4); }
	HANDLER(BR_Z) { JUMP_IF(!fp[D].u32, ip[2].target, 3); }
	HANDLER(BR_Z_BK) { JUMP_BK_IF(!fp[D].u32, ip[2].target, 4); }
	HANDLER(BR_NZ64) { JUMP_IF(fp[D].u64, ip[2].target, 3); }
	HANDLER(BR_NZ64_BK) { JUMP_BK_IF(fp[D].u64, ip[2].target, 4); }
	HANDLER(BR_Z64) { JUMP_IF(!fp[D].u64, ip[2].target, 3); }
	HANDLER(BR_Z64_BK) { JUMP_BK_IF(!fp[D].u64, ip[2].target, 4); }
	HANDLER(BR_TABLE) {
		uint32_t i = fp[D].u32;
		if (i > A)
			i = A;
		JUMP(ip[2 + i].target);
	}

	HANDLER(UNREACHABLE) { vm_trap(cx, WR_TRAP_UNREACHABLE, NULL); }

	HANDLER(CALL_LOCAL) {
		cd = ip[1].ptr;
		nfp = fp + ip[2].u32[0];
		fr = cx->fr;
		if (unlikely(fr == fr_end || (size_t)(slot_end - nfp) < cd->frame_slots))
			vm_trap(cx, WR_TRAP_STACK_EXHAUSTED, NULL);
		fr++;
		fr->ret_ip = ip + 3;
		fr->ret_fp = fp;
		fr->ret_inst = inst;
		fr->func = inst->defined + ip[2].u32[1];
		cx->fr = fr;
		goto enter;
	}
	HANDLER(CALL) {
		callee = inst->funcs[ip[1].u32[0]];
		nfp = fp + ip[1].u32[1];
		ip += 2;
		goto call;
	}
	HANDLER(CALL_INDIRECT) {
		callee = vm_indirect(cx, inst, ip, fp);
		nfp = fp + ip[2].u32[0];
		ip += 3;
		goto call;
	}
	call:
		if (callee->host) {
			vm_host_call(cx, callee, nfp, inst, cx->fr);
			DISPATCH();
		}
		cd = callee->code;
		fr = cx->fr;
		if (unlikely(fr == fr_end || (size_t)(slot_end - nfp) < cd->frame_slots))
			vm_trap(cx, WR_TRAP_STACK_EXHAUSTED, NULL);
		fr++;
		fr->ret_ip = ip;
		fr->ret_fp = fp;
		fr->ret_inst = inst;
		fr->func = callee;
		cx->fr = fr;
		if (callee->inst != inst) {
			inst = callee->inst;
			mem = vm_membase(inst);
		}
	enter:
		fp = nfp;
		vm_zero_locals(fp, cd);
		if (unlikely(s->fuel_on))
			vm_fuel(cx, 1);
		ip = cd->cells;
		DISPATCH();

	HANDLER(RET1) {
		fp[0] = fp[D];
		goto ret;
	}
	HANDLER(RETURN) {
	ret:
		fr = cx->fr;
		ip = fr->ret_ip;
		fp = fr->ret_fp;
		if (unlikely(fr->ret_inst != inst)) {
			inst = fr->ret_inst;
			mem = vm_membase(inst);
		}
		cx->fr = fr - 1;
		DISPATCH();
	}

	HANDLER(EXIT) { return WR_OK; }

	VM_NOT_EMITTED(GEN_NOT_EMITTED)
		goto bad_op;

	LOOP_END

bad_op:
	vm_trap(cx, WR_TRAP_UNREACHABLE, "internal error: bad operation");
}

/* Publish the dispatch table and the EXIT cell (racing threads compute the
 * same values). */
static void vm_init(void)
{
	static bool ready;
	if (__atomic_load_n(&ready, __ATOMIC_ACQUIRE))
		return;
	vm_run(NULL, NULL, NULL);
	const void *const *table = __atomic_load_n(&vm_table, __ATOMIC_ACQUIRE);
	uint64_t exit_cell = table ? (uint64_t)(uintptr_t)table[VM_EXIT] : VM_EXIT;
	__atomic_store_n(&vm_exit[0].u64, exit_cell, __ATOMIC_RELEASE);
	__atomic_store_n(&ready, true, __ATOMIC_RELEASE);
}

vm_cell vm_op_cell(enum vm_op op)
{
	vm_init();
	vm_cell c;
	if (vm_table)
		c.op = vm_table[op];
	else
		c.opn = op;
	return c;
}

/* ---- signals ---- */

static struct sigaction vm_old_segv, vm_old_bus;
static __thread bool vm_altstack_done;

/*
 * A fault in the reservation of some linear memory while this thread runs
 * guest code is an out-of-bounds access: trap. Anything else is a bug in
 * wrun or the embedder: put back the previous action and return, so the
 * faulting instruction runs again and the fault takes its usual course.
 */
static void vm_on_fault(int sig, siginfo_t *si, void *uc)
{
	struct vm_ctx *cx = vm_cur;
	if (cx && mem_owns_address(si->si_addr)) {
		cx->kind = WR_TRAP_MEMORY_OOB;
		cx->msg = NULL;
		siglongjmp(cx->jb, 1);
	}
	sigaction(sig, sig == SIGSEGV ? &vm_old_segv : &vm_old_bus, NULL);
}

/* Install the handler for sig unless it is already ours, keeping the
 * previous action for the faults that are not the guest's. */
static void vm_claim(int sig, struct sigaction *old)
{
	struct sigaction cur, sa;
	if (sigaction(sig, NULL, &cur) != 0 || (cur.sa_flags & SA_SIGINFO && cur.sa_sigaction == vm_on_fault))
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = vm_on_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, old);
}

/*
 * The handler runs on an alternate stack and with the signal unblocked
 * (SA_NODEFER): it leaves with siglongjmp, and vm_call's sigsetjmp does not
 * save the mask, so the signal must not stay blocked afterwards. Called
 * again before every outermost vm_call: an embedder or a test harness may
 * have put its own handler in place since, which would turn every
 * out-of-bounds access into a crash.
 */
void vm_signals_init(void)
{
	vm_claim(SIGSEGV, &vm_old_segv);
	vm_claim(SIGBUS, &vm_old_bus);
}

/* Give this thread an alternate signal stack unless it already has one. */
static void vm_altstack(void)
{
	if (likely(vm_altstack_done))
		return;
	vm_altstack_done = true;
	stack_t old;
	if (sigaltstack(NULL, &old) == 0 && !(old.ss_flags & SS_DISABLE))
		return;
	size_t size = 64 * 1024;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return;
	stack_t ss = { .ss_sp = p, .ss_size = size, .ss_flags = 0 };
	if (sigaltstack(&ss, NULL) != 0)
		munmap(p, size);
}

/* ---- entry ---- */

/* Reserve the store's stacks on first use. Pages are committed as used. */
static struct vm_stack *vm_stack_get(wr_store *s)
{
	if (s->stack)
		return s->stack;
	struct vm_stack *st = calloc(1, sizeof(*st));
	if (!st)
		return NULL;
	size_t sb = (size_t)VM_STACK_SLOTS * sizeof(vm_slot);
	size_t fb = ((size_t)VM_MAX_DEPTH + 1) * sizeof(struct vm_frame);
	int prot = PROT_READ | PROT_WRITE, flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	void *slots = mmap(NULL, sb, prot, flags, -1, 0);
	void *frames = mmap(NULL, fb, prot, flags, -1, 0);
	if (slots == MAP_FAILED || frames == MAP_FAILED) {
		if (slots != MAP_FAILED)
			munmap(slots, sb);
		if (frames != MAP_FAILED)
			munmap(frames, fb);
		free(st);
		return NULL;
	}
	st->slots = st->slot_top = slots;
	st->slot_end = st->slots + VM_STACK_SLOTS;
	st->frames = (struct vm_frame *)frames + 1; /* the first frame's return pops into [-1] */
	s->stack = st;
	return st;
}

void vm_stack_free(struct vm_stack *st)
{
	if (!st)
		return;
	munmap(st->slots, (size_t)VM_STACK_SLOTS * sizeof(vm_slot));
	munmap(st->frames - 1, ((size_t)VM_MAX_DEPTH + 1) * sizeof(struct vm_frame));
	free(st);
}

/* Name f the way trap reports do. */
static void vm_name(char *out, size_t size, const wr_func *f)
{
	if (f && f->name)
		snprintf(out, size, "%s", f->name);
	else if (f)
		snprintf(out, size, "func[%u]", f->index);
	else
		out[0] = 0;
}

/* Fill *trap for a trap of kind k; a host function's own message stays. */
static void vm_fill_trap(wr_trap *trap, wr_trapkind k, const char *msg, const wr_func *where,
                         bool keep)
{
	trap->kind = k;
	if (msg)
		snprintf(trap->message, sizeof(trap->message), "%s", msg);
	else if (!keep || !trap->message[0])
		snprintf(trap->message, sizeof(trap->message), "%s", wr_trap_message(k));
	vm_name(trap->func, sizeof(trap->func), where);
}

/* Call a host function directly from the embedder. */
static wr_trapkind vm_call_host(wr_func *f, uint64_t *slots, wr_trap *trap)
{
	wr_hostcall hc = { NULL, trap };
	struct vm_ctx *prev = vm_cur;
	vm_cur = NULL;
	wr_trapkind k = f->host(&hc, slots, f->user);
	vm_cur = prev;
	if (k != WR_OK)
		vm_fill_trap(trap, k, NULL, f, true);
	return k;
}

/* Run f under a trap landing site. Kept apart from vm_call so that no
 * local of the caller is live across sigsetjmp. */
__attribute__((noinline))
static wr_trapkind vm_protected(struct vm_ctx *cx, wr_func *f, vm_slot *fp)
{
	if (sigsetjmp(cx->jb, 0))
		return vm_cur->kind;
	if (cx->s->fuel_on)
		vm_fuel(cx, 1);
	return vm_run(cx, f, fp);
}

/* The depth limit in frames. */
static size_t vm_depth_limit(const wr_store *s)
{
	if (s->max_depth == 0)
		return VM_DEFAULT_DEPTH;
	return s->max_depth < VM_MAX_DEPTH ? s->max_depth : VM_MAX_DEPTH;
}

wr_trapkind vm_call(wr_store *s, wr_func *f, uint64_t *slots, wr_trap *trap)
{
	wr_trap spare;
	if (!trap)
		trap = &spare;
	memset(trap, 0, sizeof(*trap));
	if (vm_nest == 0)
		vm_signals_init();
	vm_altstack();
	if (f->host)
		return vm_call_host(f, slots, trap);
	struct vm_stack *st = vm_stack_get(s);
	const struct vm_code *cd = f->code;
	vm_slot *base = st ? st->slot_top : NULL;
	size_t depth = st ? st->depth : 0, limit = vm_depth_limit(s);
	if (!st || depth >= limit || (size_t)(st->slot_end - base) < cd->frame_slots ||
	    vm_nest >= VM_MAX_NEST) {
		vm_fill_trap(trap, WR_TRAP_STACK_EXHAUSTED, NULL, f, false);
		return WR_TRAP_STACK_EXHAUSTED;
	}
	struct vm_ctx cx;
	cx.s = s;
	cx.st = st;
	cx.trap = trap;
	cx.fr = cx.fr_base = st->frames + depth;
	cx.fr_end = st->frames + limit - 1;
	cx.prev = vm_cur;
	cx.where = NULL;
	cx.msg = NULL;
	vm_init();
	cx.fr->ret_ip = vm_exit;
	cx.fr->ret_fp = NULL;
	cx.fr->ret_inst = f->inst;
	cx.fr->func = f;
	memcpy(base, slots, (size_t)cd->param_slots * sizeof(vm_slot));
	vm_zero_locals(base, cd);
	vm_cur = &cx;
	vm_nest++;
	wr_trapkind k = vm_protected(&cx, f, base);
	vm_nest--;
	vm_cur = cx.prev;
	st->slot_top = base;
	st->depth = depth;
	if (k == WR_OK)
		memcpy(slots, base, (size_t)cd->result_slots * sizeof(vm_slot));
	else
		vm_fill_trap(trap, k, cx.msg, cx.where ? cx.where : cx.fr->func, cx.where != NULL);
	return k;
}
