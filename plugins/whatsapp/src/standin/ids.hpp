// Fresh identifiers in the shapes Meta uses. Random, so that they stay unique across
// restarts of the stand-in (parley's store remembers every message id it saw).
#pragma once

#include <string>
#include <string_view>

namespace parley::whatsapp::standin {

// "wamid." + base64 of the recipient's digits and random bytes, like Meta's.
std::string new_wamid(std::string_view wa_id);
// A media id: 16 digits.
std::string new_media_id();
// A fbtrace_id: 23 characters of [A-Za-z0-9_-].
std::string new_fbtrace_id();
// The hub.challenge of a verify handshake: 10 digits.
std::string new_challenge();
// A conversation id: 32 lowercase hex digits.
std::string new_conversation_id();

}  // namespace parley::whatsapp::standin
