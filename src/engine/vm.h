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

/*
 * Exception handlers (compile.c builds them, interp.c's vm_unwind reads
 * them; nothing runs for them until something is thrown). One vm_try per
 * try_table or legacy try, in the order their bodies begin: the body is
 * the cells [start, end), and a throw at a cell inside it (or a call
 * there that an exception leaves) tries its clauses in order. Tries
 * containing a cell nest, so scanning them backwards meets the innermost
 * first.
 */
struct vm_try {
	uint32_t start, end;
	uint32_t depth;   /* its block's nesting depth (the function's is 0) */
	uint32_t first;   /* its first clause, or VM_NO_CLAUSE */
};

#define VM_NO_CLAUSE UINT32_MAX

enum {
	VH_CATCH,         /* exceptions of one tag */
	VH_CATCH_ALL,     /* any exception */
	VH_DELEGATE,      /* legacy delegate: go on with the tries of depth <= target */
};

struct vm_catch {
	uint8_t kind;
	bool ret;         /* the label is the function's: return with the values */
	uint32_t tag;     /* VH_CATCH: the tag's index in the module */
	uint32_t dst;     /* where the payload goes (VH_CATCH), first slot */
	uint32_t ref;     /* where the exnref goes, or VM_NO_CLAUSE for nowhere */
	uint32_t target;  /* the cell to continue at; VH_DELEGATE: the depth bound */
	uint32_t next;    /* the next clause of the same try, or VM_NO_CLAUSE */
};

/*
 * Stack maps, for the collector's frame roots (gc.c). A GC point is a cell
 * where a collection may start while the frame is live: the op cell of an
 * instruction that allocates (struct.new*, array.new*, any.convert_extern,
 * extern.convert_any), or the last cell of a call (call, call_indirect,
 * call_ref: the callee may allocate, or a host function may), which is
 * where a caller's frame record points (ret_ip - 1). Its map names the
 * slots that may then hold a reference of the any or extern hierarchy:
 * every local of such a type (the first gc_locals entries of gcslots,
 * live at every point) and the operand-stack entries of such a type held
 * in their home slots, up to but not including a call's arguments (the
 * callee's frame starts there and names them as its parameters).
 */
struct vm_gcmap {
	uint32_t cell;  /* the GC point; maps are sorted by it */
	uint32_t first; /* its stack slots: gcslots[first .. first + n) */
	uint32_t n;
};

/* A compiled function. */
struct vm_code {
	vm_cell *cells;
	size_t ncells;
	uint32_t param_slots;  /* parameters */
	uint32_t local_slots;  /* parameters, declared locals and the zero slot (last),
	                        * which the constant 0 is read from */
	uint32_t zero_from, zero_to; /* entry zeroes slots [zero_from, zero_to), the
	                        * locals some path may read before writing and
	                        * every anyref and externref local, and the zero
	                        * slot */
	uint32_t frame_slots;  /* the whole frame, operand stack included */
	uint32_t result_slots;
	uint32_t func;         /* index in the module's function space */
	struct vm_try *tries;  /* exception handlers, see above (NULL: none) */
	struct vm_catch *catches;
	uint32_t ntries, ncatches;
	struct vm_gcmap *gcmaps; /* stack maps, see above (NULL: none) */
	uint32_t *gcslots;
	uint32_t ngcmaps, gc_locals;
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
/* The handler addresses of the threaded build, indexed by operation
 * (vm_op_cell(op).op is entry op), or NULL in the switch build, where a
 * cell holds the operation's number: for the compiler, which looks it up
 * for every instruction it emits. */
const void *const *vm_op_handlers(void);

/* compile.c: print a compiled function, one instruction a line (for
 * debugging: `call vm_disasm(stderr, f->code)` in gdb). */
void vm_disasm(FILE *out, const struct vm_code *cd);
/* The name of an operation (its row in vm_ops.h). */
const char *vm_op_name(enum vm_op op);

#endif
