/*
 * sbx.h: small helpers shared by the sandbox files: scope cleanup and
 * EINTR retries.  Everything here is async-signal-safe.
 */
#ifndef WRUN_SBX_H
#define WRUN_SBX_H

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

/* Close a descriptor owned by a scope, keeping errno as it was. */
static inline void sbx_closep(int *fd)
{
	int saved = errno;

	if (*fd >= 0)
		close(*fd);
	*fd = -1;
	errno = saved;
}

/* Free memory owned by a scope. */
static inline void sbx_freep(void *p)
{
	free(*(void **)p);
}

#define _cleanup_fd_	__attribute__((cleanup(sbx_closep)))
#define _cleanup_free_	__attribute__((cleanup(sbx_freep)))

/* Hand a descriptor out of a scope that would otherwise close it. */
static inline int sbx_steal_fd(int *fd)
{
	int r = *fd;

	*fd = -1;
	return r;
}

/* Evaluate a system call until it is not interrupted by a signal. */
#define SBX_RETRY(expr) ({					\
	long sbx_r_;						\
	do							\
		sbx_r_ = (long)(expr);				\
	while (sbx_r_ == -1 && errno == EINTR);			\
	sbx_r_; })

#endif
