/* opens.c: opens files without closing them (--max-open). */
#include <fcntl.h>
#include <stdio.h>

int main(void)
{
	for (int i = 0; i < 100; i++) {
		if (open("f", O_RDONLY) < 0) {
			printf("open %d failed\n", i);
			return 1;
		}
		printf("open %d\n", i);
		fflush(stdout);
	}
	return 0;
}
