#include "sender.hpp"

#include "backoff.hpp"
#include "graph_error.hpp"
#include "http_client.hpp"
#include "json_fields.hpp"

#include <boost/json/parse.hpp>

#include <random>

namespace parley::whatsapp {

namespace json = boost::json;

namespace {

std::function<double()> seeded_random() {
    auto gen = std::make_shared<std::mt19937_64>(std::random_device{}());
    return [gen] { return std::uniform_real_distribution<double>(0.0, 1.0)(*gen); };
}

// messages[0].id of a send's answer; "" for a read receipt.
std::string wamid_of(const std::string& body) {
    json::error_code ec;
    auto parsed = json::parse(body, ec);
    if (ec || !parsed.is_object()) return {};
    auto& messages = array_of(parsed.get_object(), "messages");
    return messages.empty() || !messages[0].is_object() ? std::string() : text_of(messages[0].get_object(), "id");
}

std::string lane_of(const Outgoing& job, std::uint64_t seq) {
    return job.recipient.empty() ? "read|" + std::to_string(seq) : job.number + "|" + job.recipient;
}

}  // namespace

Sender::Sender(SenderOptions options, Done done)
    : options_(std::move(options)),
      done_(std::move(done)),
      limiter_(options_.rate_per_number, options_.recipient_interval) {
    if (!options_.random) options_.random = seeded_random();
    thread_ = std::thread([this] { run(); });
}

Sender::~Sender() { stop(); }

void Sender::enqueue(Outgoing job) {
    {
        std::lock_guard lock(mutex_);
        auto seq = next_seq_++;
        auto lane = lane_of(job, seq);
        lanes_[lane].push_back(Pending{std::move(job), 0, Clock::now(), seq});
    }
    wakeup_.notify_one();
}

std::vector<Outgoing> Sender::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wakeup_.notify_one();
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mutex_);
    auto out = std::move(unsent_);
    unsent_.clear();
    for (auto& [lane, queue] : lanes_)
        for (auto& p : queue) out.push_back(std::move(p.job));
    lanes_.clear();
    return out;
}

void Sender::run() {
    HttpClient http(&stopping_);
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        std::optional<Clock::time_point> wake;
        auto lane = next_ready(Clock::now(), wake);
        if (lane) attempt(lock, http, *lane);
        else if (wake) wakeup_.wait_until(lock, *wake);
        else wakeup_.wait(lock);
    }
}

// The lane whose head may go now, oldest first; otherwise when the next one may.
std::optional<std::string> Sender::next_ready(Clock::time_point now, std::optional<Clock::time_point>& wake) {
    std::optional<std::string> best;
    std::uint64_t best_seq = 0;
    for (auto it = lanes_.begin(); it != lanes_.end();) {
        if (it->second.empty()) {
            it = lanes_.erase(it);
            continue;
        }
        auto& head = it->second.front();
        auto ready = std::max(head.due, limiter_.ready_at(head.job.number, head.job.recipient, now));
        if (ready <= now && (!best || head.seq < best_seq)) best = it->first, best_seq = head.seq;
        if (ready > now && (!wake || ready < *wake)) wake = ready;
        ++it;
    }
    return best;
}

void Sender::attempt(std::unique_lock<std::mutex>& lock, HttpClient& http, const std::string& lane) {
    auto& queue = lanes_[lane];
    Pending p = std::move(queue.front());
    queue.pop_front();
    limiter_.take(p.job.number, p.job.recipient, Clock::now());
    ++p.attempts;
    lock.unlock();
    auto r = http.post_json(p.job.url, options_.access_token, p.job.body);
    lock.lock();
    if (stopping_ && r.status == 0) {
        unsent_.push_back(std::move(p.job));  // cut short: we cannot tell whether it left
        return;
    }
    if (r.status >= 200 && r.status <= 299)
        return finish(lock, {std::move(p.job), true, wamid_of(r.body), {}, 0, p.attempts});
    auto error = parse_graph_error(r.status, r.body);
    if (retryable(error) && p.attempts <= options_.max_retries) {
        p.due = Clock::now() + backoff_delay(p.attempts, options_.retry_base, options_.random());
        lanes_[lane].push_front(std::move(p));
        return;
    }
    finish(lock, {std::move(p.job), false, {}, describe(error), error.code, p.attempts});
}

void Sender::finish(std::unique_lock<std::mutex>& lock, SendResult result) {
    lock.unlock();
    done_(std::move(result));
    lock.lock();
}

}  // namespace parley::whatsapp
