// IBAN (ISO 13616): country code, two check digits, a BBAN of the country's length and
// format (SWIFT IBAN registry), mod 97 == 1. Written compact or in groups of four
// separated by one space or one dash, upper case only.
#include "detail.hpp"

#include <array>
#include <iterator>

namespace parley::masking::detail {

namespace {

// SWIFT IBAN registry (release of December 2024): total length and BBAN structure,
// "<count><type>" with n = digits, a = upper-case letters, c = upper-case alphanumeric.
struct Country {
    char cc[3];
    std::uint8_t len;
    const char* bban;
};

constexpr Country kCountries[] = {
    {"AD", 24, "4n4n12c"},    {"AE", 23, "3n16n"},        {"AL", 28, "8n16c"},       {"AT", 20, "5n11n"},
    {"AZ", 28, "4a20c"},      {"BA", 20, "3n3n8n2n"},     {"BE", 16, "3n7n2n"},      {"BG", 22, "4a4n2n8c"},
    {"BH", 22, "4a14c"},      {"BI", 27, "5n5n11n2n"},    {"BR", 29, "8n5n10n1a1c"}, {"BY", 28, "4c4n16c"},
    {"CH", 21, "5n12c"},      {"CR", 22, "4n14n"},        {"CY", 28, "3n5n16c"},     {"CZ", 24, "4n6n10n"},
    {"DE", 22, "8n10n"},      {"DJ", 27, "5n5n11n2n"},    {"DK", 18, "4n9n1n"},      {"DO", 28, "4c20n"},
    {"EE", 20, "2n14n"},      {"EG", 29, "4n4n17n"},      {"ES", 24, "4n4n1n1n10n"}, {"FI", 18, "3n11n"},
    {"FK", 18, "2a12n"},      {"FO", 18, "4n9n1n"},       {"FR", 27, "5n5n11c2n"},   {"GB", 22, "4a6n8n"},
    {"GE", 22, "2a16n"},      {"GI", 23, "4a15c"},        {"GL", 18, "4n9n1n"},      {"GR", 27, "3n4n16c"},
    {"GT", 28, "4c20c"},      {"HN", 28, "4a20n"},        {"HR", 21, "7n10n"},       {"HU", 28, "3n4n1n15n1n"},
    {"IE", 22, "4a6n8n"},     {"IL", 23, "3n3n13n"},      {"IQ", 23, "4a3n12n"},     {"IS", 26, "4n2n6n10n"},
    {"IT", 27, "1a5n5n12c"},  {"JO", 30, "4a4n18c"},      {"KW", 30, "4a22c"},       {"KZ", 20, "3n13c"},
    {"LB", 28, "4n20c"},      {"LC", 32, "4a24c"},        {"LI", 21, "5n12c"},       {"LT", 20, "5n11n"},
    {"LU", 20, "3n13c"},      {"LV", 21, "4a13c"},        {"LY", 25, "3n3n15n"},     {"MC", 27, "5n5n11c2n"},
    {"MD", 24, "2c18c"},      {"ME", 22, "3n13n2n"},      {"MK", 19, "3n10c2n"},     {"MN", 20, "4n12n"},
    {"MR", 27, "5n5n11n2n"},  {"MT", 31, "4a5n18c"},      {"MU", 30, "4a2n2n12n3n3a"}, {"NI", 28, "4a20n"},
    {"NL", 18, "4a10n"},      {"NO", 15, "4n6n1n"},       {"OM", 23, "3n16c"},       {"PK", 24, "4a16c"},
    {"PL", 28, "8n16n"},      {"PS", 29, "4a21c"},        {"PT", 25, "4n4n11n2n"},   {"QA", 29, "4a21c"},
    {"RO", 24, "4a16c"},      {"RS", 22, "3n13n2n"},      {"RU", 33, "9n5n15c"},     {"SA", 24, "2n18c"},
    {"SC", 31, "4a2n2n16n3a"}, {"SD", 18, "2n12n"},       {"SE", 24, "3n16n1n"},     {"SI", 19, "5n8n2n"},
    {"SK", 24, "4n6n10n"},    {"SM", 27, "1a5n5n12c"},    {"SO", 23, "4n3n12n"},     {"ST", 25, "4n4n11n2n"},
    {"SV", 28, "4a20n"},      {"TL", 23, "3n14n2n"},      {"TN", 24, "2n3n13n2n"},   {"TR", 26, "5n1n16c"},
    {"UA", 29, "6n19c"},      {"VA", 22, "3n15n"},        {"VG", 24, "4a16n"},       {"XK", 20, "4n10n2n"},
    {"YE", 30, "4a4n18c"},
};

// Index into kCountries + 1 by the two letters; 0 = no IBAN country.
constexpr std::array<std::uint8_t, 26 * 26> make_index() {
    std::array<std::uint8_t, 26 * 26> index{};
    for (std::size_t i = 0; i < std::size(kCountries); ++i)
        index[static_cast<std::size_t>((kCountries[i].cc[0] - 'A') * 26 + (kCountries[i].cc[1] - 'A'))] =
            static_cast<std::uint8_t>(i + 1);
    return index;
}
constexpr auto kIndex = make_index();

const Country* find_country(char a, char b) {
    if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z') return nullptr;
    const std::uint8_t i = kIndex[static_cast<std::size_t>((a - 'A') * 26 + (b - 'A'))];
    return i ? &kCountries[i - 1] : nullptr;
}

bool bban_ok(const char* fmt, std::string_view bban) {
    std::size_t i = 0;
    while (*fmt) {
        int count = 0;
        while (*fmt >= '0' && *fmt <= '9') count = count * 10 + (*fmt++ - '0');
        const char type = *fmt++;
        for (int k = 0; k < count; ++k, ++i) {
            if (i >= bban.size()) return false;
            const char c = bban[i];
            const bool digit = c >= '0' && c <= '9';
            const bool upper = c >= 'A' && c <= 'Z';
            if ((type == 'n' && !digit) || (type == 'a' && !upper) || (type == 'c' && !digit && !upper)) return false;
        }
    }
    return i == bban.size();
}

bool mod97_ok(std::string_view s) {
    // Reduced every seven characters (a letter is two digits): 97 * 100^7 fits in 64 bits.
    std::uint64_t r = 0;
    int pending = 0;
    auto add = [&](char c) {
        if (c >= '0' && c <= '9') r = r * 10 + static_cast<unsigned>(c - '0');
        else r = r * 100 + static_cast<unsigned>(c - 'A' + 10);
        if (++pending == 7) {
            r %= 97;
            pending = 0;
        }
    };
    for (char c : s.substr(4)) add(c);
    for (char c : s.substr(0, 4)) add(c);
    return r % 97 == 1;
}

bool upper_or_digit(Kind k) { return k == Kind::upper || k == Kind::digit; }

}  // namespace

bool iban_valid(std::string_view s) {
    if (s.size() < 5) return false;
    const Country* c = find_country(s[0], s[1]);
    if (!c || s.size() != c->len) return false;
    if (s[2] < '0' || s[2] > '9' || s[3] < '0' || s[3] > '9') return false;
    return bban_ok(c->bban, s.substr(4)) && mod97_ok(s);
}

namespace {

// The country of an IBAN whose check digits start at `digit`: two upper-case letters
// right before it (at or after lo), at the start of a word, that name an IBAN country.
// Sets p0 to the first letter.
const Country* country_before(std::string_view t, std::size_t digit, std::size_t lo, std::size_t& p0) {
    const std::size_t p1 = prev_visible(t, digit, lo);
    if (p1 == npos) return nullptr;
    const Cp c1 = decode(t, p1);
    if (c1.kind != Kind::upper) return nullptr;
    p0 = prev_visible(t, p1, lo);
    if (p0 == npos) return nullptr;
    const Cp c0 = decode(t, p0);
    if (c0.kind != Kind::upper) return nullptr;
    const Country* country = find_country(static_cast<char>(c0.c), static_cast<char>(c1.c));
    if (!country || glued_before(t, p0)) return nullptr;  // glued as a number would be: "x", "5432)", "ID-"
    return country;
}

}  // namespace

bool may_start_iban(std::string_view t, std::size_t digit) {
    std::size_t p0;
    return country_before(t, digit, 0, p0) != nullptr;
}

IbanResult match_iban(std::string_view t, std::size_t digit, std::size_t lo, Match& m) {
    std::size_t p0 = 0;
    const Country* country = country_before(t, digit, lo, p0);
    if (!country) return IbanResult::none;

    char buf[40] = {country->cc[0], country->cc[1]};
    std::size_t len = 2;
    int in_group = 2;  // characters in the current group of four
    char sep = 0;      // ' ' or '-' once grouped
    std::size_t p = digit, end = digit;
    while (len < country->len) {
        if (p >= t.size()) return IbanResult::none;
        Cp c;
        if (const auto byte = static_cast<unsigned char>(t[p]); byte < 0x80) {  // nothing to skip
            c = Cp{byte, 1, kAsciiKind[byte]};
        } else {
            p = skip_invisible(t, p);
            if (p >= t.size()) return IbanResult::none;
            c = decode(t, p);
        }
        if (upper_or_digit(c.kind)) {
            if (sep && in_group == 4) return IbanResult::none;  // groups of four
            buf[len++] = static_cast<char>(c.c);
            ++in_group;
            p += c.len;
            end = p;
            continue;
        }
        if ((c.kind == Kind::space || c.kind == Kind::dash) && in_group == 4 && (sep || len == 4)) {
            const char s = c.kind == Kind::space ? ' ' : '-';
            if (sep && s != sep) return IbanResult::none;
            const std::size_t q = skip_invisible(t, p + c.len);
            if (q >= t.size() || !upper_or_digit(decode(t, q).kind)) return IbanResult::none;
            sep = s;
            in_group = 0;
            p = q;
            continue;
        }
        return IbanResult::none;
    }
    // Nothing glued after: no letter or digit (no fifth character in a group either), no
    // e-mail address going on.
    if (glued_after(t, end, false, false)) return IbanResult::none;
    m = {p0, end};
    return iban_valid({buf, len}) ? IbanResult::valid : IbanResult::shape;
}

}  // namespace parley::masking::detail
