#include <parley/core/config.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace parley::config;

namespace {

std::vector<std::string> printed(const std::vector<Diagnostic>& errors) {
    std::vector<std::string> lines;
    for (const auto& error : errors) lines.push_back(error.to_string());
    return lines;
}

template <class T>
T get(const Section& section, const std::string& key) {
    const Value* value = section.find(key);
    if (!value || !std::holds_alternative<T>(*value)) throw std::runtime_error("no value for " + key);
    return std::get<T>(*value);
}

class ConfigFiles : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("parley-config-test-" + std::to_string(::getpid()));
        fs::create_directories(dir_ / "etc");
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string write(const std::string& name, const std::string& text) {
        const fs::path path = dir_ / name;
        std::ofstream(path) << text;
        return path.string();
    }

    fs::path dir_;
};

}  // namespace

TEST(ConfigParse, ValidFullFile) {
    const auto result = parse_text(R"(
[server]
listen = "0.0.0.0"
port = 9000
threads = 4
max_connections = 200
header_limit = 16384
body_limit = 65536
read_timeout_ms = 5000
plugin_path = ["/opt/parley/plugins"]
web_root = "/srv/web"
log_format = "json"
log_level = "debug"
log_file = "/var/log/parley.log"

[store]
path = ":memory:"
synchronous = "normal"

[plugins.whatsapp]
token = "secret"
port = 443
ratio = 0.5
enabled = true
numbers = ["+15550001", "+15550002"]

[tenants.zeta]
name = "Zeta Corp"

[tenants.acme.plugins.masking]
pci = true
)",
                                   "parley.toml");
    ASSERT_TRUE(result.ok()) << printed(result.errors)[0];
    const Document& doc = result.document;
    EXPECT_EQ(doc.file, "parley.toml");
    EXPECT_EQ(doc.server.listen, "0.0.0.0");
    EXPECT_EQ(doc.server.port, 9000);
    EXPECT_EQ(doc.server.threads, 4);
    EXPECT_EQ(doc.server.max_connections, 200);
    EXPECT_EQ(doc.server.header_limit, 16384);
    EXPECT_EQ(doc.server.body_limit, 65536);
    EXPECT_EQ(doc.server.read_timeout_ms, 5000);
    EXPECT_EQ(doc.server.plugin_path, std::vector<std::string>{"/opt/parley/plugins"});
    EXPECT_EQ(doc.server.web_root, "/srv/web");
    EXPECT_EQ(doc.server.log_format, "json");
    EXPECT_EQ(doc.server.log_level, "debug");
    EXPECT_EQ(doc.server.log_file, "/var/log/parley.log");
    EXPECT_EQ(doc.store.path, ":memory:");
    EXPECT_EQ(doc.store.synchronous, "normal");

    ASSERT_EQ(doc.plugins.count("whatsapp"), 1u);
    const RawSection& whatsapp = doc.plugins.at("whatsapp");
    EXPECT_EQ(whatsapp.name, "plugins.whatsapp");
    EXPECT_EQ(whatsapp.where.line, 20);
    EXPECT_EQ(std::get<std::string>(whatsapp.values.at("token").value), "secret");
    EXPECT_EQ(whatsapp.values.at("token").where.line, 21);
    EXPECT_EQ(std::get<std::int64_t>(whatsapp.values.at("port").value), 443);
    EXPECT_DOUBLE_EQ(std::get<double>(whatsapp.values.at("ratio").value), 0.5);
    EXPECT_TRUE(std::get<bool>(whatsapp.values.at("enabled").value));
    EXPECT_EQ(std::get<std::vector<std::string>>(whatsapp.values.at("numbers").value).size(), 2u);

    // File order, not the alphabetical order of toml++'s tables.
    ASSERT_EQ(doc.tenants.size(), 2u);
    EXPECT_EQ(doc.tenants[0].id, "zeta");
    EXPECT_EQ(doc.tenants[0].name, "Zeta Corp");
    EXPECT_EQ(doc.tenants[1].id, "acme");
    EXPECT_EQ(doc.tenants[1].name, "acme");
    ASSERT_EQ(doc.tenants[1].plugins.count("masking"), 1u);
    EXPECT_EQ(doc.tenants[1].plugins.at("masking").name, "tenants.acme.plugins.masking");
}

TEST(ConfigParse, EmptyTextGivesDefaults) {
    const auto result = parse_text("", "empty.toml");
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.document.server.port, 8080);
    EXPECT_EQ(result.document.store.synchronous, "full");
    EXPECT_TRUE(result.document.tenants.empty());
}

TEST(ConfigParse, SyntaxErrorHasExactLineAndColumn) {
    const auto result = parse_text("[server]\nport = = 1\n", "bad.toml");
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].where.file, "bad.toml");
    EXPECT_EQ(result.errors[0].where.line, 2);
    EXPECT_EQ(result.errors[0].where.column, 8);
    EXPECT_EQ(result.errors[0].to_string().rfind("bad.toml:2:8: ", 0), 0u) << result.errors[0].to_string();
}

