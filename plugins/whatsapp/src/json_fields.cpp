#include "json_fields.hpp"

#include <boost/json/parse.hpp>

#include <charconv>

namespace parley::whatsapp {

namespace json = boost::json;

std::string text_of(const json::object& o, std::string_view key) {
    auto p = o.if_contains(key);
    return p && p->is_string() ? std::string(p->get_string()) : std::string();
}

const json::object& object_of(const json::object& o, std::string_view key) {
    static const json::object empty;
    auto p = o.if_contains(key);
    return p && p->is_object() ? p->get_object() : empty;
}

const json::array& array_of(const json::object& o, std::string_view key) {
    static const json::array empty;
    auto p = o.if_contains(key);
    return p && p->is_array() ? p->get_array() : empty;
}

json::object parse_object(std::string_view text) {
    json::error_code ec;
    auto v = json::parse(text, ec);
    return !ec && v.is_object() ? std::move(v.get_object()) : json::object();
}

std::int64_t integer_of(const json::object& o, std::string_view key) {
    auto p = o.if_contains(key);
    if (!p) return 0;
    if (p->is_int64()) return p->get_int64();
    if (p->is_uint64()) return static_cast<std::int64_t>(p->get_uint64());
    if (!p->is_string()) return 0;
    auto s = p->get_string();
    std::int64_t n = 0;
    std::from_chars(s.data(), s.data() + s.size(), n);
    return n;
}

}  // namespace parley::whatsapp
