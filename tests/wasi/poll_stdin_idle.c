/* poll on a pipe with no data yet times out: stdin is the read end of a
 * pipe whose writer stays silent (the runner's sleep).
 *! flags: --env X=1
 */
#include <poll.h>
#include <stdio.h>
#include <wasi/api.h>

int main(void)
{
	__wasi_subscription_t s[2] = { 0 };
	__wasi_event_t ev[2];
	__wasi_size_t n = 0;

	s[0].userdata = 1;
	s[0].u.tag = __WASI_EVENTTYPE_FD_READ;
	s[0].u.u.fd_read.file_descriptor = 0;
	s[1].userdata = 2;
	s[1].u.tag = __WASI_EVENTTYPE_CLOCK;
	s[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
	s[1].u.u.clock.timeout = 30000000;
	(void)__wasi_poll_oneoff(s, ev, 2, &n);
	printf("events %u: %llu (readable at EOF or timeout)\n", (unsigned)n,
	       (unsigned long long)ev[0].userdata);
	return 0;
}
