#!/usr/bin/env bash
# Builds llmap's libFuzzer targets (tests/fuzz) with clang++ in build/fuzz, replays their
# committed regression inputs, then fuzzes each target for a bounded time from seeds written
# out of ../shared/fixtures. Exits non-zero on the first failure, printing the input that
# broke (base64) so that a CI log is enough to reproduce it. See tests/fuzz/README.md.
#
# Environment (all optional):
#   LLMAP_FUZZ_TIME     seconds of fuzzing in all, split across the targets (default 60)
#   LLMAP_FUZZ_JOBS     parallel fuzzing processes per target (default 1; for long runs)
#   LLMAP_FUZZ_SEEDS    recordings per wire format in the seed corpus (default 30; 0 = all)
#   LLMAP_FUZZ_BUILD    the build directory (default build/fuzz)
#   LLMAP_FUZZ_TARGETS  which targets to run (default "sse ndjson wire")
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

total="${LLMAP_FUZZ_TIME:-60}"
jobs="${LLMAP_FUZZ_JOBS:-1}"
seeds_per_format="${LLMAP_FUZZ_SEEDS:-30}"
build_dir="${LLMAP_FUZZ_BUILD:-build/fuzz}"
read -r -a targets <<<"${LLMAP_FUZZ_TARGETS:-sse ndjson wire}"
[[ "$build_dir" == /* ]] || build_dir="$PWD/$build_dir"

bash scripts/install-deps.sh
if ! command -v clang++ >/dev/null; then
    echo "error: clang++ not found: the fuzz targets need Clang's libFuzzer" >&2
    exit 1
fi

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

start=$SECONDS
echo "=== fuzz: configure + build ${build_dir}"
cmake -S . -B "$build_dir" \
    -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
    -DLLMAP_SANITIZE=OFF \
    -DLLMAP_BUILD_TESTS=OFF \
    -DLLMAP_BUILD_BENCHMARKS=OFF \
    -DLLMAP_BUILD_EXAMPLES=OFF \
    -DLLMAP_BUILD_FUZZERS=ON >/dev/null
cmake --build "$build_dir" -j2 --target llmap_fuzz_seeds "${targets[@]/#/fuzz_}"
bin="$build_dir/tests/fuzz"
echo "=== fuzz: built in $((SECONDS - start)) s"

# Prints the report of a failed run (from its first error line on), the input that broke it,
# and fails. A regression input is named by libFuzzer's "Running:" line; a fuzzing run's input
# is the crash file, printed in base64 too.
report_failure() {
    local target="$1" log="$2"
    echo "--- fuzz_${target} failed; its log is ${log}" >&2
    grep '^Running: ' "$log" | tail -n 1 >&2 || true
    local from
    from=$(grep -n -m 1 -E 'ERROR: |PROPERTY BROKEN|runtime error:|deadly signal' "$log" |
        cut -d: -f1 || true)
    if [[ -n "$from" ]]; then
        tail -n +"$from" "$log" | head -n 150 >&2
    else
        tail -n 80 "$log" >&2
    fi
    local crash
    for crash in "$build_dir/artifacts/${target}"-*; do
        [[ -f "$crash" ]] || continue
        echo "--- the input, ${crash} ($(stat -c %s "$crash") bytes), base64:" >&2
        head -c 8192 "$crash" | base64 >&2
        echo "reproduce: base64 -d >input <<'EOF' ... EOF; $bin/fuzz_${target} input" >&2
        echo "then keep it under tests/fuzz/regression/${target}/ (see tests/fuzz/README.md)" >&2
    done
    echo "error: fuzz_${target} failed" >&2
    exit 1
}

# --- regression inputs: each replayed once, as a plain run -----------------------------------
# regression/<target>/pending/ holds the inputs of known, still unfixed findings: replayed only
# on demand (see README.md), so that the test command stays green until the fix lands.
rm -rf "$build_dir/artifacts" "$build_dir/logs" "$build_dir/regression"
mkdir -p "$build_dir/artifacts" "$build_dir/logs"
# An input too large to commit as it is (a deep nesting, a long line) is committed gzipped
# (NAME.gz) and replayed decompressed.
for target in "${targets[@]}"; do
    inputs=()
    mkdir -p "$build_dir/regression/${target}"
    while IFS= read -r -d '' file; do
        if [[ "$file" == *.gz ]]; then
            plain="$build_dir/regression/${target}/$(basename "$file" .gz)"
            gzip -dc "$file" >"$plain"
            file="$plain"
        fi
        inputs+=("$file")
    done < <(find "tests/fuzz/regression/${target}" -maxdepth 1 -type f ! -name '.*' -print0 |
        sort -z)
    pending=0
    if [[ -d "tests/fuzz/regression/${target}/pending" ]]; then
        pending=$(find "tests/fuzz/regression/${target}/pending" -type f | wc -l)
    fi
    log="$build_dir/logs/${target}-regression.log"
    if [[ ${#inputs[@]} -gt 0 ]] &&
        ! "$bin/fuzz_${target}" -rss_limit_mb=2048 -timeout=10 \
            -artifact_prefix="$build_dir/artifacts/${target}-" "${inputs[@]}" >"$log" 2>&1; then
        report_failure "$target" "$log"
    fi
    echo "=== fuzz_${target}: ${#inputs[@]} regression input(s) pass (${pending} pending, not run)"
done

# --- bounded fuzzing ---------------------------------------------------------------------------
echo "=== fuzz: seed corpora from the fixtures"
"$bin/llmap_fuzz_seeds" "$build_dir/seeds" "$seeds_per_format" | tail -n 1

dicts="$PWD/tests/fuzz/dicts"
for target in "${targets[@]}"; do
    case "$target" in
    # The framings are fed byte by byte too, so their time grows with the input: 4 KiB (the
    # seeds cut to that) hold plenty of events. An answer cut short is no longer JSON: the
    # wire target keeps libFuzzer's default, the longest seed.
    sse) share=30 max_len=4096 dict_files=("$dicts/sse.dict") ;;
    ndjson) share=20 max_len=4096 dict_files=("$dicts/ndjson.dict" "$dicts/json.dict") ;;
    wire) share=50 max_len=0 dict_files=("$dicts"/*.dict) ;;
    *)
        echo "error: unknown fuzz target '$target'" >&2
        exit 2
        ;;
    esac
    # The wire target reads every format, and libFuzzer takes one dictionary: their union.
    cat "${dict_files[@]}" >"$build_dir/${target}.dict"
    seconds=$((total * share / 100))
    ((seconds > 0)) || seconds=1
    mkdir -p "$build_dir/corpus/${target}"
    log="$build_dir/logs/${target}.log"
    run_start=$SECONDS
    # The first corpus directory receives the new inputs and outlives the run (a long run
    # resumes from it); the seeds are rewritten each time.
    args=(
        "$build_dir/corpus/${target}" "$build_dir/seeds/${target}"
        -dict="$build_dir/${target}.dict"
        -max_total_time="$seconds"
        -rss_limit_mb=2048
        -timeout=10
        -print_final_stats=1
        -artifact_prefix="$build_dir/artifacts/${target}-"
    )
    if ((max_len > 0)); then
        args+=(-max_len="$max_len")
    fi
    if ((jobs > 1)); then
        args+=(-jobs="$jobs" -workers="$jobs")
    fi
    # From the logs directory: with -jobs, libFuzzer writes a fuzz-N.log per job there.
    if ! (cd "$build_dir/logs" && "$bin/fuzz_${target}" "${args[@]}") >"$log" 2>&1; then
        report_failure "$target" "$log"
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    echo "=== fuzz_${target}: ${runs:-?} runs in $((SECONDS - run_start)) s, ${cov:-cov: ?}, no failure"
done
echo "=== fuzz: done in $((SECONDS - start)) s"
