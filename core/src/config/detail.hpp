// Helpers shared by the config sources. Private to core/src: toml++ stays out of
// the public headers.
#pragma once

#include <parley/core/config.hpp>

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::config::detail {

Location location_of(const toml::source_region& region, const std::string& file);

// A string, integer, float, boolean or array of strings; std::nullopt for anything else.
std::optional<Value> to_value(const toml::node& node);

Type type_of(const Value& value);

// `value` as `type`, or std::nullopt; an integer is accepted where a float is declared.
std::optional<Value> coerce(const Value& value, Type type);

// "a string", "an integer", "a table"...
std::string describe(const toml::node& node);
std::string describe(Type type);

// The allowed word within two edits of `key` ("prot" -> "port"), if any.
std::optional<std::string> closest(std::string_view key, const std::vector<std::string>& allowed);

// `unknown key 'prot' in [server]; did you mean 'port'?`; `section` "" is the top level.
std::string unknown_key(std::string_view key, std::string_view section,
                        const std::vector<std::string>& allowed);

}  // namespace parley::config::detail
