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
 * functions; the second half the lists that generate the handlers, expanded
 * inside vm_run by VM_SIMD_HANDLERS.
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

/* ---- the handler lists ---- */

/*
 * Operand layouts (see vm.h for the notation):
 *
 *   unary, test, splat                [op][d|a]
 *   binary, shift                     [op][d|a][b|-]
 *   bitselect                         [op][d|a][b|c]
 *   extract_lane                      [op][d|a][lane]
 *   replace_lane                      [op][d|a][x|lane]
 *   shuffle                           [op][d|a][b|-][16 index bytes]
 *   V128_CONST                        [op][d|-][16 bytes]
 *   loads                             [op][d|addr][offset64]
 *   v128.store                        [op][val|addr][offset64]
 *   load lane                         [op][d|addr][vec|lane][offset64]
 *   store lane                        [op][addr|vec][lane|-][offset64]
 */

/* Unary operators: X(NAME, expression of vs_v128 a, as a vs_v128). */
#define VM_SIMD_UNOP_IMPL(X) \
	X(V128_NOT, ({ a.u64 = ~a.u64; a; })) \
	X(I8X16_ABS, vs_abs_i8(a)) \
	X(I8X16_NEG, ({ a.u8 = -a.u8; a; })) \
	X(I8X16_POPCNT, vs_popcnt(a)) \
	X(I16X8_ABS, vs_abs_i16(a)) \
	X(I16X8_NEG, ({ a.u16 = -a.u16; a; })) \
	X(I32X4_ABS, vs_abs_i32(a)) \
	X(I32X4_NEG, ({ a.u32 = -a.u32; a; })) \
	X(I64X2_ABS, vs_abs_i64(a)) \
	X(I64X2_NEG, ({ a.u64 = -a.u64; a; })) \
	X(F32X4_ABS, ({ a.u32 &= 0x7fffffffu; a; })) \
	X(F32X4_NEG, ({ a.u32 ^= 0x80000000u; a; })) \
	X(F64X2_ABS, ({ a.u64 &= 0x7fffffffffffffffull; a; })) \
	X(F64X2_NEG, ({ a.u64 ^= 0x8000000000000000ull; a; })) \
	X(F32X4_SQRT, vs_sqrt_f32(a)) \
	X(F64X2_SQRT, vs_sqrt_f64(a)) \
	X(F32X4_CEIL, vs_ceil_f32(a)) \
	X(F32X4_FLOOR, vs_floor_f32(a)) \
	X(F32X4_TRUNC, vs_trunc_f32(a)) \
	X(F32X4_NEAREST, vs_nearest_f32(a)) \
	X(F64X2_CEIL, vs_ceil_f64(a)) \
	X(F64X2_FLOOR, vs_floor_f64(a)) \
	X(F64X2_TRUNC, vs_trunc_f64(a)) \
	X(F64X2_NEAREST, vs_nearest_f64(a)) \
	X(I16X8_EXTADD_PAIRWISE_I8X16_S, vs_extadd_i8(a)) \
	X(I16X8_EXTADD_PAIRWISE_I8X16_U, vs_extadd_u8(a)) \
	X(I32X4_EXTADD_PAIRWISE_I16X8_S, vs_extadd_i16(a)) \
	X(I32X4_EXTADD_PAIRWISE_I16X8_U, vs_extadd_u16(a)) \
	X(I16X8_EXTEND_LOW_I8X16_S, vs_ext_i8(a, 0)) \
	X(I16X8_EXTEND_HIGH_I8X16_S, vs_ext_i8(a, 8)) \
	X(I16X8_EXTEND_LOW_I8X16_U, vs_ext_u8(a, 0)) \
	X(I16X8_EXTEND_HIGH_I8X16_U, vs_ext_u8(a, 8)) \
	X(I32X4_EXTEND_LOW_I16X8_S, vs_ext_i16(a, 0)) \
	X(I32X4_EXTEND_HIGH_I16X8_S, vs_ext_i16(a, 4)) \
	X(I32X4_EXTEND_LOW_I16X8_U, vs_ext_u16(a, 0)) \
	X(I32X4_EXTEND_HIGH_I16X8_U, vs_ext_u16(a, 4)) \
	X(I64X2_EXTEND_LOW_I32X4_S, vs_ext_i32(a, 0)) \
	X(I64X2_EXTEND_HIGH_I32X4_S, vs_ext_i32(a, 2)) \
	X(I64X2_EXTEND_LOW_I32X4_U, vs_ext_u32(a, 0)) \
	X(I64X2_EXTEND_HIGH_I32X4_U, vs_ext_u32(a, 2)) \
	X(I32X4_TRUNC_SAT_F32X4_S, vs_trunc_sat_f32_s(a)) \
	X(I32X4_TRUNC_SAT_F32X4_U, vs_trunc_sat_f32_u(a)) \
	X(I32X4_TRUNC_SAT_F64X2_S_ZERO, vs_trunc_sat_f64_s(a)) \
	X(I32X4_TRUNC_SAT_F64X2_U_ZERO, vs_trunc_sat_f64_u(a)) \
	X(F32X4_CONVERT_I32X4_S, vs_convert_i32_s(a)) \
	X(F32X4_CONVERT_I32X4_U, vs_convert_i32_u(a)) \
	X(F64X2_CONVERT_LOW_I32X4_S, vs_convert_low_s(a)) \
	X(F64X2_CONVERT_LOW_I32X4_U, vs_convert_low_u(a)) \
	X(F32X4_DEMOTE_F64X2_ZERO, vs_demote(a)) \
	X(F64X2_PROMOTE_LOW_F32X4, vs_promote(a))

