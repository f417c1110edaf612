/*
 * runtime.h: the objects that exist at run time (store, instances, function
 * instances, memories, tables, globals) and the interface between the
 * interpreter (interp.c, compile.c) and the rest of the engine.
 *
 * Values live in 8-byte slots: i32 and f32 in the low 32 bits, i64, f64 and
 * references in all 64, v128 in two consecutive slots. A funcref is a
 * wr_func pointer, an externref the host's uintptr_t, an exnref a handle
 * into the store's table of exceptions (exn.c); 0 is null for all.
 *
 * The types of run-time objects (a function's, a table's element type, a
 * global's) are in the store's terms: a type index in a mod_vt is the
 * store's canonical index of that type (s->types), which is what makes
 * objects of different modules comparable.
 */
#ifndef WRUN_RUNTIME_H
#define WRUN_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "module.h"
#include "wrun.h"

/* A function instance: defined in a module instance, or a host function. */
struct wr_func {
	const mod_functype *type;   /* for host functions, a copy owned by the store */
	wr_instance *inst;          /* owning instance; NULL for host functions */
	const struct vm_code *code; /* compiled body (wasm functions) */
	wr_host_fn host;            /* host functions */
	void *user;
	const char *name;           /* export or debug name, for trap messages; may be NULL */
	uint32_t index;             /* index in its module's function space */
	uint32_t canon;             /* its type's canonical index in the store */
	const wr_store *store;      /* the store it belongs to */
};

/* Linear memory. A 32-bit memory's base points at a reservation of
 * MEM_RESERVE bytes: the first `size` bytes are accessible, the rest
 * faults, so a 32-bit address plus a 32-bit offset always lands inside the
 * reservation, and memory 0 needs no bounds check (any memory may be some
 * instance's memory 0, so each has the reservation). A 64-bit memory
 * reserves its effective maximum and every access to it is checked
 * explicitly: no guard can cover a 64-bit address. base never moves, so
 * compiled code may keep it in a register across calls. */
#define MEM_PAGE 65536u
#define MEM_RESERVE (8ull << 30)
/* The most a 64-bit memory may grow to when neither its declaration nor
 * the store's limit says less (and so the address space it reserves). */
#define MEM64_MAX_DEFAULT WR_MEMORY64_MAX_DEFAULT
/* Beyond the reservation, one more page of address space stays reserved
 * and inaccessible: the widest access (16 bytes) at the largest address
 * plus offset ends up to 15 bytes past MEM_RESERVE, and those bytes must
 * never belong to another mapping, whatever order the access is split in. */
#define MEM_TAIL 65536ull

struct wr_memory {
	uint8_t *base;
	uint64_t size;      /* bytes accessible */
	uint64_t max_pages; /* effective maximum: declared max, else 65536 (64-bit: see
	                       store_memory_max) */
	uint64_t reserved;  /* bytes of address space at base */
	wr_limits decl;     /* declared limits, as reported to embedders; decl.addr64 */
	int fd;             /* memfd backing, or -1 for anonymous memory */
	/* With a memfd: make the file hold `bytes` bytes. NULL means ftruncate
	 * here; the jailed child instead asks the broker, which enforces the
	 * memory limit (the child may not call ftruncate). */
	bool (*resize)(wr_memory *m, uint64_t bytes, void *user);
	void *resize_user;
};


struct wr_table {
	uint64_t *elems;    /* wr_func* or externref values; 0 is null */
	uint32_t size, cap;
	uint64_t max;       /* effective maximum */
	wr_tabletype type;
	mod_vt vt;          /* the element type (type.elem is its kind) */
	const wr_store *store;
};

struct wr_global {
	uint64_t val[2];    /* v128 uses both */
	uint8_t type;       /* kind */
	bool mut;
	mod_vt vt;
	const wr_store *store;
};

/* A tag: its identity is the object's address. */
struct wr_tag {
	const mod_functype *type;   /* the payload: params, no results */
	mod_functype own;           /* a host tag's type, which `type` points at */
	uint32_t canon;             /* its type's canonical index in the store */
	const wr_store *store;
	const wr_instance *inst;    /* a module's tag: the instance that made it (its
	                               types are that module's); NULL for a host tag */
};

