// Phone numbers: international with E.164 country codes, national formats common in
// chat, and the many numbers in chat that are not phones.
#include "detect_test_support.hpp"

#include <gtest/gtest.h>

using namespace detect_test;

namespace {

const std::uint32_t kPhone = entity_bit(Entity::phone);

}  // namespace

TEST(DetectPhone, HelpPageExamples) {
    EXPECT_EQ(found("+ 1 (123) 456 7890"), "phone:+ 1 (123) 456 7890");
    EXPECT_EQ(found("+447966197542"), "phone:+447966197542");
}

TEST(DetectPhone, International) {
    for (const char* p : {"+44 7966 197542", "+44-7966-197542", "+44.7966.197542", "+34 612 345 678",
                          "+34 612 34 56 78", "+34612345678", "+1 555 123 4567", "+1 (555) 123-4567",
                          "+1-800-555-1234", "+52 55 1234 5678", "+49 30 12345678", "+49 151 23456789",
                          "+33 6 12 34 56 78", "+39 06 1234 5678", "+351 912 345 678", "+91 98765 43210",
                          "+86 138 0013 8000", "+81 90 1234 5678", "+971 50 123 4567", "+353 87 123 4567",
                          "+44 (0)20 7946 0018", "+44 020 7946 0018", "+(44) 7966 197542", "+7 912 345 67 89"}) {
        SCOPED_TRACE(p);
        EXPECT_EQ(found(p), whole(Entity::phone, p));
    }
}

TEST(DetectPhone, InternationalWithDoubleZero) {
    EXPECT_EQ(found("0044 7966 197542"), "phone:0044 7966 197542");
    EXPECT_EQ(found("00 34 612 345 678"), "phone:00 34 612 345 678");
    EXPECT_EQ(found("0034612345678"), "phone:0034612345678");
}

TEST(DetectPhone, CountryCodesAndLengths) {
    EXPECT_EQ(found("+999 1234 5678"), "");       // 999 is not assigned
    EXPECT_EQ(found("+42 123 456 789"), "");      // 42 is not a code (420, 421, 423 are)
    EXPECT_EQ(found("+34 612 345 67"), "");       // Spain: nine digits
    EXPECT_EQ(found("+34 6123 456 789"), "");
    EXPECT_EQ(found("+1 555 123 456"), "");       // NANP: ten digits
    EXPECT_EQ(found("+1 555 123 45678"), "");
    EXPECT_EQ(found("+44 7966 1975"), "");        // UK: nine or ten
    EXPECT_EQ(found("+1234"), "");
    EXPECT_EQ(found("+123456789012345678"), "");  // more than 15 digits
    EXPECT_EQ(found("+420 601 123 456"), "phone:+420 601 123 456");
    EXPECT_EQ(found("+590 690 12 34 56"), "phone:+590 690 12 34 56");
}

TEST(DetectPhone, NationalFormats) {
    for (const char* p : {"(555) 123-4567", "(555)123-4567", "555-123-4567", "555.123.4567", "555 123 4567",
                          "1-800-555-1234", "1 (800) 555-1234", "2025550123", "07966 197542", "07966197542",
                          "020 7946 0018", "(020) 7946 0018", "0161 496 0000", "06 12 34 56 78", "0612345678",
                          "030 12345678", "612 345 678", "612 34 56 78", "91 123 45 67", "612-345-678",
                          "712 345 678", "55 1234 5678", "(55) 1234 5678", "33 8318 9174", "11 2345-6789",
                          "0151 23456789", "（３３） ４９８４ ０７１３"}) {
        SCOPED_TRACE(p);
        EXPECT_EQ(found(p), whole(Entity::phone, p));
    }
}

