#!/bin/bash
# run.sh: the benchmark suite.
#
# Builds every guest program twice, natively (gcc) and as a wasm32-wasi
# command (clang, wasi-libc), then runs each one natively, under wrun at each
# isolation level (none, seccomp, full) and under every peer runtime found,
# interleaved in a rotating order, checks that every run prints what the
# native run printed, and writes bench/report.md with a plot.
#
#   bench/run.sh               build, run, write the report and the plot
#   bench/run.sh --build-only  build the programs into $B/bench and stop
#
# The programs:
#   compute  the kernels in bench/kernels/, each wrapped in bench/driver.c as
#            a command `NAME SIZE REPS` that prints its checksum
#   io       bench/io/: many small writes to stdout, a file copy in 4 KiB
#            blocks, a directory walk, many clock reads (inside a directory
#            granted with --dir)
#   and, measured apart: hello (start-up time and peak memory at each level)
#   and `calls yield N` (the round trip of one brokered WASI call); last,
#   bench/oci.sh: podman run through wrun-oci against runc, and
#   bench/component.sh: compute kernels as a module and as a component.
#   bench/gc/run.sh: binary trees on the GC heap, with its collections and
#   pause times (-W gc-stats).
#
# The sides: native; wrun --sandbox=none|seccomp|full; node with node:wasi
# (bench/node-wasi.mjs); wabt's `wasm-interp --wasi`; and every runtime in
# WRUN_PEERS="name=/path/to/bin ...", run as `BIN run [--dir data] MODULE
# ARGS...` (the form of `wasmtime run`). A peer that is missing or cannot run
# the hello-world is skipped, with the reason in the report.
#
# Environment:
#   WRUN           the wrun binary                        (default: $B/wrun)
#   WRUN_FLAGS     extra options for every wrun run        (default: none)
#   WRUN_PEERS     more runtimes, "name=/path/to/bin ..."  (default: none)
#   BENCH_RUNS     timed runs of each side per program     (default: 5)
#   BENCH_ONLY     space-separated program names to run    (default: all)
#   BENCH_SIDES    space-separated sides to run, of native none seccomp full
#                  node wasm-interp and the WRUN_PEERS names (default: all;
#                  native, none and full are always run)
#   BENCH_HELLO_RUNS  timed start-ups of each side         (default: 21)
#   BENCH_TIMEOUT  seconds before one run is killed        (default: 300)
#   BENCH_REPORT   where the report goes                   (default: bench/report.md)
#   CHAN_BENCH     tests/sandbox/chan_bench binary, if built (the channel alone)
#   B              the build directory                     (default: build)
#   BENCH_CC, BENCH_CLANG  the native and wasm compilers   (gcc, clang)
#
# Needs bash, coreutils, awk and, for the plot, gnuplot; no other interpreter.
set -euo pipefail
export LC_ALL=C

