#include "conversations.hpp"

#include <boost/json/array.hpp>

namespace parley::whatsapp::standin {

namespace json = boost::json;

namespace {

json::object message_json(const ChatMessage& m) {
    json::object out{{"id", m.id},         {"from", m.from},      {"type", m.type},
                     {"text", m.text},     {"time_ms", m.time_ms}, {"status", m.status}};
    if (!m.error.empty()) out["error"] = m.error;
    if (m.reply_to) out["reply_to"] = *m.reply_to;
    return out;
}

}  // namespace

ChatMessage& Conversations::add(std::string_view wa_id, std::string_view name, ChatMessage message) {
    auto it = chats_.find(wa_id);
    if (it == chats_.end()) it = chats_.emplace(std::string(wa_id), Chat{std::string(wa_id), std::string(wa_id), {}, {}}).first;
    Chat& chat = it->second;
    if (!name.empty()) chat.name = std::string(name);
    index_[message.id] = {chat.wa_id, chat.messages.size()};
    chat.messages.push_back(std::move(message));
    return chat.messages.back();
}

std::pair<Chat*, ChatMessage*> Conversations::find(std::string_view wamid) {
    auto at = index_.find(wamid);
    if (at == index_.end()) return {nullptr, nullptr};
    Chat& chat = chats_.find(at->second.first)->second;
    return {&chat, &chat.messages[at->second.second]};
}

Chat* Conversations::chat(std::string_view wa_id) {
    auto it = chats_.find(wa_id);
    return it == chats_.end() ? nullptr : &it->second;
}

std::vector<std::string> Conversations::read_by_customer(std::string_view wa_id) {
    std::vector<std::string> out;
    Chat* c = chat(wa_id);
    if (!c) return out;
    for (auto& m : c->messages) {
        if (m.from != "business" || m.status != "delivered") continue;
        m.status = "read";
        out.push_back(m.id);
    }
    return out;
}

std::optional<std::string> Conversations::last_business_id(std::string_view wa_id) const {
    auto it = chats_.find(wa_id);
    if (it == chats_.end()) return std::nullopt;
    const auto& messages = it->second.messages;
    for (auto m = messages.rbegin(); m != messages.rend(); ++m)
        if (m->from == "business") return m->id;
    return std::nullopt;
}

json::object Conversations::to_json(std::string_view wa_id) const {
    json::array messages;
    std::string name(wa_id);
    if (auto it = chats_.find(wa_id); it != chats_.end()) {
        name = it->second.name;
        for (const auto& m : it->second.messages) messages.push_back(message_json(m));
    }
    return {{"customer", json::object{{"number", "+" + std::string(wa_id)}, {"name", name}}},
            {"messages", std::move(messages)}};
}

json::array Conversations::list() const {
    json::array out;
    for (const auto& [wa_id, chat] : chats_)
        out.push_back(json::object{{"number", "+" + wa_id}, {"name", chat.name}, {"messages", chat.messages.size()}});
    return out;
}

void Conversations::clear() {
    chats_.clear();
    index_.clear();
}

}  // namespace parley::whatsapp::standin
