// Reading plugin.toml (toml++ stays in manifest.cpp).
#pragma once

#include "parley/core/config.hpp"
#include "parley/core/plugin_host.hpp"

#include <optional>
#include <string>
#include <vector>

namespace parley::plugins {

// Parses a manifest; on failure returns nothing and appends the reasons.
std::optional<Manifest> read_manifest(const std::string& path, std::vector<config::Diagnostic>& errors);

}  // namespace parley::plugins
