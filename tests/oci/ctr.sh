#!/bin/sh
# tests/oci/ctr.sh: containerd, through its runc shim (io.containerd.runc.v2)
# with wrun-oci as the runc binary: ctr run --runc-binary.  Run by run.sh
# as root, with O, W, RESULTS and TPL set.  A containerd of the test's own
# (its root, state and socket under $W; the CRI plugin off) imports the
# image as an OCI archive made from the rootfs tarball: no registry.
set -u
. "$(dirname "$0")/lib.sh"

if ! command -v containerd >/dev/null 2>&1 || ! command -v ctr >/dev/null 2>&1; then
	skip "containerd end to end: containerd is not installed (apt-get install containerd)"
	exit 0
fi
D=$W/ctrd
NS=wrun-test-$$
mkdir -p "$D" "$W/cdata"
echo "from the volume" >"$W/cdata/in.txt"
cat >"$D/config.toml" <<EOF
version = 2
root = "$D/root"
state = "$D/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$D/containerd.sock"
EOF
containerd --config "$D/config.toml" >"$D/log" 2>&1 &
cd_pid=$!
# Our containerd goes with this script, however it ends.
trap 'kill "$cd_pid" 2>/dev/null' EXIT
trap 'exit 1' INT TERM HUP PIPE
C="ctr -a $D/containerd.sock -n $NS"
if ! wait_for 20 $C version >/dev/null 2>&1; then
	fail "containerd did not start: $(tail -n 3 "$D/log")"
	exit 0
fi
IMG=localhost/wrun-oci-test:$$
tar -C "$TPL" -cf "$W/ctr-rootfs.tar" .
python3 "$(dirname "$0")/mkimage.py" "$W/ctr-rootfs.tar" "$IMG" "$W/oci.tar"
check "ctr images import of an OCI archive (no registry)" sh -c "$C images import $W/oci.tar >/dev/null"

out=$($C run --rm --runc-binary "$O" "$IMG" t1 /hello.wasm ctr 2>"$W/c.err")
rc=$?
eq "ctr run --runc-binary wrun-oci prints the greeting" "$out" "Hello, ctr!"
eq "and exits 0" "$rc" 0
[ "$rc" -eq 0 ] || cat "$W/c.err"
$C run --rm --runc-binary "$O" --env FOO=bar --cwd /work \
	--mount "type=bind,src=$W/cdata,dst=/data,options=rbind:rw" "$IMG" t2 /probe.wasm 7 \
	>"$W/ctr.out" 2>"$W/c.err"
eq "the probe's exit code is ctr's" "$?" 7
check "argv[0] is the container path" has "$W/ctr.out" "argv0=/probe.wasm"
check "--env reaches the guest" has "$W/ctr.out" "env=FOO=bar"
check "--cwd is the working directory" has "$W/ctr.out" "here=here-file"
check "--mount is a grant" has "$W/ctr.out" "volume=from the volume"
check "the shim's runc root is empty after --rm" sh -c "[ -z \"\$(ls -A /run/containerd/runc/$NS 2>/dev/null)\" ]"
left=$(for h in $(awk '$9 ~ /^cgroup2?$/ { print $5 }' /proc/self/mountinfo); do
	find "$h/$NS" -mindepth 1 -maxdepth 1 -type d 2>/dev/null; done)
eq "no container cgroup is left" "$left" ""
eq "no mount of the tasks is left" "$(grep -E "/$NS/t[12]/" /proc/self/mountinfo)" ""
procs=$(for p in /proc/[0-9]*; do
	{ grep -q "/$NS/" "$p/cgroup" && echo "${p#/proc/}"; } 2>/dev/null; done)
eq "no process of the tasks is left" "$procs" ""

$C images rm "$IMG" >/dev/null 2>&1
kill "$cd_pid"
wait "$cd_pid" 2>/dev/null
# What containerd leaves mounted under its root (none expected) goes first.
grep -F " $D/" /proc/self/mountinfo | awk '{ print $5 }' | sort -r | while read -r m; do
	umount -l "$m"
done
for h in $(awk '$9 ~ /^cgroup2?$/ { print $5 }' /proc/self/mountinfo); do rmdir "$h/$NS" 2>/dev/null; done
rmdir "/run/containerd/runc/$NS" 2>/dev/null
exit 0
