# neasim: build, test and run. `make help` lists the targets.
#
# The library (every src/<layer>/*.c but src/cli/; see src/README.md for the layers) is built into
# build/libneasim.a; the CLI (src/cli/) and each tests/test_*.c program link against it.

CC       ?= cc
PREFIX   ?= /usr/local
RUNS     ?= 100000
SEED     ?= 20261122
THREADS  ?=
VERSION  := 0.1.0

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wdouble-promotion -Wstrict-prototypes \
        -Wmissing-prototypes -Wold-style-definition -Wwrite-strings -Wcast-qual -Wpointer-arith \
        -Wundef -Wformat=2 -Wvla -fno-common -Wjump-misses-init
OPT      ?= -O2 -g
# WERROR=1 (set by CI) turns warnings into errors.
ifeq ($(WERROR),1)
WARN += -Werror
endif
GIT_COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
# Libraries that ship a pkg-config file are asked for their flags; libcsv ships none (Debian's
# libcsv-dev has no .pc), so it is named directly. Before `make deps` has run, pkg-config may be
# missing: fall back to the plain names so that the error is the missing header, not an empty flag.
PKGS     := gsl libcrypto
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(or $(shell pkg-config --libs $(PKGS) 2>/dev/null),-lgsl -lgslcblas -lm -lcrypto)
CMOCKA_LIBS := $(or $(shell pkg-config --libs cmocka 2>/dev/null),-lcmocka)
CPPFLAGS += -Iinclude -Isrc -D_GNU_SOURCE -DNSM_VERSION='"$(VERSION)"' -DNSM_GIT_COMMIT='"$(GIT_COMMIT)"' \
            $(PKG_CFLAGS)
# -MMD -MP: each object records the headers it includes (build/obj/LAYER/*.d), so touching one header
# recompiles only the files that include it.
DEPFLAGS := -MMD -MP
CFLAGS   += -std=c17 $(OPT) $(WARN) -fopenmp
LDLIBS   += $(PKG_LIBS) -lcsv -lm
BUILD    ?= build

LAYERS   := base io model scenario sim summary output sweep
LIB_SRC  := $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c))
CLI_SRC  := $(wildcard src/cli/*.c)
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:src/%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)

.PHONY: all deps run test bench check-asan install clean help validate figures brief fuzz

all: $(BUILD)/neasim

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(DEPFLAGS) $(CFLAGS) -c $< -o $@

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_BIN:=.d)

# The commit is compiled into the CLI (--version, manifest.csv): rebuild those objects when it
# changes, and only then.
$(BUILD)/obj/cli/main.o $(BUILD)/obj/cli/options.o: $(BUILD)/commit.stamp
$(BUILD)/commit.stamp: FORCE | $(BUILD)/obj
	@echo '$(GIT_COMMIT)' | cmp -s - $@ || echo '$(GIT_COMMIT)' > $@
.PHONY: FORCE
FORCE:

$(BUILD)/libneasim.a: $(LIB_OBJ)
	ar rcs $@ $^

$(BUILD)/neasim: $(CLI_OBJ) $(BUILD)/libneasim.a
	$(CC) $(CFLAGS) $(LDFLAGS) $(CLI_OBJ) $(BUILD)/libneasim.a $(LDLIBS) -o $@

$(BUILD)/tests/%: tests/%.c $(BUILD)/libneasim.a | $(BUILD)/tests
	$(CC) $(CPPFLAGS) -Itests $(DEPFLAGS) -MF $@.d $(CFLAGS) $(LDFLAGS) $< $(BUILD)/libneasim.a $(LDLIBS) $(CMOCKA_LIBS) -o $@

$(BUILD)/obj $(BUILD)/tests:
	mkdir -p $@

## deps: install the Debian packages neasim needs (as root; skips what is present)
deps:
	bash scripts/install-deps.sh

## run: install deps, build, and run the shipped baseline scenario into results/baseline/
run: deps all
	$(BUILD)/neasim run scenarios/baseline --runs $(RUNS) --seed $(SEED) $(if $(THREADS),--threads $(THREADS))

## test: every test (unit, statistical, CLI and end-to-end)
test: all $(TEST_BIN)
	bash tests/run-tests.sh $(BUILD)

## bench: throughput, speed-up and memory figures (see README)
bench: all $(BUILD)/bench_engine
	bash scripts/bench.sh $(BUILD)

## validate: the baseline against the historical record (scripts/validate.sh)
validate: all
	bash scripts/validate.sh $(BUILD)

## figures: PNG and PDF figures for a results folder: make figures RESULTS=results/baseline
RESULTS ?= results/baseline
figures:
	Rscript scripts/figures.R $(RESULTS)

## brief: a one-page HTML briefing for a results folder: make brief RESULTS=results/baseline
brief: figures
	Rscript scripts/brief.R $(RESULTS)

## check-asan: the tests under AddressSanitizer and UndefinedBehaviorSanitizer
check-asan:
	$(MAKE) BUILD=build/asan OPT='-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer' \
	    LDFLAGS='-fsanitize=address,undefined' WERROR=0 test

## install: copy build/neasim to $(PREFIX)/bin
install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BUILD)/neasim $(DESTDIR)$(PREFIX)/bin/neasim

## clean: remove build/
clean:
	rm -rf build

## help: this list
help:
	@grep -E '^## ' Makefile | sed 's/^## /  make /'

$(BUILD)/bench_engine: tests/bench_engine.c $(BUILD)/libneasim.a
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $< $(BUILD)/libneasim.a $(LDLIBS) -o $@

## fuzz: the scenario reader under libFuzzer with ASan/UBSan for FUZZ_SECONDS (default 60)
FUZZ_SECONDS ?= 60
fuzz:
	@command -v clang >/dev/null && [ -n "$$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ] || \
	    { echo "make fuzz needs clang and libclang-rt-14-dev (apt-get install clang libclang-rt-14-dev)"; exit 1; }
	mkdir -p build/fuzz build/fuzz-corpus
	i=0; for t in scenario factors transitions modifiers events seasonality draws calendar effects outcomes; do \
	    printf "\\$$(printf '%03o' $$i)" | cat - tests/fixtures/valid/$$t.csv > build/fuzz-corpus/$$t; i=$$((i + 1)); done
	clang -std=c17 -g -O1 -Iinclude -Isrc -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -fopenmp \
	    tests/fuzz_scenario.c $(LIB_SRC) \
	    -lgsl -lgslcblas -lcsv -lcrypto -lm -o build/fuzz/fuzz_scenario
	build/fuzz/fuzz_scenario -max_total_time=$(FUZZ_SECONDS) -max_len=4096 build/fuzz-corpus
