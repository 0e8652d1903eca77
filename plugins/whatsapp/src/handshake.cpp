#include "handshake.hpp"

#include "hex.hpp"
#include "signature.hpp"

namespace parley::whatsapp {

namespace {

std::string decode(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
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

std::map<std::string, std::string> parse_query(std::string_view query) {
    std::map<std::string, std::string> out;
    while (!query.empty()) {
        auto amp = query.find('&');
        auto pair = query.substr(0, amp);
        auto eq = pair.find('=');
        auto key = decode(pair.substr(0, eq));
        auto value = eq == std::string_view::npos ? std::string() : decode(pair.substr(eq + 1));
        if (!key.empty()) out.emplace(std::move(key), std::move(value));
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
    return out;
}

parley::HttpResponse answer_handshake(std::string_view query, std::string_view verify_token) {
    auto params = parse_query(query);
    bool ok = !verify_token.empty() && params["hub.mode"] == "subscribe" &&
              secrets_equal(params["hub.verify_token"], verify_token) && !params["hub.challenge"].empty();
    if (!ok) return {403, "text/plain; charset=utf-8", "forbidden\n"};
    // Plain text, so an echoed challenge can never be read as markup.
    return {200, "text/plain; charset=utf-8", params["hub.challenge"]};
}

}  // namespace parley::whatsapp
