#include "parley/core/http.hpp"

#include <sodium.h>

#include <charconv>
#include <optional>
#include <stdexcept>

namespace parley::http {

namespace {

// The value of `name` in a query string ("a=1&until=2"), or nothing.
std::optional<std::string_view> query_value(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=')
            return pair.substr(name.size() + 1);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
    return std::nullopt;
}

}  // namespace

SignedLinks::SignedLinks(std::string prefix, std::int64_t lifetime_s)
    : prefix_(std::move(prefix)), lifetime_s_(lifetime_s), key_(crypto_auth_hmacsha256_KEYBYTES, '\0') {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
    randombytes_buf(key_.data(), key_.size());
}

bool SignedLinks::covers(std::string_view path) const { return path.starts_with(prefix_); }

std::string SignedLinks::mac(std::string_view path, std::int64_t until) const {
    const std::string message = std::string(path) + "\n" + std::to_string(until);
    unsigned char out[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    crypto_auth_hmacsha256_final(&state, out);
    char hex[2 * sizeof out + 1];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return hex;
}

std::string SignedLinks::sign(std::string_view path, std::int64_t now_s) const {
    const std::int64_t until = (now_s / 3600 + 1) * 3600 + lifetime_s_;  // the same all hour
    return std::string(path) + "?until=" + std::to_string(until) + "&sig=" + mac(path, until);
}

bool SignedLinks::valid(std::string_view path, std::string_view query, std::int64_t now_s) const {
    const auto until_text = query_value(query, "until");
    const auto sig = query_value(query, "sig");
    if (!until_text || !sig) return false;
    std::int64_t until = 0;
    const auto [end, ec] = std::from_chars(until_text->data(), until_text->data() + until_text->size(), until);
    if (ec != std::errc() || end != until_text->data() + until_text->size() || until < now_s) return false;
    const std::string want = mac(path, until);
    return sig->size() == want.size() && sodium_memcmp(sig->data(), want.data(), want.size()) == 0;
}

}  // namespace parley::http
