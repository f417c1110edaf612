# bench/bench.mk: the engine benchmark, included from the top-level Makefile.
#
#   make bench          build the kernels, time native against wrun, write
#                       bench/report.md (WRUN_FLAGS, BENCH_RUNS, BENCH_ONLY
#                       and the rest are read from the environment: see
#                       bench/run.sh)
#   make bench-build    build the kernels into $(B)/bench only
#
# With WRUN given in the environment or on the command line, that binary is
# benchmarked as it is; otherwise $(B)/wrun is built first. (A WRUN defined
# by another makefile does not count: it is the default anyway.)

BENCH_WRUN := $(if $(filter environment command,$(origin WRUN)),$(WRUN))

.PHONY: bench bench-build

bench: $(if $(BENCH_WRUN),,$(B)/wrun)
	B=$(B) WRUN=$(or $(BENCH_WRUN),$(B)/wrun) bench/run.sh

bench-build:
	B=$(B) bench/run.sh --build-only
