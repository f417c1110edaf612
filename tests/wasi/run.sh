#!/bin/sh
# run.sh: the WASI guest-program suite.
#
# Every tests/wasi/NAME.c is built with clang for wasm32-wasi and run under
# $WRUN $WRUN_FLAGS; its stdout must equal NAME.out, its stderr NAME.err
# (empty if absent) or match the extended regex in NAME.errpat, and its exit
# status NAME.code (0 if absent). Directives in the source, on lines
# starting with " *! ":
#   flags: ...   wrun options ($T is the test's scratch directory)
#   args: ...    guest arguments (shell words)
#   stdin: ...   text fed on a pipe (printf format)
#   setup: ...   shell commands run in $T before the test
#   native       also build with gcc, run in $T (same args, same stdin) and
#                require identical stdout, stderr and status; run the wasm
#                with stdout both to a pipe and to a file
#   merge        stderr goes to the same file/pipe as stdout
#   tcp: TEXT    start with --tcplisten on a free loopback port, connect,
#                send TEXT and expect it echoed back
#
# Environment: WRUN (default build/wrun), WRUN_FLAGS, B (build dir),
# CLANG, WASI_SYSROOT, TESTS (names to run, default all).
# Prints one line per test and ends with "N passed, N failed, N skipped".

WRUN=${WRUN:-build/wrun}
WRUN_FLAGS=${WRUN_FLAGS:-}
B=${B:-build}
CLANG=${CLANG:-clang}
WASI_SYSROOT=${WASI_SYSROOT:-/usr}
SRC=$(cd "$(dirname "$0")" && pwd)
OUT=$(mkdir -p "$B/wasi-tests" && cd "$B/wasi-tests" && pwd)
case $WRUN in /*) ;; */*) WRUN=$(pwd)/$WRUN ;; esac

pass=0 fail=0 skip=0

# directive NAME FILE: the text after " *! NAME:" (or "yes" for a flag).
directive() {
	sed -n "s/^ \*! $1: *//p; s/^ \*! $1\$/yes/p" "$2" | head -n 1
}

# Build NAME.wasm (and NAME.native when asked) if the source is newer.
build() {
	src=$SRC/$1.c
	if [ ! -f "$OUT/$1.wasm" ] || [ "$src" -nt "$OUT/$1.wasm" ] ||
	   [ "$SRC/common.h" -nt "$OUT/$1.wasm" ]; then
		"$CLANG" --target=wasm32-wasi --sysroot="$WASI_SYSROOT" -O2 -Wl,--strip-debug \
			-D_WASI_EMULATED_SIGNAL -o "$OUT/$1.wasm" "$src" -lwasi-emulated-signal \
			2>"$OUT/$1.build.log" || return 1
	fi
	if [ "$2" = yes ] && { [ ! -f "$OUT/$1.native" ] || [ "$src" -nt "$OUT/$1.native" ]; }; then
		${CC:-gcc} -O2 -o "$OUT/$1.native" "$src" 2>>"$OUT/$1.build.log" || return 1
	fi
	return 0
}

# Fresh scratch directory for one run, with the setup commands applied.
scratch() {
	rm -rf "$1"
	mkdir -p "$1"
	if [ -n "$setup" ]; then
		(cd "$1" && eval "$setup") || return 1
	fi
}

# run_one DIR MODE CMD...: run in DIR with stdin per directive (always on
# a pipe); MODE is "file" or "pipe" for stdout; results in $R.out $R.err
# $R.code.
run_one() {
	dir=$1 mode=$2
	shift 2
	if [ -n "$stdin" ]; then
		printf "$stdin" >"$R.in"
	else
		: >"$R.in"
	fi
	if [ "$merge" = yes ]; then
		if [ "$mode" = pipe ]; then
			cat "$R.in" | ( cd "$dir" && "$@" 2>&1; echo $? >"$R.code" ) | cat >"$R.out"
		else
			cat "$R.in" | ( cd "$dir" && "$@" >"$R.out" 2>&1; echo $? >"$R.code" )
		fi
		: >"$R.err"
	elif [ "$mode" = pipe ]; then
		cat "$R.in" | ( cd "$dir" && "$@" 2>"$R.err"; echo $? >"$R.code" ) | cat >"$R.out"
	else
		cat "$R.in" | ( cd "$dir" && "$@" >"$R.out" 2>"$R.err"; echo $? >"$R.code" )
	fi
}

