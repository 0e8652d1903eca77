// The scanner: skips to the next byte that can start something (digit, '+', '@',
// full-width forms), reads the number or address there on the original bytes, and asks
// the detectors. Cards win over SSNs, SSNs over phones (but nine digits alone starting
// with 6 to 9 are a Spanish phone); IBANs and e-mails are read on their own.
#include "detect.hpp"

#include "detail.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <bit>
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
            heap_ = std::make_unique<T[]>(static_cast<std::size_t>(n));
            p_ = heap_.get();
        }
    }
    T& operator[](int i) { return p_[i]; }
    T* data() { return p_; }

private:
    T inline_[N];
    std::unique_ptr<T[]> heap_;
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
    Scanner(std::string_view text, std::uint32_t entities, std::vector<Span>& out, bool shortcuts)
        : t_(text), n_(text.size()), entities_(entities), out_(out), shortcuts_(shortcuts) {}

    // Returns true if the text is all ASCII, which it knows when it has classified every
    // byte (a caller checking UTF-8 need not read it again); false says nothing.
    bool scan() {
        // 64 bytes at a time on bit masks: most messages have no digit, '@' or full-width
        // form, and are done with one classification. Most digits in chat ("10:30",
        // "15,99 €", "pedido 4", dates) are passed over without being read. A number is
        // read inside a stretch of bytes that may stand in one (digits, " -.()", any
        // non-ASCII byte: invisible characters, Unicode spaces and dashes), and every
        // number found has eight digits or more. So only stretches with eight digits or
        // with a digit that may follow an IBAN country code are read, and, from the first
        // '@', 0xEF or Arabic-Indic digit on (e-mail addresses, full-width forms, the digits
        // Arabic and Persian customers type), everything; read step by step (steps()), as
        // they would be without the masks. (A '+' is only read before a stretch of digits:
        // alone it is nothing.)
        std::size_t pos = 0;  // where reading goes on: the first trigger was found at or after it
        std::size_t base = 0;
        int open_digits = 0;           // digits from pos on of the stretch going on at base
        std::size_t open_start = 0;    // where that stretch starts
        std::uint64_t high = 0;        // non-ASCII bytes seen
        bool skipped = false;          // bytes a step read past, not classified
        while (base < n_) {
            const ByteClasses c = classify_bytes(t_, base);
            digits_base_ = base;
            digits_ = c.digit;
            high |= c.high;
            const std::size_t len = std::min<std::size_t>(64, n_ - base);
            const std::uint64_t from_pos = ~low_bits(pos > base ? pos - base : 0);
            // Every byte is classified when these 64 bytes are the last: a caller masking
            // what was found need not check the UTF-8 of an all-ASCII text that ends with a
            // number or holds an address (of the 21,214 all-ASCII benchmark messages with
            // something found, 19,567 are known so this way, 5,363 without).
            const bool all_seen = !skipped && n_ - base <= 64;
            if (c.special & from_pos) {
                steps(pos, n_);
                return all_seen && high == 0;
            }
            const std::uint64_t gaps = ~c.joins;  // the bits past the end of the text too
            std::uint64_t iban = 0;
            const std::uint64_t after_letter = (c.letter_high << 1) | (base > 0 && letter_or_high(t_[base - 1]));
            for (std::uint64_t m = c.digit & after_letter & from_pos; m; m &= m - 1)
                if (may_start_iban(t_, base + static_cast<std::size_t>(std::countr_zero(m)))) iban |= m & (~m + 1);
            bool resync = false;
            // A stretch with eight digits has eight bytes or more: only the digits of such
            // stretches (each of their bytes is in eight in a row), of the stretch going on
            // from before, and all of them if one may start an IBAN, are looked at one by
            // one. Dates, times and prices are passed over here.
            std::uint64_t eight = c.joins & (c.joins >> 1);  // bit k: bytes k..k+7 all join
            eight &= eight >> 2;
            eight &= eight >> 4;
            eight |= eight << 1;  // every byte of those windows
            eight |= eight << 2;
            eight |= eight << 4;
            const std::uint64_t open = open_digits > 0 ? low_bits(static_cast<unsigned>(std::countr_zero(gaps))) : 0;
            const std::uint64_t look = iban ? ~std::uint64_t{0} : eight | open;
            for (std::uint64_t left = c.digit & from_pos & look; left;) {
                // The stretch of the next digit, [start, end) in bits; start 0 with
                // open_digits when it goes on from before base.
                const unsigned bit = static_cast<unsigned>(std::countr_zero(left));
                const std::uint64_t below = low_bits(bit);
                const unsigned start = (gaps & below) ? 64u - static_cast<unsigned>(std::countl_zero(gaps & below)) : 0u;
                const unsigned end = (gaps & ~below) ? static_cast<unsigned>(std::countr_zero(gaps & ~below)) : 64u;
                const std::uint64_t stretch = low_bits(end) & ~low_bits(start);
                const int digits = count_bits(c.digit & from_pos & stretch) + (start == 0 ? open_digits : 0);
                const bool may_hold = digits >= 8 || (iban & stretch);
                if (!may_hold || (digits == 8 && !(iban & stretch) && pos <= base + start &&
                                  only_a_date(base, start, end, c.digit & stretch))) {
                    left &= ~low_bits(end);  // (end 64: its digits go on in the next 64 bytes)
                    continue;
                }
                std::size_t from = std::max(start == 0 ? open_start : base + start, pos);
                if (from > pos && t_[from - 1] == '+') --from;  // "+34 612 345 678"
                pos = steps_in(from, base + end, base, c.digit);
                if (pos >= base + 64) {
                    resync = true;
                    break;
                }
                left &= ~low_bits(pos - base);
            }
            if (pos >= n_) return all_seen && high == 0;
            if (resync) {  // a step went past these 64 bytes: go on from there
                skipped = skipped || pos > base + 64;
                base = pos;
                open_digits = 0;
                open_start = pos;
                continue;
            }
            // The stretch going on into the next 64 bytes, if any.
            if (len == 64 && (c.joins >> 63)) {
                const unsigned last = gaps ? 64u - static_cast<unsigned>(std::countl_zero(gaps)) : 0u;
                const int digits = count_bits(c.digit & from_pos & ~low_bits(last));
                if (last == 0) {
                    open_digits += digits;
                } else {
                    open_digits = digits;
                    open_start = base + last;
                }
            } else {
                open_digits = 0;
                open_start = base + 64;
            }
            base += 64;
        }
        return high == 0 && !skipped;
    }

