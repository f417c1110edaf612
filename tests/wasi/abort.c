/* abort() in the guest is a trap too. */
#include <stdlib.h>

int main(void)
{
	abort();
}
