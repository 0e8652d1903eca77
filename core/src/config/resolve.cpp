// Validation of a plugin section against the schema the plugin declares.
#include <parley/core/config.hpp>

#include "config/detail.hpp"

#include <algorithm>

namespace parley::config {
namespace {

const FieldSpec* find_spec(const Schema& schema, const std::string& key) {
    const auto it = std::find_if(schema.begin(), schema.end(),
                                 [&](const FieldSpec& spec) { return spec.key == key; });
    return it == schema.end() ? nullptr : &*it;
}

std::vector<std::string> keys_of(const Schema& schema) {
    std::vector<std::string> keys;
    for (const auto& spec : schema) keys.push_back(spec.key);
    return keys;
}

std::string dotted(const RawSection* raw, const std::string& key) {
    return raw && !raw->name.empty() ? raw->name + "." + key : key;
}

Location header_of(const RawSection* raw) {
    return raw ? raw->where : Location{};
}

std::string bad_default(const RawSection* raw, const FieldSpec& spec) {
    return dotted(raw, spec.key) + ": the plugin declares an invalid " + type_name(spec.type) + " default '" +
           *spec.default_value + "'";
}

// The starting value of every declared key: `base` first, then the schema default.
void fill_defaults(Section& out, const Schema& schema, const Section* base, const RawSection* raw,
                   std::vector<Diagnostic>& errors) {
    for (const auto& spec : schema) {
        if (const Value* inherited = base ? base->find(spec.key) : nullptr) {
            out.set(spec.key, *inherited);
        } else if (spec.default_value) {
            if (auto value = parse_default(*spec.default_value, spec.type))
                out.set(spec.key, std::move(*value));
            else
                errors.push_back({header_of(raw), bad_default(raw, spec)});
        }
    }
}

void apply_raw(Section& out, const RawSection& raw, const Schema& schema,
               std::vector<Diagnostic>& errors) {
    for (const auto& [key, given] : raw.values) {
        const FieldSpec* spec = find_spec(schema, key);
        if (!spec) {
            errors.push_back({given.key_where, detail::unknown_key(key, raw.name, keys_of(schema))});
            continue;
        }
        if (auto value = detail::coerce(given.value, spec->type))
            out.set(key, std::move(*value));
        else
            errors.push_back({given.where, dotted(&raw, key) + ": expected " + detail::describe(spec->type) +
                                               ", got " + detail::describe(detail::type_of(given.value))});
    }
}

void check_required(const Section& out, const Schema& schema, const RawSection* raw,
                     std::vector<Diagnostic>& errors) {
    for (const auto& spec : schema) {
        if (out.find(spec.key) || spec.default_value) continue;
        const std::string section = raw && !raw->name.empty() ? "[" + raw->name + "] is missing" : "missing";
        errors.push_back({header_of(raw), section + " required key '" + spec.key + "'"});
    }
}

}  // namespace

Section resolve(const RawSection* raw, const Schema& schema, const Section* base,
                std::vector<Diagnostic>& errors) {
    Section out;
    fill_defaults(out, schema, base, raw, errors);
    if (raw) apply_raw(out, *raw, schema, errors);
    check_required(out, schema, raw, errors);
    return out;
}

}  // namespace parley::config
