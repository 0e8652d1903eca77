// A plugin whose bus handler throws: the core must isolate it and go on.
#include <parley/plugin.hpp>

#include <stdexcept>

namespace {
class HandlerThrows {
public:
    HandlerThrows(parley::Host& host, const parley::Config&) {
        host.subscribe("test.ping", [](std::string_view, std::string_view) -> void {
            throw std::runtime_error("boom");
        });
        host.register_command("throwing.command", [](std::string_view) -> std::string { return "{}"; });
    }
};
}  // namespace

PARLEY_PLUGIN(handler_throws, HandlerThrows, "1.0.0", PARLEY_KIND_FEATURE, "Its bus handler throws", nullptr, nullptr)
