/* fifo.c: open the FIFO named by argv[1] for reading, which waits for a
 * writer that never comes; the run's --timeout has to end it. */
#include <fcntl.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	int fd;

	if (argc < 2)
		return 2;
	printf("opening\n");
	fflush(stdout);
	fd = open(argv[1], O_RDONLY);
	printf("opened: %d\n", fd);
	return 0;
}
