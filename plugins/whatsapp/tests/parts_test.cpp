// The channel's small parts: claims on repeated events, statuses that wait for their
// wamid, read receipts, media file names and their serving, query decoding, settings.
#include "plugin_fixture.hpp"

#include "channel.hpp"
#include "claims.hpp"
#include "early_statuses.hpp"
#include "handshake.hpp"
#include "media_files.hpp"
#include "read_receipts.hpp"
#include "settings.hpp"

using namespace parley::whatsapp;

TEST(Claims, FirstCopyWorksOthersWaitForItsOutcome) {
    Claims claims;
    std::vector<bool> outcomes;
    EXPECT_EQ(claims.claim("k", {}), Claims::Outcome::first);
    EXPECT_EQ(claims.claim("k", [&](bool ok) { outcomes.push_back(ok); }), Claims::Outcome::joined);
    EXPECT_EQ(claims.claim("k", {}), Claims::Outcome::joined);  // no waiter: nothing to call
    claims.finish("k", true);
    EXPECT_EQ(outcomes, std::vector<bool>{true});
    EXPECT_EQ(claims.claim("k", {}), Claims::Outcome::done);
}

TEST(Claims, AFailureFreesTheKeyForTheRetry) {
    Claims claims;
    bool told = true;
    claims.claim("k", {});
    claims.claim("k", [&](bool ok) { told = ok; });
    claims.finish("k", false);
    EXPECT_FALSE(told);
    EXPECT_EQ(claims.claim("k", {}), Claims::Outcome::first);
}

TEST(Claims, RemembersABoundedNumberOfKeys) {
    Claims claims(2);
    for (auto k : {"a", "b", "c"}) {
        claims.claim(k, {});
        claims.finish(k, true);
    }
    EXPECT_EQ(claims.claim("a", {}), Claims::Outcome::first);  // forgotten: the engine still drops it
    EXPECT_EQ(claims.claim("c", {}), Claims::Outcome::done);
}

// The channel reads an engine event's type without parsing the envelope: the type the
// envelope carries, not a "type" in the data or in an odd tenant id.
TEST(EngineEvents, TypeIsTheEnvelopesOwn) {
    EXPECT_EQ(Channel::event_type(R"({"seq":7,"tenant":"acme","type":"offer.accepted","time_ms":1,"data":{}})"),
              "offer.accepted");
    EXPECT_EQ(Channel::event_type(
                  R"({"seq":8,"tenant":"x\"type\":\"offer.accepted","type":"message.added","time_ms":1,)"
                  R"("data":{"text":"\"type\":\"interaction.ended\"","kind":"text"}})"),
              "message.added");
    EXPECT_EQ(Channel::event_type(R"({"seq":9,"tenant":"acme"})"), "");
    EXPECT_EQ(Channel::event_type(R"({"type":"unterminated)"), "");
}

TEST(EarlyStatuses, WaitInOrderAndAreBounded) {
    EarlyStatuses early(2);
    early.keep("w1", "delivered");
    early.keep("w1", "read");
    EXPECT_EQ(early.take("w1"), (std::vector<std::string>{"delivered", "read"}));
    EXPECT_TRUE(early.take("w1").empty());
    early.keep("a", "1");
    early.keep("b", "2");
    early.keep("c", "3");
    EXPECT_TRUE(early.take("a").empty());
    EXPECT_EQ(early.take("c"), std::vector<std::string>{"3"});
}

TEST(ReadReceipts, MarkTheNewestMessageWhenOpenedAndNewOnesWhileOpen) {
    ReadReceipts reads;
    EXPECT_FALSE(reads.received("i-1", "+1555", "w2", 2000));
    EXPECT_FALSE(reads.received("i-1", "+1555", "w1", 1000));  // came late, but is older
    auto opened = reads.opened("i-1");
    ASSERT_TRUE(opened);
    EXPECT_EQ(opened->wamid, "w2");
    EXPECT_EQ(opened->origin, "+1555");
    auto next = reads.received("i-1", "+1555", "w3", 3000);
    ASSERT_TRUE(next);
    EXPECT_EQ(next->wamid, "w3");
    reads.ended("i-1");
    EXPECT_FALSE(reads.received("i-1", "+1555", "w4", 4000));
    EXPECT_FALSE(reads.opened("i-2"));  // nothing from the customer yet
}

