// Decoding and classification of code points (see text.hpp), the scan for bytes that
// can start something, and UTF-8 repair for the masked output.
#include "text.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#if defined(__SSE2__) && !defined(PARLEY_MASKING_NO_SIMD)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__) && !defined(PARLEY_MASKING_NO_SIMD) && !defined(PARLEY_MASKING_NO_AVX512)
#define PARLEY_MASKING_AVX512 1
#include <immintrin.h>
#else
#define PARLEY_MASKING_AVX512 0
#endif

namespace parley::masking::detail {

#if PARLEY_MASKING_AVX512
bool has_avx512bw() noexcept {
    // (__builtin_cpu_init: this runs from a static initializer, maybe before libgcc's.
    // The CPU check includes the OS saving the AVX-512 registers.)
    static const bool yes = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512f");
    }();
    return yes;
}

namespace {
// Checked once, at load time (false until then: the other paths give the same answer).
const bool kAvx512 = has_avx512bw();
}  // namespace
#else
bool has_avx512bw() noexcept { return false; }
namespace {
constexpr bool kAvx512 = false;
}  // namespace
#endif

namespace {

// Normalized value and class of a non-ASCII code point.
Cp classify(char32_t cp, std::uint8_t len) noexcept {
    auto is = [&](Kind k, char32_t norm) { return Cp{norm, len, k}; };
    auto as = [&](Kind k) { return Cp{cp, len, k}; };
    if (cp >= 0xFF01 && cp <= 0xFF5E) {  // full-width ASCII
        const char32_t a = cp - 0xFEE0;
        return is(kAsciiKind[a], a);
    }
    if (cp < 0x0100) {
        if (cp < 0xA0) return as(Kind::brk);  // C1 controls
        if (cp == 0xA0) return is(Kind::space, U' ');
        if (cp == 0xAD) return as(Kind::invisible);
        if (cp >= 0xA2 && cp <= 0xA5) return as(Kind::currency);
        if (cp == 0xAA || cp == 0xB5 || cp == 0xBA) return as(Kind::letter);
        if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7) return as(Kind::symbol);
        return as(Kind::letter);
    }
    if (cp < 0x2000) {
        // Arabic-Indic and Extended Arabic-Indic (Persian, Urdu) digits.
        if ((cp >= 0x0660 && cp <= 0x0669) || (cp >= 0x06F0 && cp <= 0x06F9)) return is(Kind::digit, U'0' + (cp & 0xF));
        if (cp == 0x034F || cp == 0x061C || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5 ||
            cp == 0x180E)
            return as(Kind::invisible);
        if (cp >= 0x0600 && cp <= 0x0605) return as(Kind::invisible);
        return as(Kind::letter);
    }
    if (cp < 0x2070) {  // general punctuation
        if (cp <= 0x200A) return is(Kind::space, U' ');
        if (cp <= 0x200F) return as(Kind::invisible);
        if (cp <= 0x2015) return is(Kind::dash, U'-');
        if (cp == 0x2028 || cp == 0x2029) return as(Kind::brk);
        if (cp >= 0x202A && cp <= 0x202E) return as(Kind::invisible);
        if (cp == 0x202F || cp == 0x205F) return is(Kind::space, U' ');
        if (cp >= 0x2060 && cp != 0x2065) return as(Kind::invisible);
        return as(Kind::symbol);
    }
    if (cp < 0x20A0) return as(Kind::symbol);  // superscripts and subscripts
    if (cp < 0x20D0) return as(Kind::currency);
    if (cp < 0x2100) return as(Kind::letter);  // combining marks for symbols
    if (cp < 0x2E80) {
        if (cp == 0x2212) return is(Kind::dash, U'-');
        if (cp >= 0x2C00 && cp < 0x2E00) return as(Kind::letter);  // Glagolitic, Coptic, ...
        return as(Kind::symbol);  // letterlike, arrows, math, boxes, dingbats, ...
    }
    if (cp >= 0x3000 && cp <= 0x303F) {
        if (cp == 0x3000) return is(Kind::space, U' ');
        if (cp == 0x3002) return is(Kind::dot, U'.');
        return as(Kind::symbol);
    }
    if (cp == 0x3164) return as(Kind::invisible);  // Hangul filler
    if (cp >= 0xD800 && cp < 0xF900) return as(Kind::symbol);  // private use
    if (cp >= 0xFE00 && cp <= 0xFE0F) return as(Kind::invisible);  // variation selectors
    if (cp >= 0xFE10 && cp <= 0xFE6F && !(cp >= 0xFE20 && cp <= 0xFE2F)) {
        if (cp == 0xFE58 || cp == 0xFE63) return is(Kind::dash, U'-');
        if (cp == 0xFE62) return is(Kind::plus, U'+');
        if (cp == 0xFE6B) return is(Kind::at, U'@');
        if (cp == 0xFE52) return is(Kind::dot, U'.');
        return as(Kind::symbol);
    }
    if (cp == 0xFEFF || cp == 0xFFA0) return as(Kind::invisible);
    // The replacement character reads like the invalid bytes it replaces, so that text
    // masked once (invalid bytes replaced) is read the same way again.
    if (cp == 0xFFFD) return as(Kind::brk);
    if (cp >= 0xFF5F && cp <= 0xFF65) return cp == 0xFF61 ? is(Kind::dot, U'.') : as(Kind::symbol);
    if (cp >= 0xFFE0 && cp <= 0xFFE6 && cp != 0xFFE2 && cp != 0xFFE3 && cp != 0xFFE4) return as(Kind::currency);
    if (cp >= 0xFFE0) return as(Kind::symbol);
    if (cp >= 0x1F000 && cp < 0x1FC00) return as(Kind::symbol);  // emoji, pictographs
    if (cp >= 0xE0000 && cp < 0xE1000) return as(Kind::invisible);  // tags, variation selectors
    if (cp >= 0xF0000) return as(Kind::symbol);  // private use planes
    return as(Kind::letter);
}

