// US Social Security numbers: area, group and serial rules, separators, context.
#include "detect_test_support.hpp"

#include <gtest/gtest.h>

using namespace detect_test;

namespace {

const std::uint32_t kSsn = entity_bit(Entity::ssn);

}  // namespace

TEST(DetectSsn, WithDashesSpacesDotsOrNothing) {
    EXPECT_EQ(found("536-22-1234"), "ssn:536-22-1234");
    EXPECT_EQ(found("536 22 1234"), "ssn:536 22 1234");
    EXPECT_EQ(found("536.22.1234"), "ssn:536.22.1234");
    EXPECT_EQ(found("536221234"), "ssn:536221234");
    EXPECT_EQ(found("My SSN is 536-22-1234, is that needed?"), "ssn:536-22-1234");
    EXPECT_EQ(found("SSN:536-22-1234"), "ssn:536-22-1234");
}

TEST(DetectSsn, CommonSampleNumberIsMasked) {
    // 123-45-6789 was never issued, but it follows every rule and is what people type
    // when they test the masking: it is masked (docs/masking.md).
    EXPECT_EQ(found("123-45-6789"), "ssn:123-45-6789");
    EXPECT_EQ(found("123456789"), "ssn:123456789");
}

TEST(DetectSsn, AreaGroupSerialRules) {
    EXPECT_EQ(found("000-12-3456"), "");
    EXPECT_EQ(found("666-12-3456"), "");
    EXPECT_EQ(found("900-12-3456"), "");
    EXPECT_EQ(found("999-12-3456"), "");
    EXPECT_EQ(found("987-65-4321"), "");  // advertising range
    EXPECT_EQ(found("536-00-1234"), "");
    EXPECT_EQ(found("536-22-0000"), "");
    EXPECT_EQ(found("001-01-0001"), "ssn:001-01-0001");
    EXPECT_EQ(found("899-99-9999"), "ssn:899-99-9999");
    EXPECT_EQ(found("665-01-0001"), "ssn:665-01-0001");
    EXPECT_EQ(found("667-01-0001"), "ssn:667-01-0001");
}

TEST(DetectSsn, PublishedNumbersRejected) {
    EXPECT_EQ(found("078-05-1120"), "");  // Woolworth wallet insert
    EXPECT_EQ(found("078051120"), "");
    EXPECT_EQ(found("219-09-9999"), "");  // SSA advertisement
    EXPECT_EQ(found("219 09 9999"), "");
}

TEST(DetectSsn, OneSeparatorKindAndTheThreeTwoFourShape) {
    EXPECT_EQ(found("536-22 1234"), "");
    EXPECT_EQ(found("536.22-1234"), "");
    EXPECT_EQ(found("53-622-1234"), "");
    EXPECT_EQ(found("5362-2-1234"), "");
    EXPECT_EQ(found("536-221-234"), "");
    EXPECT_EQ(found("536--22--1234"), "");
    EXPECT_EQ(found("536/22/1234"), "");
}

TEST(DetectSsn, NotPartOfALongerNumber) {
    EXPECT_EQ(found("5362212345", kSsn), "");  // 10 digits (a North American phone, though)
    EXPECT_EQ(found("15362212345", kSsn), "");
    EXPECT_EQ(found("536-22-12345"), "");
    EXPECT_EQ(found("1-536-22-1234"), "");
    EXPECT_EQ(found("536-22-1234-5"), "");
    EXPECT_EQ(found("a536-22-1234"), "");
    EXPECT_EQ(found("536-22-1234b"), "");
    EXPECT_EQ(found("x536221234"), "");
    EXPECT_EQ(found("536221234.5"), "");
}

TEST(DetectSsn, SaidToBeAnSsn) {
    // Nine digits from 6 are a Spanish phone, unless the text says SSN.
    EXPECT_EQ(found("Social security number 635192559, perfect"), "ssn:635192559");
    EXPECT_EQ(found("my SSN is 712345678"), "ssn:712345678");
    // "account" before "SSN:" does not make it an account number.
    EXPECT_EQ(found("I want to close my account SSN: 492-61-1446"), "ssn:492-61-1446");
}

TEST(DetectSsn, NotCustomerOrContractNumbers) {
    EXPECT_EQ(found("número de cliente 100234567, contrato 200345678"), "");
    EXPECT_EQ(found("my account number is 100234567"), "");
    EXPECT_EQ(found("customer id: 536221234"), "");
}

TEST(DetectSsn, NotOrderNumbersOrAmounts) {
    EXPECT_EQ(found("order #123456789"), "");
    EXPECT_EQ(found("Order no. 536221234"), "");
    EXPECT_EQ(found("pedido 536221234"), "");
    EXPECT_EQ(found("Pedido nº 536221234"), "");
    EXPECT_EQ(found("tracking: 536221234"), "");
    EXPECT_EQ(found("$536221234"), "");
    EXPECT_EQ(found("536221234 €"), "");
    EXPECT_EQ(found("536221234 USD"), "");
    EXPECT_EQ(found("I placed an order. My SSN is 536-22-1234"), "ssn:536-22-1234");
}

TEST(DetectSsn, UnicodeSeparatorsAndDigits) {
    EXPECT_EQ(found("536\u201122\u20111234"), "ssn:536\u201122\u20111234");
    EXPECT_EQ(found("５３６－２２－１２３４"), "ssn:５３６－２２－１２３４");
    EXPECT_EQ(found("536\u00A022\u00A01234"), "ssn:536\u00A022\u00A01234");
    EXPECT_EQ(found("536\u200B-22-1234"), "ssn:536\u200B-22-1234");
}

TEST(DetectSsn, ItinsAndOtherLookAlikesInSentences) {
    // Written like SSNs, none is one (tests/masking/tools/pii.py makes these decoys).
    EXPECT_EQ(found("my ITIN is 912-78-4321, I don't have an SSN"), "");
    EXPECT_EQ(found("mi ITIN es 987 70 1234, no tengo seguro social"), "");
    EXPECT_EQ(found("my SSN is 900.92.1234?"), "");
    EXPECT_EQ(found("the form says 123-00-4567 is no valid social security number"), "");
    EXPECT_EQ(found("SSN: 123-45-0000"), "");
    EXPECT_EQ(found("social security number 000-45-6789"), "");
    EXPECT_EQ(found("¿666 12 3456 es un número de seguro social?"), "");
    EXPECT_EQ(found("my SSN is 536-22.1234"), "");
    EXPECT_EQ(found("the sample card in my wallet says 078-05-1120"), "");
    EXPECT_EQ(found("your help page uses 219-09-9999 as an example SSN"), "");
}

TEST(DetectSsn, InvisibleSeparators) {
    // AAA GG SSSS with invisible characters for separators is written in groups: not
    // nine digits alone, so not read as a Spanish phone first.
    EXPECT_EQ(found("For the tax form, 735\u200D22\u200D3926"), "ssn:735\u200D22\u200D3926");
    EXPECT_EQ(found("SSN 636\u200B13\u200B8800"), "ssn:636\u200B13\u200B8800");
    // Otherwise nine digits from 6 to 9 alone are a Spanish phone, invisible characters
    // or not.
    EXPECT_EQ(found("llamadme al 612\u200B345\u200B678"), "phone:612\u200B345\u200B678");
}

TEST(DetectSsn, OnlyWhenAsked) {
    EXPECT_EQ(found("536-22-1234", all_entities & ~kSsn), "");
    // Nine digits alone: without SSNs, a Spanish mobile is still a phone.
    EXPECT_EQ(found("612345678", all_entities & ~kSsn), "phone:612345678");
}
