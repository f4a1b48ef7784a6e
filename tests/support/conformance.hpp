//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_TEST_SUPPORT_CONFORMANCE_HPP
#define LLMAP_TEST_SUPPORT_CONFORMANCE_HPP

// The judge that every wire-conformance test (tests/conformance) shares, and what its scenarios
// have in common (with the typed scenario of typed_scenario.hpp): the world of one run
// (upstream, Prism, tap, a registry pointed at the tap) and the verdict on each request.
//
//   llmap --> front --> tap (loopback) --> Prism proxy --errors --> upstream (canned answers)
//
// A test gives what is its own: the spec, the canned answers, its providers, the faults of its
// spec that it accepts (each recognised by its shape, counted and printed with its words), and
// its scenarios. Every call must come back without a violation of ours:
//
// - a 422 (Prism refused the request) must reach the caller as llmap::error http_error 422, and
//   is a violation unless an accepted request fault explains every one of Prism's complaints;
// - of a streaming call only the request is validated (Prism cannot model SSE or NDJSON): it
//   must be forwarded, and then answered 2xx (without an error from llmap) or 500 with
//   violations of the response only;
// - any other call must be forwarded and answered 2xx without an error from llmap, unless its
//   500 is a flagged answer that an accepted answer fault explains;
// - whatever reached upstream must be what llmap sent.

#include "prism.hpp"
#include "typed_scenario.hpp"

