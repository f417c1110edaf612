/*
 * clinker.c: the host linker (wr_clinker, include/wrun.h): host functions
 * and resource types grouped by instance name, instances of component
 * instances, version matching of interface names, and serving the top
 * component's imports from them.
 */
#include "clink.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum ldkind { LD_FUNC, LD_RES } ldkind;

typedef struct ldef {
	char *name;
	ldkind kind;
	wr_chost_fn fn;
	void *user;
	cresource *res;
} ldef;

typedef struct linst {
	char *name;                  /* NULL: the top level */
	ldef *defs;
	uint32_t n, cap;
	const rinst *src;            /* wr_clinker_define_instance */
} linst;

struct wr_clinker {
	linst **insts;
	uint32_t n, cap;
	linst root;
	bool trap_unknown;
};

/* A host function bound to an import: what its calls need. */
struct hostfn {
	wr_chost_fn fn;
	void *user;
	const cfunctype *type;
	const char *name;
};

struct wr_ccall {
	const struct hostfn *h;
	wr_trap *trap;
};

/* ---- versions ---- */

typedef struct semver {
	uint64_t v[3];
	bool pre;                    /* a pre-release or build suffix: exact only */
} semver;

/* The length of name without its "@version", and the version (false when
 * there is none or it is not MAJOR.MINOR.PATCH[-...][+...]). */
static bool split_version(const char *name, size_t *base, semver *out)
{
	const char *at = strrchr(name, '@');
	*base = at ? (size_t)(at - name) : strlen(name);
	if (!at)
		return false;
	const char *p = at + 1;
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < 3; i++) {
		if (*p < '0' || *p > '9')
			return false;
		uint64_t v = 0;
		while (*p >= '0' && *p <= '9' && v < UINT64_MAX / 16)
			v = v * 10 + (uint64_t)(*p++ - '0');
		out->v[i] = v;
		if (i < 2 && *p++ != '.')
			return false;
	}
	out->pre = *p != '\0';
	return *p == '\0' || *p == '-' || *p == '+';
}

static bool compatible(const semver *want, const semver *have, const char *w, const char *h)
{
	if (want->pre || have->pre)
		return strcmp(w, h) == 0;
	if (want->v[0] != have->v[0])
		return false;
	if (want->v[0] > 0)
		return true;
	if (want->v[1] != have->v[1])
		return false;
	return want->v[1] > 0 || want->v[2] == have->v[2];
}

static bool higher(const semver *a, const semver *b)
{
	for (int i = 0; i < 3; i++)
		if (a->v[i] != b->v[i])
			return a->v[i] > b->v[i];
	return false;
}

/* The instance serving import `name`: same name, or the highest version
 * compatible with the import's. */
static const linst *find_inst(const wr_clinker *l, const char *name)
{
	size_t base;
	semver want;
	bool versioned = split_version(name, &base, &want);
	const linst *best = NULL;
	semver best_v;
	for (uint32_t i = 0; i < l->n; i++) {
		const linst *li = l->insts[i];
		if (!versioned) {
			if (!strcmp(li->name, name))
				return li;
			continue;
		}
		size_t b;
		semver have;
		if (!split_version(li->name, &b, &have) || b != base || memcmp(li->name, name, base) ||
		    !compatible(&want, &have, name + base, li->name + b))
			continue;
		if (!best || higher(&have, &best_v)) {
			best = li;
			best_v = have;
		}
	}
	return best;
}

static const ldef *find_def(const linst *li, const char *name, ldkind kind)
{
	for (uint32_t i = 0; li && i < li->n; i++)
		if (li->defs[i].kind == kind && !strcmp(li->defs[i].name, name))
			return &li->defs[i];
	return NULL;
}

/* ---- functions served to imports ---- */

static wr_trapkind host_tramp(void *user, const wr_cval *args, size_t nargs, wr_cval *result,
                             wr_trap *trap)
{
	struct wr_ccall call = { user, trap };
	return call.h->fn(&call, args, nargs, result, call.h->user);
}

static wr_trapkind trap_tramp(void *user, const wr_cval *args, size_t nargs, wr_cval *result,
                             wr_trap *trap)
{
	snprintf(trap->message, sizeof(trap->message), "%s", (const char *)user);
	return trap->kind = WR_TRAP_HOST;
}

struct wr_cfunc *clink_trap_func(struct wr_cinstance *top, const cfunctype *ft, const char *msg)
{
	struct wr_cfunc *fn = ctype_alloc(top->arena, sizeof(*fn));
	char *m = ctype_strdup(top->arena, msg, strlen(msg));
	if (!fn || !m) {
		clink_oom(top);
		return NULL;
	}
	fn->f = (struct cfunc){ .type = ft, .host = trap_tramp, .user = m };
	return fn;
}

