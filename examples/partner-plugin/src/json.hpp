// Just enough JSON for a webhook: read the string members of a top-level object,
// and quote strings for replies. A real plugin may link any JSON library it likes
// (statically, hidden): nothing of it crosses the plugin boundary.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace acme::json {

// The string-valued members of a top-level JSON object; members of other types are
// skipped. Returns std::nullopt and sets `error` when `text` is not a JSON object.
std::optional<std::map<std::string, std::string>> string_members(std::string_view text, std::string& error);

// `s` as a JSON string literal, quotes included.
std::string quote(std::string_view s);

}  // namespace acme::json
