//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// schema.hpp, from_json.hpp and schema_dialect.hpp. Every expected schema below is written by
// hand from the JSON Schema rules, not printed by the code under test.

#include <llmap/from_json.hpp>
#include <llmap/schema.hpp>
#include <llmap/schema_dialect.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace shop {

enum class color { red, green, blue };
BOOST_DESCRIBE_ENUM(color, red, green, blue)
LLMAP_DESCRIBE_SCHEMA(color, "A primary colour.")

struct item {
    std::string name;
    std::uint8_t qty = 0;
    std::optional<color> tint;
};
BOOST_DESCRIBE_STRUCT(item, (), (name, qty, tint))
LLMAP_DESCRIBE_SCHEMA(item, "One line of an order.",
                      (name, "What to buy", {.min_length = 1, .pattern = "^[a-z]+$"}),
                      (qty, "How many", {.minimum = 1, .maximum = 10}))

struct order {
    std::vector<item> items;
    std::optional<std::string> note;
};
BOOST_DESCRIBE_STRUCT(order, (), (items, note))

struct node { // a tree: recursive through a vector
    std::string label;
    std::vector<node> children;
};
BOOST_DESCRIBE_STRUCT(node, (), (label, children))

struct forest {
    std::vector<node> trees;
};
BOOST_DESCRIBE_STRUCT(forest, (), (trees))

struct base {
    std::int64_t id = 0;
};
BOOST_DESCRIBE_STRUCT(base, (), (id))
struct derived : base {
    bool ok = false;
};
BOOST_DESCRIBE_STRUCT(derived, (base), (ok))

struct misc {
    std::array<double, 2> point{};
    std::map<std::string, int> counts;
    std::variant<std::int32_t, std::string> key;
    boost::json::value extra;
    std::uint64_t big = 0;
    float ratio = 0;
};
BOOST_DESCRIBE_STRUCT(misc, (), (point, counts, key, extra, big, ratio))

} // namespace shop

namespace {

boost::json::object obj(std::string_view text) {
    return boost::json::parse(text).as_object();
}

// An object comparison that prints both sides on failure.
void check_json(const boost::json::object& got, std::string_view expected) {
    boost::json::object const want = obj(expected);
    BOOST_TEST(got == want,
               "got " << boost::json::serialize(got) << "\nwant " << boost::json::serialize(want));
}

} // namespace

BOOST_AUTO_TEST_SUITE(schema)

BOOST_AUTO_TEST_CASE(scalars) {
    check_json(llmap::json_schema<bool>(), R"({"type":"boolean"})");
    check_json(llmap::json_schema<double>(), R"({"type":"number"})");
    check_json(llmap::json_schema<float>(), R"({"type":"number"})");
    check_json(llmap::json_schema<std::string>(), R"({"type":"string"})");
    check_json(llmap::json_schema<std::uint8_t>(),
               R"({"type":"integer","minimum":0,"maximum":255})");
    check_json(llmap::json_schema<std::int16_t>(),
               R"({"type":"integer","minimum":-32768,"maximum":32767})");
    check_json(llmap::json_schema<std::uint32_t>(),
               R"({"type":"integer","minimum":0,"maximum":4294967295})");
    check_json(llmap::json_schema<std::int64_t>(), R"({"type":"integer"})");
    check_json(llmap::json_schema<std::uint64_t>(), R"({"type":"integer","minimum":0})");
    check_json(llmap::json_schema<boost::json::value>(), R"({})");
    check_json(llmap::json_schema<boost::json::object>(), R"({"type":"object"})");
    check_json(llmap::json_schema<shop::color>(),
               R"({"type":"string","description":"A primary colour.",
                   "enum":["red","green","blue"]})");
}

BOOST_AUTO_TEST_CASE(containers) {
    check_json(llmap::json_schema<std::vector<std::string>>(),
               R"({"type":"array","items":{"type":"string"}})");
    check_json(llmap::json_schema<std::array<bool, 3>>(),
               R"({"type":"array","items":{"type":"boolean"},"minItems":3,"maxItems":3})");
    check_json(llmap::json_schema<std::map<std::string, double>>(),
               R"({"type":"object","additionalProperties":{"type":"number"}})");
    check_json(llmap::json_schema<std::variant<bool, std::string>>(),
               R"({"anyOf":[{"type":"boolean"},{"type":"string"}]})");
    // Outside a struct, an optional is a nullable value.
    check_json(llmap::json_schema<std::vector<std::optional<std::string>>>(),
               R"({"type":"array","items":{"type":["string","null"]}})");
    check_json(llmap::json_schema<std::optional<shop::color>>(),
               R"({"anyOf":[{"type":"string","description":"A primary colour.",
                             "enum":["red","green","blue"]},{"type":"null"}]})");
}

