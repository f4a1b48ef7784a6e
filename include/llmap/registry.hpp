//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_REGISTRY_HPP
#define LLMAP_REGISTRY_HPP

#include <llmap/any_model.hpp>
#include <llmap/concepts.hpp>
#include <llmap/config.hpp>
#include <llmap/detail/name_table.hpp>
#include <llmap/error.hpp>
#include <llmap/fixed_string.hpp>
#include <llmap/id.hpp>

#include <boost/assert/source_location.hpp>
#include <boost/hana/at_key.hpp>
#include <boost/hana/map.hpp>
#include <boost/hana/pair.hpp>
#include <boost/hana/string.hpp>
#include <boost/system/result.hpp>
#include <boost/throw_exception.hpp>

#include <array>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace llmap {

// Fallback chains (<llmap/fallback.hpp> defines them, and the registry's members that make
// them: a program that makes none does not compile them).
struct fallback_options;

/** Register provider `P` under the name `Name` instead of its own.

    For aliases, and for several endpoints of one kind of provider in one registry.

    @par Example
    @code
    using providers = llmap::registry<llmap::openai, llmap::as<"local", llmap::llama_cpp>>;
    @endcode
*/
template <fixed_string Name, provider_implementation P>
struct as {
    using provider_type = P;
    static constexpr fixed_string name = Name;
};

/// Configuration for one provider, by registry name (for the registry's constructor).
struct named_config {
    std::string_view name;
    provider_config config;
};

/** Builds a model for a provider added at run time: called with the model part of the id
    (empty when the id names the provider alone: the factory picks its default) and the
    provider's configuration.
*/
using model_factory = std::function<any_model(std::string_view model, const provider_config&)>;

/** The error of a `boost::system::result` returned by llmap (`registry::try_make`).

    An `llmap::error`, so it keeps the code and the whole message that the throwing form would
    have thrown (which id, which providers exist). It adds what Boost 1.81's `result` needs of
    its error type, a default constructor (the empty error: no code, no message), and what an
    `error_code` user expects: comparison with an `llmap::errc` and `message()`.
    `result::value()` on an error throws it as an `llmap::error`.

    @par Example
    @code
    auto r = reg.try_make(id);
    if (!r) {
        if (r.error() == llmap::errc::unknown_provider)
            std::cerr << r.error().what() << '\n'; // lists the known providers
    }
    @endcode
*/
class result_error : public error {
public:
    /// The empty error: a default `error_code` and an empty message.
    result_error() : error(boost::system::error_code{}, std::string{}) {}

    /// Keep an `llmap::error`, with its message and provider details.
    result_error(error e) noexcept // NOLINT: implicit by design
        : error(std::move(e)) {
        static_assert(std::is_nothrow_move_constructible_v<error>);
    }

    /// The whole message (the same as `what()`).
    std::string message() const { return what(); }

    friend bool operator==(const result_error& e, errc c) noexcept { return e.code() == c; }
};

/// Throws `e` as an `llmap::error` (how `boost::system::result::value()` reports an error;
/// found by argument-dependent lookup).
[[noreturn]] inline void throw_exception_from_error(const result_error& e,
                                                    const boost::source_location& loc) {
    boost::throw_with_location(static_cast<const error&>(e), loc);
}

