# Shared by scripts/run-benchmarks.sh and scripts/run-all-benchmarks.sh (sourced, not run).
# Builds the benchmarks in Release, starts the loopback server and runs the clients; every
# result goes as JSON into $LLMAP_BENCH_OUT (build/bench), which benchmarks/report.mjs reads.

LLMAP_BENCH_OUT="${LLMAP_BENCH_OUT:-build/bench}"
BIN=build/release/benchmarks

# Release build (GCC, -O3 -DNDEBUG, no tests, no sanitizers) of the given targets.
bench_build() {
    cmake -S . -B build/release \
        -DCMAKE_CXX_COMPILER=g++ \
        -DCMAKE_BUILD_TYPE=Release \
        -DLLMAP_BUILD_TESTS=OFF \
        -DLLMAP_BUILD_EXAMPLES=OFF \
        -DLLMAP_BUILD_BENCHMARKS=ON \
        -DLLMAP_SANITIZE=OFF >/dev/null
    cmake --build build/release -j2 --target "$@"
    rm -rf "$LLMAP_BENCH_OUT"
    mkdir -p "$LLMAP_BENCH_OUT/rows"
}

# Starts bench_server pinned to the second core (the clients get the first one) and sets
# BENCH_URL; the server is stopped when the calling script exits.
bench_start_server() {
    local out="$LLMAP_BENCH_OUT/server.out"
    taskset -c 1 "$BIN/bench_server" >"$out" 2>&1 &
    BENCH_SERVER_PID=$!
    trap 'kill "$BENCH_SERVER_PID" 2>/dev/null || true' EXIT
    for _ in $(seq 100); do
        if grep -q '^port ' "$out"; then
            BENCH_URL="http://127.0.0.1:$(awk '/^port /{print $2}' "$out")/v1"
            return 0
        fi
        sleep 0.1
    done
    echo "bench_server did not start:" >&2
    cat "$out" >&2
    return 1
}

# e2e_benchmark on the first core; the name is the JSON file's.
bench_e2e() {
    local name="$1"
    shift
    taskset -c 0 "$BIN/e2e_benchmark" --url "$BENCH_URL" --json "$LLMAP_BENCH_OUT/rows/$name.json" "$@"
}

# One Node SDK run (benchmarks/node/bench.mjs) on the first core; prints its JSON to a file.
bench_node() {
    local name="$1"
    shift
    taskset -c 0 node benchmarks/node/bench.mjs --base-url "$BENCH_URL" "$@" \
        >"$LLMAP_BENCH_OUT/rows/$name.json"
    node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1]));
        console.log(`node      ${r.sdk} ${r.mode} c=${r.connections}: ` +
            (r.mode === "complete" ? `${Math.round(r.req_per_s)} req/s, ${r.cpu_us_per_req.toFixed(1)} us CPU/req`
                                   : `time to last token ${r.ttlt_ms_median} ms (median)`))' \
        "$LLMAP_BENCH_OUT/rows/$name.json"
}

# What the numbers were measured on, for the report.
bench_env() {
    local cpu
    cpu="$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)"
    cat >"$LLMAP_BENCH_OUT/env.json" <<JSON
{"machine": "$cpu, $(nproc) cores", "compiler": "$(g++ --version | head -1)",
 "flags": "-O3 -DNDEBUG (CMake Release)", "node": "$(node --version)",
 "date": "$(date -u +%Y-%m-%d)"}
JSON
}
