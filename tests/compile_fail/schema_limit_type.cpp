// A limit that does not fit the member's type (a string length on a number) does not compile.
// clang-format off
// llmap-expect-first-gcc: call to non-'constexpr' function 'void llmap::detail::llmap_schema_limit
// llmap-expect-first-clang: call to consteval function 'llmap::detail::make_schema_doc
// llmap-expect: llmap_schema_limit_does_not_apply_to_this_member_type
// clang-format on
#include <llmap/schema.hpp>

namespace app {
struct args {
    int days;
};
BOOST_DESCRIBE_STRUCT(args, (), (days))
#ifndef LLMAP_COMPILE_FAIL_CONTROL
LLMAP_DESCRIBE_SCHEMA(args, "Arguments.", (days, "Days", {.max_length = 7}))
#else
LLMAP_DESCRIBE_SCHEMA(args, "Arguments.", (days, "Days", {.maximum = 7}))
#endif
} // namespace app

boost::json::object f() {
    return llmap::json_schema<app::args>();
}
