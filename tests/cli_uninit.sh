#!/usr/bin/env bash
# No output may depend on memory the code never wrote. A submission once passed CI and then failed
# make test on a fresh machine: a value read before it was written, whose garbage differed there.
# make test builds the CLI twice from the same sources: BUILD/neasim, and BUILD/neasim-pattern
# with -ftrivial-auto-var-init=pattern (every automatic variable starts as 0xFE bytes, not as
# whatever the stack held). This suite runs every case of scripts/bytecheck.sh (each shipped
# scenario through run and compare, each test model, both outer loops, sweeps, paths and
# signposts, a precision run, shards and merge, score, discover, trace, check, bad input) with
# BUILD/neasim as it is and with BUILD/neasim-pattern under glibc's malloc perturbation (malloc'd
# memory filled with one byte, freed memory with another), and wants every output the same byte
# for byte, every message and exit status the same. cli_valgrind sees such reads under memcheck on
# small cases, one thread at a time; this reaches full-size runs on two threads, at the cost of a
# second build (about 25 s).
# Where the compiler has no -ftrivial-auto-var-init (gcc before 12, clang before 8) the Makefile
# builds no BUILD/neasim-pattern and the suite is skipped, loudly (exit 77).
# Usage: tests/cli_uninit.sh BUILD_DIR   (from the project root; about a minute)
set -u
build=${1:-build}
pattern=$build/neasim-pattern
source "$(dirname "$0")/skip-lib.sh"
[ -x "$pattern" ] || skip_suite "$pattern is not built: $(${CC:-cc} --version 2>/dev/null | head -1)" \
    "has no -ftrivial-auto-var-init=pattern (gcc 12 or clang 8 has), so no output was checked" \
    "against a poisoned memory"
work=$(mktemp -d /tmp/nsm-uninit-XXXXXX)
trap 'rm -rf "$work"' EXIT
# glibc fills what malloc returns with 0x5A and what free takes back with 0xA5 (perturb 165), but
# not through its per-thread cache (tcache), which hands small blocks back untouched: without
# tcache_count=0 a malloc that should have been a calloc went unseen (tried).
tunables=glibc.malloc.tcache_count=0:glibc.malloc.perturb=165
printf '#!/bin/sh\nGLIBC_TUNABLES=%s exec "%s" "$@"\n' "$tunables" "$(realpath "$pattern")" > "$work/poisoned"
chmod +x "$work/poisoned"
if ! bash scripts/bytecheck.sh --at-least 80 "$(realpath "$build/neasim")" "$work/poisoned" \
    > "$work/log" 2>&1; then
    cat "$work/log"
    echo "FAIL uninit: cases differ with memory poisoned, or fewer than 80 ran (above): an output"
    echo "     depends on memory never written. Find the read: valgrind --track-origins=yes"
    echo "     $build/neasim, with the case's command (above)"
    exit 1
fi
echo "uninit: $(tail -1 "$work/log" | sed 's/^bytecheck: //') with memory poisoned ($pattern, $tunables)"
echo "uninit: 1 passed, 0 failed"
