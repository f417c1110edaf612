/*
 * channel.h: the request/answer channel between the jailed child and the
 * broker, one page of a memfd mapped MAP_SHARED by both.
 *
 * The child writes a function number and raw arguments, publishes them by
 * storing the next sequence number in req_seq, and wakes the broker only
 * if the state word says it sleeps.  The broker copies the request out
 * once, validates the copy, executes it, stores the result and publishes
 * ans_seq = req_seq, waking the child only if it sleeps.  Both sides spin
 * briefly before they sleep on a futex: a blocking wake-up costs tens of
 * microseconds, a spinning peer well under one.
 *
 * The child is hostile: it may write anything anywhere in the page at any
 * time.  The broker never reads a field twice, never trusts the state
 * word for more than a hint, and never executes a sequence number twice.
 */
#ifndef WRUN_CHANNEL_H
#define WRUN_CHANNEL_H

#include <stdatomic.h>
#include <stdint.h>

#define CHAN_SIZE	4096	/* the memfd's size, sealed */
#define CHAN_MAX_ARGS	10	/* WASI's widest call (path_open) takes 9 */

/* Bits of the state word: who is asleep (a hint, never trusted). */
#define CHAN_CHILD_SLEEPS	1u
#define CHAN_BROKER_SLEEPS	2u

/* The page.  Request, answer and state each own a cache line. */
struct chan_page {
	_Alignas(64) _Atomic uint32_t req_seq;	/* child: publish (futex) */
	uint32_t func;				/* child: function number */
	uint32_t nargs;				/* child: arguments used */
	uint32_t pad0;
	uint64_t args[CHAN_MAX_ARGS];		/* child: raw arguments */
	_Alignas(64) _Atomic uint32_t ans_seq;	/* broker: publish (futex) */
	uint32_t pad1;
	int64_t result;				/* broker: value or -errno */
	_Alignas(64) _Atomic uint32_t state;	/* CHAN_*_SLEEPS */
};

_Static_assert(sizeof(struct chan_page) <= CHAN_SIZE, "channel page too big");

/* One side's view of a mapped channel. */
struct chan {
	struct chan_page *page;
	uint32_t seq;		/* child: last sent; broker: last accepted */
	uint32_t spin;		/* polls before sleeping */
};

/* The protocol a broker accepts: how many arguments each function takes. */
struct chan_proto {
	uint32_t nfunc;
	const uint8_t *nargs;	/* nfunc entries, each <= CHAN_MAX_ARGS */
};

/* A request as the broker copied it out. */
struct chan_req {
	uint32_t seq;
	uint32_t func;
	uint32_t nargs;
	uint64_t args[CHAN_MAX_ARGS];	/* unused ones are zero */
};

#define CHAN_SPIN_DEFAULT 4000

int chan_create(void);
int chan_map(int fd, struct chan *c);
void chan_unmap(struct chan *c);

/* Child side. */
int64_t chan_call(struct chan *c, uint32_t func, const uint64_t *args,
		  uint32_t nargs);
void chan_send(struct chan *c, uint32_t func, const uint64_t *args,
	       uint32_t nargs);
int chan_answered(struct chan *c, int64_t *result);

/* Broker side. */
int chan_recv(struct chan *c, const struct chan_proto *p, struct chan_req *out);
int chan_spin(struct chan *c);
int chan_wait(struct chan *c, int64_t timeout_ns);
int chan_broker_sleep(struct chan *c);
void chan_broker_awake(struct chan *c);
void chan_answer(struct chan *c, const struct chan_req *req, int64_t result);

#endif
