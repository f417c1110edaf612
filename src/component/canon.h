/*
 * canon.h: the synchronous canonical ABI (CanonicalABI.md), for 32-bit
 * memories: loading and storing component values in linear memory, lifting
 * and lowering them from and to core values, strings in the three
 * encodings, per-instance handle tables, the instance flags (may_enter,
 * may_leave), calls of lifted and host component functions, and the core
 * functions made by `canon lower` and `canon resource.{new,drop,rep}`.
 *
 * Values cross as wr_cval (include/wrun.h): what `canon lift` produces is
 * what `canon lower` consumes, so a component-to-component call lifts the
 * caller's arguments into wr_cval and lowers them into the callee.
 *
 * Everything read from linear memory is hostile: every pointer and length
 * is checked against the memory's current size without wrapping, and no
 * pointer into memory is kept across a call into guest code (realloc may
 * grow the memory). Failures are traps: the functions below return WR_OK or
 * a trap kind with *trap filled; canonical ABI checks trap with kind
 * WR_TRAP_HOST and the wording of the reference tests
 * (shared/component-model/test), a trap inside guest code keeps its kind.
 *
 * Lifetimes: a struct cinstance must outlive every call of the core
 * functions canon_lower and canon_resource_* made for it (they point to it);
 * free it after the wr_store that holds them, or once nothing calls them.
 *
 * Wiring a component instance (what instantiation does with this API):
 *   cinstance_new(parent)              one per component instance
 *   cresource { name, owner, dtor }    one per `(type (resource ...))` it defines
 *   struct cfunc { type, core, opts }  per `canon lift`; host imports as
 *                                      struct cfunc { type, .host, .user }
 *   canon_lower(store, &callee, &opts) per `canon lower`: a core import
 *   canon_resource_new/drop/rep        per resource built-in: core imports
 *   cfunc_call(f, NULL, args, ...)     the host calling an export
 * The core types to check `canon lift`/`canon lower` against come from
 * canon_flatten_functype.
 */
#ifndef WRUN_COMPONENT_CANON_H
#define WRUN_COMPONENT_CANON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctype.h"
#include "wrun.h"

#define CANON_MAX_FLAT_PARAMS 16
#define CANON_MAX_FLAT_RESULTS 1
#define CANON_MAX_STRING_BYTES ((1u << 28) - 1) /* MAX_STRING_BYTE_LENGTH */
#define CANON_MAX_LIST_BYTES ((1u << 28) - 1)   /* MAX_LIST_BYTE_LENGTH */
/* The host memory one call's lifted values may take (wr_cval cells and
 * string bytes). A list's bytes in guest memory are capped above, but a
 * lifted element takes sizeof(wr_cval) = 24 bytes whatever its size, and
 * lists and strings may all point at the same guest bytes, so without a
 * cap of its own a small guest could make the host allocate without
 * bound. */
#define CANON_MAX_LIFT_BYTES (512ull << 20)
#define CANON_MAX_HANDLES ((1u << 28) - 1)      /* Table.MAX_LENGTH */
#define CANON_UTF16_TAG 0x80000000u             /* latin1+utf16: the length's UTF-16 bit */

/* The string-encoding canonopt. */
/* (enum cstrenc is ctype.h's; these are its values under canon's names.) */
#define CSTR_UTF8 CENC_UTF8
#define CSTR_UTF16 CENC_UTF16
#define CSTR_LATIN1_UTF16 CENC_LATIN1_UTF16

/*
 * A string wr_cval is UTF-8 whatever it was lifted from; its tag records
 * the encoding it was lifted from (0, UTF-8, for strings the host makes).
 * This is the spec's hint (encoding and code units) that store_string uses
 * to choose its allocation sizes, so the realloc calls a string's lowering
 * makes are the spec's. It never changes the string's content.
 */
enum cstrhint {
	CSTR_HINT_UTF8 = 0,
	CSTR_HINT_UTF16 = 1,
	CSTR_HINT_LATIN1 = 2,        /* latin1+utf16, in its Latin-1 form */
	CSTR_HINT_LATIN1_UTF16 = 3,  /* latin1+utf16, in its UTF-16 form */
};

/* ---- component instances: handle table and flags ---- */

struct chandle;
struct cclosure;

/*
 * The canonical ABI state of one component instance (the spec's
 * ComponentInstance): its handle table, may_enter and may_leave. A resource
 * type's cresource.owner points to the instance that defined it. parent is
 * the instance that instantiated this one (NULL: the host did): entering an
 * instance enters its ancestors too, except those the caller is already in.
 * A trap leaves the instances it unwound through unenterable ("cannot enter
 * component instance"), as a trap ends the store in the spec.
 */
