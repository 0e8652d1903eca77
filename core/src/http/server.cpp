#include <algorithm>
#include <cctype>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "http/detail.hpp"

namespace parley::http {

using namespace detail;

namespace detail {

Shared::Shared(ServerOptions options_, Router& router_, metrics::Registry& metrics_)
    : options(std::move(options_)),
      router(router_),
      metrics(metrics_),
      open_gauge(metrics_.gauge("parley_http_connections_open", "Open HTTP connections.")),
      rejected(metrics_.counter("parley_http_connections_rejected_total",
                                "HTTP connections refused with 503 over max_connections.")) {}

void Shared::count_response(int status) {
    metrics.counter("parley_http_requests_total", "HTTP responses sent, by status code.",
                    "code=\"" + std::to_string(status) + "\"")
        .fetch_add(1, std::memory_order_relaxed);
}

void Shared::release(Connection* connection) {
    std::lock_guard lock(mutex);
    if (connections.erase(connection)) open_gauge.fetch_sub(1, std::memory_order_relaxed);
}

void Shared::forget_connections() {
    std::lock_guard lock(mutex);
    open_gauge.fetch_sub(static_cast<std::int64_t>(connections.size()), std::memory_order_relaxed);
    connections.clear();
}

bool Shared::hand_over(Connection* from, const std::shared_ptr<Connection>& to) {
    std::lock_guard lock(mutex);
    if (stopped || !connections.erase(from)) return false;
    connections.emplace(to.get(), to);
    return true;
}

}  // namespace detail

namespace {

std::string host_port(const std::string& host, std::uint16_t port) {
    bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string listen_failure(const std::string& where, const beast::error_code& ec) {
    std::string reason = ec == asio::error::address_in_use ? "the address is already in use"
                                                           : ec.message();
    if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(reason[0]));
    return "cannot listen on " + where + ": " + reason;
}

tcp::endpoint listen_endpoint(const ServerOptions& options) {
    if (options.listen == "localhost") return {asio::ip::address_v4::loopback(), options.port};
    beast::error_code ec;
    auto address = asio::ip::make_address(options.listen, ec);
    if (ec) {
        throw ListenError("cannot listen on " + host_port(options.listen, options.port) + ": '" +
                          options.listen + "' is not an IP address or localhost");
    }
    return {address, options.port};
}

}  // namespace

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
    Impl(asio::io_context& io_, std::shared_ptr<Shared> shared_)
        : io(io_), shared(std::move(shared_)), acceptor(io_), retry(io_) {}

    void accept();  // called with shared->mutex held
    void on_accept(beast::error_code ec, tcp::socket socket);
    std::shared_ptr<Session> admit(tcp::socket socket);  // called with shared->mutex held

    asio::io_context& io;
    std::shared_ptr<Shared> shared;
    tcp::acceptor acceptor;
    asio::steady_timer retry;
    std::uint16_t port = 0;
};

void Server::Impl::accept() {
    acceptor.async_accept(asio::make_strand(io),
                          [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                              self->on_accept(ec, std::move(socket));
                          });
}

void Server::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    std::shared_ptr<Session> session;
    {
        std::lock_guard lock(shared->mutex);
        if (shared->stopped) return;
        if (ec) {
            // Out of descriptors and the like: retry later instead of spinning.
            retry.expires_after(std::chrono::milliseconds(100));
            retry.async_wait([self = shared_from_this()](beast::error_code) {
                std::lock_guard lock(self->shared->mutex);
                if (!self->shared->stopped) self->accept();
            });
            return;
        }
        session = admit(std::move(socket));
        accept();
    }
    if (session) session->start();
}

std::shared_ptr<Session> Server::Impl::admit(tcp::socket socket) {
    auto max = static_cast<std::size_t>(std::max(shared->options.max_connections, 0));
    if (shared->connections.size() >= max) {
        shared->rejected.fetch_add(1, std::memory_order_relaxed);
        reject_busy(std::move(socket));
        return nullptr;
    }
    auto session = std::make_shared<Session>(std::move(socket), shared);
    shared->connections.emplace(session.get(), session);
    shared->open_gauge.fetch_add(1, std::memory_order_relaxed);
    return session;
}

Server::Server(asio::io_context& io, ServerOptions options, Router& router,
               metrics::Registry& metrics)
    : impl_(std::make_shared<Impl>(
          io, std::make_shared<Shared>(std::move(options), router, metrics))) {}

Server::~Server() {
    stop();
    impl_->shared->forget_connections();
}

void Server::listen() {
    const ServerOptions& options = impl_->shared->options;
    tcp::endpoint endpoint = listen_endpoint(options);
    std::lock_guard lock(impl_->shared->mutex);
    auto& acceptor = impl_->acceptor;
    beast::error_code ec;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        beast::error_code ignored;
        acceptor.close(ignored);
        throw ListenError(listen_failure(host_port(options.listen, options.port), ec));
    }
    impl_->port = acceptor.local_endpoint().port();
    impl_->accept();
}

std::uint16_t Server::port() const {
    std::lock_guard lock(impl_->shared->mutex);
    return impl_->port;
}

void Server::stop() {
    std::vector<std::shared_ptr<Connection>> open;
    std::lock_guard lock(impl_->shared->mutex);
    impl_->shared->stopped = true;
    // Closes are queued before the acceptor goes: its pending accept keeps io.run() going
    // until then. Queued after, a close could land in an io_context that already ran out of
    // work and returned, and the connection would live on until the io_context is destroyed.
    for (auto& [raw, weak] : impl_->shared->connections) {
        if (auto connection = weak.lock()) {
            connection->close();
            open.push_back(std::move(connection));
        }
    }
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->retry.cancel();
    // The lock goes before `open`: a last reference may go with it, and destructors lock.
}

}  // namespace parley::http
