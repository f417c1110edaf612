/*
 * vm.h: threaded code, shared by the compiler (compile.c) and the
 * interpreter (interp.c).
 *
 * A compiled function is an array of 8-byte cells. Each instruction is one
 * cell holding its handler (a computed-goto label address, or the opcode
 * number in the switch build) followed by pre-decoded operand cells. The
 * machine is a register machine over the function's frame: an array of
 * 8-byte slots holding the parameters, then the declared locals, then the
 * home slots of the operand stack. Operands are named by slot index, so
 * `local.get` emits no code and an instruction reads its operands where they
 * already are.
 *
 * Operand layouts ([cell] cell..., a|b = two 32-bit halves, low first):
 *
 *   unary, conversion, ref.is_null     [op][d|a]
 *   binary (register form)             [op][d|a][b|-]
 *   binary (immediate form, _RI)       [op][d|a][imm64]
 *   load                               [op][d|addr][offset64]
 *   store                              [op][val|addr][offset64]
 *   (fused loads and stores: see VM_LOADS below)
 *   MOV64, MOV128                      [op][d|s]
 *   CONST32 (zero-extended)            [op][d|imm32]
 *   CONST64                            [op][d|-][imm64]
 *   BR / BR_BK                         [op][target] / [op][target][cost]
 *   BR_NZ, BR_Z, BR_NZ64, BR_Z64       [op][a|-][target]    (+[cost] for _BK)
 *   BR_<cmp> (register form)           [op][a|b][target]    (+[cost] for _BK)
 *   BR_<cmp>_RI                        [op][a|-][imm64][target] (+[cost])
 *   BR_TABLE                           [op][a|n][target 0]...[target n]
 *   RETURN / RET1                      [op] / [op][s|-]
 *   EXIT                               [op]  (where the first frame returns to)
 *   CALL_LOCAL                         [op][struct vm_code *][argbase|defined index]
 *   CALL (any function by index)       [op][func|argbase]
 *   CALL_INDIRECT                      [op][type|table][argbase|elem index slot]
 *   SELECT, SELECT128                  [op][d|a][b|cond]
 *   F32/F64_MULADD, MULSUB, MULRSUB    [op][d|a][b|x]: x + a*b, x - a*b, a*b - x
 *   (fused f64 arithmetic and i32 add-and-branch: see VM_F64_ST_OPS,
 *   VM_F64_M_OPS and VM_I32_CMPS below)
 *   GLOBAL_GET(128) / GLOBAL_SET(128)  [op][d|global] / [op][s|global]
 *   TABLE_GET / TABLE_SET              [op][d|i][table] / [op][i|v][table]
 *   TABLE_SIZE / TABLE_GROW            [op][d|table] / [op][d|init][n|table]
 *   TABLE_FILL                         [op][i|v][n|table]
 *   TABLE_COPY / TABLE_INIT            [op][d|s][n|dst table][src table / elem]
 *   ELEM_DROP, DATA_DROP               [op][segment]
 *   MEMORY_SIZE / MEMORY_GROW          [op][d] / [op][d|delta]
 *   MEMORY_FILL / MEMORY_COPY          [op][d|val][n] / [op][d|s][n]
 *   MEMORY_INIT                        [op][d|s][n|segment]
 *   REF_FUNC                           [op][d|func]
 *   UNREACHABLE                        [op]
 *
 * `d` is the destination slot. Targets are absolute cell addresses. _BK variants are backward
 * branches (to a loop head): they also charge fuel, `cost` units, when the
 * store meters fuel.
 */
#ifndef WRUN_VM_H
#define WRUN_VM_H

#include <stddef.h>
#include <stdint.h>

#include "opcodes.h"

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "slots keep 32-bit values in their low half: little-endian only");

/* One cell of threaded code. */
typedef union vm_cell {
	const void *op;            /* handler address (computed goto) */
	uintptr_t opn;             /* opcode number (switch dispatch) */
	uint64_t u64;
	int64_t i64;
	uint32_t u32[2];
	const union vm_cell *target;
	const void *ptr;
} vm_cell;

/* One frame slot. i32 and f32 live in the low half; writers store all 64
 * bits so that a later 64-bit copy never waits on a partial store. */
typedef union vm_slot {
	uint64_t u64;
	int64_t i64;
	uint32_t u32;
	int32_t i32;
	float f32;
	double f64;
} vm_slot;

/* A compiled function. */
struct vm_code {
	vm_cell *cells;
	size_t ncells;
	uint32_t param_slots;  /* parameters */
	uint32_t local_slots;  /* parameters, declared locals and the zero slot (last),
	                        * which the constant 0 is read from */
	uint32_t zero_from;    /* entry zeroes slots [zero_from, local_slots): the
	                        * locals some path may read before writing, and
	                        * the zero slot */
	uint32_t frame_slots;  /* the whole frame, operand stack included */
	uint32_t result_slots;
	uint32_t func;         /* index in the module's function space */
};

