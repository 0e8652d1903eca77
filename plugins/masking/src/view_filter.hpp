// Masks every string of a view (the JSON the core's view layer builds) that the
// tenant's policy covers. Keys and numbers are left alone.
#pragma once

#include "policy.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace parley::masking {

// payload: {"tenant":"acme","surface":"task_list","view":{...}}. Returns the masked
// payload, or nothing when the policy leaves this view alone. Throws on bad JSON.
std::optional<std::string> mask_view(std::string_view payload, const Policies& policies);

}  // namespace parley::masking
