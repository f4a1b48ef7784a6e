//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_AZURE_HPP
#define LLMAP_PROVIDERS_AZURE_HPP

#include <llmap/providers/openai.hpp>

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <string>
#include <string_view>

namespace llmap {

/** Azure OpenAI: Chat Completions on a deployment,
    `{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=...`, with the
    key in the `api-key` header. The model part of an id is the deployment's name
    (`azure:my-gpt-4o`).

    Configuration: the endpoint (`https://RESOURCE.openai.azure.com`) from `AZURE_BASE_URL` or
    `AZURE_OPENAI_ENDPOINT`, the key from `AZURE_API_KEY` or `AZURE_OPENAI_API_KEY`, the API
    version from `AZURE_OPENAI_API_VERSION` (default `2024-10-21`). With an explicit
    configuration, give the version as the base URL's query:
    `https://RESOURCE.openai.azure.com?api-version=2025-01-01-preview`.
*/
class azure {
public:
    using chat_model = openai_api::chat_model;

    static constexpr fixed_string name = "azure";
    static constexpr std::string_view default_model = "gpt-4o";
    static constexpr std::string_view default_api_version = "2024-10-21";
    static constexpr openai_api::chat_dialect dialect{.name = "azure",
                                                      .openai_reasoning_models = true};

    explicit azure(const provider_config& c)
        : config_(c),
          client_(std::make_shared<const detail::lazy_client>(c.transport, c.executor)) {
        std::string const& url = c.base_url;
        auto const q = url.find('?');
        base_ = url.substr(0, q);
        while (!base_.empty() && base_.back() == '/')
            base_.pop_back();
        query_ = q == std::string::npos ? "?api-version=" + std::string(default_api_version)
                                        : url.substr(q);
    }

    static void apply_env(provider_config& c) {
        if (c.api_key.empty())
            c.api_key = detail::getenv_or_empty("AZURE_OPENAI_API_KEY");
        if (c.base_url.empty())
            c.base_url = detail::getenv_or_empty("AZURE_OPENAI_ENDPOINT");
        if (auto v = detail::getenv_or_empty("AZURE_OPENAI_API_VERSION");
            !v.empty() && c.base_url.find('?') == std::string::npos)
            c.base_url += "?api-version=" + v;
    }

    /// The model of deployment `deployment`: its name is percent-encoded into the path (all
    /// but letters, digits, `-`, `.`, `_` and `~`), so an id can never change the URL's
    /// structure.
    chat_model model(std::string_view deployment) const {
        std::vector<std::pair<std::string, std::string>> auth;
        if (!config_.api_key.empty())
            auth.emplace_back("api-key", config_.api_key);
        auto ep = std::make_shared<const detail::endpoint>(
            detail::endpoint_options{
                .provider = std::string(name.view()),
                .base_url = base_ + "/openai/deployments/" +
                            boost::urls::encode(deployment, boost::urls::unreserved_chars),
                .auth = std::move(auth),
                .key = config_.api_key,
                .query = query_,
                .client = client_},
            config_);
        return {std::move(ep), &dialect, std::string(deployment)};
    }

private:
    provider_config config_;
    std::shared_ptr<const detail::lazy_client> client_;
    std::string base_;
    std::string query_;
};

} // namespace llmap

#endif
