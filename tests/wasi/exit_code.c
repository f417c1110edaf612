/* exit(n) becomes wrun's exit status; output written before it is kept.
 *! native
 */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	printf("about to exit\n");
	exit(42);
}
