#include <parley/testing/fake_host.hpp>

#include <gtest/gtest.h>

extern "C" const parley_plugin_descriptor* parley_plugin_entry_transfer(void);

TEST(TransferPlugin, StartsWithItsDefaults) {
    parley::testing::FakeHost host;
    host.create(parley_plugin_entry_transfer());
    ASSERT_FALSE(host.logs().empty());
    EXPECT_EQ(host.logs().back().text, "transfer ready, on no answer: abandon");
}

TEST(TransferPlugin, RefusesAnUnknownNoAnswerPolicy) {
    parley::testing::FakeHost host;
    host.set("on_no_answer", std::string("retry-forever"));
    try {
        host.create(parley_plugin_entry_transfer());
        FAIL() << "created with a bad policy";
    } catch (const std::exception& e) {
        EXPECT_STREQ(e.what(), "create failed: on_no_answer must be \"abandon\" or \"requeue\", not \"retry-forever\"");
    }
}