/* Function import x (in instance `what` when x is an instance's export). */
static bool resolve_func(cframe *f, const linst *li, const cextern *x, const char *what,
                         ritem *out)
{
	struct wr_cinstance *top = f->top;
	const cfunctype *ft = clink_func_type(f, x->func);
	if (!ft)
		return false;
	const ldef *d = find_def(li, x->name, LD_FUNC);
	if (!d && !(top->linker && top->linker->trap_unknown))
		return clink_fail(top, "import `%s` is not defined", what);
	if (!d) {
		char msg[320];
		snprintf(msg, sizeof(msg), "unknown import `%s` called", what);
		return (out->func = clink_trap_func(top, ft, msg)) != NULL;
	}
	struct wr_cfunc *fn = ctype_alloc(top->arena, sizeof(*fn));
	struct hostfn *h = ctype_alloc(top->arena, sizeof(*h));
	char *name = ctype_strdup(top->arena, what, strlen(what));
	if (!fn || !h || !name)
		return clink_oom(top);
	*h = (struct hostfn){ d->fn, d->user, ft, name };
	fn->f = (struct cfunc){ .type = ft, .host = host_tramp, .user = h };
	out->func = fn;
	return true;
}

/* Type import x: a resource type is the linker's, or one bound already
 * (an (eq ...) export naming another import's resource). */
static bool resolve_type(cframe *f, const linst *li, const cextern *x, const char *what,
                         ritem *out)
{
	if (x->type.kind != CT_RESOURCE || !x->type.res || !x->type.res->res)
		return true;
	const cresource *s = x->type.res->res, *bound = clink_res(f, s);
	const ldef *d = find_def(li, x->name, LD_RES);
	if (d) {
		out->res = d->res;
		return clink_map(f, s, d->res, what);
	}
	if (bound != s) {
		out->res = bound;
		return true;
	}
	if (!(f->top->linker && f->top->linker->trap_unknown))
		return clink_fail(f->top, "import `%s`: resource type is not defined", what);
	cresource *r = ctype_alloc(f->top->arena, sizeof(*r));
	if (!r)
		return clink_oom(f->top);
	r->name = x->name;
	out->res = r;
	return clink_map(f, s, r, what);
}

static bool host_inst(cframe *f, const linst *li, const cinsttype *t, const char *iname,
                      ritem *out)
{
	rinst *in = ctype_alloc(f->top->arena, sizeof(*in));
	if (!in || !(in->e = ctype_alloc(f->top->arena, (t->nexports + 1) * sizeof(rexport))))
		return clink_oom(f->top);
	bool unknown_ok = f->top->linker && f->top->linker->trap_unknown;
	for (uint32_t i = 0; i < t->nexports; i++) {
		const cextern *x = &t->exports[i];
		char what[320];
		snprintf(what, sizeof(what), "%s#%s", iname, x->name);
		ritem it;
		memset(&it, 0, sizeof(it));
		bool ok;
		if (x->sort == CS_FUNC)
			ok = resolve_func(f, li, x, what, &it);
		else if (x->sort == CS_TYPE)
			ok = resolve_type(f, li, x, what, &it);
		else if (x->sort == CS_INSTANCE && unknown_ok)
			ok = host_inst(f, NULL, x->inst, what, &it);
		else
			ok = clink_fail(f->top, "import `%s`: a %s the host does not define", what,
			                csort_name(x->sort));
		if (!ok)
			return false;
		in->e[in->n++] = (rexport){ x->name, x->name_len, x->sort, it };
	}
	if (!rinst_index(f->top->arena, in))
		return clink_oom(f->top);
	out->inst = in;
	return true;
}

bool clinker_resolve(cframe *f, const cextern *e, ritem *out)
{
	const wr_clinker *l = f->top->linker;
	const linst *root = l ? &l->root : NULL;
	switch (e->sort) {
	case CS_FUNC: return resolve_func(f, root, e, e->name, out);
	case CS_TYPE: return resolve_type(f, root, e, e->name, out);
	case CS_INSTANCE: break;
	default:
		return clink_fail(f->top, "import `%s`: a %s cannot be served by the host", e->name,
		                  csort_name(e->sort));
	}
	const linst *li = l ? find_inst(l, e->name) : NULL;
	if (li && li->src) {
		out->inst = (rinst *)li->src;
		return clink_bind(f, e, out, e->name, true);
	}
	if (!li && !(l && l->trap_unknown))
		return clink_fail(f->top, "import `%s` is not defined", e->name);
	return host_inst(f, li, e->inst, e->name, out);
}

