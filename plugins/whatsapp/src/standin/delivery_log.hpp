// The last webhook deliveries and what parley answered, for GET /sandbox/state.
// Written by the delivery threads, read on the core thread: guarded by a mutex.
#pragma once

#include "standin.hpp"

#include <boost/json/array.hpp>

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace parley::whatsapp::standin {

class DeliveryLog {
public:
    static constexpr std::size_t kKept = 200;

    // A delivery queued: kind "message", "status" or "verify"; `body` is what is posted.
    void queued(std::uint64_t seq, std::string kind, std::string body, int copies);
    // One attempt of one copy (1 or 2) and its answer.
    void attempt(std::uint64_t seq, int copy, const HttpAnswer& answer, bool ok);
    // Oldest first: {"seq","kind","copies","body","attempts":[{"copy","status","error"}],"delivered"}.
    boost::json::array to_json() const;
    void clear();

private:
    struct Attempt {
        int copy;
        int status;
        std::string error;
    };
    struct Record {
        std::uint64_t seq;
        std::string kind;
        std::string body;
        int copies;
        std::vector<Attempt> attempts;
        int delivered = 0;  // copies answered 200
    };
    Record* find(std::uint64_t seq);

    mutable std::mutex mutex_;
    std::deque<Record> records_;
};

}  // namespace parley::whatsapp::standin
