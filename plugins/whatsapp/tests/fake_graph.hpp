// A tiny Graph API on 127.0.0.1 for the sender and media tests: one connection at a
// time, Connection: close, every request recorded, answers from a handler.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace wa_test {

class FakeGraph {
public:
    struct Request {
        std::string method, path, authorization, body;
    };
    struct Answer {
        int status = 200;
        std::string body;
        std::string content_type = "application/json";
    };
    using Handler = std::function<Answer(const Request&, int nth)>;

    explicit FakeGraph(Handler handler = {}) : handler_(std::move(handler)) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        ::listen(fd_, 16);
        socklen_t len = sizeof addr;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeGraph() {
        stop_ = true;
        thread_.join();
        ::close(fd_);
    }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    void on(Handler h) {
        std::lock_guard lock(mutex_);
        handler_ = std::move(h);
    }
    std::vector<Request> requests() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }
    // Waits until `n` requests have come.
    bool wait_for(std::size_t n, std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
        std::unique_lock lock(mutex_);
        return arrived_.wait_for(lock, limit, [&] { return requests_.size() >= n; });
    }

private:
    void serve() {
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 20) <= 0) continue;
            int c = ::accept(fd_, nullptr, nullptr);
            if (c >= 0) answer(c);
        }
    }

    static std::string header(const std::string& head, const std::string& name) {
        auto lower = head;
        for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        auto at = lower.find("\r\n" + name + ":");
        if (at == std::string::npos) return {};
        auto start = head.find_first_not_of(' ', at + name.size() + 3);
        return head.substr(start, head.find("\r\n", start) - start);
    }

    void answer(int c) {
        std::string data;
        char buf[8192];
        while (data.find("\r\n\r\n") == std::string::npos) {
            auto n = ::recv(c, buf, sizeof buf, 0);
            if (n <= 0) return (void)::close(c);
            data.append(buf, static_cast<size_t>(n));
        }
        auto end = data.find("\r\n\r\n");
        auto head = data.substr(0, end);
        auto length = header(head, "content-length");
        std::size_t want = length.empty() ? 0 : std::stoul(length);
        auto body = data.substr(end + 4);
        while (body.size() < want) {
            auto n = ::recv(c, buf, sizeof buf, 0);
            if (n <= 0) break;
            body.append(buf, static_cast<size_t>(n));
        }
        auto first_space = head.find(' ');
        Request r{head.substr(0, first_space), head.substr(first_space + 1, head.find(' ', first_space + 1) - first_space - 1),
                  header(head, "authorization"), body};
        Answer a;
        {
            std::lock_guard lock(mutex_);
            requests_.push_back(r);
            a = handler_ ? handler_(r, static_cast<int>(requests_.size())) : Answer{200, R"({"messages":[{"id":"wamid.OK"}]})"};
        }
        arrived_.notify_all();
        auto out = "HTTP/1.1 " + std::to_string(a.status) + " X\r\nContent-Type: " + a.content_type +
                   "\r\nContent-Length: " + std::to_string(a.body.size()) + "\r\nConnection: close\r\n\r\n" + a.body;
        ::send(c, out.data(), out.size(), MSG_NOSIGNAL);
        ::close(c);
    }

    int fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::condition_variable arrived_;
    Handler handler_;
    std::vector<Request> requests_;
    std::thread thread_;
};

}  // namespace wa_test
