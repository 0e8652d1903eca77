// [tenants.T]: the tenant's own keys, its rows (queues, entry points, agents) in file
// order, and the checks across rows: queue references within a tenant, business numbers
// across all tenants.
#include "config/rules.hpp"

namespace parley::config::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower_word(char c) { return (c >= 'a' && c <= 'z') || is_digit(c) || c == '_'; }
bool is_id_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || c == '.' || c == '-';
}

bool made_of(std::string_view text, bool (*allowed)(char)) {
    return !text.empty() && std::all_of(text.begin(), text.end(), allowed);
}

bool is_channel(std::string_view text) { return made_of(text, is_lower_word); }

// E.164: '+', then 7 to 15 digits; no country code starts with 0.
bool is_e164(std::string_view text) {
    const std::string_view digits = text.substr(std::min<std::size_t>(1, text.size()));
    return text.size() > 1 && text[0] == '+' && digits[0] != '0' && digits.size() >= 7 && digits.size() <= 15 &&
           made_of(digits, is_digit);
}

bool contains(const std::vector<std::string>& items, const std::string& item) {
    return std::find(items.begin(), items.end(), item) != items.end();
}

std::string row_path(const std::string& tenant_path, std::string_view kind, std::string_view id) {
    return join(join(tenant_path, kind), id);
}

template <class T>
KeyRule<T> channel_key(std::string key, std::string T::*field) {
    return {std::move(key), [field](Context& ctx, const std::string& path, const toml::node& node, T& out) {
                const auto* v = expect<std::string>(ctx, path, node, "a string");
                if (v && is_channel(v->get())) out.*field = v->get();
                else if (v)
                    ctx.error(node.source(), path + ": expected a lowercase identifier ([a-z0-9_]+), got '" +
                                                 v->get() + "'");
            }};
}

void number_value(Context& ctx, const std::string& path, const toml::node& node, EntryPointConfig& out) {
    const auto* v = expect<std::string>(ctx, path, node, "a string");
    if (v && is_e164(v->get())) out.number = v->get();
    else if (v)
        ctx.error(node.source(), path + ": expected an E.164 number ('+' then 7 to 15 digits, e.g. "
                                        "'+15550001111'), got '" + v->get() + "'");
}

// The value is not echoed: a password pasted here by mistake stays out of the output.
void password_hash_value(Context& ctx, const std::string& path, const toml::node& node, AgentConfig& out) {
    const auto* v = expect<std::string>(ctx, path, node, "a string");
    if (v && v->get().rfind("$argon2id$", 0) == 0) out.password_hash = v->get();
    else if (v)
        ctx.error(node.source(), path + ": expected an argon2id hash starting with '$argon2id$' "
                                        "(make one with `parley passwd`)");
}

void cad_table(Context& ctx, const std::string& path, const toml::node& node, EntryPointConfig& out) {
    const auto* table = expect<toml::table>(ctx, path, node, "a table of strings");
    if (!table) return;
    for (const auto& [key, value] : *table)
        if (const auto* text = expect<std::string>(ctx, join(path, key.str()), value, "a string"))
            out.cad[std::string(key.str())] = text->get();
}

void capacity_table(Context& ctx, const std::string& path, const toml::node& node, AgentConfig& out) {
    const auto* table = expect<toml::table>(ctx, path, node, "a table");
    if (!table) return;
    for (const auto& [key, value] : *table) {
        if (!is_channel(key.str())) {
            ctx.error(key.source(), path + ": '" + std::string(key.str()) +
                                        "' is not a channel; channels are lowercase identifiers ([a-z0-9_]+)");
            continue;
        }
        if (auto count = int_in_range(ctx, join(path, key.str()), value, 0, 100))
            out.capacity[std::string(key.str())] = *count;
    }
}

// One item of an array of distinct, non-empty strings.
void distinct_item(Context& ctx, const std::string& path, const toml::node& node, std::vector<std::string>& out) {
    const auto* text = expect<std::string>(ctx, path, node, "a string");
    if (!text) return;
    if (text->get().empty()) ctx.error(node.source(), path + ": must not be empty");
    else if (contains(out, text->get())) ctx.error(node.source(), path + ": duplicate '" + text->get() + "'");
    else out.push_back(text->get());
}

