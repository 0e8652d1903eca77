// The plugin host: finds plugins by their manifests, loads them with Boost.DLL,
// checks their ABI, validates their config, starts them in dependency order and
// stops them in reverse. The core owns every registration a plugin makes (bus,
// services, commands, timers, HTTP routes) and removes them all before the plugin's
// instances are destroyed; libraries unload only at shutdown or on explicit unload.
// A broken plugin is refused with a typed reason and a sentence; the host goes on.
#pragma once

#include "parley/core/config.hpp"

#include <parley/abi.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace parley {
class Runtime;
namespace bus {
class Bus;
}
namespace http {
class Router;
}
namespace metrics {
class Registry;
}
}  // namespace parley

namespace parley::plugins {

enum class Refusal {
    none,
    manifest_invalid,
    library_missing,
    load_failed,
    no_entry_symbol,
    bad_magic,
    abi_major_mismatch,
    abi_minor_newer,
    struct_size_invalid,
    manifest_mismatch,
    missing_dependency,
    dependency_cycle,
    config_invalid,
    create_failed,
    start_failed,
    handler_threw,
};
const char* refusal_code(Refusal refusal);  // "no_entry_symbol"

enum class State { discovered, running, refused, failed, stopped };
const char* state_name(State state);

// plugin.toml, read before any plugin code runs.
struct Manifest {
    std::string id;
    std::string version;
    std::string kind;  // "channel" or "feature"
    std::string description;
    std::string library;  // "parley-whatsapp" -> libparley-whatsapp.so next to the manifest
    int abi_major = 0;
    int abi_minor = 0;
    std::vector<std::string> dependencies;
    std::string file;  // the manifest's path; empty for static plugins
};

struct PluginStatus {
    Manifest manifest;
    std::string library_path;
    State state = State::discovered;
    Refusal refusal = Refusal::none;
    std::string reason;  // a sentence, when refused or failed
    std::size_t instances = 0;
};

struct HostServices {
    bus::Bus* bus = nullptr;                // required
    http::Router* router = nullptr;         // plugin routes; none when null
    Runtime* runtime = nullptr;             // timers and the core strand; none when null
    metrics::Registry* metrics = nullptr;
};

struct CommandResult {
    bool ok = false;
    bool found = false;
    std::string body;  // JSON result, or the error sentence
};

class PluginHost {
public:
    explicit PluginHost(HostServices services);
    ~PluginHost();  // shutdown()
    PluginHost(const PluginHost&) = delete;
    PluginHost& operator=(const PluginHost&) = delete;

    // Reads <dir>/plugin.toml or <dir>/<sub>/plugin.toml for each dir; the first
    // manifest of an id wins. Manifest errors are returned and the plugin refused.
    std::vector<config::Diagnostic> discover(const std::vector<std::string>& search_path);
    // A plugin linked into the host (its descriptor stands in for the manifest).
    void add_static(parley_plugin_entry_fn entry);

    // The plugins a config names ([plugins.X] and [tenants.T.plugins.X]) plus `extra`,
    // with what they require: loaded, validated, created and started in dependency
    // order. Config problems come back as diagnostics (unknown plugin, bad keys);
    // broken plugins are refused and reported in status().
    std::vector<config::Diagnostic> start(const config::Document& doc, const std::vector<std::string>& extra = {});
    // Hot reload: validates the plugin sections of `doc` against the running plugins'
    // schemas; when all are valid, re-creates every instance with the new config
    // (stop and destroy in reverse order, create and start in order). Otherwise
    // changes nothing and returns the errors. Adding or removing a plugin needs a restart.
    std::vector<config::Diagnostic> reconfigure(const config::Document& doc);
    // Everything start() checks, without creating anything (for `parley check`).
    std::vector<config::Diagnostic> check(const config::Document& doc);

    // Stop in reverse order, remove every registration, destroy, unload.
    void shutdown();
    // Development reload of one plugin; false when it is not loaded.
    bool unload(const std::string& id);

    std::vector<PluginStatus> status() const;
    const PluginStatus* find(const std::string& id) const;
    bool running(const std::string& id) const;
    // Ids of the started plugins, in the order they started.
    std::vector<std::string> start_order() const;

    // Commands plugins registered, looked up for `tenant` first, then the defaults.
    CommandResult call_command(const std::string& tenant, const std::string& name, std::string_view args);
    std::vector<std::string> commands(const std::string& tenant) const;
    // A service as a plugin would get it (for hosts that embed a feature).
    bool get_service(const std::string& tenant, const std::string& name, std::uint32_t min_version,
                     parley_service* out) const;

    // A service the core itself offers to plugins (owner: the core; all tenants).
    void provide_service(const std::string& name, std::uint32_t version, const void* table, void* user);
    // A flag that stays true while the calling plugin instance is alive: take it
    // during the call, check it before calling the plugin back later.
    static std::shared_ptr<std::atomic<bool>> alive_token(parley_host* caller);

    // Tells plugins where the server listens ("http://127.0.0.1:8080").
    void set_server_url(std::string url);

    // Rewrites what plugins log (tenant, message) -> message; the masking feature
    // installs one so no customer data reaches a log file.
    void set_log_redactor(std::function<std::string(const std::string&, std::string_view)> redactor);

    // The C host API table handed to plugins (exposed for the bus benchmark and tests).
    static const parley_host_api* host_api();

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace parley::plugins
