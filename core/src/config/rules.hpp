// The rule tables that describe the core's own sections, shared by parse.cpp (the
// document, [server], [store], plugin sections) and tenant.cpp ([tenants.T] and its rows).
// Private to core/src/config.
#pragma once

#include <parley/core/config.hpp>

#include "config/detail.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace parley::config::detail {

struct Context {
    std::string file;
    std::filesystem::path base_dir;
    std::vector<Diagnostic> errors;

    Location where(const toml::source_region& region) const { return location_of(region, file); }
    void error(const toml::source_region& region, std::string message) {
        errors.push_back({where(region), std::move(message)});
    }
    // `text` against the config file's folder; "", ":memory:" and absolute paths as they are.
    std::string resolve_path(const std::string& text) const;
};

// One known key of a section: how to check its node and store it into T.
template <class T>
struct KeyRule {
    std::string key;
    std::function<void(Context&, const std::string& path, const toml::node&, T&)> apply;
};

template <class T>
using Rules = std::vector<KeyRule<T>>;

inline std::string join(const std::string& section, std::string_view key) {
    return section.empty() ? std::string(key) : section + "." + std::string(key);
}

template <class T>
void apply_table(Context& ctx, const toml::table& table, const std::string& section,
                 const Rules<T>& rules, T& out) {
    for (const auto& [key, node] : table) {
        // (The name is copied for the lambda: clang 14, which builds the fuzz targets,
        // cannot capture a structured binding.)
        const std::string_view name = key.str();
        const auto rule = std::find_if(rules.begin(), rules.end(), [name](const KeyRule<T>& r) { return r.key == name; });
        if (rule != rules.end()) {
            rule->apply(ctx, join(section, key.str()), node, out);
            continue;
        }
        std::vector<std::string> allowed;
        for (const auto& r : rules) allowed.push_back(r.key);
        ctx.error(key.source(), unknown_key(key.str(), section, allowed));
    }
}

// The node as toml::value<V> (or table/array), or a diagnostic naming both types.
template <class V>
const auto* expect(Context& ctx, const std::string& path, const toml::node& node, const char* expected) {
    const auto* typed = node.as<V>();
    if (!typed) ctx.error(node.source(), path + ": expected " + expected + ", got " + describe(node));
    return typed;
}

// An integer within [min, max] (max INT_MAX: no upper bound), or a diagnostic.
std::optional<int> int_in_range(Context& ctx, const std::string& path, const toml::node& node,
                                std::int64_t min, std::int64_t max);

template <class T>
KeyRule<T> string_key(std::string key, std::string T::*field) {
    return {std::move(key), [field](Context& ctx, const std::string& path, const toml::node& node, T& out) {
                if (const auto* v = expect<std::string>(ctx, path, node, "a string")) out.*field = v->get();
            }};
}

template <class T>
KeyRule<T> int_key(std::string key, int T::*field, std::int64_t min, std::int64_t max = INT_MAX) {
    return {std::move(key), [=](Context& ctx, const std::string& path, const toml::node& node, T& out) {
                if (auto value = int_in_range(ctx, path, node, min, max)) out.*field = *value;
            }};
}

// Items with a `where` (rows, diagnostics) in file order: toml++ keeps keys sorted.
template <class T>
void sort_by_location(std::vector<T>& items) {
    std::stable_sort(items.begin(), items.end(), [](const T& a, const T& b) {
        return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
    });
}

// [plugins.X] or [tenants.T.plugins.X]: a table of plugin tables, each kept raw (parse.cpp).
void plugin_sections(Context& ctx, const std::string& path, const toml::node& node,
                     std::map<std::string, RawSection>& out);

// [tenants]: every tenant in file order, with its rows checked against each other (tenant.cpp).
void parse_tenants(Context& ctx, const std::string& path, const toml::node& node,
                   std::vector<TenantConfig>& out);

}  // namespace parley::config::detail
