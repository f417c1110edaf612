#!/bin/bash
# bench/gc/run.sh: the garbage collector's benchmark, binary trees.
#
#   bench/gc/run.sh            (bench/run.sh calls it after the rest)
#
# The program is tests/gc/trees.wat (the stress test's, converted with jco:
# tests/spec3/jco.sh): for each depth d from 4 to DEPTH step 2, 2^(DEPTH -
# d + 4) trees of depth d built and walked, one tree of depth DEPTH live
# throughout. Each of BENCH_GC_RUNS runs is `wrun --sandbox=none -W
# gc-stats --invoke run trees.wasm DEPTH`, timed, its checksum compared
# with the one computed here; the collector's count and pauses are from
# -W gc-stats. Writes the section between the "gc" markers of
# bench/report.md (appended the first time), so it can be refreshed alone.
#
# Environment: B (build directory), WRUN (default $B/wrun), BENCH_GC_RUNS
# (default 5), BENCH_GC_DEPTH (default 16), BENCH_REPORT (default
# bench/report.md).
set -uo pipefail
export LC_ALL=C
cd "$(dirname "$0")/../.."
ROOT=$PWD
B=${B:-build}
case $B in /*) ;; *) B=$ROOT/$B ;; esac
WRUN=${WRUN:-$B/wrun}
RUNS=${BENCH_GC_RUNS:-5}
DEPTH=${BENCH_GC_DEPTH:-16}
REPORT=${BENCH_REPORT:-bench/report.md}
W=$(mktemp -d /tmp/wrun-bench-gc.XXXXXX)
trap 'rm -rf "$W"' EXIT

# Replace the gc section of the report with file $1 (or append it).
put_section() {
	{
		[ -f "$REPORT" ] && awk '/^<!-- gc:begin -->$/ { skip = 1; next }
			/^<!-- gc:end -->$/ { skip = 0; next } !skip' "$REPORT"
		echo "<!-- gc:begin -->"
		echo "## GC: binary trees (Wasm 3.0 structs)"
		echo
		cat "$1"
		echo "<!-- gc:end -->"
	} >"$W/report"
	cp "$W/report" "$REPORT"
}

body=$W/body
jco=$(tests/spec3/jco.sh "$B" 2>"$W/err") && "$jco" parse tests/gc/trees.wat -o "$W/trees.wasm" 2>>"$W/err" || {
	echo "Skipped: cannot convert tests/gc/trees.wat ($(head -c 300 "$W/err"))." >"$body"
	put_section "$body"
	echo "bench-gc: skipped: no jco" >&2
	exit 0
}
want=$(awk -v M="$DEPTH" 'BEGIN { t = 2 ^ (M + 2) - 1 + 2 ^ (M + 1) - 1
	for (d = 4; d <= M; d += 2) t += 2 ^ (M - d + 4) * (2 ^ (d + 1) - 1)
	printf "%.0f\n", t }')
echo "== gc: binary trees depth $DEPTH" >&2
{
	echo "\`wrun --sandbox=none -W gc-stats --invoke run trees.wasm $DEPTH\` ($RUNS runs;"
	echo "tests/gc/trees.wat: $want nodes allocated and walked in all, a tree of"
	echo "depth $DEPTH live throughout). Pauses are whole collections (mark and sweep),"
	echo "from \`-W gc-stats\`; wall time from bash's clock around the run."
	echo
	echo "| run | wall s | collections | pause total ms | pause max ms | pause median ms | GC share | heap peak MiB |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
} >"$body"
fail=0
for ((i = 1; i <= RUNS; i++)); do
	t0=$(date +%s%N)
	got=$("$WRUN" --sandbox=none -W gc-stats --invoke run "$W/trees.wasm" "$DEPTH" 2>"$W/err")
	t1=$(date +%s%N)
	if [ "$got" != "$want" ]; then
		echo "| $i | FAIL: got ${got:-nothing}, expected $want: $(head -c 200 "$W/err") |" >>"$body"
		fail=1
		continue
	fi
	sed -n 's/^gc-stats: //p' "$W/err" | tr ' ' '\n' | awk -F= -v i="$i" -v ns=$((t1 - t0)) '
		{ v[$1] = $2 }
		END { printf "| %d | %.3f | %d | %.1f | %.2f | %.3f | %.0f%% | %.1f |\n", i, ns / 1e9,
			v["collections"], v["pause_total_us"] / 1e3, v["pause_max_us"] / 1e3,
			v["pause_median_us"] / 1e3, 100 * v["pause_total_us"] * 1e3 / ns,
			v["heap_peak_bytes"] / 1048576 }' >>"$body"
done
echo >>"$body"
put_section "$body"
cat "$body" >&2
exit $fail
