// Stored media served at GET /media/whatsapp/<file>, read on the HTTP I/O thread.
// Plugin routes match exact paths, so each file gets its own route: the stored ones at
// start, new ones as they are stored.
#pragma once

#include <parley/plugin.hpp>

#include <set>
#include <string>

namespace parley::whatsapp {

class MediaRoutes {
public:
    MediaRoutes(parley::Host& host, std::string dir) : host_(host), dir_(std::move(dir)) {}

    void add_stored();  // every file already in the folder
    void add(const std::string& name);

private:
    parley::Host& host_;
    std::string dir_;
    std::set<std::string> served_;
};

}  // namespace parley::whatsapp
