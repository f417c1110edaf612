/*
** writes: many small writes to standard output.
**
**   writes N
**
** Writes N lines of 24 bytes, each with its own write(2) (fd_write in WASI),
** so the cost per call dominates: under the broker every line is one round
** trip. The line number is kept as decimal digits and incremented in place,
** so formatting costs next to nothing.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char line[] = "0000000000 small write\n";
	long n = argc > 1 ? atol(argv[1]) : 100000;

	for (long i = 0; i < n; i++) {
		for (int d = 9; d >= 0 && ++line[d] > '9'; d--)
			line[d] = '0';
		if (write(1, line, sizeof line - 1) != (ssize_t)(sizeof line - 1)) {
			perror("writes: write");
			return 1;
		}
	}
	return 0;
}
