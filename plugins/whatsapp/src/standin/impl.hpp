// The stand-in's state, shared by the files that register its routes. Core thread,
// except the Deliverer and the DeliveryLog, which guard themselves.
#pragma once

#include "conversations.hpp"
#include "deliverer.hpp"
#include "delivery_log.hpp"
#include "faults.hpp"
#include "media.hpp"
#include "send_log.hpp"
#include "standin.hpp"
#include "webhook_body.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace parley::whatsapp {

struct StandIn::Impl {
    Impl(parley::Host& host, StandInOptions options, standin::Transport transport);

    // Signs `body` and queues its delivery to parley, with the armed duplicate and delay;
    // not before `after_ms` from now.
    void post_webhook(std::string kind, std::string body, int after_ms = 0);
    // A status webhook for the business message `wamid` sent to `wa_id`; a "failed"
    // one carries the Graph error `error_code` in errors[].
    void post_status(const std::string& wamid, const std::string& wa_id, const std::string& status,
                     const std::string& category = "service", int error_code = 0);
    // The GET handshake Meta makes when a webhook is configured, once, before the first
    // delivery; needs the server URL, so it waits for the server to listen.
    void verify_subscription();
    // Delivers the customer messages held for reordering, last first.
    void flush_held();

    parley::Host& host;
    StandInOptions options;
    standin::Business business;
    standin::Faults faults;
    standin::Conversations conversations;
    standin::MediaStore media;
    standin::SendLog sends;
    standin::DeliveryLog deliveries;
    std::vector<standin::InboundMessage> held;
    std::uint64_t next_seq = 1;
    bool verify_queued = false;
    std::weak_ptr<Impl> self;  // what the routes hold: they answer 503 once the stand-in is gone
    standin::Deliverer deliverer;  // last: its thread stops first
};

namespace standin {

using Impl = StandIn::Impl;
using Handler = std::function<parley::HttpResponse(Impl&, const parley::HttpRequest&)>;

// Registers `handler` on the host. It runs while the stand-in lives (503 after), and an
// exception becomes a 500 rather than reaching the host (which would isolate the plugin).
void add_route(Impl& impl, std::string_view method, std::string_view path,
               Handler handler);

void add_graph_routes(Impl& impl);
void add_media_routes(Impl& impl);
void add_customer_routes(Impl& impl);
void add_control_routes(Impl& impl);
// The first step of a media download for one uploaded id: GET /sandbox/graph/{v}/{id}.
void add_media_id_route(Impl& impl, const std::string& media_id);

}  // namespace standin

}  // namespace parley::whatsapp
