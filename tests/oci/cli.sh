#!/bin/sh
# tests/oci/cli.sh: wrun-oci's command line on hand-made bundles, as an
# engine drives it: create, state, start, kill, pause, resume, delete.
# Run by run.sh, as root, under reaper.py (the subreaper that gets each
# container's exit status, as conmon or the shim would), with O, W,
# RESULTS, REAPED and TPL (the rootfs template) in the environment.
set -u
. "$(dirname "$0")/lib.sh"
MK="python3 $(dirname "$0")/mkbundle.py"
R="$O --root $W/root"
CG=wrun-oci-test-$$
export WRUN_OCI_DELEGATE=none

# The cgroup of container ID in every hierarchy (one a line).
cgdirs() { for h in $(awk '$9 ~ /^cgroup2?$/ { print $5 }' /proc/self/mountinfo); do echo "$h/$CG/$1"; done; }
status() { $R state "$1" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])'; }
# The exit status the reaper saw for pid $1 (waits up to 10 s).
exit_of() {
	wait_for 10 grep -q "^$1 " "$REAPED" || { echo none; return; }
	awk -v p="$1" '$1 == p { print $2 }' "$REAPED"
}
# create ID [create options]: the bundle is $W/b/ID
create() {
	id=$1
	shift
	$R create --bundle "$W/b/$id" --pid-file "$W/b/$id.pid" "$@" "$id" >"$W/b/$id.out" 2>"$W/b/$id.err"
}
gone() {
	[ ! -e "$W/root/$1" ] || return 1
	for d in $(cgdirs "$1"); do [ ! -e "$d" ] || return 1; done
}

mkdir -p "$W/b" "$W/data" "$W/ro"
echo "from the volume" >"$W/data/in.txt"

# ---- a whole life: create, state, start, exit status, state, delete ----
$MK "$W/b/c1" "$TPL" '{"process": {"args": ["/probe.wasm", "5"], "env": ["FOO=bar baz"],
	"cwd": "/work"}, "root": {"readonly": true},
	"mounts": [{"destination": "/data", "type": "bind", "source": "'"$W/data"'", "options": ["rbind", "rw"]},
		   {"destination": "/ro", "type": "bind", "source": "'"$W/ro"'", "options": ["rbind", "ro"]},
		   {"destination": "/etc/hosts", "type": "bind", "source": "/etc/hosts", "options": ["bind"]}],
	"annotations": {"org.example": "kept"},
	"linux": {"cgroupsPath": "'"/$CG/c1"'", "resources": {"pids": {"limit": 64}}}}'
check "create c1" create c1
pid=$(cat "$W/b/c1.pid" 2>/dev/null)
eq "state after create" "$(status c1)" created
eq "the state's pid is the pid file's" "$($R state c1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')" "$pid"
eq "annotations are kept" "$($R state c1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["annotations"]["org.example"])')" kept
check "the waiting process is in the container's cgroup" grep -q ":/$CG/c1\$" "/proc/$pid/cgroup"
pm=$(for d in $(cgdirs c1); do [ -e "$d/pids.max" ] && cat "$d/pids.max"; done | head -n 1)
if [ -z "$pm" ] && ! grep -qw pids /proc/cgroups; then
	skip "pids.max: this kernel has no pids controller"
else
	eq "pids.max is the config's" "$pm" 64
fi
check "start c1" $R start c1
eq "exit status of the probe" "$(exit_of "$pid")" 5
o=$W/b/c1.out
check "argv[0] is the container path" has "$o" "argv0=/probe.wasm"
check "process.env reaches the guest" has "$o" "env=FOO=bar baz"
check "nothing else of the host's environment does" sh -c "! grep -q '^env=PATH=' $o"
check "process.cwd is PWD, and a relative path resolves there" has "$o" "here=here-file"
check "a bind mount is a grant" has "$o" "volume=from the volume"
check "a rw bind mount can be written" sh -c "has() { grep -qxF -- \"\$2\" \"\$1\"; }; has $o volume-write=ok && [ -s $W/data/out.txt ]"
check "a ro bind mount cannot" has "$o" "ro-write=error: Read-only file system"
check "root.readonly makes the rootfs read-only" has "$o" "root-write=error: Read-only file system"
eq "state after exit" "$(status c1)" stopped
eq "a stopped container's pid is 0" "$($R state c1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')" 0
check "delete c1" $R delete c1
check "delete leaves no state directory and no cgroup" gone c1
check "no mount is left on the host" sh -c "! grep -q '$W/root' /proc/self/mountinfo"