inline bool cont(unsigned char b) { return (b & 0xC0) == 0x80; }

}  // namespace


Cp decode_multibyte(std::string_view s, std::size_t i) noexcept {
    const std::size_t n = s.size();
    auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = at(i);
    const Cp bad1{0xFFFD, 1, Kind::brk};
    if (b0 < 0xC2 || b0 > 0xF4) return bad1;
    if (b0 < 0xE0) {
        if (i + 1 < n && cont(at(i + 1))) return classify(((b0 & 0x1Fu) << 6) | (at(i + 1) & 0x3Fu), 2);
        return bad1;
    }
    // Second byte range per Unicode table 3-7 (no overlongs, surrogates or > U+10FFFF).
    unsigned char lo = 0x80, hi = 0xBF;
    if (b0 == 0xE0) lo = 0xA0;
    else if (b0 == 0xED) hi = 0x9F;
    else if (b0 == 0xF0) lo = 0x90;
    else if (b0 == 0xF4) hi = 0x8F;
    if (i + 1 >= n || at(i + 1) < lo || at(i + 1) > hi) return bad1;
    if (i + 2 >= n || !cont(at(i + 2))) return {0xFFFD, 2, Kind::brk};
    if (b0 < 0xF0) {
        return classify(((b0 & 0x0Fu) << 12) | ((at(i + 1) & 0x3Fu) << 6) | (at(i + 2) & 0x3Fu), 3);
    }
    if (i + 3 >= n || !cont(at(i + 3))) return {0xFFFD, 3, Kind::brk};
    return classify(((b0 & 0x07u) << 18) | ((at(i + 1) & 0x3Fu) << 12) | ((at(i + 2) & 0x3Fu) << 6) |
                        (at(i + 3) & 0x3Fu),
                    4);
}

std::size_t prev_start_multibyte(std::string_view s, std::size_t i) noexcept {
    const std::size_t j = i - 1;
    std::size_t k = j;
    while (k > 0 && i - k < 4 && cont(static_cast<unsigned char>(s[k]))) --k;
    if (k + decode(s, k).len == i) return k;
    return j;
}

