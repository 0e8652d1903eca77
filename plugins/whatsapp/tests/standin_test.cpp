// The Cloud API stand-in: its pure parts (webhook bodies against Meta's reference
// payloads, signatures, Graph errors, control parsing, faults) and its routes, driven
// through the SDK's fake host with a transport that records the webhooks.
#include "../src/standin/control.hpp"
#include "../src/standin/crypto.hpp"
#include "../src/standin/faults.hpp"
#include "../src/standin/graph_errors.hpp"
#include "../src/standin/http_util.hpp"
#include "../src/standin/media.hpp"
#include "../src/standin/standin.hpp"
#include "../src/standin/webhook_body.hpp"

#include <parley/testing/fake_host.hpp>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>

extern "C" const parley_plugin_descriptor* parley_plugin_entry_standin_test(void);

namespace {

namespace json = boost::json;
using namespace parley::whatsapp;
using namespace parley::whatsapp::standin;

// ---- Meta's reference payloads (shared/reference/whatsapp) ----------------------

constexpr const char* kInboundText = R"({
  "object": "whatsapp_business_account",
  "entry": [{"id": "102290129340398", "changes": [{"value": {
    "messaging_product": "whatsapp",
    "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
    "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": "16505551234"}],
    "messages": [{"from": "16505551234", "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
                  "timestamp": "1749416383", "type": "text", "text": {"body": "Does it come in another color?"}}]},
    "field": "messages"}]}]})";

constexpr const char* kStatusDelivered = R"({
  "object": "whatsapp_business_account",
  "entry": [{"id": "102290129340398", "changes": [{"value": {
    "messaging_product": "whatsapp",
    "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
    "statuses": [{"id": "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI3QTk0RjI4QzE2QkQ1QjY4NjcA", "status": "delivered",
                  "timestamp": "1749416502", "recipient_id": "16505551234",
                  "conversation": {"id": "7270432eae37498234f4444b35ffc5", "origin": {"type": "service"}},
                  "pricing": {"billable": false, "pricing_model": "PMP", "category": "service",
                              "type": "free_customer_service"}}]},
    "field": "messages"}]}]})";

constexpr const char* kInboundImage = R"({
  "object": "whatsapp_business_account",
  "entry": [{"id": "102290129340398", "changes": [{"value": {
    "messaging_product": "whatsapp",
    "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
    "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": "16505551234"}],
    "messages": [{"from": "16505551234", "id": "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUQ0RjM5RTk2QjE0QjYxRjc0RQA=",
                  "timestamp": "1749416720", "type": "image",
                  "image": {"caption": "This is the damaged one", "mime_type": "image/jpeg",
                            "sha256": "IuKXwL8NoBHH1IFfAc5F2Ej3GBkS9sBa8yF2BhJ0hNo=", "id": "1003383421387256",
                            "url": "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1003383421387256&source=webhook&ext=1749417020&hash=ARnq0Exampl3HashValue"}}]},
    "field": "messages"}]}]})";

constexpr const char* kButtonReply = R"({
  "object": "whatsapp_business_account",
  "entry": [{"id": "102290129340398", "changes": [{"value": {
    "messaging_product": "whatsapp",
    "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
    "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": "16505551234"}],
    "messages": [{"context": {"from": "15550783881", "id": "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI3QTk0RjI4QzE2QkQ1QjY4NjcA"},
                  "from": "16505551234", "id": "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUI3RDEwMkU0QkUxRjg5MjlEOQA=",
                  "timestamp": "1749416900", "type": "interactive",
                  "interactive": {"type": "button_reply",
                                  "button_reply": {"id": "talk_to_agent", "title": "Talk to an agent"}}}]},
    "field": "messages"}]}]})";

constexpr const char* kError131047 = R"({"error": {"message": "(#131047) Re-engagement message",
  "type": "OAuthException", "code": 131047,
  "error_data": {"messaging_product": "whatsapp",
                 "details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number."},
  "fbtrace_id": "AH-Bv9JhFkPNcgNtFoEib-z"}})";

