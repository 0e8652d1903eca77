#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>

#include "parley/core/http.hpp"
#include "parley/core/metrics.hpp"

namespace http = parley::http;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

struct Reply {
    int status = 0;
    std::string head;  // status line and headers
    std::string body;

    std::string header(const std::string& name) const {
        std::string needle = "\r\n" + name + ": ";
        auto at = head.find(needle);
        if (at == std::string::npos) return "";
        auto start = at + needle.size();
        return head.substr(start, head.find("\r\n", start) - start);
    }
};

// A blocking client on a plain POSIX socket, so the test does not share the server's code.
class Client {
public:
    explicit Client(std::uint16_t port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        timeval timeout{5, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    }
    ~Client() { ::close(fd_); }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    bool connected() const { return connected_; }

    bool send(const std::string& data) {
        std::size_t sent = 0;
        while (sent < data.size()) {
            auto n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) return false;
            sent += static_cast<std::size_t>(n);
        }
        return true;
    }

    // One response; nullopt when the connection ends first.
    std::optional<Reply> read_reply(bool head_request = false) {
        std::size_t end;
        while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
            if (!fill()) return std::nullopt;
        }
        Reply reply;
        reply.head = buffer_.substr(0, end + 2);
        buffer_.erase(0, end + 4);
        reply.status = std::stoi(reply.head.substr(9, 3));
        std::size_t length = head_request ? 0 : std::stoul("0" + reply.header("Content-Length"));
        while (buffer_.size() < length) {
            if (!fill()) return std::nullopt;
        }
        reply.body = buffer_.substr(0, length);
        buffer_.erase(0, length);
        return reply;
    }

    std::optional<Reply> request(const std::string& raw) {
        if (!send(raw)) return std::nullopt;
        return read_reply(raw.rfind("HEAD ", 0) == 0);
    }

    // True when the server closed the connection (end of stream or reset) within 5 s.
    bool closed_by_peer() {
        char byte;
        auto n = ::recv(fd_, &byte, 1, 0);
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
    }

    // Non-blocking check used while trickling bytes.
    bool closed_now() {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0) return false;
        char byte;
        auto n = ::recv(fd_, &byte, 1, MSG_DONTWAIT);
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
    }

private:
    bool fill() {
        char chunk[4096];
        auto n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) return false;
        buffer_.append(chunk, static_cast<std::size_t>(n));
        return true;
    }

    int fd_ = -1;
    bool connected_ = false;
    std::string buffer_;
};

std::string get(const std::string& target, const std::string& method = "GET") {
    return method + " " + target + " HTTP/1.1\r\nHost: test\r\n\r\n";
}

http::Response text(std::string body) {
    http::Response response;
    response.body = std::move(body);
    return response;
}

class HttpServer : public ::testing::Test {
protected:
    void start(http::ServerOptions options = {}) {
        options.port = 0;
        server_ = std::make_unique<http::Server>(io_, options, router_, metrics_);
        server_->listen();
        for (int i = 0; i < 2; ++i) {
            threads_.emplace_back([this] {
                io_.run();
                ++returned_;
            });
        }
    }

    // Every test also checks that stop() lets io.run() return on all threads.
    void TearDown() override {
        if (server_) server_->stop();
        auto deadline = std::chrono::steady_clock::now() + 5s;
        while (returned_ < static_cast<int>(threads_.size()) &&
               std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(10ms);
        }
        EXPECT_EQ(returned_, static_cast<int>(threads_.size())) << "io.run() still busy after stop()";
        io_.stop();
        for (auto& thread : threads_) thread.join();
        for (auto& thread : helpers_) thread.join();
    }

    std::uint16_t port() const { return server_->port(); }

    boost::asio::io_context io_;
    http::Router router_;
    parley::metrics::Registry metrics_;
    std::unique_ptr<http::Server> server_;
    std::vector<std::thread> threads_;
    std::atomic<int> returned_{0};
    std::mutex helpers_mutex_;
    std::vector<std::thread> helpers_;
};

TEST_F(HttpServer, RouteHitFillsTheRequest) {
    std::mutex mutex;
    http::Request seen;
    router_.add("POST", "/echo", [&](const http::Request& request, http::Reply reply) {
        {
            std::lock_guard lock(mutex);
            seen = request;
        }
        http::Response response = text("got " + request.body);
        response.headers.emplace_back("X-Extra", "1");
        reply(std::move(response));
    });
    start();

    Client client(port());
    auto reply = client.request(
        "POST /echo?a=1&b=2 HTTP/1.1\r\nHost: test\r\nX-Token: abc\r\nContent-Length: 5\r\n\r\nhello");
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(reply->body, "got hello");
    EXPECT_EQ(reply->header("Server"), "parley");
    EXPECT_EQ(reply->header("Content-Length"), "9");
    EXPECT_EQ(reply->header("X-Extra"), "1");

    std::lock_guard lock(mutex);
    EXPECT_EQ(seen.method, "POST");
    EXPECT_EQ(seen.target, "/echo?a=1&b=2");
    EXPECT_EQ(seen.path, "/echo");
    EXPECT_EQ(seen.query, "a=1&b=2");
    EXPECT_EQ(seen.body, "hello");
    ASSERT_NE(seen.header("x-token"), nullptr);
    EXPECT_EQ(*seen.header("X-TOKEN"), "abc");
    EXPECT_EQ(seen.header("X-Missing"), nullptr);
    EXPECT_EQ(seen.remote.rfind("127.0.0.1:", 0), 0u) << seen.remote;
}

