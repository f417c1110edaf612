/*
 * interp.c: the interpreter for threaded code (see vm.h), its call stack,
 * and traps.
 *
 * One function, vm_run, executes threaded code. Dispatch is a computed goto
 * through the handler address in each instruction's first cell; built with
 * -DWR_SWITCH_DISPATCH the same handlers become the cases of a switch on an
 * opcode number. The hot state (instruction pointer, frame pointer, base of
 * linear memory, current instance) lives in local variables.
 *
 * Calls between wasm functions never recurse in C: a call pushes a record
 * (return address, caller's frame and instance, the callee) on the store's
 * frame stack and continues in the same loop. Frames live on the store's
 * value stack and overlap: a callee's frame starts where the caller keeps
 * the arguments, and its results come back in the same slots. Depth and
 * value-stack space are checked on every call. A tail call (return_call,
 * return_call_indirect) pushes nothing: the callee takes over the caller's
 * frame and record, so a chain of them runs in constant stack.
 *
 * Traps leave through siglongjmp to the innermost vm_call, which restores
 * the stacks to their state at entry so the store can be used again.
 * Exceptions (throw, throw_ref, an exception a host function passes on)
 * cost nothing until thrown: vm_unwind then walks the frames from the
 * thrower outwards, looking each function's handler tables up (vm.h),
 * writes the caught values into the frame that catches, and resumes
 * there by the same siglongjmp, which vm_protected turns into a new entry
 * into vm_run. One that no frame of the call catches ends it as the trap
 * kind WR_TRAP_EXCEPTION, the exception kept as the store's pending one; a
 * host function that returns that kind passes it on into its caller. Loads
 * and stores of a 32-bit memory carry no bounds check: it is a large
 * reservation whose inaccessible part faults, and the SIGSEGV/SIGBUS
 * handler turns a fault inside a guest memory into the trap "out of bounds
 * memory access". Memory 0's base stays in a register; the other memories'
 * accesses (the MEM operations) read theirs from the instance, and those of
 * a 64-bit memory, which no guard region can cover, check the bounds
 * explicitly (vm_mem_addr).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "runtime.h"
#include "vm.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* One activation: what returning needs, and the function it runs. */
struct vm_frame {
	const vm_cell *ret_ip;  /* vm_exit for the first frame of a vm_call */
	vm_slot *ret_fp;
	wr_instance *ret_inst;
	wr_func *func;
};

/* A store's stacks, shared by nested vm_calls (a host function calling
 * back into wasm continues above its caller's frames). */
struct vm_stack {
	vm_slot *slots, *slot_end;
	vm_slot *slot_top;         /* first slot free for a nested call */
	struct vm_frame *frames;
	size_t depth;              /* frames in use below a nested call */
};

/* One vm_call in progress: where traps land and what they report. */
struct vm_ctx {
	sigjmp_buf jb;
	wr_store *s;
	struct vm_stack *st;
	wr_trap *trap;
	struct vm_frame *fr;       /* innermost frame, kept current on call and return */
	struct vm_frame *fr_base;  /* this call's first frame */
	struct vm_frame *fr_end;   /* last frame the depth limit allows */
	struct vm_ctx *prev;       /* the vm_call this one is nested in */
	struct vm_ctx *outer;      /* the store's vm_call this one is nested in (s->ctx) */
	vm_slot *base;             /* its first frame's slots */
	/* Where its innermost frame stands while a collection may start (the
	 * collector's frame roots, vm_stack_roots): the GC point's cell and the
	 * frame's slots, set by vm_gc_frame and vm_host_call, NULL otherwise;
	 * and in a host call, the slots of the host function's arguments and
	 * results, [host_lo, host_hi). */
	const vm_cell *stop_ip;
	vm_slot *stop_fp;
	vm_slot *host_lo, *host_hi;
	wr_trapkind kind;          /* WR_OK after a longjmp: resume at rip (an exception caught) */
	const char *msg;           /* message, when not the kind's usual one */
	wr_func *where;            /* host function that trapped, if any */
	const vm_cell *rip;        /* where vm_run (re)starts: instruction, frame, instance */
	vm_slot *rfp;
	wr_instance *rinst;
	bool fuel_due;             /* the call's entry has not been charged yet */
};

/* The innermost vm_call of this thread while it runs guest code; NULL
 * while a host function runs, so a fault there is not mistaken for the
 * guest's. */
static __thread struct vm_ctx *vm_cur;
/* vm_calls in progress on this thread, nested through host functions. */
static __thread unsigned vm_nest;

/* Leave the interpreter with a trap. */
__attribute__((noreturn, noinline, cold))
static void vm_trap(struct vm_ctx *cx, wr_trapkind kind, const char *msg)
{
	cx->kind = kind;
	cx->msg = msg;
	siglongjmp(cx->jb, 1);
}

#include "interp_num.h"
#include "interp_simd.h"

/* Charge fuel; trap when the budget is spent. */
__attribute__((noinline, cold))
static void vm_fuel(struct vm_ctx *cx, uint64_t cost)
{
	wr_store *s = cx->s;
	if (s->fuel < cost) {
		s->fuel = 0;
		vm_trap(cx, WR_TRAP_FUEL, NULL);
	}
	s->fuel -= cost;
}

/* Base of an instance's linear memory (NULL if it has none). */
static inline uint8_t *vm_membase(const wr_instance *inst)
{
	return inst->mems[0] ? inst->mems[0]->base : NULL;
}

/* Zero the declared locals of a new frame that the function may read
 * before writing, and its zero slot (see vm.h): usually a few slots or
 * none, so this stays a plain loop; the empty asm keeps the compiler from
 * calling memset. */
static inline void vm_zero_locals(vm_slot *fp, const struct vm_code *cd)
{
	fp[cd->local_slots - 1].u64 = 0;
	for (uint32_t i = cd->zero_from; i < cd->zero_to; i++) {
		fp[i].u64 = 0;
		__asm__("" : "+r"(i));
	}
}

/* True if a frame of cd's at fp would pass end. In addresses, not
 * pointers: a sum past the value stack is no pointer C allows (the
 * stack is far below 2^64 - 2^35, so it never wraps). */
static inline bool vm_frame_over(const vm_slot *fp, const struct vm_code *cd, const vm_slot *end)
{
	return (uintptr_t)fp + (uintptr_t)cd->frame_slots * sizeof(vm_slot) > (uintptr_t)end;
}

/* Move a tail call's n argument slots down to the bottom of the frame. The
 * ranges may overlap, the destination lowest: copied upwards, each slot is
 * read before it is written. The empty asm keeps the compiler from calling
 * memcpy. */
static inline void vm_move_args(vm_slot *fp, const vm_slot *args, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		fp[i] = args[i];
		__asm__("" : "+r"(i));
	}
}

/* ---- slow paths, out of line ---- */

/* Operand accessors for the helpers below: halves of cell k. */
#define LO(k) ip[k].u32[0]
#define HI(k) ip[k].u32[1]

/* ---- exceptions ---- */

/* The clause of f's handlers that catches exception e thrown at cell pos
 * of f's code, or NULL. Tries are scanned innermost first; a legacy
 * delegate moves on to the tries around its label only. */
static const struct vm_catch *vm_handler(const wr_func *f, const vm_cell *pos, const exn *e)
{
	const struct vm_code *cd = f->code;
	uint32_t at = (uint32_t)(pos - cd->cells), bound = UINT32_MAX;
	for (uint32_t i = cd->ntries; i-- > 0;) {
		const struct vm_try *t = &cd->tries[i];
		if (at < t->start || at >= t->end || t->depth > bound)
			continue;
		for (uint32_t j = t->first; j != VM_NO_CLAUSE; j = cd->catches[j].next) {
			const struct vm_catch *k = &cd->catches[j];
			if (k->kind == VH_DELEGATE) {
				bound = k->target;
				break;
			}
			if (k->kind == VH_CATCH_ALL || f->inst->tags[k->tag] == e->tag)
				return k;
		}
	}
	return NULL;
}

/* Catch exception h in frame fr (frame pointer fp) with clause k: its
 * values to their slots, then resume at the clause's target, or return
 * from fr when the clause's label is the function's. An exception that no
 * one can name afterwards is freed now. */
__attribute__((noreturn))
static void vm_land(struct vm_ctx *cx, uint64_t h, const struct vm_catch *k,
                    struct vm_frame *fr, vm_slot *fp)
{
	exn *e = exn_get(cx->s, h);
	if (k->kind == VH_CATCH)
		memcpy(&fp[k->dst], exn_payload(e), e->tag->type->param_slots * sizeof(vm_slot));
	if (k->ref != VM_NO_CLAUSE) {
		fp[k->ref].u64 = h;
		e->exposed = true;
	} else {
		exn_drop(cx->s, h);
	}
	if (k->ret) {
		cx->rip = fr->ret_ip;
		cx->rfp = fr->ret_fp;
		cx->rinst = fr->ret_inst;
		cx->fr = fr - 1;
	} else {
		cx->rip = fr->func->code->cells + k->target;
		cx->rfp = fp;
		cx->rinst = fr->func->inst;
		cx->fr = fr;
	}
	cx->kind = WR_OK;
	siglongjmp(cx->jb, 1);
}

/*
 * Throw exception h at cell pos of the innermost frame (frame pointer fp),
 * or, if pos is NULL, from the innermost frame's call site (a tail call to
 * a host function that threw: the frame is already gone). Frames are left
 * until one catches; none does: the call ends with WR_TRAP_EXCEPTION and
 * h becomes the store's pending exception. With fuel on, the search is
 * charged for: one unit per frame and per try of its function looked at
 * (a clause may also jump back to a loop, and must cost something then).
 */
__attribute__((noreturn, noinline, cold))
static void vm_unwind(struct vm_ctx *cx, uint64_t h, const vm_cell *pos, vm_slot *fp)
{
	exn *e = exn_get(cx->s, h);
	struct vm_frame *fr = cx->fr;
	uint64_t work = 0;
	for (;;) {
		const struct vm_catch *k = NULL;
		work += 1 + (pos ? fr->func->code->ntries : 0);
		if (pos)
			k = vm_handler(fr->func, pos, e);
		if (k) {
			if (cx->s->fuel_on)
				vm_fuel(cx, work);
			vm_land(cx, h, k, fr, fp);
		}
		if (fr == cx->fr_base)
			break;
		pos = fr->ret_ip - 1; /* the last cell of the call */
		fp = fr->ret_fp;
		fr--;
	}
	if (cx->s->fuel_on)
		vm_fuel(cx, work);
	e->exposed = true;
	cx->s->exn_pending = h;
	vm_trap(cx, WR_TRAP_EXCEPTION, NULL);
}

/* throw [tag|first payload slot]: a new exception of the instruction's
 * tag. Collecting scans the stack up to the end of this frame. */
__attribute__((noreturn, noinline, cold))
static void vm_throw(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	const struct vm_code *cd = cx->fr->func->code;
	uint64_t h = exn_new(cx->s, inst->tags[ip[1].u32[0]], &fp[ip[1].u32[1]].u64,
	                     &cx->st->slots->u64, &fp[cd->frame_slots].u64);
	if (!h)
		vm_trap(cx, WR_TRAP_HOST, "out of memory creating an exception");
	vm_unwind(cx, h, ip, fp);
}

/* throw_ref [a]: throw again the exception slot a refers to (legacy
 * rethrow: the hidden slot of its catch). Null traps. */
__attribute__((noreturn, noinline, cold))
static void vm_throw_ref(struct vm_ctx *cx, const vm_cell *ip, vm_slot *fp)
{
	uint64_t h = fp[ip[1].u32[0]].u64;
	if (!h)
		vm_trap(cx, WR_TRAP_UNREACHABLE, "null exception reference");
	if (!exn_get(cx->s, h))
		vm_trap(cx, WR_TRAP_UNREACHABLE, "invalid exception reference");
	vm_unwind(cx, h, ip, fp);
}

uint64_t vm_exn_new(wr_store *s, wr_tag *tag, const uint64_t *payload)
{
	const struct vm_stack *st = s->stack;
	return exn_new(s, tag, payload, st ? &st->slots->u64 : NULL, st ? &st->slot_top->u64 : NULL);
}

/* The map of GC point pos in cd, or NULL if it has none. */
static const struct vm_gcmap *vm_gcmap_at(const struct vm_code *cd, const vm_cell *pos)
{
	if (pos < cd->cells || pos >= cd->cells + cd->ncells)
		return NULL;
	uint32_t cell = (uint32_t)(pos - cd->cells), lo = 0, hi = cd->ngcmaps;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (cd->gcmaps[mid].cell < cell)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < cd->ngcmaps && cd->gcmaps[lo].cell == cell ? &cd->gcmaps[lo] : NULL;
}

/*
 * Walk every frame of every vm_call of s in progress (nested ones through
 * host functions included), innermost first. A frame stands at a GC point:
 * the innermost one of the innermost vm_call where vm_gc_frame or
 * vm_host_call said, each other one at the call its callee's record
 * returns to (ret_ip - 1, the call's last cell). Where the point has a
 * map, only the slots it names are given; where it has none (a point the
 * compiler missed), the whole frame is, and counted. A host function's
 * arguments and results (what it may hold there) are given whole.
 */
uint64_t vm_stack_roots(const wr_store *s, void (*mark)(void *u, const uint64_t *p, size_t n),
                        void *u)
{
	uint64_t loose = 0;
	for (const struct vm_ctx *cx = s->ctx; cx; cx = cx->outer) {
		const vm_cell *pos = cx->stop_ip;
		const vm_slot *fp = cx->stop_fp;
		if (cx->host_lo)
			mark(u, &cx->host_lo->u64, (size_t)(cx->host_hi - cx->host_lo));
		for (const struct vm_frame *fr = cx->fr; fr >= cx->fr_base; fr--) {
			const struct vm_code *cd = fr->func->code;
			const struct vm_gcmap *g = pos ? vm_gcmap_at(cd, pos) : NULL;
			if (g) {
				for (uint32_t i = 0; i < cd->gc_locals; i++)
					mark(u, &fp[cd->gcslots[i]].u64, 1);
				for (uint32_t i = 0; i < g->n; i++)
					mark(u, &fp[cd->gcslots[g->first + i]].u64, 1);
			} else if (pos) {
				mark(u, &fp->u64, cd->frame_slots);
				loose++;
			} else if (!cx->host_lo) {
				/* no point: the frame lies in its caller's frame above
				 * the caller's fp, or at the call's base */
				const vm_slot *lo = fr == cx->fr_base ? cx->base : fr->ret_fp;
				size_t n = cd->frame_slots +
				           (fr == cx->fr_base ? 0 : fr[-1].func->code->frame_slots);
				mark(u, &lo->u64, n);
				loose++;
			} /* else a tail call to a host function: the frame is gone */
			if (fr == cx->fr_base)
				break; /* its ret_ip is vm_exit, no call */
			pos = fr->ret_ip - 1;
			fp = fr->ret_fp;
		}
	}
	return loose;
}

/* ---- host functions ---- */

/*
 * Call a host function with its arguments at nfp; results come back there.
 * Nested vm_calls it makes start above nfp's slots and fr. pos and fp are
 * the call's last cell and the caller's frame, where an exception the host
 * function passes on (it returns WR_TRAP_EXCEPTION with one pending) is
 * thrown; pos is NULL for a tail call.
 */
__attribute__((noinline))
static void vm_host_call(struct vm_ctx *cx, wr_func *f, vm_slot *nfp, wr_instance *inst,
                         struct vm_frame *fr, const vm_cell *pos, vm_slot *fp)
{
	struct vm_stack *st = cx->st;
	uint32_t need = f->type->param_slots > f->type->result_slots ? f->type->param_slots
	                                                             : f->type->result_slots;
	if ((size_t)(st->slot_end - nfp) < need)
		vm_trap(cx, WR_TRAP_STACK_EXHAUSTED, NULL);
	vm_slot *top = st->slot_top;
	size_t depth = st->depth;
	cx->stop_ip = pos;
	cx->stop_fp = fp;
	cx->host_lo = nfp;
	cx->host_hi = nfp + need;
	st->slot_top = nfp + need;
	st->depth = (size_t)(fr - st->frames) + 1;
	wr_hostcall hc = { inst, cx->trap, cx->s };
	cx->trap->message[0] = 0;
	cx->s->exn_pending = 0;
	vm_cur = NULL;
	wr_trapkind k = f->host(&hc, &nfp->u64, f->user);
	vm_cur = cx;
	cx->stop_ip = NULL;
	cx->host_lo = NULL;
	st->slot_top = top;
	st->depth = depth;
	if (k != WR_OK) {
		uint64_t h = cx->s->exn_pending;
		cx->s->exn_pending = 0;
		if (k == WR_TRAP_EXCEPTION && exn_get(cx->s, h))
			vm_unwind(cx, h, pos, fp);
		cx->where = f;
		vm_trap(cx, k == WR_TRAP_EXCEPTION ? WR_TRAP_HOST : k, NULL);
	}
}

