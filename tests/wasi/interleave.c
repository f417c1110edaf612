/* stdout and stderr to the same file or pipe: the bytes and their order
 * must be those of the native build. The C libraries pick different
 * default buffering for stdout, so the program fixes it: fully buffered,
 * with the same buffer size, then flushed by hand.
 *! merge
 *! native
 */
#include <stdio.h>

int main(void)
{
	static char buf[1 << 16];

	setvbuf(stdout, buf, _IOFBF, sizeof(buf));
	printf("out 1\n");
	fprintf(stderr, "err 1\n");
	printf("out 2 (no newline)");
	fprintf(stderr, "err 2\n");
	fflush(stdout);
	fprintf(stderr, "err 3\n");
	for (int i = 0; i < 2000; i++)
		printf("bulk %d\n", i);
	fprintf(stderr, "err 4\n");
	return 0;
}
