/*
 * interp_simd.h: the 128-bit SIMD instructions, included by interp.c only
 * (after interp_num.h).
 *
 * A v128 lives in two consecutive frame slots. Frames start wherever a
 * caller put its arguments, so a v128 is not always 16-byte aligned: every
 * access goes through memcpy, which compiles to one unaligned vector move.
 *
 * The operations are written with GCC/Clang vector extensions, which map
 * one to one onto the host's vector instructions wherever the semantics
 * agree exactly (wrapping arithmetic, bitwise operations, comparisons,
 * shifts by a scalar, float arithmetic). Where WebAssembly asks for
 * something the host does not do in one instruction (NaN rules of min/max,
 * saturating float conversions, q15mulr, swizzle of out-of-range indices)
 * the code is portable C over the lanes, which the compiler vectorises where
 * it can. A few SSE2 instructions that match exactly (saturating add and
 * subtract, narrowing, dot, bitmask) are used when the host has them; the
 * portable versions stand in otherwise.
 *
 * The first half of the file holds the lane operations as small inline
 * functions; the second half the handlers, one HANDLER(NAME) a line,
 * expanded inside vm_run by VM_SIMD_HANDLERS.
 */
#ifndef WRUN_INTERP_SIMD_H
#define WRUN_INTERP_SIMD_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef int8_t vs_i8 __attribute__((vector_size(16)));
typedef uint8_t vs_u8 __attribute__((vector_size(16)));
typedef int16_t vs_i16 __attribute__((vector_size(16)));
typedef uint16_t vs_u16 __attribute__((vector_size(16)));
typedef int32_t vs_i32 __attribute__((vector_size(16)));
typedef uint32_t vs_u32 __attribute__((vector_size(16)));
typedef int64_t vs_i64 __attribute__((vector_size(16)));
typedef uint64_t vs_u64 __attribute__((vector_size(16)));
typedef float vs_f32 __attribute__((vector_size(16)));
typedef double vs_f64 __attribute__((vector_size(16)));

/* One v128 value, viewed as any lane shape. */
typedef union vs_v128 {
	vs_i8 i8;
	vs_u8 u8;
	vs_i16 i16;
	vs_u16 u16;
	vs_i32 i32;
	vs_u32 u32;
	vs_i64 i64;
	vs_u64 u64;
	vs_f32 f32;
	vs_f64 f64;
#ifdef __SSE2__
	__m128i m;
#endif
} vs_v128;

/* ---- moving values ---- */

static inline vs_v128 vs_load(const void *p)
{
	vs_v128 v;
	memcpy(&v, p, 16);
	return v;
}

static inline void vs_store(void *p, vs_v128 v)
{
	memcpy(p, &v, 16);
}

/* A v128 of zeros but for the low n bytes read from p (loadN_zero). */
static inline vs_v128 vs_load_zero(const uint8_t *p, size_t n)
{
	vs_v128 v = { .u64 = { 0, 0 } };
	memcpy(&v, p, n);
	return v;
}

/* loadN_splat: one lane read from p, copied to every lane. */
#define VS_SPLAT_LOAD(F, T) \
	static inline vs_v128 vs_splat_##F(const uint8_t *p) \
	{ \
		vs_v128 v; \
		T x; \
		memcpy(&x, p, sizeof(x)); \
		v.F = (__typeof__(v.F)){ 0 } + x; \
		return v; \
	}
VS_SPLAT_LOAD(u8, uint8_t)
VS_SPLAT_LOAD(u16, uint16_t)
VS_SPLAT_LOAD(u32, uint32_t)
VS_SPLAT_LOAD(u64, uint64_t)

/* ---- integer lanes ---- */

/* Lane-wise select: where m is all ones take a, else b. */
static inline vs_v128 vs_sel(vs_u64 m, vs_v128 a, vs_v128 b)
{
	vs_v128 r;
	r.u64 = (a.u64 & m) | (b.u64 & ~m);
	return r;
}

#define VS_MASK(cmp) ((vs_u64)(cmp))

/* min/max, signed and unsigned: X(suffix, field). */
#define VS_MINMAX(sfx, F) \
	static inline vs_v128 vs_min_##sfx(vs_v128 a, vs_v128 b) \
	{ return vs_sel(VS_MASK(a.F < b.F), a, b); } \
	static inline vs_v128 vs_max_##sfx(vs_v128 a, vs_v128 b) \
	{ return vs_sel(VS_MASK(a.F > b.F), a, b); }
VS_MINMAX(i8, i8) VS_MINMAX(u8, u8) VS_MINMAX(i16, i16) VS_MINMAX(u16, u16)
VS_MINMAX(i32, i32) VS_MINMAX(u32, u32)

/* abs of a signed lane: INT_MIN stays INT_MIN (the bits wrap). */
static inline vs_v128 vs_abs_i8(vs_v128 a)
{
	vs_u8 m = (vs_u8)(a.i8 >> 7);
	a.u8 = (a.u8 ^ m) - m;
	return a;
}

static inline vs_v128 vs_abs_i16(vs_v128 a)
{
	vs_u16 m = (vs_u16)(a.i16 >> 15);
	a.u16 = (a.u16 ^ m) - m;
	return a;
}

static inline vs_v128 vs_abs_i32(vs_v128 a)
{
	vs_u32 m = (vs_u32)(a.i32 >> 31);
	a.u32 = (a.u32 ^ m) - m;
	return a;
}

static inline vs_v128 vs_abs_i64(vs_v128 a)
{
	vs_u64 m = (vs_u64)(a.i64 >> 63);
	a.u64 = (a.u64 ^ m) - m;
	return a;
}

/* Rounding average of unsigned lanes, without widening: (a + b + 1) >> 1. */
static inline vs_v128 vs_avgr_u8(vs_v128 a, vs_v128 b)
{
	a.u8 = (a.u8 | b.u8) - ((a.u8 ^ b.u8) >> 1);
	return a;
}

static inline vs_v128 vs_avgr_u16(vs_v128 a, vs_v128 b)
{
	a.u16 = (a.u16 | b.u16) - ((a.u16 ^ b.u16) >> 1);
	return a;
}

