# Thin wrapper over CMake/CTest. Every target installs what it needs first
# (deps/install.sh: idempotent apt-get of deps/debian-packages.txt).
MAKEFLAGS += --no-print-directory
BUILD   ?= build
JOBS    ?= $(shell nproc)
NP      ?= 2
THREADS ?= 1
CMAKE_FLAGS ?=

# OpenMPI refuses to start as root unless told it may; only then is it set.
ifeq ($(shell id -u),0)
MPI_ENV := OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
endif
MPIRUN := $(MPI_ENV) mpirun --oversubscribe
# Debian's h5py belongs to /usr/bin/python3, which need not be first on PATH.
PYTHON = $(shell for p in /usr/bin/python3 python3; do $$p -c 'import h5py' 2>/dev/null && echo $$p && break; done)

DEMO_INPUT := inputs/generated

.PHONY: all deps build test demo clean

all: build

deps:
	@bash deps/install.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	@[ -f $(DEMO_INPUT)/MANIFEST.tsv ] || \
	  $(BUILD)/juggle gen --out $(DEMO_INPUT) --files 64 --size 128MiB --seed 1
	$(MPIRUN) -np $(NP) $(BUILD)/juggle count --threads $(THREADS) $(DEMO_INPUT)
	@f=$$(ls -t results/count-*.h5 | head -n 1); echo; echo "== $$f, read back with h5py =="; \
	  $(PYTHON) -c 'import sys, h5py; h = h5py.File(sys.argv[1], "r"); t = h["count/total"].attrs; \
	    print("files", t["files"], "lines", t["lines"], "bytes_out", t["bytes_out"], "failed", t["failed"]); \
	    print("ranks x threads:", h.attrs["mpi_ranks"], "x", h.attrs["omp_threads"], "| events:", len(h["events/stage"]))' "$$f"

clean:
	rm -rf $(BUILD)