/* Is f's type the type x of inst's module, or a subtype of it? Their
 * canonical indices in the store say (the slow path: the same type object
 * is the fast one). */
__attribute__((noinline))
static bool vm_same_type(const wr_instance *inst, const wr_func *f, uint32_t x)
{
	return ty_canon_sub(inst->store->types, f->canon, inst->type_ids[x]);
}

/* call_indirect: find the callee at index i (i32, or i64 through a 64-bit
 * table) and check its type. */
static inline wr_func *vm_indirect(struct vm_ctx *cx, const wr_instance *inst, const vm_cell *ip,
                                   uint64_t i)
{
	const wr_table *t = inst->tables[HI(1)];
	if (unlikely(i >= t->size))
		vm_trap(cx, WR_TRAP_TABLE_OOB, "undefined element");
	wr_func *f = (wr_func *)(uintptr_t)t->elems[i];
	if (unlikely(!f))
		vm_trap(cx, WR_TRAP_INDIRECT_NULL, NULL);
	const mod_functype *want = &inst->mod->types[LO(1)];
	if (unlikely(f->type != want && !vm_same_type(inst, f, LO(1))))
		vm_trap(cx, WR_TRAP_INDIRECT_TYPE, NULL);
	return f;
}

/* True if [off, off + n) does not fit in size bytes or elements. */
static inline bool vm_out(uint64_t off, uint64_t n, uint64_t size)
{
	return off > size || n > size - off;
}

/* An address, index or size operand of a memory or table with 64-bit
 * addresses (wide: all 64 bits of the slot) or 32-bit ones (the low half). */
static inline uint64_t vm_opnd(const vm_slot *v, bool wide)
{
	return wide ? v->u64 : v->u32;
}

/* The host address of an n-byte access at a + offset in a memory the
 * instruction names (the MEM family), k[0] holding the offset and k[1] the
 * memory's index and address width. A 32-bit memory has the guard region memory 0 has
 * (any memory may be some instance's memory 0), which catches what is out
 * of bounds; for a 64-bit one the sum is formed only if it does not wrap,
 * then checked against the size: its addresses reach past any guard. */
static inline uint8_t *vm_mem_addr(struct vm_ctx *cx, const wr_instance *inst, const vm_slot *a,
                             const vm_cell *k, uint64_t n)
{
	const wr_memory *m = inst->mems[k[1].u32[0]];
	uint64_t ea;
	if (!k[1].u32[1])
		return m->base + (k[0].u64 + a->u32);
	if (unlikely(__builtin_add_overflow(a->u64, k[0].u64, &ea) || ea > m->size ||
	             n > m->size - ea))
		vm_trap(cx, WR_TRAP_MEMORY_OOB, NULL);
	return m->base + ea;
}

/* memory.fill [d|val][n|mem]: bounds checked before any byte is written. */
__attribute__((noinline))
static void vm_memory_fill(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	wr_memory *m = inst->mems[HI(2)];
	bool w = m->decl.addr64;
	uint64_t d = vm_opnd(&fp[LO(1)], w), n = vm_opnd(&fp[LO(2)], w);
	if (vm_out(d, n, m->size))
		vm_trap(cx, WR_TRAP_MEMORY_OOB, NULL);
	memset(m->base + d, (int)(fp[HI(1)].u32 & 0xff), n);
}

/* memory.copy [d|s][n|dst memory][src memory]: overlapping ranges copy as
 * if through a buffer. Each address has its memory's width, the size is
 * i64 only when both are 64-bit. */
__attribute__((noinline))
static void vm_memory_copy(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	wr_memory *dm = inst->mems[HI(2)];
	const wr_memory *sm = inst->mems[LO(3)];
	bool dw = dm->decl.addr64, sw = sm->decl.addr64;
	uint64_t d = vm_opnd(&fp[LO(1)], dw), s = vm_opnd(&fp[HI(1)], sw);
	uint64_t n = vm_opnd(&fp[LO(2)], dw && sw);
	if (vm_out(d, n, dm->size) || vm_out(s, n, sm->size))
		vm_trap(cx, WR_TRAP_MEMORY_OOB, NULL);
	memmove(dm->base + d, sm->base + s, n);
}

/* memory.init [d|s][n|segment][mem]: a dropped segment has length 0. */
__attribute__((noinline))
static void vm_memory_init(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	wr_memory *m = inst->mems[LO(3)];
	uint64_t d = vm_opnd(&fp[LO(1)], m->decl.addr64);
	uint32_t s = fp[HI(1)].u32, n = fp[LO(2)].u32, seg = HI(2);
	if (vm_out(d, n, m->size) || vm_out(s, n, inst->data_len[seg]))
		vm_trap(cx, WR_TRAP_MEMORY_OOB, NULL);
	memcpy(m->base + d, inst->mod->bytes + inst->mod->datas[seg].off + s, n);
}

/* memory.grow [d|delta][mem]: -1 (of the address width) on failure. The
 * base does not move. */
__attribute__((noinline))
static void vm_memory_grow(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	wr_memory *m = inst->mems[LO(2)];
	bool w = m->decl.addr64;
	int64_t r = mem_grow(m, vm_opnd(&fp[HI(1)], w));
	fp[LO(1)].u64 = w ? (uint64_t)r : (uint32_t)r;
}

/* table.get [d|i][table] */
__attribute__((noinline))
static void vm_table_get(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	const wr_table *t = inst->tables[LO(2)];
	uint64_t i = vm_opnd(&fp[HI(1)], t->type.limits.addr64);
	if (i >= t->size)
		vm_trap(cx, WR_TRAP_TABLE_OOB, NULL);
	fp[LO(1)].u64 = t->elems[i];
}

/* Before an allocation of gc.c: a collection it starts finds the
 * innermost frame at the GC point ip with its slots at fp (see
 * vm_stack_roots; cx->stop_ip is cleared after the allocation). */
static inline void vm_gc_frame(struct vm_ctx *cx, const vm_cell *ip, vm_slot *fp)
{
	cx->stop_ip = ip;
	cx->stop_fp = fp;
}

/* any.convert_extern and extern.convert_any [d|a]: convert (gc.c), which
 * may allocate a box. */
static void vm_convert(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp,
		       bool (*convert)(wr_store *s, uint64_t v, uint64_t *out))
{
	uint64_t r;
	vm_gc_frame(cx, ip, fp);
	bool ok = convert(inst->store, fp[HI(1)].u64, &r);
	cx->stop_ip = NULL;
	if (!ok)
		vm_trap(cx, WR_TRAP_GC_LIMIT, NULL);
	fp[LO(1)].u64 = r;
}

__attribute__((noinline))
static void vm_to_any(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	vm_convert(cx, inst, ip, fp, gc_extern_to_any);
}

__attribute__((noinline))
static void vm_to_extern(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	vm_convert(cx, inst, ip, fp, gc_any_to_extern);
}

/* table.set [i|v][table] */
__attribute__((noinline))
static void vm_table_set(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	wr_table *t = inst->tables[LO(2)];
	uint64_t i = vm_opnd(&fp[LO(1)], t->type.limits.addr64);
	if (i >= t->size)
		vm_trap(cx, WR_TRAP_TABLE_OOB, NULL);
	t->elems[i] = fp[HI(1)].u64;
}

/* table.grow [d|init][n|table]: -1 (of the index width) on failure. */
__attribute__((noinline))
static void vm_table_grow(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	wr_table *t = inst->tables[HI(2)];
	bool w = t->type.limits.addr64;
	int64_t r = tab_grow(t, vm_opnd(&fp[LO(2)], w), fp[HI(1)].u64);
	fp[LO(1)].u64 = w ? (uint64_t)r : (uint32_t)r;
}

/* table.fill [i|v][n|table] */
__attribute__((noinline))
static void vm_table_fill(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	wr_table *t = inst->tables[HI(2)];
	bool w = t->type.limits.addr64;
	uint64_t i = vm_opnd(&fp[LO(1)], w), n = vm_opnd(&fp[LO(2)], w);
	uint64_t v = fp[HI(1)].u64;
	if (vm_out(i, n, t->size))
		vm_trap(cx, WR_TRAP_TABLE_OOB, NULL);
	for (uint64_t k = 0; k < n; k++)
		t->elems[i + k] = v;
}

/* table.copy [d|s][n|dst table][src table]: each index of its table's
 * width, the size i64 only when both tables are 64-bit. */
__attribute__((noinline))
static void vm_table_copy(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	wr_table *dt = inst->tables[HI(2)];
	const wr_table *tsrc = inst->tables[LO(3)];
	bool dw = dt->type.limits.addr64, sw = tsrc->type.limits.addr64;
	uint64_t d = vm_opnd(&fp[LO(1)], dw), s = vm_opnd(&fp[HI(1)], sw);
	uint64_t n = vm_opnd(&fp[LO(2)], dw && sw);
	if (vm_out(d, n, dt->size) || vm_out(s, n, tsrc->size))
		vm_trap(cx, WR_TRAP_TABLE_OOB, NULL);
	memmove(dt->elems + d, tsrc->elems + s, (size_t)n * sizeof(uint64_t));
}

/* table.init [d|s][n|table][segment] */
__attribute__((noinline))
static void vm_table_init(struct vm_ctx *cx, wr_instance *inst, const vm_cell *ip, vm_slot *fp)
{
	wr_table *t = inst->tables[HI(2)];
	uint64_t d = vm_opnd(&fp[LO(1)], t->type.limits.addr64);
	uint32_t s = fp[HI(1)].u32, n = fp[LO(2)].u32, seg = LO(3);
	if (vm_out(d, n, t->size) || vm_out(s, n, inst->elem_len[seg]))
		vm_trap(cx, WR_TRAP_TABLE_OOB, NULL);
	memcpy(t->elems + d, inst->elem_refs[seg] + s, (size_t)n * sizeof(uint64_t));
}

#undef LO
#undef HI

/* ---- dispatch ---- */

/*
 * HANDLER(NAME) starts the code of operation NAME (a row of VM_OPS) and
 * sets len, its length in cells, which the handler's NEXT, branch and
 * immediate accessors use: the compiler folds it into each handler as a
 * constant.
 */
#ifdef WR_OPCOUNT
/*
 * The counting build (`make opcount`, switch dispatch only): every operation
 * run, and every pair and triple of operations run one after the other, are
 * counted; at exit the most frequent go to the file named by $WRUN_OPCOUNT
 * (default stderr). What superinstructions to make is chosen from these.
 */
#ifndef WR_SWITCH_DISPATCH
#error "WR_OPCOUNT needs WR_SWITCH_DISPATCH"
#endif
#define OPC_TRIPLES (1u << 18)
static uint64_t opc_one[VM__COUNT], opc_pair[VM__COUNT][VM__COUNT];
static struct { uint64_t key, n; } opc_tri[OPC_TRIPLES];
static uint32_t opc_prev = VM__COUNT, opc_prev2 = VM__COUNT;
static bool opc_hooked;

static int opc_cmp(const void *a, const void *b)
{
	uint64_t x = ((const uint64_t *)a)[1], y = ((const uint64_t *)b)[1];
	return x < y ? 1 : x > y ? -1 : 0;
}

/* Print the n most frequent of the k (key, count) pairs in v, keys of
 * `ops` operations of 16 bits each. */
static void opc_top(FILE *f, const char *what, uint64_t (*v)[2], size_t k, size_t n, int ops,
		    uint64_t total)
{
	qsort(v, k, sizeof(*v), opc_cmp);
	fprintf(f, "== %s (of %llu)\n", what, (unsigned long long)total);
	for (size_t i = 0; i < k && i < n && v[i][1]; i++) {
		fprintf(f, "%12llu %6.2f%% ", (unsigned long long)v[i][1], 100.0 * (double)v[i][1] / (double)total);
		for (int j = ops - 1; j >= 0; j--)
			fprintf(f, " %s", vm_op_name((enum vm_op)((v[i][0] >> (16 * j)) & 0xffff)));
		fputc('\n', f);
	}
}

static void opc_dump(void)
{
	const char *path = getenv("WRUN_OPCOUNT");
	FILE *f = path && *path ? fopen(path, "w") : stderr;
	uint64_t (*v)[2] = malloc(sizeof(*v) * (size_t)VM__COUNT * VM__COUNT), total = 0;
	size_t k = 0;
	if (!f || !v)
		return;
	for (uint32_t a = 0; a < VM__COUNT; a++) {
		total += opc_one[a];
		if (opc_one[a])
			v[k][0] = a, v[k++][1] = opc_one[a];
	}
	opc_top(f, "operations", v, k, 60, 1, total);
	k = 0;
	for (uint32_t a = 0; a < VM__COUNT; a++)
		for (uint32_t b = 0; b < VM__COUNT; b++)
			if (opc_pair[a][b])
				v[k][0] = (uint64_t)a << 16 | b, v[k++][1] = opc_pair[a][b];
	opc_top(f, "pairs", v, k, 60, 2, total);
	k = 0;
	for (uint32_t i = 0; i < OPC_TRIPLES; i++)
		if (opc_tri[i].n)
			v[k][0] = opc_tri[i].key, v[k++][1] = opc_tri[i].n;
	opc_top(f, "triples (a full table drops the rest)", v, k, 60, 3, total);
	free(v);
	if (f != stderr)
		fclose(f);
}

static void opc_count(uint32_t op)
{
	if (!opc_hooked) {
		opc_hooked = true;
		atexit(opc_dump);
	}
	opc_one[op]++;
	if (opc_prev < VM__COUNT)
		opc_pair[opc_prev][op]++;
	if (opc_prev2 < VM__COUNT) {
		uint64_t key = (uint64_t)opc_prev2 << 32 | (uint64_t)opc_prev << 16 | op;
		for (uint32_t h = (uint32_t)(key * 0x9e3779b97f4a7c15ull >> 46), i = 0; i < 64; i++) {
			h = (h + i) & (OPC_TRIPLES - 1);
			if (opc_tri[h].n == 0 || opc_tri[h].key == key) {
				opc_tri[h].key = key;
				opc_tri[h].n++;
				break;
			}
		}
	}
	opc_prev2 = opc_prev;
	opc_prev = op;
}
#define OPC_COUNT() opc_count(ip->opn);
#else
#define OPC_COUNT()
#endif

#ifdef WR_SWITCH_DISPATCH
#define HANDLER(name) case VM_##name: len = VM_CELLS_##name;
#define DISPATCH() goto dispatch
#define LOOP_BEGIN dispatch: OPC_COUNT() switch (ip->opn) {
#define LOOP_END default: vm_trap(cx, WR_TRAP_UNREACHABLE, "internal error: bad operation"); }
#define LABEL_TABLE static const void *const *const labels = NULL
#else
#define HANDLER(name) L_##name: len = VM_CELLS_##name;
#define DISPATCH() goto *ip->op
#define LOOP_BEGIN DISPATCH(); {
#define LOOP_END }
#define VM_LABEL(name, ...) [VM_##name] = &&L_##name,
#define LABEL_TABLE static const void *const labels[VM__COUNT] = { VM_OPS(VM_LABEL) }
#endif

#define NEXT() do { ip += len; DISPATCH(); } while (0)
#define JUMP(t) do { ip = (t); DISPATCH(); } while (0)
/* A backward branch: the one place besides calls where fuel is charged. */
#define JUMP_BK(t, cost) do { \
	if (unlikely(s->fuel_on)) \
		vm_fuel(cx, (cost)); \
	ip = (t); \
	DISPATCH(); \
} while (0)
/* Conditional branches: to the target in the last cell (forward), or in
 * the one before the cost (backward); else to the next instruction. */
#define JUMP_IF(cond) do { \
	if (cond) \
		ip = ip[len - 1].target; \
	else \
		ip += len; \
	DISPATCH(); \
} while (0)
#define JUMP_BK_IF(cond) do { \
	if (cond) \
		JUMP_BK(ip[len - 2].target, ip[len - 1].u64); \
	NEXT(); \
} while (0)

/* ---- operands ---- */

/* The halves of the operand cells, in layout order: [D|A][B|C][E|-]. */
#define D ip[1].u32[0]
#define A ip[1].u32[1]
#define B ip[2].u32[0]
#define C ip[2].u32[1]
#define E ip[3].u32[0]
#define T(field) __typeof__(fp->field)

