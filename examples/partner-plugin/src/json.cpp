#include "json.hpp"

#include <cstdint>
#include <cstdio>

namespace acme::json {

namespace {

class Reader {
public:
    explicit Reader(std::string_view text) : s_(text) {}

    bool object(std::map<std::string, std::string>& out) {
        ws();
        if (!eat('{')) return fail("expected a JSON object");
        ws();
        if (eat('}')) return end();
        for (;;) {
            ws();
            std::string key;
            if (!string(key)) return false;
            ws();
            if (!eat(':')) return fail("expected ':' after a member name");
            ws();
            if (peek() == '"') {
                std::string value;
                if (!string(value)) return false;
                out[key] = std::move(value);
            } else if (!skip_value(0)) {
                return false;
            }
            ws();
            if (eat(',')) continue;
            if (eat('}')) return end();
            return fail("expected ',' or '}'");
        }
    }

    const std::string& error() const { return error_; }

private:
    char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
    bool eat(char c) {
        if (peek() != c || i_ >= s_.size()) return false;
        ++i_;
        return true;
    }
    void ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }
    bool fail(const char* what) {
        if (error_.empty()) error_ = std::string(what) + " at byte " + std::to_string(i_);
        return false;
    }
    bool end() {
        ws();
        return i_ == s_.size() ? true : fail("unexpected text after the object");
    }

    static void utf8(std::uint32_t cp, std::string& out) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    bool hex4(std::uint32_t& out) {
        if (s_.size() - i_ < 4) return fail("truncated \\u escape");
        out = 0;
        for (int k = 0; k < 4; ++k) {
            char c = s_[i_++];
            out <<= 4;
            if (c >= '0' && c <= '9') out |= static_cast<std::uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f') out |= static_cast<std::uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') out |= static_cast<std::uint32_t>(c - 'A' + 10);
            else return fail("bad \\u escape");
        }
        return true;
    }

    bool string(std::string& out) {
        if (!eat('"')) return fail("expected a string");
        while (i_ < s_.size()) {
            char c = s_[i_++];
            if (c == '"') return true;
            if (static_cast<unsigned char>(c) < 0x20) return fail("control character in a string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (i_ >= s_.size()) break;
            switch (char e = s_[i_++]) {
                case '"': case '\\': case '/': out += e; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    std::uint32_t cp = 0;
                    if (!hex4(cp)) return false;
                    if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair
                        std::uint32_t low = 0;
                        if (!eat('\\') || !eat('u') || !hex4(low) || low < 0xDC00 || low > 0xDFFF)
                            return fail("unpaired surrogate");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        return fail("unpaired surrogate");
                    }
                    utf8(cp, out);
                    break;
                }
                default: return fail("bad escape");
            }
        }
        return fail("unterminated string");
    }

    bool skip_value(int depth) {
        if (depth > 64) return fail("nested too deep");
        ws();
        char c = peek();
        if (c == '"') {
            std::string ignored;
            return string(ignored);
        }
        if (c == '{' || c == '[') {
            const char close = c == '{' ? '}' : ']';
            ++i_;
            ws();
            if (eat(close)) return true;
            for (;;) {
                ws();
                if (close == '}') {
                    std::string ignored;
                    if (!string(ignored)) return false;
                    ws();
                    if (!eat(':')) return fail("expected ':'");
                }
                if (!skip_value(depth + 1)) return false;
                ws();
                if (eat(',')) continue;
                if (eat(close)) return true;
                return fail("expected ',' or a closing bracket");
            }
        }
        // A number or true/false/null.
        const auto start = i_;
        while (i_ < s_.size()) {
            char d = s_[i_];
            bool ok = (d >= '0' && d <= '9') || (d >= 'a' && d <= 'z') || d == '-' || d == '+' || d == '.' || d == 'E';
            if (!ok) break;
            ++i_;
        }
        auto word = s_.substr(start, i_ - start);
        if (word.empty()) return fail("expected a value");
        if (word == "true" || word == "false" || word == "null") return true;
        if ((word[0] >= '0' && word[0] <= '9') || word[0] == '-') return true;
        return fail("expected a value");
    }

    std::string_view s_;
    std::size_t i_ = 0;
    std::string error_;
};

}  // namespace

std::optional<std::map<std::string, std::string>> string_members(std::string_view text, std::string& error) {
    Reader reader(text);
    std::map<std::string, std::string> out;
    if (!reader.object(out)) {
        error = reader.error();
        return std::nullopt;
    }
    return out;
}

std::string quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
                    out += buf;
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

}  // namespace acme::json
