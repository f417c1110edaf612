/* tailcall.c: mutual recursion a million calls deep, each call in tail
 * position with musttail: built with clang-19 -mtail-call it becomes
 * return_call, and runs in constant stack; natively, a jump. */
#include <stdio.h>
#include <stdlib.h>

static int is_odd(unsigned n, unsigned acc);

__attribute__((noinline)) static int is_even(unsigned n, unsigned acc)
{
	if (n == 0)
		return (int)(acc % 1000003u);
	__attribute__((musttail)) return is_odd(n - 1, acc * 31u + n);
}

__attribute__((noinline)) static int is_odd(unsigned n, unsigned acc)
{
	if (n == 0)
		return -(int)(acc % 1000003u);
	__attribute__((musttail)) return is_even(n - 1, acc ^ (n << 3));
}

/* Through a function pointer: return_call_indirect. */
typedef long long (*step_fn)(long long n, long long acc, const void *tab);

static long long step_a(long long n, long long acc, const void *tab);
static long long step_b(long long n, long long acc, const void *tab);

__attribute__((noinline)) static long long step_a(long long n, long long acc, const void *tab)
{
	step_fn const *t = tab;
	if (n <= 0)
		return acc;
	__attribute__((musttail)) return t[n & 1](n - 1, acc + n * 3, tab);
}

__attribute__((noinline)) static long long step_b(long long n, long long acc, const void *tab)
{
	step_fn const *t = tab;
	if (n <= 0)
		return acc;
	__attribute__((musttail)) return t[(n >> 1) & 1](n - 1, acc - n, tab);
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 1000000u;
	static step_fn const tab[2] = { step_a, step_b };
	printf("even(%u) = %d\n", n, is_even(n, 7));
	printf("odd(%u) = %d\n", n + 1, is_odd(n + 1, 11));
	printf("steps(%u) = %lld\n", n, step_a((long long)n, 0, tab));
	return 0;
}
