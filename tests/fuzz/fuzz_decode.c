/*
 * fuzz_decode.c: a libFuzzer target for the decoder and the validator.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Isrc \
 *         -D_GNU_SOURCE tests/fuzz/fuzz_decode.c src/decode.c src/validate.c \
 *         -o fuzz_decode
 *   ./fuzz_decode -max_len=4096 CORPUS_DIR
 *
 * A good seed corpus is the .wasm files wast2json writes for the spec suite.
 * Beyond "no crash", it checks what later stages rely on: every offset the
 * decoder records lies inside the module, and a module that validates has
 * bodies that re-decode instruction by instruction to their final `end`.
 *
 * An input with the component preamble (wr_is_component) goes to
 * wr_component_load instead (seeds: the component scripts' binaries, make
 * spec-component): a failure must carry a message and an offset inside the
 * input; a component that loads must have definitions that index their
 * index spaces consistently, and import and export names as long as said.
 */
#include <stdlib.h>
#include <string.h>

#include "component.h"
#include "module.h"

/* Every definition of c (and of its nested components) appends to the
 * index space it names, at the position it names. */
static void fz_comp(const ccomp *c)
{
	for (uint32_t i = 0; i < c->ndefs; i++) {
		const cdef *d = &c->defs[i];
		if ((unsigned)d->sort >= CS__COUNT || d->index >= c->count[d->sort] ||
		    c->space[d->sort][d->index].def != i)
			abort();
		if (d->kind == CD_COMPONENT && (!d->comp || d->comp->parent != c))
			abort();
		if (d->kind == CD_COMPONENT)
			fz_comp(d->comp);
	}
	for (uint32_t i = 0; i < c->nimports; i++)
		if (c->imports[i] >= c->ndefs || c->defs[c->imports[i]].kind != CD_IMPORT)
			abort();
	for (uint32_t i = 0; i < c->nexports; i++)
		if (c->exports[i] >= c->ndefs || c->defs[c->exports[i]].kind != CD_EXPORT)
			abort();
}

static void fz_component(const uint8_t *data, size_t size)
{
	wr_diag d;
	wr_cextern_info info;
	wr_component *c = wr_component_load(data, size, &d);
	if (!c) {
		if (!d.message[0] || d.offset > size)
			abort();
		return;
	}
	fz_comp(c->root);
	for (size_t i = 0; i < wr_component_import_count(c); i++)
		if (!wr_component_import(c, i, &info) || strlen(info.name) != info.name_len)
			abort();
	for (size_t i = 0; i < wr_component_export_count(c); i++)
		if (!wr_component_export(c, i, &info) || strlen(info.name) != info.name_len)
			abort();
	wr_component_free(c);
}

/* [off, off + len) lies inside the module. */
static void fz_inside(const wr_module *m, size_t off, size_t len)
{
	if (off > m->len || len > m->len - off)
		abort();
}

/* Re-read a span of instructions the way the compiler will. */
static void fz_walk(const wr_module *m, size_t off, size_t len)
{
	dec_reader r;
	dec_instr in;
	wr_diag d = { { 0 }, 0 };
	uint32_t label;

	fz_inside(m, off, len);
	if (len == 0 || m->bytes[off + len - 1] != 0x0b)
		abort();
	dec_reader_init(&r, m->bytes, off, len, &d);
	while (r.p < r.end) {
		if (!dec_instr_next(&r, &in))
			abort();
		for (uint64_t i = 0; in.op == OP_BR_TABLE && i <= in.a; i++)
			if (!dec_br_table_next(&in, &label))
				abort();
	}
}

static void fz_check(const wr_module *m)
{
	for (uint32_t i = 0; i < m->nfuncs - m->nfunc_imports; i++)
		fz_walk(m, m->codes[i].body_off, m->codes[i].body_len);
	for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++)
		fz_walk(m, m->globals[i].init.off, m->globals[i].init.len);
	for (uint32_t i = 0; i < m->ndatas; i++)
		fz_inside(m, m->datas[i].off, m->datas[i].len);
	for (uint32_t i = 0; i < m->nelems; i++)
		for (uint32_t k = 0; m->elems[i].exprs && k < m->elems[i].count; k++)
			fz_walk(m, m->elems[i].exprs[k].off, m->elems[i].exprs[k].len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wr_module m;
	wr_diag d;
	uint8_t *copy;

	if (wr_is_component(data, size)) {
		fz_component(data, size);
		return 0;
	}
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	memset(&m, 0, sizeof(m));
	m.bytes = copy;
	m.len = size;
	if (dec_module(&m, &d) && val_module(&m, &d))
		fz_check(&m);
	else if (!d.message[0] || d.offset > size)
		abort();
	mod_free(&m);
	free(copy);
	return 0;
}
