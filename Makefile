# Thin wrapper over CMake presets (CMakePresets.json). Every target installs missing Debian
# packages first (scripts/install-deps.sh, a no-op when all are present).
#   make         release build: build/release/src/cmd/rampart
#   make demo    the main job on generated input
#   make test    clang-format check, debug + ASan/UBSan builds with every test in both, and
#                a bounded fuzz run of every fuzz target (when clang is installed)
#   make bench   benchmarks against their peers (bench/README.md)
#   make install the release binary into $(PREFIX)/bin (default /usr/local)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 20
FUZZ_SEED ?= 1
RAMPART := build/release/src/cmd/rampart

PREFIX ?= /usr/local

.PHONY: install all deps release debug asan test test-debug test-asan fuzz fuzz-smoke demo bench \
        format format-check clean

all: release

deps:
	@sh scripts/install-deps.sh

release: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

debug: deps
	@cmake --preset debug >/dev/null
	@cmake --build --preset debug -j $(JOBS)

asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

test-debug: debug
	ctest --preset debug -j $(JOBS)

test-asan: asan
	ctest --preset asan -j $(JOBS)

# libFuzzer needs clang; without it the fuzz run is skipped and says so.
fuzz: deps
	@if command -v clang >/dev/null 2>&1; then \
	  cmake --preset fuzz >/dev/null && cmake --build --preset fuzz -j $(JOBS); \
	else echo "fuzz: clang not installed, skipping fuzz targets"; fi

fuzz-smoke: fuzz
	@if command -v clang >/dev/null 2>&1; then \
	  FUZZ_SEED=$(FUZZ_SEED) sh tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS); fi

# The release build is part of the tests: optimised builds raise warnings (-Wmaybe-
# uninitialized, -Wformat-truncation) that debug builds do not, and -Werror makes them errors
# in the binary `make demo` ships.
test: format-check release test-debug test-asan fuzz-smoke

# Simulate, ingest, query and score into build/demo (input/, rampart.db, report.html). The
# demo clears what an earlier demo wrote; the rm also clears a tree left by an older demo.
demo: release
	@rm -rf build/demo
	$(RAMPART) demo --out build/demo

install: release
	cmake --install build/release --prefix $(PREFIX)

bench: release
	bash bench/json.sh build/release
	bash bench/ingest.sh build/release
	bash bench/simulate.sh build/release
	bash bench/hub.sh build/release
	bash bench/query.sh build/release
	bash bench/vulns.sh build/release
	bash bench/reach.sh build/release
	bash bench/discover.sh build/release
	bash bench/detect.sh build/release
	bash bench/rules.sh build/release

SOURCES = find src tests bench -name '*.[ch]' -o -name '*.cpp'

format: deps
	$(SOURCES) | xargs clang-format -i

format-check: deps
	@$(SOURCES) | xargs clang-format --dry-run -Werror && echo "format-check: clean"

clean:
	rm -rf build
