/*
 * hello.c: a minimal WASI command.
 *
 *   clang --target=wasm32-wasi --sysroot=/usr -O2 -Wl,--strip-debug \
 *       -o hello.wasm hello.c
 *   wrun examples/hello.wasm world
 */
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("Hello, %s!\n", argc > 1 ? argv[1] : "world");
	return 0;
}
