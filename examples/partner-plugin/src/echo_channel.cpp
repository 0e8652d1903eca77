// acme_echo: a partner channel plugin built out of tree against the installed Parley SDK.
//
// It answers every inbound message with an echo. What it shows:
//   - a config schema: greeting, max_length, allowed_senders, stats_interval_s;
//   - an HTTP route, POST /acme/echo/inbound, answering JSON (registered by the
//     defaults instance only: routes are global);
//   - the bus: publishes acme.echo.inbound, subscribes to acme.echo.outbound,
//     publishes acme.echo.delivered;
//   - a service by name and version ("acme.echo" v1, include/acme/echo_service.h);
//   - a command (acme_echo.stats) and a timer.
// Everything goes through the SDK's C++ wrapper; nothing but the entry symbol is exported.
#include "json.hpp"

#include <acme/echo_service.h>
#include <parley/plugin.hpp>

#include <algorithm>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#ifndef ACME_ECHO_VERSION
#error "ACME_ECHO_VERSION is set by CMakeLists.txt from plugin.toml"
#endif

namespace {

const parley_config_entry kConfig[] = {
    {PARLEY_CONFIG_STRING, "greeting", "\"Echo: \"", "Written before the echoed text in every reply"},
    {PARLEY_CONFIG_INT, "max_length", "160", "Longest reply in bytes; longer replies are cut on a character boundary"},
    {PARLEY_CONFIG_STRING_ARRAY, "allowed_senders", "[]", "Senders that get a reply; empty means everyone"},
    {PARLEY_CONFIG_INT, "stats_interval_s", "0", "Log the counters every this many seconds (0: never)"},
};

// Topics of this channel. Payloads are JSON objects.
constexpr std::string_view kInbound = "acme.echo.inbound";      // published: {"tenant","from","text"}
constexpr std::string_view kOutbound = "acme.echo.outbound";    // consumed:  {"tenant","to","text"}
constexpr std::string_view kDelivered = "acme.echo.delivered";  // published: {"tenant","to","bytes"}

class EchoChannel;

// The live instances of this plugin by tenant ("" is the defaults instance). Plugin
// code runs on the core strand one call at a time, so this needs no lock.
std::map<std::string, EchoChannel*>& instances() {
    static std::map<std::string, EchoChannel*> all;
    return all;
}

parley::HttpResponse json_response(int status, std::string body) {
    return parley::HttpResponse{status, "application/json", std::move(body)};
}

parley::HttpResponse json_error(int status, std::string_view message) {
    return json_response(status, "{\"error\":" + acme::json::quote(message) + "}");
}

class EchoChannel {
public:
    EchoChannel(parley::Host& host, const parley::Config& config)
        : host_(host),
          tenant_(host.tenant_id()),
          greeting_(config.string("greeting")),
          max_length_(config.integer("max_length")),
          allowed_(config.strings("allowed_senders")),
          stats_interval_s_(config.integer("stats_interval_s")) {
        // The core checked the types; the ranges are ours. Throwing here refuses the
        // plugin with create_failed and this message.
        if (max_length_ < 1) throw std::invalid_argument("max_length must be at least 1");
        if (stats_interval_s_ < 0) throw std::invalid_argument("stats_interval_s must not be negative");

        host.subscribe(kOutbound, [this](std::string_view, std::string_view payload) { on_outbound(payload); });
        host.register_service(ACME_ECHO_SERVICE, ACME_ECHO_SERVICE_VERSION, &service_, this);
        host.register_command("acme_echo.stats", [this](std::string_view) { return stats(); });
        if (tenant_.empty())  // routes are global: only the defaults instance registers one
            host.route("POST", "/acme/echo/inbound", [this](const parley::HttpRequest& req) { return route(req); });

        instances()[tenant_] = this;  // last, so a constructor that throws leaves no trace
    }

    ~EchoChannel() {
        auto it = instances().find(tenant_);
        if (it != instances().end() && it->second == this) instances().erase(it);
    }

    EchoChannel(const EchoChannel&) = delete;
    EchoChannel& operator=(const EchoChannel&) = delete;

    void start() {
        if (stats_interval_s_ > 0) {
            const auto ms = static_cast<std::uint64_t>(stats_interval_s_) * 1000;
            host_.start_timer(ms, ms, [this] { host_.info("counters: " + stats()); });
        }
        host_.info("echo channel ready; replies start with '" + greeting_ + "' and are at most " +
                   std::to_string(max_length_) + " bytes");
    }

    void stop() { host_.info("echo channel stopping after " + std::to_string(received_) + " messages"); }

private:
    // POST /acme/echo/inbound, served by the defaults instance. The tenant comes from
    // the X-Parley-Tenant header; a tenant without its own section uses the defaults.
    parley::HttpResponse route(const parley::HttpRequest& req) {
        std::string tenant(req.header("X-Parley-Tenant").value_or(""));
        auto it = instances().find(tenant);
        EchoChannel& target = it != instances().end() ? *it->second : *this;
        return target.inbound(req, tenant);
    }