/* Writers: every slot write stores 64 bits (see vm_slot). */
#define W32(d, v) (fp[d].u64 = (uint32_t)(v))
#define W64(d, v) (fp[d].u64 = (uint64_t)(v))
#define WF32(d, v) (fp[d].u64 = vm_f32_bits(v))
#define WF64(d, v) (fp[d].f64 = (v))

/* A 64-bit immediate cell read as slot field F (floats from their bits). */
#define IMM_u32(x) ((uint32_t)(x))
#define IMM_i32(x) ((int32_t)(x))
#define IMM_u64(x) ((uint64_t)(x))
#define IMM_i64(x) ((int64_t)(x))
#define IMM_f32(x) vm_bits_f32((uint32_t)(x))
#define IMM_f64(x) vm_bits_f64(x)

/* ---- handler bodies, by layout ---- */

/* [d|a]: a unary operator or conversion of slot field F. */
#define UNOP(F, W, expr) { T(F) a = fp[A].F; W(D, (expr)); NEXT(); }
/* [d|a][b|-] and [d|a][imm]: binary operators. */
#define BINOP(F, W, expr) { T(F) a = fp[A].F, b = fp[B].F; W(D, (expr)); NEXT(); }
#define BINOP_RI(F, W, expr) { T(F) a = fp[A].F, b = IMM_##F(ip[2].u64); W(D, (expr)); NEXT(); }
/* [a|b][tgt], [a|-][imm][tgt] and the backward forms, with [cst] after. */
#define CMP_BR(F, cond) { T(F) a = fp[D].F, b = fp[A].F; JUMP_IF(cond); }
#define CMP_BR_RI(F, cond) { T(F) a = fp[D].F, b = IMM_##F(ip[2].u64); JUMP_IF(cond); }
#define CMP_BR_BK(F, cond) { T(F) a = fp[D].F, b = fp[A].F; JUMP_BK_IF(cond); }
#define CMP_BR_RI_BK(F, cond) { T(F) a = fp[D].F, b = IMM_##F(ip[2].u64); JUMP_BK_IF(cond); }
/* [s|a][y|b][tgt][cst]: s = a + y, then compare s with b; y and b are
 * given as slot reads or constants. */
/* [d|a][b|c][tgt][cst]: the copy d = a, then compare b with c (read after
 * the copy, which may have written one of them). */
#define MOV_CMP_BR_BK(F, cond) { fp[D] = fp[A]; T(F) a = fp[B].F, b = fp[C].F; JUMP_BK_IF(cond); }
#define ADD_CMP_BR_BK(F, y, bv, cond) { uint32_t s_ = fp[A].u32 + (y); fp[D].u64 = s_; \
	T(F) a = (T(F))s_, b = (T(F))(bv); JUMP_BK_IF(cond); }
/* [d|p][off]: a load of memory type MT. */
#define LOAD(MT, W) { MT v; memcpy(&v, mem + (ip[2].u64 + fp[A].u32), sizeof(v)); W(D, v); NEXT(); }
/* [s|a][y|o][d|-]: s = a + y, then a load from s + o. */
#define LOAD_ADD(MT, W, y) { uint32_t s_ = fp[A].u32 + (y); MT v; fp[D].u64 = s_; \
	memcpy(&v, mem + ((uint64_t)s_ + C), sizeof(v)); W(E, v); NEXT(); }
/* [d|x][y|o][l|-]: an i32 load of memory type MT from ((x << l) + y) + o,
 * the two sums in 32 bits as the i32.shl and i32.add would (l < 32). */
#define LOAD_SX(MT, y) { uint32_t s_ = (fp[A].u32 << E) + (y); MT v; \
	memcpy(&v, mem + ((uint64_t)s_ + C), sizeof(v)); W32(D, v); NEXT(); }
/* [d|x][y|o][l|c]: the same from (((x & c) << l) + y) + o. */
#define LOAD_SXA(MT) { uint32_t s_ = ((fp[A].u32 & fp[ip[3].u32[1]].u32) << E) + fp[B].u32; MT v; \
	memcpy(&v, mem + ((uint64_t)s_ + C), sizeof(v)); W32(D, v); NEXT(); }
/* [d|p][o|o']: a load of memory type MT from q + o', q the i32 at p + o. */
#define LOAD_LD(MT, W) { uint32_t q_; MT v; memcpy(&q_, mem + ((uint64_t)B + fp[A].u32), 4); \
	memcpy(&v, mem + ((uint64_t)C + q_), sizeof(v)); W(D, v); NEXT(); }
/* [v|p][off] or [k|p][off]: a store of memory type MT. */
#define STORE(MT, val) { MT v = (MT)(val); memcpy(mem + (ip[2].u64 + fp[A].u32), &v, sizeof(v)); \
	NEXT(); }
/* [s|a][y|o][v|-] or [..][k|-]: s = a + y, then a store at s + o (the sum
 * is written first: the value may be read from the same slot). */
#define STORE_ADD(MT, y, val) { uint32_t s_ = fp[A].u32 + (y); fp[D].u64 = s_; \
	MT v = (MT)(val); memcpy(mem + ((uint64_t)s_ + C), &v, sizeof(v)); NEXT(); }
/* [p|a][b|c][off]: f64 arithmetic stored to memory. */
#define F64_ST(expr) { double v = (expr); memcpy(mem + (ip[3].u64 + fp[D].u32), &v, 8); NEXT(); }
/* [p|a][imm][off][d|-]: the same, the result also written to local d (a
 * local.tee before the store). The address is read before d is written. */
#define F64_STL(expr) { double v = (expr); memcpy(mem + (ip[3].u64 + fp[D].u32), &v, 8); \
	WF64(ip[4].u32[0], v); NEXT(); }
/* [d|p][off][b|-]: f64 arithmetic on the value m just loaded and o. */
#define F64_M(expr) { double m, o = fp[E].f64; memcpy(&m, mem + (ip[2].u64 + fp[A].u32), 8); \
	WF64(D, (expr)); NEXT(); }
/* [d|a][y|o][e|-]: the same, o = e and m loaded from (a + y) + o; the sum
 * itself is not written (the compiler fuses only a temporary one). */
#define F64_MA(y, expr) { double m, o = fp[E].f64; \
	memcpy(&m, mem + ((uint64_t)(uint32_t)(fp[A].u32 + (y)) + C), 8); WF64(D, (expr)); NEXT(); }
/* [d|a][b|k][o|e]: the same, m loaded from ((a + b) + k) + o, the sums in
 * 32 bits; neither is written. */
#define F64_MAA(expr) { double m, o = fp[ip[3].u32[1]].f64; \
	memcpy(&m, mem + ((uint64_t)(uint32_t)(fp[A].u32 + fp[B].u32 + C) + ip[3].u32[0]), 8); \
	WF64(D, (expr)); NEXT(); }
/* [d|p][off][b|-] and [d|a][y|o][e|-]: the same for an i32.add of the
 * value m an i32.load just loaded and o. */
#define I32_M(expr) { uint32_t m, o = fp[E].u32; memcpy(&m, mem + (ip[2].u64 + fp[A].u32), 4); \
	W32(D, (expr)); NEXT(); }
#define I32_MA(y, expr) { uint32_t m, o = fp[E].u32; \
	memcpy(&m, mem + ((uint64_t)(uint32_t)(fp[A].u32 + (y)) + C), 4); W32(D, (expr)); NEXT(); }
/* [a|p][off][tgt]: compare a with m, an i32 loaded from p + off, and
 * branch; [s|a][k|o][b|-][tgt]: s = a + k (written), m loaded from s + o,
 * compare b with it. b is read after s is written, as the program reads
 * it: it may be the local a local.tee just gave the sum. */
#define CMP_BR_M(F, cond) { uint32_t m_; memcpy(&m_, mem + (ip[2].u64 + fp[A].u32), 4); \
	T(F) a = fp[D].F, b = (T(F))m_; JUMP_IF(cond); }
#define CMP_BR_MAI(F, cond) { uint32_t s_ = fp[A].u32 + B, m_; fp[D].u64 = s_; \
	memcpy(&m_, mem + ((uint64_t)s_ + C), 4); T(F) a = fp[E].F, b = (T(F))m_; JUMP_IF(cond); }
#define TEST_BR_M(MT, cond) { MT v; memcpy(&v, mem + (ip[2].u64 + fp[A].u32), sizeof(v)); JUMP_IF(cond); }
/* [d|p][off][mem|w] and [v|p][off][mem|w]: a load or store of a memory
 * the instruction names, any but a 32-bit memory 0 (vm_mem_addr). */
#define LOAD_MEM(MT, W) { MT v; memcpy(&v, vm_mem_addr(cx, inst, &fp[A], ip + 2, sizeof(v)), sizeof(v)); \
	W(D, v); NEXT(); }
#define STORE_MEM(MT, val) { MT v = (MT)(val); \
	memcpy(vm_mem_addr(cx, inst, &fp[A], ip + 2, sizeof(v)), &v, sizeof(v)); NEXT(); }
/* Operations done out of line by a helper taking the instruction. */
#define SLOW(fn) { fn(cx, inst, ip, fp); NEXT(); }

/* A struct or array instruction of gc.c, trapping on its error. */
#define GCOP(call) { int e_ = call; if (unlikely(e_)) vm_gc_trap(cx, e_); NEXT(); }
/* One that allocates (see vm_gc_frame). */
#define GCNEW(call) { vm_gc_frame(cx, ip, fp); \
	int e_ = call; cx->stop_ip = NULL; if (unlikely(e_)) vm_gc_trap(cx, e_); NEXT(); }

__attribute__((noinline, noreturn))
static void vm_gc_trap(struct vm_ctx *cx, int e)
{
	switch (e) {
	case GC_E_NULL_STRUCT: vm_trap(cx, WR_TRAP_NULL_REFERENCE, "null structure reference");
	case GC_E_NULL_ARRAY: vm_trap(cx, WR_TRAP_NULL_REFERENCE, "null array reference");
	case GC_E_ARRAY_OOB: vm_trap(cx, WR_TRAP_MEMORY_OOB, "out of bounds array access");
	case GC_E_MEM_OOB: vm_trap(cx, WR_TRAP_MEMORY_OOB, NULL);
	case GC_E_TABLE_OOB: vm_trap(cx, WR_TRAP_TABLE_OOB, NULL);
	default: vm_trap(cx, WR_TRAP_GC_LIMIT, NULL);
	}
}

static const void *const *vm_table;
/* Where the first frame of a vm_call returns to: an EXIT instruction. */
static vm_cell vm_exit[1];

/*
 * Run threaded code from ip with the frame at fp, in instance inst, until
 * the frame cx->fr_base returns. Called with cx == NULL once, to publish the
 * dispatch table.
 *
 * One HANDLER per row of VM_OPS, in the table's order (families together,
 * the hot ones first); the SIMD ones are in
 * interp_simd.h.
 */
