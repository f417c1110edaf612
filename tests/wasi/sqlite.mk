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
