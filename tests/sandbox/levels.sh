#!/bin/sh
# levels.sh: the real wrun binary at every level, as root and unprivileged.
#
#   tests/sandbox/levels.sh WRUN       WRUN is a built wrun (not the test driver)
#
# LEVELS (default "full seccomp none") and RACE_ROUNDS narrow a run by hand.
# For each level (full, seccomp, none), as the invoking user and, when that
# is root, again as "wruntest" (created if missing; dropped to with setpriv,
# every capability cleared):
#   - the whole WASI guest suite (tests/wasi/run.sh);
#   - the escape guest (escape2.c: /proc/self/root, loops, dangling
#     symlinks with O_CREAT, hard links, renames out, bounds);
#   - the race: a host process swaps a directory for a symlink pointing out
#     of the preopen, atomically and as fast as it can, while the guest
#     opens, reads, creates and makes directories through it: nothing may
#     be read from or created outside, and both states must have been seen;
#   - --sandbox-fallback as root inside a nested user namespace that
#     refuses further namespaces (and maps no 65534): the run succeeds;
#   - the broker's descriptors after start-up (read from /proc/PID/fd while
#     the guest blocks): only stdio, the preopens, the two memfds, the ring
#     and the pidfd;
#   - the broker's confinement after start-up (read from /proc/PID/status
#     while the guest runs, with io_uring and with plain calls): no
#     capability in any set (as the unprivileged user, the bounding set it
#     cannot drop is not checked), no_new_privs, its own seccomp filter;
#     and it survives a stop and a continue (^Z, fg) in the middle of its
#     waits, and still ends the run at --timeout;
# and after every run: no process left, nothing created in TMPDIR or by the
# test user in the usual temporary directories.  Ends with "N passed, N failed, N
# skipped".
set -u

SRC=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$SRC/../.." && pwd)
BIN=${1:-build/wrun}
CLANG=${CLANG:-clang}
TESTUSER=wruntest
RACE_ROUNDS=${RACE_ROUNDS:-3000}
LEVELS=${LEVELS:-full seccomp none}
pass=0 fail=0 skip=0