// Inputs on which toml++ 3.3 breaks its own preconditions (found by
// tests/fuzz/config_fuzz.cpp; see docs/config.md): with the library Debian ships they
// still give an error at the right line and column.
TEST(ConfigParse, OddCharactersGiveAnErrorWithLineAndColumn) {
    auto only_error = [](const std::string& text) {
        const auto result = parse_text(text, "h.toml");
        EXPECT_EQ(result.errors.size(), 1u) << text;
        return result.errors.empty() ? std::string() : result.errors[0].to_string();
    };
    const std::string key_start = "Error while parsing key: expected bare key starting character or string delimiter, ";
    EXPECT_EQ(only_error("[&\n"), "h.toml:1:2: " + key_start + "saw '&'");
    EXPECT_EQ(only_error("[server]\nport = 8080\n  [\x01tenants]\n"), "h.toml:3:4: " + key_start + "saw '\\u0001'");
    EXPECT_EQ(only_error("[server]\na\xC3\xB1o = 1\n").rfind("h.toml:2:2: ", 0), 0u);  // "año": not ASCII
    EXPECT_EQ(only_error("[server]\nidle = [}\n").rfind("h.toml:2:9: ", 0), 0u);
}

TEST(ConfigParse, UnknownKeyHasLocationAndSuggestion) {
    const auto result = parse_text("[server]\nport = 1\n  prot = 80\n", "c.toml");
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].to_string(), "c.toml:3:3: unknown key 'prot' in [server]; did you mean 'port'?");
}

TEST(ConfigParse, UnknownKeyWithoutCloseMatchHasNoSuggestion) {
    const auto result = parse_text("[store]\ncompression = true\n[servr]\n", "c.toml");
    EXPECT_EQ(printed(result.errors),
              (std::vector<std::string>{"c.toml:2:1: unknown key 'compression' in [store]",
                                        "c.toml:3:2: unknown key 'servr' at the top level; did you mean 'server'?"}));
}

TEST(ConfigParse, WrongTypePointsAtTheValue) {
    const auto result = parse_text("[server]\nport = \"80\"\n", "c.toml");
    EXPECT_EQ(printed(result.errors),
              std::vector<std::string>{"c.toml:2:8: server.port: expected an integer, got a string"});
}

TEST(ConfigParse, CollectsEveryErrorInFileOrder) {
    const auto result = parse_text(R"([server]
port = 70000
threads = 0
log_level = "verbose"
plugin_path = ["/a", 3]
header_limit = 1.5

[store]
synchronous = "off"

[plugins]
whatsapp = "on"

[plugins.masking]
since = 2024-01-01
nested = { a = 1 }
mixed = [1, "a"]

[tenants.acme]
name = 7
agnets = []
)",
                                   "c.toml");
    EXPECT_EQ(printed(result.errors),
              (std::vector<std::string>{
                  "c.toml:2:8: server.port: must be between 0 and 65535, got 70000",
                  "c.toml:3:11: server.threads: must be between 1 and 64, got 0",
                  "c.toml:4:13: server.log_level: expected one of 'trace', 'debug', 'info', 'warn', 'error', got "
                  "'verbose'",
                  "c.toml:5:22: server.plugin_path[1]: expected a string, got an integer",
                  "c.toml:6:16: server.header_limit: expected an integer, got a float",
                  "c.toml:9:15: store.synchronous: expected one of 'full', 'normal', got 'off'",
                  "c.toml:12:12: plugins.whatsapp: expected a table, got a string",
                  "c.toml:15:9: plugins.masking.since: only strings, integers, floats, booleans and arrays of "
                  "strings are allowed",
                  "c.toml:16:10: plugins.masking.nested: only strings, integers, floats, booleans and arrays of "
                  "strings are allowed",
                  "c.toml:17:9: plugins.masking.mixed: only strings, integers, floats, booleans and arrays of "
                  "strings are allowed",
                  "c.toml:20:8: tenants.acme.name: expected a string, got an integer",
                  "c.toml:21:1: unknown key 'agnets' in [tenants.acme]; did you mean 'agents'?",
              }));
    // Valid keys beside the broken ones are still read.
    EXPECT_EQ(result.document.server.port, 8080);
}

TEST(ConfigParse, MinimumLimits) {
    const auto result = parse_text("[server]\nheader_limit = 1000\nmax_connections = 0\n", "c.toml");
    EXPECT_EQ(printed(result.errors),
              (std::vector<std::string>{"c.toml:2:16: server.header_limit: must be at least 1024, got 1000",
                                        "c.toml:3:19: server.max_connections: must be at least 1, got 0"}));
}

