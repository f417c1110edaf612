/*
 * test_cdecode.c: the component decoder and validator through its API
 * (wr_component_load and the import/export listing) and its AST
 * (component.h): what a small component's definitions look like, errors
 * with their offsets, every truncation and many corruptions of a valid
 * component failing cleanly, nesting limits, and csubst.
 *
 * The reference scripts (make spec WAST=../shared/component-model/test)
 * cover validation rule by rule; this covers what they do not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "wrun.h"
#include "component.h"

/* A component: a core module exporting "f" () -> (), an instance of it, an
 * alias of "f", the type (func), a lift, and two exports of the lifted
 * function (binary.wast). */
static const uint8_t lifted[] = {
	0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00,
	0x01, 0x1f, 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
	0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
	0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
	0x02, 0x04, 0x01, 0x00, 0x00, 0x00,
	0x06, 0x07, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 'f',
	0x07, 0x05, 0x01, 0x40, 0x00, 0x01, 0x00,
	0x08, 0x06, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x0b, 0x11, 0x02,
	0x00, 0x02, 'e', '1', 0x01, 0x00, 0x00,
	0x00, 0x02, 'e', '2', 0x01, 0x00, 0x01, 0x01, 0x00,
};

/* Imports: a resource "r", its constructor and an instance
 * "wasi:cli/run@0.2.0" with a func "run". */
static const uint8_t imports[] = {
	0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00,
	0x0a, 0x06, 0x01, 0x00, 0x01, 'r', 0x03, 0x01,    /* type 0: resource r */
	0x07, 0x09, 0x03,
	0x69, 0x00,                                     /* type 1: (own 0) */
	0x40, 0x00, 0x00, 0x01,                         /* type 2: (func (result 1)) */
	0x42, 0x00,                                     /* type 3: (instance) */
	0x0a, 0x29, 0x02,
	0x00, 0x0e, '[', 'c', 'o', 'n', 's', 't', 'r', 'u', 'c', 't', 'o', 'r', ']', 'r',
	0x01, 0x02,
	0x00, 0x12, 'w', 'a', 's', 'i', ':', 'c', 'l', 'i', '/', 'r', 'u', 'n', '@', '0', '.',
	'2', '.', '0', 0x05, 0x03,
};

static wr_component *load(const uint8_t *b, size_t n, wr_diag *d)
{
	return wr_component_load(b, n, d);
}

static void test_preamble(void **state)
{
	static const uint8_t module[] = { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00 };
	wr_diag d;
	(void)state;
	assert_true(wr_is_component(lifted, sizeof(lifted)));
	assert_false(wr_is_component(module, sizeof(module)));
	assert_false(wr_is_component(lifted, 7));
	assert_false(wr_is_component(NULL, 0));
	assert_null(load(module, sizeof(module), &d));
	assert_non_null(strstr(d.message, "expected a version header for a component"));
	assert_int_equal(d.offset, 4);
	assert_null(load(NULL, 0, &d));
	assert_true(d.message[0] != 0);
}

static void test_listing(void **state)
{
	wr_diag d;
	wr_cextern_info info;
	wr_component *c = load(imports, sizeof(imports), &d);
	(void)state;
	if (!c)
		fail_msg("load: %s at %zu", d.message, d.offset);
	assert_int_equal(wr_component_import_count(c), 3);
	assert_int_equal(wr_component_export_count(c), 0);
	assert_true(wr_component_import(c, 0, &info));
	assert_string_equal(info.name, "r");
	assert_int_equal(info.sort, WR_CSORT_TYPE);
	assert_true(wr_component_import(c, 1, &info));
	assert_string_equal(info.name, "[constructor]r");
	assert_int_equal(info.sort, WR_CSORT_FUNC);
	assert_true(wr_component_import(c, 2, &info));
	assert_int_equal(info.name_len, 18);
	assert_int_equal(info.sort, WR_CSORT_INSTANCE);
	assert_string_equal(wr_csort_name(info.sort), "instance");
	assert_false(wr_component_import(c, 3, &info));
	/* The constructor's result is an own of the imported resource. */
	const ccomptype *t = c->root->type;
	assert_ptr_equal(t->imports[1].func->result->res, t->imports[0].type.res->res);
	assert_int_equal(t->nimported, 1);
	assert_ptr_equal(t->imported[0], t->imports[0].type.res->res);
	wr_component_free(c);
}

