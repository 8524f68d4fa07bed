# l2gw: thin wrapper over meson/ninja.  `make help` lists the targets.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= 2
CONFIG     ?= etc/l2gw.ini

.PHONY: all build deps run check test asan fuzz bench demo clean help

all: build

help:
	@echo "make deps    install the missing Debian packages (idempotent)"
	@echo "make         build into $(BUILD)/"
	@echo "make run     install what is missing, build, start l2gwd in the foreground ($(CONFIG))"
	@echo "make check   install what is missing, build, run every test (prints 'N passed, N failed')"
	@echo "make asan    unit and API tests under ASan+UBSan ($(ASAN_BUILD)/)"
	@echo "make fuzz    build the libFuzzer targets with clang ($(FUZZ_BUILD)/)"
	@echo "make bench   build and run the benchmarks of bench/"
	@echo "make demo    the networking-l2gw walkthrough in network namespaces (root)"

deps:
	./scripts/deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: $(BUILD)/build.ninja
	ninja -C $(BUILD) -j$(JOBS)

run: deps build
	mkdir -p /var/lib/l2gw
	./$(BUILD)/src/daemon/l2gwd --config-file $(CONFIG)

check: deps
	./scripts/run-tests.sh

test: build
	./scripts/run-tests.sh --no-deps

asan:
	./scripts/run-tests.sh --asan-only

fuzz:
	[ -f $(FUZZ_BUILD)/build.ninja ] || CC=clang meson setup $(FUZZ_BUILD) -Dfuzz=true
	ninja -C $(FUZZ_BUILD) -j$(JOBS)

bench: build
	./bench/run.sh

demo: deps build
	./tests/e2e/demo.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