TEST_F(HttpServer, KeepAliveServesSeveralRequestsOnOneConnection) {
    router_.add("GET", "/ok", [](const http::Request&, http::Reply reply) { reply(text("ok")); });
    start();
    Client client(port());
    for (int i = 0; i < 3; ++i) {
        auto reply = client.request(get("/ok"));
        ASSERT_TRUE(reply) << "request " << i;
        EXPECT_EQ(reply->status, 200);
    }
    auto last = client.request("GET /ok HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    ASSERT_TRUE(last);
    EXPECT_EQ(last->header("Connection"), "close");
    EXPECT_TRUE(client.closed_by_peer());
}

TEST_F(HttpServer, UnknownPathIs404AndWrongMethodIs405) {
    router_.add("GET", "/ok", [](const http::Request&, http::Reply reply) { reply(text("ok")); });
    start();
    Client client(port());
    auto missing = client.request(get("/nope"));
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404);
    EXPECT_EQ(missing->header("Server"), "parley");
    EXPECT_FALSE(missing->header("Content-Length").empty());
    auto wrong = client.request(get("/ok", "DELETE"));
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->status, 405);
}

TEST_F(HttpServer, ReplyFromAnotherThread) {
    router_.add("GET", "/later", [this](const http::Request&, http::Reply reply) {
        std::lock_guard lock(helpers_mutex_);
        helpers_.emplace_back([reply = std::move(reply)] {
            std::this_thread::sleep_for(20ms);
            reply(text("later"));
            reply(text("ignored second call"));
        });
    });
    start();
    Client client(port());
    for (int i = 0; i < 2; ++i) {
        auto reply = client.request(get("/later"));
        ASSERT_TRUE(reply);
        EXPECT_EQ(reply->status, 200);
        EXPECT_EQ(reply->body, "later");
    }
}

TEST_F(HttpServer, HandlerThatThrowsOrDropsTheReplyGets500) {
    router_.add("GET", "/throw", [](const http::Request&, http::Reply) {
        throw std::runtime_error("boom");
    });
    router_.add("GET", "/drop", [](const http::Request&, http::Reply) {});
    start();
    Client client(port());
    auto thrown = client.request(get("/throw"));
    ASSERT_TRUE(thrown);
    EXPECT_EQ(thrown->status, 500);
    auto dropped = client.request(get("/drop"));
    ASSERT_TRUE(dropped);
    EXPECT_EQ(dropped->status, 500);
}

class HttpStatic : public HttpServer {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("parley-http-test-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_ / "www" / "js");
        write(dir_ / "secret.txt", "top secret");
        write(dir_ / "www" / "index.html", "<h1>desk</h1>");
        write(dir_ / "www" / "js" / "app.mjs", "export {};");
        write(dir_ / "www" / "style.css", "body{}");
        http::ServerOptions options;
        options.web_root = (dir_ / "www").string();
        start(options);
    }
    void TearDown() override {
        HttpServer::TearDown();
        fs::remove_all(dir_);
    }
    static void write(const fs::path& path, const std::string& content) {
        std::ofstream(path, std::ios::binary) << content;
    }
    fs::path dir_;
};

TEST_F(HttpStatic, ServesFilesWithTheirTypes) {
    Client client(port());
    auto index = client.request(get("/"));
    ASSERT_TRUE(index);
    EXPECT_EQ(index->status, 200);
    EXPECT_EQ(index->body, "<h1>desk</h1>");
    EXPECT_EQ(index->header("Content-Type"), "text/html; charset=utf-8");

    auto script = client.request(get("/js/app.mjs"));
    ASSERT_TRUE(script);
    EXPECT_EQ(script->status, 200);
    EXPECT_EQ(script->header("Content-Type"), "text/javascript; charset=utf-8");

    auto head = client.request(get("/style.css", "HEAD"));
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    EXPECT_EQ(head->header("Content-Length"), "6");
    EXPECT_EQ(head->header("Content-Type"), "text/css; charset=utf-8");

    // The HEAD reply carried no body: the next reply on the connection parses cleanly.
    auto again = client.request(get("/index.html"));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->body, "<h1>desk</h1>");
}

TEST_F(HttpStatic, RefusesTraversalAndMissingFiles) {
    for (const char* target : {"/../secret.txt", "/js/../../secret.txt", "/%2e%2e/secret.txt",
                               "/..%2fsecret.txt", "/missing.js"}) {
        Client client(port());
        auto reply = client.request(get(target));
        ASSERT_TRUE(reply) << target;
        EXPECT_EQ(reply->status, 404) << target;
        EXPECT_EQ(reply->body.find("secret"), std::string::npos) << target;
    }
    Client client(port());
    auto post = client.request(get("/index.html", "POST"));
    ASSERT_TRUE(post);
    EXPECT_EQ(post->status, 404);
}

