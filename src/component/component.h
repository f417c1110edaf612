/*
 * component.h: a decoded and validated component, as the instantiation and
 * linking code walks it.
 *
 * wr_component_load (include/wrun.h) decodes and validates in one pass:
 * every definition is checked against the index spaces built by the ones
 * before it, as the component model defines validation. What it produces:
 *
 *   wr_component          owns everything: one ctype_arena (every struct
 *                         below lives in it) and the nested core modules
 *                         (wr_module, freed with the component).
 *   ccomp                 one component: the top one (wr_component.root)
 *                         or a nested (component ...) definition. Holds its
 *                         definitions in order (defs), its index spaces
 *                         (space[sort]) and its type (type: imports/exports).
 *   cdef                  one definition. Each definition appends exactly
 *                         one item to one index space: def->sort, at
 *                         def->index. (A core type, type or core module
 *                         definition appends a type or module; an import or
 *                         export appends an item of its sort; a canon lift a
 *                         func; a canon lower or resource built-in a core
 *                         func.) Custom sections leave no definition.
 *
 * Instantiating a ccomp: create one array per sort (CS__COUNT of them), walk
 * defs in order and, for each, compute the run-time item and append it to
 * the array of def->sort (its position is def->index). Every index a
 * definition names (core module of an instantiate, core func of a lift,
 * memory of an option, ...) refers to those arrays of the same component,
 * except outer aliases, which name an enclosing component's arrays
 * (CD_ALIAS_OUTER: count levels out, through ccomp.parent and the
 * instantiation that is running it).
 *
 * Types. Value types are ctype (ctype.h) and function types cfunctype;
 * resource types are cresource, compared by pointer. In a loaded
 * component a cresource is a *static* identity (owner, dtor NULL), made
 * by: a resource type definition (CD_TYPE with res_def; the ones this
 * component defines, with a rep: resource.new/rep allowed), a type import
 * (sub resource), an instance-typed import (each exported (sub resource)
 * of the instance type gets a fresh one per import: ccomptype.imported
 * lists all the imported ones), and an instantiation (each resource the
 * child component defines gets a fresh one per instantiation). The linker
 * maps each static identity to its run-time cresource per instance: local
 * definitions to new resources of the instance; imported ones to the
 * resources the arguments supply at the same place (the import that
 * declares the resource, or the export of an imported instance that
 * does); a child instance's to what instantiating the child produced.
 * csubst (below) rebuilds a type with resources replaced through such a
 * map. Stream, future, map and error-context value types carry kinds past
 * WR_C__COUNT (cvalid.h): the linker must refuse them (async is not run).
 *
 * Names: every name is NUL-terminated and also has its length. Import and
 * export names are validated (kebab-case, interface names: no NUL); core
 * names and instantiation argument names are any UTF-8, which may hold a
 * NUL (use the length).
 */
#ifndef WRUN_COMPONENT_COMPONENT_H
#define WRUN_COMPONENT_COMPONENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctype.h"
#include "wrun.h"

/* ---- index spaces ---- */

typedef enum csort {
	/* core */
	CS_CORE_FUNC, CS_CORE_TABLE, CS_CORE_MEMORY, CS_CORE_GLOBAL, CS_CORE_TAG,
	CS_CORE_TYPE, CS_CORE_MODULE, CS_CORE_INSTANCE,
	/* component */
	CS_FUNC, CS_VALUE, CS_TYPE, CS_COMPONENT, CS_INSTANCE,
	CS__COUNT
} csort;

/* "core func", "func", "instance", ... */
const char *csort_name(csort s);

/* ---- core types ---- */

/* A core value type is one byte: wr_valtype (0x7f i32 .. 0x6f externref). */

/* The type of a core import or export (a core "extern type"). */
typedef enum ccext_kind {
	CX_FUNC = WR_EXTERN_FUNC, CX_TABLE = WR_EXTERN_TABLE,
	CX_MEMORY = WR_EXTERN_MEMORY, CX_GLOBAL = WR_EXTERN_GLOBAL, CX_TAG = 4
} ccext_kind;

typedef struct ccext {
	ccext_kind kind;
	const wr_functype *func;  /* func, tag: the function type */
	wr_tabletype table;
	wr_limits memory;         /* in pages */
	bool shared;              /* memory: shared */
	bool is64;                /* memory, table: 64-bit addresses */
	wr_globaltype global;
} ccext;

typedef struct ccore_import {
	const char *module, *name;
	uint32_t module_len, name_len;
	ccext type;
} ccore_import;

typedef struct ccore_export {
	const char *name;
	uint32_t name_len;
	ccext type;
} ccore_export;

/* A core module type: what a core module imports and exports. */
typedef struct cmodtype {
	uint32_t nimports, nexports;
	const ccore_import *imports;
	const ccore_export *exports;
} cmodtype;

/* A core instance's type: its exports. */
typedef struct ccoreinst {
	uint32_t nexports;
	const ccore_export *exports;
} ccoreinst;

/* An entry of the core type index space: a function type or a module type
 * (other core composite types, struct and array, are kept as CCT_OTHER). */
