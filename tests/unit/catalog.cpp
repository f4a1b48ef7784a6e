//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Tests of the model catalog and of costs: include/llmap/catalog.hpp. The costs are checked
// against sums worked out by hand (written beside each) for usages recorded from the
// providers' live APIs, decoded by llmap's own decoders.

#include "../support/fixtures.hpp"

#include <llmap/catalog.hpp>
#include <llmap/default_registry.hpp>
#include <llmap/providers/anthropic/messages_wire.hpp>
#include <llmap/providers/gemini/generate_wire.hpp>
#include <llmap/providers/openai/chat_wire.hpp>
#include <llmap/providers/openai/responses_wire.hpp>

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fx = test::fixtures;
namespace json = boost::json;

namespace {

// The response body of exchange `index` of a Rig cassette.
json::value rig_body(const std::string& cassette, std::size_t index) {
    auto const doc = json::parse(fx::read_file(fx::root() / "rig" / cassette));
    auto const& res = doc.as_array().at(index).as_object().at("response").as_object();
    return json::parse(res.at("body").as_string());
}

json::value aisdk_body(const std::string& file) {
    return json::parse(fx::read_file(fx::root() / "aisdk" / file));
}

const llmap::model_facts& facts(std::string_view id) {
    const llmap::model_facts* m = llmap::catalog::find(id);
    BOOST_TEST_REQUIRE(m != nullptr, id << " is in the catalog");
    return *m;
}

constexpr double tolerance = 1e-9; // relative: the sums are exact to a few ulps

} // namespace

// The static path: the facts of a known id are constants; contains<> tests without failing.
static_assert(llmap::model_info<"openai:gpt-4o">.context_window >= 128000);
static_assert(llmap::model_info<"openai:gpt-4o">.price.input == 2.5);
static_assert(llmap::model_info<"gemini:gemini-2.5-pro">.tiers().size() == 1);
static_assert(llmap::model_info<"gemini:gemini-2.5-pro">.tiers()[0].above_input_tokens == 200000);
static_assert(llmap::catalog::contains<"anthropic:claude-sonnet-4-5-20250929">);
static_assert(!llmap::catalog::contains<"openai:gpt-9">);
static_assert(llmap::catalog::contains<"openai-chat:gpt-4o">);
static_assert(!llmap::catalog::contains<"google:gemini-2.5-pro">);

BOOST_AUTO_TEST_SUITE(catalog)

BOOST_AUTO_TEST_CASE(find_gives_the_facts_of_an_id) {
    // providers/openai/models/gpt-4o.toml
    auto const& m = facts("openai:gpt-4o");
    BOOST_TEST(m.id == "openai:gpt-4o");
    BOOST_TEST(m.provider() == "openai");
    BOOST_TEST(m.model() == "gpt-4o");
    BOOST_TEST(m.context_window.value_or(-1) == 128000);
    BOOST_TEST(m.max_output.value_or(-1) == 16384);
    BOOST_TEST(m.price.input.value_or(-1.0) == 2.5);
    BOOST_TEST(m.price.output.value_or(-1.0) == 10.0);
    BOOST_TEST(m.price.cache_read.value_or(-1.0) == 1.25);
    BOOST_TEST(!m.price.cache_write.has_value()); // not in the data: unknown, not free
    BOOST_TEST(!m.price.reasoning.has_value());
    BOOST_TEST(m.tiers().empty());
    BOOST_TEST(m.tools);
    BOOST_TEST(m.attachments);
    BOOST_TEST(m.vision);
    BOOST_TEST(!m.reasoning);
    BOOST_TEST(m.structured_output);
    BOOST_TEST(!m.embeddings);

    // The two-argument form.
    BOOST_TEST(llmap::catalog::find("openai", "gpt-4o") == &m);

    // A free price is 0, not unknown: text-embedding-3-small's `output = 0.00`.
    auto const& e = facts("openai:text-embedding-3-small");
    BOOST_TEST(e.price.output.value_or(-1.0) == 0.0);
    BOOST_TEST(e.embeddings);
    BOOST_TEST(!e.tools);
    BOOST_TEST(facts("gemini:gemini-embedding-001").embeddings); // by its name, family gemini
}

