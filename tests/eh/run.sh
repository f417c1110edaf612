#!/bin/sh
# run.sh: exception handling end to end, in the sandbox and out of it.
#
#   tests/eh/run.sh WRUN [BUILD_DIR]
#
# eh_legacy.wat (try/catch/catch_all/rethrow/delegate, what clang
# -fwasm-exceptions emits for C++) is assembled with wat2wasm; eh_table.wat
# (the same program with try_table and throw_ref) with the jco that
# `make spec3` installs in BUILD_DIR/jco, when it is there (else skipped:
# Debian's wat2wasm cannot read try_table). Each must print expected.txt at
# --sandbox=none and at --sandbox=full. An uncaught exception is a trap
# ("uncaught exception", exit 134); a handler that loops back to a loop
# head still runs out of fuel. throw.cpp, C++ with exceptions, is compiled
# with clang++-19 -fwasm-exceptions and compared with the native build's
# output when the wasm32 C++ runtime supports exceptions (skipped with the
# reason otherwise); sjlj.c, C whose setjmp/longjmp clang-19 compiles to
# exceptions (-mllvm -wasm-enable-sjlj), likewise. tags.wast links tags
# between instances through spectest's registrations. Ends with "N passed, N failed, N skipped".
set -u
BIN=${1:-build/wrun}
B=${2:-build}
SRC=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0 skip=0
WORK=$(mktemp -d /tmp/wrun-eh.XXXXXX) || exit 1
trap 'rm -rf "$WORK"' EXIT INT TERM

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
skipped() { skip=$((skip + 1)); echo "skip $1"; }

# run NAME WANT-STATUS WANT-STDOUT-FILE STDERR-PATTERN WRUN-ARGS...
run() {
	name=$1 want=$2 out=$3 pat=$4
	shift 4
	"$BIN" "$@" >"$WORK/out" 2>"$WORK/err"
	code=$?
	if [ "$code" = "$want" ] && { [ -z "$out" ] || cmp -s "$out" "$WORK/out"; } &&
	   { [ -z "$pat" ] || grep -q -- "$pat" "$WORK/err"; }; then
		ok "$name"
	else
		bad "$name: exit $code (want $want), stdout '$(head -c 200 "$WORK/out")', stderr '$(head -c 300 "$WORK/err")'"
	fi
}

# The cases of one module (its name and file).
cases() {
	m=$1 wasm=$2
	for level in none full; do
		run "$m-$level" 0 "$SRC/expected.txt" "" --sandbox=$level "$wasm"
	done
	run "$m-uncaught" 134 "" "uncaught exception" --sandbox=none --invoke uncaught "$wasm"
	run "$m-uncaught-full" 134 "" "uncaught exception" --sandbox=full --invoke uncaught "$wasm"
	run "$m-fuel" 137 "" "fuel exhausted" --sandbox=none --fuel=100000 "$wasm"
}

if wat2wasm --enable-exceptions -o "$WORK/eh_legacy.wasm" "$SRC/eh_legacy.wat"; then
	cases legacy "$WORK/eh_legacy.wasm"
else
	bad "legacy: wat2wasm cannot assemble eh_legacy.wat"
fi

JCO=$B/jco/node_modules/.bin/jco
if [ -x "$JCO" ]; then
	if "$JCO" parse "$SRC/eh_table.wat" -o "$WORK/eh_table.wasm" >/dev/null 2>&1; then
		cases table "$WORK/eh_table.wasm"
	else
		bad "table: jco cannot assemble eh_table.wat"
	fi
else
	skipped "table: no $JCO to assemble try_table (make spec3 installs it)"
fi

# Tag linking between instances (tags.wast), through spectest's registered
# modules; converted by tests/spec3/wast3json.py with the same jco.
if [ -x "$JCO" ] && [ -x "$B/spectest" ] && command -v python3 >/dev/null; then
	if python3 "$SRC/../spec3/wast3json.py" --jco "$JCO" --out-dir "$WORK/json" \
			"$SRC/tags.wast" >"$WORK/conv.log" 2>&1 &&
	   "$B/spectest" --verbose --json "$WORK/json" "$SRC/tags.wast" >"$WORK/tags.log" 2>&1 &&
	   grep -q '^tags.wast: [1-9][0-9]* passed, 0 failed' "$WORK/tags.log"; then
		ok "$(grep '^tags.wast:' "$WORK/tags.log")"
	else
		bad "tags.wast: $(grep -v '^[0-9]* passed' "$WORK/tags.log" "$WORK/conv.log" | head -5)"
	fi
else
	skipped "tags.wast: needs $JCO, $B/spectest and python3"
fi

# C with setjmp/longjmp, which clang lowers to wasm exceptions: the native
# build's output is the reference.
WCC=${CC_WASM:-clang-19}
if ! command -v "$WCC" >/dev/null || ! command -v gcc >/dev/null; then
	skipped "setjmp/longjmp: $WCC or gcc missing"
elif ! "$WCC" --target=wasm32-wasi --sysroot=/usr -O2 -fwasm-exceptions -mllvm -wasm-enable-sjlj \
		-I"$SRC/include" -o "$WORK/sjlj.wasm" "$SRC/sjlj.c" "$SRC/sjlj_rt.c" >"$WORK/cc.log" 2>&1; then
	skipped "setjmp/longjmp: $WCC cannot build sjlj.c for wasm32-wasi: $(head -c 200 "$WORK/cc.log")"
else
	gcc -O2 -o "$WORK/sjlj" "$SRC/sjlj.c" && "$WORK/sjlj" >"$WORK/sjlj.native"
	for level in none full; do
		run "setjmp-longjmp-$level" 0 "$WORK/sjlj.native" "" --sandbox=$level "$WORK/sjlj.wasm"
	done
fi

# C++: native output is the reference.
CXX=${CXX_WASM:-clang++-19}
if ! command -v "$CXX" >/dev/null || ! command -v g++ >/dev/null; then
	skipped "c++: $CXX or g++ missing"
elif ! "$CXX" --target=wasm32-wasi -fwasm-exceptions -O2 -o "$WORK/throw.wasm" \
		"$SRC/throw.cpp" >"$WORK/cxx.log" 2>&1; then
	skipped "c++: $CXX --target=wasm32-wasi -fwasm-exceptions does not link ($(grep -o 'undefined symbol: [^ ]*' "$WORK/cxx.log" | head -1)): the wasm32 C++ runtime has no exception support"
else
	g++ -O2 -o "$WORK/throw" "$SRC/throw.cpp" && "$WORK/throw" >"$WORK/throw.native"
	for level in none full; do
		run "c++-$level" 0 "$WORK/throw.native" "" --sandbox=$level "$WORK/throw.wasm"
	done
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
