// The byte classification and the UTF-8 check have an AVX-512BW, an SSE2 and a portable
// way (text.cpp); each must give the same answer as a plain reading of the bytes, at
// every offset and length, across the 16- and 64-byte blocks and for texts shorter than
// one. (The AVX-512BW way is tested where the CPU has it; a build with
// -DPARLEY_MASKING_NO_SIMD runs the detectors on the portable one.)
#include "detect/text.hpp"
#include "detect_test_support.hpp"
#include "utf8_oracle.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace d = parley::masking::detail;

namespace {

// The text in a heap block of exactly its size, so that ASan sees any read past its end.
class Exact {
public:
    explicit Exact(std::string_view s) : p_(std::make_unique<char[]>(s.size() + (s.empty() ? 1 : 0))), n_(s.size()) {
        for (std::size_t i = 0; i < n_; ++i) p_[i] = s[i];
    }
    std::string_view view() const { return {p_.get(), n_}; }

private:
    std::unique_ptr<char[]> p_;
    std::size_t n_;
};

// The classes as text.hpp defines them, byte by byte.
d::ByteClasses reference(std::string_view s, std::size_t i) {
    d::ByteClasses c;
    for (std::size_t k = 0; k < 64 && i + k < s.size(); ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        const std::uint64_t bit = std::uint64_t{1} << k;
        const bool digit = b >= '0' && b <= '9', high = b >= 0x80;
        if (digit) c.digit |= bit;
        // An Arabic-Indic or Persian digit starts at a 0xD9 or 0xDB before its second byte
        // (which may be past the 64).
        const auto next = i + k + 1 < s.size() ? static_cast<unsigned char>(s[i + k + 1]) : 0u;
        const bool arabic_digit = (b == 0xD9 && next >= 0xA0 && next <= 0xA9) || (b == 0xDB && next >= 0xB0 && next <= 0xB9);
        if (b == '@' || b == 0xEF || arabic_digit) c.special |= bit;
        if (digit || b == ' ' || b == '-' || b == '.' || b == '(' || b == ')' || high) c.joins |= bit;
        if ((b >= 'A' && b <= 'Z') || high) c.letter_high |= bit;
        if (high) c.high |= bit;
    }
    return c;
}

::testing::AssertionResult same(const d::ByteClasses& a, const d::ByteClasses& b) {
    if (a.digit == b.digit && a.special == b.special && a.joins == b.joins && a.letter_high == b.letter_high &&
        a.high == b.high)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << std::hex << "digit " << a.digit << " vs " << b.digit << ", special "
                                         << a.special << " vs " << b.special << ", joins " << a.joins << " vs "
                                         << b.joins << ", letter_high " << a.letter_high << " vs " << b.letter_high
                                         << ", high " << a.high << " vs " << b.high;
}

// Every way against the reference at every offset of s.
void expect_classified(std::string_view text) {
    const Exact e(text);
    const std::string_view s = e.view();
    for (std::size_t i = 0; i < s.size(); ++i) {
        const d::ByteClasses want = reference(s, i);
        EXPECT_TRUE(same(d::classify_bytes_portable(s, i), want)) << "portable, length " << s.size() << ", offset " << i;
        EXPECT_TRUE(same(d::classify_bytes_sse2(s, i), want)) << "sse2, length " << s.size() << ", offset " << i;
        if (d::has_avx512bw()) {
            EXPECT_TRUE(same(d::classify_bytes_avx512(s, i), want)) << "avx512, length " << s.size() << ", offset " << i;
        }
        EXPECT_TRUE(same(d::classify_bytes(s, i), want)) << "dispatched, length " << s.size() << ", offset " << i;
    }
}

// Bytes of every class and their neighbours.
const unsigned char kPool[] = {'0',  '9',  '/',  ':',  '@',  '?',  'A',  'Z',  '[',  'a',  'z',  ' ',  '-',
                               '.',  '(',  ')',  ',',  '+',  0,    0x7F, 0x80, 0xBF, 0xC2, 0xE2, 0xEF, 0xF0,
                               0xFF, '\t', 0xD9, 0xDB, 0x9F, 0xA0, 0xA9, 0xAA, 0xAF, 0xB0, 0xB9, 0xBA};

std::string random_text(std::mt19937& rng, std::size_t n) {
    std::string s;
    for (std::size_t k = 0; k < n; ++k) s.push_back(static_cast<char>(kPool[rng() % sizeof kPool]));
    return s;
}

void expect_utf8(std::string_view text) {
    const Exact e(text);
    const std::string_view s = e.view();
    const bool want = masking_test::valid_utf8(s);
    EXPECT_EQ(d::is_valid_utf8_scalar(s), want) << "scalar, length " << s.size();
    if (d::has_avx512bw()) {
        EXPECT_EQ(d::is_valid_utf8_avx512(s), want) << "avx512, length " << s.size();
    }
    EXPECT_EQ(d::is_valid_utf8(s), want) << "dispatched, length " << s.size();
}

}  // namespace

