# wrun: build, test and install.
#
#   make            build build/wrun
#   make run        build and run the bundled example under the full sandbox
#   make check      unit tests, spec suite, WASI and sandbox tests
#   make spec       the core spec suite (WAST="files or dirs" to choose others)
#   make spec3      the Wasm 3.0 core spec suite, converted by tests/spec3 (not in check)
#   make asan       the unit, spec and failing-allocator tests under ASan + UBSan
#   make check-switch  the same tests with the portable switch dispatch
#   make fuzz       every libFuzzer target, FUZZ_SECONDS each (default 60)
#   make bench      the benchmark suite (writes bench/report.md)
#   make check-oci  wrun-oci, the OCI runtime: its command line, podman and containerd
#   make install    PREFIX=/usr/local DESTDIR= (wrun, wrun-oci, man pages, wrun.h, libwrun, wrun.pc)

CC      ?= gcc
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
LIBDIR  ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MANDIR  ?= $(PREFIX)/share/man
# The library's version comes from the header; the soname carries its major.
VERSION := $(shell sed -n 's/^\#define WRUN_VERSION "\(.*\)"/\1/p' include/wrun.h)
SOMAJOR := $(firstword $(subst ., ,$(VERSION)))
B       ?= build
SPEC    ?= ../shared/spec/wast
WAST    ?= $(SPEC)

OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
WFLAGS  := -Wall -Wextra -Werror -Wno-unused-parameter
# -MMD -MP: each object's header dependencies come from the compiler
# (build/**/*.d, included at the end), so touching a header rebuilds
# exactly the objects that include it.
BASE_CFLAGS := -std=gnu11 $(WFLAGS) $(CFLAGS) $(SANFLAGS) -MMD -MP -D_GNU_SOURCE

# Each layer compiles with only the include paths it may use (the
# folders' READMEs say why): the engine sees its own headers and the public
# API; WASI its own, the API and nothing of the engine; the run pipeline
# and the sandbox only the public headers of the engine, WASI and run.
ENGINE_INC  := -Iinclude -Isrc/engine
# Components use the core engine through include/wrun.h only. src/component
# is a quote-only path: its ctype.h must not shadow <ctype.h>.
COMPONENT_INC := -Iinclude -iquote src/component
WASI_INC    := -Iinclude -Isrc/wasi/include -Isrc/wasi
RUN_INC     := -Iinclude -Isrc/wasi/include -Isrc/run -Isrc/wasi2
CLI_INC     := $(RUN_INC) -Isandbox
SANDBOX_INC := $(RUN_INC) -Isandbox -I$(B)/sandbox
# Tests and tools reach into whatever they test.
TEST_INC    := -Iinclude -Isrc/engine -iquote src/component -Isrc/wasi/include -Isrc/wasi -Isrc/run -Isandbox
ALL_CFLAGS  := $(BASE_CFLAGS) $(TEST_INC)
LDLIBS  := -lm
# wrun itself is a static PIE: it starts twice per sandboxed run (the broker,
# then the re-executed child), and without the dynamic loader each start-up
# is about 2 ms shorter here; PIE keeps its addresses randomised.  The
# sanitizer runtimes need the dynamic loader, so those builds stay dynamic.
WRUN_LDFLAGS ?= $(if $(SANFLAGS),,-static-pie)

