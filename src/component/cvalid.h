/*
 * cvalid.h: what the component decoder and validator share (decode.c,
 * validate.c, vtypes.c, subtype.c, names.c, vcanon.c, cutil.c). Not for
 * the linker: it reads component.h only.
 */
#ifndef WRUN_COMPONENT_CVALID_H
#define WRUN_COMPONENT_CVALID_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "component.h"

/* Internal value-type kinds beyond wr_ckind: decoded and validated, not
 * runnable (the linker rejects them). Their layout is an i32 handle
 * (stream, future, error-context) or a list (map). */
#define CK_STREAM ((wr_ckind)(WR_C__COUNT + 0))
#define CK_FUTURE ((wr_ckind)(WR_C__COUNT + 1))
#define CK_MAP ((wr_ckind)(WR_C__COUNT + 2))
#define CK_ERRCTX ((wr_ckind)(WR_C__COUNT + 3))

/* Limits: nesting of components and types, items per index space. */
#define C_MAX_DEPTH 64
#define C_MAX_ITEMS 1000000u
#define C_MAX_FLAT_PARAMS 16
#define C_MAX_FLAT_RESULTS 1

/* ---- pointer maps (open addressing) ---- */

typedef struct cmap {
	const void **keys;
	const void **vals;
	uint32_t n, cap;
	ctype_arena *a;   /* storage: the arena, or malloc when NULL */
} cmap;

bool cmap_put(cmap *m, const void *k, const void *v);
/* The value of k, or NULL; *found tells absent from a NULL value. */
const void *cmap_get(const cmap *m, const void *k, bool *found);
bool cmap_has(const cmap *m, const void *k);
void cmap_free(cmap *m); /* malloc'd maps only */

/* ---- errors ---- */

typedef struct cctx {
	wr_component *c;
	ctype_arena *a;
	wr_diag *diag;
	bool failed;
	const uint8_t *base;  /* the start of the top-level binary (offsets) */
	uint32_t depth;       /* nesting of components and type declarators */
	uint32_t nres;        /* resources made so far (their names) */
	cmap eq_memo;         /* value types proven equal: a -> b (malloc) */
	cmap ptr_memo;        /* value types known to hold pointers or not (malloc) */
	cmap size_memo;       /* elem_size with 64-bit pointers (vtypes.c; malloc) */
	cmap name_index;      /* export arrays -> their names' index (cx_find; malloc) */
} cctx;

