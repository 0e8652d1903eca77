// UTF-8 decoding and the character classes the detectors see. Each code point is
// decoded on demand, normalized (full-width ASCII to ASCII, Unicode spaces to ' ',
// Unicode dashes to '-', ...) and classified; the text itself is never copied, so
// every offset is an offset into the original bytes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace parley::masking::detail {

inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

enum class Kind : std::uint8_t {
    brk,        // ends everything: controls, tab, line breaks, invalid bytes, U+FFFD
    symbol,     // any other punctuation or symbol
    digit,      // 0-9 and full-width digits
    upper,      // A-Z and full-width A-Z
    lower,      // a-z and full-width a-z
    letter,     // any other letter or combining mark (non-ASCII)
    space,      // space, NBSP, U+2000..U+200A, U+202F, U+205F, U+3000
    invisible,  // zero-width, bidi and format characters, soft hyphen: skipped everywhere
    dash,       // '-', U+2010..U+2015, U+2212, small and full-width hyphen-minus
    dot,        // '.', ideographic, full-width and half-width full stops
    plus,       // '+', full-width and small plus
    at,         // '@', full-width and small commercial at
    lparen,
    rparen,
    currency,   // '$', U+00A2..U+00A5, U+20A0..U+20CF
};

struct Cp {
    char32_t c;        // the ASCII equivalent when there is one, else the code point (U+FFFD if invalid)
    std::uint8_t len;  // bytes in the input
    Kind kind;
};

constexpr std::array<Kind, 128> make_ascii_kinds() {
    std::array<Kind, 128> k{};
    for (int c = 0; c < 128; ++c) {
        Kind v = Kind::symbol;
        if (c < 0x20 || c == 0x7F) v = Kind::brk;
        else if (c == ' ') v = Kind::space;
        else if (c >= '0' && c <= '9') v = Kind::digit;
        else if (c >= 'A' && c <= 'Z') v = Kind::upper;
        else if (c >= 'a' && c <= 'z') v = Kind::lower;
        else if (c == '-') v = Kind::dash;
        else if (c == '.') v = Kind::dot;
        else if (c == '+') v = Kind::plus;
        else if (c == '@') v = Kind::at;
        else if (c == '(') v = Kind::lparen;
        else if (c == ')') v = Kind::rparen;
        else if (c == '$') v = Kind::currency;
        k[static_cast<std::size_t>(c)] = v;
    }
    return k;
}
inline constexpr std::array<Kind, 128> kAsciiKind = make_ascii_kinds();

Cp decode_multibyte(std::string_view s, std::size_t i) noexcept;

// The code point at byte i (i < s.size()). An invalid sequence decodes as one
// Kind::brk code point covering its maximal ill-formed subpart.
inline Cp decode(std::string_view s, std::size_t i) noexcept {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) return {b, 1, kAsciiKind[b]};
    return decode_multibyte(s, i);
}

std::size_t prev_start_multibyte(std::string_view s, std::size_t i) noexcept;

// Start of the code point that ends at byte i (0 < i <= s.size()).
inline std::size_t prev_start(std::string_view s, std::size_t i) noexcept {
    if (static_cast<unsigned char>(s[i - 1]) < 0x80) return i - 1;
    return prev_start_multibyte(s, i);
}

// First byte at or after i that is not an invisible code point.
inline std::size_t skip_invisible(std::string_view s, std::size_t i) noexcept {
    while (i < s.size()) {
        const Cp c = decode(s, i);
        if (c.kind != Kind::invisible) break;
        i += c.len;
    }
    return i;
}

// Start of the last visible code point that ends at or before byte i and starts at or
// after lo; npos if there is none.
inline std::size_t prev_visible(std::string_view s, std::size_t i, std::size_t lo = 0) noexcept {
    while (i > lo) {
        const std::size_t p = prev_start(s, i);
        if (p < lo) return npos;
        if (decode(s, p).kind != Kind::invisible) return p;
        i = p;
    }
    return npos;
}

constexpr bool is_alnum(Kind k) {
    return k == Kind::digit || k == Kind::upper || k == Kind::lower || k == Kind::letter;
}
constexpr bool is_word_letter(Kind k) { return k == Kind::upper || k == Kind::lower || k == Kind::letter; }

// First byte at or after `from` that may start something to detect: an ASCII digit,
// '+', '@', 0xEF (lead byte of the full-width digits, plus and at), or 0xD9 or 0xDB (of
// the Arabic-Indic and Persian digits, and of other Arabic letters); s.size() if none.
std::size_t find_trigger(std::string_view s, std::size_t from) noexcept;

// Byte classes of up to 64 bytes of text from byte i, one bit per byte (bit k: byte
// i + k; bits past the end of the text are 0).
struct ByteClasses {
    std::uint64_t digit = 0;        // 0-9
    std::uint64_t special = 0;      // '@', 0xEF (lead byte of the full-width forms), 0xD9 or 0xDB
                                    // starting an Arabic-Indic or Persian digit
    std::uint64_t joins = 0;        // may stand inside a number: digit, ' ', '-', '.', '(', ')', non-ASCII
    std::uint64_t letter_high = 0;  // A-Z or non-ASCII
    std::uint64_t high = 0;         // non-ASCII
};
// One pass of AVX-512BW where the CPU has it (checked once), else sixteen bytes at a time
// (SSE2), else byte by byte (PARLEY_MASKING_NO_SIMD).
ByteClasses classify_bytes(std::string_view s, std::size_t i) noexcept;
// Each way on its own, for the tests: the same answer for any text and offset.
// classify_bytes_avx512 may only be called if has_avx512bw().
ByteClasses classify_bytes_portable(std::string_view s, std::size_t i) noexcept;
ByteClasses classify_bytes_sse2(std::string_view s, std::size_t i) noexcept;  // portable without SSE2
ByteClasses classify_bytes_avx512(std::string_view s, std::size_t i) noexcept;
bool has_avx512bw() noexcept;  // false with PARLEY_MASKING_NO_SIMD or PARLEY_MASKING_NO_AVX512

// How many ASCII digits there are from byte i on (0 if i >= s.size()), sixteen bytes at
// a time.
std::size_t ascii_digits(std::string_view s, std::size_t i) noexcept;

// Bits set (std::popcount calls a library function on baseline x86-64, without POPCNT).
inline int count_bits(std::uint64_t x) noexcept {
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return static_cast<int>((x * 0x0101010101010101ull) >> 56);
}

void append_utf8(std::string& out, char32_t c);
// Appends s, replacing each maximal ill-formed subpart by U+FFFD.
void append_valid_utf8(std::string& out, std::string_view s);
bool is_valid_utf8(std::string_view s) noexcept;
// Each way on its own, for the tests (the AVX-512BW one only if has_avx512bw()).
bool is_valid_utf8_scalar(std::string_view s) noexcept;
bool is_valid_utf8_avx512(std::string_view s) noexcept;

}  // namespace parley::masking::detail
