/* Arguments and environment: the guest sees argv as given and only the
 * variables granted with --env.
 *
 *! flags: --env FOO=bar --env EMPTY= --env WRUN_TEST_UNSET_VAR
 *! args: one "two words" ""
 */
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char **argv)
{
	printf("argc=%d\n", argc);
	for (int i = 1; i < argc; i++)
		printf("argv[%d]=[%s]\n", i, argv[i]);
	for (char **e = environ; *e; e++)
		printf("env [%s]\n", *e);
	printf("FOO=%s HOME=%s\n", getenv("FOO"), getenv("HOME") ? "set" : "unset");
	return 0;
}
