// WhatsApp Business Cloud API channel. Foundation stage: the module loads, declares
// its config and announces itself; webhooks and sending come with the channel issue.
#include <parley/plugin.hpp>

#include <string>

namespace {

const parley_config_entry kConfig[] = {
    {PARLEY_CONFIG_STRING, "graph_base_url", "\"https://graph.facebook.com\"",
     "Base URL of the Graph API; point it at a local stand-in for tests"},
    {PARLEY_CONFIG_STRING, "api_version", "\"v21.0\"", "Graph API version used in request paths"},
};

class WhatsAppPlugin {
public:
    WhatsAppPlugin(parley::Host& host, const parley::Config& config)
        : host_(host), base_url_(config.string("graph_base_url")), version_(config.string("api_version")) {}

    void start() { host_.info("channel ready, Graph API " + base_url_ + "/" + version_); }

private:
    parley::Host& host_;
    std::string base_url_;
    std::string version_;
};

}  // namespace

PARLEY_PLUGIN(whatsapp, WhatsAppPlugin, "0.1.0", PARLEY_KIND_CHANNEL, "WhatsApp Business Cloud API channel",
              nullptr, kConfig)
