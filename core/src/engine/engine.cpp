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

Engine::Engine(Runtime& runtime, store::Store& store, bus::Bus& bus, Options options)
    : impl_(std::make_unique<Impl>(runtime, store, bus, std::move(options))) {}

Engine::~Engine() {
    for (auto& [key, id] : impl_->offer_timers) impl_->runtime.cancel_timer(id);
}

void Engine::submit(Command command, Done done) {
    auto* impl = impl_.get();
    impl->enqueue([impl, c = std::move(command)] { return impl->handle(c); }, std::move(done));
}

const State& Engine::state() const { return impl_->state; }
const Model& Engine::model() const { return impl_->model; }
std::uint64_t Engine::last_seq() const { return impl_->store.last_seq(); }
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
    batch.push_back(store::Event{0, tenant, type, t, json::serialize(data)});
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

void Engine::Impl::commit_round() {
    // The round's output moves aside: callbacks below may queue the next round.
    committing.swap(batch);
    answering.swap(replies);
    running.swap(after_commit);
    bool committed = true;
    try {
        store.append(committing);
    } catch (const std::exception& e) {
        log::get("engine")->error("commit of {} events failed: {}; rebuilding state from the store", committing.size(),
                                  e.what());
        committed = false;
    }
    if (committed) {
        stats.events += committing.size();
        stats.commits += !committing.empty();
        for (auto& e : committing) bus.publish(event_topic, envelope(e));
        for (auto& a : running) a();
        for (auto& [done, r] : answering)
            if (done) done(std::move(r));
    } else {
        rebuild_from_store();
        for (auto& [done, r] : answering)
            if (done) done(Result::error("store_unavailable", "the change could not be saved; try again"));
    }
    committing.clear();
    answering.clear();
    running.clear();
}

void Engine::Impl::rebuild_from_store() {
    for (auto& [key, id] : offer_timers) runtime.cancel_timer(id);
    offer_timers.clear();
    state = State{};
    Applier applier{state};
    store.replay(0, [&](const store::Event& e) {
        auto v = json::parse(e.data);
        applier.apply(e.tenant, e.type, e.time_ms, v.as_object());
    });
    for (auto& [id, i] : state.interactions)
        for (auto& leg : i.legs)
            if (leg.state == LegState::offered) arm_offer_timer(id, leg.agent, leg.expires_at);
}

void Engine::recover() {
    impl_->rebuild_from_store();
    log::get("engine")->info("recovered {} interactions from {} events", impl_->state.interactions.size(),
                             impl_->store.last_seq());
    auto* impl = impl_.get();
    impl->enqueue(
        [impl] {
            impl->interrupt_orphans();
            for (auto& [id, t] : impl->model.tenants) impl->touched_tenants.insert(id);
            return Result{};
        },
        nullptr);
}

}  // namespace parley::engine
