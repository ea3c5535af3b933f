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

# Instrumented builds beside the main one (docs/reliability.md). One Clang
# tree with AddressSanitizer + UndefinedBehaviorSanitizer holds the whole
# suite and the libFuzzer targets.
ASAN_BUILD   ?= build-asan
FUZZ_SECONDS ?= 60
TSAN_BUILD   ?= build-tsan
# halt_on_error: the first report fails the test that caused it. OpenMPI's
# own start-up allocations are not ours to free (tests/sanitizers/lsan.supp).
# allocator_may_return_null: an allocation that cannot be had fails as in a
# release build (null from malloc, std::bad_alloc from new) instead of
# aborting; libhdf5 asks for gigabytes when a results file is damaged and
# copes with the null (tests/report/damaged/).
# intercept_tls_get_addr=0: the interceptor in Clang 14's runtime (Debian
# 12's; fixed in LLVM 17) takes a dynamic TLS block that happens to start
# 16 bytes into a page for a glibc 2.19 header and reads garbage, and the
# leak checker's tracer then dies with "Tracer caught signal 11" — a crash
# of the tool by chance, seen once in CI on an 8-rank run. Without it a
# pointer held only in another library's dynamic TLS could be reported as a
# leak: a false report, never a hidden one.
SANITIZER_ENV := ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=1:allocator_may_return_null=1:intercept_tls_get_addr=0 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/lsan.supp:print_suppressions=0 \
  TSAN_OPTIONS=halt_on_error=1:ignore_noninstrumented_modules=1:suppressions=$(CURDIR)/tests/sanitizers/tsan.supp

.PHONY: all deps build install package asan-build test test-slurm test-large test-asan test-tsan fuzz bench demo gutenberg clean

all: build

deps:
	@bash deps/install.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# The installed tree (cmake/install.cmake lists it): PREFIX/bin/juggle, its
# scripts, the job templates, the man page, bash completion.
PREFIX ?= /usr/local
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# A Debian package of the same tree, build/juggle_<version>_<arch>.deb, for
# apt-get install ./build/juggle_*.deb (its dependencies are declared).
package: build
	cd $(BUILD) && cpack -G DEB

# The suite on the release build, then again under AddressSanitizer +
# UndefinedBehaviorSanitizer with a short run of every fuzz target (5 s each).
test: build asan-build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -LE large
	cd $(ASAN_BUILD) && env $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS) -LE large

# Clang, address + undefined sanitizers, libFuzzer's coverage instrumentation
# (inert outside a fuzz target): the suite and tests/fuzz.
asan-build: deps
	@CC=clang CXX=clang++ cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJUGGLE_FUZZ=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)

# The whole suite and the short fuzz runs under the sanitizers alone.
test-asan: asan-build
	cd $(ASAN_BUILD) && env $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS) -LE large

# Every fuzz target for FUZZ_SECONDS (default 60), one after the other.
fuzz: asan-build
	@for t in $(ASAN_BUILD)/tests/fuzz/fuzz_*; do \
	  n=$$(basename $$t); n=$${n#fuzz_}; \
	  lib=; [ $$n = results_reader ] && lib=libhdf5; \
	  bash tests/fuzz/run_fuzzer.sh $$t tests/fuzz/corpus/$$n $(ASAN_BUILD)/fuzz-work/$$n $(FUZZ_SECONDS) $$lib || exit 1; \
	done

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

# The SLURM tests alone: jobs/*.sbatch on a one-node and a two-node SLURM they start and stop.
test-slurm: build
	cd $(BUILD) && ctest --output-on-failure -L slurm

# The tests too large for make test (label large): a vocabulary over 2 GiB
# written and read back exactly (about 20 GB of memory, 6 GB of disk).
test-large: build
	cmake -S . -B $(BUILD) -DJUGGLE_LARGE_TESTS=ON >/dev/null
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -L large

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
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD)
