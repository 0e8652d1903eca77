#include "parley/core/http.hpp"

#include <algorithm>
#include <iterator>
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
    return add_route(path, Route{method, std::move(handler), {}, owner});
}

bool Router::add_route(const std::string& path, Route route) {
    std::unique_lock lock(mutex_);
    auto& at_path = routes_[path];
    for (const auto& taken : at_path) {
        if (taken.method == route.method) return false;
    }
    at_path.push_back(std::move(route));
    return true;
}

bool Router::add_websocket(const std::string& path, WebSocketAccept accept, std::uint64_t owner) {
    if (!accept) return false;
    // Stored as a GET route, so it and a plain GET handler cannot share a path.
    return add_route(path, Route{"GET", {}, std::move(accept), owner});
}

void Router::remove_owner(std::uint64_t owner) {
    std::unique_lock lock(mutex_);
    for (auto it = routes_.begin(); it != routes_.end();) {
        std::erase_if(it->second, [owner](const Route& route) { return route.owner == owner; });
        it = it->second.empty() ? routes_.erase(it) : std::next(it);
    }
}

Handler Router::find(const std::string& method, const std::string& path, bool* path_known) const {
    std::shared_lock lock(mutex_);
    const auto at_path = routes_.find(path);
    if (path_known) *path_known = at_path != routes_.end();
    if (at_path == routes_.end()) return {};
    for (const auto& route : at_path->second) {
        if (route.method == method && route.handler) return route.handler;
    }
    return {};
}

WebSocketAccept Router::find_websocket(const std::string& path) const {
    std::shared_lock lock(mutex_);
    const auto at_path = routes_.find(path);
    if (at_path == routes_.end()) return {};
    for (const auto& route : at_path->second) {
        if (route.accept) return route.accept;
    }
    return {};
}

}  // namespace parley::http