namespace detail {

// Compile-time diagnostics.
//
// Each check is a class template on the condition, for two reasons. Naming it instantiates it
// at once, so its error comes first (a function template's static_assert would wait until
// the end of the translation unit under GCC, after the errors it should explain). And Clang
// prints a failed static_assert on a plain bool parameter as just the message, with no
// "due to requirement '...'" before it. So the first error line is our message.
//
// A second error names the culprits in its condition, which both compilers print. GCC
// prints a fixed_string template argument as a string (`fixed_string<5>{"opnai"}`); Clang 14
// prints it as numbers (`{{111, 112, ...}}`) but a pack of chars as character literals, so
// for Clang the names are spelled as packs.

template <bool Known>
struct check_provider_known {
    static_assert(Known, "llmap: unknown provider: this registry has no provider of that name (the "
                         "next error names it and the known ones)");
};

template <bool Distinct>
struct check_distinct_names {
    static_assert(Distinct, "llmap: two providers in one registry have the same name (the next "
                            "error names it); register one of them under another name with "
                            "llmap::as<\"name\", P>");
};

template <bool Valid>
struct check_provider_names_valid {
    static_assert(Valid, "llmap: a provider name must be non-empty and use only ASCII letters, "
                         "digits, '.', '_' and '-' (the next error names it)");
};

template <bool IsProvider>
struct check_entry_is_provider {
    static_assert(IsProvider, "llmap: a registry entry must be a provider (a type with a static "
                              "llmap::fixed_string name, see llmap::provider) or "
                              "llmap::as<name, P>");
};

template <bool NotEmpty, bool HasProvider, bool HasModel, bool ProviderChars, bool ModelChars>
struct check_model_id {
    static_assert(NotEmpty, "llmap: malformed model id: the id is empty");
    static_assert(HasProvider,
                  "llmap: malformed model id: the provider part (before the first ':') is empty");
    static_assert(HasModel, "llmap: malformed model id: the model part (after the first ':') is "
                            "empty; name the provider alone for its default model");
    static_assert(ProviderChars, "llmap: malformed model id: a provider name may only contain "
                                 "ASCII letters, digits, '.', '_' and '-'");
    static_assert(ModelChars,
                  "llmap: malformed model id: the model part contains a control character");
};

#if defined(__clang__)
template <char...>
struct known_providers {};
template <char...>
struct requested_provider {
    template <class Known>
    static constexpr bool is_one_of = false;
};
template <char...>
struct provider_name {
    static constexpr bool is_unique = false;
    static constexpr bool is_valid = false;
};

template <template <char...> class Spelling, fixed_string S, std::size_t... I>
auto spell_as(std::index_sequence<I...>) -> Spelling<S.data_[I]...>;

/// `Spelling<S>` with S's characters as a pack.
template <template <char...> class Spelling, fixed_string S>
using spelled = decltype(spell_as<Spelling, S>(std::make_index_sequence<S.size()>{}));

template <fixed_string S>
using known_providers_t = spelled<known_providers, S>;
template <fixed_string S>
using requested_provider_t = spelled<requested_provider, S>;
template <fixed_string S>
using provider_name_t = spelled<provider_name, S>;
#else
template <fixed_string>
struct known_providers {};
template <fixed_string>
struct requested_provider {
    template <class Known>
    static constexpr bool is_one_of = false;
};
template <fixed_string>
struct provider_name {
    static constexpr bool is_unique = false;
    static constexpr bool is_valid = false;
};

template <fixed_string S>
using known_providers_t = known_providers<S>;
template <fixed_string S>
using requested_provider_t = requested_provider<S>;
template <fixed_string S>
using provider_name_t = provider_name<S>;
#endif

template <bool Known, fixed_string Requested, fixed_string KnownNames>
struct name_unknown_provider {};
template <fixed_string Requested, fixed_string KnownNames>
struct name_unknown_provider<false, Requested, KnownNames> {
    static_assert(
        requested_provider_t<Requested>::template is_one_of<known_providers_t<KnownNames>>,
        "llmap: unknown provider: the requested name and the registry's names");
};

/// The unknown-provider diagnostic: the message, then the names.
template <bool Known, fixed_string Requested, fixed_string KnownNames>
struct require_known_provider : check_provider_known<Known>,
                                name_unknown_provider<Known, Requested, KnownNames> {};

template <bool Distinct, fixed_string Name>
struct name_duplicate {};
template <fixed_string Name>
struct name_duplicate<false, Name> {
    static_assert(provider_name_t<Name>::is_unique,
                  "llmap: two providers in one registry have the same name: this one");
};

template <bool Valid, fixed_string Name>
struct name_invalid {};
template <fixed_string Name>
struct name_invalid<false, Name> {
    static_assert(provider_name_t<Name>::is_valid, "llmap: invalid provider name: this one");
};

/// What the static path returns for an id it refused, so that the refusal is the only error.
struct no_model {};

/// What `provider<Name>()` returns for an unknown name, for the same reason.
struct no_provider {};

/// Refuses an invalid registry name, naming it.
template <fixed_string Name>
struct require_valid_name : check_provider_names_valid<is_valid_provider_name(Name.view())>,
                            name_invalid<is_valid_provider_name(Name.view()), Name> {};

// A placeholder name for an entry that is not a provider, so that the refusal of the entry is
// the only error.
inline constexpr fixed_string not_a_provider_name = "not-a-provider";

template <class E>
struct entry_traits {
    static_assert(sizeof(check_entry_is_provider<provider<E>>) != 0); // instantiates the check
    using provider_type = E;
    static constexpr auto name = [] {
        if constexpr (provider<E>)
            return E::name;
        else
            return not_a_provider_name;
    }();
    static_assert(sizeof(require_valid_name<name>) != 0); // instantiates the check
};

template <fixed_string Name, class P>
struct entry_traits<as<Name, P>> {
    using provider_type = P;
    static constexpr auto name = Name;
    static_assert(sizeof(require_valid_name<name>) != 0); // instantiates the check
};

template <fixed_string S, std::size_t... I>
auto hana_string_of(std::index_sequence<I...>) -> boost::hana::string<S.data_[I]...>;

/// The `boost::hana::string` type spelling S: the key type of the registry's map.
template <fixed_string S>
using key_of = decltype(hana_string_of<S>(std::make_index_sequence<S.size()>{}));

/// Refuses a registry with two providers of one name, naming it.
template <bool Distinct, fixed_string Name>
struct require_distinct_names : check_distinct_names<Distinct>, name_duplicate<Distinct, Name> {};

/// `names` joined with ", ", as a fixed_string of length N (computed by the caller).
template <std::size_t N, std::size_t Count>
constexpr fixed_string<N> join_names(const std::array<std::string_view, Count>& names) {
    char out[N + 1]{};
    std::size_t at = 0;
    for (std::size_t i = 0; i != Count; ++i) {
        if (i != 0) {
            out[at++] = ',';
            out[at++] = ' ';
        }
        for (char c : names[i])
            out[at++] = c;
    }
    return fixed_string<N>(std::string_view(out, N));
}

/// Append `", "`-separated names to a message.
template <class Range>
void append_names(std::string& out, const Range& names) {
    bool first = true;
    for (auto const& n : names) {
        if (!first)
            out += ", ";
        out.append(n.data(), n.size());
        first = false;
    }
}

/// Quote user input in a message, cut to a sane length and with control bytes escaped, so a
/// hostile or huge id cannot flood or corrupt a log line.
inline std::string quoted(std::string_view s) {
    constexpr std::size_t max = 200;
    std::string out = "'";
    for (std::size_t i = 0; i != s.size() && i != max; ++i) {
        auto const c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7f || c == '\\') {
            constexpr char hex[] = "0123456789abcdef";
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    if (s.size() > max)
        out += "...";
    out += "'";
    return out;
}

} // namespace detail

/** A set of providers, keyed by name at compile time, with a runtime fallback.

    `registry<P...>` stores one object of each provider in a `boost::hana::map` keyed by the
    providers' names, and gives three ways to reach a model:

    - **static**: `model<"anthropic:claude-sonnet-4-5">()` resolves at compile time and
      returns the provider's concrete model type; a malformed id or an unknown provider is a
      compile error naming the known providers;
    - **runtime, types kept**: `visit(id, f)` calls `f` with the concrete model of the
      provider the runtime id names (`f` is instantiated once per provider);
    - **runtime, erased**: `make(id)` / `try_make(id)` return an `any_model`, and
      `make_variant(id)` the `variant` of every model type.

    Providers whose name is only known at run time are added with `add`; they always go
    through `any_model`.

    Entries are provider types (with a `static constexpr llmap::fixed_string name`) or
    `llmap::as<"name", P>`; two entries with one name do not compile.

    @par Thread safety
    Distinct objects: safe. Shared object: the `const` members are safe to call
    concurrently; `add` is not safe to call concurrently with anything else.

    @par Example
    @code
    using providers = llmap::registry<llmap::openai, llmap::anthropic>;
    providers reg{llmap::from_env};
    auto claude = reg.model<"anthropic:claude-sonnet-4-5">(); // concrete type
    reg.visit(id, [&](auto& m) { print(m.complete(req)); });
    llmap::any_model m = reg.make(id);
    @endcode
*/
template <class... Entries>
class registry {
    template <std::size_t I>
    using entry_at = std::tuple_element_t<I, std::tuple<detail::entry_traits<Entries>...>>;

