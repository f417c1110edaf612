#!/bin/sh
# audit.sh: the --audit log, read back whole with a JSON parser.
#
#   tests/sandbox/audit.sh WRUN [DRIVER]
#
# WRUN is a built wrun; DRIVER, if given, the sandbox test driver (its
# hooks make the child commit a sandbox violation).  At each level of
# LEVELS (default "full seccomp"; the log is the broker's, and
# --sandbox=none refuses --audit) the guest tests/sandbox/guests/audit.c:
#   - passes path_open a 243-byte path of control characters leading out of
#     the grant (a line over 1 KiB, denied), invalid UTF-8 (recovered from
#     path_hex), quotes, NUL and separators, a path over WASI_PATH_MAX and
#     one outside memory; opens café through libc (kept as UTF-8); the
#     errno names are compared with what the guest saw and the definition;
#     the end-of-preopens EBADF is not a denial;
#   - checks the first record (module, sha256 as sha256sum computes it,
#     level, dirs, env names without values, listeners, limits) and the
#     last (exit with a code, trap, fuel, timeout in the ring broker and in
#     the plain broker's signal handler, a crash caught by its SIGCHLD
#     handler, violation by SIGSYS);
#   - appends run after run unless --audit-truncate.
# audit_check.py does the reading (every line must parse, whatever else).
# Ends with "N passed, N failed, N skipped".
set -u

SRC=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$SRC/../.." && pwd)
BIN=${1:-build/wrun}
DRV=${2:-}
CLANG=${CLANG:-clang}
LEVELS=${LEVELS:-full seccomp}
WITX=${WITX:-$ROOT/../shared/reference/wasi-preview1/typenames.witx}
CHECK="python3 $SRC/audit_check.py"
pass=0 fail=0 skip=0

case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
case $DRV in ""|/*) ;; *) DRV=$(pwd)/$DRV ;; esac
[ -x "$BIN" ] || { echo "audit.sh: $BIN missing"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

WORK=$(mktemp -d /tmp/wrun-audit.XXXXXX) || exit 1
trap 'rm -rf "$WORK"' EXIT INT TERM
cp "$BIN" "$WORK/wrun"		# a path of this run's own, to find its child by
BIN=$WORK/wrun

ok() { pass=$((pass + 1)); echo "ok   $*"; }
ko() { fail=$((fail + 1)); echo "FAIL $*"; }
sk() { skip=$((skip + 1)); echo "skip $*"; }

for g in audit blockread hello; do
	"$CLANG" --target=wasm32-wasi --sysroot=/usr -O2 -o "$WORK/$g.wasm" "$SRC/guests/$g.c" \
		2>"$WORK/$g.log" || { echo "audit.sh: cannot build $g:"; cat "$WORK/$g.log"; }
done
SHA=$(sha256sum "$WORK/audit.wasm" | cut -c1-64)
WITXARG=
if [ -f "$WITX" ]; then WITXARG="--witx $WITX"; else sk "errno names against the definition: $WITX missing"; fi

# expect NAME CODE CMD...: run CMD in $D, wrun's exit status must be CODE.
expect() {
	name=$1 want=$2
	shift 2
	( cd "$D" && "$@" </dev/null >"$D/.out" 2>"$D/.err"; echo $? >"$D/.code" )
	[ "$(cat "$D/.code")" = "$want" ] && return 0
	ko "$TAG $name: exit $(cat "$D/.code"), want $want: $(head -c 300 "$D/.err")"
	return 1
}

# verdict NAME CHECK-ARGS...: audit_check.py on $D/log.
verdict() {
	name=$1
	shift
	if out=$($CHECK "$D/log" "$@" 2>&1); then ok "$TAG $name"
	else ko "$TAG $name"; printf '%s\n' "$out" | head -8; fi
}

# Paths, errno names, the preopen walk, the first record's grants.
suite_paths() {
	mkdir -p "$D/box" "$D/café-dir"
	echo hi >"$D/box/café"
	expect paths 0 env FOO=host-value "$BIN" $LV --audit-truncate --audit "$D/log" \
		--dir box::. --dir café-dir::/data --env FOO=secret-value --env FOO \
		--tcplisten 127.0.0.1:0 "$WORK/audit.wasm" paths || return
	cp "$D/.out" "$D/paths.out"
	verdict "paths, errno names, first record" --runs 1 --paths "$D/paths.out" \
		$WITXARG --prestat --module "$WORK/audit.wasm" --sha256 "$SHA" \
		--level "${LV#--sandbox=}" --dirs "box::.,café-dir::/data" --env FOO,FOO \
		--listen 127.0.0.1:0 --outcome exit --exit-code 0 \
		--absent secret-value --absent host-value
}

# The last record for each way a run ends, appended run after run.
suite_ends() {
	expect "exit 7" 7 "$BIN" $LV --audit-truncate --audit "$D/log" \
		"$WORK/audit.wasm" exit 7 &&
		verdict "exit code, no denial in a plain run" --runs 1 --outcome exit \
			--exit-code 7 --prestat --no-denials --fuel 0
	expect trap 134 "$BIN" $LV --audit "$D/log" "$WORK/audit.wasm" trap &&
		verdict "trap, appended" --runs 2 --outcome trap --exit-code 134 --message trap
	expect fuel 137 "$BIN" $LV --audit "$D/log" --fuel 1000000 "$WORK/audit.wasm" loop &&
		verdict "fuel limit, appended" --runs 3 --outcome limit --limit fuel \
			--exit-code 137 --fuel 1000000
	expect timeout 124 sh -c "sleep 2 | $BIN $LV --timeout=300ms --audit $D/log \
		$WORK/blockread.wasm" &&
		verdict "timeout (ring broker)" --runs 4 --outcome limit --limit timeout \
			--exit-code 124
	expect "timeout, plain broker" 124 sh -c "sleep 2 | WRUN_SANDBOX_NO_URING=1 $BIN $LV \
		--timeout=300ms --audit $D/log $WORK/blockread.wasm" &&
		verdict "timeout (plain broker's signal handler)" --runs 5 --outcome limit \
			--limit timeout --exit-code 124
	expect truncate 0 "$BIN" $LV --audit "$D/log" --audit-truncate \
		"$WORK/audit.wasm" exit 0 &&
		verdict "--audit-truncate starts afresh" --runs 1 --outcome exit --exit-code 0
}

# The jailed child of this run (its executable is $BIN, its argv[1] the flag).
child_pid() {
	for e in /proc/[0-9]*/exe; do
		p=${e%/exe}
		[ "$(readlink "$e" 2>/dev/null)" = "$BIN" ] &&
			tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -q -- --jail-child &&
			echo "${p#/proc/}" && return
	done
}

