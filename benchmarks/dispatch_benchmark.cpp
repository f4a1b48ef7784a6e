//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The dispatch benchmark: what it costs to reach a model from an id, by each of llmap's
// paths and by the seed's design, for registries of 4, 16 and 64 providers.
//
//   (a) create   a model from a "provider:model" id (16 per iteration, reported per model)
//                  direct       the provider's model() called on a provider object (the floor)
//                  static       reg.model<"p:m">()
//                  visit        reg.visit(id, f)                    runtime string
//                  make         reg.make(id) -> llmap::any_model    runtime string
//                  variant      reg.make_variant(id) + std::visit   runtime string
//                  seed         unordered_map<string, shared_ptr<factory>> + virtual
//                               factory returning unique_ptr<model_base> (allocates)
//   (b) call     complete() once through a handle created before the timing loop
//                  direct, static (the concrete model), layered (the static model with a
//                  no-op middleware layer: what composition costs), hooks (with an empty
//                  llmap::hooks layer, which copies the request), any_model, variant
//                  (std::visit), seed (virtual call through unique_ptr<model_base>)
//   lookup       provider name -> index: llmap's compile-time name table (the very table
//                registry<...> builds) vs std::unordered_map<std::string_view, int>::find
//
// The providers are generated here (not taken from the tests): provider I is named after a
// real service for I < 16 ("openai", "anthropic", "azure-east", ...) and "gen-<I>" after
// that. Each has its own model type (so visit and std::visit really have N targets), which
// holds a std::string_view model name and a pointer to its provider's small configuration:
// creating one never allocates, so (a) measures dispatch. The seed's path allocates its
// model on the heap: that is the seed's design, and it is kept.
//
// The runtime paths take their ids from a fixed, shuffled sequence of 1024 runtime
// std::string ids (passed as std::string_view) covering every provider of the registry
// equally, so neither the branch predictor nor the compiler can learn a single target.
//
// A model's complete() returns a default-constructed llmap::response with one field set to
// a per-type constant (so that no two model types share code): the same small, constant
// work on every path, which (b) therefore adds to the cost of the dispatch itself.
//
// Build standalone:
//   g++ -std=c++20 -O2 -DNDEBUG -I include benchmarks/dispatch_benchmark.cpp
//       -lbenchmark -lboost_json -lboost_url -lpthread
// or through CMake: bash scripts/run-benchmarks.sh. Google Benchmark flags work as usual
// (--benchmark_filter=create, --benchmark_min_time=0.5, --benchmark_repetitions=10, ...);
// unless given, this program runs each benchmark 5 times for at least 0.1 s and reports the
// fastest repetition in its summary table.

#include <llmap/any_model.hpp>
#include <llmap/detail/name_table.hpp>
#include <llmap/fixed_string.hpp>
#include <llmap/middleware.hpp>
#include <llmap/registry.hpp>
#include <llmap/types.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#if defined(__linux__)
#include <sched.h>
#endif
#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

namespace {

// ---------------------------------------------------------------------------------------------
// Generated providers
// ---------------------------------------------------------------------------------------------

constexpr std::array<std::string_view, 16> real_names = {
    "openai",     "anthropic", "azure-east", "ollama",    "gemini", "mistral",
    "azure-west", "groq",      "deepseek",   "bedrock",   "vertex", "cohere",
    "together",   "fireworks", "xai",        "openrouter"};

/// The name of generated provider I: a real-looking name for I < 16, else "gen-<I>".
template <std::size_t I>
constexpr auto provider_name = [] {
    if constexpr (I < real_names.size()) {
        return llmap::fixed_string<real_names[I].size()>(real_names[I]);
    } else {
        constexpr std::size_t digits = [] {
            std::size_t d = 1;
            for (std::size_t v = I; v >= 10; v /= 10)
                ++d;
            return d;
        }();
        char buf[4 + digits] = {'g', 'e', 'n', '-'};
        std::size_t v = I;
        for (std::size_t k = 0; k != digits; ++k, v /= 10)
            buf[4 + digits - 1 - k] = static_cast<char>('0' + v % 10);
        return llmap::fixed_string<4 + digits>(std::string_view(buf, 4 + digits));
    }
}();

/// "<A>:<B>" as a fixed_string, for the static path.
template <llmap::fixed_string A, llmap::fixed_string B>
constexpr auto join_id() {
    constexpr std::size_t n = A.size() + 1 + B.size();
    char buf[n] = {};
    std::size_t at = 0;
    for (char c : A.view())
        buf[at++] = c;
    buf[at++] = ':';
    for (char c : B.view())
        buf[at++] = c;
    return llmap::fixed_string<n>(std::string_view(buf, n));
}

/// What a real provider keeps next to its credentials: a few small options.
struct bench_config {
    int timeout_ms = 30000;
    int max_retries = 2;
};

/// The model of generated provider I: a model name and a pointer to the provider's options,
/// as a real model holds its name and a handle on its provider's client. No allocation.
template <std::size_t I>
struct bench_model {
    std::string_view model_name;
    const bench_config* config = nullptr;