/* Record the first error (message and offset); returns false. */
bool cfail(cctx *x, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Put context before the recorded message ("ctx: message"); returns false. */
bool cwrap(cctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Out of memory: a failure with that message. */
bool coom(cctx *x, size_t off);

/* ---- the reader ---- */

typedef struct crd {
	const uint8_t *p, *end;
	cctx *x;
} crd;

size_t crd_off(const crd *r);
bool crd_byte(crd *r, uint8_t *b);
bool crd_u32(crd *r, uint32_t *v);
bool crd_s33(crd *r, int64_t *v);
bool crd_bytes(crd *r, size_t n, const uint8_t **p);
/* A name: u32 length, then valid UTF-8. Copied into the arena, NUL-terminated. */
bool crd_name(crd *r, const char **s, uint32_t *len);
/* A vector count: fails (unexpected end) when more items than bytes left. */
bool crd_count(crd *r, uint32_t *n);
/* A 0/1 byte. */
bool crd_bool(crd *r, bool *v);
bool crd_eof(crd *r);
bool crd_bad_byte(crd *r, size_t at, uint8_t b, const char *what);

/* ---- growable arrays in the arena ---- */

typedef struct avec {
	void *p;
	uint32_t n, cap;
} avec;

/* A zeroed new last element (size elsize); NULL when out of memory. */
void *avec_push(ctype_arena *a, avec *v, size_t elsize);
#define AVEC_AT(v, T, i) (((T *)(v).p)[i])

/* ---- string sets (open addressing), for duplicate checks and lookups ---- */

typedef struct cstrent {
	const char *s;
	uint32_t len, idx;
	uint32_t hash;
} cstrent;

typedef struct cstrset {
	cstrent *e;
	uint32_t n, cap;
	bool fold;        /* compare ASCII letters case-insensitively */
	ctype_arena *a;   /* storage: the arena, or malloc when NULL */
} cstrset;

/* Add s (len bytes) with a number idx. Returns the idx of an equal string
 * already present (s is not added then), UINT32_MAX after adding it, or
 * UINT32_MAX - 1 when out of memory. */
uint32_t cstrset_add(cstrset *set, const char *s, uint32_t len, uint32_t idx);
/* The idx of s, or UINT32_MAX. */
uint32_t cstrset_find(const cstrset *set, const char *s, uint32_t len);
void cstrset_free(cstrset *set); /* malloc'd sets only */
#define CSTR_ADDED UINT32_MAX
#define CSTR_OOM (UINT32_MAX - 1)

/* Find name among the externs v[0..n) (or the core exports ce[0..n)):
 * long arrays get an index, built once. */
const cextern *cx_find(cctx *x, const cextern *v, uint32_t n, const char *name, uint32_t len);
const ccore_export *cx_find_core(cctx *x, const ccore_export *v, uint32_t n, const char *name,
                                 uint32_t len);

/* ---- scopes: a component, a component type or an instance type ---- */

typedef enum sckind { SC_COMPONENT, SC_COMPTYPE, SC_INSTTYPE } sckind;

/* One set of names (imports or exports of a scope), strongly unique. */
typedef struct cnames {
	cstrset canon;  /* canonical forms -> index into raw */
	avec raw;       /* const char *: the names as written */
} cnames;

/* A resource naming context: which resource names (crestype) are known
 * under which top-level name, for [constructor] [method] [static]. */
typedef struct crctx {
	cmap names;   /* crestype * -> const char * */
	avec all;     /* const char *: every resource name */
} crctx;

typedef struct cscope {
	sckind kind;
	struct cscope *outer;
	ccomp *comp;                /* SC_COMPONENT */
	avec items[CS__COUNT];      /* citem */
	avec defs;                  /* cdef (SC_COMPONENT) */
	avec imports, exports;      /* cextern */
	avec import_defs, export_defs; /* uint32_t (SC_COMPONENT) */
	cnames import_names, export_names;
	avec imported_res, defined_res; /* const cresource * */
	cmap imported_types, exported_types; /* sets of ctype * and crestype * */
	cmap local_res;             /* resources this component defines (with a rep) */
	crctx rimp, rexp;
} cscope;

/* An import or export declaration or definition being checked. */
typedef struct cname_attr {
	const char *name;
	uint32_t len;
	const char *implements;     /* NULL if absent */
	uint32_t implements_len;
	bool has_version_suffix, has_external_id;
} cname_attr;

typedef enum cext_dir { CX_IMPORT, CX_EXPORT } cext_dir;

/* ---- validate.c ---- */

void scope_init(cscope *s, sckind kind, cscope *outer, ccomp *comp, cctx *x);
citem *scope_item(cctx *x, cscope *s, csort sort, uint32_t idx, size_t off);
/* Append a copy of *it to a sort's index space (limit checked). In a
 * component, also a definition of kind (*dp: fill it before the next push;
 * NULL outside components). */
bool scope_push_item(cctx *x, cscope *s, csort sort, const citem *it, cdkind kind, size_t off,
                     cdef **dp);
bool scope_add_import(cctx *x, cscope *s, const cname_attr *na, cextern *e, size_t off);
bool scope_add_export(cctx *x, cscope *s, const cname_attr *na, cextern *e, size_t off);
/* Fill e (sort and type) from item idx of sort. */
bool scope_entity(cctx *x, cscope *s, csort sort, uint32_t idx, cextern *e, size_t off);
const ccomptype *scope_comptype(cctx *x, cscope *s);
const cinsttype *scope_insttype(cctx *x, cscope *s);
bool scope_alias_outer(cctx *x, cscope *s, csort sort, uint32_t count, uint32_t idx, size_t off,
                       citem *out);
const cresource *cres_new(cctx *x, const char *name);

/* ---- vdefs.c: definitions ---- */

bool v_core_instantiate(cctx *x, cscope *s, uint32_t module, const ccore_arg *args, uint32_t n,
                        size_t off);
bool v_core_exports(cctx *x, cscope *s, const carg *args, uint32_t n, size_t off);
bool v_instantiate(cctx *x, cscope *s, uint32_t comp, const carg *args, uint32_t n, size_t off);
bool v_exports(cctx *x, cscope *s, const carg *args, const cname_attr *attrs, uint32_t n,
               size_t off);
bool v_alias_outer(cctx *x, cscope *s, csort sort, uint32_t count, uint32_t idx, size_t off);
bool v_alias_export(cctx *x, cscope *s, csort sort, uint32_t inst, const char *name,
                    uint32_t len, size_t off);
bool v_alias_core_export(cctx *x, cscope *s, csort sort, uint32_t inst, const char *name,
                         uint32_t len, size_t off);
/* An extern type: kind byte b (0x00 core module, 0x01 func, 0x04 component,
 * 0x05 instance) naming type idx; or a type bound (read from r). */
bool v_externtype(cctx *x, cscope *s, uint8_t b, uint32_t idx, cextern *e, size_t off);
bool v_type_bound(cctx *x, crd *r, cscope *s, cextern *e, size_t off);
bool v_export(cctx *x, cscope *s, const cname_attr *na, csort sort, uint32_t idx,
              const cextern *ascribed, size_t off);

/* ---- vtypes.c: type constructors ---- */

const ctype *vt_valtype(cctx *x, cscope *s, int64_t code, size_t off);
bool vt_is_prim_code(int64_t code);
const ctype *vt_errctx(void);
const ctype *vt_copy(cctx *x, const ctype *t);
const crestype *vt_res_copy(cctx *x, const crestype *r);
bool vt_label(cctx *x, const char *what, const char *name, uint32_t len, size_t off);
bool vt_finish(cctx *x, ctype *t, size_t off);
const wr_functype *vt_core_functype(cctx *x, const uint8_t *params, uint32_t np,
                                    const uint8_t *results, uint32_t nr);
bool vt_core_func_equal(const wr_functype *a, const wr_functype *b);
void vt_core_func_desc(const wr_functype *f, char *buf, size_t size);
const char *vt_core_valtype_name(uint8_t t);
const cmodtype *vt_module_type(cctx *x, const wr_module *m, size_t off);

/* ---- subtype.c ---- */

bool sub_entity(cctx *x, const cextern *actual, const cextern *expected, size_t off);
bool sub_val(cctx *x, const ctype *a, const ctype *b, size_t off);
bool sub_func(cctx *x, const cfunctype *a, const cfunctype *b, size_t off);
bool sub_core_ext(cctx *x, const ccext *a, const ccext *b, size_t off);
bool sub_module(cctx *x, const cmodtype *a, const cmodtype *b, size_t off);
/* Check args (by name) against the expected entities exp (a component
 * type's imports or exports). First the resources res of exp are bound to
 * the arguments' (by their path through exp), into resmap; then each
 * expected entity, with resmap applied, must be a supertype of its
 * argument; the type declarations it satisfies are added to renames
 * (expected -> argument). */
bool sub_open(cctx *x, const cextern *args, uint32_t nargs, const cextern *exp, uint32_t nexp,
              const cresource *const *res, uint32_t nres, cext_dir dir, cmap *resmap,
              cmap *renames, size_t off);
/* Substitution: in maps resources (cresource), and renamed types (ctype,
 * crestype) to their replacements; memo records what was rebuilt. Parts
 * that do not change are shared. */
const ctype *subst_val(cctx *x, const cmap *in, cmap *memo, const ctype *t);
const cfunctype *subst_func(cctx *x, const cmap *in, cmap *memo, const cfunctype *f);
const cinsttype *subst_inst(cctx *x, const cmap *in, cmap *memo, const cinsttype *t);
const ccomptype *subst_comp(cctx *x, const cmap *in, cmap *memo, const ccomptype *t);
bool subst_extern(cctx *x, const cmap *in, cmap *memo, const cextern *e, cextern *out);
/* Add the resources t mentions that are not bound in it to set (free vars). */
bool free_res_extern(cctx *x, const cextern *e, cmap *set);
bool free_res_any(cctx *x, const cany *t, cmap *set);
/* Named-type rules for an import or export (external visibility). */
bool named_entity(cctx *x, cscope *s, cext_dir dir, const cextern *e, bool top);

/* ---- names.c ---- */

/* Kinds of plain names. */
typedef enum cplain { CP_LABEL, CP_CONSTRUCTOR, CP_METHOD, CP_STATIC, CP_INTERFACE } cplain;

typedef struct cparsed {
	cplain kind;
	const char *res;     /* [constructor]/[method]/[static]: the resource label */
	uint32_t res_len;
} cparsed;

bool name_kebab(const char *s, uint32_t len);
/* Parse an extern name; on error a message in msg. */
bool name_parse(const char *s, uint32_t len, cparsed *out, char *msg, size_t msize);
bool names_add(cctx *x, cnames *set, cext_dir dir, const char *name, uint32_t len, size_t off);
bool name_check_extern(cctx *x, cscope *s, crctx *rc, cext_dir dir, const cname_attr *na,
                       const cextern *e, size_t off);

/* ---- vcanon.c ---- */

bool vc_contains_ptr(cctx *x, const ctype *t);
bool dec_canon(cctx *x, crd *r, cscope *s);

/* ---- decode.c ---- */

bool dec_component(cctx *x, const uint8_t *p, size_t len, cscope *outer, ccomp **out);
bool dec_core_type(cctx *x, crd *r, cscope *s);
bool dec_type(cctx *x, crd *r, cscope *s);
bool dec_alias(cctx *x, crd *r, cscope *s);
bool dec_externtype(cctx *x, crd *r, cscope *s, cextern *e);
bool dec_name_attr(cctx *x, crd *r, cname_attr *na);

#endif
