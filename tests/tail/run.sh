#!/bin/sh
# run.sh: tail calls (return_call, return_call_indirect) run in constant stack.
#
#   tests/tail/run.sh WRUN
#
# Builds tail.wat and, at --sandbox=none, calls its exports: a million
# mutual tail calls, direct and through a table, complete (the same
# recursion with plain calls hits the depth limit); arguments that overlap
# the parameters they replace arrive intact; a host function reached by
# return_call returns its results as the caller's; traps name the function
# the tail call entered; tail calls are charged fuel as calls are.
# Ends with "N passed, N failed, N skipped".
set -u
BIN=${1:-build/wrun}
SRC=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0 skip=0
WORK=$(mktemp -d /tmp/wrun-tail.XXXXXX) || exit 1
trap 'rm -rf "$WORK"' EXIT INT TERM
wat2wasm --enable-tail-call --debug-names -o "$WORK/tail.wasm" "$SRC/tail.wat" || {
	echo "run.sh: cannot build tail.wat"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
M=$WORK/tail.wasm

# check NAME STATUS EXPECTED-STDOUT STDERR-PATTERN ARGS...
check() {
	name=$1 want=$2 out=$3 pat=$4
	shift 4
	"$BIN" --sandbox=none "$@" >"$WORK/out" 2>"$WORK/err"
	code=$?
	printf '%s' "$out" >"$WORK/want"
	if [ "$code" = "$want" ] && cmp -s "$WORK/want" "$WORK/out" &&
	   { [ -z "$pat" ] || grep -q -- "$pat" "$WORK/err"; }; then
		pass=$((pass + 1)); echo "ok   $name"
	else
		fail=$((fail + 1))
		echo "FAIL $name: exit $code (want $want), stdout '$(cat "$WORK/out")', stderr '$(head -c 300 "$WORK/err")'"
	fi
}

nl='
'
check even-million 0 "1$nl" "" --invoke even "$M" 1000000
check odd-million 0 "1$nl" "" --invoke odd "$M" 1000001
check even-odd-million 0 "0$nl" "" --invoke even "$M" 1000001
check indirect-million 0 "1$nl" "" --invoke even_indirect "$M" 1000000
check indirect-odd 0 "0$nl" "" --invoke even_indirect "$M" 999999
check plain-calls-exhaust 134 "" "call stack exhausted" --invoke even_call "$M" 1000000
check overlap-small 0 "10${nl}1${nl}2$nl" "" --invoke rot "$M" 4 1 2.5 3 0
check overlap-million 0 "2000002${nl}1${nl}2$nl" "" --invoke rot "$M" 1000000 1 2.5 3 0
check host-ok 0 "0$nl" "" --invoke host "$M" 16
check host-results 0 "21$nl" "" --invoke host "$M" 65535
check trap-names-callee 134 "" "unreachable (in function boom)" --invoke tail_trap "$M" 1
check indirect-type-mismatch 134 "" "indirect call type mismatch" --invoke tail_bad_type "$M"
# One unit of fuel for the call from the embedder, one for each tail call.
check fuel-charged 137 "" "fuel exhausted" --fuel=1000 --invoke even "$M" 1000000
check fuel-short-by-one 137 "" "fuel exhausted" --fuel=1000000 --invoke even "$M" 1000000
check fuel-exact 0 "1$nl" "" --fuel=1000001 --invoke even "$M" 1000000
check fuel-exact-indirect 0 "1$nl" "" --fuel=1000001 --invoke even_indirect "$M" 1000000
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
