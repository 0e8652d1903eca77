#include "parley/core/http.hpp"

#include <algorithm>
#include <mutex>

namespace parley::http {

namespace {

bool iequals(const std::string& a, const std::string& b) {
    auto lower = [](unsigned char c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; };
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) {
               return lower(static_cast<unsigned char>(x)) == lower(static_cast<unsigned char>(y));
           });
}

}  // namespace

const std::string* Request::header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
        if (iequals(key, name)) return &value;
    }
    return nullptr;
}

bool Router::add(const std::string& method, const std::string& path, Handler handler,
                 std::uint64_t owner) {
    return add_route(Route{method, path, std::move(handler), {}, owner});
}

bool Router::add_route(Route route) {
    std::unique_lock lock(mutex_);
    for (const auto& taken : routes_) {
        if (taken.method == route.method && taken.path == route.path) return false;
    }
    routes_.push_back(std::move(route));
    return true;
}

bool Router::add_websocket(const std::string& path, WebSocketAccept accept, std::uint64_t owner) {
    if (!accept) return false;
    // Stored as a GET route, so it and a plain GET handler cannot share a path.
    return add_route(Route{"GET", path, {}, std::move(accept), owner});
}

void Router::remove_owner(std::uint64_t owner) {
    std::unique_lock lock(mutex_);
    std::erase_if(routes_, [owner](const Route& route) { return route.owner == owner; });
}

Handler Router::find(const std::string& method, const std::string& path, bool* path_known) const {
    std::shared_lock lock(mutex_);
    bool known = false;
    Handler found;
    for (const auto& route : routes_) {
        if (route.path != path) continue;
        known = true;
        if (route.method == method && route.handler) {
            found = route.handler;
            break;
        }
    }
    if (path_known) *path_known = known;
    return found;
}

WebSocketAccept Router::find_websocket(const std::string& path) const {
    std::shared_lock lock(mutex_);
    for (const auto& route : routes_) {
        if (route.path == path && route.accept) return route.accept;
    }
    return {};
}

}  // namespace parley::http
