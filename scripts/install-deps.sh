#!/usr/bin/env bash
# Install the Debian packages neasim needs, skipping those present. Run as root (or with sudo).
# The engine needs GSL, libcsv and OpenSSL's libcrypto (scenario checksums); the tests need cmocka;
# `make test` also runs CLI cases under valgrind (tests/cli_valgrind.sh: skipped, loudly, without
# it); the figures, the briefing and the calibration checks need R with ggplot2 and readr;
# `make bench` times a NumPy peer of the reference chain (python3-numpy). The brief is built with
# htmltools (r-cran-htmltools: tags and escaping, no pandoc needed), and tests/cli_brief.sh looks
# at it in headless Chromium (chromium: its height at 1400 px and a screenshot).
# `make fuzz` (optional) needs clang and libclang-rt-14-dev, not installed here.
set -euo pipefail
pkgs=(build-essential pkg-config libgsl-dev libcsv-dev libcmocka-dev libssl-dev time valgrind
      python3-numpy r-base-core r-cran-ggplot2 r-cran-readr r-cran-scales r-cran-base64enc
      r-cran-htmltools chromium)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "deps: all present (${pkgs[*]})"
    exit 0
fi
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
