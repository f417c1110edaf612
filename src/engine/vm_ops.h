/*
 * vm_ops.h: the one table of VM operations, the instructions of threaded
 * code (see vm.h). Each row is
 *
 *   X(NAME, LAYOUT, FAMILY, FROM)
 *
 *   NAME    the operation: VM_NAME in the enum, HANDLER(NAME) in interp.c
 *   LAYOUT  a picture of the operand cells that follow the op cell (below)
 *   FAMILY  what the operation stands for, relative to FROM (VM_FAMILIES)
 *   FROM    the WebAssembly instruction it is made from (OP_FROM); for a
 *           fused operation, the instruction the family fuses others with
 *
 * The enum, the names, each operation's length in cells, the interpreter's
 * dispatch table and the compiler's map from WebAssembly instructions to
 * operations (by FROM and FAMILY; no two rows share both) are generated
 * from it. Adding an operation is adding a row and its HANDLER.
 *
 * A layout pictures each operand cell as three characters, separated by
 * spaces, so an operation takes sizeof(LAYOUT) / 4 cells after its op cell.
 * A cell is two 32-bit halves "lo|hi", or one 64-bit word:
 *
 *   d      the destination slot (written)
 *   s      the slot written with the sum of a fused i32.add
 *   a b c  operand slots (read)
 *   v      the slot of a value to store
 *   p      the slot of a memory address
 *   f      the first slot of a callee's frame, where the arguments are
 *   k      a 32-bit constant, zero-extended
 *   o      a 32-bit memory offset
 *   i      an index: of a function, type, global, table or segment
 *   l      a lane index; in a scaled-index load (SX), the shift count
 *   e      a second destination (MOV64_2's second copy, from slot b;
 *          I32_ADD2's second sum, of slots c and x; I32_ADD_ADDI's, of c
 *          and k)
 *   x      the second operand of a second operation (I32_ADD2)
 *   v w    the low and high halves of a 64-bit constant (BR_TABLE_LOAD_SXI_K)
 *   n      the number of br_table's targets less one (they follow the
 *          instruction, one cell each, the default last)
 *   w      the address width of a memory named in the instruction: 1 if it
 *          is 64-bit (the address slot holds an i64), else 0
 *   -      unused
 *
 *   imm    a 64-bit constant (for floats, its bits)
 *   off    a memory offset
 *   tgt    a branch target: the address of a cell
 *   cst    the fuel a backward branch charges when the store meters fuel
 *   ptr    the struct vm_code of the function called
 *   v16    16 bytes over two cells: v128.const's value, or the lane
 *          indices of i8x16.shuffle
 *
 * A slot index is relative to the frame. Targets and costs are always the
 * last cells, so a branch handler finds them from the instruction's length.
 */
#ifndef WRUN_VM_OPS_H
#define WRUN_VM_OPS_H

/*
 * The families: X(FAMILY, what an operation of the family stands for, with
 * %s for FROM's name). "Backward" branches go to a loop head and charge
 * fuel; "a constant" operand sits in the instruction instead of a slot.
 */
#define VM_FAMILIES(X) \
	X(WASM,          "%s") \
	X(RI,            "%s with a constant second operand") \
	X(BR,            "%s + br_if (or if)") \
	X(BR_RI,         "%s with a constant second operand + br_if") \
	X(BR_BK,         "%s + backward br_if") \
	X(BR_RI_BK,      "%s with a constant second operand + backward br_if") \
	X(BR_RI2,        "two %s with constant second operands + br_if to one label, either taken") \
	X(BR_NOT,        "%s + a branch taken when it is false") \
	X(BR_NOT_BK,     "%s + a backward branch taken when it is false") \
	X(BK,            "backward %s") \
	X(ONE,           "%s of one value of one slot") \
	X(TWO,           "two %s copies in a row, done in order") \
	X(RI2,           "two %s of a slot and a constant in a row, done in order") \
	X(PAIR,          "two %s in a row, done in order") \
	X(PAIR_RI,       "%s + i32.add of a slot and a constant, done in order") \
	X(MOV_BR_BK,     "a copy + %s + backward br_if") \
	X(MOV_BK,        "a copy + backward %s") \
	X(AND,           "i32.and + %s of the result and another operand") \
	X(XOR,           "i32.xor + %s of the result and another operand") \
	X(ANDN,          "i32.xor with -1 + %s of the result and another operand") \
	X(ANDN_ADD,      "i32.xor with -1 + i32.and + %s of the result and another operand") \
	X(BR_M,          "i32.load + %s of another operand and the value loaded + br_if (or if)") \
	X(BR_MAI,        "i32.add of a constant + i32.load at the sum + %s of another operand and the value loaded + br_if (or if)") \
	X(EXIT,          "%s to the embedder: where the first frame of a call returns") \
	X(DEFINED,       "%s of a function defined in the module") \
	X(V128,          "%s of a v128 (two slots)") \
	X(MUL,           "mul + %s of the product and another operand") \
	X(MUL_R,         "mul + %s of another operand from the product") \
	X(M,             "a load of its type (f64.load, i32.load) + %s of another operand and the value loaded") \
	X(MUL_M,         "f64.load + mul of another operand and the value loaded + %s of the product and another operand") \
	X(MUL_M_ST,      "f64.load + mul of another operand and the value loaded + %s of the product and another operand + f64.store") \
	X(MUL_MAI,       "i32.add of a constant + f64.load at the sum + mul of another operand and the value loaded + %s of the product and another operand") \
	X(MUL_MAI_ST,    "i32.add of a constant + f64.load at the sum + mul of another operand and the value loaded + %s of the product and another operand + f64.store") \
	X(M_R,           "f64.load + %s of another operand from the value loaded") \
	X(ROT,           "i32.rotl by a constant + %s of the rotated value and another operand") \
	X(ROT2,          "two i32.rotl by constants + %s of the two rotated values") \
	X(ROT3,          "three i32.rotl by constants + two %s of the three rotated values") \
	X(SX,            "i32.shl by a constant + i32.add + %s at the sum (a scaled index)") \
	X(SXI,           "i32.shl by a constant + i32.add of a constant + %s at the sum (a scaled index)") \
	X(M_ADD,         "i32.add + a load of its type at the sum + %s of another operand and the value loaded") \
	X(M_ADD_R,       "i32.add + f64.load at the sum + %s of another operand from the value loaded") \
	X(M_ADDI,        "i32.add of a constant + a load of its type at the sum + %s of another operand and the value loaded") \
	X(M_ADDI_R,      "i32.add of a constant + f64.load at the sum + %s of another operand from the value loaded") \
	X(M_ADD2I,       "i32.add + i32.add of a constant + f64.load at the sum + %s of another operand and the value loaded") \
	X(ST,            "%s + f64.store of the result") \
	X(ST_RI,         "%s with a constant second operand + f64.store of the result") \
	X(ST_RI_L,       "%s with a constant second operand + local.tee + f64.store of the result") \
	X(MUL_ST,        "mul + %s of the product and another operand + f64.store") \
	X(MUL_R_ST,      "mul + %s of another operand from the product + f64.store") \
	X(ADD,           "i32.add + %s at the sum") \
	X(ADDI,          "i32.add of a constant + %s at the sum") \
	X(I,             "%s of a constant") \
	X(IADD,          "i32.add + %s of a constant at the sum") \
	X(IADDI,         "i32.add of a constant + %s of a constant at the sum") \
	X(ADD_BR_BK,     "i32.add + %s of the sum + backward br_if") \
	X(ADD_BR_RI_BK,  "i32.add + %s of the sum and a constant + backward br_if") \
	X(ADDI_BR_BK,    "i32.add of a constant + %s of the sum + backward br_if") \
	X(ADDI_BR_RI_BK, "i32.add of a constant + %s of the sum and a constant + backward br_if") \
	X(MEM,           "%s of a memory the instruction names (any but a 32-bit memory 0)") \
	X(T64,           "%s through a 64-bit table (an i64 index)") \
	X(TBL_ADDI,      "i32.add of a constant + %s on the sum") \
	X(TBL_LD8,       "i32.load8_u + %s on the value loaded") \
	X(TBL_LD8_ADDI,  "i32.add of a constant + i32.load8_u at the sum + %s on the value loaded") \
	X(TBL_SXI,       "i32.shl by a constant + i32.add of a constant + i32.load at the sum + %s on the value loaded") \
	X(ANDI_BR,       "i32.and with a constant + %s of the result (and another operand) + br_if (or if)") \
	X(ANDI_BR_NOT,   "i32.and with a constant + a branch taken when %s of the result is false") \
	X(LD,            "i32.load + %s at the address loaded (a pointer followed)") \
	X(SXA,           "i32.and + i32.shl by a constant + i32.add + %s at the sum (a masked, scaled index)") \
	X(LD_Z,          "%s into a temporary + a branch taken when the value loaded is zero") \
	X(LD_NZ,         "%s into a temporary + a branch taken when the value loaded is not zero") \
	X(ADD2,          "i32.add + i32.add of the sum and another operand + %s at the second sum") \
	X(MULI,          "i32.mul by a constant + %s of the product and another operand") \
	X(TBL_SXI_K,     "a constant copied to a slot + i32.shl by a constant + i32.add of a constant + i32.load at the sum + %s on the value loaded")

/*
 * Every operation. WASM rows are WebAssembly instructions taken as they
 * are, operands in slots; the rest are forms the compiler's peepholes
 * choose (compile.c): immediates, compare-and-branch, address arithmetic
 * folded into loads and stores, multiply-add, and so on.
 */