// A file answer is read from disk as the client takes it: the bytes, their length for
// HEAD, and the connection goes on after it.
TEST_F(HttpServer, AFileAnswerSendsTheFileFromDisk) {
    const fs::path file = fs::temp_directory_path() / ("parley-http-file-" + std::to_string(::getpid()) + ".bin");
    std::string content;
    for (int i = 0; content.size() < 3 * 1024 * 1024 + 17; ++i) content += "line " + std::to_string(i) + "\n";
    std::ofstream(file, std::ios::binary) << content;
    router_.add("GET", "/file", [&](const http::Request&, http::Reply reply) {
        http::Response response;
        response.content_type = "application/octet-stream";
        response.file = file.string();
        response.headers.emplace_back("X-Extra", "1");
        reply(std::move(response));
    });
    router_.add("HEAD", "/file", [&](const http::Request&, http::Reply reply) {
        http::Response response;
        response.file = file.string();
        reply(std::move(response));
    });
    router_.add("GET", "/missing", [&](const http::Request&, http::Reply reply) {
        http::Response response;
        response.file = (file.string() + ".missing");
        reply(std::move(response));
    });
    router_.add("GET", "/directory", [&](const http::Request&, http::Reply reply) {
        http::Response response;
        response.file = fs::temp_directory_path().string();
        reply(std::move(response));
    });
    start();

    Client client(port());
    auto got = client.request(get("/file"));
    ASSERT_TRUE(got);
    EXPECT_EQ(got->status, 200);
    EXPECT_EQ(got->header("Content-Type"), "application/octet-stream");
    EXPECT_EQ(got->header("X-Extra"), "1");
    EXPECT_EQ(got->header("Content-Length"), std::to_string(content.size()));
    EXPECT_TRUE(got->body == content) << got->body.size() << " bytes of " << content.size();
    auto head = client.request(get("/file", "HEAD"));
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    EXPECT_EQ(head->header("Content-Length"), std::to_string(content.size()));
    auto missing = client.request(get("/missing"));  // the same connection, still in step
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404);
    auto directory = client.request(get("/directory"));
    ASSERT_TRUE(directory);
    EXPECT_EQ(directory->status, 404);
    fs::remove(file);
}

// One byte range of a file answer (a browser seeking in a voice note or a video): 206 with
// the part; a range past the end 416; anything else the whole file.
TEST_F(HttpServer, AFileAnswerServesOneByteRange) {
    const fs::path file = fs::temp_directory_path() / ("parley-http-range-" + std::to_string(::getpid()) + ".bin");
    std::string content;
    for (int i = 0; i < 100'000; ++i) content += static_cast<char>('a' + i % 26);
    std::ofstream(file, std::ios::binary) << content;
    router_.add("GET", "/file", [&](const http::Request&, http::Reply reply) {
        http::Response response;
        response.content_type = "audio/ogg";
        response.file = file.string();
        reply(std::move(response));
    });
    start();
    Client client(port());
    auto ranged = [&](const std::string& range) {
        return client.request("GET /file HTTP/1.1\r\nHost: t\r\nRange: " + range + "\r\n\r\n");
    };
    struct Case {
        std::string range;
        int status;
        std::uint64_t first, last;  // of the part sent (206) or of the whole file (200)
    };
    const std::uint64_t n = content.size();
    for (const Case& c : std::vector<Case>{{"bytes=0-9", 206, 0, 9},
                                           {"bytes=99990-", 206, 99'990, n - 1},
                                           {"bytes=-5", 206, n - 5, n - 1},
                                           {"bytes=50000-50000", 206, 50'000, 50'000},
                                           {"bytes=10-999999999", 206, 10, n - 1},
                                           {"bytes=-200000", 206, 0, n - 1},
                                           {"bytes=0-9,20-29", 200, 0, n - 1},  // several: the whole file
                                           {"bytes=9-0", 200, 0, n - 1},
                                           {"items=0-9", 200, 0, n - 1},
                                           {"bytes=x-9", 200, 0, n - 1},
                                           {"bytes=-x", 200, 0, n - 1}}) {
        auto reply = ranged(c.range);
        ASSERT_TRUE(reply) << c.range;
        EXPECT_EQ(reply->status, c.status) << c.range;
        EXPECT_EQ(reply->header("Accept-Ranges"), "bytes") << c.range;
        EXPECT_EQ(reply->header("Content-Type"), "audio/ogg") << c.range;
        EXPECT_TRUE(reply->body == content.substr(c.first, c.last - c.first + 1))
            << c.range << ": " << reply->body.size() << " bytes";
        if (c.status == 206) {
            EXPECT_EQ(reply->header("Content-Range"), "bytes " + std::to_string(c.first) + "-" +
                                                           std::to_string(c.last) + "/" + std::to_string(n))
                << c.range;
        }
    }
    for (const std::string range : {"bytes=100000-", "bytes=200000-300000", "bytes=-0"}) {
        auto reply = ranged(range);
        ASSERT_TRUE(reply) << range;
        EXPECT_EQ(reply->status, 416) << range;
        EXPECT_EQ(reply->header("Content-Range"), "bytes */" + std::to_string(n)) << range;
    }
    fs::remove(file);
}

TEST_F(HttpServer, BodyOverTheLimitIs413) {
    router_.add("POST", "/echo", [](const http::Request& r, http::Reply reply) { reply(text(r.body)); });
    http::ServerOptions options;
    options.body_limit = 1024;
    start(options);

    Client small(port());
    auto ok = small.request("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1024\r\n\r\n" +
                            std::string(1024, 'a'));
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200);

    // Refused on the announced length, before any body byte is sent.
    Client big(port());
    auto refused = big.request("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 413);
    EXPECT_EQ(refused->header("Connection"), "close");
    EXPECT_TRUE(big.closed_by_peer());

    Client chunked(port());
    std::string chunk(2000, 'b');
    auto refused_chunked = chunked.request(
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n" + chunk +
        "\r\n0\r\n\r\n");
    ASSERT_TRUE(refused_chunked);
    EXPECT_EQ(refused_chunked->status, 413);
}

TEST_F(HttpServer, HeaderOverTheLimitIs431) {
    http::ServerOptions options;
    options.header_limit = 1024;
    start(options);
    Client client(port());
    auto reply = client.request("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(4000, 'x') +
                                "\r\n\r\n");
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 431);
    EXPECT_TRUE(client.closed_by_peer());
}

TEST_F(HttpServer, SlowClientIsClosedAfterTheReadTimeout) {
    router_.add("GET", "/ok", [](const http::Request&, http::Reply reply) { reply(text("ok")); });
    http::ServerOptions options;
    options.read_timeout_ms = 200;
    start(options);

    Client client(port());
    ASSERT_TRUE(client.send("GET /ok HTTP/1.1\r\nHost: t\r\nX-Slow: "));
    bool closed = false;
    auto give_up = std::chrono::steady_clock::now() + 5s;
    // Each byte arrives well within the timeout; only the whole-request deadline can end it.
    while (!closed && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(50ms);
        closed = !client.send("x") || client.closed_now();
    }
    EXPECT_TRUE(closed);
}

TEST_F(HttpServer, IdleKeepAliveConnectionIsClosedAfterTheReadTimeout) {
    router_.add("GET", "/ok", [](const http::Request&, http::Reply reply) { reply(text("ok")); });
    http::ServerOptions options;
    options.read_timeout_ms = 200;
    start(options);
    Client client(port());
    ASSERT_TRUE(client.request(get("/ok")));
    EXPECT_TRUE(client.closed_by_peer());
}

TEST_F(HttpServer, ConnectionsOverTheCapGet503) {
    router_.add("GET", "/ok", [](const http::Request&, http::Reply reply) { reply(text("ok")); });
    http::ServerOptions options;
    options.max_connections = 2;
    start(options);

    auto first = std::make_unique<Client>(port());
    Client second(port());
    ASSERT_TRUE(first->request(get("/ok")));
    ASSERT_TRUE(second.request(get("/ok")));

    Client third(port());
    auto busy = third.read_reply();
    ASSERT_TRUE(busy);
    EXPECT_EQ(busy->status, 503);
    EXPECT_EQ(busy->header("Connection"), "close");
    EXPECT_TRUE(third.closed_by_peer());

    std::string text = metrics_.render();
    EXPECT_NE(text.find("parley_http_connections_rejected_total 1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("parley_http_connections_open 2\n"), std::string::npos) << text;

    // A slot frees up once a connection closes.
    first.reset();
    bool served = false;
    for (int attempt = 0; attempt < 50 && !served; ++attempt) {
        Client next(port());
        auto reply = next.request(get("/ok"));
        served = reply && reply->status == 200;
        if (!served) std::this_thread::sleep_for(20ms);
    }
    EXPECT_TRUE(served);
}

TEST_F(HttpServer, StopClosesOpenConnections) {
    router_.add("GET", "/ok", [](const http::Request&, http::Reply reply) { reply(text("ok")); });
    start();
    Client client(port());
    ASSERT_TRUE(client.request(get("/ok")));
    server_->stop();
    EXPECT_TRUE(client.closed_by_peer());
    Client late(port());
    EXPECT_FALSE(late.connected() && late.request(get("/ok")));
}

TEST_F(HttpServer, PortInUseIsAListenErrorInPlainWords) {
    start();
    http::ServerOptions options;
    options.listen = "127.0.0.1";
    options.port = port();
    http::Server second(io_, options, router_, metrics_);
    try {
        second.listen();
        FAIL() << "second listen succeeded";
    } catch (const http::ListenError& error) {
        std::string what = error.what();
        EXPECT_NE(what.find("already in use"), std::string::npos) << what;
        EXPECT_NE(what.find("127.0.0.1:" + std::to_string(port())), std::string::npos) << what;
    }
}

TEST_F(HttpServer, MalformedRequestIs400) {
    start();
    Client client(port());
    auto reply = client.request("NOT A REQUEST\r\n\r\n");
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 400);
    EXPECT_TRUE(client.closed_by_peer());
}

TEST_F(HttpServer, HandlerStatusOutOfRangeBecomes500) {
    router_.add("GET", "/odd", [](const http::Request&, http::Reply reply) {
        http::Response response;
        response.status = 42;
        reply(std::move(response));
    });
    start();
    Client client(port());
    auto reply = client.request(get("/odd"));
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 500);
}

TEST_F(HttpServer, ListensOnLocalhost) {
    http::ServerOptions options;
    options.listen = "localhost";
    start(options);
    Client client(port());
    auto reply = client.request(get("/nothing"));
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 404);
}

