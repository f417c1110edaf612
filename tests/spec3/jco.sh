#!/bin/sh
# jco.sh [BUILD_DIR]: install the pinned @bytecodealliance/jco (whose bundled
# wasm-tools parser encodes the Wasm 3.0 text format) into BUILD_DIR/jco,
# unless it is already there, and print the path of its jco command.
# JCO_VERSION is the one place the version is pinned.
set -e
JCO_VERSION=1.35.0
B=${1:-build}
dir=$B/jco
bin=$dir/node_modules/.bin/jco
if [ ! -x "$bin" ] || [ "$(cat "$dir/.version" 2>/dev/null)" != "$JCO_VERSION" ]; then
	command -v npm >/dev/null || { echo "jco.sh: npm is needed to install jco" >&2; exit 1; }
	mkdir -p "$dir"
	npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
		"@bytecodealliance/jco@$JCO_VERSION" >&2
	echo "$JCO_VERSION" > "$dir/.version"
fi
echo "$(cd "$(dirname "$bin")" && pwd)/jco"