    llmap::response complete(const llmap::request&) {
        llmap::response r;
        r.usage.output_tokens = static_cast<std::int64_t>(I);
        return r;
    }
};

template <std::size_t I>
struct bench_provider {
    static constexpr llmap::fixed_string name = provider_name<I>;
    static constexpr std::string_view default_model = "default";

    bench_config config;

    explicit bench_provider(const llmap::provider_config&) {}
    bench_model<I> model(std::string_view m) const { return {m, &config}; }
};

// ---------------------------------------------------------------------------------------------
// The seed's design: a map from provider name to a shared factory object behind an abstract
// interface, whose virtual create() returns the model on the heap behind an abstract model
// interface. Lookup as llmap does it: split on the first ':', find the provider part (with
// heterogeneous lookup, so no temporary std::string is built: the seed at its best).
// ---------------------------------------------------------------------------------------------
namespace seed {

struct model_base {
    virtual ~model_base() = default;
    virtual llmap::response complete(const llmap::request& req) = 0;
};

struct factory {
    virtual ~factory() = default;
    virtual std::unique_ptr<model_base> create(std::string_view model) const = 0;
};

template <std::size_t I>
struct model_impl final : model_base {
    explicit model_impl(bench_model<I> m) : model(m) {}
    llmap::response complete(const llmap::request& req) override { return model.complete(req); }
    bench_model<I> model;
};

template <std::size_t I>
struct factory_impl final : factory {
    explicit factory_impl(const llmap::provider_config& c) : provider(c) {}
    std::unique_ptr<model_base> create(std::string_view model) const override {
        return std::make_unique<model_impl<I>>(
            provider.model(model.empty() ? bench_provider<I>::default_model : model));
    }
    bench_provider<I> provider;
};

struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};

class registry {
public:
    void add(std::string name, std::shared_ptr<factory> f) {
        factories_.emplace(std::move(name), std::move(f));
    }

    std::unique_ptr<model_base> create(std::string_view id) const {
        std::size_t const colon = id.find(':');
        std::string_view const provider = id.substr(0, colon);
        std::string_view const model =
            colon == std::string_view::npos ? std::string_view{} : id.substr(colon + 1);
        auto const it = factories_.find(provider);
        if (it == factories_.end())
            throw std::runtime_error("unknown provider");
        return it->second->create(model);
    }

private:
    std::unordered_map<std::string, std::shared_ptr<factory>, string_hash, std::equal_to<>>
        factories_;
};

} // namespace seed

// ---------------------------------------------------------------------------------------------
// Registries of N providers, both designs
// ---------------------------------------------------------------------------------------------

template <class Seq>
struct suite_types;

template <std::size_t... I>
struct suite_types<std::index_sequence<I...>> {
    using registry = llmap::registry<bench_provider<I>...>;

    static seed::registry make_seed() {
        seed::registry r;
        llmap::provider_config const c;
        (r.add(std::string(provider_name<I>.view()), std::make_shared<seed::factory_impl<I>>(c)),
         ...);
        return r;
    }
};

template <std::size_t N>
using registry_of = typename suite_types<std::make_index_sequence<N>>::registry;

template <std::size_t N>
seed::registry seed_of() {
    return suite_types<std::make_index_sequence<N>>::make_seed();
}

// Concatenation by appending: GCC 12 at -O3 reports a false -Wrestrict on
// `"literal" + std::string&&` (GCC bug 105329), and warnings are errors here.
std::string cat(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (auto p : parts)
        out.append(p.data(), p.size());
    return out;
}

constexpr std::array<std::string_view, 5> model_names = {"gpt-4o-mini", "claude-sonnet-4-5",
                                                         "gemini-2.5-flash", "llama3:8b", "large"};

// Ids and names are used in this order: a fixed shuffle, each provider sequence_length / N
// times.
constexpr std::size_t sequence_length = 1024;
static_assert((sequence_length & (sequence_length - 1)) == 0);

/// The fixed inputs of the benchmarks for registries of N providers.
struct inputs {
    std::vector<std::string> id_storage;   // "provider:model", runtime strings
    std::vector<std::string> name_storage; // "provider"
    std::vector<std::string_view> ids;
    std::vector<std::string_view> names;
};

