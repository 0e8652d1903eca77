// The signal bus: priorities, before-filters that rewrite or veto, after-listeners,
// typed topics, and removal by owner.
#include "parley/core/bus.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <string>
#include <vector>

using parley::bus::Bus;

namespace {

struct Greeting {
    std::string who;
    int times = 0;
};

void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const Greeting& g) {
    v = {{"who", g.who}, {"times", g.times}};
}
Greeting tag_invoke(boost::json::value_to_tag<Greeting>, const boost::json::value& v) {
    auto& o = v.as_object();
    return {std::string(o.at("who").as_string()), static_cast<int>(o.at("times").as_int64())};
}

constexpr parley::bus::Topic<Greeting> greeted{"test.greeted"};

}  // namespace

TEST(Bus, ListenersRunInPriorityOrder) {
    Bus bus;
    std::vector<int> order;
    bus.subscribe("t", 10, [&](auto, auto) { order.push_back(10); });
    bus.subscribe("t", -5, [&](auto, auto) { order.push_back(-5); });
    bus.subscribe("t", 0, [&](auto, auto) { order.push_back(0); });
    bus.publish("t", "{}");
    EXPECT_EQ(order, (std::vector<int>{-5, 0, 10}));
}

TEST(Bus, FiltersRewriteInPriorityOrderAndCanVeto) {
    Bus bus;
    bus.add_filter("before.display", 20, [](auto, std::string& p, bool&) { p += "-second"; });
    bus.add_filter("before.display", 10, [](auto, std::string& p, bool&) { p += "-first"; });
    std::string payload = "text";
    EXPECT_TRUE(bus.filter("before.display", payload));
    EXPECT_EQ(payload, "text-first-second");

    bus.add_filter("before.display", 15, [](auto, std::string& p, bool& veto) { veto = p.starts_with("secret"); });
    payload = "secret";
    EXPECT_FALSE(bus.filter("before.display", payload));
    EXPECT_EQ(payload, "secret-first");  // the filter after the veto did not run
}

TEST(Bus, ATopicWithoutRegistrationsPassesThrough) {
    Bus bus;
    std::string payload = "x";
    EXPECT_TRUE(bus.filter("nobody", payload));
    EXPECT_EQ(payload, "x");
    bus.publish("nobody", "x");
}

TEST(Bus, TypedTopicsCarryTheirType) {
    Bus bus;
    Greeting got;
    std::string raw;
    bus.subscribe(greeted, std::function<void(const Greeting&)>([&](const Greeting& g) { got = g; }));
    bus.subscribe("test.greeted", 1, [&](auto, std::string_view p) { raw = p; });
    bus.publish(greeted, Greeting{"Ana", 2});
    EXPECT_EQ(got.who, "Ana");
    EXPECT_EQ(got.times, 2);
    EXPECT_EQ(boost::json::parse(raw), boost::json::parse(R"({"who":"Ana","times":2})"));
}

TEST(Bus, RemovingAnOwnerRemovesAllItsRegistrationsAndNothingElse) {
    Bus bus;
    int plugin_calls = 0, core_calls = 0;
    bus.subscribe("t", 0, [&](auto, auto) { ++plugin_calls; }, 7);
    bus.add_filter("t", 0, [&](auto, std::string& p, bool&) { p = "changed"; }, 7);
    bus.subscribe("t", 0, [&](auto, auto) { ++core_calls; });
    EXPECT_EQ(bus.registrations(7), 2u);
    bus.remove_owner(7);
    EXPECT_EQ(bus.registrations(7), 0u);
    bus.publish("t", "{}");
    std::string payload = "same";
    bus.filter("t", payload);
    EXPECT_EQ(plugin_calls, 0);
    EXPECT_EQ(core_calls, 1);
    EXPECT_EQ(payload, "same");
}

TEST(Bus, OnlyTheOwnerCanUnsubscribe) {
    Bus bus;
    int calls = 0;
    auto id = bus.subscribe("t", 0, [&](auto, auto) { ++calls; }, 3);
    EXPECT_FALSE(bus.unsubscribe(id, 4));
    bus.publish("t", "{}");
    EXPECT_TRUE(bus.unsubscribe(id, 3));
    bus.publish("t", "{}");
    EXPECT_EQ(calls, 1);
}

TEST(Bus, AThrowingListenerIsReportedAndTheOthersStillRun) {
    Bus bus;
    std::string reported;
    bus.on_error([&](parley::bus::Owner owner, std::string_view topic, std::string_view what) {
        reported = std::to_string(owner) + " " + std::string(topic) + " " + std::string(what);
    });
    int after = 0;
    bus.subscribe("t", 0, [](auto, auto) { throw std::runtime_error("bad"); }, 9);
    bus.subscribe("t", 1, [&](auto, auto) { ++after; });
    bus.publish("t", "{}");
    EXPECT_EQ(reported, "9 t bad");
    EXPECT_EQ(after, 1);
}
