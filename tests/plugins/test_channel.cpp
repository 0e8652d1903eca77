// A channel for tests and the demo (Fluent Bit style: a test input and a test output).
// POST /test-channel/inbound   {"origin","customer_number","customer_name","text","id"}
//   -> the engine's answer once the message is committed (200), or 4xx.
// GET  /test-channel/outbound  -> every outbound message the engine asked to send.
// Each outbound message is acknowledged with status "sent", then "delivered".
#include <parley/engine.hpp>
#include <parley/plugin.hpp>

#include <memory>
#include <string>
#include <vector>

namespace {

// Just enough JSON for flat objects of strings; the engine validates the rest.
std::string quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
            continue;
        }
        out += c;
    }
    return out + "\"";
}

class TestChannel {
public:
    TestChannel(parley::Host& host, const parley::Config&) : host_(host), engine_(host) {
        if (!host.tenant_id().empty()) return;  // routes and topics are global
        host.route_async("POST", "/test-channel/inbound", [this](const parley::HttpRequest& req, auto responder) {
            inbound(req.body, std::move(responder));
        });
        host.route("GET", "/test-channel/outbound", [this](const parley::HttpRequest&) {
            std::string body = "[";
            for (auto& m : outbound_) body += (body.size() > 1 ? "," : "") + m;
            return parley::HttpResponse{200, "application/json", body + "]"};
        });
        host.subscribe("channel.outbound.test", [this](std::string_view, std::string_view payload) {
            outbound_.emplace_back(payload);
            acknowledge(payload);
        });
    }

private:
    // The request already is the engine's "inbound" args, plus the channel.
    void inbound(std::string_view body, std::shared_ptr<parley::Responder> responder) {
        // Logged as a careless partner might: the core must mask it before it reaches a log.
        host_.info("inbound " + std::string(body));
        auto brace = body.find('{');
        if (brace == std::string_view::npos) {
            responder->send({400, "application/json", R"({"code":"malformed","message":"a JSON object is expected"})"});
            return;
        }
        std::string args = "{\"channel\":\"test\"," + std::string(body.substr(brace + 1));
        if (args.back() != '}') args = "{}";  // an unfinished object: let the engine refuse it
        engine_.submit("inbound", args, [responder](bool ok, std::string_view json) {
            responder->send({ok ? 200 : 422, "application/json", std::string(json)});
        });
    }

    // Pretends the network delivered it: sent, then delivered.
    void acknowledge(std::string_view payload) {
        auto field = [&](std::string_view key) {
            auto k = payload.find("\"" + std::string(key) + "\":\"");
            if (k == std::string_view::npos) return std::string();
            auto start = k + key.size() + 4;
            return std::string(payload.substr(start, payload.find('"', start) - start));
        };
        auto interaction = field("interaction"), message = field("message");
        for (const char* status : {"sent", "delivered"}) {
            auto args = "{\"interaction\":" + quote(interaction) + ",\"message\":" + quote(message) +
                        ",\"status\":\"" + status + "\",\"channel_message_id\":" + quote("test-" + message) + "}";
            engine_.submit("message_status", args, [](bool, std::string_view) {});
        }
    }

    parley::Host& host_;
    parley::EngineClient engine_;
    std::vector<std::string> outbound_;
};

}  // namespace

PARLEY_PLUGIN(test_channel, TestChannel, "1.0.0", PARLEY_KIND_CHANNEL, "A channel for tests and the demo", nullptr,
              nullptr)
