// Masked forms, as the product help page shows them:
//   "+ 1 (123) 456 7890" -> "**********7890", "melissa@gmail.com" -> "m******@gmail.com".
#include "detail.hpp"
#include "detect.hpp"

#include <stdexcept>

namespace parley::masking {

using namespace detail;

namespace {

bool whitespace(const Cp& c) {
    return c.kind == Kind::space || c.kind == Kind::invisible || c.c == '\t' || c.c == '\n' || c.c == '\r' ||
           c.c == '\v' || c.c == '\f' || c.c == 0x2028 || c.c == 0x2029;
}

// One mask character per visible, non-whitespace code point, except the last four
// digits (IBAN: the last four letters or digits), which follow as ASCII.
void mask_number(std::string& out, std::string_view s, std::string_view mc, bool iban) {
    int visible = 0;
    char keep[4];
    int kept = 0;
    for (std::size_t p = 0; p < s.size();) {
        const Cp c = decode(s, p);
        p += c.len;
        if (whitespace(c)) continue;
        ++visible;
        const bool keepable = c.kind == Kind::digit || (iban && (c.kind == Kind::upper || c.kind == Kind::lower));
        if (!keepable) continue;
        if (kept == 4) {
            keep[0] = keep[1];
            keep[1] = keep[2];
            keep[2] = keep[3];
            kept = 3;
        }
        keep[kept++] = static_cast<char>(c.c);
    }
    for (int i = 0; i < visible - kept; ++i) out.append(mc);
    out.append(keep, static_cast<std::size_t>(kept));
}

// First code point of the local part, one mask character per other code point of the
// local part, '@', the domain as written.
void mask_email(std::string& out, std::string_view s, std::string_view mc) {
    std::size_t at = npos;
    for (std::size_t p = 0; p < s.size();) {
        const Cp c = decode(s, p);
        if (c.kind == Kind::at) at = p;
        p += c.len;
    }
    const std::size_t local_end = at == npos ? s.size() : at;
    bool first = true;
    for (std::size_t p = 0; p < local_end;) {
        const Cp c = decode(s, p);
        if (!whitespace(c)) {
            if (first) append_valid_utf8(out, s.substr(p, c.len));
            else out.append(mc);
            first = false;
        }
        p += c.len;
    }
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

std::string mask_unchecked(std::string_view utf8, const std::vector<Span>& spans, std::string_view mask_char) {
    std::string out;
    out.reserve(utf8.size() + 16);
    std::size_t p = 0;
    for (const Span& s : spans) {
        append_valid_utf8(out, utf8.substr(p, s.begin - p));
        const std::string_view text = utf8.substr(s.begin, s.end - s.begin);
        if (s.entity == Entity::email) mask_email(out, text, mask_char);
        else mask_number(out, text, mask_char, s.entity == Entity::iban);
        p = s.end;
    }
    append_valid_utf8(out, utf8.substr(p));
    return out;
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
    return mask_unchecked(utf8, spans, mask_char);
}

std::string mask_text(std::string_view utf8, std::uint32_t entities, std::string_view mask_char) {
    require_mask_char(mask_char);
    const std::vector<Span> spans = detect(utf8, entities);
    if (spans.empty()) {
        if (is_valid_utf8(utf8)) return std::string(utf8);
        std::string out;
        out.reserve(utf8.size() + 8);
        append_valid_utf8(out, utf8);
        return out;
    }
    return mask_unchecked(utf8, spans, mask_char);
}

}  // namespace parley::masking