/* ---- the API ---- */

wr_clinker *wr_clinker_new(void)
{
	return calloc(1, sizeof(wr_clinker));
}

static void linst_free(linst *li)
{
	for (uint32_t i = 0; i < li->n; i++) {
		free(li->defs[i].name);
		if (li->defs[i].res)
			free((char *)li->defs[i].res->name);
		free(li->defs[i].res);
	}
	free(li->defs);
	free(li->name);
}

void wr_clinker_free(wr_clinker *l)
{
	if (!l)
		return;
	for (uint32_t i = 0; i < l->n; i++) {
		linst_free(l->insts[i]);
		free(l->insts[i]);
	}
	free(l->insts);
	linst_free(&l->root);
	free(l);
}

/* Instance `name` (NULL: the top level), created when absent. */
static linst *get_inst(wr_clinker *l, const char *name)
{
	if (!name)
		return &l->root;
	for (uint32_t i = 0; i < l->n; i++)
		if (!strcmp(l->insts[i]->name, name))
			return l->insts[i];
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 8;
		linst **p = realloc(l->insts, cap * sizeof(*p));
		if (!p)
			return NULL;
		l->insts = p;
		l->cap = cap;
	}
	linst *li = calloc(1, sizeof(*li));
	if (!li || !(li->name = strdup(name))) {
		free(li);
		return NULL;
	}
	l->insts[l->n++] = li;
	return li;
}

static ldef *add_def(wr_clinker *l, const char *inst, const char *name, ldkind kind)
{
	linst *li = l && name ? get_inst(l, inst) : NULL;
	if (!li || li->src || find_def(li, name, kind))
		return NULL;
	if (li->n == li->cap) {
		uint32_t cap = li->cap ? li->cap * 2 : 8;
		ldef *p = realloc(li->defs, cap * sizeof(*p));
		if (!p)
			return NULL;
		li->defs = p;
		li->cap = cap;
	}
	ldef *d = &li->defs[li->n];
	memset(d, 0, sizeof(*d));
	if (!(d->name = strdup(name)))
		return NULL;
	d->kind = kind;
	li->n++;
	return d;
}

bool wr_clinker_define_func(wr_clinker *l, const char *instance, const char *name, wr_chost_fn fn,
                            void *user)
{
	ldef *d = fn ? add_def(l, instance, name, LD_FUNC) : NULL;
	if (!d)
		return false;
	d->fn = fn;
	d->user = user;
	return true;
}

const void *wr_clinker_define_resource(wr_clinker *l, const char *instance, const char *name,
                                       const char *(*dtor)(uint32_t rep, void *user), void *user)
{
	cresource *r = calloc(1, sizeof(*r));
	char *rname = name ? strdup(name) : NULL;
	ldef *d = r && rname ? add_def(l, instance, name, LD_RES) : NULL;
	if (!d) {
		free(r);
		free(rname);
		return NULL;
	}
	*r = (cresource){ .name = rname, .host_dtor = dtor, .user = user };
	d->res = r;
	return r;
}

bool wr_clinker_define_instance(wr_clinker *l, const char *instance, wr_cinstance *inst,
                                const char *export_name)
{
	if (!l || !instance || !inst)
		return false;
	const rinst *src = inst->exports;
	if (export_name) {
		const rexport *e = rinst_find(src, export_name, strlen(export_name));
		if (!e || e->sort != CS_INSTANCE)
			return false;
		src = e->item.inst;
	}
	linst *li = get_inst(l, instance);
	if (!li || li->n || li->src)
		return false;
	li->src = src;
	return true;
}

void wr_clinker_trap_unknown(wr_clinker *l, bool on)
{
	if (l)
		l->trap_unknown = on;
}

const struct cfunctype *wr_ccall_type(const wr_ccall *call)
{
	return call->h->type;
}

const char *wr_ccall_name(const wr_ccall *call)
{
	return call->h->name;
}

wr_trapkind wr_ccall_trap(wr_ccall *call, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(call->trap->message, sizeof(call->trap->message), fmt, ap);
	va_end(ap);
	return call->trap->kind = WR_TRAP_HOST;
}

wr_trapkind wr_ccall_exit(wr_ccall *call, int code)
{
	call->trap->exit_code = code;
	snprintf(call->trap->message, sizeof(call->trap->message), "%s",
	         wr_trap_message(WR_TRAP_EXIT));
	return call->trap->kind = WR_TRAP_EXIT;
}