constexpr const char* kError190 = R"({"error": {
  "message": "Error validating access token: Session has expired on Tuesday, 10-Jun-25 09:00:00 PDT.",
  "type": "OAuthException", "code": 190, "error_subcode": 463, "fbtrace_id": "AbCdEfGhIjKlMnOpQrStUv"}})";

const Business kReferenceBusiness{"102290129340398", "15550783881", "106540352242922"};

// Same keys, same values, same order.
std::string canonical(std::string_view text) { return json::serialize(json::parse(text)); }

// ---- webhook bodies ------------------------------------------------------------------

TEST(StandInWebhookBody, TextMessageIsTheReferenceShape) {
    InboundMessage m{"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", "16505551234", "Sheena Nelson",
                     "1749416383", "text", {{"body", "Does it come in another color?"}}, std::nullopt};
    EXPECT_EQ(webhook_message_body(kReferenceBusiness, m), canonical(kInboundText));
}

TEST(StandInWebhookBody, ImageMessageIsTheReferenceShape) {
    InboundMessage m{"wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUQ0RjM5RTk2QjE0QjYxRjc0RQA=",
                     "16505551234",
                     "Sheena Nelson",
                     "1749416720",
                     "image",
                     {{"caption", "This is the damaged one"},
                      {"mime_type", "image/jpeg"},
                      {"sha256", "IuKXwL8NoBHH1IFfAc5F2Ej3GBkS9sBa8yF2BhJ0hNo="},
                      {"id", "1003383421387256"},
                      {"url", "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1003383421387256&source="
                              "webhook&ext=1749417020&hash=ARnq0Exampl3HashValue"}},
                     std::nullopt};
    EXPECT_EQ(webhook_message_body(kReferenceBusiness, m), canonical(kInboundImage));
}

TEST(StandInWebhookBody, ButtonReplyCarriesItsContext) {
    InboundMessage m{"wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUI3RDEwMkU0QkUxRjg5MjlEOQA=",
                     "16505551234",
                     "Sheena Nelson",
                     "1749416900",
                     "interactive",
                     {{"type", "button_reply"},
                      {"button_reply", json::object{{"id", "talk_to_agent"}, {"title", "Talk to an agent"}}}},
                     "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI3QTk0RjI4QzE2QkQ1QjY4NjcA"};
    EXPECT_EQ(webhook_message_body(kReferenceBusiness, m), canonical(kButtonReply));
}

TEST(StandInWebhookBody, DeliveredStatusIsTheReferenceShape) {
    StatusUpdate s{"wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI3QTk0RjI4QzE2QkQ1QjY4NjcA",
                   "delivered",
                   "1749416502",
                   "16505551234",
                   "7270432eae37498234f4444b35ffc5",
                   "service",
                   std::nullopt};
    EXPECT_EQ(webhook_status_body(kReferenceBusiness, s), canonical(kStatusDelivered));
}

TEST(StandInWebhookBody, FailedStatusCarriesErrorsAndNoPricing) {
    StatusUpdate s{"wamid.X", "failed", "1749416502", "16505551234", "c1", "service",
                   status_error(*error_info(131047))};
    auto v = json::parse(webhook_status_body(kReferenceBusiness, s));
    auto& status = v.at_pointer("/entry/0/changes/0/value/statuses/0").as_object();
    EXPECT_FALSE(status.contains("pricing"));
    EXPECT_FALSE(status.contains("conversation"));
    EXPECT_EQ(status.at("errors").at(0).at("code"), 131047);
    EXPECT_EQ(status.at("errors").at(0).at("title"), "Re-engagement message");
    EXPECT_TRUE(status.at("errors").at(0).at("error_data").as_object().contains("details"));
}

TEST(StandInWebhookBody, ReadStatusHasNoPricing) {
    StatusUpdate s{"wamid.X", "read", "1749416502", "16505551234", "c1", "service", std::nullopt};
    auto v = json::parse(webhook_status_body(kReferenceBusiness, s));
    EXPECT_FALSE(v.at_pointer("/entry/0/changes/0/value/statuses/0").as_object().contains("pricing"));
}

