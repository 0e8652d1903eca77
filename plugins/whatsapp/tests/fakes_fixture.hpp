// What the plugin tests share: a fake engine, a fake Graph API, the SDK's fake host
// configured for one business number, and the operator's credentials.
#pragma once

#include "fake_engine.hpp"
#include "fake_graph.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace wa_test {

class FakesTest : public ::testing::Test {
protected:
    void SetUp() override {
        set_credentials();
        engine.provide(host);
        media_dir = temp_dir();
        host.set("graph_base_url", graph.url());
        host.set("phone_numbers", std::vector<std::string>{kNumberEntry});
        host.set("media_dir", media_dir);
        host.set("templates", std::vector<std::string>{"hello_world:en_US"});
        host.set("retry_base_ms", std::int64_t{1});
        host.set("recipient_min_interval_ms", std::int64_t{0});
    }
    void TearDown() override { std::filesystem::remove_all(media_dir); }

    json::object stats() {
        auto r = host.request("GET", "/webhooks/whatsapp/stats");
        EXPECT_EQ(r.status, 200);
        return json::parse(r.body).as_object();
    }

    bool logs_mention(const std::string& text) const {
        for (auto& l : host.logs())
            if (l.text.find(text) != std::string::npos) return true;
        return false;
    }

    // Declared first: they outlive the plugin, whose threads call the fake Graph API.
    FakeGraph graph;
    FakeEngine engine;
    parley::testing::FakeHost host;
    std::string media_dir;
};

}  // namespace wa_test
