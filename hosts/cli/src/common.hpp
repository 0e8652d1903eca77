// What the subcommands of `parley` share.
#pragma once

#include "parley/core/config.hpp"

#include <string>
#include <vector>

namespace parley::cli {

// Documented in docs/cli.md.
enum Exit : int {
    exit_ok = 0,
    exit_config = 1,      // the config has errors (each printed as file:line:col: message)
    exit_usage = 2,       // bad command line
    exit_listen = 3,      // the address is in use or not available
    exit_plugins = 4,     // a feature a tenant turned on is not available (fail closed)
    exit_internal = 5,    // anything else; the log says what
};

struct CommonOptions {
    std::string config_file;               // empty: embedded defaults
    std::vector<std::string> plugin_path;  // --plugin-path, searched first
};

// Parses the config file, or the embedded defaults when none is given.
config::ParseResult load_config(const CommonOptions& options);
// --plugin-path, then [server] plugin_path, then the plugins installed beside the binary.
std::vector<std::string> plugin_search_path(const CommonOptions& options, const config::Document& doc);
// Folder of the running executable.
std::string executable_dir();
void print_diagnostics(const std::vector<config::Diagnostic>& errors);

int serve(const CommonOptions& options, const std::string& log_format);
int check(const CommonOptions& options);
int list_plugins(const CommonOptions& options, bool json);
// Reads a password from stdin, prints its argon2id hash for an agent's password_hash.
int passwd();
int reload(const CommonOptions& options, const std::string& url);
int demo();

struct MaskOptions {
    std::string tenant;    // whose policy; "" = mask every entity
    std::string entities;  // "card,iban": mask these whatever the policy says
    bool json = false;     // one {"masked","spans"} object per line
};
int mask(const CommonOptions& options, const MaskOptions& mask_options);

}  // namespace parley::cli
