// E-mail addresses: local part, domain labels, TLD, IDN and punycode, boundaries.
#include "detect_test_support.hpp"

#include <gtest/gtest.h>

using namespace detect_test;

namespace {

const std::uint32_t kEmail = entity_bit(Entity::email);

}  // namespace

TEST(DetectEmail, PlainAddresses) {
    for (const char* a : {"melissa@gmail.com", "first.last@example.co.uk", "user+tag@gmail.com",
                          "user.name+tag-1@sub.domain.example.org", "o'brien@example.ie", "x_y%z@example.com",
                          "MELISSA@GMAIL.COM", "a@b.io", "12345@numbers.net", "info@my-company.es"}) {
        SCOPED_TRACE(a);
        EXPECT_EQ(found(a), whole(Entity::email, a));
    }
}

TEST(DetectEmail, InternationalizedAddresses) {
    for (const char* a : {"josé@correo.es", "user@münchen.de", "user@xn--mnchen-3ya.de", "user@example.xn--p1ai",
                          "user@пример.рф", "用户@例子.中国", "pelé@futebol.com.br", "ñandú@dominio.com.ar"}) {
        SCOPED_TRACE(a);
        EXPECT_EQ(found(a), whole(Entity::email, a));
    }
}

TEST(DetectEmail, BoundariesInSentences) {
    EXPECT_EQ(found("Write to melissa@gmail.com."), "email:melissa@gmail.com");
    EXPECT_EQ(found("(melissa@gmail.com)"), "email:melissa@gmail.com");
    EXPECT_EQ(found("<melissa@gmail.com>"), "email:melissa@gmail.com");
    EXPECT_EQ(found("mailto:melissa@gmail.com"), "email:melissa@gmail.com");
    EXPECT_EQ(found("*melissa@gmail.com*"), "email:melissa@gmail.com");
    EXPECT_EQ(found("'melissa@gmail.com'"), "email:melissa@gmail.com");
    EXPECT_EQ(found("\"melissa@gmail.com\","), "email:melissa@gmail.com");
    EXPECT_EQ(found("correo:melissa@gmail.com, gracias"), "email:melissa@gmail.com");
    EXPECT_EQ(found("...melissa@gmail.com..."), "email:melissa@gmail.com");
    EXPECT_EQ(found("melissa@gmail.com-"), "email:melissa@gmail.com");
    EXPECT_EQ(found("?to=melissa@gmail.com&x=1"), "email:melissa@gmail.com");
    EXPECT_EQ(found("a@x.com b@y.org"), "email:a@x.com | email:b@y.org");
}

TEST(DetectEmail, NotMentionsOrBareHosts) {
    EXPECT_EQ(found("@mentions"), "");
    EXPECT_EQ(found("hey @melissa how are you"), "");
    EXPECT_EQ(found("@gmail.com"), "");
    EXPECT_EQ(found("a@b"), "");
    EXPECT_EQ(found("user@localhost"), "");
    EXPECT_EQ(found("user@"), "");
    EXPECT_EQ(found("user@.com"), "");
    EXPECT_EQ(found("user@-domain.com"), "");
    EXPECT_EQ(found("user@domain.c"), "");
    EXPECT_EQ(found("user@domain.123"), "");
    EXPECT_EQ(found("user@domain.c0m"), "");
    EXPECT_EQ(found("user @gmail.com"), "");
}

TEST(DetectEmail, NotFileNames) {
    EXPECT_EQ(found("image@2x.png"), "");
    EXPECT_EQ(found("icon@3x.jpg"), "");
    EXPECT_EQ(found("logo@2x.webp"), "");
    EXPECT_EQ(found("report@final.pdf"), "");
    EXPECT_EQ(found("backup@2024.zip"), "");
    // ccTLDs that are also extensions stay addresses.
    EXPECT_EQ(found("jan@firma.pl"), "email:jan@firma.pl");
    EXPECT_EQ(found("ion@firma.md"), "email:ion@firma.md");
}

