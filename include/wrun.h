/*
 * wrun.h: the public embedding API of the wrun WebAssembly engine.
 *
 * Every type is opaque and every name carries the wr_ prefix. Objects that
 * live at run time (instances, host functions, memories, tables, globals)
 * belong to a wr_store and are freed with it; a wr_module is independent of
 * any store and may be instantiated many times.
 */
#ifndef WRUN_H
#define WRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WRUN_VERSION "0.1.0"

typedef struct wr_module wr_module;
typedef struct wr_store wr_store;
typedef struct wr_instance wr_instance;
typedef struct wr_func wr_func;
typedef struct wr_memory wr_memory;
typedef struct wr_table wr_table;
typedef struct wr_global wr_global;
typedef struct wr_hostcall wr_hostcall;
typedef struct wr_tag wr_tag;

/* Value types, numbered by their binary encoding. */
typedef enum wr_valtype {
	WR_I32 = 0x7f,
	WR_I64 = 0x7e,
	WR_F32 = 0x7d,
	WR_F64 = 0x7c,
	WR_V128 = 0x7b,
	WR_FUNCREF = 0x70,
	WR_EXTERNREF = 0x6f,
	WR_EXNREF = 0x69,      /* exception handling: (ref null exn) */
	WR_NULLEXNREF = 0x74,  /* (ref null noexn): holds only null */
	WR_ANYREF = 0x6e,      /* GC: (ref null any), the kind of every any/eq/i31/
	                          struct/array/none reference */
} wr_valtype;

/* A typed value. Floats are carried as raw bits so NaN payloads survive. */
typedef struct wr_value {
	wr_valtype type;
	union {
		int32_t i32;
		int64_t i64;
		uint32_t f32; /* IEEE-754 bits */
		uint64_t f64; /* IEEE-754 bits */
		uint8_t v128[16];
		wr_func *func;  /* funcref; NULL is ref.null func */
		uintptr_t ext;  /* externref; 0 is ref.null extern */
		uint64_t exn;   /* exnref: an opaque handle (see wr_exn_read); 0 is ref.null exn */
		uint64_t any;   /* anyref (GC): an opaque handle; 0 is ref.null any */
	} of;
} wr_value;

typedef enum wr_externkind {
	WR_EXTERN_FUNC = 0,
	WR_EXTERN_TABLE = 1,
	WR_EXTERN_MEMORY = 2,
	WR_EXTERN_GLOBAL = 3,
	WR_EXTERN_TAG = 4,
} wr_externkind;

typedef struct wr_functype {
	uint32_t nparams, nresults;
	const uint8_t *params;  /* wr_valtype values, one byte each */
	const uint8_t *results;
} wr_functype;

typedef struct wr_limits {
	uint64_t min, max;
	bool has_max;
	bool addr64; /* 64-bit addresses (memory64, table64): i64 operands */
} wr_limits;

typedef struct wr_tabletype {
	wr_valtype elem;
	wr_limits limits;
} wr_tabletype;

typedef struct wr_globaltype {
	wr_valtype type;
	bool mut;
} wr_globaltype;

/* The type of an import or export. */
typedef struct wr_externtype {
	wr_externkind kind;
	union {
		wr_functype func;
		wr_tabletype table;
		wr_limits memory; /* in 64 KiB pages */
		wr_globaltype global;
		wr_functype tag;  /* the tag's parameters (a tag has no results) */
	} of;
} wr_externtype;

typedef struct wr_import {
	const char *module, *name; /* NUL-terminated (names holding NUL are cut) */
	size_t module_len, name_len;
	wr_externtype type;
} wr_import;

typedef struct wr_export {
	const char *name;
	size_t name_len;
	wr_externtype type;
} wr_export;

/* An import or export value. */
typedef struct wr_extern {
	wr_externkind kind;
	union {
		wr_func *func;
		wr_table *table;
		wr_memory *memory;
		wr_global *global;
		wr_tag *tag;
	} of;
} wr_extern;

/* Why loading or linking failed: a message and the byte offset it refers to. */
typedef struct wr_diag {
	char message[192];
	size_t offset;
} wr_diag;

