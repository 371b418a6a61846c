# A thin wrapper over CMake: the README's two commands are `make demo` and `make check`.
PREFIX ?= /usr/local
BUILD  ?= build
ASAN   ?= build-asan
FUZZB  ?= build-fuzz
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)
SAN_ENV = ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=1 \
          UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
FUZZ_SECONDS ?= 600

.PHONY: all deps build demo check test asan bench fuzz fuzz-run install clean

all: build

deps:
	@sh scripts/deps.sh

build:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) >$(BUILD)/build.log 2>&1 || { cat $(BUILD)/build.log; exit 1; }
	@echo "built $(BUILD)/synack" 

demo: deps build
	@sh scripts/demo.sh $(BUILD)/synack

test: build
	@cd $(BUILD) && ctest --output-on-failure

asan:
	@cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DSYNACK_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN) -j $(JOBS) >$(ASAN)/build.log 2>&1 || { cat $(ASAN)/build.log; exit 1; }
	@echo "built $(ASAN) (ASan+UBSan); running every test again under it" 
	@cd $(ASAN) && $(SAN_ENV) ctest --output-on-failure

check: deps test asan

bench: build
	@cmake --build $(BUILD) --target bench-gen -j $(JOBS)
	@bash bench/bench.sh $(BUILD)/synack $(BUILD)/bench-gen

fuzz:
	@cmake -S . -B $(FUZZB) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
	  -DSYNACK_FUZZ=ON -DSYNACK_SANITIZE=ON -DSYNACK_TESTS=OFF >/dev/null
	@cmake --build $(FUZZB) -j $(JOBS)
	@echo "fuzz targets in $(FUZZB)/: run e.g. 'make fuzz-run T=fuzz_print' ($(FUZZ_SECONDS) s)"

fuzz-run: fuzz
	@mkdir -p $(FUZZB)/corpus-$(T)
	@$(SAN_ENV) $(FUZZB)/$(T) -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(FUZZB)/$(T)- \
	  $(FUZZB)/corpus-$(T) fuzz/corpus/$(T)

install: build
	@cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	@rm -rf $(BUILD) $(ASAN) $(FUZZB)
