// /webhooks/whatsapp on the channel: the POST checks in their order, notifications
// into engine commands, answers only after the commit, repeats (also at the same
// moment), unknown numbers, media fetched in two steps, and every reference payload.
#include "channel_fixture.hpp"

#include "graph_requests.hpp"

using namespace wa_test;
using namespace parley::whatsapp;

namespace {

const char* kTextWamid = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=";
const std::string kJpeg = std::string("\xFF\xD8\xFF\xE0", 4) + "a small jpeg";

std::string text_notification(const std::string& phone_number_id, const std::string& wamid, const std::string& ts,
                              const std::string& body) {
    return R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
        "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":")" +
           phone_number_id + R"("},"contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],
        "messages":[{"from":"16505551234","id":")" + wamid + R"(","timestamp":")" + ts +
           R"(","type":"text","text":{"body":")" + body + R"("}}]}}]}]})";
}

std::string image_notification(const std::string& wamid, const std::string& ts, const std::string& media_id) {
    return R"({"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"106540352242922"},
        "contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],
        "messages":[{"from":"16505551234","id":")" + wamid + R"(","timestamp":")" + ts +
           R"(","type":"image","image":{"id":")" + media_id + R"(","mime_type":"image/jpeg"}}]}}]}]})";
}

FakeGraph::Answer media_server(const FakeGraph::Request& r, const std::string& base) {
    if (r.path == "/v21.0/1003383421387256")
        return {200, R"({"messaging_product":"whatsapp","url":")" + base +
                         R"(/lookaside/1003383421387256?ext=1","mime_type":"image/jpeg","file_size":16,"id":"1003383421387256"})"};
    if (r.path == "/lookaside/1003383421387256?ext=1") return {200, kJpeg, "image/jpeg"};
    return {404, R"({"error":{"code":100,"message":"Unsupported get request"}})"};
}

class MediaTest : public ChannelTest {
protected:
    void SetUp() override {
        ChannelTest::SetUp();
        graph.on([this](const FakeGraph::Request& r, int) { return media_server(r, graph.url()); });
    }
};

}  // namespace

TEST_F(ChannelTest, PostsWithoutTheRightSignatureAre401) {
    start();
    auto body = text_notification("106540352242922", "wamid.A", "1", "hi");
    EXPECT_EQ(post_unsigned(body), 401);
    EXPECT_EQ(post(body, "sha256=" + std::string(64, '0')), 401);
    EXPECT_EQ(post(body, sign(body, "another secret")), 401);
    EXPECT_EQ(post(body, sign(body + " ")), 401);
    EXPECT_TRUE(engine.submits.empty());
    EXPECT_EQ(stats().at("webhooks_bad_signature"), 4);
}

TEST_F(ChannelTest, MalformedJsonIs400AfterTheSignature) {
    start();
    EXPECT_EQ(post("{\"entry\": ["), 400);
    EXPECT_EQ(post("[1,2]"), 400);
    EXPECT_EQ(post_unsigned("{\"entry\": ["), 401);  // unsigned: 401 first
    EXPECT_EQ(stats().at("webhooks_malformed"), 2);
}

// A server that stops before the engine answers never calls back: what the channel was
// waiting for is freed with it (the sanitizer build reports a leak otherwise).
TEST_F(ChannelTest, CommandsTheEngineNeverAnswersAreFreedWithTheChannel) {
    start();
    engine.defer = true;
    auto& answer = post_async(text_notification("106540352242922", "wamid.N", "1", "hello"));
    EXPECT_EQ(engine.of("inbound").size(), 1u);
    EXPECT_EQ(answer.status(), 0);
    engine.drop();
}

// A webhook checked on its I/O thread and handed to a core thread that never runs it
// (the server stopped first): the handed-over work is freed with the plugin's Host.
TEST_F(ChannelTest, WorkPostedToACoreThatNeverRunsItIsFreedWithThePlugin) {
    start();
    answers.emplace_back(Probe::last->host);
    Post p(text_notification("106540352242922", "wamid.P", "1", "hello"));
    channel->receive(p.request(), answers.back().responder());
    EXPECT_EQ(host.drop_posted(), 1);
    EXPECT_TRUE(engine.of("inbound").empty());
}

