// Meta signs each webhook body with the app secret: X-Hub-Signature-256 is
// "sha256=" + hex(HMAC-SHA256(app_secret, raw body)).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::whatsapp {

// Lowercase hex of HMAC-SHA256(secret, body).
std::string hmac_sha256_hex(std::string_view secret, std::string_view body);

// Checks the header over the raw bytes, in constant time; false when it is missing or malformed.
bool signature_matches(std::string_view secret, std::string_view body, std::optional<std::string_view> header);

// Checks X-Hub-Signature-256 for one channel, like signature_matches, from several
// threads at once. OpenSSL 3's one-shot HMAC() fetches the algorithm and builds and frees
// a context on every call: nine tenths of the check on a 1.3 KB webhook (perf,
// bench/webhook). So contexts keyed with the secret are kept, each used by one thread at
// a time, and freed with the Signer (the plugin's, not the server threads').
class Signer {
public:
    explicit Signer(std::string secret);
    ~Signer();
    Signer(const Signer&) = delete;
    Signer& operator=(const Signer&) = delete;

    bool matches(std::string_view body, std::optional<std::string_view> header);

private:
    class Context;
    std::string secret_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<Context>> idle_;
};

// Constant-time equality that does not reveal the length either (compares digests).
bool secrets_equal(std::string_view a, std::string_view b);

}  // namespace parley::whatsapp
