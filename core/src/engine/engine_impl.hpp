// Engine internals, shared by engine/*.cpp.
#pragma once

#include "apply.hpp"
#include "writer.hpp"
#include "parley/core/engine.hpp"
#include "parley/core/engine_state.hpp"
#include "parley/core/store.hpp"

#include <boost/json/object.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

namespace parley::engine {

namespace json = boost::json;

struct Engine::Impl {
    Runtime& runtime;
    store::Store& store;
    bus::Bus& bus;
    Options options;
    Model model;
    // The numbers each channel plugin says it serves ("channel_numbers"); a channel
    // that never said is not checked.
    std::map<std::string, std::set<std::string>> channel_numbers_of;
    State state;
    Stats stats;

    // Work queued for the strand; drained in rounds, each round one commit.
    struct Item {
        std::function<Result()> work;
        Done done;
    };
    // Producers append under the mutex; the first of a round posts drain(). The
    // vectors are swapped, not moved, so their capacity survives between rounds.
    std::mutex inbox_mutex;
    std::vector<Item> inbox;
    std::vector<Item> round;

    // What the current round produced, handed to the writer at its end.
    std::vector<store::Event> batch;
    std::vector<std::pair<Done, Result>> replies;
    std::vector<std::function<void()>> after_commit;
    std::set<std::string> touched_tenants;  // to route at the end of the round

    // Rounds are committed by the writer while the strand goes on; state() may hold
    // rounds not yet committed. A failed commit starts a new generation.
    std::uint64_t generation = 0;
    std::uint64_t next_seq = 0;  // the seq of the last event applied to state
    std::unique_ptr<Writer> writer;

    std::map<std::pair<std::string, std::string>, std::uint64_t> offer_timers;  // (interaction, agent)

    Impl(Runtime& r, store::Store& s, bus::Bus& b, Options o);

    std::int64_t now() const { return options.clock(); }

    // Queues work for the strand (from any thread).
    void enqueue(std::function<Result()> work, Done done);
    void drain();
    void commit_round();
    void finish(std::vector<std::unique_ptr<Round>>& rounds, bool committed);
    void rebuild_from_store();

    // Records an event: applied to the state now, committed with the round.
    void emit(const std::string& tenant, const char* type, json::object data, std::int64_t time_ms = -1);

    // Commands (commands.cpp).
    Result handle(const Command& c);
    Result accept(const Command& c);
    Result send(const Command& c);
    Result end(const Command& c);
    Result set_state(const Command& c);
    Result inbound(const Command& c);
    Result message_status(const Command& c);
    Result offer_timeout(const Command& c);
    Result channel_numbers(const Command& c);
    std::optional<Result> refused_by_channel(const Interaction& i, const json::object& out);

    // Lookups that answer with the right refusal.
    const TenantModel* tenant_of(const Actor& a, Result& err) const;
    Interaction* interaction_of(const Command& c, Result& err);

    // Routing and offers (routing.cpp).
    void route(const std::string& tenant);
    const AgentModel* pick_agent(const TenantModel& t, const std::string& queue, const Interaction& i) const;
    void arm_offer_timer(const std::string& interaction, const std::string& agent, std::int64_t expires_at);
    void cancel_offer_timer(const std::string& interaction, const std::string& agent);

    // Config (reconfigure.cpp).
    void interrupt_orphans();
    // Queues a round that interrupts what the model orphaned and routes every tenant.
    void queue_reconcile();
};

// Number of Unicode code points in UTF-8 text (what "4096 characters" counts).
std::size_t utf8_length(std::string_view text);

}  // namespace parley::engine
