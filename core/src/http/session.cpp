#include <chrono>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "http/detail.hpp"

namespace parley::http::detail {

namespace {

constexpr auto kWriteTimeout = std::chrono::seconds(30);
constexpr auto kDrainTimeout = std::chrono::seconds(2);

std::string endpoint_text(const tcp::socket& socket) {
    beast::error_code ec;
    auto endpoint = socket.remote_endpoint(ec);
    if (ec) return "";
    auto address = endpoint.address().to_string();
    if (endpoint.address().is_v6()) address = "[" + address + "]";
    return address + ":" + std::to_string(endpoint.port());
}

Request make_request(bhttp::request<bhttp::string_body>& message, const std::string& remote) {
    Request request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    auto question = request.target.find('?');
    request.path = request.target.substr(0, question);
    if (question != std::string::npos) request.query = request.target.substr(question + 1);
    request.body = std::move(message.body());
    for (const auto& field : message) {
        request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.remote = remote;
    return request;
}

bool has_body(int status) { return status >= 200 && status != 204 && status != 304; }

std::int64_t unix_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Response upgrade_required() {
    Response response = text_response(426, "this path takes WebSocket connections only\n");
    response.headers.emplace_back("Upgrade", "websocket");
    return response;
}

// Replies exactly once: later calls are ignored, and a handler that drops its Reply without
// calling it gets a 500 so the connection does not hang.
class PendingReply {
public:
    explicit PendingReply(std::shared_ptr<Session> session) : session_(std::move(session)) {}
    ~PendingReply() { send(text_response(500, "the handler did not reply\n")); }
    PendingReply(const PendingReply&) = delete;
    PendingReply& operator=(const PendingReply&) = delete;

    void send(Response response) {
        if (done_.exchange(true)) return;
        auto session = session_;
        asio::post(session->executor(), [session, response = std::move(response)]() mutable {
            session->respond(std::move(response));
        });
    }

private:
    std::shared_ptr<Session> session_;
    std::atomic<bool> done_{false};
};

bool is_parse_error(const beast::error_code& ec) {
    return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
           ec != bhttp::error::partial_message && ec != bhttp::error::end_of_stream;
}

}  // namespace

namespace {

// Everything of an answer but its body.
template <class Body>
void set_head(bhttp::response<Body>& res, const Response& r, unsigned version, bool keep_alive) {
    res.version(version);
    res.result(r.status);
    for (auto& [name, value] : r.headers) res.insert(name, value);
    res.set(bhttp::field::server, "parley");
    res.keep_alive(keep_alive);
    if (has_body(r.status)) res.set(bhttp::field::content_type, r.content_type);
}

}  // namespace

bhttp::response<bhttp::string_body> to_beast(Response r, unsigned version, bool keep_alive,
                                             bool head) {
    bhttp::response<bhttp::string_body> res;
    set_head(res, r, version, keep_alive);
    if (!has_body(r.status)) return res;
    res.content_length(r.body.size());
    // A HEAD answer announces the length of the body it leaves out.
    if (!head) res.body() = std::move(r.body);
    return res;
}

Session::Session(tcp::socket socket, std::shared_ptr<Shared> shared)
    : stream_(std::move(socket)), shared_(std::move(shared)) {
    remote_ = endpoint_text(stream_.socket());
}

Session::~Session() { shared_->release(this); }

Session::executor_type Session::executor() { return stream_.get_executor(); }

void Session::start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_request(); });
}

void Session::close() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
        beast::error_code ignored;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        self->stream_.close();
    });
}

void Session::read_request() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_->options.header_limit));
    parser_->body_limit(static_cast<std::uint64_t>(shared_->options.body_limit));
    // One deadline for the whole request: a client trickling bytes cannot extend it.
    stream_.expires_after(std::chrono::milliseconds(shared_->options.read_timeout_ms));
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                          self->on_read(ec);
                      });
}

void Session::on_read(beast::error_code ec) {
    if (ec == bhttp::error::header_limit) return refuse(431, "request header too large\n");
    if (ec == bhttp::error::body_limit) return refuse(413, "request body too large\n");
    if (is_parse_error(ec)) return refuse(400, "bad request\n");
    if (ec) return stream_.close();
    stream_.expires_never();
    dispatch();
}

void Session::dispatch() {
    auto& message = parser_->get();
    version_ = message.version();
    keep_alive_ = message.keep_alive();
    head_ = message.method() == bhttp::verb::head;
    range_ = std::string(message[bhttp::field::range]);
    Request request = make_request(message, remote_);
    if (WebSocketAccept accept = shared_->router.find_websocket(request.path)) {
        if (websocket::is_upgrade(message)) return upgrade(accept, request);
        if (request.method == "GET") return respond(upgrade_required());
    }
    if (const SignedLinks* links = shared_->options.signed_links;
        links && links->covers(request.path) && !links->valid(request.path, request.query, unix_seconds())) {
        return respond(text_response(403, "this link is not signed, or it has expired\n"));
    }
    bool path_known = false;
    if (Handler handler = shared_->router.find(request.method, request.path, &path_known)) {
        return call_handler(handler, request);
    }
    if (path_known) return respond(text_response(405, "method not allowed\n"));
    bool get = request.method == "GET" || head_;
    if (get && !shared_->options.web_root.empty()) {
        return respond(serve_static(shared_->options.web_root, request.path));
    }
    respond(text_response(404, "not found\n"));
}

