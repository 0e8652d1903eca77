// parley serve: the HTTP server, the engine, the agent API and the plugins a config
// names, until SIGINT/SIGTERM. SIGHUP (or `parley reload`) reloads the config.
#include "common.hpp"

#include "parley/core/agent_api.hpp"
#include "parley/core/bus.hpp"
#include "parley/core/engine.hpp"
#include "parley/core/engine_service.hpp"
#include "parley/core/http.hpp"
#include "parley/core/log.hpp"
#include "parley/core/metrics.hpp"
#include "parley/core/plugin_host.hpp"
#include "parley/core/runtime.hpp"
#include "parley/core/store.hpp"
#include "parley/core/views.hpp"

#include <parley/masker.h>

#include <boost/asio/signal_set.hpp>
#include <boost/json.hpp>

#include <atomic>
#include <filesystem>
#include <iostream>

namespace parley::cli {

namespace {

http::Response text(int status, std::string body) { return {status, "text/plain; charset=utf-8", std::move(body), {}, {}}; }

std::string readiness(const plugins::PluginHost& host, bool ready) {
    boost::json::array list;
    for (auto& s : host.status()) {
        boost::json::object p{{"id", s.manifest.id}, {"state", plugins::state_name(s.state)}};
        if (s.refusal != plugins::Refusal::none) {
            p["refusal"] = plugins::refusal_code(s.refusal);
            p["reason"] = s.reason;
        }
        list.push_back(std::move(p));
    }
    return boost::json::serialize(boost::json::object{{"ready", ready}, {"plugins", std::move(list)}});
}

http::ServerOptions server_options(const config::ServerConfig& s) {
    http::ServerOptions o;
    o.listen = s.listen;
    o.port = static_cast<std::uint16_t>(s.port);
    o.max_connections = s.max_connections;
    o.header_limit = s.header_limit;
    o.body_limit = s.body_limit;
    o.read_timeout_ms = s.read_timeout_ms;
    o.web_root = s.web_root.empty() ? (std::filesystem::path(executable_dir()) / ".." / "share" / "parley" / "web")
                                          .lexically_normal()
                                          .string()
                                    : s.web_root;
    return o;
}

bool from_loopback(const http::Request& req) {
    return req.remote.rfind("127.", 0) == 0 || req.remote.rfind("[::1]", 0) == 0 || req.remote.rfind("::1", 0) == 0;
}

// Everything `parley serve` runs, declared so that destruction runs in reverse:
// connections still queued in the io_context touch the router and metrics, so
// those outlive the runtime; the plugins stop before the engine and the store.
struct App {
    CommonOptions options;
    metrics::Registry metrics;
    http::Router router;
    bus::Bus bus;
    Runtime runtime;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<engine::Engine> engine;
    http::SignedLinks media_links{"/media/"};  // stored customer media: signed links only
    std::unique_ptr<views::Views> views;
    std::unique_ptr<AgentApi> agent_api;
    plugins::PluginHost host{{&bus, &router, &runtime, &metrics}};
    std::unique_ptr<EngineService> engine_service;
    std::atomic<bool> ready{false};

