# shellcheck shell=bash disable=SC2034
# users.sh: the programs that look like users' code (issue 16), sourced by
# bench/run.sh before its main().
#
# Adds to run.sh's lists rather than changing them:
#   kernels   sha256 (a cryptographic hash), floyd, jacobi2d and seidel2d
#             (loop nests sized to run 0.3-1 s natively) and minivm (an
#             interpreter compiling and running a script), all in
#             bench/kernels/ like the others
#   zlib      a compressor: zlib 1.3.1 from the npm package zlib-sync (its
#             deps/zlib/), fetched once into $B/bench/fetch, never committed,
#             driven by bench/users/zlib.c
#   sqlite    the SQLite shell of `make sqlite` (tests/wasi/sqlite.sh fetches
#             and builds it from the npm package sqlite3), running the query
#             workload bench/users/sqlite.sql on an in-memory database
# and the targets of issue 16, from CPU-time medians (SEC_TARGETS16).
#
# Environment: USERS_NPM_ZLIB (npm spec of the zlib package, default
# zlib-sync@0.1.10), NPM.

USERS_NPM_ZLIB=${USERS_NPM_ZLIB:-zlib-sync@0.1.10}
USERS_FETCH=$OUT/fetch
TARGET16_COMPUTE=7.5	# compute: geomean of full / native, CPU time
# The programs that target is judged on (the issue's "users' programs").
export USERS16_PROGS="sha256 floyd jacobi2d seidel2d minivm zlib sqlite"

KERNELS+="
sha256   int64_t
floyd    int64_t
jacobi2d int64_t
seidel2d int64_t
minivm   int64_t
"

# Programs given `--dir data` although they are compute: their input is a
# file there.
USERS_DIR_PROGS="sqlite"

PROGRAMS+="
sha256   compute sha256   1000000 90
floyd    compute floyd    800 1
jacobi2d compute jacobi2d 1000 200
seidel2d compute seidel2d 1000 40
minivm   compute minivm   20000 5
zlib     compute zlib     4000000 1
sqlite   compute sqlite   -init data/sqlite.sql :memory: .quit
"

WHAT+=(
	[sha256]="crypto: SHA-256 of 1 MB, 90 times, 32-bit rotates and adds"
	[floyd]="loop nest: Floyd-Warshall on 800 nodes, int32 row relaxation"
	[jacobi2d]="loop nest: 2-D Jacobi 5-point stencil, 1000x1000 f64, 200 steps"
	[seidel2d]="loop nest: 2-D Gauss-Seidel 9-point stencil in place, 1000x1000 f64, 40 sweeps"
	[minivm]="interpreter: a Forth-like language compiled to bytecode, switch dispatch, running a script"
	[zlib]="compressor: zlib 1.3.1 deflate level 6 + inflate of 4 MB of text"
	[sqlite]="database: the SQLite shell, an in-memory database (30000 + 100000 rows) filled, indexed, joined, grouped, updated"
)

users_dir_prog() {
	case " $USERS_DIR_PROGS " in *" $1 "*) return 0 ;; esac
	return 1
}

# users_fetch_zlib: unpack zlib's sources from the npm package into
# $USERS_FETCH/zlib (once); prints the directory.
users_fetch_zlib() {
	local z=$USERS_FETCH/zlib tgz
	if [ ! -f "$z/deflate.c" ]; then
		mkdir -p "$USERS_FETCH"
		command -v "${NPM:-npm}" >/dev/null || die "no npm to fetch $USERS_NPM_ZLIB (zlib's sources)"
		(cd "$USERS_FETCH" && "${NPM:-npm}" pack --silent "$USERS_NPM_ZLIB" >npm-zlib.log 2>&1) ||
			die "npm pack $USERS_NPM_ZLIB failed (see $USERS_FETCH/npm-zlib.log)"
		tgz=$(find "$USERS_FETCH" -maxdepth 1 -name "zlib-sync-*.tgz" | sort | tail -n 1)
		rm -rf "$USERS_FETCH/pkg" "$z"
		mkdir -p "$USERS_FETCH/pkg"
		tar -xzf "$tgz" -C "$USERS_FETCH/pkg"
		[ -f "$USERS_FETCH/pkg/package/deps/zlib/deflate.c" ] || die "no deps/zlib/ in $tgz"
		mv "$USERS_FETCH/pkg/package/deps/zlib" "$z"
		rm -rf "$USERS_FETCH/pkg"
	fi
	echo "$z"
}

