// Helpers shared by the detect_*_test.cpp files.
#pragma once

#include "detect/detect.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace detect_test {

using parley::masking::all_entities;
using parley::masking::detect;
using parley::masking::Entity;
using parley::masking::entity_bit;
using parley::masking::entity_name;

// "entity:matched text" for every span, joined by " | ": easy to compare and to read
// in a failure message.
inline std::string found(std::string_view text, std::uint32_t entities = all_entities) {
    std::string out;
    for (const auto& s : detect(text, entities)) {
        if (!out.empty()) out += " | ";
        out += entity_name(s.entity);
        out += ':';
        out.append(text.substr(s.begin, s.end - s.begin));
    }
    return out;
}

// The whole text is one span of this entity.
inline std::string whole(Entity e, std::string_view text) { return std::string(entity_name(e)) + ":" + std::string(text); }

// Appends the Luhn check digit.
inline std::string luhn_complete(std::string partial) {
    int sum = 0;
    bool dbl = true;  // the check digit will be the rightmost
    for (std::size_t i = partial.size(); i-- > 0;) {
        int v = partial[i] - '0';
        if (dbl) {
            v *= 2;
            if (v > 9) v -= 9;
        }
        sum += v;
        dbl = !dbl;
    }
    partial.push_back(static_cast<char>('0' + (10 - sum % 10) % 10));
    return partial;
}

// cc + check digits + bban, with the check digits computed (ISO 7064 mod 97-10).
inline std::string iban_with_check(const std::string& cc, const std::string& bban) {
    const std::string s = bban + cc + "00";
    unsigned r = 0;
    for (char c : s) {
        if (c >= '0' && c <= '9') r = (r * 10 + static_cast<unsigned>(c - '0')) % 97;
        else r = (r * 100 + static_cast<unsigned>(c - 'A' + 10)) % 97;
    }
    const unsigned check = 98 - r;
    return cc + static_cast<char>('0' + check / 10) + static_cast<char>('0' + check % 10) + bban;
}

// Groups of four separated by sep: "GB82 WEST 1234 ..."
inline std::string grouped(const std::string& compact, const std::string& sep) {
    std::string out;
    for (std::size_t i = 0; i < compact.size(); i += 4) {
        if (i) out += sep;
        out += compact.substr(i, 4);
    }
    return out;
}

inline std::string replace_all(std::string s, std::string_view from, std::string_view to) {
    for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
        s.replace(p, from.size(), to);
    return s;
}

inline int count_digits(std::string_view s) {
    int n = 0;
    for (char c : s) n += c >= '0' && c <= '9';
    return n;
}

}  // namespace detect_test