# ---- missing containers, and what is not supported ----
check "state of a missing container fails" sh -c "! $R state nosuch 2>/dev/null"
check "delete of a missing container fails" sh -c "! $R delete nosuch 2>/dev/null"
check "delete --force of a missing container succeeds" $R delete --force nosuch
$MK "$W/b/c2" "$TPL" '{"linux": {"cgroupsPath": "'"/$CG/c2"'"}}'
create c2
check "exec is refused for a wasm container" sh -c "$R exec c2 /hello.wasm 2>&1 | grep -q 'not supported for wasm containers'"
check "update is refused for a wasm container" sh -c "$R update --memory 1M c2 2>&1 | grep -q 'not supported for wasm containers'"
check "ps lists the waiting process" sh -c "$R ps --format json c2 | grep -qx \"\\[$(cat "$W/b/c2.pid")\\]\""

# ---- kill ----
pid=$(cat "$W/b/c2.pid")
check "kill by name before start" $R kill c2 KILL
eq "killed by SIGKILL" "$(exit_of "$pid")" 137
eq "then stopped" "$(status c2)" stopped
check "starting a stopped container fails" sh -c "! $R start c2 2>/dev/null"
check "delete c2" $R delete c2

# ---- an engine that died: its ID is reused ----
$MK "$W/b/c3" "$TPL" '{"linux": {"cgroupsPath": "'"/$CG/c3"'"}}'
create c3
kill -9 "$(cat "$W/b/c3.pid")"
exit_of "$(cat "$W/b/c3.pid")" >/dev/null
check "a dead container's ID can be created again" create c3
eq "and is new" "$(status c3)" created
check "delete --force of a created container" $R delete --force c3
check "leaves nothing" gone c3

# ---- pause and resume reach every wrun process ----
$MK "$W/b/c4" "$TPL" '{"process": {"args": ["/probe.wasm", "spin", "30"]}, "linux": {"cgroupsPath": "'"/$CG/c4"'"}}'
create c4
pid=$(cat "$W/b/c4.pid")
$R start c4
wait_for 10 grep -q "tick 3" "$W/b/c4.out"
pids=$(tree "$pid")
eq "the container is the broker and the jailed child" "$(echo "$pids" | wc -l)" 2
check "pause" $R pause c4
eq "state paused" "$(status c4)" paused
for p in $pids; do
	check "process $p is in the container's cgroup" grep -q ":/$CG/c4\$" "/proc/$p/cgroup"
done
frozen "paused: no wrun process of the container runs" "$pids" "cat $W/b/c4.out"
check "resume" $R resume c4
eq "state running" "$(status c4)" running
c1=$(cputime "$(echo "$pids" | tail -n 1)")
sleep 0.3
check "resumed: the jailed child runs again" test "$(cputime "$(echo "$pids" | tail -n 1)")" -gt "$c1"
check "kill --all" $R kill --all c4 9
eq "killed" "$(exit_of "$pid")" 137
check "delete c4" $R delete c4
check "no process of it is left" sh -c "for p in $(echo $pids); do [ ! -e /proc/\$p ] || exit 1; done"