/*
 * Integer binary operators with an immediate form NAME_RI (second operand a
 * constant): X(NAME, commutative).
 */
#define VM_INT_BINOPS(X) \
	X(I32_ADD, 1) X(I32_SUB, 0) X(I32_MUL, 1) X(I32_DIV_S, 0) X(I32_DIV_U, 0) \
	X(I32_REM_S, 0) X(I32_REM_U, 0) X(I32_AND, 1) X(I32_OR, 1) X(I32_XOR, 1) \
	X(I32_SHL, 0) X(I32_SHR_S, 0) X(I32_SHR_U, 0) X(I32_ROTL, 0) X(I32_ROTR, 0) \
	X(I64_ADD, 1) X(I64_SUB, 0) X(I64_MUL, 1) X(I64_DIV_S, 0) X(I64_DIV_U, 0) \
	X(I64_REM_S, 0) X(I64_REM_U, 0) X(I64_AND, 1) X(I64_OR, 1) X(I64_XOR, 1) \
	X(I64_SHL, 0) X(I64_SHR_S, 0) X(I64_SHR_U, 0) X(I64_ROTL, 0) X(I64_ROTR, 0)

/*
 * Integer comparisons: X(NAME, NEGATION, SWAPPED) where NEGATION is the
 * comparison true exactly when NAME is false and SWAPPED the one that gives
 * the same answer with its operands exchanged. Each has an immediate form
 * NAME_RI and fused compare-and-branch forms BR_NAME, BR_NAME_RI (and their
 * backward _BK variants).
 */
#define VM_INT_CMPS(X) \
	X(I32_EQ, I32_NE, I32_EQ) X(I32_NE, I32_EQ, I32_NE) \
	X(I32_LT_S, I32_GE_S, I32_GT_S) X(I32_LT_U, I32_GE_U, I32_GT_U) \
	X(I32_GT_S, I32_LE_S, I32_LT_S) X(I32_GT_U, I32_LE_U, I32_LT_U) \
	X(I32_LE_S, I32_GT_S, I32_GE_S) X(I32_LE_U, I32_GT_U, I32_GE_U) \
	X(I32_GE_S, I32_LT_S, I32_LE_S) X(I32_GE_U, I32_LT_U, I32_LE_U) \
	X(I64_EQ, I64_NE, I64_EQ) X(I64_NE, I64_EQ, I64_NE) \
	X(I64_LT_S, I64_GE_S, I64_GT_S) X(I64_LT_U, I64_GE_U, I64_GT_U) \
	X(I64_GT_S, I64_LE_S, I64_LT_S) X(I64_GT_U, I64_LE_U, I64_LT_U) \
	X(I64_LE_S, I64_GT_S, I64_GE_S) X(I64_LE_U, I64_GT_U, I64_GE_U) \
	X(I64_GE_S, I64_LT_S, I64_LE_S) X(I64_GE_U, I64_LT_U, I64_LE_U)

/* Float binary operators with an immediate form NAME_RI (the constant's
 * bits in the immediate cell): X(NAME, commutative). */
#define VM_FLOAT_BINOPS(X) \
	X(F32_ADD, 1) X(F32_SUB, 0) X(F32_MUL, 1) X(F32_DIV, 0) \
	X(F64_ADD, 1) X(F64_SUB, 0) X(F64_MUL, 1) X(F64_DIV, 0)

/*
 * Loads and stores. Each also has forms fused with the i32.add just before
 * it that computed its address: NAME_ADD (register operands) and NAME_ADDI
 * (an immediate operand). The fused form still writes the sum, to the
 * add's own destination, so it stands for both instructions:
 *
 *   load  NAME_ADD/ADDI   [op][sum|x][y or k|offset][d|-]
 *   store NAME_ADD/ADDI   [op][sum|x][y or k|offset][val|-]
 *
 * Stores also have NAME_I, whose value is a constant that fits in 32 bits
 * (zero-extended): [op][imm32|addr][offset64], and the fused NAME_IADD and
 * NAME_IADDI: [op][sum|x][y or k|offset][imm32|-].
 */
#define VM_LOADS(X) \
	X(I32_LOAD) X(I64_LOAD) X(F32_LOAD) X(F64_LOAD) X(I32_LOAD8_S) X(I32_LOAD8_U) \
	X(I32_LOAD16_S) X(I32_LOAD16_U) X(I64_LOAD8_S) X(I64_LOAD8_U) X(I64_LOAD16_S) \
	X(I64_LOAD16_U) X(I64_LOAD32_S) X(I64_LOAD32_U)
#define VM_STORES(X) \
	X(I32_STORE) X(I64_STORE) X(F32_STORE) X(F64_STORE) X(I32_STORE8) X(I32_STORE16) \
	X(I64_STORE8) X(I64_STORE16) X(I64_STORE32)

