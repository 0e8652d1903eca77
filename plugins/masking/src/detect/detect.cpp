// The scanner: skips to the next byte that can start something (digit, '+', '@',
// full-width forms), reads the number or address there on the original bytes, and asks
// the detectors. Cards win over SSNs, SSNs over phones (but nine digits alone starting
// with 6 to 9 are a Spanish phone); IBANs and e-mails are read on their own.
#include "detect.hpp"

#include "detail.hpp"

#include <algorithm>
#include <vector>

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

// Stack storage for n elements, or heap storage past N (only for absurdly long runs).
template <typename T, int N>
class SmallBuf {
public:
    explicit SmallBuf(int n) {
        if (n > N) {
            heap_.resize(static_cast<std::size_t>(n));
            p_ = heap_.data();
        }
    }
    T& operator[](int i) { return p_[i]; }
    T* data() { return p_; }

private:
    T inline_[N];
    std::vector<T> heap_;
    T* p_ = inline_;
};

// The digit groups of one run as written, e.g. "+ 1 (123) 456 7890" or "2024-11-25".
struct Run {
    static constexpr int kInlineGroups = 24;
    static constexpr int kMaxGroupDigits = 40;  // a longer group is part of something else
    Group inline_g[kInlineGroups];
    char inline_d[kInlineGroups * kMaxGroupDigits];
    std::vector<Group> heap_g;
    std::vector<char> heap_d;
    Group* g = inline_g;
    char* d = inline_d;
    int n = 0, nd = 0, cap = kInlineGroups;
    bool plus = false;
    std::size_t plus_pos = npos;

    // Room for one more group and its digits.
    Group& add() {
        if (n == cap) {
            cap *= 2;
            heap_g.assign(g, g + n);
            heap_g.resize(static_cast<std::size_t>(cap));
            heap_d.assign(d, d + nd);
            heap_d.resize(static_cast<std::size_t>(cap) * kMaxGroupDigits);
            g = heap_g.data();
            d = heap_d.data();
        }
        return g[n++];
    }
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
            if (at(p).kind == Kind::space) p = skip_invisible(t_, p + at(p).len);  // "+ 1 (123) ..."
            if (at(p).kind == Kind::lparen) {
                open = p;
                p = skip_invisible(t_, p + at(p).len);
            }
            if (at(p).kind != Kind::digit) return pos + c.len;
        } else if (const std::size_t q = prev_visible(t_, pos, last_end_); q != npos && at(q).kind == Kind::lparen) {
            open = q;
            start = q;
        }
        const bool glued0 = glued_before(t_, start) || masked_remainder(t_, p);

        std::uint8_t sep = 0;
        while (true) {
            Group& g = r.add();
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
                sep = flags;
                open = next_open;
                p = s;
                continue;
            }
            g.tainted = g.tainted || glued_after(t_, g.end, g.open != npos);
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

    void match_run(Run& r) {
        const int n = r.n;
        SmallBuf<int, Run::kInlineGroups + 1> prefix_buf(n + 1);
        int* prefix = prefix_buf.data();
        prefix[0] = 0;
        for (int k = 0; k < n; ++k) prefix[k + 1] = prefix[k] + r.g[k].ndig;
        if (prefix[n] < 8) return;  // nothing we look for is shorter
        // Glued groups take along the groups tied to them without a space: "2024-11-25T10".
        for (int k = 1; k < n; ++k)
            if (r.g[k - 1].tainted && !(r.g[k].sep & kSpace)) r.g[k].tainted = true;
        for (int k = n - 2; k >= 0; --k)
            if (r.g[k + 1].tainted && !(r.g[k + 1].sep & kSpace)) r.g[k].tainted = true;

        SmallBuf<signed char, Run::kInlineGroups> owner_buf(n);
        signed char* owner = owner_buf.data();
        for (int k = 0; k < n; ++k) owner[k] = -1;
        SmallBuf<Span, Run::kInlineGroups> found_buf(n);
        Span* found = found_buf.data();
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
                    // Nine digits alone starting with 6 to 9 are a Spanish phone before an
                    // SSN ("mi móvil es 612345678"), when phones are asked for.
                    if (e == Entity::ssn && num.ngroups == 1 && num.digits[0] >= '6' && on(Entity::phone)) continue;
                    const bool ok = e == Entity::card ? is_card(num) : e == Entity::ssn ? is_ssn(num) : is_phone(num);
                    if (!ok || (e != Entity::card && !number_context_ok(t_, b, end))) continue;
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
        for (int k = i; k < j; ++k) {
            const bool o = r.g[k].open != npos, c = r.g[k].close_end != npos;
            if (o && c) ++num.paren_groups;
            else if ((o && k != i) || (c && k != j - 1)) num.bad_parens = true;
        }
        num.whole_text = whole_text(t_, b, end);
        return num;
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
