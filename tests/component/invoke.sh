#!/bin/sh
# invoke.sh: `wrun --invoke 'f(ARGS)'` on a component at every isolation
# level.
#
#   tests/component/invoke.sh WRUN
#
# Calls the exports of data/calc.wasm (data/calc.wat, encoded by
# data/regen.sh) with arguments in WAVE and checks the results printed in
# WAVE, the exit status and the message of each failure: a trap, an import
# wrun does not serve yet (it traps when called, naming itself), a missing
# function, WAVE that does not parse or does not fit the parameters,
# arguments after the component, no --invoke. Every level must print the
# same. Ends with "N passed, N failed, N skipped".
set -u
BIN=${1:-build/wrun}
SRC=$(cd "$(dirname "$0")" && pwd)
C=$SRC/data/calc.wasm
pass=0 fail=0 skip=0
WORK=$(mktemp -d /tmp/wrun-cinvoke.XXXXXX) || exit 1
trap 'rm -rf "$WORK"' EXIT INT TERM

# check LEVEL NAME STATUS EXPECTED-STDOUT STDERR-PATTERN ARGS...
check() {
	lv=$1 name=$2 want=$3 out=$4 pat=$5
	shift 5
	"$BIN" --sandbox="$lv" "$@" >"$WORK/out" 2>"$WORK/err"
	code=$?
	printf '%s' "$out" >"$WORK/want"
	if [ "$code" = "$want" ] && cmp -s "$WORK/want" "$WORK/out" &&
	   { [ -z "$pat" ] || grep -q -- "$pat" "$WORK/err"; }; then
		pass=$((pass + 1)); echo "ok   $lv $name"
	else
		fail=$((fail + 1))
		echo "FAIL $lv $name: exit $code (want $want), stdout '$(cat "$WORK/out")', stderr '$(head -c 300 "$WORK/err")'"
	fi
}

nl='
'
for lv in none seccomp full; do
	check $lv add 0 "3$nl" "" --invoke 'add(1, 2)' "$C"
	check $lv string 0 "6$nl" "" --invoke 'len("héllo")' "$C"
	check $lv string-result 0 "\"a\\\"b\"$nl" "" --invoke 'echo("a\"b")' "$C"
	check $lv tuple-list 0 "(-5, [])$nl" "" --invoke 'pair(-5)' "$C"
	check $lv result-ok 0 "ok(5)$nl" "" --invoke 'half(10)' "$C"
	check $lv result-err 0 "err(odd)$nl" "" --invoke 'half(7)' "$C"
	check $lv option 0 "5$nl" "" --invoke 'maybe(some(4))' "$C"
	check $lv option-none 0 "0$nl" "" --invoke 'maybe(none)' "$C"
	check $lv enum 0 "green$nl" "" --invoke 'next-color(green)' "$C"
	check $lv flags 0 "{read, exec}$nl" "" --invoke 'set-perms({read, exec})' "$C"
	check $lv record 0 "12$nl" "" --invoke 'area({w: 3, h: 4})' "$C"
	check $lv trap 134 "" "trap: integer divide by zero" --invoke 'div(1, 0)' "$C"
	check $lv unserved-import 134 "" "unknown import \`test:demo/log@0.1.0#log\` called" \
		--invoke 'shout(1)' "$C"
	check $lv no-function 1 "" "no exported function \`nope\`" --invoke 'nope()' "$C"
	check $lv bad-wave 2 "" "column 7: expected" --invoke 'half(7' "$C"
	check $lv out-of-range 2 "" "out of range for u32" --invoke 'add(1, -2)' "$C"
	check $lv arity 2 "" "missing argument" --invoke 'add(1)' "$C"
	check $lv args-after 2 "" "takes its arguments in the call" --invoke add "$C" 1 2
	check $lv no-invoke 1 "" 'import `test:demo/log@0.1.0` is not defined' "$C"
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