/* The AST of `lifted`: one definition per item, in order. */
static void test_ast(void **state)
{
	static const struct { cdkind kind; csort sort; uint32_t index; } want[] = {
		{ CD_CORE_MODULE, CS_CORE_MODULE, 0 }, { CD_CORE_INSTANTIATE, CS_CORE_INSTANCE, 0 },
		{ CD_ALIAS_CORE_EXPORT, CS_CORE_FUNC, 0 }, { CD_TYPE, CS_TYPE, 0 },
		{ CD_CANON_LIFT, CS_FUNC, 0 }, { CD_EXPORT, CS_FUNC, 1 }, { CD_EXPORT, CS_FUNC, 2 },
	};
	wr_diag d;
	wr_component *c = load(lifted, sizeof(lifted), &d);
	(void)state;
	if (!c)
		fail_msg("load: %s at %zu", d.message, d.offset);
	const ccomp *r = c->root;
	assert_int_equal(r->ndefs, sizeof(want) / sizeof(want[0]));
	for (uint32_t i = 0; i < r->ndefs; i++) {
		assert_int_equal(r->defs[i].kind, want[i].kind);
		assert_int_equal(r->defs[i].sort, want[i].sort);
		assert_int_equal(r->defs[i].index, want[i].index);
		assert_int_equal(r->space[r->defs[i].sort][r->defs[i].index].def, i);
	}
	assert_non_null(r->defs[0].module);
	assert_string_equal(r->defs[2].name, "f");
	assert_int_equal(r->defs[4].index0, 0);
	assert_int_equal(r->defs[4].opts.memory, COPT_NONE);
	assert_int_equal(r->defs[4].core_func->nparams, 0);
	assert_int_equal(r->nexports, 2);
	assert_string_equal(r->defs[r->exports[1]].name, "e2");
	assert_int_equal(r->defs[r->exports[1]].index0, 0);
	assert_int_equal(r->count[CS_FUNC], 3);
	wr_component_free(c);
}

/* A strict prefix loads only if it ends between sections (and then has
 * fewer definitions); otherwise it fails with a message and an offset
 * inside it. */
static void test_truncations(void **state)
{
	static const size_t ends[] = { 8, 41, 47, 56, 63, 71 };
	size_t k = 0;
	(void)state;
	for (size_t n = 0; n < sizeof(lifted); n++) {
		wr_diag d;
		wr_component *c = load(lifted, n, &d);
		if (c) {
			if (k >= sizeof(ends) / sizeof(ends[0]) || n != ends[k])
				fail_msg("prefix of %zu bytes loaded", n);
			assert_int_equal(c->root->ndefs, k);
			wr_component_free(c);
			k++;
			continue;
		}
		assert_true(d.message[0] != 0);
		assert_true(d.offset <= n);
	}
	assert_int_equal(k, sizeof(ends) / sizeof(ends[0]));
}

/* Every byte replaced by a few values: no crash, and a failure says why. */
static void test_corruptions(void **state)
{
	static const uint8_t vals[] = { 0x00, 0x01, 0x02, 0x7f, 0x80, 0xff, 0x40, 0x3f };
	uint8_t b[sizeof(imports) > sizeof(lifted) ? sizeof(imports) : sizeof(lifted)];
	const uint8_t *srcs[] = { lifted, imports };
	size_t lens[] = { sizeof(lifted), sizeof(imports) };
	(void)state;
	for (int s = 0; s < 2; s++) {
		for (size_t i = 8; i < lens[s]; i++) {
			for (size_t v = 0; v < sizeof(vals); v++) {
				wr_diag d;
				wr_component *c;
				memcpy(b, srcs[s], lens[s]);
				b[i] = vals[v];
				c = load(b, lens[s], &d);
				if (c)
					wr_component_free(c);
				else
					assert_true(d.message[0] && d.offset <= lens[s]);
			}
		}
	}
}

