/*
** floyd: Floyd-Warshall all-pairs shortest paths on a dense graph.
**
** An N x N int32 distance matrix (N at most 1024), relaxed through every
** intermediate node: the triple loop nest of PolyBench's floyd-warshall,
** row loads, compares and stores. REPS times over freshly generated edges.
*/
#include "bench.h"

#define FW_MAX 1024

static int32_t fw[FW_MAX * FW_MAX];

BENCH_EXPORT(floyd)
int64_t floyd(int32_t size, int32_t reps)
{
	int32_t n = bench_clamp(size, 2, FW_MAX);
	uint32_t s = 0x9e3779b9;
	int64_t sum = 0;

	for (int32_t r = 0; r < reps; r++) {
		for (int32_t i = 0; i < n * n; i++) {
			uint32_t x = bench_rand(&s);
			/* about one edge in four, weights 1-1000; the rest "infinite" */
			fw[i] = (x & 3) == 0 ? (int32_t)(x >> 8) % 1000 + 1 : 1 << 28;
		}
		for (int32_t i = 0; i < n; i++)
			fw[i * n + i] = 0;
		for (int32_t k = 0; k < n; k++) {
			const int32_t *rk = fw + k * n;
			for (int32_t i = 0; i < n; i++) {
				int32_t *ri = fw + i * n, dik = ri[k];
				for (int32_t j = 0; j < n; j++) {
					int32_t d = dik + rk[j];
					if (d < ri[j])
						ri[j] = d;
				}
			}
		}
		for (int32_t i = 0; i < n * n; i++)
			sum += fw[i];
	}
	return sum;
}
