/*
** zlib: a compressor, zlib 1.3.1's deflate and inflate, on generated text.
**
** zlib itself is fetched at build time (bench/users.sh) and never kept in
** this repository; this file is the program around it. It generates SIZE
** bytes of English-like text (words drawn from a small vocabulary, with
** punctuation and line breaks), then REPS times compresses it at level 6,
** decompresses the result and checks it against the original. Prints the
** compressed size and the CRC-32 of the text; exits 1 if a round trip
** differs.
**
**   zlib SIZE REPS
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zlib.h"

static const char *const words[] = {
	"the", "of", "and", "a", "to", "in", "is", "you", "that", "it", "he", "was", "for",
	"on", "are", "as", "with", "his", "they", "at", "be", "this", "have", "from", "or",
	"one", "had", "by", "word", "but", "not", "what", "all", "were", "we", "when",
	"your", "can", "said", "there", "use", "an", "each", "which", "she", "do", "how",
	"their", "if", "will", "up", "other", "about", "out", "many", "then", "them",
	"these", "so", "some", "her", "would", "make", "like", "him", "into", "time",
	"has", "look", "two", "more", "write", "go", "see", "number", "no", "way", "could",
	"people", "my", "than", "first", "water", "been", "call", "who", "oil", "its",
	"now", "find", "long", "down", "day", "did", "get", "come", "made", "may", "part",
	"interpreter", "sandbox", "compression", "benchmark", "instruction", "memory",
};

static unsigned next(unsigned *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void gen_text(unsigned char *p, size_t n)
{
	unsigned s = 0x1234567;
	size_t i = 0, col = 0;

	while (i < n) {
		unsigned r = next(&s);
		const char *w = words[r % (sizeof words / sizeof words[0])];
		size_t len = strlen(w);

		for (size_t k = 0; k < len && i < n; k++)
			p[i++] = (unsigned char)w[k];
		col += len + 1;
		if (i < n)
			p[i++] = (r >> 12) % 17 == 0 ? '.' : (r >> 12) % 11 == 0 ? ',' : ' ';
		if (col > 70 && i < n) {
			p[i++] = '\n';
			col = 0;
		}
	}
}

int main(int argc, char **argv)
{
	unsigned char *text, *packed, *back;
	uLongf plen = 0, blen;
	long size, reps;

	if (argc != 3 || (size = atol(argv[1])) < 1 || size > (64L << 20) ||
	    (reps = atol(argv[2])) < 1) {
		fprintf(stderr, "usage: zlib SIZE REPS (SIZE at most 64 MiB)\n");
		return 2;
	}
	text = malloc((size_t)size);
	packed = malloc(compressBound((uLong)size));
	back = malloc((size_t)size);
	if (!text || !packed || !back) {
		fprintf(stderr, "zlib: out of memory\n");
		return 1;
	}
	gen_text(text, (size_t)size);
	for (long r = 0; r < reps; r++) {
		plen = compressBound((uLong)size);
		blen = (uLongf)size;
		if (compress2(packed, &plen, text, (uLong)size, 6) != Z_OK ||
		    uncompress(back, &blen, packed, plen) != Z_OK || blen != (uLongf)size ||
		    memcmp(back, text, (size_t)size) != 0) {
			fprintf(stderr, "zlib: round %ld: the round trip differs\n", r);
			return 1;
		}
	}
	printf("%lu bytes -> %lu, crc32 %08lx\n", (unsigned long)size, (unsigned long)plen,
	       crc32(0L, text, (uInt)size));
	return 0;
}
