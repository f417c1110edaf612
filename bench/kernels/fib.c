/*
** fib: naive doubly recursive Fibonacci.
**
** Almost nothing but calls and returns: this measures the cost of a call
** frame in the engine.
*/
#include "bench.h"

static int32_t fib_rec(int32_t n)
{
	return n < 2 ? n : fib_rec(n - 1) + fib_rec(n - 2);
}

BENCH_EXPORT(fib)
int64_t fib(int32_t n, int32_t reps)
{
	int64_t sum = 0;

	n = bench_clamp(n, 0, 40);
	/* Alternate n and n-1 so the passes are not all the same call. */
	for (int32_t r = 0; r < reps; r++)
		sum += fib_rec(n - (r & 1));
	return sum;
}
