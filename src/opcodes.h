/*
 * opcodes.h: the one table of WebAssembly instructions.
 *
 * Each row is X(NAME, text, prefix, code, immediate, signature, align):
 *   NAME       suffix of the OP_ enum constant
 *   text       the instruction's name in the text format
 *   prefix     0 for one-byte opcodes, 0xFC or 0xFD for prefixed ones
 *   code       the opcode byte, or the LEB128 sub-opcode after a prefix
 *   immediate  IMM_ kind of the immediates that follow (see dec_imm)
 *   signature  "params:results" for instructions with a fixed type, using
 *              i=i32 I=i64 f=f32 F=f64 V=v128; NULL for those the validator
 *              types by hand (control, locals, references, tables)
 *   align      log2 of the natural alignment, for memory accesses
 *
 * The enum, the names, the decoder's opcode map, the validator's fixed
 * signatures and the interpreter's dispatch table are all generated from it.
 * Rows may be added (SIMD, fused instructions live elsewhere) but a row's
 * meaning never changes.
 */
#ifndef WRUN_OPCODES_H
#define WRUN_OPCODES_H

#define WR_OPCODES(X) \
	X(UNREACHABLE,         "unreachable",           0x00, 0x00, NONE,          NULL,    0) \
	X(NOP,                 "nop",                   0x00, 0x01, NONE,          NULL,    0) \
	X(BLOCK,               "block",                 0x00, 0x02, BLOCKTYPE,     NULL,    0) \
	X(LOOP,                "loop",                  0x00, 0x03, BLOCKTYPE,     NULL,    0) \
	X(IF,                  "if",                    0x00, 0x04, BLOCKTYPE,     NULL,    0) \
	X(ELSE,                "else",                  0x00, 0x05, NONE,          NULL,    0) \
	X(END,                 "end",                   0x00, 0x0b, NONE,          NULL,    0) \
	X(BR,                  "br",                    0x00, 0x0c, LABEL,         NULL,    0) \
	X(BR_IF,               "br_if",                 0x00, 0x0d, LABEL,         NULL,    0) \
	X(BR_TABLE,            "br_table",              0x00, 0x0e, BR_TABLE,      NULL,    0) \
	X(RETURN,              "return",                0x00, 0x0f, NONE,          NULL,    0) \
	X(CALL,                "call",                  0x00, 0x10, FUNC,          NULL,    0) \
	X(CALL_INDIRECT,       "call_indirect",         0x00, 0x11, CALL_INDIRECT, NULL,    0) \
	X(DROP,                "drop",                  0x00, 0x1a, NONE,          NULL,    0) \
	X(SELECT,              "select",                0x00, 0x1b, NONE,          NULL,    0) \
	X(SELECT_T,            "select",                0x00, 0x1c, SELECT_T,      NULL,    0) \
	X(LOCAL_GET,           "local.get",             0x00, 0x20, LOCAL,         NULL,    0) \
	X(LOCAL_SET,           "local.set",             0x00, 0x21, LOCAL,         NULL,    0) \
	X(LOCAL_TEE,           "local.tee",             0x00, 0x22, LOCAL,         NULL,    0) \
	X(GLOBAL_GET,          "global.get",            0x00, 0x23, GLOBAL,        NULL,    0) \
	X(GLOBAL_SET,          "global.set",            0x00, 0x24, GLOBAL,        NULL,    0) \
	X(TABLE_GET,           "table.get",             0x00, 0x25, TABLE,         NULL,    0) \
	X(TABLE_SET,           "table.set",             0x00, 0x26, TABLE,         NULL,    0) \
	X(I32_LOAD,            "i32.load",              0x00, 0x28, MEMARG,        "i:i",   2) \
	X(I64_LOAD,            "i64.load",              0x00, 0x29, MEMARG,        "i:I",   3) \
	X(F32_LOAD,            "f32.load",              0x00, 0x2a, MEMARG,        "i:f",   2) \
	X(F64_LOAD,            "f64.load",              0x00, 0x2b, MEMARG,        "i:F",   3) \
	X(I32_LOAD8_S,         "i32.load8_s",           0x00, 0x2c, MEMARG,        "i:i",   0) \
	X(I32_LOAD8_U,         "i32.load8_u",           0x00, 0x2d, MEMARG,        "i:i",   0) \
	X(I32_LOAD16_S,        "i32.load16_s",          0x00, 0x2e, MEMARG,        "i:i",   1) \
	X(I32_LOAD16_U,        "i32.load16_u",          0x00, 0x2f, MEMARG,        "i:i",   1) \
	X(I64_LOAD8_S,         "i64.load8_s",           0x00, 0x30, MEMARG,        "i:I",   0) \
	X(I64_LOAD8_U,         "i64.load8_u",           0x00, 0x31, MEMARG,        "i:I",   0) \
	X(I64_LOAD16_S,        "i64.load16_s",          0x00, 0x32, MEMARG,        "i:I",   1) \
	X(I64_LOAD16_U,        "i64.load16_u",          0x00, 0x33, MEMARG,        "i:I",   1) \
	X(I64_LOAD32_S,        "i64.load32_s",          0x00, 0x34, MEMARG,        "i:I",   2) \
	X(I64_LOAD32_U,        "i64.load32_u",          0x00, 0x35, MEMARG,        "i:I",   2) \
	X(I32_STORE,           "i32.store",             0x00, 0x36, MEMARG,        "ii:",   2) \
	X(I64_STORE,           "i64.store",             0x00, 0x37, MEMARG,        "iI:",   3) \
	X(F32_STORE,           "f32.store",             0x00, 0x38, MEMARG,        "if:",   2) \
	X(F64_STORE,           "f64.store",             0x00, 0x39, MEMARG,        "iF:",   3) \
	X(I32_STORE8,          "i32.store8",            0x00, 0x3a, MEMARG,        "ii:",   0) \
	X(I32_STORE16,         "i32.store16",           0x00, 0x3b, MEMARG,        "ii:",   1) \
	X(I64_STORE8,          "i64.store8",            0x00, 0x3c, MEMARG,        "iI:",   0) \
	X(I64_STORE16,         "i64.store16",           0x00, 0x3d, MEMARG,        "iI:",   1) \
	X(I64_STORE32,         "i64.store32",           0x00, 0x3e, MEMARG,        "iI:",   2) \
	X(MEMORY_SIZE,         "memory.size",           0x00, 0x3f, MEMIDX,        ":i",    0) \
	X(MEMORY_GROW,         "memory.grow",           0x00, 0x40, MEMIDX,        "i:i",   0) \
	X(I32_CONST,           "i32.const",             0x00, 0x41, I32,           ":i",    0) \
	X(I64_CONST,           "i64.const",             0x00, 0x42, I64,           ":I",    0) \
	X(F32_CONST,           "f32.const",             0x00, 0x43, F32,           ":f",    0) \
	X(F64_CONST,           "f64.const",             0x00, 0x44, F64,           ":F",    0) \
	X(I32_EQZ,             "i32.eqz",               0x00, 0x45, NONE,          "i:i",   0) \
	X(I32_EQ,              "i32.eq",                0x00, 0x46, NONE,          "ii:i",  0) \
	X(I32_NE,              "i32.ne",                0x00, 0x47, NONE,          "ii:i",  0) \
	X(I32_LT_S,            "i32.lt_s",              0x00, 0x48, NONE,          "ii:i",  0) \
	X(I32_LT_U,            "i32.lt_u",              0x00, 0x49, NONE,          "ii:i",  0) \
	X(I32_GT_S,            "i32.gt_s",              0x00, 0x4a, NONE,          "ii:i",  0) \
	X(I32_GT_U,            "i32.gt_u",              0x00, 0x4b, NONE,          "ii:i",  0) \
	X(I32_LE_S,            "i32.le_s",              0x00, 0x4c, NONE,          "ii:i",  0) \
	X(I32_LE_U,            "i32.le_u",              0x00, 0x4d, NONE,          "ii:i",  0) \
	X(I32_GE_S,            "i32.ge_s",              0x00, 0x4e, NONE,          "ii:i",  0) \
	X(I32_GE_U,            "i32.ge_u",              0x00, 0x4f, NONE,          "ii:i",  0) \
	X(I64_EQZ,             "i64.eqz",               0x00, 0x50, NONE,          "I:i",   0) \
	X(I64_EQ,              "i64.eq",                0x00, 0x51, NONE,          "II:i",  0) \
	X(I64_NE,              "i64.ne",                0x00, 0x52, NONE,          "II:i",  0) \
	X(I64_LT_S,            "i64.lt_s",              0x00, 0x53, NONE,          "II:i",  0) \
	X(I64_LT_U,            "i64.lt_u",              0x00, 0x54, NONE,          "II:i",  0) \
	X(I64_GT_S,            "i64.gt_s",              0x00, 0x55, NONE,          "II:i",  0) \
	X(I64_GT_U,            "i64.gt_u",              0x00, 0x56, NONE,          "II:i",  0) \
	X(I64_LE_S,            "i64.le_s",              0x00, 0x57, NONE,          "II:i",  0) \
	X(I64_LE_U,            "i64.le_u",              0x00, 0x58, NONE,          "II:i",  0) \
	X(I64_GE_S,            "i64.ge_s",              0x00, 0x59, NONE,          "II:i",  0) \
	X(I64_GE_U,            "i64.ge_u",              0x00, 0x5a, NONE,          "II:i",  0) \
	X(F32_EQ,              "f32.eq",                0x00, 0x5b, NONE,          "ff:i",  0) \
	X(F32_NE,              "f32.ne",                0x00, 0x5c, NONE,          "ff:i",  0) \
	X(F32_LT,              "f32.lt",                0x00, 0x5d, NONE,          "ff:i",  0) \
	X(F32_GT,              "f32.gt",                0x00, 0x5e, NONE,          "ff:i",  0) \
	X(F32_LE,              "f32.le",                0x00, 0x5f, NONE,          "ff:i",  0) \
	X(F32_GE,              "f32.ge",                0x00, 0x60, NONE,          "ff:i",  0) \
	X(F64_EQ,              "f64.eq",                0x00, 0x61, NONE,          "FF:i",  0) \
	X(F64_NE,              "f64.ne",                0x00, 0x62, NONE,          "FF:i",  0) \
	X(F64_LT,              "f64.lt",                0x00, 0x63, NONE,          "FF:i",  0) \
	X(F64_GT,              "f64.gt",                0x00, 0x64, NONE,          "FF:i",  0) \
	X(F64_LE,              "f64.le",                0x00, 0x65, NONE,          "FF:i",  0) \
	X(F64_GE,              "f64.ge",                0x00, 0x66, NONE,          "FF:i",  0) \
	X(I32_CLZ,             "i32.clz",               0x00, 0x67, NONE,          "i:i",   0) \
	X(I32_CTZ,             "i32.ctz",               0x00, 0x68, NONE,          "i:i",   0) \
	X(I32_POPCNT,          "i32.popcnt",            0x00, 0x69, NONE,          "i:i",   0) \
	X(I32_ADD,             "i32.add",               0x00, 0x6a, NONE,          "ii:i",  0) \
	X(I32_SUB,             "i32.sub",               0x00, 0x6b, NONE,          "ii:i",  0) \
	X(I32_MUL,             "i32.mul",               0x00, 0x6c, NONE,          "ii:i",  0) \
	X(I32_DIV_S,           "i32.div_s",             0x00, 0x6d, NONE,          "ii:i",  0) \
	X(I32_DIV_U,           "i32.div_u",             0x00, 0x6e, NONE,          "ii:i",  0) \
	X(I32_REM_S,           "i32.rem_s",             0x00, 0x6f, NONE,          "ii:i",  0) \
	X(I32_REM_U,           "i32.rem_u",             0x00, 0x70, NONE,          "ii:i",  0) \
	X(I32_AND,             "i32.and",               0x00, 0x71, NONE,          "ii:i",  0) \
	X(I32_OR,              "i32.or",                0x00, 0x72, NONE,          "ii:i",  0) \
	X(I32_XOR,             "i32.xor",               0x00, 0x73, NONE,          "ii:i",  0) \
	X(I32_SHL,             "i32.shl",               0x00, 0x74, NONE,          "ii:i",  0) \
	X(I32_SHR_S,           "i32.shr_s",             0x00, 0x75, NONE,          "ii:i",  0) \
	X(I32_SHR_U,           "i32.shr_u",             0x00, 0x76, NONE,          "ii:i",  0) \
	X(I32_ROTL,            "i32.rotl",              0x00, 0x77, NONE,          "ii:i",  0) \
	X(I32_ROTR,            "i32.rotr",              0x00, 0x78, NONE,          "ii:i",  0) \
	X(I64_CLZ,             "i64.clz",               0x00, 0x79, NONE,          "I:I",   0) \
	X(I64_CTZ,             "i64.ctz",               0x00, 0x7a, NONE,          "I:I",   0) \
	X(I64_POPCNT,          "i64.popcnt",            0x00, 0x7b, NONE,          "I:I",   0) \
	X(I64_ADD,             "i64.add",               0x00, 0x7c, NONE,          "II:I",  0) \
	X(I64_SUB,             "i64.sub",               0x00, 0x7d, NONE,          "II:I",  0) \
	X(I64_MUL,             "i64.mul",               0x00, 0x7e, NONE,          "II:I",  0) \
	X(I64_DIV_S,           "i64.div_s",             0x00, 0x7f, NONE,          "II:I",  0) \
	X(I64_DIV_U,           "i64.div_u",             0x00, 0x80, NONE,          "II:I",  0) \
	X(I64_REM_S,           "i64.rem_s",             0x00, 0x81, NONE,          "II:I",  0) \
	X(I64_REM_U,           "i64.rem_u",             0x00, 0x82, NONE,          "II:I",  0) \
	X(I64_AND,             "i64.and",               0x00, 0x83, NONE,          "II:I",  0) \
	X(I64_OR,              "i64.or",                0x00, 0x84, NONE,          "II:I",  0) \
	X(I64_XOR,             "i64.xor",               0x00, 0x85, NONE,          "II:I",  0) \
	X(I64_SHL,             "i64.shl",               0x00, 0x86, NONE,          "II:I",  0) \
	X(I64_SHR_S,           "i64.shr_s",             0x00, 0x87, NONE,          "II:I",  0) \
	X(I64_SHR_U,           "i64.shr_u",             0x00, 0x88, NONE,          "II:I",  0) \
	X(I64_ROTL,            "i64.rotl",              0x00, 0x89, NONE,          "II:I",  0) \
	X(I64_ROTR,            "i64.rotr",              0x00, 0x8a, NONE,          "II:I",  0) \
	X(F32_ABS,             "f32.abs",               0x00, 0x8b, NONE,          "f:f",   0) \
	X(F32_NEG,             "f32.neg",               0x00, 0x8c, NONE,          "f:f",   0) \
	X(F32_CEIL,            "f32.ceil",              0x00, 0x8d, NONE,          "f:f",   0) \
	X(F32_FLOOR,           "f32.floor",             0x00, 0x8e, NONE,          "f:f",   0) \
	X(F32_TRUNC,           "f32.trunc",             0x00, 0x8f, NONE,          "f:f",   0) \
	X(F32_NEAREST,         "f32.nearest",           0x00, 0x90, NONE,          "f:f",   0) \
	X(F32_SQRT,            "f32.sqrt",              0x00, 0x91, NONE,          "f:f",   0) \
	X(F32_ADD,             "f32.add",               0x00, 0x92, NONE,          "ff:f",  0) \
	X(F32_SUB,             "f32.sub",               0x00, 0x93, NONE,          "ff:f",  0) \
	X(F32_MUL,             "f32.mul",               0x00, 0x94, NONE,          "ff:f",  0) \
	X(F32_DIV,             "f32.div",               0x00, 0x95, NONE,          "ff:f",  0) \
	X(F32_MIN,             "f32.min",               0x00, 0x96, NONE,          "ff:f",  0) \
	X(F32_MAX,             "f32.max",               0x00, 0x97, NONE,          "ff:f",  0) \
	X(F32_COPYSIGN,        "f32.copysign",          0x00, 0x98, NONE,          "ff:f",  0) \
	X(F64_ABS,             "f64.abs",               0x00, 0x99, NONE,          "F:F",   0) \
	X(F64_NEG,             "f64.neg",               0x00, 0x9a, NONE,          "F:F",   0) \
	X(F64_CEIL,            "f64.ceil",              0x00, 0x9b, NONE,          "F:F",   0) \
	X(F64_FLOOR,           "f64.floor",             0x00, 0x9c, NONE,          "F:F",   0) \
	X(F64_TRUNC,           "f64.trunc",             0x00, 0x9d, NONE,          "F:F",   0) \
	X(F64_NEAREST,         "f64.nearest",           0x00, 0x9e, NONE,          "F:F",   0) \
	X(F64_SQRT,            "f64.sqrt",              0x00, 0x9f, NONE,          "F:F",   0) \
	X(F64_ADD,             "f64.add",               0x00, 0xa0, NONE,          "FF:F",  0) \
	X(F64_SUB,             "f64.sub",               0x00, 0xa1, NONE,          "FF:F",  0) \
	X(F64_MUL,             "f64.mul",               0x00, 0xa2, NONE,          "FF:F",  0) \
	X(F64_DIV,             "f64.div",               0x00, 0xa3, NONE,          "FF:F",  0) \
	X(F64_MIN,             "f64.min",               0x00, 0xa4, NONE,          "FF:F",  0) \
	X(F64_MAX,             "f64.max",               0x00, 0xa5, NONE,          "FF:F",  0) \
	X(F64_COPYSIGN,        "f64.copysign",          0x00, 0xa6, NONE,          "FF:F",  0) \
	X(I32_WRAP_I64,        "i32.wrap_i64",          0x00, 0xa7, NONE,          "I:i",   0) \
	X(I32_TRUNC_F32_S,     "i32.trunc_f32_s",       0x00, 0xa8, NONE,          "f:i",   0) \
	X(I32_TRUNC_F32_U,     "i32.trunc_f32_u",       0x00, 0xa9, NONE,          "f:i",   0) \
	X(I32_TRUNC_F64_S,     "i32.trunc_f64_s",       0x00, 0xaa, NONE,          "F:i",   0) \
	X(I32_TRUNC_F64_U,     "i32.trunc_f64_u",       0x00, 0xab, NONE,          "F:i",   0) \
	X(I64_EXTEND_I32_S,    "i64.extend_i32_s",      0x00, 0xac, NONE,          "i:I",   0) \
	X(I64_EXTEND_I32_U,    "i64.extend_i32_u",      0x00, 0xad, NONE,          "i:I",   0) \
	X(I64_TRUNC_F32_S,     "i64.trunc_f32_s",       0x00, 0xae, NONE,          "f:I",   0) \
	X(I64_TRUNC_F32_U,     "i64.trunc_f32_u",       0x00, 0xaf, NONE,          "f:I",   0) \
	X(I64_TRUNC_F64_S,     "i64.trunc_f64_s",       0x00, 0xb0, NONE,          "F:I",   0) \
	X(I64_TRUNC_F64_U,     "i64.trunc_f64_u",       0x00, 0xb1, NONE,          "F:I",   0) \
	X(F32_CONVERT_I32_S,   "f32.convert_i32_s",     0x00, 0xb2, NONE,          "i:f",   0) \
	X(F32_CONVERT_I32_U,   "f32.convert_i32_u",     0x00, 0xb3, NONE,          "i:f",   0) \
	X(F32_CONVERT_I64_S,   "f32.convert_i64_s",     0x00, 0xb4, NONE,          "I:f",   0) \
	X(F32_CONVERT_I64_U,   "f32.convert_i64_u",     0x00, 0xb5, NONE,          "I:f",   0) \
	X(F32_DEMOTE_F64,      "f32.demote_f64",        0x00, 0xb6, NONE,          "F:f",   0) \
	X(F64_CONVERT_I32_S,   "f64.convert_i32_s",     0x00, 0xb7, NONE,          "i:F",   0) \
	X(F64_CONVERT_I32_U,   "f64.convert_i32_u",     0x00, 0xb8, NONE,          "i:F",   0) \
	X(F64_CONVERT_I64_S,   "f64.convert_i64_s",     0x00, 0xb9, NONE,          "I:F",   0) \
	X(F64_CONVERT_I64_U,   "f64.convert_i64_u",     0x00, 0xba, NONE,          "I:F",   0) \
	X(F64_PROMOTE_F32,     "f64.promote_f32",       0x00, 0xbb, NONE,          "f:F",   0) \
	X(I32_REINTERPRET_F32, "i32.reinterpret_f32",   0x00, 0xbc, NONE,          "f:i",   0) \
	X(I64_REINTERPRET_F64, "i64.reinterpret_f64",   0x00, 0xbd, NONE,          "F:I",   0) \
	X(F32_REINTERPRET_I32, "f32.reinterpret_i32",   0x00, 0xbe, NONE,          "i:f",   0) \
	X(F64_REINTERPRET_I64, "f64.reinterpret_i64",   0x00, 0xbf, NONE,          "I:F",   0) \
	X(I32_EXTEND8_S,       "i32.extend8_s",         0x00, 0xc0, NONE,          "i:i",   0) \
	X(I32_EXTEND16_S,      "i32.extend16_s",        0x00, 0xc1, NONE,          "i:i",   0) \
	X(I64_EXTEND8_S,       "i64.extend8_s",         0x00, 0xc2, NONE,          "I:I",   0) \
	X(I64_EXTEND16_S,      "i64.extend16_s",        0x00, 0xc3, NONE,          "I:I",   0) \
	X(I64_EXTEND32_S,      "i64.extend32_s",        0x00, 0xc4, NONE,          "I:I",   0) \
	X(REF_NULL,            "ref.null",              0x00, 0xd0, REFTYPE,       NULL,    0) \
	X(REF_IS_NULL,         "ref.is_null",           0x00, 0xd1, NONE,          NULL,    0) \
	X(REF_FUNC,            "ref.func",              0x00, 0xd2, FUNC,          NULL,    0) \
	X(I32_TRUNC_SAT_F32_S, "i32.trunc_sat_f32_s",   0xfc, 0x00, NONE,          "f:i",   0) \
	X(I32_TRUNC_SAT_F32_U, "i32.trunc_sat_f32_u",   0xfc, 0x01, NONE,          "f:i",   0) \
	X(I32_TRUNC_SAT_F64_S, "i32.trunc_sat_f64_s",   0xfc, 0x02, NONE,          "F:i",   0) \
	X(I32_TRUNC_SAT_F64_U, "i32.trunc_sat_f64_u",   0xfc, 0x03, NONE,          "F:i",   0) \
	X(I64_TRUNC_SAT_F32_S, "i64.trunc_sat_f32_s",   0xfc, 0x04, NONE,          "f:I",   0) \
	X(I64_TRUNC_SAT_F32_U, "i64.trunc_sat_f32_u",   0xfc, 0x05, NONE,          "f:I",   0) \
	X(I64_TRUNC_SAT_F64_S, "i64.trunc_sat_f64_s",   0xfc, 0x06, NONE,          "F:I",   0) \
	X(I64_TRUNC_SAT_F64_U, "i64.trunc_sat_f64_u",   0xfc, 0x07, NONE,          "F:I",   0) \
	X(MEMORY_INIT,         "memory.init",           0xfc, 0x08, MEMORY_INIT,   "iii:",  0) \
	X(DATA_DROP,           "data.drop",             0xfc, 0x09, DATA,          ":",     0) \
	X(MEMORY_COPY,         "memory.copy",           0xfc, 0x0a, MEMORY_COPY,   "iii:",  0) \
	X(MEMORY_FILL,         "memory.fill",           0xfc, 0x0b, MEMIDX,        "iii:",  0) \
	X(TABLE_INIT,          "table.init",            0xfc, 0x0c, TABLE_INIT,    NULL,    0) \
	X(ELEM_DROP,           "elem.drop",             0xfc, 0x0d, ELEM,          ":",     0) \
	X(TABLE_COPY,          "table.copy",            0xfc, 0x0e, TABLE_COPY,    NULL,    0) \
	X(TABLE_GROW,          "table.grow",            0xfc, 0x0f, TABLE,         NULL,    0) \
	X(TABLE_SIZE,          "table.size",            0xfc, 0x10, TABLE,         NULL,    0) \
	X(TABLE_FILL,          "table.fill",            0xfc, 0x11, TABLE,         NULL,    0)

