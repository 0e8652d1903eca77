// The Graph API sender: one worker thread that posts messages and read receipts,
// paced by the rate limiter, retrying transient failures with backoff. Messages to
// one customer leave in order: a message waiting for its retry holds back the next.
// Results are handed to `done` on the worker thread; the plugin posts them to the
// core thread.
#pragma once

#include "rate_limiter.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace parley::whatsapp {

class HttpClient;

struct Outgoing {
    std::string url;        // {base}/{version}/{phone_number_id}/messages
    std::string body;       // the JSON the Graph API expects
    std::string number;     // phone_number_id: whose throughput it uses
    std::string recipient;  // "" for read receipts: not paced, not ordered
    std::string interaction;
    std::string message;    // the engine's ids; empty for read receipts
};

struct SendResult {
    Outgoing job;
    bool ok = false;
    std::string wamid;  // the id WhatsApp gave the message
    std::string error;  // for the agent, when !ok
    long code = 0;      // Meta's error code, when !ok (safe to log: no customer data)
    int attempts = 0;
};

struct SenderOptions {
    std::string access_token;
    int rate_per_number = 80;
    std::chrono::milliseconds recipient_interval{1000};
    int max_retries = 5;
    std::chrono::milliseconds retry_base{500};
    std::function<double()> random;  // jitter in [0, 1); a seeded generator when empty
};

class Sender {
public:
    using Done = std::function<void(SendResult)>;
    Sender(SenderOptions options, Done done);
    ~Sender();
    Sender(const Sender&) = delete;
    Sender& operator=(const Sender&) = delete;

    void enqueue(Outgoing job);
    // Stops the thread, cutting short a call in flight, and returns what was not sent.
    std::vector<Outgoing> stop();

private:
    struct Pending {
        Outgoing job;
        int attempts = 0;
        Clock::time_point due;
        std::uint64_t seq = 0;
    };
    void run();
    std::optional<std::string> next_ready(Clock::time_point now, std::optional<Clock::time_point>& wake);
    void attempt(std::unique_lock<std::mutex>& lock, HttpClient& http, const std::string& lane);
    void finish(std::unique_lock<std::mutex>& lock, SendResult result);

    SenderOptions options_;
    Done done_;
    RateLimiter limiter_;
    std::mutex mutex_;
    std::condition_variable wakeup_;
    std::atomic<bool> stopping_{false};
    std::map<std::string, std::deque<Pending>> lanes_;
    std::vector<Outgoing> unsent_;
    std::uint64_t next_seq_ = 0;
    std::thread thread_;
};

}  // namespace parley::whatsapp
