// The customers' phones: each customer's conversation with the business number, as
// the customer sees it (their messages, the agent's replies and the ticks). Core
// thread only.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley::whatsapp::standin {

struct ChatMessage {
    std::string id;     // wamid
    std::string from;   // "customer" or "business"
    std::string type;   // text, image, location, interactive, template, ...
    std::string text;   // what the phone shows
    std::int64_t time_ms = 0;
    // customer: "held" (waiting to be reordered), "sent", "read" (the business marked it);
    // business: "sent", "delivered", "read", "failed"
    std::string status;
    std::string error;  // failed: the error's title
    std::optional<std::string> reply_to;
};

struct Chat {
    std::string wa_id;  // digits
    std::string name;
    std::string conversation_id;  // what the statuses carry; set on the first reply
    std::vector<ChatMessage> messages;
};

class Conversations {
public:
    // Appends to the customer's chat (created on first use); `name` empty keeps the old one.
    ChatMessage& add(std::string_view wa_id, std::string_view name, ChatMessage message);
    // The message with this wamid and the chat holding it; nullptr when unknown.
    std::pair<Chat*, ChatMessage*> find(std::string_view wamid);
    Chat* chat(std::string_view wa_id);
    // The customer opens the chat: business messages "delivered" become "read";
    // returns their wamids.
    std::vector<std::string> read_by_customer(std::string_view wa_id);
    // Last business message of the chat (a button reply refers to it).
    std::optional<std::string> last_business_id(std::string_view wa_id) const;
    // {"customer":{"number","name"},"messages":[{"id","from","type","text","time_ms","status",...}]}
    boost::json::object to_json(std::string_view wa_id) const;
    // Every chat's number and name.
    boost::json::array list() const;
    void clear();

private:
    std::map<std::string, Chat, std::less<>> chats_;
    std::map<std::string, std::pair<std::string, std::size_t>, std::less<>> index_;  // wamid -> chat, position
};

}  // namespace parley::whatsapp::standin