template <std::size_t N>
const inputs& inputs_of() {
    static const inputs in = [] {
        static_assert(sequence_length % N == 0);
        constexpr auto& all = registry_of<N>::names();
        std::vector<std::size_t> order(sequence_length);
        for (std::size_t j = 0; j != sequence_length; ++j)
            order[j] = j % N;
        // Fisher-Yates with a fixed seed; mt19937's output is specified, so the sequence is
        // the same with every standard library.
        std::mt19937 rng(20260101u);
        for (std::size_t j = sequence_length - 1; j > 0; --j)
            std::swap(order[j], order[rng() % (j + 1)]);
        inputs r;
        for (std::size_t j = 0; j != sequence_length; ++j) {
            std::string const provider(all[order[j]]);
            r.name_storage.push_back(provider);
            r.id_storage.push_back(
                cat({provider, ":", model_names[(j * 7 + j / 5) % model_names.size()]}));
        }
        r.ids.assign(r.id_storage.begin(), r.id_storage.end());
        r.names.assign(r.name_storage.begin(), r.name_storage.end());
        return r;
    }();
    return in;
}

/// The provider the (b) benchmarks make their one handle for: the last one of the registry.
template <std::size_t N>
constexpr std::size_t fixed_index = N - 1;

/// The literal id of provider I's "gpt-4o-mini", for the static path.
template <std::size_t I>
constexpr auto static_id = join_id<provider_name<I>, "gpt-4o-mini">();

template <std::size_t N>
constexpr auto fixed_id = static_id<fixed_index<N>>;

// ---------------------------------------------------------------------------------------------
// (a) create a model from an id
//
// Every iteration creates a batch of 16 models, and the summary divides by 16. On the direct
// and static paths one model is two stores, a cycle or so: timing that alone measures the
// alignment of the loop, not the code. The batch is provider 0, 1, ... (cycling over the
// registry's first min(N, 16) providers) on those paths, and the next 16 ids of the shuffled
// sequence on the runtime paths.
// ---------------------------------------------------------------------------------------------

constexpr std::size_t batch = 16;

template <std::size_t N, class F, std::size_t... K>
BENCHMARK_ALWAYS_INLINE inline void for_each_in_batch(F& f, std::index_sequence<K...>) {
    (f(std::integral_constant<std::size_t, K % N>{}), ...);
}

/// Calls f(std::integral_constant<std::size_t, K % N>) for K = 0 .. batch - 1.
template <std::size_t N, class F>
BENCHMARK_ALWAYS_INLINE inline void for_each_in_batch(F&& f) {
    for_each_in_batch<N>(f, std::make_index_sequence<batch>{});
}

/// Calls f(id) for the next `batch` ids of the sequence.
template <class F>
BENCHMARK_ALWAYS_INLINE inline void for_each_id(const std::vector<std::string_view>& ids,
                                                std::size_t& j, F&& f) {
    for (std::size_t k = 0; k != batch; ++k) {
        std::string_view const id = ids[j];
        j = (j + 1) & (sequence_length - 1);
        f(id);
    }
}

void count_batch(benchmark::State& state) {
    state.counters["batch"] = static_cast<double>(batch);
}

template <std::size_t... I>
auto make_providers(std::index_sequence<I...>) {
    return std::tuple<bench_provider<I>...>{bench_provider<I>(llmap::provider_config{})...};
}

template <std::size_t N>
void create_direct(benchmark::State& state) {
    auto const providers = make_providers(std::make_index_sequence<std::min(N, batch)>{});
    for (auto _ : state)
        for_each_in_batch<N>([&](auto i) {
            auto m = std::get<decltype(i)::value>(providers).model("gpt-4o-mini");
            benchmark::DoNotOptimize(m);
        });
    count_batch(state);
}

template <std::size_t N>
void create_static(benchmark::State& state) {
    registry_of<N> const reg;
    for (auto _ : state)
        for_each_in_batch<N>([&](auto i) {
            auto m = reg.template model<static_id<decltype(i)::value>>();
            benchmark::DoNotOptimize(m);
        });
    count_batch(state);
}

template <std::size_t N>
void create_visit(benchmark::State& state) {
    registry_of<N> const reg;
    auto const& ids = inputs_of<N>().ids;
    std::size_t j = 0;
    for (auto _ : state)
        for_each_id(ids, j, [&](std::string_view id) {
            reg.visit(id, [](auto& m) { benchmark::DoNotOptimize(m); });
        });
    count_batch(state);
}

