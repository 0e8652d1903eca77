// The Graph API's messages endpoint: POST /sandbox/graph/{version}/{phone-number-id}/messages
// takes sends (text, template, media...) and mark-as-read bodies, as Meta does.
#include "graph_errors.hpp"
#include "http_util.hpp"
#include "ids.hpp"
#include "impl.hpp"

#include <boost/json/parse.hpp>

#include <array>

namespace parley::whatsapp::standin {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxTextBytes = 4096;
constexpr std::array<std::string_view, 11> kTypes = {"text",     "template", "image",    "audio",       "video", "document",
                                                     "sticker",  "location", "contacts", "interactive", "reaction"};

parley::HttpResponse answer(const GraphAnswer& a) { return {a.status, "application/json", a.body}; }

std::string_view string_at(const json::object& o, std::string_view key) {
    auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

const json::object* object_at(const json::object& o, std::string_view key) {
    auto* v = o.if_contains(key);
    return v ? v->if_object() : nullptr;
}

bool known_type(std::string_view type) {
    for (auto t : kTypes)
        if (t == type) return true;
    return false;
}

// What is wrong with a send body, in Meta's words; empty when it is fine.
std::string invalid_send(const json::object& body) {
    if (!wa_id_of(string_at(body, "to"))) return "The parameter to is required.";
    std::string type(body.contains("type") ? string_at(body, "type") : "text");
    if (!known_type(type)) return "Param type must be one of {" + type + "} is not a valid message type";
    const json::object* content = object_at(body, type);
    if (!content) return "The parameter " + type + " is required.";
    if (type == "text" && string_at(*content, "body").empty()) return "The parameter text['body'] is required.";
    if (type == "text" && string_at(*content, "body").size() > kMaxTextBytes)
        return "Param text['body'] must be at most 4096 characters long.";
    if (type == "template" && string_at(*content, "name").empty()) return "The parameter template['name'] is required.";
    return "";
}

// Template parameters as the phone shows them: "name (a, b)".
std::string template_text(const json::object& t) {
    std::string params;
    if (auto* components = t.if_contains("components"); components && components->is_array())
        for (const auto& c : components->get_array())
            if (auto* list = c.is_object() ? c.get_object().if_contains("parameters") : nullptr; list && list->is_array())
                for (const auto& p : list->get_array())
                    if (p.is_object() && !string_at(p.get_object(), "text").empty())
                        params += (params.empty() ? "" : ", ") + std::string(string_at(p.get_object(), "text"));
    return "Template " + std::string(string_at(t, "name")) + (params.empty() ? "" : " (" + params + ")");
}

std::string shown_text(const json::object& body, const std::string& type) {
    const json::object& content = *object_at(body, type);
    if (type == "text") return std::string(string_at(content, "body"));
    if (type == "template") return template_text(content);
    if (!string_at(content, "caption").empty()) return "[" + type + "] " + std::string(string_at(content, "caption"));
    return "[" + type + "]";
}

std::optional<std::string> reply_to(const json::object& body) {
    const json::object* context = object_at(body, "context");
    if (!context || string_at(*context, "message_id").empty()) return std::nullopt;
    return std::string(string_at(*context, "message_id"));
}

json::object accepted(std::string_view to, const std::string& wa_id, const std::string& wamid, bool is_template) {
    json::object message{{"id", wamid}};
    if (is_template) message["message_status"] = "accepted";
    return {{"messaging_product", "whatsapp"},
            {"contacts", json::array{json::object{{"input", to}, {"wa_id", wa_id}}}},
            {"messages", json::array{std::move(message)}}};
}

// The statuses the phone reports for an accepted message.
void report(Impl& impl, const ChatMessage& m, const std::string& wa_id, const std::optional<SendFault>& fault) {
    std::string category = m.type == "template" ? "utility" : "service";
    if (fault) return impl.post_status(m.id, wa_id, "failed", category, fault->code);
    impl.post_status(m.id, wa_id, "sent", category);
    impl.post_status(m.id, wa_id, "delivered", category);
    if (impl.faults.auto_read()) impl.post_status(m.id, wa_id, "read", category);
}

parley::HttpResponse refuse(Impl& impl, const parley::HttpRequest& request, const SendFault& fault) {
    GraphAnswer a = fault.kind == SendFault::Kind::server_error ? server_error(fault.nth, new_fbtrace_id())
                                                                : graph_error(*error_info(fault.code), new_fbtrace_id());
    impl.sends.add("message", request, a.status, a.body, "");
    return answer(a);
}

parley::HttpResponse send_message(Impl& impl, const parley::HttpRequest& request, const json::object& body) {
    if (auto wrong = invalid_send(body); !wrong.empty()) {
        GraphAnswer a = invalid_parameter(wrong, new_fbtrace_id());
        impl.sends.add("message", request, a.status, a.body, "");
        return answer(a);
    }
    auto fault = impl.faults.take_send_fault();
    if (fault && fault->kind != SendFault::Kind::failed_after_accept) return refuse(impl, request, *fault);
    std::string type(body.contains("type") ? string_at(body, "type") : "text");
    std::string wa_id = *wa_id_of(string_at(body, "to"));
    ChatMessage m{new_wamid(wa_id), "business", type, shown_text(body, type), unix_ms(), "sent", "", reply_to(body)};
    if (fault) {
        m.status = "failed";
        m.error = std::string(error_info(fault->code)->title);
    } else {
        m.status = impl.faults.auto_read() ? "read" : "delivered";
    }
    const ChatMessage& added = impl.conversations.add(wa_id, "", std::move(m));
    auto out = json_answer(200, accepted(string_at(body, "to"), wa_id, added.id, type == "template"));
    impl.sends.add("message", request, 200, out.body, added.id);
    report(impl, added, wa_id, fault);
    return out;
}

parley::HttpResponse mark_read(Impl& impl, const parley::HttpRequest& request, const json::object& body) {
    std::string_view id = string_at(body, "message_id");
    GraphAnswer a = id.empty() ? invalid_parameter("The parameter message_id is required.", new_fbtrace_id())
                               : GraphAnswer{200, R"({"success":true})"};
    if (auto [chat, message] = impl.conversations.find(id); message && message->from == "customer")
        message->status = "read";
    impl.sends.add("mark_read", request, a.status, a.body, "");
    return answer(a);
}

parley::HttpResponse messages(Impl& impl, const parley::HttpRequest& request) {
    if (!has_bearer(request, kAccessToken)) {
        GraphAnswer a = invalid_token(new_fbtrace_id());
        impl.sends.add("message", request, a.status, a.body, "");
        return answer(a);
    }
    json::error_code ec;
    json::value v = json::parse(request.body, ec);
    const json::object* body = ec ? nullptr : v.if_object();
    if (!body || string_at(*body, "messaging_product") != "whatsapp") {
        GraphAnswer a = invalid_parameter("The parameter messaging_product is required.", new_fbtrace_id());
        impl.sends.add("message", request, a.status, a.body, "");
        return answer(a);
    }
    if (string_at(*body, "status") == "read") return mark_read(impl, request, *body);
    return send_message(impl, request, *body);
}

}  // namespace

void add_graph_routes(Impl& impl) {
    std::string path = std::string(kGraphPath) + "/" + impl.options.api_version + "/" +
                       impl.options.phone_number_id + "/messages";
    add_route(impl, "POST", path, &messages);
}

}  // namespace parley::whatsapp::standin