    static constexpr std::size_t count = sizeof...(Entries);

    static constexpr std::array<std::string_view, count> names_ = {
        detail::entry_traits<Entries>::name.view()...};

    static constexpr std::size_t duplicate_ = detail::first_duplicate(names_);
    static constexpr auto duplicate_name_ = [] {
        if constexpr (duplicate_ == count)
            return fixed_string("");
        else
            return fixed_string<names_[duplicate_].size()>(names_[duplicate_]);
    }();
    static_assert(sizeof(detail::require_distinct_names<duplicate_ == count, duplicate_name_>) !=
                  0); // instantiates the check

    static constexpr auto table_ = detail::make_name_table(names_);

    // "a, b, c", for the compile-time unknown-provider diagnostic: a function, so that only a
    // program with that error computes it.
    static consteval auto joined_names() {
        return detail::join_names<[] {
            std::size_t n = 0;
            for (auto s : names_)
                n += s.size() + 2;
            return n >= 2 ? n - 2 : 0;
        }()>(names_);
    }

    using storage_type = boost::hana::map<
        boost::hana::pair<detail::key_of<detail::entry_traits<Entries>::name>,
                          typename detail::entry_traits<Entries>::provider_type>...>;

public:
    /// The variant of every model type, in registration order, then `any_model` for the
    /// providers added at run time.
    using variant =
        std::variant<model_type_t<typename detail::entry_traits<Entries>::provider_type>...,
                     any_model>;

