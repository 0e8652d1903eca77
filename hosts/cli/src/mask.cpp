// parley mask: masks stdin to stdout, line by line, with the masking plugin alone
// (a host that embeds one feature).
#include "common.hpp"

#include "parley/core/bus.hpp"
#include "parley/core/log.hpp"
#include "parley/core/plugin_host.hpp"

#include <parley/masker.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

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

// Writes all of `bytes` to stdout; false if it cannot.
bool write_stdout(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(STDOUT_FILENO, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;  // (0: nothing written, which would repeat forever)
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

enum class Lines { done, stopped, io_error };

Lines io_error(const char* what) {
    std::cerr << "parley: cannot " << what << ": " << std::strerror(errno) << "\n";
    return Lines::io_error;
}

// Calls on_line(line, out) for each line of stdin (without its '\n'; a last line without
// one too) and writes what the lines of each read appended to `out` in one write. A file
// goes 64 KiB at a time (line by line through std::getline and std::cout, 8.6 MB of chat
// took 0.2 s of CPU, ten times the masking itself), while a line piped in slowly is
// answered as soon as it arrives, since read() returns what is there. on_line returning
// false stops the reading (what was masked before it is written); a failed read or write
// is said on stderr.
template <class OnLine>
Lines for_each_line(OnLine&& on_line) {
    std::vector<char> block(64 * 1024);
    std::string partial, out;
    while (true) {
        const ssize_t n = ::read(STDIN_FILENO, block.data(), block.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return io_error("read standard input");
        std::string_view data(block.data(), static_cast<std::size_t>(n));
        out.clear();
        bool going = true;
        for (std::size_t end; going && (end = data.find('\n')) != std::string_view::npos; data.remove_prefix(end + 1)) {
            if (partial.empty()) {
                going = on_line(data.substr(0, end), out);
            } else {  // the line began in an earlier read
                partial.append(data.data(), end);
                going = on_line(std::string_view(partial), out);
                partial.clear();
            }
        }
        if (going && n == 0 && !partial.empty()) going = on_line(std::string_view(partial), out);
        partial.append(data);
        if (!write_stdout(out)) return io_error("write standard output");
        if (!going) return Lines::stopped;
        if (n == 0) return Lines::done;
    }
}

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
    std::size_t line_number = 0;
    auto mask_line = [&](std::string_view line, std::string& out) {
        ++line_number;
        Buffer masked;
        auto entities = c(mask_options.entities);
        auto s = mask_options.json    ? masker->detect(service.user, entities, c(""), c(line), masked.buffer)
                 : explicit_entities ? masker->mask_with(service.user, entities, c(""), c(line), masked.buffer)
                                     : masker->mask(service.user, c(mask_options.tenant), c("conversation"), c(line),
                                                    masked.buffer);
        if (s == PARLEY_ERR_INVALID) return false;  // a bad --entities: stop
        if (s == PARLEY_OK) out += masked.text();
        else  // never echo a line that could not be masked
            std::cerr << "parley: line " << line_number << " could not be masked; it was withheld\n";
        out += '\n';
        return true;
    };
    switch (for_each_line(mask_line)) {
        case Lines::done: break;
        case Lines::stopped:
            std::cerr << "parley: cannot mask with entities '" << mask_options.entities
                      << "' (use card, iban, ssn, email, phone)\n";
            return exit_usage;
        case Lines::io_error: return exit_internal;
    }
    return exit_ok;
}

}  // namespace parley::cli