struct cinstance {
	struct cinstance *parent;
	bool may_enter, may_leave;
	struct chandle *handles;     /* [0] is never used: index 0 is never valid */
	uint32_t nhandles, cap;      /* entries in use (counting [0]), allocated */
	uint32_t free_head;          /* first free index, 0: none */
	struct cclosure *closures;   /* what canon_lower/canon_resource_* allocated */
};

struct cinstance *cinstance_new(struct cinstance *parent);
void cinstance_free(struct cinstance *inst);
/* Live handles in inst's table (for tests and leak checks). */
uint32_t cinstance_live_handles(const struct cinstance *inst);

/* ---- options and calls ---- */

/* The canonopts of a `canon lift` or `canon lower`; inst is the instance it
 * is defined in. memory and realloc may be NULL when the type needs none. */
struct canonopts {
	wr_memory *memory;
	wr_func *realloc;          /* (i32 old_ptr, i32 old_size, i32 align, i32 new_size) -> i32 */
	wr_func *post_return;      /* lift only; takes the core results */
	enum cstrenc string_encoding;
	struct cinstance *inst;
};

/*
 * A host component function: receives the lifted arguments (borrowed for
 * the call) and fills *result (zeroed on entry; ownership passes to the
 * ABI) when the type has one. Returns WR_OK, or a trap kind with
 * trap->message set.
 */
typedef wr_trapkind (*cfunc_host_fn)(void *user, const wr_cval *args, size_t nargs,
                                     wr_cval *result, wr_trap *trap);

/* A component-level function: lifted (core != NULL: the core function, its
 * options, opts.inst the instance it runs in) or host (host, user). */
struct cfunc {
	const cfunctype *type;
	wr_func *core;
	struct canonopts opts;
	cfunc_host_fn host;
	void *user;
};

/*
 * The caller's side of one call (the spec's OnStart and OnResolve): the
 * callee asks for its arguments after the reentrance checks, and hands
 * over its result before post-return runs.
 *   start:   set *args to type->nparams values that stay valid until the
 *            call returns.
 *   resolve: take the result (NULL when the type has none); it owns it.
 */
struct ccall {
	wr_trapkind (*start)(struct ccall *c, const wr_cval **args, wr_trap *trap);
	wr_trapkind (*resolve)(struct ccall *c, wr_cval *result, wr_trap *trap);
};

/* Call f from caller (NULL: the host). For a lifted function: the
 * may_enter checks, lowering the arguments into f's instance, the core call,
 * lifting the result, the borrow check, resolve, post-return. */
wr_trapkind cfunc_invoke(const struct cfunc *f, struct cinstance *caller, struct ccall *c,
                         wr_trap *trap);

/* cfunc_invoke with arguments from an array (nargs must be the type's) and
 * the result into *result (NULL: dropped; its handles are then lost). */
wr_trapkind cfunc_call(const struct cfunc *f, struct cinstance *caller, const wr_cval *args,
                       size_t nargs, wr_cval *result, wr_trap *trap);

/*
 * `canon lower`: a core host function, of type
 * canon_flatten_functype(callee->type, lower), that lifts its core arguments
 * from opts (memory, string encoding; opts->inst the calling instance),
 * calls callee (opts->inst as caller) and lowers the result (through the
 * return pointer when it does not fit in one core value, with opts->realloc
 * for strings and lists). callee and opts are copied; callee->type must
 * outlive the function. NULL when out of memory.
 */
wr_func *canon_lower(wr_store *s, const struct cfunc *callee, const struct canonopts *opts);

/* `canon resource.new`, `.drop`, `.rep` of rt in inst: (i32 rep) -> i32,
 * (i32 index) -> (), (i32 index) -> i32. The drop calls rt's destructor for
 * an own handle: rt->dtor (a core function, entering rt->owner) or
 * rt->host_dtor(rep, rt->user) (a trap with its message when it refuses:
 * a host resource that still has children). NULL when out of memory. */
wr_func *canon_resource_new(wr_store *s, const cresource *rt, struct cinstance *inst);
wr_func *canon_resource_drop(wr_store *s, const cresource *rt, struct cinstance *inst);
wr_func *canon_resource_rep(wr_store *s, const cresource *rt, struct cinstance *inst);

/* ---- flattening ---- */

/* A flattened core signature (flatten_functype). */
struct cflatsig {
	uint32_t nparams, nresults;
	uint8_t params[CANON_MAX_FLAT_PARAMS + 1]; /* wr_valtype values */
	uint8_t results[CANON_MAX_FLAT_RESULTS];
};