struct wr_instance {
	wr_store *store;
	const wr_module *mod;
	wr_func **funcs;
	wr_table **tables;
	wr_memory **mems;
	wr_global **globals;
	wr_tag **tags;
	/* Element segments evaluated at instantiation (refs), and their live
	 * lengths: elem.drop and data.drop set the length to 0. */
	uint64_t **elem_refs;
	uint32_t *elem_len;
	uint32_t *data_len;
	wr_func *defined;           /* storage for the module's own functions */
	uint32_t *type_ids;         /* per type of the module, its canonical index in the store */
	struct wr_instance *next;   /* store's list */
};

/* Context handed to a host function. */
struct wr_hostcall {
	wr_instance *caller; /* may be NULL when called from wr_call directly */
	wr_trap *trap;       /* where wr_hostcall_trap/exit record details */
	wr_store *store;     /* the store the call runs in */
};

/* The interpreter's per-store state (value stack, call stack), see interp.c. */
struct vm_stack;
struct vm_ctx;

/* An owned object, freed with the store. */
typedef struct store_obj {
	struct store_obj *next;
	void (*free)(void *obj);
	void *obj;
} store_obj;

struct wr_store {
	wr_instance *instances;
	store_obj *objs;
	struct vm_stack *stack; /* created on first call */
	uint64_t fuel;          /* remaining budget when fuel_on */
	bool fuel_on;
	uint32_t max_depth;     /* call depth limit */
	uint64_t max_pages;     /* memory limit in pages per memory, when limit_pages */
	bool limit_pages;
	wr_memory_provider provider; /* backing of defined memories; open NULL: private */
	ty_registry *types;     /* canonical types of every module and host function */
	struct exn_table *exns; /* exceptions (exn.c), created on first throw */
	uint64_t exn_pending;   /* the uncaught exception that ended the last call, or 0 */
	struct gc_heap *gc;     /* GC objects (gc.c), created on first allocation */
	/* gc_slots once the heap exists: the exception collector (exn.c) reads
	 * the GC objects' slots through it, so that exn.c does not call gc.c,
	 * which calls exn.c (exn_payloads): the engine's objects stay acyclic. */
	void (*gc_slots)(wr_store *s, void (*fn)(void *u, const uint64_t *p, size_t n), void *u);
	/* vm_stack_roots once the store has a value stack, for the same
	 * reason: gc.c reads the frames through it without calling interp.c,
	 * which calls gc.c. */
	uint64_t (*stack_roots)(const wr_store *s, void (*mark)(void *u, const uint64_t *p, size_t n),
	                        void *u);
	/* The innermost vm_call in progress (interp.c), whose chain of outer
	 * ones the collector walks for frame roots (vm_stack_roots). */
	struct vm_ctx *ctx;
	unsigned gc_hold;       /* > 0: allocations do not collect (instantiation) */
};

/* ---- gc.c: the any hierarchy's references ---- */

/* A heap object: its type (a canonical struct or array type, or one of the
 * boxes below), a length (an array's elements) and the payload. */
typedef struct gc_obj {
	struct gc_obj *next;
	uint32_t type;
	uint32_t len;
	uint64_t val[];
} gc_obj;
#define GC_HOSTBOX (UINT32_MAX - 1) /* a host externref as an anyref */
#define GC_ANYBOX (UINT32_MAX - 2)  /* an anyref as an externref */

/* A new object of type x of inst's module, payload bytes (zeroed), or
 * NULL when the heap is full or memory runs out. It may collect first
 * (unless s->gc_hold): every object must then be reachable from a root
 * (gc.c). */
gc_obj *gc_alloc(const wr_instance *inst, uint32_t x, uint32_t len, size_t payload);
void gc_free_all(wr_store *s);
/* Collect now. */
void gc_collect(wr_store *s);
/* Keep the object v names (if any) for the store's lifetime: handed to
 * the embedder. */
void gc_pin(wr_store *s, uint64_t v);
/* Globals and tables whose kind may hold an object are roots: store.c
 * registers each as it makes it; false if out of memory. */
bool gc_track_global(wr_store *s, wr_global *g);
bool gc_track_table(wr_store *s, wr_table *t);
void gc_stats(const wr_store *s, wr_gc_stats *out);
/* Call fn with every object's payload slots (exn.c: the exnrefs objects
 * hold are roots of the exception collector). */
