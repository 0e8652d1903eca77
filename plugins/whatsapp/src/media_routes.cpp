#include "media_routes.hpp"

#include "media_files.hpp"

namespace parley::whatsapp {

void MediaRoutes::add_stored() {
    for (auto& name : list_media(dir_)) add(name);
}

void MediaRoutes::add(const std::string& name) {
    if (!served_.insert(name).second) return;
    host_.route("GET", std::string(kMediaRoutePrefix) + name, [this, name](const parley::HttpRequest&) {
        auto bytes = read_media(dir_, name);
        if (!bytes) return parley::HttpResponse{404, "text/plain; charset=utf-8", "no such media\n"};
        return parley::HttpResponse{200, content_type_for(name), std::move(*bytes)};
    });
}

}  // namespace parley::whatsapp