TEST(DetectEmail, FullWidthAndInvisibleCharacters) {
    EXPECT_EQ(found("melissa＠gmail.com"), "email:melissa＠gmail.com");
    EXPECT_EQ(found("melissa﹫gmail.com"), "email:melissa﹫gmail.com");
    EXPECT_EQ(found("mel\u200Bissa@gmail.com"), "email:mel\u200Bissa@gmail.com");
    EXPECT_EQ(found("melissa@gmail\u200B.com"), "email:melissa@gmail\u200B.com");
    EXPECT_EQ(found("melissa@gmail。com"), "email:melissa@gmail。com");
    EXPECT_EQ(found("melissa@gmail．com"), "email:melissa@gmail．com");
}

TEST(DetectEmail, DigitsInTheLocalPartAreNotPhones) {
    EXPECT_EQ(found("612345678@gmail.com"), "email:612345678@gmail.com");
    EXPECT_EQ(found("john.612345678@gmail.com"), "email:john.612345678@gmail.com");
    EXPECT_EQ(found("34612345678@s.whatsapp.net"), "email:34612345678@s.whatsapp.net");
    EXPECT_EQ(found("612345678@gmail.com", all_entities & ~kEmail), "");
}

TEST(DetectEmail, OnlyWhenAsked) {
    EXPECT_EQ(found("melissa@gmail.com", all_entities & ~kEmail), "");
    EXPECT_EQ(found("melissa@gmail.com", kEmail), "email:melissa@gmail.com");
}

// RFC 1035 lengths count only the labels the address keeps: what goes on after a
// hyphen is the sentence, and masking a number there must not make an address appear
// on a second pass (a libFuzzer find).
TEST(DetectEmail, DomainLengthsCountOnlyTheLabelsKept) {
    const std::string text = "escribe a ana@correo.es-078051119-" + std::string(60, 'V');
    EXPECT_EQ(found(text, kEmail), "email:ana@correo.es");
    const std::string once = parley::masking::mask_text(text);
    EXPECT_EQ(parley::masking::mask_text(once), once);
    EXPECT_EQ(found("melissa@gmail.com." + std::string(70, 'x'), kEmail), "email:melissa@gmail.com");
    // A long word with a number in it, then another label: masked or not, the address
    // ends at the last TLD before the long word.
    const std::string run_on = "2222@ajt.fo.cnna-e1119-" + std::string(30, 'V') + "--078051138-" + std::string(30, 'V') + ".cnna!";
    EXPECT_EQ(found(run_on, kEmail), "email:2222@ajt.fo.cnna");
    const std::string masked = parley::masking::mask_text(run_on);
    EXPECT_EQ(parley::masking::mask_text(masked), masked);
    const std::string label63 = "a@" + std::string(63, 'b') + ".com";
    EXPECT_EQ(found(label63, kEmail), whole(Entity::email, label63));
    EXPECT_EQ(found("a@" + std::string(64, 'b') + ".com", kEmail), "");
    EXPECT_EQ(found("a@b." + std::string(64, 'c'), kEmail), "");
    std::string long_domain = "a@";
    for (int i = 0; i < 5; ++i) long_domain += std::string(50, 'd') + ".";
    // 258 bytes: the address keeps the labels that fit, the last of them a TLD.
    EXPECT_EQ(found(long_domain + "com", kEmail), "email:" + long_domain.substr(0, long_domain.size() - 52));
}

// A punycode-looking last label that runs on past 63 bytes: the address ends before the
// last hyphen that leaves a TLD within the lengths, as it does once a number after that
// hyphen is masked and cuts the label there (a fuzz find: an SSN masked inside the label
// made a second pass find "09@e.xn--x9I").
TEST(DetectEmail, ALabelTooLongEndsAtAHyphenBeforeMaskingCutsIt) {
    const std::string text = "09@e.xn--x9I--067283838--1283838--06728383867283838--0672838387283838";
    EXPECT_EQ(found(text, kEmail), "email:09@e.xn--x9I--067283838--1283838--06728383867283838");
    const std::string once = parley::masking::mask_text(text);
    EXPECT_EQ(parley::masking::mask_text(once), once);
    // Cut where the SSN was masked, the address reads the same.
    EXPECT_EQ(found("09@e.xn--x9I--*****3838--1283838", kEmail), "email:09@e.xn--x9I");
    // A label that is no TLD still ends before its first hyphen: "es" of "es-GB82".
    EXPECT_EQ(found("ana@correo.es-GB82", kEmail), "email:ana@correo.es");
}

