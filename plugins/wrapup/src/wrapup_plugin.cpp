// Wrap-up reasons, mandatory or auto wrap-up. Foundation stage: the module loads
// and declares its tenant settings.
#include <parley/plugin.hpp>

#include <string>

namespace {

const parley_config_entry kConfig[] = {
    {PARLEY_CONFIG_BOOL, "mandatory", "true", "An agent must pick a reason before taking new work"},
    {PARLEY_CONFIG_INT, "auto_after_s", "0", "Submit the default reason after this many seconds (0: never)"},
    {PARLEY_CONFIG_STRING_ARRAY, "reasons", "[\"Resolved\", \"Follow-up needed\", \"No response\"]",
     "Reasons an agent can pick"},
};

class WrapupPlugin {
public:
    WrapupPlugin(parley::Host& host, const parley::Config& config)
        : host_(host), reasons_(config.strings("reasons").size()) {}

    void start() { host_.info("wrap-up ready with " + std::to_string(reasons_) + " reasons"); }

private:
    parley::Host& host_;
    std::size_t reasons_;
};

}  // namespace

PARLEY_PLUGIN(wrapup, WrapupPlugin, "0.1.0", PARLEY_KIND_FEATURE, "Wrap-up reasons, mandatory and auto wrap-up",
              nullptr, kConfig)
