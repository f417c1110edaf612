/*
 * wasi_poll.c: poll_oneoff, waiting on clocks and handles at once.
 *
 * The subscriptions are copied out of guest memory once. Clock
 * subscriptions become one deadline on the monotonic clock (the earliest),
 * handle subscriptions become pollfds; a handle that is bad or lacks the
 * right produces its event at once, with the error, and no waiting.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "wasi_impl.h"

#define WASI_SUB_SIZE 48u
#define WASI_EVENT_SIZE 32u
#define WASI_EV_CLOCK 0
#define WASI_EV_FD_READ 1
#define WASI_EV_FD_WRITE 2
#define WASI_MAX_SUBS 4096u

/* One subscription, decoded, with the state of its event. */
typedef struct wasi_sub {
	uint64_t userdata;
	uint8_t type;
	uint16_t error;       /* an immediate error event */
	bool ready;
	uint64_t deadline;    /* clock: monotonic ns */
	int pfd;              /* fd: index into the pollfd array, or -1 */
	uint16_t rwflags;
	uint64_t nbytes;
} wasi_sub;

/* Decode a clock subscription into an absolute monotonic deadline. */
static void wasi_sub_clock(wasi_ctx *c, wasi_sub *s, const uint8_t *raw, uint64_t now)
{
	uint32_t id = wasi_get_u32(raw + 16);
	uint64_t timeout = wasi_get_u64(raw + 24);
	bool abs = wasi_get_u16(raw + 40) & 1;

	if (id > 3) {
		s->error = WASI_EINVAL;
		return;
	}
	if (abs && id != 1) {
		/* An absolute time on another clock: how far ahead it is now. */
		uint64_t other = wasi_now_ns(c, (int)id);

		timeout = timeout > other ? timeout - other : 0;
		abs = false;
	}
	if (abs)
		s->deadline = timeout;
	else
		s->deadline = timeout > UINT64_MAX - now ? UINT64_MAX : now + timeout;
}

/* Decode a read/write subscription into a pollfd. */
static void wasi_sub_fd(wasi_ctx *c, wasi_sub *s, const uint8_t *raw, struct pollfd *pfds,
			unsigned *npfd)
{
	int err;
	wasi_fd *f = wasi_fd_get(c, wasi_get_u32(raw + 16), R_POLL_FD_READWRITE, &err);

	/* a derived handle (wasi_res.c) waits only for what it was made for:
	 * an input stream or its pollable for reading, an output stream or
	 * its pollable for writing, an entry stream for nothing */
	if (f && f->role != WASI_ROLE_DESC &&
	    ((s->type == WASI_EV_FD_READ) != (f->role == WASI_ROLE_IN ||
					      f->role == WASI_ROLE_POLL_IN) ||
	     f->role == WASI_ROLE_DIRS)) {
		f = NULL;
		err = WASI_EBADF;
	}
	if (!f) {
		s->error = (uint16_t)err;
		return;
	}
	s->pfd = (int)*npfd;
	pfds[*npfd].fd = f->host;
	pfds[*npfd].events = s->type == WASI_EV_FD_READ ? POLLIN : POLLOUT;
	pfds[*npfd].revents = 0;
	(*npfd)++;
}

/* Decode all subscriptions; returns how many pollfds were filled. */
static unsigned wasi_subs_decode(wasi_ctx *c, const uint8_t *raw, uint32_t n, wasi_sub *subs,
				 struct pollfd *pfds, uint64_t now)
{
	unsigned npfd = 0;

	for (uint32_t i = 0; i < n; i++, raw += WASI_SUB_SIZE) {
		wasi_sub *s = &subs[i];

		*s = (wasi_sub){ .userdata = wasi_get_u64(raw), .type = raw[8], .pfd = -1 };
		if (s->type == WASI_EV_CLOCK)
			wasi_sub_clock(c, s, raw, now);
		else if (s->type == WASI_EV_FD_READ || s->type == WASI_EV_FD_WRITE)
			wasi_sub_fd(c, s, raw, pfds, &npfd);
		else
			s->error = WASI_EINVAL;
	}
	return npfd;
}

/* Bytes left to read in a regular file, for an fd_read event. */
static uint64_t wasi_poll_nbytes(wasi_ctx *c, int fd)
{
	struct statx st;
	int64_t pos = c->io->lseek(c->io, fd, 0, SEEK_CUR);

	if (pos < 0 || c->io->statx(c->io, fd, "", AT_EMPTY_PATH, &st) < 0 ||
	    !S_ISREG(st.stx_mode) || st.stx_size <= (uint64_t)pos)
		return 0;
	return st.stx_size - (uint64_t)pos;
}