    /// The number of providers registered at compile time.
    static constexpr std::size_t size() noexcept { return count; }

    /// The names of the providers registered at compile time, in registration order.
    static constexpr const std::array<std::string_view, count>& names() noexcept { return names_; }

    /// True if a provider of that name is registered at compile time.
    static constexpr bool contains(std::string_view name) noexcept {
        return table_.find(name) >= 0;
    }

    /// Every provider with a default (empty) configuration.
    registry() : registry(default_config{}) {}

    /// Every provider configured from its environment variables (see `llmap::from_env`);
    /// providers added later with `add` are configured from the environment too.
    explicit registry(from_env_t) : registry(env_config{}, std::make_index_sequence<count>{}) {
        from_env_ = true;
    }

    /** Configure providers by name; the providers not named get a default configuration.
        @throws llmap::error `unknown_provider` for a name that is not registered,
        `duplicate_provider` for a name given twice.
    */
    registry(std::initializer_list<named_config> configs)
        : registry(list_config{(check(configs), configs)}, std::make_index_sequence<count>{}) {}

    /// The provider registered as `Name` (a compile error if there is none).
    template <fixed_string Name>
    auto& provider() noexcept {
        if constexpr (contains(Name.view())) {
            return storage_[detail::key_of<Name>{}];
        } else {
            static_assert(sizeof(refuse_unknown<Name>) != 0);
            static detail::no_provider none;
            return none;
        }
    }

    template <fixed_string Name>
    const auto& provider() const noexcept {
        if constexpr (contains(Name.view())) {
            return storage_[detail::key_of<Name>{}];
        } else {
            static_assert(sizeof(refuse_unknown<Name>) != 0);
            static const detail::no_provider none;
            return none;
        }
    }

    /** The model a literal id names, as the provider's concrete model type.

        Resolved entirely at compile time: the result is exactly `provider<P>().model(m)`.
        A malformed id or an unknown provider does not compile.

        @par Example
        @code
        auto claude = reg.model<"anthropic:claude-sonnet-4-5">();
        auto fallback = reg.model<"anthropic">(); // the provider's default model
        @endcode
    */
    template <fixed_string Id>
    auto model() const {
        constexpr parsed_id p = parse_model_id(Id.view());
        if constexpr (p.ok()) {
            constexpr fixed_string<p.provider.size()> name(p.provider);
            if constexpr (contains(name.view())) {
                auto const& prov = provider<name>();
                using P = std::remove_cvref_t<decltype(prov)>;
                return prov.model(p.has_model ? p.model : std::string_view(P::default_model));
            } else {
                static_assert(sizeof(refuse_unknown<name>) != 0);
                return detail::no_model{};
            }
        } else {
            static_assert(
                sizeof(detail::check_model_id<
                       p.error != id_error::empty, p.error != id_error::empty_provider,
                       p.error != id_error::empty_model, p.error != id_error::invalid_provider_char,
                       p.error != id_error::invalid_model_char>) != 0); // instantiates the check
            return detail::no_model{};
        }
    }

