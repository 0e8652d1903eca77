// What is around a number or an address: glued to a word, a time, an address or a
// number masked already; amounts and order references; whole-text fields. Each check
// gives the same answer whether its neighbours were masked already or not, so that
// masking twice gives what masking once gave.
#include "detail.hpp"


namespace parley::masking::detail {

namespace {

// Words after which a number is a reference, not a phone or an SSN: "order #123456789",
// "pedido nº 123456789", "tracking: 940010000000", "número de cliente 100234567".
constexpr std::string_view kReferenceWords[] = {
    "order",      "orders",      "pedido",      "pedidos",      "orden",    "invoice",   "factura",
    "ticket",     "tracking",    "seguimiento", "shipment",     "envío",    "envio",     "albarán",
    "albaran",    "ref",         "reference",   "referencia",   "booking",  "reserva",   "localizador",
    "confirmation", "confirmación", "confirmacion", "transaction", "transacción", "transaccion",
    "operación",  "operacion",   "expediente",  "incidencia",   "id",       "awb",       "parcel",
    "paquete",    "package",     "po",          "cliente",      "customer", "client",    "contrato",
    "contract",   "account",     "cuenta",      "member",       "socio",    "póliza",    "poliza",
    "policy",     "dni",         "nie",         "nif",          "cif",      "membership", "loyalty",
    "puntos",     "fidelidad",
};
// Abbreviations ending in a dot that do not end a sentence: "Order no. 123456789".
constexpr std::string_view kAbbreviations[] = {"no", "nº", "nr", "nro", "num", "núm", "n", "ref"};
constexpr std::string_view kCurrencyWords[] = {"eur", "euro", "euros", "usd", "gbp", "mxn", "dollars",
                                               "dolares", "dólares", "pesos", "libras"};

// A set of short words, bucketed by length: a lookup compares a handful of them.
template <std::size_t N>
class WordSet {
public:
    constexpr explicit WordSet(const std::string_view (&list)[N]) {
        for (std::size_t i = 0; i < N; ++i) words_[i] = list[i];
        for (std::size_t i = 1; i < N; ++i)  // insertion sort by length
            for (std::size_t j = i; j > 0 && words_[j].size() < words_[j - 1].size(); --j) {
                const std::string_view w = words_[j];
                words_[j] = words_[j - 1];
                words_[j - 1] = w;
            }
        for (std::size_t len = 0, i = 0; len <= kMaxLen; ++len) {
            while (i < N && words_[i].size() < len) ++i;
            start_[len] = i;
        }
        start_[kMaxLen + 1] = N;
    }
    bool contains(std::string_view w) const {
        if (w.empty() || w.size() > kMaxLen) return false;
        // The first byte first: comparing whole words costs a library call each (the
        // reference check before "Phone: (201) 285-3976" went from 25 to 18 ns).
        for (std::size_t i = start_[w.size()]; i < start_[w.size() + 1]; ++i)
            if (words_[i][0] == w[0] && words_[i] == w) return true;
        return false;
    }

private:
    static constexpr std::size_t kMaxLen = 24;
    std::string_view words_[N] = {};
    std::size_t start_[kMaxLen + 2] = {};
};

constexpr std::string_view kSsnWords[] = {"ssn", "social", "security", "seguro"};
// Words between the keyword and the number: "order number is 612345678", "número de
// pedido: 612345678", "Pedido nº 612345678". Any other word ends the search ("The package
// arrived damaged (305) 810-8792" is not a package number).
constexpr std::string_view kLinkWords[] = {
    "number", "no",  "nº",  "nr",  "nro", "num", "núm", "número", "numero", "de",   "del", "is",
    "es",     "was", "era", "the", "el",  "la",  "my",  "mi",     "your",   "your", "su",  "tu",
    "code",   "código", "codigo", "nummer",
};

constexpr WordSet kReferenceSet(kReferenceWords);
constexpr WordSet kSsnSet(kSsnWords);
constexpr WordSet kLinkSet(kLinkWords);
constexpr WordSet kAbbreviationSet(kAbbreviations);
constexpr WordSet kCurrencySet(kCurrencyWords);
constexpr std::size_t kLongestCurrencyWord = [] {
    std::size_t longest = 0;
    for (std::string_view w : kCurrencyWords) longest = w.size() > longest ? w.size() : longest;
    return longest;
}();

// A word, lower-cased (ASCII letters), truncated to 31 bytes; no allocation.
struct Word {
    char b[32];
    std::size_t n = 0, total = 0;
    void clear() { n = total = 0; }
    void add(std::string_view s) {
        for (char ch : s) {
            ++total;
            if (n < sizeof b) b[n++] = ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch + 32) : ch;
        }
    }
    // Empty when truncated, so it matches no list.
    std::string_view view() const { return total == n ? std::string_view(b, n) : std::string_view(); }
};

Cp cp_at(std::string_view t, std::size_t p) { return p < t.size() ? decode(t, p) : Cp{0, 0, Kind::brk}; }

// Reads the word that ends at byte `end` (letters only, invisible characters
// skipped), lower-cased (ASCII) into buf. Returns its first byte, or npos if no word.
std::size_t word_before(std::string_view t, std::size_t end, Word& buf) {
    std::size_t b = end;
    bool ascii = true;
    while (b > 0) {
        const auto byte = static_cast<unsigned char>(t[b - 1]);
        if (byte < 0x80) {  // ASCII: no decoding
            if (!((byte | 0x20) >= 'a' && (byte | 0x20) <= 'z')) break;
            --b;
            continue;
        }
        const std::size_t q = prev_visible(t, b);
        if (q == npos || !is_word_letter(decode(t, q).kind)) break;
        b = q;
        ascii = false;
    }
    if (b == end) return npos;
    buf.clear();
    if (ascii) {  // nothing invisible to leave out
        buf.add(t.substr(b, end - b));
        return b;
    }
    for (std::size_t p = b; p < end;) {
        const Cp c = decode(t, p);
        if (c.kind != Kind::invisible) buf.add(t.substr(p, c.len));
        p += c.len;
    }
    return b;
}

// A word of the set right before b, or before it with only linking words between
// ("order number is", "pedido nº", "número de pedido:"); punctuation such as ':' '#' '-'
// in between is skipped, a sentence end stops.
template <typename Set>
bool word_before_in(std::string_view t, std::size_t b, const Set& set) {
    Word word;
    std::size_t p = b;
    for (int words = 0; words < 5;) {
        const std::size_t q = prev_visible(t, p);
        if (q == npos) return false;
        const Cp c = decode(t, q);
        if (c.kind == Kind::space || c.kind == Kind::dash || c.c == ':' || c.c == '#' || c.c == '=' ||
            c.c == 0xB0) {
            p = q;
            continue;
        }
        std::size_t w;
        if (c.kind == Kind::dot) {  // "no." goes on, a sentence end stops
            w = word_before(t, q, word);
            if (w == npos || !kAbbreviationSet.contains(word.view())) return false;
        } else {
            if (!is_word_letter(c.kind)) return false;
            w = word_before(t, p, word);
        }
        if (set.contains(word.view())) return true;
        if (!kLinkSet.contains(word.view())) return false;
        p = w;
        ++words;
    }
    return false;
}

}  // namespace