/* Components nested past the limit are refused, not recursed into. */
static void test_nesting(void **state)
{
	enum { LEVELS = 200 };
	uint8_t *b = malloc(LEVELS * 16 + 16);
	size_t n = 0;
	wr_diag d;
	(void)state;
	assert_non_null(b);
	/* Innermost first: each level wraps the previous in a component section. */
	static const uint8_t pre[8] = { 0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00 };
	memcpy(b, pre, 8);
	n = 8;
	for (int i = 1; i < LEVELS; i++) {
		uint8_t hdr[16];
		size_t h = 0, len = n;
		memcpy(hdr, pre, 8);
		h = 8;
		hdr[h++] = 0x04;
		do {
			uint8_t byte = len & 0x7f;
			len >>= 7;
			hdr[h++] = (uint8_t)(byte | (len ? 0x80 : 0));
		} while (len);
		memmove(b + h, b, n);
		memcpy(b, hdr, h);
		n += h;
	}
	assert_null(load(b, n, &d));
	assert_non_null(strstr(d.message, "nested too deeply"));
	free(b);
}

static size_t put_leb(uint8_t *p, uint32_t v)
{
	size_t n = 0;
	do {
		uint8_t byte = v & 0x7f;
		v >>= 7;
		p[n++] = (uint8_t)(byte | (v ? 0x80 : 0));
	} while (v);
	return n;
}

/* (option (option ... u8)) 150 deep: past the type nesting limit. */
static void test_type_depth(void **state)
{
	enum { N = 150 };
	uint8_t body[4 + 4 * N], b[16 + sizeof(body)];
	size_t n = 0, m = 8;
	wr_diag d;
	(void)state;
	n += put_leb(body + n, N);
	body[n++] = 0x6b, body[n++] = 0x7d; /* type 0: (option u8) */
	for (uint32_t i = 1; i < N; i++) {
		body[n++] = 0x6b; /* (option <type i-1>), the index as an s33 */
		body[n++] = (uint8_t)(((i - 1) & 0x7f) | 0x80);
		body[n++] = (uint8_t)((i - 1) >> 7);
	}
	memcpy(b, lifted, 8);
	b[m++] = 0x07;
	m += put_leb(b + m, (uint32_t)n);
	memcpy(b + m, body, n);
	assert_null(load(b, m + n, &d));
	assert_non_null(strstr(d.message, "type nesting is too deep"));
}

/* csubst replaces a resource and shares what does not mention it. */
static void test_csubst(void **state)
{
	wr_diag d;
	wr_component *c = load(imports, sizeof(imports), &d);
	ctype_arena *a = ctype_arena_new();
	csubst *m = csubst_new();
	cresource other = { .name = "other" };
	(void)state;
	assert_non_null(c);
	const ccomptype *t = c->root->type;
	const cfunctype *ctor = t->imports[1].func;
	assert_true(csubst_add(m, t->imported[0], &other));
	const cfunctype *nf = csubst_func(a, m, ctor);
	assert_non_null(nf);
	assert_ptr_not_equal(nf, ctor);
	assert_ptr_equal(nf->result->res, &other);
	assert_ptr_equal(ctor->result->res, t->imported[0]); /* the original is unchanged */
	assert_ptr_equal(csubst_res(m, t->imported[0]), &other);
	const cinsttype *inst = t->imports[2].inst;
	assert_ptr_equal(csubst_inst(a, m, inst), inst); /* nothing to replace */
	csubst_free(m);
	ctype_arena_free(a);
	wr_component_free(c);
}

/* A WASI 0.2 command made by `jco new examples/hello.wasm --wasi-command`
 * (jco 1.35.0: wit-component with the preview1 adapter): 15 instance
 * imports and the export wasi:cli/run. */
static void test_wasi_command(void **state)
{
	static uint8_t buf[1 << 20];
	FILE *f = fopen("tests/component/data/hello.component.wasm", "rb");
	wr_cextern_info info;
	wr_diag d;
	size_t n;
	(void)state;
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	wr_component *c = load(buf, n, &d);
	if (!c)
		fail_msg("load: %s at %zu", d.message, d.offset);
	assert_int_equal(wr_component_import_count(c), 15);
	for (size_t i = 0; i < 15; i++) {
		assert_true(wr_component_import(c, i, &info));
		assert_int_equal(info.sort, WR_CSORT_INSTANCE);
		assert_memory_equal(info.name, "wasi:", 5);
	}
	assert_int_equal(wr_component_export_count(c), 1);
	assert_true(wr_component_export(c, 0, &info));
	assert_string_equal(info.name, "wasi:cli/run@0.2.12");
	wr_component_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_preamble),
		cmocka_unit_test(test_listing),
		cmocka_unit_test(test_ast),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_corruptions),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_type_depth),
		cmocka_unit_test(test_csubst),
		cmocka_unit_test(test_wasi_command),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
