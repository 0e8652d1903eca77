#include "parley/core/plugin_host.hpp"

#include "manifest.hpp"
#include "plugin_host_impl.hpp"

#include "parley/core/bus.hpp"
#include "parley/core/log.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

namespace fs = std::filesystem;

namespace parley::plugins {

const char* refusal_code(Refusal r) {
    switch (r) {
        case Refusal::none: return "none";
        case Refusal::manifest_invalid: return "manifest_invalid";
        case Refusal::library_missing: return "library_missing";
        case Refusal::load_failed: return "load_failed";
        case Refusal::no_entry_symbol: return "no_entry_symbol";
        case Refusal::bad_magic: return "bad_magic";
        case Refusal::abi_major_mismatch: return "abi_major_mismatch";
        case Refusal::abi_minor_newer: return "abi_minor_newer";
        case Refusal::struct_size_invalid: return "struct_size_invalid";
        case Refusal::manifest_mismatch: return "manifest_mismatch";
        case Refusal::missing_dependency: return "missing_dependency";
        case Refusal::dependency_cycle: return "dependency_cycle";
        case Refusal::config_invalid: return "config_invalid";
        case Refusal::create_failed: return "create_failed";
        case Refusal::start_failed: return "start_failed";
        case Refusal::handler_threw: return "handler_threw";
    }
    return "unknown";
}

const char* state_name(State s) {
    switch (s) {
        case State::discovered: return "discovered";
        case State::running: return "running";
        case State::refused: return "refused";
        case State::failed: return "failed";
        case State::stopped: return "stopped";
    }
    return "unknown";
}

PluginHost::PluginHost(HostServices services) : impl_(std::make_unique<Impl>()) {
    impl_->services = services;
}

PluginHost::~PluginHost() { shutdown(); }

namespace {

std::vector<fs::path> manifests_under(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    if (fs::is_regular_file(dir / "plugin.toml", ec)) return {dir / "plugin.toml"};
    for (auto& entry : fs::directory_iterator(dir, ec))
        if (fs::is_regular_file(entry.path() / "plugin.toml", ec)) out.push_back(entry.path() / "plugin.toml");
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

std::vector<config::Diagnostic> PluginHost::discover(const std::vector<std::string>& search_path) {
    std::vector<config::Diagnostic> errors;
    for (auto& dir : search_path) {
        impl_->search_path.push_back(dir);
        for (auto& file : manifests_under(dir)) {
            std::vector<config::Diagnostic> mine;
            auto manifest = read_manifest(file.string(), mine);
            if (!manifest) {
                // Known by its folder name, so `parley plugins` can show why.
                auto id = file.parent_path().filename().string();
                if (impl_->modules.count(id)) continue;
                auto m = std::make_unique<Module>();
                m->status.manifest.id = id;
                m->status.manifest.file = file.string();
                refuse(m->status, Refusal::manifest_invalid, mine.front().to_string());
                impl_->modules.emplace(id, std::move(m));
                errors.insert(errors.end(), mine.begin(), mine.end());
                continue;
            }
            if (impl_->modules.count(manifest->id)) continue;  // the first on the path wins
            auto m = std::make_unique<Module>();
            m->status.library_path = (file.parent_path() / ("lib" + manifest->library + ".so")).string();
            m->status.manifest = std::move(*manifest);
            impl_->modules.emplace(m->status.manifest.id, std::move(m));
        }
    }
    return errors;
}

void PluginHost::add_static(parley_plugin_entry_fn entry) {
    auto m = std::make_unique<Module>();
    const auto* d = entry ? entry() : nullptr;
    m->status.manifest.id = d && d->id ? d->id : "static";
    adopt_descriptor(*m, d, nullptr);
    if (m->loaded) {
        auto& man = m->status.manifest;
        man.version = d->version ? d->version : "";
        man.kind = m->descriptor.kind == PARLEY_KIND_CHANNEL ? "channel" : "feature";
        man.description = d->description ? d->description : "";
        man.library = "(linked in)";
        man.abi_major = d->abi_major;
        man.abi_minor = d->abi_minor;
        for (auto p = m->descriptor.dependencies; p && *p; ++p) man.dependencies.emplace_back(*p);
    }
    m->status.library_path = "(static)";
    impl_->modules[m->status.manifest.id] = std::move(m);
}

std::vector<config::Diagnostic> PluginHost::start(const config::Document& doc, const std::vector<std::string>& extra) {
    std::vector<Module*> order;
    auto errors = impl_->prepare(doc, extra, order);
    for (auto* m : order)
        if (m->status.state == State::discovered) impl_->create_and_start(*m, doc);
    for (auto& [id, m] : impl_->modules)
        if (m->status.state == State::refused && m->status.refusal != Refusal::config_invalid)
            log::get("core")->error("{} [{}]", m->status.reason, refusal_code(m->status.refusal));
    return errors;
}

std::vector<config::Diagnostic> PluginHost::check(const config::Document& doc) {
    std::vector<Module*> order;
    auto errors = impl_->prepare(doc, {}, order);
    // A named plugin that cannot load is an error in the file that names it.
    for (auto& [id, m] : impl_->modules) {
        if (m->status.state != State::refused || m->status.refusal == Refusal::config_invalid) continue;
        config::Location where{doc.file, 0, 0};
        if (auto it = doc.plugins.find(id); it != doc.plugins.end()) where = it->second.where;
        errors.push_back({where, m->status.reason});
    }
    return errors;
}

namespace {

// The validated scopes of one plugin under `doc`: defaults, then each tenant override.
std::vector<std::pair<std::string, config::Section>> scopes_for(const Module& m, const config::Document& doc,
                                                                std::vector<config::Diagnostic>& errors) {
    std::vector<std::pair<std::string, config::Section>> scopes;
    auto& id = m.status.manifest.id;
    auto d = doc.plugins.find(id);
    scopes.emplace_back("", config::resolve(d == doc.plugins.end() ? nullptr : &d->second, m.schema, nullptr, errors));
    for (auto& t : doc.tenants)
        if (auto it = t.plugins.find(id); it != t.plugins.end())
            scopes.emplace_back(t.id, config::resolve(&it->second, m.schema, &scopes.front().second, errors));
    return scopes;
}

}  // namespace

std::vector<config::Diagnostic> PluginHost::reconfigure(const config::Document& doc) {
    std::vector<config::Diagnostic> errors;
    auto named = [&](const std::string& id) {
        if (doc.plugins.count(id)) return true;
        for (auto& t : doc.tenants)
            if (t.plugins.count(id)) return true;
        return false;
    };
    std::map<Module*, std::vector<std::pair<std::string, config::Section>>> next;
    for (auto* m : impl_->start_order) next[m] = scopes_for(*m, doc, errors);
    auto check_named = [&](const std::map<std::string, config::RawSection>& sections) {
        for (auto& [id, raw] : sections) {
            auto it = impl_->modules.find(id);
            bool running = it != impl_->modules.end() && std::count(impl_->start_order.begin(), impl_->start_order.end(), it->second.get());
            if (!running) errors.push_back({raw.where, "plugin '" + id + "' is not running; adding a plugin needs a restart"});
        }
    };
    check_named(doc.plugins);
    for (auto& t : doc.tenants) check_named(t.plugins);
    for (auto* m : impl_->start_order)
        if (!named(m->status.manifest.id))
            errors.push_back(config::Diagnostic{config::Location{doc.file, 0, 0},
                                                "plugin '" + m->status.manifest.id +
                                                    "' is running; removing a plugin needs a restart"});
    if (!errors.empty()) return errors;

    auto order = impl_->start_order;
    for (auto it = order.rbegin(); it != order.rend(); ++it) impl_->stop_module(**it);
    for (auto it = order.rbegin(); it != order.rend(); ++it) impl_->destroy_instances(**it);
    impl_->start_order.clear();
    for (auto* m : order) {
        m->scopes = std::move(next[m]);
        m->status.state = State::discovered;
        impl_->create_and_start(*m, doc);
    }
    return errors;
}

void PluginHost::shutdown() {
    auto& order = impl_->start_order;
    for (auto it = order.rbegin(); it != order.rend(); ++it) impl_->stop_module(**it);
    for (auto& h : impl_->instances) impl_->remove_registrations(*h);
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        impl_->destroy_instances(**it);
        if ((*it)->status.state == State::running) (*it)->status.state = State::stopped;
    }
    order.clear();
    for (auto& [id, m] : impl_->modules) unload_module(*m);
}

bool PluginHost::unload(const std::string& id) {
    auto it = impl_->modules.find(id);
    if (it == impl_->modules.end() || !it->second->loaded) return false;
    auto& m = *it->second;
    impl_->stop_module(m);
    impl_->destroy_instances(m);
    std::erase(impl_->start_order, &m);
    unload_module(m);
    if (m.status.state == State::running) m.status.state = State::stopped;
    return true;
}

std::vector<PluginStatus> PluginHost::status() const {
    std::vector<PluginStatus> out;
    for (auto& [id, m] : impl_->modules) out.push_back(m->status);
    return out;
}

const PluginStatus* PluginHost::find(const std::string& id) const {
    auto it = impl_->modules.find(id);
    return it == impl_->modules.end() ? nullptr : &it->second->status;
}

bool PluginHost::running(const std::string& id) const {
    auto s = find(id);
    return s && s->state == State::running;
}

std::vector<std::string> PluginHost::start_order() const {
    std::vector<std::string> out;
    for (auto* m : impl_->start_order) out.push_back(m->status.manifest.id);
    return out;
}

CommandResult PluginHost::call_command(const std::string& tenant, const std::string& name, std::string_view args) {
    auto& commands = impl_->commands;
    auto it = commands.find({tenant, name});
    if (it == commands.end()) it = commands.find({"", name});
    if (it == commands.end()) return {false, false, "unknown command '" + name + "'"};
    auto cmd = it->second;  // the call may unregister it
    parley_buffer result;
    parley_error err{};
    auto s = cmd.fn(cmd.user, {args.data(), args.size()}, &result, &err);
    impl_->after_call(*cmd.host, s, err, "command", name);
    if (s != PARLEY_OK) return {false, true, err.message};
    return {true, true, std::move(result.data)};
}

std::vector<std::string> PluginHost::commands(const std::string& tenant) const {
    std::vector<std::string> out;
    for (auto& [key, cmd] : impl_->commands)
        if (key.first.empty() || key.first == tenant) out.push_back(key.second);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

bool PluginHost::get_service(const std::string& tenant, const std::string& name, std::uint32_t min_version,
                             parley_service* out) const {
    return impl_->find_service(tenant, name, min_version, out) == PARLEY_OK;
}

void PluginHost::provide_service(const std::string& name, std::uint32_t version, const void* table, void* user) {
    impl_->services_by_name[{"", name}] = Impl::Service{version, table, user, 0};
}

std::shared_ptr<std::atomic<bool>> PluginHost::alive_token(parley_host* caller) {
    return caller ? caller->alive : std::make_shared<std::atomic<bool>>(false);
}

void PluginHost::set_server_url(std::string url) { impl_->server_url = std::move(url); }

void PluginHost::set_log_redactor(std::function<std::string(const std::string&, std::string_view)> redactor) {
    impl_->redactor = std::move(redactor);
}

}  // namespace parley::plugins
