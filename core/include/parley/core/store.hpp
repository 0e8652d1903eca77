// The event store: an append-only log of events, committed in transactions.
// SQLite (WAL) is the embedded default; the interface is narrow so a server
// database or a shared log can stand in later.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace parley::store {

struct Event {
    std::uint64_t seq = 0;    // increasing, never reused; append() assigns it when 0
    std::string tenant;
    std::string type;         // "interaction.created"
    std::int64_t time_ms = 0; // Unix time in milliseconds
    std::string data;         // a JSON object
};

struct StoreError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Store {
public:
    virtual ~Store() = default;
    // Appends every event in one transaction. An event's seq is assigned in order when
    // it is 0; when set, it must continue last_seq() (StoreError otherwise). On failure
    // nothing is appended and StoreError is thrown.
    virtual void append(std::vector<Event>& events) = 0;
    // Calls `fn` for every event with seq > `after`, in seq order.
    virtual void replay(std::uint64_t after, const std::function<void(const Event&)>& fn) = 0;
    virtual std::uint64_t last_seq() = 0;  // safe from any thread
};

// Opens (creating if needed) a SQLite store in WAL mode. `synchronous` is "full" or
// "normal". ":memory:" gives a store that lives as long as the object.
std::unique_ptr<Store> open_sqlite(const std::string& path, const std::string& synchronous = "full");

}  // namespace parley::store
