// Every element of a toolset is a tool made by make_tool (or one dynamic_tools).
// llmap-expect-first: llmap::toolset: every element must be a tool made by llmap::make_tool
#include <llmap/tools.hpp>

#include <string>

auto make() {
    return llmap::toolset{
        llmap::make_tool<"utc_time">("The current UTC time.", [] { return std::string("12:00"); }),
#ifndef LLMAP_COMPILE_FAIL_CONTROL
        std::string("not a tool"),
#else
        llmap::dynamic_tools{},
#endif
    };
}
