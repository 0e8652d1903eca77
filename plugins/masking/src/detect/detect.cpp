// The scanner: skips to the next byte that can start something (digit, '+', '@',
// full-width forms), reads the number or address there on the original bytes, and asks
// the detectors. Cards win over SSNs, SSNs over phones; IBANs and e-mails are read on
// their own.
#include "detect/detect.hpp"

#include "detect/detail.hpp"

#include <algorithm>

namespace parley::masking {

const char* entity_name(Entity entity) {
    switch (entity) {
        case Entity::card: return "card";
        case Entity::iban: return "iban";
        case Entity::ssn: return "ssn";
        case Entity::email: return "email";
        case Entity::phone: return "phone";
    }
    return "unknown";
}

std::optional<Entity> entity_from_name(std::string_view name) {
    for (Entity e : {Entity::card, Entity::iban, Entity::ssn, Entity::email, Entity::phone})
        if (name == entity_name(e)) return e;
    return std::nullopt;
}

namespace {

using namespace detail;

// Words after which a number is a reference, not a phone or an SSN: "order #123456789",
// "pedido nº 123456789", "tracking: 940010000000".
constexpr std::string_view kReferenceWords[] = {
    "order",      "orders",      "pedido",      "pedidos",      "orden",    "invoice",   "factura",
    "ticket",     "tracking",    "seguimiento", "shipment",     "envío",    "envio",     "albarán",
    "albaran",    "ref",         "reference",   "referencia",   "booking",  "reserva",   "localizador",
    "confirmation", "confirmación", "confirmacion", "transaction", "transacción", "transaccion",
    "operación",  "operacion",   "expediente",  "incidencia",   "id",       "awb",       "parcel",
    "paquete",    "package",     "po",
};
// Abbreviations ending in a dot that do not end a sentence: "Order no. 123456789".
constexpr std::string_view kAbbreviations[] = {"no", "nº", "nr", "nro", "num", "núm", "n", "ref"};
constexpr std::string_view kCurrencyWords[] = {"eur", "euro", "euros", "usd", "gbp", "mxn", "dollars",
                                               "dolares", "dólares", "pesos", "libras"};

template <std::size_t N>
bool in(const std::string_view (&list)[N], std::string_view w) {
    return std::find(std::begin(list), std::end(list), w) != std::end(list);
}

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

struct Run {
    static constexpr int kMaxGroups = 24;
    static constexpr int kMaxGroupDigits = 40;
    static constexpr int kMaxDigits = 256;
    Group g[kMaxGroups];
    char d[kMaxDigits];
    int n = 0, nd = 0;
    bool plus = false, plus_space = false;
    std::size_t plus_pos = npos;
};

class Scanner {
public:
    Scanner(std::string_view text, std::uint32_t entities, std::vector<Span>& out)
        : t_(text), n_(text.size()), entities_(entities), out_(out) {}

    void scan() {
        const std::uint32_t numbers = entity_bit(Entity::card) | entity_bit(Entity::iban) |
                                      entity_bit(Entity::ssn) | entity_bit(Entity::phone);
        const bool want_numbers = entities_ & numbers;
        const bool want_email = on(Entity::email);
        std::size_t pos = 0;
        while (true) {
            pos = find_trigger(t_, pos);
            if (pos >= n_) return;
            const Cp c = decode(t_, pos);
            if (c.kind == Kind::at) {
                Match m;
                if (want_email && match_email(t_, pos, last_end_, m)) {
                    emit(Entity::email, m.begin, m.end);
                    pos = m.end;
                } else {
                    pos += c.len;
                }
            } else if (c.kind == Kind::digit || c.kind == Kind::plus) {
                pos = want_numbers ? number_at(pos, c) : pos + c.len;
            } else {
                pos += c.len;
            }
        }
    }

private:
    bool on(Entity e) const { return (entities_ & entity_bit(e)) != 0; }

    void emit(Entity e, std::size_t b, std::size_t end) {
        out_.push_back({e, b, end});
        last_end_ = end;
    }

