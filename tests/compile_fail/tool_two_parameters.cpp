// A tool takes its arguments as one struct, not as several parameters.
// llmap-expect-first: llmap::make_tool: the callable must take no argument or one
#include <llmap/tools.hpp>

#include <boost/describe/class.hpp>

#include <string>

struct weather_args {
    std::string city;
    std::string unit;
};
BOOST_DESCRIBE_STRUCT(weather_args, (), (city, unit))

auto make() {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    return llmap::make_tool<"get_weather">(
        "The weather.", [](const std::string& city, const std::string&) { return city; });
#else
    return llmap::make_tool<"get_weather">("The weather.",
                                           [](const weather_args& a) { return a.city; });
#endif
}