__attribute__((noinline, noclone))
static wr_trapkind vm_run(struct vm_ctx *cx, const vm_cell *ip, vm_slot *fp, wr_instance *inst)
{
	LABEL_TABLE;
	if (!cx) {
		__atomic_store_n(&vm_table, labels, __ATOMIC_RELEASE);
		return WR_OK;
	}
	wr_store *s = cx->s;
	struct vm_frame *fr; /* scratch: the innermost frame lives in cx->fr */
	struct vm_frame *const fr_end = cx->fr_end;
	vm_slot *const slot_end = cx->st->slot_end;
	uint8_t *mem = vm_membase(inst);
	size_t len; /* the length of the current instruction: see HANDLER */
	const struct vm_code *cd;
	wr_func *callee;
	vm_slot *nfp;

	LOOP_BEGIN

	/* ---- integer arithmetic, register and immediate forms ---- */
	HANDLER(I32_ADD)                  BINOP(u32, W32, a + b)
	HANDLER(I32_ADD_RI)               BINOP_RI(u32, W32, a + b)
	HANDLER(I32_SUB)                  BINOP(u32, W32, a - b)
	HANDLER(I32_SUB_RI)               BINOP_RI(u32, W32, a - b)
	HANDLER(I32_MUL)                  BINOP(u32, W32, a * b)
	HANDLER(I32_MUL_RI)               BINOP_RI(u32, W32, a * b)
	/* [d|a][imm][b|-]: a * k + b */
	HANDLER(I32_MULADD_RI)            { W32(D, fp[A].u32 * (uint32_t)ip[2].u64 + fp[E].u32); NEXT(); }
	HANDLER(I32_DIV_S)                BINOP(u32, W32, vm_i32_div_s(cx, a, b))
	HANDLER(I32_DIV_S_RI)             BINOP_RI(u32, W32, vm_i32_div_s(cx, a, b))
	HANDLER(I32_DIV_U)                BINOP(u32, W32, vm_i32_div_u(cx, a, b))
	HANDLER(I32_DIV_U_RI)             BINOP_RI(u32, W32, vm_i32_div_u(cx, a, b))
	HANDLER(I32_REM_S)                BINOP(u32, W32, vm_i32_rem_s(cx, a, b))
	HANDLER(I32_REM_S_RI)             BINOP_RI(u32, W32, vm_i32_rem_s(cx, a, b))
	HANDLER(I32_REM_U)                BINOP(u32, W32, vm_i32_rem_u(cx, a, b))
	HANDLER(I32_REM_U_RI)             BINOP_RI(u32, W32, vm_i32_rem_u(cx, a, b))
	HANDLER(I32_AND)                  BINOP(u32, W32, a & b)
	HANDLER(I32_AND_RI)               BINOP_RI(u32, W32, a & b)
	HANDLER(I32_OR)                   BINOP(u32, W32, a | b)
	HANDLER(I32_OR_RI)                BINOP_RI(u32, W32, a | b)
	HANDLER(I32_XOR)                  BINOP(u32, W32, a ^ b)
	HANDLER(I32_XOR_RI)               BINOP_RI(u32, W32, a ^ b)
	HANDLER(I32_SHL)                  BINOP(u32, W32, a << (b & 31))
	HANDLER(I32_XOR_ROTL)             { uint32_t x = fp[B].u32, l = C; \
	                                    W32(D, fp[A].u32 ^ (x << l | x >> ((32 - l) & 31))); NEXT(); }
	HANDLER(I32_SHL_RI)               BINOP_RI(u32, W32, a << (b & 31))
	HANDLER(I32_SHR_S)                BINOP(u32, W32, (uint32_t)((int32_t)a >> (b & 31)))
	HANDLER(I32_SHR_S_RI)             BINOP_RI(u32, W32, (uint32_t)((int32_t)a >> (b & 31)))
	HANDLER(I32_SHR_U)                BINOP(u32, W32, a >> (b & 31))
	HANDLER(I32_SHR_U_RI)             BINOP_RI(u32, W32, a >> (b & 31))
	HANDLER(I32_ROTL)                 BINOP(u32, W32, vm_rotl32(a, b))
	HANDLER(I32_ROTL_RI)              BINOP_RI(u32, W32, vm_rotl32(a, b))
	HANDLER(I32_ROTR)                 BINOP(u32, W32, vm_rotr32(a, b))
	HANDLER(I32_ROTR_RI)              BINOP_RI(u32, W32, vm_rotr32(a, b))
	HANDLER(I64_ADD)                  BINOP(u64, W64, a + b)
	HANDLER(I64_ADD_RI)               BINOP_RI(u64, W64, a + b)
	HANDLER(I64_SUB)                  BINOP(u64, W64, a - b)
	HANDLER(I64_SUB_RI)               BINOP_RI(u64, W64, a - b)
	HANDLER(I64_MUL)                  BINOP(u64, W64, a * b)
	HANDLER(I64_MUL_RI)               BINOP_RI(u64, W64, a * b)
	HANDLER(I64_DIV_S)                BINOP(u64, W64, vm_i64_div_s(cx, a, b))
	HANDLER(I64_DIV_S_RI)             BINOP_RI(u64, W64, vm_i64_div_s(cx, a, b))
	HANDLER(I64_DIV_U)                BINOP(u64, W64, vm_i64_div_u(cx, a, b))
	HANDLER(I64_DIV_U_RI)             BINOP_RI(u64, W64, vm_i64_div_u(cx, a, b))
	HANDLER(I64_REM_S)                BINOP(u64, W64, vm_i64_rem_s(cx, a, b))
	HANDLER(I64_REM_S_RI)             BINOP_RI(u64, W64, vm_i64_rem_s(cx, a, b))
	HANDLER(I64_REM_U)                BINOP(u64, W64, vm_i64_rem_u(cx, a, b))
	HANDLER(I64_REM_U_RI)             BINOP_RI(u64, W64, vm_i64_rem_u(cx, a, b))
	HANDLER(I64_AND)                  BINOP(u64, W64, a & b)
	HANDLER(I64_AND_RI)               BINOP_RI(u64, W64, a & b)
	HANDLER(I64_OR)                   BINOP(u64, W64, a | b)
	HANDLER(I64_OR_RI)                BINOP_RI(u64, W64, a | b)
	HANDLER(I64_XOR)                  BINOP(u64, W64, a ^ b)
	HANDLER(I64_XOR_RI)               BINOP_RI(u64, W64, a ^ b)
	HANDLER(I64_SHL)                  BINOP(u64, W64, a << (b & 63))
	HANDLER(I64_SHL_RI)               BINOP_RI(u64, W64, a << (b & 63))
	HANDLER(I64_SHR_S)                BINOP(u64, W64, (uint64_t)((int64_t)a >> (b & 63)))
	HANDLER(I64_SHR_S_RI)             BINOP_RI(u64, W64, (uint64_t)((int64_t)a >> (b & 63)))
	HANDLER(I64_SHR_U)                BINOP(u64, W64, a >> (b & 63))
	HANDLER(I64_SHR_U_RI)             BINOP_RI(u64, W64, a >> (b & 63))
	HANDLER(I64_ROTL)                 BINOP(u64, W64, vm_rotl64(a, b))
	HANDLER(I64_ROTL_RI)              BINOP_RI(u64, W64, vm_rotl64(a, b))
	HANDLER(I64_ROTR)                 BINOP(u64, W64, vm_rotr64(a, b))
	HANDLER(I64_ROTR_RI)              BINOP_RI(u64, W64, vm_rotr64(a, b))

	/* ---- i32 compare-and-branch on a value just loaded (issue 16's
	 * loop work; placed here, apart from its rows, because here it added
	 * assembler padding to no bench program's hot handlers) ---- */
	HANDLER(BR_I32_EQ_M)              CMP_BR_M(u32, a == b)
	HANDLER(BR_I32_NE_M)              CMP_BR_M(u32, a != b)
	HANDLER(BR_I32_LT_S_M)            CMP_BR_M(i32, a < b)
	HANDLER(BR_I32_LT_U_M)            CMP_BR_M(u32, a < b)
	HANDLER(BR_I32_GT_S_M)            CMP_BR_M(i32, a > b)
	HANDLER(BR_I32_GT_U_M)            CMP_BR_M(u32, a > b)
	HANDLER(BR_I32_LE_S_M)            CMP_BR_M(i32, a <= b)
	HANDLER(BR_I32_LE_U_M)            CMP_BR_M(u32, a <= b)
	HANDLER(BR_I32_GE_S_M)            CMP_BR_M(i32, a >= b)
	HANDLER(BR_I32_GE_U_M)            CMP_BR_M(u32, a >= b)
	HANDLER(BR_I32_EQ_MAI)            CMP_BR_MAI(u32, a == b)
	HANDLER(BR_I32_NE_MAI)            CMP_BR_MAI(u32, a != b)
	HANDLER(BR_I32_LT_S_MAI)          CMP_BR_MAI(i32, a < b)
	HANDLER(BR_I32_LT_U_MAI)          CMP_BR_MAI(u32, a < b)
	HANDLER(BR_I32_GT_S_MAI)          CMP_BR_MAI(i32, a > b)
	HANDLER(BR_I32_GT_U_MAI)          CMP_BR_MAI(u32, a > b)
	HANDLER(BR_I32_LE_S_MAI)          CMP_BR_MAI(i32, a <= b)
	HANDLER(BR_I32_LE_U_MAI)          CMP_BR_MAI(u32, a <= b)
	HANDLER(BR_I32_GE_S_MAI)          CMP_BR_MAI(i32, a >= b)
	HANDLER(BR_I32_GE_U_MAI)          CMP_BR_MAI(u32, a >= b)
	/* ---- integer comparisons, and compare-and-branch ---- */
	HANDLER(I32_EQ)                   BINOP(u32, W32, a == b)
	HANDLER(I32_EQ_RI)                BINOP_RI(u32, W32, a == b)
	HANDLER(BR_I32_EQ)                CMP_BR(u32, a == b)
	HANDLER(BR_I32_EQ_BK)             CMP_BR_BK(u32, a == b)
	HANDLER(BR_I32_EQ_RI)             CMP_BR_RI(u32, a == b)
	HANDLER(BR_I32_EQ_RI_BK)          CMP_BR_RI_BK(u32, a == b)
	HANDLER(I32_NE)                   BINOP(u32, W32, a != b)
	HANDLER(I32_NE_RI)                BINOP_RI(u32, W32, a != b)
	HANDLER(BR_I32_NE)                CMP_BR(u32, a != b)
	HANDLER(BR_I32_NE_BK)             CMP_BR_BK(u32, a != b)
	HANDLER(BR_I32_NE_RI)             CMP_BR_RI(u32, a != b)
	HANDLER(BR_I32_NE_RI_BK)          CMP_BR_RI_BK(u32, a != b)
	HANDLER(I32_LT_S)                 BINOP(i32, W32, a < b)
	HANDLER(I32_LT_S_RI)              BINOP_RI(i32, W32, a < b)
	HANDLER(BR_I32_LT_S)              CMP_BR(i32, a < b)
	HANDLER(BR_I32_LT_S_BK)           CMP_BR_BK(i32, a < b)
	HANDLER(BR_I32_LT_S_RI)           CMP_BR_RI(i32, a < b)
	HANDLER(BR_I32_LT_S_RI_BK)        CMP_BR_RI_BK(i32, a < b)
	HANDLER(I32_LT_U)                 BINOP(u32, W32, a < b)
	HANDLER(I32_LT_U_RI)              BINOP_RI(u32, W32, a < b)
	HANDLER(BR_I32_LT_U)              CMP_BR(u32, a < b)
	HANDLER(BR_I32_LT_U_BK)           CMP_BR_BK(u32, a < b)
	HANDLER(BR_I32_LT_U_RI)           CMP_BR_RI(u32, a < b)
	HANDLER(BR_I32_LT_U_RI_BK)        CMP_BR_RI_BK(u32, a < b)
	HANDLER(I32_GT_S)                 BINOP(i32, W32, a > b)
	HANDLER(I32_GT_S_RI)              BINOP_RI(i32, W32, a > b)
	HANDLER(BR_I32_GT_S)              CMP_BR(i32, a > b)
	HANDLER(BR_I32_GT_S_BK)           CMP_BR_BK(i32, a > b)
	HANDLER(BR_I32_GT_S_RI)           CMP_BR_RI(i32, a > b)
	HANDLER(BR_I32_GT_S_RI_BK)        CMP_BR_RI_BK(i32, a > b)
	HANDLER(I32_GT_U)                 BINOP(u32, W32, a > b)
	HANDLER(I32_GT_U_RI)              BINOP_RI(u32, W32, a > b)
	HANDLER(BR_I32_GT_U)              CMP_BR(u32, a > b)
	HANDLER(BR_I32_GT_U_BK)           CMP_BR_BK(u32, a > b)
	HANDLER(BR_I32_GT_U_RI)           CMP_BR_RI(u32, a > b)
	HANDLER(BR_I32_GT_U_RI_BK)        CMP_BR_RI_BK(u32, a > b)
	HANDLER(I32_LE_S)                 BINOP(i32, W32, a <= b)
	HANDLER(I32_LE_S_RI)              BINOP_RI(i32, W32, a <= b)
	HANDLER(BR_I32_LE_S)              CMP_BR(i32, a <= b)
	HANDLER(BR_I32_LE_S_BK)           CMP_BR_BK(i32, a <= b)
	HANDLER(BR_I32_LE_S_RI)           CMP_BR_RI(i32, a <= b)
	HANDLER(BR_I32_LE_S_RI_BK)        CMP_BR_RI_BK(i32, a <= b)
	HANDLER(I32_LE_U)                 BINOP(u32, W32, a <= b)
	HANDLER(I32_LE_U_RI)              BINOP_RI(u32, W32, a <= b)
	HANDLER(BR_I32_LE_U)              CMP_BR(u32, a <= b)
	HANDLER(BR_I32_LE_U_BK)           CMP_BR_BK(u32, a <= b)
	HANDLER(BR_I32_LE_U_RI)           CMP_BR_RI(u32, a <= b)
	HANDLER(BR_I32_LE_U_RI_BK)        CMP_BR_RI_BK(u32, a <= b)
	HANDLER(I32_GE_S)                 BINOP(i32, W32, a >= b)
	HANDLER(I32_GE_S_RI)              BINOP_RI(i32, W32, a >= b)
	HANDLER(BR_I32_GE_S)              CMP_BR(i32, a >= b)
	HANDLER(BR_I32_GE_S_BK)           CMP_BR_BK(i32, a >= b)
	HANDLER(BR_I32_GE_S_RI)           CMP_BR_RI(i32, a >= b)
	HANDLER(BR_I32_GE_S_RI_BK)        CMP_BR_RI_BK(i32, a >= b)
	HANDLER(I32_GE_U)                 BINOP(u32, W32, a >= b)
	HANDLER(I32_GE_U_RI)              BINOP_RI(u32, W32, a >= b)
	HANDLER(BR_I32_GE_U)              CMP_BR(u32, a >= b)
	HANDLER(BR_I32_GE_U_BK)           CMP_BR_BK(u32, a >= b)
	HANDLER(BR_I32_GE_U_RI)           CMP_BR_RI(u32, a >= b)
	HANDLER(BR_I32_GE_U_RI_BK)        CMP_BR_RI_BK(u32, a >= b)
	HANDLER(I64_EQ)                   BINOP(u64, W32, a == b)
	HANDLER(I64_EQ_RI)                BINOP_RI(u64, W32, a == b)
	HANDLER(BR_I64_EQ)                CMP_BR(u64, a == b)
	HANDLER(BR_I64_EQ_BK)             CMP_BR_BK(u64, a == b)
	HANDLER(BR_I64_EQ_RI)             CMP_BR_RI(u64, a == b)
	HANDLER(BR_I64_EQ_RI_BK)          CMP_BR_RI_BK(u64, a == b)
	HANDLER(I64_NE)                   BINOP(u64, W32, a != b)
	HANDLER(I64_NE_RI)                BINOP_RI(u64, W32, a != b)
	HANDLER(BR_I64_NE)                CMP_BR(u64, a != b)
	HANDLER(BR_I64_NE_BK)             CMP_BR_BK(u64, a != b)
	HANDLER(BR_I64_NE_RI)             CMP_BR_RI(u64, a != b)
	HANDLER(BR_I64_NE_RI_BK)          CMP_BR_RI_BK(u64, a != b)
	HANDLER(I64_LT_S)                 BINOP(i64, W32, a < b)
	HANDLER(I64_LT_S_RI)              BINOP_RI(i64, W32, a < b)
	HANDLER(BR_I64_LT_S)              CMP_BR(i64, a < b)
	HANDLER(BR_I64_LT_S_BK)           CMP_BR_BK(i64, a < b)
	HANDLER(BR_I64_LT_S_RI)           CMP_BR_RI(i64, a < b)
	HANDLER(BR_I64_LT_S_RI_BK)        CMP_BR_RI_BK(i64, a < b)
	HANDLER(I64_LT_U)                 BINOP(u64, W32, a < b)
	HANDLER(I64_LT_U_RI)              BINOP_RI(u64, W32, a < b)
	HANDLER(BR_I64_LT_U)              CMP_BR(u64, a < b)
	HANDLER(BR_I64_LT_U_BK)           CMP_BR_BK(u64, a < b)
	HANDLER(BR_I64_LT_U_RI)           CMP_BR_RI(u64, a < b)
	HANDLER(BR_I64_LT_U_RI_BK)        CMP_BR_RI_BK(u64, a < b)
	HANDLER(I64_GT_S)                 BINOP(i64, W32, a > b)
	HANDLER(I64_GT_S_RI)              BINOP_RI(i64, W32, a > b)
	HANDLER(BR_I64_GT_S)              CMP_BR(i64, a > b)
	HANDLER(BR_I64_GT_S_BK)           CMP_BR_BK(i64, a > b)
	HANDLER(BR_I64_GT_S_RI)           CMP_BR_RI(i64, a > b)
	HANDLER(BR_I64_GT_S_RI_BK)        CMP_BR_RI_BK(i64, a > b)
	HANDLER(I64_GT_U)                 BINOP(u64, W32, a > b)
	HANDLER(I64_GT_U_RI)              BINOP_RI(u64, W32, a > b)
	HANDLER(BR_I64_GT_U)              CMP_BR(u64, a > b)
	HANDLER(BR_I64_GT_U_BK)           CMP_BR_BK(u64, a > b)
	HANDLER(BR_I64_GT_U_RI)           CMP_BR_RI(u64, a > b)
	HANDLER(BR_I64_GT_U_RI_BK)        CMP_BR_RI_BK(u64, a > b)
	HANDLER(I64_LE_S)                 BINOP(i64, W32, a <= b)
	HANDLER(I64_LE_S_RI)              BINOP_RI(i64, W32, a <= b)
	HANDLER(BR_I64_LE_S)              CMP_BR(i64, a <= b)
	HANDLER(BR_I64_LE_S_BK)           CMP_BR_BK(i64, a <= b)
	HANDLER(BR_I64_LE_S_RI)           CMP_BR_RI(i64, a <= b)
	HANDLER(BR_I64_LE_S_RI_BK)        CMP_BR_RI_BK(i64, a <= b)
	HANDLER(I64_LE_U)                 BINOP(u64, W32, a <= b)
	HANDLER(I64_LE_U_RI)              BINOP_RI(u64, W32, a <= b)
	HANDLER(BR_I64_LE_U)              CMP_BR(u64, a <= b)
	HANDLER(BR_I64_LE_U_BK)           CMP_BR_BK(u64, a <= b)
	HANDLER(BR_I64_LE_U_RI)           CMP_BR_RI(u64, a <= b)
	HANDLER(BR_I64_LE_U_RI_BK)        CMP_BR_RI_BK(u64, a <= b)
	HANDLER(I64_GE_S)                 BINOP(i64, W32, a >= b)
	HANDLER(I64_GE_S_RI)              BINOP_RI(i64, W32, a >= b)
	HANDLER(BR_I64_GE_S)              CMP_BR(i64, a >= b)
	HANDLER(BR_I64_GE_S_BK)           CMP_BR_BK(i64, a >= b)
	HANDLER(BR_I64_GE_S_RI)           CMP_BR_RI(i64, a >= b)
	HANDLER(BR_I64_GE_S_RI_BK)        CMP_BR_RI_BK(i64, a >= b)
	HANDLER(I64_GE_U)                 BINOP(u64, W32, a >= b)
	HANDLER(I64_GE_U_RI)              BINOP_RI(u64, W32, a >= b)
	HANDLER(BR_I64_GE_U)              CMP_BR(u64, a >= b)
	HANDLER(BR_I64_GE_U_BK)           CMP_BR_BK(u64, a >= b)
	HANDLER(BR_I64_GE_U_RI)           CMP_BR_RI(u64, a >= b)
	HANDLER(BR_I64_GE_U_RI_BK)        CMP_BR_RI_BK(u64, a >= b)

	/* ---- float comparisons, min, max and copysign ---- */
	HANDLER(F32_EQ)                   BINOP(f32, W32, a == b)
	HANDLER(F32_NE)                   BINOP(f32, W32, a != b)
	HANDLER(F32_LT)                   BINOP(f32, W32, a < b)
	HANDLER(F32_GT)                   BINOP(f32, W32, a > b)
	HANDLER(F32_LE)                   BINOP(f32, W32, a <= b)
	HANDLER(F32_GE)                   BINOP(f32, W32, a >= b)
	HANDLER(F64_EQ)                   BINOP(f64, W32, a == b)
	HANDLER(F64_NE)                   BINOP(f64, W32, a != b)
	HANDLER(F64_LT)                   BINOP(f64, W32, a < b)
	HANDLER(F64_GT)                   BINOP(f64, W32, a > b)
	HANDLER(F64_LE)                   BINOP(f64, W32, a <= b)
	HANDLER(F64_GE)                   BINOP(f64, W32, a >= b)
	HANDLER(F32_MIN)                  BINOP(f32, WF32, vm_f32_min(a, b))
	HANDLER(F32_MAX)                  BINOP(f32, WF32, vm_f32_max(a, b))
	HANDLER(F32_COPYSIGN)             BINOP(u32, W32, (a & 0x7fffffffu) | (b & 0x80000000u))
	HANDLER(F64_MIN)                  BINOP(f64, WF64, vm_f64_min(a, b))
	HANDLER(F64_MAX)                  BINOP(f64, WF64, vm_f64_max(a, b))
	HANDLER(F64_COPYSIGN)             BINOP(u64, W64, (a & 0x7fffffffffffffffull) | (b & 0x8000000000000000ull))

	/* ---- float arithmetic, register and immediate forms ---- */
	HANDLER(F32_ADD)                  BINOP(f32, WF32, a + b)
	HANDLER(F32_ADD_RI)               BINOP_RI(f32, WF32, a + b)
	HANDLER(F32_SUB)                  BINOP(f32, WF32, a - b)
	HANDLER(F32_SUB_RI)               BINOP_RI(f32, WF32, a - b)
	HANDLER(F32_MUL)                  BINOP(f32, WF32, a * b)
	HANDLER(F32_MUL_RI)               BINOP_RI(f32, WF32, a * b)
	HANDLER(F32_DIV)                  BINOP(f32, WF32, a / b)
	HANDLER(F32_DIV_RI)               BINOP_RI(f32, WF32, a / b)
	HANDLER(F64_ADD)                  BINOP(f64, WF64, a + b)
	HANDLER(F64_ADD_RI)               BINOP_RI(f64, WF64, a + b)
	HANDLER(F64_SUB)                  BINOP(f64, WF64, a - b)
	HANDLER(F64_SUB_RI)               BINOP_RI(f64, WF64, a - b)
	HANDLER(F64_MUL)                  BINOP(f64, WF64, a * b)
	HANDLER(F64_MUL_RI)               BINOP_RI(f64, WF64, a * b)
	HANDLER(F64_DIV)                  BINOP(f64, WF64, a / b)
	HANDLER(F64_DIV_RI)               BINOP_RI(f64, WF64, a / b)

	/* ---- unary operators and conversions ---- */
	HANDLER(I32_EQZ)                  UNOP(u32, W32, a == 0)
	HANDLER(I64_EQZ)                  UNOP(u64, W32, a == 0)
	HANDLER(I32_CLZ)                  UNOP(u32, W32, vm_clz32(a))
	HANDLER(I32_CTZ)                  UNOP(u32, W32, vm_ctz32(a))
	HANDLER(I32_POPCNT)               UNOP(u32, W32, __builtin_popcount(a))
	HANDLER(I64_CLZ)                  UNOP(u64, W64, vm_clz64(a))
	HANDLER(I64_CTZ)                  UNOP(u64, W64, vm_ctz64(a))
	HANDLER(I64_POPCNT)               UNOP(u64, W64, __builtin_popcountll(a))
	HANDLER(F32_ABS)                  UNOP(u32, W32, a & 0x7fffffffu)
	HANDLER(F32_NEG)                  UNOP(u32, W32, a ^ 0x80000000u)
	HANDLER(F32_CEIL)                 UNOP(f32, WF32, vm_f32_round(a, ceilf))
	HANDLER(F32_FLOOR)                UNOP(f32, WF32, vm_f32_round(a, floorf))
	HANDLER(F32_TRUNC)                UNOP(f32, WF32, vm_f32_round(a, truncf))
	HANDLER(F32_NEAREST)              UNOP(f32, WF32, vm_f32_round(a, rintf))
	HANDLER(F32_SQRT)                 UNOP(f32, WF32, sqrtf(a))
	HANDLER(F64_ABS)                  UNOP(u64, W64, a & 0x7fffffffffffffffull)
	HANDLER(F64_NEG)                  UNOP(u64, W64, a ^ 0x8000000000000000ull)
	HANDLER(F64_CEIL)                 UNOP(f64, WF64, vm_f64_round(a, ceil))
	HANDLER(F64_FLOOR)                UNOP(f64, WF64, vm_f64_round(a, floor))
	HANDLER(F64_TRUNC)                UNOP(f64, WF64, vm_f64_round(a, trunc))
	HANDLER(F64_NEAREST)              UNOP(f64, WF64, vm_f64_round(a, rint))
	HANDLER(F64_SQRT)                 UNOP(f64, WF64, sqrt(a))
	HANDLER(I32_WRAP_I64)             UNOP(u64, W32, a)
	HANDLER(I32_TRUNC_F32_S)          UNOP(f32, W32, vm_trunc_i32_s(cx, a))
	HANDLER(I32_TRUNC_F32_U)          UNOP(f32, W32, vm_trunc_i32_u(cx, a))
	HANDLER(I32_TRUNC_F64_S)          UNOP(f64, W32, vm_trunc_i32_s(cx, a))
	HANDLER(I32_TRUNC_F64_U)          UNOP(f64, W32, vm_trunc_i32_u(cx, a))
	HANDLER(I64_EXTEND_I32_S)         UNOP(u32, W64, (int64_t)(int32_t)a)
	HANDLER(I64_EXTEND_I32_U)         UNOP(u32, W64, a)
	HANDLER(I64_TRUNC_F32_S)          UNOP(f32, W64, vm_trunc_i64_s(cx, a))
	HANDLER(I64_TRUNC_F32_U)          UNOP(f32, W64, vm_trunc_i64_u(cx, a))
	HANDLER(I64_TRUNC_F64_S)          UNOP(f64, W64, vm_trunc_i64_s(cx, a))
	HANDLER(I64_TRUNC_F64_U)          UNOP(f64, W64, vm_trunc_i64_u(cx, a))
	HANDLER(F32_CONVERT_I32_S)        UNOP(u32, WF32, (float)(int32_t)a)
	HANDLER(F32_CONVERT_I32_U)        UNOP(u32, WF32, (float)a)
	HANDLER(F32_CONVERT_I64_S)        UNOP(u64, WF32, (float)(int64_t)a)
	HANDLER(F32_CONVERT_I64_U)        UNOP(u64, WF32, (float)a)
	HANDLER(F32_DEMOTE_F64)           UNOP(f64, WF32, (float)a)
	HANDLER(F64_CONVERT_I32_S)        UNOP(u32, WF64, (double)(int32_t)a)
	HANDLER(F64_CONVERT_I32_U)        UNOP(u32, WF64, (double)a)
	HANDLER(F64_CONVERT_I64_S)        UNOP(u64, WF64, (double)(int64_t)a)
	HANDLER(F64_CONVERT_I64_U)        UNOP(u64, WF64, (double)a)
	HANDLER(F64_PROMOTE_F32)          UNOP(f32, WF64, (double)a)
	HANDLER(I32_REINTERPRET_F32)      UNOP(u32, W32, a)
	HANDLER(I64_REINTERPRET_F64)      UNOP(u64, W64, a)
	HANDLER(F32_REINTERPRET_I32)      UNOP(u32, W32, a)
	HANDLER(F64_REINTERPRET_I64)      UNOP(u64, W64, a)
	HANDLER(I32_EXTEND8_S)            UNOP(u32, W32, (int32_t)(int8_t)a)
	HANDLER(I32_EXTEND16_S)           UNOP(u32, W32, (int32_t)(int16_t)a)
	HANDLER(I64_EXTEND8_S)            UNOP(u64, W64, (int64_t)(int8_t)a)
	HANDLER(I64_EXTEND16_S)           UNOP(u64, W64, (int64_t)(int16_t)a)
	HANDLER(I64_EXTEND32_S)           UNOP(u64, W64, (int64_t)(int32_t)a)
	HANDLER(I32_TRUNC_SAT_F32_S)      UNOP(f32, W32, vm_sat_i32_s(a))
	HANDLER(I32_TRUNC_SAT_F32_U)      UNOP(f32, W32, vm_sat_i32_u(a))
	HANDLER(I32_TRUNC_SAT_F64_S)      UNOP(f64, W32, vm_sat_i32_s(a))
	HANDLER(I32_TRUNC_SAT_F64_U)      UNOP(f64, W32, vm_sat_i32_u(a))
	HANDLER(I64_TRUNC_SAT_F32_S)      UNOP(f32, W64, vm_sat_i64_s(a))
	HANDLER(I64_TRUNC_SAT_F32_U)      UNOP(f32, W64, vm_sat_i64_u(a))
	HANDLER(I64_TRUNC_SAT_F64_S)      UNOP(f64, W64, vm_sat_i64_s(a))
	HANDLER(I64_TRUNC_SAT_F64_U)      UNOP(f64, W64, vm_sat_i64_u(a))
	HANDLER(REF_IS_NULL)              UNOP(u64, W32, a == 0)

	/* ---- loads, alone or with the i32.add that computed the address ---- */
	HANDLER(I32_LOAD)                 LOAD(uint32_t, W32)
	HANDLER(I32_LOAD_ADD)             LOAD_ADD(uint32_t, W32, fp[B].u32)
	HANDLER(I32_LOAD_ADDI)            LOAD_ADD(uint32_t, W32, B)
	HANDLER(I64_LOAD)                 LOAD(uint64_t, W64)
	HANDLER(I64_LOAD_ADD)             LOAD_ADD(uint64_t, W64, fp[B].u32)
	HANDLER(I64_LOAD_ADDI)            LOAD_ADD(uint64_t, W64, B)
	HANDLER(F32_LOAD)                 LOAD(uint32_t, W32)
	HANDLER(F32_LOAD_ADD)             LOAD_ADD(uint32_t, W32, fp[B].u32)
	HANDLER(F32_LOAD_ADDI)            LOAD_ADD(uint32_t, W32, B)
	HANDLER(F64_LOAD)                 LOAD(uint64_t, W64)
	HANDLER(F64_LOAD_ADD)             LOAD_ADD(uint64_t, W64, fp[B].u32)
	HANDLER(F64_LOAD_ADDI)            LOAD_ADD(uint64_t, W64, B)
	HANDLER(I32_LOAD_SX)              LOAD_SX(uint32_t, fp[B].u32)
	HANDLER(I32_LOAD_SXI)             LOAD_SX(uint32_t, B)
	HANDLER(I32_LOAD8_U_SX)           LOAD_SX(uint8_t, fp[B].u32)
	HANDLER(I32_LOAD8_U_SXI)          LOAD_SX(uint8_t, B)
	HANDLER(I32_LOAD16_U_SX)          LOAD_SX(uint16_t, fp[B].u32)
	HANDLER(I32_LOAD16_U_SXI)         LOAD_SX(uint16_t, B)
	HANDLER(I32_LOAD_SXA)             LOAD_SXA(uint32_t)
	HANDLER(I32_LOAD16_U_SXA)         LOAD_SXA(uint16_t)
	HANDLER(I32_LOAD_LD)              LOAD_LD(uint32_t, W32)
	HANDLER(I64_LOAD_LD)              LOAD_LD(uint64_t, W64)
	HANDLER(I32_LOAD8_U_LD)           LOAD_LD(uint8_t, W32)
	HANDLER(I32_LOAD16_U_LD)          LOAD_LD(uint16_t, W32)
	HANDLER(I32_LOAD8_S)              LOAD(int8_t, W32)
	HANDLER(I32_LOAD8_S_ADD)          LOAD_ADD(int8_t, W32, fp[B].u32)
	HANDLER(I32_LOAD8_S_ADDI)         LOAD_ADD(int8_t, W32, B)
	HANDLER(I32_LOAD8_U)              LOAD(uint8_t, W32)
	HANDLER(I32_LOAD8_U_ADD)          LOAD_ADD(uint8_t, W32, fp[B].u32)
	HANDLER(I32_LOAD8_U_ADDI)         LOAD_ADD(uint8_t, W32, B)
	HANDLER(I32_LOAD16_S)             LOAD(int16_t, W32)
	HANDLER(I32_LOAD16_S_ADD)         LOAD_ADD(int16_t, W32, fp[B].u32)
	HANDLER(I32_LOAD16_S_ADDI)        LOAD_ADD(int16_t, W32, B)
	HANDLER(I32_LOAD16_U)             LOAD(uint16_t, W32)
	HANDLER(I32_LOAD16_U_ADD)         LOAD_ADD(uint16_t, W32, fp[B].u32)
	HANDLER(I32_LOAD16_U_ADDI)        LOAD_ADD(uint16_t, W32, B)
	HANDLER(I64_LOAD8_S)              LOAD(int8_t, W64)
	HANDLER(I64_LOAD8_S_ADD)          LOAD_ADD(int8_t, W64, fp[B].u32)
	HANDLER(I64_LOAD8_S_ADDI)         LOAD_ADD(int8_t, W64, B)
	HANDLER(I64_LOAD8_U)              LOAD(uint8_t, W64)
	HANDLER(I64_LOAD8_U_ADD)          LOAD_ADD(uint8_t, W64, fp[B].u32)
	HANDLER(I64_LOAD8_U_ADDI)         LOAD_ADD(uint8_t, W64, B)
	HANDLER(I64_LOAD16_S)             LOAD(int16_t, W64)
	HANDLER(I64_LOAD16_S_ADD)         LOAD_ADD(int16_t, W64, fp[B].u32)
	HANDLER(I64_LOAD16_S_ADDI)        LOAD_ADD(int16_t, W64, B)
	HANDLER(I64_LOAD16_U)             LOAD(uint16_t, W64)
	HANDLER(I64_LOAD16_U_ADD)         LOAD_ADD(uint16_t, W64, fp[B].u32)
	HANDLER(I64_LOAD16_U_ADDI)        LOAD_ADD(uint16_t, W64, B)
	HANDLER(I64_LOAD32_S)             LOAD(int32_t, W64)
	HANDLER(I64_LOAD32_S_ADD)         LOAD_ADD(int32_t, W64, fp[B].u32)
	HANDLER(I64_LOAD32_S_ADDI)        LOAD_ADD(int32_t, W64, B)
	HANDLER(I64_LOAD32_U)             LOAD(uint32_t, W64)
	HANDLER(I64_LOAD32_U_ADD)         LOAD_ADD(uint32_t, W64, fp[B].u32)
	HANDLER(I64_LOAD32_U_ADDI)        LOAD_ADD(uint32_t, W64, B)

	/* ---- stores, also of constants, alone or with the i32.add before them ---- */
	HANDLER(I32_STORE)                STORE(uint32_t, fp[D].u32)
	HANDLER(I32_STORE_I)              STORE(uint32_t, D)
	HANDLER(I32_STORE_ADD)            STORE_ADD(uint32_t, fp[B].u32, fp[E].u32)
	HANDLER(I32_STORE_ADDI)           STORE_ADD(uint32_t, B, fp[E].u32)
	HANDLER(I32_STORE_IADD)           STORE_ADD(uint32_t, fp[B].u32, E)
	HANDLER(I32_STORE_IADDI)          STORE_ADD(uint32_t, B, E)
	HANDLER(I64_STORE)                STORE(uint64_t, fp[D].u64)
	HANDLER(I64_STORE_I)              STORE(uint64_t, D)
	HANDLER(I64_STORE_ADD)            STORE_ADD(uint64_t, fp[B].u32, fp[E].u64)
	HANDLER(I64_STORE_ADDI)           STORE_ADD(uint64_t, B, fp[E].u64)
	HANDLER(I64_STORE_IADD)           STORE_ADD(uint64_t, fp[B].u32, E)
	HANDLER(I64_STORE_IADDI)          STORE_ADD(uint64_t, B, E)
	HANDLER(F32_STORE)                STORE(uint32_t, fp[D].u32)
	HANDLER(F32_STORE_I)              STORE(uint32_t, D)
	HANDLER(F32_STORE_ADD)            STORE_ADD(uint32_t, fp[B].u32, fp[E].u32)
	HANDLER(F32_STORE_ADDI)           STORE_ADD(uint32_t, B, fp[E].u32)
	HANDLER(F32_STORE_IADD)           STORE_ADD(uint32_t, fp[B].u32, E)
	HANDLER(F32_STORE_IADDI)          STORE_ADD(uint32_t, B, E)
	HANDLER(F64_STORE)                STORE(uint64_t, fp[D].u64)
	HANDLER(F64_STORE_I)              STORE(uint64_t, D)
	HANDLER(F64_STORE_ADD)            STORE_ADD(uint64_t, fp[B].u32, fp[E].u64)
	HANDLER(F64_STORE_ADDI)           STORE_ADD(uint64_t, B, fp[E].u64)
	HANDLER(F64_STORE_IADD)           STORE_ADD(uint64_t, fp[B].u32, E)
	HANDLER(F64_STORE_IADDI)          STORE_ADD(uint64_t, B, E)
	HANDLER(I32_STORE8)               STORE(uint8_t, fp[D].u32)
	HANDLER(I32_STORE8_I)             STORE(uint8_t, D)
	HANDLER(I32_STORE8_ADD)           STORE_ADD(uint8_t, fp[B].u32, fp[E].u32)
	HANDLER(I32_STORE8_ADDI)          STORE_ADD(uint8_t, B, fp[E].u32)
	HANDLER(I32_STORE8_IADD)          STORE_ADD(uint8_t, fp[B].u32, E)
	HANDLER(I32_STORE8_IADDI)         STORE_ADD(uint8_t, B, E)
	HANDLER(I32_STORE16)              STORE(uint16_t, fp[D].u32)
	HANDLER(I32_STORE16_I)            STORE(uint16_t, D)
	HANDLER(I32_STORE16_ADD)          STORE_ADD(uint16_t, fp[B].u32, fp[E].u32)
	HANDLER(I32_STORE16_ADDI)         STORE_ADD(uint16_t, B, fp[E].u32)
	HANDLER(I32_STORE16_IADD)         STORE_ADD(uint16_t, fp[B].u32, E)
	HANDLER(I32_STORE16_IADDI)        STORE_ADD(uint16_t, B, E)
	HANDLER(I64_STORE8)               STORE(uint8_t, fp[D].u64)
	HANDLER(I64_STORE8_I)             STORE(uint8_t, D)
	HANDLER(I64_STORE8_ADD)           STORE_ADD(uint8_t, fp[B].u32, fp[E].u64)
	HANDLER(I64_STORE8_ADDI)          STORE_ADD(uint8_t, B, fp[E].u64)
	HANDLER(I64_STORE8_IADD)          STORE_ADD(uint8_t, fp[B].u32, E)
	HANDLER(I64_STORE8_IADDI)         STORE_ADD(uint8_t, B, E)
	HANDLER(I64_STORE16)              STORE(uint16_t, fp[D].u64)
	HANDLER(I64_STORE16_I)            STORE(uint16_t, D)
	HANDLER(I64_STORE16_ADD)          STORE_ADD(uint16_t, fp[B].u32, fp[E].u64)
	HANDLER(I64_STORE16_ADDI)         STORE_ADD(uint16_t, B, fp[E].u64)
	HANDLER(I64_STORE16_IADD)         STORE_ADD(uint16_t, fp[B].u32, E)
	HANDLER(I64_STORE16_IADDI)        STORE_ADD(uint16_t, B, E)
	HANDLER(I64_STORE32)              STORE(uint32_t, fp[D].u64)
	HANDLER(I64_STORE32_I)            STORE(uint32_t, D)
	HANDLER(I64_STORE32_ADD)          STORE_ADD(uint32_t, fp[B].u32, fp[E].u64)
	HANDLER(I64_STORE32_ADDI)         STORE_ADD(uint32_t, B, fp[E].u64)
	HANDLER(I64_STORE32_IADD)         STORE_ADD(uint32_t, fp[B].u32, E)
	HANDLER(I64_STORE32_IADDI)        STORE_ADD(uint32_t, B, E)

	/* ---- bulk memory and tables, done out of line ---- */
	HANDLER(MEMORY_GROW)              SLOW(vm_memory_grow)
	HANDLER(MEMORY_FILL)              SLOW(vm_memory_fill)
	HANDLER(MEMORY_COPY)              SLOW(vm_memory_copy)
	HANDLER(MEMORY_INIT)              SLOW(vm_memory_init)
	HANDLER(TABLE_GET)                SLOW(vm_table_get)
	HANDLER(TABLE_SET)                SLOW(vm_table_set)
	HANDLER(TABLE_GROW)               SLOW(vm_table_grow)
	HANDLER(TABLE_FILL)               SLOW(vm_table_fill)
	HANDLER(TABLE_COPY)               SLOW(vm_table_copy)
	HANDLER(TABLE_INIT)               SLOW(vm_table_init)

	/* ---- f64 arithmetic stored to memory ---- */
	HANDLER(F64_ADD_ST)               F64_ST(fp[A].f64 + fp[B].f64)
	HANDLER(F64_SUB_ST)               F64_ST(fp[A].f64 - fp[B].f64)
	HANDLER(F64_MUL_ST)               F64_ST(fp[A].f64 * fp[B].f64)
	HANDLER(F64_MULADD_ST)            F64_ST(fp[C].f64 + vm_f64_keep(fp[A].f64 * fp[B].f64))
	HANDLER(F64_MULSUB_ST)            F64_ST(fp[C].f64 - vm_f64_keep(fp[A].f64 * fp[B].f64))
	HANDLER(F64_MULRSUB_ST)           F64_ST(vm_f64_keep(fp[A].f64 * fp[B].f64) - fp[C].f64)

	/* ---- f64 arithmetic on a value just loaded ---- */
	HANDLER(F64_ADD_M)                F64_M(o + m)
	HANDLER(F64_SUB_M)                F64_M(o - m)
	HANDLER(F64_RSUB_M)               F64_M(m - o)
	HANDLER(F64_MUL_M)                F64_M(o * m)
	HANDLER(F64_MULADD_M)             { double m; memcpy(&m, mem + (ip[2].u64 + fp[A].u32), 8);
	                                    WF64(D, fp[ip[3].u32[1]].f64 + vm_f64_keep(fp[E].f64 * m)); NEXT(); }
	HANDLER(F64_MULADD_M_ST)          { double m, v; memcpy(&m, mem + (ip[2].u64 + fp[A].u32), 8);
	                                    v = fp[ip[3].u32[1]].f64 + vm_f64_keep(fp[E].f64 * m);
	                                    memcpy(mem + (ip[4].u64 + fp[D].u32), &v, 8); NEXT(); }
	HANDLER(F64_ADD_MA)               F64_MA(fp[B].u32, o + m)
	HANDLER(F64_SUB_MA)               F64_MA(fp[B].u32, o - m)
	HANDLER(F64_RSUB_MA)              F64_MA(fp[B].u32, m - o)
	HANDLER(F64_MUL_MA)               F64_MA(fp[B].u32, o * m)
	HANDLER(F64_ADD_MAI)              F64_MA(B, o + m)
	HANDLER(F64_SUB_MAI)              F64_MA(B, o - m)
	HANDLER(F64_RSUB_MAI)             F64_MA(B, m - o)
	HANDLER(F64_MUL_MAI)              F64_MA(B, o * m)
	HANDLER(F64_MULADD_MAI)           { double m; memcpy(&m, mem + ((uint64_t)(uint32_t)(fp[A].u32 + B) + C), 8);
	                                    WF64(D, fp[ip[3].u32[1]].f64 + vm_f64_keep(fp[E].f64 * m)); NEXT(); }
	HANDLER(F64_MULADD_MAI_ST)        { double m, v; memcpy(&m, mem + ((uint64_t)(uint32_t)(fp[A].u32 + B) + C), 8);
	                                    v = fp[ip[3].u32[1]].f64 + vm_f64_keep(fp[E].f64 * m);
	                                    memcpy(mem + (ip[4].u64 + fp[D].u32), &v, 8); NEXT(); }

	/* ---- fused forms for loop bodies (issue 16), in one block: where
	 * they sit moves the assembler's branch padding in other handlers
	 * (bench/README.md, "Layout, not code"); here it added none to the
	 * hot ones of any bench program ---- */
	/* i32.add of a value just loaded */
	HANDLER(I32_ADD_M)                I32_M(o + m)
	HANDLER(I32_ADD_MA)               I32_MA(fp[B].u32, o + m)
	HANDLER(I32_ADD_MAI)              I32_MA(B, o + m)
	HANDLER(F64_ADD_MAAI)             F64_MAA(o + m)
	/* f64 arithmetic with a constant, stored (and kept in a local) */
	HANDLER(F64_ADD_RI_ST)            F64_ST(fp[A].f64 + vm_bits_f64(ip[2].u64))
	HANDLER(F64_SUB_RI_ST)            F64_ST(fp[A].f64 - vm_bits_f64(ip[2].u64))
	HANDLER(F64_MUL_RI_ST)            F64_ST(fp[A].f64 * vm_bits_f64(ip[2].u64))
	HANDLER(F64_DIV_RI_ST)            F64_ST(fp[A].f64 / vm_bits_f64(ip[2].u64))
	HANDLER(F64_ADD_RI_STL)           F64_STL(fp[A].f64 + vm_bits_f64(ip[2].u64))
	HANDLER(F64_SUB_RI_STL)           F64_STL(fp[A].f64 - vm_bits_f64(ip[2].u64))
	HANDLER(F64_MUL_RI_STL)           F64_STL(fp[A].f64 * vm_bits_f64(ip[2].u64))
	HANDLER(F64_DIV_RI_STL)           F64_STL(fp[A].f64 / vm_bits_f64(ip[2].u64))
	/* two copies */
	HANDLER(MOV64_2)                  { fp[D] = fp[A]; fp[B] = fp[C]; NEXT(); }
	/* two adds of constants, in order */
	HANDLER(I32_ADD_RI2)              { W32(D, fp[A].u32 + ip[3].u32[0]); W32(B, fp[C].u32 + ip[3].u32[1]); NEXT(); }
	/* the xor of two rotations */
	HANDLER(I32_XOR_ROTL2)            { W32(D, vm_rotl32(fp[A].u32, E) ^ vm_rotl32(fp[B].u32, C)); NEXT(); }

	/* ---- i32.add, then a backward compare-and-branch on the sum ---- */
	HANDLER(ADD_BR_I32_EQ_BK)         ADD_CMP_BR_BK(u32, fp[B].u32, fp[C].u32, a == b)
	HANDLER(ADD_BR_I32_EQ_RI_BK)      ADD_CMP_BR_BK(u32, fp[B].u32, C, a == b)
	HANDLER(ADDI_BR_I32_EQ_BK)        ADD_CMP_BR_BK(u32, B, fp[C].u32, a == b)
	HANDLER(ADDI_BR_I32_EQ_RI_BK)     ADD_CMP_BR_BK(u32, B, C, a == b)
	HANDLER(ADD_BR_I32_NE_BK)         ADD_CMP_BR_BK(u32, fp[B].u32, fp[C].u32, a != b)
	HANDLER(ADD_BR_I32_NE_RI_BK)      ADD_CMP_BR_BK(u32, fp[B].u32, C, a != b)
	HANDLER(ADDI_BR_I32_NE_BK)        ADD_CMP_BR_BK(u32, B, fp[C].u32, a != b)
	HANDLER(ADDI_BR_I32_NE_RI_BK)     ADD_CMP_BR_BK(u32, B, C, a != b)
	HANDLER(ADD_BR_I32_LT_S_BK)       ADD_CMP_BR_BK(i32, fp[B].u32, fp[C].u32, a < b)
	HANDLER(ADD_BR_I32_LT_S_RI_BK)    ADD_CMP_BR_BK(i32, fp[B].u32, C, a < b)
	HANDLER(ADDI_BR_I32_LT_S_BK)      ADD_CMP_BR_BK(i32, B, fp[C].u32, a < b)
	HANDLER(ADDI_BR_I32_LT_S_RI_BK)   ADD_CMP_BR_BK(i32, B, C, a < b)
	HANDLER(ADD_BR_I32_LT_U_BK)       ADD_CMP_BR_BK(u32, fp[B].u32, fp[C].u32, a < b)
	HANDLER(ADD_BR_I32_LT_U_RI_BK)    ADD_CMP_BR_BK(u32, fp[B].u32, C, a < b)
	HANDLER(ADDI_BR_I32_LT_U_BK)      ADD_CMP_BR_BK(u32, B, fp[C].u32, a < b)
	HANDLER(ADDI_BR_I32_LT_U_RI_BK)   ADD_CMP_BR_BK(u32, B, C, a < b)
	HANDLER(ADD_BR_I32_GT_S_BK)       ADD_CMP_BR_BK(i32, fp[B].u32, fp[C].u32, a > b)
	HANDLER(ADD_BR_I32_GT_S_RI_BK)    ADD_CMP_BR_BK(i32, fp[B].u32, C, a > b)
	HANDLER(ADDI_BR_I32_GT_S_BK)      ADD_CMP_BR_BK(i32, B, fp[C].u32, a > b)
	HANDLER(ADDI_BR_I32_GT_S_RI_BK)   ADD_CMP_BR_BK(i32, B, C, a > b)
	HANDLER(ADD_BR_I32_GT_U_BK)       ADD_CMP_BR_BK(u32, fp[B].u32, fp[C].u32, a > b)
	HANDLER(ADD_BR_I32_GT_U_RI_BK)    ADD_CMP_BR_BK(u32, fp[B].u32, C, a > b)
	HANDLER(ADDI_BR_I32_GT_U_BK)      ADD_CMP_BR_BK(u32, B, fp[C].u32, a > b)
	HANDLER(ADDI_BR_I32_GT_U_RI_BK)   ADD_CMP_BR_BK(u32, B, C, a > b)
	HANDLER(ADD_BR_I32_LE_S_BK)       ADD_CMP_BR_BK(i32, fp[B].u32, fp[C].u32, a <= b)
	HANDLER(ADD_BR_I32_LE_S_RI_BK)    ADD_CMP_BR_BK(i32, fp[B].u32, C, a <= b)
	HANDLER(ADDI_BR_I32_LE_S_BK)      ADD_CMP_BR_BK(i32, B, fp[C].u32, a <= b)
	HANDLER(ADDI_BR_I32_LE_S_RI_BK)   ADD_CMP_BR_BK(i32, B, C, a <= b)
	HANDLER(ADD_BR_I32_LE_U_BK)       ADD_CMP_BR_BK(u32, fp[B].u32, fp[C].u32, a <= b)
	HANDLER(ADD_BR_I32_LE_U_RI_BK)    ADD_CMP_BR_BK(u32, fp[B].u32, C, a <= b)
	HANDLER(ADDI_BR_I32_LE_U_BK)      ADD_CMP_BR_BK(u32, B, fp[C].u32, a <= b)
	HANDLER(ADDI_BR_I32_LE_U_RI_BK)   ADD_CMP_BR_BK(u32, B, C, a <= b)
	HANDLER(ADD_BR_I32_GE_S_BK)       ADD_CMP_BR_BK(i32, fp[B].u32, fp[C].u32, a >= b)
	HANDLER(ADD_BR_I32_GE_S_RI_BK)    ADD_CMP_BR_BK(i32, fp[B].u32, C, a >= b)
	HANDLER(ADDI_BR_I32_GE_S_BK)      ADD_CMP_BR_BK(i32, B, fp[C].u32, a >= b)
	HANDLER(ADDI_BR_I32_GE_S_RI_BK)   ADD_CMP_BR_BK(i32, B, C, a >= b)
	HANDLER(ADD_BR_I32_GE_U_BK)       ADD_CMP_BR_BK(u32, fp[B].u32, fp[C].u32, a >= b)
	HANDLER(ADD_BR_I32_GE_U_RI_BK)    ADD_CMP_BR_BK(u32, fp[B].u32, C, a >= b)
	HANDLER(ADDI_BR_I32_GE_U_BK)      ADD_CMP_BR_BK(u32, B, fp[C].u32, a >= b)
	HANDLER(ADDI_BR_I32_GE_U_RI_BK)   ADD_CMP_BR_BK(u32, B, C, a >= b)
	/* [-|p][off][tgt]: a value of memory type MT loaded from p + off, tested
	 * (here, after the add-and-branch forms: where no program's count rose) */
	HANDLER(BR_Z_M)                   TEST_BR_M(uint32_t, !v)
	HANDLER(BR_NZ_M)                  TEST_BR_M(uint32_t, v)
	HANDLER(BR_Z_M8)                  TEST_BR_M(uint8_t, !v)
	HANDLER(BR_NZ_M8)                 TEST_BR_M(uint8_t, v)
	/* [s|a][b|e][c|o][d|-]: s = a + b, e = s + c (c read after s is
	 * written, as the program reads it), d the byte at e + o */
	HANDLER(I32_LOAD8_U_ADD2) {
		uint32_t s_ = fp[A].u32 + fp[B].u32, e_;
		uint8_t v;
		fp[D].u64 = s_;
		e_ = s_ + fp[ip[3].u32[0]].u32;
		fp[C].u64 = e_;
		memcpy(&v, mem + ((uint64_t)e_ + ip[3].u32[1]), 1);
		W32(ip[4].u32[0], v);
		NEXT();
	}

	VM_SIMD_HANDLERS

	/* ---- moves and constants ---- */
	HANDLER(MOV64)                    { fp[D] = fp[A]; NEXT(); }
	HANDLER(MOV128)                   { fp[D] = fp[A]; fp[D + 1] = fp[A + 1]; NEXT(); }
	HANDLER(CONST32)                  { fp[D].u64 = A; NEXT(); }
	HANDLER(CONST64)                  { fp[D].u64 = ip[2].u64; NEXT(); }

	/* ---- multiply-add ---- */
	HANDLER(F32_MULADD)               { WF32(D, fp[C].f32 + vm_f32_keep(fp[A].f32 * fp[B].f32)); NEXT(); }
	HANDLER(F32_MULSUB)               { WF32(D, fp[C].f32 - vm_f32_keep(fp[A].f32 * fp[B].f32)); NEXT(); }
	HANDLER(F32_MULRSUB)              { WF32(D, vm_f32_keep(fp[A].f32 * fp[B].f32) - fp[C].f32); NEXT(); }
	HANDLER(F64_MULADD)               { WF64(D, fp[C].f64 + vm_f64_keep(fp[A].f64 * fp[B].f64)); NEXT(); }
	HANDLER(F64_MULSUB)               { WF64(D, fp[C].f64 - vm_f64_keep(fp[A].f64 * fp[B].f64)); NEXT(); }
	HANDLER(F64_MULRSUB)              { WF64(D, vm_f64_keep(fp[A].f64 * fp[B].f64) - fp[C].f64); NEXT(); }

	/* ---- select and globals ---- */
	HANDLER(SELECT)                   { fp[D] = fp[C].u32 ? fp[A] : fp[B]; NEXT(); }

	HANDLER(SELECT128) {
		uint32_t src = fp[C].u32 ? A : B;
		fp[D] = fp[src];
		fp[D + 1] = fp[src + 1];
		NEXT();
	}

	HANDLER(GLOBAL_GET)               { fp[D].u64 = inst->globals[A]->val[0]; NEXT(); }
	HANDLER(GLOBAL_SET)               { inst->globals[A]->val[0] = fp[D].u64; NEXT(); }

	HANDLER(GLOBAL_GET128) {
		const wr_global *g = inst->globals[A];
		fp[D].u64 = g->val[0];
		fp[D + 1].u64 = g->val[1];
		NEXT();
	}

	HANDLER(GLOBAL_SET128) {
		wr_global *g = inst->globals[A];
		g->val[0] = fp[D].u64;
		g->val[1] = fp[D + 1].u64;
		NEXT();
	}

	/* ---- memory, tables and references, inline ---- */
	HANDLER(MEMORY_SIZE)              { fp[D].u64 = inst->mems[A]->size / MEM_PAGE; NEXT(); }
	HANDLER(DATA_DROP)                { inst->data_len[D] = 0; NEXT(); }
	HANDLER(ELEM_DROP)                { inst->elem_len[D] = 0; NEXT(); }
	HANDLER(TABLE_SIZE)               { fp[D].u64 = inst->tables[A]->size; NEXT(); }
	HANDLER(REF_FUNC)                 { fp[D].u64 = (uintptr_t)inst->funcs[A]; NEXT(); }

	/* ---- branches ---- */
	HANDLER(BR)                       { JUMP(ip[1].target); }
	HANDLER(BR_BK)                    { JUMP_BK(ip[1].target, ip[2].u64); }
	/* ---- pairs fused for minivm and sha256 (issue 16), done in order ---- */
	/* two sums in a row (the second may read the first) */
	HANDLER(I32_ADD2)                 { W32(D, fp[A].u32 + fp[B].u32); W32(E, fp[C].u32 + fp[ip[3].u32[1]].u32); NEXT(); }
	HANDLER(I32_ADD_ADDI)             { W32(D, fp[A].u32 + fp[B].u32); W32(E, fp[C].u32 + ip[3].u32[1]); NEXT(); }
	/* sums of a bitwise operation's result, and and-not */
	HANDLER(I32_ADD_AND)              { W32(D, fp[C].u32 + (fp[A].u32 & fp[B].u32)); NEXT(); }
	HANDLER(I32_ADD_XOR)              { W32(D, fp[C].u32 + (fp[A].u32 ^ fp[B].u32)); NEXT(); }
	HANDLER(I32_ADD_ANDN)             { W32(D, fp[C].u32 + (~fp[A].u32 & fp[B].u32)); NEXT(); }
	HANDLER(I32_ANDN)                 { W32(D, ~fp[A].u32 & fp[B].u32); NEXT(); }
	/* the xor of three rotations */
	HANDLER(I32_XOR_ROTL3)            { W32(D, vm_rotl32(fp[A].u32, E) ^ vm_rotl32(fp[B].u32, C) ^
	                                        vm_rotl32(fp[ip[3].u32[1]].u32, ip[4].u32[0])); NEXT(); }
	/* two unsigned range checks to one label */
	HANDLER(BR_I32_GT_U_RI2)          JUMP_IF(fp[D].u32 > B || fp[A].u32 > C);
	/* a copy, then a backward branch (on a comparison read after it) */
	HANDLER(MOV64_BR_BK)              { fp[D] = fp[A]; JUMP_BK(ip[2].target, ip[3].u64); }
	HANDLER(MOV_BR_I32_EQ_BK)         MOV_CMP_BR_BK(u32, a == b)
	HANDLER(MOV_BR_I32_NE_BK)         MOV_CMP_BR_BK(u32, a != b)
	HANDLER(MOV_BR_I32_LT_S_BK)       MOV_CMP_BR_BK(i32, a < b)
	HANDLER(MOV_BR_I32_LT_U_BK)       MOV_CMP_BR_BK(u32, a < b)
	HANDLER(MOV_BR_I32_GT_S_BK)       MOV_CMP_BR_BK(i32, a > b)
	HANDLER(MOV_BR_I32_GT_U_BK)       MOV_CMP_BR_BK(u32, a > b)
	HANDLER(MOV_BR_I32_LE_S_BK)       MOV_CMP_BR_BK(i32, a <= b)
	HANDLER(MOV_BR_I32_LE_U_BK)       MOV_CMP_BR_BK(u32, a <= b)
	HANDLER(MOV_BR_I32_GE_S_BK)       MOV_CMP_BR_BK(i32, a >= b)
	HANDLER(MOV_BR_I32_GE_U_BK)       MOV_CMP_BR_BK(u32, a >= b)
	HANDLER(BR_NZ)                    { JUMP_IF(fp[D].u32); }
	HANDLER(BR_NZ_BK)                 { JUMP_BK_IF(fp[D].u32); }
	HANDLER(BR_Z)                     { JUMP_IF(!fp[D].u32); }
	HANDLER(BR_Z_BK)                  { JUMP_BK_IF(!fp[D].u32); }
	HANDLER(BR_NZ64)                  { JUMP_IF(fp[D].u64); }
	HANDLER(BR_NZ64_BK)               { JUMP_BK_IF(fp[D].u64); }
	HANDLER(BR_Z64)                   { JUMP_IF(!fp[D].u64); }
	HANDLER(BR_Z64_BK)                { JUMP_BK_IF(!fp[D].u64); }
	/* [-|a][imm][tgt] and [b|a][imm][tgt]: a & k, tested or compared with b */
	HANDLER(BR_ANDI_Z)                { JUMP_IF(!(fp[A].u32 & (uint32_t)ip[2].u64)); }
	HANDLER(BR_ANDI_NZ)               { JUMP_IF(fp[A].u32 & (uint32_t)ip[2].u64); }
	HANDLER(BR_I32_EQ_ANDI)           { JUMP_IF(fp[D].u32 == (fp[A].u32 & (uint32_t)ip[2].u64)); }
	HANDLER(BR_I32_NE_ANDI)           { JUMP_IF(fp[D].u32 != (fp[A].u32 & (uint32_t)ip[2].u64)); }

	HANDLER(BR_TABLE) {
		uint32_t i = fp[D].u32;
		if (i > A)
			i = A;
		JUMP(ip[len + i].target);
	}

	/* br_table on the value of a fused instruction (vm_ops.h), the sums
	 * in 32 bits, as the i32.add and i32.shl would */
#define BR_TABLE_ON(x) { uint32_t i_ = (x), n_ = ip[len - 1].u32[1]; \
	JUMP(ip[len + (i_ > n_ ? n_ : i_)].target); }
	HANDLER(BR_TABLE_ADD_RI)          BR_TABLE_ON(fp[D].u32 + A)
	HANDLER(BR_TABLE_LOAD8_U)         BR_TABLE_ON(mem[(uint64_t)fp[D].u32 + A])
	HANDLER(BR_TABLE_LOAD8_U_ADDI)    BR_TABLE_ON(mem[(uint64_t)(uint32_t)(fp[D].u32 + A) + B])
	HANDLER(BR_TABLE_LOAD_SXI) {
		uint32_t v;
		memcpy(&v, mem + ((uint64_t)(uint32_t)((fp[D].u32 << A) + B) + C), sizeof(v));
		BR_TABLE_ON(v)
	}
	HANDLER(BR_TABLE_LOAD_SXI_K) {
		uint32_t v;
		fp[ip[3].u32[0]].u64 = ip[3].u32[1] | (uint64_t)ip[4].u32[0] << 32;
		memcpy(&v, mem + ((uint64_t)(uint32_t)((fp[D].u32 << A) + B) + C), sizeof(v));
		BR_TABLE_ON(v)
	}
