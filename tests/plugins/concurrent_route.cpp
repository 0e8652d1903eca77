// A plugin with a concurrent route (register_route_concurrent), for the core's tests.
// POST /test/concurrent?<query> answers, by query:
//   (none)   at once, from the handler's own thread: "now <body>"
//   later    from the core thread, through Host::post: "later <body>"
//   hold     never: the Responder is kept on the core thread until the plugin goes away
//   refused  whether a core-thread-only call (find_service) is refused in the handler
//   throw    throws
// Every step goes through the "test.gate" service when the test provides one.
#include "test_gate.h"

#include <parley/plugin.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

class ConcurrentRoute {
public:
    ConcurrentRoute(parley::Host& host, const parley::Config&) : host_(host) {
        if (auto s = host.find_service(PARLEY_TEST_GATE_SERVICE, 1)) {
            gate_ = static_cast<const parley_test_gate*>(s->table);
            gate_user_ = s->user;
        }
        if (!host.tenant_id().empty()) return;
        host.route_concurrent("POST", "/test/concurrent", [this](const parley::HttpRequest& req, auto responder) {
            on_request(req, std::move(responder));
        });
    }
    ~ConcurrentRoute() { pass("destroyed", ""); }
    void stop() { pass("stop", ""); }

private:
    // On an HTTP I/O thread; reads only what the constructor set.
    void on_request(const parley::HttpRequest& req, std::shared_ptr<parley::Responder> responder) {
        std::string query(req.query), body(req.body);
        pass("enter", query);
        if (query == "later") {
            host_.post([responder, body] { responder->send({200, "text/plain", "later " + body}); });
        } else if (query == "hold") {
            host_.post([this, responder, query] {
                held_.push_back(responder);  // core thread only
                pass("held", query);
            });
        } else if (query == "refused") {
            bool refused = !host_.find_service(PARLEY_TEST_GATE_SERVICE, 1);
            responder->send({200, "text/plain", refused ? "refused" : "allowed"});
        } else if (query == "throw") {
            pass("leave", query);
            throw std::runtime_error("concurrent boom");
        } else {
            responder->send({200, "text/plain", "now " + body});
        }
        pass("leave", query);
    }

    void pass(std::string_view step, std::string_view query) const {
        if (gate_) gate_->pass(gate_user_, parley::to_c(step), parley::to_c(query));
    }

    parley::Host& host_;
    const parley_test_gate* gate_ = nullptr;
    void* gate_user_ = nullptr;
    std::vector<std::shared_ptr<parley::Responder>> held_;
};

}  // namespace

PARLEY_PLUGIN(concurrent_route, ConcurrentRoute, "1.0.0", PARLEY_KIND_FEATURE,
              "A concurrent HTTP route, for the core's tests", nullptr, nullptr)