// ---- signatures and digests -----------------------------------------------------------

TEST(StandInCrypto, HmacSha256MatchesRfc4231) {
    EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(StandInCrypto, SignatureHeaderIsSha256EqualsHex) {
    EXPECT_EQ(signature_header("Jefe", "what do ya want for nothing?"),
              "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(StandInCrypto, Sha256HexAndBase64) {
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_base64("abc"), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}

TEST(StandInMedia, SamplePngIsAPng) {
    auto png = sample_png();
    ASSERT_GT(png.size(), 8u);
    EXPECT_EQ(png.substr(0, 8), std::string_view("\x89PNG\r\n\x1a\n", 8));
    EXPECT_EQ(png.substr(png.size() - 8, 4), "IEND");
}

// ---- Graph errors --------------------------------------------------------------------

json::object without_trace(std::string_view body) {
    auto v = json::parse(body);
    v.as_object()["error"].as_object().erase("fbtrace_id");
    return v.as_object();
}

TEST(StandInGraphErrors, ReEngagementIsTheReference) {
    auto a = graph_error(*error_info(131047), "AH-Bv9JhFkPNcgNtFoEib-z");
    EXPECT_EQ(a.status, 400);
    EXPECT_EQ(a.body, canonical(kError131047));
}

TEST(StandInGraphErrors, ExpiredTokenIsTheReferenceWith401) {
    auto a = graph_error(*error_info(190), "AbCdEfGhIjKlMnOpQrStUv");
    EXPECT_EQ(a.status, 401);
    EXPECT_EQ(a.body, canonical(kError190));
}

TEST(StandInGraphErrors, RateLimitIsWhatMetaSends) {
    auto a = graph_error(*error_info(130429), "T");
    EXPECT_EQ(a.status, 400);
    auto e = json::parse(a.body).at("error");
    EXPECT_EQ(e.at("message"), "(#130429) Rate limit hit");
    EXPECT_EQ(e.at("type"), "OAuthException");
    EXPECT_EQ(e.at("code"), 130429);
    EXPECT_EQ(e.at("error_data").at("messaging_product"), "whatsapp");
}

TEST(StandInGraphErrors, ServerErrorsAlternate500And503) {
    EXPECT_EQ(server_error(0, "T").status, 500);
    EXPECT_EQ(json::parse(server_error(0, "T").body).at_pointer("/error/code"), 131000);
    EXPECT_EQ(server_error(1, "T").status, 503);
    EXPECT_EQ(json::parse(server_error(1, "T").body).at_pointer("/error/code"), 131016);
}

TEST(StandInGraphErrors, BadTokenIs401Code190) {
    auto a = invalid_token("T");
    EXPECT_EQ(a.status, 401);
    EXPECT_EQ(json::parse(a.body).at_pointer("/error/code"), 190);
}

// ---- control parsing -------------------------------------------------------------------

ControlChange parsed(std::string_view body) {
    auto r = parse_control(body);
    if (auto* e = std::get_if<std::string>(&r)) ADD_FAILURE() << body << ": " << *e;
    return std::get_if<ControlChange>(&r) ? std::get<ControlChange>(r) : ControlChange{};
}

std::string refusal(std::string_view body) {
    auto r = parse_control(body);
    return std::get_if<std::string>(&r) ? std::get<std::string>(r) : "";
}

TEST(StandInControl, ParsesEveryControl) {
    auto c = parsed(R"({"duplicate": 2, "reorder": 3, "delay_ms": 150, "http_5xx": 4, "auto_read": true})");
    EXPECT_EQ(c.duplicate, 2);
    EXPECT_EQ(c.reorder, 3);
    EXPECT_EQ(c.delay_ms, 150);
    EXPECT_EQ(c.http_5xx, 4);
    EXPECT_EQ(c.auto_read, true);
    EXPECT_FALSE(c.error);
    EXPECT_FALSE(c.reset);
}

TEST(StandInControl, ReorderTrueIsABatchOfTwo) {
    EXPECT_EQ(parsed(R"({"reorder": true})").reorder, 2);
    EXPECT_EQ(parsed(R"({"reorder": false})").reorder, 0);
}

TEST(StandInControl, ErrorWithCountAndDefaults) {
    auto c = parsed(R"({"error": 131047, "count": 3})");
    ASSERT_TRUE(c.error);
    EXPECT_EQ(c.error->code, 131047);
    EXPECT_EQ(c.error->count, 3);
    EXPECT_FALSE(c.error->after_accept);
    EXPECT_EQ(parsed(R"({"error": 190})").error->count, 1);
    EXPECT_TRUE(parsed(R"({"error": 131026})").error->after_accept);
    EXPECT_TRUE(parsed(R"({"error": 131047, "after_accept": true})").error->after_accept);
}

TEST(StandInControl, Reset) { EXPECT_TRUE(parsed(R"({"reset": true})").reset); }

TEST(StandInControl, RefusesWhatItDoesNotKnow) {
    EXPECT_EQ(refusal("[]"), "the body must be a JSON object");
    EXPECT_EQ(refusal("{"), "the body must be a JSON object");
    EXPECT_EQ(refusal(R"({"duplicates": 1})"), "unknown control 'duplicates'");
    EXPECT_EQ(refusal(R"({"duplicate": -1})"), "'duplicate' must be an integer from 0 to 1000000");
    EXPECT_EQ(refusal(R"({"duplicate": "2"})"), "'duplicate' must be an integer from 0 to 1000000");
    EXPECT_EQ(refusal(R"({"delay_ms": 60001})"), "'delay_ms' must be an integer from 0 to 60000");
    EXPECT_NE(refusal(R"({"error": 131000})").find("not one the stand-in injects"), std::string::npos);
    EXPECT_EQ(refusal(R"({"count": 2})"), "'count' and 'after_accept' go with 'error'");
    EXPECT_EQ(refusal(R"({"error": 190, "after_accept": true})"), "error 190 (token) is always answered at once");
    EXPECT_EQ(refusal(R"({"reset": 1})"), "'reset' must be true or false");
}

// ---- faults ------------------------------------------------------------------------------

TEST(StandInFaults, ServerErrorsFirstThenGraphErrorsThenNothing) {
    Faults f;
    f.apply(parsed(R"({"http_5xx": 2, "error": 130429, "count": 1})"));
    auto a = f.take_send_fault();
    auto b = f.take_send_fault();
    auto c = f.take_send_fault();
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(a->kind, SendFault::Kind::server_error);
    EXPECT_EQ(a->nth, 0);
    EXPECT_EQ(b->nth, 1);
    EXPECT_EQ(c->kind, SendFault::Kind::graph_error);
    EXPECT_EQ(c->code, 130429);
    EXPECT_FALSE(f.take_send_fault());
}

TEST(StandInFaults, DuplicatesAreCounted) {
    Faults f;
    f.apply(parsed(R"({"duplicate": 1})"));
    EXPECT_EQ(f.take_copies(), 2);
    EXPECT_EQ(f.take_copies(), 1);
}

TEST(StandInFaults, ResetClearsEverything) {
    Faults f;
    f.apply(parsed(R"({"duplicate": 3, "delay_ms": 10, "error": 131047, "count": 5, "auto_read": true})"));
    f.apply(parsed(R"({"reset": true})"));
    EXPECT_EQ(f.take_copies(), 1);
    EXPECT_EQ(f.delay_ms(), 0);
    EXPECT_FALSE(f.auto_read());
    EXPECT_FALSE(f.take_send_fault());
}

// ---- small helpers ---------------------------------------------------------------------

TEST(StandInHttpUtil, NumbersAndQueries) {
    EXPECT_EQ(wa_id_of("+447700900123"), "447700900123");
    EXPECT_EQ(wa_id_of(" 447700900123"), "447700900123");
    EXPECT_EQ(wa_id_of("447700900123"), "447700900123");
    EXPECT_FALSE(wa_id_of("+0447700900"));
    EXPECT_FALSE(wa_id_of("+44 7700 900123"));
    EXPECT_FALSE(wa_id_of("+123"));
    EXPECT_EQ(query_param("from=%2B447700900123&seen=1", "from"), "+447700900123");
    EXPECT_EQ(query_param("from=%2B447700900123&seen=1", "seen"), "1");
    EXPECT_FALSE(query_param("from=1", "seen"));
    EXPECT_EQ(url_encode("a b+c"), "a%20b%2Bc");
}

// ---- the routes, through the fake host ----------------------------------------------------

// Every request the stand-in made, in the order made.
struct Recorder {
    std::mutex mutex;
    std::vector<OutgoingRequest> requests;
    int answer_status = 200;

    HttpAnswer send(const OutgoingRequest& r) {
        std::lock_guard lock(mutex);
        requests.push_back(r);
        auto q = r.url.find("hub.challenge=");
        if (q != std::string::npos) return {200, r.url.substr(q + 14, r.url.find('&', q) - q - 14), ""};
        return {answer_status, "", ""};
    }
    // The POSTed webhooks (not the verify GET), once `n` have arrived (or after 5 s).
    std::vector<OutgoingRequest> webhooks(std::size_t n) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (true) {
            std::vector<OutgoingRequest> out;
            {
                std::lock_guard lock(mutex);
                for (auto& r : requests)
                    if (r.method == "POST") out.push_back(r);
            }
            if (out.size() >= n || std::chrono::steady_clock::now() > deadline) return out;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
};

Recorder* g_recorder = nullptr;

constexpr const char* kSecret = "test-app-secret";

struct Harness {
    Harness(parley::Host& host, const parley::Config&)
        : standin(host, StandInOptions{kSecret, "verify-me", "106540352242922", "+15550783881", "v21.0"},
                  [](const OutgoingRequest& r, const std::atomic<bool>&) { return g_recorder->send(r); }) {}
    StandIn standin;
};

std::string header(const OutgoingRequest& r, std::string_view name) {
    for (auto& [k, v] : r.headers)
        if (k == name) return v;
    return "";
}

const std::string kMessages = "/sandbox/graph/v21.0/106540352242922/messages";
const std::vector<std::pair<std::string, std::string>> kBearer = {{"Authorization", "Bearer sandbox-access-token"}};

class StandInRoutes : public ::testing::Test {
protected:
    void SetUp() override {
        g_recorder = &recorder;
        host.set_server_url("http://127.0.0.1:8080");
        host.create(parley_plugin_entry_standin_test());
    }
    void TearDown() override {
        host.destroy();
        g_recorder = nullptr;
    }
    parley::testing::FakeHost::HttpResult customer(std::string body) {
        return host.request("POST", "/sandbox/api/customer/send", body);
    }
    parley::testing::FakeHost::HttpResult control(std::string body) {
        return host.request("POST", "/sandbox/control", body);
    }
    parley::testing::FakeHost::HttpResult send_text(std::string text) {
        return host.request("POST", kMessages,
                            R"({"messaging_product":"whatsapp","recipient_type":"individual","to":"447700900123",)"
                            R"("type":"text","text":{"preview_url":false,"body":")" + text + R"("}})",
                            kBearer);
    }
    json::value state() { return json::parse(host.request("GET", "/sandbox/state").body); }

    Recorder recorder;
    parley::testing::FakeHost host;
};

TEST_F(StandInRoutes, RegistersItsRoutes) {
    EXPECT_TRUE(host.has_route("POST", kMessages));
    EXPECT_TRUE(host.has_route("GET", "/sandbox/media"));
    EXPECT_TRUE(host.has_route("POST", "/sandbox/api/customer/send"));
    EXPECT_TRUE(host.has_route("GET", "/sandbox/api/customer/messages"));
    EXPECT_TRUE(host.has_route("POST", "/sandbox/control"));
    EXPECT_TRUE(host.has_route("GET", "/sandbox/state"));
}

TEST_F(StandInRoutes, CustomerMessageIsASignedWebhook) {
    auto r = customer(R"({"from":"+447700900123","name":"Maria","text":"Hello"})");
    ASSERT_EQ(r.status, 200) << r.body;
    auto hooks = recorder.webhooks(1);
    ASSERT_EQ(hooks.size(), 1u);
    EXPECT_EQ(hooks[0].url, "http://127.0.0.1:8080/webhooks/whatsapp");
    EXPECT_EQ(header(hooks[0], "X-Hub-Signature-256"), signature_header(kSecret, hooks[0].body));
    auto v = json::parse(hooks[0].body);
    EXPECT_EQ(v.at_pointer("/entry/0/changes/0/value/metadata/display_phone_number"), "15550783881");
    EXPECT_EQ(v.at_pointer("/entry/0/changes/0/value/metadata/phone_number_id"), "106540352242922");
    EXPECT_EQ(v.at_pointer("/entry/0/changes/0/value/contacts/0/profile/name"), "Maria");
    EXPECT_EQ(v.at_pointer("/entry/0/changes/0/value/messages/0/from"), "447700900123");
    EXPECT_EQ(v.at_pointer("/entry/0/changes/0/value/messages/0/text/body"), "Hello");
    EXPECT_EQ(v.at_pointer("/entry/0/changes/0/value/messages/0/id"), json::parse(r.body).at("id"));
}

TEST_F(StandInRoutes, VerifiesTheSubscriptionFirst) {
    customer(R"({"from":"+447700900123","text":"Hello"})");
    recorder.webhooks(1);
    std::lock_guard lock(recorder.mutex);
    ASSERT_GE(recorder.requests.size(), 2u);
    EXPECT_EQ(recorder.requests[0].method, "GET");
    EXPECT_NE(recorder.requests[0].url.find("/webhooks/whatsapp?hub.mode=subscribe&hub.challenge="), std::string::npos);
    EXPECT_NE(recorder.requests[0].url.find("&hub.verify_token=verify-me"), std::string::npos);
}

TEST_F(StandInRoutes, SendWithoutTheTokenIs401Code190) {
    auto r = host.request("POST", kMessages, R"({"messaging_product":"whatsapp","to":"447700900123","text":{"body":"x"}})");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(json::parse(r.body).at_pointer("/error/code"), 190);
}

TEST_F(StandInRoutes, SendAnswersLikeMetaThenReportsSentAndDelivered) {
    auto r = send_text("Hi Maria");
    ASSERT_EQ(r.status, 200) << r.body;
    auto v = json::parse(r.body);
    EXPECT_EQ(v.at("messaging_product"), "whatsapp");
    EXPECT_EQ(v.at_pointer("/contacts/0/input"), "447700900123");
    EXPECT_EQ(v.at_pointer("/contacts/0/wa_id"), "447700900123");
    std::string wamid(v.at_pointer("/messages/0/id").as_string());
    EXPECT_EQ(wamid.rfind("wamid.", 0), 0u);
    auto hooks = recorder.webhooks(2);
    ASSERT_EQ(hooks.size(), 2u);
    auto s0 = json::parse(hooks[0].body).at_pointer("/entry/0/changes/0/value/statuses/0");
    auto s1 = json::parse(hooks[1].body).at_pointer("/entry/0/changes/0/value/statuses/0");
    EXPECT_EQ(s0.at("id"), json::value(wamid));
    EXPECT_EQ(s0.at("status"), "sent");
    EXPECT_EQ(s1.at("status"), "delivered");
    EXPECT_EQ(s1.at("recipient_id"), "447700900123");
    auto sent = state().at("sent").as_array();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].at("wamid"), json::value(wamid));
    EXPECT_EQ(sent[0].at_pointer("/body/text/body"), "Hi Maria");
    EXPECT_FALSE(sent[0].at("headers").as_object().contains("Authorization"));
}

TEST_F(StandInRoutes, CustomerSeesTheReplyAndReadsIt) {
    customer(R"({"from":"+447700900123","name":"Maria","text":"Hello"})");
    send_text("Hi Maria");
    auto peek = json::parse(host.request("GET", "/sandbox/api/customer/messages", "", {}, "from=%2B447700900123").body);
    ASSERT_EQ(peek.at("messages").as_array().size(), 2u);
    EXPECT_EQ(peek.at_pointer("/messages/1/from"), "business");
    EXPECT_EQ(peek.at_pointer("/messages/1/text"), "Hi Maria");
    EXPECT_EQ(peek.at_pointer("/messages/1/status"), "delivered");
    auto seen = json::parse(
        host.request("GET", "/sandbox/api/customer/messages", "", {}, "from=%2B447700900123&seen=1").body);
    EXPECT_EQ(seen.at_pointer("/messages/1/status"), "read");
    auto hooks = recorder.webhooks(4);  // message, sent, delivered, read
    ASSERT_EQ(hooks.size(), 4u);
    EXPECT_EQ(json::parse(hooks[3].body).at_pointer("/entry/0/changes/0/value/statuses/0/status"), "read");
}

TEST_F(StandInRoutes, MarkReadAnswersSuccessAndTicksTheCustomerMessage) {
    auto id = json::parse(customer(R"({"from":"+447700900123","text":"Hello"})").body).at("id");
    std::string body = R"({"messaging_product":"whatsapp","status":"read","message_id":)" + json::serialize(id) + "}";
    auto r = host.request("POST", kMessages, body, kBearer);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"success":true})");
    EXPECT_EQ(state().at("mark_reads").as_array().size(), 1u);
    auto chat = json::parse(host.request("GET", "/sandbox/api/customer/messages", "", {}, "from=447700900123").body);
    EXPECT_EQ(chat.at_pointer("/messages/0/status"), "read");
}

