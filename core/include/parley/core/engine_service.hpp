// The engine offered to channel plugins as the C service "parley.engine"
// (sdk/include/parley/engine.h).
#pragma once

#include <parley/engine.h>

namespace parley {
namespace engine {
class Engine;
}
namespace plugins {
class PluginHost;
}

class EngineService {
public:
    // Registers the service with `host`; both must outlive this object's use.
    EngineService(engine::Engine& engine, plugins::PluginHost& host);
    EngineService(const EngineService&) = delete;
    EngineService& operator=(const EngineService&) = delete;

private:
    static parley_status submit(void* user, parley_host* caller, parley_str command, parley_str args,
                                parley_engine_done_fn done, void* ctx) noexcept;
    engine::Engine& engine_;
    parley_engine_service table_{};
};

}  // namespace parley
