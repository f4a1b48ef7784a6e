#!/usr/bin/env bash
# The test command: formatting check, the API reference (Doxygen, warnings are errors), a short
# fuzzing run (scripts/run-fuzzers.sh, when clang++ is there; LLMAP_FUZZ=0 skips it), then
# build + CTest with GCC and with Clang, each under AddressSanitizer + UBSan, and the tests of
# concurrent code with Clang under ThreadSanitizer. LLMAP_COMPILERS="gcc" (or "clang")
# restricts it for quick runs.
# The last thing printed is CTest's summary.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
# The conformance tests install Prism from the npm registry themselves (into $HOME/.cache,
# reused by the second compiler's run); they need Node 20 with npm, and fail without it.
command -v npm >/dev/null ||
    echo "warning: npm not found: the conformance.* tests will fail (install Node 20 + npm)" >&2

# A Prism cache left broken (an npm install cut short) would fail every conformance test:
# the prism-proxy script of ../shared installs into it only when it is missing.
prism_cache="${LLMAP_PRISM_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/llmap-prism}"
if [[ -d "$prism_cache" ]] && ! "$prism_cache/node_modules/.bin/prism" --version >/dev/null 2>&1; then
    echo "removing a Prism cache that does not run: $prism_cache"
    rm -rf "$prism_cache"
fi

# --- formatting -------------------------------------------------------------------------------
dirs=(include src tests benchmarks examples)
sources=()
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    while IFS= read -r -d '' file; do
        [[ -f "$file" ]] && sources+=("$file")
    done < <(git ls-files -z --cached --others --exclude-standard -- \
        "${dirs[@]/%//*.hpp}" "${dirs[@]/%//*.cpp}" | sort -zu)
else
    while IFS= read -r -d '' file; do
        sources+=("$file")
    done < <(find "${dirs[@]}" -type f \( -name '*.hpp' -o -name '*.cpp' \) -print0 2>/dev/null |
        sort -z)
fi
if [[ ${#sources[@]} -gt 0 ]]; then
    unformatted=()
    for file in "${sources[@]}"; do
        clang-format --dry-run --Werror "$file" >/dev/null 2>&1 || unformatted+=("$file")
    done
    if [[ ${#unformatted[@]} -gt 0 ]]; then
        clang-format --dry-run --Werror "${unformatted[@]}" 2>&1 | head -n 60 || true
        echo
        echo "error: ${#unformatted[@]} file(s) are not formatted per .clang-format:" >&2
        printf '  %s\n' "${unformatted[@]}" >&2
        echo "fix with: clang-format -i ${unformatted[*]}" >&2
        exit 1
    fi
fi
echo "format: ${#sources[@]} file(s) clean"

# --- the API reference: Doxygen over the public headers, every warning an error -------------
mkdir -p build/doc
doxygen docs/Doxyfile
echo "doc: build/doc/html (doxygen docs/Doxyfile, no warnings)"

# --- fuzzing: about a minute of libFuzzer on the parsers and decoders (tests/fuzz) ------------
if [[ "${LLMAP_FUZZ:-1}" == 0 ]]; then
    echo "fuzz: skipped (LLMAP_FUZZ=0)"
elif ! command -v clang++ >/dev/null; then
    echo "fuzz: skipped: clang++ not found (libFuzzer needs Clang)"
else
    bash scripts/run-fuzzers.sh
fi

# --- build and test ---------------------------------------------------------------------------
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

read -r -a compilers <<<"${LLMAP_COMPILERS:-gcc clang}"
if [[ ${#compilers[@]} -eq 0 ]]; then
    echo "error: LLMAP_COMPILERS is empty (use \"gcc\", \"clang\" or \"gcc clang\")" >&2
    exit 2
fi
for compiler in "${compilers[@]}"; do
    case "$compiler" in
    gcc | clang) ;;
    *)
        echo "error: unknown compiler '$compiler' in LLMAP_COMPILERS (use gcc and/or clang)" >&2
        exit 2
        ;;
    esac
done

for compiler in "${compilers[@]}"; do
    case "$compiler" in
    gcc) cxx=g++ ;;
    clang) cxx=clang++ ;;
    esac
    build_dir="build/${compiler}-san"
    # The benchmarks are built (warnings as errors, sanitizers) by the Clang run only: they run
    # nothing here, and the main job (scripts/run-benchmarks.sh) builds them with GCC.
    benchmarks=OFF
    [[ "$compiler" == clang ]] && benchmarks=ON
    start=$SECONDS
    echo "=== ${compiler}: configure ${build_dir}"
    cmake -S . -B "$build_dir" \
        -DCMAKE_CXX_COMPILER="$cxx" \
        -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
        -DLLMAP_SANITIZE=ON \
        -DLLMAP_BUILD_BENCHMARKS="$benchmarks"
    echo "=== ${compiler}: build"
    cmake --build "$build_dir" -j2
    echo "=== ${compiler}: configure + build took $((SECONDS - start)) s; test"
    ctest --test-dir "$build_dir" --output-on-failure -j2
done

# --- ThreadSanitizer: the tests of concurrent code (router, middleware, tools), Clang only ----
# (GCC 12 refuses Asio's atomic_thread_fence under TSan with -Werror.)
if [[ " ${compilers[*]} " == *" clang "* ]]; then
    start=$SECONDS
    echo "=== clang: configure build/clang-tsan (ThreadSanitizer)"
    cmake -S . -B build/clang-tsan \
        -DCMAKE_CXX_COMPILER=clang++ \
        -DCMAKE_BUILD_TYPE=Debug \
        -DLLMAP_SANITIZE=ON \
        -DLLMAP_SANITIZER=thread \
        -DLLMAP_BUILD_BENCHMARKS=OFF \
        -DLLMAP_BUILD_EXAMPLES=OFF
    cmake --build build/clang-tsan -j2
    echo "=== clang-tsan: configure + build took $((SECONDS - start)) s; test"
    ctest --test-dir build/clang-tsan --output-on-failure -j2
fi
