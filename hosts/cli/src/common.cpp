#include "common.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>

namespace fs = std::filesystem;

namespace parley::cli {

namespace {

// What `parley serve` runs with when no --config is given.
constexpr const char* embedded_defaults = R"(
[server]
listen = "127.0.0.1"
port = 8080

[store]
path = "parley.db"

[plugins.whatsapp]
[plugins.masking]
[plugins.transfer]
[plugins.wrapup]
)";

}  // namespace

config::ParseResult load_config(const CommonOptions& options) {
    if (options.config_file.empty()) return config::parse_text(embedded_defaults, "(embedded defaults)");
    return config::parse_file(options.config_file);
}

std::string executable_dir() {
    std::error_code ec;
    auto exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string(".") : exe.parent_path().string();
}

std::vector<std::string> plugin_search_path(const CommonOptions& options, const config::Document& doc) {
    std::vector<std::string> path = options.plugin_path;
    path.insert(path.end(), doc.server.plugin_path.begin(), doc.server.plugin_path.end());
    // The build tree uses lib/; an install may use another libdir (lib64, lib/<triplet>).
    for (std::string libdir : {std::string("lib"), std::string(PARLEY_INSTALL_LIBDIR)}) {
        auto dir = (fs::path(executable_dir()) / ".." / libdir / "parley" / "plugins").lexically_normal().string();
        if (std::find(path.begin(), path.end(), dir) == path.end()) path.push_back(dir);
    }
    return path;
}

void print_diagnostics(const std::vector<config::Diagnostic>& errors) {
    for (auto& e : errors) std::cerr << e.to_string() << "\n";
}

}  // namespace parley::cli
