#!/usr/bin/env bash
# Install the Debian packages neasim needs to build, test and benchmark, skipping those present.
# Run as root (or with sudo available) on Debian 12.
set -euo pipefail
pkgs=(build-essential pkg-config libgsl-dev libcsv-dev libcmocka-dev libssl-dev time)
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