BOOST_AUTO_TEST_CASE(find_takes_the_spellings_the_data_has) {
    // A dated snapshot and its alias are both entries (two files in models.dev).
    auto const& dated = facts("anthropic:claude-sonnet-4-5-20250929");
    auto const& alias = facts("anthropic:claude-sonnet-4-5");
    BOOST_TEST(dated.price.input.value_or(-1.0) == 3.0);
    BOOST_TEST(alias.price.input.value_or(-1.0) == 3.0);
    BOOST_TEST(&dated != &alias);
    // `-latest` aliases, under llmap's registry name for models.dev's `google` folder.
    BOOST_TEST(facts("gemini:gemini-flash-latest").provider() == "gemini");
    // OpenAI's models under both of llmap's OpenAI providers.
    BOOST_TEST(facts("openai-chat:gpt-4o").price.input.value_or(-1.0) == 2.5);
    // OpenRouter's ids keep their vendor prefix; `base_model` facts are inherited
    // (openrouter/models/anthropic/claude-sonnet-4.5.toml has no capability flags of its own).
    auto const& routed = facts("openrouter:anthropic/claude-sonnet-4.5");
    BOOST_TEST(routed.tools);
    BOOST_TEST(routed.max_output.value_or(-1) == 64000);
    // models.dev's other folder names, mapped.
    BOOST_TEST(llmap::catalog::find("together", "moonshotai/Kimi-K2.5") != nullptr);
    BOOST_TEST(llmap::catalog::find("fireworks", "accounts/fireworks/models/gpt-oss-120b") !=
               nullptr);
}

BOOST_AUTO_TEST_CASE(an_unknown_id_gives_nothing) {
    for (std::string_view id :
         {"openai:gpt-9", "google:gemini-2.5-pro", "gemini:gemini-2.5", "openai:GPT-4o",
          "openai:gpt-4o ", "openai:gpt-4o-2024", "openai", "", ":gpt-4o", "openai:"})
        BOOST_TEST(llmap::catalog::find(id) == nullptr, '"' << id << "\" is not in the catalog");
}

BOOST_AUTO_TEST_CASE(every_entry_is_sorted_and_of_a_default_registry_provider) {
    auto const all = llmap::catalog::entries();
    BOOST_TEST_REQUIRE(all.size() > 100u);
    for (std::size_t i = 0; i != all.size(); ++i) {
        auto const& m = all[i];
        auto const parsed = llmap::parse_model_id(m.id);
        BOOST_TEST(parsed.ok(), m.id);
        BOOST_TEST(parsed.has_model, m.id);
        BOOST_TEST(llmap::default_registry::contains(m.provider()),
                   m.id << ": " << m.provider() << " is a provider of the default registry");
        if (i != 0)
            BOOST_TEST((all[i - 1].id < m.id), "sorted and unique at " << m.id);
        for (std::size_t t = 1; t < m.tiers().size(); ++t)
            BOOST_TEST(m.tiers()[t - 1].above_input_tokens < m.tiers()[t].above_input_tokens);
        BOOST_TEST(llmap::catalog::find(m.id) == &m, m.id << " is found");
    }
}

BOOST_AUTO_TEST_CASE(cost_of_an_anthropic_answer_with_cache_reads) {
    // claude-sonnet-4-6 read 3268 tokens from the cache; Anthropic's input_tokens (3) leaves
    // them out, llmap's usage adds them in: input 3271, cache read 3268, output 5.
    auto const r = llmap::anthropic_api::wire::parse_messages_response(rig_body(
        "anthropic/response_identity_edge/caching_and_identity_share_the_wire_blocking.json", 1));
    BOOST_TEST_REQUIRE(r.model == "claude-sonnet-4-6");
    BOOST_TEST_REQUIRE(r.usage.input_tokens.value_or(-1) == 3271);
    // Prices 3 / 15 / cache read 0.3 per million:
    // 3 * 3 + 3268 * 0.3 + 5 * 15 = 9 + 980.4 + 75 = 1064.4 -> $0.0010644
    auto const c = llmap::cost(r, "anthropic");
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_CHECK_CLOSE_FRACTION(*c, 0.0010644, tolerance);
}

BOOST_AUTO_TEST_CASE(cost_of_a_gemini_answer_with_cache_reads_and_thoughts) {
    // gemini-2.5-flash: promptTokenCount 4463 (cachedContentTokenCount 3747 of them),
    // candidatesTokenCount 17 + thoughtsTokenCount 62 = output 79.
    auto const r = llmap::gemini_api::wire::parse_generate_response(
        rig_body("gemini/prompt_caching/agent_loop.json", 0));
    BOOST_TEST_REQUIRE(r.model == "gemini-2.5-flash");
    BOOST_TEST_REQUIRE(r.usage.output_tokens.value_or(-1) == 79);
    BOOST_TEST_REQUIRE(r.usage.reasoning_tokens.value_or(-1) == 62);
    // Prices 0.3 / 2.5 / cache read 0.03, no reasoning price (thoughts are output):
    // (4463 - 3747) * 0.3 + 3747 * 0.03 + 79 * 2.5 = 214.8 + 112.41 + 197.5 = 524.71
    // -> $0.00052471
    auto const c = llmap::cost(r, "gemini");
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_CHECK_CLOSE_FRACTION(*c, 0.00052471, tolerance);
}

