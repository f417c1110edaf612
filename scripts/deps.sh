#!/bin/sh
# Install what wrun needs to build and test, if anything is missing.
# Used by `make deps` (and so by `make run` and `make check`) and by .ci/run.
#
# Debian packages are checked with dpkg; a tool that may come from
# elsewhere (npm, for the SQLite test's download) is checked on PATH and
# installed from Debian only when absent.  When another apt or dpkg holds
# the package lock (an unattended upgrade on a fresh machine), apt waits
# for it, up to DEPS_LOCK_WAIT seconds, instead of failing at once.
set -eu
PKGS="gcc make clang lld wabt wasi-libc libclang-rt-14-dev libclang-rt-14-dev-wasm32 libcjson-dev libcmocka-dev
libseccomp-dev liburing-dev libcap-dev pkg-config iproute2 procps util-linux passwd python3
podman runc conmon containerd"
LOCK_WAIT=${DEPS_LOCK_WAIT:-900}
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -z "$missing" ] && exit 0
echo "wrun: installing missing packages:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
APT="$SUDO apt-get -o DPkg::Lock::Timeout=$LOCK_WAIT"
# The lists lock of `update` is retried by hand: apt's timeout covers dpkg's.
tries=0
until $APT update -qq; do
	tries=$((tries + 1))
	[ $((tries * 5)) -lt "$LOCK_WAIT" ] || exit 1
	echo "wrun: apt-get update failed (another apt running?); retrying in 5 s"
	sleep 5
done
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $APT install -y -qq $missing
