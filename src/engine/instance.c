/*
 * instance.c: instantiation.
 *
 * Checks the imports against the module's declarations, creates the
 * module's own tables, memories, globals and function instances, evaluates
 * element segments, applies the active element and data segments in order,
 * and runs the start function. As the spec requires, effects of segments
 * applied before a trapping one stay visible (they may have written into
 * imported tables or memories), so a failed instance stays owned by the
 * store rather than being freed under the feet of those tables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

/* Record a link or initialisation failure in *trap. Returns NULL. */
static wr_instance *inst_fail(wr_trap *trap, wr_trapkind kind, const char *message)
{
	if (trap) {
		memset(trap, 0, sizeof(*trap));
		trap->kind = kind;
		snprintf(trap->message, sizeof(trap->message), "%s", message);
	}
	return NULL;
}

/* Do the limits of an existing object (actual) satisfy a declaration? */
static bool inst_limits_match(uint64_t cur_min, bool has_max, uint64_t max, const wr_limits *want)
{
	if (cur_min < want->min)
		return false;
	if (!want->has_max)
		return true;
	return has_max && max <= want->max;
}

mod_vt inst_vt(const wr_instance *inst, mod_vt t)
{
	if (!vt_is_idx(t))
		return t;
	return vt_ref(vt_ht(t), inst->type_ids[vt_idx(t)], vt_nullable(t));
}

/* Check one import value against the module's declaration of it: a
 * function of the same type (canonical indices), a table of the same
 * element type, a global of the same type if mutable, else of a subtype.
 * Types are the store's, so these must be objects of inst's store. */
static bool inst_import_ok(const wr_instance *inst, const mod_import *imp, const wr_extern *ext)
{
	const wr_module *m = inst->mod;

	if (ext->kind != imp->kind)
		return false;
	switch (imp->kind) {
	case WR_EXTERN_FUNC:
		return ext->of.func && ext->of.func->store == inst->store &&
		       ty_canon_sub(inst->store->types, ext->of.func->canon,
		                    inst->type_ids[m->func_types[imp->index]]);
	case WR_EXTERN_TABLE: {
		const wr_table *t = ext->of.table;
		const mod_table *d = &m->tables[imp->index];
		return t && t->store == inst->store && t->vt == inst_vt(inst, d->vt) &&
		       t->type.limits.addr64 == d->limits.addr64 &&
		       inst_limits_match(t->size, t->type.limits.has_max, t->type.limits.max, &d->limits);
	}
	case WR_EXTERN_MEMORY: {
		const wr_memory *mem = ext->of.memory;
		const mod_memory *d = &m->mems[imp->index];
		return mem && mem->decl.addr64 == d->limits.addr64 &&
		       inst_limits_match(mem->size / MEM_PAGE, mem->decl.has_max, mem->decl.max,
		                         &d->limits);
	}
	case WR_EXTERN_GLOBAL: {
		const wr_global *g = ext->of.global;
		const mod_global *d = &m->globals[imp->index];
		mod_vt want = inst_vt(inst, d->vt);
		return g && g->store == inst->store && g->mut == d->mut &&
		       (d->mut ? g->vt == want : vt_sub(inst->store->types, NULL, g->vt, want));
	}
	case WR_EXTERN_TAG:
		return ext->of.tag && ext->of.tag->store == inst->store &&
		       ext->of.tag->canon == inst->type_ids[m->tags[imp->index].type];
	}
	return false;
}

/* The evaluator's operand stack: a small array inside, moved to the heap
 * and doubled when an expression goes deeper. Its size comes from the
 * evaluation, never from a length the module gives. */
#define INST_CONST_SMALL 16
typedef struct inst_cstack {
	uint64_t (*v)[2];
	size_t n, cap;
	uint64_t small[INST_CONST_SMALL][2];
} inst_cstack;

/* A free slot on top of the stack (not yet counted), or NULL when it
 * cannot grow. */
