#include "engine_impl.hpp"

#include "parley/core/bus.hpp"
#include "parley/core/log.hpp"
#include "parley/core/runtime.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>

namespace parley::engine {

std::int64_t system_clock_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::size_t utf8_length(std::string_view text) {
    std::size_t n = 0;
    for (unsigned char c : text) n += (c & 0xC0) != 0x80;  // count every byte that starts a code point
    return n;
}

Engine::Impl::Impl(Runtime& r, store::Store& s, bus::Bus& b, Options o)
    : runtime(r), store(s), bus(b), options(std::move(o)) {
    writer = std::make_unique<Writer>(store, [this](std::vector<std::unique_ptr<Round>> rounds, bool committed) {
        auto group = std::make_shared<std::vector<std::unique_ptr<Round>>>(std::move(rounds));
        runtime.post([this, group, committed] { finish(*group, committed); });
    });
}

Engine::Engine(Runtime& runtime, store::Store& store, bus::Bus& bus, Options options)
    : impl_(std::make_unique<Impl>(runtime, store, bus, std::move(options))) {}

Engine::~Engine() {
    impl_->writer.reset();  // commits what is queued
    for (auto& [key, id] : impl_->offer_timers) impl_->runtime.cancel_timer(id);
}

void Engine::submit(Command command, Done done) {
    auto* impl = impl_.get();
    impl->enqueue([impl, c = std::move(command)] { return impl->handle(c); }, std::move(done));
}

const State& Engine::state() const { return impl_->state; }
const Model& Engine::model() const { return impl_->model; }
std::uint64_t Engine::last_seq() const { return impl_->next_seq; }
Engine::Stats Engine::stats() const { return impl_->stats; }

void Engine::Impl::enqueue(std::function<Result()> work, Done done) {
    bool first = false;
    {
        std::lock_guard lock(inbox_mutex);
        first = inbox.empty();
        inbox.push_back({std::move(work), std::move(done)});
    }
    // Commands queued before drain() runs join its round.
    if (first) runtime.post([this] { drain(); });
}

void Engine::Impl::drain() {
    {
        std::lock_guard lock(inbox_mutex);
        round.swap(inbox);
    }
    for (auto& item : round) {
        Result r;
        try {
            r = item.work();
        } catch (const std::exception& e) {
            r = Result::error("internal", e.what());
        }
        ++stats.commands;
        replies.emplace_back(std::move(item.done), std::move(r));
    }
    round.clear();
    for (auto& tenant : touched_tenants) route(tenant);
    touched_tenants.clear();
    commit_round();
}

void Engine::Impl::emit(const std::string& tenant, const char* type, json::object data, std::int64_t time_ms) {
    auto t = time_ms >= 0 ? time_ms : now();
    Applier{state}.apply(tenant, type, t, data);
    batch.push_back(store::Event{++next_seq, tenant, type, t, json::serialize(data)});
}

namespace {

std::string envelope(const store::Event& e) {
    std::string out = "{\"seq\":" + std::to_string(e.seq) + ",\"tenant\":" + json::serialize(json::string(e.tenant)) +
                      ",\"type\":\"" + e.type + "\",\"time_ms\":" + std::to_string(e.time_ms) + ",\"data\":";
    out += e.data;
    out += '}';
    return out;
}

}  // namespace

// Hands the round to the writer. A round without events goes too: its replies wait
// for the rounds before it, whose state they may have seen.
void Engine::Impl::commit_round() {
    if (batch.empty() && replies.empty() && after_commit.empty()) return;
    auto r = std::make_unique<Round>();
    r->generation = generation;
    r->events.swap(batch);
    r->replies.swap(replies);
    r->after_commit.swap(after_commit);
    writer->write(std::move(r));
}

// On the strand, for each group the writer finished, in order.
void Engine::Impl::finish(std::vector<std::unique_ptr<Round>>& rounds, bool committed) {
    if (!committed) {
        // Only the first failure of a generation rebuilds; the rounds after it in that
        // generation were refused because they were built on it.
        if (rounds.front()->generation == generation) {
            ++generation;
            rebuild_from_store();
            bus.publish(rebuilt_topic, "");
        }
        for (auto& r : rounds)
            for (auto& [done, result] : r->replies)
                if (done) done(Result::error("store_unavailable", "the change could not be saved; try again"));
        return;
    }
    for (auto& r : rounds) {
        stats.events += r->events.size();
        stats.commits += !r->events.empty();
        for (auto& e : r->events) bus.publish(event_topic, envelope(e));
        for (auto& a : r->after_commit) a();
        for (auto& [done, result] : r->replies)
            if (done) done(std::move(result));
    }
}

void Engine::Impl::rebuild_from_store() {
    for (auto& [key, id] : offer_timers) runtime.cancel_timer(id);
    offer_timers.clear();
    state = State{};
    Applier applier{state};
    next_seq = writer->with_store([&](store::Store& s) {
        s.replay(0, [&](const store::Event& e) {
            auto v = json::parse(e.data);
            applier.apply(e.tenant, e.type, e.time_ms, v.as_object());
        });
        return s.last_seq();
    });
    for (auto& [id, i] : state.interactions)
        for (auto& leg : i.legs)
            if (leg.state == LegState::offered) arm_offer_timer(id, leg.agent, leg.expires_at);
}

void Engine::recover() {
    impl_->rebuild_from_store();
    log::get("engine")->info("recovered {} interactions from {} events", impl_->state.interactions.size(),
                             impl_->next_seq);
    impl_->queue_reconcile();
}

}  // namespace parley::engine
