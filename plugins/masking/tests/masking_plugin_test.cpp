#include <parley/testing/fake_host.hpp>

#include <gtest/gtest.h>

extern "C" const parley_plugin_descriptor* parley_plugin_entry_masking(void);

TEST(MaskingPlugin, OffUnlessTheTenantTurnsItOn) {
    parley::testing::FakeHost off;
    off.create(parley_plugin_entry_masking());
    EXPECT_EQ(off.logs().back().text, "masking disabled");

    parley::testing::FakeHost on;
    on.set_tenant("acme");
    on.set("enabled", true);
    on.create(parley_plugin_entry_masking());
    EXPECT_EQ(on.logs().back().text, "masking enabled for tenant acme");
}
