/*
** hello: the smallest WASI command, for start-up time and memory.
*/
#include <stdio.h>

int main(void)
{
	puts("hello, world");
	return 0;
}
