#include "media_files.hpp"

#include "hex.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace parley::whatsapp {

namespace fs = std::filesystem;

namespace {

// What WhatsApp accepts as media, https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media
constexpr std::array<std::pair<std::string_view, std::string_view>, 19> kTypes = {{
    {"image/jpeg", "jpg"},
    {"image/png", "png"},
    {"image/webp", "webp"},
    {"video/mp4", "mp4"},
    {"video/3gpp", "3gp"},
    {"audio/ogg", "ogg"},
    {"audio/mpeg", "mp3"},
    {"audio/aac", "aac"},
    {"audio/amr", "amr"},
    {"audio/mp4", "m4a"},
    {"application/pdf", "pdf"},
    {"text/plain", "txt"},
    {"application/msword", "doc"},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"},
    {"application/vnd.ms-excel", "xls"},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
    {"application/vnd.ms-powerpoint", "ppt"},
    {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"},
    {"application/octet-stream", "bin"},
}};

std::string_view extension_for(std::string_view mime_type) {
    mime_type = mime_type.substr(0, mime_type.find(';'));  // "audio/ogg; codecs=opus"
    while (!mime_type.empty() && mime_type.back() == ' ') mime_type.remove_suffix(1);
    for (auto& [type, ext] : kTypes)
        if (type == mime_type) return ext;
    return "bin";
}

}  // namespace

std::string new_media_name(const std::string& mime_type) {
    std::array<unsigned char, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw std::runtime_error("no random bytes for a media file name");
    return to_hex({bytes.data(), bytes.size()}) + "." + std::string(extension_for(mime_type));
}

bool valid_media_name(std::string_view name) {
    auto dot = name.find('.');
    if (dot != 32) return false;
    auto ext = name.substr(dot + 1);
    return std::all_of(name.begin(), name.begin() + dot, [](char c) { return hex_digit(c) >= 0; }) &&
           std::any_of(kTypes.begin(), kTypes.end(), [&](auto& t) { return t.second == ext; });
}

std::string content_type_for(std::string_view name) {
    auto ext = name.substr(name.rfind('.') + 1);
    for (auto& [type, e] : kTypes)
        if (e == ext) return std::string(type);
    return "application/octet-stream";
}

std::optional<std::string> media_path(const std::string& dir, const std::string& name) {
    if (!valid_media_name(name)) return std::nullopt;
    std::error_code ec;
    fs::path path = fs::path(dir) / name;
    if (!fs::is_regular_file(path, ec)) return std::nullopt;
    return path.string();
}

}  // namespace parley::whatsapp
