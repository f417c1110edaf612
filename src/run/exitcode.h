/*
 * exitcode.h: the exit status of the wrun command, in one place (the man
 * page, wrun(1), documents the same table).
 *
 * A guest that calls proc_exit(n) makes wrun exit with n & 0xff; a guest
 * whose _start returns normally exits with 0. Every other outcome has its
 * own code, chosen outside the range a C program usually uses for its own
 * failures, except 1 and 2, which follow the usual convention.
 */
#ifndef WRUN_EXITCODE_H
#define WRUN_EXITCODE_H

#define EXIT_WRUN_ERROR 1   /* unreadable or invalid module, link error, host failure,
                               sandbox set-up failure */
#define EXIT_USAGE 2        /* bad command line */
#define EXIT_TIMEOUT 124    /* --timeout: wall clock (as timeout(1)) */
#define EXIT_TRAP 134       /* the guest trapped (128 + SIGABRT, like a native abort) */
#define EXIT_FUEL 137       /* --fuel: the instruction budget ran out */
#define EXIT_MEMORY 151     /* --max-memory: the initial memory does not fit */
#define EXIT_OPEN 152       /* --max-open: too many handles */
#define EXIT_OUTPUT 153     /* --max-output: too many bytes to stdout/stderr */
#define EXIT_CRASH 158      /* the jailed child died by a signal or without a result */
#define EXIT_SANDBOX 159    /* sandbox violation: SIGSYS (128 + 31) or protocol abuse */

/* proc_raise(sig) of a signal whose default action ends a process exits
 * with 128 + the signal's number, as a shell reports a native program
 * (WASI sets that code itself: src/wasi/wasi_misc.c). */

#endif