TEST_F(HttpServer, ListensOnAnIpv6Literal) {
    http::ServerOptions options;
    options.listen = "::1";
    try {
        start(options);
    } catch (const http::ListenError& error) {
        GTEST_SKIP() << "no IPv6 loopback here: " << error.what();
    }
    EXPECT_NE(port(), 0);
}

TEST_F(HttpServer, BadListenAddressIsAListenError) {
    http::ServerOptions options;
    options.listen = "not-an-address";
    options.port = 0;
    http::Server server(io_, options, router_, metrics_);
    EXPECT_THROW(server.listen(), http::ListenError);
}

TEST_F(HttpServer, CountsResponsesInMetrics) {
    router_.add("GET", "/ok", [](const http::Request&, http::Reply reply) { reply(text("ok")); });
    start();
    Client client(port());
    ASSERT_TRUE(client.request(get("/ok")));
    ASSERT_TRUE(client.request(get("/ok")));
    ASSERT_TRUE(client.request(get("/missing")));
    std::string text = metrics_.render();
    EXPECT_NE(text.find("# TYPE parley_http_requests_total counter\n"), std::string::npos) << text;
    EXPECT_NE(text.find("parley_http_requests_total{code=\"200\"} 2\n"), std::string::npos) << text;
    EXPECT_NE(text.find("parley_http_requests_total{code=\"404\"} 1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("# TYPE parley_http_connections_open gauge\n"), std::string::npos) << text;
}

TEST(HttpRouter, AddFindAndRemoveByOwner) {
    http::Router router;
    auto handler = [](const http::Request&, http::Reply) {};
    EXPECT_TRUE(router.add("GET", "/a", handler, 7));
    EXPECT_FALSE(router.add("GET", "/a", handler));
    EXPECT_TRUE(router.add("POST", "/a", handler));

    bool known = false;
    EXPECT_TRUE(router.find("GET", "/a", &known));
    EXPECT_TRUE(known);
    EXPECT_FALSE(router.find("PUT", "/a", &known));
    EXPECT_TRUE(known);
    EXPECT_FALSE(router.find("GET", "/b", &known));
    EXPECT_FALSE(known);

    router.remove_owner(7);
    EXPECT_FALSE(router.find("GET", "/a", &known));
    EXPECT_TRUE(known);  // POST /a, owned by the core, stays
}

// A plugin may hold a route per item: each is found by its path, and they all go with
// their owner.
TEST(HttpRouter, ARouteAmongManyIsFoundByPathAndAllGoWithTheirOwner) {
    http::Router router;
    int called = -1;
    for (int k = 0; k < 10'000; ++k)
        ASSERT_TRUE(router.add("GET", "/media/" + std::to_string(k) + ".jpg",
                               [&called, k](const http::Request&, http::Reply) { called = k; }, 9));
    ASSERT_TRUE(router.add("POST", "/webhook", [](const http::Request&, http::Reply) {}));
    EXPECT_FALSE(router.add("GET", "/media/42.jpg", [](const http::Request&, http::Reply) {}));

    bool known = false;
    auto handler = router.find("GET", "/media/7777.jpg", &known);
    ASSERT_TRUE(handler);
    handler(http::Request{}, [](http::Response) {});
    EXPECT_EQ(called, 7777);
    EXPECT_FALSE(router.find("POST", "/media/7777.jpg", &known));
    EXPECT_TRUE(known);  // 405, not 404
    EXPECT_FALSE(router.find("GET", "/media/10000.jpg", &known));
    EXPECT_FALSE(known);

    router.remove_owner(9);
    EXPECT_FALSE(router.find("GET", "/media/7777.jpg", &known));
    EXPECT_FALSE(known);
    EXPECT_TRUE(router.find("POST", "/webhook", &known));
    EXPECT_TRUE(router.add("GET", "/media/7777.jpg", [](const http::Request&, http::Reply) {}));  // free again
}

TEST(SignedLinks, ALinkIsValidForItsPathUntilItsTime) {
    http::SignedLinks links("/media/", 24 * 3600);
    const std::int64_t now = 1'780'000'000;
    const std::string link = links.sign("/media/whatsapp/a.jpg", now);
    ASSERT_EQ(link.rfind("/media/whatsapp/a.jpg?link=", 0), 0u) << link;
    const std::string query = link.substr(link.find('?') + 1);
    ASSERT_EQ(query.size(), 5u + 16 + 64) << query;
    EXPECT_TRUE(links.valid("/media/whatsapp/a.jpg", query, now));
    EXPECT_TRUE(links.valid("/media/whatsapp/a.jpg", query, now + 24 * 3600));  // a day at least
    EXPECT_FALSE(links.valid("/media/whatsapp/a.jpg", query, now + 25 * 3600 + 1));  // then no more
    EXPECT_FALSE(links.valid("/media/whatsapp/b.jpg", query, now));  // another file
    EXPECT_EQ(links.sign("/media/whatsapp/a.jpg", now + 1), link);  // the same link within the hour
    // A signature changed, a time moved on, a part missing.
    std::string bad_sig = query;
    bad_sig.back() = bad_sig.back() == '0' ? '1' : '0';
    EXPECT_FALSE(links.valid("/media/whatsapp/a.jpg", bad_sig, now));
    std::string later = query;
    later[5 + 11] = later[5 + 11] == 'f' ? 'e' : 'f';  // until + 0x10000 seconds or so
    EXPECT_FALSE(links.valid("/media/whatsapp/a.jpg", later, now));
    EXPECT_FALSE(links.valid("/media/whatsapp/a.jpg", query.substr(0, query.size() - 1), now));
    EXPECT_FALSE(links.valid("/media/whatsapp/a.jpg", "", now));
    // Another process (another key) does not take it.
    EXPECT_FALSE(http::SignedLinks("/media/").valid("/media/whatsapp/a.jpg", query, now));
    EXPECT_TRUE(links.covers("/media/whatsapp/a.jpg"));
    EXPECT_FALSE(links.covers("/healthz"));
}

TEST_F(HttpServer, PathsOfSignedLinksNeedAValidSignature) {
    http::SignedLinks links("/media/");
    router_.add("GET", "/media/*", [](const http::Request&, http::Reply reply) { reply(text("the file")); });
    router_.add("GET", "/open", [](const http::Request&, http::Reply reply) { reply(text("open")); });
    http::ServerOptions options;
    options.signed_links = &links;
    start(options);
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    Client client(port());
    auto signed_one = client.request(get(links.sign("/media/x.jpg", now.count())));
    ASSERT_TRUE(signed_one);
    EXPECT_EQ(signed_one->status, 200);
    EXPECT_EQ(signed_one->body, "the file");
    const std::vector<std::string> refused_targets{
        "/media/x.jpg", "/media/y.jpg" + links.sign("/media/x.jpg", now.count()).substr(12),  // another file's
        "/media/x.jpg?link=7fffffffffffffff00"};
    for (const std::string& target : refused_targets) {
        auto refused = client.request(get(target));
        ASSERT_TRUE(refused) << target;
        EXPECT_EQ(refused->status, 403) << target;
        EXPECT_EQ(refused->body.find("the file"), std::string::npos) << target;
    }
    auto open = client.request(get("/open"));
    ASSERT_TRUE(open);
    EXPECT_EQ(open->status, 200);
}

TEST(HttpRouter, APrefixTakesThePathsUnderItThatHaveNoExactRoute) {
    http::Router router;
    std::string called;
    auto named = [&called](std::string name) {
        return [&called, name](const http::Request&, http::Reply) { called = name; };
    };
    auto call = [&](const std::string& method, const std::string& path) {
        called.clear();
        bool known = false;
        auto handler = router.find(method, path, &known);
        if (handler) handler(http::Request{}, [](http::Response) {});
        return called.empty() ? (known ? std::string("405") : std::string("404")) : called;
    };
    ASSERT_TRUE(router.add("GET", "/media/*", named("media"), 3));
    ASSERT_TRUE(router.add("GET", "/media/whatsapp/*", named("whatsapp"), 4));
    ASSERT_TRUE(router.add("GET", "/media/whatsapp/exact.jpg", named("exact")));
    EXPECT_FALSE(router.add("GET", "/media/whatsapp/*", named("again")));
    EXPECT_TRUE(router.add("HEAD", "/media/whatsapp/*", named("head"), 4));

    EXPECT_EQ(call("GET", "/media/whatsapp/0123abcd.jpg"), "whatsapp");  // the longest prefix
    EXPECT_EQ(call("GET", "/media/whatsapp/"), "whatsapp");  // (its handler says what nothing is)
    EXPECT_EQ(call("GET", "/media/other.png"), "media");
    EXPECT_EQ(call("GET", "/media/whatsapp/exact.jpg"), "exact");  // an exact route first
    EXPECT_EQ(call("POST", "/media/whatsapp/a.jpg"), "405");
    EXPECT_EQ(call("GET", "/media"), "404");  // the prefix ends with its '/'
    EXPECT_EQ(call("GET", "/mediaX/a.jpg"), "404");
    EXPECT_EQ(call("GET", "/media/*"), "media");  // '*' is only a pattern at the end of a route

    router.remove_owner(4);
    EXPECT_EQ(call("GET", "/media/whatsapp/0123abcd.jpg"), "media");
    router.remove_owner(3);
    EXPECT_EQ(call("GET", "/media/whatsapp/0123abcd.jpg"), "404");
    EXPECT_EQ(call("GET", "/media/whatsapp/exact.jpg"), "exact");
    EXPECT_TRUE(router.add("GET", "/media/whatsapp/*", named("whatsapp"), 5));  // free again
}

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

// A Beast WebSocket client. Each call blocks until done; a stalled one fails after 5 s
// instead of hanging the test.
class WsClient {
public:
    explicit WsClient(std::uint16_t port) : ws_(io_) {
        boost::asio::ip::tcp::endpoint server(boost::asio::ip::address_v4::loopback(), port);
        auto& socket = beast::get_lowest_layer(ws_);
        connected_ = !await([&](auto done) { socket.async_connect(server, done); });
    }

    bool connected() const { return connected_; }

    // The status of the server's answer: 101 when upgraded.
    int handshake(const std::string& target = "/ws") {
        await([&](auto done) { ws_.async_handshake(response_, "127.0.0.1", target, done); });
        return response_.result_int();
    }
    const websocket::response_type& response() const { return response_; }

    bool write(const std::string& message, bool binary = false) {
        ws_.binary(binary);
        return !await([&](auto done) { ws_.async_write(boost::asio::buffer(message), done); });
    }

    // The next message; nullopt once the connection ended, with the close frame in reason().
    std::optional<std::string> read() {
        buffer_.clear();
        if (await([&](auto done) { ws_.async_read(buffer_, done); })) return std::nullopt;
        return beast::buffers_to_string(buffer_.cdata());
    }

    bool close() {
        return !await([&](auto done) { ws_.async_close(websocket::close_code::normal, done); });
    }

    // Ends the TCP connection without a close frame.
    void drop() { beast::get_lowest_layer(ws_).close(); }

    websocket::close_reason reason() const { return ws_.reason(); }

private:
    template <class Start>
    beast::error_code await(Start start) {
        beast::error_code result;
        beast::get_lowest_layer(ws_).expires_after(5s);
        start([&result](beast::error_code ec, auto&&...) { result = ec; });
        io_.restart();
        io_.run();
        return result;
    }

    boost::asio::io_context io_;
    websocket::stream<beast::tcp_stream> ws_;
    websocket::response_type response_;
    beast::flat_buffer buffer_;
    bool connected_ = false;
};

// "/ws": records what it sees for the test thread, and echoes each message back when asked.
class WebSocket : public HttpServer {
protected:
    void add_endpoint(bool echo = true) {
        router_.add_websocket("/ws", [this, echo](
                                         std::shared_ptr<http::WebSocketConnection> connection,
                                         const http::Request& request) {
            {
                std::lock_guard lock(mutex_);
                connection_ = connection;
                request_ = request;
            }
            changed_.notify_all();
            http::WebSocketHandler handler;
            handler.on_message = [this, echo, connection](std::string_view message) {
                record(message);
                if (echo) connection->send(std::string(message));
            };
            handler.on_close = [this] {
                std::lock_guard lock(mutex_);
                ++closes_;
                changed_.notify_all();
            };
            return handler;
        });
    }

    void record(std::string_view message) {
        std::lock_guard lock(mutex_);
        messages_.emplace_back(message);
        changed_.notify_all();
    }

    template <class Predicate>
    bool wait_until(Predicate predicate) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, 5s, predicate);
    }

    // True once `line` is in the metrics, within 5 s.
    bool metrics_show(const std::string& line) {
        auto deadline = std::chrono::steady_clock::now() + 5s;
        while (metrics_.render().find(line) == std::string::npos) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(10ms);
        }
        return true;
    }

    std::shared_ptr<http::WebSocketConnection> connection() {
        wait_until([this] { return connection_ != nullptr; });
        std::lock_guard lock(mutex_);
        return connection_;
    }

    bool closed_once() {
        bool seen = wait_until([this] { return closes_ > 0; });
        std::this_thread::sleep_for(20ms);  // a second call would come right after
        std::lock_guard lock(mutex_);
        return seen && closes_ == 1;
    }

    std::mutex mutex_;
    std::condition_variable changed_;
    std::shared_ptr<http::WebSocketConnection> connection_;
    http::Request request_;
    std::vector<std::string> messages_;
    int closes_ = 0;
};

