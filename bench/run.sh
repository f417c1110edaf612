#!/bin/bash
# run.sh: the engine benchmark.
#
# Builds every kernel in bench/kernels/ twice, natively (gcc -O2, linked with
# bench/driver.c) and as a wasm32 module with no imports (clang), then times
# native and `wrun --invoke` runs of each kernel, interleaved, checks that both
# print the same checksum, and writes bench/report.md.
#
#   bench/run.sh               build, run, write the report
#   bench/run.sh --build-only  build the kernels into $B/bench and stop
#
# Environment:
#   WRUN           the wrun binary                      (default: $B/wrun)
#   WRUN_FLAGS     extra options for wrun, e.g. --sandbox=none (default: none)
#   BENCH_RUNS     timed runs of each side per kernel   (default: 5)
#   BENCH_ONLY     space-separated kernel names to run  (default: all)
#   BENCH_TIMEOUT  seconds before one run is killed     (default: 300)
#   BENCH_REPORT   where the report goes                (default: bench/report.md)
#   B              the build directory                  (default: build)
#   BENCH_CC, BENCH_CLANG  the native and wasm compilers (gcc, clang)
#
# Needs bash, coreutils and awk: no other interpreter.
set -euo pipefail
export LC_ALL=C

cd "$(dirname "$0")/.."
B=${B:-build}
OUT=$B/bench
WRUN=${WRUN:-$B/wrun}
WRUN_FLAGS=${WRUN_FLAGS:-}
BENCH_RUNS=${BENCH_RUNS:-5}
BENCH_ONLY=${BENCH_ONLY:-}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-300}
REPORT=${BENCH_REPORT:-bench/report.md}
NCC=${BENCH_CC:-gcc}
WCC=${BENCH_CLANG:-clang}
TARGET=10

# Each kernel: name, C type of its result, then its two arguments (problem
# size and repetitions), chosen so a native run takes roughly 0.1-0.2 s on the
# (unloaded) machine the suite was written on.
KERNELS="
matmul int64_t 200     50
sieve  int32_t 4000000 25
nbody  int64_t 2500000 1
hash   int64_t 4000000 25
sort   int32_t 1000000 2
fib    int64_t 39      2
crc32  int32_t 4000000 8
lz77   int32_t 1000000 5
lexer  int32_t 4000000 10
"

# Floating point contraction is off in both builds so n-body's checksum is the
# same bit for bit; -mcpu=mvp keeps the modules to the first wasm release.
NFLAGS=(-std=gnu11 -O2 -Wall -Wextra -Werror -ffp-contract=off -fno-math-errno)
WFLAGS=(-std=gnu11 -O2 -Wall -Wextra -Werror -ffp-contract=off --target=wasm32
	-mcpu=mvp -ffreestanding -nostdlib)

die() {
	echo "bench: $*" >&2
	exit 1
}

