# bench/bench.mk: the engine benchmark, included from the top-level Makefile.
#
#   make bench          build the kernels, time native against wrun, write
#                       bench/report.md (WRUN, WRUN_FLAGS, BENCH_RUNS,
#                       BENCH_ONLY are read from the environment)
#   make bench-build    build the kernels into $(B)/bench only
#
# With WRUN set, that binary is benchmarked and $(B)/wrun is not built.

.PHONY: bench bench-build

bench: $(if $(WRUN),,$(B)/wrun)
	B=$(B) bench/run.sh

bench-build:
	B=$(B) bench/run.sh --build-only
