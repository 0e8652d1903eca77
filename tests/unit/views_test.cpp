// The view layer: surfaces with their field names, and the before-display filter
// point every view passes (where masking acts).
#include "parley/core/bus.hpp"
#include "parley/core/engine.hpp"
#include "parley/core/engine_state.hpp"
#include "parley/core/runtime.hpp"
#include "parley/core/store.hpp"
#include "parley/core/views.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <future>
#include <thread>

using namespace parley;
namespace json = boost::json;

namespace {

constexpr const char* kConfig = R"(
[tenants.acme]
[tenants.acme.queues.support]
name = "Card support"
[tenants.acme.entry_points.line]
channel = "test"
number = "+15550001111"
queue = "support"
cad = { campaign = "spring" }
[tenants.acme.entry_points.line2]
channel = "test"
number = "+15550002222"
queue = "support"
[tenants.acme.entry_points.line3]
channel = "test"
number = "+15550003333"
queue = "support"
[tenants.beta]
[tenants.beta.queues.sales]
name = "Sales"
[tenants.beta.entry_points.line]
channel = "test"
number = "+15550004444"
queue = "sales"
[tenants.acme.agents.ana]
name = "Ana Ruiz"
password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"
queues = ["support"]
capacity = { test = 1 }
)";

struct ViewsTest : ::testing::Test {
    Runtime runtime;
    bus::Bus bus;
    std::unique_ptr<store::Store> store = store::open_sqlite(":memory:");
    engine::Engine engine{runtime, *store, bus};
    views::Views views{engine, bus};
    std::thread loop;

    void SetUp() override {
        engine.configure(config::parse_text(kConfig, "t.toml").document);
        engine.recover();
        loop = std::thread([this] { runtime.run(1); });
        run({{"acme", "ana"}, "set_state", {{"state", "available"}}});
        run({{}, "inbound", {{"channel", "test"}, {"origin", "+15550001111"}, {"customer_number", "+447700900123"},
                             {"customer_name", "Maria Lopez"}, {"text", "card 4111 1111 1111 1111"}}});
    }
    void TearDown() override {
        runtime.stop();
        loop.join();
    }
    engine::Result run(engine::Command c) {
        std::promise<engine::Result> p;
        engine.submit(std::move(c), [&](engine::Result r) { p.set_value(std::move(r)); });
        return p.get_future().get();
    }
    template <class F>
    auto on_core(F f) {
        std::promise<decltype(f())> p;
        runtime.post([&] { p.set_value(f()); });
        return p.get_future().get();
    }
    const engine::Interaction& interaction() { return engine.state().interactions.at("i-1"); }
};

// A stand-in for masking: every digit in every string becomes '*'.
void star_digits(json::value& v) {
    if (v.is_string()) {
        std::string s(v.as_string());
        for (auto& c : s)
            if (c >= '0' && c <= '9') c = '*';
        v = json::string(s);
    } else if (v.is_object()) {
        for (auto& [k, x] : v.as_object()) star_digits(x);
    } else if (v.is_array()) {
        for (auto& x : v.as_array()) star_digits(x);
    }
}

}  // namespace

TEST_F(ViewsTest, SurfacesCarryTheFieldsTheDesktopShows) {
    auto offer = on_core([&] { return views.offer(interaction(), "ana"); });
    EXPECT_EQ(offer.at("customer_name"), "Maria Lopez");
    EXPECT_EQ(offer.at("customer_number"), "+447700900123");
    EXPECT_EQ(offer.at("origin"), "+15550001111");
    EXPECT_EQ(offer.at("queue_name"), "Card support");
    EXPECT_GT(offer.at("expires_at").as_int64(), offer.at("offered_at").as_int64());

    auto task = on_core([&] { return views.task(interaction(), "ana"); });
    EXPECT_EQ(task.at("title"), "Maria Lopez");
    EXPECT_EQ(task.at("contact_origin"), "+447700900123");
    EXPECT_EQ(task.at("preview"), "card 4111 1111 1111 1111");
    EXPECT_EQ(task.at("state"), "offered");

    auto panel = on_core([&] { return views.panel(interaction()); });
    EXPECT_EQ(panel.at("cad").at("campaign"), "spring");
    EXPECT_EQ(panel.at("cad").at("contact_origin"), "+447700900123");

    auto note = on_core([&] { return views.notification(interaction()); });
    EXPECT_EQ(note.at("business_number"), "+15550001111");
    EXPECT_EQ(note.at("customer"), "Maria Lopez");

    auto convo = on_core([&] { return views.conversation(interaction(), "ana"); });
    EXPECT_EQ(convo.at("messages").as_array()[0].at("initials"), "ML");
    EXPECT_EQ(convo.at("composer").at("placeholder"), "Reply to Maria Lopez");
    EXPECT_EQ(convo.at("composer").at("enabled"), false);  // not accepted yet
}