TEST(ConfigParse, SectionsMustBeTables) {
    const auto result = parse_text("server = 1\n[tenants]\nacme = \"x\"\n", "c.toml");
    EXPECT_EQ(printed(result.errors),
              (std::vector<std::string>{"c.toml:1:10: server: expected a table, got an integer",
                                        "c.toml:3:8: tenants.acme: expected a table, got a string"}));
}

TEST(ConfigParse, RelativePathsOfTextResolveAgainstCurrentDirectory) {
    const auto result = parse_text("[store]\npath = \"data/parley.db\"\n", "c.toml");
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.document.store.path, (fs::current_path() / "data/parley.db").string());
}

TEST_F(ConfigFiles, RelativePathsResolveAgainstTheFileDirectory) {
    const std::string path = write("etc/parley.toml", R"(
[server]
plugin_path = ["plugins", "../lib/plugins", "/abs/plugins"]
web_root = "web"
log_file = "logs/parley.log"
[store]
path = "./data/parley.db"
)");
    const auto result = parse_file(path);
    ASSERT_TRUE(result.ok()) << printed(result.errors)[0];
    const fs::path etc = dir_ / "etc";
    const auto& server = result.document.server;
    EXPECT_EQ(result.document.file, path);
    EXPECT_EQ(server.plugin_path, (std::vector<std::string>{(etc / "plugins").string(),
                                                            (dir_ / "lib/plugins").string(), "/abs/plugins"}));
    EXPECT_EQ(server.web_root, (etc / "web").string());
    EXPECT_EQ(server.log_file, (etc / "logs/parley.log").string());
    EXPECT_EQ(result.document.store.path, (etc / "data/parley.db").string());
}

TEST_F(ConfigFiles, MemoryStoreIsKeptAsIs) {
    const auto result = parse_file(write("memory.toml", "[store]\npath = \":memory:\"\n"));
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.document.store.path, ":memory:");
}

TEST_F(ConfigFiles, SyntaxErrorInFileNamesTheFile) {
    const std::string path = write("broken.toml", "[server]\nport = 1\n[server]\n");
    const auto result = parse_file(path);
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].where.file, path);
    EXPECT_EQ(result.errors[0].where.line, 3);
    EXPECT_EQ(result.errors[0].where.column, 1);
}

TEST_F(ConfigFiles, UnreadableFileIsADiagnostic) {
    const std::string missing = (dir_ / "missing.toml").string();
    const auto result = parse_file(missing);
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].where.line, 0);
    EXPECT_EQ(result.errors[0].to_string(), missing + ": no such file");

    const auto directory = parse_file(dir_.string());
    ASSERT_EQ(directory.errors.size(), 1u);
    EXPECT_EQ(directory.errors[0].to_string(), dir_.string() + ": not a regular file");
}

namespace {

const char* const hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";

std::string agent(const std::string& tenant, const std::string& id, const std::string& queues) {
    return "[tenants." + tenant + ".agents." + id + "]\npassword_hash = \"" + hash + "\"\nqueues = " + queues + "\n";
}

}  // namespace

TEST(ConfigTenant, FullValidTenant) {
    const auto result = parse_text(R"([tenants.acme]
name = "Acme Bank"
offer_timeout_s = 45
idle_reasons = ["Break", "Lunch", "Coaching"]

[tenants.acme.queues.support]
name = "Support"

[tenants.acme.queues.billing]

[tenants.acme.entry_points.wa_main]
name = "WhatsApp main"
channel = "whatsapp"
number = "+15550001111"
queue = "support"
cad = { campaign = "spring", region = "emea" }

[tenants.acme.entry_points.wa_billing]
channel = "whatsapp"
number = "+4930123456"
queue = "billing"

[tenants.acme.agents.ana]
name = "Ana Ruiz"
password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"
queues = ["support", "billing"]
capacity = { whatsapp = 3, sms = 0 }

[tenants.acme.agents.bo]
password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"
queues = ["billing"]
)",
                                   "c.toml");
    ASSERT_TRUE(result.ok()) << printed(result.errors)[0];
    ASSERT_EQ(result.document.tenants.size(), 1u);
    const TenantConfig& acme = result.document.tenants[0];
    EXPECT_EQ(acme.name, "Acme Bank");
    EXPECT_EQ(acme.offer_timeout_s, 45);
    EXPECT_EQ(acme.idle_reasons, (std::vector<std::string>{"Break", "Lunch", "Coaching"}));

    // Rows in file order, not toml++'s alphabetical order.
    ASSERT_EQ(acme.queues.size(), 2u);
    EXPECT_EQ(acme.queues[0].id, "support");
    EXPECT_EQ(acme.queues[0].name, "Support");
    EXPECT_EQ(acme.queues[0].where.line, 6);
    EXPECT_EQ(acme.queues[1].id, "billing");
    EXPECT_EQ(acme.queues[1].name, "billing");

    ASSERT_EQ(acme.entry_points.size(), 2u);
    const EntryPointConfig& wa = acme.entry_points[0];
    EXPECT_EQ(wa.id, "wa_main");
    EXPECT_EQ(wa.where.line, 11);
    EXPECT_EQ(wa.name, "WhatsApp main");
    EXPECT_EQ(wa.channel, "whatsapp");
    EXPECT_EQ(wa.number, "+15550001111");
    EXPECT_EQ(wa.queue, "support");
    EXPECT_EQ(wa.cad, (std::map<std::string, std::string>{{"campaign", "spring"}, {"region", "emea"}}));
    EXPECT_EQ(acme.entry_points[1].id, "wa_billing");
    EXPECT_EQ(acme.entry_points[1].name, "wa_billing");
    EXPECT_TRUE(acme.entry_points[1].cad.empty());

    ASSERT_EQ(acme.agents.size(), 2u);
    const AgentConfig& ana = acme.agents[0];
    EXPECT_EQ(ana.id, "ana");
    EXPECT_EQ(ana.name, "Ana Ruiz");
    EXPECT_EQ(ana.password_hash, hash);
    EXPECT_EQ(ana.queues, (std::vector<std::string>{"support", "billing"}));
    EXPECT_EQ(ana.capacity, (std::map<std::string, int>{{"sms", 0}, {"whatsapp", 3}}));
    EXPECT_EQ(acme.agents[1].id, "bo");
    EXPECT_EQ(acme.agents[1].name, "bo");
    EXPECT_TRUE(acme.agents[1].capacity.empty());
}

