// The core's event loop: one io_context run by a few threads, and a strand on it
// (the "core thread") where plugin calls, timers and engine commands run one at a
// time, so core state needs no locks. Asio stays in runtime/*.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

namespace boost::asio {
class io_context;
}

namespace parley {

class Runtime {
public:
    Runtime();
    ~Runtime();
    Runtime(const Runtime&) = delete;
    Runtime& operator=(const Runtime&) = delete;

    boost::asio::io_context& io();

    // Runs `fn` on the core strand.
    void post(std::function<void()> fn);
    // True when called from inside the core strand.
    bool in_core() const;

    // Fires `fn` on the core strand after `delay`, then every `repeat` if non-zero.
    std::uint64_t start_timer(std::chrono::milliseconds delay, std::chrono::milliseconds repeat,
                              std::function<void()> fn);
    bool cancel_timer(std::uint64_t id);
    std::size_t timer_count() const;

    // Runs the loop on `threads` threads (the caller is one of them) until stop().
    void run(int threads);
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace parley
