// Masked forms, as the product help page shows them:
//   "+ 1 (123) 456 7890" -> "**********7890", "melissa@gmail.com" -> "m******@gmail.com".
#include "detail.hpp"
#include "detect.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace parley::masking {

using namespace detail;

namespace {

bool whitespace(const Cp& c) {
    return c.kind == Kind::space || c.kind == Kind::invisible || c.c == '\t' || c.c == '\n' || c.c == '\r' ||
           c.c == '\v' || c.c == '\f' || c.c == 0x2028 || c.c == 0x2029;
}

// count mask characters.
void append_mask(std::string& out, std::string_view mc, int count) {
    if (mc.size() == 1) {
        out.append(static_cast<std::size_t>(std::max(count, 0)), mc[0]);
        return;
    }
    for (int i = 0; i < count; ++i) out.append(mc);
}

// One mask character per visible, non-whitespace code point, except the last four
// digits (IBAN: the last four letters or digits), which follow as ASCII.
bool ascii(std::string_view s) {
    unsigned char any = 0;
    for (const char c : s) any |= static_cast<unsigned char>(c);
    return any < 0x80;
}

bool ascii_whitespace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

void mask_number(std::string& out, std::string_view s, std::string_view mc, bool iban, bool known_ascii) {
    int visible = 0, kept = 0;
    // The last four kept characters, the latest in the low byte. (Shifting a char array
    // instead stalled on store forwarding: most of the time of masking a card, per perf.)
    std::uint32_t last4 = 0;
    auto keep = [&](char c) {
        last4 = (last4 << 8) | static_cast<unsigned char>(c);
        kept += kept < 4;
    };
    if (known_ascii || ascii(s)) {
        // Byte by byte, without decoding: a decode loop waits on each character's length
        // before reading the next (masking an address took four times as long). Counted
        // without branches, then the last four kept characters read from the end (a branch
        // per character on its class cost a third of the time of masking a message, perf).
        for (const char c : s) visible += !ascii_whitespace(c);
        for (std::size_t p = s.size(); p > 0 && kept < 4;) {
            const char c = s[--p];
            const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
            if ((c >= '0' && c <= '9') || (iban && letter)) last4 |= std::uint32_t{static_cast<unsigned char>(c)} << (8 * kept++);
        }
    } else {
        for (std::size_t p = 0; p < s.size();) {
            const Cp c = decode(s, p);
            p += c.len;
            if (whitespace(c)) continue;
            ++visible;
            if (c.kind == Kind::digit || (iban && (c.kind == Kind::upper || c.kind == Kind::lower)))
                keep(static_cast<char>(c.c));
        }
    }
    append_mask(out, mc, visible - kept);
    for (int k = kept - 1; k >= 0; --k) out.push_back(static_cast<char>(last4 >> (8 * k)));
}

// First code point of the local part, one mask character per other code point of the
// local part, '@', the domain as written.
void mask_email(std::string& out, std::string_view s, std::string_view mc, bool known_ascii) {
    if (known_ascii || ascii(s)) {  // as in mask_number: without decoding
        const std::size_t at = s.rfind('@');
        const std::size_t local_end = at == std::string_view::npos ? s.size() : at;
        std::size_t first = 0;  // the first character is kept
        while (first < local_end && ascii_whitespace(s[first])) ++first;
        if (first < local_end) out.push_back(s[first]);
        int masked = -1;
        for (std::size_t p = first; p < local_end; ++p) masked += !ascii_whitespace(s[p]);
        append_mask(out, mc, masked);
        if (at == std::string_view::npos) return;
        out.append(s.substr(at));
        return;
    }
    std::size_t at = npos;
    for (std::size_t p = 0; p < s.size();) {
        const Cp c = decode(s, p);
        if (c.kind == Kind::at) at = p;
        p += c.len;
    }
    const std::size_t local_end = at == npos ? s.size() : at;
    bool first = true;
    int masked = 0;
    for (std::size_t p = 0; p < local_end;) {
        const Cp c = decode(s, p);
        if (!whitespace(c)) {
            if (first) append_valid_utf8(out, s.substr(p, c.len));
            else ++masked;
            first = false;
        }
        p += c.len;
    }
    append_mask(out, mc, masked);
    if (at == npos) return;
    out.push_back('@');
    append_valid_utf8(out, s.substr(at + decode(s, at).len));
}

// i starts a code point as the decoder reads the text (a stray continuation byte of
// invalid input is a code point of its own).
bool boundary(std::string_view t, std::size_t i) {
    if (i >= t.size() || (static_cast<unsigned char>(t[i]) & 0xC0) != 0x80) return true;
    std::size_t k = i;
    while (k > 0 && i - k < 3 && (static_cast<unsigned char>(t[k]) & 0xC0) == 0x80) --k;
    return k + decode(t, k).len <= i;
}

// The masked text into out (cleared; its capacity is kept).
// known_valid: the caller knows utf8 is valid (all ASCII).
void mask_unchecked(std::string_view utf8, const std::vector<Span>& spans, std::string_view mask_char, std::string& out,
                    bool known_valid = false) {
    out.clear();
    out.reserve(utf8.size() + 16);
    // Valid text (nearly always) is copied as it is between the spans.
    const bool valid = known_valid || is_valid_utf8(utf8);
    auto append = [&](std::string_view piece) {
        if (valid) out.append(piece);
        else append_valid_utf8(out, piece);
    };
    std::size_t p = 0;
    for (const Span& s : spans) {
        append(utf8.substr(p, s.begin - p));
        const std::string_view text = utf8.substr(s.begin, s.end - s.begin);
        // (A text known all ASCII is not tested again span by span: the test's loop cost
        // about two mispredicted branches per span, callgrind.)
        if (s.entity == Entity::email) mask_email(out, text, mask_char, known_valid);
        else mask_number(out, text, mask_char, s.entity == Entity::iban, known_valid);
        p = s.end;
    }
    append(utf8.substr(p));
}

void require_mask_char(std::string_view mc) {
    if (!valid_mask_char(mc))
        throw std::invalid_argument(
            "mask character must be exactly one UTF-8 symbol: not a letter, digit, space, control, currency sign, "
            "'%', '+' or '@'");
}

}  // namespace

