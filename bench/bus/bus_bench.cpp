// Cost of one delivery to N subscribers: through the bus and the SDK boundary
// (core Signals2 slot -> C function pointer -> C++ wrapper -> std::function), through
// the bus to a core listener, and the peer: a direct call through a function pointer.
// Prints each per-delivery time and its ratio to the direct call of the same run.
#include "parley/core/bus.hpp"
#include "parley/core/plugin_host.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

extern "C" const parley_plugin_descriptor* parley_plugin_entry_bench(void);

namespace {

const std::string payload = R"({"interaction":"i-1","text":"hello"})";

// The peer: N handlers with the same C signature, called directly.
parley_status direct_handler(void* user, parley_str, parley_str p, parley_error*) {
    *static_cast<std::uint64_t*>(user) += p.size;
    return PARLEY_OK;
}

void BM_DirectCall(benchmark::State& state) {
    std::uint64_t sink = 0;
    std::vector<parley_event_fn> handlers(state.range(0), &direct_handler);
    benchmark::DoNotOptimize(handlers.data());
    for (auto _ : state) {
        for (auto fn : handlers) fn(&sink, {"bench.event", 11}, {payload.data(), payload.size()}, nullptr);
        benchmark::ClobberMemory();
    }
    benchmark::DoNotOptimize(sink);
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_BusCoreListener(benchmark::State& state) {
    parley::bus::Bus bus;
    std::uint64_t sink = 0;
    for (int i = 0; i < state.range(0); ++i)
        bus.subscribe("bench.event", 0, [&](std::string_view, std::string_view p) { sink += p.size(); });
    for (auto _ : state) bus.publish("bench.event", payload);
    benchmark::DoNotOptimize(sink);
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_BusThroughSdk(benchmark::State& state) {
    parley::bus::Bus bus;
    parley::plugins::PluginHost host({&bus});
    host.add_static(&parley_plugin_entry_bench);
    auto parsed = parley::config::parse_text(
        "[plugins.bench]\nsubscribers = " + std::to_string(state.range(0)) + "\n", "bench.toml");
    host.start(parsed.document);
    if (!host.running("bench")) state.SkipWithError("bench plugin did not start");
    for (auto _ : state) bus.publish("bench.event", payload);
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

BENCHMARK(BM_DirectCall)->Arg(1)->Arg(8)->Arg(64);
BENCHMARK(BM_BusCoreListener)->Arg(1)->Arg(8)->Arg(64);
BENCHMARK(BM_BusThroughSdk)->Arg(1)->Arg(8)->Arg(64);

// Keeps the console output and remembers ns per delivery for the ratio table.
class RatioReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (auto& r : runs) {
            auto name = r.benchmark_name();
            auto slash = name.find('/');
            double per_delivery = r.GetAdjustedRealTime() / std::stod(name.substr(slash + 1));
            results[name.substr(0, slash)][std::stoi(name.substr(slash + 1))] = per_delivery;
        }
    }
    std::map<std::string, std::map<int, double>> results;
};

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    RatioReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    auto& direct = reporter.results["BM_DirectCall"];
    std::printf("\n%-12s %14s %16s %14s %18s %16s\n", "subscribers", "direct ns/del", "core bus ns/del",
                "core/direct", "through SDK ns/del", "SDK/direct");
    for (auto& [n, d] : direct) {
        double core = reporter.results["BM_BusCoreListener"][n];
        double sdk = reporter.results["BM_BusThroughSdk"][n];
        std::printf("%-12d %14.2f %16.2f %13.1fx %18.2f %15.1fx\n", n, d, core, core / d, sdk, sdk / d);
    }
    benchmark::Shutdown();
    return 0;
}
