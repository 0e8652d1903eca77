// parley check: every problem of a config file, or exit 0.
#include "common.hpp"

#include "parley/core/bus.hpp"
#include "parley/core/plugin_host.hpp"

#include <iostream>

namespace parley::cli {

int check(const CommonOptions& options) {
    auto parsed = load_config(options);
    auto errors = parsed.errors;
    if (parsed.document.file.empty()) parsed.document.file = options.config_file;
    // Plugin sections are checked against the schemas the plugins declare.
    bus::Bus bus;
    plugins::PluginHost host({&bus});
    host.discover(plugin_search_path(options, parsed.document));
    auto more = host.check(parsed.document);
    errors.insert(errors.end(), more.begin(), more.end());
    print_diagnostics(errors);
    if (!errors.empty()) {
        std::cerr << errors.size() << (errors.size() == 1 ? " error" : " errors") << " in "
                  << (options.config_file.empty() ? "the embedded defaults" : options.config_file) << "\n";
        return exit_config;
    }
    std::cout << (options.config_file.empty() ? "embedded defaults" : options.config_file) << ": ok\n";
    return exit_ok;
}

}  // namespace parley::cli
