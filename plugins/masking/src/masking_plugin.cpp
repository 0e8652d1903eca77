// PCI/PII masking, per tenant. Foundation stage: the module loads and declares the
// tenant switch; detectors and the display filter come with the masking issue.
#include <parley/plugin.hpp>

namespace {

const parley_config_entry kConfig[] = {
    {PARLEY_CONFIG_BOOL, "enabled", "false", "Mask sensitive customer data for this tenant"},
    {PARLEY_CONFIG_STRING, "mask_char", "\"*\"", "Character that replaces masked characters"},
};

class MaskingPlugin {
public:
    MaskingPlugin(parley::Host& host, const parley::Config& config)
        : host_(host), enabled_(config.boolean("enabled")) {}

    void start() { host_.info(enabled_ ? "masking enabled" : "masking disabled"); }

private:
    parley::Host& host_;
    bool enabled_;
};

}  // namespace

PARLEY_PLUGIN(masking, MaskingPlugin, "0.1.0", PARLEY_KIND_FEATURE, "PCI/PII detection and masking, per tenant",
              nullptr, kConfig)
