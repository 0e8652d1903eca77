// The WhatsApp channel as the defaults instance runs it: the webhook, the sender,
// the 24-hour window filter, stored media, and the sandbox when there are no
// credentials. Tenant instances run none of it: routes and topics are global.
#pragma once

#include "early_statuses.hpp"
#include "media_fetcher.hpp"
#include "media_routes.hpp"
#include "outbound.hpp"
#include "settings.hpp"
#include "stats.hpp"
#include "webhook.hpp"
#include "window.hpp"

#include <parley/engine.hpp>
#include <parley/plugin.hpp>

#include <memory>
#include <optional>
#include <string>

#if __has_include("standin/standin.hpp")
#include "standin/standin.hpp"
#define PARLEY_WHATSAPP_HAS_STANDIN 1
#endif

namespace parley::whatsapp {

class Channel {
public:
    Channel(parley::Host& host, Settings settings);
    ~Channel();
    void start();
    void stop();
    // A POST to /webhooks/whatsapp (what its concurrent route calls, on an HTTP I/O thread).
    void receive(const parley::HttpRequest& req, std::shared_ptr<parley::Responder> responder) {
        webhook_.receive(req, std::move(responder));
    }
    // The "type" of an engine event's envelope, or "" (see channel.cpp).
    static std::string_view event_type(std::string_view envelope);

private:
    std::string graph_url() const;
    void register_routes();
    void register_topics();
    void start_sandbox();
    void announce_numbers();
    std::optional<std::string> filter_send(std::string_view payload, bool& veto);
    std::string templates() const;

    parley::Host& host_;
    Settings settings_;
    Stats stats_;
    EarlyStatuses early_;
    LastSeen last_seen_;
    parley::EngineClient engine_;
    MediaRoutes media_routes_;
    Webhook webhook_;
    Outbound outbound_;
    std::unique_ptr<MediaFetcher> fetcher_;
#ifdef PARLEY_WHATSAPP_HAS_STANDIN
    std::unique_ptr<StandIn> standin_;
#endif
};

}  // namespace parley::whatsapp
