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
    std::unique_lock lock(mutex_);
    for (const auto& route : routes_) {
        if (route.method == method && route.path == path) return false;
    }
    routes_.push_back(Route{method, path, std::move(handler), owner});
    return true;
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
        if (route.method == method) {
            found = route.handler;
            break;
        }
    }
    if (path_known) *path_known = known;
    return found;
}

}  // namespace parley::http
