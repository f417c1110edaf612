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
find "$DIR" -name '*.wast' | LC_ALL=C sort | while read -r f; do
	rel=${f#"$DIR"/}
	case "$rel" in
	async/*)
		echo "$rel: not run (async is out of scope)" ;;
	*)
		if [ -f "$DIR/nyi.txt" ] && grep -qxF "./$rel" "$DIR/nyi.txt"; then
			echo "$rel: not run (listed in nyi.txt)"
		else
			echo "$f" >> "$list"
		fi ;;
	esac
done
# shellcheck disable=SC2046
python3 tests/spec3/wast3json.py --jco "$jco" --out-dir "$out" $(cat "$list")
echo "$B/spectest --json $out $(tr '\n' ' ' < "$list")"
# shellcheck disable=SC2046
exec "$B/spectest" $VERBOSE --json "$out" $(cat "$list")
