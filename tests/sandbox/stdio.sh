#!/bin/sh
# stdio.sh: the standard streams are streams the caller owns, at every level.
#
#   tests/sandbox/stdio.sh WRUN        WRUN is a built wrun
#
# LEVELS (default "none seccomp full plain"; plain is full with the broker
# on plain system calls, WRUN_SANDBOX_NO_URING=1) narrows a run by hand.
# At each level, as the invoking user and, when that is root, again as
# "wruntest" (setpriv, every capability cleared):
#   - a guest whose stdout is the caller's file (`>> log`, earlier lines in
#     it), a pipe, /dev/null, a socket or a terminal tries to truncate it,
#     grow it to 1 TiB, allocate, set its times to 1970, advise, sync, seek,
#     tell, pwrite, read it: each is refused with ENOTCAPABLE, and the file
#     keeps its content, size and times;
#   - the guest's libc sees a terminal only where there is one;
#   - clearing APPEND on that stdout is refused (ENOTSUP), a seek to 0 too,
#     and the write that follows lands at the end; the caller's description
#     still appends afterwards;
#   - `(sleep 1; echo x) | (wrun prog read; cat)`, prog setting NONBLOCK on
#     fd 0 (the writer waits for the guest's report rather than a fixed
#     second): the guest's read gets EAGAIN at once, and cat still prints x;
#   - NONBLOCK on a stdout pipe whose reader is slow: the guest's writes stop
#     with EAGAIN, and the caller's next writer to that pipe still blocks
#     (every byte arrives);
#   - a caller's pipe already non-blocking: the guest's plain read waits;
#   - --max-output=1MiB to a slow pipe passes exactly 1048576 bytes: exit
#     153 with the limit's message when the guest wanted more, 0 when it
#     wrote exactly the limit (levels seccomp, full, plain; none refuses
#     the option).
# Ends with "N passed, N failed, N skipped".
set -u

SRC=$(cd "$(dirname "$0")" && pwd)
BIN=${1:-build/wrun}
CLANG=${CLANG:-clang}
TESTUSER=wruntest
LEVELS=${LEVELS:-none seccomp full plain}
pass=0 fail=0 skip=0