# ---- limits ----
printf '(module (memory 512) (func (export "_start")))' >"$W/big.wat"
wat2wasm -o "$TPL/big.wasm" "$W/big.wat"
$MK "$W/b/c5" "$TPL" '{"process": {"args": ["/big.wasm"]}, "linux": {"cgroupsPath": "'"/$CG/c5"'", "resources": {"memory": {"limit": 25165824}}}}'
create c5
pid=$(cat "$W/b/c5.pid")
$R start c5
eq "memory.limit bounds linear memory: 32 MiB do not fit in 24" "$(exit_of "$pid")" 151
check "with wrun's message" grep -q "initial memory exceeds --max-memory" "$W/b/c5.err"
$R delete c5
$MK "$W/b/c5" "$TPL" '{"process": {"args": ["/probe.wasm", "alloc"]}, "linux": {"cgroupsPath": "'"/$CG/c5"'", "resources": {"memory": {"limit": 33554432}}}}'
create c5
pid=$(cat "$W/b/c5.pid")
$R start c5
eq "a guest that allocates without end under a 32 MiB limit is not OOM-killed" "$(exit_of "$pid")" 0
n=$(sed -n 's/^alloc=\([0-9]*\) MiB$/\1/p' "$W/b/c5.out")
check "it gets most of the limit (${n:-no} MiB)" test "${n:-0}" -ge 16
$R delete c5

# ---- the image is untrusted ----
$MK "$W/b/c6" "$TPL" '{"process": {"args": ["/probe.wasm", "read", "/zero"]}, "linux": {"cgroupsPath": "'"/$CG/c6"'"}}'
mknod "$W/b/c6/rootfs/zero" c 1 5
create c6
pid=$(cat "$W/b/c6.pid")
$R start c6
exit_of "$pid" >/dev/null
check "a device node in the image cannot be opened (nodev)" has "$W/b/c6.out" "read=error: Permission denied"
$R delete c6
$MK "$W/b/c7" "$TPL" '{"process": {"args": ["/escape.wasm"]}, "linux": {"cgroupsPath": "'"/$CG/c7"'"}}'
ln -s "$W/b/c6/rootfs/hello.wasm" "$W/b/c7/rootfs/escape.wasm"
check "a module symlinked to a host path is not found" sh -c "$R create --bundle $W/b/c7 c7 2>&1 | grep -q 'escape.wasm: No such file or directory in the container'"
check "and leaves nothing" gone c7

$MK "$W/b/c12" "$TPL" '{"process": {"args": ["/fifo.wasm"]}, "linux": {"cgroupsPath": "'"/$CG/c12"'"}}'
mkfifo "$W/b/c12/rootfs/fifo.wasm"
check "a module that is a FIFO is refused at once, never opened" sh -c "timeout 10 $R create --bundle $W/b/c12 c12 2>&1 | grep -q 'fifo.wasm: not a regular file in the container'"
$MK "$W/b/c12" "$TPL" '{"process": {"args": ["/zero.wasm"]}, "linux": {"cgroupsPath": "'"/$CG/c12"'"}}'
mknod "$W/b/c12/rootfs/zero.wasm" c 1 5
check "so is a device node" sh -c "timeout 10 $R create --bundle $W/b/c12 c12 2>&1 | grep -q 'zero.wasm: not a regular file in the container'"
check "and leaves nothing" gone c12

# ---- containers that are not wasm ----
$MK "$W/b/c8" "$TPL" '{"process": {"args": ["/bin/sh", "-c", "true"]}}'
check "not wasm and no runc: a clear error" sh -c "$R create --bundle $W/b/c8 c8 2>&1 | grep -q 'is not a WebAssembly module, and neither runc nor crun is installed'"
printf '#!/bin/sh\necho "$@" >%s\n' "$W/delegated" >"$W/fake-runc"
chmod +x "$W/fake-runc"
WRUN_OCI_DELEGATE=$W/fake-runc $R --log-format text create --bundle "$W/b/c8" c8
eq "not wasm: runc gets the same arguments" "$(cat "$W/delegated" 2>/dev/null)" \
	"--root $W/root --log-format text create --bundle $W/b/c8 c8"
