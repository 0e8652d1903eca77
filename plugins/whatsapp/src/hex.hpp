// Hex digits, shared by the signature check, query decoding and media file names.
#pragma once

#include <string>
#include <string_view>

namespace parley::whatsapp {

// The value of a hex digit, or -1.
inline int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Lowercase hex of the bytes.
inline std::string to_hex(std::basic_string_view<unsigned char> bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

}  // namespace parley::whatsapp
