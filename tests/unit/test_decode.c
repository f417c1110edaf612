/*
 * test_decode.c: the decoder and the validator on their own, through
 * module.h: the LEB128 reader, the instruction decoder, the fields a real
 * module decodes into, and robustness. Every prefix of two real modules and
 * thousands of random byte flips of them must be accepted or rejected with
 * a message and an offset inside the module, never crash (this test also
 * runs under AddressSanitizer and UBSan). Each candidate is decoded from an
 * exact-size heap copy, so a read past the end is caught.
 *
 * The modules are tests/unit/data/features.wat and fib.wat, assembled with
 * `wat2wasm --debug-names` and embedded with `xxd -i`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "module.h"

static const unsigned char features_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x2e, 0x09, 0x60,
  0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x02, 0x7f, 0x7f, 0x60,
  0x01, 0x7f, 0x00, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7f,
  0x02, 0x7f, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7c, 0x60, 0x01, 0x7f, 0x01,
  0x7e, 0x60, 0x00, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x02, 0x2f, 0x04, 0x03,
  0x65, 0x6e, 0x76, 0x03, 0x6c, 0x6f, 0x67, 0x00, 0x02, 0x03, 0x65, 0x6e,
  0x76, 0x03, 0x74, 0x61, 0x62, 0x01, 0x70, 0x00, 0x01, 0x03, 0x65, 0x6e,
  0x76, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x01, 0x01, 0x10, 0x03, 0x65, 0x6e,
  0x76, 0x04, 0x62, 0x61, 0x73, 0x65, 0x03, 0x7f, 0x00, 0x03, 0x0b, 0x0a,
  0x00, 0x01, 0x03, 0x04, 0x05, 0x03, 0x06, 0x07, 0x08, 0x07, 0x04, 0x04,
  0x01, 0x6f, 0x00, 0x02, 0x06, 0x10, 0x03, 0x7f, 0x01, 0x41, 0x00, 0x0b,
  0x70, 0x00, 0xd2, 0x01, 0x0b, 0x7e, 0x00, 0x42, 0x7f, 0x0b, 0x07, 0x32,
  0x06, 0x07, 0x75, 0x6e, 0x72, 0x65, 0x61, 0x63, 0x68, 0x00, 0x0a, 0x03,
  0x61, 0x64, 0x64, 0x00, 0x01, 0x08, 0x63, 0x6c, 0x61, 0x73, 0x73, 0x69,
  0x66, 0x79, 0x00, 0x03, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x07, 0x63,
  0x6f, 0x75, 0x6e, 0x74, 0x65, 0x72, 0x03, 0x01, 0x03, 0x65, 0x78, 0x74,
  0x01, 0x01, 0x08, 0x01, 0x09, 0x09, 0x14, 0x03, 0x00, 0x41, 0x00, 0x0b,
  0x01, 0x01, 0x05, 0x70, 0x02, 0xd2, 0x02, 0x0b, 0xd0, 0x70, 0x0b, 0x03,
  0x00, 0x01, 0x03, 0x0c, 0x01, 0x02, 0x0a, 0x95, 0x02, 0x0a, 0x07, 0x00,
  0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b, 0x06, 0x00, 0x20, 0x00, 0x20, 0x00,
  0x0b, 0x1a, 0x00, 0x02, 0x40, 0x02, 0x40, 0x02, 0x40, 0x20, 0x00, 0x0e,
  0x02, 0x00, 0x01, 0x02, 0x0b, 0x41, 0x0a, 0x0f, 0x0b, 0x41, 0x14, 0x0f,
  0x0b, 0x41, 0x1e, 0x0b, 0x09, 0x00, 0x20, 0x01, 0x20, 0x00, 0x02, 0x04,
  0x0b, 0x0b, 0x2e, 0x01, 0x01, 0x7c, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0xf8, 0x3f, 0x21, 0x01, 0x20, 0x00, 0x04, 0x7c, 0x20, 0x01, 0x05,
  0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x44, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x08, 0x40, 0x20, 0x00, 0x1c, 0x01, 0x7c, 0x0b,
  0x0b, 0x19, 0x01, 0x01, 0x7f, 0x03, 0x40, 0x20, 0x01, 0x20, 0x00, 0x6a,
  0x21, 0x01, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x22, 0x00, 0x0d, 0x00, 0x0b,
  0x20, 0x01, 0x0b, 0x3f, 0x00, 0x20, 0x00, 0x41, 0x07, 0x36, 0x01, 0x04,
  0x41, 0x00, 0x41, 0x00, 0x41, 0x04, 0xfc, 0x0b, 0x00, 0x41, 0x08, 0x41,
  0x00, 0x41, 0x04, 0xfc, 0x0a, 0x00, 0x00, 0x41, 0x10, 0x41, 0x00, 0x41,
  0x02, 0xfc, 0x08, 0x01, 0x00, 0xfc, 0x09, 0x01, 0x41, 0x00, 0x40, 0x00,
  0x1a, 0x3f, 0x00, 0x1a, 0x20, 0x00, 0x31, 0x00, 0x00, 0x43, 0x00, 0x00,
  0x20, 0x40, 0xfc, 0x00, 0xad, 0x7c, 0x0b, 0x46, 0x00, 0x41, 0x00, 0xd0,
  0x6f, 0x26, 0x01, 0x41, 0x01, 0x25, 0x01, 0x1a, 0xd0, 0x6f, 0x41, 0x01,
  0xfc, 0x0f, 0x01, 0x1a, 0x41, 0x00, 0xd0, 0x6f, 0x41, 0x01, 0xfc, 0x11,
  0x01, 0x41, 0x00, 0x41, 0x00, 0x41, 0x01, 0xfc, 0x0c, 0x00, 0x00, 0xfc,
  0x0d, 0x01, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0e, 0x00, 0x00,
  0xd2, 0x02, 0xd1, 0x1a, 0x41, 0x01, 0x41, 0x02, 0x41, 0x00, 0x11, 0x00,
  0x00, 0xfc, 0x10, 0x01, 0x6a, 0x0b, 0x0a, 0x00, 0x23, 0x00, 0x24, 0x01,
  0x23, 0x01, 0x10, 0x00, 0x0b, 0x04, 0x00, 0x00, 0x6a, 0x0b, 0x0b, 0x10,
  0x02, 0x00, 0x41, 0x00, 0x0b, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x01,
  0x03, 0x01, 0x02, 0x03, 0x00, 0xc6, 0x01, 0x04, 0x6e, 0x61, 0x6d, 0x65,
  0x01, 0x40, 0x0a, 0x00, 0x03, 0x6c, 0x6f, 0x67, 0x01, 0x03, 0x61, 0x64,
  0x64, 0x02, 0x03, 0x64, 0x75, 0x70, 0x03, 0x08, 0x63, 0x6c, 0x61, 0x73,
  0x73, 0x69, 0x66, 0x79, 0x04, 0x04, 0x73, 0x77, 0x61, 0x70, 0x05, 0x04,
  0x70, 0x69, 0x63, 0x6b, 0x06, 0x04, 0x6c, 0x6f, 0x6f, 0x70, 0x07, 0x03,
  0x6d, 0x65, 0x6d, 0x08, 0x06, 0x74, 0x61, 0x62, 0x6c, 0x65, 0x73, 0x09,
  0x05, 0x73, 0x74, 0x61, 0x72, 0x74, 0x02, 0x25, 0x0b, 0x00, 0x00, 0x01,
  0x00, 0x02, 0x00, 0x03, 0x01, 0x00, 0x01, 0x78, 0x04, 0x00, 0x05, 0x01,
  0x01, 0x01, 0x74, 0x06, 0x02, 0x00, 0x01, 0x6e, 0x01, 0x03, 0x61, 0x63,
  0x63, 0x07, 0x00, 0x08, 0x00, 0x09, 0x00, 0x0a, 0x00, 0x04, 0x0e, 0x02,
  0x00, 0x05, 0x62, 0x69, 0x6e, 0x6f, 0x70, 0x01, 0x04, 0x70, 0x61, 0x69,
  0x72, 0x05, 0x06, 0x01, 0x01, 0x03, 0x65, 0x78, 0x74, 0x07, 0x1c, 0x04,
  0x00, 0x04, 0x62, 0x61, 0x73, 0x65, 0x01, 0x07, 0x63, 0x6f, 0x75, 0x6e,
  0x74, 0x65, 0x72, 0x02, 0x04, 0x66, 0x72, 0x65, 0x66, 0x03, 0x04, 0x77,
  0x69, 0x64, 0x65, 0x08, 0x14, 0x02, 0x00, 0x06, 0x61, 0x63, 0x74, 0x69,
  0x76, 0x65, 0x01, 0x09, 0x70, 0x61, 0x73, 0x73, 0x69, 0x76, 0x65, 0x5f,
  0x65, 0x09, 0x0a, 0x01, 0x01, 0x07, 0x70, 0x61, 0x73, 0x73, 0x69, 0x76,
  0x65
};
static const unsigned int features_wasm_len = 721;
static const unsigned char fib_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60,
  0x01, 0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x07, 0x01, 0x03,
  0x66, 0x69, 0x62, 0x00, 0x00, 0x0a, 0x1e, 0x01, 0x1c, 0x00, 0x20, 0x00,
  0x41, 0x02, 0x49, 0x04, 0x7f, 0x20, 0x00, 0x05, 0x20, 0x00, 0x41, 0x01,
  0x6b, 0x10, 0x00, 0x20, 0x00, 0x41, 0x02, 0x6b, 0x10, 0x00, 0x6a, 0x0b,
  0x0b, 0x00, 0x15, 0x04, 0x6e, 0x61, 0x6d, 0x65, 0x01, 0x06, 0x01, 0x00,
  0x03, 0x66, 0x69, 0x62, 0x02, 0x06, 0x01, 0x00, 0x01, 0x00, 0x01, 0x6e
};
static const unsigned int fib_wasm_len = 84;

/* ---- helpers ---- */

