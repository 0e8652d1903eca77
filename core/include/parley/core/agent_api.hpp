// The agent API: WebSocket + JSON at /agent/ws (docs/agent-api.md).
// Login, a snapshot on connect, a stream of events, commands by name, and the
// capabilities the loaded plugins add. Session state lives on the core strand.
#pragma once

#include <memory>

namespace parley {
class Runtime;
namespace bus {
class Bus;
}
namespace engine {
class Engine;
}
namespace http {
class Router;
}
namespace plugins {
class PluginHost;
}
namespace views {
class Views;
}

class AgentApi {
public:
    AgentApi(Runtime& runtime, engine::Engine& engine, bus::Bus& bus, plugins::PluginHost& plugins,
             views::Views& views);
    ~AgentApi();
    AgentApi(const AgentApi&) = delete;
    AgentApi& operator=(const AgentApi&) = delete;

    // Serves the API at /agent/ws.
    void attach(http::Router& router);
    // Number of logged-in sessions (core strand).
    std::size_t sessions() const;

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace parley