    /** A fallback chain of the models literal ids name: a `llmap::fallback_model` over their
        concrete types, which asks each in turn until one answers (see `fallback_model` for
        the rules). Defined by <llmap/fallback.hpp>.

        Fewer than two ids, a malformed id or an unknown provider does not compile.

        @par Example
        @code
        auto m = reg.fallback<"anthropic:claude-sonnet-4-5", "openai:gpt-4o">();
        auto r = m.complete(req); // r.answered_by names the member that answered
        @endcode
    */
    template <fixed_string... Ids>
    auto fallback() const;

    /// A fallback chain with options (which errors pass on, the members' retries).
    template <fixed_string... Ids>
    auto fallback(const fallback_options& options) const;

    /** A fallback chain of the models run-time ids name, erased. Defined by
        <llmap/fallback.hpp>.
        @throws llmap::error `invalid_model_id` or `unknown_provider` as `make`, for the first
        id that does not resolve; `invalid_model_id` for fewer than two ids.
    */
    any_model make_fallback(std::initializer_list<std::string_view> ids) const;
    any_model make_fallback(std::initializer_list<std::string_view> ids,
                            const fallback_options& options) const;

    /// The same, for ids in a range (of strings, or anything a `std::string_view` is made of).
    template <class Ids>
    any_model make_fallback(const Ids& ids) const;
    template <class Ids>
    any_model make_fallback(const Ids& ids, const fallback_options& options) const;

    /** Call `f` with the model a runtime id names.

        For a provider registered at compile time, `f` receives its concrete model type; for
        one added at run time, an `any_model&`. So `f` is instantiated once per provider and
        once for `any_model`, and must return the same type for all of them.

        @throws llmap::error `invalid_model_id` or `unknown_provider` (listing the known
        names); and whatever the provider or `f` throws.
    */
    template <class F>
    decltype(auto) visit(std::string_view id, F&& f) const {
        using R = std::invoke_result_t<F&, any_model&>;
        check_visit_result<F&, R>(std::make_index_sequence<count>{});
        target const t = resolve_or_throw(id);
        if (t.dynamic == nullptr) {
            static constexpr auto table = visit_table<F&, R>(std::make_index_sequence<count>{});
            return table[static_cast<std::size_t>(t.index)](*this, t, f);
        }
        any_model m = t.dynamic->factory(t.model, t.dynamic->config);
        return std::invoke(f, m);
    }

    /** The model a runtime id names, erased.
        @throws llmap::error `invalid_model_id` or `unknown_provider` (listing the known
        names); and whatever the provider throws.
    */
    any_model make(std::string_view id) const {
        target const t = resolve_or_throw(id);
        return make_any(t);
    }

    /** Like `make`, but a malformed id or an unknown provider is returned instead of thrown.

        The error is the `llmap::error` that `make` would throw, with its message (which id,
        which providers exist): `r.error() == llmap::errc::unknown_provider`,
        `r.error().what()`; `r.value()` throws it. An exception thrown by the provider itself
        still propagates. The success path allocates nothing of its own; the error path
        builds the message.

        @par Example
        @code
        auto r = reg.try_make(id);
        if (!r)
            return log(r.error().what());
        r->complete(req);
        @endcode
    */
    boost::system::result<any_model, result_error> try_make(std::string_view id) const {
        boost::system::error_code ec;
        target const t = resolve(id, ec);
        if (ec)
            return resolve_error(id, ec);
        return make_any(t);
    }

    /** The model a runtime id names, in the `variant` of every model type (the "enum"
        dispatch): alternative I for the I-th provider, `any_model` for one added at run time.
        @throws llmap::error as `make`.
    */
    variant make_variant(std::string_view id) const {
        target const t = resolve_or_throw(id);
        if (t.dynamic == nullptr) {
            static constexpr auto table = variant_table(std::make_index_sequence<count>{});
            return table[static_cast<std::size_t>(t.index)](*this, t);
        }
        return variant(std::in_place_index<count>, t.dynamic->factory(t.model, t.dynamic->config));
    }

