#!/usr/bin/env python3
"""Run a command as a child subreaper, as conmon and containerd's shim are.

usage: reaper.py STATUS-FILE -- COMMAND [ARGS...]

A container's first process outlives `wrun-oci create` and is reparented
to the nearest subreaper: this process.  Every child that ends here is
written to STATUS-FILE as a line "PID STATUS" (the exit code, or 128 + the
signal), at once, so the command can wait for its container's line.  Ends
when the command has ended and no child is left (at most 120 s after the
command), with the command's status.
"""
import ctypes
import os
import signal
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def status_of(st):
    return os.WEXITSTATUS(st) if os.WIFEXITED(st) else 128 + os.WTERMSIG(st)


def main():
    out, cmd = sys.argv[1], sys.argv[3:]
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        sys.exit("reaper: prctl: errno %d" % ctypes.get_errno())
    open(out, "w").close()
    top = os.fork()
    if top == 0:
        os.execvp(cmd[0], cmd)
    top_status, deadline = None, None
    while True:
        try:
            pid, st = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            if deadline and time.monotonic() > deadline:
                break
            time.sleep(0.01)
            continue
        with open(out, "a") as f:
            f.write("%d %d\n" % (pid, status_of(st)))
        if pid == top:
            top_status, deadline = status_of(st), time.monotonic() + 120
    sys.exit(top_status if top_status is not None else 1)


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    main()
