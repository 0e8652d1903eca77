#include "test_support.hpp"

#include "inbound.hpp"
#include "notification.hpp"

#include <boost/json.hpp>

#include <gtest/gtest.h>

using namespace parley::whatsapp;
namespace json = boost::json;

namespace {

// A notification with one change for 106540352242922 carrying `messages` (and contacts).
std::string notification(const std::string& messages, const std::string& contacts =
                                                           R"([{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}])") {
    return R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
        "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
        "contacts":)" + contacts + R"(,"messages":)" + messages + "}}]}]}";
}

json::object only_args(const std::string& body) {
    auto n = parse_notification(body);
    EXPECT_TRUE(n);
    EXPECT_EQ(n->changes.size(), 1u);
    EXPECT_EQ(n->changes[0].messages.size(), 1u);
    return inbound_args(n->changes[0].messages[0], "+15550783881");
}

std::string message(const std::string& type, const std::string& content, const std::string& extra = "") {
    return R"([{"from":"16505551234","id":"wamid.X","timestamp":"1749416383","type":")" + type + "\"," + content +
           extra + "}]";
}

json::object attachment(const json::object& args) { return args.at("attachment").as_object(); }

}  // namespace

TEST(Inbound, ReferenceText) {
    if (!wa_test::have_references()) GTEST_SKIP() << "no reference payloads";
    auto args = only_args(wa_test::reference("01_inbound_text_message.json"));
    EXPECT_EQ(args, (json::object{{"channel", "whatsapp"},
                                  {"origin", "+15550783881"},
                                  {"customer_number", "+16505551234"},
                                  {"customer_name", "Sheena Nelson"},
                                  {"text", "Does it come in another color?"},
                                  {"channel_message_id", "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="},
                                  {"kind", "text"},
                                  {"time_ms", 1749416383000}}));
}

TEST(Inbound, ReferenceImageNeedsItsMedia) {
    if (!wa_test::have_references()) GTEST_SKIP() << "no reference payloads";
    auto n = parse_notification(wa_test::reference("04_inbound_image_message.json"));
    auto& m = n->changes[0].messages[0];
    auto media = media_of(m);
    ASSERT_TRUE(media);
    EXPECT_EQ(media->id, "1003383421387256");
    EXPECT_EQ(media->kind, "image");
    EXPECT_EQ(media->mime_type, "image/jpeg");
    auto args = inbound_args(m, "+15550783881");
    EXPECT_EQ(args.at("kind"), "image");
    EXPECT_EQ(args.at("text"), "This is the damaged one");
    EXPECT_EQ(attachment(args).at("caption"), "This is the damaged one");
    EXPECT_EQ(attachment(args).at("media_id"), "1003383421387256");
    attach_media(args, {true, false, "f.jpg", "/media/whatsapp/f.jpg", "image/jpeg", 1234, "", ""});
    EXPECT_EQ(attachment(args).at("url"), "/media/whatsapp/f.jpg");
    EXPECT_EQ(attachment(args).at("size"), 1234);
}

TEST(Inbound, ReferenceButtonReply) {
    if (!wa_test::have_references()) GTEST_SKIP() << "no reference payloads";
    auto args = only_args(wa_test::reference("05_inbound_interactive_button_reply.json"));
    EXPECT_EQ(args.at("kind"), "reply");
    EXPECT_EQ(args.at("text"), "Talk to an agent");
    EXPECT_EQ(attachment(args), (json::object{{"type", "button_reply"},
                                              {"id", "talk_to_agent"},
                                              {"title", "Talk to an agent"},
                                              {"reply_to", "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI3QTk0RjI4QzE2QkQ1QjY4NjcA"}}));
}

TEST(Inbound, ReferenceStatus) {
    if (!wa_test::have_references()) GTEST_SKIP() << "no reference payloads";
    auto n = parse_notification(wa_test::reference("02_status_delivered.json"));
    ASSERT_EQ(n->changes.size(), 1u);
    EXPECT_EQ(n->changes[0].phone_number_id, "106540352242922");
    ASSERT_EQ(n->changes[0].statuses.size(), 1u);
    EXPECT_EQ(n->changes[0].statuses[0].id, "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI3QTk0RjI4QzE2QkQ1QjY4NjcA");
    EXPECT_EQ(n->changes[0].statuses[0].status, "delivered");
    EXPECT_EQ(n->changes[0].statuses[0].error, "");
}