/* Mark which subscriptions have fired; returns how many. */
static uint32_t wasi_subs_ready(wasi_ctx *c, wasi_sub *subs, uint32_t n,
				const struct pollfd *pfds, uint64_t now)
{
	uint32_t ready = 0;

	for (uint32_t i = 0; i < n; i++) {
		wasi_sub *s = &subs[i];

		if (s->error)
			s->ready = true;
		else if (s->type == WASI_EV_CLOCK)
			s->ready = now >= s->deadline;
		else if (pfds[s->pfd].revents) {
			short rev = pfds[s->pfd].revents;

			s->ready = true;
			if (rev & POLLNVAL)
				s->error = WASI_EBADF;
			if (rev & POLLHUP)
				s->rwflags = 1; /* fd_readwrite_hangup */
			if (s->type == WASI_EV_FD_READ && (rev & POLLIN))
				s->nbytes = wasi_poll_nbytes(c, pfds[s->pfd].fd);
		}
		ready += s->ready;
	}
	return ready;
}

/* Write the events of the fired subscriptions; returns their count. */
static uint32_t wasi_events_put(const wasi_mem *m, uint32_t out, const wasi_sub *subs,
				uint32_t n)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < n; i++) {
		uint8_t *e = m->base + out + (uint64_t)k * WASI_EVENT_SIZE;

		if (!subs[i].ready)
			continue;
		memset(e, 0, WASI_EVENT_SIZE);
		wasi_put_u64(e, subs[i].userdata);
		wasi_put_u16(e + 8, subs[i].error);
		e[10] = subs[i].type;
		if (subs[i].type != WASI_EV_CLOCK) {
			wasi_put_u64(e + 16, subs[i].nbytes);
			wasi_put_u16(e + 24, subs[i].rwflags);
		}
		k++;
	}
	return k;
}

/* Wait until at least one subscription fires. Handles are always polled
 * once, even when a clock has already expired, so that a zero timeout
 * still reports the handles that are ready. */
static int wasi_poll_wait(wasi_ctx *c, wasi_sub *subs, uint32_t n, struct pollfd *pfds,
			  unsigned npfd)
{
	for (;;) {
		uint64_t now = wasi_now_ns(c, 1), deadline = UINT64_MAX;
		int64_t timeout;
		int r;

		for (uint32_t i = 0; i < n; i++) {
			if (subs[i].error)
				deadline = 0;
			else if (subs[i].type == WASI_EV_CLOCK && subs[i].deadline < deadline)
				deadline = subs[i].deadline;
		}
		timeout = deadline == UINT64_MAX ? -1 : deadline <= now ? 0 :
			  deadline - now > INT64_MAX ? INT64_MAX : (int64_t)(deadline - now);
		for (unsigned i = 0; i < npfd; i++)
			pfds[i].revents = 0;
		r = c->io->poll(c->io, pfds, npfd, timeout);
		if (r < 0)
			return wasi_errno(r);
		if (wasi_subs_ready(c, subs, n, pfds, wasi_now_ns(c, 1)))
			return WASI_ESUCCESS;
	}
}

/* poll_oneoff(in, out, nsubscriptions, nevents). */
int wasi_p1_poll_oneoff(wasi_ctx *c, const wasi_mem *m, const uint64_t *a)
{
	uint32_t in = A32(0), out = A32(1), n = A32(2);
	uint8_t *raw = NULL;
	wasi_sub *subs = NULL;
	struct pollfd *pfds = NULL;
	unsigned npfd;
	int err;

	if (n == 0 || n > WASI_MAX_SUBS)
		return WASI_EINVAL;
	if (!wasi_mem_ok(m, in, (uint64_t)n * WASI_SUB_SIZE) ||
	    !wasi_mem_ok(m, out, (uint64_t)n * WASI_EVENT_SIZE) || !wasi_mem_ok(m, A32(3), 4))
		return WASI_EFAULT;
	raw = malloc((size_t)n * WASI_SUB_SIZE);
	subs = malloc(sizeof(*subs) * n);
	pfds = malloc(sizeof(*pfds) * n);
	err = WASI_ENOMEM;
	if (!raw || !subs || !pfds)
		goto out;
	memcpy(raw, m->base + in, (size_t)n * WASI_SUB_SIZE);
	npfd = wasi_subs_decode(c, raw, n, subs, pfds, wasi_now_ns(c, 1));
	err = wasi_poll_wait(c, subs, n, pfds, npfd);
	if (!err)
		wasi_put_u32(m->base + A32(3), wasi_events_put(m, out, subs, n));
out:
	free(raw);
	free(subs);
	free(pfds);
	return err;
}
