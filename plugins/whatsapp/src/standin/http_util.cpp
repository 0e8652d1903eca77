#include "http_util.hpp"

#include <boost/json/serialize.hpp>

#include <chrono>

namespace parley::whatsapp::standin {

namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

}  // namespace

parley::HttpResponse json_answer(int status, const boost::json::value& body) {
    return {status, "application/json", boost::json::serialize(body)};
}

parley::HttpResponse plain_error(int status, std::string_view message) {
    return json_answer(status, boost::json::object{{"error", message}});
}

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        auto amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        auto eq = pair.find('=');
        if (decode(pair.substr(0, eq)) != name) continue;
        return eq == std::string_view::npos ? std::string() : decode(pair.substr(eq + 1));
    }
    return std::nullopt;
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
