# tests/oci/lib.sh: what the wrun-oci test scripts share (sourced).
# Each result is a line on stdout and a word in $RESULTS, which run.sh
# adds up into the one summary line.

ok() { echo "ok   $*"; echo pass >>"$RESULTS"; }
fail() { echo "FAIL $*"; echo fail >>"$RESULTS"; }
skip() { echo "SKIP $*"; echo skip >>"$RESULTS"; }

# check DESC COMMAND...: ok when the command succeeds.
check() {
	_what=$1
	shift
	if "$@"; then ok "$_what"; else fail "$_what"; fi
}

# has FILE TEXT: the file has a line that is exactly TEXT.
has() { grep -qxF -- "$2" "$1"; }

# eq DESC GOT WANT
eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: got '$2', want '$3'"; fi
}

# The CPU time (utime + stime, in ticks) of a process; empty if gone.
cputime() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null; }

# A process and all its descendants, one pid a line.
tree() {
	echo "$1"
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do tree "$c"; done
}

# wait_for SECONDS COMMAND...: poll until the command succeeds.
wait_for() {
	n=$(($1 * 20))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.05
		n=$((n - 1))
	done
	return 1
}

# paused_check DESC PIDS OUTPUT-COMMAND: with the container paused, no
# process of PIDS gets CPU time and the output stays the same for 0.6 s.
frozen() {
	t1=""
	for p in $2; do t1="$t1 $(cputime "$p")"; done
	o1=$($3 | wc -l)
	sleep 0.6
	t2=""
	for p in $2; do t2="$t2 $(cputime "$p")"; done
	o2=$($3 | wc -l)
	if [ "$t1" = "$t2" ] && [ "$o1" = "$o2" ]; then
		ok "$1 (cpu ticks$t1; $o1 lines of output)"
	else
		fail "$1: cpu ticks$t1 then$t2, output $o1 then $o2 lines"
	fi
}