# libwrun: the core engine and the component model.
ENGINE_SRC := $(wildcard src/engine/*.c src/component/*.c)
ENGINE_OBJ := $(ENGINE_SRC:%.c=$(B)/%.o)
LIB        := $(B)/libwrun.a

# The run pipeline (src/run/): load, link, instantiate, run; outcomes.
# The WASI 0.2 host (src/wasi2/) over preview1, linked with it.
RUN_OBJ := $(patsubst %.c,$(B)/%.o,$(wildcard src/run/*.c src/wasi2/*.c))

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

.PHONY: check-toolchain check-canon all lib deps run check check-build check-alloc check-outcomes check-install unit spec check-wasi-testsuite check-invoke check-tail check-mem check-eh check-stdio check-inspect check-inspect-unit check-switch asan fuzz bench install uninstall clean spec3 check-wave check-cdecode spec-component check-link check-adapter check-cinvoke check-wasi2 check-sockets sqlite-component check-wasi2-native check-cli-groups opcount check-gc

all: $(B)/wrun

# Install missing Debian packages (a no-op when everything is present).
deps:
	@scripts/deps.sh

LAYER_INC = $(TEST_INC)
$(B)/src/engine/%.o $(B)/pic/src/engine/%.o: LAYER_INC = $(ENGINE_INC)
$(B)/src/component/%.o $(B)/pic/src/component/%.o: LAYER_INC = $(COMPONENT_INC)
$(B)/src/wasi/%.o: LAYER_INC = $(WASI_INC)
$(B)/src/run/%.o: LAYER_INC = $(RUN_INC)
$(B)/src/wasi2/%.o: LAYER_INC = $(RUN_INC)
$(B)/src/cli/%.o: LAYER_INC = $(CLI_INC)
$(B)/sandbox/%.o: LAYER_INC = $(SANDBOX_INC)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(LAYER_INC) -c -o $@ $<

# The interpreter's branches kept from crossing or ending on a 32-byte
# boundary: Intel cores with the JCC erratum fix run such branches from the
# slow legacy decoders, and which handlers hit one moves with any edit of
# interp.c (reordering its handlers, every instruction the same, cost nbody
# 16% and matmul 10%: bench/README.md). Every kind of branch, the handlers'
# indirect dispatch jumps included. Left out where the assembler lacks it.
JCC_FLAG := $(shell f='-Wa,-malign-branch-boundary=32 -Wa,-malign-branch=jcc+fused+jmp+indirect+call+ret'; \
	$(CC) $$f -x c -c /dev/null -o /dev/null 2>/dev/null && echo $$f)
$(B)/src/engine/interp.o $(B)/pic/src/engine/interp.o: BASE_CFLAGS += $(JCC_FLAG)

$(LIB): $(ENGINE_OBJ)
	@rm -f $@
	ar rcs $@ $^

# The shared library: the engine again, position-independent, exporting
# only the wr_ API (src/engine/libwrun.map), with a versioned soname.
SO      := $(B)/libwrun.so.$(VERSION)
PIC_OBJ := $(ENGINE_SRC:%.c=$(B)/pic/%.o)
$(B)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(LAYER_INC) -fPIC -c -o $@ $<
$(SO): $(PIC_OBJ) src/engine/libwrun.map
	$(CC) $(BASE_CFLAGS) -shared -Wl,-soname,libwrun.so.$(SOMAJOR) \
		-Wl,--version-script=src/engine/libwrun.map -o $@ $(PIC_OBJ) $(LDLIBS)
lib: $(LIB) $(SO)

# The fragments define WASI_OBJ and SANDBOX_OBJ, which the wrun rule names.
include src/wasi/wasi.mk sandbox/sandbox.mk bench/bench.mk tests/wasi/sqlite.mk tests/simd/simd.mk src/oci/oci.mk

$(B)/wrun: $(B)/src/cli/main.o $(SANDBOX_OBJ) $(RUN_OBJ) $(WASI_OBJ) $(LIB)
	$(CC) $(BASE_CFLAGS) $(WRUN_LDFLAGS) -o $@ $(B)/src/cli/main.o $(SANDBOX_OBJ) $(RUN_OBJ) \
		$(WASI_OBJ) $(LIB) $(SANDBOX_LIBS) $(LDLIBS)

$(B)/tests/test_%: tests/unit/test_%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) -lcmocka $(LDLIBS)

$(B)/spectest: tests/spec/spectest.c tests/spec/spectest_comp.c $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) -lcjson $(LDLIBS)

# The component model's unit tests (tests/component/).
$(B)/tests/component/test_%: tests/component/test_%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) -lcmocka $(LDLIBS)
check-canon: $(B)/tests/component/test_canon
	$(B)/tests/component/test_canon
# The component decoder and validator's unit tests (the reference scripts:
# make spec-component).
# cdecode_alloc: every allocation of wr_component_load failed in turn, on
# the component binaries make spec-component converted (when present).
$(B)/tests/component/cdecode_alloc: tests/component/cdecode_alloc.c tests/alloc/alloc_wrap.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/alloc -o $@ $< $(LIB) $(LDLIBS) \
		-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=free
check-cdecode: $(B)/tests/component/test_cdecode $(B)/tests/component/cdecode_alloc
	$(B)/tests/component/test_cdecode
	@echo "$(B)/tests/component/cdecode_alloc hello.component.wasm [the .wasm files of $(B)/specc-json]"
	@$(B)/tests/component/cdecode_alloc tests/component/data/hello.component.wasm \
		$(wildcard $(B)/specc-json/*/*.wasm)