template <std::size_t N>
void create_make(benchmark::State& state) {
    registry_of<N> const reg;
    auto const& ids = inputs_of<N>().ids;
    std::size_t j = 0;
    for (auto _ : state)
        for_each_id(ids, j, [&](std::string_view id) {
            llmap::any_model m = reg.make(id);
            benchmark::DoNotOptimize(m);
        });
    count_batch(state);
}

template <std::size_t N>
void create_variant(benchmark::State& state) {
    registry_of<N> const reg;
    auto const& ids = inputs_of<N>().ids;
    std::size_t j = 0;
    for (auto _ : state)
        for_each_id(ids, j, [&](std::string_view id) {
            auto v = reg.make_variant(id);
            std::visit([](auto& m) { benchmark::DoNotOptimize(m); }, v);
        });
    count_batch(state);
}

template <std::size_t N>
void create_seed(benchmark::State& state) {
    seed::registry const reg = seed_of<N>();
    auto const& ids = inputs_of<N>().ids;
    std::size_t j = 0;
    for (auto _ : state)
        for_each_id(ids, j, [&](std::string_view id) {
            std::unique_ptr<seed::model_base> m = reg.create(id);
            benchmark::DoNotOptimize(m);
        });
    count_batch(state);
}

// ---------------------------------------------------------------------------------------------
// (b) one complete() through a handle made before the loop
//
// The timed loop is one out-of-line function per (handle type, way of calling). The static
// path's handle is the provider's concrete model type, the very type the direct path builds,
// so the two share one loop: the same code at the same address, which keeps code placement
// (worth a few percent on a 4 ns loop) out of the static/direct comparison.
// ---------------------------------------------------------------------------------------------

const llmap::request& the_request() {
    static const llmap::request req{.system = "Be brief.", .prompt = "Hi"};
    return req;
}

std::string runtime_fixed_id(std::string_view id) {
    return std::string(id); // a runtime string, as a configuration file would give
}

/// m.complete(req), for a concrete model or an any_model.
struct call_member {
    template <class M>
    llmap::response operator()(M& m, const llmap::request& req) const {
        return m.complete(req);
    }
};

/// std::visit on the registry's variant.
struct call_visit {
    template <class V>
    llmap::response operator()(V& v, const llmap::request& req) const {
        return std::visit([&](auto& m) -> llmap::response { return m.complete(req); }, v);
    }
};

/// The seed's virtual call through unique_ptr<model_base>.
struct call_virtual {
    llmap::response operator()(std::unique_ptr<seed::model_base>& m,
                               const llmap::request& req) const {
        return m->complete(req);
    }
};

template <class Handle, class Call>
[[gnu::noinline]] void time_calls(benchmark::State& state, Handle& handle, Call call) {
    benchmark::DoNotOptimize(handle);
    auto const& req = the_request();
    for (auto _ : state) {
        llmap::response r = call(handle, req);
        benchmark::DoNotOptimize(r);
    }
}

template <std::size_t N>
void call_direct(benchmark::State& state) {
    bench_provider<fixed_index<N>> const provider{llmap::provider_config{}};
    auto m = provider.model("gpt-4o-mini");
    time_calls(state, m, call_member{});
}

template <std::size_t N>
void call_static(benchmark::State& state) {
    registry_of<N> const reg;
    auto m = reg.template model<fixed_id<N>>();
    static_assert(std::is_same_v<decltype(m), bench_model<fixed_index<N>>>);
    time_calls(state, m, call_member{});
}

/// A middleware layer that does nothing and only reads the request: what composition costs.
struct no_op_layer {
    struct call {};
    call begin(const llmap::request&, const llmap::call_info&) const { return {}; }
};

template <std::size_t N>
void call_layered(benchmark::State& state) {
    registry_of<N> const reg;
    auto m = llmap::layered(reg.template model<fixed_id<N>>(), no_op_layer{});
    time_calls(state, m, call_member{});
}

template <std::size_t N>
void call_hooks(benchmark::State& state) {
    registry_of<N> const reg;
    auto m = reg.template model<fixed_id<N>>() | llmap::hooks{};
    time_calls(state, m, call_member{});
}

template <std::size_t N>
void call_any_model(benchmark::State& state) {
    registry_of<N> const reg;
    llmap::any_model m = reg.make(runtime_fixed_id(fixed_id<N>.view()));
    time_calls(state, m, call_member{});
}

template <std::size_t N>
void call_variant(benchmark::State& state) {
    registry_of<N> const reg;
    auto v = reg.make_variant(runtime_fixed_id(fixed_id<N>.view()));
    time_calls(state, v, call_visit{});
}

