/*
 * simd_shim.h: the few wasm_simd128.h intrinsics intrin.c uses, written
 * lane by lane from the WebAssembly specification, for the native build.
 * The wasm build includes the real header instead, so the two outputs
 * compare wrun's SIMD instructions with this reference.
 */
#ifndef SIMD_SHIM_H
#define SIMD_SHIM_H

#include <math.h>
#include <stdint.h>
#include <string.h>

typedef struct { uint8_t b[16]; } v128_t;

#define SHIM_LANES(T, n) T l[n]
#define SHIM_GET(T, v, l) memcpy(l, (v).b, 16)
#define SHIM_PUT(T, v, l) memcpy((v).b, l, 16)

static inline v128_t wasm_v128_load(const void *p) { v128_t v; memcpy(&v, p, 16); return v; }
static inline void wasm_v128_store(void *p, v128_t v) { memcpy(p, &v, 16); }

static inline v128_t wasm_i8x16_splat(int8_t x) { v128_t v; memset(v.b, (uint8_t)x, 16); return v; }

static inline v128_t wasm_i8x16_eq(v128_t a, v128_t b)
{
	for (int i = 0; i < 16; i++)
		a.b[i] = a.b[i] == b.b[i] ? 0xff : 0;
	return a;
}

static inline uint32_t wasm_i8x16_bitmask(v128_t a)
{
	uint32_t m = 0;
	for (int i = 0; i < 16; i++)
		m |= (uint32_t)(a.b[i] >> 7) << i;
	return m;
}

static inline int wasm_v128_any_true(v128_t a)
{
	for (int i = 0; i < 16; i++)
		if (a.b[i])
			return 1;
	return 0;
}

static inline v128_t wasm_u8x16_add_sat(v128_t a, v128_t b)
{
	for (int i = 0; i < 16; i++)
		a.b[i] = a.b[i] + b.b[i] > 255 ? 255 : a.b[i] + b.b[i];
	return a;
}

static inline v128_t wasm_i8x16_swizzle(v128_t a, v128_t s)
{
	v128_t r;
	for (int i = 0; i < 16; i++)
		r.b[i] = s.b[i] < 16 ? a.b[s.b[i]] : 0;
	return r;
}

#define wasm_i8x16_shuffle(a, b, ...) shim_shuffle((a), (b), (const uint8_t[16]){ __VA_ARGS__ })
static inline v128_t shim_shuffle(v128_t a, v128_t b, const uint8_t *idx)
{
	v128_t r;
	for (int i = 0; i < 16; i++)
		r.b[i] = idx[i] < 16 ? a.b[idx[i]] : b.b[idx[i] - 16];
	return r;
}

static inline v128_t wasm_u16x8_extend_low_u8x16(v128_t a)
{
	uint16_t l[8];
	for (int i = 0; i < 8; i++)
		l[i] = a.b[i];
	memcpy(&a, l, 16);
	return a;
}

static inline v128_t wasm_u16x8_extend_high_u8x16(v128_t a)
{
	uint16_t l[8];
	for (int i = 0; i < 8; i++)
		l[i] = a.b[8 + i];
	memcpy(&a, l, 16);
	return a;
}

/* 16-bit lane-wise helpers over a binary operation. */
#define SHIM_I16_BIN(name, expr) \
	static inline v128_t name(v128_t va, v128_t vb) \
	{ \
		int16_t a[8], b[8], r[8]; \
		memcpy(a, &va, 16); \
		memcpy(b, &vb, 16); \
		for (int i = 0; i < 8; i++) \
			r[i] = (int16_t)(expr); \
		memcpy(&va, r, 16); \
		return va; \
	}
SHIM_I16_BIN(wasm_i16x8_add, (uint16_t)a[i] + (uint16_t)b[i])
SHIM_I16_BIN(wasm_i16x8_mul, (uint16_t)a[i] * (uint16_t)b[i])
SHIM_I16_BIN(wasm_i16x8_q15mulr_sat, a[i] == -32768 && b[i] == -32768 ? 32767 :
	     (a[i] * b[i] + 0x4000) >> 15)

static inline v128_t wasm_u16x8_shr(v128_t va, uint32_t n)
{
	uint16_t a[8];
	memcpy(a, &va, 16);
	for (int i = 0; i < 8; i++)
		a[i] = (uint16_t)(a[i] >> (n & 15));
	memcpy(&va, a, 16);
	return va;
}