BOOST_AUTO_TEST_CASE(described_structs_with_descriptions_and_limits) {
    check_json(llmap::json_schema<shop::order>(), R"({
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {
                "type": "object",
                "description": "One line of an order.",
                "properties": {
                    "name": {"type": "string", "description": "What to buy", "minLength": 1,
                             "pattern": "^[a-z]+$"},
                    "qty": {"type": "integer", "description": "How many",
                            "minimum": 1, "maximum": 10},
                    "tint": {"type": "string", "description": "A primary colour.",
                             "enum": ["red", "green", "blue"]}
                },
                "required": ["name", "qty"],
                "additionalProperties": false}},
            "note": {"type": "string"}
        },
        "required": ["items"],
        "additionalProperties": false})");
    BOOST_TEST(llmap::schema_description<shop::item>() == "One line of an order.");
    BOOST_TEST(llmap::schema_description<shop::order>().empty());
}

BOOST_AUTO_TEST_CASE(required_is_in_declaration_order_with_bases_first) {
    auto const s = llmap::json_schema<shop::derived>();
    BOOST_TEST(boost::json::serialize(s.at("required")) == R"(["id","ok"])");
    check_json(s, R"({"type":"object","properties":{"id":{"type":"integer"},
                      "ok":{"type":"boolean"}},"required":["id","ok"],
                      "additionalProperties":false})");
}

BOOST_AUTO_TEST_CASE(other_members) {
    check_json(llmap::json_schema<shop::misc>(), R"({
        "type": "object",
        "properties": {
            "point": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
            "counts": {"type": "object", "additionalProperties":
                       {"type": "integer", "minimum": -2147483648, "maximum": 2147483647}},
            "key": {"anyOf": [{"type": "integer", "minimum": -2147483648, "maximum": 2147483647},
                              {"type": "string"}]},
            "extra": {},
            "big": {"type": "integer", "minimum": 0},
            "ratio": {"type": "number"}
        },
        "required": ["point", "counts", "key", "extra", "big", "ratio"],
        "additionalProperties": false})");
}

BOOST_AUTO_TEST_CASE(recursive_root_refers_to_itself) {
    check_json(llmap::json_schema<shop::node>(), R"({
        "type": "object",
        "properties": {"label": {"type": "string"},
                       "children": {"type": "array", "items": {"$ref": "#"}}},
        "required": ["label", "children"],
        "additionalProperties": false})");
}

