#!/bin/bash
# ir.sh: instructions executed (callgrind's Ir, whole process) by each
# compute program under one or more wrun binaries, at sizes well below the
# benchmark's. Instruction counts repeat to the last digits whatever else
# the machine runs, so this is how interpreter changes are decided on a
# shared machine (bench/README.md, "Interpreter work").
#
#   bench/ir.sh NAME=WRUN [NAME=WRUN ...]
#
# Prints one row per program: its Ir under each binary, and each binary's
# ratio to the first. BENCH_ONLY limits the programs; B the build directory
# (the programs must be built: bench/run.sh --build-only).
set -euo pipefail
export LC_ALL=C

cd "$(dirname "$0")/.."
B=${B:-build}
case $B in /*) ;; *) B=$PWD/$B ;; esac
OUT=$B/bench
[ $# -ge 1 ] || { echo "usage: $0 NAME=WRUN [NAME=WRUN ...]" >&2; exit 2; }
[ -f "$OUT/wasm/sqlite.wasm" ] || { echo "ir.sh: build the programs first (bench/run.sh --build-only)" >&2; exit 2; }
W=$OUT/ir-work
rm -rf "$W"
mkdir -p "$W/data"
# The SQLite workload at a tenth of its rows, on standard input (valgrind
# knows no openat2, which wrun opens files with).
sed 's/x < 30000)/x < 3000)/; s/x < 100000)/x < 10000)/; s/% 30000, 1 + x/% 3000, 1 + x/' \
	bench/users/sqlite.sql >"$W/data/sqlite.sql"

SMALL="
matmul   60 5
sieve    400000 2
nbody    50000 1
hash     400000 2
sort     100000 1
fib      24 2
crc32    400000 1
lz77     100000 1
lexer    400000 1
chase    200000 1
unwind   20000 1
sha256   100000 4
floyd    150 1
jacobi2d 300 20
seidel2d 300 5
minivm   5000 1
zlib     400000 1
sqlite   :memory:
"

printf '| program |'
for nw in "$@"; do printf ' %s |' "${nw%%=*}"; done
for nw in "${@:2}"; do printf ' %s / %s |' "${nw%%=*}" "${1%%=*}"; done
echo
printf '|---|'
for _ in "$@" "${@:2}"; do printf -- '---:|'; done
echo
while read -r name args; do
	[ -n "$name" ] || continue
	[ -z "${BENCH_ONLY:-}" ] || case " $BENCH_ONLY " in *" $name "*) ;; *) continue ;; esac
	in=/dev/null
	[ "$name" = sqlite ] && in=$W/data/sqlite.sql
	ir=()
	for nw in "$@"; do
		w=${nw#*=}
		case $w in /*) ;; *) w=$PWD/$w ;; esac
		# shellcheck disable=SC2086
		n=$(cd "$W" && valgrind --tool=callgrind --callgrind-out-file=/dev/null \
			"$w" --sandbox=none --dir data "$OUT/wasm/$name.wasm" $args 2>&1 >"$W/out" <"$in" |
			sed -n 's/.*Collected : \([0-9]*\).*/\1/p') || true
		# shellcheck disable=SC2086
		if ! (cd "$W" && "$OUT/native/$name" $args 2>/dev/null <"$in" | cmp -s - "$W/out"); then
			n="$n (wrong output)"
		fi
		ir+=("$n")
	done
	printf '| %s |' "$name"
	for n in "${ir[@]}"; do printf ' %s |' "$n"; done
	for n in "${ir[@]:1}"; do awk -v a="${n%% *}" -v b="${ir[0]%% *}" 'BEGIN { printf " %.4f |", a / b }'; done
	echo
done <<<"$SMALL"