template <std::size_t N>
void call_seed(benchmark::State& state) {
    seed::registry const reg = seed_of<N>();
    std::unique_ptr<seed::model_base> m = reg.create(runtime_fixed_id(fixed_id<N>.view()));
    time_calls(state, m, call_virtual{});
}

// ---------------------------------------------------------------------------------------------
// Name lookup: provider name -> index
// ---------------------------------------------------------------------------------------------

template <std::size_t N>
void lookup_llmap(benchmark::State& state) {
    // The table registry_of<N> builds for its runtime paths (Registry::contains uses it).
    static constexpr auto table = llmap::detail::make_name_table(registry_of<N>::names());
    auto const& names = inputs_of<N>().names;
    std::size_t j = 0;
    for (auto _ : state) {
        std::string_view const name = names[j];
        j = (j + 1) & (sequence_length - 1);
        int index = table.find(name);
        benchmark::DoNotOptimize(index);
    }
}

template <std::size_t N>
void lookup_unordered_map(benchmark::State& state) {
    std::unordered_map<std::string_view, int> map;
    for (std::size_t i = 0; i != N; ++i)
        map.emplace(registry_of<N>::names()[i], static_cast<int>(i));
    auto const& names = inputs_of<N>().names;
    std::size_t j = 0;
    for (auto _ : state) {
        std::string_view const name = names[j];
        j = (j + 1) & (sequence_length - 1);
        auto const it = map.find(name);
        int index = it == map.end() ? -1 : it->second;
        benchmark::DoNotOptimize(index);
    }
}

// ---------------------------------------------------------------------------------------------
// Registration, collection of results, summary
// ---------------------------------------------------------------------------------------------

constexpr std::array<std::size_t, 3> sizes = {4, 16, 64};

struct contender {
    std::string_view key;   // benchmark name part
    std::string_view label; // summary row label
};

constexpr std::array<contender, 6> create_contenders = {{
    {"direct", "direct     provider.model(m)  (floor)"},
    {"static", "static     reg.model<\"p:m\">()"},
    {"visit", "visit      reg.visit(id, f)"},
    {"make", "make       reg.make(id) -> any_model"},
    {"variant", "variant    reg.make_variant(id)+visit"},
    {"seed", "seed       map + virtual factory + new"},
}};

constexpr std::array<contender, 7> call_contenders = {{
    {"direct", "direct     concrete model    (floor)"},
    {"static", "static     concrete model"},
    {"layered", "layered    model | no-op layer"},
    {"hooks", "hooks      model | hooks{} (empty)"},
    {"any_model", "any_model  m.complete(req)"},
    {"variant", "variant    std::visit(f, v)"},
    {"seed", "seed       unique_ptr<base>->complete"},
}};

constexpr std::array<contender, 2> lookup_contenders = {{
    {"llmap", "llmap name_table::find"},
    {"unordered_map", "std::unordered_map<string_view,int>"},
}};

double min_of(const std::vector<double>& v) {
    return v.empty() ? 0.0 : *std::min_element(v.begin(), v.end());
}

template <std::size_t N>
void register_size() {
    auto const reg = [](std::string_view op, std::string_view who, void (*fn)(benchmark::State&)) {
        std::string const name = cat({op, "/", who, "/", std::to_string(N)});
        benchmark::RegisterBenchmark(name.c_str(), fn)
            ->Unit(benchmark::kNanosecond)
            ->ComputeStatistics("min", &min_of);
    };
    reg("create", "direct", &create_direct<N>);
    reg("create", "static", &create_static<N>);
    reg("create", "visit", &create_visit<N>);
    reg("create", "make", &create_make<N>);
    reg("create", "variant", &create_variant<N>);
    reg("create", "seed", &create_seed<N>);
    reg("call", "direct", &call_direct<N>);
    reg("call", "static", &call_static<N>);
    reg("call", "layered", &call_layered<N>);
    reg("call", "hooks", &call_hooks<N>);
    reg("call", "any_model", &call_any_model<N>);
    reg("call", "variant", &call_variant<N>);
    reg("call", "seed", &call_seed<N>);
    reg("lookup", "llmap", &lookup_llmap<N>);
    reg("lookup", "unordered_map", &lookup_unordered_map<N>);
}

/// Shows Google Benchmark's usual console lines (only the "min" and "cv" aggregates when
/// there are repetitions, to keep it short) and keeps each benchmark's fastest time, in ns.
class summary_reporter : public benchmark::ConsoleReporter {
public:
    using ConsoleReporter::ConsoleReporter;

