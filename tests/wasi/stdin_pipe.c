/* stdin from a pipe: read it all, count lines and bytes, echo it
 * upper-cased; poll reports it readable.
 *! stdin: first line\nsecond line\n\nlast without newline
 *! native
 */
#include <ctype.h>
#include <poll.h>
#include <stdio.h>

int main(void)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };
	int c, lines = 0, bytes = 0, r = poll(&p, 1, 1000);

	printf("poll: %d readable: %d\n", r, !!(p.revents & POLLIN));
	while ((c = getchar()) != EOF) {
		bytes++;
		lines += c == '\n';
		putchar(toupper(c));
	}
	printf("\nlines=%d bytes=%d eof=%d\n", lines, bytes, feof(stdin));
	return 0;
}
