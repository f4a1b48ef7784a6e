//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_HTTP_NDJSON_HPP
#define LLMAP_HTTP_NDJSON_HPP

#include <llmap/error.hpp>

#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>

namespace llmap::http {

/** An incremental splitter of newline-delimited JSON (Ollama's streaming format).

    Bytes in, lines out, no I/O: give it the body of a streamed response in chunks of any
    size, split anywhere, and it calls back once per complete line, with the same lines
    whatever the split. The work is linear in the input (a partial line is never scanned
    twice) and the memory is bounded by `max_line_size`.

    A line ends at LF; a CR before the LF is removed, and empty lines are skipped. Parsing
    the JSON of a line is left to the caller, so that this header needs no JSON library and
    the caller picks the parser (e.g. `boost::json::parse(line)`, or one
    `boost::json::parser` reused for every line so that its memory is reused too).

    @par Example
    @code
    llmap::http::ndjson_parser parser;
    parser.feed(chunk, [&](std::string_view line) { handle(boost::json::parse(line)); });
    // at the end of the body:
    if (parser.has_partial_line())
        throw_truncated_stream();
    @endcode
*/
class ndjson_parser {
public:
    /// The default of `max_line_size`: 4 MiB, well above any line a provider sends.
    static constexpr std::size_t default_max_line_size = std::size_t{4} * 1024 * 1024;

    /** Construct a parser at the start of a stream.

        @param max_line_size The longest line accepted, in bytes, counting a CR before the LF
        but not the LF; a longer one makes `feed` throw.
    */
    explicit ndjson_parser(std::size_t max_line_size = default_max_line_size) noexcept
        : max_line_size_(max_line_size) {}

    /** Parse the next chunk of the stream, calling `on_line` for each line it completes.

        `on_line` receives a `std::string_view` of the line without its line end, valid only
        during the call (it points into `bytes` or into the parser's buffer).

        @throws llmap::error with `errc::event_too_large` when a line exceeds
        `max_line_size`; the parser is then failed and every later call throws again.
        An exception from `on_line` propagates; the parser stays consistent, but the bytes
        of `bytes` after that line are not parsed.
    */
    template <class F>
    requires std::invocable<F&, std::string_view>
    void feed(std::string_view bytes, F&& on_line) {
        if (failed_)
            throw_too_large();
        std::size_t pos = 0;
        while (pos < bytes.size()) {
            std::size_t const eol = bytes.find('\n', pos);
            if (eol == std::string_view::npos) {
                // An unterminated line: keep it for the next chunk.
                std::string_view const rest = bytes.substr(pos);
                check_size(line_.size() + rest.size());
                line_.append(rest);
                return;
            }
            std::string_view const line = bytes.substr(pos, eol - pos);
            pos = eol + 1;
            if (line_.empty()) {
                check_size(line.size());
                deliver(line, on_line);
            } else {
                // The end of a line begun in an earlier chunk. The buffer is emptied however
                // the call ends, so that the parser stays consistent if `on_line` throws.
                check_size(line_.size() + line.size());
                line_.append(line);
                struct clear_on_exit {
                    std::string& s;
                    ~clear_on_exit() { s.clear(); }
                } const guard{line_};
                deliver(line_, on_line);
            }
        }
    }

    /** True if the stream so far ends in the middle of a line (or if the parser has failed).

        Call it at the end of the body: every line of a well-formed stream ends with LF, so
        `true` means the stream was cut and its last line was discarded.
    */
    bool has_partial_line() const noexcept {
        // A lone CR is the start of an empty line, which would be skipped anyway.
        return failed_ || (!line_.empty() && line_ != "\r");
    }

    /// The limit given to the constructor.
    std::size_t max_line_size() const noexcept { return max_line_size_; }

    /// True after `feed` has thrown `errc::event_too_large`.
    bool failed() const noexcept { return failed_; }

private:
    template <class F>
    static void deliver(std::string_view line, F& on_line) {
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (!line.empty())
            on_line(line);
    }

    void check_size(std::size_t line) {
        if (line > max_line_size_) {
            failed_ = true;
            line_ = std::string(); // give back the memory of a line that will never end
            throw_too_large();
        }
    }

    [[noreturn]] void throw_too_large() const {
        throw error(errc::event_too_large, "NDJSON line longer than the parser's max_line_size (" +
                                               std::to_string(max_line_size_) + " bytes)");
    }

    std::string line_; // the unterminated line carried over from the previous chunk
    std::size_t max_line_size_;
    bool failed_ = false;
};

} // namespace llmap::http

#endif