TEST_F(StandInRoutes, InjectedErrorsAnswerInTheWireFormat) {
    ASSERT_EQ(control(R"({"error": 131047, "count": 1})").status, 200);
    auto r = send_text("late");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(without_trace(r.body), without_trace(kError131047));
    EXPECT_EQ(send_text("fine").status, 200);
    control(R"({"error": 190})");
    EXPECT_EQ(send_text("token").status, 401);
    control(R"({"error": 130429})");
    EXPECT_EQ(json::parse(send_text("fast").body).at_pointer("/error/code"), 130429);
}

TEST_F(StandInRoutes, ServerErrorBursts) {
    control(R"({"http_5xx": 2})");
    EXPECT_EQ(send_text("a").status, 500);
    EXPECT_EQ(send_text("b").status, 503);
    EXPECT_EQ(send_text("c").status, 200);
}

TEST_F(StandInRoutes, ErrorAfterAcceptIsAFailedStatus) {
    control(R"({"error": 131047, "after_accept": true})");
    auto r = send_text("late");
    ASSERT_EQ(r.status, 200);
    auto hooks = recorder.webhooks(1);
    ASSERT_EQ(hooks.size(), 1u);
    auto s = json::parse(hooks[0].body).at_pointer("/entry/0/changes/0/value/statuses/0");
    EXPECT_EQ(s.at("status"), "failed");
    EXPECT_EQ(s.at_pointer("/errors/0/code"), 131047);
}

