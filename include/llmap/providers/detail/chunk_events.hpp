//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_DETAIL_CHUNK_EVENTS_HPP
#define LLMAP_PROVIDERS_DETAIL_CHUNK_EVENTS_HPP

#include <llmap/types/stream.hpp>

#include <boost/json/value.hpp>

#include <cstddef>
#include <utility>
#include <vector>

namespace llmap::detail {

/** The events one stream chunk gives, gathered while the chunk is decoded and then handed on
    with the chunk as their `stream_event::raw`, without copying the chunk for the last one.

    A stream decoder's `on_data` makes one over its `emit` and a buffer the decoder keeps as a
    member (so a steady stream does not allocate per chunk), calls it as it would call `emit`
    (`out(stream_event&&)`, with a null `raw`) for each event of the chunk, and ends with
    `flush(std::move(chunk))` once it no longer reads the chunk. `flush` passes the events to
    `emit` in order, the chunk copied into all but the last and moved into the last: no copy
    for the usual chunk of one event. If the decoder throws before `flush`, the events
    gathered for the chunk are dropped (the next chunk's `chunk_events` clears them).

    @par Example
    @code
    detail::chunk_events out(events_, emit);
    out(event(text_delta{"text-0", "Hi"}));
    out.flush(std::move(chunk));
    @endcode
*/
template <class Emit>
class chunk_events {
public:
    /// Gather into `buffer` (cleared first) the events to pass to `emit` at `flush`.
    chunk_events(std::vector<stream_event>& buffer, Emit& emit) : events_(buffer), emit_(emit) {
        events_.clear();
    }

    chunk_events(const chunk_events&) = delete;
    chunk_events& operator=(const chunk_events&) = delete;

    /// Gather an event of the chunk; its `raw` is set at `flush`.
    void operator()(stream_event&& e) { events_.push_back(std::move(e)); }

    /// Pass the gathered events to `emit`, each with `chunk` as its `raw`.
    void flush(boost::json::value&& chunk) {
        std::size_t const n = events_.size();
        for (std::size_t i = 0; i != n; ++i) {
            if (i + 1 == n)
                events_[i].raw = std::move(chunk);
            else
                events_[i].raw = chunk;
            emit_(std::move(events_[i]));
        }
        events_.clear();
    }

private:
    std::vector<stream_event>& events_;
    Emit& emit_;
};

} // namespace llmap::detail

#endif
