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

#include <boost/hana/at_key.hpp>
#include <boost/hana/map.hpp>
#include <boost/hana/pair.hpp>
#include <boost/hana/string.hpp>
#include <boost/system/result.hpp>

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

namespace detail {

// Diagnostics: compilers print these types' character packs in full, so the names reach the
// user in the error message even though a C++20 static_assert message must be a literal.
template <char...>
struct requested_provider {};
template <char...>
struct the_known_providers_are {};
template <char...>
struct duplicated_name {};
template <class...>
inline constexpr bool always_false = false;

template <class E>
struct entry_traits {
    static_assert(provider<E>,
                  "llmap: a registry entry must be a provider (a type with a static "
                  "llmap::fixed_string name, see llmap::provider) or llmap::as<name, P>");
    using provider_type = E;
    static constexpr auto name = E::name;
};

template <fixed_string Name, class P>
struct entry_traits<as<Name, P>> {
    using provider_type = P;
    static constexpr auto name = Name;
};

template <fixed_string S, std::size_t... I>
auto hana_string_of(std::index_sequence<I...>) -> boost::hana::string<S.data_[I]...>;

/// The `boost::hana::string` type spelling S: the key type of the registry's map.
template <fixed_string S>
using key_of = decltype(hana_string_of<S>(std::make_index_sequence<S.size()>{}));

template <std::size_t N>
constexpr std::size_t first_duplicate(const std::array<std::string_view, N>& names) {
    for (std::size_t i = 0; i != N; ++i)
        for (std::size_t j = 0; j != i; ++j)
            if (names[i] == names[j])
                return i;
    return N;
}

// The characters of a constexpr array (or view of static storage) as a pack, via a lambda
// returning it so it can be a template argument.
template <auto Chars, template <char...> class Pack, std::size_t... I>
auto pack_of(std::index_sequence<I...>) -> Pack<Chars()[I]...>;

template <auto Chars, template <char...> class Pack>
using pack_t = decltype(pack_of<Chars, Pack>(std::make_index_sequence<Chars().size()>{}));

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

    static_assert((is_valid_provider_name(detail::entry_traits<Entries>::name.view()) && ...),
                  "llmap: a provider name must be non-empty and use only ASCII letters, digits, "
                  "'.', '_' and '-'");

    static constexpr std::size_t duplicate_ = detail::first_duplicate(names_);
    static constexpr auto duplicate_name_ = [] {
        if constexpr (duplicate_ == count)
            return std::string_view{};
        else
            return names_[duplicate_];
    };
    static_assert(detail::always_false<detail::pack_t<duplicate_name_, detail::duplicated_name>> ||
                      duplicate_ == count,
                  "llmap: two providers in one registry have the same name (shown in "
                  "duplicated_name<...>); register one of them under another name with "
                  "llmap::as<\"name\", P>");

    static constexpr auto table_ = detail::make_name_table(names_);

    // "a, b, c" as a constexpr array, for the compile-time unknown-provider diagnostic.
    static constexpr auto joined_names_ = [] {
        constexpr std::size_t length = [] {
            std::size_t n = 0;
            for (auto s : names_)
                n += s.size() + 2;
            return n >= 2 ? n - 2 : 0;
        }();
        std::array<char, length> out{};
        std::size_t at = 0;
        for (std::size_t i = 0; i != count; ++i) {
            if (i != 0) {
                out[at++] = ',';
                out[at++] = ' ';
            }
            for (char c : names_[i])
                out[at++] = c;
        }
        return out;
    };

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
        require_known<Name>();
        return storage_[detail::key_of<Name>{}];
    }

    template <fixed_string Name>
    const auto& provider() const noexcept {
        require_known<Name>();
        return storage_[detail::key_of<Name>{}];
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
        static_assert(p.error != id_error::empty, "llmap: malformed model id: the id is empty");
        static_assert(p.error != id_error::empty_provider,
                      "llmap: malformed model id: the provider part (before the first ':') is "
                      "empty");
        static_assert(p.error != id_error::empty_model,
                      "llmap: malformed model id: the model part (after the first ':') is empty; "
                      "name the provider alone for its default model");
        static_assert(p.error != id_error::invalid_provider_char,
                      "llmap: malformed model id: a provider name may only contain ASCII "
                      "letters, digits, '.', '_' and '-'");
        static_assert(p.error != id_error::invalid_model_char,
                      "llmap: malformed model id: the model part contains a control character");
        if constexpr (p.ok()) {
            constexpr fixed_string<p.provider.size()> name(p.provider);
            require_known<name>();
            if constexpr (contains(name.view())) {
                auto const& prov = provider<name>();
                using P = std::remove_cvref_t<decltype(prov)>;
                return prov.model(p.has_model ? p.model : std::string_view(P::default_model));
            }
        }
    }

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

    /** Like `make`, but a malformed id or an unknown provider is returned as an error code
        (`errc::invalid_model_id`, `errc::unknown_provider`) instead of thrown. An exception
        thrown by the provider itself still propagates.
    */
    boost::system::result<any_model> try_make(std::string_view id) const {
        boost::system::error_code ec;
        target const t = resolve(id, ec);
        if (ec)
            return ec;
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
    registry(Source source, std::index_sequence<I...>)
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

    template <fixed_string Name>
    static constexpr void require_known() noexcept {
        if constexpr (!contains(Name.view())) {
            static_assert(
                detail::always_false<
                    detail::pack_t<[] { return Name.view(); }, detail::requested_provider>,
                    detail::pack_t<joined_names_, detail::the_known_providers_are>>,
                "llmap: unknown provider in model id (the requested name and the known providers "
                "are spelled in requested_provider<...> and the_known_providers_are<...>)");
        }
    }

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
        parsed_id const p = parse_model_id(id);
        if (!p.ok())
            throw error(ec, "llmap: invalid model id " + detail::quoted(id) + ": " +
                                std::string(to_string(p.error)) +
                                " (expected \"provider\" or \"provider:model\")");
        throw error(ec, "llmap: unknown provider " + detail::quoted(p.provider) + " in model id " +
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
