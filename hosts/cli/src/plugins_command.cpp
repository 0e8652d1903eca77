// parley plugins: what is installed, and whether it loads and starts.
#include "common.hpp"

#include "parley/core/bus.hpp"
#include "parley/core/plugin_host.hpp"
#include "parley/core/runtime.hpp"

#include <boost/json.hpp>

#include <cstdio>
#include <iostream>

namespace parley::cli {

namespace {

std::string abi_of(const plugins::Manifest& m) {
    return m.abi_major || m.abi_minor ? std::to_string(m.abi_major) + "." + std::to_string(m.abi_minor) : "-";
}

std::string status_of(const plugins::PluginStatus& s) {
    if (s.state == plugins::State::running || s.state == plugins::State::stopped) return "ok";
    if (s.refusal == plugins::Refusal::none) return plugins::state_name(s.state);
    return std::string(plugins::state_name(s.state)) + " (" + plugins::refusal_code(s.refusal) + "): " + s.reason;
}

void print_table(const std::vector<plugins::PluginStatus>& all) {
    std::printf("%-14s %-9s %-5s %-8s %-6s %s\n", "ID", "VERSION", "ABI", "KIND", "STATUS", "PATH");
    for (auto& s : all) {
        auto status = status_of(s);
        bool ok = status == "ok";
        std::printf("%-14s %-9s %-5s %-8s %-6s %s\n", s.manifest.id.c_str(),
                    s.manifest.version.empty() ? "-" : s.manifest.version.c_str(), abi_of(s.manifest).c_str(),
                    s.manifest.kind.empty() ? "-" : s.manifest.kind.c_str(), ok ? "ok" : "REFUSED",
                    s.library_path.empty() ? s.manifest.file.c_str() : s.library_path.c_str());
        if (!ok) std::printf("    %s\n", status.c_str());
    }
}

void print_json(const std::vector<plugins::PluginStatus>& all) {
    boost::json::array out;
    for (auto& s : all) {
        out.push_back({{"id", s.manifest.id},
                       {"version", s.manifest.version},
                       {"abi", abi_of(s.manifest)},
                       {"kind", s.manifest.kind},
                       {"path", s.library_path},
                       {"state", plugins::state_name(s.state)},
                       {"refusal", plugins::refusal_code(s.refusal)},
                       {"reason", s.reason}});
    }
    std::cout << boost::json::serialize(out) << "\n";
}

}  // namespace

int list_plugins(const CommonOptions& options, bool json) {
    auto parsed = load_config(options);
    if (!parsed.ok()) {
        print_diagnostics(parsed.errors);
        return exit_config;
    }
    Runtime runtime;
    bus::Bus bus;
    plugins::PluginHost host({&bus, nullptr, &runtime, nullptr});
    host.discover(plugin_search_path(options, parsed.document));
    // Load and start everything found, so a refusal shows with its reason.
    std::vector<std::string> all;
    for (auto& s : host.status()) all.push_back(s.manifest.id);
    host.start(parsed.document, all);
    auto status = host.status();
    host.shutdown();
    if (json) print_json(status);
    else print_table(status);
    return exit_ok;
}

}  // namespace parley::cli