TEST_F(StandInRoutes, DuplicateDeliversTwice) {
    control(R"({"duplicate": 1})");
    customer(R"({"from":"+447700900123","text":"once"})");
    customer(R"({"from":"+447700900123","text":"twice?"})");
    auto hooks = recorder.webhooks(3);
    ASSERT_EQ(hooks.size(), 3u);
    EXPECT_EQ(hooks[0].body, hooks[1].body);
    EXPECT_NE(hooks[1].body, hooks[2].body);
}

TEST_F(StandInRoutes, ReorderDeliversTheBatchReversed) {
    control(R"({"reorder": 2})");
    auto first = json::parse(customer(R"({"from":"+447700900123","text":"first"})").body);
    EXPECT_EQ(first.at("status"), "held");
    EXPECT_TRUE(recorder.webhooks(0).empty());
    customer(R"({"from":"+447700900123","text":"second"})");
    customer(R"({"from":"+447700900123","text":"third"})");
    auto hooks = recorder.webhooks(3);
    ASSERT_EQ(hooks.size(), 3u);
    auto text = [](const OutgoingRequest& r) {
        return json::parse(r.body).at_pointer("/entry/0/changes/0/value/messages/0/text/body");
    };
    EXPECT_EQ(text(hooks[0]), "second");
    EXPECT_EQ(text(hooks[1]), "first");
    EXPECT_EQ(text(hooks[2]), "third");
}

