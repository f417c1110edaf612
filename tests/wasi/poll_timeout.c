/* poll with timeouts: an idle pipe times out, a zero timeout returns at
 * once, a sleep lasts at least as asked.
 *! native
 */
#include <poll.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

int main(void)
{
	struct pollfd p = { .fd = 1, .events = POLLOUT };
	struct timespec t0, d = { 0, 30000000 };
	int r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = poll(NULL, 0, 50);
	printf("poll none 50ms: %d waited>=50: %d\n", r, ms_since(&t0) >= 50);
	r = poll(&p, 1, 0);
	printf("poll stdout writable: %d %d\n", r, !!(p.revents & POLLOUT));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	nanosleep(&d, NULL);
	printf("nanosleep 30ms: waited>=30: %d\n", ms_since(&t0) >= 30);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	usleep(20000);
	printf("usleep 20ms: waited>=20: %d\n", ms_since(&t0) >= 20);
	return 0;
}
