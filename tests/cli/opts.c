/*
 * opts.c: the guest of tests/cli/groups.py, as a module and wrapped into a
 * component.  Its first argument picks what it does:
 *   env NAME...  prints NAME=VALUE (or NAME unset) for each NAME, then the
 *                number of variables it sees
 *   spin         loops forever (fuel and timeout end it)
 *   grow BYTES   allocates BYTES and prints "grow ok" or "grow failed"
 *   argv0        prints its argv[0]
 * Linked with tests/wasi2/cabi_realloc.c for the component.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "env") == 0) {
		int n = 0;

		for (int i = 2; i < argc; i++) {
			const char *v = getenv(argv[i]);

			if (v)
				printf("%s=%s\n", argv[i], v);
			else
				printf("%s unset\n", argv[i]);
		}
		while (environ[n])
			n++;
		printf("%d variables\n", n);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "spin") == 0)
		for (volatile unsigned long i = 0;; i++)
			;
	if (argc >= 3 && strcmp(argv[1], "grow") == 0) {
		size_t n = strtoul(argv[2], NULL, 10);
		volatile char *p = malloc(n);

		if (p)
			p[n - 1] = 1;
		printf("grow %s\n", p ? "ok" : "failed");
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "argv0") == 0) {
		printf("argv0 %s\n", argv[0]);
		return 0;
	}
	fprintf(stderr, "usage: opts env NAME... | spin | grow BYTES | argv0\n");
	return 2;
}
