// The plugin host against real modules: a working one (echo) and broken ones.
#include "test_config.hpp"

#include "parley/core/bus.hpp"
#include "parley/core/http.hpp"
#include "parley/core/plugin_host.hpp"
#include "parley/core/runtime.hpp"

#include <boost/dll/library_info.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

namespace fs = std::filesystem;
using namespace parley;
using plugins::Refusal;

namespace {

using test::parse;

bool mapped(const std::string& library_name) {
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line))
        if (line.find(library_name) != std::string::npos) return true;
    return false;
}

struct Fixture : ::testing::Test {
    bus::Bus bus;
    http::Router router;
    plugins::PluginHost host{{&bus, &router, nullptr, nullptr}};
    std::vector<std::string> pongs;

    void SetUp() override {
        host.discover({PARLEY_TEST_PLUGIN_DIR});
        bus.subscribe("test.pong", 0, [this](std::string_view, std::string_view p) { pongs.emplace_back(p); });
    }
    std::vector<config::Diagnostic> start(const std::string& toml, std::vector<std::string> extra = {}) {
        return host.start(parse(toml), extra);
    }
    void expect_refused(const std::string& id, Refusal why, const std::string& words) {
        auto s = host.find(id);
        ASSERT_NE(s, nullptr) << id;
        EXPECT_EQ(s->refusal, why) << id << ": " << s->reason;
        EXPECT_NE(s->reason.find(words), std::string::npos) << id << ": " << s->reason;
    }
};

}  // namespace

TEST_F(Fixture, BrokenPluginsAreRefusedWithTypedReasonsAndTheHostGoesOn) {
    auto errors = start("[plugins.echo]\n", {"no_entry", "bad_magic", "abi_major", "newer_minor", "oversized",
                                              "create_fails", "cycle_a", "cycle_b", "missing_dep", "mismatch"});
    EXPECT_TRUE(errors.empty());
    expect_refused("no_entry", Refusal::no_entry_symbol, "does not export parley_plugin_entry()");
    expect_refused("bad_magic", Refusal::bad_magic, "wrong magic number");
    expect_refused("abi_major", Refusal::abi_major_mismatch, "built for plugin ABI 2.x");
    expect_refused("newer_minor", Refusal::abi_minor_newer, "needs plugin ABI 1.7, newer than");
    expect_refused("oversized", Refusal::struct_size_invalid, "declares a descriptor of");
    expect_refused("create_fails", Refusal::create_failed, "the database it needs is unreachable");
    expect_refused("cycle_a", Refusal::dependency_cycle, "cycle_a -> cycle_b -> cycle_a");
    expect_refused("cycle_b", Refusal::dependency_cycle, "cycle_b -> cycle_a -> cycle_b");
    expect_refused("missing_dep", Refusal::missing_dependency, "requires plugin 'nonexistent'");
    expect_refused("mismatch", Refusal::manifest_mismatch, "plugin.toml says version '9.9.9'");

    ASSERT_TRUE(host.running("echo"));
    bus.publish("test.ping", "p1");
    EXPECT_EQ(pongs, std::vector<std::string>{"p1"});
}

TEST_F(Fixture, AHandlerThatThrowsIsolatesItsPluginOnly) {
    start("[plugins.echo]\n[plugins.handler_throws]\n");
    ASSERT_TRUE(host.running("handler_throws"));
    EXPECT_TRUE(host.call_command("", "throwing.command", "{}").ok);

    bus.publish("test.ping", "p1");
    expect_refused("handler_throws", Refusal::handler_threw, "its handler for topic 'test.ping' threw: boom");
    EXPECT_EQ(host.find("handler_throws")->state, plugins::State::failed);
    EXPECT_FALSE(host.call_command("", "throwing.command", "{}").found);

    bus.publish("test.ping", "p2");
    EXPECT_EQ(pongs, (std::vector<std::string>{"p1", "p2"}));
}

TEST_F(Fixture, StartsInDependencyOrder) {
    start("[plugins.needs_echo]\n");  // echo comes along as a dependency
    EXPECT_EQ(host.start_order(), (std::vector<std::string>{"echo", "needs_echo"}));
}