cd "$(dirname "$0")/.."
ROOT=$PWD
B=${B:-build}
case $B in /*) ;; *) B=$ROOT/$B ;; esac
OUT=$B/bench
WRUN=${WRUN:-$B/wrun}
case $WRUN in /*) ;; */*) WRUN=$ROOT/$WRUN ;; esac
WRUN_FLAGS=${WRUN_FLAGS:-}
WRUN_PEERS=${WRUN_PEERS:-}
BENCH_RUNS=${BENCH_RUNS:-5}
BENCH_ONLY=${BENCH_ONLY:-}
BENCH_SIDES=${BENCH_SIDES:-}
HELLO_RUNS=${BENCH_HELLO_RUNS:-21}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-300}
REPORT=${BENCH_REPORT:-bench/report.md}
case $REPORT in /*) ;; *) REPORT=$ROOT/$REPORT ;; esac
PLOT=${REPORT%.md}.svg
CHAN_BENCH=${CHAN_BENCH:-}
NCC=${BENCH_CC:-gcc}
WCC=${BENCH_CLANG:-clang}
# unwind's wasm build: setjmp/longjmp compiled to wasm exception handling,
# which needs clang 19 (bench/deps.sh installs it) and, for wasi-libc
# builds without setjmp, the header and runtime of tests/eh.
EHCC=${BENCH_EH_CLANG:-clang-19}
EHFLAGS=(-fwasm-exceptions -mllvm -wasm-enable-sjlj -Itests/eh/include)
EHSRC=tests/eh/sjlj_rt.c
WORK=$OUT/work

# The kernels and the C type of each one's result.
KERNELS="
matmul int64_t
sieve  int32_t
nbody  int64_t
hash   int64_t
sort   int32_t
fib    int64_t
crc32  int32_t
lz77   int32_t
lexer  int32_t
chase  int64_t
unwind int32_t
"
IOPROGS="writes copy walk calls hello"

# The timed programs: name, kind, binary, arguments. Sizes are chosen so a
# native run takes some 0.03-0.1 s on the (loaded, 2-CPU) machine the suite
# was written on and the whole suite stays under ten minutes. The io
# programs run in $WORK, where data/ holds the file to copy and the tree to
# walk; it is granted to the wasm runtimes as `--dir data`.
PROGRAMS="
matmul compute matmul 160 20
sieve  compute sieve  4000000 6
nbody  compute nbody  1000000 1
hash   compute hash   4000000 10
sort   compute sort   1000000 1
fib    compute fib    35 4
crc32  compute crc32  4000000 3
lz77   compute lz77   1000000 2
lexer  compute lexer  4000000 4
chase  compute chase  2000000 4
unwind compute unwind 200000 5
writes io      writes 20000
copy   io      copy   data/src data/dst 2
walk   io      walk   data/tree 2
clock  io      calls  clock 200000
"
COPY_MB=8		# size of data/src
YIELD_CALLS=20000	# calls of the round-trip program
TARGET_COMPUTE=8	# compute: geomean wrun/native at most this
TARGET_LAYER_COMPUTE=1.05	# full/none on compute, geomean
TARGET_LAYER_IO=1.5	# full/none on each io program
TARGET_RTT_US=2		# one brokered call, median
TARGET_HELLO_X=2	# hello: full/none wall
TARGET_HELLO_MS=10	# hello: full wall

# Floating point contraction is off in both builds so n-body's checksum is
# the same bit for bit.
NFLAGS=(-std=gnu11 -O2 -Wall -Wextra -Werror -ffp-contract=off -fno-math-errno)
WFLAGS=(--target=wasm32-wasi --sysroot=/usr -std=gnu11 -O2 -Wall -Wextra -Werror
	-ffp-contract=off -fno-math-errno)

die() {
	echo "bench: $*" >&2
	exit 1
}

selected() {
	[ -z "$BENCH_ONLY" ] && return 0
	case " $BENCH_ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}

# ---------------------------------------------------------------- build

build_all() {
	local name ret p cc
	local -a extra
	mkdir -p "$OUT/native" "$OUT/wasm"
	while read -r name ret; do
		[ -n "$name" ] || continue
		"$NCC" "${NFLAGS[@]}" -DKERNEL="$name" -DKRET="$ret" -o "$OUT/native/$name" \
			bench/driver.c "bench/kernels/$name.c" -lm
		cc=$WCC extra=()
		if [ "$name" = unwind ]; then
			command -v "$EHCC" >/dev/null || die "no $EHCC for unwind (bench/deps.sh installs it)"
			cc=$EHCC extra=("${EHFLAGS[@]}" "$EHSRC")
		fi
		"$cc" "${WFLAGS[@]}" -DKERNEL="$name" -DKRET="$ret" -o "$OUT/wasm/$name.wasm" \
			bench/driver.c "bench/kernels/$name.c" "${extra[@]}"
	done <<<"$KERNELS"
	for p in $IOPROGS; do
		"$NCC" "${NFLAGS[@]}" -o "$OUT/native/$p" "bench/io/$p.c"
		"$WCC" "${WFLAGS[@]}" -o "$OUT/wasm/$p.wasm" "bench/io/$p.c"
	done
	"$NCC" "${NFLAGS[@]}" -o "$OUT/spawn" bench/spawn.c
}

# The io programs' data: a file to copy and a tree of 8 + 64 + 512
# directories with 4096 files of 123 bytes.
make_data() {
	rm -rf "$WORK"
	mkdir -p "$WORK/data/tree"
	head -c "$((COPY_MB << 20))" /dev/urandom >"$WORK/data/src"
	(
		cd "$WORK/data/tree"
		mkdir -p d{0..7}/d{0..7}/d{0..7}
		touch d{0..7}/d{0..7}/d{0..7}/f{0..7}
		truncate -s 123 d{0..7}/d{0..7}/d{0..7}/f{0..7}
	)
}

# ---------------------------------------------------------------- sides

declare -A PEER_BIN=()	# peer name -> binary (WRUN_PEERS)
SIDES=()		# the sides that run, in order
NOTES=()		# one line per side skipped, or anything else to say

side_wanted() {
	case $1 in native | none | full) return 0 ;; esac
	[ -z "$BENCH_SIDES" ] && return 0
	case " $BENCH_SIDES " in *" $1 "*) return 0 ;; esac
	return 1
}

# side_cmd SIDE BIN DIR: set CMD to the command line that runs program BIN on
# SIDE; DIR is 1 to grant data/.
side_cmd() {
	local side=$1 bin=$2 dir=$3 mod=$OUT/wasm/$2.wasm
	local -a d=()
	[ "$dir" = 1 ] && d=(--dir data)
	case $side in
	native) CMD=("$OUT/native/$bin") ;;
	none | seccomp | full)
		# shellcheck disable=SC2206
		CMD=("$WRUN" --sandbox="$side" $WRUN_FLAGS "${d[@]}" "$mod") ;;
	node) CMD=(node --no-warnings "$ROOT/bench/node-wasi.mjs" "${d[@]}" "$mod") ;;
	wasm-interp)
		[ "$dir" = 1 ] && d=(--dir=data)
		CMD=(wasm-interp --wasi "${d[@]}" "$mod") ;;
	*) CMD=("${PEER_BIN[$side]}" run "${d[@]}" "$mod") ;;
	esac
}

# try_side SIDE: keep SIDE if it runs the hello-world correctly, else note why.
try_side() {
	local side=$1 rc=0 why
	side_cmd "$side" hello 0
	(cd "$WORK" && timeout 60 "${CMD[@]}") </dev/null >"$OUT/probe.out" 2>"$OUT/probe.err" || rc=$?
	if [ "$rc" -eq 0 ] && [ "$(cat "$OUT/probe.out")" = "hello, world" ]; then
		SIDES+=("$side")
		return 0
	fi
	why=$(head -c 200 "$OUT/probe.err" | tr '\n' ' ')
	NOTES+=("$side: skipped, its hello-world run failed (status $rc${why:+: $why})")
	return 1
}

find_sides() {
	local p name bin
	for p in native none seccomp full; do
		side_wanted "$p" || continue
		try_side "$p" || [ "$p" = seccomp ] || die "wrun --sandbox=$p cannot run hello.wasm"
	done
	if side_wanted node; then
		if command -v node >/dev/null; then
			try_side node || true
		else
			NOTES+=("node: skipped, no \`node\` on PATH")
		fi
	fi
	if side_wanted wasm-interp; then
		if command -v wasm-interp >/dev/null; then
			try_side wasm-interp || true
		else
			NOTES+=("wasm-interp: skipped, no \`wasm-interp\` on PATH (Debian package wabt)")
		fi
	fi
	for p in $WRUN_PEERS; do
		name=${p%%=*} bin=${p#*=}
		if [ "$name" = "$p" ] || [ -z "$name" ] || [ -z "$bin" ]; then
			die "WRUN_PEERS: '$p' is not name=/path/to/bin"
		fi
		side_wanted "$name" || continue
		if [ -x "$bin" ]; then
			PEER_BIN[$name]=$bin
			try_side "$name" || true
		else
			NOTES+=("$name: skipped, $bin is not an executable")
		fi
	done
}

# ---------------------------------------------------------------- timing

# timed OUTFILE CMD...: run CMD in $WORK with stdout to OUTFILE and stderr to
# OUTFILE.err; print "wall cpu": elapsed seconds, and the user + system
# seconds of the process and every descendant it waited for (bench/spawn.c
# measures both around posix_spawn and wait4, so no shell fork is timed).
# Returns CMD's status.
timed() {
	local out=$1 rc=0
	shift
	cd "$WORK"
	"$OUT/spawn" "$BENCH_TIMEOUT" "$out" "$out.err" "$@" >"$out.time" || rc=$?
	cd "$ROOT"
	awk '{ printf "%.4f %.3f\n", $1, $2 }' "$out.time"
	return $rc
}

# check_run SIDE OUTFILE STATUS REFERENCE: print why a run failed and return
# 1, unless it exited 0 and printed what the reference file holds.
check_run() {
	local side=$1 out=$2 rc=$3 ref=$4
	if [ "$rc" -ne 0 ]; then
		echo "$side exited with status $rc: $(head -c 300 "$out.err" | tr '\n' ' ')"
		return 1
	fi
	if ! cmp -s "$out" "$ref"; then
		echo "$side printed '$(head -c 100 "$out" | tr '\n' ' ')', expected '$(head -c 100 "$ref" | tr '\n' ' ')'"
		return 1
	fi
}

# bench_program NAME KIND BIN ARGS...: one untimed run of each side, which
# checks its output against the native run's (and, for copy, the copied
# file), then BENCH_RUNS timed rounds, each round running every side once,
# starting from a different side each time. Appends "name side run wall cpu"
# to $OUT/runs and "name kind side status reason" (tab-separated) to
# $OUT/results.
bench_program() {
	local name=$1 kind=$2 bin=$3 dir=0 n=${#SIDES[@]} i j side rc t why
	shift 3
	local -a args=("$@")
	local -A fail=()
	[ "$kind" = io ] && dir=1
	users_dir_prog "$name" && dir=1
	echo "== $name ${args[*]}" >&2
	for side in "${SIDES[@]}"; do
		side_cmd "$side" "$bin" "$dir"
		rc=0
		timed "$OUT/out/$name.$side" "${CMD[@]}" "${args[@]}" >/dev/null || rc=$?
		why=""
		if [ "$side" = native ]; then
			[ "$rc" -eq 0 ] || why="native exited with status $rc"
		else
			why=$(check_run "$side" "$OUT/out/$name.$side" "$rc" "$OUT/out/$name.native") || true
		fi
		if [ -z "$why" ] && [ "$name" = copy ] && ! cmp -s "$WORK/data/src" "$WORK/data/dst"; then
			why="$side: the copy differs from the original"
		fi
		rm -f "$WORK/data/dst"
		[ -z "$why" ] || fail[$side]=$why
	done
	[ -z "${fail[native]:-}" ] || for side in "${SIDES[@]}"; do fail[$side]=${fail[native]}; done
	for ((i = 0; i < BENCH_RUNS; i++)); do
		for ((j = 0; j < n; j++)); do
			side=${SIDES[$(((i + j) % n))]}
			[ -z "${fail[$side]:-}" ] || continue
			side_cmd "$side" "$bin" "$dir"
			rc=0
			t=$(timed "$OUT/out/$name.$side.run" "${CMD[@]}" "${args[@]}") || rc=$?
			if why=$(check_run "$side" "$OUT/out/$name.$side.run" "$rc" "$OUT/out/$name.native"); then
				echo "$name $side $((i + 1)) $t" >>"$OUT/runs"
				printf '   run %d: %-12s %s\n' $((i + 1)) "$side" "$t" >&2
			else
				fail[$side]="run $((i + 1)): $why"
			fi
		done
	done
	for side in "${SIDES[@]}"; do
		if [ -n "${fail[$side]:-}" ]; then
			echo "   FAILED $side: ${fail[$side]}" >&2
			printf '%s\t%s\t%s\tFAIL\t%s\n' "$name" "$kind" "$side" "${fail[$side]}" >>"$OUT/results"
		else
			printf '%s\t%s\t%s\tok\t-\n' "$name" "$kind" "$side" >>"$OUT/results"
		fi
	done
}

# Start-up: HELLO_RUNS runs of hello on every side, rotating, each timed by
# bench/spawn.c around posix_spawn and wait4; then three runs
# under GNU time for the peak RSS of the largest process, and, where a
# memory cgroup can be made, three for the peak of all the run's processes
# together. Lines "side wall", "side rss KiB", "side cg bytes" in $OUT/hello.
CGROUP_KIND=""
find_cgroup() {
	local base
	if [ -f /sys/fs/cgroup/cgroup.controllers ] &&
		grep -qw memory /sys/fs/cgroup/cgroup.controllers; then
		base=/sys/fs/cgroup
		grep -qw memory "$base/cgroup.subtree_control" 2>/dev/null ||
			echo +memory >"$base/cgroup.subtree_control" 2>/dev/null || return 0
		CGROUP=$base/wrun-bench.$$
		mkdir "$CGROUP" 2>/dev/null && [ -f "$CGROUP/memory.peak" ] && CGROUP_KIND=v2
	elif [ -d /sys/fs/cgroup/memory ]; then
		CGROUP=/sys/fs/cgroup/memory/wrun-bench.$$
		mkdir "$CGROUP" 2>/dev/null && [ -f "$CGROUP/memory.max_usage_in_bytes" ] &&
			CGROUP_KIND=v1
	fi
	[ -n "$CGROUP_KIND" ] || rmdir "$CGROUP" 2>/dev/null || true
}

# cg_peak CMD...: run CMD alone in a fresh memory cgroup; print its peak in
# bytes.
cg_peak() {
	local cg=$CGROUP/r$RANDOM
	mkdir "$cg"
	(cd "$WORK" && sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$cg" "$@") </dev/null >/dev/null 2>&1 || true
	if [ "$CGROUP_KIND" = v2 ]; then cat "$cg/memory.peak"; else cat "$cg/memory.max_usage_in_bytes"; fi
	rmdir "$cg"
}

bench_hello() {
	local n=${#SIDES[@]} i j side rss
	echo "== hello: start-up and memory" >&2
	: >"$OUT/hello"
	cd "$WORK"
	for ((i = 0; i < HELLO_RUNS; i++)); do
		for ((j = 0; j < n; j++)); do
			side=${SIDES[$(((i + j) % n))]}
			side_cmd "$side" hello 0
			"$OUT/spawn" 60 /dev/null /dev/null "${CMD[@]}" >"$OUT/hello.time" || true
			awk -v s="$side" '{ printf "%s wall %.6f\n%s cpu %.3f\n", s, $1, s, $2 }' \
				"$OUT/hello.time" >>"$OUT/hello"
		done
	done
	for ((i = 0; i < 3; i++)); do
		for side in "${SIDES[@]}"; do
			side_cmd "$side" hello 0
			if [ -x /usr/bin/time ]; then
				/usr/bin/time -f %M -o "$OUT/hello.rss" "${CMD[@]}" </dev/null >/dev/null 2>&1 || true
				rss=$(tail -n 1 "$OUT/hello.rss")
				echo "$side rss $rss" >>"$OUT/hello"
			fi
			[ -z "$CGROUP_KIND" ] || echo "$side cg $(cg_peak "${CMD[@]}")" >>"$OUT/hello"
		done
	done
	cd "$ROOT"
}

# The round trip: `calls yield N` under none, seccomp and full, rotating;
# the difference per call is the cost of going through the broker. Lines
# "side wall" in $OUT/rtt, and the channel's own median from chan_bench.
bench_rtt() {
	local i j side t levels=() n
	echo "== round trip: calls yield $YIELD_CALLS" >&2
	: >"$OUT/rtt"
	for side in none seccomp full; do
		case " ${SIDES[*]} " in *" $side "*) levels+=("$side") ;; esac
	done
	n=${#levels[@]}
	for ((i = 0; i < BENCH_RUNS + 2; i++)); do
		for ((j = 0; j < n; j++)); do
			side=${levels[$(((i + j) % n))]}
			side_cmd "$side" calls 0
			t=$(timed "$OUT/out/rtt.$side" "${CMD[@]}" yield "$YIELD_CALLS") ||
				die "calls yield failed under $side: $(head -c 200 "$OUT/out/rtt.$side.err")"
			echo "$side ${t% *}" >>"$OUT/rtt"
		done
	done
	CHAN=""
	if [ -n "$CHAN_BENCH" ] && [ -x "$CHAN_BENCH" ]; then
		CHAN=$("$CHAN_BENCH" 200000 2>&1 | grep -m1 'median' || true)
	fi
}

# Where the time goes under the broker: for every io program and the
# round-trip program, the number of brokered calls (counted from wrun's
# --audit log under full), then one run at each level under GNU time for
# CPU time and context switches of all the run's processes. Lines "prog
# calls N" and "prog level wall user sys voluntary involuntary" in $OUT/why.
bench_why() {
	local name kind bin args level
	: >"$OUT/why"
	[ -x /usr/bin/time ] || return 0
	case " ${SIDES[*]} " in *" full "*) ;; *) return 0 ;; esac
	echo "== where the time goes: calls and context switches" >&2
	while read -r name kind bin args; do
		[ -n "$name" ] || continue
		if [ "$name" = rtt ]; then
			# shellcheck disable=SC2086
			why_one rtt "$bin" 0 $args
		elif [ "$kind" = io ] && selected "$name"; then
			# shellcheck disable=SC2086
			why_one "$name" "$bin" 1 $args
		fi
	done <<<"$PROGRAMS
rtt - calls yield $YIELD_CALLS"
}

why_one() {
	local name=$1 bin=$2 dir=$3 level n
	shift 3
	cd "$WORK"
	side_cmd full "$bin" "$dir"
	rm -f "$OUT/audit"
	"${CMD[0]}" --audit="$OUT/audit" "${CMD[@]:1}" "$@" </dev/null >/dev/null 2>&1 || true
	n=$(grep -vc '"fn":"\(done\|memory.resize\)"' "$OUT/audit" 2>/dev/null || true)
	echo "$name calls ${n:-0}" >>"$OUT/why"
	for level in none seccomp full; do
		case " ${SIDES[*]} " in *" $level "*) ;; *) continue ;; esac
		side_cmd "$level" "$bin" "$dir"
		/usr/bin/time -f "$name $level %e %U %S %w %c" -a -o "$OUT/why" \
			"${CMD[@]}" "$@" </dev/null >/dev/null 2>&1 || true
	done
	rm -f "$WORK/data/dst" "$OUT/audit"
	cd "$ROOT"
}

loadavg() {
	cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown
}

# ---------------------------------------------------------------- statistics

# The statistics, in awk, over $OUT/runs, $OUT/results, $OUT/hello and
# $OUT/rtt: medians per program and side, ratios, geometric means per kind.
# Defines the arrays the report sections print from, then calls report().
# SIDES is passed as a space-separated list, native first.
# shellcheck disable=SC2016
STATS_AWK='
function median(list,    v, n, i, j, t) {
	n = split(list, v, " ")
	if (n == 0) return ""
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
		}
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
# Geometric mean of the ratio a/b over the programs of kind k where both
# sides ran; sets GN to how many.
function gmean(k, a, b,    p, s, n) {
	s = 0; n = 0
	for (p = 1; p <= np; p++)
		if (kind[p] == k && ok[prog[p], a] && ok[prog[p], b]) {
			s += log(mw[prog[p], a] / mw[prog[p], b]); n++
		}
	GN = n
	return n ? exp(s / n) : 0
}
function ratio(p, a, b) {
	return ok[p, a] && ok[p, b] ? mw[p, a] / mw[p, b] : 0
}
function fmt_ratio(r) { return r ? sprintf("%.2fx", r) : "-" }
FILENAME ~ /\/runs$/ {
	wall[$1, $2] = wall[$1, $2] " " $4
	cpu[$1, $2] = cpu[$1, $2] " " $5
	next
}
FILENAME ~ /\/results$/ {
	split($0, f, "\t")
	if (!(f[1] in seen)) { seen[f[1]] = 1; prog[++np] = f[1]; kind[np] = f[2] }
	ok[f[1], f[3]] = f[4] == "ok"; why[f[1], f[3]] = f[5]
	next
}
FILENAME ~ /\/hello$/ { hello[$1, $2] = hello[$1, $2] " " $3; next }
FILENAME ~ /\/rtt$/ { rtt[$1] = rtt[$1] " " $2; next }
FILENAME ~ /\/why$/ {
	if ($2 == "calls") { wcalls[$1] = $3; wprog[++nwp] = $1; next }
	if (NF == 7) { we[$1, $2] = $3; wu[$1, $2] = $4; wsy[$1, $2] = $5; wv[$1, $2] = $6; wi[$1, $2] = $7 }
	next
}
END {
	ns = split(sides, side, " ")
	for (p = 1; p <= np; p++)
		for (s = 1; s <= ns; s++)
			if (ok[prog[p], side[s]]) {
				mw[prog[p], side[s]] = median(wall[prog[p], side[s]])
				mc[prog[p], side[s]] = median(cpu[prog[p], side[s]])
			}
	for (s = 1; s <= ns; s++) {
		hw[side[s]] = median(hello[side[s], "wall"])
		hcpu[side[s]] = median(hello[side[s], "cpu"])
		hr[side[s]] = median(hello[side[s], "rss"])
		hc[side[s]] = median(hello[side[s], "cg"])
		rt[side[s]] = median(rtt[side[s]])
	}
	report()
}
'

stats() {
	awk -F' ' -v sides="${SIDES[*]}" -v calls="$YIELD_CALLS" \
		-v t_compute="$TARGET_COMPUTE" -v t_lc="$TARGET_LAYER_COMPUTE" \
		-v t_li="$TARGET_LAYER_IO" -v t_rtt="$TARGET_RTT_US" \
		-v t_hx="$TARGET_HELLO_X" -v t_hms="$TARGET_HELLO_MS" -v chan="$CHAN" \
		-v t16="$TARGET16_COMPUTE" \
		"$STATS_AWK$1" "$OUT/runs" "$OUT/results" "$OUT/hello" "$OUT/rtt" "$OUT/why"
}

# Time per program and side: median wall seconds and the ratio to native.
# shellcheck disable=SC2016
SEC_TIMES='
function report(   p, s, k, line, g) {
	line = "| program | kind | native (s)"
	for (s = 2; s <= ns; s++) line = line " | " side[s]
	print line " |"
	line = "|---|---|---:"
	for (s = 2; s <= ns; s++) line = line "|---:"
	print line "|"
	for (p = 1; p <= np; p++) {
		line = sprintf("| %s | %s | %s", prog[p], kind[p],
			ok[prog[p], "native"] ? sprintf("%.3f", mw[prog[p], "native"]) : "FAILED")
		for (s = 2; s <= ns; s++)
			line = line (ok[prog[p], side[s]] ? sprintf(" | %.3f s, **%.2fx**",
				mw[prog[p], side[s]], ratio(prog[p], side[s], "native")) : " | FAILED")
		print line " |"
	}
	split("compute io", k, " ")
	for (g = 1; g <= 2; g++) {
		line = sprintf("| **geometric mean, %s** | | ", k[g])
		for (s = 2; s <= ns; s++) {
			r = gmean(k[g], side[s], "native")
			line = line " | " (r ? sprintf("**%.2fx** (%d)", r, GN) : "-")
		}
		print line " |"
	}
}'

# The same, in CPU time (user + system of all processes), as ratios.
# shellcheck disable=SC2016
SEC_CPU='
function report(   p, s, line) {
	line = "| program | native CPU (s)"
	for (s = 2; s <= ns; s++) line = line " | " side[s]
	print line " |"
	line = "|---|---:"
	for (s = 2; s <= ns; s++) line = line "|---:"
	print line "|"
	for (p = 1; p <= np; p++) {
		if (!ok[prog[p], "native"]) continue
		line = sprintf("| %s | %.3f", prog[p], mc[prog[p], "native"])
		for (s = 2; s <= ns; s++)
			line = line (ok[prog[p], side[s]] && mc[prog[p], "native"] > 0 ? sprintf(" | %.3f s, %.2fx", mc[prog[p], side[s]],
					mc[prog[p], side[s]] / mc[prog[p], "native"]) : " | -")
		print line " |"
	}
}'

# wrun against every peer: wrun time / peer time, per level.
# shellcheck disable=SC2016
SEC_PEERS='
function report(   p, s, l, lv, nl, line, peers, npr, g, k) {
	nl = split("none full", lv, " ")
	for (s = 2; s <= ns; s++)
		if (side[s] != "none" && side[s] != "seccomp" && side[s] != "full") peers[++npr] = side[s]
	if (!npr) { print "No peer runtime ran (see the notes above)."; return }
	line = "| program"
	for (g = 1; g <= npr; g++) for (l = 1; l <= nl; l++) line = line " | " lv[l] " / " peers[g]
	print line " |"
	line = "|---"
	for (g = 1; g <= npr; g++) for (l = 1; l <= nl; l++) line = line "|---:"
	print line "|"
	for (p = 1; p <= np; p++) {
		line = "| " prog[p]
		for (g = 1; g <= npr; g++) for (l = 1; l <= nl; l++)
			line = line " | " fmt_ratio(ratio(prog[p], lv[l], peers[g]))
		print line " |"
	}
	split("compute io", k, " ")
	for (s = 1; s <= 2; s++) {
		line = "| **geometric mean, " k[s] "**"
		for (g = 1; g <= npr; g++) for (l = 1; l <= nl; l++) {
			r = gmean(k[s], lv[l], peers[g])
			line = line " | " (r ? sprintf("**%.2fx**", r) : "-")
		}
		print line " |"
	}
	print ""
	print "Below 1 means wrun is faster than the peer."
}'

# The layers: seccomp/none and full/none per program and per kind.
# shellcheck disable=SC2016
SEC_LAYERS='
function report(   p, k, g, line) {
	print "| program | kind | none (s) | seccomp (s) | full (s) | seccomp / none | full / none | full / seccomp |"
	print "|---|---|---:|---:|---:|---:|---:|---:|"
	for (p = 1; p <= np; p++)
		printf "| %s | %s | %s | %s | %s | %s | **%s** | %s |\n", prog[p], kind[p],
			ok[prog[p], "none"] ? sprintf("%.3f", mw[prog[p], "none"]) : "-",
			ok[prog[p], "seccomp"] ? sprintf("%.3f", mw[prog[p], "seccomp"]) : "-",
			ok[prog[p], "full"] ? sprintf("%.3f", mw[prog[p], "full"]) : "-",
			fmt_ratio(ratio(prog[p], "seccomp", "none")),
			fmt_ratio(ratio(prog[p], "full", "none")),
			fmt_ratio(ratio(prog[p], "full", "seccomp"))
	split("compute io", k, " ")
	for (g = 1; g <= 2; g++)
		printf "| **geometric mean, %s** | | | | | %s | **%s** | %s |\n", k[g],
			fmt_ratio(gmean(k[g], "seccomp", "none")), fmt_ratio(gmean(k[g], "full", "none")),
			fmt_ratio(gmean(k[g], "full", "seccomp"))
}'

# Start-up and memory of hello at each side.
# shellcheck disable=SC2016
SEC_HELLO='
function report(   s) {
	print "| side | wall, median (ms) | / native | / none | CPU, median (ms) | CPU / none | max RSS of the largest process (KiB) | peak of all processes, cgroup (KiB) |"
	print "|---|---:|---:|---:|---:|---:|---:|---:|"
	for (s = 1; s <= ns; s++) {
		if (hw[side[s]] == "") continue
		printf "| %s | %.2f | %.2fx | %s | %.0f | %s | %s | %s |\n", side[s], hw[side[s]] * 1000,
			hw[side[s]] / hw["native"],
			(hw["none"] > 0 ? sprintf("%.2fx", hw[side[s]] / hw["none"]) : "-"),
			hcpu[side[s]] * 1000,
			(hcpu["none"] > 0 ? sprintf("%.2fx", hcpu[side[s]] / hcpu["none"]) : "-"),
			hr[side[s]] == "" ? "-" : hr[side[s]],
			hc[side[s]] == "" ? "-" : sprintf("%d", hc[side[s]] / 1024)
	}
}'

# Where the time goes: brokered calls, CPU and context switches per level.
# shellcheck disable=SC2016
SEC_WHY='
function report(   i, p, l, lv, c, extra) {
	if (!nwp) { print "Not measured (needs /usr/bin/time and the full level)."; return }
	split("none seccomp full", lv, " ")
	print "| program | brokered calls | level | wall (s) | user (s) | sys (s) | voluntary switches | involuntary | voluntary per call | wall over none per call (µs) |"
	print "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"
	for (i = 1; i <= nwp; i++) {
		p = wprog[i]; c = wcalls[p]
		for (l = 1; l <= 3; l++) {
			if (we[p, lv[l]] == "") continue
			extra = l > 1 && c > 0 && we[p, "none"] != "" ? sprintf("%.1f", (we[p, lv[l]] - we[p, "none"]) / c * 1e6) : "-"
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", l == 1 ? p : "", l == 1 ? c : "",
				lv[l], we[p, lv[l]], wu[p, lv[l]], wsy[p, lv[l]], wv[p, lv[l]], wi[p, lv[l]],
				(c > 0 ? sprintf("%.2f", wv[p, lv[l]] / c) : "-"), extra
		}
	}
}'


# The round trip of one brokered call.
# shellcheck disable=SC2016
SEC_RTT='
function report(   s, l, lv) {
	split("none seccomp full", lv, " ")
	print "| level | `calls yield " calls "`, median wall (s) | per call (µs) | extra per call over none (µs) |"
	print "|---|---:|---:|---:|"
	for (l = 1; l <= 3; l++) {
		if (rt[lv[l]] == "") continue
		printf "| %s | %.4f | %.3f | %s |\n", lv[l], rt[lv[l]], rt[lv[l]] / calls * 1e6,
			lv[l] == "none" ? "-" : sprintf("**%.3f**", (rt[lv[l]] - rt["none"]) / calls * 1e6)
	}
}'

# The targets of issue 6, each with its verdict.
# shellcheck disable=SC2016
SEC_TARGETS='
function verdict(met) { return met ? "**met**" : "**not met**" }
function report(   gc, gn, lc, p, worst, wn, r, nio, rtt_us, hx, hms, bad) {
	gc = gmean("compute", "full", "native"); gn = gmean("compute", "none", "native")
	printf "| target | measured | verdict |\n|---|---|---|\n"
	printf "| compute: geometric mean of wrun (default level, full) / native <= %sx | full %.2fx, none %.2fx over %d programs | %s |\n",
		t_compute, gc, gn, GN, verdict(gc && gc <= t_compute)
	lc = gmean("compute", "full", "none")
	worst = 0
	for (p = 1; p <= np; p++)
		if (kind[p] == "compute" && (r = ratio(prog[p], "full", "none")) > worst) { worst = r; wn = prog[p] }
	printf "| layers: full within %d%% of none on compute (geometric mean) | %.3fx (worst single program: %s %.3fx) | %s |\n",
		(t_lc - 1) * 100 + 0.5, lc, wn, worst, verdict(lc && lc <= t_lc)
	worst = 0; nio = 0; bad = ""
	for (p = 1; p <= np; p++)
		if (kind[p] == "io" && (r = ratio(prog[p], "full", "none"))) {
			nio++
			if (r > worst) { worst = r; wn = prog[p] }
			if (r > t_li) bad = bad sprintf(" %s %.2fx,", prog[p], r)
		}
	sub(/,$/, "", bad)
	printf "| layers: full within %sx of none on every I/O program | geometric mean %.2fx; worst %s %.2fx%s | %s |\n",
		t_li, gmean("io", "full", "none"), wn, worst, bad == "" ? "" : "; above:" bad,
		verdict(nio && worst <= t_li)
	rtt_us = rt["full"] != "" && rt["none"] != "" ? (rt["full"] - rt["none"]) / calls * 1e6 : -1
	printf "| one brokered call round trip <= %s µs (median) | %s | %s |\n", t_rtt,
		rtt_us < 0 ? "not measured" : sprintf("%.3f µs per call (full - none, medians of %d-call runs)%s",
			rtt_us, calls, chan != "" ? "; channel alone: " chan : ""),
		verdict(rtt_us >= 0 && rtt_us <= t_rtt)
	hx = hw["none"] > 0 ? hw["full"] / hw["none"] : 0; hms = hw["full"] * 1000
	printf "| hello-world: full <= %sx none and < %s ms (wall) | full %.2f ms, none %.2f ms: %.2fx (CPU: full %.0f ms, none %.0f ms) | %s |\n",
		t_hx, t_hms, hms, hw["none"] * 1000, hx, hcpu["full"] * 1000, hcpu["none"] * 1000,
		verdict(hx && hx <= t_hx && hms < t_hms)
}'

# The raw times: one table per program, a row per timed round.
# shellcheck disable=SC2016
SEC_RAW='
function report(   p, s, i, n, m, v, line) {
	for (p = 1; p <= np; p++) {
		printf "\n### %s (%s)\n\n", prog[p], kind[p]
		for (s = 1; s <= ns; s++)
			if (!ok[prog[p], side[s]]) printf "- %s FAILED: %s\n", side[s], why[prog[p], side[s]]
		line = "| run"
		for (s = 1; s <= ns; s++) line = line " | " side[s]
		print "\nwall / CPU seconds\n"
		print line " |"
		line = "|---:"
		for (s = 1; s <= ns; s++) line = line "|---:"
		print line "|"
		m = 0
		for (s = 1; s <= ns; s++) {
			n = split(wall[prog[p], side[s]], v, " "); if (n > m) m = n
		}
		for (i = 1; i <= m; i++) {
			line = "| " i
			for (s = 1; s <= ns; s++) {
				split(wall[prog[p], side[s]], v, " "); split(cpu[prog[p], side[s]], c, " ")
				line = line ((i in v) ? " | " v[i] " / " c[i] : " | -")
			}
			print line " |"
		}
	}
	print "\n### hello (start-up), wall seconds of each run\n"
	for (s = 1; s <= ns; s++) printf "- %s:%s\n", side[s], hello[side[s], "wall"]
	print "\nmax RSS (KiB):\n"
	for (s = 1; s <= ns; s++) printf "- %s:%s\n", side[s], hello[side[s], "rss"]
	if (hc["native"] != "") {
		print "\ncgroup peak (bytes):\n"
		for (s = 1; s <= ns; s++) printf "- %s:%s\n", side[s], hello[side[s], "cg"]
	}
	print "\n### round trip: `calls yield " calls "`, wall seconds of each run\n"
	split("none seccomp full", v, " ")
	for (i = 1; i <= 3; i++) if (rtt[v[i]] != "") printf "- %s:%s\n", v[i], rtt[v[i]]
}'

# The plot's data: one row per program, time / native per side.
# shellcheck disable=SC2016
SEC_PLOTDATA='
function report(   p, s, line) {
	line = "program"
	for (s = 2; s <= ns; s++) line = line "\t" side[s]
	print line
	for (p = 1; p <= np; p++) {
		line = prog[p] (kind[p] == "io" ? "*" : "")
		for (s = 2; s <= ns; s++) line = line "\t" (ratio(prog[p], side[s], "native") ? ratio(prog[p], side[s], "native") : "NaN")
		print line
	}
}'

make_plot() {
	PLOT_NOTE=""
	if ! command -v gnuplot >/dev/null; then
		PLOT_NOTE="No plot: gnuplot is not installed (\`make bench-deps\` installs it)."
		return 0
	fi
	stats "$SEC_PLOTDATA" >"$OUT/plot.dat"
	if gnuplot -e "datafile='$OUT/plot.dat'; outfile='$PLOT.tmp'; nsides=$((${#SIDES[@]} - 1))" \
		bench/plot.gp 2>"$OUT/plot.err"; then
		mv "$PLOT.tmp" "$PLOT"
	else
		PLOT_NOTE="No plot: gnuplot failed: $(head -c 200 "$OUT/plot.err" | tr '\n' ' ')"
	fi
}

# ---------------------------------------------------------------- report

write_report() {
	local cpu kernel when n
	cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
	kernel=$(uname -srm)
	when=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
	{
		echo "# wrun benchmark: speed and the cost of each sandbox layer"
		echo
		echo "Generated by \`bench/run.sh\` (\`make bench\`); do not edit by hand."
		echo
		echo "- Date: $when"
		echo "- Machine: $(nproc) CPUs, ${cpu:-unknown CPU}, $kernel"
		echo "- Load average (1, 5, 15 min) before / after: $LOAD0 / $(loadavg)"
		if awk -v n="$(nproc)" -v a="${LOAD0%% *}" -v b="$(loadavg | cut -d' ' -f1)" \
			'BEGIN { exit !(a > n / 2 || b > n / 2) }'; then
			echo "- **The machine was busy** (load above half its CPUs): other work competed"
			echo "  for the CPUs. Wall times are inflated and noisy, and the broker suffers"
			echo "  most, since a round trip is fast only while the child and the broker"
			echo "  both hold a CPU and spin; compare the CPU-time tables."
		fi
		echo "- Native: \`$NCC ${NFLAGS[*]}\` ($("$NCC" --version | head -n 1))"
		echo "- Wasm: \`$WCC ${WFLAGS[*]}\` ($("$WCC" --version | head -n 1))"
		echo "- wrun: \`$WRUN --sandbox=LEVEL${WRUN_FLAGS:+ $WRUN_FLAGS} [--dir data] PROGRAM.wasm ARGS\`"
		echo "- Source of this suite: $(git describe --always --dirty 2>/dev/null || echo unknown);"
		echo "  wrun binary: \`$WRUN\` ($("$WRUN" --version 2>&1 | head -n 1), built $(date -u -r "$WRUN" '+%Y-%m-%d %H:%M UTC'))"
		echo "- Sides: ${SIDES[*]}"
		for n in "${NOTES[@]}"; do echo "- $n"; done
		command -v node >/dev/null && echo "- node: $(node --version), \`node --no-warnings bench/node-wasi.mjs [--dir data] PROGRAM.wasm ARGS\`"
		echo
		echo "## Method"
		echo
		echo "Every program is a WASI command built from C in this directory, once with"
		echo "gcc and once for wasm32-wasi; the same .wasm file runs on every runtime."
		echo "Per program, one untimed run of each side checks its output against the"
		echo "native run's, then $BENCH_RUNS timed rounds run every side once each, in a"
		echo "rotating order (round i starts with side i), and every timed run's output is"
		echo "checked again. Wall: elapsed seconds of the whole process (loading,"
		echo "validation, compilation, sandbox set-up and the broker included), taken by"
		echo "\`bench/spawn.c\` just before \`posix_spawn\` and just after \`wait4\`, so that"
		echo "no shell fork is inside the time. CPU: user"
		echo "+ system seconds of all the run's processes. Figures are medians; a ratio"
		echo "is one median over another. The I/O programs run in a scratch directory"
		echo "whose \`data/\` is granted with \`--dir data\`; their standard output goes to a"
		echo "file on $(df -T "$WORK" 2>/dev/null | awk 'NR == 2 { print $2 }')."
		echo
		echo "| program | kind | arguments | what it does |"
		echo "|---|---|---|---|"
		while read -r name kind bin args; do
			[ -n "$name" ] || continue
			selected "$name" || continue
			echo "| $name | $kind | \`$bin $args\` | ${WHAT[$name]} |"
		done <<<"$PROGRAMS"
		echo
		echo "## Targets (issue 6)"
		echo
		stats "$SEC_TARGETS"
		echo
		echo "## Targets (issue 16): users' programs, CPU time"
		echo
		stats "$SEC_TARGETS16"
		echo
		echo "## Time per program: median wall seconds and ratio to native"
		echo
		stats "$SEC_TIMES"
		echo
		echo "(n) is the number of programs in a geometric mean."
		echo
		echo "The same in CPU time (user + system of every process of the run; under seccomp"
		echo "and full the broker and the child both count), median seconds and ratio to native:"
		echo
		stats "$SEC_CPU"
		echo
		if [ -f "$PLOT" ] && [ -z "$PLOT_NOTE" ]; then
			echo "![time / native per program, log scale](${PLOT##*/})"
		else
			echo "$PLOT_NOTE"
		fi
		echo
		echo "## wrun against the peer runtimes: wrun time / peer time"
		echo
		stats "$SEC_PEERS"
		echo
		echo "## The cost of each layer: none -> seccomp -> full"
		echo
		echo "\`none\` runs the module in wrun's own process; \`seccomp\` adds the broker"
		echo "process, the channel and the filter; \`full\` adds the namespaces, the"
		echo "empty root and Landlock. Every WASI call under seccomp and full is a round"
		echo "trip to the broker."
		echo
		stats "$SEC_LAYERS"
		echo
		echo "## Start-up and memory: hello-world"
		echo
		echo "Median of $HELLO_RUNS runs per side (rotating, each timed by \`bench/spawn.c\`"
		echo "around posix_spawn and wait4, no other wrapper). Max RSS is GNU time's %M:"
		echo "the largest peak of any one process the"
		echo "run waited for. Under seccomp and full that is the broker or the jailed child,"
		echo "whichever is larger, not their sum; the cgroup column is the peak of the"
		echo "memory charged to a fresh memory cgroup holding the whole run (every process"
		echo "together, shared memory once, plus kernel memory and page cache the run"
		echo "brought in). Median of 3 runs each."
		[ -n "$CGROUP_KIND" ] || echo "No memory cgroup could be made here: that column is empty."
		echo
		stats "$SEC_HELLO"
		echo
		echo "## One brokered call: the round trip"
		echo
		echo "\`calls yield N\` makes N \`sched_yield\` calls, which every level executes"
		echo "with one host \`sched_yield\`; under seccomp and full each is also a round"
		echo "trip to the broker. Medians of $((BENCH_RUNS + 2)) runs per level, rotating."
		echo
		stats "$SEC_RTT"
		echo
		if [ -n "$CHAN" ]; then
			echo "The channel alone (\`tests/sandbox/chan_bench 200000\`: two processes,"
			echo "no WASI work, each call timed): $CHAN"
			echo
		fi
		echo "## Where the time goes under the broker"
		echo
		echo "One more run of each I/O program and of \`calls yield $YIELD_CALLS\` (rtt) per"
		echo "level under GNU time: CPU seconds and context switches of all the run's"
		echo "processes. Brokered calls are counted from \`wrun --audit\` under full. A round"
		echo "trip that both sides finish while spinning costs no context switch; a"
		echo "voluntary switch is a sleep on the channel's futex (or on the ring), and a"
		echo "woken process must then wait for a free CPU. Single runs: indicative only."
		echo
		stats "$SEC_WHY"
		echo
		echo "## Raw times"
		stats "$SEC_RAW"
	} >"$REPORT.tmp"
	mv "$REPORT.tmp" "$REPORT"
}

