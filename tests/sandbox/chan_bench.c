/*
 * chan_bench.c: round-trip time of the channel between two processes.
 *
 *   chan_bench [CALLS [SPIN]]     defaults: 1000000 calls, CHAN_SPIN_DEFAULT
 *
 * The parent plays the broker (wait, receive, validate, answer); a forked
 * child makes CALLS calls and times each one.  Prints the median, 90th and
 * 99th percentiles in nanoseconds, and checks every answer.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "channel.h"

static const uint8_t bench_nargs[] = { 2 };
static const struct chan_proto bench_proto = { 1, bench_nargs };

static int64_t bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int bench_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The caller: time each call, check each answer, print percentiles. */
static int bench_child(struct chan *c, long calls)
{
	int64_t *t = malloc(sizeof(*t) * (size_t)calls), t0;
	uint64_t args[2];
	long bad = 0;

	if (!t)
		return 2;
	for (long i = 0; i < calls; i++) {
		args[0] = (uint64_t)i;
		args[1] = 7;
		t0 = bench_now();
		if (chan_call(c, 0, args, 2) != i + 7)
			bad++;
		t[i] = bench_now() - t0;
	}
	qsort(t, (size_t)calls, sizeof(*t), bench_cmp);
	printf("chan_bench: %ld calls, spin %u: median %lld ns, p90 %lld ns, "
	       "p99 %lld ns, %ld wrong answers\n", calls, c->spin,
	       (long long)t[calls / 2], (long long)t[calls * 9 / 10],
	       (long long)t[calls * 99 / 100], bad);
	fflush(stdout);
	free(t);
	return bad ? 1 : 0;
}

/* The broker: answer until the child exits. */
static int bench_broker(struct chan *c, pid_t child)
{
	struct chan_req req;
	int st, r;

	for (;;) {
		if (chan_wait(c, 100000000) == 0) {
			if (waitpid(child, &st, WNOHANG) == child)
				return WIFEXITED(st) ? WEXITSTATUS(st) : 3;
			continue;
		}
		r = chan_recv(c, &bench_proto, &req);
		if (r == 1)
			chan_answer(c, &req, (int64_t)(req.args[0] + req.args[1]));
		else if (r < 0) {
			fprintf(stderr, "chan_bench: bad request: %s\n", strerror(-r));
			kill(child, SIGKILL);
			return 4;
		}
	}
}

int main(int argc, char **argv)
{
	long calls = argc > 1 ? atol(argv[1]) : 1000000;
	struct chan broker, child;
	int fd = chan_create();
	pid_t pid;

	if (calls < 1 || fd < 0 || chan_map(fd, &broker) < 0 || chan_map(fd, &child) < 0) {
		fprintf(stderr, "chan_bench: setup failed\n");
		return 2;
	}
	if (argc > 2)
		broker.spin = child.spin = (uint32_t)atol(argv[2]);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0)
		_exit(bench_child(&child, calls));
	return bench_broker(&broker, pid);
}