TEST(MediaFiles, NamesAreRandomAndNothingElseIsServed) {
    auto a = new_media_name("image/jpeg"), b = new_media_name("image/jpeg");
    EXPECT_NE(a, b);
    EXPECT_TRUE(valid_media_name(a));
    EXPECT_EQ(new_media_name("audio/ogg; codecs=opus").substr(32), ".ogg");
    EXPECT_EQ(new_media_name("text/html").substr(32), ".bin");
    for (std::string bad : std::vector<std::string>{"../etc/passwd", "x.jpg", std::string(32, 'g') + ".jpg", std::string(32, 'a') + ".html",
                            std::string(32, 'a') + "/.jpg", std::string(32, 'a') + ".jpg/..", ""})
        EXPECT_FALSE(valid_media_name(bad)) << bad;
    EXPECT_EQ(content_type_for(std::string(32, 'a') + ".pdf"), "application/pdf");
    EXPECT_EQ(content_type_for(std::string(32, 'a') + ".bin"), "application/octet-stream");
    EXPECT_EQ(media_path("/", "../../etc/passwd"), std::nullopt);
}

TEST(Query, DecodesPercentAndPlus) {
    auto q = parse_query("hub.mode=subscribe&hub.verify_token=a%20b+c%2B&hub.challenge=12&hub.challenge=13&bad=%zz&flag");
    EXPECT_EQ(q["hub.verify_token"], "a b c+");
    EXPECT_EQ(q["hub.challenge"], "12");
    EXPECT_EQ(q["bad"], "%zz");
    EXPECT_EQ(q.count("flag"), 1u);
}

TEST(SettingsParsing, NumbersAndTemplates) {
    EXPECT_EQ(parse_number("106540352242922=+15550001111"),
              (std::pair<std::string, std::string>{"106540352242922", "+15550001111"}));
    for (std::string bad : {"106540352242922", "106540352242922=15550001111", "abc=+15550001111",
                            "1=+05550001111", "1=+1555", "=+15550001111", "1=+1555000111122223"})
        EXPECT_THROW(parse_number(bad), std::invalid_argument) << bad;
    EXPECT_EQ(parse_template("hello_world:en_US").language, "en_US");
    for (std::string bad : {"hello", "hello:", ":en", "a b:en"}) EXPECT_THROW(parse_template(bad), std::invalid_argument) << bad;
}

using wa_test::PluginTest;

// One route serves every stored file, those stored before start and after, as a file the
// core sends from disk.
TEST_F(PluginTest, StoredMediaIsServedWithItsContentType) {
    namespace fs = std::filesystem;
    auto name = new_media_name("application/pdf");
    std::ofstream(fs::path(media_dir) / name, std::ios::binary) << "%PDF-1.4 stored before start";
    std::ofstream(fs::path(media_dir) / "notes.txt") << "not ours";
    create();
    // Answered on the HTTP I/O thread, not on the core thread, using no core-thread call.
    EXPECT_TRUE(host.is_concurrent_route("GET", "/media/whatsapp/*"));
    auto r = host.request("GET", "/media/whatsapp/" + name);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.content_type, "application/pdf");
    EXPECT_EQ(r.file, (fs::path(media_dir) / name).string());
    EXPECT_EQ(r.body, "");
    EXPECT_EQ(host.refused_calls(), 0);

    auto later = new_media_name("image/jpeg");
    std::ofstream(fs::path(media_dir) / later, std::ios::binary) << "jpeg";
    EXPECT_EQ(host.request("GET", "/media/whatsapp/" + later).file, (fs::path(media_dir) / later).string());
    EXPECT_EQ(host.request("GET", "/media/whatsapp/" + later).content_type, "image/jpeg");

    for (const std::string& bad : std::vector<std::string>{"notes.txt", "../" + name, "", name + "/x", "%2e%2e/" + name})
        EXPECT_EQ(host.request("GET", "/media/whatsapp/" + bad).status, 404) << bad;
    fs::remove(fs::path(media_dir) / name);
    EXPECT_EQ(host.request("GET", "/media/whatsapp/" + name).status, 404);
}

TEST_F(PluginTest, DuplicatedNumbersAreRefused) {
    host.set("phone_numbers", std::vector<std::string>{"1=+15550001111", "2=+15550001111"});
    EXPECT_THROW(create(), std::runtime_error);
    host.set("phone_numbers", std::vector<std::string>{"1=+15550001111", "1=+15550002222"});
    EXPECT_THROW(create(), std::runtime_error);
}