TEST_F(StandInRoutes, RetriesUntilParleyAnswers200) {
    recorder.answer_status = 503;
    customer(R"({"from":"+447700900123","text":"retry me"})");
    recorder.webhooks(2);
    recorder.answer_status = 200;
    auto hooks = recorder.webhooks(3);
    EXPECT_GE(hooks.size(), 3u);
    EXPECT_EQ(hooks[0].body, hooks.back().body);
}

TEST_F(StandInRoutes, ImageIsDownloadableInTwoSteps) {
    customer(R"({"from":"+447700900123","type":"image","caption":"broken"})");
    auto hooks = recorder.webhooks(1);
    ASSERT_EQ(hooks.size(), 1u);
    auto image = json::parse(hooks[0].body).at_pointer("/entry/0/changes/0/value/messages/0/image");
    std::string id(image.at("id").as_string());
    EXPECT_EQ(image.at("caption"), "broken");
    EXPECT_EQ(image.at("sha256"), json::value(sha256_base64(sample_png())));
    EXPECT_EQ(host.request("GET", "/sandbox/graph/v21.0/" + id).status, 401);
    auto step1 = host.request("GET", "/sandbox/graph/v21.0/" + id, "", kBearer);
    ASSERT_EQ(step1.status, 200);
    auto meta = json::parse(step1.body);
    EXPECT_EQ(meta.at("url"), json::value("http://127.0.0.1:8080/sandbox/media?mid=" + id));
    EXPECT_EQ(meta.at("mime_type"), "image/png");
    EXPECT_EQ(meta.at("sha256"), json::value(sha256_hex(sample_png())));
    EXPECT_EQ(meta.at("file_size"), json::value(sample_png().size()));
    EXPECT_EQ(meta.at("id"), json::value(id));
    auto step2 = host.request("GET", "/sandbox/media", "", kBearer, "mid=" + id);
    EXPECT_EQ(step2.status, 200);
    EXPECT_EQ(step2.content_type, "image/png");
    EXPECT_EQ(step2.body, sample_png());
}

