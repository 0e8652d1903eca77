// A plugin, linked statically, whose `subscribers` handlers each count deliveries.
#include <parley/plugin.hpp>

#include <cstdint>

namespace {

const parley_config_entry kConfig[] = {
    {PARLEY_CONFIG_INT, "subscribers", "1", "How many handlers to subscribe to bench.event"},
};

class BenchPlugin {
public:
    BenchPlugin(parley::Host& host, const parley::Config& config) {
        for (std::int64_t i = 0; i < config.integer("subscribers"); ++i)
            host.subscribe("bench.event", [this](std::string_view, std::string_view payload) {
                deliveries_ += payload.size();
            });
    }

private:
    std::uint64_t deliveries_ = 0;
};

}  // namespace

PARLEY_PLUGIN(bench, BenchPlugin, "1.0.0", PARLEY_KIND_FEATURE, "Bus benchmark subscriber", nullptr, kConfig)