# Instantiation and the host linker (tests/component/test_link.c).
$(B)/tests/component/test_link: tests/component/data/link_async_wasm.h \
	tests/component/data/link_bad_wasm.h \
	tests/component/data/link_deep_wasm.h tests/component/data/link_many_wasm.h \
	tests/component/data/link_host_wasm.h tests/component/data/link_own_wasm.h \
	tests/component/data/link_res_wasm.h tests/component/data/link_user_wasm.h
# clink_alloc: every allocation of an instantiation failed in turn.
$(B)/tests/component/clink_alloc: tests/component/clink_alloc.c tests/alloc/alloc_wrap.h $(LIB) \
	$(wildcard tests/component/data/link_*_wasm.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/alloc -o $@ $< $(LIB) $(LDLIBS) \
		-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=free
check-link: $(B)/tests/component/test_link $(B)/tests/component/clink_alloc
	$(B)/tests/component/test_link
	$(B)/tests/component/clink_alloc tests/component/data/calc.wasm \
		tests/component/data/hello.component.wasm

# The preview1 adapter: preview1 programs wrapped into components decode,
# validate and instantiate (tests/component/adapter.sh).
$(B)/adapter_check: tests/component/adapter_check.c $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LDLIBS)
check-adapter: $(B)/adapter_check
	tests/component/adapter.sh $(B)

# WASI 0.2: wasi:cli/command components (preview1 programs wrapped by jco's
# adapter: examples/hello.wasm and the official preview1 suite) run at
# every level (tests/wasi2/run.py).
check-wasi2: $(B)/wrun
	@if jco=$$(tests/spec3/jco.sh $(B)); then \
		python3 tests/wasi2/run.py --suite $(WASI_TESTSUITE) --out $(B)/wasi2 $(B)/wrun "$$jco"; \
	else echo "skip: jco could not be installed (npm)"; echo "0 passed, 0 failed, 1 skipped"; fi

# wasi:sockets and the network grants (-S inherit-network, tcp, udp,
# allow-ip-name-lookup): a native 0.2 component (tests/sockets/net.c, no
# adapter) over loopback, granted and refused (with the audit lines), at
# every level, and as an unprivileged user when run as root
# (tests/sockets/run.py).
check-sockets: $(B)/wrun
	@if jco=$$(tests/spec3/jco.sh $(B)); then \
		python3 tests/sockets/run.py --out $(B)/sockets $(B)/wrun "$$jco"; \
	else echo "skip: jco could not be installed (npm)"; echo "0 passed, 0 failed, 1 skipped"; fi

# Native WASI 0.2 components (tests/wasi2/native/w2n.c: no adapter, no
# libc) at every level, the trailing-slash symlink escapes (0.2 and
# preview1), and the differential test against jco transpile + node with
# preview2-shim (tests/wasi2/native.py).
check-wasi2-native: $(B)/wrun
	@if jco=$$(tests/spec3/jco.sh $(B)); then \
		python3 tests/wasi2/native.py --suite $(WASI_TESTSUITE) --out $(B)/w2n $(B)/wrun "$$jco"; \
	else echo "skip: jco could not be installed (npm)"; echo "0 passed, 0 failed, 1 skipped"; fi

# wasmtime's option groups (-S inherit-env, -W fuel, max-memory-size,
# timeout, --argv0, refused keys) on a module and a component at every
# level (tests/cli/groups.py).
check-cli-groups: $(B)/wrun
	@if jco=$$(tests/spec3/jco.sh $(B)); then \
		python3 tests/cli/groups.py --out $(B)/cli $(B)/wrun "$$jco"; \
	else echo "skip: jco could not be installed (npm)"; echo "0 passed, 0 failed, 1 skipped"; fi

