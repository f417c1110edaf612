#!/bin/sh
# sqlite.sh: the SQLite acceptance test.
#
# A real program written for POSIX elsewhere, the SQLite shell, is built
# twice from the same amalgamation: natively with gcc and for wasm32-wasi
# with clang and wasi-libc. Both run tests/wasi/sqlite.sql on a database
# file; the wasm one under $WRUN $WRUN_FLAGS with the directory granted as
# /data. Their stdout, stderr and exit status must be identical, byte for
# byte, in each of these runs:
#
#   build      the first part of the script (up to "-- @reopen") creates,
#              fills and queries the database
#   reopen     the second part, in a new process, queries the same file
#   cross      the native shell reads the file the wasm shell wrote (and
#              the wasm shell the one the native shell wrote)
#   same-file  both database files are identical
#
# The sources come from the npm registry: `npm pack sqlite3` carries the
# amalgamation under deps/. They are cached in $B/sqlite/ (downloaded once,
# never committed) with both builds.
#
# Environment: WRUN (default build/wrun), WRUN_FLAGS, B (build dir), CC,
# CLANG, WASI_SYSROOT, SQLITE_NPM (npm spec, default "sqlite3"), NPM;
# JCO (a jco command): run the wasm shell as a WASI 0.2 component instead,
# wrapped with `jco new --wasi-command` (the shim then provides the
# cabi_realloc the preview1 adapter needs).
# Prints one line per check and ends with "N passed, N failed, N skipped";
# exits non-zero if a check failed.

WRUN=${WRUN:-build/wrun}
WRUN_FLAGS=${WRUN_FLAGS:-}
B=${B:-build}
CC=${CC:-gcc}
CLANG=${CLANG:-clang}
WASI_SYSROOT=${WASI_SYSROOT:-/usr}
SQLITE_NPM=${SQLITE_NPM:-sqlite3}
NPM=${NPM:-npm}
SRC=$(cd "$(dirname "$0")" && pwd)
SCRIPT=$SRC/sqlite.sql
D=$(mkdir -p "$B/sqlite" && cd "$B/sqlite" && pwd)
case $WRUN in /*) ;; */*) WRUN=$(pwd)/$WRUN ;; esac

pass=0 fail=0 skip=0

ok()   { pass=$((pass + 1)); echo "PASS $*"; }
bad()  { fail=$((fail + 1)); echo "FAIL $*"; }
miss() { skip=$((skip + 1)); echo "SKIP $*"; }

finish() {
	echo "$pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
	exit
}

# Skip every check (the sources or a compiler are not available).
skip_all() {
	echo "sqlite: $*" >&2
	for c in build reopen cross-native cross-wasm same-file; do
		miss "$c"
	done
	finish
}

now() { date +%s.%N; }
elapsed() { awk "BEGIN { printf \"%.2f\", $2 - $1 }"; }

# ---- fetch: the npm package, once -----------------------------------------

if ! ls "$D"/sqlite3-*.tgz >/dev/null 2>&1; then
	command -v "$NPM" >/dev/null 2>&1 || skip_all "npm not found; cannot fetch $SQLITE_NPM"
	echo "fetching $SQLITE_NPM with npm pack"
	(cd "$D" && "$NPM" pack --silent "$SQLITE_NPM" >"$D/npm-pack.log" 2>&1) ||
		skip_all "npm pack $SQLITE_NPM failed (see $D/npm-pack.log)"
fi
TGZ=$(ls "$D"/sqlite3-*.tgz | tail -n 1)

# ---- extract: the amalgamation from the package's deps/ ------------------

