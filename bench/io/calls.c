/*
** calls: many cheap system calls, one kind at a time.
**
**   calls clock N    N calls of clock_gettime(CLOCK_MONOTONIC) (clock_time_get)
**   calls yield N    N calls of sched_yield (sched_yield)
**
** Natively a monotonic clock read never enters the kernel; in WASI each is a
** host call, and under the broker a round trip to another process, so the
** difference between isolation levels divided by N is what one brokered call
** costs. Prints N and how often the clock went backwards (never, if it works).
*/
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
	long n, back = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: calls clock|yield N\n");
		return 2;
	}
	n = atol(argv[2]);
	if (!strcmp(argv[1], "clock")) {
		struct timespec ts;
		long long last = 0, t;

		for (long i = 0; i < n; i++) {
			clock_gettime(CLOCK_MONOTONIC, &ts);
			t = (long long)ts.tv_sec * 1000000000 + ts.tv_nsec;
			back += t < last;
			last = t;
		}
	} else if (!strcmp(argv[1], "yield")) {
		for (long i = 0; i < n; i++)
			back += sched_yield() != 0;
	} else {
		fprintf(stderr, "calls: unknown kind %s\n", argv[1]);
		return 2;
	}
	printf("%s %ld calls, %ld anomalies\n", argv[1], n, back);
	return 0;
}
