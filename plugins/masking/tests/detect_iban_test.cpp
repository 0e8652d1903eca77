// IBANs: country length and BBAN format, mod 97, compact or grouped by four.
#include "detect_test_support.hpp"

#include <gtest/gtest.h>

using namespace detect_test;

namespace {

const std::uint32_t kIban = entity_bit(Entity::iban);

// Registry examples (SWIFT IBAN registry) and well-known samples.
const char* const kValid[] = {
    "GB82WEST12345698765432",        "DE89370400440532013000",         "ES9121000418450200051332",
    "FR1420041010050500013M02606",   "NL91ABNA0417164300",             "BE68539007547034",
    "IT60X0542811101000000123456",   "CH9300762011623852957",          "AT611904300234573201",
    "NO9386011117947",               "PT50000201231234567890154",      "PL61109010140000071219812874",
    "SE4550000000058398257466",      "IE29AIBK93115212345678",         "DK5000400440116243",
    "FI2112345600000785",            "LU280019400644750000",           "MT84MALT011000012345MTLCAST001S",
    "SC18SSCB11010000000000001497USD", "BR1800360305000010009795493C1", "SA0380000000608010167519",
};

}  // namespace

TEST(DetectIban, RegistryExamplesCompact) {
    for (const char* iban : kValid) {
        SCOPED_TRACE(iban);
        EXPECT_EQ(found(iban), whole(Entity::iban, iban));
    }
}

TEST(DetectIban, GroupsOfFourWithSpacesOrDashes) {
    for (const char* iban : kValid) {
        SCOPED_TRACE(iban);
        for (const char* sep : {" ", "-", "\u00A0"}) {
            const std::string g = grouped(iban, sep);
            EXPECT_EQ(found(g), whole(Entity::iban, g));
        }
    }
    EXPECT_EQ(found("Mi IBAN: ES91 2100 0418 4502 0005 1332, gracias"), "iban:ES91 2100 0418 4502 0005 1332");
}

TEST(DetectIban, EveryCountryLengthFromTheRegistry) {
    // Country, IBAN length: a BBAN of digits (or letters where the format wants them)
    // with the right check digits must be found; one character more or less must not.
    struct Country {
        const char* cc;
        const char* bban;
    };
    const Country countries[] = {
        {"AD", "00012030200359100100"},     {"AE", "0331234567890123456"},      {"AL", "202111090000000001234567"},
        {"AT", "1904300234573201"},         {"AZ", "NABZ00000000137010001944"}, {"BA", "1990440001200279"},
        {"BE", "539007547034"},             {"BG", "BNBG96611020345678"},       {"BH", "BMAG00001299123456"},
        {"BI", "10000100010000332045181"},  {"BR", "00360305000010009795493C1"}, {"BY", "NBRB3600900000002Z00AB00"},
        {"CH", "00762011623852957"},        {"CR", "015202001026284066"},       {"CY", "002001280000001200527600"},
        {"CZ", "06000000000123457811"},     {"DE", "370400440532013000"},       {"DJ", "00010000000154000100186"},
        {"DK", "00400440116243"},           {"DO", "BAGR00000001212453611324"}, {"EE", "2200221020145685"},
        {"EG", "0019000500000000263180002"}, {"ES", "21000418450200051332"},     {"FI", "12345600000785"},
        {"FK", "SC123456789012"},           {"FO", "64600001631634"},           {"FR", "20041010050500013M02606"},
        {"GB", "WEST12345698765432"},       {"GE", "NB0000000101904917"},       {"GI", "NWBK000000007099453"},
        {"GL", "64710001000206"},           {"GR", "01101250000000012300695"},  {"GT", "TRAJ01020000001210029690"},
        {"HN", "CABF00000000000250005469"}, {"HR", "10010051863000160"},        {"HU", "117730161111101800000000"},
        {"IE", "AIBK93115212345678"},       {"IL", "0108000000099999999"},      {"IQ", "NBIQ850123456789012"},
        {"IS", "0159260076545510730339"},   {"IT", "X0542811101000000123456"},  {"JO", "CBJO0010000000000131000302"},
        {"KW", "CBKU0000000000001234560101"}, {"KZ", "125KZT5004100100"},       {"LB", "099900000001001901229114"},
        {"LC", "HEMM000100010012001200023015"}, {"LI", "088100002324013AA"},    {"LT", "1000011101001000"},
        {"LU", "0019400644750000"},         {"LV", "BANK0000435195001"},        {"LY", "002048000020100120361"},
        {"MC", "11222000010123456789030"},  {"MD", "AG000225100013104168"},     {"ME", "505000012345678951"},
        {"MK", "250120000058984"},          {"MN", "1234123456789123"},         {"MR", "00020001010000123456753"},
        {"MT", "MALT011000012345MTLCAST001S"}, {"MU", "BOMM0101101030300200000MUR"}, {"NI", "BAPR00000013000003558124"},
        {"NL", "ABNA0417164300"},           {"NO", "86011117947"},              {"OM", "0180000001299123456"},
        {"PK", "SCBL0000001123456702"},     {"PL", "109010140000071219812874"}, {"PS", "PALS000000000400123456702"},
        {"PT", "000201231234567890154"},    {"QA", "DOHB00001234567890ABCDEFG"}, {"RO", "AAAA1B31007593840000"},
        {"RS", "260005601001611379"},       {"RU", "04452522540817810538091310419"}, {"SA", "80000000608010167519"},
        {"SC", "SSCB11010000000000001497USD"}, {"SD", "29010501234001"},        {"SE", "50000000058398257466"},
        {"SI", "263300012039086"},          {"SK", "12000000198742637541"},     {"SM", "U0322509800000000270100"},
        {"SO", "1000001001000100141"},      {"ST", "000200000289355710148"},    {"SV", "CENR00000000000000700025"},
        {"TL", "0080012345678910157"},      {"TN", "10006035183598478831"},     {"TR", "0006100519786457841326"},
        {"UA", "3223130000026007233566001"}, {"VA", "059001123000012345"},      {"VG", "VPVG0000012345678901"},
        {"XK", "1212012345678906"},         {"YE", "CBYE0001018861234567891234"},
    };
    for (const Country& c : countries) {
        const std::string iban = iban_with_check(c.cc, c.bban);
        SCOPED_TRACE(iban);
        EXPECT_EQ(found(iban, kIban), whole(Entity::iban, iban));
        EXPECT_EQ(found(grouped(iban, " "), kIban), whole(Entity::iban, grouped(iban, " ")));
        const std::string longer = iban_with_check(c.cc, std::string(c.bban) + "0");
        const std::string shorter = iban_with_check(c.cc, std::string(c.bban).substr(1));
        EXPECT_EQ(found(longer), "");
        EXPECT_EQ(found(shorter), "");
    }
}