TEST_F(WebSocket, EchoRoundTrip) {
    add_endpoint();
    start();
    WsClient client(port());
    ASSERT_EQ(client.handshake("/ws?agent=7"), 101);
    EXPECT_EQ(client.response()[beast::http::field::server], "parley");
    ASSERT_TRUE(client.write("hello"));
    EXPECT_EQ(client.read(), "hello");

    auto connection = this->connection();
    ASSERT_TRUE(connection);
    EXPECT_EQ(connection->remote().rfind("127.0.0.1:", 0), 0u) << connection->remote();
    {
        std::lock_guard lock(mutex_);
        EXPECT_EQ(request_.path, "/ws");
        EXPECT_EQ(request_.query, "agent=7");
        EXPECT_NE(request_.header("Sec-WebSocket-Key"), nullptr);
    }
    EXPECT_TRUE(client.close());
    EXPECT_EQ(client.reason().code, websocket::close_code::normal);
    EXPECT_TRUE(closed_once());
}

TEST_F(WebSocket, ManyMessagesKeepTheirOrderBothWays) {
    add_endpoint();
    start();
    WsClient client(port());
    ASSERT_EQ(client.handshake(), 101);
    constexpr int kCount = 300;
    for (int i = 0; i < kCount; ++i) ASSERT_TRUE(client.write("c" + std::to_string(i)));
    for (int i = 0; i < kCount; ++i) ASSERT_EQ(client.read(), "c" + std::to_string(i));
    {
        std::lock_guard lock(mutex_);
        ASSERT_EQ(messages_.size(), static_cast<std::size_t>(kCount));
        for (int i = 0; i < kCount; ++i) EXPECT_EQ(messages_[i], "c" + std::to_string(i));
    }

    // A burst from the server queues up and still arrives in order.
    auto connection = this->connection();
    for (int i = 0; i < kCount; ++i) connection->send("s" + std::to_string(i));
    for (int i = 0; i < kCount; ++i) ASSERT_EQ(client.read(), "s" + std::to_string(i));
}

