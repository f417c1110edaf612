/*
 * jail_proto.h: the setup report, shared by the two halves of the jail.
 *
 * While the child sets itself up it holds the write end of a pipe at
 * JAIL_FD_REPORT.  A failed step writes one record and exits; the last step
 * before the filter writes a DONE record; the filter failing writes one
 * more.  The descriptor is closed once the filter is on, so the broker
 * reads records until end of file and the last one is the verdict.
 */
#ifndef WRUN_JAIL_PROTO_H
#define WRUN_JAIL_PROTO_H

#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "jail.h"

#define JAIL_REPORT_MAGIC 0x6c69616au	/* "jail" */

struct jail_report {
	uint32_t magic;
	uint32_t step;
	int32_t err;
	uint32_t zero;
};

/* Write one record to fd; only async-signal-safe calls. 0 or -errno. */
static inline int jail_report_write(int fd, enum jail_step step, int err)
{
	struct jail_report r = { JAIL_REPORT_MAGIC, step, err, 0 };
	ssize_t n;

	do
		n = write(fd, &r, sizeof(r));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == (ssize_t)sizeof(r) ? 0 : -EPIPE;
}

#endif
