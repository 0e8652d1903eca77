// Card numbers: brand prefix and length, Luhn, separators, boundaries.
#include "detect_test_support.hpp"

#include <gtest/gtest.h>

using namespace detect_test;

namespace {

const std::uint32_t kCard = entity_bit(Entity::card);

}  // namespace

TEST(DetectCard, PublishedTestNumbersOfEveryBrand) {
    const char* numbers[] = {
        "4111111111111111",     // Visa 16
        "4012888888881881",     // Visa 16
        "4222222222222",        // Visa 13
        "5555555555554444",     // Mastercard 51-55
        "5105105105105100",     // Mastercard
        "2221000000000009",     // Mastercard 2-series
        "378282246310005",      // American Express 37
        "340000000000009",      // American Express 34
        "6011111111111117",     // Discover 6011
        "6011000990139424",     // Discover
        "3530111333300000",     // JCB
        "3566002020360505",     // JCB
        "30569309025904",       // Diners 300-305, 14 digits
        "38520000023237",       // Diners 38
        "6200000000000005",     // UnionPay
        "6759649826438453",     // Maestro
    };
    for (const char* n : numbers) {
        SCOPED_TRACE(n);
        EXPECT_EQ(found(n), whole(Entity::card, n));
    }
}

TEST(DetectCard, BrandPrefixesAndLengths) {
    struct Case {
        std::string prefix;
        int length;
        bool card;
    };
    const Case cases[] = {
        {"4", 13, true},     {"4", 16, true},     {"4", 19, true},     {"4", 14, false},    {"4", 15, false},
        {"4", 17, false},    {"51", 16, true},    {"55", 16, true},    {"55", 15, false},   {"55", 17, false},
        {"2221", 16, true},  {"2720", 16, true},  {"2220", 16, false}, {"2721", 16, false}, {"34", 15, true},
        {"37", 15, true},    {"37", 16, false},   {"34", 14, false},   {"6011", 16, true},  {"6011", 19, true},
        {"644", 16, true},   {"649", 16, true},   {"65", 16, true},    {"3528", 16, true},  {"3589", 19, true},
        {"3527", 16, false}, {"3590", 16, false}, {"300", 14, true},   {"305", 14, true},   {"306", 14, false},
        {"36", 14, true},    {"38", 14, true},    {"39", 19, true},    {"62", 16, true},    {"62", 19, true},
        {"50", 12, true},    {"56", 12, true},    {"69", 19, true},    {"6", 12, true},     {"57", 13, true},
        {"1", 16, false},    {"7", 16, false},    {"8", 16, false},    {"9", 16, false},    {"0", 16, false},
        {"3", 16, false},    {"2", 16, false},    {"4", 11, false},    {"50", 11, false},   {"6", 20, false},
    };
    for (const Case& c : cases) {
        std::string partial = c.prefix;
        while (static_cast<int>(partial.size()) < c.length - 1) partial += std::to_string(partial.size() % 10);
        const std::string n = luhn_complete(partial);
        SCOPED_TRACE(n);
        EXPECT_EQ(found(n, kCard), c.card ? whole(Entity::card, n) : "");
    }
}

TEST(DetectCard, LuhnMustPass) {
    EXPECT_EQ(found("4111111111111112"), "");
    EXPECT_EQ(found("5555555555554445"), "");
    EXPECT_EQ(found("378282246310006"), "");
    EXPECT_EQ(found("4111 1111 1111 1112"), "");
}

TEST(DetectCard, WrittenInGroups) {
    EXPECT_EQ(found("4111 1111 1111 1111"), "card:4111 1111 1111 1111");
    EXPECT_EQ(found("4111-1111-1111-1111"), "card:4111-1111-1111-1111");
    EXPECT_EQ(found("3782 822463 10005"), "card:3782 822463 10005");     // Amex 4-6-5
    EXPECT_EQ(found("3056 930902 5904"), "card:3056 930902 5904");       // Diners 4-6-4
    EXPECT_EQ(found("4222 2222 2222 2"), "card:4222 2222 2222 2");       // Visa 13
    const std::string visa19 = luhn_complete("411111111111111111");
    const std::string g19 = visa19.substr(0, 4) + " " + visa19.substr(4, 4) + " " + visa19.substr(8, 4) + " " +
                            visa19.substr(12, 4) + " " + visa19.substr(16);
    EXPECT_EQ(found(g19), "card:" + g19);
}

TEST(DetectCard, InSentences) {
    EXPECT_EQ(found("Mi tarjeta es 4111 1111 1111 1111, caduca 12/27."), "card:4111 1111 1111 1111");
    EXPECT_EQ(found("card: 5555-5555-5555-4444 thanks"), "card:5555-5555-5555-4444");
    EXPECT_EQ(found("(4111 1111 1111 1111)"), "card:4111 1111 1111 1111");
    EXPECT_EQ(found("*4111111111111111*"), "card:4111111111111111");
    EXPECT_EQ(found("card #4111111111111111"), "card:4111111111111111");  // '#' stops phones, not cards
    EXPECT_EQ(found("4111 1111 1111 1111 exp 12/27 cvv 123"), "card:4111 1111 1111 1111");
    EXPECT_EQ(found("4111111111111111\n5555555555554444"), "card:4111111111111111 | card:5555555555554444");
}