TEST_F(Fixture, AMissingDependencyAlsoRefusesWhatDependsOnIt) {
    start("", {"missing_dep"});
    expect_refused("missing_dep", Refusal::missing_dependency, "which is not installed");
}

TEST_F(Fixture, UnknownPluginIsAConfigErrorWithItsLocation) {
    auto errors = start("[server]\nport = 1\n\n[plugins.nosuch]\n");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].where.line, 4);
    EXPECT_NE(errors[0].message.find("unknown plugin 'nosuch'"), std::string::npos);
}

TEST_F(Fixture, PluginConfigIsValidatedAgainstItsSchemaBeforeCreate) {
    auto errors = start("[plugins.echo]\ngreting = \"hi\"\nrepeat = \"two\"\n");
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0].where.line, 2);
    EXPECT_NE(errors[0].to_string().find("test.toml:2:"), std::string::npos);
    EXPECT_NE(errors[0].message.find("greting"), std::string::npos);
    EXPECT_EQ(errors[1].where.line, 3);
    expect_refused("echo", Refusal::config_invalid, "test.toml:");
    EXPECT_EQ(host.find("echo")->instances, 0u);
}

TEST_F(Fixture, ConfigDefaultsAndTenantOverridesReachTheInstances) {
    start(R"([plugins.echo]
repeat = 2
[tenants.acme.plugins.echo]
repeat = 1
)");
    EXPECT_EQ(host.find("echo")->instances, 2u);
    bus.publish("test.ping", "x");
    std::sort(pongs.begin(), pongs.end());
    EXPECT_EQ(pongs, (std::vector<std::string>{"x", "x", "x@acme"}));
}

TEST_F(Fixture, ServicesByNameAndVersion) {
    start("[plugins.echo]\n");
    parley_service svc{};
    ASSERT_TRUE(host.get_service("", "test.echo", 2, &svc));
    EXPECT_EQ(svc.version, 2u);
    struct Table {
        int (*add)(void*, int, int);
    };
    EXPECT_EQ(static_cast<const Table*>(svc.table)->add(svc.user, 2, 3), 5);
    EXPECT_FALSE(host.get_service("", "test.echo", 3, &svc));
    EXPECT_FALSE(host.get_service("", "test.nothing", 1, &svc));
}

TEST_F(Fixture, CommandsAndFilters) {
    start("[plugins.echo]\nloud = true\n");
    auto r = host.call_command("acme", "echo", R"({"a":1})");
    EXPECT_TRUE(r.ok);
    EXPECT_EQ(r.body, R"({"a":1})");
    EXPECT_FALSE(host.call_command("", "nope", "{}").found);
    EXPECT_EQ(host.commands(""), (std::vector<std::string>{"echo", "echo.filtered", "echo.timer"}));
    // A plugin runs the before-filters itself through the host and reads the result.
    EXPECT_EQ(host.call_command("", "echo.filtered", "abc").body, "ABC+echo");
    EXPECT_EQ(host.call_command("", "echo.filtered", "forbidden").body, "(vetoed)");

    std::string payload = "hi";
    EXPECT_TRUE(bus.filter("test.before", payload));
    EXPECT_EQ(payload, "HI+echo");
    payload = "forbidden";
    EXPECT_FALSE(bus.filter("test.before", payload));
}

TEST_F(Fixture, RoutesAnswerThroughTheRouter) {
    start("[plugins.echo]\ngreeting = \"hey\"\n");
    bool known = false;
    auto handler = router.find("GET", "/test/echo", &known);
    ASSERT_TRUE(handler);
    http::Response got;
    handler(http::Request{"GET", "/test/echo?q=1", "/test/echo", "q=1", "", {}, ""},
            [&](http::Response r) { got = std::move(r); });
    EXPECT_EQ(got.status, 200);
    EXPECT_EQ(got.body, "hey q=1");
}

