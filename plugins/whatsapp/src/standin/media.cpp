#include "media.hpp"

#include "crypto.hpp"
#include "ids.hpp"

namespace parley::whatsapp::standin {

namespace {

constexpr char kSamplePng[] =
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x18\x00\x00\x00\x18"
    "\x08\x02\x00\x00\x00\x6f\x15\xaa\xaf\x00\x00\x00\x39\x49\x44\x41\x54\x78\xda\x63\x90\xf7\xbf\x48"
    "\x15\xc4\x30\x6a\xd0\xa0\x31\xe8\x3f\x12\x20\xd3\xa0\xff\x38\x00\x69\x06\xfd\xc7\x0b\xe8\x6e\xd0"
    "\x7f\x22\xc0\x48\x37\x68\xf0\xc5\x1a\x35\x13\x24\x35\xb3\xc8\x68\x79\x34\x88\x0d\x02\x00\x39\xb5"
    "\x91\x0e\x1b\x99\x77\xe9\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

}  // namespace

std::string_view sample_png() { return {kSamplePng, sizeof kSamplePng - 1}; }

const Media& MediaStore::add(std::string mime_type, std::string bytes) {
    std::string id = new_media_id();
    return media_[id] = Media{id, std::move(mime_type), std::move(bytes)};
}

const Media* MediaStore::find(std::string_view id) const {
    auto it = media_.find(id);
    return it == media_.end() ? nullptr : &it->second;
}

boost::json::object media_url_answer(const Media& media, std::string_view url) {
    return {{"messaging_product", "whatsapp"},
            {"url", url},
            {"mime_type", media.mime_type},
            {"sha256", sha256_hex(media.bytes)},
            {"file_size", media.bytes.size()},
            {"id", media.id}};
}

}  // namespace parley::whatsapp::standin