TEST(ConfigTenant, Defaults) {
    const auto result = parse_text("[tenants.acme]\n[tenants.acme.queues.support]\n"
                                   "[tenants.acme.entry_points.wa]\nchannel = \"whatsapp\"\n"
                                   "number = \"+15550001111\"\nqueue = \"support\"\n" +
                                       agent("acme", "ana", "[\"support\"]"),
                                   "c.toml");
    ASSERT_TRUE(result.ok()) << printed(result.errors)[0];
    const TenantConfig& acme = result.document.tenants.at(0);
    EXPECT_EQ(acme.name, "acme");
    EXPECT_EQ(acme.offer_timeout_s, 30);
    EXPECT_EQ(acme.idle_reasons, (std::vector<std::string>{"Break", "Lunch", "Meeting", "Training"}));
    EXPECT_EQ(acme.queues.at(0).name, "support");
    EXPECT_EQ(acme.entry_points.at(0).name, "wa");
    EXPECT_EQ(acme.agents.at(0).name, "ana");
    EXPECT_TRUE(acme.agents.at(0).capacity.empty());

    const auto bare = parse_text("[tenants.solo]\n", "c.toml");
    ASSERT_TRUE(bare.ok());
    EXPECT_TRUE(bare.document.tenants.at(0).queues.empty());
    EXPECT_TRUE(bare.document.tenants.at(0).entry_points.empty());
    EXPECT_TRUE(bare.document.tenants.at(0).agents.empty());
}

TEST(ConfigTenant, CadValues) {
    const auto result = parse_text(R"([tenants.acme.queues.q]
[tenants.acme.entry_points.inline]
channel = "whatsapp"
number = "+15550001111"
queue = "q"
cad = { campaign = "spring", "with space" = "", empty = "" }
[tenants.acme.entry_points.table]
channel = "whatsapp"
number = "+15550002222"
queue = "q"
[tenants.acme.entry_points.table.cad]
region = "emea"
)",
                                   "c.toml");
    ASSERT_TRUE(result.ok()) << printed(result.errors)[0];
    const TenantConfig& acme = result.document.tenants.at(0);
    EXPECT_EQ(acme.entry_points.at(0).cad,
              (std::map<std::string, std::string>{{"campaign", "spring"}, {"empty", ""}, {"with space", ""}}));
    EXPECT_EQ(acme.entry_points.at(1).cad, (std::map<std::string, std::string>{{"region", "emea"}}));

    const auto bad = parse_text(R"([tenants.acme.queues.q]
[tenants.acme.entry_points.e]
channel = "whatsapp"
number = "+15550001111"
queue = "q"
cad = { campaign = 7, tags = ["a"], ok = "yes" }
[tenants.acme.entry_points.f]
channel = "whatsapp"
number = "+15550002222"
queue = "q"
cad = "campaign=spring"
)",
                                "c.toml");
    EXPECT_EQ(printed(bad.errors),
              (std::vector<std::string>{
                  "c.toml:6:20: tenants.acme.entry_points.e.cad.campaign: expected a string, got an integer",
                  "c.toml:6:30: tenants.acme.entry_points.e.cad.tags: expected a string, got an array",
                  "c.toml:11:7: tenants.acme.entry_points.f.cad: expected a table of strings, got a string",
              }));
    EXPECT_EQ(bad.document.tenants.at(0).entry_points.at(0).cad,
              (std::map<std::string, std::string>{{"ok", "yes"}}));
}

