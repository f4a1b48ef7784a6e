//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Ask several questions at once: one coroutine per prompt, all on this thread's io_context,
// the requests in flight together.
//
//   async_chat MODEL_ID PROMPT...     e.g. async_chat openai:gpt-4.1-mini "Hi" "What is 2+2?"
//
// Each answer is printed as "[n] text" in the order of the prompts, once all have arrived.
// The exit status is 1 if any request failed.

#include <llmap/llmap.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace asio = boost::asio;

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: async_chat MODEL_ID PROMPT...\n");
        return 2;
    }
    asio::io_context ioc;
    try {
        llmap::default_registry const reg{llmap::from_env};
        llmap::any_model model = reg.make(argv[1]);
        std::vector<std::string> answers(static_cast<std::size_t>(argc - 2));
        int failed = 0;
        for (std::size_t i = 0; i < answers.size(); ++i) {
            asio::co_spawn(
                ioc,
                [&, i]() -> asio::awaitable<void> {
                    // A named request: see the README on GCC 12 and temporaries in co_await.
                    llmap::request const req{.prompt = argv[i + 2]};
                    llmap::response r = co_await model.async_complete(req, asio::use_awaitable);
                    answers[i] = r.text();
                },
                [&, i](std::exception_ptr e) {
                    if (!e)
                        return;
                    try {
                        std::rethrow_exception(e);
                    } catch (const std::exception& x) {
                        answers[i] = std::string("error: ") + x.what();
                        ++failed;
                    }
                });
        }
        ioc.run(); // until every coroutine is done
        for (std::size_t i = 0; i < answers.size(); ++i)
            std::printf("[%zu] %s\n", i + 1, answers[i].c_str());
        return failed ? 1 : 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "async_chat: %s\n", e.what());
        return 1;
    }
}