namespace {

// The first position at or after i whose byte `hits` marks, reading `Block` bytes at a
// time: hits(k) has a bit per byte of the block at k, `Scale` bits apart, lowest first.
// The last block is the last `Block` bytes of the text, its bytes before i dropped; n >= Block.
template <std::size_t Block, unsigned Scale, class Hits>
std::size_t first_hit(std::size_t n, std::size_t i, Hits hits) noexcept {
    for (; i + Block <= n; i += Block)
        if (const auto m = hits(i)) return i + static_cast<std::size_t>(std::countr_zero(m)) / Scale;
    if (i >= n) return n;
    const auto m = hits(n - Block) & (~decltype(hits(0)){0} << (Scale * (i - (n - Block))));
    return m ? n - Block + static_cast<std::size_t>(std::countr_zero(m)) / Scale : n;
}

std::uint64_t load8(const void* p) noexcept {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
}

}  // namespace

std::size_t find_trigger(std::string_view s, std::size_t from) noexcept {
    const char* p = s.data();
    const std::size_t n = s.size();
    std::size_t i = from;
#if defined(__SSE2__) && !defined(PARLEY_MASKING_NO_SIMD)
    if (n >= 16) {
        // Sixteen bytes at a time: digit (byte - '0' <= 9, unsigned), '+', '@', 0xEF, 0xD9
        // or 0xDB; the tail is the last sixteen bytes, those before i masked out.
        const __m128i zero_char = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
        const __m128i plus = _mm_set1_epi8('+'), at = _mm_set1_epi8('@');
        const __m128i ef = _mm_set1_epi8(static_cast<char>(0xEF));
        const __m128i d9 = _mm_set1_epi8(static_cast<char>(0xD9)), db = _mm_set1_epi8(static_cast<char>(0xDB));
        auto hits = [&](std::size_t k) {
            const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + k));
            const __m128i digit = _mm_cmpeq_epi8(_mm_max_epu8(_mm_sub_epi8(x, zero_char), nine), nine);
            const __m128i lead = _mm_or_si128(_mm_cmpeq_epi8(x, ef), _mm_or_si128(_mm_cmpeq_epi8(x, d9), _mm_cmpeq_epi8(x, db)));
            const __m128i hit = _mm_or_si128(_mm_or_si128(digit, _mm_cmpeq_epi8(x, plus)),
                                             _mm_or_si128(_mm_cmpeq_epi8(x, at), lead));
            return static_cast<unsigned>(_mm_movemask_epi8(hit));
        };
        return first_hit<16, 1>(n, i, hits);
    }
#endif
    if constexpr (std::endian::native == std::endian::little) {
        constexpr std::uint64_t ones = 0x0101010101010101ull;
        constexpr std::uint64_t low7 = 0x7F7F7F7F7F7F7F7Full;
        constexpr std::uint64_t high = 0x8080808080808080ull;
        // High bit of each byte: digit (0x30..0x39), '+', '@' among ASCII bytes, or 0xEF,
        // 0xD9, 0xDB.
        auto hits = [&](std::size_t k) {
            const std::uint64_t w = load8(p + k);
            const std::uint64_t t = w & low7;
            const std::uint64_t ge30 = t + 0x50 * ones;  // t >= 0x30
            const std::uint64_t ge3a = t + 0x46 * ones;  // t >= 0x3A
            const std::uint64_t plus = ~((t ^ (0x2B * ones)) + low7);
            const std::uint64_t at = ~((t ^ (0x40 * ones)) + low7);
            const std::uint64_t ef = ~((t ^ (0x6F * ones)) + low7) & w;
            const std::uint64_t d9 = ~((t ^ (0x59 * ones)) + low7) & w;
            const std::uint64_t db = ~((t ^ (0x5B * ones)) + low7) & w;
            return ((((ge30 & ~ge3a) | plus | at) & ~w) | ef | d9 | db) & high;
        };
        if (n >= 8) return first_hit<8, 8>(n, i, hits);
    }
    for (; i < n; ++i) {
        const auto b = static_cast<unsigned char>(p[i]);
        if ((b >= '0' && b <= '9') || b == '+' || b == '@' || b == 0xEF || b == 0xD9 || b == 0xDB) return i;
    }
    return n;
}