TEST_F(ChannelTest, BodiesOverTheLimitAre413) {
    host.set("body_limit", std::int64_t{1024});
    start();
    auto big = text_notification("106540352242922", "wamid.A", "1", std::string(2000, 'x'));
    EXPECT_EQ(post(big), 413);
    EXPECT_EQ(post_unsigned(big), 413);  // before any signature work
    EXPECT_EQ(post(text_notification("106540352242922", "wamid.A", "1", "short")), 200);
    EXPECT_EQ(stats().at("webhooks_too_large"), 2);
}

TEST_F(ChannelTest, ATextMessageIsCommittedThenAnswered200) {
    if (!have_references()) GTEST_SKIP() << "no reference payloads";
    start();
    EXPECT_EQ(post(reference("01_inbound_text_message.json")), 200);
    auto inbound = engine.of("inbound");
    ASSERT_EQ(inbound.size(), 1u);
    EXPECT_EQ(inbound[0].args.at("channel"), "whatsapp");
    EXPECT_EQ(inbound[0].args.at("origin"), "+15550783881");
    EXPECT_EQ(inbound[0].args.at("customer_number"), "+16505551234");
    EXPECT_EQ(inbound[0].args.at("customer_name"), "Sheena Nelson");
    EXPECT_EQ(inbound[0].args.at("text"), "Does it come in another color?");
    EXPECT_EQ(inbound[0].args.at("channel_message_id"), kTextWamid);
    EXPECT_EQ(inbound[0].args.at("time_ms"), 1749416383000);
    EXPECT_EQ(stats().at("messages_received"), 1);
}

TEST_F(ChannelTest, AFailedCommitIs500SoMetaRetries) {
    if (!have_references()) GTEST_SKIP() << "no reference payloads";
    engine.fail_inbound = true;
    start();
    auto body = reference("01_inbound_text_message.json");
    EXPECT_EQ(post(body), 500);
    engine.fail_inbound = false;
    EXPECT_EQ(post(body), 200);  // Meta's retry goes through
    EXPECT_EQ(engine.of("inbound").size(), 2u);
    EXPECT_EQ(stats().at("webhooks_failed"), 1);
}

TEST_F(ChannelTest, RepeatsAreDroppedByMessageId) {
    if (!have_references()) GTEST_SKIP() << "no reference payloads";
    start();
    auto body = reference("01_inbound_text_message.json");
    EXPECT_EQ(post(body), 200);
    EXPECT_EQ(post(body), 200);
    EXPECT_EQ(post(text_notification("106540352242922", kTextWamid, "1749416383", "Does it come in another color?")),
              200);
    EXPECT_EQ(engine.of("inbound").size(), 1u);
    EXPECT_EQ(stats().at("duplicates_dropped"), 2);
}

TEST_F(ChannelTest, RepeatsWithinOneNotificationAreDroppedToo) {
    start();
    std::string change = R"({"field":"messages","value":{"metadata":{"phone_number_id":"106540352242922"},
        "messages":[{"from":"1","id":"wamid.SAME","timestamp":"5","type":"text","text":{"body":"hello"}}]}})";
    auto doubled = R"({"entry":[{"changes":[)" + change + "," + change + "]}]}";
    EXPECT_EQ(post(doubled), 200);
    EXPECT_EQ(engine.of("inbound").size(), 1u);
}

