// The store writer: commits the engine's rounds on a thread of its own, so the core
// strand goes on with the next round while the store waits for the disk (fsync).
//
// Rounds are committed in the order given. Whatever is queued when the writer wakes
// goes into one transaction (group commit across rounds): the deeper the queue, the
// fewer fsyncs per round. Once a write fails, later rounds of the same generation are
// not written (their state was built on the failed one); the engine rebuilds its state
// from the store and starts the next generation.
#pragma once

#include "parley/core/engine.hpp"
#include "parley/core/store.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace parley::engine {

// What one round of commands produced, held back until it is committed.
struct Round {
    std::uint64_t generation = 0;
    std::vector<store::Event> events;
    std::vector<std::pair<Done, Result>> replies;
    std::vector<std::function<void()>> after_commit;
};

class Writer {
public:
    // Called on the writer thread after each group: the rounds in order, and whether
    // they are in the store. It should hand them to the core strand.
    using Finished = std::function<void(std::vector<std::unique_ptr<Round>> rounds, bool committed)>;

    Writer(store::Store& store, Finished finished);
    // Commits what is still queued, then stops.
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    void write(std::unique_ptr<Round> round);

    // The store, locked against the writer thread (for replay on the core strand).
    template <class F>
    auto with_store(F&& f) {
        std::lock_guard lock(store_mutex_);
        return f(store_);
    }

private:
    void run();
    void commit(std::vector<std::unique_ptr<Round>>& group);

    store::Store& store_;
    Finished finished_;
    std::mutex store_mutex_;
    std::optional<std::uint64_t> failed_generation_;  // writer thread only

    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<std::unique_ptr<Round>> queue_;
    bool stopping_ = false;
    std::thread thread_;  // last: starts once everything above exists
};

}  // namespace parley::engine
