// WhatsApp Business Cloud API channel: webhooks in, Graph API sends out. The
// defaults instance runs the channel; tenant instances have nothing of their own.
#include "channel.hpp"
#include "config_schema.hpp"
#include "settings.hpp"

#include <parley/engine.h>
#include <parley/plugin.hpp>

#include <memory>

namespace {

using parley::whatsapp::kConfigSchema;

class WhatsAppPlugin {
public:
    WhatsAppPlugin(parley::Host& host, const parley::Config& config) : host_(host) {
        auto settings = parley::whatsapp::read_settings(config);
        if (!host.tenant_id().empty()) return;  // routes, topics and the sender are global
        // A host without the engine (`parley plugins`) only checks the config.
        if (!host.find_service(PARLEY_ENGINE_SERVICE, PARLEY_ENGINE_SERVICE_VERSION)) return;
        channel_ = std::make_unique<parley::whatsapp::Channel>(host, std::move(settings));
    }
    void start() {
        if (channel_) channel_->start();
        else if (host_.tenant_id().empty()) host_.info("no engine in this host: the channel does not run");
    }
    void stop() {
        if (channel_) channel_->stop();
    }

private:
    parley::Host& host_;
    std::unique_ptr<parley::whatsapp::Channel> channel_;
};

}  // namespace

PARLEY_PLUGIN(whatsapp, WhatsAppPlugin, "0.1.0", PARLEY_KIND_CHANNEL, "WhatsApp Business Cloud API channel",
              nullptr, kConfigSchema)
