// Two tools of one name in a toolset do not compile; the error names the name.
// (Clang 14 prints a fixed_string template argument as its character codes.)
// llmap-expect-first: llmap::toolset: two tools have the same name
// llmap-expect-gcc: require_distinct_tool_names<false, llmap::fixed_string<8>{"utc_time"}>
// llmap-expect-clang: require_distinct_tool_names<false, {{117, 116, 99, 95, 116, 105, 109, 101}}>
#include <llmap/tools.hpp>

#include <string>

auto make() {
    return llmap::toolset{
        llmap::make_tool<"utc_time">("The current UTC time.", [] { return std::string("12:00"); }),
#ifndef LLMAP_COMPILE_FAIL_CONTROL
        llmap::make_tool<"utc_time">("The local time.", [] { return std::string("14:00"); }),
#else
        llmap::make_tool<"local_time">("The local time.", [] { return std::string("14:00"); }),
#endif
    };
}
