/*
 * cinst_api.c: a component instance's exports and calls of its functions
 * (include/wrun.h).
 */
#include "clink.h"

#include <stdio.h>
#include <string.h>

static wr_csort public_sort(csort s)
{
	switch (s) {
	case CS_CORE_MODULE: return WR_CSORT_CORE_MODULE;
	case CS_FUNC: return WR_CSORT_FUNC;
	case CS_VALUE: return WR_CSORT_VALUE;
	case CS_TYPE: return WR_CSORT_TYPE;
	case CS_COMPONENT: return WR_CSORT_COMPONENT;
	default: return WR_CSORT_INSTANCE;
	}
}

size_t wr_cinstance_export_count(const wr_cinstance *inst)
{
	return inst && inst->exports ? inst->exports->n : 0;
}

bool wr_cinstance_export(const wr_cinstance *inst, size_t i, wr_cextern_info *out)
{
	if (i >= wr_cinstance_export_count(inst))
		return false;
	const rexport *e = &inst->exports->e[i];
	out->name = e->name;
	out->name_len = e->name_len;
	out->sort = public_sort(e->sort);
	return true;
}

const wr_cfunc *wr_cinstance_func_path(const wr_cinstance *inst, const char *const *names,
                                       size_t n)
{
	const rinst *in = inst ? inst->exports : NULL;
	for (size_t i = 0; in && i < n; i++) {
		const rexport *e = rinst_find(in, names[i], strlen(names[i]));
		if (!e)
			return NULL;
		if (i + 1 == n)
			return e->sort == CS_FUNC ? e->item.func : NULL;
		in = e->sort == CS_INSTANCE ? e->item.inst : NULL;
	}
	return NULL;
}

const wr_cfunc *wr_cinstance_func(const wr_cinstance *inst, const char *name)
{
	if (!inst || !name)
		return NULL;
	const rexport *e = rinst_find(inst->exports, name, strlen(name));
	if (e)
		return e->sort == CS_FUNC ? e->item.func : NULL;
	const rinst *in = inst->exports;
	const char *p = name;
	for (;;) {
		const char *hash = strchr(p, '#');
		size_t len = hash ? (size_t)(hash - p) : strlen(p);
		e = rinst_find(in, p, len);
		if (!e)
			return NULL;
		if (!hash)
			return e->sort == CS_FUNC ? e->item.func : NULL;
		if (e->sort != CS_INSTANCE)
			return NULL;
		in = e->item.inst;
		p = hash + 1;
	}
}

const struct cfunctype *wr_cfunc_type(const wr_cfunc *f)
{
	return f ? f->f.type : NULL;
}

size_t wr_cfunc_param_count(const wr_cfunc *f)
{
	return f ? f->f.type->nparams : 0;
}

bool wr_cfunc_has_result(const wr_cfunc *f)
{
	return f && f->f.type->result;
}

wr_trapkind wr_cfunc_call(const wr_cfunc *f, const wr_cval *args, size_t nargs, wr_cval *result,
                          wr_trap *trap)
{
	wr_trap spare;
	if (!trap)
		trap = &spare;
	memset(trap, 0, sizeof(*trap));
	if (result)
		memset(result, 0, sizeof(*result));
	if (!f) {
		trap->kind = WR_TRAP_LINK;
		snprintf(trap->message, sizeof(trap->message), "no function");
		return WR_TRAP_LINK;
	}
	wr_trapkind k = cfunc_call(&f->f, NULL, args, nargs, result, trap);
	if (k != WR_OK && trap->kind == WR_OK)
		trap->kind = k;
	if (k != WR_OK && !trap->message[0])
		snprintf(trap->message, sizeof(trap->message), "%s", wr_trap_message(k));
	return k;
}

wr_trapkind wr_cinstance_call(wr_cinstance *inst, const char *name, const wr_cval *args,
                              size_t nargs, wr_cval *result, wr_trap *trap)
{
	const wr_cfunc *f = wr_cinstance_func(inst, name);
	if (!f) {
		wr_trap spare;
		if (!trap)
			trap = &spare;
		memset(trap, 0, sizeof(*trap));
		if (result)
			memset(result, 0, sizeof(*result));
		trap->kind = WR_TRAP_LINK;
		snprintf(trap->message, sizeof(trap->message), "no exported function `%s`",
		         name ? name : "");
		return WR_TRAP_LINK;
	}
	return wr_cfunc_call(f, args, nargs, result, trap);
}