TEST_F(ChannelTest, StatusesAreHandedOnAndRepeatsDroppedByIdAndStatus) {
    if (!have_references()) GTEST_SKIP() << "no reference payloads";
    start();
    auto wamid = std::string("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI3QTk0RjI4QzE2QkQ1QjY4NjcA");
    engine.know(wamid);
    auto body = reference("02_status_delivered.json");
    EXPECT_EQ(post(body), 200);
    EXPECT_EQ(post(body), 200);
    auto statuses = engine.of("message_status");
    ASSERT_EQ(statuses.size(), 1u);
    EXPECT_EQ(statuses[0].args, (json::object{{"channel", "whatsapp"},
                                              {"origin", "+15550783881"},
                                              {"channel_message_id", wamid},
                                              {"status", "delivered"},
                                              {"error", ""}}));
    // Another status of the same message is no repeat.
    auto read = body;
    read.replace(read.find("\"delivered\""), 11, "\"read\"");
    EXPECT_EQ(post(read), 200);
    EXPECT_EQ(engine.of("message_status").size(), 2u);
}

TEST_F(ChannelTest, UnknownNumbersAreAnswered200CountedAndLoggedWithoutCustomerData) {
    start();
    auto body = text_notification("999999999999999", "wamid.U", "1", "my card is 4111 1111 1111 1111");
    EXPECT_EQ(post(body), 200);
    EXPECT_EQ(post(body), 200);
    EXPECT_TRUE(engine.submits.empty());
    EXPECT_EQ(stats().at("unknown_number"), 2);
    EXPECT_EQ(host.counter("whatsapp_unknown_number_total{}"), 2);  // at /metrics
    EXPECT_TRUE(logs_mention("phone_number_id 999999999999999, which is not configured"));
    for (auto& l : host.logs()) {
        EXPECT_EQ(l.text.find("16505551234"), std::string::npos) << l.text;
        EXPECT_EQ(l.text.find("Sheena"), std::string::npos) << l.text;
        EXPECT_EQ(l.text.find("4111"), std::string::npos) << l.text;
    }
}

TEST_F(ChannelTest, ANumberNoTenantRoutesIsAnswered200AndCounted) {
    engine.entry_numbers.clear();
    start();
    EXPECT_EQ(post(text_notification("106540352242922", "wamid.R", "1", "hello")), 200);
    EXPECT_EQ(stats().at("unrouted"), 1);
}

TEST_F(ChannelTest, AStatusThatOvertakesItsSendWaitsForIt) {
    if (!have_references()) GTEST_SKIP() << "no reference payloads";
    start();
    EXPECT_EQ(post(reference("02_status_delivered.json")), 200);  // the wamid is not known yet
    EXPECT_EQ(engine.of("message_status").size(), 1u);
    // Our send of that message comes back: its "sent" is recorded, then the waiting status.
    graph.on([](const FakeGraph::Request&, int) { return FakeGraph::Answer{200, reference("11_send_text_response_200.json")}; });
    host.publish("channel.outbound.whatsapp",
                 R"({"tenant":"acme","interaction":"i-1","message":"m-9","origin":"+15550783881","to":"+16505551234","text":"Blue and green."})");
    ASSERT_TRUE(drain(host, [&] { return engine.of("message_status").size() >= 3; }));
    auto statuses = engine.of("message_status");
    EXPECT_EQ(statuses[1].args.at("status"), "sent");
    EXPECT_EQ(statuses[2].args.at("status"), "delivered");
    EXPECT_EQ(statuses[2].args.at("channel_message_id"), "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI3QTk0RjI4QzE2QkQ1QjY4NjcA");
}

TEST_F(ChannelTest, OtherFieldsAndStatusNamesAreIgnoredWith200) {
    start();
    EXPECT_EQ(post(R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update","value":{}}]}]})"),
              200);
    EXPECT_EQ(post(R"({"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"106540352242922"},
        "statuses":[{"id":"wamid.Z","status":"deleted"}]}}]}]})"),
              200);
    EXPECT_TRUE(engine.submits.empty());
    EXPECT_EQ(stats().at("statuses_ignored"), 1);
}

