// Internal interface between the scanner (detect.cpp), the detectors and the context
// checks. Not part of the public API.
#pragma once

#include "detect.hpp"
#include "text.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace parley::masking::detail {

// Separator between two digit groups, as flags: at most one ')', then at most one of
// space / dash / dot, then at most one '(' (e.g. "123-456", "(555) 123", "+1 (800)").
enum : std::uint8_t { kSpace = 1, kDash = 2, kDot = 4, kOpen = 8, kClose = 16 };

// One group of digits of a written number, e.g. "4111" in "4111 1111 1111 1111".
// No default member initializers: runs keep arrays of these on the stack, and only the
// groups in use are initialized.
struct Group {
    std::size_t begin, end;  // first digit, byte after the last digit
    std::size_t open;        // a '(' right before the group, or npos
    std::size_t close_end;   // byte after a ')' right after the group, or npos
    std::uint16_t off;       // first digit in the run's digit buffer
    std::uint8_t ndig;
    std::uint8_t sep;        // separator flags before the group (0 for the first)
    bool tainted;            // glued to letters or to a longer number: never part of a match
    std::uint64_t inv;       // bit k: an invisible character inside, after the group's k-th digit (k < 64)
};

// A candidate number: consecutive groups of one run, as the detectors see it.
struct Number {
    const char* digits = nullptr;  // ASCII digits of all groups, concatenated
    int ndig = 0;
    const Group* groups = nullptr;
    int ngroups = 0;
    bool plus = false;        // written with a leading '+' (and maybe a space: "+ 1 ...")
    int paren_groups = 0;     // groups written as "(123)"
    bool bad_parens = false;  // any other use of parentheses inside the number
    std::string_view text;           // the text, and the number's bytes in it (whole_text()
    std::size_t begin = 0, end = 0;  // is asked only by is_phone, of bare candidates)

    std::string_view str() const { return {digits, static_cast<std::size_t>(ndig)}; }
    int len(int k) const { return groups[k].ndig; }
    bool paren(int k) const { return groups[k].open != npos && groups[k].close_end != npos; }
    // Separator flags, if every separator inside the number is the same; 0 for one group,
    // 0xFF if they differ.
    std::uint8_t uniform_sep() const {
        if (ngroups < 2) return 0;
        const std::uint8_t s = groups[1].sep;
        for (int k = 2; k < ngroups; ++k)
            if (groups[k].sep != s) return 0xFF;
        return s;
    }
};

// detect.cpp: detect() into a vector the caller keeps (cleared first). Returns true if
// the text is all ASCII (so it is valid UTF-8); false says nothing. shortcuts: false reads
// what the scanner's shortcuts pass over (dates) and counts every group's digits on the
// bytes rather than on the block's digit mask, for the tests: the same spans.
bool detect_into(std::string_view text, std::uint32_t entities, std::vector<Span>& out, bool shortcuts = true);

// card.cpp, ssn.cpp, phone.cpp: is this candidate one?
bool luhn_ok(std::string_view digits);
bool card_brand_ok(std::string_view digits);  // prefix and length of a known brand
bool is_card(const Number& n);
bool is_ssn(const Number& n);
bool is_phone(const Number& n);
// Length of the E.164 country calling code at the start of digits, 0 if none.
int calling_code_length(std::string_view digits);
// Country code and national length; strict (no '+' written): the country's length must
// be known and the national number must not start with a trunk 0.
bool international_ok(std::string_view digits_after_plus, bool strict);

struct Match {
    std::size_t begin = 0, end = 0;
};

// iban.cpp
enum class IbanResult { none, shape, valid };
// An IBAN whose check digits start at `digit`, the country code being the two visible
// code points before it (at or after lo). `shape`: written like an IBAN of a known
// country (length and grouping) but the BBAN format or the checksum is wrong; m is set.
IbanResult match_iban(std::string_view text, std::size_t digit, std::size_t lo, Match& m);
// Two upper-case letters naming an IBAN country right before the digit at `digit`, at
// the start of a word: where match_iban may find something.
bool may_start_iban(std::string_view text, std::size_t digit);
// Validity of a compact IBAN: country table, length, BBAN format, mod 97.
bool iban_valid(std::string_view compact);

