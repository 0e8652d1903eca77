// Media the customers "upload": kept by id, described by the first step of a media
// download (GET /{version}/{media-id}) and served by the second (GET the url).
#pragma once

#include <boost/json/object.hpp>

#include <map>
#include <string>
#include <string_view>

namespace parley::whatsapp::standin {

struct Media {
    std::string id;
    std::string mime_type;
    std::string bytes;
};

// A small built-in PNG (24x24): the photo every sandbox customer sends.
std::string_view sample_png();

class MediaStore {
public:
    const Media& add(std::string mime_type, std::string bytes);  // under a fresh id
    const Media* find(std::string_view id) const;

private:
    std::map<std::string, Media, std::less<>> media_;
};

// The first step's answer: {"messaging_product","url","mime_type","sha256" (hex),"file_size","id"}.
boost::json::object media_url_answer(const Media& media, std::string_view url);

}  // namespace parley::whatsapp::standin