TEST_F(ChannelTest, ABatchIsWhollyHandledInTheCustomersOrder) {
    start();
    auto body = R"({"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"106540352242922"},
        "contacts":[{"profile":{"name":"A"},"wa_id":"111"},{"profile":{"name":"B"},"wa_id":"222"}],
        "messages":[{"from":"111","id":"w3","timestamp":"30","type":"text","text":{"body":"third"}},
                    {"from":"222","id":"w2","timestamp":"20","type":"reaction","reaction":{"message_id":"x","emoji":"👍"}},
                    {"from":"111","id":"w1","timestamp":"10","type":"text","text":{"body":"first"}}]}}]},
        {"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"106540352242922"},
        "messages":[{"from":"111","id":"w4","timestamp":"40","type":"location","location":{"latitude":1,"longitude":2}}]}}]}]})";
    EXPECT_EQ(post(body), 200);
    auto inbound = engine.of("inbound");
    ASSERT_EQ(inbound.size(), 4u);
    EXPECT_EQ(inbound[0].args.at("channel_message_id"), "w1");
    EXPECT_EQ(inbound[1].args.at("channel_message_id"), "w2");
    EXPECT_EQ(inbound[1].args.at("customer_name"), "B");
    EXPECT_EQ(inbound[2].args.at("channel_message_id"), "w3");
    EXPECT_EQ(inbound[3].args.at("kind"), "location");
}

TEST_F(MediaTest, ImageIsFetchedInTwoStepsStoredThenCommitted) {
    if (!have_references()) GTEST_SKIP() << "no reference payloads";
    start();
    auto& answer = post_async(reference("04_inbound_image_message.json"));
    EXPECT_EQ(answer.status(), 0);  // nothing is acknowledged before it is stored
    ASSERT_NE(0, answered(answer));
    EXPECT_EQ(answer.status(), 200);
    auto requests = graph.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].method, "GET");
    EXPECT_EQ(requests[0].path, "/v21.0/1003383421387256");
    EXPECT_EQ(requests[1].path, "/lookaside/1003383421387256?ext=1");
    for (auto& r : requests) EXPECT_EQ(r.authorization, "Bearer test-access-token");
    auto inbound = engine.of("inbound");
    ASSERT_EQ(inbound.size(), 1u);
    auto& a = inbound[0].args.at("attachment").as_object();
    EXPECT_EQ(inbound[0].args.at("kind"), "image");
    EXPECT_EQ(a.at("caption"), "This is the damaged one");
    EXPECT_EQ(a.at("mime_type"), "image/jpeg");
    EXPECT_EQ(a.at("size"), static_cast<std::int64_t>(kJpeg.size()));
    std::string url(a.at("url").as_string());
    ASSERT_EQ(url.rfind("/media/whatsapp/", 0), 0u);
    auto name = url.substr(16);
    EXPECT_EQ(name.size(), 36u);  // 32 random hex digits + ".jpg"
    EXPECT_EQ(name.substr(32), ".jpg");
    EXPECT_EQ(read_file(std::filesystem::path(media_dir) / name), kJpeg);
    EXPECT_TRUE(host.is_concurrent_route("GET", "/media/whatsapp/*"));  // on an I/O thread, not the core's
    auto served = host.request("GET", url);  // shown to the agent from here
    EXPECT_EQ(served.status, 200);
    EXPECT_EQ(served.content_type, "image/jpeg");
    EXPECT_EQ(read_file(served.file), kJpeg);  // the file the core sends
    EXPECT_EQ(stats().at("media_stored"), 1);
}

TEST_F(MediaTest, MediaThatIsGoneIsShownAsANote) {
    start();
    auto& answer = post_async(image_notification("wamid.G", "5", "404404"));
    ASSERT_NE(0, answered(answer));
    EXPECT_EQ(answer.status(), 200);
    auto inbound = engine.of("inbound");
    ASSERT_EQ(inbound.size(), 1u);
    auto& a = inbound[0].args.at("attachment").as_object();
    EXPECT_FALSE(a.contains("url"));
    EXPECT_NE(std::string(a.at("error").as_string()).find("could not be downloaded"), std::string::npos);
    EXPECT_EQ(stats().at("media_failed"), 1);
}

