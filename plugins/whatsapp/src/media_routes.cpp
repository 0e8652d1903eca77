#include "media_routes.hpp"

#include "media_files.hpp"

namespace parley::whatsapp {

// On the I/O thread that read the request (a concurrent route), not on the core thread:
// that one runs every tenant's commands and webhooks. The handler only checks the name
// and that the file is there; the core sends it from disk (a document can be 100 MB).
void MediaRoutes::serve() {
    host_.route_concurrent("GET", std::string(kMediaRoutePrefix) + "*",
                           [dir = dir_](const parley::HttpRequest& request, std::shared_ptr<parley::Responder> responder) {
                               const std::string name(request.path.substr(kMediaRoutePrefix.size()));
                               auto path = media_path(dir, name);
                               if (!path) return responder->send({404, "text/plain; charset=utf-8", "no such media\n"});
                               responder->send_file({content_type_for(name), std::move(*path)});
                           });
}

}  // namespace parley::whatsapp
