#!/bin/bash
# oci.sh: what a container costs through wrun-oci, against runc.
#
#   podman run --rm --runtime wrun-oci IMAGE /hello.wasm world
#   podman run --rm --runtime runc     IMAGE /bin/busybox echo hello, world
#
# Both images come from rootfs tarballs (podman import: no registry); the
# busybox is Debian's static one.  One untimed run of each checks its
# output, then BENCH_OCI_RUNS rounds run both, alternating which goes
# first; each run is timed around the whole podman command (conmon, the
# runtime's create, start, state and delete, and the container itself).
# Writes the section between the "oci" markers of bench/report.md (before
# "## Raw times" the first time), so `make bench-oci` refreshes it alone and
# `make bench` (bench/run.sh calls this last) with the rest.
#
# Environment: B (build directory), BENCH_OCI_RUNS (default 21),
# BENCH_REPORT (default bench/report.md).  Needs root, podman, runc and
# busybox-static (bench/deps.sh installs it); without them the section
# says why it was skipped.
set -uo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
ROOT=$PWD
B=${B:-build}
case $B in /*) ;; *) B=$ROOT/$B ;; esac
RUNS=${BENCH_OCI_RUNS:-21}
REPORT=${BENCH_REPORT:-bench/report.md}
BUSYBOX=${BUSYBOX:-/bin/busybox}
W=$(mktemp -d /tmp/wrun-bench-oci.XXXXXX)
trap 'rm -rf "$W"' EXIT
# shellcheck source=bench/section.sh
. bench/section.sh
P="podman --cgroup-manager=cgroupfs --events-backend=file"
RUN="run --rm --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024"
TAG=$$

skipped() {
	section "Skipped: $1."
	echo "bench-oci: skipped: $1" >&2
	exit 0
}

# section TEXT: the report's part, between the markers (bench/section.sh).
section() {
	report_section oci "Containers: podman run through wrun-oci and through runc" "$1"
}

[ "$(id -u)" -eq 0 ] || skipped "not root (podman as root, as the tests run it)"
command -v podman >/dev/null || skipped "podman is not installed"
command -v runc >/dev/null || skipped "runc is not installed"
[ -x "$BUSYBOX" ] && file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' ||
	skipped "no static busybox at $BUSYBOX (busybox-static)"
[ -x "$B/wrun-oci" ] && [ -x "$B/wrun" ] || skipped "no $B/wrun-oci (make)"

mkdir -p "$W/wasm" "$W/bb/bin"
cp examples/hello.wasm "$W/wasm/"
cp "$BUSYBOX" "$W/bb/bin/busybox"
tar -C "$W/wasm" -cf "$W/wasm.tar" . && tar -C "$W/bb" -cf "$W/bb.tar" .
podman import -q "$W/wasm.tar" "localhost/wrun-bench-wasm:$TAG" >/dev/null &&
	podman import -q "$W/bb.tar" "localhost/wrun-bench-busybox:$TAG" >/dev/null ||
	skipped "podman import failed"

declare -A CMD=(
	[wrun]="$P --runtime $B/wrun-oci $RUN localhost/wrun-bench-wasm:$TAG /hello.wasm world"
	[runc]="$P --runtime $(command -v runc) $RUN localhost/wrun-bench-busybox:$TAG /bin/busybox echo Hello, world!"
)
for s in wrun runc; do
	out=$(${CMD[$s]} 2>&1)
	[ "$out" = "Hello, world!" ] || skipped "the $s side printed '$out'"
done

load0=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$W/times"
for ((i = 0; i < RUNS; i++)); do
	order="wrun runc"
	((i % 2)) && order="runc wrun"
	for s in $order; do
		t0=$(date +%s%N)
		${CMD[$s]} >/dev/null 2>&1 || echo "$s failed" >&2
		t1=$(date +%s%N)
		echo "$s $(((t1 - t0) / 1000))" >>"$W/times"
	done
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)
podman rmi -f "localhost/wrun-bench-wasm:$TAG" "localhost/wrun-bench-busybox:$TAG" >/dev/null 2>&1

# median, min, max in ms of side $1
stat_of() {
	awk -v s="$1" '$1 == s { print $2 }' "$W/times" | sort -n |
		awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
			printf "%.1f %.1f %.1f", m / 1000, v[1] / 1000, v[NR] / 1000 }'
}
read -r wm wlo whi <<<"$(stat_of wrun)"
read -r rm rlo rhi <<<"$(stat_of runc)"
ratio=$(awk -v a="$wm" -v b="$rm" 'BEGIN { printf "%.2f", a / b }')
busy=""
awk -v l="${load0%% *} ${load1%% *}" -v n="$(nproc)" 'BEGIN { split(l, v, " ");
	exit !(v[1] > n / 2 || v[2] > n / 2) }' &&
	busy="- **The machine was busy** (load above half its CPUs): both sides are slowed
  alike (they alternate), but the absolute times are inflated and noisy."
section "$(cat <<EOF
- Date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); source $(git describe --always --dirty 2>/dev/null)
- Machine: $(nproc) CPUs, $(uname -sr); load average before / after: $load0 / $load1
${busy}
- $(podman --version), $(runc --version | head -n 1), $(conmon --version | head -n 1);
  cgroup manager cgroupfs, \`--network none\`, events to a file
- Each: \`podman run --rm --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024\`,
  timed around the whole command; $RUNS rounds, alternating which side goes first

| side | what runs | median (ms) | min (ms) | max (ms) | / runc |
|---|---|---:|---:|---:|---:|
| wrun-oci | \`/hello.wasm world\`: wrun's broker and jailed child, \`--sandbox=full\` | $wm | $wlo | $whi | ${ratio}x |
| runc | \`/bin/busybox echo Hello, world!\` (static busybox) | $rm | $rlo | $rhi | 1.00x |

Most of either time is podman and conmon: the runtime's own part (create,
start, the run, state and delete) is a few of its invocations; wrun alone
starts hello.wasm in the times of the start-up table above.
EOF
)"
echo "bench-oci: wrun-oci $wm ms, runc $rm ms (medians of $RUNS)" >&2
