// Stored media served at GET /media/whatsapp/<file>: one prefix route, answered on the
// HTTP I/O thread with the file itself, which the core sends from disk.
#pragma once

#include <parley/plugin.hpp>

#include <string>

namespace parley::whatsapp {

class MediaRoutes {
public:
    MediaRoutes(parley::Host& host, std::string dir) : host_(host), dir_(std::move(dir)) {}

    void serve();  // registers the route; every file stored, before or after, is served

private:
    parley::Host& host_;
    std::string dir_;
};

}  // namespace parley::whatsapp
