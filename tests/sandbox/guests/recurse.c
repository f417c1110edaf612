/*
 * recurse.c: recursion without end, with nothing on the C stack in linear
 * memory: the engine's trap "call stack exhausted", not a crash.
 */
#include <stdio.h>

static volatile int sink = 7;

__attribute__((noinline)) static int depth(int n)
{
	return sink / (depth(n + 1) | 1);
}

int main(void)
{
	printf("%d\n", depth(0));
	return 0;
}