A=$D/src
if [ ! -f "$A/sqlite3.c" ] || [ ! -f "$A/shell.c" ] || [ ! -f "$A/sqlite3.h" ] ||
   [ "$TGZ" -nt "$A/sqlite3.c" ]; then
	rm -rf "$D/pkg" "$A"
	mkdir -p "$D/pkg" "$A"
	tar -xzf "$TGZ" -C "$D/pkg" || skip_all "cannot unpack $TGZ"
	# deps/ holds the amalgamation either as a tarball (sqlite-autoconf-*.tar.gz)
	# or already unpacked.
	for t in "$D"/pkg/package/deps/*.tar.gz; do
		[ -f "$t" ] && tar -xzf "$t" -C "$D/pkg/package/deps"
	done
	for f in sqlite3.c sqlite3.h shell.c; do
		p=$(find "$D/pkg/package/deps" -name "$f" -type f | head -n 1)
		[ -n "$p" ] || skip_all "no $f under deps/ in $TGZ"
		cp "$p" "$A/$f"
	done
	rm -rf "$D/pkg"
fi
VERSION=$(sed -n 's/^#define SQLITE_VERSION  *"\(.*\)"/\1/p' "$A/sqlite3.h")
echo "sqlite $VERSION from $(basename "$TGZ")"

# ---- build ----------------------------------------------------------------
#
# Both builds configure SQLite alike; SQLite itself needs nothing more for
# WASI (it recognises __wasi__: no threads, no mmap, no extension loading,
# and "unix-dotfile" locking, since WASI has no fcntl() locks).
#   -DSQLITE_THREADSAFE=0           the shell is single-threaded; what the
#                                   wasm build gets anyway
#   -DSQLITE_OMIT_LOAD_EXTENSION    no dlopen() in WASI; same for both
#   -DSQLITE_ENABLE_MATH_FUNCTIONS  sqrt(), sin(), ln()... (as the sqlite3
#                                   package's own build has them): exercises
#                                   libm on both sides
SQLITE_DEFS="-DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_ENABLE_MATH_FUNCTIONS"
#
# The shell (not the library) uses POSIX interfaces that wasi-libc lacks or
# only emulates on request:
#   -DSQLITE_NOHAVE_SYSTEM          no system(): drops .system, .shell, edit()
#                                   and opening results in a viewer
#   -D_WASI_EMULATED_SIGNAL         signal(SIGINT, ...) for Ctrl-C handling
#     -lwasi-emulated-signal
#   -D_WASI_EMULATED_PROCESS_CLOCKS getrusage() for .timer
#     -lwasi-emulated-process-clocks
#   -D_WASI_EMULATED_GETPID         getpid() for .stats (/proc/PID/io)
#     -lwasi-emulated-getpid
#   wasi-shim.c                     chmod() and realpath(), which wasi-libc
#                                   does not have at all (used by the fsdir
#                                   extension's writefile() and realpath()):
#                                   both fail with ENOTSUP
WASI_DEFS="-DSQLITE_NOHAVE_SYSTEM -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS -D_WASI_EMULATED_GETPID"
WASI_LIBS="-lwasi-emulated-signal -lwasi-emulated-process-clocks -lwasi-emulated-getpid"

cat >"$D/wasi-shim.h.new" <<'EOF'
/* Generated by tests/wasi/sqlite.sh: POSIX calls wasi-libc lacks. */
#include <sys/types.h>
int chmod(const char *path, mode_t mode);
char *realpath(const char *restrict path, char *restrict resolved);
EOF
cat >"$D/wasi-shim.c.new" <<'EOF'
/* Generated by tests/wasi/sqlite.sh: POSIX calls wasi-libc lacks; WASI
 * has no permission bits and no way to name the host path of a file. */
#include <errno.h>
#include <stddef.h>
#include "wasi-shim.h"
int chmod(const char *path, mode_t mode)
{
	(void)path;
	(void)mode;
	errno = ENOTSUP;
	return -1;
}
char *realpath(const char *restrict path, char *restrict resolved)
{
	(void)path;
	(void)resolved;
	errno = ENOTSUP;
	return NULL;
}
EOF
# For a component: the canonical ABI's allocator, which Debian's wasi-libc
# lacks; without it the preview1 adapter keeps its state in memory the
# program's heap later reuses.
if [ -n "${JCO:-}" ]; then
	cat >>"$D/wasi-shim.c.new" <<'EOF'
#include <stdlib.h>
__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size)
{
	(void)old_size;
	(void)align;
	return realloc(old, new_size);
}
EOF
fi
for f in wasi-shim.h wasi-shim.c; do
	if cmp -s "$D/$f.new" "$D/$f"; then rm -f "$D/$f.new"; else mv "$D/$f.new" "$D/$f"; fi