case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
[ -x "$BIN" ] || { echo "levels.sh: $BIN missing"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

WORK=$(mktemp -d /tmp/wrun-levels.XXXXXX) || exit 1
SWAPPER=
trap '[ -n "$SWAPPER" ] && kill "$SWAPPER" 2>/dev/null; rm -rf "$WORK"' EXIT INT TERM
chmod 755 "$WORK"
cp "$BIN" "$WORK/wrun"
W=$WORK/wrun
mkdir "$WORK/tmpdir"
chmod 1777 "$WORK/tmpdir"

ok() { pass=$((pass + 1)); echo "ok   $*"; }
ko() { fail=$((fail + 1)); echo "FAIL $*"; }
sk() { skip=$((skip + 1)); echo "skip $*"; }

for g in escape2 race blockread hello clocks fifo loop; do
	"$CLANG" --target=wasm32-wasi --sysroot=/usr -O2 -o "$WORK/$g.wasm" "$SRC/guests/$g.c" \
		2>"$WORK/$g.log" || { echo "levels.sh: cannot build $g:"; cat "$WORK/$g.log"; }
done
chmod 644 "$WORK"/*.wasm

# After a run: no process of this binary (the broker and its re-executed
# child both run the copy whose path is unique to this run),
# nothing left in the run's TMPDIR, no file of the test user directly in
# /tmp, /var/tmp or /dev/shm (test trees live in WORK, owned by root).
procs_of_run() {
	for e in /proc/[0-9]*/exe; do
		[ "$(readlink "$e" 2>/dev/null)" = "$W" ] && printf '%s ' "${e%/exe}"
	done
}
leftovers() {
	sleep 0.1
	left=$(procs_of_run)
	[ -z "$left" ] || ko "$1: processes left behind: $left"
	if [ -n "$(ls -A "$WORK/tmpdir")" ]; then
		ko "$1: files left in TMPDIR: $(ls -A "$WORK/tmpdir")"
		rm -rf "$WORK/tmpdir"/* 2>/dev/null
	fi
	if [ -n "$OWNER" ]; then
		stray=$(find /tmp /var/tmp /dev/shm -maxdepth 1 -user "$OWNER" 2>/dev/null)
		[ -z "$stray" ] || ko "$1: files of $OWNER left: $stray"
	fi
}

# run NAME CMD...: run in $SCR as the test user, stdin from /dev/null.
run() {
	name=$1
	shift
	( cd "$SCR" && $AS env TMPDIR="$WORK/tmpdir" "$@" </dev/null >"$SCR/.out" 2>"$SCR/.err"
	  echo $? >"$SCR/.code" )
}

# The WASI suite; its build directory is per user, shared by the levels.
suite_wasi() {
	out=$($AS env TMPDIR="$WORK/tmpdir" WRUN="$W" WRUN_FLAGS="$LV" B="$WORK/wasi.$WHO" \
		sh "$ROOT/tests/wasi/run.sh" 2>&1)
	line=$(printf '%s\n' "$out" | tail -n 1)
	case $line in
	*" passed, 0 failed, 0 skipped") ok "$TAG WASI suite: $line" ;;
	*) ko "$TAG WASI suite: $line"; printf '%s\n' "$out" | grep -v '^PASS' | head -5 ;;
	esac
	leftovers "$TAG WASI suite"
}

# The escape guest and its tree (as broker.sh builds it).
suite_escapes() {
	scratch
	( cd "$SCR" && mkdir -p box/sub other outside && echo secret >outside/secret &&
	  echo in >box/sub/inside && echo in2 >box/sub/inside2 &&
	  ln -s /proc/self/root box/proc_root && ln -s loop_b box/loop_a &&
	  ln -s loop_a box/loop_b && ln -s "$SCR/outside/new1" box/dangle_abs &&
	  ln -s ../outside/new2 box/dangle_rel && ln -s ../outside box/rel_out )
	[ -n "$OWNER" ] && chown -R "$OWNER" "$SCR"
	run escapes $W $LV --dir box::. --dir other::/other "$WORK/escape2.wasm"
	if [ "$(cat "$SCR/.code")" = 0 ] && diff "$SRC/guests/escape2.out" "$SCR/.out" >/dev/null
	then ok "$TAG escapes"
	else ko "$TAG escapes: exit $(cat "$SCR/.code"): $(diff "$SRC/guests/escape2.out" \
		"$SCR/.out" | head -3) $(head -c 200 "$SCR/.err")"; fi
	if [ "$(ls "$SCR/outside")" != secret ] || [ -e "$SCR/x" ]; then
		ko "$TAG escapes: something appeared outside: $(ls "$SCR/outside")"
	fi
	leftovers "$TAG escapes"
}

# The race: swap box/d (a directory) with box/d.out (a symlink out),
# atomically (renameat2 RENAME_EXCHANGE), until killed; returns once the
# swapping has begun.
swapper() {
	rm -f "$SCR/.swapping"
	python3 - "$1" "$SCR/.swapping" <<'EOF' &
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
a, b = os.path.join(sys.argv[1], "d").encode(), os.path.join(sys.argv[1], "d.out").encode()
if libc.renameat2(-100, a, -100, b, 2) == 0:
    open(sys.argv[2], "w").close()
while True:
    libc.renameat2(-100, a, -100, b, 2)
EOF
	SWAPPER=$!
	i=0
	while [ ! -e "$SCR/.swapping" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
}

# One race run: the guest against the swapper; sets seen (its counts).
# Returns 1 if something leaked or changed outside (already reported).
race_once() {
	swapper "$SCR/box"
	run race $W $LV --dir box::. "$WORK/race.wasm" "$RACE_ROUNDS"
	kill "$SWAPPER"; wait "$SWAPPER" 2>/dev/null; SWAPPER=
	seen=$(cat "$SCR/.err")
	if [ "$(cat "$SCR/.code")" != 0 ] || [ "$(cat "$SCR/.out")" != "leaks: 0" ]; then
		ko "$TAG race ($1 symlink): exit $(cat "$SCR/.code"), $(cat "$SCR/.out") $seen"
		return 1
	elif [ "$(ls "$SCR/outside" | tr '\n' ' ')" != "secret sub " ] ||
	     [ -n "$(ls "$SCR/outside/sub")" ] || [ "$(cat "$SCR/outside/secret")" != OUTSIDE ]; then
		ko "$TAG race ($1 symlink): outside changed: $(ls -R "$SCR/outside")"
		return 1
	fi
	return 0
}

# The race must be seen from both sides to mean anything: a run in which
# the swapper never got the CPU (a loaded machine) saw one state only and
# is run again, up to three times; every run is checked for leaks.
suite_race() {
	for target in abs rel; do
		scratch
		( cd "$SCR" && mkdir -p box/d/sub outside/sub && echo OUTSIDE >outside/secret &&
		  echo inside >box/d/secret )
		if [ $target = abs ]; then ln -s "$SCR/outside" "$SCR/box/d.out"
		else ln -s ../outside "$SCR/box/d.out"; fi
		[ -n "$OWNER" ] && chown -R "$OWNER" "$SCR"
		for try in 1 2 3; do
			race_once $target || break
			case $seen in
			"inside 0 "*|*" refused 0")
				[ $try = 3 ] && ko "$TAG race ($target symlink): one state only: $seen" ;;
			*) ok "$TAG race ($target symlink), no leak ($seen)"; break ;;
			esac
		done
		leftovers "$TAG race"
	done
}

# The broker's descriptors once the guest runs (full and seccomp only).
suite_fds() {
	scratch
	mkdir "$SCR/pre"
	[ -n "$OWNER" ] && chown "$OWNER" "$SCR/pre"
	( cd "$SCR" && sleep 3 | $AS $W $LV --dir pre::. "$WORK/blockread.wasm" >"$SCR/.out" \
		2>"$SCR/.err" ) &
	i=0
	while ! grep -q ready "$SCR/.out" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	bp=$(pgrep -f "$W $LV --dir pre.*$WORK/blockread.wasm" | head -n 1)
	bad=
	n=0
	for l in /proc/"$bp"/fd/*; do
		t=$(readlink "$l") || continue
		n=$((n + 1))
		case $t in
		pipe:*|/dev/null|"$SCR/.out"|"$SCR/.err"|"$SCR/pre") ;;
		/memfd:wrun-channel|/memfd:wrun-memory) ;;
		"/memfd:wrun-channel (deleted)"|"/memfd:wrun-memory (deleted)") ;;
		"anon_inode:[io_uring]"|"anon_inode:[pidfd]") ;;
		*) bad="$bad ${l##*/}->$t" ;;
		esac
	done
	wait
	if [ -z "$bp" ] || [ $n = 0 ]; then ko "$TAG broker descriptors: broker not found"
	elif [ -n "$bad" ]; then ko "$TAG broker descriptors: unexpected:$bad"
	else ok "$TAG broker descriptors: $n, all expected"; fi
	leftovers "$TAG fds"
}

