#include "webhook_body.hpp"

#include <boost/json/serialize.hpp>

namespace parley::whatsapp::standin {

namespace json = boost::json;

namespace {

json::object metadata(const Business& business) {
    return {{"display_phone_number", business.display_number}, {"phone_number_id", business.phone_number_id}};
}

// The envelope around one change's value.
std::string envelope(const Business& business, json::object value) {
    json::object change{{"value", std::move(value)}, {"field", "messages"}};
    json::object entry{{"id", business.waba_id}, {"changes", json::array{std::move(change)}}};
    return json::serialize(json::object{{"object", "whatsapp_business_account"}, {"entry", json::array{std::move(entry)}}});
}

json::object message_object(const Business& business, const InboundMessage& m) {
    json::object out;
    if (m.context_id) out["context"] = json::object{{"from", business.display_number}, {"id", *m.context_id}};
    out["from"] = m.from;
    out["id"] = m.wamid;
    out["timestamp"] = m.timestamp;
    out["type"] = m.type;
    out[m.type] = m.content;
    return out;
}

json::object pricing(const StatusUpdate& s) {
    bool service = s.category == "service";
    return {{"billable", !service},
            {"pricing_model", "PMP"},
            {"category", s.category},
            {"type", service ? "free_customer_service" : "regular"}};
}

json::object status_object(const StatusUpdate& s) {
    json::object out{{"id", s.wamid}, {"status", s.status}, {"timestamp", s.timestamp}, {"recipient_id", s.recipient}};
    if (s.status == "sent" || s.status == "delivered") {
        out["conversation"] = json::object{{"id", s.conversation_id}, {"origin", json::object{{"type", s.category}}}};
        out["pricing"] = pricing(s);
    }
    if (s.error) out["errors"] = json::array{*s.error};
    return out;
}

}  // namespace

std::string webhook_message_body(const Business& business, const InboundMessage& message) {
    json::object contact{{"profile", json::object{{"name", message.name}}}, {"wa_id", message.from}};
    return envelope(business, {{"messaging_product", "whatsapp"},
                               {"metadata", metadata(business)},
                               {"contacts", json::array{std::move(contact)}},
                               {"messages", json::array{message_object(business, message)}}});
}

std::string webhook_status_body(const Business& business, const StatusUpdate& status) {
    return envelope(business, {{"messaging_product", "whatsapp"},
                               {"metadata", metadata(business)},
                               {"statuses", json::array{status_object(status)}}});
}

}  // namespace parley::whatsapp::standin
