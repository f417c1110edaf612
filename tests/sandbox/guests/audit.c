/*
 * audit.c: the guest of tests/sandbox/audit.sh.  argv[1] chooses:
 *
 *   paths     open files through libc (so that libc walks the preopens
 *             until fd_prestat_get answers EBADF), then call path_open
 *             directly on handle 3 with byte strings libc could not pass:
 *             control characters leading out of the grant, invalid UTF-8,
 *             a NUL, a path longer than WASI_PATH_MAX, one outside memory.
 *             Prints "NAME ERRNO" per call, for the checker to compare.
 *   exit N    exit with code N
 *   trap      trap (unreachable)
 *   loop      spin until the fuel runs out
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* path_open as the import is, so that any (pointer, length) can be passed. */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("path_open")))
int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len,
		      int32_t oflags, int64_t base, int64_t inheriting, int32_t fdflags,
		      int32_t out);

static char big[5000];

/* path_open(3, bytes) and print its errno under name. */
static void try_open(const char *name, const char *p, int32_t len)
{
	int32_t fd = -1;
	int32_t r = raw_path_open(3, 0, (int32_t)(uintptr_t)p, len, 0, 2, 0, 0,
				  (int32_t)(uintptr_t)&fd);

	printf("%s %d\n", name, (int)r);
}

static int paths(void)
{
	static const char bad[] = "bad\xff\xfe-\xc3(-\xed\xa0\x80-\xf4\x90\x80\x80-\xc0\xaf-\xe2\x82";
	static const char odd[] = "q\"b\\s\x7f\xc2\x85\xe2\x80\xa8\0tail\n";
	char ctl[4 + 240];
	int fd = open("caf\xc3\xa9", O_RDONLY);

	printf("libc-open %d\n", fd >= 0 ? 0 : -1);
	memcpy(ctl, "../", 3);
	for (int i = 0; i < 240; i++)
		ctl[3 + i] = (char)(1 + i % 31);
	try_open("ctl", ctl, 3 + 240);
	try_open("bad", bad, sizeof(bad) - 1);
	try_open("odd", odd, sizeof(odd) - 1);
	memset(big, 'a', sizeof(big));
	try_open("long", big, sizeof(big));
	try_open("outside", (const char *)0x7ffffff0, 64);
	return 0;
}

static int spin(void)
{
	volatile unsigned n = 0;

	for (;;)
		n++;
	return (int)n;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 100;
	if (strcmp(argv[1], "paths") == 0)
		return paths();
	if (strcmp(argv[1], "exit") == 0 && argc > 2)
		exit(atoi(argv[2]));
	if (strcmp(argv[1], "trap") == 0)
		__builtin_trap();
	if (strcmp(argv[1], "loop") == 0)
		return spin();
	return 101;
}
