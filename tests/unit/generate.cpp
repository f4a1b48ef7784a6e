//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// llmap/generate.hpp: typed answers from the recorded structured outputs and extractions of
// Rig's cassettes (OpenAI Responses, Gemini, Ollama natively; OpenAI, Gemini, xAI's
// Responses API and OpenRouter through a forced tool), the request each mode sends, repairs and
// mismatches.

#include <llmap/generate.hpp>

#include <llmap/default_registry.hpp>

#include "../support/fixtures.hpp"
#include "../support/test_server.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace fx = test::fixtures;
namespace ts = llmap::test;
namespace json = boost::json;

// The types of the recordings' schemas, written from the recorded requests.
struct conditions {
    double temperature_f;
    std::uint8_t humidity_pct;
    std::string description;
};
BOOST_DESCRIBE_STRUCT(conditions, (), (temperature_f, humidity_pct, description))

struct weather_forecast {
    std::string city;
    conditions current;
};
BOOST_DESCRIBE_STRUCT(weather_forecast, (), (city, current))

// The recorded forecast with an optional note the model never gave, and a type whose map
// OpenAI's strict mode cannot express.
struct noted_forecast {
    std::string city;
    conditions current;
    std::optional<std::string> note;
};
BOOST_DESCRIBE_STRUCT(noted_forecast, (), (city, current, note))

struct tallies {
    std::map<std::string, int> counts;
};
BOOST_DESCRIBE_STRUCT(tallies, (), (counts))

struct smoke_event {
    std::string title;
    std::string category;
    std::string summary;
};
BOOST_DESCRIBE_STRUCT(smoke_event, (), (title, category, summary))

struct smoke_person {
    std::string first_name;
    std::string last_name;
    std::string job;
};
BOOST_DESCRIBE_STRUCT(smoke_person, (), (first_name, last_name, job))

/// Serves recorded (or given) answers in order and keeps what it received.
class replay {
public:
    explicit replay(std::vector<std::string> answers) : answers_(std::move(answers)) {}

    void operator()(const ts::test_server::request& req, ts::test_session& s) {
        std::string body;
        {
            std::lock_guard lock(mutex_);
            received_.push_back(json::parse(req.body()));
            body = answers_.at(next_++);
        }
        s.respond(200, body, {{"content-type", "application/json"}});
    }

    std::vector<json::value> received() const {
        std::lock_guard lock(mutex_);
        return received_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> answers_;
    std::size_t next_ = 0;
    std::vector<json::value> received_;
};

/// The one recorded exchange of a Rig cassette.
fx::exchange recorded(std::string_view provider, std::string_view folder) {
    for (auto& e : fx::rig_exchanges(provider))
        if (e.file.parent_path().filename() == folder && e.status == 200)
            return std::move(e);
    BOOST_FAIL("no recording in " << provider << "/" << folder);
    return {};
}

/// A registry whose providers all send to `srv` (each at the path its recordings use).
llmap::default_registry registry_for(const ts::test_server& srv) {
    auto cfg = [&](std::string_view path) {
        llmap::provider_config c;
        c.api_key = "sk-test";
        c.base_url = srv.url(path);
        c.transport.retry.max_retries = 0;
        return c;
    };
    return llmap::default_registry{{"openai", cfg("/v1")},
                                   {"gemini", cfg("")},
                                   {"ollama", cfg("")},
                                   {"openrouter", cfg("/api/v1")}};
}

} // namespace

BOOST_AUTO_TEST_SUITE(generate)

BOOST_AUTO_TEST_CASE(native_structured_output_on_the_static_path) {
    auto const e = recorded("openai", "structured_output");
    replay r({e.response_body});
    ts::test_server srv(std::ref(r));
    auto reg = registry_for(srv);
    auto model = reg.model<"openai:gpt-4o">();
    auto const g = llmap::generate<weather_forecast>(
        model, {.system = "You are a helpful weather assistant.",
                .prompt = "What's the weather forecast for New York City today?"});
    BOOST_TEST(g.value.city == "New York City");
    BOOST_TEST(g.value.current.temperature_f == 72.0);
    BOOST_TEST(g.value.current.humidity_pct == 65);
    BOOST_TEST(g.value.current.description == "Partly cloudy");
    BOOST_TEST(g.repairs == 0);
    BOOST_TEST(g.response.usage.total() > 0);

    // The request asked for the type's schema in the Responses API's own format.
    auto const sent = r.received().at(0);
    auto const& format = sent.at("text").at("format");
    BOOST_TEST(format.at("type").as_string() == "json_schema");
    BOOST_TEST(format.at("name").as_string() == "output");
    BOOST_TEST(format.at("schema").at("required") == json::parse(R"(["city","current"])"));
    BOOST_TEST(
        format.at("schema").at("properties").at("current").at("properties").at("humidity_pct") ==
        json::parse(R"({"type":"integer","minimum":0,"maximum":255})"));
}

