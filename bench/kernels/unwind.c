/*
** unwind: exceptions. Dives of 8 to 23 nested calls, a quarter of which
** end at the bottom with a longjmp back to the top; every fourth level
** calls setjmp itself (a frame with a handler of its own, as one with a
** destructor has in C++), so the jump passes through handlers that are
** not for it on the way up.
**
** The wasm build compiles setjmp/longjmp to wasm exception handling (clang
** -fwasm-exceptions -mllvm -wasm-enable-sjlj, see bench/run.sh): a longjmp
** is a throw, every frame that called setjmp catches and rethrows it, and
** the one that called the matching setjmp keeps it. Natively it is glibc's
** setjmp/longjmp, a register restore: the ratio shows what a throw costs.
*/
#include <setjmp.h>

#include "bench.h"

static jmp_buf top;

static int32_t dive(int32_t depth, uint32_t x);

/* A level with a setjmp of its own, which no one jumps to. */
static int32_t guarded(int32_t depth, uint32_t x)
{
	jmp_buf mine;
	if (setjmp(mine))
		return -1;
	return dive(depth, x) + 1;
}

static int32_t dive(int32_t depth, uint32_t x)
{
	if (depth == 0) {
		if ((x & 3) == 0)
			longjmp(top, (int)(x >> 8 & 0xff) + 1);
		return (int32_t)(x & 0xffff);
	}
	uint32_t y = x * 1103515245u + 12345u;
	if ((depth & 3) == 0)
		return guarded(depth - 1, y) + (int32_t)(y >> 24);
	return dive(depth - 1, y) + (int32_t)(y >> 24);
}

/* One dive from the top: its value, or what the longjmp carried. */
static int32_t one(uint32_t x)
{
	int v = setjmp(top);
	if (v)
		return v * 3;
	return dive(8 + (int32_t)(x >> 4 & 15), x);
}

BENCH_EXPORT(unwind)
int32_t unwind(int32_t n, int32_t reps)
{
	int32_t sum = 0;

	n = bench_clamp(n, 0, 100000000);
	for (int32_t r = 0; r < reps; r++)
		for (int32_t i = 0; i < n; i++)
			sum += one((uint32_t)i * 2654435761u + (uint32_t)r);
	return sum;
}
