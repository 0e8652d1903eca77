#include "manifest.hpp"

#include <toml++/toml.h>

#include <cstdio>

namespace parley::plugins {

namespace {

config::Location where(const std::string& path, const toml::source_region& src) {
    return {path, static_cast<int>(src.begin.line), static_cast<int>(src.begin.column)};
}

bool parse_abi(const std::string& text, Manifest& m) {
    return std::sscanf(text.c_str(), "%d.%d", &m.abi_major, &m.abi_minor) == 2;
}

}  // namespace

std::optional<Manifest> read_manifest(const std::string& path, std::vector<config::Diagnostic>& errors) {
    toml::table table;
    try {
        table = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        errors.push_back({where(path, e.source()), std::string(e.description())});
        return std::nullopt;
    }
    Manifest m;
    m.file = path;
    const auto before = errors.size();
    auto text = [&](const char* key, std::string& out, bool required) {
        auto node = table[key];
        if (auto v = node.value<std::string>()) {
            out = *v;
        } else if (node || required) {
            auto src = node ? node.node()->source() : table.source();
            errors.push_back({where(path, src), std::string("manifest key '") + key + "' must be a string"});
        }
    };
    text("id", m.id, true);
    text("version", m.version, true);
    text("kind", m.kind, true);
    text("library", m.library, true);
    text("description", m.description, false);
    std::string abi;
    text("abi", abi, true);
    if (!abi.empty() && !parse_abi(abi, m))
        errors.push_back({where(path, table["abi"].node()->source()), "abi must be written MAJOR.MINOR, like \"1.0\""});
    if (!m.kind.empty() && m.kind != "channel" && m.kind != "feature")
        errors.push_back({where(path, table["kind"].node()->source()), "kind must be \"channel\" or \"feature\""});
    if (auto deps = table["requires"].as_array()) {
        for (auto& d : *deps) {
            if (auto s = d.value<std::string>()) m.dependencies.push_back(*s);
            else errors.push_back({where(path, d.source()), "requires must list plugin ids as strings"});
        }
    }
    for (auto& [key, node] : table) {
        static const char* known[] = {"id", "version", "kind", "library", "description", "abi", "requires"};
        bool ok = false;
        for (auto* k : known) ok = ok || key.str() == k;
        if (!ok) errors.push_back({where(path, node.source()), "unknown manifest key '" + std::string(key.str()) + "'"});
    }
    if (errors.size() != before) return std::nullopt;
    return m;
}

}  // namespace parley::plugins
