/*
** crc32: the CRC-32 (IEEE 802.3, reflected) of a generated buffer.
**
** The table is built at run time one bit at a time (a branch per bit); the
** buffer is then checksummed both with the table (a load that depends on the
** previous result) and, over a shorter prefix, bit by bit (a data-dependent
** branch per bit, taken half the time).
*/
#include "bench.h"

#define CRC_MAX (4 * 1024 * 1024)
#define CRC_POLY 0xedb88320u

static uint32_t crc_table[256];
static uint8_t cbuf[CRC_MAX];

/* One byte's worth of shifts, taking the branch when the low bit is set. */
static uint32_t crc_bits(uint32_t c)
{
	for (int k = 0; k < 8; k++) {
		if (c & 1)
			c = (c >> 1) ^ CRC_POLY;
		else
			c >>= 1;
	}
	return c;
}

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++)
		crc_table[i] = crc_bits(i);
}

static uint32_t crc_by_table(const uint8_t *p, int32_t n)
{
	uint32_t c = 0xffffffffu;

	for (int32_t i = 0; i < n; i++)
		c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return ~c;
}

static uint32_t crc_by_bits(const uint8_t *p, int32_t n)
{
	uint32_t c = 0xffffffffu;

	for (int32_t i = 0; i < n; i++)
		c = crc_bits(c ^ p[i]);
	return ~c;
}

/* CRC n bytes `reps` times with the table and n/4 bytes bit by bit; the two
** methods must agree on the common prefix, or the result is -1. */
BENCH_EXPORT(crc32)
int32_t crc32(int32_t n, int32_t reps)
{
	uint32_t s = 0x1234567u, acc = 0;

	n = bench_clamp(n, 4, CRC_MAX);
	crc_init();
	for (int32_t i = 0; i < n; i++)
		cbuf[i] = (uint8_t)(bench_rand(&s) >> 11);
	for (int32_t r = 0; r < reps; r++) {
		cbuf[r % n] ^= (uint8_t)r;
		if (crc_by_table(cbuf, n / 4) != crc_by_bits(cbuf, n / 4))
			return -1;
		acc = bench_rotl32(acc, 5) ^ crc_by_table(cbuf, n);
	}
	return (int32_t)acc;
}
