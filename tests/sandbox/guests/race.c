/*
 * race.c: opens, creates, reads and makes directories through "d/..."
 * over and over while the host keeps swapping the directory d for a
 * symlink that points out of the preopen (see levels.sh).  Whatever the
 * timing, no byte from outside may ever be read: it counts every read
 * that returns the outside file's text, and how often each state of d
 * was seen, so the script can tell the race really ran both ways.
 *
 *   race.wasm ROUNDS
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int leaks, inside, refused;

/* Read name; count a leak if it holds the outside text. */
static void try_read(const char *name)
{
	char buf[16] = { 0 };
	int fd = open(name, O_RDONLY);

	if (fd < 0) {
		refused++;
		return;
	}
	if (read(fd, buf, sizeof(buf) - 1) > 0) {
		if (strncmp(buf, "OUTSIDE", 7) == 0)
			leaks++;
		else if (strncmp(buf, "inside", 6) == 0)
			inside++;
	}
	close(fd);
}

/* Create and remove a file and a directory through d. */
static void try_create(int i)
{
	char name[32];
	int fd;

	snprintf(name, sizeof(name), "d/new%d", i % 4);
	fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd >= 0) {
		write(fd, "x", 1);
		close(fd);
		unlink(name);
	}
	snprintf(name, sizeof(name), "d/sub/dir%d", i % 4);
	if (mkdir(name, 0755) == 0)
		rmdir(name);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 2000;

	for (int i = 0; i < rounds; i++) {
		try_read("d/secret");
		try_read("d/sub/../secret");
		try_create(i);
	}
	printf("leaks: %d\n", leaks);
	fprintf(stderr, "inside %d refused %d\n", inside, refused);
	return 0;
}
