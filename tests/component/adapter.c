/* adapter.c: a preview1 command for adapter.sh: built for wasm32-wasi, then
 * wrapped into a component by the preview1 adapter. */
#include <stdio.h>
#include <stdlib.h>

/* The canonical ABI's allocator: the adapter's component calls the main
 * module's cabi_realloc, which wasi-libc does not provide. */
__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size)
{
	(void)old_size;
	(void)align;
	return realloc(old, new_size);
}

int main(int argc, char **argv)
{
	printf("%d arguments, first %s\n", argc, argc > 0 ? argv[0] : "(none)");
	return 0;
}
