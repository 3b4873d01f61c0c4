#!/usr/bin/env bash
# Every output the same from a second compiler. Code whose behaviour C leaves undefined (a signed
# overflow, a read past an array or before a write, an aliasing violation) is what an optimiser may
# exploit as it likes: the program then does what one compiler's choices make of it, and another
# compiler, or the next version of this one, may make something else. A submission once passed CI
# and failed make test on a fresh machine because of such a read. make test builds the CLI with gcc
# (BUILD/neasim) and, where clang is, with clang and its own OpenMP runtime (BUILD/neasim-clang:
# libomp, not gcc's libgomp, so the threads' scheduling differs too). This suite runs every case
# of scripts/bytecheck.sh with both (each shipped scenario through run and compare, each test
# model, both outer loops, sweeps, paths and signposts, a precision run, shards and merge, score,
# discover, trace, check, bad input) and wants every output the same byte for byte, every message
# and exit status the same. cli_uninit poisons the memory a build starts with; check-asan stops at
# the undefined operations its sanitizers know; this sees any difference a second compiler's
# reading of the code makes to what an analyst gets.
# Both builds use IEEE double arithmetic without fused multiply-add (the Makefile's
# -ffp-contract=off for clang; gcc in ISO C mode does not fuse), and the same libm at run time.
# Where clang or its OpenMP runtime is missing the Makefile builds no BUILD/neasim-clang and the
# suite is skipped, loudly (exit 77); make deps installs both (clang, libomp-dev).
# Usage: tests/cli_clang.sh BUILD_DIR   (from the project root; about a minute)
set -u
build=${1:-build}
second=$build/neasim-clang
source "$(dirname "$0")/skip-lib.sh"
[ -x "$second" ] || skip_suite "$second is not built (no clang with -fopenmp: make deps installs" \
    "clang and libomp-dev), so no output was checked against a second compiler's build"
work=$(mktemp -d /tmp/nsm-clang-XXXXXX)
trap 'rm -rf "$work"' EXIT
if ! bash scripts/bytecheck.sh --at-least 80 "$(realpath "$build/neasim")" "$(realpath "$second")" \
    > "$work/log" 2>&1; then
    cat "$work/log"
    echo "FAIL clang: cases differ between gcc's and clang's builds, or fewer than 80 ran (above):"
    echo "     an output depends on how a compiler reads the code. Look for undefined behaviour:"
    echo "     make check-asan, and valgrind $build/neasim with the case's command (above)."
    exit 1
fi
echo "clang: $(tail -1 "$work/log" | sed 's/^bytecheck: //'), between $("${CC:-cc}" --version 2>/dev/null | head -1)"
echo "clang: and $("${CLANG:-clang}" --version 2>/dev/null | head -1) (with libomp)"
echo "clang: 1 passed, 0 failed"