/* Saturating add and subtract of 8- and 16-bit lanes. */
static inline int32_t vs_clamp(int32_t v, int32_t lo, int32_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

#define VS_SAT_PORTABLE(name, F, n, op, lo, hi) \
	static inline vs_v128 vs_##name##_c(vs_v128 a, vs_v128 b) \
	{ \
		for (int i = 0; i < n; i++) \
			a.F[i] = vs_clamp((int32_t)a.F[i] op (int32_t)b.F[i], lo, hi); \
		return a; \
	}
VS_SAT_PORTABLE(add_sat_i8, i8, 16, +, -128, 127)
VS_SAT_PORTABLE(add_sat_u8, u8, 16, +, 0, 255)
VS_SAT_PORTABLE(sub_sat_i8, i8, 16, -, -128, 127)
VS_SAT_PORTABLE(sub_sat_u8, u8, 16, -, 0, 255)
VS_SAT_PORTABLE(add_sat_i16, i16, 8, +, -32768, 32767)
VS_SAT_PORTABLE(add_sat_u16, u16, 8, +, 0, 65535)
VS_SAT_PORTABLE(sub_sat_i16, i16, 8, -, -32768, 32767)
VS_SAT_PORTABLE(sub_sat_u16, u16, 8, -, 0, 65535)

/* Narrowing: signed input lanes saturated to the half width, a's lanes
 * first. X(name, source field, destination field, n source lanes, lo, hi). */
#define VS_NARROW_PORTABLE(name, S, D, n, lo, hi) \
	static inline vs_v128 vs_##name##_c(vs_v128 a, vs_v128 b) \
	{ \
		vs_v128 r; \
		for (int i = 0; i < n; i++) { \
			r.D[i] = vs_clamp(a.S[i], lo, hi); \
			r.D[i + n] = vs_clamp(b.S[i], lo, hi); \
		} \
		return r; \
	}
VS_NARROW_PORTABLE(narrow_i16_s, i16, i8, 8, -128, 127)
VS_NARROW_PORTABLE(narrow_i16_u, i16, u8, 8, 0, 255)
VS_NARROW_PORTABLE(narrow_i32_s, i32, i16, 4, -32768, 32767)
VS_NARROW_PORTABLE(narrow_i32_u, i32, u16, 4, 0, 65535)

/* i32x4.dot_i16x8_s: sums of adjacent signed products; the one sum that
 * overflows (-32768 * -32768 twice) wraps. */
static inline vs_v128 vs_dot_c(vs_v128 a, vs_v128 b)
{
	vs_v128 r;
	for (int i = 0; i < 4; i++)
		r.u32[i] = (uint32_t)(a.i16[2 * i] * b.i16[2 * i]) +
			   (uint32_t)(a.i16[2 * i + 1] * b.i16[2 * i + 1]);
	return r;
}

/* Bitmask: the top bit of each lane, lane 0 in bit 0. */
#define VS_BITMASK_PORTABLE(sfx, F, n) \
	static inline uint32_t vs_bitmask_##sfx##_c(vs_v128 a) \
	{ \
		uint32_t r = 0; \
		for (int i = 0; i < n; i++) \
			r |= (uint32_t)(a.F[i] < 0) << i; \
		return r; \
	}
VS_BITMASK_PORTABLE(i8, i8, 16)
VS_BITMASK_PORTABLE(i16, i16, 8)
VS_BITMASK_PORTABLE(i32, i32, 4)
VS_BITMASK_PORTABLE(i64, i64, 2)

#ifdef __SSE2__
/* SSE2 has these exactly: paddsb/paddusb/psubsb/psubusb and the 16-bit
 * forms, packsswb/packuswb/packssdw, pmaddwd, pmovmskb/movmskps/movmskpd. */
#define VS_SSE2_BIN(name, intrin) \
	static inline vs_v128 vs_##name(vs_v128 a, vs_v128 b) \
	{ vs_v128 r; r.m = intrin(a.m, b.m); return r; }
VS_SSE2_BIN(add_sat_i8, _mm_adds_epi8)
VS_SSE2_BIN(add_sat_u8, _mm_adds_epu8)
VS_SSE2_BIN(sub_sat_i8, _mm_subs_epi8)
VS_SSE2_BIN(sub_sat_u8, _mm_subs_epu8)
VS_SSE2_BIN(add_sat_i16, _mm_adds_epi16)
VS_SSE2_BIN(add_sat_u16, _mm_adds_epu16)
VS_SSE2_BIN(sub_sat_i16, _mm_subs_epi16)
VS_SSE2_BIN(sub_sat_u16, _mm_subs_epu16)
VS_SSE2_BIN(narrow_i16_s, _mm_packs_epi16)
VS_SSE2_BIN(narrow_i16_u, _mm_packus_epi16)
VS_SSE2_BIN(narrow_i32_s, _mm_packs_epi32)
VS_SSE2_BIN(dot, _mm_madd_epi16)
static inline vs_v128 vs_narrow_i32_u(vs_v128 a, vs_v128 b) { return vs_narrow_i32_u_c(a, b); }
static inline uint32_t vs_bitmask_i8(vs_v128 a) { return (uint32_t)_mm_movemask_epi8(a.m); }
static inline uint32_t vs_bitmask_i16(vs_v128 a)
{
	return (uint32_t)_mm_movemask_epi8(_mm_packs_epi16(a.m, _mm_setzero_si128()));
}
static inline uint32_t vs_bitmask_i32(vs_v128 a)
{
	return (uint32_t)_mm_movemask_ps(_mm_castsi128_ps(a.m));
}
static inline uint32_t vs_bitmask_i64(vs_v128 a)
{
	return (uint32_t)_mm_movemask_pd(_mm_castsi128_pd(a.m));
}
#else
#define VS_USE_PORTABLE_BIN(name) \
	static inline vs_v128 vs_##name(vs_v128 a, vs_v128 b) { return vs_##name##_c(a, b); }
VS_USE_PORTABLE_BIN(add_sat_i8) VS_USE_PORTABLE_BIN(add_sat_u8)
VS_USE_PORTABLE_BIN(sub_sat_i8) VS_USE_PORTABLE_BIN(sub_sat_u8)
VS_USE_PORTABLE_BIN(add_sat_i16) VS_USE_PORTABLE_BIN(add_sat_u16)
VS_USE_PORTABLE_BIN(sub_sat_i16) VS_USE_PORTABLE_BIN(sub_sat_u16)
VS_USE_PORTABLE_BIN(narrow_i16_s) VS_USE_PORTABLE_BIN(narrow_i16_u)
VS_USE_PORTABLE_BIN(narrow_i32_s) VS_USE_PORTABLE_BIN(narrow_i32_u)
VS_USE_PORTABLE_BIN(dot)
static inline uint32_t vs_bitmask_i8(vs_v128 a) { return vs_bitmask_i8_c(a); }
static inline uint32_t vs_bitmask_i16(vs_v128 a) { return vs_bitmask_i16_c(a); }
static inline uint32_t vs_bitmask_i32(vs_v128 a) { return vs_bitmask_i32_c(a); }
static inline uint32_t vs_bitmask_i64(vs_v128 a) { return vs_bitmask_i64_c(a); }
#endif

/* i16x8.q15mulr_sat_s: (a * b + 0x4000) >> 15, saturated (only
 * -32768 * -32768 overflows). */
static inline vs_v128 vs_q15mulr(vs_v128 a, vs_v128 b)
{
	for (int i = 0; i < 8; i++)
		a.i16[i] = (int16_t)vs_clamp((a.i16[i] * b.i16[i] + 0x4000) >> 15, -32768, 32767);
	return a;
}

/*
 * Relaxed SIMD (Wasm 3.0) without a deterministic twin among the SIMD 2.0
 * instructions (compile.c maps the others onto theirs). wrun picks one of
 * the results the spec allows, always the same:
 *
 *   f32x4/f64x2.relaxed_madd   fused: fma(a, b, c), one rounding
 *   f32x4/f64x2.relaxed_nmadd  fused: fma(-a, b, c)
 *   i16x8.relaxed_dot_i8x16_i7x16_s  both operands signed, the sum of
 *       each pair of products saturated to i16 (only -128 * -128 twice,
 *       a b outside i7, saturates)
 *   i32x4.relaxed_dot_i8x16_i7x16_add_s  that i16x8 dot, its pairs added
 *       (i32x4.extadd_pairwise_i16x8_s), plus c, wrapping
 *
 * fma is the C library's, correctly rounded whatever the host, so the
 * result never depends on the compiler contracting a * b + c or not.
 * k is 1 for madd, -1 for nmadd.
 */
static inline vs_v128 vs_madd_f32(vs_v128 a, vs_v128 b, vs_v128 c, float k)
{
	for (int i = 0; i < 4; i++)
		c.f32[i] = fmaf(k * a.f32[i], b.f32[i], c.f32[i]);
	return c;
}

static inline vs_v128 vs_madd_f64(vs_v128 a, vs_v128 b, vs_v128 c, double k)
{
	for (int i = 0; i < 2; i++)
		c.f64[i] = fma(k * a.f64[i], b.f64[i], c.f64[i]);
	return c;
}

static inline vs_v128 vs_relaxed_dot(vs_v128 a, vs_v128 b)
{
	vs_v128 r;
	for (int i = 0; i < 8; i++)
		r.i16[i] = (int16_t)vs_clamp(a.i8[2 * i] * b.i8[2 * i] + a.i8[2 * i + 1] * b.i8[2 * i + 1],
					     -32768, 32767);
	return r;
}

static inline vs_v128 vs_relaxed_dot_add(vs_v128 a, vs_v128 b, vs_v128 c, int unused)
{
	vs_v128 d = vs_relaxed_dot(a, b);
	(void)unused;
	for (int i = 0; i < 4; i++)
		c.u32[i] += (uint32_t)(d.i16[2 * i] + d.i16[2 * i + 1]);
	return c;
}

/* i8x16.popcnt */
static inline vs_v128 vs_popcnt(vs_v128 a)
{
	vs_u8 x = a.u8;
	x = x - ((x >> 1) & 0x55);
	x = (x & 0x33) + ((x >> 2) & 0x33);
	a.u8 = (x + (x >> 4)) & 0x0f;
	return a;
}

/* Whether every lane is non-zero. */
static inline uint32_t vs_all_true_8(vs_v128 a)
{
	vs_v128 z;
	z.u64 = (vs_u64)(a.u8 == 0);
	return !(z.u64[0] | z.u64[1]);
}

static inline uint32_t vs_all_true_16(vs_v128 a)
{
	vs_v128 z;
	z.u64 = (vs_u64)(a.u16 == 0);
	return !(z.u64[0] | z.u64[1]);
}

static inline uint32_t vs_all_true_32(vs_v128 a)
{
	vs_v128 z;
	z.u64 = (vs_u64)(a.u32 == 0);
	return !(z.u64[0] | z.u64[1]);
}

static inline uint32_t vs_all_true_64(vs_v128 a)
{
	return a.u64[0] && a.u64[1];
}

static inline uint32_t vs_any_true(vs_v128 a)
{
	return (a.u64[0] | a.u64[1]) != 0;
}

/* Widening: extend the low or high half (h = 0 or half the lanes). */
#define VS_EXTEND(name, S, D, n) \
	static inline vs_v128 vs_##name(vs_v128 a, int h) \
	{ \
		vs_v128 r; \
		for (int i = 0; i < n; i++) \
			r.D[i] = a.S[i + h]; \
		return r; \
	}
VS_EXTEND(ext_i8, i8, i16, 8)
VS_EXTEND(ext_u8, u8, u16, 8)
VS_EXTEND(ext_i16, i16, i32, 4)
VS_EXTEND(ext_u16, u16, u32, 4)
VS_EXTEND(ext_i32, i32, i64, 2)
VS_EXTEND(ext_u32, u32, u64, 2)

/* extmul: products of the extended halves, exact in the double width. */
#define VS_EXTMUL(name, ext, D) \
	static inline vs_v128 vs_##name(vs_v128 a, vs_v128 b, int h) \
	{ \
		vs_v128 x = ext(a, h), y = ext(b, h); \
		x.D = x.D * y.D; \
		return x; \
	}
VS_EXTMUL(extmul_i8, vs_ext_i8, u16)
VS_EXTMUL(extmul_u8, vs_ext_u8, u16)
VS_EXTMUL(extmul_i16, vs_ext_i16, u32)
VS_EXTMUL(extmul_u16, vs_ext_u16, u32)
VS_EXTMUL(extmul_i32, vs_ext_i32, u64)
VS_EXTMUL(extmul_u32, vs_ext_u32, u64)

/* extadd_pairwise: sums of adjacent lanes in the double width. */
#define VS_EXTADD(name, S, D, n) \
	static inline vs_v128 vs_##name(vs_v128 a) \
	{ \
		vs_v128 r; \
		for (int i = 0; i < n; i++) \
			r.D[i] = a.S[2 * i] + a.S[2 * i + 1]; \
		return r; \
	}
VS_EXTADD(extadd_i8, i8, i16, 8)
VS_EXTADD(extadd_u8, u8, u16, 8)
VS_EXTADD(extadd_i16, i16, i32, 4)
VS_EXTADD(extadd_u16, u16, u32, 4)

/* i8x16.swizzle: an index of 16 or more selects zero. */
static inline vs_v128 vs_swizzle(vs_v128 a, vs_v128 s)
{
	vs_v128 r;
	for (int i = 0; i < 16; i++)
		r.u8[i] = s.u8[i] < 16 ? a.u8[s.u8[i] & 15] : 0;
	return r;
}

/* i8x16.shuffle: indices (validated below 32) into a then b. */
static inline vs_v128 vs_shuffle(vs_v128 a, vs_v128 b, const uint8_t *idx)
{
	uint8_t both[32];
	vs_v128 r;
	memcpy(both, &a, 16);
	memcpy(both + 16, &b, 16);
	for (int i = 0; i < 16; i++)
		r.u8[i] = both[idx[i] & 31];
	return r;
}

/* ---- float lanes ---- */

/*
 * min/max: NaN in either lane gives NaN, and -0 is below +0. Lanes that
 * compare equal (including zeros of opposite sign) combine their bits: OR
 * keeps a negative sign for min, AND keeps a positive one for max; lanes
 * where either is NaN take a + b, a NaN.
 */
#define VS_FMINMAX(sfx, F, U) \
	static inline vs_v128 vs_fmin_##sfx(vs_v128 a, vs_v128 b) \
	{ \
		vs_v128 eq, nan, r; \
		eq.U = a.U | b.U; \
		nan.F = a.F + b.F; \
		r = vs_sel(VS_MASK(a.F == b.F), eq, nan); \
		r = vs_sel(VS_MASK(b.F < a.F), b, r); \
		return vs_sel(VS_MASK(a.F < b.F), a, r); \
	} \
	static inline vs_v128 vs_fmax_##sfx(vs_v128 a, vs_v128 b) \
	{ \
		vs_v128 eq, nan, r; \
		eq.U = a.U & b.U; \
		nan.F = a.F + b.F; \
		r = vs_sel(VS_MASK(a.F == b.F), eq, nan); \
		r = vs_sel(VS_MASK(b.F > a.F), b, r); \
		return vs_sel(VS_MASK(a.F > b.F), a, r); \
	} \
	/* pmin: b < a ? b : a; pmax: a < b ? b : a (NaN gives a). */ \
	static inline vs_v128 vs_pmin_##sfx(vs_v128 a, vs_v128 b) \
	{ return vs_sel(VS_MASK(b.F < a.F), b, a); } \
	static inline vs_v128 vs_pmax_##sfx(vs_v128 a, vs_v128 b) \
	{ return vs_sel(VS_MASK(a.F < b.F), b, a); }
VS_FMINMAX(f32, f32, u32)
VS_FMINMAX(f64, f64, u64)

/* Lane-wise rounding, square root; signalling NaNs come back quiet. */
#define VS_FMAP(name, F, n, fn) \
	static inline vs_v128 vs_##name(vs_v128 a) \
	{ \
		for (int i = 0; i < n; i++) \
			a.F[i] = a.F[i] != a.F[i] ? a.F[i] + a.F[i] : fn(a.F[i]); \
		return a; \
	}
VS_FMAP(ceil_f32, f32, 4, ceilf)
VS_FMAP(floor_f32, f32, 4, floorf)
VS_FMAP(trunc_f32, f32, 4, truncf)
VS_FMAP(nearest_f32, f32, 4, rintf)
VS_FMAP(sqrt_f32, f32, 4, sqrtf)
VS_FMAP(ceil_f64, f64, 2, ceil)
VS_FMAP(floor_f64, f64, 2, floor)
VS_FMAP(trunc_f64, f64, 2, trunc)
VS_FMAP(nearest_f64, f64, 2, rint)
VS_FMAP(sqrt_f64, f64, 2, sqrt)

/* Conversions. X(name, source field, destination field, lanes, expression
 * of x); lanes past n are zero. */
#define VS_CONV(name, S, D, n, expr) \
	static inline vs_v128 vs_##name(vs_v128 a) \
	{ \
		vs_v128 r = { .u64 = { 0, 0 } }; \
		for (int i = 0; i < n; i++) { \
			__typeof__(a.S[0]) x = a.S[i]; \
			r.D[i] = (expr); \
		} \
		return r; \
	}
VS_CONV(trunc_sat_f32_s, f32, u32, 4, vm_sat_i32_s(x))
VS_CONV(trunc_sat_f32_u, f32, u32, 4, vm_sat_i32_u(x))
VS_CONV(trunc_sat_f64_s, f64, u32, 2, vm_sat_i32_s(x))
VS_CONV(trunc_sat_f64_u, f64, u32, 2, vm_sat_i32_u(x))
VS_CONV(convert_i32_s, i32, f32, 4, (float)x)
VS_CONV(convert_i32_u, u32, f32, 4, (float)x)
VS_CONV(convert_low_s, i32, f64, 2, (double)x)
VS_CONV(convert_low_u, u32, f64, 2, (double)x)
VS_CONV(demote, f64, f32, 2, (float)x)
VS_CONV(promote, f32, f64, 2, (double)x)

/* ---- the handlers ---- */

/* Reading and writing v128 frame slots, and the address of a memory
 * operand (the offset in cell k), for the handlers. */
#define VGET(k) vs_load(&fp[k])
#define VPUT(k, v) vs_store(&fp[k], (v))
#define VADDR(k) (mem + (ip[k].u64 + fp[A].u32))

/* Handler bodies, by layout (see vm_ops.h for the layouts). */
/* [d|a]: a unary operator, an expression of vs_v128 a. */
#define V_UNOP(expr) { vs_v128 a = VGET(A); VPUT(D, (expr)); NEXT(); }
/* [d|a][b|-]: an expression of vectors a and b of field F, giving field R. */
#define V_LANEWISE(R, expr, F) { vs_v128 x = VGET(A), y = VGET(B), r; \
	__typeof__(x.F) a = x.F, b = y.F; r.R = (__typeof__(r.R))(expr); VPUT(D, r); NEXT(); }
