#include "view_filter.hpp"

#include <boost/json.hpp>

namespace parley::masking {

namespace json = boost::json;

namespace {

void mask_strings(json::value& v, const Policy& p) {
    if (v.is_string()) {
        auto& s = v.get_string();
        // Most strings hold nothing to mask: then nothing is copied.
        thread_local std::string masked;
        if (mask_into(std::string_view(s.data(), s.size()), masked, p.entities, p.mask_char)) s = masked;
    } else if (v.is_object()) {
        for (auto& [key, value] : v.get_object()) mask_strings(value, p);
    } else if (v.is_array()) {
        for (auto& value : v.get_array()) mask_strings(value, p);
    }
}

}  // namespace

std::optional<std::string> mask_view(std::string_view payload, const Policies& policies) {
    auto doc = json::parse(payload);
    auto& o = doc.as_object();
    auto policy = policies.get(std::string(o.at("tenant").as_string()));
    if (!policy.masks(std::string(o.at("surface").as_string()))) return std::nullopt;
    mask_strings(o.at("view"), policy);
    return json::serialize(doc);
}

}  // namespace parley::masking
