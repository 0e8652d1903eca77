// The HTTP server of `parley serve` (Boost.Beast lives in http/*.cpp only).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
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
    // When set, the body is this file's bytes (`body` is ignored), read from disk as the
    // connection takes them; a file that cannot be opened answers 404.
    std::string file;
};

// Called exactly once, from any thread.
using Reply = std::function<void(Response)>;
using Handler = std::function<void(const Request&, Reply)>;

// One open WebSocket. Thread-safe: send() and close() may be called from any thread, also
// after the connection ended (they do nothing then). Holding it does not keep the socket open.
class WebSocketConnection {
public:
    virtual ~WebSocketConnection() = default;
    virtual void send(std::string text) = 0;            // text frames, queued, delivered in order
    // Sends a close frame after the messages queued before it, then closes. A code that may not
    // be sent (e.g. 1005, 1006) becomes 1000; the reason is cut to 123 bytes.
    virtual void close(int code, std::string reason) = 0;
    virtual std::string remote() const = 0;
};

struct WebSocketHandler {
    // On an I/O thread, one at a time per connection; `message` lives for the call only. Not
    // called once a close has begun; a throw closes with 1011.
    std::function<void(std::string_view message)> on_message;
    // Exactly once, however the connection ends; on an I/O thread.
    std::function<void()> on_close;
};

// Called on an I/O thread for an upgrade request on a WebSocket path; return a handler. To
// refuse, return a handler whose on_message is empty -> the server answers 403 instead of
// upgrading (and calls neither callback); a throw answers 500. Once accepted, on_close is
// owed even if the handshake then fails. send() may be called at once: it waits for the
// handshake.
using WebSocketAccept =
    std::function<WebSocketHandler(std::shared_ptr<WebSocketConnection>, const Request&)>;

// Routes by path, owned by the core (owner 0) or a plugin instance (its handle id).
// Thread-safe: I/O threads look up while the core adds and removes.
class Router {
public:
    // False when (method, path) is taken. A path ending in "/*" ("/media/whatsapp/*") is a
    // prefix: it takes every path that starts with it up to the '*' and has no exact
    // route; the longest prefix wins.
    bool add(const std::string& method, const std::string& path, Handler handler,
             std::uint64_t owner = 0);
    // A WebSocket endpoint, upgraded from GET; false when the path has a WebSocket or GET route.
    bool add_websocket(const std::string& path, WebSocketAccept accept, std::uint64_t owner = 0);
    void remove_owner(std::uint64_t owner);
    // Empty handler when nothing matches; `path_known` tells 405 from 404 (a WebSocket path
    // is known too).
    Handler find(const std::string& method, const std::string& path, bool* path_known) const;
    // Empty when `path` is no WebSocket endpoint.
    WebSocketAccept find_websocket(const std::string& path) const;

private:
    struct Route {
        std::string method;
        Handler handler;         // empty for a WebSocket route
        WebSocketAccept accept;  // set for a WebSocket route only
        std::uint64_t owner;
    };
    bool add_route(const std::string& path, Route route);
    // False when a route of that method is there already.
    static bool add_unless_taken(std::vector<Route>& at_path, Route route);
    // The routes at `path`: its exact ones, else those of its longest prefix; null if none.
    const std::vector<Route>* routes_at(const std::string& path) const;

    mutable std::shared_mutex mutex_;
    // By path: a plugin may register a route per item (WhatsApp media did, one per file,
    // before prefix routes), and a list scanned on every request cost 4 us at 10,000
    // routes and 0.4 ms at 100,000 for a path that matched none (static files, 404s).
    std::unordered_map<std::string, std::vector<Route>> routes_;
    // Prefix routes by prefix (the path without its '*'), longest first: a handful at most.
    std::vector<std::pair<std::string, std::vector<Route>>> prefixes_;
};

// Links to paths under a prefix ("/media/") that work for a while only: views hand agents
// signed URLs, and the server answers 403 to a request under the prefix whose signature
// is missing, wrong or out of date. The key is random per process, so links die with a
// restart (a desktop that reconnects gets a fresh snapshot). Paths without a query only.
// Thread-safe.
class SignedLinks {
public:
    explicit SignedLinks(std::string prefix, std::int64_t lifetime_s = 24 * 3600);
    bool covers(std::string_view path) const;
    // path?link=<until, 16 hex digits><HMAC-SHA256 of path and until, 64 hex digits>, valid
    // for at least the lifetime; the same link for a whole hour, so that a browser can
    // cache what it shows. One hex token: a masking tenant's filter, which masks every
    // string of a view, finds no number in it (a digit run in it touches a letter).
    std::string sign(std::string_view path, std::int64_t now_s) const;
    bool valid(std::string_view path, std::string_view query, std::int64_t now_s) const;

private:
    std::string mac(std::string_view path, std::int64_t until) const;
    std::string prefix_;
    std::int64_t lifetime_s_;
    std::string key_;
};

struct ServerOptions {
    std::string listen = "127.0.0.1";
    std::uint16_t port = 8080;        // 0 picks a free port
    int max_connections = 1024;       // beyond it new connections get 503 and are closed
    int header_limit = 8 * 1024;      // bytes; over it: 431
    int body_limit = 1024 * 1024;     // bytes; over it: 413
    int read_timeout_ms = 10'000;     // whole request, or WebSocket handshake, within it or closed
    std::string web_root;             // static files served under "/" when no route matches
    int ws_message_limit = 64 * 1024; // bytes per incoming message; over it: close 1009
    int ws_idle_timeout_ms = 60'000;  // nothing received for this long: closed (pinged halfway)
    int ws_queue_limit = 1024;        // outgoing messages queued; over it: close 1008 "too slow"
    const SignedLinks* signed_links = nullptr;  // set: its paths need a valid signature (else 403)
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
    void stop();                   // stops accepting and closes every connection, WebSockets too

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace parley::http
