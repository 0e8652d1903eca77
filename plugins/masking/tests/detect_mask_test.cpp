// The masked forms: the product help page's examples, the rules behind them, the mask
// character, explicit spans, idempotence.
#include "detect_test_support.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace detect_test;
using parley::masking::mask;
using parley::masking::mask_text;
using parley::masking::Span;
using parley::masking::valid_mask_char;

TEST(DetectMask, HelpPageExamples) {
    EXPECT_EQ(mask_text("+ 1 (123) 456 7890"), "**********7890");
    EXPECT_EQ(mask_text("+447966197542"), "*********7542");
    EXPECT_EQ(mask_text("melissa@gmail.com"), "m******@gmail.com");
}

TEST(DetectMask, NumbersKeepTheLastFourDigits) {
    // One mask character per visible, non-whitespace code point, minus the four kept.
    EXPECT_EQ(mask_text("4111 1111 1111 1111"), "************1111");
    EXPECT_EQ(mask_text("4111-1111-1111-1111"), "***************1111");
    EXPECT_EQ(mask_text("378282246310005"), "***********0005");
    EXPECT_EQ(mask_text("536-22-1234"), "*******1234");
    EXPECT_EQ(mask_text("536221234"), "*****1234");
    EXPECT_EQ(mask_text("(555) 123-4567"), "*********4567");
    EXPECT_EQ(mask_text("612 345 678"), "*****5678");
    EXPECT_EQ(mask_text("+44 (0)20 7946 0018"), "************0018");
    EXPECT_EQ(mask_text("GB82 WEST 1234 5698 7654 32"), "******************5432");
    EXPECT_EQ(mask_text("GB82WEST12345698765432"), "******************5432");
    // IBAN: the last four characters, letters included.
    EXPECT_EQ(mask_text("MU17 BOMM 0101 1010 3030 0200 000M UR"), "**************************0MUR");
}

TEST(DetectMask, EmailsKeepTheFirstCodePointAndTheDomain) {
    EXPECT_EQ(mask_text("josé@correo.es"), "j***@correo.es");
    EXPECT_EQ(mask_text("élodie@münchen.de"), "é*****@münchen.de");
    EXPECT_EQ(mask_text("a@b.io"), "a@b.io");
    EXPECT_EQ(mask_text("melissa＠gmail.com"), "m******@gmail.com");  // '@' as ASCII
    EXPECT_EQ(mask_text("user+tag@sub.example.org"), "u*******@sub.example.org");
    EXPECT_EQ(mask_text("用户@例子.中国"), "用*@例子.中国");
}

TEST(DetectMask, SurroundingTextIsUntouched) {
    EXPECT_EQ(mask_text("Hola, mi tarjeta es 4111 1111 1111 1111 y mi correo melissa@gmail.com. ¡Gracias!"),
              "Hola, mi tarjeta es ************1111 y mi correo m******@gmail.com. ¡Gracias!");
    EXPECT_EQ(mask_text("Llámame al +34 612 345 678 😊"), "Llámame al ********5678 😊");
}

TEST(DetectMask, AnySingleCharacterAsMask) {
    EXPECT_EQ(mask_text("+447966197542", parley::masking::all_entities, "•"), "•••••••••7542");
    EXPECT_EQ(mask_text("+447966197542", parley::masking::all_entities, "#"), "#########7542");
    EXPECT_EQ(mask_text("+447966197542", parley::masking::all_entities, "_"), "_________7542");
    EXPECT_EQ(mask_text("melissa@gmail.com", parley::masking::all_entities, "█"), "m██████@gmail.com");
    EXPECT_EQ(mask_text("melissa@gmail.com", parley::masking::all_entities, "🔒"), "m🔒🔒🔒🔒🔒🔒@gmail.com");
}

