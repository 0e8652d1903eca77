// Parley configuration: the TOML file parsed once (toml++ stays in config/*.cpp),
// the core's own sections validated here, plugin sections kept raw until the plugin's
// declared schema is known, then validated and filled with defaults.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace parley::config {

struct Location {
    std::string file;
    int line = 0;
    int column = 0;
};

// One problem found in a config file, printed as `file:line:col: message`.
struct Diagnostic {
    Location where;
    std::string message;
    std::string to_string() const;
};

enum class Type { string, integer, floating, boolean, string_array };
const char* type_name(Type type);

using Value = std::variant<std::string, std::int64_t, double, bool, std::vector<std::string>>;

// A key a plugin declares (Fluent Bit's config map): type, key, default, description.
// `default_value` is written as TOML would write it; std::nullopt means required.
struct FieldSpec {
    std::string key;
    Type type = Type::string;
    std::optional<std::string> default_value;
    std::string description;
};

using Schema = std::vector<FieldSpec>;

struct RawValue {
    Value value;
    Location where;      // of the value: type errors point here
    Location key_where;  // of the key: unknown-key errors point here
};

// A plugin's section as written, before its schema is known.
struct RawSection {
    Location where;                          // of the [plugins.X] header
    std::map<std::string, RawValue> values;  // scalars and arrays of strings only
    std::string name;  // path printed in diagnostics: "plugins.X", "tenants.T.plugins.X"
};

// A validated section: every declared key has a value (given or default).
class Section {
public:
    void set(const std::string& key, Value value) { values_[key] = std::move(value); }
    const Value* find(const std::string& key) const;
    const std::map<std::string, Value>& values() const { return values_; }

private:
    std::map<std::string, Value> values_;
};

struct ServerConfig {
    std::string listen = "127.0.0.1";
    int port = 8080;
    int threads = 2;
    int max_connections = 1024;
    int header_limit = 8 * 1024;        // bytes
    int body_limit = 1024 * 1024;       // bytes
    int read_timeout_ms = 10'000;       // a slow client cannot hold a connection longer
    std::vector<std::string> plugin_path;  // searched before the install dir
    std::string web_root;               // static files of the browser desktop; "" = built-in
    std::string log_format = "text";    // "text" or "json"
    std::string log_level = "info";
    std::string log_file;               // "" = stderr only
};

struct StoreConfig {
    std::string path = "parley.db";
    std::string synchronous = "full";  // "full" or "normal"
};

// [tenants.T.queues.Q]
struct QueueConfig {
    std::string id;
    Location where;
    std::string name;  // display name; defaults to the id
};

// [tenants.T.entry_points.E]: a business number on a channel, routed to a queue.
struct EntryPointConfig {
    std::string id;
    Location where;
    std::string name;     // display name; defaults to the id
    std::string channel;  // "whatsapp"
    std::string number;   // the business number, E.164: "+15550001111"
    std::string queue;    // a queue id of the same tenant
    std::map<std::string, std::string> cad;  // CAD variables set on every interaction
};

// [tenants.T.agents.A]
struct AgentConfig {
    std::string id;
    Location where;
    std::string name;           // display name; defaults to the id
    std::string password_hash;  // libsodium argon2id string ("$argon2id$..."), from `parley passwd`
    std::vector<std::string> queues;       // queue ids of the same tenant
    std::map<std::string, int> capacity;   // per channel: { whatsapp = 3 }; absent channel = 0
};

struct TenantConfig {
    std::string id;
    Location where;
    std::string name;  // display name; defaults to the id
    std::map<std::string, RawSection> plugins;  // [tenants.T.plugins.X]
    int offer_timeout_s = 30;                   // RONA after this long without accept
    std::vector<std::string> idle_reasons{"Break", "Lunch", "Meeting", "Training"};
    std::vector<QueueConfig> queues;            // in file order
    std::vector<EntryPointConfig> entry_points; // in file order
    std::vector<AgentConfig> agents;            // in file order
};

struct Document {
    std::string file;
    ServerConfig server;
    StoreConfig store;
    std::map<std::string, RawSection> plugins;  // [plugins.X]
    std::vector<TenantConfig> tenants;          // in file order
};

struct ParseResult {
    Document document;
    std::vector<Diagnostic> errors;  // empty means the core sections are valid
    bool ok() const { return errors.empty(); }
};

// Parses a file: TOML syntax, then [server], [store], [tenants.*] keys and types.
// Relative paths in the file (store.path, server.plugin_path, server.web_root,
// server.log_file) are resolved against the file's directory.
ParseResult parse_file(const std::string& path);
// Same, from text already in memory; `name` is used in diagnostics.
ParseResult parse_text(const std::string& text, const std::string& name);

// Validates a plugin section against the plugin's schema, starting from `base`
// (the defaults of [plugins.X] when validating a tenant override; nullptr otherwise).
// Unknown keys, wrong types and missing required keys become diagnostics.
Section resolve(const RawSection* raw, const Schema& schema, const Section* base,
                std::vector<Diagnostic>& errors);

// Parses a TOML-written default ("8080", "true", "\"x\"", "[\"a\"]") into a Value of `type`.
std::optional<Value> parse_default(const std::string& text, Type type);

}  // namespace parley::config
