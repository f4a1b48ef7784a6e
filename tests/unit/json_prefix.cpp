//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// llmap/detail/json_prefix.hpp: the value a prefix of a JSON text stands for so far, as the
// partial answers of stream_generate show it.

#include <llmap/detail/json_prefix.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>

namespace {

namespace json = boost::json;

/// The repaired value of `prefix` as JSON text, or "none".
std::string repaired(std::string_view prefix) {
    auto v = llmap::detail::json_prefix_value(prefix);
    return v ? json::serialize(*v) : "none";
}

} // namespace

BOOST_AUTO_TEST_SUITE(json_prefix)

BOOST_AUTO_TEST_CASE(expected_values_of_prefixes) {
    // Written by hand from the rule: cut back to the last complete member, close a string
    // value in progress, close every container; never guess a value.
    BOOST_TEST(repaired("") == "none");
    BOOST_TEST(repaired("Sure, here it is: ") == "none");
    BOOST_TEST(repaired("{") == "{}");
    BOOST_TEST(repaired("{\"ti") == "{}");
    BOOST_TEST(repaired("{\"title\"") == "{}");
    BOOST_TEST(repaired("{\"title\":") == "{}");
    BOOST_TEST(repaired("{\"title\": \"Rus") == R"({"title":"Rus"})");
    BOOST_TEST(repaired("{\"title\": \"Rust\", ") == R"({"title":"Rust"})");
    BOOST_TEST(repaired("{\"title\": \"Rust\", \"n\": 1") == R"({"title":"Rust"})");
    BOOST_TEST(repaired("{\"title\": \"Rust\", \"n\": 12,") == R"({"title":"Rust","n":12})");
    BOOST_TEST(repaired("{\"ok\": tru") == "{}");
    BOOST_TEST(repaired("{\"ok\": true}") == R"({"ok":true})");
    BOOST_TEST(repaired("{\"a\": [1, 2") == R"({"a":[1]})");
    BOOST_TEST(repaired("{\"a\": [1, 2, {\"b\": \"x") == R"({"a":[1,2,{"b":"x"}]})");
    BOOST_TEST(repaired("{\"a\": [\"p\", \"q") == R"({"a":["p","q"]})");
    BOOST_TEST(repaired("{\"a\": {\"b\": {") == R"({"a":{"b":{}}})");
    BOOST_TEST(repaired("[") == "[]");
    BOOST_TEST(repaired("[{\"x\": 1}, ") == R"([{"x":1}])");
    // Escapes: a complete one is kept, an unfinished one left out.
    BOOST_TEST(repaired(R"({"s": "a\"b)") == R"({"s":"a\"b"})");
    BOOST_TEST(repaired(R"({"s": "a\)") == R"({"s":"a"})");
    BOOST_TEST(repaired(R"({"s": "a\u00)") == R"({"s":"a"})");
    BOOST_TEST(repaired(R"({"s": "a\u00e9)") == "{\"s\":\"a\xC3\xA9\"}");
    BOOST_TEST(repaired(R"({"s": "a\\)") == R"({"s":"a\\"})");
    // A Markdown fence before the value, and text after a complete one.
    BOOST_TEST(repaired("```json\n{\"k\": \"v\"") == R"({"k":"v"})");
    BOOST_TEST(repaired("{\"k\": \"v\"}\n```") == R"({"k":"v"})");
    // Not JSON: nothing, never a guess.
    BOOST_TEST(repaired("{]") == "none");
    BOOST_TEST(repaired("{\"a\" 1}") == "none");
    BOOST_TEST(repaired("{\"a\": 1 2}") == "none");
}

BOOST_AUTO_TEST_CASE(every_prefix_of_a_document) {
    // Each prefix gives nothing or a value; the whole document gives itself; a member, once
    // complete, stays as it is in every longer prefix.
    std::string const doc =
        R"({"title": "Rust \"meetup\" \u00e9", "tags": ["a", "b"], "n": -12.5e1,)"
        R"( "nested": {"ok": false, "none": null, "list": [[1], [2, 3]]}, "end": "z"})";
    auto const whole = json::parse(doc);
    BOOST_TEST(repaired(doc) == json::serialize(whole));
    std::size_t members = 0;
    for (std::size_t n = 0; n <= doc.size(); ++n) {
        auto const v = llmap::detail::json_prefix_value(std::string_view(doc).substr(0, n));
        if (!v)
            continue;
        BOOST_TEST_REQUIRE(v->is_object(), n);
        auto const& o = v->get_object();
        BOOST_TEST(o.size() >= members, n);
        members = o.size();
        for (auto const& kv : o) {
            auto const& full = whole.at(kv.key());
            // A complete member equals the document's; the string in progress is its prefix.
            if (kv.value().is_string() && full.is_string())
                BOOST_TEST(std::string_view(full.get_string()).starts_with(kv.value().get_string()),
                           n);
            else if (!kv.value().is_object() && !kv.value().is_array())
                BOOST_TEST(kv.value() == full, n << " " << kv.key());
        }
    }
    BOOST_TEST(members == whole.as_object().size());
}

BOOST_AUTO_TEST_SUITE_END()
