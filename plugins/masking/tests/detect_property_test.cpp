// Properties over many generated messages (fixed seeds): span invariants, valid UTF-8
// out, idempotent masking, no digit of a detected number left but the last four.
#include "detect_test_support.hpp"
#include "utf8_oracle.hpp"

#include <gtest/gtest.h>

#include <random>

using namespace detect_test;
using parley::masking::mask;
using parley::masking::mask_text;
using parley::masking::Span;

namespace {

const char* const kFragments[] = {
    "Hola", "buenas tardes", "gracias", "pedido", "order #", "tracking", "nº", "€", "$", "%", ":", ",", ".", "-",
    "(", ")", "+", "+ ", "@", "*", "'", "#", "\n", " ", "  ", "\u00A0", "\u202F", "\u2013", "\u200B", "\uFEFF",
    "\u00AD", "＋", "＠", "－", "é", "ñ", "😊", "日本", "10:30", "2024-11-25", "25/11/2024", "1.234,56", "$1,234.56",
    "1732550400", "1732550400000", "4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111",
    "5555555555554444", "378282246310005", "GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432",
    "ES9121000418450200051332", "536-22-1234", "536221234", "078-05-1120", "melissa@gmail.com", "josé@correo.es",
    "user@münchen.de", "image@2x.png", "+ 1 (123) 456 7890", "+447966197542", "+44 (0)20 7946 0018",
    "(555) 123-4567", "07966 197542", "612 345 678", "91 123 45 67", "0034 612 345 678", "123456789", "0", "1", "12",
    "345", "6789", "00", "x", "X", "Z", "GB", "ES", "４１１１", "１２３", "\xFF", "\xC3", "\xE2\x82", "\xED\xA0\x80",
};

std::string generate(std::mt19937& rng) {
    std::string s;
    const int parts = static_cast<int>(rng() % 12) + 1;
    for (int i = 0; i < parts; ++i) {
        s += kFragments[rng() % std::size(kFragments)];
        if (rng() % 3 == 0) s += ' ';
    }
    return s;
}

using masking_test::valid_utf8;

void check_invariants(const std::string& text, std::uint32_t entities, const char* mc) {
    SCOPED_TRACE("text: [" + text + "]");
    const auto spans = detect(text, entities);
    std::size_t prev = 0;
    for (const Span& s : spans) {
        ASSERT_LE(prev, s.begin);
        ASSERT_LT(s.begin, s.end);
        ASSERT_LE(s.end, text.size());
        ASSERT_TRUE(entities & entity_bit(s.entity));
        if (valid_utf8(text)) {  // (in invalid input a stray continuation byte is a character)
            ASSERT_NE(static_cast<unsigned char>(text[s.begin]) & 0xC0, 0x80);
            if (s.end < text.size()) {
                ASSERT_NE(static_cast<unsigned char>(text[s.end]) & 0xC0, 0x80);
            }
        }
        prev = s.end;

        // Masked alone: a number keeps at most four digits, an e-mail at most the first
        // code point of its local part.
        const std::string piece = text.substr(s.begin, s.end - s.begin);
        const std::string masked = mask(piece, {{s.entity, 0, piece.size()}}, mc);
        if (s.entity == Entity::email) {
            const std::string local = masked.substr(0, masked.rfind('@'));
            EXPECT_LE(count_digits(local), 1) << masked;
        } else {
            EXPECT_LE(count_digits(masked), 4) << masked;
        }
    }
    ASSERT_NO_THROW(mask(text, spans, mc));
    const std::string once = mask_text(text, entities, mc);
    EXPECT_TRUE(valid_utf8(once)) << once;
    EXPECT_EQ(mask_text(once, entities, mc), once);
}

}  // namespace

TEST(DetectProperty, GeneratedMessages) {
    std::mt19937 rng(20241125);
    const char* masks[] = {"*", "•", "_", "#", "(", "."};
    for (int i = 0; i < 20000; ++i) {
        const std::string text = generate(rng);
        check_invariants(text, parley::masking::all_entities, masks[i % 6]);
        if (HasFailure()) return;
    }
}

TEST(DetectProperty, GeneratedMessagesWithEntitySubsets) {
    std::mt19937 rng(7);
    for (int i = 0; i < 5000; ++i) {
        const std::string text = generate(rng);
        check_invariants(text, static_cast<std::uint32_t>(rng() % 32), "*");
        if (HasFailure()) return;
    }
}

TEST(DetectProperty, RandomBytes) {
    std::mt19937 rng(99);
    const char alphabet[] = "0123456789 +-.()@#*aZ\xC3\xA9\xEF\xBC\x90\xE2\x80\x8B\xFF";
    for (int i = 0; i < 20000; ++i) {
        std::string text;
        const std::size_t len = rng() % 48;
        for (std::size_t k = 0; k < len; ++k) text.push_back(alphabet[rng() % (sizeof alphabet - 1)]);
        check_invariants(text, parley::masking::all_entities, "*");
        if (HasFailure()) return;
    }
}