build_users() {
	local z f
	local -a zsrc=() zobj=()
	# zlib: its own files without warnings (third-party code), ours with them
	z=$(users_fetch_zlib)
	for f in adler32 compress crc32 deflate inffast inflate inftrees trees uncompr zutil; do
		zsrc+=("$z/$f.c")
	done
	mkdir -p "$OUT/obj"
	"$NCC" "${NFLAGS[@]}" -I"$z" -c -o "$OUT/obj/zlib-main.o" bench/users/zlib.c
	"$WCC" "${WFLAGS[@]}" -I"$z" -c -o "$OUT/obj/zlib-main.wasm.o" bench/users/zlib.c
	zobj=()
	for f in "${zsrc[@]}"; do
		f=${f##*/}
		"$NCC" -O2 -w -I"$z" -c -o "$OUT/obj/z-$f.o" "$z/$f"
		"$WCC" --target=wasm32-wasi --sysroot=/usr -O2 -w -I"$z" -c -o "$OUT/obj/z-$f.wasm.o" "$z/$f"
		zobj+=("$OUT/obj/z-$f")
	done
	"$NCC" -o "$OUT/native/zlib" "$OUT/obj/zlib-main.o" "${zobj[@]/%/.o}"
	"$WCC" --target=wasm32-wasi --sysroot=/usr -o "$OUT/wasm/zlib.wasm" \
		"$OUT/obj/zlib-main.wasm.o" "${zobj[@]/%/.wasm.o}"
	# SQLite: tests/wasi/sqlite.sh fetches, builds (cached in $B/sqlite) and
	# checks the shell; only its two binaries are used here.
	if [ ! -x "$B/sqlite/sqlite3.native" ] || [ ! -f "$B/sqlite/sqlite3.wasm" ]; then
		echo "bench: building the SQLite shell (tests/wasi/sqlite.sh)" >&2
		WRUN=$WRUN B=$B sh tests/wasi/sqlite.sh >"$OUT/sqlite-build.log" 2>&1 || true
		[ -f "$B/sqlite/sqlite3.wasm" ] || die "no SQLite shell (see $OUT/sqlite-build.log)"
	fi
	cp "$B/sqlite/sqlite3.native" "$OUT/native/sqlite"
	cp "$B/sqlite/sqlite3.wasm" "$OUT/wasm/sqlite.wasm"
}

users_data() {
	cp bench/users/sqlite.sql "$WORK/data/sqlite.sql"
}

# The targets of issue 16, from CPU-time medians (user + system of every
# process of a run): the machine these run on is shared, and CPU time
# suffers less from other work than wall time. "main" is the peer that runs
# the engine from before the work of issue 16 at --sandbox=full
# (WRUN_PEERS=main=/path/to/a/script running `wrun --sandbox=full` on its
# arguments after the first, `run`); "no program slower" compares full
# with it.
# shellcheck disable=SC2016
SEC_TARGETS16='
function cr(p, a, b) { return ok[p, a] && ok[p, b] && mc[p, b] > 0 ? mc[p, a] / mc[p, b] : 0 }
function cmean(a, b, only,    p, s, n, r, u, i) {
	s = 0; n = 0
	if (only) { split(ENVIRON["USERS16_PROGS"], u, " "); for (i in u) user16[u[i]] = 1 }
	for (p = 1; p <= np; p++)
		if (kind[p] == "compute" && (!only || (prog[p] in user16)) &&
		    (r = cr(prog[p], a, b))) { s += log(r); n++ }
	GN = n
	return n ? exp(s / n) : 0
}
function verdict(met) { return met ? "**met**" : "**not met**" }
function report(   g, gn, lc, p, r, worst, wn, bad, hx, hasmain, s) {
	hasmain = 0
	for (s = 1; s <= ns; s++) if (side[s] == "main") hasmain = 1
	g = cmean("full", "native", 1); gn = GN
	print "| target | measured (CPU-time medians) | verdict |\n|---|---|---|"
	printf "| users'"'"' programs (%s): geometric mean of full / native <= %sx | %.2fx over %d programs (none %.2fx; all %d compute programs: full %.2fx) | %s |\n",
		ENVIRON["USERS16_PROGS"], t16, g, gn, cmean("none", "native", 1),
		(cmean("full", "native") ? GN : 0), cmean("full", "native"), verdict(g && gn == 7 && g <= t16)
	if (hasmain) {
		worst = 0; bad = ""
		for (p = 1; p <= np; p++)
			if (kind[p] == "compute" && (r = cr(prog[p], "full", "main"))) {
				if (r > worst) { worst = r; wn = prog[p] }
				if (r > 1.02) bad = bad sprintf(" %s %.3fx,", prog[p], r)
			}
		sub(/,$/, "", bad)
		printf "| no program slower than before (wrun / main, both --sandbox=full, each compute program; above 1.02x counted as slower) | geometric mean %.3fx; worst %s %.3fx%s | %s |\n",
			cmean("full", "main"), wn, worst, bad == "" ? "" : "; slower:" bad, verdict(bad == "")
	} else
		print "| no program slower than before | not measured: no peer named main | **not measured** |"
	lc = cmean("full", "none")
	printf "| full within 5%% of none on compute (geometric mean) | %.3fx | %s |\n", lc, verdict(lc && lc <= 1.05)
	hx = (hw["none"] > 0) ? hw["full"] / hw["none"] : 0
	printf "| hello-world: full <= 2x none (wall; CPU for reference), or a measured account of each remaining millisecond | wall full %.2f ms, none %.2f ms: %.2fx; CPU full %.0f ms, none %.0f ms | %s |\n",
		hw["full"] * 1000, hw["none"] * 1000, hx,
		hcpu["full"] * 1000, hcpu["none"] * 1000,
		hx && hx <= 2 ? verdict(1) : "**2x not met**; the account is in bench/README.md, \"What a sandboxed start-up costs here\""
	print ""
	printf "| program | native (s) | none / native | full / native | full / none |%s\n", hasmain ? " main / native | full / main |" : ""
	printf "|---|---:|---:|---:|---:|%s\n", hasmain ? "---:|---:|" : ""
	for (p = 1; p <= np; p++) {
		if (kind[p] != "compute") continue
		printf "| %s | %.3f | %s | %s | %s |", prog[p], mc[prog[p], "native"],
			fmt_ratio(cr(prog[p], "none", "native")), fmt_ratio(cr(prog[p], "full", "native")),
			fmt_ratio(cr(prog[p], "full", "none"))
		if (hasmain)
			printf " %s | %s |", fmt_ratio(cr(prog[p], "main", "native")), sprintf("%.3fx", cr(prog[p], "full", "main"))
		print ""
	}
}'
