//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_DETAIL_BASE64_HPP
#define LLMAP_DETAIL_BASE64_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace llmap::detail {

/** Return the standard (RFC 4648 section 4) base64 encoding of `bytes`, with padding.

    Images, files and audio travel inside provider JSON bodies as base64; every provider uses
    the standard alphabet with `=` padding, so no other variant is offered.
*/
inline std::string base64_encode(std::span<const std::uint8_t> bytes) {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t n = (std::uint32_t{bytes[i]} << 16) |
                                (std::uint32_t{bytes[i + 1]} << 8) | std::uint32_t{bytes[i + 2]};
        out.push_back(alphabet[(n >> 18) & 0x3f]);
        out.push_back(alphabet[(n >> 12) & 0x3f]);
        out.push_back(alphabet[(n >> 6) & 0x3f]);
        out.push_back(alphabet[n & 0x3f]);
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 1) {
        const std::uint32_t n = std::uint32_t{bytes[i]} << 16;
        out.push_back(alphabet[(n >> 18) & 0x3f]);
        out.push_back(alphabet[(n >> 12) & 0x3f]);
        out += "==";
    } else if (rest == 2) {
        const std::uint32_t n =
            (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8);
        out.push_back(alphabet[(n >> 18) & 0x3f]);
        out.push_back(alphabet[(n >> 12) & 0x3f]);
        out.push_back(alphabet[(n >> 6) & 0x3f]);
        out.push_back('=');
    }
    return out;
}

/** Return the base64 encoding of the bytes of `bytes` (a string used as a byte buffer). */
inline std::string base64_encode(std::string_view bytes) {
    return base64_encode(std::span<const std::uint8_t>(
        reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

/** Decode standard base64 with padding, or return `std::nullopt` if `text` is not exactly that.

    The input must be a multiple of four characters long, use only the standard alphabet, and
    carry `=` only as one or two final padding characters. Whitespace, line breaks and the URL
    alphabet (`-`, `_`) are rejected: provider payloads never contain them, and a strict decoder
    turns a corrupted payload into an error instead of silently wrong bytes. Unused low bits in
    the last group are ignored rather than required to be zero, like most decoders.
*/
inline std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
    // 0xff marks a byte outside the alphabet; '=' is handled separately.
    static constexpr std::array<std::uint8_t, 256> table = [] {
        std::array<std::uint8_t, 256> t{};
        t.fill(0xff);
        constexpr std::string_view alphabet =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (std::size_t i = 0; i < alphabet.size(); ++i)
            t[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
        return t;
    }();

    if (text.size() % 4 != 0)
        return std::nullopt;

    std::size_t padding = 0;
    if (!text.empty() && text.back() == '=') {
        padding = 1;
        if (text[text.size() - 2] == '=')
            padding = 2;
    }

    std::vector<std::uint8_t> out;
    out.reserve(text.size() / 4 * 3);
    const std::size_t data_chars = text.size() - padding;
    std::uint32_t acc = 0;
    std::size_t bits = 0;
    for (std::size_t i = 0; i < data_chars; ++i) {
        const std::uint8_t v = table[static_cast<unsigned char>(text[i])];
        if (v == 0xff)
            return std::nullopt; // also catches '=' before the final padding
        acc = ((acc << 6) | v) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xff));
        }
    }
    return out;
}

} // namespace llmap::detail

#endif
