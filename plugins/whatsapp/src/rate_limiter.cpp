#include "rate_limiter.hpp"

#include <algorithm>

namespace parley::whatsapp {

namespace {

constexpr std::size_t kRecipientsKept = 10'000;

}  // namespace

TokenBucket::TokenBucket(double per_second, double burst, Clock::time_point now)
    : per_second_(per_second), burst_(burst), tokens_(burst), last_(now) {}

double TokenBucket::tokens_at(Clock::time_point now) const {
    double elapsed = std::chrono::duration<double>(std::max(now - last_, Clock::duration::zero())).count();
    return std::min(burst_, tokens_ + elapsed * per_second_);
}

Clock::time_point TokenBucket::ready_at(Clock::time_point now) const {
    double tokens = tokens_at(now);
    if (tokens >= 1.0) return now;
    auto wait = std::chrono::duration<double>((1.0 - tokens) / per_second_);
    return now + std::chrono::ceil<Clock::duration>(wait);
}

void TokenBucket::take(Clock::time_point now) {
    tokens_ = std::max(0.0, tokens_at(now) - 1.0);
    last_ = std::max(last_, now);
}

RateLimiter::RateLimiter(int per_number_per_second, std::chrono::milliseconds recipient_interval)
    : per_second_(per_number_per_second), interval_(recipient_interval) {}

TokenBucket& RateLimiter::bucket(const std::string& number, Clock::time_point now) {
    auto it = numbers_.find(number);
    if (it == numbers_.end()) it = numbers_.emplace(number, TokenBucket(per_second_, per_second_, now)).first;
    return it->second;
}

Clock::time_point RateLimiter::ready_at(const std::string& number, const std::string& recipient,
                                        Clock::time_point now) {
    auto ready = bucket(number, now).ready_at(now);
    if (auto it = last_to_.find(recipient); !recipient.empty() && it != last_to_.end())
        ready = std::max(ready, it->second + interval_);
    return ready;
}

void RateLimiter::take(const std::string& number, const std::string& recipient, Clock::time_point now) {
    bucket(number, now).take(now);
    if (recipient.empty()) return;
    last_to_[recipient] = now;
    if (last_to_.size() > kRecipientsKept) forget_old(now);
}

void RateLimiter::forget_old(Clock::time_point now) {
    std::erase_if(last_to_, [&](auto& entry) { return entry.second + interval_ <= now; });
}

}  // namespace parley::whatsapp