typedef enum wr_trapkind {
	WR_OK = 0,
	WR_TRAP_UNREACHABLE,
	WR_TRAP_MEMORY_OOB,       /* out of bounds memory access */
	WR_TRAP_TABLE_OOB,        /* out of bounds table access / undefined element */
	WR_TRAP_INDIRECT_NULL,    /* uninitialized element */
	WR_TRAP_INDIRECT_TYPE,    /* indirect call type mismatch */
	WR_TRAP_DIV_ZERO,         /* integer divide by zero */
	WR_TRAP_INT_OVERFLOW,     /* integer overflow */
	WR_TRAP_INVALID_CONV,     /* invalid conversion to integer */
	WR_TRAP_STACK_EXHAUSTED,  /* call stack exhausted */
	WR_TRAP_HOST,             /* a host function failed */
	WR_TRAP_EXIT,             /* the guest asked to exit (WASI proc_exit) */
	WR_TRAP_FUEL,             /* the instruction budget ran out */
	WR_TRAP_LINK,             /* instantiation failed before running */
	WR_TRAP_MEMORY_LIMIT,     /* an initial memory exceeds the store's memory limit */
	WR_TRAP_NULL_REFERENCE,   /* null reference (ref.as_non_null), null function reference (call_ref) */
	WR_TRAP_EXCEPTION,        /* uncaught exception: a wasm exception left the call */
	WR_TRAP_CAST,             /* cast failure (ref.cast, GC) */
	WR_TRAP_GC_LIMIT,         /* out of GC heap memory */
	WR_TRAP__COUNT
} wr_trapkind;

typedef struct wr_trap {
	wr_trapkind kind;
	int exit_code;      /* for WR_TRAP_EXIT */
	char message[192];  /* spec wording, e.g. "integer divide by zero" */
	char func[96];      /* the function executing when it trapped, if known */
} wr_trap;

/* The spec's wording for a trap kind. */
const char *wr_trap_message(wr_trapkind kind);

/* ---- modules ---- */

/* Decode, validate and compile a module. On failure returns NULL and fills
 * diag (if non-NULL) with the reason and the byte offset. */
wr_module *wr_module_load(const uint8_t *bytes, size_t len, wr_diag *diag);
void wr_module_free(wr_module *m);
size_t wr_module_import_count(const wr_module *m);
size_t wr_module_export_count(const wr_module *m);
/* Describe import/export i (0 <= i < count). The pointers stay valid while m lives. */
void wr_module_import(const wr_module *m, size_t i, wr_import *out);
void wr_module_export(const wr_module *m, size_t i, wr_export *out);

/* ---- stores and host objects ---- */

wr_store *wr_store_new(void);
void wr_store_free(wr_store *s);

/* A host function receives its arguments in slots[0..] (one uint64_t per
 * i32/i64/f32/f64/ref value in its low bits, two per v128) and writes its
 * results to slots[0..]. It returns WR_OK, or a trap kind (after
 * wr_hostcall_trap or wr_hostcall_exit). */
typedef wr_trapkind (*wr_host_fn)(wr_hostcall *hc, uint64_t *slots, void *user);

wr_func *wr_func_new_host(wr_store *s, const wr_functype *type, wr_host_fn fn, void *user,
                          const char *name);
/* The memory of the instance that called the host function (NULL if none). */
wr_memory *wr_hostcall_memory(wr_hostcall *hc);
/* Record a trap message; returns WR_TRAP_HOST for convenience. */
wr_trapkind wr_hostcall_trap(wr_hostcall *hc, const char *message);
/* Record an exit code; returns WR_TRAP_EXIT. */
wr_trapkind wr_hostcall_exit(wr_hostcall *hc, int code);

wr_memory *wr_memory_new(wr_store *s, const wr_limits *pages);
uint8_t *wr_memory_data(wr_memory *m);
uint64_t wr_memory_size(const wr_memory *m); /* in bytes */
/* Grow by delta pages; returns the old size in pages or -1. */
int64_t wr_memory_grow(wr_memory *m, uint64_t delta);

wr_table *wr_table_new(wr_store *s, const wr_tabletype *type, const wr_value *init);
uint32_t wr_table_size(const wr_table *t);
bool wr_table_get(const wr_table *t, uint32_t i, wr_value *out);
bool wr_table_set(wr_table *t, uint32_t i, const wr_value *v);

