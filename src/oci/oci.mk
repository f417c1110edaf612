# src/oci/oci.mk: wrun-oci, the OCI runtime (src/oci/README.md), and its
# tests.  Included by the top Makefile after B, CC, BASE_CFLAGS are set.
#
#   $(B)/wrun-oci  the runtime; it runs the wrun beside it
#   check-oci      tests/oci/run.sh: the command line on hand-made bundles,
#                  then podman and containerd end to end (as root)

OCI_SRC := $(wildcard src/oci/*.c)
OCI_OBJ := $(OCI_SRC:%.c=$(B)/%.o)
# wrun-oci uses wrun's public header (the version) and its own; nothing of
# the engine, WASI or the sandbox: it runs wrun, it does not link it.
$(B)/src/oci/%.o: LAYER_INC = -Iinclude -Isrc/oci

all: $(B)/wrun-oci

$(B)/wrun-oci: $(OCI_OBJ)
	$(CC) $(BASE_CFLAGS) -o $@ $(OCI_OBJ) -lcjson

.PHONY: check-oci
check-oci: $(B)/wrun $(B)/wrun-oci
	sh tests/oci/run.sh $(B)
