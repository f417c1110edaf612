#!/bin/sh
# tests/oci/podman.sh: podman --runtime wrun-oci, end to end.  Run by
# run.sh as root, with O, W, RESULTS and TPL (the image's rootfs) set.
#
# This machine's quirks are the test's business, not wrun-oci's: the
# cgroup manager is cgroupfs (no systemd here), the network is none (wasm
# guests have no network grant anyway), the events go to a file, and the
# nofile and nproc ulimits are pinned (podman's defaults, 1048576 open
# files, are more than this kernel lets even root set).
set -u
. "$(dirname "$0")/lib.sh"

if ! command -v podman >/dev/null 2>&1; then
	skip "podman end to end: podman is not installed (apt-get install podman)"
	exit 0
fi
P="podman --cgroup-manager=cgroupfs --events-backend=file --runtime $O"
RUN="--network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --log-driver k8s-file"
IMG=localhost/wrun-oci-test:$$
mkdir -p "$W/pdata" "$W/pro"
echo "from the volume" >"$W/pdata/in.txt"
tar -C "$TPL" -cf "$W/rootfs.tar" .
if ! podman import -q "$W/rootfs.tar" "$IMG" >/dev/null 2>"$W/import.err"; then
	fail "podman import of the rootfs tarball: $(cat "$W/import.err")"
	exit 0
fi
ok "podman import of a rootfs tarball (no registry)"

# Nothing of container $1 is left: state, cgroup, process, mount.
left_behind() {
	[ ! -e "/run/wrun-oci/$1" ] || { echo "state /run/wrun-oci/$1"; return; }
	for h in $(awk '$9 ~ /^cgroup2?$/ { print $5 }' /proc/self/mountinfo); do
		find "$h" -maxdepth 3 -type d -name "*$1*" 2>/dev/null | sed 's/^/cgroup /'
	done
	grep -F "$1" /proc/self/mountinfo | sed 's/^/mount /'
	for p in /proc/[0-9]*; do
		if { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -q -- "--dir=root::/"; then
			cg=$(cat "$p/cgroup" 2>/dev/null)
			case $cg in *"$1"*) echo "process ${p#/proc/}" ;; esac
		fi
	done
}
nothing_left() {
	l=$(left_behind "$2")
	if [ -z "$l" ]; then ok "$1"; else fail "$1: $(echo "$l" | tr '\n' ' ')"; fi
}

out=$($P run --rm $RUN "$IMG" /hello.wasm world 2>"$W/p.err")
rc=$?
eq "podman run prints the greeting" "$out" "Hello, world!"
eq "and exits 0" "$rc" 0
[ "$rc" -eq 0 ] || cat "$W/p.err"

$P run --rm $RUN -e FOO=bar -w /work -v "$W/pdata:/data" -v "$W/pro:/ro:ro" "$IMG" \
	/probe.wasm 42 >"$W/probe.out" 2>"$W/p.err"
eq "the probe's exit code is podman's" "$?" 42
check "argv[0] is the container path" has "$W/probe.out" "argv0=/probe.wasm"
check "-e reaches the guest" has "$W/probe.out" "env=FOO=bar"
check "-w is the guest's working directory" has "$W/probe.out" "cwd=/work"
check "and relative paths resolve there" has "$W/probe.out" "here=here-file"
check "-v is a grant" has "$W/probe.out" "volume=from the volume"
check "that can be written" sh -c "grep -qx volume-write=ok $W/probe.out && [ -s $W/pdata/out.txt ]"
check "-v ...:ro cannot" has "$W/probe.out" "ro-write=error: Read-only file system"
check "the rootfs can be written" has "$W/probe.out" "root-write=ok"
$P run --rm $RUN --read-only "$IMG" /probe.wasm 0 >"$W/probe.out" 2>&1
check "--read-only makes it read-only" has "$W/probe.out" "root-write=error: Read-only file system"

id=$($P run -d $RUN "$IMG" /probe.wasm spin 1)
eq "detached: wait gives the exit code" "$($P wait "$id")" 0
check "logs give the output" sh -c "$P logs $id | grep -q '^tick 5\$'"
$P rm "$id" >/dev/null
nothing_left "nothing left after rm" "$id"
id=$($P run -d $RUN "$IMG" /probe.wasm 3)
eq "detached: a failing guest's code" "$($P wait "$id")" 3
$P rm "$id" >/dev/null

id=$($P run -d $RUN "$IMG" /probe.wasm spin 60)
wait_for 10 sh -c "$P logs $id 2>/dev/null | grep -q 'tick 3'"
pid=$($P inspect -f '{{.State.Pid}}' "$id")
pids=$(tree "$pid")
eq "running: the broker and the jailed child" "$(echo "$pids" | wc -l)" 2
check "podman pause" sh -c "$P pause $id >/dev/null"
eq "status paused" "$($P inspect -f '{{.State.Status}}' "$id")" paused
for p in $pids; do
	check "process $p is in the container's cgroup" grep -q "libpod-$id" "/proc/$p/cgroup"
done
frozen "paused: every wrun process of the container is frozen" "$pids" "$P logs $id"
check "podman unpause" sh -c "$P unpause $id >/dev/null"
child=$(echo "$pids" | tail -n 1)
c1=$(cputime "$child")
sleep 0.3
check "unpaused: the jailed child runs again" test "$(cputime "$child")" -gt "$c1"
check "podman stop" sh -c "$P stop -t 2 $id >/dev/null"
eq "stopped by SIGTERM" "$($P inspect -f '{{.State.ExitCode}}' "$id")" 143
$P rm "$id" >/dev/null
nothing_left "nothing left after stop and rm" "$id"

id=$($P run -d $RUN "$IMG" /probe.wasm spin 60)
wait_for 10 sh -c "$P logs $id 2>/dev/null | grep -q 'tick 1'"
check "podman rm -f of a running container" sh -c "$P rm -f $id >/dev/null"
nothing_left "nothing left after rm -f" "$id"

# conmon and the container killed together: what is left of the ID does
# not block a new create (here wrun-oci's own, on podman's bundle).
id=$($P run -d $RUN "$IMG" /probe.wasm spin 60)
wait_for 10 sh -c "$P logs $id 2>/dev/null | grep -q 'tick 1'"
kill -9 "$($P inspect -f '{{.State.ConmonPid}}' "$id")" "$($P inspect -f '{{.State.Pid}}' "$id")"
sleep 0.5
st=$($O state "$id" 2>/dev/null)
eq "after conmon and the container are killed: stopped" \
	"$(echo "$st" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')" stopped
bundle=$(echo "$st" | python3 -c 'import json,sys; print(json.load(sys.stdin)["bundle"])')
check "a new create of the same ID over what was left" \
	sh -c "$O create --bundle $bundle --pid-file $W/again.pid $id >/dev/null 2>&1"
check "is a new container" sh -c "$O state $id | grep -q '\"created\"'"
$O delete --force "$id"
# podman waits for the dead conmon's exit file first (as it does with runc).
$P rm -f "$id" >/dev/null 2>&1 || $P rm -f "$id" >/dev/null 2>&1
nothing_left "nothing left after rm -f" "$id"

out=$($P run --rm $RUN "$IMG" /native 2>&1)
if command -v runc >/dev/null 2>&1 || command -v crun >/dev/null 2>&1; then
	eq "a container that is not wasm runs through runc" "$out" "native hello"
else
	check "a container that is not wasm: a clear error" sh -c "echo '$out' | grep -q 'neither runc nor crun'"
fi
podman rmi -f "$IMG" >/dev/null 2>&1
