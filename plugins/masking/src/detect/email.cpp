// E-mail addresses: a local part (RFC 5322 atext, dots, UTF-8 letters), '@', a domain of
// two labels or more (ASCII, punycode or UTF-8 IDN) that ends with a real-looking TLD.
// Where the local part starts is decided the same way whether what is before it was
// masked already or not, so that masking twice gives what masking once gave.
#include "detail.hpp"

#include <string_view>

namespace parley::masking::detail {

namespace {

constexpr std::size_t kMaxLabel = 63;    // bytes
constexpr std::size_t kMaxDomain = 253;  // bytes

bool label_char(const Cp& c) { return is_alnum(c.kind) || (c.c == '-' && c.len == 1); }

// File extensions that are not used as e-mail TLDs: "image@2x.png", "icon@3x.jpg".
// ccTLDs that are also extensions (.md, .pl, .py, .rs, .sh, ...) are not listed. By
// length, so that a TLD is compared with a handful of them.
constexpr std::string_view kExtensions2[] = {"gz", "js"};
constexpr std::string_view kExtensions3[] = {"png", "jpg", "gif", "svg", "bmp", "tif", "ico", "pdf", "mp3",
                                             "mp4", "m4a", "wav", "ogg", "avi", "mkv", "mov", "zip", "rar",
                                             "tgz", "tar", "txt", "csv", "xml", "yml", "htm", "css", "exe",
                                             "dll", "doc", "xls", "ppt", "log", "apk", "dmg", "iso", "bin"};
constexpr std::string_view kExtensions4[] = {"jpeg", "webp", "tiff", "heic", "heif", "avif", "webm", "json",
                                             "yaml", "html", "docx", "xlsx", "pptx"};

bool is_file_extension(std::string_view tld) {
    if (tld.size() < 2 || tld.size() > 4) return false;
    char low[4];
    for (std::size_t i = 0; i < tld.size(); ++i) low[i] = static_cast<char>(tld[i] | 0x20);
    const std::string_view l(low, tld.size());
    auto in = [&](const auto& list) {
        for (std::string_view ext : list)
            if (ext[0] == l[0] && ext == l) return true;
        return false;
    };
    return tld.size() == 2 ? in(kExtensions2) : tld.size() == 3 ? in(kExtensions3) : in(kExtensions4);
}

struct Label {
    std::size_t begin, end;
};

// For a label that starts "xn--" (invisible characters skipped, as everywhere): where its
// first character that punycode has no room for (no ASCII letter, digit or hyphen)
// starts, hyphens before it left out, or the label's end when there is none; npos for
// any other label.
std::size_t punycode_ascii_end(std::string_view t, Label l) {
    int visible = 0;
    for (std::size_t q = l.begin; q < l.end;) {
        const Cp c = decode(t, q);
        if (c.kind == Kind::invisible) {
            q += c.len;
            continue;
        }
        const char a = c.len == 1 ? static_cast<char>(c.c | 0x20) : 0;
        if (visible < 4 && a != "xn--"[visible]) return npos;
        if (c.len != 1 || !(is_alnum(c.kind) || c.c == '-')) {
            while (q > l.begin && t[q - 1] == '-') --q;
            return q;
        }
        ++visible;
        q += c.len;
    }
    return visible < 4 ? npos : l.end;
}

// Top-level domain: ASCII letters (at least two, not a file extension), "xn--" punycode
// or UTF-8 letters (an IDN TLD such as "рф").
bool tld_ok(std::string_view t, Label l) {
    int cps = 0;
    bool ascii_letters = true, idn_letters = true, hyphen_after_xn = false;
    for (std::size_t q = l.begin; q < l.end;) {
        const Cp c = decode(t, q);
        q += c.len;
        if (c.kind == Kind::invisible) continue;
        if (c.len != 1 || (c.kind != Kind::upper && c.kind != Kind::lower)) ascii_letters = false;
        if (c.kind != Kind::letter) idn_letters = false;
        if (cps == 4 && c.c == '-') hyphen_after_xn = true;
        ++cps;
    }
    const std::string_view tld = t.substr(l.begin, l.end - l.begin);
    if (ascii_letters) return cps >= 2 && !is_file_extension(tld);
    if (idn_letters) return cps >= 2;
    // "xn--" then two characters or more (the root zone's have four or more), the first a
    // letter or digit (as in any IDNA label), all ASCII letters, digits or hyphens: "xn--6"
    // and "xn---6" are what is left of "xn--6nxn..." and "xn---6nxn..." once an address
    // glued after it is masked ("m@n.xn--6nxn...m@..." -> "m@n.xn--6****@..."), and masking
    // twice must give what masking once gave. With invisible characters skipped,
    // "xn--25-1\u00AD5" is one (a fuzz find: masking the address glued after it left
    // "xn--25-1", which was one too).
    return cps >= 6 && !hyphen_after_xn && punycode_ascii_end(t, l) == l.end;
}

// Labels 0..k of a domain that starts at `start` and ends at `end`, inside label k:
// each 63 bytes at most, 253 in all.
bool lengths_ok(const Label* labels, int k, std::size_t end, std::size_t start) {
    for (int i = 0; i < k; ++i)
        if (labels[i].end - labels[i].begin > kMaxLabel) return false;
    return end - labels[k].begin <= kMaxLabel && end - start <= kMaxDomain;
}

// The end of what comes before the last hyphen (or run of hyphens) of [begin, e), or
// begin when there is none.
std::size_t before_last_hyphen(std::string_view t, std::size_t begin, std::size_t e) {
    while (e > begin && t[e - 1] != '-') --e;
    while (e > begin && t[e - 1] == '-') --e;
    return e;
}

}  // namespace

std::size_t domain_end(std::string_view t, std::size_t p, bool checked) {
    const std::size_t start = p;
    constexpr int kMaxLabels = 64;
    Label all[kMaxLabels];
    int labels = 0;
    std::size_t end = npos;
    while (p < t.size()) {
        Label l{p, p};
        int cps = 0;
        std::size_t q = p;
        while (q < t.size()) {
            if (const auto byte = static_cast<unsigned char>(t[q]); byte < 0x80) {  // no decoding
                const bool alnum = (byte >= '0' && byte <= '9') || ((byte | 0x20) >= 'a' && (byte | 0x20) <= 'z');
                if (!alnum && (byte != '-' || cps == 0)) break;
                ++cps;
                l.end = ++q;
                continue;
            }
            const Cp c = decode(t, q);
            if (c.kind == Kind::invisible) {
                q += c.len;
                continue;
            }
            if (!label_char(c)) break;
            if (cps == 0 && c.c == '-') break;
            ++cps;
            q += c.len;
            l.end = q;
        }
        if (cps == 0) break;
        // A trailing hyphen belongs to the sentence: "melissa@gmail.com-".
        while (l.end > l.begin && t[l.end - 1] == '-') --l.end;
        const bool cut = l.end < q && t[l.end] == '-';
        if (l.end == l.begin) break;
        if (labels == kMaxLabels) return npos;
        all[labels++] = l;
        end = l.end;
        if (cut) break;  // the domain ends before the hyphen
        // Another label after a dot?
        if (q >= t.size()) break;
        const Cp d = decode(t, q);
        if (d.kind != Kind::dot) break;
        const std::size_t r = skip_invisible(t, q + d.len);
        if (r >= t.size() || !label_char(decode(t, r)) || decode(t, r).c == '-') break;
        p = r;
    }
    if (!checked || end == npos) return end;
    if (labels < 2) return npos;
    // The longest run of labels that ends with a TLD and keeps the lengths of RFC 1035:
    // the sentence may go on after a dot ("melissa@gmail.com.4111 ...") or a hyphen
    // ("melissa@correo.es-GB82 ..."). Only the labels kept count for the lengths: what
    // goes on after them may be masked and cut, and masking twice must give what masking
    // once gave. So the last label is tried whole, then, when it starts "xn--", up to the
    // first character punycode has no room for ("xn--a5-n" of "xn--a5-n\u00BA@", where an
    // address glued after it starts, masked or not), then before each of its hyphens from
    // the last ("es" of "es-GB82"; "xn--x9i--..." of a label that runs on past 63 bytes).
    // Fuzz finds, each a second pass that read otherwise once a neighbour was masked.
    for (int k = labels - 1; k >= 1; --k) {
        const std::size_t ascii_end = punycode_ascii_end(t, all[k]);
        for (std::size_t e = all[k].end; e > all[k].begin;) {
            if (tld_ok(t, {all[k].begin, e}) && lengths_ok(all, k, e, start)) return e;
            e = e > ascii_end ? ascii_end : before_last_hyphen(t, all[k].begin, e);
        }
    }
    return npos;
}

namespace {

bool kept_char(const Cp& c) { return c.len == 1 && (c.kind == Kind::digit || c.kind == Kind::upper); }

// False if [b, at) is ASCII with no four identical symbols in a row, and no masked number
// ends right before b: then after_masked_numbers has nothing to do (the common case, told
// without decoding).
bool maybe_masked_inside(std::string_view t, std::size_t b, std::size_t at) {
    if (masked_remainder(t, b)) return true;
    int run = 0;
    unsigned char last = 0;
    for (std::size_t p = b; p < at; ++p) {
        const auto byte = static_cast<unsigned char>(t[p]);
        if (byte >= 0x80) return true;
        const bool alnum = (byte >= '0' && byte <= '9') || ((byte | 0x20) >= 'a' && (byte | 0x20) <= 'z');
        run = alnum ? 0 : byte == last ? run + 1 : 1;
        if (run >= 4) return true;
        last = byte;
    }
    return false;
}

// A number masked already inside the local-part run: four identical mask characters or
// more (before b, or inside the run), its four kept characters, then a separator. The
// address starts after the last one ("*****5432+u***@"), as it started after the number
// before it was masked.
std::size_t after_masked_numbers(std::string_view t, std::size_t b, std::size_t at) {
    if (!maybe_masked_inside(t, b, at)) return b;
    std::size_t start = b;
    char32_t run_c = 0;
    int run = 0;
    if (masked_remainder(t, b)) {
        run_c = decode(t, prev_visible(t, b)).c;
        run = 4;
    }
    for (std::size_t p = b; p < at;) {
        const Cp c = decode(t, p);
        if (c.kind == Kind::invisible) {
            p += c.len;
            continue;
        }
        if (run >= 4 && c.c != run_c && kept_char(c)) {
            // The kept characters: four ASCII digits or upper-case letters (an IBAN keeps
            // its last four, letters too: "*****************BBCB", a fuzz find), then a
            // separator. (One character is the first of the address itself, masked:
            // "****1.......@".)
            std::size_t q = p;
            int kept = 0;
            while (kept < 4 && q < at) {
                const Cp d = decode(t, q);
                if (d.kind != Kind::invisible) {
                    if (!kept_char(d)) break;
                    ++kept;
                }
                q += d.len;
            }
            if (kept == 4 && q < at && !is_alnum(decode(t, q).kind)) start = q;
            run = 0;
            run_c = 0;
            p = q;
            continue;
        }
        if (is_alnum(c.kind)) {  // a mask is never a letter or digit
            run = 0;
            run_c = 0;
        } else if (c.c == run_c) {
            ++run;
        } else {
            run_c = c.c;
            run = 1;
        }
        p += c.len;
    }
    return start;
}

// First letter or digit of the local part that ends at byte `end`, found backwards from
// there (at or after lo); `end` if there is none.
std::size_t local_start(std::string_view t, std::size_t end, std::size_t lo) {
    std::size_t b = end;
    while (b > lo) {
        if (const auto byte = static_cast<unsigned char>(t[b - 1]); byte < 0x80 && byte != '@') {  // no decoding
            if (!ascii_local_char(byte)) break;
            --b;
            continue;
        }
        const std::size_t p = prev_start(t, b);
        const Cp c = decode(t, p);
        if (c.kind == Kind::at) {
            // "x@a.com%y@b.org": this one starts after the domain of the one before, as it
            // did when that one was found (and masked: its masked local part may not be
            // found again).
            std::size_t e = domain_end(t, b, true);
            if (e == npos) e = domain_end(t, b, false);
            if (e != npos) b = e;
            break;
        }
        if (c.kind != Kind::invisible && !local_char(c)) break;
        b = p;
    }
    b = after_masked_numbers(t, b, end);
    // It starts with a letter or digit: "'melissa@", "*melissa@" and ".melissa@" leave
    // their punctuation out.
    while (b < end && !is_alnum(decode(t, b).kind)) b += decode(t, b).len;
    return b;
}

}  // namespace

bool match_email(std::string_view t, std::size_t at, std::size_t lo, Match& m) {
    std::size_t b = npos;
    // Masked already with a character that cannot be in a local part: "m••••••@" is
    // the first character of a local part and its mask.
    if (const std::size_t p = prev_visible(t, at, lo); p != npos && foreign_mask(decode(t, p))) {
        const char32_t mask = decode(t, p).c;
        std::size_t q = p;
        while (true) {
            const std::size_t r = prev_visible(t, q, lo);
            if (r == npos) break;
            const Cp c = decode(t, r);
            if (c.c == mask) {
                q = r;
                continue;
            }
            if (is_alnum(c.kind) && local_start(t, r + c.len, lo) == r) b = r;
            break;
        }
        if (b == npos) return false;
    } else {
        b = local_start(t, at, lo);
    }
    if (b >= at) return false;  // "@mention"
    // RFC 5321: 64 code points at most (invisible ones not counted).
    if (at - b > kMaxLocal) {
        std::size_t count = 0;
        for (std::size_t p = b; p < at;) {
            const Cp c = decode(t, p);
            if (c.kind != Kind::invisible && ++count > kMaxLocal) return false;
            p += c.len;
        }
    }

    const std::size_t end = domain_end(t, at + decode(t, at).len, true);
    if (end == npos) return false;
    m = {b, end};
    return true;
}

}  // namespace parley::masking::detail
