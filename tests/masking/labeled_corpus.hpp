// A labeled masking corpus (JSONL, one message a line: {"text": "...", "spans":
// [{"entity": "card", "start": 14, "end": 33}, ...]}, byte offsets into the UTF-8 text)
// and the accuracy score of a detector on it. Header-only, standard library only: used
// by the accuracy test (tests/masking/accuracy.cpp) and by bench-mask
// (bench/mask/bench_mask.cpp), so both count the same way.
//
// The matching rule. Per entity, a labeled span is found (a true positive) when a
// detected span of the same entity overlaps it by at least half of the labeled bytes;
// each detected span finds at most one labeled span (the one it overlaps most), and each
// labeled span is found at most once. A labeled span not found is a false negative; a
// detected span that found nothing is a false positive. Precision = TP / (TP + FP),
// recall = TP / (TP + FN); with nothing to count (TP + FP = 0, or TP + FN = 0) the ratio
// is reported as 1 only when the other count is 0 too, i.e. a detector that detects no
// IBAN on a corpus without IBANs has precision 1 and recall 1, and one with no IBAN rule
// on a corpus with IBANs has recall 0.
//
// The row "any" applies the same rule with the entity ignored (every labeled span
// against every detected span, including a peer's spans of kinds we do not label, such
// as redact-pii's DIGITS): how much PII is masked at all, and how much that is not PII.
#pragma once

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley::masking::corpus {

// Our five entities, in the order of parley::masking::Entity, then "other" (a peer's
// label that maps to none of them).
inline constexpr std::array<const char*, 5> kEntities = {"card", "iban", "ssn", "email", "phone"};
inline constexpr int kOther = 5;

inline int entity_index(std::string_view name) {
    for (int i = 0; i < 5; ++i)
        if (name == kEntities[static_cast<std::size_t>(i)]) return i;
    return kOther;
}

struct LabeledSpan {
    int entity;  // index into kEntities, or kOther
    std::size_t start, end;
};

struct Message {
    std::string text;
    std::vector<LabeledSpan> spans;
};

// ------------------------------------------------------------------ minimal JSON

// Enough JSON for the corpus: objects, arrays, strings (all escapes, surrogate pairs),
// numbers, true/false/null. Unknown fields are skipped.
class JsonLine {
public:
    explicit JsonLine(std::string_view s) : s_(s) {}

    // Calls on_field(name) for each field of the top-level object; the callback reads
    // the value with one of the read_* functions, or calls skip_value().
    template <class F>
    void object(F&& on_field) {
        ws();
        expect('{');
        ws();
        if (peek() == '}') {
            ++i_;
            return;
        }
        while (true) {
            ws();
            const std::string name = read_string();
            ws();
            expect(':');
            ws();
            on_field(name);
            ws();
            if (peek() == ',') {
                ++i_;
                continue;
            }
            expect('}');
            return;
        }
    }

    template <class F>
    void array(F&& on_item) {
        ws();
        expect('[');
        ws();
        if (peek() == ']') {
            ++i_;
            return;
        }
        while (true) {
            ws();
            on_item();
            ws();
            if (peek() == ',') {
                ++i_;
                continue;
            }
            expect(']');
            return;
        }
    }

    std::string read_string() {
        expect('"');
        std::string out;
        while (true) {
            if (i_ >= s_.size()) fail("unterminated string");
            const char c = s_[i_++];
            if (c == '"') return out;
            if (c != '\\') {
                out.push_back(c);
                continue;
            }
            if (i_ >= s_.size()) fail("bad escape");
            const char e = s_[i_++];
            switch (e) {
                case '"': out.push_back('"'); break;
                case '\\': out.push_back('\\'); break;
                case '/': out.push_back('/'); break;
                case 'b': out.push_back('\b'); break;
                case 'f': out.push_back('\f'); break;
                case 'n': out.push_back('\n'); break;
                case 'r': out.push_back('\r'); break;
                case 't': out.push_back('\t'); break;
                case 'u': {
                    char32_t cp = hex4();
                    if (cp >= 0xD800 && cp < 0xDC00 && i_ + 1 < s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u') {
                        i_ += 2;
                        const char32_t lo = hex4();
                        if (lo >= 0xDC00 && lo < 0xE000) cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        else fail("bad surrogate pair");
                    }
                    utf8(out, cp);
                    break;
                }
                default: fail("bad escape");
            }
        }
    }

    double read_number() {
        const std::size_t b = i_;
        while (i_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i_])) || s_[i_] == '-' ||
                                  s_[i_] == '+' || s_[i_] == '.' || s_[i_] == 'e' || s_[i_] == 'E'))
            ++i_;
        if (b == i_) fail("number expected");
        return std::stod(std::string(s_.substr(b, i_ - b)));
    }

    void skip_value() {
        ws();
        const char c = peek();
        if (c == '"') read_string();
        else if (c == '{') object([&](const std::string&) { skip_value(); });
        else if (c == '[') array([&] { skip_value(); });
        else if (c == 't') literal("true");
        else if (c == 'f') literal("false");
        else if (c == 'n') literal("null");
        else read_number();
    }

    void end() {
        ws();
        if (i_ != s_.size()) fail("trailing characters");
    }

