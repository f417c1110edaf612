/*
** copy: copy a file in 4 KiB blocks, several times.
**
**   copy SRC DST REPS
**
** Each pass opens SRC, creates or truncates DST, and moves the data with one
** read and one write of 4 KiB per block, so a 16 MiB file is 8192 calls of
** each kind per pass. Prints the bytes copied and a cheap checksum (the
** first eight bytes of every block, mixed), which every runtime must agree on.
*/
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK 4096

int main(int argc, char **argv)
{
	static unsigned char buf[BLOCK];
	uint64_t total = 0, sum = 0;
	int reps;

	if (argc != 4) {
		fprintf(stderr, "usage: copy SRC DST REPS\n");
		return 2;
	}
	reps = atoi(argv[3]);
	for (int r = 0; r < reps; r++) {
		int in = open(argv[1], O_RDONLY);
		int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		ssize_t n;

		if (in < 0 || out < 0) {
			perror("copy: open");
			return 1;
		}
		while ((n = read(in, buf, BLOCK)) > 0) {
			uint64_t w;

			if (write(out, buf, (size_t)n) != n) {
				perror("copy: write");
				return 1;
			}
			memcpy(&w, buf, sizeof w);
			sum = sum * 0x100000001b3ull ^ w;
			total += (uint64_t)n;
		}
		if (n < 0) {
			perror("copy: read");
			return 1;
		}
		close(in);
		close(out);
	}
	printf("%llu bytes, checksum %016llx\n", (unsigned long long)total,
	       (unsigned long long)sum);
	return 0;
}
