/*
 * sbx_proto.h: the protocol between the jailed child and the broker, on
 * top of the channel (channel.h).
 *
 * Function numbers 0 .. WASI_FN__COUNT-1 are the WASI functions, with
 * their raw arguments; the numbers after them are the sandbox's own.  The
 * answer (the channel's int64 result) is a WASI errno (0..76), or
 * SBX_ANS_EXIT | code when the guest is to end with that exit code, or
 * for the sandbox's functions a value or -errno.  Text (a trap message)
 * travels in a fixed area of the channel page that the broker copies out
 * once, NUL-terminates and makes printable.
 */
#ifndef WRUN_SBX_PROTO_H
#define WRUN_SBX_PROTO_H

#include <stdint.h>

#include "channel.h"
#include "jail.h"
#include "wasi/wasi.h"

enum sbx_fn {
	SBX_FN_MEM_RESIZE = WASI_FN__COUNT,	/* (bytes): 0 or -errno */
	SBX_FN_MEM_SIZE,			/* (): bytes the broker granted */
	SBX_FN_DONE,				/* (run_end, detail): the end */
	SBX_FN__COUNT
};

/*
 * SBX_FN_DONE's arguments are how the run pipeline ended (enum run_end of
 * src/run/run.h) and its detail: the exit code for RUN_EXIT, the byte
 * offset for RUN_LOAD.  The text area holds the outcome's text.  The
 * broker accepts only the ends the pipeline itself produces; the others
 * (a timeout, a limit, a crash) are the broker's to decide.
 */

#define SBX_ANS_EXIT	(1ll << 32)	/* | exit code (0..255) */

/* The text area inside the channel page, owned by the child. */
#define SBX_TEXT_OFF	2048u
#define SBX_TEXT_SIZE	1024u

/*
 * --invoke: before the child starts, the broker writes SBX_INVOKE_TAG, the
 * argument count (uint32, host order), then the export's name and each
 * argument, every one NUL-terminated, at the start of the text area.  The
 * child copies it out before it enters the jail; the area is the child's
 * from then on.
 */
#define SBX_INVOKE_TAG	'I'
#define SBX_INVOKE_HEAD	5u	/* the tag and the count */

_Static_assert(sizeof(struct chan_page) <= SBX_TEXT_OFF, "text overlaps the channel");
_Static_assert(SBX_TEXT_OFF + SBX_TEXT_SIZE <= CHAN_SIZE, "text past the page");

/* Descriptors the child receives, in this order from JAIL_FD_FIRST. */
#define SBX_FD_CHAN	(JAIL_FD_FIRST + 0)
#define SBX_FD_MEM	(JAIL_FD_FIRST + 1)
#define SBX_FD_MODULE	(JAIL_FD_FIRST + 2)	/* last: closed before the jail */
#define SBX_NKEEP	3

/* Largest linear memory: 65536 pages of 64 KiB. */
#define SBX_MEM_MAX	(1ull << 32)
#define SBX_PAGE	65536u

/* Test-only hook points in the child (child_hook.c is a no-op). */
enum sbx_hook_point {
	SBX_HOOK_READY,		/* jail entered, before loading */
	SBX_HOOK_CALL,		/* before each forwarded WASI call */
};

struct chan;
void sbx_child_hook(enum sbx_hook_point where, struct chan *c, const char *hook);
/* Test-only misbehaviour of the broker once it is confined (a no-op too). */
void sbx_broker_hook(const char *hook);

#endif
