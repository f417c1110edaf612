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
	SBX_FN_MEM_RESIZE = WASI_FN__COUNT,	/* (bytes, memfd index): 0 or -errno */
	SBX_FN_MEM_SIZE,			/* (): bytes the broker granted memfd 0 */
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

/*
 * Linear memories: SBX_NMEM memfds, made by the broker before the child
 * starts (the jailed child cannot make one), one per memory the module
 * defines, in order, so a module may have that many.  memfd 0 is the one
 * WASI calls see: the broker maps it (4 GiB, SBX_MEM_MAX) and the child
 * gives it only to memory 0, and only if that is a 32-bit memory.  The
 * broker never maps the others; it only grows them, each up to the memory
 * limit (--max-memory, else WR_MEMORY64_MAX_DEFAULT; the engine keeps a
 * 32-bit memory to 4 GiB).
 */
#define SBX_NMEM	8

/* Descriptors the child receives, in this order from JAIL_FD_FIRST:
 * the channel, memfd i at SBX_FD_MEM + i, the module. */
#define SBX_FD_CHAN	(JAIL_FD_FIRST + 0)
#define SBX_FD_MEM	(JAIL_FD_FIRST + 1)
#define SBX_FD_MODULE	(SBX_FD_MEM + SBX_NMEM)	/* last: closed before the jail */
#define SBX_NKEEP	(SBX_NMEM + 2)

_Static_assert(SBX_NKEEP <= JAIL_MAX_KEEP, "the jail passes every memfd");

/* memfd 0 at most: 65536 pages of 64 KiB, the most WASI can address. */
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
