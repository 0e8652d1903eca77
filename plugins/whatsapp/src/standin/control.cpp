#include "control.hpp"

#include "graph_errors.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <array>

namespace parley::whatsapp::standin {

namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 9> kKeys = {"reset",    "duplicate", "reorder", "delay_ms",    "http_5xx",
                                                    "error",    "count",     "after_accept", "auto_read"};
constexpr std::int64_t kMaxCount = 1'000'000;
constexpr std::int64_t kMaxDelayMs = 60'000;

struct Invalid {
    std::string message;
};

bool known(std::string_view key) {
    for (auto k : kKeys)
        if (k == key) return true;
    return false;
}

int integer(const json::object& body, std::string_view key, std::int64_t low, std::int64_t high) {
    const json::value& v = body.at(key);
    if (!v.is_int64() || v.get_int64() < low || v.get_int64() > high)
        throw Invalid{"'" + std::string(key) + "' must be an integer from " + std::to_string(low) + " to " +
                      std::to_string(high)};
    return static_cast<int>(v.get_int64());
}

bool boolean(const json::object& body, std::string_view key) {
    const json::value& v = body.at(key);
    if (!v.is_bool()) throw Invalid{"'" + std::string(key) + "' must be true or false"};
    return v.get_bool();
}

std::optional<int> optional_integer(const json::object& body, std::string_view key, std::int64_t low,
                                    std::int64_t high) {
    if (!body.contains(key)) return std::nullopt;
    return integer(body, key, low, high);
}

int reorder(const json::object& body) {
    if (body.at("reorder").is_bool()) return boolean(body, "reorder") ? 2 : 0;
    return integer(body, "reorder", 0, 1000);
}

InjectedError injected_error(const json::object& body) {
    InjectedError e;
    e.code = integer(body, "error", 1, 999'999);
    if (!injectable(e.code))
        throw Invalid{"error " + std::to_string(e.code) + " is not one the stand-in injects (131047, 130429, 190, "
                      "131026, 131056)"};
    e.after_accept = error_info(e.code)->asynchronous;
    if (body.contains("count")) e.count = integer(body, "count", 0, kMaxCount);
    if (body.contains("after_accept")) e.after_accept = boolean(body, "after_accept");
    if (e.code == 190 && e.after_accept) throw Invalid{"error 190 (token) is always answered at once"};
    return e;
}

ControlChange read(const json::object& body) {
    for (const auto& field : body)
        if (!known(field.key())) throw Invalid{"unknown control '" + std::string(field.key()) + "'"};
    if ((body.contains("count") || body.contains("after_accept")) && !body.contains("error"))
        throw Invalid{"'count' and 'after_accept' go with 'error'"};
    ControlChange c;
    if (body.contains("reset")) c.reset = boolean(body, "reset");
    c.duplicate = optional_integer(body, "duplicate", 0, kMaxCount);
    if (body.contains("reorder")) c.reorder = reorder(body);
    c.delay_ms = optional_integer(body, "delay_ms", 0, kMaxDelayMs);
    c.http_5xx = optional_integer(body, "http_5xx", 0, kMaxCount);
    if (body.contains("error")) c.error = injected_error(body);
    if (body.contains("auto_read")) c.auto_read = boolean(body, "auto_read");
    return c;
}

}  // namespace

std::variant<ControlChange, std::string> parse_control(std::string_view text) {
    json::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return std::string("the body must be a JSON object");
    try {
        return read(v.get_object());
    } catch (const Invalid& e) {
        return e.message;
    }
}

}  // namespace parley::whatsapp::standin
