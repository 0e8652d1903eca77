// Agent messages through the plugin: the Graph API call, its result as a status,
// sent once, templates, read receipts, the 24-hour window filter.
#include "channel_fixture.hpp"

using namespace wa_test;

namespace {

std::string outbound(const std::string& message, const std::string& text, const std::string& extra = "") {
    return R"({"tenant":"acme","interaction":"i-1","message":")" + message +
           R"(","origin":"+15550783881","to":"+16505551234","text":")" + text + "\"" + extra + "}";
}

json::object window_payload(std::int64_t last, std::int64_t now, const std::string& extra = "") {
    return json::parse(R"({"tenant":"acme","interaction":"i-1","origin":"+15550783881","to":"+16505551234",
        "text":"hi","last_customer_message_at":)" + std::to_string(last) + R"(,"now":)" + std::to_string(now) + extra + "}")
        .as_object();
}

class OutboundTest : public ChannelTest {
protected:
    std::vector<json::object> statuses_of(const std::string& message) {
        std::vector<json::object> out;
        for (auto& s : engine.of("message_status"))
            if (s.args.contains("message") && s.args.at("message") == json::value(message)) out.push_back(s.args);
        return out;
    }
    bool wait_status(const std::string& message, std::size_t n = 1) {
        return drain(host, [&] { return statuses_of(message).size() >= n; });
    }
};

}  // namespace

TEST_F(OutboundTest, AnAgentMessageIsTheReferenceRequestAndComesBackSent) {
    if (!have_references()) GTEST_SKIP() << "no reference payloads";
    graph.on([](const FakeGraph::Request&, int) { return FakeGraph::Answer{200, reference("11_send_text_response_200.json")}; });
    start();
    host.publish("channel.outbound.whatsapp", outbound("m-2", "Yes, it also comes in blue and green."));
    ASSERT_TRUE(wait_status("m-2"));
    auto req = graph.requests().at(0);
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.path, "/v21.0/106540352242922/messages");
    EXPECT_EQ(req.authorization, "Bearer test-access-token");
    EXPECT_EQ(json::parse(req.body), json::parse(reference("10_send_text_request.json")));
    EXPECT_EQ(statuses_of("m-2")[0], (json::object{{"interaction", "i-1"},
                                                   {"message", "m-2"},
                                                   {"status", "sent"},
                                                   {"channel_message_id",
                                                    "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI3QTk0RjI4QzE2QkQ1QjY4NjcA"}}));
    EXPECT_EQ(stats().at("sent"), 1);
    for (auto& l : host.logs()) EXPECT_EQ(l.text.find("test-access-token"), std::string::npos) << l.text;
}

TEST_F(OutboundTest, TheSameMessageIsSentOnce) {
    start();
    host.publish("channel.outbound.whatsapp", outbound("m-3", "once"));
    host.publish("channel.outbound.whatsapp", outbound("m-3", "once"));
    ASSERT_TRUE(wait_status("m-3"));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    host.publish("channel.outbound.whatsapp", outbound("m-3", "once"));  // and after it went, too
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    host.run_posted();
    EXPECT_EQ(graph.requests().size(), 1u);
}

TEST_F(OutboundTest, AFailedSendShowsItsCodeAndReasonAndIsNotRetriedWhenPermanent) {
    if (!have_references()) GTEST_SKIP() << "no reference payloads";
    graph.on([](const FakeGraph::Request&, int) { return FakeGraph::Answer{400, reference("12_send_error_131047_400.json")}; });
    start();
    host.publish("channel.outbound.whatsapp", outbound("m-4", "late"));
    ASSERT_TRUE(wait_status("m-4"));
    auto s = statuses_of("m-4")[0];
    EXPECT_EQ(s.at("status"), "failed");
    EXPECT_NE(std::string(s.at("error").as_string()).find("131047: more than 24 hours"), std::string::npos);
    EXPECT_EQ(graph.requests().size(), 1u);
    EXPECT_EQ(stats().at("send_failed"), 1);
}

TEST_F(OutboundTest, TransientFailuresAreRetried) {
    graph.on([](const FakeGraph::Request&, int nth) {
        return nth == 1 ? FakeGraph::Answer{400, R"({"error":{"code":130429,"message":"Rate limit hit"}})"}
                        : FakeGraph::Answer{200, R"({"messages":[{"id":"wamid.R"}]})"};
    });
    start();
    host.publish("channel.outbound.whatsapp", outbound("m-5", "retry me"));
    ASSERT_TRUE(wait_status("m-5"));
    EXPECT_EQ(statuses_of("m-5")[0].at("status"), "sent");
    EXPECT_EQ(graph.requests().size(), 2u);
    EXPECT_EQ(stats().at("send_retries"), 1);
}