    parley::HttpResponse inbound(const parley::HttpRequest& req, const std::string& tenant) {
        std::string error;
        auto body = acme::json::string_members(req.body, error);
        if (!body) return json_error(400, "the body must be a JSON object: " + error);
        auto from = body->find("from");
        auto text = body->find("text");
        if (from == body->end() || from->second.empty()) return json_error(400, "missing string member 'from'");
        if (text == body->end()) return json_error(400, "missing string member 'text'");

        ++received_;
        using acme::json::quote;
        host_.publish(kInbound, "{\"tenant\":" + quote(tenant) + ",\"from\":" + quote(from->second) +
                                    ",\"text\":" + quote(text->second) + "}");

        std::string out = "{\"tenant\":" + quote(tenant) + ",\"to\":" + quote(from->second);
        if (!allowed_.empty() && std::find(allowed_.begin(), allowed_.end(), from->second) == allowed_.end())
            return json_response(200, out + ",\"reply\":null}");
        bool truncated = false;
        auto reply = reply_for(text->second, &truncated);
        ++replied_;
        return json_response(200, out + ",\"reply\":" + quote(reply) +
                                      ",\"truncated\":" + (truncated ? "true" : "false") + "}");
    }

    // A message some other plugin wants sent. Each instance takes its own tenant's;
    // the defaults instance takes those of tenants without an instance.
    void on_outbound(std::string_view payload) {
        std::string error;
        auto msg = acme::json::string_members(payload, error);
        if (!msg) {
            // A bad payload from someone else is logged, not thrown: a throwing
            // handler gets this plugin isolated.
            host_.warn(std::string(kOutbound) + ": ignored a payload that is not a JSON object: " + error);
            return;
        }
        std::string tenant = msg->count("tenant") ? (*msg)["tenant"] : std::string();
        bool mine = tenant == tenant_ || (tenant_.empty() && !instances().count(tenant));
        if (!mine) return;
        if (!msg->count("to") || !msg->count("text")) {
            host_.warn(std::string(kOutbound) + ": ignored a message without 'to' or 'text'");
            return;
        }
        // An echo channel has no network to send on; a real one would call its
        // provider here. The recipient is not logged: it is customer data.
        ++delivered_;
        const auto& text = (*msg)["text"];
        host_.publish(kDelivered, "{\"tenant\":" + acme::json::quote(tenant) + ",\"to\":" +
                                      acme::json::quote((*msg)["to"]) + ",\"bytes\":" + std::to_string(text.size()) +
                                      "}");
    }

    // greeting + text, cut to max_length bytes without splitting a UTF-8 character.
    std::string reply_for(std::string_view text, bool* truncated) const {
        std::string out = greeting_;
        out += text;
        const auto max = static_cast<std::size_t>(max_length_);
        const bool cut = out.size() > max;
        if (cut) {
            std::size_t n = max;
            while (n > 0 && (static_cast<unsigned char>(out[n]) & 0xC0) == 0x80) --n;
            out.resize(n);
        }
        if (truncated) *truncated = cut;
        return out;
    }

    std::string stats() const {
        return "{\"tenant\":" + acme::json::quote(tenant_) + ",\"received\":" + std::to_string(received_) +
               ",\"replied\":" + std::to_string(replied_) + ",\"delivered\":" + std::to_string(delivered_) + "}";
    }

    // The service table: plain C, noexcept, user = the instance.
    static std::size_t format_reply(void* user, parley_str text, char* out, std::size_t out_size) noexcept {
        try {
            auto reply = static_cast<const EchoChannel*>(user)->reply_for(parley::to_view(text), nullptr);
            if (out && out_size) {
                const auto n = std::min(reply.size(), out_size - 1);
                std::memcpy(out, reply.data(), n);
                out[n] = '\0';
            }
            return reply.size();
        } catch (...) {
            if (out && out_size) out[0] = '\0';
            return 0;
        }
    }
    static std::uint64_t received(void* user) noexcept { return static_cast<const EchoChannel*>(user)->received_; }

    parley::Host& host_;
    std::string tenant_;
    std::string greeting_;
    std::int64_t max_length_;
    std::vector<std::string> allowed_;
    std::int64_t stats_interval_s_;
    std::uint64_t received_ = 0, replied_ = 0, delivered_ = 0;
    const acme_echo_service_v1 service_{sizeof(acme_echo_service_v1), &EchoChannel::format_reply,
                                        &EchoChannel::received};
};

}  // namespace

// id, class, version, kind, description, requires (nullptr: none), config schema.
// plugin.toml must say the same id, version, kind, abi and requires, or the core
// refuses the plugin with manifest_mismatch.
PARLEY_PLUGIN(acme_echo, EchoChannel, ACME_ECHO_VERSION, PARLEY_KIND_CHANNEL,
              "Acme echo channel: answers every inbound message with an echo", nullptr, kConfig)