# check NAME LABEL: compare $R.* with the expectations; sets $why.
check() {
	want_code=0
	[ -f "$SRC/$1.code" ] && want_code=$(cat "$SRC/$1.code")
	if ! cmp -s "$R.out" "$SRC/$1.out"; then
		why="$2: stdout differs (diff $SRC/$1.out $R.out)"
		return 1
	fi
	if [ -f "$SRC/$1.errpat" ]; then
		if ! grep -Eq "$(cat "$SRC/$1.errpat")" "$R.err"; then
			why="$2: stderr does not match $1.errpat: $(head -c 200 "$R.err")"
			return 1
		fi
	elif [ -f "$SRC/$1.err" ]; then
		cmp -s "$R.err" "$SRC/$1.err" || { why="$2: stderr differs"; return 1; }
	elif [ -s "$R.err" ]; then
		why="$2: unexpected stderr: $(head -c 200 "$R.err")"
		return 1
	fi
	if [ "$(cat "$R.code")" != "$want_code" ]; then
		why="$2: exit status $(cat "$R.code"), want $want_code"
		return 1
	fi
	return 0
}

# A free TCP port on loopback.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# The TCP test: guest in the background, a client that sends and reads.
run_tcp() {
	port=$(free_port)
	: >"$R.in"
	( cd "$T" && eval "\"\$WRUN\" $WRUN_FLAGS --tcplisten 127.0.0.1:$port $flags \
		\"\$OUT/\$1.wasm\" $args" <"$R.in" >"$R.out" 2>"$R.err"; echo $? >"$R.code" ) &
	gpid=$!
	reply=$(python3 - "$port" "$tcp" <<'PY'
import socket, sys, time
port, msg = int(sys.argv[1]), sys.argv[2].encode()
for _ in range(100):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        break
    except OSError:
        time.sleep(0.05)
else:
    sys.exit("cannot connect")
s.sendall(msg)
s.shutdown(socket.SHUT_WR)
data = b""
while True:
    b = s.recv(4096)
    if not b:
        break
    data += b
sys.stdout.write(data.decode())
PY
)
	wait $gpid
	if [ "$reply" != "$tcp" ]; then
		why="echo: got '$reply'"
		return 1
	fi
	check "$1" tcp
}

# One test: build, run the wasm (and the native build), compare.
run_test() {
	name=$1 src=$SRC/$1.c
	flags=$(directive flags "$src")
	args=$(directive args "$src")
	stdin=$(directive stdin "$src")
	setup=$(directive setup "$src")
	native=$(directive native "$src")
	merge=$(directive merge "$src")
	tcp=$(directive tcp "$src")
	T=$OUT/tmp/$name
	R=$OUT/$name.result
	why=
	if ! build "$name" "$native"; then
		echo "FAIL $name: build failed (see $OUT/$name.build.log)"
		fail=$((fail + 1))
		return
	fi
	if [ -n "$tcp" ]; then
		scratch "$T" && run_tcp "$name" && ok=1 || ok=0
	else
		ok=1
		for mode in file pipe; do
			scratch "$T" || { why="setup failed"; ok=0; break; }
			eval "run_one \"\$T\" $mode \"\$WRUN\" $WRUN_FLAGS $flags \"\$OUT/\$name.wasm\" $args"
			check "$name" "wasm, stdout to $mode" || { ok=0; break; }
			[ "$native" = yes ] || break
		done
		if [ $ok = 1 ] && [ "$native" = yes ]; then
			scratch "$T" || { why="setup failed"; ok=0; }
			eval "run_one \"\$T\" file \"\$OUT/\$name.native\" $args"
			check "$name" "native build" || ok=0
		fi
	fi
	if [ $ok = 1 ]; then
		echo "PASS $name"
		pass=$((pass + 1))
	else
		echo "FAIL $name: $why"
		fail=$((fail + 1))
	fi
}

if ! "$CLANG" --version >/dev/null 2>&1 || [ ! -f "$WASI_SYSROOT/lib/wasm32-wasi/libc.a" ]; then
	for f in "$SRC"/*.c; do
		echo "SKIP $(basename "$f" .c): no clang or wasi-libc"
		skip=$((skip + 1))
	done
else
	for f in "$SRC"/*.c; do
		name=$(basename "$f" .c)
		if [ -n "$TESTS" ]; then
			case " $TESTS " in *" $name "*) ;; *) continue ;; esac
		fi
		if [ -n "$(directive tcp "$f")" ] && ! command -v python3 >/dev/null; then
			echo "SKIP $name: no python3 for the TCP client"
			skip=$((skip + 1))
			continue
		fi
		run_test "$name"
	done
fi
echo "$pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