/* [d|a][b|-]: a function of two vs_v128, and extmul of half h. */
#define V_BINOP(fn) { VPUT(D, fn(VGET(A), VGET(B))); NEXT(); }
/* [d|a][b|c]: a function of three vs_v128 and a constant k. */
#define V_TERNOP(fn, k) { VPUT(D, fn(VGET(A), VGET(B), VGET(C), k)); NEXT(); }
#define V_EXTMUL(fn, h) { VPUT(D, fn(VGET(A), VGET(B), h)); NEXT(); }
/* [d|a][b|-]: a shift of lanes F by an i32 count modulo the lane width. */
#define V_SHIFT(F, op, bits) { vs_v128 a = VGET(A); a.F = a.F op (int)(fp[B].u32 & (bits - 1)); \
	VPUT(D, a); NEXT(); }
/* [d|a]: a test giving an i32. */
#define V_TEST(fn) { W32(D, fn(VGET(A))); NEXT(); }
/* [d|a]: splat of slot field SF, as scalar type ST, to lanes F. */
#define V_SPLAT(F, SF, ST) { vs_v128 r; r.F = (__typeof__(r.F)){ 0 } + (ST)fp[A].SF; VPUT(D, r); \
	NEXT(); }
/* [d|a][l|-] and [d|a][b|l]: extract and replace a lane of field F. */
#define V_EXTRACT(F, W) { vs_v128 a = VGET(A); W(D, a.F[B]); NEXT(); }
#define V_REPLACE(F, SF) { vs_v128 a = VGET(A); a.F[C] = (__typeof__(a.F[0]))fp[B].SF; VPUT(D, a); \
	NEXT(); }
