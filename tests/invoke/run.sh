#!/bin/sh
# run.sh: --invoke at every isolation level.
#
#   tests/invoke/run.sh WRUN
#
# Builds invoke.wat and, at --sandbox=none, seccomp and full, calls its
# exports with arguments of every value type, checking the printed results,
# the exit status and the message of each failure (wrong arity, a bad
# argument, a missing export or one that is not a function, a trap, a name
# and arguments too long for the sandbox). Every level must print the same.
# Ends with "N passed, N failed, N skipped".
set -u
BIN=${1:-build/wrun}
SRC=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0 skip=0
WORK=$(mktemp -d /tmp/wrun-invoke.XXXXXX) || exit 1
trap 'rm -rf "$WORK"' EXIT INT TERM
wat2wasm --enable-all -o "$WORK/invoke.wasm" "$SRC/invoke.wat" || {
	echo "run.sh: cannot build invoke.wat"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
M=$WORK/invoke.wasm

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
long=$(head -c 1100 /dev/zero | tr '\0' 0)7	# 7, in 1101 digits
for lv in none seccomp full; do
	check $lv fib 0 "6765$nl" "" --invoke fib "$SRC/../../examples/fib.wasm" 20
	check $lv add-hex-negative 0 "15$nl" "" --invoke add "$M" 0x10 -1
	check $lv add-wraps 0 "-2147483648$nl" "" --invoke add "$M" 2147483647 1
	check $lv mix 0 "2.75${nl}-30${nl}-0.5$nl" "" --invoke mix "$M" 10 0.5 2.25
	check $lv mix-nan-inf 0 "nan${nl}0${nl}-inf$nl" "" --invoke mix "$M" 0 inf nan
	check $lv swizzle 0 "0x00000002 0x00000004 0x00000006 0x0000000b${nl}7$nl" "" \
		--invoke swizzle "$M" 0x00000007000000030000000200000001
	check $lv refs 0 "11${nl}null$nl" "" --invoke refs "$M" null null
	check $lv refs-extern 0 "10${nl}ref.extern$nl" "" --invoke refs "$M" 42 null
	check $lv no-results 0 "" "" --invoke nothing "$M"
	check $lv arity 2 "" "expected 2 argument(s), got 1" --invoke add "$M" 1
	check $lv bad-argument 2 "" "bad argument 2 'x'" --invoke add "$M" 1 x
	check $lv i32-too-big 2 "" "bad argument 1 '4294967296'" --invoke add "$M" 4294967296 0
	check $lv no-export 1 "" 'no exported function "nope"' --invoke nope "$M"
	check $lv global-not-function 1 "" 'no exported function "g"' --invoke g "$M"
	check $lv trap 134 "" "integer divide by zero" --invoke trap "$M" 0
	check $lv trap-oob 134 "" "out of bounds" --invoke oob "$M"
done
check none long-argument 0 "14$nl" "" --invoke add "$M" 7 "$long"
for lv in seccomp full; do
	check $lv too-long-for-the-sandbox 2 "" "take more than 1019 bytes" \
		--invoke add "$M" 1 "$long"
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