void gc_slots(wr_store *s, void (*fn)(void *u, const uint64_t *p, size_t n), void *u);
/* any.convert_extern and extern.convert_any; false when out of memory. */
bool gc_extern_to_any(wr_store *s, uint64_t e, uint64_t *out);
bool gc_any_to_extern(wr_store *s, uint64_t a, uint64_t *out);
/* Is v, an anyref from the embedder, a value of type t (the store's
 * terms): null, an i31, or an object of store s of that type? */
bool gc_ref_ok(const wr_store *s, mod_vt t, uint64_t v);
/* Is reference v (of t's hierarchy) of type t, a module type of inst? */
bool gc_ref_test(const wr_instance *inst, uint64_t v, mod_vt t);
/* The struct and array instructions (their operands: vm_ops.h), called
 * by the interpreter: 0, or the trap (GC_E_*). */
enum { GC_E_NULL_STRUCT = 1, GC_E_NULL_ARRAY, GC_E_ARRAY_OOB, GC_E_MEM_OOB, GC_E_TABLE_OOB,
       GC_E_OOM };
union vm_cell;
union vm_slot;
int gc_struct_new(wr_instance *inst, const union vm_cell *ip, union vm_slot *fp, bool dflt);
int gc_struct_get(wr_instance *inst, const union vm_cell *ip, union vm_slot *fp);
int gc_struct_set(wr_instance *inst, const union vm_cell *ip, union vm_slot *fp);
int gc_array_new(wr_instance *inst, const union vm_cell *ip, union vm_slot *fp, int how);
int gc_array_new_data(wr_instance *inst, const union vm_cell *ip, union vm_slot *fp);
int gc_array_new_elem(wr_instance *inst, const union vm_cell *ip, union vm_slot *fp);
int gc_array_get(wr_instance *inst, const union vm_cell *ip, union vm_slot *fp);
int gc_array_set(wr_instance *inst, const union vm_cell *ip, union vm_slot *fp);
int gc_array_len(wr_instance *inst, const union vm_cell *ip, union vm_slot *fp);
int gc_array_fill(wr_instance *inst, const union vm_cell *ip, union vm_slot *fp);
int gc_array_copy(wr_instance *inst, const union vm_cell *ip, union vm_slot *fp);
int gc_array_init_data(wr_instance *inst, const union vm_cell *ip, union vm_slot *fp);
int gc_array_init_elem(wr_instance *inst, const union vm_cell *ip, union vm_slot *fp);

/* ---- memory.c ---- */

/* Reserve the address space (MEM_RESERVE bytes for a 32-bit memory,
 * max_pages for a 64-bit one) and make the first decl->min pages
 * accessible. With fd >= 0 the memory is backed by that memfd
 * (MAP_SHARED), else anonymous; m->resize/resize_user must be set (or
 * NULL) before the call. */
bool mem_init(wr_memory *m, const wr_limits *decl, uint64_t max_pages, int fd);
void mem_release(wr_memory *m);
/* Grow by delta pages; returns the old page count or -1. */
int64_t mem_grow(wr_memory *m, uint64_t delta);
/* True if addr lies inside some memory's reservation. Async-signal-safe:
 * the SIGSEGV handler uses it to tell a guest's out-of-bounds access from a
 * bug in wrun. */
bool mem_owns_address(const void *addr);

/* ---- store.c: below api.c, instance.c and interp.c ---- */

/* Grow table by delta elements filled with init; returns old size or -1. */
int64_t tab_grow(wr_table *t, uint64_t delta, uint64_t init);
/* Is reference `bits` (a wr_func pointer, an externref; 0 null) a value of
 * type t (in the store's terms)? */
bool store_ref_ok(const wr_store *s, mod_vt t, uint64_t bits);
/* Hand obj to the store, to be released with fn when the store is freed;
 * on allocation failure obj is released at once and false returned. */
bool store_own(wr_store *s, void *obj, void (*fn)(void *));
/* Store-owned objects (the API's and those a module defines). */
wr_table *store_table_new(wr_store *s, const wr_tabletype *type, uint64_t init);
wr_memory *store_memory_new(wr_store *s, const wr_limits *pages);
/* The pages a memory of these limits may grow to in store s: the declared
 * maximum, the format's (65536 for a 32-bit memory) or MEM64_MAX_DEFAULT
 * (a 64-bit one) and the store's limit, whichever is least. */
