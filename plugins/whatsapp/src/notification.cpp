#include "notification.hpp"

#include "json_fields.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>

namespace parley::whatsapp {

namespace json = boost::json;

namespace {

Contact contact_of(const json::object& c) {
    return {text_of(c, "wa_id"), text_of(c, "user_id"), text_of(object_of(c, "profile"), "name")};
}

// The contact a message came from: the one with its wa_id, else the only one.
Contact sender_of(const json::object& message, const json::array& contacts) {
    auto from = text_of(message, "from");
    for (auto& c : contacts)
        if (c.is_object() && !from.empty() && text_of(c.get_object(), "wa_id") == from)
            return contact_of(c.get_object());
    if (contacts.size() == 1 && contacts[0].is_object()) return contact_of(contacts[0].get_object());
    return {};
}

std::string error_of(const json::object& status) {
    auto& errors = array_of(status, "errors");
    if (errors.empty() || !errors[0].is_object()) return {};
    auto& e = errors[0].get_object();
    auto out = std::to_string(integer_of(e, "code")) + ": " + text_of(e, "title");
    if (auto details = text_of(object_of(e, "error_data"), "details"); !details.empty()) out += ": " + details;
    return out;
}

Change change_of(const json::object& value) {
    Change c{text_of(object_of(value, "metadata"), "phone_number_id"), {}, {}};
    auto& contacts = array_of(value, "contacts");
    for (auto& m : array_of(value, "messages")) {
        if (!m.is_object()) continue;
        auto& o = m.get_object();
        c.messages.push_back({o, sender_of(o, contacts), text_of(o, "id"), integer_of(o, "timestamp")});
    }
    std::stable_sort(c.messages.begin(), c.messages.end(),
                     [](auto& a, auto& b) { return a.timestamp < b.timestamp; });
    for (auto& s : array_of(value, "statuses")) {
        if (!s.is_object()) continue;
        auto& o = s.get_object();
        c.statuses.push_back({text_of(o, "id"), text_of(o, "status"), error_of(o)});
    }
    return c;
}

}  // namespace

std::optional<Notification> parse_notification(std::string_view body) {
    json::error_code ec;
    auto parsed = json::parse(body, ec);
    if (ec || !parsed.is_object()) return std::nullopt;
    auto entries = parsed.get_object().if_contains("entry");
    if (!entries || !entries->is_array()) return std::nullopt;
    Notification n;
    for (auto& entry : entries->get_array()) {
        if (!entry.is_object()) return std::nullopt;
        for (auto& change : array_of(entry.get_object(), "changes")) {
            if (!change.is_object()) return std::nullopt;
            auto& o = change.get_object();
            if (text_of(o, "field") != "messages") {
                ++n.other_fields;
                continue;
            }
            n.changes.push_back(change_of(object_of(o, "value")));
        }
    }
    return n;
}

}  // namespace parley::whatsapp