// An array of distinct, non-empty strings, at least one (`noun` names an item).
void distinct_strings(Context& ctx, const std::string& path, const toml::node& node, const char* noun,
                      std::vector<std::string>& out) {
    const auto* array = expect<toml::array>(ctx, path, node, "an array of strings");
    if (!array) return;
    out.clear();
    if (array->empty()) ctx.error(node.source(), path + ": must list at least one " + noun);
    for (std::size_t i = 0; i < array->size(); ++i)
        distinct_item(ctx, path + "[" + std::to_string(i) + "]", *array->get(i), out);
}

template <class T>
KeyRule<T> strings_key(std::string key, std::vector<std::string> T::*field, const char* noun) {
    return {std::move(key), [=](Context& ctx, const std::string& path, const toml::node& node, T& out) {
                distinct_strings(ctx, path, node, noun, out.*field);
            }};
}

const Rules<QueueConfig>& queue_rules() {
    static const Rules<QueueConfig> rules = {string_key("name", &QueueConfig::name)};
    return rules;
}

const Rules<EntryPointConfig>& entry_point_rules() {
    using E = EntryPointConfig;
    static const Rules<E> rules = {
        string_key("name", &E::name),
        channel_key("channel", &E::channel),
        {"number", number_value},
        string_key("queue", &E::queue),
        {"cad", cad_table},
    };
    return rules;
}

const Rules<AgentConfig>& agent_rules() {
    using A = AgentConfig;
    static const Rules<A> rules = {
        string_key("name", &A::name),
        {"password_hash", password_hash_value},
        strings_key("queues", &A::queues, "queue"),
        {"capacity", capacity_table},
    };
    return rules;
}

void check_id(Context& ctx, const std::string& path, const toml::key& id) {
    if (!made_of(id.str(), is_id_char))
        ctx.error(id.source(), path + ": id '" + std::string(id.str()) +
                                   "' may only contain letters, digits, '_', '.' and '-'");
}

void require_keys(Context& ctx, const std::string& path, const toml::table& table,
                  const std::vector<std::string>& required) {
    for (const auto& key : required)
        if (!table.contains(key)) ctx.error(table.source(), "[" + path + "] is missing required key '" + key + "'");
}

template <class Row>
Row row(Context& ctx, const std::string& path, const toml::key& id, const toml::table& table,
        const Rules<Row>& rules) {
    Row out;
    out.id = std::string(id.str());
    out.where = ctx.where(table.source());
    out.name = out.id;
    apply_table(ctx, table, path, rules, out);
    return out;
}

// [tenants.T.queues] and the like: a table of rows keyed by id, kept in file order.
template <class Row>
KeyRule<TenantConfig> rows_key(std::string key, std::vector<Row> TenantConfig::*field, const Rules<Row>& rules,
                               std::vector<std::string> required) {
    return {std::move(key), [=, &rules](Context& ctx, const std::string& path, const toml::node& node,
                                        TenantConfig& tenant) {
                const auto* all = expect<toml::table>(ctx, path, node, "a table");
                if (!all) return;
                for (const auto& [id, section] : *all) {
                    const std::string name = join(path, id.str());
                    check_id(ctx, path, id);
                    const auto* table = expect<toml::table>(ctx, name, section, "a table");
                    if (!table) continue;
                    (tenant.*field).push_back(row(ctx, name, id, *table, rules));
                    require_keys(ctx, name, *table, required);
                }
                sort_by_location(tenant.*field);
            }};
}

const Rules<TenantConfig>& tenant_rules() {
    using T = TenantConfig;
    static const Rules<T> rules = {
        string_key("name", &T::name),
        int_key("offer_timeout_s", &T::offer_timeout_s, 1, 3600),
        strings_key("idle_reasons", &T::idle_reasons, "reason"),
        rows_key("queues", &T::queues, queue_rules(), {}),
        rows_key("entry_points", &T::entry_points, entry_point_rules(), {"channel", "number", "queue"}),
        rows_key("agents", &T::agents, agent_rules(), {"password_hash", "queues"}),
        {"plugins", [](Context& ctx, const std::string& path, const toml::node& node, T& tenant) {
             plugin_sections(ctx, path, node, tenant.plugins);
         }},
    };
    return rules;
}

