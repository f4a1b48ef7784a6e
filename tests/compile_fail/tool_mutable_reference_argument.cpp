// A tool's argument is parsed from the model's call: the callable takes it by value or by
// const reference, never by a reference it could write through.
// llmap-expect-first: llmap::make_tool: take the tool's argument by value or by const reference
#include <llmap/tools.hpp>

#include <boost/describe.hpp>

#include <string>

struct add_args {
    int x;
    int y;
};
BOOST_DESCRIBE_STRUCT(add_args, (), (x, y))

auto f() {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    return llmap::make_tool<"add">("Add two integers.", [](add_args& a) { return a.x + a.y; });
#else
    return llmap::make_tool<"add">("Add two integers.",
                                   [](const add_args& a) { return a.x + a.y; });
#endif
}
