// Which plugins to start, in which order, with which config; and how they stop.
#include "plugin_host_impl.hpp"

#include "parley/core/bus.hpp"
#include "parley/core/http.hpp"
#include "parley/core/log.hpp"
#include "parley/core/metrics.hpp"
#include "parley/core/runtime.hpp"

#include <algorithm>
#include <functional>

namespace parley::plugins {

namespace {

std::string plugin_named(const std::string& id) { return "plugin '" + id + "'"; }

// Every plugin id a config names, with where it is named.
std::map<std::string, config::Location> named_plugins(const config::Document& doc) {
    std::map<std::string, config::Location> out;
    for (auto& [id, raw] : doc.plugins) out.emplace(id, raw.where);
    for (auto& t : doc.tenants)
        for (auto& [id, raw] : t.plugins) out.emplace(id, raw.where);
    return out;
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
    std::string s;
    for (auto& p : parts) s += (s.empty() ? "" : sep) + p;
    return s;
}

}  // namespace

// Refuses modules whose dependencies are missing, refused or in a cycle, until stable.
static void check_dependencies(std::map<std::string, std::unique_ptr<Module>>& modules,
                               const std::set<std::string>& wanted) {
    bool changed = true;
    while (changed) {
        changed = false;
        for (auto& id : wanted) {
            auto& m = *modules.at(id);
            if (m.status.state == State::refused) continue;
            for (auto& dep : m.status.manifest.dependencies) {
                auto it = modules.find(dep);
                if (it == modules.end() || !wanted.count(dep)) {
                    refuse(m.status, Refusal::missing_dependency,
                           plugin_named(id) + " requires plugin '" + dep + "', which is not installed");
                } else if (it->second->status.state == State::refused) {
                    refuse(m.status, Refusal::missing_dependency,
                           plugin_named(id) + " requires plugin '" + dep + "', which was refused");
                } else {
                    continue;
                }
                changed = true;
                break;
            }
        }
    }
}

// Kahn's algorithm; what is left over sits in or behind a cycle.
static std::vector<Module*> dependency_order(std::map<std::string, std::unique_ptr<Module>>& modules,
                                             const std::set<std::string>& wanted) {
    std::vector<Module*> order;
    std::set<std::string> done;
    bool progress = true;
    while (progress) {
        progress = false;
        for (auto& id : wanted) {
            auto& m = *modules.at(id);
            if (done.count(id) || m.status.state == State::refused) continue;
            auto& deps = m.status.manifest.dependencies;
            if (std::all_of(deps.begin(), deps.end(), [&](auto& d) { return done.count(d) > 0; })) {
                order.push_back(&m);
                done.insert(id);
                progress = true;
            }
        }
    }
    for (auto& id : wanted) {
        auto& m = *modules.at(id);
        if (done.count(id) || m.status.state == State::refused) continue;
        // Walk the first unfinished dependency until an id repeats: that is the cycle.
        std::vector<std::string> path{id};
        for (std::string cur = id;;) {
            auto& deps = modules.at(cur)->status.manifest.dependencies;
            cur = *std::find_if(deps.begin(), deps.end(), [&](auto& d) { return !done.count(d); });
            auto seen = std::find(path.begin(), path.end(), cur);
            if (seen == path.end()) {
                path.push_back(cur);
                continue;
            }
            std::vector<std::string> cycle(seen, path.end());
            cycle.push_back(cur);
            if (seen == path.begin())
                refuse(m.status, Refusal::dependency_cycle,
                       plugin_named(id) + " is in a dependency cycle: " + join(cycle, " -> "));
            else
                refuse(m.status, Refusal::missing_dependency,
                       plugin_named(id) + " requires plugins in a dependency cycle: " + join(cycle, " -> "));
            break;
        }
    }
    return order;
}

std::vector<config::Diagnostic> PluginHost::Impl::prepare(const config::Document& doc,
                                                          const std::vector<std::string>& extra,
                                                          std::vector<Module*>& order) {
    std::vector<config::Diagnostic> errors;
    std::set<std::string> wanted;
    auto named = named_plugins(doc);
    for (auto& id : extra) named.emplace(id, config::Location{doc.file, 0, 0});
    for (auto& [id, where] : named) {
        if (!modules.count(id)) {
            errors.push_back({where, "unknown plugin '" + id + "': no plugin.toml with this id in " +
                                         (search_path.empty() ? std::string("the plugin path") : join(search_path, ", "))});
            continue;
        }
        std::function<void(const std::string&)> add = [&](const std::string& x) {
            if (!modules.count(x) || !wanted.insert(x).second) return;
            for (auto& d : modules.at(x)->status.manifest.dependencies) add(d);
        };
        add(id);
    }
    for (auto& id : wanted) load_module(*modules.at(id));
    check_dependencies(modules, wanted);
    order = dependency_order(modules, wanted);
    for (auto* m : order) {
        const auto& id = m->status.manifest.id;
        std::vector<config::Diagnostic> mine;
        auto defaults_it = doc.plugins.find(id);
        m->scopes.clear();
        m->scopes.emplace_back("", config::resolve(defaults_it == doc.plugins.end() ? nullptr : &defaults_it->second,
                                                   m->schema, nullptr, mine));
        for (auto& t : doc.tenants) {
            auto it = t.plugins.find(id);
            if (it == t.plugins.end()) continue;
            m->scopes.emplace_back(t.id, config::resolve(&it->second, m->schema, &m->scopes.front().second, mine));
        }
        if (!mine.empty()) {
            refuse(m->status, Refusal::config_invalid, mine.front().to_string());
            errors.insert(errors.end(), mine.begin(), mine.end());
        }
    }
    return errors;
}

void PluginHost::Impl::create_and_start(Module& m, const config::Document&) {
    auto& id = m.status.manifest.id;
    for (auto& dep : m.status.manifest.dependencies) {
        if (modules.at(dep)->status.state != State::running) {
            refuse(m.status, Refusal::missing_dependency, plugin_named(id) + " requires plugin '" + dep + "', which did not start");
            return;
        }
    }
    start_order.push_back(&m);
    for (auto& [tenant, section] : m.scopes) {
        auto h = std::make_shared<parley_host>();
        h->core = this;
        h->module = &m;
        h->plugin_id = id;
        h->tenant = tenant;
        h->owner = next_owner++;
        instances.push_back(h);
        parley_config view{&section};
        parley_error err{};
        auto s = m.descriptor.create(PluginHost::host_api(), h.get(), &view, &h->instance, &err);
        if (s != PARLEY_OK || !h->instance) {
            auto scope = tenant.empty() ? std::string() : " for tenant '" + tenant + "'";
            isolate(m, Refusal::create_failed, plugin_named(id) + " failed to start" + scope + ": create() failed: " + err.message);
            return;
        }
        ++m.status.instances;
        if (m.descriptor.start) {
            s = m.descriptor.start(h->instance, &err);
            if (s != PARLEY_OK) {
                isolate(m, Refusal::start_failed, plugin_named(id) + " failed to start: start() failed: " + err.message);
                return;
            }
        }
        h->started = true;
    }
    m.status.state = State::running;
    log::get("core")->info("plugin {} {} started ({} instance{})", id, m.status.manifest.version, m.status.instances,
                           m.status.instances == 1 ? "" : "s");
}

void PluginHost::Impl::remove_registrations(parley_host& h) {
    // First: no concurrent route call starts from now on, and those running return
    // (they may still post to the core strand, where `alive` drops what they posted).
    close_concurrent_routes(h);
    *h.alive = false;
    services.bus->remove_owner(h.owner);
    if (services.router) services.router->remove_owner(h.owner);
    auto range = timers.equal_range(h.owner);
    for (auto it = range.first; it != range.second; ++it)
        if (services.runtime) services.runtime->cancel_timer(it->second);
    timers.erase(h.owner);
    std::erase_if(services_by_name, [&](auto& kv) { return kv.second.owner == h.owner; });
    std::erase_if(commands, [&](auto& kv) { return kv.second.host.get() == &h; });
    abandon_pending_http(h.owner);
}

void PluginHost::Impl::stop_module(Module& m) {
    for (auto it = instances.rbegin(); it != instances.rend(); ++it) {
        auto& h = **it;
        if (h.module != &m) continue;
        // stop() never overlaps a concurrent route call (those run on I/O threads).
        close_concurrent_routes(h);
        if (h.started && m.descriptor.stop) m.descriptor.stop(h.instance);
        h.started = false;
        remove_registrations(h);
    }
}

void PluginHost::Impl::destroy_instances(Module& m) {
    for (auto it = instances.rbegin(); it != instances.rend(); ++it) {
        auto& h = **it;
        if (h.module != &m || !h.instance) continue;
        close_concurrent_routes(h);  // already closed on every path; destroy must never race a call
        m.descriptor.destroy(h.instance);
        h.instance = nullptr;
        forget_pending_http(h.owner);
    }
    std::erase_if(instances, [&](auto& h) { return h->module == &m; });
    m.status.instances = 0;
}

// Takes a plugin out of service without unloading it: its registrations go now,
// its instances are destroyed at shutdown (Qt Creator: delete only at shutdown).
void PluginHost::Impl::isolate(Module& m, Refusal why, const std::string& reason) {
    for (auto& h : instances) {
        if (h->module != &m) continue;
        // What a failed filter should have rewritten (masking) is hidden from now on.
        if (why == Refusal::handler_threw)
            for (auto& topic : services.bus->filter_topics(h->owner)) services.bus->poison(topic);
        remove_registrations(*h);
    }
    m.status.state = why == Refusal::handler_threw ? State::failed : State::refused;
    m.status.refusal = why;
    m.status.reason = reason;
    log::get(m.status.manifest.id)->error("{}", reason);
    if (services.metrics)
        services.metrics->counter("parley_plugin_failures_total", "Plugins refused or isolated",
                                  "plugin=\"" + m.status.manifest.id + "\"")++;
}

void PluginHost::Impl::after_call(parley_host& h, parley_status s, const parley_error& err, const char* kind,
                                  std::string_view name) {
    if (s == PARLEY_OK) return;
    const std::string what = std::string(kind) + " '" + std::string(name) + "'";
    if (s == PARLEY_ERR_EXCEPTION) {
        isolate(*h.module, Refusal::handler_threw,
                plugin_named(h.plugin_id) + " was isolated: its handler for " + what + " threw: " + err.message);
        return;
    }
    log::get(h.plugin_id)->warn("handler for {} failed: {}", what, redact(h.tenant, err.message));
}

std::shared_ptr<parley_host> PluginHost::Impl::find_host(std::uint64_t owner) const {
    for (auto& h : instances)
        if (h->owner == owner) return h;
    return nullptr;
}

}  // namespace parley::plugins
