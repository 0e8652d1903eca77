#include "config/detail.hpp"

#include <algorithm>
#include <array>
#include <variant>

namespace parley::config::detail {
namespace {

std::string with_article(std::string_view noun) {
    const bool vowel = !noun.empty() && std::string_view("aeiou").find(noun[0]) != std::string_view::npos;
    return (vowel ? "an " : "a ") + std::string(noun);
}

// Optimal string alignment distance: a swap of two letters ("prot") counts as one edit.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.size()][b.size()];
}

std::optional<Value> string_array(const toml::array& array) {
    std::vector<std::string> items;
    for (const auto& element : array) {
        const auto* text = element.as_string();
        if (!text) return std::nullopt;
        items.push_back(text->get());
    }
    return Value{std::move(items)};
}

}  // namespace

std::optional<std::string> closest(std::string_view key, const std::vector<std::string>& allowed) {
    std::optional<std::string> best;
    std::size_t best_distance = 3;  // suggest only within two edits
    for (const auto& candidate : allowed) {
        const std::size_t distance = edit_distance(key, candidate);
        if (distance < best_distance && distance < candidate.size()) {
            best = candidate;
            best_distance = distance;
        }
    }
    return best;
}

Location location_of(const toml::source_region& region, const std::string& file) {
    return {file, static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

std::optional<Value> to_value(const toml::node& node) {
    if (const auto* v = node.as_string()) return Value{v->get()};
    if (const auto* v = node.as_integer()) return Value{v->get()};
    if (const auto* v = node.as_floating_point()) return Value{v->get()};
    if (const auto* v = node.as_boolean()) return Value{v->get()};
    if (const auto* v = node.as_array()) return string_array(*v);
    return std::nullopt;
}

Type type_of(const Value& value) {
    static_assert(std::variant_size_v<Value> == 5, "keep in step with Type");
    static constexpr std::array by_index{Type::string, Type::integer, Type::floating,
                                         Type::boolean, Type::string_array};
    return by_index[value.index()];
}

std::optional<Value> coerce(const Value& value, Type type) {
    if (const auto* integer = std::get_if<std::int64_t>(&value); integer && type == Type::floating)
        return Value{static_cast<double>(*integer)};
    if (type_of(value) == type) return value;
    return std::nullopt;
}

std::string describe(const toml::node& node) {
    switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
    }
    return "nothing";
}

std::string describe(Type type) {
    return with_article(type_name(type));
}

std::string unknown_key(std::string_view key, std::string_view section,
                        const std::vector<std::string>& allowed) {
    std::string message = "unknown key '" + std::string(key) + "'";
    message += section.empty() ? " at the top level" : " in [" + std::string(section) + "]";
    if (auto suggestion = closest(key, allowed)) message += "; did you mean '" + *suggestion + "'?";
    return message;
}

}  // namespace parley::config::detail
