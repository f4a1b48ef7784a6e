//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Embed texts and compare them.
//
//   embeddings TEXT...             needs OPENAI_API_KEY (model text-embedding-3-small)
//
// Prints one line per text (its dimension and first values), then the cosine similarity of
// every pair.

#include <llmap/llmap.hpp>

#include <cmath>
#include <cstdio>

namespace {

double cosine(const std::vector<float>& a, const std::vector<float>& b) {
    double dot = 0, na = 0, nb = 0;
    for (std::size_t i = 0; i != a.size() && i != b.size(); ++i) {
        dot += double(a[i]) * b[i];
        na += double(a[i]) * a[i];
        nb += double(b[i]) * b[i];
    }
    return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0.0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: embeddings TEXT...\n");
        return 2;
    }
    try {
        llmap::registry<llmap::openai> const reg{llmap::from_env};
        auto model = reg.model<"openai:text-embedding-3-small">();
        llmap::embedding_request req;
        for (int i = 1; i < argc; ++i)
            req.inputs.emplace_back(argv[i]);
        auto const r = llmap::embed(model, req); // does not compile for a model without embed
        for (std::size_t i = 0; i != r.vectors.size(); ++i) {
            auto const& v = r.vectors[i];
            std::printf("%zu: %zu dimensions [%.6f, %.6f, ...]\n", i, v.size(),
                        v.empty() ? 0.0 : v[0], v.size() < 2 ? 0.0 : v[1]);
        }
        for (std::size_t i = 0; i != r.vectors.size(); ++i)
            for (std::size_t j = i + 1; j != r.vectors.size(); ++j)
                std::printf("cosine(%zu, %zu) = %.6f\n", i, j, cosine(r.vectors[i], r.vectors[j]));
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "embeddings: %s\n", e.what());
        return 1;
    }
}