static uint64_t *inst_cpush(inst_cstack *st)
{
	if (st->n == st->cap) {
		size_t cap = st->cap * 2;
		uint64_t (*q)[2];
		if (cap > SIZE_MAX / sizeof(*q))
			return NULL;
		if (st->v == st->small) {
			if ((q = malloc(cap * sizeof(*q))))
				memcpy(q, st->small, sizeof(st->small));
		} else {
			q = realloc(st->v, cap * sizeof(*q));
		}
		if (!q)
			return NULL;
		st->v = q;
		st->cap = cap;
	}
	uint64_t *v = st->v[st->n];
	v[0] = v[1] = 0;
	return v;
}

/* i32/i64 add, sub, mul on the top two operands, wrapping. */
static bool inst_carith(inst_cstack *st, uint16_t op)
{
	if (st->n < 2)
		return false;
	uint64_t a = st->v[st->n - 2][0], b = st->v[st->n - 1][0], x;
	switch (op) {
	case OP_I32_ADD: x = (uint32_t)(a + b); break;
	case OP_I32_SUB: x = (uint32_t)(a - b); break;
	case OP_I32_MUL: x = (uint32_t)(a * b); break;
	case OP_I64_ADD: x = a + b; break;
	case OP_I64_SUB: x = a - b; break;
	case OP_I64_MUL: x = a * b; break;
	default: return false;
	}
	st->v[st->n - 2][0] = x;
	st->n--;
	return true;
}

/* ref.i31, any.convert_extern, extern.convert_any on the top operand;
 * false when the GC heap is out of memory. */
static bool inst_cconv(const wr_instance *inst, inst_cstack *st, uint16_t op)
{
	if (st->n < 1)
		return false;
	uint64_t *v = st->v[st->n - 1];
	if (op == OP_REF_I31) {
		v[0] = ((v[0] & 0x7fffffffu) << 1) | 1;
		return true;
	}
	if (op == OP_ANY_CONVERT_EXTERN)
		return gc_extern_to_any(inst->store, v[0], &v[0]);
	return gc_any_to_extern(inst->store, v[0], &v[0]);
}

/* struct.new(_default), array.new(_default, _fixed) in a constant
 * expression: the operands (16 bytes each on this stack) become the
 * object's slots. False when the GC heap is out of memory. */
static bool inst_cgc(const wr_instance *inst, inst_cstack *st, const dec_instr *in)
{
	const mod_functype *t = &inst->mod->types[in->a];
	uint32_t w = mod_slots(t->types[0]), n = 0, k = 0, len = 0;
	gc_obj *o;

	switch (in->op) {
	case OP_STRUCT_NEW: case OP_STRUCT_NEW_DEFAULT:
		for (uint32_t i = 0; i < t->nparams; i++)
			k += mod_slots(t->types[i]);
		n = in->op == OP_STRUCT_NEW ? t->nparams : 0;
		break;
	case OP_ARRAY_NEW: n = 2; break;
	case OP_ARRAY_NEW_DEFAULT: n = 1; break;
	default: n = in->b; break;
	}
	if (st->n < n)
		return false;
	uint64_t (*v)[2] = st->v + (st->n - n);
	if (in->op == OP_ARRAY_NEW || in->op == OP_ARRAY_NEW_DEFAULT)
		len = (uint32_t)v[n - 1][0];
	else if (in->op == OP_ARRAY_NEW_FIXED)
		len = n;
	if (t->form == FORM_ARRAY)
		k = (uint64_t)len * w > UINT32_MAX ? UINT32_MAX : len * w;
	if (!(o = gc_alloc(inst, in->a, len, (size_t)k * 8)))
		return false;
	if (in->op == OP_STRUCT_NEW)
		for (uint32_t i = 0, s = 0; i < n; s += mod_slots(t->types[i]), i++)
			memcpy(&o->val[s], v[i], mod_slots(t->types[i]) * 8);
	for (uint32_t i = 0; in->op == OP_ARRAY_NEW && i < len; i++)
		memcpy(&o->val[(size_t)i * w], v[0], (size_t)w * 8);
	for (uint32_t i = 0; in->op == OP_ARRAY_NEW_FIXED && i < len; i++)
		memcpy(&o->val[(size_t)i * w], v[i], (size_t)w * 8);
	st->n -= n;
	v = st->v + st->n++;
	v[0][0] = (uint64_t)(uintptr_t)o;
	v[0][1] = 0;
	return true;
}

