// The public API: entity names, entity sets, span invariants.
#include "detect/detail.hpp"
#include "detect_test_support.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>

using namespace detect_test;
using parley::masking::entity_from_name;
using parley::masking::Span;

TEST(DetectApi, EntityNamesRoundTrip) {
    const Entity all[] = {Entity::card, Entity::iban, Entity::ssn, Entity::email, Entity::phone};
    const char* names[] = {"card", "iban", "ssn", "email", "phone"};
    for (int i = 0; i < 5; ++i) {
        EXPECT_STREQ(entity_name(all[i]), names[i]);
        EXPECT_EQ(entity_from_name(names[i]), all[i]);
        EXPECT_EQ(entity_bit(all[i]), 1u << i);
    }
    EXPECT_EQ(parley::masking::all_entities, 0x1Fu);
    for (const char* bad : {"", "Card", "CARD", "e-mail", "mail", "phones", "card ", "pan"})
        EXPECT_FALSE(entity_from_name(bad).has_value()) << bad;
}

TEST(DetectApi, EmptyAndNothingToFind) {
    EXPECT_TRUE(detect("").empty());
    EXPECT_TRUE(detect("hola, ¿qué tal?").empty());
    EXPECT_TRUE(detect("4111 1111 1111 1111", 0).empty());
    EXPECT_TRUE(detect("4111 1111 1111 1111", 0xFFFFFFE0u).empty());  // unknown bits only
}

TEST(DetectApi, SpansAreSortedAndDisjoint) {
    const std::string text =
        "Hi! card 4111 1111 1111 1111, iban GB82 WEST 1234 5698 7654 32, ssn 536-22-1234, "
        "mail melissa@gmail.com, phone +44 7966 197542 and (555) 123-4567.";
    const auto spans = detect(text);
    ASSERT_EQ(spans.size(), 6u);
    const Entity expected[] = {Entity::card, Entity::iban, Entity::ssn, Entity::email, Entity::phone, Entity::phone};
    for (std::size_t i = 0; i < spans.size(); ++i) {
        EXPECT_EQ(spans[i].entity, expected[i]);
        EXPECT_LT(spans[i].begin, spans[i].end);
        if (i) {
            EXPECT_LE(spans[i - 1].end, spans[i].begin);
        }
    }
    EXPECT_EQ(found(text), "card:4111 1111 1111 1111 | iban:GB82 WEST 1234 5698 7654 32 | ssn:536-22-1234 | "
                           "email:melissa@gmail.com | phone:+44 7966 197542 | phone:(555) 123-4567");
}

TEST(DetectApi, EntitySetsSelect) {
    const std::string text = "4111 1111 1111 1111 melissa@gmail.com +447966197542";
    EXPECT_EQ(found(text, entity_bit(Entity::email)), "email:melissa@gmail.com");
    EXPECT_EQ(found(text, entity_bit(Entity::phone) | entity_bit(Entity::card)),
              "card:4111 1111 1111 1111 | phone:+447966197542");
    EXPECT_EQ(parley::masking::mask_text(text, entity_bit(Entity::email)),
              "4111 1111 1111 1111 m******@gmail.com +447966197542");
}

TEST(DetectApi, SpanEquality) {
    EXPECT_EQ((Span{Entity::card, 1, 2}), (Span{Entity::card, 1, 2}));
    EXPECT_NE((Span{Entity::card, 1, 2}), (Span{Entity::phone, 1, 2}));
}

TEST(DetectApi, MaskIntoAndMaskIfChanged) {
    using parley::masking::mask_if_changed;
    using parley::masking::mask_into;
    using parley::masking::mask_text;
    std::string out = "left over";
    // Nothing found, valid UTF-8: nothing written, nothing returned.
    EXPECT_FALSE(mask_into("hola, ¿qué tal? pedido 4, 10:30", out));
    EXPECT_FALSE(mask_if_changed("hola, ¿qué tal?").has_value());
    // Found: the masked text, in the buffer (reused) or returned.
    ASSERT_TRUE(mask_into("card 4111 1111 1111 1111", out));
    EXPECT_EQ(out, "card ************1111");
    ASSERT_TRUE(mask_into("+447966197542", out));
    EXPECT_EQ(out, "*********7542");
    EXPECT_EQ(mask_if_changed("melissa@gmail.com"), std::optional<std::string>("m******@gmail.com"));
    // Masked already: the same text, so unchanged.
    EXPECT_FALSE(mask_into("*********7542", out));
    EXPECT_FALSE(mask_if_changed("m******@gmail.com").has_value());
    // Invalid UTF-8 is repaired even with nothing to mask.
    ASSERT_TRUE(mask_into("caf\xC3", out));
    EXPECT_EQ(out, "caf\xEF\xBF\xBD");
    // The same as mask_text, with another mask character and entity set too.
    for (const char* text : {"tel 612 345 678, mail a.b@c.es", "IBAN GB82 WEST 1234 5698 7654 32", "nada"}) {
        for (const char* mc : {"*", "\xE2\x80\xA2"}) {
            const std::string want = mask_text(text, all_entities, mc);
            EXPECT_EQ(mask_into(text, out, all_entities, mc) ? out : std::string(text), want) << text;
            EXPECT_EQ(mask_if_changed(text, entity_bit(Entity::email), mc).value_or(text),
                      mask_text(text, entity_bit(Entity::email), mc));
        }
    }
    EXPECT_THROW(mask_into("612345678", out, all_entities, "x"), std::invalid_argument);
}

