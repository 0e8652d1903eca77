#include "signature.hpp"

#include "hex.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/sha.h>

#include <array>
#include <memory>
#include <optional>
#include <string>

namespace parley::whatsapp {

namespace {

using Digest = std::array<unsigned char, 32>;

Digest hmac_once(std::string_view secret, std::string_view body) {
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
    auto d = hmac_once(secret, body);
    return to_hex({d.data(), d.size()});
}

bool signature_matches(std::string_view secret, std::string_view body, std::optional<std::string_view> header) {
    if (!header) return false;
    auto given = parse_header(*header);
    if (!given) return false;
    auto expected = hmac_once(secret, body);
    return CRYPTO_memcmp(given->data(), expected.data(), expected.size()) == 0;
}

// An HMAC context keyed with the secret once, reset for each body.
class Signer::Context {
public:
    explicit Context(std::string_view secret) {
        static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);  // never freed: shared by threads
        ctx_ = mac ? EVP_MAC_CTX_new(mac) : nullptr;
        char digest[] = "SHA256";
        const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0), OSSL_PARAM_construct_end()};
        if (ctx_ && EVP_MAC_init(ctx_, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), params) != 1) {
            EVP_MAC_CTX_free(ctx_);
            ctx_ = nullptr;
        }
    }
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;
    ~Context() { EVP_MAC_CTX_free(ctx_); }

    std::optional<Digest> sign(std::string_view body) {
        Digest out{};
        std::size_t size = 0;
        // A null key keeps the key set before (OpenSSL's EVP_MAC_init).
        if (!ctx_ || EVP_MAC_init(ctx_, nullptr, 0, nullptr) != 1 ||
            EVP_MAC_update(ctx_, reinterpret_cast<const unsigned char*>(body.data()), body.size()) != 1 ||
            EVP_MAC_final(ctx_, out.data(), &size, out.size()) != 1 || size != out.size())
            return std::nullopt;
        return out;
    }

private:
    EVP_MAC_CTX* ctx_ = nullptr;
};

Signer::Signer(std::string secret) : secret_(std::move(secret)) {}
Signer::~Signer() = default;

bool Signer::matches(std::string_view body, std::optional<std::string_view> header) {
    if (!header) return false;
    auto given = parse_header(*header);
    if (!given) return false;
    std::unique_ptr<Context> context;
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            context = std::move(idle_.back());
            idle_.pop_back();
        }
    }
    if (!context) context = std::make_unique<Context>(secret_);
    auto expected = context->sign(body);
    if (!expected) expected = hmac_once(secret_, body);
    {
        std::lock_guard lock(mutex_);
        idle_.push_back(std::move(context));
    }
    return CRYPTO_memcmp(given->data(), expected->data(), expected->size()) == 0;
}

bool secrets_equal(std::string_view a, std::string_view b) {
    auto da = sha256(a), db = sha256(b);
    return CRYPTO_memcmp(da.data(), db.data(), da.size()) == 0;
}

}  // namespace parley::whatsapp
