// Sending pace: a token bucket per business number (Meta's throughput limit, 80
// messages/s by default) and a least interval between two messages to one customer.
// Time is passed in, so tests drive it.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <unordered_map>

namespace parley::whatsapp {

using Clock = std::chrono::steady_clock;

class TokenBucket {
public:
    // Starts full: `burst` sends at once, then `per_second`.
    TokenBucket(double per_second, double burst, Clock::time_point now);
    // `now` if a token is there, else when one will be.
    Clock::time_point ready_at(Clock::time_point now) const;
    // Takes a token; call only when ready_at(now) <= now.
    void take(Clock::time_point now);

private:
    double tokens_at(Clock::time_point now) const;
    double per_second_;
    double burst_;
    double tokens_;
    Clock::time_point last_;
};

class RateLimiter {
public:
    RateLimiter(int per_number_per_second, std::chrono::milliseconds recipient_interval);
    // When a send from `number` to `recipient` may go ("" recipient: no per-customer pacing).
    Clock::time_point ready_at(const std::string& number, const std::string& recipient, Clock::time_point now);
    void take(const std::string& number, const std::string& recipient, Clock::time_point now);

private:
    TokenBucket& bucket(const std::string& number, Clock::time_point now);
    void forget_old(Clock::time_point now);
    int per_second_;
    std::chrono::milliseconds interval_;
    std::map<std::string, TokenBucket> numbers_;
    std::unordered_map<std::string, Clock::time_point> last_to_;
};

}  // namespace parley::whatsapp
