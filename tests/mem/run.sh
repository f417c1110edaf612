#!/bin/sh
# run.sh: several memories, one of them 64-bit, at every isolation level.
#
#   tests/mem/run.sh WRUN
#
# Builds mem.wat, first64.wat and nine.wat and runs them through wrun at
# --sandbox=none, seccomp and full, each run's output and exit status
# compared with what it must be: text copied between memories 0, 1 and 2
# (memory.copy of mixed address widths), memory 2 grown past 4 GiB and used
# there, or the growth refused under --max-memory; accesses out of bounds of
# each memory and kind trap (a 64-bit address plus offset that wraps
# included), those just inside do not. Under the sandbox every memory is a
# memfd the broker grows (the audit log shows a memory.resize of each); WASI
# sees memory 0 only, and only when it is a 32-bit memory (first64.wat: its
# fd_write gets EFAULT at every level); a module with more memories than the
# sandbox has memfds is refused there (nine.wat). Ends with "N passed, N
# failed, N skipped".
set -u
BIN=${1:-build/wrun}
SRC=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0 skip=0
WORK=$(mktemp -d /tmp/wrun-mem.XXXXXX) || exit 1
trap 'rm -rf "$WORK"' EXIT INT TERM
for m in mem first64 nine; do
	wat2wasm --enable-all -o "$WORK/$m.wasm" "$SRC/$m.wat" || {
		echo "run.sh: cannot build $m.wat"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
done
M=$WORK/mem.wasm
nl='
'
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }

# check LEVEL NAME STATUS EXPECTED-STDOUT STDERR-PATTERN ARGS...
check() {
	level=$1 name=$2 want=$3 out=$4 pat=$5
	shift 5
	"$BIN" --sandbox="$level" "$@" >"$WORK/out" 2>"$WORK/err"
	code=$?
	printf '%s' "$out" >"$WORK/want"
	if [ "$code" = "$want" ] && cmp -s "$WORK/want" "$WORK/out" &&
	   { [ -z "$pat" ] || grep -q -- "$pat" "$WORK/err"; }; then
		ok "$level: $name"
	else
		bad "$level: $name" "exit $code (want $want), stdout '$(head -c 300 "$WORK/out")', stderr '$(head -c 300 "$WORK/err")'"
	fi
}

# trap LEVEL NAME ARGS...: an out-of-bounds trap
oob() {
	level=$1 name=$2
	shift 2
	check "$level" "$name" 134 "" "out of bounds memory access" "$@"
}

head3="from memory 1${nl}from memory 2 (64-bit)${nl}loads, stores, fill, init and sizes: ok$nl"
for level in none seccomp full; do
	check $level copy-grow-above-4GiB 0 "${head3}above 4 GiB$nl" "" "$M"
	check $level grow-refused-by-limit 0 \
		"${head3}memory 2 stays below 4 GiB: the limit refused the growth$nl" "" \
		--max-memory=64M "$M"
	check $level m1-last-word 0 "0$nl" "" --invoke load1 "$M" 65532
	oob $level m1-word-across-end --invoke load1 "$M" 65533
	oob $level m1-store-across-end --invoke store1 "$M" 65535
	check $level m2-last-word 0 "0$nl" "" --invoke load2 "$M" 65528
	oob $level m2-word-across-end --invoke load2 "$M" 65529
	oob $level m2-above-4GiB-ungrown --invoke load2 "$M" 4294967296
	oob $level m2-address-negative --invoke load2 "$M" -1
	oob $level m2-offset-wraps --invoke wrap2 "$M"
	check $level m2-v128-last 0 "0$nl" "" --invoke v128_2 "$M" 65520
	oob $level m2-v128-across-end --invoke v128_2 "$M" 65521
	oob $level m0-guard-page --invoke load0 "$M" 65536
	check $level copy-1-to-2-whole 0 "" "" --invoke copy12 "$M" 65536
	oob $level copy-1-to-2-past --invoke copy12 "$M" 65537
	check $level fill-2-whole 0 "" "" --invoke fill2 "$M" 0 65536
	oob $level fill-2-past --invoke fill2 "$M" 1 65536
	oob $level fill-2-wraps --invoke fill2 "$M" -1 2
	check $level size-2-is-i64 0 "1$nl" "" --invoke size2 "$M"
	check $level wasi-needs-32-bit-memory-0 21 "" "" "$WORK/first64.wasm"
	if [ $level = none ]; then
		check $level nine-memories 0 "" "" "$WORK/nine.wasm"
	else
		check $level nine-memories-refused 1 "" "cannot create memory 8" "$WORK/nine.wasm"
	fi
done

# Under the sandbox each memory is a memfd the broker grows: its audit log
# has a memory.resize of each (initial sizes, then memory 1 to 2 pages and
# memory 2 past 4 GiB), and with memory 0 64-bit, memfd 0 (WASI's) unused.
resizes() {
	grep '"fn":"memory.resize"' "$WORK/audit" |
		sed 's/.*"bytes":\([0-9]*\),"memory":\([0-9]*\),.*"denied":\([a-z]*\).*/\2:\1:\3/' |
		tr '\n' ' '
}
for level in seccomp full; do
	rm -f "$WORK/audit"
	"$BIN" --sandbox=$level --audit "$WORK/audit" "$M" >/dev/null 2>&1
	got=$(resizes)
	want="0:65536:false 1:65536:false 2:65536:false 1:131072:false 2:4295032832:false "
	if [ "$got" = "$want" ]; then ok "$level: every memory a broker memfd"
	else bad "$level: every memory a broker memfd" "resizes '$got', want '$want'"; fi
	rm -f "$WORK/audit"
	"$BIN" --sandbox=$level --audit "$WORK/audit" "$WORK/first64.wasm" >/dev/null 2>&1
	got=$(resizes)
	want="1:65536:false 2:65536:false "
	if [ "$got" = "$want" ]; then ok "$level: memfd 0 only for a 32-bit memory 0"
	else bad "$level: memfd 0 only for a 32-bit memory 0" "resizes '$got', want '$want'"; fi
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