/* Decode (and validate, if decoding passed) an exact-size copy of bytes into
 * a fresh module, which the caller frees with unload(). */
static bool load_keep(wr_module *m, const uint8_t *bytes, size_t len, wr_diag *d, bool validate)
{
	uint8_t *copy = malloc(len ? len : 1);
	bool ok;

	assert_non_null(copy);
	memcpy(copy, bytes, len);
	memset(m, 0, sizeof(*m));
	memset(d, 0, sizeof(*d));
	m->bytes = copy;
	m->len = len;
	ok = dec_module(m, d) && (!validate || val_module(m, d));
	if (!ok) {
		assert_true(d->message[0] != 0);
		assert_true(d->offset <= len);
	}
	return ok;
}

static void unload(wr_module *m)
{
	mod_free(m);
	free(m->bytes);
}

/* Load and free; true if the module decodes and validates. */
static bool load(const uint8_t *bytes, size_t len, wr_diag *d)
{
	wr_module m;
	bool ok = load_keep(&m, bytes, len, d, true);
	unload(&m);
	return ok;
}

/* Expect rejection with a message containing want, at offset at. */
static void expect_error(const uint8_t *bytes, size_t len, const char *want, size_t at)
{
	wr_diag d;

	assert_false(load(bytes, len, &d));
	if (!strstr(d.message, want))
		fail_msg("got \"%s\", want \"%s\"", d.message, want);
	assert_int_equal(d.offset, at);
}