void Session::call_handler(const Handler& handler, const Request& request) {
    auto pending = std::make_shared<PendingReply>(shared_from_this());
    try {
        handler(request, [pending](Response response) { pending->send(std::move(response)); });
    } catch (...) {  // an escaping exception would end the I/O thread
        pending->send(text_response(500, "internal error\n"));
    }
}

// The WebSocket takes over the socket and this connection's place; this Session ends once
// the caller's completion handler returns.
void Session::upgrade(const WebSocketAccept& accept, const Request& request) {
    auto ws = std::make_shared<WsSession>(stream_.release_socket(), shared_, remote_);
    if (!shared_->hand_over(this, ws)) return;  // stopping: the socket closes with `ws`
    ws->start(accept, request, parser_->get());
}

void Session::respond(Response response) { write(std::move(response), keep_alive_); }

void Session::refuse(int status, const char* text) {
    version_ = parser_->is_header_done() ? parser_->get().version() : 11;
    head_ = false;
    write(text_response(status, text), false);
}

void Session::write(Response response, bool keep_alive) {
    if (response.status < 100 || response.status > 599) response.status = 500;
    if (!response.file.empty() && has_body(response.status)) return write_file(std::move(response), keep_alive);
    shared_->count_response(response.status);
    response_ = to_beast(std::move(response), version_, keep_alive, head_);
    send_response(keep_alive);
}

// Writes response_, whole.
void Session::send_response(bool keep_alive) {
    response_keep_alive_ = keep_alive;
    stream_.expires_after(kWriteTimeout);
    bhttp::async_write(stream_, response_,
                       [self = shared_from_this()](beast::error_code ec, std::size_t) {
                           self->on_write(ec);
                       });
}

// A file is opened here, on the I/O thread, and sent a piece at a time, each piece with
// its own write deadline: a 100 MB document to a slow client may take minutes, and it is
// never in memory whole. A HEAD answer gives its length and sends nothing. A GET with one
// byte range gets that part (206), so that a browser can seek in a voice note or a video.
void Session::write_file(Response response, bool keep_alive) {
    FilePart file;
    beast::error_code ec;
    file.open(response.file.c_str(), beast::file_mode::scan, ec);
    if (ec) return write(text_response(404, "not found\n"), keep_alive);
    const std::uint64_t size = file.whole_size(ec);
    if (ec) return write(text_response(500, "cannot read the file\n"), keep_alive);
    response.headers.emplace_back("Accept-Ranges", "bytes");
    if (head_) {
        shared_->count_response(response.status);
        response_ = to_beast(std::move(response), version_, keep_alive, true);
        response_.content_length(size);
        return send_response(keep_alive);
    }
    if (auto range = response.status == 200 ? byte_range(range_, size) : std::nullopt) {
        if (range->unsatisfiable) {
            Response refused = text_response(416, "range not satisfiable\n");
            refused.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
            return write(std::move(refused), keep_alive);
        }
        file.select(range->first, range->last - range->first + 1, ec);
        if (ec) return write(text_response(500, "cannot read the file\n"), keep_alive);
        response.status = 206;
        response.headers.emplace_back("Content-Range", "bytes " + std::to_string(range->first) + "-" +
                                                           std::to_string(range->last) + "/" + std::to_string(size));
    }
    shared_->count_response(response.status);
    file_response_ = {};
    set_head(file_response_, response, version_, keep_alive);
    file_response_.body().reset(std::move(file), ec);
    file_response_.prepare_payload();
    response_keep_alive_ = keep_alive;
    file_serializer_.emplace(file_response_);
    write_file_part();
}

void Session::write_file_part() {
    stream_.expires_after(kWriteTimeout);
    bhttp::async_write_some(stream_, *file_serializer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (!ec && !self->file_serializer_->is_done()) return self->write_file_part();
        self->file_serializer_.reset();
        self->file_response_ = {};  // closes the file
        self->on_write(ec);
    });
}

void Session::on_write(beast::error_code ec) {
    if (ec) return stream_.close();
    if (response_keep_alive_) return read_request();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kDrainTimeout);
    drain();
}

// Closing with unread request bytes would reset the connection and could discard the
// response on the client's side, so read until the client closes first.
void Session::drain() {
    stream_.async_read_some(asio::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                if (ec) return self->stream_.close();
                                self->drain();
                            });
}

namespace {

struct Rejected {
    explicit Rejected(tcp::socket socket) : stream(std::move(socket)) {}
    beast::tcp_stream stream;
    std::array<char, 1024> scratch{};
};

void drain_rejected(const std::shared_ptr<Rejected>& rejected) {
    rejected->stream.async_read_some(asio::buffer(rejected->scratch),
                                     [rejected](beast::error_code ec, std::size_t) {
                                         if (ec) return rejected->stream.close();
                                         drain_rejected(rejected);
                                     });
}

}  // namespace

void reject_busy(tcp::socket socket) {
    static const std::string busy =
        "HTTP/1.1 503 Service Unavailable\r\nServer: parley\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 12\r\n"
        "Connection: close\r\n\r\nserver busy\n";
    auto rejected = std::make_shared<Rejected>(std::move(socket));
    rejected->stream.expires_after(kDrainTimeout);
    asio::async_write(rejected->stream, asio::buffer(busy),
                      [rejected](beast::error_code ec, std::size_t) {
                          beast::error_code ignored;
                          rejected->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
                          if (ec) return rejected->stream.close();
                          drain_rejected(rejected);
                      });
}

}  // namespace parley::http::detail