BOOST_AUTO_TEST_CASE(strict_mode_gets_a_schema_it_can_enforce_or_none) {
    auto const e = recorded("openai", "structured_output");
    replay r({e.response_body, e.response_body});
    ts::test_server srv(std::ref(r));
    auto reg = registry_for(srv);
    auto model = reg.model<"openai:gpt-4o">();

    // An optional member: strict mode wants every property required, so it is sent required
    // and nullable, and the answer without it reads as an empty optional.
    auto const g = llmap::generate<noted_forecast>(model, {.prompt = "Forecast for New York?"});
    BOOST_TEST(g.value.city == "New York City");
    BOOST_TEST(!g.value.note.has_value());
    auto const format = r.received().at(0).at("text").at("format");
    BOOST_TEST(format.at("strict") == json::value(true));
    BOOST_TEST(format.at("schema").at("required") == json::parse(R"(["city","current","note"])"));
    BOOST_TEST(format.at("schema").at("properties").at("note").at("type") ==
               json::parse(R"(["string","null"])"));
    BOOST_TEST(g.response.warnings.empty());

    // A map has no strict form: the schema goes as it is, non-strict, with a warning (never
    // a 400). The recorded answer does not fit the type: the error keeps the response.
    try {
        llmap::generate<tallies>(model, {.prompt = "Count them."});
        BOOST_FAIL("the recorded answer has no counts");
    } catch (const llmap::output_error& err) {
        auto const sent = r.received().at(1).at("text").at("format");
        BOOST_TEST(sent.at("strict") == json::value(false));
        BOOST_TEST(sent.at("schema") == json::value(llmap::json_schema<tallies>()));
        auto const& w = err.response().warnings;
        BOOST_TEST_REQUIRE(w.size() == 1u);
        BOOST_TEST(w[0].setting == "format");
        BOOST_TEST(w[0].message.find("cannot take this schema strictly") != std::string::npos,
                   w[0].message);
    }
}

BOOST_AUTO_TEST_CASE(a_streamed_answer_grows_then_is_checked) {
    // Rig's recorded stream of a structured answer on the Responses API.
    fx::exchange e;
    for (auto& x : fx::rig_exchanges("openai"))
        if (x.file.filename() == "structured_output_stream.json")
            e = std::move(x);
    BOOST_TEST_REQUIRE(!e.response_body.empty());
    replay r({e.response_body});
    ts::test_server srv(std::ref(r));
    auto reg = registry_for(srv);
    auto model = reg.model<"openai:gpt-5.6">();
    std::vector<json::value> partials;
    auto const g = llmap::stream_generate<smoke_event>(
        model, {.prompt = "Return a concise event object for a local Rust meetup in Seattle."},
        [&](const json::value& v) { partials.push_back(v); }, {.name = "smoke_event"});
    BOOST_TEST(g.value.title.find("Rust") != std::string::npos, g.value.title);
    BOOST_TEST(r.received().at(0).at("stream") == json::value(true));
    // Many partial answers, each an object that grew from the one before; the last is the
    // answer itself.
    BOOST_TEST_REQUIRE(partials.size() > 3u);
    BOOST_TEST(partials.front() == json::parse("{}"));
    for (std::size_t i = 1; i < partials.size(); ++i) {
        auto const& before = partials[i - 1].as_object();
        auto const& now = partials[i].as_object();
        BOOST_TEST(now.size() >= before.size(), i);
        for (auto const& kv : before)
            BOOST_TEST(
                std::string_view(now.at(kv.key()).as_string()).starts_with(kv.value().as_string()),
                i);
    }
    BOOST_TEST(partials.back() == json::parse(g.response.text()));
}

BOOST_AUTO_TEST_CASE(native_structured_output_erased_and_in_visit) {
    for (auto const& [provider, id] : {std::pair{"gemini", "gemini:gemini-3-flash-preview"},
                                       std::pair{"ollama", "ollama:qwen3:4b"}}) {
        auto const e = recorded(provider, "structured_output");
        replay r({e.response_body, e.response_body});
        ts::test_server srv(std::ref(r));
        auto reg = registry_for(srv);
        llmap::request const req{.prompt = "Return a concise event object for a local Rust "
                                           "meetup in Seattle."};
        llmap::any_model erased = reg.make(id);
        auto const g = llmap::generate<smoke_event>(erased, req);
        BOOST_TEST(g.value.title.find("Rust") != std::string::npos, provider);
        BOOST_TEST(!g.value.summary.empty(), provider);
        auto const v = reg.visit(
            id, [&](auto& m) { return llmap::generate<smoke_event>(m, req).value.title; });
        BOOST_TEST(v == g.value.title);
        // Each provider's own field carries the schema.
        auto const sent = r.received().at(0);
        json::value const schema = std::string_view(provider) == "gemini"
                                       ? sent.at("generationConfig").at("responseJsonSchema")
                                       : sent.at("format");
        BOOST_TEST(schema.at("required") == json::parse(R"(["title","category","summary"])"),
                   provider);
    }
}