    Cp at(std::size_t p) const { return p < n_ ? decode(t_, p) : Cp{0, 0, Kind::brk}; }

    // A number (card, SSN, phone) or an IBAN starting at pos, a digit or '+'. Returns
    // where scanning resumes.
    std::size_t number_at(std::size_t pos, Cp c) {
        if (c.kind == Kind::digit && pos >= 2 && !last_was_ascii_non_upper(pos)) {
            Match m;
            const IbanResult r = match_iban(t_, pos, last_end_, m);
            if (r == IbanResult::valid && on(Entity::iban)) {
                emit(Entity::iban, m.begin, m.end);
                return m.end;
            }
            if (r != IbanResult::none) return m.end;  // IBAN-shaped: never a card or a phone
        }
        if (!(on(Entity::card) || on(Entity::ssn) || on(Entity::phone))) return skip_digits(pos);
        if (c.kind == Kind::digit && c.len == 1) {
            if (const std::size_t q = short_ascii_number(pos); q != npos) return q;
        }

        Run r;
        std::size_t p = pos;
        std::size_t start = pos;  // first byte of the number as written: '+', '(' or digit
        std::size_t open = npos;
        if (c.kind == Kind::plus) {
            r.plus = true;
            r.plus_pos = pos;
            p = skip_invisible(t_, pos + c.len);
            if (at(p).kind == Kind::space) {
                r.plus_space = true;
                p = skip_invisible(t_, p + at(p).len);
            }
            if (at(p).kind == Kind::lparen) {
                open = p;
                p = skip_invisible(t_, p + at(p).len);
            }
            if (at(p).kind != Kind::digit) return pos + c.len;
        } else if (const std::size_t q = prev_visible(t_, pos, last_end_); q != npos && at(q).kind == Kind::lparen) {
            open = q;
            start = q;
        }
        const bool glued0 = glued_before(start) || masked_remainder(t_, p);

        std::uint8_t sep = 0;
        while (true) {
            Group& g = r.g[r.n++];
            g = Group{p, p, open, npos, static_cast<std::uint16_t>(r.nd), 0, sep, false};
            int count = 0;
            for (std::size_t q = p; q < n_;) {
                const Cp d = decode(t_, q);
                if (d.kind == Kind::digit) {
                    if (count < Run::kMaxGroupDigits) r.d[r.nd++] = static_cast<char>(d.c);
                    ++count;
                    q += d.len;
                    g.end = q;
                } else if (d.kind == Kind::invisible) {
                    q += d.len;
                } else {
                    break;
                }
            }
            g.ndig = static_cast<std::uint8_t>(std::min(count, 255));
            if (count > Run::kMaxGroupDigits) g.tainted = true;

            // Separator: [')'] [space | dash | dot] ['('], then a digit continues the run.
            std::size_t s = skip_invisible(t_, g.end);
            std::uint8_t flags = 0;
            std::size_t next_open = npos;
            if (at(s).kind == Kind::rparen) {
                flags |= kClose;
                s += at(s).len;
                g.close_end = s;
                s = skip_invisible(t_, s);
            }
            const Kind k = at(s).kind;
            if (k == Kind::space || k == Kind::dash || k == Kind::dot) {
                flags |= k == Kind::space ? kSpace : k == Kind::dash ? kDash : kDot;
                s = skip_invisible(t_, s + at(s).len);
            }
            if (at(s).kind == Kind::lparen) {
                flags |= kOpen;
                next_open = s;
                s = skip_invisible(t_, s + at(s).len);
            }
            if (flags && at(s).kind == Kind::digit) {
                if (r.n == Run::kMaxGroups || r.nd + Run::kMaxGroupDigits > Run::kMaxDigits) {
                    return skip_run(s);  // absurdly long: part of something else
                }
                sep = flags;
                open = next_open;
                p = s;
                continue;
            }
            g.tainted = g.tainted || glued_after(g.end, g.open != npos);
            break;
        }
        r.g[0].tainted = r.g[0].tainted || glued0;
        match_run(r);
        return r.g[r.n - 1].end;
    }

