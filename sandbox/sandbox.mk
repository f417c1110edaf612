# sandbox/sandbox.mk: the sandbox objects and their tests.
# Included by the top Makefile after ALL_CFLAGS, B, CC and LDLIBS are set.
#
#   SANDBOX_OBJ    objects to link into wrun (with SANDBOX_LIBS)
#   sandbox-tests  build the probe, the ring test, the channel benchmark
#                  and the channel, broker, broker-filter and guest-size
#                  unit tests
#   sandbox-check  run them (as root and as an unprivileged user when root)
#   sandbox-broker-check  the broker end to end (broker.sh, levels.sh)
#   check-audit   the --audit log read back with a JSON parser (audit.sh)

SEC_RULES    := sandbox/seccomp_rules.c sandbox/seccomp_broker_rules.c
SANDBOX_SRC  := $(filter-out $(SEC_RULES),$(wildcard sandbox/*.c))
SANDBOX_HDR  := $(wildcard sandbox/*.h)
SANDBOX_OBJ  := $(SANDBOX_SRC:%.c=$(B)/%.o)
SANDBOX_LIBS := -luring -lcap
SBX_CFLAGS    = $(ALL_CFLAGS) -Isandbox
SBX_TBIN     := $(B)/sandbox/tests

$(B)/sandbox/%.o: sandbox/%.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(SANDBOX_INC) -c -o $@ $<

# The child's filter and the broker's: libseccomp compiles the rules to BPF
# at build time, and wrun carries the programs (sandbox/gen/sec_gen.c says why).
$(B)/sandbox/gen/sec_gen: sandbox/gen/sec_gen.c $(SEC_RULES) sandbox/seccomp_rules.h
	@mkdir -p $(dir $@)
	$(CC) $(SBX_CFLAGS) -o $@ sandbox/gen/sec_gen.c $(SEC_RULES) -lseccomp

$(B)/sandbox/sec_filter.h: $(B)/sandbox/gen/sec_gen
	$< $@

$(B)/sandbox/seccomp.o: sandbox/seccomp.c $(B)/sandbox/sec_filter.h
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(SANDBOX_INC) -c -o $@ $<

# Test-only: the probe re-executes itself into the jail; never part of wrun.
$(SBX_TBIN)/probe: tests/sandbox/probe.c $(B)/sandbox/jail.o \
		$(B)/sandbox/jail_enter.o $(B)/sandbox/seccomp.o $(SANDBOX_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(SBX_CFLAGS) -o $@ $< $(filter %.o,$^) -lcap

$(SBX_TBIN)/test_ring: tests/sandbox/test_ring.c $(B)/sandbox/ring.o \
		$(B)/sandbox/channel.o $(SANDBOX_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(SBX_CFLAGS) -o $@ $< $(filter %.o,$^) -luring

$(SBX_TBIN)/chan_bench: tests/sandbox/chan_bench.c $(B)/sandbox/channel.o $(SANDBOX_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(SBX_CFLAGS) -o $@ $< $(filter %.o,$^)

# The channel's unit test needs the channel, not libwrun: this explicit rule
# takes precedence over the generic tests/unit pattern rule.
$(B)/tests/test_channel: tests/unit/test_channel.c $(B)/sandbox/channel.o $(SANDBOX_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(SBX_CFLAGS) -o $@ $< $(filter %.o,$^) -lcmocka -lpthread $(LDLIBS)

# The broker's request handling against malformed requests: the channel,
# the request code and the WASI core, without a child (more specific than
# the generic tests/unit rule, so `make unit` builds it this way).
BRK_UNIT_OBJ := $(addprefix $(B)/sandbox/,brk_req.o brk_audit.o brk_json.o channel.o \
		sbx_cli.o jail.o) $(B)/src/run/outcome.o

$(B)/tests/test_broker: tests/unit/test_broker.c $(BRK_UNIT_OBJ) $(WASI_CORE_OBJ) \
		$(SANDBOX_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(SBX_CFLAGS) -o $@ $< $(BRK_UNIT_OBJ) $(WASI_CORE_OBJ) -lcmocka $(LDLIBS)

# The audit log's pieces (JSON, SHA-256, errno names, whole records).
$(B)/tests/test_audit: tests/unit/test_audit.c $(BRK_UNIT_OBJ) $(B)/sandbox/brk_sha256.o \
		$(WASI_CORE_OBJ) $(SANDBOX_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(SBX_CFLAGS) -o $@ $< $(BRK_UNIT_OBJ) $(B)/sandbox/brk_sha256.o $(WASI_CORE_OBJ) \
		-lcmocka -lcjson $(LDLIBS)

# The broker's filter in a forked process: what it kills, what it lets by.
$(B)/tests/test_brk_filter: tests/unit/test_brk_filter.c $(B)/sandbox/seccomp.o $(SANDBOX_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(SBX_CFLAGS) -o $@ $< $(B)/sandbox/seccomp.o -lcmocka $(LDLIBS)

# Guest-chosen sizes in the request path: the WASI core with malloc wrapped
# to record the largest request (more specific than the generic rule).
$(B)/tests/test_guest_sizes: tests/unit/test_guest_sizes.c $(WASI_CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(WASI_CORE_OBJ) -lcmocka $(LDLIBS) \
		-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc

.PHONY: sandbox-tests sandbox-check
sandbox-tests: $(SBX_TBIN)/probe $(SBX_TBIN)/test_ring $(SBX_TBIN)/chan_bench \
		$(B)/tests/test_channel $(B)/tests/test_broker $(B)/tests/test_brk_filter \
		$(B)/tests/test_guest_sizes

sandbox-check: sandbox-tests
	$(B)/tests/test_channel
	$(B)/tests/test_broker
	$(B)/tests/test_brk_filter
	$(B)/tests/test_guest_sizes
	tests/sandbox/run.sh $(SBX_TBIN)

# ---- the broker and the jailed child (issue 5) ----
# SANDBOX_OBJ above holds them all (child_hook.o is the release no-op).
# The test driver swaps the hooks for tests/sandbox/child_hook_test.c and
# links the engine and WASI: it is wrun's sandbox path without main.c.
SBX_DRV_OBJ := $(filter-out $(B)/sandbox/child_hook.o,$(SANDBOX_OBJ))

$(SBX_TBIN)/sbx_driver: tests/sandbox/sbx_driver.c tests/sandbox/child_hook_test.c \
		$(SBX_DRV_OBJ) $(RUN_OBJ) $(WASI_OBJ) $(LIB) $(SANDBOX_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(SBX_CFLAGS) -o $@ tests/sandbox/sbx_driver.c tests/sandbox/child_hook_test.c \
		$(SBX_DRV_OBJ) $(RUN_OBJ) $(WASI_OBJ) $(LIB) $(SANDBOX_LIBS) $(LDLIBS)

.PHONY: sandbox-driver sandbox-broker-check
sandbox-driver: $(SBX_TBIN)/sbx_driver

# The broker's suite (guests at every level, escapes, faults, limits, the
# hostile-child hooks) through the driver; then the real wrun at levels
# full, seccomp and none, as root and unprivileged (levels.sh: the WASI
# suite, escapes, the symlink race, the fallback, the broker's descriptors).
sandbox-broker-check: $(SBX_TBIN)/sbx_driver $(B)/wrun
	B="$(B)" tests/sandbox/broker.sh $(SBX_TBIN)/sbx_driver
	tests/sandbox/levels.sh $(B)/wrun

# The audit log read back with a JSON parser, at levels full and seccomp
# (tests/sandbox/audit.sh; the driver's hooks provide the violation).
.PHONY: check-audit
check-audit: $(SBX_TBIN)/sbx_driver $(B)/wrun
	tests/sandbox/audit.sh $(B)/wrun $(SBX_TBIN)/sbx_driver
