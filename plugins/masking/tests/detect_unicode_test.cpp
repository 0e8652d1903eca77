// Unicode: spaces, dashes, full-width forms and invisible characters hide nothing;
// offsets are bytes of the original text; invalid UTF-8 is tolerated and never produced.
#include "detect_test_support.hpp"
#include "utf8_oracle.hpp"

#include <gtest/gtest.h>

using namespace detect_test;
using parley::masking::mask_text;
using parley::masking::Span;

namespace {

// Every character the normalization folds, by role.
const char* const kSpaces[] = {" ", "\u00A0", "\u202F", "\u2007", "\u2009", "\u2002", "\u200A", "\u3000", "\u205F"};
const char* const kDashes[] = {"-",      "\u2010", "\u2011", "\u2012", "\u2013",
                               "\u2014", "\u2015", "\u2212", "\uFF0D", "\uFE63"};
const char* const kInvisible[] = {"\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF",
                                  "\u00AD", "\u200E", "\u2066", "\uFE0F"};

using masking_test::valid_utf8;

}  // namespace

TEST(DetectUnicode, SpacesSeparateGroupsLikeASpace) {
    for (const char* sp : kSpaces) {
        const std::string card = replace_all("4111 1111 1111 1111", " ", sp);
        const std::string phone = replace_all("+44 7966 197542", " ", sp);
        const std::string ssn = replace_all("536 22 1234", " ", sp);
        EXPECT_EQ(found(card), "card:" + card);
        EXPECT_EQ(found(phone), "phone:" + phone);
        EXPECT_EQ(found(ssn), "ssn:" + ssn);
    }
    EXPECT_EQ(found("+\u00A01 (123) 456 7890"), "phone:+\u00A01 (123) 456 7890");
}

TEST(DetectUnicode, DashesSeparateGroupsLikeAHyphen) {
    for (const char* d : kDashes) {
        const std::string card = replace_all("4111-1111-1111-1111", "-", d);
        const std::string ssn = replace_all("536-22-1234", "-", d);
        const std::string phone = replace_all("555-123-4567", "-", d);
        EXPECT_EQ(found(card), "card:" + card);
        EXPECT_EQ(found(ssn), "ssn:" + ssn);
        EXPECT_EQ(found(phone), "phone:" + phone);
    }
}

TEST(DetectUnicode, InvisibleCharactersHideNothing) {
    for (const char* z : kInvisible) {
        const std::string zs(z);
        EXPECT_EQ(found("4111" + zs + "1111 1111 1111"), "card:4111" + zs + "1111 1111 1111");
        EXPECT_EQ(found("4" + zs + "1" + zs + "11111111111111"), "card:4" + zs + "1" + zs + "11111111111111");
        EXPECT_EQ(found("+44" + zs + "7966197542"), "phone:+44" + zs + "7966197542");
        EXPECT_EQ(found("mel" + zs + "issa@gmail.com"), "email:mel" + zs + "issa@gmail.com");
        EXPECT_EQ(found("GB82" + zs + "WEST12345698765432"), "iban:GB82" + zs + "WEST12345698765432");
        EXPECT_EQ(found("536-22-" + zs + "1234"), "ssn:536-22-" + zs + "1234");
        // Invisible characters do not glue a number to a word either side.
        EXPECT_EQ(found("x" + zs + "4111111111111111"), "");
    }
}

TEST(DetectUnicode, FullWidthDigitsPlusAtAndHyphen) {
    EXPECT_EQ(found("４１１１ １１１１ １１１１ １１１１"), "card:４１１１ １１１１ １１１１ １１１１");
    EXPECT_EQ(found("４１１１－１１１１－１１１１－１１１１"), "card:４１１１－１１１１－１１１１－１１１１");
    EXPECT_EQ(found("＋４４７９６６１９７５４２"), "phone:＋４４７９６６１９７５４２");
    EXPECT_EQ(found("melissa＠gmail.com"), "email:melissa＠gmail.com");
    EXPECT_EQ(found("4111１１１１1111１１１１"), "card:4111１１１１1111１１１１");  // mixed widths
}

