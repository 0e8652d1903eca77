#include <parley/testing/fake_host.hpp>

#include <gtest/gtest.h>

extern "C" const parley_plugin_descriptor* parley_plugin_entry_whatsapp(void);

TEST(WhatsAppPlugin, IsAChannelAndUsesTheConfiguredGraphApi) {
    auto d = parley_plugin_entry_whatsapp();
    EXPECT_EQ(d->kind, PARLEY_KIND_CHANNEL);
    parley::testing::FakeHost host;
    host.set("graph_base_url", std::string("http://127.0.0.1:9999"));
    host.create(d);
    EXPECT_EQ(host.logs().back().text, "channel ready, Graph API http://127.0.0.1:9999/v21.0");
}