#undef BR_TABLE_ON

	HANDLER(UNREACHABLE)              { vm_trap(cx, WR_TRAP_UNREACHABLE, NULL); }

	/* ---- calls and returns ---- */
	HANDLER(CALL_LOCAL) {
		cd = ip[1].ptr;
		nfp = fp + ip[2].u32[0];
		fr = cx->fr;
		if (unlikely(fr == fr_end || vm_frame_over(nfp, cd, slot_end)))
			vm_trap(cx, WR_TRAP_STACK_EXHAUSTED, NULL);
		fr++;
		fr->ret_ip = ip + len;
		fr->ret_fp = fp;
		fr->ret_inst = inst;
		fr->func = (wr_func *)((char *)inst->defined + ip[2].u32[1]);
		cx->fr = fr;
		goto enter;
	}

	HANDLER(CALL) {
		callee = inst->funcs[ip[1].u32[0]];
		nfp = fp + ip[1].u32[1];
		ip += len;
		goto call;
	}

	HANDLER(CALL_INDIRECT) {
		callee = vm_indirect(cx, inst, ip, fp[C].u32);
		nfp = fp + ip[2].u32[0];
		ip += len;
		goto call;
	}
	call:
		if (callee->host) {
			vm_host_call(cx, callee, nfp, inst, cx->fr, ip - 1, fp);
			DISPATCH();
		}
		cd = callee->code;
		fr = cx->fr;
		if (unlikely(fr == fr_end || vm_frame_over(nfp, cd, slot_end)))
			vm_trap(cx, WR_TRAP_STACK_EXHAUSTED, NULL);
		fr++;
		fr->ret_ip = ip;
		fr->ret_fp = fp;
		fr->ret_inst = inst;
		fr->func = callee;
		cx->fr = fr;
		if (callee->inst != inst) {
			inst = callee->inst;
			mem = vm_membase(inst);
		}
	enter:
		fp = nfp;
		vm_zero_locals(fp, cd);
		if (unlikely(s->fuel_on))
			vm_fuel(cx, 1);
		ip = cd->cells;
		DISPATCH();

	/*
	 * Tail calls reuse the caller's frame and its record: the arguments
	 * move down to slot 0, the record names the callee (for traps), and
	 * the callee returns where the caller would have. Neither stack grows.
	 */
	HANDLER(RETURN_CALL_LOCAL) {
		cd = ip[1].ptr;
		callee = (wr_func *)((char *)inst->defined + ip[2].u32[1]);
		nfp = fp + ip[2].u32[0];
		goto tail_enter;
	}

	HANDLER(RETURN_CALL) {
		callee = inst->funcs[ip[1].u32[0]];
		nfp = fp + ip[1].u32[1];
		goto tail;
	}

	HANDLER(RETURN_CALL_INDIRECT) {
		callee = vm_indirect(cx, inst, ip, fp[C].u32);
		nfp = fp + ip[2].u32[0];
		goto tail;
	}
	tail:
		if (callee->host) {
			/* its results come back in slots 0.., the caller's own */
			vm_move_args(fp, nfp, callee->type->param_slots);
			vm_host_call(cx, callee, fp, inst, cx->fr, NULL, fp);
			goto ret;
		}
		cd = callee->code;
		if (callee->inst != inst) {
			inst = callee->inst;
			mem = vm_membase(inst);
		}
	tail_enter:
		if (unlikely(vm_frame_over(fp, cd, slot_end)))
			vm_trap(cx, WR_TRAP_STACK_EXHAUSTED, NULL);
		vm_move_args(fp, nfp, cd->param_slots);
		cx->fr->func = callee;
		/* enter's work, not a jump there: a third way into enter moves it
		 * out of line from CALL_LOCAL, one more jump on every call */
		vm_zero_locals(fp, cd);
		if (unlikely(s->fuel_on))
			vm_fuel(cx, 1);
		ip = cd->cells;
		DISPATCH();

	/* call_ref [f|a]: the callee is the reference in slot a, never null. */
	HANDLER(CALL_REF) {
		callee = (wr_func *)(uintptr_t)fp[A].u64;
		if (unlikely(!callee))
			vm_trap(cx, WR_TRAP_NULL_REFERENCE, "null function reference");
		nfp = fp + D;
		ip += len;
		goto call;
	}

	HANDLER(RETURN_CALL_REF) {
		callee = (wr_func *)(uintptr_t)fp[A].u64;
		if (unlikely(!callee))
			vm_trap(cx, WR_TRAP_NULL_REFERENCE, "null function reference");
		nfp = fp + D;
		goto tail;
	}

	HANDLER(REF_I31)                  UNOP(u32, W64, ((uint64_t)(a & 0x7fffffffu) << 1) | 1)
	HANDLER(I31_GET_S) {
		if (unlikely(!fp[A].u64))
			vm_trap(cx, WR_TRAP_NULL_REFERENCE, "null i31 reference");
		W32(D, (uint32_t)((int32_t)fp[A].u32 >> 1));
		NEXT();
	}
	HANDLER(I31_GET_U) {
		if (unlikely(!fp[A].u64))
			vm_trap(cx, WR_TRAP_NULL_REFERENCE, "null i31 reference");
		W32(D, fp[A].u32 >> 1);
		NEXT();
	}
	HANDLER(ANY_CONVERT_EXTERN)       SLOW(vm_to_any)
	HANDLER(EXTERN_CONVERT_ANY)       SLOW(vm_to_extern)
	HANDLER(REF_TEST)                 UNOP(u64, W32, gc_ref_test(inst, a, ip[2].u32[0]))
	HANDLER(REF_CAST) {
		if (unlikely(!gc_ref_test(inst, fp[D].u64, A)))
			vm_trap(cx, WR_TRAP_CAST, NULL);
		NEXT();
	}

	HANDLER(STRUCT_NEW)               GCNEW(gc_struct_new(inst, ip, fp, false))
	HANDLER(STRUCT_NEW_DEFAULT)       GCNEW(gc_struct_new(inst, ip, fp, true))
	HANDLER(STRUCT_GET)               GCOP(gc_struct_get(inst, ip, fp))
	HANDLER(STRUCT_SET)               GCOP(gc_struct_set(inst, ip, fp))
	HANDLER(ARRAY_NEW)                GCNEW(gc_array_new(inst, ip, fp, 0))
	HANDLER(ARRAY_NEW_DEFAULT)        GCNEW(gc_array_new(inst, ip, fp, 1))
	HANDLER(ARRAY_NEW_FIXED)          GCNEW(gc_array_new(inst, ip, fp, 2))
	HANDLER(ARRAY_NEW_DATA)           GCNEW(gc_array_new_data(inst, ip, fp))
	HANDLER(ARRAY_NEW_ELEM)           GCNEW(gc_array_new_elem(inst, ip, fp))
	HANDLER(ARRAY_GET)                GCOP(gc_array_get(inst, ip, fp))
	HANDLER(ARRAY_SET)                GCOP(gc_array_set(inst, ip, fp))
	HANDLER(ARRAY_LEN)                GCOP(gc_array_len(inst, ip, fp))
	HANDLER(ARRAY_FILL)               GCOP(gc_array_fill(inst, ip, fp))
	HANDLER(ARRAY_COPY)               GCOP(gc_array_copy(inst, ip, fp))
	HANDLER(ARRAY_INIT_DATA)          GCOP(gc_array_init_data(inst, ip, fp))
	HANDLER(ARRAY_INIT_ELEM)          GCOP(gc_array_init_elem(inst, ip, fp))

	HANDLER(REF_AS_NON_NULL) {
		if (unlikely(!fp[D].u64))
			vm_trap(cx, WR_TRAP_NULL_REFERENCE, NULL);
		NEXT();
	}

	/* the return sequence, written out in each return handler (GCC still
	 * merges RETURN's into another copy: the same instructions run as
	 * with one shared sequence, but this layout measured 0.2-0.6% fewer
	 * instructions on fib, unwind and sqlite, through branch padding) */
