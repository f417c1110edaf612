/*
 * kernel.c: the SIMD benchmark kernel, a single-precision matrix multiply
 * C = A * B (n x n, i-k-j order) repeated `reps` times.
 *
 * Built twice for wasm32: with -msimd128, where the inner loop is written
 * with wasm_simd128.h intrinsics four lanes at a time, and with
 * -mcpu=mvp, where the same loop is plain C and the module holds no SIMD
 * instruction. Each element of C is summed in the same order in both, and
 * every value is a small multiple of 1/4, so both print the same checksum.
 */
#include <stdint.h>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#define MAXN 256

static float ma[MAXN * MAXN], mb[MAXN * MAXN], mc[MAXN * MAXN];

/* Small values repeating with prime periods. */
static void init(int32_t n)
{
	for (int32_t i = 0; i < n; i++)
		for (int32_t j = 0; j < n; j++) {
			ma[i * n + j] = (float)((i * 7 + j * 3) % 17) - 8.0f;
			mb[i * n + j] = (float)((i * 5 + j * 11) % 13) * 0.25f - 1.5f;
		}
}

#ifdef __wasm_simd128__
/* c[0..n) += a * b[0..n), n a multiple of 4. */
static void axpy_row(float *c, float a, const float *b, int32_t n)
{
	v128_t va = wasm_f32x4_splat(a);
	for (int32_t j = 0; j < n; j += 4) {
		v128_t vc = wasm_v128_load(c + j);
		vc = wasm_f32x4_add(vc, wasm_f32x4_mul(va, wasm_v128_load(b + j)));
		wasm_v128_store(c + j, vc);
	}
}
#else
static void axpy_row(float *c, float a, const float *b, int32_t n)
{
	for (int32_t j = 0; j < n; j++)
		c[j] += a * b[j];
}
#endif

static void matmul(int32_t n)
{
	for (int32_t i = 0; i < n; i++) {
		float *c = &mc[i * n];
		for (int32_t j = 0; j < n; j++)
			c[j] = 0.0f;
		for (int32_t k = 0; k < n; k++)
			axpy_row(c, ma[i * n + k], &mb[k * n], n);
	}
}

/* Run the multiply reps times; the checksum is the sum of 4 * C. */
__attribute__((export_name("run")))
int64_t run(int32_t n, int32_t reps)
{
	int64_t sum = 0;
	n = n < 4 ? 4 : n > MAXN ? MAXN : n & ~3;
	init(n);
	for (int32_t r = 0; r < reps; r++) {
		matmul(n);
		for (int32_t i = 0; i < n * n; i++)
			sum += (int64_t)(mc[i] * 4.0f);
	}
	return sum;
}