/* One instruction of a validated constant expression. */
static bool inst_cstep(const wr_instance *inst, inst_cstack *st, const dec_instr *in)
{
	uint64_t *v;

	switch (in->op) {
	case OP_I32_ADD: case OP_I32_SUB: case OP_I32_MUL:
	case OP_I64_ADD: case OP_I64_SUB: case OP_I64_MUL:
		return inst_carith(st, in->op);
	case OP_REF_I31: case OP_ANY_CONVERT_EXTERN: case OP_EXTERN_CONVERT_ANY:
		return inst_cconv(inst, st, in->op);
	case OP_STRUCT_NEW: case OP_STRUCT_NEW_DEFAULT: case OP_ARRAY_NEW:
	case OP_ARRAY_NEW_DEFAULT: case OP_ARRAY_NEW_FIXED:
		return inst_cgc(inst, st, in);
	default:
		break;
	}
	if (!(v = inst_cpush(st)))
		return false;
	switch (in->op) {
	case OP_I32_CONST: v[0] = (uint32_t)in->imm; break;
	case OP_I64_CONST: case OP_F32_CONST: case OP_F64_CONST: v[0] = in->imm; break;
	case OP_REF_NULL: break;
	case OP_REF_FUNC: v[0] = (uintptr_t)inst->funcs[in->a]; break;
	case OP_GLOBAL_GET: memcpy(v, inst->globals[in->a]->val, 16); break;
	default:
		if (in->op >= OP__COUNT || op_infos[in->op].imm != IMM_V128)
			return false;
		memcpy(v, in->v128, 16);
		break;
	}
	st->n++;
	return true;
}

/* Evaluate a constant expression into out[0..1]. Constant expressions are
 * validated, so only the instructions they may hold appear here; false if
 * the stack cannot grow (or the expression is not one value). */
bool inst_eval_const(const wr_instance *inst, const mod_expr *e, uint64_t out[2])
{
	const wr_module *m = inst->mod;
	inst_cstack st;
	dec_reader r;
	dec_instr in;
	wr_diag diag;
	bool ok = true;

	st.v = st.small;
	st.n = 0;
	st.cap = INST_CONST_SMALL;
	dec_reader_init(&r, m->bytes, e->off, e->len, &diag);
	while (ok && dec_instr_next(&r, &in) && in.op != OP_END)
		ok = inst_cstep(inst, &st, &in);
	ok = ok && !r.failed && st.n == 1;
	if (ok)
		memcpy(out, st.v[0], 16);
	if (st.v != st.small)
		free(st.v);
	return ok;
}

/* Allocate the instance and its index-space arrays. */
static wr_instance *inst_alloc(wr_store *s, const wr_module *m)
{
	wr_instance *inst = calloc(1, sizeof(*inst));
	if (!inst)
		return NULL;
	inst->store = s;
	inst->mod = m;
	inst->funcs = calloc(m->nfuncs + 1, sizeof(*inst->funcs));
	inst->tables = calloc(m->ntables + 1, sizeof(*inst->tables));
	inst->mems = calloc(m->nmems + 1, sizeof(*inst->mems));
	inst->globals = calloc(m->nglobals + 1, sizeof(*inst->globals));
	inst->tags = calloc(m->ntags + 1, sizeof(*inst->tags));
	inst->defined = calloc(m->nfuncs - m->nfunc_imports + 1, sizeof(*inst->defined));
	inst->elem_refs = calloc(m->nelems + 1, sizeof(*inst->elem_refs));
	inst->elem_len = calloc(m->nelems + 1, sizeof(*inst->elem_len));
	inst->data_len = calloc(m->ndatas + 1, sizeof(*inst->data_len));
	inst->type_ids = calloc(m->ntypes + 1, sizeof(*inst->type_ids));
	inst->next = s->instances;
	s->instances = inst;
	if (!inst->funcs || !inst->tables || !inst->mems || !inst->globals || !inst->tags ||
	    !inst->defined || !inst->elem_refs || !inst->elem_len || !inst->data_len ||
	    !inst->type_ids)
		return NULL;
	return inst;
}

