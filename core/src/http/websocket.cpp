#include <algorithm>

#include <boost/asio/post.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "http/detail.hpp"

namespace parley::http::detail {

namespace {

// Bounds a close started by the server: a peer that neither reads nor answers the close frame
// still lets go of the socket, and Server::stop() of the I/O threads.
constexpr auto kCloseTimeout = std::chrono::seconds(3);
constexpr auto kWriteTimeout = std::chrono::seconds(30);

// What users hold: it does not keep the connection alive, so a handler that captures it
// makes no cycle, and calls after the end do nothing.
class Handle : public WebSocketConnection {
public:
    Handle(std::weak_ptr<WsSession> session, std::string remote)
        : session_(std::move(session)), remote_(std::move(remote)) {}

    void send(std::string text) override {
        if (auto session = session_.lock()) session->send(std::move(text));
    }
    void close(int code, std::string reason) override {
        if (auto session = session_.lock()) session->close_with(code, std::move(reason));
    }
    std::string remote() const override { return remote_; }

private:
    std::weak_ptr<WsSession> session_;
    std::string remote_;
};

// Codes an endpoint may put in a close frame; a client fails the connection on the others.
bool sendable(int code) {
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1013) ||
           (code >= 3000 && code <= 4999);
}

websocket::close_reason make_reason(int code, std::string reason) {
    constexpr std::size_t max = websocket::reason_string::static_capacity;
    if (reason.size() > max) {
        std::size_t cut = max;
        // Cut before a UTF-8 continuation byte: the reason must stay valid UTF-8.
        while (cut > 0 && (static_cast<unsigned char>(reason[cut]) & 0xC0) == 0x80) --cut;
        reason.resize(cut);
    }
    auto sent = static_cast<websocket::close_code>(sendable(code) ? code : 1000);
    return websocket::close_reason(sent, reason);
}

websocket::stream_base::timeout timeouts(const ServerOptions& options) {
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = std::chrono::milliseconds(options.read_timeout_ms);
    timeout.idle_timeout = std::chrono::milliseconds(options.ws_idle_timeout_ms);
    timeout.keep_alive_pings = true;
    return timeout;
}

}  // namespace

WsSession::WsSession(tcp::socket socket, std::shared_ptr<Shared> shared, std::string remote)
    : ws_(std::move(socket)),
      strand_(ws_.get_executor()),
      close_timer_(strand_),
      shared_(std::move(shared)),
      remote_(std::move(remote)) {}

WsSession::~WsSession() {
    notify_closed();  // only when the I/O threads were stopped before the connection ended
    shared_->release(this);
}

void WsSession::start(const WebSocketAccept& accept, const Request& request,
                      const HttpMessage& message) {
    auto handle = std::make_shared<Handle>(weak_from_this(), remote_);
    WebSocketHandler handler;
    try {
        handler = accept(handle, request);
    } catch (...) {
        return refuse(500, "internal error\n", message.version());
    }
    if (!handler.on_message) return refuse(403, "forbidden\n", message.version());
    handler_ = std::move(handler);
    owes_close_ = true;
    configure();
    ws_.async_accept(message, [self = shared_from_this()](beast::error_code ec) {
        self->on_accept(ec);
    });
}

void WsSession::configure() {
    const ServerOptions& options = shared_->options;
    // Beast's own timeouts take over from the tcp_stream's, which must stay off.
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(timeouts(options));
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(bhttp::field::server, "parley"); }));
    ws_.read_message_max(static_cast<std::uint64_t>(std::max(options.ws_message_limit, 1)));
    ws_.text(true);
}

void WsSession::refuse(int status, const char* text, unsigned version) {
    closing_ = true;
    shared_->count_response(status);
    refusal_ = to_beast(text_response(status, text), version, false, false);
    auto& stream = beast::get_lowest_layer(ws_);
    stream.expires_after(kWriteTimeout);
    bhttp::async_write(stream, refusal_,
                       [self = shared_from_this()](beast::error_code, std::size_t) {
                           beast::error_code ignored;
                           auto& stream = beast::get_lowest_layer(self->ws_);
                           stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
                           stream.close();
                       });
}

