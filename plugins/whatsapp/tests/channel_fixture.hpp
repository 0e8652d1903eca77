// The channel built on a real parley::Host of the fake host (through the probe
// plugin), with a fake engine, a fake Graph API and the operator's credentials.
// POSTs go straight to the channel with an answer the test owns, because the
// channel may answer after the route handler returned.
#pragma once

#include "fake_engine.hpp"
#include "fake_graph.hpp"
#include "test_support.hpp"

#include "channel.hpp"

#include <gtest/gtest.h>

#include <deque>

namespace wa_test {

class ChannelTest : public ::testing::Test {
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
    void TearDown() override {
        stop();
        host.run_posted();
        engine.release();
        channel.reset();
        host.destroy();
        std::filesystem::remove_all(media_dir);
    }

    void start() {
        host.create(probe_descriptor());
        channel = std::make_unique<parley::whatsapp::Channel>(Probe::last->host, Probe::last->settings);
        channel->start();
    }
    void stop() {
        if (channel) channel->stop();
    }

    AsyncAnswer& post_async(const std::string& body, std::optional<std::string> signature = {}) {
        answers.emplace_back(Probe::last->host);
        Post p(body, signature);
        channel->receive(p.request(), answers.back().responder());
        return answers.back();
    }
    // The status the POST was answered with, once it is (0: not within 5 s).
    int post(const std::string& body, std::optional<std::string> signature = {}) {
        auto& a = post_async(body, signature);
        drain(host, [&] { return a.status() != 0; });
        return a.status();
    }
    int post_unsigned(const std::string& body) {
        answers.emplace_back(Probe::last->host);
        parley::HttpRequest req{"POST", "/webhooks/whatsapp", "/webhooks/whatsapp", "", body, nullptr, 0};
        channel->receive(req, answers.back().responder());
        auto& a = answers.back();
        drain(host, [&] { return a.status() != 0; });
        return a.status();
    }

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

    // Declared first: they outlive the channel, whose threads call the fake Graph API,
    // and the answers outlive the channel's pending batches.
    FakeGraph graph;
    FakeEngine engine;
    parley::testing::FakeHost host;
    std::deque<AsyncAnswer> answers;
    std::string media_dir;
    std::unique_ptr<parley::whatsapp::Channel> channel;
};

}  // namespace wa_test
