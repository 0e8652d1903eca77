#include "signature.hpp"

#include "hex.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <array>

namespace parley::whatsapp {

namespace {

using Digest = std::array<unsigned char, 32>;

Digest hmac(std::string_view secret, std::string_view body) {
    Digest out{};
    unsigned int size = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), out.data(), &size);
    return out;
}

Digest sha256(std::string_view s) {
    Digest out{};
    SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), out.data());
    return out;
}

std::optional<Digest> parse_header(std::string_view header) {
    constexpr std::string_view prefix = "sha256=";
    if (header.substr(0, prefix.size()) != prefix || header.size() != prefix.size() + 64) return std::nullopt;
    header.remove_prefix(prefix.size());
    Digest d{};
    for (size_t i = 0; i < d.size(); ++i) {
        int hi = hex_digit(header[2 * i]), lo = hex_digit(header[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        d[i] = static_cast<unsigned char>(hi * 16 + lo);
    }
    return d;
}

}  // namespace

std::string hmac_sha256_hex(std::string_view secret, std::string_view body) {
    auto d = hmac(secret, body);
    return to_hex({d.data(), d.size()});
}

bool signature_matches(std::string_view secret, std::string_view body, std::optional<std::string_view> header) {
    if (!header) return false;
    auto given = parse_header(*header);
    if (!given) return false;
    auto expected = hmac(secret, body);
    return CRYPTO_memcmp(given->data(), expected.data(), expected.size()) == 0;
}

bool secrets_equal(std::string_view a, std::string_view b) {
    auto da = sha256(a), db = sha256(b);
    return CRYPTO_memcmp(da.data(), db.data(), da.size()) == 0;
}

}  // namespace parley::whatsapp
