#!/usr/bin/env bash
# The benchmark job (the README's main command): the fast subset, in about two minutes.
# - dispatch: reaching a model from an id (benchmarks/dispatch_benchmark.cpp);
# - parsers: SSE and each provider's answer (benchmarks/parse_benchmark.cpp);
# - end to end: the hand-written Beast client, llmap (static) and the official openai npm
#   package on one keep-alive connection to the loopback bench_server.
# Everything lands as JSON in build/bench; the tables are printed at the end.
# scripts/run-all-benchmarks.sh runs every benchmark and redraws the README's chart.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/bench-lib.sh

bash scripts/install-deps.sh
bash benchmarks/node/setup.sh
bench_build dispatch_benchmark parse_benchmark bench_server e2e_benchmark
bench_env

"$BIN/dispatch_benchmark" --benchmark_repetitions=3 \
    --benchmark_out="$LLMAP_BENCH_OUT/dispatch.json" --benchmark_out_format=json
"$BIN/parse_benchmark" --benchmark_out="$LLMAP_BENCH_OUT/parse.json" --benchmark_out_format=json

bench_start_server
bench_e2e complete --mode complete --clients floor,static --connections 1
bench_node node-openai-complete-1 --sdk openai --mode complete --connections 1

echo
node benchmarks/report.mjs "$LLMAP_BENCH_OUT" | tee "$LLMAP_BENCH_OUT/report.md"
