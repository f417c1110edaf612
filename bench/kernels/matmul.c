/*
** matmul: dense double-precision matrix multiply, C = A * B, n x n.
**
** Exercises f64 loads, stores, multiply and add in a tight triple loop. Every
** element is a small multiple of 1/4, so each sum is exact and the checksum
** does not depend on the order the compiler adds in.
*/
#include "bench.h"

#define MM_MAX 256

static double ma[MM_MAX * MM_MAX];
static double mb[MM_MAX * MM_MAX];
static double mc[MM_MAX * MM_MAX];

/* Fill A and B with small values that repeat with prime periods. */
static void mm_init(int32_t n)
{
	for (int32_t i = 0; i < n; i++)
		for (int32_t j = 0; j < n; j++) {
			ma[i * n + j] = (double)((i * 7 + j * 3) % 17) - 8.0;
			mb[i * n + j] = (double)((i * 5 + j * 11) % 13) * 0.25 - 1.5;
		}
}

/* C = A * B in i-k-j order, so the inner loop walks rows. */
static void mm_mul(int32_t n)
{
	for (int32_t i = 0; i < n; i++) {
		double *c = &mc[i * n];

		for (int32_t j = 0; j < n; j++)
			c[j] = 0.0;
		for (int32_t k = 0; k < n; k++) {
			double a = ma[i * n + k];
			const double *b = &mb[k * n];

			for (int32_t j = 0; j < n; j++)
				c[j] += a * b[j];
		}
	}
}

BENCH_EXPORT(matmul)
int64_t matmul(int32_t n, int32_t reps)
{
	int64_t sum = 0;

	n = bench_clamp(n, 1, MM_MAX);
	mm_init(n);
	for (int32_t r = 0; r < reps; r++) {
		mm_mul(n);
		for (int32_t i = 0; i < n * n; i++)
			sum += (int64_t)(mc[i] * (double)(i % 7 + 1));
		/* Change one input so no repetition can be skipped. */
		ma[(r * 31) % (n * n)] += 1.0;
	}
	return sum;
}