/* Lane-wise binary operators with one vector-extension expression:
 * X(NAME, result field, expression of vectors a and b of field F, F). */
#define VM_SIMD_LANEWISE_IMPL(X) \
	X(V128_AND, u64, a & b, u64) \
	X(V128_ANDNOT, u64, a & ~b, u64) \
	X(V128_OR, u64, a | b, u64) \
	X(V128_XOR, u64, a ^ b, u64) \
	X(I8X16_ADD, u8, a + b, u8) \
	X(I8X16_SUB, u8, a - b, u8) \
	X(I16X8_ADD, u16, a + b, u16) \
	X(I16X8_SUB, u16, a - b, u16) \
	X(I16X8_MUL, u16, a * b, u16) \
	X(I32X4_ADD, u32, a + b, u32) \
	X(I32X4_SUB, u32, a - b, u32) \
	X(I32X4_MUL, u32, a * b, u32) \
	X(I64X2_ADD, u64, a + b, u64) \
	X(I64X2_SUB, u64, a - b, u64) \
	X(I64X2_MUL, u64, a * b, u64) \
	X(F32X4_ADD, f32, a + b, f32) \
	X(F32X4_SUB, f32, a - b, f32) \
	X(F32X4_MUL, f32, a * b, f32) \
	X(F32X4_DIV, f32, a / b, f32) \
	X(F64X2_ADD, f64, a + b, f64) \
	X(F64X2_SUB, f64, a - b, f64) \
	X(F64X2_MUL, f64, a * b, f64) \
	X(F64X2_DIV, f64, a / b, f64) \
	X(I8X16_EQ, i8, a == b, u8) \
	X(I8X16_NE, i8, a != b, u8) \
	X(I8X16_LT_S, i8, a < b, i8) \
	X(I8X16_LT_U, i8, a < b, u8) \
	X(I8X16_GT_S, i8, a > b, i8) \
	X(I8X16_GT_U, i8, a > b, u8) \
	X(I8X16_LE_S, i8, a <= b, i8) \
	X(I8X16_LE_U, i8, a <= b, u8) \
	X(I8X16_GE_S, i8, a >= b, i8) \
	X(I8X16_GE_U, i8, a >= b, u8) \
	X(I16X8_EQ, i16, a == b, u16) \
	X(I16X8_NE, i16, a != b, u16) \
	X(I16X8_LT_S, i16, a < b, i16) \
	X(I16X8_LT_U, i16, a < b, u16) \
	X(I16X8_GT_S, i16, a > b, i16) \
	X(I16X8_GT_U, i16, a > b, u16) \
	X(I16X8_LE_S, i16, a <= b, i16) \
	X(I16X8_LE_U, i16, a <= b, u16) \
	X(I16X8_GE_S, i16, a >= b, i16) \
	X(I16X8_GE_U, i16, a >= b, u16) \
	X(I32X4_EQ, i32, a == b, u32) \
	X(I32X4_NE, i32, a != b, u32) \
	X(I32X4_LT_S, i32, a < b, i32) \
	X(I32X4_LT_U, i32, a < b, u32) \
	X(I32X4_GT_S, i32, a > b, i32) \
	X(I32X4_GT_U, i32, a > b, u32) \
	X(I32X4_LE_S, i32, a <= b, i32) \
	X(I32X4_LE_U, i32, a <= b, u32) \
	X(I32X4_GE_S, i32, a >= b, i32) \
	X(I32X4_GE_U, i32, a >= b, u32) \
	X(I64X2_EQ, i64, a == b, u64) \
	X(I64X2_NE, i64, a != b, u64) \
	X(I64X2_LT_S, i64, a < b, i64) \
	X(I64X2_GT_S, i64, a > b, i64) \
	X(I64X2_LE_S, i64, a <= b, i64) \
	X(I64X2_GE_S, i64, a >= b, i64) \
	X(F32X4_EQ, i32, a == b, f32) \
	X(F32X4_NE, i32, a != b, f32) \
	X(F32X4_LT, i32, a < b, f32) \
	X(F32X4_GT, i32, a > b, f32) \
	X(F32X4_LE, i32, a <= b, f32) \
	X(F32X4_GE, i32, a >= b, f32) \
	X(F64X2_EQ, i64, a == b, f64) \
	X(F64X2_NE, i64, a != b, f64) \
	X(F64X2_LT, i64, a < b, f64) \
	X(F64X2_GT, i64, a > b, f64) \
	X(F64X2_LE, i64, a <= b, f64) \
	X(F64X2_GE, i64, a >= b, f64)

