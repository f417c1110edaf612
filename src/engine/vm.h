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
 * The operations, their operand layouts and what each stands for are the
 * rows of one table, VM_OPS in vm_ops.h; their handlers are in interp.c,
 * each under HANDLER(NAME).
 */
#ifndef WRUN_VM_H
#define WRUN_VM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "opcodes.h"
#include "vm_ops.h"

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

/* Every operation, in the order of VM_OPS. */
enum vm_op {
#define X(name, layout, family, from) VM_##name,
	VM_OPS(X)
#undef X
	VM__COUNT,
	VM_NONE = VM__COUNT /* no operation: what a failed lookup returns */
};
_Static_assert(VM__COUNT < UINT16_MAX, "an operation fits in 16 bits");

enum vm_family {
#define X(family, text) VF_##family,
	VM_FAMILIES(X)
#undef X
	VF__COUNT
};

/* The length of each operation in cells, op cell included:
 * VM_CELLS_I32_ADD is 3. */
enum {
#define X(name, layout, family, from) VM_CELLS_##name = sizeof(layout) / 4 + 1,
	VM_OPS(X)
#undef X
};


/* Default call depth limit when the store sets none, and the most frames a
 * store's call stack can hold. */
#define VM_DEFAULT_DEPTH 100000u
#define VM_MAX_DEPTH 1000000u
/* How deep host functions may nest calls back into wasm on one thread:
 * each level holds a C stack frame of the interpreter. */
#define VM_MAX_NEST 256u
/* Slots of the value stack (reserved, committed as used). */
#define VM_STACK_SLOTS (8u << 20)

/* interp.c: the cell that stands for operation op in threaded code, and
 * back (VM_NONE if the cell is no operation's). */
vm_cell vm_op_cell(enum vm_op op);
enum vm_op vm_cell_op(vm_cell c);

/* compile.c: print a compiled function, one instruction a line (for
 * debugging: `call vm_disasm(stderr, f->code)` in gdb). */
void vm_disasm(FILE *out, const struct vm_code *cd);

#endif
