//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_DETAIL_FUNCTION_REF_HPP
#define LLMAP_DETAIL_FUNCTION_REF_HPP

#include <concepts>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

namespace llmap::detail {

template <class Signature>
class function_ref;

/** A non-owning reference to a callable (as P0792 `std::function_ref`).

    Two words, never allocates; the referenced callable must outlive the call it is passed
    to, which is how stream handlers are used (the handler lives in the caller's frame).
*/
template <class R, class... Args>
class function_ref<R(Args...)> {
public:
    template <class F>
    requires(!std::same_as<std::remove_cvref_t<F>, function_ref> &&
             std::is_invocable_r_v<R, F&, Args...>) function_ref(F&& f)
    noexcept // NOLINT: implicit by design, as std::function_ref
        : object_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
          call_([](void* o, Args... args) -> R {
              return std::invoke(*static_cast<std::remove_reference_t<F>*>(o),
                                 std::forward<Args>(args)...);
          }) {}

    R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

private:
    void* object_;
    R (*call_)(void*, Args...);
};

} // namespace llmap::detail

#endif