TEST(Inbound, FailedStatusCarriesCodeAndReason) {
    auto n = parse_notification(R"({"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"1"},
        "statuses":[{"id":"wamid.A","status":"failed","errors":[{"code":131026,"title":"Message undeliverable",
        "error_data":{"details":"Unable to deliver"}}]}]}}]}]})");
    EXPECT_EQ(n->changes[0].statuses[0].error, "131026: Message undeliverable: Unable to deliver");
}

TEST(Inbound, MediaKinds) {
    for (std::string kind : {"video", "audio", "document", "sticker"}) {
        auto args = only_args(notification(message(kind, "\"" + kind + R"(":{"id":"77","mime_type":"application/pdf","filename":"bill.pdf"})")));
        EXPECT_EQ(args.at("kind"), json::value(kind));
        EXPECT_EQ(attachment(args).at("media_id"), "77");
        EXPECT_FALSE(args.at("text").as_string().empty()) << kind;  // a label when there is no caption
    }
    auto doc = only_args(notification(message("document", R"("document":{"id":"7","filename":"bill.pdf"})")));
    EXPECT_EQ(doc.at("text"), "Document: bill.pdf");
    auto voice = only_args(notification(message("audio", R"("audio":{"id":"7","voice":true})")));
    EXPECT_EQ(voice.at("text"), "Voice message");
    EXPECT_EQ(attachment(voice).at("voice"), true);
    auto args = only_args(notification(message("sticker", R"("sticker":{"id":"7"})")));
    attach_media(args, {false, false, {}, {}, {}, 0, "100: invalid parameter", {}});
    EXPECT_EQ(attachment(args).at("error"), "the sticker could not be downloaded: 100: invalid parameter");
}

TEST(Inbound, Location) {
    auto args = only_args(notification(message(
        "location", R"("location":{"latitude":37.48,"longitude":-122.14,"name":"Head office","address":"1 Hacker Way"})")));
    EXPECT_EQ(args.at("kind"), "location");
    EXPECT_EQ(args.at("text"), "Head office, 1 Hacker Way");
    EXPECT_EQ(attachment(args).at("latitude"), 37.48);
    EXPECT_EQ(attachment(args).at("longitude"), -122.14);
    auto bare = only_args(notification(message("location", R"("location":{"latitude":1.5,"longitude":2})")));
    EXPECT_EQ(bare.at("text"), "Location");
}

TEST(Inbound, ListReplyButtonAndReaction) {
    auto list = only_args(notification(message(
        "interactive", R"("interactive":{"type":"list_reply","list_reply":{"id":"r1","title":"Blue","description":"Sky"}})")));
    EXPECT_EQ(list.at("kind"), "reply");
    EXPECT_EQ(list.at("text"), "Blue");
    EXPECT_EQ(attachment(list).at("description"), "Sky");
    auto button = only_args(notification(message("button", R"("button":{"payload":"YES","text":"Yes please"})")));
    EXPECT_EQ(button.at("kind"), "reply");
    EXPECT_EQ(button.at("text"), "Yes please");
    EXPECT_EQ(attachment(button).at("payload"), "YES");
    auto reaction = only_args(notification(message("reaction", R"("reaction":{"message_id":"wamid.M","emoji":"👍"})")));
    EXPECT_EQ(reaction.at("kind"), "reaction");
    EXPECT_EQ(reaction.at("text"), "👍");
    EXPECT_EQ(attachment(reaction).at("message_id"), "wamid.M");
    auto removed = only_args(notification(message("reaction", R"("reaction":{"message_id":"wamid.M"})")));
    EXPECT_EQ(removed.at("text"), "(reaction removed)");
}

TEST(Inbound, UnsupportedTypesBecomeAVisiblePlaceholder) {
    auto args = only_args(notification(
        message("unsupported", R"("errors":[{"code":131051,"title":"Message type unknown"}])")));
    EXPECT_EQ(args.at("kind"), "unsupported");
    EXPECT_NE(args.at("text").as_string().find("cannot show"), std::string::npos);
    EXPECT_EQ(attachment(args).at("error_code"), 131051);
    for (std::string type : {"contacts", "order", "system", "brand_new_type"}) {
        auto a = only_args(notification(message(type, R"("x":{})")));
        EXPECT_EQ(a.at("kind"), "unsupported") << type;
        EXPECT_EQ(attachment(a).at("type"), json::value(type));
        EXPECT_FALSE(a.at("text").as_string().empty());
    }
    auto flow = only_args(notification(message("interactive", R"("interactive":{"type":"nfm_reply","nfm_reply":{}})")));
    EXPECT_EQ(flow.at("kind"), "unsupported");
}

TEST(Inbound, CustomerIsTheWaIdElseTheUserId) {
    auto with_wa_id = only_args(notification(message("text", R"("text":{"body":"hi"})")));
    EXPECT_EQ(with_wa_id.at("customer_number"), "+16505551234");
    auto user_only = only_args(notification(R"([{"id":"wamid.U","timestamp":"1","type":"text","text":{"body":"hi"}}])",
                                            R"([{"profile":{"name":"Ana"},"user_id":"US.13491208655302741918"}])"));
    EXPECT_EQ(user_only.at("customer_number"), "US.13491208655302741918");
    EXPECT_EQ(user_only.at("customer_name"), "Ana");
}

TEST(Inbound, EveryEntryChangeAndMessageInTimestampOrder) {
    auto change = [](const std::string& id, const std::string& messages) {
        return R"({"field":"messages","value":{"metadata":{"phone_number_id":")" + id + R"("},"messages":)" + messages +
               "}}";
    };
    auto body = R"({"entry":[{"changes":[)" +
                change("1", R"([{"from":"1","id":"b","timestamp":"20","type":"text","text":{"body":"second"}},
                                {"from":"1","id":"a","timestamp":"10","type":"text","text":{"body":"first"}}])") +
                R"(,{"field":"message_template_status_update","value":{}}]},{"changes":[)" +
                change("2", R"([{"from":"1","id":"c","timestamp":"5","type":"text","text":{"body":"other"}}])") + "]}]}";
    auto n = parse_notification(body);
    ASSERT_TRUE(n);
    ASSERT_EQ(n->changes.size(), 2u);
    EXPECT_EQ(n->other_fields, 1);
    EXPECT_EQ(n->changes[0].messages[0].id, "a");
    EXPECT_EQ(n->changes[0].messages[1].id, "b");
    EXPECT_EQ(n->changes[1].phone_number_id, "2");
    EXPECT_EQ(n->changes[1].messages[0].id, "c");
}

TEST(Inbound, ATimestampPastTheYear9999IsLeftOut) {
    auto at = [](const std::string& timestamp) {
        return only_args(notification(R"([{"from":"16505551234","id":"wamid.X","timestamp":")" + timestamp +
                                      R"(","type":"text","text":{"body":"hi"}}])"));
    };
    EXPECT_EQ(at("253402300799").at("time_ms"), 253402300799000);
    EXPECT_FALSE(at("253402300800").contains("time_ms"));
    EXPECT_FALSE(at("6286349631452241918").contains("time_ms"));  // would overflow in milliseconds
    EXPECT_FALSE(at("0").contains("time_ms"));
    EXPECT_EQ(at("6286349631452241918").at("text"), "hi");  // the message itself is kept
}

TEST(Inbound, MalformedNotifications) {
    EXPECT_FALSE(parse_notification("{"));
    EXPECT_FALSE(parse_notification("[]"));
    EXPECT_FALSE(parse_notification(R"({"object":"whatsapp_business_account"})"));
    EXPECT_FALSE(parse_notification(R"({"entry":{}})"));
    EXPECT_FALSE(parse_notification(R"({"entry":[1]})"));
    EXPECT_TRUE(parse_notification(R"({"entry":[]})"));
}
