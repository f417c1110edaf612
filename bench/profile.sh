#!/bin/bash
# profile.sh: a callgrind profile of wrun running one benchmark program.
#
#   bench/profile.sh NAME SIZE REPS [TOP]
#
# Builds the programs if needed, runs `valgrind --tool=callgrind` on
# `wrun --sandbox=none NAME.wasm SIZE REPS` (the kernel NAME as a WASI
# command), and prints the TOP (default 25) entries of:
#   - functions by instructions executed (Ir), exclusive and inclusive;
#   - source lines by Ir (wrun built with -g, as `make` does);
#   - interpreter handlers by Ir, with how many times each ran and its Ir per
#     run. A handler is the code from one label of the dispatch loop (L_NAME,
#     found in the debug information) to the next, so this needs the
#     computed-goto build with -g.
# Choose SIZE and REPS well below the benchmark's: callgrind runs some 50
# times slower. The raw profile stays in $B/bench/callgrind.out.NAME, for
# callgrind_annotate or kcachegrind.
#
# WRUN and WRUN_FLAGS as for run.sh. The module runs in wrun's own process
# (--sandbox=none): valgrind would follow the re-executed, jailed child only
# with --trace-children=yes, and the jail is not what is being profiled.
set -euo pipefail
export LC_ALL=C

cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { echo "usage: $0 NAME SIZE REPS [TOP]" >&2; exit 2; }
name=$1 size=$2 reps=$3 top=${4:-25}
B=${B:-build}
WRUN=${WRUN:-$B/wrun}
OUT=$B/bench
prof=$OUT/callgrind.out.$name

[ -f "$OUT/wasm/$name.wasm" ] || B=$B bench/run.sh --build-only
# Uncompressed names and absolute addresses keep the file easy to read in awk.
# shellcheck disable=SC2086
valgrind --tool=callgrind --callgrind-out-file="$prof" --dump-instr=yes \
	--compress-strings=no --compress-pos=no ${CALLGRIND_FLAGS:-} \
	"$WRUN" --sandbox=none ${WRUN_FLAGS:-} "$OUT/wasm/$name.wasm" "$size" "$reps"
# The listings below are cut short with head: a closed pipe is not an error.
set +o pipefail

echo "== exclusive (self) cost"
callgrind_annotate --auto=no --threshold=100 "$prof" |
	sed -n '/PROGRAM TOTALS/p; /file:function/,$p' | head -n $((top + 3))

echo "== inclusive cost"
callgrind_annotate --auto=no --inclusive=yes --threshold=100 "$prof" |
	sed -n '/file:function/,$p' | head -n $((top + 2))

echo "== hottest source lines"
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

echo "== interpreter handlers (Ir, times run, Ir per run)"
# Handler labels and their link-time addresses (decimal) from the debug
# information.
labels=$OUT/labels.$name
objdump --dwarf=info "$WRUN" 2>/dev/null | awk '
	function hex(s,    i, v) {
		v = 0; s = tolower(s); sub(/^0x/, "", s)
		for (i = 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v
	}
	/DW_TAG_label/ { l = 1; nm = ""; next }
	/DW_TAG_/ { l = 0 }
	l && /DW_AT_name/ { nm = $NF }
	l && /DW_AT_low_pc/ { if (nm ~ /^L_/) printf "%d %s\n", hex($NF), substr(nm, 3); l = 0 }' |
	sort -n >"$labels"
# The load bias: where vm_run was called at run time less its symbol value.
vm_run=$(nm "$WRUN" 2>/dev/null | awk '$3 == "vm_run" { print "0x" $1; exit }')
if [ ! -s "$labels" ] || [ -z "$vm_run" ]; then
	echo "(no L_ labels or no vm_run symbol in $WRUN: needs the computed-goto build with -g)"
	exit 0
fi
awk -v vm_run="$vm_run" '
	function hex(s,    i, v) {
		v = 0; s = tolower(s); sub(/^0x/, "", s)
		for (i = 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v
	}
	# The last label at or below address a, or 0.
	function find(a,    lo, hi, mid) {
		if (n == 0 || a < addr[1]) return 0
		lo = 1; hi = n
		while (lo < hi) {
			mid = int((lo + hi + 1) / 2)
			if (addr[mid] <= a) lo = mid; else hi = mid - 1
		}
		return lo
	}
	FNR == NR { addr[++n] = $1 + 0; name[n] = $2; next }
	/^summary:/ { total = $2 }
	/^cfn=/ { cfn = substr($0, 5) }
	/^fn=/ { infn = $0 == "fn=vm_run"; skip = 0; next }
	# The line after calls= is the inclusive cost of a call: not this code.
	/^calls=/ { skip = 1; if (cfn == "vm_run" && bias == "") bias = hex($2) - hex(vm_run); next }
	infn && /^0x/ {
		if (skip) { skip = 0; next }
		pc[$1] += $NF
	}
	END {
		for (a in pc) {
			k = find(hex(a) - bias)
			if (k == 0) continue
			cost[k] += pc[a]
			if (hex(a) - bias == addr[k]) runs[k] += pc[a]
		}
		for (k = 1; k <= n; k++)
			if (cost[k] > 0)
				printf "%d\t%6.2f%%  %-24s %12d runs %6.1f Ir/run\n", cost[k],
					100 * cost[k] / total, name[k], runs[k], runs[k] ? cost[k] / runs[k] : 0
	}' "$labels" "$prof" | sort -g -r | cut -f2- | head -n "$top"
