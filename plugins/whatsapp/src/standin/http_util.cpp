#include "http_util.hpp"

#include "handshake.hpp"

#include <boost/json/serialize.hpp>

#include <chrono>

namespace parley::whatsapp::standin {

parley::HttpResponse json_answer(int status, const boost::json::value& body) {
    return {status, "application/json", boost::json::serialize(body)};
}

parley::HttpResponse plain_error(int status, std::string_view message) {
    return json_answer(status, boost::json::object{{"error", message}});
}

// The channel's own query parsing, so both sides decode alike.
std::optional<std::string> query_param(std::string_view query, std::string_view name) {
    auto params = parse_query(query);
    auto it = params.find(std::string(name));
    if (it == params.end()) return std::nullopt;
    return it->second;
}

std::string url_encode(std::string_view s) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                          c == '.' || c == '_' || c == '~';
        if (unreserved) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += digits[c >> 4];
            out += digits[c & 0x0f];
        }
    }
    return out;
}

bool has_bearer(const parley::HttpRequest& request, std::string_view token) {
    auto value = request.header("Authorization");
    return value && *value == "Bearer " + std::string(token);
}

std::optional<std::string> wa_id_of(std::string_view number) {
    if (!number.empty() && (number.front() == '+' || number.front() == ' ')) number.remove_prefix(1);
    if (number.size() < 7 || number.size() > 15 || number.front() == '0') return std::nullopt;
    for (char c : number)
        if (c < '0' || c > '9') return std::nullopt;
    return std::string(number);
}

std::string unix_seconds() { return std::to_string(unix_ms() / 1000); }

std::int64_t unix_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace parley::whatsapp::standin
