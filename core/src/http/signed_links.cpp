#include "parley/core/http.hpp"

#include <sodium.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
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
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(until));
    return std::string(path) + "?link=" + hex + mac(path, until);
}

bool SignedLinks::valid(std::string_view path, std::string_view query, std::int64_t now_s) const {
    const auto link = query_value(query, "link");
    if (!link || link->size() != 16 + 2 * crypto_auth_hmacsha256_BYTES) return false;
    std::uint64_t until = 0;
    const auto [end, ec] = std::from_chars(link->data(), link->data() + 16, until, 16);
    if (ec != std::errc() || end != link->data() + 16 || until < static_cast<std::uint64_t>(now_s) ||
        until > static_cast<std::uint64_t>(INT64_MAX))
        return false;
    const std::string want = mac(path, static_cast<std::int64_t>(until));
    return sodium_memcmp(link->data() + 16, want.data(), want.size()) == 0;
}

}  // namespace parley::http