    void ReportRuns(const std::vector<Run>& runs) override {
        std::vector<Run> shown;
        for (auto const& r : runs) {
            std::string const& name = r.run_name.function_name;
            if (r.error_occurred) {
                shown.push_back(r);
                continue;
            }
            // Per model: the create benchmarks time a batch per iteration.
            auto const b = r.counters.find("batch");
            double const per = b != r.counters.end() && b->second.value > 0 ? b->second.value : 1.0;
            double const ns = r.GetAdjustedRealTime() * to_ns(r.time_unit) / per;
            if (r.run_type == Run::RT_Iteration) {
                auto& best = fastest_iteration_[name];
                best = best == 0.0 ? ns : std::min(best, ns);
                shown.push_back(r);
            } else if (r.aggregate_name == "min") {
                fastest_aggregate_[name] = ns;
                shown.push_back(r);
            } else if (r.aggregate_name == "cv") {
                shown.push_back(r);
            }
        }
        if (!shown.empty())
            ConsoleReporter::ReportRuns(shown);
    }

    /// The fastest time of "op/who/N" in ns, if it ran.
    std::optional<double> ns(std::string_view op, std::string_view who, std::size_t n) const {
        std::string const name = cat({op, "/", who, "/", std::to_string(n)});
        if (auto it = fastest_aggregate_.find(name); it != fastest_aggregate_.end())
            return it->second;
        if (auto it = fastest_iteration_.find(name); it != fastest_iteration_.end())
            return it->second;
        return std::nullopt;
    }

    bool empty() const { return fastest_aggregate_.empty() && fastest_iteration_.empty(); }

private:
    static double to_ns(benchmark::TimeUnit u) {
        switch (u) {
        case benchmark::kNanosecond:
            return 1.0;
        case benchmark::kMicrosecond:
            return 1e3;
        case benchmark::kMillisecond:
            return 1e6;
        case benchmark::kSecond:
            return 1e9;
        }
        return 1.0;
    }

    std::map<std::string, double> fastest_aggregate_;
    std::map<std::string, double> fastest_iteration_;
};

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("model name", 0) == 0) {
            auto const colon = line.find(':');
            if (colon != std::string::npos)
                return line.substr(line.find_first_not_of(" \t", colon + 1));
        }
    return "unknown CPU";
}

unsigned cpu_count() {
#if defined(__linux__)
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0)
        return static_cast<unsigned>(CPU_COUNT(&set));
#endif
    return std::thread::hardware_concurrency();
}

bool stdout_is_terminal() {
#if defined(__unix__) || defined(__APPLE__)
    return isatty(STDOUT_FILENO) != 0;
#else
    return false;
#endif
}

std::string compiler() {
#if defined(__clang__)
    return std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
    return std::string("GCC ") + __VERSION__;
#else
    return "unknown compiler";
#endif
}

// The compiler does not record its command line in a macro: rebuild what matters from the
// macros it does define (an explicit -DLLMAP_BENCH_FLAGS="..." is shown as is).
std::string build_flags() {
#if defined(LLMAP_BENCH_FLAGS)
    return LLMAP_BENCH_FLAGS;
#else
    std::string f = cat({"-std=c++", std::to_string(__cplusplus / 100 % 100)});
#if defined(__OPTIMIZE_SIZE__)
    f += " -Os";
#elif defined(__OPTIMIZE__)
    f += " -O2/-O3 (__OPTIMIZE__)";
#else
    f += " -O0 (NOT OPTIMIZED: numbers are meaningless)";
#endif
#if defined(NDEBUG)
    f += " -DNDEBUG";
#else
    f += " (assertions on: no -DNDEBUG)";
#endif
#if defined(__SANITIZE_ADDRESS__)
    f += " -fsanitize=address (numbers are meaningless)";
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    f += " -fsanitize=address (numbers are meaningless)";
#endif
#endif
#if defined(__AVX512F__)
    f += " [AVX-512]";
#elif defined(__AVX2__)
    f += " [AVX2]";
#elif defined(__SSE4_2__)
    f += " [SSE4.2]";
#else
    f += " [baseline ISA]";
#endif
    return f;
#endif
}

// --- summary table ---------------------------------------------------------------------------

