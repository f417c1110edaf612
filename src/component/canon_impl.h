/*
 * canon_impl.h: what the canonical ABI's files share among themselves
 * (canon_*.c, cval.c); the rest of the project uses canon.h.
 */
#ifndef WRUN_COMPONENT_CANON_IMPL_H
#define WRUN_COMPONENT_CANON_IMPL_H

#include "canon.h"

/* ---- traps ---- */

/* Fill *trap (kind WR_TRAP_HOST, the formatted message); returns WR_TRAP_HOST. */
wr_trapkind ctrap_to(wr_trap *trap, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define ctrap(cx, ...) ctrap_to((cx)->trap, __VA_ARGS__)
/* Report, from a host function, the trap k (details in *t) of a call it made. */
wr_trapkind cpass_trap(wr_hostcall *hc, wr_trapkind k, const wr_trap *t);
/* Out of host memory while lifting or lowering. */
wr_trapkind ctrap_oom(struct ccx *cx);
/* Count n more bytes of lifted values against CANON_MAX_LIFT_BYTES: WR_OK,
 * or the trap that says the call's values are too large. */
wr_trapkind clift_charge(struct ccx *cx, uint64_t n);

/* The reference tests' wording; one check can be reached from tests that
 * word it differently, so some messages hold both wordings. */
#define CMSG_UNALIGNED "unaligned pointer"
#define CMSG_REALLOC_UNALIGNED "unaligned pointer (realloc return: result not aligned)"
#define CMSG_PTR_OOB "pointer out of bounds of memory"
#define CMSG_REALLOC_OOB "realloc return: beyond end of memory"
#define CMSG_STRING_OOB "string content out-of-bounds: string pointer/length out of bounds of memory"
#define CMSG_STRING_REALLOC_OOB "string content out-of-bounds (realloc return: beyond end of memory)"
#define CMSG_LIST_OOB "list content out-of-bounds: list pointer/length out of bounds of memory"
#define CMSG_LIST_REALLOC_OOB "list content out-of-bounds (realloc return: beyond end of memory)"
#define CMSG_CHAR "invalid `char` bit pattern"
#define CMSG_DISC "invalid variant discriminant"
#define CMSG_LEAVE "cannot leave component instance"
#define CMSG_ENTER "cannot enter component instance"
#define CMSG_LENT "cannot remove owned resource while borrowed"
#define CMSG_MISMATCH "value does not match its type"

/* ---- linear memory ---- */

/* The bytes [ptr, ptr+n) of the options' memory, or NULL when there is no
 * memory or they are not all inside it. Valid until guest code runs. */
uint8_t *cmem(struct ccx *cx, uint64_t ptr, uint64_t n);
/* Trap unless ptr is align-aligned (msg_align) and [ptr, ptr+n) in
 * memory (msg_oob); the alignment is checked first. */
wr_trapkind cmem_check(struct ccx *cx, uint64_t ptr, uint64_t n, uint32_t align,
                       const char *msg_align, const char *msg_oob);
/* Little-endian integers of 1, 2, 4 or 8 bytes. */
uint64_t cld(const uint8_t *p, unsigned n);
void cst(uint8_t *p, uint64_t v, unsigned n);
/* Call the options' realloc(old, old_size, align, new_size) with may_leave
 * cleared (the spec's LiftLowerContext.reallocate). */
wr_trapkind crealloc(struct ccx *cx, uint32_t old, uint32_t old_size, uint32_t align,
                     uint32_t new_size, uint32_t *out);

/* ---- layout ---- */

static inline uint64_t calign_to(uint64_t x, uint32_t a)
{
	return (x + a - 1) / a * a;
}
/* Cases of a variant, option or result; the payload type of case i (NULL:
 * none); the discriminant's byte size; the largest case alignment. */
uint32_t cncases(const ctype *t);
const ctype *ccase_type(const ctype *t, uint32_t i);
uint32_t cdisc_size(uint32_t ncases);
uint32_t cmax_case_align(const ctype *t);
/* The tuple of n field types: its alignment and elem_size. */
void ctuple_layout(const cfield *f, uint32_t n, uint32_t *align, uint64_t *size);

/* ---- values ---- */

/* The tag (case index) and payload count a lowered value must have. */
wr_trapkind ccheck_kind(struct ccx *cx, const wr_cval *v, const ctype *t);
/* Fresh arrays of n zeroed values (NULL when out of memory; n may be 0). */
wr_cval *cval_array(uint32_t n);

/* ---- strings ---- */

/* UTF-8 checks: 0 if valid, else the offset of the error in *at, with
 * *bad the length of the invalid sequence (0: the input ended inside one). */
int cutf8_check(const uint8_t *s, size_t n, size_t *at, uint32_t *bad);
/* The next code point of valid UTF-8 at s[*i] (advancing *i). */
uint32_t cutf8_next(const uint8_t *s, size_t *i);
/* Encode a code point as UTF-8 into out (4 bytes room); returns the length. */
uint32_t cutf8_put(uint32_t cp, uint8_t *out);

/* ---- handles ---- */

wr_trapkind chandle_lift_own(struct ccx *cx, uint32_t i, const ctype *t, uint32_t *rep);
wr_trapkind chandle_lift_borrow(struct ccx *cx, uint32_t i, const ctype *t, uint32_t *rep);
wr_trapkind chandle_lower_own(struct ccx *cx, uint32_t rep, const ctype *t, uint32_t *i);
wr_trapkind chandle_lower_borrow(struct ccx *cx, uint32_t rep, const ctype *t, uint32_t *i);
/* Forget the borrow handles lowered into task that are left (after a trap). */
void ctask_scrub(struct ctask *task);
/* Memory freed with inst (zeroed; NULL when out of memory). */
void *cinstance_alloc(struct cinstance *inst, size_t bytes);

/* ---- reentrance ---- */

/* may_enter_from, enter_from, leave_to of the spec's ComponentInstance. */
bool cinstance_may_enter(const struct cinstance *inst, const struct cinstance *caller);
void cinstance_enter(struct cinstance *inst, const struct cinstance *caller);
void cinstance_leave(struct cinstance *inst, const struct cinstance *caller);

#endif
