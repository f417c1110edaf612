/*
 * cabi_realloc.c: the canonical ABI's allocator for preview1 programs that
 * are wrapped into components (jco new --wasi-command).  The adapter asks
 * the main module's cabi_realloc for its state; Debian's wasi-libc exports
 * none, and without one the adapter's state sits in memory the program's
 * own allocator later hands out.  Linked into tests/cli/opts.c and the
 * kernels of bench/component.sh.
 */
#include <stdlib.h>

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size)
{
	(void)old_size;
	(void)align;
	return realloc(old, new_size);
}
