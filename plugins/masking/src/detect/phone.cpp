// Phone numbers. International: '+' (or "00") then an E.164 country calling code and a
// national number of that country's length, 8 to 15 digits in all. National: a few
// formats common in chat (North American, trunk-0 European, Spanish nine digits).
#include "detail.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <initializer_list>

namespace parley::masking::detail {

namespace {

// Assigned E.164 country calling codes (ITU-T E.164 list, including the global
// services 800, 808, 870, 878, 881-883, 888, 979) with the national significant number
// length where it is fixed or well known; {0, 0} means "8 to 15 digits in all".
struct CallingCode {
    std::uint16_t code;
    std::uint8_t min, max;
};

constexpr CallingCode kCallingCodes[] = {
    {1, 10, 10}, {7, 10, 10},
    {20, 8, 10}, {27, 9, 9}, {30, 10, 10}, {31, 9, 9}, {32, 8, 9}, {33, 9, 9}, {34, 9, 9}, {36, 8, 9},
    {39, 6, 11}, {40, 9, 9}, {41, 9, 9}, {43, 6, 13}, {44, 9, 10}, {45, 8, 8}, {46, 7, 10}, {47, 8, 8},
    {48, 9, 9}, {49, 6, 13}, {51, 8, 9}, {52, 10, 11}, {53, 8, 8}, {54, 10, 11}, {55, 10, 11}, {56, 9, 9},
    {57, 10, 10}, {58, 10, 10}, {60, 8, 10}, {61, 9, 9}, {62, 8, 12}, {63, 8, 10}, {64, 8, 10}, {65, 8, 8},
    {66, 8, 9}, {81, 9, 10}, {82, 8, 10}, {84, 9, 10}, {86, 8, 11}, {90, 10, 10}, {91, 10, 10}, {92, 9, 10},
    {93, 9, 9}, {94, 9, 9}, {95, 7, 10}, {98, 10, 10},
    {211, 0, 0}, {212, 9, 9}, {213, 8, 9}, {216, 8, 8}, {218, 8, 9}, {220, 0, 0}, {221, 9, 9}, {222, 0, 0},
    {223, 0, 0}, {224, 0, 0}, {225, 10, 10}, {226, 0, 0}, {227, 0, 0}, {228, 0, 0}, {229, 0, 0}, {230, 0, 0},
    {231, 0, 0}, {232, 0, 0}, {233, 9, 9}, {234, 8, 10}, {235, 0, 0}, {236, 0, 0}, {237, 9, 9}, {238, 0, 0},
    {239, 0, 0}, {240, 0, 0}, {241, 0, 0}, {242, 0, 0}, {243, 9, 9}, {244, 9, 9}, {245, 0, 0}, {246, 0, 0},
    {247, 0, 0}, {248, 0, 0}, {249, 9, 9}, {250, 9, 9}, {251, 9, 9}, {252, 0, 0}, {253, 0, 0}, {254, 9, 9},
    {255, 9, 9}, {256, 9, 9}, {257, 0, 0}, {258, 8, 9}, {260, 9, 9}, {261, 9, 9}, {262, 9, 9}, {263, 0, 0},
    {264, 0, 0}, {265, 0, 0}, {266, 0, 0}, {267, 0, 0}, {268, 0, 0}, {269, 0, 0}, {290, 0, 0}, {291, 0, 0},
    {297, 0, 0}, {298, 0, 0}, {299, 0, 0},
    {350, 8, 8}, {351, 9, 9}, {352, 6, 11}, {353, 7, 9}, {354, 7, 9}, {355, 8, 9}, {356, 8, 8}, {357, 8, 8},
    {358, 5, 12}, {359, 7, 9}, {370, 8, 8}, {371, 8, 8}, {372, 7, 8}, {373, 8, 8}, {374, 8, 8}, {375, 9, 9},
    {376, 6, 9}, {377, 8, 9}, {378, 0, 0}, {379, 0, 0}, {380, 9, 9}, {381, 8, 9}, {382, 8, 8}, {383, 8, 8},
    {385, 8, 9}, {386, 8, 8}, {387, 8, 8}, {389, 8, 8},
    {420, 9, 9}, {421, 9, 9}, {423, 0, 0},
    {500, 0, 0}, {501, 0, 0}, {502, 8, 8}, {503, 8, 8}, {504, 8, 8}, {505, 8, 8}, {506, 8, 8}, {507, 7, 8},
    {508, 0, 0}, {509, 8, 8}, {590, 9, 9}, {591, 8, 8}, {592, 0, 0}, {593, 8, 9}, {594, 9, 9}, {595, 9, 9},
    {596, 9, 9}, {597, 0, 0}, {598, 8, 8}, {599, 0, 0},
    {670, 0, 0}, {672, 0, 0}, {673, 0, 0}, {674, 0, 0}, {675, 0, 0}, {676, 0, 0}, {677, 0, 0}, {678, 0, 0},
    {679, 0, 0}, {680, 0, 0}, {681, 0, 0}, {682, 0, 0}, {683, 0, 0}, {685, 0, 0}, {686, 0, 0}, {687, 0, 0},
    {688, 0, 0}, {689, 0, 0}, {690, 0, 0}, {691, 0, 0}, {692, 0, 0},
    {800, 8, 8}, {808, 8, 8}, {850, 0, 0}, {852, 8, 8}, {853, 8, 8}, {855, 8, 9}, {856, 8, 10}, {870, 9, 9},
    {878, 0, 0}, {880, 10, 10}, {881, 0, 0}, {882, 0, 0}, {883, 0, 0}, {886, 8, 9}, {888, 0, 0},
    {960, 7, 7}, {961, 7, 8}, {962, 8, 9}, {963, 8, 9}, {964, 10, 10}, {965, 8, 8}, {966, 9, 9}, {967, 0, 0},
    {968, 8, 8}, {970, 9, 9}, {971, 8, 9}, {972, 8, 9}, {973, 8, 8}, {974, 8, 8}, {975, 0, 0}, {976, 8, 8},
    {977, 0, 0}, {979, 9, 9}, {992, 9, 9}, {993, 8, 8}, {994, 9, 9}, {995, 9, 9}, {996, 9, 9}, {998, 9, 9},
};

// Indexed by the code's value: 1-digit codes are 1 and 7, 2-digit codes are >= 20 and
// 3-digit codes >= 211, so the values never collide. 0 = unassigned.
struct Range {
    std::uint8_t min = 0, max = 0;
    bool assigned = false;
    bool known = false;  // the national length is in the table, not the 8-15 default
};

constexpr std::array<Range, 1000> make_table() {
    std::array<Range, 1000> t{};
    for (const CallingCode& c : kCallingCodes) {
        const int cc_len = c.code < 10 ? 1 : c.code < 100 ? 2 : 3;
        Range r;
        r.assigned = true;
        r.known = c.min != 0;
        r.min = c.min ? c.min : static_cast<std::uint8_t>(8 - cc_len > 4 ? 8 - cc_len : 4);
        r.max = c.max ? c.max : static_cast<std::uint8_t>(15 - cc_len);
        t[c.code] = r;
    }
    return t;
}

constexpr auto kTable = make_table();

bool nanp_digit(char c) { return c >= '2' && c <= '9'; }

// "612.345.678", "1.234.567": thousands separators, not a phone.
bool thousands_like(const Number& n) {
    if (n.ngroups < 2 || n.uniform_sep() != kDot || n.len(0) > 3) return false;
    for (int k = 1; k < n.ngroups; ++k)
        if (n.len(k) != 3) return false;
    return true;
}

// Group sizes as written, and as a reader may see them when invisible characters stand
// between digits: "11\u200B7023-3674" reads 2-4-4 (the first invisible of a group taken
// as a separator), "55\u200C7174\u200C9319" 2-4-4 too (every one), while
// "1-21\u20602-298-1479" is 1-3-3-4 with a stray invisible inside. A pattern may match
// any of these readings. (The sizes as written are read from the groups; the others are
// built only when an invisible character splits a group, which is rare.)
struct Sizes {
    static constexpr int kMax = 31;  // sizes read, at most
    const Number& num;
    int n_plain;                     // groups read
    int first[kMax + 1], every[kMax + 1];
    int n_first = -1, n_every = -1;  // -1: no group is split, these readings are the plain one
    // Where invisible characters split group k: bits 1 to len - 1.
    std::uint64_t cuts(int k) const {
        const int len = num.len(k);
        return num.groups[k].inv & (len >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << len) - 1) & ~std::uint64_t{1};
    }
    explicit Sizes(const Number& number) : num(number), n_plain(std::min(number.ngroups, kMax)) {
        bool any = false;
        for (int k = 0; k < num.ngroups; ++k) any = any || cuts(k);
        if (!any) return;
        // First invisible of each group.
        n_first = 0;
        n_plain = 0;
        for (int k = 0; k < num.ngroups && n_first < kMax; ++k, ++n_plain) {
            const std::uint64_t m = cuts(k);
            if (m) {
                const int at = std::countr_zero(m);
                first[n_first++] = at;
                first[n_first++] = num.len(k) - at;
            } else {
                first[n_first++] = num.len(k);
            }
        }
        // Every invisible.
        n_every = 0;
        for (int k = 0; k < num.ngroups && n_every < kMax; ++k) {
            int from = 0;
            for (std::uint64_t m = cuts(k); m && n_every < kMax; m &= m - 1) {
                const int at = std::countr_zero(m);
                every[n_every++] = at - from;
                from = at;
            }
            every[n_every++] = num.len(k) - from;
        }
    }
    static bool same(const int* v, int n, std::initializer_list<int> lens) {
        if (n < 0 || static_cast<std::size_t>(n) != lens.size()) return false;
        int k = 0;
        for (int l : lens)
            if (v[k++] != l) return false;
        return true;
    }
    bool plain_are(std::initializer_list<int> lens) const {
        if (static_cast<std::size_t>(n_plain) != lens.size()) return false;
        int k = 0;
        for (int l : lens)
            if (num.len(k++) != l) return false;
        return true;
    }
    bool are(std::initializer_list<int> lens) const {
        return plain_are(lens) || same(first, n_first, lens) || same(every, n_every, lens);
    }
    // Every group between lo and hi digits, in one reading or another.
    bool all_between(int lo, int hi) const {
        auto between = [&](const int* v, int n) {
            if (n < 0) return false;
            for (int k = 0; k < n; ++k)
                if (v[k] < lo || v[k] > hi) return false;
            return true;
        };
        bool plain = true;
        for (int k = 0; k < n_plain && plain; ++k) plain = num.len(k) >= lo && num.len(k) <= hi;
        return plain || between(first, n_first) || between(every, n_every);
    }
};

// "192.168.100.200", "81.100.64.42": an IPv4 address.
bool ipv4_like(const Number& n) {
    if (n.ngroups != 4 || n.uniform_sep() != kDot) return false;
    for (int k = 0; k < 4; ++k)
        if (n.len(k) > 3) return false;
    return true;
}

// "08.01.2023 24", "2024-11-25 612": a date (day, month, year in either order, one
// dot, dash or slash kind) inside.
bool has_date(const Number& n) {
    for (int k = 0; k + 2 < n.ngroups; ++k) {
        const std::uint8_t s = n.groups[k + 1].sep;
        if ((s != kDot && s != kDash) || n.groups[k + 2].sep != s) continue;
        if ((n.len(k) == 2 && n.len(k + 1) == 2 && n.len(k + 2) == 4) ||
            (n.len(k) == 4 && n.len(k + 1) == 2 && n.len(k + 2) == 2))
            return true;
    }
    return false;
}

bool national_ok(const Number& n) {
    const std::string_view d = n.str();
    const int L = n.ndig;
    const Sizes sizes(n);
    if (thousands_like(n) || ipv4_like(n) || has_date(n)) return false;
    // Parentheses only around the first group (an area code: "(555) 123-4567", "(020) ...",
    // "(55) 1234 5678").
    if (n.paren_groups > 1 || (n.paren_groups == 1 && !n.paren(0))) {
        // "1 (800) 555-1234"
        if (!(n.paren_groups == 1 && n.ngroups == 4 && n.paren(1) && d[0] == '1')) return false;
    }
    if (d[0] == '0') {  // trunk prefix: UK, France, Germany, ... "07966 197542", "06 12 34 56 78"
        // Ten or eleven digits; twelve only as area code and number, "0151 23456789" (bare,
        // or in fours, twelve digits from 0 are more often a product, card or parcel code).
        if (d[1] == '0' || L < 10 || L > 12 || (L == 12 && !sizes.are({4, 8}) && !sizes.are({3, 9}) && !sizes.are({5, 7})))
            return false;
        return n.ngroups == 1 || sizes.all_between(2, 8);
    }
    if (L == 11 && d[0] == '1') {  // "1-800-555-1234", "1 (800) 555-1234"
        return sizes.are({1, 3, 3, 4}) && nanp_digit(d[1]);
    }
    // Mexico City, Guadalajara, Buenos Aires: "(55) 1234 5678", "33 8318 9174",
    // "11 2345-6789". Grouped, so not a timestamp.
    if (L == 10 && d[0] != '0' && sizes.are({2, 4, 4})) return true;
    // "(55)\u200C9689\u200C2262", "(555)1234567": an area code, then the number in one.
    if (L == 10 && d[0] != '0' && n.paren(0) && (sizes.are({2, 8}) || sizes.are({3, 7}))) return true;
    if (L == 10 && nanp_digit(d[0])) {  // "(555) 123-4567", "555.123.4567", "555 123 45 67"
        if (n.ngroups == 1) return nanp_digit(d[3]);  // bare (an invisible character inside or not)
        if (sizes.are({3, 3, 4})) return true;
        return n.paren_groups == 0 && sizes.are({3, 3, 2, 2});
    }
    if (L == 9 && d[0] >= '6') {  // Spain: "612 345 678", "612 34 56 78", "91 123 45 67"
        if (n.paren_groups) return false;
        return n.ngroups == 1 || sizes.are({3, 3, 3}) || sizes.are({3, 2, 2, 2}) || sizes.are({2, 3, 2, 2}) ||
               sizes.are({3, 6});
    }
    return false;
}

}  // namespace

