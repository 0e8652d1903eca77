// PCI/PII detection and masking: card numbers, IBANs, US SSNs, e-mail addresses and
// phone numbers in UTF-8 chat text. Standard library only. The rules are in
// docs/masking.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::masking {

enum class Entity : std::uint8_t { card, iban, ssn, email, phone };

// "card", "iban", "ssn", "email", "phone".
const char* entity_name(Entity entity);
// The inverse of entity_name (exact, lowercase); nullopt for anything else.
std::optional<Entity> entity_from_name(std::string_view name);

// A set of entities: bit (1 << Entity).
constexpr std::uint32_t entity_bit(Entity entity) { return 1u << static_cast<unsigned>(entity); }
constexpr std::uint32_t all_entities = 0x1F;

// Byte offsets into the original text, [begin, end). Always on code point boundaries.
struct Span {
    Entity entity;
    std::size_t begin, end;
    friend bool operator==(const Span&, const Span&) = default;
};

// Every entity of the set found in the text, sorted and non-overlapping. Never throws
// except std::bad_alloc; does not allocate when nothing is found. Invalid UTF-8 is
// tolerated (an invalid byte is an ordinary non-letter character).
std::vector<Span> detect(std::string_view utf8, std::uint32_t entities = all_entities);

// The text with each span replaced by its masked form; text outside the spans is
// copied, with invalid UTF-8 replaced by U+FFFD, so the result is always valid UTF-8.
// Numbers (card, IBAN, SSN, phone): one mask character per visible, non-whitespace code
// point of the span except the last four digits, which follow as ASCII digits (for an
// IBAN, the last four characters). E-mail: the first code point of the local part, one
// mask character per other code point of the local part, "@", the domain unchanged.
// Throws std::invalid_argument if mask_char is not exactly one allowed code point (see
// valid_mask_char) or if the spans are not sorted, non-overlapping, inside the text and
// on code point boundaries.
std::string mask(std::string_view utf8, const std::vector<Span>& spans, std::string_view mask_char = "*");

// mask(utf8, detect(utf8, entities), mask_char). Idempotent.
std::string mask_text(std::string_view utf8, std::uint32_t entities = all_entities,
                      std::string_view mask_char = "*");

// What mask_text returns, or nothing when that is the text itself (nothing found and valid
// UTF-8, or masked already): the caller keeps its own copy. Throws std::invalid_argument
// for a bad mask_char, like mask_text.
std::optional<std::string> mask_if_changed(std::string_view utf8, std::uint32_t entities = all_entities,
                                           std::string_view mask_char = "*");

// The same into a buffer the caller keeps: true and the masked text in out (its capacity
// reused, so nothing is allocated once it has grown), or false when the masked text is
// utf8 itself (out then holds nothing useful). What the plugin calls on every surface,
// with one buffer per thread: most messages hold nothing to mask, and then nothing is
// copied at all.
bool mask_into(std::string_view utf8, std::string& out, std::uint32_t entities = all_entities,
               std::string_view mask_char = "*");

// True if mask_char is exactly one valid UTF-8 code point that can serve as a mask
// character: a symbol or punctuation ("*", "•", "#", "█", "🔒"...), not a letter or a
// digit of any script, whitespace, control, invisible or line-break character, U+FFFD,
// currency sign, '%', '+' or '@' (or their full-width forms). Masked text must not read
// as text or as an amount, or masking twice could differ from masking once.
bool valid_mask_char(std::string_view mask_char);

}  // namespace parley::masking
