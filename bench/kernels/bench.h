/*
** bench.h: what every benchmark kernel shares.
**
** A kernel is one C file with one entry function taking (int32 size, int32 reps)
** and returning a checksum. The same file is built natively (linked with
** bench/driver.c) and to a wasm32 module with no imports (linked with rt.c), so
** nothing here may depend on a C library, on pointer width or on `long`.
*/
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>

/* The entry function is a wasm export under its own name; natively it is a
** plain external function that the driver calls. */
#ifdef __wasm__
#define BENCH_EXPORT(name) __attribute__((export_name(#name)))
#else
#define BENCH_EXPORT(name)
#endif

/* Clamp a size argument into [lo, hi] so a bad argument cannot index past a
** static array. */
static inline int32_t bench_clamp(int32_t v, int32_t lo, int32_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* xorshift32: a small deterministic generator for input data. The state must
** never be zero. */
static inline uint32_t bench_rand(uint32_t *s)
{
	uint32_t x = *s;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

static inline uint32_t bench_rotl32(uint32_t x, int r)
{
	return (x << r) | (x >> ((32 - r) & 31));
}

static inline uint64_t bench_rotl64(uint64_t x, int r)
{
	return (x << r) | (x >> ((64 - r) & 63));
}

#endif
