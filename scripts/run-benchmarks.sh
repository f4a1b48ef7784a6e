#!/usr/bin/env bash
# The benchmark job: builds the dispatch benchmark in Release (GCC, no tests, no sanitizers)
# and runs it. Extra arguments go to the benchmark, e.g. --benchmark_filter=static.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh

cmake -S . -B build/release \
    -DCMAKE_CXX_COMPILER=g++ \
    -DCMAKE_BUILD_TYPE=Release \
    -DLLMAP_BUILD_TESTS=OFF \
    -DLLMAP_BUILD_EXAMPLES=OFF \
    -DLLMAP_BUILD_BENCHMARKS=ON \
    -DLLMAP_SANITIZE=OFF
cmake --build build/release -j2 --target dispatch_benchmark
exec build/release/benchmarks/dispatch_benchmark "$@"