std::size_t ascii_digits(std::string_view s, std::size_t i) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size(), from = i;
#if defined(__SSE2__) && !defined(PARLEY_MASKING_NO_SIMD)
    const __m128i zero_char = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
    for (; i + 16 <= n; i += 16) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
        const auto digit = static_cast<unsigned>(
            _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(_mm_sub_epi8(x, zero_char), nine), nine)));
        if (digit != 0xFFFF) return i - from + static_cast<std::size_t>(std::countr_one(digit));
    }
#endif
    if constexpr (std::endian::native == std::endian::little) {
        for (; i + 8 <= n; i += 8) {
            const std::uint64_t w = load8(p + i);
            // A byte b is a digit when b ^ '0' < 10: adding 0x76 to its low seven bits sets
            // the high bit from 10 on (no carry between bytes).
            const std::uint64_t t = w ^ 0x3030303030303030ull;
            const std::uint64_t non_digit = (((t & 0x7F7F7F7F7F7F7F7Full) + 0x7676767676767676ull) | t) & 0x8080808080808080ull;
            if (non_digit) return i - from + static_cast<std::size_t>(std::countr_zero(non_digit) >> 3);
        }
    }
    while (i < n && p[i] >= '0' && p[i] <= '9') ++i;
    return i - from;
}

namespace {

// Where the bytes of 64 may start an Arabic-Indic or Persian digit: 0xD9 before 0xA0..0xA9
// (U+0660..0669) or 0xDB before 0xB0..0xB9 (U+06F0..06F9). Bit k of d9 and db: that lead
// byte at k; of a0 and b0: a second byte of that range at k. The second byte of a lead at
// bit 63 is the byte after the 64, if the text goes on (else none).
struct ArabicBytes {
    std::uint64_t d9 = 0, db = 0, a0 = 0, b0 = 0;

    std::uint64_t digit_leads(std::string_view s, std::size_t i) const {
        if ((d9 | db) == 0) return 0;  // (most text: no Arabic letter either)
        const std::size_t next = i + 64;
        const auto after = next < s.size() ? static_cast<unsigned char>(s[next]) : 0u;
        const std::uint64_t a0_next = (a0 >> 1) | (std::uint64_t{after >= 0xA0 && after <= 0xA9} << 63);
        const std::uint64_t b0_next = (b0 >> 1) | (std::uint64_t{after >= 0xB0 && after <= 0xB9} << 63);
        return (d9 & a0_next) | (db & b0_next);
    }
};

}  // namespace

ByteClasses classify_bytes_portable(std::string_view s, std::size_t i) noexcept {
    ByteClasses c;
    ArabicBytes arabic;
    const std::size_t len = std::min<std::size_t>(64, s.size() - i);
    for (unsigned k = 0; k < len; ++k) {
        const auto ch = static_cast<unsigned char>(s[i + k]);
        const bool d = ch >= '0' && ch <= '9', high = ch >= 0x80;
        c.digit |= std::uint64_t{d} << k;
        c.special |= std::uint64_t{ch == '@' || ch == 0xEF} << k;
        c.joins |= std::uint64_t{d || ch == ' ' || ch == '-' || ch == '.' || ch == '(' || ch == ')' || high} << k;
        c.letter_high |= std::uint64_t{(ch >= 'A' && ch <= 'Z') || high} << k;
        c.high |= std::uint64_t{high} << k;
        arabic.d9 |= std::uint64_t{ch == 0xD9} << k;
        arabic.db |= std::uint64_t{ch == 0xDB} << k;
        arabic.a0 |= std::uint64_t{ch >= 0xA0 && ch <= 0xA9} << k;
        arabic.b0 |= std::uint64_t{ch >= 0xB0 && ch <= 0xB9} << k;
    }
    c.special |= arabic.digit_leads(s, i);
    return c;
}