BOOST_AUTO_TEST_CASE(recursive_member_goes_to_defs) {
    check_json(llmap::json_schema<shop::forest>(), R"({
        "type": "object",
        "properties": {"trees": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
        "required": ["trees"],
        "additionalProperties": false,
        "$defs": {"node": {
            "type": "object",
            "properties": {"label": {"type": "string"},
                           "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
            "required": ["label", "children"],
            "additionalProperties": false}}})");
    // A vector of a recursive struct at the root.
    check_json(llmap::json_schema<std::vector<shop::node>>(), R"({
        "type": "array", "items": {"$ref": "#/$defs/node"},
        "$defs": {"node": {
            "type": "object",
            "properties": {"label": {"type": "string"},
                           "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
            "required": ["label", "children"],
            "additionalProperties": false}}})");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(from_json)

BOOST_AUTO_TEST_CASE(parses_a_whole_value) {
    auto const o = llmap::from_json<shop::order>(boost::json::parse(R"({
        "items": [{"name": "pen", "qty": 2, "tint": "blue"}, {"name": "ink", "qty": 3.0}],
        "unknown": "ignored"})"));
    BOOST_TEST(o.items.size() == 2u);
    BOOST_TEST(o.items[0].name == "pen");
    BOOST_TEST(o.items[0].qty == 2);
    BOOST_TEST((o.items[0].tint == shop::color::blue));
    BOOST_TEST(!o.items[1].tint.has_value()); // missing optional
    BOOST_TEST(o.items[1].qty == 3);          // a whole number written 3.0
    BOOST_TEST(!o.note.has_value());

    auto const m = llmap::from_json<shop::misc>(boost::json::parse(R"({
        "point": [1, 2.5], "counts": {"a b": 1}, "key": "k", "extra": {"x": [null]},
        "big": 18446744073709551615, "ratio": 0.5})"));
    BOOST_TEST(m.point[1] == 2.5);
    BOOST_TEST(m.counts.at("a b") == 1);
    BOOST_TEST(std::get<std::string>(m.key) == "k");
    BOOST_TEST(m.extra.at("x").as_array().size() == 1u);
    BOOST_TEST(m.big == 18446744073709551615ull); // beyond 2^53, exact
    BOOST_TEST(m.ratio == 0.5f);

    auto const t = llmap::from_json<shop::node>(
        boost::json::parse(R"({"label":"a","children":[{"label":"b","children":[]}]})"));
    BOOST_TEST(t.children.at(0).label == "b");

    auto const d = llmap::from_json<shop::derived>(boost::json::parse(R"({"id":-7,"ok":true})"));
    BOOST_TEST(d.id == -7);
    BOOST_TEST(d.ok);
}

BOOST_AUTO_TEST_CASE(an_object_of_any_members) {
    auto const o = llmap::try_from_json<boost::json::object>(boost::json::parse(R"({"a":[1]})"));
    BOOST_TEST_REQUIRE(o.has_value());
    BOOST_TEST((*o == boost::json::parse(R"({"a":[1]})").as_object()));
    auto const not_one = llmap::try_from_json<boost::json::object>(boost::json::parse("[1]"));
    BOOST_TEST_REQUIRE(!not_one.has_value());
    BOOST_TEST(not_one.error().path == "$");
    BOOST_TEST(not_one.error().expected == "object");
}

BOOST_AUTO_TEST_CASE(null_is_only_for_optionals) {
    auto const o = llmap::from_json<shop::order>(
        boost::json::parse(R"({"items": [{"name":"a","qty":1,"tint":null}], "note": null})"));
    BOOST_TEST(!o.note.has_value());
    BOOST_TEST(!o.items[0].tint.has_value());
    auto const r = llmap::try_from_json<shop::order>(boost::json::parse(R"({"items": null})"));
    BOOST_REQUIRE(!r);
    BOOST_TEST(r.error().message() == "$.items: expected array, found null");
}

BOOST_AUTO_TEST_CASE(mismatches_name_their_path) {
    auto const fails = [](std::string_view text) {
        auto const r = llmap::try_from_json<shop::order>(boost::json::parse(text));
        BOOST_REQUIRE(!r);
        return r.error().message();
    };
    BOOST_TEST(fails(R"([])") == "$: expected object, found array");
    BOOST_TEST(fails(R"({})") == "$.items: expected array, found nothing (the member is missing)");
    BOOST_TEST(
        fails(R"({"items":[{"name":"a","qty":1},{"name":"b","qty":1},{"name":7,"qty":1}]})") ==
        "$.items[2].name: expected string, found integer 7");
    BOOST_TEST(fails(R"({"items":[{"name":"a","qty":256}]})") ==
               "$.items[0].qty: expected integer in [0, 255], found integer 256");
    BOOST_TEST(fails(R"({"items":[{"name":"a","qty":-1}]})") ==
               "$.items[0].qty: expected integer in [0, 255], found integer -1");
    BOOST_TEST(fails(R"({"items":[{"name":"a","qty":1.5}]})") ==
               "$.items[0].qty: expected integer in [0, 255], found number 1.5E0");
    BOOST_TEST(fails(R"({"items":[{"name":"a","qty":"1"}]})") ==
               "$.items[0].qty: expected integer in [0, 255], found string \"1\"");
    BOOST_TEST(
        fails(R"({"items":[{"name":"a","qty":1,"tint":"Red"}]})") ==
        "$.items[0].tint: expected one of \"red\", \"green\", \"blue\", found string \"Red\"");
    BOOST_TEST(fails(R"({"items":[{"name":"a"}]})") ==
               "$.items[0].qty: expected integer in [0, 255], found nothing (the member is "
               "missing)");

    auto const m = [](std::string_view text) {
        auto const r = llmap::try_from_json<shop::misc>(boost::json::parse(text));
        BOOST_REQUIRE(!r);
        return r.error().message();
    };
    std::string const ok_rest = R"("key": 1, "extra": 0, "big": 1, "ratio": 1})";
    BOOST_TEST(m(R"({"point": [1], "counts": {}, )" + ok_rest) ==
               "$.point: expected array of 2 items, found array");
    BOOST_TEST(m(R"({"point": [1, 2], "counts": {"x y": true}, )" + ok_rest) ==
               "$.counts[\"x y\"]: expected integer in [-2147483648, 2147483647], found true");
    BOOST_TEST(m(R"({"point": [1, 2], "counts": {}, "key": 2147483648, "extra": 0, "big": 1,
                     "ratio": 1})") ==
               "$.key: expected a value of one of the variant's alternatives, found integer "
               "2147483648");
    BOOST_TEST(m(R"({"point": [1, 2], "counts": {}, "key": 1, "extra": 0, "big": -1,
                     "ratio": 1})") ==
               "$.big: expected integer in [0, 18446744073709551615], found integer -1");
    BOOST_TEST(m(R"({"point": [1, 2], "counts": {}, "key": 1, "extra": 0, "big": 1,
                     "ratio": 1e300})") ==
               "$.ratio: expected number in the range of float, found number 1E300");
}

