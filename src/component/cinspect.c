/*
 * cinspect.c: what a loaded component asks for, for `wrun inspect`: the
 * items of its instance-typed imports and exports, and its core modules.
 */
#include "component.h"

/* Import or export i of the top component, or NULL. */
static const cextern *cinspect_extern(const wr_component *c, bool exported, size_t i)
{
	const ccomptype *t;

	if (!c)
		return NULL;
	t = c->root->type;
	if (exported)
		return i < t->nexports ? &t->exports[i] : NULL;
	return i < t->nimports ? &t->imports[i] : NULL;
}

size_t wr_component_item_count(const wr_component *c, bool exported, size_t i)
{
	const cextern *e = cinspect_extern(c, exported, i);

	return e && e->sort == CS_INSTANCE && e->inst ? e->inst->nexports : 0;
}

bool wr_component_item(const wr_component *c, bool exported, size_t i, size_t j,
		       wr_citem_info *out)
{
	const cextern *e = cinspect_extern(c, exported, i), *x;

	if (!e || e->sort != CS_INSTANCE || !e->inst || j >= e->inst->nexports)
		return false;
	x = &e->inst->exports[j];
	out->name = x->name;
	out->name_len = x->name_len;
	out->resource = x->sort == CS_TYPE && x->type.kind == CT_RESOURCE;
	out->fresh = out->resource && x->fresh;
	switch (x->sort) {
	case CS_CORE_MODULE: out->sort = WR_CSORT_CORE_MODULE; break;
	case CS_FUNC: out->sort = WR_CSORT_FUNC; break;
	case CS_VALUE: out->sort = WR_CSORT_VALUE; break;
	case CS_TYPE: out->sort = WR_CSORT_TYPE; break;
	case CS_COMPONENT: out->sort = WR_CSORT_COMPONENT; break;
	default: out->sort = WR_CSORT_INSTANCE; break;
	}
	return true;
}

size_t wr_component_module_count(const wr_component *c)
{
	return c ? c->nmodules : 0;
}

const wr_module *wr_component_module(const wr_component *c, size_t i)
{
	return c && i < c->nmodules ? c->modules[i] : NULL;
}