/* A module of one function of type [] -> [] whose body (locals and code)
 * is given; the body starts at offset 22. With memory if asked. */
enum { BODY_AT = 22 };
static size_t one_func(uint8_t *out, const uint8_t *body, size_t n)
{
	static const uint8_t head[] = {
		0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
		0x01, 0x04, 0x01, 0x60, 0x00, 0x00,      /* type () -> () */
		0x03, 0x02, 0x01, 0x00,                  /* one function */
	};
	size_t k = sizeof(head);

	memcpy(out, head, k);
	out[k++] = 0x0a;                         /* code section */
	out[k++] = (uint8_t)(n + 2);
	out[k++] = 1;
	out[k++] = (uint8_t)n;
	memcpy(out + k, body, n);
	return k + n;
}

/* ---- the reader ---- */

/* Read one LEB of the given kind from bytes; returns false on error. */
static bool leb(const char *kind, const uint8_t *bytes, size_t n, int64_t *v, wr_diag *d)
{
	dec_reader r;
	uint32_t u32;
	int32_t s32;
	uint64_t u64;
	bool ok;

	memset(d, 0, sizeof(*d));
	dec_reader_init(&r, bytes, 0, n, d);
	if (!strcmp(kind, "u32"))
		ok = dec_u32(&r, &u32), *v = u32;
	else if (!strcmp(kind, "s32"))
		ok = dec_s32(&r, &s32), *v = s32;
	else if (!strcmp(kind, "s33"))
		ok = dec_s33(&r, v);
	else if (!strcmp(kind, "u64"))
		ok = dec_u64(&r, &u64), *v = (int64_t)u64;
	else
		ok = dec_s64(&r, v);
	if (ok)
		assert_ptr_equal(r.p, r.end); /* each case is exactly one number */
	return ok;
}