int calling_code_length(std::string_view d) {
    int v = 0;
    for (int len = 1; len <= 3 && static_cast<std::size_t>(len) <= d.size(); ++len) {
        v = v * 10 + (d[static_cast<std::size_t>(len) - 1] - '0');
        if (v == 0) return 0;
        if (kTable[static_cast<std::size_t>(v)].assigned) return len;
    }
    return 0;
}

bool international_ok(std::string_view d, bool strict) {
    if (d.size() < 8 || d.size() > 15) return false;
    const int cc = calling_code_length(d);
    if (cc == 0) return false;
    int v = 0;
    for (int k = 0; k < cc; ++k) v = v * 10 + (d[static_cast<std::size_t>(k)] - '0');
    const Range r = kTable[static_cast<std::size_t>(v)];
    auto nsn = static_cast<int>(d.size()) - cc;
    // Without '+': only countries whose length we know, and no trunk 0.
    if (strict && (!r.known || d[static_cast<std::size_t>(cc)] == '0')) return false;
    // A national trunk 0 written after the country code ("+44 020 7946 0018") is not part
    // of the number; Italy's leading 0 is.
    if (d[static_cast<std::size_t>(cc)] == '0' && v != 39) --nsn;
    return nsn >= r.min && nsn <= r.max;
}

