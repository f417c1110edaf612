/*
** lz77: an LZ77 compressor and decompressor over generated text.
**
** The compressor finds matches through hash chains (a 3-byte hash, a 32 KiB
** window, a bounded chain walk), which is byte compares, scattered loads and
** unpredictable branches; the decompressor copies overlapping runs. The
** output of each pass is decompressed and compared with the input.
**
** Token format: a byte c < 0x80 is a run of c+1 literals that follow; a byte
** c >= 0x80 is a match of length (c & 0x7f) + LZ_MIN at the distance given by
** the next two bytes (little-endian).
*/
#include "bench.h"

#define LZ_MAX (1024 * 1024)
#define LZ_WINDOW 32768
#define LZ_MIN 3
#define LZ_MAXLEN (0x7f + LZ_MIN)
#define LZ_HBITS 15
#define LZ_CHAIN 32

static uint8_t lz_in[LZ_MAX];
static uint8_t lz_out[LZ_MAX + LZ_MAX / 64 + 16];
static uint8_t lz_back[LZ_MAX];
static int32_t lz_head[1 << LZ_HBITS];
static int32_t lz_prev[LZ_WINDOW];

static const char *const lz_words[16] = {
	"the ", "module ", "memory ", "of ", "a ", "sandbox ", "broker ", "call ",
	"import ", "export ", "table ", "and ", "function ", "trap ", "stack ", "\n",
};

/* Text made of words drawn at random from a small list: compressible, but
** with matches that have to be searched for. */
static void lz_fill(int32_t n, uint32_t seed)
{
	uint32_t s = seed | 1;
	int32_t i = 0;

	while (i < n) {
		uint32_t r = bench_rand(&s);
		const char *w = lz_words[r & 15];

		if ((r >> 8) % 11 == 0)
			lz_in[i++] = (uint8_t)('a' + (r >> 16) % 26);
		for (; *w && i < n; w++)
			lz_in[i++] = (uint8_t)*w;
	}
}

static inline uint32_t lz_hash(const uint8_t *p)
{
	uint32_t v = p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;

	return (v * 2654435761u) >> (32 - LZ_HBITS);
}

/* Longest match for position i among the chain of earlier positions with the
** same hash; sets *dist. */
static int32_t lz_match(int32_t i, int32_t n, int32_t *dist)
{
	int32_t best = 0, limit = n - i < LZ_MAXLEN ? n - i : LZ_MAXLEN;
	int32_t cand = lz_head[lz_hash(lz_in + i)];

	for (int32_t k = 0; k < LZ_CHAIN && cand >= 0 && i - cand <= LZ_WINDOW - 1; k++) {
		int32_t len = 0;

		while (len < limit && lz_in[cand + len] == lz_in[i + len])
			len++;
		if (len > best) {
			best = len;
			*dist = i - cand;
			if (len == limit)
				break;
		}
		cand = lz_prev[cand & (LZ_WINDOW - 1)];
	}
	return best;
}

static void lz_insert(int32_t i)
{
	uint32_t h = lz_hash(lz_in + i);

	lz_prev[i & (LZ_WINDOW - 1)] = lz_head[h];
	lz_head[h] = i;
}

/* Flush the pending literals lz_in[from..to) as runs of at most 128. */
static int32_t lz_literals(int32_t o, int32_t from, int32_t to)
{
	while (from < to) {
		int32_t k = to - from > 128 ? 128 : to - from;

		lz_out[o++] = (uint8_t)(k - 1);
		for (int32_t j = 0; j < k; j++)
			lz_out[o++] = lz_in[from + j];
		from += k;
	}
	return o;
}

static int32_t lz_compress(int32_t n)
{
	int32_t i = 0, lit = 0, o = 0;

	for (int32_t h = 0; h < (1 << LZ_HBITS); h++)
		lz_head[h] = -1;
	while (i + LZ_MIN <= n) {
		int32_t dist = 0, len = lz_match(i, n, &dist);

		if (len < LZ_MIN) {
			lz_insert(i++);
			continue;
		}
		o = lz_literals(o, lit, i);
		lz_out[o++] = (uint8_t)(0x80 | (len - LZ_MIN));
		lz_out[o++] = (uint8_t)dist;
		lz_out[o++] = (uint8_t)(dist >> 8);
		for (int32_t end = i + len; i < end; i++)
			if (i + LZ_MIN <= n)
				lz_insert(i);
		lit = i;
	}
	return lz_literals(o, lit, n);
}

static int32_t lz_decompress(int32_t olen)
{
	int32_t o = 0, d = 0;

	while (o < olen) {
		int32_t c = lz_out[o++];

		if (c < 0x80) {
			for (int32_t k = 0; k <= c; k++)
				lz_back[d++] = lz_out[o++];
		} else {
			int32_t len = (c & 0x7f) + LZ_MIN;
			int32_t dist = lz_out[o] | lz_out[o + 1] << 8;

			o += 2;
			for (int32_t k = 0; k < len; k++, d++)
				lz_back[d] = lz_back[d - dist];
		}
	}
	return d;
}

/* Compress and decompress n bytes of fresh text `reps` times; the checksum
** mixes the compressed sizes, or is -1 if a round trip failed. */
BENCH_EXPORT(lz77)
int32_t lz77(int32_t n, int32_t reps)
{
	uint32_t sum = 0;

	n = bench_clamp(n, LZ_MIN, LZ_MAX);
	for (int32_t r = 0; r < reps; r++) {
		int32_t olen;

		lz_fill(n, 0xdeadbeefu + (uint32_t)r);
		olen = lz_compress(n);
		if (lz_decompress(olen) != n)
			return -1;
		for (int32_t i = 0; i < n; i++)
			if (lz_back[i] != lz_in[i])
				return -1;
		sum = sum * 131 + (uint32_t)olen;
	}
	return (int32_t)sum;
}