#include <llmap/registry.hpp>

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmap::test::conformance {

namespace json = boost::json;
namespace ts = llmap::test;
using prism::conformance_dir;
using prism::list_violations;
using prism::only_response_violations;

/// The body the SDK request labelled `label` in sdk-requests/requests.jsonl sent.
inline json::value reference_body(std::string_view label) {
    std::ifstream in(conformance_dir + "/sdk-requests/requests.jsonl");
    BOOST_REQUIRE_MESSAGE(in, "cannot read sdk-requests/requests.jsonl");
    for (std::string line; std::getline(in, line);) {
        if (line.empty())
            continue;
        auto const v = json::parse(line);
        if (v.at("label").as_string() == label)
            return v.at("body");
    }
    BOOST_FAIL("no reference request labelled " << label);
    return {};
}

enum class kind { answer, stream };

/// True if Prism complained and `pred(complaint, its location)` holds of every complaint.
template <class Pred>
bool every_complaint(const json::array& validation, Pred pred) {
    if (validation.empty())
        return false;
    for (auto const& v : validation)
        if (!pred(v, v.at("location").as_array()))
            return false;
    return true;
}

/// True if `loc` is `where` ("*": any one part there), or with `prefix` begins with it.
inline bool located(const json::array& loc, std::initializer_list<std::string_view> where,
                    bool prefix = false) {
    if (prefix ? loc.size() < where.size() : loc.size() != where.size())
        return false;
    std::size_t i = 0;
    for (auto const part : where) {
        auto const& at = loc[i++];
        if (part != "*" && !(at.is_string() && at.as_string() == part))
            return false;
    }
    return true;
}

/// True if Prism complained and every complaint is at `where` (as `located`).
inline bool only_at(const json::array& validation, std::initializer_list<std::string_view> where) {
    return every_complaint(validation, [&](const json::value&, const json::array& loc) {
        return located(loc, where);
    });
}

/// The body of a request to the upstream, if it is a JSON object (else an empty one).
inline json::object body_of(const ts::test_server::request& req) {
    boost::system::error_code ec;
    if (auto v = json::parse(req.body(), ec); !ec && v.is_object())
        return std::move(v.as_object());
    return {};
}

/// Where an accepted spec fault shows.
enum class side {
    request,       ///< Prism refuses the request: HTTP 422
    answer,        ///< Prism forwards the request, then flags the (non-streamed) answer: HTTP 500
    stream_answer, ///< Prism forwards a streaming request, then flags the streamed answer
};

/// A fault of the spec, not of llmap: when `matches` holds of every complaint, the call is
/// counted as a hit of it instead of a violation of ours.
struct spec_fault {
    std::string_view words; ///< the README's own words, or (not in the README) what is wrong
    side where;
    bool (*matches)(const json::object& sent, const json::array& validation);
    bool in_readme = true;
};

struct tally {
    int validated = 0;   // requests Prism validated
    int clean = 0;       // ... and passed (a stream: its request valid and forwarded)
    int violations = 0;  // requests with a violation of ours
    int spec_faults = 0; // requests or answers that hit an accepted fault instead of passing
    int streams = 0;     // streaming requests validated and forwarded
    std::vector<std::pair<const spec_fault*, int>> hits; // per fault, in the order first hit

    void hit(const spec_fault& f) {
        for (auto& [fault, count] : hits)
            if (fault == &f) {
                ++count;
                return;
            }
        hits.emplace_back(&f, 1);
    }
    int of(const spec_fault& f) const {
        for (auto const& [fault, count] : hits)
            if (fault == &f)
                return count;
        return 0;
    }
};

/// A `world::options::make` for a registry of one provider, configured as `name`.
template <class Providers>
auto named(std::string_view name) {
    return [name](const llmap::provider_config& c) { return Providers{{name, c}}; };
}

/// The world of one test: upstream, Prism, tap, and a registry of `Providers` pointed at it.
template <class Providers>
class world {
public:
    struct options {
        std::string label;                 ///< for the printed lines, e.g. "conformance.gemini"
        std::string spec;                  ///< the spec's file in specs/
        ts::test_server::handler upstream; ///< canned answers
        std::function<Providers(const llmap::provider_config&)> make; ///< the registry
        std::string api_key = {};
        std::string base_path = {};    ///< appended to the front's URL for base_url
        std::string strip_prefix = {}; ///< the front takes it off a target (`/v1`) for Prism
        std::vector<const spec_fault*> faults = {}; ///< accepted on every call
    };

    explicit world(options o)
        : opts_(std::move(o)), upstream(opts_.upstream),
          prism_(conformance_dir + "/specs/" + opts_.spec, upstream.url(""), prism_port_),
          reg(opts_.make(config())) {
        std::cout << opts_.label << ": Prism up after " << seconds() << " s\n";
    }

    /// Run `call` (one request through llmap), then judge what Prism said of it; `also`: the
    /// faults accepted on this call only.
    template <class Call>
    void check(std::string const& name, kind k, Call&& call,
               std::initializer_list<const spec_fault*> also = {}) {
        auto const before = tap_.log().size();
        auto const upstream_before = upstream.request_count();
        std::optional<llmap::error> failure;
        try {
            call();
        } catch (llmap::error const& e) {
            failure = e;
        }
        auto const log = tap_.log();
        BOOST_REQUIRE_MESSAGE(log.size() == before + 1,
                              name << ": expected one request on the wire");
        prism::tapped const& x = log.back();
        ++n.validated;
        json::object const sent = json::parse(x.request_body).as_object();
        json::array validation;
        if (x.status >= 400) {
            boost::system::error_code ec;
            auto const v = json::parse(x.response_body, ec);
            if (!ec && v.is_object() && v.as_object().contains("validation"))
                validation = v.at("validation").as_array();
        }
        bool const forwarded = upstream.request_count() == upstream_before + 1;
        if (forwarded) // what reached upstream is what llmap sent
            BOOST_TEST(json::parse(upstream.requests().back().body) == json::value(sent), name);
        auto const accepted = [&](side where) -> const spec_fault* {
            for (auto const* f : opts_.faults)
                if (f->where == where && f->matches(sent, validation))
                    return f;
            for (auto const* f : also)
                if (f->where == where && f->matches(sent, validation))
                    return f;
            return nullptr;
        };

        if (x.status == 422) {
            BOOST_TEST((failure && failure->code() == llmap::errc::http_error &&
                        failure->http_status() == 422),
                       name << ": a 422 must reach the caller as llmap::error http_error 422");
            if (auto const* f = accepted(side::request)) {
                ++n.spec_faults;
                n.hit(*f);
                std::cout << "  " << name << ": spec fault, not ours" << origin(*f) << f->words
                          << list_violations(validation) << "\n";
                return;
            }
            ++n.violations;
            BOOST_ERROR(name << ": Prism rejected llmap's request (HTTP 422)"
                             << list_violations(validation)
                             << "\n  llmap: " << (failure ? failure->what() : "(no error)")
                             << "\n  body: " << x.request_body);
            return;
        }
        if (k == kind::stream) {
            BOOST_TEST(forwarded, name << ": the streaming request was not forwarded upstream");
            bool const ok =
                x.status < 300 || (x.status == 500 && only_response_violations(validation));
            BOOST_TEST(ok, name << ": HTTP " << x.status << list_violations(validation)
                                << "\n  body: " << x.request_body);
            if (x.status < 300)
                BOOST_TEST(!failure, name << ": " << (failure ? failure->what() : ""));
            if (!ok || !forwarded) {
                ++n.violations;
                return;
            }
            ++n.streams;
            ++n.clean;
            std::cout << "  " << name << ": request valid and forwarded";
            if (x.status < 300)
                std::cout << "\n";
            else if (auto const* f = accepted(side::stream_answer)) {
                n.hit(*f);
                std::cout << "; the streamed answer hits the spec fault, not ours" << origin(*f)
                          << f->words << " (" << validation.size() << " response violations)\n";
            } else
                std::cout << " (the streamed answer is not validated: Prism flags "
                          << validation.size() << " response violations)\n";
            return;
        }
        if (x.status == 500)
            if (auto const* f = accepted(side::answer)) {
                BOOST_TEST(forwarded, name);
                ++n.spec_faults;
                n.hit(*f);
                std::cout << "  " << name << ": request valid and forwarded; the answer hits the "
                          << "spec fault, not ours" << origin(*f) << f->words
                          << list_violations(validation) << "\n";
                return;
            }
        if (x.status >= 300 || failure) {
            ++n.violations;
            BOOST_ERROR(name << ": HTTP " << x.status << list_violations(validation)
                             << "\n  llmap: " << (failure ? failure->what() : "(no error)")
                             << "\n  body: " << x.request_body);
            return;
        }
        BOOST_TEST(forwarded, name);
        ++n.clean;
        std::cout << "  " << name << ": valid\n";
    }

    /// `check` of `model.complete(req)`.
    template <class Model>
    void complete(std::string const& name, Model& model, llmap::request const& req,
                  std::initializer_list<const spec_fault*> also = {}) {
        check(
            name, kind::answer, [&] { model.complete(req); }, also);
    }

    /// `check` of `model.stream(req)`, its events dropped.
    template <class Model>
    void stream(std::string const& name, Model& model, llmap::request const& req,
                std::initializer_list<const spec_fault*> also = {}) {
        check(
            name, kind::stream, [&] { model.stream(req, [](llmap::stream_event const&) {}); },
            also);
    }

    /// The last request on the wire, and its body.
    prism::tapped last() const { return tap_.log().back(); }
    json::value last_body() const { return json::parse(last().request_body); }

    /// Assert that the last body sent is the SDK's labelled `label` in sdk-requests.
    void sent_as(std::string_view label) const {
        BOOST_TEST(last_body() == reference_body(label), last().target << " vs " << label);
    }

    /// The closing line: the counts, and the hits of each fault.
    void summary() const {
        std::cout << opts_.label << ": " << n.validated
                  << " requests validated by Prism: " << n.clean << " valid (" << n.streams
                  << " streaming requests forwarded), " << n.violations << " violations of ours, "
                  << n.spec_faults << " spec fault hits";
        for (auto const& [fault, count] : n.hits)
            std::cout << "; " << count << " x " << fault->words
                      << (fault->in_readme ? "" : " (not in the README)");
        std::cout << "; " << seconds() << " s\n";
    }

private:
    static char const* origin(const spec_fault& f) {
        return f.in_readme ? ": " : " (not in the README): ";
    }
    double seconds() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - start_)
                   .count() /
               1000.0;
    }
    llmap::provider_config config() const {
        llmap::provider_config c;
        c.api_key = opts_.api_key;
        c.base_url = front_.url(opts_.base_path);
        c.transport.retry.max_retries = 0;
        return c;
    }

    // (In this order: each is built from those before it.)
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    options opts_;