typedef enum ccoretype_kind { CCT_FUNC, CCT_MODULE, CCT_OTHER } ccoretype_kind;
typedef struct ccoretype {
	ccoretype_kind kind;
	const wr_functype *func;
	const cmodtype *module;
} ccoretype;

/* ---- component types ---- */

struct cinsttype;
struct ccomptype;

/*
 * An entry of the type index space. Identity matters for value types and
 * resources: exporting or importing a type (or aliasing one) makes a new
 * entry whose ctype or crestype is a copy, so that the rule "types named by
 * an export must themselves be exported" can tell them apart; structurally
 * (ctype_equal, and resources by cres) copies are the same type.
 */
typedef enum ctkind { CT_VAL, CT_FUNC, CT_COMPONENT, CT_INSTANCE, CT_RESOURCE } ctkind;

/* One name for a resource: the resource (res, compared by pointer) and this
 * name's own identity (the crestype pointer). */
typedef struct crestype {
	const cresource *res;
	bool local;   /* defined by this component (resource.new/rep allowed) */
	uint8_t rep;  /* local: the core representation type (WR_I32) */
} crestype;

typedef struct cany {
	ctkind kind;
	const ctype *val;              /* CT_VAL */
	const cfunctype *func;         /* CT_FUNC */
	const struct ccomptype *comp;  /* CT_COMPONENT */
	const struct cinsttype *inst;  /* CT_INSTANCE */
	const crestype *res;           /* CT_RESOURCE */
} cany;

/* The type of an import or export: its sort and the type for that sort.
 * sort is one of CS_CORE_MODULE, CS_FUNC, CS_VALUE, CS_TYPE, CS_COMPONENT,
 * CS_INSTANCE. */
typedef struct cextern {
	const char *name;
	uint32_t name_len;
	csort sort;
	const cmodtype *module;        /* CS_CORE_MODULE */
	const cfunctype *func;         /* CS_FUNC */
	const ctype *value;            /* CS_VALUE */
	cany type;                     /* CS_TYPE: the type (eq) or a fresh resource */
	bool fresh;                    /* CS_TYPE: declared (sub resource): a new resource */
	const struct ccomptype *comp;  /* CS_COMPONENT */
	const struct cinsttype *inst;  /* CS_INSTANCE */
} cextern;

/*
 * An instance type: its exports. defined lists the resources it abstracts
 * (exported (sub resource) of an instance type definition): every use of
 * the type as an import gives them fresh identities. The type of an actual
 * instance has ndefined 0.
 */
typedef struct cinsttype {
	uint32_t nexports;
	const cextern *exports;
	uint32_t ndefined;
	const cresource *const *defined;
	uint32_t depth;                /* nesting of instance and component types */
} cinsttype;

/*
 * A component type: imports and exports. imported are the resources its
 * imports introduce (bound by the arguments of an instantiation); defined
 * those its exports introduce (fresh at each instantiation).
 */
typedef struct ccomptype {
	uint32_t nimports, nexports;
	const cextern *imports, *exports;
	uint32_t nimported, ndefined;
	const cresource *const *imported;
	const cresource *const *defined;
	uint32_t depth;                /* nesting of instance and component types */
} ccomptype;

/* ---- the items of the index spaces ---- */

/* What validation knows of item i of a sort: its type. */
typedef struct citem {
	uint32_t def;                  /* the definition that made it (index into defs) */
	const wr_functype *core_func;  /* CS_CORE_FUNC, CS_CORE_TAG */
	ccext core;                    /* CS_CORE_TABLE, _MEMORY, _GLOBAL (and the two above) */
	ccoretype core_type;           /* CS_CORE_TYPE */
	const cmodtype *module;        /* CS_CORE_MODULE */
	const ccoreinst *core_inst;    /* CS_CORE_INSTANCE */
	const cfunctype *func;         /* CS_FUNC */
	const ctype *value;            /* CS_VALUE */
	cany type;                     /* CS_TYPE */
	const ccomptype *comp;         /* CS_COMPONENT */
	const cinsttype *inst;         /* CS_INSTANCE */
} citem;

/* ---- definitions ---- */

typedef enum cdkind {
	CD_CORE_MODULE,       /* a nested core module: module */
	CD_CORE_INSTANTIATE,  /* instantiate core module `index0` with core_args */
	CD_CORE_EXPORTS,      /* a core instance made of core_exports */
	CD_CORE_TYPE,         /* a core type (nothing to do at run time) */
	CD_COMPONENT,         /* a nested component: comp */
	CD_INSTANTIATE,       /* instantiate component `index0` with args */
	CD_EXPORTS,           /* an instance made of exports (args) */
	CD_ALIAS_EXPORT,      /* export `name` of instance `index0` */
	CD_ALIAS_CORE_EXPORT, /* export `name` of core instance `index0` */
	CD_ALIAS_OUTER,       /* item `index0` of sort `sort`, `count` components out */
	CD_TYPE,              /* a type; a resource type definition if res_def */
	CD_CANON_LIFT,        /* lift core func `index0` as func type `func` with opts */
	CD_CANON_LOWER,       /* lower func `index0` with opts */
	CD_CANON_RESOURCE_NEW,  /* resource.new of type `index0` (resource res) */
	CD_CANON_RESOURCE_DROP, /* resource.drop */
	CD_CANON_RESOURCE_REP,  /* resource.rep */
	CD_CANON_OTHER,       /* an async/thread/stream/future/error-context built-in
	                         (opcode `opcode`): valid, not supported at run time */
	CD_IMPORT,            /* import `name` of type `ext` */
	CD_EXPORT,            /* export item `index0` of sort `sort` as `name` (type `ext`) */
} cdkind;