    // Validates the file first; a bad file leaves everything as it was (core strand).
    std::vector<config::Diagnostic> reload() {
        auto parsed = load_config(options);
        if (!parsed.ok()) return parsed.errors;
        auto errors = host.reconfigure(parsed.document);
        if (!errors.empty()) return errors;
        engine->configure(parsed.document);
        log::get("core")->info("configuration reloaded from {}", options.config_file);
        return {};
    }
};

void add_core_routes(App& app) {
    app.router.add("GET", "/healthz", [](const http::Request&, http::Reply reply) { reply(text(200, "ok\n")); });
    app.router.add("GET", "/readyz", [&app](const http::Request&, http::Reply reply) {
        app.runtime.post([&app, reply] {
            bool r = app.ready.load();
            reply({r ? 200 : 503, "application/json", readiness(app.host, r), {}, {}});
        });
    });
    app.router.add("GET", "/metrics", [&app](const http::Request&, http::Reply reply) {
        reply({200, "text/plain; version=0.0.4; charset=utf-8", app.metrics.render(), {}, {}});
    });
    app.router.add("POST", "/admin/reload", [&app](const http::Request& req, http::Reply reply) {
        if (!from_loopback(req)) return reply(text(403, "reload is only accepted from this machine\n"));
        app.runtime.post([&app, reply] {
            auto errors = app.reload();
            boost::json::array list;
            for (auto& e : errors) list.push_back(boost::json::string(e.to_string()));
            reply({errors.empty() ? 200 : 422, "application/json",
                   boost::json::serialize(boost::json::object{{"ok", errors.empty()}, {"errors", std::move(list)}}), {}, {}});
        });
    });
}

void watch_signals(App& app, http::Server& server, boost::asio::signal_set& stop, boost::asio::signal_set& hup) {
    stop.async_wait([&](boost::system::error_code ec, int signal) {
        if (ec) return;
        log::get("core")->info("signal {} received, stopping", signal);
        app.ready = false;
        server.stop();
        app.runtime.stop();
    });
    hup.async_wait([&](boost::system::error_code ec, int) {
        if (ec) return;
        app.runtime.post([&] {
            for (auto& e : app.reload()) log::get("core")->error("reload refused: {}", e.to_string());
        });
        watch_signals(app, server, stop, hup);
    });
}

// A tenant that turns a feature on needs its plugin running: refuse to start otherwise.
std::vector<std::string> unavailable_features(const config::Document& doc, const plugins::PluginHost& host) {
    std::vector<std::string> out;
    for (auto& t : doc.tenants)
        for (auto& [id, raw] : t.plugins) {
            if (host.running(id)) continue;
            auto s = host.find(id);
            out.push_back(raw.where.file + ":" + std::to_string(raw.where.line) + ":" + std::to_string(raw.where.column) +
                          ": tenant '" + t.id + "' turns on '" + id + "', but plugin '" + id + "' is not running" +
                          (s && !s->reason.empty() ? ": " + s->reason : std::string()));
        }
    return out;
}

// Plugin log lines pass the masker (all entities) when the masking plugin runs.
void mask_plugin_logs(plugins::PluginHost& host) {
    parley_service service{};
    if (!host.get_service("", PARLEY_MASKER_SERVICE, PARLEY_MASKER_SERVICE_VERSION, &service)) return;
    auto* masker = static_cast<const parley_masker_service*>(service.table);
    host.set_log_redactor([masker, user = service.user](const std::string& tenant, std::string_view text) {
        auto* api = plugins::PluginHost::host_api();
        auto* out = api->buffer_create();
        auto s = masker->mask(user, {tenant.data(), tenant.size()}, {"logs", 4}, {text.data(), text.size()}, out);
        auto v = api->buffer_view(out);
        std::string masked = s == PARLEY_OK ? std::string(v.data, v.size) : "(log line withheld: masking failed)";
        api->buffer_destroy(out);
        return masked;
    });
}

}  // namespace

int serve(const CommonOptions& options, const std::string& log_format) {
    auto parsed = load_config(options);
    if (!parsed.ok()) {
        print_diagnostics(parsed.errors);
        return exit_config;
    }
    auto& doc = parsed.document;
    log::init({log_format.empty() ? doc.server.log_format : log_format, doc.server.log_level, doc.server.log_file});
    auto logger = log::get("core");

    App app;
    app.options = options;
    app.bus.on_error([](bus::Owner, std::string_view topic, std::string_view what) {
        log::get("bus")->error("listener of topic '{}' threw: {}", topic, what);
    });
    try {
        app.store = store::open_sqlite(doc.store.path, doc.store.synchronous);
    } catch (const std::exception& e) {
        std::cerr << "parley: " << e.what() << "\n";
        return exit_internal;
    }
    app.engine = std::make_unique<engine::Engine>(app.runtime, *app.store, app.bus);
    app.views = std::make_unique<views::Views>(*app.engine, app.bus);
    app.views->set_signed_links(&app.media_links);
    app.agent_api = std::make_unique<AgentApi>(app.runtime, *app.engine, app.bus, app.host, *app.views);
    app.engine_service = std::make_unique<EngineService>(*app.engine, app.host);

    for (auto& e : app.host.discover(plugin_search_path(options, doc))) logger->warn("{}", e.to_string());
    auto errors = app.host.start(doc);
    if (!errors.empty()) {
        print_diagnostics(errors);
        return exit_config;
    }
    if (auto missing = unavailable_features(doc, app.host); !missing.empty()) {
        for (auto& m : missing) {
            logger->error("{}", m);
            std::cerr << "parley: " << m << "\n";
        }
        return exit_plugins;
    }
    mask_plugin_logs(app.host);
    app.engine->configure(doc);
    app.engine->recover();

    add_core_routes(app);
    app.agent_api->attach(app.router);
    auto options_for_http = server_options(doc.server);
    options_for_http.signed_links = &app.media_links;
    http::Server server(app.runtime.io(), std::move(options_for_http), app.router, app.metrics);
    try {
        server.listen();
    } catch (const http::ListenError& e) {
        logger->error("{}", e.what());
        std::cerr << "parley: " << e.what() << "\n";
        return exit_listen;
    }

    boost::asio::signal_set stop(app.runtime.io(), SIGINT, SIGTERM);
    boost::asio::signal_set hup(app.runtime.io(), SIGHUP);
    watch_signals(app, server, stop, hup);

    app.host.set_server_url("http://" + (doc.server.listen.find(':') != std::string::npos ? "[" + doc.server.listen + "]"
                                                                                          : doc.server.listen) +
                            ":" + std::to_string(server.port()));
    app.ready = true;
    logger->info("parley {} serving on http://{}:{}/", PARLEY_VERSION, doc.server.listen, server.port());
    std::cout << "parley serving on http://" << doc.server.listen << ":" << server.port() << "/" << std::endl;
    app.runtime.run(doc.server.threads);

    app.host.shutdown();  // the loop has stopped: no plugin call is in flight
    logger->info("stopped");
    return exit_ok;
}

}  // namespace parley::cli
