#include "module.hpp"

#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <filesystem>

namespace parley::plugins {

namespace {

// The smallest descriptor ABI 1.0 defines: up to and including `destroy`.
constexpr std::size_t min_descriptor_size =
    offsetof(parley_plugin_descriptor, destroy) + sizeof(parley_plugin_descriptor::destroy);

std::string str(const char* s) { return s ? s : ""; }

std::string plugin_named(const std::string& id) { return "plugin '" + id + "'"; }

config::Type to_type(parley_config_type t) {
    switch (t) {
        case PARLEY_CONFIG_INT: return config::Type::integer;
        case PARLEY_CONFIG_DOUBLE: return config::Type::floating;
        case PARLEY_CONFIG_BOOL: return config::Type::boolean;
        case PARLEY_CONFIG_STRING_ARRAY: return config::Type::string_array;
        default: return config::Type::string;
    }
}

std::vector<std::string> dependencies(const parley_plugin_descriptor& d) {
    std::vector<std::string> out;
    for (auto p = d.dependencies; p && *p; ++p) out.emplace_back(*p);
    std::sort(out.begin(), out.end());
    return out;
}

bool check_header(Module& m, const parley_plugin_descriptor* raw) {
    auto& id = m.status.manifest.id;
    if (!raw) return refuse(m.status, Refusal::bad_magic, plugin_named(id) + ": its entry returned no descriptor"), false;
    if (raw->magic != PARLEY_ABI_MAGIC)
        return refuse(m.status, Refusal::bad_magic, plugin_named(id) + " is not a Parley plugin: its descriptor has the wrong magic number"), false;
    if (raw->abi_major != PARLEY_ABI_MAJOR)
        return refuse(m.status, Refusal::abi_major_mismatch,
                      plugin_named(id) + " was built for plugin ABI " + std::to_string(raw->abi_major) + ".x; this Parley speaks ABI " +
                          std::to_string(PARLEY_ABI_MAJOR) + ".x: rebuild it against this SDK"), false;
    if (raw->abi_minor > PARLEY_ABI_MINOR)
        return refuse(m.status, Refusal::abi_minor_newer,
                      plugin_named(id) + " needs plugin ABI " + std::to_string(raw->abi_major) + "." + std::to_string(raw->abi_minor) +
                          ", newer than this Parley's " + std::to_string(PARLEY_ABI_MAJOR) + "." + std::to_string(PARLEY_ABI_MINOR) +
                          ": upgrade Parley or build the plugin against an older SDK"), false;
    if (raw->struct_size < min_descriptor_size || raw->struct_size > sizeof(parley_plugin_descriptor))
        return refuse(m.status, Refusal::struct_size_invalid,
                      plugin_named(id) + " declares a descriptor of " + std::to_string(raw->struct_size) + " bytes; ABI " +
                          std::to_string(raw->abi_major) + "." + std::to_string(raw->abi_minor) + " defines " +
                          std::to_string(sizeof(parley_plugin_descriptor)) + ""), false;
    return true;
}

bool check_manifest(Module& m, const Manifest& man) {
    const auto& d = m.descriptor;
    auto mismatch = [&](const std::string& what, const std::string& in_manifest, const std::string& in_library) {
        refuse(m.status, Refusal::manifest_mismatch,
               plugin_named(man.id) + ": plugin.toml says " + what + " '" + in_manifest + "' but the library says '" + in_library + "'");
        return false;
    };
    if (str(d.id) != man.id) return mismatch("id", man.id, str(d.id));
    if (str(d.version) != man.version) return mismatch("version", man.version, str(d.version));
    auto kind = d.kind == PARLEY_KIND_CHANNEL ? "channel" : d.kind == PARLEY_KIND_FEATURE ? "feature" : "unknown";
    if (man.kind != kind) return mismatch("kind", man.kind, kind);
    auto abi = std::to_string(d.abi_major) + "." + std::to_string(d.abi_minor);
    if (man.abi_major != d.abi_major || man.abi_minor != d.abi_minor)
        return mismatch("abi", std::to_string(man.abi_major) + "." + std::to_string(man.abi_minor), abi);
    auto want = man.dependencies;
    std::sort(want.begin(), want.end());
    auto join = [](const std::vector<std::string>& v) {
        std::string s;
        for (auto& x : v) s += (s.empty() ? "" : ",") + x;
        return s;
    };
    if (want != dependencies(d)) return mismatch("requires", join(want), join(dependencies(d)));
    return true;
}

void read_schema(Module& m) {
    m.schema.clear();
    for (std::size_t i = 0; i < m.descriptor.config_count; ++i) {
        const auto& e = m.descriptor.config[i];
        config::FieldSpec f{str(e.key), to_type(e.type), std::nullopt, str(e.description)};
        if (e.default_value) f.default_value = e.default_value;
        m.schema.push_back(std::move(f));
    }
}

}  // namespace

void refuse(PluginStatus& status, Refusal refusal, std::string reason) {
    status.state = State::refused;
    status.refusal = refusal;
    status.reason = std::move(reason);
}

void adopt_descriptor(Module& m, const parley_plugin_descriptor* raw, const Manifest* manifest) {
    if (!check_header(m, raw)) return;
    m.descriptor = parley_plugin_descriptor{};
    std::memcpy(&m.descriptor, raw, std::min(raw->struct_size, sizeof(parley_plugin_descriptor)));
    if (!m.descriptor.id || !m.descriptor.create || !m.descriptor.destroy) {
        refuse(m.status, Refusal::struct_size_invalid, plugin_named(m.status.manifest.id) + ": its descriptor lacks id, create or destroy");
        return;
    }
    if (manifest && !check_manifest(m, *manifest)) return;
    read_schema(m);
    m.loaded = true;
}

void load_module(Module& m) {
    if (m.loaded || m.status.state == State::refused) return;
    const auto& id = m.status.manifest.id;
    if (!std::filesystem::exists(m.status.library_path)) {
        refuse(m.status, Refusal::library_missing, plugin_named(id) + ": library " + m.status.library_path + " does not exist");
        return;
    }
    try {
        m.library = std::make_shared<boost::dll::shared_library>(
            m.status.library_path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
        refuse(m.status, Refusal::load_failed, plugin_named(id) + ": cannot load " + m.status.library_path + ": " + e.what());
        return;
    }
    if (!m.library->has(PARLEY_ENTRY_SYMBOL)) {
        refuse(m.status, Refusal::no_entry_symbol,
               plugin_named(id) + ": " + m.status.library_path + " does not export " PARLEY_ENTRY_SYMBOL "()");
        m.library.reset();
        return;
    }
    auto& entry = m.library->get<const parley_plugin_descriptor*()>(PARLEY_ENTRY_SYMBOL);
    adopt_descriptor(m, entry(), &m.status.manifest);
    if (!m.loaded) m.library.reset();
}

void unload_module(Module& m) {
    m.library.reset();
    m.loaded = false;
}

}  // namespace parley::plugins
