// What the stand-in's Graph endpoint received: every send and mark-read with its
// headers (minus the Authorization token) and body, and what it answered. Core thread.
#pragma once

#include <parley/plugin.hpp>

#include <boost/json/array.hpp>

#include <cstdint>
#include <deque>
#include <string>

namespace parley::whatsapp::standin {

class SendLog {
public:
    static constexpr std::size_t kKept = 1000;

    // kind: "message" or "mark_read"; `wamid` is the id given to an accepted message.
    void add(std::string_view kind, const parley::HttpRequest& request, int status, std::string_view answer,
             std::string_view wamid);
    boost::json::array sent() const;        // kind "message", oldest first
    boost::json::array mark_reads() const;  // kind "mark_read", oldest first
    void clear();

private:
    struct Entry {
        std::uint64_t seq;
        std::string kind;
        boost::json::object json;
    };
    boost::json::array of_kind(std::string_view kind) const;

    std::deque<Entry> entries_;
    std::uint64_t next_seq_ = 1;
};

}  // namespace parley::whatsapp::standin
