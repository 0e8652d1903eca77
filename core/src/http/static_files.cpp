#include <filesystem>
#include <string_view>
#include <unordered_map>

#include "http/detail.hpp"

namespace parley::http::detail {

namespace fs = std::filesystem;

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<std::string> percent_decode(std::string_view in) {
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        if (i + 2 >= in.size()) return std::nullopt;
        int hi = hex_value(in[i + 1]);
        int lo = hex_value(in[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

// The path below the web root, or nullopt for anything that could leave it. Checked after
// decoding, so `%2e%2e` is refused like `..`.
std::optional<fs::path> relative_path(const std::string& url_path) {
    auto decoded = percent_decode(url_path);
    if (!decoded || decoded->empty() || decoded->front() != '/') return std::nullopt;
    fs::path out;
    std::string_view rest(*decoded);
    while (!rest.empty()) {
        auto slash = rest.find('/');
        std::string_view segment = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
        if (segment.empty() || segment == ".") continue;
        if (segment == ".." || segment.find_first_of(std::string_view("\\\0", 2)) !=
                                   std::string_view::npos) {
            return std::nullopt;
        }
        out /= std::string(segment);
    }
    return out;
}

std::string mime_type(const std::string& extension) {
    static const std::unordered_map<std::string, std::string> types = {
        {".html", "text/html; charset=utf-8"},
        {".htm", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".map", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".txt", "text/plain; charset=utf-8"},
        {".woff2", "font/woff2"},
    };
    auto it = types.find(extension);
    return it == types.end() ? "application/octet-stream" : it->second;
}

}  // namespace

Response text_response(int status, std::string text) {
    Response response;
    response.status = status;
    response.body = std::move(text);
    return response;
}

Response serve_static(const std::string& web_root, const std::string& path) {
    auto relative = relative_path(path);
    if (!relative) return text_response(404, "not found\n");
    fs::path file = fs::path(web_root) / *relative;
    std::error_code ec;
    if (fs::is_directory(file, ec)) file /= "index.html";
    // (A missing file, or anything but a regular one, is the session's 404.)
    Response response;
    response.content_type = mime_type(file.extension().string());
    response.file = file.string();  // sent from disk by the session
    return response;
}

}  // namespace parley::http::detail
