// The sender against a fake Graph API: retries by classification, backoff, order per
// customer, pacing, throughput, and stopping.
#include "fake_graph.hpp"
#include "test_support.hpp"

#include "sender.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <condition_variable>

using namespace wa_test;
using namespace parley::whatsapp;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

class Results {
public:
    Sender::Done collector() {
        return [this](SendResult r) {
            std::lock_guard lock(mutex_);
            results_.push_back(std::move(r));
            cv_.notify_all();
        };
    }
    std::vector<SendResult> wait(std::size_t n, std::chrono::milliseconds limit = 5s) {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, limit, [&] { return results_.size() >= n; });
        return results_;
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<SendResult> results_;
};

SenderOptions options(int max_retries = 5, std::chrono::milliseconds base = 1ms, int rate = 80,
                      std::chrono::milliseconds interval = 0ms) {
    return {kAccessToken, rate, interval, max_retries, base, [] { return 0.0; }};
}

Outgoing job(const FakeGraph& graph, const std::string& to, const std::string& message) {
    return {graph.url() + "/v21.0/106540352242922/messages",
            R"({"to":")" + to + R"(","text":{"body":")" + message + R"("}})",
            "106540352242922", to, "i-1", message};
}

FakeGraph::Answer error(int http, long code) {
    return {http, R"({"error":{"message":"x","type":"OAuthException","code":)" + std::to_string(code) + "}}"};
}

FakeGraph::Answer accepted(const std::string& wamid = "wamid.OK") {
    return {200, R"({"messaging_product":"whatsapp","messages":[{"id":")" + wamid + R"("}]})"};
}

}  // namespace

TEST(Sender, PostsWithTheBearerTokenAndReadsTheWamid) {
    FakeGraph graph([](const FakeGraph::Request&, int) {
        return FakeGraph::Answer{200, have_references() ? reference("11_send_text_response_200.json")
                                                        : R"({"messages":[{"id":"wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI3QTk0RjI4QzE2QkQ1QjY4NjcA"}]})"};
    });
    Results results;
    Sender sender(options(), results.collector());
    sender.enqueue(job(graph, "16505551234", "m-1"));
    auto r = results.wait(1);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].ok);
    EXPECT_EQ(r[0].wamid, "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI3QTk0RjI4QzE2QkQ1QjY4NjcA");
    EXPECT_EQ(r[0].attempts, 1);
    auto req = graph.requests().at(0);
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.path, "/v21.0/106540352242922/messages");
    EXPECT_EQ(req.authorization, "Bearer test-access-token");
    EXPECT_EQ(req.body, R"({"to":"16505551234","text":{"body":"m-1"}})");
}

TEST(Sender, RetriesServerErrorsUntilOneGoesThrough) {
    FakeGraph graph([](const FakeGraph::Request&, int nth) { return nth <= 2 ? error(500, 131000) : accepted(); });
    Results results;
    Sender sender(options(), results.collector());
    sender.enqueue(job(graph, "1", "m-1"));
    auto r = results.wait(1);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].ok);
    EXPECT_EQ(r[0].attempts, 3);
    EXPECT_EQ(graph.requests().size(), 3u);
}

TEST(Sender, RetriesTransientCodesAndNotPermanentOnes) {
    for (long code : {130429L, 131000L, 131016L}) {
        FakeGraph graph([code](const FakeGraph::Request&, int nth) { return nth == 1 ? error(400, code) : accepted(); });
        Results results;
        Sender sender(options(), results.collector());
        sender.enqueue(job(graph, "1", "m-1"));
        auto r = results.wait(1);
        ASSERT_EQ(r.size(), 1u);
        EXPECT_TRUE(r[0].ok) << code;
        EXPECT_EQ(graph.requests().size(), 2u) << code;
    }
    for (long code : {100L, 131008L, 131009L, 131026L, 190L, 131047L}) {
        FakeGraph graph([code](const FakeGraph::Request&, int) { return error(code == 190 ? 401 : 400, code); });
        Results results;
        Sender sender(options(), results.collector());
        sender.enqueue(job(graph, "1", "m-1"));
        auto r = results.wait(1);
        ASSERT_EQ(r.size(), 1u);
        EXPECT_FALSE(r[0].ok) << code;
        EXPECT_EQ(r[0].code, code);
        EXPECT_EQ(r[0].error.rfind(std::to_string(code) + ": ", 0), 0u) << r[0].error;
        std::this_thread::sleep_for(20ms);  // a retry would have come by now
        EXPECT_EQ(graph.requests().size(), 1u) << code;
    }
}