TEST(PluginTimers, FireOnTheCoreStrandAndStopWithThePlugin) {
    Runtime runtime;
    bus::Bus bus;
    plugins::PluginHost host({&bus, nullptr, &runtime, nullptr});
    host.discover({PARLEY_TEST_PLUGIN_DIR});
    std::promise<std::string> fired;
    bus.subscribe("test.timer", 0, [&](std::string_view, std::string_view p) { fired.set_value(std::string(p)); });
    std::thread loop([&] { runtime.run(1); });
    std::promise<void> started;
    runtime.post([&] {
        host.start(parse("[plugins.echo]\n"));
        host.call_command("", "echo.timer", "{}");
        started.set_value();
    });
    started.get_future().wait();
    auto f = fired.get_future();
    ASSERT_EQ(f.wait_for(std::chrono::seconds(5)), std::future_status::ready);
    EXPECT_EQ(f.get(), "fired");
    std::promise<void> done;
    runtime.post([&] {
        host.shutdown();
        done.set_value();
    });
    done.get_future().wait();
    EXPECT_EQ(runtime.timer_count(), 0u);
    runtime.stop();
    loop.join();
}

// Load, subscribe, unload, publish: after unload nothing of the plugin may run, and
// its library must really be gone from memory (modules are built -fno-gnu-unique).
TEST_F(Fixture, UnloadTorture) {
    for (int round = 0; round < 3; ++round) {
        bus::Bus local_bus;
        http::Router local_router;
        plugins::PluginHost local({&local_bus, &local_router, nullptr, nullptr});
        local.discover({PARLEY_TEST_PLUGIN_DIR});
        local.start(parse("[plugins.echo]\n"));
        ASSERT_TRUE(mapped("libparley-test-echo.so"));
        std::vector<std::string> seen;
        local_bus.subscribe("test.pong", 0, [&](std::string_view, std::string_view p) { seen.emplace_back(p); });
        local_bus.publish("test.ping", "before");
        EXPECT_EQ(seen.size(), 1u);

        ASSERT_TRUE(local.unload("echo"));
        EXPECT_FALSE(mapped("libparley-test-echo.so"));
        local_bus.publish("test.ping", "after");
        std::string payload = "x";
        EXPECT_TRUE(local_bus.filter("test.before", payload));
        EXPECT_EQ(payload, "x");
        EXPECT_EQ(seen.size(), 1u);
        bool known = true;
        EXPECT_FALSE(local_router.find("GET", "/test/echo", &known));
        EXPECT_FALSE(local.call_command("", "echo", "{}").found);
        EXPECT_FALSE(local.get_service("", "test.echo", 1, nullptr));
        EXPECT_EQ(local_bus.registrations(1), 0u);
    }
}

TEST(PluginManifests, ASyntaxErrorIsReportedWithItsLocationAndThePluginRefused) {
    auto dir = fs::temp_directory_path() / "parley-manifest-test" / "broken";
    fs::create_directories(dir);
    std::ofstream(dir / "plugin.toml") << "id = \"broken\"\nversion = 1.0.0\n";
    bus::Bus bus;
    plugins::PluginHost host({&bus});
    auto errors = host.discover({dir.parent_path().string()});
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].where.line, 2);
    EXPECT_GT(errors[0].where.column, 0);
    ASSERT_NE(host.find("broken"), nullptr);
    EXPECT_EQ(host.find("broken")->refusal, Refusal::manifest_invalid);
}

// Every plugin exports its entry symbol and nothing else.
TEST(PluginExports, OnlyTheEntrySymbol) {
    int checked = 0;
    for (auto dir : {PARLEY_PLUGIN_DIR, PARLEY_TEST_PLUGIN_DIR}) {
        for (auto& entry : fs::recursive_directory_iterator(dir)) {
            if (entry.path().extension() != ".so" || entry.path().string().find("no_entry") != std::string::npos)
                continue;
            boost::dll::library_info info(entry.path());
            auto symbols = info.symbols();
            std::erase_if(symbols, [](const std::string& s) { return s.empty(); });
            EXPECT_EQ(symbols, std::vector<std::string>{"parley_plugin_entry"}) << entry.path();
            ++checked;
        }
    }
    EXPECT_GE(checked, 4 + 10);
}
