// Digests the stand-in needs: the webhook signature and the media hashes (OpenSSL).
#pragma once

#include <string>
#include <string_view>

namespace parley::whatsapp::standin {

// Lowercase hex of HMAC-SHA256(key, data).
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
// The X-Hub-Signature-256 header value Meta sends: "sha256=" + hex HMAC of the body.
std::string signature_header(std::string_view app_secret, std::string_view body);
// SHA-256 of data: lowercase hex (media URL answer), standard base64 (webhooks).
std::string sha256_hex(std::string_view data);
std::string sha256_base64(std::string_view data);
// Standard base64 with padding.
std::string base64(std::string_view bytes);

}  // namespace parley::whatsapp::standin
