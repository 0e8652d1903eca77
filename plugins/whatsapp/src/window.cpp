#include "window.hpp"

#include "json_fields.hpp"

#include <algorithm>

namespace parley::whatsapp {

namespace {

constexpr std::int64_t kWeekMs = 7LL * 24 * 3600 * 1000;

}  // namespace

void LastSeen::saw(const std::string& origin, const std::string& customer, std::int64_t time_ms) {
    auto& t = last_[{origin, customer}];
    t = std::max(t, time_ms);
    if (last_.size() <= sweep_at_) return;
    // Only a window's worth matters; a week back is plenty for any configured window.
    // The next sweep waits until the map doubles: with more than kCustomersKept customers
    // seen in a week, sweeping at every message made each one cost a walk of the map.
    std::erase_if(last_, [&](auto& entry) { return entry.second < time_ms - kWeekMs; });
    sweep_at_ = std::max(kCustomersKept, 2 * last_.size());
}

std::int64_t LastSeen::last(const std::string& origin, const std::string& customer) const {
    auto it = last_.find({origin, customer});
    return it == last_.end() ? 0 : it->second;
}

std::optional<Refusal> check_send(const boost::json::object& send, const Settings& settings, const LastSeen& seen) {
    auto name = text_of(send, "template");
    if (!name.empty()) {
        if (settings.find_template(name, text_of(send, "language"))) return std::nullopt;
        return Refusal{"unknown_template", "'" + name + "' is not one of this WhatsApp number's approved templates"};
    }
    auto last = std::max(integer_of(send, "last_customer_message_at"),
                         seen.last(text_of(send, "origin"), text_of(send, "to")));
    auto window_ms = std::chrono::duration_cast<std::chrono::milliseconds>(settings.window).count();
    if (last > 0 && integer_of(send, "now") - last <= window_ms) return std::nullopt;
    auto hours = std::to_string(settings.window.count());
    return Refusal{"outside_window", "The customer last wrote more than " + hours +
                                         " hours ago: WhatsApp allows only an approved template until they write "
                                         "again. Nothing was sent."};
}

}  // namespace parley::whatsapp