void WsSession::on_accept(beast::error_code ec) {
    if (ec) return finish();  // Beast has answered a bad handshake with 400 itself
    shared_->count_response(101);
    open_ = true;
    read();
    write_next();  // what accept() or an early send() queued
}

void WsSession::read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->on_read(ec);
    });
}

// An oversized message never gets here: Beast itself closes with 1009 and the read fails.
void WsSession::on_read(beast::error_code ec) {
    if (ec) return finish();
    // Once closing, keep reading for the peer's close frame but drop its messages.
    if (!closing_) deliver();
    buffer_.consume(buffer_.size());
    read();
}

void WsSession::deliver() {
    if (!ws_.got_text()) return begin_close({websocket::close_code::unknown_data, "text only"});
    auto data = buffer_.cdata();
    try {
        handler_.on_message(std::string_view(static_cast<const char*>(data.data()), data.size()));
    } catch (...) {
        begin_close({websocket::close_code::internal_error, "internal error"});
    }
}

void WsSession::send(std::string text) {
    asio::post(strand_, [self = shared_from_this(), text = std::move(text)]() mutable {
        self->enqueue(std::move(text));
    });
}

void WsSession::close_with(int code, std::string reason) {
    asio::post(strand_, [self = shared_from_this(), code, reason = std::move(reason)]() mutable {
        self->begin_close(make_reason(code, std::move(reason)));
    });
}

void WsSession::close() {
    asio::post(strand_, [self = shared_from_this()] {
        // A refused or ended connection has no one to say goodbye to.
        if (!self->owes_close_) return beast::get_lowest_layer(self->ws_).close();
        // Mid-handshake too: the close frame waits in the queue for the handshake to finish.
        self->begin_close({websocket::close_code::going_away, "server stopping"});
    });
}

void WsSession::enqueue(std::string text) {
    if (closing_) return;
    queue_.push_back(Outgoing{std::move(text), std::nullopt});
    auto limit = static_cast<std::size_t>(std::max(shared_->options.ws_queue_limit, 0));
    if (queue_.size() <= limit) return write_next();
    // The client stopped reading: what it has not got yet is dropped.
    drop_unsent();
    begin_close({websocket::close_code::policy_error, "too slow"});
}

// The close frame goes after the messages queued before it.
void WsSession::begin_close(websocket::close_reason reason) {
    if (closing_) return;
    closing_ = true;
    queue_.push_back(Outgoing{{}, std::move(reason)});
    close_timer_.expires_after(kCloseTimeout);
    close_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (!ec) beast::get_lowest_layer(self->ws_).close();
    });
    write_next();
}

void WsSession::write_next() {
    if (!open_ || writing_ || queue_.empty()) return;
    writing_ = true;
    Outgoing& next = queue_.front();
    auto self = shared_from_this();
    if (next.close) {
        return ws_.async_close(*next.close, [self](beast::error_code ec) { self->on_write(ec); });
    }
    ws_.async_write(asio::buffer(next.text),
                    [self](beast::error_code ec, std::size_t) { self->on_write(ec); });
}

// Keeps the frame being written: its write still refers to it.
void WsSession::drop_unsent() { queue_.erase(queue_.begin() + (writing_ ? 1 : 0), queue_.end()); }

void WsSession::on_write(beast::error_code ec) {
    writing_ = false;
    queue_.pop_front();
    // A failed write leaves the stream unusable; closing it ends the read loop, which reports.
    if (ec) return beast::get_lowest_layer(ws_).close();
    write_next();
}

// The read loop (or the handshake) ended: the connection is over.
void WsSession::finish() {
    closing_ = true;
    drop_unsent();
    close_timer_.cancel();
    beast::get_lowest_layer(ws_).close();
    notify_closed();
}

void WsSession::notify_closed() {
    if (!owes_close_) return;
    owes_close_ = false;
    // Moved out first: the callbacks may capture the Handle or other state worth releasing.
    WebSocketHandler handler = std::move(handler_);
    handler_ = {};
    if (!handler.on_close) return;
    try {
        handler.on_close();
    } catch (...) {  // an escaping exception would end the I/O thread
    }
}

}  // namespace parley::http::detail
