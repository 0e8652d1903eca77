// Stored customer media: file names (random, so a URL cannot be guessed), the
// extension for a MIME type and the content type a stored file is served with.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::whatsapp {

inline constexpr std::string_view kMediaRoutePrefix = "/media/whatsapp/";

// "<32 hex digits>.<extension of mime_type>"
std::string new_media_name(const std::string& mime_type);
// Only names new_media_name makes: nothing that could leave the folder.
bool valid_media_name(std::string_view name);
// By extension; never a type a browser would run (HTML, SVG): unknown is octet-stream.
std::string content_type_for(std::string_view name);

// The path of the stored file `name` in `dir`, if `name` is one new_media_name makes and
// the file is there; else nothing.
std::optional<std::string> media_path(const std::string& dir, const std::string& name);

}  // namespace parley::whatsapp
