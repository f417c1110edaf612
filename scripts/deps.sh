#!/bin/sh
# Install the Debian packages wrun needs to build and test, if any is missing.
# Used by `make deps` (and so by `make run` and `make check`) and by .ci/run.
set -eu
PKGS="gcc make clang lld wabt wasi-libc libclang-rt-14-dev libclang-rt-14-dev-wasm32 libcjson-dev libcmocka-dev
libseccomp-dev liburing-dev libcap-dev pkg-config iproute2 procps util-linux passwd python3"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "wrun: installing missing packages:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