selected() {
	[ -z "$BENCH_ONLY" ] && return 0
	case " $BENCH_ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}

# Build one kernel natively and to wasm. wasm-ld refuses undefined symbols
# (no --allow-undefined), so a module that links has no imports.
build_kernel() {
	local name=$1 ret=$2 src=bench/kernels/$1.c

	"$NCC" "${NFLAGS[@]}" -c -o "$OUT/$name.o" "$src"
	"$NCC" "${NFLAGS[@]}" -DKERNEL="$name" -DKRET="$ret" -o "$OUT/$name" \
		bench/driver.c "$OUT/$name.o" -lm
	"$WCC" "${WFLAGS[@]}" -Wl,--no-entry -o "$OUT/$name.wasm" "$src" "$OUT/rt.wasm.o"
}

build_all() {
	local name ret
	mkdir -p "$OUT"
	"$WCC" "${WFLAGS[@]}" -fno-builtin -c -o "$OUT/rt.wasm.o" bench/kernels/rt.c
	while read -r name ret _; do
		[ -n "$name" ] || continue
		selected "$name" || continue
		build_kernel "$name" "$ret"
	done <<<"$KERNELS"
}

# timed OUTFILE CMD...: run CMD with stdout to OUTFILE and stderr to
# OUTFILE.err; print "wall cpu": elapsed seconds and the user + system
# seconds of the process and every descendant it waited for. Returns CMD's
# status.
timed() {
	local out=$1 rc=0 TIMEFORMAT='%3R %3U %3S'
	shift
	{ time timeout "$BENCH_TIMEOUT" "$@" >"$out" 2>"$out.err"; } 2>"$out.time" || rc=$?
	awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$out.time"
	return $rc
}

# check_run SIDE OUTFILE STATUS EXPECTED: print why a run failed and return
# 1, unless it exited 0 and printed EXPECTED.
check_run() {
	local side=$1 out=$2 rc=$3 want=$4 got

	got=$(cat "$out")
	if [ "$rc" -ne 0 ]; then
		echo "$side exited with status $rc: $(head -c 300 "$out.err" | tr '\n' ' ')"
		return 1
	fi
	if [ "$got" != "$want" ]; then
		echo "$side printed '$(echo "$got" | head -c 100 | tr '\n' ' ')', expected '$want'"
		return 1
	fi
}

# bench_kernel NAME SIZE REPS: one untimed warm-up run of each side, which
# also checks the checksums, then BENCH_RUNS timed runs of each, interleaved.
# Appends "name side run wall cpu" lines to $OUT/runs and one line
# "name size reps checksum status reason" (tab-separated) to $OUT/results.
bench_kernel() {
	local name=$1 size=$2 reps=$3 want rc t i why=""
	local nat=("$OUT/$name" "$size" "$reps")
	# shellcheck disable=SC2206
	local wr=("$WRUN" $WRUN_FLAGS --invoke "$name" "$OUT/$name.wasm" "$size" "$reps")

	echo "== $name $size $reps" >&2
	rc=0
	timed "$OUT/$name.native.out" "${nat[@]}" >/dev/null || rc=$?
	want=$(cat "$OUT/$name.native.out")
	[ "$rc" -eq 0 ] || why="native exited with status $rc"
	if [ -z "$why" ]; then
		rc=0
		timed "$OUT/$name.wrun.out" "${wr[@]}" >/dev/null || rc=$?
		why=$(check_run wrun "$OUT/$name.wrun.out" "$rc" "$want") || true
	fi
	for ((i = 1; i <= BENCH_RUNS; i++)); do
		[ -z "$why" ] || break
		rc=0
		t=$(timed "$OUT/$name.native.out" "${nat[@]}") || rc=$?
		why=$(check_run native "$OUT/$name.native.out" "$rc" "$want") || break
		echo "$name native $i $t" >>"$OUT/runs"
		echo "   run $i: native $t" >&2
		rc=0
		t=$(timed "$OUT/$name.wrun.out" "${wr[@]}") || rc=$?
		why=$(check_run wrun "$OUT/$name.wrun.out" "$rc" "$want") || break
		echo "$name wrun $i $t" >>"$OUT/runs"
		echo "   run $i: wrun   $t" >&2
	done
	if [ -n "$why" ]; then
		echo "   FAILED: $why" >&2
		printf '%s\t%s\t%s\t%s\tFAIL\t%s\n' "$name" "$size" "$reps" "${want:--}" \
			"$why" >>"$OUT/results"
	else
		printf '%s\t%s\t%s\t%s\tok\t-\n' "$name" "$size" "$reps" "$want" >>"$OUT/results"
	fi
}

loadavg() {
	cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown
}

# The statistics, in awk: medians of each side's wall and CPU times per
# kernel, their ratios, and the geometric means of the ratios. Loads both
# files and defines the arrays the report sections below print from.
# shellcheck disable=SC2016
STATS_AWK='
function median(list,    v, n, i, j, t) {
	n = split(list, v, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
		}
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
FILENAME ~ /runs$/ {
	split($0, f, " ")
	wall[f[1], f[2]] = wall[f[1], f[2]] " " f[4]
	cpu[f[1], f[2]] = cpu[f[1], f[2]] " " f[5]
	next
}
{
	k = ++nk; name[k] = $1; size[k] = $2; reps[k] = $3; sum[k] = $4
	ok[k] = $5 == "ok"; why[k] = $6
}
END {
	for (k = 1; k <= nk; k++) {
		if (!ok[k]) { failed = failed " " name[k]; nf++; continue }
		n = name[k]
		nw[k] = median(wall[n, "native"]); ww[k] = median(wall[n, "wrun"])
		nc[k] = median(cpu[n, "native"]); wc[k] = median(cpu[n, "wrun"])
		rw[k] = ww[k] / nw[k]
		rc[k] = nc[k] > 0 ? wc[k] / nc[k] : 0
		slw += log(rw[k]); if (rc[k] > 0) { slc += log(rc[k]); nrc++ }
		nok++
		if (rw[k] > worst) { worst = rw[k]; wname = n }
	}
	gw = nok ? exp(slw / nok) : 0
	gc = nrc ? exp(slc / nrc) : 0
	report()
}
'

summary_table() {
	awk -F'\t' "$STATS_AWK"'
	function report() {
		print "| kernel | size | reps | checksum | native wall (s) | wrun wall (s) | wrun/native wall | native CPU (s) | wrun CPU (s) | wrun/native CPU |"
		print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
		for (k = 1; k <= nk; k++)
			if (ok[k])
				printf "| %s | %s | %s | %s | %.3f | %.3f | **%.2fx** | %.3f | %.3f | %.2fx |\n",
					name[k], size[k], reps[k], sum[k], nw[k], ww[k], rw[k], nc[k], wc[k], rc[k]
			else
				printf "| %s | %s | %s | %s | - | - | FAILED | - | - | - |\n",
					name[k], size[k], reps[k], sum[k]
		if (nok)
			printf "| **geometric mean** (%d kernels) | | | | | | **%.2fx** | | | %.2fx |\n", nok, gw, gc
	}' "$OUT/runs" "$OUT/results"
}

# verdict: the target and whether it was met, worded from the numbers. The
# target is judged on wall-clock medians; the CPU-time ratio is the check on
# a loaded machine.
verdict() {
	awk -F'\t' -v target="$TARGET" "$STATS_AWK"'
	function report() {
		print "## Target: geometric mean of wrun/native (wall clock) <= " target "x"
		print ""
		if (nf)
			printf "**Not met**: %d kernel(s) failed (%s).", nf, substr(failed, 2)
		else if (gw <= target)
			printf "**Met**: the geometric mean is %.2fx (%.2fx in CPU time).", gw, gc
		else
			printf "**Not met**: the geometric mean is %.2fx (%.2fx in CPU time), above %dx.", gw, gc, target
		if (nok && nf)
			printf " Over the %d kernels that ran the geometric mean is %.2fx.", nok, gw
		if (nok)
			printf " Slowest relative to native: %s (%.2fx).", wname, worst
		print ""
		for (k = 1; k <= nk; k++)
			if (!ok[k])
				printf "\n- %s failed: %s\n", name[k], why[k]
	}' "$OUT/runs" "$OUT/results"
}

raw_tables() {
	awk -F'\t' "$STATS_AWK"'
	function report(   i, a, b, c, d, na) {
		for (k = 1; k <= nk; k++) {
			n = name[k]
			printf "\n### %s (%s, %s)\n\n", n, size[k], reps[k]
			if (!ok[k])
				printf "FAILED: %s\n\n", why[k]
			na = split(wall[n, "native"], a, " "); split(wall[n, "wrun"], b, " ")
			split(cpu[n, "native"], c, " "); split(cpu[n, "wrun"], d, " ")
			if (na == 0) {
				print "No timed runs."
				continue
			}
			print "| run | native wall | wrun wall | native CPU | wrun CPU |"
			print "|---:|---:|---:|---:|---:|"
			for (i = 1; i <= na; i++)
				printf "| %d | %s | %s | %s | %s |\n", i, a[i],
					(i in b) ? b[i] : "-", c[i], (i in d) ? d[i] : "-"
			if (ok[k])
				printf "| median | %.3f | %.3f | %.3f | %.3f |\n", nw[k], ww[k], nc[k], wc[k]
		}
	}' "$OUT/runs" "$OUT/results"
}

# The report: machine, method, summary table, verdict, each kernel's raw times.
write_report() {
	local cpu kernel when
	cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
	kernel=$(uname -srm)
	when=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
	{
		echo "# wrun engine benchmark"
		echo
		echo "Generated by \`bench/run.sh\` (\`make bench\`); do not edit by hand."
		echo
		echo "- Date: $when"
		echo "- Machine: $(nproc) CPUs, ${cpu:-unknown CPU}, $kernel"
		echo "- Load average (1, 5, 15 min) before / after: $LOAD0 / $(loadavg)"
		echo "- Native: \`$NCC ${NFLAGS[*]}\` ($("$NCC" --version | head -n 1))"
		echo "- Wasm: \`$WCC ${WFLAGS[*]}\` ($("$WCC" --version | head -n 1))"
		echo "- Engine: \`$WRUN ${WRUN_FLAGS:+$WRUN_FLAGS }--invoke NAME NAME.wasm SIZE REPS\`"
		echo "- Source: $(git describe --always --dirty 2>/dev/null || echo unknown)"
		echo "- Method: per kernel one untimed warm-up run of each side (it checks the"
		echo "  checksum), then $BENCH_RUNS timed runs of each, interleaved native, wrun,"
		echo "  native, wrun, ...; every run's output is compared with the native checksum."
		echo "  Wall: elapsed seconds of the whole process (for wrun, loading, validation,"
		echo "  compilation and sandbox set-up included). CPU: user + system seconds of"
		echo "  the process and its children, less disturbed by other load on the machine."
		echo "  Medians of the timed runs; the ratio is wrun median / native median."
		echo
		summary_table
		echo
		verdict
		echo
		echo "## Raw times (seconds)"
		raw_tables
	} >"$REPORT.tmp"
	mv "$REPORT.tmp" "$REPORT"
}

main() {
	local name ret size reps
	build_all
	[ "${1:-}" = --build-only ] && { echo "bench: kernels built in $OUT" >&2; return 0; }
	[ -x "$WRUN" ] || die "no engine at $WRUN (run make, or set WRUN)"
	[ "$BENCH_RUNS" -ge 1 ] 2>/dev/null || die "BENCH_RUNS must be a positive integer"
	LOAD0=$(loadavg)
	: >"$OUT/runs"
	: >"$OUT/results"
	while read -r name ret size reps; do
		[ -n "$name" ] || continue
		selected "$name" || continue
		bench_kernel "$name" "$size" "$reps"
	done <<<"$KERNELS"
	write_report
	echo "bench: wrote $REPORT" >&2
	sed -n '/^| kernel/,/^## Raw/p' "$REPORT" | sed '$d' >&2
	! grep -q $'\tFAIL\t' "$OUT/results"
}

main "$@"