    // Fast path for the common "10:30", "15,99 €", "89.90", "30 days": ASCII digit groups
    // and separators with fewer than eight digits in all, too short to be anything.
    // Returns the end of the last digit, or npos when the full reading is needed.
    std::size_t short_ascii_number(std::size_t pos) const {
        const auto* s = reinterpret_cast<const unsigned char*>(t_.data());
        std::size_t q = pos, digits = 0;
        while (true) {
            while (q < n_ && static_cast<unsigned>(s[q] - '0') < 10u) {
                ++q;
                if (++digits >= 8) return npos;
            }
            // Up to three separator bytes (")", " ", "-", ".", "("), then a digit goes on;
            // anything non-ASCII (a full-width digit, an invisible character) needs the
            // full reading.
            std::size_t k = q;
            for (int i = 0; i < 3 && k < n_; ++i, ++k) {
                const unsigned char b = s[k];
                if (b != ')' && b != ' ' && b != '-' && b != '.' && b != '(') break;
            }
            if (k >= n_) return q;
            if (s[k] >= 0x80) {
                // "15 €", "3 días": a non-ASCII character that cannot continue a number.
                switch (decode(t_, k).kind) {
                    case Kind::digit:
                    case Kind::invisible:
                    case Kind::space:
                    case Kind::dash:
                    case Kind::dot:
                    case Kind::lparen:
                    case Kind::rparen: return npos;
                    default: return q;
                }
            }
            if (static_cast<unsigned>(s[k] - '0') >= 10u) return q;
            q = k;
        }
    }

    // Byte before pos is ASCII and not an upper-case letter: no IBAN country code there.
    bool last_was_ascii_non_upper(std::size_t pos) const {
        const auto b = static_cast<unsigned char>(t_[pos - 1]);
        return b < 0x80 && !(b >= 'A' && b <= 'Z');
    }

    std::size_t skip_digits(std::size_t p) const {
        while (p < n_) {
            const Cp c = decode(t_, p);
            if (c.kind != Kind::digit && c.kind != Kind::plus) break;
            p += c.len;
        }
        return p;
    }

    // Past every group of a run too long to be anything.
    std::size_t skip_run(std::size_t p) const {
        while (p < n_) {
            const Kind k = at(p).kind;
            if (k == Kind::digit || k == Kind::invisible || k == Kind::space || k == Kind::dash || k == Kind::dot ||
                k == Kind::lparen || k == Kind::rparen) {
                p += at(p).len;
            } else {
                break;
            }
        }
        return p;
    }

    // The number continues something before it: a word ("abc123", "ID-123"), an address
    // ("x@123"), a time ("10:612...").
    bool glued_before(std::size_t start) const {
        const std::size_t q = prev_visible(t_, start);
        if (q == npos) return false;
        const Cp c = decode(t_, q);
        if (is_alnum(c.kind) || c.c == '@' || c.c == '_') return true;
        if (c.c == ':' || c.kind == Kind::dash) {
            const std::size_t q2 = prev_visible(t_, q);
            if (q2 == npos) return false;
            const Kind k = decode(t_, q2).kind;
            return c.c == ':' ? k == Kind::digit : is_word_letter(k);
        }
        return false;
    }

    // The number goes on into a word ("123abc", "(555)abc"), a time ("612345678:30"), an
    // e-mail address ("612345678.x@", and masked, "6**@") or a number masked already
    // (what was "4111...GB82WEST..." reads "4111...******5432" once masked).
    bool glued_after(std::size_t end, bool own_paren) const {
        std::size_t q = skip_invisible(t_, end);
        if (own_paren && at(q).kind == Kind::rparen) q = skip_invisible(t_, q + at(q).len);
        if (q >= n_) return false;
        const Cp c = decode(t_, q);
        if (is_alnum(c.kind) || c.kind == Kind::at || c.c == '_' || masked_number_at(t_, q)) return true;
        if (c.c == ':') {
            const std::size_t r = skip_invisible(t_, q + 1);
            return at(r).kind == Kind::digit || masked_number_at(t_, r);
        }
        return (local_char(c) || foreign_mask(c)) && runs_into_address(t_, q);
    }