// Customers who write Arabic or Persian often type these digits: they hide nothing
// either, and the kept last four come out as ASCII digits.
TEST(DetectUnicode, ArabicIndicAndPersianDigits) {
    EXPECT_EQ(found("رقمي ٠٥٠١٢٣٤٥٦٧ شكرا"), "phone:٠٥٠١٢٣٤٥٦٧");            // 050 123 4567
    EXPECT_EQ(found("کارت ۴۱۱۱ ۱۱۱۱ ۱۱۱۱ ۱۱۱۱"), "card:۴۱۱۱ ۱۱۱۱ ۱۱۱۱ ۱۱۱۱");  // Persian
    EXPECT_EQ(found("+٩٦٦٥٠١٢٣٤٥٦٧"), "phone:+٩٦٦٥٠١٢٣٤٥٦٧");                  // +966 50 123 4567
    EXPECT_EQ(found("SA03 ٨٠٠٠ ٠٠٠٠ ٦٠٨٠ ١٠١٦ ٧٥١٩"), "iban:SA03 ٨٠٠٠ ٠٠٠٠ ٦٠٨٠ ١٠١٦ ٧٥١٩");
    EXPECT_EQ(found("٤١١١١١١١١١١١١١١١ و 4111111111111111"), "card:٤١١١١١١١١١١١١١١١ | card:4111111111111111");
    EXPECT_EQ(found("الطلب ١٢٣"), "");  // short: an order, a quantity
    EXPECT_EQ(mask_text("رقمي ٠٥٠١٢٣٤٥٦٧"), "رقمي ******4567");
    EXPECT_EQ(mask_text("٤١١١-١١١١-١١١١-١١١١"), "***************1111");  // as 4111-1111-1111-1111
    EXPECT_EQ(mask_text(mask_text("رقمي ٠٥٠١٢٣٤٥٦٧")), mask_text("رقمي ٠٥٠١٢٣٤٥٦٧"));
    EXPECT_EQ(found("مرحبا، كيف حالك؟"), "");  // Arabic text, no digit
}

TEST(DetectUnicode, OffsetsAreBytesOfTheOriginalIncludingInvisibles) {
    const std::string text = "Tarjeta: 4111\u200B1111 1111 1111 ok";
    const auto spans = detect(text);
    ASSERT_EQ(spans.size(), 1u);
    EXPECT_EQ(spans[0].begin, 9u);
    EXPECT_EQ(spans[0].end, 9u + 4 + 3 + 4 + 1 + 4 + 1 + 4);
    EXPECT_EQ(text.substr(spans[0].begin, spans[0].end - spans[0].begin), "4111\u200B1111 1111 1111");

    const std::string wide = "é ＋４４７９６６１９７５４２ é";
    const auto w = detect(wide);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].begin, 3u);             // after "é "
    EXPECT_EQ(w[0].end, 3u + 13 * 3);       // thirteen 3-byte code points
}

TEST(DetectUnicode, MaskedInvisiblesAreRemovedAndCountNothing) {
    EXPECT_EQ(mask_text("4111\u200B1111 1111 1111"), "************1111");
    EXPECT_EQ(mask_text("mel\u200Bissa@gmail.com"), "m******@gmail.com");
    EXPECT_EQ(mask_text("＋４４７９６６１９７５４２"), "*********7542");
}

TEST(DetectUnicode, InvalidUtf8IsToleratedAndReplaced) {
    const std::string bad = "caf\xC3 4111 1111 1111 1111 \xFF\xFE end \xE2\x82";
    EXPECT_EQ(found(bad), "card:4111 1111 1111 1111");
    const std::string masked = mask_text(bad);
    EXPECT_TRUE(valid_utf8(masked));
    EXPECT_EQ(masked, "caf\uFFFD ************1111 \uFFFD\uFFFD end \uFFFD");
    // No PII, invalid bytes: still replaced.
    EXPECT_EQ(mask_text("a\x80z"), "a\uFFFDz");
    EXPECT_EQ(mask_text("\xED\xA0\x80"), "\uFFFD\uFFFD\uFFFD");  // encoded surrogate
    EXPECT_EQ(mask_text("\xC0\xAF"), "\uFFFD\uFFFD");          // overlong '/'
    // An invalid byte is a boundary, not a hiding place.
    EXPECT_EQ(found("4111\xFF" "1111 1111 1111"), "");
}

TEST(DetectUnicode, ValidInputWithoutPiiIsReturnedUnchanged) {
    for (const char* t : {"", "hola", "¿Qué tal? 😊 ñandú", "日本語のテキスト", "Ünïcödé — “quotes” …", "\u200B\u00A0"}) {
        EXPECT_EQ(mask_text(t), t);
    }
}

TEST(DetectUnicode, SpansNeverSplitACodePoint) {
    const std::string text = "ñ＋４４ ７９６６ １９７５４２ñ ４１１１ １１１１ １１１１ １１１１ñmelissa＠gmail.comñ";
    for (const Span& s : detect(text)) {
        ASSERT_LE(s.end, text.size());
        EXPECT_NE(static_cast<unsigned char>(text[s.begin]) & 0xC0, 0x80);
        if (s.end < text.size()) {
            EXPECT_NE(static_cast<unsigned char>(text[s.end]) & 0xC0, 0x80);
        }
    }
    EXPECT_TRUE(valid_utf8(mask_text(text)));
    EXPECT_TRUE(valid_utf8(mask_text(text, all_entities, "•")));
}
