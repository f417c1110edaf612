/*
 * clink.h: what instantiation (instance.c), the linker (clinker.c) and the
 * instance API (cinst_api.c) share. The rest of the project uses the
 * component API of include/wrun.h.
 *
 * Run-time items. Instantiating a ccomp (component.h) walks its
 * definitions in order in a frame: one array of ritem per sort, a map from
 * the loaded component's static resource identities to this
 * instantiation's run-time cresources, and the canonical ABI state of the
 * instance (struct cinstance). Everything is allocated in the arena of the
 * wr_cinstance being built (the top one), canonical instances excepted,
 * which it frees.
 */
#ifndef WRUN_COMPONENT_CLINK_H
#define WRUN_COMPONENT_CLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "canon.h"
#include "component.h"
#include "ctype.h"
#include "wrun.h"

/* An index of names for lookups in untrusted counts (cbind.c): slot[h]
 * holds 1 + the index of a name, 0 when empty; mask + 1 slots. */
typedef struct cnameidx {
	uint32_t *slot;
	uint32_t mask;
} cnameidx;

struct rinst;
struct rcoreinst;
struct rcomp;

/* A component function: canon.h's cfunc (its type has run-time resources). */
struct wr_cfunc {
	struct cfunc f;
};

/* Item i of one sort, as it is at run time. Which member: the sort's. */
typedef struct ritem {
	wr_extern core;              /* core func, table, memory, global, tag */
	wr_module *module;           /* core module */
	struct rcoreinst *coreinst;  /* core instance */
	struct wr_cfunc *func;       /* func */
	struct rcomp *comp;          /* component: code and where it was defined */
	struct rinst *inst;          /* instance */
	const cresource *res;        /* type: a resource type (NULL: another type) */
} ritem;

/* A core instance: a module instance, or one made of exports (inst NULL). */
typedef struct rcoreinst {
	wr_instance *inst;
	uint32_t n;
	const char **names;
	uint32_t *lens;
	wr_extern *ext;
	cnameidx idx;
} rcoreinst;

/* An export of a component instance. */
typedef struct rexport {
	const char *name;
	uint32_t name_len;
	csort sort;
	ritem item;
} rexport;

typedef struct rinst {
	uint32_t n;
	rexport *e;
	cnameidx idx;                /* built by rinst_index when n is large */
} rinst;

struct cframe;

/* A component value: its definition and the frame it was defined in (for
 * its outer aliases); frame NULL for the top component. */
typedef struct rcomp {
	const ccomp *c;
	struct cframe *outer;
} rcomp;

/* One instantiation of a ccomp in progress (or done: frames stay alive as
 * long as the top instance, since components they define may be
 * instantiated later). */
typedef struct cframe {
	const ccomp *c;
	struct cframe *outer;
	ritem *items[CS__COUNT];
	/* static resource -> run-time resource: the pairs (arena), and the
	 * same in a csubst for rebuilding types (malloc, freed with top) */
	const cresource **from, **to;
	uint32_t nmap, capmap;
	csubst *subst;
	struct cframe *next;         /* every frame of top, to free their csubst */
	struct cinstance *ci;
	const rinst *args;           /* nested: the instantiation's arguments */
	rinst *exports;              /* filled as the exports are defined */
	struct wr_cinstance *top;
	uint32_t depth;              /* nesting of instantiations */
	uint64_t context;            /* context.get/set (slot 0; see instance.c) */
	uint32_t backpressure;       /* backpressure.inc/dec */
	struct casync_task *task;    /* the async-lifted call running (casync.c) */
} cframe;

struct wr_cinstance {
	ctype_arena *arena;
	wr_store *store;
	const wr_component *comp;
	const wr_clinker *linker;
	rinst *exports;
	struct cinstance **cis;      /* canonical ABI instances (malloc) */
	uint32_t ncis, capcis;
	uint32_t nframes;            /* component instantiations so far */
	uint64_t work;               /* items allocated so far (instance.c) */
	struct cframe *frames;
	wr_trap *trap;               /* during instantiation */
};