TEST_F(WebSocket, SendFromAnotherThread) {
    router_.add_websocket("/ws", [this](std::shared_ptr<http::WebSocketConnection> connection,
                                        const http::Request&) {
        http::WebSocketHandler handler;
        handler.on_message = [this, connection](std::string_view message) {
            std::lock_guard lock(helpers_mutex_);
            helpers_.emplace_back([connection, text = std::string(message)] {
                std::this_thread::sleep_for(20ms);
                connection->send("later: " + text);
            });
        };
        return handler;
    });
    start();
    WsClient client(port());
    ASSERT_EQ(client.handshake(), 101);
    ASSERT_TRUE(client.write("one"));
    EXPECT_EQ(client.read(), "later: one");
    ASSERT_TRUE(client.write("two"));
    EXPECT_EQ(client.read(), "later: two");
}

TEST_F(WebSocket, ServerCloseReachesTheClientWithItsCode) {
    add_endpoint();
    start();
    WsClient client(port());
    ASSERT_EQ(client.handshake(), 101);
    auto connection = this->connection();
    connection->send("before");
    connection->close(4001, "bye");
    connection->send("after");  // dropped: the close is already on its way
    EXPECT_EQ(client.read(), "before");
    EXPECT_EQ(client.read(), std::nullopt);
    EXPECT_EQ(client.reason().code, 4001);
    EXPECT_EQ(client.reason().reason, "bye");
    EXPECT_TRUE(closed_once());
}

