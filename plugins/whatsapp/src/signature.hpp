// Meta signs each webhook body with the app secret: X-Hub-Signature-256 is
// "sha256=" + hex(HMAC-SHA256(app_secret, raw body)).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace parley::whatsapp {

// Lowercase hex of HMAC-SHA256(secret, body).
std::string hmac_sha256_hex(std::string_view secret, std::string_view body);

// Checks the header over the raw bytes, in constant time; false when it is missing or malformed.
bool signature_matches(std::string_view secret, std::string_view body, std::optional<std::string_view> header);

// Constant-time equality that does not reveal the length either (compares digests).
bool secrets_equal(std::string_view a, std::string_view b);

}  // namespace parley::whatsapp