# The broker's /proc status fields that must read as confined ("" if gone).
confinement() {
	awk -v who="$1" '
		/^Cap(Inh|Prm|Eff|Amb):/ && $2 != "0000000000000000" { bad = bad " " $0 }
		/^CapBnd:/ && who == "root" && $2 != "0000000000000000" { bad = bad " " $0 }
		/^NoNewPrivs:/ && $2 != 1 { bad = bad " " $0 }
		/^Seccomp:/ { seen = 1; if ($2 != 2) bad = bad " " $0 }
		END { if (!seen) bad = "no status"; printf "%s", bad }' "/proc/$2/status" 2>/dev/null
}

# The broker's confinement while the guest loops (full and seccomp only).
suite_confined() {
	for be in uring plain; do
		scratch
		envs=
		[ $be = plain ] && envs=WRUN_SANDBOX_NO_URING=1
		( cd "$SCR" && $AS env $envs $W $LV --timeout=3s "$WORK/loop.wasm" >"$SCR/.out" \
			2>"$SCR/.err"; echo $? >"$SCR/.code" ) &
		i=0
		while ! grep -q looping "$SCR/.out" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1; i=$((i + 1)); done
		bp=$(pgrep -f "$W $LV --timeout=3s $WORK/loop.wasm" | head -n 1)
		bad=$( [ -n "$bp" ] && confinement "$WHO" "$bp")
		[ -n "$bp" ] && kill -STOP "$bp" && sleep 0.3 && kill -CONT "$bp"
		wait
		if [ -z "$bp" ]; then ko "$TAG/$be broker confinement: broker not found"
		elif [ -n "$bad" ]; then ko "$TAG/$be broker confinement:$bad"
		elif [ "$(cat "$SCR/.code")" != 124 ] || ! grep -q timeout "$SCR/.err"; then
			ko "$TAG/$be broker after a stop: exit $(cat "$SCR/.code"): $(head -c 200 "$SCR/.err")"
		else ok "$TAG/$be broker confined (no capabilities, seccomp filter), survives a stop"
		fi
		leftovers "$TAG/$be confinement"
	done
}

# --sandbox-fallback as root in a nested namespace that maps only root.
suite_fallback() {
	TAG="root/nested userns"
	if ! unshare --user --map-root-user true 2>/dev/null; then
		sk "$TAG: cannot create a namespace to test in"; return
	fi
	for lv in --sandbox-fallback --sandbox=seccomp; do
		scratch
		run fallback unshare --user --map-root-user sh -c \
			"echo 0 >/proc/sys/user/max_user_namespaces && $W $lv $WORK/hello.wasm x"
		if [ "$(cat "$SCR/.code")" = 3 ] && grep -q "hello 2 x" "$SCR/.out"
		then ok "$TAG: $lv runs the guest"
		else ko "$TAG: $lv: exit $(cat "$SCR/.code"): $(cat "$SCR/.err")"; fi
		leftovers "$TAG"
	done
	scratch
	run fallback unshare --user --map-root-user $W --sandbox=full "$WORK/hello.wasm" x
	if [ "$(cat "$SCR/.code")" = 3 ]; then ok "$TAG: --sandbox=full runs the guest"
	else ko "$TAG: --sandbox=full: exit $(cat "$SCR/.code"): $(cat "$SCR/.err")"; fi
	leftovers "$TAG"
}

