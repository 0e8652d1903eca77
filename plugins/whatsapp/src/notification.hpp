// A webhook notification taken apart: every entry, every change, every message and
// status, each with the business number it came to.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::whatsapp {

struct Contact {
    std::string wa_id;
    std::string user_id;
    std::string name;
};

struct CustomerMessage {
    boost::json::object message;  // as Meta sent it
    Contact contact;
    std::string id;          // wamid
    std::int64_t timestamp;  // seconds, the customer's own clock
};

struct StatusUpdate {
    std::string id;  // wamid of our message
    std::string status;
    std::string error;  // "code: title: details" of a failed message
};

// One change of field "messages" for one business number.
struct Change {
    std::string phone_number_id;
    std::vector<CustomerMessage> messages;  // in the customer's timestamp order
    std::vector<StatusUpdate> statuses;
};

struct Notification {
    std::vector<Change> changes;
    int other_fields = 0;  // changes of other fields (template updates...), ignored
};

// std::nullopt when the body is not JSON or not shaped like a notification.
std::optional<Notification> parse_notification(std::string_view body);

}  // namespace parley::whatsapp
