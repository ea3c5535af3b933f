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

.PHONY: all deps build test demo gutenberg clean

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
	@echo
	$(MPIRUN) -np $(NP) $(BUILD)/juggle tokenize --threads $(THREADS) --top 10 $(DEMO_INPUT)
	@echo; echo "== the results files, read back with h5py (analysis/show_results.py) =="
	@$(PYTHON) analysis/show_results.py $$(ls -t results/count-*.h5 | head -n 1) $$(ls -t results/tokenize-*.h5 | head -n 1)

# The seed job where internet exists: fetch the books, then tokenize them.
gutenberg: build
	$(MPIRUN) -np $(NP) $(BUILD)/juggle fetch --urls inputs/gutenberg.urls --out inputs/texts
	$(MPIRUN) -np $(NP) $(BUILD)/juggle tokenize --threads $(THREADS) inputs/texts

clean:
	rm -rf $(BUILD)
