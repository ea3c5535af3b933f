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

# Instrumented builds beside the main one (docs/reliability.md).
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
ASAN_BUILD   ?= build-asan
TSAN_BUILD   ?= build-tsan
# halt_on_error: the first report fails the test that caused it. OpenMPI's
# own start-up allocations are not ours to free (tests/sanitizers/lsan.supp).
SANITIZER_ENV := ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/lsan.supp:print_suppressions=0 \
  TSAN_OPTIONS=halt_on_error=1:ignore_noninstrumented_modules=1:suppressions=$(CURDIR)/tests/sanitizers/tsan.supp

.PHONY: all deps build test test-slurm test-asan test-tsan fuzz fuzz-build bench demo gutenberg clean

all: build

deps:
	@bash deps/install.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# The suite, then a short run of every fuzz target (5 s each: tests/fuzz).
test: build fuzz-build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(FUZZ_BUILD) && ctest --output-on-failure -j $(JOBS) -L fuzz

# libFuzzer targets (Clang, address + undefined sanitizers): tests/fuzz.
fuzz-build: deps
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJUGGLE_FUZZ=ON \
	  -DJUGGLE_BUILD_TESTS=OFF >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_targets

# Every fuzz target for FUZZ_SECONDS (default 60), one after the other.
fuzz: fuzz-build
	@for t in $(FUZZ_BUILD)/tests/fuzz/fuzz_*; do \
	  n=$$(basename $$t); n=$${n#fuzz_}; \
	  lib=; [ $$n = results_reader ] && lib=libhdf5; \
	  bash tests/fuzz/run_fuzzer.sh $$t tests/fuzz/corpus/$$n $(FUZZ_BUILD)/fuzz-work/$$n $(FUZZ_SECONDS) $$lib || exit 1; \
	done

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJUGGLE_SANITIZE=address,undefined >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && env $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS)

# The thread-parallel tests under ThreadSanitizer: Clang with LLVM's OpenMP
# and its Archer tool, which tells TSan about OpenMP's synchronisation
# (GCC's libgomp is invisible to TSan). Unit tests in-process; the CLI tests
# with 2 threads; one rank, so MPI's own threads stay out of the picture.
ARCHER := $(firstword $(wildcard /usr/lib/llvm-*/lib/libarcher.so))
TSAN_TESTS := unit:|1 ranks x 2 threads|without mpirun|fetch faults \(threads\)|gen corpus|gen text corpus
test-tsan: deps
	@CC=clang CXX=clang++ cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJUGGLE_SANITIZE=thread \
	  >/dev/null
	@cmake --build $(TSAN_BUILD) -j $(JOBS)
	cd $(TSAN_BUILD) && env $(SANITIZER_ENV) OMP_TOOL_LIBRARIES=$(ARCHER) \
	  ctest --output-on-failure -j $(JOBS) -R '$(TSAN_TESTS)'

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
	rm -rf $(BUILD) $(FUZZ_BUILD) $(ASAN_BUILD) $(TSAN_BUILD)