void inst_free(wr_instance *inst)
{
	if (inst->elem_refs)
		for (uint32_t i = 0; i < inst->mod->nelems; i++)
			free(inst->elem_refs[i]);
	free(inst->elem_refs);
	free(inst->elem_len);
	free(inst->data_len);
	free(inst->funcs);
	free(inst->tables);
	free(inst->mems);
	free(inst->globals);
	free(inst->tags);
	free(inst->defined);
	free(inst->type_ids);
	free(inst);
}

/* The name a function goes by in trap messages: an export name, else the
 * name section's, else NULL (the interpreter prints func[N]). */
static const char *inst_func_name(const wr_module *m, uint32_t idx)
{
	for (uint32_t i = 0; i < m->nexports; i++)
		if (m->exports[i].kind == WR_EXTERN_FUNC && m->exports[i].index == idx)
			return m->exports[i].name;
	if (m->func_names && m->func_names[idx])
		return m->func_names[idx];
	return NULL;
}

/* Bind the imports, after checking each against its declaration. */
static bool inst_bind_imports(wr_instance *inst, const wr_extern *imports)
{
	const wr_module *m = inst->mod;
	for (uint32_t i = 0; i < m->nimports; i++) {
		const mod_import *imp = &m->imports[i];
		if (!inst_import_ok(inst, imp, &imports[i]))
			return false;
		switch (imp->kind) {
		case WR_EXTERN_FUNC: inst->funcs[imp->index] = imports[i].of.func; break;
		case WR_EXTERN_TABLE: inst->tables[imp->index] = imports[i].of.table; break;
		case WR_EXTERN_MEMORY: inst->mems[imp->index] = imports[i].of.memory; break;
		case WR_EXTERN_GLOBAL: inst->globals[imp->index] = imports[i].of.global; break;
		case WR_EXTERN_TAG: inst->tags[imp->index] = imports[i].of.tag; break;
		}
	}
	return true;
}

/* The store's canonical index of each of the module's types, group by
 * group (a group refers to earlier ones by their canonical indices). */
static bool inst_types(wr_instance *inst)
{
	const wr_module *m = inst->mod;
	for (uint32_t i = 0; i < m->ntypes; i += m->types[i].rec_len)
		if (!ty_intern_group(inst->store->types, m, i, m->types[i].rec_len, inst->type_ids))
			return false;
	return true;
}

/* The module's own tables, each filled with its initialiser's value
 * (null without one). */
static bool inst_create_tables(wr_instance *inst)
{
	const wr_module *m = inst->mod;
	for (uint32_t i = m->ntable_imports; i < m->ntables; i++) {
		const mod_table *d = &m->tables[i];
		wr_tabletype tt = { .elem = d->elem, .limits = d->limits };
		uint64_t v[2] = { 0, 0 };
		if (d->has_init && !inst_eval_const(inst, &d->init, v))
			return false;
		if (!(inst->tables[i] = store_table_new(inst->store, &tt, v[0])))
			return false;
		inst->tables[i]->vt = inst_vt(inst, d->vt);
	}
	return true;
}

