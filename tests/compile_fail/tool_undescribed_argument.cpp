// The argument of a tool must be a described struct (its schema comes from the description).
// llmap-expect-first: llmap::make_tool: the argument of a tool must be a struct described with
#include <llmap/tools.hpp>

#include <boost/describe/class.hpp>

struct count_args {
    int n;
};
BOOST_DESCRIBE_STRUCT(count_args, (), (n))

auto make() {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    return llmap::make_tool<"twice">("Twice a number.", [](int n) { return 2 * n; });
#else
    return llmap::make_tool<"twice">("Twice a number.", [](count_args a) { return 2 * a.n; });
#endif
}