static void test_reader_leb(void **state)
{
	static const struct {
		const char *kind, *bytes;
		size_t n;
		int64_t value;
		const char *error;
	} cases[] = {
		{ "u32", "\x00", 1, 0, NULL },
		{ "u32", "\xe5\x8e\x26", 3, 624485, NULL },
		{ "u32", "\x82\x80\x80\x80\x00", 5, 2, NULL },
		{ "u32", "\xff\xff\xff\xff\x0f", 5, 0xffffffff, NULL },
		{ "u32", "\xff\xff\xff\xff\x1f", 5, 0, "integer too large" },
		{ "u32", "\x82\x80\x80\x80\x80\x00", 6, 0, "integer representation too long" },
		{ "u32", "\x80\x80", 2, 0, "unexpected end" },
		{ "s32", "\x7f", 1, -1, NULL },
		{ "s32", "\x80\x80\x80\x80\x78", 5, INT32_MIN, NULL },
		{ "s32", "\xff\xff\xff\xff\x07", 5, INT32_MAX, NULL },
		{ "s32", "\xff\xff\xff\xff\x0f", 5, 0, "integer too large" },
		{ "s32", "\x80\x80\x80\x80\x70", 5, 0, "integer too large" },
		{ "s33", "\xff\xff\xff\xff\x0f", 5, 0xffffffff, NULL },
		{ "s33", "\x40", 1, -64, NULL },
		{ "s33", "\xff\xff\xff\xff\x1f", 5, 0, "integer too large" },
		{ "u64", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 10, -1, NULL },
		{ "u64", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", 10, 0, "integer too large" },
		{ "s64", "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x7f", 10, INT64_MIN, NULL },
		{ "s64", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00", 10, INT64_MAX, NULL },
		{ "s64", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x41", 10, 0, "integer too large" },
		{ "s64", "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00", 11, 0,
		  "integer representation too long" },
	};
	wr_diag d;
	int64_t v;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool ok = leb(cases[i].kind, (const uint8_t *)cases[i].bytes, cases[i].n, &v, &d);
		if (cases[i].error) {
			assert_false(ok);
			if (!strstr(d.message, cases[i].error))
				fail_msg("case %zu: got \"%s\"", i, d.message);
		} else {
			if (!ok)
				fail_msg("case %zu: %s", i, d.message);
			assert_true(v == cases[i].value);
		}
	}
}

/* After an error every read fails, and the first message stays. */
static void test_reader_sticky(void **state)
{
	static const uint8_t bytes[] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x05 };
	dec_reader r;
	wr_diag d = { { 0 }, 0 };
	const uint8_t *p;
	uint32_t v;
	uint8_t b;

	dec_reader_init(&r, bytes, 0, sizeof(bytes), &d);
	assert_false(dec_u32(&r, &v));
	assert_true(r.failed);
	assert_false(dec_u8(&r, &b));
	assert_false(dec_bytes(&r, 1, &p));
	assert_string_equal(d.message, "integer representation too long");
	assert_int_equal(d.offset, 5);

	dec_reader_init(&r, bytes, 6, 1, &d);
	memset(&d, 0, sizeof(d));
	assert_false(dec_bytes(&r, 2, &p));
	assert_int_equal(d.offset, 7);
	assert_int_equal(dec_offset(&r), 6);
}

/* ---- instructions ---- */

static void test_instr(void **state)
{
	static const uint8_t code[] = {
		0x0e, 0x03, 0x00, 0x01, 0x82, 0x00, 0x05, /* br_table 0 1 2 default 5 */
		0x29, 0x03, 0x90, 0x03,                   /* i64.load align=3 offset=400 */
		0x42, 0x7f,                               /* i64.const -1 */
		0x44, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f,       /* f64.const 1.5 */
		0xfc, 0x0e, 0x01, 0x02,                   /* table.copy 1 2 */
		0x1c, 0x01, 0x7d,                         /* select (result f32) */
		0x02, 0x7e,                               /* block (result i64) */
		0x03, 0x05,                               /* loop (type 5) */
		0xfc, 0x08, 0x03, 0x00,                   /* memory.init 3 */
		0x11, 0x04, 0x02,                         /* call_indirect (type 4) table 2 */
	};
	dec_reader r;
	dec_instr in;
	wr_diag d = { { 0 }, 0 };
	uint32_t label;

	dec_reader_init(&r, code, 0, sizeof(code), &d);
	assert_true(dec_instr_next(&r, &in));
	assert_int_equal(in.op, OP_BR_TABLE);
	assert_int_equal(in.a, 3);
	for (uint32_t want = 0; want < 3; want++) {
		assert_true(dec_br_table_next(&in, &label));
		assert_int_equal(label, want);
	}
	assert_true(dec_br_table_next(&in, &label));
	assert_int_equal(label, 5);
	assert_false(dec_br_table_next(&in, &label)); /* tbl ends after the default */

	assert_true(dec_instr_next(&r, &in));
	assert_int_equal(in.op, OP_I64_LOAD);
	assert_int_equal(in.offset, 7);
	assert_int_equal(in.a, 3);
	assert_int_equal(in.imm, 400);
	assert_true(dec_instr_next(&r, &in));
	assert_true(in.op == OP_I64_CONST && in.imm == UINT64_MAX);
	assert_true(dec_instr_next(&r, &in));
	assert_true(in.op == OP_F64_CONST && in.imm == 0x3ff8000000000000ull);
	assert_true(dec_instr_next(&r, &in));
	assert_true(in.op == OP_TABLE_COPY && in.a == 1 && in.b == 2);
	assert_true(dec_instr_next(&r, &in));
	assert_true(in.op == OP_SELECT_T && in.a == 1 && in.valtype == WR_F32);
	assert_true(dec_instr_next(&r, &in));
	assert_true(in.op == OP_BLOCK && !dec_bt_is_index(in.blocktype) &&
		    dec_bt_valtype(in.blocktype) == WR_I64);
	assert_true(dec_instr_next(&r, &in));
	assert_true(in.op == OP_LOOP && dec_bt_is_index(in.blocktype) && in.blocktype == 5);
	assert_true(dec_instr_next(&r, &in));
	assert_true(in.op == OP_MEMORY_INIT && in.a == 3);
	assert_true(dec_instr_next(&r, &in));
	assert_true(in.op == OP_CALL_INDIRECT && in.a == 4 && in.b == 2);
	assert_ptr_equal(r.p, r.end);
	assert_false(dec_instr_next(&r, &in));
	assert_string_equal(d.message, "unexpected end of section or function");
}

/* Memory indices (Wasm 3.0): memarg flag bit 6 and a u64 offset,
 * memory.size/grow/fill's index, memory.copy's two, memory.init's. */
static void test_instr_memidx(void **state)
{
	static const uint8_t code[] = {
		0x28, 0x42, 0x03, 0xff, 0xff, 0xff, 0xff, 0x1f, /* i32.load align=4 memory 3 offset 2^33-1 */
		0x3f, 0x02,                                     /* memory.size 2 */
		0x40, 0x81, 0x00,                               /* memory.grow 1, overlong LEB */
		0xfc, 0x0a, 0x01, 0x02,                         /* memory.copy 1 2 */
		0xfc, 0x08, 0x05, 0x04,                         /* memory.init data 5, memory 4 */
		0xfc, 0x0b, 0x06,                               /* memory.fill 6 */
	};
	dec_reader r;
	dec_instr in;
	wr_diag d;

	(void)state;
	dec_reader_init(&r, code, 0, sizeof(code), &d);
	assert_true(dec_instr_next(&r, &in));
	assert_true(in.op == OP_I32_LOAD && in.a == 2 && in.mem == 3 && in.imm == 0x1ffffffffull);
	assert_true(dec_instr_next(&r, &in));
	assert_true(in.op == OP_MEMORY_SIZE && in.mem == 2);
	assert_true(dec_instr_next(&r, &in));
	assert_true(in.op == OP_MEMORY_GROW && in.mem == 1);
	assert_true(dec_instr_next(&r, &in));
	assert_true(in.op == OP_MEMORY_COPY && in.mem == 1 && in.b == 2);
	assert_true(dec_instr_next(&r, &in));
	assert_true(in.op == OP_MEMORY_INIT && in.a == 5 && in.mem == 4);
	assert_true(dec_instr_next(&r, &in));
	assert_true(in.op == OP_MEMORY_FILL && in.mem == 6);
	assert_ptr_equal(r.p, r.end);
}

/* Bad encodings, each reported at the instruction or the offending byte. */
static void test_instr_errors(void **state)
{
	static const struct {
		const char *bytes;
		size_t n, at;
		const char *error;
	} cases[] = {
		{ "\x27", 1, 0, "illegal opcode" },
		{ "\xfc\x12", 2, 0, "illegal opcode" },
		{ "\xfc\x80\x80\x80\x80\x01", 6, 0, "illegal opcode" },
		{ "\xfd\x9a\x01", 3, 0, "illegal opcode" },
		{ "\xfd\x80\x04", 3, 0, "illegal opcode" },
		{ "\x3f\x80\x80\x80\x80\x10", 6, 5, "integer too large" },
		{ "\xfc\x0a\x00\x80\x80\x80\x80\x80\x00", 9, 8, "integer representation too long" },
		{ "\x28\x80\x01\x00", 4, 1, "malformed memop flags" },
		{ "\x28\x02\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", 12, 11, "integer too large" },
		{ "\x28\x42\x00", 3, 3, "unexpected end" },
		{ "\x02\x7a", 2, 1, "malformed value type" },
		{ "\xd0\x7f", 2, 1, "malformed heap type" },
		{ "\x0e\x05\x00", 3, 1, "length out of bounds" },
		{ "\x41\x80\x80\x80\x80\x80\x00", 7, 6, "integer representation too long" },
	};
	dec_reader r;
	dec_instr in;
	wr_diag d;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&d, 0, sizeof(d));
		dec_reader_init(&r, (const uint8_t *)cases[i].bytes, 0, cases[i].n, &d);
		assert_false(dec_instr_next(&r, &in));
		if (!strstr(d.message, cases[i].error) || d.offset != cases[i].at)
			fail_msg("case %zu: got \"%s\" at %zu", i, d.message, d.offset);
	}
}

