// A map whose keys are not strings has no schema (JSON object keys are strings).
// llmap-expect-first: llmap: a map has a JSON schema only with std::string keys
// llmap-expect: llmap: a map has a JSON schema only with std::string keys
// llmap-expect: unsupported_type<std::map<int
#include <llmap/schema.hpp>

#include <map>
#include <string>

#ifndef LLMAP_COMPILE_FAIL_CONTROL
using table = std::map<int, std::string>;
#else
using table = std::map<std::string, std::string>;
#endif

boost::json::object f() {
    return llmap::json_schema<table>();
}
