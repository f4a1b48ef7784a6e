//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// A request whose answer schema and tool definitions come from C++ types (json_schema<T>,
// make_tool): the conformance tests send it to every provider's OpenAPI spec, so that what
// the typed layer produces (after each provider's schema dialect) is a valid request.

#ifndef LLMAP_TESTS_SUPPORT_TYPED_SCENARIO_HPP
#define LLMAP_TESTS_SUPPORT_TYPED_SCENARIO_HPP

#include <llmap/schema.hpp>
#include <llmap/tools.hpp>
#include <llmap/types.hpp>

#include <boost/describe.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace test::typed {

enum class sky { clear, cloudy, rain };
BOOST_DESCRIBE_ENUM(sky, clear, cloudy, rain)

struct reading {
    double celsius;
    sky now;
};
BOOST_DESCRIBE_STRUCT(reading, (), (celsius, now))

struct city_report {
    std::string name;
    std::optional<int> population; // optional: required and nullable in OpenAI's strict mode
    std::vector<std::string> districts;
    reading weather;
    std::map<std::string, int> counts; // a map: no strict form, sent non-strict
};
BOOST_DESCRIBE_STRUCT(city_report, (), (name, population, districts, weather, counts))

struct weather_args {
    std::string city;
    std::optional<std::string> unit;
};
BOOST_DESCRIBE_STRUCT(weather_args, (), (city, unit))

/// The typed request: a schema from `city_report`, two tools from C++ callables.
inline llmap::request scenario() {
    auto tools = llmap::toolset{
        llmap::make_tool<"get_weather">("Current weather for a city.",
                                        [](const weather_args&) {
                                            return reading{21.5, sky::clear};
                                        }),
        llmap::make_tool<"utc_time">("The current UTC time.", [] { return std::string("12:00"); }),
    };
    return llmap::request{
        .prompt = "Report on Paris.",
        .tools = tools.definitions(),
        .format =
            llmap::response_format::json_schema("city_report", llmap::json_schema<city_report>()),
    };
}

} // namespace test::typed

#endif