TEST(ConfigTenant, EveryKindOfErrorWithLineAndColumn) {
    const auto result = parse_text(R"([tenants.acme]
offer_timeout_s = 0
idle_reasons = ["Break", "", "Break", 3]
agnets = 1

[tenants.acme.queues.support]
nmae = "Support"

[tenants.acme.queues."bad id"]

[tenants.acme.entry_points.wa_main]
channel = "WhatsApp"
number = "5550001111"
queue = "suport"

[tenants.acme.entry_points.short]
channel = "whatsapp"
number = "+123456"
queue = 5

[tenants.acme.agents.ana]
password_hash = "hunter2"
queues = ["support", "support", "suport", "nowhere"]
capacity = { whatsapp = 101, WhatsApp = 1, sms = "3" }

[tenants.acme.agents.bo]
password_hash = "$argon2id$x"
queues = []
)",
                                   "c.toml");
    EXPECT_EQ(printed(result.errors),
              (std::vector<std::string>{
                  "c.toml:2:19: tenants.acme.offer_timeout_s: must be between 1 and 3600, got 0",
                  "c.toml:3:26: tenants.acme.idle_reasons[1]: must not be empty",
                  "c.toml:3:30: tenants.acme.idle_reasons[2]: duplicate 'Break'",
                  "c.toml:3:39: tenants.acme.idle_reasons[3]: expected a string, got an integer",
                  "c.toml:4:1: unknown key 'agnets' in [tenants.acme]; did you mean 'agents'?",
                  "c.toml:7:1: unknown key 'nmae' in [tenants.acme.queues.support]; did you mean 'name'?",
                  "c.toml:9:22: tenants.acme.queues: id 'bad id' may only contain letters, digits, '_', '.' "
                  "and '-'",
                  "c.toml:12:11: tenants.acme.entry_points.wa_main.channel: expected a lowercase identifier "
                  "([a-z0-9_]+), got 'WhatsApp'",
                  "c.toml:13:10: tenants.acme.entry_points.wa_main.number: expected an E.164 number ('+' then 7 "
                  "to 15 digits, e.g. '+15550001111'), got '5550001111'",
                  "c.toml:14:9: tenants.acme.entry_points.wa_main.queue: no queue 'suport' in tenant 'acme'; did "
                  "you mean 'support'?",
                  "c.toml:18:10: tenants.acme.entry_points.short.number: expected an E.164 number ('+' then 7 "
                  "to 15 digits, e.g. '+15550001111'), got '+123456'",
                  "c.toml:19:9: tenants.acme.entry_points.short.queue: expected a string, got an integer",
                  "c.toml:22:17: tenants.acme.agents.ana.password_hash: expected an argon2id hash starting with "
                  "'$argon2id$' (make one with `parley passwd`)",
                  "c.toml:23:22: tenants.acme.agents.ana.queues[1]: duplicate 'support'",
                  "c.toml:23:33: tenants.acme.agents.ana.queues[2]: no queue 'suport' in tenant 'acme'; did you "
                  "mean 'support'?",
                  "c.toml:23:43: tenants.acme.agents.ana.queues[3]: no queue 'nowhere' in tenant 'acme'",
                  "c.toml:24:25: tenants.acme.agents.ana.capacity.whatsapp: must be between 0 and 100, got 101",
                  "c.toml:24:30: tenants.acme.agents.ana.capacity: 'WhatsApp' is not a channel; channels are "
                  "lowercase identifiers ([a-z0-9_]+)",
                  "c.toml:24:50: tenants.acme.agents.ana.capacity.sms: expected an integer, got a string",
                  "c.toml:28:10: tenants.acme.agents.bo.queues: must list at least one queue",
              }));
}

TEST(ConfigTenant, QueueReferenceSuggestsTheClosestQueue) {
    const auto result = parse_text(R"([tenants.acme.queues.support]
[tenants.acme.queues.sales]
[tenants.acme.entry_points.wa_main]
channel = "whatsapp"
number = "+15550001111"
queue = "suport"
)" + agent("acme", "ana", "[\"sales\", \"xyz\"]"),
                                   "c.toml");
    EXPECT_EQ(printed(result.errors),
              (std::vector<std::string>{
                  "c.toml:6:9: tenants.acme.entry_points.wa_main.queue: no queue 'suport' in tenant 'acme'; did "
                  "you mean 'support'?",
                  "c.toml:9:20: tenants.acme.agents.ana.queues[1]: no queue 'xyz' in tenant 'acme'",
              }));
}

