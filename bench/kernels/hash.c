/*
** hash: two hashes over a generated buffer.
**
** FNV-1a works a byte at a time (byte loads, 64-bit xor and multiply); the
** multiply-rotate hash works on 64-bit words (unaligned i64 loads, rotates,
** 64-bit multiplies). Both keep a serial dependency through their state, so
** neither can be vectorised away.
*/
#include "bench.h"

#define HASH_MAX (4 * 1024 * 1024)

static uint8_t hbuf[HASH_MAX + 8];

static void hash_fill(int32_t n, uint32_t seed)
{
	uint32_t s = seed | 1;

	for (int32_t i = 0; i < n + 8; i++)
		hbuf[i] = (uint8_t)(bench_rand(&s) >> 24);
}

/* FNV-1a, 64-bit. */
static uint64_t hash_fnv(const uint8_t *p, int32_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (int32_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* A multiply-rotate hash over 8-byte words at every 8th offset, finished
** with an avalanche step. */
static uint64_t hash_mr(const uint8_t *p, int32_t n, uint64_t seed)
{
	uint64_t h = seed ^ ((uint64_t)n * 0x9e3779b97f4a7c15ull);

	for (int32_t i = 0; i + 8 <= n; i += 8) {
		uint64_t w;

		__builtin_memcpy(&w, p + i, 8);
		w *= 0x87c37b91114253d5ull;
		w = bench_rotl64(w, 31);
		w *= 0x4cf5ad432745937full;
		h ^= w;
		h = bench_rotl64(h, 27) * 5 + 0x52dce729;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

/* Hash n bytes `reps` times; each pass starts one byte further in, so the
** word loads are unaligned three times out of four. */
BENCH_EXPORT(hash)
int64_t hash(int32_t n, int32_t reps)
{
	uint64_t acc = 0;

	n = bench_clamp(n, 1, HASH_MAX);
	hash_fill(n, 0x2545f491u);
	for (int32_t r = 0; r < reps; r++) {
		int32_t off = r & 7;

		acc = bench_rotl64(acc, 7) ^ hash_fnv(hbuf + off, n);
		acc += hash_mr(hbuf + off, n, acc);
	}
	return (int64_t)acc;
}