TEST(DetectPhone, NineDigitsAloneFromSixAreSpanishPhonesBeforeSsns) {
    EXPECT_EQ(found("mi móvil es 612345678"), "phone:612345678");
    EXPECT_EQ(found("712345678"), "phone:712345678");
    EXPECT_EQ(found("812345678"), "phone:812345678");
    EXPECT_EQ(found("912345678"), "phone:912345678");
    // Without phones asked for, the same digits are a possible SSN (areas 600-899 exist).
    EXPECT_EQ(found("612345678", entity_bit(Entity::ssn)), "ssn:612345678");
    // Below 6: an SSN (a Spanish number never starts so).
    EXPECT_EQ(found("536221234"), "ssn:536221234");
    EXPECT_EQ(found("536221234", kPhone), "");
    // Grouped as an SSN, it is one.
    EXPECT_EQ(found("612-34-5678"), "ssn:612-34-5678");
}

TEST(DetectPhone, InSentences) {
    EXPECT_EQ(found("Llámame al +34 612 345 678 o al 91 123 45 67, gracias"),
              "phone:+34 612 345 678 | phone:91 123 45 67");
    EXPECT_EQ(found("Call +1 (555) 123-4567 after 5"), "phone:+1 (555) 123-4567");
    EXPECT_EQ(found("tel:+34612345678"), "phone:+34612345678");
    EXPECT_EQ(found("Tel.: 612 345 678"), "phone:612 345 678");
    EXPECT_EQ(found("(tel. 612 345 678)"), "phone:612 345 678");
    EXPECT_EQ(found("*+44 7966 197542*"), "phone:+44 7966 197542");
    EXPECT_EQ(found("2024-11-25 612 345 678"), "phone:612 345 678");
    EXPECT_EQ(found("My order didn't arrive. Call me at 612 345 678"), "phone:612 345 678");
}

TEST(DetectPhone, WholeTextBareE164IsAContactNumber) {
    // WhatsApp writes customer numbers without '+'; a field holding only that is a phone.
    EXPECT_EQ(found("16505551234"), "phone:16505551234");
    EXPECT_EQ(found(" 447966197542 "), "phone:447966197542");
    EXPECT_EQ(found("34612345678"), "phone:34612345678");
    // Inside a sentence a bare 11-13 digit number is not assumed to be a phone.
    EXPECT_EQ(found("ref 34612345678 ok"), "");
    EXPECT_EQ(found("number 447966197542 here"), "");
}

TEST(DetectPhone, NotDatesTimesOrAmounts) {
    for (const char* t : {"2024-11-25", "25/11/2024", "25.11.2024", "25-11-2024", "2024-11-25T10:30:00Z",
                          "10:30", "10.30", "10:30:45", "$1,234.56", "1.234,56 €", "€1.234.567,89",
                          "612.345.678", "1.234.567.890", "Son 612 345 678 €", "612345678 EUR", "612345678,50 €",
                          "£ 612 345 678", "612 345 678%", "21%"}) {
        SCOPED_TRACE(t);
        EXPECT_EQ(found(t, kPhone), "");
    }
}

TEST(DetectPhone, NotOrderOrTrackingNumbers) {
    for (const char* t : {"order #612345678", "order # 612 345 678", "Order no. 612345678", "pedido 612345678",
                          "Pedido nº 612 345 678", "número de pedido: 612345678", "tracking 1Z999AA10123456784",
                          "tracking number 9400100000000000000000", "9400 1000 0000 0000 0000 00",
                          "factura 0612345678", "ref: 555-123-4567", "invoice 2025550123", "#612345678"}) {
        SCOPED_TRACE(t);
        EXPECT_EQ(found(t), "");
    }
}

TEST(DetectPhone, NotTimestampsCardsOrIbans) {
    EXPECT_EQ(found("1732550400"), "");
    EXPECT_EQ(found("1732550400000"), "");
    EXPECT_EQ(found("ts=1732550400 ok"), "");
    EXPECT_EQ(found("4111 1111 1111 1111"), "card:4111 1111 1111 1111");
    EXPECT_EQ(found("4111 1111 1111 1111", kPhone), "");
    EXPECT_EQ(found("ES91 2100 0418 4502 0005 1332", kPhone), "");
    EXPECT_EQ(found("GB82 WEST 1234 5698 7654 32", kPhone), "");
}