TEST_F(OutboundTest, TemplatesAndRepliesWithContext) {
    start();
    host.publish("channel.outbound.whatsapp",
                 outbound("m-6", "Template: hello_world", R"(,"template":"hello_world","language":"")"));
    host.publish("channel.outbound.whatsapp",
                 outbound("m-7", "Yes", R"(,"reply_to_channel_message_id":"wamid.CUSTOMER")"));
    ASSERT_TRUE(wait_status("m-6"));
    ASSERT_TRUE(wait_status("m-7"));
    auto requests = graph.requests();
    ASSERT_EQ(requests.size(), 2u);
    auto t = json::parse(requests[0].body);
    EXPECT_EQ(t.at("type"), "template");
    EXPECT_EQ(t.at("template").at("name"), "hello_world");
    EXPECT_EQ(t.at("template").at("language").at("code"), "en_US");
    auto reply = json::parse(requests[1].body);
    EXPECT_EQ(reply.at("context").at("message_id"), "wamid.CUSTOMER");
}

TEST_F(OutboundTest, AMessageLongerThanWhatsAppTakesIsNotSent) {
    start();
    host.publish("channel.outbound.whatsapp", outbound("m-8", std::string(4097, 'x')));
    ASSERT_TRUE(wait_status("m-8"));
    EXPECT_EQ(statuses_of("m-8")[0].at("status"), "failed");
    EXPECT_TRUE(graph.requests().empty());
}

TEST_F(OutboundTest, ANumberNoLongerConfiguredFailsAtOnce) {
    start();
    auto p = outbound("m-9", "hello");
    p.replace(p.find("+15550783881"), 12, "+15559999999");
    host.publish("channel.outbound.whatsapp", p);
    ASSERT_EQ(statuses_of("m-9").size(), 1u);
    EXPECT_EQ(statuses_of("m-9")[0].at("status"), "failed");
    EXPECT_NE(std::string(statuses_of("m-9")[0].at("error").as_string()).find("no longer configured"), std::string::npos);
    EXPECT_TRUE(graph.requests().empty());
}

TEST_F(OutboundTest, OpeningTheConversationMarksTheCustomersMessageRead) {
    if (!have_references()) GTEST_SKIP() << "no reference payloads";
    graph.on([](const FakeGraph::Request&, int) { return FakeGraph::Answer{200, R"({"success":true})"}; });
    start();
    ASSERT_EQ(post(reference("01_inbound_text_message.json")), 200);
    EXPECT_TRUE(graph.requests().empty());  // not read until an agent opens it
    host.publish("engine.event",
                 R"({"seq":7,"tenant":"acme","type":"offer.accepted","time_ms":1,"data":{"interaction":"i-+16505551234","agent":"ana"}})");
    ASSERT_TRUE(graph.wait_for(1));
    auto req = graph.requests()[0];
    EXPECT_EQ(req.path, "/v21.0/106540352242922/messages");
    EXPECT_EQ(json::parse(req.body), json::parse(reference("14_mark_read_request.json")));
    // While it is open, new messages are marked as they come.
    ASSERT_EQ(post(R"({"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"106540352242922"},
        "messages":[{"from":"16505551234","id":"wamid.NEXT","timestamp":"1749416400","type":"text","text":{"body":"?"}}]}}]}]})"),
              200);
    ASSERT_TRUE(graph.wait_for(2));
    EXPECT_EQ(json::parse(graph.requests()[1].body).at("message_id"), "wamid.NEXT");
    ASSERT_TRUE(drain(host, [&] { return stats().at("reads_sent") == 2; }));
    host.publish("engine.event", R"({"type":"interaction.ended","data":{"interaction":"i-+16505551234"}})");
}

TEST_F(OutboundTest, TheWindowFilterRefusesFreeTextOutsideItAndLetsTemplatesThrough) {
    start();
    const std::int64_t now = 1'750'000'000'000, hour = 3'600'000;
    EXPECT_TRUE(host.filter("channel.before_send.whatsapp", json::serialize(window_payload(now - hour, now))));
    EXPECT_FALSE(host.filter("channel.before_send.whatsapp", json::serialize(window_payload(now - 25 * hour, now))));
    EXPECT_TRUE(host.filter("channel.before_send.whatsapp",
                            json::serialize(window_payload(now - 25 * hour, now, R"(,"template":"hello_world","language":"en_US")"))));
    EXPECT_FALSE(host.filter("channel.before_send.whatsapp",
                             json::serialize(window_payload(now - 25 * hour, now, R"(,"template":"other","language":"en_US")"))));
    EXPECT_EQ(stats().at("refused_outside_window"), 1);
}

TEST_F(OutboundTest, StoppingReportsWhatWasNotSent) {
    host.set("recipient_min_interval_ms", std::int64_t{60'000});
    start();
    host.publish("channel.outbound.whatsapp", outbound("m-10", "first"));
    host.publish("channel.outbound.whatsapp", outbound("m-11", "second"));  // paced a minute away
    ASSERT_TRUE(wait_status("m-10"));
    stop();
    ASSERT_EQ(statuses_of("m-11").size(), 1u);
    EXPECT_EQ(statuses_of("m-11")[0].at("status"), "failed");
    EXPECT_NE(std::string(statuses_of("m-11")[0].at("error").as_string()).find("send it again"), std::string::npos);
}
