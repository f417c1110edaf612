/* blockread.c: says "ready", then blocks reading stdin. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	char buf[16];

	write(1, "ready\n", 6);
	return (int)read(0, buf, sizeof(buf));
}