/* Other binary operators: X(NAME, function of two vs_v128). */
#define VM_SIMD_BINOP_IMPL(X) \
	X(I8X16_SWIZZLE, vs_swizzle) \
	X(I8X16_NARROW_I16X8_S, vs_narrow_i16_s) \
	X(I8X16_NARROW_I16X8_U, vs_narrow_i16_u) \
	X(I16X8_NARROW_I32X4_S, vs_narrow_i32_s) \
	X(I16X8_NARROW_I32X4_U, vs_narrow_i32_u) \
	X(I8X16_ADD_SAT_S, vs_add_sat_i8) \
	X(I8X16_ADD_SAT_U, vs_add_sat_u8) \
	X(I8X16_SUB_SAT_S, vs_sub_sat_i8) \
	X(I8X16_SUB_SAT_U, vs_sub_sat_u8) \
	X(I16X8_ADD_SAT_S, vs_add_sat_i16) \
	X(I16X8_ADD_SAT_U, vs_add_sat_u16) \
	X(I16X8_SUB_SAT_S, vs_sub_sat_i16) \
	X(I16X8_SUB_SAT_U, vs_sub_sat_u16) \
	X(I8X16_MIN_S, vs_min_i8) \
	X(I8X16_MIN_U, vs_min_u8) \
	X(I8X16_MAX_S, vs_max_i8) \
	X(I8X16_MAX_U, vs_max_u8) \
	X(I16X8_MIN_S, vs_min_i16) \
	X(I16X8_MIN_U, vs_min_u16) \
	X(I16X8_MAX_S, vs_max_i16) \
	X(I16X8_MAX_U, vs_max_u16) \
	X(I32X4_MIN_S, vs_min_i32) \
	X(I32X4_MIN_U, vs_min_u32) \
	X(I32X4_MAX_S, vs_max_i32) \
	X(I32X4_MAX_U, vs_max_u32) \
	X(I8X16_AVGR_U, vs_avgr_u8) \
	X(I16X8_AVGR_U, vs_avgr_u16) \
	X(I16X8_Q15MULR_SAT_S, vs_q15mulr) \
	X(I32X4_DOT_I16X8_S, vs_dot) \
	X(F32X4_MIN, vs_fmin_f32) \
	X(F32X4_MAX, vs_fmax_f32) \
	X(F32X4_PMIN, vs_pmin_f32) \
	X(F32X4_PMAX, vs_pmax_f32) \
	X(F64X2_MIN, vs_fmin_f64) \
	X(F64X2_MAX, vs_fmax_f64) \
	X(F64X2_PMIN, vs_pmin_f64) \
	X(F64X2_PMAX, vs_pmax_f64)

