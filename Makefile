# Thin wrapper over CMake: `make`, `make demo`, `make check`, `make bench`, `make fuzz`.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build

.PHONY: all demo check bench fuzz deps clean

all:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

deps:
	@scripts/deps.sh

demo: deps all
	$(BUILD)/pairscope demo

# Tests run twice: on the optimised build, then under ASan+UBSan.
check: deps all
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPS_SANITIZE=ON >/dev/null
	@cmake --build build-asan -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS)

bench: deps all
	@bench/run.sh $(BUILD)/pairscope

fuzz: deps
	@CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPS_FUZZ=ON >/dev/null
	@cmake --build build-fuzz -j $(JOBS)
	@tests/fuzz/run.sh build-fuzz $${FUZZ_SECONDS:-30}

clean:
	rm -rf $(BUILD) build-asan build-fuzz