    void match_run(Run& r) {
        const int n = r.n;
        int prefix[Run::kMaxGroups + 1];
        prefix[0] = 0;
        for (int k = 0; k < n; ++k) prefix[k + 1] = prefix[k] + r.g[k].ndig;
        if (prefix[n] < 8) return;  // nothing we look for is shorter
        // Glued groups take along the groups tied to them without a space: "2024-11-25T10".
        for (int k = 1; k < n; ++k)
            if (r.g[k - 1].tainted && !(r.g[k].sep & kSpace)) r.g[k].tainted = true;
        for (int k = n - 2; k >= 0; --k)
            if (r.g[k + 1].tainted && !(r.g[k + 1].sep & kSpace)) r.g[k].tainted = true;

        signed char owner[Run::kMaxGroups];
        std::fill(owner, owner + n, static_cast<signed char>(-1));
        Span found[Run::kMaxGroups];
        int nfound = 0;
        // Leftmost-longest per detector; a number may start or end only where a space
        // separates groups. Cards first, so cards win over SSNs and phones.
        for (Entity e : {Entity::card, Entity::ssn, Entity::phone}) {
            if (!on(e)) continue;
            for (int i = 0; i < n;) {
                if (r.g[i].tainted || owner[i] >= 0 || (i > 0 && !(r.g[i].sep & kSpace))) {
                    ++i;
                    continue;
                }
                int jmax = i;
                while (jmax < n && !r.g[jmax].tainted && owner[jmax] < 0 && prefix[jmax + 1] - prefix[i] <= 19) ++jmax;
                int hit = -1;
                for (int j = jmax; j > i && hit < 0; --j) {
                    const int digits = prefix[j] - prefix[i];
                    if (digits < 8) break;
                    if (j < n && !(r.g[j].sep & kSpace)) continue;
                    if (e == Entity::card ? digits < 12 : e == Entity::ssn ? digits != 9 : digits > 17) continue;
                    const auto [b, end] = span_of(r, i, j);
                    const Number num = number_of(r, i, j, prefix, b, end);
                    const bool ok = e == Entity::card ? is_card(num) : e == Entity::ssn ? is_ssn(num) : is_phone(num);
                    if (!ok || (e != Entity::card && !context_ok(b, end))) continue;
                    hit = j;
                    found[nfound++] = {e, b, end};
                    std::fill(owner + i, owner + j, static_cast<signed char>(e));
                }
                i = hit > 0 ? hit : i + 1;
            }
        }
        std::sort(found, found + nfound, [](const Span& a, const Span& b) { return a.begin < b.begin; });
        for (int k = 0; k < nfound; ++k) emit(found[k].entity, found[k].begin, found[k].end);
    }

    std::pair<std::size_t, std::size_t> span_of(const Run& r, int i, int j) const {
        const Group& first = r.g[i];
        const Group& last = r.g[j - 1];
        std::size_t b = first.begin;
        if (i == 0 && r.plus) b = r.plus_pos;
        else if (first.open != npos && first.close_end != npos) b = first.open;
        const std::size_t end = last.open != npos && last.close_end != npos ? last.close_end : last.end;
        return {b, end};
    }

    Number number_of(const Run& r, int i, int j, const int* prefix, std::size_t b, std::size_t end) const {
        Number num;
        num.digits = r.d + r.g[i].off;
        num.ndig = prefix[j] - prefix[i];
        num.groups = r.g + i;
        num.ngroups = j - i;
        num.plus = i == 0 && r.plus;
        num.plus_space = num.plus && r.plus_space;
        for (int k = i; k < j; ++k) {
            const bool o = r.g[k].open != npos, c = r.g[k].close_end != npos;
            if (o && c) ++num.paren_groups;
            else if ((o && k != i) || (c && k != j - 1)) num.bad_parens = true;
        }
        num.whole_text = whole_text(b, end);
        return num;
    }

