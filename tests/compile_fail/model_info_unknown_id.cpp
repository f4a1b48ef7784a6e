// llmap::model_info of an id the catalog lacks is a compile error that says so first, then
// names the id (a string under GCC, a character pack under Clang 14, which prints a
// fixed_string template argument as numbers). Only model_info refuses an unknown id: the
// registry takes any, as new models ship every week.
// llmap-expect-first: llmap: model_info: the model id is not in the catalog
// llmap-expect: llmap: model_info: this id
// llmap-expect-gcc: model_id_not_in_catalog<llmap::fixed_string<12>{"openai:gpt-9"}>
// llmap-expect-clang: model_id_not_in_catalog<'o', 'p', 'e', 'n', 'a', 'i', ':', 'g', 'p', 't'
#include <llmap/catalog.hpp>

#ifndef LLMAP_COMPILE_FAIL_CONTROL
constexpr auto window = llmap::model_info<"openai:gpt-9">.context_window;
#else
constexpr auto window = llmap::model_info<"openai:gpt-4o">.context_window;
#endif
static_assert(sizeof(window) != 0);