case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
[ -x "$BIN" ] || { echo "stdio.sh: $BIN missing"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

WORK=$(mktemp -d /tmp/wrun-stdio.XXXXXX) || exit 1
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
chmod 755 "$WORK"
cp "$BIN" "$WORK/wrun"
W=$WORK/wrun

ok() { pass=$((pass + 1)); echo "ok   $*"; }
ko() { fail=$((fail + 1)); echo "FAIL $*"; }
sk() { skip=$((skip + 1)); echo "skip $*"; }

for g in stdio_guard stdio_nonblock stdio_spew; do
	"$CLANG" --target=wasm32-wasi --sysroot=/usr -O2 -o "$WORK/$g.wasm" "$SRC/guests/$g.c" \
		2>"$WORK/$g.log" || { echo "stdio.sh: cannot build $g:"; cat "$WORK/$g.log"; }
done
chmod 644 "$WORK"/*.wasm

# check NAME WANT GOT: one result, compared as text.
check() {
	if [ "$2" = "$3" ]; then ok "$TAG $1"
	else ko "$TAG $1: want '$(printf '%s' "$2" | tr '\n' '|')', got '$(printf '%s' "$3" | tr '\n' '|')'"; fi
}

# The guest as the test user, at the level under test (the caller's shell,
# which opens the redirections, stays the invoking user).  A wrun that
# blocks where it should not is ended after 20 s: a failure, not a hang.
# GUEST is that command line, set per level by run_as.
guest() {
	$GUEST "$@"
}

# Run "$@" with stdout on a fresh pseudo-terminal whose master end stays
# open (and drained) until "$@" ends: a terminal with no master is hung up.
on_tty() {
	python3 -c 'import os, sys
m, s = os.openpty()
pid = os.fork()
if pid == 0:
    os.dup2(s, 1)
    os.execvp(sys.argv[1], sys.argv[1:])
os.close(s)
try:
    while os.read(m, 4096):
        pass
except OSError:
    pass
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))' "$@"
}

# Run "$@" with stdout on one end of a socket pair.
on_socket() {
	python3 -c 'import os, socket, sys
a, b = socket.socketpair()
os.dup2(a.fileno(), 1)
os.execvp(sys.argv[1], sys.argv[1:])' "$@"
}

ATTACK_WANT="truncate: ENOTCAPABLE
grow 1TiB: ENOTCAPABLE
allocate: ENOTCAPABLE
set times 1970: ENOTCAPABLE
advise: ENOTCAPABLE
sync: ENOTCAPABLE
datasync: ENOTCAPABLE
seek: ENOTCAPABLE
tell: ENOTCAPABLE
pwrite: ENOTCAPABLE
read stdout: ENOTCAPABLE
regain seek: ENOTCAPABLE"

# The attack on a `>> log` holding earlier lines, with known old times.
suite_file() {
	scratch
	printf 'line1\nline2\n' >"$SCR/log"
	touch -d '2020-01-02 03:04:05.123456789' "$SCR/log"
	before=$(stat -c '%s %y %x' "$SCR/log")
	guest "$WORK/stdio_guard.wasm" attack >>"$SCR/log" 2>"$SCR/err"
	check "stdout >> file: every change refused" "0 $ATTACK_WANT" "$? $(cat "$SCR/err")"
	check "stdout >> file: size and times kept" "$before" "$(stat -c '%s %y %x' "$SCR/log")"
	check "stdout >> file: content kept" "line1 line2 " "$(head -c 200 "$SCR/log" | tr '\n' ' ')"
	scratch
	printf 'old\n' >"$SCR/log"
	guest "$WORK/stdio_guard.wasm" attack >"$SCR/log" 2>"$SCR/err"
	check "stdout > file: every change refused" "$ATTACK_WANT" "$(cat "$SCR/err")"
	check "stdout > file: still empty" "0" "$(stat -c %s "$SCR/log")"
}

# The same attack on every other kind of stdout.
suite_kinds() {
	scratch
	guest "$WORK/stdio_guard.wasm" attack 2>"$SCR/err" | cat >/dev/null
	check "stdout a pipe: every change refused" "$ATTACK_WANT" "$(cat "$SCR/err")"
	guest "$WORK/stdio_guard.wasm" attack >/dev/null 2>"$SCR/err"
	check "stdout /dev/null: every change refused" "$ATTACK_WANT" "$(cat "$SCR/err")"
	on_socket $GUEST "$WORK/stdio_guard.wasm" attack 2>"$SCR/err"
	check "stdout a socket: every change refused" "$ATTACK_WANT" "$(cat "$SCR/err")"
	on_tty $GUEST "$WORK/stdio_guard.wasm" attack 2>"$SCR/err"
	check "stdout a terminal: every change refused" "$ATTACK_WANT" "$(cat "$SCR/err")"
}

# What the guest's libc makes of each kind (isatty: a character device
# without seek or tell) and the filetype reported for fd 1.
suite_tty() {
	scratch
	on_tty $GUEST "$WORK/stdio_guard.wasm" isatty 2>"$SCR/err" </dev/null
	check "isatty: terminal" "isatty 0 1 0, fd 1 type 2" "$(cat "$SCR/err")"
	guest "$WORK/stdio_guard.wasm" isatty </dev/null >/dev/null 2>"$SCR/err"
	check "isatty: /dev/null" "isatty 0 0 0, fd 1 type 0" "$(cat "$SCR/err")"
	guest "$WORK/stdio_guard.wasm" isatty </dev/null >"$SCR/f" 2>"$SCR/err"
	check "isatty: file" "isatty 0 0 0, fd 1 type 4" "$(cat "$SCR/err")"
	guest "$WORK/stdio_guard.wasm" isatty </dev/null 2>"$SCR/err" | cat >/dev/null
	check "isatty: pipe" "isatty 0 0 0, fd 1 type 0" "$(cat "$SCR/err")"
}

# Clearing APPEND, seeking back and writing: the write lands at the end,
# and the caller's own description still appends after the run.
suite_append() {
	scratch
	printf 'line1\nline2\n' >"$SCR/log"
	{ guest "$WORK/stdio_guard.wasm" append 2>"$SCR/err"; echo tail; } >>"$SCR/log"
	check "clear APPEND, seek, write: refused, refused, appended" "append before: 1
clear append: ENOTSUP
append after: 1
seek 0: ENOTCAPABLE
write: ok 4" "$(cat "$SCR/err")"
	check "clear APPEND: earlier lines kept, later ones appended" \
		"line1 line2 NEW tail " "$(head -c 200 "$SCR/log" | tr '\n' ' ')"
}

# wait_for FILE PATTERN: until a line of FILE matches, for at most 10 s
# (the other end of a pipe waits for the guest to have acted, however slow
# the machine is; a guest that waits instead is then fed and fails).
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
}

# NONBLOCK on stdin: EAGAIN at once for the guest, nothing left behind on
# the caller's pipe (cat reads x after the run, blocking).
suite_nonblock() {
	scratch
	(wait_for "$SCR/err" '^read:'; sleep 0.2; echo x) |
		{ guest "$WORK/stdio_nonblock.wasm" read 2>"$SCR/err"; cat; } \
		>"$SCR/out" 2>"$SCR/cat.err"
	check "NONBLOCK on stdin: EAGAIN at once" "set nonblock: ok
nonblock now: 1
read: EAGAIN at once" "$(cat "$SCR/err")"
	check "NONBLOCK on stdin: the caller's pipe still blocks" "x" \
		"$(cat "$SCR/out")$(cat "$SCR/cat.err")"
	rm -f "$SCR/err"
	{ guest "$WORK/stdio_nonblock.wasm" write 2>"$SCR/err"; head -c 200000 /dev/zero; } |
		(wait_for "$SCR/err" '^write:'; sleep 0.2; wc -c) >"$SCR/out" 2>&1
	n=$(sed -n 's/^write: EAGAIN after \([0-9]*\)$/\1/p' "$SCR/err")
	if [ -n "$n" ] && [ "$n" -gt 0 ] && [ "$n" -lt 16777216 ]; then
		ok "$TAG NONBLOCK on stdout: EAGAIN after $n bytes"
	else
		ko "$TAG NONBLOCK on stdout: $(tr '\n' '|' <"$SCR/err")"
		n=0
	fi
	check "NONBLOCK on stdout: the caller's next writer still blocks" \
		"$((n + 200000))" "$(tr -d ' ' <"$SCR/out")"
	(sleep 0.5; echo late) | python3 -c 'import fcntl, os, sys
fcntl.fcntl(0, fcntl.F_SETFL, fcntl.fcntl(0, fcntl.F_GETFL) | os.O_NONBLOCK)
os.execvp(sys.argv[1], sys.argv[1:])' $GUEST "$WORK/stdio_nonblock.wasm" \
		blocking >"$SCR/out" 2>"$SCR/err"
	check "caller's pipe non-blocking: the guest's plain read waits" "got: late" \
		"$(cat "$SCR/out" "$SCR/err")"
}

# spew BYTES: the guest writes BYTES under --max-output=1MiB to a reader
# that starts late; sets code, bytes (what passed) and err.
spew() {
	{ guest --max-output=1MiB "$WORK/stdio_spew.wasm" "$1" 2>"$SCR/err"; echo $? >"$SCR/code"; } |
		(sleep 0.3; wc -c) >"$SCR/out"
	code=$(cat "$SCR/code") bytes=$(tr -d ' ' <"$SCR/out") err=$(cat "$SCR/err")
}

suite_output() {
	scratch
	limit="wrun: limit reached: more than 1048576 bytes of output (--max-output)"
	spew 2097152
	check "--max-output=1MiB, 2 MiB wanted, to a slow pipe" "153 1048576 $limit" \
		"$code $bytes $err"
	spew 1048577
	check "--max-output=1MiB, one byte too many, to a slow pipe" "153 1048576 $limit" \
		"$code $bytes $err"
	spew 1048576
	check "--max-output=1MiB, exactly 1 MiB, to a slow pipe" "0 1048576 " "$code $bytes $err"
	guest --max-output=1MiB "$WORK/stdio_spew.wasm" 2097152 >"$SCR/f" 2>"$SCR/err"
	check "--max-output=1MiB, 2 MiB wanted, to a file" "153 1048576" "$? $(stat -c %s "$SCR/f")"
}

run_as() {
	WHO=$1
	for level in $LEVELS; do
		ENVV=WRUN_STDIO_TEST=1
		case $level in
		plain) LV=--sandbox=full ENVV=WRUN_SANDBOX_NO_URING=1 ;;
		*) LV=--sandbox=$level ;;
		esac
		TAG="$WHO/$level"
		GUEST="timeout --foreground -k 5 20 $AS env $ENVV $W $LV"
		suite_file
		suite_kinds
		suite_tty
		suite_append
		suite_nonblock
		suite_output
	done
}

if ! command -v python3 >/dev/null; then
	echo "stdio.sh: python3 is needed (pty, socket pair, a non-blocking pipe)"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi
. "$SRC/users.sh"
each_user stdio.sh "" "unprivileged run: not root"

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