/* An argument of a core instantiation: (with "name" (instance index)). */
typedef struct ccore_arg {
	const char *name;
	uint32_t name_len;
	uint32_t instance;
} ccore_arg;

/* A core instance export (sort is a core sort) or a component
 * instantiation argument / instance export (any sort). */
typedef struct carg {
	const char *name;
	uint32_t name_len;
	csort sort;
	uint32_t index;
} carg;

#define COPT_NONE UINT32_MAX

/* Canonical options of a lift or lower. Indices are COPT_NONE when absent. */
typedef struct copts {
	cstrenc encoding;
	uint32_t memory;       /* core memory index */
	uint32_t realloc;      /* core func index, type (i32 i32 i32 i32) -> i32 */
	uint32_t post_return;  /* core func index (lift only) */
	bool async;            /* async (validated; not run) */
	uint32_t callback;     /* core func index (async lift) */
} copts;

struct ccomp;

typedef struct cdef {
	cdkind kind;
	csort sort;          /* the index space this definition appends to */
	uint32_t index;      /* the index it gets there */
	size_t offset;       /* byte offset in the component binary */
	const char *name;    /* import, export, alias export: the name */
	uint32_t name_len;
	uint32_t index0;     /* see cdkind */
	uint32_t count;      /* CD_ALIAS_OUTER */
	uint32_t nargs;
	const ccore_arg *core_args;     /* CD_CORE_INSTANTIATE */
	const carg *args;               /* CD_CORE_EXPORTS, CD_INSTANTIATE, CD_EXPORTS */
	wr_module *module;              /* CD_CORE_MODULE (owned by the wr_component) */
	struct ccomp *comp;             /* CD_COMPONENT */
	const cfunctype *func;          /* CD_CANON_LIFT, CD_CANON_LOWER: the component type */
	const wr_functype *core_func;   /* CD_CANON_*: the core function type */
	copts opts;                     /* CD_CANON_LIFT, CD_CANON_LOWER */
	const cresource *res;           /* CD_CANON_RESOURCE_*, CD_TYPE with res_def */
	bool res_def;                   /* CD_TYPE: a (resource (rep i32) (dtor f)?) */
	uint32_t dtor;                  /* res_def: core func index or COPT_NONE */
	uint8_t opcode;                 /* CD_CANON_OTHER: the canon opcode */
	const cextern *ext;             /* CD_IMPORT, CD_EXPORT: name and type */
	citem item;                     /* the item appended, as validation typed it */
} cdef;

/* One component (the top one, or a nested component definition). */
typedef struct ccomp {
	struct ccomp *parent;          /* the enclosing component; NULL at the top */
	uint32_t ndefs;
	cdef *defs;
	uint32_t count[CS__COUNT];     /* items in each index space */
	citem *space[CS__COUNT];       /* space[s][i]: item i of sort s */
	const ccomptype *type;         /* imports and exports */
	uint32_t nimports, nexports;
	const uint32_t *imports;       /* the def index of each import, in order */
	const uint32_t *exports;       /* the def index of each export, in order */
} ccomp;

struct wr_component {
	ctype_arena *arena;            /* every struct above */
	ccomp *root;
	wr_module **modules;           /* every nested core module, freed with it */
	size_t nmodules, capmodules;
};

/* ---- resource substitution ----
 *
 * Instantiating a component maps its static resources (component.h's top
 * comment) to run-time ones. A csubst records such a map; csubst_* rebuild
 * a type with every mapped resource replaced (parts without a mapped
 * resource are shared, not copied; a csubst remembers what it rebuilt, so
 * shared parts are rebuilt once). New types live in the arena given. */

typedef struct csubst csubst;

csubst *csubst_new(void);
void csubst_free(csubst *m);
/* Map from -> to; false when out of memory. */
bool csubst_add(csubst *m, const cresource *from, const cresource *to);
/* The image of r (r itself when unmapped). */
const cresource *csubst_res(const csubst *m, const cresource *r);
/* NULL when out of memory. */
const ctype *csubst_val(ctype_arena *a, csubst *m, const ctype *t);
const cfunctype *csubst_func(ctype_arena *a, csubst *m, const cfunctype *f);
const cinsttype *csubst_inst(ctype_arena *a, csubst *m, const cinsttype *t);
const ccomptype *csubst_comp(ctype_arena *a, csubst *m, const ccomptype *t);

#endif
