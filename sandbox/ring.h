/*
 * ring.h: the broker's io_uring.  Created disabled, restricted to the
 * opcodes in one table (ring.c), then enabled; plus SQE helpers for the
 * futex opcodes that Debian's liburing 2.3 does not know, and one wait
 * that covers the channel doorbell, the child's pidfd, a deadline and the
 * broker's own I/O completions together.
 */
#ifndef WRUN_RING_H
#define WRUN_RING_H

#include <liburing.h>
#include <stdbool.h>
#include <stdint.h>

/* Opcodes newer than liburing 2.3's headers (numbers fixed by the kernel ABI). */
#define RING_OP_FUTEX_WAIT	51
#define RING_OP_FUTEX_WAKE	52

/* futex2 flags for the futex opcodes (linux/futex.h in kernels >= 6.7). */
#define RING_FUTEX2_SIZE_U32	0x02
#define RING_FUTEX2_PRIVATE	128
#define RING_FUTEX_MATCH_ANY	0xffffffffull

/* user_data values the wait loop keeps for itself; others are the caller's. */
#define RING_UD_FUTEX	0xfffffffffffff001ull
#define RING_UD_CHILD	0xfffffffffffff002ull
#define RING_UD_TIMEOUT	0xfffffffffffff003ull

/* What ring_wait() saw (a bit mask). */
#define RING_EV_FUTEX	1u	/* the doorbell word was woken (or had moved) */
#define RING_EV_CHILD	2u	/* the child's pidfd became readable: it ended */
#define RING_EV_TIMEOUT	4u	/* the deadline passed */
#define RING_EV_IO	8u	/* at least one caller completion was handed on */

struct ring {
	struct io_uring uring;
	bool futex_armed, child_armed, timeout_armed;
	struct __kernel_timespec deadline;	/* must outlive the TIMEOUT SQE's prep */
};

struct ring_wait_args {
	const _Atomic uint32_t *futex;	/* doorbell word, or NULL */
	uint32_t futex_val;		/* sleep only while *futex == this */
	int pidfd;			/* child, or -1 */
	int64_t deadline_ns;		/* CLOCK_MONOTONIC absolute, or < 0 */
	void (*on_cqe)(void *ctx, const struct io_uring_cqe *cqe);
	void *ctx;
};

int ring_open(struct ring *r, unsigned entries);
void ring_close(struct ring *r);
void ring_prep_futex_wait(struct io_uring_sqe *sqe, const void *addr,
			  uint32_t val, uint64_t mask, uint32_t futex2_flags);
void ring_prep_futex_wake(struct io_uring_sqe *sqe, const void *addr,
			  uint32_t nr, uint64_t mask, uint32_t futex2_flags);
int ring_wait(struct ring *r, const struct ring_wait_args *a, unsigned *events);
bool ring_op_allowed(uint8_t op);

#endif