wr_global *wr_global_new(wr_store *s, const wr_globaltype *type, const wr_value *init);
void wr_global_get(const wr_global *g, wr_value *out);
/* Fails (false) if the global is immutable or the type differs. */
bool wr_global_set(wr_global *g, const wr_value *v);
void wr_global_type(const wr_global *g, wr_globaltype *out);
void wr_memory_type(const wr_memory *m, wr_limits *out);
void wr_table_type(const wr_table *t, wr_tabletype *out);
void wr_func_type(const wr_func *f, wr_functype *out);

/*
 * ---- tags and exceptions (Wasm 3.0 exception handling) ----
 *
 * A tag is an identity: `catch $t` catches what `throw $t` threw only when
 * both name the same wr_tag object. Each module instance creates its own
 * tags (instantiating a module twice gives two distinct tags); a tag import
 * is satisfied by an existing wr_tag (an export of another instance, or one
 * made with wr_tag_new) of the same type, and then is that very tag.
 *
 * An exception thrown by wasm and caught nowhere in the call ends wr_call
 * with WR_TRAP_EXCEPTION ("uncaught exception"); wr_store_exception gives
 * it. A trap is never caught by wasm. Across a host function: when a host
 * function calls wr_call and gets WR_TRAP_EXCEPTION, its own frames are
 * intact (the inner call unwound completely) and it chooses what happens.
 * Returning WR_TRAP_EXCEPTION propagates that same exception into the wasm
 * code that called the host function, which may catch it; returning
 * anything else drops it. wr_hostcall_throw throws a new one.
 *
 * An exnref value (wr_value.of.exn, or a slot of a host function) is a
 * handle to an exception of its store. Handles are checked: a stale or
 * forged one is never followed. Those given by wr_call results and
 * wr_store_exception stay valid as long as the store; any other stays
 * valid while wasm still holds it (a local, a global, a table, a payload).
 */

/* A new tag whose exceptions carry values of the given types (params;
 * results must be empty), distinct from every other tag. */
wr_tag *wr_tag_new(wr_store *s, const wr_functype *type);
void wr_tag_type(const wr_tag *t, wr_functype *out);
/* In a host function: throw an exception of tag t whose payload is in
 * slots[] (as arguments are given: one slot per value, two per v128).
 * Returns WR_TRAP_EXCEPTION, which the host function then returns. */
wr_trapkind wr_hostcall_throw(wr_hostcall *hc, wr_tag *t, const uint64_t *slots);
/* The exception that made the store's last call end with
 * WR_TRAP_EXCEPTION, as an exnref handle; false if there is none. */
bool wr_store_exception(wr_store *s, uint64_t *exn);
/* GC (Wasm 3.0): *out becomes an anyref holding host reference ext, as
 * any.convert_extern makes one (ext 0: null); false when out of memory.
 * wr_anyref_extern gives back the host reference an anyref of store s
 * holds: false when it holds none (null, an i31, a struct or array). */
/* Objects are garbage collected (Wasm 3.0 GC): an anyref (or an externref
 * wrapping one) from wr_call's results or wr_anyref_from_extern stays
 * valid as long as the store; one read from a global or table stays valid
 * while wasm still holds it (a global, a table, an object, a local or a
 * live operand of a frame: the collector is precise, a dead slot holds
 * nothing), and one a host function gets as an argument while it runs. */
bool wr_anyref_from_extern(wr_store *s, uintptr_t ext, wr_value *out);
bool wr_anyref_extern(const wr_store *s, const wr_value *any, uintptr_t *ext);
/* What an anyref of store s is (WR_ANY_INVALID: not an anyref of s). */
typedef enum wr_anykind {
	WR_ANY_NULL, WR_ANY_I31, WR_ANY_STRUCT, WR_ANY_ARRAY, WR_ANY_HOST, WR_ANY_INVALID,
} wr_anykind;
wr_anykind wr_anyref_kind(const wr_store *s, const wr_value *any);
/* The collector's work in store s so far (GC, Wasm 3.0): collections,
 * their pause times (the median over the first million), objects
 * allocated and freed, the heap's bytes now and at most. */
