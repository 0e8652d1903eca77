// A tenant's masking policy, and the table of policies all instances of this
// plugin share (the defaults instance serves every tenant without its own).
#pragma once

#include "detect/detect.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace parley::masking {

// Every surface of DESIGN.md's list, plus "logs".
const std::vector<std::string>& all_surfaces();

struct Policy {
    bool enabled = false;
    std::uint32_t entities = all_entities;
    std::string mask_char = "*";
    std::set<std::string> surfaces;

    bool masks(const std::string& surface) const { return enabled && surfaces.count(surface) > 0; }
};

// Builds a policy from config values; throws std::invalid_argument with a sentence.
Policy make_policy(bool enabled, const std::vector<std::string>& entities, const std::string& mask_char,
                   const std::vector<std::string>& surfaces);

class Policies {
public:
    void set(const std::string& tenant, Policy policy);
    void erase(const std::string& tenant);
    // The tenant's own policy, else the defaults (""), else masking off.
    Policy get(const std::string& tenant) const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, Policy> by_tenant_;
};

}  // namespace parley::masking
