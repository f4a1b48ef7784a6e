//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_HTTP_SSE_HPP
#define LLMAP_HTTP_SSE_HPP

#include <llmap/error.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace llmap::http {

/** One event of a `text/event-stream`, as dispatched by `sse_parser`.

    The fields follow the WHATWG "event stream interpretation" rules; `id` and `retry` are
    properties of the stream, not of the single event, so they keep their value from event to
    event until the server sets them again.
*/
struct sse_event {
    /// The `event` field, or empty when the event had none (the spec's default type `message`).
    std::string event;

    /// The `data` lines joined with `'\n'` (the final line end removed). May be empty.
    std::string data;

    /// The last event id: the value of the most recent valid `id` field of the stream.
    std::string id;

    /// The reconnection time (ms) from the most recent valid `retry` field of the stream.
    std::optional<std::uint64_t> retry;

    bool operator==(const sse_event&) const = default;
};

/** An incremental parser of the `text/event-stream` format (server-sent events).

    Bytes in, events out, no I/O: give it the body of a streamed response in chunks of any
    size, split anywhere, and it calls back once per complete event. The result does not
    depend on how the input is split, the work is linear in the input (a partial line is
    never scanned twice), and the memory held for one event is bounded by `max_event_size`.

    The rules are those of the WHATWG HTML "event stream interpretation":
    - lines end in CR, LF or CRLF, also when the CR and the LF arrive in different chunks;
    - a UTF-8 byte order mark at the very start of the stream is skipped;
    - a line starting with `:` is a comment; a line without `:` is a field with an empty
      value; a single space after the `:` is removed, any further space is kept;
    - `data` lines accumulate; a blank line dispatches the event if at least one `data`
      field was seen (an empty `data` field gives an event with empty data), otherwise it
      just resets the event type;
    - `id` sets the last event id unless its value contains a NUL; `retry` is taken only when
      its value is made of ASCII digits (and fits in 64 bits); other fields are ignored;
    - at the end of the stream an event without its blank line is discarded; a caller tells
      a truncated stream from a complete one with `has_partial_event`.

    Bytes are passed through unchanged: no UTF-8 validation or decoding is done (a provider's
    event data is JSON, which its own parser validates).

    @par Example
    @code
    llmap::http::sse_parser parser;
    parser.feed(chunk, [&](const llmap::http::sse_event& ev) {
        if (ev.data != "[DONE]")
            handle(ev.event, boost::json::parse(ev.data));
    });
    // at the end of the body:
    if (parser.has_partial_event())
        throw_truncated_stream();
    @endcode
*/
class sse_parser {
public:
    /// The default of `max_event_size`: 4 MiB, well above any event a provider sends.
    static constexpr std::size_t default_max_event_size = std::size_t{4} * 1024 * 1024;

    /** Construct a parser at the start of a stream.

        @param max_event_size The most bytes the parser may hold for one event: the line
        being read plus the data and event type gathered so far. A stream that needs more,
        including one single line longer than that (even a comment), makes `feed` throw.
    */
    explicit sse_parser(std::size_t max_event_size = default_max_event_size) noexcept
        : max_event_size_(max_event_size) {}

    /** Parse the next chunk of the stream, calling `on_event` for each event it completes.

        `on_event` is called with an `sse_event&` that stays valid only during the call; it
        may take a `const sse_event&`, or move the strings out (the parser otherwise reuses
        their buffers for the next events, so a steady stream allocates nothing per event).

        @throws llmap::error with `errc::event_too_large` when an event would exceed
        `max_event_size`; the parser is then failed and every later call throws again.
        An exception from `on_event` propagates; the parser stays consistent, but the bytes
        of `bytes` after the event that was being delivered are not parsed.
    */
    template <class F>
    requires std::invocable<F&, sse_event&>
    void feed(std::string_view bytes, F&& on_event) {
        if (failed_)
            throw_too_large();
        std::size_t pos = 0;
        if (!bom_checked_ && !skip_bom(bytes, pos))
            return;
        if (pending_cr_ && pos < bytes.size()) {
            // The CR that ended the previous chunk's last line and this LF are one line end.
            if (bytes[pos] == '\n')
                ++pos;
            pending_cr_ = false;
        }

        // The next CR and LF at or after `pos`, each found once per chunk (memchr) rather
        // than byte by byte; bytes.size() when there is none.
        std::size_t next_cr = find(bytes, pos, '\r');
        std::size_t next_lf = find(bytes, pos, '\n');
        while (pos < bytes.size()) {
            if (next_cr < pos)
                next_cr = find(bytes, pos, '\r');
            if (next_lf < pos)
                next_lf = find(bytes, pos, '\n');
            std::size_t const eol = next_cr < next_lf ? next_cr : next_lf;

            if (eol == bytes.size()) {
                // An unterminated line: keep it for the next chunk.
                std::string_view const rest = bytes.substr(pos);
                check_size(line_.size() + rest.size());
                line_.append(rest);
                return;
            }

            std::string_view line = bytes.substr(pos, eol - pos);
            // Step past the line end before acting on the line, so that the parser is in
            // a consistent state should `on_event` throw.
            pos = eol + 1;
            if (bytes[eol] == '\r') {
                if (pos == bytes.size())
                    pending_cr_ = true;
                else if (bytes[pos] == '\n')
                    ++pos;
            }

            if (!line_.empty()) {
                // The end of a line begun in an earlier chunk (never blank: it has bytes).
                check_size(line_.size() + line.size());
                line_.append(line);
                process_field(line_);
                line_.clear();
            } else if (line.empty()) {
                dispatch(on_event);
            } else {
                check_size(line.size());
                process_field(line);
            }
        }
    }