done

# stale TARGET DEPS...: whether TARGET is missing or older than a dependency.
stale() {
	t=$1
	shift
	[ -f "$t" ] || return 0
	for d in "$@"; do
		[ "$d" -nt "$t" ] && return 0
	done
	return 1
}

# stamp FILE TEXT: FILE holds TEXT, rewritten (made newer) only when TEXT
# changes; a build depends on the stamp of its command line.
stamp() {
	if [ "$(cat "$1" 2>/dev/null)" != "$2" ]; then
		printf '%s\n' "$2" >"$1"
	fi
}

NATIVE=$D/sqlite3.native
WASM=$D/sqlite3.wasm
SOURCES="$A/sqlite3.c $A/shell.c $A/sqlite3.h"
NCC="$CC -O2 $SQLITE_DEFS -I$A"
WCC="$CLANG --target=wasm32-wasi --sysroot=$WASI_SYSROOT -O2 $SQLITE_DEFS $WASI_DEFS -I$A"
stamp "$D/native.cmd" "$NCC -lm"
stamp "$D/wasm.cmd" "$WCC $WASI_LIBS -lm"

if stale "$NATIVE" $SOURCES "$D/native.cmd"; then
	echo "building $NATIVE"
	t0=$(now)
	$NCC -o "$NATIVE.tmp" "$A/shell.c" "$A/sqlite3.c" -lm >"$D/native.log" 2>&1 &&
		mv "$NATIVE.tmp" "$NATIVE" ||
		skip_all "native build failed (see $D/native.log)"
	echo "  $(elapsed "$t0" "$(now)") s"
fi
if stale "$WASM" $SOURCES "$D/wasm.cmd" "$D/wasi-shim.c" "$D/wasi-shim.h"; then
	echo "building $WASM"
	t0=$(now)
	# The shim's declarations go to shell.c alone: included first into
	# sqlite3.c they would fix libc's feature macros before SQLite sets its
	# own (and hide getpagesize(), which wasi-libc declares but lacks).
	{ $WCC -include "$D/wasi-shim.h" -c -o "$D/shell.wasm.o" "$A/shell.c" &&
	  $WCC -c -o "$D/sqlite3.wasm.o" "$A/sqlite3.c" &&
	  $WCC -c -o "$D/wasi-shim.wasm.o" "$D/wasi-shim.c" &&
	  $WCC -Wl,--strip-debug -o "$WASM.tmp" "$D/shell.wasm.o" "$D/sqlite3.wasm.o" \
		"$D/wasi-shim.wasm.o" $WASI_LIBS -lm; } >"$D/wasm.log" 2>&1 &&
		mv "$WASM.tmp" "$WASM" ||
		skip_all "wasm32-wasi build failed (see $D/wasm.log)"
	echo "  $(elapsed "$t0" "$(now)") s"
fi
[ -x "$WRUN" ] || skip_all "no wrun binary at $WRUN"
RUNWASM=$WASM
if [ -n "${JCO:-}" ]; then
	RUNWASM=$D/sqlite3.component.wasm
	if stale "$RUNWASM" "$WASM"; then
		"$JCO" new "$WASM" --wasi-command -o "$RUNWASM" >"$D/jco.log" 2>&1 ||
			skip_all "jco new failed (see $D/jco.log)"
	fi
	echo "as a component: $RUNWASM"
fi

# ---- run ------------------------------------------------------------------

R=$D/run
rm -rf "$R"
mkdir -p "$R/native" "$R/wasm" "$R/cross-native" "$R/cross-wasm"
sed -n '1,/^-- @reopen$/p' "$SCRIPT" >"$R/part1.sql"
sed -n '/^-- @reopen$/,$p' "$SCRIPT" >"$R/part2.sql"

# Each run: the shell reads the script on stdin (not a terminal, so no
# prompts, and errors go on), HOME points into the database directory so
# that no ~/.sqliterc of the user is read, TMPDIR there too for the
# temporary files of VACUUM and big sorts.

