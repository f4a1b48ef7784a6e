//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#include <llmap/id.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <string>
#include <utility>

namespace {

// ---- the generated ids --------------------------------------------------------------------
// A deterministic generator usable in constant evaluation, so the same ids are parsed once by
// the compiler (constexpr) and once at run time, and the outcomes compared.

constexpr std::uint32_t next(std::uint32_t& s) noexcept {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    return s;
}

// Bytes the ids are made of: valid name characters, the separator, characters invalid in a
// provider name, control bytes, DEL and non-ASCII (UTF-8 and stray) bytes.
constexpr char alphabet[] = {'a',    'z',    'A',    'Q',    '0', '9',  '.',  '_',  '-',    ':',
                             ':',    ':',    '/',    '@',    ' ', '\t', '\n', '\0', '\x7f', '\x1b',
                             '\xc3', '\xa9', '\xff', '\x80', 'o', 'p',  'e',  'n',  'i',    'x'};

constexpr std::size_t max_length = 4096;

// Writes the id number `index` into `out` and returns its length: mostly short ids (0 to 24
// bytes), biased towards well-formed shapes, and every 97th one very long.
constexpr std::size_t generate(std::uint32_t index, char* out) noexcept {
    std::uint32_t s = index * 2654435761u + 12345u;
    next(s);
    std::size_t const length =
        index % 97 == 96 ? 1000 + next(s) % (max_length - 1000) : next(s) % 25;
    bool const friendly = next(s) % 2 == 0;
    for (std::size_t i = 0; i != length; ++i) {
        std::uint32_t const r = next(s);
        if (friendly && r % 8 != 0)
            out[i] = alphabet[r % 9]; // name characters only
        else
            out[i] = alphabet[r % sizeof(alphabet)];
        if (friendly && i == length / 3 && r % 3 == 0)
            out[i] = ':';
    }
    return length;
}

// What a parse produced, as offsets into the id (pointers cannot leave constant evaluation).
struct outcome {
    llmap::id_error error = llmap::id_error::none;
    std::size_t provider_offset = 0, provider_size = 0;
    std::size_t model_offset = 0, model_size = 0;
    bool has_model = false;
    constexpr bool operator==(const outcome&) const = default;
};

constexpr outcome describe(std::string_view id, const llmap::parsed_id& p) noexcept {
    outcome o;
    o.error = p.error;
    o.has_model = p.has_model;
    if (p.ok()) {
        o.provider_offset = static_cast<std::size_t>(p.provider.data() - id.data());
        o.provider_size = p.provider.size();
        if (p.has_model) {
            o.model_offset = static_cast<std::size_t>(p.model.data() - id.data());
            o.model_size = p.model.size();
        }
    }
    return o;
}

constexpr std::size_t chunk = 200;
constexpr std::size_t chunks = 12; // 2,400 ids

// One constant evaluation per chunk keeps each within clang's default step limit.
template <std::size_t C>
constexpr std::array<outcome, chunk> compile_time_outcomes = [] {
    std::array<outcome, chunk> out{};
    for (std::size_t k = 0; k != chunk; ++k) {
        char buf[max_length] = {};
        std::size_t const n = generate(static_cast<std::uint32_t>(C * chunk + k), buf);
        std::string_view const id(buf, n);
        out[k] = describe(id, llmap::parse_model_id(id));
    }
    return out;
}();

template <std::size_t... C>
constexpr auto all_outcomes(std::index_sequence<C...>) {
    std::array<outcome, chunk * chunks> out{};
    std::size_t at = 0;
    ((std::copy(compile_time_outcomes<C>.begin(), compile_time_outcomes<C>.end(),
                out.begin() + static_cast<std::ptrdiff_t>(at)),
      at += chunk),
     ...);
    return out;
}

// An independent statement of the rules, written differently (no shared code with the
// library), to check the rules themselves and not only the agreement.
outcome reference(const std::string& id) {
    outcome o;
    if (id.empty()) {
        o.error = llmap::id_error::empty;
        return o;
    }
    auto const colon = id.find(':');
    std::string const provider = id.substr(0, colon);
    if (provider.empty()) {
        o.error = llmap::id_error::empty_provider;
        return o;
    }
    auto const name_char = [](unsigned char c) {
        return std::isalnum(c) != 0 && c < 0x80 ? true : c == '.' || c == '_' || c == '-';
    };
    if (!std::all_of(provider.begin(), provider.end(),
                     [&](char c) { return name_char(static_cast<unsigned char>(c)); })) {
        o.error = llmap::id_error::invalid_provider_char;
        return o;
    }
    o.provider_size = provider.size();
    if (colon == std::string::npos)
        return o;
    o.has_model = true;
    std::string const model = id.substr(colon + 1);
    if (model.empty()) {
        o.error = llmap::id_error::empty_model;
        o.provider_size = 0;
        return o;
    }
    if (std::any_of(model.begin(), model.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == '\x7f'; })) {
        o.error = llmap::id_error::invalid_model_char;
        o.provider_size = 0;
        return o;
    }
    o.model_offset = colon + 1;
    o.model_size = model.size();
    return o;
}

} // namespace

