#include <parley/testing/fake_host.hpp>

#include <gtest/gtest.h>

extern "C" const parley_plugin_descriptor* parley_plugin_entry_wrapup(void);

TEST(WrapupPlugin, ReadsItsReasonsFromConfig) {
    parley::testing::FakeHost host;
    host.set("reasons", std::vector<std::string>{"Resolved", "Spam"});
    host.create(parley_plugin_entry_wrapup());
    EXPECT_EQ(host.logs().back().text, "wrap-up ready with 2 reasons");
}

TEST(WrapupPlugin, DefaultReasons) {
    parley::testing::FakeHost host;
    host.create(parley_plugin_entry_wrapup());
    EXPECT_EQ(host.logs().back().text, "wrap-up ready with 3 reasons");
}
