#!/usr/bin/env bash
# Every benchmark of issue 5, then the report (build/bench/report.md) and the README's chart
# (docs/performance.svg), in about ten minutes on 2 cores:
# dispatch, parsers, end to end on 1 and 8 connections (hand-written Beast client, llmap's
# static, visit and any_model paths, the openai npm package, the Vercel AI SDK), streaming,
# memory while streaming 50 MB, and compile time (scripts/compile-time.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/bench-lib.sh

bash scripts/install-deps.sh gnuplot-nox
bash benchmarks/node/setup.sh
bench_build dispatch_benchmark parse_benchmark bench_server e2e_benchmark
bench_env

"$BIN/dispatch_benchmark" --benchmark_out="$LLMAP_BENCH_OUT/dispatch.json" \
    --benchmark_out_format=json
"$BIN/parse_benchmark" --benchmark_out="$LLMAP_BENCH_OUT/parse.json" --benchmark_out_format=json

bench_start_server
bench_e2e complete --mode complete --connections 1,8
for sdk in openai ai-sdk; do
    for c in 1 8; do
        bench_node "node-$sdk-complete-$c" --sdk "$sdk" --mode complete --connections "$c"
    done
done
bench_e2e stream --mode stream
for sdk in openai ai-sdk; do
    bench_node "node-$sdk-stream" --sdk "$sdk" --mode stream --connections 1
done
bench_e2e memory --mode memory --mb 50
bench_e2e memory-collect --mode memory --mb 50 --collect

bash scripts/compile-time.sh "$LLMAP_BENCH_OUT/compile_time.json"

echo
node benchmarks/report.mjs "$LLMAP_BENCH_OUT" --chart docs/performance.svg |
    tee "$LLMAP_BENCH_OUT/report.md"