/* extmul: X(NAME, function, half). */
#define VM_SIMD_EXTMUL_IMPL(X) \
	X(I16X8_EXTMUL_LOW_I8X16_S, vs_extmul_i8, 0) \
	X(I16X8_EXTMUL_HIGH_I8X16_S, vs_extmul_i8, 8) \
	X(I16X8_EXTMUL_LOW_I8X16_U, vs_extmul_u8, 0) \
	X(I16X8_EXTMUL_HIGH_I8X16_U, vs_extmul_u8, 8) \
	X(I32X4_EXTMUL_LOW_I16X8_S, vs_extmul_i16, 0) \
	X(I32X4_EXTMUL_HIGH_I16X8_S, vs_extmul_i16, 4) \
	X(I32X4_EXTMUL_LOW_I16X8_U, vs_extmul_u16, 0) \
	X(I32X4_EXTMUL_HIGH_I16X8_U, vs_extmul_u16, 4) \
	X(I64X2_EXTMUL_LOW_I32X4_S, vs_extmul_i32, 0) \
	X(I64X2_EXTMUL_HIGH_I32X4_S, vs_extmul_i32, 2) \
	X(I64X2_EXTMUL_LOW_I32X4_U, vs_extmul_u32, 0) \
	X(I64X2_EXTMUL_HIGH_I32X4_U, vs_extmul_u32, 2)

/* Shifts by an i32 count taken modulo the lane width:
 * X(NAME, field, operator, lane bits). */
#define VM_SIMD_SHIFT_IMPL(X) \
	X(I8X16_SHL, u8, <<, 8) X(I8X16_SHR_S, i8, >>, 8) X(I8X16_SHR_U, u8, >>, 8) \
	X(I16X8_SHL, u16, <<, 16) X(I16X8_SHR_S, i16, >>, 16) X(I16X8_SHR_U, u16, >>, 16) \
	X(I32X4_SHL, u32, <<, 32) X(I32X4_SHR_S, i32, >>, 32) X(I32X4_SHR_U, u32, >>, 32) \
	X(I64X2_SHL, u64, <<, 64) X(I64X2_SHR_S, i64, >>, 64) X(I64X2_SHR_U, u64, >>, 64)

/* Tests giving an i32: X(NAME, function). */
#define VM_SIMD_TEST_IMPL(X) \
	X(V128_ANY_TRUE, vs_any_true) \
	X(I8X16_ALL_TRUE, vs_all_true_8) \
	X(I16X8_ALL_TRUE, vs_all_true_16) \
	X(I32X4_ALL_TRUE, vs_all_true_32) \
	X(I64X2_ALL_TRUE, vs_all_true_64) \
	X(I8X16_BITMASK, vs_bitmask_i8) \
	X(I16X8_BITMASK, vs_bitmask_i16) \
	X(I32X4_BITMASK, vs_bitmask_i32) \
	X(I64X2_BITMASK, vs_bitmask_i64)