TEST(DetectSimd, EveryByteValueAtEveryPositionOfABlock) {
    // Each of the 256 byte values at each of the 64 positions of a block, in texts of 64
    // and 65 bytes (the last block whole or not) and at offsets 0 and 1.
    for (int b = 0; b < 256; ++b) {
        for (std::size_t at = 0; at < 65; ++at) {
            std::string s(65, 'x');
            s[at] = static_cast<char>(b);
            const Exact e(s);
            for (const std::string_view t : {e.view(), e.view().substr(0, 64)}) {
                if (at >= t.size()) continue;
                for (std::size_t i : {std::size_t{0}, std::size_t{1}}) {
                    const d::ByteClasses want = reference(t, i);
                    ASSERT_TRUE(same(d::classify_bytes_portable(t, i), want)) << "byte " << b << " at " << at;
                    ASSERT_TRUE(same(d::classify_bytes_sse2(t, i), want)) << "byte " << b << " at " << at;
                    if (d::has_avx512bw()) {
                        ASSERT_TRUE(same(d::classify_bytes_avx512(t, i), want)) << "byte " << b << " at " << at;
                    }
                }
            }
        }
    }
}

// An Arabic-Indic or Persian digit's first byte is special only before its second byte,
// which may be in the next 64 or 16 bytes; and find_trigger stops at it.
TEST(DetectSimd, ArabicDigitsAcrossTheBlocks) {
    for (const std::string digit : {"\u0665", "\u06F5", "\u0660", "\u06F9"}) {
        for (std::size_t at = 0; at < 70; ++at) {
            std::string s(140, 'x');
            s.replace(at, 2, digit);
            expect_classified(s);
            EXPECT_EQ(d::find_trigger(s, 0), at) << at;
        }
    }
    // An Arabic letter with the same first byte is not special (a text with no digit stays
    // on the masks), but find_trigger stops at it: the step there reads a letter.
    std::string letter(100, 'x');
    letter.replace(70, 2, "\u0645");  // D9 85
    expect_classified(letter);
    EXPECT_EQ(d::classify_bytes(letter, 64).special, 0u);
    EXPECT_EQ(d::find_trigger(letter, 0), 70u);
}

TEST(DetectSimd, AllWaysClassifyAlikeAtEveryOffsetAndLength) {
    std::mt19937 rng(20241126);
    // Every length from 0 to 200 (shorter than 16, than 64, across 64 and 128), a few
    // texts each.
    for (std::size_t n = 0; n <= 200; ++n)
        for (int rep = 0; rep < 3; ++rep) expect_classified(random_text(rng, n));
}

TEST(DetectSimd, Utf8WaysAgreeWithTheOracle) {
    // Every string of one and two bytes.
    for (int a = 0; a < 256; ++a) {
        expect_utf8(std::string(1, static_cast<char>(a)));
        for (int b = 0; b < 256; ++b) expect_utf8(std::string{static_cast<char>(a), static_cast<char>(b)});
    }
    // Three and four bytes from the values where the rules change, alone and placed
    // across the 64-byte boundary (after 60 to 63 ASCII bytes), then cut short.
    const unsigned char edges[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
                                   0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
    for (const unsigned char b0 : edges)
        for (const unsigned char b1 : edges)
            for (const unsigned char b2 : edges)
                for (const unsigned char b3 : {0x41, 0x80, 0x90, 0xC0}) {
                    const std::string seq{static_cast<char>(b0), static_cast<char>(b1), static_cast<char>(b2),
                                          static_cast<char>(b3)};
                    expect_utf8(seq);
                    expect_utf8(seq.substr(0, 3));
                    for (std::size_t pad = 60; pad <= 63; ++pad) {
                        expect_utf8(std::string(pad, 'a') + seq);
                        expect_utf8(std::string(pad, 'a') + seq.substr(0, 3) + "z");
                    }
                }
    // Random texts of valid sequences and stray bytes, up to three blocks long.
    std::mt19937 rng(7);
    const char* const good[] = {"a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xED\x9F\xBF", "\xE0\xA0\x80",
                                "\xF4\x8F\xBF\xBF", "\xEF\xBC\x91"};
    for (int it = 0; it < 20000; ++it) {
        std::string s;
        const std::size_t n = rng() % 200;
        while (s.size() < n) {
            if (rng() % 30) s += good[rng() % 8];
            else s.push_back(static_cast<char>(kPool[rng() % sizeof kPool]));
        }
        expect_utf8(s);
    }
}

TEST(DetectSimd, SpansDoNotDependOnWhereTheBlocksStart) {
    // The scanner reads 64 bytes at a time from the start of the text: the same numbers
    // are found wherever they fall, across a block boundary too.
    const std::string samples[] = {
        "la tarjeta 4111 1111 1111 1111 gracias",
        "call me at +34 612 345 678 please",
        "my IBAN is GB82 WEST 1234 5698 7654 32 ok",
        "write to melissa@gmail.com or 612345678",
        "SSN 536-22-1234, order 993139939852, 10:30",
        "tracking 9400 1000 0000 0000 0000 00 and 4111\u200B1111 1111 1111",
        "\uFF14\uFF11\uFF11\uFF11 1111 1111 1111 then 555-123-4567",
    };
    for (const std::string& text : samples) {
        const auto base = detect_test::detect(text);
        EXPECT_FALSE(base.empty()) << text;
        for (std::size_t pad = 1; pad <= 70; ++pad) {
            std::string padded;
            while (padded.size() < pad) padded += "ok ";
            padded.resize(pad);
            padded.back() = ' ';
            const auto spans = detect_test::detect(padded + text);
            ASSERT_EQ(spans.size(), base.size()) << padded + text;
            for (std::size_t k = 0; k < spans.size(); ++k) {
                EXPECT_EQ(spans[k].entity, base[k].entity) << padded + text;
                EXPECT_EQ(spans[k].begin, base[k].begin + pad) << padded + text;
                EXPECT_EQ(spans[k].end, base[k].end + pad) << padded + text;
            }
        }
    }
}
