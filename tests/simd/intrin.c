/*
 * intrin.c: kernels written with wasm_simd128.h intrinsics. The wasm build
 * (clang -msimd128) uses the real header; the native build uses
 * simd_shim.h, a lane-by-lane reference of the same intrinsics, and
 * run.sh requires both to print the same thing.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#else
#include "simd_shim.h"
#endif

#define N 1024

static uint8_t rgba[N * 4], gray[N];
static int16_t qa[N], qb[N];
static float fa[N], fb[N];

static uint32_t hash(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

/* Position of the first byte c in s[0..n), n a multiple of 16, or -1. */
static int find_byte(const uint8_t *s, int n, uint8_t c)
{
	v128_t k = wasm_i8x16_splat((int8_t)c);
	for (int i = 0; i < n; i += 16) {
		v128_t eq = wasm_i8x16_eq(wasm_v128_load(s + i), k);
		if (wasm_v128_any_true(eq))
			return i + __builtin_ctz(wasm_i8x16_bitmask(eq));
	}
	return -1;
}

/* RGBA to gray: (77 r + 150 g + 29 b) >> 8, four pixels at a time; the
 * channels are separated with a swizzle and widened to 16 bits. */
static void to_gray(void)
{
	const v128_t pick = wasm_i8x16_shuffle(wasm_i8x16_splat(0), wasm_i8x16_splat(0),
		0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
	for (int i = 0; i < N; i += 4) {
		v128_t px = wasm_i8x16_swizzle(wasm_v128_load(rgba + 4 * i), pick);
		v128_t rg = wasm_u16x8_extend_low_u8x16(px);  /* r0..r3 g0..g3 */
		v128_t ba = wasm_u16x8_extend_high_u8x16(px); /* b0..b3 a0..a3 */
		v128_t wrg = wasm_i8x16_shuffle(wasm_i16x8_splat(77), wasm_i16x8_splat(150),
			0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
		v128_t w1 = wasm_i16x8_mul(rg, wrg);
		v128_t w2 = wasm_i16x8_mul(ba, wasm_i16x8_splat(29));
		/* r*77 (low half) + g*150 (high half) + b*29: fold the halves */
		v128_t s = wasm_i16x8_add(w1, wasm_i8x16_shuffle(w1, w1,
			8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
		s = wasm_u16x8_shr(wasm_i16x8_add(s, w2), 8);
		v128_t g = wasm_u8x16_narrow_i16x8(s, s);
		int32_t four = wasm_i32x4_extract_lane(g, 0);
		memcpy(gray + i, &four, 4);
	}
}

/* Saturating brighten, 16 pixels at a time. */
static void brighten(uint8_t amount)
{
	v128_t k = wasm_i8x16_splat((int8_t)amount);
	for (int i = 0; i < N; i += 16)
		wasm_v128_store(gray + i, wasm_u8x16_add_sat(wasm_v128_load(gray + i), k));
}

/* Fixed-point dot product and Q15 products. */
static void fixed_point(int32_t *dot, uint32_t *qh)
{
	v128_t acc = wasm_i32x4_splat(0);
	static int16_t q[N];
	for (int i = 0; i < N; i += 8) {
		v128_t a = wasm_v128_load(qa + i), b = wasm_v128_load(qb + i);
		acc = wasm_i32x4_add(acc, wasm_i32x4_dot_i16x8(a, b));
		wasm_v128_store(q + i, wasm_i16x8_q15mulr_sat(a, b));
	}
	*dot = wasm_i32x4_extract_lane(acc, 0) + wasm_i32x4_extract_lane(acc, 1) +
	       wasm_i32x4_extract_lane(acc, 2) + wasm_i32x4_extract_lane(acc, 3);
	*qh = hash(q, sizeof(q));
}

/* Clamp, scale and round floats, NaNs and signed zeros included. */
static uint32_t floats(void)
{
	static int32_t out[N];
	static float mn[N];
	v128_t lo = wasm_f32x4_splat(-1000.0f), hi = wasm_f32x4_splat(1000.0f);
	for (int i = 0; i < N; i += 4) {
		v128_t a = wasm_v128_load(fa + i), b = wasm_v128_load(fb + i);
		v128_t x = wasm_f32x4_max(wasm_f32x4_min(wasm_f32x4_mul(a, b), hi), lo);
		wasm_v128_store(mn + i, wasm_f32x4_pmin(a, b));
		x = wasm_f32x4_nearest(wasm_f32x4_add(x, wasm_f32x4_splat(0.5f)));
		wasm_v128_store(out + i, wasm_i32x4_trunc_sat_f32x4(x));
	}
	return hash(out, sizeof(out)) ^ hash(mn, sizeof(mn));
}

int main(void)
{
	uint32_t x = 7;
	for (int i = 0; i < N * 4; i++) {
		x = x * 1664525u + 1013904223u;
		rgba[i] = (uint8_t)(x >> 24);
	}
	for (int i = 0; i < N; i++) {
		x = x * 1664525u + 1013904223u;
		qa[i] = (int16_t)(x >> 16);
		qb[i] = (int16_t)x;
		fa[i] = (float)(int32_t)x / 1e6f;
		fb[i] = (float)(i % 13) - 6.0f;
	}
	qa[5] = qb[5] = -32768; /* the one saturating q15 product */
	fa[7] = -0.0f;
	fb[8] = 0.0f / 0.0f;
	to_gray();
	printf("gray       %08x\n", hash(gray, N));
	brighten(40);
	printf("brighten   %08x\n", hash(gray, N));
	printf("find 0xff  %d\n", find_byte(gray, N, 0xff));
	printf("find 0x2a  %d\n", find_byte(rgba, N * 4, 0x2a));
	printf("find none  %d\n", find_byte((const uint8_t *)qa, 32, 0x00) >= -1);
	int32_t dot;
	uint32_t qh;
	fixed_point(&dot, &qh);
	printf("dot        %d\n", dot);
	printf("q15mulr    %08x\n", qh);
	printf("floats     %08x\n", floats());
	return 0;
}