std::vector<std::string> queue_ids(const TenantConfig& tenant) {
    std::vector<std::string> ids;
    for (const auto& queue : tenant.queues) ids.push_back(queue.id);
    return ids;
}

// `node` (a queue id written in the tenant) names one of the tenant's queues.
void check_queue(Context& ctx, const std::string& path, const toml::node* node, const TenantConfig& tenant) {
    const auto* text = node ? node->as_string() : nullptr;
    const auto ids = queue_ids(tenant);
    if (!text || text->get().empty() || contains(ids, text->get())) return;
    std::string message = path + ": no queue '" + text->get() + "' in tenant '" + tenant.id + "'";
    if (auto suggestion = closest(text->get(), ids)) message += "; did you mean '" + *suggestion + "'?";
    ctx.error(node->source(), message);
}

void check_queue_references(Context& ctx, const std::string& path, const toml::table& table,
                            const TenantConfig& tenant) {
    for (const auto& entry : tenant.entry_points)
        check_queue(ctx, row_path(path, "entry_points", entry.id) + ".queue",
                    table["entry_points"][entry.id]["queue"].node(), tenant);
    for (const auto& agent : tenant.agents) {
        const auto* queues = table["agents"][agent.id]["queues"].as_array();
        for (std::size_t i = 0; queues && i < queues->size(); ++i)
            check_queue(ctx, row_path(path, "agents", agent.id) + ".queues[" + std::to_string(i) + "]",
                        queues->get(i), tenant);
    }
}

TenantConfig tenant(Context& ctx, const std::string& path, const toml::key& id, const toml::table& table) {
    TenantConfig out;
    out.id = std::string(id.str());
    out.where = ctx.where(table.source());
    out.name = out.id;
    apply_table(ctx, table, path, tenant_rules(), out);
    check_queue_references(ctx, path, table, out);
    return out;
}

struct NumberUse {
    Location where;    // of the number's value
    std::string path;  // of the entry point
    std::string number;
};

std::vector<NumberUse> number_uses(Context& ctx, const std::string& path, const toml::table& all,
                                   const std::vector<TenantConfig>& tenants) {
    std::vector<NumberUse> uses;
    for (const auto& tenant : tenants)
        for (const auto& entry : tenant.entry_points) {
            const auto* node = all[tenant.id]["entry_points"][entry.id]["number"].node();
            if (!entry.number.empty() && node)
                uses.push_back({ctx.where(node->source()),
                                row_path(join(path, tenant.id), "entry_points", entry.id), entry.number});
        }
    sort_by_location(uses);
    return uses;
}

// A business number routes to exactly one place: the second use of one is an error.
void check_numbers(Context& ctx, const std::string& path, const toml::table& all,
                   const std::vector<TenantConfig>& tenants) {
    std::map<std::string, const NumberUse*> first;
    const auto uses = number_uses(ctx, path, all, tenants);
    for (const auto& use : uses) {
        const auto [earlier, fresh] = first.emplace(use.number, &use);
        if (fresh) continue;
        ctx.errors.push_back({use.where, use.path + ".number: '" + use.number + "' is already used by " +
                                             earlier->second->path + " (line " +
                                             std::to_string(earlier->second->where.line) +
                                             "); a number routes to one place"});
    }
}

}  // namespace

void parse_tenants(Context& ctx, const std::string& path, const toml::node& node, std::vector<TenantConfig>& out) {
    const auto* all = expect<toml::table>(ctx, path, node, "a table");
    if (!all) return;
    for (const auto& [id, section] : *all) {
        const std::string name = join(path, id.str());
        if (const auto* table = expect<toml::table>(ctx, name, section, "a table"))
            out.push_back(tenant(ctx, name, id, *table));
    }
    sort_by_location(out);
    check_numbers(ctx, path, *all, out);
}

}  // namespace parley::config::detail
