/*
 * interp_num.h: the numeric semantics of WebAssembly instructions, included
 * by interp.c only (after it declares vm_trap).
 *
 * Integers are handled as unsigned values so wrap-around is defined C; the
 * signed operations convert explicitly and avoid the cases C leaves
 * undefined (INT_MIN / -1, shifts by the width, clz of zero). Floats follow
 * IEEE-754 in the default rounding mode; sign operations work on the bits so
 * NaN payloads pass through unchanged, as the spec requires.
 */
#ifndef WRUN_INTERP_NUM_H
#define WRUN_INTERP_NUM_H

#include <math.h>
#include <stdint.h>
#include <string.h>

/* The raw bits of a float and back. */
static inline uint32_t vm_f32_bits(float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	return u;
}

static inline float vm_bits_f32(uint32_t u)
{
	float f;
	memcpy(&f, &u, 4);
	return f;
}

static inline uint64_t vm_f64_bits(double f)
{
	uint64_t u;
	memcpy(&u, &f, 8);
	return u;
}

static inline double vm_bits_f64(uint64_t u)
{
	double f;
	memcpy(&f, &u, 8);
	return f;
}

/*
 * A product that must be rounded on its own: WebAssembly has no fused
 * multiply-add, so the compiler must not contract x + a*b into one. The
 * empty asm makes the value opaque to it.
 */
#if defined(__x86_64__) || defined(__i386__)
#define VM_FREG "+x"
#elif defined(__aarch64__)
#define VM_FREG "+w"
#else
#define VM_FREG "+m"
#endif

static inline float vm_f32_keep(float v)
{
	__asm__("" : VM_FREG(v));
	return v;
}

static inline double vm_f64_keep(double v)
{
	__asm__("" : VM_FREG(v));
	return v;
}

/* ---- integer division: traps on zero and on the one overflowing case ---- */

static inline uint32_t vm_i32_div_s(struct vm_ctx *cx, uint32_t a, uint32_t b)
{
	if (__builtin_expect(b == 0, 0))
		vm_trap(cx, WR_TRAP_DIV_ZERO, NULL);
	if (__builtin_expect(a == 0x80000000u && b == 0xffffffffu, 0))
		vm_trap(cx, WR_TRAP_INT_OVERFLOW, NULL);
	return (uint32_t)((int32_t)a / (int32_t)b);
}

static inline uint32_t vm_i32_div_u(struct vm_ctx *cx, uint32_t a, uint32_t b)
{
	if (__builtin_expect(b == 0, 0))
		vm_trap(cx, WR_TRAP_DIV_ZERO, NULL);
	return a / b;
}

/* rem_s: INT_MIN % -1 is 0 in WebAssembly, undefined in C. */
static inline uint32_t vm_i32_rem_s(struct vm_ctx *cx, uint32_t a, uint32_t b)
{
	if (__builtin_expect(b == 0, 0))
		vm_trap(cx, WR_TRAP_DIV_ZERO, NULL);
	if (b == 0xffffffffu)
		return 0;
	return (uint32_t)((int32_t)a % (int32_t)b);
}

static inline uint32_t vm_i32_rem_u(struct vm_ctx *cx, uint32_t a, uint32_t b)
{
	if (__builtin_expect(b == 0, 0))
		vm_trap(cx, WR_TRAP_DIV_ZERO, NULL);
	return a % b;
}

static inline uint64_t vm_i64_div_s(struct vm_ctx *cx, uint64_t a, uint64_t b)
{
	if (__builtin_expect(b == 0, 0))
		vm_trap(cx, WR_TRAP_DIV_ZERO, NULL);
	if (__builtin_expect(a == 0x8000000000000000ull && b == ~0ull, 0))
		vm_trap(cx, WR_TRAP_INT_OVERFLOW, NULL);
	return (uint64_t)((int64_t)a / (int64_t)b);
}

static inline uint64_t vm_i64_div_u(struct vm_ctx *cx, uint64_t a, uint64_t b)
{
	if (__builtin_expect(b == 0, 0))
		vm_trap(cx, WR_TRAP_DIV_ZERO, NULL);
	return a / b;
}

static inline uint64_t vm_i64_rem_s(struct vm_ctx *cx, uint64_t a, uint64_t b)
{
	if (__builtin_expect(b == 0, 0))
		vm_trap(cx, WR_TRAP_DIV_ZERO, NULL);
	if (b == ~0ull)
		return 0;
	return (uint64_t)((int64_t)a % (int64_t)b);
}

static inline uint64_t vm_i64_rem_u(struct vm_ctx *cx, uint64_t a, uint64_t b)
{
	if (__builtin_expect(b == 0, 0))
		vm_trap(cx, WR_TRAP_DIV_ZERO, NULL);
	return a % b;
}

/* ---- bit counting and rotation (counts taken modulo the width) ---- */

static inline uint32_t vm_clz32(uint32_t a) { return a ? (uint32_t)__builtin_clz(a) : 32; }
static inline uint32_t vm_ctz32(uint32_t a) { return a ? (uint32_t)__builtin_ctz(a) : 32; }
static inline uint64_t vm_clz64(uint64_t a) { return a ? (uint64_t)__builtin_clzll(a) : 64; }
static inline uint64_t vm_ctz64(uint64_t a) { return a ? (uint64_t)__builtin_ctzll(a) : 64; }

