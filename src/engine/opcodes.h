/*
 * opcodes.h: the one table of WebAssembly instructions.
 *
 * Each row is X(NAME, text, prefix, code, immediate, signature, align):
 *   NAME       suffix of the OP_ enum constant
 *   text       the instruction's name in the text format
 *   prefix     0 for one-byte opcodes, 0xFB, 0xFC or 0xFD for prefixed ones
 *   code       the opcode byte, or the LEB128 sub-opcode after a prefix
 *   immediate  IMM_ kind of the immediates that follow (see dec_imm)
 *   signature  "params:results" for instructions with a fixed type, using
 *              i=i32 I=i64 f=f32 F=f64 V=v128; NULL for those the validator
 *              types by hand (control, locals, references, tables)
 *   align      log2 of the natural alignment, for memory accesses; for
 *              SIMD lane instructions also log2 of the lane width in bytes,
 *              so a v128 has 16 >> align lanes
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
	X(RETURN_CALL,         "return_call",           0x00, 0x12, FUNC,          NULL,    0) \
	X(RETURN_CALL_INDIRECT, "return_call_indirect", 0x00, 0x13, CALL_INDIRECT, NULL,    0) \
	X(CALL_REF,            "call_ref",              0x00, 0x14, TYPE,          NULL,    0) \
	X(RETURN_CALL_REF,     "return_call_ref",       0x00, 0x15, TYPE,          NULL,    0) \
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
	X(REF_AS_NON_NULL,     "ref.as_non_null",       0x00, 0xd4, NONE,          NULL,    0) \
	X(BR_ON_NULL,          "br_on_null",            0x00, 0xd5, LABEL,         NULL,    0) \
	X(BR_ON_NON_NULL,      "br_on_non_null",        0x00, 0xd6, LABEL,         NULL,    0) \
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
	X(TABLE_FILL,          "table.fill",            0xfc, 0x11, TABLE,         NULL,    0) \
	X(V128_LOAD,                    "v128.load",                      0xfd, 0x00, MEMARG,       "i:V",   4) \
	X(V128_LOAD8X8_S,               "v128.load8x8_s",                 0xfd, 0x01, MEMARG,       "i:V",   3) \
	X(V128_LOAD8X8_U,               "v128.load8x8_u",                 0xfd, 0x02, MEMARG,       "i:V",   3) \
	X(V128_LOAD16X4_S,              "v128.load16x4_s",                0xfd, 0x03, MEMARG,       "i:V",   3) \
	X(V128_LOAD16X4_U,              "v128.load16x4_u",                0xfd, 0x04, MEMARG,       "i:V",   3) \
	X(V128_LOAD32X2_S,              "v128.load32x2_s",                0xfd, 0x05, MEMARG,       "i:V",   3) \
	X(V128_LOAD32X2_U,              "v128.load32x2_u",                0xfd, 0x06, MEMARG,       "i:V",   3) \
	X(V128_LOAD8_SPLAT,             "v128.load8_splat",               0xfd, 0x07, MEMARG,       "i:V",   0) \
	X(V128_LOAD16_SPLAT,            "v128.load16_splat",              0xfd, 0x08, MEMARG,       "i:V",   1) \
	X(V128_LOAD32_SPLAT,            "v128.load32_splat",              0xfd, 0x09, MEMARG,       "i:V",   2) \
	X(V128_LOAD64_SPLAT,            "v128.load64_splat",              0xfd, 0x0a, MEMARG,       "i:V",   3) \
	X(V128_STORE,                   "v128.store",                     0xfd, 0x0b, MEMARG,       "iV:",   4) \
	X(V128_CONST,                   "v128.const",                     0xfd, 0x0c, V128,         ":V",    0) \
	X(I8X16_SHUFFLE,                "i8x16.shuffle",                  0xfd, 0x0d, SHUFFLE,      "VV:V",  0) \
	X(I8X16_SWIZZLE,                "i8x16.swizzle",                  0xfd, 0x0e, NONE,         "VV:V",  0) \
	X(I8X16_SPLAT,                  "i8x16.splat",                    0xfd, 0x0f, NONE,         "i:V",   0) \
	X(I16X8_SPLAT,                  "i16x8.splat",                    0xfd, 0x10, NONE,         "i:V",   0) \
	X(I32X4_SPLAT,                  "i32x4.splat",                    0xfd, 0x11, NONE,         "i:V",   0) \
	X(I64X2_SPLAT,                  "i64x2.splat",                    0xfd, 0x12, NONE,         "I:V",   0) \
	X(F32X4_SPLAT,                  "f32x4.splat",                    0xfd, 0x13, NONE,         "f:V",   0) \
	X(F64X2_SPLAT,                  "f64x2.splat",                    0xfd, 0x14, NONE,         "F:V",   0) \
	X(I8X16_EXTRACT_LANE_S,         "i8x16.extract_lane_s",           0xfd, 0x15, LANE,         "V:i",   0) \
	X(I8X16_EXTRACT_LANE_U,         "i8x16.extract_lane_u",           0xfd, 0x16, LANE,         "V:i",   0) \
	X(I8X16_REPLACE_LANE,           "i8x16.replace_lane",             0xfd, 0x17, LANE,         "Vi:V",  0) \
	X(I16X8_EXTRACT_LANE_S,         "i16x8.extract_lane_s",           0xfd, 0x18, LANE,         "V:i",   1) \
	X(I16X8_EXTRACT_LANE_U,         "i16x8.extract_lane_u",           0xfd, 0x19, LANE,         "V:i",   1) \
	X(I16X8_REPLACE_LANE,           "i16x8.replace_lane",             0xfd, 0x1a, LANE,         "Vi:V",  1) \
	X(I32X4_EXTRACT_LANE,           "i32x4.extract_lane",             0xfd, 0x1b, LANE,         "V:i",   2) \
	X(I32X4_REPLACE_LANE,           "i32x4.replace_lane",             0xfd, 0x1c, LANE,         "Vi:V",  2) \
	X(I64X2_EXTRACT_LANE,           "i64x2.extract_lane",             0xfd, 0x1d, LANE,         "V:I",   3) \
	X(I64X2_REPLACE_LANE,           "i64x2.replace_lane",             0xfd, 0x1e, LANE,         "VI:V",  3) \
	X(F32X4_EXTRACT_LANE,           "f32x4.extract_lane",             0xfd, 0x1f, LANE,         "V:f",   2) \
	X(F32X4_REPLACE_LANE,           "f32x4.replace_lane",             0xfd, 0x20, LANE,         "Vf:V",  2) \
	X(F64X2_EXTRACT_LANE,           "f64x2.extract_lane",             0xfd, 0x21, LANE,         "V:F",   3) \
	X(F64X2_REPLACE_LANE,           "f64x2.replace_lane",             0xfd, 0x22, LANE,         "VF:V",  3) \
	X(I8X16_EQ,                     "i8x16.eq",                       0xfd, 0x23, NONE,         "VV:V",  0) \
	X(I8X16_NE,                     "i8x16.ne",                       0xfd, 0x24, NONE,         "VV:V",  0) \
	X(I8X16_LT_S,                   "i8x16.lt_s",                     0xfd, 0x25, NONE,         "VV:V",  0) \
	X(I8X16_LT_U,                   "i8x16.lt_u",                     0xfd, 0x26, NONE,         "VV:V",  0) \
	X(I8X16_GT_S,                   "i8x16.gt_s",                     0xfd, 0x27, NONE,         "VV:V",  0) \
	X(I8X16_GT_U,                   "i8x16.gt_u",                     0xfd, 0x28, NONE,         "VV:V",  0) \
	X(I8X16_LE_S,                   "i8x16.le_s",                     0xfd, 0x29, NONE,         "VV:V",  0) \
	X(I8X16_LE_U,                   "i8x16.le_u",                     0xfd, 0x2a, NONE,         "VV:V",  0) \
	X(I8X16_GE_S,                   "i8x16.ge_s",                     0xfd, 0x2b, NONE,         "VV:V",  0) \
	X(I8X16_GE_U,                   "i8x16.ge_u",                     0xfd, 0x2c, NONE,         "VV:V",  0) \
	X(I16X8_EQ,                     "i16x8.eq",                       0xfd, 0x2d, NONE,         "VV:V",  0) \
	X(I16X8_NE,                     "i16x8.ne",                       0xfd, 0x2e, NONE,         "VV:V",  0) \
	X(I16X8_LT_S,                   "i16x8.lt_s",                     0xfd, 0x2f, NONE,         "VV:V",  0) \
	X(I16X8_LT_U,                   "i16x8.lt_u",                     0xfd, 0x30, NONE,         "VV:V",  0) \
	X(I16X8_GT_S,                   "i16x8.gt_s",                     0xfd, 0x31, NONE,         "VV:V",  0) \
	X(I16X8_GT_U,                   "i16x8.gt_u",                     0xfd, 0x32, NONE,         "VV:V",  0) \
	X(I16X8_LE_S,                   "i16x8.le_s",                     0xfd, 0x33, NONE,         "VV:V",  0) \
	X(I16X8_LE_U,                   "i16x8.le_u",                     0xfd, 0x34, NONE,         "VV:V",  0) \
	X(I16X8_GE_S,                   "i16x8.ge_s",                     0xfd, 0x35, NONE,         "VV:V",  0) \
	X(I16X8_GE_U,                   "i16x8.ge_u",                     0xfd, 0x36, NONE,         "VV:V",  0) \
	X(I32X4_EQ,                     "i32x4.eq",                       0xfd, 0x37, NONE,         "VV:V",  0) \
	X(I32X4_NE,                     "i32x4.ne",                       0xfd, 0x38, NONE,         "VV:V",  0) \
	X(I32X4_LT_S,                   "i32x4.lt_s",                     0xfd, 0x39, NONE,         "VV:V",  0) \
	X(I32X4_LT_U,                   "i32x4.lt_u",                     0xfd, 0x3a, NONE,         "VV:V",  0) \
	X(I32X4_GT_S,                   "i32x4.gt_s",                     0xfd, 0x3b, NONE,         "VV:V",  0) \
	X(I32X4_GT_U,                   "i32x4.gt_u",                     0xfd, 0x3c, NONE,         "VV:V",  0) \
	X(I32X4_LE_S,                   "i32x4.le_s",                     0xfd, 0x3d, NONE,         "VV:V",  0) \
	X(I32X4_LE_U,                   "i32x4.le_u",                     0xfd, 0x3e, NONE,         "VV:V",  0) \
	X(I32X4_GE_S,                   "i32x4.ge_s",                     0xfd, 0x3f, NONE,         "VV:V",  0) \
	X(I32X4_GE_U,                   "i32x4.ge_u",                     0xfd, 0x40, NONE,         "VV:V",  0) \
	X(F32X4_EQ,                     "f32x4.eq",                       0xfd, 0x41, NONE,         "VV:V",  0) \
	X(F32X4_NE,                     "f32x4.ne",                       0xfd, 0x42, NONE,         "VV:V",  0) \
	X(F32X4_LT,                     "f32x4.lt",                       0xfd, 0x43, NONE,         "VV:V",  0) \
	X(F32X4_GT,                     "f32x4.gt",                       0xfd, 0x44, NONE,         "VV:V",  0) \
	X(F32X4_LE,                     "f32x4.le",                       0xfd, 0x45, NONE,         "VV:V",  0) \
	X(F32X4_GE,                     "f32x4.ge",                       0xfd, 0x46, NONE,         "VV:V",  0) \
	X(F64X2_EQ,                     "f64x2.eq",                       0xfd, 0x47, NONE,         "VV:V",  0) \
	X(F64X2_NE,                     "f64x2.ne",                       0xfd, 0x48, NONE,         "VV:V",  0) \
	X(F64X2_LT,                     "f64x2.lt",                       0xfd, 0x49, NONE,         "VV:V",  0) \
	X(F64X2_GT,                     "f64x2.gt",                       0xfd, 0x4a, NONE,         "VV:V",  0) \
	X(F64X2_LE,                     "f64x2.le",                       0xfd, 0x4b, NONE,         "VV:V",  0) \
	X(F64X2_GE,                     "f64x2.ge",                       0xfd, 0x4c, NONE,         "VV:V",  0) \
	X(V128_NOT,                     "v128.not",                       0xfd, 0x4d, NONE,         "V:V",   0) \
	X(V128_AND,                     "v128.and",                       0xfd, 0x4e, NONE,         "VV:V",  0) \
	X(V128_ANDNOT,                  "v128.andnot",                    0xfd, 0x4f, NONE,         "VV:V",  0) \
	X(V128_OR,                      "v128.or",                        0xfd, 0x50, NONE,         "VV:V",  0) \
	X(V128_XOR,                     "v128.xor",                       0xfd, 0x51, NONE,         "VV:V",  0) \
	X(V128_BITSELECT,               "v128.bitselect",                 0xfd, 0x52, NONE,         "VVV:V", 0) \
	X(V128_ANY_TRUE,                "v128.any_true",                  0xfd, 0x53, NONE,         "V:i",   0) \
	X(V128_LOAD8_LANE,              "v128.load8_lane",                0xfd, 0x54, MEMARG_LANE,  "iV:V",  0) \
	X(V128_LOAD16_LANE,             "v128.load16_lane",               0xfd, 0x55, MEMARG_LANE,  "iV:V",  1) \
	X(V128_LOAD32_LANE,             "v128.load32_lane",               0xfd, 0x56, MEMARG_LANE,  "iV:V",  2) \
	X(V128_LOAD64_LANE,             "v128.load64_lane",               0xfd, 0x57, MEMARG_LANE,  "iV:V",  3) \
	X(V128_STORE8_LANE,             "v128.store8_lane",               0xfd, 0x58, MEMARG_LANE,  "iV:",   0) \
	X(V128_STORE16_LANE,            "v128.store16_lane",              0xfd, 0x59, MEMARG_LANE,  "iV:",   1) \
	X(V128_STORE32_LANE,            "v128.store32_lane",              0xfd, 0x5a, MEMARG_LANE,  "iV:",   2) \
	X(V128_STORE64_LANE,            "v128.store64_lane",              0xfd, 0x5b, MEMARG_LANE,  "iV:",   3) \
	X(V128_LOAD32_ZERO,             "v128.load32_zero",               0xfd, 0x5c, MEMARG,       "i:V",   2) \
	X(V128_LOAD64_ZERO,             "v128.load64_zero",               0xfd, 0x5d, MEMARG,       "i:V",   3) \
	X(F32X4_DEMOTE_F64X2_ZERO,      "f32x4.demote_f64x2_zero",        0xfd, 0x5e, NONE,         "V:V",   0) \
	X(F64X2_PROMOTE_LOW_F32X4,      "f64x2.promote_low_f32x4",        0xfd, 0x5f, NONE,         "V:V",   0) \
	X(I8X16_ABS,                    "i8x16.abs",                      0xfd, 0x60, NONE,         "V:V",   0) \
	X(I8X16_NEG,                    "i8x16.neg",                      0xfd, 0x61, NONE,         "V:V",   0) \
	X(I8X16_POPCNT,                 "i8x16.popcnt",                   0xfd, 0x62, NONE,         "V:V",   0) \
	X(I8X16_ALL_TRUE,               "i8x16.all_true",                 0xfd, 0x63, NONE,         "V:i",   0) \
	X(I8X16_BITMASK,                "i8x16.bitmask",                  0xfd, 0x64, NONE,         "V:i",   0) \
	X(I8X16_NARROW_I16X8_S,         "i8x16.narrow_i16x8_s",           0xfd, 0x65, NONE,         "VV:V",  0) \
	X(I8X16_NARROW_I16X8_U,         "i8x16.narrow_i16x8_u",           0xfd, 0x66, NONE,         "VV:V",  0) \
	X(F32X4_CEIL,                   "f32x4.ceil",                     0xfd, 0x67, NONE,         "V:V",   0) \
	X(F32X4_FLOOR,                  "f32x4.floor",                    0xfd, 0x68, NONE,         "V:V",   0) \
	X(F32X4_TRUNC,                  "f32x4.trunc",                    0xfd, 0x69, NONE,         "V:V",   0) \
	X(F32X4_NEAREST,                "f32x4.nearest",                  0xfd, 0x6a, NONE,         "V:V",   0) \
	X(I8X16_SHL,                    "i8x16.shl",                      0xfd, 0x6b, NONE,         "Vi:V",  0) \
	X(I8X16_SHR_S,                  "i8x16.shr_s",                    0xfd, 0x6c, NONE,         "Vi:V",  0) \
	X(I8X16_SHR_U,                  "i8x16.shr_u",                    0xfd, 0x6d, NONE,         "Vi:V",  0) \
	X(I8X16_ADD,                    "i8x16.add",                      0xfd, 0x6e, NONE,         "VV:V",  0) \
	X(I8X16_ADD_SAT_S,              "i8x16.add_sat_s",                0xfd, 0x6f, NONE,         "VV:V",  0) \
	X(I8X16_ADD_SAT_U,              "i8x16.add_sat_u",                0xfd, 0x70, NONE,         "VV:V",  0) \
	X(I8X16_SUB,                    "i8x16.sub",                      0xfd, 0x71, NONE,         "VV:V",  0) \
	X(I8X16_SUB_SAT_S,              "i8x16.sub_sat_s",                0xfd, 0x72, NONE,         "VV:V",  0) \
	X(I8X16_SUB_SAT_U,              "i8x16.sub_sat_u",                0xfd, 0x73, NONE,         "VV:V",  0) \
	X(F64X2_CEIL,                   "f64x2.ceil",                     0xfd, 0x74, NONE,         "V:V",   0) \
	X(F64X2_FLOOR,                  "f64x2.floor",                    0xfd, 0x75, NONE,         "V:V",   0) \
	X(I8X16_MIN_S,                  "i8x16.min_s",                    0xfd, 0x76, NONE,         "VV:V",  0) \
	X(I8X16_MIN_U,                  "i8x16.min_u",                    0xfd, 0x77, NONE,         "VV:V",  0) \
	X(I8X16_MAX_S,                  "i8x16.max_s",                    0xfd, 0x78, NONE,         "VV:V",  0) \
	X(I8X16_MAX_U,                  "i8x16.max_u",                    0xfd, 0x79, NONE,         "VV:V",  0) \
	X(F64X2_TRUNC,                  "f64x2.trunc",                    0xfd, 0x7a, NONE,         "V:V",   0) \
	X(I8X16_AVGR_U,                 "i8x16.avgr_u",                   0xfd, 0x7b, NONE,         "VV:V",  0) \
	X(I16X8_EXTADD_PAIRWISE_I8X16_S, "i16x8.extadd_pairwise_i8x16_s",  0xfd, 0x7c, NONE,         "V:V",   0) \
	X(I16X8_EXTADD_PAIRWISE_I8X16_U, "i16x8.extadd_pairwise_i8x16_u",  0xfd, 0x7d, NONE,         "V:V",   0) \
	X(I32X4_EXTADD_PAIRWISE_I16X8_S, "i32x4.extadd_pairwise_i16x8_s",  0xfd, 0x7e, NONE,         "V:V",   0) \
	X(I32X4_EXTADD_PAIRWISE_I16X8_U, "i32x4.extadd_pairwise_i16x8_u",  0xfd, 0x7f, NONE,         "V:V",   0) \
	X(I16X8_ABS,                    "i16x8.abs",                      0xfd, 0x80, NONE,         "V:V",   0) \
	X(I16X8_NEG,                    "i16x8.neg",                      0xfd, 0x81, NONE,         "V:V",   0) \
	X(I16X8_Q15MULR_SAT_S,          "i16x8.q15mulr_sat_s",            0xfd, 0x82, NONE,         "VV:V",  0) \
	X(I16X8_ALL_TRUE,               "i16x8.all_true",                 0xfd, 0x83, NONE,         "V:i",   0) \
	X(I16X8_BITMASK,                "i16x8.bitmask",                  0xfd, 0x84, NONE,         "V:i",   0) \
	X(I16X8_NARROW_I32X4_S,         "i16x8.narrow_i32x4_s",           0xfd, 0x85, NONE,         "VV:V",  0) \
	X(I16X8_NARROW_I32X4_U,         "i16x8.narrow_i32x4_u",           0xfd, 0x86, NONE,         "VV:V",  0) \
	X(I16X8_EXTEND_LOW_I8X16_S,     "i16x8.extend_low_i8x16_s",       0xfd, 0x87, NONE,         "V:V",   0) \
	X(I16X8_EXTEND_HIGH_I8X16_S,    "i16x8.extend_high_i8x16_s",      0xfd, 0x88, NONE,         "V:V",   0) \
	X(I16X8_EXTEND_LOW_I8X16_U,     "i16x8.extend_low_i8x16_u",       0xfd, 0x89, NONE,         "V:V",   0) \
	X(I16X8_EXTEND_HIGH_I8X16_U,    "i16x8.extend_high_i8x16_u",      0xfd, 0x8a, NONE,         "V:V",   0) \
	X(I16X8_SHL,                    "i16x8.shl",                      0xfd, 0x8b, NONE,         "Vi:V",  0) \
	X(I16X8_SHR_S,                  "i16x8.shr_s",                    0xfd, 0x8c, NONE,         "Vi:V",  0) \
	X(I16X8_SHR_U,                  "i16x8.shr_u",                    0xfd, 0x8d, NONE,         "Vi:V",  0) \
	X(I16X8_ADD,                    "i16x8.add",                      0xfd, 0x8e, NONE,         "VV:V",  0) \
	X(I16X8_ADD_SAT_S,              "i16x8.add_sat_s",                0xfd, 0x8f, NONE,         "VV:V",  0) \
	X(I16X8_ADD_SAT_U,              "i16x8.add_sat_u",                0xfd, 0x90, NONE,         "VV:V",  0) \
	X(I16X8_SUB,                    "i16x8.sub",                      0xfd, 0x91, NONE,         "VV:V",  0) \
	X(I16X8_SUB_SAT_S,              "i16x8.sub_sat_s",                0xfd, 0x92, NONE,         "VV:V",  0) \
	X(I16X8_SUB_SAT_U,              "i16x8.sub_sat_u",                0xfd, 0x93, NONE,         "VV:V",  0) \
	X(F64X2_NEAREST,                "f64x2.nearest",                  0xfd, 0x94, NONE,         "V:V",   0) \
	X(I16X8_MUL,                    "i16x8.mul",                      0xfd, 0x95, NONE,         "VV:V",  0) \
	X(I16X8_MIN_S,                  "i16x8.min_s",                    0xfd, 0x96, NONE,         "VV:V",  0) \
	X(I16X8_MIN_U,                  "i16x8.min_u",                    0xfd, 0x97, NONE,         "VV:V",  0) \
	X(I16X8_MAX_S,                  "i16x8.max_s",                    0xfd, 0x98, NONE,         "VV:V",  0) \
	X(I16X8_MAX_U,                  "i16x8.max_u",                    0xfd, 0x99, NONE,         "VV:V",  0) \
	X(I16X8_AVGR_U,                 "i16x8.avgr_u",                   0xfd, 0x9b, NONE,         "VV:V",  0) \
	X(I16X8_EXTMUL_LOW_I8X16_S,     "i16x8.extmul_low_i8x16_s",       0xfd, 0x9c, NONE,         "VV:V",  0) \
	X(I16X8_EXTMUL_HIGH_I8X16_S,    "i16x8.extmul_high_i8x16_s",      0xfd, 0x9d, NONE,         "VV:V",  0) \
	X(I16X8_EXTMUL_LOW_I8X16_U,     "i16x8.extmul_low_i8x16_u",       0xfd, 0x9e, NONE,         "VV:V",  0) \
	X(I16X8_EXTMUL_HIGH_I8X16_U,    "i16x8.extmul_high_i8x16_u",      0xfd, 0x9f, NONE,         "VV:V",  0) \
	X(I32X4_ABS,                    "i32x4.abs",                      0xfd, 0xa0, NONE,         "V:V",   0) \
	X(I32X4_NEG,                    "i32x4.neg",                      0xfd, 0xa1, NONE,         "V:V",   0) \
	X(I32X4_ALL_TRUE,               "i32x4.all_true",                 0xfd, 0xa3, NONE,         "V:i",   0) \
	X(I32X4_BITMASK,                "i32x4.bitmask",                  0xfd, 0xa4, NONE,         "V:i",   0) \
	X(I32X4_EXTEND_LOW_I16X8_S,     "i32x4.extend_low_i16x8_s",       0xfd, 0xa7, NONE,         "V:V",   0) \
	X(I32X4_EXTEND_HIGH_I16X8_S,    "i32x4.extend_high_i16x8_s",      0xfd, 0xa8, NONE,         "V:V",   0) \
	X(I32X4_EXTEND_LOW_I16X8_U,     "i32x4.extend_low_i16x8_u",       0xfd, 0xa9, NONE,         "V:V",   0) \
	X(I32X4_EXTEND_HIGH_I16X8_U,    "i32x4.extend_high_i16x8_u",      0xfd, 0xaa, NONE,         "V:V",   0) \
	X(I32X4_SHL,                    "i32x4.shl",                      0xfd, 0xab, NONE,         "Vi:V",  0) \
	X(I32X4_SHR_S,                  "i32x4.shr_s",                    0xfd, 0xac, NONE,         "Vi:V",  0) \
	X(I32X4_SHR_U,                  "i32x4.shr_u",                    0xfd, 0xad, NONE,         "Vi:V",  0) \
	X(I32X4_ADD,                    "i32x4.add",                      0xfd, 0xae, NONE,         "VV:V",  0) \
	X(I32X4_SUB,                    "i32x4.sub",                      0xfd, 0xb1, NONE,         "VV:V",  0) \
	X(I32X4_MUL,                    "i32x4.mul",                      0xfd, 0xb5, NONE,         "VV:V",  0) \
	X(I32X4_MIN_S,                  "i32x4.min_s",                    0xfd, 0xb6, NONE,         "VV:V",  0) \
	X(I32X4_MIN_U,                  "i32x4.min_u",                    0xfd, 0xb7, NONE,         "VV:V",  0) \
	X(I32X4_MAX_S,                  "i32x4.max_s",                    0xfd, 0xb8, NONE,         "VV:V",  0) \
	X(I32X4_MAX_U,                  "i32x4.max_u",                    0xfd, 0xb9, NONE,         "VV:V",  0) \
	X(I32X4_DOT_I16X8_S,            "i32x4.dot_i16x8_s",              0xfd, 0xba, NONE,         "VV:V",  0) \
	X(I32X4_EXTMUL_LOW_I16X8_S,     "i32x4.extmul_low_i16x8_s",       0xfd, 0xbc, NONE,         "VV:V",  0) \
	X(I32X4_EXTMUL_HIGH_I16X8_S,    "i32x4.extmul_high_i16x8_s",      0xfd, 0xbd, NONE,         "VV:V",  0) \
	X(I32X4_EXTMUL_LOW_I16X8_U,     "i32x4.extmul_low_i16x8_u",       0xfd, 0xbe, NONE,         "VV:V",  0) \
	X(I32X4_EXTMUL_HIGH_I16X8_U,    "i32x4.extmul_high_i16x8_u",      0xfd, 0xbf, NONE,         "VV:V",  0) \
	X(I64X2_ABS,                    "i64x2.abs",                      0xfd, 0xc0, NONE,         "V:V",   0) \
	X(I64X2_NEG,                    "i64x2.neg",                      0xfd, 0xc1, NONE,         "V:V",   0) \
	X(I64X2_ALL_TRUE,               "i64x2.all_true",                 0xfd, 0xc3, NONE,         "V:i",   0) \
	X(I64X2_BITMASK,                "i64x2.bitmask",                  0xfd, 0xc4, NONE,         "V:i",   0) \
	X(I64X2_EXTEND_LOW_I32X4_S,     "i64x2.extend_low_i32x4_s",       0xfd, 0xc7, NONE,         "V:V",   0) \
	X(I64X2_EXTEND_HIGH_I32X4_S,    "i64x2.extend_high_i32x4_s",      0xfd, 0xc8, NONE,         "V:V",   0) \
	X(I64X2_EXTEND_LOW_I32X4_U,     "i64x2.extend_low_i32x4_u",       0xfd, 0xc9, NONE,         "V:V",   0) \
	X(I64X2_EXTEND_HIGH_I32X4_U,    "i64x2.extend_high_i32x4_u",      0xfd, 0xca, NONE,         "V:V",   0) \
	X(I64X2_SHL,                    "i64x2.shl",                      0xfd, 0xcb, NONE,         "Vi:V",  0) \
	X(I64X2_SHR_S,                  "i64x2.shr_s",                    0xfd, 0xcc, NONE,         "Vi:V",  0) \
	X(I64X2_SHR_U,                  "i64x2.shr_u",                    0xfd, 0xcd, NONE,         "Vi:V",  0) \
	X(I64X2_ADD,                    "i64x2.add",                      0xfd, 0xce, NONE,         "VV:V",  0) \
	X(I64X2_SUB,                    "i64x2.sub",                      0xfd, 0xd1, NONE,         "VV:V",  0) \
	X(I64X2_MUL,                    "i64x2.mul",                      0xfd, 0xd5, NONE,         "VV:V",  0) \
	X(I64X2_EQ,                     "i64x2.eq",                       0xfd, 0xd6, NONE,         "VV:V",  0) \
	X(I64X2_NE,                     "i64x2.ne",                       0xfd, 0xd7, NONE,         "VV:V",  0) \
	X(I64X2_LT_S,                   "i64x2.lt_s",                     0xfd, 0xd8, NONE,         "VV:V",  0) \
	X(I64X2_GT_S,                   "i64x2.gt_s",                     0xfd, 0xd9, NONE,         "VV:V",  0) \
	X(I64X2_LE_S,                   "i64x2.le_s",                     0xfd, 0xda, NONE,         "VV:V",  0) \
	X(I64X2_GE_S,                   "i64x2.ge_s",                     0xfd, 0xdb, NONE,         "VV:V",  0) \
	X(I64X2_EXTMUL_LOW_I32X4_S,     "i64x2.extmul_low_i32x4_s",       0xfd, 0xdc, NONE,         "VV:V",  0) \
	X(I64X2_EXTMUL_HIGH_I32X4_S,    "i64x2.extmul_high_i32x4_s",      0xfd, 0xdd, NONE,         "VV:V",  0) \
	X(I64X2_EXTMUL_LOW_I32X4_U,     "i64x2.extmul_low_i32x4_u",       0xfd, 0xde, NONE,         "VV:V",  0) \
	X(I64X2_EXTMUL_HIGH_I32X4_U,    "i64x2.extmul_high_i32x4_u",      0xfd, 0xdf, NONE,         "VV:V",  0) \
	X(F32X4_ABS,                    "f32x4.abs",                      0xfd, 0xe0, NONE,         "V:V",   0) \
	X(F32X4_NEG,                    "f32x4.neg",                      0xfd, 0xe1, NONE,         "V:V",   0) \
	X(F32X4_SQRT,                   "f32x4.sqrt",                     0xfd, 0xe3, NONE,         "V:V",   0) \
	X(F32X4_ADD,                    "f32x4.add",                      0xfd, 0xe4, NONE,         "VV:V",  0) \
	X(F32X4_SUB,                    "f32x4.sub",                      0xfd, 0xe5, NONE,         "VV:V",  0) \
	X(F32X4_MUL,                    "f32x4.mul",                      0xfd, 0xe6, NONE,         "VV:V",  0) \
	X(F32X4_DIV,                    "f32x4.div",                      0xfd, 0xe7, NONE,         "VV:V",  0) \
	X(F32X4_MIN,                    "f32x4.min",                      0xfd, 0xe8, NONE,         "VV:V",  0) \
	X(F32X4_MAX,                    "f32x4.max",                      0xfd, 0xe9, NONE,         "VV:V",  0) \
	X(F32X4_PMIN,                   "f32x4.pmin",                     0xfd, 0xea, NONE,         "VV:V",  0) \
	X(F32X4_PMAX,                   "f32x4.pmax",                     0xfd, 0xeb, NONE,         "VV:V",  0) \
	X(F64X2_ABS,                    "f64x2.abs",                      0xfd, 0xec, NONE,         "V:V",   0) \
	X(F64X2_NEG,                    "f64x2.neg",                      0xfd, 0xed, NONE,         "V:V",   0) \
	X(F64X2_SQRT,                   "f64x2.sqrt",                     0xfd, 0xef, NONE,         "V:V",   0) \
	X(F64X2_ADD,                    "f64x2.add",                      0xfd, 0xf0, NONE,         "VV:V",  0) \
	X(F64X2_SUB,                    "f64x2.sub",                      0xfd, 0xf1, NONE,         "VV:V",  0) \
	X(F64X2_MUL,                    "f64x2.mul",                      0xfd, 0xf2, NONE,         "VV:V",  0) \
	X(F64X2_DIV,                    "f64x2.div",                      0xfd, 0xf3, NONE,         "VV:V",  0) \
	X(F64X2_MIN,                    "f64x2.min",                      0xfd, 0xf4, NONE,         "VV:V",  0) \
	X(F64X2_MAX,                    "f64x2.max",                      0xfd, 0xf5, NONE,         "VV:V",  0) \
	X(F64X2_PMIN,                   "f64x2.pmin",                     0xfd, 0xf6, NONE,         "VV:V",  0) \
	X(F64X2_PMAX,                   "f64x2.pmax",                     0xfd, 0xf7, NONE,         "VV:V",  0) \
	X(I32X4_TRUNC_SAT_F32X4_S,      "i32x4.trunc_sat_f32x4_s",        0xfd, 0xf8, NONE,         "V:V",   0) \
	X(I32X4_TRUNC_SAT_F32X4_U,      "i32x4.trunc_sat_f32x4_u",        0xfd, 0xf9, NONE,         "V:V",   0) \
	X(F32X4_CONVERT_I32X4_S,        "f32x4.convert_i32x4_s",          0xfd, 0xfa, NONE,         "V:V",   0) \
	X(F32X4_CONVERT_I32X4_U,        "f32x4.convert_i32x4_u",          0xfd, 0xfb, NONE,         "V:V",   0) \
	X(I32X4_TRUNC_SAT_F64X2_S_ZERO, "i32x4.trunc_sat_f64x2_s_zero",   0xfd, 0xfc, NONE,         "V:V",   0) \
	X(I32X4_TRUNC_SAT_F64X2_U_ZERO, "i32x4.trunc_sat_f64x2_u_zero",   0xfd, 0xfd, NONE,         "V:V",   0) \
	X(F64X2_CONVERT_LOW_I32X4_S,    "f64x2.convert_low_i32x4_s",      0xfd, 0xfe, NONE,         "V:V",   0) \
	X(F64X2_CONVERT_LOW_I32X4_U,    "f64x2.convert_low_i32x4_u",      0xfd, 0xff, NONE,         "V:V",   0) \
	/* relaxed SIMD (Wasm 3.0); compile.c says what each one does in wrun */ \
	X(I8X16_RELAXED_SWIZZLE,                 "i8x16.relaxed_swizzle",              0xfd, 0x100, NONE,   "VV:V",  0) \
	X(I32X4_RELAXED_TRUNC_F32X4_S,           "i32x4.relaxed_trunc_f32x4_s",        0xfd, 0x101, NONE,   "V:V",   0) \
	X(I32X4_RELAXED_TRUNC_F32X4_U,           "i32x4.relaxed_trunc_f32x4_u",        0xfd, 0x102, NONE,   "V:V",   0) \
	X(I32X4_RELAXED_TRUNC_F64X2_S_ZERO,      "i32x4.relaxed_trunc_f64x2_s_zero",   0xfd, 0x103, NONE,   "V:V",   0) \
	X(I32X4_RELAXED_TRUNC_F64X2_U_ZERO,      "i32x4.relaxed_trunc_f64x2_u_zero",   0xfd, 0x104, NONE,   "V:V",   0) \
	X(F32X4_RELAXED_MADD,                    "f32x4.relaxed_madd",                 0xfd, 0x105, NONE,   "VVV:V", 0) \
	X(F32X4_RELAXED_NMADD,                   "f32x4.relaxed_nmadd",                0xfd, 0x106, NONE,   "VVV:V", 0) \
	X(F64X2_RELAXED_MADD,                    "f64x2.relaxed_madd",                 0xfd, 0x107, NONE,   "VVV:V", 0) \
	X(F64X2_RELAXED_NMADD,                   "f64x2.relaxed_nmadd",                0xfd, 0x108, NONE,   "VVV:V", 0) \
	X(I8X16_RELAXED_LANESELECT,              "i8x16.relaxed_laneselect",           0xfd, 0x109, NONE,   "VVV:V", 0) \
	X(I16X8_RELAXED_LANESELECT,              "i16x8.relaxed_laneselect",           0xfd, 0x10a, NONE,   "VVV:V", 0) \
	X(I32X4_RELAXED_LANESELECT,              "i32x4.relaxed_laneselect",           0xfd, 0x10b, NONE,   "VVV:V", 0) \
	X(I64X2_RELAXED_LANESELECT,              "i64x2.relaxed_laneselect",           0xfd, 0x10c, NONE,   "VVV:V", 0) \
	X(F32X4_RELAXED_MIN,                     "f32x4.relaxed_min",                  0xfd, 0x10d, NONE,   "VV:V",  0) \
	X(F32X4_RELAXED_MAX,                     "f32x4.relaxed_max",                  0xfd, 0x10e, NONE,   "VV:V",  0) \
	X(F64X2_RELAXED_MIN,                     "f64x2.relaxed_min",                  0xfd, 0x10f, NONE,   "VV:V",  0) \
	X(F64X2_RELAXED_MAX,                     "f64x2.relaxed_max",                  0xfd, 0x110, NONE,   "VV:V",  0) \
	X(I16X8_RELAXED_Q15MULR_S,               "i16x8.relaxed_q15mulr_s",            0xfd, 0x111, NONE,   "VV:V",  0) \
	X(I16X8_RELAXED_DOT_I8X16_I7X16_S,       "i16x8.relaxed_dot_i8x16_i7x16_s",    0xfd, 0x112, NONE,   "VV:V",  0) \
	X(I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S,   "i32x4.relaxed_dot_i8x16_i7x16_add_s", 0xfd, 0x113, NONE,   "VVV:V", 0) \
	/* ---- exception handling (Wasm 3.0), and its legacy form (try ... delegate) ---- */ \
	X(THROW,               "throw",                 0x00, 0x08, TAG,           NULL,    0) \
	X(THROW_REF,           "throw_ref",             0x00, 0x0a, NONE,          NULL,    0) \
	X(TRY_TABLE,           "try_table",             0x00, 0x1f, TRY_TABLE,     NULL,    0) \
	X(TRY,                 "try",                   0x00, 0x06, BLOCKTYPE,     NULL,    0) \
	X(CATCH,               "catch",                 0x00, 0x07, TAG,           NULL,    0) \
	X(RETHROW,             "rethrow",               0x00, 0x09, LABEL,         NULL,    0) \
	X(DELEGATE,            "delegate",              0x00, 0x18, LABEL,         NULL,    0) \
	X(CATCH_ALL,           "catch_all",             0x00, 0x19, NONE,          NULL,    0) \
	/* ---- garbage collection (Wasm 3.0): references of the any hierarchy, casts ---- */ \
	X(REF_EQ,              "ref.eq",                0x00, 0xd3, NONE,          NULL,    0) \
	X(REF_TEST,            "ref.test",              0xfb, 0x14, CAST,          NULL,    0) \
	X(REF_TEST_NULL,       "ref.test",              0xfb, 0x15, CAST,          NULL,    0) \
	X(REF_CAST,            "ref.cast",              0xfb, 0x16, CAST,          NULL,    0) \
	X(REF_CAST_NULL,       "ref.cast",              0xfb, 0x17, CAST,          NULL,    0) \
	X(BR_ON_CAST,          "br_on_cast",            0xfb, 0x18, BR_ON_CAST,    NULL,    0) \
	X(BR_ON_CAST_FAIL,     "br_on_cast_fail",       0xfb, 0x19, BR_ON_CAST,    NULL,    0) \
	X(ANY_CONVERT_EXTERN,  "any.convert_extern",    0xfb, 0x1a, NONE,          NULL,    0) \
	X(EXTERN_CONVERT_ANY,  "extern.convert_any",    0xfb, 0x1b, NONE,          NULL,    0) \
	X(REF_I31,             "ref.i31",               0xfb, 0x1c, NONE,          NULL,    0) \
	X(I31_GET_S,           "i31.get_s",             0xfb, 0x1d, NONE,          NULL,    0) \
	X(I31_GET_U,           "i31.get_u",             0xfb, 0x1e, NONE,          NULL,    0) \
	/* ---- garbage collection: structs and arrays (a: type, b: field, count, segment, type) ---- */ \
	X(STRUCT_NEW,          "struct.new",            0xfb, 0x00, TYPE,          NULL,    0) \
	X(STRUCT_NEW_DEFAULT,  "struct.new_default",    0xfb, 0x01, TYPE,          NULL,    0) \
	X(STRUCT_GET,          "struct.get",            0xfb, 0x02, TYPE2,         NULL,    0) \
	X(STRUCT_GET_S,        "struct.get_s",          0xfb, 0x03, TYPE2,         NULL,    0) \
	X(STRUCT_GET_U,        "struct.get_u",          0xfb, 0x04, TYPE2,         NULL,    0) \
	X(STRUCT_SET,          "struct.set",            0xfb, 0x05, TYPE2,         NULL,    0) \
	X(ARRAY_NEW,           "array.new",             0xfb, 0x06, TYPE,          NULL,    0) \
	X(ARRAY_NEW_DEFAULT,   "array.new_default",     0xfb, 0x07, TYPE,          NULL,    0) \
	X(ARRAY_NEW_FIXED,     "array.new_fixed",       0xfb, 0x08, TYPE2,         NULL,    0) \
	X(ARRAY_NEW_DATA,      "array.new_data",        0xfb, 0x09, TYPE2,         NULL,    0) \
	X(ARRAY_NEW_ELEM,      "array.new_elem",        0xfb, 0x0a, TYPE2,         NULL,    0) \
	X(ARRAY_GET,           "array.get",             0xfb, 0x0b, TYPE,          NULL,    0) \
	X(ARRAY_GET_S,         "array.get_s",           0xfb, 0x0c, TYPE,          NULL,    0) \
	X(ARRAY_GET_U,         "array.get_u",           0xfb, 0x0d, TYPE,          NULL,    0) \
	X(ARRAY_SET,           "array.set",             0xfb, 0x0e, TYPE,          NULL,    0) \
	X(ARRAY_LEN,           "array.len",             0xfb, 0x0f, NONE,          NULL,    0) \
	X(ARRAY_FILL,          "array.fill",            0xfb, 0x10, TYPE,          NULL,    0) \
	X(ARRAY_COPY,          "array.copy",            0xfb, 0x11, TYPE2,         NULL,    0) \
	X(ARRAY_INIT_DATA,     "array.init_data",       0xfb, 0x12, TYPE2,         NULL,    0) \
	X(ARRAY_INIT_ELEM,     "array.init_elem",       0xfb, 0x13, TYPE2,         NULL,    0)

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
	IMM_MEMARG,        /* u32 flags (align, bit 6: a u32 memory index follows), u64 offset */
	IMM_MEMIDX,        /* u32 memory index (a zero byte in Wasm 2.0) */
	IMM_I32,           /* s32 */
	IMM_I64,           /* s64 */
	IMM_F32,           /* 4 raw bytes */
	IMM_F64,           /* 8 raw bytes */
	IMM_SELECT_T,      /* vec(valtype), length must be 1 */
	IMM_REFTYPE,       /* a heap type (ref.null) */
	IMM_MEMORY_INIT,   /* u32 data index, u32 memory index */
	IMM_DATA,          /* u32 data index */
	IMM_MEMORY_COPY,   /* u32 memory index (dst), u32 memory index (src) */
	IMM_TABLE_INIT,    /* u32 elem index, u32 table index */
	IMM_ELEM,          /* u32 elem index */
	IMM_TABLE_COPY,    /* u32 table index (dst), u32 table index (src) */
	IMM_V128,          /* 16 raw bytes (SIMD) */
	IMM_LANE,          /* one lane index byte (SIMD) */
	IMM_MEMARG_LANE,   /* memarg, then a lane index byte (SIMD) */
	IMM_SHUFFLE,       /* 16 lane index bytes (SIMD) */
	IMM_TYPE,          /* u32 type index (call_ref) */
	IMM_TAG,           /* u32 tag index */
	IMM_TRY_TABLE,     /* block type, then vec(catch clause) */
	IMM_TYPE2,         /* u32 type index (a), then a u32 (b): field, count, segment, type */
	IMM_CAST,          /* a heap type (ref.test, ref.cast): vt, nullable by the opcode */
	IMM_BR_ON_CAST,    /* flags byte, label (a), two heap types: the source type in
	                      imm, the target type in vt (bits 0, 1: nullable) */
};

enum wr_opcode {
#define X(name, text, prefix, code, imm, sig, align) OP_##name,
	WR_OPCODES(X)
#undef X
	OP__COUNT
};

#endif
