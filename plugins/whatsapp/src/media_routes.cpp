#include "media_routes.hpp"

#include "media_files.hpp"

namespace parley::whatsapp {

void MediaRoutes::add_stored() {
    for (auto& name : list_media(dir_)) add(name);
}

// On the I/O thread that read the request (a concurrent route), not on the core
// thread: that one runs every tenant's commands and webhooks, and a document can be
// 100 MB. The handler uses only its own copies of the folder and the name.
void MediaRoutes::add(const std::string& name) {
    if (!served_.insert(name).second) return;
    host_.route_concurrent("GET", std::string(kMediaRoutePrefix) + name,
                           [dir = dir_, name](const parley::HttpRequest&, std::shared_ptr<parley::Responder> responder) {
                               auto bytes = read_media(dir, name);
                               if (!bytes) return responder->send({404, "text/plain; charset=utf-8", "no such media\n"});
                               responder->send({200, content_type_for(name), std::move(*bytes)});
                           });
}

}  // namespace parley::whatsapp
