#include "parley/core/runtime.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace parley {

namespace asio = boost::asio;

struct Runtime::Impl {
    asio::io_context io;
    asio::strand<asio::io_context::executor_type> strand{io.get_executor()};
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;

    struct Timer {
        std::shared_ptr<asio::steady_timer> timer;
        std::chrono::milliseconds repeat;
        std::function<void()> fn;
    };
    mutable std::mutex mutex;
    std::map<std::uint64_t, Timer> timers;
    std::uint64_t next_timer = 1;

    void arm(std::uint64_t id, std::chrono::milliseconds delay);
    void fire(std::uint64_t id);
};

void Runtime::Impl::arm(std::uint64_t id, std::chrono::milliseconds delay) {
    std::shared_ptr<asio::steady_timer> timer;
    {
        std::lock_guard lock(mutex);
        auto it = timers.find(id);
        if (it == timers.end()) return;
        timer = it->second.timer;
    }
    timer->expires_after(delay);
    timer->async_wait(asio::bind_executor(strand, [this, id](boost::system::error_code ec) {
        if (!ec) fire(id);
    }));
}

void Runtime::Impl::fire(std::uint64_t id) {
    std::function<void()> fn;
    std::chrono::milliseconds repeat{0};
    {
        std::lock_guard lock(mutex);
        auto it = timers.find(id);
        if (it == timers.end()) return;  // cancelled while the wait completed
        fn = it->second.fn;
        repeat = it->second.repeat;
        if (repeat.count() == 0) timers.erase(it);
    }
    fn();
    if (repeat.count() > 0) arm(id, repeat);
}

Runtime::Runtime() : impl_(std::make_unique<Impl>()) {}
Runtime::~Runtime() = default;

asio::io_context& Runtime::io() { return impl_->io; }

void Runtime::post(std::function<void()> fn) { asio::post(impl_->strand, std::move(fn)); }

bool Runtime::in_core() const { return impl_->strand.running_in_this_thread(); }

std::uint64_t Runtime::start_timer(std::chrono::milliseconds delay, std::chrono::milliseconds repeat,
                                   std::function<void()> fn) {
    std::uint64_t id;
    {
        std::lock_guard lock(impl_->mutex);
        id = impl_->next_timer++;
        impl_->timers.emplace(id, Impl::Timer{std::make_shared<asio::steady_timer>(impl_->strand), repeat,
                                              std::move(fn)});
    }
    impl_->arm(id, delay);
    return id;
}

bool Runtime::cancel_timer(std::uint64_t id) {
    std::lock_guard lock(impl_->mutex);
    auto it = impl_->timers.find(id);
    if (it == impl_->timers.end()) return false;
    it->second.timer->cancel();
    impl_->timers.erase(it);
    return true;
}

std::size_t Runtime::timer_count() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->timers.size();
}

void Runtime::run(int threads) {
    impl_->work.emplace(impl_->io.get_executor());
    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back([this] { impl_->io.run(); });
    impl_->io.run();
    for (auto& t : pool) t.join();
}

void Runtime::stop() {
    asio::post(impl_->io, [this] {
        impl_->work.reset();
        impl_->io.stop();
    });
}

}  // namespace parley