BOOST_AUTO_TEST_CASE(cost_of_an_openai_responses_answer_with_cache_reads_and_reasoning) {
    // gpt-5.3-codex: input_tokens 7243 (cached_tokens 3072 of them), output_tokens 423
    // (reasoning_tokens 58 of them): OpenAI's counts already include the parts.
    auto const r = llmap::openai_api::wire::parse_responses_response(
        aisdk_body("openai/responses/openai-phase.1.json"));
    BOOST_TEST_REQUIRE(r.model == "gpt-5.3-codex");
    BOOST_TEST_REQUIRE(r.usage.cache_read_tokens.value_or(-1) == 3072);
    BOOST_TEST_REQUIRE(r.usage.reasoning_tokens.value_or(-1) == 58);
    // Prices 1.75 / 14 / cache read 0.175:
    // (7243 - 3072) * 1.75 + 3072 * 0.175 + 423 * 14 = 7299.25 + 537.6 + 5922 = 13758.85
    // -> $0.01375885
    auto const c = llmap::cost(r, "openai");
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_CHECK_CLOSE_FRACTION(*c, 0.01375885, tolerance);
}

BOOST_AUTO_TEST_CASE(cost_of_an_xai_answer_matches_the_providers_own_figure) {
    // grok-4.3 on xAI's Responses API: input 362 (cached 192), output 183 (reasoning 154).
    // xAI reports its own cost, "cost_in_usd_ticks": 7084000 (ticks of 1e-10 dollars).
    auto const body = rig_body("xai/extractor/extractor_smoke.json", 0);
    BOOST_TEST_REQUIRE(body.at("usage").at("cost_in_usd_ticks").to_number<std::int64_t>() ==
                       7084000);
    auto const r = llmap::openai_api::wire::parse_responses_response(body, "xai");
    BOOST_TEST_REQUIRE(r.model == "grok-4.3");
    // Prices 1.25 / 2.5 / cache read 0.2 (below the 200k tier):
    // (362 - 192) * 1.25 + 192 * 0.2 + 183 * 2.5 = 212.5 + 38.4 + 457.5 = 708.4
    // -> $0.0007084 = 7084000 ticks
    auto const c = llmap::cost(r, "xai");
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_CHECK_CLOSE_FRACTION(*c, 0.0007084, tolerance);
}

BOOST_AUTO_TEST_CASE(cost_of_an_openrouter_answer_matches_the_providers_own_figure) {
    // openai/o4-mini through OpenRouter: prompt_tokens 57, completion_tokens 856 (reasoning 832
    // of them). OpenRouter reports its own charge, "cost": 0.0038291.
    auto const body = rig_body(
        "openrouter/reasoning_usage_matrix/blocking_raw_usage_and_normalized_usage_agree.json", 0);
    BOOST_TEST_REQUIRE(body.at("usage").at("cost").to_number<double>() == 0.0038291);
    auto const r = llmap::openai_api::wire::parse_chat_response(body, "openrouter");
    BOOST_TEST_REQUIRE(r.model == "openai/o4-mini");
    // Prices 1.1 / 4.4: 57 * 1.1 + 856 * 4.4 = 62.7 + 3766.4 = 3829.1 -> $0.0038291
    auto const c = llmap::cost(r, "openrouter");
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_CHECK_CLOSE_FRACTION(*c, 0.0038291, tolerance);
}

BOOST_AUTO_TEST_CASE(cost_of_a_deepseek_answer_with_cache_hits_and_reasoning) {
    // deepseek-v4-flash: prompt_tokens 508 (384 cache hits), completion_tokens 21 (6 reasoning).
    auto const r = llmap::openai_api::wire::parse_chat_response(
        rig_body("deepseek/tools/tools_smoke.json", 1), "deepseek");
    BOOST_TEST_REQUIRE(r.model == "deepseek-v4-flash");
    // Prices 0.14 / 0.28 / cache read 0.0028:
    // (508 - 384) * 0.14 + 384 * 0.0028 + 21 * 0.28 = 17.36 + 1.0752 + 5.88 = 24.3152
    // -> $0.0000243152
    auto const c = llmap::cost(r, "deepseek");
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_CHECK_CLOSE_FRACTION(*c, 0.0000243152, tolerance);
}