TEST_F(MediaTest, MediaWhileTheGraphApiIsDownIs500AndTheRetryWorks) {
    start();
    graph.on([](const FakeGraph::Request&, int) { return FakeGraph::Answer{503, "unavailable", "text/plain"}; });
    auto body = image_notification("wamid.D", "5", "1003383421387256");
    auto& first = post_async(body);
    ASSERT_NE(0, answered(first));
    EXPECT_EQ(first.status(), 500);
    EXPECT_TRUE(engine.of("inbound").empty());
    graph.on([this](const FakeGraph::Request& r, int) { return media_server(r, graph.url()); });
    auto& retry = post_async(body);
    ASSERT_NE(0, answered(retry));
    EXPECT_EQ(retry.status(), 200);
    EXPECT_EQ(engine.of("inbound").size(), 1u);
}

TEST_F(MediaTest, LaterMessagesOfThatCustomerWaitForTheRetryToKeepTheOrder) {
    start();
    graph.on([](const FakeGraph::Request&, int) { return FakeGraph::Answer{500, "{}"}; });
    auto body = R"({"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"106540352242922"},
        "messages":[{"from":"111","id":"w1","timestamp":"10","type":"image","image":{"id":"9"}},
                    {"from":"111","id":"w2","timestamp":"20","type":"text","text":{"body":"see the photo"}},
                    {"from":"222","id":"w3","timestamp":"15","type":"text","text":{"body":"someone else"}}]}}]}]})";
    auto& answer = post_async(body);
    ASSERT_NE(0, answered(answer));
    EXPECT_EQ(answer.status(), 500);
    auto inbound = engine.of("inbound");
    ASSERT_EQ(inbound.size(), 1u);
    EXPECT_EQ(inbound[0].args.at("channel_message_id"), "w3");
}

TEST_F(MediaTest, AnswersWaitForTheCommit) {
    if (!have_references()) GTEST_SKIP() << "no reference payloads";
    start();
    engine.defer = true;
    auto& answer = post_async(reference("01_inbound_text_message.json"));
    EXPECT_EQ(answer.status(), 0);
    EXPECT_EQ(engine.release(), 1);
    EXPECT_EQ(answer.status(), 200);
}

TEST_F(MediaTest, TwoCopiesAtTheSameMomentMakeOneMessage) {
    if (!have_references()) GTEST_SKIP() << "no reference payloads";
    start();
    engine.defer = true;  // the first copy is not committed when the second arrives
    auto body = reference("01_inbound_text_message.json");
    auto& first = post_async(body);
    auto& second = post_async(body);
    EXPECT_EQ(engine.submits.size(), 1u);
    EXPECT_EQ(first.status(), 0);
    EXPECT_EQ(second.status(), 0);  // answered only once the first copy is committed
    engine.release();
    EXPECT_EQ(first.status(), 200);
    EXPECT_EQ(second.status(), 200);
    EXPECT_EQ(engine.of("inbound").size(), 1u);
    EXPECT_EQ(stats().at("duplicates_dropped"), 1);
    EXPECT_EQ(stats().at("messages_received"), 1);
}

TEST_F(MediaTest, CopiesOfAFailedCommitBothFailAndTheRetryCommits) {
    if (!have_references()) GTEST_SKIP() << "no reference payloads";
    start();
    engine.defer = true;
    engine.fail_inbound = true;
    auto body = reference("01_inbound_text_message.json");
    auto& first = post_async(body);
    auto& second = post_async(body);
    engine.release();
    EXPECT_EQ(first.status(), 500);
    EXPECT_EQ(second.status(), 500);
    engine.fail_inbound = false;
    auto& retry = post_async(body);
    engine.release();
    EXPECT_EQ(retry.status(), 200);
    EXPECT_EQ(engine.of("inbound").size(), 2u);  // the failed one and the retry
}

TEST_F(MediaTest, TwoCopiesOfAnImageFetchItOnce) {
    start();
    auto body = image_notification("wamid.I", "5", "1003383421387256");
    auto& first = post_async(body);
    auto& second = post_async(body);
    ASSERT_NE(0, answered(first));
    ASSERT_NE(0, answered(second));
    EXPECT_EQ(first.status(), 200);
    EXPECT_EQ(second.status(), 200);
    EXPECT_EQ(graph.requests().size(), 2u);
    EXPECT_EQ(engine.of("inbound").size(), 1u);
    EXPECT_EQ(stats().at("media_stored"), 1);
}

