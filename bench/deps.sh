#!/bin/sh
# Install the Debian packages the benchmark needs beyond `make deps`, if any
# is missing: gnuplot for the plot, GNU time for peak memory, a static
# busybox for the runc side of bench/oci.sh, clang 19 for the unwind
# kernel's wasm build (setjmp/longjmp as wasm exceptions). node (a peer
# runtime) is optional and not installed: the suite skips it when absent.
set -eu
PKGS="gnuplot-nox time busybox-static clang-19 lld-19"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
# gnuplot from another package (gnuplot-qt, gnuplot-x11) will do as well.
if command -v gnuplot >/dev/null; then
	missing=$(echo "$missing" | sed 's/ gnuplot-nox//')
	[ -z "$missing" ] && exit 0
fi
echo "bench: installing missing packages:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
