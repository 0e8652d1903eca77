// Parsing of the config file: TOML syntax, then the core's own sections, each described
// by a small table of known keys (rules.hpp; [tenants] in tenant.cpp). Plugin sections
// are kept raw for resolve().
#include <parley/core/config.hpp>

#include "config/rules.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace parley::config {

namespace fs = std::filesystem;

namespace detail {

std::string Context::resolve_path(const std::string& text) const {
    // "" means "not set" and ":memory:" is SQLite's in-memory database: neither is a path.
    if (text.empty() || text == ":memory:" || fs::path(text).is_absolute()) return text;
    return (base_dir / text).lexically_normal().string();
}

namespace {

std::string range_text(std::int64_t min, std::int64_t max) {
    if (max == INT_MAX) return "at least " + std::to_string(min);
    return "between " + std::to_string(min) + " and " + std::to_string(max);
}

RawSection raw_section(Context& ctx, const std::string& name, const toml::table& table) {
    RawSection section{ctx.where(table.source()), {}, name};
    for (const auto& [key, node] : table) {
        if (auto value = to_value(node))
            section.values[std::string(key.str())] =
                RawValue{std::move(*value), ctx.where(node.source()), ctx.where(key.source())};
        else
            ctx.error(node.source(), join(name, key.str()) +
                                         ": only strings, integers, floats, booleans and arrays of strings "
                                         "are allowed");
    }
    return section;
}

}  // namespace

std::optional<int> int_in_range(Context& ctx, const std::string& path, const toml::node& node,
                                std::int64_t min, std::int64_t max) {
    const auto* v = expect<std::int64_t>(ctx, path, node, "an integer");
    if (!v) return std::nullopt;
    if (v->get() >= min && v->get() <= max) return static_cast<int>(v->get());
    ctx.error(node.source(), path + ": must be " + range_text(min, max) + ", got " + std::to_string(v->get()));
    return std::nullopt;
}

void plugin_sections(Context& ctx, const std::string& path, const toml::node& node,
                     std::map<std::string, RawSection>& out) {
    const auto* plugins = expect<toml::table>(ctx, path, node, "a table");
    if (!plugins) return;
    for (const auto& [id, section] : *plugins) {
        const std::string name = join(path, id.str());
        if (const auto* table = expect<toml::table>(ctx, name, section, "a table"))
            out[std::string(id.str())] = raw_section(ctx, name, *table);
    }
}

}  // namespace detail

