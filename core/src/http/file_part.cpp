#include "http/detail.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <optional>

namespace parley::http::detail {

void FilePart::open(const char* path, beast::file_mode mode, beast::error_code& ec) {
    std::error_code type;
    if (!std::filesystem::is_regular_file(path, type)) {  // (a directory opens, then fails to read)
        ec = std::make_error_code(std::errc::no_such_file_or_directory);
        return;
    }
    file_.open(path, mode, ec);
    length_ = ec ? 0 : file_.size(ec);
}

std::uint64_t FilePart::whole_size(beast::error_code& ec) const { return file_.size(ec); }

void FilePart::select(std::uint64_t first, std::uint64_t length, beast::error_code& ec) {
    file_.seek(first, ec);
    length_ = length;
}

namespace {

// Decimal digits only, no sign, no overflow.
std::optional<std::uint64_t> number(std::string_view s) {
    std::uint64_t value = 0;
    if (s.empty()) return std::nullopt;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return value;
}

}  // namespace

std::optional<ByteRange> byte_range(std::string_view header, std::uint64_t size) {
    constexpr std::string_view unit = "bytes=";
    if (!header.starts_with(unit)) return std::nullopt;
    header.remove_prefix(unit.size());
    const auto dash = header.find('-');
    if (dash == std::string_view::npos || header.find(',') != std::string_view::npos) return std::nullopt;
    const auto first = number(header.substr(0, dash));
    const auto last = number(header.substr(dash + 1));
    if (!first && !last) return std::nullopt;
    if (!first && header.substr(0, dash).empty()) {  // "-n": the last n bytes
        if (!last) return std::nullopt;
        if (*last == 0 || size == 0) return ByteRange{0, 0, true};
        return ByteRange{size > *last ? size - *last : 0, size - 1, false};
    }
    if (!first || (!last && !header.substr(dash + 1).empty())) return std::nullopt;
    if (last && *last < *first) return std::nullopt;  // invalid: ignored, the whole body
    if (*first >= size) return ByteRange{0, 0, true};
    return ByteRange{*first, last ? std::min(*last, size - 1) : size - 1, false};
}

}  // namespace parley::http::detail