TEST_F(StandInRoutes, ButtonReplyRefersToTheLastReply) {
    send_text("Pick one");
    auto wamid = json::parse(host.request("GET", "/sandbox/state").body).at_pointer("/sent/0/wamid");
    customer(R"({"from":"+447700900123","type":"button","id":"talk_to_agent","title":"Talk to an agent"})");
    auto hooks = recorder.webhooks(4);  // sent, delivered, read (the customer has the chat open), the reply
    ASSERT_EQ(hooks.size(), 4u);
    auto m = json::parse(hooks[3].body).at_pointer("/entry/0/changes/0/value/messages/0");
    EXPECT_EQ(m.at("type"), "interactive");
    EXPECT_EQ(m.at_pointer("/context/id"), wamid);
    EXPECT_EQ(m.at_pointer("/interactive/button_reply/id"), "talk_to_agent");
}

TEST_F(StandInRoutes, BadRequestsAre400) {
    EXPECT_EQ(customer(R"({"from":"nobody","text":"x"})").status, 400);
    EXPECT_EQ(customer(R"({"from":"+447700900123","text":""})").status, 400);
    EXPECT_EQ(customer(R"({"from":"+447700900123","type":"video"})").status, 400);
    EXPECT_EQ(control(R"({"nope": 1})").status, 400);
    auto r = host.request("POST", kMessages, R"({"messaging_product":"whatsapp","to":"447700900123","type":"text"})",
                          kBearer);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(json::parse(r.body).at_pointer("/error/code"), 100);
}

}  // namespace

PARLEY_PLUGIN(standin_test, Harness, "0.1.0", PARLEY_KIND_CHANNEL, "stand-in test harness", nullptr, nullptr)