TEST_F(MediaTest, StatusCopiesAtTheSameMomentAreOne) {
    start();
    engine.know("wamid.S");
    engine.defer = true;
    auto body = R"({"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"106540352242922"},
        "statuses":[{"id":"wamid.S","status":"read"}]}}]}]})";
    auto& first = post_async(body);
    auto& second = post_async(body);
    engine.release();
    EXPECT_EQ(first.status(), 200);
    EXPECT_EQ(second.status(), 200);
    EXPECT_EQ(engine.of("message_status").size(), 1u);
}

TEST_F(MediaTest, EveryReferenceNotificationIsAccepted) {
    if (!have_references()) GTEST_SKIP() << "no reference payloads at " << reference_dir();
    start();
    int notifications = 0;
    for (auto& name : reference_files()) {
        auto body = reference(name);
        if (!json::parse(body).as_object().contains("object")) continue;  // a Graph request or answer
        ++notifications;
        auto& answer = post_async(body);
        ASSERT_NE(0, answered(answer)) << name;
        EXPECT_EQ(answer.status(), 200) << name;
    }
    EXPECT_EQ(notifications, 4);
    EXPECT_EQ(engine.of("inbound").size(), 3u);  // text, image, button reply
    EXPECT_EQ(engine.of("message_status").size(), 1u);
    EXPECT_EQ(stats().at("statuses_received"), 0);  // its send is not known: it waits for it
}

TEST(GraphRequests, AreTheReferenceShapes) {
    if (!have_references()) GTEST_SKIP() << "no reference payloads at " << reference_dir();
    EXPECT_EQ(json::parse(text_request("16505551234", "Yes, it also comes in blue and green.", "")),
              json::parse(reference("10_send_text_request.json")));
    EXPECT_EQ(json::parse(read_request("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=")),
              json::parse(reference("14_mark_read_request.json")));
    auto sent = json::parse(template_request("16505551234", "conversation_followup", "en_US")).as_object();
    auto ref = json::parse(reference("15_send_template_request.json")).as_object();
    for (auto key : {"messaging_product", "recipient_type", "to", "type"}) EXPECT_EQ(sent.at(key), ref.at(key)) << key;
    EXPECT_EQ(sent.at("template").at("name"), ref.at("template").at("name"));
    EXPECT_EQ(sent.at("template").at("language"), ref.at("template").at("language"));
    auto reply = json::parse(text_request("16505551234", "ok", "wamid.Q")).as_object();
    EXPECT_EQ(reply.at("context"), json::parse(R"({"message_id":"wamid.Q"})"));
    EXPECT_EQ(messages_url("https://graph.facebook.com/v21.0", "106540352242922"),
              "https://graph.facebook.com/v21.0/106540352242922/messages");
    EXPECT_EQ(recipient_of("+16505551234"), "16505551234");
}

TEST_F(ChannelTest, StoppingAnswersWhatIsPending503SoMetaRetries) {
    if (!have_references()) GTEST_SKIP() << "no reference payloads";
    engine.defer = true;
    start();
    auto& pending = post_async(reference("01_inbound_text_message.json"));
    EXPECT_EQ(pending.status(), 0);
    stop();
    EXPECT_EQ(pending.status(), 503);
}

TEST_F(ChannelTest, MessagesWithoutAnIdAreNotTakenForRepeatsOfEachOther) {
    start();
    auto body = [](const std::string& text) {
        return R"({"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"106540352242922"},
            "messages":[{"from":"1","timestamp":"5","type":"text","text":{"body":")" + text + R"("}}]}}]}]})";
    };
    EXPECT_EQ(post(body("one")), 200);
    EXPECT_EQ(post(body("two")), 200);
    EXPECT_EQ(engine.of("inbound").size(), 2u);
}
