/*
 * uring_io.h: the broker's WASI backend on io_uring, and the one place
 * that reads the ring's completions.
 *
 * Each operation is prepared into an SQE whose buffers point straight into
 * the shared linear memory (already checked by the WASI code against the
 * size the broker controls), submitted, and waited for.  While it waits,
 * the completions of the broker's own watches (the channel doorbell, the
 * child's pidfd, the --timeout deadline) are collected as events; when
 * the child ends or time runs out the pending operation is cancelled, so
 * that no call can hold the broker past either.
 */
#ifndef WRUN_URING_IO_H
#define WRUN_URING_IO_H

#include <stdatomic.h>
#include <stdint.h>

#include "ring.h"
#include "wasi/wasi_io.h"

/* What uring_io.c knows of a descriptor number below URING_KIND_FDS. */
#define URING_KIND_FDS		1024
#define URING_KIND_UNKNOWN	0
#define URING_KIND_QUIET	1	/* a regular file or a directory: plain calls */
#define URING_KIND_OTHER	2	/* pipe, socket, tty, FIFO, device: the ring */

struct uring_io {
	wasi_backend be;	/* what the WASI context calls */
	struct ring ring;
	unsigned events;	/* RING_EV_* seen and not yet taken */
	int pidfd;		/* watched for the child's end */
	int64_t deadline_ns;	/* CLOCK_MONOTONIC, or < 0 */
	uint64_t next;		/* next user_data for an operation */
	uint8_t kind[URING_KIND_FDS];	/* URING_KIND_* by descriptor number */
};

int uring_io_open(struct uring_io *u, int pidfd, int64_t deadline_ns);
int uring_io_wait(struct uring_io *u, const _Atomic uint32_t *futex, uint32_t val);
unsigned uring_io_take(struct uring_io *u);

#endif
