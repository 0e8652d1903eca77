// The Cloud API stand-in: a small WhatsApp Business Cloud API of our own, served by
// `parley serve` itself, for tests and for the sandbox (docs/sandbox.md).
//
// It registers its routes on the host (all under /sandbox), answers the Graph API's
// send, mark-read and media endpoints in the real wire format, plays the customer's
// phone, and delivers signed webhooks to host.server_url() + "/webhooks/whatsapp"
// from a worker thread of its own. Faults are injected through POST /sandbox/control.
//
// Construct it from the defaults instance only (routes are global), on the core
// thread; every route runs there, one at a time.
#pragma once

#include <parley/plugin.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley::whatsapp {

struct StandInOptions {
    std::string app_secret;       // signs the webhooks (X-Hub-Signature-256)
    std::string verify_token;     // answered back by the GET handshake the stand-in makes
    std::string phone_number_id;  // the business number's id, in paths and metadata
    std::string display_number;   // "+15550001111"; metadata carries it without '+'
    std::string api_version;      // "v21.0", in the Graph paths
};

namespace standin {
// The bearer token the stand-in accepts on its Graph endpoints.
inline constexpr std::string_view kAccessToken = "sandbox-access-token";
// Where, below the server URL, the stand-in's Graph API lives: the plugin's
// graph_base_url in sandbox mode is server_url() + kGraphPath.
inline constexpr std::string_view kGraphPath = "/sandbox/graph";

// One HTTP request the stand-in makes (a webhook delivery or the verify handshake).
struct OutgoingRequest {
    std::string method;
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};
// Its answer: the HTTP status, or 0 and an error when none came.
struct HttpAnswer {
    int status = 0;
    std::string body;
    std::string error;
};
// Sends one request; called from the stand-in's threads. `stopping` turns true when
// the stand-in is destroyed: give up quickly then. The default one uses libcurl.
using Transport = std::function<HttpAnswer(const OutgoingRequest&, const std::atomic<bool>& stopping)>;
}  // namespace standin

class StandIn {
public:
    StandIn(parley::Host& host, StandInOptions options);
    // Tests: webhooks go through `transport` instead of libcurl.
    StandIn(parley::Host& host, StandInOptions options, standin::Transport transport);
    ~StandIn();
    StandIn(const StandIn&) = delete;
    StandIn& operator=(const StandIn&) = delete;

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;  // the routes hold it weakly
};

}  // namespace parley::whatsapp