/*
 * f64 arithmetic fused with the f64.store of its result (NAME_ST): the
 * destination half names the store's address slot instead, and the store's
 * offset follows the operands:
 *
 *   [op][addr|a][b|x][offset64]   (x only for the multiply-add forms)
 */
#define VM_F64_ST_OPS(X) \
	X(F64_ADD) X(F64_SUB) X(F64_MUL) X(F64_MULADD) X(F64_MULSUB) X(F64_MULRSUB)

/*
 * An f64.load (plain form) fused with the add, subtract or multiply that
 * consumes the loaded value m and another operand o:
 *
 *   F64_ADD_M, F64_MUL_M: o + m, o * m;  F64_SUB_M: o - m;  F64_RSUB_M: m - o
 *   [op][d|addr][offset64][o|-]
 */
#define VM_F64_M_OPS(X) X(F64_ADD_M) X(F64_SUB_M) X(F64_RSUB_M) X(F64_MUL_M)

/*
 * An i32.add (register or immediate form) fused with the backward
 * compare-and-branch that tests its sum s against a slot or a constant:
 * s = x + y (or x + k) is written, then the branch is taken if s CMP b
 * (or s CMP kb), charging fuel like the other _BK branches:
 *
 *   ADD_BR_<cmp>_BK       [op][s|x][y|b][target][cost]
 *   ADD_BR_<cmp>_RI_BK    [op][s|x][y|kb][target][cost]
 *   ADDI_BR_<cmp>_BK      [op][s|x][k|b][target][cost]
 *   ADDI_BR_<cmp>_RI_BK   [op][s|x][k|kb][target][cost]
 *
 * for every i32 comparison of VM_INT_CMPS.
 */
#define VM_I32_CMPS(X) \
	X(I32_EQ) X(I32_NE) X(I32_LT_S) X(I32_LT_U) X(I32_GT_S) X(I32_GT_U) \
	X(I32_LE_S) X(I32_LE_U) X(I32_GE_S) X(I32_GE_U)

/* Operations of the threaded code that are not WebAssembly opcodes. */
#define VM_EXTRA_OPS(X) \
	X(MOV64) X(MOV128) X(CONST32) X(CONST64) \
	X(BR_BK) X(BR_NZ) X(BR_NZ_BK) X(BR_Z) X(BR_Z_BK) \
	X(BR_NZ64) X(BR_NZ64_BK) X(BR_Z64) X(BR_Z64_BK) \
	X(RET1) X(CALL_LOCAL) X(SELECT128) X(GLOBAL_GET128) X(GLOBAL_SET128) X(EXIT) \
	X(F32_MULADD) X(F32_MULSUB) X(F32_MULRSUB) X(F64_MULADD) X(F64_MULSUB) X(F64_MULRSUB) \
	VM_F64_M_OPS(X)

/*
 * Every operation: the WebAssembly opcodes first (so VM_X == OP_X), then the
 * extra operations, the immediate forms and the fused ones. One list
 * generates this enum and the interpreter's dispatch table.
 */
enum vm_op {
#define X(name, ...) VM_##name,
	WR_OPCODES(X)
#undef X
#define X(name) VM_##name,
	VM_EXTRA_OPS(X)
#undef X
#define X(name, comm) VM_##name##_RI,
	VM_INT_BINOPS(X)
	VM_FLOAT_BINOPS(X)
#undef X
#define X(name, neg, swap) VM_##name##_RI, VM_BR_##name, VM_BR_##name##_RI, \
	VM_BR_##name##_BK, VM_BR_##name##_RI_BK,
	VM_INT_CMPS(X)
#undef X
#define X(name) VM_##name##_ADD, VM_##name##_ADDI,
	VM_LOADS(X)
	VM_STORES(X)
#undef X
#define X(name) VM_##name##_I, VM_##name##_IADD, VM_##name##_IADDI,
	VM_STORES(X)
#undef X
#define X(name) VM_##name##_ST,
	VM_F64_ST_OPS(X)
#undef X
#define X(name) VM_ADD_BR_##name##_BK, VM_ADD_BR_##name##_RI_BK, \
	VM_ADDI_BR_##name##_BK, VM_ADDI_BR_##name##_RI_BK,
	VM_I32_CMPS(X)
#undef X
	VM__COUNT
};

_Static_assert((int)VM_I32_ADD == (int)OP_I32_ADD, "wasm opcodes keep their numbers");

/* Default call depth limit when the store sets none, and the most frames a
 * store's call stack can hold. */
#define VM_DEFAULT_DEPTH 100000u
#define VM_MAX_DEPTH 1000000u
/* How deep host functions may nest calls back into wasm on one thread:
 * each level holds a C stack frame of the interpreter. */
#define VM_MAX_NEST 256u
/* Slots of the value stack (reserved, committed as used). */
#define VM_STACK_SLOTS (8u << 20)

/* interp.c: the cell that stands for operation op in threaded code. */
vm_cell vm_op_cell(enum vm_op op);

#endif
