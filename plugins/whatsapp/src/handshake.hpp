// The GET handshake Meta makes when a webhook is configured:
// ?hub.mode=subscribe&hub.verify_token=T&hub.challenge=C -> 200 with C, else 403.
#pragma once

#include <parley/plugin.hpp>

#include <map>
#include <string>
#include <string_view>

namespace parley::whatsapp {

// Query string to decoded parameters ('+' is a space, %XX a byte); the first of a repeated key wins.
std::map<std::string, std::string> parse_query(std::string_view query);

// An empty expected token refuses every handshake.
parley::HttpResponse answer_handshake(std::string_view query, std::string_view verify_token);

}  // namespace parley::whatsapp
