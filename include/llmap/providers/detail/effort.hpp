//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_DETAIL_EFFORT_HPP
#define LLMAP_PROVIDERS_DETAIL_EFFORT_HPP

#include <llmap/types/request.hpp>

namespace llmap::detail {

/** A provider's thinking-token budget for each `reasoning_effort` above `none` (which is 0:
    thinking off). The rule is one; the numbers are each provider's.
*/
struct effort_budgets {
    int minimal;
    int low;
    int medium;
    int high;

    constexpr int operator()(reasoning_effort e) const noexcept {
        switch (e) {
        case reasoning_effort::none:
            return 0;
        case reasoning_effort::minimal:
            return minimal;
        case reasoning_effort::low:
            return low;
        case reasoning_effort::medium:
            return medium;
        case reasoning_effort::high:
            return high;
        }
        return 0;
    }
};

} // namespace llmap::detail

#endif
