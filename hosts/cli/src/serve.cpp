// parley serve: the HTTP server, the plugins a config names, until SIGINT/SIGTERM.
#include "common.hpp"

#include "parley/core/bus.hpp"
#include "parley/core/http.hpp"
#include "parley/core/log.hpp"
#include "parley/core/metrics.hpp"
#include "parley/core/plugin_host.hpp"
#include "parley/core/runtime.hpp"

#include <boost/asio/signal_set.hpp>
#include <boost/json.hpp>

#include <atomic>
#include <filesystem>
#include <iostream>

namespace parley::cli {

namespace {

http::Response text(int status, std::string body) { return {status, "text/plain; charset=utf-8", std::move(body), {}}; }

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

// /healthz: the process answers. /readyz: plugins are started. /metrics: Prometheus.
void add_core_routes(http::Router& router, metrics::Registry& metrics, Runtime& runtime,
                     plugins::PluginHost& host, std::atomic<bool>& ready) {
    router.add("GET", "/healthz", [](const http::Request&, http::Reply reply) { reply(text(200, "ok\n")); });
    router.add("GET", "/readyz", [&](const http::Request&, http::Reply reply) {
        // Plugin state belongs to the core strand.
        runtime.post([&, reply] {
            bool r = ready.load();
            reply({r ? 200 : 503, "application/json", readiness(host, r), {}});
        });
    });
    router.add("GET", "/metrics", [&](const http::Request&, http::Reply reply) {
        reply({200, "text/plain; version=0.0.4; charset=utf-8", metrics.render(), {}});
    });
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

    // Declared so that they are destroyed in reverse: connections still queued in the
    // io_context touch the router and metrics, so those outlive the runtime.
    metrics::Registry metrics;
    http::Router router;
    bus::Bus bus;
    Runtime runtime;
    plugins::PluginHost host({&bus, &router, &runtime, &metrics});
    bus.on_error([](bus::Owner, std::string_view topic, std::string_view what) {
        log::get("bus")->error("listener of topic '{}' threw: {}", topic, what);
    });

    auto found = host.discover(plugin_search_path(options, doc));
    for (auto& e : found) logger->warn("{}", e.to_string());
    auto errors = host.start(doc);
    if (!errors.empty()) {
        print_diagnostics(errors);
        return exit_config;
    }

    std::atomic<bool> ready{false};
    add_core_routes(router, metrics, runtime, host, ready);
    http::Server server(runtime.io(), server_options(doc.server), router, metrics);
    try {
        server.listen();
    } catch (const http::ListenError& e) {
        logger->error("{}", e.what());
        std::cerr << "parley: " << e.what() << "\n";
        return exit_listen;
    }

    boost::asio::signal_set signals(runtime.io(), SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code ec, int signal) {
        if (ec) return;
        logger->info("signal {} received, stopping", signal);
        ready = false;
        server.stop();
        runtime.stop();
    });

    ready = true;
    logger->info("parley {} serving on http://{}:{}/", PARLEY_VERSION, doc.server.listen, server.port());
    std::cout << "parley serving on http://" << doc.server.listen << ":" << server.port() << "/" << std::endl;
    runtime.run(doc.server.threads);

    host.shutdown();  // the loop has stopped: no plugin call is in flight
    logger->info("stopped");
    return exit_ok;
}

}  // namespace parley::cli
