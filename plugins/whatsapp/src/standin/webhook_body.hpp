// Webhook bodies in the exact shape the Cloud API posts: object / entry[] / changes[]
// / value {messaging_product, metadata, contacts + messages | statuses}, field
// "messages". Pure functions: the tests compare them with the reference payloads.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>

namespace parley::whatsapp::standin {

// The business side of every webhook.
struct Business {
    std::string waba_id;          // entry[].id, the WhatsApp Business Account
    std::string display_number;   // "15550783881": metadata.display_phone_number, no '+'
    std::string phone_number_id;  // metadata.phone_number_id
};

// A customer's message. `content` is the object under the key named by `type`
// ({"body": "..."} for "text"); `context` is set for a reply to a business message.
struct InboundMessage {
    std::string wamid;
    std::string from;       // wa_id: the customer's number without '+'
    std::string name;       // contacts[].profile.name
    std::string timestamp;  // Unix seconds, as a string
    std::string type;       // text, image, location, interactive, ...
    boost::json::object content;
    std::optional<std::string> context_id;  // the business message replied to
};

// A status of a business message. `error` is set for "failed".
struct StatusUpdate {
    std::string wamid;
    std::string status;  // sent, delivered, read, failed
    std::string timestamp;
    std::string recipient;        // wa_id
    std::string conversation_id;  // sent and delivered carry conversation and pricing
    std::string category = "service";  // service (free-form reply), utility (template)
    std::optional<boost::json::object> error;
};

std::string webhook_message_body(const Business& business, const InboundMessage& message);
std::string webhook_status_body(const Business& business, const StatusUpdate& status);

}  // namespace parley::whatsapp::standin