private:
    char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
    void ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) ++i_;
    }
    void expect(char c) {
        if (peek() != c) fail(std::string("'") + c + "' expected");
        ++i_;
    }
    void literal(std::string_view w) {
        if (s_.substr(i_, w.size()) != w) fail("bad literal");
        i_ += w.size();
    }
    char32_t hex4() {
        if (i_ + 4 > s_.size()) fail("bad \\u escape");
        char32_t v = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = s_[i_++];
            v <<= 4;
            if (c >= '0' && c <= '9') v |= static_cast<char32_t>(c - '0');
            else if (c >= 'a' && c <= 'f') v |= static_cast<char32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') v |= static_cast<char32_t>(c - 'A' + 10);
            else fail("bad \\u escape");
        }
        return v;
    }
    static void utf8(std::string& out, char32_t c) {
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else if (c < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (c >> 6)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else if (c < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (c >> 12)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (c >> 18)));
            out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
    }
    [[noreturn]] void fail(const std::string& what) const {
        throw std::runtime_error("JSON: " + what + " at byte " + std::to_string(i_));
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

// Reads {"text": ..., "spans": [...]} (text optional: a predictions file has spans only).
inline Message parse_message(std::string_view line) {
    Message m;
    JsonLine j(line);
    j.object([&](const std::string& field) {
        if (field == "text") {
            m.text = j.read_string();
        } else if (field == "spans") {
            j.array([&] {
                LabeledSpan s{kOther, 0, 0};
                j.object([&](const std::string& f) {
                    if (f == "entity") s.entity = entity_index(j.read_string());
                    else if (f == "start") s.start = static_cast<std::size_t>(j.read_number());
                    else if (f == "end") s.end = static_cast<std::size_t>(j.read_number());
                    else j.skip_value();
                });
                m.spans.push_back(s);
            });
        } else {
            j.skip_value();
        }
    });
    j.end();
    return m;
}

// Every line of a JSONL file (empty lines skipped). Throws on a bad line or a span
// outside its text.
inline std::vector<Message> load(const std::string& path, bool need_text = true) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::vector<Message> out;
    std::string line;
    std::size_t lineno = 0;
    while (std::getline(in, line)) {
        ++lineno;
        if (line.empty()) continue;
        try {
            Message m = parse_message(line);
            for (const LabeledSpan& s : m.spans)
                if (s.start >= s.end || (need_text && s.end > m.text.size()))
                    throw std::runtime_error("span outside the text");
            out.push_back(std::move(m));
        } catch (const std::exception& e) {
            throw std::runtime_error(path + ":" + std::to_string(lineno) + ": " + e.what());
        }
    }
    return out;
}

// ------------------------------------------------------------------ scoring

