# tests/simd/simd.mk: SIMD guest programs; included by the Makefile.
#
#   make check-simd   build tests/simd/*.c for wasm32-wasi with -msimd128
#                     and natively, and compare their output under wrun
#                     (WRUN=... WRUN_FLAGS=... as for check-wasi)

.PHONY: check-simd

check-simd: $(B)/wrun
	WRUN="$(or $(WRUN),$(B)/wrun)" WRUN_FLAGS="$(WRUN_FLAGS)" B="$(B)" sh tests/simd/run.sh
