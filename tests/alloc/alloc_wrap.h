/*
 * alloc_wrap.h: the failing allocator of the sweeps in tests/alloc/.
 *
 * Link with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,
 * --wrap=free: only the calls of the objects under test are counted and
 * failed (libc's own allocations are left alone).  alloc_fail_at = N makes
 * the Nth allocation since alloc_count was reset fail; alloc_live counts
 * blocks handed out and not freed, so a run that leaves it changed leaked.
 * Header-only: each sweep is one program.
 */
#ifndef WRUN_ALLOC_WRAP_H
#define WRUN_ALLOC_WRAP_H

#include <dirent.h>
#include <stddef.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void __real_free(void *p);

static long alloc_count;	/* allocations asked for so far */
static long alloc_fail_at;	/* fail the allocation with this number; 0: none */
static long alloc_live;		/* blocks handed out and not yet freed */

/* True if this allocation is the one to fail. */
static int alloc_fails(void)
{
	return ++alloc_count == alloc_fail_at;
}

void *__wrap_malloc(size_t n)
{
	void *p = alloc_fails() ? NULL : __real_malloc(n);

	alloc_live += p != NULL;
	return p;
}

void *__wrap_calloc(size_t n, size_t size)
{
	void *p = alloc_fails() ? NULL : __real_calloc(n, size);

	alloc_live += p != NULL;
	return p;
}

void *__wrap_realloc(void *old, size_t n)
{
	void *p = alloc_fails() ? NULL : __real_realloc(old, n);

	alloc_live += p != NULL && old == NULL;
	return p;
}

char *__wrap_strdup(const char *s)
{
	char *p = alloc_fails() ? NULL : __real_strdup(s);

	alloc_live += p != NULL;
	return p;
}

void __wrap_free(void *p)
{
	alloc_live -= p != NULL;
	__real_free(p);
}

/* Open descriptors of this process. */
static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

#endif
