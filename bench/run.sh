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
#   WRUN        the wrun binary                        (default: $B/wrun)
#   WRUN_FLAGS  extra options for wrun, e.g. --sandbox=none   (default: none)
#   BENCH_RUNS  timed runs of each side per kernel     (default: 5)
#   BENCH_ONLY  space-separated kernel names to run    (default: all)
#   BENCH_TIMEOUT  seconds before one run is killed    (default: 300)
#   BENCH_REPORT   where the report goes               (default: bench/report.md)
#   B           the build directory                    (default: build)
#   BENCH_CC, BENCH_CLANG   the native and wasm compilers (gcc, clang)
#
# Needs bash 5 (for EPOCHREALTIME), coreutils and awk: no other interpreter.
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
# machine the suite was written on.
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
	mkdir -p "$OUT"
	"$WCC" "${WFLAGS[@]}" -fno-builtin -c -o "$OUT/rt.wasm.o" bench/kernels/rt.c
	while read -r name ret _; do
		[ -n "$name" ] || continue
		selected "$name" || continue
		build_kernel "$name" "$ret"
	done <<<"$KERNELS"
}

selected() {
	[ -z "$BENCH_ONLY" ] && return 0
	case " $BENCH_ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}

# now: wall-clock seconds with microseconds.
now() {
	echo "$EPOCHREALTIME"
}

# timed OUTFILE CMD...: run CMD with stdout to OUTFILE and stderr to
# OUTFILE.err; print the elapsed seconds. Returns CMD's status.
timed() {
	local out=$1 t0 t1 rc=0
	shift
	t0=$(now)
	timeout "$BENCH_TIMEOUT" "$@" >"$out" 2>"$out.err" || rc=$?
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }'
	return $rc
}

