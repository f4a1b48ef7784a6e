// A tool name the providers refuse (a space here) does not compile; the error names it.
// (Clang 14 prints a fixed_string template argument as its character codes.)
// llmap-expect-first: llmap::make_tool: a tool name is 1 to 64 letters, digits, '_' or '-'
// llmap-expect-gcc: require_valid_tool_name<false, llmap::fixed_string<11>{"get weather"}>
// llmap-expect-clang: require_valid_tool_name<false, {{103, 101, 116, 32, 119,
#include <llmap/tools.hpp>

#include <string>

auto make() {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    return llmap::make_tool<"get weather">("The weather.", [] { return std::string("sunny"); });
#else
    return llmap::make_tool<"get_weather">("The weather.", [] { return std::string("sunny"); });
#endif
}
