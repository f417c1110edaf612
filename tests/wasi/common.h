/*
 * common.h: helpers shared by the WASI guest programs. Each program is
 * built both for wasm32-wasi and natively, so errors are printed by name,
 * not with strerror (whose wording differs between C libraries).
 */
#ifndef WASI_TEST_COMMON_H
#define WASI_TEST_COMMON_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifndef ENOTCAPABLE
#define ENOTCAPABLE 76 /* native builds: never produced, only named */
#endif

/* The symbolic name of an errno value. */
static inline const char *errname(int e)
{
	static const struct { int e; const char *n; } t[] = {
		{ 0, "OK" }, { ENOENT, "ENOENT" }, { EEXIST, "EEXIST" }, { ENOTDIR, "ENOTDIR" },
		{ EISDIR, "EISDIR" }, { ENOTEMPTY, "ENOTEMPTY" }, { EBADF, "EBADF" },
		{ EINVAL, "EINVAL" }, { EACCES, "EACCES" }, { EPERM, "EPERM" },
		{ ELOOP, "ELOOP" }, { ESPIPE, "ESPIPE" }, { EXDEV, "EXDEV" },
		{ ENAMETOOLONG, "ENAMETOOLONG" }, { EFAULT, "EFAULT" }, { EAGAIN, "EAGAIN" },
		{ ENOTSUP, "ENOTSUP" }, { EBUSY, "EBUSY" }, { ENOTSOCK, "ENOTSOCK" },
		{ ENOTCAPABLE, "ENOTCAPABLE" }, { EMFILE, "EMFILE" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].e == e)
			return t[i].n;
	return "E?";
}

/* Print "what: OK" or "what: ENAME" for a call returning -1/errno. */
#define TRY(what, expr)                                                       \
	do {                                                                  \
		errno = 0;                                                    \
		long r_ = (long)(expr);                                       \
		printf("%s: %s\n", what, r_ < 0 ? errname(errno) : "OK");     \
	} while (0)

#endif
