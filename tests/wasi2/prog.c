/* prog.c: a preview1 C program for tests/wasi2/run.py, built natively, as
 * a module and as a component (wrapped by jco's preview1 adapter): the
 * three must print the same. argv[1]: a writable directory; argv[2]: the
 * exit status; stdin is read to its end. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifdef __wasm__
#include <wasi/api.h>

/* random_get in one call: the adapter asks get-random-bytes for all of it */
static int big_random(unsigned char *b, size_t n)
{
	return __wasi_random_get(b, n) == 0;
}

/* The canonical ABI's allocator, which Debian's wasi-libc lacks: without
 * it the adapter keeps its state where the program's heap later grows. */
__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size)
{
	(void)old_size;
	(void)align;
	return realloc(old, new_size);
}
#else
#include <sys/random.h>

static int big_random(unsigned char *b, size_t n)
{
	return getrandom(b, n, 0) == (ssize_t)n;
}
#endif

static char path[512];

static const char *at(const char *dir, const char *name)
{
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *dir)
{
	char *names[16];
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)) && n < 16)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names[n++] = strdup(e->d_name);
	if (d)
		closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), cmp);
	printf("dir:");
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
}

static void files(const char *dir)
{
	char sub[512], buf[64] = { 0 };
	struct stat st;
	FILE *f;

	snprintf(sub, sizeof(sub), "%s/sub", dir);
	printf("mkdir %d\n", mkdir(sub, 0755));
	f = fopen(at(sub, "a.txt"), "w");
	fputs("alpha\n", f);
	fclose(f);
	f = fopen(at(sub, "a.txt"), "a");
	fputs("beta\n", f);
	fclose(f);
	f = fopen(at(sub, "a.txt"), "r");
	printf("read %zu: %s", fread(buf, 1, sizeof(buf) - 1, f), buf);
	fclose(f);
	stat(at(sub, "a.txt"), &st);
	printf("size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
	char old[512];
	snprintf(old, sizeof(old), "%s", at(sub, "a.txt"));
	printf("rename %d\n", rename(old, at(sub, "b.txt")));
	printf("symlink %d\n", symlink("b.txt", at(sub, "link")));
	memset(buf, 0, sizeof(buf));
	printf("readlink %zd %s\n", readlink(at(sub, "link"), buf, sizeof(buf) - 1), buf);
	list(sub);
	int fd = open(at(sub, "nope"), O_RDONLY);
	printf("missing %d %s\n", fd < 0, strerror(errno));
	printf("rmdir nonempty %d\n", rmdir(sub) == 0);
	unlink(at(sub, "link"));
	unlink(at(sub, "b.txt"));
	printf("rmdir %d\n", rmdir(sub));
}

static double now(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	char in[256];
	unsigned char rnd[32] = { 0 };
	size_t n;
	int nz = 0;
	double t0;
	const char *v = getenv("W2_VAR");

	for (int i = 1; i < argc; i++)
		printf("arg %d: %s\n", i, i == 1 ? "(dir)" : argv[i]);
	printf("env W2_VAR=%s\n", v ? v : "(unset)");
	n = fread(in, 1, sizeof(in) - 1, stdin);
	in[n] = 0;
	printf("stdin %zu: %s", n, in);
	if (argc > 1)
		files(argv[1]);
	t0 = now(CLOCK_MONOTONIC);
	usleep(20000);
	printf("slept %d\n", now(CLOCK_MONOTONIC) - t0 >= 0.019);
	printf("wall %d\n", now(CLOCK_REALTIME) > 1.6e9);
	getentropy(rnd, sizeof(rnd));
	for (size_t i = 0; i < sizeof(rnd); i++)
		nz += rnd[i] != 0;
	printf("random %d\n", nz > 0);
	{
		size_t big = 300000, z = 0;
		unsigned char *b = calloc(1, big);
		int ok = b && big_random(b, big);

		for (size_t i = 0; ok && i < big; i++)
			z += b[i] == 0;
		printf("big random %d\n", ok && z < big / 64);
		free(b);
	}
	fflush(stdout);
	fprintf(stderr, "to stderr\n");
	return argc > 2 ? atoi(argv[2]) : 0;
}