declare -A WHAT=(
	[matmul]="integer and f64: 160x160 matrix multiply, f64 loads, stores, multiply-add"
	[sieve]="integer, memory: sieve of Eratosthenes, strided byte stores"
	[nbody]="floating point: n-body, f64 arithmetic, division, sqrt"
	[hash]="integer: FNV-1a and a multiply-rotate hash, i64 multiply, unaligned loads"
	[sort]="branchy: quicksort, data-dependent branches, recursion"
	[fib]="call-heavy: naive recursive Fibonacci"
	[crc32]="integer, branchy: CRC-32 by table and bit by bit"
	[lz77]="branchy, memory: hash-chain match search, byte compares"
	[lexer]="branchy: a tokenizer state machine, br_table dispatch"
	[chase]="memory-bound: pointer chasing over one random cycle in 8 MiB"
	[unwind]="exceptions: longjmp out of 8-23 nested calls (wasm: throw/catch/rethrow)"
	[writes]="I/O: 24-byte lines, one write(2) / fd_write each, stdout to a file"
	[copy]="I/O: copy an ${COPY_MB} MiB file in 4 KiB reads and writes, twice"
	[walk]="I/O: readdir + fstatat over 584 directories and 4096 files, twice"
	[clock]="I/O: clock_gettime(CLOCK_MONOTONIC) / clock_time_get in a loop"
)