bool valid_mask_char(std::string_view mc) {
    if (mc.empty()) return false;
    const Cp c = decode(mc, 0);
    if (c.len != mc.size()) return false;
    // Not a letter or digit either, nor a currency sign or '%': masked text must not read
    // as text or as an amount, else it could be found again ("xxxx@" is a local part,
    // "XXXXXXXXX5432" a word, "612345678 $$$$$$$$$$$$1111" an amount) and masking twice
    // would differ from masking once.
    if (c.c == '%') return false;
    switch (c.kind) {
        case Kind::brk:
        case Kind::digit:
        case Kind::upper:
        case Kind::lower:
        case Kind::letter:
        case Kind::space:
        case Kind::invisible:
        case Kind::plus:
        case Kind::at:
        case Kind::currency: return false;
        default: return true;
    }
}

std::string mask(std::string_view utf8, const std::vector<Span>& spans, std::string_view mask_char) {
    require_mask_char(mask_char);
    std::size_t prev = 0;
    for (const Span& s : spans) {
        if (s.begin < prev || s.end < s.begin || s.end > utf8.size() || !boundary(utf8, s.begin) ||
            !boundary(utf8, s.end) || static_cast<unsigned>(s.entity) > static_cast<unsigned>(Entity::phone))
            throw std::invalid_argument(
                "mask spans must be sorted, non-overlapping, inside the text and on code point boundaries");
        prev = s.end;
    }
    std::string out;
    mask_unchecked(utf8, spans, mask_char, out);
    return out;
}

bool mask_into(std::string_view utf8, std::string& out, std::uint32_t entities, std::string_view mask_char) {
    require_mask_char(mask_char);
    thread_local std::vector<Span> spans;  // kept: no allocation per message
    const bool plain_ascii = detect_into(utf8, entities, spans);
    if (spans.empty()) {
        if (plain_ascii || is_valid_utf8(utf8)) return false;
        out.clear();
        append_valid_utf8(out, utf8);
        return true;
    }
    mask_unchecked(utf8, spans, mask_char, out, plain_ascii);
    return out != utf8;  // the same: masked already
}

std::optional<std::string> mask_if_changed(std::string_view utf8, std::uint32_t entities, std::string_view mask_char) {
    std::string out;
    if (!mask_into(utf8, out, entities, mask_char)) return std::nullopt;
    return out;
}

std::string mask_text(std::string_view utf8, std::uint32_t entities, std::string_view mask_char) {
    std::string out;
    if (mask_into(utf8, out, entities, mask_char)) return out;  // moved, not copied as `c ? out : ...` would
    return std::string(utf8);
}

}  // namespace parley::masking
