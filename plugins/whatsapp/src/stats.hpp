// The channel's counters: at /metrics through the host (parley_whatsapp_<name>_total,
// label plugin="whatsapp"), and as JSON at GET /webhooks/whatsapp/stats. Thread-safe:
// the webhook's concurrent route counts refusals on HTTP I/O threads (atomic values;
// the sink is set once, before any route exists, and must itself be thread-safe).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace parley::whatsapp {

enum class Counter {
    webhooks_ok,
    webhooks_bad_signature,
    webhooks_malformed,
    webhooks_too_large,
    webhooks_failed,
    messages_received,
    statuses_received,
    statuses_ignored,
    duplicates_dropped,
    unknown_number,
    unrouted,
    media_stored,
    media_failed,
    sent,
    send_failed,
    send_retries,
    reads_sent,
    refused_outside_window,
};
inline constexpr std::size_t kCounters = static_cast<std::size_t>(Counter::refused_outside_window) + 1;

class Stats {
public:
    // Called with ("whatsapp_<name>_total", help, delta) on each addition.
    using Sink = std::function<void(const std::string& metric, std::string_view help, std::uint64_t delta)>;

    void set_sink(Sink sink) { sink_ = std::move(sink); }
    void add(Counter c, std::uint64_t delta = 1);
    std::uint64_t get(Counter c) const { return values_[static_cast<std::size_t>(c)].load(std::memory_order_relaxed); }
    std::string to_json() const;

private:
    std::array<std::atomic<std::uint64_t>, kCounters> values_{};
    Sink sink_;
};

}  // namespace parley::whatsapp