#if defined(__SSE2__) && !defined(PARLEY_MASKING_NO_SIMD)
namespace {

// The classes of the 16 bytes at p as bits 0-15, of which the first `fake` are not the
// text's (already classified): their bits are dropped.
ByteClasses classify16(const unsigned char* p, unsigned fake, ArabicBytes& arabic) noexcept {
    ByteClasses c;
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // lo <= byte <= lo + span: max(byte - lo, span) == span, unsigned.
    auto in_range = [&](char lo, char span) {
        const __m128i s = _mm_set1_epi8(span);
        return _mm_cmpeq_epi8(_mm_max_epu8(_mm_sub_epi8(x, _mm_set1_epi8(lo)), s), s);
    };
    auto eq = [&](char ch) { return _mm_cmpeq_epi8(x, _mm_set1_epi8(ch)); };
    auto bits = [&](__m128i m) { return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(m)) >> fake); };
    const __m128i d = in_range('0', 9);
    c.high = bits(x);
    c.digit = bits(d);
    c.special = bits(_mm_or_si128(eq('@'), eq(static_cast<char>(0xEF))));
    c.joins = bits(_mm_or_si128(_mm_or_si128(d, eq(' ')), _mm_or_si128(in_range('-', 1), in_range('(', 1)))) | c.high;
    c.letter_high = bits(in_range('A', 25)) | c.high;
    arabic.d9 = bits(eq(static_cast<char>(0xD9)));
    arabic.db = bits(eq(static_cast<char>(0xDB)));
    arabic.a0 = bits(in_range(static_cast<char>(0xA0), 9));
    arabic.b0 = bits(in_range(static_cast<char>(0xB0), 9));
    return c;
}

}  // namespace

ByteClasses classify_bytes_sse2(std::string_view s, std::size_t i) noexcept {
    const auto* text = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    if (n < 16) return classify_bytes_portable(s, i);
    const std::size_t len = std::min<std::size_t>(64, n - i);
    ByteClasses c;
    ArabicBytes arabic;
    // Blocks of 16. A last block that is not whole is loaded from n - 16 (overlapping the
    // one before, its first lanes dropped).
    for (unsigned k = 0; k < len; k += 16) {
        const std::size_t left = n - (i + k);
        const unsigned fake = left < 16 ? static_cast<unsigned>(16 - left) : 0u;
        ArabicBytes a;
        const ByteClasses b = classify16(left < 16 ? text + n - 16 : text + i + k, fake, a);
        c.digit |= b.digit << k;
        c.special |= b.special << k;
        c.joins |= b.joins << k;
        c.letter_high |= b.letter_high << k;
        c.high |= b.high << k;
        arabic.d9 |= a.d9 << k;
        arabic.db |= a.db << k;
        arabic.a0 |= a.a0 << k;
        arabic.b0 |= a.b0 << k;
    }
    c.special |= arabic.digit_leads(s, i);
    return c;
}
#else
ByteClasses classify_bytes_sse2(std::string_view s, std::size_t i) noexcept { return classify_bytes_portable(s, i); }
#endif

#if PARLEY_MASKING_AVX512
// All 64 bytes in one pass straight into bit masks, the end of the text by a masked load
// (no read past it): classifying a block took a third of the time of the SSE2 version
// (sixteen bytes at a time, four movemasks per class), and it is done for every message.
__attribute__((target("avx512bw,avx512f"))) ByteClasses classify_bytes_avx512(std::string_view s,
                                                                              std::size_t i) noexcept {
    const std::size_t len = std::min<std::size_t>(64, s.size() - i);
    const __mmask64 live = len >= 64 ? ~__mmask64{0} : (__mmask64{1} << len) - 1;
    const __m512i x = _mm512_maskz_loadu_epi8(live, s.data() + i);  // zero bytes: none of the classes
    const __m512i d = _mm512_sub_epi8(x, _mm512_set1_epi8('0'));
    const __mmask64 digit = _mm512_cmple_epu8_mask(d, _mm512_set1_epi8(9));
    const __mmask64 high = _mm512_movepi8_mask(x);
    const __mmask64 dash_dot = _mm512_cmple_epu8_mask(_mm512_sub_epi8(x, _mm512_set1_epi8('-')), _mm512_set1_epi8(1));
    const __mmask64 parens = _mm512_cmple_epu8_mask(_mm512_sub_epi8(x, _mm512_set1_epi8('(')), _mm512_set1_epi8(1));
    const __mmask64 upper = _mm512_cmple_epu8_mask(_mm512_sub_epi8(x, _mm512_set1_epi8('A')), _mm512_set1_epi8(25));
    ByteClasses c;
    c.digit = digit;
    c.high = high;
    c.special = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('@')) |
                _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(static_cast<char>(0xEF)));
    c.joins = digit | high | dash_dot | parens | _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(' '));
    c.letter_high = upper | high;
    // 0xD9 or 0xDB (one compare: they differ in bit 1 only); nearly always neither.
    if (_mm512_cmpeq_epi8_mask(_mm512_or_si512(x, _mm512_set1_epi8(2)), _mm512_set1_epi8(static_cast<char>(0xDB)))) {
        ArabicBytes arabic;
        arabic.d9 = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(static_cast<char>(0xD9)));
        arabic.db = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(static_cast<char>(0xDB)));
        arabic.a0 = _mm512_cmple_epu8_mask(_mm512_sub_epi8(x, _mm512_set1_epi8(static_cast<char>(0xA0))), _mm512_set1_epi8(9));
        arabic.b0 = _mm512_cmple_epu8_mask(_mm512_sub_epi8(x, _mm512_set1_epi8(static_cast<char>(0xB0))), _mm512_set1_epi8(9));
        c.special |= arabic.digit_leads(s, i);
    }
    return c;
}

