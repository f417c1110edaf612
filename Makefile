# wrun: build, test and install.
#
#   make            build build/wrun
#   make run        build and run the bundled example under the full sandbox
#   make check      unit tests, spec suite, WASI and sandbox tests
#   make spec       the core spec suite (WAST="files or dirs" to choose others)
#   make asan       the unit and spec tests under AddressSanitizer + UBSan
#   make check-switch  the same tests with the portable switch dispatch
#   make fuzz       the decoder under libFuzzer (FUZZ_SECONDS=60)
#   make bench      the benchmark suite (writes bench/report.md)
#   make install    PREFIX=/usr/local DESTDIR=

CC      ?= gcc
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
B       ?= build
SPEC    ?= ../shared/spec/wast
WAST    ?= $(SPEC)

OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
WFLAGS  := -Wall -Wextra -Werror -Wno-unused-parameter
ALL_CFLAGS := -std=gnu11 $(WFLAGS) $(CFLAGS) $(SANFLAGS) -Iinclude -Isrc -Isandbox -D_GNU_SOURCE
LDLIBS  := -lm
# wrun itself is a static PIE: it starts twice per sandboxed run (the broker,
# then the re-executed child), and without the dynamic loader each start-up
# is about 2 ms shorter here; PIE keeps its addresses randomised.  The
# sanitizer runtimes need the dynamic loader, so those builds stay dynamic.
WRUN_LDFLAGS ?= $(if $(SANFLAGS),,-static-pie)

ENGINE_SRC := $(wildcard src/*.c)
ENGINE_SRC := $(filter-out src/main.c,$(ENGINE_SRC))
ENGINE_OBJ := $(ENGINE_SRC:%.c=$(B)/%.o)
LIB        := $(B)/libwrun.a

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

.PHONY: all deps run check unit spec check-wasi-testsuite check-invoke check-switch asan fuzz bench install uninstall clean

all: $(B)/wrun

# Install missing Debian packages (a no-op when everything is present).
deps:
	@scripts/deps.sh

$(B)/%.o: %.c $(wildcard include/*.h src/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The interpreter's branches kept from crossing or ending on a 32-byte
# boundary: Intel cores with the JCC erratum fix run such branches from the
# slow legacy decoders, and which handlers hit one moves with any edit of
# interp.c (reordering its handlers, every instruction the same, cost nbody
# 16% and matmul 10%: bench/README.md). Every kind of branch, the handlers'
# indirect dispatch jumps included. Left out where the assembler lacks it.
JCC_FLAG := $(shell f='-Wa,-malign-branch-boundary=32 -Wa,-malign-branch=jcc+fused+jmp+indirect+call+ret'; \
	$(CC) $$f -x c -c /dev/null -o /dev/null 2>/dev/null && echo $$f)
$(B)/src/interp.o: ALL_CFLAGS += $(JCC_FLAG)

$(LIB): $(ENGINE_OBJ)
	@rm -f $@
	ar rcs $@ $^

# The fragments define WASI_OBJ and SANDBOX_OBJ, which the wrun rule names.
include src/wasi/wasi.mk sandbox/sandbox.mk bench/bench.mk tests/wasi/sqlite.mk tests/simd/simd.mk

$(B)/wrun: $(B)/src/main.o $(SANDBOX_OBJ) $(WASI_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) $(WRUN_LDFLAGS) -o $@ $(B)/src/main.o $(SANDBOX_OBJ) $(WASI_OBJ) $(LIB) $(SANDBOX_LIBS) $(LDLIBS)

$(B)/tests/test_%: tests/unit/test_%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) -lcmocka $(LDLIBS)

$(B)/spectest: tests/spec/spectest.c $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) -lcjson $(LDLIBS)

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

SPEC_EXCLUDE ?=
spec: $(B)/spectest
	@if [ "$(WAST)" = "$(SPEC)" ] && [ ! -d "$(SPEC)" ]; then \
		echo "skip: the core spec suite is not at $(SPEC); put its .wast files there or give SPEC=DIR"; \
		echo "0 passed, 0 failed, 1 skipped"; \
	else \
		echo "$(B)/spectest --work $(B)/spec-json $(WAST)"; \
		$(B)/spectest --work $(B)/spec-json $(addprefix --exclude ,$(SPEC_EXCLUDE)) $(WAST); \
	fi

CHECK_SUITES ?= unit spec check-switch check-wasi check-wasi-testsuite check-invoke check-simd \
	sandbox-check sandbox-broker-check sqlite asan
check: deps
	$(MAKE) all $(B)/spectest
	tests/run-all.sh B=$(B) -- $(CHECK_SUITES)

# The official WASI preview1 conformance suite (wasi-testsuite) at every
# level, as root and as the unprivileged test user (tests/wasi-testsuite/).
WASI_TESTSUITE ?= ../shared/wasi-testsuite
check-wasi-testsuite: $(B)/wrun
	python3 tests/wasi-testsuite/run.py --suite $(WASI_TESTSUITE) $(B)/wrun

# --invoke at every isolation level (tests/invoke/run.sh).
check-invoke: $(B)/wrun
	sh tests/invoke/run.sh $(B)/wrun

# The portable switch-dispatch build of the interpreter, kept passing too.
SWITCH_B ?= build-switch
check-switch:
	$(MAKE) B=$(SWITCH_B) CFLAGS="-O2 -g -DWR_SWITCH_DISPATCH" unit spec

# The decoder and validator under libFuzzer, seeded with the spec suite's
# modules (run `make spec` first for the seeds); FUZZ_SECONDS bounds the run.
FUZZ_SECONDS ?= 60
$(B)/fuzz_decode: tests/fuzz/fuzz_decode.c src/decode.c src/validate.c $(wildcard src/*.h include/*.h)
	@mkdir -p $(dir $@)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Isrc -D_GNU_SOURCE \
		tests/fuzz/fuzz_decode.c src/decode.c src/validate.c -o $@
fuzz: $(B)/fuzz_decode
	@mkdir -p $(B)/fuzz-corpus
	$(B)/fuzz_decode -max_len=4096 -max_total_time=$(FUZZ_SECONDS) $(B)/fuzz-corpus $(B)/spec-json

ASAN_B ?= build-asan
asan:
	$(MAKE) B=$(ASAN_B) OPT=-O1 SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" unit spec

run: deps
	$(MAKE) all
	$(B)/wrun examples/hello.wasm world

install: all
	install -D -m 755 $(B)/wrun $(DESTDIR)$(BINDIR)/wrun
	install -D -m 644 man/wrun.1 $(DESTDIR)$(MANDIR)/man1/wrun.1
	install -D -m 644 man/wrun-sandbox.7 $(DESTDIR)$(MANDIR)/man7/wrun-sandbox.7

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/wrun $(DESTDIR)$(MANDIR)/man1/wrun.1 \
		$(DESTDIR)$(MANDIR)/man7/wrun-sandbox.7

clean:
	rm -rf build build-asan build-switch

