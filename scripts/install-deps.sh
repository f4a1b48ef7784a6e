#!/usr/bin/env bash
# Installs the Debian 12 packages that building and testing llmap needs, and any further
# packages named as arguments (e.g. `install-deps.sh gnuplot-nox` for the benchmark chart).
# Idempotent: does nothing (and needs no network) when everything is already installed.
set -euo pipefail

packages=(
    libboost1.81-dev
    libboost-json1.81-dev
    libboost-url1.81-dev
    libboost-test1.81-dev
    libssl-dev
    libbenchmark-dev
    ccache
    clang-format
    doxygen # the API reference, built warning-free by the test command
    libclang-rt-14-dev # libFuzzer and the sanitizer runtimes of clang++ 14 (only recommended)
    "$@"
)

missing=()
for pkg in "${packages[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    if [[ "$status" != "install ok installed" ]]; then
        missing+=("$pkg")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "install-deps: all ${#packages[@]} packages already installed"
    exit 0
fi

sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then
    sudo_cmd=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