private:
    bool on(Entity e) const { return (entities_ & entity_bit(e)) != 0; }

    // Bits [0, k) for k in 0..64.
    static std::uint64_t low_bits(std::size_t k) { return (k < 64 ? std::uint64_t{1} << (k & 63) : 0) - 1; }

    static bool letter_or_high(char ch) {
        const auto b = static_cast<unsigned char>(ch);
        return b >= 0x80 || (b >= 'A' && b <= 'Z');
    }

    // The stretch [start, end) of the 64 bytes from base (start 0 only at the start of
    // the text), with eight digits (`digits`) and no IBAN start, holds a date and nothing
    // else: 2024-11-25, 25.11.2024 (4-2-2 or 2-2-4, one '-' or '.' kind), with no '+'
    // before the stretch and no capital or non-ASCII letter before the date (a phone with
    // its country code, an IBAN). Read, it is one run that has_date() keeps from being a
    // phone and that is too short for anything else, whatever its context. (Dates are
    // about a tenth of the numbers of eight digits in chat: a message with one cost
    // 280-310 cycles with it read, 100-110 without, rdtsc.)
    bool only_a_date(std::size_t base, unsigned start, unsigned end, std::uint64_t digits) const {
        const std::size_t from = base + start;
        if (!shortcuts_ || (start == 0 && base > 0) || end == 64 || (from > 0 && t_[from - 1] == '+')) return false;
        const unsigned first = static_cast<unsigned>(std::countr_zero(digits));
        // Bit k: the digit k bytes after the first (4-2-2 and 2-2-4 with their separators).
        constexpr std::uint64_t k422 = 0b11'0'11'0'1111, k224 = 0b1111'0'11'0'11;
        const std::uint64_t shape = digits >> first;
        const std::size_t p = base + first;
        const std::size_t sep = p + (shape == k422 ? 4 : shape == k224 ? 2 : 0);
        if (sep == p || t_[sep] != t_[sep + 3] || (t_[sep] != '-' && t_[sep] != '.')) return false;
        return p == 0 || !letter_or_high(t_[p - 1]);  // (p 0: the text starts with the date)
    }

    // Reads every trigger from pos on with step() until one at or after `until`; returns
    // where the scan goes on (the first trigger at or after until, or n_).
    std::size_t steps(std::size_t pos, std::size_t until) {
        while (true) {
            pos = find_trigger(t_, pos);
            if (pos >= until || pos >= n_) return pos;
            pos = step(pos);
        }
    }

    // steps() over [pos, until) inside the 64 bytes from base, whose digits are `digits`,
    // with nothing special (classify_bytes): the triggers there are the ASCII digits (and a
    // '+' at pos), found on the mask. Returns where the scan goes on (until, or past it).
    std::size_t steps_in(std::size_t pos, std::size_t until, std::size_t base, std::uint64_t digits) {
        if (pos < base) return steps(pos, until);  // the stretch began in the 64 bytes before
        if (t_[pos] == '+') pos = step(pos, true);
        while (pos < until) {
            const std::uint64_t m = digits & ~low_bits(pos - base) & low_bits(until - base);
            if (!m) return until;
            pos = step(base + static_cast<std::size_t>(std::countr_zero(m)), true);
        }
        return pos;
    }

    // Reads what starts at the trigger at pos; returns where the scan goes on. long_run:
    // the digits there are in a stretch with eight or more, so the quick skip of short
    // numbers (short_ascii_number, only ever a shortcut) is not tried.
    std::size_t step(std::size_t pos, bool long_run = false) {
        const bool want_numbers = entities_ & (entity_bit(Entity::card) | entity_bit(Entity::iban) |
                                               entity_bit(Entity::ssn) | entity_bit(Entity::phone));
        const bool want_runs = on(Entity::card) || on(Entity::ssn) || on(Entity::phone);
        const auto byte = static_cast<unsigned char>(t_[pos]);
        if (static_cast<unsigned>(byte - '0') < 10u) {
            // An ASCII digit that cannot end an IBAN country code: most digits in chat
            // ("10:30", "15,99 €") are over here, without decoding anything.
            const bool after_country_code = pos > 0 && maybe_country_code(pos);
            if (!after_country_code) {
                if (!want_runs) return skip_digits(pos);
                if (long_run) return number_at(pos, Cp{byte, 1, Kind::digit}, true);
                if (const std::size_t q = short_ascii_number(pos); q != npos) return q;
            }
            return want_numbers ? number_at(pos, Cp{byte, 1, Kind::digit}, !after_country_code || long_run) : pos + 1;
        }
        const Cp c = decode(t_, pos);
        if (c.kind == Kind::at) {
            // Addresses are read even when not asked for: a number in one is never
            // looked at (its domain must read the same before and after masking).
            Match m;
            if (!match_email(t_, pos, last_end_, m)) return pos + c.len;
            if (on(Entity::email)) emit(Entity::email, m.begin, m.end);
            return m.end;
        }
        if (c.kind == Kind::digit || c.kind == Kind::plus) return want_numbers ? number_at(pos, c, long_run) : pos + c.len;
        return pos + c.len;
    }

    void emit(Entity e, std::size_t b, std::size_t end) {
        out_.push_back({e, b, end});
        last_end_ = end;
    }

    Cp at(std::size_t p) const { return p < n_ ? decode(t_, p) : Cp{0, 0, Kind::brk}; }

    // The first visible code point at or after p; p moves to it.
    Cp visible_at(std::size_t& p) const {
        while (true) {
            const Cp c = at(p);
            if (c.kind != Kind::invisible) return c;
            p += c.len;
        }
    }

    // A number (card, SSN, phone) or an IBAN starting at pos, a digit or '+'. Returns
    // where scanning resumes. short_checked: the digit at pos is ASCII and
    // short_ascii_number said it needs the full reading.
    std::size_t number_at(std::size_t pos, Cp c, bool short_checked) {
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
        if (c.kind == Kind::digit && c.len == 1 && !short_checked) {
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
            // The digits, in locals: stores through r.d (char) may alias anything else.
            const int off = r.nd;
            int count = 0, nd = off;
            std::size_t end = p;
            std::uint64_t inv = 0;
            // count saturates at 1000: only "more than kMaxGroupDigits" and "255 or more" matter.
            for (std::size_t q = p; q < n_;) {
                if (const std::size_t k = digits_at(q)) {  // ASCII digits: no decoding
                    const auto room = static_cast<std::size_t>(Run::kMaxGroupDigits - std::min(count, Run::kMaxGroupDigits));
                    const std::size_t take = std::min(k, room);
                    std::memcpy(r.d + nd, t_.data() + q, take);
                    nd += static_cast<int>(take);
                    count = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(count) + k, 1000));
                    end = q += k;
                    if (q >= n_ || static_cast<unsigned char>(t_[q]) < 0x80) break;  // an ASCII non-digit ends the group
                    continue;
                }
                const Cp d = decode(t_, q);
                if (d.kind == Kind::digit) {
                    if (count < Run::kMaxGroupDigits) r.d[nd++] = static_cast<char>(d.c);
                    count = std::min(count + 1, 1000);
                    q += d.len;
                    end = q;
                } else if (d.kind == Kind::invisible) {
                    if (count > 0 && count < 64) inv |= std::uint64_t{1} << count;
                    q += d.len;
                } else {
                    break;
                }
            }
            r.nd = nd;
            g = Group{p, end, open, npos, static_cast<std::uint16_t>(off), static_cast<std::uint8_t>(std::min(count, 255)),
                      sep, count > Run::kMaxGroupDigits, inv};

            // Separator: [')'] [space | dash | dot] ['('], then a digit continues the run.
            // The common case first: one ASCII space, dash or dot, then an ASCII digit.
            if (end + 1 < n_) {
                const auto b0 = static_cast<unsigned char>(t_[end]), b1 = static_cast<unsigned char>(t_[end + 1]);
                if ((b0 == ' ' || b0 == '-' || b0 == '.') && static_cast<unsigned>(b1 - '0') < 10u) {
                    sep = b0 == ' ' ? kSpace : b0 == '-' ? kDash : kDot;
                    open = npos;
                    p = end + 1;
                    continue;
                }
            }
            std::size_t s = end;
            Cp cs = visible_at(s);
            std::uint8_t flags = 0;
            std::size_t next_open = npos;
            if (cs.kind == Kind::rparen) {
                flags |= kClose;
                s += cs.len;
                g.close_end = s;
                cs = visible_at(s);
            }
            if (cs.kind == Kind::space || cs.kind == Kind::dash || cs.kind == Kind::dot) {
                flags |= cs.kind == Kind::space ? kSpace : cs.kind == Kind::dash ? kDash : kDot;
                s += cs.len;
                cs = visible_at(s);
            }
            if (cs.kind == Kind::lparen) {
                flags |= kOpen;
                next_open = s;
                s += cs.len;
                cs = visible_at(s);
            }
            if (flags && cs.kind == Kind::digit) {
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
            const std::size_t group = digits_at(q);
            digits += group;
            if (digits >= 8) return npos;
            q += group;
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

    // ascii_digits(t_, q), on the digit mask of the 64 bytes classified last when q is
    // among them and the digits end there (ascii_digits' loops, called for every group
    // of every number read, were some 4% of the mispredicted branches, callgrind; with
    // the spans masked without testing them for ASCII again, mask_into +1.5%).
    // Without shortcuts_, always ascii_digits (DetectApi.DigitsOnTheMasksReadAsTheBytes).
    std::size_t digits_at(std::size_t q) const {
        if (shortcuts_ && q >= digits_base_ && q - digits_base_ < 64) {
            const auto k = static_cast<unsigned>(q - digits_base_);
            const auto run = static_cast<unsigned>(std::countr_zero(~(digits_ >> k)));
            if (run < 64 - k) return run;
        }
        return ascii_digits(t_, q);
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
        // Written AAA GG SSSS with invisible characters for separators (after the third
        // and the fifth digit), they are not alone.
        constexpr std::uint64_t kSsnCuts = (std::uint64_t{1} << 3) | (std::uint64_t{1} << 5);
        const bool ssn_groups = num.ngroups == 1 && (num.groups[0].inv & low_bits(num.ndig) & ~std::uint64_t{1}) == kSsnCuts;
        return num.digits[0] >= '6' && on(Entity::phone) && !ssn_groups && !ssn_words_before(t_, b);
    }

    // Twelve or thirteen digits (rare card lengths) after "tracking", "pedido"... are the
    // reference, not a card.
    bool card_context_ok(const Number& num, std::size_t b) const {
        return num.ndig > 13 || !reference_before(t_, b);
    }

    // match_run_general for runs of up to 63 groups (all but absurd ones), on bit masks:
    // only the groups a number may start or end at are visited (a tenth fewer mispredicted
    // branches over the benchmark corpus, callgrind). Same rules, same order, same result
    // (DetectApi.RunsOfManyGroups goes across the limit).
    void match_run(Run& r) {
        const int n = r.n;
        if (n == 1) return match_single(r);
        if (n > 63) return match_run_general(r);
        using Bits = std::uint64_t;
        auto bit = [](int k) { return Bits{1} << k; };
        auto has = [](Bits m, int k) { return ((m >> k) & 1) != 0; };
        int prefix[65];
        prefix[0] = 0;
        Bits tainted = 0, spaced = 0;  // spaced: a space in the separator before the group
        for (int k = 0; k < n; ++k) {
            prefix[k + 1] = prefix[k] + r.g[k].ndig;
            tainted |= Bits{r.g[k].tainted} << k;
            spaced |= Bits{(r.g[k].sep & kSpace) != 0} << k;
        }
        if (prefix[n] < 8) return;  // nothing we look for is shorter
        // Glued groups take along the groups tied to them without a space: "2024-11-25T10".
        for (int k = 1; k < n; ++k)
            if (has(tainted, k - 1) && !has(spaced, k)) tainted |= bit(k);
        for (int k = n - 2; k >= 0; --k)
            if (has(tainted, k + 1) && !has(spaced, k + 1)) tainted |= bit(k);
        // Nothing to do unless some stretch of free groups has eight digits.
        int longest = 0;
        for (int k = 0, run_digits = 0; k < n; ++k) {
            run_digits = has(tainted, k) ? 0 : run_digits + r.g[k].ndig;
            longest = std::max(longest, run_digits);
        }
        if (longest < 8) return;

        // Split points (bits 0 to n) as in match_run_general; groups found by an earlier
        // detector (owned) count as tainted ones for the next.
        Bits owned = 0, split = 0;
        auto len = [&](int k) { return static_cast<int>(r.g[k].ndig); };
        auto compute_splits = [&] {
            const Bits blocked = tainted | owned;
            split = (bit(0) | bit(n) | blocked | (blocked << 1)) & low_bits(n + 1);
            for (Bits m = spaced & ~split & (low_bits(n) & ~Bits{1}); m; m &= m - 1) {
                const int k = std::countr_zero(m);
                const bool left = k >= 2 && !has(blocked, k - 2), right = k + 1 < n && !has(blocked, k + 1);
                const bool separators_change = (left && r.g[k - 1].sep != kSpace) || (right && r.g[k + 1].sep != kSpace);
                const bool sizes_change =
                    len(k - 1) != len(k) && ((left && len(k - 2) == len(k - 1)) || (right && len(k + 1) == len(k)));
                if (separators_change || sizes_change || len(k - 1) >= 5 || len(k) >= 5) split |= bit(k);
            }
        };
        Span found[64];
        int nfound = 0;
        compute_splits();
        for (Entity e : {Entity::card, Entity::ssn, Entity::phone}) {
            const int min_digits = e == Entity::card ? 12 : e == Entity::ssn ? 9 : 8;
            if (!on(e) || longest < min_digits) continue;
            for (int i = 0; i < n;) {
                // The next group a number may start at: free, after a split or an owned group.
                const Bits starts = ~(tainted | owned) & (split | (owned << 1)) & low_bits(n) & ~low_bits(i);
                if (!starts) break;
                i = std::countr_zero(starts);
                const Bits blocked_after = (tainted | owned) & ~low_bits(i);
                const int first_blocked = blocked_after ? std::countr_zero(blocked_after) : n;
                int hit = -1;
                // Ends from the longest down: after a split or before an owned group, up to
                // 19 digits (skipped on the few ends rather than searched for group by group:
                // that loop was the most sampled line of match_run, perf).
                for (Bits ends = (split | owned) & low_bits(first_blocked + 1) & ~low_bits(i + 1); ends && hit < 0;) {
                    const int j = 63 - std::countl_zero(ends);
                    ends &= ~bit(j);
                    const int digits = prefix[j] - prefix[i];
                    if (digits > 19) continue;
                    if (digits < min_digits) break;
                    const auto span = accepted(e, r, i, j, prefix, digits);
                    if (!span) continue;
                    hit = j;
                    found[nfound++] = {e, span->first, span->second};
                    owned |= low_bits(j) & ~low_bits(i);
                    compute_splits();
                }
                i = hit > 0 ? hit : i + 1;
            }
        }
        std::sort(found, found + nfound, [](const Span& a, const Span& b) { return a.begin < b.begin; });
        for (int k = 0; k < nfound; ++k) emit(found[k].entity, found[k].begin, found[k].end);
    }

    // Any run of two groups or more (used for runs of more than 63 groups).
    void match_run_general(Run& r) {
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
        // Nothing to do unless some stretch of free groups has eight digits.
        int longest = 0;
        for (int k = 0, run_digits = 0; k < n; ++k) {
            run_digits = r.g[k].tainted ? 0 : run_digits + r.g[k].ndig;
            longest = std::max(longest, run_digits);
        }
        if (longest < 8) return;

        // (int and bool, not char types: stores through a char type may alias anything, and
        // the groups would be reloaded after each one.)
        SmallBuf<int, Run::kInlineGroups> owner_buf(n);
        int* owner = owner_buf.data();
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
        SmallBuf<bool, Run::kInlineGroups + 1> split_buf(n + 1);
        bool* split = split_buf.data();
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
        // Splits change only when something is found.
        compute_splits();
        for (Entity e : {Entity::card, Entity::ssn, Entity::phone}) {
            const int min_digits = e == Entity::card ? 12 : e == Entity::ssn ? 9 : 8;
            if (!on(e) || longest < min_digits) continue;
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
                    if (digits < min_digits) break;
                    const bool can_end = split[j] || owner[j] >= 0;  // (split[n] is true)
                    if (!can_end) continue;
                    const auto span = accepted(e, r, i, j, prefix, digits);
                    if (!span) continue;
                    hit = j;
                    found[nfound++] = {e, span->first, span->second};
                    std::fill(owner + i, owner + j, static_cast<int>(e));
                    compute_splits();
                }
                i = hit > 0 ? hit : i + 1;
            }
        }
        std::sort(found, found + nfound, [](const Span& a, const Span& b) { return a.begin < b.begin; });
        for (int k = 0; k < nfound; ++k) emit(found[k].entity, found[k].begin, found[k].end);
    }

    // The byte span of groups i..j when they make a number of entity `e`: a length it
    // can have, the detector's own checks, and its context.
    std::optional<std::pair<std::size_t, std::size_t>> accepted(Entity e, const Run& r, int i, int j,
                                                                const int* prefix, int digits) const {
        if (e == Entity::ssn ? digits != 9 : e == Entity::phone && digits > 17) return std::nullopt;
        const auto [b, end] = span_of(r, i, j);
        const Number num = number_of(r, i, j, prefix, b, end);
        if (e == Entity::ssn && num.ngroups == 1 && spanish_phone_first(num, b)) return std::nullopt;
        const bool ok = e == Entity::card  ? is_card(num) && card_context_ok(num, b)
                        : e == Entity::ssn ? is_ssn(num)
                                           : is_phone(num);
        if (!ok || (e != Entity::card && !number_context_ok(t_, b, end))) return std::nullopt;
        return std::pair{b, end};
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
        num.text = t_;
        num.begin = b;
        num.end = end;
        return num;
    }

    std::string_view t_;
    std::size_t n_;
    std::uint32_t entities_;
    std::vector<Span>& out_;
    bool shortcuts_;
    std::size_t last_end_ = 0;
    std::size_t digits_base_ = npos;  // the 64 bytes classified last (npos: none yet)
    std::uint64_t digits_ = 0;        // and their ASCII digits (none past the end of the text)
};

}  // namespace

namespace detail {

bool detect_into(std::string_view utf8, std::uint32_t entities, std::vector<Span>& out, bool shortcuts) {
    out.clear();
    return (entities & all_entities) && Scanner(utf8, entities, out, shortcuts).scan();
}

}  // namespace detail

std::vector<Span> detect(std::string_view utf8, std::uint32_t entities) {
    std::vector<Span> out;
    detail::detect_into(utf8, entities, out);
    return out;
}

}  // namespace parley::masking
