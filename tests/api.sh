#!/usr/bin/env bash
# The library's public surface is exactly what include/neasim/ declares: every global symbol that
# build/libneasim.a defines is either an `nsm_` name declared in a public header or an `nsmi_`
# internal (shared between the files of one folder, declared in that folder's private header).
# Usage: tests/api.sh BUILD_DIR   (from the project root)
set -u
lib=${1:-build}/libneasim.a
source "$(dirname "$0")/skip-lib.sh"
command -v nm >/dev/null || skip_suite "nm (binutils) is not installed (make deps)"
pass=0
fail=0
declared=$(cat include/neasim/*.h | grep -o '\bnsm_[A-Za-z0-9_]*\b' | sort -u)
while read -r sym; do
    case $sym in
        nsmi_*) pass=$((pass + 1)) ;;
        .gomp_critical_user_* | __odr_asan.* | __asan_*) ;; # OpenMP's critical sections, ASan's own
        nsm_*)
            if grep -qx "$sym" <<<"$declared"; then pass=$((pass + 1))
            else echo "FAIL $sym is global but not declared in include/neasim/ (make it static, or nsmi_)"; fail=$((fail + 1)); fi ;;
        *) echo "FAIL $sym: a global symbol without the nsm_ or nsmi_ prefix"; fail=$((fail + 1)) ;;
    esac
done < <(nm -g --defined-only "$lib" | awk '$2 ~ /^[TDBRC]$/ { print $3 }' | sort -u)
[ $((pass + fail)) -gt 100 ] || { echo "FAIL only $((pass + fail)) symbols read from $lib"; fail=$((fail + 1)); }
echo "api: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
