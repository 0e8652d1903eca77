// libFuzzer target over the detectors and the masker. Invariants:
//  - no crash (ASan/UBSan catch memory and undefined-behaviour errors);
//  - the output is valid UTF-8;
//  - masking twice equals masking once;
//  - no digit of a detected number survives except the kept last four;
//  - the scanner's shortcuts (dates passed over, digits counted on bit masks) find what
//    the full reading finds, and "all ASCII" is said only of ASCII text.
#include "detect/detail.hpp"
#include "detect/detect.hpp"
#include "utf8_oracle.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

using namespace parley::masking;

namespace {

using masking_test::valid_utf8;

// ASCII, full-width, Arabic-Indic and Persian digits of a piece of text, as ASCII.
std::string digits(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c >= '0' && c <= '9') out += static_cast<char>(c);
        // U+0660..U+0669 is D9 A0..A9, U+06F0..U+06F9 is DB B0..B9.
        if ((c == 0xD9 || c == 0xDB) && i + 1 < s.size()) {
            auto d = static_cast<unsigned char>(s[i + 1]);
            const unsigned char zero = c == 0xD9 ? 0xA0 : 0xB0;
            if (d >= zero && d <= zero + 9) out += static_cast<char>('0' + d - zero);
        }
        // U+FF10..U+FF19 is EF BC 90..99.
        if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBC) {
            auto d = static_cast<unsigned char>(s[i + 2]);
            if (d >= 0x90 && d <= 0x99) out += static_cast<char>('0' + d - 0x90);
        }
    }
    return out;
}

void fail(const char* what, std::string_view input) {
    std::fprintf(stderr, "invariant broken: %s\ninput: %.*s\n", what, static_cast<int>(input.size()), input.data());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::vector<Span> spans, full;
    const bool ascii = detail::detect_into(text, all_entities, spans);
    const bool ascii_full = detail::detect_into(text, all_entities, full, false);
    if (full != spans) fail("the shortcuts find other spans than the full reading", text);
    if (ascii || ascii_full)
        for (char c : text)
            if (static_cast<unsigned char>(c) >= 0x80) fail("a text with non-ASCII bytes was said to be ASCII", text);
    auto once = mask(text, spans);
    if (!valid_utf8(once)) fail("output is not valid UTF-8", text);
    if (mask_text(once) != once) fail("masking twice differs from masking once", text);
    for (auto& s : spans) {
        if (s.entity == Entity::email) continue;
        auto original = text.substr(s.begin, s.end - s.begin);
        auto replaced = mask(original, {Span{s.entity, 0, original.size()}});
        auto kept = digits(replaced);
        auto all = digits(original);
        if (kept.size() > 4 || all.compare(all.size() - std::min(all.size(), kept.size()), kept.size(), kept) != 0)
            fail("a digit other than the last four survived", text);
    }
    return 0;
}