# wrun inspect (text and --json) at --sandbox=none, seccomp and full
# (tests/inspect/run.sh), then check-inspect-unit (also under make asan):
# the component API it uses (tests/inspect/capi_test.c), a hostile child's
# forged results (tests/inspect/take_test.c) and every allocation of a
# description failed in turn (tests/inspect/inspect_alloc.c).
check-inspect: $(B)/wrun
	sh tests/inspect/run.sh $(B)/wrun $(B)
	$(MAKE) --no-print-directory check-inspect-unit
check-inspect-unit: $(B)/inspect_alloc $(B)/inspect_take $(B)/inspect_capi $(B)/inspect/odd.wasm
	$(B)/inspect_capi tests/component/data/hello.component.wasm
	$(B)/inspect_take
	$(B)/inspect_alloc examples/*.wasm tests/component/data/hello.component.wasm \
		tests/component/data/calc.wasm $(B)/inspect/odd.wasm
$(B)/inspect/odd.wasm: tests/inspect/odd.py
	@mkdir -p $(dir $@)
	python3 $< $@
$(B)/inspect_capi: tests/inspect/capi_test.c $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LDLIBS)
INSP_TAKE_OBJ = $(filter-out $(B)/sandbox/sbx_inspect.o,$(SANDBOX_OBJ))
$(B)/inspect_take: tests/inspect/take_test.c sandbox/sbx_inspect.c $(INSP_TAKE_OBJ) $(RUN_OBJ) $(WASI_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) -I$(B)/sandbox -o $@ $< $(INSP_TAKE_OBJ) $(RUN_OBJ) $(WASI_OBJ) $(LIB) \
		$(SANDBOX_LIBS) $(LDLIBS)
$(B)/inspect_alloc: tests/inspect/inspect_alloc.c $(RUN_OBJ) $(WASI_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(RUN_OBJ) $(WASI_OBJ) $(LIB) $(LDLIBS) $(ALLOC_WRAP)

# wrun --invoke 'f(ARGS)' on a component, at every level (tests/component/invoke.sh).
check-cinvoke: $(B)/wrun
	sh tests/component/invoke.sh $(B)/wrun

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

# WAVE, component values as text (src/component/wave.h).
check-wave: $(B)/tests/component/test_wave
	$(B)/tests/component/test_wave

SPEC_EXCLUDE ?=
spec: $(B)/spectest
	@if [ -f "$(WAST)/nyi.txt" ]; then \
		tests/spec3/components.sh $(B) $(WAST) $(if $(VERBOSE),--verbose); \
	elif [ "$(WAST)" = "$(SPEC)" ] && [ ! -d "$(SPEC)" ]; then \
		echo "skip: the core spec suite is not at $(SPEC); put its .wast files there or give SPEC=DIR"; \
		echo "0 passed, 0 failed, 1 skipped"; \
	elif [ -d "$(WAST)/legacy" ]; then \
		$(MAKE) --no-print-directory spec3 SPEC3=$(WAST); \
	else \
		echo "$(B)/spectest --work $(B)/spec-json $(WAST)"; \
		$(B)/spectest --work $(B)/spec-json --wasm2 $(addprefix --exclude ,$(SPEC_EXCLUDE)) \
			$(WAST) > $(B)/spec2.log; rc=$$?; \
		if [ "$(WAST)" = "$(SPEC)" ]; then \
			$(MAKE) --no-print-directory spec3 > $(B)/spec3.out; rc3=$$?; \
			sed '$$ s/^/Wasm 2.0: /' $(B)/spec2.log; sed '$$ s/^/Wasm 3.0: /' $(B)/spec3.out; \
			{ tail -1 $(B)/spec2.log; tail -1 $(B)/spec3.out; } | \
				awk '{p+=$$1; f+=$$3; s+=$$5} END {printf "%d passed, %d failed, %d skipped\n", p, f, s}'; \
			[ $$rc = 0 ] && [ $$rc3 = 0 ]; \
		else cat $(B)/spec2.log; [ $$rc = 0 ]; fi; \
	fi

# The component model's reference scripts (tests/spec3/README.md): the
# synchronous ones (not async/, not those in nyi.txt), converted by
# wast3json.py with jco. `make spec WAST=DIR` does the same when DIR holds
# nyi.txt (the layout of component-model/test).
SPECC ?= ../shared/component-model/test
spec-component: $(B)/spectest
	@if [ ! -d "$(SPECC)" ]; then \
		echo "skip: the component model tests are not at $(SPECC); give SPECC=DIR"; \
		echo "0 passed, 0 failed, 1 skipped"; exit 0; \
	fi; \
	tests/spec3/components.sh $(B) $(SPECC) $(if $(VERBOSE),--verbose)

# The Wasm 3.0 core spec suite (tests/spec3/README.md): the scripts are
# converted by tests/spec3/wast3json.py, whose modules the pinned jco
# (installed into $(B)/jco by tests/spec3/jco.sh) encodes, then run by
# spectest. Not part of `make check`.
SPEC3 ?= ../shared/spec3/wast
spec3: $(B)/spectest
	@if [ ! -d "$(SPEC3)" ]; then \
		echo "skip: the Wasm 3.0 spec suite is not at $(SPEC3); give SPEC3=DIR"; exit 0; \
	fi; \
	jco=$$(tests/spec3/jco.sh $(B)) || exit 1; \
	rm -rf $(B)/spec3-json; \
	python3 tests/spec3/wast3json.py --jco "$$jco" --out-dir $(B)/spec3-json $(SPEC3)/*.wast || exit 1; \
	if [ -d "$(SPEC3)/legacy" ]; then \
		python3 tests/spec3/wast3json.py --jco "$$jco" --out-dir $(B)/spec3-json/legacy \
			$(SPEC3)/legacy/*.wast || exit 1; \
	fi; \
	set --; for n in $$(grep -v '^#' tests/spec3/gc-scripts.txt); do \
		set -- "$$@" --skip "$$n:garbage collection is not implemented yet"; done; \
	echo "$(B)/spectest --json $(B)/spec3-json [--skip each of tests/spec3/gc-scripts.txt] $(SPEC3)"; \
	$(B)/spectest --json $(B)/spec3-json "$$@" $(SPEC3) > $(B)/spec3.log; \
	if [ -d "$(SPEC3)/legacy" ]; then \
		echo "$(B)/spectest --json $(B)/spec3-json/legacy $(SPEC3)/legacy"; \
		$(B)/spectest --json $(B)/spec3-json/legacy $(SPEC3)/legacy | sed 's/^[^ ]*\.wast:/legacy\/&/' >> $(B)/spec3.log; \
	fi; \
	grep -v '^[0-9]* passed' $(B)/spec3.log; \
	grep '^[0-9]* passed' $(B)/spec3.log | awk '{p+=$$1; f+=$$3; s+=$$5} \
		END {printf "%d passed, %d failed, %d skipped\n", p, f, s; exit f > 0}'

CHECK_SUITES ?= check-build unit check-canon check-cdecode check-wave check-link check-adapter check-wasi2 check-sockets spec spec-component check-alloc check-switch check-wasi check-wasi-testsuite check-wasi2-native check-cli-groups \
	check-invoke check-cinvoke check-inspect check-tail check-toolchain check-mem check-eh check-outcomes check-stdio check-simd sandbox-check sandbox-broker-check check-audit check-gc \
	check-install sqlite sqlite-component check-oci asan
check: deps
	$(MAKE) all $(B)/spectest
	tests/run-all.sh B=$(B) -- $(CHECK_SUITES)

# Every allocation of a run failed in turn (tests/alloc/alloc_fail.c):
# the bundled examples, a wasi:cli/command component (hello, wrapped: the
# WASI 0.2 host), a module with every kind of section, and every
# module of the core spec suite (when present) must each fail cleanly,
# leaving no block and no descriptor behind.  `make asan` runs it too.
ALLOC_WRAP := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=free
$(B)/alloc_fail: tests/alloc/alloc_fail.c $(RUN_OBJ) $(WASI_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(RUN_OBJ) $(WASI_OBJ) $(LIB) $(LDLIBS) $(ALLOC_WRAP)
$(B)/alloc/kitchen.wasm: tests/alloc/kitchen.wat
	@mkdir -p $(dir $@)
	wat2wasm --enable-all -o $@ $<
# Exceptions thrown, caught, rethrown and delegated (tests/eh/).
$(B)/alloc/eh_legacy.wasm: tests/eh/eh_legacy.wat
	@mkdir -p $(dir $@)
	wat2wasm --enable-exceptions -o $@ $<
# The broker's request path the same way (tests/alloc/brk_alloc_fail.c).
$(B)/brk_alloc_fail: tests/alloc/brk_alloc_fail.c $(BRK_UNIT_OBJ) $(WASI_CORE_OBJ)
	$(CC) $(ALL_CFLAGS) -Itests/sandbox -o $@ $< $(BRK_UNIT_OBJ) $(WASI_CORE_OBJ) $(LDLIBS) \
		$(ALLOC_WRAP)
check-alloc: $(B)/alloc_fail $(B)/alloc/kitchen.wasm $(B)/alloc/eh_legacy.wasm $(B)/brk_alloc_fail
	$(B)/brk_alloc_fail
	@rm -rf $(B)/alloc/spec && mkdir -p $(B)/alloc/spec
	@if [ -d "$(SPEC)" ]; then for f in $(SPEC)/*.wast; do \
		wast2json "$$f" -o $(B)/alloc/spec/$$(basename "$$f" .wast).json >/dev/null 2>&1 || \
			echo "wast2json $$f failed"; done; \
	else echo "skip: no spec suite at $(SPEC); the sweep runs on the bundled modules only"; fi
	$(B)/alloc_fail examples/*.wasm $(B)/alloc/kitchen.wasm $(B)/alloc/eh_legacy.wasm \
		tests/component/data/hello.component.wasm \
		$$(find $(B)/alloc/spec -name '*.wasm' | sort)

# Touching a header rebuilds exactly the objects that include it; the
# engine's files form no cycle, the sandbox includes no internal header, and
# no function but the dispatch loop is over 80 lines.
check-build:
	python3 tests/build/headers.py $(B) $(B)/wrun
	python3 tests/build/structure.py $(B)

# Tail calls run in constant stack (tests/tail/run.sh).
check-tail: $(B)/wrun
	sh tests/tail/run.sh $(B)/wrun

# Several memories, one 64-bit, at every isolation level (tests/mem/run.sh).
check-mem: $(B)/wrun
	sh tests/mem/run.sh $(B)/wrun

# Exception handling end to end (tests/eh/run.sh): the legacy and the
# Wasm 3.0 forms of one program, at --sandbox=none and full.
check-eh: $(B)/wrun $(B)/spectest
	sh tests/eh/run.sh $(B)/wrun $(B)

# The garbage collector under stress (tests/gc/run.sh): thousands of
# collections, live and dead cycles, checked checksums, the heap's limit.
# GC_SANDBOX=none leaves out the sandboxed case.
check-gc: $(B)/wrun
	GC_SANDBOX=$(GC_SANDBOX) sh tests/gc/run.sh $(B)/wrun $(B)

# Every way a run ends gives the same message and status at every level.
check-outcomes: $(B)/wrun
	sh tests/run/outcomes.sh $(B)/wrun

# The official WASI preview1 conformance suite (wasi-testsuite) at every
# level, as root and as the unprivileged test user (tests/wasi-testsuite/).
WASI_TESTSUITE ?= ../shared/wasi-testsuite
check-wasi-testsuite: $(B)/wrun
	python3 tests/wasi-testsuite/run.py --suite $(WASI_TESTSUITE) $(B)/wrun

# --invoke at every isolation level (tests/invoke/run.sh).
check-invoke: $(B)/wrun
	sh tests/invoke/run.sh $(B)/wrun

# The standard streams at every isolation level (tests/sandbox/stdio.sh): no
# seek, size, times or flags of the caller's descriptors, emulated NONBLOCK,
# --max-output to a slow pipe.
check-stdio: $(B)/wrun
	sh tests/sandbox/stdio.sh $(B)/wrun

# The portable switch-dispatch build of the interpreter, kept passing too.
SWITCH_B ?= build-switch
check-switch:
	$(MAKE) B=$(SWITCH_B) CFLAGS="-O2 -g -DWR_SWITCH_DISPATCH" unit spec

# The counting build (switch dispatch, -DWR_OPCOUNT): wrun counting the VM
# operations it runs, and their pairs and triples, into $WRUN_OPCOUNT at
# exit (src/engine/interp.c; --sandbox=none). For choosing superinstructions.
OPCOUNT_B ?= build-opcount
opcount:
	$(MAKE) B=$(OPCOUNT_B) CFLAGS="-O2 -g -DWR_SWITCH_DISPATCH -DWR_OPCOUNT" $(OPCOUNT_B)/wrun

# libFuzzer targets (tests/fuzz/), each seeded with the spec suite's
# modules (run `make spec` first for the seeds: 2.0 and 3.0; `make
# spec-component` for the components); FUZZ_SECONDS bounds each:
#   fuzz_decode   the decoder and validator alone; components too (wr_component_load)
#   fuzz_run      compile, instantiate and run every export under fuel
#   fuzz_broker   the broker's request path: a channel request and a memory image
#   fuzz_cinst    components instantiated (imports trapping) and their exports called
#   fuzz_inspect  wrun inspect's description of any bytes, text and JSON
FUZZ_SECONDS ?= 60
FUZZ_SEEDS   ?= $(B)/spec-json
FUZZ_CC      := clang -g -O1 -fsanitize=fuzzer,address,undefined $(TEST_INC) -D_GNU_SOURCE
FUZZ_TARGETS := fuzz_decode fuzz_run fuzz_broker fuzz_cinst fuzz_inspect
# The broker's request path: what brk_take() runs, without a child.
FUZZ_BRK_SRC := $(addprefix sandbox/,brk_req.c brk_audit.c brk_json.c brk_sha256.c \
	channel.c sbx_cli.c jail.c) src/run/outcome.c $(filter-out src/wasi/wasi_bind.c,$(WASI_SRC))
# fuzz_decode: core modules, and components (wr_component_load), which
# need the whole library.
$(B)/fuzz_decode: tests/fuzz/fuzz_decode.c $(ENGINE_SRC) \
		$(wildcard src/engine/*.h src/component/*.h include/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) tests/fuzz/fuzz_decode.c $(ENGINE_SRC) -lm -o $@
fuzz-decode: FUZZ_SEEDS = $(B)/spec-json $(B)/spec3-json $(B)/specc-json tests/fuzz/regress tests/component/data
$(B)/fuzz_cinst: tests/fuzz/fuzz_cinst.c $(ENGINE_SRC) \
		$(wildcard src/engine/*.h src/component/*.h include/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) tests/fuzz/fuzz_cinst.c $(ENGINE_SRC) -lm -o $@
fuzz-cinst: FUZZ_SEEDS = $(B)/specc-json tests/fuzz/regress tests/component/data
fuzz-run: FUZZ_SEEDS = $(B)/spec-json $(B)/spec3-json tests/fuzz/regress
# fuzz_inspect: wrun inspect's description, text and JSON (tests/fuzz/fuzz_inspect.c).
$(B)/fuzz_inspect: tests/fuzz/fuzz_inspect.c src/run/inspect.c $(ENGINE_SRC) \
		$(wildcard src/engine/*.h src/component/*.h include/*.h src/run/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) tests/fuzz/fuzz_inspect.c src/run/inspect.c src/run/outcome.c \
		$(filter-out src/wasi/wasi_bind.c,$(WASI_SRC)) $(ENGINE_SRC) -lm -o $@
fuzz-inspect: FUZZ_SEEDS = $(B)/spec-json $(B)/specc-json tests/fuzz/regress tests/component/data
# fuzz_run's GC collects at every allocation that may (-DGC_EVERY), so a
# missed root shows at once.
$(B)/fuzz_run: tests/fuzz/fuzz_run.c $(ENGINE_SRC) $(wildcard src/engine/*.h include/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -DGC_EVERY tests/fuzz/fuzz_run.c $(ENGINE_SRC) -lm -o $@
$(B)/fuzz_broker: tests/fuzz/fuzz_broker.c $(FUZZ_BRK_SRC) $(wildcard src/*/*.h sandbox/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -Itests/sandbox tests/fuzz/fuzz_broker.c $(FUZZ_BRK_SRC) -o $@
# fuzz_broker starts from one well-formed request per function.
$(B)/fuzz-seeds/broker: tests/fuzz/broker_seeds.py src/wasi/include/wasi/wasi_fns.h
	rm -rf $@ && python3 tests/fuzz/broker_seeds.py src/wasi/include/wasi/wasi_fns.h $@
