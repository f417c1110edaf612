/*
** driver.c: the native side of a benchmark kernel.
**
** Built once per kernel with -DKERNEL=name -DKRET=int32_t|int64_t. Parses the
** same two integer arguments that `wrun --invoke` is given, calls the kernel
** and prints its result the way wrun does: one signed decimal per line.
*/
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

KRET KERNEL(int32_t, int32_t);

#define STR2(x) #x
#define STR(x) STR2(x)

/* Parse a signed 32-bit decimal argument or exit with status 2. */
static int32_t arg_i32(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < INT32_MIN || v > INT32_MAX) {
		fprintf(stderr, "%s: not a 32-bit integer: %s\n", STR(KERNEL), s);
		exit(2);
	}
	return (int32_t)v;
}

static void print_i32(int32_t v)
{
	printf("%" PRId32 "\n", v);
}

static void print_i64(int64_t v)
{
	printf("%" PRId64 "\n", v);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s SIZE REPS\n", argv[0]);
		return 2;
	}
	_Generic((KRET)0, int32_t: print_i32, int64_t: print_i64)(
		KERNEL(arg_i32(argv[1]), arg_i32(argv[2])));
	return 0;
}
