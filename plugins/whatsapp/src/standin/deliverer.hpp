// Delivers webhooks from a worker thread, in order, like Meta: a delivery that parley
// does not answer 200 is retried with backoff (250 ms, doubling, 5 attempts in all).
// A duplicated delivery sends its second copy at the same time from another thread,
// on another connection. The core thread only enqueues; it never waits.
#pragma once

#include "delivery_log.hpp"
#include "standin.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace parley::whatsapp::standin {

struct Delivery {
    std::uint64_t seq = 0;
    OutgoingRequest request;
    int copies = 1;
    int delay_ms = 0;  // waited before the first attempt (the delay_ms control)
    // Not sent before this time (a status follows the send's answer, as with Meta).
    std::chrono::steady_clock::time_point not_before{};
    int attempts = 5;  // the verify handshake is tried once
    std::optional<std::string> expect_body;  // the verify handshake must echo the challenge
};

class Deliverer {
public:
    static constexpr int kFirstBackoffMs = 250;

    Deliverer(Transport transport, DeliveryLog& log);
    ~Deliverer();  // stops: in-flight requests give up, queued ones are dropped
    Deliverer(const Deliverer&) = delete;
    Deliverer& operator=(const Deliverer&) = delete;

    void enqueue(Delivery delivery);  // any thread

private:
    void run();
    void deliver(const Delivery& d);
    void deliver_copy(const Delivery& d, int copy);
    bool pause(int ms);  // false when stopping

    Transport transport_;
    DeliveryLog& log_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Delivery> queue_;
    std::atomic<bool> stopping_{false};
    std::thread worker_;
};

}  // namespace parley::whatsapp::standin
