// The interaction engine: tenants, agents and presence, queues and routing, offers
// and RONA, interactions, legs and messages.
//
// Commands are handled on the core strand. A command is validated against the
// current state and turned into events; the events of every command handled in one
// round are committed to the store in one transaction (group commit); only then do
// replies, bus events and outbound messages leave the engine. If a commit fails, the
// round's replies are errors and the state is rebuilt from the store, so memory never
// holds what the store does not.
#pragma once

#include "parley/core/config.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace parley {
class Runtime;
namespace bus {
class Bus;
}
namespace store {
class Store;
}
}  // namespace parley

namespace parley::engine {

struct Model;

// Who asks: an agent of a tenant, or the system (a channel plugin, a timer).
struct Actor {
    std::string tenant;  // empty for a channel (the entry point decides the tenant)
    std::string agent;   // empty for the system
};

struct Command {
    Actor actor;
    std::string name;  // "accept", "send", "end", "set_state", "inbound", "message_status"
    boost::json::object args;
};

struct Result {
    bool ok = true;
    std::string code;     // when !ok: "not_your_interaction", "too_long", ...
    std::string message;  // when !ok: a sentence for people
    boost::json::value value;

    static Result error(std::string code, std::string message) {
        return {false, std::move(code), std::move(message), nullptr};
    }
};

using Done = std::function<void(Result)>;

// Published on the bus after commit, topic "engine.event", payload:
// {"seq":N,"tenant":"acme","type":"message.added","time_ms":...,"data":{...}}
constexpr const char* event_topic = "engine.event";
// Published (empty payload) after a failed commit made the engine rebuild its state
// from the store: what state() showed before may not have been saved.
constexpr const char* rebuilt_topic = "engine.rebuilt";
// Published after commit for the channel plugin to deliver, topic
// "channel.outbound.<channel>", payload: {"tenant","interaction","message","origin","to","text"}.
constexpr const char* outbound_topic_prefix = "channel.outbound.";

using Clock = std::function<std::int64_t()>;  // Unix time in milliseconds
std::int64_t system_clock_ms();

struct Options {
    Clock clock = system_clock_ms;
    std::size_t max_text_characters = 4096;
};

class State;

class Engine {
public:
    Engine(Runtime& runtime, store::Store& store, bus::Bus& bus, Options options = {});
    // Commits what is still queued. Destroy the engine after the runtime stopped.
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // The tenants, queues, entry points and agents of a (validated) config. On a
    // reload, live interactions whose entry point or queue is gone are interrupted.
    // Runs on the core strand.
    void configure(const config::Document& doc);
    // Rebuilds state from the store, re-arms offer timers and routes what waits.
    // Call once, after the first configure(), on the core strand.
    void recover();

    // Thread-safe: queues the command for the core strand; `done` runs there after commit.
    void submit(Command command, Done done);

    // Read access for views and the agent API; core strand only. The state holds every
    // command handled so far, also those whose commit is still under way (their replies
    // and events come once it is done); last_seq() is the seq of its last event.
    const State& state() const;
    const Model& model() const;
    std::uint64_t last_seq() const;

    struct Stats {
        std::uint64_t commands = 0;
        std::uint64_t events = 0;
        std::uint64_t commits = 0;
    };
    Stats stats() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace parley::engine
