// A generic lambda has no parameter type to derive the tool's schema from.
// llmap-expect-first: llmap::make_tool: the callable must have one call operator whose
#include <llmap/tools.hpp>

#include <boost/describe/class.hpp>

#include <string>

struct weather_args {
    std::string city;
};
BOOST_DESCRIBE_STRUCT(weather_args, (), (city))

auto make() {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    return llmap::make_tool<"get_weather">("The weather.", [](auto) { return 21.5; });
#else
    return llmap::make_tool<"get_weather">("The weather.", [](weather_args) { return 21.5; });
#endif
}
