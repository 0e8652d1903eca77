// Internals of the HTTP server, shared by the .cpp files of this folder only.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "parley/core/http.hpp"
#include "parley/core/metrics.hpp"

namespace parley::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

class Session;

// State shared by the acceptor and every session. Sessions hold it by shared_ptr, so it
// outlives the Server object while connections finish closing.
struct Shared {
    Shared(ServerOptions options, Router& router, metrics::Registry& metrics);

    void count_response(int status);

    ServerOptions options;
    Router& router;
    metrics::Registry& metrics;
    std::atomic<std::int64_t>& open_gauge;
    std::atomic<std::int64_t>& rejected;

    std::mutex mutex;  // guards the acceptor, `stopped` and `sessions`
    bool stopped = false;
    std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
};

// One keep-alive connection. Every member function except start() and close() runs on
// the stream's strand.
class Session : public std::enable_shared_from_this<Session> {
public:
    using executor_type = beast::tcp_stream::executor_type;

    Session(tcp::socket socket, std::shared_ptr<Shared> shared);
    ~Session();

    void start();  // any thread
    void close();  // any thread
    executor_type executor();
    void respond(Response response);

private:
    void read_request();
    void on_read(beast::error_code ec);
    void dispatch();
    void call_handler(const Handler& handler, const Request& request);
    void refuse(int status, const char* text);
    void write(Response response, bool keep_alive);
    void on_write(beast::error_code ec);
    void drain();

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    bhttp::response<bhttp::string_body> response_;
    std::shared_ptr<Shared> shared_;
    std::string remote_;
    unsigned version_ = 11;
    bool keep_alive_ = true;
    bool head_ = false;
    std::array<char, 1024> scratch_{};
};

// Answers a connection over the cap with 503 and closes it.
void reject_busy(tcp::socket socket);

Response text_response(int status, std::string text);

// A file under `web_root` for a GET/HEAD of `path`; 404 when missing or outside the root.
Response serve_static(const std::string& web_root, const std::string& path);

}  // namespace parley::http::detail
