//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Structured data out of free text: the fields of a described struct, filled in by the model.
//
//   extract [MODEL_ID [TEXT]]      default: openai:gpt-4o
//
// The model is made to call a `submit` tool whose arguments are the struct (its JSON schema
// derived from the struct), which works with every model that calls tools; llmap checks the
// answer against the struct and parses it. The fields go to standard output, one a line;
// errors go to standard error, with exit status 1.

#include <llmap/llmap.hpp>

#include <cstdio>
#include <string>

struct person {
    std::string first_name;
    std::string last_name;
    std::string job;
};
BOOST_DESCRIBE_STRUCT(person, (), (first_name, last_name, job))

int main(int argc, char** argv) try {
    llmap::default_registry const reg{llmap::from_env};
    llmap::any_model model = reg.make(argc > 1 ? argv[1] : "openai:gpt-4o");
    char const* text =
        argc > 2 ? argv[2] : "Hello, my name is Ada Lovelace and I work as a mathematician.";
    auto const got = llmap::generate<person>(
        model, {.system = "Extract the person described in the user's text.", .prompt = text},
        {.mode = llmap::output_mode::tool,
         .name = "submit",
         .description = "Submit the data extracted from the text."});
    std::printf("first name: %s\nlast name: %s\njob: %s\n", got.value.first_name.c_str(),
                got.value.last_name.c_str(), got.value.job.c_str());
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "extract: %s\n", e.what());
    return 1;
}