typedef struct wr_gc_stats {
	uint64_t collections;
	uint64_t pause_total_ns, pause_max_ns, pause_median_ns;
	uint64_t allocated_objects, freed_objects;
	uint64_t heap_bytes, heap_peak;
	/* frames scanned whole because their GC point had no stack map: 0
	 * unless wrun has a bug (the tests require 0) */
	uint64_t conservative_frames;
} wr_gc_stats;
void wr_store_gc_stats(const wr_store *s, wr_gc_stats *out);

/* Read exception exn of store s: its tag, and (payload non-NULL) the
 * first nslots slots of its payload. False for null or a stale handle. */
bool wr_exn_read(wr_store *s, uint64_t exn, wr_tag **tag, uint64_t *payload, size_t nslots);

/* ---- instances ---- */

/* Instantiate m with imports[i] satisfying import i. Runs the start function.
 * Returns NULL on failure: trap->kind is WR_TRAP_LINK for a link error
 * ("incompatible import type", ...) or the trap that stopped initialisation. */
wr_instance *wr_instantiate(wr_store *s, const wr_module *m, const wr_extern *imports,
                            size_t nimports, wr_trap *trap);
/* Look up an export by name; false if absent. The _n form takes a length,
 * for names that hold NUL bytes. */
bool wr_instance_export(const wr_instance *inst, const char *name, wr_extern *out);
bool wr_instance_export_n(const wr_instance *inst, const char *name, size_t len, wr_extern *out);

/* ---- calls ---- */

/* Call f. Argument and result types must match f's type (checked).
 * Returns WR_OK or the trap kind, with details in *trap if non-NULL. */
wr_trapkind wr_call(wr_func *f, const wr_value *args, size_t nargs, wr_value *results,
                    size_t nresults, wr_trap *trap);

/*
 * Where the memories a module defines (not imported ones) live. By default
 * each is a private anonymous mapping. A provider can back them with a
 * descriptor of its own instead (a memfd another process maps too): the
 * engine maps it MAP_SHARED and, before each growth, asks the provider to
 * make the file hold the new size, so the provider can refuse.
 *   open:   a descriptor for a new memory with the declared limits (in
 *           pages; decl->addr64 for a 64-bit one), -1 for a private
 *           mapping, or WR_MEMORY_REFUSED to refuse the memory (the
 *           instantiation then fails); ownership of a descriptor passes to
 *           the engine, which closes it with the memory.
 *   resize: make fd hold `bytes` bytes; false refuses (memory.grow then
 *           returns -1). NULL: the engine calls ftruncate itself.
 */
typedef struct wr_memory_provider {
	int (*open)(void *user, const wr_limits *decl);
	bool (*resize)(void *user, int fd, uint64_t bytes);
	void *user;
} wr_memory_provider;

#define WR_MEMORY_REFUSED (-2)

/* Use p (copied) for the memories this store creates from now on. */
void wr_store_set_memory_provider(wr_store *s, const wr_memory_provider *p);

/*
 * Install what the engine needs from the process before it runs code: the
 * handlers that turn out-of-bounds accesses into traps, on their own
 * stack. wr_store_new does it too; call it earlier when a later step
 * (a seccomp filter) forbids the calls it makes.
 */
void wr_runtime_init(void);

/* Memories the store creates for modules may grow to at most `bytes`
 * (rounded down to whole pages; 0: no limit but the 4 GiB the format
 * allows a 32-bit memory and WR_MEMORY64_MAX_DEFAULT for a 64-bit one,
 * whose address space is reserved up front). The limit applies to each
 * memory. A module whose initial memory is larger fails to instantiate;
 * memory.grow past it returns -1. */
#define WR_MEMORY64_MAX_DEFAULT (16ull << 30)
void wr_store_set_memory_limit(wr_store *s, uint64_t bytes);

/* Execution limits for calls made from this store (0 means the default). */
void wr_store_set_fuel(wr_store *s, uint64_t fuel); /* 0: unlimited */
uint64_t wr_store_fuel_left(const wr_store *s);


/* ---- components (src/component) ---- */

typedef struct wr_component wr_component;   /* a decoded, validated component */
typedef struct wr_cinstance wr_cinstance;   /* an instantiated component */
typedef struct wr_clinker wr_clinker;       /* host instances offered to components */
typedef struct wr_ccall wr_ccall;           /* the context of a host component call */