    /** Register a provider whose name is only known at run time.

        Its models are always `any_model`s. It is configured from the environment if this
        registry was built with `llmap::from_env`, else with a default configuration.

        @throws llmap::error `invalid_model_id` if `name` is not a valid provider name,
        `duplicate_provider` if the name is already registered (at compile time or run time).
    */
    void add(std::string_view name, model_factory factory) {
        provider_config c = from_env_ ? config_from_env(name) : provider_config{};
        add(name, std::move(factory), std::move(c));
    }

    /// Register a provider at run time with an explicit configuration.
    void add(std::string_view name, model_factory factory, provider_config config) {
        if (!is_valid_provider_name(name))
            throw error(errc::invalid_model_id,
                        "llmap: invalid provider name " + detail::quoted(name) +
                            ": it must be non-empty and use only ASCII letters, digits, '.', "
                            "'_' and '-'");
        if (contains(name) || find_dynamic(name) != nullptr)
            throw error(errc::duplicate_provider, "llmap: a provider named " +
                                                      detail::quoted(name) +
                                                      " is already registered");
        if (!factory)
            throw error(errc::invalid_model_id,
                        "llmap: the factory of provider " + detail::quoted(name) + " is empty");
        dynamic_.push_back({std::string(name), std::move(factory), std::move(config)});
    }

    /// True if a provider of that name is registered, at compile time or run time.
    bool knows(std::string_view name) const noexcept {
        return contains(name) || find_dynamic(name) != nullptr;
    }

    /// Every registered name: the compile-time ones, then those added at run time.
    std::vector<std::string_view> all_names() const {
        std::vector<std::string_view> out(names_.begin(), names_.end());
        for (auto const& d : dynamic_)
            out.emplace_back(d.name);
        return out;
    }

private:
    struct dynamic_entry {
        std::string name;
        model_factory factory;
        provider_config config;
    };

    // What an id resolves to: a compile-time provider's index, or a runtime entry.
    struct target {
        int index = -1;
        const dynamic_entry* dynamic = nullptr;
        std::string_view model;
        bool has_model = false;
    };

    struct default_config {
        provider_config operator()(std::string_view) const { return {}; }
    };
    struct env_config {
        provider_config operator()(std::string_view name) const { return config_from_env(name); }
    };
    struct list_config {
        std::initializer_list<named_config> list;
        provider_config operator()(std::string_view name) const {
            for (auto const& c : list)
                if (c.name == name)
                    return c.config;
            return {};
        }
    };

    explicit registry(default_config d) : registry(d, std::make_index_sequence<count>{}) {}

    template <class Source, std::size_t... I>
    registry([[maybe_unused]] Source source, std::index_sequence<I...>) // unused if empty
        : storage_(boost::hana::make_pair(
              detail::key_of<entry_at<I>::name>{},
              make_provider<typename entry_at<I>::provider_type>(source, names_[I]))...) {}

    template <class P, class Source>
    static P make_provider(const Source& source, std::string_view name) {
        provider_config c = source(name);
        // A provider may read customary variables of its own (OLLAMA_HOST, ...).
        if constexpr (std::is_same_v<Source, env_config> && requires { P::apply_env(c); })
            P::apply_env(c);
        return P(c);
    }

    static void check(std::initializer_list<named_config> list) {
        for (auto it = list.begin(); it != list.end(); ++it) {
            if (!contains(it->name))
                throw error(errc::unknown_provider,
                            "llmap: configuration given for unknown provider " +
                                detail::quoted(it->name) +
                                "; known providers: " + static_known_list());
            for (auto jt = list.begin(); jt != it; ++jt)
                if (jt->name == it->name)
                    throw error(errc::duplicate_provider,
                                "llmap: configuration given twice for " + detail::quoted(it->name));
        }
    }

    // Refuses the unknown provider Name at compile time, naming the known ones, when
    // instantiated (with sizeof; see detail::check_provider_known for why a class).
    template <fixed_string Name>
    using refuse_unknown = detail::require_known_provider<false, Name, joined_names()>;

