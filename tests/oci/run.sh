#!/bin/sh
# tests/oci/run.sh B: wrun-oci, the OCI runtime (`make check-oci`).
#
#   (first)    wrun --argv0 at every level (any user)
#   cli.sh     the command line on hand-made bundles, under a subreaper
#   podman.sh  podman --runtime wrun-oci: run, detached run, pause, probe
#   ctr.sh     containerd: ctr run --runc-binary wrun-oci
#
# The last three need root (mount namespaces, cgroups, the engines'
# storage); run as another user, or without podman or containerd, they are
# counted as skipped with the reason.  Ends with `N passed, N failed, N skipped`.
set -u
B=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
abs() { case $1 in /*) echo "$1" ;; *) echo "$(pwd)/$1" ;; esac; }
O=$(abs "$B/wrun-oci")
W=$(mktemp -d /tmp/wrun-oci-test.XXXXXX)
RESULTS=$W/results
REAPED=$W/reaped
TPL=$W/rootfs
export O W RESULTS REAPED TPL
: >"$RESULTS"
# --one-file-system: never into something an engine left mounted there.
trap 'rm -rf --one-file-system "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE
. "$HERE/lib.sh"

# The image: hello, the probe, a working directory with a file in it.
mkdir -p "$TPL/work"
cp "$HERE/../../examples/hello.wasm" "$TPL/"
echo here-file >"$TPL/work/here.txt"
if ! ${CLANG:-clang} --target=wasm32-wasi --sysroot="${WASI_SYSROOT:-/usr}" -O2 \
	-Wl,--strip-debug -o "$TPL/probe.wasm" "$HERE/probe.c"; then
	fail "build the probe module (clang --target=wasm32-wasi)"
fi
# A static native program: a container that is not wasm, for runc.
${CC:-gcc} -static -O2 -o "$TPL/native" "$HERE/native.c" || fail "build tests/oci/native.c"

# wrun --argv0, which wrun-oci relies on, at every level.
for level in none seccomp full; do
	out=$("$B/wrun" --sandbox=$level --argv0 /app.wasm "$TPL/probe.wasm" 0 2>&1 | sed -n 's/^argv0=//p')
	eq "wrun --sandbox=$level --argv0 sets the guest's argv[0]" "$out" /app.wasm
done

if [ "$(id -u)" -ne 0 ]; then
	skip "cli.sh: not root (wrun-oci makes mount namespaces and cgroups, as runc does)"
	skip "podman.sh: not root"
	skip "ctr.sh: not root"
else
	python3 "$HERE/reaper.py" "$REAPED" -- sh "$HERE/cli.sh"
	sh "$HERE/podman.sh"
	sh "$HERE/ctr.sh"
fi

pass=$(grep -c '^pass$' "$RESULTS")
failed=$(grep -c '^fail$' "$RESULTS")
skipped=$(grep -c '^skip$' "$RESULTS")
echo "$pass passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
