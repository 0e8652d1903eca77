#include "load.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kGrace = std::chrono::seconds(10);  // for answers still owed at max_seconds

// What the connections share; one thread, so no locks.
struct Run {
    const std::vector<std::string>& requests;
    LoadOptions options;
    tcp::endpoint endpoint;
    Clock::time_point start;
    Clock::time_point stop_issuing;
    Clock::time_point last_answer;
    std::size_t next = 0;
    LoadResult result;

    bool more() const { return next < options.count && Clock::now() < stop_issuing; }
    void record_error(int status, const std::string& what) {
        ++result.errors;
        ++result.statuses[status];
        if (result.first_error.empty()) result.first_error = what;
    }
};

class Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(asio::io_context& io, Run& run) : socket_(io), run_(run) {}

    void connect(std::function<void()> connected) {
        socket_.async_connect(run_.endpoint, [self = shared_from_this(), connected](beast::error_code ec) {
            if (ec) self->run_.record_error(0, "connect: " + ec.message());
            else self->socket_.set_option(tcp::no_delay(true));
            connected();
        });
    }

    void next() {
        if (!socket_.is_open() || !run_.more()) return close();
        const std::string& request = run_.requests[run_.next++ % run_.requests.size()];
        sent_at_ = Clock::now();
        asio::async_write(socket_, asio::buffer(request), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->fail("write: " + ec.message());
            self->read();
        });
    }

    void close() {
        beast::error_code ignored;
        socket_.close(ignored);
    }
    bool open() const { return socket_.is_open(); }

private:
    void read() {
        parser_.emplace();
        parser_->body_limit(1 << 20);
        http::async_read(socket_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->fail("read: " + ec.message());
            self->answered();
        });
    }

    void answered() {
        auto now = Clock::now();
        run_.last_answer = now;
        auto& res = parser_->get();
        int status = static_cast<int>(res.result_int());
        if (status == 200) {
            ++run_.result.ok;
            ++run_.result.statuses[200];
            run_.result.latency_us.push_back(static_cast<std::uint32_t>(
                std::chrono::duration_cast<std::chrono::microseconds>(now - sent_at_).count()));
        } else {
            run_.record_error(status, std::to_string(status) + " " + std::string(res.reason()) + ": " + res.body());
        }
        if (!res.keep_alive()) return close();
        next();
    }

    void fail(const std::string& what) {
        run_.record_error(0, what);
        close();
    }

    tcp::socket socket_;
    Run& run_;
    beast::flat_buffer buffer_;
    std::optional<http::response_parser<http::string_body>> parser_;
    Clock::time_point sent_at_;
};

}  // namespace

double LoadResult::quantile_ms(double q) const {
    if (latency_us.empty()) return 0;
    std::vector<std::uint32_t> sorted(latency_us);
    auto at = static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1));
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(at), sorted.end());
    return sorted[at] / 1000.0;
}

LoadResult run_load(const std::vector<std::string>& requests, const LoadOptions& options) {
    asio::io_context io(1);
    Run run{requests, options, tcp::endpoint(asio::ip::make_address("127.0.0.1"), options.port), {}, {}, {}, 0, {}};
    run.result.latency_us.reserve(options.count);
    std::vector<std::shared_ptr<Connection>> connections;
    int pending = options.connections;
    auto all_connected = [&] {
        if (--pending > 0) return;
        run.start = run.last_answer = Clock::now();
        run.stop_issuing = run.start + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(options.max_seconds));
        for (auto& c : connections) c->next();
    };
    for (int i = 0; i < options.connections; ++i) connections.push_back(std::make_shared<Connection>(io, run));
    for (auto& c : connections) c->connect(all_connected);
    asio::steady_timer guard(io, std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(options.max_seconds)) + kGrace);
    guard.async_wait([&](beast::error_code ec) {
        if (!ec)
            for (auto& c : connections) c->close();
    });
    // Stop the guard once every connection is done: run() returns when no work is left.
    asio::steady_timer poll(io);
    std::function<void()> watch = [&] {
        poll.expires_after(std::chrono::milliseconds(50));
        poll.async_wait([&](beast::error_code) {
            bool idle = std::none_of(connections.begin(), connections.end(), [](auto& c) { return c->open(); });
            bool done = pending <= 0 && run.result.ok + run.result.errors >= run.next && (!run.more() || idle);
            if (done) {
                guard.cancel();
                for (auto& c : connections) c->close();
                return;
            }
            watch();
        });
    };
    watch();
    io.run();
    run.result.seconds = std::chrono::duration<double>(run.last_answer - run.start).count();
    return std::move(run.result);
}

std::pair<int, std::string> fetch(std::uint16_t port, const std::string& request) {
    asio::io_context io(1);
    tcp::socket socket(io);
    beast::error_code ec;
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
    if (!ec) asio::write(socket, asio::buffer(request), ec);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    if (!ec) http::read(socket, buffer, res, ec);
    if (ec) return {0, ec.message()};
    return {static_cast<int>(res.result_int()), res.body()};
}

}  // namespace bench