/* Kinds of component value types, in the order of their binary encoding. */
typedef enum wr_ckind {
	WR_C_BOOL, WR_C_S8, WR_C_U8, WR_C_S16, WR_C_U16, WR_C_S32, WR_C_U32,
	WR_C_S64, WR_C_U64, WR_C_F32, WR_C_F64, WR_C_CHAR, WR_C_STRING,
	WR_C_RECORD, WR_C_VARIANT, WR_C_LIST, WR_C_TUPLE, WR_C_FLAGS, WR_C_ENUM,
	WR_C_OPTION, WR_C_RESULT, WR_C_OWN, WR_C_BORROW,
	WR_C__COUNT
} wr_ckind;

/*
 * A component value. Aggregates own their parts (free with wr_cval_free).
 *   bool, integers, char (a Unicode scalar value): i (signed) or u (unsigned)
 *   f32, f64:           f32, f64 (NaNs canonical after lifting, as the ABI says)
 *   string:             str, len bytes of UTF-8 (also NUL-terminated)
 *   list, record, tuple: elems, len values
 *   variant, enum:      tag = case index; variant payload in elems (len 1) or none (len 0)
 *   option:             tag 0 none, 1 some (payload in elems, len 1)
 *   result:             tag 0 ok, 1 error; payload in elems (len 1) or none
 *   flags:              u, bit i set for label i
 *   own, borrow:        handle: the resource's representation (rep) and its type
 */
typedef struct wr_cval {
	wr_ckind kind;
	uint32_t len;
	uint32_t tag;
	union {
		int64_t i;
		uint64_t u;
		float f32;
		double f64;
		char *str;
		struct wr_cval *elems;
		struct {
			uint32_t rep;
			const void *type;   /* the resource type (opaque) */
		} handle;
	} of;
} wr_cval;

/* Free what v owns (not v itself). */
void wr_cval_free(wr_cval *v);

/* Is b (n bytes) a component binary? (preamble \0asm, version 0x0d 0x00,
 * layer 0x01 0x00; a core module has layer 0x00 0x00.) */
bool wr_is_component(const uint8_t *b, size_t n);

/* Decode and validate a component, its nested components and core modules
 * (each core module loaded with wr_module_load). On failure returns NULL
 * and fills diag (if non-NULL) with the reason and the byte offset. */
wr_component *wr_component_load(const uint8_t *bytes, size_t len, wr_diag *diag);
void wr_component_free(wr_component *c);

/* The sorts of a component's imports and exports. */
typedef enum wr_csort {
	WR_CSORT_CORE_MODULE, WR_CSORT_FUNC, WR_CSORT_VALUE, WR_CSORT_TYPE,
	WR_CSORT_COMPONENT, WR_CSORT_INSTANCE
} wr_csort;

/* An import or export of a component: its name ("wasi:cli/run@0.2.0",
 * "[method]file.read", ...; NUL-terminated) and its sort. The name stays
 * valid while the component lives. */
typedef struct wr_cextern_info {
	const char *name;
	size_t name_len;
	wr_csort sort;
} wr_cextern_info;

size_t wr_component_import_count(const wr_component *c);
size_t wr_component_export_count(const wr_component *c);
/* Describe import/export i (0 <= i < count); false if i is out of range. */
bool wr_component_import(const wr_component *c, size_t i, wr_cextern_info *out);
bool wr_component_export(const wr_component *c, size_t i, wr_cextern_info *out);
/* "core module", "func", "value", "type", "component", "instance". */
const char *wr_csort_name(wr_csort s);

/*
 * What an instance-typed import or export holds (for `wrun inspect`): item
 * j of import (exported false) or export (exported true) i, when that is
 * an instance; the count is 0 for other sorts. resource: a resource type
 * the instance exports (sort WR_CSORT_TYPE); fresh: one it declares itself
 * (sub resource), not one bound to another instance's (eq).
 */
typedef struct wr_citem_info {
	const char *name;
	size_t name_len;
	wr_csort sort;
	bool resource;
	bool fresh;
} wr_citem_info;

size_t wr_component_item_count(const wr_component *c, bool exported, size_t i);
bool wr_component_item(const wr_component *c, bool exported, size_t i, size_t j,
		       wr_citem_info *out);