bool is_phone(const Number& n) {
    // A number ends with a digit: "(0)" last would leave its ')' out of the masked form.
    if (n.bad_parens || n.ndig < 8 || n.paren(n.ngroups - 1)) return false;
    for (int k = 0; k < n.ngroups; ++k)
        if (n.paren(k) && n.len(k) > 5) return false;
    const std::string_view d = n.str();
    if (n.plus || (d.size() >= 10 && d[0] == '0' && d[1] == '0')) {
        // Drop a trunk "(0)" written after the country code: "+44 (0)20 7946 0018".
        char buf[24];
        std::size_t len = 0;
        int k = 0, off = 0;
        for (; k < n.ngroups; ++k) {
            const bool trunk = k > 0 && n.len(k) == 1 && n.paren(k) && d[static_cast<std::size_t>(off)] == '0';
            if (!trunk) {
                for (int i = 0; i < n.len(k) && len < sizeof buf; ++i) buf[len++] = d[static_cast<std::size_t>(off + i)];
            }
            off += n.len(k);
        }
        std::string_view intl(buf, len);
        if (!n.plus) intl.remove_prefix(2);
        if (n.paren_groups > 2) return false;
        // "00" is weaker evidence than '+': the country's length must be known ("0068800196917449"
        // is a membership number, not Tuvalu).
        return international_ok(intl, !n.plus);
    }
    if (national_ok(n)) return true;
    // A bare E.164 number without '+', as WhatsApp writes customer numbers, when it is all
    // the text (a contact field): "16505551234".
    return n.ngroups == 1 && international_ok(d, true) && whole_text(n.text, n.begin, n.end);
}

}  // namespace parley::masking::detail