/* Immediate kinds. */
enum {
	IMM_NONE,          /* nothing */
	IMM_BLOCKTYPE,     /* s33: empty (0x40), a value type, or a type index */
	IMM_LABEL,         /* u32 label depth */
	IMM_BR_TABLE,      /* vec(u32) labels, then u32 default */
	IMM_FUNC,          /* u32 function index */
	IMM_CALL_INDIRECT, /* u32 type index, u32 table index */
	IMM_LOCAL,         /* u32 local index */
	IMM_GLOBAL,        /* u32 global index */
	IMM_TABLE,         /* u32 table index */
	IMM_MEMARG,        /* u32 align, u32 offset */
	IMM_MEMIDX,        /* one byte that must be 0x00 */
	IMM_I32,           /* s32 */
	IMM_I64,           /* s64 */
	IMM_F32,           /* 4 raw bytes */
	IMM_F64,           /* 8 raw bytes */
	IMM_SELECT_T,      /* vec(valtype), length must be 1 */
	IMM_REFTYPE,       /* one reference type byte */
	IMM_MEMORY_INIT,   /* u32 data index, then 0x00 */
	IMM_DATA,          /* u32 data index */
	IMM_MEMORY_COPY,   /* 0x00 0x00 */
	IMM_TABLE_INIT,    /* u32 elem index, u32 table index */
	IMM_ELEM,          /* u32 elem index */
	IMM_TABLE_COPY,    /* u32 table index (dst), u32 table index (src) */
	IMM_V128,          /* 16 raw bytes (SIMD) */
	IMM_LANE,          /* one lane index byte (SIMD) */
	IMM_MEMARG_LANE,   /* memarg, then a lane index byte (SIMD) */
	IMM_SHUFFLE,       /* 16 lane index bytes (SIMD) */
};

enum wr_opcode {
#define X(name, text, prefix, code, imm, sig, align) OP_##name,
	WR_OPCODES(X)
#undef X
	OP__COUNT
};

#endif
