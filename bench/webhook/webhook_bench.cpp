// bench-webhook: how many signed WhatsApp webhooks per second `parley serve` commits and
// answers 200 at 64 concurrent keep-alive connections, and their p50/p99 latency, next
// to the same server answering GET /healthz in the same run (the HTTP ceiling: the
// same server, sockets and client, without the plugin, the engine and the store).
//
// Targets (2-core machine): >= 10,000 webhooks/s, p99 < 10 ms, >= 0.5 of the ceiling.
// Meta asks a webhook endpoint for a median under 250 ms.
//
//   bench-webhook [PARLEY] [webhooks=N] [ceiling=N] [connections=N] [seconds=S]
//
// PARLEY defaults to ../bin/parley next to this binary. The server gets a fresh folder
// with its SQLite store (synchronous = "full"), one tenant whose entry point is the
// WhatsApp number, and the app secret in WHATSAPP_APP_SECRET; all traffic stays on
// 127.0.0.1 (the Graph base URL points at a closed local port).
#include "bodies.hpp"
#include "load.hpp"
#include "parley_process.hpp"

#include <boost/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

using namespace bench;

constexpr double kTargetPerSecond = 10'000;
constexpr double kTargetP99Ms = 10;
constexpr double kTargetRatio = 0.5;
constexpr double kMetaMedianMs = 250;

const char* const kAppSecret = "bench-app-secret";
const Business kBusiness{"106540352242922", "+15550783881"};

const char* const kConfig = R"([server]
listen = "127.0.0.1"
port = 0
threads = 2
max_connections = 1024
log_level = "warn"

[store]
path = "{dir}/parley.db"
synchronous = "full"

[plugins.whatsapp]
graph_base_url = "http://127.0.0.1:9"
phone_numbers = ["106540352242922=+15550783881"]
media_dir = "{dir}/media"

[tenants.bench]
name = "Bench"

[tenants.bench.queues.support]
name = "Support"

[tenants.bench.entry_points.whatsapp]
channel = "whatsapp"
number = "+15550783881"
queue = "support"
)";

struct Args {
    std::string parley;
    std::size_t webhooks = 60'000;
    std::size_t ceiling = 200'000;
    std::size_t warmup = 2'000;
    int connections = 64;
    double seconds = 20;
};

Args parse_args(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto eq = arg.find('=');
        std::string key = arg.substr(0, eq), value = eq == std::string::npos ? "" : arg.substr(eq + 1);
        if (eq == std::string::npos) a.parley = arg;
        else if (key == "webhooks") a.webhooks = std::stoul(value);
        else if (key == "ceiling") a.ceiling = std::stoul(value);
        else if (key == "connections") a.connections = std::stoi(value);
        else if (key == "seconds") a.seconds = std::stod(value);
        else throw std::invalid_argument("unknown argument " + arg +
                                         "; usage: bench-webhook [PARLEY] [webhooks=N] [ceiling=N] [connections=N] [seconds=S]");
    }
    return a;
}

const char* verdict(bool pass) { return pass ? "PASS" : "FAIL"; }

// A load and the CPU time it cost the server and this client.
struct Measured {
    LoadResult r;
    double server_cpu_s = 0, client_cpu_s = 0;

    double us_per_request(double cpu_s) const { return r.ok ? cpu_s * 1e6 / static_cast<double>(r.ok) : 0; }
};

template <class F>
Measured measure(const ParleyProcess& server, F&& run) {
    double server0 = server.cpu_seconds(), client0 = own_cpu_seconds();
    Measured m{run(), 0, 0};
    m.server_cpu_s = server.cpu_seconds() - server0;
    m.client_cpu_s = own_cpu_seconds() - client0;
    return m;
}

void row(const char* label, const Measured& m) {
    const LoadResult& r = m.r;
    std::printf("  %-28s %9zu %11.0f %9.2f %9.2f %9.2f %8zu %10.1f %10.1f\n", label, r.ok, r.per_second(),
                r.quantile_ms(0.5), r.quantile_ms(0.99), r.quantile_ms(1.0), r.errors,
                m.us_per_request(m.server_cpu_s), m.us_per_request(m.client_cpu_s));
}

void explain_errors(const char* label, const LoadResult& r) {
    if (r.errors == 0) return;
    std::printf("  %s: %zu errors; statuses:", label, r.errors);
    for (auto& [status, n] : r.statuses) std::printf(" %d x%zu", status, n);
    std::printf("\n  first: %.300s\n", r.first_error.c_str());
}

