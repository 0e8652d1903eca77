// parley: the command that assembles plugins from TOML and runs them.
#include "common.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char** argv) {
    using namespace parley::cli;
    CLI::App app{"Parley: a contact-center agent platform for digital conversations"};
    app.set_version_flag("--version", std::string("parley ") + PARLEY_VERSION);
    app.require_subcommand(1);

    CommonOptions common;
    std::string log_format;
    bool json = false;

    auto add_common = [&](CLI::App* cmd) {
        cmd->add_option("-c,--config", common.config_file, "Config file (TOML); embedded defaults when absent")
            ->check(CLI::ExistingFile);
        cmd->add_option("--plugin-path", common.plugin_path, "Extra folder to search for plugins (repeatable)");
    };

    auto* serve_cmd = app.add_subcommand("serve", "Run the server: agent API, web desktop, webhooks");
    add_common(serve_cmd);
    serve_cmd->add_option("--log-format", log_format, "Log line format (overrides [server] log_format)")
        ->check(CLI::IsMember({"text", "json"}));

    auto* check_cmd = app.add_subcommand("check", "Validate a config file; print every error as file:line:col");
    add_common(check_cmd);

    auto* plugins_cmd = app.add_subcommand("plugins", "List plugins: id, version, ABI, kind, path, status");
    add_common(plugins_cmd);
    plugins_cmd->add_flag("--json", json, "Print JSON instead of a table");

    auto* passwd_cmd = app.add_subcommand(
        "passwd", "Read a password from stdin; print its argon2id hash for an agent's password_hash");

    auto* reload_cmd = app.add_subcommand("reload", "Validate the config, then have the running server reload it");
    add_common(reload_cmd);
    std::string url;
    reload_cmd->add_option("--url", url, "The server's address (default: [server] listen and port of the config)");

    auto* demo_cmd = app.add_subcommand("demo", "Run a whole scripted conversation in-process and print each step");

    MaskOptions mask_options;
    auto* mask_cmd = app.add_subcommand("mask", "Mask cards, IBANs, SSNs, e-mails and phone numbers from stdin to stdout");
    add_common(mask_cmd);
    mask_cmd->add_option("--tenant", mask_options.tenant, "Use this tenant's masking policy");
    mask_cmd->add_option("--entities", mask_options.entities, "Mask these, comma separated: card,iban,ssn,email,phone");
    mask_cmd->add_flag("--json", mask_options.json, "Print {\"masked\", \"spans\"} per line (byte offsets)");

    app.footer("Exit codes: 0 ok, 1 config errors (passwd: password refused), 2 usage, 3 cannot listen, 4 feature unavailable, 5 internal error.");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? exit_ok : exit_usage;
    }
    try {
        if (*serve_cmd) return serve(common, log_format);
        if (*check_cmd) return check(common);
        if (*plugins_cmd) return list_plugins(common, json);
        if (*passwd_cmd) return passwd();
        if (*reload_cmd) return reload(common, url);
        if (*demo_cmd) return demo();
        if (*mask_cmd) return mask(common, mask_options);
    } catch (const std::exception& e) {
        std::cerr << "parley: " << e.what() << "\n";
        return exit_internal;
    }
    return exit_usage;
}
