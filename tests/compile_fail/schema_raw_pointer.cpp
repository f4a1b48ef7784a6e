// A raw pointer member has no schema, in json_schema and in from_json alike.
// llmap-expect-first: llmap: a raw pointer has no JSON schema
// llmap-expect: llmap: a raw pointer has no JSON schema
// llmap-expect: unsupported_type<
#include <llmap/from_json.hpp>
#include <llmap/schema.hpp>

#include <optional>

struct holder {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    int* value;
#else
    std::optional<int> value;
#endif
};
BOOST_DESCRIBE_STRUCT(holder, (), (value))

holder f(const boost::json::value& v) {
    return llmap::from_json<holder>(v);
}