public:
    ts::test_server upstream;

private:
    unsigned short prism_port_ = prism::free_port();
    prism::prism_proxy prism_;
    prism::tap tap_{prism_port_};
    ts::test_server front_{[this](const ts::test_server::request& req, ts::test_session& s) {
        auto const& strip = opts_.strip_prefix;
        std::string_view const target = req.target();
        if (strip.empty() || !target.starts_with(strip + "/"))
            return tap_(req, s);
        auto copy = req;
        copy.target(target.substr(strip.size()));
        tap_(copy, s);
    }};

public:
    Providers reg;
    tally n;
};

// ---- the scenarios' shared parts ------------------------------------------------------------

/// The reference scenario, whose bodies the SDKs' are compared with.
inline llmap::request reference_request() {
    return {.system = "You are a terse assistant.",
            .prompt = "Say hello.",
            .max_output_tokens = 64,
            .temperature = 0.2};
}

/// get_weather(city, unit); `closed`: with `"additionalProperties": false`.
inline llmap::tool weather_tool(bool closed = true) {
    auto parameters = json::parse(R"({"type":"object",
        "properties":{"city":{"type":"string","description":"City name"},
                      "unit":{"type":"string","enum":["celsius","fahrenheit"]}},
        "required":["city"],"additionalProperties":false})")
                          .as_object();
    if (!closed)
        parameters.erase("additionalProperties"); // the last member: the others keep their order
    return {.name = "get_weather",
            .description = "Current weather for a city.",
            .parameters = std::move(parameters)};
}