static inline uint32_t vm_rotl32(uint32_t a, uint32_t b)
{
	return (a << (b & 31)) | (a >> ((32 - b) & 31));
}

static inline uint32_t vm_rotr32(uint32_t a, uint32_t b)
{
	return (a >> (b & 31)) | (a << ((32 - b) & 31));
}

static inline uint64_t vm_rotl64(uint64_t a, uint64_t b)
{
	return (a << (b & 63)) | (a >> ((64 - b) & 63));
}

static inline uint64_t vm_rotr64(uint64_t a, uint64_t b)
{
	return (a >> (b & 63)) | (a << ((64 - b) & 63));
}

/* ---- float min/max: NaN in gives NaN out, and -0 < +0 ---- */

static inline float vm_f32_min(float a, float b)
{
	if (a != a || b != b)
		return a + b;
	if (a == b) /* equal, or zeros of either sign: prefer the negative */
		return vm_bits_f32(vm_f32_bits(a) | vm_f32_bits(b));
	return a < b ? a : b;
}

static inline float vm_f32_max(float a, float b)
{
	if (a != a || b != b)
		return a + b;
	if (a == b)
		return vm_bits_f32(vm_f32_bits(a) & vm_f32_bits(b));
	return a > b ? a : b;
}

static inline double vm_f64_min(double a, double b)
{
	if (a != a || b != b)
		return a + b;
	if (a == b)
		return vm_bits_f64(vm_f64_bits(a) | vm_f64_bits(b));
	return a < b ? a : b;
}

static inline double vm_f64_max(double a, double b)
{
	if (a != a || b != b)
		return a + b;
	if (a == b)
		return vm_bits_f64(vm_f64_bits(a) & vm_f64_bits(b));
	return a > b ? a : b;
}

/* ---- rounding to an integral value ---- */

/* The C library may hand a signalling NaN back unchanged; WebAssembly wants
 * it quiet, which any arithmetic on it gives. */
static inline float vm_f32_round(float a, float (*fn)(float))
{
	return a != a ? a + a : fn(a);
}

static inline double vm_f64_round(double a, double (*fn)(double))
{
	return a != a ? a + a : fn(a);
}

/* ---- float to integer: trapping and saturating ---- */

/* Trap unless x is a number whose truncation lies strictly between lo and
 * hi (both exactly representable as doubles). */
static inline void vm_trunc_check(struct vm_ctx *cx, double x, double lo, double hi)
{
	if (__builtin_expect(x != x, 0))
		vm_trap(cx, WR_TRAP_INVALID_CONV, NULL);
	if (__builtin_expect(!(x > lo && x < hi), 0))
		vm_trap(cx, WR_TRAP_INT_OVERFLOW, NULL);
}

/* Every f32 widens to f64 exactly, so one check serves both sources. The
 * bounds: signed 32-bit -2^31-1 and 2^31, unsigned -1 and 2^32, signed
 * 64-bit -2^63 (inclusive: -2^63-1 is not a double) and 2^63, unsigned -1
 * and 2^64. */
static inline uint32_t vm_trunc_i32_s(struct vm_ctx *cx, double x)
{
	vm_trunc_check(cx, x, -2147483649.0, 2147483648.0);
	return (uint32_t)(int32_t)x;
}

static inline uint32_t vm_trunc_i32_u(struct vm_ctx *cx, double x)
{
	vm_trunc_check(cx, x, -1.0, 4294967296.0);
	return (uint32_t)x;
}

static inline uint64_t vm_trunc_i64_s(struct vm_ctx *cx, double x)
{
	if (__builtin_expect(x != x, 0))
		vm_trap(cx, WR_TRAP_INVALID_CONV, NULL);
	if (__builtin_expect(!(x >= -9223372036854775808.0 && x < 9223372036854775808.0), 0))
		vm_trap(cx, WR_TRAP_INT_OVERFLOW, NULL);
	return (uint64_t)(int64_t)x;
}

static inline uint64_t vm_trunc_i64_u(struct vm_ctx *cx, double x)
{
	vm_trunc_check(cx, x, -1.0, 18446744073709551616.0);
	return (uint64_t)x;
}

static inline uint32_t vm_sat_i32_s(double x)
{
	if (x != x)
		return 0;
	if (x <= -2147483648.0)
		return 0x80000000u;
	if (x >= 2147483647.0)
		return 0x7fffffffu;
	return (uint32_t)(int32_t)x;
}

static inline uint32_t vm_sat_i32_u(double x)
{
	if (!(x > 0.0)) /* NaN, negatives and zeros */
		return 0;
	if (x >= 4294967295.0)
		return 0xffffffffu;
	return (uint32_t)x;
}

static inline uint64_t vm_sat_i64_s(double x)
{
	if (x != x)
		return 0;
	if (x < -9223372036854775808.0)
		return 0x8000000000000000ull;
	if (x >= 9223372036854775808.0)
		return 0x7fffffffffffffffull;
	return (uint64_t)(int64_t)x;
}

static inline uint64_t vm_sat_i64_u(double x)
{
	if (!(x > 0.0))
		return 0;
	if (x >= 18446744073709551616.0)
		return ~0ull;
	return (uint64_t)x;
}

#endif