TEST(Sender, GivesUpAfterMaxRetries) {
    FakeGraph graph([](const FakeGraph::Request&, int) { return FakeGraph::Answer{502, "bad gateway", "text/plain"}; });
    Results results;
    Sender sender(options(2), results.collector());
    sender.enqueue(job(graph, "1", "m-1"));
    auto r = results.wait(1);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_FALSE(r[0].ok);
    EXPECT_EQ(r[0].attempts, 3);
    EXPECT_EQ(r[0].error, "the WhatsApp Cloud API answered HTTP 502");
    EXPECT_EQ(graph.requests().size(), 3u);
}

TEST(Sender, RetriesWhenNobodyAnswers) {
    std::string url;
    {
        FakeGraph gone;
        url = gone.url();
    }  // the port is closed now
    Results results;
    Sender sender(options(1), results.collector());
    sender.enqueue({url + "/v21.0/1/messages", "{}", "1", "2", "i-1", "m-1"});
    auto r = results.wait(1);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_FALSE(r[0].ok);
    EXPECT_EQ(r[0].attempts, 2);
    EXPECT_EQ(r[0].error, "no answer from the WhatsApp Cloud API");
}

TEST(Sender, BacksOffBetweenAttempts) {
    std::vector<Clock::time_point> at;
    std::mutex m;
    FakeGraph graph([&](const FakeGraph::Request&, int nth) {
        std::lock_guard lock(m);
        at.push_back(Clock::now());
        return nth <= 2 ? error(503, 131016) : accepted();
    });
    Results results;
    Sender sender(options(5, 40ms), results.collector());  // jitter 0: waits 20ms, then 40ms
    sender.enqueue(job(graph, "1", "m-1"));
    ASSERT_EQ(results.wait(1).size(), 1u);
    std::lock_guard lock(m);
    ASSERT_EQ(at.size(), 3u);
    EXPECT_GE(at[1] - at[0], 20ms);
    EXPECT_GE(at[2] - at[1], 40ms);
}

TEST(Sender, AMessageWaitingForItsRetryHoldsBackTheNextToThatCustomerOnly) {
    std::vector<std::string> order;
    std::mutex m;
    FakeGraph graph([&](const FakeGraph::Request& r, int nth) {
        std::lock_guard lock(m);
        order.push_back(json::parse(r.body).at("text").at("body").as_string().c_str());
        return nth == 1 ? error(500, 0) : accepted();
    });
    Results results;
    Sender sender(options(5, 100ms), results.collector());
    sender.enqueue(job(graph, "alice", "a1"));
    sender.enqueue(job(graph, "alice", "a2"));
    sender.enqueue(job(graph, "bob", "b1"));
    auto r = results.wait(3);
    ASSERT_EQ(r.size(), 3u);
    std::lock_guard lock(m);
    EXPECT_EQ(order, (std::vector<std::string>{"a1", "b1", "a1", "a2"}));
}

TEST(Sender, PacesMessagesToOneCustomer) {
    std::vector<Clock::time_point> at;
    std::mutex m;
    FakeGraph graph([&](const FakeGraph::Request&, int) {
        std::lock_guard lock(m);
        at.push_back(Clock::now());
        return accepted();
    });
    Results results;
    Sender sender(options(5, 1ms, 80, 150ms), results.collector());
    sender.enqueue(job(graph, "alice", "a1"));
    sender.enqueue(job(graph, "alice", "a2"));
    sender.enqueue(job(graph, "bob", "b1"));
    ASSERT_EQ(results.wait(3).size(), 3u);
    std::lock_guard lock(m);
    EXPECT_GE(at[2] - at[0], 140ms);  // a2 waited (arrival times: less the connection set-up); b1 went between
    EXPECT_LT(at[1] - at[0], 140ms);
}

TEST(Sender, KeepsToTheNumbersThroughput) {
    FakeGraph graph;
    Results results;
    Sender sender(options(5, 1ms, 5), results.collector());  // 5/s, a burst of 5
    auto start = Clock::now();
    for (int i = 0; i < 8; ++i) sender.enqueue(job(graph, "c" + std::to_string(i), "m"));
    ASSERT_EQ(results.wait(8).size(), 8u);
    EXPECT_GE(Clock::now() - start, 550ms);  // three beyond the burst, 200ms apart
}

TEST(Sender, StopHandsBackWhatWasNotSent) {
    FakeGraph graph;
    Results results;
    Sender sender(options(5, 1ms, 80, 10s), results.collector());
    sender.enqueue(job(graph, "alice", "a1"));
    sender.enqueue(job(graph, "alice", "a2"));  // paced: 10 s away
    ASSERT_EQ(results.wait(1).size(), 1u);
    auto unsent = sender.stop();
    ASSERT_EQ(unsent.size(), 1u);
    EXPECT_EQ(unsent[0].message, "a2");
}