# The child killed while the plain broker blocks in a call: the SIGCHLD
# handler ends the run and writes the last record.
suite_crash() {
	( cd "$D" && sleep 3 | WRUN_SANDBOX_NO_URING=1 "$BIN" $LV --audit-truncate \
		--audit "$D/log" "$WORK/blockread.wasm" >"$D/.out" 2>"$D/.err"
	  echo $? >"$D/.code" ) &
	bg=$!
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		grep -q ready "$D/.out" 2>/dev/null && break
		sleep 0.1
	done
	pid=$(child_pid)
	if [ -z "$pid" ]; then ko "$TAG crash: no child found"; wait "$bg"; return; fi
	kill -9 "$pid"
	wait "$bg"
	if [ "$(cat "$D/.code")" = 158 ]; then
		verdict "crash (plain broker's SIGCHLD handler)" --runs 1 --outcome crash \
			--signal 9 --exit-code 158
	else ko "$TAG crash: exit $(cat "$D/.code"), want 158"; fi
}

# A forbidden system call in the child (the driver's test hook).
suite_violation() {
	if [ -z "$DRV" ]; then sk "$TAG violation: no test driver given"; return; fi
	expect violation 159 "$DRV" $LV --audit-truncate --audit "$D/log" --test-hook syscall \
		"$WORK/hello.wasm" &&
		verdict "violation (SIGSYS)" --runs 1 --outcome violation --signal 31 \
			--exit-code 159 --message SIGSYS
}

# What the command line refuses.
suite_usage() {
	expect "--sandbox=none refuses --audit" 2 "$BIN" --sandbox=none --audit "$D/none" \
		"$WORK/hello.wasm" && [ ! -e "$D/none" ] && ok "--sandbox=none refuses --audit"
	expect "--audit-truncate alone" 2 "$BIN" --audit-truncate "$WORK/hello.wasm" &&
		ok "--audit-truncate needs --audit"
	expect "--help" 0 "$BIN" --help &&
		grep -q -- "--audit-truncate" "$D/.out" && ok "--help names --audit-truncate"
}

for lvl in $LEVELS; do
	LV=--sandbox=$lvl
	TAG="[$lvl]"
	D=$WORK/$lvl
	mkdir -p "$D"
	suite_paths
	suite_ends
	suite_crash
	suite_violation
done
TAG="[cli]"
D=$WORK/cli
mkdir -p "$D"
suite_usage

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
