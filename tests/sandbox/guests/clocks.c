/* Reads the monotonic and CPU-time clocks many times, then prints whether
 * they behaved: the jailed child answers clock_time_get itself. */
#include <stdio.h>
#include <time.h>

int main(void)
{
	struct timespec a, b, cpu;
	int backwards = 0;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 2000; i++) {
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (b.tv_sec < a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec < a.tv_nsec))
			backwards++;
		a = b;
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	printf("backwards %d, cpu time %s\n", backwards,
	       cpu.tv_sec > 0 || cpu.tv_nsec > 0 ? "positive" : "zero");
	return 0;
}
