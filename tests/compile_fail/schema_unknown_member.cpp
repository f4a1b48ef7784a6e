// A description for a member the struct does not describe does not compile; the name is shown.
// llmap-expect-first: llmap: LLMAP_DESCRIBE_SCHEMA: no described member of that name
// llmap-expect: llmap: LLMAP_DESCRIBE_SCHEMA: no described member of that name
// llmap-expect: no_described_member_named<'c', 'i', 't', 't', 'y'>
#include <llmap/schema.hpp>

#include <string>

namespace app {
struct weather_args {
    std::string city;
};
BOOST_DESCRIBE_STRUCT(weather_args, (), (city))
#ifndef LLMAP_COMPILE_FAIL_CONTROL
LLMAP_DESCRIBE_SCHEMA(weather_args, "Arguments.", (citty, "The city"))
#else
LLMAP_DESCRIBE_SCHEMA(weather_args, "Arguments.", (city, "The city"))
#endif
} // namespace app

boost::json::object f() {
    return llmap::json_schema<app::weather_args>();
}
