#!/bin/sh
# components.sh B DIR [--verbose]: run the component model's reference
# scripts (DIR: component-model/test) with spectest. Scripts under async/
# and those listed in DIR/nyi.txt are not run, each named with the reason.
# The rest are converted by wast3json.py (the pinned jco encodes the text
# components) into B/specc-json, then run with `spectest --json`.
set -e
B=${1:?usage: components.sh BUILD_DIR TEST_DIR [--verbose]}
DIR=${2:?usage: components.sh BUILD_DIR TEST_DIR [--verbose]}
VERBOSE=${3:-}
jco=$(tests/spec3/jco.sh "$B")
out=$B/specc-json
rm -rf "$out"
mkdir -p "$out"
list=$out/scripts
: > "$list"
notrun=$out/not-run
: > "$notrun"
find "$DIR" -name '*.wast' | LC_ALL=C sort | while read -r f; do
	rel=${f#"$DIR"/}
	case "$rel" in
	async/*)
		echo "$rel: skipped (async is out of scope)" | tee -a "$notrun" ;;
	*)
		if [ -f "$DIR/nyi.txt" ] && grep -qxF "./$rel" "$DIR/nyi.txt"; then
			echo "$rel: skipped (listed in nyi.txt)" | tee -a "$notrun"
		else
			echo "$f" >> "$list"
		fi ;;
	esac
done
# shellcheck disable=SC2046
python3 tests/spec3/wast3json.py --jco "$jco" --out-dir "$out" $(cat "$list")
echo "$B/spectest --json $out $(tr '\n' ' ' < "$list")"
# The total counts each script not run as one skip.
# shellcheck disable=SC2046
"$B/spectest" $VERBOSE --json "$out" $(cat "$list") > "$out/log" && rc=0 || rc=$?
grep -v '^[0-9]* passed, [0-9]* failed, [0-9]* skipped$' "$out/log" || true
total=$(grep '^[0-9]* passed, [0-9]* failed, [0-9]* skipped$' "$out/log" | tail -1)
[ -n "$total" ] || { echo "components.sh: spectest gave no total" >&2; exit 1; }
echo "$total" | awk -v n="$(wc -l < "$notrun")" '{printf "%d passed, %d failed, %d skipped\n", $1, $3, $5 + n}'
exit "$rc"
