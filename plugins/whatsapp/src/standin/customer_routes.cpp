// The customer's phone, driven by the sandbox page and by tests:
//   POST /sandbox/api/customer/send      {"from","name","type","text"...} -> a signed webhook
//   GET  /sandbox/api/customer/messages?from=+447700900123[&seen=1]
//        the conversation as the phone shows it; seen=1 means the chat is on screen,
//        so the business's delivered messages turn read (and "read" webhooks go out)
#include "crypto.hpp"
#include "http_util.hpp"
#include "ids.hpp"
#include "impl.hpp"

#include <boost/json/parse.hpp>

#include <cctype>

namespace parley::whatsapp::standin {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxTextBytes = 4096;
constexpr std::size_t kMaxNameBytes = 256;

// A customer message about to be sent: the webhook's type and content, what the phone shows.
struct Draft {
    std::string type;
    json::object content;
    std::string shown;
    std::optional<std::string> context;
    std::string error;  // set: the request is refused with it
};

Draft refused(std::string error) { return {"", {}, "", std::nullopt, std::move(error)}; }

std::string string_at(const json::object& o, std::string_view key, std::string_view fallback = "") {
    auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string(fallback);
}

double number_at(const json::object& o, std::string_view key, double fallback) {
    auto* v = o.if_contains(key);
    return v && v->is_number() ? v->to_number<double>() : fallback;
}

std::string slug(std::string_view title) {
    std::string out;
    for (unsigned char c : title) out += std::isalnum(c) ? static_cast<char>(std::tolower(c)) : '_';
    return out;
}

Draft text_draft(const json::object& body) {
    std::string text = string_at(body, "text");
    if (text.empty()) return refused("'text' is required");
    if (text.size() > kMaxTextBytes) return refused("'text' is longer than 4096 bytes");
    return {"text", {{"body", text}}, text, std::nullopt, ""};
}

Draft image_draft(Impl& impl, const json::object& body) {
    const Media& media = impl.media.add("image/png", std::string(sample_png()));
    add_media_id_route(impl, media.id);
    std::string caption = string_at(body, "caption", string_at(body, "text"));
    json::object content;
    if (!caption.empty()) content["caption"] = caption;
    content["mime_type"] = media.mime_type;
    content["sha256"] = sha256_base64(media.bytes);
    content["id"] = media.id;
    content["url"] = impl.host.server_url() + "/sandbox/media?mid=" + media.id;
    return {"image", std::move(content), caption.empty() ? "[photo]" : "[photo] " + caption, std::nullopt, ""};
}

Draft location_draft(const json::object& body) {
    std::string name = string_at(body, "name_of_place", "Praça do Comércio");
    json::object content{{"latitude", number_at(body, "latitude", 38.7075)},
                         {"longitude", number_at(body, "longitude", -9.1364)},
                         {"name", name},
                         {"address", string_at(body, "address", "1100-148 Lisboa, Portugal")}};
    return {"location", std::move(content), "[location] " + name, std::nullopt, ""};
}

Draft button_draft(Impl& impl, const std::string& wa_id, const json::object& body) {
    std::string title = string_at(body, "title", string_at(body, "text", "Talk to an agent"));
    std::string id = string_at(body, "id", slug(title));
    json::object content{{"type", "button_reply"}, {"button_reply", json::object{{"id", id}, {"title", title}}}};
    return {"interactive", std::move(content), title, impl.conversations.last_business_id(wa_id), ""};
}

Draft draft(Impl& impl, const std::string& wa_id, const json::object& body) {
    std::string type = string_at(body, "type", "text");
    if (type == "text") return text_draft(body);
    if (type == "image") return image_draft(impl, body);
    if (type == "location") return location_draft(body);
    if (type == "button") return button_draft(impl, wa_id, body);
    return refused("'type' must be text, image, location or button");
}

// The chat is on the customer's screen: what was delivered is now read.
void seen(Impl& impl, const std::string& wa_id) {
    for (const auto& id : impl.conversations.read_by_customer(wa_id)) impl.post_status(id, wa_id, "read");
}

void deliver(Impl& impl, InboundMessage message) {
    if (impl.faults.reorder_batch() == 0)
        return impl.post_webhook("message", webhook_message_body(impl.business, message));
    impl.held.push_back(std::move(message));
    if (static_cast<int>(impl.held.size()) >= impl.faults.reorder_batch()) impl.flush_held();
}

parley::HttpResponse send(Impl& impl, const parley::HttpRequest& request) {
    json::error_code ec;
    json::value v = json::parse(request.body, ec);
    const json::object* body = ec ? nullptr : v.if_object();
    if (!body) return plain_error(400, "the body must be a JSON object");
    auto wa_id = wa_id_of(string_at(*body, "from"));
    if (!wa_id) return plain_error(400, "'from' must be a phone number like +447700900123");
    std::string name = string_at(*body, "name", "+" + *wa_id);
    if (name.empty() || name.size() > kMaxNameBytes) return plain_error(400, "'name' must be 1 to 256 bytes");
    Draft d = draft(impl, *wa_id, *body);
    if (!d.error.empty()) return plain_error(400, d.error);
    InboundMessage message{new_wamid(*wa_id), *wa_id, name, unix_seconds(), d.type, d.content, d.context};
    bool hold = impl.faults.reorder_batch() > 0;
    impl.conversations.add(*wa_id, name,
                           ChatMessage{message.wamid, "customer", d.type, d.shown, unix_ms(), hold ? "held" : "sent", "",
                                       d.context});
    seen(impl, *wa_id);
    std::string id = message.wamid;
    deliver(impl, std::move(message));
    return json_answer(200, json::object{{"messaging_product", "whatsapp"}, {"id", id}, {"status", hold ? "held" : "sent"}});
}

parley::HttpResponse messages(Impl& impl, const parley::HttpRequest& request) {
    auto from = query_param(request.query, "from");
    auto wa_id = from ? wa_id_of(*from) : std::nullopt;
    if (!wa_id) return plain_error(400, "'from' must be a phone number like +447700900123");
    if (query_param(request.query, "seen") == "1") seen(impl, *wa_id);
    json::object out = impl.conversations.to_json(*wa_id);
    out["business"] = json::object{{"number", "+" + impl.business.display_number}};
    return json_answer(200, out);
}

}  // namespace

void add_customer_routes(Impl& impl) {
    add_route(impl, "POST", "/sandbox/api/customer/send", &send);
    add_route(impl, "GET", "/sandbox/api/customer/messages", &messages);
}

}  // namespace parley::whatsapp::standin
