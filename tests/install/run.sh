#!/bin/sh
# tests/install/run.sh: `make install` into a scratch DESTDIR, then use
# what was installed and nothing else.
#
#   - the installed wrun runs examples/hello.wasm and is stripped; wrun-oci
#     is beside it;
#   - wrun.h, libwrun.a, libwrun.so (with its versioned soname) and wrun.pc
#     are where pkg-config says;
#   - examples/embed.c builds against them with pkg-config alone (no -I or
#     -L into the checkout), linked statically and dynamically, and runs a
#     module that calls back into a host function;
#   - the shared library exports the wr_ API only;
#   - `make uninstall` removes every installed file.
# Ends with "N passed, N failed, N skipped".
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-build}
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
ko() { fail=$((fail + 1)); echo "FAIL $*"; }

WORK=$(mktemp -d /tmp/wrun-install.XXXXXX) || exit 1
trap 'rm -rf "$WORK"' EXIT INT TERM
D=$WORK/dest
PREFIX=/opt/wrun-test
cd "$ROOT" || exit 1

if make --no-print-directory B="$B" DESTDIR="$D" PREFIX="$PREFIX" install >"$WORK/install.log" 2>&1; then
	ok "make install"
else
	ko "make install"; cat "$WORK/install.log"
	echo "$pass passed, $fail failed, $skip skipped"; exit 1
fi

P=$D$PREFIX
for f in bin/wrun bin/wrun-oci include/wrun.h lib/libwrun.a lib/pkgconfig/wrun.pc \
	share/man/man1/wrun.1 share/man/man7/wrun-sandbox.7 share/man/man8/wrun-oci.8; do
	[ -f "$P/$f" ] && ok "installed $f" || ko "installed $f: missing"
done
if readelf -S "$P/bin/wrun" | grep -q '\.symtab'; then ko "wrun stripped"; else ok "wrun stripped"; fi
out=$("$P/bin/wrun" examples/hello.wasm install 2>&1)
case $out in *"Hello, install"*) ok "installed wrun runs hello.wasm" ;;
	*) ko "installed wrun runs hello.wasm: $out" ;; esac
case $("$P/bin/wrun-oci" --version 2>&1) in "wrun-oci version "*) ok "installed wrun-oci runs" ;;
	*) ko "installed wrun-oci runs" ;; esac

soname=$(readelf -d "$P/lib/libwrun.so" 2>/dev/null | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
case $soname in libwrun.so.[0-9]*)
	[ -e "$P/lib/$soname" ] && ok "soname $soname installed" || ko "soname $soname: no such file" ;;
	*) ko "libwrun.so has no versioned soname ($soname)" ;; esac
extra=$(nm -D --defined-only "$P/lib/libwrun.so" | awk '$2 == "T" && $3 !~ /^wr_/ { print $3 }')
[ -z "$extra" ] && ok "libwrun.so exports wr_ only" || ko "libwrun.so also exports: $extra"

# pkg-config sees the DESTDIR tree as its root.
export PKG_CONFIG_PATH="$P/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$D" PKG_CONFIG_LIBDIR=""
cflags=$(pkg-config --cflags wrun) && libs=$(pkg-config --libs wrun) &&
	slibs=$(pkg-config --static --libs wrun) || { ko "pkg-config wrun"; cflags=; libs=; slibs=; }
case "$cflags $libs" in *"$ROOT"*) ko "pkg-config points into the checkout" ;; esac

# A module importing env.print, exporting run(n): prints n, returns fib(n).
cat >"$WORK/host.wat" <<'EOF'
(module
  (import "env" "print" (func $print (param i32)))
  (func $fib (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func (export "run") (param $n i32) (result i32)
    (call $print (local.get $n))
    (call $fib (local.get $n))))
EOF
wat2wasm -o "$WORK/host.wasm" "$WORK/host.wat" || ko "wat2wasm host.wat"

# Only the installed files: copy embed.c out of the checkout first.
cp examples/embed.c "$WORK/embed.c"
cd "$WORK" || exit 1
# shellcheck disable=SC2086
if cc -Wall -Wextra -Werror -o embed-static embed.c $cflags "$P/lib/libwrun.a" \
	$(echo "$slibs" | sed 's/-lwrun//') 2>static.log; then
	ok "embed.c builds against libwrun.a"
else
	ko "embed.c builds against libwrun.a"; cat static.log
fi
# shellcheck disable=SC2086
if cc -Wall -Wextra -Werror -o embed-shared embed.c $cflags $libs 2>shared.log; then
	ok "embed.c builds against libwrun.so"
else
	ko "embed.c builds against libwrun.so"; cat shared.log
fi
if readelf -d embed-shared 2>/dev/null | grep -q "NEEDED.*\[$soname\]"; then
	ok "embed-shared needs $soname"
else
	ko "embed-shared does not name $soname"
fi

for v in static shared; do
	[ -x embed-$v ] || continue
	got=$(LD_LIBRARY_PATH="$P/lib" ./embed-$v host.wasm run 20 2>&1)
	want=$(printf 'print: 20\n6765')
	[ "$got" = "$want" ] && ok "embed-$v runs host.wasm" || ko "embed-$v: got '$got'"
	got=$(LD_LIBRARY_PATH="$P/lib" ./embed-$v "$ROOT/examples/fib.wasm" fib 25 2>&1)
	[ "$got" = 75025 ] && ok "embed-$v runs fib.wasm" || ko "embed-$v fib: got '$got'"
	printf '\0asm\1\0\0\0\1' >bad.wasm
	got=$(LD_LIBRARY_PATH="$P/lib" ./embed-$v bad.wasm f 2>&1)
	case $got in *"at byte"*) ok "embed-$v rejects a bad module with an offset" ;;
		*) ko "embed-$v bad module: '$got'" ;; esac
done

cd "$ROOT" || exit 1
make --no-print-directory B="$B" DESTDIR="$D" PREFIX="$PREFIX" uninstall >/dev/null 2>&1
left=$(find "$D" -type f -o -type l)
[ -z "$left" ] && ok "make uninstall removes everything" || ko "left after uninstall: $left"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
