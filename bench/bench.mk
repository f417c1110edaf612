# bench/bench.mk: the benchmark suite, included from the top-level Makefile.
#
#   make bench          install what the suite needs (bench-deps), build
#                       wrun and the guest programs, run every program
#                       natively, under wrun at each isolation level and
#                       under every peer runtime found, and write
#                       bench/report.md and bench/report.svg (WRUN_FLAGS,
#                       WRUN_PEERS, BENCH_RUNS, BENCH_ONLY, BENCH_SIDES and
#                       the rest are read from the environment: see
#                       bench/run.sh)
#   make bench-build    build the guest programs into $(B)/bench only
#   make bench-deps     install gnuplot, GNU time and busybox-static if missing
#   make bench-oci      only the containers' section: podman run of hello
#                       through wrun-oci against a static busybox echo
#                       through runc (bench/oci.sh; BENCH_OCI_RUNS rounds)
#   make bench-component  only the components' section: compute kernels as a
#                       module and as a component (bench/component.sh)
#
# With WRUN given in the environment or on the command line, that binary is
# benchmarked as it is; otherwise $(B)/wrun is built first. (A WRUN defined
# by another makefile does not count: it is the default anyway.)

BENCH_WRUN := $(if $(filter environment command,$(origin WRUN)),$(WRUN))
BENCH_CHAN := $(SBX_TBIN)/chan_bench

.PHONY: bench bench-build bench-deps bench-oci bench-component

bench: bench-deps $(if $(BENCH_WRUN),,$(B)/wrun) $(B)/wrun-oci $(BENCH_CHAN)
	B=$(B) WRUN=$(or $(BENCH_WRUN),$(B)/wrun) CHAN_BENCH=$(BENCH_CHAN) bench/run.sh

bench-build:
	B=$(B) bench/run.sh --build-only

bench-deps:
	sh bench/deps.sh

bench-oci: bench-deps $(B)/wrun $(B)/wrun-oci
	B=$(B) bench/oci.sh

bench-component: $(B)/wrun
	B=$(B) bench/component.sh