    /** True if the stream so far ends inside an event: in the middle of a line, or after
        fields not yet followed by their blank line (or if the parser has failed).

        Call it at the end of the body: a well-formed stream ends with a blank line, so
        `true` means the stream was cut and its last event was discarded.
    */
    bool has_partial_event() const noexcept { return failed_ || in_event_ || !line_.empty(); }

    /// The last event id of the stream so far (see `sse_event::id`): what a client sends
    /// back as `Last-Event-ID` when it reconnects.
    const std::string& last_event_id() const noexcept { return id_; }

    /// The reconnection time (ms) set by the stream so far, if any.
    std::optional<std::uint64_t> retry() const noexcept { return retry_; }

    /// The limit given to the constructor.
    std::size_t max_event_size() const noexcept { return max_event_size_; }

    /// True after `feed` has thrown `errc::event_too_large`.
    bool failed() const noexcept { return failed_; }

private:
    static std::size_t find(std::string_view s, std::size_t from, char c) noexcept {
        std::size_t const i = s.find(c, from);
        return i == std::string_view::npos ? s.size() : i;
    }

    // Consume a byte order mark at the very start of the stream, which may be split across
    // chunks. Returns false when `bytes` ended before it was known whether there is one; the
    // bytes seen so far wait in `line_`, the only place they can belong if it is not a BOM.
    bool skip_bom(std::string_view bytes, std::size_t& pos) {
        static constexpr std::string_view bom = "\xEF\xBB\xBF";
        while (pos < bytes.size() && bom_matched_ < bom.size() && bytes[pos] == bom[bom_matched_]) {
            ++pos;
            ++bom_matched_;
        }
        if (bom_matched_ == bom.size()) {
            bom_checked_ = true;
            line_.clear();
            return true;
        }
        if (pos == bytes.size()) {
            line_.append(bytes);
            return false;
        }
        // Not a BOM: what matched in earlier chunks stays in `line_`, and this chunk's bytes
        // are read again from its start as ordinary line bytes.
        bom_checked_ = true;
        pos = 0;
        return true;
    }

    // `line` is the length of the line being read; the data and event type gathered for the
    // event so far are the rest of what must be held. (`id` is bounded by one line.)
    void check_size(std::size_t line) {
        if (line + event_.data.size() + event_.event.size() > max_event_size_) {
            failed_ = true;
            // Give back the memory of the event that will never be completed.
            line_ = std::string();
            event_.data = std::string();
            event_.event = std::string();
            throw_too_large();
        }
    }

    [[noreturn]] void throw_too_large() const {
        throw error(errc::event_too_large,
                    "server-sent event larger than the parser's max_event_size (" +
                        std::to_string(max_event_size_) + " bytes)");
    }

    void process_field(std::string_view line) {
        if (line.front() == ':')
            return; // a comment (providers send them as keep-alives)
        in_event_ = true;
        if (line.starts_with("data:")) {
            // The field nearly every line is: no search for the colon, no name compare.
            append_data(line.substr(5));
            return;
        }
        std::size_t const colon = line.find(':');
        std::string_view const name = line.substr(0, colon);
        std::string_view value;
        if (colon != std::string_view::npos) {
            value = line.substr(colon + 1);
            if (!value.empty() && value.front() == ' ')
                value.remove_prefix(1);
        }
        if (name == "data") {
            append_data(value); // a line `data` without a colon
        } else if (name == "event") {
            event_.event.assign(value);
        } else if (name == "id") {
            if (value.find('\0') == std::string_view::npos)
                id_.assign(value);
        } else if (name == "retry") {
            set_retry(value);
        }
    }

    // The value of a data field (the one space after the colon still on it).
    void append_data(std::string_view value) {
        if (!value.empty() && value.front() == ' ')
            value.remove_prefix(1);
        event_.data.append(value);
        event_.data.push_back('\n');
    }

    void set_retry(std::string_view value) noexcept {
        if (value.empty())
            return;
        std::uint64_t ms = 0;
        for (char c : value) {
            if (c < '0' || c > '9')
                return;
            auto const digit = static_cast<std::uint64_t>(c - '0');
            if (ms > (UINT64_MAX - digit) / 10)
                return; // cannot be a meaningful delay; ignored like any invalid value
            ms = ms * 10 + digit;
        }
        retry_ = ms;
    }

    template <class F>
    void dispatch(F& on_event) {
        in_event_ = false;
        if (event_.data.empty()) {
            // No data field: nothing to deliver, but the event type does not carry over.
            event_.event.clear();
            return;
        }
        event_.data.pop_back(); // the '\n' appended after the last data line
        if (event_.id != id_)   // (the callback may have moved it out)
            event_.id.assign(id_);
        event_.retry = retry_;
        // The next event is gathered in the same buffers, which keep their capacity; they are
        // emptied even if the callback throws.
        struct next_event {
            sse_event& e;
            ~next_event() {
                e.data.clear();
                e.event.clear();
            }
        } const reset{event_};
        on_event(event_);
    }

    std::string line_; // the unterminated line carried over from the previous chunk
    std::string id_;   // the last event id (persists across events)
    std::optional<std::uint64_t> retry_;
    // The event being gathered, handed to the callback when complete: its data lines, each
    // followed by '\n' until then, and its event type; the buffers are reused.
    sse_event event_;
    std::size_t max_event_size_;
    std::size_t bom_matched_ = 0;
    bool bom_checked_ = false;
    bool pending_cr_ = false; // the last chunk ended with a CR line end; skip a leading LF
    bool in_event_ = false;   // a field was seen since the last blank line
    bool failed_ = false;
};

} // namespace llmap::http

#endif