/* Instantiations nest at most this deep. */
#define CLINK_MAX_DEPTH 100

/* ---- instance.c, cbind.c ---- */

/* Record a link error (WR_TRAP_LINK, "unlinkable: ..."); returns false. */
bool clink_fail(struct wr_cinstance *top, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool clink_oom(struct wr_cinstance *top);
/* The run-time image of static resource r in frame f (r when unmapped). */
const cresource *clink_res(const cframe *f, const cresource *r);
/* Bind the static resources an import of type e introduces to those of the
 * actual item it (the argument) and check the sorts; check also compares
 * function types (an argument validation has not seen: the linker's).
 * what names the import in messages. */
bool clink_bind(cframe *f, const cextern *e, const ritem *it, const char *what, bool check);
/* Bind static resource r to run-time resource to in f (an error if r is
 * bound to another already). */
bool clink_map(cframe *f, const cresource *r, const cresource *to, const char *what);
/* Does it hold an item of sort s? (cbind.c) */
bool ritem_has(const ritem *it, csort s);
/* Can the canonical ABI run a function of this type? (No type validation
 * knows but wrun does not run: streams, futures, error contexts.) */
bool clink_func_runnable(const cfunctype *ft);
/* ft with every map<K, V> replaced by list<tuple<K, V>>, its canonical ABI
 * (NULL when out of memory; ft itself when it holds no map). */
const cfunctype *clink_demap(ctype_arena *a, const cfunctype *ft);
/* Static function type ft as it runs in f: f's resources substituted,
 * maps made lists (NULL, an error recorded, when out of memory). */
const cfunctype *clink_func_type(cframe *f, const cfunctype *ft);
/* An export of a run-time instance by name, NULL if absent. */
const rexport *rinst_find(const rinst *in, const char *name, size_t len);
/* Index in's names when there are enough of them for it to matter (false
 * when out of memory). */
bool rinst_index(ctype_arena *a, rinst *in);

/* The names of a table: name i of ctx and its length. */
typedef const char *(*cname_at)(const void *ctx, uint32_t i, uint32_t *len);
/* Index the n names of ctx (false when out of memory). */
bool cnameidx_build(ctype_arena *a, cnameidx *x, uint32_t n, cname_at at, const void *ctx);
/* The index of name in ctx through x (the first of equal names), or
 * UINT32_MAX. */
uint32_t cnameidx_find(const cnameidx *x, const char *name, size_t len, cname_at at,
                       const void *ctx);
/* Fewer names than this are searched in order. */
#define CNAMEIDX_MIN 16

/* ---- clinker.c ---- */

/* The item serving root import e (its name e->name) from the linker. */
bool clinker_resolve(cframe *f, const cextern *e, ritem *out);

/* ---- casync.c: async calls that complete synchronously ---- */

struct casync_task;
/* An async-lifted function without a callback: a host cfunc running core
 * with opts, its result the one task.return gives. NULL when out of memory
 * (recorded). */
struct wr_cfunc *clink_async_lift(cframe *f, const cfunctype *ft, wr_func *core,
                                  const struct canonopts *opts);
/* `canon task.return` of core type core in f. NULL when out of memory. */
wr_func *clink_task_return(cframe *f, const wr_functype *core);
/* An async `canon lower` of callee with the caller's opts: the core
 * function of type core, which runs the callee to its end and returns the
 * subtask state RETURNED. NULL when out of memory or core does not fit. */
wr_func *clink_async_lower(cframe *f, const struct wr_cfunc *callee,
                           const struct canonopts *opts, const wr_functype *core);

/* ---- cinst_api.c ---- */

/* A func whose type is ft (run-time) that traps when called (msg). */
struct wr_cfunc *clink_trap_func(struct wr_cinstance *top, const cfunctype *ft, const char *msg);

#endif
