#include "stats.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace parley::whatsapp {

namespace {

struct Description {
    std::string_view name;
    std::string_view help;
};

// In the order of Counter.
constexpr std::array<Description, kCounters> kDescriptions = {{
    {"webhooks_ok", "Webhook notifications answered 200 once committed"},
    {"webhooks_bad_signature", "Webhook POSTs refused 401: missing or wrong X-Hub-Signature-256"},
    {"webhooks_malformed", "Webhook POSTs refused 400: not a notification"},
    {"webhooks_too_large", "Webhook POSTs refused 413: over body_limit"},
    {"webhooks_failed", "Webhook notifications answered 500 or 503, for Meta to send again"},
    {"messages_received", "Customer messages committed"},
    {"statuses_received", "Delivery statuses handed to the engine"},
    {"statuses_ignored", "Delivery statuses of unknown names or messages, ignored"},
    {"duplicates_dropped", "Repeated messages and statuses dropped"},
    {"unknown_number", "Notification changes for a phone_number_id that is not configured"},
    {"unrouted", "Messages and statuses to a configured number that is no tenant's entry point"},
    {"media_stored", "Customer media files downloaded and stored"},
    {"media_failed", "Customer media downloads that failed"},
    {"sent", "Agent messages accepted by the Graph API"},
    {"send_failed", "Agent messages that failed"},
    {"send_retries", "Graph API calls retried after a transient error"},
    {"reads_sent", "Read receipts sent"},
    {"refused_outside_window", "Free-text sends refused outside the customer service window"},
}};

}  // namespace

void Stats::add(Counter c, std::uint64_t delta) {
    auto i = static_cast<std::size_t>(c);
    values_[i].fetch_add(delta, std::memory_order_relaxed);
    auto& d = kDescriptions[i];
    if (sink_ && delta) sink_("whatsapp_" + std::string(d.name) + "_total", d.help, delta);
}

std::string Stats::to_json() const {
    boost::json::object out;
    for (std::size_t i = 0; i < kCounters; ++i) out[kDescriptions[i].name] = get(static_cast<Counter>(i));
    return boost::json::serialize(out);
}

}  // namespace parley::whatsapp