struct Counts {
    std::uint64_t tp = 0, fp = 0, fn = 0;
    double precision() const { return tp + fp ? static_cast<double>(tp) / static_cast<double>(tp + fp) : fn ? 0.0 : 1.0; }
    double recall() const { return tp + fn ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 1.0; }
};

// One miss, for the report: a labeled span not found (kind 'N') or a detected span that
// is not a labeled one (kind 'P').
struct Error {
    char kind;
    std::size_t message;
    LabeledSpan span;
};

struct Score {
    std::array<Counts, 5> entity{};
    Counts any;
    std::vector<Error> errors;  // per-entity misses only
};

namespace detail {

inline std::size_t overlap(const LabeledSpan& a, const LabeledSpan& b) {
    const std::size_t lo = std::max(a.start, b.start), hi = std::min(a.end, b.end);
    return hi > lo ? hi - lo : 0;
}

// Matches labels against detections (same entity unless any_entity); returns counts and
// appends the misses.
inline Counts match(const std::vector<LabeledSpan>& labels, const std::vector<LabeledSpan>& found, int entity,
                    std::size_t message, std::vector<Error>* errors) {
    Counts c;
    std::vector<char> used(found.size(), 0);
    for (const LabeledSpan& l : labels) {
        if (entity >= 0 && l.entity != entity) continue;
        std::size_t best = 0;
        std::size_t best_k = found.size();
        for (std::size_t k = 0; k < found.size(); ++k) {
            if (used[k] || (entity >= 0 && found[k].entity != entity)) continue;
            const std::size_t o = overlap(l, found[k]);
            if (2 * o >= l.end - l.start && o > best) {
                best = o;
                best_k = k;
            }
        }
        if (best_k < found.size()) {
            used[best_k] = 1;
            ++c.tp;
        } else {
            ++c.fn;
            if (errors) errors->push_back({'N', message, l});
        }
    }
    for (std::size_t k = 0; k < found.size(); ++k) {
        if (used[k] || (entity >= 0 && found[k].entity != entity)) continue;
        ++c.fp;
        if (errors) errors->push_back({'P', message, found[k]});
    }
    return c;
}

inline void add(Counts& a, const Counts& b) {
    a.tp += b.tp;
    a.fp += b.fp;
    a.fn += b.fn;
}

}  // namespace detail

// Scores detections[i] against corpus[i].spans.
inline Score score(const std::vector<Message>& corpus, const std::vector<std::vector<LabeledSpan>>& detections) {
    if (corpus.size() != detections.size())
        throw std::runtime_error("detections for " + std::to_string(detections.size()) + " messages, corpus has " +
                                 std::to_string(corpus.size()));
    Score s;
    for (std::size_t i = 0; i < corpus.size(); ++i) {
        for (int e = 0; e < 5; ++e)
            detail::add(s.entity[static_cast<std::size_t>(e)],
                        detail::match(corpus[i].spans, detections[i], e, i, &s.errors));
        detail::add(s.any, detail::match(corpus[i].spans, detections[i], -1, i, nullptr));
    }
    return s;
}

// ------------------------------------------------------------------ printing

// The text with the span in brackets, control characters and invisible ones shown as
// \u{XXXX}, so a report line can be pasted into handwritten.txt.
inline std::string show(std::string_view text, std::size_t b, std::size_t e) {
    std::string out;
    auto put = [&](std::string_view part) {
        for (std::size_t i = 0; i < part.size();) {
            const auto c = static_cast<unsigned char>(part[i]);
            std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            if (i + len > part.size()) len = 1;
            char32_t cp = c;
            if (len == 2) cp = ((c & 0x1Fu) << 6) | (part[i + 1] & 0x3Fu);
            if (len == 3) cp = ((c & 0x0Fu) << 12) | ((part[i + 1] & 0x3Fu) << 6) | (part[i + 2] & 0x3Fu);
            if (len == 4)
                cp = ((c & 0x07u) << 18) | ((part[i + 1] & 0x3Fu) << 12) | ((part[i + 2] & 0x3Fu) << 6) |
                     (part[i + 3] & 0x3Fu);
            const bool invisible = cp < 0x20 || cp == 0xA0 || cp == 0xAD || (cp >= 0x2000 && cp <= 0x200F) ||
                                   (cp >= 0x2028 && cp <= 0x202F) || (cp >= 0x205F && cp <= 0x206F) ||
                                   cp == 0xFEFF || cp == 0x3000;
            if (invisible) {
                char buf[16];
                std::snprintf(buf, sizeof buf, "\\u{%X}", static_cast<unsigned>(cp));
                out += buf;
            } else {
                out.append(part.substr(i, len));
            }
            i += len;
        }
    };
    b = std::min(b, text.size());
    e = std::min(std::max(e, b), text.size());
    put(text.substr(0, b));
    out += "[[";
    put(text.substr(b, e - b));
    out += "]]";
    put(text.substr(e));
    return out;
}