#define VM_RETURN() do { \
	fr = cx->fr; \
	ip = fr->ret_ip; \
	fp = fr->ret_fp; \
	if (unlikely(fr->ret_inst != inst)) { \
		inst = fr->ret_inst; \
		mem = vm_membase(inst); \
	} \
	cx->fr = fr - 1; \
	DISPATCH(); \
} while (0)
	HANDLER(RET1) {
		fp[0] = fp[D];
		VM_RETURN();
	}

	HANDLER(RETURN) {
	ret:
		VM_RETURN();
	}
#undef VM_RETURN

	HANDLER(EXIT)                     { return WR_OK; }

	/* ---- accesses to a memory the instruction names (vm_mem_addr) ---- */
	HANDLER(I32_LOAD_MEM)              LOAD_MEM(uint32_t, W32)
	HANDLER(I64_LOAD_MEM)              LOAD_MEM(uint64_t, W64)
	HANDLER(F32_LOAD_MEM)              LOAD_MEM(uint32_t, W32)
	HANDLER(F64_LOAD_MEM)              LOAD_MEM(uint64_t, W64)
	HANDLER(I32_LOAD8_S_MEM)           LOAD_MEM(int8_t, W32)
	HANDLER(I32_LOAD8_U_MEM)           LOAD_MEM(uint8_t, W32)
	HANDLER(I32_LOAD16_S_MEM)          LOAD_MEM(int16_t, W32)
	HANDLER(I32_LOAD16_U_MEM)          LOAD_MEM(uint16_t, W32)
	HANDLER(I64_LOAD8_S_MEM)           LOAD_MEM(int8_t, W64)
	HANDLER(I64_LOAD8_U_MEM)           LOAD_MEM(uint8_t, W64)
	HANDLER(I64_LOAD16_S_MEM)          LOAD_MEM(int16_t, W64)
	HANDLER(I64_LOAD16_U_MEM)          LOAD_MEM(uint16_t, W64)
	HANDLER(I64_LOAD32_S_MEM)          LOAD_MEM(int32_t, W64)
	HANDLER(I64_LOAD32_U_MEM)          LOAD_MEM(uint32_t, W64)
	HANDLER(I32_STORE_MEM)             STORE_MEM(uint32_t, fp[D].u32)
	HANDLER(I64_STORE_MEM)             STORE_MEM(uint64_t, fp[D].u64)
	HANDLER(F32_STORE_MEM)             STORE_MEM(uint32_t, fp[D].u32)
	HANDLER(F64_STORE_MEM)             STORE_MEM(uint64_t, fp[D].u64)
	HANDLER(I32_STORE8_MEM)            STORE_MEM(uint8_t, fp[D].u32)
	HANDLER(I32_STORE16_MEM)           STORE_MEM(uint16_t, fp[D].u32)
	HANDLER(I64_STORE8_MEM)            STORE_MEM(uint8_t, fp[D].u64)
	HANDLER(I64_STORE16_MEM)           STORE_MEM(uint16_t, fp[D].u64)
	HANDLER(I64_STORE32_MEM)           STORE_MEM(uint32_t, fp[D].u64)
	HANDLER(V128_LOAD_MEM)             V_LOAD_MEM(16, vs_load(p))
	HANDLER(V128_LOAD8X8_S_MEM)        V_LOAD_MEM(8, vs_ext_i8(vs_load_zero(p, 8), 0))
	HANDLER(V128_LOAD8X8_U_MEM)        V_LOAD_MEM(8, vs_ext_u8(vs_load_zero(p, 8), 0))
	HANDLER(V128_LOAD16X4_S_MEM)       V_LOAD_MEM(8, vs_ext_i16(vs_load_zero(p, 8), 0))
	HANDLER(V128_LOAD16X4_U_MEM)       V_LOAD_MEM(8, vs_ext_u16(vs_load_zero(p, 8), 0))
	HANDLER(V128_LOAD32X2_S_MEM)       V_LOAD_MEM(8, vs_ext_i32(vs_load_zero(p, 8), 0))
	HANDLER(V128_LOAD32X2_U_MEM)       V_LOAD_MEM(8, vs_ext_u32(vs_load_zero(p, 8), 0))
	HANDLER(V128_LOAD8_SPLAT_MEM)      V_LOAD_MEM(1, vs_splat_u8(p))
	HANDLER(V128_LOAD16_SPLAT_MEM)     V_LOAD_MEM(2, vs_splat_u16(p))
	HANDLER(V128_LOAD32_SPLAT_MEM)     V_LOAD_MEM(4, vs_splat_u32(p))
	HANDLER(V128_LOAD64_SPLAT_MEM)     V_LOAD_MEM(8, vs_splat_u64(p))
	HANDLER(V128_LOAD32_ZERO_MEM)      V_LOAD_MEM(4, vs_load_zero(p, 4))
	HANDLER(V128_LOAD64_ZERO_MEM)      V_LOAD_MEM(8, vs_load_zero(p, 8))
	HANDLER(V128_STORE_MEM)            { vs_store(vm_mem_addr(cx, inst, &fp[A], ip + 2, 16), VGET(D)); NEXT(); }
	HANDLER(V128_LOAD8_LANE_MEM)       V_LOAD_LANE_MEM(u8)
	HANDLER(V128_LOAD16_LANE_MEM)      V_LOAD_LANE_MEM(u16)
	HANDLER(V128_LOAD32_LANE_MEM)      V_LOAD_LANE_MEM(u32)
	HANDLER(V128_LOAD64_LANE_MEM)      V_LOAD_LANE_MEM(u64)
	HANDLER(V128_STORE8_LANE_MEM)      V_STORE_LANE_MEM(u8)
	HANDLER(V128_STORE16_LANE_MEM)     V_STORE_LANE_MEM(u16)
	HANDLER(V128_STORE32_LANE_MEM)     V_STORE_LANE_MEM(u32)
	HANDLER(V128_STORE64_LANE_MEM)     V_STORE_LANE_MEM(u64)

	/* ---- calls through a 64-bit table ---- */
	HANDLER(CALL_INDIRECT64) {
		callee = vm_indirect(cx, inst, ip, fp[C].u64);
		nfp = fp + B;
		ip += len;
		goto call;
	}

	HANDLER(RETURN_CALL_INDIRECT64) {
		callee = vm_indirect(cx, inst, ip, fp[C].u64);
		nfp = fp + B;
		goto tail;
	}

	/* ---- exceptions: out of line, they never come back here ---- */
	HANDLER(THROW)                    { vm_throw(cx, inst, ip, fp); }
	HANDLER(THROW_REF)                { vm_throw_ref(cx, ip, fp); }


	LOOP_END
}