/* The table in opcodes.h drives op_infos. */
static void test_op_infos(void **state)
{
	assert_string_equal(op_infos[OP_I32_ADD].text, "i32.add");
	assert_int_equal(op_infos[OP_I32_ADD].code, 0x6a);
	assert_string_equal(op_infos[OP_I32_ADD].sig, "ii:i");
	assert_int_equal(op_infos[OP_TABLE_FILL].prefix, 0xfc);
	assert_int_equal(op_infos[OP_TABLE_FILL].code, 0x11);
	assert_int_equal(op_infos[OP_I64_LOAD].align, 3);
	assert_int_equal(op_infos[OP_BR_TABLE].imm, IMM_BR_TABLE);
	assert_null(op_infos[OP_CALL].sig);
	assert_int_equal(op_infos[OP_F64X2_CONVERT_LOW_I32X4_U].prefix, 0xfd);
	assert_int_equal(op_infos[OP_F64X2_CONVERT_LOW_I32X4_U].code, 0xff);
	assert_int_equal(op_infos[OP_I16X8_REPLACE_LANE].imm, IMM_LANE);
}

/* ---- whole modules ---- */

/* features.wat decodes into the fields its text declares. */
static void test_features_fields(void **state)
{
	wr_module m;
	wr_diag d;

	if (!load_keep(&m, features_wasm, features_wasm_len, &d, true))
		fail_msg("%s at %zu", d.message, d.offset);
	assert_int_equal(m.ntypes, 9);
	assert_int_equal(m.types[1].nparams, 1);
	assert_int_equal(m.types[1].nresults, 2);
	assert_int_equal(m.types[1].result_slots, 2);
	assert_int_equal(m.nimports, 4);
	assert_string_equal(m.imports[2].name, "mem");
	assert_int_equal(m.imports[2].kind, WR_EXTERN_MEMORY);
	assert_int_equal(m.mems[0].limits.max, 16);
	assert_true(m.mems[0].imported && m.mems[0].limits.has_max);
	assert_true(m.nfuncs == 11 && m.nfunc_imports == 1);
	assert_true(m.ntables == 2 && m.tables[1].elem == WR_EXTERNREF && !m.tables[1].imported);
	assert_true(m.nglobals == 4 && m.nglobal_imports == 1 && m.globals[1].mut);
	assert_int_equal(m.nexports, 6);
	assert_true(m.has_start && m.start == 9);
	assert_int_equal(m.nelems, 3);
	assert_true(m.elems[0].mode == SEG_ACTIVE && m.elems[0].funcs && m.elems[0].count == 1);
	assert_true(m.elems[1].mode == SEG_PASSIVE && m.elems[1].exprs && m.elems[1].count == 2);
	assert_int_equal(m.elems[2].mode, SEG_DECLARATIVE);
	assert_true(m.has_datacount && m.datacount == 2 && m.ndatas == 2);
	assert_true(m.datas[0].mode == SEG_ACTIVE && m.datas[0].len == 5);
	assert_memory_equal(m.bytes + m.datas[0].off, "hello", 5);
	assert_int_equal(m.datas[1].mode, SEG_PASSIVE);
	/* $pick: one run of one f64 local; the body ends with its end */
	assert_true(m.codes[4].nlocals == 1 && m.codes[4].runs[0].type == WR_F64);
	assert_int_equal(m.bytes[m.codes[4].body_off + m.codes[4].body_len - 1], 0x0b);
	/* names from the "name" section */
	assert_non_null(m.func_names);
	assert_string_equal(m.func_names[0], "log");
	assert_string_equal(m.func_names[3], "classify");
	/* referenced outside bodies: $add (elem, global, export), $dup (passive
	 * elem expression), $classify (declare); not $loop */
	assert_true(m.func_declared[1] && m.func_declared[2] && m.func_declared[3]);
	assert_false(m.func_declared[6]);
	unload(&m);
	mod_free(&m); /* a second call is harmless */
}