inline std::string entity_label(int e) { return e == kOther ? "other" : kEntities[static_cast<std::size_t>(e)]; }

// Per-entity table: entity, TP, FP, FN, precision, recall.
inline void print_table(const Score& s, std::FILE* out = stdout) {
    std::fprintf(out, "%-6s %7s %7s %7s %9s %7s\n", "entity", "TP", "FP", "FN", "precision", "recall");
    auto row = [&](const char* name, const Counts& c) {
        std::fprintf(out, "%-6s %7llu %7llu %7llu %9.4f %7.4f\n", name, static_cast<unsigned long long>(c.tp),
                     static_cast<unsigned long long>(c.fp), static_cast<unsigned long long>(c.fn), c.precision(),
                     c.recall());
    };
    for (int e = 0; e < 5; ++e) row(kEntities[static_cast<std::size_t>(e)], s.entity[static_cast<std::size_t>(e)]);
    row("any", s.any);
}

// Each miss: "FN phone: <text with the labeled span in [[ ]]>" or "FP ssn: <text with the
// detected span in [[ ]]>", plus what the detector found (or what was labeled) there.
inline void print_errors(const Score& s, const std::vector<Message>& corpus,
                         const std::vector<std::vector<LabeledSpan>>& detections, std::size_t limit,
                         std::FILE* out = stdout) {
    std::size_t n = 0;
    for (const Error& e : s.errors) {
        if (n++ == limit) {
            std::fprintf(out, "... %zu more\n", s.errors.size() - limit);
            break;
        }
        const Message& m = corpus[e.message];
        std::string other;
        const auto& there = e.kind == 'N' ? detections[e.message] : m.spans;
        for (const LabeledSpan& x : there) {
            if (detail::overlap(x, e.span) == 0) continue;
            other.append(" ").append(entity_label(x.entity)).append(" \"");
            other.append(m.text, x.start, x.end - x.start).append("\"");
        }
        std::fprintf(out, "%s %-5s message %zu: %s   (%s:%s)\n", e.kind == 'N' ? "FN" : "FP",
                     entity_label(e.span.entity).c_str(), e.message + 1, show(m.text, e.span.start, e.span.end).c_str(),
                     e.kind == 'N' ? "detected there" : "labeled there", other.empty() ? " nothing" : other.c_str());
    }
}

// One line of JSON: {"card": {"tp": .., "fp": .., "fn": .., "precision": .., "recall": ..}, ...}
inline std::string to_json(const Score& s) {
    std::ostringstream o;
    o.precision(6);
    auto row = [&](const char* name, const Counts& c) {
        o << '"' << name << "\": {\"tp\": " << c.tp << ", \"fp\": " << c.fp << ", \"fn\": " << c.fn
          << ", \"precision\": " << c.precision() << ", \"recall\": " << c.recall() << '}';
    };
    o << '{';
    for (int e = 0; e < 5; ++e) {
        row(kEntities[static_cast<std::size_t>(e)], s.entity[static_cast<std::size_t>(e)]);
        o << ", ";
    }
    row("any", s.any);
    o << '}';
    return o.str();
}

}  // namespace parley::masking::corpus