TEST(DetectApi, NumbersAcrossSixtyFourByteBoundaries) {
    // The scanner reads 64 bytes at a time: a number may start anywhere, and cross the
    // boundary between two of them.
    const std::string card = "4111 1111 1111 1111", phone = "+34 612 345 678", iban = "ES91 2100 0418 4502 0005 1332";
    for (std::size_t pad = 0; pad < 140; ++pad) {
        const std::string lead = std::string(pad, 'a') + " 10:30 pedido 4 ";
        EXPECT_EQ(found(lead + card + " gracias"), "card:" + card) << pad;
        EXPECT_EQ(found(lead + "tel " + phone + " ok"), "phone:" + phone) << pad;
        EXPECT_EQ(found(lead + iban + " ok"), "iban:" + iban) << pad;
        EXPECT_EQ(found(lead + "x@y.es y 612 345 678"), "email:x@y.es | phone:612 345 678") << pad;
        // Digits spread over a long stretch: spaces go on across the boundary.
        EXPECT_EQ(found(lead + "1 2 3 4" + std::string(pad % 70, ' ') + "5 6 7 8"), "") << pad;
    }
}

TEST(DetectApi, RunsOfManyGroups) {
    // Runs of up to 63 groups are matched on bit masks, longer ones by the general code:
    // the same rules either way.
    for (int ones : {10, 58, 59, 60, 61, 62, 63, 70}) {
        std::string text;
        for (int k = 0; k < ones; ++k) text += "1-";
        text += "1 4111 1111 1111 1111";
        EXPECT_EQ(found(text), "card:4111 1111 1111 1111") << ones;
        std::string digits;
        for (int k = 0; k < ones + 4; ++k) digits += std::to_string(k % 10) + " ";
        EXPECT_EQ(found(digits), "") << ones;
    }
}

TEST(DetectApi, ShortcutsFindWhatTheFullReadingFinds) {
    // The scanner passes over some numbers without reading them (dates: 4-2-2 and 2-2-4
    // with '-' or '.'); read in full, they must give the same spans, whatever is around.
    const std::vector<std::string> before = {"", " ", "el ", "(", "( ", "+", "+ ", "+(", "ES", "ES ", "A", "x",
                                             "0", "1 ", "12-", "612 345 ", "tel ", "\u00c9", "\u00c9 ", "\u200b",
                                             "ref ", "****", "a@b.es ", ")", "-", ". ", "$", "#"};
    const std::vector<std::string> after = {"", " ", ")", ".", "-", " 612 345 678", "1", "-1", " 1234",
                                            ":30", "a", "@b.es", " \u20ac", ",50", " 5", "\u200b", "+"};
    std::mt19937 rng(7);
    auto digits = [&](int n) {
        std::string s;
        for (int k = 0; k < n; ++k) s += static_cast<char>('0' + rng() % 10);
        return s;
    };
    std::vector<parley::masking::Span> fast, full;
    int compared = 0;
    for (int round = 0; round < 40; ++round) {
        for (const char* sep : {"-", ".", " ", "/"}) {
            // Dates, and numbers of a date's length in other shapes, some of them phones.
            const std::string numbers[] = {digits(4) + sep + digits(2) + sep + digits(2),
                                           digits(2) + sep + digits(2) + sep + digits(4),
                                           "39" + digits(2) + sep + digits(2) + sep + digits(2),
                                           digits(3) + sep + digits(2) + sep + digits(3), digits(8),
                                           digits(4) + "-" + digits(2) + "." + digits(2)};
            for (const std::string& number : numbers)
                for (const std::string& b : before)
                    for (const std::string& a : after) {
                        const std::string pad(rng() % 70, 'x');
                        const std::string text = pad + " " + b + number + a;
                        for (std::uint32_t entities : {all_entities, entity_bit(Entity::phone), entity_bit(Entity::iban)}) {
                            parley::masking::detail::detect_into(text, entities, fast, true);
                            parley::masking::detail::detect_into(text, entities, full, false);
                            ASSERT_EQ(fast, full) << text;
                            ++compared;
                        }
                    }
        }
    }
    EXPECT_GT(compared, 100000);
}

