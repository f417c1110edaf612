#!/bin/bash
# component.sh: the same compute programs run as a preview1 module and as a
# wasi:cli/command component (the module wrapped by jco's preview1 adapter,
# tests/spec3/jco.sh), both under wrun --sandbox=full.
#
# For each of a few kernels of bench/kernels/ (driver bench/driver.c, built
# with tests/wasi2/cabi_realloc.c so the adapter's state stays out of the
# program's heap), one untimed run of each form checks that both print the same
# checksum, then BENCH_COMPONENT_RUNS rounds run both, alternating which
# goes first.  The time ratio is the median component time over the median
# module time per kernel, and their geometric mean is held against
# TARGET (1.1).  Writes the section between the "component" markers of
# bench/report.md (before "## Raw times" the first time); bench/run.sh
# calls it after the other sections.
#
# Environment: B (build directory), WRUN (default $B/wrun),
# BENCH_COMPONENT_RUNS (default 5), BENCH_REPORT (default bench/report.md),
# BENCH_CLANG (default clang).  Needs npm for jco; without it the section
# says why it was skipped.
set -uo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
ROOT=$PWD
B=${B:-build}
case $B in /*) ;; *) B=$ROOT/$B ;; esac
WRUN=${WRUN:-$B/wrun}
RUNS=${BENCH_COMPONENT_RUNS:-5}
REPORT=${BENCH_REPORT:-bench/report.md}
CLANG=${BENCH_CLANG:-clang}
TARGET=1.1
# kernel, result type, arguments (bench/run.sh's sizes)
KERNELS="
matmul int64_t 160 20
sieve  int32_t 4000000 6
hash   int64_t 4000000 10
"
W=$(mktemp -d /tmp/wrun-bench-comp.XXXXXX)
trap 'rm -rf "$W"' EXIT
# shellcheck source=bench/section.sh
. bench/section.sh

# section TEXT: the report's part, between the markers (bench/section.sh).
section() {
	report_section component "Components: the same program as a module and as a component" "$1"
}

skipped() {
	section "Skipped: $1."
	echo "bench-component: skipped: $1" >&2
	exit 0
}

# seconds FILE CMD...: run CMD with stdout to FILE; print its wall time.
seconds() {
	local out=$1 t0 t1
	shift
	t0=$(date +%s%N)
	"$@" >"$out" 2>"$out.err" || return 1
	t1=$(date +%s%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", (b - a) / 1e9 }'
}

median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

main() {
	local name ret args jco i m c rows="" ratios=""
	[ -x "$WRUN" ] || skipped "no engine at $WRUN"
	jco=$(tests/spec3/jco.sh "$B" 2>/dev/null) || skipped "jco could not be installed (npm)"
	while read -r name ret args; do
		[ -n "$name" ] || continue
		"$CLANG" --target=wasm32-wasi --sysroot=/usr -std=gnu11 -O2 -ffp-contract=off \
			-fno-math-errno -DKERNEL="$name" -DKRET="$ret" -o "$W/$name.wasm" \
			bench/driver.c "bench/kernels/$name.c" tests/wasi2/cabi_realloc.c ||
			skipped "$name did not build"
		"$jco" new "$W/$name.wasm" --wasi-command -o "$W/$name.comp.wasm" >/dev/null 2>&1 ||
			skipped "jco new $name failed"
		# shellcheck disable=SC2086
		{ seconds "$W/m.out" "$WRUN" "$W/$name.wasm" $args &&
			seconds "$W/c.out" "$WRUN" "$W/$name.comp.wasm" $args; } >/dev/null ||
			skipped "$name did not run"
		cmp -s "$W/m.out" "$W/c.out" || skipped "$name: the component printed $(cat "$W/c.out"), the module $(cat "$W/m.out")"
		: >"$W/m.t"
		: >"$W/c.t"
		for ((i = 0; i < RUNS; i++)); do
			# shellcheck disable=SC2086
			if ((i % 2)); then
				seconds "$W/c.out" "$WRUN" "$W/$name.comp.wasm" $args >>"$W/c.t"
				seconds "$W/m.out" "$WRUN" "$W/$name.wasm" $args >>"$W/m.t"
			else
				seconds "$W/m.out" "$WRUN" "$W/$name.wasm" $args >>"$W/m.t"
				seconds "$W/c.out" "$WRUN" "$W/$name.comp.wasm" $args >>"$W/c.t"
			fi
		done
		m=$(median <"$W/m.t")
		c=$(median <"$W/c.t")
		ratios="$ratios $(awk -v m="$m" -v c="$c" 'BEGIN { printf "%.4f", c / m }')"
		rows="$rows$(awk -v n="$name" -v a="$args" -v m="$m" -v c="$c" \
			'BEGIN { printf "| %s %s | %.3f | %.3f | %.2fx |", n, a, m, c, c / m }')"$'\n'
		echo "bench-component: $name module $m s, component $c s" >&2
	done <<<"$KERNELS"
	local g verdict
	g=$(echo "$ratios" | awk '{ s = 0; for (i = 1; i <= NF; i++) s += log($i); printf "%.2f", exp(s / NF) }')
	verdict=$(awk -v g="$g" -v t="$TARGET" 'BEGIN { print (g <= t) ? "PASS" : "FAIL" }')
	section "Each kernel as a preview1 module and as a component (the same module
wrapped by \`jco new --wasi-command\`), \`wrun --sandbox=full\`, median of
$RUNS runs each (seconds), alternating which goes first.

| program | module | component | component/module |
|---|---|---|---|
${rows}
Geometric mean of the ratios: ${g}x (target at most ${TARGET}x): **${verdict}**."
	echo "bench-component: geometric mean ${g}x (target ${TARGET}x): $verdict" >&2
}

main "$@"
