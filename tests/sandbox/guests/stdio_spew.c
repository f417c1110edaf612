/*
 * stdio_spew.c: writes N bytes (argv[1]) to stdout in writes of up to 1 MiB
 * and exits 0, or 1 if a write fails (--max-output counts what went out).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	unsigned long long left = argc > 1 ? strtoull(argv[1], NULL, 10) : 0;

	memset(buf, 'o', sizeof(buf));
	while (left > 0) {
		size_t len = left < sizeof(buf) ? (size_t)left : sizeof(buf);
		ssize_t n = write(1, buf, len);

		if (n <= 0)
			return 1;
		left -= (unsigned long long)n;
	}
	return 0;
}