    // Only whitespace and invisible characters around [b, end).
    bool whole_text(std::size_t b, std::size_t end) const {
        if (b > 32 || n_ - end > 32) return false;
        for (std::size_t p = 0; p < b;) {
            const Cp c = decode(t_, p);
            if (c.kind != Kind::space && c.kind != Kind::invisible && c.kind != Kind::brk) return false;
            p += c.len;
        }
        for (std::size_t p = end; p < n_;) {
            const Cp c = decode(t_, p);
            if (c.kind != Kind::space && c.kind != Kind::invisible && c.kind != Kind::brk) return false;
            p += c.len;
        }
        return true;
    }

    // Reads the word that ends at byte `end` (letters only, invisible characters
    // skipped), lower-cased (ASCII) into buf. Returns its first byte, or npos if no word.
    std::size_t word_before(std::size_t end, Word& buf) const {
        std::size_t b = end;
        while (b > 0) {
            const auto byte = static_cast<unsigned char>(t_[b - 1]);
            if (byte < 0x80) {  // ASCII: no decoding
                if (!((byte | 0x20) >= 'a' && (byte | 0x20) <= 'z')) break;
                --b;
                continue;
            }
            const std::size_t q = prev_visible(t_, b);
            if (q == npos || !is_word_letter(decode(t_, q).kind)) break;
            b = q;
        }
        if (b == end) return npos;
        buf.clear();
        for (std::size_t p = b; p < end;) {
            const Cp c = decode(t_, p);
            if (c.kind != Kind::invisible) buf.add(t_.substr(p, c.len));
            p += c.len;
        }
        return b;
    }

    // An order, invoice, tracking... word among the three words before b.
    bool reference_before(std::size_t b) const {
        Word word;
        std::size_t p = b;
        for (int words = 0; words < 3;) {
            const std::size_t q = prev_visible(t_, p);
            if (q == npos) return false;
            const Cp c = decode(t_, q);
            if (c.kind == Kind::space || c.kind == Kind::dash || c.c == ':' || c.c == '#' || c.c == '=' ||
                c.c == 0xB0) {
                p = q;
                continue;
            }
            if (c.kind == Kind::dot) {  // "no." goes on, a sentence end stops
                const std::size_t w = word_before(q, word);
                if (w == npos || !in(kAbbreviations, word.view())) return false;
                if (word.view() == "ref") return true;
                p = w;
                ++words;
                continue;
            }
            if (!is_word_letter(c.kind)) return false;
            const std::size_t w = word_before(p, word);
            if (in(kReferenceWords, word.view())) return true;
            p = w;
            ++words;
        }
        return false;
    }

    // Amounts, percentages and references are not phones or SSNs.
    bool context_ok(std::size_t b, std::size_t end) const {
        if (std::size_t q = prev_visible(t_, b); q != npos) {
            if (at(q).kind == Kind::space) q = prev_visible(t_, q);
            if (q != npos && (at(q).kind == Kind::currency || at(q).c == '#')) return false;
        }
        std::size_t a = skip_invisible(t_, end);
        if ((at(a).c == ',' || at(a).kind == Kind::dot) && at(a + at(a).len).kind == Kind::digit) {  // ",50 €"
            a += at(a).len;
            for (int k = 0; k < 2 && at(a).kind == Kind::digit; ++k) a += at(a).len;
        }
        if (at(a).kind == Kind::space) a = skip_invisible(t_, a + at(a).len);
        if (at(a).kind == Kind::currency || at(a).c == '%') return false;
        if (is_word_letter(at(a).kind)) {
            Word w;
            std::size_t e = a;
            while (e < n_ && is_word_letter(at(e).kind)) {
                w.add(t_.substr(e, at(e).len));
                e += at(e).len;
            }
            if (in(kCurrencyWords, w.view())) return false;
        }
        return !reference_before(b);
    }

    std::string_view t_;
    std::size_t n_;
    std::uint32_t entities_;
    std::vector<Span>& out_;
    std::size_t last_end_ = 0;
};

}  // namespace

std::vector<Span> detect(std::string_view utf8, std::uint32_t entities) {
    std::vector<Span> out;
    if (entities & all_entities) Scanner(utf8, entities, out).scan();
    return out;
}

}  // namespace parley::masking
