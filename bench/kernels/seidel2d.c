/*
** seidel2d: the 2-D Gauss-Seidel stencil of PolyBench (seidel-2d).
**
** One N x N f64 grid (N at most 1024) updated in place from its 9-point
** neighbourhood, so every point depends on the ones just written: a loop
** nest no compiler can vectorise. SIZE is N, REPS the number of sweeps.
*/
#include "bench.h"

#define SD_MAX 1024

static double sg[SD_MAX * SD_MAX];

BENCH_EXPORT(seidel2d)
int64_t seidel2d(int32_t size, int32_t reps)
{
	int32_t n = bench_clamp(size, 3, SD_MAX);
	double sum = 0;

	for (int32_t i = 0; i < n; i++)
		for (int32_t j = 0; j < n; j++)
			sg[i * n + j] = ((double)i * (j + 2) + 2) / n;
	for (int32_t t = 0; t < reps; t++)
		for (int32_t i = 1; i < n - 1; i++)
			for (int32_t j = 1; j < n - 1; j++) {
				double *u = sg + (i - 1) * n + j, *m = sg + i * n + j, *d = sg + (i + 1) * n + j;
				m[0] = (u[-1] + u[0] + u[1] + m[-1] + m[0] + m[1] + d[-1] + d[0] + d[1]) / 9.0;
			}
	for (int32_t i = 0; i < n * n; i++)
		sum += sg[i];
	return (int64_t)(sum * 1000.0);
}
