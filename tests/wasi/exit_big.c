/* An exit status above 255 is cut to its low 8 bits, as a shell sees it.
 *! native
 */
#include <stdlib.h>

int main(void)
{
	exit(256 + 3);
}