/* Every prefix of a real module: rejected (or accepted) cleanly. */
static void prefixes(const uint8_t *bytes, size_t len)
{
	wr_diag d;
	size_t accepted = 0;

	for (size_t n = 0; n < len; n++)
		accepted += load(bytes, n, &d);
	assert_true(accepted < len / 2);
	assert_true(load(bytes, len, &d));
}

static void test_prefixes(void **state)
{
	prefixes(features_wasm, features_wasm_len);
	prefixes(fib_wasm, fib_wasm_len);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

/* Mutants: one to four bytes replaced or bit-flipped. */
static void flips(const uint8_t *bytes, size_t len, int count)
{
	uint8_t *buf = malloc(len);
	wr_diag d;

	assert_non_null(buf);
	for (int i = 0; i < count; i++) {
		memcpy(buf, bytes, len);
		for (uint32_t k = rng() % 4 + 1; k > 0; k--) {
			size_t at = rng() % len;
			buf[at] = (rng() & 1) ? (uint8_t)rng() : buf[at] ^ (uint8_t)(1u << (rng() % 8));
		}
		load(buf, len, &d);
	}
	free(buf);
}

static void test_byte_flips(void **state)
{
	flips(features_wasm, features_wasm_len, 4000);
	flips(fib_wasm, fib_wasm_len, 1000);
}

/* Malformed and invalid modules: the message, and the offset it names. */
static void test_diag_offsets(void **state)
{
	static const uint8_t drop_ok[] = { 0x00, 0x41, 0x00, 0x1a, 0x0b };
	static const uint8_t bad_op[] = { 0x00, 0x41, 0x00, 0xff, 0x0b };
	static const uint8_t mismatch[] = { 0x00, 0x41, 0x00, 0x8c, 0x1a, 0x0b };
	static const uint8_t bad_local[] = { 0x01, 0x01, 0x7f, 0x20, 0x01, 0x1a, 0x0b };
	static const uint8_t bad_label[] = { 0x00, 0x02, 0x40, 0x0c, 0x02, 0x0b, 0x0b };
	static const uint8_t no_memory[] = { 0x00, 0x41, 0x00, 0x28, 0x02, 0x00, 0x1a, 0x0b };
	static const uint8_t else_alone[] = { 0x00, 0x02, 0x40, 0x05, 0x0b, 0x0b };
	static const uint8_t bad_version[] = { 0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00 };
	static const uint8_t bad_magic[] = { 0x00, 0x61, 0x73, 0x6e, 0x01, 0x00, 0x00, 0x00 };
	uint8_t mod[64];
	size_t n;
	wr_diag d;

	n = one_func(mod, drop_ok, sizeof(drop_ok));
	assert_true(load(mod, n, &d));
	expect_error(mod, n - 1, "unexpected end", n - 1);
	n = one_func(mod, bad_op, sizeof(bad_op));
	expect_error(mod, n, "illegal opcode", BODY_AT + 3);
	n = one_func(mod, mismatch, sizeof(mismatch));
	expect_error(mod, n, "type mismatch", BODY_AT + 3);
	n = one_func(mod, bad_local, sizeof(bad_local));
	expect_error(mod, n, "unknown local 1", BODY_AT + 3);
	n = one_func(mod, bad_label, sizeof(bad_label));
	expect_error(mod, n, "unknown label 2", BODY_AT + 3);
	n = one_func(mod, no_memory, sizeof(no_memory));
	expect_error(mod, n, "unknown memory 0", BODY_AT + 3);
	n = one_func(mod, else_alone, sizeof(else_alone));
	expect_error(mod, n, "END opcode expected", BODY_AT + 3);
	expect_error(bad_version, sizeof(bad_version), "unknown binary version", 4);
	expect_error(bad_magic, sizeof(bad_magic), "magic header not detected", 0);
	expect_error(bad_magic, 3, "unexpected end", 3);
}

/* Names: imports and exports must be UTF-8; a broken "name" section is
 * ignored, never an error. */
static void test_names(void **state)
{
	static const uint8_t bad_import[] = {
		0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
		0x02, 0x08, 0x01, 0x01, 0xc0, 0x01, 0x61, 0x03, 0x7f, 0x00, /* "\xc0" "a" global */
	};
	static const uint8_t bad_name_section[] = {
		0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
		0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
		0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
		0x00, 0x0b, 0x04, 'n', 'a', 'm', 'e', 0x01, 0x04, 0x01, 0x07, 0x01, 'f',
	};
	static const uint8_t good_name_section[] = {
		0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
		0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
		0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
		0x00, 0x0c, 0x04, 'n', 'a', 'm', 'e', 0x01, 0x05, 0x01, 0x00, 0x02, 'f', 0x1b,
	};
	wr_module m;
	wr_diag d;

	expect_error(bad_import, sizeof(bad_import), "malformed UTF-8 encoding", 11);
	assert_true(load_keep(&m, bad_name_section, sizeof(bad_name_section), &d, true));
	assert_null(m.func_names); /* function index 7 does not exist */
	unload(&m);
	assert_true(load_keep(&m, good_name_section, sizeof(good_name_section), &d, true));
	assert_non_null(m.func_names);
	assert_string_equal(m.func_names[0], "f?"); /* control bytes are not printed */
	unload(&m);
}

/* Sections out of order, a data count that disagrees, too many locals. */
static void test_module_structure(void **state)
{
	static const uint8_t twice[] = {
		0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
		0x01, 0x01, 0x00, 0x01, 0x01, 0x00,
	};
	static const uint8_t datacount[] = {
		0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x0c, 0x01, 0x01,
	};
	/* 50000 i32 and one i64 */
	static const uint8_t locals[] = { 0x02, 0xd0, 0x86, 0x03, 0x7f, 0x01, 0x7e, 0x0b };
	uint8_t mod[64];
	size_t n;

	expect_error(twice, sizeof(twice), "unexpected content after last section", 11);
	expect_error(datacount, sizeof(datacount), "data count and data section have inconsistent", 11);
	n = one_func(mod, locals, sizeof(locals));
	expect_error(mod, n, "too many locals", BODY_AT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader_leb),
		cmocka_unit_test(test_reader_sticky),
		cmocka_unit_test(test_instr),
		cmocka_unit_test(test_instr_memidx),
		cmocka_unit_test(test_instr_errors),
		cmocka_unit_test(test_op_infos),
		cmocka_unit_test(test_features_fields),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_byte_flips),
		cmocka_unit_test(test_diag_offsets),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_module_structure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