TEST(DetectCard, SeparatorsMustBeConsistentAndSingle) {
    EXPECT_EQ(found("4111 1111-1111 1111"), "");
    EXPECT_EQ(found("4111-1111 1111-1111"), "");
    EXPECT_EQ(found("4111.1111.1111.1111"), "");
    EXPECT_EQ(found("4111  1111  1111  1111"), "");
    EXPECT_EQ(found("4111--1111--1111--1111"), "");
    EXPECT_EQ(found("4111/1111/1111/1111"), "");
    EXPECT_EQ(found("4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1"), "") << "one-digit groups";
}

TEST(DetectCard, NotTimestampsOrIdsWithoutABrand) {
    EXPECT_EQ(found("1732550400000"), "");               // millisecond timestamp
    EXPECT_EQ(found("created 1732550400123 ok"), "");
    EXPECT_EQ(found(luhn_complete("123456789012345")), "");  // Luhn-valid, no brand
    EXPECT_EQ(found(luhn_complete("80000000000")), "");
    EXPECT_EQ(found("9400 1000 0000 0000 0000 00"), "");  // USPS tracking
    EXPECT_EQ(found("1Z999AA10123456784"), "");           // UPS tracking
    EXPECT_EQ(found("order 7000 1234 5678 9012"), "");
}

TEST(DetectCard, NotGluedToLettersOrLongerNumbers) {
    EXPECT_EQ(found("x4111111111111111"), "");
    EXPECT_EQ(found("4111111111111111x"), "");
    EXPECT_EQ(found("ID4111111111111111"), "");
    EXPECT_EQ(found("ref-4111111111111111"), "");
    EXPECT_EQ(found("94111111111111111"), "");   // 17 digits
    EXPECT_EQ(found("41111111111111110000"), "");
    EXPECT_EQ(found("4111111111111111_1"), "");
    EXPECT_EQ(found("user4111111111111111@mail.com", kCard), "");
    EXPECT_EQ(found("10:4111111111111111"), "");
}

TEST(DetectCard, NotInsideALongerNumberWrittenInTheSameGroups) {
    // A USPS tracking number in fours holds a Luhn-valid Visa: not a card.
    EXPECT_EQ(found("tracking 9400 4111 1111 1111 1111 43"), "");
    EXPECT_EQ(found("9400 4111 1111 1111 1111 43"), "");
    // A different writing before it does not glue: a zip code, then the card.
    EXPECT_EQ(found("código postal 11982 3782 822463 10005"), "card:3782 822463 10005");
}

TEST(DetectCard, GroupedAsCardsArePrinted) {
    const std::string diners17 = luhn_complete("3026380339229620");  // Luhn-valid, 17 digits
    const std::string order = diners17.substr(0, 3) + "-" + diners17.substr(3, 7) + "-" + diners17.substr(10);
    EXPECT_EQ(found(diners17), whole(Entity::card, diners17));
    EXPECT_EQ(found("order " + order), "") << order << ": Amazon order numbers are 3-7-7";
    EXPECT_EQ(found("4111 11 11 1111 1111"), "");
}

TEST(DetectCard, RareLengthsAfterAReferenceWordAreTheReference) {
    const std::string maestro12 = luhn_complete("68936091017");
    EXPECT_EQ(found(maestro12), whole(Entity::card, maestro12));
    EXPECT_EQ(found("tracking " + maestro12), "");
    EXPECT_EQ(found("El envío " + maestro12 + " llegó"), "");
    // Sixteen digits are a card whatever the words before.
    EXPECT_EQ(found("pedido 4111111111111111"), "card:4111111111111111");
}

TEST(DetectCard, CardsWinOverPhones) {
    // A Maestro number that is also a valid +60 (Malaysia) number when alone.
    const std::string n = luhn_complete("60112345678");
    EXPECT_EQ(found(n), whole(Entity::card, n));
    EXPECT_EQ(found(n, entity_bit(Entity::phone)), whole(Entity::phone, n));
    EXPECT_EQ(found("4111 1111 1111 1111 612345678"), "card:4111 1111 1111 1111 | phone:612345678");
    EXPECT_EQ(found("4111 1111 1111 1111 536221234"), "card:4111 1111 1111 1111 | ssn:536221234");
}

TEST(DetectCard, OnlyWhenAsked) {
    EXPECT_EQ(found("4111 1111 1111 1111", all_entities & ~kCard), "");
    EXPECT_EQ(found("4111 1111 1111 1111", kCard), "card:4111 1111 1111 1111");
}
