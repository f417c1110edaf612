# section.sh: sourced by the scripts that own one section of the report
# (bench/oci.sh, bench/component.sh).
#
# report_section MARK TITLE TEXT: write "## TITLE" and TEXT between the
# "<!-- MARK:begin -->" and "<!-- MARK:end -->" lines of $REPORT, replacing
# what was there, or before "## Raw times" (else at the end) the first
# time.  Uses the scratch directory $W.
report_section() {
	local body=$W/section.$1
	{
		echo "<!-- $1:begin -->"
		echo "## $2"
		echo
		echo "$3"
		echo "<!-- $1:end -->"
	} >"$body"
	[ -f "$REPORT" ] || : >"$REPORT"
	if grep -q "^<!-- $1:begin -->\$" "$REPORT"; then
		awk -v f="$body" -v b="<!-- $1:begin -->" -v e="<!-- $1:end -->" \
			'$0 == b { while ((getline l < f) > 0) print l; skip = 1; next }
			$0 == e { skip = 0; next } !skip' "$REPORT" >"$REPORT.tmp"
	else
		awk -v f="$body" '/^## Raw times$/ && !done { while ((getline l < f) > 0) print l; print ""; done = 1 }
			{ print } END { if (!done) while ((getline l < f) > 0) print l }' "$REPORT" >"$REPORT.tmp"
	fi
	mv "$REPORT.tmp" "$REPORT"
}
