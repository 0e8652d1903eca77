// The HTTP server of `parley serve` (Boost.Beast lives in http/*.cpp only).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace parley::metrics {
class Registry;
}

namespace parley::http {

struct Request {
    std::string method;  // "GET"
    std::string target;  // "/webhooks/whatsapp?hub.mode=subscribe"
    std::string path;    // "/webhooks/whatsapp"
    std::string query;   // "hub.mode=subscribe" (without '?')
    std::string body;    // raw bytes as received
    std::vector<std::pair<std::string, std::string>> headers;
    std::string remote;  // "127.0.0.1:51234"
    // Case-insensitive lookup; nullptr when absent.
    const std::string* header(const std::string& name) const;
};

struct Response {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

// Called exactly once, from any thread.
using Reply = std::function<void(Response)>;
using Handler = std::function<void(const Request&, Reply)>;

// Exact-path routes, owned by the core (owner 0) or a plugin instance (its handle id).
// Thread-safe: I/O threads look up while the core adds and removes.
class Router {
public:
    // False when (method, path) is taken.
    bool add(const std::string& method, const std::string& path, Handler handler,
             std::uint64_t owner = 0);
    void remove_owner(std::uint64_t owner);
    // Empty handler when nothing matches; `path_known` tells 405 from 404.
    Handler find(const std::string& method, const std::string& path, bool* path_known) const;

private:
    struct Route {
        std::string method;
        std::string path;
        Handler handler;
        std::uint64_t owner;
    };
    mutable std::shared_mutex mutex_;
    std::vector<Route> routes_;
};

struct ServerOptions {
    std::string listen = "127.0.0.1";
    std::uint16_t port = 8080;        // 0 picks a free port
    int max_connections = 1024;       // beyond it new connections get 503 and are closed
    int header_limit = 8 * 1024;      // bytes; over it: 431
    int body_limit = 1024 * 1024;     // bytes; over it: 413
    int read_timeout_ms = 10'000;     // whole request must arrive within it, else closed
    std::string web_root;             // static files served under "/" when no route matches
};

// Thrown by Server::listen with a sentence for people, e.g.
// "cannot listen on 127.0.0.1:8080: the address is already in use".
struct ListenError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Server {
public:
    Server(boost::asio::io_context& io, ServerOptions options, Router& router,
           metrics::Registry& metrics);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    void listen();                 // binds and starts accepting; throws ListenError
    std::uint16_t port() const;    // the bound port
    void stop();                   // stops accepting and closes every connection

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace parley::http