// An IBAN keeps its last four letters or digits, which may all be letters: masked, it
// reads as a masked number in front of the local part, as a number with digits does
// (a fuzz find).
TEST(DetectEmail, AnIbanMaskedBeforeALocalPartLeavesWhereItStarts) {
    // (A local part this long keeps the IBAN out of it; a short one would take it in.)
    const std::string local = "meliGGl.com**GGGGGGGGGGGGGGcoGGGGGGGGGGGssa";
    const std::string text = "LI17915104BBBBBBBBBCB*" + local + "@g.co";
    EXPECT_EQ(found(text), "iban:LI17915104BBBBBBBBBCB | email:" + local + "@g.co");
    const std::string once = parley::masking::mask_text(text);
    EXPECT_EQ(once, "*****************BBCB*m" + std::string(local.size() - 1, '*') + "@g.co");
    EXPECT_EQ(parley::masking::mask_text(once), once);
}

// Invisible characters do not stop a punycode TLD ("xn--25-1\u00AD5"), as they stop
// nothing else: else the next address glued after it was found on a first pass, and once
// its local part was masked ("1*@"), "xn--25-1" was a TLD that left it no local part (a
// fuzz find).
TEST(DetectEmail, InvisibleCharactersInAPunycodeTldAreSkipped) {
    const std::string text = "@l.xn--25-1\xC2\xAD" "5@e.xn--120990176";
    const std::string once = parley::masking::mask_text(text);
    EXPECT_EQ(parley::masking::mask_text(once), once);
    EXPECT_EQ(found("ana@correo.xn--mnchen\xE2\x80\x8B-3ya", kEmail), "email:ana@correo.xn--mnchen\xE2\x80\x8B-3ya");
    // Still no hyphen right after "xn--": the label is no TLD, and the address ends before it.
    EXPECT_EQ(found("ana@correo.xn--\xE2\x80\x8B-3ya", kEmail), "email:ana@correo.xn");
}

// A punycode TLD has two characters or more after "xn--": masking an address glued
// after a domain leaves one ("xn--j***@"), which must not read as a TLD on a second pass.
TEST(DetectEmail, GluedAddressesReadTheSameOnceMasked) {
    // The first label is tried up to the character punycode has no room for ("é"), then
    // before its hyphens: the second address starts there, masked or not.
    const std::string text = "ana@correo.xn--josé@gmail.xn--7612345678";
    EXPECT_EQ(found(text, kEmail), "email:ana@correo.xn--jos | email:é@gmail.xn--7612345678");
    const std::string once = parley::masking::mask_text(text);
    EXPECT_EQ(once, "a**@correo.xn--josé@gmail.xn--7612345678");
    EXPECT_EQ(found(once), "email:a**@correo.xn--jos | email:é@gmail.xn--7612345678");
    EXPECT_EQ(parley::masking::mask_text(once), once);
    // Fuzz finds: read up to a hyphen instead, "xn--a5-n" was a TLD only once "nº@" was
    // masked to "n*@", and the second pass saw no address but an SSN.
    for (const std::string glued : {"@l.xn--a5-n\xC2\xBA@S.xn--022320322", "@m.xn--Lo-m\xD3\xAD@g.xn--555555555"}) {
        const std::string masked_once = parley::masking::mask_text(glued);
        EXPECT_EQ(parley::masking::mask_text(masked_once), masked_once) << glued;
    }
    EXPECT_EQ(found("user@example.xn--p1ai", kEmail), "email:user@example.xn--p1ai");
    EXPECT_EQ(found("user@example.xn--p1", kEmail), "email:user@example.xn--p1");
    EXPECT_EQ(found("user@example.xn--p", kEmail), "email:user@example.xn");  // the sentence goes on
    const std::string three_hyphens = "ana@correo.xn---josé@gmail.com";
    const std::string masked = parley::masking::mask_text(three_hyphens);
    EXPECT_EQ(masked, "a**@correo.xn---j***@gmail.com");
    EXPECT_EQ(found(masked), "email:a**@correo.xn | email:j***@gmail.com");
    EXPECT_EQ(parley::masking::mask_text(masked), masked);
}
