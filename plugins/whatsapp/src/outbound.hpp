// Agent messages out: "channel.outbound.whatsapp" payloads become Graph API calls on
// the sender's thread; results come back to the core thread as message statuses.
// Read receipts go the same way.
#pragma once

#include "claims.hpp"
#include "read_receipts.hpp"
#include "sender.hpp"
#include "settings.hpp"
#include "stats.hpp"

#include <parley/engine.hpp>
#include <parley/plugin.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace parley::whatsapp {

struct OutboundHooks {
    std::function<std::string()> graph_url;                   // {base}/{version}, asked on the core thread
    std::function<void(const std::string& wamid)> recorded;  // our message's wamid is now known to the engine
};

class Outbound {
public:
    Outbound(parley::Host& host, const Settings& settings, Stats& stats, parley::EngineClient& engine,
             OutboundHooks hooks);
    ~Outbound();

    void start(SenderOptions options);
    // Stops the sender; what it could not send is reported failed, so the agent knows.
    void stop();

    void send(std::string_view payload);        // a "channel.outbound.whatsapp" payload
    void engine_event(std::string_view payload);  // an "engine.event" envelope
    void received(const std::string& interaction, const std::string& origin, const std::string& wamid,
                  std::int64_t time_ms);

private:
    void queue_read(const ReadMark& mark);
    void fail(const std::string& interaction, const std::string& message, const std::string& error);
    void sent(const SendResult& r);

    parley::Host& host_;
    const Settings& settings_;
    Stats& stats_;
    parley::EngineClient& engine_;
    OutboundHooks hooks_;
    Claims once_;  // engine message ids: each is sent once
    ReadReceipts reads_;
    std::unique_ptr<Sender> sender_;
};

}  // namespace parley::whatsapp