#else
ByteClasses classify_bytes_avx512(std::string_view s, std::size_t i) noexcept { return classify_bytes_sse2(s, i); }
#endif

ByteClasses classify_bytes(std::string_view s, std::size_t i) noexcept {
    if (kAvx512) return classify_bytes_avx512(s, i);
    return classify_bytes_sse2(s, i);
}

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

namespace {

// Length of the valid UTF-8 sequence at i, or 0 (Unicode table 3-7: no overlongs,
// surrogates or code points above U+10FFFF). No classification: this is the copy path.
std::size_t valid_sequence(const unsigned char* p, std::size_t avail) noexcept {
    const unsigned char b0 = p[0];
    if (b0 < 0x80) return 1;
    if (b0 < 0xC2 || b0 > 0xF4) return 0;
    const std::size_t len = b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4;
    if (avail < len) return 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b0 == 0xE0) lo = 0xA0;
    else if (b0 == 0xED) hi = 0x9F;
    else if (b0 == 0xF0) lo = 0x90;
    else if (b0 == 0xF4) hi = 0x8F;
    if (p[1] < lo || p[1] > hi) return 0;
    for (std::size_t k = 2; k < len; ++k)
        if (!cont(p[k])) return 0;
    return len;
}

// First byte at or after i with its high bit set, or n: sixteen bytes at a time (eight
// without SSE2), the last block overlapping the one before. Jumping from one non-ASCII
// character to the next, instead of testing each ASCII byte between them, halved the
// cost of checking a message with nothing to mask (22 to 10 ns on the benchmark corpus).
std::size_t next_non_ascii(const unsigned char* p, std::size_t n, std::size_t i) noexcept {
#if defined(__SSE2__) && !defined(PARLEY_MASKING_NO_SIMD)
    if (n >= 16) {
        return first_hit<16, 1>(n, i, [&](std::size_t k) {
            return static_cast<unsigned>(_mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + k))));
        });
    }
#endif
    if constexpr (std::endian::native == std::endian::little) {
        if (n >= 8) return first_hit<8, 8>(n, i, [&](std::size_t k) { return load8(p + k) & 0x8080808080808080ull; });
    }
    while (i < n && p[i] < 0x80) ++i;
    return i;
}

// Length of the longest valid UTF-8 prefix of s.
std::size_t valid_prefix(std::string_view s) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    for (std::size_t i = next_non_ascii(p, n, 0); i < n; i = next_non_ascii(p, n, i)) {
        const std::size_t len = valid_sequence(p + i, n - i);
        if (len == 0) return i;
        i += len;
    }
    return n;
}

}  // namespace

void append_valid_utf8(std::string& out, std::string_view s) {
    while (!s.empty()) {
        const std::size_t v = valid_prefix(s);
        out.append(s.data(), v);
        s.remove_prefix(v);
        if (s.empty()) break;
        out.append("\xEF\xBF\xBD");
        s.remove_prefix(decode_multibyte(s, 0).len);  // its maximal ill-formed subpart
    }
}

