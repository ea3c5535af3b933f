# Thin wrapper over CMake/CTest. Every target installs what it needs first
# (deps/install.sh: idempotent apt-get of deps/debian-packages.txt).
MAKEFLAGS += --no-print-directory
BUILD   ?= build
JOBS    ?= $(shell nproc)
NP      ?= 2
CMAKE_FLAGS ?=

# OpenMPI refuses to start as root unless told it may; only then is it set.
ifeq ($(shell id -u),0)
MPI_ENV := OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
endif
MPIRUN := env $(MPI_ENV) mpirun --oversubscribe
# Debian's h5py belongs to /usr/bin/python3, which need not be first on PATH.
PYTHON = $(shell for p in /usr/bin/python3 python3; do $$p -c 'import h5py' 2>/dev/null && echo $$p && break; done)

DEMO_INPUT := inputs/generated

.PHONY: all deps build test test-slurm bench demo gutenberg clean

all: build

deps:
	@bash deps/install.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The SLURM test alone: jobs/*.sbatch on a one-node SLURM it starts and stops.
test-slurm: build
	cd $(BUILD) && ctest --output-on-failure -L slurm

# juggle against zcat/igzip/pigz, Python, tr|sort|uniq, curl: docs/performance.md.
# BENCH_SCALE=0.1 for a quick run; BENCH_REPEATS, BENCH_CASES (comma-separated).
bench: build
	env $(MPI_ENV) $(PYTHON) bench/bench.py --juggle $(BUILD)/juggle --work $(BUILD)/bench-work

demo: build
	@BUILD=$(BUILD) NP=$(NP) PYTHON="$(PYTHON)" MPIRUN="$(MPIRUN)" bash tools/demo.sh

# The seed job where internet exists: fetch the books, then tokenize them.
gutenberg: build
	$(MPIRUN) -np $(NP) $(BUILD)/juggle run inputs/gutenberg.toml

clean:
	rm -rf $(BUILD)
