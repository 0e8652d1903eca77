// The opaque C handles of abi.h, as the core defines them, and the registries the
// core keeps for plugins. Private to plugins/*.cpp.
#pragma once

#include "module.hpp"
#include "parley/core/config.hpp"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>

namespace parley::plugins {
struct Module;

// Admits calls into an instance's concurrent routes (handlers that run on HTTP I/O
// threads, outside the core strand) and lets the core wait until none is running.
// One atomic word: the count of calls in flight, plus a "closed" bit. A call enters
// by incrementing and backs out if the bit is set; close() sets the bit, so no call
// can start afterwards, then waits (C++20 atomic wait) until the count drains to 0.
// A counter rather than a reader/writer lock: readers arriving all the time could
// starve a writer, and here the closing side only ever needs "no new ones, then none".
class CallGate {
public:
    // True when the call may go ahead; it must then leave().
    bool enter() noexcept {
        if (state_.fetch_add(1, std::memory_order_acq_rel) & kClosed) {
            leave();
            return false;
        }
        return true;
    }
    void leave() noexcept {
        if (state_.fetch_sub(1, std::memory_order_acq_rel) - 1 == kClosed) state_.notify_all();
    }
    // Refuses every later enter() and returns once no call is in flight. Idempotent.
    // Must not be called from inside a call (it would wait for itself).
    void close() noexcept {
        auto s = state_.fetch_or(kClosed, std::memory_order_acq_rel) | kClosed;
        while (s != kClosed) {
            state_.wait(s, std::memory_order_acquire);
            s = state_.load(std::memory_order_acquire);
        }
    }

private:
    static constexpr std::uint64_t kClosed = std::uint64_t{1} << 63;
    std::atomic<std::uint64_t> state_{0};
};

// Set on a thread while it runs a concurrent route handler of that instance: host
// calls that are for the core thread only refuse then (see abi.h).
inline thread_local const parley_host* concurrent_caller = nullptr;

}  // namespace parley::plugins

// One plugin instance (defaults, or one tenant). Its address is its owner tag.
struct parley_host {
    parley::plugins::PluginHost::Impl* core = nullptr;
    parley::plugins::Module* module = nullptr;
    std::string plugin_id;
    std::string tenant;
    std::uint64_t owner = 0;
    void* instance = nullptr;
    bool started = false;
    // Cleared when the core removes this instance's registrations; checked before
    // every call into the plugin that was queued earlier.
    std::shared_ptr<std::atomic<bool>> alive = std::make_shared<std::atomic<bool>>(true);
    // Concurrent route calls in flight. Closed (waiting for them) before stop() and in
    // remove_registrations, so none runs during stop() or after destroy.
    parley::plugins::CallGate concurrent_calls;
};

struct parley_buffer {
    std::string data;
};

struct parley_config {
    const parley::config::Section* section = nullptr;
};
