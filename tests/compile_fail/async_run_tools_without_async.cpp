// An asynchronous tool loop needs a model with async_complete: refused at compile time.
// llmap-expect-first: llmap::async_run_tools: this model type has no async_complete(request, token)
#include <llmap/any_model.hpp>
#include <llmap/tool_loop.hpp>

#include "../support/test_providers.hpp"

#include <boost/asio/use_future.hpp>

#include <string>

using providers = llmap::registry<test::chat_only_provider>;

void f(const providers& reg) {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    auto m = reg.model<"chat-only:c1">();
#else
    llmap::any_model m = reg.make("chat-only:c1");
#endif
    auto tools = llmap::toolset{
        llmap::make_tool<"utc_time">("The current UTC time.", [] { return std::string("12:00"); }),
    };
    auto done = llmap::async_run_tools(m, {.prompt = "What time is it?"}, std::move(tools), {},
                                       boost::asio::use_future);
    (void)done;
}