TEST(DetectPhone, NotOtherNumbers) {
    for (const char* t : {"192.168.100.200", "v1.2.3", "version 10.15.7", "2+2=4", "C++17", "123 456 789",
                          "1234 5678", "12345678", "0000 000 000", "00000000000", "x612345678", "612345678abc",
                          "015123456789", "0780 7098 1210", "1732 5504 00",
                          "ID-612345678", "10:612345678", "+34 612 345 678x",
                          "a+34612345678"}) {
        SCOPED_TRACE(t);
        EXPECT_EQ(found(t, kPhone), "");
    }
}

TEST(DetectPhone, UnicodeForms) {
    EXPECT_EQ(found("＋４４ ７９６６ １９７５４２"), "phone:＋４４ ７９６６ １９７５４２");
    EXPECT_EQ(found("+44\u00A07966\u00A0197542"), "phone:+44\u00A07966\u00A0197542");
    EXPECT_EQ(found("555\u2013123\u20134567"), "phone:555\u2013123\u20134567");
    EXPECT_EQ(found("+34\u2009612\u2009345\u2009678"), "phone:+34\u2009612\u2009345\u2009678");
    EXPECT_EQ(found("+4479\u200D66197542"), "phone:+4479\u200D66197542");
    EXPECT_EQ(found("\uFF08555\uFF09 123\uFF0D4567"), "phone:\uFF08555\uFF09 123\uFF0D4567");
}

TEST(DetectPhone, MoreNationalAndInternationalForms) {
    EXPECT_EQ(found("+52 1 55 1234 5678"), "phone:+52 1 55 1234 5678");  // Mexico's old mobile '1'
    EXPECT_EQ(found("+52\u00A01\u00A033\u00A09616\u00A06166"), "phone:+52\u00A01\u00A033\u00A09616\u00A06166");
    EXPECT_EQ(found("llamadme al 11\u200B7023-3674"), "phone:11\u200B7023-3674");  // invisible as separator
    EXPECT_EQ(found("Phone: 1-41\u200D5-470-1608"), "phone:1-41\u200D5-470-1608");  // invisible inside a group
    // Every invisible character of a group may stand for a separator.
    EXPECT_EQ(found("llamadme al 55\u200C7174\u200C9319"), "phone:55\u200C7174\u200C9319");  // 2-4-4
    EXPECT_EQ(found("mi celular es 11\u200B2345\u200B6789"), "phone:11\u200B2345\u200B6789");  // 2-4-4
    EXPECT_EQ(found("(55)\u200C9689\u200C2262"), "phone:(55)\u200C9689\u200C2262");
    EXPECT_EQ(found("Tarjeta de puntos 7686 0391 1637 2438 677 634 158"), "phone:677 634 158");
    EXPECT_EQ(found("The package arrived damaged (305) 810-8792"), "phone:(305) 810-8792");
}

TEST(DetectPhone, NotIpAddressesDatesOrTrackingGroups) {
    for (const char* t : {"My IP is 81.100.64.42", "mi IP es 213.129.16.80", "since 08.01.2023 24 items",
                          "tracking number: 9400 3276 9251 0229 4215 81", "9400 4190 3881 0827 5954 56",
                          "my membership number is 0068800196917449", "I tried the card 4853 0096 0405 5691"}) {
        SCOPED_TRACE(t);
        EXPECT_EQ(found(t), "");
    }
}

TEST(DetectPhone, OnlyWhenAsked) {
    EXPECT_EQ(found("+447966197542", all_entities & ~kPhone), "");
}

// "612345678:30" is a time; a number masked already after the ':' reads the same, so
// that masking twice gives what masking once gave (a libFuzzer find).
TEST(DetectPhone, ATimeReadsTheSameWithTheNumberAfterItMasked) {
    EXPECT_EQ(found("612345678:30"), "");
    EXPECT_EQ(found("612345678:******3820"), "");
    EXPECT_EQ(found("612345678:****"), "phone:612345678");  // masks alone are no number
    const std::string text = "x 478 703 33 20 77 (0):020 720 38 20 77doca";
    EXPECT_EQ(found(text), "phone:020 720 38 20");
    const std::string once = parley::masking::mask_text(text);
    EXPECT_EQ(found(once), "");
    EXPECT_EQ(parley::masking::mask_text(once), once);
}
