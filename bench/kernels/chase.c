/*
** chase: pointer chasing through one random cycle over a large array.
**
** Memory-bound: every step is a load whose address is the previous load's
** result, spread over 16 MiB, so most steps miss the caches and the TLB and
** the engine's own work per step is small next to the memory latency. The
** cycle is built with Sattolo's shuffle, so the walk visits every slot.
*/
#include "bench.h"

#define CHASE_MAX (4 * 1024 * 1024)

static uint32_t cnext[CHASE_MAX];

/* Build one cycle over n slots, then follow it n * reps / 4 steps. */
BENCH_EXPORT(chase)
int64_t chase(int32_t n, int32_t reps)
{
	uint32_t s = 0x2545f491u, p = 0;
	int64_t acc = 0, steps;

	n = bench_clamp(n, 2, CHASE_MAX);
	for (int32_t i = 0; i < n; i++)
		cnext[i] = (uint32_t)i;
	for (int32_t i = n - 1; i > 0; i--) {
		uint32_t j = bench_rand(&s) % (uint32_t)i, t = cnext[i];

		cnext[i] = cnext[j];
		cnext[j] = t;
	}
	steps = (int64_t)n * reps / 4;
	for (int64_t k = 0; k < steps; k++) {
		p = cnext[p];
		acc += p;
	}
	return acc ^ (int64_t)p << 40;
}