bool is_valid_utf8_scalar(std::string_view s) noexcept { return valid_prefix(s) == s.size(); }

#if PARLEY_MASKING_AVX512
// 64 bytes at a time on bit masks: each lead byte asks for one to three continuation
// bytes after it, and the continuation bytes must be exactly those asked for (Unicode
// table 3-7; the second byte after E0, ED, F0 and F4 in a narrower range). A message with
// accented letters and nothing to mask is checked in one pass instead of a jump and a
// decode per non-ASCII character (a quarter of the time of such messages, perf).
namespace {
// (Helpers, not lambdas: a lambda does not get its function's target.)
#define PARLEY_AVX512 __attribute__((target("avx512bw,avx512f"), always_inline)) inline
PARLEY_AVX512 std::uint64_t range(__m512i v, int lo, int span) {  // lo <= byte <= lo + span
    return _mm512_cmple_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8(static_cast<char>(lo))),
                                  _mm512_set1_epi8(static_cast<char>(span)));
}
PARLEY_AVX512 std::uint64_t eq(__m512i v, int b) { return _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(static_cast<char>(b))); }
#undef PARLEY_AVX512
}  // namespace

__attribute__((target("avx512bw,avx512f"))) bool is_valid_utf8_avx512(std::string_view s) noexcept {
    const std::size_t n = s.size();
    // Bits past the 64 bytes before: continuation bytes asked for, and second bytes
    // that must be >= 0xA0 (after E0), < 0xA0 (ED), >= 0x90 (F0), < 0x90 (F4).
    std::uint64_t want = 0, ge_a0 = 0, lt_a0 = 0, ge_90 = 0, lt_90 = 0;
    for (std::size_t i = 0; i < n; i += 64) {
        const std::size_t len = std::min<std::size_t>(64, n - i);
        const __mmask64 live = len >= 64 ? ~__mmask64{0} : (__mmask64{1} << len) - 1;
        const __m512i x = _mm512_maskz_loadu_epi8(live, s.data() + i);  // zero bytes past the end: ASCII
        const std::uint64_t high = _mm512_movepi8_mask(x);
        if (high == 0 && want == 0) continue;
        const std::uint64_t cont = range(x, 0x80, 0x3F), l2 = range(x, 0xC2, 0x1D), l3 = range(x, 0xE0, 0x0F),
                            l4 = range(x, 0xF0, 0x04);
        if (high & ~(cont | l2 | l3 | l4)) return false;  // C0, C1, F5..FF
        const std::uint64_t l234 = l2 | l3 | l4, l34 = l3 | l4;
        if (cont != (want | (l234 << 1) | (l34 << 2) | (l4 << 3))) return false;  // (past the end: none)
        const std::uint64_t below_a0 = _mm512_cmplt_epu8_mask(x, _mm512_set1_epi8(static_cast<char>(0xA0)));
        const std::uint64_t below_90 = _mm512_cmplt_epu8_mask(x, _mm512_set1_epi8(static_cast<char>(0x90)));
        const std::uint64_t e0 = eq(x, 0xE0), ed = eq(x, 0xED), f0 = eq(x, 0xF0), f4 = eq(x, 0xF4);
        if ((((e0 << 1) | ge_a0) & below_a0) | (((ed << 1) | lt_a0) & ~below_a0) | (((f0 << 1) | ge_90) & below_90) |
            (((f4 << 1) | lt_90) & ~below_90))
            return false;
        want = (l234 >> 63) | (l34 >> 62) | (l4 >> 61);
        ge_a0 = e0 >> 63;
        lt_a0 = ed >> 63;
        ge_90 = f0 >> 63;
        lt_90 = f4 >> 63;
    }
    return want == 0;
}
#else
bool is_valid_utf8_avx512(std::string_view s) noexcept { return is_valid_utf8_scalar(s); }
#endif

bool is_valid_utf8(std::string_view s) noexcept {
    if (kAvx512) return is_valid_utf8_avx512(s);
    return is_valid_utf8_scalar(s);
}

}  // namespace parley::masking::detail
