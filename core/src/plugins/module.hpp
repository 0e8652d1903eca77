// One plugin library: loaded with Boost.DLL (or linked statically), its descriptor
// checked against the ABI and the manifest, and copied into a zeroed struct.
#pragma once

#include "parley/core/plugin_host.hpp"

#include <memory>
#include <string>

namespace boost::dll {
class shared_library;
}

namespace parley::plugins {

struct Module {
    PluginStatus status;
    std::shared_ptr<boost::dll::shared_library> library;  // null for static plugins
    parley_plugin_descriptor descriptor{};                // the core's own copy
    config::Schema schema;
    bool loaded = false;
    // Validated config per scope: "" (the [plugins.X] defaults) first, then tenants.
    std::vector<std::pair<std::string, config::Section>> scopes;
};

// Loads status.library_path and checks its descriptor; sets status.refusal on failure.
void load_module(Module& module);
// Checks a descriptor; `manifest` is null for static plugins.
void adopt_descriptor(Module& module, const parley_plugin_descriptor* raw, const Manifest* manifest);
// Drops the library (only after every instance is destroyed).
void unload_module(Module& module);

void refuse(PluginStatus& status, Refusal refusal, std::string reason);

}  // namespace parley::plugins
