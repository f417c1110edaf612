#!/bin/sh
# run.sh: the sandbox tests, as root and as an unprivileged user.
#
#   tests/sandbox/run.sh [BINDIR]      BINDIR defaults to build/sandbox/tests
#
# Runs test_ring, the jail probe and a short channel benchmark, once as the
# invoking user and, when that is root, once more as the unprivileged user
# "wruntest" (created if missing; dropped to with setpriv, all capabilities
# cleared).  The binaries are copied to a private directory readable by that
# user.  The last line is "N passed, N failed, N skipped" over everything.
set -u

BIN=${1:-build/sandbox/tests}
TESTUSER=wruntest
pass=0 fail=0 skip=0

# Add one program's summary line to the totals; a missing line is a failure.
tally() {
	line=$(printf '%s\n' "$1" | tail -n 1)
	case $line in
	*" passed, "*" failed, "*" skipped")
		set -- $line
		pass=$((pass + $1)) fail=$((fail + $3)) skip=$((skip + $5)) ;;
	*)
		echo "FAIL $2: no summary line (crashed?)"
		fail=$((fail + 1)) ;;
	esac
}

# Run every program under the given prefix command (empty: as we are).
run_all() {
	who=$1
	shift
	echo "=== as $who"
	for prog in test_ring probe; do
		out=$("$@" "$WORK/$prog" 2>&1)
		# Indented, so only this script's own total reads as a summary.
		printf '%s\n' "$out" | sed 's/^/  /'
		tally "$out" "$who/$prog"
	done
	out=$("$@" "$WORK/chan_bench" 200000 2>&1)
	printf '%s\n' "$out"
	case $out in
	*" 0 wrong answers"*) pass=$((pass + 1)) ;;
	*) echo "FAIL $who/chan_bench"; fail=$((fail + 1)) ;;
	esac
}

for prog in test_ring probe chan_bench; do
	if [ ! -x "$BIN/$prog" ]; then
		echo "run.sh: $BIN/$prog missing (make sandbox-tests)" >&2
		echo "0 passed, 1 failed, 0 skipped"
		exit 1
	fi
done

WORK=$(mktemp -d /tmp/wrun-sandbox-tests.XXXXXX) || exit 1
trap 'rm -rf "$WORK"' EXIT INT TERM
cp "$BIN/test_ring" "$BIN/probe" "$BIN/chan_bench" "$WORK/"
chmod 755 "$WORK" "$WORK"/*

if [ "$(id -u)" = 0 ]; then
	run_all root
	if ! id "$TESTUSER" >/dev/null 2>&1; then
		useradd --system --no-create-home --shell /usr/sbin/nologin "$TESTUSER" ||
			echo "run.sh: cannot create $TESTUSER" >&2
	fi
	if id "$TESTUSER" >/dev/null 2>&1 && command -v setpriv >/dev/null; then
		run_all "$TESTUSER" setpriv --reuid="$TESTUSER" --regid="$TESTUSER" \
			--clear-groups --inh-caps=-all --reset-env
	else
		echo "skip unprivileged run: no $TESTUSER or no setpriv"
		skip=$((skip + 1))
	fi
else
	run_all "$(id -un)"
	echo "skip root run: not root"
	skip=$((skip + 1))
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
