#!/bin/sh
# broker.sh: the broker and the jailed child, end to end.
#
#   tests/sandbox/broker.sh [WRUN]     WRUN defaults to build/sandbox/tests/sbx_driver
#
# WRUN is the test driver (or, once src/main.c calls sbx_run, wrun itself;
# the hook tests need the driver and are skipped otherwise).  For each
# level (full, seccomp) and each broker backend (io_uring, plain calls via
# WRUN_SANDBOX_NO_URING=1), as root and as the unprivileged user
# "wruntest": the WASI guest suite (tests/wasi), escapes, limits, faults,
# a hostile child (test hooks), a broker making a call off its own filter
# (a test hook: it dies by SIGSYS, the child with it), the audit log, and
# after every run a check that no process is left behind.  Guests are C, built with clang for
# wasm32-wasi.  Ends with "N passed, N failed, N skipped".
set -u

SRC=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$SRC/../.." && pwd)
DRV=${1:-build/sandbox/tests/sbx_driver}
B=${B:-build}
CLANG=${CLANG:-clang}
TESTUSER=wruntest
pass=0 fail=0 skip=0

case $DRV in /*) ;; *) DRV=$(pwd)/$DRV ;; esac
[ -x "$DRV" ] || { echo "broker.sh: $DRV missing"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
HOOKS=no
case $(basename "$DRV") in sbx_driver) HOOKS=yes ;; esac

WORK=$(mktemp -d /tmp/wrun-broker-tests.XXXXXX) || exit 1
trap 'rm -rf "$WORK"' EXIT INT TERM
chmod 755 "$WORK"
cp "$DRV" "$WORK/wrun"
W=$WORK/wrun

ok() { pass=$((pass + 1)); echo "ok   $*"; }
ko() { fail=$((fail + 1)); echo "FAIL $*"; }
sk() { skip=$((skip + 1)); echo "skip $*"; }

# Build the guests once (readable by the test user).
for g in "$SRC"/guests/*.c; do
	n=$(basename "$g" .c)
	"$CLANG" --target=wasm32-wasi --sysroot=/usr -O2 -o "$WORK/$n.wasm" "$g" 2>"$WORK/$n.log" ||
		{ echo "broker.sh: cannot build $n:"; cat "$WORK/$n.log"; }
done
chmod 644 "$WORK"/*.wasm

# No process of this run may outlive it (the copied binary's path is unique).
leftovers() {
	sleep 0.1
	if pgrep -f "$W" >/dev/null; then
		ko "$1: processes left behind: $(pgrep -f "$W" | tr '\n' ' ')"
	fi
}

# expect NAME CODE ERRPATTERN CMD...: run with stdin from /dev/null in a
# fresh scratch directory; check the exit code and that stderr matches.
expect() {
	name=$1 code=$2 pat=$3
	shift 3
	( cd "$SCR" && $AS env $ENVS "$@" </dev/null >"$SCR/.out" 2>"$SCR/.err"; echo $? >"$SCR/.code" )
	got=$(cat "$SCR/.code")
	if [ "$got" != "$code" ]; then
		ko "$TAG $name: exit $got, want $code: $(head -c 300 "$SCR/.err")"
	elif [ -n "$pat" ] && ! grep -Eq "$pat" "$SCR/.err"; then
		ko "$TAG $name: stderr lacks /$pat/: $(head -c 300 "$SCR/.err")"
	else
		ok "$TAG $name"
	fi
	leftovers "$TAG $name"
}

# The escape tree of escape2.c.
escape_tree() {
	( cd "$SCR" && mkdir -p box/sub other outside && echo secret >outside/secret &&
	  echo in >box/sub/inside && echo in2 >box/sub/inside2 &&
	  ln -s /proc/self/root box/proc_root && ln -s loop_b box/loop_a &&
	  ln -s loop_a box/loop_b && ln -s "$SCR/outside/new1" box/dangle_abs &&
	  ln -s ../outside/new2 box/dangle_rel && ln -s ../outside box/rel_out )
	[ -n "$OWNER" ] && chown -R "$OWNER" "$SCR"
}

# Guests, limits and faults at one level.
suite_guests() {
	scratch; expect "hello args and exit code" 3 "" $W $LV "$WORK/hello.wasm" a b
	grep -q "hello 3 a" "$SCR/.out" || ko "$TAG hello output: $(cat "$SCR/.out")"
	scratch; escape_tree
	expect "escapes (proc root, loops, dangling creat, links, rename, bounds)" 0 "" \
		$W $LV --dir box::. --dir other::/other "$WORK/escape2.wasm"
	if diff "$SRC/guests/escape2.out" "$SCR/.out" >"$SCR/.diff"; then ok "$TAG escapes output"
	else ko "$TAG escapes output: $(head -5 "$SCR/.diff")"; fi
	[ -e "$SCR/outside/new1" ] || [ -e "$SCR/outside/new2" ] || [ -e "$SCR/x" ] &&
		ko "$TAG escapes: a file appeared outside the preopen"
	scratch; expect "--timeout stops a loop" 124 "timeout" $W $LV --timeout=300ms "$WORK/loop.wasm"
	scratch; expect "--fuel stops a loop" 137 "fuel exhausted" $W $LV --fuel=5000000 "$WORK/loop.wasm"
	scratch; expect "memory.grow beyond --max-memory is -1" 0 "" $W $LV --max-memory=2M "$WORK/grow.wasm"
	grep -q "grow 1000: -1" "$SCR/.out" && grep -q "last byte: 42" "$SCR/.out" ||
		ko "$TAG grow output: $(cat "$SCR/.out")"
	scratch; expect "initial memory over --max-memory" 151 "initial memory" \
		$W $LV --max-memory=64K "$WORK/grow.wasm"
	scratch; expect "deep recursion traps" 134 "call stack exhausted" $W $LV "$WORK/recurse.wasm"
	scratch; touch "$SCR/f"
	expect "--max-open" 152 "open handles" $W $LV --dir .::. --max-open=5 "$WORK/opens.wasm"
	scratch; expect "--max-output" 153 "bytes of output" $W $LV --max-output=1000 "$WORK/spew.wasm"
	[ "$(wc -c <"$SCR/.out")" = 1000 ] || ko "$TAG --max-output wrote $(wc -c <"$SCR/.out") bytes"
	scratch; expect "timeout while blocked in a read" 124 "timeout" \
		sh -c "sleep 3 | $W $LV --timeout=300ms $WORK/blockread.wasm"
}

# The child killed by a signal while the broker serves its read.
suite_kill() {
	scratch
	( cd "$SCR" && sleep 5 | $AS env $ENVS $W $LV "$WORK/blockread.wasm" >"$SCR/.out" 2>"$SCR/.err"
	  echo $? >"$SCR/.code" ) &
	i=0
	while ! grep -q ready "$SCR/.out" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	bp=$(pgrep -f "$W $LV $WORK/blockread.wasm" | head -n 1)
	cp=$(pgrep -P "$bp" 2>/dev/null | head -n 1)
	if [ -z "$cp" ]; then
		ko "$TAG kill mid-call: child not found"
	else
		kill -9 "$cp"
	fi
	wait
	got=$(cat "$SCR/.code" 2>/dev/null)
	if [ "$got" = 158 ] && grep -q "signal" "$SCR/.err"; then ok "$TAG child killed mid-call"
	else ko "$TAG child killed mid-call: exit $got $(cat "$SCR/.err")"; fi
	leftovers "$TAG kill"
}

# A hostile child, through the test hooks (driver only).
suite_hooks() {
	if [ "$HOOKS" != yes ]; then sk "$TAG hooks: need the test driver"; return; fi
	for h in garbage badseq; do
		scratch; expect "hook $h" 159 "protocol" $W $LV --test-hook $h "$WORK/hello.wasm"
	done
	for h in replay badfn badargs badfd badmem wrapmem shrink; do
		scratch; expect "hook $h answered" 3 "" $W $LV --test-hook $h "$WORK/hello.wasm"
	done
	scratch; expect "forbidden syscall is a violation" 159 "SIGSYS" \
		$W $LV --test-hook syscall "$WORK/hello.wasm"
	scratch; expect "broker's own forbidden call kills it (SIGSYS)" 159 "" \
		$W $LV --test-hook broker-syscall "$WORK/hello.wasm"
	[ -s "$SCR/.out" ] && ko "$TAG broker-syscall: the guest ran on: $(head -c 100 "$SCR/.out")"
	scratch; expect "child crash" 158 "signal 11" $W $LV --test-hook segv "$WORK/hello.wasm"
	scratch; expect "child exits without result" 158 "without a result" \
		$W $LV --test-hook quit "$WORK/hello.wasm"
	scratch; expect "results nobody asked for" 159 "unknown outcome" \
		$W $LV --test-hook results "$WORK/hello.wasm"
	grep -q owned "$SCR/.out" "$SCR/.err" && ko "$TAG results hook: its text was printed"
	scratch; expect "replay not re-executed" 3 "" \
		$W $LV --audit "$SCR/audit" --test-hook replay "$WORK/hello.wasm"
	[ "$(grep -c '"fn":"sched_yield"' "$SCR/audit")" = 2 ] ||
		ko "$TAG replay: $(grep -c sched_yield "$SCR/audit") sched_yield lines, want 2"
}

# The audit log: valid JSON lines, denials marked, paths recorded.
suite_audit() {
	scratch; escape_tree
	expect "audit run" 0 "" $W $LV --audit "$SCR/audit.json" --dir box::. \
		--dir other::/other "$WORK/escape2.wasm"
	if python3 - "$SCR/audit.json" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert recs[0]["event"] == "start" and recs[-1]["event"] == "end"
recs = [r for r in recs if r["event"] == "call"]
assert all({"time", "fn", "bytes", "denied"} <= r.keys() for r in recs)
assert any(r["fn"] == "path_open" and r.get("path") == "proc_root/etc/passwd"
           and r["denied"] and r["errno"] == "ENOTCAPABLE" for r in recs)
assert any(r["fn"] == "path_rename" and r.get("path2") == "../x" and r["denied"] for r in recs)
assert any(r["fn"] == "fd_write" and r["bytes"] > 0 and not r["denied"] for r in recs)
EOF
	then ok "$TAG audit log content"; else ko "$TAG audit log content"; fi
}

# The WASI guest suite through the sandbox.
suite_wasi() {
	mkdir -p "$WORK/wasi.$1"
	[ -n "$OWNER" ] && chown "$OWNER" "$WORK/wasi.$1"
	out=$($AS env $ENVS WRUN="$W" WRUN_FLAGS="$LV" B="$WORK/wasi.$1" sh "$ROOT/tests/wasi/run.sh" 2>&1)
	line=$(printf '%s\n' "$out" | tail -n 1)
	case $line in
	*" passed, 0 failed, "*) ok "$TAG WASI suite: $line" ;;
	*) ko "$TAG WASI suite: $line"; printf '%s\n' "$out" | grep FAIL | head -5 ;;
	esac
}

# Everything at one level, one backend.
suite() {
	suite_guests
	suite_kill
	suite_hooks
	suite_audit
	suite_wasi "$1"
}

# A host that refuses user namespaces (a nested namespace whose limit is 0).
suite_fallback() {
	TAG="root/userns refused"
	scratch
	if ! unshare --user --map-root-user true 2>/dev/null; then
		sk "$TAG: cannot create a namespace to test in"; return
	fi
	( cd "$SCR" && unshare --user --map-root-user sh -c \
		"echo 0 >/proc/sys/user/max_user_namespaces && $W $WORK/hello.wasm" \
		>"$SCR/.out" 2>"$SCR/.err"; echo $? >"$SCR/.code" )
	if [ "$(cat "$SCR/.code")" = 1 ] && grep -q "not available on this host" "$SCR/.err"
	then ok "$TAG: --sandbox=full fails with a message"
	else ko "$TAG: $(cat "$SCR/.code") $(cat "$SCR/.err")"; fi
	( cd "$SCR" && unshare --user --map-root-user sh -c \
		"echo 0 >/proc/sys/user/max_user_namespaces && $W --sandbox-fallback $WORK/hello.wasm" \
		>"$SCR/.out" 2>"$SCR/.err"; echo $? >"$SCR/.code" )
	if grep -q "falling back to --sandbox=seccomp" "$SCR/.err"
	then ok "$TAG: --sandbox-fallback says so"
	else ko "$TAG: no fallback notice: $(cat "$SCR/.err")"; fi
	leftovers "$TAG"
}

# All levels and backends, as whoever $AS makes us.
run_as() {
	who=$1
	for level in full seccomp; do
		for be in uring plain; do
			TAG="$who/$level/$be"
			LV="--sandbox=$level"
			ENVS=""
			[ $be = plain ] && ENVS="WRUN_SANDBOX_NO_URING=1"
			suite "$who-$level-$be"
		done
	done
}

cp "$SRC/guests/escape2.out" "$WORK/" 2>/dev/null
ENVS=""
. "$SRC/users.sh"
each_user broker.sh suite_fallback "root run: not root"

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