static inline v128_t wasm_i16x8_splat(int16_t x)
{
	int16_t a[8];
	v128_t v;
	for (int i = 0; i < 8; i++)
		a[i] = x;
	memcpy(&v, a, 16);
	return v;
}

static inline v128_t wasm_u8x16_narrow_i16x8(v128_t va, v128_t vb)
{
	int16_t a[8], b[8];
	v128_t r;
	memcpy(a, &va, 16);
	memcpy(b, &vb, 16);
	for (int i = 0; i < 8; i++) {
		r.b[i] = a[i] < 0 ? 0 : a[i] > 255 ? 255 : (uint8_t)a[i];
		r.b[8 + i] = b[i] < 0 ? 0 : b[i] > 255 ? 255 : (uint8_t)b[i];
	}
	return r;
}

static inline v128_t wasm_i32x4_dot_i16x8(v128_t va, v128_t vb)
{
	int16_t a[8], b[8];
	uint32_t r[4];
	memcpy(a, &va, 16);
	memcpy(b, &vb, 16);
	for (int i = 0; i < 4; i++)
		r[i] = (uint32_t)(a[2 * i] * b[2 * i]) + (uint32_t)(a[2 * i + 1] * b[2 * i + 1]);
	memcpy(&va, r, 16);
	return va;
}

static inline v128_t wasm_i32x4_add(v128_t va, v128_t vb)
{
	uint32_t a[4], b[4];
	memcpy(a, &va, 16);
	memcpy(b, &vb, 16);
	for (int i = 0; i < 4; i++)
		a[i] += b[i];
	memcpy(&va, a, 16);
	return va;
}

static inline int32_t wasm_i32x4_extract_lane(v128_t v, int l)
{
	int32_t a[4];
	memcpy(a, &v, 16);
	return a[l];
}

static inline v128_t wasm_i32x4_splat(int32_t x)
{
	int32_t a[4] = { x, x, x, x };
	v128_t v;
	memcpy(&v, a, 16);
	return v;
}

/* f32x4.min/max: NaN wins, -0 < +0. */
static inline float shim_fmin(float a, float b)
{
	if (a != a || b != b)
		return NAN;
	if (a == b)
		return signbit(a) ? a : b;
	return a < b ? a : b;
}

static inline float shim_fmax(float a, float b)
{
	if (a != a || b != b)
		return NAN;
	if (a == b)
		return signbit(a) ? b : a;
	return a > b ? a : b;
}

#define SHIM_F32_BIN(name, expr) \
	static inline v128_t name(v128_t va, v128_t vb) \
	{ \
		float a[4], b[4], r[4]; \
		memcpy(a, &va, 16); \
		memcpy(b, &vb, 16); \
		for (int i = 0; i < 4; i++) \
			r[i] = (expr); \
		memcpy(&va, r, 16); \
		return va; \
	}
SHIM_F32_BIN(wasm_f32x4_add, a[i] + b[i])
SHIM_F32_BIN(wasm_f32x4_mul, a[i] * b[i])
SHIM_F32_BIN(wasm_f32x4_min, shim_fmin(a[i], b[i]))
SHIM_F32_BIN(wasm_f32x4_max, shim_fmax(a[i], b[i]))
SHIM_F32_BIN(wasm_f32x4_pmin, b[i] < a[i] ? b[i] : a[i])

static inline v128_t wasm_f32x4_splat(float x)
{
	float a[4] = { x, x, x, x };
	v128_t v;
	memcpy(&v, a, 16);
	return v;
}

static inline v128_t wasm_f32x4_nearest(v128_t v)
{
	float a[4];
	memcpy(a, &v, 16);
	for (int i = 0; i < 4; i++)
		a[i] = nearbyintf(a[i]);
	memcpy(&v, a, 16);
	return v;
}

static inline v128_t wasm_i32x4_trunc_sat_f32x4(v128_t v)
{
	float a[4];
	int32_t r[4];
	memcpy(a, &v, 16);
	for (int i = 0; i < 4; i++)
		r[i] = a[i] != a[i] ? 0 : a[i] <= -2147483648.0f ? INT32_MIN :
		       a[i] >= 2147483648.0f ? INT32_MAX : (int32_t)a[i];
	memcpy(&v, r, 16);
	return v;
}

#endif