bool glued_before(std::string_view t, std::size_t start) {
    const std::size_t q = prev_visible(t, start);
    if (q == npos) return false;
    const Cp c = decode(t, q);
    if (is_alnum(c.kind) || c.c == '@' || c.c == '_') return true;
    // "10:612...", "ID-612...", and "...1332-612...", "...5432)612..." (digits before a
    // dash, a dot or a ')' would have joined the same run, unless an IBAN took them: the
    // number goes on from it).
    if (c.c == ':' || c.kind == Kind::dash || c.kind == Kind::dot || c.kind == Kind::rparen) {
        const std::size_t q2 = prev_visible(t, q);
        if (q2 == npos) return false;
        const Kind k = decode(t, q2).kind;
        if (k == Kind::digit) return true;
        return c.kind == Kind::dash && is_word_letter(k);
    }
    return false;
}

bool masked_remainder(std::string_view t, std::size_t p) {
    char32_t sym = 0;
    for (int k = 0; k < 4; ++k) {
        const std::size_t q = prev_visible(t, p);
        if (q == npos) return false;
        const Cp c = decode(t, q);
        if (is_alnum(c.kind) || c.kind == Kind::space || c.kind == Kind::brk) return false;
        if (k > 0 && c.c != sym) return false;
        sym = c.c;
        p = q;
    }
    return true;
}

bool foreign_mask(const Cp& c) {
    return !local_char(c) && c.kind != Kind::space && c.kind != Kind::brk && c.kind != Kind::invisible &&
           c.kind != Kind::at;
}