std::string fmt(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

template <std::size_t K>
void print_table(const summary_reporter& rep, std::string_view op, std::string_view title,
                 const std::array<contender, K>& rows) {
    bool any = false;
    for (auto const& row : rows)
        for (auto n : sizes)
            any = any || rep.ns(op, row.key, n).has_value();
    if (!any)
        return;
    std::printf("\n%.*s\n", static_cast<int>(title.size()), title.data());
    std::printf("%-40s", "");
    for (auto n : sizes)
        std::printf(" %18s", cat({"N=", std::to_string(n)}).c_str());
    std::printf("\n%-40s", "");
    for (std::size_t i = 0; i != sizes.size(); ++i)
        std::printf(" %9s %8s", "ns", "x floor");
    std::printf("\n");
    for (auto const& row : rows) {
        std::printf("%-40.*s", static_cast<int>(row.label.size()), row.label.data());
        for (auto n : sizes) {
            auto const t = rep.ns(op, row.key, n);
            auto const floor = rep.ns(op, rows[0].key, n);
            std::string const a = t ? fmt("%.2f", *t) : "-";
            std::string const b = t && floor && *floor > 0 ? fmt("%.2f", *t / *floor) : "-";
            std::printf(" %9s %8s", a.c_str(), b.c_str());
        }
        std::printf("\n");
    }
}

void print_lookup_table(const summary_reporter& rep) {
    bool any = false;
    for (auto const& row : lookup_contenders)
        for (auto n : sizes)
            any = any || rep.ns("lookup", row.key, n).has_value();
    if (!any)
        return;
    std::printf("\nlookup: provider name -> index (hits, shuffled over all N names)\n");
    std::printf("%-40s", "");
    for (auto n : sizes)
        std::printf(" %9s", cat({"N=", std::to_string(n)}).c_str());
    std::printf("\n");
    for (auto const& row : lookup_contenders) {
        std::printf("%-40.*s", static_cast<int>(row.label.size()), row.label.data());
        for (auto n : sizes) {
            auto const t = rep.ns("lookup", row.key, n);
            std::printf(" %9s", t ? fmt("%.2f", *t).c_str() : "-");
        }
        std::printf("  ns\n");
    }
    std::printf("%-40s", "ratio unordered_map / llmap");
    for (auto n : sizes) {
        auto const a = rep.ns("lookup", "unordered_map", n);
        auto const b = rep.ns("lookup", "llmap", n);
        std::printf(" %9s", a && b && *b > 0 ? fmt("%.2fx", *a / *b).c_str() : "-");
    }
    std::printf("\n");
}

// --- goals -----------------------------------------------------------------------------------

/// The worst (largest) of a set of ratios, and where it is; "n/a" when nothing ran.
struct worst {
    double value = 0.0;
    std::string where;
    bool any = false;
    bool all_present = true;

    void add(std::optional<double> num, std::optional<double> den, std::string at) {
        if (!num || !den || *den <= 0) {
            all_present = false;
            return;
        }
        double const r = *num / *den;
        if (!any || r > value) {
            value = r;
            where = std::move(at);
        }
        any = true;
    }
};

void print_goal(const char* text, const worst& w, double limit, bool lower_is_better = true) {
    if (!w.any) {
        std::printf("  [ n/a  ] %s: not run\n", text);
        return;
    }
    bool const met = lower_is_better ? w.value <= limit : w.value >= limit;
    std::printf("  [%s] %s: worst %.3f at %s%s\n", met ? " met  " : "MISSED", text, w.value,
                w.where.c_str(), w.all_present ? "" : " (some sizes not run)");
}

void print_goals(const summary_reporter& rep) {
    std::printf("\ngoals\n");

    worst static_floor;
    for (auto op : {"create", "call"})
        for (auto n : sizes)
            static_floor.add(rep.ns(op, "static", n), rep.ns(op, "direct", n),
                             cat({op, " N=", std::to_string(n)}));
    print_goal("static / direct <= 1.05", static_floor, 1.05);

    worst layered;
    for (auto n : sizes)
        layered.add(rep.ns("call", "layered", n), rep.ns("call", "static", n),
                    cat({"call N=", std::to_string(n)}));
    print_goal("model | no-op middleware / model <= 1.05", layered, 1.05);

    worst runtime_seed;
    for (auto who : {"visit", "make", "variant"})
        for (auto n : sizes)
            runtime_seed.add(rep.ns("create", who, n), rep.ns("create", "seed", n),
                             cat({who, " N=", std::to_string(n)}));
    // Strictly faster: the ratio must stay below 1.
    if (runtime_seed.any && runtime_seed.value >= 1.0) {
        std::printf("  [MISSED] every runtime path (visit, make, variant) faster than the seed "
                    "at every size (create): worst runtime/seed %.3f at %s\n",
                    runtime_seed.value, runtime_seed.where.c_str());
    } else if (runtime_seed.any) {
        std::printf("  [ met  ] every runtime path (visit, make, variant) faster than the seed "
                    "at every size (create): worst runtime/seed %.3f at %s%s\n",
                    runtime_seed.value, runtime_seed.where.c_str(),
                    runtime_seed.all_present ? "" : " (some sizes not run)");
    } else {
        std::printf("  [ n/a  ] runtime paths vs seed: not run\n");
    }

    // Lookup: unordered_map / llmap >= 2 at N <= 16, >= 1 at N = 64. Evaluated as the
    // worst of llmap / unordered_map against 1/2 and 1.
    worst small;
    for (std::size_t n : {std::size_t{4}, std::size_t{16}})
        small.add(rep.ns("lookup", "llmap", n), rep.ns("lookup", "unordered_map", n),
                  cat({"N=", std::to_string(n)}));
    worst large;
    large.add(rep.ns("lookup", "llmap", 64), rep.ns("lookup", "unordered_map", 64), "N=64");
    auto const speedup_goal = [](const char* text, const worst& w, double need) {
        if (!w.any) {
            std::printf("  [ n/a  ] %s: not run\n", text);
            return;
        }
        double const speedup = 1.0 / w.value; // the smallest unordered_map / llmap ratio
        std::printf("  [%s] %s: smallest unordered_map/llmap %.2fx at %s%s\n",
                    speedup >= need ? " met  " : "MISSED", text, speedup, w.where.c_str(),
                    w.all_present ? "" : " (some sizes not run)");
    };
    speedup_goal("lookup >= 2x faster than unordered_map at N <= 16", small, 2.0);
    speedup_goal("lookup no slower than unordered_map at N = 64", large, 1.0);

    // Not a goal, for the record: one call through a handle, against the seed's virtual call.
    worst handle_call;
    for (auto who : {"any_model", "variant"})
        for (auto n : sizes)
            handle_call.add(rep.ns("call", who, n), rep.ns("call", "seed", n),
                            cat({who, " N=", std::to_string(n)}));
    if (handle_call.any)
        std::printf("  [ info ] call through a handle vs the seed's virtual call: worst "
                    "llmap/seed %.3f at %s\n",
                    handle_call.value, handle_call.where.c_str());
}

} // namespace

