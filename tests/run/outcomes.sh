#!/bin/sh
# tests/run/outcomes.sh: every way a run can end reads the same at every
# level.
#
#   tests/run/outcomes.sh WRUN
#
# Runs each case at --sandbox=none, seccomp and full and requires the same
# exit status and the same stderr, byte for byte, at all three (and that
# status to be the documented one): a trap, fuel running out, a timeout,
# the initial memory over --max-memory, --max-output, --max-open, a module
# without _start, a malformed module, a missing file, an empty file, --invoke with a bad
# name and with bad arguments, and a guest's own exit code.
# Ends with "N passed, N failed, N skipped".
set -u
BIN=${1:-build/wrun}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
CLANG=${CLANG:-clang}
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
ko() { fail=$((fail + 1)); echo "FAIL $*"; }

W=$(mktemp -d /tmp/wrun-outcomes.XXXXXX) || exit 1
trap 'rm -rf "$W"' EXIT INT TERM
cd "$W" || exit 1

cat >trap.c <<'EOF'
int main(void) { __builtin_trap(); }
EOF
cat >spin.c <<'EOF'
int main(void) { for (volatile unsigned long i = 0;; i++) ; }
EOF
cat >out.c <<'EOF'
#include <stdio.h>
int main(void) { for (int i = 0; i < 100000; i++) printf("line %d\n", i); return 0; }
EOF
cat >opens.c <<'EOF'
#include <fcntl.h>
#include <stdio.h>
int main(void)
{
	for (int i = 0; i < 100; i++) {
		char name[32];
		snprintf(name, sizeof(name), "d/f%d", i);
		if (open(name, O_CREAT | O_WRONLY, 0644) < 0)
			return 1;
	}
	return 0;
}
EOF
cat >exit7.c <<'EOF'
#include <stdlib.h>
int main(void) { exit(7); }
EOF
for g in trap spin out opens exit7; do
	"$CLANG" --target=wasm32-wasi --sysroot=/usr -O2 -o $g.wasm $g.c 2>$g.log ||
		{ echo "cannot build $g:"; cat $g.log; }
done
printf '(module (memory (export "memory") 100) (func (export "_start")))' >big.wat
printf '(module (func (export "f") (param i32) (result i32) local.get 0))' >nostart.wat
wat2wasm big.wat && wat2wasm nostart.wat || echo "wat2wasm failed"
printf '\0asm\1\0\0\0\5' >bad.wasm
: >empty.wasm
chmod 755 "$W"
mkdir d

# case NAME STATUS ARGS...: the same status and stderr at every level.
case_() {
	name=$1 want=$2
	shift 2
	for l in none seccomp full; do
		rm -rf d && mkdir d
		"$BIN" --sandbox=$l "$@" >/dev/null 2>"err.$l" </dev/null
		echo $? >"code.$l"
	done
	got=$(cat code.none)
	if [ "$got" != "$want" ]; then
		ko "$name: status $got at none, want $want: $(cat err.none)"
	elif ! cmp -s code.none code.seccomp || ! cmp -s code.none code.full; then
		ko "$name: status none $got, seccomp $(cat code.seccomp), full $(cat code.full)"
	elif ! cmp -s err.none err.seccomp || ! cmp -s err.none err.full; then
		ko "$name: stderr differs:"
		for l in none seccomp full; do echo "  $l: $(cat err.$l)"; done
	else
		ok "$name: $want, '$(head -c 200 err.none)'"
	fi
}

case_ "trap" 134 trap.wasm
case_ "fuel" 137 --fuel 100000 spin.wasm
case_ "timeout" 124 --timeout 300ms spin.wasm
case_ "memory limit" 151 --max-memory 1M big.wasm
case_ "output limit" 153 --max-output 1000 out.wasm
case_ "open limit" 152 --dir d --max-open 10 opens.wasm
case_ "no _start" 1 nostart.wasm
case_ "bad module" 1 bad.wasm
case_ "missing module" 1 missing.wasm
case_ "empty module file" 1 empty.wasm
case_ "--invoke, no such export" 1 --invoke g nostart.wasm
case_ "--invoke, bad arguments" 2 --invoke f nostart.wasm 1 2
case_ "--invoke, results" 0 --invoke f nostart.wasm 5
case_ "guest exit code" 7 exit7.wasm
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