/// A JSON schema format "city" {name}; `closed`: with `"additionalProperties": false`.
inline llmap::response_format city_format(bool closed = true) {
    auto schema = json::parse(R"({"type":"object",
        "properties":{"name":{"type":"string"}},
        "required":["name"],"additionalProperties":false})")
                      .as_object();
    if (!closed)
        schema.erase("additionalProperties");
    return llmap::response_format::json_schema("city", std::move(schema));
}

/// "Weather in Paris?" with get_weather (see `weather_tool`), and `choice` if given.
inline llmap::request weather_question(std::optional<llmap::tool_choice> choice = {},
                                       bool closed = true) {
    return {.prompt = "Weather in Paris?", .tools = {weather_tool(closed)}, .tool_choice = choice};
}

/// "Name a city.", answered in the format of `city_format`.
inline llmap::request city_question(bool closed = true) {
    return {.prompt = "Name a city.", .format = city_format(closed)};
}

/// Every sampling setting but the temperature and the token limit.
inline llmap::request sampling_request() {
    return {
        .prompt = "Say hello.", .top_p = 0.9, .top_k = 40, .stop_sequences = {"END"}, .seed = 7};
}

/// "Weather in Paris?", the assistant's call of get_weather as `id` (after `first`: its
/// reasoning or text), and the tool's answer (named `result_name`, if not empty): 18 degrees.
inline std::vector<llmap::message> weather_round_trip(std::string id,
                                                      std::vector<llmap::content_part> first = {},
                                                      std::string result_name = "get_weather") {
    llmap::message call{.role = llmap::role::assistant, .content = std::move(first)};
    call.content.emplace_back(
        llmap::tool_call_part{.id = id, .name = "get_weather", .arguments = {{"city", "Paris"}}});
    llmap::message result{.role = llmap::role::tool};
    result.content.emplace_back(llmap::tool_result_part{
        .tool_call_id = id, .name = std::move(result_name), .result = {{"temp_c", 18}}});
    return {llmap::message::user("Weather in Paris?"), std::move(call), std::move(result)};
}

/// A user message asking about a picture given by URL.
inline llmap::message image_by_url(std::string media_type = "") {
    llmap::message m = llmap::message::user("What is in this picture?");
    m.content.emplace_back(
        llmap::image_part::from_url("https://example.com/cat.png", std::move(media_type)));
    return m;
}

/// A user message asking about a picture given as bytes (a PNG's first bytes: content does
/// not matter to a spec).
inline llmap::message image_as_bytes() {
    llmap::message m = llmap::message::user("What is in this picture?");
    m.content.emplace_back(llmap::image_part::from_bytes(
        {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a}, "image/png"));
    return m;
}

} // namespace llmap::test::conformance

#endif