TEST(DetectMask, InvalidMaskCharactersThrow) {
    // Letters, currency signs and '%' are refused too: masked text must not read as text
    // or as an amount ("XXXXXXXXX7542" reads like a reference, "mxxxxxx@" is a local
    // part, "612345678 $$$$$$$$$$$$1111" an amount), or masking twice could differ.
    for (const char* mc : {"", "**", "ab", "1", "１", " ", "\u00A0", "\u200B", "+", "@", "＠", "\n", "\t", "\xFF",
                           "\xC3", "x", "X", "é", "ж", "中", "\uFFFD", "$", "€", "£", "%"}) {
        SCOPED_TRACE(mc);
        EXPECT_FALSE(valid_mask_char(mc));
        EXPECT_THROW(mask_text("melissa@gmail.com", parley::masking::all_entities, mc), std::invalid_argument);
        EXPECT_THROW(mask_text("no pii here", parley::masking::all_entities, mc), std::invalid_argument);
    }
    for (const char* mc : {"*", "•", "#", "_", "█", "🔒", "-", ".", "·", "×"}) EXPECT_TRUE(valid_mask_char(mc)) << mc;
}

TEST(DetectMask, ExplicitSpans) {
    const std::string text = "ab 4111111111111111 cd";
    EXPECT_EQ(mask(text, {{Entity::card, 3, 19}}), "ab ************1111 cd");
    EXPECT_EQ(mask(text, {}), text);
    EXPECT_EQ(mask("ab", {{Entity::phone, 1, 1}}), "ab");  // empty span
}

TEST(DetectMask, MalformedSpansThrow) {
    const std::string text = "ab 4111111111111111 cd é";
    EXPECT_THROW(mask(text, {{Entity::card, 3, 40}}), std::invalid_argument);             // past the end
    EXPECT_THROW(mask(text, {{Entity::card, 5, 3}}), std::invalid_argument);              // reversed
    EXPECT_THROW(mask(text, {{Entity::card, 3, 10}, {Entity::card, 8, 12}}), std::invalid_argument);  // overlap
    EXPECT_THROW(mask(text, {{Entity::card, 10, 12}, {Entity::card, 3, 5}}), std::invalid_argument);  // unsorted
    EXPECT_THROW(mask(text, {{Entity::card, 23, 24}}), std::invalid_argument);            // inside "é"
    EXPECT_THROW(mask(text, {{static_cast<Entity>(9), 3, 5}}), std::invalid_argument);    // no such entity
}

TEST(DetectMask, Idempotent) {
    const char* texts[] = {
        "+ 1 (123) 456 7890",
        "+447966197542 and melissa@gmail.com",
        "4111 1111 1111 1111 612345678",
        "600 006 789 12 345",
        "GB82 WEST 1234 5698 7654 32 / ES91 2100 0418 4502 0005 1332",
        "536-22-1234, 536 22 1234, 536.22.1234",
        "Call (555) 123-4567 or 07966 197542 or 612 34 56 78",
        "'melissa@gmail.com' *612 345 678* 612345678@gmail.com",
        "４１１１ １１１１ １１１１ １１１１ ＋４４７９６６１９７５４２",
        "card ending ****1111, call 612345678",
    };
    for (const char* t : texts) {
        for (const char* mc : {"*", "•", "#", "_", "~", "-", ".", "(", "█", "'"}) {
            SCOPED_TRACE(std::string(t) + " with " + mc);
            const std::string once = mask_text(t, parley::masking::all_entities, mc);
            EXPECT_EQ(mask_text(once, parley::masking::all_entities, mc), once);
        }
    }
}

TEST(DetectMask, NoDigitOfADetectedNumberSurvivesButTheLastFour) {
    const std::string text =
        "4111 1111 1111 1111; +44 7966 197542; 536-22-1234; GB82WEST12345698765432; (555) 123-4567";
    const std::string masked = mask_text(text);
    EXPECT_EQ(masked, "************1111; *********7542; *******1234; ******************5432; *********4567");
    EXPECT_EQ(count_digits(masked), 5 * 4);
}
