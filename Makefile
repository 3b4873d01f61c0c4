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
PKGS     := gsl libcrypto xlsxwriter
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(or $(shell pkg-config --libs $(PKGS) 2>/dev/null),-lgsl -lgslcblas -lm -lcrypto -lxlsxwriter -lz)
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
# src/cli/mpi.c is the one file that includes mpi.h: built only into build/neasim-mpi (make mpi),
# where it takes the place of src/cli/solo.c (one process). The default build stays MPI-free.
CLI_SRC  := $(filter-out src/cli/mpi.c,$(wildcard src/cli/*.c))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:src/%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
# Each fuzz target also built without libFuzzer, replaying its reproducers and seeds in make test.
FUZZ_ALL   := scenario design grid lists part score discover
REPLAY_BIN := $(FUZZ_ALL:%=$(BUILD)/tests/test_fuzz_%)

.PHONY: all mpi deps run test bench check-asan install clean help validate figures brief fuzz \
        fuzz-build fuzz-clang analyze

all: $(BUILD)/neasim

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(DEPFLAGS) $(CFLAGS) -c $< -o $@

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_BIN:=.d)

# The commit is compiled into the CLI (--version, manifest.csv, shard parts): rebuild the objects
# whose source names NSM_GIT_COMMIT when it changes, and only then. The list is found, not
# written: written by hand it went stale, and --version named an older commit after a pull.
COMMIT_SRC := $(shell grep -l NSM_GIT_COMMIT $(CLI_SRC))
$(COMMIT_SRC:src/%.c=$(BUILD)/obj/%.o): $(BUILD)/commit.stamp
$(BUILD)/commit.stamp: FORCE | $(BUILD)/obj
	@echo '$(GIT_COMMIT)' | cmp -s - $@ || echo '$(GIT_COMMIT)' > $@
.PHONY: FORCE
FORCE:

# Made afresh each time: `ar r` keeps members whose source has gone (a file moved or renamed).
$(BUILD)/libneasim.a: $(LIB_OBJ) Makefile
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(BUILD)/neasim: $(CLI_OBJ) $(BUILD)/libneasim.a
	$(CC) $(CFLAGS) $(LDFLAGS) $(CLI_OBJ) $(BUILD)/libneasim.a $(LDLIBS) -o $@

## mpi: build/neasim-mpi, the command line over Open MPI (mpirun -n K build/neasim-mpi run ...)
MPICC   ?= mpicc
MPI_OBJ := $(filter-out $(BUILD)/obj/cli/solo.o,$(CLI_OBJ)) $(BUILD)/obj/cli-mpi/mpi.o
mpi: $(BUILD)/neasim-mpi
$(BUILD)/obj/cli-mpi/mpi.o: src/cli/mpi.c
	@mkdir -p $(@D)
	$(MPICC) $(CPPFLAGS) $(DEPFLAGS) $(CFLAGS) -c $< -o $@
$(BUILD)/neasim-mpi: $(MPI_OBJ) $(BUILD)/libneasim.a
	$(MPICC) $(CFLAGS) $(LDFLAGS) $(MPI_OBJ) $(BUILD)/libneasim.a $(LDLIBS) -o $@
-include $(BUILD)/obj/cli-mpi/mpi.d

# The CLI again with every automatic variable started as a byte pattern, not as what the stack
# held (-ftrivial-auto-var-init=pattern, gcc 12, clang 8): tests/cli_uninit.sh runs the same cases
# with both binaries and wants the same bytes. Nothing is built where the compiler lacks the option
# (the suite is then skipped, loudly).
PATTERN_FLAG := $(shell $(CC) -ftrivial-auto-var-init=pattern -x c -c /dev/null -o /dev/null 2>/dev/null \
                  && echo -ftrivial-auto-var-init=pattern)
PATTERN_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/pattern/%.o) $(CLI_SRC:src/%.c=$(BUILD)/pattern/%.o)
$(BUILD)/pattern/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(DEPFLAGS) $(CFLAGS) $(PATTERN_FLAG) -c $< -o $@
$(COMMIT_SRC:src/%.c=$(BUILD)/pattern/%.o): $(BUILD)/commit.stamp
$(BUILD)/neasim-pattern: $(PATTERN_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) $(PATTERN_OBJ) $(LDLIBS) -o $@
-include $(PATTERN_OBJ:.o=.d)

# The CLI again from a second compiler, clang (Debian's, with its OpenMP runtime libomp, not gcc's
# libgomp): tests/cli_clang.sh runs the same cases with both and wants the same bytes. Code whose
# behaviour is undefined (a signed overflow, a read past an array, an aliasing violation) is what
# each optimiser may exploit its own way, and the result then depends on the build: no warning
# nor sanitizer sees every such case. -ffp-contract=off: no fused multiply-add where gcc (ISO C
# mode) would not fuse (arm64 has the instruction by default). No warning flags: clang's own
# differ from gcc's, which the default build makes errors. Nothing is built without clang.
CLANG    ?= clang
CLANG_OK := $(shell printf 'int main(void){return 0;}' | $(CLANG) -fopenmp -x c - -o /dev/null 2>/dev/null \
              && echo yes)
CLANG_OBJ := $(LIB_SRC:src/%.c=$(BUILD)/clang/%.o) $(CLI_SRC:src/%.c=$(BUILD)/clang/%.o)
$(BUILD)/clang/%.o: src/%.c
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS) $(DEPFLAGS) -std=c17 $(OPT) -ffp-contract=off -fopenmp -c $< -o $@
$(COMMIT_SRC:src/%.c=$(BUILD)/clang/%.o): $(BUILD)/commit.stamp
$(BUILD)/neasim-clang: $(CLANG_OBJ)
	$(CLANG) -fopenmp $(LDFLAGS) $(CLANG_OBJ) $(LDLIBS) -o $@
-include $(CLANG_OBJ:.o=.d)

$(BUILD)/tests/%: tests/%.c $(BUILD)/libneasim.a | $(BUILD)/tests
	$(CC) $(CPPFLAGS) -Itests $(DEPFLAGS) -MF $@.d $(CFLAGS) $(LDFLAGS) $< $(BUILD)/libneasim.a $(LDLIBS) $(CMOCKA_LIBS) -o $@

# tests/cli_nomem.sh preloads it into the CLI to make one allocation fail (its header says why).
$(BUILD)/tests/nomem_preload.so: tests/nomem_preload.c | $(BUILD)/tests
	$(CC) -std=c17 -O2 -g -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) -fPIC -shared $< -o $@

$(BUILD)/tests/test_fuzz_%: tests/fuzz_%.c tests/fuzz_replay.c tests/fuzz_common.h $(BUILD)/libneasim.a | $(BUILD)/tests
	$(CC) $(CPPFLAGS) -Itests -DFUZZ_TARGET='"$*"' $(CFLAGS) $(LDFLAGS) $< tests/fuzz_replay.c \
	    $(BUILD)/libneasim.a $(LDLIBS) -o $@

$(BUILD)/obj $(BUILD)/tests:
	mkdir -p $@

## deps: install the Debian packages neasim needs (as root; skips what is present)
deps:
	bash scripts/install-deps.sh

## run: install deps, build, and run the shipped baseline scenario into results/baseline/
run: deps all
	$(BUILD)/neasim run scenarios/baseline --runs $(RUNS) --seed $(SEED) $(if $(THREADS),--threads $(THREADS))

## test: every test (unit, statistical, CLI and end-to-end)
# build/neasim-mpi too where mpicc is (tests/cli_mpi.sh is skipped, loudly, without it), and
# build/neasim-pattern (tests/cli_uninit.sh) and, where clang is, build/neasim-clang (tests/cli_clang.sh)
test: all $(TEST_BIN) $(REPLAY_BIN) $(if $(shell command -v $(MPICC) 2>/dev/null),$(BUILD)/neasim-mpi) \
      $(if $(PATTERN_FLAG),$(BUILD)/neasim-pattern) $(if $(CLANG_OK),$(BUILD)/neasim-clang) \
      $(BUILD)/tests/nomem_preload.so
	bash tests/run-tests.sh $(BUILD)

## bench: throughput, speed-up and memory figures (see README)
bench: all $(BUILD)/bench_engine $(BUILD)/bench_direct $(if $(shell command -v $(MPICC) 2>/dev/null),$(BUILD)/neasim-mpi)
	bash scripts/bench.sh $(BUILD)

## validate: the baseline against the historical record (scripts/validate.sh)
validate: all
	bash scripts/validate.sh $(BUILD)

## figures: PNG and PDF figures for a results folder: make figures RESULTS=results/baseline
RESULTS ?= results/baseline
figures:
	Rscript scripts/figures.R $(RESULTS)

## brief: the briefing, brief.html and brief.pdf: make brief RESULTS=results/baseline [OUTER=N]
# OUTER=N first runs SCENARIO (default the baseline) with --outer N, OUTER_RUNS runs a draw, into
# RESULTS, so that the brief shows the judgment ranges. brief.pdf, the copy to print and
# circulate, is printed from brief.html by headless Chromium (scripts/brief_pdf.sh; CHROMIUM=PATH
# names the browser); without Chromium a line says so and brief.html is all. PDF=0 leaves it out.
SCENARIO   ?= scenarios/baseline
OUTER_RUNS ?= 2000
PDF        ?= 1
brief: $(if $(OUTER),all)
	$(if $(OUTER),$(BUILD)/neasim run $(SCENARIO) --outer $(OUTER) --runs $(OUTER_RUNS) \
	    --seed $(SEED) --out $(RESULTS) --quiet $(if $(THREADS),--threads $(THREADS)))
	Rscript scripts/figures.R $(RESULTS)
	Rscript scripts/brief.R $(RESULTS)
	$(if $(filter 0,$(PDF)),,bash scripts/brief_pdf.sh $(RESULTS))

## check-asan: the tests under AddressSanitizer and UndefinedBehaviorSanitizer
# gcc's `undefined` leaves out float-cast-overflow (a double out of an integer's range cast to it:
# x86 gives INT_MIN where ARM saturates, so a result could differ between machines): named too.
SANITIZE := address,undefined,float-cast-overflow
check-asan:
	$(MAKE) BUILD=build/asan OPT='-O1 -g -fsanitize=$(SANITIZE) -fno-sanitize-recover=undefined,float-cast-overflow -fno-omit-frame-pointer' \
	    LDFLAGS='-fsanitize=$(SANITIZE)' WERROR=0 test

## analyze: gcc's static analyzer (-fanalyzer) and clang's over src/; reports only, builds nothing
# Not in the default build: they are slow, and some of their reports are false positives (README).
# Each sees one file at a time; clang's, where clang is, found what gcc's did not (a NULL read in
# compare when memory ran out).
analyze:
	@for f in $(LIB_SRC) $(CLI_SRC); do \
	    $(CC) $(CPPFLAGS) $(CFLAGS) -O0 -fanalyzer -c $$f -o /dev/null || exit 1; \
	done
	@$(if $(CLANG_OK),for f in $(LIB_SRC) $(CLI_SRC); do \
	    $(CLANG) --analyze $(CPPFLAGS) -std=c17 -fopenmp $$f -o /dev/null || exit 1; \
	done,echo "analyze: no clang, so only gcc's analyzer ran")

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

$(BUILD)/bench_direct: tests/bench_direct.c $(BUILD)/libneasim.a
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $< $(BUILD)/libneasim.a $(LDLIBS) -o $@

## fuzz: every reader under libFuzzer with ASan/UBSan, FUZZ_SECONDS (default 60) each
# One target per reader: scenario tables (levers.csv included), sweep design and grid files, and
# the --levers / --params lists, partial results (the parts merge reads, resealed so that what
# lies behind the seal is fuzzed), neasim score's observed file and results tables, and the
# sweep folder neasim discover reads. Seeds come from tests/fixtures (valid/, and
# fuzz-seeds/scenario/ for what the valid fixture does not use: 'or' conditions, durations,
# entered dates, effects' `when` and `when_due`, scenario.csv's `label`), the parts' from $(BUILD)/neasim
# (tests/fuzz_part_seeds.sh: a part of every kind, up to 5 KB, hence part's larger -max_len), and
# score's (an observed file, a run's and a comparison's results tables) from fuzz-seeds/score/
# (a comparison's count distribution is 5 KB: score's -max_len too), and discover's from
# fuzz-seeds/discover/ (a sweep.csv of 10 KB). A score or discover seed's first byte is k + f
# (tests/fuzz_score.c, fuzz_discover.c): k the file it replaces; for score f = 0 a run's folder,
# 8 a comparison's, 24 a comparison's scored with a reference; for discover f = 0 above 0.5, 4
# below, 8 `holds`, 24 `holds` of g_moved, 40 of both. The corpora grow in
# build/fuzz-corpus/TARGET, crashes are saved as build/fuzz/crash-*. FUZZ_TARGETS picks some.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_CC      ?= clang
FUZZ_FLAGS   := -std=c17 -g -O1 -Iinclude -Isrc -Itests -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=undefined -fopenmp
SCENARIO_TABLES := scenario factors transitions modifiers events seasonality draws calendar effects outcomes
fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	    echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	    len=4096; case $$t in part | score) len=8192;; discover) len=16384;; esac; \
	    build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=$$len -timeout=20 \
	        -artifact_prefix=build/fuzz/ build/fuzz-corpus/$$t || exit 1; \
	done

FUZZ_OBJ := $(LIB_SRC:src/%.c=build/fuzz/obj/%.o)
# Kept between runs: make would otherwise delete them as intermediate files of the pattern rules.
.SECONDARY: $(FUZZ_OBJ)
build/fuzz/obj/%.o: src/%.c $(wildcard include/neasim/*.h) $(wildcard src/*/*.h) | fuzz-clang
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS:-fsanitize=fuzzer,%=-fsanitize=fuzzer-no-link,%) -c $< -o $@
build/fuzz/fuzz_%: tests/fuzz_%.c tests/fuzz_common.h $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_FLAGS) $< $(FUZZ_OBJ) $(LDLIBS) -o $@

