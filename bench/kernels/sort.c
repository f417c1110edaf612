/*
** sort: quicksort of generated 32-bit integers.
**
** Exercises data-dependent branches, i32 compares and loads and stores at
** scattered addresses, plus recursion. Median-of-three pivots, insertion sort
** for short ranges, and recursion into the smaller half only (so the depth
** stays logarithmic).
*/
#include "bench.h"

#define SORT_MAX (2 * 1024 * 1024)

static int32_t sarr[SORT_MAX];

static void sort_insertion(int32_t *a, int32_t n)
{
	for (int32_t i = 1; i < n; i++) {
		int32_t v = a[i], j = i;

		for (; j > 0 && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

static inline void sort_swap(int32_t *a, int32_t i, int32_t j)
{
	int32_t t = a[i];

	a[i] = a[j];
	a[j] = t;
}

/* Order a[0], a[mid], a[n-1] and return the middle value. */
static int32_t sort_pivot(int32_t *a, int32_t n)
{
	int32_t m = n / 2;

	if (a[m] < a[0])
		sort_swap(a, m, 0);
	if (a[n - 1] < a[0])
		sort_swap(a, n - 1, 0);
	if (a[n - 1] < a[m])
		sort_swap(a, n - 1, m);
	return a[m];
}

static void sort_quick(int32_t *a, int32_t n)
{
	while (n > 16) {
		int32_t p = sort_pivot(a, n), i = 0, j = n - 1;

		for (;;) {
			while (a[i] < p)
				i++;
			while (a[j] > p)
				j--;
			if (i >= j)
				break;
			sort_swap(a, i++, j--);
		}
		/* a[0..j] <= p <= a[j+1..n-1]: recurse on the smaller side. */
		if (j + 1 < n - j - 1) {
			sort_quick(a, j + 1);
			a += j + 1;
			n -= j + 1;
		} else {
			sort_quick(a + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	sort_insertion(a, n);
}

/* Sort n values `reps` times, each time fresh data from a new seed; the
** checksum mixes in samples of the sorted array and fails loudly (-1) if any
** pass left it unsorted. */
BENCH_EXPORT(sort)
int32_t sort(int32_t n, int32_t reps)
{
	uint32_t sum = 0;

	n = bench_clamp(n, 1, SORT_MAX);
	for (int32_t r = 0; r < reps; r++) {
		uint32_t s = 0x9e3779b9u + (uint32_t)r * 2654435761u;

		for (int32_t i = 0; i < n; i++)
			sarr[i] = (int32_t)(bench_rand(&s) >> 1) - (1 << 30);
		sort_quick(sarr, n);
		for (int32_t i = 1; i < n; i++)
			if (sarr[i - 1] > sarr[i])
				return -1;
		for (int32_t i = 0; i < n; i += 997)
			sum = sum * 33 + (uint32_t)sarr[i];
	}
	return (int32_t)sum;
}