TEST_F(WebSocket, OversizedMessageIsClosedWith1009) {
    add_endpoint();
    http::ServerOptions options;
    options.ws_message_limit = 1024;
    start(options);
    WsClient client(port());
    ASSERT_EQ(client.handshake(), 101);
    ASSERT_TRUE(client.write(std::string(1024, 'a')));
    EXPECT_EQ(client.read(), std::string(1024, 'a'));
    client.write(std::string(4096, 'b'));
    EXPECT_EQ(client.read(), std::nullopt);
    EXPECT_EQ(client.reason().code, websocket::close_code::too_big);
    EXPECT_TRUE(closed_once());
    std::lock_guard lock(mutex_);
    EXPECT_EQ(messages_.size(), 1u);
}

TEST_F(WebSocket, BinaryFrameIsClosedWith1003) {
    add_endpoint();
    start();
    WsClient client(port());
    ASSERT_EQ(client.handshake(), 101);
    ASSERT_TRUE(client.write("bytes", true));
    EXPECT_EQ(client.read(), std::nullopt);
    EXPECT_EQ(client.reason().code, websocket::close_code::unknown_data);
    EXPECT_EQ(client.reason().reason, "text only");
    EXPECT_TRUE(closed_once());
    std::lock_guard lock(mutex_);
    EXPECT_TRUE(messages_.empty());
}

