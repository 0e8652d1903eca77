#include "deliverer.hpp"

namespace parley::whatsapp::standin {

Deliverer::Deliverer(Transport transport, DeliveryLog& log)
    : transport_(std::move(transport)), log_(log), worker_([this] { run(); }) {}

Deliverer::~Deliverer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    worker_.join();
}

void Deliverer::enqueue(Delivery delivery) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(delivery));
    }
    wake_.notify_all();
}

void Deliverer::run() {
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) break;
        Delivery d = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        deliver(d);
        lock.lock();
    }
}

void Deliverer::deliver(const Delivery& d) {
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(d.not_before - std::chrono::steady_clock::now());
    if (wait.count() > 0 && !pause(static_cast<int>(wait.count()))) return;
    if (d.delay_ms > 0 && !pause(d.delay_ms)) return;
    if (d.copies < 2) return deliver_copy(d, 1);
    std::thread copy([this, &d] { deliver_copy(d, 2); });
    deliver_copy(d, 1);
    copy.join();
}

void Deliverer::deliver_copy(const Delivery& d, int copy) {
    int backoff = kFirstBackoffMs;
    for (int attempt = 1; attempt <= d.attempts && !stopping_; ++attempt) {
        HttpAnswer answer = transport_(d.request, stopping_);
        bool ok = answer.status == 200 && (!d.expect_body || answer.body == *d.expect_body);
        log_.attempt(d.seq, copy, answer, ok);
        if (ok || attempt == d.attempts || !pause(backoff)) return;
        backoff *= 2;
    }
}

bool Deliverer::pause(int ms) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_.load(); });
}

}  // namespace parley::whatsapp::standin