TEST_F(ViewsTest, AReplyShowsTheMessageItAnswers) {
    ASSERT_TRUE(run({{"acme", "ana"}, "accept", {{"interaction", "i-1"}}}).ok);
    const auto quoted = on_core([&] { return interaction().messages.at(0).id; });
    ASSERT_TRUE(run({{"acme", "ana"}, "send", {{"interaction", "i-1"}, {"text", "Thanks"}, {"reply_to", quoted}}}).ok);
    ASSERT_TRUE(run({{"acme", "ana"}, "send", {{"interaction", "i-1"}, {"text", "Anything else?"}}}).ok);
    auto convo = on_core([&] { return views.conversation(interaction(), "ana"); });
    const auto& messages = convo.at("messages").as_array();
    ASSERT_EQ(messages.size(), 3u);
    EXPECT_TRUE(messages[0].at("reply_to").is_null());  // the customer's
    EXPECT_EQ(messages[1].at("reply_to").as_string(), quoted);
    EXPECT_TRUE(messages[2].at("reply_to").is_null());
}

TEST_F(ViewsTest, EveryViewPassesTheBeforeDisplayFilters) {
    std::vector<std::string> surfaces;
    bus.add_filter(views::display_filter_topic, 0, [&](std::string_view, std::string& payload, bool&) {
        auto v = json::parse(payload).as_object();
        surfaces.emplace_back(v.at("surface").as_string());
        EXPECT_EQ(v.at("tenant"), "acme");
        star_digits(v["view"]);
        payload = json::serialize(v);
    });
    auto snapshot = on_core([&] { return views.snapshot("acme", "ana"); });
    auto text = json::serialize(snapshot.at("tasks")) + json::serialize(snapshot.at("offers"));
    EXPECT_EQ(text.find("4111"), std::string::npos) << text;
    EXPECT_EQ(text.find("447700900123"), std::string::npos) << text;
    EXPECT_NE(text.find("**** **** **** ****"), std::string::npos) << text;
    for (const char* s : {"task_list", "offer"})
        EXPECT_NE(std::find(surfaces.begin(), surfaces.end(), s), surfaces.end()) << s;
    for (auto f : {+[](views::Views& v, const engine::Interaction& i) { return v.panel(i); },
                   +[](views::Views& v, const engine::Interaction& i) { return v.notification(i); },
                   +[](views::Views& v, const engine::Interaction& i) { return v.history(i); },
                   +[](views::Views& v, const engine::Interaction& i) { return v.conversation(i, "ana"); }}) {
        auto view = json::serialize(on_core([&] { return f(views, interaction()); }));
        EXPECT_EQ(view.find("447700900123"), std::string::npos) << view;
    }
}

TEST_F(ViewsTest, HistoryListsTheCustomersOtherConversationsOfThisTenantOldestFirst) {
    auto inbound = [&](const char* origin, const char* customer) {
        auto r = run({{}, "inbound", {{"channel", "test"}, {"origin", origin}, {"customer_number", customer},
                                      {"customer_name", "Maria Lopez"}, {"text", "hola"}}});
        EXPECT_TRUE(r.ok) << r.message;
        return std::string(r.value.at("interaction").as_string());
    };
    auto second = inbound("+15550002222", "+447700900123");
    inbound("+15550001111", "+447700900999");  // another customer
    inbound("+15550004444", "+447700900123");  // the same number, another tenant
    auto third = inbound("+15550003333", "+447700900123");
    auto history = on_core([&] { return views.history(engine.state().interactions.at(second)); });
    auto& past = history.at("past").as_array();
    ASSERT_EQ(past.size(), 2u) << json::serialize(history);
    EXPECT_EQ(past[0].at("interaction"), "i-1");
    EXPECT_EQ(past[1].at("interaction").as_string(), third);
    EXPECT_EQ(past[0].at("preview"), "card 4111 1111 1111 1111");
}

TEST_F(ViewsTest, AVetoOrABrokenFilterHidesTheViewInsteadOfLeakingIt) {
    bus.add_filter(views::display_filter_topic, 0, [](std::string_view, std::string& payload, bool& veto) {
        if (payload.find("\"offer\"") != std::string::npos) veto = true;
        else payload = "{not json";
    });
    auto offer = on_core([&] { return views.offer(interaction(), "ana"); });
    EXPECT_EQ(json::serialize(offer), R"({"hidden":true})");
    auto task = on_core([&] { return views.task(interaction(), "ana"); });
    EXPECT_EQ(json::serialize(task), R"({"hidden":true})");
}