WRUN_OCI_DELEGATE=$W/fake-runc $R state c8
eq "and the commands on its ID" "$(cat "$W/delegated")" "--root $W/root state c8"
$MK "$W/b/c9" "$TPL" '{"process": {"args": ["/work/here.txt"]}, "annotations": {"run.oci.handler": "wasm"}}'
check "run.oci.handler wasm on a file that is not wasm: refused" sh -c "$R create --bundle $W/b/c9 c9 2>&1 | grep -q 'not a WebAssembly module in the container'"

# ---- a terminal from --console-socket ----
$MK "$W/b/c10" "$TPL" '{"process": {"args": ["/hello.wasm", "tty"], "terminal": true}, "linux": {"cgroupsPath": "'"/$CG/c10"'"}}'
python3 "$(dirname "$0")/console.py" "$W/console.sock" "$W/console.out" >"$W/console.log" 2>&1 &
cpid=$!
wait_for 5 grep -qs listening "$W/console.log"
check "create with --console-socket" create c10 --console-socket "$W/console.sock"
pid=$(cat "$W/b/c10.pid")
$R start c10
eq "exit status through the terminal" "$(exit_of "$pid")" 0
wait "$cpid"
check "the guest wrote to the terminal" grep -q "Hello, tty!" "$W/console.out"
$R delete c10

# ---- process.user ----
$MK "$W/b/c11" "$TPL" '{"process": {"args": ["/probe.wasm", "spin", "30"], "user": {"uid": 65534, "gid": 65534}}, "linux": {"cgroupsPath": "'"/$CG/c11"'"}}'
create c11
pid=$(cat "$W/b/c11.pid")
$R start c11
wait_for 10 grep -q "tick 1" "$W/b/c11.out"
eq "process.user: the broker runs as that user" "$(awk '/^Uid:/ { print $2 "/" $3 }' "/proc/$pid/status")" 65534/65534
check "and the guest runs" grep -q "tick 1" "$W/b/c11.out"
$R kill c11 KILL
exit_of "$pid" >/dev/null
$R delete c11

# ---- --systemd-cgroup: slice:prefix:name ----
SL=wrunocitest$$
$MK "$W/b/c13" "$TPL" '{"process": {"args": ["/probe.wasm", "spin", "30"]}, "linux": {"cgroupsPath": "'"$SL.slice:wrun:c13"'"}}'
check "create with --systemd-cgroup" sh -c "$O --root $W/root --systemd-cgroup create --bundle $W/b/c13 --pid-file $W/b/c13.pid c13 >$W/b/c13.out 2>&1"
pid=$(cat "$W/b/c13.pid")
check "the cgroup is systemd's path for slice:prefix:name" grep -q ":/$SL.slice/wrun-c13.scope\$" "/proc/$pid/cgroup"
$R delete --force c13
exit_of "$pid" >/dev/null
left=$(for h in $(awk '$9 ~ /^cgroup2?$/ { print $5 }' /proc/self/mountinfo); do
	[ ! -e "$h/$SL.slice/wrun-c13.scope" ] || echo "$h"; done)
eq "and goes with delete" "$left" ""
for h in $(awk '$9 ~ /^cgroup2?$/ { print $5 }' /proc/self/mountinfo); do rmdir "$h/$SL.slice" 2>/dev/null; done

# ---- logs, features, version ----
$R --log "$W/log.json" --log-format json create --bundle "$W/b/nosuch" cx 2>/dev/null
check "--log-format json: the error as a JSON line" python3 -c "
import json, sys
recs = [json.loads(l) for l in open('$W/log.json')]
sys.exit(not (recs and recs[-1]['level'] == 'error' and 'nosuch' in recs[-1]['msg']))"
check "features is JSON" sh -c "$O features | python3 -c 'import json,sys; sys.exit(json.load(sys.stdin)[\"ociVersionMax\"] != \"1.0.2\")'"
check "--version" sh -c "$O --version | grep -q '^wrun-oci version '"
for h in $(awk '$9 ~ /^cgroup2?$/ { print $5 }' /proc/self/mountinfo); do rmdir "$h/$CG" 2>/dev/null; done
