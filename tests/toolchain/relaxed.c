/* relaxed.c: relaxed SIMD intrinsics (clang-19 -mrelaxed-simd) on inputs
 * where every permitted result is the same, so the output must equal the
 * native build's scalar reference exactly. */
#include <stdint.h>
#include <stdio.h>

#ifdef __wasm_relaxed_simd__
#include <wasm_simd128.h>
#endif

static float fa[4] = { 1.5f, -2.25f, 3.0f, 100.0f }, fb[4] = { 2.0f, 4.0f, -0.5f, 0.25f },
	     fc[4] = { 0.5f, 1.0f, 8.0f, -3.0f };
static uint8_t idx[16] = { 15, 0, 3, 3, 7, 1, 9, 2, 200, 4, 5, 6, 128, 11, 12, 13 };
static uint8_t src[16] = { 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25 };
static int16_t qa[8] = { 1000, -2000, 16384, -16384, 32767, 5, -7, 12345 };
static int16_t qb[8] = { 3000, 4000, 16384, 16384, 2, -5, 7, -321 };
static int8_t da[16] = { 1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12, 13, -14, 15, -16 };
static int8_t db[16] = { 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53 };

int main(void)
{
	float madd[4], mn[4], mx[4];
	int32_t tr[4];
	uint8_t sw[16];
	int16_t q15[8], dot[8];
#ifdef __wasm_relaxed_simd__
	v128_t a = wasm_v128_load(fa), b = wasm_v128_load(fb), c = wasm_v128_load(fc);
	wasm_v128_store(madd, wasm_f32x4_relaxed_madd(a, b, c));
	wasm_v128_store(mn, wasm_f32x4_relaxed_min(a, b));
	wasm_v128_store(mx, wasm_f32x4_relaxed_max(a, b));
	wasm_v128_store(tr, wasm_i32x4_relaxed_trunc_f32x4(a));
	/* indices >= 16 give 0 or the lane modulo 16: only the in-range ones are printed */
	wasm_v128_store(sw, wasm_i8x16_relaxed_swizzle(wasm_v128_load(src), wasm_v128_load(idx)));
	wasm_v128_store(q15, wasm_i16x8_relaxed_q15mulr(wasm_v128_load(qa), wasm_v128_load(qb)));
	wasm_v128_store(dot, wasm_i16x8_relaxed_dot_i8x16_i7x16(wasm_v128_load(da), wasm_v128_load(db)));
#else
	for (int i = 0; i < 4; i++) {
		madd[i] = fa[i] * fb[i] + fc[i];
		mn[i] = fa[i] < fb[i] ? fa[i] : fb[i];
		mx[i] = fa[i] > fb[i] ? fa[i] : fb[i];
		tr[i] = (int32_t)fa[i];
	}
	for (int i = 0; i < 16; i++)
		sw[i] = idx[i] < 16 ? src[idx[i]] : 0;
	for (int i = 0; i < 8; i++) {
		q15[i] = (int16_t)(((int32_t)qa[i] * qb[i] + 0x4000) >> 15);
		dot[i] = (int16_t)(da[2 * i] * db[2 * i] + da[2 * i + 1] * db[2 * i + 1]);
	}
#endif
	for (int i = 0; i < 4; i++)
		printf("madd %g min %g max %g trunc %d\n", madd[i], mn[i], mx[i], (int)tr[i]);
	for (int i = 0; i < 16; i++)
		if (idx[i] < 16)
			printf("swizzle[%d] = %d\n", i, sw[i]);
	for (int i = 0; i < 8; i++)
		printf("q15mulr %d dot %d\n", q15[i], dot[i]);
	return 0;
}
