# users.sh: sourced by the sandbox test scripts that run their suite once as
# root and once as an unprivileged user. The caller defines run_as WHO, sk
# (count a skip) and TESTUSER.
#
# each_user NAME ROOT_EXTRA NOT_ROOT_SKIP: as root, run_as root, then the
# command ROOT_EXTRA (may be empty), then create TESTUSER if missing and
# run_as it through setpriv with every capability cleared; not as root,
# run_as the current user and skip with NOT_ROOT_SKIP. Leaves AS (the
# command prefix that drops to the test user) and OWNER set by the last run.
#
# scratch: a fresh directory $WORK/scr.N, owned by OWNER when set, in SCR.
each_user() {
	AS="" OWNER=""
	if [ "$(id -u)" = 0 ]; then
		run_as root
		[ -n "$2" ] && $2
		if ! id "$TESTUSER" >/dev/null 2>&1; then
			useradd --system --no-create-home --shell /usr/sbin/nologin "$TESTUSER" ||
				echo "$1: cannot create $TESTUSER" >&2
		fi
		if id "$TESTUSER" >/dev/null 2>&1 && command -v setpriv >/dev/null; then
			AS="setpriv --reuid=$TESTUSER --regid=$TESTUSER --clear-groups --inh-caps=-all"
			OWNER=$TESTUSER
			run_as "$TESTUSER"
		else
			sk "unprivileged run: no $TESTUSER or no setpriv"
		fi
	else
		run_as "$(id -un)"
		sk "$3"
	fi
}

# A fresh scratch directory owned by whoever runs the guest (OWNER).
nscr=0
scratch() {
	nscr=$((nscr + 1))
	SCR=$WORK/scr.$nscr
	mkdir -p "$SCR"
	[ -n "$OWNER" ] && chown "$OWNER" "$SCR"
}
