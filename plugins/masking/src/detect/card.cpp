// Payment card numbers: brand prefix (IIN range) and length, Luhn, written together or
// in groups with one consistent separator (single space or single dash).
#include "detail.hpp"

namespace parley::masking::detail {

namespace {

struct Brand {
    int digits;          // prefix length
    int lo, hi;          // prefix range, inclusive
    int min_len, max_len;
    bool only_13_16_19 = false;  // Visa
};

// Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro, Mir.
constexpr Brand kBrands[] = {
    {1, 4, 4, 13, 19, true},     // Visa
    {2, 51, 55, 16, 16},         // Mastercard
    {4, 2221, 2720, 16, 16},     // Mastercard 2-series
    {2, 34, 34, 15, 15},         // American Express
    {2, 37, 37, 15, 15},
    {4, 6011, 6011, 16, 19},     // Discover
    {3, 644, 649, 16, 19},
    {2, 65, 65, 16, 19},
    {4, 3528, 3589, 16, 19},     // JCB
    {3, 300, 305, 14, 19},       // Diners Club
    {4, 3095, 3095, 14, 19},
    {2, 36, 36, 14, 19},
    {2, 38, 39, 14, 19},
    {2, 62, 62, 16, 19},         // UnionPay
    {2, 50, 50, 12, 19},         // Maestro
    {2, 56, 69, 12, 19},
    {4, 2200, 2204, 16, 19},     // Mir
};

}  // namespace

bool luhn_ok(std::string_view d) {
    // Every second digit from the right doubled, digits of the product summed: a table, no
    // branch on the digit.
    constexpr int kDoubled[10] = {0, 2, 4, 6, 8, 1, 3, 5, 7, 9};
    int sum = 0;
    std::size_t i = d.size();
    while (i >= 2) {
        sum += (d[i - 1] - '0') + kDoubled[d[i - 2] - '0'];
        i -= 2;
    }
    if (i == 1) sum += d[0] - '0';
    return sum % 10 == 0;
}

bool card_brand_ok(std::string_view d) {
    const int len = static_cast<int>(d.size());
    if (len < 12 || len > 19) return false;
    // The prefix of each length once, not a division per brand.
    const int p1 = d[0] - '0', p2 = p1 * 10 + (d[1] - '0'), p3 = p2 * 10 + (d[2] - '0'), p4 = p3 * 10 + (d[3] - '0');
    const int prefixes[5] = {0, p1, p2, p3, p4};
    for (const Brand& b : kBrands) {
        const int prefix = prefixes[b.digits];
        if (prefix < b.lo || prefix > b.hi || len < b.min_len || len > b.max_len) continue;
        if (b.only_13_16_19 && len != 13 && len != 16 && len != 19) continue;
        return true;
    }
    return false;
}

bool is_card(const Number& n) {
    if (n.plus || n.paren_groups || n.bad_parens) return false;
    if (n.ndig < 12 || n.ndig > 19) return false;
    if (n.ngroups > 1) {
        // Groups as cards are printed: 4-4-4-4, 4-6-5 (Amex), 4-6-4 (Diners), 4-4-4-4-3;
        // eight where an invisible character joined two fours. Not "302-6380339-2296204",
        // an order number.
        const std::uint8_t s = n.uniform_sep();
        if (s != kSpace && s != kDash) return false;
        if (n.len(0) != 4 && n.len(0) != 8) return false;
        for (int k = 1; k + 1 < n.ngroups; ++k)
            if (n.len(k) != 4 && n.len(k) != 6 && n.len(k) != 8) return false;
        if (n.len(n.ngroups - 1) > 8) return false;
    }
    const std::string_view d = n.str();
    return card_brand_ok(d) && luhn_ok(d);
}

}  // namespace parley::masking::detail