BOOST_AUTO_TEST_CASE(integer_edges) {
    using llmap::try_from_json;
    BOOST_TEST(try_from_json<std::int64_t>(boost::json::parse("-9223372036854775808")).value() ==
               INT64_MIN);
    BOOST_TEST(!try_from_json<std::int64_t>(boost::json::parse("9223372036854775808")));
    BOOST_TEST(try_from_json<std::int8_t>(boost::json::parse("-128")).value() == -128);
    BOOST_TEST(!try_from_json<std::int8_t>(boost::json::parse("-129")));
    BOOST_TEST(try_from_json<int>(boost::json::parse("1e3")).value() == 1000);
    BOOST_TEST(!try_from_json<int>(boost::json::parse("true")));
    BOOST_TEST(!try_from_json<bool>(boost::json::parse("1")));
    BOOST_TEST(try_from_json<double>(boost::json::parse("7")).value() == 7.0);
}

BOOST_AUTO_TEST_CASE(variant_reports_the_alternative_that_got_deepest) {
    using v = std::variant<std::int32_t, shop::item>;
    auto const r = llmap::try_from_json<v>(boost::json::parse(R"({"name":"a","qty":"x"})"));
    BOOST_REQUIRE(!r);
    BOOST_TEST(r.error().message() == "$.qty: expected integer in [0, 255], found string \"x\"");
    BOOST_TEST(std::get<std::int32_t>(llmap::from_json<v>(boost::json::parse("4"))) == 4);
}

BOOST_AUTO_TEST_CASE(throws_invalid_output) {
    try {
        (void)llmap::from_json<shop::order>(boost::json::parse(R"({"items":[{"name":1}]})"));
        BOOST_FAIL("no exception");
    } catch (const llmap::error& e) {
        BOOST_TEST((e.code() == llmap::errc::invalid_output));
        BOOST_TEST(std::string(e.what()) ==
                   "llmap: the output does not match the requested type: $.items[0].name: "
                   "expected string, found integer 1");
    }
    boost::system::error_code const ec = llmap::errc::invalid_output;
    BOOST_TEST(ec.message() == "the model's output does not match the requested type");
}

