#include "window.hpp"

#include <boost/json.hpp>

#include <gtest/gtest.h>

using namespace parley::whatsapp;
namespace json = boost::json;

namespace {

constexpr std::int64_t kHour = 3600 * 1000;
constexpr std::int64_t kNow = 1'750'000'000'000;

Settings settings() {
    Settings s;
    s.templates = {{"hello_world", "en_US"}, {"followup", "es"}};
    return s;
}

json::object send(std::int64_t last, std::string template_name = "", std::string language = "") {
    json::object o{{"tenant", "acme"}, {"interaction", "i-1"}, {"origin", "+15550783881"}, {"to", "+16505551234"},
                   {"text", "hi"}, {"last_customer_message_at", last}, {"now", kNow}};
    if (!template_name.empty()) o["template"] = template_name, o["language"] = language;
    return o;
}

}  // namespace

TEST(Window, FreeTextInsideTheWindow) {
    LastSeen seen;
    EXPECT_FALSE(check_send(send(kNow - kHour), settings(), seen));
    EXPECT_FALSE(check_send(send(kNow - 24 * kHour), settings(), seen));  // the last moment still counts
}

TEST(Window, FreeTextRefusedOutsideIt) {
    LastSeen seen;
    auto r = check_send(send(kNow - 24 * kHour - 1), settings(), seen);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->code, "outside_window");
    EXPECT_NE(r->message.find("24 hours"), std::string::npos);
    EXPECT_NE(r->message.find("template"), std::string::npos);
    EXPECT_TRUE(check_send(send(0), settings(), seen));  // the customer never wrote
}

TEST(Window, ConfiguredTemplatesGoOutsideIt) {
    LastSeen seen;
    EXPECT_FALSE(check_send(send(kNow - 48 * kHour, "hello_world", "en_US"), settings(), seen));
    EXPECT_FALSE(check_send(send(kNow - 48 * kHour, "followup", ""), settings(), seen));  // its configured language
    auto wrong_language = check_send(send(kNow - 48 * kHour, "hello_world", "de"), settings(), seen);
    ASSERT_TRUE(wrong_language);
    EXPECT_EQ(wrong_language->code, "unknown_template");
    EXPECT_EQ(check_send(send(kNow, "made_up", "en_US"), settings(), seen)->code, "unknown_template");
}

TEST(Window, TheChannelsOwnRecordOfTheCustomerCountsToo) {
    LastSeen seen;
    seen.saw("+15550783881", "+16505551234", kNow - kHour);
    EXPECT_FALSE(check_send(send(kNow - 30 * kHour), settings(), seen));
    seen.saw("+15550783881", "+16505551234", kNow - 50 * kHour);  // an older message does not move it back
    EXPECT_FALSE(check_send(send(kNow - 30 * kHour), settings(), seen));
    EXPECT_TRUE(check_send(send(kNow - 30 * kHour), settings(), LastSeen{}));
}

TEST(Window, HoursAreConfigurable) {
    auto s = settings();
    s.window = std::chrono::hours(2);
    LastSeen seen;
    EXPECT_FALSE(check_send(send(kNow - kHour), s, seen));
    EXPECT_EQ(check_send(send(kNow - 3 * kHour), s, seen)->message.find("more than 2 hours") != std::string::npos, true);
}

// Past LastSeen::kCustomersKept customers, those not heard from for a week are forgotten,
// and everyone who wrote within the week is kept.
TEST(Window, ManyCustomersKeepTheWeekAndForgetOlderOnes) {
    LastSeen seen;
    seen.saw("+15550783881", "+100", kNow - 8 * 24 * kHour);
    for (std::size_t i = 0; i < LastSeen::kCustomersKept + 10; ++i)
        seen.saw("+15550783881", "+2" + std::to_string(i), kNow + static_cast<std::int64_t>(i));
    EXPECT_EQ(seen.last("+15550783881", "+100"), 0);
    EXPECT_EQ(seen.last("+15550783881", "+20"), kNow);
    EXPECT_EQ(seen.last("+15550783881", "+2" + std::to_string(LastSeen::kCustomersKept + 9)),
              kNow + static_cast<std::int64_t>(LastSeen::kCustomersKept + 9));
}
