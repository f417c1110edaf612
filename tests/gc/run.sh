#!/bin/sh
# run.sh: the garbage collector under stress (issue 15).
#
#   tests/gc/run.sh WRUN BUILD_DIR
#
# Converts the .wat programs here with jco (tests/spec3/jco.sh) and runs
# each through `wrun --sandbox=none --invoke run -W gc-stats` with a
# --max-memory small enough that the heap fills thousands of times:
#   lists.wat   live and dead cycles, long lists, refs in a local, a global
#               array, a table, an externref global and an exception's
#               payload that must survive every collection;
#   trees.wat   binary trees: references held only in the frames of a
#               deep recursion;
#   arrays.wat  arrays of references copied and overwritten, packed arrays,
#               i31s, extern.convert_any boxes, a v128 field;
#   exns.wat    an exception held only by a struct's exnref field, while
#               the exception collector runs, and a list held only by an
#               exception's payload, while the GC runs;
#   precise.wat a dead 200 KB array whose address stays in a frame slot
#               nothing overwrites: the heap fits --max-memory only if
#               the frame roots are precise (stack maps) and it is freed;
#   limit.wat   a live set that only grows: must end with exit status 151
#               and the limit message, at --sandbox=none and (unless
#               GC_SANDBOX=none) in the default sandbox.
# Each program returns a checksum of everything it read back; the expected
# value is computed here, with awk, from the same parameters. The
# collection count (-W gc-stats) must reach the minimum each case names,
# and no frame may have been scanned whole for want of a stack map
# (conservative_frames=0: every GC point of the compiler has one).
# Under ASan (BUILD_DIR built with it) any leak or use after free fails the
# run. Ends with "N passed, N failed, N skipped".
set -u
BIN=${1:-build/wrun}
B=${2:-build}
SRC=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0 skip=0
WORK=$(mktemp -d /tmp/wrun-gc.XXXXXX) || exit 1
trap 'rm -rf "$WORK"' EXIT INT TERM
jco=$(tests/spec3/jco.sh "$B") || { echo "run.sh: no jco"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
for m in lists trees arrays exns precise limit; do
	"$jco" parse "$SRC/$m.wat" -o "$WORK/$m.wasm" || {
		echo "run.sh: cannot build $m.wat"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
done
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }

# run NAME MAXMEM MIN-COLLECTIONS EXPECTED MODULE ARGS...
run() {
	name=$1 mem=$2 min=$3 want=$4 mod=$5
	shift 5
	"$BIN" --sandbox=none --max-memory="$mem" -W gc-stats --invoke run "$WORK/$mod.wasm" "$@" \
		>"$WORK/out" 2>"$WORK/err"
	code=$?
	got=$(cat "$WORK/out")
	n=$(sed -n 's/.*gc-stats: collections=\([0-9]*\).*/\1/p' "$WORK/err")
	loose=$(sed -n 's/.*gc-stats: .* conservative_frames=\([0-9]*\).*/\1/p' "$WORK/err")
	if [ $code -ne 0 ]; then
		bad "$name" "exit $code: $(head -c 2000 "$WORK/err")"
	elif [ "$got" != "$want" ]; then
		bad "$name" "checksum $got, expected $want"
	elif [ -z "$n" ] || [ "$n" -lt "$min" ]; then
		bad "$name" "${n:-no} collections, expected at least $min"
	elif [ "$loose" != 0 ]; then
		bad "$name" "${loose:-no count of} frames scanned whole (no stack map), expected 0"
	else
		ok "$name ($n collections: $(sed -n 's/.*gc-stats: //p' "$WORK/err"))"
	fi
}

lists() { awk -v I="$1" -v L="$2" -v E="$3" 'BEGIN { t = 0
	for (i = 0; i < I; i++) {
		t += 2 * (L * i + L * (L - 1) / 2)        # built and walked, then as a cycle
		if (i % E == 0) t += 21 * i + 3            # kept in the global array
		if (i >= I - 16) t += L * i + L * (L - 1) / 2 }  # the table
	t += -50 * 1000 + 1225 + 20 * 5000 + 190 + 30 * 777 + 435  # local, box, exception
	printf "%.0f\n", t }'; }
trees() { awk -v M="$1" 'BEGIN { t = 2 ^ (M + 2) - 1 + 2 ^ (M + 1) - 1
	for (d = 4; d <= M; d += 2) t += 2 ^ (M - d + 4) * (2 ^ (d + 1) - 1)
	printf "%.0f\n", t }'; }
arrays() { awk -v N="$1" -v R="$2" 'BEGIN { t = 0
	for (r = 0; r < R; r++) for (i = 0; i < N; i++)
		if (i % 2) t += i + r
		else { c = 5; for (j = 0; j < 40; j++) c += (i + r + j) % 256; t += 2 * c }
	printf "%.0f\n", t }'; }

run "lists: 40000 lists of 100, cycles" 196608 2000 "$(lists 40000 100 100)" lists 40000 100 100
run "lists: 300 long lists of 5000" 6291456 10 "$(lists 300 5000 7)" lists 300 5000 7
run "trees: depth 14" 3145728 50 "$(trees 14)" trees 14
run "arrays: 64 refs, 60 rounds" 131072 400 "$(arrays 64 60)" arrays 64 60
run "exns: 100000 exceptions kept" 131072 50 $((100000 + 12345 + 678 + 9)) exns 100000
# 10000 nodes take about 480 KB, the dead array 200 KB: 600 KB holds both
# only if the array goes
run "precise: a dead slot keeps nothing" 614400 1 $((10000 * 9999 / 2)) precise 10000

# limit LEVEL: the live set outgrows --max-memory
limit() {
	"$BIN" --sandbox="$1" --max-memory=1048576 --invoke run "$WORK/limit.wasm" 100000000 \
		>"$WORK/out" 2>"$WORK/err"
	code=$?
	if [ $code -ne 151 ]; then
		bad "limit ($1)" "exit $code, expected 151: $(head -c 2000 "$WORK/err")"
	elif ! grep -q 'limit reached: the GC heap is full: it and the linear memories exceed --max-memory (1048576 bytes)' "$WORK/err"; then
		bad "limit ($1)" "message: $(cat "$WORK/err")"
	else
		ok "limit ($1): $(cat "$WORK/err")"
	fi
}
limit none
if [ "${GC_SANDBOX:-full}" = none ]; then
	skip=$((skip + 1)); echo "skip limit (full): GC_SANDBOX=none"
else
	limit full
fi
# without --max-memory the heap's own cap holds
"$BIN" --sandbox=none --invoke run "$WORK/limit.wasm" 100000000 >"$WORK/out" 2>"$WORK/err"
code=$?
if [ $code -eq 151 ] && grep -q 'the GC heap is full (at most 256 MiB)' "$WORK/err"; then
	ok "limit (no --max-memory): $(cat "$WORK/err")"
else
	bad "limit (no --max-memory)" "exit $code: $(head -c 2000 "$WORK/err")"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