// The compile-time parser at work on the documented cases.
static_assert(llmap::parse_model_id("ollama:llama3:8b").provider == "ollama");
static_assert(llmap::parse_model_id("ollama:llama3:8b").model == "llama3:8b");
static_assert(!llmap::parse_model_id("openai").has_model);
static_assert(llmap::parse_model_id("openai").ok());
static_assert(llmap::parse_model_id("").error == llmap::id_error::empty);
static_assert(llmap::parse_model_id(":x").error == llmap::id_error::empty_provider);
static_assert(llmap::parse_model_id("openai:").error == llmap::id_error::empty_model);
static_assert(llmap::parse_model_id("open ai:x").error == llmap::id_error::invalid_provider_char);

BOOST_AUTO_TEST_SUITE(id)

BOOST_AUTO_TEST_CASE(documented_examples) {
    auto p = llmap::parse_model_id("anthropic:claude-sonnet-4-5");
    BOOST_TEST(p.ok());
    BOOST_TEST(p.provider == "anthropic");
    BOOST_TEST(p.model == "claude-sonnet-4-5");
    BOOST_TEST(p.has_model);
    BOOST_TEST(llmap::parse_model_id("p::").model == ":");
    BOOST_TEST(llmap::parse_model_id("p:caf\xc3\xa9").ok()); // non-ASCII model names pass through
    BOOST_TEST(!llmap::parse_model_id("caf\xc3\xa9:m").ok());
    BOOST_TEST(!llmap::parse_model_id("p:a\tb").ok());
    BOOST_TEST(!llmap::parse_model_id(std::string_view("p:a\0b", 5)).ok());
    BOOST_TEST(llmap::parse_model_id("p:a b").ok()); // spaces are the provider's business
    BOOST_TEST(llmap::is_valid_provider_name("llama-cpp"));
    BOOST_TEST(llmap::is_valid_provider_name("a.b_c-D9"));
    BOOST_TEST(!llmap::is_valid_provider_name(""));
    BOOST_TEST(!llmap::is_valid_provider_name("a:b"));
    for (auto e :
         {llmap::id_error::empty, llmap::id_error::empty_provider, llmap::id_error::empty_model,
          llmap::id_error::invalid_provider_char, llmap::id_error::invalid_model_char})
        BOOST_TEST(!to_string(e).empty());
}

BOOST_AUTO_TEST_CASE(compile_time_and_run_time_agree_on_generated_ids) {
    static constexpr auto expected = all_outcomes(std::make_index_sequence<chunks>{});
    std::size_t ok = 0, long_ids = 0, several_colons = 0, high_bytes = 0;
    for (std::uint32_t i = 0; i != chunk * chunks; ++i) {
        std::string id(max_length, '\0');
        id.resize(generate(i, id.data()));
        outcome const run_time = describe(id, llmap::parse_model_id(id));
        BOOST_TEST((run_time == expected[i]), "id #" << i << " parsed differently");
        BOOST_TEST((run_time == reference(id)), "id #" << i << " breaks the rules");
        ok += run_time.error == llmap::id_error::none;
        long_ids += id.size() >= 1000;
        several_colons += std::count(id.begin(), id.end(), ':') >= 2;
        high_bytes += std::any_of(id.begin(), id.end(),
                                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    }
    // The generator must really cover the interesting shapes.
    BOOST_TEST(ok > 300u);
    BOOST_TEST(ok < chunk * chunks - 300u);
    BOOST_TEST(long_ids >= 20u);
    BOOST_TEST(several_colons >= 100u);
    BOOST_TEST(high_bytes >= 100u);
}

BOOST_AUTO_TEST_SUITE_END()