BOOST_AUTO_TEST_CASE(tool_mode_from_the_recorded_extractions) {
    for (auto const& [provider, id] :
         {std::pair{"openai", "openai:gpt-4o"}, std::pair{"gemini", "gemini:gemini-2.5-flash"},
          // xAI's recording is of its Responses API, which speaks OpenAI's wire.
          std::pair{"xai", "openai:grok-3-mini"},
          std::pair{"openrouter", "openrouter:openai/gpt-4o-mini"}}) {
        auto const e = recorded(provider, "extractor");
        replay r({e.response_body});
        ts::test_server srv(std::ref(r));
        auto reg = registry_for(srv);
        llmap::any_model m = reg.make(id);
        auto const g = llmap::generate<smoke_person>(
            m, {.prompt = "Hello, my name is Ada Lovelace and I work as a mathematician."},
            {.mode = llmap::output_mode::tool,
             .name = "submit",
             .description = "Submit the structured data you extracted from the provided text."});
        BOOST_TEST(g.value.first_name == "Ada", provider);
        BOOST_TEST(g.value.last_name == "Lovelace", provider);
        BOOST_TEST(g.value.job == "mathematician", provider);
        // The request offered one tool, the type's schema, and made the model call it.
        auto const sent = r.received().at(0);
        std::string const text = json::serialize(sent);
        BOOST_TEST(text.find(R"("submit")") != std::string::npos, provider);
        BOOST_TEST(text.find(R"("required":["first_name","last_name","job"])") != std::string::npos,
                   provider);
    }
}

BOOST_AUTO_TEST_CASE(a_mismatch_names_its_path_and_keeps_the_text) {
    // The recorded answer with a humidity no std::uint8_t holds.
    auto e = recorded("openai", "structured_output");
    auto const at = e.response_body.find(R"(\"humidity_pct\":65)");
    BOOST_REQUIRE(at != std::string::npos);
    std::string bad = e.response_body;
    bad.replace(at, std::string_view(R"(\"humidity_pct\":65)").size(), R"(\"humidity_pct\":300)");
    replay r({bad, bad, e.response_body});
    ts::test_server srv(std::ref(r));
    auto reg = registry_for(srv);
    auto model = reg.model<"openai:gpt-4o">();
    llmap::request const req{.prompt = "What's the weather forecast for New York City today?"};
    try {
        llmap::generate<weather_forecast>(model, req);
        BOOST_ERROR("no error");
    } catch (const llmap::output_error& x) {
        BOOST_TEST((x.code() == llmap::errc::invalid_output));
        BOOST_TEST(x.path() == "$.current.humidity_pct");
        BOOST_TEST(x.text().find("\"humidity_pct\":300") != std::string::npos);
        BOOST_TEST(std::string(x.what()).find("$.current.humidity_pct") != std::string::npos);
    }

    // With a repair allowed, the reason goes back to the model and the next answer fits.
    auto const g = llmap::generate<weather_forecast>(model, req, {.max_repairs = 1});
    BOOST_TEST(g.repairs == 1);
    BOOST_TEST(g.value.current.humidity_pct == 65);
    auto const first = llmap::openai_api::wire::parse_responses_response(json::parse(bad));
    BOOST_TEST(g.response.usage.total() == 2 * first.usage.total()); // both tries counted
    auto const second = r.received().at(2);
    std::string const text = json::serialize(second.at("input"));
    BOOST_TEST(text.find("What's the weather forecast") != std::string::npos); // the question,
    BOOST_TEST(text.find("humidity_pct\\\":300") != std::string::npos);        // the answer,
    BOOST_TEST(text.find("$.current.humidity_pct") != std::string::npos);      // and why not
}

BOOST_AUTO_TEST_CASE(prompted_mode_and_a_wrapped_type) {
    // A type that is not an object is asked for as {"value": ...}; the prompted mode puts
    // the schema in the system prompt and reads the JSON out of a fenced answer.
    std::string const answer =
        R"({"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,)"
        R"("message":{"role":"assistant","content":"Here:\n```json\n{\"value\": [3, 1, 2]}\n```"},)"
        R"("finish_reason":"stop"}]})";
    replay r({answer});
    ts::test_server srv(std::ref(r));
    llmap::provider_config c;
    c.api_key = "k";
    c.base_url = srv.url("/v1");
    auto m = llmap::openai_chat(c).model("m");
    auto const g = llmap::generate<std::vector<int>>(
        m, {.system = "Be exact.", .prompt = "3 numbers"}, {.mode = llmap::output_mode::prompted});
    BOOST_TEST((g.value == std::vector<int>{3, 1, 2}));
    auto const sent = r.received().at(0);
    auto const& system = sent.at("messages").at(0);
    BOOST_TEST(system.at("role").as_string() == "system");
    std::string const s(system.at("content").as_string());
    BOOST_TEST(s.starts_with("Be exact.\n\n"));
    BOOST_TEST(s.find(R"("required":["value"])") != std::string::npos);
    BOOST_TEST(!sent.as_object().contains("response_format"));
}

BOOST_AUTO_TEST_SUITE_END()