/* Publish the dispatch table and the EXIT cell (racing threads compute the
 * same values). */
static void vm_init(void)
{
	static bool ready;
	if (__atomic_load_n(&ready, __ATOMIC_ACQUIRE))
		return;
	vm_run(NULL, NULL, NULL, NULL);
	const void *const *table = __atomic_load_n(&vm_table, __ATOMIC_ACQUIRE);
	uint64_t exit_cell = table ? (uint64_t)(uintptr_t)table[VM_EXIT] : VM_EXIT;
	__atomic_store_n(&vm_exit[0].u64, exit_cell, __ATOMIC_RELEASE);
	__atomic_store_n(&ready, true, __ATOMIC_RELEASE);
}

vm_cell vm_op_cell(enum vm_op op)
{
	vm_init();
	vm_cell c;
	if (vm_table)
		c.op = vm_table[op];
	else
		c.opn = op;
	return c;
}

const void *const *vm_op_handlers(void)
{
	vm_init();
	return vm_table;
}

enum vm_op vm_cell_op(vm_cell c)
{
	vm_init();
	if (!vm_table)
		return c.opn < VM__COUNT ? (enum vm_op)c.opn : VM_NONE;
	for (size_t op = 0; op < VM__COUNT; op++)
		if (vm_table[op] == c.op)
			return (enum vm_op)op;
	return VM_NONE;
}