/* Create the module's own functions, tables, memories, tags and globals:
 * each instance gets tags of its own. A memory may also fail because the
 * store's provider refused it or its address space could not be reserved:
 * then *bad_mem names it. */
static bool inst_create_defined(wr_instance *inst, int64_t *bad_mem)
{
	const wr_module *m = inst->mod;
	for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
		wr_func *f = &inst->defined[i - m->nfunc_imports];
		f->type = &m->types[m->func_types[i]];
		f->inst = inst;
		f->code = m->code ? m->code[i - m->nfunc_imports] : NULL;
		f->name = inst_func_name(m, i);
		f->index = i;
		f->canon = inst->type_ids[m->func_types[i]];
		f->store = inst->store;
		inst->funcs[i] = f;
	}
	if (!inst_create_tables(inst))
		return false;
	for (uint32_t i = m->nmem_imports; i < m->nmems; i++) {
		*bad_mem = i;
		if (!(inst->mems[i] = store_memory_new(inst->store, &m->mems[i].limits)))
			return false;
	}
	*bad_mem = -1;
	for (uint32_t i = m->ntag_imports; i < m->ntags; i++) {
		if (!(inst->tags[i] = store_tag_new(inst->store, &m->types[m->tags[i].type])))
			return false;
		inst->tags[i]->canon = inst->type_ids[m->tags[i].type];
		inst->tags[i]->inst = inst;
	}
	for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
		uint64_t v[2];
		if (!inst_eval_const(inst, &m->globals[i].init, v))
			return false;
		if (!(inst->globals[i] = store_global_new(inst->store, m->globals[i].type, m->globals[i].mut, v)))
			return false;
		inst->globals[i]->vt = inst_vt(inst, m->globals[i].vt);
	}
	return true;
}

/* Evaluate every element segment into an array of references. */
static bool inst_eval_elems(wr_instance *inst)
{
	const wr_module *m = inst->mod;
	for (uint32_t i = 0; i < m->nelems; i++) {
		const mod_elem *e = &m->elems[i];
		uint64_t *refs = calloc(e->count + 1, sizeof(*refs));
		if (!refs)
			return false;
		inst->elem_refs[i] = refs;
		inst->elem_len[i] = e->count;
		for (uint32_t j = 0; j < e->count; j++) {
			uint64_t v[2];
			if (e->funcs)
				refs[j] = (uintptr_t)inst->funcs[e->funcs[j]];
			else if (inst_eval_const(inst, &e->exprs[j], v))
				refs[j] = v[0];
			else
				return false;
		}
	}
	return true;
}

/* Offset of an active segment, evaluated as a constant expression of the
 * address type of its table or memory (i64 when addr64); false if the
 * evaluation ran out of memory. */
static bool inst_segment_offset(wr_instance *inst, const mod_expr *e, bool addr64, uint64_t *off)
{
	uint64_t v[2] = { 0, 0 };
	if (!inst_eval_const(inst, e, v))
		return false;
	*off = addr64 ? v[0] : (uint32_t)v[0];
	return true;
}

/* Apply active element segments, then active data segments, in order;
 * drop active and declarative segments as the spec says. */
static wr_trapkind inst_apply_segments(wr_instance *inst)
{
	const wr_module *m = inst->mod;
	for (uint32_t i = 0; i < m->nelems; i++) {
		const mod_elem *e = &m->elems[i];
		if (e->mode == SEG_ACTIVE) {
			wr_table *t = inst->tables[e->table];
			uint64_t off;
			if (!inst_segment_offset(inst, &e->offset, t->type.limits.addr64, &off))
				return WR_TRAP_LINK;
			if (off > t->size || e->count > t->size - off)
				return WR_TRAP_TABLE_OOB;
			if (e->count)
				memcpy(t->elems + off, inst->elem_refs[i], (size_t)e->count * sizeof(uint64_t));
		}
		if (e->mode != SEG_PASSIVE)
			inst->elem_len[i] = 0;
	}
	for (uint32_t i = 0; i < m->ndatas; i++) {
		const mod_data *d = &m->datas[i];
		inst->data_len[i] = (uint32_t)d->len;
		if (d->mode != SEG_ACTIVE)
			continue;
		wr_memory *mem = inst->mems[d->memory];
		uint64_t off;
		if (!inst_segment_offset(inst, &d->offset, mem->decl.addr64, &off))
			return WR_TRAP_LINK;
		if (off > mem->size || d->len > mem->size - off)
			return WR_TRAP_MEMORY_OOB;
		if (d->len)
			memcpy(mem->base + off, m->bytes + d->off, d->len);
		inst->data_len[i] = 0;
	}
	return WR_OK;
}