TEST(ConfigTenant, QueuesAreNotSharedBetweenTenants) {
    const auto result = parse_text("[tenants.acme.queues.support]\n" + agent("beta", "ana", "[\"support\"]"),
                                   "c.toml");
    EXPECT_EQ(printed(result.errors),
              std::vector<std::string>{"c.toml:4:11: tenants.beta.agents.ana.queues[0]: no queue 'support' in "
                                       "tenant 'beta'"});
}

TEST(ConfigTenant, MissingRequiredKeysPointAtTheHeader) {
    const auto result = parse_text(R"([tenants.acme.queues.q]
[tenants.acme.entry_points.wa]
name = "x"
[tenants.acme.agents.ana]
capacity = { whatsapp = 1 }
)",
                                   "c.toml");
    EXPECT_EQ(printed(result.errors),
              (std::vector<std::string>{
                  "c.toml:2:1: [tenants.acme.entry_points.wa] is missing required key 'channel'",
                  "c.toml:2:1: [tenants.acme.entry_points.wa] is missing required key 'number'",
                  "c.toml:2:1: [tenants.acme.entry_points.wa] is missing required key 'queue'",
                  "c.toml:4:1: [tenants.acme.agents.ana] is missing required key 'password_hash'",
                  "c.toml:4:1: [tenants.acme.agents.ana] is missing required key 'queues'",
              }));
}

TEST(ConfigTenant, RowsMustBeTablesWithValidIds) {
    // Columns count characters, not bytes: "é" is one.
    const auto result = parse_text(R"([tenants.acme]
queues = { "a.b-c_9" = {}, "" = {}, "é" = {}, plain = "x" }
entry_points = []
agents = 3
)",
                                   "c.toml");
    EXPECT_EQ(printed(result.errors),
              (std::vector<std::string>{
                  "c.toml:2:28: tenants.acme.queues: id '' may only contain letters, digits, '_', '.' and '-'",
                  "c.toml:2:37: tenants.acme.queues: id 'é' may only contain letters, digits, '_', '.' and '-'",
                  "c.toml:2:55: tenants.acme.queues.plain: expected a table, got a string",
                  "c.toml:3:16: tenants.acme.entry_points: expected a table, got an array",
                  "c.toml:4:10: tenants.acme.agents: expected a table, got an integer",
              }));
    ASSERT_FALSE(result.document.tenants.at(0).queues.empty());
    EXPECT_EQ(result.document.tenants.at(0).queues[0].id, "a.b-c_9");
}

TEST(ConfigTenant, IdleReasonsMustBeAListOfAtLeastOne) {
    const auto result = parse_text("[tenants.a]\nidle_reasons = []\n[tenants.b]\nidle_reasons = \"Break\"\n"
                                   "[tenants.c]\noffer_timeout_s = \"30\"\n",
                                   "c.toml");
    EXPECT_EQ(printed(result.errors),
              (std::vector<std::string>{
                  "c.toml:2:16: tenants.a.idle_reasons: must list at least one reason",
                  "c.toml:4:16: tenants.b.idle_reasons: expected an array of strings, got a string",
                  "c.toml:6:19: tenants.c.offer_timeout_s: expected an integer, got a string",
              }));
}

TEST(ConfigTenant, DuplicateNumberAcrossTenantsPointsAtTheSecond) {
    const auto result = parse_text(R"([tenants.zeta.queues.q]
[tenants.zeta.entry_points.main]
channel = "whatsapp"
number = "+15550001111"
queue = "q"

[tenants.acme.queues.q]
[tenants.acme.entry_points.other]
channel = "whatsapp"
number = "+15550002222"
queue = "q"
[tenants.acme.entry_points.copy]
channel = "sms"
number = "+15550001111"
queue = "q"
[tenants.acme.entry_points.again]
channel = "whatsapp"
number = "+15550002222"
queue = "q"
)",
                                   "c.toml");
    EXPECT_EQ(printed(result.errors),
              (std::vector<std::string>{
                  "c.toml:14:10: tenants.acme.entry_points.copy.number: '+15550001111' is already used by "
                  "tenants.zeta.entry_points.main (line 4); a number routes to one place",
                  "c.toml:18:10: tenants.acme.entry_points.again.number: '+15550002222' is already used by "
                  "tenants.acme.entry_points.other (line 10); a number routes to one place",
              }));
}

