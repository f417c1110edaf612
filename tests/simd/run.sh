#!/bin/sh
# run.sh: SIMD guest programs. Every tests/simd/NAME.c is built for
# wasm32-wasi with clang -msimd128 -O2 and natively with gcc; the wasm runs
# under $WRUN and must print exactly what the native build prints. When
# wasm2wat is installed, the wasm must also contain SIMD instructions (so a
# compiler that stopped vectorising would not pass silently).
#
# Environment: WRUN (default build/wrun), WRUN_FLAGS, B (build dir), CLANG,
# WASI_SYSROOT, CC. Ends with "N passed, N failed, N skipped".

WRUN=${WRUN:-build/wrun}
WRUN_FLAGS=${WRUN_FLAGS:-}
B=${B:-build}
CLANG=${CLANG:-clang}
CC=${CC:-gcc}
WASI_SYSROOT=${WASI_SYSROOT:-/usr}
SRC=$(cd "$(dirname "$0")" && pwd)
OUT=$(mkdir -p "$B/simd-tests" && cd "$B/simd-tests" && pwd)

pass=0 fail=0 skip=0

# Count the SIMD instructions of a module (-1 if wasm2wat is missing).
simd_count() {
	command -v wasm2wat >/dev/null 2>&1 || { echo -1; return; }
	wasm2wat "$1" 2>/dev/null |
		grep -cE '(v128|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)\.'
}

for src in "$SRC"/*.c; do
	name=$(basename "$src" .c)
	log=$OUT/$name.log
	if ! "$CLANG" --target=wasm32-wasi --sysroot="$WASI_SYSROOT" -msimd128 -O2 \
		-o "$OUT/$name.wasm" "$src" 2>"$log"; then
		echo "skip $name: cannot build for wasm32-wasi (see $log)"
		skip=$((skip + 1))
		continue
	fi
	if ! $CC -O2 -o "$OUT/$name.native" "$src" -lm 2>>"$log"; then
		echo "FAIL $name: native build (see $log)"
		fail=$((fail + 1))
		continue
	fi
	n=$(simd_count "$OUT/$name.wasm")
	if [ "$n" = 0 ]; then
		echo "FAIL $name: no SIMD instruction in the wasm build"
		fail=$((fail + 1))
		continue
	fi
	"$OUT/$name.native" >"$OUT/$name.expected" 2>&1
	ncode=$?
	# shellcheck disable=SC2086
	"$WRUN" $WRUN_FLAGS "$OUT/$name.wasm" >"$OUT/$name.got" 2>&1
	wcode=$?
	if [ $ncode -eq $wcode ] && cmp -s "$OUT/$name.expected" "$OUT/$name.got"; then
		echo "pass $name ($n SIMD instructions)"
		pass=$((pass + 1))
	else
		echo "FAIL $name: status $wcode (native $ncode); diff:"
		diff "$OUT/$name.expected" "$OUT/$name.got" | head -n 20
		fail=$((fail + 1))
	fi
done

echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