    const dynamic_entry* find_dynamic(std::string_view name) const noexcept {
        for (auto const& d : dynamic_)
            if (d.name == name)
                return &d;
        return nullptr;
    }

    target resolve(std::string_view id, boost::system::error_code& ec) const noexcept {
        target t;
        parsed_id const p = parse_model_id(id);
        if (!p.ok()) {
            ec = errc::invalid_model_id;
            return t;
        }
        t.model = p.model;
        t.has_model = p.has_model;
        t.index = table_.find(p.provider);
        if (t.index < 0) {
            t.dynamic = find_dynamic(p.provider);
            if (t.dynamic == nullptr)
                ec = errc::unknown_provider;
        }
        return t;
    }

    target resolve_or_throw(std::string_view id) const {
        boost::system::error_code ec;
        target const t = resolve(id, ec);
        if (ec)
            throw_resolve_error(id, ec);
        return t;
    }

    // Cold and out of line: building the message must not weigh on the lookup's inlining.
    [[noreturn, gnu::cold, gnu::noinline]] void
    throw_resolve_error(std::string_view id, boost::system::error_code ec) const {
        throw resolve_error(id, ec);
    }

    // The error of an id that does not resolve, with its message.
    [[gnu::cold, gnu::noinline]] error resolve_error(std::string_view id,
                                                     boost::system::error_code ec) const {
        parsed_id const p = parse_model_id(id);
        if (!p.ok())
            return error(ec, "llmap: invalid model id " + detail::quoted(id) + ": " +
                                 std::string(to_string(p.error)) +
                                 " (expected \"provider\" or \"provider:model\")");
        return error(ec, "llmap: unknown provider " + detail::quoted(p.provider) + " in model id " +
                             detail::quoted(id) + "; known providers: " + known_list());
    }

    static std::string static_known_list() {
        std::string out;
        detail::append_names(out, names_);
        return out.empty() ? "(none)" : out;
    }

    std::string known_list() const {
        std::string out;
        detail::append_names(out, all_names());
        return out.empty() ? "(none)" : out;
    }

    template <std::size_t I>
    auto model_at(const target& t) const {
        using P = typename entry_at<I>::provider_type;
        std::string_view const m = t.has_model ? t.model : std::string_view(P::default_model);
        return storage_[detail::key_of<entry_at<I>::name>{}].model(m);
    }

    template <class F, class R, std::size_t... I>
    static constexpr void check_visit_result(std::index_sequence<I...>) {
        static_assert(
            (std::is_same_v<
                 R, std::invoke_result_t<F, model_type_t<typename entry_at<I>::provider_type>&>> &&
             ...),
            "llmap: the function given to visit must return the same type for every model type "
            "(and for any_model&)");
    }

    // One function per provider, indexed by the runtime lookup: the per-call cost of visit is
    // the lookup, one indirect call and the provider's own model().
    template <class F, class R, std::size_t... I>
    static constexpr auto visit_table(std::index_sequence<I...>) {
        using fn = R (*)(const registry&, const target&, F);
        return std::array<fn, count>{+[](const registry& r, const target& t, F f) -> R {
            auto m = r.model_at<I>(t);
            return std::invoke(f, m);
        }...};
    }

    template <std::size_t... I>
    static constexpr auto variant_table(std::index_sequence<I...>) {
        using fn = variant (*)(const registry&, const target&);
        return std::array<fn, count>{+[](const registry& r, const target& t) -> variant {
            return variant(std::in_place_index<I>, r.model_at<I>(t));
        }...};
    }

    template <std::size_t... I>
    static constexpr auto any_table(std::index_sequence<I...>) {
        using fn = any_model (*)(const registry&, const target&);
        return std::array<fn, count>{
            +[](const registry& r, const target& t) -> any_model { return r.model_at<I>(t); }...};
    }

    any_model make_any(const target& t) const {
        if (t.dynamic == nullptr) {
            static constexpr auto table = any_table(std::make_index_sequence<count>{});
            return table[static_cast<std::size_t>(t.index)](*this, t);
        }
        return t.dynamic->factory(t.model, t.dynamic->config);
    }

    storage_type storage_;
    std::vector<dynamic_entry> dynamic_;
    bool from_env_ = false;
};

} // namespace llmap

#endif
