/* spew.c: writes 100000 bytes to stdout (--max-output). */
#include <string.h>
#include <unistd.h>

int main(void)
{
	char line[100];

	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\n';
	for (int i = 0; i < 1000; i++)
		if (write(1, line, sizeof(line)) != (long)sizeof(line))
			return 1;
	return 0;
}