TEST(DetectApi, DigitsOnTheMasksReadAsTheBytes) {
    // The digits of a group are counted on the digit mask of the 64 bytes classified last
    // when the group starts there and ends before their end, else on the bytes: the same
    // spans wherever the groups stand against the 64-byte blocks (numbers that cross
    // them, end at them, are read from an address or an IBAN, groups too long to keep).
    const std::vector<std::string> numbers = {
        "4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "123-45-6789", "612 345 678",
        "+34 612 345 678", "(555) 123-4567", "1-800-555-1234", "ES91 2100 0418 4502 0005 1332",
        "9400 6831 1791 9660 3032 43", std::string(45, '7'), "5555" + std::string(40, '1') + " 612345678",
        "612​345​678", "x@y.es 612345678", "4111 1111 1111 1111 612 345 678 123-45-6789"};
    std::vector<parley::masking::Span> fast, full;
    int compared = 0;
    for (const std::string& number : numbers)
        for (std::size_t pad = 0; pad < 140; ++pad)
            for (const char* tail : {"", " ", "5", " ok", "é"}) {
                const std::string text = std::string(pad, 'x') + " " + number + tail;
                parley::masking::detail::detect_into(text, all_entities, fast, true);
                parley::masking::detail::detect_into(text, all_entities, full, false);
                ASSERT_EQ(fast, full) << text;
                ++compared;
            }
    EXPECT_GT(compared, 10000);
}

TEST(DetectApi, AllAsciiOnlyWhenEveryByteIsAscii) {
    // detect_into says a text is all ASCII (its caller then skips the UTF-8 check) only if
    // it is, also when a number read past the 64 bytes classified with it holds invisible
    // characters; and it says so for a short ASCII text that ends with a number or holds
    // an address (all its bytes classified).
    std::vector<parley::masking::Span> spans;
    for (std::size_t pad = 0; pad < 70; ++pad) {
        const std::string invisible = std::string(pad, 'x') + "Good morning\nIBAN ES48\u200c0282\u200c5498\u200c3038\u200c8304\u200c0066, call +1 702 432 1711";
        EXPECT_FALSE(parley::masking::detail::detect_into(invisible, all_entities, spans)) << pad;
        EXPECT_EQ(spans.size(), 2u) << pad;
    }
    for (std::size_t pad = 0; pad < 30; ++pad) {
        const std::string lead(pad, 'x');
        for (const std::string& ascii : {lead + " my card is 4111 1111 1111 1111", lead + " mail me at x@y.es thanks",
                                         lead + " x@y.es or 612 345 678"}) {
            EXPECT_TRUE(parley::masking::detail::detect_into(ascii, all_entities, spans)) << ascii;
            EXPECT_FALSE(spans.empty()) << ascii;
        }
    }
}

// A view's stored-media link, as the core signs it (parley::http::SignedLinks):
// /media/whatsapp/<32 hex>.<ext>?link=<16 hex: expiry><64 hex: HMAC>. A masking tenant's
// view filter masks every string of the view, this one too: nothing in it may read as
// PII, or the link would break. Expiries from now to 2100, random names and MACs.
TEST(DetectApi, SignedMediaLinksHoldNothingToMask) {
    std::mt19937_64 rng(20261126);
    auto hex = [&](int n) {
        std::string s;
        for (int k = 0; k < n; ++k) s += "0123456789abcdef"[rng() % 16];
        return s;
    };
    for (int k = 0; k < 200'000; ++k) {
        char until[17];
        std::snprintf(until, sizeof until, "%016llx",
                      static_cast<unsigned long long>(1'780'000'000 + rng() % 2'400'000'000ull));
        const std::string link = "/media/whatsapp/" + hex(32) + (k % 2 ? ".jpg" : ".ogg") + "?link=" + until + hex(64);
        ASSERT_TRUE(parley::masking::detect(link).empty()) << link;
    }
}
