# tests/wasi/sqlite.mk: the SQLite acceptance test; included by the Makefile.
#
#   make sqlite   fetch the sqlite3 package from the npm registry (once, into
#                 $(B)/sqlite/), build its SQLite shell natively and for
#                 wasm32-wasi, run tests/wasi/sqlite.sql under both and
#                 compare; WRUN=... WRUN_FLAGS=... choose the binary and
#                 extra flags; SQLITE_NPM=sqlite3@VERSION pins the package

WRUN       ?= $(B)/wrun
WRUN_FLAGS ?=

.PHONY: sqlite

sqlite: $(B)/wrun
	WRUN="$(WRUN)" WRUN_FLAGS="$(WRUN_FLAGS)" B="$(B)" sh tests/wasi/sqlite.sh

# The same as a WASI 0.2 component (wrapped by jco's preview1 adapter),
# built apart (B/sqlite-component) since its shim adds cabi_realloc.
.PHONY: sqlite-component
sqlite-component: $(B)/wrun
	@if jco=$$(tests/spec3/jco.sh $(B)); then \
		mkdir -p $(B)/sqlite-component/sqlite; \
		cp -n $(B)/sqlite/sqlite3-*.tgz $(B)/sqlite-component/sqlite/ 2>/dev/null; \
		JCO="$$jco" WRUN="$(WRUN)" WRUN_FLAGS="$(WRUN_FLAGS)" B="$(B)/sqlite-component" \
			sh tests/wasi/sqlite.sh; \
	else echo "skip: jco could not be installed (npm)"; echo "0 passed, 0 failed, 1 skipped"; fi