# median of the numbers given as arguments.
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
		END { if (NR % 2) printf "%.4f", v[(NR + 1) / 2];
		      else printf "%.4f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# check_run SIDE NAME OUTFILE STATUS EXPECTED: complain unless the run
# succeeded and printed EXPECTED. Prints the reason on failure.
check_run() {
	local side=$1 name=$2 out=$3 rc=$4 want=$5 got

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

# bench_kernel NAME SIZE REPS: one untimed warm-up of each side, which also
# checks the checksums, then BENCH_RUNS timed runs of each side, interleaved.
# Appends one line to $OUT/results: name size reps checksum status
# native-median wrun-median ratio "native times" "wrun times" reason.
bench_kernel() {
	local name=$1 size=$2 reps=$3 want rc t i why=""
	local -a nt=() wt=()
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
		why=$(check_run wrun "$name" "$OUT/$name.wrun.out" "$rc" "$want") || true
	fi
	for ((i = 1; i <= BENCH_RUNS; i++)); do
		[ -z "$why" ] || break
		rc=0
		t=$(timed "$OUT/$name.native.out" "${nat[@]}") || rc=$?
		why=$(check_run native "$name" "$OUT/$name.native.out" "$rc" "$want") || break
		nt+=("$t")
		rc=0
		t=$(timed "$OUT/$name.wrun.out" "${wr[@]}") || rc=$?
		why=$(check_run wrun "$name" "$OUT/$name.wrun.out" "$rc" "$want") || break
		wt+=("$t")
		echo "   run $i: native ${nt[-1]} s, wrun ${wt[-1]} s" >&2
	done
	if [ -n "$why" ]; then
		echo "   FAILED: $why" >&2
		printf '%s\t%s\t%s\t%s\tFAIL\t-\t-\t-\t%s\t%s\t%s\n' "$name" "$size" "$reps" \
			"${want:--}" "${nt[*]:--}" "${wt[*]:--}" "$why" >>"$OUT/results"
		return
	fi
	local nm wm ratio
	nm=$(median "${nt[@]}")
	wm=$(median "${wt[@]}")
	ratio=$(awk -v n="$nm" -v w="$wm" 'BEGIN { printf "%.2f", w / n }')
	echo "   median: native $nm s, wrun $wm s, ratio $ratio" >&2
	printf '%s\t%s\t%s\t%s\tok\t%s\t%s\t%s\t%s\t%s\t-\n' "$name" "$size" "$reps" \
		"$want" "$nm" "$wm" "$ratio" "${nt[*]}" "${wt[*]}" >>"$OUT/results"
}

# The report: machine, summary table, verdict, then each kernel's raw times.
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
		echo "- Method: per kernel one untimed warm-up run of each side (checks the"
		echo "  checksum), then $BENCH_RUNS timed runs of each, interleaved native, wrun,"
		echo "  native, wrun, ...; every run's output is compared with the native checksum."
		echo "  Times are wall-clock seconds of the whole process (start-up, and for wrun"
		echo "  loading, validation, compilation and the sandbox, included)."
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

summary_table() {
	echo "| kernel | size | reps | checksum | native median (s) | wrun median (s) | wrun/native |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	awk -F'\t' '{
		if ($5 == "ok") printf "| %s | %s | %s | %s | %s | %s | %.2fx |\n", $1, $2, $3, $4, $6, $7, $8;
		else printf "| %s | %s | %s | %s | - | - | FAILED |\n", $1, $2, $3, $4 }' "$OUT/results"
	awk -F'\t' '$5 == "ok" { s += log($8); n++ }
		END { if (n) printf "| **geometric mean** (%d kernels) | | | | | | **%.2fx** |\n", n, exp(s / n) }' \
		"$OUT/results"
}

# verdict: the target and whether it was met, worded from the numbers.
verdict() {
	awk -F'\t' -v target="$TARGET" '
		$5 == "ok" { s += log($8); n++; if ($8 > worst) { worst = $8; wname = $1 } }
		$5 != "ok" { failed = failed " " $1; nf++ }
		END {
			print "## Target: geometric mean of wrun/native <= " target "x"
			print ""
			if (n) g = exp(s / n)
			if (nf)
				printf "**Not met**: %d kernel(s) failed (%s), see below.", nf, substr(failed, 2)
			else if (g <= target)
				printf "**Met**: the geometric mean is %.2fx.", g
			else
				printf "**Not met**: the geometric mean is %.2fx, above %dx.", g, target
			if (n)
				printf " Over the %d kernels that ran: geometric mean %.2fx; slowest relative to native: %s (%.2fx).", n, g, wname, worst
			print ""
		}' "$OUT/results"
	awk -F'\t' '$5 != "ok" { printf "\n- %s failed: %s\n", $1, $11 }' "$OUT/results"
}

raw_tables() {
	awk -F'\t' '{
		printf "\n### %s (%s, %s)\n\n", $1, $2, $3
		if ($5 != "ok")
			printf "FAILED: %s\n\n", $11
		nn = $9 == "-" ? 0 : split($9, n, " ")
		nw = $10 == "-" ? 0 : split($10, w, " ")
		if (nn == 0) {
			print "No timed runs."
			next
		}
		print "| run | native | wrun |"
		print "|---:|---:|---:|"
		for (i = 1; i <= nn; i++)
			printf "| %d | %s | %s |\n", i, n[i], i <= nw ? w[i] : "-"
		if ($5 == "ok")
			printf "| median | %s | %s |\n", $6, $7
	}' "$OUT/results"
}

loadavg() {
	cut -d" " -f1-3 /proc/loadavg 2>/dev/null || echo unknown
}

main() {
	[ -n "${EPOCHREALTIME:-}" ] || die "needs bash 5 or later (EPOCHREALTIME)"
	build_all
	[ "${1:-}" = --build-only ] && { echo "bench: kernels built in $OUT" >&2; return 0; }
	[ -x "$WRUN" ] || die "no engine at $WRUN (run make, or set WRUN)"
	[ "$BENCH_RUNS" -ge 1 ] 2>/dev/null || die "BENCH_RUNS must be a positive integer"
	LOAD0=$(loadavg)
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
