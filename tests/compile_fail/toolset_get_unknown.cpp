// toolset::get with a name not in the set does not compile; the error names the name.
// (Clang 14 prints a fixed_string template argument as its character codes.)
// llmap-expect-first: llmap::toolset: no tool of this name in the toolset
// llmap-expect-gcc: require_known_tool<false, llmap::fixed_string<8>{"utc_tmie"}>
// llmap-expect-clang: require_known_tool<false, {{117, 116, 99, 95, 116, 109, 105, 101}}>
#include <llmap/tools.hpp>

#include <string>

std::string describe() {
    auto tools = llmap::toolset{
        llmap::make_tool<"utc_time">("The current UTC time.", [] { return std::string("12:00"); }),
    };
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    return tools.get<"utc_tmie">().description();
#else
    return tools.get<"utc_time">().description();
#endif
}