LoadResult load(const std::vector<std::string>& requests, const ParleyProcess& server, int connections,
                double seconds) {
    return run_load(requests, LoadOptions{server.port(), connections, requests.size(), seconds});
}

// One webhook first, alone: if the plugin does not take webhooks, say why at once.
bool probe(const ParleyProcess& server) {
    auto one = webhook_requests(1, kBusiness, kAppSecret, 9'000'000);
    auto r = load(one, server, 1, 10);
    if (r.ok == 1) return true;
    std::printf("probe: a signed webhook was not answered 200: %s\n", r.first_error.c_str());
    return false;
}

// The plugin's own counters, to see that what was answered 200 was taken as messages.
void plugin_counters(const ParleyProcess& server, std::size_t answered) {
    auto [status, body] = fetch(server.port(), get_request("/webhooks/whatsapp/stats"));
    if (status != 200) return;
    boost::json::error_code ec;
    auto v = boost::json::parse(body, ec);
    if (ec || !v.is_object()) return;
    std::printf("  plugin counters:");
    for (auto key : {"webhooks_ok", "messages_received", "duplicates_dropped", "unrouted", "webhooks_failed"})
        if (auto* n = v.as_object().if_contains(key)) std::printf(" %s=%s", key, boost::json::serialize(*n).c_str());
    std::printf(" (bench: %zu webhooks answered 200, probe and warm-up included)\n", answered);
}

}  // namespace

int main(int argc, char** argv) try {
    Args args = parse_args(argc, argv);
    std::string parley = find_parley(args.parley);
    std::printf("bench-webhook: %s, %u hardware threads, %d connections, store synchronous=full\n", parley.c_str(),
                std::thread::hardware_concurrency(), args.connections);
    ParleyProcess server(parley, kConfig,
                         {{"WHATSAPP_APP_SECRET", kAppSecret},
                          {"WHATSAPP_VERIFY_TOKEN", "bench-verify-token"},
                          {"WHATSAPP_ACCESS_TOKEN", "bench-access-token"}});
    std::printf("parley serve on 127.0.0.1:%u, files in %s\n", server.port(), server.folder().c_str());

    auto warm_hooks = webhook_requests(args.warmup, kBusiness, kAppSecret, 0);
    auto hooks = webhook_requests(args.webhooks, kBusiness, kAppSecret, args.warmup);
    std::vector<std::string> health{get_request("/healthz")};

    Measured measured_hooks;
    const LoadResult& webhooks = measured_hooks.r;
    bool took = probe(server);
    std::size_t answered = took ? 1 : 0;
    if (took) {
        answered += load(warm_hooks, server, args.connections, args.seconds).ok;
        measured_hooks = measure(server, [&] { return load(hooks, server, args.connections, args.seconds); });
        answered += webhooks.ok;
    }
    load(std::vector<std::string>(1, health[0]), server, args.connections, 1);  // connections warm
    auto measured_ceiling = measure(server, [&] {
        return run_load(health, LoadOptions{server.port(), args.connections, args.ceiling, args.seconds});
    });
    const LoadResult& ceiling = measured_ceiling.r;

    std::printf("\n  %-28s %9s %11s %9s %9s %9s %8s %10s %10s\n", "", "200s", "req/s", "p50 ms", "p99 ms", "max ms",
                "errors", "server us", "client us");
    row("POST /webhooks/whatsapp", measured_hooks);
    row("ceiling: GET /healthz", measured_ceiling);
    std::printf("  (server us, client us: CPU time, user + system, per request answered)\n");
    explain_errors("webhooks", webhooks);
    explain_errors("ceiling", ceiling);
    plugin_counters(server, answered);
    double ratio = ceiling.per_second() > 0 ? webhooks.per_second() / ceiling.per_second() : 0;
    bool clean = took && webhooks.errors == 0;
    std::printf("\n  webhooks/s / ceiling = %.2f\n", ratio);
    std::printf("  %-44s %s\n", ">= 10,000 webhooks/s (all answered 200)",
                verdict(clean && webhooks.per_second() >= kTargetPerSecond));
    std::printf("  %-44s %s\n", "p99 < 10 ms", verdict(took && webhooks.quantile_ms(0.99) < kTargetP99Ms));
    std::printf("  %-44s %s\n", ">= 0.5 of the HTTP ceiling", verdict(clean && ratio >= kTargetRatio));
    std::printf("  %-44s %s\n", "(Meta) median < 250 ms", verdict(took && webhooks.quantile_ms(0.5) < kMetaMedianMs));
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "bench-webhook: %s\n", e.what());
    return 1;
}
