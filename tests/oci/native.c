/* native.c: a static Linux program in the test image, so that a container
 * that is not wasm is seen going to runc (tests/oci/podman.sh). */
#include <stdio.h>

int main(void)
{
	puts("native hello");
	return 0;
}