namespace {

using namespace detail;

template <class T>
KeyRule<T> path_key(std::string key, std::string T::*field) {
    return {std::move(key), [field](Context& ctx, const std::string& path, const toml::node& node, T& out) {
                if (const auto* v = expect<std::string>(ctx, path, node, "a string"))
                    out.*field = ctx.resolve_path(v->get());
            }};
}

template <class T>
KeyRule<T> path_list_key(std::string key, std::vector<std::string> T::*field) {
    return {std::move(key), [field](Context& ctx, const std::string& path, const toml::node& node, T& out) {
                const auto* array = expect<toml::array>(ctx, path, node, "an array of strings");
                if (!array) return;
                (out.*field).clear();
                for (std::size_t i = 0; i < array->size(); ++i) {
                    const std::string item_path = path + "[" + std::to_string(i) + "]";
                    if (const auto* v = expect<std::string>(ctx, item_path, *array->get(i), "a string"))
                        (out.*field).push_back(ctx.resolve_path(v->get()));
                }
            }};
}

std::string choices_text(const std::vector<std::string>& choices) {
    std::string text;
    for (const auto& choice : choices) text += (text.empty() ? "'" : ", '") + choice + "'";
    return text;
}

template <class T>
KeyRule<T> choice_key(std::string key, std::string T::*field, std::vector<std::string> choices) {
    return {std::move(key), [=](Context& ctx, const std::string& path, const toml::node& node, T& out) {
                const auto* v = expect<std::string>(ctx, path, node, "a string");
                if (!v) return;
                if (std::find(choices.begin(), choices.end(), v->get()) == choices.end())
                    ctx.error(node.source(), path + ": expected one of " + choices_text(choices) + ", got '" +
                                                 v->get() + "'");
                else
                    out.*field = v->get();
            }};
}

template <class T, class Sub>
KeyRule<T> table_key(std::string key, Sub T::*field, const Rules<Sub>& rules) {
    return {std::move(key),
            [field, &rules](Context& ctx, const std::string& path, const toml::node& node, T& out) {
                if (const auto* table = expect<toml::table>(ctx, path, node, "a table"))
                    apply_table(ctx, *table, path, rules, out.*field);
            }};
}

const Rules<ServerConfig>& server_rules() {
    using S = ServerConfig;
    static const Rules<S> rules = {
        string_key("listen", &S::listen),
        int_key("port", &S::port, 0, 65535),
        int_key("threads", &S::threads, 1, 64),
        int_key("max_connections", &S::max_connections, 1),
        int_key("header_limit", &S::header_limit, 1024),
        int_key("body_limit", &S::body_limit, 1),
        int_key("read_timeout_ms", &S::read_timeout_ms, 1),
        path_list_key("plugin_path", &S::plugin_path),
        path_key("web_root", &S::web_root),
        choice_key("log_format", &S::log_format, {"text", "json"}),
        choice_key("log_level", &S::log_level, {"trace", "debug", "info", "warn", "error"}),
        path_key("log_file", &S::log_file),
    };
    return rules;
}

const Rules<StoreConfig>& store_rules() {
    static const Rules<StoreConfig> rules = {
        path_key("path", &StoreConfig::path),
        choice_key("synchronous", &StoreConfig::synchronous, {"full", "normal"}),
    };
    return rules;
}

const Rules<Document>& document_rules() {
    static const Rules<Document> rules = {
        table_key("server", &Document::server, server_rules()),
        table_key("store", &Document::store, store_rules()),
        {"plugins",
         [](Context& ctx, const std::string& path, const toml::node& node, Document& doc) {
             plugin_sections(ctx, path, node, doc.plugins);
         }},
        {"tenants",
         [](Context& ctx, const std::string& path, const toml::node& node, Document& doc) {
             parse_tenants(ctx, path, node, doc.tenants);
         }},
    };
    return rules;
}

ParseResult failure(const std::string& file, std::string message) {
    ParseResult result;
    result.document.file = file;
    result.errors.push_back({Location{file, 0, 0}, std::move(message)});
    return result;
}

ParseResult parse_document(const std::string& text, const std::string& name, const fs::path& base_dir) {
    ParseResult result;
    result.document.file = name;
    toml::table root;
    try {
        root = toml::parse(std::string_view(text), std::string_view(name));
    } catch (const toml::parse_error& e) {
        const auto& begin = e.source().begin;
        result.errors.push_back({Location{name, static_cast<int>(begin.line), static_cast<int>(begin.column)},
                                 std::string(e.description())});
        return result;
    }
    Context ctx{name, base_dir, {}};
    apply_table(ctx, root, "", document_rules(), result.document);
    sort_by_location(ctx.errors);
    result.errors = std::move(ctx.errors);
    return result;
}

std::optional<std::string> read_text(const std::string& path, std::string& text) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (status.type() == fs::file_type::not_found) return "no such file";
    if (ec) return "cannot read: " + ec.message();
    if (status.type() != fs::file_type::regular) return "not a regular file";
    std::ifstream in(path, std::ios::binary);
    if (!in) return "cannot open: " + std::string(std::strerror(errno));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) return "cannot read: " + std::string(std::strerror(errno));
    text = std::move(buffer).str();
    return std::nullopt;
}

}  // namespace

ParseResult parse_file(const std::string& path) {
    try {
        std::string text;
        if (auto problem = read_text(path, text)) return failure(path, *problem);
        return parse_document(text, path, fs::absolute(path).parent_path());
    } catch (const std::exception& e) {
        return failure(path, e.what());
    } catch (...) {
        return failure(path, "unexpected error while reading the config");
    }
}

ParseResult parse_text(const std::string& text, const std::string& name) {
    try {
        return parse_document(text, name, fs::current_path());
    } catch (const std::exception& e) {
        return failure(name, e.what());
    } catch (...) {
        return failure(name, "unexpected error while reading the config");
    }
}

}  // namespace parley::config