fuzz-clang:
	@command -v $(FUZZ_CC) >/dev/null && [ -n "$$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ] || \
	    { echo; echo "*** make fuzz needs clang and libFuzzer: apt-get install clang libclang-rt-14-dev ***"; echo; exit 1; }

# The seed corpora, rebuilt from tests/fixtures each time (the grown corpora stay).
fuzz-build: $(FUZZ_TARGETS:%=build/fuzz/fuzz_%) $(BUILD)/neasim
	mkdir -p build/fuzz-corpus/scenario build/fuzz-corpus/design build/fuzz-corpus/grid build/fuzz-corpus/lists
	bash tests/fuzz_part_seeds.sh $(BUILD)/neasim build/fuzz-corpus/part
	mkdir -p build/fuzz-corpus/score
	@for k in 0 1 2 3 4; do for f in 0 8 24; do \
	    b=$$((k + f)); t=$$(echo observed manifest outcomes state_probabilities count_distribution | cut -d' ' -f$$((k + 1))); \
	    src=tests/fixtures/fuzz-seeds/score/observed.csv; \
	    [ $$k = 0 ] || src=tests/fixtures/fuzz-seeds/score/$$([ $$f = 0 ] && echo run || echo compare)/$$t.csv; \
	    printf "\\$$(printf '%03o' $$b)" | cat - $$src > build/fuzz-corpus/score/$$t-$$b; \
	done; done
	mkdir -p build/fuzz-corpus/discover
	@for k in 0 1 2 3; do for f in 0 4 8 24 40; do \
	    b=$$((k + f)); t=$$(echo sweep parameters labels manifest | cut -d' ' -f$$((k + 1))); \
	    printf "\\$$(printf '%03o' $$b)" | cat - tests/fixtures/fuzz-seeds/discover/$$t.csv \
	        > build/fuzz-corpus/discover/$$t-$$b; \
	done; done
	@i=0; for t in $(SCENARIO_TABLES); do \
	    printf "\\$$(printf '%03o' $$i)" | cat - tests/fixtures/valid/$$t.csv > build/fuzz-corpus/scenario/$$t; \
	    x=tests/fixtures/fuzz-seeds/scenario/$$t.csv; \
	    [ ! -f $$x ] || printf "\\$$(printf '%03o' $$i)" | cat - $$x > build/fuzz-corpus/scenario/$$t-language; \
	    i=$$((i + 1)); done; \
	printf '\012' | cat - tests/fixtures/fuzz-seeds/levers.csv > build/fuzz-corpus/scenario/levers
	cp tests/fixtures/fuzz-seeds/design*.csv build/fuzz-corpus/design/
	cp tests/fixtures/fuzz-seeds/grid*.csv build/fuzz-corpus/grid/
	@n=0; while read -r kind list; do n=$$((n + 1)); \
	    case $$kind in levers) b='\000';; params) b='\001';; factorial) b='\002';; esac; \
	    printf "$$b%s" "$$list" > build/fuzz-corpus/lists/seed-$$n; \
	done < tests/fixtures/fuzz-seeds/lists.txt