/* The core modules a component holds, nested components' included, in
 * the order they were decoded (valid while c lives). */
size_t wr_component_module_count(const wr_component *c);
const wr_module *wr_component_module(const wr_component *c, size_t i);

/* ---- component instances, linking and calls ---- */

/*
 * Instantiating a component runs its definitions in order: core modules are
 * instantiated in `s` (their functions, memories and tables belong to the
 * store), nested components are instantiated with their arguments, every
 * resource type the component defines gets a fresh identity per
 * instantiation, and the component's imports are served by `l` (NULL: no
 * imports allowed). Returns NULL on failure with *trap filled: kind
 * WR_TRAP_LINK and a message naming the import for a link error
 * ("unlinkable: import `wasi:cli/stdout@0.2.0` is not defined", ...), or
 * the trap that stopped a core start function.
 *
 * c must outlive the instance (its types are shared), and the instance
 * must outlive every call of the store's functions it made (free it after
 * the store, or once nothing calls into it). l may be freed once
 * instantiation returns, except the user data its host functions and
 * resource destructors receive.
 */
wr_cinstance *wr_component_instantiate(wr_store *s, const wr_component *c, const wr_clinker *l,
                                       wr_trap *trap);
void wr_cinstance_free(wr_cinstance *inst);

/* An exported component function (valid while its instance lives). */
typedef struct wr_cfunc wr_cfunc;
/* The type of a component function (src/component/ctype.h's cfunctype). */
struct cfunctype;

/* The instance's top-level exports (name and sort). */
size_t wr_cinstance_export_count(const wr_cinstance *inst);
bool wr_cinstance_export(const wr_cinstance *inst, size_t i, wr_cextern_info *out);

/*
 * Find an exported function by name: a top-level export ("run"), or a
 * function of an exported instance written "INSTANCE#FUNC"
 * ("wasi:cli/run@0.2.0#run"; the instance may itself be "A#B" nested).
 * NULL if there is no such function.
 */
const wr_cfunc *wr_cinstance_func(const wr_cinstance *inst, const char *name);
/* The same, the path given as its names: ("inst", "f"). */
const wr_cfunc *wr_cinstance_func_path(const wr_cinstance *inst, const char *const *names,
                                       size_t n);
const struct cfunctype *wr_cfunc_type(const wr_cfunc *f);
size_t wr_cfunc_param_count(const wr_cfunc *f);
bool wr_cfunc_has_result(const wr_cfunc *f);

/*
 * Call f with nargs values (the type's parameter count; each must match its
 * parameter's type, else the call traps with "value does not match its
 * type"). The arguments stay the caller's. *result (when the type has one
 * and result is not NULL) receives the result, to free with wr_cval_free.
 * Returns WR_OK or the trap kind, details in *trap (the canonical ABI's
 * wording: "unaligned pointer", "cannot enter component instance", ...).
 * Handles (own, borrow) passed in are the host's: the rep and the resource
 * identity of a host resource (wr_clinker_define_resource).
 */
wr_trapkind wr_cfunc_call(const wr_cfunc *f, const wr_cval *args, size_t nargs, wr_cval *result,
                          wr_trap *trap);
/* wr_cinstance_func then wr_cfunc_call; a missing function is a trap
 * (WR_TRAP_LINK, "no exported function `NAME`"). */
wr_trapkind wr_cinstance_call(wr_cinstance *inst, const char *name, const wr_cval *args,
                              size_t nargs, wr_cval *result, wr_trap *trap);

/* What wr_cinstance_invoke did. */
typedef enum wr_cinvoke_status {
	WR_CINVOKE_OK,       /* called; out holds the result in WAVE and a newline (or nothing) */
	WR_CINVOKE_NOFUNC,   /* no exported function of that name (err says so) */
	WR_CINVOKE_USAGE,    /* the call text does not parse, or its arguments do not fit (err) */
	WR_CINVOKE_TRAP,     /* the call trapped: see *trap */
	WR_CINVOKE_NOMEM,    /* out of memory */
	WR_CINVOKE_TOOLONG,  /* the result does not fit in outsize bytes (err) */
} wr_cinvoke_status;