wr_instance *wr_instantiate(wr_store *s, const wr_module *m, const wr_extern *imports,
                            size_t nimports, wr_trap *trap)
{
	if (nimports != m->nimports)
		return inst_fail(trap, WR_TRAP_LINK, "unknown import");
	wr_instance *inst = inst_alloc(s, m);
	if (!inst)
		return inst_fail(trap, WR_TRAP_LINK, "out of memory");
	if (!inst_types(inst))
		return inst_fail(trap, WR_TRAP_LINK, "out of memory");
	if (!inst_bind_imports(inst, imports))
		return inst_fail(trap, WR_TRAP_LINK, "incompatible import type");
	for (uint32_t i = m->nmem_imports; i < m->nmems; i++)
		if (m->mems[i].limits.min > store_memory_max(s, &m->mems[i].limits))
			return inst_fail(trap, WR_TRAP_MEMORY_LIMIT,
			                 wr_trap_message(WR_TRAP_MEMORY_LIMIT));
	int64_t bad_mem = -1;
	/* no collection while objects the constant expressions make are held
	 * only here, on their way to a global, table or segment */
	s->gc_hold++;
	bool made = inst_create_defined(inst, &bad_mem) && inst_eval_elems(inst);
	s->gc_hold--;
	if (!made) {
		char msg[64];
		snprintf(msg, sizeof(msg), "cannot create memory %lld", (long long)bad_mem);
		return inst_fail(trap, WR_TRAP_LINK, bad_mem >= 0 ? msg : "out of memory");
	}
	wr_trapkind k = inst_apply_segments(inst);
	if (k == WR_TRAP_LINK)
		return inst_fail(trap, k, "out of memory");
	if (k != WR_OK)
		return inst_fail(trap, k, wr_trap_message(k));
	if (m->has_start) {
		wr_trap t;
		uint64_t slots[2] = { 0, 0 };
		k = vm_call(s, inst->funcs[m->start], slots, &t);
		if (k != WR_OK) {
			if (trap)
				*trap = t;
			return NULL;
		}
	}
	if (trap)
		memset(trap, 0, sizeof(*trap));
	return inst;
}

bool wr_instance_export(const wr_instance *inst, const char *name, wr_extern *out)
{
	return wr_instance_export_n(inst, name, strlen(name), out);
}

bool wr_instance_export_n(const wr_instance *inst, const char *name, size_t len, wr_extern *out)
{
	const wr_module *m = inst->mod;
	for (uint32_t i = 0; i < m->nexports; i++) {
		const mod_export *e = &m->exports[i];
		if (e->name_len != len || memcmp(e->name, name, len) != 0)
			continue;
		out->kind = e->kind;
		switch (e->kind) {
		case WR_EXTERN_FUNC: out->of.func = inst->funcs[e->index]; break;
		case WR_EXTERN_TABLE: out->of.table = inst->tables[e->index]; break;
		case WR_EXTERN_MEMORY: out->of.memory = inst->mems[e->index]; break;
		case WR_EXTERN_GLOBAL: out->of.global = inst->globals[e->index]; break;
		case WR_EXTERN_TAG: out->of.tag = inst->tags[e->index]; break;
		}
		return true;
	}
	return false;
}
