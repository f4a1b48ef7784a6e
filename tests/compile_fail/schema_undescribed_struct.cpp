// A struct without BOOST_DESCRIBE_STRUCT has no schema; the type is named.
// llmap-expect-first: llmap: a struct needs BOOST_DESCRIBE_STRUCT
// llmap-expect: llmap: a struct needs BOOST_DESCRIBE_STRUCT
// llmap-expect: unsupported_type<plain>
#include <llmap/schema.hpp>

#include <string>

struct plain {
    std::string text;
};
#ifdef LLMAP_COMPILE_FAIL_CONTROL
BOOST_DESCRIBE_STRUCT(plain, (), (text))
#endif

boost::json::object f() {
    return llmap::json_schema<plain>();
}