/*
 * Call an exported function given as text, the way `wasmtime run --invoke`
 * takes it: "name(arg, ...)" with the arguments in WAVE (the WebAssembly
 * Value Encoding: 42, "text", [1, 2], {a: 1}, some(x), ok, ...) read by
 * the parameters' types; the name as wr_cinstance_func takes it. The
 * result, if the function has one, is printed in WAVE into out (one line).
 * err (errlen bytes) gets a message for the failures that are not traps.
 */
wr_cinvoke_status wr_cinstance_invoke(wr_cinstance *inst, const char *call, char *out,
                                      size_t outsize, wr_trap *trap, char *err, size_t errlen);

/*
 * The linker: what the host offers a component's imports.
 *
 * Definitions are named by an instance (an interface name such as
 * "wasi:cli/environment@0.2.0", or any import name of an instance) and a
 * name inside it; a NULL instance defines a top-level import of the
 * component (a function or resource type imported by itself).
 *
 * Versions: an import "ns:pkg/iface@V" is served by a definition of the
 * same name whose version is compatible with V, the highest such one:
 * same major version when it is 1 or more, same major and minor when the
 * major is 0 (0.2.4 is served by 0.2.0 or 0.2.9, not by 0.3.0), the exact
 * version for 0.0.x and pre-releases. A name without a version matches
 * only itself.
 *
 * Types: a host function is untyped; it takes the type of the import it
 * serves (wr_ccall_type), gets its arguments lifted to wr_cval, and its
 * result is checked against that type when lowered (a mismatch traps with
 * "value does not match its type"). A host resource type is one identity
 * for every instantiation: handles of it carry its rep (an integer of the
 * host's choosing) and that identity; dropping the last own handle in a
 * component calls its destructor. A component instance's exported
 * instance can serve an import too (wr_clinker_define_instance); its
 * function types must then equal the import's, after resource types are
 * bound.
 *
 * Instantiation fails, naming the import, when an import is not defined,
 * an instance lacks one of the imported names, or sorts or types differ;
 * with wr_clinker_trap_unknown set, every missing function is defined
 * instead as one that traps when called ("unknown import `I#F` called")
 * and every missing resource type as a fresh host resource type.
 */
typedef wr_trapkind (*wr_chost_fn)(wr_ccall *call, const wr_cval *args, size_t nargs,
                                   wr_cval *result, void *user);

wr_clinker *wr_clinker_new(void);
void wr_clinker_free(wr_clinker *l);
/* Define function `name` of instance `instance` (NULL: top level). False
 * when out of memory or already defined. */
bool wr_clinker_define_func(wr_clinker *l, const char *instance, const char *name, wr_chost_fn fn,
                            void *user);
/* Define resource type `name` of instance `instance` (NULL: top level),
 * with a destructor (may be NULL) called with the rep of each dropped own
 * handle; it returns NULL, or a message when it refuses the drop (the
 * drop then traps with it: a resource that still has children).  Returns
 * the resource's identity (a handle's of.handle.type), or NULL when out
 * of memory or already defined. */
const void *wr_clinker_define_resource(wr_clinker *l, const char *instance, const char *name,
                                       const char *(*dtor)(uint32_t rep, void *user),
                                       void *user);
/* Offer the exports of a component instance as instance `instance`: all of
 * its top-level exports (export NULL), or the exports of its exported
 * instance `export`. inst must outlive every instance linked with it. */
bool wr_clinker_define_instance(wr_clinker *l, const char *instance, wr_cinstance *inst,
                                const char *export_name);
/* Serve missing functions and resource types as described above. */
void wr_clinker_trap_unknown(wr_clinker *l, bool on);

/* In a host function: the type of the import it serves, the name
 * ("INSTANCE#NAME" or "NAME") and a trap with a message (returns
 * WR_TRAP_HOST, to return from the host function). */
const struct cfunctype *wr_ccall_type(const wr_ccall *call);
const char *wr_ccall_name(const wr_ccall *call);
wr_trapkind wr_ccall_trap(wr_ccall *call, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* In a host function: end the run with exit code `code` (returns
 * WR_TRAP_EXIT, to return from the host function; the trap reaches the
 * caller of the component's export as a core host function's exit does). */
wr_trapkind wr_ccall_exit(wr_ccall *call, int code);

#ifdef __cplusplus
}
#endif
#endif
