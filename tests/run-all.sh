#!/bin/sh
# Run every test suite named on the command line as a make target, keep its
# output, and add up the summaries: cmocka's "[  PASSED  ] N test(s)." and
# "[  FAILED  ] N test(s)," lines, and every "N passed, N failed, N skipped"
# line (each test script prints one, its own total; scripts that run other
# counting programs indent those programs' lines). Prints one total line last; exits 1 if
# any suite failed or did not finish.
#   usage: tests/run-all.sh MAKE-ARGS -- TARGET...
set -u
margs=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do margs="$margs $1"; shift; done
[ $# -gt 0 ] && shift
pass=0 fail=0 skip=0 bad=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in "$@"; do
	echo "==== $t"
	# shellcheck disable=SC2086
	if ! make --no-print-directory $margs "$t" >"$log" 2>&1; then
		bad="$bad $t"
	fi
	cat "$log"
	counts=$(awk '
		/^\[  PASSED  \] [0-9]+ test/ { p += $4 }
		/^\[  FAILED  \] [0-9]+ test/ { f += $4 }
		/^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$/ { p += $1; f += $3; s += $5 }
		END { printf "%d %d %d", p, f, s }' "$log")
	p=${counts%% *}; rest=${counts#* }; f=${rest%% *}; s=${rest#* }
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
	echo "==== $t: $p passed, $f failed, $s skipped"
done
if [ -n "$bad" ]; then
	echo "suites that failed or did not finish:$bad"
	[ "$fail" -eq 0 ] && fail=1
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
