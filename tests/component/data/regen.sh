#!/bin/sh
# regen.sh JCO: re-encode the component test sources (link_*.wat) into the
# C headers test_link.c includes (link_*_wasm.h), with jco's text parser
# (tests/spec3/jco.sh installs it; JCO is its path).
set -e
JCO=${1:?usage: regen.sh JCO}
cd "$(dirname "$0")"
for f in link_*.wat; do
	b=${f%.wat}
	"$JCO" parse "$f" -o "$b.wasm"
	{
		echo "/* ${b}_wasm.h: tests/component/data/$f encoded by jco parse (regen.sh). */"
		xxd -i -n "${b}_wasm" "$b.wasm" | sed 's/^unsigned/static const unsigned/'
	} > "${b}_wasm.h"
	rm -f "$b.wasm"
done
# calc.wat: a binary for tests/component/invoke.sh.
"$JCO" parse calc.wat -o calc.wasm