#define VM_OPS(X) \
	/* ---- integer arithmetic, register and immediate forms ---- */ \
	X(I32_ADD,                        "d|a b|-",           WASM,           I32_ADD) \
	X(I32_ADD_RI,                     "d|a imm",           RI,             I32_ADD) \
	/* d = a + k, then e = b + k' (a loop's pointer bumps) */ \
	X(I32_ADD_RI2,                    "d|a e|b k|k",       RI2,            I32_ADD) \
	/* d = a + b, then e = c + x (a sum of three, two sums in a row) */ \
	X(I32_ADD2,                       "d|a b|c e|x",       PAIR,           I32_ADD) \
	/* d = a + b, then e = c + k (in order) */ \
	X(I32_ADD_ADDI,                   "d|a b|c e|k",       PAIR_RI,        I32_ADD) \
	/* d = c + (a & b), c + (a ^ b), c + (~a & b): a sum of a bitwise
	 * operation's result (sha256's rounds and message schedule) */ \
	X(I32_ADD_AND,                    "d|a b|c",           AND,            I32_ADD) \
	X(I32_ADD_XOR,                    "d|a b|c",           XOR,            I32_ADD) \
	X(I32_ADD_ANDN,                   "d|a b|c",           ANDN_ADD,       I32_ADD) \
	/* d = ~a & b (an and with a value xored with -1 just before) */ \
	X(I32_ANDN,                       "d|a b|-",           ANDN,           I32_AND) \
	X(I32_SUB,                        "d|a b|-",           WASM,           I32_SUB) \
	X(I32_SUB_RI,                     "d|a imm",           RI,             I32_SUB) \
	X(I32_MUL,                        "d|a b|-",           WASM,           I32_MUL) \
	X(I32_MUL_RI,                     "d|a imm",           RI,             I32_MUL) \
	/* d = a * k + b, the product a temporary (an element of an array of \
	 * structs: base + i * size) */ \
	X(I32_MULADD_RI,                  "d|a imm b|-",       MULI,           I32_ADD) \
	X(I32_DIV_S,                      "d|a b|-",           WASM,           I32_DIV_S) \
	X(I32_DIV_S_RI,                   "d|a imm",           RI,             I32_DIV_S) \
	X(I32_DIV_U,                      "d|a b|-",           WASM,           I32_DIV_U) \
	X(I32_DIV_U_RI,                   "d|a imm",           RI,             I32_DIV_U) \
	X(I32_REM_S,                      "d|a b|-",           WASM,           I32_REM_S) \
	X(I32_REM_S_RI,                   "d|a imm",           RI,             I32_REM_S) \
	X(I32_REM_U,                      "d|a b|-",           WASM,           I32_REM_U) \
	X(I32_REM_U_RI,                   "d|a imm",           RI,             I32_REM_U) \
	X(I32_AND,                        "d|a b|-",           WASM,           I32_AND) \
	X(I32_AND_RI,                     "d|a imm",           RI,             I32_AND) \
	X(I32_OR,                         "d|a b|-",           WASM,           I32_OR) \
	X(I32_OR_RI,                      "d|a imm",           RI,             I32_OR) \
	X(I32_XOR,                        "d|a b|-",           WASM,           I32_XOR) \
	X(I32_XOR_RI,                     "d|a imm",           RI,             I32_XOR) \
	X(I32_XOR_ROTL,                   "d|a x|l",           ROT,            I32_XOR) \
	/* rotl(a, k) ^ rotl(x, l), both rotated values temporaries (a hash's sigma) */ \
	X(I32_XOR_ROTL2,                  "d|a x|l k|-",       ROT2,           I32_XOR) \
	/* d = rotl(a, k) ^ rotl(x, l) ^ rotl(y, m) (sha256's Sigma) */ \
	X(I32_XOR_ROTL3,                  "d|a x|l k|y m|-",   ROT3,           I32_XOR) \
	X(I32_SHL,                        "d|a b|-",           WASM,           I32_SHL) \
	X(I32_SHL_RI,                     "d|a imm",           RI,             I32_SHL) \
	X(I32_SHR_S,                      "d|a b|-",           WASM,           I32_SHR_S) \
	X(I32_SHR_S_RI,                   "d|a imm",           RI,             I32_SHR_S) \
	X(I32_SHR_U,                      "d|a b|-",           WASM,           I32_SHR_U) \
	X(I32_SHR_U_RI,                   "d|a imm",           RI,             I32_SHR_U) \
	X(I32_ROTL,                       "d|a b|-",           WASM,           I32_ROTL) \
	X(I32_ROTL_RI,                    "d|a imm",           RI,             I32_ROTL) \
	X(I32_ROTR,                       "d|a b|-",           WASM,           I32_ROTR) \
	X(I32_ROTR_RI,                    "d|a imm",           RI,             I32_ROTR) \
	X(I64_ADD,                        "d|a b|-",           WASM,           I64_ADD) \
	X(I64_ADD_RI,                     "d|a imm",           RI,             I64_ADD) \
	X(I64_SUB,                        "d|a b|-",           WASM,           I64_SUB) \
	X(I64_SUB_RI,                     "d|a imm",           RI,             I64_SUB) \
	X(I64_MUL,                        "d|a b|-",           WASM,           I64_MUL) \
	X(I64_MUL_RI,                     "d|a imm",           RI,             I64_MUL) \
	X(I64_DIV_S,                      "d|a b|-",           WASM,           I64_DIV_S) \
	X(I64_DIV_S_RI,                   "d|a imm",           RI,             I64_DIV_S) \
	X(I64_DIV_U,                      "d|a b|-",           WASM,           I64_DIV_U) \
	X(I64_DIV_U_RI,                   "d|a imm",           RI,             I64_DIV_U) \
	X(I64_REM_S,                      "d|a b|-",           WASM,           I64_REM_S) \
	X(I64_REM_S_RI,                   "d|a imm",           RI,             I64_REM_S) \
	X(I64_REM_U,                      "d|a b|-",           WASM,           I64_REM_U) \
	X(I64_REM_U_RI,                   "d|a imm",           RI,             I64_REM_U) \
	X(I64_AND,                        "d|a b|-",           WASM,           I64_AND) \
	X(I64_AND_RI,                     "d|a imm",           RI,             I64_AND) \
	X(I64_OR,                         "d|a b|-",           WASM,           I64_OR) \
	X(I64_OR_RI,                      "d|a imm",           RI,             I64_OR) \
	X(I64_XOR,                        "d|a b|-",           WASM,           I64_XOR) \
	X(I64_XOR_RI,                     "d|a imm",           RI,             I64_XOR) \
	X(I64_SHL,                        "d|a b|-",           WASM,           I64_SHL) \
	X(I64_SHL_RI,                     "d|a imm",           RI,             I64_SHL) \
	X(I64_SHR_S,                      "d|a b|-",           WASM,           I64_SHR_S) \
	X(I64_SHR_S_RI,                   "d|a imm",           RI,             I64_SHR_S) \
	X(I64_SHR_U,                      "d|a b|-",           WASM,           I64_SHR_U) \
	X(I64_SHR_U_RI,                   "d|a imm",           RI,             I64_SHR_U) \
	X(I64_ROTL,                       "d|a b|-",           WASM,           I64_ROTL) \
	X(I64_ROTL_RI,                    "d|a imm",           RI,             I64_ROTL) \
	X(I64_ROTR,                       "d|a b|-",           WASM,           I64_ROTR) \
	X(I64_ROTR_RI,                    "d|a imm",           RI,             I64_ROTR) \
	/* ---- integer comparisons, and compare-and-branch ---- */ \
	X(I32_EQ,                         "d|a b|-",           WASM,           I32_EQ) \
	X(I32_EQ_RI,                      "d|a imm",           RI,             I32_EQ) \
	X(BR_I32_EQ,                      "a|b tgt",           BR,             I32_EQ) \
	X(BR_I32_EQ_BK,                   "a|b tgt cst",       BR_BK,          I32_EQ) \
	X(BR_I32_EQ_RI,                   "a|- imm tgt",       BR_RI,          I32_EQ) \
	X(BR_I32_EQ_RI_BK,                "a|- imm tgt cst",   BR_RI_BK,       I32_EQ) \
	X(I32_NE,                         "d|a b|-",           WASM,           I32_NE) \
	X(I32_NE_RI,                      "d|a imm",           RI,             I32_NE) \
	X(BR_I32_NE,                      "a|b tgt",           BR,             I32_NE) \
	X(BR_I32_NE_BK,                   "a|b tgt cst",       BR_BK,          I32_NE) \
	X(BR_I32_NE_RI,                   "a|- imm tgt",       BR_RI,          I32_NE) \
	X(BR_I32_NE_RI_BK,                "a|- imm tgt cst",   BR_RI_BK,       I32_NE) \
	X(I32_LT_S,                       "d|a b|-",           WASM,           I32_LT_S) \
	X(I32_LT_S_RI,                    "d|a imm",           RI,             I32_LT_S) \
	X(BR_I32_LT_S,                    "a|b tgt",           BR,             I32_LT_S) \
	X(BR_I32_LT_S_BK,                 "a|b tgt cst",       BR_BK,          I32_LT_S) \
	X(BR_I32_LT_S_RI,                 "a|- imm tgt",       BR_RI,          I32_LT_S) \
	X(BR_I32_LT_S_RI_BK,              "a|- imm tgt cst",   BR_RI_BK,       I32_LT_S) \
	X(I32_LT_U,                       "d|a b|-",           WASM,           I32_LT_U) \
	X(I32_LT_U_RI,                    "d|a imm",           RI,             I32_LT_U) \
	X(BR_I32_LT_U,                    "a|b tgt",           BR,             I32_LT_U) \
	X(BR_I32_LT_U_BK,                 "a|b tgt cst",       BR_BK,          I32_LT_U) \
	X(BR_I32_LT_U_RI,                 "a|- imm tgt",       BR_RI,          I32_LT_U) \
	X(BR_I32_LT_U_RI_BK,              "a|- imm tgt cst",   BR_RI_BK,       I32_LT_U) \
	X(I32_GT_S,                       "d|a b|-",           WASM,           I32_GT_S) \
	X(I32_GT_S_RI,                    "d|a imm",           RI,             I32_GT_S) \
	X(BR_I32_GT_S,                    "a|b tgt",           BR,             I32_GT_S) \
	X(BR_I32_GT_S_BK,                 "a|b tgt cst",       BR_BK,          I32_GT_S) \
	X(BR_I32_GT_S_RI,                 "a|- imm tgt",       BR_RI,          I32_GT_S) \
	X(BR_I32_GT_S_RI_BK,              "a|- imm tgt cst",   BR_RI_BK,       I32_GT_S) \
	X(I32_GT_U,                       "d|a b|-",           WASM,           I32_GT_U) \
	X(I32_GT_U_RI,                    "d|a imm",           RI,             I32_GT_U) \
	X(BR_I32_GT_U,                    "a|b tgt",           BR,             I32_GT_U) \
	X(BR_I32_GT_U_BK,                 "a|b tgt cst",       BR_BK,          I32_GT_U) \
	X(BR_I32_GT_U_RI,                 "a|- imm tgt",       BR_RI,          I32_GT_U) \
	/* a >u k or b >u k' (two range checks to one label) */ \
	X(BR_I32_GT_U_RI2,                "a|b k|k tgt",       BR_RI2,         I32_GT_U) \
	X(BR_I32_GT_U_RI_BK,              "a|- imm tgt cst",   BR_RI_BK,       I32_GT_U) \
	X(I32_LE_S,                       "d|a b|-",           WASM,           I32_LE_S) \
	X(I32_LE_S_RI,                    "d|a imm",           RI,             I32_LE_S) \
	X(BR_I32_LE_S,                    "a|b tgt",           BR,             I32_LE_S) \
	X(BR_I32_LE_S_BK,                 "a|b tgt cst",       BR_BK,          I32_LE_S) \
	X(BR_I32_LE_S_RI,                 "a|- imm tgt",       BR_RI,          I32_LE_S) \
	X(BR_I32_LE_S_RI_BK,              "a|- imm tgt cst",   BR_RI_BK,       I32_LE_S) \
	X(I32_LE_U,                       "d|a b|-",           WASM,           I32_LE_U) \
	X(I32_LE_U_RI,                    "d|a imm",           RI,             I32_LE_U) \
	X(BR_I32_LE_U,                    "a|b tgt",           BR,             I32_LE_U) \
	X(BR_I32_LE_U_BK,                 "a|b tgt cst",       BR_BK,          I32_LE_U) \
	X(BR_I32_LE_U_RI,                 "a|- imm tgt",       BR_RI,          I32_LE_U) \
	X(BR_I32_LE_U_RI_BK,              "a|- imm tgt cst",   BR_RI_BK,       I32_LE_U) \
	X(I32_GE_S,                       "d|a b|-",           WASM,           I32_GE_S) \
	X(I32_GE_S_RI,                    "d|a imm",           RI,             I32_GE_S) \
	X(BR_I32_GE_S,                    "a|b tgt",           BR,             I32_GE_S) \
	X(BR_I32_GE_S_BK,                 "a|b tgt cst",       BR_BK,          I32_GE_S) \
	X(BR_I32_GE_S_RI,                 "a|- imm tgt",       BR_RI,          I32_GE_S) \
	X(BR_I32_GE_S_RI_BK,              "a|- imm tgt cst",   BR_RI_BK,       I32_GE_S) \
	X(I32_GE_U,                       "d|a b|-",           WASM,           I32_GE_U) \
	X(I32_GE_U_RI,                    "d|a imm",           RI,             I32_GE_U) \
	X(BR_I32_GE_U,                    "a|b tgt",           BR,             I32_GE_U) \
	X(BR_I32_GE_U_BK,                 "a|b tgt cst",       BR_BK,          I32_GE_U) \
	X(BR_I32_GE_U_RI,                 "a|- imm tgt",       BR_RI,          I32_GE_U) \
	X(BR_I32_GE_U_RI_BK,              "a|- imm tgt cst",   BR_RI_BK,       I32_GE_U) \
	/* a copy d = a (a loop variable's phi), then a backward branch on b ? c */ \
	X(MOV_BR_I32_EQ_BK,               "d|a b|c tgt cst",   MOV_BR_BK,      I32_EQ) \
	X(MOV_BR_I32_NE_BK,               "d|a b|c tgt cst",   MOV_BR_BK,      I32_NE) \
	X(MOV_BR_I32_LT_S_BK,             "d|a b|c tgt cst",   MOV_BR_BK,      I32_LT_S) \
	X(MOV_BR_I32_LT_U_BK,             "d|a b|c tgt cst",   MOV_BR_BK,      I32_LT_U) \
	X(MOV_BR_I32_GT_S_BK,             "d|a b|c tgt cst",   MOV_BR_BK,      I32_GT_S) \
	X(MOV_BR_I32_GT_U_BK,             "d|a b|c tgt cst",   MOV_BR_BK,      I32_GT_U) \
	X(MOV_BR_I32_LE_S_BK,             "d|a b|c tgt cst",   MOV_BR_BK,      I32_LE_S) \
	X(MOV_BR_I32_LE_U_BK,             "d|a b|c tgt cst",   MOV_BR_BK,      I32_LE_U) \
	X(MOV_BR_I32_GE_S_BK,             "d|a b|c tgt cst",   MOV_BR_BK,      I32_GE_S) \
	X(MOV_BR_I32_GE_U_BK,             "d|a b|c tgt cst",   MOV_BR_BK,      I32_GE_U) \
	/* ---- i32 compare-and-branch on a value an i32.load just loaded, \
	 * forward only (a relaxed row, a search): a CMP m, m loaded from p + off, \
	 * or from s + o after s = a + k ---- */ \
	X(BR_I32_EQ_M,                    "a|p off tgt",       BR_M,           I32_EQ) \
	X(BR_I32_NE_M,                    "a|p off tgt",       BR_M,           I32_NE) \
	X(BR_I32_LT_S_M,                  "a|p off tgt",       BR_M,           I32_LT_S) \
	X(BR_I32_LT_U_M,                  "a|p off tgt",       BR_M,           I32_LT_U) \
	X(BR_I32_GT_S_M,                  "a|p off tgt",       BR_M,           I32_GT_S) \
	X(BR_I32_GT_U_M,                  "a|p off tgt",       BR_M,           I32_GT_U) \
	X(BR_I32_LE_S_M,                  "a|p off tgt",       BR_M,           I32_LE_S) \
	X(BR_I32_LE_U_M,                  "a|p off tgt",       BR_M,           I32_LE_U) \
	X(BR_I32_GE_S_M,                  "a|p off tgt",       BR_M,           I32_GE_S) \
	X(BR_I32_GE_U_M,                  "a|p off tgt",       BR_M,           I32_GE_U) \
	X(BR_I32_EQ_MAI,                  "s|a k|o b|- tgt",   BR_MAI,         I32_EQ) \
	X(BR_I32_NE_MAI,                  "s|a k|o b|- tgt",   BR_MAI,         I32_NE) \
	X(BR_I32_LT_S_MAI,                "s|a k|o b|- tgt",   BR_MAI,         I32_LT_S) \
	X(BR_I32_LT_U_MAI,                "s|a k|o b|- tgt",   BR_MAI,         I32_LT_U) \
	X(BR_I32_GT_S_MAI,                "s|a k|o b|- tgt",   BR_MAI,         I32_GT_S) \
	X(BR_I32_GT_U_MAI,                "s|a k|o b|- tgt",   BR_MAI,         I32_GT_U) \
	X(BR_I32_LE_S_MAI,                "s|a k|o b|- tgt",   BR_MAI,         I32_LE_S) \
	X(BR_I32_LE_U_MAI,                "s|a k|o b|- tgt",   BR_MAI,         I32_LE_U) \
	X(BR_I32_GE_S_MAI,                "s|a k|o b|- tgt",   BR_MAI,         I32_GE_S) \
	X(BR_I32_GE_U_MAI,                "s|a k|o b|- tgt",   BR_MAI,         I32_GE_U) \
	X(I64_EQ,                         "d|a b|-",           WASM,           I64_EQ) \
	X(I64_EQ_RI,                      "d|a imm",           RI,             I64_EQ) \
	X(BR_I64_EQ,                      "a|b tgt",           BR,             I64_EQ) \
	X(BR_I64_EQ_BK,                   "a|b tgt cst",       BR_BK,          I64_EQ) \
	X(BR_I64_EQ_RI,                   "a|- imm tgt",       BR_RI,          I64_EQ) \
	X(BR_I64_EQ_RI_BK,                "a|- imm tgt cst",   BR_RI_BK,       I64_EQ) \
	X(I64_NE,                         "d|a b|-",           WASM,           I64_NE) \
	X(I64_NE_RI,                      "d|a imm",           RI,             I64_NE) \
	X(BR_I64_NE,                      "a|b tgt",           BR,             I64_NE) \
	X(BR_I64_NE_BK,                   "a|b tgt cst",       BR_BK,          I64_NE) \
	X(BR_I64_NE_RI,                   "a|- imm tgt",       BR_RI,          I64_NE) \
	X(BR_I64_NE_RI_BK,                "a|- imm tgt cst",   BR_RI_BK,       I64_NE) \
	X(I64_LT_S,                       "d|a b|-",           WASM,           I64_LT_S) \
	X(I64_LT_S_RI,                    "d|a imm",           RI,             I64_LT_S) \
	X(BR_I64_LT_S,                    "a|b tgt",           BR,             I64_LT_S) \
	X(BR_I64_LT_S_BK,                 "a|b tgt cst",       BR_BK,          I64_LT_S) \
	X(BR_I64_LT_S_RI,                 "a|- imm tgt",       BR_RI,          I64_LT_S) \
	X(BR_I64_LT_S_RI_BK,              "a|- imm tgt cst",   BR_RI_BK,       I64_LT_S) \
	X(I64_LT_U,                       "d|a b|-",           WASM,           I64_LT_U) \
	X(I64_LT_U_RI,                    "d|a imm",           RI,             I64_LT_U) \
	X(BR_I64_LT_U,                    "a|b tgt",           BR,             I64_LT_U) \
	X(BR_I64_LT_U_BK,                 "a|b tgt cst",       BR_BK,          I64_LT_U) \
	X(BR_I64_LT_U_RI,                 "a|- imm tgt",       BR_RI,          I64_LT_U) \
	X(BR_I64_LT_U_RI_BK,              "a|- imm tgt cst",   BR_RI_BK,       I64_LT_U) \
	X(I64_GT_S,                       "d|a b|-",           WASM,           I64_GT_S) \
	X(I64_GT_S_RI,                    "d|a imm",           RI,             I64_GT_S) \
	X(BR_I64_GT_S,                    "a|b tgt",           BR,             I64_GT_S) \
	X(BR_I64_GT_S_BK,                 "a|b tgt cst",       BR_BK,          I64_GT_S) \
	X(BR_I64_GT_S_RI,                 "a|- imm tgt",       BR_RI,          I64_GT_S) \
	X(BR_I64_GT_S_RI_BK,              "a|- imm tgt cst",   BR_RI_BK,       I64_GT_S) \
	X(I64_GT_U,                       "d|a b|-",           WASM,           I64_GT_U) \
	X(I64_GT_U_RI,                    "d|a imm",           RI,             I64_GT_U) \
	X(BR_I64_GT_U,                    "a|b tgt",           BR,             I64_GT_U) \
	X(BR_I64_GT_U_BK,                 "a|b tgt cst",       BR_BK,          I64_GT_U) \
	X(BR_I64_GT_U_RI,                 "a|- imm tgt",       BR_RI,          I64_GT_U) \
	X(BR_I64_GT_U_RI_BK,              "a|- imm tgt cst",   BR_RI_BK,       I64_GT_U) \
	X(I64_LE_S,                       "d|a b|-",           WASM,           I64_LE_S) \
	X(I64_LE_S_RI,                    "d|a imm",           RI,             I64_LE_S) \
	X(BR_I64_LE_S,                    "a|b tgt",           BR,             I64_LE_S) \
	X(BR_I64_LE_S_BK,                 "a|b tgt cst",       BR_BK,          I64_LE_S) \
	X(BR_I64_LE_S_RI,                 "a|- imm tgt",       BR_RI,          I64_LE_S) \
	X(BR_I64_LE_S_RI_BK,              "a|- imm tgt cst",   BR_RI_BK,       I64_LE_S) \
	X(I64_LE_U,                       "d|a b|-",           WASM,           I64_LE_U) \
	X(I64_LE_U_RI,                    "d|a imm",           RI,             I64_LE_U) \
	X(BR_I64_LE_U,                    "a|b tgt",           BR,             I64_LE_U) \
	X(BR_I64_LE_U_BK,                 "a|b tgt cst",       BR_BK,          I64_LE_U) \
	X(BR_I64_LE_U_RI,                 "a|- imm tgt",       BR_RI,          I64_LE_U) \
	X(BR_I64_LE_U_RI_BK,              "a|- imm tgt cst",   BR_RI_BK,       I64_LE_U) \
	X(I64_GE_S,                       "d|a b|-",           WASM,           I64_GE_S) \
	X(I64_GE_S_RI,                    "d|a imm",           RI,             I64_GE_S) \
	X(BR_I64_GE_S,                    "a|b tgt",           BR,             I64_GE_S) \
	X(BR_I64_GE_S_BK,                 "a|b tgt cst",       BR_BK,          I64_GE_S) \
	X(BR_I64_GE_S_RI,                 "a|- imm tgt",       BR_RI,          I64_GE_S) \
	X(BR_I64_GE_S_RI_BK,              "a|- imm tgt cst",   BR_RI_BK,       I64_GE_S) \
	X(I64_GE_U,                       "d|a b|-",           WASM,           I64_GE_U) \
	X(I64_GE_U_RI,                    "d|a imm",           RI,             I64_GE_U) \
	X(BR_I64_GE_U,                    "a|b tgt",           BR,             I64_GE_U) \
	X(BR_I64_GE_U_BK,                 "a|b tgt cst",       BR_BK,          I64_GE_U) \
	X(BR_I64_GE_U_RI,                 "a|- imm tgt",       BR_RI,          I64_GE_U) \
	X(BR_I64_GE_U_RI_BK,              "a|- imm tgt cst",   BR_RI_BK,       I64_GE_U) \
	/* ---- float comparisons, min, max and copysign ---- */ \
	X(F32_EQ,                         "d|a b|-",           WASM,           F32_EQ) \
	X(F32_NE,                         "d|a b|-",           WASM,           F32_NE) \
	X(F32_LT,                         "d|a b|-",           WASM,           F32_LT) \
	X(F32_GT,                         "d|a b|-",           WASM,           F32_GT) \
	X(F32_LE,                         "d|a b|-",           WASM,           F32_LE) \
	X(F32_GE,                         "d|a b|-",           WASM,           F32_GE) \
	X(F64_EQ,                         "d|a b|-",           WASM,           F64_EQ) \
	X(F64_NE,                         "d|a b|-",           WASM,           F64_NE) \
	X(F64_LT,                         "d|a b|-",           WASM,           F64_LT) \
	X(F64_GT,                         "d|a b|-",           WASM,           F64_GT) \
	X(F64_LE,                         "d|a b|-",           WASM,           F64_LE) \
	X(F64_GE,                         "d|a b|-",           WASM,           F64_GE) \
	X(F32_MIN,                        "d|a b|-",           WASM,           F32_MIN) \
	X(F32_MAX,                        "d|a b|-",           WASM,           F32_MAX) \
	X(F32_COPYSIGN,                   "d|a b|-",           WASM,           F32_COPYSIGN) \
	X(F64_MIN,                        "d|a b|-",           WASM,           F64_MIN) \
	X(F64_MAX,                        "d|a b|-",           WASM,           F64_MAX) \
	X(F64_COPYSIGN,                   "d|a b|-",           WASM,           F64_COPYSIGN) \
	/* ---- float arithmetic, register and immediate forms ---- */ \
	X(F32_ADD,                        "d|a b|-",           WASM,           F32_ADD) \
	X(F32_ADD_RI,                     "d|a imm",           RI,             F32_ADD) \
	X(F32_SUB,                        "d|a b|-",           WASM,           F32_SUB) \
	X(F32_SUB_RI,                     "d|a imm",           RI,             F32_SUB) \
	X(F32_MUL,                        "d|a b|-",           WASM,           F32_MUL) \
	X(F32_MUL_RI,                     "d|a imm",           RI,             F32_MUL) \
	X(F32_DIV,                        "d|a b|-",           WASM,           F32_DIV) \
	X(F32_DIV_RI,                     "d|a imm",           RI,             F32_DIV) \
	X(F64_ADD,                        "d|a b|-",           WASM,           F64_ADD) \
	X(F64_ADD_RI,                     "d|a imm",           RI,             F64_ADD) \
	X(F64_SUB,                        "d|a b|-",           WASM,           F64_SUB) \
	X(F64_SUB_RI,                     "d|a imm",           RI,             F64_SUB) \
	X(F64_MUL,                        "d|a b|-",           WASM,           F64_MUL) \
	X(F64_MUL_RI,                     "d|a imm",           RI,             F64_MUL) \
	X(F64_DIV,                        "d|a b|-",           WASM,           F64_DIV) \
	X(F64_DIV_RI,                     "d|a imm",           RI,             F64_DIV) \
	/* ---- unary operators and conversions ---- */ \
	X(I32_EQZ,                        "d|a",               WASM,           I32_EQZ) \
	X(I64_EQZ,                        "d|a",               WASM,           I64_EQZ) \
	X(I32_CLZ,                        "d|a",               WASM,           I32_CLZ) \
	X(I32_CTZ,                        "d|a",               WASM,           I32_CTZ) \
	X(I32_POPCNT,                     "d|a",               WASM,           I32_POPCNT) \
	X(I64_CLZ,                        "d|a",               WASM,           I64_CLZ) \
	X(I64_CTZ,                        "d|a",               WASM,           I64_CTZ) \
	X(I64_POPCNT,                     "d|a",               WASM,           I64_POPCNT) \
	X(F32_ABS,                        "d|a",               WASM,           F32_ABS) \
	X(F32_NEG,                        "d|a",               WASM,           F32_NEG) \
	X(F32_CEIL,                       "d|a",               WASM,           F32_CEIL) \
	X(F32_FLOOR,                      "d|a",               WASM,           F32_FLOOR) \
	X(F32_TRUNC,                      "d|a",               WASM,           F32_TRUNC) \
	X(F32_NEAREST,                    "d|a",               WASM,           F32_NEAREST) \
	X(F32_SQRT,                       "d|a",               WASM,           F32_SQRT) \
	X(F64_ABS,                        "d|a",               WASM,           F64_ABS) \
	X(F64_NEG,                        "d|a",               WASM,           F64_NEG) \
	X(F64_CEIL,                       "d|a",               WASM,           F64_CEIL) \
	X(F64_FLOOR,                      "d|a",               WASM,           F64_FLOOR) \
	X(F64_TRUNC,                      "d|a",               WASM,           F64_TRUNC) \
	X(F64_NEAREST,                    "d|a",               WASM,           F64_NEAREST) \
	X(F64_SQRT,                       "d|a",               WASM,           F64_SQRT) \
	X(I32_WRAP_I64,                   "d|a",               WASM,           I32_WRAP_I64) \
	X(I32_TRUNC_F32_S,                "d|a",               WASM,           I32_TRUNC_F32_S) \
	X(I32_TRUNC_F32_U,                "d|a",               WASM,           I32_TRUNC_F32_U) \
	X(I32_TRUNC_F64_S,                "d|a",               WASM,           I32_TRUNC_F64_S) \
	X(I32_TRUNC_F64_U,                "d|a",               WASM,           I32_TRUNC_F64_U) \
	X(I64_EXTEND_I32_S,               "d|a",               WASM,           I64_EXTEND_I32_S) \
	X(I64_EXTEND_I32_U,               "d|a",               WASM,           I64_EXTEND_I32_U) \
	X(I64_TRUNC_F32_S,                "d|a",               WASM,           I64_TRUNC_F32_S) \
	X(I64_TRUNC_F32_U,                "d|a",               WASM,           I64_TRUNC_F32_U) \
	X(I64_TRUNC_F64_S,                "d|a",               WASM,           I64_TRUNC_F64_S) \
	X(I64_TRUNC_F64_U,                "d|a",               WASM,           I64_TRUNC_F64_U) \
	X(F32_CONVERT_I32_S,              "d|a",               WASM,           F32_CONVERT_I32_S) \
	X(F32_CONVERT_I32_U,              "d|a",               WASM,           F32_CONVERT_I32_U) \
	X(F32_CONVERT_I64_S,              "d|a",               WASM,           F32_CONVERT_I64_S) \
	X(F32_CONVERT_I64_U,              "d|a",               WASM,           F32_CONVERT_I64_U) \
	X(F32_DEMOTE_F64,                 "d|a",               WASM,           F32_DEMOTE_F64) \
	X(F64_CONVERT_I32_S,              "d|a",               WASM,           F64_CONVERT_I32_S) \
	X(F64_CONVERT_I32_U,              "d|a",               WASM,           F64_CONVERT_I32_U) \
	X(F64_CONVERT_I64_S,              "d|a",               WASM,           F64_CONVERT_I64_S) \
	X(F64_CONVERT_I64_U,              "d|a",               WASM,           F64_CONVERT_I64_U) \
	X(F64_PROMOTE_F32,                "d|a",               WASM,           F64_PROMOTE_F32) \
	X(I32_REINTERPRET_F32,            "d|a",               WASM,           I32_REINTERPRET_F32) \
	X(I64_REINTERPRET_F64,            "d|a",               WASM,           I64_REINTERPRET_F64) \
	X(F32_REINTERPRET_I32,            "d|a",               WASM,           F32_REINTERPRET_I32) \
	X(F64_REINTERPRET_I64,            "d|a",               WASM,           F64_REINTERPRET_I64) \
	X(I32_EXTEND8_S,                  "d|a",               WASM,           I32_EXTEND8_S) \
	X(I32_EXTEND16_S,                 "d|a",               WASM,           I32_EXTEND16_S) \
	X(I64_EXTEND8_S,                  "d|a",               WASM,           I64_EXTEND8_S) \
	X(I64_EXTEND16_S,                 "d|a",               WASM,           I64_EXTEND16_S) \
	X(I64_EXTEND32_S,                 "d|a",               WASM,           I64_EXTEND32_S) \
	X(I32_TRUNC_SAT_F32_S,            "d|a",               WASM,           I32_TRUNC_SAT_F32_S) \
	X(I32_TRUNC_SAT_F32_U,            "d|a",               WASM,           I32_TRUNC_SAT_F32_U) \
	X(I32_TRUNC_SAT_F64_S,            "d|a",               WASM,           I32_TRUNC_SAT_F64_S) \
	X(I32_TRUNC_SAT_F64_U,            "d|a",               WASM,           I32_TRUNC_SAT_F64_U) \
	X(I64_TRUNC_SAT_F32_S,            "d|a",               WASM,           I64_TRUNC_SAT_F32_S) \
	X(I64_TRUNC_SAT_F32_U,            "d|a",               WASM,           I64_TRUNC_SAT_F32_U) \
	X(I64_TRUNC_SAT_F64_S,            "d|a",               WASM,           I64_TRUNC_SAT_F64_S) \
	X(I64_TRUNC_SAT_F64_U,            "d|a",               WASM,           I64_TRUNC_SAT_F64_U) \
	X(REF_IS_NULL,                    "d|a",               WASM,           REF_IS_NULL) \
	/* ---- loads, alone or with the i32.add that computed the address ---- */ \
	X(I32_LOAD,                       "d|p off",           WASM,           I32_LOAD) \
	X(I32_LOAD_ADD,                   "s|a b|o d|-",       ADD,            I32_LOAD) \
	X(I32_LOAD_ADDI,                  "s|a k|o d|-",       ADDI,           I32_LOAD) \
	X(I64_LOAD,                       "d|p off",           WASM,           I64_LOAD) \
	X(I64_LOAD_ADD,                   "s|a b|o d|-",       ADD,            I64_LOAD) \
	X(I64_LOAD_ADDI,                  "s|a k|o d|-",       ADDI,           I64_LOAD) \
	X(F32_LOAD,                       "d|p off",           WASM,           F32_LOAD) \
	X(F32_LOAD_ADD,                   "s|a b|o d|-",       ADD,            F32_LOAD) \
	X(F32_LOAD_ADDI,                  "s|a k|o d|-",       ADDI,           F32_LOAD) \
	X(F64_LOAD,                       "d|p off",           WASM,           F64_LOAD) \
	X(F64_LOAD_ADD,                   "s|a b|o d|-",       ADD,            F64_LOAD) \
	X(F64_LOAD_ADDI,                  "s|a k|o d|-",       ADDI,           F64_LOAD) \
	/* a load from a + (x << sh) (or k + (x << sh)) + o, the shift and the \
	 * sum temporaries that are not kept */ \
	X(I32_LOAD_SX,                    "d|x b|o l|-",       SX,             I32_LOAD) \
	X(I32_LOAD_SXI,                   "d|x k|o l|-",       SXI,            I32_LOAD) \
	X(I32_LOAD8_U_SX,                 "d|x b|o l|-",       SX,             I32_LOAD8_U) \
	X(I32_LOAD8_U_SXI,                "d|x k|o l|-",       SXI,            I32_LOAD8_U) \
	X(I32_LOAD16_U_SX,                "d|x b|o l|-",       SX,             I32_LOAD16_U) \
	X(I32_LOAD16_U_SXI,               "d|x k|o l|-",       SXI,            I32_LOAD16_U) \
	/* ---- s = a + b, e = s + c, then a load from e + o (both sums written: \
	 * locals, a byte of an array at a pointer plus an index) ---- */ \
	X(I32_LOAD8_U_ADD2,               "s|a b|e c|o d|-",   ADD2,           I32_LOAD8_U) \
	/* ---- a load from a + ((x & m) << sh) + o, the and, the shift and the \
	 * sum temporaries that are not kept (a hash chain: prev[h & mask]) ---- */ \
	X(I32_LOAD_SXA,                   "d|x b|o l|c",       SXA,            I32_LOAD) \
	X(I32_LOAD16_U_SXA,               "d|x b|o l|c",       SXA,            I32_LOAD16_U) \
	/* ---- a load from q + o', q an i32 loaded from p + o into a temporary, \
	 * which is not written (p->q->field) ---- */ \
	X(I32_LOAD_LD,                    "d|p o|o",           LD,             I32_LOAD) \
	X(I64_LOAD_LD,                    "d|p o|o",           LD,             I64_LOAD) \
	X(I32_LOAD8_U_LD,                 "d|p o|o",           LD,             I32_LOAD8_U) \
	X(I32_LOAD16_U_LD,                "d|p o|o",           LD,             I32_LOAD16_U) \
	X(I32_LOAD8_S,                    "d|p off",           WASM,           I32_LOAD8_S) \
	X(I32_LOAD8_S_ADD,                "s|a b|o d|-",       ADD,            I32_LOAD8_S) \
	X(I32_LOAD8_S_ADDI,               "s|a k|o d|-",       ADDI,           I32_LOAD8_S) \
	X(I32_LOAD8_U,                    "d|p off",           WASM,           I32_LOAD8_U) \
	X(I32_LOAD8_U_ADD,                "s|a b|o d|-",       ADD,            I32_LOAD8_U) \
	X(I32_LOAD8_U_ADDI,               "s|a k|o d|-",       ADDI,           I32_LOAD8_U) \
	X(I32_LOAD16_S,                   "d|p off",           WASM,           I32_LOAD16_S) \
	X(I32_LOAD16_S_ADD,               "s|a b|o d|-",       ADD,            I32_LOAD16_S) \
	X(I32_LOAD16_S_ADDI,              "s|a k|o d|-",       ADDI,           I32_LOAD16_S) \
	X(I32_LOAD16_U,                   "d|p off",           WASM,           I32_LOAD16_U) \
	X(I32_LOAD16_U_ADD,               "s|a b|o d|-",       ADD,            I32_LOAD16_U) \
	X(I32_LOAD16_U_ADDI,              "s|a k|o d|-",       ADDI,           I32_LOAD16_U) \
	X(I64_LOAD8_S,                    "d|p off",           WASM,           I64_LOAD8_S) \
	X(I64_LOAD8_S_ADD,                "s|a b|o d|-",       ADD,            I64_LOAD8_S) \
	X(I64_LOAD8_S_ADDI,               "s|a k|o d|-",       ADDI,           I64_LOAD8_S) \
	X(I64_LOAD8_U,                    "d|p off",           WASM,           I64_LOAD8_U) \
	X(I64_LOAD8_U_ADD,                "s|a b|o d|-",       ADD,            I64_LOAD8_U) \
	X(I64_LOAD8_U_ADDI,               "s|a k|o d|-",       ADDI,           I64_LOAD8_U) \
	X(I64_LOAD16_S,                   "d|p off",           WASM,           I64_LOAD16_S) \
	X(I64_LOAD16_S_ADD,               "s|a b|o d|-",       ADD,            I64_LOAD16_S) \
	X(I64_LOAD16_S_ADDI,              "s|a k|o d|-",       ADDI,           I64_LOAD16_S) \
	X(I64_LOAD16_U,                   "d|p off",           WASM,           I64_LOAD16_U) \
	X(I64_LOAD16_U_ADD,               "s|a b|o d|-",       ADD,            I64_LOAD16_U) \
	X(I64_LOAD16_U_ADDI,              "s|a k|o d|-",       ADDI,           I64_LOAD16_U) \
	X(I64_LOAD32_S,                   "d|p off",           WASM,           I64_LOAD32_S) \
	X(I64_LOAD32_S_ADD,               "s|a b|o d|-",       ADD,            I64_LOAD32_S) \
	X(I64_LOAD32_S_ADDI,              "s|a k|o d|-",       ADDI,           I64_LOAD32_S) \
	X(I64_LOAD32_U,                   "d|p off",           WASM,           I64_LOAD32_U) \
	X(I64_LOAD32_U_ADD,               "s|a b|o d|-",       ADD,            I64_LOAD32_U) \
	X(I64_LOAD32_U_ADDI,              "s|a k|o d|-",       ADDI,           I64_LOAD32_U) \
	/* ---- stores, also of constants, alone or with the i32.add before them ---- */ \
	X(I32_STORE,                      "v|p off",           WASM,           I32_STORE) \
	X(I32_STORE_I,                    "k|p off",           I,              I32_STORE) \
	X(I32_STORE_ADD,                  "s|a b|o v|-",       ADD,            I32_STORE) \
	X(I32_STORE_ADDI,                 "s|a k|o v|-",       ADDI,           I32_STORE) \
	X(I32_STORE_IADD,                 "s|a b|o k|-",       IADD,           I32_STORE) \
	X(I32_STORE_IADDI,                "s|a k|o k|-",       IADDI,          I32_STORE) \
	X(I64_STORE,                      "v|p off",           WASM,           I64_STORE) \
	X(I64_STORE_I,                    "k|p off",           I,              I64_STORE) \
	X(I64_STORE_ADD,                  "s|a b|o v|-",       ADD,            I64_STORE) \
	X(I64_STORE_ADDI,                 "s|a k|o v|-",       ADDI,           I64_STORE) \
	X(I64_STORE_IADD,                 "s|a b|o k|-",       IADD,           I64_STORE) \
	X(I64_STORE_IADDI,                "s|a k|o k|-",       IADDI,          I64_STORE) \
	X(F32_STORE,                      "v|p off",           WASM,           F32_STORE) \
	X(F32_STORE_I,                    "k|p off",           I,              F32_STORE) \
	X(F32_STORE_ADD,                  "s|a b|o v|-",       ADD,            F32_STORE) \
	X(F32_STORE_ADDI,                 "s|a k|o v|-",       ADDI,           F32_STORE) \
	X(F32_STORE_IADD,                 "s|a b|o k|-",       IADD,           F32_STORE) \
	X(F32_STORE_IADDI,                "s|a k|o k|-",       IADDI,          F32_STORE) \
	X(F64_STORE,                      "v|p off",           WASM,           F64_STORE) \
	X(F64_STORE_I,                    "k|p off",           I,              F64_STORE) \
	X(F64_STORE_ADD,                  "s|a b|o v|-",       ADD,            F64_STORE) \
	X(F64_STORE_ADDI,                 "s|a k|o v|-",       ADDI,           F64_STORE) \
	X(F64_STORE_IADD,                 "s|a b|o k|-",       IADD,           F64_STORE) \
	X(F64_STORE_IADDI,                "s|a k|o k|-",       IADDI,          F64_STORE) \
	X(I32_STORE8,                     "v|p off",           WASM,           I32_STORE8) \
	X(I32_STORE8_I,                   "k|p off",           I,              I32_STORE8) \
	X(I32_STORE8_ADD,                 "s|a b|o v|-",       ADD,            I32_STORE8) \
	X(I32_STORE8_ADDI,                "s|a k|o v|-",       ADDI,           I32_STORE8) \
	X(I32_STORE8_IADD,                "s|a b|o k|-",       IADD,           I32_STORE8) \
	X(I32_STORE8_IADDI,               "s|a k|o k|-",       IADDI,          I32_STORE8) \
	X(I32_STORE16,                    "v|p off",           WASM,           I32_STORE16) \
	X(I32_STORE16_I,                  "k|p off",           I,              I32_STORE16) \
	X(I32_STORE16_ADD,                "s|a b|o v|-",       ADD,            I32_STORE16) \
	X(I32_STORE16_ADDI,               "s|a k|o v|-",       ADDI,           I32_STORE16) \
	X(I32_STORE16_IADD,               "s|a b|o k|-",       IADD,           I32_STORE16) \
	X(I32_STORE16_IADDI,              "s|a k|o k|-",       IADDI,          I32_STORE16) \
	X(I64_STORE8,                     "v|p off",           WASM,           I64_STORE8) \
	X(I64_STORE8_I,                   "k|p off",           I,              I64_STORE8) \
	X(I64_STORE8_ADD,                 "s|a b|o v|-",       ADD,            I64_STORE8) \
	X(I64_STORE8_ADDI,                "s|a k|o v|-",       ADDI,           I64_STORE8) \
	X(I64_STORE8_IADD,                "s|a b|o k|-",       IADD,           I64_STORE8) \
	X(I64_STORE8_IADDI,               "s|a k|o k|-",       IADDI,          I64_STORE8) \
	X(I64_STORE16,                    "v|p off",           WASM,           I64_STORE16) \
	X(I64_STORE16_I,                  "k|p off",           I,              I64_STORE16) \
	X(I64_STORE16_ADD,                "s|a b|o v|-",       ADD,            I64_STORE16) \
	X(I64_STORE16_ADDI,               "s|a k|o v|-",       ADDI,           I64_STORE16) \
	X(I64_STORE16_IADD,               "s|a b|o k|-",       IADD,           I64_STORE16) \
	X(I64_STORE16_IADDI,              "s|a k|o k|-",       IADDI,          I64_STORE16) \
	X(I64_STORE32,                    "v|p off",           WASM,           I64_STORE32) \
	X(I64_STORE32_I,                  "k|p off",           I,              I64_STORE32) \
	X(I64_STORE32_ADD,                "s|a b|o v|-",       ADD,            I64_STORE32) \
	X(I64_STORE32_ADDI,               "s|a k|o v|-",       ADDI,           I64_STORE32) \
	X(I64_STORE32_IADD,               "s|a b|o k|-",       IADD,           I64_STORE32) \
	X(I64_STORE32_IADDI,              "s|a k|o k|-",       IADDI,          I64_STORE32) \
	/* ---- bulk memory and tables, done out of line ---- */ \
	X(MEMORY_GROW,                    "d|a i|-",           WASM,           MEMORY_GROW) \
	X(MEMORY_FILL,                    "a|b c|i",           WASM,           MEMORY_FILL) \
	X(MEMORY_COPY,                    "a|b c|i i|-",       WASM,           MEMORY_COPY) \
	X(MEMORY_INIT,                    "a|b c|i i|-",       WASM,           MEMORY_INIT) \
	X(TABLE_GET,                      "d|a i|-",           WASM,           TABLE_GET) \
	X(TABLE_SET,                      "a|b i|-",           WASM,           TABLE_SET) \
	X(TABLE_GROW,                     "d|a b|i",           WASM,           TABLE_GROW) \
	X(TABLE_FILL,                     "a|b c|i",           WASM,           TABLE_FILL) \
	X(TABLE_COPY,                     "a|b c|i i|-",       WASM,           TABLE_COPY) \
	X(TABLE_INIT,                     "a|b c|i i|-",       WASM,           TABLE_INIT) \
	/* ---- f64 arithmetic stored to memory ---- */ \
	X(F64_ADD_ST,                     "p|a b|- off",       ST,             F64_ADD) \
	X(F64_SUB_ST,                     "p|a b|- off",       ST,             F64_SUB) \
	X(F64_MUL_ST,                     "p|a b|- off",       ST,             F64_MUL) \
	X(F64_MULADD_ST,                  "p|a b|c off",       MUL_ST,         F64_ADD) \
	X(F64_MULSUB_ST,                  "p|a b|c off",       MUL_ST,         F64_SUB) \
	X(F64_MULRSUB_ST,                 "p|a b|c off",       MUL_R_ST,       F64_SUB) \
	/* the same with a constant second operand (a stencil's scaling) */ \
	X(F64_ADD_RI_ST,                  "p|a imm off",       ST_RI,          F64_ADD) \
	X(F64_SUB_RI_ST,                  "p|a imm off",       ST_RI,          F64_SUB) \
	X(F64_MUL_RI_ST,                  "p|a imm off",       ST_RI,          F64_MUL) \
	X(F64_DIV_RI_ST,                  "p|a imm off",       ST_RI,          F64_DIV) \
	X(F64_ADD_RI_STL,                 "p|a imm off d|-",   ST_RI_L,        F64_ADD) \
	X(F64_SUB_RI_STL,                 "p|a imm off d|-",   ST_RI_L,        F64_SUB) \
	X(F64_MUL_RI_STL,                 "p|a imm off d|-",   ST_RI_L,        F64_MUL) \
	X(F64_DIV_RI_STL,                 "p|a imm off d|-",   ST_RI_L,        F64_DIV) \
	/* ---- f64 arithmetic on a value just loaded ---- */ \
	X(F64_ADD_M,                      "d|p off b|-",       M,              F64_ADD) \
	X(F64_SUB_M,                      "d|p off b|-",       M,              F64_SUB) \
	X(F64_RSUB_M,                     "d|p off b|-",       M_R,            F64_SUB) \
	X(F64_MUL_M,                      "d|p off b|-",       M,              F64_MUL) \
	/* d = x + b * [p + off], and the same stored to [s + off'] instead \
	 * (an axpy step: c[j] += a * b[j]) */ \
	X(F64_MULADD_M,                   "d|p off b|x",       MUL_M,          F64_ADD) \
	X(F64_MULADD_M_ST,                "s|p off b|x off",   MUL_M_ST,       F64_ADD) \
	/* the same on a value loaded from an address an i32.add just computed, \
	 * when the sum is not kept (it was a temporary, not a local) */ \
	X(F64_ADD_MA,                     "d|a b|o e|-",       M_ADD,          F64_ADD) \
	X(F64_SUB_MA,                     "d|a b|o e|-",       M_ADD,          F64_SUB) \
	X(F64_RSUB_MA,                    "d|a b|o e|-",       M_ADD_R,        F64_SUB) \
	X(F64_MUL_MA,                     "d|a b|o e|-",       M_ADD,          F64_MUL) \
	X(F64_ADD_MAI,                    "d|a k|o e|-",       M_ADDI,         F64_ADD) \
	X(F64_SUB_MAI,                    "d|a k|o e|-",       M_ADDI,         F64_SUB) \
	X(F64_RSUB_MAI,                   "d|a k|o e|-",       M_ADDI_R,       F64_SUB) \
	X(F64_MUL_MAI,                    "d|a k|o e|-",       M_ADDI,         F64_MUL) \
	/* d = x + e * [(a + k) + o], and the same stored to [s + off] instead */ \
	X(F64_MULADD_MAI,                 "d|a k|o e|x",       MUL_MAI,        F64_ADD) \
	X(F64_MULADD_MAI_ST,              "s|a k|o e|x off",   MUL_MAI_ST,     F64_ADD) \
	/* ---- i32.add of a value just loaded by an i32.load (alone, or at a \
	 * temporary sum an i32.add just computed, as above) ---- */ \
	X(I32_ADD_M,                      "d|p off b|-",       M,              I32_ADD) \
	X(I32_ADD_MA,                     "d|a b|o e|-",       M_ADD,          I32_ADD) \
	X(I32_ADD_MAI,                    "d|a k|o e|-",       M_ADDI,         I32_ADD) \
	/* an f64.add of a value loaded from (a + b) + k, both sums temporaries \
	 * (a stencil's neighbour in another row) */ \
	X(F64_ADD_MAAI,                   "d|a b|k o|e",       M_ADD2I,        F64_ADD) \
	/* ---- i32.add, then a backward compare-and-branch on the sum ---- */ \
	X(ADD_BR_I32_EQ_BK,               "s|a b|c tgt cst",   ADD_BR_BK,      I32_EQ) \
	X(ADD_BR_I32_EQ_RI_BK,            "s|a b|k tgt cst",   ADD_BR_RI_BK,   I32_EQ) \
	X(ADDI_BR_I32_EQ_BK,              "s|a k|c tgt cst",   ADDI_BR_BK,     I32_EQ) \
	X(ADDI_BR_I32_EQ_RI_BK,           "s|a k|k tgt cst",   ADDI_BR_RI_BK,  I32_EQ) \
	X(ADD_BR_I32_NE_BK,               "s|a b|c tgt cst",   ADD_BR_BK,      I32_NE) \
	X(ADD_BR_I32_NE_RI_BK,            "s|a b|k tgt cst",   ADD_BR_RI_BK,   I32_NE) \
	X(ADDI_BR_I32_NE_BK,              "s|a k|c tgt cst",   ADDI_BR_BK,     I32_NE) \
	X(ADDI_BR_I32_NE_RI_BK,           "s|a k|k tgt cst",   ADDI_BR_RI_BK,  I32_NE) \
	X(ADD_BR_I32_LT_S_BK,             "s|a b|c tgt cst",   ADD_BR_BK,      I32_LT_S) \
	X(ADD_BR_I32_LT_S_RI_BK,          "s|a b|k tgt cst",   ADD_BR_RI_BK,   I32_LT_S) \
	X(ADDI_BR_I32_LT_S_BK,            "s|a k|c tgt cst",   ADDI_BR_BK,     I32_LT_S) \
	X(ADDI_BR_I32_LT_S_RI_BK,         "s|a k|k tgt cst",   ADDI_BR_RI_BK,  I32_LT_S) \
	X(ADD_BR_I32_LT_U_BK,             "s|a b|c tgt cst",   ADD_BR_BK,      I32_LT_U) \
	X(ADD_BR_I32_LT_U_RI_BK,          "s|a b|k tgt cst",   ADD_BR_RI_BK,   I32_LT_U) \
	X(ADDI_BR_I32_LT_U_BK,            "s|a k|c tgt cst",   ADDI_BR_BK,     I32_LT_U) \
	X(ADDI_BR_I32_LT_U_RI_BK,         "s|a k|k tgt cst",   ADDI_BR_RI_BK,  I32_LT_U) \
	X(ADD_BR_I32_GT_S_BK,             "s|a b|c tgt cst",   ADD_BR_BK,      I32_GT_S) \
	X(ADD_BR_I32_GT_S_RI_BK,          "s|a b|k tgt cst",   ADD_BR_RI_BK,   I32_GT_S) \
	X(ADDI_BR_I32_GT_S_BK,            "s|a k|c tgt cst",   ADDI_BR_BK,     I32_GT_S) \
	X(ADDI_BR_I32_GT_S_RI_BK,         "s|a k|k tgt cst",   ADDI_BR_RI_BK,  I32_GT_S) \
	X(ADD_BR_I32_GT_U_BK,             "s|a b|c tgt cst",   ADD_BR_BK,      I32_GT_U) \
	X(ADD_BR_I32_GT_U_RI_BK,          "s|a b|k tgt cst",   ADD_BR_RI_BK,   I32_GT_U) \
	X(ADDI_BR_I32_GT_U_BK,            "s|a k|c tgt cst",   ADDI_BR_BK,     I32_GT_U) \
	X(ADDI_BR_I32_GT_U_RI_BK,         "s|a k|k tgt cst",   ADDI_BR_RI_BK,  I32_GT_U) \
	X(ADD_BR_I32_LE_S_BK,             "s|a b|c tgt cst",   ADD_BR_BK,      I32_LE_S) \
	X(ADD_BR_I32_LE_S_RI_BK,          "s|a b|k tgt cst",   ADD_BR_RI_BK,   I32_LE_S) \
	X(ADDI_BR_I32_LE_S_BK,            "s|a k|c tgt cst",   ADDI_BR_BK,     I32_LE_S) \
	X(ADDI_BR_I32_LE_S_RI_BK,         "s|a k|k tgt cst",   ADDI_BR_RI_BK,  I32_LE_S) \
	X(ADD_BR_I32_LE_U_BK,             "s|a b|c tgt cst",   ADD_BR_BK,      I32_LE_U) \
	X(ADD_BR_I32_LE_U_RI_BK,          "s|a b|k tgt cst",   ADD_BR_RI_BK,   I32_LE_U) \
	X(ADDI_BR_I32_LE_U_BK,            "s|a k|c tgt cst",   ADDI_BR_BK,     I32_LE_U) \
	X(ADDI_BR_I32_LE_U_RI_BK,         "s|a k|k tgt cst",   ADDI_BR_RI_BK,  I32_LE_U) \
	X(ADD_BR_I32_GE_S_BK,             "s|a b|c tgt cst",   ADD_BR_BK,      I32_GE_S) \
	X(ADD_BR_I32_GE_S_RI_BK,          "s|a b|k tgt cst",   ADD_BR_RI_BK,   I32_GE_S) \
	X(ADDI_BR_I32_GE_S_BK,            "s|a k|c tgt cst",   ADDI_BR_BK,     I32_GE_S) \
	X(ADDI_BR_I32_GE_S_RI_BK,         "s|a k|k tgt cst",   ADDI_BR_RI_BK,  I32_GE_S) \
	X(ADD_BR_I32_GE_U_BK,             "s|a b|c tgt cst",   ADD_BR_BK,      I32_GE_U) \
	X(ADD_BR_I32_GE_U_RI_BK,          "s|a b|k tgt cst",   ADD_BR_RI_BK,   I32_GE_U) \
	X(ADDI_BR_I32_GE_U_BK,            "s|a k|c tgt cst",   ADDI_BR_BK,     I32_GE_U) \
	X(ADDI_BR_I32_GE_U_RI_BK,         "s|a k|k tgt cst",   ADDI_BR_RI_BK,  I32_GE_U) \
	/* ---- SIMD ---- */ \
	X(V128_NOT,                       "d|a",               WASM,           V128_NOT) \
	X(I8X16_ABS,                      "d|a",               WASM,           I8X16_ABS) \
	X(I8X16_NEG,                      "d|a",               WASM,           I8X16_NEG) \
	X(I8X16_POPCNT,                   "d|a",               WASM,           I8X16_POPCNT) \
	X(I16X8_ABS,                      "d|a",               WASM,           I16X8_ABS) \
	X(I16X8_NEG,                      "d|a",               WASM,           I16X8_NEG) \
	X(I32X4_ABS,                      "d|a",               WASM,           I32X4_ABS) \
	X(I32X4_NEG,                      "d|a",               WASM,           I32X4_NEG) \
	X(I64X2_ABS,                      "d|a",               WASM,           I64X2_ABS) \
	X(I64X2_NEG,                      "d|a",               WASM,           I64X2_NEG) \
	X(F32X4_ABS,                      "d|a",               WASM,           F32X4_ABS) \
	X(F32X4_NEG,                      "d|a",               WASM,           F32X4_NEG) \
	X(F64X2_ABS,                      "d|a",               WASM,           F64X2_ABS) \
	X(F64X2_NEG,                      "d|a",               WASM,           F64X2_NEG) \
	X(F32X4_SQRT,                     "d|a",               WASM,           F32X4_SQRT) \
	X(F64X2_SQRT,                     "d|a",               WASM,           F64X2_SQRT) \
	X(F32X4_CEIL,                     "d|a",               WASM,           F32X4_CEIL) \
	X(F32X4_FLOOR,                    "d|a",               WASM,           F32X4_FLOOR) \
	X(F32X4_TRUNC,                    "d|a",               WASM,           F32X4_TRUNC) \
	X(F32X4_NEAREST,                  "d|a",               WASM,           F32X4_NEAREST) \
	X(F64X2_CEIL,                     "d|a",               WASM,           F64X2_CEIL) \
	X(F64X2_FLOOR,                    "d|a",               WASM,           F64X2_FLOOR) \
	X(F64X2_TRUNC,                    "d|a",               WASM,           F64X2_TRUNC) \
	X(F64X2_NEAREST,                  "d|a",               WASM,           F64X2_NEAREST) \
	X(I16X8_EXTADD_PAIRWISE_I8X16_S,  "d|a",               WASM,           I16X8_EXTADD_PAIRWISE_I8X16_S) \
	X(I16X8_EXTADD_PAIRWISE_I8X16_U,  "d|a",               WASM,           I16X8_EXTADD_PAIRWISE_I8X16_U) \
	X(I32X4_EXTADD_PAIRWISE_I16X8_S,  "d|a",               WASM,           I32X4_EXTADD_PAIRWISE_I16X8_S) \
	X(I32X4_EXTADD_PAIRWISE_I16X8_U,  "d|a",               WASM,           I32X4_EXTADD_PAIRWISE_I16X8_U) \
	X(I16X8_EXTEND_LOW_I8X16_S,       "d|a",               WASM,           I16X8_EXTEND_LOW_I8X16_S) \
	X(I16X8_EXTEND_HIGH_I8X16_S,      "d|a",               WASM,           I16X8_EXTEND_HIGH_I8X16_S) \
	X(I16X8_EXTEND_LOW_I8X16_U,       "d|a",               WASM,           I16X8_EXTEND_LOW_I8X16_U) \
	X(I16X8_EXTEND_HIGH_I8X16_U,      "d|a",               WASM,           I16X8_EXTEND_HIGH_I8X16_U) \
	X(I32X4_EXTEND_LOW_I16X8_S,       "d|a",               WASM,           I32X4_EXTEND_LOW_I16X8_S) \
	X(I32X4_EXTEND_HIGH_I16X8_S,      "d|a",               WASM,           I32X4_EXTEND_HIGH_I16X8_S) \
	X(I32X4_EXTEND_LOW_I16X8_U,       "d|a",               WASM,           I32X4_EXTEND_LOW_I16X8_U) \
	X(I32X4_EXTEND_HIGH_I16X8_U,      "d|a",               WASM,           I32X4_EXTEND_HIGH_I16X8_U) \
	X(I64X2_EXTEND_LOW_I32X4_S,       "d|a",               WASM,           I64X2_EXTEND_LOW_I32X4_S) \
	X(I64X2_EXTEND_HIGH_I32X4_S,      "d|a",               WASM,           I64X2_EXTEND_HIGH_I32X4_S) \
	X(I64X2_EXTEND_LOW_I32X4_U,       "d|a",               WASM,           I64X2_EXTEND_LOW_I32X4_U) \
	X(I64X2_EXTEND_HIGH_I32X4_U,      "d|a",               WASM,           I64X2_EXTEND_HIGH_I32X4_U) \
	X(I32X4_TRUNC_SAT_F32X4_S,        "d|a",               WASM,           I32X4_TRUNC_SAT_F32X4_S) \
	X(I32X4_TRUNC_SAT_F32X4_U,        "d|a",               WASM,           I32X4_TRUNC_SAT_F32X4_U) \
	X(I32X4_TRUNC_SAT_F64X2_S_ZERO,   "d|a",               WASM,           I32X4_TRUNC_SAT_F64X2_S_ZERO) \
	X(I32X4_TRUNC_SAT_F64X2_U_ZERO,   "d|a",               WASM,           I32X4_TRUNC_SAT_F64X2_U_ZERO) \
	X(F32X4_CONVERT_I32X4_S,          "d|a",               WASM,           F32X4_CONVERT_I32X4_S) \
	X(F32X4_CONVERT_I32X4_U,          "d|a",               WASM,           F32X4_CONVERT_I32X4_U) \
	X(F64X2_CONVERT_LOW_I32X4_S,      "d|a",               WASM,           F64X2_CONVERT_LOW_I32X4_S) \
	X(F64X2_CONVERT_LOW_I32X4_U,      "d|a",               WASM,           F64X2_CONVERT_LOW_I32X4_U) \
	X(F32X4_DEMOTE_F64X2_ZERO,        "d|a",               WASM,           F32X4_DEMOTE_F64X2_ZERO) \
	X(F64X2_PROMOTE_LOW_F32X4,        "d|a",               WASM,           F64X2_PROMOTE_LOW_F32X4) \
	X(V128_AND,                       "d|a b|-",           WASM,           V128_AND) \
	X(V128_ANDNOT,                    "d|a b|-",           WASM,           V128_ANDNOT) \
	X(V128_OR,                        "d|a b|-",           WASM,           V128_OR) \
	X(V128_XOR,                       "d|a b|-",           WASM,           V128_XOR) \
	X(I8X16_ADD,                      "d|a b|-",           WASM,           I8X16_ADD) \
	X(I8X16_SUB,                      "d|a b|-",           WASM,           I8X16_SUB) \
	X(I16X8_ADD,                      "d|a b|-",           WASM,           I16X8_ADD) \
	X(I16X8_SUB,                      "d|a b|-",           WASM,           I16X8_SUB) \
	X(I16X8_MUL,                      "d|a b|-",           WASM,           I16X8_MUL) \
	X(I32X4_ADD,                      "d|a b|-",           WASM,           I32X4_ADD) \
	X(I32X4_SUB,                      "d|a b|-",           WASM,           I32X4_SUB) \
	X(I32X4_MUL,                      "d|a b|-",           WASM,           I32X4_MUL) \
	X(I64X2_ADD,                      "d|a b|-",           WASM,           I64X2_ADD) \
	X(I64X2_SUB,                      "d|a b|-",           WASM,           I64X2_SUB) \
	X(I64X2_MUL,                      "d|a b|-",           WASM,           I64X2_MUL) \
	X(F32X4_ADD,                      "d|a b|-",           WASM,           F32X4_ADD) \
	X(F32X4_SUB,                      "d|a b|-",           WASM,           F32X4_SUB) \
	X(F32X4_MUL,                      "d|a b|-",           WASM,           F32X4_MUL) \
	X(F32X4_DIV,                      "d|a b|-",           WASM,           F32X4_DIV) \
	X(F64X2_ADD,                      "d|a b|-",           WASM,           F64X2_ADD) \
	X(F64X2_SUB,                      "d|a b|-",           WASM,           F64X2_SUB) \
	X(F64X2_MUL,                      "d|a b|-",           WASM,           F64X2_MUL) \
	X(F64X2_DIV,                      "d|a b|-",           WASM,           F64X2_DIV) \
	X(I8X16_EQ,                       "d|a b|-",           WASM,           I8X16_EQ) \
	X(I8X16_NE,                       "d|a b|-",           WASM,           I8X16_NE) \
	X(I8X16_LT_S,                     "d|a b|-",           WASM,           I8X16_LT_S) \
	X(I8X16_LT_U,                     "d|a b|-",           WASM,           I8X16_LT_U) \
	X(I8X16_GT_S,                     "d|a b|-",           WASM,           I8X16_GT_S) \
	X(I8X16_GT_U,                     "d|a b|-",           WASM,           I8X16_GT_U) \
	X(I8X16_LE_S,                     "d|a b|-",           WASM,           I8X16_LE_S) \
	X(I8X16_LE_U,                     "d|a b|-",           WASM,           I8X16_LE_U) \
	X(I8X16_GE_S,                     "d|a b|-",           WASM,           I8X16_GE_S) \
	X(I8X16_GE_U,                     "d|a b|-",           WASM,           I8X16_GE_U) \
	X(I16X8_EQ,                       "d|a b|-",           WASM,           I16X8_EQ) \
	X(I16X8_NE,                       "d|a b|-",           WASM,           I16X8_NE) \
	X(I16X8_LT_S,                     "d|a b|-",           WASM,           I16X8_LT_S) \
	X(I16X8_LT_U,                     "d|a b|-",           WASM,           I16X8_LT_U) \
	X(I16X8_GT_S,                     "d|a b|-",           WASM,           I16X8_GT_S) \
	X(I16X8_GT_U,                     "d|a b|-",           WASM,           I16X8_GT_U) \
	X(I16X8_LE_S,                     "d|a b|-",           WASM,           I16X8_LE_S) \
	X(I16X8_LE_U,                     "d|a b|-",           WASM,           I16X8_LE_U) \
	X(I16X8_GE_S,                     "d|a b|-",           WASM,           I16X8_GE_S) \
	X(I16X8_GE_U,                     "d|a b|-",           WASM,           I16X8_GE_U) \
	X(I32X4_EQ,                       "d|a b|-",           WASM,           I32X4_EQ) \
	X(I32X4_NE,                       "d|a b|-",           WASM,           I32X4_NE) \
	X(I32X4_LT_S,                     "d|a b|-",           WASM,           I32X4_LT_S) \
	X(I32X4_LT_U,                     "d|a b|-",           WASM,           I32X4_LT_U) \
	X(I32X4_GT_S,                     "d|a b|-",           WASM,           I32X4_GT_S) \
	X(I32X4_GT_U,                     "d|a b|-",           WASM,           I32X4_GT_U) \
	X(I32X4_LE_S,                     "d|a b|-",           WASM,           I32X4_LE_S) \
	X(I32X4_LE_U,                     "d|a b|-",           WASM,           I32X4_LE_U) \
	X(I32X4_GE_S,                     "d|a b|-",           WASM,           I32X4_GE_S) \
	X(I32X4_GE_U,                     "d|a b|-",           WASM,           I32X4_GE_U) \
	X(I64X2_EQ,                       "d|a b|-",           WASM,           I64X2_EQ) \
	X(I64X2_NE,                       "d|a b|-",           WASM,           I64X2_NE) \
	X(I64X2_LT_S,                     "d|a b|-",           WASM,           I64X2_LT_S) \
	X(I64X2_GT_S,                     "d|a b|-",           WASM,           I64X2_GT_S) \
	X(I64X2_LE_S,                     "d|a b|-",           WASM,           I64X2_LE_S) \
	X(I64X2_GE_S,                     "d|a b|-",           WASM,           I64X2_GE_S) \
	X(F32X4_EQ,                       "d|a b|-",           WASM,           F32X4_EQ) \
	X(F32X4_NE,                       "d|a b|-",           WASM,           F32X4_NE) \
	X(F32X4_LT,                       "d|a b|-",           WASM,           F32X4_LT) \
	X(F32X4_GT,                       "d|a b|-",           WASM,           F32X4_GT) \
	X(F32X4_LE,                       "d|a b|-",           WASM,           F32X4_LE) \
	X(F32X4_GE,                       "d|a b|-",           WASM,           F32X4_GE) \
	X(F64X2_EQ,                       "d|a b|-",           WASM,           F64X2_EQ) \
	X(F64X2_NE,                       "d|a b|-",           WASM,           F64X2_NE) \
	X(F64X2_LT,                       "d|a b|-",           WASM,           F64X2_LT) \
	X(F64X2_GT,                       "d|a b|-",           WASM,           F64X2_GT) \
	X(F64X2_LE,                       "d|a b|-",           WASM,           F64X2_LE) \
	X(F64X2_GE,                       "d|a b|-",           WASM,           F64X2_GE) \
	X(I8X16_SWIZZLE,                  "d|a b|-",           WASM,           I8X16_SWIZZLE) \
	X(I8X16_NARROW_I16X8_S,           "d|a b|-",           WASM,           I8X16_NARROW_I16X8_S) \
	X(I8X16_NARROW_I16X8_U,           "d|a b|-",           WASM,           I8X16_NARROW_I16X8_U) \
	X(I16X8_NARROW_I32X4_S,           "d|a b|-",           WASM,           I16X8_NARROW_I32X4_S) \
	X(I16X8_NARROW_I32X4_U,           "d|a b|-",           WASM,           I16X8_NARROW_I32X4_U) \
	X(I8X16_ADD_SAT_S,                "d|a b|-",           WASM,           I8X16_ADD_SAT_S) \
	X(I8X16_ADD_SAT_U,                "d|a b|-",           WASM,           I8X16_ADD_SAT_U) \
	X(I8X16_SUB_SAT_S,                "d|a b|-",           WASM,           I8X16_SUB_SAT_S) \
	X(I8X16_SUB_SAT_U,                "d|a b|-",           WASM,           I8X16_SUB_SAT_U) \
	X(I16X8_ADD_SAT_S,                "d|a b|-",           WASM,           I16X8_ADD_SAT_S) \
	X(I16X8_ADD_SAT_U,                "d|a b|-",           WASM,           I16X8_ADD_SAT_U) \
	X(I16X8_SUB_SAT_S,                "d|a b|-",           WASM,           I16X8_SUB_SAT_S) \
	X(I16X8_SUB_SAT_U,                "d|a b|-",           WASM,           I16X8_SUB_SAT_U) \
	X(I8X16_MIN_S,                    "d|a b|-",           WASM,           I8X16_MIN_S) \
	X(I8X16_MIN_U,                    "d|a b|-",           WASM,           I8X16_MIN_U) \
	X(I8X16_MAX_S,                    "d|a b|-",           WASM,           I8X16_MAX_S) \
	X(I8X16_MAX_U,                    "d|a b|-",           WASM,           I8X16_MAX_U) \
	X(I16X8_MIN_S,                    "d|a b|-",           WASM,           I16X8_MIN_S) \
	X(I16X8_MIN_U,                    "d|a b|-",           WASM,           I16X8_MIN_U) \
	X(I16X8_MAX_S,                    "d|a b|-",           WASM,           I16X8_MAX_S) \
	X(I16X8_MAX_U,                    "d|a b|-",           WASM,           I16X8_MAX_U) \
	X(I32X4_MIN_S,                    "d|a b|-",           WASM,           I32X4_MIN_S) \
	X(I32X4_MIN_U,                    "d|a b|-",           WASM,           I32X4_MIN_U) \
	X(I32X4_MAX_S,                    "d|a b|-",           WASM,           I32X4_MAX_S) \
	X(I32X4_MAX_U,                    "d|a b|-",           WASM,           I32X4_MAX_U) \
	X(I8X16_AVGR_U,                   "d|a b|-",           WASM,           I8X16_AVGR_U) \
	X(I16X8_AVGR_U,                   "d|a b|-",           WASM,           I16X8_AVGR_U) \
	X(I16X8_Q15MULR_SAT_S,            "d|a b|-",           WASM,           I16X8_Q15MULR_SAT_S) \
	X(I32X4_DOT_I16X8_S,              "d|a b|-",           WASM,           I32X4_DOT_I16X8_S) \
	X(F32X4_MIN,                      "d|a b|-",           WASM,           F32X4_MIN) \
	X(F32X4_MAX,                      "d|a b|-",           WASM,           F32X4_MAX) \
	X(F32X4_PMIN,                     "d|a b|-",           WASM,           F32X4_PMIN) \
	X(F32X4_PMAX,                     "d|a b|-",           WASM,           F32X4_PMAX) \
	X(F64X2_MIN,                      "d|a b|-",           WASM,           F64X2_MIN) \
	X(F64X2_MAX,                      "d|a b|-",           WASM,           F64X2_MAX) \
	X(F64X2_PMIN,                     "d|a b|-",           WASM,           F64X2_PMIN) \
	X(F64X2_PMAX,                     "d|a b|-",           WASM,           F64X2_PMAX) \
	X(I16X8_EXTMUL_LOW_I8X16_S,       "d|a b|-",           WASM,           I16X8_EXTMUL_LOW_I8X16_S) \
	X(I16X8_EXTMUL_HIGH_I8X16_S,      "d|a b|-",           WASM,           I16X8_EXTMUL_HIGH_I8X16_S) \
	X(I16X8_EXTMUL_LOW_I8X16_U,       "d|a b|-",           WASM,           I16X8_EXTMUL_LOW_I8X16_U) \
	X(I16X8_EXTMUL_HIGH_I8X16_U,      "d|a b|-",           WASM,           I16X8_EXTMUL_HIGH_I8X16_U) \
	X(I32X4_EXTMUL_LOW_I16X8_S,       "d|a b|-",           WASM,           I32X4_EXTMUL_LOW_I16X8_S) \
	X(I32X4_EXTMUL_HIGH_I16X8_S,      "d|a b|-",           WASM,           I32X4_EXTMUL_HIGH_I16X8_S) \
	X(I32X4_EXTMUL_LOW_I16X8_U,       "d|a b|-",           WASM,           I32X4_EXTMUL_LOW_I16X8_U) \
	X(I32X4_EXTMUL_HIGH_I16X8_U,      "d|a b|-",           WASM,           I32X4_EXTMUL_HIGH_I16X8_U) \
	X(I64X2_EXTMUL_LOW_I32X4_S,       "d|a b|-",           WASM,           I64X2_EXTMUL_LOW_I32X4_S) \
	X(I64X2_EXTMUL_HIGH_I32X4_S,      "d|a b|-",           WASM,           I64X2_EXTMUL_HIGH_I32X4_S) \
	X(I64X2_EXTMUL_LOW_I32X4_U,       "d|a b|-",           WASM,           I64X2_EXTMUL_LOW_I32X4_U) \
	X(I64X2_EXTMUL_HIGH_I32X4_U,      "d|a b|-",           WASM,           I64X2_EXTMUL_HIGH_I32X4_U) \
	X(I8X16_SHL,                      "d|a b|-",           WASM,           I8X16_SHL) \
	X(I8X16_SHR_S,                    "d|a b|-",           WASM,           I8X16_SHR_S) \
	X(I8X16_SHR_U,                    "d|a b|-",           WASM,           I8X16_SHR_U) \
	X(I16X8_SHL,                      "d|a b|-",           WASM,           I16X8_SHL) \
	X(I16X8_SHR_S,                    "d|a b|-",           WASM,           I16X8_SHR_S) \
	X(I16X8_SHR_U,                    "d|a b|-",           WASM,           I16X8_SHR_U) \
	X(I32X4_SHL,                      "d|a b|-",           WASM,           I32X4_SHL) \
	X(I32X4_SHR_S,                    "d|a b|-",           WASM,           I32X4_SHR_S) \
	X(I32X4_SHR_U,                    "d|a b|-",           WASM,           I32X4_SHR_U) \
	X(I64X2_SHL,                      "d|a b|-",           WASM,           I64X2_SHL) \
	X(I64X2_SHR_S,                    "d|a b|-",           WASM,           I64X2_SHR_S) \
	X(I64X2_SHR_U,                    "d|a b|-",           WASM,           I64X2_SHR_U) \
	X(V128_ANY_TRUE,                  "d|a",               WASM,           V128_ANY_TRUE) \
	X(I8X16_ALL_TRUE,                 "d|a",               WASM,           I8X16_ALL_TRUE) \
	X(I16X8_ALL_TRUE,                 "d|a",               WASM,           I16X8_ALL_TRUE) \
	X(I32X4_ALL_TRUE,                 "d|a",               WASM,           I32X4_ALL_TRUE) \
	X(I64X2_ALL_TRUE,                 "d|a",               WASM,           I64X2_ALL_TRUE) \
	X(I8X16_BITMASK,                  "d|a",               WASM,           I8X16_BITMASK) \
	X(I16X8_BITMASK,                  "d|a",               WASM,           I16X8_BITMASK) \
	X(I32X4_BITMASK,                  "d|a",               WASM,           I32X4_BITMASK) \
	X(I64X2_BITMASK,                  "d|a",               WASM,           I64X2_BITMASK) \
	X(I8X16_SPLAT,                    "d|a",               WASM,           I8X16_SPLAT) \
	X(I16X8_SPLAT,                    "d|a",               WASM,           I16X8_SPLAT) \
	X(I32X4_SPLAT,                    "d|a",               WASM,           I32X4_SPLAT) \
	X(I64X2_SPLAT,                    "d|a",               WASM,           I64X2_SPLAT) \
	X(F32X4_SPLAT,                    "d|a",               WASM,           F32X4_SPLAT) \
	X(F64X2_SPLAT,                    "d|a",               WASM,           F64X2_SPLAT) \
	X(I8X16_EXTRACT_LANE_S,           "d|a l|-",           WASM,           I8X16_EXTRACT_LANE_S) \
	X(I8X16_EXTRACT_LANE_U,           "d|a l|-",           WASM,           I8X16_EXTRACT_LANE_U) \
	X(I16X8_EXTRACT_LANE_S,           "d|a l|-",           WASM,           I16X8_EXTRACT_LANE_S) \
	X(I16X8_EXTRACT_LANE_U,           "d|a l|-",           WASM,           I16X8_EXTRACT_LANE_U) \
	X(I32X4_EXTRACT_LANE,             "d|a l|-",           WASM,           I32X4_EXTRACT_LANE) \
	X(I64X2_EXTRACT_LANE,             "d|a l|-",           WASM,           I64X2_EXTRACT_LANE) \
	X(F32X4_EXTRACT_LANE,             "d|a l|-",           WASM,           F32X4_EXTRACT_LANE) \
	X(F64X2_EXTRACT_LANE,             "d|a l|-",           WASM,           F64X2_EXTRACT_LANE) \
	X(I8X16_REPLACE_LANE,             "d|a b|l",           WASM,           I8X16_REPLACE_LANE) \
	X(I16X8_REPLACE_LANE,             "d|a b|l",           WASM,           I16X8_REPLACE_LANE) \
	X(I32X4_REPLACE_LANE,             "d|a b|l",           WASM,           I32X4_REPLACE_LANE) \
	X(I64X2_REPLACE_LANE,             "d|a b|l",           WASM,           I64X2_REPLACE_LANE) \
	X(F32X4_REPLACE_LANE,             "d|a b|l",           WASM,           F32X4_REPLACE_LANE) \
	X(F64X2_REPLACE_LANE,             "d|a b|l",           WASM,           F64X2_REPLACE_LANE) \
	X(V128_LOAD,                      "d|p off",           WASM,           V128_LOAD) \
	X(V128_LOAD8X8_S,                 "d|p off",           WASM,           V128_LOAD8X8_S) \
	X(V128_LOAD8X8_U,                 "d|p off",           WASM,           V128_LOAD8X8_U) \
	X(V128_LOAD16X4_S,                "d|p off",           WASM,           V128_LOAD16X4_S) \
	X(V128_LOAD16X4_U,                "d|p off",           WASM,           V128_LOAD16X4_U) \
	X(V128_LOAD32X2_S,                "d|p off",           WASM,           V128_LOAD32X2_S) \
	X(V128_LOAD32X2_U,                "d|p off",           WASM,           V128_LOAD32X2_U) \
	X(V128_LOAD8_SPLAT,               "d|p off",           WASM,           V128_LOAD8_SPLAT) \
	X(V128_LOAD16_SPLAT,              "d|p off",           WASM,           V128_LOAD16_SPLAT) \
	X(V128_LOAD32_SPLAT,              "d|p off",           WASM,           V128_LOAD32_SPLAT) \
	X(V128_LOAD64_SPLAT,              "d|p off",           WASM,           V128_LOAD64_SPLAT) \
	X(V128_LOAD32_ZERO,               "d|p off",           WASM,           V128_LOAD32_ZERO) \
	X(V128_LOAD64_ZERO,               "d|p off",           WASM,           V128_LOAD64_ZERO) \
	X(V128_LOAD8_LANE,                "d|p a|l off",       WASM,           V128_LOAD8_LANE) \
	X(V128_LOAD16_LANE,               "d|p a|l off",       WASM,           V128_LOAD16_LANE) \
	X(V128_LOAD32_LANE,               "d|p a|l off",       WASM,           V128_LOAD32_LANE) \
	X(V128_LOAD64_LANE,               "d|p a|l off",       WASM,           V128_LOAD64_LANE) \
	X(V128_STORE8_LANE,               "p|a l|- off",       WASM,           V128_STORE8_LANE) \
	X(V128_STORE16_LANE,              "p|a l|- off",       WASM,           V128_STORE16_LANE) \
	X(V128_STORE32_LANE,              "p|a l|- off",       WASM,           V128_STORE32_LANE) \
	X(V128_STORE64_LANE,              "p|a l|- off",       WASM,           V128_STORE64_LANE) \
	X(V128_STORE,                     "v|p off",           WASM,           V128_STORE) \
	X(V128_CONST,                     "d|- v16 v16",       WASM,           V128_CONST) \
	X(V128_BITSELECT,                 "d|a b|c",           WASM,           V128_BITSELECT) \
	X(I8X16_SHUFFLE,                  "d|a b|- v16 v16",   WASM,           I8X16_SHUFFLE) \
	/* ---- relaxed SIMD without a deterministic twin (the rest compile to theirs) ---- */ \
	X(F32X4_RELAXED_MADD,              "d|a b|c",           WASM,           F32X4_RELAXED_MADD) \
	X(F32X4_RELAXED_NMADD,             "d|a b|c",           WASM,           F32X4_RELAXED_NMADD) \
	X(F64X2_RELAXED_MADD,              "d|a b|c",           WASM,           F64X2_RELAXED_MADD) \
	X(F64X2_RELAXED_NMADD,             "d|a b|c",           WASM,           F64X2_RELAXED_NMADD) \
	X(I16X8_RELAXED_DOT,               "d|a b|-",           WASM,           I16X8_RELAXED_DOT_I8X16_I7X16_S) \
	X(I32X4_RELAXED_DOT_ADD,           "d|a b|c",           WASM,           I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S) \
	/* ---- moves and constants ---- */ \
	X(MOV64,                          "d|a",               WASM,           LOCAL_SET) \
	X(MOV128,                         "d|a",               V128,           LOCAL_SET) \
	/* two copies in a row (a loop's rotated variables), in order */ \
	X(MOV64_2,                        "d|a e|b",           TWO,            LOCAL_SET) \
	X(CONST32,                        "d|k",               WASM,           I32_CONST) \
	X(CONST64,                        "d|- imm",           WASM,           I64_CONST) \
	/* ---- multiply-add ---- */ \
	X(F32_MULADD,                     "d|a b|c",           MUL,            F32_ADD) \
	X(F32_MULSUB,                     "d|a b|c",           MUL,            F32_SUB) \
	X(F32_MULRSUB,                    "d|a b|c",           MUL_R,          F32_SUB) \
	X(F64_MULADD,                     "d|a b|c",           MUL,            F64_ADD) \
	X(F64_MULSUB,                     "d|a b|c",           MUL,            F64_SUB) \
	X(F64_MULRSUB,                    "d|a b|c",           MUL_R,          F64_SUB) \
	/* ---- select and globals ---- */ \
	X(SELECT,                         "d|a b|c",           WASM,           SELECT) \
	X(SELECT128,                      "d|a b|c",           V128,           SELECT) \
	X(GLOBAL_GET,                     "d|i",               WASM,           GLOBAL_GET) \
	X(GLOBAL_SET,                     "a|i",               WASM,           GLOBAL_SET) \
	X(GLOBAL_GET128,                  "d|i",               V128,           GLOBAL_GET) \
	X(GLOBAL_SET128,                  "a|i",               V128,           GLOBAL_SET) \
	/* ---- memory, tables and references, inline ---- */ \
	X(MEMORY_SIZE,                    "d|i",               WASM,           MEMORY_SIZE) \
	X(DATA_DROP,                      "i|-",               WASM,           DATA_DROP) \
	X(ELEM_DROP,                      "i|-",               WASM,           ELEM_DROP) \
	X(TABLE_SIZE,                     "d|i",               WASM,           TABLE_SIZE) \
	X(REF_FUNC,                       "d|i",               WASM,           REF_FUNC) \
	/* ---- branches ---- */ \
	X(BR,                             "tgt",               WASM,           BR) \
	X(BR_BK,                          "tgt cst",           BK,             BR) \
	/* a copy d = a, then a backward br */ \
	X(MOV64_BR_BK,                    "d|a tgt cst",       MOV_BK,         BR) \
	X(BR_NZ,                          "a|- tgt",           WASM,           BR_IF) \
	X(BR_NZ_BK,                       "a|- tgt cst",       BK,             BR_IF) \
	X(BR_Z,                           "a|- tgt",           BR,             I32_EQZ) \
	X(BR_Z_BK,                        "a|- tgt cst",       BR_BK,          I32_EQZ) \
	X(BR_NZ64,                        "a|- tgt",           BR_NOT,         I64_EQZ) \
	X(BR_NZ64_BK,                     "a|- tgt cst",       BR_NOT_BK,      I64_EQZ) \
	X(BR_Z64,                         "a|- tgt",           BR,             I64_EQZ) \
	X(BR_Z64_BK,                      "a|- tgt cst",       BR_BK,          I64_EQZ) \
	/* ---- i32.and with a constant into a temporary, then a forward branch \
	 * on it: a flag test (a & k), or a compare of b with a & k ---- */ \
	X(BR_ANDI_Z,                      "-|a imm tgt",       ANDI_BR,        I32_EQZ) \
	X(BR_ANDI_NZ,                     "-|a imm tgt",       ANDI_BR_NOT,    I32_EQZ) \
	X(BR_I32_EQ_ANDI,                 "b|a imm tgt",       ANDI_BR,        I32_EQ) \
	X(BR_I32_NE_ANDI,                 "b|a imm tgt",       ANDI_BR,        I32_NE) \
	/* ---- a load into a temporary, then a forward branch on it being zero \
	 * or not (a null pointer, a flag byte) ---- */ \
	X(BR_Z_M,                         "-|p off tgt",       LD_Z,           I32_LOAD) \
	X(BR_NZ_M,                        "-|p off tgt",       LD_NZ,          I32_LOAD) \
	X(BR_Z_M8,                        "-|p off tgt",       LD_Z,           I32_LOAD8_U) \
	X(BR_NZ_M8,                       "-|p off tgt",       LD_NZ,          I32_LOAD8_U) \
	X(BR_TABLE,                       "a|n",               WASM,           BR_TABLE) \
	/* ---- br_table on a temporary the instruction before computes, which is \
	 * then not written: that instruction's operands, n last (as BR_TABLE's) ---- */ \
	X(BR_TABLE_ADD_RI,                "a|k -|n",           TBL_ADDI,       BR_TABLE) \
	X(BR_TABLE_LOAD8_U,               "p|o -|n",           TBL_LD8,        BR_TABLE) \
	X(BR_TABLE_LOAD8_U_ADDI,          "a|k o|n",           TBL_LD8_ADDI,   BR_TABLE) \
	X(BR_TABLE_LOAD_SXI,              "a|l k|o -|n",       TBL_SXI,        BR_TABLE) \
	/* the same after a constant copied to a slot: d = v | w << 32 first */ \
	X(BR_TABLE_LOAD_SXI_K,            "a|l k|o d|v w|n",   TBL_SXI_K,      BR_TABLE) \
	X(UNREACHABLE,                    "",                  WASM,           UNREACHABLE) \
	/* ---- calls and returns; the i of a LOCAL call is the byte offset of the \
	 * callee's wr_func in the instance's `defined` ---- */ \
	X(CALL_LOCAL,                     "ptr f|i",           DEFINED,        CALL) \
	X(CALL,                           "i|f",               WASM,           CALL) \
	X(CALL_INDIRECT,                  "i|i f|a",           WASM,           CALL_INDIRECT) \
	X(RETURN_CALL_LOCAL,              "ptr f|i",           DEFINED,        RETURN_CALL) \
	X(RETURN_CALL,                    "i|f",               WASM,           RETURN_CALL) \
	X(RETURN_CALL_INDIRECT,           "i|i f|a",           WASM,           RETURN_CALL_INDIRECT) \
	X(RET1,                           "a|-",               ONE,            RETURN) \
	X(RETURN,                         "",                  WASM,           RETURN) \
	X(EXIT,                           "",                  EXIT,           RETURN) \
	/* ---- accesses to a memory the instruction names: its base read from the \
	 * instance; a 32-bit one has memory 0's guard region, a 64-bit one is \
	 * bounds-checked explicitly (vm_mem_addr in interp.c) ---- */ \
	X(I32_LOAD_MEM,                   "d|p off i|w",       MEM,            I32_LOAD) \
	X(I64_LOAD_MEM,                   "d|p off i|w",       MEM,            I64_LOAD) \
	X(F32_LOAD_MEM,                   "d|p off i|w",       MEM,            F32_LOAD) \
	X(F64_LOAD_MEM,                   "d|p off i|w",       MEM,            F64_LOAD) \
	X(I32_LOAD8_S_MEM,                "d|p off i|w",       MEM,            I32_LOAD8_S) \
	X(I32_LOAD8_U_MEM,                "d|p off i|w",       MEM,            I32_LOAD8_U) \
	X(I32_LOAD16_S_MEM,               "d|p off i|w",       MEM,            I32_LOAD16_S) \
	X(I32_LOAD16_U_MEM,               "d|p off i|w",       MEM,            I32_LOAD16_U) \
	X(I64_LOAD8_S_MEM,                "d|p off i|w",       MEM,            I64_LOAD8_S) \
	X(I64_LOAD8_U_MEM,                "d|p off i|w",       MEM,            I64_LOAD8_U) \
	X(I64_LOAD16_S_MEM,               "d|p off i|w",       MEM,            I64_LOAD16_S) \
	X(I64_LOAD16_U_MEM,               "d|p off i|w",       MEM,            I64_LOAD16_U) \
	X(I64_LOAD32_S_MEM,               "d|p off i|w",       MEM,            I64_LOAD32_S) \
	X(I64_LOAD32_U_MEM,               "d|p off i|w",       MEM,            I64_LOAD32_U) \
	X(I32_STORE_MEM,                  "v|p off i|w",       MEM,            I32_STORE) \
	X(I64_STORE_MEM,                  "v|p off i|w",       MEM,            I64_STORE) \
	X(F32_STORE_MEM,                  "v|p off i|w",       MEM,            F32_STORE) \
	X(F64_STORE_MEM,                  "v|p off i|w",       MEM,            F64_STORE) \
	X(I32_STORE8_MEM,                 "v|p off i|w",       MEM,            I32_STORE8) \
	X(I32_STORE16_MEM,                "v|p off i|w",       MEM,            I32_STORE16) \
	X(I64_STORE8_MEM,                 "v|p off i|w",       MEM,            I64_STORE8) \
	X(I64_STORE16_MEM,                "v|p off i|w",       MEM,            I64_STORE16) \
	X(I64_STORE32_MEM,                "v|p off i|w",       MEM,            I64_STORE32) \
	X(V128_LOAD_MEM,                  "d|p off i|w",       MEM,            V128_LOAD) \
	X(V128_LOAD8X8_S_MEM,             "d|p off i|w",       MEM,            V128_LOAD8X8_S) \
	X(V128_LOAD8X8_U_MEM,             "d|p off i|w",       MEM,            V128_LOAD8X8_U) \
	X(V128_LOAD16X4_S_MEM,            "d|p off i|w",       MEM,            V128_LOAD16X4_S) \
	X(V128_LOAD16X4_U_MEM,            "d|p off i|w",       MEM,            V128_LOAD16X4_U) \
	X(V128_LOAD32X2_S_MEM,            "d|p off i|w",       MEM,            V128_LOAD32X2_S) \
	X(V128_LOAD32X2_U_MEM,            "d|p off i|w",       MEM,            V128_LOAD32X2_U) \
	X(V128_LOAD8_SPLAT_MEM,           "d|p off i|w",       MEM,            V128_LOAD8_SPLAT) \
	X(V128_LOAD16_SPLAT_MEM,          "d|p off i|w",       MEM,            V128_LOAD16_SPLAT) \
	X(V128_LOAD32_SPLAT_MEM,          "d|p off i|w",       MEM,            V128_LOAD32_SPLAT) \
	X(V128_LOAD64_SPLAT_MEM,          "d|p off i|w",       MEM,            V128_LOAD64_SPLAT) \
	X(V128_LOAD32_ZERO_MEM,           "d|p off i|w",       MEM,            V128_LOAD32_ZERO) \
	X(V128_LOAD64_ZERO_MEM,           "d|p off i|w",       MEM,            V128_LOAD64_ZERO) \
	X(V128_STORE_MEM,                 "v|p off i|w",       MEM,            V128_STORE) \
	X(V128_LOAD8_LANE_MEM,            "d|p a|l off i|w",   MEM,            V128_LOAD8_LANE) \
	X(V128_LOAD16_LANE_MEM,           "d|p a|l off i|w",   MEM,            V128_LOAD16_LANE) \
	X(V128_LOAD32_LANE_MEM,           "d|p a|l off i|w",   MEM,            V128_LOAD32_LANE) \
	X(V128_LOAD64_LANE_MEM,           "d|p a|l off i|w",   MEM,            V128_LOAD64_LANE) \
	X(V128_STORE8_LANE_MEM,           "p|a l|- off i|w",   MEM,            V128_STORE8_LANE) \
	X(V128_STORE16_LANE_MEM,          "p|a l|- off i|w",   MEM,            V128_STORE16_LANE) \
	X(V128_STORE32_LANE_MEM,          "p|a l|- off i|w",   MEM,            V128_STORE32_LANE) \
	X(V128_STORE64_LANE_MEM,          "p|a l|- off i|w",   MEM,            V128_STORE64_LANE) \
	/* ---- calls through a 64-bit table ---- */ \
	X(CALL_INDIRECT64,                "i|i f|a",           T64,            CALL_INDIRECT) \
	X(RETURN_CALL_INDIRECT64,         "i|i f|a",           T64,            RETURN_CALL_INDIRECT) \
	/* ---- typed function references ---- */ \
	X(CALL_REF,                       "f|a",               WASM,           CALL_REF) \
	X(RETURN_CALL_REF,                "f|a",               WASM,           RETURN_CALL_REF) \
	X(REF_AS_NON_NULL,                "a|-",               WASM,           REF_AS_NON_NULL) \
	/* ---- exceptions: throw [tag|first payload slot], throw_ref (and rethrow) ---- */ \
	X(THROW,                          "i|f",               WASM,           THROW) \
	X(THROW_REF,                      "a|-",               WASM,           THROW_REF) \
	/* ---- GC: i31, any/extern conversions, casts (the type in i: a mod_vt) ---- */ \
	X(REF_I31,                        "d|a",               WASM,           REF_I31) \
	X(I31_GET_S,                      "d|a",               WASM,           I31_GET_S) \
	X(I31_GET_U,                      "d|a",               WASM,           I31_GET_U) \
	X(ANY_CONVERT_EXTERN,             "d|a",               WASM,           ANY_CONVERT_EXTERN) \
	X(EXTERN_CONVERT_ANY,             "d|a",               WASM,           EXTERN_CONVERT_ANY) \
	X(REF_TEST,                       "d|a i|-",           WASM,           REF_TEST) \
	X(REF_CAST,                       "a|i",               WASM,           REF_CAST) \
	/* ---- GC: structs and arrays; f the first of consecutive operand slots, */ \
	/* k payload slots, o a field's slot, x its extension or an element's bytes, */ \
	/* w an element's (a value's) slots: gc.c */ \
	X(STRUCT_NEW,                     "d|f i|k",           WASM,           STRUCT_NEW) \
	X(STRUCT_NEW_DEFAULT,             "d|f i|k",           WASM,           STRUCT_NEW_DEFAULT) \
	X(STRUCT_GET,                     "d|a o|x",           WASM,           STRUCT_GET) \
	X(STRUCT_SET,                     "a|v o|w",           WASM,           STRUCT_SET) \
	X(ARRAY_NEW,                      "d|f i|w",           WASM,           ARRAY_NEW) \
	X(ARRAY_NEW_DEFAULT,              "d|f i|w",           WASM,           ARRAY_NEW_DEFAULT) \
	X(ARRAY_NEW_FIXED,                "d|f i|w n|-",       WASM,           ARRAY_NEW_FIXED) \
	X(ARRAY_NEW_DATA,                 "d|f i|x i|w",       WASM,           ARRAY_NEW_DATA) \
	X(ARRAY_NEW_ELEM,                 "d|f i|i",           WASM,           ARRAY_NEW_ELEM) \
	X(ARRAY_GET,                      "d|f x|w",           WASM,           ARRAY_GET) \
	X(ARRAY_SET,                      "f|w",               WASM,           ARRAY_SET) \
	X(ARRAY_LEN,                      "d|a",               WASM,           ARRAY_LEN) \
	X(ARRAY_FILL,                     "f|w",               WASM,           ARRAY_FILL) \
	X(ARRAY_COPY,                     "f|w",               WASM,           ARRAY_COPY) \
	X(ARRAY_INIT_DATA,                "f|x i|w",           WASM,           ARRAY_INIT_DATA) \
	X(ARRAY_INIT_ELEM,                "f|i",               WASM,           ARRAY_INIT_ELEM)

#endif