/* [d|p][off]: a load, an expression of the address p. */
#define V_LOAD(expr) { const uint8_t *p = VADDR(2); VPUT(D, (expr)); NEXT(); }
/* [d|p][a|l][off] and [p|a][l|-][off]: a lane loaded into a copy of
 * vector a, and a lane of vector a stored. */
#define V_LOAD_LANE(F) { vs_v128 v = VGET(B); __typeof__(v.F[0]) x; \
	memcpy(&x, VADDR(3), sizeof(x)); v.F[C] = x; VPUT(D, v); NEXT(); }
#define V_STORE_LANE(F) { vs_v128 v = VGET(A); __typeof__(v.F[0]) x = v.F[B]; \
	memcpy(mem + (ip[3].u64 + fp[D].u32), &x, sizeof(x)); NEXT(); }
/* The same in a memory the instruction names (vm_mem_addr in interp.c): [d|p][off][mem|w] for
 * a load of n bytes, [d|p][a|l][off][mem|w] and [p|a][l|-][off][mem|w]
 * for the lanes. */
#define V_LOAD_MEM(n, expr) { const uint8_t *p = vm_mem_addr(cx, inst, &fp[A], ip + 2, n); \
	VPUT(D, (expr)); NEXT(); }
#define V_LOAD_LANE_MEM(F) { vs_v128 v = VGET(B); __typeof__(v.F[0]) x; \
	memcpy(&x, vm_mem_addr(cx, inst, &fp[A], ip + 3, sizeof(x)), sizeof(x)); v.F[C] = x; VPUT(D, v); \
	NEXT(); }
