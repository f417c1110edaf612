# src/wasi/wasi.mk: WASI preview1 and its tests; included by the Makefile
# (after ENGINE_OBJ, LIB, B and ALL_CFLAGS are defined).
#
#   make check-wasi   the guest-program suite (tests/wasi/run.sh) and the
#                     WASI unit tests; WRUN=... WRUN_FLAGS=... to choose the
#                     binary and extra flags (the sandbox runs it per level)

WASI_SRC := $(wildcard src/wasi/*.c)
WASI_OBJ := $(WASI_SRC:%.c=$(B)/%.o)
# Everything but the in-process binding: needs nothing from the engine.
WASI_CORE_OBJ := $(filter-out $(B)/src/wasi/wasi_bind.o,$(WASI_OBJ))
WASI_UNIT := $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test_wasi_*.c))

WRUN       ?= $(B)/wrun
WRUN_FLAGS ?=

# wrun links the WASI objects before the engine library; the Makefile's
# recipe names them: $(B)/src/main.o $(WASI_OBJ) $(LIB).
$(B)/wrun: $(WASI_OBJ)

# The WASI unit tests link the WASI core alone (more specific than the
# Makefile's test_% rule, so it wins for test_wasi_*).
$(B)/tests/test_wasi_%: tests/unit/test_wasi_%.c $(WASI_CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(WASI_CORE_OBJ) -lcmocka $(LDLIBS)

.PHONY: check-wasi wasi-unit

wasi-unit: $(WASI_UNIT)
	@set -e; for t in $(WASI_UNIT); do echo "== $$t"; $$t; done

check-wasi: $(B)/wrun wasi-unit
	WRUN="$(WRUN)" WRUN_FLAGS="$(WRUN_FLAGS)" B="$(B)" sh tests/wasi/run.sh