/* splat: X(NAME, vector field, scalar slot field, scalar type). */
#define VM_SIMD_SPLAT_IMPL(X) \
	X(I8X16_SPLAT, u8, u32, uint8_t) \
	X(I16X8_SPLAT, u16, u32, uint16_t) \
	X(I32X4_SPLAT, u32, u32, uint32_t) \
	X(I64X2_SPLAT, u64, u64, uint64_t) \
	X(F32X4_SPLAT, u32, u32, uint32_t) \
	X(F64X2_SPLAT, u64, u64, uint64_t)

/* extract_lane: X(NAME, vector field, writer). */
#define VM_SIMD_EXTRACT_IMPL(X) \
	X(I8X16_EXTRACT_LANE_S, i8, W32) \
	X(I8X16_EXTRACT_LANE_U, u8, W32) \
	X(I16X8_EXTRACT_LANE_S, i16, W32) \
	X(I16X8_EXTRACT_LANE_U, u16, W32) \
	X(I32X4_EXTRACT_LANE, u32, W32) \
	X(I64X2_EXTRACT_LANE, u64, W64) \
	X(F32X4_EXTRACT_LANE, u32, W32) \
	X(F64X2_EXTRACT_LANE, u64, W64)

/* replace_lane: X(NAME, vector field, scalar slot field). */
#define VM_SIMD_REPLACE_IMPL(X) \
	X(I8X16_REPLACE_LANE, u8, u32) \
	X(I16X8_REPLACE_LANE, u16, u32) \
	X(I32X4_REPLACE_LANE, u32, u32) \
	X(I64X2_REPLACE_LANE, u64, u64) \
	X(F32X4_REPLACE_LANE, u32, u32) \
	X(F64X2_REPLACE_LANE, u64, u64)

/* Loads of a whole v128 from address p: X(NAME, expression of p). */
#define VM_SIMD_LOAD_IMPL(X) \
	X(V128_LOAD, vs_load(p)) \
	X(V128_LOAD8X8_S, vs_ext_i8(vs_load_zero(p, 8), 0)) \
	X(V128_LOAD8X8_U, vs_ext_u8(vs_load_zero(p, 8), 0)) \
	X(V128_LOAD16X4_S, vs_ext_i16(vs_load_zero(p, 8), 0)) \
	X(V128_LOAD16X4_U, vs_ext_u16(vs_load_zero(p, 8), 0)) \
	X(V128_LOAD32X2_S, vs_ext_i32(vs_load_zero(p, 8), 0)) \
	X(V128_LOAD32X2_U, vs_ext_u32(vs_load_zero(p, 8), 0)) \
	X(V128_LOAD8_SPLAT, vs_splat_u8(p)) \
	X(V128_LOAD16_SPLAT, vs_splat_u16(p)) \
	X(V128_LOAD32_SPLAT, vs_splat_u32(p)) \
	X(V128_LOAD64_SPLAT, vs_splat_u64(p)) \
	X(V128_LOAD32_ZERO, vs_load_zero(p, 4)) \
	X(V128_LOAD64_ZERO, vs_load_zero(p, 8))

/* Lane loads and stores: X(NAME, vector field). */
#define VM_SIMD_LOAD_LANE_IMPL(X) \
	X(V128_LOAD8_LANE, u8) X(V128_LOAD16_LANE, u16) \
	X(V128_LOAD32_LANE, u32) X(V128_LOAD64_LANE, u64)
#define VM_SIMD_STORE_LANE_IMPL(X) \
	X(V128_STORE8_LANE, u8) X(V128_STORE16_LANE, u16) \
	X(V128_STORE32_LANE, u32) X(V128_STORE64_LANE, u64)

/* Reading and writing v128 frame slots, for the handlers. */
#define VGET(k) vs_load(&fp[k])
#define VPUT(k, v) vs_store(&fp[k], (v))
#define VADDR(k) (mem + (ip[k].u64 + fp[A].u32))

#define GEN_V_UNOP(name, expr) \
	HANDLER(name) { vs_v128 a = VGET(A); VPUT(D, (expr)); NEXT(2); }
#define GEN_V_LANEWISE(name, R, expr, F) \
	HANDLER(name) { vs_v128 x = VGET(A), y = VGET(B), r; \
		__typeof__(x.F) a = x.F, b = y.F; \
		r.R = (__typeof__(r.R))(expr); VPUT(D, r); NEXT(3); }
