// parley mask: masks stdin to stdout, line by line, with the masking plugin alone
// (a host that embeds one feature).
#include "common.hpp"

#include "parley/core/bus.hpp"
#include "parley/core/log.hpp"
#include "parley/core/plugin_host.hpp"

#include <parley/masker.h>

#include <boost/json.hpp>

#include <iostream>
#include <memory>

namespace parley::cli {

namespace {

// The config reduced to what the masking plugin reads.
config::Document masking_only(const config::Document& doc) {
    config::Document out;
    out.file = doc.file;
    out.server = doc.server;
    if (auto it = doc.plugins.find("masking"); it != doc.plugins.end()) out.plugins["masking"] = it->second;
    else out.plugins["masking"] = config::RawSection{};
    for (auto& t : doc.tenants) {
        auto it = t.plugins.find("masking");
        if (it == t.plugins.end()) continue;
        config::TenantConfig tenant;
        tenant.id = t.id;
        tenant.where = t.where;
        tenant.plugins["masking"] = it->second;
        out.tenants.push_back(std::move(tenant));
    }
    return out;
}

struct Buffer {
    const parley_host_api* api = plugins::PluginHost::host_api();
    parley_buffer* buffer = api->buffer_create();
    ~Buffer() { api->buffer_destroy(buffer); }
    std::string_view text() const {
        auto v = api->buffer_view(buffer);
        return {v.data, v.size};
    }
};

parley_str c(std::string_view s) { return {s.data(), s.size()}; }

}  // namespace

int mask(const CommonOptions& options, const MaskOptions& mask_options) {
    auto parsed = load_config(options);
    if (!parsed.ok()) {
        print_diagnostics(parsed.errors);
        return exit_config;
    }
    log::init({"text", "warn", ""});
    bus::Bus bus;
    plugins::PluginHost host({&bus});
    host.discover(plugin_search_path(options, parsed.document));
    auto errors = host.start(masking_only(parsed.document));
    if (!errors.empty()) {
        print_diagnostics(errors);
        return exit_config;
    }
    parley_service service{};
    if (!host.get_service(mask_options.tenant, PARLEY_MASKER_SERVICE, PARLEY_MASKER_SERVICE_VERSION, &service)) {
        auto s = host.find("masking");
        std::cerr << "parley: the masking plugin is not available" << (s ? ": " + s->reason : std::string()) << "\n";
        return exit_plugins;
    }
    auto* masker = static_cast<const parley_masker_service*>(service.table);
    // A tenant's policy only when a tenant is named; otherwise every entity (or --entities).
    bool explicit_entities = mask_options.json || !mask_options.entities.empty() || mask_options.tenant.empty();
    std::string line;
    std::size_t line_number = 0;
    while (std::getline(std::cin, line)) {
        ++line_number;
        Buffer out;
        auto s = explicit_entities
                     ? masker->detect(service.user, c(mask_options.entities), c(""), c(line), out.buffer)
                     : masker->mask(service.user, c(mask_options.tenant), c("conversation"), c(line), out.buffer);
        if (s == PARLEY_ERR_INVALID) {
            std::cerr << "parley: cannot mask with entities '" << mask_options.entities
                      << "' (use card, iban, ssn, email, phone)\n";
            return exit_usage;
        }
        if (s != PARLEY_OK) {  // never echo a line that could not be masked
            std::cerr << "parley: line " << line_number << " could not be masked; it was withheld\n";
            std::cout << "\n";
            continue;
        }
        if (!explicit_entities || mask_options.json) {
            std::cout << out.text() << "\n";
            continue;
        }
        auto masked = boost::json::parse(out.text()).at("masked");
        std::cout << masked.as_string().c_str() << "\n";
    }
    return exit_ok;
}

}  // namespace parley::cli
