// Logging through spdlog. Every logger is named by what it speaks for ("core",
// "http", or a plugin id) and every line carries that tag; `format = "json"` writes
// one JSON object per line.
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <string>

namespace parley::log {

struct Options {
    std::string format = "text";  // "text" or "json"
    std::string level = "info";   // trace, debug, info, warn, error
    std::string file;             // also append to this file when non-empty
};

// Replaces the sinks of every logger, existing and future. Throws on a bad file.
void init(const Options& options);

// The logger tagged `tag`, created on first use.
std::shared_ptr<spdlog::logger> get(const std::string& tag);

}  // namespace parley::log
