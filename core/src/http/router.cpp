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
    Route route{method, std::move(handler), {}, owner};
    if (!path.ends_with("/*")) return add_route(path, std::move(route));
    std::unique_lock lock(mutex_);
    const std::string prefix = path.substr(0, path.size() - 1);
    auto at = std::find_if(prefixes_.begin(), prefixes_.end(), [&](const auto& p) { return p.first == prefix; });
    if (at == prefixes_.end()) {
        // Kept longest first, so the first that matches a path is the longest.
        at = std::find_if(prefixes_.begin(), prefixes_.end(),
                          [&](const auto& p) { return p.first.size() < prefix.size(); });
        at = prefixes_.insert(at, {prefix, {}});
    }
    return add_unless_taken(at->second, std::move(route));
}

bool Router::add_route(const std::string& path, Route route) {
    std::unique_lock lock(mutex_);
    return add_unless_taken(routes_[path], std::move(route));
}

bool Router::add_unless_taken(std::vector<Route>& at_path, Route route) {
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
    auto owned = [owner](const Route& route) { return route.owner == owner; };
    for (auto it = routes_.begin(); it != routes_.end();) {
        std::erase_if(it->second, owned);
        it = it->second.empty() ? routes_.erase(it) : std::next(it);
    }
    for (auto& [prefix, routes] : prefixes_) std::erase_if(routes, owned);
    std::erase_if(prefixes_, [](const auto& p) { return p.second.empty(); });
}

const std::vector<Router::Route>* Router::routes_at(const std::string& path) const {
    if (const auto at_path = routes_.find(path); at_path != routes_.end()) return &at_path->second;
    for (const auto& [prefix, routes] : prefixes_) {
        if (path.starts_with(prefix)) return &routes;
    }
    return nullptr;
}

Handler Router::find(const std::string& method, const std::string& path, bool* path_known) const {
    std::shared_lock lock(mutex_);
    const auto* routes = routes_at(path);
    if (path_known) *path_known = routes != nullptr;
    if (!routes) return {};
    for (const auto& route : *routes) {
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
