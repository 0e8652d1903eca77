// US Social Security numbers: AAA-GG-SSSS with one separator kind (dash, space or dot)
// used consistently, or nine digits alone.
#include "detail.hpp"

namespace parley::masking::detail {

bool is_ssn(const Number& n) {
    if (n.plus || n.paren_groups || n.bad_parens || n.ndig != 9) return false;
    if (n.ngroups == 3) {
        const std::uint8_t s = n.uniform_sep();
        if (s != kDash && s != kSpace && s != kDot) return false;
        if (n.len(0) != 3 || n.len(1) != 2 || n.len(2) != 4) return false;
    } else if (n.ngroups != 1) {
        return false;
    }
    const std::string_view d = n.str();
    const int area = (d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0');
    const bool group_zero = d.substr(3, 2) == "00";
    const bool serial_zero = d.substr(5, 4) == "0000";
    if (area == 0 || area == 666 || area >= 900 || group_zero || serial_zero) return false;
    // Published, never personal: the Woolworth wallet card and the SSA's 1940s ad.
    if (d == "078051120" || d == "219099999") return false;
    return true;
}

}  // namespace parley::masking::detail