BOOST_AUTO_TEST_CASE(answer_text) {
    BOOST_TEST(llmap::json_text_of("  {\"a\":1}\n") == "{\"a\":1}");
    BOOST_TEST(llmap::json_text_of("```json\n{\"a\":1}\n```") == "{\"a\":1}");
    BOOST_TEST(llmap::json_text_of("```\n[1]\n```\n") == "[1]");
    BOOST_TEST(llmap::json_text_of("Here it is:\n```json\n{\"a\":1}\n```\nDone.") == "{\"a\":1}");
    BOOST_TEST(llmap::json_text_of("no json") == "no json");

    auto const o = llmap::parse_output<shop::order>("```json\n{\"items\":[]}\n```");
    BOOST_TEST(o.items.empty());

    auto const bad = llmap::try_parse_output<shop::order>("{\"items\": [");
    BOOST_REQUIRE(!bad);
    BOOST_TEST(bad.error().path == "$");
    BOOST_TEST(bad.error().expected == "JSON text");
    BOOST_TEST(bad.error().found.find("offset") != std::string::npos);
    BOOST_TEST(!llmap::try_parse_output<shop::order>("{\"items\": []} trailing"));
    BOOST_CHECK_THROW(llmap::parse_output<int>("seven"), llmap::error);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(schema_dialect)

BOOST_AUTO_TEST_CASE(openai_strict_makes_optionals_nullable_and_required) {
    auto const a = llmap::openai_strict_schema(llmap::json_schema<shop::order>());
    BOOST_TEST(a.strict);
    // minLength is not in OpenAI's supported list; pattern, minimum and maximum are.
    BOOST_TEST(a.warnings.size() == 1u);
    BOOST_TEST(a.warnings.at(0) == "OpenAI strict mode does not support minLength: dropped "
                                   "from the schema");
    check_json(a.schema, R"({
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {
                "type": "object",
                "description": "One line of an order.",
                "properties": {
                    "name": {"type": "string", "description": "What to buy",
                             "pattern": "^[a-z]+$"},
                    "qty": {"type": "integer", "description": "How many",
                            "minimum": 1, "maximum": 10},
                    "tint": {"anyOf": [{"type": "string", "description": "A primary colour.",
                                        "enum": ["red", "green", "blue"]},
                                       {"type": "null"}]}
                },
                "required": ["name", "qty", "tint"],
                "additionalProperties": false}},
            "note": {"type": ["string", "null"]}
        },
        "required": ["items", "note"],
        "additionalProperties": false})");
    // What strict mode sends back for an absent optional parses.
    auto const o = llmap::from_json<shop::order>(
        boost::json::parse(R"({"items":[{"name":"a","qty":1,"tint":null}],"note":null})"));
    BOOST_TEST(!o.note.has_value());
}

BOOST_AUTO_TEST_CASE(openai_strict_keeps_recursion_and_closes_hand_written_objects) {
    auto const a = llmap::openai_strict_schema(llmap::json_schema<shop::forest>());
    BOOST_TEST(a.strict);
    BOOST_TEST(a.warnings.empty());
    BOOST_TEST(a.schema == llmap::json_schema<shop::forest>()); // already strict

    auto const h = llmap::openai_strict_schema(obj(R"({
        "type": "object",
        "properties": {"a": {"$ref": "#/$defs/x", "description": "an x"},
                       "b": {"oneOf": [{"type": "string"}, {"type": "object",
                             "properties": {"c": {"type": "integer", "default": 3}}}]}},
        "required": ["a"],
        "$defs": {"x": {"type": "object", "properties": {}}}})"));
    BOOST_TEST(h.strict);
    check_json(h.schema, R"({
        "type": "object",
        "properties": {"a": {"anyOf": [{"$ref": "#/$defs/x"}], "description": "an x"},
                       "b": {"anyOf": [{"type": "string"},
                                       {"type": "object",
                                        "properties": {"c": {"type": ["integer", "null"]}},
                                        "required": ["c"], "additionalProperties": false},
                                       {"type": "null"}]}},
        "required": ["a", "b"],
        "additionalProperties": false,
        "$defs": {"x": {"type": "object", "properties": {}, "additionalProperties": false,
                        "required": []}}})");
}

BOOST_AUTO_TEST_CASE(openai_strict_is_impossible_for_maps_anything_and_scalars) {
    struct expectation {
        boost::json::object schema;
        std::string warning;
    };
    std::vector<expectation> const cases{
        {llmap::json_schema<shop::misc>(),
         "OpenAI strict mode cannot take this schema strictly (#/properties/counts: an object "
         "with additionalProperties (a map) has no strict form); it is sent non-strict"},
        {obj(R"({"type":"object","properties":{"x":{}}})"),
         "OpenAI strict mode cannot take this schema strictly (#/properties/x: a schema that "
         "accepts any value has no strict form); it is sent non-strict"},
        {llmap::json_schema<std::vector<int>>(),
         "OpenAI strict mode cannot take this schema strictly (#: the root is not an object); "
         "it is sent non-strict"},
        {obj(R"({"type":"object","properties":{"x":{"allOf":[{"type":"string"}]}}})"),
         "OpenAI strict mode cannot take this schema strictly (#/properties/x: \"allOf\" is "
         "not supported in strict mode); it is sent non-strict"},
    };
    for (auto const& c : cases) {
        auto const a = llmap::openai_strict_schema(c.schema);
        BOOST_TEST(!a.strict);
        BOOST_TEST(a.schema == c.schema); // unchanged, to be sent non-strict
        BOOST_REQUIRE(a.warnings.size() == 1u);
        BOOST_TEST(a.warnings[0] == c.warning);
    }
}

