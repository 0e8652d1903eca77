#include "policy.hpp"

#include <stdexcept>

namespace parley::masking {

const std::vector<std::string>& all_surfaces() {
    static const std::vector<std::string> surfaces{"offer",        "notification", "task_list", "interaction_panel",
                                                   "conversation", "history",      "logs"};
    return surfaces;
}

namespace {

// One UTF-8 character, not a control character.
bool single_character(const std::string& s) {
    if (s.empty() || static_cast<unsigned char>(s[0]) < 0x20) return false;
    auto lead = static_cast<unsigned char>(s[0]);
    std::size_t n = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
    return n == s.size();
}

}  // namespace

Policy make_policy(bool enabled, const std::vector<std::string>& entities, const std::string& mask_char,
                   const std::vector<std::string>& surfaces) {
    Policy p;
    p.enabled = enabled;
    p.entities = 0;
    for (auto& name : entities) {
        auto e = entity_from_name(name);
        if (!e) throw std::invalid_argument("unknown entity '" + name + "'; use card, iban, ssn, email, phone");
        p.entities |= 1u << static_cast<unsigned>(*e);
    }
    if (!single_character(mask_char) || !valid_mask_char(mask_char))
        throw std::invalid_argument("mask_char must be one character that cannot be read as text or a number "
                                    "(not a letter, digit, currency sign, %, space, '+' or '@'), not '" +
                                    mask_char + "'");
    p.mask_char = mask_char;
    for (auto& s : surfaces) {
        bool known = false;
        for (auto& k : all_surfaces()) known = known || k == s;
        if (!known) throw std::invalid_argument("unknown surface '" + s + "'");
        p.surfaces.insert(s);
    }
    return p;
}

void Policies::set(const std::string& tenant, Policy policy) {
    std::lock_guard lock(mutex_);
    by_tenant_[tenant] = std::move(policy);
}

void Policies::erase(const std::string& tenant) {
    std::lock_guard lock(mutex_);
    by_tenant_.erase(tenant);
}

Policy Policies::get(const std::string& tenant) const {
    std::lock_guard lock(mutex_);
    auto it = by_tenant_.find(tenant);
    if (it == by_tenant_.end()) it = by_tenant_.find("");
    return it == by_tenant_.end() ? Policy{} : it->second;
}

}  // namespace parley::masking
