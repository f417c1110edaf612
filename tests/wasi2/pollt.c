/* pollt.c: for tests/wasi2/run.py, wrapped into a component: poll(2) on
 * stdin with a 300 ms timeout, which the adapter turns into a pollable of
 * the stdin stream and a clock: "poll 0" when nothing came in time,
 * "poll 1" when input was there. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>

/* The canonical ABI's allocator, which Debian's wasi-libc lacks. */
__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size)
{
	(void)old_size;
	(void)align;
	return realloc(old, new_size);
}

int main(void)
{
	struct pollfd p = { 0, POLLIN, 0 };

	printf("poll %d\n", poll(&p, 1, 300));
	return 0;
}
