#!/bin/sh
# adapter.sh B: the preview1 adapter. Builds tests/component/adapter.c for
# wasm32-wasi (with clang, when it can), wraps it and examples/hello.wasm
# into components with `jco new --wasi-command` (the pinned jco, installed
# by tests/spec3/jco.sh; its bundled adapter), and runs adapter_check on
# them: they decode, validate and instantiate with every wasi: function
# trapping. Ends with `N passed, N failed, N skipped`.
set -e
B=${1:-build}
out=$B/adapter
mkdir -p "$out"
if ! jco=$(tests/spec3/jco.sh "$B"); then
	echo "skip: jco could not be installed (npm)"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
files=
skipped=0
"$jco" new examples/hello.wasm --wasi-command -o "$out/hello.component.wasm"
files="$out/hello.component.wasm"
if clang --target=wasm32-wasi -O2 -o "$out/adapter.wasm" tests/component/adapter.c 2>"$out/clang.log"; then
	"$jco" new "$out/adapter.wasm" --wasi-command -o "$out/adapter.component.wasm"
	files="$files $out/adapter.component.wasm"
else
	echo "skip: clang --target=wasm32-wasi failed (see $out/clang.log)"
	skipped=1
fi
# shellcheck disable=SC2086
"$B/adapter_check" $files | tee "$out/check.log" | sed '$d'
tail -n 1 "$out/check.log" | awk -v s=$skipped '{ print $1, $2, $3, $4, $5 + s, $6; exit ($3 > 0) }'
