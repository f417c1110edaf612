/*
 * ctype.h: the component model's value types, function types and resource
 * types, shared by the decoder/validator (which builds them), the canonical
 * ABI (which lifts and lowers values of them) and WAVE (which reads and
 * prints values of them).
 *
 * Types are immutable once built and owned by a ctype_arena (one per loaded
 * component, one per host linker); pointers into an arena stay valid until
 * the arena is freed. Primitive types are static singletons (ctype_prim).
 */
#ifndef WRUN_COMPONENT_CTYPE_H
#define WRUN_COMPONENT_CTYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wrun.h"

/* Field of a record, case of a variant, label of an enum or flags, named
 * parameter of a function. type is NULL for an enum/flags label and for a
 * variant case without payload. */
typedef struct cfield {
	const char *name;
	const struct ctype *type;
} cfield;

struct cresource;

typedef struct ctype {
	wr_ckind kind;
	uint32_t n;               /* record fields, variant cases, enum/flags labels, tuple elements */
	const cfield *f;          /* n entries (tuple: names NULL) */
	const struct ctype *elem; /* list element; option payload; result ok (NULL: none) */
	const struct ctype *err;  /* result error (NULL: none) */
	uint32_t fixed_len;       /* list<T, N>: N; 0 for a variable-length list */
	const struct cresource *res; /* own, borrow: the resource type */
	/* Canonical ABI layout, computed by ctype_finish: */
	uint32_t size;            /* elem_size */
	uint32_t align;           /* alignment */
	uint32_t nflat;           /* number of flattened core values */
	bool has_borrow;          /* transitively contains a borrow */
	bool has_res;             /* transitively contains an own or a borrow */
	uint32_t depth;           /* nesting: 0 for primitives, 1 + the deepest part */
	/* Validation only (component.h): for own and borrow, the name of the
	 * resource the type was written with (a crestype), so that export
	 * rules can tell two names of one resource apart. NULL elsewhere. */
	const void *named;
} ctype;

/*
 * A resource type. Resource types are generative: each definition (canon
 * resource type in a component instance, or a host resource) is a distinct
 * cresource, compared by pointer. dtor is the core destructor (NULL if none)
 * for a component-defined resource; host_dtor is called for a host resource.
 */
typedef struct cresource {
	const char *name;         /* for messages */
	struct cinstance *owner;  /* the component instance that defined it; NULL: host */
	wr_func *dtor;
	const char *(*host_dtor)(uint32_t rep, void *user);	/* NULL, or why it refuses */
	void *user;
} cresource;

/* A component function type: named parameters, and zero or one result. */
typedef struct cfunctype {
	uint32_t nparams;
	const cfield *params;
	const ctype *result;      /* NULL: no result */
	bool async;               /* (func async ...): validated, not run */
} cfunctype;

/* The string-encoding canonical option (component.h's copts, canon.h's
 * canonopts). */
typedef enum cstrenc { CENC_UTF8, CENC_UTF16, CENC_LATIN1_UTF16 } cstrenc;

/* The static type of each primitive kind (WR_C_BOOL .. WR_C_STRING). */
const ctype *ctype_prim(wr_ckind kind);

/* ---- arenas: where built types live ---- */

typedef struct ctype_arena ctype_arena;
ctype_arena *ctype_arena_new(void);
void ctype_arena_free(ctype_arena *a);
/* Zeroed memory that lives as long as the arena; NULL when out of memory. */
void *ctype_alloc(ctype_arena *a, size_t bytes);
char *ctype_strdup(ctype_arena *a, const char *s, size_t len);

/* Fill size, align, nflat and has_borrow of t from its parts (which must be
 * finished already). Returns false if elem_size reaches 2^28, which
 * validation rejects. */
bool ctype_finish(ctype *t);

/* Structural equality of two value types (resources compared by identity). */
bool ctype_equal(const ctype *a, const ctype *b);

#endif
