#include <parley/core/config.hpp>

#include "config/detail.hpp"

namespace parley::config {

std::string Diagnostic::to_string() const {
    std::string out = where.file;
    if (where.line > 0) {
        // Appends one piece at a time: `":" + std::to_string(n)` trips GCC 12's -Wrestrict at -O3.
        out += ':';
        out += std::to_string(where.line);
        out += ':';
        out += std::to_string(where.column);
    }
    if (!out.empty()) out += ": ";
    return out + message;
}

const char* type_name(Type type) {
    switch (type) {
    case Type::string: return "string";
    case Type::integer: return "integer";
    case Type::floating: return "float";
    case Type::boolean: return "boolean";
    case Type::string_array: return "array of strings";
    }
    return "unknown";
}

const Value* Section::find(const std::string& key) const {
    const auto it = values_.find(key);
    return it == values_.end() ? nullptr : &it->second;
}

std::optional<Value> parse_default(const std::string& text, Type type) {
    try {
        const std::string document = "value = " + text;
        const toml::table table = toml::parse(std::string_view(document));
        const toml::node* node = table.get("value");
        if (table.size() != 1 || node == nullptr) return std::nullopt;
        const auto value = detail::to_value(*node);
        return value ? detail::coerce(*value, type) : std::nullopt;
    } catch (...) {
        return std::nullopt;
    }
}

}  // namespace parley::config