TEST(DetectIban, BrokenCheckDigitsRejected) {
    EXPECT_EQ(found("GB83WEST12345698765432"), "");
    EXPECT_EQ(found("GB82WEST12345698765433"), "");
    EXPECT_EQ(found("GB82WEST12345698765423"), "");  // transposition
    EXPECT_EQ(found("ES91 2100 0418 4502 0005 1333"), "");
    EXPECT_EQ(found("DE00370400440532013000"), "");
}

TEST(DetectIban, LowerCaseRejected) {
    EXPECT_EQ(found("gb82west12345698765432"), "");
    EXPECT_EQ(found("gb82 west 1234 5698 7654 32"), "");
    EXPECT_EQ(found("GB82west12345698765432"), "");
    EXPECT_EQ(found("Gb82WEST12345698765432"), "");
    EXPECT_EQ(found("fr1420041010050500013m02606"), "");
}

TEST(DetectIban, WrongBbanFormatRejectedEvenWithGoodCheckDigits) {
    // GB wants four letters then digits; the check digits are right for these.
    EXPECT_EQ(found(iban_with_check("GB", "123412345698765432")), "");
    // NL wants four letters.
    EXPECT_EQ(found(iban_with_check("NL", "AB120417164300")), "");
    // DE is digits only.
    EXPECT_EQ(found(iban_with_check("DE", "37040044053201300A")), "");
    // Unknown country.
    EXPECT_EQ(found(iban_with_check("XX", "370400440532013000")), "");
    EXPECT_EQ(found(iban_with_check("US", "370400440532013000")), "");
}

TEST(DetectIban, GroupingMustBeByFourAndConsistent) {
    EXPECT_EQ(found("GB82 WEST-1234 5698 7654 32"), "");
    EXPECT_EQ(found("GB82 WES T123 4569 8765 432"), "");
    EXPECT_EQ(found("GB 82 WEST 1234 5698 7654 32"), "");
    EXPECT_EQ(found("GB82WEST 1234 5698 7654 32"), "");
    EXPECT_EQ(found("GB82  WEST  1234  5698  7654  32"), "");
}

TEST(DetectIban, NotGlued) {
    EXPECT_EQ(found("XGB82WEST12345698765432"), "");
    EXPECT_EQ(found("GB82WEST12345698765432X"), "");
    EXPECT_EQ(found("GB82WEST123456987654321"), "");
    EXPECT_EQ(found("iban=GB82WEST12345698765432"), "iban:GB82WEST12345698765432");
    EXPECT_EQ(found("IBAN:GB82WEST12345698765432."), "iban:GB82WEST12345698765432");
}

TEST(DetectIban, NeverAPhoneOrACardEvenWhenBrokenOrNotAsked) {
    for (const char* text : {"ES91 2100 0418 4502 0005 1333", "ES91 2100 0418 4502 0005 1332", "DE00370400440532013000",
                             "NO9386011117947"}) {
        SCOPED_TRACE(text);
        EXPECT_EQ(found(text, all_entities & ~kIban), "");
    }
}

TEST(DetectIban, FullWidthAndInvisibleCharacters) {
    EXPECT_EQ(found("ＧＢ８２ＷＥＳＴ１２３４５６９８７６５４３２"), "iban:ＧＢ８２ＷＥＳＴ１２３４５６９８７６５４３２");
    EXPECT_EQ(found("GB82\u200BWEST\u200B12345698765432"), "iban:GB82\u200BWEST\u200B12345698765432");
    EXPECT_EQ(found("GB82\u202FWEST\u202F1234\u202F5698\u202F7654\u202F32"),
              "iban:GB82\u202FWEST\u202F1234\u202F5698\u202F7654\u202F32");
    EXPECT_EQ(found("GB82\u2013WEST\u20131234\u20135698\u20137654\u201332"),
              "iban:GB82\u2013WEST\u20131234\u20135698\u20137654\u201332");
}
