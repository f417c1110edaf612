/*
** jacobi2d: the 2-D Jacobi stencil of PolyBench (jacobi-2d).
**
** Two N x N f64 grids (N at most 1024); each time step averages every
** point's 5-point neighbourhood from one grid into the other and back.
** SIZE is N, REPS the number of time steps.
*/
#include "bench.h"

#define JB_MAX 1024

static double ja[JB_MAX * JB_MAX], jb[JB_MAX * JB_MAX];

BENCH_EXPORT(jacobi2d)
int64_t jacobi2d(int32_t size, int32_t reps)
{
	int32_t n = bench_clamp(size, 3, JB_MAX);
	double sum = 0;

	for (int32_t i = 0; i < n; i++)
		for (int32_t j = 0; j < n; j++) {
			ja[i * n + j] = ((double)i * (j + 2) + 2) / n;
			jb[i * n + j] = ((double)i * (j + 3) + 3) / n;
		}
	for (int32_t t = 0; t < reps; t++) {
		for (int32_t i = 1; i < n - 1; i++)
			for (int32_t j = 1; j < n - 1; j++)
				jb[i * n + j] = 0.2 * (ja[i * n + j] + ja[i * n + j - 1] + ja[i * n + j + 1] +
						       ja[(i + 1) * n + j] + ja[(i - 1) * n + j]);
		for (int32_t i = 1; i < n - 1; i++)
			for (int32_t j = 1; j < n - 1; j++)
				ja[i * n + j] = 0.2 * (jb[i * n + j] + jb[i * n + j - 1] + jb[i * n + j + 1] +
						       jb[(i + 1) * n + j] + jb[(i - 1) * n + j]);
	}
	for (int32_t i = 0; i < n * n; i++)
		sum += ja[i];
	return (int64_t)(sum * 1000.0);
}