# Everything at every level, as $AS.
run_as() {
	WHO=$1
	mkdir -p "$WORK/wasi.$WHO"
	[ -n "$OWNER" ] && chown "$OWNER" "$WORK/wasi.$WHO"
	for level in $LEVELS; do
		TAG="$WHO/$level"
		LV="--sandbox=$level"
		suite_wasi
		suite_escapes
		suite_race
		if [ $level != none ]; then
			suite_fds
			suite_confined
		fi
	done
}

if ! command -v python3 >/dev/null; then
	sk "race: no python3"
fi
# The nested-namespace fallback suite runs once, as root (NOFB=1 skips it).
root_extra() {
	[ -z "${NOFB:-}" ] && suite_fallback
}
. "$SRC/users.sh"
each_user levels.sh root_extra "root run and nested namespace: not root"

# clock_time_get is answered inside the jailed child: the guest's clocks
# work and not one of its 2000 reads reaches the broker's audit log.
for LV in --sandbox=full --sandbox=seccomp; do
	scratch
	run clocks "$W" "$LV" --audit="$SCR/audit" "$WORK/clocks.wasm"
	calls=$(grep -c '"fn":"clock_time_get"' "$SCR/audit" 2>/dev/null)
	if [ "$(cat "$SCR/.code")" = 0 ] && [ "$(cat "$SCR/.out")" = "backwards 0, cpu time positive" ] &&
	   [ "${calls:-x}" = 0 ] && grep -q '"fn":"fd_write"' "$SCR/audit"; then
		ok "$LV clocks answered in the child"
	else
		ko "$LV clocks: exit $(cat "$SCR/.code"), output '$(cat "$SCR/.out")', brokered clock calls ${calls:-none}"
	fi
	leftovers "$LV clocks"
done

# Opening a FIFO with no writer: the run must end within its --timeout and
# leave nothing behind.  In-process (none) the open waits for a writer as
# on Linux, and --timeout ends it; the broker opens through io_uring, whose
# first attempt is non-blocking, so there the open returns at once and the
# guest goes on (a difference the manual notes).  Either way the broker is
# never held by the open.
for LV in --sandbox=full --sandbox=seccomp --sandbox=none; do
	scratch
	mkfifo "$SCR/fifo"
	[ -n "$OWNER" ] && chown "$OWNER" "$SCR/fifo"
	t0=$(date +%s%N)
	run fifo "$W" "$LV" --timeout=500ms --dir .::. "$WORK/fifo.wasm" fifo
	ms=$((($(date +%s%N) - t0) / 1000000))
	code=$(cat "$SCR/.code")
	case $LV:$code in
	--sandbox=none:124) grep -q opened "$SCR/.out" && code=bad ;;
	*:0) grep -q "opened: [0-9]" "$SCR/.out" || code=bad ;;
	*) code=bad ;;
	esac
	if [ "$code" != bad ] && [ "$ms" -lt 5000 ]; then
		ok "$LV open of a FIFO with no writer ends in time (exit $code, $ms ms)"
	else
		ko "$LV FIFO open: exit $(cat "$SCR/.code") after $ms ms, output '$(cat "$SCR/.out")' $(head -c 200 "$SCR/.err")"
	fi
	leftovers "$LV FIFO open"
done

# --tcplisten takes an address, never a name to look up: localhost and
# numeric addresses bind, anything else is refused with the expected form.
scratch
run listen-local "$W" --sandbox=none --tcplisten localhost:0 "$WORK/hello.wasm"
if [ "$(cat "$SCR/.code")" = 3 ]; then ok "--tcplisten localhost:0 binds"
else ko "--tcplisten localhost:0: exit $(cat "$SCR/.code"): $(head -c 200 "$SCR/.err")"; fi
for spec in example.invalid:80 127.0.0.1:http 127.0.0.1:70000 '[::1:0' 300.1.1.1:80; do
	scratch
	run listen-bad "$W" --sandbox=none --tcplisten "$spec" "$WORK/hello.wasm"
	if [ "$(cat "$SCR/.code")" = 1 ] && grep -q "expected ADDRESS:PORT" "$SCR/.err"; then
		ok "--tcplisten $spec refused"
	else
		ko "--tcplisten $spec: exit $(cat "$SCR/.code"): $(head -c 200 "$SCR/.err")"
	fi
done

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
