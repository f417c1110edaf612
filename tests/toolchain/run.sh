#!/bin/sh
# run.sh B: Wasm 3.0 features as a real toolchain emits them. tailcall.c
# with clang-19 -mtail-call (return_call, return_call_indirect), relaxed.c
# with -mrelaxed-simd (relaxed SIMD intrinsics); each must hold the
# instructions (wasm-objdump), and print at --sandbox=none, seccomp and full
# exactly what the native build prints. Ends with "N passed, N failed, N skipped".
B=${1:-build}
W=$B/wrun
D=$B/toolchain
WCC=${CC_WASM:-clang-19}
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
mkdir -p "$D"
if ! command -v "$WCC" >/dev/null || ! command -v clang >/dev/null || ! command -v wasm-objdump >/dev/null; then
	echo "skip: needs $WCC, clang and wasm-objdump"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
check() { # NAME FLAGS OPCODE
	name=$1 flags=$2 op=$3
	if ! $WCC --target=wasm32-wasi --sysroot=/usr -O2 $flags -o "$D/$name.wasm" "tests/toolchain/$name.c" ||
	   ! clang -O2 -o "$D/$name" "tests/toolchain/$name.c"; then
		bad "$name: does not build"; return
	fi
	n=$(wasm-objdump -d "$D/$name.wasm" | grep -c "$op")
	[ "$n" -gt 0 ] && ok "$name: $n $op instructions" || bad "$name: no $op instruction emitted"
	"$D/$name" > "$D/$name.native"
	for level in none seccomp full; do
		if "$W" --sandbox=$level "$D/$name.wasm" > "$D/$name.$level" 2>&1 &&
		   cmp -s "$D/$name.native" "$D/$name.$level"; then
			ok "$name at --sandbox=$level: same output as native"
		else
			bad "$name at --sandbox=$level"; diff "$D/$name.native" "$D/$name.$level" | head -5
		fi
	done
}
check tailcall "-mtail-call" return_call
check relaxed "-msimd128 -mrelaxed-simd" relaxed
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