TEST(ConfigTenant, NumberAndCapacityLimits) {
    const auto result = parse_text(R"([tenants.acme.queues.q]
[tenants.acme.entry_points.seven]
channel = "whatsapp"
number = "+1234567"
queue = "q"
[tenants.acme.entry_points.fifteen]
channel = "whatsapp"
number = "+123456789012345"
queue = "q"
[tenants.acme.entry_points.sixteen]
channel = "whatsapp"
number = "+1234567890123456"
queue = "q"
[tenants.acme.entry_points.zero]
channel = "whatsapp"
number = "+0234567"
queue = "q"
[tenants.acme.entry_points.spaced]
channel = "whatsapp"
number = "+1 555 000 1111"
queue = "q"
[tenants.acme.agents.ana]
password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"
queues = ["q"]
capacity = { whatsapp = 0, sms = 100, voice = -1 }
[tenants.acme]
offer_timeout_s = 3601
)",
                                   "c.toml");
    EXPECT_EQ(printed(result.errors),
              (std::vector<std::string>{
                  "c.toml:12:10: tenants.acme.entry_points.sixteen.number: expected an E.164 number ('+' then 7 "
                  "to 15 digits, e.g. '+15550001111'), got '+1234567890123456'",
                  "c.toml:16:10: tenants.acme.entry_points.zero.number: expected an E.164 number ('+' then 7 "
                  "to 15 digits, e.g. '+15550001111'), got '+0234567'",
                  "c.toml:20:10: tenants.acme.entry_points.spaced.number: expected an E.164 number ('+' then 7 "
                  "to 15 digits, e.g. '+15550001111'), got '+1 555 000 1111'",
                  "c.toml:25:47: tenants.acme.agents.ana.capacity.voice: must be between 0 and 100, got -1",
                  "c.toml:27:19: tenants.acme.offer_timeout_s: must be between 1 and 3600, got 3601",
              }));
    const TenantConfig& acme = result.document.tenants.at(0);
    EXPECT_EQ(acme.entry_points.at(0).number, "+1234567");
    EXPECT_EQ(acme.entry_points.at(1).number, "+123456789012345");
    EXPECT_EQ(acme.agents.at(0).capacity, (std::map<std::string, int>{{"sms", 100}, {"whatsapp", 0}}));
    EXPECT_EQ(acme.offer_timeout_s, 30);
}

namespace {

const Schema whatsapp_schema = {
    {"token", Type::string, std::nullopt, "API token"},
    {"port", Type::integer, "443", "port"},
    {"ratio", Type::floating, "0.25", "share"},
    {"sandbox", Type::boolean, "false", "use the sandbox"},
    {"numbers", Type::string_array, "[\"+1555\"]", "numbers"},
};

const char* const whatsapp_text = R"([plugins.whatsapp]
token = "global"
ratio = 1
numbers = ["+1", "+2"]

[tenants.acme.plugins.whatsapp]
sandbox = true
port = 8443
)";

}  // namespace

TEST(ConfigResolve, FillsDefaultsAndAcceptsIntegerForFloat) {
    const auto parsed = parse_text(whatsapp_text, "c.toml");
    ASSERT_TRUE(parsed.ok());
    std::vector<Diagnostic> errors;
    const Section section = resolve(&parsed.document.plugins.at("whatsapp"), whatsapp_schema, nullptr, errors);
    EXPECT_TRUE(errors.empty());
    EXPECT_EQ(get<std::string>(section, "token"), "global");
    EXPECT_EQ(get<std::int64_t>(section, "port"), 443);
    EXPECT_DOUBLE_EQ(get<double>(section, "ratio"), 1.0);
    EXPECT_FALSE(get<bool>(section, "sandbox"));
    EXPECT_EQ(get<std::vector<std::string>>(section, "numbers"), (std::vector<std::string>{"+1", "+2"}));
    EXPECT_EQ(section.find("missing"), nullptr);
}

TEST(ConfigResolve, TenantOverridesOnTopOfPluginDefaults) {
    const auto parsed = parse_text(whatsapp_text, "c.toml");
    ASSERT_TRUE(parsed.ok());
    std::vector<Diagnostic> errors;
    const Section base = resolve(&parsed.document.plugins.at("whatsapp"), whatsapp_schema, nullptr, errors);
    const RawSection& tenant = parsed.document.tenants.at(0).plugins.at("whatsapp");
    const Section section = resolve(&tenant, whatsapp_schema, &base, errors);
    EXPECT_TRUE(errors.empty()) << printed(errors)[0];
    EXPECT_EQ(get<std::string>(section, "token"), "global");  // required, satisfied by the base
    EXPECT_EQ(get<std::int64_t>(section, "port"), 8443);
    EXPECT_DOUBLE_EQ(get<double>(section, "ratio"), 1.0);
    EXPECT_TRUE(get<bool>(section, "sandbox"));
    EXPECT_EQ(get<std::vector<std::string>>(section, "numbers").size(), 2u);
}

TEST(ConfigResolve, UnknownKeyAndWrongTypeHaveLocations) {
    const auto parsed = parse_text("[plugins.whatsapp]\ntoken = \"t\"\ntokn = \"x\"\nport = \"443\"\n", "c.toml");
    ASSERT_TRUE(parsed.ok());
    std::vector<Diagnostic> errors;
    resolve(&parsed.document.plugins.at("whatsapp"), whatsapp_schema, nullptr, errors);
    EXPECT_EQ(printed(errors),
              (std::vector<std::string>{"c.toml:4:8: plugins.whatsapp.port: expected an integer, got a string",
                                        "c.toml:3:1: unknown key 'tokn' in [plugins.whatsapp]; did you mean "
                                        "'token'?"}));
}

