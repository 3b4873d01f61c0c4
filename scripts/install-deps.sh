#!/usr/bin/env bash
# Install the Debian packages neasim needs, skipping those present. Run as root (or with sudo).
# The engine needs GSL, libcsv and OpenSSL's libcrypto (scenario checksums); the tests need cmocka;
# `make test` also runs CLI cases under valgrind (tests/cli_valgrind.sh: skipped, loudly, without
# it); the figures, the briefing and the calibration checks need R with ggplot2 and readr;
# `make bench` times a NumPy peer of the reference chain (python3-numpy).
# `make mpi` builds build/neasim-mpi with Open MPI (libopenmpi-dev: mpicc and mpi.h; openmpi-bin:
# mpirun), which tests/cli_mpi.sh runs under mpirun -n 1..4.
# tests/cli_slurm.sh starts a private one-node Slurm cluster to run scripts/slurm/'s job array and
# merge for real: slurm-wlm (slurmctld, slurmd, sbatch) and munge (its authentication).
# The brief is built with
# htmltools (r-cran-htmltools: tags and escaping, no pandoc needed), and tests/cli_brief.sh looks
# at it in headless Chromium (chromium: its height at 1400 px and a screenshot), which also prints
# it to brief.pdf (scripts/brief_pdf.sh); tests/cli_brief_pdf.sh reads that PDF with poppler's
# pdfinfo, pdftotext and pdfimages (poppler-utils).
# `make test` builds the CLI a second time with clang and its OpenMP runtime (clang, libomp-dev)
# and wants the same outputs from both builds (tests/cli_clang.sh). `make fuzz` (optional) also
# needs libFuzzer's runtime, libclang-rt-14-dev, not installed here.
# `--xlsx` (results.xlsx) is written with libxlsxwriter (libxlsxwriter-dev); tests/cli_xlsx.sh opens
# the workbooks and checks the README's CSV import advice with LibreOffice (libreoffice-calc,
# headless; skipped, loudly, without it).
# fonts-noto-cjk: labels are free UTF-8 text, and an analyst's may be Korean, Japanese or Chinese,
# which the default fonts lack: the figures (cairo) and the brief (a browser) would draw empty
# boxes (scripts/figures_common.R, nsm_font_check, says so; tests/figures.sh checks).
# locales: the sources of the glibc locales, from which tests/cli_brief.sh compiles a Korean one
# into its scratch folder (localedef; nothing system-wide) to check that the brief's month names
# stay English under an analyst's own language setting.
# bsdutils: `script`, which gives a command a terminal, so that tests/cli_precision.sh can read the
# progress bar that --precision draws only on one (Essential in Debian: there already).
set -euo pipefail
pkgs=(build-essential pkg-config libgsl-dev libcsv-dev libcmocka-dev libssl-dev time valgrind
      libopenmpi-dev openmpi-bin python3-numpy r-base-core r-cran-ggplot2 r-cran-readr r-cran-scales
      r-cran-base64enc libxlsxwriter-dev libreoffice-calc slurm-wlm munge r-cran-htmltools chromium
      poppler-utils fonts-noto-cjk locales clang libomp-dev bsdutils)
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
