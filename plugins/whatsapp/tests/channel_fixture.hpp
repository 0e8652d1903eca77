// The channel built on a real parley::Host of the fake host (through the probe
// plugin). POSTs go straight to the channel with an answer the test owns, because
// the channel may answer after the route handler returned. The POST route is a
// concurrent one: its checks run in the call, and the rest is posted to the core
// thread, which post_async() then runs, as the core would on its next turn.
#pragma once

#include "fakes_fixture.hpp"

#include "channel.hpp"

#include <deque>

namespace wa_test {

class ChannelTest : public FakesTest {
protected:
    void TearDown() override {
        stop();
        host.run_posted();
        engine.release();
        channel.reset();
        host.destroy();
        FakesTest::TearDown();
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
        host.run_posted();
        return answers.back();
    }
    // The status the POST was answered with, once it is (0: not within 5 s).
    int post(const std::string& body, std::optional<std::string> signature = {}) {
        return answered(post_async(body, signature));
    }
    int post_unsigned(const std::string& body) {
        answers.emplace_back(Probe::last->host);
        parley::HttpRequest req{"POST", "/webhooks/whatsapp", "/webhooks/whatsapp", "", body, nullptr, 0};
        channel->receive(req, answers.back().responder());
        return answered(answers.back());
    }
    int answered(const AsyncAnswer& a) {
        drain(host, [&] { return a.status() != 0; });
        return a.status();
    }

    // The answers outlive the channel's pending batches.
    std::deque<AsyncAnswer> answers;
    std::unique_ptr<parley::whatsapp::Channel> channel;
};

}  // namespace wa_test
