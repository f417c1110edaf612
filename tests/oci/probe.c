/*
 * probe.c: the guest of the wrun-oci tests (tests/oci/run.sh), built for
 * wasm32-wasi.  It prints what the container gave it, one fact a line:
 *
 *   probe CODE        argv[0], the environment, PWD and the directory it
 *                     names (after chdir), a file read relative to it, a
 *                     volume read and written, a read-only volume and the
 *                     rootfs written to; then exits with CODE
 *   probe spin SECS   burns CPU for SECS seconds of wall time, printing a
 *                     counter every 100 ms (pause must stop both)
 *   probe read PATH   reads PATH: "read=" and its first line or the error
 *   probe alloc       allocates and touches 1 MiB blocks until malloc
 *                     fails: "alloc=N MiB"
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int spin(int secs)
{
	double start = now(), next = start;
	volatile unsigned long x = 0;
	unsigned long n = 0;

	while (now() - start < secs) {
		for (int i = 0; i < 100000; i++)
			x = x * 6364136223846793005ul + 1;
		if (now() >= next) {
			printf("tick %lu\n", n++);
			fflush(stdout);
			next += 0.1;
		}
	}
	return 0;
}

/* The first line of a file, or the error. */
static void show_file(const char *label, const char *path)
{
	char buf[256] = "";
	FILE *f = fopen(path, "r");

	if (!f) {
		printf("%s=error: %s\n", label, strerror(errno));
		return;
	}
	if (fgets(buf, sizeof(buf), f))
		buf[strcspn(buf, "\n")] = 0;
	fclose(f);
	printf("%s=%s\n", label, buf);
}

static void try_write(const char *label, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, "written by the probe\n", 21) != 21) {
		printf("%s=error: %s\n", label, strerror(errno));
	} else {
		printf("%s=ok\n", label);
	}
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	char cwd[1024];
	const char *pwd = getenv("PWD");

	if (argc > 2 && strcmp(argv[1], "spin") == 0)
		return spin(atoi(argv[2]));
	if (argc > 1 && strcmp(argv[1], "alloc") == 0) {
		int n = 0;
		void **p, *list = NULL;

		/* Linked, so that the compiler keeps every block. */
		while ((p = malloc(1 << 20)) != NULL) {
			memset(p, 1, 1 << 20);
			*p = list;
			list = p;
			n++;
		}
		/* stdio would need memory to print: format on the stack. */
		char line[64];
		int len = snprintf(line, sizeof(line), "alloc=%d MiB\n", n);

		return write(1, line, (size_t)len) == len && (list || n == 0) ? 0 : 1;
	}
	if (argc > 2 && strcmp(argv[1], "read") == 0) {
		show_file("read", argv[2]);
		return 0;
	}
	printf("argv0=%s\n", argv[0]);
	for (char **e = environ; *e; e++)
		printf("env=%s\n", *e);
	printf("pwd=%s\n", pwd ? pwd : "(unset)");
	if (pwd && chdir(pwd) == 0 && getcwd(cwd, sizeof(cwd)))
		printf("cwd=%s\n", cwd);
	show_file("here", "here.txt");
	show_file("volume", "/data/in.txt");
	try_write("volume-write", "/data/out.txt");
	try_write("ro-write", "/ro/out.txt");
	try_write("root-write", "/work/probe-was-here");
	fflush(stdout);
	return argc > 1 ? atoi(argv[1]) : 0;
}
