// Internals of the HTTP server, shared by the .cpp files of this folder only.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/core/file.hpp>
#include <boost/beast/http/basic_file_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "parley/core/http.hpp"
#include "parley/core/metrics.hpp"

namespace parley::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using HttpMessage = bhttp::request<bhttp::string_body>;

// A file as Beast's file_body reads it, narrowed to one part of it (a Range request): the
// body sends size() bytes from the position select() sets.
class FilePart {
public:
    bool is_open() const { return file_.is_open(); }
    void close(beast::error_code& ec) { file_.close(ec); }
    void open(const char* path, beast::file_mode mode, beast::error_code& ec);  // the whole file
    std::uint64_t size(beast::error_code& ec) const {
        ec = {};
        return length_;
    }
    std::uint64_t whole_size(beast::error_code& ec) const;
    void select(std::uint64_t first, std::uint64_t length, beast::error_code& ec);
    std::uint64_t pos(beast::error_code& ec) const { return file_.pos(ec); }
    void seek(std::uint64_t offset, beast::error_code& ec) { file_.seek(offset, ec); }
    std::size_t read(void* buffer, std::size_t n, beast::error_code& ec) const { return file_.read(buffer, n, ec); }
    std::size_t write(const void* buffer, std::size_t n, beast::error_code& ec) { return file_.write(buffer, n, ec); }

private:
    beast::file file_;
    std::uint64_t length_ = 0;
};
using FileBody = bhttp::basic_file_body<FilePart>;

// The one byte range a Range header asks of a body of `size` bytes (RFC 9110 14.1.2):
// "bytes=a-b", "bytes=a-" or "bytes=-n". Nothing for another unit, several ranges or a
// malformed one: those get the whole body. `unsatisfiable` when it starts past the end.
struct ByteRange {
    std::uint64_t first = 0, last = 0;
    bool unsatisfiable = false;
};
std::optional<ByteRange> byte_range(std::string_view header, std::uint64_t size);

// An open connection of either kind, as Server::stop() sees it.
class Connection {
public:
    virtual ~Connection() = default;
    virtual void close() = 0;  // any thread
};

// State shared by the acceptor and every session. Sessions hold it by shared_ptr, so it
// outlives the Server object while connections finish closing.
struct Shared {
    Shared(ServerOptions options, Router& router, metrics::Registry& metrics);

    void count_response(int status);
    // Gives up the connection's place under max_connections; nothing when it holds none.
    void release(Connection* connection);
    // Moves a place under max_connections to the connection that takes over the socket;
    // false once stopped.
    bool hand_over(Connection* from, const std::shared_ptr<Connection>& to);
    // For when the Server goes: a connection that outlives it (say, held by a handler left
    // in an io_context that is not run again) may be destroyed after the metrics registry,
    // so it must not count itself out then.
    void forget_connections();

    ServerOptions options;
    Router& router;
    metrics::Registry& metrics;
    std::atomic<std::int64_t>& open_gauge;
    std::atomic<std::int64_t>& rejected;

    std::mutex mutex;  // guards the acceptor, `stopped` and `connections`
    bool stopped = false;
    std::unordered_map<Connection*, std::weak_ptr<Connection>> connections;
};

// One keep-alive connection. Every member function except start() and close() runs on
// the stream's strand.
class Session : public Connection, public std::enable_shared_from_this<Session> {
public:
    using executor_type = beast::tcp_stream::executor_type;

    Session(tcp::socket socket, std::shared_ptr<Shared> shared);
    ~Session() override;

    void start();           // any thread
    void close() override;  // any thread
    executor_type executor();
    void respond(Response response);

private:
    void read_request();
    void on_read(beast::error_code ec);
    void dispatch();
    void call_handler(const Handler& handler, const Request& request);
    void upgrade(const WebSocketAccept& accept, const Request& request);
    void refuse(int status, const char* text);
    void write(Response response, bool keep_alive);
    void send_response(bool keep_alive);
    void write_file(Response response, bool keep_alive);
    void write_file_part();
    void on_write(beast::error_code ec);
    void drain();

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    bhttp::response<bhttp::string_body> response_;
    bhttp::response<FileBody> file_response_;  // a file answer (Response::file)
    std::optional<bhttp::response_serializer<FileBody>> file_serializer_;
    std::string range_;  // the request's Range header, for a file answer
    bool response_keep_alive_ = false;  // of the answer being written
    std::shared_ptr<Shared> shared_;
    std::string remote_;
    unsigned version_ = 11;
    bool keep_alive_ = true;
    bool head_ = false;
    std::array<char, 1024> scratch_{};
};

// One WebSocket, taken over from the Session that read its upgrade request. Every member
// function except close(), send() and close_with() runs on the stream's strand.
class WsSession : public Connection, public std::enable_shared_from_this<WsSession> {
public:
    WsSession(tcp::socket socket, std::shared_ptr<Shared> shared, std::string remote);
    ~WsSession() override;

    void start(const WebSocketAccept& accept, const Request& request, const HttpMessage& message);
    void close() override;                     // any thread: the server stops
    void send(std::string text);               // any thread
    void close_with(int code, std::string reason);  // any thread

private:
    struct Outgoing {
        std::string text;
        std::optional<websocket::close_reason> close;  // set: a close frame, not text
    };

    void configure();
    void refuse(int status, const char* text, unsigned version);
    void on_accept(beast::error_code ec);
    void read();
    void on_read(beast::error_code ec);
    void deliver();
    void enqueue(std::string text);
    void begin_close(websocket::close_reason reason);
    void write_next();
    void drop_unsent();
    void on_write(beast::error_code ec);
    void finish();
    void notify_closed();

    websocket::stream<beast::tcp_stream> ws_;
    beast::tcp_stream::executor_type strand_;
    asio::steady_timer close_timer_;
    std::shared_ptr<Shared> shared_;
    std::string remote_;
    WebSocketHandler handler_;
    beast::flat_buffer buffer_;
    std::deque<Outgoing> queue_;
    bhttp::response<bhttp::string_body> refusal_;
    bool open_ = false;        // handshake done
    bool writing_ = false;     // queue_.front() is being written
    bool closing_ = false;     // no more sends: a close is queued or the connection ended
    bool owes_close_ = false;  // accepted, on_close not called yet
};

// Answers a connection over the cap with 503 and closes it.
void reject_busy(tcp::socket socket);

Response text_response(int status, std::string text);

bhttp::response<bhttp::string_body> to_beast(Response r, unsigned version, bool keep_alive,
                                             bool head);

// A file under `web_root` for a GET/HEAD of `path`; 404 when missing or outside the root.
Response serve_static(const std::string& web_root, const std::string& path);

}  // namespace parley::http::detail