BOOST_AUTO_TEST_CASE(a_dated_answer_model_absent_from_the_catalog_has_no_cost) {
    // OpenAI answers gpt-4o-mini with its snapshot's name, which the catalog does not list: no
    // guess from the alias. Priced by the id one asked for, it has a cost.
    auto const r = llmap::openai_api::wire::parse_chat_response(
        rig_body("openai/prompt_caching/chat_completions_agent_loop.json", 0), "openai-chat");
    BOOST_TEST_REQUIRE(r.model == "gpt-4o-mini-2024-07-18");
    BOOST_TEST(!llmap::cost(r, "openai-chat").has_value());
    // prompt_tokens 4466 (cached 4352), completion_tokens 47; prices 0.15 / 0.6 / 0.075:
    // (4466 - 4352) * 0.15 + 4352 * 0.075 + 47 * 0.6 = 17.1 + 326.4 + 28.2 = 371.7
    // -> $0.0003717
    auto const c = llmap::cost(facts("openai-chat:gpt-4o-mini"), r.usage);
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_CHECK_CLOSE_FRACTION(*c, 0.0003717, tolerance);
    // And an answer naming no model of the catalog under that provider.
    BOOST_TEST(!llmap::cost(r, "anthropic").has_value());
}

BOOST_AUTO_TEST_CASE(cost_above_a_tier_threshold_takes_the_tiers_prices) {
    auto const& pro =
        facts("gemini:gemini-2.5-pro"); // 1.25 / 10 / 0.125; above 200k: 2.5 / 15 / 0.25
    llmap::usage u;
    u.input_tokens = 250000;
    u.cache_read_tokens = 50000;
    u.output_tokens = 1000;
    u.reasoning_tokens = 400;
    // 200000 * 2.5 + 50000 * 0.25 + 1000 * 15 = 500000 + 12500 + 15000 = 527500 -> $0.5275
    auto c = llmap::cost(pro, u);
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_CHECK_CLOSE_FRACTION(*c, 0.5275, tolerance);

    // At the threshold itself, the base prices: 200000 * 1.25 = 250000 -> $0.25
    u = {};
    u.input_tokens = 200000;
    u.output_tokens = 0;
    c = llmap::cost(pro, u);
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_CHECK_CLOSE_FRACTION(*c, 0.25, tolerance);
    // One token more: 200001 * 2.5 = 500002.5 -> $0.5000025
    u.input_tokens = 200001;
    c = llmap::cost(pro, u);
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_CHECK_CLOSE_FRACTION(*c, 0.5000025, tolerance);
}

BOOST_AUTO_TEST_CASE(cost_uses_a_separate_reasoning_price_where_there_is_one) {
    // sonar-deep-research: input 2, output 8, reasoning 3.
    llmap::usage u;
    u.input_tokens = 1000;
    u.output_tokens = 5000;
    u.reasoning_tokens = 4000;
    // 1000 * 2 + (5000 - 4000) * 8 + 4000 * 3 = 2000 + 8000 + 12000 = 22000 -> $0.022
    auto const c = llmap::cost(facts("perplexity:sonar-deep-research"), u);
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_CHECK_CLOSE_FRACTION(*c, 0.022, tolerance);
}

BOOST_AUTO_TEST_CASE(cost_is_nothing_when_a_count_has_no_known_price) {
    auto const& flash = facts("gemini:gemini-2.5-flash"); // no cache_write price
    llmap::usage u;
    u.input_tokens = 1000;
    u.output_tokens = 10;
    u.cache_write_tokens = 0; // a zero count needs no price
    // 1000 * 0.3 + 10 * 2.5 = 325 -> $0.000325
    auto const c = llmap::cost(flash, u);
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_CHECK_CLOSE_FRACTION(*c, 0.000325, tolerance);
    u.cache_write_tokens = 1;
    BOOST_TEST(!llmap::cost(flash, u).has_value());

    // An embedding call: input only, the output price known to be 0. 1000 * 0.02 = 20.
    llmap::usage e;
    e.input_tokens = 1000;
    auto const ce = llmap::cost(facts("openai:text-embedding-3-small"), e);
    BOOST_TEST_REQUIRE(ce.has_value());
    BOOST_CHECK_CLOSE_FRACTION(*ce, 0.00002, tolerance);

    BOOST_TEST(!llmap::cost(flash, llmap::usage{}).has_value()); // nothing reported
    llmap::usage bad;
    bad.input_tokens = 10;
    bad.cache_read_tokens = 11; // more cached tokens than input tokens
    BOOST_TEST(!llmap::cost(flash, bad).has_value());
    bad = {};
    bad.output_tokens = 10;
    bad.reasoning_tokens = 11;
    BOOST_TEST(!llmap::cost(flash, bad).has_value());
    bad = {};
    bad.input_tokens = -1;
    BOOST_TEST(!llmap::cost(flash, bad).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
