/* grow.c: memory.grow within and beyond --max-memory. */
#include <stdio.h>

int main(void)
{
	long before = (long)__builtin_wasm_memory_size(0);
	long big = (long)__builtin_wasm_memory_grow(0, 1000);	/* 64 MB more */
	long small = (long)__builtin_wasm_memory_grow(0, 1);
	long after = (long)__builtin_wasm_memory_size(0);
	volatile char *p = (volatile char *)(after * 65536 - 1);

	*p = 42;	/* the page granted is usable */
	printf("grow 1000: %ld\ngrow 1: %s\nsize: +%ld\nlast byte: %d\n", big,
	       small == before ? "ok" : "failed", after - before, *p);
	return 0;
}
