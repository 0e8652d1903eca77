// The plugin on the fake host: config, instances, routes, the GET handshake, sandbox.
#include "plugin_fixture.hpp"

using namespace wa_test;


TEST(WhatsAppDescriptor, IsAChannelWithItsSchema) {
    auto d = parley_plugin_entry_whatsapp();
    EXPECT_EQ(d->kind, PARLEY_KIND_CHANNEL);
    EXPECT_STREQ(d->id, "whatsapp");
    std::set<std::string> keys;
    for (size_t i = 0; i < d->config_count; ++i) keys.insert(d->config[i].key);
    EXPECT_EQ(keys, (std::set<std::string>{"graph_base_url", "api_version", "app_secret_env", "verify_token_env",
                                           "access_token_env", "phone_numbers", "body_limit", "send_rate_per_number",
                                           "recipient_min_interval_ms", "max_retries", "retry_base_ms", "templates",
                                           "media_dir", "window_hours"}));
}

TEST_F(PluginTest, RegistersItsRoutesTopicsAndCommand) {
    create();
    EXPECT_TRUE(host.has_route("GET", "/webhooks/whatsapp"));
    EXPECT_TRUE(host.has_route("POST", "/webhooks/whatsapp"));
    EXPECT_TRUE(host.has_route("GET", "/webhooks/whatsapp/stats"));
    EXPECT_TRUE(host.has_command("whatsapp.templates"));
    EXPECT_EQ(json::parse(host.call("whatsapp.templates", "{}")),
              json::parse(R"({"templates":[{"name":"hello_world","language":"en_US"}]})"));
    EXPECT_TRUE(logs_mention("channel ready: 1 business number(s), Graph API " + graph.url() + "/v21.0"));
}

// POST /webhooks/whatsapp is a concurrent route (it runs on the server's I/O threads):
// refusals are answered in the call, a notification goes to the core thread with
// Host::post, and nothing that is for the core thread only is called in between.
TEST_F(PluginTest, WebhookPostsAreCheckedOffTheCoreThreadAndCommittedOnIt) {
    create();
    EXPECT_TRUE(host.is_concurrent_route("POST", "/webhooks/whatsapp"));
    EXPECT_FALSE(host.is_concurrent_route("GET", "/webhooks/whatsapp"));
    host.run_posted();
    std::string body = R"({"entry":[{"changes":[{"field":"messages","value":{
        "metadata":{"phone_number_id":"106540352242922"},"contacts":[{"wa_id":"16505551234"}],
        "messages":[{"from":"16505551234","id":"wamid.C","timestamp":"5","type":"text","text":{"body":"hi"}}]}}]}]})";
    auto post = [&](const std::string& b, const std::string& signature) {
        return host.request("POST", "/webhooks/whatsapp", b, {{"X-Hub-Signature-256", signature}});
    };
    EXPECT_EQ(post(body, sign(body + " ")).status, 401);
    EXPECT_EQ(post("[1]", sign("[1]")).status, 400);
    EXPECT_EQ(host.run_posted(), 0);  // refusals need nothing of the core thread
    EXPECT_EQ(post(body, sign(body)).status, -1);
    EXPECT_TRUE(engine.submits.empty());  // claims and the engine are the core thread's
    EXPECT_EQ(host.late_answer().status, -1);
    EXPECT_EQ(host.run_posted(), 1);
    EXPECT_EQ(engine.of("inbound").size(), 1u);
    EXPECT_EQ(host.late_answer().status, 200);
    EXPECT_EQ(host.refused_calls(), 0);
    EXPECT_EQ(stats().at("webhooks_bad_signature"), 1);
    EXPECT_EQ(stats().at("webhooks_malformed"), 1);
    EXPECT_EQ(stats().at("webhooks_ok"), 1);
}

TEST_F(PluginTest, TenantInstancesRunNothing) {
    host.set_tenant("acme");
    create();
    EXPECT_FALSE(host.has_route("POST", "/webhooks/whatsapp"));
    EXPECT_FALSE(host.has_command("whatsapp.templates"));
}

TEST_F(PluginTest, BadSettingsAreRefusedWithTheKey) {
    host.set("phone_numbers", std::vector<std::string>{"15550783881"});
    EXPECT_THROW(
        try { create(); } catch (const std::exception& e) {
            EXPECT_NE(std::string(e.what()).find("plugins.whatsapp.phone_numbers"), std::string::npos) << e.what();
            throw;
        },
        std::runtime_error);
}

TEST_F(PluginTest, BadTemplatesAndRangesAreRefused) {
    host.set("templates", std::vector<std::string>{"no_language"});
    EXPECT_THROW(create(), std::runtime_error);
    host.set("templates", std::vector<std::string>{});
    host.set("send_rate_per_number", std::int64_t{0});
    EXPECT_THROW(create(), std::runtime_error);
}

TEST_F(PluginTest, HandshakeEchoesTheChallengeForTheRightToken) {
    create();
    auto ok = host.request("GET", "/webhooks/whatsapp", {}, {},
                           "hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=1158201444");
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.body, "1158201444");
    EXPECT_EQ(ok.content_type.rfind("text/plain", 0), 0u);
    auto encoded = host.request("GET", "/webhooks/whatsapp", {}, {},
                                "hub.challenge=42&hub.verify_token=test%2Dverify%2Dtoken&hub.mode=subscribe");
    EXPECT_EQ(encoded.status, 200);
    EXPECT_EQ(encoded.body, "42");
    for (std::string q : {"hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1",
                          "hub.mode=unsubscribe&hub.verify_token=test-verify-token&hub.challenge=1",
                          "hub.mode=subscribe&hub.verify_token=test-verify-token",
                          "hub.mode=subscribe&hub.verify_token=test-verify-token-and-more&hub.challenge=1", ""})
        EXPECT_EQ(host.request("GET", "/webhooks/whatsapp", {}, {}, q).status, 403) << q;
}

TEST_F(PluginTest, HandshakeIsRefusedWithoutAConfiguredToken) {
    ::unsetenv("WHATSAPP_VERIFY_TOKEN");
    create();
    EXPECT_EQ(host.request("GET", "/webhooks/whatsapp", {}, {}, "hub.mode=subscribe&hub.verify_token=&hub.challenge=1")
                  .status,
              403);
    EXPECT_TRUE(logs_mention("handshake will be refused"));
}

TEST_F(PluginTest, WithoutAnAppSecretItRunsTheSandbox) {
    ::unsetenv("WHATSAPP_APP_SECRET");
    host.set("phone_numbers", std::vector<std::string>{});
    engine.entry_numbers = {"+15550000000"};
    create();
    EXPECT_TRUE(logs_mention("sandbox mode"));
    EXPECT_TRUE(host.has_route("POST", "/sandbox/graph/v21.0/100000000000001/messages"));  // the stand-in
    EXPECT_EQ(host.request("GET", "/webhooks/whatsapp", {}, {},
                           "hub.mode=subscribe&hub.verify_token=sandbox-verify-token&hub.challenge=7")
                  .body,
              "7");
}
