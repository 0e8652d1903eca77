// The public API: entity names, entity sets, span invariants.
#include "detect_test_support.hpp"

#include <gtest/gtest.h>

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
