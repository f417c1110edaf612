/*
** sieve: the sieve of Eratosthenes over a byte array.
**
** Exercises byte stores with a stride, a counting loop over bytes and a
** nested loop whose bounds change on every pass.
*/
#include "bench.h"

#define SIEVE_MAX (8 * 1024 * 1024)

static uint8_t composite[SIEVE_MAX + 1];

/* Count the primes <= n. */
static int32_t sieve_count(int32_t n)
{
	int32_t count = 0;

	for (int32_t i = 0; i <= n; i++)
		composite[i] = 0;
	for (int32_t i = 2; i * i <= n; i++) {
		if (composite[i])
			continue;
		for (int32_t j = i * i; j <= n; j += i)
			composite[j] = 1;
	}
	for (int32_t i = 2; i <= n; i++)
		count += !composite[i];
	return count;
}

BENCH_EXPORT(sieve)
int32_t sieve(int32_t n, int32_t reps)
{
	uint32_t sum = 0;

	n = bench_clamp(n, 2, SIEVE_MAX);
	/* Each pass sieves a slightly smaller range, so passes differ. */
	for (int32_t r = 0; r < reps; r++)
		sum = sum * 31 + (uint32_t)sieve_count(n - r);
	return (int32_t)sum;
}