#define V_STORE_LANE_MEM(F) { vs_v128 v = VGET(A); __typeof__(v.F[0]) x = v.F[B]; \
	memcpy(vm_mem_addr(cx, inst, &fp[D], ip + 3, sizeof(x)), &x, sizeof(x)); NEXT(); }

/* Every SIMD handler, in the order of VM_OPS, expanded inside vm_run. */
#define VM_SIMD_HANDLERS \
	HANDLER(V128_NOT)                 V_UNOP(({ a.u64 = ~a.u64; a; }))                                            \
	HANDLER(I8X16_ABS)                V_UNOP(vs_abs_i8(a))                                                        \
	HANDLER(I8X16_NEG)                V_UNOP(({ a.u8 = -a.u8; a; }))                                              \
	HANDLER(I8X16_POPCNT)             V_UNOP(vs_popcnt(a))                                                        \
	HANDLER(I16X8_ABS)                V_UNOP(vs_abs_i16(a))                                                       \
	HANDLER(I16X8_NEG)                V_UNOP(({ a.u16 = -a.u16; a; }))                                            \
	HANDLER(I32X4_ABS)                V_UNOP(vs_abs_i32(a))                                                       \
	HANDLER(I32X4_NEG)                V_UNOP(({ a.u32 = -a.u32; a; }))                                            \
	HANDLER(I64X2_ABS)                V_UNOP(vs_abs_i64(a))                                                       \
	HANDLER(I64X2_NEG)                V_UNOP(({ a.u64 = -a.u64; a; }))                                            \
	HANDLER(F32X4_ABS)                V_UNOP(({ a.u32 &= 0x7fffffffu; a; }))                                      \
	HANDLER(F32X4_NEG)                V_UNOP(({ a.u32 ^= 0x80000000u; a; }))                                      \
	HANDLER(F64X2_ABS)                V_UNOP(({ a.u64 &= 0x7fffffffffffffffull; a; }))                            \
	HANDLER(F64X2_NEG)                V_UNOP(({ a.u64 ^= 0x8000000000000000ull; a; }))                            \
	HANDLER(F32X4_SQRT)               V_UNOP(vs_sqrt_f32(a))                                                      \
	HANDLER(F64X2_SQRT)               V_UNOP(vs_sqrt_f64(a))                                                      \
	HANDLER(F32X4_CEIL)               V_UNOP(vs_ceil_f32(a))                                                      \
	HANDLER(F32X4_FLOOR)              V_UNOP(vs_floor_f32(a))                                                     \
	HANDLER(F32X4_TRUNC)              V_UNOP(vs_trunc_f32(a))                                                     \
	HANDLER(F32X4_NEAREST)            V_UNOP(vs_nearest_f32(a))                                                   \
	HANDLER(F64X2_CEIL)               V_UNOP(vs_ceil_f64(a))                                                      \
	HANDLER(F64X2_FLOOR)              V_UNOP(vs_floor_f64(a))                                                     \
	HANDLER(F64X2_TRUNC)              V_UNOP(vs_trunc_f64(a))                                                     \
	HANDLER(F64X2_NEAREST)            V_UNOP(vs_nearest_f64(a))                                                   \
	HANDLER(I16X8_EXTADD_PAIRWISE_I8X16_S) V_UNOP(vs_extadd_i8(a))                                                \
	HANDLER(I16X8_EXTADD_PAIRWISE_I8X16_U) V_UNOP(vs_extadd_u8(a))                                                \
	HANDLER(I32X4_EXTADD_PAIRWISE_I16X8_S) V_UNOP(vs_extadd_i16(a))                                               \
	HANDLER(I32X4_EXTADD_PAIRWISE_I16X8_U) V_UNOP(vs_extadd_u16(a))                                               \
	HANDLER(I16X8_EXTEND_LOW_I8X16_S) V_UNOP(vs_ext_i8(a, 0))                                                     \
	HANDLER(I16X8_EXTEND_HIGH_I8X16_S) V_UNOP(vs_ext_i8(a, 8))                                                    \
	HANDLER(I16X8_EXTEND_LOW_I8X16_U) V_UNOP(vs_ext_u8(a, 0))                                                     \
	HANDLER(I16X8_EXTEND_HIGH_I8X16_U) V_UNOP(vs_ext_u8(a, 8))                                                    \
	HANDLER(I32X4_EXTEND_LOW_I16X8_S) V_UNOP(vs_ext_i16(a, 0))                                                    \
	HANDLER(I32X4_EXTEND_HIGH_I16X8_S) V_UNOP(vs_ext_i16(a, 4))                                                   \
	HANDLER(I32X4_EXTEND_LOW_I16X8_U) V_UNOP(vs_ext_u16(a, 0))                                                    \
	HANDLER(I32X4_EXTEND_HIGH_I16X8_U) V_UNOP(vs_ext_u16(a, 4))                                                   \
	HANDLER(I64X2_EXTEND_LOW_I32X4_S) V_UNOP(vs_ext_i32(a, 0))                                                    \
	HANDLER(I64X2_EXTEND_HIGH_I32X4_S) V_UNOP(vs_ext_i32(a, 2))                                                   \
	HANDLER(I64X2_EXTEND_LOW_I32X4_U) V_UNOP(vs_ext_u32(a, 0))                                                    \
	HANDLER(I64X2_EXTEND_HIGH_I32X4_U) V_UNOP(vs_ext_u32(a, 2))                                                   \
	HANDLER(I32X4_TRUNC_SAT_F32X4_S)  V_UNOP(vs_trunc_sat_f32_s(a))                                               \
	HANDLER(I32X4_TRUNC_SAT_F32X4_U)  V_UNOP(vs_trunc_sat_f32_u(a))                                               \
	HANDLER(I32X4_TRUNC_SAT_F64X2_S_ZERO) V_UNOP(vs_trunc_sat_f64_s(a))                                           \
	HANDLER(I32X4_TRUNC_SAT_F64X2_U_ZERO) V_UNOP(vs_trunc_sat_f64_u(a))                                           \
	HANDLER(F32X4_CONVERT_I32X4_S)    V_UNOP(vs_convert_i32_s(a))                                                 \
	HANDLER(F32X4_CONVERT_I32X4_U)    V_UNOP(vs_convert_i32_u(a))                                                 \
	HANDLER(F64X2_CONVERT_LOW_I32X4_S) V_UNOP(vs_convert_low_s(a))                                                \
	HANDLER(F64X2_CONVERT_LOW_I32X4_U) V_UNOP(vs_convert_low_u(a))                                                \
	HANDLER(F32X4_DEMOTE_F64X2_ZERO)  V_UNOP(vs_demote(a))                                                        \
	HANDLER(F64X2_PROMOTE_LOW_F32X4)  V_UNOP(vs_promote(a))                                                       \
	HANDLER(V128_AND)                 V_LANEWISE(u64, a & b, u64)                                                 \
	HANDLER(V128_ANDNOT)              V_LANEWISE(u64, a & ~b, u64)                                                \
	HANDLER(V128_OR)                  V_LANEWISE(u64, a | b, u64)                                                 \
	HANDLER(V128_XOR)                 V_LANEWISE(u64, a ^ b, u64)                                                 \
	HANDLER(I8X16_ADD)                V_LANEWISE(u8, a + b, u8)                                                   \
	HANDLER(I8X16_SUB)                V_LANEWISE(u8, a - b, u8)                                                   \
	HANDLER(I16X8_ADD)                V_LANEWISE(u16, a + b, u16)                                                 \
	HANDLER(I16X8_SUB)                V_LANEWISE(u16, a - b, u16)                                                 \
	HANDLER(I16X8_MUL)                V_LANEWISE(u16, a * b, u16)                                                 \
	HANDLER(I32X4_ADD)                V_LANEWISE(u32, a + b, u32)                                                 \
	HANDLER(I32X4_SUB)                V_LANEWISE(u32, a - b, u32)                                                 \
	HANDLER(I32X4_MUL)                V_LANEWISE(u32, a * b, u32)                                                 \
	HANDLER(I64X2_ADD)                V_LANEWISE(u64, a + b, u64)                                                 \
	HANDLER(I64X2_SUB)                V_LANEWISE(u64, a - b, u64)                                                 \
	HANDLER(I64X2_MUL)                V_LANEWISE(u64, a * b, u64)                                                 \
	HANDLER(F32X4_ADD)                V_LANEWISE(f32, a + b, f32)                                                 \
	HANDLER(F32X4_SUB)                V_LANEWISE(f32, a - b, f32)                                                 \
	HANDLER(F32X4_MUL)                V_LANEWISE(f32, a * b, f32)                                                 \
	HANDLER(F32X4_DIV)                V_LANEWISE(f32, a / b, f32)                                                 \
	HANDLER(F64X2_ADD)                V_LANEWISE(f64, a + b, f64)                                                 \
	HANDLER(F64X2_SUB)                V_LANEWISE(f64, a - b, f64)                                                 \
	HANDLER(F64X2_MUL)                V_LANEWISE(f64, a * b, f64)                                                 \
	HANDLER(F64X2_DIV)                V_LANEWISE(f64, a / b, f64)                                                 \
	HANDLER(I8X16_EQ)                 V_LANEWISE(i8, a == b, u8)                                                  \
	HANDLER(I8X16_NE)                 V_LANEWISE(i8, a != b, u8)                                                  \
	HANDLER(I8X16_LT_S)               V_LANEWISE(i8, a < b, i8)                                                   \
	HANDLER(I8X16_LT_U)               V_LANEWISE(i8, a < b, u8)                                                   \
	HANDLER(I8X16_GT_S)               V_LANEWISE(i8, a > b, i8)                                                   \
	HANDLER(I8X16_GT_U)               V_LANEWISE(i8, a > b, u8)                                                   \
	HANDLER(I8X16_LE_S)               V_LANEWISE(i8, a <= b, i8)                                                  \
	HANDLER(I8X16_LE_U)               V_LANEWISE(i8, a <= b, u8)                                                  \
	HANDLER(I8X16_GE_S)               V_LANEWISE(i8, a >= b, i8)                                                  \
	HANDLER(I8X16_GE_U)               V_LANEWISE(i8, a >= b, u8)                                                  \
	HANDLER(I16X8_EQ)                 V_LANEWISE(i16, a == b, u16)                                                \
	HANDLER(I16X8_NE)                 V_LANEWISE(i16, a != b, u16)                                                \
	HANDLER(I16X8_LT_S)               V_LANEWISE(i16, a < b, i16)                                                 \
	HANDLER(I16X8_LT_U)               V_LANEWISE(i16, a < b, u16)                                                 \
	HANDLER(I16X8_GT_S)               V_LANEWISE(i16, a > b, i16)                                                 \
	HANDLER(I16X8_GT_U)               V_LANEWISE(i16, a > b, u16)                                                 \
	HANDLER(I16X8_LE_S)               V_LANEWISE(i16, a <= b, i16)                                                \
	HANDLER(I16X8_LE_U)               V_LANEWISE(i16, a <= b, u16)                                                \
	HANDLER(I16X8_GE_S)               V_LANEWISE(i16, a >= b, i16)                                                \
	HANDLER(I16X8_GE_U)               V_LANEWISE(i16, a >= b, u16)                                                \
	HANDLER(I32X4_EQ)                 V_LANEWISE(i32, a == b, u32)                                                \
	HANDLER(I32X4_NE)                 V_LANEWISE(i32, a != b, u32)                                                \
	HANDLER(I32X4_LT_S)               V_LANEWISE(i32, a < b, i32)                                                 \
	HANDLER(I32X4_LT_U)               V_LANEWISE(i32, a < b, u32)                                                 \
	HANDLER(I32X4_GT_S)               V_LANEWISE(i32, a > b, i32)                                                 \
	HANDLER(I32X4_GT_U)               V_LANEWISE(i32, a > b, u32)                                                 \
	HANDLER(I32X4_LE_S)               V_LANEWISE(i32, a <= b, i32)                                                \
	HANDLER(I32X4_LE_U)               V_LANEWISE(i32, a <= b, u32)                                                \
	HANDLER(I32X4_GE_S)               V_LANEWISE(i32, a >= b, i32)                                                \
	HANDLER(I32X4_GE_U)               V_LANEWISE(i32, a >= b, u32)                                                \
	HANDLER(I64X2_EQ)                 V_LANEWISE(i64, a == b, u64)                                                \
	HANDLER(I64X2_NE)                 V_LANEWISE(i64, a != b, u64)                                                \
	HANDLER(I64X2_LT_S)               V_LANEWISE(i64, a < b, i64)                                                 \
	HANDLER(I64X2_GT_S)               V_LANEWISE(i64, a > b, i64)                                                 \
	HANDLER(I64X2_LE_S)               V_LANEWISE(i64, a <= b, i64)                                                \
	HANDLER(I64X2_GE_S)               V_LANEWISE(i64, a >= b, i64)                                                \
	HANDLER(F32X4_EQ)                 V_LANEWISE(i32, a == b, f32)                                                \
	HANDLER(F32X4_NE)                 V_LANEWISE(i32, a != b, f32)                                                \
	HANDLER(F32X4_LT)                 V_LANEWISE(i32, a < b, f32)                                                 \
	HANDLER(F32X4_GT)                 V_LANEWISE(i32, a > b, f32)                                                 \
	HANDLER(F32X4_LE)                 V_LANEWISE(i32, a <= b, f32)                                                \
	HANDLER(F32X4_GE)                 V_LANEWISE(i32, a >= b, f32)                                                \
	HANDLER(F64X2_EQ)                 V_LANEWISE(i64, a == b, f64)                                                \
	HANDLER(F64X2_NE)                 V_LANEWISE(i64, a != b, f64)                                                \
	HANDLER(F64X2_LT)                 V_LANEWISE(i64, a < b, f64)                                                 \
	HANDLER(F64X2_GT)                 V_LANEWISE(i64, a > b, f64)                                                 \
	HANDLER(F64X2_LE)                 V_LANEWISE(i64, a <= b, f64)                                                \
	HANDLER(F64X2_GE)                 V_LANEWISE(i64, a >= b, f64)                                                \
	HANDLER(I8X16_SWIZZLE)            V_BINOP(vs_swizzle)                                                         \
	HANDLER(I8X16_NARROW_I16X8_S)     V_BINOP(vs_narrow_i16_s)                                                    \
	HANDLER(I8X16_NARROW_I16X8_U)     V_BINOP(vs_narrow_i16_u)                                                    \
	HANDLER(I16X8_NARROW_I32X4_S)     V_BINOP(vs_narrow_i32_s)                                                    \
	HANDLER(I16X8_NARROW_I32X4_U)     V_BINOP(vs_narrow_i32_u)                                                    \
	HANDLER(I8X16_ADD_SAT_S)          V_BINOP(vs_add_sat_i8)                                                      \
	HANDLER(I8X16_ADD_SAT_U)          V_BINOP(vs_add_sat_u8)                                                      \
	HANDLER(I8X16_SUB_SAT_S)          V_BINOP(vs_sub_sat_i8)                                                      \
	HANDLER(I8X16_SUB_SAT_U)          V_BINOP(vs_sub_sat_u8)                                                      \
	HANDLER(I16X8_ADD_SAT_S)          V_BINOP(vs_add_sat_i16)                                                     \
	HANDLER(I16X8_ADD_SAT_U)          V_BINOP(vs_add_sat_u16)                                                     \
	HANDLER(I16X8_SUB_SAT_S)          V_BINOP(vs_sub_sat_i16)                                                     \
	HANDLER(I16X8_SUB_SAT_U)          V_BINOP(vs_sub_sat_u16)                                                     \
	HANDLER(I8X16_MIN_S)              V_BINOP(vs_min_i8)                                                          \
	HANDLER(I8X16_MIN_U)              V_BINOP(vs_min_u8)                                                          \
	HANDLER(I8X16_MAX_S)              V_BINOP(vs_max_i8)                                                          \
	HANDLER(I8X16_MAX_U)              V_BINOP(vs_max_u8)                                                          \
	HANDLER(I16X8_MIN_S)              V_BINOP(vs_min_i16)                                                         \
	HANDLER(I16X8_MIN_U)              V_BINOP(vs_min_u16)                                                         \
	HANDLER(I16X8_MAX_S)              V_BINOP(vs_max_i16)                                                         \
	HANDLER(I16X8_MAX_U)              V_BINOP(vs_max_u16)                                                         \
	HANDLER(I32X4_MIN_S)              V_BINOP(vs_min_i32)                                                         \
	HANDLER(I32X4_MIN_U)              V_BINOP(vs_min_u32)                                                         \
	HANDLER(I32X4_MAX_S)              V_BINOP(vs_max_i32)                                                         \
	HANDLER(I32X4_MAX_U)              V_BINOP(vs_max_u32)                                                         \
	HANDLER(I8X16_AVGR_U)             V_BINOP(vs_avgr_u8)                                                         \
	HANDLER(I16X8_AVGR_U)             V_BINOP(vs_avgr_u16)                                                        \
	HANDLER(I16X8_Q15MULR_SAT_S)      V_BINOP(vs_q15mulr)                                                         \
	HANDLER(I32X4_DOT_I16X8_S)        V_BINOP(vs_dot)                                                             \
	HANDLER(F32X4_MIN)                V_BINOP(vs_fmin_f32)                                                        \
	HANDLER(F32X4_MAX)                V_BINOP(vs_fmax_f32)                                                        \
	HANDLER(F32X4_PMIN)               V_BINOP(vs_pmin_f32)                                                        \
	HANDLER(F32X4_PMAX)               V_BINOP(vs_pmax_f32)                                                        \
	HANDLER(F64X2_MIN)                V_BINOP(vs_fmin_f64)                                                        \
	HANDLER(F64X2_MAX)                V_BINOP(vs_fmax_f64)                                                        \
	HANDLER(F64X2_PMIN)               V_BINOP(vs_pmin_f64)                                                        \
	HANDLER(F64X2_PMAX)               V_BINOP(vs_pmax_f64)                                                        \
	HANDLER(I16X8_EXTMUL_LOW_I8X16_S) V_EXTMUL(vs_extmul_i8, 0)                                                   \
	HANDLER(I16X8_EXTMUL_HIGH_I8X16_S) V_EXTMUL(vs_extmul_i8, 8)                                                  \
	HANDLER(I16X8_EXTMUL_LOW_I8X16_U) V_EXTMUL(vs_extmul_u8, 0)                                                   \
	HANDLER(I16X8_EXTMUL_HIGH_I8X16_U) V_EXTMUL(vs_extmul_u8, 8)                                                  \
	HANDLER(I32X4_EXTMUL_LOW_I16X8_S) V_EXTMUL(vs_extmul_i16, 0)                                                  \
	HANDLER(I32X4_EXTMUL_HIGH_I16X8_S) V_EXTMUL(vs_extmul_i16, 4)                                                 \
	HANDLER(I32X4_EXTMUL_LOW_I16X8_U) V_EXTMUL(vs_extmul_u16, 0)                                                  \
	HANDLER(I32X4_EXTMUL_HIGH_I16X8_U) V_EXTMUL(vs_extmul_u16, 4)                                                 \
	HANDLER(I64X2_EXTMUL_LOW_I32X4_S) V_EXTMUL(vs_extmul_i32, 0)                                                  \
	HANDLER(I64X2_EXTMUL_HIGH_I32X4_S) V_EXTMUL(vs_extmul_i32, 2)                                                 \
	HANDLER(I64X2_EXTMUL_LOW_I32X4_U) V_EXTMUL(vs_extmul_u32, 0)                                                  \
	HANDLER(I64X2_EXTMUL_HIGH_I32X4_U) V_EXTMUL(vs_extmul_u32, 2)                                                 \
	HANDLER(I8X16_SHL)                V_SHIFT(u8, <<, 8)                                                          \
	HANDLER(I8X16_SHR_S)              V_SHIFT(i8, >>, 8)                                                          \
	HANDLER(I8X16_SHR_U)              V_SHIFT(u8, >>, 8)                                                          \
	HANDLER(I16X8_SHL)                V_SHIFT(u16, <<, 16)                                                        \
	HANDLER(I16X8_SHR_S)              V_SHIFT(i16, >>, 16)                                                        \
	HANDLER(I16X8_SHR_U)              V_SHIFT(u16, >>, 16)                                                        \
	HANDLER(I32X4_SHL)                V_SHIFT(u32, <<, 32)                                                        \
	HANDLER(I32X4_SHR_S)              V_SHIFT(i32, >>, 32)                                                        \
	HANDLER(I32X4_SHR_U)              V_SHIFT(u32, >>, 32)                                                        \
	HANDLER(I64X2_SHL)                V_SHIFT(u64, <<, 64)                                                        \
	HANDLER(I64X2_SHR_S)              V_SHIFT(i64, >>, 64)                                                        \
	HANDLER(I64X2_SHR_U)              V_SHIFT(u64, >>, 64)                                                        \
	HANDLER(V128_ANY_TRUE)            V_TEST(vs_any_true)                                                         \
	HANDLER(I8X16_ALL_TRUE)           V_TEST(vs_all_true_8)                                                       \
	HANDLER(I16X8_ALL_TRUE)           V_TEST(vs_all_true_16)                                                      \
	HANDLER(I32X4_ALL_TRUE)           V_TEST(vs_all_true_32)                                                      \
	HANDLER(I64X2_ALL_TRUE)           V_TEST(vs_all_true_64)                                                      \
	HANDLER(I8X16_BITMASK)            V_TEST(vs_bitmask_i8)                                                       \
	HANDLER(I16X8_BITMASK)            V_TEST(vs_bitmask_i16)                                                      \
	HANDLER(I32X4_BITMASK)            V_TEST(vs_bitmask_i32)                                                      \
	HANDLER(I64X2_BITMASK)            V_TEST(vs_bitmask_i64)                                                      \
	HANDLER(I8X16_SPLAT)              V_SPLAT(u8, u32, uint8_t)                                                   \
	HANDLER(I16X8_SPLAT)              V_SPLAT(u16, u32, uint16_t)                                                 \
	HANDLER(I32X4_SPLAT)              V_SPLAT(u32, u32, uint32_t)                                                 \
	HANDLER(I64X2_SPLAT)              V_SPLAT(u64, u64, uint64_t)                                                 \
	HANDLER(F32X4_SPLAT)              V_SPLAT(u32, u32, uint32_t)                                                 \
	HANDLER(F64X2_SPLAT)              V_SPLAT(u64, u64, uint64_t)                                                 \
	HANDLER(I8X16_EXTRACT_LANE_S)     V_EXTRACT(i8, W32)                                                          \
	HANDLER(I8X16_EXTRACT_LANE_U)     V_EXTRACT(u8, W32)                                                          \
	HANDLER(I16X8_EXTRACT_LANE_S)     V_EXTRACT(i16, W32)                                                         \
	HANDLER(I16X8_EXTRACT_LANE_U)     V_EXTRACT(u16, W32)                                                         \
	HANDLER(I32X4_EXTRACT_LANE)       V_EXTRACT(u32, W32)                                                         \
	HANDLER(I64X2_EXTRACT_LANE)       V_EXTRACT(u64, W64)                                                         \
	HANDLER(F32X4_EXTRACT_LANE)       V_EXTRACT(u32, W32)                                                         \
	HANDLER(F64X2_EXTRACT_LANE)       V_EXTRACT(u64, W64)                                                         \
	HANDLER(I8X16_REPLACE_LANE)       V_REPLACE(u8, u32)                                                          \
	HANDLER(I16X8_REPLACE_LANE)       V_REPLACE(u16, u32)                                                         \
	HANDLER(I32X4_REPLACE_LANE)       V_REPLACE(u32, u32)                                                         \
	HANDLER(I64X2_REPLACE_LANE)       V_REPLACE(u64, u64)                                                         \
	HANDLER(F32X4_REPLACE_LANE)       V_REPLACE(u32, u32)                                                         \
	HANDLER(F64X2_REPLACE_LANE)       V_REPLACE(u64, u64)                                                         \
	HANDLER(V128_LOAD)                V_LOAD(vs_load(p))                                                          \
	HANDLER(V128_LOAD8X8_S)           V_LOAD(vs_ext_i8(vs_load_zero(p, 8), 0))                                    \
	HANDLER(V128_LOAD8X8_U)           V_LOAD(vs_ext_u8(vs_load_zero(p, 8), 0))                                    \
	HANDLER(V128_LOAD16X4_S)          V_LOAD(vs_ext_i16(vs_load_zero(p, 8), 0))                                   \
	HANDLER(V128_LOAD16X4_U)          V_LOAD(vs_ext_u16(vs_load_zero(p, 8), 0))                                   \
	HANDLER(V128_LOAD32X2_S)          V_LOAD(vs_ext_i32(vs_load_zero(p, 8), 0))                                   \
	HANDLER(V128_LOAD32X2_U)          V_LOAD(vs_ext_u32(vs_load_zero(p, 8), 0))                                   \
	HANDLER(V128_LOAD8_SPLAT)         V_LOAD(vs_splat_u8(p))                                                      \
	HANDLER(V128_LOAD16_SPLAT)        V_LOAD(vs_splat_u16(p))                                                     \
	HANDLER(V128_LOAD32_SPLAT)        V_LOAD(vs_splat_u32(p))                                                     \
	HANDLER(V128_LOAD64_SPLAT)        V_LOAD(vs_splat_u64(p))                                                     \
	HANDLER(V128_LOAD32_ZERO)         V_LOAD(vs_load_zero(p, 4))                                                  \
	HANDLER(V128_LOAD64_ZERO)         V_LOAD(vs_load_zero(p, 8))                                                  \
	HANDLER(V128_LOAD8_LANE)          V_LOAD_LANE(u8)                                                             \
	HANDLER(V128_LOAD16_LANE)         V_LOAD_LANE(u16)                                                            \
	HANDLER(V128_LOAD32_LANE)         V_LOAD_LANE(u32)                                                            \
	HANDLER(V128_LOAD64_LANE)         V_LOAD_LANE(u64)                                                            \
	HANDLER(V128_STORE8_LANE)         V_STORE_LANE(u8)                                                            \
	HANDLER(V128_STORE16_LANE)        V_STORE_LANE(u16)                                                           \
	HANDLER(V128_STORE32_LANE)        V_STORE_LANE(u32)                                                           \
	HANDLER(V128_STORE64_LANE)        V_STORE_LANE(u64)                                                           \
	HANDLER(V128_STORE)               { vs_store(VADDR(2), VGET(D)); NEXT(); }                                    \
	HANDLER(V128_CONST)               { VPUT(D, vs_load(&ip[2])); NEXT(); }                                       \
	HANDLER(V128_BITSELECT)           { vs_v128 m = VGET(C); VPUT(D, vs_sel(m.u64, VGET(A), VGET(B))); NEXT(); }  \
	HANDLER(I8X16_SHUFFLE)            { VPUT(D, vs_shuffle(VGET(A), VGET(B), (const uint8_t *)&ip[3])); NEXT(); }  \
	HANDLER(F32X4_RELAXED_MADD)       V_TERNOP(vs_madd_f32, 1)                                                    \
	HANDLER(F32X4_RELAXED_NMADD)      V_TERNOP(vs_madd_f32, -1)                                                   \
	HANDLER(F64X2_RELAXED_MADD)       V_TERNOP(vs_madd_f64, 1)                                                    \
	HANDLER(F64X2_RELAXED_NMADD)      V_TERNOP(vs_madd_f64, -1)                                                   \
	HANDLER(I16X8_RELAXED_DOT)        V_BINOP(vs_relaxed_dot)                                                     \
	HANDLER(I32X4_RELAXED_DOT_ADD)    V_TERNOP(vs_relaxed_dot_add, 0)

#endif