int main(int argc, char** argv) {
    // Defaults first, so that the user's own flags (parsed later) win.
    std::vector<std::string> defaults = {"--benchmark_min_time=0.1", "--benchmark_repetitions=5",
                                         "--benchmark_display_aggregates_only=true"};
    std::vector<char*> args;
    args.push_back(argv[0]);
    for (auto& d : defaults)
        args.push_back(d.data());
    for (int i = 1; i < argc; ++i)
        args.push_back(argv[i]);
    std::string shown_flags;
    for (std::size_t i = 1; i < args.size(); ++i)
        shown_flags += cat({i > 1 ? " " : "", args[i]});
    args.push_back(nullptr);
    int n_args = static_cast<int>(args.size()) - 1;

    benchmark::Initialize(&n_args, args.data());
    if (benchmark::ReportUnrecognizedArguments(n_args, args.data()))
        return 1;

    std::printf("llmap dispatch benchmark\n");
    std::printf("machine:   %s, %u CPUs available\n", cpu_model().c_str(), cpu_count());
    std::printf("compiler:  %s\n", compiler().c_str());
    std::printf("build:     %s\n", build_flags().c_str());
    std::printf("benchmark: Google Benchmark, %s\n", shown_flags.c_str());
    std::printf("summary:   fastest repetition of each benchmark, real time; create/* benchmarks "
                "time a batch of %zu models per iteration (Time below), the summary per model\n\n",
                batch);
    std::fflush(stdout);

    register_size<4>();
    register_size<16>();
    register_size<64>();

    summary_reporter reporter(stdout_is_terminal() ? benchmark::ConsoleReporter::OO_ColorTabular
                                                   : benchmark::ConsoleReporter::OO_Tabular);
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    std::fflush(stdout);

    if (reporter.empty())
        return 0;

    std::printf("\n================================ summary ================================\n");
    std::printf("%s, %u CPUs | %s | %s\n", cpu_model().c_str(), cpu_count(), compiler().c_str(),
                build_flags().c_str());
    std::printf("ids: %zu runtime std::string ids, shuffled over all N providers\n",
                sequence_length);
    print_table(reporter, "create",
                "(a) create a model from an id (ns per model; runtime paths: shuffled ids)",
                create_contenders);
    print_table(reporter, "call",
                "(b) one complete() through a handle made before the loop (each model returns a "
                "default llmap::response)",
                call_contenders);
    print_lookup_table(reporter);
    print_goals(reporter);
    return 0;
}