uint64_t store_memory_max(const wr_store *s, const wr_limits *pages);
wr_global *store_global_new(wr_store *s, uint8_t type, bool mut, const uint64_t val[2]);
/* A new tag of type `type`, which must outlive the store (a module's type,
 * or the tag's own copy). */
wr_tag *store_tag_new(wr_store *s, const mod_functype *type);

/* ---- exn.c: exceptions, below interp.c and api.c ----
 *
 * An exception lives in its store's table and is named by a handle,
 * ((uint64_t)generation << 32) | (index + 1); 0 is null. A handle is
 * checked on every use, so a stale or forged one is never followed.
 * Exceptions are freed by exn_drop when only the runtime ever saw them
 * (thrown, then caught by a clause that keeps no reference), and otherwise
 * by a collector that runs when the table fills: a mark-sweep whose roots
 * are the slots of the value stack in use (scanned conservatively: any
 * slot equal to a live handle keeps it), the exnref globals and tables of
 * the store's instances, the payloads of marked exceptions, the pending
 * exception and the pinned ones (handed to the embedder). */
typedef struct exn {
	wr_tag *tag;
	uint64_t *heap;      /* the payload if over two slots (see exn_payload) */
	uint64_t inl[2];     /* else here */
	uint32_t gen;
	bool live;
	bool exposed;        /* a handle to it was stored where wasm or the host can read it */
	bool pinned;         /* handed to the embedder: kept for the store's lifetime */
	bool mark;
} exn;

/* The payload of e: tag->type->param_slots slots. */
static inline uint64_t *exn_payload(exn *e) { return e->heap ? e->heap : e->inl; }

/* A new exception of tag with its payload; may collect first, scanning
 * the stack slots [lo, hi). Returns its handle, or 0 if out of memory. */
uint64_t exn_new(wr_store *s, wr_tag *tag, const uint64_t *payload, const uint64_t *lo,
                 const uint64_t *hi);
/* The exception a handle names, or NULL (null, stale or forged). */
exn *exn_get(const wr_store *s, uint64_t h);
/* Free an exception no one else can name (see exn.exposed). */
void exn_drop(wr_store *s, uint64_t h);
/* Keep an exception for the store's lifetime. */
void exn_pin(wr_store *s, uint64_t h);
void exn_free_all(wr_store *s);
/* Call fn with the payload of every live exception (the GC's roots). */
void exn_payloads(wr_store *s, void (*fn)(void *u, const uint64_t *p, size_t n), void *u);

/* ---- instance.c ---- */

/* Evaluate a constant expression of inst's module into out[0..1]. */
bool inst_eval_const(const wr_instance *inst, const mod_expr *e, uint64_t out[2]);
/* A type of inst's module in the store's terms (see above). */
mod_vt inst_vt(const wr_instance *inst, mod_vt t);
void inst_free(wr_instance *inst);

/* ---- interp.c ---- */

/* Call f with arguments in slots[0..param_slots) and leave its results in
 * slots[0..result_slots). slots must hold max(param_slots, result_slots).
 * Returns WR_OK or a trap kind, with details in *trap. Re-entrant: a host
 * function may call back into wasm through wr_call. */
wr_trapkind vm_call(wr_store *s, wr_func *f, uint64_t *slots, wr_trap *trap);
/* Release the store's interpreter state. */
void vm_stack_free(struct vm_stack *st);
/* A new exception of tag with payload, made by a host function (or the
 * embedder) between calls: exn_new with the store's stack in use as roots. */
uint64_t vm_exn_new(wr_store *s, wr_tag *tag, const uint64_t *payload);
/* The GC's roots in the frames of s's calls in progress: mark(u, p, n)
 * for the slots that may hold a reference (each slot a stack map names,
 * and whole: a host function's arguments and results, and a frame at a
 * point with no map). Returns the number of such frames, scanned whole
 * (0 unless the compiler missed a GC point). */
uint64_t vm_stack_roots(const wr_store *s, void (*mark)(void *u, const uint64_t *p, size_t n),
                        void *u);
/* Install the SIGSEGV/SIGBUS handler (idempotent). */
void vm_signals_init(void);

#endif
