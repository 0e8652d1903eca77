// The opaque C handles of abi.h, as the core defines them, and the registries the
// core keeps for plugins. Private to plugins/*.cpp.
#pragma once

#include "module.hpp"
#include "parley/core/config.hpp"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>

namespace parley::plugins {
struct Module;
}

// One plugin instance (defaults, or one tenant). Its address is its owner tag.
struct parley_host {
    parley::plugins::PluginHost::Impl* core = nullptr;
    parley::plugins::Module* module = nullptr;
    std::string plugin_id;
    std::string tenant;
    std::uint64_t owner = 0;
    void* instance = nullptr;
    bool started = false;
    // Cleared when the core removes this instance's registrations; checked before
    // every call into the plugin that was queued earlier.
    std::shared_ptr<std::atomic<bool>> alive = std::make_shared<std::atomic<bool>>(true);
};

struct parley_buffer {
    std::string data;
};

struct parley_config {
    const parley::config::Section* section = nullptr;
};