bool runs_into_address(std::string_view t, std::size_t p) {
    const std::size_t from = p;
    char32_t mask = 0;  // "6••••@": the masked end of a local part, up to the '@'
    for (std::size_t count = 0; p < t.size() && count <= kMaxLocal;) {
        const Cp c = decode(t, p);
        if (c.kind == Kind::at) break;
        if (c.kind != Kind::invisible) {
            if (mask) {
                if (c.c != mask) return false;
            } else if (!local_char(c)) {
                if (!foreign_mask(c)) return false;
                mask = c.c;
            }
            ++count;
        }
        p += c.len;
    }
    // The address there, as the scanner reads it, must hold byte p.
    const std::size_t at = p;
    if (at >= t.size() || decode(t, at).kind != Kind::at) return false;
    Match m;
    return match_email(t, at, 0, m) && m.begin <= from;
}

namespace {

// A digit at r, or a number masked already ("******3820": the same symbol four times or
// more, then its kept digits): after a ':' both make a time of what comes before.
bool digit_or_masked_number_at(std::string_view t, std::size_t r) {
    if (r >= t.size()) return false;
    const Cp c = decode(t, r);
    if (c.kind == Kind::digit) return true;
    std::size_t p = r;  // past the run of c; masked_remainder refuses letters, digits and spaces
    while (p < t.size() && decode(t, p).c == c.c) p += c.len;
    return p < t.size() && decode(t, p).kind == Kind::digit && masked_remainder(t, p);
}

}  // namespace

bool glued_after(std::string_view t, std::size_t end, bool own_paren, bool time_rule) {
    std::size_t q = skip_invisible(t, end);
    if (own_paren && q < t.size() && decode(t, q).kind == Kind::rparen) q = skip_invisible(t, q + 1);
    if (q >= t.size()) return false;
    const Cp c = decode(t, q);
    if (is_alnum(c.kind) || c.kind == Kind::at || c.c == '_') return true;
    if (c.c == ':' && time_rule) return digit_or_masked_number_at(t, skip_invisible(t, q + 1));
    return (local_char(c) || foreign_mask(c)) && runs_into_address(t, q);
}

bool whole_text(std::string_view t, std::size_t b, std::size_t end) {
    if (b > 32 || t.size() - end > 32) return false;
    for (std::size_t p = 0; p < b;) {
        const Cp c = decode(t, p);
        if (c.kind != Kind::space && c.kind != Kind::invisible && c.kind != Kind::brk) return false;
        p += c.len;
    }
    for (std::size_t p = end; p < t.size();) {
        const Cp c = decode(t, p);
        if (c.kind != Kind::space && c.kind != Kind::invisible && c.kind != Kind::brk) return false;
        p += c.len;
    }
    return true;
}

bool number_context_ok(std::string_view t, std::size_t b, std::size_t end) {
    // Before: "$ 612345678", "#612345678".
    if (std::size_t q = prev_visible(t, b); q != npos) {
        if (cp_at(t, q).kind == Kind::space) q = prev_visible(t, q);
        if (q != npos && (cp_at(t, q).kind == Kind::currency || cp_at(t, q).c == '#')) return false;
    }
    // After: "612345678,50 €", "612 345 678%", "612345678 EUR" (but not "612345678
    // mxn--@b.co": the word is the start of an address, which masking would change).
    // What is an e-mail address ("67,0%b.co@x.es", "612345678 $x@y.io") is not an amount:
    // masked, it would not read as one.
    std::size_t a = skip_invisible(t, end);
    const Cp sep = cp_at(t, a);
    if ((sep.c == ',' || sep.kind == Kind::dot) && cp_at(t, a + sep.len).kind == Kind::digit) {
        if (runs_into_address(t, a + sep.len)) return !reference_before(t, b);
        a += sep.len;
        for (int k = 0; k < 2 && cp_at(t, a).kind == Kind::digit; ++k) a += cp_at(t, a).len;
    }
    if (cp_at(t, a).kind == Kind::space) a = skip_invisible(t, a + cp_at(t, a).len);
    if ((cp_at(t, a).kind == Kind::currency || cp_at(t, a).c == '%') && !runs_into_address(t, a)) return false;
    if (is_word_letter(cp_at(t, a).kind)) {
        Word w;
        for (std::size_t e = a; e < t.size() && w.total <= kLongestCurrencyWord;) {  // longer: not one
            const Cp c = decode(t, e);
            if (!is_word_letter(c.kind)) break;
            w.add(t.substr(e, c.len));
            e += c.len;
        }
        if (kCurrencySet.contains(w.view()) && !runs_into_address(t, a)) return false;
    }
    return !reference_before(t, b);
}

bool reference_before(std::string_view t, std::size_t b) { return word_before_in(t, b, kReferenceSet); }

bool ssn_words_before(std::string_view t, std::size_t b) { return word_before_in(t, b, kSsnSet); }

}  // namespace parley::masking::detail
