//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The Embeddings wire format: the official SDKs' request bodies, the AI SDK's fixture and
// every successful embedding call of Rig's OpenAI, llama.cpp, OpenRouter and Mistral
// cassettes, and base64 answers built here from known floats.

#include "../support/fixtures.hpp"

#include <llmap/providers/openai/embeddings_wire.hpp>

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <bit>
#include <cstring>
#include <iostream>
#include <map>

namespace fx = test::fixtures;
namespace json = boost::json;
namespace wire = llmap::openai_api::wire;

namespace {

bool is_malformed(const llmap::error& e) {
    return e.code() == llmap::errc::malformed_response;
}

// Little-endian float32 bytes, written out byte by byte so the test does not share the
// decoder's assumptions.
std::string base64_of(const std::vector<float>& floats) {
    std::vector<std::uint8_t> bytes;
    for (float f : floats) {
        std::uint32_t bits = 0;
        std::memcpy(&bits, &f, 4);
        for (int i = 0; i != 4; ++i)
            bytes.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
    }
    return llmap::detail::base64_encode(bytes);
}

// The fixture's vectors as the decoder must give them: each JSON number rounded to float.
std::vector<std::vector<float>> expected_vectors(const json::value& body) {
    std::vector<std::pair<std::int64_t, std::vector<float>>> items;
    for (auto const& d : body.at("data").as_array()) {
        std::vector<float> v;
        for (auto const& x : d.at("embedding").as_array())
            v.push_back(static_cast<float>(x.to_number<double>()));
        items.emplace_back(d.at("index").to_number<std::int64_t>(), std::move(v));
    }
    std::sort(items.begin(), items.end(),
              [](auto const& a, auto const& b) { return a.first < b.first; });
    std::vector<std::vector<float>> out;
    for (auto& [i, v] : items)
        out.push_back(std::move(v));
    return out;
}

void check(const llmap::embedding_response& r, const json::value& body, const std::string& name) {
    auto const e = expected_vectors(body);
    BOOST_TEST_REQUIRE(r.vectors.size() == e.size(), name);
    for (std::size_t i = 0; i != e.size(); ++i) {
        BOOST_TEST_REQUIRE(r.vectors[i].size() == e[i].size(), name);
        BOOST_TEST(r.vectors[i].front() == e[i].front(), name);
        BOOST_TEST(r.vectors[i].back() == e[i].back(), name);
        BOOST_TEST((r.vectors[i] == e[i]), name);
    }
    auto const& o = body.as_object();
    if (auto const* m = o.if_contains("model"))
        BOOST_TEST(r.model == m->as_string(), name);
    if (auto const* u = o.if_contains("usage"); u && u->is_object()) {
        if (auto const* p = u->as_object().if_contains("prompt_tokens"))
            BOOST_TEST((r.usage.input_tokens == p->to_number<std::int64_t>()), name);
        if (auto const* t = u->as_object().if_contains("total_tokens"))
            BOOST_TEST((r.usage.total_tokens == t->to_number<std::int64_t>()), name);
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(openai_embeddings_wire)

BOOST_AUTO_TEST_CASE(reference_bodies_match_the_official_sdks) {
    std::vector<llmap::warning> w;
    // ../shared/conformance/sdk-requests #3: the openai SDK asks for base64.
    llmap::embedding_request const two{.inputs = {"hello", "world"}};
    BOOST_TEST((
        json::value(wire::embeddings_request_body(two, "text-embedding-3-small", "base64", w)) ==
        json::parse(
            R"({"model":"text-embedding-3-small","input":["hello","world"],"encoding_format":"base64"})")));
    // #24: the AI SDK asks for floats.
    llmap::embedding_request const one{.inputs = {"hello"}};
    BOOST_TEST(
        (json::value(wire::embeddings_request_body(one, "text-embedding-3-small", "float", w)) ==
         json::parse(
             R"({"model":"text-embedding-3-small","input":["hello"],"encoding_format":"float"})")));
    BOOST_TEST(w.empty());
}

BOOST_AUTO_TEST_CASE(request_options) {
    llmap::embedding_request req{.inputs = {"a"}, .dimensions = 256};
    req.provider_options["openai"] = {{"user", "u-1"}, {"dimensions", 512}};
    req.provider_options["mistral"] = {{"output_dtype", "int8"}};
    std::vector<llmap::warning> w;
    auto body = wire::embeddings_request_body(req, "m", "float", w);
    BOOST_TEST(body.at("dimensions").as_int64() == 512); // provider_options win
    BOOST_TEST(body.at("user").as_string() == "u-1");
    BOOST_TEST(!body.contains("output_dtype"));
    body = wire::embeddings_request_body(req, "m", "", w, "mistral");
    BOOST_TEST(body.at("dimensions").as_int64() == 256);
    BOOST_TEST(body.at("output_dtype").as_string() == "int8");
    BOOST_TEST(!body.contains("encoding_format"));
    BOOST_TEST(w.empty());
    req.provider_options["openai"] = "x";
    wire::embeddings_request_body(req, "m", "float", w);
    BOOST_TEST(w.size() == 1u);
}

BOOST_AUTO_TEST_CASE(base64_answers) {
    std::vector<float> const a = {0.0f, 1.0f, -1.5f, 3.14159274f, -0.0f, 1e-30f, 65504.0f};
    std::vector<float> const b = {0.25f, -2.0f};
    // Out of order on purpose: `index` puts them back.
    auto const body =
        json::value{{"object", "list"},
                    {"data",
                     {{{"object", "embedding"}, {"index", 1}, {"embedding", base64_of(b)}},
                      {{"object", "embedding"}, {"index", 0}, {"embedding", base64_of(a)}}}},
                    {"model", "text-embedding-3-small"},
                    {"usage", {{"prompt_tokens", 2}, {"total_tokens", 2}}}};
    auto const r = wire::parse_embeddings_response(body);
    BOOST_REQUIRE(r.vectors.size() == 2u);
    BOOST_TEST((r.vectors[0] == a));
    BOOST_TEST((r.vectors[1] == b));
    BOOST_TEST(std::signbit(r.vectors[0][4])); // -0.0 kept
    BOOST_TEST((r.usage.input_tokens == 2));
    BOOST_TEST((r.usage.total_tokens == 2));
    BOOST_TEST(r.model == "text-embedding-3-small");
    BOOST_TEST(r.raw == body);

    // A known encoding: 1.0f is 00 00 80 3f little-endian.
    auto const one = wire::parse_embeddings_response(
        json::parse(R"({"data":[{"index":0,"embedding":"AACAPw=="}]})"));
    BOOST_TEST((one.vectors == std::vector<std::vector<float>>{{1.0f}}));

    for (std::string_view bad :
         {R"({"data":[{"index":0,"embedding":"AACA"}]})",     // 3 bytes: not a float32
          R"({"data":[{"index":0,"embedding":"AACAPw="}]})",  // bad padding
          R"({"data":[{"index":0,"embedding":"AA-APw=="}]})", // not the base64 alphabet
          R"({"data":[{"index":0,"embedding":{}}]})",         // neither form
          R"({"data":[{"index":0,"embedding":[1,"x"]}]})",    // not a number
          R"({"data":[{"index":0}]})",                        // no embedding
          R"({"data":[{"index":1,"embedding":[1]}]})",        // an index past the inputs
          R"({"data":[{"index":0,"embedding":[1]},{"index":0,"embedding":[2]}]})",
          R"({"data":[{"index":-1,"embedding":[1]}]})", R"({"data":{}})", R"({})", R"([])",
          R"({"data":[1]})", R"({"error":{"message":"quota"}})"}) {
        BOOST_CHECK_EXCEPTION(wire::parse_embeddings_response(json::parse(bad)), llmap::error,
                              is_malformed);
    }
}

BOOST_AUTO_TEST_CASE(ai_sdk_fixture) {
    auto const body = json::parse(
        fx::read_file(fx::root() / "aisdk" / "openai" / "embedding" / "openai-embedding.json"));
    auto const r = wire::parse_embeddings_response(body);
    check(r, body, "openai-embedding.json");
    BOOST_TEST(r.vectors.size() == 2u);
}

BOOST_AUTO_TEST_CASE(rig_cassettes) {
    std::size_t answers = 0;
    std::map<std::string, std::size_t> skipped;
    for (std::string_view provider : {"openai", "llamacpp", "openrouter", "mistral"}) {
        for (auto const& e : fx::rig_exchanges(provider)) {
            if (e.method != "POST" || !e.path.ends_with("/embeddings")) {
                ++skipped["not an Embeddings call (other endpoint)"];
                continue;
            }
            std::string const name = std::string(provider) + ":" + e.name();
            if (e.status != 200) {
                // Its mapping to an HTTP error comes with the transport; the body alone is
                // still no answer.
                BOOST_CHECK_EXCEPTION(
                    wire::parse_embeddings_response(json::parse(e.response_body), provider),
                    llmap::error, is_malformed);
                ++skipped["an error answer (checked to throw; the HTTP status is the "
                          "transport's)"];
                continue;
            }
            // The request: the same logical request through llmap, compared field by field.
            auto const recorded = json::parse(e.request_body).as_object();
            llmap::embedding_request req;
            for (auto const& s : recorded.at("input").as_array())
                req.inputs.emplace_back(s.as_string());
            if (auto const* d = recorded.if_contains("dimensions"))
                req.dimensions = d->to_number<int>();
            std::string encoding;
            if (auto const* f = recorded.if_contains("encoding_format"))
                encoding = f->as_string();
            std::vector<llmap::warning> w;
            BOOST_TEST((json::value(wire::embeddings_request_body(
                            req, recorded.at("model").as_string(), encoding, w, provider)) ==
                        json::value(recorded)),
                       name);

            // The answer.
            auto const body = json::parse(e.response_body);
            check(wire::parse_embeddings_response(body, provider), body, name);
            ++answers;
        }
    }
    std::cout << "openai_embeddings_wire/rig_cassettes: " << answers << " answers replayed\n";
    for (auto const& [why, n] : skipped)
        std::cout << "  skipped " << n << ": " << why << "\n";
    BOOST_TEST(answers >= 12u);
}

BOOST_AUTO_TEST_SUITE_END()
