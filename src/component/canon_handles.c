/*
 * canon_handles.c: component instances' canonical ABI state: the handle
 * table (CanonicalABI.md, "Table State", "Resource State"), lifting and
 * lowering own and borrow handles with their lend and borrow counts, the
 * reentrance flags, and the core functions of `canon resource.new`,
 * `resource.drop` and `resource.rep`.
 */
#include "canon_impl.h"

#include <stdlib.h>
#include <string.h>

struct chandle {
	const cresource *rt;    /* NULL: a free entry */
	uint32_t rep;
	uint32_t num_lends;     /* borrows lent from this handle, live */
	uint32_t next_free;     /* free entries: the next one, 0 ends the list */
	bool own;
	struct ctask *scope;    /* a borrow: the task it was lowered into */
};

struct cclosure {
	struct cclosure *next;
	max_align_t data[];
};

/* ---- instances ---- */

struct cinstance *cinstance_new(struct cinstance *parent)
{
	struct cinstance *inst = calloc(1, sizeof(*inst));
	if (inst) {
		inst->parent = parent;
		inst->may_enter = inst->may_leave = true;
		inst->nhandles = 1;
	}
	return inst;
}

void cinstance_free(struct cinstance *inst)
{
	if (!inst)
		return;
	for (struct cclosure *c = inst->closures, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(inst->handles);
	free(inst);
}

void *cinstance_alloc(struct cinstance *inst, size_t bytes)
{
	struct cclosure *c = calloc(1, sizeof(*c) + bytes);
	if (!c)
		return NULL;
	c->next = inst->closures;
	inst->closures = c;
	return c->data;
}

uint32_t cinstance_live_handles(const struct cinstance *inst)
{
	uint32_t n = 0;
	for (uint32_t i = 1; i < inst->nhandles; i++)
		n += inst->handles[i].rt != NULL;
	return n;
}

/* Is x inst or one of its ancestors? */
static bool in_chain(const struct cinstance *x, const struct cinstance *inst)
{
	for (; inst; inst = inst->parent)
		if (inst == x)
			return true;
	return false;
}

bool cinstance_may_enter(const struct cinstance *inst, const struct cinstance *caller)
{
	for (const struct cinstance *a = inst; a; a = a->parent)
		if (!a->may_enter && !in_chain(a, caller))
			return false;
	return true;
}

void cinstance_enter(struct cinstance *inst, const struct cinstance *caller)
{
	for (struct cinstance *a = inst; a; a = a->parent)
		if (!in_chain(a, caller))
			a->may_enter = false;
}

void cinstance_leave(struct cinstance *inst, const struct cinstance *caller)
{
	for (struct cinstance *a = inst; a; a = a->parent)
		if (!in_chain(a, caller))
			a->may_enter = true;
}

/* ---- the table ---- */

static struct chandle *tab_get(struct cinstance *inst, uint32_t i)
{
	if (!inst || i == 0 || i >= inst->nhandles || !inst->handles[i].rt)
		return NULL;
	return &inst->handles[i];
}

static wr_trapkind tab_add(struct cinstance *inst, const struct chandle *h, uint32_t *idx,
                           wr_trap *trap)
{
	if (!inst)
		return ctrap_to(trap, "canonical ABI: no component instance for a handle");
	uint32_t i = inst->free_head;
	if (i) {
		inst->free_head = inst->handles[i].next_free;
	} else {
		i = inst->nhandles;
		if (i > CANON_MAX_HANDLES)
			return ctrap_to(trap, "handle table full");
		if (i >= inst->cap) {
			uint32_t cap = inst->cap ? inst->cap * 2 : 16;
			struct chandle *a = realloc(inst->handles, (size_t)cap * sizeof(*a));
			if (!a)
				return ctrap_to(trap, "out of host memory for the handle table");
			memset(a + inst->cap, 0, (size_t)(cap - inst->cap) * sizeof(*a));
			inst->handles = a;
			inst->cap = cap;
		}
		inst->nhandles++;
	}
	inst->handles[i] = *h;
	inst->handles[i].next_free = 0;
	*idx = i;
	return WR_OK;
}

/* Free entry i; freed entries are reused last freed first. */
static void tab_remove(struct cinstance *inst, uint32_t i)
{
	memset(&inst->handles[i], 0, sizeof(inst->handles[i]));
	inst->handles[i].next_free = inst->free_head;
	inst->free_head = i;
}

static const char *definer(const cresource *rt)
{
	return rt && rt->owner ? "guest" : "host";
}

/* Entry i of inst, of type rt, or a trap. */
static wr_trapkind tab_find(struct cinstance *inst, uint32_t i, const cresource *rt,
                            struct chandle **out, wr_trap *trap)
{
	struct chandle *h = tab_get(inst, i);
	if (!h)
		return ctrap_to(trap, "unknown handle index %u", i);
	if (h->rt != rt)
		return ctrap_to(trap, "handle index %u used with the wrong type, expected %s-defined "
		                "resource but found a different %s-defined resource",
		                i, definer(rt), definer(h->rt));
	*out = h;
	return WR_OK;
}

/* ---- lifting and lowering handles ---- */

wr_trapkind chandle_lift_own(struct ccx *cx, uint32_t i, const ctype *t, uint32_t *rep)
{
	struct chandle *h;
	wr_trapkind k = tab_find(cx->inst, i, t->res, &h, cx->trap);
	if (k != WR_OK)
		return k;
	if (h->num_lends)
		return ctrap(cx, "%s", CMSG_LENT);
	if (!h->own)
		return ctrap(cx, "handle index %u is a borrow where an own handle is expected", i);
	*rep = h->rep;
	tab_remove(cx->inst, i);
	return WR_OK;
}

wr_trapkind chandle_lift_borrow(struct ccx *cx, uint32_t i, const ctype *t, uint32_t *rep)
{
	struct chandle *h;
	wr_trapkind k = tab_find(cx->inst, i, t->res, &h, cx->trap);
	if (k != WR_OK)
		return k;
	struct csubtask *st = cx->sub;
	if (!st)
		return ctrap(cx, "canonical ABI: a borrow lifted outside a call");
	if (st->n == st->cap) {
		uint32_t cap = st->cap ? st->cap * 2 : 8;
		uint32_t *a = realloc(st->lenders, cap * sizeof(*a));
		if (!a)
			return ctrap_oom(cx);
		st->lenders = a;
		st->cap = cap;
	}
	st->lenders[st->n++] = i;
	h->num_lends++;
	*rep = h->rep;
	return WR_OK;
}

void csubtask_deliver(struct csubtask *st, struct cinstance *inst)
{
	for (uint32_t j = 0; j < st->n; j++) {
		struct chandle *h = tab_get(inst, st->lenders[j]);
		if (h && h->num_lends)
			h->num_lends--;
	}
	free(st->lenders);
	st->lenders = NULL;
	st->n = st->cap = 0;
}

wr_trapkind chandle_lower_own(struct ccx *cx, uint32_t rep, const ctype *t, uint32_t *i)
{
	struct chandle h = { .rt = t->res, .rep = rep, .own = true };
	if (!t->res)
		return ctrap(cx, "%s", CMSG_MISMATCH);
	return tab_add(cx->inst, &h, i, cx->trap);
}

/* A borrow passed to the instance that defined the resource arrives as its
 * representation; elsewhere it is a handle scoped to the current task. */
wr_trapkind chandle_lower_borrow(struct ccx *cx, uint32_t rep, const ctype *t, uint32_t *i)
{
	if (!t->res)
		return ctrap(cx, "%s", CMSG_MISMATCH);
	if (cx->inst && t->res->owner == cx->inst) {
		*i = rep;
		return WR_OK;
	}
	if (!cx->task)
		return ctrap(cx, "canonical ABI: a borrow lowered outside a call");
	struct chandle h = { .rt = t->res, .rep = rep, .own = false, .scope = cx->task };
	wr_trapkind k = tab_add(cx->inst, &h, i, cx->trap);
	if (k == WR_OK)
		cx->task->num_borrows++;
	return k;
}

void ctask_scrub(struct ctask *task)
{
	struct cinstance *inst = task->inst;
	for (uint32_t i = 1; inst && task->num_borrows && i < inst->nhandles; i++) {
		struct chandle *h = &inst->handles[i];
		if (h->rt && !h->own && h->scope == task) {
			tab_remove(inst, i);
			task->num_borrows--;
		}
	}
	task->num_borrows = 0;
}

/* ---- resource.new, resource.drop, resource.rep ---- */

struct res_closure {
	const cresource *rt;
	struct cinstance *inst;
};

static wr_trapkind resource_new(wr_hostcall *hc, uint64_t *slots, void *user)
{
	struct res_closure *c = user;
	if (!c->inst->may_leave)
		return wr_hostcall_trap(hc, CMSG_LEAVE);
	struct chandle h = { .rt = c->rt, .rep = (uint32_t)slots[0], .own = true };
	uint32_t i;
	wr_trap t;
	wr_trapkind k = tab_add(c->inst, &h, &i, &t);
	if (k != WR_OK)
		return cpass_trap(hc, k, &t);
	slots[0] = i;
	return WR_OK;
}

/* The destructor of an own handle's resource, entering its instance. */
static wr_trapkind run_dtor(const struct res_closure *c, uint32_t rep, wr_trap *t)
{
	const cresource *rt = c->rt;
	if (rt->host_dtor) {
		const char *why = rt->host_dtor(rep, rt->user);

		return why ? ctrap_to(t, "%s", why) : WR_OK;
	}
	if (!rt->dtor)
		return WR_OK;
	if (!cinstance_may_enter(rt->owner, c->inst))
		return ctrap_to(t, CMSG_ENTER);
	if (rt->owner)
		cinstance_enter(rt->owner, c->inst);
	wr_value arg = { .type = WR_I32, .of.i32 = (int32_t)rep };
	wr_trapkind k = wr_call(rt->dtor, &arg, 1, NULL, 0, t);
	if (k == WR_OK && rt->owner)
		cinstance_leave(rt->owner, c->inst);
	return k;
}

static wr_trapkind resource_drop(wr_hostcall *hc, uint64_t *slots, void *user)
{
	struct res_closure *c = user;
	if (!c->inst->may_leave)
		return wr_hostcall_trap(hc, CMSG_LEAVE);
	uint32_t i = (uint32_t)slots[0];
	struct chandle *h;
	wr_trap t;
	wr_trapkind k = tab_find(c->inst, i, c->rt, &h, &t);
	if (k != WR_OK)
		return cpass_trap(hc, k, &t);
	if (h->num_lends)
		return wr_hostcall_trap(hc, CMSG_LENT);
	struct chandle gone = *h;
	tab_remove(c->inst, i);
	if (!gone.own) {
		if (gone.scope && gone.scope->num_borrows)
			gone.scope->num_borrows--;
		return WR_OK;
	}
	k = run_dtor(c, gone.rep, &t);
	return k == WR_OK ? WR_OK : cpass_trap(hc, k, &t);
}

static wr_trapkind resource_rep(wr_hostcall *hc, uint64_t *slots, void *user)
{
	struct res_closure *c = user;
	struct chandle *h;
	wr_trap t;
	wr_trapkind k = tab_find(c->inst, (uint32_t)slots[0], c->rt, &h, &t);
	if (k != WR_OK)
		return cpass_trap(hc, k, &t);
	slots[0] = h->rep;
	return WR_OK;
}

static wr_func *resource_func(wr_store *s, const cresource *rt, struct cinstance *inst,
                              wr_host_fn fn, uint32_t nresults, const char *name)
{
	static const uint8_t i32[] = { WR_I32 };
	struct res_closure *c = cinstance_alloc(inst, sizeof(*c));
	if (!c)
		return NULL;
	c->rt = rt;
	c->inst = inst;
	wr_functype ft = { 1, nresults, i32, i32 };
	return wr_func_new_host(s, &ft, fn, c, name);
}

wr_func *canon_resource_new(wr_store *s, const cresource *rt, struct cinstance *inst)
{
	return resource_func(s, rt, inst, resource_new, 1, "resource.new");
}

wr_func *canon_resource_drop(wr_store *s, const cresource *rt, struct cinstance *inst)
{
	return resource_func(s, rt, inst, resource_drop, 0, "resource.drop");
}

wr_func *canon_resource_rep(wr_store *s, const cresource *rt, struct cinstance *inst)
{
	return resource_func(s, rt, inst, resource_rep, 1, "resource.rep");
}