// email.cpp
// Code points in an e-mail local part, at most (RFC 5321).
inline constexpr std::size_t kMaxLocal = 64;

// A character of an e-mail local part: letters and digits of any script, and the ASCII
// symbols of RFC 5322 atext except '/', '=' and '?' (in chat they surround addresses in
// URLs, "?to=melissa@...", far more often than they appear inside one).
inline bool local_char(const Cp& c) {
    if (is_alnum(c.kind)) return true;
    if (c.len != 1) return false;
    switch (c.c) {
        case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '^': case '_':
        case '`': case '{': case '|': case '}': case '~': case '-': case '.': return true;
        default: return false;
    }
}

// local_char for an ASCII byte, without decoding.
constexpr bool ascii_local_char(unsigned char b) {
    if ((b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z')) return true;
    switch (b) {
        case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '^': case '_':
        case '`': case '{': case '|': case '}': case '~': case '-': case '.': return true;
        default: return false;
    }
}

// End of the domain that starts at byte p (right after an '@'). checked: npos unless it
// is a real domain (two labels or more, ending with a TLD), else where it ends (the
// sentence may go on after a dot or a hyphen); unchecked: the end of the run of labels
// whatever it is, npos if there is none.
std::size_t domain_end(std::string_view text, std::size_t p, bool checked);

// The e-mail address around the '@' at byte `at`; the local part starts at or after lo.
bool match_email(std::string_view text, std::size_t at, std::size_t lo, Match& m);

// context.cpp: what is around a candidate. Each answer is the same whether the
// neighbours were masked already or not (masking is idempotent).

// The number that starts at byte `start` ('+', '(' or its first digit) continues
// something before it: a word ("abc123", "ID-123"), an address ("x@123"), a time
// ("10:612..."), digits an IBAN took ("...1332-612...").
bool glued_before(std::string_view text, std::size_t start);

// The number or IBAN that ends at byte `end` goes on into a word ("123abc", "(555)abc"
// with own_paren), a time ("612345678:30", or masked already "612345678:******3820";
// with time_rule: numbers, which end with a digit as the number after the ':' then sees)
// or an e-mail address ("612345678.x@", and masked, "6**@").
bool glued_after(std::string_view text, std::size_t end, bool own_paren, bool time_rule);

// "****1234", "•••••5678": four identical symbols (not letters, digits or spaces) right
// before byte p. What a masked number leaves: its kept characters are not detected again.
bool masked_remainder(std::string_view text, std::size_t p);

// A character that can mask a local part but cannot be in one ("•" in "m••••••@").
bool foreign_mask(const Cp& c);

// True if the local-part characters from byte p lead to an '@' and the start of a domain
// (the text at p goes on as an e-mail address, masked or not).
bool runs_into_address(std::string_view text, std::size_t p);

// Only whitespace and invisible characters around [b, end): a contact field.
bool whole_text(std::string_view text, std::size_t b, std::size_t end);

// Not an amount ("$612345678", "612 345 678 €", "612345678 EUR", "…%") or a reference
// ("order #612345678", "pedido nº 612345678"): the context a phone or an SSN needs.
bool number_context_ok(std::string_view text, std::size_t b, std::size_t end);
// An order, invoice, tracking, customer... word right before byte b, or with only
// linking words between ("order number is", "número de pedido:", "Pedido nº").
bool reference_before(std::string_view text, std::size_t b);
// "SSN", "social security (number)" right before byte b, the same way.
bool ssn_words_before(std::string_view text, std::size_t b);

}  // namespace parley::masking::detail