# The programs that look like users' code (issue 16).
# shellcheck source=bench/users.sh
. bench/users.sh

main() {
	local name kind bin args
	build_all
	build_users
	[ "${1:-}" = --build-only ] && { echo "bench: programs built in $OUT" >&2; return 0; }
	[ -x "$WRUN" ] || die "no engine at $WRUN (run make, or set WRUN)"
	[ "$BENCH_RUNS" -ge 1 ] 2>/dev/null || die "BENCH_RUNS must be a positive integer"
	[ "$HELLO_RUNS" -ge 1 ] 2>/dev/null || die "BENCH_HELLO_RUNS must be a positive integer"
	make_data
	users_data
	mkdir -p "$OUT/out"
	find_sides
	echo "bench: sides: ${SIDES[*]}" >&2
	for n in "${NOTES[@]}"; do echo "bench: $n" >&2; done
	find_cgroup
	LOAD0=$(loadavg)
	: >"$OUT/runs"
	: >"$OUT/results"
	while read -r name kind bin args; do
		[ -n "$name" ] || continue
		selected "$name" || continue
		# shellcheck disable=SC2086
		bench_program "$name" "$kind" "$bin" $args
	done <<<"$PROGRAMS"
	bench_hello
	bench_rtt
	bench_why
	[ -z "$CGROUP_KIND" ] || rmdir "$CGROUP" 2>/dev/null || true
	make_plot
	write_report
	# The containers' section (podman through wrun-oci and through runc).
	BENCH_REPORT=$REPORT B=$B bench/oci.sh || true
	# The components' section (one program as a module and as a component).
	BENCH_REPORT=$REPORT B=$B WRUN=$WRUN bench/component.sh || true
	# The GC's section: binary trees, collections and pauses (bench/gc/run.sh).
	BENCH_REPORT=$REPORT B=$B WRUN=$WRUN bench/gc/run.sh || true
	echo "bench: wrote $REPORT" >&2
	sed -n '/^## Targets/,/^## wrun against/p' "$REPORT" | sed '$d' >&2
	! grep -q $'\tFAIL\t' "$OUT/results"
}

main "$@"