BOOST_AUTO_TEST_CASE(gemini_drops_what_it_does_not_document) {
    auto const a = llmap::gemini_schema(obj(R"({
        "type": "object",
        "properties": {"s": {"type": "string", "minLength": 1, "pattern": "x", "format": "email"},
                       "k": {"const": "fixed"},
                       "m": {"type": "object", "additionalProperties": {"type": "integer",
                                                                         "minimum": 0}}},
        "required": ["s"],
        "additionalProperties": false})"));
    BOOST_TEST(a.strict);
    check_json(a.schema, R"({
        "type": "object",
        "properties": {"s": {"type": "string", "format": "email"},
                       "k": {"enum": ["fixed"]},
                       "m": {"type": "object", "additionalProperties": {"type": "integer",
                                                                         "minimum": 0}}},
        "required": ["s"],
        "additionalProperties": false})");
    BOOST_REQUIRE(a.warnings.size() == 1u);
    BOOST_TEST(a.warnings[0] == "Gemini does not support minLength, pattern: dropped from the "
                                "schema");
    // What json_schema writes for a recursive type is Gemini's too.
    auto const r = llmap::gemini_schema(llmap::json_schema<shop::forest>());
    BOOST_TEST(r.schema == llmap::json_schema<shop::forest>());
    BOOST_TEST(r.warnings.empty());
}

BOOST_AUTO_TEST_CASE(ollama_takes_everything) {
    auto const s = llmap::json_schema<shop::misc>();
    auto const a = llmap::ollama_schema(s);
    BOOST_TEST(a.strict);
    BOOST_TEST(a.schema == s);
    BOOST_TEST(a.warnings.empty());
}

BOOST_AUTO_TEST_CASE(anthropic_tool_input) {
    // Non-strict: anything with an object root, unchanged.
    auto const loose = llmap::anthropic_tool_schema(llmap::json_schema<shop::misc>());
    BOOST_TEST(!loose.strict);
    BOOST_TEST(loose.warnings.empty());
    BOOST_TEST(loose.schema == llmap::json_schema<shop::misc>());
    // A scalar root is refused by the API (recorded: "input_schema.type: Input should be
    // 'object'"), strict or not.
    for (bool strict : {false, true}) {
        auto const scalar = llmap::anthropic_tool_schema(obj(R"({"type":"string"})"), strict);
        BOOST_TEST(!scalar.strict);
        BOOST_TEST(scalar.warnings.size() == 1u);
    }
    auto const any_of =
        llmap::anthropic_tool_schema(llmap::json_schema<std::variant<bool, std::string>>(), true);
    BOOST_TEST(!any_of.strict);
    // A root with properties and no type gets its type.
    auto const untyped =
        llmap::anthropic_tool_schema(obj(R"({"properties":{"a":{"type":"string"}}})"));
    check_json(untyped.schema, R"({"type":"object","properties":{"a":{"type":"string"}}})");

    // Strict: optional members stay optional (the recorded strict tools accept them),
    // numeric limits go.
    auto const a = llmap::anthropic_tool_schema(llmap::json_schema<shop::item>(), true);
    BOOST_TEST(a.strict);
    check_json(a.schema, R"({
        "type": "object",
        "description": "One line of an order.",
        "properties": {
            "name": {"type": "string", "description": "What to buy", "pattern": "^[a-z]+$"},
            "qty": {"type": "integer", "description": "How many"},
            "tint": {"type": "string", "description": "A primary colour.",
                     "enum": ["red", "green", "blue"]}
        },
        "required": ["name", "qty"],
        "additionalProperties": false})");
    BOOST_REQUIRE(a.warnings.size() == 1u);
    BOOST_TEST(a.warnings[0] == "Anthropic strict mode does not support maximum, minLength, "
                                "minimum: dropped from the schema");

    auto const rec = llmap::anthropic_tool_schema(llmap::json_schema<shop::node>(), true);
    BOOST_TEST(!rec.strict);
    BOOST_TEST(rec.warnings.at(0) == "Anthropic strict mode cannot take this schema strictly (the "
                                     "schema is recursive); it is sent non-strict");
    BOOST_TEST(!llmap::anthropic_tool_schema(llmap::json_schema<shop::forest>(), true).strict);
    auto const map = llmap::anthropic_tool_schema(llmap::json_schema<shop::misc>(), true);
    BOOST_TEST(!map.strict);
    BOOST_TEST(map.schema == llmap::json_schema<shop::misc>());
}

BOOST_AUTO_TEST_SUITE_END()
