// WhatsApp's customer service window: free text only within `window` of the
// customer's last message; after that, only an approved template.
#pragma once

#include "settings.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace parley::whatsapp {

struct Refusal {
    std::string code;
    std::string message;
};

// The customer's last message per (business number, customer), from what this channel
// received; the engine's own "last_customer_message_at" is used too.
class LastSeen {
public:
    void saw(const std::string& origin, const std::string& customer, std::int64_t time_ms);
    std::int64_t last(const std::string& origin, const std::string& customer) const;

    static constexpr std::size_t kCustomersKept = 100'000;

private:
    std::map<std::pair<std::string, std::string>, std::int64_t> last_;
    std::size_t sweep_at_ = kCustomersKept;
};

// A "channel.before_send.whatsapp" payload -> the refusal, or std::nullopt to let it go.
std::optional<Refusal> check_send(const boost::json::object& send, const Settings& settings, const LastSeen& seen);

}  // namespace parley::whatsapp
