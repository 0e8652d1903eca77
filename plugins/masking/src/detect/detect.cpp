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
        const bool want_runs = on(Entity::card) || on(Entity::ssn) || on(Entity::phone);
        std::size_t pos = 0;
        while (true) {
            pos = find_trigger(t_, pos);
            if (pos >= n_) return;
            const auto byte = static_cast<unsigned char>(t_[pos]);
            if (static_cast<unsigned>(byte - '0') < 10u && (pos == 0 || !maybe_country_code(pos))) {
                // An ASCII digit that cannot end an IBAN country code: most digits in chat
                // ("10:30", "15,99 €") are over here, without decoding anything.
                if (!want_runs) {
                    pos = skip_digits(pos);
                    continue;
                }
                if (const std::size_t q = short_ascii_number(pos); q != npos) {
                    pos = q;
                    continue;
                }
            }
            const Cp c = decode(t_, pos);
            if (c.kind == Kind::at) {
                // Addresses are read even when not asked for: a number in one is never
                // looked at (its domain must read the same before and after masking).
                Match m;
                if (match_email(t_, pos, last_end_, m)) {
                    if (on(Entity::email)) emit(Entity::email, m.begin, m.end);
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
        if (c.kind == Kind::digit && pos >= 2 && maybe_country_code(pos)) {
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
            g = Group{p, p, open, npos, static_cast<std::uint16_t>(r.nd), 0, sep, false, 0};
            int count = 0;
            for (std::size_t q = p; q < n_;) {
                const auto byte = static_cast<unsigned char>(t_[q]);
                if (static_cast<unsigned>(byte - '0') < 10u) {  // ASCII digit: no decoding
                    if (count < Run::kMaxGroupDigits) r.d[r.nd++] = static_cast<char>(byte);
                    ++count;
                    g.end = ++q;
                    continue;
                }
                const Cp d = decode(t_, q);
                if (d.kind == Kind::digit) {
                    if (count < Run::kMaxGroupDigits) r.d[r.nd++] = static_cast<char>(d.c);
                    ++count;
                    q += d.len;
                    g.end = q;
                } else if (d.kind == Kind::invisible) {
                    if (g.inv_at == 0 && count > 0 && count < 255) g.inv_at = static_cast<std::uint8_t>(count);
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
            g.tainted = g.tainted || glued_after(t_, g.end, g.open != npos, true);
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

    // The byte before pos may end an IBAN country code: an upper-case letter, or not ASCII
    // (a full-width letter, an invisible character).
    bool maybe_country_code(std::size_t pos) const {
        const auto b = static_cast<unsigned char>(t_[pos - 1]);
        return b >= 0x80 || (b >= 'A' && b <= 'Z');
    }

    std::size_t skip_digits(std::size_t p) const {
        while (p < n_) {
            const Cp c = decode(t_, p);
            if (c.kind != Kind::digit && c.kind != Kind::plus) break;
            p += c.len;
        }
        return p;
    }

    // One candidate, "order 169775049", "4111111111111111": the common case, without the
    // bookkeeping of several groups.
    void match_single(const Run& r) {
        const Group& g = r.g[0];
        if (g.tainted || g.ndig < 8) return;
        const int prefix[2] = {0, g.ndig};
        const auto [b, end] = span_of(r, 0, 1);
        const Number num = number_of(r, 0, 1, prefix, b, end);
        const int digits = g.ndig;
        if (on(Entity::card) && digits >= 12 && is_card(num) && card_context_ok(num, b)) return emit(Entity::card, b, end);
        const bool ssn = on(Entity::ssn) && digits == 9 && !spanish_phone_first(num, b) && is_ssn(num);
        const bool phone = !ssn && on(Entity::phone) && digits <= 17 && is_phone(num);
        if ((ssn || phone) && number_context_ok(t_, b, end)) emit(ssn ? Entity::ssn : Entity::phone, b, end);
    }

    // Nine digits alone starting with 6 to 9 are a Spanish phone before an SSN ("mi móvil
    // es 612345678"), when phones are asked for, unless the text says SSN ("social
    // security number 635192559").
    bool spanish_phone_first(const Number& num, std::size_t b) const {
        return num.digits[0] >= '6' && on(Entity::phone) && !ssn_words_before(t_, b);
    }

    // Twelve or thirteen digits (rare card lengths) after "tracking", "pedido"... are the
    // reference, not a card.
    bool card_context_ok(const Number& num, std::size_t b) const {
        return num.ndig > 13 || !reference_before(t_, b);
    }

    void match_run(Run& r) {
        const int n = r.n;
        if (n == 1) return match_single(r);
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
        // Nothing to do unless some stretch of free groups has eight digits.
        int longest = 0;
        for (int k = 0, run_digits = 0; k < n; ++k) {
            run_digits = r.g[k].tainted ? 0 : run_digits + r.g[k].ndig;
            longest = std::max(longest, run_digits);
        }
        if (longest < 8) return;

        SmallBuf<signed char, Run::kInlineGroups> owner_buf(n);
        signed char* owner = owner_buf.data();
        for (int k = 0; k < n; ++k) owner[k] = -1;
        SmallBuf<Span, Run::kInlineGroups> found_buf(n);
        Span* found = found_buf.data();
        int nfound = 0;
        // Where a number may start or end inside a stretch of free groups: where the
        // writing changes, "2024-11-25 612 345 678" (dashes, then spaces), "4111 1111 1111
        // 1111 612345678" (a long group), "7686 0391 1637 2438 677 634 158" (fours, then
        // threes); never inside one style: "9400 6831 1791 9660 3032 43", a tracking
        // number in fours, holds no card and no phone.
        // Groups matched by an earlier detector count as tainted ones for the next (once
        // masked, they are): split points never look across them.
        SmallBuf<unsigned char, Run::kInlineGroups + 1> split_buf(n + 1);
        unsigned char* split = split_buf.data();
        auto blocked = [&](int k) { return r.g[k].tainted || owner[k] >= 0; };
        auto compute_splits = [&] {
            for (int k = 0; k <= n; ++k) split[k] = k == 0 || k == n || blocked(k - 1) || blocked(k);
            for (int k = 1; k < n; ++k) {
                if (split[k] || !(r.g[k].sep & kSpace)) continue;
                auto len = [&](int i) { return static_cast<int>(r.g[i].ndig); };
                const bool left = k >= 2 && !blocked(k - 2), right = k + 1 < n && !blocked(k + 1);
                const bool separators_change = (left && r.g[k - 1].sep != kSpace) || (right && r.g[k + 1].sep != kSpace);
                // "7686 0391 1637 2438 677 634 158": fours, then threes.
                const bool sizes_change =
                    len(k - 1) != len(k) && ((left && len(k - 2) == len(k - 1)) || (right && len(k + 1) == len(k)));
                split[k] = separators_change || sizes_change || len(k - 1) >= 5 || len(k) >= 5;
            }
        };
        // Leftmost-longest per detector. Cards first, so cards win over SSNs and phones.
        for (Entity e : {Entity::card, Entity::ssn, Entity::phone}) {
            if (!on(e)) continue;
            compute_splits();
            for (int i = 0; i < n;) {
                const bool can_start = split[i] || owner[i - 1] >= 0;  // (split[0] is true)
                if (r.g[i].tainted || owner[i] >= 0 || !can_start) {
                    ++i;
                    continue;
                }
                int jmax = i;
                while (jmax < n && !r.g[jmax].tainted && owner[jmax] < 0 && prefix[jmax + 1] - prefix[i] <= 19) ++jmax;
                int hit = -1;
                for (int j = jmax; j > i && hit < 0; --j) {
                    const int digits = prefix[j] - prefix[i];
                    if (digits < 8) break;
                    const bool can_end = split[j] || owner[j] >= 0;  // (split[n] is true)
                    if (!can_end) continue;
                    if (e == Entity::card ? digits < 12 : e == Entity::ssn ? digits != 9 : digits > 17) continue;
                    const auto [b, end] = span_of(r, i, j);
                    const Number num = number_of(r, i, j, prefix, b, end);
                    if (e == Entity::ssn && num.ngroups == 1 && spanish_phone_first(num, b)) continue;
                    const bool ok = e == Entity::card ? is_card(num) && card_context_ok(num, b)
                                    : e == Entity::ssn ? is_ssn(num)
                                                       : is_phone(num);
                    if (!ok || (e != Entity::card && !number_context_ok(t_, b, end))) continue;
                    hit = j;
                    found[nfound++] = {e, b, end};
                    std::fill(owner + i, owner + j, static_cast<signed char>(e));
                    compute_splits();
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
