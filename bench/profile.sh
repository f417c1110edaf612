#!/bin/bash
# profile.sh: a callgrind profile of wrun running one benchmark kernel.
#
#   bench/profile.sh NAME SIZE REPS [TOP]
#
# Builds the kernels if needed, runs `valgrind --tool=callgrind` on
# `wrun --invoke NAME`, and prints the TOP (default 25) functions by
# instructions executed, inclusive and exclusive. Choose SIZE and REPS well
# below the benchmark's: callgrind runs some 50 times slower. The raw profile
# stays in $B/bench/callgrind.out.NAME for callgrind_annotate or kcachegrind.
#
# WRUN and WRUN_FLAGS as for run.sh; a sandboxed run re-executes wrun in a
# jailed child, which valgrind follows only with --trace-children=yes (set
# CALLGRIND_FLAGS), so --sandbox=none is usually what you want here.
set -euo pipefail
export LC_ALL=C

cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { echo "usage: $0 NAME SIZE REPS [TOP]" >&2; exit 2; }
name=$1 size=$2 reps=$3 top=${4:-25}
B=${B:-build}
WRUN=${WRUN:-$B/wrun}
OUT=$B/bench
prof=$OUT/callgrind.out.$name

[ -f "$OUT/$name.wasm" ] || B=$B BENCH_ONLY=$name bench/run.sh --build-only
# shellcheck disable=SC2086
valgrind --tool=callgrind --callgrind-out-file="$prof" ${CALLGRIND_FLAGS:-} \
	"$WRUN" ${WRUN_FLAGS:-} --invoke "$name" "$OUT/$name.wasm" "$size" "$reps"
echo "== exclusive (self) cost"
callgrind_annotate --auto=no --threshold=100 "$prof" |
	sed -n '/PROGRAM TOTALS/p; /file:function/,$p' | head -n $((top + 3))
echo "== inclusive cost"
callgrind_annotate --auto=no --inclusive=yes --threshold=100 "$prof" |
	sed -n '/file:function/,$p' | head -n $((top + 2))
echo "== hottest source lines (needs wrun built with -g)"
callgrind_annotate --auto=yes --context=0 "$prof" 2>/dev/null | awk '
	/^-- Auto-annotated source: / { n = split($4, p, "/"); f = p[n]; next }
	/^-- line [0-9]+ -/ { ln = $3; next }
	/^-- / { f = ""; next }
	f != "" && match($0, /^ *([0-9][0-9,]*|\.) /) {
		if (match($0, /^ *[0-9][0-9,]* \( *[0-9.]+%\)  /)) {
			h = substr($0, 1, RLENGTH); t = substr($0, RLENGTH + 1)
			gsub(/\t/, " ", t); gsub(/^ +| +$/, "", t)
			pc = h; sub(/^[^(]*\( */, "", pc); sub(/%.*/, "", pc)
			if (t !~ /^=>/ && t !~ /events annotated/)
				printf "%s\t%6s%%  %s:%d  %s\n", pc, pc, f, ln, substr(t, 1, 80)
		}
		if ($0 !~ /=>/) ln++
	}' | sort -g -r | cut -f2- | head -n "$top"