/* ---- signals ---- */

static struct sigaction vm_old_segv, vm_old_bus;
static __thread bool vm_altstack_done;

/*
 * A fault in the reservation of some linear memory while this thread runs
 * guest code is an out-of-bounds access: trap. Anything else is a bug in
 * wrun or the embedder: put back the previous action and return, so the
 * faulting instruction runs again and the fault takes its usual course.
 */
static void vm_on_fault(int sig, siginfo_t *si, void *uc)
{
	struct vm_ctx *cx = vm_cur;
	if (cx && mem_owns_address(si->si_addr)) {
		cx->kind = WR_TRAP_MEMORY_OOB;
		cx->msg = NULL;
		siglongjmp(cx->jb, 1);
	}
	sigaction(sig, sig == SIGSEGV ? &vm_old_segv : &vm_old_bus, NULL);
}

/* Install the handler for sig unless it is already ours, keeping the
 * previous action for the faults that are not the guest's. */
static void vm_claim(int sig, struct sigaction *old)
{
	struct sigaction cur, sa;
	if (sigaction(sig, NULL, &cur) != 0 || (cur.sa_flags & SA_SIGINFO && cur.sa_sigaction == vm_on_fault))
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = vm_on_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, old);
}

/*
 * The handler runs on an alternate stack and with the signal unblocked
 * (SA_NODEFER): it leaves with siglongjmp, and vm_call's sigsetjmp does not
 * save the mask, so the signal must not stay blocked afterwards. Called
 * again before every outermost vm_call: an embedder or a test harness may
 * have put its own handler in place since, which would turn every
 * out-of-bounds access into a crash.
 */
void vm_signals_init(void)
{
	vm_claim(SIGSEGV, &vm_old_segv);
	vm_claim(SIGBUS, &vm_old_bus);
}

/* Give this thread an alternate signal stack unless it already has one. */
static void vm_altstack(void)
{
	if (likely(vm_altstack_done))
		return;
	vm_altstack_done = true;
	stack_t old;
	if (sigaltstack(NULL, &old) == 0 && !(old.ss_flags & SS_DISABLE))
		return;
	size_t size = 64 * 1024;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return;
	stack_t ss = { .ss_sp = p, .ss_size = size, .ss_flags = 0 };
	if (sigaltstack(&ss, NULL) != 0)
		munmap(p, size);
}

/* ---- entry ---- */

/* Reserve the store's stacks on first use. Pages are committed as used. */
static struct vm_stack *vm_stack_get(wr_store *s)
{
	if (s->stack)
		return s->stack;
	struct vm_stack *st = calloc(1, sizeof(*st));
	if (!st)
		return NULL;
	size_t sb = (size_t)VM_STACK_SLOTS * sizeof(vm_slot);
	size_t fb = ((size_t)VM_MAX_DEPTH + 1) * sizeof(struct vm_frame);
	int prot = PROT_READ | PROT_WRITE, flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	void *slots = mmap(NULL, sb, prot, flags, -1, 0);
	void *frames = mmap(NULL, fb, prot, flags, -1, 0);
	if (slots == MAP_FAILED || frames == MAP_FAILED) {
		if (slots != MAP_FAILED)
			munmap(slots, sb);
		if (frames != MAP_FAILED)
			munmap(frames, fb);
		free(st);
		return NULL;
	}
	st->slots = st->slot_top = slots;
	st->slot_end = st->slots + VM_STACK_SLOTS;
	st->frames = (struct vm_frame *)frames + 1; /* the first frame's return pops into [-1] */
	s->stack = st;
	s->stack_roots = vm_stack_roots;
	return st;
}

void vm_stack_free(struct vm_stack *st)
{
	if (!st)
		return;
	munmap(st->slots, (size_t)VM_STACK_SLOTS * sizeof(vm_slot));
	munmap(st->frames - 1, ((size_t)VM_MAX_DEPTH + 1) * sizeof(struct vm_frame));
	free(st);
}

/* Name f the way trap reports do. */
static void vm_name(char *out, size_t size, const wr_func *f)
{
	if (f && f->name)
		snprintf(out, size, "%s", f->name);
	else if (f)
		snprintf(out, size, "func[%u]", f->index);
	else
		out[0] = 0;
}

/* Fill *trap for a trap of kind k; a host function's own message stays. */
static void vm_fill_trap(wr_trap *trap, wr_trapkind k, const char *msg, const wr_func *where,
                         bool keep)
{
	trap->kind = k;
	if (msg)
		snprintf(trap->message, sizeof(trap->message), "%s", msg);
	else if (!keep || !trap->message[0])
		snprintf(trap->message, sizeof(trap->message), "%s", wr_trap_message(k));
	vm_name(trap->func, sizeof(trap->func), where);
}

/* Call a host function directly from the embedder. */
static wr_trapkind vm_call_host(wr_store *s, wr_func *f, uint64_t *slots, wr_trap *trap)
{
	wr_hostcall hc = { NULL, trap, s };
	struct vm_ctx *prev = vm_cur;
	vm_cur = NULL;
	wr_trapkind k = f->host(&hc, slots, f->user);
	vm_cur = prev;
	if (k != WR_TRAP_EXCEPTION)
		s->exn_pending = 0; /* one it threw and did not return is dropped */
	else if (!exn_get(s, s->exn_pending))
		k = WR_TRAP_HOST;
	if (k != WR_OK)
		vm_fill_trap(trap, k, NULL, f, true);
	return k;
}

/* Run f under a trap landing site. Kept apart from vm_call so that no
 * local of the caller is live across sigsetjmp. A longjmp with kind WR_OK
 * is a caught exception: run again from where it was caught (cx->rip). */
__attribute__((noinline))
static wr_trapkind vm_protected(struct vm_ctx *cx, wr_func *f, vm_slot *fp)
{
	cx->rip = f->code->cells;
	cx->rfp = fp;
	cx->rinst = f->inst;
	cx->fuel_due = cx->s->fuel_on;
	while (sigsetjmp(cx->jb, 0))
		if (vm_cur->kind != WR_OK)
			return vm_cur->kind;
	if (cx->fuel_due) {
		cx->fuel_due = false;
		vm_fuel(cx, 1);
	}
	return vm_run(cx, cx->rip, cx->rfp, cx->rinst);
}

/* The depth limit in frames. */
static size_t vm_depth_limit(const wr_store *s)
{
	if (s->max_depth == 0)
		return VM_DEFAULT_DEPTH;
	return s->max_depth < VM_MAX_DEPTH ? s->max_depth : VM_MAX_DEPTH;
}

wr_trapkind vm_call(wr_store *s, wr_func *f, uint64_t *slots, wr_trap *trap)
{
	wr_trap spare;
	if (!trap)
		trap = &spare;
	memset(trap, 0, sizeof(*trap));
	if (vm_nest == 0)
		vm_signals_init();
	vm_altstack();
	s->exn_pending = 0;
	if (f->host)
		return vm_call_host(s, f, slots, trap);
	struct vm_stack *st = vm_stack_get(s);
	const struct vm_code *cd = f->code;
	vm_slot *base = st ? st->slot_top : NULL;
	size_t depth = st ? st->depth : 0, limit = vm_depth_limit(s);
	if (!st || depth >= limit || (size_t)(st->slot_end - base) < cd->frame_slots ||
	    vm_nest >= VM_MAX_NEST) {
		vm_fill_trap(trap, WR_TRAP_STACK_EXHAUSTED, NULL, f, false);
		return WR_TRAP_STACK_EXHAUSTED;
	}
	struct vm_ctx cx;
	cx.s = s;
	cx.st = st;
	cx.trap = trap;
	cx.fr = cx.fr_base = st->frames + depth;
	cx.fr_end = st->frames + limit - 1;
	cx.prev = vm_cur;
	cx.outer = s->ctx;
	cx.base = base;
	cx.stop_ip = NULL;
	cx.stop_fp = cx.host_lo = cx.host_hi = NULL;
	cx.where = NULL;
	cx.msg = NULL;
	vm_init();
	cx.fr->ret_ip = vm_exit;
	cx.fr->ret_fp = NULL;
	cx.fr->ret_inst = f->inst;
	cx.fr->func = f;
	memcpy(base, slots, (size_t)cd->param_slots * sizeof(vm_slot));
	vm_zero_locals(base, cd);
	vm_cur = &cx;
	s->ctx = &cx;
	vm_nest++;
	wr_trapkind k = vm_protected(&cx, f, base);
	s->ctx = cx.outer;
	vm_nest--;
	vm_cur = cx.prev;
	st->slot_top = base;
	st->depth = depth;
	if (k == WR_OK)
		memcpy(slots, base, (size_t)cd->result_slots * sizeof(vm_slot));
	else
		vm_fill_trap(trap, k, cx.msg, cx.where ? cx.where : cx.fr->func, cx.where != NULL);
	return k;
}