/* flatten_functype for a sync lift (lower false) or lower (lower true). */
void canon_flatten_functype(const cfunctype *ft, bool lower, struct cflatsig *out);
/* flatten_type: t's t->nflat core types into out (cap entries); returns
 * t->nflat, and writes nothing when that is over cap or CANON_FLAT_MAX
 * (flattening only matters up to MAX_FLAT_PARAMS values). */
#define CANON_FLAT_MAX 32
uint32_t canon_flatten_type(const ctype *t, uint8_t *out, uint32_t cap);
/* The flat core types of a list of types (function parameters), or
 * UINT32_MAX if over cap. */
uint32_t canon_flatten_fields(const cfield *f, uint32_t n, uint8_t *out, uint32_t cap);

/* ---- lifting and lowering values (the building blocks) ---- */

/* A task: a call into a lifted function, the scope of the borrow handles
 * lowered into it (trap at return if any is left). */
struct ctask {
	struct cinstance *inst;
	uint32_t num_borrows;
};

/* A subtask: a call made by `canon lower`, recording the caller's handles
 * lent as borrows (num_lends is decremented when the call returns). */
struct csubtask {
	uint32_t *lenders;   /* handle indices in the caller's instance */
	uint32_t n, cap;
};
void csubtask_deliver(struct csubtask *st, struct cinstance *inst);

/* The context of lifting and lowering (the spec's LiftLowerContext): the
 * options, the instance whose table handles go to and come from, the task
 * (lowering borrows) or subtask (lifting borrows), and where traps go. */
struct ccx {
	const struct canonopts *opts;
	struct cinstance *inst;
	struct ctask *task;
	struct csubtask *sub;
	wr_trap *trap;
	uint64_t lifted; /* host bytes given to lifted values so far (clift_charge) */
};

/* Core values: raw bits zero-extended to 64 (an i32 or f32 in the low 32
 * bits), as in host function slots. Lifting reads at i, lowering writes at
 * i (n: the values there, or the room). The join coercions of variants need
 * only the type read: an i64 slot read as i32 or f32 wraps, everything else
 * keeps its bits; so type (the values' core types) is for the reader only. */
struct cflat {
	uint64_t *val;
	const uint8_t *type;
	uint32_t n, i;
};

/* load / store of one value at ptr (aligned and in bounds: checked). */
wr_trapkind canon_load(struct ccx *cx, uint32_t ptr, const ctype *t, wr_cval *out);
wr_trapkind canon_store(struct ccx *cx, const wr_cval *v, const ctype *t, uint32_t ptr);
/* lift_flat / lower_flat of one value (lowering: fl->n is the capacity). */
wr_trapkind canon_lift_flat(struct ccx *cx, struct cflat *fl, const ctype *t, wr_cval *out);
wr_trapkind canon_lower_flat(struct ccx *cx, const wr_cval *v, const ctype *t, struct cflat *fl);
/* lift_flat_values / lower_flat_values: values of the n types of f, flat
 * when they fit in max_flat core values, else through a pointer (lifting:
 * read from fl; lowering: allocated with realloc, or, when out_param is
 * not NULL, the pointer read from out_param). out[] gets n values. */
wr_trapkind canon_lift_values(struct ccx *cx, uint32_t max_flat, struct cflat *fl,
                              const cfield *f, uint32_t n, wr_cval *out);
wr_trapkind canon_lower_values(struct ccx *cx, uint32_t max_flat, const wr_cval *v,
                               const cfield *f, uint32_t n, struct cflat *fl,
                               struct cflat *out_param);

/* ---- strings ---- */

/* load_string_from_range: the string at ptr of tagged_units code units
 * (opts->string_encoding) into out (a UTF-8 wr_cval with its hint). */
wr_trapkind canon_load_string(struct ccx *cx, uint32_t ptr, uint32_t tagged_units, wr_cval *out);
/* store_string_into_range: v into memory allocated with realloc; returns
 * the pointer and the (tagged) code units. */
wr_trapkind canon_store_string(struct ccx *cx, const wr_cval *v, uint32_t *ptr,
                               uint32_t *tagged_units);

/* ---- values ---- */

/* Deep copy of src into dst; false when out of memory (dst then holds
 * nothing to free). */
bool cval_copy(wr_cval *dst, const wr_cval *src);
/* Structural equality; floats by bits, every NaN equal to every NaN;
 * strings by content (not their hint). */
bool cval_equal(const wr_cval *a, const wr_cval *b);

#endif