TEST_F(WebSocket, RefusedUpgradeIs403) {
    std::atomic<bool> closed{false};
    router_.add_websocket("/ws", [&closed](std::shared_ptr<http::WebSocketConnection>,
                                           const http::Request& request) {
        http::WebSocketHandler refused;
        refused.on_close = [&closed] { closed = true; };
        if (request.query == "token=good") refused.on_message = [](std::string_view) {};
        return refused;
    });
    start();
    WsClient refused(port());
    EXPECT_EQ(refused.handshake("/ws?token=bad"), 403);
    EXPECT_EQ(refused.read(), std::nullopt);
    WsClient accepted(port());
    EXPECT_EQ(accepted.handshake("/ws?token=good"), 101);
    EXPECT_FALSE(closed);
    // The client may see the 101 before the server has counted it.
    EXPECT_TRUE(metrics_show("parley_http_requests_total{code=\"101\"} 1\n"));
    EXPECT_TRUE(metrics_show("parley_http_requests_total{code=\"403\"} 1\n"));
}

TEST_F(WebSocket, PlainRequestsOnAWebSocketPath) {
    add_endpoint();
    start();
    Client client(port());
    auto plain = client.request(get("/ws"));
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->status, 426);
    EXPECT_EQ(plain->header("Upgrade"), "websocket");
    auto post = client.request(get("/ws", "POST"));
    ASSERT_TRUE(post);
    EXPECT_EQ(post->status, 405);

    // An upgrade request elsewhere is routed like any other request.
    WsClient elsewhere(port());
    EXPECT_EQ(elsewhere.handshake("/nope"), 404);
}

TEST_F(WebSocket, AbruptDisconnectCallsOnClose) {
    add_endpoint();
    start();
    WsClient client(port());
    ASSERT_EQ(client.handshake(), 101);
    ASSERT_TRUE(client.write("hi"));
    ASSERT_EQ(client.read(), "hi");
    client.drop();
    EXPECT_TRUE(closed_once());
    connection()->send("nobody listens");  // harmless once closed
    connection()->close(1000, "");
}

TEST_F(WebSocket, StopClosesOpenWebSockets) {
    add_endpoint();
    start();
    WsClient client(port());
    ASSERT_EQ(client.handshake(), 101);
    server_->stop();
    EXPECT_EQ(client.read(), std::nullopt);
    EXPECT_EQ(client.reason().code, websocket::close_code::going_away);
    EXPECT_TRUE(closed_once());
    // TearDown checks that io.run() returns.
}

TEST_F(WebSocket, StopDoesNotWaitForAClientThatNeverAnswers) {
    add_endpoint();
    start();
    WsClient client(port());
    ASSERT_EQ(client.handshake(), 101);
    auto before = std::chrono::steady_clock::now();
    server_->stop();
    EXPECT_TRUE(closed_once());  // the client never reads the close frame
    EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
}

TEST_F(WebSocket, ClientThatDoesNotReadIsClosedAsTooSlow) {
    add_endpoint();
    http::ServerOptions options;
    options.ws_queue_limit = 4;
    start(options);
    WsClient client(port());
    ASSERT_EQ(client.handshake(), 101);
    auto connection = this->connection();
    std::string big(256 * 1024, 'x');
    for (int i = 0; i < 200; ++i) connection->send(big);
    EXPECT_TRUE(closed_once());
    int received = 0;
    while (client.read()) ++received;
    EXPECT_LT(received, 200);
}

TEST_F(WebSocket, CountsAgainstMaxConnectionsAndInTheGauge) {
    add_endpoint();
    http::ServerOptions options;
    options.max_connections = 1;
    start(options);
    auto client = std::make_unique<WsClient>(port());
    ASSERT_EQ(client->handshake(), 101);
    ASSERT_TRUE(client->write("hi"));
    ASSERT_EQ(client->read(), "hi");
    std::string text = metrics_.render();
    EXPECT_NE(text.find("parley_http_connections_open 1\n"), std::string::npos) << text;

    Client second(port());
    auto busy = second.read_reply();
    ASSERT_TRUE(busy);
    EXPECT_EQ(busy->status, 503);

    ASSERT_TRUE(client->close());
    client.reset();
    ASSERT_TRUE(closed_once());
    EXPECT_TRUE(metrics_show("parley_http_connections_open 0\n"));
}

TEST(WebSocketRouter, SharesPathsWithGetAndGoesWithItsOwner) {
    http::Router router;
    auto accept = [](std::shared_ptr<http::WebSocketConnection>, const http::Request&) {
        return http::WebSocketHandler{};
    };
    EXPECT_TRUE(router.add_websocket("/agent/ws", accept, 9));
    EXPECT_FALSE(router.add_websocket("/agent/ws", accept));
    EXPECT_FALSE(router.add("GET", "/agent/ws", [](const http::Request&, http::Reply) {}));
    EXPECT_FALSE(router.add_websocket("/other", nullptr));
    EXPECT_TRUE(router.find_websocket("/agent/ws"));
    EXPECT_FALSE(router.find_websocket("/other"));
    bool known = false;
    EXPECT_FALSE(router.find("GET", "/agent/ws", &known));
    EXPECT_TRUE(known);
    router.remove_owner(9);
    EXPECT_FALSE(router.find_websocket("/agent/ws"));
}

}  // namespace
