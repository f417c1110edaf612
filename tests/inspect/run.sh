#!/bin/sh
# run.sh WRUN [BUILD_DIR]: wrun inspect at --sandbox=none, seccomp and full, on the
# bundled examples, a component the preview1 adapter wraps (the checked-in
# one, and one jco wraps now when the pinned jco can be had), a component
# without the adapter, a module with odd names, and malformed files: the
# text output's content, the --json output read back by python3's json
# module (check.py), exit codes and messages.
# Ends with `N passed, N failed, N skipped`.
W=${1:-build/wrun}
B=${2:-build}
T=tests/inspect
out=$B/inspect
mkdir -p "$out"
pass=0 fail=0 skip=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# has NAME FILE TEXT...: the file holds every line TEXT (fixed strings).
has() {
	name=$1 file=$2
	shift 2
	for t in "$@"; do
		if ! grep -qxF -- "$t" "$file"; then
			bad "$name: no line '$t' in:"
			sed 's/^/	/' "$file"
			return
		fi
	done
	ok
}

# run_ok NAME OUT ARGS...: wrun inspect ARGS exits 0 with nothing on stderr.
run_ok() {
	name=$1 o=$2
	shift 2
	"$W" inspect "$@" >"$o" 2>"$o.err"
	rc=$?
	if [ $rc -ne 0 ] || [ -s "$o.err" ]; then
		bad "$name: exit $rc"
		sed 's/^/	/' "$o.err"
		return 1
	fi
	return 0
}

# json NAME KIND ARGS...: --json output passes check.py KIND.
json() {
	name=$1 kind=$2
	shift 2
	run_ok "$name" "$out/$name.json" --json "$@" || return
	if python3 $T/check.py "$kind" "$out/$name.json"; then ok; else bad "$name"; fi
}

# refused NAME CODE MESSAGE ARGS...: exit CODE, stderr MESSAGE, no stdout.
refused() {
	name=$1 code=$2 msg=$3
	shift 3
	"$W" inspect "$@" >"$out/$name.out" 2>"$out/$name.err"
	rc=$?
	if [ $rc -ne "$code" ] || ! grep -qF -- "$msg" "$out/$name.err" || [ -s "$out/$name.out" ]; then
		bad "$name: exit $rc (want $code), stderr:"
		sed 's/^/	/' "$out/$name.err"
	else
		ok
	fi
}

python3 $T/odd.py "$out/odd.wasm"
head -c 30 examples/hello.wasm >"$out/trunc.wasm"
printf 'not a module' >"$out/junk.wasm"
: >"$out/empty.wasm"
head -c 200 tests/component/data/hello.component.wasm >"$out/ctrunc.wasm"
wrapped=
if jco=$(tests/spec3/jco.sh "$B" 2>"$out/jco.log") &&
	"$jco" new examples/hello.wasm --wasi-command -o "$out/hello.component.wasm" \
		>>"$out/jco.log" 2>&1; then
	wrapped=$out/hello.component.wasm
else
	echo "skip: jco could not wrap examples/hello.wasm (see $out/jco.log)"
fi

for lv in none seccomp full; do
	S=--sandbox=$lv
	if run_ok hello-$lv "$out/hello-$lv.txt" $S examples/hello.wasm; then
		has hello-$lv "$out/hello-$lv.txt" "examples/hello.wasm: core module" \
			"wasi_snapshot_preview1 imports:" \
			"  files: fd_close, fd_fdstat_get, fd_seek, fd_write" \
			"  process: args_get, args_sizes_get, proc_exit" \
			"other imports: none" \
			"memory: memory exported, 2 pages initial, no maximum" \
			"  _start (func)" "entry: _start"
	fi
	json hello-$lv module_hello $S examples/hello.wasm
	if run_ok fib-$lv "$out/fib-$lv.txt" $S examples/fib.wasm; then
		has fib-$lv "$out/fib-$lv.txt" "wasi_snapshot_preview1 imports: none" \
			"  fib (func)" "entry: none"
	fi
	json fib-$lv module_fib $S examples/fib.wasm
	for c in tests/component/data/hello.component.wasm $wrapped; do
		n=comp-$lv-$(basename "$(dirname "$c")")
		if run_ok "$n" "$out/$n.txt" $S "$c"; then
			has "$n" "$out/$n.txt" "$c: component" \
				"  wasi:cli/environment@0.2.12 (instance)" \
				"    functions: get-arguments" \
				"  wasi:io/streams@0.2.12 (instance)" \
				"    resources: output-stream, input-stream" \
				"    uses resources: error" \
				"  wasi:cli/run@0.2.12 (instance)" \
				"    functions: run" \
				"preview1 adapter: yes" \
				"  files: fd_close, fd_fdstat_get, fd_seek, fd_write"
		fi
		json "$n" component $S "$c"
	done
	if run_ok calc-$lv "$out/calc-$lv.txt" $S tests/component/data/calc.wasm; then
		has calc-$lv "$out/calc-$lv.txt" "preview1 adapter: no" \
			"wasi_snapshot_preview1 imports: none"
	fi
	json calc-$lv native $S tests/component/data/calc.wasm
	if run_ok odd-$lv "$out/odd-$lv.txt" $S "$out/odd.wasm"; then
		has odd-$lv "$out/odd-$lv.txt" 'other imports:' \
			'  env"\x5c.x\x1b[31m\xc3\xa9 (func)'
	fi
	json odd-$lv odd $S "$out/odd.wasm"
	refused trunc-$lv 1 "trunc.wasm: length out of bounds at offset 9" $S "$out/trunc.wasm"
	refused junk-$lv 1 "junk.wasm: magic header not detected at offset 0" $S "$out/junk.wasm"
	refused ctrunc-$lv 1 "ctrunc.wasm: unexpected end-of-file at offset 188" $S "$out/ctrunc.wasm"
	refused missing-$lv 1 "No such file or directory" $S "$out/missing.wasm"
	refused empty-$lv 1 "empty.wasm: empty file" $S "$out/empty.wasm"
done
# Options after the file, and a file after "--".
if run_ok after "$out/after.json" examples/hello.wasm --json --sandbox=full; then
	if python3 $T/check.py module_hello "$out/after.json"; then ok; else bad after; fi
fi
if run_ok dashdash "$out/dashdash.txt" --sandbox=full -- examples/fib.wasm; then
	has dashdash "$out/dashdash.txt" "examples/fib.wasm: core module"
fi
refused nofile 2 "no file given"
refused twofiles 2 "one file only" examples/hello.wasm examples/fib.wasm
refused badopt 2 "unknown option --fuel=9" --fuel=9 examples/hello.wasm
refused badlevel 2 "--sandbox: unknown level 'x'" --sandbox=x examples/hello.wasm
[ -n "$wrapped" ] || skip=$((skip + 2))
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
