/* A trap ends the run with status 134 and a message on stderr; stdout
 * written (and flushed) before it is kept. */
#include <stdio.h>

int main(void)
{
	printf("before\n");
	fflush(stdout);
	__builtin_trap();
}