fuzz-broker: FUZZ_SEEDS = $(B)/fuzz-seeds/broker tests/fuzz/regress
fuzz-broker: $(B)/fuzz-seeds/broker
fuzz-%: $(B)/fuzz_%
	@mkdir -p $(B)/fuzz-corpus/$*
	$(B)/fuzz_$* -max_len=4096 -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=4096 \
		$(B)/fuzz-corpus/$* $(wildcard $(FUZZ_SEEDS))
fuzz: $(addprefix fuzz-,$(patsubst fuzz_%,%,$(FUZZ_TARGETS)))

# Wasm 3.0 features as clang-19 emits them (tests/toolchain/run.sh).
check-toolchain: $(B)/wrun
	tests/toolchain/run.sh $(B)

ASAN_B ?= build-asan
asan:
	$(MAKE) B=$(ASAN_B) OPT=-O1 SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" unit check-canon check-cdecode check-wave check-link spec spec-component check-alloc \
		check-inspect-unit check-outcomes check-wasi-testsuite check-wasi2 check-gc

run: deps
	$(MAKE) all
	$(B)/wrun examples/hello.wasm world

install: all lib
	install -D -s -m 755 $(B)/wrun $(DESTDIR)$(BINDIR)/wrun
	install -D -s -m 755 $(B)/wrun-oci $(DESTDIR)$(BINDIR)/wrun-oci
	install -D -m 644 man/wrun-oci.8 $(DESTDIR)$(MANDIR)/man8/wrun-oci.8
	install -D -m 644 man/wrun.1 $(DESTDIR)$(MANDIR)/man1/wrun.1
	install -D -m 644 man/wrun-sandbox.7 $(DESTDIR)$(MANDIR)/man7/wrun-sandbox.7
	install -D -m 644 include/wrun.h $(DESTDIR)$(INCLUDEDIR)/wrun.h
	install -D -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libwrun.a
	install -D -m 755 $(SO) $(DESTDIR)$(LIBDIR)/libwrun.so.$(VERSION)
	ln -sf libwrun.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libwrun.so.$(SOMAJOR)
	ln -sf libwrun.so.$(SOMAJOR) $(DESTDIR)$(LIBDIR)/libwrun.so
	@mkdir -p $(DESTDIR)$(PKGCONFIGDIR)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
		src/engine/wrun.pc.in >$(DESTDIR)$(PKGCONFIGDIR)/wrun.pc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/wrun $(DESTDIR)$(BINDIR)/wrun-oci $(DESTDIR)$(MANDIR)/man1/wrun.1 \
		$(DESTDIR)$(MANDIR)/man8/wrun-oci.8 \
		$(DESTDIR)$(MANDIR)/man7/wrun-sandbox.7 $(DESTDIR)$(INCLUDEDIR)/wrun.h \
		$(DESTDIR)$(LIBDIR)/libwrun.a $(DESTDIR)$(LIBDIR)/libwrun.so* \
		$(DESTDIR)$(PKGCONFIGDIR)/wrun.pc

# make install into a DESTDIR, then build examples/embed.c against the
# installed files alone (static and shared) and run it (tests/install/).
check-install:
	sh tests/install/run.sh

clean:
	rm -rf build build-asan build-switch

# Header dependencies written by the compiler (-MMD -MP).
-include $(shell find $(B) -name '*.d' 2>/dev/null)
