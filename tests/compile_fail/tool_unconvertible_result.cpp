// A tool's result must be a string, void or a type Boost.JSON converts.
// llmap-expect-first: llmap::make_tool: the tool's result must be a string, void, or a type
#include <llmap/tools.hpp>

#include <boost/describe/class.hpp>

struct opaque {
    int secret;
};

struct reading {
    int secret;
};
BOOST_DESCRIBE_STRUCT(reading, (), (secret))

auto make() {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    return llmap::make_tool<"read">("Read it.", [] { return opaque{42}; });
#else
    return llmap::make_tool<"read">("Read it.", [] { return reading{42}; });
#endif
}