#define GEN_V_BINOP(name, fn) \
	HANDLER(name) { VPUT(D, fn(VGET(A), VGET(B))); NEXT(3); }
#define GEN_V_EXTMUL(name, fn, h) \
	HANDLER(name) { VPUT(D, fn(VGET(A), VGET(B), h)); NEXT(3); }
#define GEN_V_SHIFT(name, F, op, bits) \
	HANDLER(name) { vs_v128 a = VGET(A); a.F = a.F op (int)(fp[B].u32 & (bits - 1)); \
		VPUT(D, a); NEXT(3); }
#define GEN_V_TEST(name, fn) \
	HANDLER(name) { W32(D, fn(VGET(A))); NEXT(2); }
#define GEN_V_SPLAT(name, F, SF, ST) \
	HANDLER(name) { vs_v128 r; r.F = (__typeof__(r.F)){ 0 } + (ST)fp[A].SF; \
		VPUT(D, r); NEXT(2); }
#define GEN_V_EXTRACT(name, F, W) \
	HANDLER(name) { vs_v128 a = VGET(A); W(D, a.F[B]); NEXT(3); }
#define GEN_V_REPLACE(name, F, SF) \
	HANDLER(name) { vs_v128 a = VGET(A); a.F[C] = (__typeof__(a.F[0]))fp[B].SF; \
		VPUT(D, a); NEXT(3); }
#define GEN_V_LOAD(name, expr) \
	HANDLER(name) { const uint8_t *p = VADDR(2); VPUT(D, (expr)); NEXT(3); }
#define GEN_V_LOAD_LANE(name, F) \
	HANDLER(name) { vs_v128 v = VGET(B); __typeof__(v.F[0]) x; \
		memcpy(&x, VADDR(3), sizeof(x)); v.F[C] = x; VPUT(D, v); NEXT(4); }
#define GEN_V_STORE_LANE(name, F) \
	HANDLER(name) { vs_v128 v = VGET(A); __typeof__(v.F[0]) x = v.F[B]; \
		memcpy(mem + (ip[3].u64 + fp[D].u32), &x, sizeof(x)); NEXT(4); }

/* Every SIMD handler, for the body of vm_run. */
#define VM_SIMD_HANDLERS \
	VM_SIMD_UNOP_IMPL(GEN_V_UNOP) \
	VM_SIMD_LANEWISE_IMPL(GEN_V_LANEWISE) \
	VM_SIMD_BINOP_IMPL(GEN_V_BINOP) \
	VM_SIMD_EXTMUL_IMPL(GEN_V_EXTMUL) \
	VM_SIMD_SHIFT_IMPL(GEN_V_SHIFT) \
	VM_SIMD_TEST_IMPL(GEN_V_TEST) \
	VM_SIMD_SPLAT_IMPL(GEN_V_SPLAT) \
	VM_SIMD_EXTRACT_IMPL(GEN_V_EXTRACT) \
	VM_SIMD_REPLACE_IMPL(GEN_V_REPLACE) \
	VM_SIMD_LOAD_IMPL(GEN_V_LOAD) \
	VM_SIMD_LOAD_LANE_IMPL(GEN_V_LOAD_LANE) \
	VM_SIMD_STORE_LANE_IMPL(GEN_V_STORE_LANE) \
	HANDLER(V128_STORE) { vs_store(VADDR(2), VGET(D)); NEXT(3); } \
	HANDLER(V128_CONST) { VPUT(D, vs_load(&ip[2])); NEXT(4); } \
	HANDLER(V128_BITSELECT) { vs_v128 m = VGET(C); \
		VPUT(D, vs_sel(m.u64, VGET(A), VGET(B))); NEXT(3); } \
	HANDLER(I8X16_SHUFFLE) { VPUT(D, vs_shuffle(VGET(A), VGET(B), (const uint8_t *)&ip[3])); \
		NEXT(5); }

#endif
