#!/bin/sh
# compare.sh [FILE.wast...]: run spectest on the same Wasm 2.0 scripts
# converted by wast2json and by wast3json.py, and print both counts per
# script; exits 1 if any differ. Without arguments, a handful of scripts of
# SPEC (../shared/spec/wast). B is the build directory (build).
set -e
B=${B:-build}
SPEC=${SPEC:-../shared/spec/wast}
[ $# -gt 0 ] || set -- $(for f in i32 f32 memory br_table simd_lane names binary select inline-module; do
	echo "$SPEC/$f.wast"; done)
jco=$(tests/spec3/jco.sh "$B")
w2=$B/spec3-compare/wast2json w3=$B/spec3-compare/wast3json
rm -rf "$B/spec3-compare" && mkdir -p "$w2" "$w3"
python3 tests/spec3/wast3json.py --jco "$jco" --out-dir "$w3" "$@"
"$B/spectest" --work "$w2" "$@" > "$w2.out" || true
"$B/spectest" --json "$w3" "$@" > "$w3.out" || true
# The summary lines: "<script>.wast: counts" and the total.
sum() { grep -E '^[^ ].*\.wast: |^[0-9]+ passed' "$1"; }
sum "$w2.out" > "$w2.sum"; sum "$w3.out" > "$w3.sum"
printf '%-24s %-34s %s\n' script wast2json wast3json
while IFS= read -r a; do
	case $a in
	*.wast:*) name=${a%%:*} ca=${a#*: } cb=$(grep -F "$name: " "$w3.sum" | head -n 1); cb=${cb#*: } ;;
	*) name=total ca=$a cb=$(tail -n 1 "$w3.sum") ;;
	esac
	mark=; [ "$ca" = "$cb" ] || mark='  <- differs'
	printf '%-24s %-34s %s%s\n' "$name" "$ca" "$cb" "$mark"
done < "$w2.sum"
cmp -s "$w2.sum" "$w3.sum"
