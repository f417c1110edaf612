/*
 * fuzz_run.c: a libFuzzer target for everything after decoding: compile,
 * instantiate and run, under fuel and a memory limit.
 *
 *   make fuzz-run       (FUZZ_SECONDS bounds the run; seeds: the spec modules)
 *
 * Each input is loaded as a module (decode, validate, compile).  Every
 * import is satisfied with a fresh object of the declared type: a host
 * function that returns zeroes (or, for every third import, traps), a
 * memory, a table, a global.  Then every exported function is called with
 * zero arguments, each call bounded by fuel, all memories by a limit.
 * Beyond "no crash and no sanitizer report", it checks what the API
 * promises: a failed load has a message and an offset inside the input,
 * a failed instantiation or call reports a trap kind in range, and fuel
 * never goes up.
 */
#include <stdlib.h>
#include <string.h>

#include "wrun.h"

#define FZ_FUEL 20000u
#define FZ_MEMORY (16u << 20)
#define FZ_MAX_IMPORTS 64u
#define FZ_MAX_PAGES 256u	/* imported memories: the limit is the store's */
#define FZ_MAX_ELEMS 65536u	/* imported tables */

/* Result slots of each imported host function (two per v128). */
static unsigned fz_nslots[FZ_MAX_IMPORTS];

/* Results are zeroes; every third host function traps instead. */
static wr_trapkind fz_host(wr_hostcall *hc, uint64_t *slots, void *user)
{
	uintptr_t i = (uintptr_t)user;

	if (i % 3 == 2)
		return wr_hostcall_trap(hc, "fuzz host trap");
	memset(slots, 0, fz_nslots[i] * sizeof(*slots));
	return WR_OK;
}

/* The slots a function type's results take. */
static unsigned fz_result_slots(const wr_functype *t)
{
	unsigned n = 0;

	for (uint32_t k = 0; k < t->nresults; k++)
		n += t->results[k] == WR_V128 ? 2 : 1;
	return n;
}

/* A zero (or null) value of a type. */
static wr_value fz_zero(wr_valtype t)
{
	wr_value v;

	memset(&v, 0, sizeof(v));
	v.type = t;
	return v;
}

/* An object matching import i's type; false if none can be made. */
static bool fz_import(wr_store *s, const wr_import *imp, uintptr_t i, wr_extern *out)
{
	const wr_externtype *t = &imp->type;
	wr_value init;

	out->kind = t->kind;
	switch (t->kind) {
	case WR_EXTERN_FUNC:
		if (t->of.func.nresults > 16)
			return false;
		fz_nslots[i] = fz_result_slots(&t->of.func);
		out->of.func = wr_func_new_host(s, &t->of.func, fz_host, (void *)i, "fuzz");
		return out->of.func != NULL;
	case WR_EXTERN_MEMORY:
		if (t->of.memory.min > FZ_MAX_PAGES)
			return false;
		out->of.memory = wr_memory_new(s, &t->of.memory);
		return out->of.memory != NULL;
	case WR_EXTERN_TABLE:
		if (t->of.table.limits.min > FZ_MAX_ELEMS)
			return false;
		init = fz_zero(t->of.table.elem);
		out->of.table = wr_table_new(s, &t->of.table, &init);
		return out->of.table != NULL;
	case WR_EXTERN_GLOBAL:
		init = fz_zero(t->of.global.type);
		out->of.global = wr_global_new(s, &t->of.global, &init);
		return out->of.global != NULL;
	case WR_EXTERN_TAG:
		out->of.tag = wr_tag_new(s, &t->of.tag);
		return out->of.tag != NULL;
	}
	return false;
}

/* Call every exported function that takes no arguments. */
static void fz_call_all(const wr_module *m, wr_instance *inst, wr_store *s)
{
	wr_value res[16];
	wr_trap trap;

	for (size_t i = 0; i < wr_module_export_count(m); i++) {
		wr_export e;
		wr_extern ex;
		wr_functype t;
		uint64_t before;

		wr_module_export(m, i, &e);
		if (!wr_instance_export_n(inst, e.name, e.name_len, &ex) ||
		    ex.kind != WR_EXTERN_FUNC)
			continue;
		wr_func_type(ex.of.func, &t);
		if (t.nparams != 0 || t.nresults > 16)
			continue;
		wr_store_set_fuel(s, FZ_FUEL);
		before = wr_store_fuel_left(s);
		if (wr_call(ex.of.func, NULL, 0, res, t.nresults, &trap) >= WR_TRAP__COUNT)
			abort();
		if (wr_store_fuel_left(s) > before)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wr_extern imports[FZ_MAX_IMPORTS];
	wr_diag diag;
	wr_trap trap;
	wr_module *m = wr_module_load(data, size, &diag);
	wr_store *s;
	wr_instance *inst;
	size_t n;

	if (!m) {
		if (!diag.message[0] || diag.offset > size)
			abort();
		return 0;
	}
	n = wr_module_import_count(m);
	s = wr_store_new();
	if (s && n <= FZ_MAX_IMPORTS) {
		bool ok = true;

		wr_store_set_memory_limit(s, FZ_MEMORY);
		wr_store_set_fuel(s, FZ_FUEL);
		for (size_t i = 0; ok && i < n; i++) {
			wr_import imp;

			wr_module_import(m, i, &imp);
			ok = fz_import(s, &imp, i, &imports[i]);
		}
		inst = ok ? wr_instantiate(s, m, imports, n, &trap) : NULL;
		if (inst)
			fz_call_all(m, inst, s);
		else if (ok && trap.kind >= WR_TRAP__COUNT)
			abort();
	}
	wr_store_free(s);
	wr_module_free(m);
	return 0;
}
