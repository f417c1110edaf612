/* loop.c: never ends (stopped by --timeout or --fuel). */
#include <stdio.h>

int main(void)
{
	volatile unsigned long n = 0;

	puts("looping");
	fflush(stdout);
	for (;;)
		n++;
}
