#include "inbound.hpp"

#include "json_fields.hpp"

#include <algorithm>
#include <array>

namespace parley::whatsapp {

namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 5> kMediaKinds = {"image", "video", "audio", "document", "sticker"};

bool is_media(std::string_view type) {
    return std::find(kMediaKinds.begin(), kMediaKinds.end(), type) != kMediaKinds.end();
}

bool all_digits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct Rendered {
    std::string kind;
    std::string text;
    json::object attachment;
};

void copy_if_set(json::object& to, const json::object& from, std::string_view key) {
    if (auto v = text_of(from, key); !v.empty()) to[key] = v;
}

std::string media_label(const std::string& kind, const json::object& media) {
    if (kind == "document") {
        auto name = text_of(media, "filename");
        return name.empty() ? "Document" : "Document: " + name;
    }
    if (kind == "audio" && media.contains("voice") && media.at("voice").is_bool() && media.at("voice").get_bool())
        return "Voice message";
    std::string label = kind;
    label[0] = static_cast<char>(label[0] - 'a' + 'A');
    return label;
}

Rendered media(const std::string& kind, const json::object& m) {
    auto& media = object_of(m, kind);
    json::object a{{"type", kind}, {"media_id", text_of(media, "id")}};
    copy_if_set(a, media, "mime_type");
    copy_if_set(a, media, "caption");
    copy_if_set(a, media, "filename");
    if (auto v = media.if_contains("voice"); v && v->is_bool()) a["voice"] = v->get_bool();
    auto caption = text_of(media, "caption");
    return {kind, caption.empty() ? media_label(kind, media) : caption, std::move(a)};
}

Rendered location(const json::object& m) {
    auto& l = object_of(m, "location");
    json::object a{{"type", "location"}};
    for (auto key : {"latitude", "longitude"})
        if (auto v = l.if_contains(key); v && v->is_number()) a[key] = *v;
    copy_if_set(a, l, "name");
    copy_if_set(a, l, "address");
    copy_if_set(a, l, "url");
    auto name = text_of(l, "name"), address = text_of(l, "address");
    auto text = name.empty() ? address : address.empty() ? name : name + ", " + address;
    return {"location", text.empty() ? "Location" : text, std::move(a)};
}

Rendered unsupported(const std::string& type, const json::object& m) {
    json::object a{{"type", type.empty() ? "unknown" : type}};
    auto& errors = array_of(m, "errors");
    if (!errors.empty() && errors[0].is_object()) {
        a["error_code"] = integer_of(errors[0].get_object(), "code");
        a["error_title"] = text_of(errors[0].get_object(), "title");
    }
    return {"unsupported",
            "[The customer sent a " + (type.empty() ? std::string("message") : type + " message") +
                " that this channel cannot show; ask them to send it as text]",
            std::move(a)};
}

Rendered interactive(const json::object& m) {
    auto& i = object_of(m, "interactive");
    auto type = text_of(i, "type");
    if (type != "button_reply" && type != "list_reply") return unsupported("interactive " + type, m);
    auto& reply = object_of(i, type);
    json::object a{{"type", type}, {"id", text_of(reply, "id")}, {"title", text_of(reply, "title")}};
    copy_if_set(a, reply, "description");
    return {"reply", text_of(reply, "title"), std::move(a)};
}

Rendered button(const json::object& m) {
    auto& b = object_of(m, "button");
    return {"reply", text_of(b, "text"), {{"type", "button"}, {"payload", text_of(b, "payload")}}};
}

Rendered reaction(const json::object& m) {
    auto& r = object_of(m, "reaction");
    auto emoji = text_of(r, "emoji");
    return {"reaction", emoji.empty() ? "(reaction removed)" : emoji,
            {{"type", "reaction"}, {"message_id", text_of(r, "message_id")}, {"emoji", emoji}}};
}

Rendered render(const json::object& m) {
    auto type = text_of(m, "type");
    if (type == "text") return {"text", text_of(object_of(m, "text"), "body"), {}};
    if (is_media(type)) return media(type, m);
    if (type == "location") return location(m);
    if (type == "interactive") return interactive(m);
    if (type == "button") return button(m);
    if (type == "reaction") return reaction(m);
    return unsupported(type, m);
}

}  // namespace

std::string customer_number(const CustomerMessage& m) {
    auto wa_id = m.contact.wa_id.empty() ? text_of(m.message, "from") : m.contact.wa_id;
    if (all_digits(wa_id)) return "+" + wa_id;
    if (!m.contact.user_id.empty()) return m.contact.user_id;
    return text_of(m.message, "from_user_id");
}

// Meta's timestamps are Unix seconds. One past the year 9999 is no time a customer wrote
// at, and in milliseconds it would overflow (a fuzz find): the message then goes without
// its own time, and the engine places it at the time it came.
constexpr std::int64_t kLastSecond = 253'402'300'799;  // 9999-12-31T23:59:59Z

json::object inbound_args(const CustomerMessage& m, const std::string& origin) {
    auto r = render(m.message);
    json::object args{{"channel", "whatsapp"},
                      {"origin", origin},
                      {"customer_number", customer_number(m)},
                      {"customer_name", m.contact.name},
                      {"text", r.text},
                      {"channel_message_id", m.id},
                      {"kind", r.kind}};
    if (m.timestamp > 0 && m.timestamp <= kLastSecond) args["time_ms"] = m.timestamp * 1000;
    if (auto reply_to = text_of(object_of(m.message, "context"), "id"); !reply_to.empty())
        r.attachment["reply_to"] = reply_to;
    if (!r.attachment.empty()) args["attachment"] = std::move(r.attachment);
    return args;
}

std::optional<MediaRef> media_of(const CustomerMessage& m) {
    auto type = text_of(m.message, "type");
    if (!is_media(type)) return std::nullopt;
    auto& media = object_of(m.message, type);
    auto id = text_of(media, "id");
    if (id.empty()) return std::nullopt;
    return MediaRef{id, type, text_of(media, "mime_type")};
}

void attach_media(json::object& args, const StoredMedia& media) {
    auto& a = args["attachment"].as_object();
    if (!media.ok) {
        a["error"] = "the " + std::string(args["kind"].as_string()) + " could not be downloaded: " + media.error;
        return;
    }
    a["url"] = media.url;
    a["size"] = media.size;
    if (!media.mime_type.empty()) a["mime_type"] = media.mime_type;
}

}  // namespace parley::whatsapp