TEST(ConfigResolve, TenantUnknownKeyNamesTheTenantSection) {
    const auto parsed = parse_text("[tenants.acme.plugins.whatsapp]\nsandboxed = true\n", "c.toml");
    ASSERT_TRUE(parsed.ok());
    Section base;
    base.set("token", std::string("t"));
    std::vector<Diagnostic> errors;
    resolve(&parsed.document.tenants.at(0).plugins.at("whatsapp"), whatsapp_schema, &base, errors);
    EXPECT_EQ(printed(errors), std::vector<std::string>{"c.toml:2:1: unknown key 'sandboxed' in "
                                                        "[tenants.acme.plugins.whatsapp]; did you mean 'sandbox'?"});
}

TEST(ConfigResolve, MissingRequiredKeyPointsAtTheHeader) {
    const auto parsed = parse_text("\n  [plugins.whatsapp]\nport = 1\n", "c.toml");
    ASSERT_TRUE(parsed.ok());
    std::vector<Diagnostic> errors;
    resolve(&parsed.document.plugins.at("whatsapp"), whatsapp_schema, nullptr, errors);
    EXPECT_EQ(printed(errors),
              std::vector<std::string>{"c.toml:2:3: [plugins.whatsapp] is missing required key 'token'"});
}

TEST(ConfigResolve, NoSectionAtAll) {
    std::vector<Diagnostic> errors;
    const Section section = resolve(nullptr, whatsapp_schema, nullptr, errors);
    EXPECT_EQ(printed(errors), std::vector<std::string>{"missing required key 'token'"});
    EXPECT_EQ(get<std::int64_t>(section, "port"), 443);
}

TEST(ConfigResolve, InvalidSchemaDefaultIsReported) {
    const Schema schema = {{"port", Type::integer, "\"x\"", ""}};
    std::vector<Diagnostic> errors;
    resolve(nullptr, schema, nullptr, errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].message, "port: the plugin declares an invalid integer default '\"x\"'");
}

TEST(ConfigDefault, ParsesEachType) {
    EXPECT_EQ(parse_default("\"hello\"", Type::string), Value{std::string("hello")});
    EXPECT_EQ(parse_default("'raw'", Type::string), Value{std::string("raw")});
    EXPECT_EQ(parse_default("8080", Type::integer), Value{std::int64_t{8080}});
    EXPECT_EQ(parse_default("-1", Type::integer), Value{std::int64_t{-1}});
    EXPECT_EQ(parse_default("1.5", Type::floating), Value{1.5});
    EXPECT_EQ(parse_default("2", Type::floating), Value{2.0});
    EXPECT_EQ(parse_default("true", Type::boolean), Value{true});
    EXPECT_EQ(parse_default("false", Type::boolean), Value{false});
    EXPECT_EQ(parse_default("[\"a\", \"b\"]", Type::string_array), (Value{std::vector<std::string>{"a", "b"}}));
    EXPECT_EQ(parse_default("[]", Type::string_array), Value{std::vector<std::string>{}});
}

TEST(ConfigDefault, RejectsMismatchesAndGarbage) {
    EXPECT_EQ(parse_default("hello", Type::string), std::nullopt);
    EXPECT_EQ(parse_default("\"8080\"", Type::integer), std::nullopt);
    EXPECT_EQ(parse_default("1.5", Type::integer), std::nullopt);
    EXPECT_EQ(parse_default("1", Type::boolean), std::nullopt);
    EXPECT_EQ(parse_default("[1, 2]", Type::string_array), std::nullopt);
    EXPECT_EQ(parse_default("1\nother = 2", Type::integer), std::nullopt);
    EXPECT_EQ(parse_default("", Type::string), std::nullopt);
}

TEST(ConfigDiagnostic, Formats) {
    EXPECT_EQ((Diagnostic{{"a.toml", 3, 7}, "bad"}).to_string(), "a.toml:3:7: bad");
    EXPECT_EQ((Diagnostic{{"a.toml", 0, 0}, "cannot open"}).to_string(), "a.toml: cannot open");
    EXPECT_EQ((Diagnostic{{}, "bare"}).to_string(), "bare");
}

TEST(ConfigDiagnostic, TypeNames) {
    EXPECT_STREQ(type_name(Type::string), "string");
    EXPECT_STREQ(type_name(Type::integer), "integer");
    EXPECT_STREQ(type_name(Type::floating), "float");
    EXPECT_STREQ(type_name(Type::boolean), "boolean");
    EXPECT_STREQ(type_name(Type::string_array), "array of strings");
}