# native DIR NAME SCRIPT: run the native shell in DIR on DIR/test.db.
native() {
	(cd "$1" && HOME=$1 TMPDIR=$1 "$NATIVE" test.db <"$3" >"$R/$2.out" 2>"$R/$2.err"
	 echo $? >"$R/$2.code")
}

# wasm DIR NAME SCRIPT: the same under wrun, DIR granted as /data.
wasm() {
	# shellcheck disable=SC2086
	(cd "$1" && "$WRUN" $WRUN_FLAGS --dir "$1::/data" --env HOME=/data --env TMPDIR=/data \
		"$RUNWASM" /data/test.db <"$3" >"$R/$2.out" 2>"$R/$2.err"
	 echo $? >"$R/$2.code")
}

# same CHECK A B [DETAIL]: compare runs A and B (stdout, stderr, status).
same() {
	c=$1 a=$2 b=$3
	why=
	cmp -s "$R/$a.out" "$R/$b.out" || why="$why stdout"
	cmp -s "$R/$a.err" "$R/$b.err" || why="$why stderr"
	cmp -s "$R/$a.code" "$R/$b.code" || why="$why status"
	if [ -z "$why" ]; then
		ok "$c ($(wc -l <"$R/$a.out") lines$4)"
	else
		bad "$c: differs in$why"
		for s in out err; do
			cmp -s "$R/$a.$s" "$R/$b.$s" ||
				diff -u "$R/$a.$s" "$R/$b.$s" | head -n 20 | sed 's/^/    /'
		done
		echo "    status: $(cat "$R/$a.code") vs $(cat "$R/$b.code")"
	fi
}

t0=$(now)
native "$R/native" native1 "$R/part1.sql"
t1=$(now)
wasm "$R/wasm" wasm1 "$R/part1.sql"
t2=$(now)
# The native run must have done the work: said much, and on stderr only the
# error the script provokes (for which the shell exits with status 1).
if [ "$(grep -c . "$R/native1.out")" -lt 100 ] ||
   [ "$(wc -l <"$R/native1.err")" != 1 ] ||
   ! grep -q 'line [0-9]*: UNIQUE constraint failed: dept\.name' "$R/native1.err"; then
	bad "build: the native run went wrong (see $R/native1.out and .err)"
else
	same build native1 wasm1 ", native $(elapsed "$t0" "$t1") s, wasm $(elapsed "$t1" "$t2") s"
fi

# The database files before the reopen, for the cross runs and same-file.
for f in native wasm; do
	cp "$R/$f/test.db" "$R/${f}1.db" 2>/dev/null || : >"$R/${f}1.db"
done
cp "$R/native1.db" "$R/cross-wasm/test.db"
cp "$R/wasm1.db" "$R/cross-native/test.db"

t0=$(now)
native "$R/native" native2 "$R/part2.sql"
t1=$(now)
wasm "$R/wasm" wasm2 "$R/part2.sql"
t2=$(now)
if ! grep -q '^ok$' "$R/native2.out" || [ -s "$R/native2.err" ] ||
   [ "$(cat "$R/native2.code")" != 0 ]; then
	bad "reopen: the native run did not pass its integrity check (see $R/native2.out)"
else
	same reopen native2 wasm2 ", native $(elapsed "$t0" "$t1") s, wasm $(elapsed "$t1" "$t2") s"
fi

native "$R/cross-native" cross-native "$R/part2.sql"
same cross-native native2 cross-native ": native shell on the wasm-written file"
wasm "$R/cross-wasm" cross-wasm "$R/part2.sql"
same cross-wasm native2 cross-wasm ": wasm shell on the native-written file"

# Same script, same library, same page size: the files should not differ
# in a single byte, neither after the first part nor at the end.
why=
cmp -s "$R/native1.db" "$R/wasm1.db" || why="$why after-build"
cmp -s "$R/native/test.db" "$R/wasm/test.db" || why="$why after-reopen"
if [ -z "$why" ]; then
	ok "same-file ($(wc -c <"$R/wasm/test.db") bytes)"
else
	bad "same-file: the database files differ:$why"
	cmp "$R/native1.db" "$R/wasm1.db" 2>&1 | sed 's/^/    /'
fi

finish
